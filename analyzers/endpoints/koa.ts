/**
 * Koa as real code writes it, on top of the router graph (routers.ts): router classes that are
 * koa-router underneath (koa-swagger-decorator's `SwaggerRouter`, lin-mizar's `LinRouter`, and a
 * class of the repository that extends one of them), their route methods with their own names
 * (`linGet(name, path, meta, …middleware)`, or a method of the subclass whose body calls
 * `this.post(…)`), the documents `swagger()` serves, and the paths koa-jwt's `.unless({ path })`
 * lets through without a token.
 */
import type { ClassInfo } from '../../src/analysis/index-file.js';
import type { Site } from '../../src/analysis/sites.js';
import { FOLDER_LOADERS } from '../../src/data/folder-loaders.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { prop, receiverOf, type Expr, type Resolver, type Target } from './resolver.js';

const KOA_ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);

/**
 * Packages whose router class extends koa-router's, so it serves routes as koa-router does (its
 * options' `prefix` included): the class names they export.
 */
const ROUTER_SUBCLASSES: Record<string, string[]> = {
  'koa-swagger-decorator': ['SwaggerRouter'],
  'lin-mizar': ['LinRouter'],
};

const METHOD_VERBS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Del: 'DELETE',
  Head: 'HEAD',
  Option: 'OPTIONS',
  Options: 'OPTIONS',
  All: 'ALL',
};
const LOWER_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all']);

function isRouterPackageClass(t: Target | undefined): boolean {
  if (t?.kind !== 'external') return false;
  if (KOA_ROUTER_MODULES.has(t.module)) return t.name === 'default' || t.name === '*' || t.name === 'Router';
  return ROUTER_SUBCLASSES[t.module]?.includes(t.name) ?? false;
}

/** The class a repository class extends, resolved where the class is written. */
function superOf(r: Resolver, cls: ClassInfo): Target | undefined {
  if (!cls.extends) return undefined;
  const idx = r.ev.indexes.get(cls.file);
  const path = [cls.extends.root, ...cls.extends.names].join('.');
  return r.deref({ v: { k: 'ref', path }, scope: { file: cls.file, fn: idx?.topLevel } });
}

/** Whether a repository class is a koa router: it extends koa-router, or a known subclass, at any depth. */
function isRouterClass(r: Resolver, cls: ClassInfo): boolean {
  let c: ClassInfo | undefined = cls;
  // A bounded walk up the `extends` chain (a cycle in broken code must not loop).
  for (let i = 0; c && i < 8; i++) {
    const t = superOf(r, c);
    if (isRouterPackageClass(t)) return true;
    c = t?.kind === 'class' ? t.cls : undefined;
  }
  return false;
}

/**
 * A `new X(…)` whose class is koa-router's under another name (a known package's subclass, or a
 * class of the repository that extends one): a Koa sub-router. Plain koa-router is routers.ts's.
 */
export function koaRouterClass(r: Resolver, callee: Target | undefined): boolean {
  if (callee?.kind === 'external') return (ROUTER_SUBCLASSES[callee.module]?.includes(callee.name) ?? false) && !KOA_ROUTER_MODULES.has(callee.module);
  return callee?.kind === 'class' && isRouterClass(r, callee.cls);
}

/**
 * A route method named after its verb with a prefix of its own: `linGet`, `linDelete`,
 * `authPost`. The name must be a lower-case word followed by the verb, so `forget` or `widget`
 * are not read as routes.
 */
export function suffixVerb(name: string): string | undefined {
  for (const [suffix, verb] of Object.entries(METHOD_VERBS)) {
    if (name.length > suffix.length && name.endsWith(suffix) && /^[a-z][a-z0-9]*$/.test(name.slice(0, -suffix.length))) return verb;
  }
  return undefined;
}

/** Member names this file reads on a Koa router besides routers.ts's own. */
export function koaMemberName(name: string): boolean {
  return name === 'swagger' || suffixVerb(name) !== undefined;
}

