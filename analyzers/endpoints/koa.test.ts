import { afterAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

afterAll(removeTemps);

const routes = (m: Model) =>
  m.endpoints
    .filter((e) => e.protocol === 'http')
    .map((e) => `${e.name} ${e.details?.framework} ${e.auth?.required ? e.auth.mechanisms.join('+') : 'public'}`)
    .sort();

describe('endpoints: Koa as real code writes it', () => {
  it('reads RPC-style routes under a koa-mount, nested prefixed routers, a router subclass, per-router auth and koa-jwt with unless', async () => {
    const m = await analyseFixture('koa-docs-rpc');
    expect(routes(m)).toEqual([
      'GET /public/health koa public',
      'GET /public/v1/catalogue koa public',
      'GET /public/v1/catalogue/:slug koa public',
      // RpcRouter.method(name, …) calls this.post(name, …); admin.use(authenticated(…)) guards the router.
      'POST /api/admin.reindex koa authenticated+koa-jwt',
      'POST /api/admin.stats koa authenticated+koa-jwt',
      // unless({ path: [/^\/api\/auth\.login$/, '/api/shares.info'] }) lets these through.
      'POST /api/auth.login koa public',
      'POST /api/auth.logout koa authenticated+koa-jwt',
      'POST /api/documents.create koa authenticated+koa-jwt',
      'POST /api/documents.info koa authenticated+koa-jwt',
      'POST /api/documents.list koa authenticated+koa-jwt',
      'POST /api/shares.info koa public',
    ]);
  });

  it('reads routers of packages that subclass koa-router: SwaggerRouter with swagger(), LinRouter with linGet(name, path, meta, …)', async () => {
    const root = tempRepo('koa-subclass-packages', {
      'package.json': JSON.stringify({
        name: 'api',
        version: '1.0.0',
        dependencies: { koa: '^2.15.0', 'koa-swagger-decorator': '^1.8.0', 'lin-mizar': '^0.3.0', 'koa-helmet': '^7.0.0' },
      }),
      'src/docs.ts': [
        "import { SwaggerRouter } from 'koa-swagger-decorator';",
        "export const docs = new SwaggerRouter({ prefix: '/api' });",
        "docs.get('/things', async (ctx) => { ctx.body = []; });",
        "docs.swagger({ title: 'Things', swaggerJsonEndpoint: '/openapi.json' });",
      ].join('\n'),
      'src/book.js': [
        "import { LinRouter } from 'lin-mizar';",
        "import { groupRequired, loginRequired } from './jwt';",
        "const book = new LinRouter({ prefix: '/v1/book', module: 'books' });",
        "book.get('/:id', async (ctx) => { ctx.json({}); });",
        "book.linPut('updateBook', '/:id', book.permission('edit a book'), groupRequired, async (ctx) => { ctx.success({}); });",
        "book.linDelete('deleteBook', '/:id', book.permission('delete a book'), loginRequired, async (ctx) => { ctx.success({}); });",
        // A function third is middleware, not a permission description.
        "book.linPost('createBook', '/', loginRequired, async (ctx) => { ctx.success({}); });",
        'export { book };',
      ].join('\n'),
      'src/jwt.js': [
        'export async function loginRequired(ctx, next) { if (!ctx.currentUser) throw new Error("no"); await next(); }',
        // Named for no authentication word: its body refuses with the framework's authentication failure.
        'export async function groupRequired(ctx, next) { if (!ctx.currentUser.groups.length) throw new AuthFailed({ code: 10001 }); await next(); }',
      ].join('\n'),
      'src/server.ts': [
        "import Koa from 'koa';",
        "import helmet from 'koa-helmet';",
        "import { docs } from './docs';",
        'const app = new Koa();',
        'app.use(helmet.contentSecurityPolicy({ directives: {} }));',
        'app.use(docs.routes()).use(docs.allowedMethods());',
        'app.listen(3000);',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(routes(m)).toEqual([
      // Never mounted where archdoc can see it (lin-mizar's loader scans a folder): listed with its own prefix.
      // lin-mizar's permission meta (third argument) checks nothing; the middleware after it does.
      'DELETE /v1/book/:id koa loginRequired',
      // helmet and allowedMethods() are not authentication.
      'GET /api/openapi.json koa public',
      'GET /api/swagger-html koa public',
      'GET /api/things koa public',
      'GET /v1/book/:id koa public',
      'POST /v1/book koa loginRequired',
      'PUT /v1/book/:id koa groupRequired',
    ]);
  });

  it("lin-mizar's Loader mounts the routers of its api folder (apiDir, app/api by default): no warning there; a router elsewhere keeps it", async () => {
    const files = (config: string) => ({
      'package.json': JSON.stringify({ name: 'cms', version: '1.0.0', dependencies: { koa: '^2.15.0', 'lin-mizar': '^0.3.9' } }),
      'app/config/setting.js': config,
      'app/app.js': [
        "import Koa from 'koa';",
        "import { config, Loader } from 'lin-mizar';",
        'const app = new Koa();',
        "new Loader(config.getItem('pluginPath'), app).initLoader();",
        'module.exports = { app };',
      ].join('\n'),
      'app/api/v1/book.js': [
        "import { LinRouter } from 'lin-mizar';",
        "const bookApi = new LinRouter({ prefix: '/v1/book' });",
        "bookApi.get('/:id', async (ctx) => { ctx.json({}); });",
        'module.exports = { bookApi };',
      ].join('\n'),
      'app/controllers/shelf.js': [
        "import { LinRouter } from 'lin-mizar';",
        "const shelfApi = new LinRouter({ prefix: '/shelf' });",
        "shelfApi.get('/all', async (ctx) => { ctx.json([]); });",
        'export { shelfApi };',
      ].join('\n'),
    });
    const unmounted = (m: Model) => m.warnings.filter((w) => w.message.startsWith('router is never mounted')).map((w) => w.file);
    const byDefault = await analyseRepo(tempRepo('lin-loader-default', files('module.exports = { port: 5000, pluginPath: {} };\n')));
    expect(routes(byDefault)).toEqual(['GET /shelf/all koa public', 'GET /v1/book/:id koa public']);
    expect(unmounted(byDefault)).toEqual(['app/controllers/shelf.js']);
    expect(byDefault.endpoints.find((e) => e.path === '/v1/book/:id')?.details?.mount).toBeUndefined();
    const named = await analyseRepo(tempRepo('lin-loader-named', files("const dir = 'app/controllers';\nmodule.exports = { apiDir: dir, pluginPath: {} };\n")));
    expect(unmounted(named)).toEqual(['app/api/v1/book.js']);
  });
});
