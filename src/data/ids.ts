/**
 * Shared naming for the data analyzers (prisma, orm-entities, sql-migrations) and for any other
 * analyzer that reports a database (compose images, Terraform resources), so that facts about the
 * same store or the same table merge by id.
 *
 * - Data store: `datastore:<tech>` with a canonical tech (`postgresql`, `mysql`, `mongodb`…).
 *   Several databases of one tech share one id: code alone cannot tell two PostgreSQL servers apart.
 * - Entity: `entity:<table>` with the table (or collection) name in lower case and a default
 *   `public.` / `dbo.` schema dropped, so that an ORM model and the table its migrations create
 *   are one entity (`model Order` + `CREATE TABLE "Order"` → `entity:order`).
 */
import { idOf } from '../model/ids.js';
import type { DataStore } from '../model/schema.js';

export interface StoreTech {
  tech: string;
  name: string;
  kind: NonNullable<DataStore['kind']>;
}

const TECHS: Record<string, StoreTech> = {
  postgresql: { tech: 'postgresql', name: 'PostgreSQL', kind: 'relational' },
  mysql: { tech: 'mysql', name: 'MySQL', kind: 'relational' },
  mariadb: { tech: 'mariadb', name: 'MariaDB', kind: 'relational' },
  sqlite: { tech: 'sqlite', name: 'SQLite', kind: 'relational' },
  sqlserver: { tech: 'sqlserver', name: 'SQL Server', kind: 'relational' },
  cockroachdb: { tech: 'cockroachdb', name: 'CockroachDB', kind: 'relational' },
  oracle: { tech: 'oracle', name: 'Oracle Database', kind: 'relational' },
  // Java's embedded databases (Spring Boot's default when a JDBC/R2DBC driver is given no URL).
  h2: { tech: 'h2', name: 'H2', kind: 'relational' },
  hsqldb: { tech: 'hsqldb', name: 'HSQLDB', kind: 'relational' },
  derby: { tech: 'derby', name: 'Apache Derby', kind: 'relational' },
  mongodb: { tech: 'mongodb', name: 'MongoDB', kind: 'document' },
  redis: { tech: 'redis', name: 'Redis', kind: 'key-value' },
  dynamodb: { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value' },
  elasticsearch: { tech: 'elasticsearch', name: 'Elasticsearch', kind: 'search' },
  spanner: { tech: 'spanner', name: 'Cloud Spanner', kind: 'relational' },
  arangodb: { tech: 'arangodb', name: 'ArangoDB', kind: 'document' },
};

/** Spellings used by Prisma providers, TypeORM `type`, Sequelize `dialect`, images and drivers. */
const ALIASES: Record<string, string> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pg: 'postgresql',
  'postgres-js': 'postgresql',
  aurora: 'postgresql',
  'aurora-postgres': 'postgresql',
  'aurora-postgresql': 'postgresql',
  neon: 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  'aurora-mysql': 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  libsql: 'sqlite',
  turso: 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  cordova: 'sqlite',
  expo: 'sqlite',
  'react-native': 'sqlite',
  nativescript: 'sqlite',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  tedious: 'sqlserver',
  cockroachdb: 'cockroachdb',
  oracle: 'oracle',
  oracledb: 'oracle',
  h2: 'h2',
  hsqldb: 'hsqldb',
  derby: 'derby',
  mongodb: 'mongodb',
  mongo: 'mongodb',
  mongoose: 'mongodb',
  redis: 'redis',
  dynamodb: 'dynamodb',
  spanner: 'spanner',
  arangodb: 'arangodb',
};

/** Canonical store tech for an ORM dialect, provider or driver name; undefined when unknown. */
export function storeTech(raw: string): StoreTech | undefined {
  const key = ALIASES[raw.trim().toLowerCase()];
  return key ? TECHS[key] : undefined;
}

export function dataStoreId(tech: string): string {
  return idOf.datastore(tech);
}

/** Lower-case table key: quotes and a default schema removed. */
export function tableKey(table: string): string {
  const t = table
    .replace(/["`[\]]/g, '')
    .trim()
    .toLowerCase();
  return t.replace(/^(public|dbo|main)\./, '');
}

export function entityId(table: string): string {
  return idOf.entity(tableKey(table));
}

/** `UserProfile` → `user_profile` (TypeORM's default naming strategy). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1_')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

const UNCOUNTABLE = new Set(['data', 'information', 'equipment', 'news', 'series', 'species', 'metadata', 'feedback']);
const IRREGULAR: Record<string, string> = { person: 'people', child: 'children', man: 'men', woman: 'women', mouse: 'mice' };

const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isUpper = (c: number) => c >= 65 && c <= 90;

/**
 * What `/([A-Z]?[a-z0-9]+|[A-Z]+)$/.exec(word)?.[0] ?? word` gives, read from the end (the
 * expression tried every start against the rest: quadratic on a long run): `OrderItem` → `Item`,
 * `HTTP` → `HTTP`, `ABCd` → `Cd`.
 */
function lastWordOf(word: string): string {
  let start = word.length;
  while (start > 0 && isLowerOrDigit(word.charCodeAt(start - 1))) start--;
  if (start < word.length) return start > 0 && isUpper(word.charCodeAt(start - 1)) ? word.slice(start - 1) : word.slice(start);
  while (start > 0 && isUpper(word.charCodeAt(start - 1))) start--;
  return start < word.length ? word.slice(start) : word;
}

/**
 * English plural as Sequelize (inflection) and Mongoose pluralise model names, for the common
 * cases: `Order` → `Orders`, `Category` → `Categories`, `Box` → `Boxes`, `Person` → `People`.
 */
export function pluralise(word: string): string {
  const lower = word.toLowerCase();
  const lastWord = lastWordOf(word);
  const lastLower = lastWord.toLowerCase();
  if (UNCOUNTABLE.has(lastLower)) return word;
  const irregular = IRREGULAR[lastLower];
  if (irregular) {
    const keepCase = lastWord[0] === lastWord[0]!.toUpperCase() ? irregular[0]!.toUpperCase() + irregular.slice(1) : irregular;
    return word.slice(0, word.length - lastWord.length) + keepCase;
  }
  if (/[^aeiou]y$/.test(lower)) return word.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(lower)) return word + 'es';
  return word + 's';
}
