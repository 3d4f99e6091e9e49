/**
 * security: authentication, authorisation, credential hashing, transport and edge protection,
 * input validation, where secrets come from, PII-hinting field names, and a short list of
 * findings (statements of fact with evidence and a severity). One TypeScript walk per file,
 * dispatching on node shape; env files and key files are scanned by line. Secret VALUES are
 * never put in a fact: only names, and the file and line where a literal was seen.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareById, compareStrings, sortedEvidence, sortedUnique, tidyFact } from '../../src/model/compare.js';
import type { Details, Evidence, Model, SecurityFact } from '../../src/model/schema.js';
import {
  booleanValue,
  calleeModule,
  calleeName,
  chainText,
  decoratorsOf,
  envName,
  exprLabel,
  fileInfo,
  recordBinding,
  formatMs,
  numberValue,
  objectLiteral,
  prop,
  propKeys,
  propName,
  stringArray,
  stringValue,
  unwrap,
  type FileInfo,
} from './ast.js';
import { lockedVersions } from '../../src/analysis/lockfile.js';
import { linkAuthFlow } from './auth-flow.js';
import { helmetHstsDefault, secretLikeEnvName, piiHint, scanSecretText, credentialName, isPlaceholder, looksLikeIdentifier, envValueIsLiteralSecret, AUTH_ROUTE, LOGIN_ROUTE } from './patterns.js';

type Category = 'authentication' | 'authorisation' | 'credentials' | 'transport' | 'validation' | 'data' | 'finding';
type Severity = 'info' | 'low' | 'medium' | 'high';

/** Collects fragments by id, unions evidence and string-array details, keeps first scalars. */
class Collector {
  readonly facts = new Map<string, SecurityFact>();
  /** Members of each string-array detail already merged (sorted, unique), so adding is not a re-sort. */
  private readonly members = new Map<string, Set<string>>();
  add(
    id: string,
    category: Category,
    name: string,
    evidence: Evidence,
    extra: { tech?: string; component?: string; details?: Details; severity?: Severity } = {},
  ): SecurityFact {
    const prev = this.facts.get(id);
    if (prev) {
      prev.evidence.push(evidence);
      if (extra.details) {
        prev.details ??= {};
        for (const [k, v] of Object.entries(extra.details)) {
          const old = prev.details[k];
          if (Array.isArray(v)) prev.details[k] = this.union(`${id}\u0000${k}`, old, v as string[]);
          else if (old === undefined) prev.details[k] = v;
        }
      }
      prev.component ??= extra.component;
      return prev;
    }
    const fact: SecurityFact = { id, name, category, evidence: [evidence] };
    if (extra.tech) fact.tech = extra.tech;
    if (extra.component) fact.component = extra.component;
    if (extra.severity) fact.severity = extra.severity;
    if (extra.details) fact.details = { ...extra.details };
    this.facts.set(id, fact);
    return fact;
  }

  /** `old` and `more` as one sorted array without repeats (inserting into the merged array). */
  private union(key: string, old: unknown, more: string[]): string[] {
    let seen = this.members.get(key);
    if (!seen || !Array.isArray(old) || seen.size !== old.length) {
      const merged = sortedUnique([...(Array.isArray(old) ? (old as string[]) : []), ...more]);
      this.members.set(key, new Set(merged));
      return merged;
    }
    const list = old as string[];
    for (const x of more) {
      if (seen.has(x)) continue;
      seen.add(x);
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareStrings(list[mid]!, x) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, x);
    }
    return list;
  }
}

