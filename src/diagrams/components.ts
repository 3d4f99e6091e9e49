/**
 * Component dependencies: `graph LR`, one node per component (shape by kind), one subgraph per
 * workspace folder, one edge per depended-upon component (manifest and import evidence count as
 * the same dependency).
 *
 * Over budget (big monorepos): the main diagram becomes an overview with one node per workspace
 * folder (then per top-level folder) and edges counting the dependencies between them; the detail
 * follows in one diagram per connected cluster (widely shared libraries set aside so they do not
 * glue everything into one cluster), each cluster split by folder and then into chunks when still
 * too big. Neighbours outside a cluster appear folded by folder. Every step is stated in a note.
 */
import type { Component, Model } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { cutTrailing } from '../util/linear-scan.js';
import type { Diagram, Shape } from './mermaid.js';
import type { DiagramOptions } from './index.js';
import { highLevelFolds } from './high-level.js';
import {
  budgetOf,
  connectedClusters,
  fitToBudget,
  foldBy,
  mergeEdges,
  omitWidelyUsed,
  overBudget,
  printFlowchart,
  topFolder,
  workspaceFolder,
  type Budget,
  type CollapseStep,
  type FlowEdge,
  type FlowGraph,
  type FlowNode,
} from './budget.js';

const SHAPES: Record<Component['kind'], Shape> = {
  service: 'box',
  worker: 'worker',
  frontend: 'client',
  library: 'round',
  cli: 'box',
  function: 'box',
  infrastructure: 'box',
};

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function folderTitle(folder: string): string {
  return folder === '.' ? '(repository root)' : `${folder}/`;
}

function fullGraph(components: Component[]): FlowGraph {
  const keys = new Set(components.map((c) => c.id));
  const nodes: FlowNode[] = components.map((c) => ({
    key: c.id,
    text: c.kind === 'library' ? c.name : `${c.name} (${c.kind})`,
    shape: SHAPES[c.kind],
    group: `folder:${workspaceFolder(c.path)}`,
  }));
  const edges: FlowEdge[] = [];
  const seen = new Set<string>();
  for (const c of components) {
    for (const d of c.dependsOn) {
      const k = `${c.id}\u0000${d.target}`;
      if (!keys.has(d.target) || seen.has(k)) continue;
      seen.add(k);
      edges.push({ from: c.id, to: d.target });
    }
  }
  const folders = [...new Set(nodes.map((n) => n.group!))].sort(compareStrings);
  // One folder only: subgraphs add nothing.
  const groups = folders.length > 1 ? folders.map((f) => ({ key: f, title: folderTitle(f.slice('folder:'.length)) })) : [];
  return { direction: 'LR', groups, nodes, edges: mergeEdges(edges) };
}

/** Steps that shrink the overview: folders first, then top-level folders. */
function overviewSteps(pathOf: Map<string, string>): CollapseStep[] {
  const folderOf = (n: FlowNode) => workspaceFolder(pathOf.get(n.key) ?? '.');
  return [
    (g) => {
      const r = foldBy(
        g,
        (n) => pathOf.has(n.key),
        folderOf,
        (k, n) => `${folderTitle(k)} (${plural(n, 'component')})`,
        () => undefined,
      );
      if (r.groups === 0) return undefined;
      const graph = { ...r.graph, groups: [] };
      return {
        graph,
        note: `Overview: ${plural(r.folded, 'component')} are grouped into ${plural(r.groups, 'node')}, one per workspace folder; a number on an arrow counts the dependencies it stands for.`,
      };
    },
    (g) => {
      const top = (n: FlowNode) => {
        const p = n.key.startsWith('group:') ? n.key.slice('group:'.length) : (pathOf.get(n.key) ?? '.');
        return topFolder(p === '.' ? '.' : p + '/x');
      };
      const r = foldBy(
        g,
        () => true,
        top,
        (k, n) => `${folderTitle(k)} (${plural(n, 'group')})`,
        () => undefined,
      );
      if (r.groups === 0) return undefined;
      return { graph: r.graph, note: `Folders are further grouped by top-level folder (${plural(r.groups, 'node')}).` };
    },
  ];
}

