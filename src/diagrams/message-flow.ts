/**
 * Message flow: `flowchart LR` of producer → channel → consumer with dotted (asynchronous) edges;
 * RabbitMQ exchanges point at the queues bound to them. With a component id as argument, only the
 * channels that component touches. Over the node budget, channels with both ends come first and
 * the note says how many were left out.
 */
import type { Model, Queue } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { edgeLabel, label, nodeId, type Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';

function ends(q: Queue): number {
  const fed = Array.isArray(q.details?.fedBy) && q.details.fedBy.length > 0;
  const drained = Array.isArray(q.details?.drainedBy) && q.details.drainedBy.length > 0;
  return Number(q.producers.length > 0 || fed) + Number(q.consumers.length > 0 || drained);
}

export function messageFlow(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const only = typeof arg === 'string' ? arg : undefined;
  let queues = model.queues.filter((q) => !only || q.producers.includes(only) || q.consumers.includes(only));
  if (queues.length === 0) return undefined;
  const notes: string[] = [];
  const names = new Map(model.components.map((c) => [c.id, c.name]));

  // Budget: every channel costs a node, plus the components it brings in.
  const ordered = [...queues].sort((a, b) => ends(b) - ends(a) || compareStrings(a.id, b.id));
  const kept: Queue[] = [];
  const comps = new Set<string>();
  for (const q of ordered) {
    const extra = [...q.producers, ...q.consumers].filter((c) => !comps.has(c));
    if (kept.length > 0 && kept.length + 1 + comps.size + new Set(extra).size > opts.maxNodes) continue;
    kept.push(q);
    for (const c of extra) comps.add(c);
  }
  if (kept.length < queues.length) {
    notes.push(
      `${queues.length - kept.length} of ${queues.length} channels are not drawn (over the ${opts.maxNodes}-node budget); the message-flow table lists every one.`,
    );
  }
  queues = kept.sort((a, b) => compareStrings(a.id, b.id));
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
