import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';

function queue(model: Model, id: string): Queue {
  const q = model.queues.find((x) => x.id === id);
  if (!q) throw new Error(`${id} not found; have ${model.queues.map((x) => x.id).join(', ')}`);
  return q;
}

describe('messaging: NestJS Kafka microservices, EventBridge, Redis and Pub/Sub (nest-kafka-microservices)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('nest-kafka-microservices');
  }, 60_000);

  it('follows a topic through a shared emitMessage(topic) wrapper to every caller, via a tsconfig path alias', () => {
    const created = queue(model, 'queue:storefront.order.created.v1');
    expect(created.tech).toBe('Kafka');
    expect(created.producers).toEqual(['component:services/orders']);
    expect(created.consumers).toEqual(['component:services/billing']);
    // The ClientKafka.emit in the library and the call site that chose the topic are both evidence.
    expect(created.evidence).toContainEqual({ file: 'libs/messaging/src/kafka-producer.service.ts', line: 13 });
    expect(created.details?.producerSites).toEqual(['services/orders/src/orders/orders.service.ts:23']);
  });

  it('resolves both branches of a conditional topic, and @EventPattern consumers take the transport set in a shared helper', () => {
    for (const id of ['queue:storefront.payment.captured.v1', 'queue:storefront.payment.failed.v1']) {
      const q = queue(model, id);
      expect(q.tech).toBe('Kafka');
      expect(q.producers).toEqual(['component:services/billing']);
      expect(q.consumers).toEqual(['component:services/orders']);
    }
  });

  it('maps @nestjs/event-emitter emit → @OnEvent across files as an in-process channel', () => {
    const ev = queue(model, 'queue:event:order.created');
    expect(ev.tech).toBe('EventEmitter2');
    expect(ev.details?.consumerSites).toEqual(['services/orders/src/orders/order-audit.listener.ts:6']);
  });

  it('finds EventBridge buses with detail types, Redis channels and Pub/Sub topics, and not GraphQL PubSub', () => {
    const bus = queue(model, 'queue:storefront-orders');
    expect(bus.tech).toBe('Amazon EventBridge');
    expect(bus.messages).toEqual(['OrderCreated']);
    const redis = queue(model, 'queue:cache-invalidation');
    expect(redis.tech).toBe('Redis pub/sub');
    expect(redis.producers).toEqual(['component:services/orders']);
    expect(redis.consumers).toEqual(['component:services/notifier']);
    const sub = queue(model, 'queue:order-emails');
    expect(sub.tech).toBe('Google Pub/Sub');
    expect(sub.consumers).toEqual(['component:services/notifier']);
    expect(queue(model, 'queue:notification-audit').producers).toEqual(['component:services/notifier']);
    expect(model.queues.some((q) => q.name === 'orderCreated')).toBe(false);
  });
});
