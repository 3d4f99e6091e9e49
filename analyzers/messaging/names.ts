/**
 * Channel names over the run's script indexes: the string values a value of the index can take,
 * read with the one evaluator (src/analysis/evaluate.ts) for imports, re-exports and classes, and
 * with messaging's own rules on top: every value a name can take (both sides of a default, each
 * call site that passes a parameter, each subclass that sets a member), environment variables
 * with the value the repository declares for them (`config-values.ts`), and the call sites or
 * subclasses each value came through (`via`), whose outermost decides the component.
 */
import { bindArgs, type Evaluator, type Scope } from '../../src/analysis/evaluate.js';
import { propOf, refText, type CallSite, type ClassInfo, type Field, type Fn, type Value } from '../../src/analysis/index-file.js';
import type { ConfigValues } from './config-values.js';
import { dedupe, isTest, type Loc, type Val } from './values.js';

const MAX_DEPTH = 16;
/** Call sites or subclasses followed for one name, at most. */
const MAX_SITES = 60;
const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'getNumber', 'require', 'env']);
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
/** Constructors and factories of a queue object (`Queue`, `createQueue`, `makeJobQueue`). */
const QUEUE_MAKER = /Queue$/;
/** Array methods whose callback's first parameter is an element of the receiver. */
const ITERATORS = new Set(['map', 'forEach', 'flatMap']);
/** Array methods that answer one of the receiver's elements. */
const PICKERS = new Set(['find', 'findLast', 'at']);

/**
 * What a receiver holds (`ChannelNames.holders`): a value, a field or a parameter as declared, a
 * class (its instances or its statics) or a module.
 */
export type Holder =
  | { k: 'value'; scope: Scope; v: Value }
  | { k: 'field'; cls: ClassInfo; name: string; field: Field }
  | { k: 'param'; fn: Fn; name: string; index: number; type?: string }
  | { k: 'class'; cls: ClassInfo; instance: boolean }
  | { k: 'module'; file: string };

/** What a path denotes, step by step: a value in a scope, a class (its instances or its statics), or a module. */
type Target =
  /** `arg`: what a call site passes for a parameter (a name's values follow it; its objects and arrays do not). */
  | { k: 'value'; scope: Scope; v: Value; via: Loc[]; arg?: true }
  | { k: 'class'; cls: ClassInfo; instance: boolean; via: Loc[] }
  | { k: 'module'; file: string; via: Loc[] };

export class ChannelNames {
  /** Calls by the last name of their callee (`publish` for `this.bus.publish(…)`), production files only. */
  private readonly calls = new Map<string, { fn: Fn; call: CallSite }[]>();
  /** Classes by the last name of the class they extend. */
  private readonly subclasses = new Map<string, ClassInfo[]>();
  /** Values being computed (a constant defined through itself, a parameter passed back into its function). */
  private readonly active = new Set<string>();

  constructor(
    readonly ev: Evaluator,
    private readonly resolveImport: (from: string, specifier: string) => string | undefined,
    private readonly config: ConfigValues,
  ) {
    for (const idx of ev.indexes.values()) {
      if (isTest(idx.file)) continue;
      for (const fn of idx.functions.values()) {
        for (const call of fn.calls) {
          const name = call.names.length ? call.names[call.names.length - 1]! : call.root;
          if (!this.calls.has(name)) this.calls.set(name, []);
          this.calls.get(name)!.push({ fn, call });
        }
      }
      for (const cls of idx.classes.values()) {
        const base = cls.extends && (cls.extends.names[cls.extends.names.length - 1] ?? cls.extends.root);
        if (!base) continue;
        if (!this.subclasses.has(base)) this.subclasses.set(base, []);
        this.subclasses.get(base)!.push(cls);
      }
    }
  }

  /** Calls whose callee's last name is `name` (`name(…)`, `x.name(…)`, `new name(…)`), in file order. */
  callsTo(name: string): { fn: Fn; call: CallSite }[] {
    return (this.calls.get(name) ?? []).slice(0, MAX_SITES + 1);
  }

  /** Classes declared `extends <name>`. */
  subclassesOf(name: string): ClassInfo[] {
    return (this.subclasses.get(name) ?? []).slice(0, MAX_SITES + 1);
  }

  /** An environment variable read in `file`: its value where the repository declares one, else the name. */
  private envVal(env: string, file: string): Val {
    const d = this.config.lookup(env, file);
    return d ? { text: d.value, env, declaredAt: d.at, via: [] } : { env, via: [] };
  }

