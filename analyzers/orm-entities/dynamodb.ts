/**
 * DynamoDB mappers: the entities code declares over DynamoDB tables, read from the calls of each
 * script's index (`sites`, arguments in full depth with the objects constants hold).
 *
 * - dynamodb-toolbox: `new Entity({ name, attributes: { id: { partitionKey: true }, … }, table })`,
 *   the table a `new Table({ name, partitionKey, sortKey })` of the file;
 * - ElectroDB: `new Entity({ model: { entity, service }, attributes, indexes }, { table })`;
 * - dynamoose: `dynamoose.model('Cat', schema)` with `new dynamoose.Schema({ id: { hashKey: true } })`
 *   (or the attributes written in place); the table is the model's name;
 * - OneTable: `new Table({ name, schema: { models: { User: { pk: { type: String }, … } } } })`.
 */
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { CallSite, Opt } from '../../src/analysis/sites.js';
import type { Entity } from '../../src/model/schema.js';

/** The mappers read, by package, with the label an entity's `orm` carries. */
export const DYNAMODB_MAPPERS: Record<string, string> = {
  'dynamodb-toolbox': 'dynamodb-toolbox',
  electrodb: 'electrodb',
  dynamoose: 'dynamoose',
  'dynamodb-onetable': 'onetable',
};

/** An entity read from a mapper, its table a literal name when code writes one. */
export interface MappedEntity {
  name: string;
  table?: string;
  orm: string;
  fields: Entity['fields'];
  indexes: string[];
  file: string;
  line: number;
}

const prop = (o: Opt | undefined, key: string): Opt | undefined => o?.obj?.find((p) => p.key === key)?.v;
const props = (o: Opt | undefined): [string, Opt][] => (o?.obj ?? []).flatMap((p) => (p.key !== undefined && p.v ? [[p.key, p.v] as [string, Opt]] : []));
const truthy = (o: Opt | undefined): boolean => o?.bool === true;

/** A type as written: `'string'`, `String`, `{ type: 'number' }`, `{ type: String }`, `['a', 'b']` (ElectroDB's enum). */
function typeOf(spec: Opt): string {
  const t = spec.obj ? prop(spec, 'type') : spec;
  if (t?.str !== undefined) return t.str;
  if (t?.arr) return 'enum';
  if (t?.label) return t.label.toLowerCase();
  return 'unknown';
}

/** Attributes whose spec flags the keys with `partitionKey`/`sortKey` (toolbox) or `hashKey`/`rangeKey` (dynamoose). */
function attributes(spec: Opt | undefined): Entity['fields'] {
  return props(spec).map(([name, v]) => {
    const f: Entity['fields'][number] = { name, type: typeOf(v) };
    if (['partitionKey', 'sortKey', 'hashKey', 'rangeKey'].some((k) => truthy(prop(v, k)))) f.id = true;
    return f;
  });
}

/** The callee's module and imported name, the mapper's label when it is one. */
function mapper(site: CallSite): string | undefined {
  return site.module ? DYNAMODB_MAPPERS[site.module] : undefined;
}

/** One script's mapped entities. */
export function dynamodbEntities(file: string, index: FileIndex): MappedEntity[] {
  const calls = index.sites.sites.filter((s): s is CallSite => s.k !== 'class' && s.k !== 'vars');
  const out: MappedEntity[] = [];
  // Tables of the file by variable: dynamodb-toolbox `new Table({ name: 'posts' })`.
  const tables = new Map<string, Opt>();
  const schemas = new Map<string, Opt>();
  for (const s of calls) {
    const orm = mapper(s);
    const arg = s.args[0];
    if (!orm || !s.assignedTo || !arg) continue;
    if (s.k === 'new' && s.name.endsWith('Table')) tables.set(s.assignedTo, arg);
    if (s.k === 'new' && s.name.endsWith('Schema')) schemas.set(s.assignedTo, arg);
  }
  const tableName = (ref: Opt | undefined): string | undefined => {
    if (ref?.str !== undefined) return ref.str;
    const t = ref?.label ? tables.get(ref.label) : undefined;
    return prop(t, 'name')?.str;
  };
  for (const s of calls) {
    const orm = mapper(s);
    if (!orm) continue;
    const arg = s.args[0];
    if (s.k === 'new' && s.name.endsWith('Entity') && orm === 'dynamodb-toolbox') {
      const name = prop(arg, 'name')?.str;
      if (!name) continue;
      const table = tableName(prop(arg, 'table'));
      out.push({ name, ...(table ? { table } : {}), orm, fields: attributes(prop(arg, 'attributes')), indexes: [], file, line: s.line });
    } else if (s.k === 'new' && s.name.endsWith('Entity') && orm === 'electrodb') {
      const name = prop(prop(arg, 'model'), 'entity')?.str;
      if (!name) continue;
      const fields = attributes(prop(arg, 'attributes'));
      // Each index's composite attributes are its keys; the primary one (no `index`) keys the item.
      const indexes: string[] = [];
      for (const [ix, v] of props(prop(arg, 'indexes'))) {
        const composite = [prop(prop(v, 'pk'), 'composite'), prop(prop(v, 'sk'), 'composite')].flatMap((c) =>
          (c?.arr ?? []).flatMap((x) => (x.str ? [x.str] : [])),
        );
        if (prop(v, 'index') === undefined) for (const f of fields) if (composite.includes(f.name)) f.id = true;
        indexes.push(`${prop(v, 'index') === undefined ? 'primary' : 'index'} ${ix} (${composite.join(', ')})`);
      }
      const table = prop(s.args[1], 'table')?.str;
      out.push({ name, ...(table ? { table } : {}), orm, fields, indexes, file, line: s.line });
    } else if (s.k === 'call' && s.name.endsWith('model') && orm === 'dynamoose') {
      const name = arg?.str;
      if (!name) continue;
      const spec = s.args[1];
      const schema = spec?.label ? schemas.get(spec.label) : spec?.isNew ? undefined : spec;
      out.push({ name, table: name, orm, fields: attributes(schema), indexes: [], file, line: s.line });
    } else if (s.k === 'new' && s.name.endsWith('Table') && orm === 'onetable') {
      const table = prop(arg, 'name')?.str;
      const schema = prop(arg, 'schema');
      // The primary index names the key attributes every model shares (`{ hash: 'pk', sort: 'sk' }`).
      const primary = prop(prop(schema, 'indexes'), 'primary');
      const keys = new Set([prop(primary, 'hash')?.str, prop(primary, 'sort')?.str]);
      for (const [name, model] of props(prop(schema, 'models'))) {
        const fields = props(model).map(([f, v]): Entity['fields'][number] => ({ name: f, type: typeOf(v), ...(keys.has(f) ? { id: true } : {}) }));
        out.push({ name, ...(table ? { table } : {}), orm, fields, indexes: [], file, line: s.line });
      }
    }
  }
  return out;
}