/** Identity providers and auth libraries recognised by import. */
const IDENTITY_MODULES: { test: RegExp; key: string; name: string }[] = [
  { test: /^next-auth(\/|$)/, key: 'nextauth', name: 'NextAuth.js' },
  { test: /^@auth\/(core|nextjs|express|sveltekit|.*-adapter)/, key: 'authjs', name: 'Auth.js' },
  { test: /^lucia(\/|$)|^@lucia-auth\//, key: 'lucia', name: 'Lucia' },
  { test: /^@clerk\//, key: 'clerk', name: 'Clerk' },
  { test: /^@auth0\/|^express-openid-connect$|^auth0$/, key: 'auth0', name: 'Auth0' },
  { test: /^amazon-cognito-identity-js$|^aws-jwt-verify|^@aws-sdk\/client-cognito-identity-provider$|^@aws-amplify\/auth$/, key: 'cognito', name: 'Amazon Cognito' },
  { test: /^firebase-admin\/auth$|^firebase\/auth$/, key: 'firebase-auth', name: 'Firebase Authentication' },
  { test: /^@supabase\/auth-helpers|^@supabase\/ssr$/, key: 'supabase-auth', name: 'Supabase Auth' },
  { test: /^@okta\//, key: 'okta', name: 'Okta' },
  { test: /^keycloak-connect$|^keycloak-js$/, key: 'keycloak', name: 'Keycloak' },
  { test: /^openid-client$/, key: 'openid-client', name: 'OpenID Connect client (openid-client)' },
  { test: /^simple-oauth2$/, key: 'simple-oauth2', name: 'OAuth 2.0 client (simple-oauth2)' },
  { test: /^better-auth(\/|$)/, key: 'better-auth', name: 'Better Auth' },
  { test: /^@azure\/msal-node$/, key: 'msal', name: 'Microsoft identity platform (MSAL)' },
];

const VALIDATION_MODULES: Record<string, string> = {
  zod: 'zod',
  joi: 'joi',
  '@hapi/joi': 'joi',
  'class-validator': 'class-validator',
  ajv: 'ajv',
  yup: 'yup',
  'express-validator': 'express-validator',
  celebrate: 'celebrate',
  superstruct: 'superstruct',
  valibot: 'valibot',
  '@sinclair/typebox': 'TypeBox',
};

const SANITISERS: Record<string, string> = {
  'xss-clean': 'XSS sanitisation (xss-clean)',
  'express-mongo-sanitize': 'MongoDB operator sanitisation (express-mongo-sanitize)',
  'mongo-sanitize': 'MongoDB operator sanitisation (mongo-sanitize)',
  'sanitize-html': 'HTML sanitisation (sanitize-html)',
  dompurify: 'HTML sanitisation (DOMPurify)',
  'isomorphic-dompurify': 'HTML sanitisation (DOMPurify)',
  xss: 'XSS sanitisation (xss)',
};

const SECRET_MANAGERS: Record<string, string> = {
  '@aws-sdk/client-secrets-manager': 'AWS Secrets Manager',
  '@aws-sdk/client-ssm': 'AWS Systems Manager Parameter Store',
  '@aws-sdk/client-kms': 'AWS KMS',
  '@google-cloud/secret-manager': 'Google Secret Manager',
  '@google-cloud/kms': 'Google Cloud KMS',
  '@azure/keyvault-secrets': 'Azure Key Vault',
  'node-vault': 'HashiCorp Vault',
  'hashi-vault-js': 'HashiCorp Vault',
  '@infisical/sdk': 'Infisical',
  '@doppler/sdk': 'Doppler',
};

const CSRF_MODULES: Record<string, string> = {
  csurf: 'csurf',
  'csrf-csrf': 'csrf-csrf (double submit)',
  'csrf-sync': 'csrf-sync (synchroniser token)',
  lusca: 'lusca',
  '@fastify/csrf-protection': '@fastify/csrf-protection',
  'tiny-csrf': 'tiny-csrf',
};

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

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head']);
const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL' };

interface RouteSeen {
  method: string;
  path: string;
  file: string;
  line: number;
  component?: string;
  /** Rate limited at the route (middleware argument, @Throttle, ThrottlerGuard). */
  limited: boolean;
  /** Router variable the route was declared on (`authRouter.post(...)`), for mount prefixes. */
  owner?: string;
  /** Declared in a NestJS controller (the application's global prefix applies). */
  nest?: boolean;
}

/** `app.use('/auth', authRouter)`: a router from `file` (exported as `exported`) served under a prefix. */
interface Mount {
  prefix: string;
  file: string;
  exported: string;
  limited: boolean;
  /** Where the mount itself is declared, and on which router variable (for nested mounts). */
  inFile: string;
  owner?: string;
}

interface Limiter {
  /** Variable the limiter was assigned to, when any. */
  name?: string;
  file: string;
  line: number;
}

interface RunState {
  c: Collector;
  routes: RouteSeen[];
  limiters: Map<string, Limiter>;
  /** Components with a limiter applied to every route. */
  globalLimit: Set<string>;
  /** Path prefixes with a limiter applied. */
  prefixLimit: { component?: string; prefix: string }[];
  mounts: Mount[];
  /** NestJS `app.setGlobalPrefix('api')` per component. */
  globalPrefix: Map<string, string>;
  /** Files where a limiter library is used without a visible mount (rate-limiter-flexible). */
  limiterFiles: Set<string>;
  /** Every token issuance and password check, in reading order (the flow picks those nearest its login route). */
  tokenIssues: { file: string; line: number; lib: string; detail?: string }[];
  passwordChecks: { file: string; line: number; lib: string }[];
  secretEnvs: Map<string, Evidence[]>;
  /** Installed versions from the root lockfile, read when first needed. */
  locked?: Map<string, string>;
  /** Custom decorators declared as `applyDecorators(UseGuards(…), OtherDecorator(…))`, by name. */
  guardDecorators: Map<string, GuardDecorator[]>;
  /** Decorators used on controller classes and methods, matched with `guardDecorators` at the end. */
  decoratorUses: { name: string; where: string; file: string; line: number; component?: string; imported: boolean }[];
}

interface GuardDecorator {
  file: string;
  line: number;
  component?: string;
  guards: string[];
  /** Other decorators it applies (`applyDecorators(RequiresScope('x'))`), followed at the end. */
  applies: string[];
}

function ev(info: FileInfo, node: ts.Node): Evidence {
  return { file: info.file, line: info.line(node) };
}

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

function joinPath(prefix: string, path: string): string {
  const p = `/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return p;
}

/** A module specifier naming an installed package (`@nestjs/common`, `lodash/fp`), not a repository path or alias. */
function isPackageImport(ctx: AnalyzerContext, spec: string): boolean {
  if (spec.startsWith('.') || spec.startsWith('/')) return false;
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return ctx.dependsOn(pkg) || spec.startsWith('node:');
}

/** helmet's installed version (root lockfile), else the range the file's package (or the root) declares. */
function helmetVersion(ctx: AnalyzerContext, st: RunState, file: string): string | undefined {
  st.locked ??= lockedVersions(ctx).versions;
  const locked = st.locked.get('helmet');
  if (locked) return locked;
  const own = ctx.packageOf(file)?.dependencies.get('helmet')?.range;
  return own ?? ctx.workspace.packages.find((p) => p.path === '.')?.dependencies.get('helmet')?.range;
}

/** Describe where a secret comes from, without its value. */
function secretSource(node: ts.Expression | undefined, info: FileInfo): { source: string; env?: string; literal: boolean; fallback: boolean } | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  const env = envName(n, info);
  const isFallback =
    ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
    stringValue(n.right, info) !== undefined;
  if (env) return { source: `environment variable ${env}`, env, literal: false, fallback: isFallback };
  if (stringValue(n, info) !== undefined) return { source: 'string literal in source', literal: true, fallback: false };
  const label = exprLabel(n);
  return { source: label ? `expression ${label}` : 'expression', literal: false, fallback: false };
}

function recordSecretEnv(st: RunState, name: string | undefined, e: Evidence): void {
  if (!name) return;
  const list = st.secretEnvs.get(name) ?? [];
  list.push(e);
  st.secretEnvs.set(name, list);
}

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

function analyseFile(ctx: AnalyzerContext, st: RunState, info: FileInfo, text: string): void {
  const { c } = st;
  const component = ctx.componentOf(info.file);
  const comp = component ? { component } : {};
  const mods = info.modules;

  // Library presence by import.
  for (const [m, line] of mods) {
    const e = { file: info.file, line };
    for (const idm of IDENTITY_MODULES) {
      if (idm.test.test(m)) c.add(`security:identity:${idm.key}`, 'authentication', idm.name, e, { tech: idm.key, ...comp });
    }
    const v = VALIDATION_MODULES[m];
    if (v) c.add(`security:validation:${v.toLowerCase()}`, 'validation', `Input validation with ${v}`, e, { tech: v, ...comp, details: { files: [info.file] } });
    const san = SANITISERS[m];
    if (san) c.add(`security:sanitiser:${m}`, 'validation', san, e, { tech: m, ...comp });
    const sm = SECRET_MANAGERS[m];
    if (sm) c.add(`security:secrets-manager:${m}`, 'data', `Secrets from ${sm}`, e, { tech: m, ...comp });
    const cs = CSRF_MODULES[m];
    if (cs) c.add(`security:csrf:${m}`, 'transport', `CSRF protection (${cs})`, e, { tech: m, ...comp });
    if (m === 'rate-limiter-flexible' || m === '@upstash/ratelimit' || m === 'express-brute') {
      st.limiterFiles.add(info.file);
      c.add(`security:rate-limit:${m}`, 'transport', `Rate limiting (${m})`, e, { tech: m, ...comp });
    }
    if (m === '@casl/ability') c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', e, { tech: 'casl', ...comp });
    if (m === 'casbin' || m === 'nest-casbin') c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', e, { tech: 'casbin', ...comp });
    if (m === 'hpp') c.add('security:hpp', 'transport', 'HTTP parameter pollution protection (hpp)', e, { tech: 'hpp', ...comp });
    if (m === 'argon2' || m === '@node-rs/argon2') c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', e, { tech: m, ...comp });
  }

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) recordBinding(info, node);
    if (ts.isClassDeclaration(node)) visitClass(node);
    else if (ts.isCallExpression(node)) {
      recordBinding(info, node);
      visitCall(node);
      visitEnvRead(node);
    } else if (ts.isNewExpression(node)) visitNew(node);
    else if (ts.isObjectLiteralExpression(node)) visitObject(node);
    else if (ts.isStringLiteralLike(node)) visitString(node);
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      if (visitEnvRead(node)) return;
    }
    ts.forEachChild(node, visit);
  };

  /** Secret-looking environment variable names: process.env.X, config.get('X'). */
  const visitEnvRead = (node: ts.Expression): boolean => {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && /(^|\.)env$/.test(chainText(node.expression) ?? '')) {
      const n = envName(node, info);
      if (n && secretLikeEnvName(n)) recordSecretEnv(st, n, ev(info, node));
      return true;
    }
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = calleeName(node) ?? '';
      if (/(config|configService|env)\.(get|getOrThrow)$|^env$/i.test(callee)) {
        const n = envName(node, info);
        if (n && secretLikeEnvName(n)) recordSecretEnv(st, n, ev(info, node));
      }
    }
    return false;
  };

  const visitString = (node: ts.StringLiteralLike): void => {
    for (const hit of scanSecretText(node.text)) {
      const e = ev(info, node);
      if (hit === 'aws-key') {
        c.add(`security:finding:aws-access-key:${info.file}`, 'finding', 'AWS access key ID written in source', e, { severity: 'high', ...comp });
      } else if (hit === 'private-key') {
        c.add(`security:finding:private-key:${info.file}`, 'finding', 'Private key block written in source', e, { severity: 'high', ...comp });
      } else if (hit === 'api-token') {
        c.add(`security:finding:api-token:${info.file}`, 'finding', 'Provider API token written in source', e, { severity: 'high', ...comp });
      } else if (hit === 'connection-password') {
        c.add(`security:finding:connection-string-password:${info.file}`, 'finding', 'Connection string with an inline password written in source', e, { severity: 'medium', ...comp });
      }
    }
    // A credential-named property or variable given a literal: { password: '…' }, const API_TOKEN = '…'.
    const parent = node.parent;
    const owner =
      (ts.isPropertyAssignment(parent) && parent.initializer === node) || (ts.isVariableDeclaration(parent) && parent.initializer === node)
        ? parent.name
        : ts.isBinaryExpression(parent) && parent.right === node && (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken || parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
          ? undefined
          : undefined;
    const ownerName = owner && (ts.isIdentifier(owner) || ts.isStringLiteralLike(owner)) ? owner.text : undefined;
    // `{ secret: '…' }` passed to session(), JwtModule, Passport or NextAuth is reported by those handlers.
    const handledOption =
      !!ownerName && /^(secret|secretOrKey|privateKey|keys)$/.test(ownerName) && ts.isObjectLiteralExpression(parent.parent) && (ts.isCallExpression(parent.parent.parent) || ts.isNewExpression(parent.parent.parent));
    // `const AUTH_TOKEN = 'auth:token'` is an injection token or marker, not a credential: a *TOKEN
    // name holding letters and separators only is left alone.
    const markerToken =
      !!ownerName && /(^|_)TOKEN$/.test(ownerName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()) && /^[A-Za-z]+([:._-][A-Za-z]+)*$/.test(node.text);
    // `{ password: 'incorrectPassword' }` (an error code), `createApiKey: 'createApiKey'` (a permission
    // name), `PROPERTY_API_KEY = 'API_KEY_X'` (a setting key): identifier-shaped, not credentials.
    if (ownerName && !handledOption && !markerToken && credentialName(ownerName) && node.text.length >= 8 && !isPlaceholder(node.text) && !looksLikeIdentifier(node.text) && !/\s/.test(node.text.trim())) {
      c.add(`security:finding:literal-credential:${info.file}`, 'finding', 'Credential-named value written in source', ev(info, node), { severity: 'high', ...comp, details: { names: [ownerName] } });
    }
    // process.env.SECRET || 'literal': the literal is used whenever the variable is unset.
    if (ts.isBinaryExpression(parent) && parent.right === node && (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken || parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      const env = envName(parent.left, info);
      if (env && secretLikeEnvName(env) && !/(_URL|_URI|_STRING)$/.test(env)) fallbackFinding(node, env);
    }
    // API key headers: req.headers['x-api-key'], req.header('x-api-key').
    if (/^x-(api|app)-?key$|^api[-_]?key$/i.test(node.text)) {
      const parent = node.parent;
      if (
        (ts.isElementAccessExpression(parent) && /headers$/.test(parent.expression.getText(info.sf))) ||
        (ts.isCallExpression(parent) && /\.(header|get)$/.test(calleeName(parent) ?? '') && /req|request|headers/.test(parent.expression.getText(info.sf)))
      ) {
        c.add(`security:api-key:${node.text.toLowerCase()}`, 'authentication', `API key in the ${node.text.toLowerCase()} header`, ev(info, node), { ...comp, details: { header: node.text.toLowerCase() } });
      }
    }
  };

  const visitObject = (obj: ts.ObjectLiteralExpression): void => {
    // { provide: APP_GUARD, useClass: ThrottlerGuard }
    const provide = prop(obj, 'provide');
    const useClass = prop(obj, 'useClass');
    if (provide && useClass && ts.isIdentifier(unwrap(provide)) && (unwrap(provide) as ts.Identifier).text === 'APP_GUARD') {
      const guard = exprLabel(useClass) ?? 'guard';
      if (/Throttler/.test(guard)) {
        st.globalLimit.add(component ?? '.');
        c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(info, obj), { tech: '@nestjs/throttler', ...comp, details: { scope: `every route (${guard} as APP_GUARD)` } });
      } else c.add(`security:guard:${guard}`, 'authorisation', `Guard ${guard}`, ev(info, obj), { ...comp, details: { scope: 'global (APP_GUARD)' } });
    }
  };

  const visitClass = (cls: ts.ClassDeclaration): void => {
    const decos = decoratorsOf(cls);
    const className = cls.name?.text ?? 'anonymous';
    // Guards: classes implementing CanActivate.
    const implementsCanActivate = cls.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText(info.sf) === 'CanActivate'));
    if (implementsCanActivate) {
      c.add(`security:guard:${className}`, 'authorisation', `Guard ${className}`, ev(info, cls.name ?? cls), { ...comp, details: { definedIn: [info.file] } });
    }
    // NestJS passport strategies: class JwtStrategy extends PassportStrategy(Strategy, 'jwt')
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (ext && ts.isCallExpression(ext) && calleeName(ext) === 'PassportStrategy') {
      const stratArg = ext.arguments[0];
      const b = stratArg && ts.isIdentifier(stratArg) ? info.bindings.get(stratArg.text) : undefined;
      const strategy = stringValue(ext.arguments[1], info) ?? (b?.module.startsWith('passport-') ? b.module.slice('passport-'.length) : className.replace(/Strategy$/, '').toLowerCase());
      c.add(`security:passport:${strategy}`, 'authentication', `Passport ${strategy} strategy`, ev(info, ext), { tech: 'passport', ...comp, details: { strategyClass: className } });
      // super({ secretOrKey, ... }) in the constructor
      cls.forEachChild((m) => {
        if (!ts.isConstructorDeclaration(m) || !m.body) return;
        for (const s of m.body.statements) {
          if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword) {
            strategyOptions(strategy, objectLiteral(s.expression.arguments[0], info), s.expression);
          }
        }
      });
    }
    const ctrl = decos.find((d) => d.name === 'Controller');
    let prefix = '';
    if (ctrl) {
      prefix = stringValue(ctrl.args[0], info) ?? stringValue(prop(objectLiteral(ctrl.args[0], info), 'path'), info) ?? '';
    }
    const classGuards = guardNames(decos);
    noteDecoratorUses(decos, className);
    const classThrottled = decos.some((d) => d.name === 'Throttle') || classGuards.some((g) => /Throttler/.test(g));
    noteGuards(classGuards, decos, `${className}`);
    noteRoles(decos);
    for (const m of cls.members) {
      const mdecos = decoratorsOf(m);
      if (mdecos.length === 0) continue;
      const mGuards = guardNames(mdecos);
      noteDecoratorUses(mdecos, `${className}.${m.name && propName(m.name) ? propName(m.name) : '?'}`);
      noteGuards(mGuards, mdecos, `${className}.${m.name && propName(m.name) ? propName(m.name) : '?'}`);
      noteRoles(mdecos);
      const throttle = mdecos.find((d) => d.name === 'Throttle');
      if (throttle) {
        const t = throttleValues(throttle.args[0]);
        c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(info, throttle.node), {
          tech: '@nestjs/throttler',
          ...comp,
          details: { overrides: [`${className}.${m.name ? propName(m.name) : '?'}${t ? `: ${t}` : ''}`] },
        });
      }
      if (!ctrl) continue;
      for (const d of mdecos) {
        const method = NEST_METHODS[d.name];
        if (!method) continue;
        const sub = stringValue(d.args[0], info) ?? '';
        const path = joinPath(prefix, sub);
        const limited = classThrottled || !!throttle || mGuards.some((g) => /Throttler/.test(g));
        noteRoute(method, path, d.node, limited, undefined, true);
      }
    }
  };

  /** Decorators that may be custom ones applying guards (resolved by name once every file is read). */
  const noteDecoratorUses = (decos: ReturnType<typeof decoratorsOf>, where: string): void => {
    for (const d of decos) {
      if (/^(UseGuards|SetMetadata|Controller|Get|Post|Put|Patch|Delete|All|Throttle|Roles|Api\w*)$/.test(d.name)) continue;
      const b = info.bindings.get(d.name);
      // Imported from the repository (a relative path or an alias), or declared in this file.
      const local = !b && info.sf.statements.some((st) => (ts.isFunctionDeclaration(st) && st.name?.text === d.name) || (ts.isVariableStatement(st) && st.declarationList.declarations.some((x) => ts.isIdentifier(x.name) && x.name.text === d.name)));
      if (!local && (!b || isPackageImport(ctx, b.module))) continue;
      st.decoratorUses.push({ name: d.name, where, file: info.file, line: info.line(d.node), component, imported: !local });
    }
  };

  /** `applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), …))` returned by a named function or held by a constant. */
  const visitApplyDecorators = (node: ts.CallExpression): void => {
    let owner: string | undefined;
    for (let p: ts.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
      if (ts.isFunctionDeclaration(p)) {
        owner = p.name?.text;
        break;
      }
      if (ts.isVariableDeclaration(p)) {
        owner = ts.isIdentifier(p.name) ? p.name.text : undefined;
        break;
      }
      if (ts.isClassLike(p) || ts.isMethodDeclaration(p)) break;
    }
    if (!owner) return;
    const guards: string[] = [];
    const applies: string[] = [];
    for (const a of node.arguments) {
      const x = unwrap(a);
      const name = ts.isCallExpression(x) ? calleeName(x) : ts.isIdentifier(x) ? x.text : undefined;
      if (!name) continue;
      if (name === 'UseGuards' && ts.isCallExpression(x)) guards.push(...guardNames([{ name, args: x.arguments }]));
      else if (!/^(SetMetadata|Api\w*)$/.test(name)) applies.push(name);
    }
    if (guards.length === 0 && applies.length === 0) return;
    const list = st.guardDecorators.get(owner) ?? [];
    list.push({ file: info.file, line: info.line(node), component, guards, applies });
    st.guardDecorators.set(owner, list);
  };

  const guardNames = (decos: readonly { name: string; args: readonly ts.Expression[] }[]): string[] => {
    const out: string[] = [];
    for (const d of decos) {
      if (d.name !== 'UseGuards') continue;
      for (const a of d.args) {
        const n = unwrap(a);
        if (ts.isCallExpression(n) && calleeName(n) === 'AuthGuard') out.push(`AuthGuard(${stringValue(n.arguments[0], info) ?? ''})`);
        else {
          const l = exprLabel(n);
          if (l) out.push(l.replace(/^new |\(\)$/g, ''));
        }
      }
    }
    return out;
  };

  const noteGuards = (guards: string[], decos: ReturnType<typeof decoratorsOf>, where: string): void => {
    const d = decos.find((x) => x.name === 'UseGuards');
    if (!d) return;
    for (const g of guards) {
      c.add(`security:guard:${g}`, 'authorisation', `Guard ${g}`, ev(info, d.node), { ...comp, details: { appliedTo: [where] } });
      const strat = /^AuthGuard\((.*)\)$/.exec(g);
      if (strat && strat[1]) c.add(`security:passport:${strat[1]}`, 'authentication', `Passport ${strat[1]} strategy`, ev(info, d.node), { tech: 'passport', ...comp });
    }
  };

  const noteRoles = (decos: ReturnType<typeof decoratorsOf>): void => {
    for (const d of decos) {
      if (!/^(Roles|Role|HasRoles|RequireRoles|Permissions|RequirePermissions|HasPermissions|Scopes|CheckPolicies|Policies)$/.test(d.name)) continue;
      const values: string[] = [];
      for (const a of d.args) {
        const s = stringValue(a, info);
        if (s !== undefined) values.push(s);
        else {
          const l = exprLabel(a);
          if (l && ts.isPropertyAccessExpression(unwrap(a))) values.push(l);
        }
      }
      const kind = /Permission|Scope|Polic/.test(d.name) ? 'permissions' : 'roles';
      c.add(`security:rbac:decorators`, 'authorisation', 'Role and permission decorators', ev(info, d.node), {
        ...comp,
        details: { decorators: [`@${d.name}`], [kind]: values },
      });
    }
  };

  /** Routes are kept until every file is read: a mount elsewhere may add a prefix. */
  const noteRoute = (method: string, path: string, node: ts.Node, limited: boolean, owner?: string, nest = false): void => {
    st.routes.push({ method, path, file: info.file, line: info.line(node), component, limited, owner, nest });
  };

  const strategyOptions = (strategy: string, opts: ts.ObjectLiteralExpression | undefined, at: ts.Node): void => {
    if (!opts) return;
    const details: Details = {};
    const secret = prop(opts, 'secretOrKey') ?? prop(opts, 'secretOrKeyProvider') ?? prop(opts, 'clientSecret');
    const src = secretSource(secret, info);
    if (src) {
      details.secretSource = src.source;
      if (src.env) recordSecretEnv(st, src.env, ev(info, secret!));
      if (src.literal) {
        c.add(`security:finding:literal-secret:${info.file}`, 'finding', `Passport ${strategy} strategy secret written in source`, ev(info, secret!), { severity: 'high', ...comp });
      }
    }
    const clientId = envName(prop(opts, 'clientID') ?? prop(opts, 'clientId'), info);
    if (clientId) details.clientIdEnv = clientId;
    const algs = stringArray(prop(opts, 'algorithms'), info);
    if (algs?.length) details.algorithms = algs;
    const issuer = prop(opts, 'issuer');
    if (issuer) details.issuer = envName(issuer, info) ? `environment variable ${envName(issuer, info)}` : stringValue(issuer, info) ?? 'expression';
    const from = prop(opts, 'jwtFromRequest');
    if (from) {
      const t = from.getText(info.sf);
      const m = /ExtractJwt\.(\w+)/.exec(t);
      if (m) details.tokenFrom = m[1]!;
    }
    c.add(`security:passport:${strategy}`, 'authentication', `Passport ${strategy} strategy`, ev(info, at), { tech: 'passport', ...comp, details });
  };

  const throttleValues = (arg: ts.Expression | undefined): string | undefined => {
    const o = objectLiteral(arg, info);
    if (!o) return undefined;
    // v5: { default: { limit, ttl } }; v4: @Throttle(limit, ttl) handled by caller args
    const inner = objectLiteral(prop(o, 'default'), info) ?? o;
    const limit = numberValue(prop(inner, 'limit'), info);
    const ttl = numberValue(prop(inner, 'ttl'), info);
    if (limit === undefined && ttl === undefined) return undefined;
    return `${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`;
  };

  const limiterConfig = (opts: ts.ObjectLiteralExpression | undefined, windowKey: string, limitKeys: string[], unit: 'ms' | 's' = 'ms'): Details => {
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
  };

  const visitNew = (node: ts.NewExpression): void => {
    const b = calleeModule(node, info);
    const name = calleeName(node) ?? '';
    if (b?.module.startsWith('passport-') || /^passport-/.test(b?.module ?? '')) {
      const strategy = b!.module.slice('passport-'.length).replace(/-strategy$/, '');
      strategyOptions(strategy, objectLiteral(node.arguments?.[0], info), node);
    }
    if (b?.module === 'rate-limiter-flexible' && /^RateLimiter/.test(b.imported === '*' ? name.split('.').pop()! : b.imported)) {
      const opts = objectLiteral(node.arguments?.[0], info);
      const d = limiterConfig(opts, 'duration', ['points'], 's');
      const key = stringValue(prop(opts, 'keyPrefix'), info);
      c.add(`security:rate-limit:rate-limiter-flexible`, 'transport', 'Rate limiting (rate-limiter-flexible)', ev(info, node), {
        tech: 'rate-limiter-flexible',
        ...comp,
        details: { limits: [`${key ? key + ': ' : ''}${d.limit ?? '?'} points per ${d.window ?? '?'}`] },
      });
    }
    if ((b?.module === 'ajv' || b?.module === 'ajv/dist/2020') && b) {
      c.add('security:validation:ajv', 'validation', 'Input validation with ajv', ev(info, node), { tech: 'ajv', ...comp });
    }
    if (name === 'ValidationPipe' || name.endsWith('.ValidationPipe')) validationPipe(node.arguments?.[0], node);
    if (b?.module === 'mongoose' && /(^|\.)Schema$/.test(name)) mongoosePii(node);
    if (/^(Lucia)$/.test(name) && b?.module.startsWith('lucia')) {
      c.add('security:identity:lucia', 'authentication', 'Lucia', ev(info, node), { tech: 'lucia', ...comp });
    }
  };

  /** Mongoose schemas, `new Schema({...})` or `mongoose.Schema({...})`: PII-hinting field names. */
  const mongoosePii = (node: ts.NewExpression | ts.CallExpression): void => {
    const o = objectLiteral(node.arguments?.[0], info);
    const owner = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
    const fields = propKeys(o).filter(piiHint);
    if (fields.length && owner) c.add(`security:pii:${info.file}#${owner}`, 'data', owner, ev(info, node), { ...comp, details: { fields, source: 'mongoose schema' } });
  };

  const validationPipe = (arg: ts.Expression | undefined, at: ts.Node): void => {
    const o = objectLiteral(arg, info);
    const flags: string[] = [];
    for (const k of ['whitelist', 'forbidNonWhitelisted', 'transform', 'forbidUnknownValues']) {
      if (booleanValue(prop(o, k)) === true) flags.push(k);
    }
    c.add('security:validation:validationpipe', 'validation', 'NestJS ValidationPipe', ev(info, at), { tech: '@nestjs/common', ...comp, details: { options: flags } });
  };

  const visitCall = (node: ts.CallExpression): void => {
    const name = calleeName(node) ?? '';
    const b = calleeModule(node, info);
    const last = name.split('.').pop() ?? '';
    const args = node.arguments;

    if (name === 'applyDecorators') visitApplyDecorators(node);

    // passport.use(...) / passport.authenticate('jwt')
    if (b?.module === 'passport' && last === 'authenticate') {
      const s = stringValue(args[0], info);
      if (s) c.add(`security:passport:${s}`, 'authentication', `Passport ${s} strategy`, ev(info, node), { tech: 'passport', ...comp });
    }

    // JWT
    const jwt = jwtCall(node, info);
    if (jwt) {
      jwtUse(jwt.lib, jwt.op, node);
      return;
    }
    // jose: new SignJWT(...).setProtectedHeader({ alg }).setExpirationTime('2h').sign(key)
    if (last === 'sign' && ts.isPropertyAccessExpression(node.expression)) {
      const chain = node.expression.expression.getText(info.sf);
      if (/new SignJWT\(/.test(chain)) {
        const alg = /alg:\s*['"]([A-Za-z0-9]+)['"]/.exec(chain)?.[1];
        const exp = /setExpirationTime\(\s*['"]([^'"]+)['"]/.exec(chain)?.[1];
        const details: Details = { operations: ['sign'] };
        if (alg) details.algorithms = [alg];
        if (exp) details.expiresIn = [exp];
        const src = secretSource(args[0], info);
        if (src?.env) recordSecretEnv(st, src.env, ev(info, node));
        c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', ev(info, node), { tech: 'jose', ...comp, details });
        st.tokenIssues.push({ file: info.file, line: info.line(node), lib: 'jose', detail: [alg, exp && `expires in ${exp}`].filter(Boolean).join(', ') });
        if (alg === 'none') noneFinding(node);
      }
    }
    if ((last === 'jwtVerify' || last === 'createRemoteJWKSet') && b?.module === 'jose') {
      c.add('security:jwt:jose', 'authentication', 'JSON Web Tokens (jose)', ev(info, node), { tech: 'jose', ...comp, details: { operations: [last === 'jwtVerify' ? 'verify' : 'remote JWKS'] } });
    }

    // JwtModule.register({ secret, signOptions: { expiresIn, algorithm } })
    if (/^JwtModule\.(register|registerAsync)$/.test(name)) {
      const o = objectLiteral(args[0], info);
      const inner = o && prop(o, 'useFactory') ? undefined : o;
      const details: Details = { operations: ['configuration'] };
      if (inner) {
        const src = secretSource(prop(inner, 'secret') ?? prop(inner, 'privateKey'), info);
        if (src) {
          details.secretSource = src.source;
          if (src.env) recordSecretEnv(st, src.env, ev(info, node));
          if (src.literal) literalJwtSecret(node, undefined);
          if (src.fallback) fallbackFinding(node, src.env!);
        }
        const so = objectLiteral(prop(inner, 'signOptions'), info);
        const exp = stringValue(prop(so, 'expiresIn'), info) ?? numberValue(prop(so, 'expiresIn'), info)?.toString();
        if (exp) details.expiresIn = [exp];
        const alg = stringValue(prop(so, 'algorithm'), info);
        if (alg) details.algorithms = [alg];
      }
      c.add('security:jwt:@nestjs/jwt', 'authentication', 'JSON Web Tokens (@nestjs/jwt)', ev(info, node), { tech: '@nestjs/jwt', ...comp, details });
    }

    // NextAuth({ providers: [...], session: { strategy } })
    if ((b?.module.startsWith('next-auth') || b?.module.startsWith('@auth/')) && (last === 'NextAuth' || last === 'default' || name === 'NextAuth' || last === 'ExpressAuth' || last === 'SvelteKitAuth')) {
      const o = objectLiteral(args[0], info);
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
      const key = b!.module.startsWith('next-auth') ? 'nextauth' : 'authjs';
      const details: Details = {};
      if (providers.length) details.providers = providers;
      if (sess) details.sessionStrategy = sess;
      const src = secretSource(prop(o, 'secret'), info);
      if (src?.env) recordSecretEnv(st, src.env, ev(info, node));
      if (src?.literal) c.add(`security:finding:literal-secret:${info.file}`, 'finding', 'Authentication secret written in source', ev(info, node), { severity: 'high', ...comp });
      c.add(`security:identity:${key}`, 'authentication', key === 'nextauth' ? 'NextAuth.js' : 'Auth.js', ev(info, node), { tech: key, ...comp, details });
    }
    // Provider calls from next-auth/providers/*: record client id env names.
    if (b?.module.startsWith('next-auth/providers/') || b?.module.startsWith('@auth/core/providers/')) {
      const o = objectLiteral(args[0], info);
      for (const k of ['clientId', 'clientSecret']) {
        const env = envName(prop(o, k), info);
        if (env && k === 'clientSecret') recordSecretEnv(st, env, ev(info, node));
      }
    }

    // express-session / cookie-session
    if (b && (b.module === 'express-session' || b.module === 'cookie-session' || b.module === '@fastify/session' || b.module === '@fastify/secure-session') && (b.imported === 'default' || b.imported === '*') && ts.isIdentifier(node.expression)) {
      sessionConfig(b.module, objectLiteral(args[0], info), node);
    }

    // bcrypt cost
    if (b && (b.module === 'bcrypt' || b.module === 'bcryptjs')) {
      if (/^(hash|hashSync|genSalt|genSaltSync)$/.test(last)) {
        const costArg = last.startsWith('genSalt') ? args[0] : args[1];
        const cost = numberValue(costArg, info);
        const details: Details = {};
        if (cost !== undefined) details.costFactors = [String(cost)];
        c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', ev(info, node), { tech: b.module, ...comp, details });
        if (cost !== undefined && cost < 10) {
          c.add(`security:finding:bcrypt-cost:${info.file}`, 'finding', `bcrypt cost factor is ${cost} (below 10)`, ev(info, node), { severity: 'low', ...comp });
        }
      }
      if (/^compare(Sync)?$/.test(last)) {
        st.passwordChecks.push({ file: info.file, line: info.line(node), lib: 'bcrypt' });
        c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', ev(info, node), { tech: b.module, ...comp });
      }
    }
    if (b && (b.module === 'argon2' || b.module === '@node-rs/argon2')) {
      if (last === 'hash') {
        const o = objectLiteral(args[1], info);
        const details: Details = {};
        const type = prop(o, 'type');
        if (type) details.variant = exprLabel(type)?.split('.').pop() ?? type.getText(info.sf);
        for (const k of ['memoryCost', 'timeCost', 'parallelism']) {
          const v = numberValue(prop(o, k), info);
          if (v !== undefined) details[k] = v;
        }
        c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', ev(info, node), { tech: b.module, ...comp, details });
      }
      if (last === 'verify') st.passwordChecks.push({ file: info.file, line: info.line(node), lib: 'argon2' });
    }
    if (/^(crypto\.)?(scrypt|scryptSync)$/.test(name) && (b?.module === 'crypto' || b?.module === 'node:crypto' || !b)) {
      c.add('security:password-hashing:scrypt', 'credentials', 'Key derivation with scrypt (node:crypto)', ev(info, node), { tech: 'node:crypto', ...comp });
    }
    if (/^(crypto\.)?(pbkdf2|pbkdf2Sync)$/.test(name) && (b?.module === 'crypto' || b?.module === 'node:crypto' || !b)) {
      const it = numberValue(args[2], info);
      c.add('security:password-hashing:pbkdf2', 'credentials', 'Key derivation with PBKDF2 (node:crypto)', ev(info, node), { tech: 'node:crypto', ...comp, details: it !== undefined ? { iterations: [String(it)] } : {} });
    }

    // helmet / hsts
    if (b?.module === 'helmet' && ts.isIdentifier(node.expression)) {
      const o = objectLiteral(args[0], info);
      const details: Details = {};
      const csp = prop(o, 'contentSecurityPolicy');
      if (csp && booleanValue(csp) === false) details.contentSecurityPolicy = 'disabled';
      else details.contentSecurityPolicy = csp ? 'configured' : 'default';
      const hsts = prop(o, 'hsts') ?? prop(o, 'strictTransportSecurity');
      if (hsts && booleanValue(hsts) === false) details.hsts = 'disabled';
      else {
        const maxAge = numberValue(prop(objectLiteral(hsts, info), 'maxAge'), info);
        details.hsts = maxAge !== undefined ? `max-age ${maxAge} s` : helmetHstsDefault(helmetVersion(ctx, st, info.file));
      }
      c.add('security:helmet', 'transport', 'Security headers with helmet', ev(info, node), { tech: 'helmet', ...comp, details });
    }
    if (b?.module === 'helmet' && last === 'hsts') {
      const maxAge = numberValue(prop(objectLiteral(args[0], info), 'maxAge'), info);
      c.add('security:hsts', 'transport', 'HTTP Strict Transport Security', ev(info, node), { tech: 'helmet', ...comp, details: maxAge !== undefined ? { maxAge: `${maxAge} s` } : {} });
    }
    if (b?.module === 'hsts') {
      const maxAge = numberValue(prop(objectLiteral(args[0], info), 'maxAge'), info);
      c.add('security:hsts', 'transport', 'HTTP Strict Transport Security', ev(info, node), { tech: 'hsts', ...comp, details: maxAge !== undefined ? { maxAge: `${maxAge} s` } : {} });
    }
    if (b?.module === '@fastify/helmet' || b?.module === 'koa-helmet') {
      c.add('security:helmet', 'transport', 'Security headers with helmet', ev(info, node), { tech: b.module, ...comp });
    }

    // CORS: cors({...}), app.enableCors({...}), NestFactory.create(M, { cors })
    if (b && (b.module === 'cors' || b.module === '@fastify/cors' || b.module === '@koa/cors') && ts.isIdentifier(node.expression)) {
      corsConfig(args[0], node, b.module);
    }
    if (last === 'enableCors') corsConfig(args[0], node, '@nestjs/core');
    if (last === 'register' && args[0] && ts.isIdentifier(args[0]) && info.bindings.get(args[0].text)?.module === '@fastify/cors') {
      corsConfig(args[1], node, '@fastify/cors');
    }
    if (last === 'setGlobalPrefix') {
      const gp = stringValue(args[0], info);
      if (gp) st.globalPrefix.set(component ?? '.', gp);
    }
    // NestJS middleware: consumer.apply(AuthMiddleware).forRoutes(...)
    if (last === 'apply' && /consumer/i.test(name)) {
      for (const a of args) {
        const l = exprLabel(a);
        if (l && /auth|jwt|session|token/i.test(l)) c.add(`security:middleware:${l}`, 'authentication', `Authentication middleware ${l}`, ev(info, node), { ...comp });
      }
    }
    if (name === 'NestFactory.create') {
      const o = objectLiteral(args[1], info);
      const cors = prop(o, 'cors');
      if (cors) corsConfig(cors, node, '@nestjs/core');
    }

    // express-rate-limit and friends
    if (b && (b.module === 'express-rate-limit' || b.module === 'express-slow-down') && (ts.isIdentifier(node.expression))) {
      const o = objectLiteral(args[0], info);
      const d = limiterConfig(o, 'windowMs', ['limit', 'max', 'delayAfter']);
      const varName = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
      const lim: Limiter = { name: varName, file: info.file, line: info.line(node) };
      if (varName) st.limiters.set(`${info.file}#${varName}`, lim);
      const label = `${varName ?? 'inline'}: ${d.limit ?? '?'} requests per ${d.window ?? '?'}`;
      c.add(`security:rate-limit:${b.module}`, 'transport', `Rate limiting (${b.module})`, ev(info, node), { tech: b.module, ...comp, details: { limits: [label] } });
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
        if (limit !== undefined || ttl !== undefined) limits.push(`${nm ? nm + ': ' : ''}${limit ?? '?'} requests per ${ttl !== undefined ? formatMs(ttl) : '?'}`);
      }
      c.add('security:rate-limit:@nestjs/throttler', 'transport', 'Rate limiting (@nestjs/throttler)', ev(info, node), { tech: '@nestjs/throttler', ...comp, details: { limits } });
    }
    if (last === 'register' && args[0] && ts.isIdentifier(args[0]) && /rate-limit$/.test(info.bindings.get(args[0].text)?.module ?? '')) {
      const o = objectLiteral(args[1], info);
      const d = limiterConfig(o, 'timeWindow', ['max']);
      if (booleanValue(prop(o, 'global')) !== false) st.globalLimit.add(component ?? '.');
      c.add('security:rate-limit:@fastify/rate-limit', 'transport', 'Rate limiting (@fastify/rate-limit)', ev(info, node), { tech: '@fastify/rate-limit', ...comp, details: { limits: [`${d.limit ?? '?'} requests per ${d.window ?? '?'}`] } });
    }

    // CSRF middleware calls
    if (b && CSRF_MODULES[b.module]) {
      c.add(`security:csrf:${b.module}`, 'transport', `CSRF protection (${CSRF_MODULES[b.module]})`, ev(info, node), { tech: b.module, ...comp });
    }

    if (b?.module === 'mongoose' && /(^|\.)Schema$/.test(name)) mongoosePii(node);
    // zod / joi schema counts
    if (b?.module === 'zod' && /^z\.object$|^object$/.test(name)) {
      piiFromObject(node, 'zod');
    }
    if ((b?.module === 'joi' || b?.module === '@hapi/joi') && last === 'object') piiFromObject(node, 'joi');

    // casbin enforcer / CASL abilities
    if (b?.module === 'casbin' && last === 'newEnforcer') {
      const model = stringValue(args[0], info);
      c.add('security:policy:casbin', 'authorisation', 'Policy-based access control with casbin', ev(info, node), { tech: 'casbin', ...comp, details: model ? { model } : {} });
    }
    if (b?.module === '@casl/ability' && /^(defineAbility|createMongoAbility|defineAbilityFor)$/.test(last)) {
      c.add('security:policy:casl', 'authorisation', 'Attribute-based access control with CASL', ev(info, node), { tech: 'casl', ...comp });
    }

    // Role middleware: requireRole('admin'), authorize(['admin']), hasRole('x'), checkPermission('p')
    if (/^(auth|requireRoles?|authori[sz]e|hasRoles?|checkRoles?|allowRoles?|restrictTo|roleGuard|requirePermissions?|checkPermissions?|hasPermissions?|permit)$/.test(name)) {
      const values: string[] = [];
      for (const a of args) {
        const s = stringValue(a, info);
        if (s !== undefined) values.push(s);
        else values.push(...(stringArray(a, info) ?? []));
      }
      if (values.length > 0) {
        const kind = /ermission|permit/i.test(name) ? 'permissions' : 'roles';
        c.add('security:rbac:middleware', 'authorisation', 'Role and permission middleware', ev(info, node), { ...comp, details: { middleware: [name], [kind]: values } });
      }
    }

    // Express-style routes and mounts.
    if (ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const p0 = stringValue(args[0], info);
      if (HTTP_METHODS.has(method) && p0 !== undefined && p0.startsWith('/')) {
        const handlers = args.slice(1);
        const limited = handlers.some((h) => isLimiterExpr(h));
        const owner = ts.isIdentifier(node.expression.expression) ? node.expression.expression.text : undefined;
        noteRoute(method.toUpperCase(), p0, node, limited, owner);
      }
      if (method === 'use') {
        const hasPath = p0 !== undefined;
        const mw = hasPath ? args.slice(1) : args;
        const limited = mw.some((h) => isLimiterExpr(h));
        if (limited) {
          if (!hasPath) st.globalLimit.add(component ?? '.');
          else st.prefixLimit.push({ component, prefix: p0 });
        }
        const mountOwner = ts.isIdentifier(node.expression.expression) ? node.expression.expression.text : undefined;
        const addMount = (prefix: string, routerName: string) => {
          const bnd = info.bindings.get(routerName);
          const file = bnd ? resolveModule(ctx, info.file, bnd.module) : info.file;
          if (file) st.mounts.push({ prefix, file, exported: bnd ? bnd.imported : routerName, limited, inFile: info.file, owner: mountOwner });
        };
        if (hasPath && p0.startsWith('/')) {
          for (const h of mw) {
            const n = unwrap(h);
            if (ts.isIdentifier(n)) addMount(p0, n.text);
          }
        }
        // routes.forEach((route) => router.use(route.path, route.route)) over [{ path: '/auth', route: authRoute }]
        const a0 = args[0] ? unwrap(args[0]) : undefined;
        const a1 = args[args.length - 1] ? unwrap(args[args.length - 1]!) : undefined;
        if (!hasPath && a0 && a1 && ts.isPropertyAccessExpression(a0) && ts.isPropertyAccessExpression(a1) && ts.isIdentifier(a0.expression)) {
          const param = a0.expression.text;
          let fn: ts.Node | undefined = node.parent;
          while (fn && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) fn = fn.parent;
          const call = fn?.parent;
          if (fn && call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'forEach') {
            const listExpr = unwrap(call.expression.expression);
            const init = ts.isIdentifier(listExpr) ? info.consts.get(listExpr.text) : listExpr;
            const list = init ? unwrap(init) : undefined;
            const fnParam = (fn as ts.ArrowFunction).parameters[0];
            if (list && ts.isArrayLiteralExpression(list) && fnParam && ts.isIdentifier(fnParam.name) && fnParam.name.text === param) {
              for (const el of list.elements) {
                const o = objectLiteral(el as ts.Expression, info);
                const prefix = stringValue(prop(o, a0.name.text), info);
                const r = prop(o, a1.name.text);
                if (prefix?.startsWith('/') && r && ts.isIdentifier(unwrap(r))) addMount(prefix, (unwrap(r) as ts.Identifier).text);
              }
            }
          }
        }
      }
    }
    // Secret env reads: collected from every call and access below via visitEnv.
  };

  const isLimiterExpr = (h: ts.Expression): boolean => {
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
  };

  const jwtUse = (lib: string, op: string, node: ts.CallExpression): void => {
    const args = node.arguments;
    const details: Details = { operations: [op] };
    const optsIndex = op === 'decode' ? 1 : 2;
    const opts = objectLiteral(args[optsIndex], info);
    const algs: string[] = [];
    const a1 = stringValue(prop(opts, 'algorithm'), info);
    if (a1) algs.push(a1);
    algs.push(...(stringArray(prop(opts, 'algorithms'), info) ?? []));
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
        if (src.fallback) fallbackFinding(node, src.env!);
      }
    }
    const id = `security:jwt:${lib}`;
    c.add(id, 'authentication', `JSON Web Tokens (${lib})`, ev(info, node), { tech: lib, ...comp, details });
    if (algs.includes('none')) noneFinding(node);
    const hmac = algs.length === 0 ? lib === 'jsonwebtoken' /* default HS256 */ : algs.some((x) => /^HS/.test(x));
    if (literalSecret && hmac) literalJwtSecret(node, algs.find((x) => /^HS/.test(x)) ?? 'HS256');
    else if (literalSecret) literalJwtSecret(node, undefined);
    if (op === 'sign') {
      st.tokenIssues.push({ file: info.file, line: info.line(node), lib, detail: [algs[0], exp && `expires in ${exp}`].filter(Boolean).join(', ') });
      if (lib === 'jsonwebtoken' && !exp && !opts) {
        const payload = objectLiteral(args[0], info);
        if (!payload || !propKeys(payload).includes('exp')) {
          c.add(`security:finding:jwt-no-expiry:${info.file}`, 'finding', 'JWT issued without an expiry (no expiresIn or exp claim)', ev(info, node), { severity: 'low', ...comp });
        }
      }
    }
  };

  const literalJwtSecret = (node: ts.Node, alg: string | undefined): void => {
    c.add(`security:finding:jwt-literal-secret:${info.file}`, 'finding', alg ? `JWT signed or verified with ${alg} and a secret written in source` : 'JWT secret written in source', ev(info, node), { severity: 'high', ...comp });
  };
  const noneFinding = (node: ts.Node): void => {
    c.add(`security:finding:jwt-alg-none:${info.file}`, 'finding', 'JWT algorithm "none" accepted or used (unsigned tokens)', ev(info, node), { severity: 'high', ...comp });
  };
  const fallbackFinding = (node: ts.Node, env: string): void => {
    c.add(`security:finding:secret-fallback:${info.file}`, 'finding', `Secret falls back to a literal in source when ${env} is unset`, ev(info, node), { severity: 'medium', ...comp, details: { envVars: [env] } });
  };

  const sessionConfig = (lib: string, o: ts.ObjectLiteralExpression | undefined, node: ts.Node): void => {
    const details: Details = {};
    const store = prop(o, 'store');
    if (store) details.store = exprLabel(store)?.replace(/^new |\(\)$/g, '') ?? 'custom';
    else if (lib === 'express-session') details.store = 'MemoryStore (default)';
    const src = secretSource(prop(o, 'secret') ?? prop(o, 'keys') ?? prop(o, 'key'), info);
    if (src) {
      details.secretSource = src.source;
      if (src.env) recordSecretEnv(st, src.env, ev(info, node));
      if (src.literal) c.add(`security:finding:session-literal-secret:${info.file}`, 'finding', 'Session secret written in source', ev(info, node), { severity: 'high', ...comp });
      if (src.fallback) fallbackFinding(node, src.env!);
    }
    const cookie = objectLiteral(prop(o, 'cookie'), info) ?? o;
    const secure = prop(cookie, 'secure');
    if (secure) details.cookieSecure = booleanValue(secure) ?? 'expression';
    const httpOnly = booleanValue(prop(cookie, 'httpOnly'));
    if (httpOnly !== undefined) details.cookieHttpOnly = httpOnly;
    const sameSite = stringValue(prop(cookie, 'sameSite'), info) ?? booleanValue(prop(cookie, 'sameSite'));
    if (sameSite !== undefined) details.cookieSameSite = String(sameSite);
    const maxAge = numberValue(prop(cookie, 'maxAge'), info);
    if (maxAge !== undefined) details.cookieMaxAge = formatMs(maxAge);
    c.add(`security:session:${lib}`, 'authentication', `Sessions (${lib})`, ev(info, node), { tech: lib, ...comp, details });
    if (booleanValue(secure) === false) {
      c.add(`security:finding:session-cookie-insecure:${info.file}`, 'finding', 'Session cookie set with secure: false (sent over plain HTTP)', ev(info, secure!), { severity: 'low', ...comp });
    }
  };

  const corsConfig = (arg: ts.Expression | undefined, node: ts.Node, lib: string): void => {
    const details: Details = {};
    let anyOrigin = false;
    let reflect = false;
    const a = arg ? unwrap(arg) : undefined;
    if (!a) {
      details.origins = ['*'];
      anyOrigin = true;
    } else if (booleanValue(a) === true) {
      details.origins = ['any (reflected)'];
      reflect = true;
    } else {
      const o = objectLiteral(a, info);
      const origin = prop(o, 'origin');
      if (!o) details.origins = ['expression'];
      else if (!origin) {
        details.origins = ['*'];
        anyOrigin = true;
      } else {
        const s = stringValue(origin, info);
        const list = stringArray(origin, info);
        const bool = booleanValue(origin);
        const env = envName(origin, info);
        if (s !== undefined) {
          details.origins = [s];
          anyOrigin = s === '*';
        } else if (list) details.origins = list.length ? list : ['(none)'];
        else if (bool === true) {
          details.origins = ['any (reflected)'];
          reflect = true;
        } else if (bool === false) details.origins = ['disabled'];
        else if (env) details.origins = [`environment variable ${env}`];
        else if (ts.isRegularExpressionLiteral(unwrap(origin))) details.origins = [`pattern ${unwrap(origin).getText(info.sf)}`];
        else details.origins = [ts.isArrowFunction(unwrap(origin)) || ts.isFunctionExpression(unwrap(origin)) ? 'decided by a function' : `expression ${exprLabel(origin) ?? ''}`.trim()];
      }
      const cred = booleanValue(prop(o, 'credentials'));
      if (cred !== undefined) details.credentials = cred;
      const methods = stringArray(prop(o, 'methods'), info) ?? (stringValue(prop(o, 'methods'), info)?.split(/(?:(?<!\s)\s+)?,\s*/));
      if (methods) details.methods = methods;
      if (cred === true && (anyOrigin || reflect)) {
        c.add(`security:finding:cors-any-origin-credentials:${info.file}`, 'finding', `CORS allows ${anyOrigin ? 'any origin (*)' : 'any origin (reflected)'} with credentials`, ev(info, node), { severity: 'high', ...comp });
      }
    }
    c.add(`security:cors:${info.file}`, 'transport', `CORS (${lib})`, ev(info, node), { tech: lib, ...comp, details });
  };

  const piiFromObject = (node: ts.CallExpression, lib: string): void => {
    const o = objectLiteral(node.arguments[0], info);
    if (!o) return;
    const owner = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
    const fields = propKeys(o).filter(piiHint);
    if (fields.length && owner) {
      c.add(`security:pii:${info.file}#${owner}`, 'data', owner, ev(info, node), { ...comp, details: { fields, source: `${lib} schema` } });
    }
  };

  visit(info.sf);

  // Next.js middleware that runs an auth library on matching paths (`export { auth as middleware }`,
  // clerkMiddleware(), withAuth()).
  if (/(^|\/)(src\/)?middleware\.[cm]?[jt]s$/.test(info.file) && /\bauth\b|clerkMiddleware|withAuth|authMiddleware/.test(text)) {
    const matcher = stringArray(prop(objectLiteral(info.consts.get('config'), info), 'matcher'), info) ?? [];
    c.add(`security:middleware:${info.file}`, 'authentication', 'Next.js middleware runs authentication', { file: info.file, line: 1 }, { ...comp, details: matcher.length ? { paths: matcher } : {} });
  }

  // PII in classes and interfaces (entities, DTOs).
  for (const stmt of info.sf.statements) {
    if ((ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) && stmt.name) {
      const fields: string[] = [];
      for (const m of stmt.members) {
        if ((ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) && m.name) {
          const n = propName(m.name);
          if (n && piiHint(n)) fields.push(n);
        }
      }
      if (fields.length) {
        const decos = ts.isClassDeclaration(stmt) ? decoratorsOf(stmt).map((d) => d.name) : [];
        const kind = decos.includes('Entity') || decos.includes('Schema') || decos.includes('Table') ? 'entity' : ts.isClassDeclaration(stmt) ? 'class' : 'interface';
        c.add(`security:pii:${info.file}#${stmt.name.text}`, 'data', stmt.name.text, ev(info, stmt.name), { ...comp, details: { fields, source: kind } });
      }
    }
  }

}

