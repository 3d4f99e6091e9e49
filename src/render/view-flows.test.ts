import { describe, expect, it } from 'vitest';
import { emptyModel } from '../model/empty.js';
import type { Flow, FlowStep } from '../model/schema.js';
import { featuredFlowGroups } from './view-flows.js';

const step = (from: string, to: string, action: string, kind: FlowStep['kind'] = 'sync'): FlowStep => ({ from, to, action, kind, evidence: [] });
const flow = (id: string, rank: number, steps: FlowStep[], featured = true): Flow => ({
  id,
  name: id,
  entry: id,
  entryKind: 'endpoint',
  component: 'component:api',
  steps,
  participants: [...new Set(steps.flatMap((s) => [s.from, s.to]))],
  rank,
  ...(featured ? { featured } : {}),
  evidence: [{ file: 'src/routes.ts', line: rank }],
});

describe('featuredFlowGroups (sequence diagrams drawn once per shape)', () => {
  const read = (id: string, rank: number, featured = true) =>
    flow(id, rank, [step('client', 'component:api', id), step('component:api', 'datastore:postgresql', rank % 2 ? 'read' : 'write')], featured);
  it('groups featured flows of the same participants and steps, whatever their labels, under the best-ranked', () => {
    const publish = flow('POST /orders', 1, [
      step('client', 'component:api', 'POST /orders'),
      step('component:api', 'datastore:postgresql', 'write'),
      step('component:api', 'queue:orders', 'publish', 'async'),
    ]);
    const model = emptyModel({ flows: [read('GET /b', 4), read('GET /a', 2), publish, read('GET /c', 3), read('GET /d', 5, false)] });
    const groups = featuredFlowGroups(model);
    expect(groups.map((g) => [g.flow.id, g.also.map((f) => f.id)])).toEqual([
      ['POST /orders', []],
      ['GET /a', ['GET /c', 'GET /b']],
    ]);
  });
  it('keeps flows apart when a step differs in its ends, its kind or its branch', () => {
    const a = read('GET /a', 1);
    const b = flow('GET /b', 2, [step('client', 'component:api', 'GET /b'), step('component:api', 'datastore:redis', 'read')]);
    const c = flow('GET /c', 3, [step('client', 'component:api', 'GET /c'), step('component:api', 'datastore:postgresql', 'read', 'async')]);
    const d = flow('GET /d', 4, [
      step('client', 'component:api', 'GET /d'),
      { ...step('component:api', 'datastore:postgresql', 'read'), branch: { id: 'src/a.ts:3', arm: 'then', condition: 'cached' } },
    ]);
    expect(featuredFlowGroups(emptyModel({ flows: [a, b, c, d] })).map((g) => g.also.length)).toEqual([0, 0, 0, 0]);
  });
});
