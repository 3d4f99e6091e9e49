/**
 * Rate limiting: express-rate-limit, express-slow-down, @nestjs/throttler (module limits, global
 * guard, `@Throttle` overrides), @fastify/rate-limit and rate-limiter-flexible, with window and
 * limit when literal; which routes, path prefixes and components a limiter covers; and, once every
 * file is read, the authentication routes no limiter covers.
 */
import { sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Details } from '../../src/model/schema.js';
import { objectOf, prop, type Call, type Opt } from '../../src/analysis/sites.js';
import { appGuard } from './authorisation.js';
import { at, formatMs, type Limiter, type RunState, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

const RATE_LIMIT_MODULES = new Set([
  'express-rate-limit',
  'express-slow-down',
  '@nestjs/throttler',
  'rate-limiter-flexible',
  '@fastify/rate-limit',
  'fastify-rate-limit',
  'koa-ratelimit',
  'express-brute',
  '@upstash/ratelimit',
  'hono-rate-limiter',
]);

/** Limiter libraries used without a visible mount: a file importing one counts as limited. */
const UNMOUNTED_LIMITERS = new Set(['rate-limiter-flexible', '@upstash/ratelimit', 'express-brute']);

/** A route handler or middleware argument that is a rate limiter (by variable, import or name). */
export function isLimiterExpr(s: SiteScope, h: Opt): boolean {
  const { st, file } = s;
  if (h.callee === undefined && h.label !== undefined && !h.label.includes('.')) {
    const name = h.label;
    if (st.limiters.has(`${file}#${name}`)) return true;
    const module = h.bound ?? s.index.imports.get(name)?.module;
    if (module !== undefined && (RATE_LIMIT_MODULES.has(module) || /rate-?limit|limiter/i.test(module))) return true;
    return /(rate)?limiter$|ratelimit/i.test(name);
  }
  if (h.callee !== undefined && !h.isNew) {
    const module = s.index.imports.get(h.callee.split('.')[0]!)?.module;
    if (module !== undefined && RATE_LIMIT_MODULES.has(module)) return true;
    return /rate-?limit|limiter|throttle/i.test(h.callee);
  }
  // `require('express-rate-limit')({ … })`: a call of what a module exports.
  const required = h.isNew || h.text === undefined ? undefined : /^require\(\s*['"]([^'"]+)['"]\s*\)/.exec(h.text)?.[1];
  return required !== undefined && RATE_LIMIT_MODULES.has(required);
}

/** Guards naming the throttler, or a `@Throttle` decorator: the class or method is limited. */
export function throttledBy(decos: readonly { name: string }[], guards: readonly string[]): boolean {
  return decos.some((d) => d.name === 'Throttle') || guards.some((g) => /Throttler/.test(g));
}

function throttleValues(arg: Opt | undefined): string | undefined {
  const o = objectOf(arg);
  if (!o) return undefined;
  // v5: { default: { limit, ttl } }; v4: @Throttle(limit, ttl) handled by caller args
  const inner = objectOf(prop(o, 'default')) ?? o;
  const limit = prop(inner, 'limit')?.num;
  const ttl = prop(inner, 'ttl')?.num;
  if (limit === undefined && ttl === undefined) return undefined;
  return `${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`;
}

function limiterConfig(opts: Opt | undefined, windowKey: string, limitKeys: string[], unit: 'ms' | 's' = 'ms'): Details {
  const d: Details = {};
  if (!opts?.obj) return d;
  const w = prop(opts, windowKey)?.num;
  if (w !== undefined) d.window = formatMs(unit === 's' ? w * 1000 : w);
  else {
    const ws = prop(opts, windowKey)?.str;
    if (ws) d.window = ws;
  }
  for (const k of limitKeys) {
    const v = prop(opts, k)?.num;
    if (v !== undefined) {
      d.limit = v;
      break;
    }
  }
  return d;
}

function rateLimitCall(s: SiteScope, call: Call): void {
  const { c, st, file, comp, component } = s;
  const { name, last, module, args } = call;
  if ((module === 'express-rate-limit' || module === 'express-slow-down') && call.bare) {
    const d = limiterConfig(args[0], 'windowMs', ['limit', 'max', 'delayAfter']);
    const varName = call.assignedTo;
    const lim: Limiter = { name: varName, file, line: call.line };
    if (varName) st.limiters.set(`${file}#${varName}`, lim);
    const label = `${varName ?? 'inline'}: ${d.limit ?? '?'} requests per ${d.window ?? '?'}`;
    c.add(idOf.security('rate-limit', module), 'transport', `Rate limiting (${module})`, at(s, call), {
      tech: module,
      ...comp,
      details: { limits: [label] },
    });
  }
  if (/^ThrottlerModule\.forRoot(Async)?$/.test(name)) {
    const a = args[0];
    const list = a?.arr ? a.arr.map(objectOf) : [objectOf(a)];
    const limits: string[] = [];
    for (const o of list) {
      const inner = objectOf(prop(o, 'throttlers')) ?? o;
      const limit = prop(inner, 'limit')?.num;
      const ttl = prop(inner, 'ttl')?.num;
      const nm = prop(inner, 'name')?.str;
      if (limit !== undefined || ttl !== undefined)
        limits.push(`${nm ? nm + ': ' : ''}${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`);
    }
    c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', at(s, call), {
      tech: '@nestjs/throttler',
      ...comp,
      details: { limits },
    });
  }
  if (last === 'register' && /rate-limit$/.test(args[0]?.bound ?? '')) {
    const o = objectOf(args[1]);
    const d = limiterConfig(o, 'timeWindow', ['max']);
    if (prop(o, 'global')?.bool !== false) st.globalLimit.add(component ?? '.');
    c.add('security:rate-limit:@fastify/rate-limit', 'transport', 'Rate limiting (@fastify/rate-limit)', at(s, call), {
      tech: '@fastify/rate-limit',
      ...comp,
      details: { limits: [`${d.limit ?? '?'} requests per ${d.window ?? '?'}`] },
    });
  }
  // app.use(limiter) limits every route of the component; app.use('/auth', limiter) a path prefix.
  if (call.method === 'use') {
    const p0 = args[0]?.str;
    const mw = p0 !== undefined ? args.slice(1) : args;
    if (mw.some((h) => isLimiterExpr(s, h))) {
      if (p0 === undefined) st.globalLimit.add(component ?? '.');
      else st.prefixLimit.push({ component, prefix: p0 });
    }
  }
}

