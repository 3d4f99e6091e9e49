import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Endpoint, Model } from '../../src/model/schema.js';

function byId(model: Model): Map<string, Endpoint> {
  return new Map(model.endpoints.map((e) => [e.id, e]));
}

function get(model: Model, id: string): Endpoint {
  const e = byId(model).get(id);
  if (!e) throw new Error(`missing ${id}; have:\n${model.endpoints.map((x) => x.id).join('\n')}`);
  return e;
}

describe('endpoints: Express routers', () => {
  it('composes prefixes over three files from constants, enums and template literals', async () => {
    const model = await analyseFixture('express-routers');
    const http = model.endpoints.filter((e) => e.protocol === 'http').map((e) => e.id);
    expect(http).toEqual([
      'endpoint:GET /api/v1/orders',
      'endpoint:GET /api/v1/orders/:orderId',
      'endpoint:GET /api/v1/users/me',
      'endpoint:GET /healthz',
      'endpoint:GET /livez',
      'endpoint:PATCH /api/v1/orders/:orderId',
      'endpoint:POST /api/v1/orders',
      'endpoint:POST /webhooks/stripe',
    ]);
    // Test-only routes and static serving are not endpoints.
    expect(model.endpoints.some((e) => e.path.includes('__test__'))).toBe(false);
  });

  it('records the handler location, mount evidence and auth per route', async () => {
    const model = await analyseFixture('express-routers');
    const patch = get(model, 'endpoint:PATCH /api/v1/orders/:orderId');
    expect(patch.details?.routeFile).toBe('src/routes/v1/orders.ts');
    expect(patch.details?.routeLine).toBe(22);
    expect(patch.evidence).toContainEqual({ file: 'src/routes/v1/index.ts', line: 9 });
    expect(patch.evidence).toContainEqual({ file: 'src/server.ts', line: 13 });
    expect(patch.auth).toEqual({ required: true, mechanisms: ['requireAuth (express-jwt)', 'requireRole'] });
    expect(patch.details?.roles).toEqual(['admin']);
    expect(get(model, 'endpoint:GET /api/v1/users/me').auth?.mechanisms).toEqual(['passport (jwt)']);
    // Public routes of a service that does authenticate elsewhere are public, not unknown.
    expect(get(model, 'endpoint:POST /webhooks/stripe').auth).toEqual({ required: false, mechanisms: [] });
    expect(get(model, 'endpoint:GET /healthz').component).toBe('component:.');
  });

  it('lists the Socket.IO server at its upgrade path and its events as WebSocket interfaces', async () => {
    const model = await analyseFixture('express-routers');
    const ws = model.endpoints.filter((e) => e.protocol === 'websocket').map((e) => e.name);
    expect(ws).toEqual(['EVENT order:subscribe', 'EVENT order:unsubscribe', 'WS /socket.io']);
  });

  it('keeps the lead fixture endpoints', async () => {
    const model = await analyseFixture('express-prisma-api');
    expect(model.endpoints.map((e) => `${e.name} ${e.auth?.required}`)).toEqual([
      'GET /api/orders true',
      'GET /api/orders/:id true',
      'GET /health false',
      'POST /api/orders true',
    ]);
  });
});

