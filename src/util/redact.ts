/**
 * The one redaction layer: every string that leaves for the document, the model, stderr or an
 * annotation passes through `redactSecrets`, which replaces secret values with `***` and keeps
 * the rest readable (`redis://:***@cache:6379`, `--password=***`, `Authorization: Bearer ***`).
 *
 * The text is the analysed repository's, so an attacker's: every step is a hand-written scan or
 * a regular expression applied at one position to a bounded piece, and the whole is linear in
 * the length of the text. Deterministic: the same string always gives the same result, so ids
 * and the references to them still agree after redaction.
 */

/** What stands in for a secret value. */
export const MASK = '***';

// ---------------------------------------------------------------------------------------------
// Secret names

/** Settings about a secret, not the secret: JWT_ACCESS_EXPIRATION_MINUTES, PASSWORD_MIN_LENGTH, KEY_FILE, --password-stdin, tokenType. */
const SETTING_SUFFIX =
  /_(MINUTES|HOURS|DAYS|SECONDS|MS|EXPIRATION|EXPIRES_IN|EXPIRY|TTL|LENGTH|MIN_LENGTH|ROUNDS|ENABLED|ALGORITHM|ISSUER|AUDIENCE|HEADER|NAME|FILE|PATH|REF|STDIN|POLICY|TYPE)$/;
const SECRET_WORD =
  /SECRET|PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS($|_)|REQUIREPASS|_PWD($|_)|^PWD_|(^|_)PW($|_)|TOKEN|PRIVATE|CREDENTIAL|(^|_)DSN($|_)|API_?KEY|ACCESS_?KEY|AUTH_?KEY|SESSION_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|(^|_)SALT($|_)|WEBHOOK|CONNECTION_?STRING/;
const CONNECTION_URL = /(^|_)(DATABASE|DB|POSTGRES|PG|MYSQL|MONGO|MONGODB|REDIS|AMQP|RABBITMQ|CONNECTION)(_[A-Z]+)?_(URL|URI|STRING)$/;
/** Keys named `…_KEY` that are structure, not secrets. */
const STRUCTURAL_KEY =
  /(^|_)(PRIMARY|FOREIGN|SORT|PARTITION|HASH|RANGE|CACHE|IDEMPOTENCY|ROUTING|GROUP|LOOKUP|UNIQUE|COMPOSITE|INDEX|MAP|OBJECT|S3|BUCKET|PUBLIC|PUBLISHABLE)_KEY$/;

/** `jwtSecret`, `postgresql.auth.password`, `X-Api-Key`, `--stripe-key` → JWT_SECRET, POSTGRESQL_AUTH_PASSWORD, X_API_KEY, STRIPE_KEY. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/**
 * True when a name (an environment variable, a configuration key, a CLI flag, a header) says its
 * value is a secret or a credential-bearing URL: `JWT_SECRET`, `dbPassword`, `DB_PWD`, `api-key`,
 * `REDIS_URL`, `STRIPE_KEY`. Not settings about a secret (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`),
 * public keys of front-end builds (`NEXT_PUBLIC_…`), nor `PWD`, the shell's working directory.
 */
export function isSecretName(name: string): boolean {
  if (name.length > 256) return false;
  const n = normaliseName(name);
  if (n === '' || SETTING_SUFFIX.test(n)) return false;
  if (/(^|_)(PUBLIC|NEXT_PUBLIC|VITE)_/.test(n) && !/SECRET|PRIVATE|PASSWORD/.test(n)) return false;
  if (/(^|_)BYPASS($|_)/.test(n) && !SECRET_WORD.test(n.replace(/BYPASS/g, ''))) return false;
  return (
    SECRET_WORD.test(n) ||
    CONNECTION_URL.test(n) ||
    /^(DATABASE_URL|MONGO_URL|MONGODB_URI|REDIS_URL|AMQP_URL)$/.test(n) ||
    (/(_|^)KEY$/.test(n) && !STRUCTURAL_KEY.test(n))
  );
}

/** Answers of `secretNameKind` already worked out: a long text repeats its words. Cleared when full, so memory stays bounded. */
const NAME_KINDS = new Map<string, number>();

