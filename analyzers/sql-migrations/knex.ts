/**
 * Knex's schema builder in a migration's `up`: `knex.schema.createTable('users', (t) => { … })`,
 * `alterTable`/`table`, `dropTable(IfExists)`, `renameTable`, read as operations on the same
 * SchemaState the SQL statements build. Chained calls (`.createTable(…).createTable(…)`) run in
 * source order. Only literal names (or a file's `const X = '…'`) are read. The operations are read
 * from the file's index (its shapes: src/analysis/shapes.ts) in the run's file pass and applied
 * later, in migration order (`runKnexOp`).
 */
import type { FileIndex } from '../../src/analysis/index-file.js';
import { str, type Expr } from '../../src/analysis/shapes.js';
import type { Evidence } from '../../src/model/schema.js';
import { column, type Column, type SchemaState, type Table } from './apply.js';

/** An argument of a builder call, as the builder reads it. */
interface Arg {
  /** A string literal. */
  str?: string;
  /** A literal default (`'x'`, `1`, `true`, `null`, `knex.fn.now()` → now(), `knex.raw('…')` → its SQL). */
  lit?: string;
  /** A string, or the strings of an array literal. */
  strings: string[];
  isTrue: boolean;
}

/** One call of a column chain (`t.string('email')`, `.notNullable()`). */
interface Call {
  name: string;
  args: Arg[];
}

/** A schema-builder operation on one table; `body` holds the chains of its table callback, one per statement. */
export interface KnexOp {
  line: number;
  op: string;
  name: string;
  to?: string;
  at: Evidence;
  body?: Call[][];
}

const TABLE_OPS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'dropTable', 'dropTableIfExists', 'renameTable']);
/** Column builders whose type is their own name; `increments`/`bigIncrements` are also the key. */
const COLUMN_TYPES = new Set([
  'increments',
  'bigIncrements',
  'integer',
  'bigInteger',
  'bigint',
  'tinyint',
  'smallint',
  'mediumint',
  'text',
  'string',
  'float',
  'double',
  'decimal',
  'boolean',
  'bool',
  'date',
  'datetime',
  'dateTime',
  'time',
  'timestamp',
  'binary',
  'enum',
  'enu',
  'json',
  'jsonb',
  'uuid',
  'specificType',
  'geometry',
  'geography',
  'point',
  'varchar',
  'char',
]);

function literal(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'str') return e.v;
  if (e.k === 'num' && !e.text.startsWith('-')) return e.text;
  if (e.k === 'bool') return String(e.v);
  if (e.k === 'null') return 'null';
  // knex.fn.now() / knex.raw('…')
  if (e.k === 'call' && !e.isNew && e.callee.k === 'member') {
    if (e.callee.name === 'now') return 'now()';
    if (e.callee.name === 'raw') return str(e.args[0]);
  }
  return undefined;
}

function argOf(e: Expr): Arg {
  const a: Arg = { strings: strings(e), isTrue: e.k === 'bool' && e.v };
  const s = str(e);
  if (s !== undefined) a.str = s;
  const l = literal(e);
  if (l !== undefined) a.lit = l;
  return a;
}

function strings(e: Expr | undefined): string[] {
  if (e?.k === 'arr') return e.items.map(str).filter((x): x is string => x !== undefined);
  const s = str(e);
  return s === undefined ? [] : [s];
}

/** Does the call's receiver chain run through `.schema` (`knex.schema`, `db.schema.withSchema('x')`)? */
function onSchema(e: Expr): boolean {
  for (let i = 0; i < 50; i++) {
    if (e.k === 'call') e = e.callee;
    else if (e.k === 'member') {
      if (e.name === 'schema') return true;
      e = e.e;
    } else if (e.k === 'await') e = e.e;
    else return e.k === 'id' && e.name === 'schema';
  }
  return false;
}

