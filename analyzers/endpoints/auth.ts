/**
 * Does a middleware, hook or guard authenticate or authorise? Decided from what a reader sees:
 * the name (`requireAuth`, `passport.authenticate('jwt')`, `JwtAuthGuard`), the package it comes
 * from (express-jwt, hono/jwt), or, for inline functions, tell-tale calls in the body.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { unwrapAwait } from '../../src/analysis/ast.js';
import type { Resolver } from './resolver.js';

export interface AuthUse {
  /** A short label for the mechanism, e.g. `passport (jwt)`, `requireAuth`, `JwtAuthGuard`. */
  mechanism: string;
  /** The middleware lets anonymous requests through (`optionalAuth`). */
  optional: boolean;
  roles: string[];
}

const NOT_AUTH = /csrf|rate|limit|cors|helmet|valid|logg|cache|throttl|compress|static|json|urlencoded|bodyparser|morgan|multer|upload|error|metric|trace/i;
const AUTH_NAME =
  /auth|jwt|passport|token|session|logged|login|guard|protect|permission|role|admin|bearer|api.?key|acl|clerk|signed.?in|verify|owner|scope|polic|firebase|cognito|supabase|requireUser|ensure[A-Z]|isMember/i;
const ROLE_CALL = /role|permission|authori[sz]e|scope|polic|can[A-Z]|ability/i;
const INLINE_AUTH =
  /jwtVerify|jwt\.verify|verifyToken|headers\.authorization|headers\[['"]authorization|getSession|getServerSession|isAuthenticated|authenticate\(|\.unauthorized\(|session\.user\b|(status|code)\(401\)/;

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

function calleeText(e: ts.Expression): string {
  const x = unwrapAwait(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return `${calleeText(x.expression)}.${x.name.text}`;
  if (x.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isCallExpression(x)) return calleeText(x.expression);
  return '';
}

function stringArgs(r: Resolver, call: ts.CallExpression): string[] {
  const out: string[] = [];
  for (const a of call.arguments) {
    const list = r.strList(a);
    if (list) out.push(...list);
    else {
      // Roles given as enum members whose values are not constant strings: keep the member name.
      const x = unwrapAwait(a);
      if (ts.isPropertyAccessExpression(x)) out.push(x.name.text);
    }
  }
  return out;
}

/** Classify one middleware expression; undefined when it does not look like authentication. */
export function classifyMiddleware(r: Resolver, expr: ts.Expression): AuthUse | undefined {
  const e = unwrapAwait(expr);
  // Inline functions: look inside.
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const text = e.getText();
    return INLINE_AUTH.test(text) ? { mechanism: 'inline check', optional: false, roles: [] } : undefined;
  }
  const call = ts.isCallExpression(e) ? e : undefined;
  const callee = call ? call.expression : e;
  const name = calleeText(callee);
  const target = r.deref(callee);
  let mechanism: string | undefined;
  if (target?.kind === 'external') {
    const base = target.module.replace(/^(@[^/]+\/[^/]+|[^/]+)\/.*$/, '$1');
    mechanism = PACKAGE_MECHANISMS[target.module] ?? PACKAGE_MECHANISMS[base];
  }
  const last = name.split('.').pop() ?? name;
  // passport.initialize() and passport.session() set passport up; only passport.authenticate(…) authenticates.
  if (mechanism === 'passport' && (last === 'initialize' || last === 'session')) return undefined;
  // const requireAuth = expressjwt({ … }): a local name for a package's middleware.
  if (!mechanism && target?.kind === 'expr' && ts.isCallExpression(unwrapAwait(target.expr))) {
    const inner = r.deref((unwrapAwait(target.expr) as ts.CallExpression).expression);
    if (inner?.kind === 'external') {
      const base = inner.module.replace(/^(@[^/]+\/[^/]+|[^/]+)\/.*$/, '$1');
      const pkg = PACKAGE_MECHANISMS[inner.module] ?? PACKAGE_MECHANISMS[base];
      if (pkg) mechanism = name ? `${name} (${pkg})` : pkg;
    }
  }
  if (!mechanism) {
    if (!name || NOT_AUTH.test(last) || !AUTH_NAME.test(name)) {
      // A middleware defined in this repository under a neutral name: look at its body.
      if (target?.kind === 'func' && !NOT_AUTH.test(last) && INLINE_AUTH.test(target.node.getText())) {
        return { mechanism: name || 'inline check', optional: false, roles: [] };
      }
      return undefined;
    }
    mechanism = name;
  }
  const args = call ? stringArgs(r, call) : [];
  if (/passport\.authenticate$/.test(name) || (mechanism === 'passport' && /authenticate/.test(name))) {
    mechanism = args[0] ? `passport (${args[0]})` : 'passport';
    return { mechanism, optional: false, roles: [] };
  }
  const roles = call && ROLE_CALL.test(last) ? args.filter((a) => !a.startsWith('/')) : [];
  return { mechanism, optional: /optional/i.test(name), roles };
}

/** Flatten middleware arguments (`[a, b]`, `...list`) into single expressions. */
export function flattenMiddleware(r: Resolver, exprs: readonly ts.Expression[]): ts.Expression[] {
  const out: ts.Expression[] = [];
  const add = (e: ts.Expression, depth: number) => {
    const x = unwrapAwait(e);
    if (depth < 4 && ts.isArrayLiteralExpression(x)) {
      for (const el of x.elements) add(ts.isSpreadElement(el) ? el.expression : el, depth + 1);
      return;
    }
    if (depth < 4 && ts.isIdentifier(x)) {
      const t = r.deref(x);
      if (t?.kind === 'expr' && ts.isArrayLiteralExpression(unwrapAwait(t.expr))) {
        add(t.expr, depth + 1);
        return;
      }
    }
    out.push(e);
  };
  for (const e of exprs) add(e, 0);
  return out;
}