/**
 * 0 for a name that is not a secret's; 1 for a secret's that is not a field's; 2 for a field's.
 * A secret's name says its value is a secret itself, not a URL that may carry one (those are
 * redacted by their shape). A bare `key` is a secret's name as a flag or a query key (`--key x`,
 * `?key=x`) but not as a field in `name: value` or `name = value`, where it is structure far more
 * often (`secretKeyRef: {name: db, key: password}`, an S3 state `key`).
 */
function secretNameKind(name: string): number {
  if (name.length > 256) return 0;
  let kind = NAME_KINDS.get(name);
  if (kind === undefined) {
    const n = normaliseName(name);
    kind = !isSecretName(name) || /(^|_)(URL|URI|DSN|HOST|ENDPOINT|ADDR|ADDRESS)$/.test(n) ? 0 : n === 'KEY' ? 1 : 2;
    if (NAME_KINDS.size >= 4096) NAME_KINDS.clear();
    NAME_KINDS.set(name, kind);
  }
  return kind;
}

/** A name whose value is a secret: `--password`, `API_KEY`, `?key=`. */
function isSecretValueName(name: string): boolean {
  return secretNameKind(name) > 0;
}

/** A field name in `name: value` or `name = value` whose value is a secret: `password:`, not `key:`. */
function isSecretFieldName(name: string): boolean {
  return secretNameKind(name) === 2;
}

// ---------------------------------------------------------------------------------------------
// Values that are not secrets

