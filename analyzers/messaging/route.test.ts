import { describe, expect, it } from 'vitest';
import type { Queue } from '../../src/model/schema.js';
import { routeEnds } from './index.js';

const q = (id: string, producers: string[], consumers: string[], details: Record<string, unknown> = {}): Queue =>
  ({ id: `queue:${id}`, name: id, tech: 'x', producers, consumers, evidence: [], details }) as Queue;

describe('ends across delivery links', () => {
  it("gives a bus's or topic's single publisher to the queue it feeds, and the queue's consumers to the feeder", () => {
    const bus = q('shop-bus', ['component:basket'], [], { drainedBy: ['queue:orders'] });
    const orders = q('orders', [], ['component:ordering'], { fedBy: ['queue:shop-bus'] });
    routeEnds([bus, orders]);
    expect(orders.producers).toEqual(['component:basket']);
    expect(orders.details?.routedProducers).toEqual(['component:basket']);
    expect(bus.consumers).toEqual(['component:ordering']);
  });

  it('credits no producer through a feeder with several publishers or with routing keys', () => {
    const bus = q('shop-bus', ['component:basket', 'component:billing'], [], { drainedBy: ['queue:orders'] });
    const ex = q('events', ['component:api'], [], { drainedBy: ['queue:audit'], bindings: ['audit.* → audit'] });
    const orders = q('orders', [], ['component:ordering'], { fedBy: ['queue:shop-bus'] });
    const audit = q('audit', [], ['component:auditor'], { fedBy: ['queue:events'] });
    routeEnds([bus, ex, orders, audit]);
    expect(orders.producers).toEqual([]);
    expect(audit.producers).toEqual([]);
    expect(ex.consumers).toEqual(['component:auditor']);
  });
});