/** In-degree threshold above which a component counts as widely shared. */
function hubs(g: FlowGraph): Set<string> {
  const indeg = new Map<string, number>();
  for (const e of g.edges) indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
  const threshold = Math.max(4, Math.ceil(g.nodes.length * 0.1));
  return new Set([...indeg].filter(([, n]) => n >= threshold).map(([k]) => k));
}

/** A diagram of `members` with their neighbours folded by folder. */
function clusterDiagram(g: FlowGraph, members: string[], pathOf: Map<string, string>, b: Budget): Diagram {
  const inside = new Set(members);
  const neighbours = new Set<string>();
  for (const e of g.edges) {
    if (inside.has(e.from) && !inside.has(e.to)) neighbours.add(e.to);
    if (inside.has(e.to) && !inside.has(e.from)) neighbours.add(e.from);
  }
  // Neighbours: what depends on the cluster (left), and what the cluster depends on (right).
  const USED_BY = 'folder:*used-by';
  const DEPENDS_ON = 'folder:*depends-on';
  const dependsOn = new Set(g.edges.filter((e) => inside.has(e.from) && !inside.has(e.to)).map((e) => e.to));
  const nodes: FlowNode[] = [
    ...g.nodes.filter((n) => inside.has(n.key)),
    ...g.nodes.filter((n) => neighbours.has(n.key)).map((n) => ({ ...n, group: dependsOn.has(n.key) ? DEPENDS_ON : USED_BY })),
  ];
  const keys = new Set(nodes.map((n) => n.key));
  const insideFolders = [...new Set(members.map((m) => workspaceFolder(pathOf.get(m) ?? '.')))].sort(compareStrings);
  let sub: FlowGraph = {
    direction: 'LR',
    groups: [
      { key: USED_BY, title: 'Used by' },
      ...(insideFolders.length > 1 ? insideFolders.map((f) => ({ key: `folder:${f}`, title: folderTitle(f) })) : []),
      { key: DEPENDS_ON, title: 'Depends on' },
    ],
    nodes,
    edges: g.edges.filter((e) => keys.has(e.from) && keys.has(e.to) && (inside.has(e.from) || inside.has(e.to))),
  };
  const notes: string[] = [];
  if (neighbours.size > 0 && overBudget(sub, b)) {
    const r = foldBy(
      sub,
      (n) => n.group === USED_BY || n.group === DEPENDS_ON,
      (n) => `${n.group}\u0000${workspaceFolder(pathOf.get(n.key) ?? '.')}`,
      (k, n) => `${folderTitle(k.split('\u0000')[1]!)} (${plural(n, 'component')})`,
    );
    if (r.groups > 0) {
      sub = r.graph;
      notes.push('Components outside this cluster are grouped by folder.');
    }
  }
  const widelyUsed = omitWidelyUsed(sub, 5, (n) => n.group === DEPENDS_ON);
  if (widelyUsed) {
    sub = widelyUsed.graph;
    notes.push(`Here, ${widelyUsed.note}.`);
  }
  return { code: printFlowchart(sub), notes };
}

/**
 * Drawn only when it adds something: when the high-level diagram folded libraries away or had to
 * collapse components (otherwise that diagram already shows every component dependency), or when
 * `arg` is 'always'.
 */
