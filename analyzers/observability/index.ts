/**
 * observability: tracing (OpenTelemetry SDK and collector pipelines, dd-trace, New Relic, Elastic
 * APM), error tracking (Sentry, Bugsnag, Rollbar: key and DSN by environment variable NAME only),
 * metric definitions (prom-client, OpenTelemetry meters, StatsD, CloudWatch), logging (pino,
 * winston, bunyan, NestJS Logger: level, JSON, redaction), alert rules, Alertmanager routes,
 * Grafana dashboards, health endpoints and probes, and targets (OpenSLO, Sloth, Pyrra, k6
 * thresholds, Artillery ensure). One TypeScript walk per file, dispatching on node shape.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareById, compareStrings, sortedEvidence, sortedUnique, tidyFact } from '../../src/model/compare.js';
import type { Details, Evidence, Model, ObservabilityFact, SecurityFact } from '../../src/model/schema.js';
import { cutTrailing } from '../../src/util/linear-scan.js';
import {
  booleanValue,
  calleeModule,
  calleeName,
  decoratorsOf,
  envName,
  exprLabel,
  fileInfo,
  numberArray,
  numberValue,
  objectLiteral,
  prop,
  propKeys,
  recordBinding,
  stringArray,
  stringValue,
  unwrap,
  type FileInfo,
} from '../security/ast.js';
import { analyseConfigFiles } from './configs.js';

export type Category = 'tracing' | 'errors' | 'metrics' | 'logging' | 'alerting' | 'dashboards' | 'health' | 'slo';

/** Fragments by id: evidence and string arrays unioned, first scalar wins. */
/** A health-looking route seen in code, confirmed (or not) against the endpoints in the link phase. */
export interface HealthRoute {
  method: string;
  path: string;
  file: string;
  /** Lines the registration spans (the call, or the decorated controller method). */
  from: number;
  to: number;
  mount: boolean;
  tech?: string;
  component?: string;
  /** Called on something named like an HTTP client (`this.http.get('/api/health')`), not a router. */
  clientLike: boolean;
}

export class ObsCollector {
  readonly facts = new Map<string, ObservabilityFact>();
  readonly security: SecurityFact[] = [];
  readonly healthRoutes: HealthRoute[] = [];
  add(id: string, category: Category, name: string, evidence: Evidence, extra: { tech?: string; component?: string; details?: Details } = {}): ObservabilityFact {
    const prev = this.facts.get(id);
    if (prev) {
      prev.evidence.push(evidence);
      if (extra.details) {
        prev.details ??= {};
        for (const [k, v] of Object.entries(extra.details)) {
          const old = prev.details[k];
          if (Array.isArray(v)) prev.details[k] = sortedUnique([...(Array.isArray(old) ? old : []), ...v]);
          else if (old === undefined) prev.details[k] = v;
        }
      }
      prev.component ??= extra.component;
      return prev;
    }
    const f: ObservabilityFact = { id, name, category, evidence: [evidence] };
    if (extra.tech) f.tech = extra.tech;
    if (extra.component) f.component = extra.component;
    if (extra.details) f.details = { ...extra.details };
    this.facts.set(id, f);
    return f;
  }
}

