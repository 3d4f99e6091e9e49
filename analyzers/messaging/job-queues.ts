/**
 * Job queues and event functions on the engine, read where the script's package uses the library:
 *
 * - pg-boss: `boss.send(name, data)` (also `send({ name, data })`, `sendAfter`, `sendThrottled`,
 *   `sendDebounced`, `sendSingleton`, `insert`) and `boss.schedule(name, cron)` produce,
 *   `boss.work(name, [options], handler)` and `fetch(name)` consume, `createQueue(name)` declares;
 * - Inngest: `inngest.createFunction({ id }, { event }, handler)` (or `triggers: [{ event }]` in the
 *   options) consumes the event, `inngest.send({ name, data })` (one or an array) and
 *   `step.sendEvent(id, { name })` produce it; cron triggers are no channel;
 * - Agenda: `agenda.define(name, handler)` consumes, `every(interval, name)`, `schedule(when, name)`,
 *   `now(name)` and `create(name)` produce;
 * - Trigger.dev: `task({ id })`, `schemaTask({ id })`, `schedules.task({ id })` consume (run) the task,
 *   `tasks.trigger(id, …)` (`batchTrigger`, `triggerAndPoll`), `batch.trigger([{ id }])` and
 *   `myTask.trigger(…)` (`triggerAndWait`, `batchTrigger…`, on the constant a `task({ id })` is held in) produce;
 * - Graphile Worker: `quickAddJob(options, identifier)` and `addJob(identifier)` produce, `run({ taskList })`
 *   (its keys) and `run({ taskDirectory })` (the names of the scripts in that folder) consume;
 * - bee-queue: `new Queue(name)` declares, `queue.createJob(data).save()` produces, `queue.process(fn)` consumes.
 *
 * The receiver must look like the library's client: named so (`boss`, `inngest`, `agenda`), or
 * holding what the package's constructor makes (`new PgBoss(…)`, `new Inngest(…)`, `new Agenda(…)`).
 */
