/**
 * Metrics: prom-client metric definitions (name, type, help, labels, buckets) and default
 * metrics, metrics endpoints (express-prom-bundle, nestjs-prometheus), OpenTelemetry meter
 * instruments, StatsD clients and metric names, CloudWatch custom metrics (SDK and embedded
 * metric format). A `/metrics` route is read with the health routes (health.ts).
 */
import { numbers, prop, strings, type Call, type CallSite, type Opt } from '../../src/analysis/sites.js';
import type { Details } from '../../src/model/schema.js';
import { ev, imports, type FileScope, type Rules } from './collector.js';
import { idOf } from '../../src/model/ids.js';

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
const OTEL_METER_MODULES = new Set(['@opentelemetry/api', '@opentelemetry/sdk-metrics', '@opentelemetry/api-metrics']);

/** A prom-client metric: `new Counter({ name, help, labelNames, buckets })`; one without a literal name is a warning. */
function promMetric(s: FileScope, type: string, o: Opt | undefined, node: CallSite): void {
  const name = prop(o, 'name')?.str;
  if (!name) {
    s.ctx.warn(s.file, node.line, `prom-client ${type} without a literal name: not listed`);
    return;
  }
  const details: Details = { type: type.toLowerCase(), library: 'prom-client' };
  const help = prop(o, 'help')?.str;
  if (help) details.help = help;
  const labels = strings(prop(o, 'labelNames'));
  if (labels?.length) details.labels = labels;
  const bucketsExpr = prop(o, 'buckets');
  if (bucketsExpr) {
    const b = numbers(bucketsExpr);
    details.buckets = b ? b.map(String).join(', ') : (bucketsExpr.label ?? 'custom');
  }
  const pct = numbers(prop(o, 'percentiles'));
  if (pct?.length) details.percentiles = pct.map(String).join(', ');
  s.c.add(idOf.observability('metric', name), 'metrics', name, ev(s, node), { tech: 'prom-client', ...s.comp, details });
}

/** CloudWatch `PutMetricData` input: one metric per `MetricData` entry with a literal name. */
function cloudwatchMetrics(s: FileScope, o: Opt | undefined): void {
  const ns = prop(o, 'Namespace')?.str;
  const arr = prop(o, 'MetricData')?.arr;
  if (!arr) return;
  for (const el of arr) {
    const mn = prop(el, 'MetricName')?.str;
    if (!mn) continue;
    const unit = prop(el, 'Unit')?.str;
    const details: Details = { type: 'custom metric', library: 'CloudWatch' };
    if (ns) details.namespace = ns;
    if (unit) details.unit = unit;
    const dims = prop(el, 'Dimensions')?.arr;
    if (dims) {
      const names = dims.map((d) => prop(d, 'Name')?.str).filter((x): x is string => !!x);
      if (names.length) details.labels = names;
    }
    s.c.add(idOf.observability('metric', `${ns ? ns + '/' : ''}${mn}`), 'metrics', mn, ev(s, el), { tech: 'cloudwatch', ...s.comp, details });
  }
}

