/**
 * Health: health, readiness and liveness routes (Express-style calls, NestJS controllers,
 * Next.js `app/…/route.ts` and `pages/api` files), @nestjs/terminus indicators and
 * @godaddy/terminus checks, and `/metrics` routes as metrics endpoints. Routes seen in code are
 * server routes only when the endpoints analyzer found them: they are kept for the link phase,
 * which makes the facts with the path as served.
 */
import { prop, propKeys, type Call, type ClassSite } from '../../src/analysis/sites.js';
import { compareById, compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { Evidence, Model, ObservabilityFact } from '../../src/model/schema.js';
import type { HealthKind } from '../../src/model/details.js';
import { ev, imports, type FileScope, type HealthRoute, type Rules } from './collector.js';
import { idOf, parseId } from '../../src/model/ids.js';

export const HEALTH_PATH = /(^|\/)(health|healthz|healthcheck|health-check|_health|ready|readyz|readiness|live|livez|liveness|ping|alive|status)(\/|$)/i;

export function healthKind(path: string): HealthKind {
  if (/ready|readiness/i.test(path)) return 'readiness';
  if (/live|liveness|alive/i.test(path)) return 'liveness';
  if (/ping/i.test(path)) return 'ping';
  if (/status/i.test(path)) return 'status';
  return 'health';
}

const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Head: 'HEAD', All: 'ALL' };

/** Receivers that are HTTP clients, not routers or apps: `this.http`, `axios`, `httpService`, `client`, `api`. */
const CLIENT_RECEIVER = /(^|[.$])(http|https|httpClient|httpService|\$http|axios|client|apiClient|api|request|agent|fetcher|got|ky|superagent)$/i;

