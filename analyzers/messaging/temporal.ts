/**
 * Temporal (the TypeScript SDK and its NestJS wrappers) on the engine: a task queue is a channel
 * (tech `Temporal`, kind `task queue`). Whoever starts workflows on it (`client.workflow.start`,
 * `execute`, `signalWithStart`, a schedule's `startWorkflow` action, nestjs-temporal-core's
 * `startWorkflow`, a child workflow sent to another queue) or schedules activities on it from a
 * workflow (`proxyActivities({ taskQueue })`) produces; a worker polling it (`Worker.create`, and
 * worker options as the NestJS wrappers take them) consumes. The workflows and activities a worker
 * registers, and the workflow types and activities sent to a queue, are recorded per queue name
 * (`Registry`) and written on the queue fact by `describe`.
 */
import { propOf, refText, type CallSite, type FileIndex, type Fn, type Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { FileFacts } from './detect.js';
import { labelOfValue, type ChannelNames } from './names.js';
import { addSites } from './sites.js';
import type { Val } from './values.js';

export const TEMPORAL_PACKAGES = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/workflow',
  'nestjs-temporal',
  'nestjs-temporal-core',
  'nestjs-temporalio',
  '@tsed-plus/temporal',
];

/** Methods that start a workflow on the task queue their options name. */
const START = new Set([
  'start',
  'execute',
  'signalWithStart',
  'startWorkflow',
  'executeWorkflow',
  'signalWithStartWorkflow',
  'startUpdateWithStart',
  'executeUpdateWithStart',
  'executeChild',
  'startChild',
]);
/** Worker options that register what it runs. */
const WORKER_KEYS = ['workflowsPath', 'workflowBundle', 'activities', 'activityClasses'];

type Obj = { scope: Scope; v: Extract<Value, { k: 'obj' }> };

/** What is known of one queue name: workflow types and activities sent or run, and registrations as `name (file:line)`. */
export interface QueueNotes {
  messages: Set<string>;
  workflows: Set<string>;
  activities: Set<string>;
}

/** Per queue name, what the rules learnt beyond its ends (one per run: the rules fill it, index.ts reads it). */
export class Registry {
  readonly byName = new Map<string, QueueNotes>();

  note(names: Val[], what: Partial<Record<keyof QueueNotes, string[]>>): void {
    for (const v of names) {
      const key = v.text ?? v.env ?? v.expr;
      if (key === undefined) continue;
      const n = this.byName.get(key) ?? this.byName.set(key, { messages: new Set(), workflows: new Set(), activities: new Set() }).get(key)!;
      for (const k of ['messages', 'workflows', 'activities'] as const) for (const x of what[k] ?? []) n[k].add(x);
    }
  }
}

export class TemporalRules {
  constructor(
    private readonly names: ChannelNames,
    private readonly resolveImport: (from: string, specifier: string) => string | undefined,
    private readonly registry: Registry,
  ) {}

  /** A script whose package uses Temporal. */
  detect(file: string, idx: FileIndex, facts: FileFacts): void {
    for (const fn of idx.functions.values()) for (const call of [...fn.calls, ...(fn.chained ?? [])]) this.onCall(idx, { file, fn }, call, facts);
  }

  private vals(scope: Scope, v: Value | undefined): Val[] {
    return labelledValues(this.names, scope, v);
  }

  private add(scope: Scope, line: number, vals: Val[], role: 'producer' | 'consumer', facts: FileFacts): void {
    addSites(facts, scope.file, line, vals, { tech: 'Temporal', kind: 'task queue', role }, 'Temporal task queue');
  }

