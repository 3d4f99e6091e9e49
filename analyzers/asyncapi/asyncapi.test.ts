import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

describe('asyncapi: 2.x and 3.x documents in event-driven-services', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('event-driven-services');
  }, 60_000);

  it('adds a channel only the 2.x document knows, with the documenting service as producer (subscribe = it sends)', () => {
    const q = model.queues.find((x) => x.id === 'queue:notifications.sent');
    expect(q).toBeDefined();
    expect(q!.tech).toBe('Kafka');
    expect(q!.producers).toEqual(['component:services/notifications']);
    expect(q!.consumers).toEqual([]);
    expect(q!.messages).toEqual(['NotificationSent']);
    expect(q!.evidence).toEqual([{ file: 'services/notifications/asyncapi.yaml', line: 22 }]);
    expect(q!.details?.sources).toEqual(['asyncapi']);
  });

  it('merges documented channels with the ones found in code, by address (3.x) and name (2.x)', () => {
    const placed = model.queues.find((x) => x.id === 'queue:orders.placed')!;
    expect(placed.details?.sources).toEqual(['asyncapi', 'code']);
    // 3.x `send` in services/orders; 2.x `publish` (= it receives) in services/notifications.
    expect(placed.producers).toEqual(['component:services/orders']);
    expect(placed.consumers).toEqual(['component:services/notifications']);
    expect(placed.messages).toEqual(['OrderPlaced']);
    expect(placed.details?.documentedIn).toEqual(['services/notifications/asyncapi.yaml:11', 'services/orders/asyncapi.yaml:10']);
    const cancelled = model.queues.find((x) => x.id === 'queue:orders.cancelled')!;
    expect(cancelled.messages).toEqual(['OrderCancelled']);
    expect(cancelled.consumers).toEqual([]);
  });
});
