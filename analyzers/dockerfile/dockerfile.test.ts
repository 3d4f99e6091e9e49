import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { statesNonRoot } from './index.js';

let aws: Model;
let k8s: Model;
beforeAll(async () => {
  [aws, k8s] = await Promise.all([analyseFixture('aws-ecs-platform'), analyseFixture('k8s-helm-platform')]);
}, 90_000);

describe('dockerfile analyzer', () => {
  it('reads a multi-stage Dockerfile with ARGs expanded and inherited settings', () => {
    const api = aws.deployment.containers.find((c) => c.id === 'container:services/api/Dockerfile');
    expect(api).toMatchObject({
      component: 'component:services/api',
      ports: ['3000'],
      user: 'node',
      healthcheck: 'CMD wget -qO- http://localhost:3000/health || exit 1',
      evidence: [{ file: 'services/api/Dockerfile', line: 13 }],
    });
    expect(api?.details).toMatchObject({
      baseImage: 'node:20.11-alpine',
      finalStage: 'runtime',
      stages: ['deps (node:20.11-alpine)', 'build (deps)', 'runtime (node:20.11-alpine)'],
    });
    expect(aws.security.some((s) => s.id === 'security:container-runs-as-root:services/api/Dockerfile')).toBe(false);
  });

  it('reports images that run as root, with severity', () => {
    const worker = aws.security.find((s) => s.id === 'security:container-runs-as-root:services/worker/Dockerfile');
    expect(worker).toMatchObject({ severity: 'medium', category: 'infrastructure', evidence: [{ file: 'services/worker/Dockerfile', line: 1 }] });
    const checkout = k8s.security.find((s) => s.id === 'security:container-runs-as-root:services/checkout/Dockerfile');
    expect(checkout).toMatchObject({
      severity: 'medium',
      component: 'component:services/checkout',
      evidence: [{ file: 'services/checkout/Dockerfile', line: 5 }],
    });
  });

  it('drops the root finding of an image every deployment of which states a non-root user', () => {
    // services/catalog/Dockerfile has no USER; Deployment/catalog sets runAsNonRoot and CronJob/catalog-reindex runAsUser 1000.
    expect(k8s.deployment.containers.find((c) => c.id === 'container:services/catalog/Dockerfile')?.user).toBe('root (no USER instruction)');
    expect(k8s.security.find((s) => s.id === 'security:container-runs-as-root:services/catalog/Dockerfile')).toBeUndefined();
    // Helm's Deployment/checkout states no user: the checkout image's finding stays.
    expect(k8s.security.find((s) => s.id === 'security:container-runs-as-root:services/checkout/Dockerfile')).toBeDefined();
  });

  it('reads which deployment users are non-root', () => {
    for (const u of ['node', '1000', '1000:1000', 'uid 1000', 'non-root (runAsNonRoot)', 'app:app']) expect(statesNonRoot(u), u).toBe(true);
    for (const u of [undefined, '', 'root', '0', '0:0', 'root:root', 'uid 0', 'uid TEMPLATED']) expect(statesNonRoot(u), String(u)).toBe(false);
  });
});
