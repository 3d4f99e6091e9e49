/**
 * Knex's schema builder in a migration's `up`: `knex.schema.createTable('users', (t) => { … })`,
 * `alterTable`/`table`, `dropTable(IfExists)`, `renameTable`, read as operations on the same
 * SchemaState the SQL statements build. Chained calls (`.createTable(…).createTable(…)`) run in
 * source order. Only literal names (or a file's `const X = '…'`) are read. The operations are read
 * as plain data while the file's tree is visited (the run's file pass) and applied later, in
 * migration order (`runKnexOp`).
 */
import ts from '../../src/analyzer/typescript.cjs';
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

function str(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  return undefined;
}

function literal(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return e.text;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (e.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (e.kind === ts.SyntaxKind.NullKeyword) return 'null';
  // knex.fn.now() / knex.raw('…')
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    if (e.expression.name.text === 'now') return 'now()';
    if (e.expression.name.text === 'raw') return str(e.arguments[0]);
  }
  return undefined;
}

function argOf(e: ts.Expression): Arg {
  const a: Arg = { strings: strings(e), isTrue: e.kind === ts.SyntaxKind.TrueKeyword };
  const s = str(e);
  if (s !== undefined) a.str = s;
  const l = literal(e);
  if (l !== undefined) a.lit = l;
  return a;
}

function strings(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  if (ts.isArrayLiteralExpression(e)) return e.elements.map((x) => str(x as ts.Expression)).filter((x): x is string => x !== undefined);
  const s = str(e);
  return s === undefined ? [] : [s];
}

/** Does the call's receiver chain run through `.schema` (`knex.schema`, `db.schema.withSchema('x')`)? */
function onSchema(e: ts.Expression): boolean {
  for (let i = 0; i < 50; i++) {
    if (ts.isCallExpression(e)) e = e.expression;
    else if (ts.isPropertyAccessExpression(e)) {
      if (e.name.text === 'schema') return true;
      e = e.expression;
    } else if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else return ts.isIdentifier(e) && e.text === 'schema';
  }
  return false;
}

/** A chain `t.string('email').unique().notNullable()` as its calls from the root outwards. */
function chainOf(call: ts.CallExpression, param: string): Call[] | undefined {
  const calls: Call[] = [];
  let e: ts.Expression = call;
  for (let i = 0; i < 50; i++) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      calls.unshift({ name: e.expression.name.text, args: e.arguments.map(argOf) });
      e = e.expression.expression;
    } else return ts.isIdentifier(e) && e.text === param ? calls : undefined;
  }
  return undefined;
}

function target(ref: string, inTable: string | undefined): { table: string; column?: string } | undefined {
  if (inTable) return { table: inTable, column: ref };
  const dot = ref.lastIndexOf('.');
  return dot > 0 ? { table: ref.slice(0, dot), column: ref.slice(dot + 1) } : undefined;
}

/** The chains of one table callback's statements on its parameter, in source order. */
function bodyOf(body: ts.Node, param: string): Call[][] {
  const statements: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isExpressionStatement(n)) {
      let e = n.expression;
      if (ts.isAwaitExpression(e)) e = e.expression;
      if (ts.isCallExpression(e)) statements.push(e);
    }
    if (!ts.isFunctionLike(n) || n === body) ts.forEachChild(n, visit);
  };
  visit(body);
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
export function knexOperations(sf: ts.SourceFile, file: string, inUp: (n: ts.Node) => boolean): KnexOp[] {
  const found: { pos: number; op: KnexOp }[] = [];
  const consts = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations)
      if (ts.isIdentifier(d.name) && str(d.initializer) !== undefined) consts.set(d.name.text, str(d.initializer)!);
  }
  const nameOf = (e: ts.Expression | undefined): string | undefined => str(e) ?? (e && ts.isIdentifier(e) ? consts.get(e.text) : undefined);
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      TABLE_OPS.has(n.expression.name.text) &&
      onSchema(n.expression.expression) &&
      inUp(n)
    ) {
      const name = nameOf(n.arguments[0]);
      if (name) {
        const op = n.expression.name.text;
        const line = sf.getLineAndCharacterOfPosition(n.expression.name.getStart(sf)).line + 1;
        const knexOp: KnexOp = { line, op, name, at: { file, line } };
        const cb = n.arguments[1];
        const fn = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb : undefined;
        const param = fn?.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
        if (op === 'renameTable') {
          const to = nameOf(n.arguments[1]);
          if (to) knexOp.to = to;
        } else if (fn && param) knexOp.body = bodyOf(fn.body, param);
        found.push({ pos: n.expression.name.getStart(sf), op: knexOp });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
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
export function knexClients(sf: ts.SourceFile): { client: string; line: number }[] {
  const out: { client: string; line: number }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isObjectLiteralExpression(n)) {
      let client: ts.PropertyAssignment | undefined;
      let beside = false;
      for (const p of n.properties) {
        const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
        if (key === 'client' && ts.isPropertyAssignment(p)) client = p;
        else if (key && CONFIG_KEYS.has(key)) beside = true;
      }
      const value = client ? str(client.initializer) : undefined;
      if (client && value && beside) out.push({ client: value, line: sf.getLineAndCharacterOfPosition(client.getStart(sf)).line + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
