/**
 * Database driver packages and the engine each talks to, shared by the analyzers that name a
 * store from a project's dependencies (orm-entities, outbound). First match wins where a project
 * depends on several.
 */

/** MikroORM's driver packages, each re-exporting the core (`import { Entity } from '@mikro-orm/postgresql'`) and naming the database. */
export const MIKRO_ORM_DRIVERS: readonly [string, string][] = [
  ['@mikro-orm/postgresql', 'postgresql'],
  ['@mikro-orm/mysql', 'mysql'],
  ['@mikro-orm/mariadb', 'mariadb'],
  ['@mikro-orm/sqlite', 'sqlite'],
  ['@mikro-orm/better-sqlite', 'sqlite'],
  ['@mikro-orm/libsql', 'sqlite'],
  ['@mikro-orm/mssql', 'sqlserver'],
  ['@mikro-orm/mongodb', 'mongodb'],
];

/** Driver package → engine. */
export const DATABASE_DRIVERS: readonly [string, string][] = [
  ['pg', 'postgresql'],
  ['postgres', 'postgresql'],
  ['@neondatabase/serverless', 'postgresql'],
  ['@vercel/postgres', 'postgresql'],
  ['mysql2', 'mysql'],
  ['mysql', 'mysql'],
  ['@planetscale/database', 'mysql'],
  ['mariadb', 'mariadb'],
  ['better-sqlite3', 'sqlite'],
  ['sqlite3', 'sqlite'],
  ['@libsql/client', 'sqlite'],
  ['tedious', 'sqlserver'],
  ['mssql', 'sqlserver'],
  ['oracledb', 'oracle'],
  ['mongodb', 'mongodb'],
  ...MIKRO_ORM_DRIVERS,
];