/**
 * The verb of a route method a router subclass of the repository defines: the one
 * `this.<verb>(…)` its body calls (`rpc(name, …mw) { return this.post(name, …mw) }`). The
 * caller's arguments are read as that call's (named route, path, middleware, handler).
 */
export function subclassVerb(r: Resolver, cls: ClassInfo | undefined, name: string): string | undefined {
  let c = cls;
  for (let i = 0; c && i < 8; i++) {
    const key = c.methods.get(name);
    const fn = key ? r.ev.fns.get(key) : undefined;
    if (fn) {
      const verbs = new Set<string>();
      for (const call of fn.calls) {
        const m = call.names[0];
        if ((call.root === 'this' || call.root === 'super') && call.names.length === 1 && m && LOWER_VERBS.has(m))
          verbs.add(m === 'del' ? 'DELETE' : m.toUpperCase());
      }
      return verbs.size === 1 ? [...verbs][0] : undefined;
    }
    const t = superOf(r, c);
    c = t?.kind === 'class' ? t.cls : undefined;
  }
  return undefined;
}

/** The repository class a router expression was made from (`new ApiRouter()`), if any. */
export function routerClassOf(r: Resolver, e: Expr): ClassInfo | undefined {
  const t = r.deref(e);
  if (t?.kind !== 'expr' || t.e.v.k !== 'call' || !t.e.v.call.isNew) return undefined;
  const c = r.callee(t.e);
  return c?.kind === 'class' ? c.cls : undefined;
}

/**
 * koa-swagger-decorator's `router.swagger(opts)` serves the UI and the JSON document, at
 * `swaggerHtmlEndpoint` and `swaggerJsonEndpoint` (by default `/swagger-html` and `/swagger-json`;
 * an empty string turns one off).
 */
export function swaggerPaths(r: Resolver, args: readonly Expr[]): string[] {
  const opts = args[0] ? r.object(args[0]) : undefined;
  const at = (key: string, dflt: string) => {
    const v = opts ? prop(opts, key) : undefined;
    return v ? r.str(v) : dflt;
  };
  return [at('swaggerHtmlEndpoint', '/swagger-html'), at('swaggerJsonEndpoint', '/swagger-json')].filter((p): p is string => !!p);
}

/**
 * A regular expression literal of koa-unless's `path` read as what it admits, when it is a plain
 * anchored prefix (`/^\/swagger-/`) or a whole path (`/^\/health$/`); anything else is not read
 * (archdoc never runs the repository's expressions).
 */
function regexPath(src: string): { path: string; exact: boolean } | undefined {
  const end = src.lastIndexOf('/');
  if (!src.startsWith('/') || end <= 0) return undefined;
  let body = src.slice(1, end);
  if (!body.startsWith('^')) return undefined;
  body = body.slice(1);
  const exact = body.endsWith('$') && !body.endsWith('\\$');
  if (exact) body = body.slice(0, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      out += next;
      i++;
    } else if ('.*+?()[]{}|^$'.includes(ch)) return undefined;
    else out += ch;
  }
  return out.startsWith('/') ? { path: out, exact } : undefined;
}

/**
 * koa-jwt (any koa-unless middleware) as `mw.unless({ path: [...] })`: whether the served path is
 * one it lets through. Strings are whole paths; regular expressions as `regexPath` reads them.
 */
