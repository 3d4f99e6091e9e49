/**
 * Mongoose: `new Schema({...})` bound to a model by `model('Name', schema)`, refs as relations,
 * `schema.index(...)`; NestJS `@Schema()` classes with `@Prop()`; and Typegoose classes with
 * `@prop()` bound to a model by `getModelForClass(Class)`.
 */
import type { Entity } from '../../src/model/schema.js';
import {
  bool,
  dotted,
  entries,
  isObject,
  lastName,
  prop,
  str,
  stringArray,
  type CallExpr,
  type CallShape,
  type ClassShape,
  type Expr,
} from '../../src/analysis/shapes.js';
import { constString, literalOf, literalText } from './values.js';
import { newDraft, STATE_FIELD, type Collected, type Draft, type FileCtx } from './collect.js';

const SCALARS: Record<string, string> = {
  String: 'String',
  Number: 'Number',
  Date: 'Date',
  Boolean: 'Boolean',
  Buffer: 'Buffer',
  Map: 'Map',
  Object: 'Object',
  ObjectId: 'ObjectId',
  Mixed: 'Mixed',
  Decimal128: 'Decimal128',
  UUID: 'UUID',
  BigInt: 'BigInt',
  Array: 'Array',
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
};

function typeName(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const n = lastName(e);
  if (n && SCALARS[n]) return SCALARS[n];
  const s = str(e);
  if (s) return s;
  return n;
}

function emptyDraft(name: string, fc: FileCtx, line: number): Draft {
  return newDraft('mongoose', name, '', fc.file, line, { tech: 'mongodb' });
}

function enumValues(e: Expr | undefined, draft: Draft, field: string, initial: Expr | undefined, fc: FileCtx): void {
  if (!e || !STATE_FIELD.test(field)) return;
  const values = stringArray(e) ?? stringArray(prop(e, 'values'));
  const init = literalText(initial, fc.c.enums);
  if (values) {
    draft.states.push({ field, values, initial: init });
    return;
  }
  if (e.k === 'call' && !e.isNew && dotted(e.callee) === 'Object.values' && lastName(e.args[0])) {
    draft.pendingEnums.push({ field, enumName: lastName(e.args[0])!, initial: literalOf(initial) });
  }
}

/** One path of a schema definition. */
function schemaPath(draft: Draft, field: string, spec: Expr, fc: FileCtx): void {
  // [String], [{ type: ObjectId, ref: 'Item' }], [subSchema]
  if (spec.k === 'arr') {
    const inner = spec.items[0];
    const ref = inner ? str(prop(inner, 'ref')) : undefined;
    if (ref) {
      draft.fields.push({ name: field, type: 'ObjectId[]', nullable: true });
      draft.relations.push({ name: field, target: ref, targetKind: 'name', cardinality: 'one-to-many', foreignKey: field });
      return;
    }
    const t = inner ? (isObject(inner) && prop(inner, 'type') ? typeName(prop(inner, 'type')) : isObject(inner) ? 'Object' : typeName(inner)) : 'Mixed';
    draft.fields.push({ name: field, type: `${t ?? 'Mixed'}[]`, nullable: true });
    return;
  }
  if (isObject(spec)) {
    const t = prop(spec, 'type');
    if (!t) {
      draft.fields.push({ name: field, type: 'Object', nullable: true });
      return;
    }
    if (t.k === 'arr') {
      schemaPath(draft, field, t, fc);
      const last = draft.fields[draft.fields.length - 1]!;
      if (required(prop(spec, 'required'))) delete last.nullable;
      return;
    }
    const f: Entity['fields'][number] = { name: field, type: typeName(t) ?? 'Mixed' };
    if (!required(prop(spec, 'required'))) f.nullable = true;
    if (bool(prop(spec, 'unique'))) f.unique = true;
    const d = literalText(prop(spec, 'default'), fc.c.enums);
    if (d !== undefined) f.default = d;
    draft.fields.push(f);
    if (bool(prop(spec, 'index')) || bool(prop(spec, 'unique'))) draft.indexes.push(`${bool(prop(spec, 'unique')) ? 'unique' : 'index'} (${field})`);
    const ref = str(prop(spec, 'ref'));
    if (ref)
      draft.relations.push({
        name: field,
        target: ref,
        targetKind: 'name',
        cardinality: bool(prop(spec, 'unique')) ? 'one-to-one' : 'many-to-one',
        foreignKey: field,
      });
    enumValues(prop(spec, 'enum'), draft, field, prop(spec, 'default'), fc);
    return;
  }
  const t = typeName(spec);
  // A schema variable used as a path type is an embedded subdocument.
  draft.fields.push({ name: field, type: t && fc.c.mongooseSchemas.has(t) ? 'Subdocument' : (t ?? 'Mixed'), nullable: true });
}

function required(e: Expr | undefined): boolean {
  if (!e) return false;
  if (bool(e) === true) return true;
  return e.k === 'arr' && bool(e.items[0]) === true;
}

