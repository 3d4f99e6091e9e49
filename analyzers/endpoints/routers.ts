/**
 * Express, Koa (@koa/router, koa-router, koa-mount), Fastify and Hono: routers are found where
 * they are created (`express()`, `Router()`, `new Router({ prefix })`, `new Hono()`,
 * `fastify()`), where a plugin function receives one (`register(plugin, { prefix })`,
 * `routes(app)`), and are joined by their mount calls (`use`, `route`, `register`, `basePath`)
 * across files. Paths are composed by walking that graph from the routers nobody mounts.
 * Also Socket.IO and ws servers, as listed interfaces.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { classifyMiddleware, flattenMiddleware } from './auth.js';
import { cleanParams, joinPath, toColonParams } from './paths.js';
import { prop, unwrapAwait } from '../../src/analysis/ast.js';
import type { Resolver, Target } from './resolver.js';
import type { Found } from './types.js';
import type { FileIndex } from './walk.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';

type Kind = 'express' | 'koa' | 'fastify' | 'hono' | 'unknown';
type Creation = Kind | 'socket.io' | 'ws';

interface RouteRec {
  methods: string[];
  paths: string[];
  unresolved?: string;
  file: string;
  line: number;
  pos: number;
  handler?: string;
  mw: ts.Expression[];
  /** The path ends in a wildcard (`*`, `(.*)`, `{*rest}`) and the handler responds: a catch-all route. */
  catchAll?: boolean;
}
interface MountRec {
  /** Routers whose hooks apply to this mount (Fastify autohooks). */
  hooksFrom?: RouterNode[];
  prefixes: string[];
  child: RouterNode;
  mw: ts.Expression[];
  file: string;
  line: number;
  pos: number;
}
interface MwRec {
  prefix: string;
  expr: ts.Expression;
  file: string;
  pos: number;
}
interface RouterNode {
  kind: Kind;
  file: string;
  line: number;
  created: boolean;
  /** A router (not an application) whose mount point matters for its paths. */
  isSubRouter: boolean;
  prefix: string;
  routes: RouteRec[];
  mounts: MountRec[];
  mws: MwRec[];
  mountedBy: number;
}

const VERBS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  del: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  all: 'ALL',
  search: 'SEARCH',
};
// Calls that return the router they are called on (Hono's onError/notFound/doc too), so a chain is that router.
const CHAINABLE = new Set([...Object.keys(VERBS), 'use', 'register', 'addHook', 'on', 'route', 'openapi', 'onError', 'notFound', 'doc', 'doc31']);
const AUTH_HOOKS = new Set(['onRequest', 'preHandler', 'preValidation', 'preParsing']);
const ROUTE_OPTION_HOOKS = ['onRequest', 'preHandler', 'preValidation', 'preParsing'];

function creationOf(t: Target | undefined): { kind: Creation; sub: boolean } | undefined {
  if (!t || t.kind !== 'external') return undefined;
  const { module, name } = t;
  const whole = name === 'default' || name === '*';
  switch (module) {
    case 'express':
      if (whole) return { kind: 'express', sub: false };
      if (name === 'Router') return { kind: 'express', sub: true };
      return undefined;
    case 'express-promise-router':
      return whole ? { kind: 'express', sub: true } : undefined;
    case '@koa/router':
    case 'koa-router':
      return whole || name === 'Router' ? { kind: 'koa', sub: true } : undefined;
    case 'koa':
      return whole ? { kind: 'koa', sub: false } : undefined;
    case 'hono':
    case 'hono/tiny':
    case 'hono/quick':
      return name === 'Hono' ? { kind: 'hono', sub: false } : undefined;
    case '@hono/zod-openapi':
      return name === 'OpenAPIHono' ? { kind: 'hono', sub: false } : undefined;
    case 'fastify':
      return whole || name === 'fastify' || name === 'Fastify' ? { kind: 'fastify', sub: false } : undefined;
    case 'socket.io':
      return whole || name === 'Server' ? { kind: 'socket.io', sub: false } : undefined;
    case 'ws':
      return name === 'WebSocketServer' || name === 'Server' ? { kind: 'ws', sub: false } : undefined;
  }
  return undefined;
}

