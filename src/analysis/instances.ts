/**
 * An evaluator for infrastructure code that makes resources (the cdk and pulumi analyzers): a
 * resource's `new` (a site) is a value of its own, read in one instance of the class or function
 * that makes it, and an instance of such a class keeps its constructor's bound scope, so that
 * `orders.queue` is the queue of that instance and `${name}-queue` its name. Rule sets subclass it
 * with their sites and resources.
 */
import { bindArgs, Evaluator, propertyOf, type Member, type Resolved, type Scope } from './evaluate.js';
import type { CallSite, Fn, Value } from './index-file.js';

/** A resource site as a value: what `const q = new Queue(…)` holds, in one instance of the unit that makes it (`inst`, '' when read once). */
export type SiteValue = { k: 'site'; site: string; inst: string };
/** An instance of a class read per instance: its constructor's scope, arguments bound. */
export type InstanceValue = { k: 'cinst'; file: string; name: string; scope: InstScope };
/** A scope inside one instance of a unit: `inst` names the instantiation (`file:line` of its `new` or call). */
export type InstScope = Scope & { inst?: string };

/** A site's key: `file:line:callee`. */
export function siteKey(file: string, call: CallSite): string {
  return `${file}:${call.line}:${[call.root, ...call.names].join('.')}`;
}

type Found<X> = Resolved | SiteValue | InstanceValue | X;

/**
 * Where a call is in the function it is written in, for the key of what it makes: its line, and
 * after a dot its place among calls of the same callee and line (`{ a: this.make('a'), b: this.make('b') }`).
 */
export function callPlace(fn: Fn | undefined, call: CallSite): string {
  const same = fn?.calls.filter((c) => c.line === call.line && c.root === call.root && c.names.join('.') === call.names.join('.')) ?? [];
  const args = JSON.stringify(call.args);
  const i = same.length > 1 ? same.findIndex((c) => c === call || JSON.stringify(c.args) === args) : 0;
  return i > 0 ? `${call.line}.${i}` : `${call.line}`;
}

/** Array methods that call their callback once per item, the item first. */
const ITERATORS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every']);
/** Items of one array a callback is read for, at most. */
const MAX_ITEMS = 64;
/** Scopes of one callback, at most, however many its function has. */
const MAX_SCOPES = 256;

/**
 * `S` is a rule set's site, `R` its resource (a site read in one instance, keyed `site|inst`), `X`
 * the values it adds of its own.
 */
export class InstanceEvaluator<S, R, X extends { k: string } = never> extends Evaluator<SiteValue | InstanceValue | X> {
  readonly sites = new Map<string, S>();
  /** Resources by key, and each site's first (what a reference read outside any instance denotes). */
  readonly resources = new Map<string, R>();
  readonly firstOfSite = new Map<string, R>();
  /** How each class read per instance is instantiated: the `new`'s key → its bound scope. */
  readonly instances = new Map<string, InstScope>();

  protected override createdFrom(root: Found<X>, scope: Scope, call: CallSite, env: string[], depth: number): Found<X> | undefined {
    if (call.isNew) {
      const key = siteKey(scope.file, call);
      if (this.sites.has(key)) return { k: 'site', site: key, inst: (scope as InstScope).inst ?? '' };
      const inst = this.instances.get(key);
      if (inst && root.k === 'class') return { k: 'cinst', file: (root as { file: string }).file, name: (root as { name: string }).name, scope: inst };
    }
    return super.createdFrom(root, scope, call, env, depth);
  }

