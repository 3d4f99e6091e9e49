/**
 * Fastify as the router graph (routers.ts) reads it: the instance methods that return the instance
 * (so `Fastify().withTypeProvider<T>().decorate(…).register(…)` is one application), the folders
 * @fastify/autoload loads as plugins with the prefixes it gives them, and @fastify/auth's
 * `app.auth([checkA, checkB])` preHandlers as per-route authentication.
 */
import type { Value } from '../../src/analysis/index-file.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import type { AuthUse } from './auth.js';
import { prop, type Expr, type Resolver } from './resolver.js';

/** Fastify instance methods that return the instance (chained in real code between `register` calls). */
export const FASTIFY_CHAINABLE = [
  'decorate',
  'decorateRequest',
  'decorateReply',
  'withTypeProvider',
  'setErrorHandler',
  'setNotFoundHandler',
  'setValidatorCompiler',
  'setSerializerCompiler',
  'setSchemaErrorFormatter',
  'setReplySerializer',
  'addSchema',
  'addContentTypeParser',
  'after',
];

/** One plugin file autoload registers: the file, the prefix autoload gives it, and the folder whose autohooks apply. */
export interface AutoloadPlugin {
  file: string;
  prefix: string;
  /** The folders whose `autohooks` file applies to this plugin (its own, and its parents' with `cascadeHooks`). */
  hookDirs: string[];
}

export interface AutoloadPlan {
  plugins: AutoloadPlugin[];
  /** Folder → its autohooks file (only with `autoHooks: true`). */
  hooks: Map<string, string>;
}

const SCRIPT = /\.(ts|js|mjs|cjs|mts|cts)$/;
const INDEX = /^index\.(ts|js|mjs|cjs)$/;
const AUTOHOOKS = /^[_.]?auto_?hooks\.(ts|js|mjs|cjs)$/;

const isHere = (v: Value): boolean =>
  (v.k === 'ref' && (v.path === '__dirname' || v.path === 'import.meta.dirname')) ||
  // dirname(fileURLToPath(import.meta.url)), path.dirname(__filename)
  (v.k === 'call' && !v.call.isNew && v.call.args.length === 1 && [v.call.root, ...v.call.names].join('.').endsWith('dirname') && isThisFile(v.call.args[0]!));

const isThisFile = (v: Value): boolean =>
  (v.k === 'ref' && (v.path === '__filename' || v.path === 'import.meta.url' || v.path === 'import.meta.filename')) ||
  (v.k === 'call' && v.call.args.length === 1 && [v.call.root, ...v.call.names].join('.').endsWith('fileURLToPath') && isThisFile(v.call.args[0]!));

/** `const here = path.dirname(fileURLToPath(import.meta.url))`: a name for the file's own folder. */
function hereConst(r: Resolver, e: Expr): boolean {
  if (e.v.k !== 'ref') return false;
  const t = r.deref(e);
  return t?.kind === 'expr' && isHere(t.e.v);
}

/**
 * The folder an autoload `dir` option names, relative to the repository: `path.join(__dirname, 'routes')`,
 * `join(dirname(fileURLToPath(import.meta.url)), 'routes')`, `path.resolve(import.meta.dirname, 'routes')`,
 * `fileURLToPath(new URL('./routes', import.meta.url))`. Undefined when it is not read from the file's own folder.
 */
