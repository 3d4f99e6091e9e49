/**
 * Tracing: OpenTelemetry (SDK and tracer providers, exporters, instrumentations, samplers, span
 * processors, `@vercel/otel`; its metric and log exporters and its Prometheus exporter, a metrics
 * endpoint, are read here too, as parts of the same SDK set-up), dd-trace, New Relic, Elastic APM,
 * Google Cloud Trace and AWS X-Ray.
 */
import { objectOf, prop, type Call, type CallSite, type Opt } from '../../src/analysis/sites.js';
import type { Details } from '../../src/model/schema.js';
import { ev, type FileScope, type Rules } from './collector.js';
import { idOf } from '../../src/model/ids.js';

const TRACERS: { test: RegExp; key: string; name: string }[] = [
  {
    test: /^@opentelemetry\/(sdk-node|sdk-trace-node|sdk-trace-base|auto-instrumentations-node)$|^@vercel\/otel$/,
    key: 'opentelemetry',
    name: 'OpenTelemetry',
  },
  { test: /^dd-trace(\/|$)/, key: 'datadog', name: 'Datadog APM (dd-trace)' },
  { test: /^newrelic$/, key: 'newrelic', name: 'New Relic APM' },
  { test: /^elastic-apm-node(\/|$)/, key: 'elastic-apm', name: 'Elastic APM' },
  { test: /^@google-cloud\/trace-agent$/, key: 'cloud-trace', name: 'Google Cloud Trace' },
  { test: /^aws-xray-sdk(-core)?$/, key: 'xray', name: 'AWS X-Ray' },
];

const PROFILERS: Record<string, string> = {
  '@pyroscope/nodejs': 'Pyroscope',
  pyroscope: 'Pyroscope',
  '@datadog/pprof': 'pprof (Datadog)',
  pprof: 'pprof',
};

/** Instrumentation names of an `instrumentations: [...]` list. */
function instrumentationNames(arr: Opt): string[] {
  const out: string[] = [];
  for (const e of arr.arr ?? [arr]) {
    if (e.callee === 'getNodeAutoInstrumentations' && !e.isNew) out.push('auto-instrumentations-node');
    else if (e.isNew) out.push((e.callee ?? '?').replace(/Instrumentation$/, ''));
  }
  return out;
}

/** One `new` of an OpenTelemetry package: exporter, instrumentation, SDK or provider, sampler, span processor. */
function otelPiece(s: FileScope, module: string, cls: string, node: CallSite): void {
  const { c, comp } = s;
  const details: Details = {};
  const o = objectOf(node.args[0]);
  if (module.startsWith('@opentelemetry/exporter-')) {
    details.exporters = [cls];
    const url = prop(o, 'url')?.env;
    if (url) details.exporterEndpointEnv = [url];
    else {
      const u = prop(o, 'url')?.str;
      if (u && !/@/.test(u)) details.exporterEndpoints = [u];
    }
    if (/prometheus/.test(module)) {
      // The Prometheus exporter serves metrics for scraping (default port 9464, path /metrics).
      const path = prop(o, 'endpoint')?.str ?? '/metrics';
      const port = prop(o, 'port')?.num ?? 9464;
      c.add(idOf.observability('metrics-endpoint', path), 'metrics', `Metrics endpoint ${path}`, ev(s, node), {
        tech: 'opentelemetry',
        ...comp,
        details: { path, port: String(port), exporter: cls },
      });
      return;
    }
    if (/Metric/.test(cls))
      c.add('observability:metrics:opentelemetry', 'metrics', 'OpenTelemetry metrics export', ev(s, node), {
        tech: 'opentelemetry',
        ...comp,
        details: { exporters: [cls] },
      });
    if (/Log/.test(cls))
      c.add('observability:logging:opentelemetry', 'logging', 'OpenTelemetry log export', ev(s, node), {
        tech: 'opentelemetry',
        ...comp,
        details: { exporters: [cls] },
      });
    if (/Metric|Log/.test(cls)) return;
  } else if (module.startsWith('@opentelemetry/instrumentation-')) {
    details.instrumentations = [cls.replace(/Instrumentation$/, '')];
  } else if (cls === 'NodeSDK' || cls === 'NodeTracerProvider' || cls === 'WebTracerProvider' || cls === 'BasicTracerProvider') {
    details.sdk = cls;
    const svc = prop(o, 'serviceName')?.str;
    if (svc) details.serviceName = svc;
    const sampler = prop(o, 'sampler');
    if (sampler) details.sampler = sampler.label?.replace(/^new |\(\)$/g, '') ?? 'custom';
    const instr = prop(o, 'instrumentations');
    if (instr) {
      const names = instrumentationNames(instr);
      if (names.length) details.instrumentations = names;
    }
  } else if (/Sampler$/.test(cls)) {
    const ratio = node.args[0]?.num;
    details.sampler = ratio !== undefined ? `${cls}(${ratio})` : cls;
  } else if (/SpanProcessor$/.test(cls)) {
    details.spanProcessors = [cls];
  } else if (cls === 'Resource' || cls === 'MeterProvider') {
    if (cls === 'MeterProvider')
      c.add('observability:metrics:opentelemetry', 'metrics', 'OpenTelemetry metrics export', ev(s, node), { tech: 'opentelemetry', ...comp });
    return;
  } else return;
  c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(s, node), { tech: 'opentelemetry', ...comp, details });
}

