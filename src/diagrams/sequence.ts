/**
 * One traced data flow (`model.flows`, argument: the flow id) as a `sequenceDiagram`: the caller
 * (client, scheduler or queue), the components, stores, queues and services reached, in order;
 * `->>` for calls with a `-->>` reply, `-)` for messages to and from queues. Steps on two arms
 * of one if/else are drawn as `alt … else … end`; steps on one arm only as `opt … end`.
 */
import { participantLookup, type Participant } from '../model/lookup.js';
import type { Flow, FlowStep, Model } from '../model/schema.js';
import { nodeId, plainLabel, type Diagram } from './mermaid.js';

const PSEUDO: Record<string, { label: string; actor: boolean }> = {
  client: { label: 'Client', actor: true },
  scheduler: { label: 'Scheduler', actor: true },
};

function nameOf(p: Participant): string {
  const pseudo = PSEUDO[p.id];
  if (pseudo) return pseudo.label;
  if (p.kind === 'queue') return p.fact ? `${p.fact.name} (${p.fact.tech})` : `${p.key} (queue)`;
  if (p.kind === 'component' || p.kind === 'datastore' || p.kind === 'external') return p.fact?.name ?? p.key;
  return p.id;
}

function reply(step: FlowStep, to: Participant): string {
  if (to.kind === 'datastore') return step.action.startsWith('write') ? 'ok' : 'rows';
  return 'response';
}

/**
 * What a flow's sequence diagram draws apart from its labels: the participants in order and each
 * step's ends, kind and branch arm. Two flows of one shape draw the same diagram but for the
 * labels of their messages (`GET /orders` and `POST /orders` through the same service to the same
 * store), so the document draws it once.
 */
export function sequenceShape(flow: Flow): string {
  return flow.steps.map((s) => `${s.from}\u0000${s.to}\u0000${s.kind}\u0000${s.branch?.arm ?? ''}`).join('\u0001');
}

export function sequence(model: Model, arg: unknown): Diagram | undefined {
  const flow: Flow | undefined = (model.flows ?? []).find((f) => f.id === arg);
  if (!flow || flow.steps.length === 0) return undefined;
  const order: string[] = [];
  for (const s of flow.steps) for (const id of [s.from, s.to]) if (!order.includes(id)) order.push(id);
  const lines = ['sequenceDiagram'];
  const lookup = participantLookup(model);
  for (const id of order) {
    const kind = PSEUDO[id]?.actor ? 'actor' : 'participant';
    lines.push(`  ${kind} ${nodeId(id)} as ${plainLabel(nameOf(lookup(id)))}`);
  }

  // Which if statements have steps on both arms (alt) or on one (opt).
  const arms = new Map<string, Set<string>>();
  for (const s of flow.steps) if (s.branch) arms.set(s.branch.id, (arms.get(s.branch.id) ?? new Set()).add(s.branch.arm));

  const entry = flow.steps[0]!;
  const body = flow.steps.slice(1);
  const arrow = (s: FlowStep) => (s.kind === 'async' ? '-)' : '->>');
  lines.push(`  ${nodeId(entry.from)}${arrow(entry)}${nodeId(entry.to)}: ${plainLabel(entry.action)}`);
  let open: { id: string; arm: string } | undefined;
  const close = () => {
    if (open) lines.push('  end');
    open = undefined;
  };
  // Nobody waits for a queue message or a scheduled run to answer.
  let replied = entry.kind === 'async' || entry.from === 'scheduler';
  for (const s of body) {
    // The caller gets its answer once the entry component's synchronous work is done.
    if (!replied && s.from !== entry.to) {
      close();
      lines.push(`  ${nodeId(entry.to)}-->>${nodeId(entry.from)}: ${plainLabel('response')}`);
      replied = true;
    }
    const b = s.branch;
    if (!b && open) close();
    if (b && (!open || open.id !== b.id)) {
      close();
      const both = (arms.get(b.id)?.size ?? 0) > 1;
      const cond = b.arm === 'then' ? b.condition : `not (${b.condition})`;
      lines.push(`  ${both ? 'alt' : 'opt'} ${plainLabel(cond)}`);
      open = { id: b.id, arm: b.arm };
    } else if (b && open && open.arm !== b.arm) {
      lines.push(`  else ${plainLabel(b.arm === 'then' ? b.condition : 'otherwise')}`);
      open.arm = b.arm;
    }
    lines.push(`  ${nodeId(s.from)}${arrow(s)}${nodeId(s.to)}: ${plainLabel(s.action)}`);
    if (s.kind === 'sync') lines.push(`  ${nodeId(s.to)}-->>${nodeId(s.from)}: ${plainLabel(reply(s, lookup(s.to)))}`);
  }
  close();
  if (!replied) lines.push(`  ${nodeId(entry.to)}-->>${nodeId(entry.from)}: ${plainLabel('response')}`);
  return { code: lines.join('\n'), notes: [] };
}
