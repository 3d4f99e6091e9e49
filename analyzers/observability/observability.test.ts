import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import { isHealthRoute, linkHealthRoutes, type HealthRoute } from './index.js';
import type { Model, ObservabilityFact } from '../../src/model/schema.js';

const byId = (m: Model, id: string): ObservabilityFact | undefined => m.observability.find((o) => o.id === id);
const ids = (m: Model, category: string) => m.observability.filter((o) => o.category === category).map((o) => o.id);

describe('observability analyzer on secure-observable-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('secure-observable-api');
  });

  it('reads prom-client metric definitions with type, labels and buckets', () => {
    expect(byId(m, 'observability:metric:http_request_duration_seconds')?.details).toMatchObject({
      type: 'histogram',
      labels: ['method', 'route', 'status_code'],
      buckets: '0.05, 0.1, 0.25, 0.5, 1, 2.5',
      library: 'prom-client',
    });
    expect(byId(m, 'observability:metric:payments_processed_total')?.details?.type).toBe('counter');
    expect(byId(m, 'observability:metric:payments.refunds')?.details).toMatchObject({ type: 'counter', library: 'OpenTelemetry', unit: '{refund}' });
    expect(byId(m, 'observability:metrics-endpoint:/metrics')?.evidence).toEqual([{ file: 'src/observability/metrics.ts', line: 36 }]);
  });

  it('reads the OpenTelemetry SDK set-up and the collector pipelines', () => {
    expect(byId(m, 'observability:tracing:opentelemetry')?.details).toMatchObject({
      sdk: 'NodeSDK',
      serviceName: 'payments-gateway',
      exporters: ['OTLPTraceExporter'],
      instrumentations: ['auto-instrumentations-node'],
      exporterEndpointEnv: ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    });
    expect(byId(m, 'observability:collector:ops/otel-collector.yaml#traces')?.details?.flow).toBe('otlp → memory_limiter → batch → otlp/tempo');
  });

  it('names the Sentry DSN variable, never a value', () => {
    expect(byId(m, 'observability:errors:sentry')?.details).toMatchObject({ dsnEnv: 'SENTRY_DSN', tracesSampleRate: 0.1 });
  });

  it('reads pino level, JSON format and redaction paths', () => {
    expect(byId(m, 'observability:logging:pino')?.details).toMatchObject({
      level: 'from LOG_LEVEL (default info)',
      format: 'JSON',
      redact: ['*.cardNumber', '*.password', 'req.headers.authorization', 'req.headers.cookie'],
    });
  });

  it('reads Grafana-provisioned alert rules: the query, the threshold step, for and severity', () => {
    const a = byId(m, 'observability:alert:PaymentsGatewayP99Latency');
    expect(a?.tech).toBe('grafana');
    expect(a?.details).toMatchObject({
      source: 'Grafana alert rule',
      group: 'payments-gateway',
      threshold: '> 1.5',
      for: '10m',
      severity: 'critical',
      targetKind: 'latency',
      target: 'p99 latency alert when > 1.5',
    });
    expect(String(a?.details?.expr)).toMatch(/^histogram_quantile\(0\.99, /);
    expect(a?.evidence).toEqual([{ file: 'ops/grafana/alerting/payments-rules.yaml', line: 9 }]);
  });

  it('reads alert rules with expression, duration and severity, and Alertmanager routes', () => {
    const a = byId(m, 'observability:alert:PaymentsHighErrorRate');
    expect(a?.details).toMatchObject({ for: '5m', severity: 'critical', threshold: '> 0.02', targetKind: 'error-rate' });
    expect(a?.evidence).toEqual([{ file: 'ops/prometheus/alerts.yml', line: 4 }]);
    expect(byId(m, 'observability:alert:PaymentsSlowResponses')?.details).toMatchObject({ severity: 'warning', targetKind: 'latency' });
    expect(byId(m, 'observability:alertmanager:ops/alertmanager.yml')?.details?.routes).toEqual([
      'default → team-email',
      'severity="critical" → payments-oncall',
      'severity="warning" → payments-slack',
    ]);
  });

  it('finds health endpoints, probes and the Docker HEALTHCHECK', () => {
    expect(ids(m, 'health')).toEqual([
      'observability:health:/health',
      'observability:health:/ready',
      'observability:healthcheck:Dockerfile',
      'observability:probe:Deployment/payments-gateway/api/livenessProbe',
      'observability:probe:Deployment/payments-gateway/api/readinessProbe',
    ]);
    expect(byId(m, 'observability:health:/ready')?.details?.kind).toBe('readiness');
  });

  it('turns SLOs and load-test thresholds into targets', () => {
    expect(byId(m, 'observability:slo:payments-availability')?.details).toMatchObject({ source: 'OpenSLO', target: 'Good responses: 99.9% over 28d' });
    expect(byId(m, 'observability:target:k6:tests/load/checkout.js#http_req_duration')?.details).toMatchObject({
      targetKind: 'latency',
      target: 'p95 < 400 ms; p99 < 1000 ms',
    });
    expect(byId(m, 'observability:target:k6:tests/load/checkout.js#http_reqs')?.details).toMatchObject({ targetKind: 'throughput', target: '> 50 requests/s' });
    expect(byId(m, 'observability:target:k6:tests/load/checkout.js#checks')?.details?.target).toBe('checks passing > 99%');
    expect(byId(m, 'observability:target:k6:tests/load/checkout.js#http_req_failed')?.details?.target).toBe('error rate < 1%');
  });

  it('reads the Grafana dashboard title and panels, rows included', () => {
    expect(byId(m, 'observability:dashboard:Payments gateway')?.details).toMatchObject({ panels: 3 });
  });
});

