/**
 * Reading the engine's values (src/analysis/index-file.ts) the way route rules need them: a path
 * as a string or a list of strings, an options object, a name as written (for a guard, or a path
 * shown in braces when it cannot be evaluated), and what a name is bound to as written (a server,
 * an application: the call that created it).
 */
import type { Evaluator, Resolved, Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, Fn, Value } from '../../src/analysis/index-file.js';

export type Ev = Evaluator<{ k: 'applied'; args: Value[]; scope: Scope }>;
export type Obj = Extract<Resolved, { k: 'object' }>;

/** A value as a string: a literal, a constant, a template of constants, a default; a number as its text. */
export function str(ev: Ev, scope: Scope, v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.k === 'num') return String(v.v);
  const r = ev.value(scope, v);
  if (r?.k === 'str') return r.value;
  return r?.k === 'num' ? String(r.value) : undefined;
}

/** A string, or an array of strings (`['/a', '/b']`, directly or through a constant); undefined when any part is unknown. */
export function strList(ev: Ev, scope: Scope, v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  const r = ev.value(scope, v);
  if (r?.k === 'array') {
    const out: string[] = [];
    for (const item of r.items) {
      const s = str(ev, r.scope, item);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const one = r?.k === 'str' ? r.value : r?.k === 'num' ? String(r.value) : undefined;
  return one === undefined ? undefined : [one];
}

/** The object a value stands for (written in place or through a constant). */
export function obj(ev: Ev, scope: Scope, v: Value | undefined): Obj | undefined {
  if (!v) return undefined;
  const r = ev.value(scope, v);
  return r?.k === 'object' ? r : undefined;
}

/** A property of an object, as written. */
export function prop(o: Obj | undefined, name: string): Value | undefined {
  return o && Object.hasOwn(o.props, name) ? o.props[name] : undefined;
}

/** A call's callee as written: `AuthGuard`, `passport.authenticate`, `a.b().c`. */
export function calleeText(call: CallSite): string {
  let out = call.root;
  for (const n of call.names) out += n === '()' ? '()' : `.${n}`;
  return out;
}

/** The last name of a callee or reference: `UseGuards`, `x.Public` → `Public`. */
export function lastName(v: Value): string | undefined {
  if (v.k === 'ref') return v.path.slice(v.path.lastIndexOf('.') + 1);
  if (v.k === 'call') return [...v.call.names].reverse().find((n) => n !== '()') ?? v.call.root;
  return undefined;
}

/** A value as written, near enough to name it: `RolesGuard`, `AuthGuard('jwt')`, `configService.get('p')`. */
export function valueText(v: Value): string {
  switch (v.k) {
    case 'str':
      return `'${v.v}'`;
    case 'num':
    case 'bool':
      return String(v.v);
    case 'ref':
      return v.path;
    case 'env':
      return v.path ?? `process.env.${v.name}`;
    case 'call':
      return `${v.call.isNew ? 'new ' : ''}${calleeText(v.call)}(${v.call.args.map(valueText).join(', ')})`;
    case 'tpl':
      return `\`${v.quasis.map((q, i) => (i === 0 ? q : `\${${valueText(v.exprs[i - 1]!)}}${q}`)).join('')}\``;
    default:
      return '…';
  }
}

export type Resolve = (from: string, specifier: string) => string | undefined;

/** The value a name is bound to where it is read, as written: locals of the functions around, module values, a module value imported. */
export function bound(ev: Ev, resolve: Resolve, file: string, fn: Fn | undefined, name: string, depth = 0): { value: Value; scope: Scope } | undefined {
  for (let f = fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) {
    const v = f.locals.get(name);
    if (v) return { value: v, scope: { file, fn: f } };
  }
  const idx = ev.indexes.get(file);
  const v = idx?.vars.get(name);
  if (v) return { value: v, scope: { file } };
  const imp = idx?.imports.get(name);
  const target = imp && depth < 4 ? resolve(file, imp.module) : undefined;
  const local = target ? ev.indexes.get(target)?.exports.get(imp!.name) : undefined;
  return target && local ? bound(ev, resolve, target, undefined, local, depth + 1) : undefined;
}
