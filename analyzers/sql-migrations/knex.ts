/**
 * Knex's schema builder in a migration's `up`: `knex.schema.createTable('users', (t) => { … })`,
 * `alterTable`/`table`, `dropTable(IfExists)`, `renameTable`, read as operations on the same
 * SchemaState the SQL statements build. Chained calls (`.createTable(…).createTable(…)`) run in
 * source order. Only literal names (or a file's `const X = '…'`) are read.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Evidence } from '../../src/model/schema.js';
import { column, type Column, type SchemaState, type Table } from './apply.js';

export interface KnexOp {
  line: number;
  run(state: SchemaState): void;
}

const TABLE_OPS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'dropTable', 'dropTableIfExists', 'renameTable']);
/** Column builders whose type is their own name; `increments`/`bigIncrements` are also the key. */
const COLUMN_TYPES = new Set([
  'increments', 'bigIncrements', 'integer', 'bigInteger', 'bigint', 'tinyint', 'smallint', 'mediumint', 'text', 'string', 'float', 'double',
  'decimal', 'boolean', 'bool', 'date', 'datetime', 'dateTime', 'time', 'timestamp', 'binary', 'enum', 'enu', 'json', 'jsonb', 'uuid',
  'specificType', 'geometry', 'geography', 'point', 'varchar', 'char',
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
function chainOf(call: ts.CallExpression, param: string): { name: string; args: readonly ts.Expression[] }[] | undefined {
  const calls: { name: string; args: readonly ts.Expression[] }[] = [];
  let e: ts.Expression = call;
  for (let i = 0; i < 50; i++) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      calls.unshift({ name: e.expression.name.text, args: e.arguments });
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

/** Apply the statements of one table callback to `t`. */
function applyBody(t: Table, body: ts.Node, param: string): void {
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
  for (const call of statements) {
    const chain = chainOf(call, param);
    if (!chain || chain.length === 0) continue;
    const [head, ...mods] = chain as [{ name: string; args: readonly ts.Expression[] }, ...{ name: string; args: readonly ts.Expression[] }[]];
    const a0 = head.args[0];
    switch (head.name) {
      case 'timestamps': {
        const camel = head.args[2]?.kind === ts.SyntaxKind.TrueKeyword;
        const now = head.args[1]?.kind === ts.SyntaxKind.TrueKeyword;
        for (const n of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
          if (column(t, n)) continue;
          const c: Column = { name: n, type: head.args[0]?.kind === ts.SyntaxKind.TrueKeyword ? 'timestamp' : 'datetime', nullable: !now, id: false, unique: false };
          if (now) c.default = 'now()';
          t.columns.push(c);
        }
        continue;
      }
      case 'primary': {
        const cols = strings(a0);
        for (const n of cols) {
          const c = column(t, n);
          if (c) Object.assign(c, { id: true, nullable: false });
        }
        if (cols.length > 1) t.indexes.push({ text: `primary key (${cols.join(', ')})` });
        continue;
      }
      case 'unique':
      case 'index': {
        const cols = strings(a0);
        if (cols.length === 1 && head.name === 'unique' && column(t, cols[0]!)) column(t, cols[0]!)!.unique = true;
        else if (cols.length > 0) t.indexes.push({ text: `${head.name} (${cols.join(', ')})` });
        continue;
      }
      case 'foreign': {
        const cols = strings(a0);
        const ref = str(mods.find((m) => m.name === 'references')?.args[0]);
        const fk = ref ? target(ref, str(mods.find((m) => m.name === 'inTable')?.args[0])) : undefined;
        if (cols.length > 0 && fk) t.fks.push({ columns: cols, table: fk.table });
        continue;
      }
      case 'dropColumn':
      case 'dropColumns': {
        const drop = new Set(head.args.flatMap((x) => strings(x)).map((x) => x.toLowerCase()));
        t.columns = t.columns.filter((c) => !drop.has(c.name.toLowerCase()));
        t.fks = t.fks.filter((f) => !f.columns.some((c) => drop.has(c.toLowerCase())));
        continue;
      }
      case 'dropTimestamps':
        t.columns = t.columns.filter((c) => !/^(created_at|updated_at|createdAt|updatedAt)$/.test(c.name));
        continue;
      case 'renameColumn': {
        const from = str(a0);
        const to = str(head.args[1]);
        const c = from ? column(t, from) : undefined;
        if (c && to) {
          for (const f of t.fks) f.columns = f.columns.map((x) => (x.toLowerCase() === c.name.toLowerCase() ? to : x));
          c.name = to;
        }
        continue;
      }
    }
    if (!COLUMN_TYPES.has(head.name)) continue;
    const name = str(a0);
    if (!name) continue;
    const type = head.name === 'specificType' ? (str(head.args[1]) ?? 'unknown') : head.name === 'enu' ? 'enum' : head.name;
    const col: Column = { name, type, nullable: true, id: false, unique: false };
    if (head.name === 'increments' || head.name === 'bigIncrements') Object.assign(col, { id: true, nullable: false, default: 'increment' });
    if (head.name === 'enum' || head.name === 'enu') {
      const values = strings(head.args[1]);
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
        const d = literal(m.args[0]);
        if (d !== undefined) col.default = d;
      } else if (m.name === 'references') ref = str(m.args[0]);
      else if (m.name === 'inTable') inTable = str(m.args[0]);
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
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && str(d.initializer) !== undefined) consts.set(d.name.text, str(d.initializer)!);
  }
  const nameOf = (e: ts.Expression | undefined): string | undefined => str(e) ?? (e && ts.isIdentifier(e) ? consts.get(e.text) : undefined);
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && TABLE_OPS.has(n.expression.name.text) && onSchema(n.expression.expression) && inUp(n)) {
      const op = n.expression.name.text;
      const name = nameOf(n.arguments[0]);
      const line = sf.getLineAndCharacterOfPosition(n.expression.name.getStart(sf)).line + 1;
      const at: Evidence = { file, line };
      const cb = n.arguments[1];
      const fn = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb : undefined;
      const param = fn?.parameters[0] && ts.isIdentifier(fn.parameters[0].name) ? fn.parameters[0].name.text : undefined;
      if (name) {
        const run = (state: SchemaState): void => {
          if (op === 'dropTable' || op === 'dropTableIfExists') state.drop(name);
          else if (op === 'renameTable') {
            const to = nameOf(n.arguments[1]);
            if (to) state.rename(name, to, at);
          } else {
            const creating = op === 'createTable' || op === 'createTableIfNotExists';
            if (op === 'createTableIfNotExists' && state.get(name)) return;
            const t = creating ? state.create(name, at) : state.get(name);
            if (t && fn && param) applyBody(t, fn.body, param);
          }
        };
        found.push({ pos: n.expression.name.getStart(sf), op: { line, run } });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found.sort((a, b) => a.pos - b.pos).map((x) => x.op);
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
