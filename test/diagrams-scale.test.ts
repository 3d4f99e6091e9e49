/**
 * Diagrams that say something at scale, on generated models: the high-level diagram draws the
 * deployable units (libraries folded into the units that use them) and the stores, queues and
 * external services they use, keeps units of one kind visible up to the node budget, groups
 * channels per broker with counts, and is never one box per layer; message flow at scale is one
 * arrow per producer → consumer component pair with its channels counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram, type DiagramOptions } from '../src/diagrams/index.js';
import { countEdges } from '../src/diagrams/budget.js';
import { nodeId } from '../src/diagrams/mermaid.js';
import type { Component, Model, Queue } from '../src/model/schema.js';
import { loadMermaid, mermaidError } from './mermaid-parse.js';

const OPTS: DiagramOptions = { maxNodes: 40, maxEdges: 80 };
const ev = [{ file: 'x.ts', line: 1 }];

function comp(path: string, kind: Component['kind'], deps: string[] = []): Component {
  return {
    id: `component:${path}`,
    name: path.split('/').pop()!,
    kind,
    path,
    tech: [],
    dependsOn: deps.map((d) => ({ target: `component:${d}`, kind: 'package' as const, evidence: ev })),
    evidence: ev,
  } as Component;
}

function queue(name: string, tech: string, producers: string[], consumers: string[]): Queue {
  return {
    id: `queue:${name}`,
    name,
    tech,
    producers: producers.map((p) => `component:${p}`),
    consumers: consumers.map((c) => `component:${c}`),
    evidence: ev,
  } as Queue;
}

function model(parts: Partial<Model>): Model {
  return { components: [], queues: [], dataStores: [], externalServices: [], schemas: [], ...parts } as unknown as Model;
}

/** Node lines of a flowchart (not subgraph titles, not edges). */
function nodeLines(code: string): string[] {
  return code.split('\n').filter((l) => /^\s+[A-Za-z_][A-Za-z0-9_]*[[({]/.test(l) && !/^\s+subgraph /.test(l) && !/-->|-\.->/.test(l));
}

beforeAll(async () => {
  await loadMermaid();
});

describe('high-level diagram: deployable units, with libraries folded away', () => {
  it('draws a library’s store as an arrow from each unit that uses it, and says the library is folded', async () => {
    const m = model({
      components: [
        comp('apps/api', 'service', ['libs/db']),
        comp('apps/worker', 'worker', ['libs/jobs']),
        comp('libs/db', 'library'),
        comp('libs/jobs', 'library', ['libs/db']),
      ],
      dataStores: [{ id: 'datastore:postgresql', name: 'PostgreSQL', tech: 'postgresql', usedBy: ['component:libs/db'], evidence: ev }] as Model['dataStores'],
    });
    const d = buildDiagram('high-level', m, undefined, OPTS)!;
    const pg = nodeId('datastore:postgresql');
    expect(d.code).toContain(`${nodeId('component:apps/api')} --> ${pg}`);
    // Through two libraries (jobs → db).
    expect(d.code).toContain(`${nodeId('component:apps/worker')} --> ${pg}`);
    expect(d.code).not.toContain(nodeId('component:libs/db'));
    expect(d.code).not.toContain('Shared libraries');
    expect(d.notes[0]).toBe(
      '2 libraries are not drawn: each is folded into the deployable units that use it, so an arrow to or from a unit may pass through one of its libraries. The Components section lists every library.',
    );
    expect(await mermaidError(d.code)).toBeUndefined();
    // The libraries are then drawn by the component dependencies diagram.
    expect(buildDiagram('components', m, undefined, OPTS)).toBeDefined();
  });

  it('draws a library no unit uses when it opens a store itself (its arrow would otherwise be lost)', () => {
    const m = model({
      components: [comp('apps/api', 'service'), comp('legacy', 'library'), comp('libs/unused', 'library')],
      dataStores: [{ id: 'datastore:mysql', name: 'MySQL', tech: 'mysql', usedBy: ['component:legacy'], evidence: ev }] as Model['dataStores'],
    });
    const d = buildDiagram('high-level', m, undefined, OPTS)!;
    expect(d.code).toContain(`${nodeId('component:legacy')} --> ${nodeId('datastore:mysql')}`);
    expect(d.code).not.toContain(nodeId('component:libs/unused'));
    expect(d.notes[0]).toBe(
      '1 library is not drawn: no deployable unit uses it, and it opens no store, channel or external service itself. The Components section lists every library.',
    );
  });

  it('keeps the libraries of a repository that has nothing else', () => {
    const m = model({ components: [comp('packages/a', 'library', ['packages/b']), comp('packages/b', 'library')] });
    const d = buildDiagram('high-level', m, undefined, OPTS)!;
    expect(d.code).toContain(`${nodeId('component:packages/a')} --> ${nodeId('component:packages/b')}`);
    expect(d.notes).toEqual([]);
  });

  it('keeps 17 functions of one kind and folder visible (under the node budget, nothing folds)', () => {
    const fns = Array.from({ length: 17 }, (_, i) => comp(`lib/services/fn${String(i).padStart(2, '0')}`, 'function'));
    const m = model({
      components: fns,
      dataStores: [{ id: 'datastore:dynamodb', name: 'Amazon DynamoDB', tech: 'dynamodb', usedBy: fns.map((f) => f.id), evidence: ev }] as Model['dataStores'],
    });
    const d = buildDiagram('high-level', m, undefined, OPTS)!;
    for (const f of fns) expect(d.code).toContain(`${nodeId(f.id)}["${f.name} (function)"]`);
    expect(d.notes).toEqual([]);
  });

  it('at scale: within budget, channels grouped per broker with counts, units visible up to the budget, never one box per layer', async () => {
    const fns = Array.from({ length: 25 }, (_, i) => comp(`functions/f${String(i).padStart(2, '0')}`, 'function'));
    const svcs = Array.from({ length: 12 }, (_, i) => comp(`services/s${String(i).padStart(2, '0')}`, 'service', ['libs/common']));
    const libs = [comp('libs/common', 'library')];
    const queues: Queue[] = [];
    for (let i = 0; i < 150; i++) queues.push(queue(`topic-${i}`, 'Kafka', [svcs[i % 12]!.path], [fns[i % 25]!.path]));
    for (let i = 0; i < 60; i++) queues.push(queue(`jobs-${i}`, 'BullMQ', [fns[i % 25]!.path], [svcs[i % 12]!.path]));
    const m = model({
      components: [...fns, ...svcs, ...libs],
      queues,
      dataStores: [
        { id: 'datastore:postgresql', name: 'PostgreSQL', tech: 'postgresql', usedBy: ['component:libs/common'], evidence: ev },
        { id: 'datastore:redis', name: 'Redis', tech: 'redis', usedBy: [fns[0]!.id], evidence: ev },
      ] as Model['dataStores'],
    });
    const d = buildDiagram('high-level', m, undefined, OPTS)!;
    const nodes = nodeLines(d.code);
    expect(nodes.length).toBeLessThanOrEqual(OPTS.maxNodes);
    expect(countEdges(d.code)).toBeLessThanOrEqual(OPTS.maxEdges);
    expect(d.code).toContain('"150 Kafka channels"');
    expect(d.code).toContain('"60 BullMQ channels"');
    // The services stay one node each; the functions fold (the largest group) only because 25 + 12 + 4 > 40.
    for (const s of svcs) expect(d.code).toContain(nodeId(s.id));
    expect(d.code).toContain('"25 functions in functions/"');
    // Services reach PostgreSQL through their library: all 12 use it (their arrows are left out, the label counts them).
    expect(d.code).toContain('"PostgreSQL, used by 12"');
    // Never reduced to layer boxes.
    expect(d.code).not.toMatch(/\(\d+ nodes\)/);
    expect(d.notes.join(' ')).toContain('210 channels are grouped per broker into 2 nodes');
    expect(d.notes.join(' ')).toContain('25 deployable units are grouped by kind and workspace folder into 1 node');
    expect(await mermaidError(d.code)).toBeUndefined();
    // With room for them, the functions are drawn one by one.
    const roomy = buildDiagram('high-level', m, undefined, { maxNodes: 45, maxEdges: 200 })!;
    for (const f of fns) expect(roomy.code).toContain(nodeId(f.id));
  });
});

describe('message flow at scale: grouped by component pair', () => {
  it('draws one arrow per producer → consumer pair with the number of channels, and parses', async () => {
    const comps = ['apps/orders', 'apps/billing', 'apps/mailer', 'apps/search', 'apps/audit'].map((p) => comp(p, 'service'));
    const queues: Queue[] = [];
    for (let i = 0; i < 12; i++) queues.push(queue(`order-${i}`, 'Kafka', ['apps/orders'], ['apps/billing']));
    for (let i = 0; i < 30; i++) queues.push(queue(`mail-${i}`, 'RabbitMQ', ['apps/billing'], ['apps/mailer', 'apps/audit']));
    queues.push(queue('reindex', 'Kafka', ['apps/orders'], ['apps/search']));
    for (let i = 0; i < 5; i++) queues.push(queue(`orphan-${i}`, 'Kafka', [], ['apps/search']));
    const m = model({ components: comps, queues });
    const d = buildDiagram('message-flow', m, undefined, OPTS)!;
    const id = (p: string) => nodeId(`component:${p}`);
    expect(d.code).toContain(`${id('apps/orders')} -.->|"12 Kafka channels"| ${id('apps/billing')}`);
    expect(d.code).toContain(`${id('apps/billing')} -.->|"30 RabbitMQ channels"| ${id('apps/mailer')}`);
    expect(d.code).toContain(`${id('apps/billing')} -.->|"30 RabbitMQ channels"| ${id('apps/audit')}`);
    expect(d.code).toContain(`${id('apps/orders')} -.->|"reindex (Kafka)"| ${id('apps/search')}`);
    expect(d.code).toContain(`${nodeId('mf:no-producer')} -.->|"5 Kafka channels"| ${id('apps/search')}`);
    expect(nodeLines(d.code)).toHaveLength(6);
    expect(d.code).not.toContain(nodeId('queue:order-0'));
    expect(d.notes[0]).toContain('48 channels are too many to draw one by one');
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('a few channels are still drawn one by one', () => {
    const m = model({ components: [comp('a', 'service'), comp('b', 'worker')], queues: [queue('jobs', 'BullMQ', ['a'], ['b'])] });
    const d = buildDiagram('message-flow', m, undefined, OPTS)!;
    expect(d.code).toContain(nodeId('queue:jobs'));
    expect(d.notes).toEqual([]);
  });
});