  private onCall(idx: FileIndex, scope: Scope, call: CallSite, facts: FileFacts): void {
    const method = call.names.length ? call.names[call.names.length - 1]! : call.root;
    if (call.isNew || method === '()') return;
    if (method === 'proxyActivities') {
      // Activities a workflow schedules on another task queue; without `taskQueue` they stay on the workflow's own.
      for (const o of this.names.objects(scope, call.args[0])) {
        if (!has(o, 'taskQueue')) continue;
        const vals = this.vals(o.scope, o.v.props.taskQueue);
        this.add(scope, call.line, vals, 'producer', facts);
        this.registry.note(vals, { messages: activitiesCalled(idx, scope, call) });
      }
      return;
    }
    if (START.has(method)) {
      // `start(workflow, { taskQueue, workflowId, args })`; nestjs-temporal-core: `startWorkflow(name, args, { taskQueue })`.
      for (const a of call.args.slice(1))
        for (const o of this.names.objects(scope, a)) {
          if (!has(o, 'taskQueue')) continue;
          const vals = this.vals(o.scope, o.v.props.taskQueue);
          this.add(scope, call.line, vals, 'producer', facts);
          this.registry.note(vals, { messages: this.workflowNames(scope, call.args[0]) });
        }
      return;
    }
    for (const a of call.args)
      for (const o of this.names.objects(scope, a)) {
        // A schedule: `client.schedule.create({ action: { type: 'startWorkflow', workflowType, taskQueue } })`.
        for (const action of this.names.objects(o.scope, propOf(o.v, 'action'))) {
          if (!has(action, 'taskQueue')) continue;
          const vals = this.vals(action.scope, action.v.props.taskQueue);
          this.add(scope, call.line, vals, 'producer', facts);
          this.registry.note(vals, { messages: this.workflowNames(action.scope, action.v.props.workflowType) });
        }
        for (const w of this.workerOptions(o, [], 0)) {
          const vals = this.vals(w.queue.scope, w.queue.v.props.taskQueue);
          this.add(scope, call.line, vals, 'consumer', facts);
          const workflows = w.regs.flatMap((r) => this.workflowsOf(r));
          const activities = w.regs.flatMap((r) => this.activitiesOf(r));
          this.registry.note(vals, {
            workflows: workflows.map(described),
            activities: activities.map(described),
            messages: [...workflows, ...activities].map((x) => x.name),
          });
        }
      }
  }

  /**
   * Worker options in an argument: an object with `taskQueue` and what it registers
   * (`Worker.create({ taskQueue, workflowsPath, activities })`), also nested as the NestJS wrappers
   * take them: `{ taskQueue, worker: { workflowsPath, activityClasses } }`, `{ workerOptions: {
   * taskQueue, … }, activityClasses }`, `{ workers: [...] }`, and the object a `useFactory` returns.
   */
  private workerOptions(o: Obj, parents: Obj[], depth: number): { queue: Obj; regs: Obj[] }[] {
    if (depth > 3) return [];
    const worker = this.names.objects(o.scope, propOf(o.v, 'worker'));
    if (has(o, 'taskQueue')) {
      const regs = [o, ...worker, ...parents];
      return regs.some((r) => WORKER_KEYS.some((k) => has(r, k))) ? [{ queue: o, regs }] : [];
    }
    const out: { queue: Obj; regs: Obj[] }[] = [];
    for (const inner of this.names.objects(o.scope, propOf(o.v, 'workerOptions'))) out.push(...this.workerOptions(inner, [o, ...parents], depth + 1));
    for (const item of this.names.elements(o.scope, propOf(o.v, 'workers')))
      for (const inner of this.names.objects(item.scope, item.v)) out.push(...this.workerOptions(inner, [], depth + 1));
    const factory = propOf(o.v, 'useFactory');
    const fn = factory?.k === 'fn' ? this.names.ev.fns.get(factory.key) : undefined;
    if (fn)
      for (const r of fn.returns)
        for (const inner of this.names.objects({ file: fn.file, fn }, r)) out.push(...this.workerOptions(inner, [o, ...parents], depth + 1));
    return out;
  }

