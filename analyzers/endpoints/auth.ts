/**
 * Does a middleware, hook or guard authenticate or authorise? Decided from what a reader sees:
 * the name (`requireAuth`, `passport.authenticate('jwt')`, `JwtAuthGuard`), the package it comes
 * from (express-jwt, hono/jwt), or, for inline functions, tell-tale calls in the body.
 */
import type { CallSite } from '../../src/analysis/index-file.js';
import { fastifyAuth } from './fastify.js';
import { unlessInner } from './koa.js';
import type { Expr, Resolver } from './resolver.js';

export interface AuthUse {
  /** A short label for the mechanism, e.g. `passport (jwt)`, `requireAuth`, `JwtAuthGuard`. */
  mechanism: string;
  /** The middleware lets anonymous requests through (`optionalAuth`). */
  optional: boolean;
  roles: string[];
}

const NOT_AUTH =
  /csrf|rate|limit|cors|helmet|valid|logg|cache|throttl|compress|static|json|urlencoded|bodyparser|morgan|multer|upload|error|metric|trace|allowedMethods/i;
const AUTH_NAME =
  /auth|jwt|passport|token|session|logged|login|guard|protect|permission|role|admin|bearer|api.?key|acl|clerk|signed.?in|verify|owner|scope|polic|firebase|cognito|supabase|requireUser|ensure[A-Z]|isMember/i;