describe('observability analyzer on risky-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('risky-api');
  });

  it('says what is there and nothing more', () => {
    expect(byId(m, 'observability:logging:winston')?.details).toMatchObject({ level: 'debug', format: 'text', transports: ['Console', 'File'] });
    expect(ids(m, 'tracing')).toEqual([]);
    expect(ids(m, 'metrics')).toEqual([]);
    expect(byId(m, 'observability:log-retention:aws_cloudwatch_log_group.api')?.details).toEqual({ retentionDays: null });
    expect(byId(m, 'observability:alert:legacy-shop-api-5xx')?.details).toEqual({
      source: 'aws_cloudwatch_metric_alarm',
      expr: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count (Sum)',
      threshold: 'GreaterThanThreshold 10',
      for: '3 × 60 s',
    });
  });

  it('turns a broken rule file and a broken dashboard into warnings with lines, not a crash', () => {
    const w = m.warnings.filter((x) => x.analyzer === 'observability').map((x) => [x.file, x.line, x.message.split(':')[0]]);
    expect(w).toEqual([
      ['ops/alerts.yml', 11, 'invalid YAML'],
      ['ops/dashboard.json', 5, 'invalid JSON'],
    ]);
    expect(ids(m, 'dashboards')).toEqual([]);
  });

  it('reports a literal Sentry DSN as a finding without its value', () => {
    expect(byId(m, 'observability:errors:sentry')?.details).toMatchObject({ dsnSource: 'string literal in source' });
    expect(JSON.stringify(m)).not.toContain('ingest.sentry.io');
  });
});

