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
 *   `now(name)` and `create(name)` produce.
 *
 * The receiver must look like the library's client: named so (`boss`, `inngest`, `agenda`), or
 * holding what the package's constructor makes (`new PgBoss(…)`, `new Inngest(…)`, `new Agenda(…)`).
 */
import { propOf, type CallSite, type FileIndex, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { FileFacts, Role } from './detect.js';
import { labelOfValue, type ChannelNames } from './names.js';
import { addSites } from './sites.js';
import type { Val } from './values.js';
import type { Registry } from './temporal.js';

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
    if (libs.length === 0) return;
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

  private vals(scope: Scope, v: Value | undefined): Val[] {
    const out = this.names.values(scope, v);
    if (out.some((x) => x.text !== undefined || x.env !== undefined)) return out;
    const label = labelOfValue(v);
    return label ? [{ expr: label, via: [] }] : out;
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
    const items = v?.k === 'arr' ? v.items : [v];
    return items.flatMap((i) => this.names.objects(scope, i)).flatMap((o) => (Object.hasOwn(o.v.props, 'name') ? this.vals(o.scope, o.v.props.name) : []));
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
