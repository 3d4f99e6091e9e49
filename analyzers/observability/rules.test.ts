/**
 * Rules of the observability analyzer that no fixture exercises, one describe per rule file, each
 * on a small repository run through the real pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model, ObservabilityFact } from '../../src/model/schema.js';

afterAll(removeTemps);

const byId = (m: Model, id: string): ObservabilityFact | undefined => m.observability.find((o) => o.id === id);

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(
    tempRepo('observability-rules', {
      'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { express: '^4.19.2' } }),
      'src/errors.ts': [
        "import Bugsnag from '@bugsnag/js';",
        "import Rollbar from 'rollbar';",
        'Bugsnag.start(process.env.BUGSNAG_API_KEY);',
        "export const rollbar = new Rollbar({ accessToken: 'abcdef0123456789', environment: process.env.NODE_ENV });",
        '',
      ].join('\n'),
      'src/tracing.ts': [
        "import apm from 'elastic-apm-node';",
        "import { registerOTel } from '@vercel/otel';",
        "apm.start({ serviceName: 'orders', serverUrl: process.env.ELASTIC_APM_SERVER_URL, secretToken: process.env.ELASTIC_APM_TOKEN });",
        "registerOTel('orders-web');",
        '',
      ].join('\n'),
      'src/metrics.ts': [
        "import StatsD from 'hot-shots';",
        "export const statsd = new StatsD({ prefix: 'orders.', host: process.env.STATSD_HOST });",
        "statsd.increment('orders.created', 1, ['region:eu', 'tier:gold']);",
        '',
      ].join('\n'),
      'src/logging.ts': [
        "import bunyan from 'bunyan';",
        "import morgan from 'morgan';",
        "export const log = bunyan.createLogger({ name: 'orders', level: process.env.LOG_LEVEL || 'info' });",
        "export const access = morgan('combined');",
        '',
      ].join('\n'),
      'src/health.ts': [
        "import http from 'node:http';",
        "import { createTerminus } from '@godaddy/terminus';",
        'const server = http.createServer();',
        "createTerminus(server, { healthChecks: { '/healthcheck': async () => true, verbatim: true } });",
        '',
      ].join('\n'),
    }),
  );
});

describe('errors.ts', () => {
  it('reads error-tracker keys by variable name, and reports a literal key without its value', () => {
    expect(byId(m, 'observability:errors:bugsnag')?.details).toMatchObject({ apiKeyEnv: 'BUGSNAG_API_KEY' });
    expect(byId(m, 'observability:errors:rollbar')?.details).toMatchObject({ accessTokenSource: 'string literal in source', environment: 'from NODE_ENV' });
    const finding = m.security.find((s) => s.id === 'security:finding:rollbar-key-literal:src/errors.ts');
    expect(finding).toMatchObject({ severity: 'low', name: 'Rollbar accessToken written in source' });
    expect(JSON.stringify(m)).not.toContain('abcdef0123456789');
  });
});

describe('tracing.ts', () => {
  it('reads Elastic APM options by variable name and the @vercel/otel service name', () => {
    expect(byId(m, 'observability:tracing:elastic-apm')?.details).toEqual({
      serviceName: 'orders',
      serverUrlEnv: 'ELASTIC_APM_SERVER_URL',
      tokenEnv: 'ELASTIC_APM_TOKEN',
    });
    expect(byId(m, 'observability:tracing:opentelemetry')?.details).toMatchObject({ sdk: '@vercel/otel', serviceName: 'orders-web' });
  });
});

describe('metrics.ts', () => {
  it('reads the StatsD client and a metric name with its tag keys as labels', () => {
    expect(byId(m, 'observability:metrics:statsd')?.details).toEqual({ prefix: 'orders.', hostEnv: 'STATSD_HOST' });
    expect(byId(m, 'observability:metric:orders.created')?.details).toEqual({ type: 'counter', library: 'StatsD', labels: ['region', 'tier'] });
  });
});

describe('logging.ts', () => {
  it('reads bunyan (JSON, level from the environment with its default) and morgan', () => {
    expect(byId(m, 'observability:logging:bunyan')?.details).toEqual({ format: 'JSON', level: 'from LOG_LEVEL (default info)', loggerName: 'orders' });
    expect(byId(m, 'observability:logging:morgan')?.evidence).toEqual([{ file: 'src/logging.ts', line: 2 }]);
  });
});

describe('health.ts', () => {
  it('takes @godaddy/terminus health checks as health facts directly, only path-shaped keys', () => {
    expect(byId(m, 'observability:health:/healthcheck')).toMatchObject({ tech: '@godaddy/terminus', details: { path: '/healthcheck', kind: 'health' } });
    expect(m.observability.filter((o) => o.category === 'health' && o.id.startsWith('observability:health:')).map((o) => o.id)).toEqual([
      'observability:health:/healthcheck',
    ]);
  });
});
