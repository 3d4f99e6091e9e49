/**
 * Meaning for the walk's raw call sites, without a type checker: what an identifier, `this.x` or
 * an import denotes (a repository function or class, a database/SDK/HTTP/queue client created
 * from a known package), and so what each call does. Resolution follows imports (through the
 * run's import graph), module and local bindings, class fields (constructor-injected providers,
 * NestJS `@InjectRepository`/`@InjectModel`/`@InjectQueue`/`@InjectRedis`) and base classes.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { DERIVING, HTTP_METHODS, PRODUCE, storeOp, targetOf, type Target } from './catalogue.js';
import type { Arg, Binding, CallSite, ClassInfo, Field, FileIndex, Fn } from './walk.js';

export type Value =
  | { k: 'client'; target: Target; origin: Evidence; env: string[]; host?: string; entity?: string; queue?: string }
  | { k: 'fn'; key: string }
  | { k: 'class'; file: string; name: string }
  | { k: 'instance'; file: string; name: string }
  | { k: 'object'; file: string; binding: Extract<Binding, { kind: 'object' }> }
  | { k: 'module'; file: string }
  | { k: 'pkg'; pkg: string; name: string; line: number }
  | { k: 'str'; value: string }
  | { k: 'num'; value: number }
  /** An interface or abstract class: calls dispatch to every implementation in the repository. */
  | { k: 'port'; name: string }
  | { k: 'fns'; keys: string[] };

export type Effect =
  | { k: 'call'; fnKey: string }
  | { k: 'dispatch'; fnKeys: string[]; port: string }
  | { k: 'store'; target: Extract<Target, { kind: 'store' }>; op?: 'read' | 'write'; entity?: string; ttl?: number; origin: Evidence; env: string[]; create?: boolean }
  | { k: 'external'; target: Extract<Target, { kind: 'external' }>; what?: string; origin: Evidence; env: string[]; create?: boolean }
  | { k: 'http'; host: string; method: string }
  | { k: 'produce'; lib: string; queue?: string; job?: string };

export interface Located {
  fn: Fn;
  call: CallSite;
  effect: Effect;
}

const MAX_DEPTH = 12;

export class Resolver {
  readonly fns = new Map<string, Fn>();
  /** Inline functions (callbacks) by the function that contains them. */
  readonly children = new Map<string, string[]>();

  /** Classes by the names they extend or implement (ports → adapters), in file order. */
  private readonly implementors = new Map<string, ClassInfo[]>();