function handlerName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const x = unwrapAwait(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) {
    const inner = handlerName(x.expression);
    return inner ? `${inner}.${x.name.text}` : x.name.text;
  }
  if (x.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  // asyncHandler(ctrl.list), catchAsync(fn): name the wrapped function.
  if (ts.isCallExpression(x) && x.arguments.length === 1) return handlerName(x.arguments[0]);
  return undefined;
}

/** The last segment of a path matches anything: `*`, `/*`, `(.*)`, `*rest`, `{*rest}`. */
export function isCatchAll(path: string): boolean {
  const seg = path.slice(path.lastIndexOf('/') + 1);
  return seg === '*' || seg === '(.*)' || seg === '(.*)?' || /^\*[A-Za-z0-9_]{0,64}$/.test(seg) || /^\{\*[A-Za-z0-9_]{0,64}\}$/.test(seg);
}

/** Response calls that make a handler answer the request itself (not a 404 or an error). */
const SERVES = ['.sendFile(', '.render(', '.redirect(', '.pipe(', 'proxy', 'Proxy', '.html(', '.stream('];

/**
 * A handler that is middleware, not an endpoint: it passes the request on (calls its `next`
 * parameter), or only refuses it (throws, or answers 404/NotFound), and serves nothing itself
 * (no file, page, redirect, stream or proxy). Undefined when the handler cannot be read.
 */
export function middlewareShaped(fn: ts.SignatureDeclaration): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  const text = body.getText();
  if (SERVES.some((s) => text.includes(s))) return false;
  const next = fn.parameters.find((p, i) => ts.isIdentifier(p.name) && (p.name.text === 'next' || (i === 2 && fn.parameters.length === 3)));
  if (next && ts.isIdentifier(next.name) && (text.includes(`${next.name.text}(`) || text.includes(`${next.name.text})`))) return true;
  if (fn.parameters.length === 4) return true; // Express error handler (err, req, res, next)
  // A not-found responder, or a handler that only throws (the error handler answers).
  if (text.includes('404') || text.includes('NotFound') || text.includes('notFound') || text.toLowerCase().includes('not found')) return true;
  return text.includes('throw ') && !['.json(', '.send(', '.end(', '.text(', '.body('].some((s) => text.includes(s));
}

export class RouterGraph {
  private readonly nodes = new Map<ts.Node | string, RouterNode>();

  constructor(private readonly r: Resolver) {}

  private node(key: ts.Node | string, kind: Kind, at: ts.Node, created: boolean, sub: boolean): RouterNode {
    let n = this.nodes.get(key);
    if (!n) {
      const fi = this.r.fileOfNode(at)!;
      n = {
        kind,
        file: fi.file,
        line: fi.line(at.getStart(fi.sf)),
        created,
        isSubRouter: sub,
        prefix: '',
        routes: [],
        mounts: [],
        mws: [],
        mountedBy: 0,
      };
      this.nodes.set(key, n);
    }
    return n;
  }

  private paramRouter(fn: ts.Node, index: number): RouterNode {
    return this.node(`${fn.getSourceFile().fileName}:${fn.pos}:${index}`, 'unknown', fn, false, true);
  }

  /** The router an expression stands for, if any. */
  routerOf(expr: ts.Expression, depth = 0): RouterNode | undefined {
    if (depth > 20) return undefined;
    const t = this.r.deref(expr);
    return this.routerOfTarget(t, depth);
  }

  /** Router factories already looked into (undefined: not a factory, or still being looked into). */
  private readonly factories = new Map<ts.Node, RouterNode | undefined>();

