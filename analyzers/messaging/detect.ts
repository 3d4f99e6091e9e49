/**
 * One walk per source file, dispatching on the shape of each call, `new` and decorator to the
 * messaging library it belongs to. Every match becomes a `Site` (a producer, consumer or
 * declaration of a named channel at a file and line); `collect.ts` turns sites into queue facts.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Loc, Ref, Resolver, Val } from './resolve.js';
import { decoratorsOf, prop, propName, unwrapAwait } from '../../src/analysis/ast.js';
import type { ListUse } from './redis-lists.js';
import { addSites, arnOrUrl, isNestCall, NEST_TRANSPORT_TECH } from './sites.js';

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
  /** Where the repository declares the value of the variable the name came from (evidence only). */
  configAt?: Loc;
  /** The name could not be resolved: `channel` is the expression as written. */
  unresolved?: boolean;
  /** Declared by a broker definitions file, not by code. */
  definitions?: boolean;
  /** A fanout exchange: every bound queue gets every message, whatever the routing key. */
  fanout?: boolean;
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

export class Detector {
  constructor(
    private readonly r: Resolver,
    /** Transports each component configures for NestJS microservices (KAFKA, RMQ…). */
    private readonly transports: (file: string) => string[],
    private readonly context: (file: string) => TechContext,
  ) {}

