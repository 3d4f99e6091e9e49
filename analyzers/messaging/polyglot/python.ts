/**
 * Messaging in Python, on the polyglot index: RQ queues (`Queue(name)`, `.enqueue` through the
 * object, `Worker([...])`), Celery tasks (decorated tasks consume, `.delay`/`.apply_async`/`send_task`
 * produce, the queue from `queue=`, `task_routes`, `task_default_queue` or Celery's `celery`),
 * pika (`basic_publish`, `basic_consume`, `queue_declare`, `exchange_declare`, `queue_bind`),
 * kafka-python / confluent-kafka / aiokafka producers and consumers, and boto3 SQS and SNS calls.
 * Objects are recognised by the name their construction is assigned to (`task_queue`,
 * `self.producer`), wherever in the program it is used.
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Site } from '../detect.js';
import { arnOrUrl } from '../sites.js';
import type { Val } from '../values.js';
import type { Collected } from './collect.js';
import { last, placeOf, type PolyNames } from './names.js';

type Base = Omit<Site, 'channel' | 'at' | 'via'>;

/** Whether a file imports a module (or one of its submodules). */
function imports(ix: PolyglotIndex, module: string): boolean {
  return ix.imports.some((i) => i.module === module || i.module.startsWith(`${module}.`));
}

/** Whether a callee is `name` imported from `module` (`from rq import Queue` → `Queue`, `import rq` → `rq.Queue`). */
function isFrom(ix: PolyglotIndex, callee: readonly string[], module: string, name: string): boolean {
  const from = (m: string) => m === module || m.startsWith(`${module}.`);
  if (callee.length === 1) return ix.imports.some((i) => from(i.module) && i.name === name && i.alias === callee[0]);
  return last(callee) === name && ix.imports.some((i) => i.alias === callee[0] && !i.name && from(i.module));
}

function arg(call: { args: PValue[]; kw: { name: string; value: PValue }[] }, i: number, name: string): PValue | undefined {
  return call.kw.find((k) => k.name === name)?.value ?? call.args[i];
}

/** The name of the object a method is called on (`current_app.task_queue.enqueue` → `task_queue`). */
function receiverName(call: PCall): string | undefined {
  return call.callee.length >= 2 ? call.callee[call.callee.length - 2] : undefined;
}

interface Made {
  kind: string;
  call: PCall;
  file: string;
}

/** Objects the program constructs, by the last name they are assigned to. */
function objects(indexes: readonly PolyglotIndex[], test: (ix: PolyglotIndex, c: PCall) => string | undefined): Map<string, Made[]> {
  const out = new Map<string, Made[]>();
  for (const ix of indexes)
    for (const c of ix.calls) {
      const kind = test(ix, c);
      if (!kind || !c.assigned) continue;
      const k = last(c.assigned);
      const list = out.get(k) ?? [];
      list.push({ kind, call: c, file: ix.file });
      out.set(k, list);
    }
  return out;
}

/** What a method call is made on: an object constructed by the program (by its name, or chained on its construction). */
function madeFor(ix: PolyglotIndex, call: PCall, made: Map<string, Made[]>, isMaker: (c: PCall) => string | undefined): Made[] {
  if (call.receiver !== undefined) {
    const r = ix.calls[call.receiver];
    const kind = r ? isMaker(r) : undefined;
    return r && kind ? [{ kind, call: r, file: ix.file }] : [];
  }
  const name = receiverName(call);
  return name ? (made.get(name) ?? []) : [];
}

export function pythonMessaging(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  rq(names, indexes, out);
  celery(names, indexes, out);
  pika(names, indexes, out);
  kafka(names, indexes, out);
  boto3(names, indexes, out);
}

// ---- RQ -------------------------------------------------------------------------------------

/** Celery `task_routes` read at most, and the longest glob kept: more is not a configuration but an attack on the matcher. */
const MAX_ROUTES = 500;
const MAX_ROUTE_KEY = 200;
const ENQUEUE = new Set(['enqueue', 'enqueue_call', 'enqueue_at', 'enqueue_in', 'enqueue_many']);
const RQ: Base = { tech: 'RQ', kind: 'queue', role: 'declared' };