  /** The string values a value can take, with the environment variable names read. */
  values(scope: Scope, v: Value | undefined, depth = 0): Val[] {
    if (!v || depth > MAX_DEPTH) return [];
    return dedupe(this.valuesOf(scope, v, depth));
  }

  private valuesOf(scope: Scope, v: Value, depth: number): Val[] {
    switch (v.k) {
      case 'str':
        return [{ text: v.v, via: [] }];
      case 'num':
        return [{ text: String(v.v), via: [] }];
      case 'env': {
        const read = this.envVal(v.name, scope.file);
        return v.or ? orValues([read], this.values(scope, v.or, depth + 1)) : [read];
      }
      case 'or':
        return orValues(this.values(scope, v.left, depth + 1), this.values(scope, v.right, depth + 1));
      case 'tpl': {
        let parts: Val[] = [{ text: v.quasis[0] ?? '', via: [] }];
        v.exprs.forEach((e, i) => {
          const vs = this.values(scope, e, depth + 1);
          const options: Val[] = vs.length ? vs.slice(0, 4) : [{ text: `{${refText(e) ?? '…'}}`, via: [] }];
          const literal = v.quasis[i + 1] ?? '';
          parts = capCombinations(
            parts.flatMap((p) =>
              options.map((o) => ({ text: (p.text ?? '') + (o.text ?? `{${o.env}}`) + literal, env: p.env ?? o.env, via: [...p.via, ...o.via] })),
            ),
          );
        });
        return parts;
      }
      case 'call': {
        // configService.get('ORDERS_QUEUE_URL') and friends: the environment variable name.
        const key = configKey(v.call);
        if (key === undefined) return this.returned(scope, v.call, depth).flatMap((t) => this.values(t.scope, t.v, depth + 1));
        const def = this.values(scope, v.call.args[1], depth + 1).filter((d) => d.text !== undefined);
        return def.length ? def.map((d) => ({ ...d, env: key })) : [this.envVal(key, scope.file)];
      }
      case 'ref': {
        if (v.path === 'undefined') return [];
        // SST's `Resource.Orders.url`: the linked resource, which SST hands to the code as SST_RESOURCE_Orders.
        const linked = sstLinked(this.ev, scope, v.path);
        if (linked) return [this.envVal(linked, scope.file)];
        const key = `${scope.file}\u0000${scope.fn?.key ?? ''}\u0000${v.path}`;
        if (this.active.has(key)) return [];
        this.active.add(key);
        try {
          const out: Val[] = [];
          for (const t of this.path(scope, v.path, depth + 1)) {
            if (t.k !== 'value') continue;
            for (const x of this.values(t.scope, t.v, depth + 1)) out.push(t.via.length ? { ...x, via: [...t.via, ...x.via] } : x);
          }
          return out;
        } finally {
          this.active.delete(key);
        }
      }
      case 'unknown': {
        if (v.alt) return v.alt.flatMap((x) => this.values(scope, x, depth + 1));
        if (!v.cat) return [];
        // `'orders.' + region`: every combination; no environment variable is kept.
        const l = this.values(scope, v.cat[0], depth + 1);
        const r = this.values(scope, v.cat[1], depth + 1);
        return capCombinations(l.flatMap((a) => r.map((b) => ({ text: (a.text ?? `{${a.env}}`) + (b.text ?? `{${b.env}}`), via: [...a.via, ...b.via] }))));
      }
      default:
        return [];
    }
  }

  /** The values a value can take that are objects (an object literal, or a name for one), with their scopes. */
  objects(scope: Scope, v: Value | undefined, depth = 0): { scope: Scope; v: Extract<Value, { k: 'obj' }>; via: Loc[] }[] {
    if (!v || depth > MAX_DEPTH) return [];
    if (v.k === 'obj') return [{ scope, v, via: [] }];
    if (v.k === 'unknown' && v.alt) return v.alt.flatMap((x) => this.objects(scope, x, depth + 1));
    if (v.k !== 'ref') return [];
    return this.path(scope, v.path, depth + 1).flatMap((t) =>
      t.k === 'value' && !t.arg ? this.objects(t.scope, t.v, depth + 1).map((o) => ({ ...o, via: [...t.via, ...o.via] })) : [],
    );
  }

