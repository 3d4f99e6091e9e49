/**
 * Name and text patterns: PII-hinting field names, authentication routes, and secret-shaped
 * literals (secret-looking names are src/util/redact.ts isSecretName). Only the KIND of a hit
 * leaves this module, never the matched text.
 */
import { secretKinds, urlUserinfos } from '../../src/util/redact.js';

/** Words that hint a field holds personal data. */
const PII_WORDS: string[][] = [
  ['email'],
  ['e', 'mail'],
  ['phone'],
  ['mobile'],
  ['telephone'],
  ['address'],
  ['street'],
  ['postcode'],
  ['postal', 'code'],
  ['zip', 'code'],
  ['zip'],
  ['date', 'of', 'birth'],
  ['dob'],
  ['birth', 'date'],
  ['birthday'],
  ['ssn'],
  ['social', 'security'],
  ['national', 'id'],
  ['national', 'insurance'],
  ['tax', 'id'],
  ['passport'],
  ['first', 'name'],
  ['last', 'name'],
  ['full', 'name'],
  ['surname'],
  ['given', 'name'],
  ['family', 'name'],
  ['credit', 'card'],
  ['card', 'number'],
  ['cvv'],
  ['iban'],
  ['account', 'number'],
  ['sort', 'code'],
  ['ip', 'address'],
  ['gender'],
  ['latitude'],
  ['longitude'],
];

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * True when a field name contains a PII word sequence (`customerEmail`, `date_of_birth`). Names in
 * SCREAMING_SNAKE_CASE (`MAIL_DEFAULT_EMAIL`, `AUTH_CONFIRM_EMAIL_SECRET`) are environment variables
 * or constants, as in a config validator class or a Joi schema of `process.env`: never data fields.
 */
export function piiHint(name: string): boolean {
  if (name.length > 256) return false;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(name)) return false;
  const w = words(name);
  return PII_WORDS.some((seq) => {
    for (let i = 0; i + seq.length <= w.length; i++) {
      if (seq.every((s, j) => w[i + j] === s)) return true;
    }
    return false;
  });
}

/** Paths of authentication routes (login, registration, tokens, password resets). */
export const AUTH_ROUTE =
  /(^|\/)(login|log-in|logon|signin|sign-in|sign_in|signup|sign-up|sign_up|register|token|refresh(-tokens?)?|verify-email|forgot-password|reset-password|password-reset|password\/(forgot|reset)|otp|mfa|2fa|verify-otp|authenticate|sessions?)(\/|$)/i;
/** Paths of login routes (credentials in, token or session out). */
export const LOGIN_ROUTE = /(^|\/)(login|log-in|logon|signin|sign-in|sign_in|token|authenticate|sessions?)(\/|$)/i;

export type SecretHit = 'aws-key' | 'private-key' | 'connection-password' | 'api-token';

/** Kinds of secret-shaped content in a string literal (never the content itself). */
export function scanSecretText(text: string): SecretHit[] {
  const out: SecretHit[] = [];
  if (text.length < 16) return out;
  const kinds = secretKinds(text);
  for (const kind of ['aws-key', 'private-key', 'api-token'] as const) if (kinds.includes(kind)) out.push(kind);
  // The first URL with a user and a password, as before: a literal password, not a reference or placeholder.
  const u = urlUserinfos(text).find(
    (x) => x.userEnd > x.userStart && x.passwordEnd > x.passwordStart && text.slice(x.passwordStart, x.passwordEnd).indexOf('/') < 0,
  );
  const password = u ? text.slice(u.passwordStart, u.passwordEnd) : undefined;
  if (password !== undefined && !/^(\$\{.*\}|<.*>|\*+|password|pass|\$[A-Z_]+|%s)$/i.test(password) && !password.includes('${'))
    out.push('connection-password');
  return out;
}

/** Placeholder values that are not secrets (`changeme`, `<token>`, `${VAR}`, `xxx`). */
export function isPlaceholder(value: string): boolean {
  return /^(<.*>|\$\{.*\}|\{\{.*\}\}|changeme|change-me|change_me|xxx+|\*+|todo|your[-_ ].*|replace[-_]?me|secret|password|test|dev|example|dummy|none|null|undefined)$/i.test(
    value.trim(),
  );
}