  constructor(
    private readonly ctx: AnalyzerContext,
    readonly indexes: Map<string, FileIndex>,
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

  private fileOfImport(file: string, module: string): string | undefined {
    const f = this.ctx.resolveImport(file, module);
    return f && this.indexes.has(f) ? f : undefined;
  }

  /** What `name` denotes inside `fn` (or at module level when fn is undefined). */
  ident(file: string, fn: Fn | undefined, name: string, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const idx = this.indexes.get(file);
    if (!idx) return undefined;
    for (let f: Fn | undefined = fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      const local = f.locals.get(name);
      if (local) return this.binding(file, f, local, depth + 1);
      const type = f.params.get(name);
      if (type) return this.typeValue(file, type, [], depth + 1);
    }
    const v = idx.vars.get(name);
    if (v) return this.binding(file, undefined, v, depth + 1);
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

  exportOf(file: string, name: string, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const idx = this.indexes.get(file);
    if (!idx) return undefined;
    const local = idx.exports.get(name);
    if (local) return this.ident(file, undefined, local, depth + 1);
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
    return undefined;
  }

  binding(file: string, fn: Fn | undefined, b: Binding, depth: number): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (b.kind) {
      case 'fn':
        return { k: 'fn', key: b.key };
      case 'object':
        return { k: 'object', file, binding: b };
      case 'value':
        if (b.arg.str !== undefined && b.arg.head === undefined) return { k: 'str', value: b.arg.str };
        if (b.arg.num !== undefined) return { k: 'num', value: b.arg.num };
        if (b.arg.ref) return this.path(file, fn, b.arg.ref, depth + 1);
        return undefined;
      case 'call':
        return this.created(file, fn, b.call, b.env, depth + 1);
    }
  }

  /** `a.b.c` text → value. */
  path(file: string, fn: Fn | undefined, ref: string, depth: number): Value | undefined {
    const [root, ...names] = ref.split('.');
    if (!root) return undefined;
    const v = root === 'this' ? this.thisValue(file, fn) : this.ident(file, fn, root, depth + 1);
    return v ? this.member(v, names, file, depth + 1)?.value : undefined;
  }

  private thisValue(file: string, fn: Fn | undefined): Value | undefined {
    for (let f: Fn | undefined = fn; f; f = f.parent ? this.fns.get(f.parent) : undefined) {
      if (f.cls) return { k: 'instance', file, name: f.cls };
    }
    return undefined;
  }

  /** The value a call or `new` produces, when it is a client (or an instance of a repository class). */
  created(file: string, fn: Fn | undefined, call: CallSite, env: string[], depth: number): Value | undefined {
    if (call.root === 'require') return undefined;
    const rootValue = call.root === 'this' ? this.thisValue(file, fn) : this.ident(file, fn, call.root, depth + 1);
    if (!rootValue) return undefined;
    const origin = { file, line: call.line };
    if (rootValue.k === 'pkg') {
      const named = call.names.filter((n) => n !== '()');
      // `new Redis()`, `createClient()`, `axios.create()`, `mongoose.model()`, `knex()`.
      const target = targetOf(rootValue.pkg, rootValue.name) ?? (named[0] ? targetOf(rootValue.pkg, named[0]) : undefined);
      if (!target) return undefined;
      return this.withArgs({ k: 'client', target, origin, env }, file, fn, call.args, depth);
    }
    if (rootValue.k === 'class' && call.isNew && call.names.length === 0) {
      const base = this.clientBase(rootValue.file, rootValue.name, depth + 1);
      if (base) return { ...base, origin };
      return { k: 'instance', file: rootValue.file, name: rootValue.name };
    }
    const m = this.member(rootValue, call.names, file, depth + 1);
    if (m?.value.k === 'client') {
      const last = call.names.filter((n) => n !== '()').pop();
      if (m.rest.length === 0 || (last && DERIVING.has(last))) {
        const v = this.withArgs({ ...m.value, env: [...m.value.env, ...env] }, file, fn, call.args, depth);
        return v;
      }
    }
    if (m && m.rest.length === 0 && (m.value.k === 'instance' || m.value.k === 'object')) return m.value;
    return undefined;
  }

  /** Options a client is created with: base URL host, queue name, entity. */
  private withArgs(v: Extract<Value, { k: 'client' }>, file: string, fn: Fn | undefined, args: Arg[], depth: number): Value {
    const out = { ...v };
    const first = args[0];
    if (v.target.kind === 'http') {
      const base = first?.props?.baseURL ?? first?.props?.prefixUrl ?? first?.props?.baseUrl;
      const host = base ? hostOf(this.stringOf(file, fn, base, depth)) : undefined;
      if (host) out.host = host;
    } else if (v.target.kind === 'queue') {
      const name = first ? this.stringOf(file, fn, first, depth) : undefined;
      if (name && !out.queue) out.queue = name;
    } else if (v.target.kind === 'store' && first) {
      const entity = first.ref ?? (first.str && !first.str.includes(':') ? first.str : undefined);
      if (entity && !out.entity && /^[A-Za-z_][\w.]*$/.test(entity)) out.entity = entity.replace(/\.name$/, '');
    }
    return out;
  }

  /** A class whose base is a known client class (`PrismaService extends PrismaClient`, Active Record models). */
  clientBase(file: string, name: string, depth: number): Extract<Value, { k: 'client' }> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const cls = this.indexes.get(file)?.classes.get(name);
    if (!cls?.extends) return undefined;
    const v = this.ident(file, undefined, cls.extends.root, depth + 1);
    if (v?.k === 'pkg') {
      const target = targetOf(v.pkg, cls.extends.names[0] ?? v.name) ?? targetOf(v.pkg, v.name);
      // Active Record models (`extends BaseEntity`/`Model`) name their entity; a client subclass (`extends PrismaClient`) does not.
      const base = cls.extends.names[0] ?? v.name;
      if (target) return { k: 'client', target, origin: { file, line: cls.line }, env: [], ...(base === 'BaseEntity' || base === 'Model' ? { entity: name } : {}) };
    }
    if (v?.k === 'class') return this.clientBase(v.file, v.name, depth + 1);
    return undefined;
  }

  stringOf(file: string, fn: Fn | undefined, arg: Arg, depth = 0): string | undefined {
    if (arg.head !== undefined) {
      const h = this.path(file, fn, arg.head, depth + 1);
      return h?.k === 'str' ? h.value + (arg.rest ?? '') : undefined;
    }
    if (arg.str !== undefined) return arg.str;
    if (arg.ref) {
      const v = this.path(file, fn, arg.ref, depth + 1);
      if (v?.k === 'str') return v.value;
    }
    return undefined;
  }

