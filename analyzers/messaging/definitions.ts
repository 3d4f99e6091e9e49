/**
 * RabbitMQ definitions files (the management plugin's export, loaded at boot with
 * `load_definitions` or imported by a script): the declared topology. Every queue and exchange
 * becomes a declared site, and every binding of an exchange to a queue an exchange binding
 * (`routing key → queue`), so code that publishes to the exchange reaches the bound queues.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';
import type { Site } from './detect.js';

/** `definitions.json` anywhere, or a JSON file under a folder or with a name that says rabbit. */
const CANDIDATE = /(^|\/)([^/]*definitions[^/]*|[^/]*rabbit[^/]*\/[^/]+|[^/]*rabbit[^/]*)\.json$/i;

interface Named {
  name?: unknown;
  vhost?: unknown;
  type?: unknown;
  arguments?: unknown;
}

export function definitionSites(ctx: Pick<AnalyzerContext, 'files' | 'read' | 'json'>): Site[] {
  const out: Site[] = [];
  for (const file of [...ctx.files].filter((f) => CANDIDATE.test(f)).sort(compareStrings)) {
    const doc = ctx.json(file) as { queues?: unknown; exchanges?: unknown; bindings?: unknown } | undefined;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) continue;
    const queues = Array.isArray(doc.queues) ? (doc.queues as Named[]) : [];
    const exchanges = Array.isArray(doc.exchanges) ? (doc.exchanges as Named[]) : [];
    // The management export's shape: named objects with a vhost (or a durable flag).
    const isDef = (x: Named) => x && typeof x === 'object' && typeof x.name === 'string' && ('vhost' in x || 'durable' in x);
    if (!queues.some(isDef) && !exchanges.some(isDef)) continue;
    const text = ctx.read(file) ?? '';
    const lineOf = makeLineOf(text);
    /** Line of the first `"name": "<value>"` at or after `from` (a later entry of the same name: after the last one found). */
    const last = new Map<string, number>();
    const at = (value: string, from = 0) => {
      const needle = JSON.stringify(value);
      let i = text.indexOf(needle, Math.max(from, last.get(value) ?? 0));
      while (i >= 0 && !afterNameKey(text, i)) i = text.indexOf(needle, i + 1);
      if (i >= 0) last.set(value, i + 1);
      return { file, line: i >= 0 ? lineOf(i) : 1 };
    };
    const qStart = text.indexOf('"queues"');
    const xStart = text.indexOf('"exchanges"');
    for (const q of queues) {
      if (!isDef(q) || (q.name as string) === '') continue;
      const args = q.arguments && typeof q.arguments === 'object' ? (q.arguments as Record<string, unknown>) : {};
      const dlx = args['x-dead-letter-exchange'];
      const dlk = args['x-dead-letter-routing-key'];
      out.push({
        channel: q.name as string,
        tech: 'RabbitMQ',
        kind: 'queue',
        role: 'declared',
        at: at(q.name as string, Math.max(qStart, 0)),
        via: [],
        definitions: true,
        ...(typeof dlx === 'string' ? { deadLetter: { exchange: dlx, ...(typeof dlk === 'string' ? { key: dlk } : {}) } } : {}),
      });
    }
    last.clear();
    const exchangeNames = new Set<string>();
    for (const x of exchanges) {
      if (!isDef(x) || (x.name as string) === '' || (x.name as string).startsWith('amq.')) continue;
      exchangeNames.add(x.name as string);
      out.push({
        channel: x.name as string,
        tech: 'RabbitMQ',
        kind: 'exchange',
        role: 'declared',
        at: at(x.name as string, Math.max(xStart, 0)),
        via: [],
        definitions: true,
        ...(x.type === 'fanout' ? { fanout: true } : x.type === 'direct' ? { direct: true } : {}),
      });
    }
    const bStart = Math.max(text.indexOf('"bindings"'), 0);
    let cursor = bStart;
    for (const b of Array.isArray(doc.bindings) ? (doc.bindings as Record<string, unknown>[]) : []) {
      if (!b || typeof b !== 'object' || typeof b.source !== 'string' || typeof b.destination !== 'string') continue;
      if (b.destination_type !== undefined && b.destination_type !== 'queue') continue;
      const key = typeof b.routing_key === 'string' ? b.routing_key : '';
      const i = text.indexOf(JSON.stringify(b.destination), cursor);
      if (i >= 0) cursor = i + 1;
      out.push({
        channel: b.source,
        tech: 'RabbitMQ',
        kind: 'exchange',
        role: 'declared',
        at: { file, line: i >= 0 ? lineOf(i) : 1 },
        via: [],
        definitions: true,
        binding: `${key || '#'} → ${b.destination}`,
      });
    }
  }
  return out;
}

