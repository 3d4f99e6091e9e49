/**
 * Next.js file-system routes: App Router `app/**\/route.ts` handlers (route groups dropped,
 * `[id]` → `:id`, `[...slug]` → `:slug*`, `[[...slug]]` → `:slug*?`) and Pages Router
 * `pages/api/**`. The app or pages directory must sit at the package root or under `src/`; a
 * file named route.ts anywhere else is not a route. middleware.ts matchers count as auth
 * evidence when the middleware checks a session or token.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { joinPath } from './paths.js';
import { prop } from '../../src/analysis/ast.js';
import type { Resolver } from './resolver.js';
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

function routePath(segments: string[]): string {
  return joinPath(...segments.map(segmentToPath).filter((s): s is string => s !== null));
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
        const fi = r.index(file);
        if (!fi) continue;
        const auth = MIDDLEWARE_AUTH.test(fi.sf.text);
        let matchers: RegExp[] | 'all' = 'all';
        const cfg = fi.exports.get('config');
        if (cfg) {
          const t = r.exportTarget(fi, 'config');
          const obj = t?.kind === 'expr' && ts.isObjectLiteralExpression(t.expr) ? t.expr : undefined;
          const list = obj ? r.strList(prop(obj, 'matcher')) : undefined;
          if (list) matchers = list.map(matcherToRegExp).filter((x): x is RegExp => !!x);
        }
        const matcherLine = fi.sf.text.split('\n').findIndex((l) => /\bmatcher\b/.test(l));
        return { file, line: matcherLine >= 0 ? matcherLine + 1 : 1, matchers, auth };
      }
    }
  }
  return undefined;
}

/** The router a route handler delegates to (see RouterGraph.delegation). */
export type Delegation = (e: ts.Expression) => { framework: string; routes: boolean } | undefined;

export function nextEndpoints(ctx: AnalyzerContext, r: Resolver, methodsOf: (file: string) => string[], delegation?: Delegation): Found[] {
  const out: Found[] = [];
  const middlewares = new Map<string, Middleware | undefined>();
  // Directories holding a Next.js config, found once (asking per package would scan every file per package).
  const configDirs = new Set(ctx.filesMatching((f) => /(^|\/)next\.config\.(js|mjs|ts|cjs)$/.test(f)).map(dirOf));
  for (const pkg of ctx.workspace.packages) {
    const usesNext = pkg.dependencies.has('next') || configDirs.has(pkg.path);
    if (!usesNext) continue;
    const prefix = pkg.path === '.' ? '' : pkg.path + '/';
    // Files of this package only (a nested package owns its own tree).
    const own = ctx.files.filter((f) => f.startsWith(prefix) && ctx.packageOf(f)?.path === pkg.path && SCRIPT.test(f) && !ctx.isSetAside(f));
    const mw = readMiddleware(ctx, r, pkg.path);
    middlewares.set(pkg.path, mw);
    for (const file of own) {
      const rel = file.slice(prefix.length);
      const app = /^(?:src\/)?app\/(.*\/)?route\.(ts|tsx|js|jsx|mjs)$/.exec(rel);
      const pages = app ? undefined : /^(?:src\/)?pages\/(api\/.*)\.(ts|tsx|js|jsx)$/.exec(rel);
      if (!app && !pages) continue;
      const fi = r.index(file);
      if (!fi) continue;
      const inHandler = HANDLER_AUTH.test(fi.sf.text);
      const found: Found[] = [];
      if (app) {
        const path = routePath((app[1] ?? '').split('/').filter(Boolean));
        let delegated: { framework: string; routes: boolean; line: number } | undefined;
        for (const m of APP_METHODS) {
          const ex = fi.exports.get(m);
          if (!ex) continue;
          // `export const GET = handle(app)`: the route hands its requests to a Hono (or other) router,
          // whose own routes, read by the router graph with their full paths, are the endpoints.
          const t = delegation ? r.exportTarget(fi, m) : undefined;
          const d = t?.kind === 'expr' ? delegation!(t.expr) : undefined;
          if (d) {
            delegated ??= { ...d, line: fi.line(ex.at.getStart(fi.sf)) };
            continue;
          }
          found.push({
            protocol: 'http',
            method: m,
            path,
            file,
            line: fi.line(ex.at.getStart(fi.sf)),
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
        const def = fi.exports.get('default');
        if (!def) continue;
        const methods = [...new Set(methodsOf(file))].filter((m) => APP_METHODS.includes(m));
        const line = fi.line(def.at.getStart(fi.sf));
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
        out.push(f);
      }
    }
  }
  return out;
}