/**
 * Guards applied through custom decorators (`@RequiresScope(…)` declared elsewhere as
 * `applyDecorators(UseGuards(AuthGuard('jwt'), …))`): matched by name, only when exactly one such
 * declaration carries the name (in the user's component, else in the repository), and followed
 * through custom decorators that apply others, a few levels deep.
 */
function customGuardDecorators(st: RunState): void {
  const { c } = st;
  const declOf = (name: string, component: string | undefined): GuardDecorator | undefined => {
    const all = st.guardDecorators.get(name) ?? [];
    const own = all.filter((d) => d.component === component);
    const pick = own.length > 0 ? own : all;
    return pick.length === 1 ? pick[0] : undefined;
  };
  const guardsOf = (name: string, component: string | undefined, depth: number, seen: Set<string>): { guards: string[]; at: Evidence[] } => {
    const d = depth > 4 || seen.has(name) ? undefined : declOf(name, component);
    if (!d) return { guards: [], at: [] };
    seen.add(name);
    const out = { guards: [...d.guards], at: [{ file: d.file, line: d.line }] };
    for (const inner of d.applies) {
      const sub = guardsOf(inner, d.component, depth + 1, seen);
      out.guards.push(...sub.guards);
      out.at.push(...sub.at);
    }
    return out;
  };
  for (const use of st.decoratorUses) {
    const { guards, at } = guardsOf(use.name, use.component, 0, new Set());
    const comp = use.component ? { component: use.component } : {};
    for (const g of sortedUnique(guards)) {
      const e = { file: use.file, line: use.line };
      c.add(`security:guard:${g}`, 'authorisation', `Guard ${g}`, e, { ...comp, details: { appliedTo: [use.where], appliedThrough: [`@${use.name}`] } });
      for (const a of at) c.add(`security:guard:${g}`, 'authorisation', `Guard ${g}`, a);
      const strat = /^AuthGuard\((.*)\)$/.exec(g);
      if (strat && strat[1]) c.add(`security:passport:${strat[1]}`, 'authentication', `Passport ${strat[1]} strategy`, e, { tech: 'passport', ...comp });
    }
  }
}

