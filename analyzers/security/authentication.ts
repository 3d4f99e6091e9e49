/**
 * Authentication: identity providers by import, Passport strategies, JSON Web Tokens (jsonwebtoken,
 * jose, @nestjs/jwt: algorithms, expiry, secret source), NextAuth / Auth.js, sessions
 * (express-session, cookie-session: store and cookie flags), authentication middleware (NestJS,
 * Next.js) and API-key headers. Token issuances are kept for the authentication flow.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Details } from '../../src/model/schema.js';
import { bool, calleeName, exprLabel, prop, propKeys, unwrap } from '../../src/analysis/ast.js';
import { calleeModule, envVariable, numberValue, objectLiteral, stringValues, stringValue, type FileInfo, type Call } from '../../src/analysis/bindings.js';
import { secretFallback, secretSource } from './secrets.js';
import { formatMs, ev, recordSecretEnv, type FileScope, type Rules } from './state.js';
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
function jwtCall(node: ts.CallExpression, info: FileInfo): { lib: string; op: string } | undefined {
  const name = calleeName(node);
  if (!name) return undefined;
  const parts = name.split('.');
  const op = parts[parts.length - 1]!;
  const b = calleeModule(node, info);
  if (b?.module === 'jsonwebtoken' && ['sign', 'verify', 'decode'].includes(op)) return { lib: 'jsonwebtoken', op };
  if (b?.module === 'jsonwebtoken' && b.imported !== '*' && b.imported !== 'default' && parts.length === 1) {
    return ['sign', 'verify', 'decode'].includes(b.imported) ? { lib: 'jsonwebtoken', op: b.imported } : undefined;
  }
  // NestJS JwtService injected as this.jwtService / this.jwt
  if (/^this\.(jwt|jwtService|jwtSvc)\.(sign|signAsync|verify|verifyAsync)$/.test(name)) return { lib: '@nestjs/jwt', op: op.replace('Async', '') };
  return undefined;
}

/** Options of a Passport strategy (`new Strategy({...})` or `super({...})`): secret source, client id, algorithms, issuer. */
function strategyOptions(s: FileScope, strategy: string, opts: ts.ObjectLiteralExpression | undefined, at: ts.Node): void {
  const { c, st, info, comp } = s;
  if (!opts) return;
  const details: Details = {};
  const secret = prop(opts, 'secretOrKey') ?? prop(opts, 'secretOrKeyProvider') ?? prop(opts, 'clientSecret');
  const src = secretSource(secret, info);
  if (src) {
    details.secretSource = src.source;
    if (src.env) recordSecretEnv(st, src.env, ev(info, secret!));
    if (src.literal) {
      c.add(idOf.security('finding', 'literal-secret', info.file), 'finding', `Passport ${strategy} strategy secret written in source`, ev(info, secret!), {
        severity: 'high',
        ...comp,
      });
    }
  }
  const clientId = envVariable(prop(opts, 'clientID') ?? prop(opts, 'clientId'), info);
  if (clientId) details.clientIdEnv = clientId;
  const algs = stringValues(prop(opts, 'algorithms'), info);
  if (algs?.length) details.algorithms = algs;
  const issuer = prop(opts, 'issuer');
  if (issuer) details.issuer = envVariable(issuer, info) ? `environment variable ${envVariable(issuer, info)}` : (stringValue(issuer, info) ?? 'expression');
  const from = prop(opts, 'jwtFromRequest');
  if (from) {
    const t = from.getText(info.sf);
    const m = /ExtractJwt\.(\w+)/.exec(t);
    if (m) details.tokenFrom = m[1]!;
  }
  c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, ev(info, at), {
    tech: 'passport',
    ...comp,
    details: { strategy, ...details },
  });
}

