/**
 * Tracing: OpenTelemetry (SDK and tracer providers, exporters, instrumentations, samplers, span
 * processors, `@vercel/otel`; its metric and log exporters and its Prometheus exporter, a metrics
 * endpoint, are read here too, as parts of the same SDK set-up), dd-trace, New Relic, Elastic APM,
 * Google Cloud Trace and AWS X-Ray.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { bool, calleeName, exprLabel, prop, unwrap } from '../../src/analysis/ast.js';
import { envVariable, numberValue, objectLiteral, stringValue, type Call } from '../../src/analysis/bindings.js';
import type { Details } from '../../src/model/schema.js';
import { ev, type FileScope, type Rules } from './collector.js';

const TRACERS: { test: RegExp; key: string; name: string }[] = [
  { test: /^@opentelemetry\/(sdk-node|sdk-trace-node|sdk-trace-base|auto-instrumentations-node)$|^@vercel\/otel$/, key: 'opentelemetry', name: 'OpenTelemetry' },
  { test: /^dd-trace(\/|$)/, key: 'datadog', name: 'Datadog APM (dd-trace)' },
  { test: /^newrelic$/, key: 'newrelic', name: 'New Relic APM' },
  { test: /^elastic-apm-node(\/|$)/, key: 'elastic-apm', name: 'Elastic APM' },
  { test: /^@google-cloud\/trace-agent$/, key: 'cloud-trace', name: 'Google Cloud Trace' },
  { test: /^aws-xray-sdk(-core)?$/, key: 'xray', name: 'AWS X-Ray' },
];

/** Instrumentation names of an `instrumentations: [...]` list. */
function instrumentationNames(arr: ts.Expression): string[] {
  const a = unwrap(arr);
  const out: string[] = [];
  const els = ts.isArrayLiteralExpression(a) ? a.elements : [a];
  for (const el of els) {
    const e = unwrap(el);
    if (ts.isCallExpression(e) && calleeName(e) === 'getNodeAutoInstrumentations') out.push('auto-instrumentations-node');
    else if (ts.isNewExpression(e)) out.push((calleeName(e) ?? '?').replace(/Instrumentation$/, ''));
  }
  return out;
}

/** One `new` of an OpenTelemetry package: exporter, instrumentation, SDK or provider, sampler, span processor. */
function otelPiece(s: FileScope, module: string, cls: string, node: ts.NewExpression): void {
  const { c, info, comp } = s;
  const details: Details = {};
  const o = objectLiteral(node.arguments?.[0], info);
  if (module.startsWith('@opentelemetry/exporter-')) {
    details.exporters = [cls];
    const url = envVariable(prop(o, 'url'), info);
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
}

function tracingCall(s: FileScope, { node, named, binding: b, args }: Call): void {
  const { c, info, comp } = s;
  if (!b) return;
  const otel = (details: Details) => c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(info, node), { tech: 'opentelemetry', ...comp, details });
  if (/^dd-trace/.test(b.module) && named === 'init') {
    const o = objectLiteral(args[0], info);
    const details: Details = {};
    const svc = stringValue(prop(o, 'service'), info) ?? (envVariable(prop(o, 'service'), info) ? `from ${envVariable(prop(o, 'service'), info)}` : undefined);
    if (svc) details.serviceName = svc;
    for (const k of ['logInjection', 'runtimeMetrics', 'profiling']) {
      const v = bool(prop(o, k));
      if (v !== undefined) details[k] = v;
    }
    const rate = numberValue(prop(o, 'sampleRate'), info);
    if (rate !== undefined) details.sampleRate = rate;
    c.add('observability:tracing:datadog', 'tracing', 'Datadog APM (dd-trace)', ev(info, node), { tech: 'datadog', ...comp, details });
  }
  if (/^elastic-apm-node/.test(b.module) && named === 'start') {
    const o = objectLiteral(args[0], info);
    const details: Details = {};
    const svc = stringValue(prop(o, 'serviceName'), info);
    if (svc) details.serviceName = svc;
    const url = envVariable(prop(o, 'serverUrl'), info);
    if (url) details.serverUrlEnv = url;
    const tok = envVariable(prop(o, 'secretToken'), info) ?? envVariable(prop(o, 'apiKey'), info);
    if (tok) details.tokenEnv = tok;
    c.add('observability:tracing:elastic-apm', 'tracing', 'Elastic APM', ev(info, node), { tech: 'elastic-apm', ...comp, details });
  }
  if (b.module === '@opentelemetry/auto-instrumentations-node' && named === 'getNodeAutoInstrumentations') otel({ instrumentations: ['auto-instrumentations-node'] });
  if (b.module === '@opentelemetry/instrumentation' && named === 'registerInstrumentations') {
    const instr = prop(objectLiteral(args[0], info), 'instrumentations');
    const names = instr ? instrumentationNames(instr) : [];
    otel(names.length ? { instrumentations: names } : {});
  }
  if (b.module === '@vercel/otel' && named === 'registerOTel') {
    const svc = stringValue(prop(objectLiteral(args[0], info), 'serviceName'), info) ?? stringValue(args[0], info);
    otel({ sdk: '@vercel/otel', ...(svc ? { serviceName: svc } : {}) });
  }
}

export const tracing: Rules = {
  onImport(s, m, at) {
    for (const t of TRACERS) if (t.test.test(m)) s.c.add(`observability:tracing:${t.key}`, 'tracing', t.name, at, { tech: t.key, ...s.comp });
  },
  onCall: tracingCall,
  onNew(s, { node, named, binding: b }) {
    if (b?.module.startsWith('@opentelemetry/')) otelPiece(s, b.module, named, node);
  },
};
