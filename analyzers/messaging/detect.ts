/**
 * Messaging rules over a script's index for the technologies whose calls say little by themselves:
 * BullMQ/Bull (`new Queue`, `new Worker`, `queue.add`, `@Processor`), amqplib channels, NATS,
 * Redis pub/sub, streams and lists, Google Pub/Sub, NestJS `ClientProxy` clients, EventEmitter
 * buses, and Publisher/Listener subclasses of a package's base class. What a call's receiver is
 * (a queue built here, one injected with `@InjectQueue`, a parameter typed `Queue` that callers
 * pass one to, a Redis client) is read with `ChannelNames.holders`. Every match becomes a `Site`
 * (a producer, consumer or declaration of a named channel at a file and line); index.ts turns sites
 * into queue facts. The decorators, kafkajs and AWS rules are the base class's (rules.ts).
 */
import { propOf, type CallSite, type ClassInfo, type FileIndex, type Fn, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { Loc, Val } from './values.js';
import type { ListUse } from './redis-lists.js';
import { addSites, arnOrUrl, isNestCall, NEST_TRANSPORT_TECH } from './sites.js';
import { chainCalls, IndexRules } from './rules.js';
import type { ChannelNames, Holder } from './names.js';
import type { NestRmq } from './nest-rmq.js';
import type { Outbox } from './outbox.js';
import { snsAttributes } from './topology.js';

/** Redis list commands (ioredis lower case, node-redis camel case, compared lower-cased) and their role. */
const REDIS_LIST: Record<string, Role> = {
  lpush: 'producer',
  rpush: 'producer',
  lpushx: 'producer',
  rpushx: 'producer',
  blpop: 'consumer',
  brpop: 'consumer',
  lpop: 'consumer',
  rpop: 'consumer',
  brpoplpush: 'consumer',
  blmove: 'consumer',
  lmove: 'consumer',
  rpoplpush: 'consumer',
};

export type Role = 'producer' | 'consumer' | 'declared';

export interface Site {
  /** Channel name as resolved (queue, topic, exchange, subject, event…). */
  channel: string;
  tech: string;
  kind: string;
  role: Role;
  at: Loc;
  /** Call sites or subclasses the name came through (the outermost decides the component). */
  via: Loc[];
  message?: string;
  /** Environment variable NAME the channel (or its URL/ARN) is read from. */
  env?: string;
  /** True when only an environment variable name is known (id `queue:env:<NAME>`). */
  envOnly?: boolean;
  /** In-process event bus: kept only when emitted in one module and handled in another. */
  inProcess?: boolean;
  /** Exchange bindings: "routing key → queue". */
  binding?: string;
  /** Message attributes a publish gives (`actionType=customer_otp`, an EventBridge entry's `detail-type=…`), as filters match them (topology.ts). */
  attributes?: string[];
  /** Where the repository declares the value of the variable the name came from (evidence only). */
  configAt?: Loc;
  /** The name could not be resolved: `channel` is the expression as written. */
  unresolved?: boolean;
  /** Declared by a broker definitions file, not by code. */
  definitions?: boolean;
  /** A fanout exchange: every bound queue gets every message, whatever the routing key. */
  fanout?: boolean;
  /** A BullMQ `new Queue(…)`: a producer only while nothing is found adding through it. */
  madeHere?: boolean;
  /** An `add` through the queue made at this `file:line`. */
  through?: string;
  /** A direct exchange declared by a definitions file (one bound queue makes it that queue's entrance). */
  direct?: boolean;
  /** A NestJS message pattern routed inside this RabbitMQ queue (nest-rmq.ts). */
  pattern?: string;
  /** Where the NestJS transport options name the queue (the microservice's, the client's registration): evidence. */
  optionsAt?: Loc;
  /** A declared queue's dead-letter exchange (`''`: the default one, the key naming the queue) and routing key: where the broker moves what its consumers reject. */
  deadLetter?: { exchange: string; key?: string };
}

/** Packages whose presence (imported by the file, or depended on by its package) enables a rule. */
export const TECH_PACKAGES = {
  amqp: ['amqplib', 'amqp-connection-manager', '@golevelup/nestjs-rabbitmq', 'rascal', 'amqp-ts'],
  nats: ['nats', '@nestjs/microservices-nats', 'node-nats-streaming'],
  redis: ['ioredis', 'redis', '@redis/client'],
  pubsub: ['@google-cloud/pubsub'],
  kafka: ['kafkajs', 'node-rdkafka', '@confluentinc/kafka-javascript'],
} as const;

/** A messaging base class by its name: what its subclasses do. */
const BASE_ROLE: [RegExp, Role][] = [
  [/(Publisher|Producer|Sender)$/, 'producer'],
  [/(Listener|Consumer|Subscriber|Receiver)$/, 'consumer'],
];
/** Fields a subclass names its channel with (`readonly subject = Subjects.OrderCreated`). */
const CHANNEL_FIELDS = new Set([
  'subject',
  'topic',
  'topicName',
  'queue',
  'queueName',
  'channel',
  'channelName',
  'stream',
  'streamName',
  'exchange',
  'exchangeName',
]);
/** Broker family → tech and channel kind, for subclasses of a base class from a package. */
const FAMILY_TECH: [keyof typeof TECH_PACKAGES, string, string][] = [
  ['nats', 'NATS', 'subject'],
  ['kafka', 'Kafka', 'topic'],
  ['amqp', 'RabbitMQ', 'queue'],
  ['redis', 'Redis pub/sub', 'channel'],
  ['pubsub', 'Google Pub/Sub', 'topic'],
];

export type TechContext = (keyof typeof TECH_PACKAGES)[];

const BULL_PACKAGES: Record<string, string> = {
  bullmq: 'BullMQ',
  bull: 'Bull',
  '@nestjs/bullmq': 'BullMQ',
  '@nestjs/bull': 'Bull',
  '@taskforcesh/bullmq-pro': 'BullMQ',
  groupmq: 'BullMQ',
};

/** Class-like names worth following through aliases and re-exports to a package's export (cost). */
const CLASS_LIKE = /Queue|Worker|Flow|Command|Bull|Producer|Events|Scheduler|Class|Ctor/;

const CLIENT_TYPES = /^(ClientProxy|ClientKafka|ClientRMQ|ClientNats|ClientRedis|ClientMqtt|ClientTCP|ClientKafkaProxy)$/;

/** Names Node and common libraries emit on their own objects: never an application bus. */
const RESERVED_EVENTS = new Set(
  'error close end data finish ready connect connection disconnect message listening exit drain open timeout completed failed progress active stalled waiting drained paused resumed removed cleaned request response upgrade abort pipe unpipe readable resume pause newListener removeListener warning SIGINT SIGTERM beforeExit uncaughtException unhandledRejection change'.split(
    ' ',
  ),
);

export interface FileFacts {
  sites: Site[];
  /** Unresolved names worth a warning: line → what (and the label the edge keeps, if any). */
  unresolved: { line: number; what: string; labelled?: string }[];
  /** Pub/Sub subscription → topic, where the code says so. */
  subscriptions: Map<string, string>;
  /** Redis list pushes and pops (queues only when both ends, or a blocking pop, exist: redis-lists.ts). */
  lists: ListUse[];
}

/** A BullMQ/Bull queue (with its names) or a flow producer a receiver holds. */
interface Handle {
  kind: 'queue' | 'flow';
  tech: string;
  names: Val[];
  /** `file:line` of the `new Queue(…)` the receiver holds, when it holds one. */
  made?: string;
}

/** A call's receiver: its text as written (`this.redis`, `pubsub.topic()`) and what it holds. */
interface Receiver {
  text: string;
  holders: Holder[];
  /** The call the method is called on (`pubsub.topic(t)` in `pubsub.topic(t).publishMessage(…)`). */
  call?: CallSite;
}

/** One script being read: its index, the broker families it may talk to, and the facts found. */
interface In {
  file: string;
  idx: FileIndex;
  tech: TechContext;
  facts: FileFacts;
}

/** A callee as written: `new AWS.SQS`, `this.redis.duplicate`, `pubsub.topic().subscription`. */
function calleeText(call: CallSite): string {
  let out = call.root;
  for (const n of call.names) out += n === '()' ? '()' : `${out ? '.' : ''}${n}`;
  return out;
}

/** The call a chain's method is called on, when it is one: `pubsub.topic(t)` of `pubsub.topic(t).subscription(s)`. */
function innerCall(call: CallSite): CallSite | undefined {
  const n = call.names.length;
  if (n < 2 || call.names[n - 2] !== '()') return undefined;
  const innerArgs = call.innerArgs.slice(0, -1);
  return {
    line: call.line,
    root: call.root,
    names: call.names.slice(0, n - 2),
    isNew: false,
    args: call.innerArgs[call.innerArgs.length - 1] ?? [],
    innerArgs,
  };
}

/** The name a call's callee ends with (`topic` of `pubsub.topic`). */
function lastName(call: CallSite): string | undefined {
  return call.names[call.names.length - 1];
}

export class Detector extends IndexRules {
  constructor(
    names: ChannelNames,
    resolveImport: (from: string, specifier: string) => string | undefined,
    transports: (file: string) => string[],
    /** Which broker families a file may talk to. */
    private readonly context: (file: string) => TechContext,
    rmq?: NestRmq,
    /** Routing keys relayed from a transactional outbox. */
    private readonly outbox?: Outbox,
  ) {
    super(names, resolveImport, transports, rmq);
  }

  override detect(file: string, idx: FileIndex, facts: FileFacts): void {
    const f: In = { file, idx, tech: this.context(file), facts };
    for (const cls of idx.classes.values()) this.onClass(f, cls);
    for (const fn of idx.functions.values())
      for (const call of [...fn.calls, ...(fn.chained ?? [])]) for (const c of chainCalls(call)) this.onCall(f, { file, fn }, c);
    super.detect(file, idx, facts);
  }

  private add(f: In, vals: Val[], line: number, base: Omit<Site, 'channel' | 'at' | 'via'>, what: string): void {
    addSites(f.facts, f.file, line, vals, base, what);
  }

  /** Every value of an object's property. */
  private objVals(o: { scope: Scope; v: Extract<Value, { k: 'obj' }> }, key: string): Val[] {
    return this.names.values(o.scope, propOf(o.v, key));
  }

  /** The object literals an array holds (written there or by a constant). */
  private arrayObjects(scope: Scope, v: Value | undefined) {
    return this.names.elements(scope, v).flatMap((item) => this.names.objects(item.scope, item.v));
  }

  /**
   * The package exports a callee stands for, through local aliases and conditionals:
   * `import { Queue } from 'bullmq'` → { spec: 'bullmq', name: 'Queue' }; also `ns.Queue`,
   * `require('m').X` and `const Q = pro ? require('m').QueuePro : Queue`.
   */
  private externals(scope: Scope, root: string, names: string[], depth = 0): { spec: string; name: string }[] {
    const idx = this.names.ev.indexes.get(scope.file);
    if (!idx || depth > 4) return [];
    if (root.startsWith('require(') && names.length === 1) {
      const q = root[8];
      const spec = (q === "'" || q === '"') && root.endsWith(`${q})`) ? root.slice(9, -2) : undefined;
      return spec !== undefined ? [{ spec, name: names[0]! }] : [];
    }
    if (names.length === 1) {
      const imp = idx.imports.get(root);
      return imp?.name === '*' && !this.resolveImport(scope.file, imp.module) ? [{ spec: imp.module, name: names[0]! }] : [];
    }
    if (names.length > 1) return [];
    const direct = idx.imports.get(root);
    if (direct && !direct.module.startsWith('.') && !this.resolveImport(scope.file, direct.module)) return [{ spec: direct.module, name: direct.name }];
    if (!CLASS_LIKE.test(root)) return [];
    // A local alias (`const Q = pro ? QueuePro : Queue`): every side of it.
    for (let fn: Fn | undefined = scope.fn; fn; fn = fn.parent ? this.names.ev.fns.get(fn.parent) : undefined) {
      const local = fn.locals.get(root);
      if (local) return this.aliasExternals({ file: scope.file, fn }, local, depth);
      if (fn.binds.includes(root)) return [];
    }
    const v = idx.vars.get(root);
    if (v) return this.aliasExternals({ file: scope.file }, v, depth);
    const r = direct ? this.names.ev.ident(scope, root) : undefined;
    return r?.k === 'pkg' ? [{ spec: r.pkg, name: r.name }] : [];
  }

  private aliasExternals(scope: Scope, v: Value, depth: number): { spec: string; name: string }[] {
    if (v.k === 'unknown' && v.alt) return v.alt.flatMap((x) => this.aliasExternals(scope, x, depth + 1));
    if (v.k !== 'ref') return [];
    const [root, ...names] = v.path.split('.');
    return root ? this.externals(scope, root, names, depth + 1) : [];
  }

  /** The receiver of a method call: its text and what it holds. */
  private receiver(scope: Scope, call: CallSite): Receiver {
    const inner = innerCall(call);
    if (inner) return { text: calleeText(inner) + '()', holders: [{ k: 'value', scope, v: { k: 'call', call: inner } }], call: inner };
    const names = call.names.slice(0, -1);
    const text = calleeText({ ...call, names });
    // `new TicketCreatedPublisher(client).publish(t)`: the chain's `new` (`recv`).
    if (!call.root && names.length === 0 && call.recv?.k === 'call')
      return { text: `new ${calleeText(call.recv.call)}()`, holders: [{ k: 'value', scope, v: call.recv }], call: call.recv.call };
    if (!call.root || names.includes('()')) return { text, holders: [] };
    return { text, holders: this.names.holders(scope, { k: 'ref', path: text }) };
  }

  /**
   * BullMQ/Bull queues and flow producers a receiver holds. In the script being read, a parameter
   * typed `Queue` is followed to what its callers pass (twice at most); in another script only
   * queues built or injected there count.
   */
  private handles(f: In, holders: Holder[], depth: number, here = true): Handle[] {
    const out: Handle[] = [];
    if (depth > 2) return out;
    for (const h of holders) {
      if (h.k === 'value') {
        if (h.v.k !== 'call' || h.v.call.names.includes('()')) continue;
        const c = h.v.call;
        const info = this.externals(h.scope, c.root, c.names).find((x) => BULL_PACKAGES[x.spec]);
        const tech = info && BULL_PACKAGES[info.spec];
        const cls = info?.name.replace(/Pro$/, '');
        if (tech && (cls === 'Queue' || (cls === 'default' && info!.spec === 'bull')))
          out.push({ kind: 'queue', tech, names: this.names.values(h.scope, c.args[0]), made: `${h.scope.file}:${c.line}` });
        else if (tech && cls === 'FlowProducer' && here) out.push({ kind: 'flow', tech, names: [] });
        continue;
      }
      if (h.k !== 'field' && h.k !== 'param') continue;
      const file = h.k === 'field' ? h.cls.file : h.fn.file;
      const deco = h.k === 'field' ? h.field.decorators.find((d) => d.name === 'InjectQueue' || (here && d.name === 'InjectFlowProducer')) : undefined;
      const techOf = (name: string) => BULL_PACKAGES[this.names.ev.indexes.get(file)?.imports.get(name)?.module ?? ''] ?? 'BullMQ';
      if (deco?.name === 'InjectQueue') out.push({ kind: 'queue', tech: techOf('InjectQueue'), names: this.names.values({ file }, deco.args[0]) });
      else if (deco) out.push({ kind: 'flow', tech: techOf('InjectFlowProducer'), names: [] });
      else if (here && depth < 2) {
        // A parameter typed `Queue`: what its callers pass.
        const fn = h.k === 'param' ? h.fn : h.field.param !== undefined ? this.names.ev.fns.get(`${h.cls.file}#${h.cls.name}.constructor`) : undefined;
        const index = h.k === 'param' ? h.index : h.field.param;
        const type = h.k === 'param' ? h.type : h.field.type;
        if (!fn || index === undefined || !type || !/\bQueue\b/.test(type)) continue;
        for (const a of this.names.argumentsOf(fn, index)) {
          for (const x of this.handles(f, this.names.holders(a.scope, a.v), depth + 1, a.scope.file === f.file))
            out.push({ ...x, names: x.names.map((v) => ({ ...v, via: [a.site, ...v.via] })) });
        }
      }
    }
    return out;
  }

  private onCall(f: In, scope: Scope, call: CallSite): void {
    const args = call.args;
    const a0 = args[0];
    const line = call.line;

    // new Queue / Worker / QueueEvents / FlowProducer (bullmq, bull, BullMQ Pro) and Bull('name').
    if (call.root && !call.names.includes('()') && (call.isNew || call.names.length === 0)) {
      const bullExt = this.externals(scope, call.root, call.names).find((x) => BULL_PACKAGES[x.spec]);
      if (bullExt) {
        const bull = BULL_PACKAGES[bullExt.spec]!;
        const imported = bullExt.name.replace(/Pro$/, '');
        if (imported === 'Queue' || (imported === 'default' && bullExt.spec === 'bull')) {
          // A BullMQ Queue exists to add jobs; a Bull queue can also process, so its role comes from use.
          // The BullMQ one is a producer only until an `add` through it is found (`madeHere`).
          this.add(
            f,
            this.vals(scope, a0),
            line,
            { tech: bull, kind: 'queue', role: bull === 'BullMQ' ? 'producer' : 'declared', madeHere: bull === 'BullMQ' },
            'queue name',
          );
          return;
        }
        if (imported === 'Worker') {
          const names = this.jobNamesOf(f, scope, args[1]);
          const vs = this.vals(scope, a0);
          this.add(f, vs, line, { tech: bull, kind: 'queue', role: 'consumer' }, 'worker queue name');
          for (const m of names) this.add(f, vs, line, { tech: bull, kind: 'queue', role: 'consumer', message: m }, 'worker queue name');
          return;
        }
        if (imported === 'QueueEvents' || imported === 'QueueScheduler') {
          this.add(f, this.vals(scope, a0), line, { tech: bull, kind: 'queue', role: 'declared' }, 'queue name');
          return;
        }
      }
    }

    const method = lastName(call);
    if (!method || method === '()' || call.isNew) return;
    const recv = this.receiver(scope, call);
    const texts = (v: Value | undefined) => this.texts(scope, v);

    const listRole = REDIS_LIST[method.toLowerCase()];
    if (listRole && a0 && f.tech.includes('redis') && this.looksLikeRedis(recv)) {
      const keys = a0.k === 'arr' ? a0.items.flatMap((e) => texts(e)) : texts(a0);
      for (const key of keys) f.facts.lists.push({ key, role: listRole, command: method.toLowerCase(), at: { file: f.file, line } });
      return;
    }

    switch (method) {
      case 'add':
      case 'addBulk': {
        if (!a0) return;
        for (const hd of this.handles(f, recv.holders, 0)) {
          if (hd.kind === 'queue') {
            const through = hd.made ? { through: hd.made } : {};
            if (method === 'add') {
              const jobs = texts(a0);
              this.add(
                f,
                hd.names,
                line,
                { tech: hd.tech, kind: 'queue', role: 'producer', message: jobs.length === 1 ? jobs[0] : undefined, ...through },
                'queue name',
              );
            } else {
              const names = this.names.objects(scope, a0).length
                ? []
                : this.arrayObjects(scope, a0)
                    .flatMap((o) => this.objVals(o, 'name'))
                    .flatMap((v) => (v.text ? [v.text] : []));
              this.add(f, hd.names, line, { tech: hd.tech, kind: 'queue', role: 'producer', ...through }, 'queue name');
              for (const m of names) this.add(f, hd.names, line, { tech: hd.tech, kind: 'queue', role: 'producer', message: m, ...through }, 'queue name');
            }
          } else {
            // FlowProducer.add({ name, queueName, children: [...] }): every node of the tree.
            const roots = method === 'add' ? this.names.objects(scope, a0) : this.arrayObjects(scope, a0);
            const walk = (o: (typeof roots)[number], d: number) => {
              const job = this.objVals(o, 'name').find((v) => v.text)?.text;
              this.add(f, this.objVals(o, 'queueName'), line, { tech: hd.tech, kind: 'queue', role: 'producer', message: job }, 'flow queue name');
              if (d < 6) for (const c of this.arrayObjects(o.scope, propOf(o.v, 'children'))) walk(c, d + 1);
            };
            for (const o of roots) walk(o, 0);
          }
        }
        return;
      }
      case 'process': {
        // Bull: queue.process('job', handler) / queue.process(handler).
        for (const hd of this.handles(f, recv.holders, 0)) {
          if (hd.kind !== 'queue') continue;
          const job = args.length >= 2 ? texts(a0)[0] : undefined;
          this.add(f, hd.names, line, { tech: hd.tech, kind: 'queue', role: 'consumer', message: job }, 'queue name');
        }
        return;
      }
      case 'send': {
        // kafkajs producer.send({ topic, messages }) is read by the base class's rules.
        if (this.names.objects(scope, a0).some((o) => Object.hasOwn(o.v.props, 'topic') && Object.hasOwn(o.v.props, 'messages'))) return;
        this.nestClient(f, scope, recv, a0, line, 'producer');
        return;
      }
      case 'subscribe': {
        // kafkajs consumer.subscribe({ topic }) / ({ topics }) is read by the base class's rules.
        if (a0 && this.names.objects(scope, a0).length === 0) this.pubsubLike(f, scope, method, recv, a0, line, 'consumer');
        return;
      }
      case 'emit': {
        if (this.nestClient(f, scope, recv, a0, line, 'producer')) return;
        this.eventCall(f, scope, call, recv, a0, 'producer');
        return;
      }
      case 'on':
      case 'once':
      case 'addListener':
      case 'prependListener': {
        if (f.tech.includes('pubsub') && this.pubsubSubscription(f, recv, line)) return;
        this.eventCall(f, scope, call, recv, a0, 'consumer');
        return;
      }
      case 'sendToQueue': {
        this.add(f, this.vals(scope, a0), line, { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
        return;
      }
      case 'assertQueue':
      case 'checkQueue': {
        if (!f.tech.includes('amqp')) return;
        // `{ deadLetterExchange, deadLetterRoutingKey }` or `{ arguments: { 'x-dead-letter-exchange': … } }`.
        const opts = this.names.objects(scope, args[1]);
        const dl = (camel: string, header: string) =>
          opts.flatMap((o) => [
            ...this.texts(o.scope, propOf(o.v, camel)),
            ...this.names.objects(o.scope, propOf(o.v, 'arguments')).flatMap((a) => this.texts(a.scope, propOf(a.v, header))),
          ])[0];
        const exchange = method === 'assertQueue' ? dl('deadLetterExchange', 'x-dead-letter-exchange') : undefined;
        const key = exchange !== undefined ? dl('deadLetterRoutingKey', 'x-dead-letter-routing-key') : undefined;
        const deadLetter = exchange !== undefined ? { deadLetter: { exchange, ...(key !== undefined ? { key } : {}) } } : {};
        this.add(f, this.vals(scope, a0), line, { tech: 'RabbitMQ', kind: 'queue', role: 'declared', ...deadLetter }, 'RabbitMQ queue');
        return;
      }
      case 'assertExchange':
      case 'checkExchange': {
        if (!f.tech.includes('amqp')) return;
        // A fanout exchange, or a consistent-hash one (the key is hashed to pick a bound queue): every bound queue may get any message.
        const type = method === 'assertExchange' ? texts(args[1])[0] : undefined;
        const spread = type === 'fanout' || type === 'x-consistent-hash' ? { fanout: true } : {};
        this.add(f, this.vals(scope, a0), line, { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', ...spread }, 'RabbitMQ exchange');
        return;
      }
      case 'bindExchange': {
        // `bindExchange(destination, source, pattern)`: the source exchange routes matching messages, keys unchanged, into the destination.
        if (!f.tech.includes('amqp') || args.length < 2) return;
        const key = texts(args[2])[0] ?? '';
        for (const dest of texts(a0))
          this.add(
            f,
            this.vals(scope, args[1]),
            line,
            { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${key || '#'} → ${dest}` },
            'RabbitMQ exchange',
          );
        return;
      }
      case 'bindQueue': {
        if (!f.tech.includes('amqp') || args.length < 2) return;
        const queues = texts(assertedQueue(scope, a0) ?? a0);
        const key = texts(args[2])[0] ?? '';
        for (const q of queues)
          this.add(
            f,
            this.vals(scope, args[1]),
            line,
            { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${key || '#'} → ${q}` },
            'RabbitMQ exchange',
          );
        return;
      }
      case 'get': {
        // amqplib's `channel.get(queue, { noAck })` takes one message off a queue (a DLQ's re-drive):
        // a channel's, not a map's or a configuration's, so the receiver must be named a channel or the options say `noAck`.
        const opts = this.names.objects(scope, args[1]);
        const held = recv.text.slice(recv.text.lastIndexOf('.') + 1);
        const channel = held === 'ch' || held === 'chan' || held.toLowerCase().endsWith('channel') || opts.some((o) => Object.hasOwn(o.v.props, 'noAck'));
        if (f.tech.includes('amqp') && a0 && channel)
          this.add(f, this.vals(scope, assertedQueue(scope, a0) ?? a0), line, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer' }, 'RabbitMQ queue');
        return;
      }
      case 'consume': {
        if (f.tech.includes('amqp') && args.length >= 2)
          this.add(f, this.vals(scope, assertedQueue(scope, a0) ?? a0), line, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer' }, 'RabbitMQ queue');
        return;
      }
      case 'publish':
      case 'publishMessage':
      case 'publishJSON': {
        // new OrderCreatedPublisher(client).publish(data): the subclass names the channel (onClass).
        if (this.isPackageBaseInstance(recv)) return;
        if (f.tech.includes('amqp') && method === 'publish' && args.length >= 3) {
          const ex = texts(a0);
          if (ex.length === 1 && ex[0] === '')
            this.add(f, this.vals(scope, args[1]), line, { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
          else {
            // Each routing key the publisher can be given (a helper's parameter: what each caller
            // passes) is a message of its own, credited to the caller that chose it, so the queues
            // bound to that key get that caller as producer.
            // A helper function (a shared parking or publishing function) is read once per call
            // that surely reaches it, its parameters bound to that call's arguments, so that one
            // caller's exchange never pairs with another's routing key.
            const helper =
              scope.fn && !scope.fn.cls && scope.fn.name !== '<callback>' && readsParameter(scope.fn, args.slice(0, 2)) ? this.names.exactCalls(scope.fn) : [];
            const readings = helper.length ? helper.map((c) => ({ scope: c.scope, via: [c.site] })) : [{ scope, via: [] as Loc[] }];
            for (const r of readings) {
              const exchanges = this.vals(r.scope, a0).map((x) => ({ ...x, via: [...r.via, ...x.via] }));
              let keys = this.names.values(r.scope, args[1]).filter((k) => k.text !== undefined);
              // A key read from an outbox row: each key the relaying component writes there (outbox.ts).
              if (keys.length === 0 && this.outbox) keys = this.outbox.keys(r.scope, args[1]);
              if (keys.length === 0) this.add(f, exchanges, line, { tech: 'RabbitMQ', kind: 'exchange', role: 'producer' }, 'RabbitMQ exchange');
              for (const k of keys)
                this.add(
                  f,
                  exchanges.map((x) => ({ ...x, via: [...k.via, ...x.via] })),
                  line,
                  { tech: 'RabbitMQ', kind: 'exchange', role: 'producer', message: k.text },
                  'RabbitMQ exchange',
                );
            }
          }
          return;
        }
        // SDK v2 / aggregated v3 SNS client: sns.publish({ TopicArn }).
        const objs = this.names.objects(scope, a0);
        if (objs.some((o) => Object.hasOwn(o.v.props, 'TopicArn'))) {
          for (const o of objs) {
            const subject = this.objVals(o, 'Subject').find((v) => v.text)?.text;
            this.add(
              f,
              this.objVals(o, 'TopicArn').map((v) => arnOrUrl(v)),
              line,
              { tech: 'Amazon SNS', kind: 'topic', role: 'producer', message: subject, attributes: snsAttributes(this.names, o) },
              'SNS topic ARN',
            );
          }
          return;
        }
        // NestJS CQRS: eventBus.publish(new OrderPlacedEvent(...)).
        if (/eventBus/i.test(recv.text) && a0?.k === 'call' && a0.call.isNew) {
          this.add(
            f,
            [{ text: calleeText(a0.call), via: [] }],
            line,
            { tech: 'NestJS CQRS EventBus', kind: 'event', role: 'producer', inProcess: true },
            'event',
          );
          return;
        }
        this.pubsubLike(f, scope, method, recv, a0, line, 'producer');
        return;
      }
      case 'request':
      case 'psubscribe': {
        if (a0) this.pubsubLike(f, scope, method, recv, a0, line, method === 'request' ? 'producer' : 'consumer');
        return;
      }
      case 'xadd': {
        if (f.tech.includes('redis')) this.add(f, this.vals(scope, a0), line, { tech: 'Redis Streams', kind: 'stream', role: 'producer' }, 'Redis stream');
        return;
      }
      case 'xreadgroup':
      case 'xread': {
        if (!f.tech.includes('redis')) return;
        const i = args.findIndex((a) => a.k === 'str' && a.v.toUpperCase() === 'STREAMS');
        if (i >= 0 && args[i + 1])
          this.add(f, this.vals(scope, args[i + 1]), line, { tech: 'Redis Streams', kind: 'stream', role: 'consumer' }, 'Redis stream');
        return;
      }
      // `registerFlowProducer({ name })` names a flow producer, not a queue: its queues are the `queueName`s it adds to.
      case 'registerQueue':
      case 'registerQueueAsync': {
        if (!/BullModule/.test(recv.text)) return;
        const tech = BULL_PACKAGES[f.idx.imports.get('BullModule')?.module ?? ''] ?? this.fileTech(f.idx);
        const lines = this.argLines(f.idx, call);
        args.forEach((a, i) => {
          for (const o of this.names.objects(scope, a))
            this.add(f, this.objVals(o, 'name'), lines[i] ?? line, { tech, kind: 'queue', role: 'declared' }, 'queue name');
        });
        return;
      }
      case 'createSubscription': {
        // pubsub.createSubscription(topic, name) / pubsub.topic(t).createSubscription(name)
        if (!f.tech.includes('pubsub')) return;
        if (recv.call && lastName(recv.call) === 'topic') {
          const t = texts(recv.call.args[0])[0];
          for (const s of texts(a0)) if (t) f.facts.subscriptions.set(s, t);
        } else {
          const t = texts(a0)[0];
          for (const s of texts(args[1])) if (t) f.facts.subscriptions.set(s, t);
        }
        return;
      }
      default:
        return;
    }
  }

  /** The lines of a call's arguments, from the option readings of the same call (`idx.sites`). */
  private argLines(idx: FileIndex, call: CallSite): number[] {
    const name = calleeText(call);
    for (const s of idx.sites.sites) if (s.k === 'call' && s.line === call.line && s.name === name) return s.args.map((a) => a.line);
    return [];
  }

  /** BullMQ unless the file imports Bull. */
  private fileTech(idx: FileIndex): string {
    for (const { module } of idx.imports.values()) if (BULL_PACKAGES[module]) return BULL_PACKAGES[module]!;
    return 'BullMQ';
  }

  private onClass(f: In, cls: ClassInfo): void {
    this.baseClassChannel(f, cls);
    for (const d of cls.decorators) {
      if (d.name !== 'Processor') continue;
      const tech = BULL_PACKAGES[f.idx.imports.get('Processor')?.module ?? ''];
      if (!tech) continue;
      const scope: Scope = { file: f.file };
      const objs = this.names.objects(scope, d.args[0]);
      const names = objs.length ? objs.flatMap((o) => this.objVals(o, 'name')) : this.vals(scope, d.args[0]);
      this.add(f, names, d.line, { tech, kind: 'queue', role: 'consumer' }, 'processor queue name');
      // Job names: @Process('name') methods (Bull) and `process(job)` switching on job.name (WorkerHost).
      const jobs: string[] = [];
      for (const [name, key] of cls.methods) {
        const fn = this.names.ev.fns.get(key);
        if (!fn) continue;
        for (const md of fn.decorators) {
          if (md.name !== 'Process') continue;
          const os = this.names.objects(scope, md.args[0]);
          jobs.push(...(os.length ? os.flatMap((x) => this.objVals(x, 'name')).flatMap((v) => (v.text ? [v.text] : [])) : this.texts(scope, md.args[0])));
        }
        if (name === 'process') jobs.push(...this.jobNames(f, fn));
      }
      for (const j of jobs) this.add(f, names, d.line, { tech, kind: 'queue', role: 'consumer', message: j }, 'processor queue name');
    }
  }

  /**
   * `class OrderCreatedPublisher extends Publisher<E> { readonly subject = Subjects.OrderCreated }`
   * where `Publisher` comes from a package outside the repository (a shared npm library doing the
   * `publish`/`subscribe`): the subclass's channel field names the channel, the base class's name
   * says the role, and the broker library the file's package uses says the technology. Only a class
   * the production code instantiates (`new OrderCreatedPublisher(client).publish(…)`) produces or
   * consumes; one nobody constructs is declared only.
   */
  private baseClassChannel(f: In, cls: ClassInfo): void {
    const role = this.packageBaseRole(cls);
    if (!role || cls.name === '<class>') return;
    const family = FAMILY_TECH.find(([k]) => f.tech.includes(k));
    if (!family) return;
    const field = [...cls.fields].find(([name, x]) => x.init && CHANNEL_FIELDS.has(name))?.[1];
    if (!field) return;
    const vals = this.vals({ file: f.file }, field.init);
    if (vals.length === 0) return;
    const used = this.names.callsTo(cls.name).some((c) => c.call.isNew);
    this.add(
      f,
      vals,
      field.line,
      { tech: family[1], kind: family[2], role: used ? role : 'declared' },
      `${family[1]} ${family[2]} named by a ${cls.extends!.root} subclass`,
    );
  }

  /** The role a class inherits from a Publisher/Listener-like base class of a package outside the repository. */
  private packageBaseRole(cls: ClassInfo): Role | undefined {
    const base = cls.extends;
    if (!base || base.names.length > 0) return undefined;
    const role = BASE_ROLE.find(([re]) => re.test(base.root))?.[1];
    return role && this.externals({ file: cls.file }, base.root, []).length > 0 ? role : undefined;
  }

  /** `new OrderCreatedPublisher(client)`: an instance of such a subclass (its channel is read from the class). */
  private isPackageBaseInstance(recv: Receiver): boolean {
    return recv.holders.some((h) => {
      if (h.k !== 'value' || h.v.k !== 'call' || !h.v.call.isNew || h.v.call.names.length > 0) return false;
      const cls = this.names.classIn(h.scope.file, h.v.call.root);
      return !!cls && this.packageBaseRole(cls) !== undefined;
    });
  }

  /** The declared type of a field or parameter a receiver holds, or the callee of a `new` it holds (`type`: types only). */
  private static typeOf(h: Holder, news = true): string {
    if (h.k === 'field') return h.field.type ?? '';
    if (h.k === 'param') return h.type ?? '';
    return news && h.k === 'value' && h.v.k === 'call' && h.v.call.isNew ? calleeText(h.v.call) : '';
  }

  /** ClientProxy/ClientKafka `.emit(pattern)` / `.send(pattern)`; true when the receiver is one. */
  private nestClient(f: In, scope: Scope, recv: Receiver, a0: Value | undefined, line: number, role: Role): boolean {
    if (!a0) return false;
    const typed = recv.holders.filter((h) => h.k === 'field' || h.k === 'param');
    // A client made in place (`this.client = ClientProxyFactory.create(…)`, `new ClientRMQ(…)`) is held as that value.
    const made = recv.holders.some((h) => h.k === 'value' && h.v.k === 'call' && (h.v.call.root === 'ClientProxyFactory' || CLIENT_TYPES.test(h.v.call.root)));
    const isClient =
      made || typed.some((h) => CLIENT_TYPES.test(Detector.typeOf(h)) || (h.k === 'field' && h.field.decorators.some((d) => d.name === 'Client')));
    if (!isClient) return false;
    // Over RabbitMQ the channel is the queue the client is registered for; the pattern is its message.
    if (this.rmq?.produce(f.file, line, recv.holders, this.patternValues(scope, a0), role, f.facts)) return true;
    const transports = this.transports(f.file);
    const t = typed.map((h) => Detector.typeOf(h)).join(' ');
    // Without a broker (TCP) `.send()` and `.emit()` are direct calls, not messages.
    if (!/ClientKafka|ClientRMQ/.test(t) && isNestCall(transports)) return true;
    const tech = /ClientKafka/.test(t)
      ? 'Kafka'
      : /ClientRMQ/.test(t)
        ? 'RabbitMQ'
        : /ClientNats/.test(t)
          ? 'NATS'
          : transports.length === 1
            ? (NEST_TRANSPORT_TECH[transports[0]!] ?? 'NestJS microservices')
            : 'NestJS microservices';
    this.add(f, this.patternValues(scope, a0), line, { tech, kind: tech === 'Kafka' ? 'topic' : 'pattern', role }, 'message pattern');
    return true;
  }

  /** Node EventEmitter / EventEmitter2 buses: named events only, reserved names never. */
  private eventCall(f: In, scope: Scope, call: CallSite, recv: Receiver, a0: Value | undefined, role: Role): void {
    if (!a0) return;
    const names = this.texts(scope, a0).filter((n) => !RESERVED_EVENTS.has(n) && n.length > 1);
    if (names.length === 0) return;
    const typed = recv.holders.map((h) => Detector.typeOf(h, false)).join(' ');
    const built = recv.holders.map((h) => Detector.typeOf(h));
    let tech: string | undefined;
    if (/EventEmitter2/.test(typed)) tech = 'EventEmitter2';
    else if (/\bEventEmitter\b/.test(typed)) tech = 'EventEmitter';
    else if (recv.holders.some((h) => h.k === 'value' && h.v.k === 'call' && h.v.call.isNew && /^(EventEmitter|EventEmitter2)$/.test(calleeText(h.v.call))))
      tech = built.some((t) => /EventEmitter2/.test(t)) ? 'EventEmitter2' : 'EventEmitter';
    else if (call.root === 'this' && call.names.length === 1) {
      const ext = this.enclosingClass(scope)?.extends;
      const text = ext && [ext.root, ...ext.names].join('.');
      if (text && /^(EventEmitter|EventEmitter2)$/.test(text)) tech = text;
    } else if (/(^|\.)(eventEmitter|emitter|eventBus|bus|events)$/i.test(recv.text)) tech = 'EventEmitter';
    if (!tech) return;
    this.add(
      f,
      names.map((text) => ({ text, via: [] })),
      call.line,
      { tech, kind: 'event', role, inProcess: true },
      'event name',
    );
  }

  /** The class a function is written in (a method, or a callback in one). */
  private enclosingClass(scope: Scope): ClassInfo | undefined {
    for (let fn: Fn | undefined = scope.fn; fn; fn = fn.parent ? this.names.ev.fns.get(fn.parent) : undefined)
      if (fn.cls) return this.names.ev.classOf(fn.file, fn.cls);
    return undefined;
  }

  /** publish/subscribe/request with a channel string: Google Pub/Sub, NATS or Redis, by context. */
  private pubsubLike(f: In, scope: Scope, method: string, recv: Receiver, a0: Value | undefined, line: number, role: Role): void {
    // Google Pub/Sub: pubsub.topic(X).publishMessage(...), topic.publish(...), subscription(Y).on('message').
    if (f.tech.includes('pubsub')) {
      for (const h of recv.holders) {
        if (h.k === 'value' && h.v.k === 'call' && !h.v.call.isNew && lastName(h.v.call) === 'topic') {
          this.pubsubAdd(f, this.names.values(h.scope, h.v.call.args[0]), line, 'producer');
          return;
        }
      }
    }
    if (!a0 || method === 'publishMessage' || method === 'publishJSON') return;
    const nats = f.tech.includes('nats');
    const redis = f.tech.includes('redis');
    let tech: string | undefined;
    if (nats && (!redis || /\b(nc|nats|natsConnection|js|jetstream)\b/i.test(recv.text))) tech = 'NATS';
    else if (redis && this.looksLikeRedis(recv)) tech = 'Redis pub/sub';
    if (!tech) return;
    if (method === 'psubscribe' && tech !== 'Redis pub/sub') return;
    this.add(f, this.vals(scope, a0), line, { tech, kind: tech === 'NATS' ? 'subject' : 'channel', role }, `${tech} channel`);
  }

  /** subscription(Y).on('message') / topic(X).subscription(Y).on('message'): a Pub/Sub consumer. */
  private pubsubSubscription(f: In, recv: Receiver, line: number): boolean {
    for (const h of recv.holders) {
      if (h.k !== 'value' || h.v.k !== 'call' || h.v.call.isNew || lastName(h.v.call) !== 'subscription') continue;
      const parent = innerCall(h.v.call);
      if (parent && lastName(parent) === 'topic') this.pubsubAdd(f, this.names.values(h.scope, parent.args[0]), line, 'consumer');
      else
        this.add(
          f,
          this.names.values(h.scope, h.v.call.args[0]),
          line,
          { tech: 'Google Pub/Sub', kind: 'subscription', role: 'consumer' },
          'Pub/Sub subscription',
        );
      return true;
    }
    return false;
  }

  /**
   * A Redis client, not a GraphQL `PubSub` (whose publish/subscribe look the same): named after
   * Redis, or built by `new Redis()` / `createClient()` / `.duplicate()`, or typed as a Redis client.
   */
  private looksLikeRedis(recv: Receiver): boolean {
    if (recv.holders.some((h) => /PubSub/.test(Detector.typeOf(h)))) return false;
    if (/redis/i.test(recv.text)) return true;
    for (const h of recv.holders) {
      if ((h.k === 'field' || h.k === 'param') && /Redis/.test(Detector.typeOf(h))) return true;
      if (h.k === 'value' && h.v.k === 'call' && /Redis|createClient|duplicate/.test(calleeText(h.v.call))) return true;
    }
    return false;
  }

  private pubsubAdd(f: In, vals: Val[], line: number, role: Role): void {
    this.add(f, vals, line, { tech: 'Google Pub/Sub', kind: 'topic', role }, 'Pub/Sub topic');
  }

  /** Job names a processor given as a value handles (written in place, or a function of the same file named). */
  private jobNamesOf(f: In, scope: Scope, v: Value | undefined): string[] {
    let fn: Fn | undefined;
    if (v?.k === 'fn') fn = this.names.ev.fns.get(v.key);
    else if (v?.k === 'ref') {
      const r = this.names.ev.value(scope, v);
      fn = r?.k === 'fn' ? this.names.ev.fns.get(r.key) : undefined;
    }
    return fn && fn.file === f.file ? this.jobNames(f, fn) : [];
  }

  /** Job names a BullMQ processor handles: `switch (job.name) { case 'x': }` and `job.name === 'x'` within its lines. */
  private jobNames(f: In, fn: Fn): string[] {
    const out: string[] = [];
    for (const c of f.idx.nameChecks) {
      if (c.line < fn.line || c.line > fn.endLine) continue;
      out.push(...this.texts({ file: f.file, fn: this.innermost(f.idx, fn, c.line) }, c.value));
    }
    return [...new Set(out)];
  }

  /** The innermost function around a line, within `fn`. */
  private innermost(idx: FileIndex, fn: Fn, line: number): Fn {
    let best = fn;
    for (const g of idx.functions.values()) {
      if (
        g.line >= best.line &&
        g.endLine <= best.endLine &&
        g !== best &&
        g.line <= line &&
        g.endLine >= line &&
        g.endLine - g.line <= best.endLine - best.line
      )
        best = g;
    }
    return best;
  }
}

/**
 * amqplib's `const q = await channel.assertQueue(NAME)` resolves to `{ queue: NAME, … }`: the name
 * `q.queue` (and `consume(q.queue, …)`) stands for is the asserted name. The value given to
 * `assertQueue`, or undefined when `v` is not such a member.
 */
function assertedQueue(scope: Scope, v: Value | undefined): Value | undefined {
  if (v?.k !== 'ref') return undefined;
  const dot = v.path.indexOf('.');
  if (dot < 0 || v.path.slice(dot + 1) !== 'queue') return undefined;
  const name = v.path.slice(0, dot);
  const local = scope.fn?.locals.get(name);
  return local?.k === 'call' && local.call.names[local.call.names.length - 1] === 'assertQueue' ? local.call.args[0] : undefined;
}

/** Whether values written in `fn` read one of its parameters, directly or through its locals (`const ex = name(input.queue)`). */
function readsParameter(fn: Fn, values: Value[]): boolean {
  const seen = new Set<string>();
  const reads = (v: Value | undefined, depth: number): boolean => {
    if (!v || depth > 8) return false;
    switch (v.k) {
      case 'ref': {
        const root = v.path.split('.')[0]!;
        if (fn.paramNames.includes(root)) return true;
        const local = fn.locals.get(root);
        if (!local || seen.has(root)) return false;
        seen.add(root);
        return reads(local, depth + 1);
      }
      case 'tpl':
        return v.exprs.some((e) => reads(e, depth + 1));
      case 'or':
        return reads(v.left, depth + 1) || reads(v.right, depth + 1);
      case 'call':
        return v.call.args.some((a) => reads(a, depth + 1));
      case 'unknown':
        return [...(v.alt ?? []), ...(v.cat ?? [])].some((x) => reads(x, depth + 1));
      default:
        return false;
    }
  };
  return values.some((v) => reads(v, 0));
}