  numberOf(file: string, fn: Fn | undefined, arg: Arg | undefined): number | undefined {
    if (!arg) return undefined;
    if (arg.num !== undefined) return arg.num;
    if (arg.ref) {
      const v = this.path(file, fn, arg.ref, 1);
      if (v?.k === 'num') return v.value;
    }
    return undefined;
  }

  private classOf(file: string, name: string): ClassInfo | undefined {
    return this.indexes.get(file)?.classes.get(name);
  }

  /** Base class of a repository class, if it is one. */
  private baseClass(cls: ClassInfo, depth: number): ClassInfo | undefined {
    if (!cls.extends || depth > MAX_DEPTH) return undefined;
    const v = this.ident(cls.file, undefined, cls.extends.root, depth + 1);
    return v?.k === 'class' ? this.classOf(v.file, v.name) : undefined;
  }

  /** Type name (a field's or parameter's annotation) → value: a repository class instance or a client. */
  typeValue(file: string, type: string, typeArgs: string[], depth: number): Value | undefined {
    const v = this.ident(file, undefined, type, depth + 1);
    if (!v) return this.implementors.has(type) ? { k: 'port', name: type } : undefined;
    if (v.k === 'class') return this.clientBase(v.file, v.name, depth + 1) ?? { k: 'instance', file: v.file, name: v.name };
    if (v.k === 'pkg') {
      const target = targetOf(v.pkg, v.name);
      if (target) {
        const entity = typeArgs[0]?.replace(/Document$/, '');
        return { k: 'client', target, origin: { file, line: v.line }, env: [], ...(entity ? { entity } : {}) };
      }
    }
    return undefined;
  }

  field(cls: ClassInfo, f: Field, depth: number): Value | undefined {
    for (const d of f.decorators) {
      // `@Inject(TOKEN)` where the token is a package's export (`CACHE_MANAGER`).
      if (d.name === 'Inject' && d.args[0]?.ref) {
        const tv = this.ident(cls.file, undefined, d.args[0].ref, depth + 1);
        const target = tv?.k === 'pkg' ? targetOf(tv.pkg, tv.name) : undefined;
        if (target) return { k: 'client', target, origin: { file: cls.file, line: d.line }, env: [] };
      }
      const dv = this.ident(cls.file, undefined, d.name, depth + 1);
      if (dv?.k !== 'pkg') continue;
      const target = targetOf(dv.pkg, dv.name);
      if (!target) continue;
      const v: Extract<Value, { k: 'client' }> = { k: 'client', target, origin: { file: cls.file, line: d.line }, env: [] };
      const first = d.args[0];
      if (target.kind === 'queue' && first) v.queue = this.stringOf(cls.file, undefined, first, depth + 1);
      if (target.kind === 'store' && first?.ref) v.entity = first.ref.replace(/\.name$/, '');
      if (target.kind === 'store' && first?.str) v.entity = first.str;
      return v;
    }
    if (f.init) {
      const v = this.binding(cls.file, undefined, f.init, depth + 1);
      if (v) return v;
    }
    if (f.type) return this.typeValue(cls.file, f.type, f.typeArgs, depth + 1);
    return undefined;
  }