function addImplicit(draft: Draft, opts: Expr | undefined): void {
  if (bool(prop(opts, '_id')) !== false && !draft.fields.some((f) => f.name === '_id')) draft.fields.unshift({ name: '_id', type: 'ObjectId', id: true });
  if (bool(prop(opts, 'timestamps')) === true || isObject(prop(opts, 'timestamps'))) {
    for (const n of ['createdAt', 'updatedAt']) if (!draft.fields.some((f) => f.name === n)) draft.fields.push({ name: n, type: 'Date' });
  }
}

/** `new Schema({...}, opts)` / `new mongoose.Schema(...)` / `mongoose.Schema(...)` (without `new`, as Mongoose allows); `assigned` names the variable it is given to. */
export function mongooseSchema(node: CallExpr, assigned: string | undefined, fc: FileCtx): Draft | undefined {
  const def = node.args[0];
  if (!isObject(def)) return undefined;
  const variable = assigned ?? `schema@${node.line}`;
  const draft = emptyDraft(variable, fc, node.line);
  for (const [field, spec] of entries(def)) schemaPath(draft, field, spec, fc);
  addImplicit(draft, node.args[1]);
  fc.c.mongooseSchemas.set(`${fc.file}#${variable}`, draft);
  fc.c.mongooseSchemas.set(variable, draft);
  return draft;
}

/** `model('Order', orderSchema, 'orders')`, `mongoose.model(...)`, `connection.model(...)`; the name may be a file constant. */
export function mongooseModel(node: CallExpr, fc: FileCtx): void {
  const name = constString(node.args[0], fc.index.shapes.consts);
  const u = node.args[1];
  if (!name || !u) return;
  const entry: Collected['mongooseModels'][number] = { model: name, file: fc.file, line: node.line, collection: str(node.args[2]) };
  if (u.k === 'call' && (u.isNew || lastName(u.callee) === 'Schema')) entry.inline = mongooseSchema(u, undefined, fc);
  else entry.schema = lastName(u);
  fc.c.mongooseModels.push(entry);
}

/** `orderSchema.index({ customer: 1, createdAt: -1 }, { unique: true })`. */
export function mongooseIndex(site: CallShape, fc: FileCtx): void {
  const node = site.e;
  if (node.callee.k !== 'member') return;
  const schema = lastName(node.callee.e);
  const keys = entries(node.args[0]).map(([k]) => k);
  if (!schema || keys.length === 0) return;
  fc.c.mongooseIndexes.push({ schema, index: `${bool(prop(node.args[1], 'unique')) ? 'unique' : 'index'} (${keys.join(', ')})` });
}

/** NestJS: `@Schema({ collection, timestamps }) class Cat { @Prop(...) name: string }`. */
export function nestSchemaClass(node: ClassShape, fc: FileCtx): void {
  const name = node.name;
  const dec = node.decorators.find((d) => d.name === 'Schema');
  if (!name || !dec) return;
  const opts = dec.args[0];
  const draft = emptyDraft(name, fc, node.line);
  for (const m of node.properties) {
    if (m.quoted) continue;
    const p = m.decorators.find((d) => d.name === 'Prop');
    if (!p) continue;
    const field = m.name;
    const arg = p.args[0];
    const tsType = m.type?.text.replace(/\s+/g, ' ');
    if (arg && (isObject(arg) || arg.k === 'arr')) {
      if (isObject(arg) && !prop(arg, 'type')) {
        const f: Entity['fields'][number] = { name: field, type: tsType ? (SCALARS[tsType] ?? tsType) : 'Mixed' };
        if (!required(prop(arg, 'required'))) f.nullable = true;
        if (bool(prop(arg, 'unique'))) f.unique = true;
        const d = literalText(prop(arg, 'default'), fc.c.enums);
        if (d !== undefined) f.default = d;
        draft.fields.push(f);
        enumValues(prop(arg, 'enum'), draft, field, prop(arg, 'default'), fc);
      } else schemaPath(draft, field, arg, fc);
    } else {
      draft.fields.push({ name: field, type: tsType ? (SCALARS[tsType] ?? tsType) : 'Mixed', nullable: true });
    }
  }
  addImplicit(draft, opts);
  if (node.extends) draft.extends = node.extends;
  fc.c.mongooseModels.push({ model: name, inline: draft, collection: str(prop(opts, 'collection')), file: fc.file, line: node.line, nestClass: true });
}

/** The class a `ref` names: `'User'`, `User`, `() => User`, `'User'` returned by an arrow. */
function refTarget(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'fn') return refTarget(e.body ?? e.ret);
  return str(e) ?? lastName(e);
}

/**
 * Typegoose: a class whose properties carry `@prop()` (`@modelOptions({ schemaOptions })` on the
 * class), kept as a schema under the class's name until `getModelForClass` binds it to a model.
 */
