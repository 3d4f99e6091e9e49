/**
 * Size control shared by every builder. A diagram has a budget of nodes, edges and characters;
 * a builder that is over it collapses (folds nodes into groups, merges parallel edges, splits a
 * graph into clusters) and says what it did in a note under the diagram. Nothing is dropped
 * silently: the last resort, in `guardDiagram`, replaces a diagram that is still too big with a
 * sentence saying so.
 *
 * The flowchart helpers here work on a small graph (`FlowGraph`) keyed by fact ids, so builders
 * can collapse first and print once; printing sorts everything by code unit (deterministic).
 */
import { compareStrings } from '../model/compare.js';
import { cell } from '../render/escape.js';
import { edgeLabel, label, node, nodeId, type Diagram, type Shape } from './mermaid.js';

/** GitHub refuses to render a Mermaid block over 50,000 characters or with more than 500 edges. */
export const GITHUB_MAX_CHARS = 50_000;
export const GITHUB_MAX_EDGES = 500;

export interface Budget {
  maxNodes: number;
  maxEdges: number;
  maxChars: number;
}

export const DEFAULT_BUDGET: Budget = { maxNodes: 40, maxEdges: 80, maxChars: 20_000 };

/** The effective budget from diagram options (missing values take the defaults; hard limits cap them). */
export function budgetOf(opts: Partial<Budget> | undefined): Budget {
  return {
    maxNodes: opts?.maxNodes ?? DEFAULT_BUDGET.maxNodes,
    maxEdges: Math.min(opts?.maxEdges ?? DEFAULT_BUDGET.maxEdges, GITHUB_MAX_EDGES),
    maxChars: Math.min(opts?.maxChars ?? DEFAULT_BUDGET.maxChars, GITHUB_MAX_CHARS - 1_000),
  };
}

export interface FlowNode {
  /** Fact id (or a synthetic `group:` id for a folded group). */
  key: string;
  text: string;
  shape: Shape;
  /** Subgraph key, when the node is drawn inside one. */
  group?: string;
}

export interface FlowEdge {
  from: string;
  to: string;
  style?: 'solid' | 'dotted' | 'thick';
  /** Edge text; merged edges show their count instead. */
  text?: string;
  /** How many underlying edges this one stands for (merged parallel edges). */
  count?: number;
}

export interface FlowGraph {
  direction: 'TB' | 'LR';
  /**
   * Subgraphs in display order (keys are prefixed like fact ids, e.g. `layer:Data`, `folder:libs`,
   * so they never collide with node ids); nodes whose group is not listed are drawn at top level.
   */
  groups: { key: string; title: string }[];
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/**
 * Merge edges with the same ends and style into one carrying a count; self-loops and edges to
 * unknown nodes are dropped (they appear when nodes are folded together).
 */
export function mergeEdges(edges: FlowEdge[], known?: ReadonlySet<string>): FlowEdge[] {
  const merged = new Map<string, FlowEdge>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    if (known && (!known.has(e.from) || !known.has(e.to))) continue;
    const style = e.style ?? 'solid';
    const key = `${e.from}\u0000${e.to}\u0000${style}`;
    const prev = merged.get(key);
    const count = e.count ?? 1;
    if (prev) {
      prev.count = (prev.count ?? 1) + count;
      if (prev.text !== e.text) prev.text = undefined;
    } else merged.set(key, { ...e, style, count });
  }
  return [...merged.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.style ?? '', b.style ?? ''));
}

/**
 * Fold nodes into others: `alias` maps a node key to the key of the node that stands for it
 * (which must be in `added` or already in the graph). Edges are rewired and merged.
 */
export function foldNodes(g: FlowGraph, alias: ReadonlyMap<string, string>, added: FlowNode[] = []): FlowGraph {
  const nodes = [...g.nodes.filter((n) => !alias.has(n.key)), ...added];
  const keys = new Set(nodes.map((n) => n.key));
  const to = (k: string) => alias.get(k) ?? k;
  const edges = mergeEdges(
    g.edges.map((e) => ({ ...e, from: to(e.from), to: to(e.to) })),
    keys,
  );
  const usedGroups = new Set(nodes.map((n) => n.group));
  return { ...g, nodes, edges, groups: g.groups.filter((gr) => usedGroups.has(gr.key)) };
}

/** Arrow for an edge style. */
function arrow(style: FlowEdge['style']): string {
  return style === 'dotted' ? '-.->' : style === 'thick' ? '==>' : '-->';
}