function rq(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  const isQueue = (ix: PolyglotIndex, c: PCall) => (isFrom(ix, c.callee, 'rq', 'Queue') ? 'queue' : undefined);
  const queues = objects(indexes, isQueue);
  /** A queue's names: its first argument, else RQ's `default`. */
  const queueVals = (file: string, c: PCall): Val[] => {
    const v = arg(c, 0, 'name');
    return v ? names.vals(placeOf(file, c), v) : [{ text: 'default', via: [] }];
  };
  for (const ix of indexes) {
    for (const c of ix.calls) {
      if (isQueue(ix, c)) out.add(ix.file, c.line, queueVals(ix.file, c), RQ, 'RQ queue');
      else if (ENQUEUE.has(last(c.callee))) {
        const made = madeFor(ix, c, queues, (r) => isQueue(ix, r));
        const fn = c.args[0];
        const job = fn?.k === 'str' && !fn.template ? last(fn.v.split('.')) : fn?.k === 'name' ? last(fn.path) : undefined;
        for (const m of made) out.add(ix.file, c.line, queueVals(m.file, m.call), { ...RQ, role: 'producer', ...(job ? { message: job } : {}) }, 'RQ queue');
      } else if (isFrom(ix, c.callee, 'rq', 'Worker') || isFrom(ix, c.callee, 'rq', 'SimpleWorker')) {
        const list = arg(c, 0, 'queues');
        const items = list?.k === 'list' ? list.items : list ? [list] : [];
        for (const item of items) {
          const held = item.k === 'name' && item.path.length === 1 ? queues.get(item.path[0]!) : undefined;
          if (held?.length) for (const m of held) out.add(ix.file, c.line, queueVals(m.file, m.call), { ...RQ, role: 'consumer' }, 'RQ queue');
          else out.add(ix.file, c.line, names.vals(placeOf(ix.file, c), item), { ...RQ, role: 'consumer' }, 'RQ queue');
        }
      }
    }
  }
}

// ---- Celery ---------------------------------------------------------------------------------

const BROKERS: [string, string][] = [
  ['amqp', 'RabbitMQ'],
  ['amqps', 'RabbitMQ'],
  ['pyamqp', 'RabbitMQ'],
  ['librabbitmq', 'RabbitMQ'],
  ['redis', 'Redis'],
  ['rediss', 'Redis'],
  ['sqs', 'Amazon SQS'],
];
const BROKER_KEYS = new Set(['broker_url', 'BROKER_URL', 'CELERY_BROKER_URL']);
const DEFAULT_QUEUE_KEYS = new Set(['task_default_queue', 'CELERY_TASK_DEFAULT_QUEUE', 'CELERY_DEFAULT_QUEUE']);
const ROUTES_KEYS = new Set(['task_routes', 'CELERY_TASK_ROUTES', 'CELERY_ROUTES']);

interface Task {
  fn: string;
  file: string;
  line: number;
  /** The names Celery may know it by: `name=`, else the dotted module paths of its file with the function. */
  fullNames: string[];
  queue?: PValue;
  owner?: string;
}