  /** A name a local object pattern takes (`const { queue } = new Service(…)`): that property of the value. */
  override ident(scope: Scope, name: string, depth = 0): Found<X> | undefined {
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      const prop = f.picks?.get(name);
      if (prop !== undefined) {
        const whole = super.ident(scope, name, depth);
        return whole ? this.member(whole, [prop], scope, depth + 1)?.value : undefined;
      }
      if (f.binds.includes(name)) break;
    }
    return super.ident(scope, name, depth);
  }

  /** A method called on `this` in one instance (`this.makeHandler(props, 'Orders')`) returns what it makes in that call: `inst` as the rule set reads the call. */
  protected override fromMember(m: Member<Found<X>>, scope: Scope, call: CallSite, env: string[], depth: number): Found<X> | undefined {
    const inst = (scope as InstScope).inst;
    if (m.value.k === 'fn' && m.rest.length === 0 && !call.isNew && call.root === 'this' && call.names.length === 1 && inst)
      return this.returnOf((m.value as { key: string }).key, call.args, scope, depth + 1, { inst: `${inst}>${callPlace(scope.fn, call)}` });
    return super.fromMember(m, scope, call, env, depth);
  }

  override thisValue(scope: Scope): Found<X> | undefined {
    const base = super.thisValue(scope);
    const inst = (scope as InstScope).inst;
    if (!inst || base?.k !== 'instance') return base;
    const b = base as Extract<Resolved, { k: 'instance' }>;
    return scope.fn?.cls === b.name ? { k: 'cinst', file: b.file, name: b.name, scope } : base;
  }

  /** A site keeps the names after it (a subclass reads them: attributes, calls); a field of an instance is read in that instance. */
  override member(value: Found<X>, names: string[], scope: Scope, depth: number): Member<Found<X>> | undefined {
    if (value.k === 'site') return { value, rest: names };
    if (value.k === 'cinst' && names.length > 0) {
      const v0 = value as InstanceValue;
      // Its value read in the instance's constructor (where `this.x = …` is written), or a base class's.
      for (let cls = this.classOf(v0.file, v0.name), i = 0; cls && i < 8; cls = this.baseClass(cls, depth + 1), i++) {
        // A field's initialiser, else what the constructor assigns it (`this.services = { … }`).
        const ctor = `${cls.file}#${cls.name}.constructor`;
        const init = cls.fields.get(names[0]!)?.init ?? cls.assigns?.find((a) => a.path === names[0] && a.fn === ctor)?.value;
        const v = init ? this.value(cls.name === v0.name ? v0.scope : { file: cls.file }, init, depth + 1) : undefined;
        if (v) return this.member(v, names.slice(1), scope, depth + 1);
      }
      return super.member({ k: 'instance', file: v0.file, name: v0.name }, names, scope, depth);
    }
    return super.member(value, names, scope, depth);
  }

  /**
   * The scopes a callback written in a function runs in, for one scope of that function (`outer`,
   * whose names the callback sees): once per item when it is given to an array's `forEach`/`map`…
   * (`routes.forEach((r) => …)`: its first parameter bound to the item, a pattern's names to the
   * item's properties), else once.
   */
  callbackScopes(outer: Scope, cb: Fn): InstScope[] {
    const own: InstScope = { file: cb.file, fn: cb, outer, inst: (outer as InstScope).inst };
    const call = outer.fn?.calls.find((c) => !c.isNew && c.args[0]?.k === 'fn' && c.args[0].key === cb.key);
    const method = call?.names[call.names.length - 1];
    if (!call || !method || !ITERATORS.has(method) || call.names.includes('()')) return [own];
    const list = this.value(outer, { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') });
    if (list?.k !== 'array') return [own];
    const { items, scope } = list as Extract<Resolved, { k: 'array' }>;
    return items.slice(0, MAX_ITEMS).map((item) => ({ ...own, args: bindArgs(cb, [item], scope) }));
  }

  /**
   * The scopes a function's calls are read in: a callback's in each scope of the function it is
   * written in (`callbackScopes`), any other's those `own` gives; each once per item of the lists
   * its `for…of` loops iterate too (`loopScopes`).
   */
  scopesWith(fn: Fn, own: (fn: Fn) => Scope[], depth = 0): Scope[] {
    const parent = fn.parent && fn.name.endsWith('<callback>') && depth < 8 ? this.fns.get(fn.parent) : undefined;
    const base = parent
      ? this.scopesWith(parent, own, depth + 1)
          .flatMap((s) => this.callbackScopes(s, fn))
          .slice(0, MAX_SCOPES)
      : own(fn);
    return fn.loops ? base.flatMap((s) => this.loopScopes(s)) : base;
  }

  /**
   * A scope and, when its function has `for (const x of list)` loops, that scope once per item of
   * each list that resolves (`x` bound to the item, a pattern's names to its properties): what the
   * loop's body reads.
   */
  loopScopes(scope: InstScope): InstScope[] {
    const out: InstScope[] = [scope];
    for (const loop of scope.fn?.loops ?? []) {
      const list = this.value(scope, loop.of);
      if (list?.k !== 'array') continue;
      const { items, scope: at } = list as Extract<Resolved, { k: 'array' }>;
      for (const item of items) {
        if (out.length > MAX_ITEMS) return out;
        const args = new Map(scope.args);
        for (const { name, prop } of loop.names) {
          const v = prop === undefined ? item : propertyOf(item, prop);
          if (v) args.set(name, { value: v, scope: at });
        }
        out.push({ ...scope, args });
      }
    }
    return out;
  }

  /** The resource a value denotes, in the first scope where it resolves. */
  resourceIn(scopes: readonly Scope[], v: Value | undefined): R | undefined {
    if (!v) return undefined;
    for (const s of scopes) {
      const r = this.value(s, v);
      if (r?.k === 'site') return this.resources.get(`${(r as SiteValue).site}|${(r as SiteValue).inst}`) ?? this.firstOfSite.get((r as SiteValue).site);
    }
    return undefined;
  }

  /** A value as a string, in the first scope where it resolves. */
  stringIn(scopes: readonly Scope[], v: Value | undefined): string | undefined {
    if (!v) return undefined;
    for (const s of scopes) {
      const r = this.string(s, v);
      if (r !== undefined) return r;
    }
    return undefined;
  }
}
