import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { roleInName } from './auth.js';

const pkg = JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { hono: '^4.6.0' } });

describe('endpoints: Hono as real code writes it (hono-bun-library)', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('hono-bun-library');
  });
  const ep = (name: string) => m.endpoints.find((e) => e.name === name);

  it('applies the /api mount made inside a setup function to every controller below it, through function parameters', () => {
    expect(m.endpoints.map((e) => e.name).sort()).toEqual([
      'ALL /webhooks/payments',
      'DELETE /api/books/:id',
      'GET /api/admin/loans/overdue',
      'GET /api/books',
      'GET /api/books/:id',
      'GET /api/members/:id',
      'GET /api/v2/openapi.json',
      'GET /api/v2/stats/loans/:day',
      'GET /health',
      'GET /internal/metrics',
      'GET /version',
      'HEAD /version',
      'PATCH /api/members/:id',
      'POST /api/admin/members/:id/suspend',
      'POST /api/books',
    ]);
    // The factory's chained route and every mount on the way are evidence.
    expect(ep('DELETE /api/books/:id')!.evidence).toEqual([
      { file: 'src/modules/books/books.controller.ts', line: 13 },
      { file: 'src/router/index.ts', line: 9 },
      { file: 'src/router/index.ts', line: 14 },
      { file: 'src/server/app.ts', line: 10 },
    ]);
  });

  it('gives per-route, per-sub-app and package middleware as auth, with the role a middleware is named after', () => {
    expect(ep('POST /api/books')!.auth).toEqual({ required: true, mechanisms: ['requireAuth (JWT (hono))'] });
    expect(ep('GET /api/books')!.auth?.required).toBe(false);
    expect(ep('PATCH /api/members/:id')!.auth?.required).toBe(true);
    const overdue = ep('GET /api/admin/loans/overdue')!;
    expect(overdue.auth).toEqual({ required: true, mechanisms: ['adminOnly', 'requireAuth (JWT (hono))'] });
    expect(overdue.details?.roles).toEqual(['admin']);
    expect(ep('GET /internal/metrics')!.auth).toEqual({ required: true, mechanisms: ['bearer token'] });
  });
});

describe('endpoints: Hono shapes', () => {
  afterEach(removeTemps);

  it('follows a mount chain longer than the reference depth, and a factory returning a long route chain', async () => {
    const routes = Array.from({ length: 14 }, (_, i) => `    .get('/r${i}', (c) => c.text('${i}'))`).join('\n');
    const mounts = Array.from({ length: 14 }, (_, i) => `    .route('/m${i}', makeRoutes())`).join('\n');
    const root = tempRepo('hono-chain', {
      'package.json': pkg,
      'src/routes.ts': `import { Hono } from 'hono';\nexport const makeRoutes = () =>\n  new Hono()\n${routes};\n`,
      'src/app.ts': `import { Hono } from 'hono';\nimport { makeRoutes } from './routes';\nexport function mount(app: Hono) {\n  const api = new Hono()\n${mounts};\n  app.route('/api', api);\n}\nconst app = new Hono();\nmount(app);\nexport default app;\n`,
    });
    const names = (await analyseRepo(root)).endpoints.map((e) => e.name);
    expect(names).toContain('GET /api/m13/r13');
    expect(names).toContain('GET /api/m0/r0');
    expect(names.every((n) => n.startsWith('GET /api/m'))).toBe(true);
    expect(names).toHaveLength(14 * 14);
  });

  it('keeps a basePath with the clone when another app mounts it, and serves it from the parent otherwise', async () => {
    const root = tempRepo('hono-basepath', {
      'package.json': pkg,
      'src/jobs.ts': `import { Hono } from 'hono';\nexport const jobs = new Hono();\njobs.get('/:id', (c) => c.json({}));\n`,
      'src/app.ts': `import { Hono } from 'hono';\nimport { jobs } from './jobs';\nconst api = new Hono().basePath('/api/v1');\napi.route('/jobs', jobs);\nconst app = new Hono();\napp.route('/', api);\nconst edge = new Hono().basePath('/edge');\nedge.get('/ping', (c) => c.text('pong'));\nexport default app;\nexport { edge };\n`,
    });
    expect((await analyseRepo(root)).endpoints.map((e) => e.name).sort()).toEqual(['GET /api/v1/jobs/:id', 'GET /edge/ping']);
  });

  it('reads a role from a middleware named after it, and none from a plain authentication middleware', () => {
    expect(roleInName('superAdminMiddleware')).toEqual(['super-admin']);
    expect(roleInName('requireAdmin')).toEqual(['admin']);
    expect(roleInName('adminOnly')).toEqual(['admin']);
    expect(roleInName('isOwner')).toEqual(['owner']);
    expect(roleInName('authMiddleware')).toEqual([]);
    expect(roleInName('requireAuth')).toEqual([]);
  });
});
