/**
 * ER and state diagrams: relations drawn once, key columns, clustering of large schemas (every
 * entity in exactly one cluster, at most 30 per diagram), and Mermaid's own parser accepting all.
 */
import { describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { erClusters, MAX_ENTITIES } from '../src/diagrams/er.js';
import { nodeId } from '../src/diagrams/mermaid.js';
import type { Entity, Model } from '../src/model/schema.js';
import { analyseFixture } from './helpers.js';
import { mermaidError } from './mermaid-parse.js';

const OPTS = { maxNodes: 40, maxEdges: 80 };

function ent(id: string, rels: [string, Entity['relations'][number]['cardinality']][], file = 'prisma/schema.prisma'): Entity {
  return {
    id: `entity:${id}`,
    name: id,
    table: id,
    store: 'datastore:postgresql',
    fields: [{ name: 'id', type: 'Int', id: true }, ...rels.filter(([, c]) => c === 'many-to-one').map(([t]) => ({ name: `${t}Id`, type: 'Int' }))],
    relations: rels.map(([t, c]) => ({ name: t, target: `entity:${t}`, cardinality: c, ...(c === 'many-to-one' ? { foreignKey: `${t}Id` } : {}) })),
    evidence: [{ file, line: 1 }],
  };
}

/** 40 entities hanging off `user` (a hub) in four chains of ten, a separate 20-entity chain, and 4 loners. */
function bigModel(): Model {
  const schemas: Entity[] = [ent('user', [])];
  for (let i = 0; i < 40; i++)
    schemas.push(
      ent(`u${String(i).padStart(2, '0')}`, [
        ['user', 'many-to-one'],
        ...(i % 10 ? ([[`u${String(i - 1).padStart(2, '0')}`, 'many-to-one']] as [string, 'many-to-one'][]) : []),
      ]),
    );
  for (let i = 0; i < 20; i++) schemas.push(ent(`c${String(i).padStart(2, '0')}`, i > 0 ? [[`c${String(i - 1).padStart(2, '0')}`, 'many-to-one']] : []));
  for (const l of ['l1', 'l2', 'l3', 'l4']) schemas.push(ent(l, []));
  return { schemas, dataStores: [{ id: 'datastore:postgresql', name: 'PostgreSQL', tech: 'postgresql', usedBy: [], evidence: [] }] } as unknown as Model;
}

describe('ER diagrams', () => {
  it('draws each relation once, from its owning side, with key columns, and parses', async () => {
    const model = await analyseFixture('prisma-multi-file');
    const d = buildDiagram('er', model, 'datastore:postgresql', OPTS)!;
    const inv = nodeId('entity:invoices');
    const acc = nodeId('entity:accounts');
    expect(d.code).toContain(`${inv} }o--|| ${acc} : "account"`);
    expect(d.code).not.toContain(`${acc} ||--o{ ${inv}`);
    expect(d.code).toContain('String accountId FK');
    expect(d.code).toContain('String invoiceId PK, FK');
    expect(d.code.match(/}o--o\{/g)).toHaveLength(1);
    expect(d.parts).toBeUndefined();
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('splits a large schema into clusters with hubs and an overview, each diagram parsing', async () => {
    const model = bigModel();
    const { clusters, hubs } = erClusters(model.schemas);
    expect(hubs).toEqual(['entity:user']);
    const members = clusters.flatMap((c) => c.members);
    expect(members.length + hubs.length).toBe(model.schemas.length);
    expect(new Set(members).size).toBe(members.length);
    expect(Math.max(...clusters.map((c) => c.members.length))).toBeLessThanOrEqual(MAX_ENTITIES);
    expect(clusters.map((c) => c.members.length)).toEqual([20, 10, 10, 10, 10, 4]);
    // Loners are gathered, not drawn one per diagram.
    expect(clusters.find((c) => c.title.startsWith('Other entities'))!.members).toEqual(['entity:l1', 'entity:l2', 'entity:l3', 'entity:l4']);

    const d = buildDiagram('er', model, 'datastore:postgresql', OPTS)!;
    expect(d.code.startsWith('graph LR')).toBe(true);
    expect(d.notes[0]).toContain('user');
    expect(d.parts!.map((p) => p.title)).toContain('Most connected entities (1)');
    for (const diagram of [d, ...d.parts!.map((p) => p.diagram)]) expect(await mermaidError(diagram.code)).toBeUndefined();
    // The hub is drawn by name in the clusters that point at it.
    const withHub = d.parts!.filter((p) => p.diagram.code.includes(nodeId('entity:user')));
    expect(withHub.length).toBeGreaterThan(1);
    // Same input, same output.
    expect(buildDiagram('er', bigModel(), 'datastore:postgresql', OPTS)).toEqual(d);
  });
});

describe('state diagrams', () => {
  it('draws only the transitions read from code, plus the entry into the initial state', async () => {
    const model = await analyseFixture('prisma-multi-file');
    const d = buildDiagram('state', model, 'entity:invoices#status', OPTS)!;
    const s = (v: string) => nodeId(`state:entity:invoices#status=${v}`);
    expect(d.code).toContain(`[*] --> ${s('DRAFT')}`);
    expect(d.code).toContain(`${s('OPEN')} --> ${s('PAID')}`);
    expect(d.code.split('\n').filter((l) => l.includes('-->'))).toHaveLength(5);
    expect(d.notes).toEqual(['No transition into or out of UNCOLLECTIBLE was found in the code.']);
    expect(await mermaidError(d.code)).toBeUndefined();
    // Without transitions there is nothing to draw.
    expect(buildDiagram('state', model, 'entity:subscriptions#status', OPTS)).toBeUndefined();
  });
});
