import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'api', version: '1.0.0', type: 'module', dependencies: deps });
const routes = (m: Model) =>
  m.endpoints
    .filter((e) => e.protocol === 'http')
    .map((e) => `${e.name} ${e.auth?.required ? e.auth.mechanisms.join('+') : 'public'}`)
    .sort();
const warnings = (m: Model) => m.warnings.filter((w) => w.analyzer === 'endpoints').map((w) => `${w.file}:${w.line} ${w.message}`);

describe('endpoints: route helpers called with a configuration (route-factories)', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('route-factories');
  });

  it('reads a Hono helper once per call, with the call’s configuration, through a full helper that forwards it to a read-only one', () => {
    const hono = m.endpoints.filter((e) => e.details?.framework === 'hono').map((e) => e.name);
    expect(hono.sort()).toEqual([
      'DELETE /api/v1/shops/:shopId/categories/:entityId',
      'DELETE /api/v1/shops/:shopId/products/:entityId',
      'GET /api/v1/health',
      'GET /api/v1/shops/:shopId',
      'GET /api/v1/shops/:shopId/categories',
      'GET /api/v1/shops/:shopId/categories/:entityId',
      'GET /api/v1/shops/:shopId/products',
      'GET /api/v1/shops/:shopId/products/:entityId',
      // Reviews are registered by the read-only helper alone.
      'GET /api/v1/shops/:shopId/reviews',
      'GET /api/v1/shops/:shopId/reviews/:entityId',
      'GET /openapi.json',
      'PATCH /api/v1/shops/:shopId/categories/:entityId',
      'PATCH /api/v1/shops/:shopId/products/:entityId',
      'POST /api/v1/shops/:shopId/categories',
      'POST /api/v1/shops/:shopId/products',
    ]);
    const ep = (name: string) => m.endpoints.find((e) => e.name === name)!;
    // Evidence: the route's declaration, the call that read it (categories.ts:9) and the forwarding call (entity-routes.ts:48).
    expect(ep('GET /api/v1/shops/:shopId/categories').evidence.map((x) => `${x.file}:${x.line}`)).toEqual([
      'services/catalogue-api/src/app.ts:9',
      'services/catalogue-api/src/app.ts:10',
      'services/catalogue-api/src/routes/categories.ts:9',
      'services/catalogue-api/src/routes/entity-routes.ts:27',
      'services/catalogue-api/src/routes/entity-routes.ts:48',
      'services/catalogue-api/src/routes/index.ts:24',
    ]);
    expect(ep('POST /api/v1/shops/:shopId/products').auth).toEqual({ required: true, mechanisms: ['requireShopMember'] });
    expect(ep('GET /api/v1/shops/:shopId/reviews').auth?.required).toBe(false);
  });

  it('reads an Express crudRouter(router, { resource }) per call, a constant imported from another file included, and warns of no path', () => {
    const express = m.endpoints.filter((e) => e.details?.framework === 'express');
    expect(routes({ ...m, endpoints: express })).toEqual([
      'DELETE /api/suppliers/:id requireStaff',
      'DELETE /api/warehouses/:id requireStaff',
      'GET /api/status public',
      'GET /api/suppliers public',
      'GET /api/suppliers/:id public',
      'GET /api/warehouses public',
      'GET /api/warehouses/:id public',
      'POST /api/suppliers requireStaff',
      'POST /api/warehouses requireStaff',
      'PUT /api/suppliers/:id requireStaff',
      'PUT /api/warehouses/:id requireStaff',
    ]);
    expect(express.find((e) => e.name === 'GET /api/warehouses')!.evidence).toContainEqual({ file: 'services/back-office/src/routes/index.ts', line: 10 });
    expect(warnings(m).filter((w) => w.includes('could not be resolved'))).toEqual([]);
  });

  it('reads Fastify plugins registered with options, and Koa helpers given a prefixed router', async () => {
    const root = tempRepo('route-factories-fastify-koa', {
      'package.json': pkg({ fastify: '^4.28.0', 'fastify-plugin': '^4.5.1', koa: '^2.15.0', '@koa/router': '^12.0.1' }),
      'src/crud.ts': [
        "import fp from 'fastify-plugin';",
        'export interface CrudOptions { entity: string; idParam?: string }',
        'async function crud(fastify, opts: CrudOptions) {',
        '  fastify.get(`/${opts.entity}`, async () => []);',
        '  fastify.route({ method: "DELETE", url: `/${opts.entity}/:id`, handler: async () => ({}) });',
        '}',
        'export default fp(crud);',
      ].join('\n'),
      'src/server.ts': [
        "import Fastify from 'fastify';",
        "import crud from './crud';",
        'const app = Fastify();',
        "app.register(crud, { prefix: '/v2', entity: 'orders' });",
        "app.register(crud, { prefix: '/v2', entity: 'invoices' });",
        'app.listen({ port: 3000 });',
      ].join('\n'),
      'src/koa/resources.ts': [
        'export function resourceRoutes(router, { name, list, read }) {',
        '  router.get(`/${name}`, list);',
        '  router.get(`/${name}/:id`, read);',
        '}',
      ].join('\n'),
      'src/koa/app.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        "import { resourceRoutes } from './resources';",
        'const app = new Koa();',
        "const router = new Router({ prefix: '/admin' });",
        "resourceRoutes(router, { name: 'users', list: async (ctx) => { ctx.body = []; }, read: async (ctx) => { ctx.body = {}; } });",
        'app.use(router.routes());',
        'app.listen(4000);',
      ].join('\n'),
    });
    const names = (await analyseRepo(root)).endpoints.map((e) => e.name).sort();
    expect(names).toEqual([
      'DELETE /v2/invoices/:id',
      'DELETE /v2/orders/:id',
      'GET /admin/users',
      'GET /admin/users/:id',
      'GET /v2/invoices',
      'GET /v2/orders',
    ]);
  });

  it('reads a method and a path from the configuration, through a wrapper with no routes of its own and a callback', async () => {
    const root = tempRepo('route-factories-wrapper', {
      'package.json': pkg({ hono: '^4.6.0', '@hono/zod-openapi': '^0.18.3' }),
      'src/actions.ts': [
        "import { createRoute } from '@hono/zod-openapi';",
        'export const registerAction = (app, action) => {',
        '  app.openapi(createRoute({ method: action.verb, path: `/actions/${action.name}`, responses: {} }), (c) => c.json({}));',
        '};',
        '// A wrapper forwarding its own parameters: its routes are the helper’s, per call.',
        'export function registerActions(app, actions) {',
        '  const registerPrimary = () => registerAction(app, actions.primary);',
        '  registerPrimary();',
        '}',
      ].join('\n'),
      'src/app.ts': [
        "import { OpenAPIHono } from '@hono/zod-openapi';",
        "import { registerActions } from './actions';",
        'const app = new OpenAPIHono();',
        "registerActions(app, { primary: { verb: 'post', name: 'publish' } });",
        "registerActions(app, { primary: { verb: 'put', name: 'archive' } });",
        'export default app;',
      ].join('\n'),
    });
    expect((await analyseRepo(root)).endpoints.map((e) => e.name).sort()).toEqual(['POST /actions/publish', 'PUT /actions/archive']);
  });

  it('reads a mount prefix that reads a parameter (Hono route(), Express use()) per call', async () => {
    const root = tempRepo('route-factories-mounts', {
      'package.json': pkg({ hono: '^4.6.0', express: '^4.21.0' }),
      'src/versions.ts': [
        "import { Hono } from 'hono';",
        'export function mountVersion(app: Hono, { version }: { version: string }) {',
        '  const v = new Hono();',
        "  v.get('/status', (c) => c.text(version));",
        '  app.route(`/api/${version}`, v);',
        '}',
      ].join('\n'),
      'src/server.ts': [
        "import { Hono } from 'hono';",
        "import { mountVersion } from './versions';",
        'const app = new Hono();',
        "mountVersion(app, { version: 'v1' });",
        "mountVersion(app, { version: 'v2' });",
        'export default app;',
      ].join('\n'),
      'src/admin/audit.ts': ["import { Router } from 'express';", 'export const audit = Router();', "audit.get('/log', (req, res) => res.json([]));"].join(
        '\n',
      ),
      'src/admin/app.ts': [
        "import express from 'express';",
        "import { audit } from './audit';",
        'function mountAudit(router, area) {',
        '  router.use(`/${area}/audit`, audit);',
        '}',
        'const app = express();',
        "mountAudit(app, 'billing');",
        'app.listen(3000);',
      ].join('\n'),
    });
    expect((await analyseRepo(root)).endpoints.map((e) => e.name).sort()).toEqual(['GET /api/v1/status', 'GET /api/v2/status', 'GET /billing/audit/log']);
  });

  it('keeps a path it cannot read in braces with its warning, stops a recursive helper four calls deep, and caps instances per helper', async () => {
    const calls = Array.from({ length: 203 }, (_, i) => `crud(router, { resource: 'r${i}' });`);
    const root = tempRepo('route-factories-bounds', {
      'package.json': pkg({ express: '^4.21.0' }),
      'src/crud.ts': 'export function crud(router, { resource }) {\n  router.get(`/${resource}`, (req, res) => res.json([]));\n}\n',
      'src/lookup.ts': 'export function lookup(router, cfg) {\n  router.get(cfg.path, (req, res) => res.json({}));\n}\n',
      'src/many.ts': [
        "import { Router } from 'express';",
        "import { crud } from './crud';",
        'export const many = Router();',
        'const router = many;',
        ...calls,
      ].join('\n'),
      'src/tree.ts': [
        'export function level(router, depth) {',
        '  router.get(`/level/${depth}`, (req, res) => res.json({ depth }));',
        '  level(router, depth + 1);',
        '}',
      ].join('\n'),
      'src/app.ts': [
        "import express from 'express';",
        "import { lookup } from './lookup';",
        "import { many } from './many';",
        "import { level } from './tree';",
        'const app = express();',
        'lookup(app, loadResource());',
        "level(app, 'root');",
        "app.use('/many', many);",
        'app.listen(3000);',
      ].join('\n'),
    });
    const m2 = await analyseRepo(root);
    const names = m2.endpoints.map((e) => e.name);
    expect(names.filter((n) => /^GET \/many\/r\d+$/.test(n))).toHaveLength(200);
    expect(names).toContain('GET /many/r199');
    expect(names).not.toContain('GET /many/r200');
    expect(names).toContain('GET /level/root');
    // `depth + 1` is not a string: the deeper levels stay unresolved, and the recursion ends.
    expect(names.filter((n) => n.includes('level')).sort()).toEqual(['GET /level/root', 'GET /{`/level/${depth}`}']);
    const w = warnings(m2);
    expect(w).toContain("src/many.ts:205 crud is called with a router more than 200 times; from here on its routes are read without the call's arguments");
    expect(w.some((x) => x.startsWith('src/tree.ts:3 routes of level are forwarded more than 4 calls deep'))).toBe(true);
    expect(w).toContain('src/lookup.ts:2 route path `cfg.path` could not be resolved statically; shown in braces');
  });
});