/**
 * A literal shaped like an identifier, not a credential: camelCase or PascalCase words
 * (`incorrectPassword`, `createApiKey`), SCREAMING_SNAKE_CASE (`API_KEY_GHOSTFOLIO`), or lower-case
 * words joined by `-`, `_`, `.` or `:` (`secret_for_refresh`, `auth:token`). Error codes, permission
 * names, setting keys and placeholders look like this; a secret has digits or symbols in it, or is
 * one long run of letters.
 */
export function looksLikeIdentifier(value: string): boolean {
  return /^(?:[a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]+(?:[A-Z][a-z]+)+|[A-Z]+(?:_[A-Z]+)+|[a-z]+(?:[-_.:][a-z]+)+)$/.test(value);
}

/** A run of 16 or more letters and digits with both in it: a key or token, not a word or a number. */
function tokenLike(text: string): boolean {
  return (text.match(/[A-Za-z0-9]{16,}/g) ?? []).some((run) => /[A-Za-z]/.test(run) && /[0-9]/.test(run));
}

/**
 * Whether a value in a committed `.env` file is a literal secret. Not when empty or a placeholder
 * (`<…>`, `changeme`, `your-…`). A URL is one when a literal password is in its user part
 * (`amqp://app:literal@mq`, not `postgresql://user:${POSTGRES_PASSWORD}@db:5432/app`) or a key-like
 * run of letters and digits is in its user part, path or query (a webhook or DSN); a URL naming only
 * a host (`redis://localhost:6379`) is not. Any other value is one when something literal is left
 * once references to other variables (`${VAR}`, `$VAR`) are taken out.
 */
export function envValueIsLiteralSecret(raw: string): boolean {
  const value = raw.trim().replace(/^['"]|['"]$/g, '');
  if (value === '' || /^(<.*>|changeme|change-me|xxx+|\*+|todo|your[-_].*|replace[-_]?me)$/i.test(value)) return false;
  // `[^}$]` so a run of unclosed `${` is scanned once, not once per `${`.
  const REF = /\$\{[^}$]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;
  const url = /^[a-z][a-z0-9+.-]*:\/\/(.*)$/i.exec(value);
  if (url) {
    const rest = url[1]!;
    const user = /^([^:/@\s]*)(?::([^@\s]*))?@/.exec(rest);
    const password = (user?.[2] ?? '').replace(REF, '');
    if (password !== '' && !isPlaceholder(password)) return true;
    const pathAndQuery = (user ? rest.slice(user[0].length) : rest).replace(/^[^/?#]*/, '');
    return tokenLike((user?.[1] ?? '').replace(REF, '')) || tokenLike(pathAndQuery.replace(REF, ''));
  }
  const literal = value.replace(REF, '').replace(/[^A-Za-z0-9]/g, '');
  return literal !== '' && !isPlaceholder(literal);
}

/** A property or variable name that says it holds a credential (`jwtSecret`, `DB_PASSWORD`, `apiKey`). */
export function credentialName(name: string): boolean {
  if (name.length > 256) return false;
  const n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (/(^|_)(PUBLIC|PUBLISHABLE)(_|$)|_(NAME|FIELD|HEADER|ENV|VAR|PATH|FILE|URL_?TEMPLATE|LENGTH|ROUNDS|PREFIX|TYPE|ID)$/.test(n)) return false;
  // PWD alone (`const pwd = process.cwd()`) is a directory, not a password.
  return /(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|SECRET_KEY|CLIENT_SECRET|AUTH_TOKEN|SECRET_ACCESS_KEY)(_|$)|_PWD(_|$)|^PWD_/.test(
    n,
  );
}

/** The major version a locked version (`4.6.0`) or a simple range (`^4.6.0`, `~7.1`, `8.x`) pins; undefined for `>=4`, `*`, tags. */
export function majorOf(version: string | undefined): number | undefined {
  const m = version ? /^\s*[\^~=]?v?(\d+)(?:\.(?:\d+|x|\*)){0,2}(?:[-+][\w.-]+)?\s*$/.exec(version) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * helmet's HSTS max-age when the application does not set one: 180 days before helmet 5, 365 days
 * from helmet 5 on. Without a known major version, no number is stated.
 */
export function helmetHstsDefault(version: string | undefined): string {
  const major = majorOf(version);
  if (major === undefined) return "helmet's default";
  return `default (max-age ${major < 5 ? 180 : 365} days, helmet ${major})`;
}