  private routerOfTarget(t: Target | undefined, depth: number): RouterNode | undefined {
    // Bounded like routerOf: a module whose default export leads back to itself must not loop.
    if (!t || depth > 10) return undefined;
    if (t.kind === 'param') return this.paramRouter(t.fn, t.index);
    if (t.kind === 'module') {
      const d = this.r.exportTarget(t.file, 'default');
      return this.routerOfTarget(d, depth + 1);
    }
    if (t.kind !== 'expr') return undefined;
    const x = unwrapAwait(t.expr);
    // `options.app || express()`, `deps.router ?? Router()`: the default the code creates.
    if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      return this.routerOf(x.right, depth + 1) ?? this.routerOf(x.left, depth + 1);
    }
    if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
      const created = creationOf(this.r.deref(x.expression));
      if (created) {
        if (created.kind === 'socket.io' || created.kind === 'ws') return undefined;
        const n = this.node(x, created.kind, x, true, created.sub);
        if (created.kind === 'koa' && created.sub) {
          const opts = this.r.object(x.arguments?.[0]);
          const prefix = opts ? this.r.str(prop(opts, 'prefix')) : undefined;
          if (prefix) n.prefix = prefix;
        }
        return n;
      }
    }
    if (ts.isCallExpression(x)) {
      const callee = x.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const m = callee.name.text;
        if (m === 'basePath') {
          const parent = this.routerOf(callee.expression, depth + 1);
          if (!parent) return undefined;
          const child = this.node(x, parent.kind, x, false, true);
          if (child.mountedBy === 0) {
            const fi = this.r.fileOfNode(x)!;
            const p = this.r.str(x.arguments[0]) ?? '';
            parent.mounts.push({ prefixes: [p], child, mw: [], file: fi.file, line: fi.line(x.getStart(fi.sf)), pos: x.pos });
            child.mountedBy++;
          }
          return child;
        }
        if (m === 'routes' || m === 'middleware') return this.routerOf(callee.expression, depth + 1);
        if (CHAINABLE.has(m) && !(m === 'route' && x.arguments.length === 1)) {
          return this.routerOf(callee.expression, depth + 1);
        }
      }
      // A factory: function makeRouter() { const r = Router(); …; return r; }
      const f = this.r.deref(callee);
      if (f?.kind === 'func') {
        // Memoised per function: without it, helpers whose returns call other helpers make the
        // search exponential (archdoc's own analyzers took minutes).
        if (this.factories.has(f.node)) return this.factories.get(f.node);
        this.factories.set(f.node, undefined);
        for (const ret of f.file.returns.get(f.node) ?? []) {
          const n = this.routerOf(ret, depth + 1);
          if (n) {
            this.factories.set(f.node, n);
            return n;
          }
        }
      }
    }
    return undefined;
  }

  /** A plugin function (Fastify `register`, `fastify-plugin` wrappers, dynamic imports). */
  private pluginOf(expr: ts.Expression, depth = 0): ts.SignatureDeclaration | undefined {
    if (depth > 10) return undefined;
    const t = this.r.deref(expr);
    return this.pluginOfTarget(t, depth);
  }

  private pluginOfTarget(t: Target | undefined, depth: number): ts.SignatureDeclaration | undefined {
    if (!t || depth > 10) return undefined;
    if (t.kind === 'func') return t.node;
    if (t.kind === 'module') return this.pluginOfTarget(this.r.exportTarget(t.file, 'default'), depth + 1);
    if (t.kind === 'expr') {
      const x = unwrapAwait(t.expr);
      // fp(async (app) => { … }) and similar wrappers: the first function argument.
      if (ts.isCallExpression(x) && x.arguments[0]) return this.pluginOf(x.arguments[0], depth + 1);
      // { default: plugin } from a dynamic import's `.then`: not followed.
    }
    return undefined;
  }

  /** Where a call is: the line of its member name (`.patch(` in a chain), the start position for ordering. */
  private pos(c: ts.Node): { file: string; line: number; pos: number } {
    const fi = this.r.fileOfNode(c)!;
    const at = ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) ? c.expression.name : c;
    return { file: fi.file, line: fi.line(at.getStart(fi.sf)), pos: c.getStart(fi.sf) };
  }

  private mount(parent: RouterNode, prefixes: string[], child: RouterNode, mw: ts.Expression[], at: ts.Node): void {
    if (parent === child) return;
    parent.mounts.push({ prefixes, child, mw, ...this.pos(at) });
    child.mountedBy++;
    if (child.kind === 'unknown') child.kind = parent.kind;
  }

  private route(R: RouterNode, c: ts.CallExpression, methods: string[], args: readonly ts.Expression[]): void {
    if (args.length < 2) return;
    let paths = this.r.strList(args[0]);
    let rest = args.slice(1);
    // koa-router named routes: router.get('order', '/orders/:id', handler)
    if (paths && rest.length >= 2 && (R.kind === 'koa' || R.kind === 'unknown')) {
      const second = this.r.strList(rest[0]);
      if (second && second.every((p) => p.startsWith('/'))) {
        paths = second;
        rest = rest.slice(1);
      }
    }
    let unresolved: string | undefined;
    if (!paths) {
      const first = unwrapAwait(args[0]!);
      // Only string-like first arguments make a route; anything else is not a route call.
      if (ts.isObjectLiteralExpression(first) || ts.isArrowFunction(first) || ts.isFunctionExpression(first) || ts.isNumericLiteral(first)) return;
      unresolved = first.getText();
      paths = [`{${unresolved.replace(/\s+/g, ' ')}}`];
    }
    let mw: ts.Expression[] = [];
    let handler: ts.Expression | undefined;
    const opts = rest[0] ? this.r.object(rest[0]) : undefined;
    if (opts && (rest.length >= 2 || prop(opts, 'handler'))) {
      // Fastify route options: { preHandler, onRequest, handler }
      for (const h of ROUTE_OPTION_HOOKS) {
        const v = prop(opts, h);
        if (v) mw.push(v);
      }
      handler = prop(opts, 'handler');
      rest = rest.slice(1);
    }
    if (rest.length > 0) {
      handler = rest[rest.length - 1];
      mw.push(...rest.slice(0, -1));
    }
    mw = flattenMiddleware(this.r, mw);
    let catchAll = false;
    if (!unresolved && paths.every(isCatchAll)) {
      // `app.options('*', cors())` answers CORS preflight requests: not an endpoint.
      if (methods.every((m) => m === 'OPTIONS')) return;
      // `router.post('*', ensureJson())`, `app.all('*', () => { throw new NotFoundError() })`: middleware.
      const fn = handler ? this.handlerFn(handler) : undefined;
      if (fn && middlewareShaped(fn)) return;
      catchAll = true;
    }
    const where = this.pos(c);
    R.routes.push({ methods, paths: paths.map(cleanParams), unresolved, ...where, handler: handlerName(handler), mw, ...(catchAll ? { catchAll } : {}) });
  }

  /** The function a handler expression is: a function, or what a factory call (`ensureJson()`) returns. */
  private handlerFn(e: ts.Expression, depth = 0): ts.SignatureDeclaration | undefined {
    if (depth > 5) return undefined;
    const x = unwrapAwait(e);
    if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return x;
    const t = this.r.deref(x);
    if (t?.kind === 'func' && !ts.isCallExpression(x)) return t.node;
    if (ts.isCallExpression(x)) {
      const f = this.r.deref(x.expression);
      if (f?.kind !== 'func') return undefined;
      for (const ret of f.file.returns.get(f.node) ?? []) {
        const fn = this.handlerFn(ret, depth + 1);
        if (fn) return fn;
      }
    }
    return undefined;
  }

  /** `@hono/zod-openapi`: `app.openapi(createRoute({ method, path }), handler)`; `{id}` parameters become `:id`. */
  private openapiRoute(R: RouterNode, c: ts.CallExpression): void {
    let def = c.arguments[0] ? unwrapAwait(c.arguments[0]) : undefined;
    if (def && !ts.isObjectLiteralExpression(def)) {
      const t = this.r.deref(def);
      def = t?.kind === 'expr' ? unwrapAwait(t.expr) : undefined;
    }
    if (def && ts.isCallExpression(def) && def.arguments[0]) def = unwrapAwait(def.arguments[0]);
    const opts = def ? this.r.object(def) : undefined;
    if (!opts) return;
    const method = this.r.str(prop(opts, 'method'));
    const path = this.r.str(prop(opts, 'path'));
    if (!method || path === undefined || !VERBS[method.toLowerCase()]) return;
    const mw = flattenMiddleware(
      this.r,
      [prop(opts, 'middleware')].filter((x): x is ts.Expression => !!x),
    );
    R.routes.push({
      methods: [VERBS[method.toLowerCase()]!],
      paths: [cleanParams(toColonParams(path))],
      ...this.pos(c),
      handler: handlerName(c.arguments[1]),
      mw,
    });
  }

  /** Fastify `route({ method, url, preHandler, handler })`. */
  private routeObject(R: RouterNode, c: ts.CallExpression, opts: ts.ObjectLiteralExpression): void {
    const methods = this.r.strList(prop(opts, 'method'))?.map((m) => m.toUpperCase());
    const paths = this.r.strList(prop(opts, 'url') ?? prop(opts, 'path'));
    if (!methods || !paths) return;
    const mw: ts.Expression[] = [];
    for (const h of ROUTE_OPTION_HOOKS) {
      const v = prop(opts, h);
      if (v) mw.push(v);
    }
    R.routes.push({
      methods,
      paths: paths.map(cleanParams),
      ...this.pos(c),
      handler: handlerName(prop(opts, 'handler')),
      mw: flattenMiddleware(this.r, mw),
    });
  }

  /**
   * A route table walked by a loop: `routes.forEach((route) => router.use(route.path, route.route))`
   * over a constant array. The call's arguments once per element, the loop variable (and its
   * properties) replaced by the element (and its properties); undefined when the call is in no such loop.
   */
  private loopArgs(c: ts.CallExpression): ts.Expression[][] | undefined {
    for (const a of c.arguments) {
      const x = unwrapAwait(a);
      const id = ts.isIdentifier(x) ? x : ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression) ? x.expression : undefined;
      const t = id ? this.r.deref(id) : undefined;
      if (t?.kind !== 'param' || t.index !== 0) continue;
      const loop = t.fn.parent;
      if (!ts.isCallExpression(loop) || loop.arguments[0] !== t.fn || !ts.isPropertyAccessExpression(loop.expression)) continue;
      if (loop.expression.name.text !== 'forEach' && loop.expression.name.text !== 'map') continue;
      const arr = this.r.deref(loop.expression.expression);
      const list = arr?.kind === 'expr' ? unwrapAwait(arr.expr) : undefined;
      if (!list || !ts.isArrayLiteralExpression(list)) continue;
      const param = t.fn.parameters[0]!.name;
      const isVar = (e: ts.Expression) => ts.isIdentifier(e) && ts.isIdentifier(param) && e.text === param.text && this.r.deref(e)?.kind === 'param';
      return list.elements
        .filter((el) => !ts.isSpreadElement(el))
        .map((el) =>
          c.arguments.map((arg) => {
            const y = unwrapAwait(arg);
            if (isVar(y)) return el;
            if (ts.isPropertyAccessExpression(y) && isVar(y.expression)) {
              const o = this.r.object(el);
              return (o && prop(o, y.name.text)) ?? arg;
            }
            return arg;
          }),
        );
    }
    return undefined;
  }

  private use(R: RouterNode, c: ts.CallExpression, given?: ts.Expression[]): void {
    if (!given) {
      const loops = this.loopArgs(c);
      if (loops) {
        for (const args of loops) this.use(R, c, args);
        return;
      }
    }
    const args = given ?? [...c.arguments];
    if (args.length === 0) return;
    let prefixes = [''];
    const first = this.r.strList(args[0]);
    if (first !== undefined) {
      prefixes = first;
      args.shift();
    }
    const before: ts.Expression[] = [];
    for (const arg of flattenMiddleware(this.r, args)) {
      const x = unwrapAwait(arg);
      // koa-mount: app.use(mount('/v1', router.routes()))
      if (ts.isCallExpression(x) && x.arguments.length === 2) {
        const t = this.r.deref(x.expression);
        if (t?.kind === 'external' && t.module === 'koa-mount') {
          const p = this.r.str(x.arguments[0]);
          const child = this.routerOf(x.arguments[1]!);
          if (p !== undefined && child) {
            this.mount(
              R,
              prefixes.map((q) => joinPath(q, p)),
              child,
              [...before],
              c,
            );
            continue;
          }
        }
      }
      const child = this.routerOf(arg);
      if (child && child !== R) {
        this.mount(R, prefixes, child, [...before], c);
        continue;
      }
      // `router.use('/liveness', (req, res) => res.sendStatus(200))`: a handler with no `next` mounted
      // at a path answers every method there; an endpoint (ALL), not middleware.
      if (
        first !== undefined &&
        (R.kind === 'express' || R.kind === 'unknown') &&
        (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) &&
        x.parameters.length === 2 &&
        !middlewareShaped(x)
      ) {
        R.routes.push({ methods: ['ALL'], paths: prefixes.map(cleanParams), ...this.pos(c), handler: handlerName(arg), mw: [...before] });
        continue;
      }
      before.push(arg);
      for (const p of prefixes) R.mws.push({ prefix: p, expr: arg, file: this.pos(c).file, pos: this.pos(c).pos });
    }
  }

  /** `register(AutoLoad, { dir: path.join(__dirname, 'routes') })`: each file is a plugin, folders are prefixes. */
  private autoload(R: RouterNode, c: ts.CallExpression, opts: ts.ObjectLiteralExpression): void {
    const dirExpr = prop(opts, 'dir');
    const x = dirExpr ? unwrapAwait(dirExpr) : undefined;
    if (!x || !ts.isCallExpression(x)) return;
    const here = (a: ts.Expression) => (ts.isIdentifier(a) && (a.text === '__dirname' || a.text === 'dirname')) || /^import\.meta\.dirname$/.test(a.getText());
    const parts = x.arguments.map((a) => (here(a) ? '.' : this.r.str(a)));
    if (parts.some((p) => p === undefined)) return;
    const fi = this.r.fileOfNode(c)!;
    const dir = joinPosix(dirOf(fi.file), ...(parts as string[]));
    const inner = this.r.object(prop(opts, 'options'));
    const base = inner ? (this.r.str(prop(inner, 'prefix')) ?? '') : '';
    const autoHooks = prop(opts, 'autoHooks')?.kind === ts.SyntaxKind.TrueKeyword;
    const cascade = prop(opts, 'cascadeHooks')?.kind === ts.SyntaxKind.TrueKeyword;
    const files = this.r.ctx.files.filter((f) => f.startsWith(dir + '/') && /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts') && !this.r.ctx.isSetAside(f));
    // autohooks files: their hooks apply to the plugins of their folder (and below, with cascadeHooks).
    const hooks = new Map<string, RouterNode>();
    if (autoHooks) {
      for (const f of files) {
        if (!/(^|\/)autohooks\.[cm]?[jt]s$/.test(f)) continue;
        const idx = this.r.index(f);
        const fn = idx ? this.pluginOfTarget(this.r.exportTarget(idx, 'default'), 0) : undefined;
        if (fn) hooks.set(dirOf(f), this.paramRouter(fn, 0));
      }
    }
    for (const file of files) {
      const rel = file.slice(dir.length + 1);
      if (/(^|\/)(_|\.)/.test(rel) || /autohooks\.[cm]?[jt]s$/.test(rel)) continue;
      const hooksFrom = [...hooks.entries()].filter(([d]) => d === dirOf(file) || (cascade && file.startsWith(d + '/'))).map(([, n]) => n);
      const index = this.r.index(file);
      if (!index) continue;
      const fn = this.pluginOfTarget(this.r.exportTarget(index, 'default') ?? this.r.exportTarget(index, '*'), 0);
      if (!fn) continue;
      const folder =
        dirOf(rel) === '.'
          ? ''
          : dirOf(rel)
              .replace(/\[([^\]]+)\]/g, ':$1')
              .replace(/_([A-Za-z0-9]+)/g, ':$1');
      this.mount(R, [joinPath(base, folder)], this.paramRouter(fn, 0), [], c);
      if (hooksFrom.length > 0) R.mounts[R.mounts.length - 1]!.hooksFrom = hooksFrom;
    }
  }

  private register(R: RouterNode, c: ts.CallExpression): void {
    const [plugin, optsExpr] = c.arguments;
    if (!plugin) return;
    const opts = this.r.object(optsExpr);
    const pt = this.r.deref(plugin);
    if (pt?.kind === 'external' && /^(@fastify\/autoload|fastify-autoload)$/.test(pt.module)) {
      if (opts) this.autoload(R, c, opts);
      return;
    }
    const prefix = opts ? (this.r.str(prop(opts, 'prefix')) ?? '') : '';
    const direct = this.routerOf(plugin);
    if (direct && direct.created) {
      this.mount(R, [prefix], direct, [], c);
      return;
    }
    const fn = this.pluginOf(plugin);
    if (fn) this.mount(R, [prefix], this.paramRouter(fn, 0), [], c);
  }

  /** Route chains: router.route('/x').get(a).post(b) */
  private chainOf(expr: ts.Expression, depth = 0): { router: RouterNode; paths: string[] } | undefined {
    const x = unwrapAwait(expr);
    if (depth > 20 || !ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression)) return undefined;
    const m = x.expression.name.text;
    if (m === 'route' && x.arguments.length === 1 && !ts.isObjectLiteralExpression(unwrapAwait(x.arguments[0]!))) {
      const router = this.routerOf(x.expression.expression);
      const paths = this.r.strList(x.arguments[0]);
      return router && paths ? { router, paths } : undefined;
    }
    if (VERBS[m]) return this.chainOf(x.expression.expression, depth + 1);
    return undefined;
  }

  /** Read one file's recorded calls into the graph. */
  collect(fi: FileIndex): void {
    for (const c of fi.memberCalls) {
      const callee = c.expression as ts.PropertyAccessExpression;
      const m = callee.name.text;
      const recv = callee.expression;
      try {
        if (VERBS[m]) {
          const chain = this.chainOf(recv);
          if (chain) {
            const mw = flattenMiddleware(this.r, c.arguments.slice(0, -1));
            chain.router.routes.push({
              methods: [VERBS[m]!],
              paths: chain.paths.map(cleanParams),
              ...this.pos(c),
              handler: handlerName(c.arguments[c.arguments.length - 1]),
              mw,
            });
            continue;
          }
        }
        const R = this.routerOf(recv);
        if (!R) continue;
        if (VERBS[m]) this.route(R, c, [VERBS[m]!], c.arguments);
        else if (m === 'on' && c.arguments.length >= 3) {
          const methods = this.r.strList(c.arguments[0])?.map((x) => x.toUpperCase());
          if (methods && methods.every((x) => VERBS[x.toLowerCase()] !== undefined)) this.route(R, c, methods, c.arguments.slice(1));
        } else if (m === 'route') {
          const opts = c.arguments.length === 1 ? this.r.object(c.arguments[0]) : undefined;
          if (opts) this.routeObject(R, c, opts);
          else if (c.arguments.length >= 2) {
            for (const args of this.loopArgs(c) ?? [[...c.arguments]]) {
              const p = this.r.str(args[0]);
              const child = this.routerOf(args[1]!);
              if (p !== undefined && child) this.mount(R, [p], child, [], c);
            }
          }
        } else if (m === 'openapi') this.openapiRoute(R, c);
        else if ((m === 'doc' || m === 'doc31') && R.kind === 'hono') {
          // @hono/zod-openapi serves the generated OpenAPI document: app.doc('/doc', { openapi, info }).
          const p = this.r.str(c.arguments[0]);
          if (p !== undefined && c.arguments.length === 2) R.routes.push({ methods: ['GET'], paths: [p], ...this.pos(c), handler: m, mw: [] });
        } else if (m === 'use') this.use(R, c);
        else if (m === 'register') this.register(R, c);
        else if (m === 'addHook') {
          const hook = this.r.str(c.arguments[0]);
          if (hook && AUTH_HOOKS.has(hook) && c.arguments[1]) R.mws.push({ prefix: '', expr: c.arguments[1], ...this.pos(c) });
        } else if (m === 'prefix' && R.kind === 'koa') {
          const p = this.r.str(c.arguments[0]);
          if (p) R.prefix = p;
        }
      } catch (e) {
        const where = this.pos(c);
        this.r.ctx.warn(where.file, where.line, `route call could not be read: ${(e as Error).message}`);
      }
    }
    for (const c of fi.plainCalls) {
      // routes(app), registerRoutes(app, deps): the function's parameter is that router.
      const t = this.r.deref(c.expression);
      const fn = t?.kind === 'func' ? t.node : t?.kind === 'module' ? this.pluginOf(c.expression) : undefined;
      if (!fn) continue;
      c.arguments.forEach((arg, i) => {
        const x = unwrapAwait(arg);
        if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) return;
        const parent = this.routerOf(arg);
        if (parent) this.mount(parent, [''], this.paramRouter(fn, i), [], c);
      });
    }
  }

  /**
   * The router a route handler hands every request to: `handle(app)` (hono/vercel, hono/nextjs),
   * `app.fetch`, or any call given a router. Its framework and whether archdoc read routes of it.
   */
  delegation(e: ts.Expression): { framework: string; routes: boolean } | undefined {
    const x = unwrapAwait(e);
    const candidates = ts.isCallExpression(x) ? [...x.arguments] : [x];
    for (const a of candidates) {
      const y = unwrapAwait(a);
      const n = this.routerOf(ts.isPropertyAccessExpression(y) && y.name.text === 'fetch' ? y.expression : y);
      if (n) return { framework: n.kind === 'unknown' ? 'express' : n.kind, routes: hasRoutes(n) };
    }
    return undefined;
  }

  /** Every route with its full path, walking from the routers nobody mounts. */
  endpoints(): Found[] {
    const out: Found[] = [];
    const walk = (n: RouterNode, prefix: string, inherited: ts.Expression[], stack: Set<RouterNode>, more: { file: string; line: number }[], note?: string) => {
      if (stack.has(n) || stack.size > 30) return;
      stack.add(n);
      const base = joinPath(prefix, n.prefix);
      const applies = (mw: MwRec, file: string, pos: number, rel: string) => {
        if (mw.file === file && mw.pos > pos) return false;
        const p = mw.prefix.replace(/\/?\*$/, '');
        return p === '' || p === '/' || rel === p || rel.startsWith(p.endsWith('/') ? p : p + '/');
      };
      for (const r of n.routes) {
        for (const p of r.paths) {
          const rel = joinPath(p);
          const mws = [...inherited, ...n.mws.filter((m) => applies(m, r.file, r.pos, rel)).map((m) => m.expr), ...r.mw];
          for (const method of r.methods) {
            const f: Found = {
              protocol: 'http',
              method,
              path: joinPath(base, p),
              file: r.file,
              line: r.line,
              framework: n.kind === 'unknown' ? 'express' : n.kind,
              handler: r.handler,
              mechanisms: [],
              more,
            };
            this.applyAuth(f, mws);
            if (note || r.unresolved || r.catchAll) {
              f.details = {
                ...(note ? { mount: note } : {}),
                ...(r.unresolved ? { unresolvedPath: r.unresolved } : {}),
                ...(r.catchAll ? { catchAll: true } : {}),
              };
            }
            out.push(f);
          }
        }
      }
      for (const m of n.mounts) {
        const mws = [
          ...inherited,
          ...n.mws.filter((x) => applies(x, m.file, m.pos, joinPath(m.prefixes[0]))).map((x) => x.expr),
          ...(m.hooksFrom ?? []).flatMap((h) => h.mws.map((x) => x.expr)),
          ...m.mw,
        ];
        for (const p of m.prefixes) walk(m.child, joinPath(base, p), mws, new Set(stack), [...more, { file: m.file, line: m.line }], note);
      }
    };
    const roots = [...this.nodes.values()].filter((n) => n.created && n.mountedBy === 0);
    for (const n of roots) {
      const note = n.isSubRouter && n.kind !== 'hono' && hasRoutes(n) ? 'not found' : undefined;
      if (note) {
        this.r.ctx.warn(n.file, n.line, 'router is never mounted where archdoc can see it; its routes are listed without a mount prefix');
      }
      walk(n, '', [], new Set(), [], note);
    }
    return out;
  }

  private applyAuth(f: Found, mws: ts.Expression[]): void {
    const roles: string[] = [];
    for (const e of mws) {
      const a = classifyMiddleware(this.r, e);
      if (!a) continue;
      if (!f.mechanisms.includes(a.mechanism)) f.mechanisms.push(a.mechanism);
      if (a.optional) f.optOut = true;
      roles.push(...a.roles);
    }
    if (f.mechanisms.length > 0 && f.mechanisms.every((m) => /optional/i.test(m))) f.optOut = true;
    else if (f.mechanisms.length > 0) f.optOut = false;
    if (roles.length > 0) f.roles = [...new Set(roles)];
  }
}

function hasRoutes(n: RouterNode, seen = new Set<RouterNode>()): boolean {
  if (seen.has(n)) return false;
  seen.add(n);
  return n.routes.length > 0 || n.mounts.some((m) => hasRoutes(m.child, seen));
}