const ERROR_TRACKERS: { test: RegExp; key: string; name: string }[] = [
  { test: /^@sentry\//, key: 'sentry', name: 'Sentry' },
  { test: /^@bugsnag\//, key: 'bugsnag', name: 'Bugsnag' },
  { test: /^rollbar$/, key: 'rollbar', name: 'Rollbar' },
  { test: /^@honeybadger-io\//, key: 'honeybadger', name: 'Honeybadger' },
  { test: /^@airbrake\//, key: 'airbrake', name: 'Airbrake' },
];

const TRACERS: { test: RegExp; key: string; name: string }[] = [
  { test: /^@opentelemetry\/(sdk-node|sdk-trace-node|sdk-trace-base|auto-instrumentations-node)$|^@vercel\/otel$/, key: 'opentelemetry', name: 'OpenTelemetry' },
  { test: /^dd-trace(\/|$)/, key: 'datadog', name: 'Datadog APM (dd-trace)' },
  { test: /^newrelic$/, key: 'newrelic', name: 'New Relic APM' },
  { test: /^elastic-apm-node(\/|$)/, key: 'elastic-apm', name: 'Elastic APM' },
  { test: /^@google-cloud\/trace-agent$/, key: 'cloud-trace', name: 'Google Cloud Trace' },
  { test: /^aws-xray-sdk(-core)?$/, key: 'xray', name: 'AWS X-Ray' },
];

const LOGGERS: Record<string, string> = {
  pino: 'pino',
  'pino-http': 'pino',
  'nestjs-pino': 'pino',
  winston: 'winston',
  'nest-winston': 'winston',
  'express-winston': 'winston',
  bunyan: 'bunyan',
  log4js: 'log4js',
  'loglevel': 'loglevel',
  '@aws-lambda-powertools/logger': 'Powertools Logger',
};

const STATSD_MODULES = new Set(['hot-shots', 'node-statsd', 'statsd-client', 'lynx', 'node-dogstatsd', 'datadog-metrics']);
const PROM_TYPES = new Set(['Counter', 'Gauge', 'Histogram', 'Summary']);
const OTEL_INSTRUMENTS: Record<string, string> = {
  createCounter: 'counter',
  createUpDownCounter: 'up-down counter',
  createHistogram: 'histogram',
  createGauge: 'gauge',
  createObservableGauge: 'observable gauge',
  createObservableCounter: 'observable counter',
  createObservableUpDownCounter: 'observable up-down counter',
};
const STATSD_METHODS = new Set(['increment', 'decrement', 'timing', 'gauge', 'histogram', 'distribution', 'set', 'unique', 'timer']);

export const HEALTH_PATH = /(^|\/)(health|healthz|healthcheck|health-check|_health|ready|readyz|readiness|live|livez|liveness|ping|alive|status)(\/|$)/i;

export function healthKind(path: string): string {
  if (/ready|readiness/i.test(path)) return 'readiness';
  if (/live|liveness|alive/i.test(path)) return 'liveness';
  if (/ping/i.test(path)) return 'ping';
  if (/status/i.test(path)) return 'status';
  return 'health';
}

const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Head: 'HEAD', All: 'ALL' };

function ev(info: FileInfo, node: ts.Node): Evidence {
  return { file: info.file, line: info.line(node) };
}

function joinPath(prefix: string, path: string): string {
  return `/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** Level text: a literal, or the env var name it is read from, with its fallback. */
function levelText(node: ts.Expression | undefined, info: FileInfo): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  const lit = stringValue(n, info);
  if (lit !== undefined) return lit;
  const env = envName(n, info);
  if (env) {
    const fallback =
      ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken)
        ? stringValue(n.right, info)
        : undefined;
    return `from ${env}${fallback ? ` (default ${fallback})` : ''}`;
  }
  if (ts.isConditionalExpression(n)) {
    const a = stringValue(n.whenTrue, info);
    const b = stringValue(n.whenFalse, info);
    if (a && b) return `${a} or ${b}`;
  }
  return undefined;
}

function analyseFile(ctx: AnalyzerContext, c: ObsCollector, info: FileInfo, text: string): void {
  const component = ctx.componentOf(info.file);
  const comp = component ? { component } : {};
  const mods = info.modules;
  const hasModule = (test: (m: string) => boolean) => [...mods.keys()].some(test);

  for (const [m, line] of mods) {
    const e = { file: info.file, line };
    for (const t of TRACERS) if (t.test.test(m)) c.add(`observability:tracing:${t.key}`, 'tracing', t.name, e, { tech: t.key, ...comp });
    for (const t of ERROR_TRACKERS) if (t.test.test(m)) c.add(`observability:errors:${t.key}`, 'errors', t.name, e, { tech: t.key, ...comp, details: { sdk: [m] } });
    if (m === 'morgan') c.add('observability:logging:morgan', 'logging', 'HTTP access logging with morgan', e, { tech: 'morgan', ...comp });
    if (STATSD_MODULES.has(m)) c.add('observability:metrics:statsd', 'metrics', `StatsD client (${m})`, e, { tech: m, ...comp });
    if (m === '@nestjs/terminus' || m === '@godaddy/terminus' || m === 'lightship') c.add(`observability:health-library:${m}`, 'health', `Health checks with ${m}`, e, { tech: m, ...comp });
  }
  const otelMeterFile = hasModule((m) => m === '@opentelemetry/api' || m === '@opentelemetry/sdk-metrics' || m === '@opentelemetry/api-metrics');
  const statsdFile = hasModule((m) => STATSD_MODULES.has(m));

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) recordBinding(info, node);
    if (ts.isCallExpression(node)) {
      recordBinding(info, node);
      visitCall(node);
    } else if (ts.isNewExpression(node)) visitNew(node);
    else if (ts.isClassDeclaration(node)) visitClass(node);
    else if (ts.isExportAssignment(node) || ts.isVariableStatement(node)) k6Options(node);
    ts.forEachChild(node, visit);
  };

  const visitNew = (node: ts.NewExpression): void => {
    const b = calleeModule(node, info);
    const name = calleeName(node) ?? '';
    const last = name.split('.').pop() ?? '';
    const cls = b && b.imported !== '*' && b.imported !== 'default' && !name.includes('.') ? b.imported : last;
    if (!b) return;
    // prom-client metrics
    if (b.module === 'prom-client' && PROM_TYPES.has(cls)) {
      promMetric(cls, objectLiteral(node.arguments?.[0], info), node);
      return;
    }
    // OpenTelemetry SDK pieces
    if (b.module.startsWith('@opentelemetry/')) otelPiece(b.module, cls, node);
    // Rollbar
    if (b.module === 'rollbar') errorsInit('rollbar', 'Rollbar', objectLiteral(node.arguments?.[0], info), node, ['accessToken']);
    // StatsD clients
    if (STATSD_MODULES.has(b.module)) {
      const o = objectLiteral(node.arguments?.[0], info);
      const prefix = stringValue(prop(o, 'prefix'), info);
      const host = envName(prop(o, 'host'), info);
      const details: Details = {};
      if (prefix) details.prefix = prefix;
      if (host) details.hostEnv = host;
      c.add('observability:metrics:statsd', 'metrics', `StatsD client (${b.module})`, ev(info, node), { tech: b.module, ...comp, details });
    }
    // CloudWatch custom metrics
    if (b.module === '@aws-sdk/client-cloudwatch' && cls === 'PutMetricDataCommand') cloudwatchMetrics(objectLiteral(node.arguments?.[0], info), node);
    if (b.module === 'winston' || b.module === 'winston-daily-rotate-file') {
      if (/transports\.|Transport|DailyRotateFile/.test(name)) {
        c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(info, node), { tech: 'winston', ...comp, details: { transports: [last] } });
      }
    }
    if (b.module === '@nestjs/common' && cls === 'Logger') {
      c.add('observability:logging:nestjs-logger', 'logging', 'Logging with the NestJS Logger', ev(info, node), { tech: '@nestjs/common', ...comp });
    }
  };

  const otelPiece = (module: string, cls: string, node: ts.NewExpression): void => {
    const details: Details = {};
    const o = objectLiteral(node.arguments?.[0], info);
    if (module.startsWith('@opentelemetry/exporter-')) {
      details.exporters = [cls];
      const url = envName(prop(o, 'url'), info);
      if (url) details.exporterEndpointEnv = [url];
      else {
        const u = stringValue(prop(o, 'url'), info);
        if (u && !/@/.test(u)) details.exporterEndpoints = [u];
      }
      if (/prometheus/.test(module)) {
        // The Prometheus exporter serves metrics for scraping (default port 9464, path /metrics).
        const path = stringValue(prop(o, 'endpoint'), info) ?? '/metrics';
        const port = numberValue(prop(o, 'port'), info) ?? 9464;
        c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { tech: 'opentelemetry', ...comp, details: { path, port: String(port), exporter: cls } });
        return;
      }
      if (/Metric/.test(cls)) c.add('observability:metrics:opentelemetry', 'metrics', 'OpenTelemetry metrics export', ev(info, node), { tech: 'opentelemetry', ...comp, details: { exporters: [cls] } });
      if (/Log/.test(cls)) c.add('observability:logging:opentelemetry', 'logging', 'OpenTelemetry log export', ev(info, node), { tech: 'opentelemetry', ...comp, details: { exporters: [cls] } });
      if (/Metric|Log/.test(cls)) return;
    } else if (module.startsWith('@opentelemetry/instrumentation-')) {
      details.instrumentations = [cls.replace(/Instrumentation$/, '')];
    } else if (cls === 'NodeSDK' || cls === 'NodeTracerProvider' || cls === 'WebTracerProvider' || cls === 'BasicTracerProvider') {
      details.sdk = cls;
      const svc = stringValue(prop(o, 'serviceName'), info);
      if (svc) details.serviceName = svc;
      const sampler = prop(o, 'sampler');
      if (sampler) details.sampler = exprLabel(sampler)?.replace(/^new |\(\)$/g, '') ?? 'custom';
      const instr = prop(o, 'instrumentations');
      if (instr) {
        const names = instrumentationNames(instr);
        if (names.length) details.instrumentations = names;
      }
    } else if (/Sampler$/.test(cls)) {
      const ratio = numberValue(node.arguments?.[0], info);
      details.sampler = ratio !== undefined ? `${cls}(${ratio})` : cls;
    } else if (/SpanProcessor$/.test(cls)) {
      details.spanProcessors = [cls];
    } else if (cls === 'Resource' || cls === 'MeterProvider') {
      if (cls === 'MeterProvider') c.add('observability:metrics:opentelemetry', 'metrics', 'OpenTelemetry metrics export', ev(info, node), { tech: 'opentelemetry', ...comp });
      return;
    } else return;
    c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(info, node), { tech: 'opentelemetry', ...comp, details });
  };

  const instrumentationNames = (arr: ts.Expression): string[] => {
    const a = unwrap(arr);
    const out: string[] = [];
    const els = ts.isArrayLiteralExpression(a) ? a.elements : [a];
    for (const el of els) {
      const e = unwrap(el as ts.Expression);
      if (ts.isCallExpression(e) && calleeName(e) === 'getNodeAutoInstrumentations') out.push('auto-instrumentations-node');
      else if (ts.isNewExpression(e)) out.push((calleeName(e) ?? '?').replace(/Instrumentation$/, ''));
    }
    return out;
  };

  const promMetric = (type: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void => {
    const name = stringValue(prop(o, 'name'), info);
    if (!name) {
      ctx.warn(info.file, info.line(node), `prom-client ${type} without a literal name: not listed`);
      return;
    }
    const details: Details = { type: type.toLowerCase(), library: 'prom-client' };
    const help = stringValue(prop(o, 'help'), info);
    if (help) details.help = help;
    const labels = stringArray(prop(o, 'labelNames'), info);
    if (labels?.length) details.labels = labels;
    const bucketsExpr = prop(o, 'buckets');
    if (bucketsExpr) {
      const b = numberArray(bucketsExpr, info);
      details.buckets = b ? b.map(String).join(', ') : (exprLabel(bucketsExpr) ?? 'custom');
    }
    const pct = numberArray(prop(o, 'percentiles'), info);
    if (pct?.length) details.percentiles = pct.map(String).join(', ');
    c.add(`observability:metric:${name}`, 'metrics', name, ev(info, node), { tech: 'prom-client', ...comp, details });
  };

  const cloudwatchMetrics = (o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void => {
    const ns = stringValue(prop(o, 'Namespace'), info);
    const data = prop(o, 'MetricData');
    const arr = data ? unwrap(data) : undefined;
    if (arr && ts.isArrayLiteralExpression(arr)) {
      for (const el of arr.elements) {
        const mo = objectLiteral(el as ts.Expression, info);
        const mn = stringValue(prop(mo, 'MetricName'), info);
        if (!mn) continue;
        const unit = stringValue(prop(mo, 'Unit'), info);
        const details: Details = { type: 'custom metric', library: 'CloudWatch' };
        if (ns) details.namespace = ns;
        if (unit) details.unit = unit;
        const dims = prop(mo, 'Dimensions');
        if (dims && ts.isArrayLiteralExpression(unwrap(dims))) {
          const names = (unwrap(dims) as ts.ArrayLiteralExpression).elements.map((d) => stringValue(prop(objectLiteral(d as ts.Expression, info), 'Name'), info)).filter((x): x is string => !!x);
          if (names.length) details.labels = names;
        }
        c.add(`observability:metric:${ns ? ns + '/' : ''}${mn}`, 'metrics', mn, ev(info, el), { tech: 'cloudwatch', ...comp, details });
      }
    }
  };

  const errorsInit = (key: string, label: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node, secretKeys: string[]): void => {
    const details: Details = {};
    for (const k of secretKeys) {
      const v = prop(o, k);
      if (!v) continue;
      const env = envName(v, info);
      if (env) details[`${k}Env`] = env;
      else if (stringValue(v, info) !== undefined) {
        details[`${k}Source`] = 'string literal in source';
        c.security.push({
          id: `security:finding:${key}-key-literal:${info.file}`,
          name: `${label} ${k === 'dsn' ? 'DSN' : k} written in source`,
          category: 'finding',
          severity: 'low',
          evidence: [ev(info, v)],
          ...comp,
        });
      }
    }
    const envx = prop(o, 'environment');
    if (envx) {
      const e = envName(envx, info);
      details.environment = e ? `from ${e}` : stringValue(envx, info) ?? 'expression';
    }
    for (const k of ['tracesSampleRate', 'profilesSampleRate', 'sampleRate']) {
      const n = numberValue(prop(o, k), info);
      if (n !== undefined) details[k] = n;
    }
    const rel = prop(o, 'release');
    if (rel) details.release = envName(rel, info) ? `from ${envName(rel, info)}` : 'set';
    c.add(`observability:errors:${key}`, 'errors', label, ev(info, node), { tech: key, ...comp, details });
  };

  const visitCall = (node: ts.CallExpression): void => {
    const name = calleeName(node) ?? '';
    const last = name.split('.').pop() ?? '';
    const b = calleeModule(node, info);
    const args = node.arguments;
    const named = b && b.imported !== '*' && b.imported !== 'default' && !name.includes('.') ? b.imported : last;

    if (b && /^@sentry\//.test(b.module) && named === 'init') errorsInit('sentry', 'Sentry', objectLiteral(args[0], info), node, ['dsn']);
    if (b && /^@bugsnag\//.test(b.module) && (named === 'start' || named === 'createClient')) {
      const o = objectLiteral(args[0], info);
      if (o) errorsInit('bugsnag', 'Bugsnag', o, node, ['apiKey']);
      else {
        const env = envName(args[0], info);
        c.add('observability:errors:bugsnag', 'errors', 'Bugsnag', ev(info, node), { tech: 'bugsnag', ...comp, details: env ? { apiKeyEnv: env } : {} });
      }
    }
    if (b?.module === 'rollbar' && named === 'init') errorsInit('rollbar', 'Rollbar', objectLiteral(args[0], info), node, ['accessToken']);
    if (b && /^@honeybadger-io\//.test(b.module) && named === 'configure') errorsInit('honeybadger', 'Honeybadger', objectLiteral(args[0], info), node, ['apiKey']);

    // dd-trace / elastic-apm / newrelic
    if (b && /^dd-trace/.test(b.module) && named === 'init') {
      const o = objectLiteral(args[0], info);
      const details: Details = {};
      const svc = stringValue(prop(o, 'service'), info) ?? (envName(prop(o, 'service'), info) ? `from ${envName(prop(o, 'service'), info)}` : undefined);
      if (svc) details.serviceName = svc;
      for (const k of ['logInjection', 'runtimeMetrics', 'profiling']) {
        const v = booleanValue(prop(o, k));
        if (v !== undefined) details[k] = v;
      }
      const rate = numberValue(prop(o, 'sampleRate'), info);
      if (rate !== undefined) details.sampleRate = rate;
      c.add('observability:tracing:datadog', 'tracing', 'Datadog APM (dd-trace)', ev(info, node), { tech: 'datadog', ...comp, details });
    }
    if (b && /^elastic-apm-node/.test(b.module) && named === 'start') {
      const o = objectLiteral(args[0], info);
      const details: Details = {};
      const svc = stringValue(prop(o, 'serviceName'), info);
      if (svc) details.serviceName = svc;
      const url = envName(prop(o, 'serverUrl'), info);
      if (url) details.serverUrlEnv = url;
      const tok = envName(prop(o, 'secretToken'), info) ?? envName(prop(o, 'apiKey'), info);
      if (tok) details.tokenEnv = tok;
      c.add('observability:tracing:elastic-apm', 'tracing', 'Elastic APM', ev(info, node), { tech: 'elastic-apm', ...comp, details });
    }
    if (b?.module === '@opentelemetry/auto-instrumentations-node' && named === 'getNodeAutoInstrumentations') {
      c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(info, node), { tech: 'opentelemetry', ...comp, details: { instrumentations: ['auto-instrumentations-node'] } });
    }
    if (b?.module === '@opentelemetry/instrumentation' && named === 'registerInstrumentations') {
      const instr = prop(objectLiteral(args[0], info), 'instrumentations');
      const names = instr ? instrumentationNames(instr) : [];
      c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(info, node), { tech: 'opentelemetry', ...comp, details: names.length ? { instrumentations: names } : {} });
    }
    if (b?.module === '@vercel/otel' && named === 'registerOTel') {
      const o = objectLiteral(args[0], info);
      const svc = stringValue(prop(o, 'serviceName'), info) ?? stringValue(args[0], info);
      c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(info, node), { tech: 'opentelemetry', ...comp, details: { sdk: '@vercel/otel', ...(svc ? { serviceName: svc } : {}) } });
    }

    // prom-client default metrics, express-prom-bundle, nestjs-prometheus
    if (b?.module === 'prom-client' && named === 'collectDefaultMetrics') {
      const prefix = stringValue(prop(objectLiteral(args[0], info), 'prefix'), info);
      c.add('observability:metrics:default', 'metrics', 'Default process metrics (prom-client)', ev(info, node), { tech: 'prom-client', ...comp, details: prefix ? { prefix } : {} });
    }
    if (b?.module === 'express-prom-bundle') {
      const o = objectLiteral(args[0], info);
      const path = stringValue(prop(o, 'metricsPath'), info) ?? '/metrics';
      c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { tech: 'express-prom-bundle', ...comp, details: { path, exposes: 'http_request_duration_seconds' } });
    }
    if (/^PrometheusModule\.register(Async)?$/.test(name)) {
      const path = stringValue(prop(objectLiteral(args[0], info), 'path'), info) ?? '/metrics';
      c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { tech: '@willsoto/nestjs-prometheus', ...comp, details: { path } });
    }
    // prom-client metrics made by helper factories: makeCounterProvider({ name, ... })
    if (/^make(Counter|Gauge|Histogram|Summary)Provider$/.test(named)) {
      promMetric(/^make(\w+)Provider$/.exec(named)![1]!, objectLiteral(args[0], info), node);
    }

    // OpenTelemetry meters: meter.createCounter('name', { description, unit })
    if (otelMeterFile && OTEL_INSTRUMENTS[last] && ts.isPropertyAccessExpression(node.expression)) {
      const mname = stringValue(args[0], info);
      if (mname) {
        const o = objectLiteral(args[1], info);
        const details: Details = { type: OTEL_INSTRUMENTS[last]!, library: 'OpenTelemetry' };
        const desc = stringValue(prop(o, 'description'), info);
        if (desc) details.help = desc;
        const unit = stringValue(prop(o, 'unit'), info);
        if (unit) details.unit = unit;
        const bounds = numberArray(prop(objectLiteral(prop(o, 'advice'), info), 'explicitBucketBoundaries'), info);
        if (bounds?.length) details.buckets = bounds.map(String).join(', ');
        c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'opentelemetry', ...comp, details });
      }
    }
    // StatsD metric names
    if (statsdFile && STATSD_METHODS.has(last) && ts.isPropertyAccessExpression(node.expression) && /statsd|metrics|dogstatsd|stats|client/i.test(node.expression.expression.getText(info.sf))) {
      const mname = stringValue(args[0], info);
      if (mname) {
        const tags = stringArray(args.find((a) => ts.isArrayLiteralExpression(unwrap(a))), info);
        const details: Details = { type: last === 'increment' || last === 'decrement' ? 'counter' : last, library: 'StatsD' };
        const labelKeys = tags?.map((t) => t.split(':')[0]!).filter(Boolean);
        if (labelKeys?.length) details.labels = labelKeys;
        c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'statsd', ...comp, details });
      }
    }
    // aws-embedded-metrics / Powertools metrics
    if ((last === 'putMetric' || last === 'addMetric') && hasModule((m) => m === 'aws-embedded-metrics' || m === '@aws-lambda-powertools/metrics')) {
      const mname = stringValue(args[0], info);
      if (mname) c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'cloudwatch', ...comp, details: { type: 'custom metric', library: 'CloudWatch (embedded metric format)' } });
    }
    if (last === 'putMetricData' && hasModule((m) => m === 'aws-sdk' || m === '@aws-sdk/client-cloudwatch')) cloudwatchMetrics(objectLiteral(args[0], info), node);

    // Loggers
    if (b && LOGGERS[b.module]) {
      const lib = LOGGERS[b.module]!;
      if (lib === 'pino' && (ts.isIdentifier(node.expression) || named === 'pino' || named === 'pinoHttp')) pinoConfig(objectLiteral(args[0], info), node, b.module);
      if (lib === 'winston' && named === 'createLogger') winstonConfig(objectLiteral(args[0], info), node);
      if (lib === 'bunyan' && named === 'createLogger') {
        const o = objectLiteral(args[0], info);
        const details: Details = { format: 'JSON' };
        const lvl = levelText(prop(o, 'level'), info);
        if (lvl) details.level = lvl;
        const nm = stringValue(prop(o, 'name'), info);
        if (nm) details.loggerName = nm;
        c.add('observability:logging:bunyan', 'logging', 'Logging with bunyan', ev(info, node), { tech: 'bunyan', ...comp, details });
      }
      if (lib === 'log4js' && named === 'configure') c.add('observability:logging:log4js', 'logging', 'Logging with log4js', ev(info, node), { tech: 'log4js', ...comp });
      if (b.module === '@aws-lambda-powertools/logger') c.add('observability:logging:powertools', 'logging', 'Logging with Powertools Logger', ev(info, node), { tech: b.module, ...comp, details: { format: 'JSON' } });
    }
    if (name === 'LoggerModule.forRoot' || name === 'LoggerModule.forRootAsync') {
      const o = objectLiteral(args[0], info);
      pinoConfig(objectLiteral(prop(o, 'pinoHttp'), info), node, 'nestjs-pino');
    }
    if (/^WinstonModule\.(forRoot|createLogger)$/.test(name)) winstonConfig(objectLiteral(args[0], info), node);

    // Health and metrics routes.
    if (ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const p0 = stringValue(args[0], info);
      if (p0 !== undefined && p0.startsWith('/') && ['get', 'head', 'all', 'use', 'route'].includes(method)) {
        const recv = unwrap(node.expression.expression);
        const clientLike = ts.isCallExpression(recv) || CLIENT_RECEIVER.test(recv.getText(info.sf).replace(/\s+/g, ''));
        routeSeen(method === 'use' || method === 'route' ? 'GET' : method.toUpperCase(), p0, node, method === 'use', undefined, clientLike);
      }
    }
    // @godaddy/terminus: createTerminus(server, { healthChecks: { '/healthcheck': fn } })
    if (b?.module === '@godaddy/terminus' && named === 'createTerminus') {
      for (const k of propKeys(objectLiteral(prop(objectLiteral(args[1], info), 'healthChecks'), info))) {
        if (k.startsWith('/')) routeSeen('GET', k, node, false, '@godaddy/terminus', false, true);
      }
    }
    // @nestjs/terminus indicators: this.db.pingCheck('database'), this.memory.checkHeap('memory_heap', ...)
    if (/^this\.\w+\.(pingCheck|checkHeap|checkRSS|checkStorage|isHealthy|checkHealth)$/.test(name) && hasModule((m) => m === '@nestjs/terminus')) {
      const key = stringValue(args[0], info);
      if (key) c.add('observability:health-library:@nestjs/terminus', 'health', 'Health checks with @nestjs/terminus', ev(info, node), { tech: '@nestjs/terminus', ...comp, details: { checks: [key] } });
    }
  };

  const routeSeen = (method: string, path: string, node: ts.Node, mount: boolean, tech?: string, clientLike = false, direct = false): void => {
    if (path === '/metrics' || /\/metrics$/.test(path)) {
      c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { ...comp, ...(tech ? { tech } : {}), details: { path } });
      return;
    }
    if (!HEALTH_PATH.test(path)) return;
    if (direct) {
      c.add(`observability:health:${path}`, 'health', `${method} ${path}`, ev(info, node), { ...comp, ...(tech ? { tech } : {}), details: { path, kind: healthKind(path) } });
      return;
    }
    // Route registrations are confirmed against the endpoints (full path as served) in the link phase.
    c.healthRoutes.push({ method, path, file: info.file, from: info.line(node), to: info.sf.getLineAndCharacterOfPosition(node.end).line + 1, mount, tech, component, clientLike });
  };

  const pinoConfig = (o: ts.ObjectLiteralExpression | undefined, node: ts.Node, module: string): void => {
    const details: Details = { format: 'JSON' };
    if (module !== 'pino') details.integration = module;
    const lvl = levelText(prop(o, 'level'), info);
    if (lvl) details.level = lvl;
    const redact = prop(o, 'redact');
    if (redact) {
      const paths = stringArray(redact, info) ?? stringArray(prop(objectLiteral(redact, info), 'paths'), info);
      if (paths?.length) details.redact = paths;
      else details.redact = ['configured'];
      const censor = prop(objectLiteral(redact, info), 'censor');
      if (censor) details.redactCensor = stringValue(censor, info) !== undefined ? 'replaced' : 'custom';
      if (booleanValue(prop(objectLiteral(redact, info), 'remove')) === true) details.redactCensor = 'removed';
    }
    const transport = objectLiteral(prop(o, 'transport'), info);
    const target = stringValue(prop(transport, 'target'), info);
    if (target) {
      details.transports = [target];
      if (target === 'pino-pretty') details.format = 'JSON (pretty-printed by pino-pretty)';
    }
    c.add('observability:logging:pino', 'logging', 'Logging with pino', ev(info, node), { tech: 'pino', ...comp, details });
  };

  const winstonConfig = (o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void => {
    const details: Details = {};
    const lvl = levelText(prop(o, 'level'), info);
    if (lvl) details.level = lvl;
    const fmt = prop(o, 'format');
    if (fmt) {
      const t = fmt.getText(info.sf);
      details.format = /\bjson\(/.test(t) ? 'JSON' : /logstash\(/.test(t) ? 'JSON (logstash)' : /printf\(|simple\(|cli\(/.test(t) ? 'text' : 'custom';
    }
    const tr = prop(o, 'transports');
    if (tr) {
      const a = unwrap(tr);
      const names: string[] = [];
      for (const el of ts.isArrayLiteralExpression(a) ? a.elements : [a]) {
        const e = unwrap(el as ts.Expression);
        if (ts.isNewExpression(e)) names.push((calleeName(e) ?? '?').split('.').pop()!);
      }
      if (names.length) details.transports = names;
    }
    c.add('observability:logging:winston', 'logging', 'Logging with winston', ev(info, node), { tech: 'winston', ...comp, details });
  };

  const visitClass = (cls: ts.ClassDeclaration): void => {
    const decos = decoratorsOf(cls);
    const ctrl = decos.find((d) => d.name === 'Controller');
    if (!ctrl) return;
    const prefix = stringValue(ctrl.args[0], info) ?? stringValue(prop(objectLiteral(ctrl.args[0], info), 'path'), info) ?? '';
    for (const m of cls.members) {
      const md = decoratorsOf(m);
      for (const d of md) {
        const method = NEST_METHODS[d.name];
        if (!method) continue;
        const sub = stringValue(d.args[0], info) ?? '';
        const path = joinPath(prefix, sub);
        const terminus = md.some((x) => x.name === 'HealthCheck');
        routeSeen(method, path, m, false, terminus ? '@nestjs/terminus' : undefined);
      }
    }
  };

  // k6: export const options = { thresholds: { http_req_duration: ['p(95)<500'] } }
  const isK6 = hasModule((m) => m === 'k6' || m.startsWith('k6/'));
  const k6Options = (node: ts.Node): void => {
    if (!isK6) return;
    let obj: ts.ObjectLiteralExpression | undefined;
    if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === 'options') obj = objectLiteral(d.initializer, info);
      }
    }
    const th = objectLiteral(prop(obj, 'thresholds'), info);
    if (!th) return;
    for (const p of th.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const metric = p.name.getText(info.sf).replace(/^['"]|['"]$/g, '');
      const v = unwrap(p.initializer);
      const exprs: string[] = [];
      const items = ts.isArrayLiteralExpression(v) ? v.elements : [v];
      for (const it of items) {
        const s = stringValue(it as ts.Expression, info) ?? stringValue(prop(objectLiteral(it as ts.Expression, info), 'threshold'), info);
        if (s) exprs.push(s);
      }
      if (exprs.length === 0) continue;
      c.add(`observability:target:k6:${info.file}#${metric}`, 'slo', `${metric} ${exprs.join(', ')}`, ev(info, p), {
        tech: 'k6',
        ...comp,
        details: { source: 'k6 threshold', metric, thresholds: exprs, ...k6Target(metric, exprs) },
      });
    }
  };

  visit(info.sf);
  void text;

  // Next.js file-system routes: app/api/health/route.ts, pages/api/healthz.ts.
  const m = /(?:^|\/)(?:src\/)?(app|pages)\/(.*?)(?:\/route|\/index)?\.[cm]?[jt]sx?$/.exec(info.file);
  if (m && (m[1] === 'pages' ? m[2]!.startsWith('api/') : /(^|\/)route\.[cm]?[jt]sx?$/.test(info.file))) {
    const path = '/' + m[2]!.split('/').filter((seg) => !/^\(.*\)$/.test(seg)).join('/');
    if (HEALTH_PATH.test(path)) {
      const kind = healthKind(path);
      c.add(`observability:health:${path}`, 'health', `GET ${path}`, { file: info.file, line: 1 }, { tech: 'next', ...comp, details: { path, kind } });
    }
  }
}