  /**
   * The workflow types a start names: its strings (also through a wrapper's parameter, from each
   * caller), else the function it denotes (`orderWorkflow`, `workflows.orderWorkflow`) by name.
   */
  private workflowNames(scope: Scope, v: Value | undefined): string[] {
    const texts = this.names.values(scope, v).flatMap((x) => (x.text !== undefined ? [x.text] : []));
    if (texts.length || !v) return texts;
    const r = this.names.ev.value(scope, v);
    const fn = r?.k === 'fn' ? this.names.ev.fns.get(r.key) : undefined;
    if (fn) return [fn.name];
    // A function the repository does not declare (a type-only import of the worker's code): its name as written, unless a parameter or local.
    const text = refText(v);
    const root = text?.split('.')[0];
    for (let f = scope.fn; f && root; f = f.parent ? this.names.ev.fns.get(f.parent) : undefined) if (f.binds.includes(root)) return [];
    return text ? [text.slice(text.lastIndexOf('.') + 1)] : [];
  }

  /** Workflows a worker registers: the exported functions of its `workflowsPath` module (also inside `bundleWorkflowCode({ workflowsPath })`). */
  private workflowsOf(o: Obj): Named[] {
    const paths: Value[] = [];
    if (has(o, 'workflowsPath')) paths.push(o.v.props.workflowsPath!);
    const bundle = propOf(o.v, 'workflowBundle');
    if (bundle?.k === 'call')
      for (const b of this.names.objects(o.scope, bundle.call.args[0])) if (has(b, 'workflowsPath')) paths.push(b.v.props.workflowsPath!);
    const out: Named[] = [];
    for (const p of paths) {
      const rel = relativePath(p);
      const target = rel !== undefined ? this.resolveImport(o.scope.file, rel) : undefined;
      if (target) out.push(...this.exportedFunctions(target, 0));
    }
    return out;
  }

  /** Activities a worker registers: an imported module's or an object's functions (`activities`), the methods of NestJS activity classes (`activityClasses`). */
  private activitiesOf(o: Obj): Named[] {
    const out: Named[] = [];
    if (has(o, 'activities')) {
      const v = o.v.props.activities!;
      const r = this.names.ev.value(o.scope, v);
      if (r?.k === 'module') out.push(...this.exportedFunctions(r.file, 0));
      else if (r?.k === 'object')
        for (const [name, p] of Object.entries(r.props)) out.push({ name, at: p.k === 'fn' ? this.names.ev.fns.get(p.key) : undefined });
      else if (r?.k === 'array' || v.k === 'arr') out.push(...this.classMethods(o.scope, v));
    }
    if (has(o, 'activityClasses')) out.push(...this.classMethods(o.scope, o.v.props.activityClasses!));
    return out;
  }

  /** The activity methods of the classes an array names: those with an `@Activity…` decorator, else every method. */
  private classMethods(scope: Scope, v: Value): Named[] {
    const out: Named[] = [];
    for (const item of this.names.elements(scope, v)) {
      const r = this.names.ev.value(item.scope, item.v);
      if (r?.k !== 'class') continue;
      const cls = this.names.ev.classOf(r.file, r.name);
      if (!cls) continue;
      const methods = [...cls.methods].flatMap(([name, key]) => (name === 'constructor' ? [] : [{ name, at: this.names.ev.fns.get(key) }]));
      const marked = methods.filter((m) => m.at?.decorators.some((d) => d.name.startsWith('Activity')));
      out.push(...(marked.length ? marked : methods));
    }
    return out;
  }

