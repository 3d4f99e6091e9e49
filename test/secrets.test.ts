/**
 * Secrets never leave the repository: the risky-api fixture is full of realistic FAKE secrets
 * (source literals, a committed .env, a Kubernetes Secret, tfvars, Compose, a Dockerfile ENV,
 * private key blocks). The whole rendered document and the model JSON must contain none of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocument } from '../src/render/document.js';
import { fixturePath } from './helpers.js';

const SECRETS: { value: string; file: string }[] = [
  { value: 'sup3r-s3cret-jwt-k3y-do-not-share-9f8e7d', file: 'src/auth.js' },
  { value: 'keyboard-cat-session-s3cret-41b2', file: 'src/app.js' },
  { value: '4f8e2b1c9d7a6e5f', file: 'src/app.js' },
  { value: 'Pr0dP4ssw0rd!2024', file: 'src/config.js' },
  { value: 'AKIAZ7QK4N2V8XW3YTRM', file: 'src/config.js' },
  { value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYz9', file: 'src/config.js' },
  { value: 'ghp_FAKE1234567890abcdefghijklmnopqrstuv', file: 'src/config.js' },
  { value: 'fallback-session-s3cret-77aa', file: 'src/config.js' },
  { value: 'MIIEowIBAAKCAQEAuFAKEFAKEFAKE', file: 'src/keys.js' },
  { value: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', file: 'config/dev-key.pem' },
  { value: 'env-jwt-secret-7c1d9a', file: '.env' },
  { value: 'sk_live_51FakeKeyAbCdEfGhIjKlMnOpQrStUv', file: '.env' },
  { value: 'R00tP4ss-env-3d', file: '.env' },
  { value: 'SG.fakeKey0123.abcDEF456ghiJKL789', file: '.env' },
  { value: 'k8s-Secret-Pa55-0a9b', file: 'k8s/secret.yaml' },
  { value: 'c2tfbGl2ZV9rOHNfZmFrZV9zdHJpcGVfa2V5', file: 'k8s/secret.yaml' },
  { value: 'tfvars-Pa55word-99zz', file: 'infra/terraform.tfvars' },
  { value: 'compose-Pa55-xyz-81', file: 'docker-compose.yml' },
  { value: 'compose-jwt-s3cret-5e5e', file: 'docker-compose.yml' },
  { value: 'dockerfile-token-c0ffee-1234', file: 'Dockerfile' },
  { value: 'Qu3ue-Pa55-dev-61', file: '.env.dev' },
];

describe('secrets never leave the repository', () => {
  const root = fixturePath('risky-api');
  let outputs: { name: string; text: string }[];

  beforeAll(async () => {
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    const { model } = await analyse(config);
    outputs = [
      { name: 'document', text: renderDocument(model, config) },
      { name: 'model JSON', text: JSON.stringify(model, null, 2) },
    ];
  });

  it('the fixture really holds every secret listed here', () => {
    for (const s of SECRETS) expect(fs.readFileSync(path.join(root, s.file), 'utf8'), s.file).toContain(s.value);
  });

  it('the outputs are about the risky settings (the test would see a leak)', () => {
    const doc = outputs[0]!.text;
    expect(doc).toContain('CORS allows any origin (*) with credentials');
    expect(doc).toContain('STRIPE_SECRET_KEY');
  });

  for (const s of SECRETS) {
    it(`no output contains the secret from ${s.file} (${s.value.slice(0, 4)}…)`, () => {
      const hits = outputs.filter((o) => o.text.includes(s.value)).map((o) => o.name);
      expect(hits).toEqual([]);
    });
  }
});
