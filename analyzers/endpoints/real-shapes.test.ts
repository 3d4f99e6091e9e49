import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

function http(model: Model): string[] {
  return model.endpoints
    .filter((e) => e.protocol === 'http')
    .map((e) => `${e.name} ${e.component ?? '-'}`)
    .sort();
}

describe('endpoints: shapes of real code', () => {
  it('gives a NestJS global prefix only to the application whose bootstrap sets it (sibling apps, no workspaces)', async () => {
    const model = await analyseFixture('nest-sibling-apps');
    const names = model.endpoints
      .filter((e) => e.protocol === 'http')
      .map((e) => e.name)
      .sort();
    expect(names).toEqual(['GET /api/health', 'GET /api/v1/orders/:id', 'GET /health', 'POST /api/v1/orders', 'POST /mail/send']);
    const notifierHealth = model.endpoints.find((e) => e.name === 'GET /health')!;
    expect(notifierHealth.details?.routeFile).toBe('notifier/src/health/health.controller.ts');
  });

  it('follows routers held in class fields, route tables walked by forEach, and leaves catch-all middleware out', async () => {
    const model = await analyseFixture('express-class-routers');
    expect(model.endpoints.map((e) => e.name).sort()).toEqual([
      'ALL /health/live',
      'DELETE /v1/sites/:id',
      'GET /*',
      'GET /v1/sites',
      'GET /v1/sites/:id',
      'GET /v2/sites',
      'GET /v2/sites/:siteId',
      'GET /v2/stats/daily',
      'POST /v1/sites',
      'PUT /v1/sites/:id',
    ]);
    // The SPA fallback serves a page: a catch-all route, kept and marked.
    expect(model.endpoints.find((e) => e.name === 'GET /*')!.details?.catchAll).toBe(true);
    expect(model.endpoints.find((e) => e.name === 'GET /v1/sites')!.evidence).toContainEqual({ file: 'src/server.js', line: 24 });
  });

  it('reads a Next.js catch-all that hands requests to Hono as a mount point: the Hono routes are the endpoints', async () => {
    const model = await analyseFixture('next-hono-catchall');
    expect(http(model)).toEqual([
      'GET /api/health component:.',
      'GET /api/v1/doc component:.',
      'GET /api/v1/emails/:emailId component:.',
      'POST /api/v1/emails component:.',
    ]);
    expect(model.endpoints.some((e) => e.path.includes('route'))).toBe(false);
  });
});

describe('endpoints: an Express app made by express-ws, and a path segment set by configuration', () => {
  afterEach(removeTemps);
  it("reads routers mounted on expressWs(express()).app with their WebSocket routes, and names an environment variable's segment by the variable", async () => {
    const root = tempRepo('express-ws-app', {
      'package.json': JSON.stringify({ name: 'scraper-api', dependencies: { express: '^4.19.0', 'express-ws': '^5.0.2' } }),
      'src/index.ts': [
        "import express from 'express';",
        "import expressWs from 'express-ws';",
        "import { v1Router } from './routes/v1';",
        'const ws = expressWs(express());',
        'const app = ws.app;',
        "app.use('/v1', v1Router);",
        'app.get(`/admin/${process.env.ADMIN_KEY}/queues`, (req, res) => res.json([]));',
        'app.listen(3002);',
        '',
      ].join('\n'),
      'src/routes/v1.ts': [
        "import express from 'express';",
        'export const v1Router = express.Router();',
        "v1Router.post('/scrape', (req, res) => res.json({}));",
        "v1Router.get('/crawl/:jobId', (req, res) => res.json({}));",
        "v1Router.ws('/crawl/:jobId', (ws, req) => ws.send('status'));",
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.endpoints.map((e) => `${e.method} ${e.path}`).sort()).toEqual([
      'GET /admin/{ADMIN_KEY}/queues',
      'GET /v1/crawl/:jobId',
      'POST /v1/scrape',
      'WS /v1/crawl/:jobId',
    ]);
    expect(m.endpoints.find((e) => e.method === 'WS')?.protocol).toBe('websocket');
  });
});

describe('endpoints: middleware in a route chain', () => {
  afterEach(removeTemps);
  it('reads .all(mw) that passes the request on as middleware of the verbs after it, not as an endpoint', async () => {
    const root = tempRepo('express-route-all', {
      'package.json': JSON.stringify({ name: 'accounts', dependencies: { express: '^4.19.0', jsonwebtoken: '^9.0.0' } }),
      'src/auth.ts': [
        "import jwt from 'jsonwebtoken';",
        'export function requireAuth(req, res, next) {',
        "  req.user = jwt.verify(req.headers.authorization ?? '', 'k');",
        '  next();',
        '}',
        '',
      ].join('\n'),
      'src/index.ts': [
        "import express, { Router } from 'express';",
        "import { requireAuth } from './auth';",
        'const router = Router();',
        "router.post('/login', (req, res) => res.json({}));",
        'router',
        "  .route('/me')",
        '  .all(requireAuth)',
        '  .get((req, res) => res.json(req.user))',
        '  .delete((req, res) => res.status(204).end());',
        "router.route('/ping').all((req, res) => res.send('pong'));",
        'const app = express();',
        "app.use('/', router);",
        'app.listen(3000);',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.endpoints.map((e) => `${e.method} ${e.path}`).sort()).toEqual(['ALL /ping', 'DELETE /me', 'GET /me', 'POST /login']);
    expect(m.endpoints.find((e) => e.name === 'DELETE /me')?.auth?.mechanisms).toEqual(['requireAuth']);
  });
});

describe('endpoints: a router nobody mounts', () => {
  afterEach(removeTemps);
  it('leaves out a router whose file nothing imports where code mounts the others, with a warning', async () => {
    const root = tempRepo('express-dead-router', {
      'package.json': JSON.stringify({ name: 'salon', dependencies: { express: '^4.19.0' } }),
      'src/app.ts': [
        "import express from 'express';",
        "import { routes } from './routes';",
        'const app = express();',
        "app.use('/api/v1', routes);",
        'app.listen(3000);',
        '',
      ].join('\n'),
      'src/routes.ts': [
        "import express from 'express';",
        "import { BookingRoutes } from './modules/booking.route';",
        'export const routes = express.Router();',
        "routes.use('/bookings', BookingRoutes);",
        '',
      ].join('\n'),
      'src/modules/booking.route.ts': [
        "import express from 'express';",
        'const router = express.Router();',
        "router.get('/', (req, res) => res.json([]));",
        'export const BookingRoutes = router;',
        '',
      ].join('\n'),
      'src/modules/invitation.route.ts': [
        "import express from 'express';",
        'const router = express.Router();',
        "router.post('/', (req, res) => res.status(201).json({}));",
        'export const InvitationRoutes = router;',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /api/v1/bookings']);
    expect(m.warnings.map((w) => `${w.file}:${w.line} ${w.message}`)).toContain(
      'src/modules/invitation.route.ts:2 router is never mounted and its file is imported nowhere; its routes are not listed',
    );
  });
});
