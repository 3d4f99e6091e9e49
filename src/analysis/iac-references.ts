/**
 * The resources a resource of infrastructure code refers to in the configuration it is given
 * (`new Function(this, 'Fn', { vpc, environment: { TABLE: table.tableName } })` refers to the VPC
 * and the table): every value inside it, however nested in objects, arrays and template strings,
 * that the evaluator knows as a resource. The network diagram connects resources by these
 * references (src/data/iac-network.ts), as the terraform analyzer connects its blocks.
 */
import type { Resolved, Scope } from './evaluate.js';
import type { InstanceEvaluator } from './instances.js';
import type { Value } from './index-file.js';

/** Values visited per configuration at most. */
const BUDGET = 400;
/** Objects and arrays followed into at most. */
const MAX_DEPTH = 6;

/** The resources a configuration refers to, once each, in the order met. */
export function referencedResources<S, R, X extends { k: string }>(ev: InstanceEvaluator<S, R, X>, scopes: readonly Scope[], config: Value | undefined): R[] {
  const found = new Set<R>();
  let budget = BUDGET;
  const walk = (v: Value | undefined, at: readonly Scope[], depth: number): void => {
    if (!v || --budget < 0 || depth > MAX_DEPTH) return;
    const r = ev.resourceIn(at, v);
    if (r !== undefined) {
      found.add(r);
      return;
    }
    if (v.k === 'obj') {
      for (const p of Object.values(v.props)) walk(p, at, depth + 1);
      return;
    }
    if (v.k === 'arr') {
      for (const item of v.items) walk(item, at, depth + 1);
      return;
    }
    if (v.k === 'tpl') {
      for (const e of v.exprs) walk(e, at, depth + 1);
      return;
    }
    if (v.k !== 'ref') return;
    // A name for an object or an array written elsewhere (`const props = { … }`).
    const o = ev.objectIn(at, v);
    if (o) {
      for (const p of Object.values(o.props)) walk(p, [o.scope], depth + 1);
      return;
    }
    for (const s of at) {
      const a = ev.value(s, v);
      if (a?.k === 'array') {
        const list = a as Extract<Resolved, { k: 'array' }>;
        for (const item of list.items) walk(item, [list.scope], depth + 1);
        return;
      }
    }
  };
  walk(config, scopes, 0);
  return [...found];
}
