/**
 * Drizzle: `pgTable/mysqlTable/sqliteTable('name', columns, extras)`, table creators
 * (`pgTableCreator((name) => \`app_${name}\`)`), `pgSchema('s').table(...)`, enums
 * (`pgEnum`, `mysqlEnum`, `text({ enum: [...] })`), `.references(() => t.id)` and `relations()`.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Entity } from '../../src/model/schema.js';
import { assignedName, isObject, lastName, objectEntries, prop, str, stringArray, unwrap } from '../../src/analysis/ast.js';
import { literalText } from './values.js';
import { STATE_FIELD, type Draft, type FileCtx } from './collect.js';

const TABLE_FNS: Record<string, string> = { pgTable: 'postgresql', mysqlTable: 'mysql', sqliteTable: 'sqlite', singlestoreTable: 'mysql' };
const CREATOR_FNS: Record<string, string> = {
  pgTableCreator: 'postgresql',
  mysqlTableCreator: 'mysql',
  sqliteTableCreator: 'sqlite',
};
const ENUM_FNS = new Set(['pgEnum', 'mysqlEnum']);

/** Per-run knowledge the walk builds up: creators, schemas, enums (by variable). */
export interface DrizzleState {
  creators: Map<string, { tech: string; prefix: string; suffix: string }>;
  schemas: Map<string, string>;
  enums: Map<string, { name: string; values: string[] }>;
}

export function newDrizzleState(): DrizzleState {
  return { creators: new Map(), schemas: new Map(), enums: new Map() };
}

/** `pgTableCreator((name) => \`acme_${name}\`)` → prefix `acme_`. */
function creatorTemplate(e: ts.Expression | undefined): { prefix: string; suffix: string } | undefined {
  if (!e) return undefined;
  const f = unwrap(e);
  if (!ts.isArrowFunction(f) || ts.isBlock(f.body)) return undefined;
  const body = unwrap(f.body);
  if (ts.isIdentifier(body)) return { prefix: '', suffix: '' };
  if (ts.isTemplateExpression(body) && body.templateSpans.length === 1) {
    return { prefix: body.head.text, suffix: body.templateSpans[0]!.literal.text };
  }
  return undefined;
}

/** The calls of a column chain, innermost first: `integer('x').notNull().references(...)`. */
function chain(e: ts.Expression): { name: string; args: readonly ts.Expression[] }[] {
  const out: { name: string; args: readonly ts.Expression[] }[] = [];
  let cur: ts.Expression = unwrap(e);
  while (ts.isCallExpression(cur)) {
    const callee = unwrap(cur.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      out.unshift({ name: callee.name.text, args: cur.arguments });
      cur = unwrap(callee.expression);
    } else {
      out.unshift({ name: lastName(callee) ?? '?', args: cur.arguments });
      break;
    }
  }
  return out;
}

/** Declarations that are not tables: creators, schemas and enums. */
export function drizzleDeclaration(node: ts.CallExpression, fc: FileCtx, st: DrizzleState): boolean {
  const fn = lastName(node.expression);
  if (!fn) return false;
  const variable = assignedName(node);
  if (CREATOR_FNS[fn] && variable) {
    const t = creatorTemplate(node.arguments[0]);
    if (t) st.creators.set(variable, { tech: CREATOR_FNS[fn]!, ...t });
    return true;
  }
  if ((fn === 'pgSchema' || fn === 'mysqlSchema') && variable && str(node.arguments[0])) {
    st.schemas.set(variable, str(node.arguments[0])!);
    return true;
  }
  if (ENUM_FNS.has(fn) && variable && str(node.arguments[0]) && ts.isIdentifier(node.expression)) {
    const values = stringArray(node.arguments[1]);
    if (values) st.enums.set(variable, { name: str(node.arguments[0])!, values });
    return true;
  }
  return false;
}

/**
 * A call that may define a table (`pgTable('t', {…})`, a creator's `t('x', {…})`, `schema.table('x', {…})`),
 * read as plain data when its file is visited; `drizzleTable` decides once every creator, schema
 * and enum of the run is known.
 */
