/**
 * Messaging rules written on the engine: they read a script's plain-data index
 * (src/analysis/index-file.ts) and resolve names with `ChannelNames` over the run's indexes, so
 * they need no syntax tree. Today: the decorators of NestJS microservices (`@MessagePattern`,
 * `@EventPattern`), @nestjs/event-emitter (`@OnEvent`) and @golevelup/nestjs-rabbitmq
 * (`@RabbitSubscribe`, `@RabbitRPC`), NestJS CQRS (`@EventsHandler`); kafkajs `send`, `sendBatch` and `subscribe`; AWS SDK v3 commands for SQS, SNS, EventBridge and Kinesis,
 * SDK v2 `sendMessage`/`receiveMessage`/`deleteMessage`/`putEvents`, and sqs-consumer /
 * sqs-producer `create`. The other technologies are read by the subclass in detect.ts.
 */
import { propOf, refText, type CallSite, type Deco, type FileIndex, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { FileFacts, Role } from './detect.js';
import { addSites, arnOrUrl, isNestCall, NEST_TRANSPORT_TECH, SQS_CONSUME, SQS_PRODUCE } from './sites.js';
import { labelOfValue, type ChannelNames } from './names.js';
import type { Val } from './values.js';
import { eventAttributes, snsAttributes } from './topology.js';
import type { NestRmq } from './nest-rmq.js';

export class IndexRules {
  constructor(
    protected readonly names: ChannelNames,
    protected readonly resolveImport: (from: string, specifier: string) => string | undefined,
    /** Transports each component configures for NestJS microservices (KAFKA, RMQ…). */
    protected readonly transports: (file: string) => string[],
    /** NestJS over RabbitMQ: the queues microservices listen on and clients are registered for. */
    protected readonly rmq?: NestRmq,
  ) {}

  /** Values of a channel-name value; when none is known, the expression itself (as a label). */
  protected vals(scope: Scope, v: Value | undefined): Val[] {
    const out = this.names.values(scope, v);
    if (out.some((x) => x.text !== undefined || x.env !== undefined)) return out;
    const label = labelOfValue(this.names.ev, scope, v);
    return label ? [{ expr: label, via: [] }] : out;
  }

  protected texts(scope: Scope, v: Value | undefined): string[] {
    return this.names.values(scope, v).flatMap((x) => (x.text !== undefined ? [x.text] : []));
  }

  /** Every site the rules find in one script. */
  detect(file: string, idx: FileIndex, facts: FileFacts): void {
    for (const cls of idx.classes.values()) {
      // NestJS CQRS: @EventsHandler(OrderPlacedEvent) handles the event class it names.
      for (const d of cls.decorators) {
        if (d.name !== 'EventsHandler') continue;
        for (const a of d.args) {
          const text = refText(a);
          if (text)
            addSites(facts, file, d.line, [{ text, via: [] }], { tech: 'NestJS CQRS EventBus', kind: 'event', role: 'consumer', inProcess: true }, 'event');
        }
      }
    }
    for (const fn of idx.functions.values()) {
      if (fn.cls && fn.decorators.length > 0) for (const d of fn.decorators) this.onMethodDecorator(file, idx, d, facts);
      for (const call of [...fn.calls, ...(fn.chained ?? [])]) {
        for (const c of chainCalls(call)) {
          this.onAwsCall(file, idx, { file, fn }, c, facts);
          if (!c.isNew && c.names.length > 0) this.onKafkaCall({ file, fn }, c, facts);
        }
      }
    }
  }

  /** kafkajs `producer.send({ topic, messages })`, `sendBatch({ topicMessages })`, `consumer.subscribe({ topic })` / `({ topics })`. */
  private onKafkaCall(scope: Scope, call: CallSite, facts: FileFacts): void {
    const method = call.names[call.names.length - 1];
    if (method !== 'send' && method !== 'sendBatch' && method !== 'subscribe') return;
    const objs = this.names.objects(scope, call.args[0]);
    const at = (o: (typeof objs)[number], key: string) => this.names.values(o.scope, propOf(o.v, key));
    const add = (vals: Val[], role: Role, what: string) => addSites(facts, scope.file, call.line, vals, { tech: 'Kafka', kind: 'topic', role }, what);
    if (method === 'send') {
      const o = objs.find((x) => has(x.v, 'topic') && has(x.v, 'messages'));
      if (o) add(at(o, 'topic'), 'producer', 'Kafka topic');
    } else if (method === 'sendBatch') {
      for (const o of objs)
        for (const item of this.names.elements(o.scope, propOf(o.v, 'topicMessages')))
          for (const tm of this.names.objects(item.scope, item.v)) add(at(tm, 'topic'), 'producer', 'Kafka topic');
    } else {
      const o = objs.find((x) => has(x.v, 'topic') || has(x.v, 'topics'));
      if (o && has(o.v, 'topic')) add(at(o, 'topic'), 'consumer', 'Kafka topic');
      else if (o)
        add(
          this.names.elements(o.scope, propOf(o.v, 'topics')).flatMap((item) => this.names.values(item.scope, item.v)),
          'consumer',
          'Kafka topics',
        );
    }
  }

  /** An AWS SDK call or command, an sqs-consumer or sqs-producer. */
  private onAwsCall(file: string, idx: FileIndex, scope: Scope, call: CallSite, facts: FileFacts): void {
    const a0 = call.args[0];
    if (call.isNew) {
      const cmd = this.sdkCommand(idx, scope, call);
      if (cmd) this.awsCommand(cmd, scope, a0, call.line, file, facts);
      return;
    }
    const method = call.names[call.names.length - 1];
    const has = (key: string) => this.names.objects(scope, a0).some((o) => Object.hasOwn(o.v.props, key));
    if (method === 'sendMessage' || method === 'sendMessageBatch' || method === 'receiveMessage' || method === 'deleteMessage') {
      if (has('QueueUrl')) this.awsCommand(method.startsWith('send') ? 'SendMessageCommand' : 'ReceiveMessageCommand', scope, a0, call.line, file, facts);
    } else if (method === 'putEvents') {
      if (has('Entries')) this.awsCommand('PutEventsCommand', scope, a0, call.line, file, facts);
    } else if (method === 'create' && call.names.length === 1) {
      // sqs-consumer Consumer.create({ queueUrl, handleMessage }) / sqs-producer Producer.create({ queueUrl }).
      const spec = idx.imports.get(call.root)?.module;
      if (spec !== 'sqs-consumer' && spec !== 'sqs-producer') return;
      for (const o of this.names.objects(scope, a0))
        this.sqsTarget(this.names.values(o.scope, propOf(o.v, 'queueUrl')), call.line, spec === 'sqs-consumer' ? 'consumer' : 'producer', file, facts);
    }
  }

  /**
   * The AWS SDK v3 command a `new` builds (SQS, SNS, EventBridge, Kinesis): imported from the SDK,
   * or a `…Command` neither imported nor declared (a same-named class of the repository is not the SDK's).
   */
  private sdkCommand(idx: FileIndex, scope: Scope, call: CallSite): string | undefined {
    let cmd: string | undefined;
    let spec: string | undefined;
    if (call.names.length === 0) {
      const r = this.names.ev.ident(scope, call.root);
      if (r?.k === 'pkg') [cmd, spec] = [r.name, r.pkg];
      else if (!r && !declares(idx, scope, call.root)) cmd = call.root;
    } else if (call.names.length === 1) {
      const imp = idx.imports.get(call.root);
      if (imp?.name === '*' && !this.resolveImport(scope.file, imp.module)) [cmd, spec] = [call.names[0], imp.module];
    }
    if (!cmd?.endsWith('Command') || (spec !== undefined && !/^@aws-sdk\/client-(sqs|sns|eventbridge|kinesis)$/.test(spec))) return undefined;
    return SQS_PRODUCE.has(cmd) || SQS_CONSUME.has(cmd) || /^(Publish|PublishBatch|PutEvents|PutRecord|PutRecords)Command$/.test(cmd) ? cmd : undefined;
  }

  private awsCommand(cmd: string, scope: Scope, a0: Value | undefined, line: number, file: string, facts: FileFacts): void {
    const objs = this.names.objects(scope, a0);
    // An object passed in by a wrapper's caller (`sendMessage({ QueueUrl })` of `({ ...args }) => sqs.sendMessage(args)`) credits that call.
    const at = (o: (typeof objs)[number], key: string) =>
      this.names.values(o.scope, propOf(o.v, key)).map((v) => (o.via.length ? { ...v, via: [...v.via, ...o.via] } : v));
    if (SQS_PRODUCE.has(cmd) || SQS_CONSUME.has(cmd)) {
      const withUrl = objs.filter((o) => Object.hasOwn(o.v.props, 'QueueUrl'));
      for (const o of withUrl) this.sqsTarget(at(o, 'QueueUrl'), line, SQS_PRODUCE.has(cmd) ? 'producer' : 'consumer', file, facts);
      if (withUrl.length === 0 && objs.length === 0) facts.unresolved.push({ line, what: 'SQS queue URL' });
    } else if (cmd === 'PublishCommand' || cmd === 'PublishBatchCommand') {
      for (const o of objs) {
        const subject = at(o, 'Subject').find((v) => v.text)?.text;
        addSites(
          facts,
          file,
          line,
          at(o, 'TopicArn').map((v) => arnOrUrl(v)),
          { tech: 'Amazon SNS', kind: 'topic', role: 'producer', message: subject, attributes: snsAttributes(this.names, o) },
          'SNS topic ARN',
        );
      }
    } else if (cmd === 'PutEventsCommand') {
      for (const o of objs) {
        for (const item of this.names.elements(o.scope, propOf(o.v, 'Entries'))) {
          for (const entry of this.names.objects(item.scope, item.v)) {
            const bus = at(entry, 'EventBusName');
            const types = at(entry, 'DetailType').filter((v) => v.text !== undefined);
            const buses = bus.length ? bus.map((v) => arnOrUrl(v)) : [{ text: 'default', via: [] }];
            const attributes = eventAttributes(this.names, entry);
            const onBus = { tech: 'Amazon EventBridge', kind: 'event bus', role: 'producer' as const, message: types[0]?.text, attributes };
            addSites(facts, file, line, buses, onBus, 'EventBridge bus');
            // Each detail-type is an event of its own, which rules match and route: a channel too.
            if (types.length) addSites(facts, file, line, types, { tech: 'Amazon EventBridge', kind: 'event', role: 'producer' }, 'EventBridge detail-type');
          }
        }
      }
    } else {
      for (const o of objs) addSites(facts, file, line, at(o, 'StreamName'), { tech: 'Amazon Kinesis', kind: 'stream', role: 'producer' }, 'Kinesis stream');
    }
  }

  private sqsTarget(vals: Val[], line: number, role: Role, file: string, facts: FileFacts): void {
    addSites(
      facts,
      file,
      line,
      vals.map((v) => arnOrUrl(v)),
      { tech: 'Amazon SQS', kind: 'queue', role },
      'SQS queue URL',
    );
  }

  private onMethodDecorator(file: string, idx: FileIndex, d: Deco, facts: FileFacts): void {
    const spec = idx.imports.get(d.name)?.module;
    const scope: Scope = { file };
    if ((d.name === 'MessagePattern' || d.name === 'EventPattern') && spec === '@nestjs/microservices') {
      const transports = this.transports(file);
      // A call, not a message: the endpoints analyzer lists it as an rpc endpoint.
      if (isNestCall(transports)) return;
      // Over RabbitMQ the channel is the queue the microservice listens on; the pattern is its message.
      if (this.rmq?.consume(file, d, this.patternValues(scope, d.args[0]), facts)) return;
      const tech = transports.length === 1 ? (NEST_TRANSPORT_TECH[transports[0]!] ?? 'NestJS microservices') : 'NestJS microservices';
      addSites(
        facts,
        file,
        d.line,
        this.patternValues(scope, d.args[0]),
        { tech, kind: tech === 'Kafka' ? 'topic' : 'pattern', role: 'consumer' },
        'message pattern',
      );
    } else if (d.name === 'OnEvent' && spec === '@nestjs/event-emitter') {
      addSites(facts, file, d.line, this.vals(scope, d.args[0]), { tech: 'EventEmitter2', kind: 'event', role: 'consumer', inProcess: true }, 'event name');
    } else if ((d.name === 'RabbitSubscribe' || d.name === 'RabbitRPC') && spec === '@golevelup/nestjs-rabbitmq') {
      for (const o of this.names.objects(scope, d.args[0])) {
        const at = (key: string) => this.names.values(o.scope, o.v.props[key]);
        const queue = Object.hasOwn(o.v.props, 'queue') ? at('queue') : [];
        const keys = (Object.hasOwn(o.v.props, 'routingKey') ? at('routingKey') : []).flatMap((v) => (v.text ? [v.text] : []));
        const exchange = Object.hasOwn(o.v.props, 'exchange') ? at('exchange') : [];
        if (queue.length) {
          addSites(facts, file, d.line, queue, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer', message: keys[0] }, 'RabbitMQ queue');
          for (const q of queue)
            if (q.text)
              for (const k of keys.length ? keys : ['#'])
                addSites(
                  facts,
                  file,
                  d.line,
                  exchange,
                  { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${k} → ${q.text}` },
                  'RabbitMQ exchange',
                );
        } else addSites(facts, file, d.line, exchange, { tech: 'RabbitMQ', kind: 'exchange', role: 'consumer', message: keys[0] }, 'RabbitMQ exchange');
      }
    }
  }

  /** A message pattern: `{ cmd: 'sum' }` → `cmd:sum`, each item of an array, else the name's values. */
  protected patternValues(scope: Scope, a: Value | undefined): Val[] {
    if (!a) return [];
    if (a.k === 'obj') {
      // Named as the endpoints analyzer names an rpc pattern: `{ cmd: 'sum' }` by its one value, `role:auth,cmd:check` when it has several.
      const parts: string[] = [];
      const values: string[] = [];
      for (const [key, p] of Object.entries(a.props)) {
        if (p.k === 'fn') return [];
        const v = this.texts(scope, p);
        if (v.length !== 1) return [];
        parts.push(`${key}:${v[0]}`);
        values.push(v[0]!);
      }
      return [{ text: values.length === 1 ? values[0]! : parts.join(','), via: [] }];
    }
    if (a.k === 'arr') return a.items.flatMap((e) => this.names.values(scope, e));
    return this.vals(scope, a);
  }
}

/** Whether a name is declared where it is read: a local or parameter of the functions around, a module value, function, class or import. */
function declares(idx: FileIndex, scope: Scope, name: string): boolean {
  for (let f = scope.fn; f; f = f.parent ? idx.functions.get(f.parent) : undefined) if (f.locals.has(name) || f.paramNames.includes(name)) return true;
  return idx.vars.has(name) || idx.functions.has(`${idx.file}#${name}`) || idx.classes.has(name) || idx.imports.has(name);
}

/** A call and the calls inside its callee chain (`sqs.sendMessage(p).promise()` holds `sqs.sendMessage(p)`), innermost first. */
export function chainCalls(call: CallSite): CallSite[] {
  const out: CallSite[] = [];
  let inner = 0;
  call.names.forEach((n, i) => {
    if (n === '()')
      out.push({
        line: call.line,
        root: call.root,
        names: call.names.slice(0, i),
        isNew: false,
        args: call.innerArgs[inner] ?? [],
        innerArgs: call.innerArgs.slice(0, inner++),
      });
  });
  out.push(call);
  return out;
}

/** Whether an object literal has a property (a method is none). */
function has(o: Extract<Value, { k: 'obj' }>, key: string): boolean {
  return Object.hasOwn(o.props, key) && o.props[key]!.k !== 'fn';
}
