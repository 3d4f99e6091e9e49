/**
 * HTTP hardening: security headers (helmet with CSP and HSTS, hsts), CORS per file (origins,
 * credentials, methods; any origin with credentials is a finding), CSRF middleware and HTTP
 * parameter pollution protection. Rate limiting has its own file.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Details } from '../../src/model/schema.js';
import { lockedVersions } from '../../src/analysis/lockfile.js';
import { bool, exprLabel, prop, unwrap } from '../../src/analysis/ast.js';
import { envVariable, numberValue, objectLiteral, stringValues, stringValue, type Call } from '../../src/analysis/bindings.js';
import { helmetHstsDefault } from './patterns.js';
import { ev, type FileScope, type Rules, type RunState } from './state.js';

const CSRF_MODULES: Record<string, string> = {
  csurf: 'csurf',
  'csrf-csrf': 'csrf-csrf (double submit)',
  'csrf-sync': 'csrf-sync (synchroniser token)',
  lusca: 'lusca',
  '@fastify/csrf-protection': '@fastify/csrf-protection',
  'tiny-csrf': 'tiny-csrf',
};

/** helmet's installed version (root lockfile), else the range the file's package (or the root) declares. */
function helmetVersion(ctx: AnalyzerContext, st: RunState, file: string): string | undefined {
  st.locked ??= lockedVersions(ctx).versions;
  const locked = st.locked.get('helmet');
  if (locked) return locked;
  const own = ctx.packageOf(file)?.dependencies.get('helmet')?.range;
  return own ?? ctx.workspace.packages.find((p) => p.path === '.')?.dependencies.get('helmet')?.range;
}

/** `helmet({...})`: CSP configured or disabled, HSTS max-age (helmet's default for its version when unset). */
function helmet(s: FileScope, node: ts.CallExpression): void {
  const { info } = s;
  const o = objectLiteral(node.arguments[0], info);
  const details: Details = {};
  const csp = prop(o, 'contentSecurityPolicy');
  if (csp && bool(csp) === false) details.contentSecurityPolicy = 'disabled';
  else details.contentSecurityPolicy = csp ? 'configured' : 'default';
  const hsts = prop(o, 'hsts') ?? prop(o, 'strictTransportSecurity');
  if (hsts && bool(hsts) === false) details.hsts = 'disabled';
  else {
    const maxAge = numberValue(prop(objectLiteral(hsts, info), 'maxAge'), info);
    details.hsts = maxAge !== undefined ? `max-age ${maxAge} s` : helmetHstsDefault(helmetVersion(s.ctx, s.st, info.file));
  }
  s.c.add('security:helmet', 'transport', 'Security headers with helmet', ev(info, node), { tech: 'helmet', ...s.comp, details });
}

/** CORS options: `cors({...})`, `app.enableCors({...})`, `NestFactory.create(M, { cors })`, `register(fastifyCors, {...})`. */
function corsConfig(s: FileScope, arg: ts.Expression | undefined, node: ts.Node, lib: string): void {
  const { c, info, comp } = s;
  const details: Details = {};
  let anyOrigin = false;
  let reflect = false;
  const a = arg ? unwrap(arg) : undefined;
  if (!a) {
    details.origins = ['*'];
    anyOrigin = true;
  } else if (bool(a) === true) {
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
      const str = stringValue(origin, info);
      const list = stringValues(origin, info);
      const flag = bool(origin);
      const env = envVariable(origin, info);
      if (str !== undefined) {
        details.origins = [str];
        anyOrigin = str === '*';
      } else if (list) details.origins = list.length ? list : ['(none)'];
      else if (flag === true) {
        details.origins = ['any (reflected)'];
        reflect = true;
      } else if (flag === false) details.origins = ['disabled'];
      else if (env) details.origins = [`environment variable ${env}`];
      else if (ts.isRegularExpressionLiteral(unwrap(origin))) details.origins = [`pattern ${unwrap(origin).getText(info.sf)}`];
      else details.origins = [ts.isArrowFunction(unwrap(origin)) || ts.isFunctionExpression(unwrap(origin)) ? 'decided by a function' : `expression ${exprLabel(origin) ?? ''}`.trim()];
    }
    const cred = bool(prop(o, 'credentials'));
    if (cred !== undefined) details.credentials = cred;
    const methods = stringValues(prop(o, 'methods'), info) ?? stringValue(prop(o, 'methods'), info)?.split(/(?:(?<!\s)\s+)?,\s*/);
    if (methods) details.methods = methods;
    if (cred === true && (anyOrigin || reflect)) {
      c.add(`security:finding:cors-any-origin-credentials:${info.file}`, 'finding', `CORS allows ${anyOrigin ? 'any origin (*)' : 'any origin (reflected)'} with credentials`, ev(info, node), { severity: 'high', ...comp });
    }
  }
  c.add(`security:cors:${info.file}`, 'transport', `CORS (${lib})`, ev(info, node), { tech: lib, ...comp, details });
}

function hardeningCall(s: FileScope, { node, name, last, binding: b, args }: Call): void {
  const { c, info, comp } = s;
  if (b?.module === 'helmet' && ts.isIdentifier(node.expression)) helmet(s, node);
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
  if (b && (b.module === 'cors' || b.module === '@fastify/cors' || b.module === '@koa/cors') && ts.isIdentifier(node.expression)) {
    corsConfig(s, args[0], node, b.module);
  }
  if (last === 'enableCors') corsConfig(s, args[0], node, '@nestjs/core');
  if (last === 'register' && args[0] && ts.isIdentifier(args[0]) && info.bindings.get(args[0].text)?.module === '@fastify/cors') {
    corsConfig(s, args[1], node, '@fastify/cors');
  }
  if (name === 'NestFactory.create') {
    const cors = prop(objectLiteral(args[1], info), 'cors');
    if (cors) corsConfig(s, cors, node, '@nestjs/core');
  }
  if (b && CSRF_MODULES[b.module]) {
    c.add(`security:csrf:${b.module}`, 'transport', `CSRF protection (${CSRF_MODULES[b.module]})`, ev(info, node), { tech: b.module, ...comp });
  }
}

export const httpHardening: Rules = {
  onImport(s, m, at) {
    const cs = CSRF_MODULES[m];
    if (cs) s.c.add(`security:csrf:${m}`, 'transport', `CSRF protection (${cs})`, at, { tech: m, ...s.comp });
    if (m === 'hpp') s.c.add('security:hpp', 'transport', 'HTTP parameter pollution protection (hpp)', at, { tech: 'hpp', ...s.comp });
  },
  onCall: hardeningCall,
};
