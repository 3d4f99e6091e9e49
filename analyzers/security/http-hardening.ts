/**
 * HTTP hardening: security headers (helmet with CSP and HSTS, hsts), CORS per file (origins,
 * credentials, methods; any origin with credentials is a finding), CSRF middleware and HTTP
 * parameter pollution protection. Rate limiting has its own file.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Details } from '../../src/model/schema.js';
import { lockedVersions } from '../../src/analysis/lockfile.js';
import { objectOf, prop, strings, type Call, type CallSite, type Opt } from '../../src/analysis/sites.js';
import { helmetHstsDefault } from './patterns.js';
import { at, type RunState, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

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
function helmet(s: SiteScope, call: CallSite): void {
  const o = call.args[0];
  const details: Details = {};
  const csp = prop(o, 'contentSecurityPolicy');
  if (csp && csp.bool === false) details.contentSecurityPolicy = 'disabled';
  else details.contentSecurityPolicy = csp ? 'configured' : 'default';
  const hsts = prop(o, 'hsts') ?? prop(o, 'strictTransportSecurity');
  if (hsts && hsts.bool === false) details.hsts = 'disabled';
  else {
    const maxAge = prop(hsts, 'maxAge')?.num;
    details.hsts = maxAge !== undefined ? `max-age ${maxAge} s` : helmetHstsDefault(helmetVersion(s.ctx, s.st, s.file));
  }
  s.c.add('security:helmet', 'transport', 'Security headers with helmet', at(s, call), { tech: 'helmet', ...s.comp, details });
}

/** CORS options: `cors({...})`, `app.enableCors({...})`, `NestFactory.create(M, { cors })`, `register(fastifyCors, {...})`. */
export function corsConfig(s: SiteScope, a: Opt | undefined, call: CallSite, lib: string): void {
  const { c, file, comp } = s;
  const details: Details = {};
  let anyOrigin = false;
  let reflect = false;
  if (!a) {
    details.origins = ['*'];
    anyOrigin = true;
  } else if (a.bool === true) {
    details.origins = ['any (reflected)'];
    reflect = true;
  } else {
    const o = objectOf(a);
    const origin = prop(o, 'origin');
    if (!o) details.origins = ['expression'];
    else if (!origin) {
      details.origins = ['*'];
      anyOrigin = true;
    } else {
      const list = strings(origin);
      if (origin.str !== undefined) {
        details.origins = [origin.str];
        anyOrigin = origin.str === '*';
      } else if (list) details.origins = list.length ? list : ['(none)'];
      else if (origin.bool === true) {
        details.origins = ['any (reflected)'];
        reflect = true;
      } else if (origin.bool === false) details.origins = ['disabled'];
      else if (origin.env) details.origins = [`environment variable ${origin.env}`];
      else if (origin.regex !== undefined) details.origins = [`pattern ${origin.regex}`];
      else details.origins = [origin.fn ? 'decided by a function' : `expression ${origin.label ?? ''}`.trim()];
    }
    const cred = prop(o, 'credentials')?.bool;
    if (cred !== undefined) details.credentials = cred;
    // `allowMethods` in hono/cors.
    const m = prop(o, 'methods') ?? prop(o, 'allowMethods');
    const methods = strings(m) ?? m?.str?.split(/(?:(?<!\s)\s+)?,\s*/);
    if (methods) details.methods = methods;
    if (cred === true && (anyOrigin || reflect)) {
      c.add(
        idOf.security('finding', 'cors-any-origin-credentials', file),
        'finding',
        `CORS allows ${anyOrigin ? 'any origin (*)' : 'any origin (reflected)'} with credentials`,
        at(s, call),
        { severity: 'high', ...comp },
      );
    }
  }
  c.add(idOf.security('cors', file), 'transport', `CORS (${lib})`, at(s, call), { tech: lib, ...comp, details });
}

function hardeningCall(s: SiteScope, call: Call): void {
  const { c, comp } = s;
  const { module, name, last, args } = call;
  if (module === 'helmet' && call.bare) helmet(s, call);
  if (module === 'helmet' && last === 'hsts') {
    const maxAge = prop(args[0], 'maxAge')?.num;
    c.add('security:hsts', 'transport', 'HTTP Strict Transport Security', at(s, call), {
      tech: 'helmet',
      ...comp,
      details: maxAge !== undefined ? { maxAge: `${maxAge} s` } : {},
    });
  }
  if (module === 'hsts') {
    const maxAge = prop(args[0], 'maxAge')?.num;
    c.add('security:hsts', 'transport', 'HTTP Strict Transport Security', at(s, call), {
      tech: 'hsts',
      ...comp,
      details: maxAge !== undefined ? { maxAge: `${maxAge} s` } : {},
    });
  }
  if (module === '@fastify/helmet' || module === 'koa-helmet') {
    c.add('security:helmet', 'transport', 'Security headers with helmet', at(s, call), { tech: module, ...comp });
  }
  if ((module === 'cors' || module === '@fastify/cors' || module === '@koa/cors') && call.bare) corsConfig(s, args[0], call, module);
  if (last === 'enableCors') corsConfig(s, args[0], call, '@nestjs/core');
  if (last === 'register' && args[0]?.bound === '@fastify/cors') corsConfig(s, args[1], call, '@fastify/cors');
  if (name === 'NestFactory.create') {
    const cors = prop(args[1], 'cors');
    if (cors) corsConfig(s, cors, call, '@nestjs/core');
  }
  if (module !== undefined && CSRF_MODULES[module]) {
    c.add(idOf.security('csrf', module), 'transport', `CSRF protection (${CSRF_MODULES[module]})`, at(s, call), { tech: module, ...comp });
  }
}

export const httpHardening: SiteRules = {
  onImport(s, m, where) {
    const cs = CSRF_MODULES[m];
    if (cs) s.c.add(idOf.security('csrf', m), 'transport', `CSRF protection (${cs})`, where, { tech: m, ...s.comp });
    if (m === 'hpp') s.c.add('security:hpp', 'transport', 'HTTP parameter pollution protection (hpp)', where, { tech: 'hpp', ...s.comp });
  },
  onCall: hardeningCall,
};
