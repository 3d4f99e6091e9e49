/**
 * ER and state diagrams: relations drawn once, key columns, clustering of large schemas (every
 * entity in exactly one cluster, at most 30 per diagram), and Mermaid's own parser accepting all.
 */
import { describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { erClusters, estimateErHeight, MAX_ENTITIES, MAX_HEIGHT } from '../src/diagrams/er.js';
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
    // Connected groups of 20, 10, 10, 10, 10 and the 4 loners, chains cut for height into parts of 3 or 4.
    expect(clusters.map((c) => c.members.length)).toEqual([4, 3, 3, 3, 3, 4, 3, 3, 4, 3, 3, 4, 3, 3, 4, 3, 3, 4, 4]);
    const byId = new Map(model.schemas.map((e) => [e.id, e]));
    for (const c of clusters.slice(0, -1)) {
      // Each part of a chain is a stretch of it: connected, without its hub.
      const set = new Set(c.members);
      const linked = c.members.filter(
        (m) => byId.get(m)!.relations.some((r) => set.has(r.target)) || c.members.some((o) => byId.get(o)!.relations.some((r) => r.target === m)),
      );
      expect(linked, c.title).toEqual(c.members);
    }
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

  it('estimates height from ranks along the relations and key-column rows, as documented in er.ts', () => {
    // One entity, no key columns: the minimum box.
    expect(estimateErHeight([{ ...ent('a', []), fields: [] }])).toBe(75);
    // id PK: 40 + 28 = 68, still the minimum.
    expect(estimateErHeight([ent('a', [])])).toBe(75);
    // b → a: two ranks, b has two rows (PK, FK): 75 + 96 + 140.
    expect(estimateErHeight([ent('a', []), ent('b', [['a', 'many-to-one']])])).toBe(75 + 96 + 140);
    // Side by side (both point at a): still two ranks.
    expect(estimateErHeight([ent('a', []), ent('b', [['a', 'many-to-one']]), ent('c', [['a', 'many-to-one']])])).toBe(75 + 96 + 140);
    // A cycle is broken once, not followed forever: three ranks.
    const cyc = [ent('a', [['c', 'many-to-one']]), ent('b', [['a', 'many-to-one']]), ent('c', [['b', 'many-to-one']])];
    expect(estimateErHeight(cyc)).toBe(3 * 96 + 2 * 140);
  });

  it('a chain of 30 entities (within the entity limit) is not one 7,000 px column: parts under 1,200 px, every entity once', async () => {
    const schemas: Entity[] = [];
    for (let i = 0; i < 30; i++) schemas.push(ent(`k${String(i).padStart(2, '0')}`, i > 0 ? [[`k${String(i - 1).padStart(2, '0')}`, 'many-to-one']] : []));
    const model = {
      schemas,
      dataStores: [{ id: 'datastore:postgresql', name: 'PostgreSQL', tech: 'postgresql', usedBy: [], evidence: [] }],
    } as unknown as Model;
    // The estimate agrees with the 7,163 px measured in a browser for such a chain.
    expect(estimateErHeight(schemas)).toBeGreaterThan(6_500);
    expect(estimateErHeight(schemas)).toBeLessThan(7_500);
    const d = buildDiagram('er', model, 'datastore:postgresql', OPTS)!;
    expect(d.parts!.length).toBeGreaterThan(5);
    expect(d.notes[0]).toMatch(
      /^30 entities would make one diagram about 6,\d{3} px tall, more than the 1,200 px one diagram should be, so they are cut into \d+ parts along their relations/,
    );
    const seen: string[] = [];
    const byId = new Map(schemas.map((e) => [e.id, e]));
    for (const p of d.parts!) {
      // Members carry key columns (a block); entities of other parts are drawn by name only.
      const members = schemas.filter((e) => p.diagram.code.includes(`${nodeId(e.id)}["${e.name}"] {`));
      const ghosts = schemas.filter((e) => !members.includes(e) && p.diagram.code.includes(`${nodeId(e.id)}["${e.name}"]`));
      seen.push(...members.map((e) => e.id));
      expect(estimateErHeight(members, ghosts), p.title).toBeLessThanOrEqual(MAX_HEIGHT);
      expect(members.length, p.title).toBeGreaterThanOrEqual(2);
      expect(
        ghosts.every((g) => members.some((m) => m.relations.some((r) => r.target === g.id) || byId.get(g.id)!.relations.some((r) => r.target === m.id))),
        p.title,
      ).toBe(true);
      expect(await mermaidError(p.diagram.code), p.title).toBeUndefined();
    }
    expect([...seen].sort()).toEqual(schemas.map((e) => e.id));
    expect(await mermaidError(d.code)).toBeUndefined();
    // A short chain stays one diagram.
    const short = { ...model, schemas: schemas.slice(0, 4) } as Model;
    expect(buildDiagram('er', short, 'datastore:postgresql', OPTS)!.parts).toBeUndefined();
  });
});
