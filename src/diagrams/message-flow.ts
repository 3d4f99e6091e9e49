/**
 * Message flow: `flowchart LR` of producer → channel → consumer with dotted (asynchronous) edges;
 * RabbitMQ exchanges point at the queues bound to them. With a component id as argument, only the
 * channels that component touches.
 *
 * At scale (more than DETAILED_MAX_NODES channels and components together) one node per channel
 * makes a picture too wide to read, so the diagram is drawn grouped instead: one node per
 * component, one arrow per producer component → consumer component pair, labelled with the
 * channel's name or the number of channels it stands for ("12 Kafka channels"); channels with no
 * producer or no consumer in the repository start or end at a node saying so. The table above the
 * diagram keeps the per-channel detail. Past the node budget components are grouped by workspace
 * folder; past the edge budget the busiest pairs are drawn and the note says how many are not.
 */
import type { Model, Queue } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { edgeLabel, label, node, nodeId, type Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';
import { workspaceFolder } from './budget.js';

/** More channels and components than this together and the diagram is grouped by component pair. */
export const DETAILED_MAX_NODES = 24;

export function messageFlow(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const only = typeof arg === 'string' ? arg : undefined;
  let queues = model.queues.filter((q) => !only || q.producers.includes(only) || q.consumers.includes(only));
  if (queues.length === 0) return undefined;
  const notes: string[] = [];
  const names = new Map(model.components.map((c) => [c.id, c.name]));
  const involved = new Set(queues.flatMap((q) => [...q.producers, ...q.consumers]));
  if (queues.length + involved.size > Math.min(DETAILED_MAX_NODES, opts.maxNodes)) return grouped(model, queues, opts);

  // Within the detailed size every channel and component is drawn (bigger is drawn grouped, below).
  const comps = involved;
  queues = [...queues].sort((a, b) => compareStrings(a.id, b.id));
  const keptIds = new Set(queues.map((q) => q.id));

  const lines = ['flowchart LR'];
  for (const c of [...comps].sort(compareStrings)) lines.push(`  ${nodeId(c)}[${label(names.get(c) ?? c)}]`);
  for (const q of queues) {
    const kind = typeof q.details?.kind === 'string' ? `${q.tech} ${q.details.kind}` : q.tech;
    lines.push(`  ${nodeId(q.id)}[/${label(`${q.name} (${kind})`)}/]`);
  }
  const edges: string[] = [];
  for (const q of queues) {
    const jobs = q.messages ?? [];
    const text = jobs.length === 0 ? '' : edgeLabel(jobs.length <= 2 ? jobs.join(', ') : `${jobs.length} message types`, 40);
    for (const p of q.producers) edges.push(`  ${nodeId(p)} -.->${text} ${nodeId(q.id)}`);
    const drained = Array.isArray(q.details?.drainedBy) ? q.details.drainedBy : [];
    // An exchange's consumers through a bound queue that is drawn are reached through that queue.
    const throughQueue = new Set(queues.filter((b) => drained.includes(b.id)).flatMap((b) => b.consumers));
    for (const c of q.consumers) if (!throughQueue.has(c)) edges.push(`  ${nodeId(q.id)} -.-> ${nodeId(c)}`);
    for (const target of drained) if (keptIds.has(target)) edges.push(`  ${nodeId(q.id)} -.-> ${nodeId(target)}`);
  }
  if (edges.length > opts.maxEdges) {
    notes.push(`${edges.length - opts.maxEdges} of ${edges.length} edges are not drawn (over the ${opts.maxEdges}-edge budget).`);
  }
  lines.push(...edges.slice(0, opts.maxEdges));
  return { code: lines.join('\n'), notes };
}

const NO_PRODUCER = 'mf:no-producer';
const NO_CONSUMER = 'mf:no-consumer';

/** The grouped drawing: components as nodes, one arrow per producer → consumer pair with its channels counted. */
function grouped(model: Model, queues: Queue[], opts: DiagramOptions): Diagram {
  const byId = new Map(model.queues.map((q) => [q.id, q]));
  const comps = new Map(model.components.map((c) => [c.id, c]));
  const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && byId.has(x)) : []);
  const pairs = new Map<string, { from: string; to: string; channels: Queue[] }>();
  let oneEnded = 0;
  for (const q of [...queues].sort((a, b) => compareStrings(a.id, b.id))) {
    const drained = ids(q.details?.drainedBy);
    // An exchange's traffic is counted on the queues bound to it (which take its producers).
    const throughQueue = new Set(drained.flatMap((d) => byId.get(d)!.consumers));
    const consumers = q.consumers.filter((c) => !throughQueue.has(c));
    if (drained.length > 0 && consumers.length === 0) continue;
    const fedBy = q.details?.filters ? [] : ids(q.details?.fedBy);
    const producers = q.producers.length > 0 ? q.producers : [...new Set(fedBy.flatMap((f) => byId.get(f)!.producers))];
    if (producers.length === 0 || consumers.length === 0) oneEnded++;
    for (const p of producers.length > 0 ? producers : [NO_PRODUCER]) {
      for (const c of consumers.length > 0 ? consumers : [NO_CONSUMER]) {
        const k = `${p}\u0000${c}`;
        const pair = pairs.get(k) ?? { from: p, to: c, channels: [] };
        pair.channels.push(q);
        pairs.set(k, pair);
      }
    }
  }
  const notes = [
    `${queues.length} channels are too many to draw one by one, so they are drawn grouped by the components they connect: one arrow per producer → consumer pair, labelled with its channel or the number of channels it stands for${oneEnded > 0 ? `; ${oneEnded} without a producer or a consumer in this repository start or end at a node saying so` : ''}. The table lists each channel.`,
  ];
  // Past the node budget, components are grouped by workspace folder.
  const ends = new Set([...pairs.values()].flatMap((p) => [p.from, p.to]));
  const nodeOf = new Map<string, string>([...ends].map((e) => [e, e]));
  const folderTitle = new Map<string, string>();
  if (ends.size > opts.maxNodes) {
    const byFolder = new Map<string, string[]>();
    for (const e of ends) {
      const c = comps.get(e);
      if (!c) continue;
      const f = workspaceFolder(c.path);
      byFolder.set(f, [...(byFolder.get(f) ?? []), e]);
    }
    let folded = 0;
    for (const [f, members] of byFolder) {
      if (members.length < 2) continue;
      const key = `mf-folder:${f}`;
      for (const m of members) nodeOf.set(m, key);
      folderTitle.set(key, `${f === '.' ? '(repository root)' : `${f}/`} (${members.length} components)`);
      folded += members.length;
    }
    if (folded > 0) notes.push(`${folded} components are grouped by workspace folder into ${folderTitle.size} nodes.`);
  }
  // Pairs between the drawn nodes, merged when folders fold their ends together.
  const drawn = new Map<string, { from: string; to: string; channels: Set<Queue> }>();
  for (const p of pairs.values()) {
    const from = nodeOf.get(p.from)!;
    const to = nodeOf.get(p.to)!;
    const k = `${from}\u0000${to}`;
    const d = drawn.get(k) ?? { from, to, channels: new Set<Queue>() };
    for (const q of p.channels) d.channels.add(q);
    drawn.set(k, d);
  }
  let arrows = [...drawn.values()].sort((a, b) => b.channels.size - a.channels.size || compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  if (arrows.length > opts.maxEdges) {
    notes.push(`${arrows.length - opts.maxEdges} of ${arrows.length} component pairs are not drawn (over the ${opts.maxEdges}-edge budget); the busiest are.`);
    arrows = arrows.slice(0, opts.maxEdges);
  }
  arrows.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  const used = [...new Set(arrows.flatMap((a) => [a.from, a.to]))].sort(compareStrings);
  const lines = ['flowchart LR'];
  for (const k of used) {
    if (k === NO_PRODUCER) lines.push(`  ${node(nodeId(k), 'producer not in this repository', 'external')}`);
    else if (k === NO_CONSUMER) lines.push(`  ${node(nodeId(k), 'consumer not in this repository', 'external')}`);
    else if (folderTitle.has(k)) lines.push(`  ${node(nodeId(k), folderTitle.get(k)!, 'group')}`);
    else lines.push(`  ${node(nodeId(k), comps.get(k)?.name ?? k, 'box')}`);
  }
  for (const a of arrows) {
    const list = [...a.channels];
    const techs = [...new Set(list.map((q) => q.tech))];
    const text = list.length === 1 ? `${list[0]!.name} (${list[0]!.tech})` : `${list.length} ${techs.length === 1 ? `${techs[0]} ` : ''}channels`;
    lines.push(`  ${nodeId(a.from)} -.->${edgeLabel(text, 48)} ${nodeId(a.to)}`);
  }
  return { code: lines.join('\n'), notes };
}