/** NestJS passport strategies: `class JwtStrategy extends PassportStrategy(Strategy, 'jwt')`, with `super({...})`. */
function strategyClass(s: FileScope, cls: ts.ClassDeclaration): void {
  const { c, info, comp } = s;
  const className = cls.name?.text ?? 'anonymous';
  const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!ext || !ts.isCallExpression(ext) || calleeName(ext) !== 'PassportStrategy') return;
  const stratArg = ext.arguments[0];
  const b = stratArg && ts.isIdentifier(stratArg) ? info.bindings.get(stratArg.text) : undefined;
  const strategy =
    stringValue(ext.arguments[1], info) ??
    (b?.module.startsWith('passport-') ? b.module.slice('passport-'.length) : className.replace(/Strategy$/, '').toLowerCase());
  c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, ev(info, ext), {
    tech: 'passport',
    ...comp,
    details: { strategy, strategyClass: className },
  });
  cls.forEachChild((m) => {
    if (!ts.isConstructorDeclaration(m) || !m.body) return;
    for (const st of m.body.statements) {
      if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && st.expression.expression.kind === ts.SyntaxKind.SuperKeyword) {
        strategyOptions(s, strategy, objectLiteral(st.expression.arguments[0], info), st.expression);
      }
    }
  });
}

function literalJwtSecret(s: FileScope, node: ts.Node, alg: string | undefined): void {
  s.c.add(
    idOf.security('finding', 'jwt-literal-secret', s.info.file),
    'finding',
    alg ? `JWT signed or verified with ${alg} and a secret written in source` : 'JWT secret written in source',
    ev(s.info, node),
    { severity: 'high', ...s.comp },
  );
}

function noneFinding(s: FileScope, node: ts.Node): void {
  s.c.add(idOf.security('finding', 'jwt-alg-none', s.info.file), 'finding', 'JWT algorithm "none" accepted or used (unsigned tokens)', ev(s.info, node), {
    severity: 'high',
    ...s.comp,
  });
}

/** A jsonwebtoken or @nestjs/jwt sign, verify or decode: algorithms, expiry, secret source, findings. */
function jwtUse(s: FileScope, lib: string, op: string, node: ts.CallExpression): void {
  const { c, st, info, comp } = s;
  const args = node.arguments;
  const details: Details = { operations: [op] };
  const optsIndex = op === 'decode' ? 1 : 2;
  const opts = objectLiteral(args[optsIndex], info);
  const algs: string[] = [];
  const a1 = stringValue(prop(opts, 'algorithm'), info);
  if (a1) algs.push(a1);
  algs.push(...(stringValues(prop(opts, 'algorithms'), info) ?? []));
  if (algs.length) details.algorithms = algs;
  else if (lib === 'jsonwebtoken' && op === 'sign') details.algorithms = ['HS256 (library default)'];
  const exp = stringValue(prop(opts, 'expiresIn'), info) ?? numberValue(prop(opts, 'expiresIn'), info)?.toString();
  if (exp) details.expiresIn = [exp];
  let literalSecret = false;
  if (op !== 'decode') {
    const secretArg = lib === '@nestjs/jwt' ? prop(objectLiteral(args[1], info), 'secret') : args[1];
    const src = secretSource(secretArg, info);
    if (src) {
      details.secretSources = [src.source];
      if (src.env) recordSecretEnv(st, src.env, ev(info, node));
      literalSecret = src.literal;
      if (src.fallback) secretFallback(s, node, src.env!);
    }
  }
  c.add(idOf.security('jwt', lib), 'authentication', `JSON Web Tokens (${lib})`, ev(info, node), { tech: lib, ...comp, details });
  if (algs.includes('none')) noneFinding(s, node);
  const hmac = algs.length === 0 ? lib === 'jsonwebtoken' /* default HS256 */ : algs.some((x) => /^HS/.test(x));
  if (literalSecret && hmac) literalJwtSecret(s, node, algs.find((x) => /^HS/.test(x)) ?? 'HS256');
  else if (literalSecret) literalJwtSecret(s, node, undefined);
  if (op === 'sign') {
    st.tokenIssues.push({ file: info.file, line: info.line(node), lib, detail: [algs[0], exp && `expires in ${exp}`].filter(Boolean).join(', ') });
    if (lib === 'jsonwebtoken' && !exp && !opts) {
      const payload = objectLiteral(args[0], info);
      if (!payload || !propKeys(payload).includes('exp')) {
        c.add(idOf.security('finding', 'jwt-no-expiry', info.file), 'finding', 'JWT issued without an expiry (no expiresIn or exp claim)', ev(info, node), {
          severity: 'low',
          ...comp,
        });
      }
    }
  }
}