export interface DrizzleCandidate {
  /** The callee's last name; `schema` is the variable before `.table`. */
  fn: string;
  direct: boolean;
  schema?: string;
  table: string;
  variable?: string;
  draft: Draft;
  /** Each column's base call and the enum values the column itself names, by field position. */
  columns: { base: string; values?: string[] }[];
}

export function drizzleCandidate(node: ts.CallExpression, fc: FileCtx): DrizzleCandidate | undefined {
  const callee = unwrap(node.expression);
  const fn = lastName(callee);
  const table = str(node.arguments[0]);
  if (!fn || table === undefined || node.arguments.length < 2) return undefined;
  const direct = ts.isIdentifier(callee);
  if (!direct && !(fn === 'table' && ts.isPropertyAccessExpression(callee))) return undefined;
  const columns = node.arguments[1];
  if (!isObject(columns) && !(columns && ts.isArrowFunction(unwrap(columns)))) return undefined;
  const draft: Draft = {
    orm: 'drizzle',
    name: '',
    aliases: [],
    table,
    file: fc.file,
    line: fc.line(node),
    tech: undefined,
    fields: [],
    relations: [],
    indexes: [],
    states: [],
    pendingEnums: [],
  };
  const out: DrizzleCandidate = { fn, direct, table, draft, columns: [] };
  if (!direct) out.schema = lastName((callee as ts.PropertyAccessExpression).expression) ?? '';
  const variable = assignedName(node);
  if (variable !== undefined) out.variable = variable;
  // Columns may also come from a callback: pgTable('t', (t) => ({ id: t.integer() }))
  let colObj: ts.Expression | undefined = columns;
  const cu = unwrap(columns!);
  if (ts.isArrowFunction(cu) && !ts.isBlock(cu.body)) colObj = cu.body;
  const columnDb = new Map<string, string>();
  for (const [key, expr] of objectEntries(colObj)) {
    const calls = chain(expr);
    const base = calls[0];
    if (!base) continue;
    columnDb.set(key, str(base.args[0]) ?? key);
    const f: Entity['fields'][number] = { name: key, type: base.name };
    let notNull = false;
    const values = (ENUM_FNS.has(base.name) ? stringArray(base.args[1]) : undefined) ?? stringArray(prop(base.args.find(isObject), 'enum'));
    for (const c of calls.slice(1)) {
      if (c.name === 'primaryKey') {
        f.id = true;
        notNull = true;
      } else if (c.name === 'notNull') notNull = true;
      else if (c.name === 'unique') f.unique = true;
      else if (c.name === 'default') {
        const d = literalText(c.args[0]);
        if (d !== undefined) f.default = d;
      } else if (c.name === 'defaultNow') f.default = 'now()';
      else if (c.name === 'defaultRandom') f.default = 'random()';
      else if (c.name === 'autoincrement' || c.name === 'generatedAlwaysAsIdentity' || c.name === 'generatedByDefaultAsIdentity') f.default ??= 'identity';
      else if (c.name === 'references') {
        const target = c.args[0] && ts.isArrowFunction(unwrap(c.args[0])) ? (unwrap(c.args[0]) as ts.ArrowFunction).body : undefined;
        const t = target && !ts.isBlock(target) ? unwrap(target) : undefined;
        if (t && ts.isPropertyAccessExpression(t)) {
          draft.relations.push({
            name: key,
            target: lastName(t.expression)!,
            targetKind: 'name',
            cardinality: 'many-to-one',
            foreignKey: key,
            fromColumn: true,
          });
        }
      }
    }
    if (base.name === 'serial' || base.name === 'bigserial' || base.name === 'smallserial') {
      notNull = true;
      f.default ??= 'autoincrement()';
    }
    if (!notNull) f.nullable = true;
    draft.fields.push(f);
    out.columns.push(values ? { base: base.name, values } : { base: base.name });
  }
  for (const r of draft.relations) {
    if (r.fromColumn && draft.fields.find((f) => f.name === r.foreignKey)?.unique) r.cardinality = 'one-to-one';
  }
  extras(node.arguments[2], draft, columnDb);
  return out;
}

