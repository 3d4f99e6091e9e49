/**
 * Metrics: prom-client metric definitions (name, type, help, labels, buckets) and default
 * metrics, metrics endpoints (express-prom-bundle, nestjs-prometheus), OpenTelemetry meter
 * instruments, StatsD clients and metric names, CloudWatch custom metrics (SDK and embedded
 * metric format). A `/metrics` route is read with the health routes (health.ts).
 */
import ts from '../../src/analyzer/typescript.cjs';
import { exprLabel, prop, unwrap } from '../../src/analysis/ast.js';
import { envVariable, numberValues, objectLiteral, stringValue, stringValues, type Call } from '../../src/analysis/bindings.js';
import type { Details } from '../../src/model/schema.js';
import { ev, imports, type FileScope, type Rules } from './collector.js';

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
function promMetric(s: FileScope, type: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void {
  const { info } = s;
  const name = stringValue(prop(o, 'name'), info);
  if (!name) {
    s.ctx.warn(info.file, info.line(node), `prom-client ${type} without a literal name: not listed`);
    return;
  }
  const details: Details = { type: type.toLowerCase(), library: 'prom-client' };
  const help = stringValue(prop(o, 'help'), info);
  if (help) details.help = help;
  const labels = stringValues(prop(o, 'labelNames'), info);
  if (labels?.length) details.labels = labels;
  const bucketsExpr = prop(o, 'buckets');
  if (bucketsExpr) {
    const b = numberValues(bucketsExpr, info);
    details.buckets = b ? b.map(String).join(', ') : (exprLabel(bucketsExpr) ?? 'custom');
  }
  const pct = numberValues(prop(o, 'percentiles'), info);
  if (pct?.length) details.percentiles = pct.map(String).join(', ');
  s.c.add(`observability:metric:${name}`, 'metrics', name, ev(info, node), { tech: 'prom-client', ...s.comp, details });
}

/** CloudWatch `PutMetricData` input: one metric per `MetricData` entry with a literal name. */
function cloudwatchMetrics(s: FileScope, o: ts.ObjectLiteralExpression | undefined): void {
  const { info } = s;
  const ns = stringValue(prop(o, 'Namespace'), info);
  const data = prop(o, 'MetricData');
  const arr = data ? unwrap(data) : undefined;
  if (!arr || !ts.isArrayLiteralExpression(arr)) return;
  for (const el of arr.elements) {
    const mo = objectLiteral(el, info);
    const mn = stringValue(prop(mo, 'MetricName'), info);
    if (!mn) continue;
    const unit = stringValue(prop(mo, 'Unit'), info);
    const details: Details = { type: 'custom metric', library: 'CloudWatch' };
    if (ns) details.namespace = ns;
    if (unit) details.unit = unit;
    const dims = prop(mo, 'Dimensions');
    if (dims && ts.isArrayLiteralExpression(unwrap(dims))) {
      const names = (unwrap(dims) as ts.ArrayLiteralExpression).elements.map((d) => stringValue(prop(objectLiteral(d, info), 'Name'), info)).filter((x): x is string => !!x);
      if (names.length) details.labels = names;
    }
    s.c.add(`observability:metric:${ns ? ns + '/' : ''}${mn}`, 'metrics', mn, ev(info, el), { tech: 'cloudwatch', ...s.comp, details });
  }
}

function metricsCall(s: FileScope, { node, name, last, named, binding: b, args }: Call): void {
  const { c, info, comp } = s;

  if (b?.module === 'prom-client' && named === 'collectDefaultMetrics') {
    const prefix = stringValue(prop(objectLiteral(args[0], info), 'prefix'), info);
    c.add('observability:metrics:default', 'metrics', 'Default process metrics (prom-client)', ev(info, node), { tech: 'prom-client', ...comp, details: prefix ? { prefix } : {} });
  }
  if (b?.module === 'express-prom-bundle') {
    const path = stringValue(prop(objectLiteral(args[0], info), 'metricsPath'), info) ?? '/metrics';
    c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { tech: 'express-prom-bundle', ...comp, details: { path, exposes: 'http_request_duration_seconds' } });
  }
  if (/^PrometheusModule\.register(Async)?$/.test(name)) {
    const path = stringValue(prop(objectLiteral(args[0], info), 'path'), info) ?? '/metrics';
    c.add(`observability:metrics-endpoint:${path}`, 'metrics', `Metrics endpoint ${path}`, ev(info, node), { tech: '@willsoto/nestjs-prometheus', ...comp, details: { path } });
  }
  // prom-client metrics made by helper factories: makeCounterProvider({ name, ... })
  if (/^make(Counter|Gauge|Histogram|Summary)Provider$/.test(named)) {
    promMetric(s, /^make(\w+)Provider$/.exec(named)![1]!, objectLiteral(args[0], info), node);
  }
  // OpenTelemetry meters: meter.createCounter('name', { description, unit })
  if (OTEL_INSTRUMENTS[last] && ts.isPropertyAccessExpression(node.expression) && imports(s, (m) => OTEL_METER_MODULES.has(m))) {
    const mname = stringValue(args[0], info);
    if (mname) {
      const o = objectLiteral(args[1], info);
      const details: Details = { type: OTEL_INSTRUMENTS[last]!, library: 'OpenTelemetry' };
      const desc = stringValue(prop(o, 'description'), info);
      if (desc) details.help = desc;
      const unit = stringValue(prop(o, 'unit'), info);
      if (unit) details.unit = unit;
      const bounds = numberValues(prop(objectLiteral(prop(o, 'advice'), info), 'explicitBucketBoundaries'), info);
      if (bounds?.length) details.buckets = bounds.map(String).join(', ');
      c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'opentelemetry', ...comp, details });
    }
  }
  // StatsD metric names
  if (STATSD_METHODS.has(last) && ts.isPropertyAccessExpression(node.expression) && imports(s, (m) => STATSD_MODULES.has(m)) && /statsd|metrics|dogstatsd|stats|client/i.test(node.expression.expression.getText(info.sf))) {
    const mname = stringValue(args[0], info);
    if (mname) {
      const tags = stringValues(args.find((a) => ts.isArrayLiteralExpression(unwrap(a))), info);
      const details: Details = { type: last === 'increment' || last === 'decrement' ? 'counter' : last, library: 'StatsD' };
      const labelKeys = tags?.map((t) => t.split(':')[0]!).filter(Boolean);
      if (labelKeys?.length) details.labels = labelKeys;
      c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'statsd', ...comp, details });
    }
  }
  // aws-embedded-metrics / Powertools metrics
  if ((last === 'putMetric' || last === 'addMetric') && imports(s, (m) => m === 'aws-embedded-metrics' || m === '@aws-lambda-powertools/metrics', true)) {
    const mname = stringValue(args[0], info);
    if (mname) c.add(`observability:metric:${mname}`, 'metrics', mname, ev(info, node), { tech: 'cloudwatch', ...comp, details: { type: 'custom metric', library: 'CloudWatch (embedded metric format)' } });
  }
  if (last === 'putMetricData' && imports(s, (m) => m === 'aws-sdk' || m === '@aws-sdk/client-cloudwatch', true)) cloudwatchMetrics(s, objectLiteral(args[0], info));
}

export const metrics: Rules = {
  onImport(s, m, at) {
    if (STATSD_MODULES.has(m)) s.c.add('observability:metrics:statsd', 'metrics', `StatsD client (${m})`, at, { tech: m, ...s.comp });
  },
  onCall: metricsCall,
  onNew(s, { node, named: cls, binding: b, args }) {
    const { info } = s;
    if (!b) return;
    if (b.module === 'prom-client' && PROM_TYPES.has(cls)) promMetric(s, cls, objectLiteral(args[0], info), node);
    if (STATSD_MODULES.has(b.module)) {
      const o = objectLiteral(args[0], info);
      const prefix = stringValue(prop(o, 'prefix'), info);
      const host = envVariable(prop(o, 'host'), info);
      const details: Details = {};
      if (prefix) details.prefix = prefix;
      if (host) details.hostEnv = host;
      s.c.add('observability:metrics:statsd', 'metrics', `StatsD client (${b.module})`, ev(info, node), { tech: b.module, ...s.comp, details });
    }
    if (b.module === '@aws-sdk/client-cloudwatch' && cls === 'PutMetricDataCommand') cloudwatchMetrics(s, objectLiteral(args[0], info));
  },
};