/** jose: `new SignJWT(...).setProtectedHeader({ alg }).setExpirationTime('2h').sign(key)`, `jwtVerify`, remote JWKS. */
function jose(s: FileScope, node: ts.CallExpression, last: string): void {
  const { c, st, info, comp } = s;
  const b = calleeModule(node, info);
  if (last === 'sign' && ts.isPropertyAccessExpression(node.expression)) {
    const chain = node.expression.expression.getText(info.sf);
    if (/new SignJWT\(/.test(chain)) {
      const alg = /alg:\s*['"]([A-Za-z0-9]+)['"]/.exec(chain)?.[1];
      const exp = /setExpirationTime\(\s*['"]([^'"]+)['"]/.exec(chain)?.[1];
      const details: Details = { operations: ['sign'] };
      if (alg) details.algorithms = [alg];
      if (exp) details.expiresIn = [exp];
      const src = secretSource(node.arguments[0], info);
      if (src?.env) recordSecretEnv(st, src.env, ev(info, node));
      c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', ev(info, node), { tech: 'jose', ...comp, details });
      st.tokenIssues.push({ file: info.file, line: info.line(node), lib: 'jose', detail: [alg, exp && `expires in ${exp}`].filter(Boolean).join(', ') });
      if (alg === 'none') noneFinding(s, node);
    }
  }
  if ((last === 'jwtVerify' || last === 'createRemoteJWKSet') && b?.module === 'jose') {
    c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', ev(info, node), {
      tech: 'jose',
      ...comp,
      details: { operations: [last === 'jwtVerify' ? 'verify' : 'remote JWKS'] },
    });
  }
}

/** `JwtModule.register({ secret, signOptions: { expiresIn, algorithm } })`. */
function jwtModule(s: FileScope, node: ts.CallExpression): void {
  const { c, st, info, comp } = s;
  const o = objectLiteral(node.arguments[0], info);
  const inner = o && prop(o, 'useFactory') ? undefined : o;
  const details: Details = { operations: ['configuration'] };
  if (inner) {
    const src = secretSource(prop(inner, 'secret') ?? prop(inner, 'privateKey'), info);
    if (src) {
      details.secretSource = src.source;
      if (src.env) recordSecretEnv(st, src.env, ev(info, node));
      if (src.literal) literalJwtSecret(s, node, undefined);
      if (src.fallback) secretFallback(s, node, src.env!);
    }
    const so = objectLiteral(prop(inner, 'signOptions'), info);
    const exp = stringValue(prop(so, 'expiresIn'), info) ?? numberValue(prop(so, 'expiresIn'), info)?.toString();
    if (exp) details.expiresIn = [exp];
    const alg = stringValue(prop(so, 'algorithm'), info);
    if (alg) details.algorithms = [alg];
  }
  c.add('security:jwt:@nestjs/jwt', 'authentication', 'JSON Web Tokens (@nestjs/jwt)', ev(info, node), { tech: '@nestjs/jwt', ...comp, details });
}

/** `NextAuth({ providers: [...], session: { strategy } })` and Auth.js equivalents. */
function nextAuth(s: FileScope, node: ts.CallExpression, module: string): void {
  const { c, st, info, comp } = s;
  const o = objectLiteral(node.arguments[0], info);
  const providers: string[] = [];
  const pl = prop(o, 'providers');
  if (pl && ts.isArrayLiteralExpression(unwrap(pl))) {
    for (const el of (unwrap(pl) as ts.ArrayLiteralExpression).elements) {
      const e = unwrap(el as ts.Expression);
      if (ts.isCallExpression(e) || ts.isNewExpression(e)) providers.push((calleeName(e) ?? '?').replace(/Provider$/, ''));
      else if (ts.isIdentifier(e)) providers.push(e.text.replace(/Provider$/, ''));
    }
  }
  const sess = stringValue(prop(objectLiteral(prop(o, 'session'), info), 'strategy'), info);
  const key = module.startsWith('next-auth') ? 'nextauth' : 'authjs';
  const details: Details = {};
  if (providers.length) details.providers = providers;
  if (sess) details.sessionStrategy = sess;
  const src = secretSource(prop(o, 'secret'), info);
  if (src?.env) recordSecretEnv(st, src.env, ev(info, node));
  if (src?.literal)
    c.add(idOf.security('finding', 'literal-secret', info.file), 'finding', 'Authentication secret written in source', ev(info, node), {
      severity: 'high',
      ...comp,
    });
  c.add(idOf.security('identity', key), 'authentication', key === 'nextauth' ? 'NextAuth.js' : 'Auth.js', ev(info, node), { tech: key, ...comp, details });
}

/** express-session / cookie-session / Fastify sessions: store, secret source, cookie flags. */
function sessionConfig(s: FileScope, lib: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void {
  const { c, st, info, comp } = s;
  const details: Details = {};
  const store = prop(o, 'store');
  if (store) details.store = exprLabel(store)?.replace(/^new |\(\)$/g, '') ?? 'custom';
  else if (lib === 'express-session') details.store = 'MemoryStore (default)';
  const src = secretSource(prop(o, 'secret') ?? prop(o, 'keys') ?? prop(o, 'key'), info);
  if (src) {
    details.secretSource = src.source;
    if (src.env) recordSecretEnv(st, src.env, ev(info, node));
    if (src.literal)
      c.add(idOf.security('finding', 'session-literal-secret', info.file), 'finding', 'Session secret written in source', ev(info, node), {
        severity: 'high',
        ...comp,
      });
    if (src.fallback) secretFallback(s, node, src.env!);
  }
  const cookie = objectLiteral(prop(o, 'cookie'), info) ?? o;
  const secure = prop(cookie, 'secure');
  if (secure) details.cookieSecure = bool(secure) ?? 'expression';
  const httpOnly = bool(prop(cookie, 'httpOnly'));
  if (httpOnly !== undefined) details.cookieHttpOnly = httpOnly;
  const sameSite = stringValue(prop(cookie, 'sameSite'), info) ?? bool(prop(cookie, 'sameSite'));
  if (sameSite !== undefined) details.cookieSameSite = String(sameSite);
  const maxAge = numberValue(prop(cookie, 'maxAge'), info);
  if (maxAge !== undefined) details.cookieMaxAge = formatMs(maxAge);
  c.add(idOf.security('session', lib), 'authentication', `Sessions (${lib})`, ev(info, node), { tech: lib, ...comp, details });
  if (bool(secure) === false) {
    c.add(
      idOf.security('finding', 'session-cookie-insecure', info.file),
      'finding',
      'Session cookie set with secure: false (sent over plain HTTP)',
      ev(info, secure!),
      { severity: 'low', ...comp },
    );
  }
}

const SESSION_MODULES = new Set(['express-session', 'cookie-session', '@fastify/session', '@fastify/secure-session']);

function authCall(s: FileScope, { node, name, last, binding: b, args }: Call): void {
  const { c, st, info, comp } = s;

  // passport.authenticate('jwt')
  if (b?.module === 'passport' && last === 'authenticate') {
    const strategy = stringValue(args[0], info);
    if (strategy)
      c.add(idOf.security('passport', strategy), 'authentication', `Passport ${strategy} strategy`, ev(info, node), {
        tech: 'passport',
        ...comp,
        details: { strategy },
      });
  }
  const jwt = jwtCall(node, info);
  if (jwt) {
    jwtUse(s, jwt.lib, jwt.op, node);
    return;
  }
  jose(s, node, last);
  if (/^JwtModule\.(register|registerAsync)$/.test(name)) jwtModule(s, node);
  if (
    (b?.module.startsWith('next-auth') || b?.module.startsWith('@auth/')) &&
    (last === 'NextAuth' || last === 'default' || name === 'NextAuth' || last === 'ExpressAuth' || last === 'SvelteKitAuth')
  ) {
    nextAuth(s, node, b!.module);
  }
  // Provider calls from next-auth/providers/*: record the client secret's env name.
  if (b?.module.startsWith('next-auth/providers/') || b?.module.startsWith('@auth/core/providers/')) {
    const env = envVariable(prop(objectLiteral(args[0], info), 'clientSecret'), info);
    if (env) recordSecretEnv(st, env, ev(info, node));
  }
  if (b && SESSION_MODULES.has(b.module) && (b.imported === 'default' || b.imported === '*') && ts.isIdentifier(node.expression)) {
    sessionConfig(s, b.module, objectLiteral(args[0], info), node);
  }
  // NestJS middleware: consumer.apply(AuthMiddleware).forRoutes(...)
  if (last === 'apply' && /consumer/i.test(name)) {
    for (const a of args) {
      const l = exprLabel(a);
      if (l && /auth|jwt|session|token/i.test(l))
        c.add(idOf.security('middleware', l), 'authentication', `Authentication middleware ${l}`, ev(info, node), { ...comp });
    }
  }
}

export const authentication: Rules = {
  onImport(s, m, at) {
    for (const idm of IDENTITY_MODULES) {
      if (idm.test.test(m)) s.c.add(idOf.security('identity', idm.key), 'authentication', idm.name, at, { tech: idm.key, ...s.comp });
    }
  },
  onClass: strategyClass,
  onCall: authCall,
  onNew(s, { node, name, binding: b, args }) {
    if (b?.module.startsWith('passport-')) {
      const strategy = b.module.slice('passport-'.length).replace(/-strategy$/, '');
      strategyOptions(s, strategy, objectLiteral(args[0], s.info), node);
    }
    if (/^(Lucia)$/.test(name) && b?.module.startsWith('lucia')) {
      s.c.add('security:identity:lucia', 'authentication', 'Lucia', ev(s.info, node), { tech: 'lucia', ...s.comp });
    }
  },
  // API key headers: req.headers['x-api-key'], req.header('x-api-key').
  onString(s, node) {
    if (!/^x-(api|app)-?key$|^api[-_]?key$/i.test(node.text)) return;
    const parent = node.parent;
    if (
      (ts.isElementAccessExpression(parent) && /headers$/.test(parent.expression.getText(s.info.sf))) ||
      (ts.isCallExpression(parent) && /\.(header|get)$/.test(calleeName(parent) ?? '') && /req|request|headers/.test(parent.expression.getText(s.info.sf)))
    ) {
      const header = node.text.toLowerCase();
      s.c.add(idOf.security('api-key', header), 'authentication', `API key in the ${header} header`, ev(s.info, node), { ...s.comp, details: { header } });
    }
  },
  // Next.js middleware that runs an auth library on matching paths (`export { auth as middleware }`, clerkMiddleware(), withAuth()).
  onFile(s) {
    const { info } = s;
    if (!/(^|\/)(src\/)?middleware\.[cm]?[jt]s$/.test(info.file) || !/\bauth\b|clerkMiddleware|withAuth|authMiddleware/.test(s.text)) return;
    const matcher = stringValues(prop(objectLiteral(info.consts.get('config'), info), 'matcher'), info) ?? [];
    s.c.add(
      idOf.security('middleware', info.file),
      'authentication',
      'Next.js middleware runs authentication',
      { file: info.file, line: 1 },
      { ...s.comp, details: matcher.length ? { paths: matcher } : {} },
    );
  },
};