function joinPath(prefix: string, path: string): string {
  return `/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** A route seen in code: `/metrics` is a metrics endpoint, a health path a health route (kept for the link phase unless `direct`). */
function routeSeen(
  s: FileScope,
  method: string,
  path: string,
  at: { line: number; endLine: number },
  mount: boolean,
  tech?: string,
  clientLike = false,
  direct = false,
): void {
  const { c, comp } = s;
  if (path === '/metrics' || /\/metrics$/.test(path)) {
    c.add(idOf.observability('metrics-endpoint', path), 'metrics', `Metrics endpoint ${path}`, ev(s, at), {
      ...comp,
      ...(tech ? { tech } : {}),
      details: { path },
    });
    return;
  }
  if (!HEALTH_PATH.test(path)) return;
  if (direct) {
    c.add(idOf.observability('health', path), 'health', `${method} ${path}`, ev(s, at), {
      ...comp,
      ...(tech ? { tech } : {}),
      details: { path, kind: healthKind(path) },
    });
    return;
  }
  // Route registrations are confirmed against the endpoints (full path as served) in the link phase.
  c.healthRoutes.push({ method, path, file: s.file, from: at.line, to: at.endLine, mount, tech, component: s.component, clientLike });
}

function healthCall(s: FileScope, call: Call): void {
  const { name, named, module, args, method } = call;
  if (method !== undefined) {
    const p0 = args[0]?.str;
    if (p0 !== undefined && p0.startsWith('/') && ['get', 'head', 'all', 'use', 'route'].includes(method)) {
      const clientLike = !!call.receiverCall || CLIENT_RECEIVER.test(call.receiver ?? '');
      routeSeen(s, method === 'use' || method === 'route' ? 'GET' : method.toUpperCase(), p0, call, method === 'use', undefined, clientLike);
    }
  }
  // @godaddy/terminus: createTerminus(server, { healthChecks: { '/healthcheck': fn } })
  if (module === '@godaddy/terminus' && named === 'createTerminus') {
    for (const k of propKeys(prop(args[1], 'healthChecks'))) {
      if (k.startsWith('/')) routeSeen(s, 'GET', k, call, false, '@godaddy/terminus', false, true);
    }
  }
  // @nestjs/terminus indicators: this.db.pingCheck('database'), this.memory.checkHeap('memory_heap', ...)
  if (/^this\.\w+\.(pingCheck|checkHeap|checkRSS|checkStorage|isHealthy|checkHealth)$/.test(name) && imports(s, (m) => m === '@nestjs/terminus', true)) {
    const key = args[0]?.str;
    if (key)
      s.c.add('observability:health-library:@nestjs/terminus', 'health', 'Health checks with @nestjs/terminus', ev(s, call), {
        tech: '@nestjs/terminus',
        ...s.comp,
        details: { checks: [key] },
      });
  }
}

/** NestJS controller routes with a health path (`@Controller('health')` + `@Get()`), terminus when `@HealthCheck()`. */
function controllerRoutes(s: FileScope, cls: ClassSite): void {
  const ctrl = cls.decorators.find((d) => d.name === 'Controller');
  if (!ctrl) return;
  const prefix = ctrl.args[0]?.str ?? prop(ctrl.args[0], 'path')?.str ?? '';
  for (const m of cls.members) {
    for (const d of m.decorators) {
      const method = NEST_METHODS[d.name];
      if (!method) continue;
      const path = joinPath(prefix, d.args[0]?.str ?? '');
      routeSeen(s, method, path, m, false, m.decorators.some((x) => x.name === 'HealthCheck') ? '@nestjs/terminus' : undefined);
    }
  }
}

export const health: Rules = {
  onImport(s, m, at) {
    if (m === '@nestjs/terminus' || m === '@godaddy/terminus' || m === 'lightship')
      s.c.add(idOf.observability('health-library', m), 'health', `Health checks with ${m}`, at, { tech: m, ...s.comp });
  },
  onCall: healthCall,
  onClass: controllerRoutes,
  // Next.js file-system routes: app/api/health/route.ts, pages/api/healthz.ts.
  onFile(s) {
    const { file } = s;
    const m = /(?:^|\/)(?:src\/)?(app|pages)\/(.*?)(?:\/route|\/index)?\.[cm]?[jt]sx?$/.exec(file);
    if (!m || !(m[1] === 'pages' ? m[2]!.startsWith('api/') : /(^|\/)route\.[cm]?[jt]sx?$/.test(file))) return;
    const path =
      '/' +
      m[2]!
        .split('/')
        .filter((seg) => !/^\(.*\)$/.test(seg))
        .join('/');
    if (HEALTH_PATH.test(path))
      s.c.add(
        idOf.observability('health', path),
        'health',
        `GET ${path}`,
        { file, line: 1 },
        { tech: 'next', ...s.comp, details: { path, kind: healthKind(path) } },
      );
  },
};

/** A health path whose health word comes before any parameter (`/health/:check`, not `/orders/:id/status`). */
export function isHealthRoute(path: string): boolean {
  const segs = path.split('/').filter(Boolean);
  for (const seg of segs) {
    if (/^[:{*]/.test(seg)) return false;
    if (HEALTH_PATH.test('/' + seg)) return true;
  }
  return false;
}

/**
 * Health facts from server routes only. Each HTTP endpoint the endpoints analyzer found in code with
 * a health path becomes one, with the path as served (prefixes and versions included); a route seen
 * here adds its library (terminus). A health-looking call the endpoints do not know is an HTTP
 * client call (`this.http.get('/api/v1/health')` in a front end) and is dropped, unless no endpoint
 * was found in its file and it is not called on a client, when it is kept as read.
 */
export function linkHealthRoutes(model: Model, pending: readonly HealthRoute[]): void {
  const code = model.endpoints.filter((e) => e.protocol === 'http' && e.source !== 'spec');
  const routeAt = (e: (typeof code)[number]): Evidence => ({
    file: typeof e.details?.routeFile === 'string' ? e.details.routeFile : e.evidence[0]!.file,
    line: typeof e.details?.routeLine === 'number' ? e.details.routeLine : e.evidence[0]!.line,
  });
  // Files where the endpoints analyzer saw a route or a mount.
  const endpointFiles = new Set(code.flatMap((e) => [routeAt(e).file, ...e.evidence.map((x) => x.file)]));
  // Next.js file-system routes and terminus health checks are already facts.
  const byId = new Map(model.observability.filter((f) => parseId(f.id)?.key.startsWith('health:')).map((f) => [f.id, f]));
  const done = new Set([...byId.values()].flatMap((f) => f.evidence.map((e) => e.file)));
  const add = (id: string, name: string, evidence: Evidence, path: string, component?: string, tech?: string): void => {
    const prev = byId.get(id);
    if (prev) {
      if (!prev.evidence.some((e) => e.file === evidence.file && e.line === evidence.line)) prev.evidence = sortedEvidence([...prev.evidence, evidence]);
      return;
    }
    const f: ObservabilityFact = { id, name, category: 'health', evidence: [evidence], details: { path, kind: healthKind(path) } };
    if (tech) f.tech = tech;
    if (component) f.component = component;
    byId.set(id, f);
    model.observability.push(f);
  };
  for (const e of [...code].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!isHealthRoute(e.path)) continue;
    const at = routeAt(e);
    if (done.has(at.file)) continue;
    const seen = pending.find((p) => p.file === at.file && at.line >= p.from && at.line <= p.to);
    // `endpoint:services/catalog:GET /health` → `observability:health:services/catalog:/health`.
    const scope = /^(.*:)?[A-Z]+ /.exec(parseId(e.id)!.key)?.[1] ?? '';
    add(idOf.observability('health', `${scope}${e.path}`), `${e.method} ${e.path}`, at, e.path, e.component, seen?.tech);
  }
  for (const p of pending) {
    if (p.clientLike || endpointFiles.has(p.file) || done.has(p.file)) continue;
    add(idOf.observability('health', p.path), `${p.mount ? 'Health router' : p.method} ${p.path}`, { file: p.file, line: p.from }, p.path, p.component, p.tech);
  }
  model.observability.sort(compareById);
}
