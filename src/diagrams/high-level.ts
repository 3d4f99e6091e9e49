/**
 * High-level architecture: `graph TB` of the deployable units (services, workers, functions, front
 * ends, command-line tools, infrastructure apps) and the stores, queues and external services they
 * use, one subgraph per layer (Client, Application, Messaging, Data, External). Sync edges are
 * solid, queue edges dotted.
 *
 * Libraries are not drawn: each is folded into the units that depend on it (directly or through
 * other libraries), so a store a library opens becomes an arrow from every unit that uses the
 * library; the Component dependencies diagram draws the libraries themselves. A repository with no
 * deployable unit (a library collection) keeps its libraries as the nodes.
 *
 * Over budget it collapses step by step, and a note under the diagram says which steps were
 * taken: channels grouped per broker (technology) with counts, then external services grouped by
 * kind, then units of one kind and workspace folder folded together, the largest group first and
 * only as many groups as it takes to fit (so units stay visible up to the node budget), then units
 * grouped by kind. It is never reduced to one box per layer.
 */
import { compareStrings } from '../model/compare.js';
import type { Component, Model } from '../model/schema.js';
import type { Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';
import { schemeProtocol } from '../render/protocol-names.js';
import {
  budgetOf,
  fitToBudget,
  foldBy,
  foldNodes,
  omitWidelyUsed,
  overBudget,
  printFlowchart,
  sizeOf,
  workspaceFolder,
  type Budget,
  type CollapseStep,
  type FlowEdge,
  type FlowGraph,
  type FlowNode,
} from './budget.js';

/** More nodes than this in one layer and the diagram is drawn left to right. */
const WIDE = 6;

const LAYERS = ['Client', 'Application', 'Shared libraries', 'Messaging', 'Data', 'External'];

function layerOf(c: Component): string {
  if (c.kind === 'frontend') return 'Client';
  if (c.kind === 'library') return 'Shared libraries';
  return 'Application';
}

/** How a kind of component is named in a group label. */
const KIND_NAMES: Record<Component['kind'], [string, string]> = {
  service: ['service', 'services'],
  worker: ['worker', 'workers'],
  frontend: ['front end', 'front ends'],
  library: ['library', 'libraries'],
  cli: ['command-line tool', 'command-line tools'],
  function: ['function', 'functions'],
  infrastructure: ['infrastructure app', 'infrastructure apps'],
};

/**
 * Many nodes side by side in one layer make a strip too wide to read (GitHub scales it down to
 * the page): lay the layers out left to right instead, so each layer becomes a column.
 */
function wideToLR(g: FlowGraph): FlowGraph {
  const widest = Math.max(...LAYERS.map((l) => g.nodes.filter((n) => n.group === `layer:${l}`).length));
  return widest > WIDE ? { ...g, direction: 'LR' } : g;
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/**
 * For each library, the deployable units that reach it through dependencies (directly or through
 * other libraries). Breadth-first from each unit over library edges only: linear per unit.
 */
function libraryUsers(model: Model, units: readonly Component[]): Map<string, string[]> {
  const byId = new Map(model.components.map((c) => [c.id, c]));
  const users = new Map<string, Set<string>>();
  for (const u of units) {
    const seen = new Set<string>();
    const queue = u.dependsOn.map((d) => d.target);
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      const c = byId.get(id);
      if (c?.kind !== 'library') continue;
      seen.add(id);
      users.set(id, (users.get(id) ?? new Set()).add(u.id));
      for (const d of c.dependsOn) if (!seen.has(d.target)) queue.push(d.target);
    }
  }
  return new Map([...users].map(([k, v]) => [k, [...v].sort(compareStrings)]));
}

interface Built {
  graph: FlowGraph;
  /** Libraries left out of the drawing (folded into the units that use them). */
  foldedLibraries: number;
  /** Of those, how many had an arrow to a store, queue, external service or unit that was moved onto their users. */
  carried: number;
  /** Of those, how many no unit uses. */
  unused: number;
}

/**
 * What the arrow from a unit to one target says: the protocol of a remote call (`gRPC` from a
 * client stub, else the scheme its deployment configures, else `calls`), nothing for code it uses.
 */
function callText(deps: Component['dependsOn']): string | undefined {
  if (deps.some((d) => d.kind === 'rpc')) return 'gRPC';
  const calls = deps.filter((d) => d.kind === 'call');
  if (calls.length === 0) return undefined;
  return calls.map((d) => schemeProtocol(d.protocol)).find((p) => p !== undefined) ?? 'calls';
}

/** The full graph before any collapsing. */
function build(model: Model): Built | undefined {
  const units = model.components.filter((c) => c.kind !== 'library');
  // A library collection has no unit to fold into: its libraries are what there is to draw.
  const foldLibraries = units.length > 0;
  const users = foldLibraries ? libraryUsers(model, units) : new Map<string, string[]>();
  // A library no unit uses, that opens a store, a channel or an external service itself, is drawn
  // as it is (folding it into nothing would lose those arrows).
  const ownUse = new Set([
    ...model.dataStores.flatMap((d) => d.usedBy),
    ...model.externalServices.flatMap((x) => x.usedBy),
    ...model.queues.flatMap((q) => [...q.producers, ...q.consumers]),
  ]);
  const libraries = new Set(model.components.filter((c) => c.kind === 'library' && foldLibraries && !(!users.has(c.id) && ownUse.has(c.id))).map((c) => c.id));
  const drawn = model.components.filter((c) => !libraries.has(c.id));
  const nodes: FlowNode[] = [];
  const add = (key: string, text: string, shape: FlowNode['shape'], layer: string) => nodes.push({ key, text, shape, group: `layer:${layer}` });
  for (const c of drawn) add(c.id, `${c.name} (${c.kind})`, c.kind === 'frontend' ? 'client' : 'box', layerOf(c));
  for (const q of model.queues) add(q.id, `${q.name} (${q.tech})`, 'queue', 'Messaging');
  for (const d of model.dataStores) add(d.id, d.name, 'db', 'Data');
  for (const x of model.externalServices) add(x.id, x.name, 'external', 'External');
  if (nodes.length === 0) return undefined;

  /** Who an edge end stands for: a folded library becomes every unit that uses it. */
  const ends = (id: string): string[] => (libraries.has(id) ? (users.get(id) ?? []) : [id]);
  const comp = new Set(model.components.map((c) => c.id));
  const carried = new Set<string>();
  const edges: FlowEdge[] = [];
  const push = (from: string, to: string, style?: FlowEdge['style'], text?: string) => {
    // A dependency on a library is what the folding already follows (a unit stands for its libraries).
    if (libraries.has(to) && comp.has(from)) return;
    for (const f of ends(from)) for (const t of ends(to)) edges.push({ from: f, to: t, ...(style ? { style } : {}), ...(text ? { text } : {}) });
    // A library's own arrow carried onto its users (not a unit's arrow into a library, which is just dropped).
    if (libraries.has(from) && (users.get(from)?.length ?? 0) > 0 && !libraries.has(to)) carried.add(from);
  };
  for (const c of model.components) {
    for (const d of c.dependsOn) push(c.id, d.target, undefined, callText(c.dependsOn.filter((x) => x.target === d.target)));
  }
  for (const d of model.dataStores) for (const u of d.usedBy) push(u, d.id);
  for (const x of model.externalServices) for (const u of x.usedBy) push(u, x.id);
  for (const q of model.queues) {
    for (const p of q.producers) push(p, q.id, 'dotted');
    for (const c of q.consumers) push(q.id, c, 'dotted');
  }
  // Only edges between drawn nodes; the same link twice is one edge.
  const keys = new Set(nodes.map((n) => n.key));
  const seen = new Set<string>();
  const unique = edges
    .filter((e) => {
      const k = `${e.from}\u0000${e.to}\u0000${e.style ?? 'solid'}`;
      if (seen.has(k) || !keys.has(e.from) || !keys.has(e.to) || e.from === e.to) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.style ?? '', b.style ?? ''));
  const graph: FlowGraph = { direction: 'TB', groups: LAYERS.map((l) => ({ key: `layer:${l}`, title: l })), nodes, edges: unique };
  const unused = [...libraries].filter((l) => !users.has(l)).length;
  return { graph, foldedLibraries: libraries.size, carried: carried.size, unused };
}

/** Collapse steps, in order; each says what it folded. */
function steps(model: Model, b: Budget): CollapseStep[] {
  const comp = new Map(model.components.map((c) => [c.id, c]));
  const queue = new Map(model.queues.map((q) => [q.id, q]));
  const external = new Map(model.externalServices.map((x) => [x.id, x]));
  const isUnit = (n: FlowNode) => comp.has(n.key);
  const folder = (n: FlowNode) => workspaceFolder(comp.get(n.key)?.path ?? '.');
  const kindOf = (n: FlowNode) => comp.get(n.key)!.kind;
  return [
    // Channels of one broker become one node with their count (their arrows merge, with counts).
    (g) => {
      const r = foldBy(
        g,
        (n) => queue.has(n.key),
        (n) => `channels:${queue.get(n.key)!.tech}`,
        (k, n) => `${plural(n, `${k.slice('channels:'.length)} channel`)}`,
      );
      return r.groups === 0
        ? undefined
        : {
            graph: r.graph,
            note: `${plural(r.folded, 'channel')} are grouped per broker into ${plural(r.groups, 'node')} (the Message flow section lists each)`,
          };
    },
    (g) => {
      const r = foldBy(
        g,
        (n) => external.has(n.key),
        (n) => `externals:${external.get(n.key)!.kind}`,
        (k, n) => `${plural(n, `${k.slice('externals:'.length)} external service`)}`,
      );
      return r.groups === 0
        ? undefined
        : { graph: r.graph, note: `${plural(r.folded, 'external service')} are grouped by kind into ${plural(r.groups, 'node')}` };
    },
    // Units of one kind in one workspace folder fold together, the largest group first, only until the graph fits.
    (g) => {
      const buckets = new Map<string, FlowNode[]>();
      for (const n of g.nodes) {
        if (!isUnit(n)) continue;
        const k = `${kindOf(n)}\u0000${folder(n)}`;
        buckets.set(k, [...(buckets.get(k) ?? []), n]);
      }
      const order = [...buckets].filter(([, m]) => m.length > 1).sort((a, b) => b[1].length - a[1].length || compareStrings(a[0], b[0]));
      let graph = g;
      let folded = 0;
      let groups = 0;
      for (const [k, members] of order) {
        if (!overBudget(graph, b)) break;
        const [kind, dir] = k.split('\u0000') as [Component['kind'], string];
        const key = `group:units:${k}`;
        const alias = new Map(members.map((m) => [m.key, key]));
        const title = `${members.length} ${KIND_NAMES[kind][1]} in ${dir === '.' ? '(repository root)' : `${dir}/`}`;
        graph = foldNodes(graph, alias, [{ key, text: title, shape: 'group', group: members[0]!.group }]);
        folded += members.length;
        groups++;
      }
      if (groups === 0) return undefined;
      return {
        graph,
        note: `${plural(folded, 'deployable unit')} are grouped by kind and workspace folder into ${plural(groups, 'node')} (the largest groups only; every other unit is drawn)`,
      };
    },
    (g) => {
      const r = foldBy(
        g,
        (n) => isUnit(n) || n.key.startsWith('group:units:'),
        (n) => `kind:${isUnit(n) ? kindOf(n) : n.key.slice('group:units:'.length).split('\u0000')[0]}`,
        (k) => {
          const kind = k.slice('kind:'.length) as Component['kind'];
          const total = model.components.filter((c) => c.kind === kind).length;
          return `${total} ${KIND_NAMES[kind][total === 1 ? 0 : 1]}`;
        },
      );
      return r.groups === 0 ? undefined : { graph: r.graph, note: `deployable units are grouped by kind into ${plural(r.groups, 'node')}` };
    },
  ];
}

/** True when the high-level diagram leaves out component dependencies (folded libraries, collapsed units). */
export function highLevelFolds(model: Model, opts: DiagramOptions): boolean {
  const built = build(model);
  if (!built) return false;
  const libraries = new Set(model.components.filter((c) => c.kind === 'library').map((c) => c.id));
  // Folded libraries hide dependencies only when some component depends on one, or one depends on something.
  const hidden =
    built.foldedLibraries > 0 &&
    model.components.some((c) => c.dependsOn.length > 0 && (libraries.has(c.id) || c.dependsOn.some((d) => libraries.has(d.target))));
  return hidden || overBudget(built.graph, budgetOf(opts)) !== undefined;
}

/** What the diagram says about the libraries it leaves out. */
function libraryNote(b: Built): string {
  const f = b.foldedLibraries;
  const used = f - b.unused;
  const head = `${plural(f, 'library', 'libraries')} ${f === 1 ? 'is' : 'are'} not drawn: `;
  const through = b.carried > 0 ? ', so an arrow to or from a unit may pass through one of its libraries' : '';
  const tail = ' The Components section lists every library.';
  if (b.unused === 0) return `${head}${f === 1 ? 'it is' : 'each is'} folded into the deployable units that use it${through}.${tail}`;
  const none = (n: number) =>
    n === 1
      ? 'no deployable unit uses it, and it opens no store, channel or external service itself'
      : 'no deployable unit uses them, and they open no store, channel or external service themselves';
  if (used === 0) return `${head}${none(f)}.${tail}`;
  return `${head}${used} ${used === 1 ? 'is' : 'are'} folded into the deployable units that use ${used === 1 ? 'it' : 'them'}${through}; for the other ${b.unused}, ${none(b.unused)}.${tail}`;
}

/**
 * Channels of one broker with the same producers and the same consumers say one thing on the
 * diagram (a request-reply API over 13 Kafka topics is one arrow each way): past a handful of
 * channels, three or more such are drawn as one node with their count, whatever the budget. The
 * arrows are the same as before, only fewer.
 */
/** Channels a high-level diagram draws one by one, whatever their ends. */
const SAME_ENDS_FROM = 8;

function foldSameEnds(model: Model, g: FlowGraph): { graph: FlowGraph; note?: string } {
  const queue = new Map(model.queues.map((q) => [q.id, q]));
  const signature = (id: string) => {
    const q = queue.get(id)!;
    return `ends:${q.tech}\u0000${[...q.producers].sort(compareStrings).join(',')}\u0000${[...q.consumers].sort(compareStrings).join(',')}`;
  };
  // A handful of channels keeps its names; past that, three or more with the same ends fold.
  const drawn = g.nodes.filter((n) => queue.has(n.key));
  if (drawn.length <= SAME_ENDS_FROM) return { graph: g };
  const size = new Map<string, number>();
  for (const n of drawn) size.set(signature(n.key), (size.get(signature(n.key)) ?? 0) + 1);
  const r = foldBy(
    g,
    (n) => queue.has(n.key) && (size.get(signature(n.key)) ?? 0) >= 3,
    (n) => signature(n.key),
    (k, n) => `${n} ${k.slice('ends:'.length, k.indexOf('\u0000'))} channels`,
  );
  if (r.groups === 0) return { graph: g };
  const graph = { ...r.graph, nodes: r.graph.nodes.map((n) => (n.key.startsWith('group:ends:') ? { ...n, shape: 'queue' as const } : n)) };
  return {
    graph,
    note: `${plural(r.folded, 'channel')} that share their producers and consumers are drawn as ${plural(r.groups, 'node')} with their count (the Message flow section lists each).`,
  };
}

export function highLevel(model: Model, _arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const built = build(model);
  if (!built) return undefined;
  const same = foldSameEnds(model, built.graph);
  const graph = same.graph;
  const libNote = [...(built.foldedLibraries === 0 ? [] : [libraryNote(built)]), ...(same.note ? [same.note] : [])];
  const b = budgetOf(opts);
  const why = overBudget(graph, b);
  if (!why) return { code: printFlowchart(wideToLR(graph)), notes: libNote };

  const fitted = fitToBudget(graph, b, steps(model, b));
  let result = fitted.graph;
  const taken = [...fitted.notes];
  const hubs = omitWidelyUsed(result);
  if (hubs) {
    result = hubs.graph;
    taken.push(hubs.note);
  }
  result = wideToLR(result);
  const s = sizeOf(result);
  const notes = [
    ...libNote,
    `Collapsed to stay readable (the full diagram would have ${why}; this one has ${plural(s.nodes, 'node')} and ${plural(s.edges, 'arrow')}): ${taken.join('; ')}. A number on an arrow counts the links it stands for.`,
  ];
  if (!fitted.fits) notes.push(`Even collapsed, the diagram is over budget (${overBudget(fitted.graph, b)}).`);
  return { code: printFlowchart(result), notes };
}
