/**
 * What the shape handlers gather as each file is visited, before targets and tables are resolved:
 * plain data only, read from each file's index.
 */
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Entity, Evidence } from '../../src/model/schema.js';
import type { KyselyDecl } from './kysely.js';
import type { Lit } from './values.js';
import type { SupabaseUse } from './supabase.js';

export type Orm = 'typeorm' | 'sequelize' | 'mongoose' | 'drizzle' | 'kysely' | 'mikroorm' | 'mongodb' | 'supabase';

export interface DraftRelation {
  name: string;
  /** Name as code refers to the target: class, model, variable or table name (see `targetKind`). */
  target: string;
  targetKind: 'name' | 'table';
  cardinality: Entity['relations'][number]['cardinality'];
  foreignKey?: string;
  /** Derived from a column reference (drizzle `.references()`, sequelize `references`). */
  fromColumn?: boolean;
}

export interface DraftState {
  field: string;
  values: string[];
  initial?: string;
  enumName?: string;
}

export interface Draft {
  orm: Orm;
  /** Model / class / variable name code uses for it. */
  name: string;
  /** Other names code may use (Sequelize model name vs class name, Drizzle variable). */
  aliases: string[];
  table: string;
  file: string;
  line: number;
  /** Store tech known from the shape itself (drizzle pgTable, mongoose). */
  tech?: string;
  fields: Entity['fields'];
  relations: DraftRelation[];
  indexes: string[];
  states: DraftState[];
  /** TypeORM base class whose columns are inherited. */
  extends?: string;
  /** sequelize-typescript `@Table` class (registered through `models: [...]` / `addModels`). */
  decoratedModel?: boolean;
  /** TypeORM `@ChildEntity`: stored in its parent's table (single-table inheritance). */
  childEntity?: boolean;
  /** Sequelize: add the implicit id and timestamps when the model does not declare them. */
  implicit?: { id: boolean; timestamps: boolean; underscored: boolean };
  /** States whose enum values must be resolved after the walk (`enum: OrderStatus`). */
  pendingEnums: { field: string; enumName: string; initial?: Lit }[];
}

/** A draft with nothing read yet: the entity's ORM, name, table and place; `extra` sets what the shape already says (tech, indexes, implicit columns). */
export function newDraft(orm: Orm, name: string, table: string, file: string, line: number, extra: Partial<Draft> = {}): Draft {
  return { orm, name, aliases: [], table, file, line, fields: [], relations: [], indexes: [], states: [], pendingEnums: [], ...extra };
}

export interface DialectHit {
  orm: Orm;
  raw: string;
  evidence: Evidence;
  envVars: string[];
}

export interface Collected {
  drafts: Draft[];
  /** Column-bearing classes without @Entity (TypeORM abstract bases). */
  bases: Map<string, Draft>;
  enums: Map<string, Map<string, string>>;
  dialects: DialectHit[];
  /** Sequelize associations: receiver model → relations, resolved after the walk. */
  associations: { source: string; relation: DraftRelation }[];
  /** Mongoose schemas by variable, and model bindings. */
  mongooseSchemas: Map<string, Draft>;
  mongooseModels: { model: string; schema?: string; inline?: Draft; collection?: string; file: string; line: number; nestClass?: boolean }[];
  /** sequelize-typescript registration: classes listed in `models: [...]`/`addModels([...])`; `glob` when a list holds paths. */
  sequelizeRegistered: { names: Set<string>; lists: number; glob: boolean };
  /** Classes given to NestJS `SchemaFactory.createForClass(X)`. */
  nestSchemaFactories: Set<string>;
  /** Typegoose: the variable a model is assigned to → its class (`UserModel` → `User`), for refs that name the model. */
  typegooseModelVars: Map<string, string>;
  mongooseIndexes: { schema: string; index: string }[];
  /** Drizzle `relations(table, …)` calls. */
  drizzleRelations: { table: string; relation: DraftRelation }[];
  /** Kysely database interfaces (from `new Kysely<X>`) and every interface/type seen in kysely files. */
  kyselyDbNames: Set<string>;
  kyselyTypes: Map<string, KyselyDecl>;
  /** MongoDB driver collections: declared by createCollection, or only used by name. */
  mongo: { declared: Draft[]; used: Draft[] };
  /** Supabase tables used and clients created. */
  supabase: SupabaseUse;
}

export function newCollected(): Collected {
  return {
    drafts: [],
    bases: new Map(),
    enums: new Map(),
    dialects: [],
    associations: [],
    mongooseSchemas: new Map(),
    mongooseModels: [],
    nestSchemaFactories: new Set(),
    typegooseModelVars: new Map(),
    sequelizeRegistered: { names: new Set(), lists: 0, glob: false },
    mongooseIndexes: [],
    drizzleRelations: [],
    kyselyDbNames: new Set(),
    kyselyTypes: new Map(),
    mongo: { declared: [], used: [] },
    supabase: { tables: [], seen: new Set(), clients: [] },
  };
}

export interface FileCtx {
  file: string;
  /** The file's index: its shapes (src/analysis/shapes.ts) are what the handlers read. */
  index: FileIndex;
  /** Which ORM modules the file imports. */
  imports: Set<Orm>;
  c: Collected;
}

export const STATE_FIELD = /(^|_)(status|state)$|[a-z](Status|State)$/;
