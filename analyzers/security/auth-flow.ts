/**
 * The authentication flow as a typed model element (`model.authFlow`), built once in the link
 * phase from the security facts: the login route and token issuance of the `security:auth-flow`
 * fact, the password check beside them, and what checks the token on later requests — a Passport
 * strategy that reads a token, else a guard, else the token library's verify. The diagram only
 * draws it.
 */
import type { AuthFlow, Evidence, Model, SecurityFact } from '../../src/model/schema.js';
import { idOf, parseId } from '../../src/model/ids.js';

const FLOW_ID = idOf.security('auth-flow');
/** A security fact of one kind: `guard` for `security:guard:JwtAuthGuard`. */
const ofKind = (s: SecurityFact, kind: string): boolean => parseId(s.id)?.key.startsWith(`${kind}:`) === true;

/** Passport strategies that do not check a token on later requests: login strategies, and `anonymous`, which lets requests through without one. */
const NOT_TOKEN_VERIFIERS =
  /^(anonymous|local|google(-oauth2?)?|facebook|apple|github|gitlab|twitter|microsoft|azure-ad|linkedin|discord|oidc|openidconnect|saml|oauth2?|auth0|okta|keycloak|magic-?link|webauthn)$/i;

const same = (a: Evidence, b: Evidence) => a.file === b.file && a.line === b.line;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** What checks the token on later requests: a token-reading Passport strategy (jwt first), else the first guard, else the token library's verify. */
function verifierOf(model: Model, tokenLibrary: string): AuthFlow['verifier'] {
  const strategy = (s: SecurityFact) => (s.category === 'authentication' && typeof s.details?.strategy === 'string' ? s.details.strategy : undefined);
  const passport = model.security
    .filter((s) => strategy(s) !== undefined && !NOT_TOKEN_VERIFIERS.test(strategy(s)!))
    .sort((a, b) => Number(strategy(b) === 'jwt') - Number(strategy(a) === 'jwt'));
  if (passport[0]) return { mechanism: 'passport-strategy', name: passport[0].name, evidence: passport[0].evidence.slice(0, 1) };
  const guard = model.security.find((s) => ofKind(s, 'guard'));
  if (guard) return { mechanism: 'guard', name: guard.name, evidence: guard.evidence.slice(0, 1) };
  const verify = model.security.find((s) => ofKind(s, 'jwt') && Array.isArray(s.details?.operations) && s.details.operations.includes('verify'));
  if (verify) return { mechanism: 'token-library', name: `${tokenLibrary} verify`, evidence: verify.evidence.slice(0, 1) };
  return undefined;
}

/**
 * The flow from the `security:auth-flow` fact, whose evidence is the login route, the token
 * issuance and the password check: each step takes the place its own fact records (the route's
 * fact, the token library's fact); the password check is the place left.
 */
export function authFlowOf(model: Model): AuthFlow | undefined {
  const fact = model.security.find((s) => s.id === FLOW_ID);
  const loginRoute = str(fact?.details?.loginRoute);
  const tokenLibrary = str(fact?.details?.tokenLibrary);
  if (!fact || !loginRoute || !tokenLibrary) return undefined;
  const placeOf = (facts: SecurityFact[], taken: Evidence[]): Evidence[] => {
    const at = fact.evidence.find((e) => !taken.some((t) => same(t, e)) && facts.some((f) => f.evidence.some((x) => same(x, e))));
    return at ? [at] : [];
  };
  const login = placeOf(
    model.security.filter((s) => s.details?.route === loginRoute),
    [],
  );
  const token = placeOf(
    model.security.filter((s) => ofKind(s, 'jwt') && s.tech === tokenLibrary),
    login,
  );
  const passwordCheck = str(fact.details?.passwordCheck);
  const tokenDetail = str(fact.details?.token);
  const flow: AuthFlow = {
    ...(fact.component ? { component: fact.component } : {}),
    login: { name: loginRoute, evidence: login },
    tokenIssue: { name: tokenLibrary, ...(tokenDetail ? { token: tokenDetail } : {}), evidence: token },
    evidence: fact.evidence,
  };
  if (passwordCheck) {
    const left = fact.evidence.filter((e) => !login.some((x) => same(x, e)) && !token.some((x) => same(x, e)));
    flow.passwordCheck = { name: passwordCheck, evidence: left.slice(0, 1) };
  }
  const verifier = verifierOf(model, tokenLibrary);
  if (verifier) flow.verifier = verifier;
  return flow;
}

/** Link phase: set `model.authFlow` when a login route and token issuance were both found. */
export function linkAuthFlow(model: Model): void {
  const flow = authFlowOf(model);
  if (flow) model.authFlow = flow;
}