export function components(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  if (model.components.length < 2) return undefined;
  if (arg !== 'always' && !highLevelFolds(model, opts)) return undefined;
  const b = budgetOf(opts);
  const g = fullGraph(model.components);
  if (g.edges.length === 0) return undefined;
  if (!overBudget(g, b)) return { code: printFlowchart(g), notes: [] };

  const pathOf = new Map(model.components.map((c) => [c.id, c.path]));
  const overview = fitToBudget(g, b, overviewSteps(pathOf));
  const notes = [
    `${plural(g.nodes.length, 'component')} and ${plural(g.edges.length, 'dependency', 'dependencies')} are too many for one readable diagram (${overBudget(g, b)}).`,
    ...overview.notes,
  ];
  if (!overview.fits) notes.push(`Even grouped, the overview is over budget (${overBudget(overview.graph, b)}).`);
  let overviewGraph = overview.graph;
  const widelyUsed = omitWidelyUsed(overviewGraph);
  if (widelyUsed) {
    overviewGraph = widelyUsed.graph;
    notes.push(`In the overview, ${widelyUsed.note}.`);
  }

  // Clusters: connected parts once widely shared components are set aside.
  const shared = hubs(g);
  const clusterKeys = g.nodes.map((n) => n.key).filter((k) => !shared.has(k));
  const clusters = connectedClusters(
    clusterKeys,
    g.edges.filter((e) => !shared.has(e.from) && !shared.has(e.to)),
  );
  if (shared.size > 0) clusters.push([...shared].sort(compareStrings));
  const half = Math.max(2, Math.floor(b.maxNodes / 2));
  const folderOf = (k: string) => workspaceFolder(pathOf.get(k) ?? '.');
  // Big clusters split by folder; a component standing alone joins the part of its folder.
  const pieces: { what: string; keys: string[] }[] = [];
  const alone: string[] = [];
  for (const cluster of clusters) {
    if (cluster.length === 1 && !shared.has(cluster[0]!)) alone.push(cluster[0]!);
    else if (shared.has(cluster[0]!)) pieces.push({ what: 'Widely shared components', keys: cluster });
    else if (cluster.length <= half) pieces.push({ what: 'Cluster', keys: cluster });
    else {
      const byFolder = new Map<string, string[]>();
      for (const k of cluster) byFolder.set(folderOf(k), [...(byFolder.get(folderOf(k)) ?? []), k]);
      for (const [f, keys] of [...byFolder].sort((x, y) => compareStrings(x[0], y[0]))) {
        pieces.push({ what: `Folder ${folderTitle(f)}`, keys });
      }
    }
  }
  const leftovers = new Map<string, string[]>();
  for (const k of alone) {
    const home = pieces.find((p) => p.what === `Folder ${folderTitle(folderOf(k))}`);
    if (home) home.keys.push(k);
    else leftovers.set(folderOf(k), [...(leftovers.get(folderOf(k)) ?? []), k]);
  }
  for (const [f, keys] of [...leftovers].sort((x, y) => compareStrings(x[0], y[0]))) {
    pieces.push({ what: `Folder ${folderTitle(f)}`, keys });
  }
  const parts: NonNullable<Diagram['parts']> = [];
  const nameOf = (k: string) => model.components.find((c) => c.id === k)!.name;
  for (const piece of pieces) {
    const keys = [...piece.keys].sort(compareStrings);
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += half) chunks.push(keys.slice(i, i + half));
    chunks.forEach((chunk, i) => {
      const names = chunk.map(nameOf).sort(compareStrings);
      const title = `${piece.what}${chunks.length > 1 ? ` (part ${i + 1} of ${chunks.length})` : ''}: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
      parts.push({ key: chunk[0]!, title, diagram: clusterDiagram(g, chunk, pathOf, b) });
    });
  }
  if (shared.size > 0) {
    notes.push(
      `${plural(shared.size, 'component')} used by many others (${[...shared]
        .map((k) => cutTrailing(g.nodes.find((n) => n.key === k)!.text, [' ('], ')'))
        .sort(compareStrings)
        .join(', ')}) are set aside when finding clusters.`,
    );
  }
  notes.push(`Below, one diagram per cluster of related components (${plural(parts.length, 'diagram')}); every component appears in exactly one of them.`);
  return { code: printFlowchart(overviewGraph), notes, parts };
}
