/**
 * Next.js file-system routes: App Router `app/**\/route.ts` handlers (route groups dropped,
 * `[id]` → `:id`, `[...slug]` → `:slug*`, `[[...slug]]` → `:slug*?`) and Pages Router
 * `pages/api/**`. The app or pages directory must sit at the package root or under `src/`; a
 * file named route.ts anywhere else is not a route. middleware.ts matchers count as auth
 * evidence when the middleware checks a session or token.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { joinPath } from './paths.js';
import { prop, type Expr, type Resolver } from './resolver.js';
import type { Found } from './types.js';

const APP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const SCRIPT = /\.(ts|tsx|js|jsx|mjs)$/;
const MIDDLEWARE_AUTH =
  /next-auth|getToken|auth\(|withAuth|clerkMiddleware|authMiddleware|jwtVerify|jose|supabase|session|authorization|cookies\.get\(['"][^'"]*(token|session)/i;
const HANDLER_AUTH = /getServerSession\(|\bauth\(\)|currentUser\(|getAuth\(|getToken\(|verifyToken|jwt\.verify|jwtVerify|getSession\(/;

function segmentToPath(seg: string): string | null {
  if (/^\(.*\)$/.test(seg) || seg.startsWith('@')) return null; // route group, parallel slot
  let m = /^\[\[\.\.\.(.+)\]\]$/.exec(seg);
  if (m) return `:${m[1]}*?`;
  m = /^\[\.\.\.(.+)\]$/.exec(seg);
  if (m) return `:${m[1]}*`;
  m = /^\[(.+)\]$/.exec(seg);
  if (m) return `:${m[1]}`;
  return seg;
}

export function routePath(segments: string[]): string {
  return joinPath(...segments.map(segmentToPath).filter((s): s is string => s !== null));
}

/** Extensions of route files by default; `pageExtensions` in next.config replaces them. */
const EXTENSIONS = ['ts', 'tsx', 'js', 'jsx', 'mjs'];

/**
 * What next.config says about URLs and route files: `basePath: '/docs'` prefixes every route, and
 * `pageExtensions: ['page.tsx', 'api.ts']` makes only files ending so routes (`pages/api/users.api.ts`
 * is `/api/users`). Read as plain text from the config of the package's folder.
 */