/** A chain `t.string('email').unique().notNullable()` as its calls from the root outwards. */
function chainOf(call: Expr, param: string): Call[] | undefined {
  const calls: Call[] = [];
  let e = call;
  for (let i = 0; i < 50; i++) {
    if (e.k === 'call' && !e.isNew && e.callee.k === 'member') {
      calls.unshift({ name: e.callee.name, args: e.args.map(argOf) });
      e = e.callee.e;
    } else return e.k === 'id' && e.name === param ? calls : undefined;
  }
  return undefined;
}

function target(ref: string, inTable: string | undefined): { table: string; column?: string } | undefined {
  if (inTable) return { table: inTable, column: ref };
  const dot = ref.lastIndexOf('.');
  return dot > 0 ? { table: ref.slice(0, dot), column: ref.slice(dot + 1) } : undefined;
}

/** The chains of one table callback's statements on its parameter, in source order. */
function bodyOf(statements: readonly Expr[], param: string): Call[][] {
  const out: Call[][] = [];
  for (const call of statements) {
    const chain = chainOf(call, param);
    if (chain && chain.length > 0) out.push(chain);
  }
  return out;
}

/** Apply the statements of one table callback to `t`. */
function applyBody(t: Table, body: Call[][]): void {
  for (const chain of body) {
    const [head, ...mods] = chain as [Call, ...Call[]];
    const a0 = head.args[0];
    switch (head.name) {
      case 'timestamps': {
        const camel = head.args[2]?.isTrue === true;
        const now = head.args[1]?.isTrue === true;
        for (const n of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
          if (column(t, n)) continue;
          const c: Column = { name: n, type: head.args[0]?.isTrue === true ? 'timestamp' : 'datetime', nullable: !now, id: false, unique: false };
          if (now) c.default = 'now()';
          t.columns.push(c);
        }
        continue;
      }
      case 'primary': {
        const cols = a0?.strings ?? [];
        for (const n of cols) {
          const c = column(t, n);
          if (c) Object.assign(c, { id: true, nullable: false });
        }
        if (cols.length > 1) t.indexes.push({ text: `primary key (${cols.join(', ')})` });
        continue;
      }
      case 'unique':
      case 'index': {
        const cols = a0?.strings ?? [];
        if (cols.length === 1 && head.name === 'unique' && column(t, cols[0]!)) column(t, cols[0]!)!.unique = true;
        else if (cols.length > 0) t.indexes.push({ text: `${head.name} (${cols.join(', ')})` });
        continue;
      }
      case 'foreign': {
        const cols = a0?.strings ?? [];
        const ref = mods.find((m) => m.name === 'references')?.args[0]?.str;
        const fk = ref ? target(ref, mods.find((m) => m.name === 'inTable')?.args[0]?.str) : undefined;
        if (cols.length > 0 && fk) t.fks.push({ columns: cols, table: fk.table });
        continue;
      }
      case 'dropColumn':
      case 'dropColumns': {
        const drop = new Set(head.args.flatMap((x) => x.strings).map((x) => x.toLowerCase()));
        t.columns = t.columns.filter((c) => !drop.has(c.name.toLowerCase()));
        t.fks = t.fks.filter((f) => !f.columns.some((c) => drop.has(c.toLowerCase())));
        continue;
      }
      case 'dropTimestamps':
        t.columns = t.columns.filter((c) => !/^(created_at|updated_at|createdAt|updatedAt)$/.test(c.name));
        continue;
      case 'renameColumn': {
        const from = a0?.str;
        const to = head.args[1]?.str;
        const c = from ? column(t, from) : undefined;
        if (c && to) {
          for (const f of t.fks) f.columns = f.columns.map((x) => (x.toLowerCase() === c.name.toLowerCase() ? to : x));
          c.name = to;
        }
        continue;
      }
    }
    if (!COLUMN_TYPES.has(head.name)) continue;
    const name = a0?.str;
    if (!name) continue;
    const type = head.name === 'specificType' ? (head.args[1]?.str ?? 'unknown') : head.name === 'enu' ? 'enum' : head.name;
    const col: Column = { name, type, nullable: true, id: false, unique: false };
    if (head.name === 'increments' || head.name === 'bigIncrements') Object.assign(col, { id: true, nullable: false, default: 'increment' });
    if (head.name === 'enum' || head.name === 'enu') {
      const values = head.args[1]?.strings ?? [];
      if (values.length > 0) col.values = values;
    }
    let ref: string | undefined;
    let inTable: string | undefined;
    let alter = false;
    for (const m of mods) {
      if (m.name === 'primary') Object.assign(col, { id: true, nullable: false });
      else if (m.name === 'unique') col.unique = true;
      else if (m.name === 'notNullable') col.nullable = false;
      else if (m.name === 'nullable') col.nullable = true;
      else if (m.name === 'defaultTo') {
        const d = m.args[0]?.lit;
        if (d !== undefined) col.default = d;
      } else if (m.name === 'references') ref = m.args[0]?.str;
      else if (m.name === 'inTable') inTable = m.args[0]?.str;
      else if (m.name === 'index') t.indexes.push({ text: `index (${name})` });
      else if (m.name === 'alter') alter = true;
    }
    const fk = ref ? target(ref, inTable) : undefined;
    if (fk) t.fks.push({ columns: [name], table: fk.table });
    const existing = column(t, name);
    if (existing && alter) Object.assign(existing, col);
    else if (!existing) t.columns.push(col);
  }
}

