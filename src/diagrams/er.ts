/**
 * Entity-relationship diagrams, one per data store (`diagram('er', storeId)`; `''` for entities
 * whose store is unknown). Entities show their key columns (PK, FK, UK) and relations, each
 * relation drawn once. Past MAX_ENTITIES the store is split into clusters: connected groups, then
 * folders, then by taking out the most connected entities ("hubs", drawn in every cluster they
 * touch); the main diagram becomes an overview of clusters and hubs, each cluster a part below it.
 *
 * Height: a diagram is also split when it would be taller than about MAX_HEIGHT pixels (a chain of
 * 30 entities is one column about 7,000 px tall). The estimate (`estimateErHeight`) follows how
 * Mermaid lays an erDiagram out, top to bottom with one rank per step along the relation lines: an
 * entity box is 40 px of title plus 28 px per key-column row (at least 75 px), and consecutive
 * ranks are 140 px apart (the gap and the relation label). The height is the sum, over the ranks
 * of the longest-path layering (cycles broken depth-first), of the tallest box in each rank plus
 * the gaps. Calibrated against a 30-entity chain of two key rows each measured at 7,163 px (the
 * estimate gives 6,940). A cluster over the limit is cut into connected parts grown breadth-first
 * from its most connected entity, each as large as fits; a part of one entity (a loner) then joins
 * the first part it fits beside.
 */
import { compareStrings } from '../model/compare.js';
import type { Entity, Model } from '../model/schema.js';
import { dirOf } from '../util/paths.js';
import { connectedClusters } from './budget.js';
import { label, node, nodeId, type Diagram } from './mermaid.js';

export const MAX_ENTITIES = 30;
/** About how tall (in pixels) one ER diagram may be drawn. */
export const MAX_HEIGHT = 1_200;
const BOX_TITLE = 40;
const BOX_ROW = 28;
const BOX_MIN = 75;
const RANK_GAP = 140;

/** 1200 → "1,200" (digits grouped by hand: the output must not depend on the machine's locale). */
function grouped(n: number): string {
  const digits = String(Math.round(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += (i > 0 && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i];
  return out;
}
const MAX_HUBS = 12;
/** Connected groups smaller than this join their hub's group (or "Other entities"). */
const SMALL_CLUSTER = 4;

const CARD: Record<Entity['relations'][number]['cardinality'], string> = {
  'many-to-one': '}o--||',
  'one-to-many': '||--o{',
  'one-to-one': '||--o|',
  'many-to-many': '}o--o{',
};

/** Attribute type/name tokens Mermaid accepts. */
function token(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_()[\]-]+/g, '_').replace(/^_+|(?<!_)_+$/g, '');
  // PK, FK and UK are keys, not names: a column called `pk` gets an underscore.
  return t === '' ? 'unknown' : /^(?:PK|FK|UK)$/i.test(t) ? `${t}_` : /^[A-Za-z_]/.test(t) ? t : `_${t}`;
}

function entityLabel(e: Entity): string {
  return e.table && e.table.toLowerCase() !== e.name.toLowerCase() ? `${e.name} (${e.table})` : e.name;
}

interface Edge {
  from: string;
  to: string;
  card: string;
  text: string;
}

