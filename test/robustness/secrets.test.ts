/**
 * Secrets never leak. fixtures/leaky-secrets is a repository full of realistic FAKE secrets in
 * every place they get committed; the whole CLI runs on a copy, and every output (the document
 * and anything else written beside it, `model --json`, every warning on stderr) is searched for
 * each secret value and its decoded forms. Names of variables may appear; values never.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers.js';
import { cleanTemps, copyInto, hasAnalyzer, probeConfig, runCli } from './harness.js';

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** Where each fake secret lives, and the value that must never be printed. */
const SECRETS: [where: string, value: string][] = [
  ['.env DATABASE_URL password', 'dotenv-Pa55w0rd-4471'],
  ['.env SESSION_SECRET', 'dotenv-session-9f8e7d6c5b'],
  ['.env AWS_ACCESS_KEY_ID', 'AKIAQDOTENVFAKE00001'],
  ['.env AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYdotenvFAKE1'],
  ['.env REDIS_URL password', 'dotenv-redis-pw-5150'],
  ['.env.production DATABASE_URL password', 'prod-dotenv-pw-7788'],
  ['.env.production STRIPE_SECRET_KEY', 'sk_live_51ProdDotenvFAKEa1b2c3d4e5f6'],
  ['compose DATABASE_URL password', 'Pg-Compose-Pw-5521'],
  ['compose STRIPE_SECRET_KEY', 'sk_live_51HcomposeFAKEa9d8f7e6c5b4a3'],
  ['compose list-style JWT_SECRET', 'compose-jwt-secret-7c2e91'],
  ['compose list-style AWS_SECRET_ACCESS_KEY', 'composeAwsSecretFAKE/abcdefghijklmnop12'],
  ['compose POSTGRES_PASSWORD', 'Xq7-compose-pg-pass-93f1'],
  ['compose redis --requirepass', 'compose-redis-requirepass-6060'],
  ['Dockerfile ARG NPM_TOKEN', 'npm-arg-token-1188abcd'],
  ['Dockerfile ENV API_SECRET', 'Dkf3nvS3cret-3390-qq'],
  ['k8s Secret data DB_PASSWORD (base64)', 'azhzLWRhdGEtZGItcGFzcy04ODQx'],
  ['k8s Secret data DB_PASSWORD (decoded)', b64('azhzLWRhdGEtZGItcGFzcy04ODQx')],
  ['k8s Secret data STRIPE_SECRET_KEY (base64)', 'c2tfbGl2ZV81MUs4c0RhdGFGQUtFMTIzNDU2Nzg='],
  ['k8s Secret data STRIPE_SECRET_KEY (decoded)', b64('c2tfbGl2ZV81MUs4c0RhdGFGQUtFMTIzNDU2Nzg=')],
  ['k8s Secret stringData API_TOKEN', 'k8s-stringdata-token-2f9a'],
  ['k8s Secret stringData config.json webhookSecret', 'k8s-stringdata-webhook-4d4d'],
  ['k8s dockerconfigjson (base64)', 'eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJhMmh6TFhKbFoybHpkSEo1TFhCM0xUa3hPVEU9In19fQ=='],
  ['k8s dockerconfigjson auth (decoded once)', 'a2hzLXJlZ2lzdHJ5LXB3LTkxOTE='],
  ['k8s dockerconfigjson registry password (decoded twice)', 'khs-registry-pw-9191'],
  ['k8s Deployment literal env PAYMENT_API_KEY', 'k8s-inline-env-secret-66b2'],
  ['Helm values postgresql.auth.password', 'hVp7-2271-zzq-pass'],
  ['Helm values secrets.jwtSecret', 'hVj9-9a9a-jwtq-x'],
  ['Terraform provider access_key', 'AKIAQTFPROVIDERFAKE1'],
  ['Terraform provider secret_key', 'tfProviderSecretKeyFAKE/abcdefghijklmnopq'],
  ['Terraform variable default api_key', 'tf-default-apikey-7731'],
  ['Terraform aws_db_instance password', 'tf-inline-rds-pass-4410'],
  ['Terraform secret_string', 'sk_live_51TfSecretStringFAKE0099'],
  ['terraform.tfvars db_password', 'tfvars-db-Pw-0092'],
  ['terraform.tfvars api_key', 'tfvars-apikey-6161'],
  ['prod.auto.tfvars db_password', 'tfvars-prod-db-Pw-3030'],
  ['Prisma datasource literal url password', 'prisma-literal-pw-6620'],
  ['config/default.json db.password', 'json-config-pw-5512'],
  ['config/default.json mongoUrl password', 'json-mongo-pw-1414'],
  ['config/broken.json password beside a syntax error', 'smtp-broken-json-pw-4242'],
  ['config/production.yaml amqp password', 'yaml-amqp-pw-8803'],
  ['config/production.yaml Sentry DSN key', 'yamlSentryKeyFAKE0a1b2c3d4'],
  ['config/production.yaml smtp password', 'yaml-smtp-pw-2020'],
  ['serverless.yml STRIPE_KEY', 'sls-stripe-sk-live-5501'],
  ['serverless.yml DB_URL password', 'sls-db-pw-9902'],
  ['workflow env DEPLOY_TOKEN', 'gha-literal-token-7781'],
  ['workflow step AWS_SECRET_ACCESS_KEY', 'ghaAwsSecretFAKE/abcdefghijklmnopqr34'],
  ['keys/server.key private key body', 'MIIEpAIBAAKCAQEAleakyFIXTUREfakeKEYmaterial'],
  ['inline PRIVATE KEY block in code', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCinlineCODEfakeKEYmaterial'],
  ['JWT secret constant in code', 'jwt-code-secret-b7d3e1'],
  ['passport-jwt secretOrKey in code', 'jwt-signing-c0ffee42'],
  ['JWT fallback secret in code', 'fallback-jwt-secret-e5e5'],
  ['pg connection string password in code', 'code-pg-pw-7720'],
  ['MongoDB connection string password in code', 'mongo-code-pw-3318'],
  ['Redis URL password in code', 'redis-code-pw-1207'],
  ['AWS access key id in code', 'AKIAQCODEFAKEKEY0001'],
  ['AWS secret access key in code', 'codeAwsSecretFAKE/abcdefghijklmnopqrs56'],
  ['token in package.json repository URL', 'ghp_FAKEleakyRepoToken0123456789abcdefAB'],
  ['broken Prisma schema: literal url password', 'prisma-legacy-pw-1919'],
  ['broken Prisma schema: @default beside an error', 'prisma-default-secret-5151'],
  ['broken Prisma schema: @default on the error line', 'whsec_prismaBrokenFAKE7788'],
  ['broken Terraform: password on the error line', 'tf-broken-hcl-pw-2424'],
  ['broken Terraform: value in an unclosed block', 'keybase:tf-broken-pgp-8181'],
];

interface Outputs {
  [name: string]: string;
}

let outputs: Outputs;
let modelJson: string;

beforeAll(async () => {
  const root = copyInto(fixturePath('leaky-secrets'), 'leaky');
  const gen = await runCli(['generate', '--verbose'], root);
  expect(gen.code, gen.stderr).toBe(0);
  const model = await runCli(['model', '--json', '--verbose'], root);
  expect(model.code, model.stderr).toBe(0);
  const dry = await runCli(['check', '--verbose'], root);
  // With a probe that parses every file (so config/broken.json's syntax error is reported too).
  const probed = await runCli(['model', '--json', '--verbose', '--root', root, '--config', probeConfig()], root);
  expect(probed.stdout).toMatch(/config\/broken\.json/);
  modelJson = model.stdout;
  outputs = {
    'generate stderr': gen.stderr,
    'generate stdout': gen.stdout,
    'model --json stdout': model.stdout,
    'model stderr': model.stderr,
    'check stdout': dry.stdout,
    'check stderr': dry.stderr,
    'probed model --json stdout': probed.stdout,
    'probed model stderr': probed.stderr,
  };
  // Everything archdoc wrote under the output directory (the document, and diagrams if any).
  const docs = path.join(root, 'docs');
  for (const entry of fs.readdirSync(docs, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      outputs[`docs/${path.relative(docs, path.join(entry.parentPath, entry.name))}`] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
}, 300_000);
afterAll(() => cleanTemps());

describe('secrets never leak (fixtures/leaky-secrets, whole CLI)', () => {
  it('the fixture really holds each secret (the search below can fail)', () => {
    const all = fs
      .readdirSync(fixturePath('leaky-secrets'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    for (const [where, value] of SECRETS) {
      // Decoded forms are not in the files as such; their encoded form is.
      if (/decoded/.test(where)) continue;
      expect(all, where).toContain(value);
    }
  });

  it('the repository was analysed: the names of the secrets are documented', () => {
    expect(outputs['docs/ARCHITECTURE.md']).toContain('leaky-orders');
    for (const name of ['STRIPE_SECRET_KEY', 'POSTGRES_PASSWORD', 'DB_PASSWORD', 'JWT_SECRET']) expect(modelJson, name).toContain(name);
    // The broken files beside secrets were parsed and reported (their warnings are searched below).
    const warned = (JSON.parse(modelJson) as { warnings: { file: string }[] }).warnings.map((w) => w.file);
    if (hasAnalyzer('prisma')) expect(warned).toContain('legacy/prisma/schema.prisma');
    if (hasAnalyzer('terraform')) expect(warned).toContain('infra/legacy/main.tf');
    expect(outputs['probed model --json stdout']).toMatch(/"file": "config\/broken\.json"/);
  });

  it('no output contains any secret value or decoded form', () => {
    const leaks: string[] = [];
    for (const [where, value] of SECRETS) {
      for (const [output, text] of Object.entries(outputs)) {
        if (text.includes(value)) leaks.push(`${where} (${value}) in ${output}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('no output contains even a 10-character piece of a secret (a parser quoting the text near an error)', () => {
    const leaks: string[] = [];
    for (const [where, value] of SECRETS) {
      for (let i = 0; i + 10 <= value.length; i++) {
        const piece = value.slice(i, i + 10);
        for (const [output, text] of Object.entries(outputs)) {
          if (text.includes(piece)) leaks.push(`${where}: "${piece}" in ${output}`);
        }
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
  });
});
