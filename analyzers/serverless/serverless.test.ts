import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('aws-ecs-platform');
}, 60_000);

describe('serverless analyzer on aws-ecs-platform', () => {
  it('reads functions, events and links handlers to their code', () => {
    const fn = m.deployment.workloads.find((w) => w.id === 'workload:lambda:orders-notifier-sendConfirmation');
    expect(fn).toMatchObject({ kind: 'Lambda function', component: 'component:services/notifier' });
    expect(fn?.details).toMatchObject({
      runtime: 'nodejs20.x',
      memoryMb: '256',
      events: ['sqs order-confirmations'],
      handlerFile: 'services/notifier/src/handlers.ts',
    });
    expect(fn?.evidence).toEqual([
      { file: 'services/notifier/serverless.yml', line: 14 },
      { file: 'services/notifier/src/handlers.ts', line: 5 },
    ]);
    expect(m.deployment.workloads.find((w) => w.id === 'workload:lambda:orders-notifier-status')?.details?.events).toEqual(['httpApi GET /notifier/status']);
  });

  it('resolves the SQS event source to the declared queue and its consumer', () => {
    const q = m.queues.find((x) => x.id === 'queue:order-confirmations');
    expect(q).toMatchObject({ tech: 'Amazon SQS', consumers: ['component:services/notifier'] });
    expect(m.scaling.find((s) => s.id === 'scaling:lambda:orders-notifier-sendConfirmation')?.details).toMatchObject({ max: '20' });
  });
});