/** A login path through a social or single-sign-on provider: no password is checked there. */
const SOCIAL_LOGIN = /(^|\/)(apple|google|facebook|github|gitlab|bitbucket|twitter|microsoft|azure(-?ad)?|linkedin|discord|slack|oidc|openid|saml|sso|oauth2?|auth0|okta|keycloak|cognito|webauthn|passkeys?|magic-?link)(\/|$)/i;

/** Shared leading path segments of two files: how near they are in the repository. */
function sharedDirs(a: string, b: string): number {
  const x = a.split('/').slice(0, -1);
  const y = b.split('/').slice(0, -1);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** The item whose file is nearest `file` (same directory first); the first read on a tie. */
function nearest<T extends { file: string }>(list: readonly T[], file: string): T | undefined {
  let best: T | undefined;
  let score = -1;
  for (const x of list) {
    const s = x.file === file ? Number.MAX_SAFE_INTEGER : sharedDirs(x.file, file);
    if (s > score) [best, score] = [x, s];
  }
  return best;
}

/**
 * The route to draw as the login: a password login before a social or single-sign-on one
 * (`/auth/apple/login`), POST before other methods, a path naming the credential
 * (`/auth/email/login`, `/password`, `/local`) before others, then the route nearest the password
 * check; reading order breaks ties.
 */
function pickLoginRoute(routes: readonly RouteSeen[], passwordChecks: readonly { file: string }[]): RouteSeen | undefined {
  const candidates = routes.filter((r) => LOGIN_ROUTE.test(r.path));
  const key = (r: RouteSeen): number[] => [
    SOCIAL_LOGIN.test(r.path) ? 1 : 0,
    r.method === 'POST' ? 0 : 1,
    /(^|\/)(email|password|local|credentials|basic)(\/|$)/i.test(r.path) ? 0 : 1,
    -Math.max(-1, ...passwordChecks.map((p) => (p.file === r.file ? 1000 : sharedDirs(p.file, r.file)))),
  ];
  const before = (a: number[], b: number[]): boolean => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };
  let best: RouteSeen | undefined;
  let bestKey: number[] = [];
  for (const r of candidates) {
    const k = key(r);
    if (!best || before(k, bestKey)) [best, bestKey] = [r, k];
  }
  return best;
}

