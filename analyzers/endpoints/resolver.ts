/**
 * What a router rule reads a value as, over the engine's indexes (src/analysis/index-file.ts): a
 * value followed through locals, parameters, module values, imports and re-exports (relative
 * paths, tsconfig `paths`, workspace packages), CommonJS exports, class members (`this.router`,
 * `this.routers.sites` assigned in any method) and object properties to what it is defined as,
 * as written; and string-valued expressions evaluated (literals, constants, enum members, object
 * properties, templates, `+`, defaults). What a reader would resolve by looking, no more: no type
 * checking, and never executing the analysed code.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, ClassInfo, Fn, Value } from '../../src/analysis/index-file.js';
import { str as strOf, type Ev } from './values.js';

/** An expression as written and where it is read. */
export interface Expr {
  v: Value;
  scope: Scope;
}

export type Target =
  | { kind: 'expr'; e: Expr }
  | { kind: 'func'; fn: Fn }
  | { kind: 'param'; fn: Fn; index: number }
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'module'; file: string }
  | { kind: 'external'; module: string; name: string };

const MAX_DEPTH = 40;

/** The scope `f` (a function around `scope`'s) is read in: the one `scope` binds for it (a helper read for one call, route-factories.ts), else its own. */
function scopeOf(scope: Scope, f: Fn): Scope {
  for (let s: Scope | undefined = scope; s; s = s.outer) if (s.fn === f) return s;
  return { file: scope.file, fn: f };
}

/** A call's callee without its last name: what the method is called on (undefined when it is a bare name, or a member of a call's result). */
export function receiverOf(call: CallSite, sub: (call: CallSite, at: number) => CallSite): Value | undefined {
  const n = call.names.length;
  if (n === 0) return undefined;
  const before = call.names.slice(0, -1);
  if (before.length === 0) return call.root === '' ? call.recv : { k: 'ref', path: call.root };
  if (before[before.length - 1] === '()') return { k: 'call', call: sub(call, before.length - 2) };
  if (before.includes('()') || call.root === '') return undefined;
  return { k: 'ref', path: [call.root, ...before].join('.') };
}

export class Resolver {
  private readonly inProgress = new Set<Value>();
  private readonly activeExports = new Set<string>();
  /** The calls of a chain up to a name (`router.route('/x').get(a)` of `….post(b)`), made once so that a chain's calls are one object each. */
  private readonly subs = new Map<CallSite, Map<number, CallSite>>();
  private readonly texts = new Map<string, string>();

  constructor(
    readonly ctx: AnalyzerContext,
    readonly ev: Ev,
  ) {}

  /** The call of a chain ending at its `at`th name (`()` excluded): `a.b(x).c(y)` at 0 → `a.b(x)`. */
  sub(call: CallSite, at: number): CallSite {
    if (at === call.names.length - 1) return call;
    let byAt = this.subs.get(call);
    if (!byAt) this.subs.set(call, (byAt = new Map()));
    let s = byAt.get(at);
    if (!s) {
      const names = call.names.slice(0, at + 1);
      const calls = names.filter((n) => n === '()').length;
      s = { line: call.line, root: call.root, names, isNew: false, args: call.innerArgs[calls] ?? [], innerArgs: call.innerArgs.slice(0, calls) };
      if (call.lines) s.lines = call.lines.slice(0, at + 1);
      if (call.recv) s.recv = call.recv;
      byAt.set(at, s);
    }
    return s;
  }

  /** A script's text (the functions' spans are offsets into it). */
  text(file: string): string {
    let t = this.texts.get(file);
    if (t === undefined) this.texts.set(file, (t = this.ctx.read(file) ?? ''));
    return t;
  }

  /** The text of a function as written; `body`: of its body only. */
  fnText(fn: Fn, body = false): string | undefined {
    if (!fn.span) return undefined;
    return this.text(fn.file).slice(fn.span[body ? 1 : 0], fn.span[2]);
  }

  /** The function (or callback) a scope is in, with the class around it. */
  classOf(scope: Scope): ClassInfo | undefined {
    for (let f = scope.fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) {
      if (f.cls) return this.ev.classOf(f.file, f.cls);
    }
    return undefined;
  }

