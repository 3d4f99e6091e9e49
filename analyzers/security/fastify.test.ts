import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: deps });
const fact = (m: Model, id: string) => m.security.find((s) => s.id === id);

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(
    tempRepo('fastify-security', {
      'package.json': pkg({
        fastify: '^4.28.0',
        '@fastify/autoload': '^5.10.0',
        '@fastify/jwt': '^8.0.0',
        '@fastify/cors': '^9.0.0',
        '@fastify/helmet': '^11.0.0',
        '@fastify/rate-limit': '^9.0.0',
        '@fastify/type-provider-typebox': '^4.0.0',
        'fastify-guard': '^2.0.0',
        'fastify-plugin': '^4.5.0',
        jose: '^5.0.0',
      }),
      'app.js': [
        "const path = require('path')",
        "const autoload = require('@fastify/autoload')",
        "const app = require('fastify')({ logger: true })",
        "app.register(autoload, { dir: path.join(__dirname, 'plugins') })",
        "app.register(autoload, { dir: path.join(__dirname, 'routes') })",
        'app.listen({ port: 4000 })',
      ].join('\n'),
      // Plugins registered through require() written in place, inside fp() wrappers.
      'plugins/jwt.js': [
        "const fp = require('fastify-plugin')",
        'module.exports = fp(async (app) => {',
        "  app.register(require('@fastify/jwt'), { secret: process.env.JWT_SECRET, sign: { expiresIn: '2h' } })",
        '})',
      ].join('\n'),
      'plugins/cors.js': [
        "const fp = require('fastify-plugin')",
        "module.exports = fp(async (app) => { app.register(require('@fastify/cors'), { origin: '*' }) })",
      ].join('\n'),
      'plugins/limits.js': [
        "const fp = require('fastify-plugin')",
        "module.exports = fp(async (app) => { app.register(require('@fastify/rate-limit'), { max: 100, timeWindow: '10m' }) })",
      ].join('\n'),
      'plugins/guard.js': [
        "const fp = require('fastify-plugin')",
        "module.exports = fp(async (app) => { app.register(require('fastify-guard'), { errorHandler: (r, req, reply) => reply.code(403).send() }) })",
      ].join('\n'),
      'plugins/roles.js': [
        "const fp = require('fastify-plugin')",
        'module.exports = fp(async (app) => {',
        "  app.decorateRequest('isAdmin', function (reply) { if (!this.user.roles.includes('admin')) reply.code(403).send() })",
        '})',
      ].join('\n'),
      // An autoload plugin file that is the package itself, configured by autoConfig.
      'plugins/helmet.ts': ["import helmet from '@fastify/helmet'", 'export const autoConfig = { contentSecurityPolicy: false }', 'export default helmet'].join(
        '\n',
      ),
      // jose's own jwtVerify is no @fastify/jwt use.
      'lib/tokens.ts': ["import * as jose from 'jose'", 'export const check = (t: string, k: Uint8Array) => jose.jwtVerify(t, k)'].join('\n'),
      'routes/users/index.js': [
        'module.exports = async (app) => {',
        '  app.route({',
        "    method: 'POST',",
        "    url: '/',",
        "    schema: { body: { type: 'object', required: ['name'] } },",
        '    handler: async (request) => request.body,',
        '  })',
        "  app.delete('/:id', { preHandler: [app.guard.role('admin')] }, async () => true)",
        "  app.get('/me', async (request) => { await request.jwtVerify(); return request.user })",
        '}',
      ].join('\n'),
    }),
  );
});

describe('security: Fastify plugins', () => {
  it('reads @fastify/jwt registered through require() inside fp(), with request.jwtVerify()', () => {
    expect(fact(m, 'security:jwt:@fastify/jwt')?.details).toEqual({
      expiresIn: ['2h'],
      operations: ['verify'],
      secretSources: ['environment variable JWT_SECRET'],
    });
    expect(fact(m, 'security:jwt:@fastify/jwt')?.evidence.map((e) => e.file)).toEqual(['plugins/jwt.js', 'routes/users/index.js']);
  });

  it('reads CORS, rate limits and helmet whether registered in place or as autoload plugin files', () => {
    expect(fact(m, 'security:cors:plugins/cors.js')?.details).toMatchObject({ origins: ['*'] });
    expect(fact(m, 'security:rate-limit:@fastify/rate-limit')?.details).toEqual({ limits: ['100 requests per 10m'] });
    expect(fact(m, 'security:helmet')).toMatchObject({ tech: '@fastify/helmet', details: { contentSecurityPolicy: 'disabled' } });
    // The limiter is global: no "authentication routes without a rate limit" finding.
    expect(m.security.some((s) => s.id.startsWith('security:finding:auth-routes-without-rate-limit'))).toBe(false);
  });

  it('reads fastify-guard roles, role checks decorated on the request and route JSON schemas', () => {
    expect(fact(m, 'security:rbac:fastify-guard')).toMatchObject({ category: 'authorisation', details: { roles: ['admin'] } });
    expect(fact(m, 'security:rbac:plugins/roles.js')).toMatchObject({ category: 'authorisation', details: { middleware: ['isAdmin'] } });
    expect(fact(m, 'security:validation:fastify-schema')).toMatchObject({ category: 'validation', tech: 'Fastify JSON schema' });
  });

  it("reads Fastify's own pino logger as logging", () => {
    expect(m.observability.find((o) => o.id === 'observability:logging:pino')).toMatchObject({ tech: 'pino', details: { integration: 'fastify' } });
  });
});
