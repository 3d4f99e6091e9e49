/**
 * State machine of one enum-typed status field: `diagram('state', '<entity id>#<field>')`.
 * Only transitions the model holds (read from code) are drawn, plus the entry into the declared
 * initial state; without transitions there is nothing to draw (the document lists the states
 * and asks a human for the transitions instead).
 */
import { compareStrings } from '../model/compare.js';
import type { Model } from '../model/schema.js';
import { label, nodeId, type Diagram } from './mermaid.js';

export function state(model: Model, arg: unknown): Diagram | undefined {
  if (typeof arg !== 'string') return undefined;
  const hash = arg.lastIndexOf('#');
  const entity = model.schemas.find((e) => e.id === arg.slice(0, hash));
  const st = entity?.states?.find((s) => s.field === arg.slice(hash + 1));
  if (!entity || !st || !st.transitions || st.transitions.length === 0) return undefined;
  const id = (v: string) => nodeId(`state:${entity.id}#${st.field}=${v}`);
  const lines = ['stateDiagram-v2'];
  for (const v of st.values) lines.push(`  state ${label(v)} as ${id(v)}`);
  const edges = new Set<string>();
  if (st.initial) edges.add(`  [*] --> ${id(st.initial)}`);
  const sorted = [...st.transitions].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  for (const t of sorted) {
    if (!st.values.includes(t.to) || (t.from !== '[*]' && !st.values.includes(t.from))) continue;
    edges.add(`  ${t.from === '[*]' ? '[*]' : id(t.from)} --> ${id(t.to)}`);
  }
  lines.push(...edges);
  const unreached = st.values.filter((v) => v !== st.initial && !st.transitions!.some((t) => t.to === v || t.from === v));
  const notes = unreached.length > 0 ? [`No transition into or out of ${unreached.join(', ')} was found in the code.`] : [];
  return { code: lines.join('\n'), notes };
}