describe('endpoints: NestJS', () => {
  it('applies the global prefix with its exclusion, URI versioning and RouterModule paths', async () => {
    const model = await analyseFixture('nestjs-api');
    const http = model.endpoints.filter((e) => e.protocol === 'http').map((e) => e.name);
    expect(http).toEqual([
      'DELETE /api/v1/orders/:id',
      'GET /api/v1/admin/users',
      'GET /api/v1/orders',
      'GET /api/v1/orders/:id',
      'GET /api/v1/partners/catalogue',
      'GET /api/v2/orders/:id',
      'GET /health',
      'PATCH /api/v1/admin/users/:userId/lock',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/orders',
      'POST /api/v1/partners/orders',
      'POST /gql',
    ]);
  });

  it('reads auth middleware bound with consumer.apply().forRoutes()', async () => {
    const model = await analyseFixture('nestjs-api');
    // The controller opts out of the global JWT guard; one route is protected by an API key middleware.
    expect(get(model, 'endpoint:POST /api/v1/partners/orders').auth).toEqual({ required: true, mechanisms: ['ApiKeyMiddleware', 'JwtAuthGuard'] });
    expect(get(model, 'endpoint:GET /api/v1/partners/catalogue').auth?.required).toBe(false);
  });

  it('leaves out the dead controller (a module main.ts never reaches, set aside before analysis) and e2e test controllers', async () => {
    const model = await analyseFixture('nestjs-api');
    expect(model.endpoints.some((e) => e.path.includes('legacy') || e.path.includes('e2e-only'))).toBe(false);
    const unused = model.files?.roles.find((r) => r.role === 'unused');
    expect(unused?.tools).toContainEqual({ tool: 'unreachable', count: 1, folders: ['src/legacy'], folderCount: 1 });
  });

  it('applies the global APP_GUARD, class guards, @Public opt-outs and roles (not the throttler)', async () => {
    const model = await analyseFixture('nestjs-api');
    expect(get(model, 'endpoint:DELETE /api/v1/orders/:id').auth).toEqual({ required: true, mechanisms: ['JwtAuthGuard', 'RolesGuard'] });
    expect(get(model, 'endpoint:DELETE /api/v1/orders/:id').details?.roles).toEqual(['admin']);
    expect(get(model, 'endpoint:GET /api/v1/admin/users').details?.roles).toEqual(['admin', 'support']);
    const login = get(model, 'endpoint:POST /api/v1/auth/login');
    expect(login.auth?.required).toBe(false);
    expect(login.details?.authOptOut).toBe('Public');
    expect(login.summary).toBe('Exchange credentials for an access token');
    expect(get(model, 'endpoint:GET /health').auth?.required).toBe(false);
    expect(get(model, 'endpoint:POST /api/v1/auth/logout').auth?.required).toBe(true);
    expect(model.endpoints.flatMap((e) => e.auth?.mechanisms ?? []).some((m) => /Throttler/.test(m))).toBe(false);
    expect(get(model, 'endpoint:GET /api/v1/orders').tags).toEqual(['orders']);
  });

  it('lists GraphQL resolver operations and the GraphQL HTTP path once', async () => {
    const model = await analyseFixture('nestjs-api');
    const gql = model.endpoints.filter((e) => e.protocol === 'graphql').map((e) => `${e.method} ${e.path} ${e.handler}`);
    expect(gql).toEqual(['mutation cancelOrder OrdersResolver.cancelOrder', 'query orders OrdersResolver.list']);
    expect(get(model, 'endpoint:POST /gql').auth?.required).toBe(true);
  });
});

describe('endpoints: NestJS global prefix read at run time', () => {
  it('shows a prefix from configuration in braces with a warning, never drops it', async () => {
    const model = await analyseFixture('nest-config-prefix');
    expect(model.endpoints.map((e) => e.name)).toEqual(['POST /{app.apiPrefix}/v1/auth/email/login']);
    expect(model.warnings).toContainEqual(
      expect.objectContaining({ file: 'src/main.ts', line: 9, analyzer: 'endpoints', message: expect.stringContaining('{app.apiPrefix}') }),
    );
  });
});