/** A reference to a secret kept elsewhere, a placeholder or an earlier mask: never redacted. */
function isReference(value: string): boolean {
  const c = value.charCodeAt(0);
  if (value === '' || value === MASK) return true;
  // $VAR, ${VAR}, ${{ secrets.X }}, $(cat file), {{ .Values.x }}, %s, %(name)s
  if (c === 36 /* $ */ || c === 37 /* % */) return true;
  if (value.startsWith('{{')) return true;
  if (c === 60 /* < */ && value.endsWith('>')) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Character classes (by code, so the scans need no regular expression)

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isUpperOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isWordish(c: number): boolean {
  return isAlnum(c) || c === 95 /* _ */;
}
function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45 /* - */;
}
function isDottedToken(c: number): boolean {
  return isTokenChar(c) || c === 46 /* . */;
}
function isBase64(c: number): boolean {
  return isTokenChar(c) || c === 46 || c === 43 /* + */ || c === 47 /* / */ || c === 61 /* = */;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
/** Characters of a key in `key=value`: `api_key`, `stripe.key`, `--password`. */
function isKeyChar(c: number): boolean {
  return isTokenChar(c) || c === 46;
}

// ---------------------------------------------------------------------------------------------
// Well-known credential formats

interface TokenShape {
  kind: 'aws-key' | 'api-token';
  prefix: string;
  /** Characters of the whole token, prefix included; a token must start a run of them. */
  chars: (c: number) => boolean;
  /** Whether the run `token` (prefix included) is a credential of this shape. */
  accept: (token: string) => boolean;
  /** Keep the prefix readable (`sk_live_***`); false masks the whole token. */
  keepPrefix: boolean;
  /** The prefix is a host and path, found inside a URL (no run has to start with it). */
  inUrl?: boolean;
}

const atLeast = (n: number) => (t: string) => t.length >= n;
const mixed = (t: string) => /[0-9]/.test(t) && /[A-Z]/.test(t) && /[a-z]/.test(t);

const SHAPES: TokenShape[] = [
  { kind: 'aws-key', prefix: 'AKIA', chars: isUpperOrDigit, accept: (t) => t.length === 20, keepPrefix: true },
  { kind: 'aws-key', prefix: 'ASIA', chars: isUpperOrDigit, accept: (t) => t.length === 20, keepPrefix: true },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({
    kind: 'api-token' as const,
    prefix,
    chars: isWordish,
    accept: atLeast(prefix.length + 30),
    keepPrefix: true,
  })),
  { kind: 'api-token', prefix: 'github_pat_', chars: isWordish, accept: atLeast(11 + 22), keepPrefix: true },
  { kind: 'api-token', prefix: 'glpat-', chars: isTokenChar, accept: atLeast(6 + 20), keepPrefix: true },
  ...['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xapp-'].map((prefix) => ({
    kind: 'api-token' as const,
    prefix,
    chars: isTokenChar,
    accept: atLeast(prefix.length + 10),
    keepPrefix: true,
  })),
  ...['sk_live_', 'rk_live_', 'pk_live_', 'sk_test_', 'rk_test_', 'whsec_'].map((prefix) => ({
    kind: 'api-token' as const,
    prefix,
    chars: isWordish,
    accept: atLeast(prefix.length + 8),
    keepPrefix: true,
  })),
  { kind: 'api-token', prefix: 'AIza', chars: isTokenChar, accept: atLeast(4 + 30), keepPrefix: true },
  {
    kind: 'api-token',
    prefix: 'SG.',
    chars: isDottedToken,
    accept: (t) => {
      const p = t.split('.');
      return p.length === 3 && p[1]!.length >= 10 && p[2]!.length >= 10;
    },
    keepPrefix: true,
  },
  { kind: 'api-token', prefix: 'npm_', chars: isWordish, accept: atLeast(4 + 30), keepPrefix: true },
  // A JWT or any base64 JSON (eyJ is `{"`): a signed token, or a docker config with its auths.
  { kind: 'api-token', prefix: 'eyJ', chars: isBase64, accept: atLeast(16), keepPrefix: false },
  // OpenAI, Anthropic and others: sk-…, sk-proj-…, sk-ant-… with mixed case and digits.
  { kind: 'api-token', prefix: 'sk-', chars: isTokenChar, accept: (t) => t.length >= 3 + 32 && mixed(t), keepPrefix: true },
  {
    kind: 'api-token',
    prefix: 'SK',
    chars: isAlnum,
    accept: (t) => t.length === 34 && [...t.slice(2)].every((ch) => isHex(ch.charCodeAt(0))),
    keepPrefix: true,
  },
  { kind: 'api-token', prefix: 'ya29.', chars: isDottedToken, accept: atLeast(5 + 20), keepPrefix: true },
  { kind: 'api-token', prefix: 'GOCSPX-', chars: isTokenChar, accept: atLeast(7 + 20), keepPrefix: true },
  ...['shpat_', 'shpss_', 'shpca_', 'shppa_'].map((prefix) => ({
    kind: 'api-token' as const,
    prefix,
    chars: isWordish,
    accept: atLeast(prefix.length + 20),
    keepPrefix: true,
  })),
  { kind: 'api-token', prefix: 'dop_v1_', chars: isWordish, accept: atLeast(7 + 40), keepPrefix: true },
  { kind: 'api-token', prefix: 'hf_', chars: isWordish, accept: (t) => t.length >= 3 + 30 && /^hf_[A-Za-z]+$/.test(t), keepPrefix: true },
  { kind: 'api-token', prefix: 'pypi-', chars: isTokenChar, accept: atLeast(5 + 50), keepPrefix: true },
  { kind: 'api-token', prefix: 'AGE-SECRET-KEY-', chars: (c) => isUpperOrDigit(c) || c === 45, accept: atLeast(15 + 20), keepPrefix: true },
  // Webhook URLs whose path is the credential.
  {
    kind: 'api-token',
    prefix: 'hooks.slack.com/services/',
    chars: (c) => isAlnum(c) || c === 47 || c === 46,
    accept: atLeast(25 + 20),
    keepPrefix: true,
    inUrl: true,
  },
  {
    kind: 'api-token',
    prefix: 'discord.com/api/webhooks/',
    chars: (c) => isTokenChar(c) || c === 47 || c === 46,
    accept: atLeast(25 + 20),
    keepPrefix: true,
    inUrl: true,
  },
];

