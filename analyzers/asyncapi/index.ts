/**
 * asyncapi: channels and messages from AsyncAPI 2.x and 3.x documents. A document describes the
 * application it sits in, so its component produces to channels it sends on (2.x `subscribe`,
 * 3.x `send`) and consumes channels it receives from (2.x `publish`, 3.x `receive`). Channel ids
 * follow the messaging analyzer's scheme (`queue:<name>`), so documented and coded channels merge.
 */
import type { Document, Pair, Scalar, YAMLMap } from 'yaml';
import { isMap, isPair, isScalar } from 'yaml';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import type { Queue } from '../../src/model/schema.js';
import { jsonKeyLine } from '../../src/util/text.js';
import { idOf } from '../../src/model/ids.js';

const SPEC_FILE = /(^|\/)([^/]*[.-])?asyncapi[^/]*\.(ya?ml|json)$/i;

const PROTOCOL_TECH: Record<string, string> = {
  kafka: 'Kafka',
  'kafka-secure': 'Kafka',
  amqp: 'RabbitMQ',
  amqps: 'RabbitMQ',
  mqtt: 'MQTT',
  'secure-mqtt': 'MQTT',
  nats: 'NATS',
  sqs: 'Amazon SQS',
  sns: 'Amazon SNS',
  googlepubsub: 'Google Pub/Sub',
  redis: 'Redis pub/sub',
  ws: 'WebSocket',
  wss: 'WebSocket',
  jms: 'JMS',
  solace: 'Solace',
  pulsar: 'Apache Pulsar',
  anypointmq: 'Anypoint MQ',
  ibmmq: 'IBM MQ',
  http: 'HTTP',
  https: 'HTTP',
};

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);

/** Message name from a message object or `$ref` (components/messages/X → X). */
function messageNames(m: unknown, root: Obj): string[] {
  const o = asObj(m);
  if (!o) return [];
  if (Array.isArray(o.oneOf)) return o.oneOf.flatMap((x) => messageNames(x, root));
  if (typeof o.$ref === 'string') {
    const key = o.$ref.split('/').pop() ?? '';
    const target = resolveRef(o.$ref, root);
    const named = target && typeof target.name === 'string' ? target.name : undefined;
    return [named ?? decodeURIComponent(key)];
  }
  for (const k of ['name', 'messageId', 'title']) if (typeof o[k] === 'string') return [o[k] as string];
  return [];
}

function resolveRef(ref: string, root: Obj): Obj | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const part of ref.slice(2).split('/')) cur = asObj(cur)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return asObj(cur);
}

interface Lines {
  channel(name: string): number;
}

function yamlLines(doc: Document.Parsed, line: (offset: number) => number): Lines {
  const channels = doc.get('channels', true);
  const at = new Map<string, number>();
  if (isMap(channels)) {
    for (const item of (channels as YAMLMap).items) {
      if (!isPair(item)) continue;
      const key = (item as Pair).key;
      if (isScalar(key) && (key as Scalar).range) at.set(String((key as Scalar).value), line((key as Scalar).range![0]));
    }
  }
  return { channel: (n) => at.get(n) ?? 1 };
}