  /** The items of an array a value names (an array literal, or `Object.values(E)` / `Object.keys(E)` of an enum or object). */
  elements(scope: Scope, v: Value | undefined, depth = 0): { scope: Scope; v: Value }[] {
    if (!v || depth > MAX_DEPTH) return [];
    if (v.k === 'arr') return v.items.map((item) => ({ scope, v: item }));
    if (v.k === 'call' && v.call.root === 'Object' && v.call.names.length === 1 && (v.call.names[0] === 'values' || v.call.names[0] === 'keys')) {
      const keys = v.call.names[0] === 'keys';
      return this.objects(scope, v.call.args[0], depth + 1).flatMap((o) =>
        Object.entries(o.v.props).map(([k, p]) => ({ scope: o.scope, v: keys ? ({ k: 'str', v: k } as Value) : p })),
      );
    }
    if (v.k !== 'ref') return [];
    return this.path(scope, v.path, depth + 1).flatMap((t) => (t.k === 'value' && !t.arg ? this.elements(t.scope, t.v, depth + 1) : []));
  }

  /**
   * What a receiver holds (`this.queue`, `channel`, `topic` in `topic.publish(…)`): the values it is
   * given (a `new` or call, an object …) and the fields and parameters that hold it as declared,
   * with their types and decorators (an injected `@InjectQueue('x') queue: Queue`, a parameter
   * typed `Queue`). A parameter is not followed to its callers here: rules that do so say where.
   */
  holders(scope: Scope, v: Value | undefined, depth = 0): Holder[] {
    if (!v || depth > MAX_DEPTH) return [];
    if (v.k === 'unknown' && v.alt) return v.alt.flatMap((x) => this.holders(scope, x, depth + 1));
    if (v.k !== 'ref') return [{ k: 'value', scope, v }];
    const [root, ...names] = v.path.replaceAll('?.', '.').split('.');
    if (!root) return [];
    const key = `h\u0000${scope.file}\u0000${scope.fn?.key ?? ''}\u0000${v.path}`;
    if (this.active.has(key)) return [];
    this.active.add(key);
    try {
      let held: Holder[] =
        root === 'this'
          ? this.thisClass(scope).flatMap((t): Holder[] => (t.k === 'class' ? [{ k: 'class', cls: t.cls, instance: true }] : []))
          : this.identHolders(scope, root, depth + 1);
      for (const name of names) held = held.flatMap((h) => this.memberHolders(h, name, depth + 1));
      return held;
    } finally {
      this.active.delete(key);
    }
  }