/** Relations drawn once: owning sides first, inverse sides only when nothing links the pair yet. */
export function erEdges(entities: Entity[], known: ReadonlySet<string>): Edge[] {
  const edges: Edge[] = [];
  const linked = new Set<string>();
  const pair = (a: string, b: string) => (compareStrings(a, b) <= 0 ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const sorted = [...entities].sort((a, b) => compareStrings(a.id, b.id));
  const add = (e: Entity, r: Entity['relations'][number]) => {
    edges.push({ from: e.id, to: r.target, card: CARD[r.cardinality], text: r.name });
    linked.add(pair(e.id, r.target));
  };
  const owning = (r: Entity['relations'][number]) => r.cardinality === 'many-to-one' || (r.cardinality === 'one-to-one' && !!r.foreignKey);
  for (const e of sorted) for (const r of e.relations) if (known.has(r.target) && owning(r)) add(e, r);
  for (const e of sorted) {
    for (const r of e.relations) {
      if (!known.has(r.target) || owning(r)) continue;
      if (r.cardinality === 'many-to-many') {
        // Both sides usually declare it: keep the first (by entity id) only.
        if (linked.has(pair(e.id, r.target)) && compareStrings(e.id, r.target) > 0) continue;
        if (edges.some((x) => x.card === CARD['many-to-many'] && pair(x.from, x.to) === pair(e.id, r.target) && x.from !== e.id)) continue;
        add(e, r);
      } else if (!linked.has(pair(e.id, r.target))) add(e, r);
    }
  }
  return edges;
}

function keyColumns(e: Entity): string[] {
  // A one-to-many's key lives in the other table; a one-to-one's only when this table lacks it.
  const named = new Set(e.fields.map((f) => f.name));
  const fks = new Set(
    e.relations.flatMap((r) =>
      !r.foreignKey || r.cardinality === 'one-to-many' || r.cardinality === 'many-to-many'
        ? []
        : r.foreignKey.split(/,\s*/).filter((k) => r.cardinality === 'many-to-one' || named.has(k)),
    ),
  );
  const lines: string[] = [];
  for (const f of e.fields) {
    const keys = [f.id ? 'PK' : '', fks.has(f.name) ? 'FK' : '', f.unique && !f.id ? 'UK' : ''].filter(Boolean);
    if (keys.length === 0) continue;
    lines.push(`    ${token(f.type)} ${token(f.name)} ${keys.join(', ')}`);
  }
  // Foreign-key columns an ORM keeps implicit (TypeORM join columns) are still key columns.
  for (const fk of [...fks].filter((k) => !named.has(k)).sort(compareStrings)) lines.push(`    ref ${token(fk)} FK`);
  return lines;
}

/** erDiagram of `members` (with key columns) plus `ghosts` (related entities drawn by name only). */
function erDiagram(members: Entity[], ghosts: Entity[]): string {
  const lines = ['erDiagram'];
  for (const e of [...members].sort((a, b) => compareStrings(a.id, b.id))) {
    const cols = keyColumns(e);
    if (cols.length > 0) lines.push(`  ${nodeId(e.id)}[${label(entityLabel(e))}] {`, ...cols, '  }');
    else lines.push(`  ${nodeId(e.id)}[${label(entityLabel(e))}]`);
  }
  for (const g of [...ghosts].sort((a, b) => compareStrings(a.id, b.id))) lines.push(`  ${nodeId(g.id)}[${label(entityLabel(g))}]`);
  const known = new Set([...members, ...ghosts].map((e) => e.id));
  const memberIds = new Set(members.map((e) => e.id));
  // Between two ghosts nothing is drawn: that relation belongs to their own clusters.
  const drawn = erEdges([...members, ...ghosts], known).filter((x) => memberIds.has(x.from) || memberIds.has(x.to));
  for (const x of drawn) lines.push(`  ${nodeId(x.from)} ${x.card} ${nodeId(x.to)} : ${label(x.text, 40)}`);
  return lines.join('\n');
}

/**
 * Estimated drawn height in pixels of an erDiagram of `members` (with their key columns) and
 * `ghosts` (drawn by name only), with the relations `erDiagram` draws; see the rule in the header.
 */
export function estimateErHeight(members: Entity[], ghosts: Entity[] = []): number {
  const all = [...members, ...ghosts].sort((a, b) => compareStrings(a.id, b.id));
  if (all.length === 0) return 0;
  const memberIds = new Set(members.map((e) => e.id));
  const known = new Set(all.map((e) => e.id));
  const edges = erEdges(all, known).filter((x) => (memberIds.has(x.from) || memberIds.has(x.to)) && x.from !== x.to);
  const out = new Map<string, string[]>();
  for (const x of edges) out.set(x.from, [...(out.get(x.from) ?? []), x.to]);
  for (const list of out.values()) list.sort(compareStrings);
  // Depth-first (iteratively) in id order: edges back into the current path are cycle edges and
  // are left out; the finishing order reversed is a topological order of what remains.
  const state = new Map<string, 1 | 2>();
  const finished: string[] = [];
  const back = new Set<string>();
  for (const root of all.map((e) => e.id)) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])?.[top[1]];
      if (next === undefined) {
        state.set(top[0], 2);
        finished.push(top[0]);
        stack.pop();
        continue;
      }
      top[1]++;
      const st = state.get(next);
      if (st === 1) back.add(`${top[0]}\u0000${next}`);
      else if (st === undefined) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  const rank = new Map<string, number>();
  for (const id of finished.reverse()) {
    const r = rank.get(id) ?? 0;
    rank.set(id, r);
    for (const t of out.get(id) ?? []) if (!back.has(`${id}\u0000${t}`)) rank.set(t, Math.max(rank.get(t) ?? 0, r + 1));
  }
  const tallest = new Map<number, number>();
  for (const e of all) {
    const rows = memberIds.has(e.id) ? keyColumns(e).length : 0;
    const h = Math.max(BOX_MIN, BOX_TITLE + BOX_ROW * rows);
    const r = rank.get(e.id) ?? 0;
    tallest.set(r, Math.max(tallest.get(r) ?? 0, h));
  }
  let height = 0;
  for (const h of tallest.values()) height += h;
  return height + RANK_GAP * (tallest.size - 1);
}

