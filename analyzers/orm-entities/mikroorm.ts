/**
 * MikroORM: `@Entity()` classes with `@PrimaryKey`/`@Property`/`@Enum` and the relation
 * decorators (targets from the decorator or from the property's type: `Ref<User>`,
 * `Collection<Comment>`), columns inherited from a project base class, and
 * `new EntitySchema({ name, tableName, properties })`.
 */
import { snakeCase } from '../../src/data/ids.js';
import type { Entity } from '../../src/model/schema.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import {
  bool,
  entries,
  isObject,
  lastName,
  prop,
  str,
  stringArray,
  type CallExpr,
  type ClassShape,
  type Expr,
  type ShapeProperty,
  type TypeShape,
} from '../../src/analysis/shapes.js';
import { arrowTarget, literalOf, literalText } from './values.js';
import { newDraft, STATE_FIELD, type Draft, type FileCtx } from './collect.js';

const COLUMN = new Set(['PrimaryKey', 'Property', 'Enum', 'SerializedPrimaryKey']);
const RELATION: Record<string, Entity['relations'][number]['cardinality']> = {
  ManyToOne: 'many-to-one',
  OneToMany: 'one-to-many',
  ManyToMany: 'many-to-many',
  OneToOne: 'one-to-one',
};
/** `EntitySchema` property kinds (`kind: 'm:1'`, older `reference: 'm:1'`). */
const KINDS: Record<string, Entity['relations'][number]['cardinality']> = {
  'm:1': 'many-to-one',
  '1:m': 'one-to-many',
  'm:n': 'many-to-many',
  '1:1': 'one-to-one',
};
/** Wrappers around a relation's target in a property type: `Ref<User>`, `Collection<Tag>`. */
const WRAPPERS = new Set(['Ref', 'Reference', 'LazyRef', 'Rel', 'IdentifiedReference', 'Collection', 'Loaded', 'Opt', 'Hidden']);

/** The entity a property type names: `LazyRef<User>` → `User`, `User | null` → `User`. */
function typeTarget(t: TypeShape | undefined): string | undefined {
  if (!t) return undefined;
  if (t.k === 'union') {
    const named = t.parts.filter((x) => x.k === 'ref');
    return named.length === 1 ? typeTarget(named[0]) : undefined;
  }
  if (t.k !== 'ref') return undefined;
  if (WRAPPERS.has(t.name)) return typeTarget(t.args[0]);
  return t.name;
}

/** `new Collection<Comment>(this)` → `Comment`. */
function initializerTarget(e: Expr | undefined): string | undefined {
  if (e?.k !== 'call' || !e.isNew || lastName(e.callee) !== 'Collection') return undefined;
  const arg = e.typeArgs?.[0];
  return arg ? typeTarget(arg) : undefined;
}

/** Type of a column: the `type`/`columnType` option, else the annotation, else the initial value. */
function columnType(m: ShapeProperty, opts: Expr | undefined): string {
  const t = prop(opts, 'type');
  const declared = str(prop(opts, 'columnType')) ?? str(t) ?? (t ? lastName(t) : undefined);
  if (declared) return declared;
  if (m.type) return m.type.text.replace(/\s+/g, ' ');
  const init = m.init;
  if (!init) return 'unknown';
  if (init.k === 'str') return 'string';
  if (init.k === 'num' && !init.text.startsWith('-')) return 'number';
  if (init.k === 'bool') return 'boolean';
  if (init.k === 'call' && init.isNew) return lastName(init.callee) ?? 'unknown';
  if (init.k === 'arr') return 'array';
  return 'unknown';
}

function tableOf(name: string, opts: Expr | undefined): string {
  return str(prop(opts, 'tableName')) ?? str(prop(opts, 'collection')) ?? snakeCase(name);
}

function emptyDraft(name: string, table: string, fc: FileCtx, line: number): Draft {
  return newDraft('mikroorm', name, table, fc.file, line);
}

/** A relation's foreign key as MikroORM's default naming strategy writes it: `author` → `author_id`. */
function joinColumn(field: string, opts: Expr | undefined): string {
  return str(prop(opts, 'joinColumn')) ?? stringArray(prop(opts, 'joinColumns'))?.join(', ') ?? `${snakeCase(field)}_id`;
}

function owning(cardinality: Entity['relations'][number]['cardinality'], opts: Expr | undefined): boolean {
  if (cardinality === 'many-to-one') return true;
  return (
    cardinality === 'one-to-one' && (bool(prop(opts, 'owner')) === true || prop(opts, 'inversedBy') !== undefined || prop(opts, 'joinColumn') !== undefined)
  );
}

