/**
 * Fan-out topology across analyzers: which publishes reach a queue through an SNS topic or an
 * EventBridge bus, and channels one stack exports and another imports.
 *
 * - **Attributes.** A publish's message attributes as written (`MessageAttributes: { actionType:
 *   { DataType: 'String', StringValue: 'customer_otp' } }`; an EventBridge entry's `DetailType` and
 *   `Source`) are kept per producer site (`details.messageAttributes`: `file:line name=value`).
 * - **Filters.** Infrastructure analyzers list the attribute values a subscription's filter policy
 *   or a rule's event pattern lets through on the queue it feeds (`details.filters`: `name=value`;
 *   several values of one name are alternatives, several names must all match; `name=?` is a
 *   filter whose values are not known).
 * - **Exports.** A channel another stack imports by its CloudFormation export name
 *   (`Fn.importValue('orders-topic')`, `Fn::ImportValue`) is `queue:export:<name>` where it is
 *   imported; the channel whose `details.exportNames` lists the name is the same one.
 */
import { compareById, sortedUnique } from '../../src/model/compare.js';
import { mergeFacts } from '../../src/model/merge.js';
import type { Model, Queue } from '../../src/model/schema.js';
import { parseId } from '../../src/model/ids.js';
import { propOf, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { ChannelNames } from './names.js';

/** Message attributes at most read from one publish (a bounded object literal as written). */
const MAX_ATTRIBUTES = 16;

/**
 * The string attributes an SNS publish's `MessageAttributes` object gives, as `name=value`, when
 * both are known (`{ actionType: { DataType: 'String', StringValue: 'customer_otp' } }`).
 */
export function snsAttributes(names: ChannelNames, o: { scope: Scope; v: Extract<Value, { k: 'obj' }> }): string[] {
  const out: string[] = [];
  for (const attrs of names.objects(o.scope, propOf(o.v, 'MessageAttributes'))) {
    for (const [name, spec] of Object.entries(attrs.v.props).slice(0, MAX_ATTRIBUTES)) {
      for (const s of names.objects(attrs.scope, spec)) {
        for (const v of names.values(s.scope, propOf(s.v, 'StringValue'))) if (v.text !== undefined) out.push(`${name}=${v.text}`);
      }
    }
  }
  return sortedUnique(out);
}

/** What an EventBridge entry says of itself, as a rule's event pattern matches it: `detail-type=…`, `source=…`. */
export function eventAttributes(names: ChannelNames, entry: { scope: Scope; v: Extract<Value, { k: 'obj' }> }): string[] {
  const out: string[] = [];
  for (const [key, attr] of [
    ['DetailType', 'detail-type'],
    ['Source', 'source'],
  ] as const) {
    // '' is a placeholder set before the code fills it in, not a detail-type.
    for (const v of names.values(entry.scope, propOf(entry.v, key))) if (v.text) out.push(`${attr}=${v.text}`);
  }
  return sortedUnique(out);
}

/** `name=value` → [name, value]; the first `=` splits (values may hold one). */
function split(a: string): [string, string] {
  const i = a.indexOf('=');
  return i < 0 ? [a, ''] : [a.slice(0, i), a.slice(i + 1)];
}

/**
 * Whether a publish with these attributes passes a filter: for every name the filter names, the
 * publish gives that name one of the values allowed. A filter value not known (`?`) passes nothing.
 */
export function passes(filters: readonly string[], attributes: readonly string[]): boolean {
  const allowed = new Map<string, Set<string>>();
  for (const f of filters) {
    const [name, value] = split(f);
    (allowed.get(name) ?? allowed.set(name, new Set()).get(name)!).add(value);
  }
  const given = new Map<string, Set<string>>();
  for (const a of attributes) {
    const [name, value] = split(a);
    (given.get(name) ?? given.set(name, new Set()).get(name)!).add(value);
  }
  for (const [name, values] of allowed) {
    const have = given.get(name);
    if (!have || ![...have].some((v) => values.has(v))) return false;
  }
  return true;
}

const EXPORT_PREFIX = 'export:';

/**
 * A channel imported by export name (`queue:export:<name>`) is the one channel whose
 * `details.exportNames` lists the name: merged into it, and every `fedBy`/`drainedBy` naming it
 * renamed. An import no channel of the repository exports stays under the export's name when it
 * links channels (an imported topic a queue subscribes to); one that only carried an environment
 * variable is dropped, so the code's `queue:env:<NAME>` stays as it was.
 */
export function joinQueuesByExport(model: Pick<Model, 'queues'>): void {
  const byExport = new Map<string, Queue[]>();
  for (const q of model.queues) {
    const names = q.details?.exportNames;
    if (!Array.isArray(names) || isImport(q.id)) continue;
    for (const n of names as string[]) {
      const list = byExport.get(n);
      if (list) list.push(q);
      else byExport.set(n, [q]);
    }
  }
  const renamed = new Map<string, string>();
  const drop = new Set<string>();
  for (const q of model.queues) {
    if (!isImport(q.id)) continue;
    const targets = byExport.get(parseId(q.id)!.key.slice(EXPORT_PREFIX.length)) ?? [];
    if (targets.length === 1) {
      const t = targets[0]!;
      Object.assign(t, mergeFacts(t as Queue & Record<string, unknown>, { ...q, id: t.id, name: t.name, tech: t.tech } as Queue & Record<string, unknown>));
      renamed.set(q.id, t.id);
      drop.add(q.id);
    } else if (!q.details?.drainedBy && !q.details?.fedBy && q.producers.length === 0 && q.consumers.length === 0) {
      drop.add(q.id);
    }
  }
  if (drop.size === 0) return;
  model.queues = model.queues.filter((q) => !drop.has(q.id)).sort(compareById);
  for (const q of model.queues) {
    for (const key of ['fedBy', 'drainedBy'] as const) {
      const ids = q.details?.[key] as string[] | undefined;
      if (ids?.some((id) => renamed.has(id))) q.details![key] = sortedUnique(ids.map((id) => renamed.get(id) ?? id).filter((id) => id !== q.id));
    }
  }
}

function isImport(id: string): boolean {
  const p = parseId(id);
  return p?.kind === 'queue' && p.key.startsWith(EXPORT_PREFIX);
}

/**
 * An EventBridge rule that sends events of a detail-type (`detail-type=CheckoutBasket` among a
 * queue's filters) into a queue drains that detail-type's channel (`queue:CheckoutBasket`, kind
 * `event`, which the publishing code names) as well as the bus: the queue's consumers are the
 * event's, as they are the bus's.
 */
export function linkDetailTypes(queues: Queue[]): void {
  const events = new Map(queues.filter((q) => q.tech === 'Amazon EventBridge' && q.details?.kind === 'event').map((q) => [q.name, q]));
  if (events.size === 0) return;
  for (const q of queues) {
    const filters = (q.details?.filters as string[] | undefined) ?? [];
    for (const f of filters) {
      const [name, value] = split(f);
      const ev = name === 'detail-type' ? events.get(value) : undefined;
      if (!ev || ev === q) continue;
      ev.details!.drainedBy = sortedUnique([...((ev.details!.drainedBy as string[] | undefined) ?? []), q.id]);
      q.details!.fedBy = sortedUnique([...((q.details!.fedBy as string[] | undefined) ?? []), ev.id]);
    }
  }
}

/**
 * A queue whose way in is filtered (`details.filters`) gets as producers the components whose
 * publishes to the feeder pass the filter, read per producer site of the feeder
 * (`details.messageAttributes`); a filter no publish passes gives it none. Returns the queues so
 * credited, which the unfiltered rule (one publisher, no routing keys) leaves alone.
 */
export function routeFiltered(queues: Queue[], ownerOf: (site: string) => string | undefined): Set<string> {
  const byId = new Map(queues.map((q) => [q.id, q]));
  const done = new Set<string>();
  for (const q of queues) {
    const filters = (q.details?.filters as string[] | undefined) ?? [];
    if (filters.length === 0) continue;
    done.add(q.id);
    for (const id of (q.details?.fedBy as string[] | undefined) ?? []) {
      const feeder = byId.get(id);
      if (!feeder || feeder.details?.bindings !== undefined) continue;
      const bySite = new Map<string, string[]>();
      for (const a of (feeder.details?.messageAttributes as string[] | undefined) ?? []) {
        const cut = a.indexOf(' ');
        if (cut > 0) (bySite.get(a.slice(0, cut)) ?? bySite.set(a.slice(0, cut), []).get(a.slice(0, cut))!).push(a.slice(cut + 1));
      }
      const sites = (feeder.details?.producerSites as string[] | undefined) ?? [];
      const credited = sortedUnique(sites.filter((s) => passes(filters, bySite.get(s) ?? [])).flatMap((s) => ownerOf(s) ?? []));
      const extra = credited.filter((p) => !q.producers.includes(p));
      if (extra.length === 0) continue;
      q.producers = sortedUnique([...q.producers, ...extra]);
      q.details!.routedProducers = sortedUnique([...((q.details!.routedProducers as string[] | undefined) ?? []), ...extra]);
    }
  }
  return done;
}