export interface ErCluster {
  key: string;
  title: string;
  members: string[];
}

/**
 * Deterministic split of a store's entities into clusters of at most MAX_ENTITIES, each estimated
 * at most MAX_HEIGHT tall (`cut`: some cluster had to be cut for its height), plus hubs.
 */
export function erClusters(entities: Entity[]): { clusters: ErCluster[]; hubs: string[]; cut: boolean } {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const allEdges = entities.flatMap((e) => e.relations.filter((r) => byId.has(r.target) && r.target !== e.id).map((r) => ({ from: e.id, to: r.target })));
  const hubs: string[] = [];
  const folder = (id: string) => dirOf(byId.get(id)!.evidence[0]?.file ?? '.');
  /** The entity of `keys` with the most relations within `within` (ties: the first id), counted in one pass. */
  const mostConnected = (keys: string[], within: Set<string>): string => {
    const degree = new Map<string, number>();
    for (const x of allEdges) {
      if (within.has(x.to)) degree.set(x.from, (degree.get(x.from) ?? 0) + 1);
      if (within.has(x.from)) degree.set(x.to, (degree.get(x.to) ?? 0) + 1);
    }
    let best = keys[0]!;
    for (const k of keys) {
      const d = degree.get(k) ?? 0;
      const b = degree.get(best) ?? 0;
      if (d > b || (d === b && compareStrings(k, best) < 0)) best = k;
    }
    return best;
  };

  const split = (keys: string[], byFolder: boolean): { members: string[]; folder?: string }[] => {
    if (keys.length <= MAX_ENTITIES) return [{ members: keys }];
    const set = new Set(keys);
    const comps = connectedClusters(
      keys,
      allEdges.filter((x) => set.has(x.from) && set.has(x.to)),
    );
    if (comps.length > 1) return comps.flatMap((c) => split(c, byFolder));
    if (byFolder) {
      const groups = new Map<string, string[]>();
      for (const k of keys) groups.set(folder(k), [...(groups.get(folder(k)) ?? []), k]);
      // Folders help only when they hold several entities each (not one folder per entity).
      if (groups.size > 1 && groups.size * 4 <= keys.length) {
        return [...groups.entries()]
          .sort((a, b) => compareStrings(a[0], b[0]))
          .flatMap(([f, g]) => split(g, false).map((x) => ({ ...x, folder: x.folder ?? f })));
      }
    }
    if (hubs.length < MAX_HUBS) {
      const hub = mostConnected(keys, set);
      hubs.push(hub);
      return split(
        keys.filter((k) => k !== hub),
        false,
      );
    }
    // Last resort: fixed-size slices in id order (still deterministic).
    const out: { members: string[] }[] = [];
    for (let i = 0; i < keys.length; i += MAX_ENTITIES) out.push({ members: keys.slice(i, i + MAX_ENTITIES) });
    return out;
  };

  const raw = split(entities.map((e) => e.id).sort(compareStrings), true);
  const big = raw
    .filter((c) => c.members.length >= SMALL_CLUSTER)
    .sort((a, b) => b.members.length - a.members.length || compareStrings(a.members[0]!, b.members[0]!));
  const clusters: ErCluster[] = big.map((c) => {
    const set = new Set(c.members);
    const top = mostConnected(c.members, set);
    const name = c.folder && c.folder !== '.' ? `${c.folder}/` : byId.get(top)!.name;
    return { key: top, title: `${name} (${c.members.length} entities)`, members: [...c.members].sort(compareStrings) };
  });
  // Small leftovers join the hub they relate to most ("Partner and related entities"), else
  // "Other entities"; neither group grows past MAX_ENTITIES.
  const byHub = new Map<string, string[]>();
  for (const c of raw.filter((x) => x.members.length < SMALL_CLUSTER)) {
    const set = new Set(c.members);
    let best: string | undefined;
    let bestCount = 0;
    for (const h of [...hubs].sort(compareStrings)) {
      const n = allEdges.filter((x) => (x.from === h && set.has(x.to)) || (x.to === h && set.has(x.from))).length;
      if (n > bestCount) [best, bestCount] = [h, n];
    }
    const key = best ?? '';
    byHub.set(key, [...(byHub.get(key) ?? []), ...c.members]);
  }
  // A hub's group of one or two is not worth a diagram of its own.
  for (const [hub, list] of [...byHub]) {
    if (hub !== '' && list.length < SMALL_CLUSTER) {
      byHub.delete(hub);
      byHub.set('', [...(byHub.get('') ?? []), ...list]);
    }
  }
  for (const [hub, list] of [...byHub].sort((a, b) => (a[0] === '' ? 1 : b[0] === '' ? -1 : compareStrings(a[0], b[0])))) {
    const sorted = list.sort(compareStrings);
    for (let i = 0; i < sorted.length; i += MAX_ENTITIES) {
      const members = sorted.slice(i, i + MAX_ENTITIES);
      const title = hub ? `${byId.get(hub)!.name} and related entities (${members.length})` : `Other entities (${members.length})`;
      clusters.push({ key: `${hub ? 'near' : 'other'}:${hub}:${members[0]}`, title, members });
    }
  }
  const parts = clusters.flatMap((c) => cutTall(c, byId));
  return { clusters: parts, hubs: hubs.sort(compareStrings), cut: parts.length > clusters.length };
}

