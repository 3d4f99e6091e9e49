/**
 * Mongoose: `new Schema({...})` bound to a model by `model('Name', schema)`, refs as relations,
 * `schema.index(...)`; and NestJS `@Schema()` classes with `@Prop()`.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Entity } from '../../src/model/schema.js';
import { assignedName, bool, decoratorsOf, dotted, isObject, lastName, objectEntries, prop, str, stringArray, unwrap } from '../../src/analysis/ast.js';
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

function typeName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const n = lastName(e);
  if (n && SCALARS[n]) return SCALARS[n];
  const s = str(e);
  if (s) return s;
  return n;
}

function emptyDraft(name: string, fc: FileCtx, node: ts.Node): Draft {
  return newDraft('mongoose', name, '', fc.file, fc.line(node), { tech: 'mongodb' });
}

function enumValues(e: ts.Expression | undefined, draft: Draft, field: string, initial: ts.Expression | undefined, fc: FileCtx): void {
  if (!e || !STATE_FIELD.test(field)) return;
  const values = stringArray(e) ?? stringArray(prop(e, 'values'));
  const init = literalText(initial, fc.c.enums);
  if (values) {
    draft.states.push({ field, values, initial: init });
    return;
  }
  const u = unwrap(e);
  if (ts.isCallExpression(u) && dotted(u.expression) === 'Object.values' && lastName(u.arguments[0])) {
    draft.pendingEnums.push({ field, enumName: lastName(u.arguments[0])!, initial: literalOf(initial) });
  }
}

/** One path of a schema definition. */
function schemaPath(draft: Draft, field: string, spec: ts.Expression, fc: FileCtx): void {
  spec = unwrap(spec);
  // [String], [{ type: ObjectId, ref: 'Item' }], [subSchema]
  if (ts.isArrayLiteralExpression(spec)) {
    const inner = spec.elements[0] as ts.Expression | undefined;
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
    const tu = unwrap(t);
    if (ts.isArrayLiteralExpression(tu)) {
      schemaPath(draft, field, tu, fc);
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

function required(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (bool(u) === true) return true;
  return ts.isArrayLiteralExpression(u) && bool(u.elements[0] as ts.Expression) === true;
}

function addImplicit(draft: Draft, opts: ts.Expression | undefined): void {
  if (bool(prop(opts, '_id')) !== false && !draft.fields.some((f) => f.name === '_id')) draft.fields.unshift({ name: '_id', type: 'ObjectId', id: true });
  if (bool(prop(opts, 'timestamps')) === true || isObject(prop(opts, 'timestamps'))) {
    for (const n of ['createdAt', 'updatedAt']) if (!draft.fields.some((f) => f.name === n)) draft.fields.push({ name: n, type: 'Date' });
  }
}

/** `new Schema({...}, opts)` / `new mongoose.Schema(...)` / `mongoose.Schema(...)` (without `new`, as Mongoose allows). */
export function mongooseSchema(node: ts.NewExpression | ts.CallExpression, fc: FileCtx): Draft | undefined {
  const def = node.arguments?.[0];
  if (!isObject(def)) return undefined;
  const variable = assignedName(node) ?? `schema@${fc.line(node)}`;
  const draft = emptyDraft(variable, fc, node);
  for (const [field, spec] of objectEntries(def)) schemaPath(draft, field, spec, fc);
  addImplicit(draft, node.arguments?.[1]);
  fc.c.mongooseSchemas.set(`${fc.file}#${variable}`, draft);
  fc.c.mongooseSchemas.set(variable, draft);
  return draft;
}

/** `model('Order', orderSchema, 'orders')`, `mongoose.model(...)`, `connection.model(...)`; the name may be a file constant. */
export function mongooseModel(node: ts.CallExpression, fc: FileCtx): void {
  const name = constString(node.arguments[0], fc.sf);
  const schemaArg = node.arguments[1];
  if (!name || !schemaArg) return;
  const u = unwrap(schemaArg);
  const entry: Collected['mongooseModels'][number] = { model: name, file: fc.file, line: fc.line(node), collection: str(node.arguments[2]) };
  if (ts.isNewExpression(u) || (ts.isCallExpression(u) && lastName(u.expression) === 'Schema')) entry.inline = mongooseSchema(u, fc);
  else entry.schema = lastName(u);
  fc.c.mongooseModels.push(entry);
}

/** `orderSchema.index({ customer: 1, createdAt: -1 }, { unique: true })`. */
export function mongooseIndex(node: ts.CallExpression, fc: FileCtx): void {
  if (!ts.isPropertyAccessExpression(node.expression)) return;
  const schema = lastName(node.expression.expression);
  const keys = objectEntries(node.arguments[0]).map(([k]) => k);
  if (!schema || keys.length === 0) return;
  fc.c.mongooseIndexes.push({ schema, index: `${bool(prop(node.arguments[1], 'unique')) ? 'unique' : 'index'} (${keys.join(', ')})` });
}

/** NestJS: `@Schema({ collection, timestamps }) class Cat { @Prop(...) name: string }`. */
export function nestSchemaClass(node: ts.ClassDeclaration, fc: FileCtx): void {
  const name = node.name?.text;
  const dec = decoratorsOf(node).find((d) => d.name === 'Schema');
  if (!name || !dec) return;
  const opts = dec.args[0];
  const draft = emptyDraft(name, fc, node);
  for (const m of node.members) {
    if (!ts.isPropertyDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
    const p = decoratorsOf(m).find((d) => d.name === 'Prop');
    if (!p) continue;
    const field = m.name.text;
    const arg = p.args[0];
    const tsType = m.type?.getText(fc.sf).replace(/\s+/g, ' ');
    if (arg && (isObject(arg) || ts.isArrayLiteralExpression(unwrap(arg)))) {
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
  const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const base = heritage ? lastName(heritage.expression) : undefined;
  if (base) draft.extends = base;
  fc.c.mongooseModels.push({ model: name, inline: draft, collection: str(prop(opts, 'collection')), file: fc.file, line: fc.line(node), nestClass: true });
}