/** `*` of a route pattern matches any run of characters: only the last star is retried (at most pattern × text steps, no exponential backtracking). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === text[t] || pattern[p] === '?')) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function moduleNames(file: string): string[] {
  const parts = file.slice(0, -3).split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.map((_, k) => parts.slice(k).join('.'));
}

function celery(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  if (!indexes.some((ix) => imports(ix, 'celery'))) return;
  const apps = new Set<string>();
  const brokers: { tech: string; file: string; line: number }[] = [];
  const setBroker = (file: string, line: number, url: string | undefined) => {
    const scheme = url?.slice(0, Math.max(0, url.indexOf('://')));
    const tech = BROKERS.find(([s]) => s === scheme)?.[1];
    if (tech) brokers.push({ tech, file, line });
  };
  let defaultQueue: { value: PValue; file: string; line: number } | undefined;
  const routes: { key: string; queue: string }[] = [];
  const readRoutes = (file: string, v: PValue, line: number) => {
    let value = v;
    if (value.k === 'name') {
      const b = names.program.bind(file, value.path);
      if (b) value = b.value;
    }
    if (value.k !== 'map') return;
    for (const e of value.entries) {
      const key = names.str({ file, line }, e.key);
      const target = e.value.k === 'map' ? e.value.entries.find((x) => names.str({ file, line }, x.key) === 'queue')?.value : undefined;
      const queue = target ? names.str({ file, line }, target) : undefined;
      // Bounded: a route table is a handful of globs; thousands are hostile (each task is matched against each).
      if (key !== undefined && queue !== undefined && routes.length < MAX_ROUTES && key.length <= MAX_ROUTE_KEY && !routes.some((r) => r.key === key))
        routes.push({ key, queue });
    }
  };
  const setting = (file: string, key: string, value: PValue, line: number, fn?: string) => {
    if (BROKER_KEYS.has(key)) setBroker(file, line, names.str({ file, line, ...(fn ? { fn } : {}) }, value));
    else if (DEFAULT_QUEUE_KEYS.has(key)) defaultQueue ??= { value, file, line };
    else if (ROUTES_KEYS.has(key)) readRoutes(file, value, line);
  };
  for (const ix of indexes) {
    for (const c of ix.calls) {
      if (isFrom(ix, c.callee, 'celery', 'Celery')) {
        if (c.assigned) apps.add(last(c.assigned));
        const b = c.kw.find((k) => k.name === 'broker')?.value;
        if (b) setBroker(ix.file, c.line, names.str(placeOf(ix.file, c), b));
      } else if (last(c.callee) === 'update' && c.callee[c.callee.length - 2] === 'conf') {
        for (const k of c.kw) setting(ix.file, k.name, k.value, c.line, c.fn);
      }
    }
    for (const a of ix.assigns) setting(ix.file, last(a.name), a.value, a.line, a.fn);
  }
  const tasks: Task[] = [];
  for (const ix of indexes) {
    for (const a of ix.annotations) {
      if (a.target?.kind !== 'function') continue;
      const n = a.name;
      const isTask =
        (n.length === 1 && isFrom(ix, n, 'celery', 'shared_task')) ||
        (n.length === 2 && n[1] === 'shared_task' && n[0] === 'celery') ||
        (n.length === 2 && n[1] === 'task' && apps.has(n[0]!));
      if (!isTask) continue;
      const explicit = names.str({ file: ix.file, line: a.line }, a.kw.find((k) => k.name === 'name')?.value);
      const fn = a.target.name;
      tasks.push({
        fn,
        file: ix.file,
        line: a.line,
        fullNames: explicit !== undefined ? [explicit] : moduleNames(ix.file).map((m) => `${m}.${fn}`),
        ...(a.kw.find((k) => k.name === 'queue') ? { queue: a.kw.find((k) => k.name === 'queue')!.value } : {}),
        ...(a.owner ? { owner: a.owner } : {}),
      });
    }
  }
  const CELERY: Base = { tech: 'Celery', kind: 'queue', role: 'consumer' };
  const defaultVals = (): Val[] => {
    if (!defaultQueue) return [{ text: 'celery', via: [] }];
    return names.vals({ file: defaultQueue.file, line: defaultQueue.line }, defaultQueue.value);
  };
  /** The queue a task by these names goes to, without an explicit `queue=`: the first route matching, else the default queue (once per list of names). */
  const routedCache = new Map<string, Val[]>();
  const routed = (fullNames: string[]): Val[] => {
    const key = fullNames.join('\u0000');
    const known = routedCache.get(key);
    if (known) return known;
    let found: Val[] | undefined;
    for (const r of routes)
      if (fullNames.some((n) => globMatch(r.key, n))) {
        found = [{ text: r.queue, via: [] }];
        break;
      }
    const vals = found ?? defaultVals();
    routedCache.set(key, vals);
    return vals;
  };
  const queueOf = (t: Task): Val[] => (t.queue ? names.vals({ file: t.file, line: t.line }, t.queue) : routed(t.fullNames));
  const channels = new Set<string>();
  const add = (file: string, line: number, vals: Val[], base: Base) => {
    for (const v of vals) if (v.text !== undefined) channels.add(v.text);
    out.add(file, line, vals, base, 'Celery queue');
  };
  for (const t of tasks) add(t.file, t.line, queueOf(t), { ...CELERY, message: t.fn });
  const byFn = new Map<string, Task[]>();
  for (const t of tasks) {
    const same = byFn.get(t.fn);
    if (same) same.push(t);
    else byFn.set(t.fn, [t]);
  }
  for (const ix of indexes) {
    for (const c of ix.calls) {
      const method = last(c.callee);
      if (method === 'delay' || method === 'apply_async') {
        const local = receiverName(c);
        // `from app.tasks import send as send_task`: the task is the name imported, from that module.
        const renamed = local && !byFn.has(local) ? ix.imports.find((i) => i.alias === local && i.name !== undefined && i.name !== local) : undefined;
        const name = renamed?.name ?? local;
        const found = name ? (byFn.get(name) ?? []) : [];
        const fromModule = (t: Task) => renamed !== undefined && moduleNames(t.file).includes(renamed.module);
        const chosen =
          found.length === 1 ? found : found.filter((t) => ix.file === t.file || fromModule(t) || (!renamed && ix.imports.some((i) => i.name === t.fn)));
        const explicit = method === 'apply_async' ? c.kw.find((k) => k.name === 'queue')?.value : undefined;
        for (const t of chosen)
          add(ix.file, c.line, explicit ? names.vals(placeOf(ix.file, c), explicit) : queueOf(t), { ...CELERY, role: 'producer', message: t.fn });
      } else if (method === 'send_task' && (apps.has(receiverName(c) ?? '') || imports(ix, 'celery'))) {
        const taskName = names.str(placeOf(ix.file, c), arg(c, 0, 'name'));
        const explicit = c.kw.find((k) => k.name === 'queue')?.value;
        const known = taskName === undefined ? undefined : tasks.find((t) => t.fullNames.includes(taskName));
        const vals = explicit ? names.vals(placeOf(ix.file, c), explicit) : known ? queueOf(known) : taskName !== undefined ? routed([taskName]) : [];
        const message = known?.fn ?? (taskName !== undefined ? last(taskName.split('.')) : undefined);
        add(ix.file, c.line, vals, { ...CELERY, role: 'producer', ...(message ? { message } : {}) });
      }
    }
  }
  // The broker the queues live on, when its URL is literal (and every URL written agrees): a declaration at the first.
  const broker = brokers.every((b) => b.tech === brokers[0]?.tech) ? brokers[0] : undefined;
  if (broker) for (const ch of [...channels].sort()) out.known(broker.file, broker.line, ch, { tech: broker.tech, kind: 'queue', role: 'declared' });
}