/** Entities of the store outside `members` that a diagram of them draws by name (related either way). */
function neighbours(members: ReadonlySet<string>, byId: ReadonlyMap<string, Entity>): Entity[] {
  const out = new Map<string, Entity>();
  for (const id of members) for (const r of byId.get(id)!.relations) if (!members.has(r.target) && byId.has(r.target)) out.set(r.target, byId.get(r.target)!);
  for (const e of byId.values()) if (!members.has(e.id) && e.relations.some((r) => members.has(r.target))) out.set(e.id, e);
  return [...out.values()];
}

function heightOf(members: ReadonlySet<string>, byId: ReadonlyMap<string, Entity>): number {
  return estimateErHeight(
    [...members].map((id) => byId.get(id)!),
    neighbours(members, byId),
  );
}

/**
 * A cluster estimated taller than MAX_HEIGHT, cut into parts: each grown breadth-first (over
 * relations either way, neighbours in id order) from the first entity not yet placed, in the
 * order of a breadth-first walk from the cluster's most connected entity, while it still fits.
 */
function cutTall(c: ErCluster, byId: ReadonlyMap<string, Entity>): ErCluster[] {
  if (c.members.length < 2 || heightOf(new Set(c.members), byId) <= MAX_HEIGHT) return [c];
  const inCluster = new Set(c.members);
  const adj = new Map<string, string[]>(c.members.map((m) => [m, []]));
  for (const m of c.members) {
    for (const r of byId.get(m)!.relations) {
      if (!inCluster.has(r.target) || r.target === m) continue;
      adj.get(m)!.push(r.target);
      adj.get(r.target)!.push(m);
    }
  }
  for (const [k, list] of adj) adj.set(k, [...new Set(list)].sort(compareStrings));
  const walk = (from: string, within: ReadonlySet<string>, take: (id: string) => boolean): string[] => {
    const seen = new Set([from]);
    const order: string[] = [];
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      if (!take(id)) continue;
      order.push(id);
      for (const n of adj.get(id)!) {
        if (seen.has(n) || !within.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
    return order;
  };
  const start = c.members.includes(c.key) ? c.key : c.members[0]!;
  const visitOrder = [...walk(start, inCluster, () => true), ...c.members.filter((m) => !adj.get(m)!.length && m !== start)];
  const order = [...new Set([...visitOrder, ...c.members])];
  const left = new Set(c.members);
  const parts: string[][] = [];
  const seeds: string[] = [];
  for (const seed of order) {
    if (!left.has(seed)) continue;
    const part = new Set<string>();
    walk(seed, left, (id) => {
      if (part.size > 0) {
        part.add(id);
        if (heightOf(part, byId) > MAX_HEIGHT) {
          part.delete(id);
          return false;
        }
      } else part.add(id);
      return true;
    });
    for (const id of part) left.delete(id);
    parts.push([...part].sort(compareStrings));
    seeds.push(seed);
  }
  // A part of one entity (a loner) joins the first part it fits beside.
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.length > 1) continue;
    for (let j = 0; j < i; j++) {
      const union = new Set([...parts[j]!, ...parts[i]!]);
      if (heightOf(union, byId) > MAX_HEIGHT) continue;
      parts[j] = [...union].sort(compareStrings);
      parts.splice(i, 1);
      seeds.splice(i, 1);
      i--;
      break;
    }
  }
  if (parts.length === 1) return [c];
  // Titles end with their count in brackets ("Order (12 entities)", "Other entities (4)").
  const cutAt = c.title.lastIndexOf(' (');
  const name = cutAt > 0 ? c.title.slice(0, cutAt) : c.title;
  return parts.map((members, i) => ({
    key: i === 0 ? c.key : `${c.key}#${i + 1}`,
    title: `${name}, part ${i + 1} of ${parts.length}: ${members.length === 1 ? byId.get(seeds[i]!)!.name : `${byId.get(seeds[i]!)!.name} and ${members.length - 1} more`}`,
    members,
  }));
}

