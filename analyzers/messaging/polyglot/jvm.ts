/**
 * Messaging in Java and Kotlin (Spring), on the polyglot index: listener annotations
 * (`@RabbitListener(queues)`, `@KafkaListener(topics)`, `@JmsListener(destination)`,
 * `@SqsListener`) consume; `RabbitTemplate`/`AmqpTemplate.convertAndSend(exchange, key, …)`,
 * `KafkaTemplate.send(topic, …)`, `JmsTemplate.convertAndSend(destination, …)` and
 * `SqsTemplate.send(queue, …)` produce; `new Queue(name)`, `QueueBuilder.durable(name)`, the
 * exchange classes and builders, Kafka's `NewTopic`/`TopicBuilder` declare, and
 * `BindingBuilder.bind(queue).to(exchange).with(key)` binds a declared queue to a declared exchange
 * (the bean methods named, or the only one of its kind in the file). A template is recognised by the
 * type its field or parameter is declared with in the same file. Requests of the AWS SDK for Java
 * (`PutEventsRequestEntry`, `PublishRequest`, `SendMessageRequest`, built or made) produce.
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Site } from '../detect.js';
import { arnOrUrl } from '../sites.js';
import type { Val } from '../values.js';
import type { Collected } from './collect.js';
import { last, type Place, placeOf, type PolyNames } from './names.js';

type Base = Omit<Site, 'channel' | 'at' | 'via'>;

const LISTENERS: Record<string, { keys: string[]; base: Base; what: string }> = {
  RabbitListener: { keys: ['queues'], base: { tech: 'RabbitMQ', kind: 'queue', role: 'consumer' }, what: 'RabbitMQ queue' },
  KafkaListener: { keys: ['topics'], base: { tech: 'Kafka', kind: 'topic', role: 'consumer' }, what: 'Kafka topic' },
  JmsListener: { keys: ['destination'], base: { tech: 'JMS', kind: 'queue', role: 'consumer' }, what: 'JMS destination' },
  SqsListener: { keys: ['value', 'queueNames'], base: { tech: 'Amazon SQS', kind: 'queue', role: 'consumer' }, what: 'SQS queue' },
};

const TEMPLATES = [
  'RabbitTemplate',
  'AmqpTemplate',
  'RabbitOperations',
  'KafkaTemplate',
  'KafkaOperations',
  'JmsTemplate',
  'JmsOperations',
  'SqsTemplate',
  'SqsOperations',
];

function isIdChar(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '$');
}

/**
 * Names declared with one of `types` in a file's text: Java `RabbitTemplate template`,
 * `KafkaTemplate<String, Event> kafka`; Kotlin `template: RabbitTemplate`. Plain scanning, bounded.
 */
export function typedNames(text: string, types: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const type of types) {
    for (let at = text.indexOf(type); at >= 0; at = text.indexOf(type, at + type.length)) {
      if (isIdChar(text[at - 1]) || isIdChar(text[at + type.length])) continue;
      // Java: the type, its generic arguments, then the name.
      let j = at + type.length;
      if (text[j] === '<') {
        let depth = 0;
        for (const end = Math.min(text.length, j + 300); j < end; j++) {
          if (text[j] === '<') depth++;
          else if (text[j] === '>' && --depth === 0) break;
        }
        j++;
      }
      while (text[j] === ' ' || text[j] === '\t') j++;
      let k = j;
      while (isIdChar(text[k])) k++;
      if (k > j) {
        out.set(text.slice(j, k), type);
        continue;
      }
      // Kotlin: `name: Type`.
      let b = at - 1;
      while (text[b] === ' ' || text[b] === '\t') b--;
      if (text[b] !== ':') continue;
      b--;
      while (text[b] === ' ' || text[b] === '\t') b--;
      const e = b + 1;
      while (isIdChar(text[b])) b--;
      if (e > b + 1) out.set(text.slice(b + 1, e), type);
    }
  }
  return out;
}

interface Bean {
  kind: 'queue' | 'exchange' | 'topic';
  vals: Val[];
  fanout?: boolean;
  call: PCall;
}

const EXCHANGES = new Set(['FanoutExchange', 'TopicExchange', 'DirectExchange', 'HeadersExchange', 'CustomExchange']);
const EXCHANGE_BUILDERS = new Set(['topicExchange', 'fanoutExchange', 'directExchange', 'headersExchange']);