  private fileOfImport(from: string, module: string, name: string, depth: number): Target | undefined {
    const file = this.ctx.resolveImport(from, module);
    if (!file) return { kind: 'external', module, name };
    if (!this.ev.indexes.has(file)) return undefined;
    if (name === '*') return { kind: 'module', file };
    // `const routes = require('./routes')` of a module without a default export: the module (`routes.users`).
    const idx = this.ev.indexes.get(file)!;
    if (name === 'default' && !idx.exports.has('default') && !idx.reexports.has('default')) return { kind: 'module', file };
    return this.exportTarget(file, name, depth + 1);
  }

  /** What a file exports under `name`: its binding, a re-export, a property of `module.exports = { … }`, an `export *`. */
  exportTarget(file: string, name: string, depth = 0): Target | undefined {
    const idx = this.ev.indexes.get(file);
    const key = `${file}\u0000${name}`;
    if (!idx || depth > MAX_DEPTH || this.activeExports.has(key)) return undefined;
    this.activeExports.add(key);
    try {
      const local = idx.exports.get(name);
      if (local) return this.name({ file }, local, depth + 1);
      const re = idx.reexports.get(name);
      if (re) return this.fileOfImport(file, re.module, re.name, depth + 1);
      // CommonJS: `module.exports = { a, b }` answers named imports too.
      const cjs = name !== 'default' ? idx.exports.get('default') : undefined;
      const obj = cjs ? idx.vars.get(cjs) : undefined;
      if (obj?.k === 'obj' && Object.hasOwn(obj.props, name)) return this.prop({ v: obj, scope: { file } }, name, depth + 1);
      for (const star of idx.starExports) {
        const target = this.ctx.resolveImport(file, star);
        const hit = target && this.ev.indexes.has(target) ? this.exportTarget(target, name, depth + 1) : undefined;
        if (hit) return hit;
      }
      return undefined;
    } finally {
      this.activeExports.delete(key);
    }
  }

