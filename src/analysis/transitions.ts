/**
 * State transitions of enum-typed status/state fields, only where code makes them statically
 * clear: a write that sets the field to a literal state, guarded by the previous state in the
 * same statement (`where: { status: 'PENDING' }`, `.where(eq(t.status, 'PENDING'))`) or by an
 * enclosing or preceding `if` on the field (`if (order.status !== 'PENDING') throw …`).
 * A write without such a guard is not a transition: nothing is ever inferred. A create with a
 * literal state is recorded as an entry transition (`[*]` → state).
 *
 * Read from the writes each script's index holds (`writes.ts`, `FileIndex.writes`), never from a
 * tree: an analyzer keeps them in its scan's `visitIndex` and reads them against its state
 * machines in `finish`.
 */
import { compareStrings, sortedEvidence } from '../model/compare.js';
import type { Evidence } from '../model/schema.js';
import { propOf, type FileIndex, type Value } from './index-file.js';
import type { Cond, Guard, StateWrite, WhereCall } from './writes.js';

export interface StateMachineInput {
  entityId: string;
  /** Property name used in code. */
  field: string;
  values: string[];
  /** Enum type name, for `OrderStatus.PAID`-style references. */
  enumName?: string;
  /** Enum member → stored value (TypeScript enums with string initialisers). */
  members?: Map<string, string>;
  /** Prisma client delegate (`prisma.order`) or other receiver names that identify the entity. */
  delegates?: string[];
}

export interface FoundTransition {
  from: string;
  to: string;
  evidence: Evidence[];
}