/** One search for every prefix: literal alternatives only, so each attempt is bounded. */
const PREFIXES = new RegExp([...new Set(SHAPES.map((s) => s.prefix))].map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');

/** Each well-known credential in `text`: [start of the masked part, end, kind]. */
function vendorTokens(text: string): [number, number, TokenShape['kind']][] {
  const out: [number, number, TokenShape['kind']][] = [];
  // Where the last scanned run of each character class ended: a run is scanned once however many
  // prefixes it holds, so the search is linear.
  const runEnd = new Map<TokenShape['chars'], [number, number]>();
  PREFIXES.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PREFIXES.exec(text)) !== null) {
    const start = m.index;
    let next = start + 1;
    for (const shape of SHAPES) {
      if (!text.startsWith(shape.prefix, start)) continue;
      // The token must start its run (`xAKIA…` is not a key id).
      if (!shape.inUrl && start > 0 && shape.chars(text.charCodeAt(start - 1))) continue;
      const cached = runEnd.get(shape.chars);
      let end: number;
      if (cached && cached[0] <= start && start < cached[1]) end = cached[1];
      else {
        end = start;
        while (end < text.length && shape.chars(text.charCodeAt(end))) end++;
        runEnd.set(shape.chars, [start, end]);
      }
      // A run far longer than any credential is not one (and is not sliced into a string).
      if (end - start > 16384 || !shape.accept(text.slice(start, end))) continue;
      out.push([shape.keepPrefix ? start + shape.prefix.length : start, end, shape.kind]);
      next = end;
      break;
    }
    PREFIXES.lastIndex = Math.max(next, start + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Private key blocks

const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

/** Each private key block's body: [start, end] of what lies between its BEGIN and END lines. */
function privateKeyBodies(text: string): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (;;) {
    const begin = text.indexOf(PEM_BEGIN, from);
    if (begin < 0) return out;
    const close = text.indexOf('-----', begin + PEM_BEGIN.length);
    if (close < 0) return out;
    const label = text.slice(begin + PEM_BEGIN.length, close);
    from = close + 5;
    if (label.length > 64 || !label.endsWith('PRIVATE KEY')) continue;
    const end = text.indexOf(PEM_END, from);
    out.push([from, end < 0 ? text.length : end]);
    if (end < 0) return out;
    from = end + PEM_END.length;
  }
}

// ---------------------------------------------------------------------------------------------
// URLs with credentials

export interface UrlUserinfo {
  /** Offsets of the user part and of the password (after its colon; equal when there is none). */
  userStart: number;
  userEnd: number;
  passwordStart: number;
  passwordEnd: number;
}

/**
 * Every `scheme://user:password@host` in `text` (also `://:password@` and `://user@`): where the
 * user and the password are. Each scan stops at the next `/`, so every character is looked at a
 * bounded number of times.
 */
export function urlUserinfos(text: string): UrlUserinfo[] {
  const out: UrlUserinfo[] = [];
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep < 0) return out;
    const start = sep + 3;
    let at = -1;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ || isSpace(c) || c === 34 || c === 39 || c === 96 || c === 60 || c === 62) break;
      if (c === 64 /* @ */) at = i;
    }
    from = Math.max(i, start);
    if (at < 0) continue;
    const colon = text.indexOf(':', start);
    if (colon >= 0 && colon < at) out.push({ userStart: start, userEnd: colon, passwordStart: colon + 1, passwordEnd: at });
    else out.push({ userStart: start, userEnd: at, passwordStart: at, passwordEnd: at });
  }
}

/** A run of 16 or more letters and digits with both in it: a key or token, not a word or a number. */
export function tokenLike(text: string): boolean {
  let run = 0;
  let letters = false;
  let digits = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (isAlnum(c)) {
      run++;
      if (c <= 57) digits = true;
      else letters = true;
      continue;
    }
    if (run >= 16 && letters && digits) return true;
    run = 0;
    letters = digits = false;
  }
  return false;
}

/**
 * True when `text` holds a URL with a literal password (`postgres://app:hunter2@db`, `redis://:pw@cache`),
 * not a reference (`postgres://app:${DB_PASSWORD}@db`) nor a placeholder (`<password>`).
 */
export function hasUrlPassword(text: string): boolean {
  return urlUserinfos(text).some((u) => u.passwordEnd > u.passwordStart && !isReference(text.slice(u.passwordStart, u.passwordEnd)));
}

// ---------------------------------------------------------------------------------------------
// The scan

