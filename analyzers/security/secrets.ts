/**
 * Secrets: where they come from (environment variable NAMES read by code or listed in `.env*`
 * files, secrets managers by import) and where one is written down (provider token shapes,
 * credential-named literals, literal fallbacks, private keys, committed `.env` values). Never a
 * secret's value: only names, and the file and line where a literal was seen.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { ClueString } from '../../src/analysis/clues.js';
import type { Call, Opt } from '../../src/analysis/sites.js';
import { credentialName, envValueIsLiteralSecret, isPlaceholder, looksLikeIdentifier, scanSecretText } from './patterns.js';
import { isSecretName } from '../../src/util/redact.js';
import { at, recordSecretEnv, type RunState, type SiteRules, type SiteScope } from './state.js';
import { idOf, parseId } from '../../src/model/ids.js';

const SECRET_MANAGERS: Record<string, string> = {
  '@aws-sdk/client-secrets-manager': 'AWS Secrets Manager',
  '@aws-sdk/client-ssm': 'AWS Systems Manager Parameter Store',
  '@aws-sdk/client-kms': 'AWS KMS',
  '@google-cloud/secret-manager': 'Google Secret Manager',
  '@google-cloud/kms': 'Google Cloud KMS',
  '@azure/keyvault-secrets': 'Azure Key Vault',
  'node-vault': 'HashiCorp Vault',
  'hashi-vault-js': 'HashiCorp Vault',
  '@infisical/sdk': 'Infisical',
  '@doppler/sdk': 'Doppler',
};

/** Describe where a secret comes from, without its value. */
export function secretSource(o: Opt | undefined): { source: string; env?: string; literal: boolean; fallback: boolean } | undefined {
  if (!o) return undefined;
  // `process.env.X || 'literal'`: the right side of a default is a constant string.
  const isFallback = o.right?.str !== undefined;
  if (o.env) return { source: `environment variable ${o.env}`, env: o.env, literal: false, fallback: isFallback };
  if (o.str !== undefined) return { source: 'string literal in source', literal: true, fallback: false };
  return { source: o.label ? `expression ${o.label}` : 'expression', literal: false, fallback: false };
}

/** `process.env.SECRET || 'literal'`: the literal is used whenever the variable is unset. */
export function secretFallback(s: SiteScope, where: { line: number }, env: string): void {
  s.c.add(idOf.security('finding', 'secret-fallback', s.file), 'finding', `Secret falls back to a literal in source when ${env} is unset`, at(s, where), {
    severity: 'medium',
    ...s.comp,
    details: { envVars: [env] },
  });
}

/** A string literal argument as written (`'JWT_SECRET'`), not a constant or an expression folded to one. */
function literalArg(o: Opt | undefined): string | undefined {
  const v = o?.str;
  if (v === undefined || o!.label !== undefined) return undefined;
  return o!.text === `'${v}'` || o!.text === `"${v}"` || o!.text === `\`${v}\`` ? v : undefined;
}

/** Secret-looking environment variable names read through a getter: `config.get('X')`, `env('X')`. */
function envCall(s: SiteScope, call: Call): void {
  if (!/(config|configService|env)\.(get|getOrThrow)$|^env$/i.test(call.name)) return;
  const n = literalArg(call.args[0]);
  if (n !== undefined && /^[A-Z][A-Z0-9_]*$/.test(n) && isSecretName(n)) recordSecretEnv(s.st, n, at(s, call));
}

/** Secret-shaped literals, credential-named properties and constants given a literal, literal fallbacks. */
function secretLiteral(s: SiteScope, str: ClueString): void {
  const { c, file, comp } = s;
  const { text } = str;
  for (const hit of scanSecretText(text)) {
    const e = at(s, str);
    if (hit === 'aws-key') {
      c.add(idOf.security('finding', 'aws-access-key', file), 'finding', 'AWS access key ID written in source', e, { severity: 'high', ...comp });
    } else if (hit === 'private-key') {
      c.add(idOf.security('finding', 'private-key', file), 'finding', 'Private key block written in source', e, { severity: 'high', ...comp });
    } else if (hit === 'api-token') {
      c.add(idOf.security('finding', 'api-token', file), 'finding', 'Provider API token written in source', e, { severity: 'high', ...comp });
    } else if (hit === 'connection-password') {
      c.add(idOf.security('finding', 'connection-string-password', file), 'finding', 'Connection string with an inline password written in source', e, {
        severity: 'medium',
        ...comp,
      });
    }
  }
  // A credential-named property or variable given a literal: { password: '…' }, const API_TOKEN = '…'.
  const ownerName = str.owner;
  // `{ secret: '…' }` passed to session(), JwtModule, Passport or NextAuth is reported by those rules.
  const handledOption = !!ownerName && /^(secret|secretOrKey|privateKey|keys)$/.test(ownerName) && !!str.option;
  // `const AUTH_TOKEN = 'auth:token'` is an injection token or marker, not a credential: a *TOKEN
  // name holding letters and separators only is left alone.
  const markerToken =
    !!ownerName && /(^|_)TOKEN$/.test(ownerName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()) && /^[A-Za-z]+([:._-][A-Za-z]+)*$/.test(text);
  // `{ password: 'incorrectPassword' }` (an error code), `createApiKey: 'createApiKey'` (a permission
  // name), `PROPERTY_API_KEY = 'API_KEY_X'` (a setting key): identifier-shaped, not credentials.
  if (
    ownerName &&
    !handledOption &&
    !markerToken &&
    credentialName(ownerName) &&
    text.length >= 8 &&
    !isPlaceholder(text) &&
    !looksLikeIdentifier(text) &&
    !/\s/.test(text.trim())
  ) {
    c.add(idOf.security('finding', 'literal-credential', file), 'finding', 'Credential-named value written in source', at(s, str), {
      severity: 'high',
      ...comp,
      details: { names: [ownerName] },
    });
  }
  const env = str.orEnv;
  if (env && isSecretName(env) && !/(_URL|_URI|_STRING)$/.test(env)) secretFallback(s, str, env);
}