const ROLE_CALL = /role|permission|authori[sz]e|scope|polic|can[A-Z]|ability/i;
const INLINE_AUTH =
  /jwtVerify|jwt\.verify|verifyToken|headers\.authorization|headers\[['"]authorization|getSession|getServerSession|isAuthenticated|authenticate\(|\.unauthorized\(|session\.user\b|(status|code)\(401\)|new (AuthFailed|Unauthori[sz]ed)[A-Za-z]{0,20}\(/;

const PACKAGE_MECHANISMS: Record<string, string> = {
  'express-jwt': 'express-jwt',
  'express-openid-connect': 'OpenID Connect',
  'express-oauth2-jwt-bearer': 'OAuth 2 bearer',
  'hono/jwt': 'JWT (hono)',
  'hono/bearer-auth': 'bearer token',
  'hono/basic-auth': 'basic auth',
  '@fastify/jwt': 'JWT (@fastify/jwt)',
  '@fastify/basic-auth': 'basic auth',
  '@fastify/auth': '@fastify/auth',
  'koa-jwt': 'koa-jwt',
  'koa-passport': 'passport',
  passport: 'passport',
  '@clerk/express': 'Clerk',
  '@clerk/fastify': 'Clerk',
};

/** A callee as a reader names it: `passport.authenticate` of `passport.authenticate('jwt')`, calls in a chain dropped. */
function calleeText(v: Expr['v']): string {
  if (v.k === 'ref') return v.path;
  if (v.k === 'env') return v.path ?? '';
  if (v.k === 'call') return [v.call.root, ...v.call.names.filter((n) => n !== '()')].join('.');
  return '';
}

function stringArgs(r: Resolver, call: CallSite, scope: Expr['scope']): string[] {
  const out: string[] = [];
  for (const a of call.args) {
    const list = r.strList({ v: a, scope });
    if (list) out.push(...list);
    // Roles given as enum members whose values are not constant strings: keep the member name.
    else if (a.k === 'ref' && a.path.includes('.')) out.push(a.path.slice(a.path.lastIndexOf('.') + 1));
    else if (a.k === 'env' && a.path) out.push(a.name);
  }
  return out;
}

function packageMechanism(module: string): string | undefined {
  const base = module.replace(/^(@[^/]+\/[^/]+|[^/]+)\/.*$/, '$1');
  return PACKAGE_MECHANISMS[module] ?? PACKAGE_MECHANISMS[base];
}

/** Classify one middleware expression; undefined when it does not look like authentication. */
export function classifyMiddleware(r: Resolver, expr: Expr): AuthUse | undefined {
  const e = expr.v;
  // Inline functions: look inside.
  if (e.k === 'fn') {
    const fn = r.ev.fns.get(e.key);
    const text = fn ? r.fnText(fn) : undefined;
    return text !== undefined && INLINE_AUTH.test(text) ? { mechanism: 'inline check', optional: false, roles: [] } : undefined;
  }
  const composed = fastifyAuth(r, expr);
  if (composed) return composed;
  // koa-jwt's `jwt({ secret }).unless({ path })`: the middleware it wraps (koa.ts reads the exemptions).
  const wrapped = unlessInner(r, expr);
  if (wrapped) return classifyMiddleware(r, wrapped);
  const call = e.k === 'call' ? e.call : undefined;
  const name = calleeText(e);
  const target = call ? r.callee(expr) : r.deref(expr);
  let mechanism: string | undefined;
  if (target?.kind === 'external') mechanism = packageMechanism(target.module);
  const last = name.split('.').pop() ?? name;
  // passport.initialize() and passport.session() set passport up; only passport.authenticate(…) authenticates.
  if (mechanism === 'passport' && (last === 'initialize' || last === 'session')) return undefined;
  // const requireAuth = expressjwt({ … }): a local name for a package's middleware.
  if (!mechanism && target?.kind === 'expr' && target.e.v.k === 'call') {
    const inner = r.callee(target.e);
    const pkg = inner?.kind === 'external' ? packageMechanism(inner.module) : undefined;
    if (pkg) mechanism = name ? `${name} (${pkg})` : pkg;
  }
  // A member of a package that is no authentication (koa-helmet's `helmet.contentSecurityPolicy`).
  if (!mechanism && target?.kind === 'external' && NOT_AUTH.test(target.module) && !AUTH_NAME.test(target.module)) return undefined;
  if (!mechanism) {
    if (!name || NOT_AUTH.test(last) || !AUTH_NAME.test(name)) {
      // A middleware defined in this repository under a neutral name: look at its body.
      if (target?.kind === 'func' && !NOT_AUTH.test(last) && INLINE_AUTH.test(r.fnText(target.fn) ?? '')) {
        return { mechanism: name || 'inline check', optional: false, roles: [] };
      }
      return undefined;
    }
    mechanism = name;
  }
  const args = call ? stringArgs(r, call, expr.scope) : [];
  if (/passport\.authenticate$/.test(name) || (mechanism === 'passport' && /authenticate/.test(name))) {
    mechanism = args[0] ? `passport (${args[0]})` : 'passport';
    return { mechanism, optional: false, roles: [] };
  }
  const roles = call && ROLE_CALL.test(last) ? args.filter((a) => !a.startsWith('/')) : [];
  if (roles.length === 0 && args.length === 0) roles.push(...roleInName(last));
  return { mechanism, optional: /optional/i.test(name), roles };
}

/**
 * The role a middleware named after one admits: `superAdminMiddleware` → `super-admin`, `requireAdmin`,
 * `adminOnly` → `admin`, `isOwner` → `owner`. Only role words, so `authMiddleware` gives none.
 */
export function roleInName(name: string): string[] {
  const core = name.replace(/^(require|ensure|is|check|create|only)(?=[A-Z])/, '').replace(/(Only|Middleware|Guard|Check|Required)+$/, '');
  if (!/^([a-z]+)?(Admin|Moderator|Staff|Owner|admin|moderator|staff|owner)$/.test(core) || core.length > 24) return [];
  return [core.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()];
}

/** Flatten middleware arguments (`[a, b]`, a constant holding such a list) into single expressions. */
export function flattenMiddleware(r: Resolver, exprs: readonly Expr[]): Expr[] {
  const out: Expr[] = [];
  const add = (e: Expr, depth: number) => {
    if (depth < 4 && e.v.k === 'arr') {
      for (const item of e.v.items) add({ v: item, scope: e.scope }, depth + 1);
      return;
    }
    if (depth < 4 && e.v.k === 'ref' && !e.v.path.includes('.')) {
      const t = r.deref(e);
      if (t?.kind === 'expr' && t.e.v.k === 'arr') {
        add(t.e, depth + 1);
        return;
      }
    }
    out.push(e);
  };
  for (const e of exprs) add(e, 0);
  return out;
}