  /** What a name denotes where it is read: a local, a parameter, a module value, a function, a class, an import. */
  name(scope: Scope, name: string, depth = 0): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { file } = scope;
    const idx = this.ev.indexes.get(file);
    if (!idx) return undefined;
    for (let f = scope.fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) {
      const local = f.locals.get(name);
      if (local) return local.k === 'fn' ? this.func(local.key) : this.deref({ v: local, scope: scopeOf(scope, f) }, depth + 1);
      const index = f.paramNames.indexOf(name);
      if (index >= 0) return { kind: 'param', fn: f, index };
      if (f.binds.includes(name)) {
        const cls = idx.classes.get(name);
        return cls && cls.line >= f.line && cls.line <= f.endLine ? { kind: 'class', cls } : undefined;
      }
    }
    const v = idx.vars.get(name);
    if (v) return this.deref({ v, scope: { file } }, depth + 1);
    const fn = this.ev.fns.get(`${file}#${name}`);
    if (fn) return { kind: 'func', fn };
    const cls = idx.classes.get(name);
    if (cls) return { kind: 'class', cls };
    const imp = idx.imports.get(name);
    return imp ? this.fileOfImport(file, imp.module, imp.name, depth + 1) : undefined;
  }

  private func(key: string): Target | undefined {
    const fn = this.ev.fns.get(key);
    return fn ? { kind: 'func', fn } : undefined;
  }

  /** What a value is defined as, following names through scopes and files. */
  deref(e: Expr, depth = 0): Target | undefined {
    const v = e.v;
    if (depth > MAX_DEPTH || this.inProgress.has(v)) return undefined;
    this.inProgress.add(v);
    try {
      switch (v.k) {
        case 'ref':
          return this.path(e.scope, v.path.split('.'), depth + 1) ?? { kind: 'expr', e };
        case 'fn':
          return this.func(v.key);
        case 'call': {
          const c = v.call;
          const a0 = c.args[0];
          if ((c.root === 'require' || c.root === 'import') && c.names.length === 0 && a0?.k === 'str')
            return this.fileOfImport(e.scope.file, a0.v, '*', depth + 1) ?? { kind: 'expr', e };
          return { kind: 'expr', e };
        }
        default:
          return { kind: 'expr', e };
      }
    } finally {
      this.inProgress.delete(v);
    }
  }

  /** `a.b.c` as written, where it is read; `this.a.b` is what a method of the class assigns to it, else `b` of `this.a`. */
  private path(scope: Scope, parts: string[], depth: number): Target | undefined {
    if (depth > MAX_DEPTH || parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0] === 'this' ? undefined : this.name(scope, parts[0]!, depth + 1);
    if (parts[0] === 'this') {
      const cls = this.classOf(scope);
      if (!cls) return undefined;
      if (parts.length === 2) return this.classMember(cls, parts[1]!, depth + 1);
      const assigned = cls.assigns?.find((a) => a.path === parts.slice(1).join('.'));
      if (assigned) return this.assigned(cls, assigned, depth + 1);
    }
    return this.member(this.path(scope, parts.slice(0, -1), depth + 1), parts[parts.length - 1]!, depth + 1);
  }

  private assigned(cls: ClassInfo, a: NonNullable<ClassInfo['assigns']>[number], depth: number): Target | undefined {
    const fn = this.ev.fns.get(a.fn);
    return this.deref({ v: a.value, scope: { file: cls.file, ...(fn ? { fn } : {}) } }, depth + 1);
  }

  /** Member `name` of a target: a module's export, an object's property, a class's (static) member, a package's export. */
  member(t: Target | undefined, name: string, depth: number): Target | undefined {
    if (!t || depth > MAX_DEPTH) return undefined;
    switch (t.kind) {
      case 'module': {
        const ex = this.exportTarget(t.file, name, depth + 1);
        if (ex) return ex;
        // `import * as x` of a CommonJS module whose default is an object.
        const d = this.exportTarget(t.file, 'default', depth + 1);
        return d?.kind === 'expr' ? this.member(d, name, depth + 1) : undefined;
      }
      case 'external':
        return { kind: 'external', module: t.module, name: t.name === '*' || t.name === 'default' ? name : `${t.name}.${name}` };
      case 'class':
        return this.classMember(t.cls, name, depth + 1, true);
      case 'expr': {
        const x = t.e.v;
        if (x.k === 'obj') return Object.hasOwn(x.props, name) ? this.prop(t.e, name, depth + 1) : undefined;
        // `options.routers || new Routers()`: a member of the default the code creates, else of the given value.
        if (x.k === 'or')
          return (
            this.member(this.deref({ v: x.right, scope: t.e.scope }, depth + 1), name, depth + 1) ??
            this.member(this.deref({ v: x.left, scope: t.e.scope }, depth + 1), name, depth + 1)
          );
        // express-ws: `expressWs(express()).app` is the app it was given.
        if (x.k === 'call' && !x.call.isNew && name === 'app' && x.call.args[0]) {
          const c = this.callee({ v: x, scope: t.e.scope }, depth + 1);
          if (c?.kind === 'external' && c.module === 'express-ws') return this.deref({ v: x.call.args[0], scope: t.e.scope }, depth + 1);
        }
        if (x.k === 'call' && x.call.isNew) {
          let c = this.callee({ v: x, scope: t.e.scope }, depth + 1);
          // `const SiteRouter = require('./routes/site')`: the class the module exports.
          if (c?.kind === 'module') c = this.exportTarget(c.file, 'default', depth + 1);
          if (c?.kind === 'class') return this.classMember(c.cls, name, depth + 1);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private prop(obj: Expr, name: string, depth: number): Target | undefined {
    const p = (obj.v as Extract<Value, { k: 'obj' }>).props[name]!;
    return this.deref({ v: p, scope: obj.scope }, depth + 1);
  }

  /** A class's member: a method, a property's initialiser, or what the constructor assigns to it. */
  classMember(cls: ClassInfo, name: string, depth: number, isStatic = false): Target | undefined {
    const method = cls.methods.get(name);
    if (method) return this.func(method);
    const f = cls.fields.get(name);
    if (f && isStatic && !f.static) return undefined;
    const ctor = `${cls.file}#${cls.name}.constructor`;
    const assigned = cls.assigns?.find((a) => a.path === name && a.fn === ctor);
    if (assigned) return this.assigned(cls, assigned, depth + 1);
    return f?.init ? this.deref({ v: f.init, scope: { file: cls.file } }, depth + 1) : undefined;
  }

  /** What a call's callee is defined as (`express.Router` of `express.Router()`, `basePath` of `new Hono().basePath('/x')`). */
  callee(e: Expr, depth = 0): Target | undefined {
    if (e.v.k !== 'call') return undefined;
    const c = e.v.call;
    if (c.root !== '' && !c.names.includes('()')) return this.deref({ v: { k: 'ref', path: [c.root, ...c.names].join('.') }, scope: e.scope }, depth + 1);
    // require('fastify')({ logger: true }), require('express')(): a package's export called at once.
    const spec = c.root === 'require' && c.names.length === 1 && c.names[0] === '()' ? c.innerArgs[0]?.[0] : undefined;
    if (spec?.k === 'str' && !spec.v.startsWith('.') && !spec.v.startsWith('/')) return { kind: 'external', module: spec.v, name: 'default' };
    const recv = receiverOf(c, (call, at) => this.sub(call, at));
    if (c.names[c.names.length - 1] === '()' || !recv) return undefined;
    return this.member(this.deref({ v: recv, scope: e.scope }, depth + 1), c.names[c.names.length - 1]!, depth + 1);
  }

  // ---- strings ------------------------------------------------------------------------------

  /** The constant string of a value (a number as its text), or undefined when it is not statically known. */
  str(e: Expr | undefined, depth = 0): string | undefined {
    if (!e || depth > MAX_DEPTH) return undefined;
    const v = e.v;
    const known = strOf(this.ev, e.scope, v);
    if (known !== undefined) return known;
    // `'/api' + VERSION`: both sides known.
    if (v.k === 'unknown' && v.cat?.length === 2) {
      const a = this.str({ v: v.cat[0]!, scope: e.scope }, depth + 1);
      const b = a === undefined ? undefined : this.str({ v: v.cat[1]!, scope: e.scope }, depth + 1);
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
    if (v.k === 'ref') {
      const t = this.deref(e, depth + 1);
      if (t?.kind === 'expr' && t.e.v !== v) return this.str(t.e, depth + 1);
    }
    return undefined;
  }

  /** A string or an array of strings (`['/a', '/b']`); undefined when any part is unknown. */
  strList(e: Expr | undefined, depth = 0): string[] | undefined {
    if (!e || depth > MAX_DEPTH) return undefined;
    let arr = e.v.k === 'arr' ? e : undefined;
    if (!arr && e.v.k === 'ref') {
      const t = this.deref(e, depth + 1);
      if (t?.kind === 'expr' && t.e.v.k === 'arr') arr = t.e;
    }
    if (arr?.v.k === 'arr') {
      const out: string[] = [];
      for (const item of arr.v.items) {
        const s = this.str({ v: item, scope: arr.scope }, depth + 1);
        if (s === undefined) return undefined;
        out.push(s);
      }
      return out;
    }
    const one = this.str(e, depth);
    return one === undefined ? undefined : [one];
  }

  /** The object a value stands for (written in place or through a constant). */
  object(e: Expr | undefined): Expr | undefined {
    if (!e) return undefined;
    if (e.v.k === 'obj') return e;
    const t = this.deref(e);
    return t?.kind === 'expr' && t.e.v.k === 'obj' ? t.e : undefined;
  }
}

/** A property of an object (as `object` answers it), where it is read. */
export function prop(o: Expr | undefined, name: string): Expr | undefined {
  if (o?.v.k !== 'obj' || !Object.hasOwn(o.v.props, name)) return undefined;
  return { v: o.v.props[name]!, scope: o.scope };
}
