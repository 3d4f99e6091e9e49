/** TypeORM: `@Entity` classes (with inherited base-class columns) and `new EntitySchema({...})`. */
import { snakeCase } from '../../src/data/ids.js';
import type { Entity } from '../../src/model/schema.js';
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
  type ShapeDecorator,
  type ShapeProperty,
} from '../../src/analysis/shapes.js';
import { arrowTarget, literalOf, literalText } from './values.js';
import { newDraft, STATE_FIELD, type Draft, type FileCtx } from './collect.js';

const COLUMN = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ObjectIdColumn',
]);
const RELATION: Record<string, Entity['relations'][number]['cardinality']> = {
  ManyToOne: 'many-to-one',
  OneToMany: 'one-to-many',
  ManyToMany: 'many-to-many',
  OneToOne: 'one-to-one',
};

function typeText(member: ShapeProperty): string | undefined {
  return member.type?.text.replace(/\s+/g, ' ');
}

function indexColumns(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  const arr = stringArray(e);
  if (arr) return arr;
  // (order: Order) => [order.customer, order.status]
  if (e.k === 'fn' && e.arrow && e.body?.k === 'arr') return e.body.items.map((x) => lastName(x) ?? '?');
  return undefined;
}

function classIndexes(decorators: ShapeDecorator[]): string[] {
  const out: string[] = [];
  for (const d of decorators) {
    if (d.name !== 'Index' && d.name !== 'Unique') continue;
    const args = [...d.args];
    if (str(args[0]) !== undefined && args.length > 1) args.shift();
    const cols = indexColumns(args[0]);
    if (!cols) continue;
    const unique = d.name === 'Unique' || bool(prop(args[1], 'unique')) === true;
    out.push(`${unique ? 'unique' : 'index'} (${cols.join(', ')})`);
  }
  return out;
}

export function typeormClass(node: ClassShape, fc: FileCtx): void {
  const name = node.name;
  if (!name) return;
  const decorators = node.decorators;
  const entityDec = decorators.find((d) => d.name === 'Entity' || d.name === 'ChildEntity');
  const members = node.properties;
  const hasColumns = members.some((m) => m.decorators.some((d) => COLUMN.has(d.name) || d.name in RELATION));
  if (!entityDec && !hasColumns) return;
  if (!entityDec && !fc.imports.has('typeorm')) return;

  const arg0 = entityDec?.args[0];
  const table = entityDec?.name === 'ChildEntity' ? '' : (str(arg0) ?? str(prop(arg0, 'name')) ?? snakeCase(name));
  const draft = newDraft('typeorm', name, table, fc.file, node.line, { indexes: classIndexes(decorators) });
  if (entityDec?.name === 'ChildEntity') draft.childEntity = true;
  // TypeORM's own BaseEntity is not in `bases` and so adds nothing; a project's base class does.
  if (node.extends) draft.extends = node.extends;

  for (const m of members) {
    const field = m.name;
    if (!field) continue;
    const decs = m.decorators;
    const rel = decs.find((d) => d.name in RELATION);
    if (rel) {
      const target = arrowTarget(rel.args[0]);
      if (!target) continue;
      const cardinality = RELATION[rel.name]!;
      const join = decs.find((d) => d.name === 'JoinColumn');
      const r: Draft['relations'][number] = { name: field, target, targetKind: 'name', cardinality };
      if (cardinality === 'many-to-one' || (cardinality === 'one-to-one' && join)) {
        r.foreignKey = str(prop(join?.args[0], 'name')) ?? `${field}Id`;
      }
      draft.relations.push(r);
      continue;
    }
    const col = decs.find((d) => COLUMN.has(d.name));
    if (!col) {
      if (decs.some((d) => d.name === 'Index')) draft.indexes.push(`index (${field})`);
      continue;
    }
    const opts = col.args.find((a) => isObject(a));
    const first = str(col.args[0]);
    let type = str(prop(opts, 'type')) ?? (col.name === 'PrimaryGeneratedColumn' ? undefined : first) ?? typeText(m) ?? 'unknown';
    if (col.name === 'PrimaryGeneratedColumn') type = first === 'uuid' ? 'uuid' : first === 'identity' ? 'identity' : (typeText(m) ?? 'int');
    const enumExpr = prop(opts, 'enum');
    if (enumExpr && (type === 'enum' || type === 'simple-enum')) type = lastName(enumExpr) ?? typeText(m) ?? type;
    const f: Entity['fields'][number] = { name: field, type };
    if (bool(prop(opts, 'nullable')) === true) f.nullable = true;
    if (col.name === 'PrimaryColumn' || col.name === 'PrimaryGeneratedColumn' || col.name === 'ObjectIdColumn' || bool(prop(opts, 'primary')) === true)
      f.id = true;
    if (bool(prop(opts, 'unique')) === true) f.unique = true;
    const defaultExpr = prop(opts, 'default');
    const d = literalText(defaultExpr, fc.c.enums);
    if (d !== undefined) f.default = d;
    else if (col.name === 'PrimaryGeneratedColumn') f.default = first === 'uuid' ? 'uuid' : 'increment';
    else if (col.name === 'CreateDateColumn' || col.name === 'UpdateDateColumn') f.default = 'now()';
    draft.fields.push(f);
    if (decs.some((x) => x.name === 'Index')) {
      const ix = decs.find((x) => x.name === 'Index')!;
      draft.indexes.push(`${bool(prop(ix.args.find(isObject), 'unique')) ? 'unique' : 'index'} (${field})`);
    }
    if (enumExpr && STATE_FIELD.test(field)) {
      const values = stringArray(enumExpr);
      if (values) draft.states.push({ field, values, initial: d });
      else {
        const enumName = lastName(enumExpr);
        if (enumName) draft.pendingEnums.push({ field, enumName, initial: literalOf(defaultExpr) });
      }
    }
  }
  if (entityDec) fc.c.drafts.push(draft);
  else fc.c.bases.set(name, draft);
}