describe('observability analyzer on nest-guarded-api', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('nest-guarded-api');
  });

  it('reads dd-trace, nestjs-pino, nestjs-prometheus and Terminus', () => {
    expect(byId(m, 'observability:tracing:datadog')?.details).toEqual({
      serviceName: 'orders-service',
      logInjection: true,
      runtimeMetrics: true,
      sampleRate: 0.5,
    });
    expect(byId(m, 'observability:logging:pino')?.details).toMatchObject({
      integration: 'nestjs-pino',
      level: 'info or debug',
      redact: ['req.headers.authorization'],
    });
    expect(byId(m, 'observability:metric:orders_created_total')?.details).toMatchObject({ type: 'counter', labels: ['channel'] });
    expect(byId(m, 'observability:metrics-endpoint:/metrics')).toBeDefined();
    expect(byId(m, 'observability:health-library:@nestjs/terminus')?.details?.checks).toEqual(['memory_heap', 'payments-api']);
    // Full paths as served (global prefix), from the endpoints; not the HTTP client call in payments.client.ts.
    expect(ids(m, 'health')).toEqual([
      'observability:health-library:@nestjs/terminus',
      'observability:health:/api/health/live',
      'observability:health:/api/health/ready',
    ]);
    expect(byId(m, 'observability:health:/api/health/ready')).toMatchObject({
      name: 'GET /api/health/ready',
      tech: '@nestjs/terminus',
      evidence: [{ file: 'src/health/health.controller.ts', line: 18 }],
    });
  });

  it('reads PrometheusRule resources, Sloth SLOs (templated queries included) and Artillery ensure', () => {
    expect(byId(m, 'observability:alert:OrdersServiceDown')?.details).toMatchObject({
      source: 'PrometheusRule',
      severity: 'critical',
      for: '2m',
      targetKind: 'availability',
    });
    expect(byId(m, 'observability:slo:orders-service-requests-availability')?.details).toMatchObject({ source: 'Sloth', targets: ['99.5%'] });
    expect(byId(m, 'observability:target:artillery:load/orders.artillery.yml#http.response_time.p95')?.details?.target).toBe('p95 < 250 ms');
  });
});

describe('observability analyzer on nextjs-auth-app', () => {
  it('reads @vercel/otel, Sentry for Next.js and a file-system health route', async () => {
    const m = await analyseFixture('nextjs-auth-app');
    expect(byId(m, 'observability:tracing:opentelemetry')?.details).toEqual({ sdk: '@vercel/otel', serviceName: 'customer-portal' });
    expect(byId(m, 'observability:errors:sentry')?.details).toMatchObject({ dsnEnv: 'NEXT_PUBLIC_SENTRY_DSN', tracesSampleRate: 0.05 });
    expect(byId(m, 'observability:health:/api/health')?.evidence).toEqual([{ file: 'app/api/health/route.ts', line: 1 }]);
    expect(ids(m, 'logging')).toEqual([]);
  });
});

describe('observability analyzer on aws-ecs-platform', () => {
  it('lists docker-compose healthchecks with Kubernetes probes and Dockerfile HEALTHCHECKs', async () => {
    const m = await analyseFixture('aws-ecs-platform');
    expect(byId(m, 'observability:healthcheck:docker-compose.yml#api')).toMatchObject({
      name: 'Compose healthcheck of api',
      category: 'health',
      evidence: [{ file: 'docker-compose.yml', line: 21 }],
      details: { check: 'HTTP request', path: '/health', interval: '10s', kind: 'container', service: 'api' },
    });
    // A command check: described, the command itself not copied.
    expect(byId(m, 'observability:healthcheck:docker-compose.yml#db')?.details).toEqual({ check: 'command', interval: '5s', kind: 'container', service: 'db' });
  });
});

describe('health routes in the link phase', () => {
  const route = (over: Partial<HealthRoute>): HealthRoute => ({
    method: 'GET',
    path: '/health',
    file: 'src/app.ts',
    from: 3,
    to: 5,
    mount: false,
    clientLike: false,
    ...over,
  });
  const empty = (): Model => ({ endpoints: [], observability: [] }) as unknown as Model;

  it('keeps a route read from code when no endpoint was found for its file, and drops HTTP client calls', () => {
    const m = empty();
    linkHealthRoutes(m, [route({}), route({ path: '/api/v1/health', file: 'web/api.service.ts', clientLike: true })]);
    expect(m.observability.map((f) => f.id)).toEqual(['observability:health:/health']);
  });

  it('tells health paths from resource status routes', () => {
    expect(isHealthRoute('/api/v1/health/data-provider/:dataSource')).toBe(true);
    expect(isHealthRoute('/orders/:id/status')).toBe(false);
  });
});
