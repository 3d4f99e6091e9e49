/**
 * orm-entities: entities and databases from TypeORM, Sequelize (also sequelize-typescript),
 * Mongoose (also NestJS @Schema), Drizzle and Kysely code. In the run's file pass, the shapes of
 * the index of each file importing an ORM (src/analysis/shapes.ts) are dispatched on their kind
 * and what is found is kept as plain data (files declaring an enum give their enums); targets,
 * tables, inherited columns, associations and enums are resolved once every file has been read.
 */
import { defineAnalyzer, type FileScan } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { dataStoreId, entityId, pluralise, snakeCase, storeTech } from '../../src/data/ids.js';
import { claimEntity } from '../../src/data/registry.js';
import { DATABASE_DRIVERS, MIKRO_ORM_DRIVERS } from '../../src/data/database-drivers.js';
import { findTransitions, keepWrites, machineKey, type StateMachineInput } from '../../src/analysis/transitions.js';
import type { StateWrite } from '../../src/analysis/writes.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import { jsonKeyLine } from '../../src/util/text.js';
import type { DataStore, Entity, Evidence } from '../../src/model/schema.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { dotted, isObject, lastName, prop, str } from '../../src/analysis/shapes.js';
import { constString, litText } from './values.js';
import { newCollected, type Collected, type Draft, type DraftRelation, type FileCtx, type Orm } from './collect.js';
import { drizzleCandidate, drizzleDeclaration, drizzleRelations, drizzleTable, newDrizzleState, type DrizzleCandidate } from './drizzle.js';
import { kyselyDrafts, type KyselyDecl } from './kysely.js';
import { mikroormClass, mikroormConfigDialect, mikroormDefineEntity, mikroormEntitySchema } from './mikroorm.js';
import { mongoCall } from './mongodb.js';
import { SUPABASE_PACKAGES, supabaseFile } from './supabase.js';
import { mongooseCollection, mongooseIndex, mongooseModel, mongooseSchema, nestSchemaClass, typegooseClass, typegooseModel } from './mongoose.js';
import { sequelizeCall, sequelizeRegistration, sequelizeTypescriptClass } from './sequelize.js';
import { typeormClass, typeormEntitySchema } from './typeorm.js';
import { provisionedEntities } from './provisioned.js';
import { DYNAMODB_MAPPERS, dynamodbEntities, type MappedEntity } from './dynamodb.js';
import { polyglotOrm, storeUsers } from './polyglot/orm.js';
import { emitPayload } from './payload.js';
import { PERSISTENCE_CLIENTS, persistenceEntities } from './persistence.js';

