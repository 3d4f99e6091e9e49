/**
 * observability: tracing (OpenTelemetry SDK and collector pipelines, dd-trace, New Relic, Elastic
 * APM), error tracking (Sentry, Bugsnag, Rollbar: key and DSN by environment variable NAME only),
 * metric definitions (prom-client, OpenTelemetry meters, StatsD, CloudWatch), logging (pino,
 * winston, bunyan, NestJS Logger: level, JSON, redaction), alert rules, Alertmanager routes,
 * Grafana dashboards, health endpoints and probes, and targets (OpenSLO, Sloth, Pyrra, k6
 * thresholds, Artillery ensure). One TypeScript walk per file hands each node to the rule sets,
 * one concern per file (errors.ts, tracing.ts, metrics.ts, logging.ts, health.ts, targets.ts);
 * configuration files are read by configs.ts.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { fileInfo, readCall, recordBinding, type FileInfo } from '../../src/analysis/bindings.js';
import { tidyFact } from '../../src/model/compare.js';
import { ObsCollector, type FileScope, type Rules } from './collector.js';
import { analyseConfigFiles } from './configs.js';
import { errorTracking } from './errors.js';
import { HEALTH_PATH, health, linkHealthRoutes } from './health.js';
import { logging } from './logging.js';
import { metrics } from './metrics.js';
import { targets } from './targets.js';
import { tracing } from './tracing.js';

export { HEALTH_PATH, healthKind, isHealthRoute, linkHealthRoutes } from './health.js';
export type { HealthRoute } from './collector.js';

/** The rule sets, in the order each node is handed to them. */
const RULES: readonly Rules[] = [errorTracking, tracing, metrics, logging, health, targets];

/** One walk over a file: imports first, then every node to the rule sets that want its kind, then the file as a whole. */
function analyseFile(ctx: AnalyzerContext, c: ObsCollector, info: FileInfo): void {
  const component = ctx.componentOf(info.file);
  const s: FileScope = { ctx, c, info, component, comp: component ? { component } : {}, topModules: [...info.modules.keys()] };
  for (const [m, line] of info.modules) {
    for (const r of RULES) r.onImport?.(s, m, { file: info.file, line });
  }
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) recordBinding(info, node);
    if (ts.isCallExpression(node)) {
      recordBinding(info, node);
      const call = readCall(node, info);
      for (const r of RULES) r.onCall?.(s, call);
    } else if (ts.isNewExpression(node)) {
      const call = readCall(node, info);
      for (const r of RULES) r.onNew?.(s, call);
    } else if (ts.isClassDeclaration(node)) for (const r of RULES) r.onClass?.(s, node);
    else if (ts.isExportAssignment(node) || ts.isVariableStatement(node)) for (const r of RULES) r.onStatement?.(s, node);
    ts.forEachChild(node, visit);
  };
  visit(info.sf);
  for (const r of RULES) r.onFile?.(s);
}

/** After the file pass: configuration files, then every fact the run gathered. */
function finish(ctx: AnalyzerContext, c: ObsCollector): void {
  analyseConfigFiles(ctx, c);
  for (const f of c.facts.values()) {
    tidyFact(f);
    ctx.emit('observability', f);
  }
  for (const s of c.security) ctx.emit('security', s);
}

const KEYWORDS =
  /morgan|opentelemetry|dd-trace|newrelic|elastic-apm|@sentry|bugsnag|rollbar|honeybadger|airbrake|prom-client|statsd|hot-shots|createCounter|createHistogram|cloudwatch|embedded-metrics|powertools|pino|winston|bunyan|log4js|Logger|health|ready|live|ping|metrics|terminus|lightship|k6|otel|x-?ray|trace-agent/i;

/** The run's collector, held on the analyzer's context: the file pass fills it, the link phase reads its health routes. */
const collectorOf = (ctx: AnalyzerContext): ObsCollector => ctx.state(() => new ObsCollector());

export default defineAnalyzer({
  meta: {
    name: 'observability',
    description: 'Tracing, error tracking, metrics, logging, alert rules, dashboards, health endpoints and targets (SLOs, load-test thresholds)',
    produces: ['observability', 'security'],
    consumes: ['endpoints', 'observability', 'components.settled'],
    amends: ['observability'],
    // k6 load-test scripts (thresholds are targets) live among tests and benchmarks.
    reads: ['test', 'e2e', 'benchmark'],
  },
  scan(ctx) {
    const c = collectorOf(ctx);
    return {
      wants(file) {
        const text = ctx.read(file);
        if (text === undefined || (!KEYWORDS.test(text) && !HEALTH_PATH.test(file))) return false;
        // Load tests usually live under test folders: k6 scripts are read wherever they are.
        return !ctx.isSetAside(file) || /from ['"]k6|require\(['"]k6/.test(text);
      },
      visit: (file, sf) => analyseFile(ctx, c, fileInfo(file, sf)),
      finish: () => finish(ctx, c),
    };
  },
  // Health routes are server routes: kept when the endpoints analyzer found them (with the full path).
  link(model, ctx) {
    linkHealthRoutes(model, collectorOf(ctx).healthRoutes);
  },
});