function tracingCall(s: FileScope, call: Call): void {
  const { c, comp } = s;
  const { module, named, args } = call;
  if (module === undefined) return;
  const otel = (details: Details) =>
    c.add('observability:tracing:opentelemetry', 'tracing', 'OpenTelemetry', ev(s, call), { tech: 'opentelemetry', ...comp, details });
  if (/^dd-trace/.test(module) && named === 'init') {
    const o = args[0];
    const details: Details = {};
    const service = prop(o, 'service');
    const svc = service?.str ?? (service?.env ? `from ${service.env}` : undefined);
    if (svc) details.serviceName = svc;
    for (const k of ['logInjection', 'runtimeMetrics', 'profiling']) {
      const v = prop(o, k)?.bool;
      if (v !== undefined) details[k] = v;
    }
    const rate = prop(o, 'sampleRate')?.num;
    if (rate !== undefined) details.sampleRate = rate;
    c.add('observability:tracing:datadog', 'tracing', 'Datadog APM (dd-trace)', ev(s, call), { tech: 'datadog', ...comp, details });
  }
  if (/^elastic-apm-node/.test(module) && named === 'start') {
    const o = args[0];
    const details: Details = {};
    const svc = prop(o, 'serviceName')?.str;
    if (svc) details.serviceName = svc;
    const url = prop(o, 'serverUrl')?.env;
    if (url) details.serverUrlEnv = url;
    const tok = prop(o, 'secretToken')?.env ?? prop(o, 'apiKey')?.env;
    if (tok) details.tokenEnv = tok;
    c.add('observability:tracing:elastic-apm', 'tracing', 'Elastic APM', ev(s, call), { tech: 'elastic-apm', ...comp, details });
  }
  if (module === '@opentelemetry/auto-instrumentations-node' && named === 'getNodeAutoInstrumentations')
    otel({ instrumentations: ['auto-instrumentations-node'] });
  if (module === '@opentelemetry/instrumentation' && named === 'registerInstrumentations') {
    const instr = prop(args[0], 'instrumentations');
    const names = instr ? instrumentationNames(instr) : [];
    otel(names.length ? { instrumentations: names } : {});
  }
  if (module === '@vercel/otel' && named === 'registerOTel') {
    const svc = prop(args[0], 'serviceName')?.str ?? args[0]?.str;
    otel({ sdk: '@vercel/otel', ...(svc ? { serviceName: svc } : {}) });
  }
}

export const tracing: Rules = {
  onImport(s, m, at) {
    for (const t of TRACERS) if (t.test.test(m)) s.c.add(idOf.observability('tracing', t.key), 'tracing', t.name, at, { tech: t.key, ...s.comp });
    // Continuous profilers sit with the APM agents they feed (the model has no profiling category).
    const profiler = PROFILERS[m];
    if (profiler) s.c.add(idOf.observability('profiling', m), 'tracing', `Continuous profiling with ${profiler}`, at, { tech: m, ...s.comp });
  },
  onCall: tracingCall,
  onNew(s, call) {
    if (call.module?.startsWith('@opentelemetry/')) otelPiece(s, call.module, call.named, call);
  },
};
