/**
 * security: authentication, authorisation, credential hashing, transport and edge protection,
 * input validation, where secrets come from, PII-hinting field names, and a short list of
 * findings (statements of fact with evidence and a severity). Each script's index (its sites and
 * clues, src/analysis/) is handed to the rule sets, one concern per file (authentication.ts, authorisation.ts,
 * credentials.ts, http-hardening.ts, rate-limits.ts, routes.ts, validation.ts, secrets.ts,
 * pii.ts); env files, key files and Prisma schemas are scanned by line. Secret VALUES are never
 * put in a fact: only names, and the file and line where a literal was seen.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { readSite } from '../../src/analysis/sites.js';
import { tidyFact } from '../../src/model/compare.js';
import { linkAuthFlow } from './auth-flow.js';
import { authentication } from './authentication.js';
import { authorisation, customGuardDecorators } from './authorisation.js';
import { credentials } from './credentials.js';
import { dependencyFacts } from './dependencies.js';
import { djangoFacts } from './django.js';
import { fastify } from './fastify.js';
import { hono } from './hono.js';
import { httpHardening } from './http-hardening.js';
import { authFlow } from './login-flow.js';
import { pii, prismaPii } from './pii.js';
import { rateLimits, unlimitedAuthRoutes } from './rate-limits.js';
import { alignAuthRoutes, authRoutes, routes } from './routes.js';
import { trpcGuards } from './trpc.js';
import { nameLiteralCredentials, secretFiles, secrets, secretsFromEnvironment } from './secrets.js';
import { runState, type RunState, type SiteRules, type SiteScope } from './state.js';
import { validation } from './validation.js';

export { alignAuthRoutes } from './routes.js';

/**
 * The rule sets, in the order each site is handed to them: first those that read only calls and
 * `new`s (their facts never share an id with the others'), then those that read classes and clues too.
 */
const SITE_RULES: readonly SiteRules[] = [credentials, httpHardening, validation, pii];
const RULES: readonly SiteRules[] = [authentication, hono, fastify, authorisation, rateLimits, routes, secrets];

/**
 * One file's index to rule sets: its imports, then each site (call, `new`, class) and each clue
 * (string, environment read, provider object) in the order one walk of the file meets them, then
 * the file as a whole.
 */
function analyseFile(s: SiteScope, rules: readonly SiteRules[]): void {
  const { file, sites, clues } = s;
  for (const [m, line] of sites.modules) {
    for (const r of rules) r.onImport?.(s, m, { file, line });
  }
  let str = 0;
  let env = 0;
  let prov = 0;
  /** The clues the walk meets before site `i`. */
  const cluesBefore = (i: number): void => {
    for (; str < clues.strings.length && clues.strings[str]!.at <= i; str++) for (const r of rules) r.onString?.(s, clues.strings[str]!);
    for (; env < clues.env.length && clues.env[env]!.at <= i; env++) for (const r of rules) r.onEnv?.(s, clues.env[env]!);
    for (; prov < clues.providers.length && clues.providers[prov]!.at <= i; prov++) for (const r of rules) r.onProvider?.(s, clues.providers[prov]!);
  };
  sites.sites.forEach((site, i) => {
    cluesBefore(i);
    if (site.k === 'class') for (const r of rules) r.onClass?.(s, site, i);
    else if (site.k === 'call' || site.k === 'new') {
      const call = readSite(site);
      for (const r of rules) (site.k === 'call' ? r.onCall : r.onNew)?.(s, call, i);
    }
  });
  cluesBefore(Number.MAX_SAFE_INTEGER);
  for (const r of rules) r.onFile?.(s);
}

function analyseIndex(ctx: AnalyzerContext, st: RunState, index: FileIndex): void {
  const { file, sites } = index;
  const { clues } = sites;
  const component = ctx.componentOf(file);
  const s: SiteScope = { ctx, st, c: st.c, file, index, sites, clues, component, comp: component ? { component } : {} };
  analyseFile(s, SITE_RULES);
  analyseFile(s, RULES);
}

/** After the file pass: text files, then what needs every file read (custom guard decorators, routes, the flow), then emit. */
function finish(ctx: AnalyzerContext, st: RunState): void {
  secretFiles(ctx, st);
  dependencyFacts(ctx, st);
  djangoFacts(ctx, st);
  prismaPii(ctx, st);
  customGuardDecorators(st);
  secretsFromEnvironment(st);
  authRoutes(st);
  unlimitedAuthRoutes(st);
  authFlow(st);
  nameLiteralCredentials(st);
  for (const f of st.c.facts.values()) {
    tidyFact(f);
    ctx.emit('security', f);
  }
}

const KEYWORDS =
  /passport|jsonwebtoken|jose|jwt|session|bcrypt|argon2|scrypt|pbkdf2|helmet|hsts|cors|Cors|rate-?limit|throttler|Throttle|csrf|csurf|lusca|zod|class-validator|ValidationPipe|joi|ajv|yup|express-validator|next-auth|@auth\/|lucia|clerk|auth0|cognito|casl|casbin|Guard|Roles|Permission|process\.env|config|secret|AKIA|ASIA|PRIVATE KEY|:\/\/|@Controller|\.post\(|\.get\(|\.use\(|Router|x-api-key|hono\/|@fastify\/|fastify-|firebase|supabase|okta|keycloak|openid|oauth|Secret|Entity|interface|class /;

export default defineAnalyzer({
  meta: {
    name: 'security',
    description: 'Authentication, authorisation, credentials, transport, validation, secrets (names only), PII hints and security findings',
    produces: ['security'],
    consumes: ['endpoints', 'security', 'components.settled'],
    provides: ['security.linked'],
    amends: ['security'],
  },
  scan(ctx) {
    const st = runState();
    // Limiters are defined before they are used; route files often import them, so a first look
    // at every file's limiter names would need resolution. Names are matched by heuristics instead.
    return {
      wants(file) {
        if (ctx.isSetAside(file)) return false;
        const text = ctx.read(file);
        return text !== undefined && KEYWORDS.test(text);
      },
      visitIndex: (_file, index) => analyseIndex(ctx, st, index),
      finish: () => finish(ctx, st),
    };
  },
  // Authentication routes take the path as served from the endpoints analyzer where it knows them.
  link(model, ctx) {
    alignAuthRoutes(model);
    linkAuthFlow(model);
    trpcGuards(model);
    ctx.provide('security.linked', model.security);
  },
});
