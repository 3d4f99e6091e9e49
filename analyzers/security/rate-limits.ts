/**
 * Rate limiting: express-rate-limit, express-slow-down, @nestjs/throttler (module limits, global
 * guard, `@Throttle` overrides), @fastify/rate-limit and rate-limiter-flexible, with window and
 * limit when literal; which routes, path prefixes and components a limiter covers; and, once every
 * file is read, the authentication routes no limiter covers.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Details } from '../../src/model/schema.js';
import { bool, calleeName, decoratorsOf, prop, propName, unwrap } from '../../src/analysis/ast.js';
import { calleeModule, numberValue, objectLiteral, stringValue, type FileInfo, type Call } from '../../src/analysis/bindings.js';
import { appGuard } from './authorisation.js';
import { formatMs, ev, type FileScope, type Limiter, type Rules, type RunState } from './state.js';
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
]);

/** Limiter libraries used without a visible mount: a file importing one counts as limited. */
const UNMOUNTED_LIMITERS = new Set(['rate-limiter-flexible', '@upstash/ratelimit', 'express-brute']);

/** A route handler or middleware argument that is a rate limiter (by variable, import or name). */
export function isLimiterExpr(s: FileScope, h: ts.Expression): boolean {
  const { st, info } = s;
  const n = unwrap(h);
  if (ts.isIdentifier(n)) {
    if (st.limiters.has(`${info.file}#${n.text}`)) return true;
    const bb = info.bindings.get(n.text);
    if (bb && (RATE_LIMIT_MODULES.has(bb.module) || /rate-?limit|limiter/i.test(bb.module))) return true;
    return /(rate)?limiter$|ratelimit/i.test(n.text);
  }
  if (ts.isCallExpression(n)) {
    const bb = calleeModule(n, info);
    if (bb && RATE_LIMIT_MODULES.has(bb.module)) return true;
    return /rate-?limit|limiter|throttle/i.test(calleeName(n) ?? '');
  }
  return false;
}

/** Guards naming the throttler, or a `@Throttle` decorator: the class or method is limited. */
export function throttledBy(decos: readonly { name: string }[], guards: readonly string[]): boolean {
  return decos.some((d) => d.name === 'Throttle') || guards.some((g) => /Throttler/.test(g));
}

function throttleValues(arg: ts.Expression | undefined, info: FileInfo): string | undefined {
  const o = objectLiteral(arg, info);
  if (!o) return undefined;
  // v5: { default: { limit, ttl } }; v4: @Throttle(limit, ttl) handled by caller args
  const inner = objectLiteral(prop(o, 'default'), info) ?? o;
  const limit = numberValue(prop(inner, 'limit'), info);
  const ttl = numberValue(prop(inner, 'ttl'), info);
  if (limit === undefined && ttl === undefined) return undefined;
  return `${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`;
}

function limiterConfig(opts: ts.ObjectLiteralExpression | undefined, info: FileInfo, windowKey: string, limitKeys: string[], unit: 'ms' | 's' = 'ms'): Details {
  const d: Details = {};
  if (!opts) return d;
  const w = numberValue(prop(opts, windowKey), info);
  if (w !== undefined) d.window = formatMs(unit === 's' ? w * 1000 : w);
  else {
    const ws = stringValue(prop(opts, windowKey), info);
    if (ws) d.window = ws;
  }
  for (const k of limitKeys) {
    const v = numberValue(prop(opts, k), info);
    if (v !== undefined) {
      d.limit = v;
      break;
    }
  }
  return d;
}

