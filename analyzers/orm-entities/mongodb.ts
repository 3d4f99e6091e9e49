/**
 * The MongoDB driver without an ODM: `db.createCollection('users', { validator: { $jsonSchema } })`
 * declares a collection with its fields; `db.collection('users')` in a file that imports `mongodb`
 * names a collection the code uses, without fields (read only when the project has no ODM).
 */
import type { Entity } from '../../src/model/schema.js';
import { bool, entries, isObject, prop, str, stringArray, type CallShape, type Expr } from '../../src/analysis/shapes.js';
import { constString } from './values.js';
import { newDraft, type Draft, type FileCtx } from './collect.js';

function emptyDraft(name: string, fc: FileCtx, line: number): Draft {
  return newDraft('mongodb', name, name, fc.file, line, { tech: 'mongodb' });
}

/** `bsonType: 'string'` / `bsonType: ['string', 'null']` / `type: 'object'`. */
function bsonType(spec: Expr): string {
  const t = prop(spec, 'bsonType') ?? prop(spec, 'type');
  const one = str(t);
  if (one) return one;
  const many = stringArray(t);
  if (many && many.length > 0) return many.join(' | ');
  return prop(spec, 'enum') ? 'enum' : 'unknown';
}

/** Fields of a `$jsonSchema` (top level: `required` and `properties`). */
function jsonSchemaFields(draft: Draft, schema: Expr | undefined): void {
  const required = new Set(stringArray(prop(schema, 'required')) ?? []);
  const props = entries(prop(schema, 'properties'));
  if (!props.some(([k]) => k === '_id')) draft.fields.push({ name: '_id', type: 'ObjectId', id: true });
  for (const [name, spec] of props) {
    const f: Entity['fields'][number] = { name, type: bsonType(spec) };
    if (name === '_id') f.id = true;
    else if (!required.has(name)) f.nullable = true;
    const values = stringArray(prop(spec, 'enum'));
    draft.fields.push(f);
    if (values && /(^|_)(status|state)$|[a-z](Status|State)$/.test(name)) draft.states.push({ field: name, values });
  }
}

export interface MongoCollections {
  /** Collections declared by createCollection. */
  declared: Draft[];
  /** Collections only used (`db.collection('x')`), one per file and name. */
  used: Draft[];
}

/** A call of the driver on a collection name: `createCollection('x', …)`, `collection('x')`, `collection('x').createIndex(…)`. */
export function mongoCall(site: CallShape, fc: FileCtx, out: MongoCollections): void {
  const node = site.e;
  if (node.isNew || node.callee.k !== 'member') return;
  const method = node.callee.name;
  const line = node.line;
  if (method === 'createCollection') {
    const name = constString(node.args[0], fc.index.shapes.consts);
    if (!name) return;
    const draft = emptyDraft(name, fc, line);
    const validator = prop(node.args[1], 'validator');
    const schema = prop(validator, '$jsonSchema');
    if (isObject(schema)) jsonSchemaFields(draft, schema);
    else draft.fields.push({ name: '_id', type: 'ObjectId', id: true });
    out.declared.push(draft);
    return;
  }
  if (method !== 'collection') return;
  const name = constString(node.args[0], fc.index.shapes.consts);
  if (!name) return;
  // `collection('users').createIndex({ email: 1 }, { unique: true })`
  let index: string | undefined;
  if (site.next?.name === 'createIndex') {
    const keys = entries(site.next.args[0] ?? node).map(([k]) => k);
    if (keys.length > 0) index = `${bool(prop(site.next.args[1], 'unique')) ? 'unique' : 'index'} (${keys.join(', ')})`;
  }
  let draft = out.used.find((d) => d.file === fc.file && d.table === name);
  if (!draft) {
    draft = emptyDraft(name, fc, line);
    out.used.push(draft);
  }
  if (index && !draft.indexes.includes(index)) draft.indexes.push(index);
}