  private identHolders(scope: Scope, name: string, depth: number): Holder[] {
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) {
      const local = f.locals.get(name);
      if (local) return this.holders({ file: scope.file, fn: f }, local, depth + 1);
      const index = f.paramNames.indexOf(name);
      if (index >= 0) {
        const items = index === 0 ? this.iterated(f, depth + 1) : undefined;
        if (items) return items.flatMap((t) => (t.k === 'value' ? this.holders(t.scope, t.v, depth + 1) : []));
        return [{ k: 'param', fn: f, name, index, ...(f.params.has(name) ? { type: f.params.get(name) } : {}) }];
      }
      if (f.binds.includes(name)) return [];
    }
    return this.moduleName(scope.file, name, depth + 1).flatMap((t) => this.targetHolders(t, depth + 1));
  }

  private targetHolders(t: Target, depth: number): Holder[] {
    if (t.k === 'value') return this.holders(t.scope, t.v, depth);
    return [t.k === 'class' ? { k: 'class', cls: t.cls, instance: t.instance } : { k: 'module', file: t.file }];
  }

  private memberHolders(h: Holder, name: string, depth: number): Holder[] {
    if (depth > MAX_DEPTH) return [];
    switch (h.k) {
      case 'module':
        return this.exported(h.file, name, depth + 1, new Set()).flatMap((t) => this.targetHolders(t, depth + 1));
      case 'class':
        return this.classHolders(h.cls, name, h.instance, 0, depth + 1);
      case 'value': {
        const v = h.v;
        if (v.k === 'obj') return this.holders(h.scope, propOf(v, name), depth + 1);
        if (v.k === 'call' && v.call.isNew && v.call.names.length === 0) {
          const cls = this.classNamed(h.scope.file, v.call.root, depth + 1);
          return cls ? this.classHolders(cls, name, true, 0, depth + 1) : [];
        }
        return [];
      }
      default: {
        // An injected or typed instance: the member of that class.
        const [file, type] = h.k === 'field' ? [h.cls.file, h.field.type] : [h.fn.file, h.type];
        const cls = type ? this.classNamed(file, type, depth + 1) : undefined;
        return cls ? this.classHolders(cls, name, true, 0, depth + 1) : [];
      }
    }
  }

  /** A member of a class as held: a getter's returns, a field's value, else the field as declared; the base class's, or what subclasses set an open one to. */
  private classHolders(cls: ClassInfo, name: string, instance: boolean, level: number, depth: number): Holder[] {
    if (depth > MAX_DEPTH) return [];
    const method = cls.methods.get(name);
    const fn = method ? this.ev.fns.get(method) : undefined;
    if (fn) return fn.returns.flatMap((r) => this.holders({ file: fn.file, fn }, r, depth + 1));
    const f = method ? undefined : cls.fields.get(name);
    const own = f && (instance || f.static) ? f : undefined;
    if (own?.init) return this.holders(this.initScope(cls, own.init), own.init, depth + 1);
    if (own && (own.decorators.length > 0 || own.param !== undefined)) return [{ k: 'field', cls, name, field: own }];
    const out: Holder[] = [];
    if (level < 3) {
      if (!own && cls.extends) {
        const base = this.classNamed(cls.file, cls.extends.root, depth + 1);
        if (base) out.push(...this.classHolders(base, name, instance, level + 1, depth + 1));
      }
      if (out.length === 0) for (const sub of this.subclassesOf(cls.name)) out.push(...this.classHolders(sub, name, instance, level + 1, depth + 1));
    }
    if (out.length === 0 && own) out.push({ k: 'field', cls, name, field: own });
    return out;
  }

  /** The scope of a field's value: its constructor's when the constructor assigns it (`this.queue = new Queue(name)`). */
  private initScope(cls: ClassInfo, init: Value): Scope {
    const ctor = init.k === 'call' ? this.ev.fns.get(`${cls.file}#${cls.name}.constructor`) : undefined;
    const c = init.k === 'call' ? init.call : undefined;
    const assigned = c && ctor?.calls.some((x) => x.line === c.line && x.root === c.root && x.isNew === c.isNew && x.names.join('.') === c.names.join('.'));
    return assigned ? { file: cls.file, fn: ctor } : { file: cls.file };
  }

  /** The values assigned to a name `fn` binds after its declaration, within `fn` and not in a function inside it that binds the name too. */
  private reassigned(fn: Fn, name: string): Value[] {
    const idx = this.ev.indexes.get(fn.file);
    const list = (idx?.reassigns ?? []).filter((r) => r.name === name && r.line >= fn.line && r.line <= fn.endLine);
    if (list.length === 0) return [];
    const hiding = this.inner(fn.key).flatMap((k) => {
      const g = this.ev.fns.get(k);
      return g?.binds.includes(name) ? [g] : [];
    });
    return list.filter((r) => !hiding.some((g) => r.line >= g.line && r.line <= g.endLine)).map((r) => r.value);
  }

  /**
   * What a call of a repository function by its name returns (`buildDlqName(queue)`,
   * `findTarget(name)`): each returned value, read with the call's arguments bound to the
   * function's parameters, so that one caller's names never mix with another's.
   */
  private returned(scope: Scope, call: CallSite, depth: number): { scope: Scope; v: Value }[] {
    if (call.isNew || call.names.length > 0 || !call.root || depth > MAX_DEPTH) return [];
    const r = this.ev.ident(scope, call.root);
    const fn = r?.k === 'fn' ? this.ev.fns.get(r.key) : undefined;
    if (!fn || fn.returns.length === 0) return [];
    const inner: Scope = { file: fn.file, fn, args: bindArgs(fn, call.args, scope) };
    return fn.returns.map((v) => ({ scope: inner, v }));
  }

  /**
   * The calls that surely reach `fn`, each with the scope of `fn` bound to its arguments: a plain
   * call whose name resolves to `fn` (through imports), or `this.name(…)` in `fn`'s class.
   */
  exactCalls(fn: Fn): { scope: Scope; site: Loc; call: CallSite; caller: Scope }[] {
    const name = fn.name.slice(fn.name.lastIndexOf('.') + 1);
    if (!name || name.includes('<')) return [];
    const out: { scope: Scope; site: Loc; call: CallSite; caller: Scope }[] = [];
    for (const site of this.callsTo(name)) {
      const c = site.call;
      if (c.isNew) continue;
      const caller: Scope = { file: site.fn.file, fn: site.fn };
      const sure =
        c.names.length === 0
          ? (() => {
              const r = this.ev.ident(caller, c.root);
              return r?.k === 'fn' && r.key === fn.key;
            })()
          : c.root === 'this' &&
            c.names.length === 1 &&
            fn.cls !== undefined &&
            this.thisClass(caller).some((t) => t.k === 'class' && t.cls.name === fn.cls && t.cls.file === fn.file);
      if (sure) out.push({ scope: { file: fn.file, fn, args: bindArgs(fn, c.args, caller) }, site: { file: site.fn.file, line: c.line }, call: c, caller });
    }
    return out;
  }

  /** What each call that surely reaches `fn` passes for parameter `index`, with its site. */
  private exactArguments(fn: Fn, index: number): Target[] {
    return this.exactCalls(fn).flatMap((x) => {
      const a = x.call.args[index];
      return a ? [{ k: 'value' as const, scope: x.caller, v: a, via: [x.site] }] : [];
    });
  }

  /** What every call site passes for parameter `index` of a function or constructor, each with its site. */
  argumentsOf(fn: Fn, index: number): { scope: Scope; v: Value; site: Loc }[] {
    return this.arguments(fn, index, 0).flatMap((t) => (t.k === 'value' ? [{ scope: t.scope, v: t.v, site: t.via[0]! }] : []));
  }

  /** The repository class a name denotes in a file (`new OrdersPublisher()`, a type). */
  classIn(file: string, name: string): ClassInfo | undefined {
    return this.classNamed(file, name, 0);
  }

  /** What `a.b.c` denotes in a scope. */
  private path(scope: Scope, path: string, depth: number): Target[] {
    const [root, ...names] = path.replaceAll('?.', '.').split('.');
    if (!root) return [];
    let targets = root === 'this' ? this.thisClass(scope) : this.ident(scope, root, names.length > 0, depth);
    for (const name of names) targets = targets.flatMap((t) => this.member(t, name, depth + 1));
    return targets;
  }

  private thisClass(scope: Scope): Target[] {
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) {
      if (!f.cls) continue;
      const cls = this.ev.classOf(f.file, f.cls);
      return cls ? [{ k: 'class', cls, instance: true, via: [] }] : [];
    }
    return [];
  }

  /** A name in a scope: locals and parameters of the functions around, then module values, classes and imports. */
  private ident(scope: Scope, name: string, member: boolean, depth: number): Target[] {
    const idx = this.ev.indexes.get(scope.file);
    if (!idx || depth > MAX_DEPTH) return [];
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) {
      // A parameter bound to what one call passes (a function's returns read for that call).
      const bound = f === scope.fn ? scope.args?.get(name) : undefined;
      if (bound && !(bound.value.k === 'ref' && bound.value.path === 'undefined')) return [{ k: 'value', scope: bound.scope, v: bound.value, via: [] }];
      const local = f.locals.get(name);
      const own: Scope = f === scope.fn ? scope : { file: scope.file, fn: f };
      // A local is its declaration's value and each value assigned to it later (`key = 'a'` in one arm, `'b'` in the other).
      const later = f.binds.includes(name) ? this.reassigned(f, name).map((v): Target => ({ k: 'value', scope: own, v, via: [] })) : [];
      if (local) return [{ k: 'value', scope: own, v: local, via: [] }, ...later];
      if (later.length) return later;
      const index = f.paramNames.indexOf(name);
      if (index < 0) {
        // `({ ...args }) => client.sendMessage(args)`: the rest of a parameter's object pattern is what each call that surely reaches it passes.
        const rest = restOf(f, name);
        if (rest >= 0) return this.exactArguments(f, rest);
        continue;
      }
      // A parameter typed with a repository class: its members are that class's.
      const type = f.params.get(name);
      const cls = type ? this.classNamed(scope.file, type, depth + 1) : undefined;
      if (cls) return [{ k: 'class', cls, instance: true, via: [] }];
      // A member of a parameter (`input.queue`): the property of what each call that surely reaches
      // this function passes (a call by its imported name, `this.method(…)`), never a same-named method's.
      if (member) return this.exactArguments(f, index);
      // A default that has a value is the name's (`routingKey = 'orders.placed'`), whatever callers pass.
      const def = f.defaults?.get(name);
      const inner: Scope = { file: scope.file, fn: f };
      if (def && this.values(inner, def, depth + 1).length > 0) return [{ k: 'value', scope: inner, v: def, via: [] }];
      const items = index === 0 ? this.iterated(f, depth + 1) : undefined;
      return items ?? this.arguments(f, index, depth + 1);
    }
    return this.moduleName(scope.file, name, depth + 1);
  }

  private moduleName(file: string, name: string, depth: number): Target[] {
    const idx = this.ev.indexes.get(file);
    if (!idx || depth > MAX_DEPTH) return [];
    const v = idx.vars.get(name);
    if (v) return [{ k: 'value', scope: { file }, v, via: [] }];
    const cls = idx.classes.get(name);
    if (cls) return [{ k: 'class', cls, instance: false, via: [] }];
    const imp = idx.imports.get(name);
    if (!imp) return [];
    const target = this.resolveImport(file, imp.module);
    if (!target || !this.ev.indexes.has(target)) return [];
    return imp.name === '*' ? [{ k: 'module', file: target, via: [] }] : this.exported(target, imp.name, depth + 1, new Set());
  }

  /** What a file exports under `name`, through re-exports and `export *`. */
  private exported(file: string, name: string, depth: number, seen: Set<string>): Target[] {
    const idx = this.ev.indexes.get(file);
    const key = `${file}#${name}`;
    if (!idx || depth > MAX_DEPTH || seen.has(key)) return [];
    seen.add(key);
    const local = idx.exports.get(name);
    if (local) return this.moduleName(file, local, depth + 1);
    const re = idx.reexports.get(name);
    const follow = (spec: string, n: string): Target[] => {
      const target = this.resolveImport(file, spec);
      if (!target || !this.ev.indexes.has(target)) return [];
      return n === '*' ? [{ k: 'module', file: target, via: [] }] : this.exported(target, n, depth + 1, seen);
    };
    if (re) return follow(re.module, re.name);
    for (const spec of idx.starExports) {
      const found = follow(spec, name);
      if (found.length) return found;
    }
    // CommonJS: `module.exports = { NAME: … }` gives `const { NAME } = require(…)` the object's property.
    if (name === 'default' || !idx.exports.has('default')) return [];
    return this.exported(file, 'default', depth + 1, seen).flatMap((t) =>
      t.k === 'value' && t.v.k === 'obj' && Object.hasOwn(t.v.props, name) ? [{ ...t, v: t.v.props[name]! }] : [],
    );
  }

  /** The repository class a type name denotes in a file. */
  private classNamed(file: string, type: string, depth: number): ClassInfo | undefined {
    const [t, ...more] = this.moduleName(file, type, depth);
    return t?.k === 'class' && more.length === 0 ? t.cls : undefined;
  }

  /** `list.map((x) => …)`: the first parameter of a callback given to map/forEach/flatMap is an item of the list. */
  private iterated(fn: Fn, depth: number): Target[] | undefined {
    const parent = fn.parent ? this.ev.fns.get(fn.parent) : undefined;
    if (!parent) return undefined;
    for (const call of parent.calls) {
      const last = call.names[call.names.length - 1];
      if (!last || !ITERATORS.has(last) || call.args[0]?.k !== 'fn' || call.args[0].key !== fn.key || call.names.includes('()')) continue;
      const list: Value = { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') };
      return this.elements({ file: parent.file, fn: parent }, list, depth).map((e) => ({ k: 'value', scope: e.scope, v: e.v, via: [] }));
    }
    return undefined;
  }

  /** What every call site passes for parameter `index` of a function, or of a constructor (`new C(…)`, a subclass's `super(…)`). */
  private arguments(fn: Fn, index: number, depth: number): Target[] {
    const out: Target[] = [];
    const take = (site: { fn: Fn; call: CallSite }) => {
      const a = site.call.args[index];
      if (a) out.push({ k: 'value', scope: { file: site.fn.file, fn: site.fn }, v: a, via: [{ file: site.fn.file, line: site.call.line }], arg: true });
    };
    const ctor = fn.cls && fn.name === `${fn.cls}.constructor` ? this.ev.classOf(fn.file, fn.cls) : undefined;
    if (ctor) {
      for (const site of this.callsTo(ctor.name)) if (site.call.isNew) take(site);
      for (const sub of this.subclassesOf(ctor.name)) {
        const own = this.ev.fns.get(`${sub.file}#${sub.name}.constructor`);
        if (own) {
          for (const key of [own.key, ...this.inner(own.key)])
            for (const call of this.ev.fns.get(key)!.calls) if (call.root === 'super' && call.names.length === 0) take({ fn: this.ev.fns.get(key)!, call });
        } else for (const site of this.callsTo(sub.name)) if (site.call.isNew) take(site);
      }
      return out;
    }
    const name = fn.name.slice(fn.name.lastIndexOf('.') + 1);
    if (name.length < 4 || name.includes('<')) return out;
    for (const site of this.callsTo(name)) if (!site.call.isNew) take(site);
    void depth;
    return out;
  }

  /** Keys of the functions written inside a function (callbacks), at any depth. */
  private inner(key: string): string[] {
    const out: string[] = [];
    for (const k of this.ev.children.get(key) ?? []) out.push(k, ...this.inner(k));
    return out;
  }

  /** A member of what a target denotes. */
  private member(t: Target, name: string, depth: number): Target[] {
    if (depth > MAX_DEPTH) return [];
    const via = (ts: Target[]) => (t.via.length ? ts.map((x) => ({ ...x, via: [...t.via, ...x.via] })) : ts);
    if (t.k === 'module') return via(this.exported(t.file, name, depth + 1, new Set()));
    if (t.k === 'class') return via(this.classMember(t.cls, name, t.instance, 0, depth + 1));
    const v = t.v;
    if (v.k === 'obj') {
      const p = propOf(v, name);
      return p ? [{ k: 'value', scope: t.scope, v: p, via: t.via }] : [];
    }
    if (v.k === 'arr' && /^\d+$/.test(name)) {
      const item = v.items[Number(name)];
      return item ? [{ k: 'value', scope: t.scope, v: item, via: t.via }] : [];
    }
    if (v.k === 'ref') return via(this.path(t.scope, v.path, depth + 1).flatMap((x) => this.member(x, name, depth + 1)));
    if (v.k === 'call' && v.call.isNew && v.call.names.length === 0) {
      // An instance built here (`config = new OrdersConfig()`): the member of that class.
      const cls = this.classNamed(t.scope.file, v.call.root, depth + 1);
      if (cls) return via(this.classMember(cls, name, true, 0, depth + 1));
    }
    if (v.k === 'call' && !v.call.isNew) {
      // `list.find(…)` (and friends) on an array: an element of it; a repository function's call: what it returns for these arguments.
      const last = v.call.names[v.call.names.length - 1];
      if (last && PICKERS.has(last) && !v.call.names.slice(0, -1).includes('()')) {
        const list: Value = { k: 'ref', path: [v.call.root, ...v.call.names.slice(0, -1)].join('.') };
        const items = this.elements(t.scope, list, depth + 1);
        if (items.length) return via(items.flatMap((e) => this.member({ k: 'value', scope: e.scope, v: e.v, via: [] }, name, depth + 1)));
      }
      const returned = this.returned(t.scope, v.call, depth + 1);
      if (returned.length) return via(returned.flatMap((r) => this.member({ k: 'value', scope: r.scope, v: r.v, via: [] }, name, depth + 1)));
    }
    // A queue object's `name` is the name it was made with: BullMQ's `new Queue('orders')`, a
    // wrapper's `createQueue(JobName.Orders)`, read as `OrdersQueue.name` by workers and processors.
    if (v.k === 'call' && name === 'name' && QUEUE_MAKER.test(v.call.names[v.call.names.length - 1] ?? v.call.root)) {
      const a0 = v.call.args[0];
      return a0 && a0.k !== 'obj' ? [{ k: 'value', scope: t.scope, v: a0, via: t.via }] : [];
    }
    return [];
  }

  /**
   * `cls.name`: its own member (a field's initialiser, a getter's return, a constructor parameter
   * and so what each `new` or subclass `super(…)` passes), else the base class's; an abstract or
   * uninitialised member is what every subclass sets it to (through that subclass).
   */
  private classMember(cls: ClassInfo, name: string, instance: boolean, level: number, depth: number): Target[] {
    if (depth > MAX_DEPTH) return [];
    const own = this.ownMember(cls, name, instance, depth + 1);
    if (own.found && own.targets.length) return own.targets;
    const out: Target[] = [];
    if (level < 3) {
      if (!own.found && cls.extends) {
        const base = this.classNamed(cls.file, cls.extends.root, depth + 1);
        if (base) out.push(...this.classMember(base, name, instance, level + 1, depth + 1));
      }
      if (out.length === 0) {
        for (const sub of this.subclassesOf(cls.name)) {
          for (const x of this.classMember(sub, name, instance, level + 1, depth + 1)) out.push({ ...x, via: [{ file: sub.file, line: sub.line }, ...x.via] });
        }
      }
    }
    return out;
  }

  private ownMember(cls: ClassInfo, name: string, instance: boolean, depth: number): { found: boolean; targets: Target[] } {
    const method = cls.methods.get(name);
    if (method) {
      const fn = this.ev.fns.get(method);
      return { found: true, targets: fn ? fn.returns.map((r) => ({ k: 'value' as const, scope: { file: fn.file, fn }, v: r, via: [] })) : [] };
    }
    const f = cls.fields.get(name);
    if (!f || (!instance && !f.static)) return { found: false, targets: [] };
    if (f.init) return { found: true, targets: [{ k: 'value', scope: { file: cls.file }, v: f.init, via: [] }] };
    // A constructor parameter is what each `new` passes and, read through (`this.config.queue`), a member of its type's class (injected).
    const ctor = f.param !== undefined ? this.ev.fns.get(`${cls.file}#${cls.name}.constructor`) : undefined;
    const type = f.type && this.classNamed(cls.file, f.type, depth + 1);
    const typed: Target[] = type ? [{ k: 'class', cls: type, instance: true, via: [] }] : [];
    if (ctor) return { found: true, targets: [...this.arguments(ctor, f.param!, depth + 1), ...typed] };
    if (type) return { found: true, targets: typed };
    // Declared without a value (often abstract): set elsewhere.
    return { found: f.decorators.length > 0, targets: [] };
  }
}

