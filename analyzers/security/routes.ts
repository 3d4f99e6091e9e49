/**
 * Authentication routes: every Express-style and NestJS route, router mount and global prefix is
 * gathered in the walk; once every file is read, mounts are followed outwards and the routes whose
 * path names authentication are kept as facts. In the link phase they take the path as served
 * from the endpoints analyzer where it found the same route.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareById, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';
import { decoratorsOf, prop, unwrap } from '../../src/analysis/ast.js';
import { objectLiteral, stringValue, type Call } from '../../src/analysis/bindings.js';
import { guardNames } from './authorisation.js';
import { AUTH_ROUTE, LOGIN_ROUTE } from './patterns.js';
import { isLimiterExpr, throttledBy } from './rate-limits.js';
import { joinPath, type FileScope, type RouteSeen, type Rules, type RunState } from './state.js';
import { idOf, parseId } from '../../src/model/ids.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head']);
const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL' };

/** A relative import's file (`./auth/routes` → `src/auth/routes.ts`), when it is in the repository. */
function resolveModule(ctx: AnalyzerContext, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  const parts: string[] = [];
  for (const seg of `${dir}/${spec}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const base = parts.join('/').replace(/\.(js|mjs|cjs)$/, '');
  for (const ext of ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js']) {
    if (ctx.has(base + ext)) return base + ext;
  }
  return undefined;
}

/** Routes are kept until every file is read: a mount elsewhere may add a prefix. */
function noteRoute(s: FileScope, method: string, path: string, node: ts.Node, limited: boolean, owner?: string, nest = false): void {
  s.st.routes.push({ method, path, file: s.info.file, line: s.info.line(node), component: s.component, limited, owner, nest });
}

/** NestJS controller routes (`@Controller('auth')` + `@Post('login')`), limited by `@Throttle` or the throttler guard. */
function controllerRoutes(s: FileScope, cls: ts.ClassDeclaration): void {
  const { info } = s;
  const decos = decoratorsOf(cls);
  const ctrl = decos.find((d) => d.name === 'Controller');
  if (!ctrl) return;
  const prefix = stringValue(ctrl.args[0], info) ?? stringValue(prop(objectLiteral(ctrl.args[0], info), 'path'), info) ?? '';
  const classThrottled = throttledBy(decos, guardNames(decos, info));
  for (const m of cls.members) {
    const mdecos = decoratorsOf(m);
    if (mdecos.length === 0) continue;
    const limited = classThrottled || throttledBy(mdecos, guardNames(mdecos, info));
    for (const d of mdecos) {
      const method = NEST_METHODS[d.name];
      if (!method) continue;
      noteRoute(s, method, joinPath(prefix, stringValue(d.args[0], info) ?? ''), d.node, limited, undefined, true);
    }
  }
}

/** `app.post('/login', …)`, `app.use('/auth', authRouter)`, `routes.forEach((r) => router.use(r.path, r.route))`, `app.setGlobalPrefix('api')`. */
function routeCall(s: FileScope, { node, last, args }: Call): void {
  const { ctx, st, info, component } = s;
  if (last === 'setGlobalPrefix') {
    const gp = stringValue(args[0], info);
    if (gp) st.globalPrefix.set(component ?? '.', gp);
  }
  if (!ts.isPropertyAccessExpression(node.expression)) return;
  const method = node.expression.name.text;
  const p0 = stringValue(args[0], info);
  if (HTTP_METHODS.has(method) && p0 !== undefined && p0.startsWith('/')) {
    const limited = args.slice(1).some((h) => isLimiterExpr(s, h));
    const owner = ts.isIdentifier(node.expression.expression) ? node.expression.expression.text : undefined;
    noteRoute(s, method.toUpperCase(), p0, node, limited, owner);
  }
  if (method !== 'use') return;
  const hasPath = p0 !== undefined;
  const mw = hasPath ? args.slice(1) : args;
  const limited = mw.some((h) => isLimiterExpr(s, h));
  const mountOwner = ts.isIdentifier(node.expression.expression) ? node.expression.expression.text : undefined;
  const addMount = (prefix: string, routerName: string) => {
    const bnd = info.bindings.get(routerName);
    const file = bnd ? resolveModule(ctx, info.file, bnd.module) : info.file;
    if (file) st.mounts.push({ prefix, file, exported: bnd ? bnd.imported : routerName, limited, inFile: info.file, owner: mountOwner });
  };
  if (hasPath && p0.startsWith('/')) {
    for (const h of mw) {
      const n = unwrap(h);
      if (ts.isIdentifier(n)) addMount(p0, n.text);
    }
  }
  // routes.forEach((route) => router.use(route.path, route.route)) over [{ path: '/auth', route: authRoute }]
  const a0 = args[0] ? unwrap(args[0]) : undefined;
  const a1 = args[args.length - 1] ? unwrap(args[args.length - 1]!) : undefined;
  if (hasPath || !a0 || !a1 || !ts.isPropertyAccessExpression(a0) || !ts.isPropertyAccessExpression(a1) || !ts.isIdentifier(a0.expression)) return;
  const param = a0.expression.text;
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) fn = fn.parent;
  const call = fn?.parent;
  if (!fn || !call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'forEach') return;
  const listExpr = unwrap(call.expression.expression);
  const init = ts.isIdentifier(listExpr) ? info.consts.get(listExpr.text) : listExpr;
  const list = init ? unwrap(init) : undefined;
  const fnParam = (fn as ts.ArrowFunction).parameters[0];
  if (!list || !ts.isArrayLiteralExpression(list) || !fnParam || !ts.isIdentifier(fnParam.name) || fnParam.name.text !== param) return;
  for (const el of list.elements) {
    const o = objectLiteral(el as ts.Expression, info);
    const prefix = stringValue(prop(o, a0.name.text), info);
    const r = prop(o, a1.name.text);
    if (prefix?.startsWith('/') && r && ts.isIdentifier(unwrap(r))) addMount(prefix, (unwrap(r) as ts.Identifier).text);
  }
}

export const routes: Rules = {
  onClass: controllerRoutes,
  onCall: routeCall,
};

/**
 * Resolve router mounts (outwards, at most four levels) and the NestJS global prefix, then keep
 * the authentication routes: one fact each, and `st.routes` holds only them afterwards.
 */
export function authRoutes(st: RunState): void {
  const kept: RouteSeen[] = [];
  // Mounts by the file they mount, in order: one lookup per route, not a scan of every mount.
  const mountsIn = new Map<string, typeof st.mounts>();
  for (const x of st.mounts) {
    const list = mountsIn.get(x.file);
    if (list) list.push(x);
    else mountsIn.set(x.file, [x]);
  }
  const mountOf = (file: string, owner: string | undefined) =>
    owner ? mountsIn.get(file)?.find((x) => x.exported === owner || x.exported === 'default' || x.exported === '*') : undefined;
  for (const r of st.routes) {
    // Follow mounts outwards (router → v1 router → app), at most four levels.
    let prefix = '';
    let limitedByMount = false;
    let m = mountOf(r.file, r.owner);
    const firstMount = m;
    for (let depth = 0; m && depth < 4; depth++) {
      prefix = joinPath(m.prefix, prefix);
      limitedByMount ||= m.limited;
      const outer = mountOf(m.inFile, m.owner);
      if (outer === m) break;
      m = outer;
    }
    const gp = r.nest ? st.globalPrefix.get(r.component ?? '.') : undefined;
    const path = firstMount ? joinPath(prefix, r.path) : gp ? joinPath(gp, r.path) : r.path;
    if (!AUTH_ROUTE.test(path)) continue;
    kept.push({ ...r, path, limited: r.limited || limitedByMount });
    st.c.add(
      idOf.security('auth-route', `${r.method} ${path}`),
      'authentication',
      `${r.method} ${path}`,
      { file: r.file, line: r.line },
      {
        ...(r.component ? { component: r.component } : {}),
        details: { route: `${r.method} ${path}`, kind: LOGIN_ROUTE.test(path) ? 'login' : 'account' },
      },
    );
  }
  st.routes = kept;
}

/** `/api/auth/login` is `/api/v1/auth/login` with segments missing: same last segment, the rest in order. */
function missesSegments(short: string, full: string): boolean {
  const a = short.split('/').filter(Boolean);
  const b = full.split('/').filter(Boolean);
  if (a.length === 0 || a.length >= b.length || a[a.length - 1] !== b[b.length - 1]) return false;
  let j = 0;
  for (const seg of b) if (j < a.length && seg === a[j]) j++;
  return j === a.length;
}

/** A fact of one route that authenticates (`security:auth-route:POST /login`). */
const isAuthRoute = (f: SecurityFact): boolean => parseId(f.id)?.key.startsWith('auth-route:') === true;

/**
 * Authentication routes with the path as served. The walk composes paths itself (one level
 * of mounts, the NestJS global prefix); where the endpoints analyzer found the same route — same
 * file and method, declared at or just above the line seen here, its path this one with segments
 * added — its full path (URI versions, nested mounts) replaces it in the route facts, the rate-limit
 * finding and the login flow.
 */
export function alignAuthRoutes(model: Model): void {
  const code = model.endpoints.filter((e) => e.protocol === 'http' && e.source !== 'spec');
  const rename = new Map<string, string>();
  const facts = model.security.filter(isAuthRoute);
  for (const f of facts) {
    const route = typeof f.details?.route === 'string' ? f.details.route : undefined;
    const at = f.evidence[0];
    if (!route || !at) continue;
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const path = route.slice(space + 1);
    let best: { path: string; line: number } | undefined;
    for (const e of code) {
      const file = typeof e.details?.routeFile === 'string' ? e.details.routeFile : e.evidence[0]?.file;
      const line = typeof e.details?.routeLine === 'number' ? e.details.routeLine : e.evidence[0]?.line;
      if (file !== at.file || line === undefined || e.method !== method || line > at.line || at.line - line > 15) continue;
      if (e.path !== path && !missesSegments(path, e.path)) continue;
      if (!best || line > best.line) best = { path: e.path, line };
    }
    if (best && best.path !== path) rename.set(route, `${method} ${best.path}`);
  }
  if (rename.size === 0) return;
  const renamed = (r: string) => rename.get(r) ?? r;
  const isRenamed = (f: SecurityFact) => isAuthRoute(f) && typeof f.details?.route === 'string' && rename.has(f.details.route);
  // Routes keeping their path first, so that a renamed one joining them merges into them.
  const byId = new Map(model.security.filter((f) => isAuthRoute(f) && !isRenamed(f)).map((f) => [f.id, f]));
  const out: SecurityFact[] = [];
  for (const f of model.security) {
    if (isRenamed(f)) {
      const route = renamed(f.details!.route as string);
      const id = idOf.security('auth-route', route);
      const prev = byId.get(id);
      if (prev) {
        prev.evidence = sortedEvidence([...prev.evidence, ...f.evidence]);
        continue;
      }
      const g: SecurityFact = { ...f, id, name: route, details: { ...f.details, route } };
      byId.set(id, g);
      out.push(g);
      continue;
    }
    if (f.id === 'security:finding:auth-routes-without-rate-limit' && Array.isArray(f.details?.routes)) {
      const routes = sortedUnique((f.details.routes as string[]).map(renamed));
      out.push({ ...f, name: `No rate limiting detected on authentication routes (${routes.join(', ')})`, details: { ...f.details, routes } });
      continue;
    }
    if (f.id === 'security:auth-flow' && typeof f.details?.loginRoute === 'string') {
      out.push({ ...f, details: { ...f.details, loginRoute: renamed(f.details.loginRoute) } });
      continue;
    }
    out.push(f);
  }
  model.security = out.sort(compareById);
}
