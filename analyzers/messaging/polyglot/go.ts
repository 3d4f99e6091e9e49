/**
 * Messaging in Go, on the polyglot index: streadway/amqp and rabbitmq/amqp091-go channels
 * (`QueueDeclare`, `ExchangeDeclare`, `QueueBind`, `Publish`, `Consume`; consuming a server-named queue
 * bound to exchanges consumes from those exchanges), nats.go connections and
 * JetStream contexts (`Publish`, `Request`, `Subscribe`, `QueueSubscribe`…), sarama
 * (`ConsumePartition`, a consumer group's `Consume(ctx, topics, h)`, `&sarama.ProducerMessage{Topic}`)
 * and segmentio/kafka-go (`kafka.Writer{Topic}`, `kafka.WriterConfig`, `kafka.Message{Topic}`,
 * `kafka.NewReader(kafka.ReaderConfig{Topic, GroupTopics})`). Struct literals are read from the
 * file's tokens (the index keeps no literal's type); method calls count only in files importing the
 * library, so another package's `Publish` is not taken for one.
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { lex, type Token } from '../../../src/analysis/polyglot/lex.js';
import type { Site } from '../detect.js';
import type { Collected } from './collect.js';
import { last, placeOf, type PolyNames } from './names.js';

type Base = Omit<Site, 'channel' | 'at' | 'via'>;

const AMQP = ['github.com/streadway/amqp', 'github.com/rabbitmq/amqp091-go'];
const NATS = ['github.com/nats-io/nats.go'];
const SARAMA = ['github.com/IBM/sarama', 'github.com/Shopify/sarama'];
const KAFKA_GO = ['github.com/segmentio/kafka-go'];

/** Struct literals that name a topic: producers, a reader's configuration, a topic created (`CreateTopics(kafka.TopicConfig{…})`). */
const KAFKA_LITERALS: Record<string, Site['role']> = {
  Writer: 'producer',
  WriterConfig: 'producer',
  Message: 'producer',
  ReaderConfig: 'consumer',
  TopicConfig: 'declared',
};

const NATS_PRODUCE = new Set(['Publish', 'Request', 'RequestWithContext', 'PublishAsync']);
const NATS_CONSUME = new Set(['Subscribe', 'QueueSubscribe', 'ChanSubscribe', 'ChanQueueSubscribe', 'SubscribeSync', 'QueueSubscribeSync', 'PullSubscribe']);

function usesAny(ix: PolyglotIndex, modules: readonly string[]): string[] {
  return ix.imports.filter((i) => modules.some((m) => i.module === m || i.module.startsWith(`${m}/`))).map((i) => i.alias);
}

export function goMessaging(names: PolyNames, indexes: readonly PolyglotIndex[], read: (file: string) => string | undefined, out: Collected): void {
  for (const ix of indexes) {
    const amqp = usesAny(ix, AMQP).length > 0;
    const nats = usesAny(ix, NATS).length > 0;
    const sarama = usesAny(ix, SARAMA);
    const kafkaGo = usesAny(ix, KAFKA_GO);
    if (amqp) amqpCalls(names, ix, out);
    if (nats) natsCalls(names, ix, amqp, out);
    if (sarama.length) saramaCalls(names, ix, out);
    if (sarama.length || kafkaGo.length) {
      const text = read(ix.file);
      if (text) {
        // kafka-go's package is `kafka` whatever its import path's last segment says.
        const lits: Record<string, Record<string, Site['role']>> = {};
        for (const a of kafkaGo) lits[a === 'kafka-go' ? 'kafka' : a] = KAFKA_LITERALS;
        for (const a of sarama) lits[a] = { ProducerMessage: 'producer' };
        structTopics(names, ix, lex(text, 'go').tokens, lits, out);
      }
    }
  }
}

