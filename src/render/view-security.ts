/**
 * The Security architecture section's groups, read from typed fields rather than ids: the
 * authentication routes (facts that name a `route`) apart from the mechanisms, the login-and-token
 * fact left to the flow (`model.authFlow`, drawn by the diagram), and types with personal-data
 * fields (facts that list `fields`) apart from the other data-security facts.
 */
import type { Model, SecurityFact } from '../model/schema.js';

export interface SecurityView {
  /** Authentication mechanisms, without the routes and the login flow. */
  authMechanisms: SecurityFact[];
  /** Authentication routes (`POST /auth/login`). */
  authRoutes: SecurityFact[];
  /** Types whose field names suggest personal data. */
  pii: SecurityFact[];
  /** Secrets management, encryption and the rest of data security. */
  dataOther: SecurityFact[];
}

export function securityView(model: Model): SecurityView {
  const authn = model.security.filter((f) => f.category === 'authentication');
  const data = model.security.filter((f) => f.category === 'data');
  return {
    authRoutes: authn.filter((f) => f.details?.route !== undefined),
    authMechanisms: authn.filter((f) => f.details?.route === undefined && f.details?.loginRoute === undefined),
    pii: data.filter((f) => f.details?.fields !== undefined),
    dataOther: data.filter((f) => f.details?.fields === undefined),
  };
}