/** Commands whose short flags carry a password: `mysql -pX`, `redis-cli -a X`, `curl -u user:pw`. */
const PASSWORD_P = new Set([
  'mysql',
  'mysqladmin',
  'mysqldump',
  'mysqlcheck',
  'mysqlimport',
  'mysqlsh',
  'mariadb',
  'mariadb-admin',
  'mariadb-dump',
  'sshpass',
  'login',
]);
const PASSWORD_A = new Set(['redis-cli', 'keydb-cli', 'valkey-cli']);
const USER_COLON = new Set(['curl', 'wget', 'http', 'https', 'xh', 'lftp']);
/** `sqlcmd -P X` (for mysql, `-P` is the port). */
const PASSWORD_CAP_P = new Set(['sqlcmd', 'bcp', 'osql']);
/** `ldapsearch -w X` (`-W` asks for it). */
const PASSWORD_W = new Set(['ldapsearch', 'ldapadd', 'ldapmodify', 'ldapdelete', 'ldapmodrdn', 'ldappasswd', 'ldapwhoami', 'ldapcompare', 'ldapexop']);
const AUTH_SCHEMES = new Set([
  'bearer',
  'basic',
  'token',
  'digest',
  'bot',
  'apikey',
  'api-key',
  'key',
  'oauth',
  'jwt',
  'sso-key',
  'negotiate',
  'ntlm',
  'hoba',
  'mutual',
  'aws4-hmac-sha256',
]);
const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Characters that wrap a word without being part of it: quotes, brackets, braces, commas, escapes. */
function isWrapper(c: number): boolean {
  return c === 34 || c === 39 || c === 96 || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 44 || c === 59 || c === 92;
}

/**
 * Characters that end a word as a space does: quotes, commas and brackets, so an exec-form array
 * (`["app","--token","x"]`) and JSON (`{"password":"x"}`) are read word by word. Not braces, which
 * are only trimmed: `{{ .Values.password }}` stays one reference.
 */
function isWordBreak(c: number): boolean {
  return isSpace(c) || c === 34 || c === 39 || c === 96 || c === 44 || c === 91 || c === 93;
}

/** A value after `Bearer` that looks like a credential, not a word of prose (`Bearer token`). */
function credentialLike(value: string): boolean {
  if (value.length >= 20) return true;
  return value.length >= 6 && /[0-9_.+/=~-]/.test(value);
}

/** What the next word is: a secret, perhaps one (after `Bearer`), one if quoted (after `=>`), an auth scheme or `user:password`. */
type Pending = 'none' | 'value' | 'maybe' | 'quoted' | 'auth' | 'userpass';

interface Edit {
  start: number;
  end: number;
}

/**
 * Query and form keys whose value is a credential though the name does not say so: signatures,
 * `?auth=`, `?jwt=` and the PKCE verifier. Not `code`: an OAuth authorisation code is single-use
 * and worthless without the client's secret, and `?code=` is far more often a country or an error.
 */
const SECRET_QUERY_KEY = new Set(['sig', 'signature', 'x-amz-signature', 'code_verifier', 'auth', 'jwt']);

/**
 * Mask `key=value` pairs inside one word whose key is secret-like: `--password=x`, `?api_key=x&sig=y`,
 * `AccountKey=x;`, and the assignments `KEY?=x`, `key:=x`, `key+=x`, `key=>x`. Returns where the
 * line is to be read on: past `end` when a quoted value went on beyond the word.
 */
