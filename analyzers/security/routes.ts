/**
 * Authentication routes: every Express-style and NestJS route, router mount and global prefix is
 * gathered in the walk; once every file is read, mounts are followed outwards and the routes whose
 * path names authentication are kept as facts. In the link phase they take the path as served
 * from the endpoints analyzer where it found the same route.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareById, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';
import { propOf, type Fn, type Value } from '../../src/analysis/index-file.js';
import { prop, type Call, type ClassSite, type Opt } from '../../src/analysis/sites.js';
import { isName } from './authentication.js';
import { guardNames } from './authorisation.js';
import { AUTH_ROUTE, LOGIN_ROUTE } from './patterns.js';
import { isLimiterExpr, throttledBy } from './rate-limits.js';
import { joinPath, type RouteSeen, type RunState, type SiteRules, type SiteScope } from './state.js';
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
function noteRoute(s: SiteScope, method: string, path: string, line: number, limited: boolean, owner?: string, nest = false): void {
  s.st.routes.push({ method, path, file: s.file, line, component: s.component, limited, owner, nest });
}

/** NestJS controller routes (`@Controller('auth')` + `@Post('login')`), limited by `@Throttle` or the throttler guard. */
function controllerRoutes(s: SiteScope, cls: ClassSite, i: number): void {
  const decos = cls.decorators;
  const ctrl = decos.find((d) => d.name === 'Controller');
  if (!ctrl) return;
  const prefix = ctrl.args[0]?.str ?? prop(ctrl.args[0], 'path')?.str ?? '';
  const classThrottled = throttledBy(decos, guardNames(s, decos, i));
  for (const m of cls.members) {
    const mdecos = m.decorators;
    if (mdecos.length === 0) continue;
    const limited = classThrottled || throttledBy(mdecos, guardNames(s, mdecos, i));
    for (const d of mdecos) {
      const method = NEST_METHODS[d.name];
      if (!method) continue;
      noteRoute(s, method, joinPath(prefix, d.args[0]?.str ?? ''), d.line, limited, undefined, true);
    }
  }
}

/** The receiver of a method call when it is a name written alone (`authRouter` of `authRouter.post(…)`). */
function receiverName(call: Call): string | undefined {
  const r = call.receiver;
  return call.receiverWritten === undefined && r !== undefined && r !== 'this' && r !== 'super' && /^[A-Za-z_$][\w$]*$/.test(r) ? r : undefined;
}

/** `app.post('/login', …)`, `app.use('/auth', authRouter)`, `routes.forEach((r) => router.use(r.path, r.route))`, `app.setGlobalPrefix('api')`. */
function routeCall(s: SiteScope, call: Call): void {
  const { ctx, st, file, component } = s;
  const { last, args, method } = call;
  if (last === 'setGlobalPrefix') {
    const gp = args[0]?.str;
    if (gp) st.globalPrefix.set(component ?? '.', gp);
  }
  if (method === undefined) return;
  const p0 = args[0]?.str;
  if (HTTP_METHODS.has(method) && p0 !== undefined && p0.startsWith('/')) {
    const limited = args.slice(1).some((h) => isLimiterExpr(s, h));
    noteRoute(s, method.toUpperCase(), p0, call.line, limited, receiverName(call));
  }
  if (method !== 'use') return;
  const hasPath = p0 !== undefined;
  const mw = hasPath ? args.slice(1) : args;
  const limited = mw.some((h) => isLimiterExpr(s, h));
  const mountOwner = receiverName(call);
  const addMount = (prefix: string, routerName: string, bound?: string) => {
    const imp = s.index.imports.get(routerName);
    const module = imp?.module ?? bound;
    const target = module !== undefined ? resolveModule(ctx, file, module) : file;
    if (target)
      st.mounts.push({ prefix, file: target, exported: module !== undefined ? (imp?.name ?? '*') : routerName, limited, inFile: file, owner: mountOwner });
  };
  if (hasPath && p0.startsWith('/')) {
    for (const h of mw) if (isName(h)) addMount(p0, h.label!, h.bound);
  }
  // routes.forEach((route) => router.use(route.path, route.route)) over [{ path: '/auth', route: authRoute }]
  const a0 = args[0];
  const a1 = args[args.length - 1];
  if (hasPath || !a0 || !a1) return;
  const k0 = memberOfName(a0);
  const k1 = memberOfName(a1);
  if (!k0 || !k1) return;
  for (const item of loopItems(s, call.line, k0[0])) {
    const prefix = stringIn(s, propOf(item, k0[1]));
    const r = propOf(item, k1[1]);
    if (prefix?.startsWith('/') && r?.k === 'ref' && !r.path.includes('.')) addMount(prefix, r.path);
  }
}

/** `route.path` as [`route`, `path`]: a name's member, else undefined. */
function memberOfName(o: Opt): [string, string] | undefined {
  const m = o.callee === undefined && o.label !== undefined ? /^([\w$]+)\.([\w$]+)$/.exec(o.label) : null;
  return m ? [m[1]!, m[2]!] : undefined;
}

/** A module-level value by name, or the value itself. */
function deref(s: SiteScope, v: Value | undefined): Value | undefined {
  return v?.k === 'ref' && !v.path.includes('.') ? (s.index.vars.get(v.path) ?? v) : v;
}

function stringIn(s: SiteScope, v: Value | undefined): string | undefined {
  const x = deref(s, v);
  return x?.k === 'str' ? x.v : undefined;
}

/**
 * The objects a callback at `line` walks through: `list.forEach((param) => …)` over a list of
 * objects held by a variable (`const routes = [{ path: '/auth', route: authRoute }]`).
 */
function loopItems(s: SiteScope, line: number, param: string): Value[] {
  const { index } = s;
  let fn: Fn | undefined;
  for (const f of index.functions.values()) {
    if (!f.name.endsWith('<callback>') || f.paramNames[0] !== param || f.line > line || f.endLine < line) continue;
    if (!fn || f.line >= fn.line) fn = f;
  }
  const parent = fn?.parent === undefined ? undefined : index.functions.get(fn.parent);
  if (!fn || !parent) return [];
  const loop = parent.calls.find((c) => c.names.length === 1 && c.names[0] === 'forEach' && c.args.some((a) => a.k === 'fn' && a.key === fn!.key));
  if (!loop) return [];
  let list = index.vars.get(loop.root);
  for (let p: Fn | undefined = parent; !list && p; p = p.parent === undefined ? undefined : index.functions.get(p.parent)) list = p.locals.get(loop.root);
  if (list?.k !== 'arr') return [];
  return list.items.flatMap((v) => {
    const o = deref(s, v);
    return o?.k === 'obj' ? [o] : [];
  });
}

export const routes: SiteRules = {
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