describe('endpoints: NestJS custom decorators', () => {
  it('treats a decorator returning applyDecorators(UseGuards(…)) as those guards, through a re-export and a nested custom decorator', async () => {
    const model = await analyseFixture('nest-guarded-api');
    // @RequiresScope('invoices:read') is declared in another file as applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), RolesGuard)).
    expect(get(model, 'endpoint:GET /api/invoices').auth).toEqual({ required: true, mechanisms: ['AuthGuard (jwt)', 'RolesGuard'] });
    // @BillingAdmin() = applyDecorators(RequiresScope('billing:admin')).
    expect(get(model, 'endpoint:POST /api/invoices/:id/refund').auth).toEqual({ required: true, mechanisms: ['AuthGuard (jwt)', 'RolesGuard'] });
    // A route without either stays public.
    expect(get(model, 'endpoint:GET /api/invoices/currencies').auth?.required).toBe(false);
  });
});

describe('endpoints: Fastify, Koa and Hono in a monorepo', () => {
  it('scopes ids by package so two services can serve the same route', async () => {
    const model = await analyseFixture('polyglot-services');
    expect(byId(model).has('endpoint:services/catalog:GET /health')).toBe(true);
    expect(byId(model).has('endpoint:services/payments:GET /health')).toBe(true);
    expect(get(model, 'endpoint:services/payments:GET /health').component).toBe('component:services/payments');
  });

  it('reads Fastify register prefixes, autoload folders and autohooks, method arrays, route options and onRequest hooks', async () => {
    const model = await analyseFixture('polyglot-services');
    const catalog = model.endpoints.filter((e) => e.component === 'component:services/catalog' && e.protocol === 'http');
    expect(catalog.map((e) => `${e.name} ${e.auth?.required}`)).toEqual([
      'DELETE /admin/cache true',
      'GET /health false',
      'GET /internal/stock/:sku true',
      'GET /products false',
      'GET /products/:id false',
      'PATCH /products/:id true',
      'POST /admin/reindex true',
      'POST /products true',
      'PUT /products/:id true',
    ]);
  });

  it('reads Koa router prefixes, named routes, nested routers and koa-mount', async () => {
    const model = await analyseFixture('polyglot-services');
    const pay = model.endpoints.filter((e) => e.component === 'component:services/payments').map((e) => e.name);
    expect(pay).toEqual(['DELETE /api/v2/payments/:paymentId', 'GET /api/v2/payments/:paymentId', 'GET /health', 'POST /api/v2/payments']);
    expect(get(model, 'endpoint:services/payments:POST /api/v2/payments').auth?.mechanisms).toEqual(['requireJwt (koa-jwt)']);
  });

  it('reads Hono basePath, route(), on() and path-scoped auth middleware', async () => {
    const model = await analyseFixture('polyglot-services');
    const edge = model.endpoints.filter((e) => e.component === 'component:services/edge' && e.protocol === 'http').map((e) => e.name);
    expect(edge).toEqual([
      'GET /edge/admin/stats',
      'GET /edge/books',
      'GET /edge/books/:id',
      'GET /edge/health',
      'GET /edge/ping',
      'HEAD /edge/ping',
      'POST /edge/books',
      'POST /graphql',
    ]);
    expect(get(model, 'endpoint:services/edge:GET /edge/admin/stats').auth?.mechanisms).toEqual(['JWT (hono)']);
    expect(get(model, 'endpoint:services/edge:GET /edge/health').auth?.required).toBe(false);
  });

  it('reads gRPC services from .proto files and GraphQL operations from gql typeDefs', async () => {
    const model = await analyseFixture('polyglot-services');
    const watch = get(model, 'endpoint:services/catalog:rpc /acme.catalog.v1.CatalogService/WatchStock');
    expect(watch.protocol).toBe('grpc');
    expect(watch.details?.streaming).toBe('server');
    expect(watch.evidence).toEqual([
      { file: 'services/catalog/proto/catalog.proto', line: 8 },
      { file: 'services/catalog/src/grpc-server.ts', line: 11 },
    ]);
    const reserve = get(model, 'endpoint:services/edge:mutation reserveBook');
    expect(reserve.evidence).toEqual([{ file: 'services/edge/src/graphql/typeDefs.ts', line: 15 }]);
    expect(reserve.auth?.mechanisms).toEqual(['@auth directive']);
    expect(model.endpoints.filter((e) => e.protocol === 'graphql').map((e) => e.path)).toEqual(['reserveBook', 'book', 'books']);
  });
});