function keyValueEdits(text: string, start: number, end: number, lineEnd: number, edits: Edit[]): number {
  let keyStart = start;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 61 /* = */) {
      // `?=`, `:=`, `+=`: the key ends before the operator.
      const op = (c === 63 || c === 58 || c === 43) && i + 1 < end && text.charCodeAt(i + 1) === 61;
      if (!isKeyChar(c) && !op) keyStart = i + 1;
      i++;
      continue;
    }
    const prev = i > start ? text.charCodeAt(i - 1) : 0;
    const keyEnd = prev === 63 || prev === 58 || prev === 43 ? i - 1 : i;
    const key = text.slice(keyStart, keyEnd).replace(/^-+/, '');
    // `Pwd=` is a password in a connection string (`…;Uid=app;Pwd=x`), the working directory elsewhere.
    const connectionPwd = /^pwd$/i.test(key) && keyStart > start && text.charCodeAt(keyStart - 1) === 59;
    if (key === '' || !(isSecretValueName(key) || connectionPwd || SECRET_QUERY_KEY.has(key.toLowerCase()))) {
      // Only a secret's value is scanned, so each character is scanned once.
      keyStart = i + 1;
      i++;
      continue;
    }
    // `key=>"x"`: the arrow is the operator; unquoted, it is more likely a function (`token=>token.trim()`).
    if (i + 1 < end && text.charCodeAt(i + 1) === 62 /* > */) {
      const q = text.charCodeAt(i + 2);
      if (q !== 34 && q !== 39) {
        keyStart = i + 2;
        i += 2;
        continue;
      }
      i++;
    }
    // `API_KEY="x"`: the value inside its quotes, spaces and all (`--password='two words'`).
    const q = text.charCodeAt(i + 1);
    const quoted = q === 34 || q === 39;
    const vs = quoted ? i + 2 : i + 1;
    let j = vs;
    while (j < (quoted ? lineEnd : end)) {
      const v = text.charCodeAt(j);
      if (quoted ? v === q : v === 38 /* & */ || v === 59 /* ; */ || v === 44 /* , */ || v === 34 || v === 39 || v === 96 || v === 41 || v === 93 || v === 125)
        break;
      j++;
    }
    if (!isReference(text.slice(vs, j))) edits.push({ start: vs, end: j });
    // A quoted value that went past this word: the line is read on after its closing quote.
    if (j >= end) return Math.min(j + 1, lineEnd);
    i = Math.max(j, i + 1);
    keyStart = i;
  }
  return end;
}

/** Mask what follows the first colon in `text[from, end)`: the password of `user:password`. */
function passwordAfterColon(text: string, from: number, end: number, edits: Edit[]): void {
  let colon = from;
  while (colon < end && text.charCodeAt(colon) !== 58) colon++;
  if (colon >= end) return;
  if (!isReference(text.slice(colon + 1, end))) edits.push({ start: colon + 1, end });
}