/** .env files, key files and Prisma schemas: scanned by line, values never kept. */
function analyseTextFiles(ctx: AnalyzerContext, st: RunState): void {
  const { c } = st;
  for (const file of ctx.files) {
    const base = file.split('/').pop()!;
    if (ctx.isSetAside(file)) continue;
    const isEnv = /^\.env(\..+)?$/.test(base) || base.endsWith('.env');
    const isKey = /\.(pem|key|p8|p12|pfx)$/.test(base) || /^id_(rsa|ecdsa|ed25519)$/.test(base);
    const isPrisma = base.endsWith('.prisma');
    if (!isEnv && !isKey && !isPrisma) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    const component = ctx.componentOf(file);
    const comp = component ? { component } : {};
    if (isKey) {
      const i = text.search(/-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/);
      if (i >= 0) {
        const line = text.slice(0, i).split('\n').length;
        c.add(`security:finding:private-key:${file}`, 'finding', 'Private key file committed to the repository', { file, line }, { severity: 'high', ...comp });
      }
      continue;
    }
    if (isEnv) {
      const example = /example|sample|template|dist|defaults?$/i.test(base);
      const names: string[] = [];
      let firstLine = 0;
      text.split('\n').forEach((l, i) => {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?!\s)(.*)$/.exec(l);
        if (!m) return;
        const name = m[1]!;
        if (!secretLikeEnvName(name)) return;
        recordSecretEnv(st, name, { file, line: i + 1 });
        // A real-looking value: not empty, not a placeholder like <...>, changeme, xxx, and not
        // only references to other variables (`postgresql://u:${POSTGRES_PASSWORD}@db/app`).
        if (!example && envValueIsLiteralSecret(m[2]!)) {
          names.push(name);
          if (!firstLine) firstLine = i + 1;
        }
      });
      if (names.length) {
        c.add(`security:finding:env-file:${file}`, 'finding', `Environment file with values for secret-looking variables is committed (${names.length})`, { file, line: firstLine }, { severity: 'medium', ...comp, details: { envVars: sortedUnique(names) } });
      }
      continue;
    }
    if (isPrisma) {
      let model: string | undefined;
      let modelLine = 0;
      let fields: string[] = [];
      const flush = () => {
        if (model && fields.length) c.add(`security:pii:${file}#${model}`, 'data', model, { file, line: modelLine }, { ...comp, details: { fields, source: 'prisma model' } });
      };
      text.split('\n').forEach((l, i) => {
        const m = /^\s*model\s+(\w+)\s*\{/.exec(l);
        if (m) {
          flush();
          model = m[1];
          modelLine = i + 1;
          fields = [];
          return;
        }
        if (/^\s*\}/.test(l)) {
          flush();
          model = undefined;
          return;
        }
        const f = /^\s*(\w+)\s+\w/.exec(l);
        if (model && f && piiHint(f[1]!)) fields.push(f[1]!);
      });
    }
  }
}

