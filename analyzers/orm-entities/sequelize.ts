/**
 * Sequelize: `Model.init(attrs, opts)` (also `super.init` inside a class), `sequelize.define(name,
 * attrs, opts)`, associations (`belongsTo`, `hasMany`, `hasOne`, `belongsToMany`) and
 * sequelize-typescript classes (`@Table`, `@Column`, `@ForeignKey`, `@BelongsTo`, `@HasMany`…).
 */
import { pluralise } from '../../src/data/ids.js';
import type { Entity } from '../../src/model/schema.js';
import { bool, dotted, entries, isObject, lastName, prop, str, type CallShape, type ClassShape, type Expr } from '../../src/analysis/shapes.js';
import { arrowTarget, literalOf, literalText } from './values.js';
import { newDraft, STATE_FIELD, type Draft, type DraftRelation, type FileCtx } from './collect.js';

const ASSOCIATIONS: Record<string, Entity['relations'][number]['cardinality']> = {
  belongsTo: 'many-to-one',
  hasMany: 'one-to-many',
  hasOne: 'one-to-one',
  belongsToMany: 'many-to-many',
  BelongsTo: 'many-to-one',
  HasMany: 'one-to-many',
  HasOne: 'one-to-one',
  BelongsToMany: 'many-to-many',
};

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `DataTypes.STRING(40)` → STRING; `DataType.ENUM('a','b')` → ENUM with values. */
function dataType(e: Expr | undefined): { type?: string; values?: string[]; enumName?: string } {
  if (!e) return {};
  if (e.k === 'call' && !e.isNew) {
    const inner = dataType(e.callee);
    if (inner.type === 'ENUM') {
      const values: string[] = [];
      for (const a of e.args) {
        if (a.k === 'spread') {
          // ...Object.values(OrderStatus)
          const call = a.e;
          if (call.k === 'call' && !call.isNew && dotted(call.callee) === 'Object.values') return { type: 'ENUM', enumName: lastName(call.args[0]) };
          return { type: 'ENUM' };
        }
        const s = str(a);
        if (s !== undefined) values.push(s);
      }
      return { type: 'ENUM', values };
    }
    return inner;
  }
  const d = dotted(e);
  if (d && /^(DataTypes?|Sequelize|sequelize)\.\w+$/.test(d)) return { type: d.split('.').pop()! };
  if (e.k === 'id' && /^[A-Z][A-Z0-9_]+$/.test(e.name)) return { type: e.name };
  return {};
}

/** Functions that merge option objects: `merge({ sequelize, tableName }, Mixin.options)`, `Object.assign({}, base, {…})`. */
const MERGERS = new Set(['merge', 'assign', 'extend', 'defaults', 'defaultsDeep', 'mergeDeep']);

/**
 * An options or attributes argument as one object literal: the literal itself, or the literals a
 * merging call is given, the later ones first (they win, as in `merge` and `Object.assign`).
 * Arguments that are not literals (`Mixin.options`) are not known and add nothing.
 */
function objectArg(e: Expr | undefined): Extract<Expr, { k: 'obj' }> | undefined {
  if (isObject(e)) return e;
  if (e?.k !== 'call' || e.isNew || !MERGERS.has(lastName(e.callee) ?? '')) return undefined;
  const literals = e.args.filter(isObject);
  return literals.length > 0 ? { k: 'obj', props: literals.reverse().flatMap((o) => o.props) } : undefined;
}

function tableOf(modelName: string, opts: Expr | undefined): string {
  const tableName = str(prop(opts, 'tableName'));
  if (tableName) return tableName;
  const modelOpt = str(prop(opts, 'modelName')) ?? modelName;
  return bool(prop(opts, 'freezeTableName')) ? modelOpt : pluralise(modelOpt);
}

function sequelizeDraft(name: string, table: string, fc: FileCtx, line: number, opts: Expr | undefined): Draft {
  return newDraft('sequelize', name, table, fc.file, line, {
    indexes: indexesOf(opts),
    implicit: {
      id: true,
      timestamps: bool(prop(opts, 'timestamps')) !== false,
      underscored: bool(prop(opts, 'underscored')) === true,
    },
  });
}

function indexesOf(opts: Expr | undefined): string[] {
  const arr = prop(opts, 'indexes');
  if (arr?.k !== 'arr') return [];
  const out: string[] = [];
  for (const ix of arr.items) {
    const fieldsExpr = prop(ix, 'fields');
    const fields = fieldsExpr?.k === 'arr' ? fieldsExpr.items.map((x) => str(x) ?? str(prop(x, 'name')) ?? '?') : undefined;
    if (fields) out.push(`${bool(prop(ix, 'unique')) ? 'unique' : 'index'} (${fields.join(', ')})`);
  }
  return out;
}