/** A fraction as a percentage without floating-point noise: 0.07 → "7". */
function percent(fraction: string): string {
  return String(Number((Number(fraction) * 100).toPrecision(12)));
}

/**
 * Target kind and a readable target for a k6 threshold. Every expression of the metric is kept
 * (`p(95)<400`, `p(99)<1000` → "p95 < 400 ms; p99 < 1000 ms"); a metric k6 does not define as
 * latency, errors, checks or request rate yields no target.
 */
function k6Target(metric: string, exprs: string[]): Details {
  const m0 = cutTrailing(metric, ['{'], '}');
  const parts: string[] = [];
  let kind: string | undefined;
  for (const raw of exprs) {
    const e = raw.replace(/\s+/g, '');
    const p = /^(p\((\d+(?:\.\d+)?)\)|avg|med|max|min)(<=?|>=?)(\d+(?:\.\d+)?)$/.exec(e);
    if (p && /duration|waiting|latency|connecting|time/.test(m0)) {
      kind = 'latency';
      parts.push(`${p[2] ? `p${p[2]}` : p[1]} ${p[3]} ${p[4]} ms`);
      continue;
    }
    const r = /^(rate|count)(<=?|>=?)(\d+(?:\.\d+)?)$/.exec(e);
    if (!r) continue;
    if (/failed|error/.test(m0) && r[1] === 'rate') {
      kind = 'error-rate';
      parts.push(`error rate ${r[2]} ${percent(r[3]!)}%`);
    } else if (/^checks$/.test(m0) && r[1] === 'rate') {
      kind = 'success-rate';
      parts.push(`checks passing ${r[2]} ${percent(r[3]!)}%`);
    } else if (/^(http_reqs|iterations|grpc_reqs)$/.test(m0)) {
      kind = 'throughput';
      parts.push(r[1] === 'rate' ? `${r[2]} ${r[3]} ${m0 === 'iterations' ? 'iterations' : 'requests'}/s` : `${r[2]} ${r[3]} ${m0 === 'iterations' ? 'iterations' : 'requests'} in total`);
    }
  }
  return kind ? { targetKind: kind, target: parts.join('; ') } : {};
}

