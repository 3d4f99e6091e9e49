/**
 * Routing keys that reach a publish through a transactional outbox. A service writes each message
 * as a row of an outbox table in the transaction that changes its data (`outbox.save({ routingKey:
 * 'orders.placed', payload })`, `insert into orders.outbox_events (…, routing_key, …) values (…)`),
 * and a relay later reads the pending rows and publishes each (`channel.publish(exchange,
 * row.routingKey, …)`). The key the relay publishes is a member of a row read at run time, so no
 * value reaches it in the code; the values are those the same component writes into that column
 * of its outbox, and the producer is the component that writes the row.
 *
 * An outbox write is a call whose callee or an argument names an outbox (`this.outboxRepository.store({…})`,
 * `repo.persistUploadAndOutbox(input)`, `em.insert(OutboxEntity, {…})`), whose objects (and their
 * `data`/`values` object, as Prisma and query builders nest them) give each property's value; or
 * an SQL `insert into <table naming outbox> (columns) values ($1, …)` whose parameter array gives
 * each column's. A property and a column are the same field when they are spelt alike but for case
 * and underscores (`routingKey`, `routing_key`).
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import { compareStrings } from '../../src/model/compare.js';
import { propOf, type CallSite, type Fn, type Value } from '../../src/analysis/index-file.js';
import type { Opt, Site } from '../../src/analysis/sites.js';
import type { ChannelNames } from './names.js';
import { isTest, type Loc, type Val } from './values.js';

/** Steps followed from a publish's key back to the member of a row it is (parameters to callers, locals). */
const MAX_RELAY_DEPTH = 4;
/** Columns read of an `insert` statement, at most. */
const MAX_COLUMNS = 64;
const OUTBOX = /outbox/i;

/** A value written into an outbox field: as the index holds it, or a constant object's entry (`KEYS[type]`: each of them). */
interface Write {
  scope: Scope;
  at: Loc;
  v?: Value;
  pick?: { of: Value; key: Value };
}

/** A field's name with case and underscores set aside: `routingKey` and `routing_key` are one. */
function field(name: string): string {
  return name.toLowerCase().replaceAll('_', '');
}

export class Outbox {
  /** component, field → what is written there; made on first use. */
  private writes?: Map<string, Write[]>;

  constructor(
    private readonly names: ChannelNames,
    private readonly componentOf: (file: string) => string | undefined,
  ) {}

  /**
   * The keys a publish's routing key can be when it is a member of a row read at run time
   * (`row.routingKey`, directly or passed in by callers): each value the component that reads
   * the row writes into that field of its outbox, through the write's site.
   */
  keys(scope: Scope, v: Value | undefined): Val[] {
    const out: Val[] = [];
    for (const leaf of this.relayed(scope, v, [], 0)) {
      const origin = leaf.via[leaf.via.length - 1] ?? { file: leaf.scope.file, line: 0 };
      const comp = this.componentOf(origin.file);
      if (comp === undefined) continue;
      for (const w of this.written().get(`${comp}\u0000${field(leaf.prop)}`) ?? []) {
        for (const val of this.valuesOf(w)) {
          // A value passed in from another component's call (a same-named method elsewhere) is not this outbox's.
          const from = val.via[val.via.length - 1];
          if (val.text !== undefined && (!from || this.componentOf(from.file) === comp)) out.push({ ...val, via: [...leaf.via, w.at, ...val.via] });
        }
      }
    }
    return out;
  }