/**
 * The parameter whose object pattern binds `name` as its rest (`{ ...args }`), or -1: a name the
 * function binds among its parameters' (they come first in `binds`) that is neither a parameter nor
 * a property a pattern takes, when exactly one parameter is a pattern.
 */
function restOf(fn: Fn, name: string): number {
  const patterns = fn.paramNames.flatMap((p, i) => (p === '' ? [i] : []));
  if (patterns.length !== 1 || fn.paramProps?.has(name)) return -1;
  const own = fn.paramNames.filter((p) => p !== '').length + (fn.paramProps?.size ?? 0) + 1;
  return fn.binds.slice(0, own).includes(name) ? patterns[0]! : -1;
}

/**
 * The variable SST hands a linked resource to code in: v3's `Resource.Orders` from `sst` →
 * SST_RESOURCE_Orders; v2's `Queue.Orders.queueUrl` from `sst/node/queue` → SST_Queue_queueUrl_Orders.
 */
function sstLinked(ev: Evaluator, scope: Scope, path: string): string | undefined {
  const [root, name, prop] = path.split('.');
  if (!root || !name) return undefined;
  const r = ev.ident(scope, root);
  if (r?.k !== 'pkg') return undefined;
  if (r.pkg === 'sst' && r.name === 'Resource') return `SST_RESOURCE_${name}`;
  return r.pkg.startsWith('sst/node/') && prop ? `SST_${r.name}_${prop}_${name}` : undefined;
}

