/** Ids built and parsed in one place (src/model/ids.ts), and facts found by id (src/model/lookup.ts). */
import { describe, expect, it } from 'vitest';
import { ID_KINDS, idOf, parseId, queueAddress } from '../src/model/ids.js';
import { participantLookup } from '../src/model/lookup.js';
import { emptyModel } from '../src/model/empty.js';
import { COLLECTIONS } from '../src/model/schema.js';
import { dataStoreId } from '../src/data/ids.js';

describe('ids', () => {
  it('builds ids of each kind', () => {
    expect(idOf.component('apps/api')).toBe('component:apps/api');
    expect(idOf.component('')).toBe('component:.');
    expect(idOf.queue('orders')).toBe('queue:orders');
    expect(idOf.envQueue('ORDERS_URL')).toBe('queue:env:ORDERS_URL');
    expect(idOf.eventChannel('order.created')).toBe('queue:event:order.created');
    expect(idOf.datastore('postgresql')).toBe('datastore:postgresql');
    expect(dataStoreId('postgresql')).toBe(idOf.datastore('postgresql'));
    expect(idOf.external('api.stripe.com')).toBe('external:api.stripe.com');
    expect(idOf.workload('compose', 'api')).toBe('workload:compose:api');
    expect(idOf.security('container-runs-as-root', 'kubernetes', 'Deployment/api/app')).toBe('security:container-runs-as-root:kubernetes:Deployment/api/app');
    expect(idOf.pipeline('.github/workflows/ci.yml#build')).toBe('pipeline:.github/workflows/ci.yml#build');
    expect(idOf.entity('order')).toBe('entity:order');
  });

  it('parses what it builds: the kind, and the key with any colons it holds', () => {
    expect(parseId(idOf.queue('orders'))).toEqual({ kind: 'queue', key: 'orders' });
    expect(parseId(idOf.envQueue('ORDERS_URL'))).toEqual({ kind: 'queue', key: 'env:ORDERS_URL' });
    expect(parseId('endpoint:GET /orders/:id')).toEqual({ kind: 'endpoint', key: 'GET /orders/:id' });
    expect(parseId('component:.')).toEqual({ kind: 'component', key: '.' });
    const builders: [string, (...parts: string[]) => string][] = Object.entries(idOf);
    // The builders of parts (rest parameters: no declared length); component and queue take one key.
    const ofParts = builders.filter(([k, build]) => Object.hasOwn(ID_KINDS, k) && build.length === 0);
    expect(ofParts.length).toBeGreaterThan(12);
    for (const [kind, build] of ofParts) expect(parseId(build('a', 'b')), kind).toEqual({ kind, key: 'a:b' });
    expect(parseId('entity:')).toEqual({ kind: 'entity', key: '' });
  });

  it('parses no pseudo participant, unknown kind or prototype name', () => {
    for (const id of ['client', 'scheduler', ':orders', 'layer:Data', 'toString:x', 'constructor:x', '']) expect(parseId(id), id).toBeUndefined();
  });

  it('names a collection of the model for every kind but flows', () => {
    for (const [kind, collection] of Object.entries(ID_KINDS)) {
      if (kind !== 'flow') expect(COLLECTIONS, kind).toContain(collection);
    }
  });

  it("tells where a queue's address comes from", () => {
    expect(queueAddress(idOf.queue('orders'))).toBe('name');
    expect(queueAddress(idOf.envQueue('ORDERS_URL'))).toBe('environment');
    expect(queueAddress(idOf.eventChannel('order.created'))).toBe('in-process');
    expect(queueAddress('queue:orders:dlq')).toBe('name');
    expect(queueAddress('datastore:env:x')).toBe('name');
    expect(queueAddress('queue:toString:x')).toBe('name');
  });
});

describe('participant lookup', () => {
  const model = {
    ...emptyModel(),
    components: [{ id: 'component:apps/api', name: 'api', kind: 'service' as const, path: 'apps/api', tech: [], dependsOn: [], evidence: [] }],
    queues: [{ id: 'queue:orders', name: 'orders', tech: 'kafka', producers: [], consumers: [], evidence: [] }],
  };
  const lookup = participantLookup(model);

  it('finds a fact of the model by its id, with its tech when it has one', () => {
    expect(lookup('component:apps/api')).toEqual({ id: 'component:apps/api', kind: 'component', key: 'apps/api', fact: { name: 'api' } });
    expect(lookup('queue:orders')).toEqual({ id: 'queue:orders', kind: 'queue', key: 'orders', fact: { name: 'orders', tech: 'kafka' } });
  });

  it('still gives the kind and key of an id the model does not hold, and the whole id of a pseudo participant', () => {
    expect(lookup('datastore:redis')).toEqual({ id: 'datastore:redis', kind: 'datastore', key: 'redis' });
    expect(lookup('client')).toEqual({ id: 'client', key: 'client' });
  });
});