export function unlessExempts(r: Resolver, e: Expr, path: string): boolean {
  const t = e.v.k === 'call' ? ({ kind: 'expr', e } as const) : r.deref(e);
  if (t?.kind !== 'expr' || t.e.v.k !== 'call') return false;
  const call = t.e.v.call;
  if (call.names[call.names.length - 1] !== 'unless' || !call.args[0]) return false;
  const opts = r.object({ v: call.args[0], scope: t.e.scope });
  const given = opts ? prop(opts, 'path') : undefined;
  if (!given) return false;
  if (r.strList(given)?.includes(path)) return true;
  // Regular expressions are not values the index keeps; the call's site has them (and strings beside them) as written.
  const sites = r.ev.indexes.get(t.e.scope.file)?.sites.sites ?? [];
  const site = sites.find((s: Site) => s.k === 'call' && s.method === 'unless' && s.line <= call.line && s.endLine >= call.line);
  const p = site && 'args' in site ? site.args[0]?.obj?.find((x) => x.key === 'path')?.v : undefined;
  for (const o of p?.arr ?? (p ? [p] : [])) {
    if (o.str === path) return true;
    const rx = o.regex ? regexPath(o.regex) : undefined;
    if (rx && (rx.exact ? path === rx.path : path.startsWith(rx.path))) return true;
  }
  return false;
}

/** The route methods the repository's router subclasses define (those whose body calls `this.<verb>(…)`), by name. */
export function subclassRouteMethods(r: Resolver): Set<string> {
  const out = new Set<string>();
  for (const idx of r.ev.indexes.values()) {
    for (const cls of idx.classes.values()) {
      if (!cls.extends || !isRouterClass(r, cls)) continue;
      for (const name of cls.methods.keys()) if (subclassVerb(r, cls, name)) out.add(name);
    }
  }
  return out;
}

/**
 * The middleware koa-unless wraps: `jwt({ secret }).unless({ path })` is koa-jwt's middleware
 * (named so), its exemptions read by `unlessExempts`.
 */
export function unlessInner(r: Resolver, e: Expr): Expr | undefined {
  if (e.v.k !== 'call') return undefined;
  const call = e.v.call;
  if (call.names[call.names.length - 1] !== 'unless') return undefined;
  const recv = receiverOf(call, (c, at) => r.sub(c, at));
  return recv ? { v: recv, scope: e.scope } : undefined;
}

/**
 * The arguments a route method passes on as koa-router's: lin-mizar's `lin<Verb>(name, path, meta,
 * …middleware)` takes a permission description third when it is not a function (`{ auth, module }`,
 * or `router.permission('…')`, which makes one); it records the route for the permission table and
 * checks nothing itself. A function there is middleware like the rest.
 */
export function routeArgs(name: string, args: readonly Expr[]): readonly Expr[] {
  const meta = args[2]?.v;
  if (!/^lin[A-Z]/.test(name) || args.length < 4 || !meta) return args;
  const isMeta = meta.k === 'obj' || (meta.k === 'call' && meta.call.names[meta.call.names.length - 1] === 'permission');
  return isMeta ? [...args.slice(0, 2), ...args.slice(3)] : args;
}

/**
 * The folders a framework's loader mounts routers from though no script imports them
 * (src/data/folder-loaders.ts): lin-mizar's `apiDir`, read from a settings script's exported
 * object (`module.exports = { apiDir: 'app/api' }`), `app/api` when none sets it. A setting that is
 * not a string gives no folder (it may name any).
 */
export function loaderFolders(r: Resolver): string[] {
  const out: string[] = [];
  for (const pkg of r.ctx.workspace.packages) {
    for (const loader of FOLDER_LOADERS) {
      if (!loader.api || !pkg.dependencies.has(loader.dependency)) continue;
      const configDirs = new Set(loader.configDirs.map((d) => joinPosix(pkg.path, d)));
      let dir: string | null | undefined;
      for (const [file, fi] of r.ev.indexes) {
        if (dir !== undefined || !configDirs.has(dirOf(file))) continue;
        for (const name of ['<exports.default>', '<default>']) {
          const v = fi.vars.get(name);
          const setting = v?.k === 'obj' ? v.props[loader.api.key] : undefined;
          if (setting) dir = r.ev.string(r.ev.scope(file), setting) ?? null;
        }
      }
      if (dir !== null) out.push(joinPosix(pkg.path, dir ?? loader.api.default));
    }
  }
  return out;
}