import { propOf, type CallSite, type FileIndex, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { FileFacts, Role } from './detect.js';
import type { ChannelNames } from './names.js';
import { addSites } from './sites.js';
import type { Val } from './values.js';
import { labelledValues, relativePath, type Registry } from './temporal.js';

interface Library {
  tech: string;
  kind: string;
  packages: string[];
  /** A receiver's last name that says it is the library's client. */
  client: RegExp;
}

export const JOB_LIBRARIES = {
  pgBoss: { tech: 'pg-boss', kind: 'queue', packages: ['pg-boss'], client: /boss/i },
  inngest: { tech: 'Inngest', kind: 'event', packages: ['inngest'], client: /inngest/i },
  agenda: { tech: 'Agenda', kind: 'job', packages: ['agenda', '@hokify/agenda'], client: /agenda/i },
} satisfies Record<string, Library>;

const TRIGGER_DEV: Library = { tech: 'Trigger.dev', kind: 'task', packages: ['@trigger.dev/sdk', '@trigger.dev/sdk/v3'], client: /^tasks$/ };
const GRAPHILE: Library = { tech: 'Graphile Worker', kind: 'job', packages: ['graphile-worker'], client: /./ };
const BEE_QUEUE: Library = { tech: 'bee-queue', kind: 'queue', packages: ['bee-queue'], client: /./ };
/** Every library read here, by tech (engines.ts describes their queues). */
export const JOB_TECHS = [...Object.values(JOB_LIBRARIES), TRIGGER_DEV, GRAPHILE, BEE_QUEUE].map((l) => l.tech);
const TRIGGER_METHODS = new Set(['trigger', 'batchTrigger', 'triggerAndWait', 'batchTriggerAndWait', 'triggerAndPoll']);

const PG_BOSS_PRODUCE = new Set(['send', 'sendAfter', 'sendThrottled', 'sendDebounced', 'sendSingleton', 'insert', 'schedule']);
const AGENDA_PRODUCE: Record<string, number> = { every: 1, schedule: 1, now: 0, create: 0 };

export class JobQueueRules {
  constructor(
    private readonly names: ChannelNames,
    private readonly registry: Registry,
    /** Whether a script's package uses one of these packages (imported, or depended on). */
    private readonly uses: (file: string, packages: readonly string[]) => boolean,
  ) {}

  detect(file: string, idx: FileIndex, facts: FileFacts): void {
    const libs = Object.values(JOB_LIBRARIES).filter((l) => this.uses(file, l.packages));
    if (libs.length > 0) this.clientCalls(file, idx, libs, facts);
    if (this.uses(file, TRIGGER_DEV.packages)) for (const fn of idx.functions.values()) for (const call of fn.calls) this.triggerDev({ file, fn }, call, facts);
    if (this.uses(file, GRAPHILE.packages)) for (const fn of idx.functions.values()) for (const call of fn.calls) this.graphile({ file, fn }, call, facts);
    if (this.uses(file, BEE_QUEUE.packages)) for (const fn of idx.functions.values()) for (const call of fn.calls) this.beeQueue({ file, fn }, call, facts);
  }

  /** pg-boss, Inngest and Agenda: calls on the library's client. */
  private clientCalls(file: string, idx: FileIndex, libs: Library[], facts: FileFacts): void {
    for (const fn of idx.functions.values())
      for (const call of fn.calls) {
        if (call.isNew || call.names.length === 0) continue;
        const scope: Scope = { file, fn };
        for (const lib of libs) {
          if (!this.isClient(scope, call, lib)) continue;
          if (lib === JOB_LIBRARIES.pgBoss) this.pgBoss(scope, call, facts);
          else if (lib === JOB_LIBRARIES.inngest) this.inngest(scope, call, facts);
          else this.agenda(scope, call, facts);
        }
        // Inngest's step tools inside a function: `step.sendEvent('id', { name })`.
        if (libs.includes(JOB_LIBRARIES.inngest) && call.names.length === 1 && call.names[0] === 'sendEvent')
          for (const v of this.eventNames(scope, call.args[1])) this.add(scope, call.line, [v], JOB_LIBRARIES.inngest, 'producer', facts);
      }
  }

  /** Whether a name is a package's export (`task` imported from '@trigger.dev/sdk'). */
  private isExport(scope: Scope, root: string, lib: Library, names?: string[]): boolean {
    const r = this.names.ev.ident(scope, root);
    return r?.k === 'pkg' && lib.packages.includes(r.pkg) && (!names || names.includes(r.name));
  }

  /** The ids of the tasks a value holds: `const sendEmail = task({ id: 'send-email', … })`, here or imported. */
  private taskIds(scope: Scope, path: string): Val[] {
    return this.names.holders(scope, { k: 'ref', path }).flatMap((h) => {
      if (h.k !== 'value' || h.v.k !== 'call' || !this.isTaskCall(h.scope, h.v.call)) return [];
      return this.names.objects(h.scope, h.v.call.args[0]).flatMap((o) => this.vals(o.scope, propOf(o.v, 'id')));
    });
  }

  private isTaskCall(scope: Scope, c: CallSite): boolean {
    if (c.names.length === 0) return this.isExport(scope, c.root, TRIGGER_DEV, ['task', 'schemaTask']);
    return c.names.length === 1 && c.names[0] === 'task' && this.isExport(scope, c.root, TRIGGER_DEV, ['schedules']);
  }

  private triggerDev(scope: Scope, call: CallSite, facts: FileFacts): void {
    if (call.isNew) return;
    if (this.isTaskCall(scope, call)) {
      for (const o of this.names.objects(scope, call.args[0]))
        this.add(scope, call.line, this.vals(o.scope, propOf(o.v, 'id')), TRIGGER_DEV, 'consumer', facts);
      return;
    }
    const method = call.names[call.names.length - 1];
    if (call.names.length !== 1 || !method) return;
    if (this.isExport(scope, call.root, TRIGGER_DEV, ['tasks']) && TRIGGER_METHODS.has(method))
      this.add(scope, call.line, this.vals(scope, call.args[0]), TRIGGER_DEV, 'producer', facts);
    else if (this.isExport(scope, call.root, TRIGGER_DEV, ['batch']) && method.startsWith('trigger')) {
      // `batch.trigger([{ id, payload }])`, `batch.triggerByTask([{ task: myTask, payload }])`.
      for (const item of this.names.elements(scope, call.args[0]))
        for (const o of this.names.objects(item.scope, item.v)) {
          const t = propOf(o.v, 'task');
          const vals = t?.k === 'ref' ? this.taskIds(o.scope, t.path) : this.vals(o.scope, propOf(o.v, 'id'));
          this.add(scope, call.line, vals, TRIGGER_DEV, 'producer', facts);
        }
    } else if (TRIGGER_METHODS.has(method)) {
      const vals = this.taskIds(scope, call.root);
      if (vals.length) this.add(scope, call.line, vals, TRIGGER_DEV, 'producer', facts);
    }
  }

  private graphile(scope: Scope, call: CallSite, facts: FileFacts): void {
    if (call.isNew) return;
    const method = call.names.length ? call.names[call.names.length - 1]! : call.root;
    if (method === 'quickAddJob' && (call.names.length > 0 || this.isExport(scope, call.root, GRAPHILE)))
      this.add(scope, call.line, this.vals(scope, call.args[1]), GRAPHILE, 'producer', facts);
    else if (method === 'addJob' && call.names.length > 0) this.add(scope, call.line, this.vals(scope, call.args[0]), GRAPHILE, 'producer', facts);
    else if ((method === 'run' || method === 'runOnce') && call.names.length === 0 && this.isExport(scope, call.root, GRAPHILE)) {
      for (const o of this.names.objects(scope, call.args[0])) {
        for (const list of this.names.objects(o.scope, propOf(o.v, 'taskList')))
          for (const name of Object.keys(list.v.props)) this.add(scope, call.line, [{ text: name, via: [] }], GRAPHILE, 'consumer', facts);
        const dir = propOf(o.v, 'taskDirectory');
        const rel = dir ? relativePath(dir) : undefined;
        if (rel === undefined) continue;
        const base = joinPath(scope.file.slice(0, scope.file.lastIndexOf('/') + 1), rel);
        for (const f of this.names.ev.indexes.keys()) {
          if (!f.startsWith(`${base}/`) || f.slice(base.length + 1).includes('/')) continue;
          const name = f.slice(base.length + 1).replace(/\.[cm]?[jt]s$/, '');
          this.add(scope, call.line, [{ text: name, via: [{ file: f, line: 1 }] }], GRAPHILE, 'consumer', facts);
        }
      }
    }
  }

  private beeQueue(scope: Scope, call: CallSite, facts: FileFacts): void {
    const at = call.names.indexOf('createJob');
    const method = call.names[call.names.length - 1];
    const role: Role | undefined = at > 0 || (at === 0 && call.root) ? 'producer' : method === 'process' ? 'consumer' : undefined;
    if (call.isNew && call.names.length === 0 && this.isExport(scope, call.root, BEE_QUEUE)) {
      this.add(scope, call.line, this.vals(scope, call.args[0]), BEE_QUEUE, 'declared', facts);
      return;
    }
    if (!role || call.isNew) return;
    const recv = role === 'producer' ? call.names.slice(0, at) : call.names.slice(0, -1);
    if (recv.includes('()')) return;
    for (const h of this.names.holders(scope, { k: 'ref', path: [call.root, ...recv].join('.') })) {
      if (h.k !== 'value' || h.v.k !== 'call' || !h.v.call.isNew || !this.isExport(h.scope, h.v.call.root, BEE_QUEUE)) continue;
      this.add(scope, call.line, this.vals(h.scope, h.v.call.args[0]), BEE_QUEUE, role, facts);
    }
  }

  private vals(scope: Scope, v: Value | undefined): Val[] {
    return labelledValues(this.names, scope, v);
  }

  private add(scope: Scope, line: number, vals: Val[], lib: Library, role: Role, facts: FileFacts, message?: string): void {
    addSites(facts, scope.file, line, vals, { tech: lib.tech, kind: lib.kind, role }, `${lib.tech} ${lib.kind} name`);
    if (message) this.registry.note(vals, { messages: [message] });
  }

  /** The receiver is the library's client: named so, or holding what the package's constructor makes. */
  private isClient(scope: Scope, call: CallSite, lib: Library): boolean {
    const recv = call.names.slice(0, -1);
    if (recv.includes('()')) return false;
    const last = recv.length ? recv[recv.length - 1]! : call.root;
    if (lib.client.test(last)) return true;
    const path = [call.root, ...recv].join('.');
    return this.names.holders(scope, { k: 'ref', path }).some((h) => {
      if (h.k !== 'value' || h.v.k !== 'call' || !h.v.call.isNew) return false;
      const r = this.names.ev.ident(h.scope, h.v.call.root);
      return r?.k === 'pkg' && lib.packages.includes(r.pkg);
    });
  }

  private pgBoss(scope: Scope, call: CallSite, facts: FileFacts): void {
    const method = call.names[call.names.length - 1]!;
    const a0 = call.args[0];
    const lib = JOB_LIBRARIES.pgBoss;
    if (PG_BOSS_PRODUCE.has(method)) {
      // `send({ name, data })` and `insert([{ name, data }])` name the queue in the job.
      const jobs = a0?.k === 'arr' ? a0.items.flatMap((i) => this.names.objects(scope, i)) : this.names.objects(scope, a0);
      const vals = jobs.length ? jobs.flatMap((o) => this.vals(o.scope, propOf(o.v, 'name'))) : this.vals(scope, a0);
      this.add(scope, call.line, vals, lib, 'producer', facts);
    } else if (method === 'work' || method === 'fetch') this.add(scope, call.line, this.vals(scope, a0), lib, 'consumer', facts);
    else if (method === 'createQueue') this.add(scope, call.line, this.vals(scope, a0), lib, 'declared', facts);
  }

  private inngest(scope: Scope, call: CallSite, facts: FileFacts): void {
    const method = call.names[call.names.length - 1]!;
    const lib = JOB_LIBRARIES.inngest;
    if (method === 'send') {
      for (const v of this.eventNames(scope, call.args[0])) this.add(scope, call.line, [v], lib, 'producer', facts);
      return;
    }
    if (method !== 'createFunction') return;
    const options = this.names.objects(scope, call.args[0]);
    const id = options.flatMap((o) => this.names.values(o.scope, propOf(o.v, 'id') ?? propOf(o.v, 'name'))).find((v) => v.text)?.text;
    // v3: the trigger is the second argument; v4 (and v3's `triggers`): the options' `triggers`.
    const triggers = [call.args[1], ...options.map((o) => propOf(o.v, 'triggers'))];
    for (const t of triggers) {
      const list = t?.k === 'arr' ? t.items : t ? [t] : [];
      for (const item of list)
        for (const o of this.names.objects(scope, item)) {
          if (!Object.hasOwn(o.v.props, 'event')) continue;
          this.add(scope, call.line, this.vals(o.scope, o.v.props.event), lib, 'consumer', facts, id);
        }
    }
  }

  /** Event names of an Inngest payload: `{ name }` or an array of them. */
  private eventNames(scope: Scope, v: Value | undefined): Val[] {
    // `ids.map((id) => ({ name, data: { id } }))`: what the callback returns.
    const cb = v?.k === 'call' && v.call.names[v.call.names.length - 1] === 'map' ? v.call.args[0] : undefined;
    const fn = cb?.k === 'fn' ? this.names.ev.fns.get(cb.key) : undefined;
    const items: [Scope, Value | undefined][] = fn
      ? fn.returns.map((r) => [{ file: fn.file, fn }, r])
      : (v?.k === 'arr' ? v.items : [v]).map((i) => [scope, i]);
    return items.flatMap(([s, i]) => this.names.objects(s, i)).flatMap((o) => (Object.hasOwn(o.v.props, 'name') ? this.vals(o.scope, o.v.props.name) : []));
  }

  private agenda(scope: Scope, call: CallSite, facts: FileFacts): void {
    const method = call.names[call.names.length - 1]!;
    const lib = JOB_LIBRARIES.agenda;
    if (method === 'define') this.add(scope, call.line, this.vals(scope, call.args[0]), lib, 'consumer', facts);
    else if (Object.hasOwn(AGENDA_PRODUCE, method)) {
      const a = call.args[AGENDA_PRODUCE[method]!];
      const vals = a?.k === 'arr' ? a.items.flatMap((i) => this.vals(scope, i)) : this.vals(scope, a);
      this.add(scope, call.line, vals, lib, 'producer', facts);
    }
  }
}

/** A folder path joined to a relative one, `.` and `..` resolved. */
function joinPath(dir: string, rel: string): string {
  const out = dir.split('/').filter(Boolean);
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