function rateLimitCall(s: FileScope, { node, name, last, binding: b, args }: Call): void {
  const { c, st, info, comp, component } = s;
  if (b && (b.module === 'express-rate-limit' || b.module === 'express-slow-down') && ts.isIdentifier(node.expression)) {
    const d = limiterConfig(objectLiteral(args[0], info), info, 'windowMs', ['limit', 'max', 'delayAfter']);
    const varName = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
    const lim: Limiter = { name: varName, file: info.file, line: info.line(node) };
    if (varName) st.limiters.set(`${info.file}#${varName}`, lim);
    const label = `${varName ?? 'inline'}: ${d.limit ?? '?'} requests per ${d.window ?? '?'}`;
    c.add(idOf.security('rate-limit', b.module), 'transport', `Rate limiting (${b.module})`, ev(info, node), {
      tech: b.module,
      ...comp,
      details: { limits: [label] },
    });
  }
  if (/^ThrottlerModule\.forRoot(Async)?$/.test(name)) {
    const a = args[0] ? unwrap(args[0]) : undefined;
    const list = a && ts.isArrayLiteralExpression(a) ? a.elements.map((x) => objectLiteral(x as ts.Expression, info)) : [objectLiteral(a, info)];
    const limits: string[] = [];
    for (const o of list) {
      const inner = objectLiteral(prop(o, 'throttlers'), info) ?? o;
      const limit = numberValue(prop(inner, 'limit'), info);
      const ttl = numberValue(prop(inner, 'ttl'), info);
      const nm = stringValue(prop(inner, 'name'), info);
      if (limit !== undefined || ttl !== undefined)
        limits.push(`${nm ? nm + ': ' : ''}${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`);
    }
    c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(info, node), {
      tech: '@nestjs/throttler',
      ...comp,
      details: { limits },
    });
  }
  if (last === 'register' && args[0] && ts.isIdentifier(args[0]) && /rate-limit$/.test(info.bindings.get(args[0].text)?.module ?? '')) {
    const o = objectLiteral(args[1], info);
    const d = limiterConfig(o, info, 'timeWindow', ['max']);
    if (bool(prop(o, 'global')) !== false) st.globalLimit.add(component ?? '.');
    c.add('security:rate-limit:@fastify/rate-limit', 'transport', 'Rate limiting (@fastify/rate-limit)', ev(info, node), {
      tech: '@fastify/rate-limit',
      ...comp,
      details: { limits: [`${d.limit ?? '?'} requests per ${d.window ?? '?'}`] },
    });
  }
  // app.use(limiter) limits every route of the component; app.use('/auth', limiter) a path prefix.
  if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'use') {
    const p0 = stringValue(args[0], info);
    const mw = p0 !== undefined ? args.slice(1) : args;
    if (mw.some((h) => isLimiterExpr(s, h))) {
      if (p0 === undefined) st.globalLimit.add(component ?? '.');
      else st.prefixLimit.push({ component, prefix: p0 });
    }
  }
}

export const rateLimits: Rules = {
  onImport(s, m, at) {
    if (!UNMOUNTED_LIMITERS.has(m)) return;
    s.st.limiterFiles.add(s.info.file);
    s.c.add(idOf.security('rate-limit', m), 'transport', `Rate limiting (${m})`, at, { tech: m, ...s.comp });
  },
  // @Throttle({ default: { limit, ttl } }) on controller methods.
  onClass(s, cls) {
    const className = cls.name?.text ?? 'anonymous';
    for (const m of cls.members) {
      const throttle = decoratorsOf(m).find((d) => d.name === 'Throttle');
      if (!throttle) continue;
      const t = throttleValues(throttle.args[0], s.info);
      s.c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(s.info, throttle.node), {
        tech: '@nestjs/throttler',
        ...s.comp,
        details: { overrides: [`${className}.${m.name ? propName(m.name) : '?'}${t ? `: ${t}` : ''}`] },
      });
    }
  },
  onCall: rateLimitCall,
  onNew(s, { node, last, binding: b, args }) {
    if (b?.module !== 'rate-limiter-flexible' || !/^RateLimiter/.test(b.imported === '*' ? last : b.imported)) return;
    const opts = objectLiteral(args[0], s.info);
    const d = limiterConfig(opts, s.info, 'duration', ['points'], 's');
    const key = stringValue(prop(opts, 'keyPrefix'), s.info);
    s.c.add(idOf.security('rate-limit', 'rate-limiter-flexible'), 'transport', 'Rate limiting (rate-limiter-flexible)', ev(s.info, node), {
      tech: 'rate-limiter-flexible',
      ...s.comp,
      details: { limits: [`${key ? key + ': ' : ''}${d.limit ?? '?'} points per ${d.window ?? '?'}`] },
    });
  },
  // { provide: APP_GUARD, useClass: ThrottlerGuard } limits every route of the component.
  onObject(s, obj) {
    const guard = appGuard(obj);
    if (!guard || !/Throttler/.test(guard)) return;
    s.st.globalLimit.add(s.component ?? '.');
    s.c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(s.info, obj), {
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
