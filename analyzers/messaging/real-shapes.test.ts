import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';
import { topicMatches } from './definitions.js';

function queue(model: Model, id: string): Queue {
  const q = model.queues.find((x) => x.id === id);
  if (!q) throw new Error(`${id} not found; have ${model.queues.map((x) => x.id).join(', ')}`);
  return q;
}

describe('messaging: RabbitMQ names from configuration, and the declared topology', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('rabbit-config-topology');
  }, 60_000);

  it('follows an injected config service getter to the value .env.example declares', () => {
    const ex = queue(model, 'queue:orders.events');
    expect(ex.producers).toEqual(['component:services/orders-api']);
    expect(ex.details?.envVars).toEqual(['RABBITMQ_EVENTS_EXCHANGE']);
    expect(ex.details?.nameFrom).toEqual(['services/orders-api/.env.example:3']);
    expect(ex.details?.producerSites).toEqual([
      'services/orders-api/src/messaging/rabbit-events.publisher.ts:14',
      'services/orders-api/src/messaging/rabbit-events.publisher.ts:19',
    ]);
  });

  it('reads a variable without a default from the compose service that builds the code', () => {
    const q = queue(model, 'queue:q.shipping');
    expect(q.consumers).toEqual(['component:services/shipping-worker']);
    expect(q.details?.nameFrom).toEqual(['docker-compose.yml:18']);
    expect(model.queues.some((x) => x.id.startsWith('queue:env:'))).toBe(false);
  });

  it('takes the constant after || from a workspace package', () => {
    const q = queue(model, 'queue:q.audit');
    expect(q.consumers).toEqual(['component:services/audit-worker']);
    expect(q.details?.envVars).toEqual(['AUDIT_QUEUE']);
  });

  it('reads definitions.json: queues, exchanges and bindings, with publishers routed by routing key', () => {
    const ex = queue(model, 'queue:orders.events');
    expect(ex.details?.bindings).toEqual(['# → q.audit', 'order.paid.* → q.shipping']);
    expect(ex.details?.sources).toEqual(['code', 'rabbitmq-definitions']);
    expect(queue(model, 'queue:q.shipping').producers).toEqual(['component:services/orders-api']);
    expect(queue(model, 'queue:q.shipping').details?.routedProducers).toEqual(['component:services/orders-api']);
    const dlq = queue(model, 'queue:q.shipping.dlq');
    expect(dlq.details?.sources).toEqual(['rabbitmq-definitions']);
    expect(dlq.details?.declaredAt).toEqual(['infra/rabbitmq/definitions.json:6']);
  });

  it("folds a queue's own direct exchange into it: publishing to retry.q.shipping produces to q.shipping.retry", () => {
    expect(model.queues.map((q) => q.name)).not.toContain('retry.q.shipping');
    const retry = queue(model, 'queue:q.shipping.retry');
    expect(retry.producers).toEqual(['component:services/shipping-worker']);
    expect(retry.details?.sources).toEqual(['code', 'rabbitmq-definitions']);
    expect(retry.details?.fedBy).toBeUndefined();
  });

  it('gives an exchange the consumers of the queues bound to it', () => {
    expect(queue(model, 'queue:orders.events').consumers).toEqual(['component:services/audit-worker', 'component:services/shipping-worker']);
  });

  it('never makes a channel of a name read from run-time data (replay.queueName), and warns once for the file', () => {
    expect(model.queues.map((q) => q.name)).not.toContain('replay.queueName');
    const ws = model.warnings.filter((w) => w.analyzer === 'messaging');
    expect(ws.map((w) => `${w.file}:${w.line}`)).toEqual(['services/audit-worker/src/main.ts:16']);
    expect(ws[0]!.message).toContain('1 missing from the message-flow map');
  });

  it('never copies a value that carries credentials', () => {
    expect(JSON.stringify(model)).not.toContain('guest:guest');
  });
});

describe('messaging: Publisher/Listener subclasses of a base class from an npm package', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('nats-publisher-listener');
  }, 60_000);

  it('reads the subject field of each instantiated subclass, role from the base class name', () => {
    const created = queue(model, 'queue:Subjects.OrderCreated');
    expect(created.tech).toBe('NATS');
    expect(created.producers).toEqual(['component:orders']);
    expect(created.consumers).toEqual(['component:tickets']);
    const ticket = queue(model, 'queue:Subjects.TicketCreated');
    expect(ticket.producers).toEqual(['component:tickets']);
    expect(ticket.consumers).toEqual(['component:orders']);
  });

  it('declares only a subclass nothing constructs', () => {
    const q = queue(model, 'queue:Subjects.OrderCancelled');
    expect(q.producers).toEqual([]);
    expect(q.details?.declaredAt).toEqual(['orders/src/events/publishers/order-cancelled-publisher.ts:5']);
  });

  it('does not read the publish call on the subclass instance as a channel of its own', () => {
    expect(model.warnings.filter((w) => w.analyzer === 'messaging' && w.file.includes('/routes/'))).toEqual([]);
  });
});

describe('messaging: Redis lists as queues, across languages', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('redis-list-jobs');
  }, 60_000);

  it('joins a TypeScript lpush and a Python brpop on the same key', () => {
    const q = queue(model, 'queue:jobs:thumbnails');
    expect(q.tech).toBe('Redis (lists)');
    expect(q.producers).toEqual(['component:api']);
    expect(q.consumers).toEqual(['component:thumbnailer']);
    expect(q.details?.consumerSites).toEqual(['thumbnailer/worker.py:15']);
  });

  it('leaves a list that is only pushed (a capped history) out', () => {
    expect(model.queues.map((q) => q.id)).toEqual(['queue:jobs:thumbnails']);
  });

  it('says Redis lists in the messaging headline', () => {
    expect(model.decisions.find((d) => d.id.includes('messaging'))?.decision).toBe('Redis (lists)');
  });
});

describe('AMQP topic matching', () => {
  it('matches * as one word and # as zero or more', () => {
    expect(topicMatches('order.paid.*', 'order.paid.v1')).toBe(true);
    expect(topicMatches('order.paid.*', 'order.paid')).toBe(false);
    expect(topicMatches('order.#', 'order')).toBe(true);
    expect(topicMatches('order.#', 'order.paid.v1')).toBe(true);
    expect(topicMatches('#.v1', 'order.paid.v1')).toBe(true);
    expect(topicMatches('order.placed.*', 'order.paid.v1')).toBe(false);
  });
});