function nextConfig(ctx: AnalyzerContext, pkgPath: string, configs: readonly string[]): { basePath?: string; extensions: string[] } {
  const file = configs.find((f) => dirOf(f) === pkgPath);
  const text = file ? (ctx.read(file) ?? '') : '';
  const base = /\bbasePath\s*:\s*(['"`])(\/[\w./-]{0,200})\1/.exec(text)?.[2];
  const list = /\bpageExtensions\s*:\s*\[([^\]]{0,500})\]/.exec(text)?.[1];
  const extensions = list ? [...list.matchAll(/['"`]([\w.-]{1,40})['"`]/g)].map((m) => m[1]!) : [];
  return { ...(base && base !== '/' ? { basePath: base } : {}), extensions: extensions.length > 0 ? extensions : EXTENSIONS };
}

/** The file without the route extension it ends in (the longest that fits), or undefined when it ends in none. */
function withoutExtension(rel: string, extensions: readonly string[]): string | undefined {
  const ext = [...extensions].sort((a, b) => b.length - a.length).find((e) => rel.endsWith(`.${e}`));
  return ext === undefined ? undefined : rel.slice(0, -(ext.length + 1));
}

/** A pages/api route whose default export is Auth.js's handler: `NextAuth(options)` from next-auth. */
function isNextAuth(r: Resolver, file: string): boolean {
  const t = r.exportTarget(file, 'default');
  if (t?.kind !== 'expr' || t.e.v.k !== 'call') return false;
  const made = r.ev.ident(t.e.scope, t.e.v.call.root);
  return made?.k === 'pkg' && made.pkg === 'next-auth';
}

interface Middleware {
  file: string;
  line: number;
  matchers: RegExp[] | 'all';
  auth: boolean;
}

function matcherToRegExp(m: string): RegExp | undefined {
  const converted = m
    .replace(/\/:[A-Za-z0-9_]+\*/g, '(?:/.*)?')
    .replace(/\/:[A-Za-z0-9_]+\+/g, '/.+')
    .replace(/:[A-Za-z0-9_]+/g, '[^/]+');
  try {
    return new RegExp(`^${converted}$`);
  } catch {
    return undefined;
  }
}

function readMiddleware(ctx: AnalyzerContext, r: Resolver, pkgPath: string): Middleware | undefined {
  for (const dir of ['', 'src']) {
    for (const base of ['middleware', 'proxy']) {
      for (const ext of ['.ts', '.js', '.mjs']) {
        const file = joinPosix(pkgPath, dir, base + ext);
        if (!ctx.has(file)) continue;
        const fi = r.ev.indexes.get(file);
        if (!fi) continue;
        const text = r.text(file);
        const auth = MIDDLEWARE_AUTH.test(text);
        let matchers: RegExp[] | 'all' = 'all';
        if (exported(fi, 'config')) {
          const t = r.exportTarget(file, 'config');
          const obj = t?.kind === 'expr' && t.e.v.k === 'obj' ? t.e : undefined;
          const list = obj ? r.strList(prop(obj, 'matcher')) : undefined;
          if (list) matchers = list.map(matcherToRegExp).filter((x): x is RegExp => !!x);
        }
        const matcherLine = text.split('\n').findIndex((l) => /\bmatcher\b/.test(l));
        return { file, line: matcherLine >= 0 ? matcherLine + 1 : 1, matchers, auth };
      }
    }
  }
  return undefined;
}

/** The router a route handler delegates to (see RouterGraph.delegation). */
export type Delegation = (e: Expr) => { framework: string; routes: boolean } | undefined;

const exported = (fi: FileIndex, name: string) => fi.exports.has(name) || fi.reexports.has(name);

/**
 * The line an export is declared at: the first line that exports the name (`export const GET = …`,
 * `export async function GET`, `export { handler as GET }`, a name on its own line of an
 * `export { … }` list, `export default handler`), else the line of the function or value exported.
 */
export function exportLine(r: Resolver, fi: FileIndex, name: string): number {
  const word = new RegExp(`(^|[^\\w$])${name}([^\\w$]|$)`);
  let inClause = false;
  const lines = r.text(fi.file).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const opens = /\bexport\s+(type\s+)?\{/.test(l);
    if ((opens || inClause || /\bexport\b/.test(l)) && word.test(l)) return i + 1;
    if (opens && !l.includes('}')) inClause = true;
    else if (inClause && l.includes('}')) inClause = false;
  }
  const local = fi.exports.get(name);
  const fn = local ? r.ev.fns.get(`${fi.file}#${local}`) : undefined;
  const v = local ? fi.vars.get(local) : undefined;
  return fn?.line ?? (v?.k === 'call' ? v.call.line : v?.k === 'fn' ? r.ev.fns.get(v.key)?.line : undefined) ?? 1;
}

export function nextEndpoints(ctx: AnalyzerContext, r: Resolver, delegation?: Delegation): Found[] {
  const out: Found[] = [];
  const middlewares = new Map<string, Middleware | undefined>();
  // Directories holding a Next.js config, found once (asking per package would scan every file per package).
  const configs = ctx.filesMatching((f) => /(^|\/)next\.config\.(js|mjs|ts|cjs)$/.test(f));
  const configDirs = new Set(configs.map(dirOf));
  for (const pkg of ctx.workspace.packages) {
    const usesNext = pkg.dependencies.has('next') || configDirs.has(pkg.path);
    if (!usesNext) continue;
    const prefix = pkg.path === '.' ? '' : pkg.path + '/';
    // Files of this package only (a nested package owns its own tree).
    const own = ctx.files.filter((f) => f.startsWith(prefix) && ctx.packageOf(f)?.path === pkg.path && SCRIPT.test(f) && !ctx.isSetAside(f));
    const mw = readMiddleware(ctx, r, pkg.path);
    middlewares.set(pkg.path, mw);
    const conf = nextConfig(ctx, pkg.path, configs);
    for (const file of own) {
      const rel = withoutExtension(file.slice(prefix.length), conf.extensions);
      if (rel === undefined) continue;
      const app = /^(?:src\/)?app\/(.*\/)?route$/.exec(rel);
      const pages = app ? undefined : /^(?:src\/)?pages\/(api\/.*)$/.exec(rel);
      if (!app && !pages) continue;
      const fi = r.ev.indexes.get(file);
      if (!fi) continue;
      const inHandler = HANDLER_AUTH.test(r.text(file));
      const found: Found[] = [];
      if (app) {
        const path = routePath((app[1] ?? '').split('/').filter(Boolean));
        let delegated: { framework: string; routes: boolean; line: number } | undefined;
        for (const m of APP_METHODS) {
          if (!exported(fi, m)) continue;
          // `export const GET = handle(app)`: the route hands its requests to a Hono (or other) router,
          // whose own routes, read by the router graph with their full paths, are the endpoints.
          const t = delegation ? r.exportTarget(file, m) : undefined;
          const d = t?.kind === 'expr' ? delegation!(t.e) : undefined;
          if (d) {
            delegated ??= { ...d, line: exportLine(r, fi, m) };
            continue;
          }
          found.push({
            protocol: 'http',
            method: m,
            path,
            file,
            line: exportLine(r, fi, m),
            framework: 'nextjs-app-router',
            handler: m,
            mechanisms: [],
          });
        }
        if (delegated && !delegated.routes) {
          ctx.warn(
            file,
            delegated.line,
            `route ${path} hands its requests to a ${delegated.framework} router whose routes archdoc could not read; they are not listed`,
          );
        }
      } else if (pages) {
        const segs = pages[1]!.split('/');
        if (segs[segs.length - 1] === 'index') segs.pop();
        const path = routePath(segs);
        if (!exported(fi, 'default')) continue;
        const methods = [...new Set(fi.embedded.methods)].filter((m) => APP_METHODS.includes(m));
        const line = exportLine(r, fi, 'default');
        // `export default NextAuth(options)`: Auth.js answers GET (pages, session) and POST (sign-in, sign-out).
        if (methods.length === 0 && isNextAuth(r, file)) methods.push('GET', 'POST');
        for (const m of methods.length > 0 ? methods : ['ALL']) {
          found.push({ protocol: 'http', method: m, path, file, line, framework: 'nextjs-pages-api', handler: 'default', mechanisms: [] });
        }
      }
      for (const f of found) {
        if (mw?.auth && (mw.matchers === 'all' || mw.matchers.some((re) => re.test(f.path)))) {
          f.mechanisms.push('Next.js middleware');
          f.more = [{ file: mw.file, line: mw.line }];
        }
        if (inHandler) f.mechanisms.push('session check in handler');
        if (conf.basePath) f.path = joinPath(conf.basePath, f.path);
        out.push(f);
      }
    }
  }
  return out;
}