/** Print a flowchart. Node ids come from `nodeId(key)`, labels from `label()`. */
export function printFlowchart(g: FlowGraph): string {
  const lines = [`graph ${g.direction}`];
  const byGroup = new Map<string | undefined, FlowNode[]>();
  const groupKeys = new Set(g.groups.map((gr) => gr.key));
  for (const n of g.nodes) {
    const k = n.group !== undefined && groupKeys.has(n.group) ? n.group : undefined;
    byGroup.set(k, [...(byGroup.get(k) ?? []), n]);
  }
  const sortNodes = (list: FlowNode[]) => [...list].sort((a, b) => compareStrings(nodeId(a.key), nodeId(b.key)));
  for (const n of sortNodes(byGroup.get(undefined) ?? [])) lines.push(`  ${node(nodeId(n.key), n.text, n.shape)}`);
  for (const gr of g.groups) {
    const list = byGroup.get(gr.key);
    if (!list || list.length === 0) continue;
    lines.push(`  subgraph ${nodeId(gr.key)}[${label(gr.title)}]`);
    for (const n of sortNodes(list)) lines.push(`    ${node(nodeId(n.key), n.text, n.shape)}`);
    lines.push('  end');
  }
  for (const e of mergeEdges(g.edges, new Set(g.nodes.map((n) => n.key)))) {
    const count = e.count ?? 1;
    const text = count > 1 ? String(count) : e.text;
    const t = text ? edgeLabel(text) : '';
    lines.push(`  ${nodeId(e.from)} ${arrow(e.style)}${t} ${nodeId(e.to)}`);
  }
  return lines.join('\n');
}

/** Counts used for budget checks. */
export function sizeOf(g: FlowGraph): { nodes: number; edges: number } {
  return { nodes: g.nodes.length, edges: mergeEdges(g.edges, new Set(g.nodes.map((n) => n.key))).length };
}

/** Why a graph is over budget, in words, or undefined when it fits. */
export function overBudget(g: FlowGraph, b: Budget): string | undefined {
  const s = sizeOf(g);
  if (s.nodes > b.maxNodes) return `${s.nodes} nodes, over the ${b.maxNodes}-node budget`;
  if (s.edges > b.maxEdges) return `${s.edges} edges, over the ${b.maxEdges}-edge budget`;
  const chars = printFlowchart(g).length;
  if (chars > b.maxChars) return `${chars} characters, over the ${b.maxChars}-character budget`;
  return undefined;
}

/**
 * Workspace folder of a component path: its parent directory (`libs/billing` for
 * `libs/billing/data-access`, `packages` for `packages/ui`, `.` for top-level folders).
 */
export function workspaceFolder(componentPath: string): string {
  const i = componentPath.lastIndexOf('/');
  return i <= 0 ? '.' : componentPath.slice(0, i);
}

/** First path segment (`libs` for `libs/billing/data-access`). */
export function topFolder(componentPath: string): string {
  const i = componentPath.indexOf('/');
  return i <= 0 ? '.' : componentPath.slice(0, i);
}

/**
 * Connected clusters of an undirected view of the graph, biggest first (ties by their smallest
 * key), each sorted by key. Deterministic whatever the input order.
 */
export function connectedClusters(keys: readonly string[], edges: readonly { from: string; to: string }[]): string[][] {
  const parent = new Map(keys.map((k) => [k, k]));
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = k;
    while (parent.get(c) !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const e of edges) {
    if (!parent.has(e.from) || !parent.has(e.to)) continue;
    const a = find(e.from);
    const b = find(e.to);
    if (a === b) continue;
    // Union towards the smaller key so roots do not depend on edge order.
    if (compareStrings(a, b) < 0) parent.set(b, a);
    else parent.set(a, b);
  }
  const groups = new Map<string, string[]>();
  for (const k of keys) {
    const r = find(k);
    groups.set(r, [...(groups.get(r) ?? []), k]);
  }
  return [...groups.values()].map((g) => g.sort(compareStrings)).sort((a, b) => b.length - a.length || compareStrings(a[0]!, b[0]!));
}

/**
 * Arrows into a node that nearly everything uses (a shared `core` or `logger` folder) say little
 * and cross the whole picture. Such a node keeps its place, its label says how many use it, and
 * its incoming arrows are left out; the note says so. Applies to nodes used by at least half of
 * the other nodes (and by at least `min`).
 */