export function jvmMessaging(names: PolyNames, indexes: readonly PolyglotIndex[], read: (file: string) => string | undefined, out: Collected): void {
  for (const ix of indexes) {
    const text = read(ix.file) ?? '';
    listeners(names, ix, out);
    templates(names, ix, typedNames(text, TEMPLATES), out);
    declarations(names, ix, text, out);
    if (text.includes('software.amazon.awssdk') || text.includes('com.amazonaws')) awsRequests(names, ix, out);
  }
}

function listeners(names: PolyNames, ix: PolyglotIndex, out: Collected): void {
  for (const a of ix.annotations) {
    const rule = LISTENERS[last(a.name)];
    if (!rule) continue;
    const owner = a.owner ?? (a.target?.kind === 'class' ? a.target.name : undefined);
    const at: Place = { file: ix.file, line: a.line, ...(owner ? { owner } : {}) };
    const v =
      rule.keys.map((k) => a.kw.find((x) => x.name === k)?.value).find((x) => x !== undefined) ?? (rule.base.tech === 'Amazon SQS' ? a.args[0] : undefined);
    if (!v) continue;
    let vals = names.vals(at, v);
    if (rule.base.tech === 'Amazon SQS') vals = vals.map(arnOrUrl);
    out.add(ix.file, a.line, vals, rule.base, rule.what);
  }
}