const KEYWORDS =
  /morgan|opentelemetry|dd-trace|newrelic|elastic-apm|@sentry|bugsnag|rollbar|honeybadger|airbrake|prom-client|statsd|hot-shots|createCounter|createHistogram|cloudwatch|embedded-metrics|powertools|pino|winston|bunyan|log4js|Logger|health|ready|live|ping|metrics|terminus|lightship|k6|otel|x-?ray|trace-agent/i;

export default defineAnalyzer({
  meta: {
    name: 'observability',
    description: 'Tracing, error tracking, metrics, logging, alert rules, dashboards, health endpoints and targets (SLOs, load-test thresholds)',
    produces: ['observability', 'security'],
    // k6 load-test scripts (thresholds are targets) live among tests and benchmarks.
    reads: ['test', 'e2e', 'benchmark'],
  },
  scan(ctx) {
    const c = new ObsCollector();
    return {
      wants(file) {
        const text = ctx.read(file);
        if (text === undefined || (!KEYWORDS.test(text) && !HEALTH_PATH.test(file))) return false;
        // Load tests usually live under test folders: k6 scripts are read wherever they are.
        return !ctx.isSetAside(file) || /from ['"]k6|require\(['"]k6/.test(text);
      },
      visit: (file, sf) => analyseFile(ctx, c, fileInfo(file, sf), sf.text),
      finish: () => finish(ctx, c),
    };
  },
  // Health routes are server routes: kept when the endpoints analyzer found them (with the full path).
  link(model, ctx) {
    const pending = PENDING_HEALTH.get(ctx.workspace) ?? [];
    PENDING_HEALTH.delete(ctx.workspace);
    linkHealthRoutes(model, pending);
  },
});

/** After the file pass: configuration files, then every fact the run gathered. */
function finish(ctx: AnalyzerContext, c: ObsCollector): void {
  analyseConfigFiles(ctx, c);

  for (const f of c.facts.values()) {
    tidyFact(f);
    ctx.emit('observability', f);
  }
  for (const s of c.security) ctx.emit('security', s);
  PENDING_HEALTH.set(ctx.workspace, c.healthRoutes);
}

/** Health routes seen by `analyze`, per run (keyed by the run's workspace), for the link phase. */
const PENDING_HEALTH = new WeakMap<object, HealthRoute[]>();

/** Receivers that are HTTP clients, not routers or apps: `this.http`, `axios`, `httpService`, `client`, `api`. */
const CLIENT_RECEIVER = /(^|[.$])(http|https|httpClient|httpService|\$http|axios|client|apiClient|api|request|agent|fetcher|got|ky|superagent)$/i;

/** A health path whose health word comes before any parameter (`/health/:check`, not `/orders/:id/status`). */
export function isHealthRoute(path: string): boolean {
  const segs = path.split('/').filter(Boolean);
  for (const seg of segs) {
    if (/^[:{*]/.test(seg)) return false;
    if (HEALTH_PATH.test('/' + seg)) return true;
  }
  return false;
}

/**
 * Health facts from server routes only. Each HTTP endpoint the endpoints analyzer found in code with
 * a health path becomes one, with the path as served (prefixes and versions included); a route seen
 * here adds its library (terminus). A health-looking call the endpoints do not know is an HTTP
 * client call (`this.http.get('/api/v1/health')` in a front end) and is dropped, unless no endpoint
 * was found in its file and it is not called on a client, when it is kept as read.
 */
export function linkHealthRoutes(model: Model, pending: readonly HealthRoute[]): void {
  const code = model.endpoints.filter((e) => e.protocol === 'http' && e.source !== 'spec');
  const routeAt = (e: (typeof code)[number]): Evidence => ({
    file: typeof e.details?.routeFile === 'string' ? e.details.routeFile : e.evidence[0]!.file,
    line: typeof e.details?.routeLine === 'number' ? e.details.routeLine : e.evidence[0]!.line,
  });
  // Files where the endpoints analyzer saw a route or a mount.
  const endpointFiles = new Set(code.flatMap((e) => [routeAt(e).file, ...e.evidence.map((x) => x.file)]));
  // Next.js file-system routes and terminus health checks are already facts.
  const byId = new Map(model.observability.filter((f) => f.id.startsWith('observability:health:')).map((f) => [f.id, f]));
  const done = new Set([...byId.values()].flatMap((f) => f.evidence.map((e) => e.file)));
  const add = (id: string, name: string, evidence: Evidence, path: string, component?: string, tech?: string): void => {
    const prev = byId.get(id);
    if (prev) {
      if (!prev.evidence.some((e) => e.file === evidence.file && e.line === evidence.line)) prev.evidence = sortedEvidence([...prev.evidence, evidence]);
      return;
    }
    const f: ObservabilityFact = { id, name, category: 'health', evidence: [evidence], details: { path, kind: healthKind(path) } };
    if (tech) f.tech = tech;
    if (component) f.component = component;
    byId.set(id, f);
    model.observability.push(f);
  };
  for (const e of [...code].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!isHealthRoute(e.path)) continue;
    const at = routeAt(e);
    if (done.has(at.file)) continue;
    const seen = pending.find((p) => p.file === at.file && at.line >= p.from && at.line <= p.to);
    // `endpoint:services/catalog:GET /health` → `observability:health:services/catalog:/health`.
    const scope = /^endpoint:(.*:)?[A-Z]+ /.exec(e.id)?.[1] ?? '';
    add(`observability:health:${scope}${e.path}`, `${e.method} ${e.path}`, at, e.path, e.component, seen?.tech);
  }
  for (const p of pending) {
    if (p.clientLike || endpointFiles.has(p.file) || done.has(p.file)) continue;
    add(`observability:health:${p.path}`, `${p.mount ? 'Health router' : p.method} ${p.path}`, { file: p.file, line: p.from }, p.path, p.component, p.tech);
  }
  model.observability.sort(compareById);
}
