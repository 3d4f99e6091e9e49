/**
 * Whether a value committed in a configuration file (compose, Kubernetes, CI, Terraform) is a real
 * secret. Whether a name is a secret's is the one rule in src/util/redact.ts (`isSecretName`); this
 * module adds only what a committed value must also be.
 */
import { hasUrlPassword, isSecretName, normaliseName } from '../util/redact.js';

/** Words of a name that make its value a setting about a secret, not the secret. */
const SETTING_WORDS = new Set(['TTL', 'LENGTH', 'MIN', 'MAX', 'TIMEOUT', 'ROUNDS', 'ALGORITHM', 'HEADER', 'FILE', 'PATH', 'ISSUER', 'AUDIENCE']);

/**
 * True when a literal value committed for `name` looks like a real secret: a secret-sounding name
 * with a literal (non-interpolated, non-empty) value, or any value carrying URL credentials.
 */
export function looksLikeCommittedSecret(name: string, value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const v = String(value).trim();
  if (v === '') return false;
  if (hasUrlPassword(v)) return true;
  // A bare `key` is a reference's field (`secretKeyRef: {key: db-password}`), not a secret.
  if (!isSecretName(name) || /^key$/i.test(name)) return false;
  // Pure references to other variables or secret stores are not committed secrets.
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:?-)?\}?$/.test(v)) return false;
  if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v)) return false;
  if (/^\$\{\{.*\}\}$/.test(v) || /^\{\{.*\}\}$/.test(v)) return false;
  if (/^(true|false|yes|no|none|null|\d{1,6})$/i.test(v)) return false;
  // Placeholders (GOOGLE_API_KEY_VAL, <your-key>, changeme, xxx) are not secrets.
  if (/^[A-Z][A-Z0-9_]*$/.test(v) || /^<.*>$/.test(v) || /^(change[-_]?me|replace[-_]?me|todo|xxx+|\*+|your[-_].*|example|dummy|placeholder)$/i.test(v))
    return false;
  // Names like TOKEN_TTL or PASSWORD_MIN_LENGTH carry settings; SECRET_NAME or KEY_ID name a secret.
  // Whole words only: ADMIN_PASSWORD and MINIO_SECRET_KEY are secrets, though they contain "min".
  if (
    normaliseName(name)
      .split('_')
      .some((word) => SETTING_WORDS.has(word) || word.startsWith('EXPIR'))
  )
    return false;
  if (/(_|-|\b)(name|id|arn|ref|version|region|uri|url|endpoint|host|port)$/i.test(name) || /(Name|Id|Arn|Ref|Url|Uri|Host|Port)$/.test(name)) return false;
  // A connection string is a secret when it carries one.
  if (/connection[_-]?string/i.test(name) && !/(password|pwd|accountkey|sharedaccesskey|secret|token)\s*=/i.test(v)) return false;
  return true;
}