// ---- pika -----------------------------------------------------------------------------------

function pika(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  const RMQ = (kind: string, role: Site['role']): Base => ({ tech: 'RabbitMQ', kind, role });
  for (const ix of indexes) {
    if (!imports(ix, 'pika')) continue;
    for (const c of ix.calls) {
      if (c.callee.length < 2) continue;
      const at = placeOf(ix.file, c);
      switch (last(c.callee)) {
        case 'exchange_declare': {
          const vals = names.vals(at, arg(c, 0, 'exchange')).filter((v) => v.text !== '');
          const type = arg(c, 1, 'exchange_type');
          const fanout = type !== undefined && (names.str(at, type) === 'fanout' || (type.k === 'name' && last(type.path) === 'fanout'));
          out.add(ix.file, c.line, vals, { ...RMQ('exchange', 'declared'), ...(fanout ? { fanout } : {}) }, 'RabbitMQ exchange');
          break;
        }
        case 'queue_declare': {
          // A server-named queue (`queue=''`, exclusive) has no name to join on.
          const q = arg(c, 0, 'queue');
          if (q && names.str(at, q) !== '') out.add(ix.file, c.line, names.vals(at, q), RMQ('queue', 'declared'), 'RabbitMQ queue');
          break;
        }
        case 'queue_bind': {
          const queue = names.str(at, arg(c, 0, 'queue'));
          if (!queue) break;
          const key = names.str(at, arg(c, 2, 'routing_key')) ?? queue;
          out.add(
            ix.file,
            c.line,
            names.vals(at, arg(c, 1, 'exchange')),
            { ...RMQ('exchange', 'declared'), binding: `${key || '#'} → ${queue}` },
            'RabbitMQ exchange',
          );
          break;
        }
        case 'basic_publish': {
          const ex = arg(c, 0, 'exchange');
          const key = arg(c, 1, 'routing_key');
          if (ex === undefined || names.str(at, ex) === '') out.add(ix.file, c.line, names.vals(at, key), RMQ('queue', 'producer'), 'RabbitMQ queue');
          else {
            const k = names.str(at, key);
            out.add(ix.file, c.line, names.vals(at, ex), { ...RMQ('exchange', 'producer'), ...(k ? { message: k } : {}) }, 'RabbitMQ exchange');
          }
          break;
        }
        case 'basic_consume': {
          // pika 1.x: `basic_consume(queue, on_message_callback)`; 0.x: `basic_consume(callback, queue=…)`.
          const q = c.kw.find((k) => k.name === 'queue')?.value ?? (names.str(at, c.args[0]) !== undefined ? c.args[0] : c.args[1]);
          out.add(ix.file, c.line, names.vals(at, q), RMQ('queue', 'consumer'), 'RabbitMQ queue');
          break;
        }
      }
    }
  }
}

// ---- Kafka ----------------------------------------------------------------------------------

const KAFKA_MODULES = ['kafka', 'confluent_kafka', 'aiokafka'];
const KAFKA_PRODUCERS = new Set(['KafkaProducer', 'AIOKafkaProducer', 'Producer', 'SerializingProducer']);
const KAFKA_CONSUMERS = new Set(['KafkaConsumer', 'AIOKafkaConsumer', 'Consumer', 'DeserializingConsumer']);

