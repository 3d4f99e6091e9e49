/**
 * The run order, derived from what analyzers declare (one order for the analyse phase and the
 * link phase):
 * - an analyzer runs after every analyzer that provides a product it consumes
 *   (src/analyzer/products.ts);
 * - a link phase that changes a collection in place (`amends`) runs after every other link phase
 *   that reads it (`consumes`), which so reads it as the analyse phases emitted it, unless that
 *   reader consumes a product the amending analyzer provides: it then waits for the change.
 * The file pass (every `scan` at once) waits for no one: a scan consumes products only in its
 * `finish`, which runs at the analyzer's own place in the order, after its providers (a scan's
 * `visit` keeps plain data of one file and needs nothing from another analyzer).
 * Among analyzers free to run, the earlier in registry order goes first, so the order is stable
 * and, for the built-ins, the registry order itself. A product no registered analyzer provides, or
 * analyzers that wait on each other, are errors before anything runs, naming the analyzers. A
 * product whose providers the config disables is only absent: its consumers get none, as when a
 * provider does not apply.
 */
import type { Analyzer } from './define.js';
import { COLLECTIONS } from '../model/schema.js';
import { ArchdocError } from '../util/errors.js';

/** Why one analyzer waits for another: products it gets from it, collections it reads before the other changes them. */
export interface Wait {
  products: string[];
  readsFirst: string[];
}

export interface RunPlan {
  /** The analyzers in the order they run. */
  order: Analyzer[];
  /**
   * Where in `order` the file pass runs (before that analyzer): after the providers of every product
   * an analyzer taking part in it consumes, before the first of them finishes. -1 without scans.
   */
  passAt: number;
  /** Each analyzer's waits: the analyzers that run before it, and why. */
  waitsFor: Map<Analyzer, Map<Analyzer, Wait>>;
}

const collections = new Set<string>(COLLECTIONS);

/**
 * The order in which the enabled `analyzers` (registry order) run. `registered` are all the
 * analyzers known, disabled ones included (by default the enabled ones); `tieOrder` names the
 * analyzers in the order that breaks ties in place of the registry's (tests shuffle it: the
 * output must not change).
 */
export function planRun(analyzers: readonly Analyzer[], opts: { registered?: readonly Analyzer[]; tieOrder?: readonly string[] } = {}): RunPlan {
  const { tieOrder } = opts;
  const known = new Set((opts.registered ?? analyzers).flatMap((a) => a.meta.provides ?? []));
  const providers = new Map<string, Analyzer[]>();
  for (const a of analyzers) {
    for (const p of a.meta.provides ?? []) {
      if (collections.has(p)) throw new ArchdocError(`analyzer ${a.meta.name} provides "${p}", which is a model collection: list it under produces`);
      const list = providers.get(p) ?? [];
      if (!list.includes(a)) list.push(a);
      providers.set(p, list);
    }
  }
  const waitsFor = new Map<Analyzer, Map<Analyzer, Wait>>(analyzers.map((a) => [a, new Map()]));
  const wait = (a: Analyzer, on: Analyzer): Wait => {
    const waits = waitsFor.get(a)!;
    let w = waits.get(on);
    if (!w) waits.set(on, (w = { products: [], readsFirst: [] }));
    return w;
  };
  for (const a of analyzers) {
    for (const c of a.meta.consumes ?? []) {
      if (collections.has(c)) continue;
      if (!known.has(c as never) && !providers.has(c)) throw new ArchdocError(`analyzer ${a.meta.name} consumes "${c}", which no analyzer provides`);
      for (const p of providers.get(c) ?? []) if (p !== a) wait(a, p).products.push(c);
    }
  }
  for (const amender of analyzers) {
    if (!amender.link) continue;
    for (const c of amender.meta.amends ?? []) {
      for (const reader of analyzers) {
        if (reader === amender || !reader.link || !reader.meta.consumes?.includes(c)) continue;
        // A reader waiting for the amender's product reads the change; any other reads before it.
        if (!waitsFor.get(reader)!.get(amender)?.products.length) wait(amender, reader).readsFirst.push(c);
      }
    }
  }

  const rank = new Map(analyzers.map((a, i) => [a, i]));
  if (tieOrder) {
    const at = new Map(tieOrder.map((name, i) => [name, i]));
    for (const a of analyzers) rank.set(a, at.get(a.meta.name) ?? tieOrder.length + rank.get(a)!);
  }
  // The file pass as one more step, waiting for no one, before any of its analyzers finishes.
  const scanning = analyzers.filter((a) => a.scan);
  const nodes = [...analyzers];
  if (scanning.length > 0) {
    const pass = { meta: { name: 'the file pass' } } as Analyzer;
    for (const a of scanning) wait(a, pass);
    waitsFor.set(pass, new Map());
    rank.set(pass, Math.min(...scanning.map((a) => rank.get(a)!)) - 0.5);
    nodes.push(pass);
  }
  const order: Analyzer[] = [];
  const left = new Set(nodes);
  while (left.size > 0) {
    let next: Analyzer | undefined;
    for (const a of left) {
      if ([...waitsFor.get(a)!.keys()].some((p) => left.has(p))) continue;
      if (!next || rank.get(a)! < rank.get(next)!) next = a;
    }
    if (!next) throw new ArchdocError(`analyzers wait on each other: ${describeCycle(left, waitsFor)}`);
    order.push(next);
    left.delete(next);
  }
  const passAt = order.findIndex((a) => !analyzers.includes(a));
  if (passAt >= 0) {
    waitsFor.delete(order[passAt]!);
    for (const a of scanning) waitsFor.get(a)!.delete(order[passAt]!);
    order.splice(passAt, 1);
  }
  return { order, waitsFor, passAt };
}

/** One cycle among analyzers that all wait on another one left, in words. */
function describeCycle(left: ReadonlySet<Analyzer>, waitsFor: Map<Analyzer, Map<Analyzer, Wait>>): string {
  // Every analyzer left waits on one left: walking to the one it waits for repeats one within |left| steps.
  const path: Analyzer[] = [];
  let at = [...left][0]!;
  while (!path.includes(at)) {
    path.push(at);
    at = [...waitsFor.get(at)!.keys()].find((p) => left.has(p))!;
  }
  const cycle = path.slice(path.indexOf(at)).reverse();
  return cycle
    .map((first, i) => {
      const then = cycle[(i + 1) % cycle.length]!;
      const w = waitsFor.get(then)!.get(first)!;
      const why = [
        ...(w.products.length ? [`it consumes ${w.products.join(', ')}`] : []),
        ...(w.readsFirst.length ? [`${first.meta.name} reads ${w.readsFirst.join(', ')} before its link phase changes them`] : []),
      ];
      return `${then.meta.name} runs after ${first.meta.name} (${why.length > 0 ? why.join('; ') : 'it scans scripts in it'})`;
    })
    .join(', ');
}
