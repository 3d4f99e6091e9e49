/**
 * NestJS microservices over RabbitMQ (`Transport.RMQ`): the channel is the queue, not the pattern.
 * A microservice consumes the one queue its options name (`NestFactory.createMicroservice(App,
 * { transport: Transport.RMQ, options: { queue } })`, `app.connectMicroservice(…)`), and a client
 * sends to the queue of its registration (`ClientsModule.register([{ name, transport, options }])`,
 * `registerAsync` with a `useFactory` or `useClass`, a provider whose factory calls
 * `ClientProxyFactory.create(…)`, a `@Client(…)` field), found by the token the sending class
 * injects (`@Inject('ORDERS_SERVICE') client: ClientProxy`). `@MessagePattern`/`@EventPattern`
 * values are message types routed inside that queue: they stay on the channel as its messages.
 *
 * Options are read with bound arguments: a shared helper (`getRmqOptions('orders')`,
 * `rmqService.getOptions('BILLING')` on `app.get(RmqService)`), a dynamic module's
 * `register({ name })` called once per importing module, a configuration getter with a key built
 * from them (`config.get(\`RABBIT_MQ_${name}_QUEUE\`)`, the value the repository declares for it).
 * Over NATS, Redis, MQTT and Kafka the pattern is the subject, channel or topic, and is left to the
 * rules that name channels by it; so is RabbitMQ traffic whose queue stays unknown (with a warning).
 */
import { bindArgs, propertyOf, type Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, ClassInfo, Deco, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import type { Opt } from '../../src/analysis/sites.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { FileFacts, Role, Site } from './detect.js';
import { capCombinations, type ChannelNames, type Holder } from './names.js';
import { isTest, type Loc, type Val } from './values.js';

/** Nest's queue when the options name none (`RQM_DEFAULT_QUEUE` of @nestjs/microservices). */
const DEFAULT_QUEUE = 'default';
/** Depth of the values followed for one option. */
const MAX_DEPTH = 10;
/** Call sites a helper or dynamic module is read at, at most. */
const MAX_CALLERS = 24;
const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'env']);
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
/** What hands out an instance of the class given to it: `app.get(RmqService)`, `moduleRef.resolve(X)`. */
const INSTANCE_GETTERS = new Set(['get', 'resolve', 'select']);

/** Where a microservice listens: its RabbitMQ queue(s), or none known (`unresolved`). */
interface Server {
  at: Loc;
  /** The call site of the helper that chose it, when one did (its component listens). */
  via: Loc[];
  component: string;
  queues: Val[];
  unresolved: boolean;
}

/** A client registration: its tokens and the queue it sends to (none known: `unresolved`); `rmq` false for another transport. */
interface Registration {
  at: Loc;
  /** The call site of the helper or dynamic module that chose it, when one did (its component registers it). */
  via: Loc[];
  component: string;
  tokens: string[];
  rmq: boolean;
  queues: Val[];
  unresolved: boolean;
}

/** An object an option resolves to: its properties as written, the scope they are read in, and its line when written in a script's call. */
interface Obj {
  props: Record<string, Value>;
  scope: Scope;
}

/** A scope in which a registration or a server's options are read: bound to one caller's arguments, or as written. */
interface Reading {
  scope: Scope;
  via: Loc[];
  /** The file whose folder's declared variables a configuration key is looked up in (the caller's). */
  home: string;
}

export class NestRmq {
  private built?: { servers: Server[]; registrations: Registration[] };
  private readonly warned = new Set<string>();
  /** Warnings, in the order found: a queue not resolved, so the patterns name the channels. */
  readonly warnings: { file: string; line: number; message: string }[] = [];

  constructor(
    private readonly names: ChannelNames,
    /** Production scripts to read (test files are skipped). */
    private readonly files: readonly string[],
    private readonly componentOf: (file: string) => string | undefined,
    /** Transports each component configures (KAFKA, RMQ…): RabbitMQ alone makes an unknown queue worth a warning. */
    private readonly transports: (file: string) => string[],
  ) {}

  private get ev() {
    return this.names.ev;
  }

  private comp(file: string): string {
    return this.componentOf(file) ?? '.';
  }