  /** Functions a module exports, through `export *` (three levels at most). */
  private exportedFunctions(file: string, depth: number): Named[] {
    const idx = this.names.ev.indexes.get(file);
    if (!idx || depth > 3) return [];
    const out: Named[] = [];
    for (const [name, local] of idx.exports) {
      const fn = idx.functions.get(`${file}#${local}`);
      if (fn && name !== 'default') out.push({ name, at: fn });
    }
    // `export { reserveStock } from './stock'`: the function as the other module declares it.
    for (const [name, r] of idx.reexports) {
      const target = this.resolveImport(file, r.module);
      const there = target ? this.names.ev.indexes.get(target) : undefined;
      const fn = there?.functions.get(`${target}#${there.exports.get(r.name) ?? r.name}`);
      if (fn && name !== 'default') out.push({ name, at: fn });
    }
    for (const spec of idx.starExports) {
      const target = this.resolveImport(file, spec);
      if (target) out.push(...this.exportedFunctions(target, depth + 1));
    }
    return out;
  }
}

/** Values of a channel name; when none is known, the expression itself (as a label). */
export function labelledValues(names: ChannelNames, scope: Scope, v: Value | undefined): Val[] {
  const out = names.values(scope, v);
  if (out.some((x) => x.text !== undefined || x.env !== undefined)) return out;
  const label = labelOfValue(names.ev, scope, v);
  return label ? [{ expr: label, via: [] }] : out;
}

interface Named {
  name: string;
  /** The function that implements it. */
  at?: Fn;
}

function described(n: Named): string {
  return n.at ? `${n.name} (${n.at.file}:${n.at.nameLine})` : n.name;
}

function has(o: Obj, key: string): boolean {
  return Object.hasOwn(o.v.props, key) && o.v.props[key]!.k !== 'fn';
}

/**
 * The module a workflows path names, relative to the file: `require.resolve('./workflows')`,
 * `join(__dirname, 'workflows/order')`, `path.resolve(__dirname, './workflows')`,
 * `new URL('./workflows', import.meta.url)` (also inside `fileURLToPath(…)`), `` `${__dirname}/workflows` ``.
 */
export function relativePath(v: Value, depth = 0): string | undefined {
  const rel = (p: string) => (p.startsWith('.') ? p : `./${p.replace(/^\/+/, '')}`);
  if (depth > 2) return undefined;
  if (v.k === 'str') return v.v.startsWith('.') ? v.v : undefined;
  if (v.k === 'tpl' && v.exprs.length === 1 && refText(v.exprs[0]) === '__dirname' && v.quasis[0] === '') return rel(v.quasis[1] ?? '');
  if (v.k !== 'call') return undefined;
  const c = v.call;
  const last = c.names.length ? c.names[c.names.length - 1] : c.root;
  if (c.root === 'require' && last === 'resolve') return c.args[0]?.k === 'str' ? c.args[0].v : undefined;
  if (c.isNew && c.root === 'URL') return c.args[0]?.k === 'str' ? rel(c.args[0].v) : undefined;
  if ((last === 'join' || last === 'resolve') && refText(c.args[0]) === '__dirname') {
    const parts = c.args.slice(1).map((a) => (a.k === 'str' ? a.v : undefined));
    return parts.every((p) => p !== undefined) && parts.length ? rel(parts.join('/')) : undefined;
  }
  if (c.args.length === 1 && c.args[0]) return relativePath(c.args[0], depth + 1);
  return undefined;
}

/** Activity names a workflow calls on the proxy a `proxyActivities(…)` call makes: `acts.charge(…)` of `const acts = proxyActivities(…)`, or `const { charge } = proxyActivities(…)`. */
function activitiesCalled(idx: FileIndex, scope: Scope, call: CallSite): string[] {
  const same = (v: Value | undefined) => v?.k === 'call' && v.call.line === call.line && v.call.root === call.root;
  const holders = new Set<string>();
  const out = new Set<string>();
  for (const [name, v] of idx.vars) if (same(v)) idx.destructured.has(name) ? out.add(idx.destructured.get(name)!) : holders.add(name);
  for (const [name, v] of scope.fn?.locals ?? []) if (same(v)) holders.add(name);
  if (holders.size)
    for (const fn of idx.functions.values()) for (const c of fn.calls) if (holders.has(c.root) && c.names.length === 1 && !c.isNew) out.add(c.names[0]!);
  return [...out].sort();
}