export default defineAnalyzer({
  meta: {
    name: 'asyncapi',
    description: 'Channels, messages and publish/subscribe roles from AsyncAPI 2.x and 3.x documents',
    produces: ['queues'],
  },
  applies: (ctx) => ctx.files.some((f) => SPEC_FILE.test(f)),
  analyze(ctx) {
    for (const file of ctx.filesMatching(SPEC_FILE)) {
      if (/(^|\/)node_modules\//.test(file)) continue;
      // One document at a time: whatever goes wrong in one is a warning on it, and the others are still read.
      try {
        readDocument(ctx, file);
      } catch (e) {
        ctx.warn(file, 0, `AsyncAPI document could not be read: ${(e as Error).message}; its channels are left out`);
      }
    }
  },
});

/** The channels of one AsyncAPI document. */
function readDocument(ctx: AnalyzerContext, file: string): void {
  let spec: Obj | undefined;
  let lines: Lines;
  if (file.endsWith('.json')) {
    spec = asObj(ctx.json(file));
    const text = ctx.read(file) ?? '';
    lines = { channel: (n) => Math.max(jsonKeyLine(text, n, 'channels'), 1) };
  } else {
    const y = ctx.yaml(file);
    const doc = y?.documents[0];
    if (!y || !doc) return;
    spec = asObj(y.toJS(doc));
    lines = yamlLines(doc, y.line);
  }
  if (!spec) return;
  const version = typeof spec.asyncapi === 'string' ? spec.asyncapi : undefined;
  if (!version) return;
  if (!/^[23]\./.test(version)) {
    ctx.warn(file, 1, `AsyncAPI ${version} is not supported (2.x and 3.x are); its channels are not in the message-flow map`);
    return;
  }
  for (const q of version.startsWith('3.') ? fromV3(ctx, file, spec, lines) : fromV2(ctx, file, spec, lines)) ctx.emit('queues', q);
}

function techOf(spec: Obj, bindings: unknown): string {
  const b = asObj(bindings);
  if (b) for (const k of Object.keys(b).sort(compareStrings)) if (PROTOCOL_TECH[k]) return PROTOCOL_TECH[k]!;
  const protocols = sortedUnique(
    Object.values(asObj(spec.servers) ?? {}).flatMap((s) => {
      const p = asObj(s)?.protocol;
      return typeof p === 'string' ? [p.toLowerCase()] : [];
    }),
  );
  if (protocols.length === 1) return PROTOCOL_TECH[protocols[0]!] ?? protocols[0]!;
  return 'AsyncAPI';
}

function fact(ctx: AnalyzerContext, file: string, line: number, name: string, tech: string, produce: boolean, consume: boolean, messages: string[]): Queue {
  const comp = ctx.componentOf(file);
  const q: Queue = {
    id: idOf.queue(name),
    name,
    tech,
    producers: produce && comp ? [comp] : [],
    consumers: consume && comp ? [comp] : [],
    evidence: [{ file, line }],
    details: { kind: 'channel', sources: ['asyncapi'], documentedIn: [`${file}:${line}`] },
  };
  const msgs = sortedUnique(messages);
  if (msgs.length) q.messages = msgs;
  return q;
}

function fromV2(ctx: AnalyzerContext, file: string, spec: Obj, lines: Lines): Queue[] {
  const out: Queue[] = [];
  for (const [name, raw] of Object.entries(asObj(spec.channels) ?? {})) {
    const ch = asObj(raw) ?? {};
    const pub = asObj(ch.publish);
    const sub = asObj(ch.subscribe);
    // 2.x roles are from the client's view: `subscribe` = the application sends.
    const messages = [...messageNames(pub?.message, spec), ...messageNames(sub?.message, spec)];
    out.push(fact(ctx, file, lines.channel(name), name, techOf(spec, ch.bindings), !!sub, !!pub, messages));
  }
  return out;
}

function fromV3(ctx: AnalyzerContext, file: string, spec: Obj, lines: Lines): Queue[] {
  const channels = asObj(spec.channels) ?? {};
  const roles = new Map<string, { send: boolean; receive: boolean }>();
  for (const raw of Object.values(asObj(spec.operations) ?? {})) {
    const op = asObj(raw);
    const ref = asObj(op?.channel)?.$ref;
    if (!op || typeof ref !== 'string') continue;
    const id = ref.split('/').pop() ?? '';
    const r = roles.get(id) ?? { send: false, receive: false };
    if (op.action === 'send') r.send = true;
    if (op.action === 'receive') r.receive = true;
    roles.set(id, r);
  }
  const out: Queue[] = [];
  for (const [id, raw] of Object.entries(channels)) {
    const ch = asObj(raw) ?? {};
    const name = typeof ch.address === 'string' && ch.address !== '' ? ch.address : id;
    const messages = Object.entries(asObj(ch.messages) ?? {}).flatMap(([key, m]) => {
      const names = messageNames(m, spec);
      return names.length ? names : [key];
    });
    const r = roles.get(id) ?? { send: false, receive: false };
    out.push(fact(ctx, file, lines.channel(id), name, techOf(spec, ch.bindings), r.send, r.receive, messages));
  }
  return out;
}