export function autoloadDir(r: Resolver, dir: Expr, file: string): string | undefined {
  const x = dir.v;
  // `const routesDir = join(…)`.
  if (x.k === 'ref' && !isHere(x) && !hereConst(r, dir)) {
    const t = r.deref(dir);
    return t?.kind === 'expr' && t.e.v.k === 'call' ? autoloadDir(r, t.e, file) : undefined;
  }
  if (x.k !== 'call') return undefined;
  const c = x.call;
  const callee = [c.root, ...c.names].join('.');
  // fileURLToPath(new URL('./routes', import.meta.url))
  if (callee.endsWith('fileURLToPath') && c.args[0]?.k === 'call' && c.args[0].call.isNew && c.args[0].call.root === 'URL') {
    const u = c.args[0].call;
    const rel = u.args[0] && r.str({ v: u.args[0], scope: dir.scope });
    return rel !== undefined && u.args[1] && isThisFile(u.args[1]) ? joinPosix(dirOf(file), rel) : undefined;
  }
  if (!callee.endsWith('join') && !callee.endsWith('resolve')) return undefined;
  const [first, ...rest] = c.args;
  if (!first || !(isHere(first) || hereConst(r, { v: first, scope: dir.scope }))) return undefined;
  const parts = rest.map((a) => r.str({ v: a, scope: dir.scope }));
  if (parts.some((p) => p === undefined)) return undefined;
  return joinPosix(dirOf(file), ...(parts as string[]));
}

/** An option that is `true` as written. */
const isTrue = (e: Expr | undefined) => e?.v.k === 'bool' && e.v.v;

/**
 * What @fastify/autoload registers from `dir`, as its own folder walk does: a folder with an index
 * file loads only that file (and its subfolders); any other script is a plugin; each subfolder adds
 * its name to the prefix (unless `dirNameRoutePrefix: false`), `_id` folders becoming `:id` with
 * `routeParams: true`; `options.prefix` goes first; `maxDepth` stops the walk. Regular-expression
 * options (`ignorePattern`, `indexPattern`, filters) are not run.
 */
export function autoloadPlan(r: Resolver, files: readonly string[], dir: string, opts: Expr): AutoloadPlan {
  const inner = r.object(prop(opts, 'options'));
  const base = inner ? (r.str(prop(inner, 'prefix')) ?? '') : '';
  const dirNames = !(prop(opts, 'dirNameRoutePrefix')?.v.k === 'bool' && !isTrue(prop(opts, 'dirNameRoutePrefix')));
  const routeParams = isTrue(prop(opts, 'routeParams'));
  const autoHooks = isTrue(prop(opts, 'autoHooks'));
  const cascade = autoHooks && isTrue(prop(opts, 'cascadeHooks'));
  const maxDepthV = prop(opts, 'maxDepth')?.v;
  const maxDepth = maxDepthV?.k === 'num' ? maxDepthV.v : Number.POSITIVE_INFINITY;
  // Folder → the scripts directly in it.
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    if (!f.startsWith(dir + '/') || !SCRIPT.test(f) || /\.d\.[mc]?ts$/.test(f)) continue;
    const rel = f.slice(dir.length + 1);
    // Hidden files and folders are no plugins.
    if (rel.split('/').some((s) => s.startsWith('.'))) continue;
    const d = dirOf(f);
    (byDir.get(d) ?? byDir.set(d, []).get(d)!).push(f);
  }
  const hooks = new Map<string, string>();
  const plugins: AutoloadPlugin[] = [];
  for (const [d, list] of [...byDir.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const relDir = d === dir ? '' : d.slice(dir.length + 1);
    const segs = relDir === '' ? [] : relDir.split('/');
    if (segs.length > maxDepth) continue;
    const name = (f: string) => f.slice(f.lastIndexOf('/') + 1);
    const hook = autoHooks ? list.find((f) => AUTOHOOKS.test(name(f))) : undefined;
    if (hook) hooks.set(d, hook);
    const index = list.find((f) => INDEX.test(name(f)));
    const loaded = index ? [index] : list.filter((f) => !AUTOHOOKS.test(name(f)));
    let prefix = dirNames ? segs.join('/') : '';
    if (routeParams) prefix = prefix.replace(/__/g, ':').replace(/(^|\/)_/g, '$1:');
    const hookDirs: string[] = [];
    if (autoHooks) {
      const chain = [dir, ...segs.map((_, i) => joinPosix(dir, ...segs.slice(0, i + 1)))];
      for (const c of cascade ? chain : [d]) if (hooks.has(c) || (c === d && hook)) hookDirs.push(c);
    }
    for (const f of loaded) plugins.push({ file: f, prefix: joinPosix('/', base, prefix), hookDirs });
  }
  return { plugins, hooks };
}