/** One attribute of `init`/`define`: `name: DataTypes.STRING` or `{ type, allowNull, … }`. */
function attribute(draft: Draft, field: string, spec: Expr, fc: FileCtx): void {
  const options = isObject(spec) ? spec : undefined;
  const dt = dataType(options ? prop(options, 'type') : spec);
  const listed = prop(options, 'values');
  const values = dt.values ?? (listed?.k === 'arr' ? listed.items.map((x) => str(x) ?? '') : undefined);
  const f: Entity['fields'][number] = { name: field, type: dt.type ?? 'unknown' };
  const primary = bool(prop(options, 'primaryKey')) === true;
  if (primary) f.id = true;
  if (!primary && bool(prop(options, 'allowNull')) !== false) f.nullable = true;
  if (bool(prop(options, 'unique')) === true || str(prop(options, 'unique')) !== undefined) f.unique = true;
  const defaultExpr = prop(options, 'defaultValue');
  const d = literalText(defaultExpr, fc.c.enums) ?? dotted(defaultExpr)?.match(/^(DataTypes?|Sequelize)\.(\w+)$/)?.[2];
  if (d !== undefined) f.default = d;
  draft.fields.push(f);
  if (primary) draft.implicit!.id = false;
  const refs = prop(options, 'references');
  if (refs) {
    const model = prop(refs, 'model');
    const target = str(model) ?? str(prop(model, 'tableName')) ?? lastName(model);
    if (target) {
      draft.relations.push({
        name: field,
        target,
        targetKind: str(model) !== undefined || prop(model, 'tableName') ? 'table' : 'name',
        cardinality: 'many-to-one',
        foreignKey: field,
        fromColumn: true,
      });
    }
  }
  if (STATE_FIELD.test(field) && (dt.type === 'ENUM' || values)) {
    if (values && values.length > 0) draft.states.push({ field, values, initial: d });
    else if (dt.enumName) draft.pendingEnums.push({ field, enumName: dt.enumName, initial: literalOf(defaultExpr) });
  }
}

/** Calls: `X.init(...)`, `super.init(...)`, `sequelize.define(...)`, `X.belongsTo(Y, …)`. */
export function sequelizeCall(site: CallShape, fc: FileCtx): void {
  const node = site.e;
  if (node.isNew || node.callee.k !== 'member') return;
  const method = node.callee.name;
  const recv = node.callee.e;
  const args = node.args;
  const isSuper = recv.k === 'kw' && recv.name === 'super';
  const isThis = recv.k === 'kw' && recv.name === 'this';
  const attrs = objectArg(args[0]);
  if (method === 'init' && attrs && (objectArg(args[1]) || isSuper)) {
    const cls = isSuper || isThis ? site.cls : lastName(recv);
    if (!cls) return;
    const opts = objectArg(args[1]);
    if (opts && !prop(opts, 'sequelize') && !prop(opts, 'tableName') && !prop(opts, 'modelName') && !isSuper) return;
    const modelName = str(prop(opts, 'modelName')) ?? cls;
    const draft = sequelizeDraft(modelName, tableOf(cls, opts), fc, node.line, opts);
    if (modelName !== cls) draft.aliases.push(cls);
    for (const [field, spec] of entries(attrs)) attribute(draft, field, spec, fc);
    fc.c.drafts.push(draft);
    return;
  }
  const defined = objectArg(args[1]);
  if (method === 'define' && str(args[0]) !== undefined && defined) {
    const modelName = str(args[0])!;
    const opts = objectArg(args[2]);
    const draft = sequelizeDraft(modelName, tableOf(modelName, opts), fc, node.line, opts);
    const variable = site.assigned?.by === 'var' ? site.assigned.name : undefined;
    if (variable && variable !== modelName) draft.aliases.push(variable);
    for (const [field, spec] of entries(defined)) attribute(draft, field, spec, fc);
    fc.c.drafts.push(draft);
    return;
  }
  const cardinality = ASSOCIATIONS[method];
  if (cardinality && method[0] === method[0]!.toLowerCase() && args.length >= 1) {
    const source = isThis ? site.cls : lastName(recv);
    const target = lastName(args[0]);
    if (!source || !target || (!/^[A-Z]/.test(target) && !/^models?\./.test(dotted(args[0]) ?? ''))) return;
    const opts = args[1];
    const as = str(prop(opts, 'as'));
    const fk = str(prop(opts, 'foreignKey')) ?? str(prop(prop(opts, 'foreignKey'), 'name'));
    const name = as ?? (cardinality === 'one-to-many' || cardinality === 'many-to-many' ? lowerFirst(pluralise(target)) : lowerFirst(target));
    const rel: DraftRelation = { name, target, targetKind: 'name', cardinality };
    if (cardinality === 'many-to-one') rel.foreignKey = fk ?? `${lowerFirst(as ?? target)}Id`;
    else if (fk) rel.foreignKey = fk;
    fc.c.associations.push({ source, relation: rel });
  }
}