function kafka(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  const maker = (ix: PolyglotIndex, c: PCall): string | undefined => {
    const n = last(c.callee);
    if (!KAFKA_PRODUCERS.has(n) && !KAFKA_CONSUMERS.has(n)) return undefined;
    if (!KAFKA_MODULES.some((m) => isFrom(ix, c.callee, m, n))) return undefined;
    return KAFKA_PRODUCERS.has(n) ? 'producer' : 'consumer';
  };
  const made = objects(indexes, maker);
  const TOPIC = (role: Site['role']): Base => ({ tech: 'Kafka', kind: 'topic', role });
  for (const ix of indexes) {
    const kafkaFile = KAFKA_MODULES.some((m) => imports(ix, m));
    for (const c of ix.calls) {
      const at = placeOf(ix.file, c);
      const own = kafkaFile ? maker(ix, c) : undefined;
      if (own === 'consumer') {
        // `KafkaConsumer('orders', 'payments', group_id=…)`: the topics subscribed at construction.
        for (const a of c.args) if (names.str(at, a) !== undefined) out.add(ix.file, c.line, names.vals(at, a), TOPIC('consumer'), 'Kafka topic');
        continue;
      }
      const method = last(c.callee);
      if (method !== 'send' && method !== 'send_and_wait' && method !== 'produce' && method !== 'subscribe') continue;
      const root = c.callee[0]!;
      let objs = madeFor(ix, c, made, (r) => maker(ix, r));
      // The object must be this file's, or imported by name from the module that makes it.
      if (!kafkaFile) {
        const from = new Set(ix.imports.filter((i) => i.alias === root && i.name).flatMap((i) => names.program.pythonModule(ix.file, i.module) ?? []));
        objs = objs.filter((o) => from.has(o.file));
      }
      const role = method === 'subscribe' ? 'consumer' : 'producer';
      if (!objs.some((o) => o.kind === role)) continue;
      const topic = role === 'consumer' ? arg(c, 0, 'topics') : arg(c, 0, 'topic');
      out.add(ix.file, c.line, names.vals(at, topic), TOPIC(role), 'Kafka topic');
    }
  }
}

// ---- boto3 (SQS, SNS) -------------------------------------------------------------------------

const SQS_SEND = new Set(['send_message', 'send_message_batch', 'send_messages']);
const SQS_RECEIVE = new Set(['receive_message', 'receive_messages', 'delete_message', 'delete_message_batch', 'change_message_visibility']);

function boto3(names: PolyNames, indexes: readonly PolyglotIndex[], out: Collected): void {
  const service = (ix: PolyglotIndex, c: PCall): string | undefined => {
    const n = last(c.callee);
    if (!(imports(ix, 'boto3') || imports(ix, 'aioboto3'))) return undefined;
    if (n === 'get_queue_by_name' || (n === 'Queue' && c.callee.length >= 2)) return 'sqs-queue';
    if (n !== 'client' && n !== 'resource') return undefined;
    const s = names.str(placeOf(ix.file, c), arg(c, 0, 'service_name'));
    return s === 'sqs' || s === 'sns' ? s : undefined;
  };
  const made = objects(indexes, service);
  for (const ix of indexes) {
    if (!made.size) return;
    for (const c of ix.calls) {
      const method = last(c.callee);
      const role: Site['role'] | undefined = SQS_SEND.has(method) || method === 'publish' ? 'producer' : SQS_RECEIVE.has(method) ? 'consumer' : undefined;
      if (!role) continue;
      const at = placeOf(ix.file, c);
      for (const o of madeFor(ix, c, made, (r) => service(ix, r))) {
        if (o.kind === 'sqs' && method !== 'publish') {
          const vals = names.vals(at, c.kw.find((k) => k.name === 'QueueUrl')?.value).map(arnOrUrl);
          out.add(ix.file, c.line, vals, { tech: 'Amazon SQS', kind: 'queue', role }, 'SQS queue');
        } else if (o.kind === 'sqs-queue' && method !== 'publish') {
          // `sqs.get_queue_by_name(QueueName='orders')` or `sqs.Queue(url)`: the queue the object stands for.
          const v = o.call.kw.find((k) => k.name === 'QueueName')?.value ?? o.call.args[0];
          const vals = names.vals(placeOf(o.file, o.call), v).map(arnOrUrl);
          out.add(ix.file, c.line, vals, { tech: 'Amazon SQS', kind: 'queue', role }, 'SQS queue');
        } else if (o.kind === 'sns' && method === 'publish') {
          const vals = names.vals(at, c.kw.find((k) => k.name === 'TopicArn')?.value).map(arnOrUrl);
          out.add(ix.file, c.line, vals, { tech: 'Amazon SNS', kind: 'topic', role }, 'SNS topic');
        }
      }
    }
  }
}
