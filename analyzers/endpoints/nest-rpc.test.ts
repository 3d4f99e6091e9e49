import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

describe('NestJS microservice transports: calls are rpc endpoints, not messaging (nest-tcp-microservices)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('nest-tcp-microservices');
  }, 60_000);

  it('lists TCP @MessagePattern and @EventPattern handlers as rpc endpoints of their component', () => {
    const rpc = model.endpoints
      .filter((e) => e.protocol === 'rpc')
      .map((e) => `${e.path} ${e.component} ${e.details?.pattern}`)
      .sort();
    expect(rpc).toEqual(['create_charge component:apps/payments message', 'notify_email component:apps/notifications event']);
    const charge = model.endpoints.find((e) => e.path === 'create_charge')!;
    expect(charge.method).toBe('rpc');
    expect(charge.handler).toBe('PaymentsController.createCharge');
    expect(charge.evidence).toEqual([{ file: 'apps/payments/src/payments.controller.ts', line: 6 }]);
  });

  it('keeps TCP traffic out of messaging; over Redis, request/response and events are channels of the broker', () => {
    // { cmd: 'reserve' }: named by its one value, as the endpoints analyzer names an rpc pattern.
    expect(model.queues.map((q) => `${q.name} ${q.tech}`)).toEqual(['reserve Redis pub/sub', 'restocked Redis pub/sub']);
    expect(model.endpoints.some((e) => e.path === 'reserve')).toBe(false);
  });
});
