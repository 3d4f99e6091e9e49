/**
 * outbound's rules over the evaluator (src/analysis/evaluate.ts): which package exports create a
 * database, SDK, HTTP or queue client (`catalogue.ts`), what a client's options name (base URL
 * host, queue, entity), clients derived from clients and subclassed clients, NestJS injection
 * decorators (`@InjectRepository`/`@InjectModel`/`@InjectQueue`/`@InjectRedis`, `@Inject(TOKEN)`),
 * ports (an interface or abstract class dispatches to every implementation), and so what each
 * call does. Names, imports, members, `this.x` and factories are the evaluator's.
 */
import { Evaluator, type Member, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import { envOf, literalHead, propOf, refText, type CallSite, type ClassInfo, type Field, type Fn, type Value as Expr } from '../../src/analysis/index-file.js';
import type { Evidence } from '../../src/model/schema.js';
import { DERIVING, HTTP_METHODS, PRODUCE, storeOp, targetOf, type Target } from './catalogue.js';

/** A client created from a known package: what outbound adds to the evaluator's values. */
export type Client = { k: 'client'; target: Target; origin: Evidence; env: string[]; host?: string; entity?: string; queue?: string };
type Extra =
  | Client
  /** An interface or abstract class: calls dispatch to every implementation in the repository. */
  | { k: 'port'; name: string }
  | { k: 'fns'; keys: string[] };
export type Value = Resolved | Extra;

export type Effect =
  | { k: 'call'; fnKey: string }
  | { k: 'dispatch'; fnKeys: string[]; port: string }
  | {
      k: 'store';
      target: Extract<Target, { kind: 'store' }>;
      op?: 'read' | 'write';
      entity?: string;
      ttl?: number;
      origin: Evidence;
      env: string[];
      create?: boolean;
    }
  | { k: 'external'; target: Extract<Target, { kind: 'external' }>; what?: string; origin: Evidence; env: string[]; create?: boolean }
  | { k: 'http'; host: string; method: string }
  | { k: 'produce'; lib: string; queue?: string; job?: string };

export interface Located {
  fn: Fn;
  call: CallSite;
  effect: Effect;
}

const ENTITY = /^[A-Za-z_][\w.]*$/;

/** A call's names up to a promise chain's `.then`/`.catch`/`.finally` (`connect`, `()` of `connect(u).then(f)`). */
function untilPromiseChain(names: readonly string[]): string[] {
  const i = names.findIndex((n, k) => k > 0 && (n === 'then' || n === 'catch' || n === 'finally'));
  return i < 0 ? [...names] : names.slice(0, i);
}

export class Resolver extends Evaluator<Extra> {
  protected override createdFrom(root: Value, scope: Scope, call: CallSite, env: string[], depth: number): Value | undefined {
    const origin = { file: scope.file, line: call.line };
    if (root.k === 'pkg') {
      const named = call.names.filter((n) => n !== '()');
      // `new Redis()`, `createClient()`, `axios.create()`, `mongoose.model()`, `knex()`.
      const target = targetOf(root.pkg, root.name) ?? (named[0] ? targetOf(root.pkg, named[0]) : undefined);
      if (!target) return undefined;
      return this.withArgs({ k: 'client', target, origin, env }, scope, call.args, depth);
    }
    if (root.k === 'class' && call.isNew && call.names.length === 0) {
      const base = this.clientBase(root.file, root.name, depth + 1);
      if (base) return { ...base, origin };
      return { k: 'instance', file: root.file, name: root.name };
    }
    return super.createdFrom(root, scope, call, env, depth);
  }

  protected override fromMember(m: Member<Value>, scope: Scope, call: CallSite, env: string[], depth: number): Value | undefined {
    if (m.value.k === 'client') {
      const last = call.names.filter((n) => n !== '()').pop();
      if (m.rest.length === 0 || (last && DERIVING.has(last))) return this.withArgs({ ...m.value, env: [...m.value.env, ...env] }, scope, call.args, depth);
    }
    return super.fromMember(m, scope, call, env, depth);
  }

  /** Options a client is created with: base URL host, queue name, entity. */
  private withArgs(v: Client, scope: Scope, args: Expr[], depth: number): Value {
    const out = { ...v };
    const first = args[0];
    if (v.target.kind === 'http') {
      const base = propOf(first, 'baseURL') ?? propOf(first, 'prefixUrl') ?? propOf(first, 'baseUrl');
      const host = base ? hostOf(this.leading(scope, base, depth)) : undefined;
      if (host) out.host = host;
    } else if (v.target.kind === 'queue') {
      const name = first ? this.leading(scope, first, depth) : undefined;
      if (name && !out.queue) out.queue = name;
    } else if (v.target.kind === 'store' && first) {
      const entity = refText(first) ?? ((literalHead(first) ?? ':').includes(':') ? undefined : literalHead(first));
      if (entity && !out.entity && ENTITY.test(entity)) out.entity = entity.replace(/\.name$/, '');
    }
    return out;
  }

  /** A class whose base is a known client class (`PrismaService extends PrismaClient`, Active Record models). */
  clientBase(file: string, name: string, depth: number): Client | undefined {
    if (this.tooDeep(depth)) return undefined;
    const cls = this.classOf(file, name);
    if (!cls?.extends) return undefined;
    const v = this.ident({ file }, cls.extends.root, depth + 1);
    if (v?.k === 'pkg') {
      const target = targetOf(v.pkg, cls.extends.names[0] ?? v.name) ?? targetOf(v.pkg, v.name);
      // Active Record models (`extends BaseEntity`/`Model`) name their entity; a client subclass (`extends PrismaClient`) does not.
      const base = cls.extends.names[0] ?? v.name;
      if (target)
        return { k: 'client', target, origin: { file, line: cls.line }, env: [], ...(base === 'BaseEntity' || base === 'Model' ? { entity: name } : {}) };
    }
    if (v?.k === 'class') return this.clientBase(v.file, v.name, depth + 1);
    return undefined;
  }

  private numberOf(scope: Scope, v: Expr | undefined): number | undefined {
    if (v?.k === 'num') return v.v;
    if (v?.k === 'ref') return this.number(scope, v, 1);
    return undefined;
  }

  protected override instanceOf(file: string, name: string, depth: number): Value | undefined {
    return this.clientBase(file, name, depth + 1) ?? { k: 'instance', file, name };
  }

  /** Type name (a field's or parameter's annotation) → value: a repository class instance, a client, or a port. */
  override typeValue(file: string, type: string, typeArgs: string[], depth: number): Value | undefined {
    const v = this.ident({ file }, type, depth + 1);
    if (!v) return this.implementors.has(type) ? { k: 'port', name: type } : undefined;
    if (v.k === 'class') return this.instanceOf(v.file, v.name, depth);
    if (v.k === 'pkg') {
      const target = targetOf(v.pkg, v.name);
      if (target) {
        const entity = typeArgs[0]?.replace(/Document$/, '');
        return { k: 'client', target, origin: { file, line: v.line }, env: [], ...(entity ? { entity } : {}) };
      }
    }
    return undefined;
  }

  override field(cls: ClassInfo, f: Field, depth: number): Value | undefined {
    const scope = { file: cls.file };
    for (const d of f.decorators) {
      // `@Inject(TOKEN)` where the token is a package's export (`CACHE_MANAGER`).
      const token = refText(d.args[0]);
      if (d.name === 'Inject' && token) {
        const tv = this.ident(scope, token, depth + 1);
        const target = tv?.k === 'pkg' ? targetOf(tv.pkg, tv.name) : undefined;
        if (target) return { k: 'client', target, origin: { file: cls.file, line: d.line }, env: [] };
      }
      const dv = this.ident(scope, d.name, depth + 1);
      if (dv?.k !== 'pkg') continue;
      const target = targetOf(dv.pkg, dv.name);
      if (!target) continue;
      const v: Client = { k: 'client', target, origin: { file: cls.file, line: d.line }, env: [] };
      const first = d.args[0];
      if (target.kind === 'queue' && first) v.queue = this.leading(scope, first, depth + 1);
      const ref = refText(first);
      if (target.kind === 'store' && ref) v.entity = ref.replace(/\.name$/, '');
      const head = literalHead(first);
      if (target.kind === 'store' && head) v.entity = head;
      return v;
    }
    return super.field(cls, f, depth);
  }

  override member(value: Value, names: string[], scope: Scope, depth: number): Member<Value> | undefined {
    if (this.tooDeep(depth)) return undefined;
    if (names.length === 0 || value.k === 'client') {
      if (value.k === 'client' && value.target.kind === 'store' && value.target.lib === 'prisma' && !value.entity) {
        const model = names.find((n) => n !== '()' && !n.startsWith('$'));
        if (model && names.length > 1) return { value: { ...value, entity: model }, rest: names.slice(names.indexOf(model) + 1) };
      }
      return { value, rest: names };
    }
    const [head, ...rest] = names as [string, ...string[]];
    if (head === '()') return undefined;
    if (value.k === 'port') return this.dispatch(value.name, head, rest);
    if (value.k === 'pkg') {
      const target = targetOf(value.pkg, value.name) ?? targetOf(value.pkg, head);
      if (!target) return undefined;
      return { value: { k: 'client', target, origin: { file: scope.file, line: value.line }, env: [] }, rest: names };
    }
    return super.member(value, names, scope, depth);
  }

  /** An abstract method (no calls of its own) on a class others implement: a port. */
  protected override method(value: Resolved, cls: ClassInfo, key: string, name: string, rest: string[]): Member<Value> | undefined {
    if (value.k === 'instance' && this.fns.get(key)?.calls.length === 0 && this.implementors.has(cls.name)) return this.dispatch(cls.name, name, rest);
    return undefined;
  }

  protected override unknownMember(value: Extract<Resolved, { k: 'instance' | 'class' }>, names: string[], depth: number): Member<Value> | undefined {
    if (value.k === 'class') {
      const base = this.clientBase(value.file, value.name, depth + 1);
      if (base) return { value: base, rest: names };
    }
    if (value.k === 'instance' && this.implementors.has(value.name)) return this.dispatch(value.name, names[0]!, names.slice(1));
    return undefined;
  }

  /** The method `name` of every class implementing or extending `port`. */
  private dispatch(port: string, name: string, rest: string[]): Member<Value> | undefined {
    const keys = (this.implementors.get(port) ?? []).flatMap((c) => {
      const m = c.methods.get(name);
      return m ? [m] : [];
    });
    return keys.length ? { value: { k: 'fns', keys }, rest } : undefined;
  }

  /** What a call does, if anything archdoc can tell. */
  effect(fn: Fn, call: CallSite): Effect | undefined {
    const file = fn.file;
    const scope = this.scope(file, fn);
    if (call.root === 'fetch' && call.names.length === 0 && !this.ident(scope, 'fetch')) {
      const host = call.args[0] ? hostOf(this.leading(scope, call.args[0])) : undefined;
      return host ? { k: 'http', host, method: (literalHead(propOf(call.args[1], 'method')) ?? 'GET').toUpperCase() } : undefined;
    }
    const root = call.root === 'this' ? this.thisValue(scope) : this.ident(scope, call.root);
    if (!root) return undefined;
    if (root.k === 'class' && call.isNew && call.names.length === 0) {
      const base = this.clientBase(root.file, root.name, 1);
      return base ? this.clientEffect(fn, call, base, [], true) : undefined;
    }
    if (root.k === 'pkg') {
      // A promise chain on the call (`mongoose.connect(uri).then(…)`) does not change what the call is.
      const named = untilPromiseChain(call.names).filter((n) => n !== '()');
      const factory = call.isNew || named.length === 0 || (named.length === 1 && DERIVING.has(named[0]!));
      if (factory) {
        const v = this.created(scope, call, [], 1);
        if (v?.k === 'client') return this.clientEffect(fn, call, { ...v, origin: { file, line: call.line } }, [], true);
        return undefined;
      }
    }
    const m = this.member(root, call.names, scope, 1);
    if (!m) return undefined;
    const plain = m.rest.every((n) => n === '()' || n === 'call' || n === 'apply' || n === 'bind');
    if (m.value.k === 'fn' && plain) return { k: 'call', fnKey: m.value.key };
    if (m.value.k === 'fns' && plain) return { k: 'dispatch', fnKeys: m.value.keys, port: call.names.filter((n) => n !== '()').join('.') };
    if (m.value.k === 'client') return this.clientEffect(fn, call, m.value, m.rest, false);
    return undefined;
  }

  private clientEffect(fn: Fn, call: CallSite, client: Client, rest: string[], created: boolean): Effect | undefined {
    const scope = this.scope(fn.file, fn);
    const named = rest.filter((n) => n !== '()');
    const method = named[named.length - 1];
    const t = client.target;
    const a0 = call.args[0];
    if (t.kind === 'store') {
      const isCreate = created && (call.isNew || !method || DERIVING.has(method));
      // The first data-store verb in a chain: `model.find(q).sort().limit()` reads, `db.insert(t).values()` writes.
      const verb = named.find((n) => storeOp(n) !== undefined);
      let op = verb ? storeOp(verb) : undefined;
      // `client.send(new PutItemCommand())` (AWS SDK v3): the command names the operation.
      const command = method === 'send' ? newOf(a0) : undefined;
      if (command)
        op =
          storeOp(command) ??
          storeOp(command.replace(/Command$/, '')) ??
          (/^(Put|Update|Delete|Write|Batch(Write)?|Create|Copy|Upload|Transact)/.test(command) ? 'write' : 'read');
      if ((method === 'query' || method === 'execute') && a0) {
        const sql = this.leading(scope, a0) ?? (a0.k === 'tpl' ? a0.quasis[a0.quasis[0] === '' ? 1 : 0] : undefined) ?? '';
        op = /^\s*(insert|update|delete|upsert|merge|create|alter|drop|truncate)\b/i.test(sql) ? 'write' : 'read';
      }
      if (!op && !isCreate) return undefined;
      const head = literalHead(a0);
      const key = t.tech === 'redis' && head ? `key ${head}${a0?.k === 'tpl' ? '*' : ''}` : undefined;
      const inner = literalHead(call.innerArgs[0]?.[0]);
      const entity = client.entity ?? (inner && t.lib !== 'prisma' ? inner : key);
      const e: Effect = {
        k: 'store',
        target: t,
        origin: client.origin,
        env: client.env,
        ...(op ? { op } : {}),
        ...(entity ? { entity } : {}),
        ...(isCreate ? { create: true } : {}),
      };
      if (t.tech === 'redis' && method) {
        const ttl = this.ttlOf(scope, method, call.args);
        if (ttl !== undefined) e.ttl = ttl;
      }
      return e;
    }
    if (t.kind === 'external') {
      if (!created && !method) return undefined;
      const argEnv = call.args.flatMap((a) => [...envOf(a), ...(a.k === 'obj' ? Object.values(a.props).flatMap(envOf) : [])]);
      const command = method === 'send' ? newOf(a0) : undefined;
      const what = command ? command.replace(/Command$/, '') : named.length ? named.join('.') : undefined;
      return {
        k: 'external',
        target: t,
        origin: client.origin,
        env: [...client.env, ...argEnv],
        ...(what ? { what } : {}),
        ...(created ? { create: true } : {}),
      };
    }
    if (t.kind === 'http') {
      const verb = method && HTTP_METHODS.has(method) ? method : named.length === 0 ? 'request' : undefined;
      if (!verb) return undefined;
      const urlArg = a0?.k === 'obj' ? propOf(a0, 'url') : a0;
      const url = urlArg ? this.leading(scope, urlArg) : undefined;
      const host = hostOf(url) ?? client.host;
      if (!host) return undefined;
      const m = verb === 'request' || verb === 'fetch' ? (literalHead(propOf(a0, 'method')) ?? literalHead(propOf(call.args[1], 'method')) ?? 'GET') : verb;
      return { k: 'http', host, method: m.toUpperCase() };
    }
    if (t.kind === 'queue' && method && PRODUCE.has(method)) {
      let queue = client.queue;
      let job: string | undefined;
      if (t.lib === 'bullmq' || t.lib === 'bull') job = a0 ? this.leading(scope, a0) : undefined;
      else if (t.lib === 'kafkajs') {
        const topic = propOf(a0, 'topic');
        queue = topic ? this.leading(scope, topic) : queue;
      } else if (t.lib === 'amqplib') queue = a0 ? this.leading(scope, a0) : queue;
      else if (t.lib === 'nestjs-microservices') queue = a0 ? this.leading(scope, a0) : queue;
      return { k: 'produce', lib: t.lib, ...(queue ? { queue } : {}), ...(job ? { job } : {}) };
    }
    return undefined;
  }

  /** Literal TTL in seconds of a Redis write: `set(k, v, 'EX', 60)`, `setex(k, 60, v)`, `set(k, v, { EX: 60 })`, `expire(k, 60)`. */
  private ttlOf(scope: Scope, method: string, args: Expr[]): number | undefined {
    const lower = method.toLowerCase();
    if (lower === 'setex' || lower === 'expire') return this.numberOf(scope, args[1]);
    if (lower === 'psetex' || lower === 'pexpire') {
      const ms = this.numberOf(scope, args[1]);
      return ms === undefined ? undefined : ms / 1000;
    }
    if (lower === 'set') {
      for (let i = 2; i < args.length; i++) {
        const s = literalHead(args[i])?.toUpperCase();
        if (s === 'EX') return this.numberOf(scope, args[i + 1]);
        if (s === 'PX') {
          const ms = this.numberOf(scope, args[i + 1]);
          return ms === undefined ? undefined : ms / 1000;
        }
        const ex = propOf(args[i], 'EX') ?? propOf(args[i], 'ex');
        if (ex) return this.numberOf(scope, ex);
      }
    }
    return undefined;
  }
}

/** The class of a `new X()` argument (AWS SDK v3 commands: `client.send(new PutObjectCommand())`). */
function newOf(v: Expr | undefined): string | undefined {
  return v?.k === 'call' && v.call.isNew && v.call.names.length === 0 ? v.call.root : undefined;
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
