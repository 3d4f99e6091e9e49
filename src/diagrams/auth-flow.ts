/**
 * Authentication flow: a sequence diagram drawn only from the `security:auth-flow` fact (a login
 * route and token issuance were both found) and the mechanisms beside it. Each step shown has
 * evidence in the model; a step that was not found is left out, not guessed.
 */
import type { Model } from '../model/schema.js';
import { nodeId, plainLabel, type Diagram } from './mermaid.js';

/** Passport strategies that do not check a token on later requests. */
const NOT_TOKEN_VERIFIERS =
  /^(anonymous|local|google(-oauth2?)?|facebook|apple|github|gitlab|twitter|microsoft|azure-ad|linkedin|discord|oidc|openidconnect|saml|oauth2?|auth0|okta|keycloak|magic-?link|webauthn)$/i;

export function authFlow(model: Model): Diagram | undefined {
  const flow = model.security.find((s) => s.id === 'security:auth-flow');
  if (!flow) return undefined;
  const d = flow.details ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const loginRoute = str(d.loginRoute) ?? 'login';
  const tokenLib = str(d.tokenLibrary) ?? 'token library';
  const token = str(d.token);
  const passwordCheck = str(d.passwordCheck);
  const component = flow.component ? model.components.find((c) => c.id === flow.component) : undefined;

  // How a token is checked on later requests: a Passport strategy that reads a token (jwt first; never
  // `anonymous`, which lets requests through without one, nor a login strategy such as local or a
  // social provider), a guard, or the JWT library's verify.
  const strategy = (s: { id: string }) => s.id.slice('security:passport:'.length);
  const passport = model.security
    .filter((s) => s.id.startsWith('security:passport:') && !NOT_TOKEN_VERIFIERS.test(strategy(s)))
    .sort((a, b) => Number(strategy(b) === 'jwt') - Number(strategy(a) === 'jwt'))
    .map((s) => s.name);
  const jwtVerify = model.security.some(
    (s) => s.id.startsWith('security:jwt:') && Array.isArray(s.details?.operations) && (s.details!.operations as string[]).includes('verify'),
  );
  const guards = model.security.filter((s) => s.id.startsWith('security:guard:')).map((s) => s.name);
  const verifier = passport[0] ?? (guards.length ? guards[0] : jwtVerify ? `${tokenLib} verify` : undefined);

  const client = nodeId('actor:client');
  const api = nodeId(flow.component ?? 'component:api');
  const lines = [
    'sequenceDiagram',
    '  autonumber',
    `  actor ${client} as ${plainLabel('Client')}`,
    `  participant ${api} as ${plainLabel(component?.name ?? 'API')}`,
    `  ${client}->>${api}: ${plainLabel(`${loginRoute} with credentials`)}`,
  ];
  if (passwordCheck) lines.push(`  ${api}->>${api}: ${plainLabel(`verify password (${passwordCheck})`)}`);
  lines.push(`  ${api}->>${api}: ${plainLabel(`issue token (${tokenLib}${token ? ', ' + token : ''})`)}`);
  lines.push(`  ${api}-->>${client}: ${plainLabel('token')}`);
  if (verifier) {
    lines.push(`  ${client}->>${api}: ${plainLabel('request with the token')}`);
    lines.push(`  ${api}->>${api}: ${plainLabel(`verify token (${verifier})`)}`);
    lines.push(`  ${api}-->>${client}: ${plainLabel('response')}`);
  }
  return { code: lines.join('\n'), notes: [] };
}
