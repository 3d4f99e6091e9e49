/**
 * Hono's own middleware: `jwt({ secret })` (hono/jwt), `bearerAuth` and `basicAuth`, `secureHeaders()`,
 * `cors()` (hono/cors), `csrf()` (hono/csrf), `rateLimiter` (hono-rate-limiter), and authorisation
 * middleware made with `createMiddleware` (hono/factory) that refuses with 403. They are read where
 * they are called, whatever registers them (`app.use('*', cors())`, `app.use(a).use(b)`, a setup
 * function given the app, a route's own middleware). hono/jwt's `sign`/`verify` are in authentication.ts.
 */
import type { Details } from '../../src/model/schema.js';
import { prop, type Call } from '../../src/analysis/sites.js';
import { corsConfig } from './http-hardening.js';
import { secretSource } from './secrets.js';
import { at, formatMs, recordSecretEnv, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

/** `jwt({ secret: env.JWT_SECRET, alg: 'HS256' })`: the middleware verifies a bearer token or cookie. */
function jwtMiddleware(s: SiteScope, call: Call): void {
  const o = call.args[0];
  const details: Details = { operations: ['verify (middleware)'] };
  const alg = prop(o, 'alg')?.str;
  details.algorithms = [alg ?? 'HS256 (library default)'];
  const cookie = prop(o, 'cookie');
  if (cookie) details.tokenFrom = 'cookie';
  const src = secretSource(prop(o, 'secret'));
  if (src) {
    details.secretSources = [src.source];
    if (src.env) recordSecretEnv(s.st, src.env, at(s, call));
    if (src.literal)
      s.c.add(idOf.security('finding', 'jwt-literal-secret', s.file), 'finding', 'JWT secret written in source', at(s, call), { severity: 'high', ...s.comp });
  }
  s.c.add(idOf.security('jwt', 'hono/jwt'), 'authentication', 'JSON Web Tokens (hono/jwt)', at(s, call), { tech: 'hono/jwt', ...s.comp, details });
}

/** `bearerAuth({ token })` / `bearerAuth({ verifyToken })`, `basicAuth({ username, password })`. */
function staticAuth(s: SiteScope, call: Call, kind: 'bearer' | 'basic'): void {
  const o = call.args[0];
  const module = call.module!;
  const details: Details = {};
  if (kind === 'bearer') {
    const token = prop(o, 'token');
    if (prop(o, 'verifyToken')) details.detail = 'checked by a verifyToken function';
    else if (token?.arr) details.detail = `one of ${token.arr.length} tokens`;
    const src = secretSource(token);
    if (src) details.secretSource = src.source;
    if (src?.env) recordSecretEnv(s.st, src.env, at(s, call));
    if (src?.literal)
      s.c.add(idOf.security('finding', 'literal-secret', s.file), 'finding', 'Bearer token written in source', at(s, call), { severity: 'high', ...s.comp });
  } else {
    if (prop(o, 'verifyUser')) details.detail = 'checked by a verifyUser function';
    const src = secretSource(prop(o, 'password'));
    if (src) details.secretSource = src.source;
    if (src?.env) recordSecretEnv(s.st, src.env, at(s, call));
    if (src?.literal)
      s.c.add(idOf.security('finding', 'literal-secret', s.file), 'finding', 'Basic authentication password written in source', at(s, call), {
        severity: 'high',
        ...s.comp,
      });
  }
  const name = kind === 'bearer' ? `Bearer token authentication (${module})` : `Basic authentication (${module})`;
  s.c.add(idOf.security(kind === 'bearer' ? 'bearer-auth' : 'basic-auth', module), 'authentication', name, at(s, call), { tech: module, ...s.comp, details });
}

/** `secureHeaders({ contentSecurityPolicy, strictTransportSecurity })`: Hono's defaults set HSTS and no CSP. */
function secureHeaders(s: SiteScope, call: Call): void {
  const o = call.args[0];
  const details: Details = {};
  const csp = prop(o, 'contentSecurityPolicy');
  details.contentSecurityPolicy = csp ? (csp.bool === false ? 'disabled' : 'configured') : 'not set (library default)';
  const hsts = prop(o, 'strictTransportSecurity');
  if (hsts?.bool === false) details.hsts = 'disabled';
  else details.hsts = hsts?.str ?? 'max-age=15552000; includeSubDomains (library default)';
  s.c.add(idOf.security('headers', 'hono/secure-headers'), 'transport', 'Security headers (hono/secure-headers)', at(s, call), {
    tech: 'hono/secure-headers',
    ...s.comp,
    details,
  });
}

/** `rateLimiter({ windowMs, limit, keyGenerator })` of hono-rate-limiter; kept as a limiter for the route rules. */
function rateLimiter(s: SiteScope, call: Call): void {
  const o = call.args[0];
  const w = prop(o, 'windowMs')?.num;
  const limit = prop(o, 'limit')?.num ?? prop(o, 'max')?.num;
  const name = call.assignedTo;
  if (name) s.st.limiters.set(`${s.file}#${name}`, { name, file: s.file, line: call.line });
  s.c.add(idOf.security('rate-limit', 'hono-rate-limiter'), 'transport', 'Rate limiting (hono-rate-limiter)', at(s, call), {
    tech: 'hono-rate-limiter',
    ...s.comp,
    details: { limits: [`${name ?? 'inline'}: ${limit ?? '?'} requests per ${w !== undefined ? formatMs(w) : '?'}`] },
  });
}

/**
 * `createMiddleware(async (c, next) => { … throw Forbidden … })`: middleware that refuses with 403
 * checks what the user may do (authorisation). Named by the variable or function that holds it.
 */
function authorisationMiddleware(s: SiteScope, call: Call): void {
  const text = s.ctx.read(s.file);
  if (!text) return;
  const body = text
    .split('\n')
    .slice(call.line - 1, call.endLine)
    .join('\n');
  if (!/Forbidden|\b403\b/.test(body)) return;
  // The innermost named function holding the call (`createSuperAdminMiddleware = (users) => createMiddleware(…)`).
  const holders = [...s.index.functions.values()].filter((f) => f.line <= call.line && f.endLine >= call.endLine && !f.name.startsWith('<'));
  const holder = holders.sort((a, b) => b.line - a.line)[0];
  const name = call.assignedTo ?? holder?.name.replace(/[/<].*$/, '');
  if (!name) return;
  s.c.add(idOf.security('middleware', name), 'authorisation', `Authorisation middleware ${name}`, at(s, call), {
    tech: 'hono/factory',
    ...s.comp,
    details: { middleware: [name] },
  });
}

export const hono: SiteRules = {
  onImport(s, m, where) {
    if (m === 'hono/csrf') s.c.add(idOf.security('csrf', m), 'transport', 'CSRF protection (hono/csrf, origin check)', where, { tech: m, ...s.comp });
  },
  onCall(s, call) {
    const { module, named } = call;
    if (!module || !call.bare) return;
    if (module === 'hono/jwt' && named === 'jwt') jwtMiddleware(s, call);
    else if (module === 'hono/bearer-auth' && named === 'bearerAuth') staticAuth(s, call, 'bearer');
    else if (module === 'hono/basic-auth' && named === 'basicAuth') staticAuth(s, call, 'basic');
    else if (module === 'hono/secure-headers' && named === 'secureHeaders') secureHeaders(s, call);
    else if (module === 'hono/cors' && named === 'cors') corsConfig(s, call.args[0], call, 'hono/cors');
    else if (module === 'hono-rate-limiter' && named === 'rateLimiter') rateLimiter(s, call);
    else if (module === 'hono/factory' && named === 'createMiddleware') authorisationMiddleware(s, call);
  },
};
