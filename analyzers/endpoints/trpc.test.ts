import { afterAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { emptyModel } from '../../src/model/empty.js';
import { endpointsView } from '../../src/render/view-endpoints.js';

afterAll(removeTemps);

/** `path component auth url` of each tRPC procedure, sorted. */
function procedures(model: Model): string[] {
  const comp = new Map(model.components.map((c) => [c.id, c.path]));
  return model.endpoints
    .filter((e) => e.protocol === 'trpc')
    .map((e) => {
      const auth = e.auth?.required === true ? `auth(${e.auth.mechanisms.join(', ')})` : e.auth?.required === false ? 'public' : 'unknown';
      return `${e.path} ${comp.get(e.component ?? '') ?? '-'} ${auth} ${e.details?.url ?? '-'}`;
    })
    .sort();
}

const pkg = (name: string, dependencies: Record<string, string>) => JSON.stringify({ name, version: '1.0.0', dependencies });

describe('endpoints: tRPC procedures', () => {
  it('lists the procedures of a shared API package under the app that mounts it, and of an Express gateway, with auth and served URLs', async () => {
    const model = await analyseFixture('trpc-shop');
    expect(procedures(model)).toEqual([
      'admin.refunds.issue apps/web auth(protectedProcedure (session)) /api/trpc/admin.refunds.issue',
      'admin.stats apps/web auth(protectedProcedure (session)) /api/trpc/admin.stats',
      'catalogue.bySlug apps/web public /api/trpc/catalogue.bySlug',
      'catalogue.list apps/web public /api/trpc/catalogue.list',
      'orders.cancel apps/web auth(protectedProcedure (session)) /api/trpc/orders.cancel',
      'orders.import apps/partner-gateway auth(partnerProcedure (API key)) /partner/trpc/orders.import',
      'orders.mine apps/web auth(protectedProcedure (session)) /api/trpc/orders.mine',
      'orders.onStatus apps/web auth(protectedProcedure (session)) /api/trpc/orders.onStatus',
      'orders.place apps/web auth(protectedProcedure (session)) /api/trpc/orders.place',
      'ping apps/web public /api/trpc/ping',
      'stock.level apps/partner-gateway auth(partnerProcedure (API key)) /partner/trpc/stock.level',
    ]);
    const byPath = (p: string) => model.endpoints.find((e) => e.protocol === 'trpc' && e.path === p)!;
    // Evidence at the procedure's line, the adapter as further evidence; method rpc for the document's readers and the scorer.
    const place = byPath('orders.place');
    expect(place).toMatchObject({ id: 'endpoint:apps/web:rpc orders.place', method: 'rpc', name: 'rpc orders.place' });
    expect(place.details).toMatchObject({ framework: 'trpc', procedure: 'mutation', routeFile: 'packages/api/src/routers/orders.ts', routeLine: 9 });
    expect(place.evidence).toContainEqual({ file: 'apps/web/src/app/api/trpc/[trpc]/route.ts', line: 6 });
    // The input schema's fields: in place, through a constant of another file, and the builder's own.
    expect(place.details?.input).toEqual(['items: array', 'couponCode?: string', 'deliveryNote?: string']);
    expect(byPath('catalogue.list').details?.input).toEqual(['cursor?: string', 'limit: number']);
    expect(byPath('orders.onStatus').details?.procedure).toBe('subscription');
    // The admin check after the session check authorises: a role, not another mechanism.
    expect(byPath('admin.stats').details?.roles).toEqual(['admin']);
    // The Next.js route serving the router is not made public by the procedures' checks.
    const route = model.endpoints.find((e) => e.name === 'POST /api/trpc/:trpc')!;
    expect(route.auth?.required).toBeNull();
    // The browser's client serves nothing; the library package serves nothing of its own.
    expect(model.endpoints.filter((e) => e.component === 'component:packages/api')).toEqual([]);
  });

  it('shows procedures by type in the component endpoints, in one list, or by router when there are many', async () => {
    const model = await analyseFixture('trpc-shop');
    const web = endpointsView(model).byComponent['component:apps/web']!;
    expect(web.other.map((g) => g.title)).toEqual(['tRPC procedures']);
    expect(web.other[0]!.rows.map((r) => `${r.method} ${r.path}`)).toEqual([
      'mutation admin.refunds.issue',
      'query admin.stats',
      'query catalogue.bySlug',
      'query catalogue.list',
      'mutation orders.cancel',
      'query orders.mine',
      'subscription orders.onStatus',
      'mutation orders.place',
      'query ping',
    ]);
    // Access control counts procedures apart from HTTP endpoints, by the mechanism that checks them.
    const access = endpointsView(model).security.procedures;
    expect(access).toMatchObject({ total: 11, authenticated: 8, public: 3, unknown: 0, multiComponent: true });
    expect(access.mechanisms.map((m) => [m.mechanism, m.count])).toEqual([
      ['protectedProcedure (session)', 6],
      ['partnerProcedure (API key)', 2],
    ]);
    expect(access.publicRows.map((r) => `${r.method} ${r.path}`)).toEqual(['query catalogue.bySlug', 'query catalogue.list', 'query ping']);
    const many = emptyModel({
      endpoints: ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((op) =>
        ['posts', 'users'].map((router) => ({
          id: `endpoint:rpc ${router}.${op}`,
          name: `rpc ${router}.${op}`,
          method: 'rpc',
          path: `${router}.${op}`,
          protocol: 'trpc' as const,
          component: 'component:web',
          evidence: [],
          details: { procedure: 'query' },
        })),
      ),
    });
    const groups = endpointsView(many).byComponent['component:web']!.other;
    expect(groups.map((g) => [g.title, g.rows.length])).toEqual([
      ['tRPC procedures: posts', 6],
      ['tRPC procedures: users', 6],
    ]);
  });

  it('reads tRPC v9 router chains: merge prefixes, procedures by name, and middleware from a router factory', async () => {
    const root = tempRepo('trpc-v9', {
      'package.json': pkg('notes', { next: '^12.3.0', '@trpc/server': '^9.27.0', zod: '^3.19.0' }),
      'server/create-router.ts': `import * as trpc from '@trpc/server';
export function createRouter() {
  return trpc.router();
}
export function createProtectedRouter() {
  return trpc.router().middleware(({ ctx, next }) => {
    if (!ctx.session) throw new trpc.TRPCError({ code: 'UNAUTHORIZED' });
    return next();
  });
}
`,
      'server/routers/note.ts': `import { z } from 'zod';
import { createProtectedRouter } from '../create-router';
export const noteRouter = createProtectedRouter()
  .query('list', { resolve: () => [] })
  .mutation('add', {
    input: z.object({ title: z.string(), body: z.string().optional() }),
    resolve: ({ input }) => input,
  });
`,
      'server/routers/_app.ts': `import { createRouter } from '../create-router';
import { noteRouter } from './note';
export const appRouter = createRouter()
  .query('health', { resolve: () => 'ok' })
  .merge('note.', noteRouter);
`,
      'pages/api/trpc/[trpc].ts': `import * as trpcNext from '@trpc/server/adapters/next';
import { appRouter } from '../../../server/routers/_app';
export default trpcNext.createNextApiHandler({ router: appRouter, createContext: () => ({}) });
`,
    });
    const model = await analyseRepo(root);
    expect(procedures(model)).toEqual([
      'health . public /api/trpc/health',
      'note.add . auth(createProtectedRouter (session)) /api/trpc/note.add',
      'note.list . auth(createProtectedRouter (session)) /api/trpc/note.list',
    ]);
    // The API route handing requests to the adapter answers queries over GET and mutations over POST.
    expect(model.endpoints.filter((e) => e.protocol === 'http').map((e) => e.name)).toEqual(['GET /api/trpc/:trpc', 'POST /api/trpc/:trpc']);
    const add = model.endpoints.find((e) => e.path === 'note.add')!;
    expect(add.details).toMatchObject({ procedure: 'mutation', routeFile: 'server/routers/note.ts', routeLine: 5, input: ['title: string', 'body?: string'] });
  });

  it('takes the URL from each adapter: standalone, Fastify prefix, Hono mount; and is unsure of a builder it cannot follow', async () => {
    const router = (extra = '') => `import { initTRPC } from '@trpc/server';
import { sharedPlugin, sharedProcedure } from '@vendor/trpc-kit';
const t = initTRPC.create();
export const appRouter = t.router({
  hello: t.procedure.query(() => 'hi'),
  vendored: sharedProcedure.query(() => 1),
  plugged: t.procedure.concat(sharedPlugin).query(() => 2),${extra}
});
`;
    const root = tempRepo('trpc-adapters', {
      'package.json': JSON.stringify({ name: 'adapters', private: true, workspaces: ['services/*'] }),
      'services/standalone/package.json': pkg('standalone', { '@trpc/server': '^11.0.0' }),
      'services/standalone/src/router.ts': router(),
      'services/standalone/src/main.ts': `import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { appRouter } from './router';
createHTTPServer({ router: appRouter, basePath: '/rpc/' }).listen(2022);
`,
      'services/fast/package.json': pkg('fast', { '@trpc/server': '^11.0.0', fastify: '^4.28.0' }),
      'services/fast/src/router.ts': router(),
      'services/fast/src/main.ts': `import Fastify from 'fastify';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { appRouter } from './router';
const server = Fastify();
server.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: appRouter } });
server.listen({ port: 3000 });
`,
      'services/edge/package.json': pkg('edge', { '@trpc/server': '^11.0.0', hono: '^4.6.0', '@hono/trpc-server': '^0.3.0' }),
      'services/edge/src/router.ts': router(),
      'services/edge/src/main.ts': `import { Hono } from 'hono';
import { trpcServer } from '@hono/trpc-server';
import { appRouter } from './router';
const app = new Hono();
app.use('/api/trpc/*', trpcServer({ router: appRouter, endpoint: '/api/trpc' }));
export default app;
`,
    });
    const model = await analyseRepo(root);
    expect(procedures(model)).toEqual([
      'hello services/edge public /api/trpc/hello',
      'hello services/fast public /trpc/hello',
      'hello services/standalone public /rpc/hello',
      'plugged services/edge unknown /api/trpc/plugged',
      'plugged services/fast unknown /trpc/plugged',
      'plugged services/standalone unknown /rpc/plugged',
      'vendored services/edge unknown /api/trpc/vendored',
      'vendored services/fast unknown /trpc/vendored',
      'vendored services/standalone unknown /rpc/vendored',
    ]);
  });

  it('follows builders destructured from the tRPC instance, renamed and re-exported', async () => {
    const root = tempRepo('trpc-destructured', {
      'package.json': pkg('notes-api', { '@trpc/server': '^10.45.0', express: '^4.21.0' }),
      'src/trpc/init.ts': `import { initTRPC, TRPCError } from '@trpc/server';
export const { router, procedure: publicProcedure, middleware } = initTRPC.context<{ userId?: string }>().create();
const isAuthed = middleware(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next();
});
export const authedProcedure = publicProcedure.use(isAuthed);
`,
      'src/trpc/index.ts': "export { router, publicProcedure, authedProcedure } from './init';\n",
      'src/notes.ts': `import { authedProcedure, publicProcedure, router } from './trpc';
export const notesRouter = router({
  list: publicProcedure.query(() => []),
  remove: authedProcedure.mutation(() => true),
});
`,
      'src/server.ts': `import express from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { notesRouter } from './notes';
const app = express();
const trpc = createExpressMiddleware({ router: notesRouter });
app.use('/trpc', trpc);
app.listen(3000);
`,
    });
    expect(procedures(await analyseRepo(root))).toEqual(['list . public /trpc/list', 'remove . auth(authedProcedure) /trpc/remove']);
  });

  it('stops on a router that nests itself and on a router graph shared many times over', async () => {
    const levels = Array.from({ length: 30 }, (_, i) => `export const r${i} = t.router({ a: r${i + 1}, b: r${i + 1}, c: r${i + 1} });`);
    const root = tempRepo('trpc-hostile', {
      'package.json': pkg('hostile', { '@trpc/server': '^11.0.0' }),
      'src/router.ts': `import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
export const r30 = t.router({ leaf: t.procedure.query(() => 1) });
${levels.reverse().join('\n')}
export const loop = t.router({ again: loop, ok: t.procedure.query(() => 2) });
`,
    });
    const started = Date.now();
    const model = await analyseRepo(root);
    expect(Date.now() - started).toBeLessThan(20_000);
    const paths = model.endpoints.filter((e) => e.protocol === 'trpc').map((e) => e.path);
    expect(paths).toContain('ok');
    expect(paths.length).toBeLessThanOrEqual(5001);
  });

  it('with no adapter, lists the routers no other router nests on their own component; an adapter whose router it cannot read is a warning', async () => {
    const root = tempRepo('trpc-library', {
      'package.json': JSON.stringify({ name: 'lib-mono', private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': pkg('@acme/api', { '@trpc/server': '^11.0.0' }),
      'packages/api/src/trpc.ts': `import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
export const router = t.router;
export const publicProcedure = t.procedure;
`,
      'packages/api/src/users.ts': `import { publicProcedure, router } from './trpc';
export const usersRouter = router({ me: publicProcedure.query(() => null) });
`,
      'packages/api/src/root.ts': `import { router } from './trpc';
import { usersRouter } from './users';
export const appRouter = router({ users: usersRouter });
`,
      'packages/edge/package.json': pkg('@acme/edge', { '@trpc/server': '^11.0.0' }),
      'packages/edge/src/handler.ts': `import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { remoteRouter } from '@acme/not-in-this-repo';
export const handle = (req: Request) => fetchRequestHandler({ endpoint: '/trpc', req, router: remoteRouter });
`,
    });
    const model = await analyseRepo(root);
    // The edge adapter's router is not in the repository: nothing listed for it, and it says so.
    expect(model.warnings.map((w) => `${w.file}:${w.line} ${w.message}`)).toContainEqual(
      'packages/edge/src/handler.ts:3 a tRPC adapter serves a router archdoc could not read; its procedures are not listed',
    );
    expect(procedures(model)).toEqual([]);
    const noAdapter = tempRepo('trpc-library-only', {
      'package.json': pkg('api', { '@trpc/server': '^11.0.0' }),
      'src/trpc.ts': `import { initTRPC } from '@trpc/server';
const t = initTRPC.create();
export const router = t.router;
export const publicProcedure = t.procedure;
`,
      'src/users.ts': `import { publicProcedure, router } from './trpc';
export const usersRouter = router({ me: publicProcedure.query(() => null) });
`,
      'src/root.ts': `import { router } from './trpc';
import { usersRouter } from './users';
export const appRouter = router({ users: usersRouter });
`,
    });
    expect(procedures(await analyseRepo(noAdapter))).toEqual(['users.me . public -']);
  });
});
