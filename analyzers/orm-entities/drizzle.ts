/**
 * Drizzle: `pgTable/mysqlTable/sqliteTable('name', columns, extras)`, table creators
 * (`pgTableCreator((name) => \`app_${name}\`)`), `pgSchema('s').table(...)`, enums
 * (`pgEnum`, `mysqlEnum`, `text({ enum: [...] })`), `.references(() => t.id)` and `relations()`.
 */
import type { Entity } from '../../src/model/schema.js';
import { entries, isObject, lastName, prop, str, stringArray, type CallExpr, type CallShape, type Expr } from '../../src/analysis/shapes.js';
import { literalText } from './values.js';
import { newDraft, STATE_FIELD, type Draft, type FileCtx } from './collect.js';

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
function creatorTemplate(f: Expr | undefined): { prefix: string; suffix: string } | undefined {
  if (f?.k !== 'fn' || !f.arrow || !f.body) return undefined;
  const body = f.body;
  if (body.k === 'id') return { prefix: '', suffix: '' };
  if (body.k === 'tpl' && body.spans.length === 1) return { prefix: body.head, suffix: body.spans[0]!.text };
  return undefined;
}

/** The calls of a column chain, innermost first: `integer('x').notNull().references(...)`. */
function chain(e: Expr): { name: string; args: readonly Expr[] }[] {
  const out: { name: string; args: readonly Expr[] }[] = [];
  let cur = e;
  while (cur.k === 'call' && !cur.isNew) {
    const callee = cur.callee;
    if (callee.k === 'member') {
      out.unshift({ name: callee.name, args: cur.args });
      cur = callee.e;
    } else {
      out.unshift({ name: lastName(callee) ?? '?', args: cur.args });
      break;
    }
  }
  return out;
}

/** Declarations that are not tables: creators, schemas and enums. */
export function drizzleDeclaration(site: CallShape, st: DrizzleState): boolean {
  const node = site.e;
  const fn = lastName(node.callee);
  if (!fn) return false;
  const variable = site.assigned?.name;
  if (CREATOR_FNS[fn] && variable) {
    const t = creatorTemplate(node.args[0]);
    if (t) st.creators.set(variable, { tech: CREATOR_FNS[fn]!, ...t });
    return true;
  }
  if ((fn === 'pgSchema' || fn === 'mysqlSchema') && variable && str(node.args[0])) {
    st.schemas.set(variable, str(node.args[0])!);
    return true;
  }
  if (ENUM_FNS.has(fn) && variable && str(node.args[0]) && node.callee.k === 'id') {
    const values = stringArray(node.args[1]);
    if (values) st.enums.set(variable, { name: str(node.args[0])!, values });
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

export function drizzleCandidate(site: CallShape, fc: FileCtx): DrizzleCandidate | undefined {
  const node = site.e;
  if (node.isNew) return undefined;
  const callee = node.callee;
  const fn = lastName(callee);
  const table = str(node.args[0]);
  if (!fn || table === undefined || node.args.length < 2) return undefined;
  const direct = callee.k === 'id';
  if (!direct && !(fn === 'table' && callee.k === 'member')) return undefined;
  const columns = node.args[1];
  if (!isObject(columns) && !(columns?.k === 'fn' && columns.arrow)) return undefined;
  const draft = newDraft('drizzle', '', table, fc.file, node.line, { tech: undefined });
  const out: DrizzleCandidate = { fn, direct, table, draft, columns: [] };
  if (callee.k === 'member') out.schema = lastName(callee.e) ?? '';
  const variable = site.assigned?.name;
  if (variable !== undefined) out.variable = variable;
  // Columns may also come from a callback: pgTable('t', (t) => ({ id: t.integer() }))
  const colObj = columns?.k === 'fn' && columns.body ? columns.body : columns;
  const columnDb = new Map<string, string>();
  for (const [key, expr] of entries(colObj)) {
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
        const a0 = c.args[0];
        const t = a0?.k === 'fn' && a0.arrow ? a0.body : undefined;
        if (t?.k === 'member') {
          draft.relations.push({
            name: key,
            target: lastName(t.e)!,
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
  extras(node.args[2], draft, columnDb);
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
function extras(f: Expr | undefined, draft: Draft, _db: Map<string, string>): void {
  if (f?.k !== 'fn' || !f.arrow) return;
  const b = f.body ?? f.ret;
  if (!b) return;
  const items = b.k === 'arr' ? b.items : b.k === 'obj' ? entries(b).map(([, v]) => v) : [];
  for (const item of items) {
    const calls = chain(item);
    const base = calls[0]?.name;
    const on = calls.find((c) => c.name === 'on');
    const cols = (args: readonly Expr[]) => args.map((a) => lastName(a) ?? '?');
    if ((base === 'index' || base === 'uniqueIndex' || base === 'unique') && on) {
      draft.indexes.push(`${base === 'index' ? 'index' : 'unique'} (${cols(on.args).join(', ')})`);
    } else if (base === 'primaryKey') {
      const arg = calls[0]!.args[0];
      const list = arg && isObject(arg) ? prop(arg, 'columns') : undefined;
      const names = list?.k === 'arr' ? cols(list.items) : cols(calls[0]!.args);
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
export function drizzleRelations(node: CallExpr, fc: FileCtx): void {
  const table = lastName(node.args[0]);
  const fn = node.args[1];
  if (!table || fn?.k !== 'fn' || !fn.arrow || !fn.body) return;
  for (const [name, call] of entries(fn.body)) {
    if (call.k !== 'call' || call.isNew) continue;
    const kind = lastName(call.callee);
    const target = lastName(call.args[0]);
    if (!target || (kind !== 'one' && kind !== 'many')) continue;
    const fields = prop(call.args[1], 'fields');
    const fk = fields?.k === 'arr' ? fields.items.map((x) => lastName(x) ?? '?') : undefined;
    const cardinality = kind === 'many' ? 'one-to-many' : fk ? 'many-to-one' : 'one-to-one';
    const relation: Draft['relations'][number] = { name, target, targetKind: 'name', cardinality };
    if (fk) relation.foreignKey = fk.join(', ');
    fc.c.drizzleRelations.push({ table, relation });
  }
}
