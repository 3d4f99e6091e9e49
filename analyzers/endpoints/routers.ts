/**
 * Express, Koa (@koa/router, koa-router, koa-mount), Fastify and Hono: routers are found where
 * they are created (`express()`, `Router()`, `new Router({ prefix })`, `new Hono()`,
 * `fastify()`), where a plugin function receives one (`register(plugin, { prefix })`,
 * `routes(app)`), and are joined by their mount calls (`use`, `route`, `register`, `basePath`)
 * across files. Paths are composed by walking that graph from the routers nobody mounts.
 * Also Socket.IO and ws servers, as listed interfaces.
 */
import { bindArgs, type Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { classifyMiddleware, flattenMiddleware } from './auth.js';
import { FASTIFY_CHAINABLE, autoloadDir, autoloadPlan, hookExemptions, pluginPrefix } from './fastify.js';
import {
  koaMemberName,
  koaRouterClass,
  loaderFolders,
  routeArgs,
  routerClassOf,
  subclassRouteMethods,
  subclassVerb,
  suffixVerb,
  swaggerPaths,
  unlessExempts,
} from './koa.js';
import { cleanParams, joinPath, toColonParams } from './paths.js';
import { prop, receiverOf, type Expr, type Resolver, type Target } from './resolver.js';
import { MAX_FORWARDING, MAX_INSTANCES, readsParams, withNested } from './route-factories.js';
import type { Found } from './types.js';
import { valueText } from './values.js';

type Kind = 'express' | 'koa' | 'fastify' | 'hono' | 'elysia' | 'unknown';
type Creation = Kind | 'socket.io' | 'ws';

interface RouteRec {
  methods: string[];
  paths: string[];
  unresolved?: string;
  file: string;
  line: number;
  pos: number;
  handler?: string;
  mw: Expr[];
  /** The path ends in a wildcard (`*`, `(.*)`, `{*rest}`) and the handler responds: a catch-all route. */
  catchAll?: boolean;
}
interface MountRec {
  /** Routers whose hooks apply to this mount (Fastify autohooks). */
  hooksFrom?: RouterNode[];
  /** The child is a Hono `basePath()` clone of the parent. */
  clone?: true;
  prefixes: string[];
  child: RouterNode;
  mw: Expr[];
  file: string;
  line: number;
  pos: number;
}
interface MwRec {
  prefix: string;
  expr: Expr;
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
const CHAINABLE = new Set([
  ...Object.keys(VERBS),
  'use',
  'register',
  'addHook',
  'on',
  'route',
  'openapi',
  'onError',
  'notFound',
  'doc',
  'doc31',
  'group',
  ...FASTIFY_CHAINABLE,
]);
const AUTH_HOOKS = new Set(['onRequest', 'preHandler', 'preValidation', 'preParsing']);
/**
 * Helper instances in all, at most (MAX_INSTANCES bounds one function's): helpers calling each other
 * per call (h0 → eight calls of h1 → eight of h2 …) would otherwise make 200 of every function.
 */
const MAX_ALL_INSTANCES = 1000;
/**
 * Route paths listed, and routers visited, from one app, at most; and from all apps together. The
 * same router mounted again and again from mounted helpers (eight calls of h1 in h0, eight of h2 in
 * h1 …) multiplies its paths; past the budget the listing stops, with a warning at the app. The
 * budget is per app first, so that one such app leaves the others their routes.
 */
const MAX_WALK_ROUTES = 20_000;
const MAX_WALK_STEPS = 100_000;
const MAX_ALL_WALK_ROUTES = 5 * MAX_WALK_ROUTES;
const MAX_ALL_WALK_STEPS = 5 * MAX_WALK_STEPS;
const ROUTE_OPTION_HOOKS = ['onRequest', 'preHandler', 'preValidation', 'preParsing'];

/** Member names worth reading: route verbs, mounting, hooks. */
const MEMBER_CALLS = new Set([
  ...Object.keys(VERBS),
  'use',
  'route',
  'register',
  'on',
  'of',
  'addHook',
  'prefix',
  'basePath',
  'applyMiddleware',
  'mount',
  'openapi',
  'doc',
  'doc31',
  'ws',
  'group',
]);

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
    case 'elysia':
      return name === 'Elysia' ? { kind: 'elysia', sub: false } : undefined;
    case 'fastify':
      return whole || name === 'fastify' || name === 'Fastify' ? { kind: 'fastify', sub: false } : undefined;
    case 'socket.io':
      return whole || name === 'Server' ? { kind: 'socket.io', sub: false } : undefined;
    case 'ws':
      return name === 'WebSocketServer' || name === 'Server' ? { kind: 'ws', sub: false } : undefined;
  }
  return undefined;
}