const PACKAGES: Record<string, Orm> = {
  typeorm: 'typeorm',
  '@nestjs/typeorm': 'typeorm',
  sequelize: 'sequelize',
  'sequelize-typescript': 'sequelize',
  '@nestjs/sequelize': 'sequelize',
  mongoose: 'mongoose',
  '@nestjs/mongoose': 'mongoose',
  '@typegoose/typegoose': 'mongoose',
  'drizzle-orm': 'drizzle',
  kysely: 'kysely',
  '@mikro-orm/core': 'mikroorm',
  '@mikro-orm/nestjs': 'mikroorm',
  mongodb: 'mongodb',
  ...Object.fromEntries(SUPABASE_PACKAGES.map((p) => [p, 'supabase' as const])),
};
/** Object-document mappers over MongoDB: with one in the project, a bare `db.collection('x')` is not read. */
const ODMS = ['mongoose', '@nestjs/mongoose', '@typegoose/typegoose', '@mikro-orm/mongodb', 'mongodb-typescript', 'papr', 'mongoist'];
const IMPORT_RE =
  /(?:from\s+|require\(\s*|import\(\s*)['"](typeorm|@nestjs\/typeorm|sequelize|sequelize-typescript|@nestjs\/sequelize|mongoose|@nestjs\/mongoose|@typegoose\/typegoose|drizzle-orm(?:\/[\w-]+)*|kysely|mongodb|@mikro-orm\/[\w-]+(?:\/[\w-]+)*)['"]/g;
const ORM_LABEL: Record<Orm, string> = {
  typeorm: 'TypeORM',
  sequelize: 'Sequelize',
  mongoose: 'Mongoose',
  drizzle: 'Drizzle',
  kysely: 'Kysely',
  mikroorm: 'MikroORM',
  mongodb: 'MongoDB driver',
  supabase: 'Supabase',
};
const TYPEORM_CONFIG_KEYS = ['entities', 'synchronize', 'migrations', 'host', 'database', 'url', 'username', 'autoLoadEntities'];
/** A file that may declare an enum (a state's values may come from an enum of a file importing no ORM). */
const ENUM_RE = /\benum\s/;
const KYSELY_DIALECTS: Record<string, string> = {
  PostgresDialect: 'postgresql',
  MysqlDialect: 'mysql',
  SqliteDialect: 'sqlite',
  MssqlDialect: 'sqlserver',
  LibsqlDialect: 'sqlite',
  PlanetScaleDialect: 'mysql',
  NeonDialect: 'postgresql',
};

function importsOf(text: string): Set<Orm> {
  const out = new Set<Orm>();
  for (const m of text.matchAll(IMPORT_RE)) out.add(m[1]!.startsWith('@mikro-orm/') ? 'mikroorm' : PACKAGES[m[1]!.replace(/^(drizzle-orm).*$/, '$1')]!);
  if (!out.has('sequelize') && /\bsequelize\b/i.test(text) && /\.(define|init|belongsTo|hasMany)\(/.test(text)) out.add('sequelize');
  return out;
}

/** Dependencies of the root manifest (in an Nx integrated workspace, every project's). */
function rootDependencies(ctx: AnalyzerContext): string[] {
  const m = ctx.workspace.rootManifest as Record<string, unknown> | undefined;
  const names = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) =>
    m && typeof m[k] === 'object' && m[k] ? Object.keys(m[k] as object) : [],
  );
  return sortedUnique(names);
}

/** A manifest of the repository, the root one included, depends on `pkg`. */
function depends(ctx: AnalyzerContext, pkg: string): boolean {
  return ctx.dependsOn(pkg) || rootDependencies(ctx).includes(pkg);
}

/** One file's shapes (its index), each dispatched to the readers of the ORMs the file imports, in the order they are written. */
function walkFile(
  file: string,
  index: FileIndex,
  imports: Set<Orm>,
  c: Collected,
  drizzle: ReturnType<typeof newDrizzleState>,
  tables: DrizzleCandidate[],
): void {
  const fc: FileCtx = { file, index, imports, c };
  const dialect = (orm: Orm, raw: string | undefined, line: number, envVars: string[] | undefined) => {
    if (!raw) return;
    c.dialects.push({ orm, raw, evidence: { file, line }, envVars: envVars ?? [] });
  };

  for (const site of index.shapes.sites) {
    if (site.k === 'enum') c.enums.set(site.name, new Map(site.members));
    else if (site.k === 'class') {
      if (imports.has('typeorm')) typeormClass(site, fc);
      if (imports.has('mikroorm')) mikroormClass(site, fc);
      if (imports.has('sequelize')) sequelizeTypescriptClass(site, fc);
      if (imports.has('mongoose')) {
        nestSchemaClass(site, fc);
        typegooseClass(site, fc);
      }
    } else if (site.k === 'call' && site.e.isNew) {
      const node = site.e;
      const callee = lastName(node.callee);
      if (callee === 'EntitySchema' && imports.has('mikroorm')) mikroormEntitySchema(node, fc);
      else if (callee === 'EntitySchema' && imports.has('typeorm')) typeormEntitySchema(node, fc);
      else if (callee === 'Schema' && imports.has('mongoose')) {
        if (site.argOf !== 'model') mongooseSchema(node, site.assigned?.name, fc);
      } else if (callee === 'Kysely' && node.typeArgs?.[0]?.k === 'ref') {
        const t = node.typeArgs[0];
        if (!t.q) c.kyselyDbNames.add(t.name);
      } else if (callee && KYSELY_DIALECTS[callee] && imports.has('kysely')) dialect('kysely', KYSELY_DIALECTS[callee], node.line, site.env);
      else if (callee === 'Sequelize' && imports.has('sequelize')) {
        const opts = node.args.find(isObject);
        const url = str(node.args[0]);
        // Only the scheme of a literal URL is kept: never the connection string itself.
        dialect('sequelize', str(prop(opts, 'dialect')) ?? (url ? /^(\w+):/.exec(url)?.[1] : undefined), node.line, site.env);
        if (prop(opts, 'models')) sequelizeRegistration(prop(opts, 'models'), fc);
      }
    } else if (site.k === 'call') {
      const node = site.e;
      const callee = lastName(node.callee);
      if (imports.has('mongoose')) {
        if (callee === 'createForClass' && lastName(node.args[0])) c.nestSchemaFactories.add(lastName(node.args[0])!);
        if (callee === 'Schema' && isObject(node.args[0])) {
          if (site.argOf !== 'model') mongooseSchema(node, site.assigned?.name, fc);
        } else if (callee === 'model' && constString(node.args[0], index.shapes.consts)) mongooseModel(node, fc);
        else if (callee === 'getModelForClass') typegooseModel(node, site.assigned?.name, fc);
        else if (callee === 'index' && isObject(node.args[0])) mongooseIndex(site, fc);
        else if (callee === 'connect' || callee === 'createConnection') {
          if (/mongoose/.test(dotted(node.callee.k === 'member' ? node.callee.e : node.callee) ?? '') || node.callee.k === 'id')
            dialect('mongoose', 'mongodb', node.line, site.env);
        }
      }
      if (imports.has('mikroorm')) {
        if (callee === 'defineEntity') mikroormDefineEntity(node, fc);
        else dialect('mikroorm', mikroormConfigDialect(node, index), node.line, site.env);
      }
      if (imports.has('mongodb')) mongoCall(site, fc, c.mongo);
      if (imports.has('sequelize')) {
        sequelizeCall(site, fc);
        if (callee === 'addModels') sequelizeRegistration(node.args[0], fc);
      }
      if (imports.has('drizzle')) {
        if (callee === 'relations') drizzleRelations(node, fc);
        else if (!drizzleDeclaration(site, drizzle)) {
          const table = drizzleCandidate(site, fc);
          if (table) tables.push(table);
        }
      }
    } else if (site.k === 'config') {
      if (imports.has('typeorm')) {
        const type = site.type;
        if (type && storeTech(type) && site.keys.some((k) => TYPEORM_CONFIG_KEYS.includes(k))) dialect('typeorm', type, site.line, site.env);
      }
      if (imports.has('sequelize') && !site.inNew && site.dialect) dialect('sequelize', site.dialect, site.line, site.env);
    } else if (site.k === 'type' && imports.has('kysely')) {
      const decl: KyselyDecl = { file, members: site.members };
      if (site.union) decl.union = site.union;
      c.kyselyTypes.set(site.name, decl);
    }
  }
}

/** The enums of a file importing no ORM, the first declaration of a name kept. */
function otherEnums(index: FileIndex, into: Map<string, Map<string, string>>): void {
  for (const site of index.shapes.sites) if (site.k === 'enum' && !into.has(site.name)) into.set(site.name, new Map(site.members));
}

function mergeInto(target: Draft, base: Draft): void {
  const names = new Set(target.fields.map((f) => f.name));
  target.fields = [...base.fields.filter((f) => !names.has(f.name)), ...target.fields];
  const rels = new Set(target.relations.map((r) => r.name));
  target.relations = [...base.relations.filter((r) => !rels.has(r.name)), ...target.relations];
  target.indexes = [...base.indexes, ...target.indexes];
  target.states = [...base.states.filter((s) => !target.states.some((t) => t.field === s.field)), ...target.states];
  target.pendingEnums = [...base.pendingEnums, ...target.pendingEnums];
}

/** Every file has been visited: tables, models, inherited columns, relations and enums resolved, facts emitted. */
function settle(
  ctx: AnalyzerContext,
  c: Collected,
  drizzle: ReturnType<typeof newDrizzleState>,
  tables: DrizzleCandidate[],
  elsewhere: Map<string, Map<string, string>>,
  writes: ReadonlyMap<string, readonly StateWrite[]>,
): void {
  const rootDeps = rootDependencies(ctx);
  for (const t of tables) {
    const draft = drizzleTable(t, drizzle);
    if (draft) c.drafts.push(draft);
  }
  // MongoDB driver: declared collections always; collections only used by name when no ODM
  // (Mongoose, Typegoose…) describes the project's collections.
  // sequelize-typescript: with the models listed by name, a @Table class in no list is not registered.
  const reg = c.sequelizeRegistered;
  if (reg.lists > 0 && !reg.glob) c.drafts = c.drafts.filter((d) => !d.decoratedModel || reg.names.has(d.name));
  c.drafts.push(...c.mongo.declared);
  if (!ODMS.some((p) => depends(ctx, p))) c.drafts.push(...c.mongo.used);
  // Supabase: the tables the client's queries name, on the PostgreSQL its factories reach.
  c.drafts.push(...c.supabase.tables);
  for (const cl of c.supabase.clients) c.dialects.push({ orm: 'supabase', raw: 'postgresql', evidence: { file: cl.file, line: cl.line }, envVars: cl.envVars });

  // Mongoose: a model is a schema bound to a name.
  const moreEvidence = new Map<Draft, Evidence[]>();
  // A NestJS @Schema class that other @Schema classes extend and that no createForClass names is
  // their base (an abstract document): its props are inherited, it is no collection of its own.
  const nestBases = new Set(c.mongooseModels.filter((m) => m.nestClass && m.inline?.extends).map((m) => m.inline!.extends!));
  for (const m of c.mongooseModels) {
    if (m.nestClass && nestBases.has(m.model) && !c.nestSchemaFactories.has(m.model) && m.inline) {
      c.bases.set(m.model, m.inline);
      continue;
    }
    const schema = m.inline ?? (m.schema ? (c.mongooseSchemas.get(`${m.file}#${m.schema}`) ?? c.mongooseSchemas.get(m.schema)) : undefined);
    if (!schema) continue;
    // A Typegoose class may name its collection itself (`@modelOptions`); a Mongoose schema does not.
    const table = m.collection ?? (schema.table !== '' ? schema.table : mongooseCollection(m.model));
    const draft: Draft = { ...schema, name: m.model, table, indexes: [...schema.indexes] };
    for (const ix of c.mongooseIndexes) if (ix.schema === schema.name) draft.indexes.push(ix.index);
    if (m.file !== schema.file || m.line !== schema.line) moreEvidence.set(draft, [{ file: m.file, line: m.line }]);
    // A Typegoose ref may name the model variable (`ref: () => UserModel`): the entity is its class.
    if (c.typegooseModelVars.size > 0)
      draft.relations = draft.relations.map((r) => {
        const cls = c.typegooseModelVars.get(r.target);
        return cls ? { ...r, target: cls } : r;
      });
    c.drafts.push(draft);
  }
  c.drafts.push(...kyselyDrafts(c));

  // Inherited TypeORM columns (abstract base classes), nearest base last.
  for (const d of c.drafts) {
    const seen = new Set<string>();
    let base = d.extends;
    while (base && !seen.has(base)) {
      seen.add(base);
      const b = c.bases.get(base) ?? c.drafts.find((x) => x.orm === d.orm && x.name === base);
      if (!b || b.orm !== d.orm) break;
      mergeInto(d, b);
      if (d.implicit && b.fields.some((f) => f.id)) d.implicit.id = false;
      if (d.implicit && b.fields.some((f) => f.name === 'createdAt' || f.name === 'created_at')) d.implicit.timestamps = false;
      base = b.extends;
    }
  }

  // Single-table inheritance: a child entity lives in its parent's table.
  for (const d of c.drafts) {
    if (!d.childEntity) continue;
    let parent = c.drafts.find((x) => x.orm === 'typeorm' && x.name === d.extends);
    for (let i = 0; parent?.childEntity && i < 10; i++) parent = c.drafts.find((x) => x.orm === 'typeorm' && x.name === parent!.extends);
    d.table = parent?.table ?? snakeCase(d.name);
  }

  const byName = new Map<string, Draft>();
  for (const d of c.drafts) for (const n of [d.name, ...d.aliases]) if (!byName.has(`${d.orm}:${n}`)) byName.set(`${d.orm}:${n}`, d);

  // Sequelize associations and Drizzle relations, each replacing a column-derived duplicate.
  const attach = (d: Draft, rel: DraftRelation) => {
    const dup = d.relations.findIndex((r) => r.fromColumn && r.foreignKey === rel.foreignKey && rel.foreignKey !== undefined);
    if (dup >= 0) d.relations.splice(dup, 1, rel);
    else if (!d.relations.some((r) => r.name === rel.name)) d.relations.push(rel);
  };
  for (const a of c.associations) {
    const d = byName.get(`sequelize:${a.source}`);
    if (d) attach(d, a.relation);
  }
  for (const r of c.drizzleRelations) {
    const d = byName.get(`drizzle:${r.table}`);
    if (d) attach(d, r.relation);
  }

  // Enum-typed states declared through a TypeScript enum.
  for (const name of new Set(c.drafts.flatMap((d) => d.pendingEnums.map((p) => p.enumName)))) {
    const members = elsewhere.get(name);
    if (members && !c.enums.has(name)) c.enums.set(name, members);
  }
  for (const d of c.drafts) {
    for (const p of d.pendingEnums) {
      const members = c.enums.get(p.enumName);
      if (!members || d.states.some((s) => s.field === p.field)) continue;
      d.states.push({ field: p.field, values: [...new Set(members.values())], initial: litText(p.initial, c.enums), enumName: p.enumName });
    }
  }

  // Sequelize adds an `id` primary key and timestamps unless the model says otherwise.
  for (const d of c.drafts) {
    if (!d.implicit) continue;
    if (d.implicit.id && !d.fields.some((f) => f.id)) d.fields.unshift({ name: 'id', type: 'INTEGER', id: true, default: 'autoincrement' });
    if (d.implicit.timestamps) {
      for (const n of d.implicit.underscored ? ['created_at', 'updated_at'] : ['createdAt', 'updatedAt']) {
        if (!d.fields.some((f) => f.name === n)) d.fields.push({ name: n, type: 'DATE' });
      }
    }
  }

  // Stores: the shape's own tech, else a dialect declared in code, else the driver package. A
  // package that depends on several SQL drivers and names none in code chooses at run time: each
  // is a store, and the entity names none of them.
  type StoreHit = { tech: string; evidence: Evidence; envVars: string[] };
  const rootText = ctx.workspace.rootManifest ? ctx.read('package.json') : undefined;
  const techOf = (d: Draft): StoreHit[] => {
    if (d.tech) {
      const hit = c.dialects.find((x) => x.orm === d.orm);
      return [{ tech: d.tech, evidence: hit?.evidence ?? { file: d.file, line: d.line }, envVars: hit?.envVars ?? [] }];
    }
    const hits = c.dialects.filter((x) => x.orm === d.orm && storeTech(x.raw));
    const hit = hits.find((x) => ctx.componentOf(x.evidence.file) === ctx.componentOf(d.file)) ?? hits[0];
    if (hit) return [{ tech: storeTech(hit.raw)!.tech, evidence: hit.evidence, envVars: hit.envVars }];
    const pkg = ctx.packageOf(d.file);
    const candidates: { manifestFile?: string; dependencies: Map<string, { line: number }> }[] = [
      ...(pkg ? [pkg] : []),
      ...ctx.workspace.packages.filter((p) => p !== pkg),
    ];
    // An Nx integrated workspace declares every project's dependencies in the root manifest.
    if (rootText !== undefined && !ctx.workspace.packages.some((p) => p.manifestFile === 'package.json')) {
      candidates.push({ manifestFile: 'package.json', dependencies: new Map(rootDeps.map((n) => [n, { line: jsonKeyLine(rootText, n) }])) });
    }
    // MikroORM's own driver package names the database before any plain driver does.
    const drivers = d.orm === 'mikroorm' ? [...MIKRO_ORM_DRIVERS, ...DATABASE_DRIVERS] : DATABASE_DRIVERS;
    for (const p of candidates) {
      const found = new Map<string, StoreHit>();
      for (const [driver, tech] of drivers) {
        const dep = p.dependencies.get(driver);
        if (dep && p.manifestFile && !found.has(tech)) found.set(tech, { tech, evidence: { file: p.manifestFile, line: dep.line }, envVars: [] });
        if (d.orm === 'mikroorm' && found.size > 0 && driver.startsWith('@mikro-orm/')) break;
      }
      if (found.size > 0) return [...found.values()].sort((a, b) => compareStrings(a.tech, b.tech));
    }
    return [];
  };

  const resolveTarget = (d: Draft, r: DraftRelation): string | undefined => {
    if (r.targetKind === 'table') return entityId(r.target);
    const t = byName.get(`${d.orm}:${r.target}`);
    if (t) return entityId(t.table);
    if (d.orm === 'typeorm' || d.orm === 'mikroorm') return entityId(snakeCase(r.target));
    if (d.orm === 'sequelize') return entityId(pluralise(r.target));
    if (d.orm === 'mongoose') return entityId(pluralise(r.target.toLowerCase()));
    return undefined;
  };

  // One entity per table: two models on one table become one entity listing both models.
  const groups = new Map<string, Draft[]>();
  for (const d of c.drafts) {
    const id = entityId(d.table);
    const g = groups.get(id);
    if (g) g.push(d);
    else groups.set(id, [d]);
  }
  const stores = new Map<string, DataStore>();
  const entities: Entity[] = [];
  const machines: (StateMachineInput & { entity: Entity })[] = [];
  for (const [id, drafts] of [...groups].sort((a, b) => compareStrings(a[0], b[0]))) {
    drafts.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line);
    const first = drafts[0]!;
    const names = sortedUnique(drafts.map((d) => d.name));
    const entity: Entity = {
      id,
      name: names.length > 1 ? first.table : first.name,
      table: first.table,
      orm: first.orm,
      fields: [],
      relations: [],
      evidence: sortedEvidence(drafts.flatMap((d) => [{ file: d.file, line: d.line }, ...(moreEvidence.get(d) ?? [])])),
    };
    const indexes: string[] = [];
    const states: NonNullable<Entity['states']> = [];
    for (const d of drafts) {
      for (const f of d.fields) if (!entity.fields.some((x) => x.name === f.name)) entity.fields.push(f);
      for (const r of d.relations) {
        const target = resolveTarget(d, r);
        if (!target || entity.relations.some((x) => x.name === r.name)) continue;
        const rel: Entity['relations'][number] = { name: r.name, target, cardinality: r.cardinality };
        if (r.foreignKey) rel.foreignKey = r.foreignKey;
        entity.relations.push(rel);
      }
      for (const ix of d.indexes) if (!indexes.includes(ix)) indexes.push(ix);
      for (const s of d.states) {
        if (states.some((x) => x.field === s.field)) continue;
        const st: NonNullable<Entity['states']>[number] = { field: s.field, values: s.values };
        if (s.initial !== undefined && s.values.includes(s.initial)) st.initial = s.initial;
        states.push(st);
        machines.push({
          entity,
          entityId: id,
          field: s.field,
          values: s.values,
          enumName: s.enumName,
          members: s.enumName ? c.enums.get(s.enumName) : undefined,
        });
      }
    }
    if (indexes.length > 0) entity.indexes = indexes;
    if (states.length > 0) entity.states = states;
    if (names.length > 1) entity.details = { models: names };
    const component = ctx.componentOf(first.file);
    if (component) entity.component = component;
    const hits = techOf(first);
    if (hits.length === 1) entity.store = dataStoreId(storeTech(hits[0]!.tech)!.tech);
    for (const store of hits) {
      const tech = storeTech(store.tech)!;
      const id = dataStoreId(tech.tech);
      const prev = stores.get(id);
      const orm = ORM_LABEL[first.orm];
      if (prev) {
        // A table's own line is evidence of the store only for the first table.
        if (!first.tech || c.dialects.some((x) => x.evidence === store.evidence)) prev.evidence.push(store.evidence);
        if (component) prev.usedBy.push(component);
        prev.envVars = sortedUnique([...(prev.envVars ?? []), ...store.envVars]);
        prev.details!.orm = sortedUnique([...(prev.details!.orm as string[]), orm]);
      } else {
        stores.set(id, {
          id,
          name: tech.name,
          tech: tech.tech,
          kind: tech.kind,
          usedBy: component ? [component] : [],
          evidence: [store.evidence],
          envVars: sortedUnique(store.envVars),
          details: hits.length > 1 ? { orm: [orm], client: 'chosen at run time' } : { orm: [orm] },
        });
      }
    }
    entities.push(entity);
  }

  if (machines.length > 0) {
    const found = findTransitions(machines, writes, (file) => ctx.read(file));
    for (const m of machines) {
      const t = found.get(machineKey(m.entityId, m.field));
      if (t && t.length > 0) m.entity.states!.find((s) => s.field === m.field)!.transitions = t;
    }
  }
  for (const e of entities) {
    // Supabase's queries name a table and nothing of its columns: migrations describe it in full.
    if (e.orm !== 'supabase') claimEntity(ctx, e.id, e.orm === 'kysely' ? 'columns' : 'full');
    ctx.emit('schemas', e);
  }
  for (const s of stores.values()) {
    // Every package declaring the ORM uses the store too (a monorepo's services beside its models).
    for (const p of ctx.workspace.packages) {
      for (const [pkg, orm] of Object.entries(PACKAGES)) {
        if (p.dependencies.has(pkg) && (s.details!.orm as string[]).includes(ORM_LABEL[orm])) s.usedBy.push(p.componentId);
      }
    }
    s.usedBy = sortedUnique(s.usedBy);
    s.evidence = sortedEvidence(s.evidence);
    if (s.envVars!.length === 0) delete s.envVars;
    ctx.emit('dataStores', s);
  }
}

export default defineAnalyzer({
  meta: {
    name: 'orm-entities',
    description:
      'Entities and databases from TypeORM, Sequelize, Mongoose, Drizzle, Kysely, MikroORM, MongoDB driver and Supabase client code; DynamoDB tables that infrastructure provisions',
    produces: ['schemas', 'dataStores'],
    provides: ['schemas.claims'],
    // The link phase reads the tables infrastructure provisions, once components are settled.
    consumes: ['infrastructure', 'dataStores', 'schemas', 'components.settled'],
  },
  scan(ctx): FileScan {
    // Code is read only where an ORM is declared; the link phase runs in every repository.
    const orm = usesOrm(ctx);
    const mappers = Object.keys(DYNAMODB_MAPPERS).some((p) => depends(ctx, p));
    // Payload CMS: its configs and collections are read from every script's constants and calls.
    const payload = depends(ctx, 'payload');
    const payloadIndexes = new Map<string, FileIndex>();
    const mapped: MappedEntity[] = [];
    /** With a database client declared, every script's index: repositories over the client (persistence.ts). */
    const clients = PERSISTENCE_CLIENTS.some((p) => depends(ctx, p));
    const scripts = new Map<string, FileIndex>();
    const c = newCollected();
    const drizzle = newDrizzleState();
    const tables: DrizzleCandidate[] = [];
    /** Enums declared in files importing no ORM, by name (the first declaration kept). */
    const elsewhere = new Map<string, Map<string, string>>();
    /** Every production script's writes, which the transitions of the entities' states are read from. */
    const writes = new Map<string, readonly StateWrite[]>();
    const keep = keepWrites(writes);
    /** Whether a file's package (or the root manifest) depends on a Supabase client, by package folder. */
    const supabaseIn = new Map<string, boolean>();
    const usesSupabase = (file: string): boolean => {
      const pkg = ctx.packageOf(file);
      const key = pkg?.path ?? '';
      let yes = supabaseIn.get(key);
      if (yes === undefined) {
        yes = SUPABASE_PACKAGES.some((p) => pkg?.dependencies.has(p) || rootDependencies(ctx).includes(p));
        supabaseIn.set(key, yes);
      }
      return yes;
    };
    return {
      wants: (file) => (orm || mappers || clients || payload) && !ctx.isSetAside(file),
      visitIndex: (file, index) => {
        if (payload && !/(^|\/)node_modules\//.test(file)) payloadIndexes.set(file, index);
        if (mappers && [...index.imports.values()].some((i) => DYNAMODB_MAPPERS[i.module])) mapped.push(...dynamodbEntities(file, index));
        if (clients && !/(^|\/)node_modules\//.test(file)) scripts.set(file, index);
        if (!orm) return;
        keep(file, index);
        if (!/(^|\/)node_modules\//.test(file) && usesSupabase(file)) supabaseFile({ file, index }, c.supabase);
        const text = ctx.read(file);
        if (!text) return;
        const imports = /(^|\/)node_modules\//.test(file) ? new Set<Orm>() : importsOf(text);
        if (imports.size > 0) walkFile(file, index, imports, c, drizzle, tables);
        else if (ENUM_RE.test(text)) otherEnums(index, elsewhere);
      },
      finish: () => {
        if (orm) settle(ctx, c, drizzle, tables, elsewhere, writes);
        emitMapped(ctx, mapped);
        if (payload) emitPayload(ctx, payloadIndexes);
        if (scripts.size > 0) persistenceEntities(ctx, scripts);
        // Java/Kotlin, C# and PHP services: their own files, read apart from the scripts' pass.
        polyglotOrm(ctx);
      },
    };
  },
  link(model) {
    const added = provisionedEntities(model);
    if (added.length > 0) model.schemas = [...model.schemas, ...added].sort((a, b) => compareStrings(a.id, b.id));
    storeUsers(model);
  },
});

/** The entities of DynamoDB mappers, in the DynamoDB store (which the mappers' packages use). */
function emitMapped(ctx: AnalyzerContext, mapped: readonly MappedEntity[]): void {
  if (mapped.length === 0) return;
  const store = dataStoreId('dynamodb');
  const usedBy = new Set<string>();
  for (const m of mapped) {
    const component = ctx.componentOf(m.file);
    if (component) usedBy.add(component);
    const e: Entity = {
      id: entityId(m.table ?? m.name),
      name: m.name,
      store,
      orm: m.orm,
      fields: m.fields,
      relations: [],
      evidence: [{ file: m.file, line: m.line }],
    };
    if (m.table) e.table = m.table;
    if (m.indexes.length) e.indexes = m.indexes;
    // Several entities in one table (single-table design) are told apart by name, not by table.
    if (mapped.some((o) => o !== m && o.table !== undefined && o.table === m.table)) e.id = entityId(`${m.table}.${m.name}`);
    ctx.emit('schemas', e);
  }
  const tech = storeTech('dynamodb')!;
  ctx.emit('dataStores', {
    id: store,
    name: tech.name,
    tech: tech.tech,
    kind: tech.kind,
    usedBy: [...usedBy].sort(compareStrings),
    details: { orm: sortedUnique(mapped.map((m) => m.orm)) },
    evidence: sortedEvidence(mapped.map((m) => ({ file: m.file, line: m.line }))),
  });
}

function usesOrm(ctx: AnalyzerContext): boolean {
  return Object.keys(PACKAGES).some((p) => depends(ctx, p)) || MIKRO_ORM_DRIVERS.some(([p]) => depends(ctx, p));
}