export const rateLimits: SiteRules = {
  onImport(s, m, where) {
    if (!UNMOUNTED_LIMITERS.has(m)) return;
    s.st.limiterFiles.add(s.file);
    s.c.add(idOf.security('rate-limit', m), 'transport', `Rate limiting (${m})`, where, { tech: m, ...s.comp });
  },
  // @Throttle({ default: { limit, ttl } }) on controller methods.
  onClass(s, cls) {
    const className = cls.name ?? 'anonymous';
    for (const m of cls.members) {
      const throttle = m.decorators.find((d) => d.name === 'Throttle');
      if (!throttle) continue;
      const t = throttleValues(throttle.args[0]);
      s.c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', at(s, throttle), {
        tech: '@nestjs/throttler',
        ...s.comp,
        details: { overrides: [`${className}.${m.name ?? '?'}${t ? `: ${t}` : ''}`] },
      });
    }
  },
  onCall: rateLimitCall,
  onNew(s, call) {
    const { module, imported, last, args } = call;
    if (module !== 'rate-limiter-flexible' || !/^RateLimiter/.test(imported === '*' ? last : imported!)) return;
    const opts = objectOf(args[0]);
    const d = limiterConfig(opts, 'duration', ['points'], 's');
    const key = prop(opts, 'keyPrefix')?.str;
    s.c.add(idOf.security('rate-limit', 'rate-limiter-flexible'), 'transport', 'Rate limiting (rate-limiter-flexible)', at(s, call), {
      tech: 'rate-limiter-flexible',
      ...s.comp,
      details: { limits: [`${key ? key + ': ' : ''}${d.limit ?? '?'} points per ${d.window ?? '?'}`] },
    });
  },
  // { provide: APP_GUARD, useClass: ThrottlerGuard } limits every route of the component.
  onProvider(s, p) {
    const guard = appGuard(p);
    if (!guard || !/Throttler/.test(guard)) return;
    s.st.globalLimit.add(s.component ?? '.');
    s.c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', at(s, p), {
      tech: '@nestjs/throttler',
      ...s.comp,
      details: { scope: `every route (${guard} as APP_GUARD)` },
    });
  },
};

/** Authentication routes (paths as resolved) with no limiter on the route, its mount, its prefix, its file or its component. */
export function unlimitedAuthRoutes(st: RunState): void {
  const unlimited = st.routes.filter((r) => {
    if (r.limited) return false;
    if (st.globalLimit.has(r.component ?? '.')) return false;
    if (st.limiterFiles.has(r.file)) return false;
    if (
      st.prefixLimit.some((p) => p.component === r.component && (r.path.startsWith(p.prefix) || /auth|login|sign|session|token|account|user/i.test(p.prefix)))
    )
      return false;
    return true;
  });
  if (unlimited.length === 0) return;
  const routes = sortedUnique(unlimited.map((r) => `${r.method} ${r.path}`));
  st.c.facts.set('security:finding:auth-routes-without-rate-limit', {
    id: 'security:finding:auth-routes-without-rate-limit',
    name: `No rate limiting detected on authentication routes (${routes.join(', ')})`,
    category: 'finding',
    severity: 'medium',
    evidence: sortedEvidence(unlimited.map((r) => ({ file: r.file, line: r.line }))),
    details: { routes },
  });
}