/** The edits that mask the secrets in one line. */
function lineEdits(text: string, lineStart: number, lineEnd: number, edits: Edit[]): void {
  // Pairs and URLs are read in each word between spaces, quotes and all (`API_KEY="x"`).
  let i = lineStart;
  while (i < lineEnd) {
    while (i < lineEnd && isSpace(text.charCodeAt(i))) i++;
    const wordStart = i;
    while (i < lineEnd && !isSpace(text.charCodeAt(i))) i++;
    if (i === wordStart) break;
    i = keyValueEdits(text, wordStart, i, lineEnd, edits);
    for (const u of urlUserinfos(text.slice(wordStart, i))) {
      if (u.passwordEnd > u.passwordStart) {
        if (!isReference(text.slice(wordStart + u.passwordStart, wordStart + u.passwordEnd)))
          edits.push({ start: wordStart + u.passwordStart, end: wordStart + u.passwordEnd });
      } else if (tokenLike(text.slice(wordStart + u.userStart, wordStart + u.userEnd))) {
        edits.push({ start: wordStart + u.userStart, end: wordStart + u.userEnd });
      }
    }
  }

  // Flags, headers and `name: value` are read in words split at quotes, commas and brackets too.
  let pending: Pending = 'none';
  let lastSecretName = false;
  let lastHeader = '';
  let afterSet = false;
  const commands = new Set<string>();
  i = lineStart;
  while (i < lineEnd) {
    while (i < lineEnd && isWordBreak(text.charCodeAt(i))) i++;
    if (i >= lineEnd) break;
    const wordStart = i;
    while (i < lineEnd && !isWordBreak(text.charCodeAt(i))) i++;
    const wordEnd = i;
    // The word without its wrapping brackets, braces and semicolons.
    let cs = wordStart;
    let ce = wordEnd;
    while (cs < ce && isWrapper(text.charCodeAt(cs))) cs++;
    while (ce > cs && isWrapper(text.charCodeAt(ce - 1))) ce--;
    const core = text.slice(cs, ce);
    const before = wordStart > lineStart ? text.charCodeAt(wordStart - 1) : 0;
    const opensQuote = before === 34 || before === 39 ? before : 0;

    if (pending !== 'none' && core !== '' && !core.startsWith('--')) {
      const was = pending;
      pending = 'none';
      if (isReference(core) || core.startsWith('${')) continue;
      // `pulumi config set --secret dbPassword x`: a name first, then its value.
      if (was === 'value' && core.length <= 64 && /^(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/.test(core) && isSecretValueName(core)) {
        pending = 'value';
        continue;
      }
      if (was === 'auth' && AUTH_SCHEMES.has(core.toLowerCase())) {
        pending = 'value';
        continue;
      }
      if (was === 'userpass') {
        passwordAfterColon(text, cs, ce, edits);
        continue;
      }
      if ((was === 'maybe' && !credentialLike(core)) || (was === 'quoted' && opensQuote === 0)) {
        lastSecretName = false;
        continue;
      }
      // `--password "two words"`: the whole quoted value, up to its closing quote.
      if (opensQuote !== 0 && !(wordEnd < lineEnd && text.charCodeAt(wordEnd) === opensQuote)) {
        let close = wordEnd;
        while (close < lineEnd && text.charCodeAt(close) !== opensQuote) close++;
        edits.push({ start: cs, end: close });
        i = close + 1;
      } else edits.push({ start: cs, end: ce });
      continue;
    }
    pending = 'none';
    if (core === '') continue;

    const lower = core.toLowerCase();
    const base = lower.slice(lower.lastIndexOf('/') + 1);
    if (PASSWORD_P.has(base) || PASSWORD_A.has(base) || USER_COLON.has(base) || PASSWORD_CAP_P.has(base) || PASSWORD_W.has(base)) commands.add(base);
    const has = (set: Set<string>) => [...commands].some((c) => set.has(c));

    // `password = x`, `PASSWORD ?= x`, `token := x`, `{name: X-Api-Key, value: x}`, `{"password": "x"}`.
    if (lastSecretName && (core === '=' || core === ':' || core === '?=' || core === ':=' || core === '+=' || lower === 'value:')) {
      pending = 'value';
      lastSecretName = false;
      continue;
    }
    // `password => "x"`: only a quoted value, since `token => token.trim()` is a function.
    if (lastSecretName && core === '=>') {
      pending = 'quoted';
      lastSecretName = false;
      continue;
    }
    // `{"name":"DB_PASSWORD","value":"x"}`: the value of the named variable.
    if (lastSecretName && lower === 'value') continue;
    lastSecretName = false;
    // `{"Authorization": "Bearer x"}`.
    if (core === ':' && lastHeader !== '') {
      pending = lastHeader.endsWith('authorization') ? 'auth' : 'value';
      lastHeader = '';
      continue;
    }
    lastHeader = '';
    if (afterSet && isSecretValueName(core) && !core.includes('=')) {
      afterSet = false;
      pending = 'value';
      continue;
    }
    // `set TOKEN x`, and fish's `set -x TOKEN x`.
    afterSet = lower === 'set' || (afterSet && core.charCodeAt(0) === 45);

    if (core.charCodeAt(0) === 45 /* - */) {
      const eq = core.indexOf('=');
      const flag = core.slice(0, eq < 0 ? core.length : eq).replace(/^-+/, '');
      // `curl --user=admin:x`: the user stays, the password goes.
      if (eq >= 0) {
        if ((flag === 'user' || flag === 'proxy-user') && has(USER_COLON)) passwordAfterColon(text, cs + eq + 1, ce, edits);
        continue;
      }
      if (core.startsWith('--')) {
        if (isSecretValueName(flag)) pending = 'value';
        else if ((flag === 'user' || flag === 'proxy-user') && has(USER_COLON)) pending = 'userpass';
        else if (flag === 'header') pending = 'none';
        continue;
      }
      // Short flags only mean a password after the commands that use them so: `-p x` or `-px`.
      const letter = flag.charAt(0);
      const attached = flag.length > 1 && !isReference(flag.slice(1));
      const valueAt = cs + core.indexOf(letter) + 1;
      const means = (l: string, set: Set<string>) => letter === l && has(set);
      if (means('p', PASSWORD_P) || means('a', PASSWORD_A) || means('P', PASSWORD_CAP_P) || means('w', PASSWORD_W)) {
        if (flag.length === 1) pending = 'value';
        else if (attached) edits.push({ start: valueAt, end: ce });
      } else if ((letter === 'u' || letter === 'U') && has(USER_COLON)) {
        if (flag.length === 1) pending = 'userpass';
        else passwordAfterColon(text, valueAt, ce, edits);
      }
      continue;
    }

    // A header or `key:` pair: `Authorization: Bearer x`, `X-Api-Key: x`, `password: x`, `password:x`.
    const colon = core.indexOf(':');
    if (colon > 0) {
      const name = core.slice(0, colon);
      const rest = core.slice(colon + 1);
      const nameLower = name.toLowerCase();
      if (AUTH_HEADERS.has(nameLower)) {
        if (rest === '') pending = nameLower.endsWith('authorization') ? 'auth' : 'value';
        else if (AUTH_SCHEMES.has(rest.toLowerCase())) pending = 'value';
        else if (!isReference(rest)) edits.push({ start: cs + colon + 1, end: ce });
        continue;
      }
      if (rest === '') {
        if (isSecretFieldName(name)) pending = 'value';
      } else if (isSecretFieldName(name) && plainName(name) && rest.charCodeAt(0) !== 47 /* / */ && !isReference(rest)) {
        // `password:x` with no space; not `secret.yaml:12`, a file and line, nor `token://`.
        edits.push({ start: cs + colon + 1, end: ce });
      }
      continue;
    }

    if (lower === 'bearer' || lower === 'basic') {
      pending = 'maybe';
      continue;
    }
    if (AUTH_HEADERS.has(lower)) lastHeader = lower;
    lastSecretName = isSecretFieldName(core);
  }
}

/** A name of letters, digits, `_` and `-` only: a key, not a file name or a path. */
function plainName(name: string): boolean {
  for (let k = 0; k < name.length; k++) if (!isTokenChar(name.charCodeAt(k))) return false;
  return true;
}

/**
 * `text` with every secret value it holds replaced by `***`: credentials in URLs, values of
 * secret-named flags, `key=value`, `key: value` and `key := value` pairs (in JSON and exec-form
 * arrays too), HTTP authorisation headers, `curl -u`, `mysql -p`, `redis-cli -a`, `sqlcmd -P`,
 * `ldapsearch -w`, well-known key and token formats, and private key blocks.
 * Linear in the length of `text`; the same text always gives the same result.
 */
export function redactSecrets(text: string): string {
  const edits: Edit[] = [];
  for (const [start, end] of privateKeyBodies(text)) edits.push({ start, end });
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    lineEdits(text, lineStart, lineEnd, edits);
    lineStart = lineEnd + 1;
  }
  for (const [start, end] of vendorTokens(text)) edits.push({ start, end });
  if (edits.length === 0) return text;
  return applyEdits(text, edits);
}

