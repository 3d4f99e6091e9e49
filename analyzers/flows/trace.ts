/**
 * Traced data flows, after every analyzer's facts are merged: from each entry point (HTTP
 * endpoint, queue consumer, scheduled job) follow the calls the outbound analyzer resolved
 * (handler → services → repositories, through imports, class members and injected providers) up
 * to a bounded depth, collecting the data stores, caches, queues and external services reached.
 * A flow that produces to a queue continues into the queue's consumers in other components.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { CallEffect, ScriptCalls } from '../../src/analysis/calls.js';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { literalHead, propOf, refText, type CallSite, type Fn, type Value } from '../../src/analysis/index-file.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { Evidence, Flow, FlowStep, Model, Queue } from '../../src/model/schema.js';
import { idOf } from '../../src/model/ids.js';

/** The outbound pass's product and an evaluator over its indexes. */
interface Run extends ScriptCalls {
  evaluator: Evaluator;
}

export interface FlowOptions {
  depth: number;
  queueHops: number;
  maxSteps: number;
}

/** Pseudo participants: who starts a flow. */
export const CLIENT = 'client';
export const SCHEDULER = 'scheduler';

const CONSUMER_LINE =
  /new\s+Worker\b|@Processor\s*\(|@Process\s*\(|@EventPattern\s*\(|@MessagePattern\s*\(|@RabbitSubscribe\s*\(|@SqsMessageHandler\s*\(|\.process\s*\(|\.consume\s*\(|\.subscribe\s*\(|eachMessage|\.on\s*\(\s*['"]message|\bWorkerHost\b|@OnEvent\s*\(|@OnQueue/;
const CONSUMER_DECORATORS = new Set(['Process', 'EventPattern', 'MessagePattern', 'RabbitSubscribe', 'SqsMessageHandler', 'OnEvent']);
const SCHEDULE_DECORATORS = new Set(['Cron', 'Interval', 'Timeout']);

interface Entry {
  id: string;
  kind: Flow['entryKind'];
  name: string;
  component: string;
  fns: string[];
  evidence: Evidence[];
  /** The first step (from the caller into the component). */
  from: string;
  action: string;
}

export function traceFlows(model: Model, ctx: AnalyzerContext, calls: ScriptCalls, opts: FlowOptions): Flow[] {
  const run: Run = { ...calls, evaluator: new Evaluator(calls.indexes, (from, specifier) => ctx.resolveImport(from, specifier)) };
  const ev = run.evaluator;
  /** The repository function a handler argument denotes (a callback written in place, or a reference). */
  const handlerOf = (file: string, fn: Fn | undefined, a: Value | undefined): string | undefined => {
    if (a?.k === 'fn') return a.key;
    const ref = refText(a);
    const v = ref ? ev.path(ev.scope(file, fn), ref, 0) : undefined;
    return v?.k === 'fn' ? v.key : undefined;
  };
  // Functions and calls by file and line, built once: a minified bundle holds thousands of routes
  // on one line, and scanning the file's functions for each of them was quadratic.
  const fnsByFile = new Map<string, Fn[]>();
  const namedAt = new Map<string, Fn[]>();
  const callsAt = new Map<string, { fn: Fn; call: CallSite }[]>();
  const at = (file: string, line: number) => `${file}\u0000${line}`;
  const push = <T>(map: Map<string, T[]>, key: string, v: T) => {
    const list = map.get(key);
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  for (const fn of ev.fns.values()) {
    push(fnsByFile, fn.file, fn);
    if (fn.name !== '<module>') {
      const lines = new Set([fn.line, fn.nameLine, ...fn.decorators.map((d) => d.line)]);
      for (const l of lines) push(namedAt, at(fn.file, l), fn);
    }
    for (const call of fn.calls) push(callsAt, at(fn.file, call.line), { fn, call });
  }
  const textLines = new Map<string, string[]>();
  const lineText = (file: string, line: number) => {
    let lines = textLines.get(file);
    if (!lines) textLines.set(file, (lines = ctx.read(file)?.split('\n') ?? []));
    return lines[line - 1] ?? '';
  };

  /**
   * Functions an entry at file:line denotes. `route` narrows a line of several route calls
   * (`app.get('/a', a); app.post('/b', b)`, minified) to the call of that route.
   */
  const entryFns = (file: string, line: number, consumer = false, around = true, route?: { method: string; path: string }): string[] => {
    const fns = fnsByFile.get(file) ?? [];
    const named = namedAt.get(at(file, line)) ?? [];
    const own = named.filter((f) => !f.name.endsWith('<callback>'));
    if (own.length) return own.map((f) => f.key);
    // A call on that line: `router.post('/', auth, handler)`, `new Worker(name, processor)`.
    const out: string[] = [];
    for (const { fn, call } of routeCalls(callsAt.get(at(file, line)) ?? [], route)) {
      for (const a of call.args) {
        const h = handlerOf(file, fn, a);
        if (h) out.push(h);
      }
    }
    if (out.length) return unique(out.slice(-1).concat(out.slice(0, -1)));
    if (named.length) return named.map((f) => f.key);
    // A class decorator (`@Processor('q')`, `@Controller`): its handler methods.
    const idx = run.indexes.get(file);
    for (const cls of idx?.classes.values() ?? []) {
      if (cls.line !== line && !cls.decorators.some((d) => d.line === line)) continue;
      const methods = [...cls.methods.values()].filter((k) => {
        const f = ev.fns.get(k);
        return f && (f.decorators.some((d) => CONSUMER_DECORATORS.has(d.name)) || (consumer && /\.(process|handle)$/.test(f.name)));
      });
      if (methods.length) return methods;
    }
    if (!around) return [];
    // Otherwise the innermost function around the line.
    const inner = fns.filter((f) => f.name !== '<module>' && f.line <= line && line <= f.endLine).sort((a, b) => a.endLine - a.line - (b.endLine - b.line));
    return inner[0] ? [inner[0].key] : [];
  };

  const componentName = (id: string) => model.components.find((c) => c.id === id)?.name ?? id;
  const entries: Entry[] = [];
  for (const ep of model.endpoints) {
    if (!ep.component) continue;
    // The handler's location first (the endpoints analyzer names it), then any other code evidence.
    const routeFile = ep.details?.routeFile;
    const routeLine = ep.details?.routeLine;
    const code = ep.evidence
      .filter((e) => run.indexes.has(e.file))
      .sort((a, b) => Number(b.file === routeFile && b.line === routeLine) - Number(a.file === routeFile && a.line === routeLine));
    let fns: string[] = [];
    const route = { method: ep.method, path: ep.path };
    const first = code.find((e) => (fns = entryFns(e.file, e.line, false, true, route)).length > 0);
    if (!first) continue;
    // One route served by several handlers (alternative adapters): follow each, but never guess
    // a handler from a mount line.
    for (const e of code) if (e !== first) fns.push(...entryFns(e.file, e.line, false, false, route));
    const name = `${ep.method} ${ep.path}`;
    entries.push({ id: ep.id, kind: 'endpoint', name, component: ep.component, fns: unique(fns), evidence: [first], from: CLIENT, action: name });
  }
  const consumerEntries = new Map<string, Entry[]>();
  for (const q of model.queues) {
    const byComponent = new Map<string, { fns: string[]; evidence: Evidence[] }>();
    for (const e of q.evidence) {
      if (!run.indexes.has(e.file)) continue;
      const component = ctx.componentOf(e.file);
      if (!component || !q.consumers.includes(component)) continue;
      if (!CONSUMER_LINE.test(lineText(e.file, e.line))) continue;
      const fns = entryFns(e.file, e.line, true);
      if (!fns.length) continue;
      const acc = byComponent.get(component) ?? { fns: [], evidence: [] };
      acc.fns.push(...fns);
      acc.evidence.push(e);
      byComponent.set(component, acc);
    }
    for (const [component, acc] of byComponent) {
      const path = model.components.find((c) => c.id === component)?.path ?? component;
      const entry: Entry = {
        id: path === '.' ? `consumer:${q.name}` : `consumer:${q.name}@${path}`,
        kind: 'consumer',
        name: `${q.name} consumer in ${componentName(component)}`,
        component,
        fns: unique(acc.fns),
        evidence: sortedEvidence(acc.evidence).slice(0, 1),
        from: q.id,
        action: q.messages?.length ? q.messages.join(', ') : `message from ${q.name}`,
      };
      entries.push(entry);
      consumerEntries.set(q.id, [...(consumerEntries.get(q.id) ?? []), entry]);
    }
  }
  for (const fn of ev.fns.values()) {
    const component = ctx.componentOf(fn.file);
    if (!component) continue;
    const deco = fn.decorators.find((d) => SCHEDULE_DECORATORS.has(d.name));
    if (deco) {
      const a0 = deco.args[0];
      const spec = literalHead(a0) ?? refText(a0) ?? (a0?.k === 'num' ? `${a0.v} ms` : '');
      entries.push(scheduleEntry(model, component, fn.name, [fn.key], { file: fn.file, line: deco.line }, `${deco.name}${spec ? ` ${spec}` : ''}`));
    }
    for (const call of fn.calls) {
      const last = call.names[call.names.length - 1];
      const isSchedule = last === 'schedule' || last === 'scheduleJob' || (call.isNew && call.root === 'CronJob');
      if (!isSchedule) continue;
      const spec = literalHead(call.args[0]);
      const handlers = call.args.flatMap((a) => handlerOf(fn.file, fn, a) ?? []);
      if (!spec || handlers.length === 0) continue;
      const name = handlers.map((h) => ev.fns.get(h)?.name ?? h).find((n) => !n.endsWith('<callback>')) ?? `${spec}`;
      entries.push(scheduleEntry(model, component, name, handlers, { file: fn.file, line: call.line }, `cron ${spec}`));
    }
  }

  // Consumers the messaging analyzer did not report (names through constants it could not
  // resolve): BullMQ `@Processor(NAME)` classes and `new Worker(NAME, fn)`, by the resolved name.
  const fallbackConsumers = new Map<string, Entry[]>();
  for (const idx of run.indexes.values()) {
    const component = ctx.componentOf(idx.file);
    if (!component) continue;
    const path = model.components.find((c) => c.id === component)?.path ?? component;
    const add = (name: string, fns: string[], at: Evidence) => {
      if (!fns.length || model.queues.some((q) => q.name === name)) return;
      const entry: Entry = {
        id: path === '.' ? `consumer:${name}` : `consumer:${name}@${path}`,
        kind: 'consumer',
        name: `${name} consumer in ${componentName(component)}`,
        component,
        fns,
        evidence: [at],
        from: idOf.queue(name),
        action: `message from ${name}`,
      };
      fallbackConsumers.set(name, [...(fallbackConsumers.get(name) ?? []), entry]);
      entries.push(entry);
    };
    for (const cls of idx.classes.values()) {
      const deco = cls.decorators.find((d) => d.name === 'Processor');
      const a0 = deco?.args[0];
      const named = propOf(a0, 'name');
      const name = a0 ? (ev.leading(ev.scope(idx.file), a0) ?? (named ? ev.leading(ev.scope(idx.file), named) : undefined)) : undefined;
      if (!deco || !name) continue;
      const methods = [...cls.methods.values()].filter((k) => {
        const f = ev.fns.get(k);
        return f && (f.decorators.some((d) => d.name === 'Process') || /\.process$/.test(f.name));
      });
      add(name, methods, { file: idx.file, line: deco.line });
    }
    for (const fn of idx.functions.values()) {
      for (const call of fn.calls) {
        if (!call.isNew || call.names.length > 0 || !call.args[0] || !call.args[1]) continue;
        const v = ev.ident(ev.scope(idx.file, fn), call.root);
        if (v?.k !== 'pkg' || (v.pkg !== 'bullmq' && v.pkg !== 'bull') || v.name !== 'Worker') continue;
        const name = ev.leading(ev.scope(idx.file, fn), call.args[0]);
        const key = handlerOf(idx.file, fn, call.args[1]);
        if (name && key) add(name, [key], { file: idx.file, line: call.line });
      }
    }
  }
  for (const [name, list] of fallbackConsumers) consumerEntries.set(idOf.queue(name), [...(consumerEntries.get(idOf.queue(name)) ?? []), ...list]);

  const flows: Flow[] = [];
  const seen = new Set<string>();
  const queues = queueIndexOf(model);
  for (const entry of entries.sort((a, b) => compareStrings(a.id, b.id))) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    const flow = traceEntry(entry, run, queues, consumerEntries, opts);
    if (flow) flows.push(flow);
  }
  const score = (f: Flow) => f.participants.length;
  const ranked = [...flows].sort((a, b) => score(b) - score(a) || compareStrings(a.id, b.id));
  ranked.forEach((f, i) => {
    f.rank = i + 1;
  });
  return flows.sort((a, b) => compareStrings(a.id, b.id));
}

function scheduleEntry(model: Model, component: string, name: string, fns: string[], at: Evidence, spec: string): Entry {
  const path = model.components.find((c) => c.id === component)?.path ?? component;
  return {
    id: path === '.' ? `schedule:${name}` : `schedule:${path}/${name}`,
    kind: 'schedule',
    name: `${name} (${spec})`,
    component,
    fns,
    evidence: [at],
    from: SCHEDULER,
    action: spec,
  };
}

/** The list without repeats, first occurrences in order. */
function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/**
 * The calls of a line that belong to a route: when the line holds several route calls (a first
 * argument that is a path, named by an HTTP method), only those whose method and path end match
 * the endpoint's; every call otherwise, or when none matches.
 */
function routeCalls<T extends { call: CallSite }>(calls: T[], route: { method: string; path: string } | undefined): T[] {
  if (!route || calls.length < 2) return calls;
  const isRoute = (c: CallSite) => (literalHead(c.args[0]) ?? '').startsWith('/') && HTTP_METHODS.has(c.names[c.names.length - 1] ?? '');
  const routes = calls.filter((c) => isRoute(c.call));
  if (routes.length < 2) return calls;
  const method = route.method.toLowerCase();
  const mine = routes.filter(({ call }) => {
    const verb = call.names[call.names.length - 1]!;
    const p = literalHead(call.args[0])!.replace(/\/$/, '');
    return (verb === method || verb === 'all') && (p === '' ? true : route.path === p || route.path.endsWith(p));
  });
  return mine.length ? mine : calls;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);

interface QueueIndex {
  queueByName: Map<string, Queue>;
  queueAtLine: Map<string, Queue>;
}

/** Queues by name and by the file and line of each of their evidence (the first queue wins). */
function queueIndexOf(model: Model): QueueIndex {
  const queueAtLine = new Map<string, Queue>();
  for (const q of model.queues) {
    for (const e of q.evidence) {
      const key = `${e.file}\u0000${e.line}`;
      if (!queueAtLine.has(key)) queueAtLine.set(key, q);
    }
  }
  return { queueByName: new Map(model.queues.map((q) => [q.name, q])), queueAtLine };
}

function traceEntry(entry: Entry, run: Run, queues: QueueIndex, consumers: Map<string, Entry[]>, opts: FlowOptions): Flow | undefined {
  const steps: FlowStep[] = [];
  const participants: string[] = [];
  const stopped = new Set<string>();
  const add = (id: string) => {
    if (!participants.includes(id)) participants.push(id);
  };
  const { queueByName, queueAtLine } = queues;
  const queueAt = (file: string, line: number): Queue | undefined => queueAtLine.get(`${file}\u0000${line}`);
  /** Whether a handler's `@MessagePattern`/`@EventPattern` names this pattern (`'x'`, a constant, `{ cmd: 'x' }`). */
  const handles = (key: string, pattern: string): boolean => {
    const fn = run.evaluator.fns.get(key);
    return !!fn?.decorators.some((d) => {
      if (d.name !== 'MessagePattern' && d.name !== 'EventPattern') return false;
      const a = d.args[0]?.k === 'obj' && Object.keys(d.args[0].props).length === 1 ? Object.values(d.args[0].props)[0] : d.args[0];
      return !!a && run.evaluator.string(run.evaluator.scope(fn.file), a) === pattern;
    });
  };

  const follow = (actor: string, roots: string[], hop: number, visitedQueues: Set<string>) => {
    const visited = new Set<string>();
    /** `pattern`: a NestJS message pattern sent into a queue that carries several (RabbitMQ): only its handlers run. */
    const produced: { queue: Queue; job?: string; pattern?: string }[] = [];
    const visit = (key: string, depth: number, inherited: CallSite['branch']) => {
      if (visited.has(key)) return;
      const fn = run.evaluator.fns.get(key);
      if (!fn) return;
      if (depth > opts.depth) {
        stopped.add(`depth limit (${opts.depth} calls) reached at ${fn.name} (${fn.file}:${fn.line})`);
        return;
      }
      visited.add(key);
      for (const { call, effect } of effectsWithCallbacks(run, key)) {
        if (steps.length >= opts.maxSteps) {
          stopped.add(`step limit (${opts.maxSteps}) reached`);
          return;
        }
        const branch = call.branch ?? inherited;
        const evidence = [{ file: call.line ? fileOfCall(run, key, call) : fn.file, line: call.line }];
        const push = (to: string, action: string, kind: FlowStep['kind']) => {
          add(to);
          const prev = steps[steps.length - 1];
          if (prev && prev.from === actor && prev.to === to && prev.action === action) return;
          const step: FlowStep = { from: actor, to, action, kind, evidence };
          if (branch) step.branch = { id: branch.id, arm: branch.arm, condition: branch.cond };
          steps.push(step);
        };
        switch (effect.k) {
          case 'call':
            visit(effect.fnKey, depth + 1, branch);
            break;
          case 'dispatch':
            // An interface or abstract class: every implementation in the repository may run.
            for (const k of effect.fnKeys) visit(k, depth + 1, branch);
            break;
          case 'store': {
            if (!effect.op) break;
            const store = effect.store;
            const what = effect.entity ? ` ${effect.entity}` : '';
            const ttl = effect.ttl !== undefined ? ` (TTL ${effect.ttl} s)` : '';
            push(store, `${effect.op}${what}${ttl}`, 'sync');
            break;
          }
          case 'external':
            if (effect.create && !effect.what) break;
            push(effect.id, effect.what ?? 'call', 'sync');
            break;
          case 'http':
            push(idOf.external(effect.host), `${effect.method} ${effect.host}`, 'sync');
            break;
          case 'produce': {
            const q = queueAt(evidence[0]!.file, call.line) ?? (effect.queue ? queueByName.get(effect.queue) : undefined);
            const id = q?.id ?? (effect.queue ? idOf.queue(effect.queue) : undefined);
            if (!id) {
              stopped.add(`message produced at ${evidence[0]!.file}:${call.line} to a queue whose name is not known`);
              break;
            }
            push(id, effect.job ? `add ${effect.job}` : 'publish', 'async');
            const known = q ?? (consumers.has(id) ? ({ id, name: effect.queue ?? id.slice(6) } as Queue) : undefined);
            const pattern = !effect.job && q && effect.queue !== q.name && q.messages?.includes(effect.queue ?? '') ? effect.queue : undefined;
            if (known) produced.push({ queue: known, ...(effect.job ? { job: effect.job } : pattern ? { job: pattern, pattern } : {}) });
            else stopped.add(`queue ${effect.queue} is not among the detected queues, so its consumer is not followed`);
            break;
          }
        }
      }
    };
    for (const r of roots) visit(r, 1, undefined);
    if (hop >= opts.queueHops) {
      if (produced.length) stopped.add(`queue hop limit (${opts.queueHops}) reached`);
      return;
    }
    for (const { queue, job, pattern } of produced) {
      if (visitedQueues.has(queue.id)) continue;
      visitedQueues.add(queue.id);
      const next = consumers.get(queue.id) ?? [];
      if (next.length === 0) stopped.add(`no consumer of ${queue.name} found in the repository`);
      for (const c of next) {
        add(c.component);
        steps.push({ from: queue.id, to: c.component, action: job ?? c.action, kind: 'async', evidence: c.evidence });
        // A pattern no handler of the queue names runs nothing there.
        follow(c.component, pattern ? c.fns.filter((k) => handles(k, pattern)) : c.fns, hop + 1, visitedQueues);
      }
    }
  };

  add(entry.component);
  if (entry.kind === 'consumer') add(entry.from);
  follow(entry.component, entry.fns, 0, new Set(entry.kind === 'consumer' ? [entry.from] : []));
  if (steps.length === 0) return undefined;
  const first: FlowStep = {
    from: entry.from,
    to: entry.component,
    action: entry.action,
    kind: entry.kind === 'consumer' ? 'async' : 'sync',
    evidence: entry.evidence,
  };
  const flow: Flow = {
    id: idOf.flow(entry.id),
    name: entry.name,
    entry: entry.id,
    entryKind: entry.kind,
    component: entry.component,
    steps: [first, ...steps],
    participants,
    rank: 1,
    evidence: entry.evidence,
  };
  if (stopped.size) {
    // A handful of reasons says where to look; fifty would bury them.
    const all = [...stopped].sort(compareStrings);
    flow.stoppedAt = all.length > 5 ? [...all.slice(0, 5), `and ${all.length - 5} more places`] : all;
  }
  return flow;
}

function fileOfCall(run: Run, key: string, _call: CallSite): string {
  return run.evaluator.fns.get(key)?.file ?? key.split('#')[0]!;
}

/** A function's effects and those of the callbacks written inside it, in line order. */
function effectsWithCallbacks(run: Run, key: string): { call: CallSite; effect: CallEffect; key: string }[] {
  const out: { call: CallSite; effect: CallEffect; key: string }[] = [];
  const collect = (k: string, depth: number) => {
    for (const l of run.effects.get(k) ?? []) out.push({ ...l, key: k });
    if (depth > 6) return;
    for (const child of run.evaluator.children.get(k) ?? []) {
      const f = run.evaluator.fns.get(child);
      // Named local functions are followed only when called; inline callbacks run in place.
      if (f && f.name.endsWith('<callback>')) collect(child, depth + 1);
    }
  };
  collect(key, 0);
  return out.sort((a, b) => a.call.line - b.call.line);
}
