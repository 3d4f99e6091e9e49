/**
 * Route helpers called with a configuration (issue #25): a function given a router declares routes
 * whose paths read another of its parameters, `registerCrudRoutes(app, { entityPath: 'actions' })`
 * → `` app.get(`/projects/:id/${config.entityPath}`) ``. One router per function cannot read such a
 * path, so routers.ts reads the function again at each call, its parameters bound to that call's
 * arguments (a router instance per call). Here: which values read a parameter, the functions a
 * helper's routes may be written in, and the bounds of that reading.
 */
import type { Fn, Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { Ev } from './values.js';

/** Forwarding wrappers followed per call (`crud(app, c)` → `readRoutes(app, c)` → …), at most. */
export const MAX_FORWARDING = 4;
/** Instances of one helper, at most: past it the call's routes are read without its arguments, with a warning. */
export const MAX_INSTANCES = 200;
/** Functions written inside a helper (callbacks) read with it, at most. */
const MAX_NESTED = 256;

/** The names a function's parameters bind: plain ones and an object pattern's (`{ resource }`). */
export function paramNamesOf(fn: Fn): string[] {
  return [...fn.paramNames.filter((p) => p !== ''), ...(fn.paramProps?.keys() ?? [])];
}

/**
 * Whether a value as written reads a parameter of `owner` or of a function between the scope's and
 * it (a callback's), other than the router itself (`skip`): directly (`config.path`), in a template,
 * a call's arguments, or through a local holding such a value. Bounded by the value's size and four
 * locals deep.
 */
export function readsParams(ev: Ev, scope: Scope, owner: Fn, skip: string | undefined, v: Value | undefined): boolean {
  if (!v) return false;
  const params = new Set<string>();
  const chain: Fn[] = [];
  for (let f = scope.fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) {
    chain.push(f);
    for (const p of paramNamesOf(f)) params.add(p);
    if (f === owner) break;
  }
  if (chain[chain.length - 1] !== owner) return false;
  if (skip) params.delete(skip);
  if (params.size === 0) return false;
  const local = (name: string): Value | undefined => {
    for (const f of chain) {
      const l = f.locals.get(name);
      if (l) return l;
    }
    return undefined;
  };
  const visit = (x: Value, locals: number): boolean => {
    switch (x.k) {
      case 'ref': {
        const root = x.path.split('.', 1)[0]!;
        if (params.has(root)) return true;
        const l = locals < 4 ? local(root) : undefined;
        return l !== undefined && visit(l, locals + 1);
      }
      case 'tpl':
        return x.exprs.some((e) => visit(e, locals));
      case 'or':
        return visit(x.left, locals) || visit(x.right, locals);
      case 'env':
        return x.or !== undefined && visit(x.or, locals);
      case 'arr':
        return x.items.some((e) => visit(e, locals));
      case 'call':
        return x.call.args.some((e) => visit(e, locals));
      case 'unknown':
        return (x.cat ?? []).some((e) => visit(e, locals)) || (x.alt ?? []).some((e) => visit(e, locals));
      default:
        return false;
    }
  };
  return visit(v, 0);
}

/** A function and the callbacks written in it, each once, outermost first (at most MAX_NESTED). */
export function withNested(ev: Ev, fn: Fn): Fn[] {
  const out: Fn[] = [fn];
  for (let i = 0; i < out.length && out.length < MAX_NESTED; i++) {
    for (const key of ev.children.get(out[i]!.key) ?? []) {
      const child = ev.fns.get(key);
      if (child && out.length < MAX_NESTED) out.push(child);
    }
  }
  return out;
}
