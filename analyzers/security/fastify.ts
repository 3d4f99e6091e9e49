/**
 * Fastify's security plugins, wherever the code registers them: `app.register(jwt, { secret })` with
 * an imported plugin, `app.register(require('@fastify/cors'), { origin })` and
 * `app.register(import('@fastify/helmet'))` written in place (often inside an `fp(…)` plugin), and
 * the plugin files @fastify/autoload loads (`export default cors` with `export const autoConfig`).
 * Read: @fastify/jwt (secret source, algorithm, expiry; `request.jwtVerify()`, `app.jwt.sign()`),
 * fastify-guard (roles checked by `app.guard.role(…)`), @fastify/auth, @fastify/basic-auth and
 * @fastify/bearer-auth, @fastify/cors, @fastify/helmet, @fastify/rate-limit, @fastify/csrf-protection,
 * and JSON-schema validation in route options (`schema: { body, querystring, params }`).
 */
import type { Details } from '../../src/model/schema.js';
import { prop, type Call, type Opt } from '../../src/analysis/sites.js';
import { idOf } from '../../src/model/ids.js';
import { corsConfig } from './http-hardening.js';
import { secretSource } from './secrets.js';
import { at, formatMs, recordSecretEnv, type SiteRules, type SiteScope } from './state.js';

const JWT = new Set(['@fastify/jwt', 'fastify-jwt']);
const CORS = new Set(['@fastify/cors', 'fastify-cors']);
const HELMET = new Set(['@fastify/helmet', 'fastify-helmet']);
const RATE_LIMIT = new Set(['@fastify/rate-limit', 'fastify-rate-limit']);
const AUTH = new Set(['@fastify/auth', 'fastify-auth']);
const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route']);
const SCHEMA_PARTS = ['body', 'querystring', 'query', 'params', 'headers'];

/** `require('x')` / `import('x')` as written → x (a quoted literal only). */
function inlineModule(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const open = text.startsWith('require(') ? 8 : text.startsWith('import(') ? 7 : -1;
  if (open < 0 || !text.endsWith(')')) return undefined;
  const inner = text.slice(open, -1).trim();
  const q = inner[0];
  if ((q !== "'" && q !== '"' && q !== '`') || inner[inner.length - 1] !== q || inner.length < 3) return undefined;
  return inner.slice(1, -1);
}

/** The package a `register` argument is: an imported binding, or `require('x')` / `import('x')` written in place. */
function pluginModule(a: Opt | undefined): { module: string; inline: boolean } | undefined {
  if (a?.bound) return { module: a.bound, inline: false };
  const m = inlineModule(a?.text);
  return m ? { module: m, inline: true } : undefined;
}

function jwtPlugin(s: SiteScope, o: Opt | undefined, where: { line: number }): void {
  const details: Details = {};
  const secret = prop(o, 'secret');
  const src = secretSource(prop(secret, 'private') ?? secret);
  if (src) {
    details.secretSources = [src.source];
    if (src.env) recordSecretEnv(s.st, src.env, at(s, where));
    if (src.literal)
      s.c.add(idOf.security('finding', 'jwt-literal-secret', s.file), 'finding', 'JWT secret written in source', at(s, where), { severity: 'high', ...s.comp });
  }
  const sign = prop(o, 'sign');
  const alg = prop(sign, 'algorithm')?.str;
  if (alg) details.algorithms = [alg];
  const exp = prop(sign, 'expiresIn');
  const expText = exp?.str ?? exp?.num?.toString();
  if (expText) details.expiresIn = [expText];
  if (prop(o, 'cookie')) details.tokenFrom = 'cookie';
  s.c.add(idOf.security('jwt', '@fastify/jwt'), 'authentication', 'JSON Web Tokens (@fastify/jwt)', at(s, where), { tech: '@fastify/jwt', ...s.comp, details });
}

