import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';

function queue(model: Model, id: string): Queue {
  const q = model.queues.find((x) => x.id === id);
  if (!q) throw new Error(`${id} not found; have ${model.queues.map((x) => x.id).join(', ')}`);
  return q;
}

describe('messaging: a queue end in a library is the components that run it', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('pnpm-bookmarks-queues');
  }, 60_000);

  it('credits the front end that imports a router package whose mutations add jobs, not the package (nor the mobile app importing its type)', () => {
    const q = queue(model, 'queue:crawl');
    expect(q.producers).toEqual(['component:apps/web']);
    expect(q.consumers).toEqual(['component:apps/workers']);
    expect(q.details?.producerSites).toEqual(['packages/api/src/routers/bookmarks.ts:9', 'packages/api/src/routers/bookmarks.ts:13']);
    // The import the front end runs it through is evidence.
    expect(q.evidence).toContainEqual({ file: 'apps/web/app/api/trpc/[trpc]/route.ts', line: 3 });
  });

  it('follows a helper function of a queue package, through its barrel, to each caller: a worker directly, the front end through the router package', () => {
    const q = queue(model, 'queue:search-index');
    expect(q.producers).toEqual(['component:apps/web', 'component:apps/workers']);
    expect(q.consumers).toEqual(['component:apps/workers']);
  });
});