export function mikroormClass(node: ClassShape, fc: FileCtx): void {
  const name = node.name;
  if (!name) return;
  const decorators = node.decorators;
  const entityDec = decorators.find((d) => d.name === 'Entity');
  const members = node.properties;
  const hasColumns = members.some((m) => m.decorators.some((d) => COLUMN.has(d.name) || d.name in RELATION));
  if (!entityDec && !hasColumns) return;
  const opts = entityDec?.args.find(isObject);
  // An abstract entity (`@Entity({ abstract: true })`) is a base whose columns its children inherit.
  const abstract = bool(prop(opts, 'abstract')) === true;
  const draft = emptyDraft(name, tableOf(name, opts), fc, node.line);
  if (node.extends) draft.extends = node.extends;
  for (const d of decorators) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const cols = stringArray(prop(d.args[0], 'properties')) ?? (str(prop(d.args[0], 'properties')) ? [str(prop(d.args[0], 'properties'))!] : undefined);
    if (cols) draft.indexes.push(`${d.name === 'Unique' ? 'unique' : 'index'} (${cols.join(', ')})`);
  }

  for (const m of members) {
    const field = m.name;
    if (!field) continue;
    const decs = m.decorators;
    const rel = decs.find((d) => d.name in RELATION);
    if (rel) {
      const relOpts = rel.args.find(isObject);
      const first = rel.args[0] && !isObject(rel.args[0]) ? rel.args[0] : undefined;
      const target = arrowTarget(first) ?? arrowTarget(prop(relOpts, 'entity')) ?? typeTarget(m.type) ?? initializerTarget(m.init);
      if (!target) continue;
      const cardinality = RELATION[rel.name]!;
      const r: Draft['relations'][number] = { name: field, target, targetKind: 'name', cardinality };
      if (owning(cardinality, relOpts)) r.foreignKey = joinColumn(field, relOpts);
      draft.relations.push(r);
      continue;
    }
    const col = decs.find((d) => COLUMN.has(d.name));
    if (!col) continue;
    const colOpts = col.args.find(isObject);
    const f: Entity['fields'][number] = { name: field, type: columnType(m, colOpts) };
    if (col.name === 'Enum') {
      const items = col.args[0] && !isObject(col.args[0]) ? col.args[0] : prop(colOpts, 'items');
      const enumName = arrowTarget(items);
      const values = stringArray(items);
      if (enumName && !values && !m.type) f.type = enumName;
      const initial = m.init ?? prop(colOpts, 'default');
      if (STATE_FIELD.test(field)) {
        if (values) draft.states.push({ field, values, initial: literalText(initial, fc.c.enums) });
        else if (enumName) draft.pendingEnums.push({ field, enumName, initial: literalOf(initial) });
      }
    }
    if (bool(prop(colOpts, 'nullable')) === true || m.optional) f.nullable = true;
    if (col.name === 'PrimaryKey' || bool(prop(colOpts, 'primary')) === true) {
      f.id = true;
      delete f.nullable;
    }
    if (bool(prop(colOpts, 'unique')) === true || decs.some((d) => d.name === 'Unique')) f.unique = true;
    const def = literalText(prop(colOpts, 'default'), fc.c.enums) ?? literalText(m.init, fc.c.enums);
    if (def !== undefined) f.default = def;
    draft.fields.push(f);
    if (decs.some((d) => d.name === 'Index')) draft.indexes.push(`index (${field})`);
  }
  if (entityDec && !abstract) fc.c.drafts.push(draft);
  else fc.c.bases.set(name, draft);
}

/** `new EntitySchema({ name: 'Book', tableName, extends, properties: { id: { type, primary }, author: { kind: 'm:1', entity: () => Author } } })`. */
export function mikroormEntitySchema(node: CallExpr, fc: FileCtx): void {
  const o = node.args[0];
  if (!isObject(o)) return;
  const name = str(prop(o, 'name')) ?? lastName(prop(o, 'class'));
  if (!name) return;
  const draft = emptyDraft(name, tableOf(name, o), fc, node.line);
  const base = str(prop(o, 'extends')) ?? lastName(prop(o, 'extends'));
  if (base) draft.extends = base;
  for (const [field, spec] of entries(prop(o, 'properties'))) {
    const kind = str(prop(spec, 'kind')) ?? str(prop(spec, 'reference'));
    const cardinality = kind ? KINDS[kind] : undefined;
    if (cardinality) {
      const target = arrowTarget(prop(spec, 'entity'));
      if (!target) continue;
      const r: Draft['relations'][number] = { name: field, target, targetKind: 'name', cardinality };
      if (owning(cardinality, spec)) r.foreignKey = joinColumn(field, spec);
      draft.relations.push(r);
      continue;
    }
    const t = prop(spec, 'type');
    const f: Entity['fields'][number] = { name: field, type: str(prop(spec, 'columnType')) ?? str(t) ?? lastName(t) ?? 'unknown' };
    if (bool(prop(spec, 'nullable'))) f.nullable = true;
    if (bool(prop(spec, 'primary'))) f.id = true;
    if (bool(prop(spec, 'unique'))) f.unique = true;
    const d = literalText(prop(spec, 'default'), fc.c.enums);
    if (d !== undefined) f.default = d;
    draft.fields.push(f);
    const items = prop(spec, 'items');
    if (bool(prop(spec, 'enum')) && items && STATE_FIELD.test(field)) {
      const values = stringArray(items);
      if (values) draft.states.push({ field, values, initial: d });
      else if (arrowTarget(items)) draft.pendingEnums.push({ field, enumName: arrowTarget(items)!, initial: literalOf(prop(spec, 'default')) });
    }
  }
  if (bool(prop(o, 'abstract')) === true) fc.c.bases.set(name, draft);
  else fc.c.drafts.push(draft);
}