  /** Apply property names to a value as far as they resolve; `rest` is what is left. */
  member(value: Value, names: string[], file: string, depth: number): { value: Value; rest: string[] } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (names.length === 0 || value.k === 'client') {
      if (value.k === 'client' && value.target.kind === 'store' && value.target.lib === 'prisma' && !value.entity) {
        const model = names.find((n) => n !== '()' && !n.startsWith('$'));
        if (model && names.length > 1) return { value: { ...value, entity: model }, rest: names.slice(names.indexOf(model) + 1) };
      }
      return { value, rest: names };
    }
    const [head, ...rest] = names;
    if (head === '()') return undefined;
    switch (value.k) {
      case 'port':
        return this.dispatch(value.name, head!, rest);
      case 'instance':
      case 'class': {
        for (let cls = this.classOf(value.file, value.name), i = 0; cls && i < 8; cls = this.baseClass(cls, depth + 1), i++) {
          const m = cls.methods.get(head!);
          // An abstract method (no calls of its own) on a class others implement: a port.
          if (m && value.k === 'instance' && this.fns.get(m)?.calls.length === 0 && this.implementors.has(cls.name)) {
            const d = this.dispatch(cls.name, head!, rest);
            if (d) return d;
          }
          if (m) return { value: { k: 'fn', key: m }, rest };
          const f = value.k === 'instance' ? cls.fields.get(head!) : undefined;
          if (f) {
            const fv = this.field(cls, f, depth + 1);
            return fv ? this.member(fv, rest, file, depth + 1) : undefined;
          }
        }
        if (value.k === 'class') {
          const base = this.clientBase(value.file, value.name, depth + 1);
          if (base) return { value: base, rest: names };
        }
        if (value.k === 'instance' && this.implementors.has(value.name)) return this.dispatch(value.name, head!, rest);
        return undefined;
      }
      case 'object': {
        const m = value.binding.methods.get(head!);
        if (m) return { value: { k: 'fn', key: m }, rest };
        const p = value.binding.props.get(head!);
        const pv = p ? this.binding(value.file, undefined, p, depth + 1) : undefined;
        return pv ? this.member(pv, rest, file, depth + 1) : undefined;
      }
      case 'module': {
        const v = this.exportOf(value.file, head!, depth + 1);
        return v ? this.member(v, rest, file, depth + 1) : undefined;
      }
      case 'pkg': {
        const target = targetOf(value.pkg, value.name) ?? targetOf(value.pkg, head!);
        if (!target) return undefined;
        return { value: { k: 'client', target, origin: { file, line: value.line }, env: [] }, rest: names };
      }
      default:
        return undefined;
    }
  }

  /** The method `name` of every class implementing or extending `port`. */
  private dispatch(port: string, name: string, rest: string[]): { value: Value; rest: string[] } | undefined {
    const keys = (this.implementors.get(port) ?? []).flatMap((c) => {
      const m = c.methods.get(name);
      return m ? [m] : [];
    });
    return keys.length ? { value: { k: 'fns', keys }, rest } : undefined;
  }

  /** What a call does, if anything archdoc can tell. */
  effect(fn: Fn, call: CallSite): Effect | undefined {
    const file = fn.file;
    if (call.root === 'fetch' && call.names.length === 0 && !this.ident(file, fn, 'fetch')) {
      const host = call.args[0] ? hostOf(this.stringOf(file, fn, call.args[0])) : undefined;
      return host ? { k: 'http', host, method: (call.args[1]?.props?.method?.str ?? 'GET').toUpperCase() } : undefined;
    }
    const root = call.root === 'this' ? this.thisValue(file, fn) : this.ident(file, fn, call.root);
    if (!root) return undefined;
    if (root.k === 'class' && call.isNew && call.names.length === 0) {
      const base = this.clientBase(root.file, root.name, 1);
      return base ? this.clientEffect(fn, call, base, [], true) : undefined;
    }
    if (root.k === 'pkg') {
      const named = call.names.filter((n) => n !== '()');
      const factory = call.isNew || named.length === 0 || (named.length === 1 && DERIVING.has(named[0]!));
      if (factory) {
        const v = this.created(file, fn, call, [], 1);
        if (v?.k === 'client') return this.clientEffect(fn, call, { ...v, origin: { file, line: call.line } }, [], true);
        return undefined;
      }
    }
    const m = this.member(root, call.names, file, 1);
    if (!m) return undefined;
    const plain = m.rest.every((n) => n === '()' || n === 'call' || n === 'apply' || n === 'bind');
    if (m.value.k === 'fn' && plain) return { k: 'call', fnKey: m.value.key };
    if (m.value.k === 'fns' && plain) return { k: 'dispatch', fnKeys: m.value.keys, port: call.names.filter((n) => n !== '()').join('.') };
    if (m.value.k === 'client') return this.clientEffect(fn, call, m.value, m.rest, false);
    return undefined;
  }

  private clientEffect(fn: Fn, call: CallSite, client: Extract<Value, { k: 'client' }>, rest: string[], created: boolean): Effect | undefined {
    const file = fn.file;
    const named = rest.filter((n) => n !== '()');
    const method = named[named.length - 1];
    const t = client.target;
    if (t.kind === 'store') {
      const isCreate = created && (call.isNew || !method || DERIVING.has(method));
      // The first data-store verb in a chain: `model.find(q).sort().limit()` reads, `db.insert(t).values()` writes.
      const verb = named.find((n) => storeOp(n) !== undefined);
      let op = verb ? storeOp(verb) : undefined;
      // `client.send(new PutItemCommand())` (AWS SDK v3): the command names the operation.
      const command = method === 'send' ? call.args[0]?.newOf : undefined;
      if (command) op = storeOp(command) ?? storeOp(command.replace(/Command$/, '')) ?? (/^(Put|Update|Delete|Write|Batch(Write)?|Create|Copy|Upload|Transact)/.test(command) ? 'write' : 'read');
      if ((method === 'query' || method === 'execute') && call.args[0]) {
        const sql = this.stringOf(file, fn, call.args[0]) ?? call.args[0].rest ?? '';
        op = /^\s*(insert|update|delete|upsert|merge|create|alter|drop|truncate)\b/i.test(sql) ? 'write' : 'read';
      }
      if (!op && !isCreate) return undefined;
      const key = t.tech === 'redis' && call.args[0]?.str ? `key ${call.args[0].str}${call.args[0].rest !== undefined ? '*' : ''}` : undefined;
      const entity = client.entity ?? (call.innerArgs[0]?.[0]?.str && t.lib !== 'prisma' ? call.innerArgs[0][0].str : key);
      const e: Effect = { k: 'store', target: t, origin: client.origin, env: client.env, ...(op ? { op } : {}), ...(entity ? { entity } : {}), ...(isCreate ? { create: true } : {}) };
      if (t.tech === 'redis' && method) {
        const ttl = this.ttlOf(fn, method, call.args);
        if (ttl !== undefined) e.ttl = ttl;
      }
      return e;
    }
    if (t.kind === 'external') {
      if (!created && !method) return undefined;
      const argEnv = call.args.flatMap((a) => [...(a.env ?? []), ...Object.values(a.props ?? {}).flatMap((p) => p.env ?? [])]);
      const command = method === 'send' ? call.args[0]?.newOf : undefined;
      const what = command ? command.replace(/Command$/, '') : named.length ? named.join('.') : undefined;
      return { k: 'external', target: t, origin: client.origin, env: [...client.env, ...argEnv], ...(what ? { what } : {}), ...(created ? { create: true } : {}) };
    }
    if (t.kind === 'http') {
      const verb = method && HTTP_METHODS.has(method) ? method : named.length === 0 ? 'request' : undefined;
      if (!verb) return undefined;
      const urlArg = call.args[0]?.props ? call.args[0].props.url : call.args[0];
      const url = urlArg ? this.stringOf(file, fn, urlArg) : undefined;
      const host = hostOf(url) ?? client.host;
      if (!host) return undefined;
      const m = verb === 'request' || verb === 'fetch' ? (call.args[0]?.props?.method?.str ?? call.args[1]?.props?.method?.str ?? 'GET') : verb;
      return { k: 'http', host, method: m.toUpperCase() };
    }
    if (t.kind === 'queue' && method && PRODUCE.has(method)) {
      const a0 = call.args[0];
      let queue = client.queue;
      let job: string | undefined;
      if (t.lib === 'bullmq' || t.lib === 'bull') job = a0 ? this.stringOf(file, fn, a0) : undefined;
      else if (t.lib === 'kafkajs') queue = a0?.props?.topic ? this.stringOf(file, fn, a0.props.topic) : queue;
      else if (t.lib === 'amqplib') queue = a0 ? this.stringOf(file, fn, a0) : queue;
      else if (t.lib === 'nestjs-microservices') queue = a0 ? this.stringOf(file, fn, a0) : queue;
      return { k: 'produce', lib: t.lib, ...(queue ? { queue } : {}), ...(job ? { job } : {}) };
    }
    return undefined;
  }

  /** Literal TTL in seconds of a Redis write: `set(k, v, 'EX', 60)`, `setex(k, 60, v)`, `set(k, v, { EX: 60 })`, `expire(k, 60)`. */
  private ttlOf(fn: Fn, method: string, args: Arg[]): number | undefined {
    const lower = method.toLowerCase();
    if (lower === 'setex' || lower === 'expire') return this.numberOf(fn.file, fn, args[1]);
    if (lower === 'psetex' || lower === 'pexpire') {
      const ms = this.numberOf(fn.file, fn, args[1]);
      return ms === undefined ? undefined : ms / 1000;
    }
    if (lower === 'set') {
      for (let i = 2; i < args.length; i++) {
        const s = args[i]!.str?.toUpperCase();
        if (s === 'EX') return this.numberOf(fn.file, fn, args[i + 1]);
        if (s === 'PX') {
          const ms = this.numberOf(fn.file, fn, args[i + 1]);
          return ms === undefined ? undefined : ms / 1000;
        }
        const props = args[i]!.props;
        if (props?.EX) return this.numberOf(fn.file, fn, props.EX);
        if (props?.ex) return this.numberOf(fn.file, fn, props.ex);
      }
    }
    return undefined;
  }
}

/** Host of an absolute http(s) URL; undefined for relative, local or unparseable URLs. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const host = new URL(url).hostname.toLowerCase();
    if (host === 'localhost' || host === '127.0.0.1' || host === '0.0.0.0' || host === '' || host.includes('${')) return undefined;
    return host;
  } catch {
    return undefined;
  }
}
