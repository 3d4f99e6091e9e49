/**
 * Remix and React Router (framework mode) route modules: a module's exported `loader` answers GET
 * and its exported `action` answers the form methods (POST, the method forms send) on the route's
 * URL. Routes come from the file system under the package's `app/routes` (Remix v2 flat routes,
 * and React Router's `flatRoutes()`), or from React Router's `app/routes.ts` config when it lists
 * them with `route`, `index`, `layout` and `prefix`. Read from the indexes alone.
 *
 * Flat route file names: dots are slashes (`notes.$noteId.tsx` → /notes/:noteId), `_index` is
 * the parent's own path, a leading underscore is a pathless layout and a trailing one leaves its
 * layout (both add nothing to the URL), `$id` is a parameter, `$` alone a splat, `(x)` an
 * optional segment and `[.]` an escaped character. A folder is a route when it holds `route.tsx`.
 * A loader or action that calls a session check (`requireUserId(request)`) requires a signed-in user.
 */
import type { FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { joinPath } from './paths.js';
import type { Found } from './types.js';

/** Packages whose presence makes a workspace package a Remix or React Router app. */
const REMIX = ['@remix-run/react', '@remix-run/node', '@remix-run/dev', '@remix-run/cloudflare'];
const REACT_ROUTER = ['@react-router/dev', '@react-router/fs-routes'];
const ROUTE_MODULE = /\.(tsx|ts|jsx|js)$/;
const METHODS: [string, string][] = [
  ['loader', 'GET'],
  ['action', 'POST'],
];

export interface RemixInput {
  packages: readonly { path: string; dependencies: { has(name: string): boolean } }[];
  /** Production scripts of the run. */
  scripts: readonly string[];
  index(file: string): FileIndex | undefined;
  /** The workspace package path owning a file. */
  packageOf(file: string): string | undefined;
  warn(file: string, line: number, message: string): void;
}

/** The URL of a flat route module name (the file name without extension, or a route folder's name). */
export function flatRoutePath(name: string): string {
  const segments: string[] = [];
  for (const raw of splitDots(name)) {
    if (raw === '_index' || raw === 'route' || raw === 'index') continue;
    if (raw.startsWith('_')) continue; // pathless layout
    let seg = raw.endsWith('_') ? raw.slice(0, -1) : raw;
    const optional = seg.startsWith('(') && seg.endsWith(')');
    if (optional) seg = seg.slice(1, -1);
    if (seg === '$') seg = '*';
    else if (seg.startsWith('$')) seg = `:${seg.slice(1)}`;
    segments.push(optional ? `${seg}?` : seg);
  }
  return joinPath(...segments);
}

/** Split on dots outside `[...]` escapes, with the escapes' brackets taken off. */
function splitDots(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  let escaped = false;
  for (const ch of name) {
    if (ch === '[' && !escaped) escaped = true;
    else if (ch === ']' && escaped) escaped = false;
    else if (ch === '.' && !escaped) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/**
 * A call that makes a loader or action answer only a signed-in user: the helpers Remix apps write
 * and name for it (`requireUserId(request)`, `requireUser`, `ensureAuthenticated`), remix-auth's
 * `authenticator.isAuthenticated(request, { failureRedirect })` and Clerk's `getAuth(args)`.
 */
const SESSION_CHECK = /^(?:(?:require|ensure|assert)[A-Za-z]*(?:User|Auth|Session|Login|Admin)[A-Za-z]*|isAuthenticated|getAuth)$/;

/** The exported function or function-valued constant a module exports as `name`, with its line. */
function exported(fi: FileIndex, name: string): { line: number; fn?: Fn } | undefined {
  const local = fi.exports.get(name);
  if (local === undefined) return undefined;
  const fn = fi.functions.get(`${fi.file}#${local}`);
  if (fn) return { line: fn.line, fn };
  const v = fi.vars.get(local);
  if (v?.k === 'fn') {
    const f = fi.functions.get(v.key);
    return f && { line: f.line, fn: f };
  }
  return v?.k === 'call' ? { line: v.call.line } : undefined;
}

/** Whether the function (or a callback written in it) calls a session check. */
function checksSession(fi: FileIndex, fn: Fn): boolean {
  const within = [...fi.functions.values()].filter((f) => f === fn || (f.parent === fn.key && f.name.endsWith('<callback>')));
  return within.some((f) => f.calls.some((c) => SESSION_CHECK.test(c.names.length > 0 ? c.names[c.names.length - 1]! : c.root)));
}

/** The endpoints of one route module at `path`. */
function moduleEndpoints(fi: FileIndex, path: string, framework: string): Found[] {
  const out: Found[] = [];
  for (const [name, method] of METHODS) {
    const ex = exported(fi, name);
    if (!ex) continue;
    const mechanisms = ex.fn && checksSession(fi, ex.fn) ? ['session check in handler'] : [];
    out.push({ protocol: 'http', method, path, file: fi.file, line: ex.line, framework, handler: name, mechanisms });
  }
  return out;
}

/** `route('p', 'file')`, `index('file')`, `layout('file', [...])`, `prefix('p', [...])` entries of a routes.ts config. */
function configRoutes(items: readonly Value[], base: string, appDir: string, out: { file: string; path: string }[], unread: number[]): void {
  for (const item of items) {
    if (item.k !== 'call' || item.call.names.length > 0) {
      unread.push(item.k === 'call' ? item.call.line : 0);
      continue;
    }
    const { root, args, line } = item.call;
    const str = (v: Value | undefined) => (v?.k === 'str' ? v.v : undefined);
    const children = (v: Value | undefined) => (v?.k === 'arr' ? v.items : []);
    if (root === 'route' && str(args[0]) !== undefined && str(args[1]) !== undefined) {
      const path = joinPath(base, str(args[0])!.replace(/^\/+/, ''));
      out.push({ file: `${appDir}/${str(args[1])!.replace(/^\.\//, '')}`, path });
      configRoutes(children(args[2]), path, appDir, out, unread);
    } else if (root === 'index' && str(args[0]) !== undefined) out.push({ file: `${appDir}/${str(args[0])!.replace(/^\.\//, '')}`, path: base || '/' });
    else if (root === 'layout' && str(args[0]) !== undefined) {
      out.push({ file: `${appDir}/${str(args[0])!.replace(/^\.\//, '')}`, path: base || '/' });
      configRoutes(children(args[1]), base, appDir, out, unread);
    } else if (root === 'prefix' && str(args[0]) !== undefined) configRoutes(children(args[1]), joinPath(base, str(args[0])!), appDir, out, unread);
    else unread.push(line);
  }
}

export function remixEndpoints(input: RemixInput): Found[] {
  const out: Found[] = [];
  for (const pkg of input.packages) {
    const remix = REMIX.some((p) => pkg.dependencies.has(p));
    const reactRouter = REACT_ROUTER.some((p) => pkg.dependencies.has(p));
    if (!remix && !reactRouter) continue;
    const framework = remix ? 'remix' : 'react-router';
    const appDir = pkg.path === '.' ? 'app' : `${pkg.path}/app`;
    const own = input.scripts.filter((f) => f.startsWith(`${appDir}/`) && input.packageOf(f) === pkg.path);
    // React Router's routes.ts lists the routes, unless it hands them to the file system (flatRoutes()).
    const config = ['ts', 'js', 'mts', 'mjs'].map((ext) => input.index(`${appDir}/routes.${ext}`)).find((fi) => fi !== undefined);
    const listed = config?.vars.get(config.exports.get('default') ?? '');
    if (reactRouter && config && listed?.k === 'arr') {
      const routes: { file: string; path: string }[] = [];
      const unread: number[] = [];
      configRoutes(listed.items, '', appDir, routes, unread);
      for (const r of routes) {
        const fi = input.index(r.file);
        if (fi) out.push(...moduleEndpoints(fi, r.path, framework));
      }
      for (const line of unread)
        input.warn(config.file, line, 'a route entry of routes.ts archdoc could not read (spread or computed); its routes are not listed');
      continue;
    }
    for (const file of own) {
      const rel = file.slice(appDir.length + 1);
      if (!rel.startsWith('routes/')) continue;
      const parts = rel.slice('routes/'.length).split('/');
      // A module directly in routes/, or a folder's route module; other files in folders are helpers.
      const name =
        parts.length === 1 ? parts[0]!.replace(ROUTE_MODULE, '') : parts.length === 2 && /^route\.(tsx|ts|jsx|js)$/.test(parts[1]!) ? parts[0]! : undefined;
      if (name === undefined || !ROUTE_MODULE.test(rel)) continue;
      const fi = input.index(file);
      if (fi) out.push(...moduleEndpoints(fi, flatRoutePath(name), framework));
    }
  }
  return out;
}
