/**
 * The one evaluator over a run's script indexes (`index-file.ts`): what a name, a path or a value
 * denotes, without a syntax tree or a type checker. It follows local and module bindings, imports
 * through the run's module resolution (relative paths, tsconfig paths, workspace packages),
 * exports, re-exports and `export *` chains, enums and their members, object members
 * (`CONFIG.queues.orders`), static class members, `this.x` (constructor-injected parameter types,
 * field initialisers, base classes), template strings, defaults (`x ?? 'd'`,
 * `process.env.X || 'y'`), and factory returns (`makeQueue('x')` where `makeQueue` returns
 * `new Queue(name)`). A name a function binds (a parameter, a variable, a loop's or a catch
 * clause's) hides a module-level one: unknown unless its value is; a name declared again in an
 * inner block is written in the index as that declaration's key (`msgObj@75`, see the README's block
 * scopes), so a use finds the declaration in scope. Every step counts against one depth limit and
 * each query against a step budget; module values and the returns of functions called without
 * arguments are found once per depth; re-export cycles and recursive factories stop at once. A rule
 * set extends it (see analyzers/outbound/resolve.ts) to give packages' exports a meaning of its own.
 */
import { envOf, writtenName, type ClassInfo, type Field, type FileIndex, type Fn, type Value, type CallSite } from './index-file.js';

/**
 * Steps followed to resolve one value, at most. A step follows a name to its definition: a
 * binding, an import, a re-export, a member, a field, a factory's return.
 */
export const MAX_DEPTH = 12;

/**
 * Steps one query may take, at most (a step: a name, an export, a value, a member, a call, a
 * return, a base class looked at); past it the query answers undefined. Reached only by code
 * written to be costly: memoised module values keep real chains far below it.
 */
export const MAX_STEPS = 10_000;

/** Longest string a template resolves to: past it, a chain of templates would grow without bound. */
const MAX_STRING = 100_000;

/** Where a value is read: a file, the function around it, and the arguments of a factory call being followed. */
export interface Scope {
  file: string;
  fn?: Fn;
  args?: Map<string, { value: Value; scope: Scope }>;
  /** The scope of the function around, when that one is bound too (a callback read in one call of its function). */
  outer?: Scope;
}

/** A function's parameters bound to a call's arguments, names an object pattern takes included (`{ name }` ← `{ name: 'x' }` or `props` → `props.name`). */
export function bindArgs(fn: Fn, args: readonly Value[], caller: Scope): Map<string, { value: Value; scope: Scope }> {
  const bound = new Map<string, { value: Value; scope: Scope }>();
  fn.paramNames.forEach((p, i) => {
    if (p && args[i]) bound.set(p, { value: args[i]!, scope: caller });
  });
  for (const [name, { param, prop }] of fn.paramProps ?? []) {
    const v = args[param] && propertyOf(args[param], prop);
    if (v) bound.set(name, { value: v, scope: caller });
  }
  return bound;
}

/** A property of a value as written, for a pattern's name: an object literal's, or a name's member (`props` → `props.name`). */
export function propertyOf(v: Value, prop: string): Value | undefined {
  if (v.k === 'obj') return Object.hasOwn(v.props, prop) ? v.props[prop] : undefined;
  return v.k === 'ref' ? { k: 'ref', path: `${v.path}.${prop}` } : undefined;
}

/** The scope a function around `scope`'s is read in: a bound one from `outer`, else its own. */
function scopeOf(scope: Scope, f: Fn): Scope {
  for (let s: Scope | undefined = scope; s; s = s.outer) if (s.fn === f) return s;
  return { file: scope.file, fn: f };
}

/** What a value denotes. */
export type Resolved =
  | { k: 'str'; value: string }
  | { k: 'num'; value: number }
  | { k: 'bool'; value: boolean }
  | { k: 'fn'; key: string }
  | { k: 'class'; file: string; name: string }
  | { k: 'instance'; file: string; name: string }
  | { k: 'object'; props: Record<string, Value>; scope: Scope }
  | { k: 'array'; items: Value[]; scope: Scope }
  | { k: 'module'; file: string }
  /** An export of an installed package (or of a file outside the run): `{ pkg: 'bullmq', name: 'Queue' }`. */
  | { k: 'pkg'; pkg: string; name: string; line: number };