  detect(file: string, sf: ts.SourceFile): FileFacts {
    const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
    const ctxTech = this.context(file);
    const imports = this.r.module(file)?.imports ?? new Map<string, { spec: string; name: string }>();
    const fromPkg = (name: string): { spec: string; name: string } | undefined => imports.get(name);
    const line = (n: ts.Node) => this.r.line(file, n);
    const fileTech = (): string => {
      for (const { spec } of imports.values()) if (BULL_PACKAGES[spec]) return BULL_PACKAGES[spec]!;
      return 'BullMQ';
    };

    const add = (vals: Val[], node: ts.Node, base: Omit<Site, 'channel' | 'at' | 'via'>, what: string) => addSites(facts, file, line(node), vals, base, what);
    /** Values of a channel-name expression; when none is known, the expression itself (as a label). */
    const vals = (e: ts.Node | undefined, f = file): Val[] => {
      if (!e) return [];
      const out = this.r.values(e, f);
      if (out.some((v) => v.text !== undefined || v.env !== undefined)) return out;
      const label = labelOf(e);
      return label ? [{ expr: label, via: [] }] : out;
    };
    const texts = (e: ts.Node | undefined): string[] => vals(e).flatMap((v) => (v.text !== undefined ? [v.text] : []));
    const obj = (e: ts.Node | undefined, f = file): Ref[] => (e ? this.r.deref(e, f).filter((x) => ts.isObjectLiteralExpression(x.node)) : []);
    const objVals = (o: Ref, key: string): Val[] => {
      const e = prop(o.node, key);
      return e ? this.r.values(e, o.file) : [];
    };

    /** What a receiver expression is: a BullMQ/Bull queue (with its names) or a flow producer. */
    const handles = (recv: ts.Expression, depth = 0): { kind: 'queue' | 'flow'; tech: string; names: Val[] }[] => {
      const out: { kind: 'queue' | 'flow'; tech: string; names: Val[] }[] = [];
      for (const ref of this.r.deref(recv, file)) {
        const n = ref.node;
        if (ts.isNewExpression(n) || ts.isCallExpression(n)) {
          const info = this.r.externals(n.expression, ref.file).find((x) => BULL_PACKAGES[x.spec]);
          const tech = info && BULL_PACKAGES[info.spec];
          const cls = info?.name.replace(/Pro$/, '');
          if (tech && (cls === 'Queue' || (cls === 'default' && info!.spec === 'bull')))
            out.push({ kind: 'queue', tech, names: this.r.values(n.arguments?.[0] ?? n, ref.file) });
          else if (tech && cls === 'FlowProducer') out.push({ kind: 'flow', tech, names: [] });
        } else if (ts.isParameter(n) || ts.isPropertyDeclaration(n)) {
          const deco = decoratorsOf(n).find((d) => d.name === 'InjectQueue' || d.name === 'InjectFlowProducer');
          const refImports = this.r.module(ref.file)?.imports;
          const techOf = (name: string) => BULL_PACKAGES[refImports?.get(name)?.spec ?? ''] ?? 'BullMQ';
          if (deco?.name === 'InjectQueue') out.push({ kind: 'queue', tech: techOf('InjectQueue'), names: this.r.values(deco.args[0] ?? n, ref.file) });
          else if (deco?.name === 'InjectFlowProducer') out.push({ kind: 'flow', tech: techOf('InjectFlowProducer'), names: [] });
          else if (ts.isParameter(n) && depth < 2 && n.type && /\bQueue\b/.test(n.type.getText())) {
            const fn = n.parent;
            const index = fn.parameters.indexOf(n);
            for (const { arg, site } of this.r.argumentsFor(fn, index, ref.file)) {
              for (const h of handlesIn(arg, site.file, depth + 1))
                out.push({ ...h, names: h.names.map((v) => ({ ...v, via: [this.r.loc(site), ...v.via] })) });
            }
          }
        }
      }
      return out;
    };
    const handlesIn = (e: ts.Expression, f: string, depth: number) =>
      f === file ? handles(e, depth) : new Detector(this.r, this.transports, this.context).handlesFor(e, f, depth);

    const bullJobNames = (fn: ts.Node | undefined): string[] => (fn ? jobNames(fn, this.r, file) : []);

    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node))
        this.onCall(node, file, { add, vals, texts, obj, objVals, handles, fromPkg, fileTech, bullJobNames, ctxTech, facts, line });
      if (ts.isClassDeclaration(node))
        this.onClass(node, file, { add, vals, texts, obj, objVals, handles, fromPkg, fileTech, bullJobNames, ctxTech, facts, line });
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return facts;
  }

  /** Handle resolution for a receiver in another file (used when a queue object is passed in). */
  handlesFor(e: ts.Expression, file: string, depth: number): { kind: 'queue' | 'flow'; tech: string; names: Val[] }[] {
    const out: { kind: 'queue' | 'flow'; tech: string; names: Val[] }[] = [];
    if (depth > 2) return out;
    for (const ref of this.r.deref(e, file)) {
      const n = ref.node;
      if (ts.isNewExpression(n) || ts.isCallExpression(n)) {
        const info = this.r.externals(n.expression, ref.file).find((x) => BULL_PACKAGES[x.spec]);
        const tech = info && BULL_PACKAGES[info.spec];
        const cls = info?.name.replace(/Pro$/, '');
        if (tech && (cls === 'Queue' || (cls === 'default' && info!.spec === 'bull')))
          out.push({ kind: 'queue', tech, names: this.r.values(n.arguments?.[0] ?? n, ref.file) });
      } else if (ts.isParameter(n) || ts.isPropertyDeclaration(n)) {
        const deco = decoratorsOf(n).find((d) => d.name === 'InjectQueue');
        if (deco)
          out.push({
            kind: 'queue',
            tech: BULL_PACKAGES[this.r.module(ref.file)?.imports.get('InjectQueue')?.spec ?? ''] ?? 'BullMQ',
            names: this.r.values(deco.args[0] ?? n, ref.file),
          });
      }
    }
    return out;
  }

  private onCall(node: ts.NewExpression | ts.CallExpression, file: string, h: Helpers): void {
    const callee = node.expression;
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const a0 = args[0];

    // new Queue / Worker / QueueEvents / FlowProducer (bullmq, bull, BullMQ Pro) and Bull('name').
    if (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) {
      const ext = ts.isIdentifier(callee) || ts.isNewExpression(node) ? this.r.externals(callee, file) : [];
      const bullExt = ext.find((x) => BULL_PACKAGES[x.spec]);
      if (bullExt) {
        const bull = BULL_PACKAGES[bullExt.spec]!;
        const imported = bullExt.name.replace(/Pro$/, '');
        if (imported === 'Queue' || (imported === 'default' && bullExt.spec === 'bull')) {
          // A BullMQ Queue exists to add jobs; a Bull queue can also process, so its role comes from use.
          h.add(h.vals(a0), node, { tech: bull, kind: 'queue', role: bull === 'BullMQ' ? 'producer' : 'declared' }, 'queue name');
          return;
        }
        if (imported === 'Worker') {
          const names = h.bullJobNames(args[1]);
          const vs = h.vals(a0);
          h.add(vs, node, { tech: bull, kind: 'queue', role: 'consumer' }, 'worker queue name');
          for (const m of names) h.add(vs, node, { tech: bull, kind: 'queue', role: 'consumer', message: m }, 'worker queue name');
          return;
        }
        if (imported === 'QueueEvents' || imported === 'QueueScheduler') {
          h.add(h.vals(a0), node, { tech: bull, kind: 'queue', role: 'declared' }, 'queue name');
          return;
        }
      }
    }

    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    const recv = callee.expression;
    const recvText = recv.getText(node.getSourceFile());

    const listRole = REDIS_LIST[method.toLowerCase()];
    if (listRole && a0 && h.ctxTech.includes('redis') && this.looksLikeRedis(recv, recvText, file)) {
      const keys = ts.isArrayLiteralExpression(unwrapAwait(a0))
        ? (unwrapAwait(a0) as ts.ArrayLiteralExpression).elements.flatMap((e) => h.texts(e))
        : h.texts(a0);
      for (const key of keys) h.facts.lists.push({ key, role: listRole, command: method.toLowerCase(), at: { file, line: h.line(node) } });
      return;
    }

    switch (method) {
      case 'add':
      case 'addBulk': {
        if (!a0) return;
        for (const hd of h.handles(recv)) {
          if (hd.kind === 'queue') {
            if (method === 'add') {
              const jobs = h.texts(a0);
              h.add(hd.names, node, { tech: hd.tech, kind: 'queue', role: 'producer', message: jobs.length === 1 ? jobs[0] : undefined }, 'queue name');
            } else {
              const names = h.obj(a0).length
                ? []
                : this.arrayObjects(a0, file)
                    .flatMap((o) => h.objVals(o, 'name'))
                    .flatMap((v) => (v.text ? [v.text] : []));
              h.add(hd.names, node, { tech: hd.tech, kind: 'queue', role: 'producer' }, 'queue name');
              for (const m of names) h.add(hd.names, node, { tech: hd.tech, kind: 'queue', role: 'producer', message: m }, 'queue name');
            }
          } else {
            // FlowProducer.add({ name, queueName, children: [...] }): every node of the tree.
            const roots = method === 'add' ? h.obj(a0) : this.arrayObjects(a0, file);
            const walk = (o: Ref, d: number) => {
              const q = h.objVals(o, 'queueName');
              const job = h.objVals(o, 'name').find((v) => v.text)?.text;
              h.add(q, node, { tech: hd.tech, kind: 'queue', role: 'producer', message: job }, 'flow queue name');
              const children = this.arrayObjects(prop(o.node, 'children'), o.file);
              if (d < 6) for (const c of children) walk(c, d + 1);
            };
            for (const o of roots) walk(o, 0);
          }
        }
        return;
      }
      case 'process': {
        // Bull: queue.process('job', handler) / queue.process(handler).
        for (const hd of h.handles(recv)) {
          if (hd.kind !== 'queue') continue;
          const job = args.length >= 2 ? h.texts(a0)[0] : undefined;
          h.add(hd.names, node, { tech: hd.tech, kind: 'queue', role: 'consumer', message: job }, 'queue name');
        }
        return;
      }
      case 'send': {
        // kafkajs producer.send({ topic, messages }) is read from the index (rules.ts).
        if (h.obj(a0).some((o) => prop(o.node, 'topic') && prop(o.node, 'messages'))) return;
        this.nestClient(node, recv, a0, file, h, 'producer', true);
        return;
      }
      case 'subscribe': {
        // kafkajs consumer.subscribe({ topic }) / ({ topics }) is read from the index (rules.ts).
        if (h.obj(a0).length === 0 && a0) this.pubsubLike(node, method, recvText, a0, file, h, 'consumer');
        return;
      }
      case 'emit': {
        if (this.nestClient(node, recv, a0, file, h, 'producer')) return;
        this.eventCall(node, recv, a0, file, h, 'producer');
        return;
      }
      case 'on':
      case 'once':
      case 'addListener':
      case 'prependListener': {
        if (h.ctxTech.includes('pubsub') && this.pubsubSubscription(node, recv, file, h)) return;
        this.eventCall(node, recv, a0, file, h, 'consumer');
        return;
      }
      case 'sendToQueue': {
        h.add(h.vals(a0), node, { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
        return;
      }
      case 'assertQueue':
      case 'checkQueue': {
        if (h.ctxTech.includes('amqp')) h.add(h.vals(a0), node, { tech: 'RabbitMQ', kind: 'queue', role: 'declared' }, 'RabbitMQ queue');
        return;
      }
      case 'assertExchange':
      case 'checkExchange': {
        if (h.ctxTech.includes('amqp')) h.add(h.vals(a0), node, { tech: 'RabbitMQ', kind: 'exchange', role: 'declared' }, 'RabbitMQ exchange');
        return;
      }
      case 'bindQueue': {
        if (!h.ctxTech.includes('amqp') || args.length < 2) return;
        const queues = h.texts(a0);
        const key = h.texts(args[2])[0] ?? '';
        for (const q of queues)
          h.add(h.vals(args[1]), node, { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${key || '#'} → ${q}` }, 'RabbitMQ exchange');
        return;
      }
      case 'consume': {
        if (h.ctxTech.includes('amqp') && args.length >= 2) h.add(h.vals(a0), node, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer' }, 'RabbitMQ queue');
        return;
      }
      case 'publish':
      case 'publishMessage':
      case 'publishJSON': {
        // new OrderCreatedPublisher(client).publish(data): the subclass names the channel (onClass).
        if (this.isPackageBaseInstance(recv, file)) return;
        if (h.ctxTech.includes('amqp') && method === 'publish' && args.length >= 3) {
          const ex = h.texts(a0);
          const keys = h.texts(args[1]);
          if (ex.length === 1 && ex[0] === '') h.add(h.vals(args[1]), node, { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
          else
            h.add(
              h.vals(a0),
              node,
              { tech: 'RabbitMQ', kind: 'exchange', role: 'producer', message: keys.length === 1 ? keys[0] : undefined },
              'RabbitMQ exchange',
            );
          return;
        }
        // SDK v2 / aggregated v3 SNS client: sns.publish({ TopicArn }).
        for (const o of h.obj(a0)) {
          if (prop(o.node, 'TopicArn')) {
            this.snsPublish(a0, node, h);
            return;
          }
        }
        // NestJS CQRS: eventBus.publish(new OrderPlacedEvent(...)).
        if (/eventBus/i.test(recvText) && a0 && ts.isNewExpression(unwrapAwait(a0))) {
          const cls = (unwrapAwait(a0) as ts.NewExpression).expression;
          h.add(
            [{ text: cls.getText(node.getSourceFile()), via: [] }],
            node,
            { tech: 'NestJS CQRS EventBus', kind: 'event', role: 'producer', inProcess: true },
            'event',
          );
          return;
        }
        this.pubsubLike(node, method, recvText, a0, file, h, 'producer');
        return;
      }
      case 'request':
      case 'psubscribe': {
        if (a0) this.pubsubLike(node, method, recvText, a0, file, h, method === 'request' ? 'producer' : 'consumer');
        return;
      }
      case 'xadd': {
        if (h.ctxTech.includes('redis')) h.add(h.vals(a0), node, { tech: 'Redis Streams', kind: 'stream', role: 'producer' }, 'Redis stream');
        return;
      }
      case 'xreadgroup':
      case 'xread': {
        if (!h.ctxTech.includes('redis')) return;
        const i = args.findIndex((a) => ts.isStringLiteral(a) && a.text.toUpperCase() === 'STREAMS');
        if (i >= 0 && args[i + 1]) h.add(h.vals(args[i + 1]), node, { tech: 'Redis Streams', kind: 'stream', role: 'consumer' }, 'Redis stream');
        return;
      }
      case 'registerQueue':
      case 'registerQueueAsync':
      case 'registerFlowProducer': {
        if (!/BullModule/.test(recvText)) return;
        const tech = BULL_PACKAGES[h.fromPkg('BullModule')?.spec ?? ''] ?? h.fileTech();
        for (const a of args) for (const o of h.obj(a)) h.add(h.objVals(o, 'name'), a, { tech, kind: 'queue', role: 'declared' }, 'queue name');
        return;
      }
      case 'createSubscription': {
        // pubsub.createSubscription(topic, name) / pubsub.topic(t).createSubscription(name)
        if (!h.ctxTech.includes('pubsub')) return;
        const topicCall = unwrapAwait(recv);
        if (ts.isCallExpression(topicCall) && ts.isPropertyAccessExpression(topicCall.expression) && topicCall.expression.name.text === 'topic') {
          const t = h.texts(topicCall.arguments[0])[0];
          for (const s of h.texts(a0)) if (t) h.facts.subscriptions.set(s, t);
        } else {
          const t = h.texts(a0)[0];
          for (const s of h.texts(args[1])) if (t) h.facts.subscriptions.set(s, t);
        }
        return;
      }
      default:
        return;
    }
  }

  private onClass(node: ts.ClassDeclaration, file: string, h: Helpers): void {
    this.baseClassChannel(node, file, h);
    for (const d of decoratorsOf(node)) {
      if (d.name !== 'Processor') continue;
      const spec = h.fromPkg('Processor')?.spec ?? '';
      if (!BULL_PACKAGES[spec]) continue;
      const tech = BULL_PACKAGES[spec]!;
      const a0 = d.args[0];
      const names = a0 && h.obj(a0).length ? h.obj(a0).flatMap((o) => h.objVals(o, 'name')) : h.vals(a0);
      h.add(names, d.node, { tech, kind: 'queue', role: 'consumer' }, 'processor queue name');
      // Job names: @Process('name') methods (Bull) and `process(job)` switching on job.name (WorkerHost).
      const jobs: string[] = [];
      for (const m of node.members) {
        if (!ts.isMethodDeclaration(m)) continue;
        for (const md of decoratorsOf(m)) {
          if (md.name !== 'Process') continue;
          const arg = md.args[0];
          const o = arg ? h.obj(arg) : [];
          const j = o.length ? o.flatMap((x) => h.objVals(x, 'name')).flatMap((v) => (v.text ? [v.text] : [])) : h.texts(arg);
          jobs.push(...j);
        }
        if (propName(m.name) === 'process') jobs.push(...h.bullJobNames(m));
      }
      for (const j of jobs) h.add(names, d.node, { tech, kind: 'queue', role: 'consumer', message: j }, 'processor queue name');
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
  private baseClassChannel(node: ts.ClassDeclaration, file: string, h: Helpers): void {
    const role = this.packageBaseRole(node, file);
    if (!role || !node.name) return;
    const base = node.heritageClauses!.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)!.types[0]!.expression as ts.Identifier;
    const family = FAMILY_TECH.find(([k]) => h.ctxTech.includes(k));
    if (!family) return;
    const field = node.members.find((m) => ts.isPropertyDeclaration(m) && m.initializer && CHANNEL_FIELDS.has(propName(m.name) ?? '')) as
      | ts.PropertyDeclaration
      | undefined;
    if (!field) return;
    const name = node.name.text;
    const vals = h.vals(field.initializer);
    if (vals.length === 0) return;
    const used = this.r.callsTo(name).some((c) => ts.isNewExpression(c.node));
    h.add(vals, field, { tech: family[1], kind: family[2], role: used ? role : 'declared' }, `${family[1]} ${family[2]} named by a ${base.text} subclass`);
  }

  /** The role a class inherits from a Publisher/Listener-like base class of a package outside the repository. */
  private packageBaseRole(node: ts.ClassLikeDeclaration, file: string): Role | undefined {
    const base = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base || !ts.isIdentifier(base)) return undefined;
    const role = BASE_ROLE.find(([re]) => re.test(base.text))?.[1];
    return role && this.r.externals(base, file).length > 0 ? role : undefined;
  }

  /** `new OrderCreatedPublisher(client)`: an instance of such a subclass (its channel is read from the class). */
  private isPackageBaseInstance(recv: ts.Expression, file: string): boolean {
    return this.r.deref(recv, file).some((ref) => {
      if (!ts.isNewExpression(ref.node) || !ts.isIdentifier(ref.node.expression)) return false;
      const cls = this.r.lookup(ref.node.expression, ref.file);
      return !!cls && ts.isClassDeclaration(cls.node) && this.packageBaseRole(cls.node, cls.file) !== undefined;
    });
  }

  private patternValues(a: ts.Expression | undefined, file: string, h: Helpers): Val[] {
    if (!a) return [];
    const u = unwrapAwait(a);
    if (ts.isObjectLiteralExpression(u)) {
      // { cmd: 'sum' } → cmd:sum
      const parts: string[] = [];
      for (const p of u.properties) {
        if (!ts.isPropertyAssignment(p)) return [];
        const v = h.texts(p.initializer);
        if (v.length !== 1) return [];
        parts.push(`${propName(p.name)}:${v[0]}`);
      }
      return [{ text: parts.join(','), via: [] }];
    }
    if (ts.isArrayLiteralExpression(u)) return u.elements.flatMap((e) => this.r.values(e, file));
    return h.vals(a);
  }

  /** ClientProxy/ClientKafka `.emit(pattern)` / `.send(pattern)`; true when the receiver is one. */
  private nestClient(
    node: ts.CallExpression | ts.NewExpression,
    recv: ts.Expression,
    a0: ts.Expression | undefined,
    file: string,
    h: Helpers,
    role: Role,
    request = false,
  ): boolean {
    if (!a0) return false;
    const refs = this.r.deref(recv, file);
    const isClient = refs.some((r) => {
      const n = r.node;
      if (!(ts.isParameter(n) || ts.isPropertyDeclaration(n))) return false;
      const t = n.type?.getText();
      return (t !== undefined && CLIENT_TYPES.test(t)) || decoratorsOf(n).some((d) => d.name === 'Client');
    });
    if (!isClient) return false;
    const transports = this.transports(file);
    const t = refs.map((r) => (r.node as ts.ParameterDeclaration).type?.getText() ?? '').join(' ');
    // `.send()` waits for a reply and a brokerless `.emit()` is a direct call: neither is a message.
    if (!/ClientKafka|ClientRMQ/.test(t) && isNestCall(transports, request)) return true;
    const tech = /ClientKafka/.test(t)
      ? 'Kafka'
      : /ClientRMQ/.test(t)
        ? 'RabbitMQ'
        : /ClientNats/.test(t)
          ? 'NATS'
          : transports.length === 1
            ? (NEST_TRANSPORT_TECH[transports[0]!] ?? 'NestJS microservices')
            : 'NestJS microservices';
    h.add(this.patternValues(a0, file, h), node, { tech, kind: tech === 'Kafka' ? 'topic' : 'pattern', role }, 'message pattern');
    return true;
  }

  /** Node EventEmitter / EventEmitter2 buses: named events only, reserved names never. */
  private eventCall(
    node: ts.CallExpression | ts.NewExpression,
    recv: ts.Expression,
    a0: ts.Expression | undefined,
    file: string,
    h: Helpers,
    role: Role,
  ): void {
    if (!a0) return;
    const names = h.texts(a0).filter((n) => !RESERVED_EVENTS.has(n) && n.length > 1);
    if (names.length === 0) return;
    const refs = this.r.deref(recv, file);
    const typed = refs.map((r) => ((ts.isParameter(r.node) || ts.isPropertyDeclaration(r.node)) && r.node.type ? r.node.type.getText() : '')).join(' ');
    let tech: string | undefined;
    if (/EventEmitter2/.test(typed)) tech = 'EventEmitter2';
    else if (/\bEventEmitter\b/.test(typed)) tech = 'EventEmitter';
    else if (refs.some((r) => ts.isNewExpression(r.node) && /^(EventEmitter|EventEmitter2)$/.test(r.node.expression.getText())))
      tech = refs.some((r) => /EventEmitter2/.test(r.node.getText())) ? 'EventEmitter2' : 'EventEmitter';
    else if (recv.kind === ts.SyntaxKind.ThisKeyword) {
      let cls: ts.Node | undefined = recv.parent;
      while (cls && !ts.isClassLike(cls)) cls = cls.parent;
      const ext = cls && (cls as ts.ClassLikeDeclaration).heritageClauses?.[0]?.types[0]?.expression.getText();
      if (ext && /^(EventEmitter|EventEmitter2)$/.test(ext)) tech = ext;
    } else if (/(^|\.)(eventEmitter|emitter|eventBus|bus|events)$/i.test(recv.getText())) tech = 'EventEmitter';
    if (!tech) return;
    h.add(
      names.map((text) => ({ text, via: [] })),
      node,
      { tech, kind: 'event', role, inProcess: true },
      'event name',
    );
  }

  /** publish/subscribe/request with a channel string: Google Pub/Sub, NATS or Redis, by context. */
  private pubsubLike(
    node: ts.CallExpression | ts.NewExpression,
    method: string,
    recvText: string,
    a0: ts.Expression | undefined,
    file: string,
    h: Helpers,
    role: Role,
  ): void {
    const recv = (node.expression as ts.PropertyAccessExpression).expression;
    // Google Pub/Sub: pubsub.topic(X).publishMessage(...), topic.publish(...), subscription(Y).on('message').
    if (h.ctxTech.includes('pubsub')) {
      for (const ref of this.r.deref(recv, file)) {
        const n = ref.node;
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'topic') {
          this.pubsubAdd(this.r.values(n.arguments[0] ?? n, ref.file), node, 'producer', h);
          return;
        }
      }
    }
    if (!a0 || method === 'publishMessage' || method === 'publishJSON') return;
    const nats = h.ctxTech.includes('nats');
    const redis = h.ctxTech.includes('redis');
    let tech: string | undefined;
    if (nats && (!redis || /\b(nc|nats|natsConnection|js|jetstream)\b/i.test(recvText))) tech = 'NATS';
    else if (redis && this.looksLikeRedis(recv, recvText, file)) tech = 'Redis pub/sub';
    if (!tech) return;
    if (method === 'psubscribe' && tech !== 'Redis pub/sub') return;
    h.add(h.vals(a0), node, { tech, kind: tech === 'NATS' ? 'subject' : 'channel', role }, `${tech} channel`);
  }

  /** subscription(Y).on('message') / topic(X).subscription(Y).on('message'): a Pub/Sub consumer. */
  private pubsubSubscription(node: ts.CallExpression | ts.NewExpression, recv: ts.Expression, file: string, h: Helpers): boolean {
    for (const ref of this.r.deref(recv, file)) {
      const n = ref.node;
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.name.text !== 'subscription') continue;
      const parent = unwrapAwait(n.expression.expression);
      if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'topic') {
        this.pubsubAdd(this.r.values(parent.arguments[0] ?? parent, ref.file), node, 'consumer', h);
      } else {
        h.add(this.r.values(n.arguments[0] ?? n, ref.file), node, { tech: 'Google Pub/Sub', kind: 'subscription', role: 'consumer' }, 'Pub/Sub subscription');
      }
      return true;
    }
    return false;
  }

  /**
   * A Redis client, not a GraphQL `PubSub` (whose publish/subscribe look the same): named after
   * Redis, or built by `new Redis()` / `createClient()` / `.duplicate()`, or typed as a Redis client.
   */
  private looksLikeRedis(recv: ts.Expression, recvText: string, file: string): boolean {
    const refs = this.r.deref(recv, file);
    const graphql = refs.some((r) => {
      const n = r.node;
      const t = (ts.isParameter(n) || ts.isPropertyDeclaration(n)) && n.type ? n.type.getText() : ts.isNewExpression(n) ? n.expression.getText() : '';
      return /PubSub/.test(t);
    });
    if (graphql) return false;
    if (/redis/i.test(recvText)) return true;
    for (const ref of refs) {
      const n = ref.node;
      if ((ts.isParameter(n) || ts.isPropertyDeclaration(n)) && n.type && /Redis/.test(n.type.getText())) return true;
      if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && /Redis|createClient|duplicate/.test(n.expression.getText())) return true;
    }
    return false;
  }

  private pubsubAdd(vals: Val[], node: ts.Node, role: Role, h: Helpers): void {
    h.add(vals, node, { tech: 'Google Pub/Sub', kind: 'topic', role }, 'Pub/Sub topic');
  }

  /** SDK v2 / aggregated v3 SNS client: `sns.publish({ TopicArn })` (commands and the other AWS calls are read from the index: rules.ts). */
  private snsPublish(a0: ts.Expression | undefined, node: ts.Node, h: Helpers): void {
    for (const o of h.obj(a0)) {
      const arn = h.objVals(o, 'TopicArn');
      const subject = h.objVals(o, 'Subject').find((v) => v.text)?.text;
      h.add(
        arn.map((v) => arnOrUrl(v)),
        node,
        { tech: 'Amazon SNS', kind: 'topic', role: 'producer', message: subject },
        'SNS topic ARN',
      );
    }
  }

  /** Object literals in an array expression (resolved through constants). */
  arrayObjects(e: ts.Expression | undefined, file: string): Ref[] {
    if (!e) return [];
    return this.r.elements(e, file).filter((r) => ts.isObjectLiteralExpression(r.node));
  }
}

interface Helpers {
  add: (vals: Val[], node: ts.Node, base: Omit<Site, 'channel' | 'at' | 'via'>, what: string) => void;
  vals: (e: ts.Node | undefined, f?: string) => Val[];
  texts: (e: ts.Node | undefined) => string[];
  obj: (e: ts.Node | undefined, f?: string) => Ref[];
  objVals: (o: Ref, key: string) => Val[];
  handles: (recv: ts.Expression) => { kind: 'queue' | 'flow'; tech: string; names: Val[] }[];
  fromPkg: (name: string) => { spec: string; name: string } | undefined;
  fileTech: () => string;
  bullJobNames: (fn: ts.Node | undefined) => string[];
  ctxTech: TechContext;
  facts: FileFacts;
  line: (n: ts.Node) => number;
}

/**
 * The expression that names a channel, as a label for an edge whose name is unknown: property
 * chains and identifiers only (`this.config.queue`, `replay.queueName`, `Subjects.OrderCreated`),
 * `this.` dropped; calls, literals and anything long are no label.
 */
export function labelOf(e: ts.Node): string | undefined {
  const u = unwrapAwait(e);
  const parts: string[] = [];
  let n: ts.Node = u;
  for (let i = 0; i < 6; i++) {
    if (ts.isPropertyAccessExpression(n)) {
      parts.unshift(n.name.text);
      n = unwrapAwait(n.expression);
    } else if (ts.isIdentifier(n)) {
      parts.unshift(n.text);
      break;
    } else if (n.kind === ts.SyntaxKind.ThisKeyword) break;
    else return undefined;
  }
  // A bare name (`queue`, `this.topic`) says nothing a reader can follow: no label.
  if (parts.length < 2 || (!ts.isIdentifier(n) && n.kind !== ts.SyntaxKind.ThisKeyword)) return undefined;
  const label = parts.join('.');
  return label.length <= 80 ? label : undefined;
}

/**
 * Job names a BullMQ processor handles: `switch (job.name) { case 'x': }`, `job.name === 'x'`, and
 * handler maps `{ [JobName.X]: handle }` indexed by `job.name`.
 */
export function jobNames(fn: ts.Node, r: Resolver, file: string): string[] {
  const out: string[] = [];
  const isJobName = (e: ts.Expression) => {
    const u = unwrapAwait(e);
    return ts.isPropertyAccessExpression(u) && u.name.text === 'name';
  };
  const visit = (n: ts.Node): void => {
    if (ts.isSwitchStatement(n) && isJobName(n.expression)) {
      for (const c of n.caseBlock.clauses) if (ts.isCaseClause(c)) out.push(...r.values(c.expression, file).flatMap((v) => (v.text ? [v.text] : [])));
    } else if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
    ) {
      const other = isJobName(n.left) ? n.right : isJobName(n.right) ? n.left : undefined;
      if (other) out.push(...r.values(other, file).flatMap((v) => (v.text ? [v.text] : [])));
    }
    ts.forEachChild(n, visit);
  };
  // A processor passed by reference: follow it to its function.
  let target: ts.Node = fn;
  const u = unwrapAwait(fn);
  if (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) {
    const refs = r.deref(u, file);
    const f = refs.find(
      (x) => ts.isFunctionDeclaration(x.node) || ts.isArrowFunction(x.node) || ts.isFunctionExpression(x.node) || ts.isMethodDeclaration(x.node),
    );
    if (!f || f.file !== file) return [];
    target = f.node;
  }
  visit(target);
  return [...new Set(out)];
}