const KEYWORDS =
  /passport|jsonwebtoken|jose|jwt|session|bcrypt|argon2|scrypt|pbkdf2|helmet|hsts|cors|Cors|rate-?limit|throttler|Throttle|csrf|csurf|lusca|zod|class-validator|ValidationPipe|joi|ajv|yup|express-validator|next-auth|@auth\/|lucia|clerk|auth0|cognito|casl|casbin|Guard|Roles|Permission|process\.env|config|secret|AKIA|ASIA|PRIVATE KEY|:\/\/|@Controller|\.post\(|\.get\(|\.use\(|Router|x-api-key|firebase|supabase|okta|keycloak|openid|oauth|Secret|Entity|interface|class /;

export default defineAnalyzer({
  meta: {
    name: 'security',
    description: 'Authentication, authorisation, credentials, transport, validation, secrets (names only), PII hints and security findings',
    produces: ['security'],
  },
  scan(ctx) {
    const st: RunState = {
      c: new Collector(),
      routes: [],
      limiters: new Map(),
      globalLimit: new Set(),
      prefixLimit: [],
      mounts: [],
      globalPrefix: new Map(),
      limiterFiles: new Set(),
      secretEnvs: new Map(),
      tokenIssues: [],
      passwordChecks: [],
      guardDecorators: new Map(),
      decoratorUses: [],
    };
    // Limiters are defined before they are used; route files often import them, so a first look
    // at every file's limiter names would need resolution. Names are matched by heuristics instead.
    return {
      wants(file) {
        if (ctx.isSetAside(file)) return false;
        const text = ctx.read(file);
        return text !== undefined && KEYWORDS.test(text);
      },
      visit: (file, sf) => analyseFile(ctx, st, fileInfo(file, sf), sf.text),
      finish: () => finish(ctx, st),
    };
  },
  // Authentication routes take the path as served from the endpoints analyzer where it knows them.
  link(model) {
    alignAuthRoutes(model);
    linkAuthFlow(model);
  },
});

/** After the file pass: text files, then every fact the run gathered. */
function finish(ctx: AnalyzerContext, st: RunState): void {
  analyseTextFiles(ctx, st);
  const { c } = st;
  customGuardDecorators(st);

  // Secrets read from the environment: names only.
  if (st.secretEnvs.size > 0) {
    const names = [...st.secretEnvs.keys()].sort(compareStrings);
    const evidence = sortedEvidence([...st.secretEnvs.values()].flat());
    c.facts.set('security:secrets:environment', {
      id: 'security:secrets:environment',
      name: 'Secrets read from environment variables',
      category: 'data',
      evidence: evidence.slice(0, 40),
      details: { envVars: names },
    });
  }

  // Resolve one level of router mounts, then keep the authentication routes.
  const routes: RouteSeen[] = [];
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
    const route = { ...r, path, limited: r.limited || limitedByMount };
    routes.push(route);
    c.add(`security:auth-route:${r.method} ${path}`, 'authentication', `${r.method} ${path}`, { file: r.file, line: r.line }, {
      ...(r.component ? { component: r.component } : {}),
      details: { route: `${r.method} ${path}`, kind: LOGIN_ROUTE.test(path) ? 'login' : 'account' },
    });
  }
  st.routes = routes;

  // Authentication routes without rate limiting.
  const unlimited = st.routes.filter((r) => {
    if (r.limited) return false;
    if (st.globalLimit.has(r.component ?? '.')) return false;
    if (st.limiterFiles.has(r.file)) return false;
    if (st.prefixLimit.some((p) => p.component === r.component && (r.path.startsWith(p.prefix) || /auth|login|sign|session|token|account|user/i.test(p.prefix)))) return false;
    return true;
  });
  if (unlimited.length > 0) {
    const routes = sortedUnique(unlimited.map((r) => `${r.method} ${r.path}`));
    c.facts.set('security:finding:auth-routes-without-rate-limit', {
      id: 'security:finding:auth-routes-without-rate-limit',
      name: `No rate limiting detected on authentication routes (${routes.join(', ')})`,
      category: 'finding',
      severity: 'medium',
      evidence: sortedEvidence(unlimited.map((r) => ({ file: r.file, line: r.line }))),
      details: { routes },
    });
  }

  // The authentication flow: a login route and token issuance.
  const login = pickLoginRoute(st.routes, st.passwordChecks);
  const tokenIssue = login ? nearest(st.tokenIssues, login.file) : undefined;
  // A social or single-sign-on login (`/auth/apple/login`) checks no password.
  const passwordCheck = login && !SOCIAL_LOGIN.test(login.path) ? nearest(st.passwordChecks, login.file) : undefined;
  if (login && tokenIssue) {
    const details: Details = {
      loginRoute: `${login.method} ${login.path}`,
      tokenLibrary: tokenIssue.lib,
    };
    if (tokenIssue.detail) details.token = tokenIssue.detail;
    if (passwordCheck) details.passwordCheck = passwordCheck.lib;
    const evidence: Evidence[] = [{ file: login.file, line: login.line }, { file: tokenIssue.file, line: tokenIssue.line }];
    if (passwordCheck) evidence.push({ file: passwordCheck.file, line: passwordCheck.line });
    c.facts.set('security:auth-flow', {
      id: 'security:auth-flow',
      name: 'Login and token issuance',
      category: 'authentication',
      evidence: sortedEvidence(evidence),
      details,
      ...(login.component ? { component: login.component } : {}),
    });
  }

  for (const f of c.facts.values()) {
    if (f.id.startsWith('security:finding:literal-credential:') && Array.isArray(f.details?.names)) {
      f.name = `Credential-named value written in source (${sortedUnique(f.details!.names as string[]).join(', ')})`;
    }
    tidyFact(f);
    ctx.emit('security', f);
  }
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

/**
 * Authentication routes with the path as served. The walk above composes paths itself (one level
 * of mounts, the NestJS global prefix); where the endpoints analyzer found the same route — same
 * file and method, declared at or just above the line seen here, its path this one with segments
 * added — its full path (URI versions, nested mounts) replaces it in the route facts, the rate-limit
 * finding and the login flow.
 */
export function alignAuthRoutes(model: Model): void {
  const code = model.endpoints.filter((e) => e.protocol === 'http' && e.source !== 'spec');
  const rename = new Map<string, string>();
  const facts = model.security.filter((f) => f.id.startsWith('security:auth-route:'));
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
  const isRenamed = (f: SecurityFact) => f.id.startsWith('security:auth-route:') && typeof f.details?.route === 'string' && rename.has(f.details.route);
  // Routes keeping their path first, so that a renamed one joining them merges into them.
  const byId = new Map(model.security.filter((f) => f.id.startsWith('security:auth-route:') && !isRenamed(f)).map((f) => [f.id, f]));
  const out: SecurityFact[] = [];
  for (const f of model.security) {
    if (isRenamed(f)) {
      const route = renamed(f.details!.route as string);
      const id = `security:auth-route:${route}`;
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