function metricsCall(s: FileScope, call: Call): void {
  const { c, comp } = s;
  const { module, name, last, named, args } = call;

  if (module === 'prom-client' && named === 'collectDefaultMetrics') {
    const prefix = prop(args[0], 'prefix')?.str;
    c.add('observability:metrics:default', 'metrics', 'Default process metrics (prom-client)', ev(s, call), {
      tech: 'prom-client',
      ...comp,
      details: prefix ? { prefix } : {},
    });
  }
  if (module === 'express-prom-bundle') {
    const path = prop(args[0], 'metricsPath')?.str ?? '/metrics';
    c.add(idOf.observability('metrics-endpoint', path), 'metrics', `Metrics endpoint ${path}`, ev(s, call), {
      tech: 'express-prom-bundle',
      ...comp,
      details: { path, exposes: 'http_request_duration_seconds' },
    });
  }
  if (/^PrometheusModule\.register(Async)?$/.test(name)) {
    const path = prop(args[0], 'path')?.str ?? '/metrics';
    c.add(idOf.observability('metrics-endpoint', path), 'metrics', `Metrics endpoint ${path}`, ev(s, call), {
      tech: '@willsoto/nestjs-prometheus',
      ...comp,
      details: { path },
    });
  }
  // prom-client metrics made by helper factories: makeCounterProvider({ name, ... })
  if (/^make(Counter|Gauge|Histogram|Summary)Provider$/.test(named)) {
    promMetric(s, /^make(\w+)Provider$/.exec(named)![1]!, args[0], call);
  }
  // OpenTelemetry meters: meter.createCounter('name', { description, unit })
  if (OTEL_INSTRUMENTS[last] && call.method !== undefined && imports(s, (m) => OTEL_METER_MODULES.has(m))) {
    const mname = args[0]?.str;
    if (mname) {
      const o = args[1];
      const details: Details = { type: OTEL_INSTRUMENTS[last]!, library: 'OpenTelemetry' };
      const desc = prop(o, 'description')?.str;
      if (desc) details.help = desc;
      const unit = prop(o, 'unit')?.str;
      if (unit) details.unit = unit;
      const bounds = numbers(prop(prop(o, 'advice'), 'explicitBucketBoundaries'));
      if (bounds?.length) details.buckets = bounds.map(String).join(', ');
      c.add(idOf.observability('metric', mname), 'metrics', mname, ev(s, call), { tech: 'opentelemetry', ...comp, details });
    }
  }
  // StatsD metric names
  if (
    STATSD_METHODS.has(last) &&
    call.method !== undefined &&
    imports(s, (m) => STATSD_MODULES.has(m)) &&
    /statsd|metrics|dogstatsd|stats|client/i.test(call.receiverWritten ?? call.receiver ?? '')
  ) {
    const mname = args[0]?.str;
    if (mname) {
      const tags = strings(args.find((a) => a.arr));
      const details: Details = { type: last === 'increment' || last === 'decrement' ? 'counter' : last, library: 'StatsD' };
      const labelKeys = tags?.map((t) => t.split(':')[0]!).filter(Boolean);
      if (labelKeys?.length) details.labels = labelKeys;
      c.add(idOf.observability('metric', mname), 'metrics', mname, ev(s, call), { tech: 'statsd', ...comp, details });
    }
  }
  // aws-embedded-metrics / Powertools metrics
  if ((last === 'putMetric' || last === 'addMetric') && imports(s, (m) => m === 'aws-embedded-metrics' || m === '@aws-lambda-powertools/metrics', true)) {
    const mname = args[0]?.str;
    if (mname)
      c.add(idOf.observability('metric', mname), 'metrics', mname, ev(s, call), {
        tech: 'cloudwatch',
        ...comp,
        details: { type: 'custom metric', library: 'CloudWatch (embedded metric format)' },
      });
  }
  if (last === 'putMetricData' && imports(s, (m) => m === 'aws-sdk' || m === '@aws-sdk/client-cloudwatch', true)) cloudwatchMetrics(s, args[0]);
}

export const metrics: Rules = {
  onImport(s, m, at) {
    if (STATSD_MODULES.has(m)) s.c.add('observability:metrics:statsd', 'metrics', `StatsD client (${m})`, at, { tech: m, ...s.comp });
    // Hono's Prometheus middleware: request counters and durations (its `/metrics` route is read with the routes).
    if (m === '@hono/prometheus')
      s.c.add('observability:metrics:@hono/prometheus', 'metrics', 'HTTP request metrics with @hono/prometheus', at, { tech: m, ...s.comp });
    // Bull Board: an admin UI over the job queues.
    if (m === 'bull-board' || m.startsWith('@bull-board/'))
      s.c.add('observability:dashboards:bull-board', 'dashboards', 'Queue dashboard (Bull Board)', at, { tech: 'bull-board', ...s.comp });
  },
  onCall: metricsCall,
  onNew(s, call) {
    const { module, named: cls, args } = call;
    if (module === undefined) return;
    if (module === 'prom-client' && PROM_TYPES.has(cls)) promMetric(s, cls, args[0], call);
    if (STATSD_MODULES.has(module)) {
      const prefix = prop(args[0], 'prefix')?.str;
      const host = prop(args[0], 'host')?.env;
      const details: Details = {};
      if (prefix) details.prefix = prefix;
      if (host) details.hostEnv = host;
      s.c.add('observability:metrics:statsd', 'metrics', `StatsD client (${module})`, ev(s, call), { tech: module, ...s.comp, details });
    }
    if (module === '@aws-sdk/client-cloudwatch' && cls === 'PutMetricDataCommand') cloudwatchMetrics(s, args[0]);
  },
};