function amqpCalls(names: PolyNames, ix: PolyglotIndex, out: Collected): void {
  const RMQ = (kind: string, role: Site['role']): Base => ({ tech: 'RabbitMQ', kind, role });
  // `q, err := ch.QueueDeclare("orders", …)` by function and name, for `q.Name` in that function.
  const declared = new Map<string, PCall>();
  for (const x of ix.calls) if (x.assigned && last(x.callee).startsWith('QueueDeclare')) declared.set(`${x.fn ?? ''}\u0000${x.assigned[0]}`, x);
  const declaredName = (c: PCall, v: PValue | undefined): PValue | undefined => {
    if (v?.k !== 'name' || v.path.length !== 2 || v.path[1] !== 'Name') return v;
    return declared.get(`${c.fn ?? ''}\u0000${v.path[0]}`)?.args[0] ?? v;
  };
  // A server-named queue (`QueueDeclare("", …)` here or in a helper) bound to exchanges, by function and
  // variable: consuming it is consuming what those exchanges route to it.
  const anonymous = new Map<string, PValue[]>();
  const queueVar = (c: PCall, v: PValue | undefined): string | undefined =>
    v?.k === 'name' && v.path.length === 2 && v.path[1] === 'Name' ? `${c.fn ?? ''}\u0000${v.path[0]}` : undefined;
  for (const c of ix.calls) {
    if (c.callee.length < 2 || last(c.callee) !== 'QueueBind' || c.args.length < 3) continue;
    const v = queueVar(c, c.args[0]);
    if (!v || names.str(placeOf(ix.file, c), declaredName(c, c.args[0]))) continue;
    anonymous.set(v, [...(anonymous.get(v) ?? []), c.args[2]!]);
  }
  for (const c of ix.calls) {
    if (c.callee.length < 2) continue;
    const at = placeOf(ix.file, c);
    const m = last(c.callee);
    // The `…WithContext` forms take a context first.
    const a = (i: number) => c.args[m.endsWith('WithContext') ? i + 1 : i];
    if (m === 'QueueDeclare' || m === 'QueueDeclarePassive') {
      if (names.str(at, a(0)) !== '') out.add(ix.file, c.line, names.vals(at, a(0)), RMQ('queue', 'declared'), 'RabbitMQ queue');
    } else if (m === 'ExchangeDeclare' || m === 'ExchangeDeclarePassive') {
      const kind = a(1);
      const fanout = kind !== undefined && (names.str(at, kind) === 'fanout' || (kind.k === 'name' && last(kind.path) === 'ExchangeFanout'));
      out.add(ix.file, c.line, names.vals(at, a(0)), { ...RMQ('exchange', 'declared'), ...(fanout ? { fanout } : {}) }, 'RabbitMQ exchange');
    } else if (m === 'QueueBind') {
      const queue = names.str(at, declaredName(c, a(0)));
      const key = names.str(at, a(1));
      if (queue && key !== undefined)
        out.add(ix.file, c.line, names.vals(at, a(2)), { ...RMQ('exchange', 'declared'), binding: `${key || '#'} → ${queue}` }, 'RabbitMQ exchange');
    } else if ((m === 'Publish' || m.startsWith('PublishWith')) && c.args.length >= 4) {
      const ex = names.str(at, a(0));
      if (ex === '') out.add(ix.file, c.line, names.vals(at, a(1)), RMQ('queue', 'producer'), 'RabbitMQ queue');
      else {
        const key = names.str(at, a(1));
        out.add(ix.file, c.line, names.vals(at, a(0)), { ...RMQ('exchange', 'producer'), ...(key ? { message: key } : {}) }, 'RabbitMQ exchange');
      }
    } else if ((m === 'Consume' || m === 'ConsumeWithContext') && c.args.length >= 6) {
      const bound = names.str(at, declaredName(c, a(0))) ? undefined : anonymous.get(queueVar(c, a(0)) ?? '');
      if (bound) for (const ex of bound) out.add(ix.file, c.line, names.vals(at, ex), RMQ('exchange', 'consumer'), 'RabbitMQ exchange');
      else out.add(ix.file, c.line, names.vals(at, declaredName(c, a(0))), RMQ('queue', 'consumer'), 'RabbitMQ queue');
    }
  }
}

function natsCalls(names: PolyNames, ix: PolyglotIndex, amqp: boolean, out: Collected): void {
  for (const c of ix.calls) {
    if (c.callee.length < 2 || !c.args.length) continue;
    const m = last(c.callee);
    const role = NATS_PRODUCE.has(m) ? 'producer' : NATS_CONSUME.has(m) ? 'consumer' : undefined;
    // An AMQP channel's `Publish` takes four or five arguments; NATS's two or three.
    if (!role || (amqp && c.args.length >= 4)) continue;
    const subject = m === 'RequestWithContext' ? c.args[1] : c.args[0];
    out.add(ix.file, c.line, names.vals(placeOf(ix.file, c), subject), { tech: 'NATS', kind: 'subject', role }, 'NATS subject');
  }
}

