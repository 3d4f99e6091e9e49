/**
 * Authentication: identity providers by import, Passport strategies, JSON Web Tokens (jsonwebtoken,
 * jose, @nestjs/jwt: algorithms, expiry, secret source), NextAuth / Auth.js, sessions
 * (express-session, cookie-session: store and cookie flags), authentication middleware (NestJS,
 * Next.js) and API-key headers. Token issuances are kept for the authentication flow.
 */
import type { Details, Evidence } from '../../src/model/schema.js';
import { prop, propKeys, strings, type Call, type ClassSite, type Opt } from '../../src/analysis/sites.js';
import { propOf } from '../../src/analysis/index-file.js';
import { secretFallback, secretSource } from './secrets.js';
import { at, formatMs, recordSecretEnv, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

/** Identity providers and auth libraries recognised by import. */
const IDENTITY_MODULES: { test: RegExp; key: string; name: string }[] = [
  { test: /^next-auth(\/|$)/, key: 'nextauth', name: 'NextAuth.js' },
  { test: /^@auth\/(core|nextjs|express|sveltekit|.*-adapter)/, key: 'authjs', name: 'Auth.js' },
  { test: /^lucia(\/|$)|^@lucia-auth\//, key: 'lucia', name: 'Lucia' },
  { test: /^@clerk\//, key: 'clerk', name: 'Clerk' },
  { test: /^@auth0\/|^express-openid-connect$|^auth0$/, key: 'auth0', name: 'Auth0' },
  {
    test: /^amazon-cognito-identity-js$|^aws-jwt-verify|^@aws-sdk\/client-cognito-identity-provider$|^@aws-amplify\/auth$/,
    key: 'cognito',
    name: 'Amazon Cognito',
  },
  { test: /^firebase-admin\/auth$|^firebase\/auth$/, key: 'firebase-auth', name: 'Firebase Authentication' },
  { test: /^@supabase\/auth-helpers|^@supabase\/ssr$/, key: 'supabase-auth', name: 'Supabase Auth' },
  { test: /^@okta\//, key: 'okta', name: 'Okta' },
  { test: /^keycloak-connect$|^keycloak-js$/, key: 'keycloak', name: 'Keycloak' },
  { test: /^openid-client$/, key: 'openid-client', name: 'OpenID Connect client (openid-client)' },
  { test: /^simple-oauth2$/, key: 'simple-oauth2', name: 'OAuth 2.0 client (simple-oauth2)' },
  { test: /^better-auth(\/|$)/, key: 'better-auth', name: 'Better Auth' },
  { test: /^@azure\/msal-node$/, key: 'msal', name: 'Microsoft identity platform (MSAL)' },
];

/** The JWT library a call belongs to (jsonwebtoken, jose, @nestjs/jwt, fast-jwt). */
function jwtCall(call: Call): { lib: string; op: string } | undefined {
  const { name, module, imported } = call;
  if (!name) return undefined;
  const parts = name.split('.');
  const op = parts[parts.length - 1]!;
  if (module === 'jsonwebtoken' && ['sign', 'verify', 'decode'].includes(op)) return { lib: 'jsonwebtoken', op };
  if ((module === 'jsonwebtoken' || module === 'hono/jwt') && imported !== '*' && imported !== 'default' && parts.length === 1) {
    return ['sign', 'verify', 'decode'].includes(imported!) ? { lib: module, op: imported! } : undefined;
  }
  // NestJS JwtService injected as this.jwtService / this.jwt
  if (/^this\.(jwt|jwtService|jwtSvc)\.(sign|signAsync|verify|verifyAsync)$/.test(name)) return { lib: '@nestjs/jwt', op: op.replace('Async', '') };
  return undefined;
}

/** Options of a Passport strategy (`new Strategy({...})` or `super({...})`): secret source, client id, algorithms, issuer. */
function strategyOptions(s: SiteScope, strategy: string, opts: Opt | undefined, where: Evidence): void {
  const { c, st, file, comp } = s;
  if (!opts?.obj) return;
  const details: Details = {};
  const secret = prop(opts, 'secretOrKey') ?? prop(opts, 'secretOrKeyProvider') ?? prop(opts, 'clientSecret');
  const src = secretSource(secret);
  if (src) {
    details.secretSource = src.source;
    if (src.env) recordSecretEnv(st, src.env, at(s, secret!));
    if (src.literal) {
      c.add(idOf.security('finding', 'literal-secret', file), 'finding', `Passport ${strategy} strategy secret written in source`, at(s, secret!), {
        severity: 'high',
        ...comp,
      });
    }
  }
  const clientId = (prop(opts, 'clientID') ?? prop(opts, 'clientId'))?.env;
  if (clientId) details.clientIdEnv = clientId;
  const algs = strings(prop(opts, 'algorithms'));
  if (algs?.length) details.algorithms = algs;
  const issuer = prop(opts, 'issuer');
  if (issuer) details.issuer = issuer.env ? `environment variable ${issuer.env}` : (issuer.str ?? 'expression');
  const from = prop(opts, 'jwtFromRequest');
  if (from) {
    const m = /ExtractJwt\.(\w+)/.exec(from.text ?? from.label ?? from.callee ?? '');
    if (m) details.tokenFrom = m[1]!;
  }
  c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, where, {
    tech: 'passport',
    ...comp,
    details: { strategy, ...details },
  });
}

/** NestJS passport strategies: `class JwtStrategy extends PassportStrategy(Strategy, 'jwt')`, with `super({...})`. */
function strategyClass(s: SiteScope, cls: ClassSite, i: number): void {
  const { c, comp, sites } = s;
  const clue = s.clues.classes.find((x) => x.at === i);
  const ext = clue?.extendsAt === undefined ? undefined : sites.sites[clue.extendsAt];
  if (ext?.k !== 'call' || ext.name !== 'PassportStrategy') return;
  const className = cls.name ?? 'anonymous';
  const [stratArg, nameArg] = ext.args;
  // The strategy class's module, when the argument is a name imported (`Strategy` from 'passport-jwt').
  const bound = stratArg?.bound;
  const strategy = nameArg?.str ?? (bound?.startsWith('passport-') ? bound.slice('passport-'.length) : className.replace(/Strategy$/, '').toLowerCase());
  c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, at(s, ext), {
    tech: 'passport',
    ...comp,
    details: { strategy, strategyClass: className },
  });
  for (const j of clue!.supers) {
    const sup = sites.sites[j];
    if (sup?.k === 'call') strategyOptions(s, strategy, sup.args[0], { file: s.file, line: sup.line });
  }
}

/** A reading of a name written alone (`Strategy`), not a chain, call or literal. */
export function isName(o: Opt): boolean {
  return o.label !== undefined && o.callee === undefined && !o.label.includes('.');
}

function literalJwtSecret(s: SiteScope, where: { line: number }, alg: string | undefined): void {
  s.c.add(
    idOf.security('finding', 'jwt-literal-secret', s.file),
    'finding',
    alg ? `JWT signed or verified with ${alg} and a secret written in source` : 'JWT secret written in source',
    at(s, where),
    { severity: 'high', ...s.comp },
  );
}

function noneFinding(s: SiteScope, where: { line: number }): void {
  s.c.add(idOf.security('finding', 'jwt-alg-none', s.file), 'finding', 'JWT algorithm "none" accepted or used (unsigned tokens)', at(s, where), {
    severity: 'high',
    ...s.comp,
  });
}

/** A jsonwebtoken or @nestjs/jwt sign, verify or decode: algorithms, expiry, secret source, findings. */
function jwtUse(s: SiteScope, lib: string, op: string, call: Call): void {
  const { c, st, file, comp } = s;
  const { args } = call;
  const details: Details = { operations: [op] };
  const optsIndex = op === 'decode' ? 1 : 2;
  const opts = args[optsIndex]?.obj ? args[optsIndex] : undefined;
  const algs: string[] = [];
  const a1 = prop(opts, 'algorithm')?.str;
  if (a1) algs.push(a1);
  algs.push(...(strings(prop(opts, 'algorithms')) ?? []));
  // hono/jwt: sign(payload, secret, alg), verify(token, secret, alg).
  const honoAlg = lib === 'hono/jwt' ? args[2]?.str : undefined;
  if (honoAlg) algs.push(honoAlg);
  if (algs.length) details.algorithms = algs;
  else if ((lib === 'jsonwebtoken' || lib === 'hono/jwt') && op === 'sign') details.algorithms = ['HS256 (library default)'];
  const expiresIn = prop(opts, 'expiresIn');
  const exp = expiresIn?.str ?? expiresIn?.num?.toString();
  if (exp) details.expiresIn = [exp];
  let literalSecret = false;
  if (op !== 'decode') {
    const secretArg = lib === '@nestjs/jwt' ? prop(args[1], 'secret') : args[1];
    const src = secretSource(secretArg);
    if (src) {
      details.secretSources = [src.source];
      if (src.env) recordSecretEnv(st, src.env, at(s, call));
      literalSecret = src.literal;
      if (src.fallback) secretFallback(s, call, src.env!);
    }
  }
  c.add(idOf.security('jwt', lib), 'authentication', `JSON Web Tokens (${lib})`, at(s, call), { tech: lib, ...comp, details });
  if (algs.includes('none')) noneFinding(s, call);
  const hmac = algs.length === 0 ? lib === 'jsonwebtoken' /* default HS256 */ : algs.some((x) => /^HS/.test(x));
  if (literalSecret && hmac) literalJwtSecret(s, call, algs.find((x) => /^HS/.test(x)) ?? 'HS256');
  else if (literalSecret) literalJwtSecret(s, call, undefined);
  if (op === 'sign') {
    st.tokenIssues.push({ file, line: call.line, lib, detail: [algs[0], exp && `expires in ${exp}`].filter(Boolean).join(', ') });
    if (lib === 'jsonwebtoken' && !exp && !opts) {
      const payload = args[0]?.obj ? args[0] : undefined;
      if (!payload || !propKeys(payload).includes('exp')) {
        c.add(idOf.security('finding', 'jwt-no-expiry', file), 'finding', 'JWT issued without an expiry (no expiresIn or exp claim)', at(s, call), {
          severity: 'low',
          ...comp,
        });
      }
    }
  }
}

/**
 * jose: `new SignJWT(...).setProtectedHeader({ alg }).setExpirationTime('2h').sign(key)`, `jwtVerify`,
 * remote JWKS. The chain's calls are the sites after the `sign` call's, outermost first.
 */
function jose(s: SiteScope, call: Call, i: number): void {
  const { c, st, file, comp } = s;
  const { last } = call;
  // The receiver as written, white space taken out: `new SignJWT(` reads `newSignJWT(`.
  const chain = call.receiverWritten ?? call.receiver;
  if (last === 'sign' && call.method === 'sign' && chain !== undefined && /(^|[^\w$])newSignJWT\(/.test(chain)) {
    const alg = /alg:['"]([A-Za-z0-9]+)['"]/.exec(chain)?.[1];
    let exp: string | undefined;
    for (let j = i + 1; j < s.sites.sites.length; j++) {
      const x = s.sites.sites[j]!;
      if (x.line > call.endLine) break;
      const a0 = x.k === 'call' && x.method === 'setExpirationTime' ? x.args[0]?.text : undefined;
      if (a0 !== undefined && /^['"]/.test(a0)) {
        exp = /^['"]([^'"]+)['"]/.exec(a0)?.[1];
        break;
      }
    }
    const details: Details = { operations: ['sign'] };
    if (alg) details.algorithms = [alg];
    if (exp) details.expiresIn = [exp];
    const src = secretSource(call.args[0]);
    if (src?.env) recordSecretEnv(st, src.env, at(s, call));
    c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', at(s, call), { tech: 'jose', ...comp, details });
    st.tokenIssues.push({ file, line: call.line, lib: 'jose', detail: [alg, exp && `expires in ${exp}`].filter(Boolean).join(', ') });
    if (alg === 'none') noneFinding(s, call);
  }
  if ((last === 'jwtVerify' || last === 'createRemoteJWKSet') && call.module === 'jose') {
    c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', at(s, call), {
      tech: 'jose',
      ...comp,
      details: { operations: [last === 'jwtVerify' ? 'verify' : 'remote JWKS'] },
    });
  }
}

/** `JwtModule.register({ secret, signOptions: { expiresIn, algorithm } })`. */
function jwtModule(s: SiteScope, call: Call): void {
  const { c, st, comp } = s;
  const o = call.args[0]?.obj ? call.args[0] : undefined;
  const inner = o && prop(o, 'useFactory') ? undefined : o;
  const details: Details = { operations: ['configuration'] };
  if (inner) {
    const src = secretSource(prop(inner, 'secret') ?? prop(inner, 'privateKey'));
    if (src) {
      details.secretSource = src.source;
      if (src.env) recordSecretEnv(st, src.env, at(s, call));
      if (src.literal) literalJwtSecret(s, call, undefined);
      if (src.fallback) secretFallback(s, call, src.env!);
    }
    const so = prop(inner, 'signOptions');
    const expiresIn = prop(so, 'expiresIn');
    const exp = expiresIn?.str ?? expiresIn?.num?.toString();
    if (exp) details.expiresIn = [exp];
    const alg = prop(so, 'algorithm')?.str;
    if (alg) details.algorithms = [alg];
  }
  c.add('security:jwt:@nestjs/jwt', 'authentication', 'JSON Web Tokens (@nestjs/jwt)', at(s, call), { tech: '@nestjs/jwt', ...comp, details });
}

/** `NextAuth({ providers: [...], session: { strategy } })` and Auth.js equivalents. */
function nextAuth(s: SiteScope, call: Call, module: string): void {
  const { c, st, file, comp } = s;
  const o = call.args[0];
  const providers: string[] = [];
  for (const e of prop(o, 'providers')?.arr ?? []) {
    if (e.callee !== undefined) providers.push(e.callee.replace(/Provider$/, ''));
    else if (e.isNew) providers.push('?');
    else if (isName(e)) providers.push(e.label!.replace(/Provider$/, ''));
  }
  const sess = prop(prop(o, 'session'), 'strategy')?.str;
  const key = module.startsWith('next-auth') ? 'nextauth' : 'authjs';
  const details: Details = {};
  if (providers.length) details.providers = providers;
  if (sess) details.sessionStrategy = sess;
  const src = secretSource(prop(o, 'secret'));
  if (src?.env) recordSecretEnv(st, src.env, at(s, call));
  if (src?.literal)
    c.add(idOf.security('finding', 'literal-secret', file), 'finding', 'Authentication secret written in source', at(s, call), {
      severity: 'high',
      ...comp,
    });
  c.add(idOf.security('identity', key), 'authentication', key === 'nextauth' ? 'NextAuth.js' : 'Auth.js', at(s, call), { tech: key, ...comp, details });
}

/** express-session / cookie-session / Fastify sessions: store, secret source, cookie flags. */
function sessionConfig(s: SiteScope, lib: string, o: Opt | undefined, call: Call): void {
  const { c, st, file, comp } = s;
  const details: Details = {};
  const store = prop(o, 'store');
  if (store) details.store = store.label?.replace(/^new |\(\)$/g, '') ?? 'custom';
  else if (lib === 'express-session') details.store = 'MemoryStore (default)';
  const src = secretSource(prop(o, 'secret') ?? prop(o, 'keys') ?? prop(o, 'key'));
  if (src) {
    details.secretSource = src.source;
    if (src.env) recordSecretEnv(st, src.env, at(s, call));
    if (src.literal)
      c.add(idOf.security('finding', 'session-literal-secret', file), 'finding', 'Session secret written in source', at(s, call), {
        severity: 'high',
        ...comp,
      });
    if (src.fallback) secretFallback(s, call, src.env!);
  }
  const cookie = prop(o, 'cookie')?.obj ? prop(o, 'cookie') : o;
  const secure = prop(cookie, 'secure');
  if (secure) details.cookieSecure = secure.bool ?? 'expression';
  const httpOnly = prop(cookie, 'httpOnly')?.bool;
  if (httpOnly !== undefined) details.cookieHttpOnly = httpOnly;
  const sameSiteOpt = prop(cookie, 'sameSite');
  const sameSite = sameSiteOpt?.str ?? sameSiteOpt?.bool;
  if (sameSite !== undefined) details.cookieSameSite = String(sameSite);
  const maxAge = prop(cookie, 'maxAge')?.num;
  if (maxAge !== undefined) details.cookieMaxAge = formatMs(maxAge);
  c.add(idOf.security('session', lib), 'authentication', `Sessions (${lib})`, at(s, call), { tech: lib, ...comp, details });
  if (secure?.bool === false) {
    c.add(idOf.security('finding', 'session-cookie-insecure', file), 'finding', 'Session cookie set with secure: false (sent over plain HTTP)', at(s, secure), {
      severity: 'low',
      ...comp,
    });
  }
}

const SESSION_MODULES = new Set(['express-session', 'cookie-session', '@fastify/session', '@fastify/secure-session']);

function authCall(s: SiteScope, call: Call, i: number): void {
  const { c, st, comp } = s;
  const { name, last, module, args } = call;

  // passport.authenticate('jwt')
  if (module === 'passport' && last === 'authenticate') {
    const strategy = args[0]?.str;
    if (strategy)
      c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, at(s, call), {
        tech: 'passport',
        ...comp,
        details: { strategy },
      });
  }
  const jwt = jwtCall(call);
  if (jwt) {
    jwtUse(s, jwt.lib, jwt.op, call);
    return;
  }
  jose(s, call, i);
  if (/^JwtModule\.(register|registerAsync)$/.test(name)) jwtModule(s, call);
  if (
    (module?.startsWith('next-auth') || module?.startsWith('@auth/')) &&
    (last === 'NextAuth' || last === 'default' || name === 'NextAuth' || last === 'ExpressAuth' || last === 'SvelteKitAuth')
  ) {
    nextAuth(s, call, module!);
  }
  // Provider calls from next-auth/providers/*: record the client secret's env name.
  if (module?.startsWith('next-auth/providers/') || module?.startsWith('@auth/core/providers/')) {
    const env = prop(args[0], 'clientSecret')?.env;
    if (env) recordSecretEnv(st, env, at(s, call));
  }
  if (module && SESSION_MODULES.has(module) && (call.imported === 'default' || call.imported === '*') && call.bare) {
    sessionConfig(s, module, args[0]?.obj ? args[0] : undefined, call);
  }
  // NestJS middleware: consumer.apply(AuthMiddleware).forRoutes(...)
  if (last === 'apply' && /consumer/i.test(name)) {
    for (const a of args) {
      const l = a.label;
      if (l && /auth|jwt|session|token/i.test(l))
        c.add(idOf.security('middleware', l), 'authentication', `Authentication middleware ${l}`, at(s, call), { ...comp });
    }
  }
}

export const authentication: SiteRules = {
  onImport(s, m, where) {
    for (const idm of IDENTITY_MODULES) {
      if (idm.test.test(m)) s.c.add(idOf.security('identity', idm.key), 'authentication', idm.name, where, { tech: idm.key, ...s.comp });
    }
  },
  onClass: strategyClass,
  onCall: authCall,
  onNew(s, call) {
    const { module } = call;
    if (module?.startsWith('passport-')) {
      const strategy = module.slice('passport-'.length).replace(/-strategy$/, '');
      strategyOptions(s, strategy, call.args[0], at(s, call));
    }
    if (/^(Lucia)$/.test(call.name) && module?.startsWith('lucia')) {
      s.c.add('security:identity:lucia', 'authentication', 'Lucia', at(s, call), { tech: 'lucia', ...s.comp });
    }
  },
  // API key headers: req.headers['x-api-key'], req.header('x-api-key').
  onString(s, str) {
    if (!str.header || !/^x-(api|app)-?key$|^api[-_]?key$/i.test(str.text)) return;
    const header = str.text.toLowerCase();
    s.c.add(idOf.security('api-key', header), 'authentication', `API key in the ${header} header`, at(s, str), { ...s.comp, details: { header } });
  },
  // Next.js middleware that runs an auth library on matching paths (`export { auth as middleware }`, clerkMiddleware(), withAuth()).
  onFile(s) {
    const { file } = s;
    if (!/(^|\/)(src\/)?middleware\.[cm]?[jt]s$/.test(file) || !/\bauth\b|clerkMiddleware|withAuth|authMiddleware/.test(s.ctx.read(file) ?? '')) return;
    const matcher = middlewareMatcher(s);
    s.c.add(
      idOf.security('middleware', file),
      'authentication',
      'Next.js middleware runs authentication',
      { file, line: 1 },
      { ...s.comp, details: matcher.length ? { paths: matcher } : {} },
    );
  },
};

/** The paths of `export const config = { matcher: [...] }` (strings, or constants of the file holding one). */
function middlewareMatcher(s: SiteScope): string[] {
  const { vars } = s.index;
  const config = vars.get('config');
  const list = propOf(config?.k === 'ref' ? vars.get(config.path) : config, 'matcher');
  if (list?.k !== 'arr') return [];
  return list.items.flatMap((v) => {
    const x = v.k === 'ref' ? vars.get(v.path) : v;
    return x?.k === 'str' ? [x.v] : [];
  });
}
