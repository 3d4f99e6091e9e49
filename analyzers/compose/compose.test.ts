import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { canonicalEnvironment, dataStoreOfImage, imageRepository, looksLikeCommittedSecret, redact } from './shared.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('aws-ecs-platform');
}, 60_000);

describe('compose analyzer on aws-ecs-platform', () => {
  it('turns services into workloads and containers linked to components', () => {
    const api = m.deployment.workloads.find((w) => w.id === 'workload:compose:api');
    expect(api).toMatchObject({ kind: 'compose service', component: 'component:services/api', evidence: [{ file: 'docker-compose.yml', line: 4 }] });
    expect(api?.details).toMatchObject({ ports: ['3000:3000'], dependsOn: ['cache', 'db'], build: 'services/api' });
    expect(m.deployment.workloads.find((w) => w.id === 'workload:compose:worker')?.details?.profiles).toEqual(['async']);
    const db = m.deployment.containers.find((c) => c.id === 'container:compose:db');
    expect(db).toMatchObject({ image: 'postgres:16-alpine', ports: ['5432:5432'], healthcheck: 'pg_isready -U orders (every 5s)' });
  });

  it('keeps environment variable names and never their values', () => {
    const api = m.deployment.containers.find((c) => c.id === 'container:compose:api');
    expect(api?.details?.environment).toEqual(['DATABASE_URL', 'JWT_SECRET', 'NODE_ENV', 'REDIS_URL', 'STRIPE_API_KEY']);
    const json = JSON.stringify(m);
    for (const secret of ['orders-dev-pw', 'dev-only-jwt-signing-key-123', 'test-secret-key-value']) expect(json).not.toContain(secret);
  });

  it('reports literal secrets by variable name', () => {
    const f = m.security.filter((s) => s.details?.rule === 'committed-secret' && s.tech === 'docker-compose');
    expect(f.map((s) => [s.details?.service, s.details?.variables])).toEqual([
      ['api', ['DATABASE_URL', 'JWT_SECRET']],
      ['db', ['POSTGRES_PASSWORD']],
      ['worker', ['AWS_SECRET_ACCESS_KEY']],
    ]);
  });

  it('recognises data stores and brokers from images', () => {
    expect(m.dataStores.find((d) => d.id === 'datastore:postgresql')?.evidence).toContainEqual({ file: 'docker-compose.yml', line: 34 });
    expect(m.dataStores.find((d) => d.id === 'datastore:redis')?.evidence).toContainEqual({ file: 'docker-compose.yml', line: 47 });
    expect(m.infrastructure.find((i) => i.id === 'infra:compose:localstack')?.role).toBe('messaging');
  });
});

describe('shared helpers', () => {
  it('parse image references', () => {
    expect(imageRepository('registry.example.com:5000/team/api:1.2@sha256:abc')).toEqual({ repository: 'team/api', base: 'api', tag: '1.2' });
    expect(imageRepository('docker.io/library/postgres:16')).toEqual({ repository: 'postgres', base: 'postgres', tag: '16' });
    expect(dataStoreOfImage('bitnami/postgresql:15')?.tech).toBe('postgresql');
    expect(dataStoreOfImage('mcr.microsoft.com/mssql/server:2022-latest')?.tech).toBe('sqlserver');
    expect(dataStoreOfImage('ghcr.io/acme/server:1')).toBeUndefined();
  });

  it('tell committed secrets from references and settings', () => {
    expect(looksLikeCommittedSecret('JWT_SECRET', 'abc123')).toBe(true);
    expect(looksLikeCommittedSecret('JWT_SECRET', '${JWT_SECRET}')).toBe(false);
    expect(looksLikeCommittedSecret('API_TOKEN', '${{ secrets.API_TOKEN }}')).toBe(false);
    expect(looksLikeCommittedSecret('TOKEN_TTL', '3600s')).toBe(false);
    expect(looksLikeCommittedSecret('DATABASE_URL', 'postgres://u:p@db/x')).toBe(true);
    expect(looksLikeCommittedSecret('REDIS_URL', 'redis://cache:6379')).toBe(false);
    expect(looksLikeCommittedSecret('GOOGLE_API_KEY', 'GOOGLE_API_KEY_VAL')).toBe(false);
    expect(looksLikeCommittedSecret('ALLOYDB_SECRET_NAME', 'orders-db')).toBe(false);
    expect(looksLikeCommittedSecret('connectionString', 'redis-cart:6379')).toBe(false);
    expect(looksLikeCommittedSecret('CONNECTION_STRING', 'Server=db;Password=hunter2')).toBe(true);
    expect(redact('psql postgres://admin:hunter2@db/x --password=hunter2')).toBe('psql postgres://admin:***@db/x --password=***');
  });

  it('canonicalise environment names', () => {
    expect(canonicalEnvironment('prod')).toBe('production');
    expect(canonicalEnvironment('Staging')).toBe('staging');
    expect(canonicalEnvironment('review/$CI_COMMIT_REF_SLUG')).toBe('preview');
    expect(canonicalEnvironment('${{ inputs.environment }}')).toBeUndefined();
  });
});