/** A plugin file's own `autoPrefix` / `prefixOverride` export (`export const autoPrefix = '/x'`, `module.exports.autoPrefix`). */
export function pluginPrefix(r: Resolver, file: string, dirPrefix: string, base: string): string {
  const exported = (name: string): string | undefined => {
    const t = r.exportTarget(file, name);
    return t?.kind === 'expr' ? r.str(t.e) : undefined;
  };
  const override = exported('prefixOverride');
  if (override !== undefined) return override;
  const auto = exported('autoPrefix');
  return auto !== undefined ? joinPosix('/', base, auto) : dirPrefix;
}

/**
 * `fastify.auth([fastify.verifyJWT, fastify.verifyApiKey], { relation: 'and' })` of @fastify/auth: the
 * checks composed, as one mechanism; with the default relation (`or`) a check that admits anonymous
 * requests (`allowAnonymous`, `optionalAuth`) makes the route's authentication optional.
 */
export function fastifyAuth(r: Resolver, e: Expr): AuthUse | undefined {
  if (e.v.k !== 'call') return undefined;
  const c = e.v.call;
  if (c.names[c.names.length - 1] !== 'auth' || c.names.includes('()') || c.args[0]?.k !== 'arr') return undefined;
  const checks = c.args[0].items.map((v) => (v.k === 'ref' ? v.path.slice(v.path.lastIndexOf('.') + 1) : v.k === 'fn' ? 'inline check' : '?'));
  if (checks.length === 0) return undefined;
  const relation = c.args[1] ? r.str(prop(r.object({ v: c.args[1], scope: e.scope }), 'relation')) : undefined;
  const optional = relation !== 'and' && checks.some((x) => /anonymous|optional|public/i.test(x));
  const roles = checks.flatMap((x) => {
    const m = /^(?:is|require|allow|check)?(Admin|Owner|Moderator|Staff)$/i.exec(x);
    return m ? [m[1]!.toLowerCase()] : [];
  });
  // The endpoint rules read a mechanism named optional as one that lets anonymous requests through.
  const list = checks.join(relation === 'and' ? ' and ' : ' or ');
  return { mechanism: `@fastify/auth (${optional ? 'optional: ' : ''}${list})`, optional, roles };
}

/** `request.url.startsWith('/api/auth/login')` written in a hook: the paths it lets through. */
const EXEMPT_CALL = '.url.startsWith(';

/**
 * The paths an authentication hook lets through before checking: `if (request.url.startsWith('/api/auth/login')) return`
 * (or `=== '/x'`) in an `onRequest` hook an autohooks file adds for a whole folder. Read from the hook's text.
 */
export function hookExemptions(r: Resolver, e: Expr): string[] {
  const t = e.v.k === 'fn' ? { kind: 'func' as const, fn: r.ev.fns.get(e.v.key) } : r.deref(e);
  const fn = t?.kind === 'func' ? t.fn : undefined;
  const text = fn ? r.fnText(fn, true) : undefined;
  if (!text) return [];
  const out: string[] = [];
  for (let at = text.indexOf(EXEMPT_CALL); at >= 0 && out.length < 16; at = text.indexOf(EXEMPT_CALL, at + 1)) {
    const q = text[at + EXEMPT_CALL.length];
    if (q !== "'" && q !== '"' && q !== '`') continue;
    // `if (!request.url.startsWith('/x')) return …` checks only those paths: not an exemption.
    const before = text.slice(Math.max(0, at - 80), at);
    if (
      before
        .slice(before.lastIndexOf('(') + 1)
        .trimStart()
        .startsWith('!')
    )
      continue;
    const end = text.indexOf(q, at + EXEMPT_CALL.length + 1);
    // The check must lead to `return` (the request goes on without the rest of the hook).
    const after = end < 0 ? '' : text.slice(end + 1, end + 40);
    if (end > 0 && /^\)\s*\)\s*(\{\s*)?return\b/.test(after)) out.push(text.slice(at + EXEMPT_CALL.length + 1, end));
  }
  return out;
}
