/**
 * Fastify's own observability: the pino logger Fastify builds from its `logger` option
 * (`Fastify({ logger: true })`, `fastify({ logger: { level, transport } })`), and the plugins
 * @fastify/under-pressure (load shedding with an optional health check) and fastify-metrics.
 */
import { prop } from '../../src/analysis/sites.js';
import type { Rules } from './collector.js';
import { pinoConfig } from './logging.js';
import { idOf } from '../../src/model/ids.js';

export const fastify: Rules = {
  onImport(s, m, at) {
    if (m === '@fastify/under-pressure' || m === 'under-pressure')
      s.c.add(idOf.observability('health-library', '@fastify/under-pressure'), 'health', 'Load shedding and health checks with @fastify/under-pressure', at, {
        tech: '@fastify/under-pressure',
        ...s.comp,
      });
    if (m === 'fastify-metrics')
      s.c.add(idOf.observability('metrics-library', m), 'metrics', 'Prometheus metrics with fastify-metrics', at, { tech: m, ...s.comp });
  },
  onCall(s, call) {
    // Fastify({ logger }), fastify({ logger }), require('fastify')({ logger }): the instance logs with pino unless the option is absent or false.
    if (call.module !== 'fastify' || !(call.bare || call.name === '' || call.named === 'fastify' || call.named === 'Fastify')) return;
    const logger = prop(call.args[0], 'logger');
    if (!logger || logger.bool === false) return;
    pinoConfig(s, logger.obj ? logger : undefined, call, 'fastify');
  },
};
