/**
 * Repositories over a document or key-value client: a generic base class whose own file uses the
 * database's client (`abstract class BasePersistence<T> { docClient: DynamoDBDocumentClient … }`,
 * `class Repository<T> { collection: Collection<T> … }`) stores, for each class that extends it
 * with a type argument (`class UserPersistence extends BasePersistence<User>`), items of that
 * type: one entity per subclass, named by the type. The type must be one the project declares (an
 * interface, a class, an object type or one inferred from a schema, `z.infer<typeof UserSchema>`),
 * never `any`, a primitive or a type parameter of the subclass (that is a base in turn). A base may
 * reach the client through another generic base it hands its parameter to
 * (`Unembedding<T> extends BasePersistence<T>`).
 *
 * Read from each script's `types` (src/analysis/type-decls.ts) and imports; the classes a name
 * denotes are found by the evaluator. The table: the first string given to `super(…)` by a MongoDB
 * repository (`super(db, 'users')`, its collection, which names the entity's id); for a DynamoDB one, the names its base's
 * constructor and the functions it calls write (`Resource.Data.name`, `tableName('Data')`), which
 * the link phase compares with the tables infrastructure provisions (see provisioned.ts).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { Evaluator, type Resolved } from '../../src/analysis/evaluate.js';
import type { FileIndex, Value } from '../../src/analysis/index-file.js';
import type { GenericClass, TypeDecl } from '../../src/analysis/type-decls.js';
import { dataStoreId, entityId, storeTech } from '../../src/data/ids.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Entity } from '../../src/model/schema.js';
import { STATE_FIELD } from './collect.js';

/** The clients whose import makes a file a store's: package → store tech and the names that are its client, commands or collections. */
const CLIENTS: Record<string, { tech: string; names: string[] }> = {
  '@aws-sdk/lib-dynamodb': {
    tech: 'dynamodb',
    names: [
      'DynamoDBDocumentClient',
      'DynamoDBDocument',
      'PutCommand',
      'GetCommand',
      'QueryCommand',
      'ScanCommand',
      'UpdateCommand',
      'DeleteCommand',
      'BatchGetCommand',
      'BatchWriteCommand',
      'TransactWriteCommand',
    ],
  },
  '@aws-sdk/client-dynamodb': {
    tech: 'dynamodb',
    names: ['DynamoDBClient', 'DynamoDB', 'PutItemCommand', 'GetItemCommand', 'QueryCommand', 'ScanCommand', 'UpdateItemCommand', 'DeleteItemCommand'],
  },
  'aws-sdk': { tech: 'dynamodb', names: ['DynamoDB'] },
  'aws-sdk/clients/dynamodb': { tech: 'dynamodb', names: ['DocumentClient', 'default'] },
  mongodb: { tech: 'mongodb', names: ['Collection', 'Db', 'MongoClient'] },
};

/** The client packages: a repository depending on none of them is not read for repositories. */
export const PERSISTENCE_CLIENTS = Object.keys(CLIENTS);

/** Steps through bases handing their parameter on, and through schemas named by other schemas (re-exports are followed once each). */
const MAX_HOPS = 8;

/** zod's object builders. */
const ZOD_OBJECTS = new Set(['object', 'looseObject', 'strictObject', 'strict', 'passthrough']);

/** A field read from a zod schema, with the values of an enum. */
type ZodField = Entity['fields'][number] & { values?: string[] };

/** A name's top-level declaration: a type's, or a constant's value. */
type Found = { file: string; decl?: TypeDecl; value?: Value };

/** A base class with the client its file imports. */
interface Store {
  client: string;
  tech: string;
  /** The base whose file imports the client. */
  file: string;
  name: string;
}

/** The client a script imports, if any (the first of CLIENTS: the document client before the low-level one). */
function clientOf(index: FileIndex): string | undefined {
  const imports = [...index.imports.values()];
  return PERSISTENCE_CLIENTS.find((pkg) => imports.some((imp) => imp.module === pkg && CLIENTS[pkg]!.names.includes(imp.name)));
}