describe('endpoints: GraphQL typeDefs in plain template literals', () => {
  afterEach(removeTemps);

  it('reads typeDefs written without a gql tag (Yoga createSchema, a typeDefs constant, a /* GraphQL */ marker), not client documents', async () => {
    const root = tempRepo('yoga-typedefs', {
      'package.json': JSON.stringify({ name: 'stats-api', dependencies: { 'graphql-yoga': '^4.0.0', hono: '^3.0.0' } }),
      'src/server.ts': [
        "import { createSchema, createYoga } from 'graphql-yoga';",
        "import { mutations } from './mutations';",
        "import { subscriptions } from './extra';",
        'export const yoga = createYoga({',
        '  schema: createSchema({',
        '    typeDefs: /* GraphQL */ `',
        '      type Visit { path: String! total: Int! }',
        '      type Query {',
        '        visits(from: Int, to: Int): [Visit!]!',
        '        topPages(limit: Int): [Visit!]!',
        '      }',
        '    `,',
        '    resolvers: { Query: { visits: () => [], topPages: () => [] }, Mutation: mutations, extra: subscriptions },',
        '  }),',
        '});',
        '',
      ].join('\n'),
      'src/mutations.ts': [
        'export const typeDefs = `',
        '  type Mutation {',
        '    resetStats(site: String!): Boolean!',
        '  }',
        '`;',
        'export const mutations = {};',
        '',
      ].join('\n'),
      'src/extra.ts': ['export const subscriptions = /* GraphQL */ `type Subscription { visitAdded: Int! }`;', ''].join('\n'),
      // A client's query document and a template that only looks like SDL are not the server's operations.
      'src/client.ts': [
        'export const TOP = /* GraphQL */ `query Top { topPages(limit: 5) { path } }`;',
        'export const help = `type Query { notAnOperation: Int }`;',
        '',
      ].join('\n'),
    });
    const model = await analyseRepo(root);
    const ops = model.endpoints
      .filter((e) => e.protocol === 'graphql')
      .map((e) => `${e.method} ${e.path} ${e.evidence.map((ev) => `${ev.file}:${ev.line}`).join(',')}`)
      .sort();
    expect(ops).toEqual([
      'mutation resetStats src/mutations.ts:3',
      'query topPages src/server.ts:10',
      'query visits src/server.ts:9',
      'subscription visitAdded src/extra.ts:1',
    ]);
  });
});

describe('endpoints: Next.js', () => {
  it('maps app and pages routes, drops route groups, and ignores route.ts outside app/', async () => {
    const model = await analyseFixture('nextjs-app');
    expect(model.endpoints.map((e) => e.name)).toEqual([
      'GET /api/auth/:nextauth*',
      'GET /api/files/:path*',
      'GET /api/legacy/report',
      'GET /api/orders',
      'GET /api/orders/:orderId',
      'GET /products/:id',
      'POST /api/auth/:nextauth*',
      'POST /api/legacy/report',
      'POST /api/orders',
    ]);
    expect(model.endpoints.some((e) => e.evidence.some((ev) => ev.file === 'src/lib/route.ts'))).toBe(false);
  });

  it('uses middleware matchers and in-handler session checks as auth evidence', async () => {
    const model = await analyseFixture('nextjs-app');
    expect(get(model, 'endpoint:GET /api/orders/:orderId').auth).toEqual({ required: true, mechanisms: ['Next.js middleware'] });
    expect(get(model, 'endpoint:GET /api/files/:path*').auth).toEqual({ required: true, mechanisms: ['session check in handler'] });
    expect(get(model, 'endpoint:GET /products/:id').auth?.required).toBe(false);
  });
});
