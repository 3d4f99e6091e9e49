/**
 * The authentication flow (`security:auth-flow`), settled once every file is read: a login route
 * and the token issuance (and password check) nearest it. It drives the authentication sequence
 * diagram.
 */
import { sortedEvidence } from '../../src/model/compare.js';
import type { Details, Evidence } from '../../src/model/schema.js';
import { LOGIN_ROUTE } from './patterns.js';
import type { RouteSeen, RunState } from './state.js';

/** A login path through a social or single-sign-on provider: no password is checked there. */
const SOCIAL_LOGIN =
  /(^|\/)(apple|google|facebook|github|gitlab|bitbucket|twitter|microsoft|azure(-?ad)?|linkedin|discord|slack|oidc|openid|saml|sso|oauth2?|auth0|okta|keycloak|cognito|webauthn|passkeys?|magic-?link)(\/|$)/i;

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

/** `security:auth-flow` when a login route (from the resolved authentication routes) and a token issuance are both found. */
export function authFlow(st: RunState): void {
  const login = pickLoginRoute(st.routes, st.passwordChecks);
  const tokenIssue = login ? nearest(st.tokenIssues, login.file) : undefined;
  if (!login || !tokenIssue) return;
  // A social or single-sign-on login (`/auth/apple/login`) checks no password.
  const passwordCheck = SOCIAL_LOGIN.test(login.path) ? undefined : nearest(st.passwordChecks, login.file);
  const details: Details = {
    loginRoute: `${login.method} ${login.path}`,
    tokenLibrary: tokenIssue.lib,
  };
  if (tokenIssue.detail) details.token = tokenIssue.detail;
  if (passwordCheck) details.passwordCheck = passwordCheck.lib;
  const evidence: Evidence[] = [
    { file: login.file, line: login.line },
    { file: tokenIssue.file, line: tokenIssue.line },
  ];
  if (passwordCheck) evidence.push({ file: passwordCheck.file, line: passwordCheck.line });
  st.c.facts.set('security:auth-flow', {
    id: 'security:auth-flow',
    name: 'Login and token issuance',
    category: 'authentication',
    evidence: sortedEvidence(evidence),
    details,
    ...(login.component ? { component: login.component } : {}),
  });
}
