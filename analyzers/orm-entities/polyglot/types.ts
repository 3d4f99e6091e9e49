/**
 * What each language's rules find (polyglot/jvm.ts, dotnet.ts, php.ts, python.ts, go.ts), as plain
 * data: entities with their tables, and the databases units of code name. Apart from orm.ts, which
 * runs the rules, so that no rule imports the module importing it.
 */
import type { Entity, Evidence } from '../../../src/model/schema.js';

export interface PolyEntity {
  name: string;
  table: string;
  /** The ORM's label (JPA, Spring Data JDBC, EF Core, Eloquent…). */
  orm: string;
  file: string;
  line: number;
  fields: Entity['fields'];
  /** Relations by the target's table. */
  relations: { name: string; table: string; cardinality: Entity['relations'][number]['cardinality']; foreignKey?: string }[];
  /** More evidence: a migration creating the table, a DbSet declaring it. */
  more?: Evidence[];
}

/** A database a unit of code uses: the folder of the build file or configuration that names it. */
export interface PolyStore {
  tech: string;
  /** The folder whose code uses it ('' for the repository's root). */
  unit: string;
  evidence: Evidence;
  envVars?: string[];
  /** false: a database the unit can also run on, not the one its entities are in by default. */
  chosen?: boolean;
}

export interface PolyFound {
  entities: PolyEntity[];
  stores: PolyStore[];
}

export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}