/**
 * What a queue's consumers reject (or what expires) the broker moves to the queue's dead-letter
 * exchange (`x-dead-letter-exchange`, with `x-dead-letter-routing-key` when set, else the message's
 * own key): each consumer of a queue that declares one produces to that exchange, at its consumer
 * site, when it rejects messages at all (`rejects`); the default exchange (`''`) hands it to the
 * queue the key names. A queue's consumers are read once: what a dead-letter queue's own consumers
 * reject is not followed further.
 */
export function deadLetterSites(sites: Site[], rejects: (consumer: Site) => boolean = () => true): Site[] {
  const targets = new Map<string, { exchange: string; key?: string; definitions?: boolean }>();
  for (const s of sites)
    if (s.deadLetter && s.tech === 'RabbitMQ' && s.kind === 'queue' && !targets.has(s.channel))
      targets.set(s.channel, { ...s.deadLetter, definitions: s.definitions });
  if (targets.size === 0) return sites;
  const out = [...sites];
  for (const s of sites) {
    const dl = s.role === 'consumer' && s.tech === 'RabbitMQ' && s.kind === 'queue' && !s.unresolved ? targets.get(s.channel) : undefined;
    if (!dl || !rejects(s)) continue;
    // Known from the declaration (a definitions file's, or code's) as much as from the consumer's code.
    const base = { tech: 'RabbitMQ', role: 'producer' as const, at: s.at, via: s.via, ...(dl.definitions ? { definitions: true } : {}) };
    if (dl.exchange !== '') out.push({ ...base, channel: dl.exchange, kind: 'exchange', ...(dl.key !== undefined ? { message: dl.key } : {}) });
    else if (dl.key !== undefined && dl.key !== s.channel) out.push({ ...base, channel: dl.key, kind: 'queue' });
  }
  return out;
}

/**
 * A direct exchange that a definitions file binds to one queue only (a queue's own retry or
 * dead-letter entrance, `retry.q.orders` → `q.orders.retry`) is that queue's way in, not a channel
 * of its own: its declaration and bindings are dropped, and whatever publishes to it produces to
 * the queue. Exchanges that code alone declares, and any bound to several queues, stay.
 */
export function foldEntranceExchanges(sites: Site[]): Site[] {
  const direct = new Set(sites.filter((s) => s.definitions && s.direct).map((s) => s.channel));
  const declaredQueues = new Set(sites.filter((s) => s.definitions && s.kind === 'queue').map((s) => s.channel));
  const bound = new Map<string, Set<string>>();
  for (const s of sites) {
    if (!s.binding || !direct.has(s.channel)) continue;
    const queue = s.binding.slice(s.binding.lastIndexOf(' → ') + 3);
    (bound.get(s.channel) ?? bound.set(s.channel, new Set()).get(s.channel)!).add(queue);
  }
  const into = new Map<string, string>();
  for (const [ex, queues] of bound) {
    const [queue, ...more] = [...queues];
    if (queue !== undefined && more.length === 0 && declaredQueues.has(queue)) into.set(ex, queue);
  }
  if (into.size === 0) return sites;
  return sites.flatMap((s): Site[] => {
    const queue = s.kind === 'exchange' ? into.get(s.channel) : undefined;
    if (queue === undefined) return [s];
    if (s.role === 'declared') return [];
    const { message: _key, ...rest } = s;
    return [{ ...rest, channel: queue, kind: 'queue' }];
  });
}

/** Whether the string at `i` is the value of a `"name"` key: `"name"`, spaces, `:`, spaces before it. */
function afterNameKey(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(text[j]!)) j--;
  if (text[j] !== ':') return false;
  j--;
  while (j >= 0 && /\s/.test(text[j]!)) j--;
  return text.slice(Math.max(0, j - 5), j + 1) === '"name"';
}

function makeLineOf(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * AMQP topic matching: `*` is exactly one word, `#` zero or more words; words split on dots.
 * Plain string scanning with a bounded memo (no regular expression on repository text).
 */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  if (p.length > 64 || k.length > 64) return pattern === key;
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const id = i * 65 + j;
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === k.length;
    else if (p[i] === '#') r = go(i + 1, j) || (j < k.length && go(i, j + 1));
    else r = j < k.length && (p[i] === '*' || p[i] === k[j]) && go(i + 1, j + 1);
    memo.set(id, r);
    return r;
  };
  return go(0, 0);
}
