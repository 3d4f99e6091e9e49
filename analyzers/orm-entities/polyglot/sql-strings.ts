/**
 * Tables that code in Java/Kotlin, C#, PHP, Python or Go creates with SQL it writes as a string:
 * `command.CommandText = @"CREATE TABLE IF NOT EXISTS votes (…)"`, `cursor.execute("CREATE TABLE …")`,
 * `db.Exec(\`CREATE TABLE …\`)`. A literal string (an assignment's value or a call's argument,
 * concatenated parts joined) whose text begins with `CREATE TABLE` is read with the engine's SQL
 * reader (src/analysis/sql: statements split, each table with its columns, keys and foreign keys).
 * The database is the one the file opens by its driver (`new NpgsqlConnection`, `psycopg2.connect`,
 * a `jdbc:postgresql:` URL), else that of the file's unit.
 */
import type { PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { applyFallback, SchemaState } from '../../../src/analysis/sql/apply.js';
import { splitStatements } from '../../../src/analysis/sql/split.js';
import { compareStrings } from '../../../src/model/compare.js';
import { dirOf, type PolyEntity, type PolyStore } from './types.js';

/** A cheap test on a file's text: it may create a table. */
export function sqlStringsWants(text: string): boolean {
  const low = text.toLowerCase();
  for (let at = low.indexOf('create'); at >= 0; at = low.indexOf('create', at + 1)) {
    let i = at + 6;
    while (low[i] === ' ' || low[i] === '\n' || low[i] === '\t' || low[i] === '\r') i++;
    if (i > at + 6 && (low.startsWith('table', i) || low.startsWith('temporary', i))) return true;
  }
  return false;
}

/** Driver classes and functions a file opens its database with (the callee's last name, or an imported module). */
const DRIVERS: Record<string, string> = {
  NpgsqlConnection: 'postgresql',
  NpgsqlDataSource: 'postgresql',
  SqlConnection: 'sqlserver',
  SqliteConnection: 'sqlite',
  SQLiteConnection: 'sqlite',
  MySqlConnection: 'mysql',
  OracleConnection: 'oracle',
};
const PYTHON_MODULES: Record<string, string> = {
  psycopg2: 'postgresql',
  psycopg: 'postgresql',
  asyncpg: 'postgresql',
  sqlite3: 'sqlite',
  aiosqlite: 'sqlite',
  pymysql: 'mysql',
  MySQLdb: 'mysql',
  'mysql.connector': 'mysql',
};
/** JDBC URL schemes and PDO DSN prefixes. */
const URL_SCHEMES: Record<string, string> = {
  'jdbc:postgresql:': 'postgresql',
  'jdbc:mysql:': 'mysql',
  'jdbc:mariadb:': 'mariadb',
  'jdbc:sqlite:': 'sqlite',
  'jdbc:sqlserver:': 'sqlserver',
  'jdbc:h2:': 'h2',
  'pgsql:': 'postgresql',
  'mysql:': 'mysql',
  'sqlite:': 'sqlite',
};

/** Parts of a string written in pieces are joined; anything else is no literal. */
function literal(v: PValue): string | undefined {
  if (v.k === 'str') return v.template ? undefined : v.v;
  if (v.k !== 'concat') return undefined;
  let out = '';
  for (const p of v.parts) {
    const s = literal(p);
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

/** The strings of a value, however nested (a call's arguments, a list's items). */
function stringsIn(v: PValue, out: PValue[], depth = 0): void {
  if (depth > 8) return;
  if (v.k === 'str' || v.k === 'concat') out.push(v);
  else if (v.k === 'list') for (const x of v.items) stringsIn(x, out, depth + 1);
  else if (v.k === 'map') for (const e of v.entries) stringsIn(e.value, out, depth + 1);
}

const startsCreate = (s: string): boolean => /^create\s+(?:temporary\s+|temp\s+)?table\b/i.test(s.trimStart());

/** The database one file opens: a driver it constructs or calls, a module it imports, a URL it writes. */
function fileTech(ix: PolyglotIndex): { tech: string; line: number } | undefined {
  for (const c of ix.calls) {
    const tech = DRIVERS[c.callee[c.callee.length - 1]!];
    if (tech) return { tech, line: c.line };
    for (const a of c.args) {
      const s = a.k === 'str' ? a.v : undefined;
      const scheme = s === undefined ? undefined : Object.keys(URL_SCHEMES).find((k) => s.startsWith(k));
      if (scheme) return { tech: URL_SCHEMES[scheme]!, line: c.line };
    }
  }
  if (ix.language === 'python') for (const i of ix.imports) if (PYTHON_MODULES[i.module]) return { tech: PYTHON_MODULES[i.module]!, line: i.line };
  return undefined;
}

/** The tables the files' SQL strings create, and the database each such file opens. */
export function sqlStringTables(indexes: readonly PolyglotIndex[]): { entities: PolyEntity[]; stores: PolyStore[] } {
  const state = new SchemaState();
  const stores: PolyStore[] = [];
  for (const ix of [...indexes].sort((a, b) => compareStrings(a.file, b.file))) {
    const found: { v: PValue; line: number }[] = [];
    for (const a of ix.assigns) {
      const vs: PValue[] = [];
      stringsIn(a.value, vs);
      for (const v of vs) found.push({ v, line: a.line });
    }
    for (const c of ix.calls) {
      const vs: PValue[] = [];
      for (const a of [...c.args, ...c.kw.map((k) => k.value)]) stringsIn(a, vs);
      for (const v of vs) found.push({ v, line: c.line });
    }
    let created = false;
    for (const { v, line } of found.sort((a, b) => a.line - b.line)) {
      const sql = literal(v);
      if (sql === undefined || !startsCreate(sql)) continue;
      for (const st of splitStatements(sql, line)) {
        if (startsCreate(st.text) && applyFallback(state, st.text, { file: ix.file, line: st.line })) created = true;
      }
    }
    const tech = created ? fileTech(ix) : undefined;
    if (tech) stores.push({ tech: tech.tech, unit: dirOf(ix.file), evidence: { file: ix.file, line: tech.line } });
  }
  const entities: PolyEntity[] = [];
  for (const t of state.tables.values()) {
    entities.push({
      name: t.name,
      table: t.name,
      orm: 'sql',
      file: t.created.file,
      line: t.created.line,
      // As sql-migrations words a migration's table.
      fields: t.columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(c.nullable && !c.id ? { nullable: true } : {}),
        ...(c.id ? { id: true } : {}),
        ...(c.unique ? { unique: true } : {}),
        ...(c.default !== undefined ? { default: c.default } : {}),
      })),
      relations: t.fks.map((fk) => ({ name: fk.columns.join(', '), table: fk.table, cardinality: 'many-to-one' as const, foreignKey: fk.columns.join(', ') })),
    });
  }
  return { entities, stores };
}