/** Replace each edited range (merged where they overlap) by the mask. */
function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.end <= e.start) continue;
    if (e.start < at) {
      // Overlaps a mask already written: extend it.
      if (e.end > at) at = e.end;
      continue;
    }
    parts.push(text.slice(at, e.start), MASK);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Kinds of secret-shaped content in a text (never the content itself). */
export function secretKinds(text: string): ('aws-key' | 'private-key' | 'api-token')[] {
  const kinds = new Set<'aws-key' | 'private-key' | 'api-token'>();
  if (privateKeyBodies(text).length > 0) kinds.add('private-key');
  for (const [, , kind] of vendorTokens(text)) kinds.add(kind);
  return [...kinds];
}

// ---------------------------------------------------------------------------------------------
// The layer

/**
 * A copy of `value` with every string in it (object keys too) redacted: applied once to the
 * finished model, so the document, `model --json`, the warnings on stderr and annotations are
 * all covered by one walk. Strings are cached, so a repeated id gives the same result cheaply.
 */
export function redactDeep<T>(value: T): T {
  const seen = new Map<string, string>();
  const one = (s: string): string => {
    let r = seen.get(s);
    if (r === undefined) {
      r = redactSecrets(s);
      seen.set(s, r);
    }
    return r;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return one(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[one(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
