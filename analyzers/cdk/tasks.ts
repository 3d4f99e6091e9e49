/**
 * Step Functions tasks that publish: `new tasks.EventBridgePutEvents(this, 'Id', { entries: [{
 * detailType, source, eventBus }] })`, `new tasks.SnsPublish(this, 'Id', { topic })` and
 * `new tasks.SqsSendMessage(this, 'Id', { queue })`. A state machine is no component, so these
 * are not producers; they are what the infrastructure publishes (`details.producedBy`), and each
 * detail-type an EventBridgePutEvents task puts is an event of its own, as one a handler puts is.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { CallSite } from '../../src/analysis/index-file.js';
import { sortedUnique } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import { constructType, propOf, type App } from './app.js';
import { itemsOf } from './links.js';

/** A detail-type a task puts on a bus: its name, the task's id and where it is written. */
export interface PutEvent {
  detailType: string;
  /** The entry's `source`, when written. */
  source?: string;
  /** The bus's resource key, when the entry names one of the app's buses. */
  bus?: string;
  task: string;
  file: string;
  line: number;
}

export interface TaskPublishes {
  /** Task ids by the resource key of the topic, queue or bus they publish to. */
  byResource: Map<string, Set<string>>;
  events: PutEvent[];
}

const PUBLISHING = new Set(['EventBridgePutEvents', 'SnsPublish', 'SqsSendMessage']);

export function readTaskPublishes(app: App): TaskPublishes {
  const out: TaskPublishes = { byResource: new Map(), events: [] };
  const seen = new Set<string>();
  const credit = (key: string, task: string) => {
    let s = out.byResource.get(key);
    if (!s) out.byResource.set(key, (s = new Set()));
    s.add(task);
  };
  for (const file of app.files) {
    for (const fn of app.ev.indexes.get(file)!.functions.values()) {
      const calls = fn.calls.filter((c: CallSite) => c.isNew && PUBLISHING.has(c.names.length ? c.names[c.names.length - 1]! : c.root));
      if (calls.length === 0) continue;
      for (const scope of app.scopesOf(fn)) {
        for (const call of calls) {
          const t = constructType(app.ev, scope, call);
          if (t?.service !== 'stepfunctions-tasks' || !PUBLISHING.has(t.name)) continue;
          const task = (call.args[1] && app.ev.string(scope, call.args[1])) || `${t.name} (${file}:${call.line})`;
          const props = call.args[2];
          if (t.name === 'EventBridgePutEvents') {
            for (const entry of itemsOf(app, propOf(app, [scope], props, 'entries'))) {
              const busProp = propOf(app, [entry.scope], entry.value, 'eventBus');
              const bus = busProp ? app.ev.construct([busProp.scope], busProp.value) : undefined;
              if (bus) credit(bus.key, task);
              const dt = propOf(app, [entry.scope], entry.value, 'detailType');
              const detailType = dt && app.ev.string(dt.scope, dt.value);
              const key = `${detailType}\u0000${file}:${call.line}`;
              if (detailType === undefined || seen.has(key)) continue;
              seen.add(key);
              const src = propOf(app, [entry.scope], entry.value, 'source');
              const source = src && app.ev.string(src.scope, src.value);
              out.events.push({ detailType, ...(source ? { source } : {}), ...(bus ? { bus: bus.key } : {}), task, file, line: call.line });
            }
          } else {
            const target = propOf(app, [scope], props, t.name === 'SnsPublish' ? 'topic' : 'queue');
            const r = target ? app.ev.construct([target.scope], target.value) : undefined;
            if (r) credit(r.key, task);
          }
        }
      }
    }
  }
  return out;
}

/** Each detail-type the tasks put: an EventBridge event, published by those tasks. */
export function emitPutEvents(ctx: AnalyzerContext, events: readonly PutEvent[]): void {
  const byType = new Map<string, PutEvent[]>();
  for (const e of events) {
    const list = byType.get(e.detailType);
    if (list) list.push(e);
    else byType.set(e.detailType, [e]);
  }
  for (const [detailType, list] of byType) {
    ctx.emit('queues', {
      id: idOf.queue(detailType),
      name: detailType,
      tech: 'Amazon EventBridge',
      producers: [],
      consumers: [],
      details: { kind: 'event', producedBy: sortedUnique(list.map((e) => e.task)) },
      evidence: list.map((e) => ({ file: e.file, line: e.line })),
    });
  }
}

/**
 * The tasks whose events a rule's pattern lets into a queue (`detail-type=…`, `source=…` filters,
 * topology.ts): every filtered attribute must be one the entry writes with a listed value.
 */
export function tasksPassing(events: readonly PutEvent[], filters: ReadonlySet<string>, bus: string | undefined): string[] {
  const wanted = new Map<string, Set<string>>();
  for (const f of filters) {
    const at = f.indexOf('=');
    const name = f.slice(0, at);
    (wanted.get(name) ?? wanted.set(name, new Set()).get(name)!).add(f.slice(at + 1));
  }
  const out: string[] = [];
  for (const e of events) {
    if (bus !== undefined && e.bus !== undefined && e.bus !== bus) continue;
    const attrs: Record<string, string | undefined> = { 'detail-type': e.detailType, source: e.source };
    if ([...wanted].every(([name, values]) => Object.hasOwn(attrs, name) && attrs[name] !== undefined && values.has(attrs[name]!))) out.push(e.task);
  }
  return out;
}