function helmetPlugin(s: SiteScope, module: string, o: Opt | undefined, where: { line: number }): void {
  const details: Details = {};
  const csp = prop(o, 'contentSecurityPolicy');
  details.contentSecurityPolicy = csp?.bool === false ? 'disabled' : csp ? 'configured' : 'default';
  const hsts = prop(o, 'hsts');
  if (hsts?.bool === false) details.hsts = 'disabled';
  else if (prop(hsts, 'maxAge')?.num !== undefined) details.hsts = `max-age ${prop(hsts, 'maxAge')!.num} s`;
  if (prop(o, 'global')?.bool === false) details.scope = 'routes that opt in (global: false)';
  s.c.add('security:helmet', 'transport', 'Security headers with helmet', at(s, where), { tech: module, ...s.comp, details });
}

function rateLimitPlugin(s: SiteScope, module: string, o: Opt | undefined, where: { line: number }): void {
  const max = prop(o, 'max')?.num;
  const w = prop(o, 'timeWindow');
  const window = w?.num !== undefined ? formatMs(w.num) : w?.str;
  if (prop(o, 'global')?.bool !== false) s.st.globalLimit.add(s.component ?? '.');
  const ban = prop(o, 'ban')?.num;
  const details: Details = { limits: [`${max ?? '?'} requests per ${window ?? '?'}${ban !== undefined ? ` (banned after ${ban} more)` : ''}`] };
  s.c.add('security:rate-limit:@fastify/rate-limit', 'transport', 'Rate limiting (@fastify/rate-limit)', at(s, where), { tech: module, ...s.comp, details });
}

/**
 * One plugin registered with its options. `inline`: the plugin was written in place (`require('x')`),
 * where the rule sets that read imported bindings (http-hardening.ts, rate-limits.ts) do not see it.
 */
function plugin(s: SiteScope, module: string, o: Opt | undefined, where: { line: number }, inline: boolean): void {
  if (JWT.has(module)) jwtPlugin(s, o, where);
  else if (HELMET.has(module)) helmetPlugin(s, module, o, where);
  else if (CORS.has(module) && inline) corsConfig(s, o, { ...where, k: 'call', endLine: where.line, name: '', args: [] }, module);
  else if (RATE_LIMIT.has(module) && inline) rateLimitPlugin(s, module, o, where);
  else if (module === 'fastify-guard')
    s.c.add('security:rbac:fastify-guard', 'authorisation', 'Role and scope checks (fastify-guard)', at(s, where), { tech: module, ...s.comp });
  else if (AUTH.has(module))
    s.c.add('security:route-checks:@fastify/auth', 'authorisation', 'Route access checks composed with @fastify/auth', at(s, where), {
      tech: '@fastify/auth',
      ...s.comp,
    });
  else if (module === '@fastify/basic-auth')
    s.c.add(idOf.security('basic-auth', module), 'authentication', `Basic authentication (${module})`, at(s, where), { tech: module, ...s.comp });
  else if (module === '@fastify/bearer-auth')
    s.c.add(idOf.security('bearer-auth', module), 'authentication', `Bearer token authentication (${module})`, at(s, where), { tech: module, ...s.comp });
  else if (module === '@fastify/csrf-protection' && inline)
    s.c.add(idOf.security('csrf', module), 'transport', `CSRF protection (${module})`, at(s, where), { tech: module, ...s.comp });
}

/** Schema builders whose schemas a route's `schema` option holds: their own validation fact (validation.ts) stands for the route schemas. */
const SCHEMA_LIBRARIES: Record<string, string> = {
  '@sinclair/typebox': 'typebox',
  '@fastify/type-provider-typebox': 'typebox',
  zod: 'zod',
  'fastify-type-provider-zod': 'zod',
};

/** `schema: { body, querystring, params }` in a route's options: Fastify validates the request against it (Ajv). */
function routeSchema(s: SiteScope, call: Call): void {
  const opts = call.method === 'route' ? call.args[0] : call.args.length >= 3 ? call.args[1] : undefined;
  const schema = prop(opts, 'schema');
  if (!schema?.obj || !SCHEMA_PARTS.some((p) => prop(schema, p))) return;
  const lib = s.sites.modules.map(([m]) => SCHEMA_LIBRARIES[m]).find((x) => x !== undefined);
  if (lib) {
    const tech = lib === 'typebox' ? 'TypeBox' : lib;
    s.c.add(idOf.security('validation', lib), 'validation', `Input validation with ${tech}`, at(s, call), {
      tech,
      ...s.comp,
      details: { options: ['route schemas validated by Fastify (Ajv)'] },
    });
    return;
  }
  s.c.add('security:validation:fastify-schema', 'validation', 'Fastify JSON schema validation of requests (Ajv)', at(s, call), {
    tech: 'Fastify JSON schema',
    ...s.comp,
    details: { files: [s.file] },
  });
}