/** A candidate that is a table, once the run's creators, schemas and enums are known, as its draft. */
export function drizzleTable(t: DrizzleCandidate, st: DrizzleState): Draft | undefined {
  const { draft } = t;
  let table = t.table;
  if (TABLE_FNS[t.fn] && t.direct) draft.tech = TABLE_FNS[t.fn];
  else if (t.direct && st.creators.has(t.fn)) {
    const c = st.creators.get(t.fn)!;
    draft.tech = c.tech;
    table = `${c.prefix}${table}${c.suffix}`;
  } else if (t.schema !== undefined && st.schemas.has(t.schema)) {
    draft.tech = 'postgresql';
    table = `${st.schemas.get(t.schema)}.${table}`;
  } else return undefined;
  draft.name = t.variable ?? table;
  draft.table = table;
  t.columns.forEach((col, i) => {
    const f = draft.fields[i]!;
    const enumDecl = st.enums.get(col.base);
    if (enumDecl) f.type = enumDecl.name;
    const values = enumDecl?.values ?? col.values;
    if (values && STATE_FIELD.test(f.name)) draft.states.push({ field: f.name, values, initial: f.default });
  });
  return draft;
}

/** Third argument: indexes, unique constraints and composite primary keys. */
function extras(e: ts.Expression | undefined, draft: Draft, _db: Map<string, string>): void {
  if (!e) return;
  const f = unwrap(e);
  if (!ts.isArrowFunction(f)) return;
  let body: ts.Node = f.body;
  if (ts.isBlock(body)) {
    const ret = body.statements.find(ts.isReturnStatement);
    if (!ret?.expression) return;
    body = ret.expression;
  }
  const b = unwrap(body as ts.Expression);
  const items = ts.isArrayLiteralExpression(b) ? [...b.elements] : ts.isObjectLiteralExpression(b) ? objectEntries(b).map(([, v]) => v) : [];
  for (const item of items) {
    const calls = chain(item as ts.Expression);
    const base = calls[0]?.name;
    const on = calls.find((c) => c.name === 'on');
    const cols = (args: readonly ts.Expression[]) => args.map((a) => lastName(a) ?? '?');
    if ((base === 'index' || base === 'uniqueIndex' || base === 'unique') && on) {
      draft.indexes.push(`${base === 'index' ? 'index' : 'unique'} (${cols(on.args).join(', ')})`);
    } else if (base === 'primaryKey') {
      const arg = calls[0]!.args[0];
      const list = arg && isObject(arg) ? prop(arg, 'columns') : undefined;
      const names = list && ts.isArrayLiteralExpression(unwrap(list)) ? cols((unwrap(list) as ts.ArrayLiteralExpression).elements) : cols(calls[0]!.args);
      for (const n of names) {
        const field = draft.fields.find((x) => x.name === n);
        if (field) {
          field.id = true;
          delete field.nullable;
        }
      }
      draft.indexes.push(`primary key (${names.join(', ')})`);
    }
  }
}

/** `relations(orders, ({ one, many }) => ({ customer: one(customers, { fields, references }), items: many(items) }))`. */
export function drizzleRelations(node: ts.CallExpression, fc: FileCtx): void {
  const table = lastName(node.arguments[0]);
  const fn = node.arguments[1] ? unwrap(node.arguments[1]) : undefined;
  if (!table || !fn || !ts.isArrowFunction(fn) || ts.isBlock(fn.body)) return;
  for (const [name, expr] of objectEntries(fn.body)) {
    const call = unwrap(expr);
    if (!ts.isCallExpression(call)) continue;
    const kind = lastName(call.expression);
    const target = lastName(call.arguments[0]);
    if (!target || (kind !== 'one' && kind !== 'many')) continue;
    const fields = prop(call.arguments[1], 'fields');
    const fk =
      fields && ts.isArrayLiteralExpression(unwrap(fields))
        ? (unwrap(fields) as ts.ArrayLiteralExpression).elements.map((x) => lastName(x as ts.Expression) ?? '?')
        : undefined;
    const cardinality = kind === 'many' ? 'one-to-many' : fk ? 'many-to-one' : 'one-to-one';
    const relation: Draft['relations'][number] = { name, target, targetKind: 'name', cardinality };
    if (fk) relation.foreignKey = fk.join(', ');
    fc.c.drizzleRelations.push({ table, relation });
  }
}