  /** The members of run-time rows a value is, with the call sites it came through (innermost first). */
  private relayed(scope: Scope, v: Value | undefined, via: Loc[], depth: number): { scope: Scope; prop: string; via: Loc[] }[] {
    if (!v || depth > MAX_RELAY_DEPTH) return [];
    if (v.k === 'or') return [...this.relayed(scope, v.left, via, depth + 1), ...this.relayed(scope, v.right, via, depth + 1)];
    if (v.k !== 'ref') return [];
    const parts = v.path.replaceAll('?.', '.').split('.');
    const root = parts[0]!;
    if (parts.length > 1) {
      // `row.routingKey`: a row's member, unless its value is known.
      if (root === 'this' || this.names.values(scope, v).some((x) => x.text !== undefined)) return [];
      return [{ scope, prop: parts[parts.length - 1]!, via }];
    }
    for (let f: Fn | undefined = scope.fn; f; f = f.parent ? this.names.ev.fns.get(f.parent) : undefined) {
      const bound = f === scope.fn ? scope.args?.get(root) : undefined;
      if (bound) return this.relayed(bound.scope, bound.value, via, depth + 1);
      const local = f.locals.get(root);
      if (local) return this.relayed({ file: scope.file, fn: f }, local, via, depth + 1);
      const index = f.paramNames.indexOf(root);
      if (index >= 0) return this.names.argumentsOf(f, index).flatMap((a) => this.relayed(a.scope, a.v, [...via, a.site], depth + 1));
      if (f.binds.includes(root)) return [];
    }
    return [];
  }

  /** The strings a write can put in its field. */
  private valuesOf(w: Write): Val[] {
    if (w.v) return this.names.values(w.scope, w.v);
    if (!w.pick) return [];
    // The entries the key can name (`spec.type` read to each of its values), never every entry of the object.
    const keys = this.names.values(w.scope, w.pick.key).flatMap((k) => (k.text !== undefined ? [k.text] : []));
    return this.names
      .objects(w.scope, w.pick.of)
      .flatMap((o) => keys.flatMap((k) => this.names.values(o.scope, propOf(o.v, k)).map((x) => ({ ...x, via: [...x.via, ...o.via] }))));
  }

  /** Every outbox write of the repository's production code, by component and field. */
  private written(): Map<string, Write[]> {
    if (this.writes) return this.writes;
    const out = new Map<string, Write[]>();
    const put = (file: string, name: string, w: Write) => {
      const comp = this.componentOf(file);
      if (comp === undefined) return;
      const key = `${comp}\u0000${field(name)}`;
      (out.get(key) ?? out.set(key, []).get(key)!).push(w);
    };
    for (const file of [...this.names.ev.indexes.keys()].sort(compareStrings)) {
      const idx = this.names.ev.indexes.get(file)!;
      if (isTest(file)) continue;
      for (const fn of idx.functions.values()) {
        const scope: Scope = { file, fn };
        for (const call of fn.calls) {
          const at = { file, line: call.line };
          const insert = sqlInsert(call);
          if (insert) {
            const items = this.names.elements(scope, call.args[1]);
            const opts = optArray(idx.sites.sites, call);
            insert.forEach((param, i) => {
              const column = insert.columns[i]!;
              if (param === undefined) return;
              const item = items[param];
              if (item && item.v.k !== 'unknown') put(file, column, { scope: item.scope, at, v: item.v });
              else {
                const pick = elementAccess(opts?.[param]?.text);
                if (pick) put(file, column, { scope, at, pick });
              }
            });
            continue;
          }
          if (!namesOutbox(call)) continue;
          for (const a of call.args) {
            for (const o of this.names.objects(scope, a)) {
              const rows = [o.v, ...['data', 'values'].flatMap((k) => (propOf(o.v, k)?.k === 'obj' ? [propOf(o.v, k) as Extract<Value, { k: 'obj' }>] : []))];
              for (const row of rows) for (const [name, v] of Object.entries(row.props)) put(file, name, { scope: o.scope, at, v });
            }
          }
        }
      }
    }
    this.writes = out;
    return out;
  }
}

/** Whether a call's callee, a name it is given or a table named in its chain says outbox. */
function namesOutbox(call: CallSite): boolean {
  if (OUTBOX.test(call.root) || call.names.some((n) => OUTBOX.test(n))) return true;
  const given = [...call.args, ...call.innerArgs.flat()];
  // A string only as a table's name (`db('outbox').insert({…})`), not a log line that mentions the outbox.
  return given.some((a) => (a.k === 'ref' && OUTBOX.test(a.path)) || (a.k === 'str' && a.v.length <= 64 && !a.v.includes(' ') && OUTBOX.test(a.v)));
}