export function omitWidelyUsed(g: FlowGraph, min = 5, only: (n: FlowNode) => boolean = () => true): { graph: FlowGraph; note: string } | undefined {
  const eligible = new Set(g.nodes.filter(only).map((n) => n.key));
  const users = new Map<string, Set<string>>();
  for (const e of g.edges) {
    if (e.style === 'dotted') continue;
    users.set(e.to, (users.get(e.to) ?? new Set()).add(e.from));
  }
  const threshold = Math.max(min, Math.ceil((g.nodes.length - 1) / 2));
  const hubs = [...users]
    .filter(([k, u]) => u.size >= threshold && eligible.has(k))
    .map(([k]) => k)
    .sort(compareStrings);
  if (hubs.length === 0) return undefined;
  const set = new Set(hubs);
  const names: string[] = [];
  const nodes = g.nodes.map((n) => {
    if (!set.has(n.key)) return n;
    names.push(n.text);
    return { ...n, text: `${n.text}, used by ${users.get(n.key)!.size}` };
  });
  const edges = g.edges.filter((e) => !(set.has(e.to) && e.style !== 'dotted'));
  return {
    graph: { ...g, nodes, edges },
    note: `arrows into ${names.sort(compareStrings).join(', ')} are left out because most of the diagram uses ${hubs.length === 1 ? 'it' : 'them'} (the label says how many)`,
  };
}

/** Rough edge count of any Mermaid source (flowchart, ER, state, sequence), for the last-resort guard. */
export function countEdges(code: string): number {
  let n = 0;
  for (const line of code.split('\n')) {
    if (!/^\s*%%/.test(line) && /--|==|-\.|\.\.|->|-x|-\)/.test(line)) n++;
  }
  return n;
}

/** One way of making a graph smaller; returns undefined when it does not apply. */
export type CollapseStep = (g: FlowGraph) => { graph: FlowGraph; note: string } | undefined;

/**
 * Apply collapse steps in order until the graph fits the budget, collecting a note for each step
 * taken. When none is left and the graph still does not fit, the result says so (`fits: false`).
 */
export function fitToBudget(g: FlowGraph, b: Budget, steps: CollapseStep[]): { graph: FlowGraph; notes: string[]; fits: boolean } {
  const notes: string[] = [];
  let graph = g;
  for (const step of steps) {
    if (!overBudget(graph, b)) break;
    const r = step(graph);
    if (!r) continue;
    graph = r.graph;
    notes.push(r.note);
  }
  return { graph, notes, fits: !overBudget(graph, b) };
}

/**
 * Fold the nodes `pick` selects into one group node per key `by(node)` returns; keys held by a
 * single node leave it alone. The group node is labelled `title(key, count)`.
 */
export function foldBy(
  g: FlowGraph,
  pick: (n: FlowNode) => boolean,
  by: (n: FlowNode) => string,
  title: (key: string, count: number) => string,
  group?: (key: string, members: FlowNode[]) => string | undefined,
): { graph: FlowGraph; folded: number; groups: number } {
  const buckets = new Map<string, FlowNode[]>();
  for (const n of g.nodes) {
    if (!pick(n)) continue;
    const k = by(n);
    buckets.set(k, [...(buckets.get(k) ?? []), n]);
  }
  const alias = new Map<string, string>();
  const added: FlowNode[] = [];
  let folded = 0;
  for (const [k, members] of [...buckets].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (members.length < 2) continue;
    const key = `group:${k}`;
    for (const m of members) alias.set(m.key, key);
    added.push({ key, text: title(k, members.length), shape: 'group', group: group ? group(k, members) : members[0]!.group });
    folded += members.length;
  }
  return { graph: foldNodes(g, alias, added), folded, groups: added.length };
}

/**
 * Last resort after a builder: a diagram GitHub would refuse (or that blows the character
 * budget even after collapsing) is replaced by a note saying so, never cut short.
 */
export function guardDiagram(d: Diagram, what: string, b: Budget): Diagram {
  const guardOne = (x: Diagram): Diagram => {
    const chars = x.code.length;
    const edges = countEdges(x.code);
    if (chars <= Math.max(b.maxChars, 1) && edges <= GITHUB_MAX_EDGES) return x;
    return {
      code: `graph TB\n  ${node(nodeId('too-big:' + what), `${what}: too large to draw`, 'box')}`,
      notes: [
        ...x.notes,
        `The ${what} diagram would have ${edges} edges and ${chars} characters, more than can be drawn readably (budget ${b.maxChars} characters; GitHub refuses over ${GITHUB_MAX_EDGES} edges), so it is not drawn. The tables in this document list every fact it would show.`,
      ],
    };
  };
  const out = guardOne(d);
  if (d.parts) out.parts = d.parts.map((p) => ({ ...p, diagram: guardOne(p.diagram) }));
  return out;
}