/** `process.env.QUEUE ?? 'orders'`: the default is the name, the variable may override it; else both sides. */
/** Combinations a template or concatenation of several names may take, at most (each step deduplicated first). */
export const MAX_COMBINATIONS = 32;

/**
 * Each combination of a template's or concatenation's parts once, the first MAX_COMBINATIONS of
 * them: `${a}${b}…` of n parts of four values each would otherwise be 4ⁿ names (a hostile file
 * of a few bytes exhausted memory).
 */
export function capCombinations(vals: Val[]): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const v of vals) {
    const key = `${v.text ?? ''}\u0000${v.env ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length >= MAX_COMBINATIONS) break;
  }
  return out;
}

function orValues(l: Val[], r: Val[]): Val[] {
  const envs = l.filter((v) => v.env && (v.text === undefined || v.declaredAt));
  if (envs.length && r.length) return r.map((v) => ({ ...v, env: v.env ?? envs[0]!.env }));
  return [...l, ...r];
}

/** `env('X')`, or a getter (`get`, `getOrThrow`…) on a receiver whose text says config or env: the variable's name. */
function configKey(call: CallSite): string | undefined {
  const last = call.names[call.names.length - 1];
  const receiver = [call.root, ...call.names.slice(0, -1)].join('.');
  const getter = (call.root === 'env' && call.names.length === 0) || (last !== undefined && CONFIG_GETTERS.has(last) && /config|env/i.test(receiver));
  const a0 = call.args[0];
  return getter && a0?.k === 'str' && ENV_KEY.test(a0.v) ? a0.v : undefined;
}

/**
 * The expression that names a channel, as a label for an edge whose name is unknown: a property
 * chain of at least two names whose root is imported from a package outside the repository
 * (`Subjects.OrderCreated` of a shared npm library's enum), which names the channel the same way
 * wherever it is used. A chain over run-time data (`replay.queueName`, `target.dlqQueue`,
 * `this.config.queue`), a bare name or anything long is no label: it never becomes a channel.
 */
export function labelOfValue(ev: Evaluator, scope: Scope, v: Value | undefined): string | undefined {
  const path = v?.k === 'ref' ? v.path : undefined;
  if (!path) return undefined;
  const names = path.replaceAll('?.', '.').split('.');
  if (names.length > 6 || names.length < 2 || names[0] === 'this') return undefined;
  if (ev.ident(scope, names[0]!)?.k !== 'pkg') return undefined;
  const label = names.join('.');
  return label.length <= 80 ? label : undefined;
}