export type Member<R> = { value: R; rest: string[] };

/**
 * `X` is what a rule set adds to `Resolved` (clients, ports …): values the evaluator passes along
 * without looking into them.
 */
export class Evaluator<X extends { k: string } = never> {
  /** Every function of the run by key. */
  readonly fns = new Map<string, Fn>();
  /** Inline functions (callbacks) by the function that contains them. */
  readonly children = new Map<string, string[]>();
  /** Classes by the names they extend or implement, in file order. */
  protected readonly implementors = new Map<string, ClassInfo[]>();
  private readonly activeExports = new Set<string>();
  private readonly activeReturns = new Set<string>();
  /**
   * Module values and returns of functions called without arguments, by what was asked and the
   * depth it was asked at: an answer depends on nothing else, so it is found once, and the same
   * whichever query asked first.
   */
  private readonly memo = new Map<string, { value: Resolved | X | undefined }>();
  /** The names each function binds (`Fn.binds`), as sets, made when first asked. */
  private readonly bindings = new Map<string, Set<string>>();
  /** Searches stopped by a cycle or the step budget so far: what they found depends on what asked, so no memo is kept of it. */
  private cuts = 0;
  private taken = 0;
  /** Steps taken when the running query began; undefined between queries. */
  private queryStart: number | undefined;

  constructor(
    readonly indexes: ReadonlyMap<string, FileIndex>,
    private readonly resolveImport: (from: string, specifier: string) => string | undefined,
  ) {
    for (const idx of indexes.values()) {
      for (const cls of idx.classes.values()) {
        for (const n of [...(cls.extends ? [cls.extends.names[cls.extends.names.length - 1] ?? cls.extends.root] : []), ...cls.implements]) {
          this.implementors.set(n, [...(this.implementors.get(n) ?? []), cls]);
        }
      }
      for (const fn of idx.functions.values()) {
        this.fns.set(fn.key, fn);
        if (fn.parent) this.children.set(fn.parent, [...(this.children.get(fn.parent) ?? []), fn.key]);
      }
    }
  }

  /** Steps taken since the evaluator was made (the work its queries did). */
  get steps(): number {
    return this.taken;
  }

  /** Run one query within the step budget: undefined when it went past it. */
  private query<T>(run: () => T): T | undefined {
    this.queryStart = this.taken;
    try {
      const out = run();
      return this.taken - this.queryStart > MAX_STEPS ? undefined : out;
    } finally {
      this.queryStart = undefined;
    }
  }

  /** What `run` finds for `key`, found once; not kept when a cycle or the budget cut its search short. */
  private memoised(key: string, run: () => Resolved | X | undefined): Resolved | X | undefined {
    const known = this.memo.get(key);
    if (known) return known.value;
    const cutsBefore = this.cuts;
    const value = run();
    if (this.cuts === cutsBefore) this.memo.set(key, { value });
    return value;
  }

  /** Whether a function binds `name`. */
  private binds(fn: Fn, name: string): boolean {
    let set = this.bindings.get(fn.key);
    if (!set) this.bindings.set(fn.key, (set = new Set(fn.binds)));
    return set.has(name);
  }

  /** The scope of a function (or of a file's module level). */
  scope(file: string, fn?: Fn): Scope {
    return fn ? { file, fn } : { file };
  }

  protected fileOfImport(file: string, module: string): string | undefined {
    const f = this.resolveImport(file, module);
    return f && this.indexes.has(f) ? f : undefined;
  }