/** A flowchart with more boxes than this and no edge at all says nothing a list would not: it becomes a table. */
export const FEW_NODES = 5;

/** What each node shape stands for, in the table's Kind column. */
const SHAPE_KINDS: Record<string, string> = {
  '[(': 'data store',
  '[/': 'queue',
  '{{': 'external service',
  '([': 'client',
  '[[': 'worker',
  '(': 'component',
  '[': 'component',
};

/** The characters `label()` writes as entities, back (`#35;` → `#`). */
function unlabel(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '#') {
      const end = text.indexOf(';', i + 1);
      const name = end > i && end - i <= 6 ? text.slice(i + 1, end) : '';
      const ch = name === 'quot' ? '"' : name === 'lt' ? '<' : name === 'gt' ? '>' : /^\d{1,5}$/.test(name) ? String.fromCharCode(Number(name)) : undefined;
      if (ch !== undefined) {
        out += ch;
        i = end + 1;
        continue;
      }
    }
    out += text[i];
    i++;
  }
  return out;
}

/**
 * The boxes of a flowchart as printed by `printFlowchart` or `node()`, with the subgraph each is
 * in; undefined for another kind of diagram, or when any edge joins two of them.
 */
export function edgelessNodes(code: string): { name: string; group?: string; kind: string }[] | undefined {
  const lines = code.split('\n');
  const head = lines[0]?.trim() ?? '';
  if (!head.startsWith('graph ') && !head.startsWith('flowchart ')) return undefined;
  if (countEdges(lines.slice(1).join('\n')) > 0) return undefined;
  const nodes: { name: string; group?: string; kind: string }[] = [];
  const groups: string[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%%')) continue;
    const open = line.indexOf('"');
    const close = line.lastIndexOf('"');
    if (line === 'end') {
      groups.pop();
      continue;
    }
    if (line.startsWith('subgraph ')) {
      groups.push(open >= 0 && close > open ? unlabel(line.slice(open + 1, close)) : line.slice('subgraph '.length));
      continue;
    }
    if (open < 0 || close <= open) continue;
    let id = 0;
    while (id < open && /[A-Za-z0-9_]/.test(line[id]!)) id++;
    const opener = line.slice(id, open);
    // `[/…\]` is a group of folded nodes; `[/…/]` a queue.
    const kind = opener === '[/' && line.endsWith('\\]') ? 'group' : (SHAPE_KINDS[opener] ?? 'component');
    nodes.push({ name: unlabel(line.slice(open + 1, close)), group: groups.at(-1), kind });
  }
  return nodes;
}

/**
 * A flowchart of more than `FEW_NODES` boxes with no edge between them is a list drawn as a
 * picture (20 boxes, 2,000 pixels tall): it is shown as a table instead, with the group each box
 * was drawn in and, when they differ, what kind of box it is; a note says why. Applied to a
 * diagram and to each of its parts.
 */
export function tabulateEdgeless(d: Diagram, what: string): Diagram {
  const one = (x: Diagram): Diagram => {
    const nodes = edgelessNodes(x.code);
    if (!nodes || nodes.length <= FEW_NODES) return x;
    const grouped = nodes.some((n) => n.group !== undefined);
    const kinds = new Set(nodes.map((n) => n.kind)).size > 1;
    const sorted = [...nodes].sort((a, b) => compareStrings(a.group ?? '', b.group ?? '') || compareStrings(a.name, b.name));
    const head = ['Name', ...(grouped ? ['Group'] : []), ...(kinds ? ['Kind'] : [])];
    const rows = sorted.map((n) => `| ${[cell(n.name), ...(grouped ? [cell(n.group ?? '')] : []), ...(kinds ? [n.kind] : [])].join(' | ')} |`);
    const table = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows].join('\n');
    return {
      ...x,
      table,
      notes: [
        `The ${what.toLowerCase()} diagram would show ${nodes.length} boxes with no connection between any of them, so they are listed instead.`,
        ...x.notes,
      ],
    };
  };
  const out = one(d);
  if (d.parts) out.parts = d.parts.map((p) => ({ ...p, diagram: one(p.diagram) }));
  return out;
}
