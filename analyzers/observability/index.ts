/**
 * observability: tracing (OpenTelemetry SDK and collector pipelines, dd-trace, New Relic, Elastic
 * APM), error tracking (Sentry, Bugsnag, Rollbar: key and DSN by environment variable NAME only),
 * metric definitions (prom-client, OpenTelemetry meters, StatsD, CloudWatch), logging (pino,
 * winston, bunyan, NestJS Logger: level, JSON, redaction), alert rules, Alertmanager routes,
 * Grafana dashboards, health endpoints and probes, and targets (OpenSLO, Sloth, Pyrra, k6
 * thresholds, Artillery ensure). The rule sets, one concern per file (errors.ts, tracing.ts,
 * metrics.ts, logging.ts, health.ts, targets.ts), read each script's index (its option readings,
 * `sites`, src/analysis/sites.ts), never its syntax tree; configuration files are read by
 * configs.ts.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { readSite } from '../../src/analysis/sites.js';
import { tidyFact } from '../../src/model/compare.js';
import { ObsCollector, type FileScope, type Rules } from './collector.js';
import { analyseConfigFiles } from './configs.js';
import { dependencyFacts } from './dependencies.js';
import { errorTracking } from './errors.js';
import { fastify } from './fastify.js';
import { HEALTH_PATH, health, linkHealthRoutes } from './health.js';
import { logging } from './logging.js';
import { metrics } from './metrics.js';
import { targets } from './targets.js';
import { tracing } from './tracing.js';

export { HEALTH_PATH, healthKind, isHealthRoute, linkHealthRoutes } from './health.js';
export type { HealthRoute } from './collector.js';

/** The rule sets, in the order each node is handed to them. */
const RULES: readonly Rules[] = [errorTracking, tracing, metrics, logging, fastify, health, targets];

/** One file: its imports first, then each site of its index to the rule sets that want its kind, then the file as a whole. */
function analyseFile(ctx: AnalyzerContext, c: ObsCollector, index: FileIndex): void {
  const { file, sites } = index;
  const component = ctx.componentOf(file);
  const s: FileScope = { ctx, c, file, sites, at: 0, component, comp: component ? { component } : {} };
  for (const [m, line] of sites.modules) {
    for (const r of RULES) r.onImport?.(s, m, { file, line });
  }
  for (const site of sites.sites) {
    if (site.k === 'call' || site.k === 'new') {
      const call = readSite(site);
      for (const r of RULES) (site.k === 'call' ? r.onCall : r.onNew)?.(s, call);
    } else if (site.k === 'class') for (const r of RULES) r.onClass?.(s, site);
    else if (site.k === 'vars') for (const r of RULES) r.onVars?.(s, site);
    s.at++;
  }
  for (const r of RULES) r.onFile?.(s);
}

/** After the file pass: configuration files, then every fact the run gathered. */
function finish(ctx: AnalyzerContext, c: ObsCollector): void {
  analyseConfigFiles(ctx, c);
  dependencyFacts(ctx, c);
  for (const f of c.facts.values()) {
    tidyFact(f);
    ctx.emit('observability', f);
  }
  for (const s of c.security) ctx.emit('security', s);
}

const KEYWORDS =
  /morgan|koa-logger|pyroscope|pprof|bull-board|@hono\/prometheus|opentelemetry|dd-trace|newrelic|elastic-apm|@sentry|bugsnag|rollbar|honeybadger|airbrake|prom-client|statsd|hot-shots|createCounter|createHistogram|cloudwatch|embedded-metrics|powertools|pino|winston|bunyan|log4js|Logger|health|ready|live|ping|metrics|terminus|lightship|k6|otel|x-?ray|trace-agent/i;

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
      visitIndex: (_file, index) => analyseFile(ctx, c, index),
      finish: () => finish(ctx, c),
    };
  },
  // Health routes are server routes: kept when the endpoints analyzer found them (with the full path).
  link(model, ctx) {
    linkHealthRoutes(model, collectorOf(ctx).healthRoutes);
  },
});
