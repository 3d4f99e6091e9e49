/**
 * High-level architecture: `graph TB` with one subgraph per layer (Client, Application, Shared
 * libraries, Messaging, Data, External). Sync edges are solid, queue edges dotted. Over budget
 * it collapses step by step, and a note under the diagram says which steps were taken: libraries
 * grouped by workspace folder, then folded into one node, then applications grouped by folder,
 * then every layer drawn as one node.
 */
import type { Component, Model } from '../model/schema.js';
import type { Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';
import {
  budgetOf,
  fitToBudget,
  foldBy,
  omitWidelyUsed,
  overBudget,
  printFlowchart,
  workspaceFolder,
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

/**
 * Many nodes side by side in one layer make a strip too wide to read (GitHub scales it down to
 * the page): lay the layers out left to right instead, so each layer becomes a column.
 */
function wideToLR(g: FlowGraph): FlowGraph {
  const widest = Math.max(...LAYERS.map((l) => g.nodes.filter((n) => n.group === `layer:${l}`).length));
  return widest > WIDE ? { ...g, direction: 'LR' } : g;
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export function highLevel(model: Model, _arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const nodes: FlowNode[] = [];
  const add = (key: string, text: string, shape: FlowNode['shape'], layer: string) => nodes.push({ key, text, shape, group: `layer:${layer}` });
  for (const c of model.components) add(c.id, `${c.name} (${c.kind})`, c.kind === 'frontend' ? 'client' : 'box', layerOf(c));
  for (const q of model.queues) add(q.id, `${q.name} (${q.tech})`, 'queue', 'Messaging');
  for (const d of model.dataStores) add(d.id, d.name, 'db', 'Data');
  for (const x of model.externalServices) add(x.id, x.name, 'external', 'External');
  if (nodes.length === 0) return undefined;

  const edges: FlowEdge[] = [];
  for (const c of model.components) for (const d of c.dependsOn) edges.push({ from: c.id, to: d.target });
  for (const d of model.dataStores) for (const u of d.usedBy) edges.push({ from: u, to: d.id });
  for (const x of model.externalServices) for (const u of x.usedBy) edges.push({ from: u, to: x.id });
  for (const q of model.queues) {
    for (const p of q.producers) edges.push({ from: p, to: q.id, style: 'dotted' });
    for (const c of q.consumers) edges.push({ from: q.id, to: c, style: 'dotted' });
  }
  // Only edges between drawn nodes; a dependency on the same component twice is one edge.
  const keys = new Set(nodes.map((n) => n.key));
  const seen = new Set<string>();
  const unique = edges.filter((e) => {
    const k = `${e.from}\u0000${e.to}\u0000${e.style ?? 'solid'}`;
    if (seen.has(k) || !keys.has(e.from) || !keys.has(e.to) || e.from === e.to) return false;
    seen.add(k);
    return true;
  });
  const graph: FlowGraph = {
    direction: 'TB',
    groups: LAYERS.map((l) => ({ key: `layer:${l}`, title: l })),
    nodes,
    edges: unique,
  };
  const b = budgetOf(opts);
  const why = overBudget(graph, b);
  if (!why) return { code: printFlowchart(wideToLR(graph)), notes: [] };

  const comp = new Map(model.components.map((c) => [c.id, c]));
  const isLibrary = (n: FlowNode) => comp.get(n.key)?.kind === 'library';
  const folder = (n: FlowNode) => workspaceFolder(comp.get(n.key)?.path ?? '.');
  const steps: CollapseStep[] = [
    (g) => {
      const r = foldBy(g, isLibrary, folder, (k, n) => `${plural(n, 'library', 'libraries')} in ${k}/`);
      return r.groups === 0
        ? undefined
        : { graph: r.graph, note: `${plural(r.folded, 'library', 'libraries')} are grouped by workspace folder into ${plural(r.groups, 'node')}.` };
    },
    (g) => {
      const libs = g.nodes.filter((n) => n.group === 'layer:Shared libraries');
      if (libs.length < 2) return undefined;
      const total = model.components.filter((c) => c.kind === 'library').length;
      const r = foldBy(
        g,
        (n) => n.group === 'layer:Shared libraries',
        () => '*libraries',
        () => `${plural(total, 'shared library', 'shared libraries')}`,
      );
      return { graph: r.graph, note: `All ${plural(total, 'shared library', 'shared libraries')} are folded into one node.` };
    },
    (g) => {
      const r = foldBy(
        g,
        (n) => comp.has(n.key) && !isLibrary(n),
        (n) => `${n.group}\u0000${folder(n)}`,
        (k, n) => `${plural(n, 'component')} in ${k.split('\u0000')[1]}/`,
      );
      return r.groups === 0
        ? undefined
        : { graph: r.graph, note: `${plural(r.folded, 'application component')} are grouped by workspace folder into ${plural(r.groups, 'node')}.` };
    },
    (g) => {
      const r = foldBy(
        g,
        () => true,
        (n) => n.group ?? '',
        (k, n) => `${k.slice('layer:'.length)} (${plural(n, 'node')})`,
      );
      return r.groups === 0 ? undefined : { graph: r.graph, note: 'Each layer is drawn as one node.' };
    },
  ];
  const fitted = fitToBudget(graph, b, steps);
  let result = fitted.graph;
  const taken = fitted.notes.map((n) => n.replace(/\.$/, ''));
  const hubs = omitWidelyUsed(result);
  if (hubs) {
    result = hubs.graph;
    taken.push(hubs.note);
  }
  result = wideToLR(result);
  const notes = [
    `Collapsed to stay readable (the full diagram would have ${why}): ${taken.join('; ')}. The Components section lists every component and dependency; a number on an arrow counts the links it stands for.`,
  ];
  if (!fitted.fits) notes.push(`Even collapsed, the diagram is over budget (${overBudget(fitted.graph, b)}).`);
  return { code: printFlowchart(result), notes };
}