const genericClass = (index: FileIndex | undefined, name: string): GenericClass | undefined => index?.types?.classes.find((c) => c.name === name);

/** Strings and SST `Resource.X` names a value writes, however nested. */
function namesIn(v: Value | undefined, out: Set<string>, depth = 0): void {
  if (!v || depth > 8) return;
  if (v.k === 'str') out.add(v.v);
  else if (v.k === 'ref' && v.path.startsWith('Resource.')) out.add(v.path.split('.')[1]!);
  else if (v.k === 'obj') for (const p of Object.values(v.props)) namesIn(p, out, depth + 1);
  else if (v.k === 'arr') for (const p of v.items) namesIn(p, out, depth + 1);
  else if (v.k === 'call') for (const a of v.call.args) namesIn(a, out, depth + 1);
  else if (v.k === 'tpl') for (const p of v.exprs) namesIn(p, out, depth + 1);
  else if (v.k === 'or') for (const p of [v.left, v.right]) namesIn(p, out, depth + 1);
}

export function persistenceEntities(ctx: AnalyzerContext, indexes: ReadonlyMap<string, FileIndex>): void {
  const ev = new Evaluator(indexes, (from, spec) => ctx.resolveImport(from, spec));
  const classAt = (file: string, name: string): Resolved | undefined => {
    const r = name.includes('.') ? ev.path({ file }, name) : ev.ident({ file }, name);
    return r?.k === 'class' ? r : undefined;
  };

  /** The store a generic base (`file`, `name`) writes to: its file's client, else that of the generic base it hands its own parameter to. */
  const storeOf = (file: string, name: string, hops = 0): Store | undefined => {
    const index = indexes.get(file);
    const gc = genericClass(index, name);
    if (!index || !gc || gc.params.length === 0 || hops > MAX_HOPS) return undefined;
    const client = clientOf(index);
    if (client) return { client, tech: CLIENTS[client]!.tech, file, name };
    if (!gc.base || !gc.baseArgs.some((a) => gc.params.includes(a))) return undefined;
    const base = classAt(file, gc.base);
    return base?.k === 'class' ? storeOf(base.file, base.name, hops + 1) : undefined;
  };

  /**
   * What `name` denotes at the top level of `file`: its own declaration (a type's, or a constant's
   * value), else what it is imported as, through re-exports and `export *`.
   */
  const declared = (file: string, name: string): Found | undefined => {
    const index = indexes.get(file);
    if (!index) return undefined;
    const decl = index.types?.decls.find((d) => d.name === name);
    if (decl) return { file, decl };
    const value = index.vars.get(name);
    if (value) return { file, value };
    const imp = index.imports.get(name);
    if (imp && imp.name !== '*' && imp.name !== 'default') {
      const target = ctx.resolveImport(file, imp.module);
      return target ? exported(target, imp.name) : undefined;
    }
    return undefined;
  };
  /** What a file exports under a name, once per file and name (barrels that `export *` each other would repeat it). */
  const exportMemo = new Map<string, Found | undefined>();
  const exported = (file: string, name: string): Found | undefined => {
    const key = `${file}\0${name}`;
    if (exportMemo.has(key)) return exportMemo.get(key);
    // Marked before the search: a cycle of re-exports finds nothing.
    exportMemo.set(key, undefined);
    const found = exportedOnce(file, name);
    exportMemo.set(key, found);
    return found;
  };
  const exportedOnce = (file: string, name: string): Found | undefined => {
    const index = indexes.get(file);
    if (!index) return undefined;
    const own = declared(file, index.exports.get(name) ?? name);
    if (own) return own;
    const re = index.reexports.get(name);
    if (re) {
      const target = ctx.resolveImport(file, re.module);
      return target ? exported(target, re.name) : undefined;
    }
    for (const m of index.starExports) {
      const target = ctx.resolveImport(file, m);
      const t = target ? exported(target, name) : undefined;
      if (t) return t;
    }
    return undefined;
  };

  /** The fields of a zod object schema (`z.object({…})`, `Base.extend({…})`, `.omit`/`.pick` of one), each typed by its builder. */
  const zodFields = (file: string, v: Value | undefined, depth = 0): ZodField[] | undefined => {
    if (v?.k === 'ref' && !v.path.includes('.') && depth < MAX_HOPS) {
      const found = declared(file, v.path);
      return found?.value ? zodFields(found.file, found.value, depth + 1) : undefined;
    }
    if (v?.k !== 'call' || depth > MAX_HOPS) return undefined;
    const { root, names, args, innerArgs } = v.call;
    // The first call's arguments: its own when it is the last call of the chain.
    const first = names.length === 1 ? args : innerArgs[0];
    const obj = first?.[0]?.k === 'obj' ? first[0].props : undefined;
    if (root === 'z' && ZOD_OBJECTS.has(names[0] ?? '')) return obj ? Object.entries(obj).map(([n, x]) => zodField(file, n, x)) : undefined;
    const base =
      names[0] === 'extend' || names[0] === 'merge' || names[0] === 'omit' || names[0] === 'pick'
        ? zodFields(file, { k: 'ref', path: root }, depth + 1)
        : undefined;
    if (!base) return undefined;
    const keys = new Set(Object.keys(obj ?? {}));
    if (names[0] === 'omit') return base.filter((f) => !keys.has(f.name));
    if (names[0] === 'pick') return base.filter((f) => keys.has(f.name));
    const own = Object.entries(obj ?? {}).map(([n, x]) => zodField(file, n, x));
    return [...base.filter((f) => !keys.has(f.name)), ...own];
  };
  /**
   * One property of a zod object: its builder (`z.string()`, a named schema or constant, `email.optional()`)
   * gives its type, `z.enum([…])` its values; `.optional()`/`.nullable()` make it nullable.
   */
  const zodField = (file: string, name: string, v: Value, depth = 0): ZodField => {
    const f: ZodField = { name, type: 'unknown' };
    if (name === 'id' || name === '_id') f.id = true;
    const named = v.k === 'ref' ? v.path : v.k === 'call' && v.call.root !== 'z' && v.call.root !== '' ? v.call.root : undefined;
    if (named !== undefined && !named.includes('.') && depth < MAX_HOPS) {
      const found = declared(file, named);
      if (found?.value) Object.assign(f, zodField(found.file, name, found.value, depth + 1), f.id ? { id: true } : {});
    }
    if (v.k !== 'call') return f;
    const { root, names, args, innerArgs } = v.call;
    if (root === 'z' && names[0]) f.type = names[0];
    if (names.some((n) => n === 'optional' || n === 'nullable' || n === 'nullish')) f.nullable = true;
    const first = names.length === 1 ? args : innerArgs[0];
    if (root === 'z' && names[0] === 'enum' && first?.[0]?.k === 'arr') f.values = first[0].items.flatMap((x) => (x.k === 'str' ? [x.v] : []));
    return f;
  };

  /** The names a base's constructor writes, and those the functions it calls write (one call deep). */
  const hintsOf = (file: string, name: string, hops = 0): string[] => {
    const out = new Set<string>();
    const ctor = ev.fns.get(`${file}#${name}.constructor`);
    if (!ctor) {
      // No constructor of its own: its base's builds it.
      const base = genericClass(indexes.get(file), name)?.base;
      const cls = base !== undefined && hops < MAX_HOPS ? classAt(file, base) : undefined;
      return cls?.k === 'class' ? hintsOf(cls.file, cls.name, hops + 1) : [];
    }
    for (const call of ctor.calls) {
      for (const a of call.args) namesIn(a, out);
      if (call.names.length > 0 || call.root === 'super' || call.root === 'this') continue;
      const callee = ev.ident(ev.scope(file, ctor), call.root);
      const fn = callee?.k === 'fn' ? ev.fns.get(callee.key) : undefined;
      if (!fn) continue;
      for (const inner of fn.calls) for (const a of inner.args) namesIn(a, out);
      for (const r of fn.returns) namesIn(r, out);
    }
    return sortedUnique([...out].filter((n) => /^[A-Za-z][\w.-]*$/.test(n)));
  };

  /** An interface's or object type's members, or the fields of the zod schema a type is inferred from. */
  const fieldsOf = (file: string, decl: TypeDecl): ZodField[] => {
    if (decl.members)
      return decl.members.map(([name, type, optional]) => ({
        name,
        type,
        ...(name === 'id' || name === '_id' ? { id: true } : {}),
        ...(optional ? { nullable: true } : {}),
      }));
    if (decl.from === undefined) return [];
    const found = declared(file, decl.from);
    return (found?.value && zodFields(found.file, found.value)) || [];
  };
  /** The status fields whose values an enum lists. */
  const statesOf = (fields: ZodField[]): NonNullable<Entity['states']> =>
    fields.flatMap((f) => (f.values?.length && STATE_FIELD.test(f.name) ? [{ field: f.name, values: f.values }] : []));

  const entities: (Entity & { tech: string; client: string })[] = [];
  for (const [file, index] of [...indexes].sort((a, b) => compareStrings(a[0], b[0]))) {
    for (const c of index.types?.classes ?? []) {
      const arg = c.baseArgs[0];
      if (!c.base || !arg || c.params.includes(arg)) continue;
      const base = classAt(file, c.base);
      const store = base?.k === 'class' ? storeOf(base.file, base.name) : undefined;
      if (!store) continue;
      const type = declared(file, arg)?.decl ? declared(file, arg) : undefined;
      if (!type?.decl || type.decl.kind === 'primitive') continue;
      const decl = type.decl;
      const fields: ZodField[] = fieldsOf(type.file, decl);
      const e: Entity & { tech: string; client: string } = {
        id: entityId(decl.name),
        name: decl.name,
        fields: fields.map(({ values: _, ...f }) => f),
        relations: [],
        orm: store.client,
        store: dataStoreId(storeTech(store.tech)!.tech),
        evidence: [{ file, line: c.line }],
        details: { repository: c.name },
        tech: store.tech,
        client: store.client,
      };
      const states = statesOf(fields);
      if (states.length > 0) e.states = states;
      // A MongoDB repository names its collection to its base: `super('users')`.
      const ctor = ev.fns.get(`${file}#${c.name}.constructor`);
      const sup = ctor?.calls.find((x) => x.root === 'super' && x.names.length === 0);
      const first = sup?.args.find((a) => a.k === 'str');
      if (store.tech === 'mongodb' && first?.k === 'str') {
        e.table = first.v;
        e.id = entityId(first.v);
      } else if (store.tech === 'dynamodb') {
        const hints = hintsOf(store.file, store.name);
        if (hints.length > 0) e.details!.tableCandidates = hints;
      }
      const component = ctx.componentOf(file);
      if (component) e.component = component;
      entities.push(e);
    }
  }
  const techs = new Map<string, { usedBy: Set<string>; evidence: Entity['evidence']; clients: Set<string> }>();
  for (const { tech, client, ...e } of entities) {
    if (entities.some((o) => o.id === e.id && o.evidence[0] !== e.evidence[0] && compareStrings(o.evidence[0]!.file, e.evidence[0]!.file) < 0)) continue;
    ctx.emit('schemas', e);
    const t = techs.get(tech) ?? { usedBy: new Set(), evidence: [], clients: new Set() };
    if (e.component) t.usedBy.add(e.component);
    t.evidence.push(...e.evidence);
    t.clients.add(client);
    techs.set(tech, t);
  }
  for (const [raw, t] of techs) {
    const tech = storeTech(raw)!;
    ctx.emit('dataStores', {
      id: dataStoreId(tech.tech),
      name: tech.name,
      tech: tech.tech,
      kind: tech.kind,
      usedBy: [...t.usedBy].sort(compareStrings),
      details: { orm: sortedUnique([...t.clients]) },
      evidence: sortedEvidence(t.evidence),
    });
  }
}