export const secrets: SiteRules = {
  onImport(s, m, where) {
    const sm = SECRET_MANAGERS[m];
    if (sm) s.c.add(idOf.security('secrets-manager', m), 'data', `Secrets from ${sm}`, where, { tech: m, ...s.comp });
  },
  onCall: envCall,
  // process.env.X, import.meta.env['X']: secret-looking names only.
  onEnv(s, read) {
    if (isSecretName(read.name)) recordSecretEnv(s.st, read.name, at(s, read));
  },
  onString: secretLiteral,
};

/** `.env*` files (names only; values only judged, never kept) and committed key files. */
export function secretFiles(ctx: AnalyzerContext, st: RunState): void {
  const { c } = st;
  for (const file of ctx.files) {
    const base = file.split('/').pop()!;
    if (ctx.isSetAside(file)) continue;
    const isEnv = /^\.env(\..+)?$/.test(base) || base.endsWith('.env');
    const isKey = /\.(pem|key|p8|p12|pfx)$/.test(base) || /^id_(rsa|ecdsa|ed25519)$/.test(base);
    if (!isEnv && !isKey) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    const component = ctx.componentOf(file);
    const comp = component ? { component } : {};
    if (isKey) {
      const i = text.search(/-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/);
      if (i >= 0) {
        const line = text.slice(0, i).split('\n').length;
        c.add(
          idOf.security('finding', 'private-key', file),
          'finding',
          'Private key file committed to the repository',
          { file, line },
          { severity: 'high', ...comp },
        );
      }
      continue;
    }
    const example = /example|sample|template|dist|defaults?$/i.test(base);
    const names: string[] = [];
    let firstLine = 0;
    text.split('\n').forEach((l, i) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?!\s)(.*)$/.exec(l);
      if (!m) return;
      const name = m[1]!;
      if (!isSecretName(name)) return;
      recordSecretEnv(st, name, { file, line: i + 1 });
      // A real-looking value: not empty, not a placeholder like <...>, changeme, xxx, and not
      // only references to other variables (`postgresql://u:${POSTGRES_PASSWORD}@db/app`).
      if (!example && envValueIsLiteralSecret(m[2]!)) {
        names.push(name);
        if (!firstLine) firstLine = i + 1;
      }
    });
    if (names.length) {
      c.add(
        idOf.security('finding', 'env-file', file),
        'finding',
        `Environment file with values for secret-looking variables is committed (${names.length})`,
        { file, line: firstLine },
        { severity: 'medium', ...comp, details: { envVars: sortedUnique(names) } },
      );
    }
  }
}

/** `security:secrets:environment`: every secret-looking variable name read, with up to 40 places. */
export function secretsFromEnvironment(st: RunState): void {
  if (st.secretEnvs.size === 0) return;
  const names = [...st.secretEnvs.keys()].sort(compareStrings);
  const evidence = sortedEvidence([...st.secretEnvs.values()].flat());
  st.c.facts.set('security:secrets:environment', {
    id: 'security:secrets:environment',
    name: 'Secrets read from environment variables',
    category: 'data',
    evidence: evidence.slice(0, 40),
    details: { envVars: names },
  });
}

/** The credential-literal finding of a file names every property or constant it saw. */
export function nameLiteralCredentials(st: RunState): void {
  for (const f of st.c.facts.values()) {
    if (parseId(f.id)?.key.startsWith('finding:literal-credential:') && Array.isArray(f.details?.names)) {
      f.name = `Credential-named value written in source (${sortedUnique(f.details!.names as string[]).join(', ')})`;
    }
  }
}