/** The schema-builder operations inside `up` of a Knex migration, in source order. */
export function knexOperations(index: FileIndex, file: string): KnexOp[] {
  const found: { pos: number; op: KnexOp }[] = [];
  const consts = index.shapes.consts;
  const nameOf = (e: Expr | undefined): string | undefined => str(e) ?? (e?.k === 'id' ? str(consts.get(e.name)) : undefined);
  for (const site of index.shapes.sites) {
    if (site.k !== 'call' || !site.up) continue;
    const n = site.e;
    if (n.isNew || n.callee.k !== 'member' || !TABLE_OPS.has(n.callee.name) || !onSchema(n.callee.e)) continue;
    const name = nameOf(n.args[0]);
    if (!name) continue;
    const op = n.callee.name;
    const line = site.nameLine;
    const knexOp: KnexOp = { line, op, name, at: { file, line } };
    const fn = n.args[1]?.k === 'fn' ? n.args[1] : undefined;
    const param = fn?.params[0] || undefined;
    if (op === 'renameTable') {
      const to = nameOf(n.args[1]);
      if (to) knexOp.to = to;
    } else if (fn && param) knexOp.body = bodyOf(fn.stmts ?? [], param);
    found.push({ pos: site.pos, op: knexOp });
  }
  return found.sort((a, b) => a.pos - b.pos).map((x) => x.op);
}

/** Apply one operation to the schema the migrations build. */
export function runKnexOp(k: KnexOp, state: SchemaState): void {
  const { op, name } = k;
  if (op === 'dropTable' || op === 'dropTableIfExists') state.drop(name);
  else if (op === 'renameTable') {
    if (k.to) state.rename(name, k.to, k.at);
  } else {
    const creating = op === 'createTable' || op === 'createTableIfNotExists';
    if (op === 'createTableIfNotExists' && state.get(name)) return;
    const t = creating ? state.create(name, k.at) : state.get(name);
    if (t && k.body) applyBody(t, k.body);
  }
}

/** Keys that sit beside `client` in a Knex configuration object. */
const CONFIG_KEYS = new Set(['connection', 'migrations', 'pool', 'useNullAsDefault', 'seeds', 'searchPath']);

/**
 * `client: 'pg'` of Knex configuration objects in a file (`knex({ client, connection })`, a
 * knexfile's exported object): an object with a literal `client` and a `connection`,
 * `migrations` or `pool` beside it. Returns the client and its line.
 */
export function knexClients(index: FileIndex): { client: string; line: number }[] {
  const out: { client: string; line: number }[] = [];
  for (const site of index.shapes.sites) {
    if (site.k === 'config' && site.client !== undefined && site.clientLine !== undefined && site.keys.some((k) => CONFIG_KEYS.has(k)))
      out.push({ client: site.client, line: site.clientLine });
  }
  return out;
}