function templates(names: PolyNames, ix: PolyglotIndex, typed: Map<string, string>, out: Collected): void {
  if (!typed.size) return;
  for (const c of ix.calls) {
    const recv = c.callee.length >= 2 ? c.callee[c.callee.length - 2]! : undefined;
    const type = recv ? typed.get(recv) : undefined;
    if (!type) continue;
    const method = last(c.callee);
    const at = placeOf(ix.file, c);
    if (type.startsWith('Rabbit') || type.startsWith('Amqp')) {
      if (!['convertAndSend', 'send', 'convertSendAndReceive', 'sendAndReceive', 'convertSendAndReceiveAsType'].includes(method)) continue;
      if (c.args.length === 2) {
        // The default exchange: the routing key is the queue.
        out.add(ix.file, c.line, names.vals(at, c.args[0]), { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
      } else if (c.args.length >= 3) {
        const ex = names.str(at, c.args[0]);
        const key = names.str(at, c.args[1]);
        if (ex === '') out.add(ix.file, c.line, names.vals(at, c.args[1]), { tech: 'RabbitMQ', kind: 'queue', role: 'producer' }, 'RabbitMQ queue');
        else
          out.add(
            ix.file,
            c.line,
            names.vals(at, c.args[0]),
            { tech: 'RabbitMQ', kind: 'exchange', role: 'producer', ...(key ? { message: key } : {}) },
            'RabbitMQ exchange',
          );
      }
    } else if (type.startsWith('Kafka')) {
      if (method !== 'send' || !c.args.length) continue;
      let topic: PValue | undefined = c.args[0];
      let where = at;
      if (topic?.k === 'call') {
        // `send(new ProducerRecord<>(topic, key, value))`.
        const rec = ix.calls[topic.call];
        topic = rec && last(rec.callee) === 'ProducerRecord' ? rec.args[0] : undefined;
        if (rec) where = placeOf(ix.file, rec);
      } else if (topic?.k === 'other' && topic.text.startsWith('newProducerRecord<')) {
        // `new ProducerRecord<>(…)`: the index reads no generic call; its first argument from the text.
        topic = firstArgument(topic.text);
      } else if (c.args.length < 2) continue;
      out.add(ix.file, c.line, names.vals(where, topic), { tech: 'Kafka', kind: 'topic', role: 'producer' }, 'Kafka topic');
    } else if (type.startsWith('Jms')) {
      if ((method === 'convertAndSend' || method === 'send') && c.args.length >= 2)
        out.add(ix.file, c.line, names.vals(at, c.args[0]), { tech: 'JMS', kind: 'queue', role: 'producer' }, 'JMS destination');
    } else if (type.startsWith('Sqs')) {
      if ((method === 'send' || method === 'sendAsync') && c.args.length >= 2)
        out.add(ix.file, c.line, names.vals(at, c.args[0]).map(arnOrUrl), { tech: 'Amazon SQS', kind: 'queue', role: 'producer' }, 'SQS queue');
    }
  }
}

/**
 * Requests of the AWS SDK for Java, built (v2: `PutEventsRequestEntry.builder().detailType("X")
 * .eventBusName(bus)`, `PublishRequest.builder().topicArn(arn)`, `SendMessageRequest.builder()
 * .queueUrl(url)`) or made (v1: `new PutEventsRequestEntry().withDetailType("X")`): the setter on a
 * chain that starts at the request's class names the channel. Receiving is the listener's (`@SqsListener`).
 */
const AWS_REQUESTS: Record<string, { setters: Record<string, { base: Base; what: string; address?: boolean }> }> = {
  PutEventsRequestEntry: {
    setters: {
      detailType: { base: { tech: 'Amazon EventBridge', kind: 'event', role: 'producer' }, what: 'EventBridge detail-type' },
      eventBusName: { base: { tech: 'Amazon EventBridge', kind: 'event bus', role: 'producer' }, what: 'EventBridge bus', address: true },
    },
  },
  PublishRequest: { setters: { topicArn: { base: { tech: 'Amazon SNS', kind: 'topic', role: 'producer' }, what: 'SNS topic ARN', address: true } } },
  SendMessageRequest: { setters: { queueUrl: { base: { tech: 'Amazon SQS', kind: 'queue', role: 'producer' }, what: 'SQS queue URL', address: true } } },
  SendMessageBatchRequest: { setters: { queueUrl: { base: { tech: 'Amazon SQS', kind: 'queue', role: 'producer' }, what: 'SQS queue URL', address: true } } },
};

function awsRequests(names: PolyNames, ix: PolyglotIndex, out: Collected): void {
  // Each chain's calls, by its first call: `PutEventsRequestEntry.builder()` or `new PutEventsRequestEntry()`.
  const chains = new Map<PCall, PCall[]>();
  for (const c of ix.calls) {
    if (c.args.length !== 1 || c.receiver === undefined) continue;
    let root: PCall = c;
    for (let steps = 0; root.receiver !== undefined && steps < 64; steps++) root = ix.calls[root.receiver]!;
    const list = chains.get(root);
    if (list) list.push(c);
    else chains.set(root, [c]);
  }
  const setterOf = (c: PCall) => {
    const method = last(c.callee);
    return method.startsWith('with') ? method.charAt(4).toLowerCase() + method.slice(5) : method;
  };
  for (const [root, calls] of chains) {
    const cls = root.isNew ? last(root.callee) : root.callee.length === 2 && root.callee[1] === 'builder' ? root.callee[0]! : undefined;
    const setters = cls === undefined ? undefined : AWS_REQUESTS[cls]?.setters;
    if (!setters) continue;
    // An EventBridge entry's detail-type and source, as a rule's pattern matches them (topology.ts).
    const attributes: string[] = [];
    for (const c of calls) {
      const name = setterOf(c) === 'detailType' ? 'detail-type' : setterOf(c) === 'source' ? 'source' : undefined;
      const value = name ? names.str(placeOf(ix.file, c), c.args[0]) : undefined;
      // '' is a placeholder set before the code fills it in.
      if (name && value) attributes.push(`${name}=${value}`);
    }
    for (const c of calls) {
      const rule = setters[setterOf(c)];
      if (!rule) continue;
      const vals = names.vals(placeOf(ix.file, c), c.args[0]);
      const base = cls === 'PutEventsRequestEntry' && attributes.length ? { ...rule.base, attributes: [...attributes].sort() } : rule.base;
      out.add(ix.file, c.line, rule.address ? vals.map(arnOrUrl) : vals, base, rule.what);
    }
  }
}

/** The first argument of a call written as text (`newProducerRecord<>("audit",v)`): a string literal or a dotted name. */
function firstArgument(text: string): PValue | undefined {
  const open = text.indexOf('(');
  if (open < 0) return undefined;
  let end = open + 1;
  if (text[end] === '"') {
    const close = text.indexOf('"', end + 1);
    return close > end && text[close - 1] !== '\\' ? { k: 'str', v: text.slice(end + 1, close) } : undefined;
  }
  while (end < text.length && (isIdChar(text[end]) || text[end] === '.')) end++;
  const name = text.slice(open + 1, end);
  return name && (text[end] === ',' || text[end] === ')') ? { k: 'name', path: name.split('.') } : undefined;
}

/** Declared queues, exchanges and topics (Spring AMQP and Spring Kafka beans), and the bindings between them. */
function declarations(names: PolyNames, ix: PolyglotIndex, text: string, out: Collected): void {
  const amqp = text.includes('org.springframework.amqp');
  const kafka = text.includes('org.springframework.kafka') || text.includes('org.apache.kafka');
  if (!amqp && !kafka) return;
  const beans: Bean[] = [];
  for (const c of ix.calls) {
    const n = last(c.callee);
    const at = placeOf(ix.file, c);
    let bean: Bean | undefined;
    if (amqp && c.isNew && n === 'Queue') bean = { kind: 'queue', vals: names.vals(at, c.args[0]), call: c };
    else if (amqp && c.callee[0] === 'QueueBuilder' && (n === 'durable' || n === 'nonDurable') && c.args.length)
      bean = { kind: 'queue', vals: names.vals(at, c.args[0]), call: c };
    else if (amqp && ((c.isNew && EXCHANGES.has(n)) || (c.callee[0] === 'ExchangeBuilder' && EXCHANGE_BUILDERS.has(n))))
      bean = { kind: 'exchange', vals: names.vals(at, c.args[0]), call: c, ...(n.startsWith('Fanout') || n === 'fanoutExchange' ? { fanout: true } : {}) };
    else if (kafka && ((c.isNew && n === 'NewTopic') || (c.callee[0] === 'TopicBuilder' && n === 'name')))
      bean = { kind: 'topic', vals: names.vals(at, c.args[0]), call: c };
    if (!bean) continue;
    beans.push(bean);
    const base: Base =
      bean.kind === 'topic'
        ? { tech: 'Kafka', kind: 'topic', role: 'declared' }
        : { tech: 'RabbitMQ', kind: bean.kind, role: 'declared', ...(bean.fanout ? { fanout: true } : {}) };
    out.add(ix.file, c.line, bean.vals, base, bean.kind === 'topic' ? 'Kafka topic' : `RabbitMQ ${bean.kind}`);
  }
  if (!amqp) return;
  /** The bean a binding's argument names: a bean method called or named (Spring injects by name), a local, else the file's only one of its kind. */
  const beanFor = (v: PValue | undefined, kind: Bean['kind']): Bean | undefined => {
    const ofKind = beans.filter((b) => b.kind === kind);
    if (v?.k === 'call') {
      const c = ix.calls[v.call];
      const direct = ofKind.find((b) => b.call === c);
      if (direct) return direct;
      if (c && c.callee.length === 1) return ofKind.find((b) => b.call.fn === c.callee[0]);
    }
    if (v?.k === 'name' && v.path.length === 1) {
      const named = ofKind.find((b) => b.call.fn === v.path[0] || (b.call.assigned && last(b.call.assigned) === v.path[0]));
      if (named) return named;
    }
    return ofKind.length === 1 ? ofKind[0] : undefined;
  };
  // The calls chained on each call (`bind(q)` → `.to(x)` → `.with(k)`), indexed once.
  const chained = new Map<number, number[]>();
  ix.calls.forEach((x, i) => {
    if (x.receiver !== undefined) chained.set(x.receiver, [...(chained.get(x.receiver) ?? []), i]);
  });
  const next = (i: number, name: string) => (chained.get(i) ?? []).find((k) => last(ix.calls[k]!.callee) === name);
  ix.calls.forEach((c, i) => {
    if (c.callee[0] !== 'BindingBuilder' || last(c.callee) !== 'bind') return;
    const to = next(i, 'to');
    if (to === undefined) return;
    const w = next(to, 'with');
    const withKey = w === undefined ? undefined : ix.calls[w];
    const queue = beanFor(c.args[0], 'queue');
    const exchange = beanFor(ix.calls[to]!.args[0], 'exchange');
    if (!queue || !exchange) return;
    const key = withKey ? names.str(placeOf(ix.file, withKey), withKey.args[0]) : '';
    if (key === undefined) return;
    for (const q of queue.vals) {
      if (q.text === undefined) continue;
      out.add(
        ix.file,
        c.line,
        exchange.vals,
        { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${key || '#'} → ${q.text}`, ...(exchange.fanout ? { fanout: true } : {}) },
        'RabbitMQ exchange',
      );
    }
  });
}
