import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';
import { joinQueuesByEnvVar } from './join.js';

describe('joinQueuesByEnvVar: code that knows only the URL variable meets the provisioned queue', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('event-driven-services');
  }, 60_000);

  const provisioned = (id: string, envVars: string[]): Queue => ({
    id,
    name: id.slice('queue:'.length),
    tech: 'Amazon SQS',
    producers: [],
    consumers: [],
    evidence: [{ file: 'infra/sqs.tf', line: 3 }],
    details: { provisionedBy: ['aws_sqs_queue.billing'], envVars },
  });

  it('merges the env-only queue from the real analysis into the queue that declares the variable', () => {
    const m = structuredClone(model);
    m.queues.push(provisioned('queue:shop-billing', ['BILLING_QUEUE_URL']));
    joinQueuesByEnvVar(m);
    expect(m.queues.some((q) => q.id === 'queue:env:BILLING_QUEUE_URL')).toBe(false);
    const q = m.queues.find((x) => x.id === 'queue:shop-billing')!;
    expect(q.name).toBe('shop-billing');
    expect(q.producers).toEqual(['component:services/orders']);
    expect(q.consumers).toEqual(['component:services/billing']);
    expect(q.evidence).toContainEqual({ file: 'infra/sqs.tf', line: 3 });
    expect(q.evidence).toContainEqual({ file: 'services/orders/src/publisher.ts', line: 18 });
    expect(q.details?.provisionedBy).toEqual(['aws_sqs_queue.billing']);
  });

  it('leaves an ambiguous variable (two queues claim it) and unrelated queues alone', () => {
    const m = structuredClone(model);
    m.queues.push(provisioned('queue:a', ['BILLING_QUEUE_URL']), provisioned('queue:b', ['BILLING_QUEUE_URL']));
    const before = m.queues.length;
    joinQueuesByEnvVar(m);
    expect(m.queues.length).toBe(before);
    expect(m.queues.some((q) => q.id === 'queue:env:BILLING_QUEUE_URL')).toBe(true);
  });
});
