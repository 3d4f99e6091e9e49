/**
 * security: authentication, authorisation, credential hashing, transport and edge protection,
 * input validation, where secrets come from, PII-hinting field names, and a short list of
 * findings (statements of fact with evidence and a severity). One TypeScript walk per file hands
 * each node to the rule sets, one concern per file (authentication.ts, authorisation.ts,
 * credentials.ts, http-hardening.ts, rate-limits.ts, routes.ts, validation.ts, secrets.ts,
 * pii.ts); env files, key files and Prisma schemas are scanned by line. Secret VALUES are never
 * put in a fact: only names, and the file and line where a literal was seen.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { fileInfo, readCall, recordBinding, type FileInfo } from '../../src/analysis/bindings.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { readSite } from '../../src/analysis/sites.js';
import { tidyFact } from '../../src/model/compare.js';
import { linkAuthFlow } from './auth-flow.js';
import { authentication } from './authentication.js';
import { authorisation, customGuardDecorators } from './authorisation.js';
import { credentials } from './credentials.js';
import { httpHardening } from './http-hardening.js';
import { authFlow } from './login-flow.js';
import { pii, prismaPii } from './pii.js';
import { rateLimits, unlimitedAuthRoutes } from './rate-limits.js';
import { alignAuthRoutes, authRoutes, routes } from './routes.js';
import { nameLiteralCredentials, secretFiles, secrets, secretsFromEnvironment } from './secrets.js';
import { runState, type FileScope, type Rules, type RunState, type SiteRules, type SiteScope } from './state.js';
import { validation } from './validation.js';

export { alignAuthRoutes } from './routes.js';

/** The rule sets written on the index, in the order each site is handed to them. */
const SITE_RULES: readonly SiteRules[] = [credentials, httpHardening, validation, pii];

/** The rule sets that still read syntax trees, in the order each node is handed to them. */
const RULES: readonly Rules[] = [authentication, authorisation, rateLimits, routes, secrets];

/** One file's index: its imports, then each call and `new` to the rule sets written on it. */
function analyseSites(ctx: AnalyzerContext, st: RunState, index: FileIndex): void {
  const { file, sites } = index;
  const component = ctx.componentOf(file);
  const s: SiteScope = { ctx, st, c: st.c, file, sites, component, comp: component ? { component } : {} };
  for (const [m, line] of sites.modules) {
    for (const r of SITE_RULES) r.onImport?.(s, m, { file, line });
  }
  for (const site of sites.sites) {
    if (site.k !== 'call' && site.k !== 'new') continue;
    const call = readSite(site);
    for (const r of SITE_RULES) (site.k === 'call' ? r.onCall : r.onNew)?.(s, call);
  }
  for (const r of SITE_RULES) r.onFile?.(s);
}

/** One walk over a file: imports first, then every node to the rule sets that want its kind, then the file as a whole. */
function analyseFile(ctx: AnalyzerContext, st: RunState, info: FileInfo, text: string): void {
  const component = ctx.componentOf(info.file);
  const s: FileScope = { ctx, st, c: st.c, info, text, component, comp: component ? { component } : {} };
  for (const [m, line] of info.modules) {
    for (const r of RULES) r.onImport?.(s, m, { file: info.file, line });
  }
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) recordBinding(info, node);
    if (ts.isClassDeclaration(node)) for (const r of RULES) r.onClass?.(s, node);
    else if (ts.isCallExpression(node)) {
      recordBinding(info, node);
      const call = readCall(node, info);
      for (const r of RULES) r.onCall?.(s, call);
    } else if (ts.isNewExpression(node)) {
      const call = readCall(node, info);
      for (const r of RULES) r.onNew?.(s, call);
    } else if (ts.isObjectLiteralExpression(node)) for (const r of RULES) r.onObject?.(s, node);
    else if (ts.isStringLiteralLike(node)) for (const r of RULES) r.onString?.(s, node);
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      let leaf = false;
      for (const r of RULES) if (r.onAccess?.(s, node)) leaf = true;
      if (leaf) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(info.sf);
  for (const r of RULES) r.onFile?.(s);
}

/** After the file pass: text files, then what needs every file read (custom guard decorators, routes, the flow), then emit. */
function finish(ctx: AnalyzerContext, st: RunState): void {
  secretFiles(ctx, st);
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
  /passport|jsonwebtoken|jose|jwt|session|bcrypt|argon2|scrypt|pbkdf2|helmet|hsts|cors|Cors|rate-?limit|throttler|Throttle|csrf|csurf|lusca|zod|class-validator|ValidationPipe|joi|ajv|yup|express-validator|next-auth|@auth\/|lucia|clerk|auth0|cognito|casl|casbin|Guard|Roles|Permission|process\.env|config|secret|AKIA|ASIA|PRIVATE KEY|:\/\/|@Controller|\.post\(|\.get\(|\.use\(|Router|x-api-key|firebase|supabase|okta|keycloak|openid|oauth|Secret|Entity|interface|class /;

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
      visitIndex: (_file, index) => analyseSites(ctx, st, index),
      visit: (file, sf) => analyseFile(ctx, st, fileInfo(file, sf), sf.text),
      finish: () => finish(ctx, st),
    };
  },
  // Authentication routes take the path as served from the endpoints analyzer where it knows them.
  link(model, ctx) {
    alignAuthRoutes(model);
    linkAuthFlow(model);
    ctx.provide('security.linked', model.security);
  },
});