/** `new EntitySchema({ name, tableName, columns, relations, indices })`. */
export function typeormEntitySchema(node: CallExpr, fc: FileCtx): void {
  const o = node.args[0];
  if (!isObject(o)) return;
  const name = str(prop(o, 'name')) ?? lastName(prop(o, 'target'));
  if (!name) return;
  const draft = newDraft('typeorm', name, str(prop(o, 'tableName')) ?? snakeCase(name), fc.file, node.line);
  for (const [field, spec] of entries(prop(o, 'columns'))) {
    const t = prop(spec, 'type');
    const f: Entity['fields'][number] = { name: field, type: str(t) ?? lastName(t) ?? 'unknown' };
    if (bool(prop(spec, 'nullable'))) f.nullable = true;
    if (bool(prop(spec, 'primary')) || bool(prop(spec, 'objectId'))) f.id = true;
    if (bool(prop(spec, 'unique'))) f.unique = true;
    const d = literalText(prop(spec, 'default'), fc.c.enums);
    if (d !== undefined) f.default = d;
    draft.fields.push(f);
    const e = prop(spec, 'enum');
    if (e && STATE_FIELD.test(field)) {
      const values = stringArray(e);
      if (values) draft.states.push({ field, values, initial: d });
      else if (lastName(e)) draft.pendingEnums.push({ field, enumName: lastName(e)!, initial: literalOf(prop(spec, 'default')) });
    }
  }
  const kinds: Record<string, Entity['relations'][number]['cardinality']> = {
    'many-to-one': 'many-to-one',
    'one-to-many': 'one-to-many',
    'many-to-many': 'many-to-many',
    'one-to-one': 'one-to-one',
  };
  for (const [rel, spec] of entries(prop(o, 'relations'))) {
    const cardinality = kinds[str(prop(spec, 'type')) ?? ''];
    const target = str(prop(spec, 'target')) ?? arrowTarget(prop(spec, 'target'));
    if (!cardinality || !target) continue;
    const r: Draft['relations'][number] = { name: rel, target, targetKind: 'name', cardinality };
    const join = prop(spec, 'joinColumn');
    if (cardinality === 'many-to-one' || (cardinality === 'one-to-one' && join)) r.foreignKey = str(prop(join, 'name')) ?? `${rel}Id`;
    draft.relations.push(r);
  }
  const indices = prop(o, 'indices');
  if (indices?.k === 'arr') {
    for (const ix of indices.items) {
      const cols = stringArray(prop(ix, 'columns'));
      if (cols) draft.indexes.push(`${bool(prop(ix, 'unique')) ? 'unique' : 'index'} (${cols.join(', ')})`);
    }
  }
  fc.c.drafts.push(draft);
}