/**
 * `insert into <table> (a, b, …) values ($1, $2, …)` as the first argument, into a table whose name
 * says outbox: for each column, the index of the parameter array's item it takes (`$n`, or `?` in
 * order), undefined where the statement writes a value of its own; with the columns.
 */
export function sqlInsert(call: CallSite): ((number | undefined)[] & { columns: string[] }) | undefined {
  const a0 = call.args[0];
  const text = a0?.k === 'str' ? a0.v : a0?.k === 'tpl' ? a0.quasis.join('') : undefined;
  if (!text || call.args.length < 2) return undefined;
  const sql = text.toLowerCase();
  const start = sql.indexOf('insert into');
  if (start < 0) return undefined;
  const open = sql.indexOf('(', start);
  const close = open < 0 ? -1 : sql.indexOf(')', open);
  if (close < 0 || !OUTBOX.test(sql.slice(start + 11, open))) return undefined;
  const columns = sql
    .slice(open + 1, close)
    .split(',')
    .slice(0, MAX_COLUMNS)
    .map((c) => c.trim().replaceAll('"', '').replaceAll('`', ''));
  const values = sql.indexOf('values', close);
  const vopen = values < 0 ? -1 : sql.indexOf('(', values);
  if (vopen < 0) return undefined;
  const params = topLevelItems(sql, vopen + 1);
  let positional = 0;
  const out = columns.map((_, i) => {
    const p = params[i];
    if (p === undefined) return undefined;
    if (p.startsWith('$')) {
      let n = 0;
      for (let j = 1; j < p.length && p.charCodeAt(j) >= 48 && p.charCodeAt(j) <= 57; j++) n = n * 10 + (p.charCodeAt(j) - 48);
      return n > 0 ? n - 1 : undefined;
    }
    return p.startsWith('?') ? positional++ : undefined;
  });
  return Object.assign(out, { columns });
}

/** The comma-separated items of a parenthesised list from `from` to its closing parenthesis (nested ones kept whole), trimmed. */
function topLevelItems(text: string, from: number): string[] {
  const items: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = from; i < text.length && items.length < MAX_COLUMNS; i++) {
    const ch = text[i]!;
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) {
      items.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  items.push(cur.trim());
  return items;
}

/** The items of the array a call's second argument is, as the index's option readings hold them (their text where no value is kept). */
function optArray(sites: Site[], call: CallSite): Opt[] | undefined {
  const method = call.names[call.names.length - 1] ?? call.root;
  for (const s of sites) if (s.k === 'call' && s.line === call.line && (s.method ?? s.name) === method) return s.args[1]?.arr;
  return undefined;
}

/**
 * `KEYS[type]` or `KEYS['Placed.v1']` as written (a constant object read by key): the object and
 * the key when it is a literal. No regular expression: the name is read character by character.
 */
function elementAccess(text: string | undefined): { of: Value; key: Value } | undefined {
  if (!text || text.length > 100 || !text.endsWith(']')) return undefined;
  const open = text.indexOf('[');
  if (open <= 0) return undefined;
  const name = text.slice(0, open);
  const inner = text.slice(open + 1, -1).trim();
  if (!isChain(name)) return undefined;
  const q = inner[0];
  if ((q === "'" || q === '"') && inner.length >= 2 && inner.endsWith(q)) return { of: { k: 'ref', path: name }, key: { k: 'str', v: inner.slice(1, -1) } };
  return isChain(inner) ? { of: { k: 'ref', path: name }, key: { k: 'ref', path: inner } } : undefined;
}

/** A name or property chain as written (`KEYS`, `spec.type`): letters, digits, `_`, `$` and dots. */
function isChain(text: string): boolean {
  if (!text || text.startsWith('.') || text.endsWith('.')) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = c === 46 || c === 95 || c === 36 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!ok) return false;
  }
  return true;
}