/** `decorateRequest('isAdmin', isAdmin)`, `decorate('verifyAccess', …)`: role and access checks made available to routes. */
const ROLE_CHECK = /^(?:is|has|require|verify|check|ensure|can)(?:Admin|Moderator|Owner|Staff|Role|Roles|Access|Permission|Permissions)$/;

/** `export default cors` / `export default fp(underPressure, …)` in a plugin folder autoload reads: the package, and its `autoConfig`. */
function autoloadedPlugin(s: SiteScope): void {
  const local = s.index.exports.get('default');
  if (!local) return;
  let name: string | undefined = local;
  const v = s.index.vars.get(local);
  // fp(plugin, { name }) wraps the package's plugin.
  if (v?.k === 'call' && v.call.names.length === 0 && v.call.args[0]?.k === 'ref') name = v.call.args[0].path;
  const module = name ? s.index.imports.get(name)?.module : undefined;
  if (!module) return;
  const line = s.index.imports.get(name!)!.line;
  let config: Opt | undefined;
  for (const site of s.sites.sites) if (site.k === 'vars') config ??= site.objects.find((o) => o.name === 'autoConfig')?.v;
  // The rule sets that read imports see the package; the options are autoConfig's.
  plugin(s, module, config, { line }, true);
}

export const fastify: SiteRules = {
  onImport(s, m, where) {
    if (m === '@fastify/type-provider-typebox')
      s.c.add(idOf.security('validation', 'typebox'), 'validation', 'Input validation with TypeBox', where, {
        tech: 'TypeBox',
        ...s.comp,
        details: { files: [s.file] },
      });
  },
  onCall(s, call) {
    const { method, name, args } = call;
    if (method === 'register') {
      const p = pluginModule(args[0]);
      if (p) plugin(s, p.module, args[1], call, p.inline);
      return;
    }
    if (method && ROUTE_VERBS.has(method)) routeSchema(s, call);
    const decorated = (method === 'decorate' || method === 'decorateRequest') && args[0]?.str;
    if (decorated && ROLE_CHECK.test(decorated))
      s.c.add(idOf.security('rbac', s.file), 'authorisation', 'Role checks decorated on the Fastify instance or request', at(s, call), {
        tech: 'fastify',
        ...s.comp,
        details: { middleware: [decorated] },
      });
    // request.jwtVerify(), reply.jwtSign(), app.jwt.sign(): @fastify/jwt's decorators, on no imported name (jose.jwtVerify is jose's).
    const jwtOp = call.module
      ? undefined
      : method === 'jwtVerify' || method === 'jwtDecode' || method === 'jwtSign'
        ? method.slice(3).toLowerCase()
        : /^(app|fastify|server|instance|request\.server|req\.server)\.jwt\.(sign|verify|decode)$/.exec(name)?.[2];
    if (jwtOp)
      s.c.add(idOf.security('jwt', '@fastify/jwt'), 'authentication', 'JSON Web Tokens (@fastify/jwt)', at(s, call), {
        tech: '@fastify/jwt',
        ...s.comp,
        details: { operations: [jwtOp] },
      });
    // app.guard.role('admin'), fastify.guard.scope('user:read')
    const guard = /\.guard\.(role|scope)$/.exec(name)?.[1];
    if (guard) {
      const values = args.flatMap((a) => (a.str !== undefined ? [a.str] : (a.arr ?? []).flatMap((x) => (x.str !== undefined ? [x.str] : []))));
      s.c.add('security:rbac:fastify-guard', 'authorisation', 'Role and scope checks (fastify-guard)', at(s, call), {
        tech: 'fastify-guard',
        ...s.comp,
        details: guard === 'role' ? { roles: values } : { scope: values.join(', ') },
      });
    }
  },
  onFile: autoloadedPlugin,
};
