import { afterAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'api', version: '1.0.0', type: 'module', dependencies: deps });
const routes = (m: Model) =>
  m.endpoints
    .filter((e) => e.protocol === 'http')
    .map((e) => `${e.name} ${e.details?.framework} ${e.auth?.required ? e.auth.mechanisms.join('+') : 'public'}`)
    .sort();

describe('endpoints: Fastify as real code writes it', () => {
  it('reads autoload folders (index files, _param folders, autoPrefix), route objects, nested prefixed plugins and auth preHandlers', async () => {
    const m = await analyseFixture('fastify-parcels');
    expect(routes(m)).toEqual([
      'GET /api/depots fastify public',
      'GET /api/parcels fastify fastify.authenticate',
      'GET /api/parcels/:parcelId fastify fastify.authenticate',
      'GET /api/parcels/:parcelId/events fastify public',
      'GET /api/track/:code fastify public',
      // A plugin folder loaded by autoload, fp()-wrapped: no prefix.
      'GET /healthz fastify public',
      // onRequest hook added in the plugin scope that registers /admin under /internal.
      'GET /internal/admin/stats fastify fastify.authenticate',
      'HEAD /api/depots fastify public',
      'PATCH /api/parcels/:parcelId fastify @fastify/auth (authenticate and requireAdmin)',
      'POST /api/parcels fastify fastify.authenticate',
      'POST /webhooks/carrier fastify public',
      'PUT /api/depots/:depotId fastify @fastify/auth (authenticate and requireAdmin)',
    ]);
    // _parcelId/label.ts sits beside an index.ts: autoload does not load it.
    expect(m.endpoints.some((e) => e.path.endsWith('/label'))).toBe(false);
  });

  it('follows an app built by a factory and chained through decorate/withTypeProvider to its autoload, with @fastify/auth optional checks', async () => {
    const root = tempRepo('fastify-chain', {
      'package.json': pkg({ fastify: '^4.28.0', '@fastify/autoload': '^5.10.0', '@fastify/auth': '^4.6.0' }),
      'src/app.ts': [
        "import auth from '@fastify/auth';",
        "import autoload from '@fastify/autoload';",
        "import Fastify from 'fastify';",
        "import { dirname, join } from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        'function createApp() {',
        "  if (process.env.NODE_ENV === 'development') return Fastify({ logger: true });",
        '  return Fastify({ logger: false });',
        '}',
        'const app = createApp()',
        '  .withTypeProvider()',
        '  .setErrorHandler((error, _req, reply) => reply.send(error))',
        "  .decorate('allowAnonymous', (req, _reply, done) => done())",
        "  .decorate('allowCredentials', (req, _reply, done) => done())",
        '  .register(auth)',
        "  .register(autoload, { dir: join(dirname(fileURLToPath(import.meta.url)), 'routes') })",
        "  .register(autoload, { dir: join(dirname(fileURLToPath(import.meta.url)), 'flat'), dirNameRoutePrefix: false });",
        'export default app;',
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'src/routes/api/articles.ts': [
        'export default async function (app) {',
        '  app.route({',
        "    method: 'GET',",
        "    url: '/articles',",
        '    preHandler: app.auth([app.allowAnonymous, app.allowCredentials]),',
        '    async handler() { return []; },',
        '  });',
        "  app.route({ method: 'POST', url: '/articles', preHandler: app.auth([app.allowCredentials]), handler: async () => ({}) });",
        '}',
      ].join('\n'),
      'src/flat/v1/status.ts': "export default async function (app) { app.get('/status', async () => ({ ok: true })); }\n",
      'src/flat/v1/legacy.ts': [
        "export const prefixOverride = '/legacy';",
        "export default async function (app) { app.get('/ping', async () => 'pong'); }",
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(routes(m)).toEqual([
      // allowAnonymous or allowCredentials: anonymous requests pass.
      'GET /api/articles fastify public',
      'GET /legacy/ping fastify public',
      'GET /status fastify public',
      'POST /api/articles fastify @fastify/auth (allowCredentials)',
    ]);
    expect(m.endpoints.find((e) => e.name === 'GET /api/articles')?.auth).toEqual({
      required: false,
      mechanisms: ['@fastify/auth (optional: allowAnonymous or allowCredentials)'],
    });
  });

  it('applies autohooks to their folder and below (cascadeHooks), except the paths a hook returns early for', async () => {
    const root = tempRepo('fastify-autohooks', {
      'package.json': pkg({ fastify: '^5.0.0', '@fastify/autoload': '^6.0.0' }),
      'src/server.ts': [
        "import AutoLoad from '@fastify/autoload';",
        "import Fastify from 'fastify';",
        "import path from 'node:path';",
        'const app = Fastify();',
        "app.register(AutoLoad, { dir: path.join(import.meta.dirname, 'routes'), autoHooks: true, cascadeHooks: true });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'src/routes/home.ts': "export default async function (app) { app.get('/', async () => 'home'); }\n",
      'src/routes/api/autohooks.ts': [
        'export default async function (app) {',
        "  app.addHook('onRequest', async (request, reply) => {",
        "    if (request.url.startsWith('/api/session')) {",
        '      return;',
        '    }',
        "    if (!request.session.user) reply.unauthorized('Log in first');",
        '  });',
        '}',
      ].join('\n'),
      'src/routes/api/session/index.ts': "export default async function (app) { app.post('/', async () => ({})); }\n",
      'src/routes/api/orders/index.ts': "export default async function (app) { app.get('/', async () => []); }\n",
    });
    const m = await analyseRepo(root);
    expect(routes(m)).toEqual(['GET / fastify public', 'GET /api/orders fastify inline check', 'POST /api/session fastify public']);
  });

  it("reads the getting-started form require('fastify')(opts) and plugins registered through require(), fp()-wrapped ones keeping the prefix", async () => {
    const root = tempRepo('fastify-cjs', {
      'package.json': JSON.stringify({ name: 'cjs-api', version: '1.0.0', dependencies: { fastify: '^4.28.0', 'fastify-plugin': '^4.5.0' } }),
      'server.js': [
        "const fastify = require('fastify')({ logger: true })",
        "fastify.register(require('./routes/users'), { prefix: '/v1/users' })",
        'fastify.register(async (api) => {',
        "  api.register(require('./routes/orders'), { prefix: '/orders' })",
        "  api.withTypeProvider().get('/ping', async () => 'pong')",
        "}, { prefix: '/api' })",
        'fastify.listen({ port: 3000 })',
      ].join('\n'),
      'routes/users.js': [
        'module.exports = async function (fastify) {',
        "  fastify.get('/', async () => [])",
        "  fastify.route({ method: ['POST', 'PUT'], url: '/:id', handler: async () => ({}) })",
        '}',
      ].join('\n'),
      'routes/orders.js': [
        "const fp = require('fastify-plugin')",
        "module.exports = fp(async (app) => { app.get('/:orderId', { onRequest: [app.authenticate] }, async () => ({})) })",
      ].join('\n'),
    });
    expect(routes(await analyseRepo(root))).toEqual([
      'GET /api/orders/:orderId fastify app.authenticate',
      'GET /api/ping fastify public',
      'GET /v1/users fastify public',
      'POST /v1/users/:id fastify public',
      'PUT /v1/users/:id fastify public',
    ]);
  });
});