/** sequelize-typescript: `@Table class Order extends Model { @Column … }`. */
export function sequelizeTypescriptClass(node: ClassShape, fc: FileCtx): void {
  const name = node.name;
  if (!name) return;
  const table = node.decorators.find((d) => d.name === 'Table');
  const hasColumns = node.properties.some((m) => m.decorators.some((d) => ['Column', 'CreatedAt', 'UpdatedAt', 'DeletedAt'].includes(d.name)));
  const extendsSomething = !!node.derived;
  // A base class without @Table (IdModel, ParanoidModel → IdModel) lends its columns to subclasses.
  if (!table && !hasColumns && !extendsSomething) return;
  const opts = table?.args[0];
  const draft = sequelizeDraft(name, table ? tableOf(str(prop(opts, 'modelName')) ?? name, opts) : '', fc, node.line, opts);
  const base = node.extends;
  if (base && base !== 'Model') draft.extends = base;
  const foreignKeys = new Map<string, string>();
  for (const m of node.properties) {
    if (m.quoted) continue;
    const field = m.name;
    const decs = m.decorators;
    const assoc = decs.find((d) => ASSOCIATIONS[d.name] && /^[A-Z]/.test(d.name));
    if (assoc) {
      const target = arrowTarget(assoc.args[0]);
      if (!target) continue;
      const cardinality = ASSOCIATIONS[assoc.name]!;
      const fkArg = assoc.args.find((a) => str(a) !== undefined) ?? prop(assoc.args.find(isObject), 'foreignKey');
      const rel: DraftRelation = { name: field, target, targetKind: 'name', cardinality };
      const fk = str(fkArg);
      if (fk) rel.foreignKey = fk;
      draft.relations.push(rel);
      continue;
    }
    const col = decs.find((d) => d.name === 'Column' || d.name === 'CreatedAt' || d.name === 'UpdatedAt' || d.name === 'DeletedAt');
    if (!col) continue;
    const arg = col.args[0];
    const spec = isObject(arg) ? arg : undefined;
    const dt = dataType(spec ? prop(spec, 'type') : arg);
    const tsType = m.type?.text;
    const f: Entity['fields'][number] = { name: field, type: dt.type ?? (col.name === 'Column' ? (tsType ?? 'unknown') : 'DATE') };
    const primary = decs.some((d) => d.name === 'PrimaryKey') || bool(prop(spec, 'primaryKey')) === true;
    if (primary) {
      f.id = true;
      draft.implicit!.id = false;
    }
    const allowNull = decs.find((d) => d.name === 'AllowNull');
    const nullable = allowNull ? bool(allowNull.args[0]) !== false : bool(prop(spec, 'allowNull')) !== false;
    if (!primary && nullable && col.name === 'Column') f.nullable = true;
    if (decs.some((d) => d.name === 'Unique') || bool(prop(spec, 'unique'))) f.unique = true;
    const defDec = decs.find((d) => d.name === 'Default');
    const defExpr = defDec?.args[0] ?? prop(spec, 'defaultValue');
    const d = literalText(defExpr, fc.c.enums) ?? dotted(defExpr)?.match(/^(DataTypes?|Sequelize)\.(\w+)$/)?.[2];
    if (d !== undefined) f.default = d;
    if (col.name !== 'Column') f.default ??= 'now()';
    draft.fields.push(f);
    const fk = decs.find((x) => x.name === 'ForeignKey');
    if (fk) {
      const target = arrowTarget(fk.args[0]);
      if (target) foreignKeys.set(target, field);
    }
    if (STATE_FIELD.test(field) && dt.type === 'ENUM') {
      if (dt.values && dt.values.length > 0) draft.states.push({ field, values: dt.values, initial: d });
      else if (dt.enumName) draft.pendingEnums.push({ field, enumName: dt.enumName, initial: literalOf(defExpr) });
    }
  }
  // @BelongsTo without an explicit key uses the @ForeignKey column pointing at the same model.
  for (const r of draft.relations) {
    if (r.cardinality === 'many-to-one' && !r.foreignKey) r.foreignKey = foreignKeys.get(r.target) ?? `${lowerFirst(r.target)}Id`;
  }
  if (draft.fields.some((f) => f.name === 'createdAt' || f.name === 'created_at')) draft.implicit!.timestamps = false;
  if (table) {
    draft.decoratedModel = true;
    fc.c.drafts.push(draft);
  } else fc.c.bases.set(name, draft);
}

/** `new Sequelize({ models: [User, Order] })` / `sequelize.addModels([User])`: the classes registered. */
export function sequelizeRegistration(list: Expr | undefined, fc: FileCtx): void {
  if (list?.k !== 'arr') {
    // `models: [__dirname + '/models']`, a variable: which classes are registered is not known.
    if (list) fc.c.sequelizeRegistered.glob = true;
    return;
  }
  fc.c.sequelizeRegistered.lists++;
  for (const e of list.items) {
    const n = e.k === 'id' ? e.name : undefined;
    if (n) fc.c.sequelizeRegistered.names.add(n);
    else fc.c.sequelizeRegistered.glob = true;
  }
}
