/**
 * High-level architecture: `graph TB` with one subgraph per layer (Client, Application, Shared
 * libraries, Messaging, Data, External). Sync edges are solid, queue edges dotted. Over the node
 * budget, libraries fold into one node and parallel edges merge, and the note says so.
 */
import type { Component, Model } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { label, nodeId, type Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';

interface Node {
  id: string;
  text: string;
  shape: 'box' | 'db' | 'queue' | 'external' | 'client';
  layer: string;
}

const LAYERS = ['Client', 'Application', 'Shared libraries', 'Messaging', 'Data', 'External'];

function layerOf(c: Component): string {
  if (c.kind === 'frontend') return 'Client';
  if (c.kind === 'library') return 'Shared libraries';
  return 'Application';
}

function shape(n: Node): string {
  const l = label(n.text);
  switch (n.shape) {
    case 'db':
      return `${n.id}[(${l})]`;
    case 'queue':
      return `${n.id}[/${l}/]`;
    case 'external':
      return `${n.id}{{${l}}}`;
    case 'client':
      return `${n.id}([${l}])`;
    default:
      return `${n.id}[${l}]`;
  }
}

export function highLevel(model: Model, _arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const notes: string[] = [];
  const nodes = new Map<string, Node>();
  const add = (factId: string, text: string, s: Node['shape'], layer: string) =>
    nodes.set(factId, { id: nodeId(factId), text, shape: s, layer });
  for (const c of model.components) add(c.id, `${c.name} (${c.kind})`, c.kind === 'frontend' ? 'client' : 'box', layerOf(c));
  for (const q of model.queues) add(q.id, `${q.name} (${q.tech})`, 'queue', 'Messaging');
  for (const d of model.dataStores) add(d.id, d.name, 'db', 'Data');
  for (const x of model.externalServices) add(x.id, x.name, 'external', 'External');
  if (nodes.size === 0) return undefined;

  // Fold libraries when over budget: one node stands for all of them.
  const alias = new Map<string, string>();
  const libraries = model.components.filter((c) => c.kind === 'library');
  if (nodes.size > opts.maxNodes && libraries.length > 1) {
    const folded = 'component:*libraries';
    for (const l of libraries) {
      nodes.delete(l.id);
      alias.set(l.id, folded);
    }
    add(folded, `${libraries.length} shared libraries`, 'box', 'Shared libraries');
    notes.push(`${libraries.length} shared libraries are folded into one node to keep the diagram readable; the Components section lists each.`);
  }
  const resolve = (id: string) => alias.get(id) ?? id;

  const edges = new Map<string, { from: string; to: string; dotted: boolean; count: number }>();
  const edge = (from: string, to: string, dotted: boolean) => {
    const a = resolve(from);
    const b = resolve(to);
    if (a === b || !nodes.has(a) || !nodes.has(b)) return;
    const key = `${a}\u0000${b}\u0000${dotted}`;
    const e = edges.get(key);
    if (e) e.count++;
    else edges.set(key, { from: a, to: b, dotted, count: 1 });
  };
  for (const c of model.components) for (const d of c.dependsOn) edge(c.id, d.target, false);
  for (const d of model.dataStores) for (const u of d.usedBy) edge(u, d.id, false);
  for (const x of model.externalServices) for (const u of x.usedBy) edge(u, x.id, false);
  for (const q of model.queues) {
    for (const p of q.producers) edge(p, q.id, true);
    for (const c of q.consumers) edge(q.id, c, true);
  }

  const lines = ['graph TB'];
  const byLayer = new Map<string, Node[]>();
  for (const n of nodes.values()) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n]);
  for (const layer of LAYERS) {
    const list = (byLayer.get(layer) ?? []).sort((a, b) => compareStrings(a.id, b.id));
    if (list.length === 0) continue;
    lines.push(`  subgraph ${nodeId('layer:' + layer)}[${label(layer)}]`);
    for (const n of list) lines.push(`    ${shape(n)}`);
    lines.push('  end');
  }
  const sorted = [...edges.values()].sort(
    (a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || Number(a.dotted) - Number(b.dotted),
  );
  let shown = sorted;
  if (sorted.length > opts.maxEdges) {
    shown = sorted.filter((e) => e.dotted || e.count > 1).slice(0, opts.maxEdges);
    notes.push(`${sorted.length - shown.length} of ${sorted.length} edges are not drawn (over the ${opts.maxEdges}-edge budget); the Components section lists every dependency.`);
  }
  for (const e of shown) {
    const from = nodes.get(e.from)!.id;
    const to = nodes.get(e.to)!.id;
    const text = e.count > 1 ? `|${e.count}|` : '';
    lines.push(`  ${from} ${e.dotted ? '-.->' : '-->'}${text} ${to}`);
  }
  return { code: lines.join('\n'), notes };
}