export function er(model: Model, arg: unknown): Diagram | undefined {
  const store = typeof arg === 'string' && arg !== '' ? arg : undefined;
  const entities = model.schemas.filter((e) => (store ? e.store === store : !e.store));
  if (entities.length === 0) return undefined;
  const byId = new Map(model.schemas.map((e) => [e.id, e]));
  /** Entities outside `members` they point at, and `inverse` entities (hubs) pointing at them. */
  const ghostsOf = (members: Entity[], inverse: readonly string[] = []) => {
    const ids = new Set(members.map((e) => e.id));
    const out = new Map<string, Entity>();
    for (const e of members) for (const r of e.relations) if (!ids.has(r.target) && byId.has(r.target)) out.set(r.target, byId.get(r.target)!);
    for (const h of inverse) if (!ids.has(h) && byId.get(h)!.relations.some((r) => ids.has(r.target))) out.set(h, byId.get(h)!);
    return [...out.values()];
  };
  if (entities.length <= MAX_ENTITIES) {
    // Related entities of another store (rare) are drawn by name only.
    const ghosts = ghostsOf(entities).filter((g) => !entities.includes(g));
    if (estimateErHeight(entities, ghosts) <= MAX_HEIGHT) return { code: erDiagram(entities, ghosts), notes: [] };
  }

  const { clusters, hubs, cut } = erClusters(entities);
  const clusterOf = new Map<string, string>();
  for (const c of clusters) for (const m of c.members) clusterOf.set(m, c.key);
  // Overview: clusters and hubs as nodes, edges counting the relations between them.
  const lines = ['graph LR'];
  for (const c of clusters) lines.push(`  ${node(nodeId(`er-cluster:${c.key}`), c.title, 'group')}`);
  for (const h of hubs) lines.push(`  ${node(nodeId(h), byId.get(h)!.name, 'box')}`);
  const nodeOf = (id: string) => (clusterOf.has(id) ? nodeId(`er-cluster:${clusterOf.get(id)}`) : hubs.includes(id) ? nodeId(id) : undefined);
  const counts = new Map<string, number>();
  const known = new Set(entities.map((e) => e.id));
  for (const x of erEdges(entities, known)) {
    const a = nodeOf(x.from);
    const b = nodeOf(x.to);
    if (!a || !b || a === b) continue;
    const [p, q] = compareStrings(a, b) <= 0 ? [a, b] : [b, a];
    counts.set(`${p} ${q}`, (counts.get(`${p} ${q}`) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort((a, b) => compareStrings(a[0], b[0]))) {
    const [p, q] = k.split(' ');
    lines.push(`  ${p} ---|${n}| ${q}`);
  }
  const parts = clusters.map((c) => {
    const members = c.members.map((id) => byId.get(id)!);
    return { key: c.key, title: c.title, diagram: { code: erDiagram(members, ghostsOf(members, hubs)), notes: [] as string[] } };
  });
  if (hubs.length > 0) {
    // The hubs' own columns and the relations among them.
    const members = hubs.map((id) => byId.get(id)!);
    const hubSet = new Set(hubs);
    const ghosts = ghostsOf(members).filter((g) => hubSet.has(g.id));
    parts.unshift({ key: 'er-hubs', title: `Most connected entities (${hubs.length})`, diagram: { code: erDiagram(members, ghosts), notes: [] } });
  }
  const why =
    entities.length > MAX_ENTITIES
      ? `${entities.length} entities are more than one diagram can show readably (${MAX_ENTITIES})`
      : `${entities.length} entities would make one diagram about ${grouped(estimateErHeight(entities))} px tall, more than the ${grouped(MAX_HEIGHT)} px one diagram should be`;
  const notes = [
    entities.length <= MAX_ENTITIES
      ? `${why}, so they are cut into ${clusters.length} parts along their relations; an entity of another part is drawn by name where a relation reaches it. Numbers on the lines count relations. Every entity is in the table below.`
      : `${why}, so they are split into ${clusters.length} clusters by relations${hubs.length > 0 ? ` and folders; the most connected entities (${hubs.map((h) => byId.get(h)!.name).join(', ')}) are shown on their own and drawn, by name, in each cluster they relate to` : ' and folders'}${cut ? `; a cluster estimated taller than about ${grouped(MAX_HEIGHT)} px is cut into parts, and an entity of another part is drawn by name where a relation reaches it` : ''}. Numbers on the lines count relations. Every entity is in the table below.`,
  ];

  return { code: lines.join('\n'), notes, parts };
}