export function typegooseClass(node: ClassShape, fc: FileCtx): void {
  const name = node.name;
  if (!name || !node.properties.some((m) => m.decorators.some((d) => d.name === 'prop' || d.name === 'Prop'))) return;
  const draft = emptyDraft(name, fc, node.line);
  const schemaOptions = prop(node.decorators.find((d) => d.name === 'modelOptions')?.args[0], 'schemaOptions');
  const collection = str(prop(schemaOptions, 'collection'));
  if (collection) draft.table = collection;
  for (const m of node.properties) {
    if (m.quoted) continue;
    const p = m.decorators.find((d) => d.name === 'prop' || d.name === 'Prop');
    if (!p) continue;
    const arg = p.args[0];
    const tsType = m.type?.text.replace(/\s+/g, ' ');
    const array = tsType !== undefined && (tsType.endsWith('[]') || tsType.startsWith('Array<'));
    const ref = refTarget(prop(arg, 'ref'));
    const f: Entity['fields'][number] = { name: m.name, type: tsType ? (SCALARS[tsType] ?? tsType) : 'Mixed' };
    if (ref) f.type = array ? 'ObjectId[]' : 'ObjectId';
    if (!required(prop(arg, 'required'))) f.nullable = true;
    if (bool(prop(arg, 'unique'))) f.unique = true;
    const d = literalText(prop(arg, 'default'), fc.c.enums);
    if (d !== undefined) f.default = d;
    draft.fields.push(f);
    if (bool(prop(arg, 'index')) || bool(prop(arg, 'unique'))) draft.indexes.push(`${bool(prop(arg, 'unique')) ? 'unique' : 'index'} (${m.name})`);
    if (ref)
      draft.relations.push({
        name: m.name,
        target: ref,
        targetKind: 'name',
        cardinality: array ? 'one-to-many' : bool(prop(arg, 'unique')) ? 'one-to-one' : 'many-to-one',
        foreignKey: m.name,
      });
    enumValues(prop(arg, 'enum'), draft, m.name, prop(arg, 'default'), fc);
  }
  addImplicit(draft, schemaOptions);
  if (node.extends) draft.extends = node.extends;
  fc.c.mongooseSchemas.set(`${fc.file}#${TYPEGOOSE}${name}`, draft);
  fc.c.mongooseSchemas.set(`${TYPEGOOSE}${name}`, draft);
}

/** The key prefix of a Typegoose class among the Mongoose schemas. */
export const TYPEGOOSE = 'class:';

/** `getModelForClass(User, { schemaOptions: { collection } })`: the model is the class's name; `assigned` the variable it is given to. */
export function typegooseModel(node: CallExpr, assigned: string | undefined, fc: FileCtx): void {
  const cls = lastName(node.args[0]);
  if (!cls) return;
  if (assigned && assigned !== cls) fc.c.typegooseModelVars.set(assigned, cls);
  const collection = str(prop(prop(node.args[1], 'schemaOptions'), 'collection'));
  fc.c.mongooseModels.push({ model: cls, schema: `${TYPEGOOSE}${cls}`, file: fc.file, line: node.line, ...(collection ? { collection } : {}) });
}

/** Mongoose's own plural rules (lib/helpers/pluralize.js), first match wins; words it never pluralises. */
const MONGOOSE_RULES: [RegExp, string][] = [
  [/(m)an$/i, '$1en'],
  [/(pe)rson$/i, '$1ople'],
  [/(child)$/i, '$1ren'],
  [/^(ox)$/i, '$1en'],
  [/(ax|test)is$/i, '$1es'],
  [/(octop|vir)us$/i, '$1i'],
  [/(alias|status)$/i, '$1es'],
  [/(bu)s$/i, '$1ses'],
  [/(buffal|tomat|potat)o$/i, '$1oes'],
  [/([ti])um$/i, '$1a'],
  [/sis$/i, 'ses'],
  [/(?:([^f])fe|([lr])f)$/i, '$1$2ves'],
  [/(hive)$/i, '$1s'],
  [/([^aeiouy]|qu)y$/i, '$1ies'],
  [/(x|ch|ss|sh)$/i, '$1es'],
  [/(matr|vert|ind)ix|ex$/i, '$1ices'],
  [/([ml])ouse$/i, '$1ice'],
  [/(kn|w|l)ife$/i, '$1ives'],
  [/(quiz)$/i, '$1zes'],
  [/s$/i, 's'],
  [/([^a-z])$/i, '$1'],
];
const MONGOOSE_UNCOUNTABLE = new Set(
  'advice energy excretion digestion cooperation health justice labour machinery equipment information pollution sewage paper money species series rain rice fish sheep moose deer news expertise status media'.split(
    ' ',
  ),
);

/** The collection Mongoose names for a model: `Category` → `categories`, `FaQs` → `faqs`, `Person` → `people`. */
export function mongooseCollection(model: string): string {
  const name = model.toLowerCase();
  if (MONGOOSE_UNCOUNTABLE.has(name) || name.length > 200) return name;
  for (const [re, to] of MONGOOSE_RULES) if (re.test(name)) return name.replace(re, to);
  return `${name}s`;
}