  /** What `name` denotes in a scope: locals and parameters of the functions around (undefined for a name one binds whose value is not known), module values, functions, classes, imports. */
  ident(scope: Scope, name: string, depth = 0): Resolved | X | undefined {
    if (this.queryStart === undefined) return this.query(() => this.ident(scope, name, depth));
    if (this.tooDeep(depth)) return undefined;
    const { file } = scope;
    const idx = this.indexes.get(file);
    if (!idx) return undefined;
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      const inner = scopeOf(scope, f);
      const arg = inner.args?.get(name);
      if (arg) return this.value(arg.scope, arg.value, depth + 1);
      const local = f.locals.get(name);
      if (local) return this.value(inner, local, depth + 1);
      const type = f.params.get(name);
      if (type) return this.typeValue(file, type, [], depth + 1);
      if (this.binds(f, name)) {
        // Bound here, its value unknown: a class declared here is known (by its name as written when
        // its declaration is kept apart: `Repo@12`), nothing of the module is.
        const written = writtenName(name);
        const cls = idx.classes.get(written);
        return cls && cls.line >= f.line && cls.line <= f.endLine ? { k: 'class', file, name: written } : undefined;
      }
    }
    const v = idx.vars.get(name);
    if (v) return this.memoised(`v\u0000${file}\u0000${name}\u0000${depth}`, () => this.value({ file }, v, depth + 1));
    const fnKey = `${file}#${name}`;
    if (this.fns.has(fnKey)) return { k: 'fn', key: fnKey };
    if (idx.classes.has(name)) return { k: 'class', file, name };
    const imp = idx.imports.get(name);
    if (imp) {
      const target = this.fileOfImport(file, imp.module);
      if (target) return imp.name === '*' ? { k: 'module', file: target } : this.exportOf(target, imp.name, depth + 1);
      return { k: 'pkg', pkg: imp.module, name: imp.name, line: imp.line };
    }
    return undefined;
  }

  /** What a file exports under `name`: its own binding, a re-export, or the first `export *` that has it. */
  exportOf(file: string, name: string, depth = 0): Resolved | X | undefined {
    if (this.queryStart === undefined) return this.query(() => this.exportOf(file, name, depth));
    if (this.tooDeep(depth)) return undefined;
    const idx = this.indexes.get(file);
    if (!idx) return undefined;
    const local = idx.exports.get(name);
    if (local) return this.ident({ file }, local, depth + 1);
    const key = `${file}\u0000${name}`;
    if (this.activeExports.has(key)) return this.cut();
    this.activeExports.add(key);
    try {
      const re = idx.reexports.get(name);
      if (re) {
        const target = this.fileOfImport(file, re.module);
        return target ? this.exportOf(target, re.name, depth + 1) : { k: 'pkg', pkg: re.module, name: re.name, line: 0 };
      }
      for (const m of idx.starExports) {
        const target = this.fileOfImport(file, m);
        const v = target ? this.exportOf(target, name, depth + 1) : undefined;
        if (v) return v;
      }
      // CommonJS: `module.exports = { NAME: … }` gives `const { NAME } = require(…)` and
      // `import { NAME } from …` the object's property.
      const whole = name !== 'default' && idx.exports.has('default') ? this.exportOf(file, 'default', depth + 1) : undefined;
      const obj = whole?.k === 'object' ? (whole as Extract<Resolved, { k: 'object' }>) : undefined;
      if (obj && Object.hasOwn(obj.props, name)) return this.value(obj.scope, obj.props[name]!, depth + 1);
      return undefined;
    } finally {
      this.activeExports.delete(key);
    }
  }

  /** What a value of the index denotes. */
  value(scope: Scope, v: Value, depth = 0): Resolved | X | undefined {
    if (this.queryStart === undefined) return this.query(() => this.value(scope, v, depth));
    if (this.tooDeep(depth)) return undefined;
    switch (v.k) {
      case 'str':
        return { k: 'str', value: v.v };
      case 'num':
        return { k: 'num', value: v.v };
      case 'bool':
        return { k: 'bool', value: v.v };
      case 'ref':
        return this.path(scope, v.path, depth);
      case 'env':
        // The variable's value is not known statically: its default is.
        return v.or ? this.value(scope, v.or, depth) : undefined;
      case 'or': {
        // `a || new Client()`: the side that creates something; `x ?? 'd'`: x when known, else the default.
        if (v.right.k === 'call' || v.right.k === 'fn' || v.right.k === 'obj') return this.value(scope, v.right, depth);
        return this.value(scope, v.left, depth) ?? this.value(scope, v.right, depth);
      }
      case 'tpl': {
        const parts: string[] = [v.quasis[0] ?? ''];
        for (let i = 0; i < v.exprs.length; i++) {
          const s = this.string(scope, v.exprs[i]!, depth);
          if (s === undefined) return undefined;
          parts.push(s, v.quasis[i + 1] ?? '');
        }
        const text = parts.join('');
        return text.length > MAX_STRING ? undefined : { k: 'str', value: text };
      }
      case 'obj':
        return { k: 'object', props: v.props, scope };
      case 'arr':
        return { k: 'array', items: v.items, scope };
      case 'call':
        return this.created(scope, v.call, v.env ?? [], depth);
      case 'fn':
        return { k: 'fn', key: v.key };
      case 'unknown':
        return undefined;
    }
  }

  /** `a.b.c` as written → what it denotes. */
  path(scope: Scope, ref: string, depth = 0): Resolved | X | undefined {
    const [root, ...names] = ref.split('.');
    if (!root) return undefined;
    const v = root === 'this' ? this.thisValue(scope) : this.ident(scope, root, depth);
    return v ? this.member(v, names, scope, depth)?.value : undefined;
  }

  /** `this` inside a method (or a callback written in one): an instance of the class. */
  thisValue(scope: Scope): Resolved | X | undefined {
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      if (f.cls) return { k: 'instance', file: scope.file, name: f.cls };
    }
    return undefined;
  }

  /** What a call or `new` produces. */
  created(scope: Scope, call: CallSite, env: string[], depth: number): Resolved | X | undefined {
    if (this.queryStart === undefined) return this.query(() => this.created(scope, call, env, depth));
    if (call.root === 'require' || this.tooDeep(depth)) return undefined;
    const root = call.root === 'this' ? this.thisValue(scope) : this.ident(scope, call.root, depth);
    return root ? this.createdFrom(root, scope, call, env, depth) : undefined;
  }

  /** What a call produces, its callee's root resolved: a class's instance, an object or instance reached by members, a factory's return. */
  protected createdFrom(root: Resolved | X, scope: Scope, call: CallSite, env: string[], depth: number): Resolved | X | undefined {
    if (root.k === 'class' && call.isNew && call.names.length === 0)
      return this.instanceOf((root as { file: string }).file, (root as { name: string }).name, depth + 1);
    const m = this.member(root, call.names, scope, depth);
    return m ? this.fromMember(m, scope, call, env, depth) : undefined;
  }

  /** What a call produces, its callee resolved as far as it goes (`rest`: the names left). */
  protected fromMember(m: Member<Resolved | X>, scope: Scope, call: CallSite, _env: string[], depth: number): Resolved | X | undefined {
    if (m.rest.length > 0) return undefined;
    if (m.value.k === 'instance' || m.value.k === 'object') return m.value;
    if (m.value.k === 'fn' && !call.isNew) return this.returnOf((m.value as { key: string }).key, call.args, scope, depth + 1);
    return undefined;
  }

  /** What a function returns when called with these arguments: the first of its returns that resolves (read in a scope with `into`'s fields besides: a subclass's). */
  returnOf(key: string, args: Value[], caller: Scope, depth: number, into?: object): Resolved | X | undefined {
    if (this.queryStart === undefined) return this.query(() => this.returnOf(key, args, caller, depth, into));
    const fn = this.fns.get(key);
    if (!fn || this.tooDeep(depth)) return undefined;
    if (this.activeReturns.has(key)) return this.cut();
    const bound = bindArgs(fn, args, caller);
    const find = () => {
      this.activeReturns.add(key);
      try {
        for (const r of fn.returns) {
          const found = this.value({ ...into, file: fn.file, fn, args: bound }, r, depth + 1);
          if (found) return found;
        }
        return undefined;
      } finally {
        this.activeReturns.delete(key);
      }
    };
    // Without arguments a function returns the same wherever it is called (a subclass's own scope
    // fields, `into`, aside): found once per depth.
    return bound.size === 0 && !into ? this.memoised(`r\u0000${key}\u0000${depth}`, find) : find();
  }

  /** One step; true past the depth limit or the running query's step budget (a cut: what it finds is not kept). */
  protected tooDeep(depth: number): boolean {
    this.taken++;
    if (this.queryStart !== undefined && this.taken - this.queryStart > MAX_STEPS) {
      this.cuts++;
      return true;
    }
    return depth > MAX_DEPTH;
  }

  /** A search stopped by a limit or a cycle: what was found meanwhile is not final. */
  private cut(): undefined {
    this.cuts++;
    return undefined;
  }

  /** An instance of a repository class. */
  protected instanceOf(file: string, name: string, _depth: number): Resolved | X | undefined {
    return { k: 'instance', file, name };
  }

  classOf(file: string, name: string): ClassInfo | undefined {
    return this.indexes.get(file)?.classes.get(name);
  }

  /** Base class of a repository class, if it is one. */
  protected baseClass(cls: ClassInfo, depth: number): ClassInfo | undefined {
    if (!cls.extends || this.tooDeep(depth)) return undefined;
    const v = this.ident({ file: cls.file }, cls.extends.root, depth + 1);
    return v?.k === 'class' ? this.classOf((v as { file: string }).file, (v as { name: string }).name) : undefined;
  }

  /** A type name (a field's or parameter's annotation) → an instance of the repository class it names. */
  typeValue(file: string, type: string, _typeArgs: string[], depth: number): Resolved | X | undefined {
    const v = this.ident({ file }, type, depth + 1);
    return v?.k === 'class' ? this.instanceOf((v as { file: string }).file, (v as { name: string }).name, depth + 1) : undefined;
  }

  /** A class field: its initialiser, else its declared (injected) type. */
  field(cls: ClassInfo, f: Field, depth: number): Resolved | X | undefined {
    if (f.init) {
      const v = this.value({ file: cls.file }, f.init, depth + 1);
      if (v) return v;
    }
    if (f.type) return this.typeValue(cls.file, f.type, f.typeArgs, depth + 1);
    return undefined;
  }

  /** Apply property names to a value as far as they resolve; `rest` is what is left. */
  member(value: Resolved | X, names: string[], scope: Scope, depth: number): Member<Resolved | X> | undefined {
    if (this.queryStart === undefined) return this.query(() => this.member(value, names, scope, depth));
    if (this.tooDeep(depth)) return undefined;
    if (names.length === 0) return { value, rest: names };
    const [head, ...rest] = names as [string, ...string[]];
    if (head === '()') return undefined;
    const v = value as Resolved;
    switch (v.k) {
      case 'instance':
      case 'class': {
        for (let cls = this.classOf(v.file, v.name), i = 0; cls && i < 8; cls = this.baseClass(cls, depth + 1), i++) {
          const m = cls.methods.get(head);
          if (m) return this.method(v, cls, m, head, rest) ?? { value: { k: 'fn', key: m }, rest };
          const f = cls.fields.get(head);
          if (f && (v.k === 'instance' || f.static)) {
            const fv = this.field(cls, f, depth + 1);
            return fv ? this.member(fv, rest, scope, depth + 1) : undefined;
          }
        }
        return this.unknownMember(v, names, depth);
      }
      case 'object': {
        const p = Object.hasOwn(v.props, head) ? v.props[head] : undefined;
        if (p?.k === 'fn') return { value: { k: 'fn', key: p.key }, rest };
        const pv = p ? this.value(v.scope, p, depth + 1) : undefined;
        return pv ? this.member(pv, rest, scope, depth + 1) : undefined;
      }
      case 'module': {
        const e = this.exportOf(v.file, head, depth + 1);
        return e ? this.member(e, rest, scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** A rule set's say on a method found on a class (an abstract one others implement); undefined: the method itself. */
  protected method(_value: Resolved, _cls: ClassInfo, _key: string, _name: string, _rest: string[]): Member<Resolved | X> | undefined {
    return undefined;
  }

  /** A member a class and its bases do not declare. */
  protected unknownMember(_value: Extract<Resolved, { k: 'instance' | 'class' }>, _names: string[], _depth: number): Member<Resolved | X> | undefined {
    return undefined;
  }

  /** A value as a string: a literal, a constant, a template whose parts all resolve, a default. */
  string(scope: Scope, v: Value, depth = 0): string | undefined {
    if (v.k === 'str') return v.v;
    const r = this.value(scope, v, depth);
    return r?.k === 'str' ? (r as { value: string }).value : undefined;
  }

  /**
   * The leading text of a string: a literal, a constant, or a template's literal head, else its
   * first part resolved and the literal after it (`${BASE}/users/${id}` → BASE's value + `/users/`):
   * enough for a URL's host, an SQL verb or a name's prefix when the rest is not known.
   */
  leading(scope: Scope, v: Value, depth = 0): string | undefined {
    if (v.k === 'tpl') {
      if (v.quasis[0] !== '' || !v.exprs[0]) return v.quasis[0];
      const head = this.string(scope, v.exprs[0], depth);
      return head === undefined ? undefined : head + (v.quasis[1] ?? '');
    }
    if (v.k === 'str') return v.v;
    if (v.k === 'ref') {
      const whole = this.string(scope, v, depth);
      if (whole !== undefined || this.tooDeep(depth)) return whole;
      // A name bound to a template whose later parts are not known: its head (`const url = \`https://host/x?q=${q}\``).
      const def = this.definition(scope, v.path);
      return def?.value.k === 'tpl' ? this.leading(def.scope, def.value, depth + 1) : undefined;
    }
    return undefined;
  }

  /** The value a plain name is bound to as written, where it is declared: an argument, a local, a module value. */
  private definition(scope: Scope, name: string): { scope: Scope; value: Value } | undefined {
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      const inner = scopeOf(scope, f);
      const arg = inner.args?.get(name);
      if (arg) return arg;
      const local = f.locals.get(name);
      if (local) return { scope: inner, value: local };
      if (this.binds(f, name)) return undefined;
    }
    const v = this.indexes.get(scope.file)?.vars.get(name);
    return v ? { scope: { file: scope.file }, value: v } : undefined;
  }

  /** A value as a number. */
  number(scope: Scope, v: Value | undefined, depth = 0): number | undefined {
    if (!v) return undefined;
    if (v.k === 'num') return v.v;
    const r = this.value(scope, v, depth);
    return r?.k === 'num' ? (r as { value: number }).value : undefined;
  }

  /** A value as a list of strings (an array whose items all resolve). */
  strings(scope: Scope, v: Value, depth = 0): string[] | undefined {
    const r = this.value(scope, v, depth);
    if (r?.k !== 'array') return undefined;
    const a = r as Extract<Resolved, { k: 'array' }>;
    const out: string[] = [];
    for (const item of a.items) {
      const s = this.string(a.scope, item, depth);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }

  /** A value as an object literal (its properties and the scope they are read in), in the first scope where it resolves: a construct's or a resource's arguments. */
  objectIn(scopes: readonly Scope[], v: Value | undefined): { props: Record<string, Value>; scope: Scope } | undefined {
    if (!v) return undefined;
    if (v.k === 'obj') return { props: v.props, scope: scopes[0]! };
    for (const s of scopes) {
      const r = this.value(s, v) as Resolved | undefined;
      if (r?.k === 'object') return { props: r.props, scope: r.scope };
    }
    return undefined;
  }

  /** A setting: its value when known (a literal, a constant, a default) and the environment variables it reads. */
  setting(scope: Scope, v: Value): { value?: string; env: string[] } {
    const value = this.string(scope, v);
    return value === undefined ? { env: envOf(v) } : { value, env: envOf(v) };
  }
}