const UPDATE_TWO_ARGS = new Set(['update', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findByIdAndUpdate']);
const PRISMA_WRITES = new Set(['update', 'updateMany', 'upsert', 'create', 'createMany']);

export function machineKey(entityId: string, field: string): string {
  return `${entityId}\u0000${field}`;
}

/** A scan's `visitIndex` keeping each script's writes (those that have any) for `findTransitions`. */
export function keepWrites(into: Map<string, readonly StateWrite[]>): (file: string, index: FileIndex) => void {
  return (file, index) => {
    if (index.writes.length > 0) into.set(file, index.writes);
  };
}

/**
 * Find transitions for all machines in the writes of the scripts (file → its index's writes) that
 * mention a field: `read` gives a script's text, for the test that it names the field and one of a
 * machine's delegates, enum or states.
 */
export function findTransitions(
  machines: StateMachineInput[],
  writes: ReadonlyMap<string, readonly StateWrite[]>,
  read: (file: string) => string | undefined,
): Map<string, FoundTransition[]> {
  const result = new Map<string, Map<string, FoundTransition>>();
  if (machines.length === 0) return new Map();
  const fields = new Set(machines.map((m) => m.field));

  const literalStates = (e: Value | undefined, field: string): string[] => {
    if (!e) return [];
    const candidates = machines.filter((m) => m.field === field);
    if (e.k === 'str') return candidates.some((m) => m.values.includes(e.v)) ? [e.v] : [];
    if (e.k === 'ref') {
      const names = e.path.split('.');
      if (names.length < 2) return [];
      const member = names[names.length - 1]!;
      const owner = names[names.length - 2];
      for (const m of candidates) {
        if (m.enumName && owner !== m.enumName) continue;
        if (!m.enumName && !m.members) continue;
        const v = m.members?.get(member) ?? member;
        if (m.values.includes(v)) return [v];
      }
      return [];
    }
    if (e.k === 'arr') return e.items.flatMap((x) => literalStates(x, field));
    if (e.k === 'obj') {
      // Prisma filters: { in: [...] }, { equals: 'X' }
      const out: string[] = [];
      for (const [n, v] of Object.entries(e.props)) if (n === 'in' || n === 'equals' || n === '$in' || n === '$eq') out.push(...literalStates(v, field));
      return out;
    }
    return [];
  };

  /** `{ status: X }` inside an object (also under `$set`). */
  const statesInObject = (obj: Value | undefined, field: string): string[] => {
    if (obj?.k !== 'obj') return [];
    const out: string[] = [];
    for (const [n, v] of Object.entries(obj.props)) {
      if (n === field) out.push(...literalStates(v, field));
      else if (n === '$set') out.push(...statesInObject(v, field));
    }
    return out;
  };

  /** Does `e` read the field (`x.status`, `status`)? */
  const readsField = (e: Value, field: string): boolean => e.k === 'ref' && (e.path === field || e.path.endsWith(`.${field}`));

  /** States a condition requires the field to be in (`===`/`||`/`includes`); negated gives `!==`/`&&`. */
  const condStates = (c: Cond, field: string, negated: boolean): string[] | undefined => {
    if (c.k === 'not') return condStates(c.c, field, !negated);
    if (c.k === 'eq' || c.k === 'ne') {
      const side = readsField(c.l, field) ? c.r : readsField(c.r, field) ? c.l : undefined;
      if (!side) return undefined;
      const s = literalStates(side, field);
      if (s.length !== 1) return undefined;
      return (c.k === 'eq' && !negated) || (c.k === 'ne' && negated) ? s : undefined;
    }
    if ((c.k === 'or' && !negated) || (c.k === 'and' && negated)) {
      const l = condStates(c.l, field, negated);
      const r = condStates(c.r, field, negated);
      return l && r ? [...l, ...r] : undefined;
    }
    if (c.k === 'includes' && !negated && c.arr.k === 'arr' && readsField(c.arg, field)) {
      const s = literalStates(c.arr, field);
      return s.length === c.arr.items.length ? s : undefined;
    }
    return undefined;
  };

  /** Previous states from enclosing `if`/`switch` and preceding `if (…) throw` guards, innermost first. */
  const guardStates = (guards: readonly Guard[], field: string): string[] => {
    for (const g of guards) {
      if (g.k === 'if') {
        const s = condStates(g.cond, field, g.neg);
        if (s) return s;
      } else if (readsField(g.on, field)) {
        const s = literalStates(g.label, field);
        if (s.length === 1) return s;
      }
    }
    return [];
  };

  /** Drizzle `eq(t.status, 'A')` / `inArray(t.status, [...])` and Kysely `.where('status', '=', 'A')`. */
  const whereStates = (w: WhereCall, field: string): string[] => {
    if (w.column && w.column.name === field && (w.column.op === '=' || w.column.op === 'in')) return literalStates(w.column.value, field);
    return w.eqs.flatMap(([l, r]) => (readsField(l, field) ? literalStates(r, field) : []));
  };

  const pickMachine = (field: string, to: string, from: string[], delegate?: string): StateMachineInput | undefined => {
    const fits = machines.filter((m) => m.field === field && m.values.includes(to) && from.every((f) => f === '[*]' || m.values.includes(f)));
    if (delegate) {
      const byDelegate = fits.filter((m) => m.delegates?.includes(delegate));
      if (byDelegate.length === 1) return byDelegate[0];
      if (machines.some((m) => m.delegates?.includes(delegate))) return undefined;
    }
    const ids = new Set(fits.map((m) => m.entityId));
    return ids.size === 1 ? fits[0] : undefined;
  };

  const record = (file: string, line: number, field: string, from: string[], to: string[], delegate?: string) => {
    for (const t of new Set(to)) {
      for (const f of new Set(from)) {
        if (f === t) continue;
        const m = pickMachine(field, t, [f], delegate);
        if (!m) continue;
        const key = machineKey(m.entityId, m.field);
        let list = result.get(key);
        if (!list) result.set(key, (list = new Map()));
        const tk = `${f}\u0000${t}`;
        const prev = list.get(tk);
        if (prev) prev.evidence.push({ file, line });
        else list.set(tk, { from: f, to: t, evidence: [{ file, line }] });
      }
    }
  };

  /** One write method's call, for one field. */
  const call = (file: string, w: Extract<StateWrite, { k: 'call' }>, field: string): void => {
    const { method, args } = w;
    // Prisma: prisma.order.update({ where: { status: 'A' }, data: { status: 'B' } })
    const data = propOf(args[0], 'data');
    if (PRISMA_WRITES.has(method) && args.length === 1 && data) {
      const to = statesInObject(data, field);
      if (to.length === 0) return;
      if (method === 'create' || method === 'createMany') {
        record(file, w.line, field, ['[*]'], to, w.delegate);
        return;
      }
      let from = statesInObject(propOf(args[0], 'where'), field);
      if (from.length === 0) from = guardStates(w.guards, field);
      record(file, w.line, field, from, to, w.delegate);
      return;
    }
    // Sequelize: Model.update({ status: 'B' }, { where: { status: 'A' } })
    const where = propOf(args[1], 'where');
    if (method === 'update' && args.length === 2 && where) {
      const to = statesInObject(args[0], field);
      if (to.length === 0) return;
      let from = statesInObject(where, field);
      if (from.length === 0) from = guardStates(w.guards, field);
      record(file, w.line, field, from, to);
      return;
    }
    // TypeORM / Mongoose: repo.update({ id, status: 'A' }, { status: 'B' })
    if (UPDATE_TWO_ARGS.has(method) && args.length >= 2) {
      const to = statesInObject(args[1], field);
      if (to.length === 0) return;
      let from = statesInObject(args[0], field);
      if (from.length === 0) from = guardStates(w.guards, field);
      record(file, w.line, field, from, to);
      return;
    }
    // Instance update / Drizzle and Kysely set: x.update({ status }), db.update(t).set({ status }).where(...)
    if ((method === 'update' || method === 'set' || method === 'save') && args.length === 1) {
      const to = statesInObject(args[0], field);
      if (to.length === 0) return;
      let from = w.wheres.flatMap((x) => whereStates(x, field));
      if (from.length === 0) from = guardStates(w.guards, field);
      record(file, w.line, field, from, to);
    }
  };

  for (const [file, list] of writes) {
    const text = read(file);
    if (!text) continue;
    // Cheap text filter first: the field name and some state value or enum name must appear.
    // With Prisma delegates, a relevant file names one (`.order.`) or the enum type.
    const relevant = (m: StateMachineInput) =>
      text.includes(m.field) &&
      (m.delegates && m.delegates.length > 0
        ? m.delegates.some((d) => text.includes(`.${d}.`)) || (!!m.enumName && text.includes(m.enumName))
        : (!!m.enumName && text.includes(m.enumName)) || m.values.some((v) => text.includes(v)));
    if (!machines.some(relevant)) continue;
    for (const w of list) {
      if (w.k === 'call') {
        for (const field of fields) call(file, w, field);
      } else if (fields.has(w.field)) {
        // order.status = 'PAID'
        const to = literalStates(w.value, w.field);
        if (to.length === 1) record(file, w.line, w.field, guardStates(w.guards, w.field), to);
      }
    }
  }

  const out = new Map<string, FoundTransition[]>();
  for (const [key, list] of result) {
    out.set(
      key,
      [...list.values()]
        .map((t) => ({ ...t, evidence: sortedEvidence(t.evidence) }))
        .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to)),
    );
  }
  return out;
}