function saramaCalls(names: PolyNames, ix: PolyglotIndex, out: Collected): void {
  for (const c of ix.calls) {
    if (c.callee.length < 2) continue;
    const m = last(c.callee);
    const at = placeOf(ix.file, c);
    if (m === 'ConsumePartition' && c.args.length === 3)
      out.add(ix.file, c.line, names.vals(at, c.args[0]), { tech: 'Kafka', kind: 'topic', role: 'consumer' }, 'Kafka topic');
    // A consumer group's `Consume(ctx, []string{…}, handler)`.
    else if (m === 'Consume' && c.args.length === 3)
      out.add(ix.file, c.line, names.vals(at, c.args[1]), { tech: 'Kafka', kind: 'topic', role: 'consumer' }, 'Kafka topic');
  }
}

/** The value of one field's tokens: a string, or a dotted name (a constant), or a `[]string{…}` list of those. */
function tokenValue(t: Token[], s: number, e: number): PValue | undefined {
  if (e - s === 1 && t[s]!.k === 'str') return { k: 'str', v: t[s]!.v };
  const path: string[] = [];
  let j = s;
  while (j < e && t[j]!.k === 'id') {
    path.push(t[j]!.v);
    if (t[j + 1]?.v !== '.') break;
    j += 2;
  }
  if (path.length && j + 1 === e) return { k: 'name', path };
  let open = s;
  while (open < e && t[open]!.v !== '{') open++;
  if (open >= e) return undefined;
  const items: PValue[] = [];
  for (let k = open + 1; k < e; k++) if (t[k]!.k === 'str') items.push({ k: 'str', v: t[k]!.v });
  return { k: 'list', items };
}

/** `kafka.Writer{… Topic: "orders" …}` and the like: the `Topic` (or `GroupTopics`) field at the literal's own depth. */
function structTopics(names: PolyNames, ix: PolyglotIndex, t: Token[], lits: Record<string, Record<string, Site['role']>>, out: Collected): void {
  for (let i = 0; i + 3 < t.length; i++) {
    const roles = t[i]!.k === 'id' && t[i + 1]!.v === '.' ? lits[t[i]!.v] : undefined;
    const role = roles?.[t[i + 2]!.v];
    if (!role || t[i + 3]!.v !== '{') continue;
    let depth = 0;
    let j = i + 3;
    for (; j < t.length; j++) {
      const v = t[j]!.v;
      if (t[j]!.k === 'op' && (v === '{' || v === '(' || v === '[')) depth++;
      else if (t[j]!.k === 'op' && (v === '}' || v === ')' || v === ']')) {
        if (--depth === 0) {
          i = j;
          break;
        }
      } else if (depth === 1 && t[j]!.k === 'id' && (v === 'Topic' || v === 'GroupTopics') && t[j + 1]?.v === ':') {
        // The field's value runs to the next comma or line break at this depth.
        let e = j + 2;
        let d = 0;
        for (; e < t.length; e++) {
          const x = t[e]!;
          if (x.k === 'op' && (x.v === '{' || x.v === '(' || x.v === '[')) d++;
          else if (x.k === 'op' && (x.v === '}' || x.v === ')' || x.v === ']')) {
            if (d === 0) break;
            d--;
          } else if (d === 0 && (x.v === ',' || x.k === 'nl')) break;
        }
        const value = tokenValue(t, j + 2, e);
        const line = t[j]!.line;
        const fn = functionAt(ix, line);
        out.add(ix.file, line, names.vals({ file: ix.file, line, ...(fn ? { fn } : {}) }, value), { tech: 'Kafka', kind: 'topic', role }, 'Kafka topic');
      }
    }
    // A literal never closed runs to the end of the file: the scan ends there too, not once per opening (quadratic).
    if (j >= t.length) break;
  }
}

/** The function whose header is the last one before a line (Go has no nested named functions). */
function functionAt(ix: PolyglotIndex, line: number): string | undefined {
  let best: { name: string; line: number } | undefined;
  for (const f of ix.functions) if (f.line <= line && (!best || f.line >= best.line)) best = f;
  return best?.name;
}
