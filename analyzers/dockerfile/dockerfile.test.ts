import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

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
});
