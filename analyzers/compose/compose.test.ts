import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

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

describe('compose analyzer on compose-run-shop', () => {
  let shop: Model;
  beforeAll(async () => {
    shop = await analyseFixture('compose-run-shop');
  }, 60_000);

  it('reads user, read_only and cap_drop, and drops the root finding of an image its only deployment runs as non-root', () => {
    const relay = shop.deployment.containers.find((c) => c.id === 'container:compose:mail-relay');
    expect(relay).toMatchObject({ user: '1000:1000', details: { readOnlyRootFilesystem: true, capabilitiesDropped: ['ALL'] } });
    const rootFindings = shop.security.filter((s) => s.details?.rule === 'container-runs-as-root').map((s) => s.details?.dockerfile);
    // catalogue is also deployed by a Kubernetes manifest that states no user: its finding stays.
    expect(rootFindings).toEqual(['services/catalogue/Dockerfile', 'services/ratings/Dockerfile']);
  });
});

describe('compose analyzer: include and merge keys', () => {
  afterEach(removeTemps);

  it('reads a project split by `include:` without a warning, and merges `<<: *anchor` environments', async () => {
    const root = tempRepo('archdoc-compose-include-', {
      'deploy/compose.yaml': 'include:\n  - ../api/compose.yaml\n',
      'api/compose.yaml': [
        'x-common: &common',
        '  LOG_LEVEL: info',
        '  OTEL_SERVICE_NAME: api',
        'services:',
        '  api:',
        '    image: ghcr.io/acme/api:1.0.0',
        '    environment:',
        '      <<: *common',
        '      PORT: "8080"',
        '',
      ].join('\n'),
    });
    const model = await analyseRepo(root);
    expect(model.warnings.filter((w) => w.file === 'deploy/compose.yaml')).toEqual([]);
    const api = model.deployment.containers.find((c) => c.id === 'container:compose:api');
    expect(api?.details?.environment).toEqual(['LOG_LEVEL', 'OTEL_SERVICE_NAME', 'PORT']);
  });
});