/** Relation builders of `defineEntity`'s `p`: `p.manyToOne(Author)`. */
const BUILDER_RELATIONS: Record<string, Entity['relations'][number]['cardinality']> = {
  manyToOne: 'many-to-one',
  oneToMany: 'one-to-many',
  manyToMany: 'many-to-many',
  oneToOne: 'one-to-one',
};

/** A property builder's calls in order, `p.integer().primary()` → integer, primary (an arrow's body for `() => p.manyToOne(A)`). */
function builderCalls(e: Expr | undefined): { name: string; args: Expr[] }[] {
  let cur = e?.k === 'fn' ? (e.body ?? e.ret) : e;
  const out: { name: string; args: Expr[] }[] = [];
  while (cur?.k === 'call' && !cur.isNew && cur.callee.k === 'member') {
    out.unshift({ name: cur.callee.name, args: cur.args });
    cur = cur.callee.e;
  }
  return out;
}

/**
 * `defineEntity({ name, tableName?, properties: { id: p.integer().primary(), author: () =>
 * p.manyToOne(Author), status: p.enum(['draft', 'published']) } })` (MikroORM 6.4+): the property
 * builders' first call is the type or the relation, the calls after it its options.
 */
export function mikroormDefineEntity(node: CallExpr, fc: FileCtx): void {
  const o = node.args[0];
  const name = str(prop(o, 'name'));
  if (!isObject(o) || !name) return;
  const draft = emptyDraft(name, tableOf(name, o), fc, node.line);
  for (const [field, spec] of entries(prop(o, 'properties'))) {
    const [kind, ...options] = builderCalls(spec);
    if (!kind) continue;
    const has = (n: string) => options.find((c) => c.name === n);
    const cardinality = BUILDER_RELATIONS[kind.name];
    if (cardinality) {
      const target = lastName(kind.args[0]) ?? arrowTarget(kind.args[0]) ?? str(kind.args[0]);
      if (!target) continue;
      const r: Draft['relations'][number] = { name: field, target, targetKind: 'name', cardinality };
      if (cardinality === 'many-to-one' || (cardinality === 'one-to-one' && (has('owner') || has('inversedBy')))) r.foreignKey = `${snakeCase(field)}_id`;
      draft.relations.push(r);
      continue;
    }
    const f: Entity['fields'][number] = { name: field, type: str(has('columnType')?.args[0]) ?? kind.name };
    if (has('primary')) f.id = true;
    if (has('nullable')) f.nullable = true;
    if (has('unique')) f.unique = true;
    const d = literalText(has('default')?.args[0], fc.c.enums);
    if (d !== undefined) f.default = d;
    draft.fields.push(f);
    if (kind.name === 'enum' && STATE_FIELD.test(field)) {
      const values = stringArray(kind.args[0]);
      if (values) draft.states.push({ field, values, initial: d });
      else if (arrowTarget(kind.args[0])) draft.pendingEnums.push({ field, enumName: arrowTarget(kind.args[0])!, initial: literalOf(has('default')?.args[0]) });
    }
  }
  fc.c.drafts.push(draft);
}

const DRIVER_CLASSES: Record<string, string> = {
  PostgreSqlDriver: 'postgresql',
  MySqlDriver: 'mysql',
  MariaDbDriver: 'mariadb',
  SqliteDriver: 'sqlite',
  BetterSqliteDriver: 'sqlite',
  LibSqlDriver: 'sqlite',
  MsSqlDriver: 'sqlserver',
  MongoDriver: 'mongodb',
};
const DRIVER_MODULES: Record<string, string> = {
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  'better-sqlite': 'sqlite',
  libsql: 'sqlite',
  mssql: 'sqlserver',
  mongodb: 'mongodb',
};

/**
 * The database of a MikroORM configuration (`defineConfig({...})`, `MikroORM.init({...})`,
 * `MikroOrmModule.forRoot({...})`): `driver: PostgreSqlDriver`, the older `type: 'postgresql'`,
 * else the driver package `defineConfig` is imported from. Undefined when none says.
 */
export function mikroormConfigDialect(node: CallExpr, index: FileIndex): string | undefined {
  if (node.isNew) return undefined;
  const callee = lastName(node.callee);
  if (callee !== 'defineConfig' && callee !== 'init' && callee !== 'forRoot') return undefined;
  const o = node.args.find(isObject);
  const driver = lastName(prop(o, 'driver'));
  if (driver && DRIVER_CLASSES[driver]) return DRIVER_CLASSES[driver];
  const type = str(prop(o, 'type'));
  if (type && DRIVER_MODULES[type]) return DRIVER_MODULES[type];
  if (callee !== 'defineConfig') return undefined;
  const imported = index.imports.get('defineConfig');
  return imported?.module.startsWith('@mikro-orm/') ? DRIVER_MODULES[imported.module.slice('@mikro-orm/'.length)] : undefined;
}