  /** One warning per place (`key`: per file for what is said once a file). */
  private warn(file: string, line: number, message: string, key = `${file}:${line}`): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warnings.push({ file, line, message });
  }

  /** Consumer sites for every microservice server listening on a RabbitMQ queue, one per queue. */
  serverSites(): Site[] {
    return this.build().servers.flatMap((s) =>
      s.unresolved ? [] : s.queues.map((q) => site(q, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer', at: s.at, via: s.via })),
    );
  }

  /**
   * `@MessagePattern(p)` / `@EventPattern(p)` in a component whose microservice listens on RabbitMQ
   * queues: a consumer of each, with the pattern as message. False when the component has no such
   * server or one whose queue is unknown (the pattern names the channel then).
   */
  consume(file: string, d: Deco, patterns: Val[], facts: FileFacts): boolean {
    const transport = d.args[1];
    if (transport?.k === 'ref' && transport.path.startsWith('Transport.') && !isRmq(transport)) return false;
    const own = this.build().servers.filter((s) => s.component === this.comp(file));
    if (own.length === 0 || own.some((s) => s.unresolved)) {
      if (own.length === 0 && only(this.transports(file), 'RMQ'))
        this.warn(
          file,
          d.line,
          'messaging: no NestJS microservice options naming a RabbitMQ queue were found for the component of this handler; its message patterns are listed as channels of their own',
          file,
        );
      return false;
    }
    const texts = patterns.filter((p) => p.text !== undefined);
    for (const s of own)
      for (const q of s.queues)
        for (const p of texts.length ? texts : [undefined])
          facts.sites.push(
            site(q, {
              tech: 'RabbitMQ',
              kind: 'queue',
              role: 'consumer',
              at: { file, line: d.line },
              via: [],
              message: p?.text,
              pattern: p?.text,
              optionsAt: s.at,
            }),
          );
    return true;
  }

  /**
   * `client.send(p)` / `client.emit(p)` on a client registered for RabbitMQ: a producer of its queue,
   * with the pattern as message, credited to the component that chose the pattern (a wrapper's
   * caller). False when the client is not RabbitMQ's or its queue is unknown (warned).
   */
  produce(file: string, line: number, holders: Holder[], patterns: Val[], role: Role, facts: FileFacts): boolean {
    const { tokens, inline } = this.clientOf(holders);
    const out: Site[] = [];
    // No registration found (nor a token to look one up by), or a RabbitMQ one whose queue is unknown.
    let unregistered = !inline.length && !tokens.length;
    let unresolved = false;
    for (const p of unregistered ? [] : patterns.length ? patterns : [{ via: [] } as Val]) {
      const origin = p.via[p.via.length - 1]?.file ?? file;
      const regs = inline.length ? inline : this.registered(tokens, this.comp(origin));
      if (regs.length === 0) unregistered = true;
      for (const r of regs) {
        if (!r.rmq) continue;
        if (r.unresolved) unresolved = true;
        // Registered by another component (a shared library's sender): the registering one sends.
        const via = r.component === this.comp(origin) ? p.via : [...p.via, ...r.via, r.at];
        for (const q of r.queues)
          out.push(site(q, { tech: 'RabbitMQ', kind: 'queue', role, at: { file, line }, via, message: p.text, pattern: p.text, optionsAt: r.at }));
      }
    }
    // Without a registration the transport is known only when the component configures RabbitMQ alone.
    if (unresolved || (unregistered && only(this.transports(file), 'RMQ')))
      this.warn(
        file,
        line,
        `messaging: the RabbitMQ queue this NestJS client${tokens.length ? ` (${tokens.join(', ')})` : ''} sends to could not be resolved statically; the patterns it sends are listed as channels of their own`,
      );
    if (unresolved || unregistered || out.length === 0) return false;
    for (const site of out) facts.sites.push(site);
    return true;
  }

  /**
   * The registrations of a token: the component's own, else those elsewhere in the repository (their
   * components send then) when they agree on the queues; components that register one token for
   * different queues leave it unresolved rather than sending to all of them.
   */
  private registered(tokens: string[], component: string): Registration[] {
    const all = this.build().registrations.filter((r) => r.tokens.some((t) => tokens.includes(t)));
    const own = all.filter((r) => r.component === component);
    if (own.length) return own;
    const queuesOf = (r: Registration) =>
      r.queues
        .map((q) => q.text ?? `{${q.env ?? ''}}`)
        .sort()
        .join('\u0000');
    return new Set(all.map(queuesOf)).size <= 1 ? all : [];
  }

  /** The tokens a client is injected by (`@Inject('ORDERS_SERVICE')`), or the registrations it is made with in place (`@Client(…)`, `ClientProxyFactory.create(…)`). */
  private clientOf(holders: Holder[]): { tokens: string[]; inline: Registration[] } {
    const tokens: string[] = [];
    const inline: Registration[] = [];
    for (const h of holders) {
      if (h.k === 'field') {
        const scope: Scope = { file: h.cls.file };
        for (const d of h.field.decorators) {
          if (d.name === 'Inject' && d.args[0]) tokens.push(...this.tokenOf(scope, d.args[0], h.cls.file));
          if (d.name === 'Client' && d.args[0])
            inline.push(...this.registration({ scope, via: [], home: h.cls.file }, d.args[0], { file: h.cls.file, line: d.line }, []));
        }
        const made = [h.field.init, ...(h.cls.assigns ?? []).filter((a) => a.path === h.name).map((a) => a.value)];
        for (const v of made) if (v) inline.push(...this.made(h.cls, v));
      } else if (h.k === 'value') {
        inline.push(...this.madeIn({ scope: h.scope, via: [], home: h.scope.file }, h.v, h.scope.file));
      }
    }
    return { tokens: sortedUnique(tokens), inline };
  }

  /** A client made where a field is set (`this.client = ClientProxyFactory.create(…)`). */
  private made(cls: ClassInfo, v: Value): Registration[] {
    const ctor = this.ev.fns.get(`${cls.file}#${cls.name}.constructor`);
    return this.madeIn({ scope: { file: cls.file, fn: ctor }, via: [], home: cls.file }, v, cls.file);
  }

  /** `ClientProxyFactory.create({ transport, options })` or `new ClientRMQ({ queue })` as a value. */
  private madeIn(r: Reading, v: Value, file: string): Registration[] {
    if (v.k !== 'call') return [];
    const c = v.call;
    const at = { file, line: c.line };
    if (c.isNew && c.names.length === 0 && c.root === 'ClientRMQ')
      return this.registration(r, { k: 'obj', props: { transport: { k: 'ref', path: 'Transport.RMQ' }, options: c.args[0] ?? { k: 'unknown' } } }, at, []);
    if (!c.isNew && c.root === 'ClientProxyFactory' && c.names.length === 1 && c.names[0] === 'create' && c.args[0])
      return this.registration(r, c.args[0], at, []);
    return [];
  }

  private tokenOf(scope: Scope, v: Value, home: string): string[] {
    const texts = this.strings(scope, v, home).flatMap((x) => (x.text !== undefined ? [x.text] : []));
    if (texts.length) return texts;
    // A symbol or a token the evaluator cannot read: the expression names it the same way where it is registered.
    return v.k === 'ref' ? [v.path] : [];
  }

  /** Servers and registrations of every production script, found once. */
  private build(): { servers: Server[]; registrations: Registration[] } {
    if (this.built) return this.built;
    const servers: Server[] = [];
    const registrations: Registration[] = [];
    this.built = { servers, registrations };
    for (const file of this.files) {
      const idx = this.ev.indexes.get(file);
      if (!idx || isTest(file)) continue;
      for (const fn of idx.functions.values())
        for (const call of fn.calls) {
          const last = call.names[call.names.length - 1];
          if (last === 'createMicroservice' || last === 'connectMicroservice')
            servers.push(...this.servers(idx, fn, call, last === 'createMicroservice' ? 1 : 0));
          else if ((last === 'register' || last === 'registerAsync') && call.names.length === 1 && this.fromMicroservices(file, call.root, 'ClientsModule'))
            registrations.push(...this.clientsModule(idx, fn, call));
          else if (last === 'create' && call.names.length === 1 && this.fromMicroservices(file, call.root, 'ClientProxyFactory'))
            registrations.push(...this.providedClient(idx, fn, call));
        }
    }
    return this.built;
  }

  /** Whether a name is imported from @nestjs/microservices as `name` (directly or through a barrel). */
  private fromMicroservices(file: string, root: string, name: string): boolean {
    if (root !== name) return false;
    const r = this.ev.ident({ file }, root);
    return r === undefined || (r.k === 'pkg' && r.pkg === '@nestjs/microservices');
  }

  /** `createMicroservice(App, options)` / `connectMicroservice(options)`: the RabbitMQ queues it listens on, per caller of the function it is written in. */
  private servers(idx: FileIndex, fn: Fn, call: CallSite, arg: number): Server[] {
    const out: Server[] = [];
    const at = { file: idx.file, line: call.line };
    for (const r of this.readings(fn)) {
      const component = this.comp(r.via[r.via.length - 1]?.file ?? idx.file);
      const objs = this.objects(r.scope, call.args[arg], r.home);
      if (objs.length === 0 && only(this.transports(idx.file), 'RMQ')) {
        out.push({ at, via: r.via, component, queues: [], unresolved: true });
        this.warn(idx.file, call.line, UNRESOLVED_SERVER);
      }
      for (const o of objs.filter((x) => isRmq(x.props.transport))) {
        const { queues, unresolved } = this.queuesOf(r, o);
        out.push({ at: { file: idx.file, line: this.queueLine(idx, call, arg) ?? call.line }, via: r.via, component, queues, unresolved });
        if (unresolved) this.warn(idx.file, call.line, UNRESOLVED_SERVER);
      }
    }
    return out;
  }

  /** The queues an options object (`{ transport, options: { queue } }`) names; Nest's default queue when it names none. */
  private queuesOf(r: Reading, o: Obj): { queues: Val[]; unresolved: boolean } {
    if (o.props.options === undefined) return { queues: [{ text: DEFAULT_QUEUE, via: [] }], unresolved: false };
    const opts = this.objects(o.scope, o.props.options, r.home);
    if (opts.length === 0) return { queues: [], unresolved: true };
    const queues: Val[] = [];
    for (const x of opts) {
      if (!Object.hasOwn(x.props, 'queue')) {
        queues.push({ text: DEFAULT_QUEUE, via: [] });
        continue;
      }
      const vals = this.strings(x.scope, x.props.queue, r.home).filter((v) => v.text !== undefined || v.env !== undefined);
      if (vals.length === 0) return { queues: [], unresolved: true };
      queues.push(...vals);
    }
    return { queues, unresolved: false };
  }

  /** `ClientsModule.register([...])` / `registerAsync([...])` (or `({ clients: [...] })`): one registration per entry and caller. */
  private clientsModule(idx: FileIndex, fn: Fn, call: CallSite): Registration[] {
    const out: Registration[] = [];
    for (const r of this.readings(fn)) {
      this.items(r.scope, call.args[0], r.home).forEach((e, i) => {
        for (const o of this.objects(e.scope, e.v, r.home)) {
          if (o.props.clients && !o.props.name) {
            for (const c of this.items(o.scope, o.props.clients, r.home))
              out.push(...this.registration({ ...r, scope: c.scope }, c.v, { file: idx.file, line: call.line }, r.via));
          } else
            out.push(
              ...this.registration(
                { ...r, scope: o.scope },
                { k: 'obj', props: o.props },
                { file: idx.file, line: this.queueLine(idx, call, 0, i) ?? call.line },
                r.via,
              ),
            );
        }
      });
    }
    return out;
  }

  /** `ClientProxyFactory.create(options)` in a provider's `useFactory` (`{ provide: 'ORDERS_SERVICE', useFactory: … }`): a registration under `provide`. */
  private providedClient(idx: FileIndex, fn: Fn, call: CallSite): Registration[] {
    const provider = this.providerOf(idx, fn);
    if (!provider) return [];
    const out: Registration[] = [];
    for (const r of this.readings(fn)) {
      const at = { file: idx.file, line: this.queueLine(idx, call, 0) ?? call.line };
      for (const reg of this.registration(r, call.args[0] ?? { k: 'unknown' }, at, r.via)) {
        const tokens = this.tokenOf({ file: idx.file }, provider, idx.file);
        out.push({ ...reg, tokens });
      }
    }
    return out;
  }

  /** The `provide` of the provider object whose `useFactory` is the function (or one it is written in). */
  private providerOf(idx: FileIndex, fn: Fn): Value | undefined {
    const keys = new Set<string>();
    for (let f: Fn | undefined = fn; f; f = f.parent ? this.ev.fns.get(f.parent) : undefined) keys.add(f.key);
    let found: Value | undefined;
    const visit = (v: Value | undefined, depth: number): void => {
      if (!v || found || depth > 8) return;
      if (v.k === 'obj') {
        const uf = v.props.useFactory;
        if (v.props.provide && uf?.k === 'fn' && keys.has(uf.key)) found = v.props.provide;
        else for (const p of Object.values(v.props)) visit(p, depth + 1);
      } else if (v.k === 'arr') for (const x of v.items) visit(x, depth + 1);
      else if (v.k === 'call') for (const a of v.call.args) visit(a, depth + 1);
    };
    for (const c of idx.classes.values()) for (const d of c.decorators) for (const a of d.args) visit(a, 0);
    for (const v of idx.vars.values()) visit(v, 0);
    for (const f of idx.functions.values()) {
      for (const r of f.returns) visit(r, 0);
      for (const v of f.locals.values()) visit(v, 0);
      for (const c of f.calls) for (const a of c.args) visit(a, 0);
    }
    return found;
  }

  /** One entry `{ name, transport, options }` or `{ name, useFactory | useClass }`, read as registrations. */
  private registration(r: Reading, entry: Value, at: Loc, via: Loc[]): Registration[] {
    const out: Registration[] = [];
    const component = this.comp(via[via.length - 1]?.file ?? at.file);
    for (const e of this.objects(r.scope, entry, r.home)) {
      const tokens = e.props.name ? this.tokenOf(e.scope, e.props.name, r.home) : [];
      for (const o of this.factoryOptions({ ...r, scope: e.scope }, e)) {
        const rmq = isRmq(o.props.transport);
        const { queues, unresolved } = rmq ? this.queuesOf(r, o) : { queues: [], unresolved: false };
        if (rmq && unresolved)
          this.warn(
            at.file,
            at.line,
            `messaging: the RabbitMQ queue of the NestJS client ${tokens.join(', ') || '(no token)'} could not be resolved statically; the patterns sent to it are listed as channels of their own`,
          );
        out.push({ at, via, component, tokens, rmq, queues, unresolved });
      }
    }
    return out;
  }

  /** The options an entry gives: itself, what its `useFactory` returns, or its `useClass`'s `createClientOptions()`. */
  private factoryOptions(r: Reading, e: Obj): Obj[] {
    const uf = e.props.useFactory;
    const cls = e.props.useClass;
    let fns: Fn[] = [];
    if (uf?.k === 'fn') fns = [this.ev.fns.get(uf.key)].filter((f): f is Fn => !!f);
    else if (uf?.k === 'ref') {
      const f = this.ev.ident(e.scope, uf.path);
      if (f?.k === 'fn') fns = [this.ev.fns.get(f.key)].filter((x): x is Fn => !!x);
    } else if (cls?.k === 'ref') {
      const c = this.ev.ident(e.scope, cls.path);
      const m = c?.k === 'class' ? this.methodOf(c.file, c.name, 'createClientOptions') : undefined;
      if (m) fns = [m];
    } else return [e];
    // The factory is read inside the scope it is written in (a dynamic module's bound `register({ name })`).
    return fns.flatMap((f) => f.returns.flatMap((ret) => this.objects({ file: f.file, fn: f, outer: r.scope }, ret, r.home)));
  }

  /**
   * The readings of a function's body: bound to each caller's arguments when it takes parameters and
   * is called by name in the repository (a helper, a dynamic module's `register`), else as written.
   */
  private readings(fn: Fn): Reading[] {
    const plain: Reading[] = [{ scope: { file: fn.file, fn }, via: [], home: fn.file }];
    if (fn.name === '<module>' || fn.paramNames.length === 0 || fn.name.includes('<')) return plain;
    const short = fn.name.slice(fn.name.lastIndexOf('.') + 1);
    const out: Reading[] = [];
    for (const s of this.names.callsTo(short)) {
      if (out.length >= MAX_CALLERS) break;
      if (s.call.isNew || s.call.names.includes('()')) continue;
      const caller: Scope = { file: s.fn.file, fn: s.fn };
      if (this.calleeFn(caller, s.call)?.key !== fn.key) continue;
      out.push({ scope: { file: fn.file, fn, args: bindArgs(fn, s.call.args, caller) }, via: [{ file: s.fn.file, line: s.call.line }], home: s.fn.file });
    }
    return out.length ? out : plain;
  }

  /** The function a call calls: a function by name, a method of the instance or class its receiver holds, a module's export. */
  private calleeFn(scope: Scope, call: CallSite): Fn | undefined {
    if (call.isNew || call.names.includes('()')) return undefined;
    if (call.names.length === 0) {
      const r = this.ev.ident(scope, call.root);
      return r?.k === 'fn' ? this.ev.fns.get(r.key) : undefined;
    }
    const method = call.names[call.names.length - 1]!;
    const recv = [call.root, ...call.names.slice(0, -1)];
    const r = this.ev.path(scope, recv.join('.')) ?? this.instanceGot(scope, recv);
    if (!r) return undefined;
    if (r.k === 'instance' || r.k === 'class') return this.methodOf(r.file, r.name, method);
    if (r.k === 'object') {
      const p = r.props[method];
      return p?.k === 'fn' ? this.ev.fns.get(p.key) : undefined;
    }
    if (r.k === 'module') {
      const e = this.ev.exportOf(r.file, method);
      return e?.k === 'fn' ? this.ev.fns.get(e.key) : undefined;
    }
    return undefined;
  }

  /** `const rmq = app.get(RmqService)` (or `<RmqService>`): an instance of the class handed out. */
  private instanceGot(scope: Scope, recv: string[]): { k: 'instance'; file: string; name: string } | undefined {
    if (recv.length !== 1) return undefined;
    const def = definition(this.ev.fns, scope, recv[0]!);
    const v = def?.value;
    if (v?.k !== 'call' || v.call.isNew || !INSTANCE_GETTERS.has(v.call.names[v.call.names.length - 1] ?? '') || !v.call.args[0]) return undefined;
    const c = this.ev.value(def!.scope, v.call.args[0]);
    return c?.k === 'class' ? { k: 'instance', file: c.file, name: c.name } : undefined;
  }

  /** A method of a repository class or of its base classes. */
  private methodOf(file: string, name: string, method: string): Fn | undefined {
    let cls = this.ev.classOf(file, name);
    for (let i = 0; cls && i < 6; i++) {
      const key = cls.methods.get(method);
      if (key) return this.ev.fns.get(key);
      const base = cls.extends && cls.extends.names.length === 0 ? this.ev.ident({ file: cls.file }, cls.extends.root) : undefined;
      cls = base?.k === 'class' ? this.ev.classOf(base.file, base.name) : undefined;
    }
    return undefined;
  }

  /** The items of an array value (written in place or named), each with its scope. */
  private items(scope: Scope, v: Value | undefined, home: string, depth = 0): { scope: Scope; v: Value }[] {
    if (!v || depth > MAX_DEPTH) return [];
    if (v.k === 'arr') return v.items.map((x) => ({ scope, v: x }));
    if (v.k === 'obj') return [{ scope, v }];
    if (v.k === 'ref') {
      const def = definition(this.ev.fns, scope, v.path);
      if (def) return this.items(def.scope, def.value, home, depth + 1);
      const r = this.ev.value(scope, v);
      if (r?.k === 'array') return r.items.map((x) => ({ scope: r.scope, v: x }));
      if (r?.k === 'object') return [{ scope: r.scope, v: { k: 'obj', props: r.props } }];
    }
    return [];
  }

  /** The objects a value can be: written in place, named, a bound argument, or returned by a helper or method called with these arguments. */
  objects(scope: Scope, v: Value | undefined, home: string, depth = 0): Obj[] {
    if (!v || depth > MAX_DEPTH) return [];
    switch (v.k) {
      case 'obj':
        return [{ props: v.props, scope }];
      case 'unknown':
        return (v.alt ?? []).flatMap((x) => this.objects(scope, x, home, depth + 1));
      case 'or':
        return [...this.objects(scope, v.left, home, depth + 1), ...this.objects(scope, v.right, home, depth + 1)];
      case 'ref': {
        const def = definition(this.ev.fns, scope, v.path);
        if (def) return this.objects(def.scope, def.value, home, depth + 1);
        const r = this.ev.value(scope, v);
        if (r?.k === 'object') return [{ props: r.props, scope: r.scope }];
        return this.names.objects(plain(scope), v).map((o) => ({ props: o.v.props, scope: o.scope }));
      }
      case 'call': {
        const fn = this.calleeFn(scope, v.call);
        if (fn) {
          const inner: Scope = { file: fn.file, fn, args: bindArgs(fn, v.call.args, scope) };
          return fn.returns.flatMap((r) => this.objects(inner, r, home, depth + 1));
        }
        const r = this.ev.value(scope, v);
        return r?.k === 'object' ? [{ props: r.props, scope: r.scope }] : [];
      }
      default:
        return [];
    }
  }

  /**
   * The string values an option can take, read with bound arguments first: literals, constants,
   * templates, defaults (`process.env.X ?? 'q'`: `q`, with X), configuration getters with a key
   * built from arguments (the value declared for it near `home`, the caller's file), else
   * `ChannelNames`' reading (imports, members, parameters followed to their callers).
   */
  strings(scope: Scope, v: Value | undefined, home: string, depth = 0): Val[] {
    if (!v || depth > MAX_DEPTH) return [];
    switch (v.k) {
      case 'str':
        return [{ text: v.v, via: [] }];
      case 'num':
        return [{ text: String(v.v), via: [] }];
      case 'ref': {
        const def = definition(this.ev.fns, scope, v.path);
        if (def) return this.strings(def.scope, def.value, home, depth + 1);
        const s = this.ev.string(scope, v);
        return s !== undefined ? [{ text: s, via: [] }] : this.names.values(plain(scope), v);
      }
      case 'env': {
        const read = this.names.values({ file: home }, { k: 'env', name: v.name });
        return v.or ? orValues(read, this.strings(scope, v.or, home, depth + 1)) : read;
      }
      case 'or':
        return orValues(this.strings(scope, v.left, home, depth + 1), this.strings(scope, v.right, home, depth + 1));
      case 'tpl': {
        // `${process.env.QUEUE}`: the variable itself, known by its name when no value is declared.
        if (v.exprs.length === 1 && v.quasis.every((q) => q === '')) return this.strings(scope, v.exprs[0], home, depth + 1);
        let parts: Val[] = [{ text: v.quasis[0] ?? '', via: [] }];
        for (let i = 0; i < v.exprs.length; i++) {
          const options = this.strings(scope, v.exprs[i], home, depth + 1)
            .filter((x) => x.text !== undefined)
            .slice(0, 4);
          if (options.length === 0) return [];
          const literal = v.quasis[i + 1] ?? '';
          parts = capCombinations(parts.flatMap((p) => options.map((o) => ({ text: `${p.text}${o.text}${literal}`, via: [...p.via, ...o.via] }))));
        }
        return parts;
      }
      case 'call': {
        if (isConfigGetter(v.call)) {
          const keys = this.strings(scope, v.call.args[0], home, depth + 1).flatMap((k) => (k.text !== undefined && ENV_KEY.test(k.text) ? [k.text] : []));
          return keys.flatMap((key) => {
            const def = this.strings(scope, v.call.args[1], home, depth + 1).filter((d) => d.text !== undefined);
            return def.length ? def.map((d) => ({ ...d, env: key })) : this.names.values({ file: home }, { k: 'env', name: key });
          });
        }
        const s = this.ev.string(scope, v);
        return s !== undefined ? [{ text: s, via: [] }] : [];
      }
      case 'unknown':
        return (v.alt ?? []).flatMap((x) => this.strings(scope, x, home, depth + 1));
      default:
        return [];
    }
  }

  /** The line of the `queue` property of options written in place in a call's argument (or that argument's array item), from the index's option readings. */
  private queueLine(idx: FileIndex, call: CallSite, arg: number, item?: number): number | undefined {
    const method = call.names[call.names.length - 1];
    for (const s of idx.sites.sites) {
      if (s.k !== 'call' || s.line !== call.line || s.method !== method) continue;
      const o: Opt | undefined = item === undefined ? s.args[arg] : s.args[arg]?.arr?.[item];
      const options = o?.obj?.find((p) => p.key === 'options')?.v;
      return options?.obj?.find((p) => p.key === 'queue')?.line ?? o?.line;
    }
    return undefined;
  }
}

const UNRESOLVED_SERVER =
  'messaging: the RabbitMQ queue this NestJS microservice listens on could not be resolved statically; its message patterns are listed as channels of their own';

/** A site for one queue value (a variable's name alone names it when its value is not known). */
function site(q: Val, base: Omit<Site, 'channel'>): Site {
  return {
    ...base,
    channel: q.text ?? q.env!,
    ...(q.env ? { env: q.env } : {}),
    ...(q.text === undefined ? { envOnly: true } : {}),
    ...(q.declaredAt ? { configAt: q.declaredAt } : {}),
  };
}

/** `Transport.RMQ` as written. */
function isRmq(v: Value | undefined): boolean {
  return v?.k === 'ref' && (v.path === 'RMQ' || v.path.endsWith('.RMQ'));
}

function only(list: string[], t: string): boolean {
  return list.length === 1 && list[0] === t;
}

/** A scope without bound arguments (for readers that do not know them). */
function plain(scope: Scope): Scope {
  return scope.fn ? { file: scope.file, fn: scope.fn } : { file: scope.file };
}

/** `config.get('KEY')`, `configService.getOrThrow(…)`, `env('KEY')`: a getter on a receiver that says config or env. */
function isConfigGetter(call: CallSite): boolean {
  if (call.root === 'env' && call.names.length === 0) return true;
  const last = call.names[call.names.length - 1];
  return last !== undefined && CONFIG_GETTERS.has(last) && /config|env/i.test([call.root, ...call.names.slice(0, -1)].join('.'));
}

/** `process.env.QUEUE ?? 'orders'`: the default names it, the variable may override; else both sides. */
function orValues(l: Val[], r: Val[]): Val[] {
  const envs = l.filter((v) => v.env && (v.text === undefined || v.declaredAt));
  if (envs.length && r.length) return r.map((v) => ({ ...v, env: v.env ?? envs[0]!.env }));
  return [...l, ...r];
}

/**
 * What a plain name (or `name.member…`) is bound to in a scope: an argument bound by a caller, or a
 * local's value, in the functions around (an argument of the function's own reading first). A member
 * of a bound argument is its property (`options.queue` of `register({ queue: 'q' })`).
 */
function definition(fns: ReadonlyMap<string, Fn>, scope: Scope, path: string): { scope: Scope; value: Value } | undefined {
  const [root, ...rest] = path.replaceAll('?.', '.').split('.');
  if (!root || root === 'this') return undefined;
  for (let f: Fn | undefined = scope.fn; f; f = f.parent ? fns.get(f.parent) : undefined) {
    let inner: Scope | undefined;
    for (let s: Scope | undefined = scope; s; s = s.outer) if (s.fn === f) inner = inner ?? s;
    const arg = inner?.args?.get(root);
    const local = f.locals.get(root);
    const found = arg ? { scope: arg.scope, value: arg.value } : local ? { scope: inner ?? { file: scope.file, fn: f }, value: local } : undefined;
    if (found) {
      let value: Value | undefined = found.value;
      for (const n of rest) value = value && propertyOf(value, n);
      return value ? { scope: found.scope, value } : undefined;
    }
    if (f.binds.includes(root)) return undefined;
  }
  return undefined;
}

/**
 * The NestJS message patterns a RabbitMQ queue carries, each with where it is handled and sent from:
 * `create-order (handled at a.ts:10; sent from b.ts:13)`.
 */
export function patternDetails(list: Site[], origin: (s: Site) => Loc): string[] {
  const by = new Map<string, { handled: Set<string>; sent: Set<string> }>();
  for (const s of list) {
    if (s.pattern === undefined) continue;
    const e = by.get(s.pattern) ?? by.set(s.pattern, { handled: new Set(), sent: new Set() }).get(s.pattern)!;
    const o = origin(s);
    (s.role === 'consumer' ? e.handled : e.sent).add(`${o.file}:${o.line}`);
  }
  const where = (set: Set<string>) => [...set].sort(compareStrings).join(', ');
  return [...by]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([p, e]) => {
      const parts = [...(e.handled.size ? [`handled at ${where(e.handled)}`] : []), ...(e.sent.size ? [`sent from ${where(e.sent)}`] : [])];
      return `${p} (${parts.join('; ')})`;
    });
}