/** A handler as named in the code: `ctrl.list`, the function `asyncHandler(ctrl.list)` wraps. */
function handlerName(e: Expr | undefined): string | undefined {
  const v = e?.v;
  if (v?.k === 'ref') return v.path.includes('(') ? v.path.slice(v.path.lastIndexOf('.') + 1) : v.path;
  if (v?.k === 'env') return v.path;
  if (v?.k === 'call' && v.call.args.length === 1) return handlerName({ v: v.call.args[0]!, scope: e!.scope });
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
 * (no file, page, redirect, stream or proxy). False when the handler has no body to read.
 */
export function middlewareShaped(r: Resolver, fn: Fn): boolean {
  if (!fn.span || fn.span[1] === fn.span[2]) return false;
  const text = r.fnText(fn, true) ?? '';
  if (SERVES.some((s) => text.includes(s))) return false;
  const params = fn.paramNames;
  const next = params.find((p, i) => p !== '' && (p === 'next' || (i === 2 && params.length === 3)));
  if (next && (text.includes(`${next}(`) || text.includes(`${next})`))) return true;
  if (params.length === 4) return true; // Express error handler (err, req, res, next)
  // A not-found responder, or a handler that only throws (the error handler answers).
  if (text.includes('404') || text.includes('NotFound') || text.includes('notFound') || text.toLowerCase().includes('not found')) return true;
  return text.includes('throw ') && !['.json(', '.send(', '.end(', '.text(', '.body('].some((s) => text.includes(s));
}

/**
 * A call's node in the graph, by what it is (its file, line, callee and arguments as written): the
 * index reads a returned call again where it also records it, so the same call can be two objects.
 */
function callKey(c: CallSite, file: string): string {
  const recv = c.recv ? valueText(c.recv) : '';
  return `${file}\u0000${c.line}\u0000${recv}${c.root}.${c.names.join('.')}(${c.args.map(valueText).join(', ')})${c.innerArgs.map((a) => a.map(valueText).join(', ')).join('|')}`;
}

/** Where a call is: its file, the line of its member name (`.patch(` in a chain), and the line of the chain for ordering. */
interface Where {
  file: string;
  line: number;
  pos: number;
}

/** A parameter router mounted by a call (`crud(app, { resource })`, `register(plugin, opts)`): the call's arguments bind the function's parameters. */
interface HelperCall {
  mount: MountRec;
  parent: RouterNode;
  args: readonly Value[];
  scope: Scope;
  where: Where;
}

/** A helper being read for one call: its parameter routers bound to that call's instances, how many forwarding calls deep. */
interface Instantiation {
  bound: Map<string, RouterNode>;
  depth: number;
  factories: Map<Fn, RouterNode | undefined>;
}

/** One call of a chain: the call up to its name, what it is called on, its arguments, where. */
interface MemberCall {
  call: CallSite;
  name: string;
  recv: Expr;
  args: Expr[];
  where: Where;
}

export class RouterGraph {
  private readonly nodes = new Map<string, RouterNode>();

  constructor(private readonly r: Resolver) {}

  private node(key: string, kind: Kind, file: string, line: number, created: boolean, sub: boolean): RouterNode {
    let n = this.nodes.get(key);
    if (!n) {
      n = { kind, file, line, created, isSubRouter: sub, prefix: '', routes: [], mounts: [], mws: [], mountedBy: 0 };
      this.nodes.set(key, n);
    }
    return n;
  }

  /** The function and parameter each parameter router stands for. */
  private readonly params = new Map<RouterNode, { fn: Fn; index: number }>();
  /** Parameter routers with a route whose path or method reads another parameter: read once per call (route-factories.ts). */
  private readonly parametric = new Set<RouterNode>();
  /** Parameter routers mounted by calls, in the order read: where a call's instance replaces the shared router. */
  private readonly helperCalls: HelperCall[] = [];
  /** Instances made per function, and in all. */
  private readonly instances = new Map<string, number>();
  private allInstances = 0;
  private allWarned = false;
  /** Set while a helper is read for one call. */
  private inst?: Instantiation;
  private instantiated = false;

  /** The router a function's parameter is: the call's instance while that function is read for a call, else one router for every call. */
  private paramRouter(fn: Fn, index: number): RouterNode {
    return this.inst?.bound.get(`${fn.key}\u0000${index}`) ?? this.sharedRouter(fn, index);
  }

  private sharedRouter(fn: Fn, index: number): RouterNode {
    const n = this.node(`${fn.key}\u0000${index}`, 'unknown', fn.file, fn.line, false, true);
    if (!this.params.has(n)) this.params.set(n, { fn, index });
    return n;
  }

  /** A route of a parameter router whose path (or method) reads another parameter of its function makes the function a helper read per call. */
  private noteParametric(R: RouterNode, e: Expr | undefined): void {
    const p = this.inst ? undefined : this.params.get(R);
    if (p && e && readsParams(this.r.ev, e.scope, p.fn, p.fn.paramNames[p.index], e.v)) this.parametric.add(R);
  }

  /** The router an expression stands for, if any. */
  routerOf(e: Expr | undefined, depth = 0): RouterNode | undefined {
    if (!e || depth > 20) return undefined;
    return this.routerOfTarget(this.r.deref(e), depth);
  }

  /** Router factories already looked into (undefined: not a factory, or still being looked into). */
  private readonly factories = new Map<Fn, RouterNode | undefined>();

  private routerOfTarget(t: Target | undefined, depth: number): RouterNode | undefined {
    // Bounded like routerOf: a module whose default export leads back to itself must not loop.
    if (!t || depth > 10) return undefined;
    if (t.kind === 'param') return this.paramRouter(t.fn, t.index);
    if (t.kind === 'module') return this.routerOfTarget(this.r.exportTarget(t.file, 'default'), depth + 1);
    if (t.kind !== 'expr') return undefined;
    const x = t.e.v;
    const scope = t.e.scope;
    // `options.app || express()`, `deps.router ?? Router()`: the default the code creates.
    if (x.k === 'or') return this.routerOf({ v: x.right, scope }, depth + 1) ?? this.routerOf({ v: x.left, scope }, depth + 1);
    if (x.k !== 'call') return undefined;
    const c = x.call;
    const callee = this.r.callee(t.e);
    const created = creationOf(callee) ?? (koaRouterClass(this.r, callee) ? { kind: 'koa' as const, sub: true } : undefined);
    if (created) {
      if (created.kind === 'socket.io' || created.kind === 'ws') return undefined;
      const n = this.node(callKey(c, scope.file), created.kind, scope.file, c.line, true, created.sub);
      if ((created.kind === 'koa' && created.sub) || created.kind === 'elysia') {
        const opts = this.r.object(c.args[0] && { v: c.args[0], scope });
        const prefix = opts ? this.r.str(prop(opts, 'prefix')) : undefined;
        if (prefix) n.prefix = prefix;
      }
      return n;
    }
    const m = c.names[c.names.length - 1];
    const recv = receiverOf(c, (call, at) => this.r.sub(call, at));
    if (m && m !== '()' && recv && !c.isNew) {
      const on: Expr = { v: recv, scope };
      if (m === 'basePath') {
        const parent = this.routerOf(on, depth + 1);
        if (!parent) return undefined;
        // Hono's basePath returns a clone sharing the parent's routes, each stored with the base path:
        // the prefix is the clone's own (it goes with it when `route()` mounts it elsewhere), and the
        // parent serves the clone's routes as they are.
        const child = this.node(callKey(c, scope.file), parent.kind, scope.file, c.line, false, true);
        if (child.mountedBy === 0) {
          child.prefix = this.r.str(c.args[0] && { v: c.args[0], scope }) ?? '';
          parent.mounts.push({ prefixes: [''], child, mw: [], file: scope.file, line: c.line, pos: c.line, clone: true });
          child.mountedBy++;
        }
        return child;
      }
      if (m === 'routes' || m === 'middleware') return this.routerOf(on, depth + 1);
      if (CHAINABLE.has(m) && !(m === 'route' && c.args.length === 1)) {
        // A chain (`new Hono().route('/a', a).route('/b', b)…`, a dozen calls long) is walked down
        // its receivers here, not counted against the depth of references followed.
        return this.routerOf({ v: on.v.k === 'call' ? this.chainBase(on.v.call) : on.v, scope }, depth + 1);
      }
    }
    // A factory: function makeRouter() { const r = Router(); …; return r; }
    const f = c.isNew ? undefined : this.r.callee(t.e);
    if (f?.kind === 'func') {
      // Memoised per function: without it, helpers whose returns call other helpers make the
      // search exponential (archdoc's own analyzers took minutes). A helper read for one call keeps
      // its own, so that no answer naming its instance is seen outside it.
      const memo = this.inst?.factories ?? this.factories;
      if (memo.has(f.fn)) return memo.get(f.fn);
      memo.set(f.fn, undefined);
      for (const ret of f.fn.returns) {
        const n = this.routerOf({ v: ret, scope: { file: f.fn.file, fn: f.fn } }, depth + 1);
        if (n) {
          memo.set(f.fn, n);
          return n;
        }
      }
    }
    return undefined;
  }

  /** The receiver a chain of calls that return their router starts from: `new Hono()` of `new Hono().get(…).post(…)`. */
  private chainBase(call: CallSite): Expr['v'] {
    let c = call;
    // Each receiver is a shorter part of the same chain, so this ends; the bound is for safety.
    for (let i = 0; i < 1000; i++) {
      const m = c.names[c.names.length - 1];
      if (!m || c.isNew || !CHAINABLE.has(m) || (m === 'route' && c.args.length === 1)) break;
      const recv = receiverOf(c, (x, at) => this.r.sub(x, at));
      if (recv?.k !== 'call') return recv ?? { k: 'call', call: c };
      c = recv.call;
    }
    return { k: 'call', call: c };
  }

  /** A plugin function (Fastify `register`, `fastify-plugin` wrappers, dynamic imports). */
  private pluginOf(e: Expr | undefined, depth = 0): Fn | undefined {
    if (!e || depth > 10) return undefined;
    return this.pluginOfTarget(this.r.deref(e), depth);
  }

  private pluginOfTarget(t: Target | undefined, depth: number): Fn | undefined {
    if (!t || depth > 10) return undefined;
    if (t.kind === 'func') return t.fn;
    if (t.kind === 'module') return this.pluginOfTarget(this.r.exportTarget(t.file, 'default'), depth + 1);
    // fp(async (app) => { … }) and similar wrappers: the first function argument.
    if (t.kind === 'expr' && t.e.v.k === 'call' && t.e.v.call.args[0]) return this.pluginOf({ v: t.e.v.call.args[0], scope: t.e.scope }, depth + 1);
    return undefined;
  }

  /** Where a call is: the line of its last name (`.patch(` in a chain), the chain's line for ordering. */
  private where(c: CallSite, file: string): Where {
    let at = c.names.length - 1;
    if (c.names[at] === '()') at--;
    return { file, line: c.lines?.[at] ?? c.line, pos: c.line };
  }

  private mount(parent: RouterNode, prefixes: string[], child: RouterNode, mw: Expr[], where: Where): MountRec | undefined {
    if (parent === child) return undefined;
    const m: MountRec = { prefixes, child, mw, ...where };
    parent.mounts.push(m);
    child.mountedBy++;
    if (child.kind === 'unknown') child.kind = parent.kind;
    return m;
  }

  /**
   * A function given a router by a call: its parameter router is mounted; while a helper is read for
   * a call, a helper it calls whose paths read parameters is read for this call too (its instance).
   */
  private mountHelper(parent: RouterNode, fn: Fn, index: number, args: readonly Value[], scope: Scope, prefixes: string[], where: Where): void {
    const shared = this.sharedRouter(fn, index);
    if (this.inst && this.parametric.has(shared)) {
      const inst = this.instantiate(shared, args, scope, where, this.inst.depth + 1);
      if (inst) {
        this.mount(parent, prefixes, inst, [], where);
        return;
      }
    }
    const m = this.mount(parent, prefixes, shared, [], where);
    if (m && !this.inst) this.helperCalls.push({ mount: m, parent, args, scope, where });
  }

  /**
   * The helper `shared` stands for, read for one call: its routes, mounts and middleware with its
   * parameters bound to the call's arguments, on a router of their own. Undefined past the bounds
   * (forwarding depth, instances per function and in all), with a warning: the call keeps the shared router.
   */
  private instantiate(shared: RouterNode, args: readonly Value[], caller: Scope, where: Where, depth: number): RouterNode | undefined {
    const p = this.params.get(shared)!;
    if (depth >= MAX_FORWARDING) {
      this.r.ctx.warn(
        where.file,
        where.line,
        `routes of ${p.fn.name} are forwarded more than ${MAX_FORWARDING} calls deep; read without this call's arguments`,
      );
      return undefined;
    }
    if (this.allInstances >= MAX_ALL_INSTANCES) {
      if (!this.allWarned)
        this.r.ctx.warn(
          where.file,
          where.line,
          `helpers are called with a router more than ${MAX_ALL_INSTANCES} times in all; from here on their routes are read without the call's arguments`,
        );
      this.allWarned = true;
      return undefined;
    }
    const count = (this.instances.get(p.fn.key) ?? 0) + 1;
    this.instances.set(p.fn.key, count);
    if (count > MAX_INSTANCES) {
      if (count === MAX_INSTANCES + 1)
        this.r.ctx.warn(
          where.file,
          where.line,
          `${p.fn.name} is called with a router more than ${MAX_INSTANCES} times; from here on its routes are read without the call's arguments`,
        );
      return undefined;
    }
    this.allInstances++;
    const node: RouterNode = {
      kind: 'unknown',
      file: shared.file,
      line: shared.line,
      created: false,
      isSubRouter: true,
      prefix: '',
      routes: [],
      mounts: [],
      mws: [],
      mountedBy: 0,
    };
    const scope: Scope = { file: p.fn.file, fn: p.fn, args: bindArgs(p.fn, args, caller) };
    const outer = this.inst;
    this.inst = { bound: new Map(outer?.bound).set(`${p.fn.key}\u0000${p.index}`, node), depth, factories: new Map() };
    try {
      // The function and its callbacks, each read in a scope bound to this call (a callback's through `outer`).
      const scopes = new Map<Fn, Scope>([[p.fn, scope]]);
      const calls: { fn: Fn; call: CallSite; scope: Scope }[] = [];
      for (const g of withNested(this.r.ev, p.fn)) {
        let s = scopes.get(g);
        if (!s) scopes.set(g, (s = { file: g.file, fn: g, outer: scopes.get(this.r.ev.fns.get(g.parent ?? '')!) ?? scope }));
        for (const call of g.calls) calls.push({ fn: g, call, scope: s });
        for (const call of g.chained ?? []) if (call.recv) calls.push({ fn: g, call, scope: s });
      }
      calls.sort((a, b) => a.call.line - b.call.line);
      this.readCalls(calls, node);
    } finally {
      this.inst = outer;
    }
    return node;
  }

  /**
   * Parameter routers mounted by calls whose routes read other parameters are replaced, call by
   * call, by their instances. A wrapper forwarding its own parameters to such a helper
   * (`crud(app, config)` → `readRoutes(app, config)`) is one too: its instances make the helper's.
   */
  private instantiateHelpers(): void {
    if (this.instantiated) return;
    this.instantiated = true;
    const forwards = (h: HelperCall): boolean => {
      const owner = this.params.get(h.parent);
      return owner !== undefined && h.args.some((a) => readsParams(this.r.ev, h.scope, owner.fn, owner.fn.paramNames[owner.index], a));
    };
    // Each pass adds a router or ends: at most as many passes as there are routers.
    for (let changed = true; changed; ) {
      changed = false;
      for (const h of this.helperCalls) {
        if (this.parametric.has(h.parent) || !this.parametric.has(h.mount.child) || !forwards(h)) continue;
        this.parametric.add(h.parent);
        changed = true;
      }
    }
    for (const h of this.helperCalls) {
      const shared = h.mount.child;
      if (this.parametric.has(h.parent) || !this.parametric.has(shared)) continue;
      const inst = this.instantiate(shared, h.args, h.scope, h.where, 0);
      if (!inst) continue;
      shared.mountedBy--;
      h.mount.child = inst;
      inst.mountedBy++;
      inst.kind = h.parent.kind;
    }
  }

  private route(R: RouterNode, c: MemberCall, methods: string[], args: readonly Expr[]): void {
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
    // `/admin/${process.env.ADMIN_KEY}/queues`: a segment set by configuration, named by its variable.
    if (!paths && args[0]!.v.k === 'tpl') {
      const t = args[0]!.v;
      const parts: string[] = [t.quasis[0] ?? ''];
      for (let i = 0; i < t.exprs.length; i++) {
        const x = t.exprs[i]!;
        const known = x.k === 'env' ? undefined : this.r.str({ v: x, scope: args[0]!.scope });
        if (known === undefined && x.k !== 'env') {
          parts.length = 0;
          break;
        }
        parts.push(known ?? `{${(x as { name: string }).name}}`, t.quasis[i + 1] ?? '');
      }
      if (parts.length) paths = [parts.join('')];
    }
    if (!paths) {
      const first = args[0]!.v;
      // Only string-like first arguments make a route; anything else is not a route call.
      if (first.k === 'obj' || first.k === 'fn' || first.k === 'num') return;
      this.noteParametric(R, args[0]);
      unresolved = valueText(first);
      paths = [`{${unresolved.replace(/\s+/g, ' ')}}`];
    }
    let mw: Expr[] = [];
    let handler: Expr | undefined;
    const opts = rest[0] && R.kind !== 'elysia' ? this.r.object(rest[0]) : undefined;
    if (R.kind === 'elysia') {
      // Elysia: app.get(path, handler, { beforeHandle, body }): the hook option runs before the handler.
      const hooks = rest[1] ? this.r.object(rest[1]) : undefined;
      const before = prop(hooks, 'beforeHandle');
      if (before) mw.push(before);
      rest = rest.slice(0, 1);
    } else if (opts && (rest.length >= 2 || prop(opts, 'handler'))) {
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
      if (fn && middlewareShaped(this.r, fn)) return;
      catchAll = true;
    }
    R.routes.push({ methods, paths: paths.map(cleanParams), unresolved, ...c.where, handler: handlerName(handler), mw, ...(catchAll ? { catchAll } : {}) });
  }

  /** The function a handler expression is: a function, or what a factory call (`ensureJson()`) returns. */
  private handlerFn(e: Expr, depth = 0): Fn | undefined {
    if (depth > 5) return undefined;
    const x = e.v;
    if (x.k === 'fn') return this.r.ev.fns.get(x.key);
    if (x.k === 'call') {
      const f = this.r.callee(e);
      if (f?.kind !== 'func') return undefined;
      for (const ret of f.fn.returns) {
        const fn = this.handlerFn({ v: ret, scope: { file: f.fn.file, fn: f.fn } }, depth + 1);
        if (fn) return fn;
      }
      return undefined;
    }
    const t = this.r.deref(e);
    return t?.kind === 'func' ? t.fn : undefined;
  }

  /** `@hono/zod-openapi`: `app.openapi(createRoute({ method, path }), handler)`; `{id}` parameters become `:id`. */
  private openapiRoute(R: RouterNode, c: MemberCall): void {
    let def: Expr | undefined = c.args[0];
    if (def && def.v.k !== 'obj') {
      const t = def.v.k === 'call' ? { kind: 'expr' as const, e: def } : this.r.deref(def);
      def = t?.kind === 'expr' ? t.e : undefined;
    }
    if (def?.v.k === 'call' && def.v.call.args[0]) def = { v: def.v.call.args[0], scope: def.scope };
    const opts = def ? this.r.object(def) : undefined;
    if (!opts) return;
    const method = this.r.str(prop(opts, 'method'));
    const path = this.r.str(prop(opts, 'path'));
    if (!method) this.noteParametric(R, prop(opts, 'method'));
    if (path === undefined) this.noteParametric(R, prop(opts, 'path'));
    if (!method || path === undefined || !VERBS[method.toLowerCase()]) return;
    const mwExpr = prop(opts, 'middleware');
    R.routes.push({
      methods: [VERBS[method.toLowerCase()]!],
      paths: [cleanParams(toColonParams(path))],
      ...c.where,
      handler: handlerName(c.args[1]),
      mw: flattenMiddleware(this.r, mwExpr ? [mwExpr] : []),
    });
  }

  /** Fastify `route({ method, url, preHandler, handler })`. */
  private routeObject(R: RouterNode, c: MemberCall, opts: Expr): void {
    const methods = this.r.strList(prop(opts, 'method'))?.map((m) => m.toUpperCase());
    const paths = this.r.strList(prop(opts, 'url') ?? prop(opts, 'path'));
    if (!methods) this.noteParametric(R, prop(opts, 'method'));
    if (!paths) this.noteParametric(R, prop(opts, 'url') ?? prop(opts, 'path'));
    if (!methods || !paths) return;
    const mw: Expr[] = [];
    for (const h of ROUTE_OPTION_HOOKS) {
      const v = prop(opts, h);
      if (v) mw.push(v);
    }
    R.routes.push({ methods, paths: paths.map(cleanParams), ...c.where, handler: handlerName(prop(opts, 'handler')), mw: flattenMiddleware(this.r, mw) });
  }

  /**
   * A route table walked by a loop: `routes.forEach((route) => router.use(route.path, route.route))`
   * over a constant array. The call's arguments once per element, the loop variable (and its
   * properties) replaced by the element (and its properties); undefined when the call is in no such loop.
   */
  private loopArgs(c: MemberCall): Expr[][] | undefined {
    for (const a of c.args) {
      const path = a.v.k === 'ref' ? a.v.path.split('.') : [];
      if (path.length === 0 || path.length > 2 || path[0] === 'this') continue;
      const t = this.r.deref({ v: { k: 'ref', path: path[0]! }, scope: a.scope });
      if (t?.kind !== 'param' || t.index !== 0 || !t.fn.parent) continue;
      const cb = t.fn;
      const outer = this.r.ev.fns.get(cb.parent!);
      const loop = outer?.calls.find((x) => x.args[0]?.k === 'fn' && x.args[0].key === cb.key);
      const m = loop?.names[loop.names.length - 1];
      if (!loop || !outer || (m !== 'forEach' && m !== 'map')) continue;
      const list = receiverOf(loop, (call, at) => this.r.sub(call, at));
      const arr = list ? this.r.deref({ v: list, scope: { file: outer.file, fn: outer } }) : undefined;
      if (arr?.kind !== 'expr' || arr.e.v.k !== 'arr') continue;
      const param = cb.paramNames[0]!;
      const scope = arr.e.scope;
      return arr.e.v.items.map((item) => {
        const el: Expr = { v: item, scope };
        return c.args.map((arg) => {
          if (arg.v.k !== 'ref') return arg;
          const parts = arg.v.path.split('.');
          if (parts[0] !== param || parts.length > 2) return arg;
          if (parts.length === 1) return el;
          return prop(this.r.object(el), parts[1]!) ?? arg;
        });
      });
    }
    return undefined;
  }

  private use(R: RouterNode, c: MemberCall, given?: Expr[]): void {
    if (!given) {
      const loops = this.loopArgs(c);
      if (loops) {
        for (const args of loops) this.use(R, c, args);
        return;
      }
    }
    const args = [...(given ?? c.args)];
    if (args.length === 0) return;
    let prefixes = [''];
    const first = this.r.strList(args[0]);
    if (first !== undefined) {
      prefixes = first;
      args.shift();
    } else if (args[0]!.v.k === 'tpl' && args.length > 1) {
      // A mount path written as a template that reads a parameter of a helper: read per call.
      this.noteParametric(R, args[0]);
    }
    const before: Expr[] = [];
    for (const arg of flattenMiddleware(this.r, args)) {
      const x = arg.v;
      // koa-mount: app.use(mount('/v1', router.routes()))
      if (x.k === 'call' && x.call.args.length === 2) {
        const t = this.r.callee(arg);
        if (t?.kind === 'external' && t.module === 'koa-mount') {
          const p = this.r.str({ v: x.call.args[0]!, scope: arg.scope });
          const child = this.routerOf({ v: x.call.args[1]!, scope: arg.scope });
          if (p !== undefined && child) {
            this.mount(
              R,
              prefixes.map((q) => joinPath(q, p)),
              child,
              [...before],
              c.where,
            );
            continue;
          }
        }
      }
      const child = this.routerOf(arg);
      if (child && child !== R) {
        this.mount(R, prefixes, child, [...before], c.where);
        continue;
      }
      // `router.use('/liveness', (req, res) => res.sendStatus(200))`: a handler with no `next` mounted
      // at a path answers every method there; an endpoint (ALL), not middleware.
      const fn = x.k === 'fn' ? this.r.ev.fns.get(x.key) : undefined;
      if (first !== undefined && (R.kind === 'express' || R.kind === 'unknown') && fn && fn.paramNames.length === 2 && !middlewareShaped(this.r, fn)) {
        R.routes.push({ methods: ['ALL'], paths: prefixes.map(cleanParams), ...c.where, handler: handlerName(arg), mw: [...before] });
        continue;
      }
      before.push(arg);
      for (const p of prefixes) R.mws.push({ prefix: p, expr: arg, file: c.where.file, pos: c.where.pos });
    }
  }

  /** `register(AutoLoad, { dir: path.join(__dirname, 'routes') })`: each file is a plugin, folders are prefixes (fastify.ts). */
  private autoload(R: RouterNode, c: MemberCall, opts: Expr): void {
    const dirExpr = prop(opts, 'dir');
    const dir = dirExpr && autoloadDir(this.r, dirExpr, c.where.file);
    if (dir === undefined) return;
    const ctx = this.r.ctx;
    const files = ctx.files.filter((f) => !ctx.isSetAside(f) && this.r.ev.indexes.has(f));
    const plan = autoloadPlan(this.r, files, dir, opts);
    // autohooks files: their hooks apply to the plugins of their folder (and below, with cascadeHooks).
    const hooks = new Map<string, RouterNode>();
    for (const [d, f] of plan.hooks) {
      const fn = this.pluginOfTarget(this.r.exportTarget(f, 'default'), 0);
      if (fn) hooks.set(d, this.paramRouter(fn, 0));
    }
    const inner = this.r.object(prop(opts, 'options'));
    const base = inner ? (this.r.str(prop(inner, 'prefix')) ?? '') : '';
    for (const p of plan.plugins) {
      const fn = this.pluginOfTarget(this.r.exportTarget(p.file, 'default'), 0);
      if (!fn) continue;
      this.mount(R, [pluginPrefix(this.r, p.file, p.prefix, base)], this.paramRouter(fn, 0), [], c.where);
      const hooksFrom = p.hookDirs.flatMap((d) => hooks.get(d) ?? []);
      if (hooksFrom.length > 0) R.mounts[R.mounts.length - 1]!.hooksFrom = hooksFrom;
    }
  }

  private register(R: RouterNode, c: MemberCall): void {
    const [plugin, optsExpr] = c.args;
    if (!plugin) return;
    const opts = this.r.object(optsExpr);
    const pt = this.r.deref(plugin);
    if (pt?.kind === 'external' && /^(@fastify\/autoload|fastify-autoload)$/.test(pt.module)) {
      if (opts) this.autoload(R, c, opts);
      return;
    }
    const prefix = opts ? (this.r.str(prop(opts, 'prefix')) ?? '') : '';
    const direct = this.routerOf(plugin);
    if (direct?.created) {
      this.mount(R, [prefix], direct, [], c.where);
      return;
    }
    const fn = this.pluginOf(plugin);
    // The plugin is called with the instance and the options: `async (app, opts) => app.get(`/${opts.entity}`)`.
    if (fn) this.mountHelper(R, fn, 0, optsExpr ? [c.recv.v, optsExpr.v] : [c.recv.v], c.recv.scope, [prefix], c.where);
  }

  /**
   * Route chains: router.route('/x').get(a).post(b). `before` holds the handlers of the chain's
   * earlier `.all(…)` calls that pass the request on (`.all(authenticate).get(a)`): middleware of
   * the verbs after them.
   */
  private chainOf(e: Expr, depth = 0): { router: RouterNode; paths: string[]; before: Expr[] } | undefined {
    const x = e.v;
    if (depth > 20 || x.k !== 'call') return undefined;
    const m = x.call.names[x.call.names.length - 1];
    const recv = receiverOf(x.call, (call, at) => this.r.sub(call, at));
    if (!m || !recv) return undefined;
    if (m === 'route' && x.call.args.length === 1 && x.call.args[0]!.k !== 'obj') {
      const router = this.routerOf({ v: recv, scope: e.scope });
      const paths = this.r.strList({ v: x.call.args[0]!, scope: e.scope });
      return router && paths ? { router, paths, before: [] } : undefined;
    }
    if (!VERBS[m]) return undefined;
    const chain = this.chainOf({ v: recv, scope: e.scope }, depth + 1);
    const args = x.call.args.map((v) => ({ v, scope: e.scope }));
    if (chain && m === 'all' && this.passesOn(args)) chain.before.push(...args);
    return chain;
  }

  /** A route's handlers are middleware: the last one passes the request on or only refuses it. */
  private passesOn(args: readonly Expr[]): boolean {
    const fn = args.length > 0 ? this.handlerFn(args[args.length - 1]!) : undefined;
    return fn !== undefined && middlewareShaped(this.r, fn);
  }

  /** The calls of a chain whose name is one a router rule reads, outermost first (`….post(b)` before `….get(a)`). */
  private memberCalls(call: CallSite, fn: Fn, scope: Scope = { file: fn.file, fn }): MemberCall[] {
    const out: MemberCall[] = [];
    for (let at = call.names.length - 1; at >= 0; at--) {
      const name = call.names[at]!;
      if (name === '()' || !this.readsMember(name) || (at < call.names.length - 1 && call.names[at + 1] !== '()')) continue;
      const c = this.r.sub(call, at);
      const recv = receiverOf(c, (x, i) => this.r.sub(x, i));
      if (!recv) continue;
      out.push({ call: c, name, recv: { v: recv, scope }, args: c.args.map((v) => ({ v, scope })), where: this.where(c, fn.file) });
    }
    return out;
  }

  /** Route methods of the repository's Koa router subclasses (koa.ts), found on first use. */
  private koaMethods?: Set<string>;

  private readsMember(name: string): boolean {
    if (MEMBER_CALLS.has(name) || koaMemberName(name)) return true;
    this.koaMethods ??= subclassRouteMethods(this.r);
    return this.koaMethods.has(name);
  }

  /** koa.ts: a router subclass's route methods (`linGet(name, path, …)`) and koa-swagger-decorator's `swagger()`. */
  private koaCall(R: RouterNode, c: MemberCall): void {
    if (c.name === 'swagger') {
      for (const p of swaggerPaths(this.r, c.args)) R.routes.push({ methods: ['GET'], paths: [p], ...c.where, handler: 'swagger', mw: [] });
      return;
    }
    const verb = subclassVerb(this.r, routerClassOf(this.r, c.recv), c.name) ?? suffixVerb(c.name);
    if (verb) this.route(R, c, [verb], routeArgs(c.name, c.args));
  }

  /** Read one file's calls into the graph, in source order. */
  collect(fi: FileIndex): void {
    const calls: { fn: Fn; call: CallSite }[] = [];
    for (const fn of fi.functions.values()) {
      for (const call of fn.calls) calls.push({ fn, call });
      for (const call of fn.chained ?? []) if (call.recv) calls.push({ fn, call });
    }
    calls.sort((a, b) => a.call.line - b.call.line);
    this.readCalls(
      calls.map(({ fn, call }) => ({ fn, call, scope: { file: fn.file, fn } })),
      undefined,
    );
  }

  /** Calls in source order: first the router calls, then calls handing a router to a function. `only`: a helper's instance, the one router read. */
  private readCalls(calls: readonly { fn: Fn; call: CallSite; scope: Scope }[], only: RouterNode | undefined): void {
    for (const { fn, call, scope } of calls) {
      for (const c of this.memberCalls(call, fn, scope)) {
        try {
          this.memberCall(c, only);
        } catch (e) {
          this.r.ctx.warn(c.where.file, c.where.line, `route call could not be read: ${(e as Error).message}`);
        }
      }
    }
    for (const { fn, call, scope } of calls) {
      // routes(app), registerRoutes(app, deps): the function's parameter is that router.
      if (call.isNew || call.root === '' || call.args.length === 0 || call.names.includes('()')) continue;
      if (call.names.length > 0 && MEMBER_CALLS.has(call.names[call.names.length - 1]!)) continue;
      const callee: Expr = { v: { k: 'call', call }, scope };
      const t = this.r.callee(callee);
      const plugin = t?.kind === 'func' ? t.fn : t?.kind === 'module' ? this.pluginOfTarget(t, 0) : undefined;
      if (!plugin) continue;
      call.args.forEach((arg, i) => {
        if (arg.k !== 'ref' || arg.path === 'this') return;
        const parent = this.routerOf({ v: arg, scope });
        if (parent && (!only || parent === only)) this.mountHelper(parent, plugin, i, call.args, scope, [''], this.where(call, fn.file));
      });
    }
  }

  private memberCall(c: MemberCall, only?: RouterNode): void {
    const m = c.name;
    if (VERBS[m]) {
      const chain = this.chainOf(c.recv);
      if (chain && only && chain.router !== only) return;
      if (chain) {
        // `.all(authenticate)` in a chain is middleware of the verbs after it, no endpoint.
        if (m === 'all' && this.passesOn(c.args)) return;
        const mw = flattenMiddleware(this.r, [...chain.before, ...c.args.slice(0, -1)]);
        chain.router.routes.push({
          methods: [VERBS[m]!],
          paths: chain.paths.map(cleanParams),
          ...c.where,
          handler: handlerName(c.args[c.args.length - 1]),
          mw,
        });
        return;
      }
    }
    const R = this.routerOf(c.recv);
    if (!R || (only && R !== only)) return;
    if (VERBS[m]) this.route(R, c, [VERBS[m]!], c.args);
    // express-ws: `router.ws('/crawl/:id', handler)` serves a WebSocket at the path.
    else if (m === 'ws' && (R.kind === 'express' || R.kind === 'unknown')) this.route(R, c, ['WS'], c.args);
    else if (m === 'on' && c.args.length >= 3) {
      const methods = this.r.strList(c.args[0])?.map((x) => x.toUpperCase());
      if (methods?.every((x) => VERBS[x.toLowerCase()] !== undefined)) this.route(R, c, methods, c.args.slice(1));
    } else if (m === 'route') {
      const opts = c.args.length === 1 ? this.r.object(c.args[0]) : undefined;
      if (opts) this.routeObject(R, c, opts);
      else if (c.args.length >= 2) {
        for (const args of this.loopArgs(c) ?? [c.args]) {
          const p = this.r.str(args[0]);
          const child = this.routerOf(args[1]);
          if (p === undefined && child) this.noteParametric(R, args[0]);
          if (p !== undefined && child) this.mount(R, [p], child, [], c.where);
        }
      }
    } else if (m === 'group' && R.kind === 'elysia') {
      // Elysia: app.group('/users', (app) => app.get('/', list)): the callback's app serves under the prefix.
      const p = this.r.str(c.args[0]);
      const cb = c.args[c.args.length - 1]?.v;
      const fn = cb?.k === 'fn' ? this.r.ev.fns.get(cb.key) : undefined;
      if (p !== undefined && fn) this.mount(R, [p], this.paramRouter(fn, 0), [], c.where);
    } else if (m === 'openapi') this.openapiRoute(R, c);
    else if ((m === 'doc' || m === 'doc31') && R.kind === 'hono') {
      // @hono/zod-openapi serves the generated OpenAPI document: app.doc('/doc', { openapi, info }).
      const p = this.r.str(c.args[0]);
      if (p !== undefined && c.args.length === 2) R.routes.push({ methods: ['GET'], paths: [p], ...c.where, handler: m, mw: [] });
    } else if (m === 'use') this.use(R, c);
    else if (m === 'register') this.register(R, c);
    else if (m === 'addHook') {
      const hook = this.r.str(c.args[0]);
      if (hook && AUTH_HOOKS.has(hook) && c.args[1]) R.mws.push({ prefix: '', expr: c.args[1], file: c.where.file, pos: c.where.pos });
    } else if (m === 'prefix' && R.kind === 'koa') {
      const p = this.r.str(c.args[0]);
      if (p) R.prefix = p;
    } else if (R.kind === 'koa') this.koaCall(R, c);
  }

  /**
   * The router a route handler hands every request to: `handle(app)` (hono/vercel, hono/nextjs),
   * `app.fetch`, or any call given a router. Its framework and whether archdoc read routes of it.
   */
  delegation(e: Expr): { framework: string; routes: boolean } | undefined {
    const candidates = e.v.k === 'call' ? e.v.call.args.map((v) => ({ v, scope: e.scope })) : [e];
    for (const a of candidates) {
      const y = a.v;
      const of: Expr = y.k === 'ref' && y.path.endsWith('.fetch') ? { v: { k: 'ref', path: y.path.slice(0, -'.fetch'.length) }, scope: a.scope } : a;
      const n = this.routerOf(of);
      if (n) return { framework: n.kind === 'unknown' ? 'express' : n.kind, routes: hasRoutes(n) };
    }
    return undefined;
  }

  /**
   * Every route with its full path, walking from the routers nobody mounts, depth first in the
   * order read. Nothing is memoised, so a walk cut short by the budget (MAX_WALK_ROUTES paths and
   * MAX_WALK_STEPS routers per root, five times that for all) has listed what a whole walk lists first.
   */
  endpoints(): Found[] {
    this.instantiateHelpers();
    const out: Found[] = [];
    let allSteps = 0;
    let steps = 0;
    let start = 0;
    let cut = false;
    const walk = (
      n: RouterNode,
      prefix: string,
      inherited: Expr[],
      stack: Set<RouterNode>,
      more: { file: string; line: number }[],
      note?: string,
      outer: Kind = 'unknown',
    ) => {
      if (cut || stack.has(n) || stack.size > 30) return;
      if (++steps > MAX_WALK_STEPS || ++allSteps > MAX_ALL_WALK_STEPS) {
        cut = true;
        return;
      }
      stack.add(n);
      // A plugin function's router takes the framework of the router that registers it, wherever that is read.
      const kind = n.kind === 'unknown' ? outer : n.kind;
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
            if (out.length - start >= MAX_WALK_ROUTES || out.length >= MAX_ALL_WALK_ROUTES) {
              cut = true;
              return;
            }
            const f: Found = {
              protocol: method === 'WS' ? 'websocket' : 'http',
              method,
              path: joinPath(base, p),
              file: r.file,
              line: r.line,
              framework: kind === 'unknown' ? 'express' : kind,
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
        for (const p of m.prefixes) walk(m.child, joinPath(base, p), mws, new Set(stack), [...more, { file: m.file, line: m.line }], note, kind);
      }
    };
    // `new Hono().basePath('/members')` mounted elsewhere: the throwaway app it was cloned from serves nothing.
    const throwaway = (n: RouterNode) => n.routes.length === 0 && n.mounts.length > 0 && n.mounts.every((m) => m.clone && m.child.mountedBy > 1);
    const roots = [...this.nodes.values()].filter((n) => n.created && n.mountedBy === 0 && !throwaway(n));
    // Where code mounts Express sub-routers, one nobody mounts whose file no script imports is dead code.
    // Not so for Koa: folder loaders (lin-mizar's Loader) mount routers nobody imports, beside mounted ones.
    const mountsByCode = [...this.nodes.values()].some((n) => n.created && n.isSubRouter && n.kind === 'express' && n.mountedBy > 0);
    // A Koa router in a loader's folder (lin-mizar's api folder) is mounted there by the loader, at the root.
    const loaderDirs = roots.some((n) => n.kind === 'koa') ? loaderFolders(this.r) : [];
    const loaded = (n: RouterNode) => n.kind === 'koa' && loaderDirs.some((d) => d === '.' || n.file.startsWith(`${d}/`));
    for (const n of roots) {
      const note = n.isSubRouter && n.kind !== 'hono' && hasRoutes(n) && !loaded(n) ? 'not found' : undefined;
      if (note && mountsByCode && n.kind === 'express' && !this.importedFiles().has(n.file)) {
        this.r.ctx.warn(n.file, n.line, 'router is never mounted and its file is imported nowhere; its routes are not listed');
        continue;
      }
      if (note) {
        this.r.ctx.warn(n.file, n.line, 'router is never mounted where archdoc can see it; its routes are listed without a mount prefix');
      }
      steps = 0;
      start = out.length;
      cut = false;
      walk(n, '', [], new Set(), [], note);
      const listed = out.length - start;
      if (cut) this.r.ctx.warn(n.file, n.line, `route graph too large: listing stopped after ${listed} route${listed === 1 ? '' : 's'}`);
    }
    return out;
  }

  private imported?: Set<string>;

  /** Every script some script imports, requires or re-exports (type-only imports aside). */
  private importedFiles(): Set<string> {
    if (this.imported) return this.imported;
    this.imported = new Set();
    for (const fi of this.r.ev.indexes.values())
      for (const s of fi.specifiers) {
        if (s.typeOnly) continue;
        const target = this.r.ctx.resolveImport(fi.file, s.specifier);
        if (target) this.imported.add(target);
      }
    return this.imported;
  }

  private applyAuth(f: Found, mws: Expr[]): void {
    const roles: string[] = [];
    for (const e of mws) {
      // A Fastify hook that returns early for some paths (`request.url.startsWith('/api/auth/login')`) does not check them.
      if (hookExemptions(this.r, e).some((p) => f.path.startsWith(p)) || unlessExempts(this.r, e, f.path)) continue;
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
