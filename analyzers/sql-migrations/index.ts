/**
 * sql-migrations: the tables a repository's migrations leave behind. SQL files under
 * `migrations/` (also Prisma's `migration.sql`, drizzle-kit's `drizzle/*.sql`, `*.up.sql`) and the
 * raw SQL of TypeScript/JavaScript migrations (`queryRunner.query`, `knex.raw`, `pgm.sql` inside
 * `up`) are applied in order, per migrations folder, with a real SQL parser (pgsql-ast-parser).
 * Tables an ORM analyzer already described only gain evidence: their fields stay the ORM's.
 */
import { defineAnalyzer, type FileScan } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { dataStoreId, entityId, storeTech, tableKey } from '../../src/data/ids.js';
import { claimedBy, isInternalTable } from '../../src/data/registry.js';
import { findTransitions, keepWrites, machineKey } from '../../src/analysis/transitions.js';
import type { StateWrite } from '../../src/analysis/writes.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { DataStore, Entity, Evidence } from '../../src/model/schema.js';
import { MAX_NESTING } from '../../src/util/nesting.js';
import { dirOf } from '../../src/util/paths.js';
import { lineAt } from '../../src/util/text.js';
import { applyAst, applyFallback, SchemaState, type Table } from './apply.js';
import { initdbSets, type InitSet } from './initdb.js';
import { knexClients, knexOperations, runKnexOp, type KnexOp } from './knex.js';
import { splitStatements, sqlTooDeep, type SqlStatement } from './split.js';

/**
 * Longest statement given to the SQL parser. Its memory and time grow with a statement's length
 * (measured: 64 KiB took 1-5 s and 95-140 MiB, 256 KiB 5 s and 400 MiB, 2 MiB of columns 4 GiB
 * and an abort); a longer statement is read by the simpler fallback reader.
 */
const MAX_PARSED_STATEMENT = 64 * 1024;

/** SQL that only PostgreSQL writes (types, languages, row-level security), lower case. */
const POSTGRES_ONLY = ['jsonb', 'plpgsql', 'timestamptz', 'bigserial', 'create policy', 'enable row level security', 'returns trigger', 'create extension'];
const STATE_FIELD = /(^|_)(status|state)$|[a-z](Status|State)$/;
const SQL_FILE = /(^|\/)(migrations?|migrate|drizzle)\/.*\.sql$|\.up\.sql$/i;
const DOWN_FILE = /(^|[/._-])down\.sql$/i;
const CREATE_TABLE = /\bcreate\s+table\b/i;
/** A rollback file: `…down.sql`, or a `down`/`undo` part of the name (postgrator's `003.undo.users.sql`). */
function isDownFile(file: string): boolean {
  if (DOWN_FILE.test(file)) return true;
  const parts = (file.split('/').pop() ?? '').toLowerCase().split('.').slice(0, -1);
  return parts.includes('down') || parts.includes('undo');
}
const SCRIPT_MIGRATION = /(^|\/)migrations?\/.*\.[cm]?[jt]s$/;
/** Methods whose first argument is SQL to run. */
const SQL_CALLS = new Set(['query', 'raw', 'sql', 'execute', 'exec']);
const TABLE_DDL =
  /^\s*(create\s+(temporary\s+|temp\s+|unlogged\s+)?table|alter\s+table|drop\s+table|rename\s+table|create\s+(unique\s+)?index|drop\s+index|create\s+type|alter\s+type)\b/i;
const DRIVERS: [string, string][] = [
  ['pg', 'postgresql'],
  ['postgres', 'postgresql'],
  ['mysql2', 'mysql'],
  ['mysql', 'mysql'],
  ['mariadb', 'mariadb'],
  ['better-sqlite3', 'sqlite'],
  ['sqlite3', 'sqlite'],
  ['tedious', 'sqlserver'],
  ['mssql', 'sqlserver'],
];

/** The folder a migration belongs to: the nearest `migrations`/`migrate`/`drizzle` ancestor. */
function setRoot(file: string): string {
  const parts = file.split('/');
  for (let i = parts.length - 2; i >= 0; i--) if (/^(migrations?|migrate|drizzle)$/i.test(parts[i]!)) return parts.slice(0, i + 1).join('/');
  return dirOf(file);
}

/** Natural order: `2_x` before `10_x`; timestamps and zero-padded numbers sort as text anyway. */
function naturalCompare(a: string, b: string): number {
  const ra = /^(\d+)/.exec(a.split('/').pop() ?? '');
  const rb = /^(\d+)/.exec(b.split('/').pop() ?? '');
  if (ra && rb && dirOf(a) === dirOf(b) && ra[1]!.length !== rb[1]!.length) return Number(ra[1]) - Number(rb[1]) || compareStrings(a, b);
  return compareStrings(a, b);
}

/** SQL strings inside the `up` of a TypeORM/Knex/node-pg-migrate migration (`queryRunner.query(…)`, `knex.raw(…)`, `pgm.sql(…)`), with their lines. */
function scriptStatements(index: FileIndex): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (const site of index.shapes.sites) {
    if (site.k !== 'call' || !site.up || site.e.isNew || site.e.callee.k !== 'member' || !SQL_CALLS.has(site.e.callee.name)) continue;
    const arg = site.e.args[0];
    let text: string | undefined;
    if (arg?.k === 'str') text = arg.v;
    else if (arg?.k === 'tpl') text = arg.head + arg.spans.map((s) => `__expr__${s.text}`).join('');
    if (text !== undefined && TABLE_DDL.test(text)) out.push(...splitStatements(text, site.argLine ?? site.e.line));
  }
  return out;
}

/** What the file pass read of scripts: each migration's raw SQL and schema-builder operations, each Knex configuration's clients. */
interface ScriptReads {
  scripts: Map<string, { statements: SqlStatement[]; knexOps: KnexOp[] }>;
  clients: Map<string, { client: string; line: number }[]>;
}

/** Every script has been read: the migrations of each folder applied in order, tables and stores emitted. */
async function migrate(ctx: AnalyzerContext, read: ScriptReads, writes: ReadonlyMap<string, readonly StateWrite[]>): Promise<void> {
  const sqlFiles = ctx.filesMatching((f) => SQL_FILE.test(f) && !isDownFile(f) && !ctx.isSetAside(f));
  const scriptFiles = ctx.typescriptFiles().filter((f) => SCRIPT_MIGRATION.test(f) && !ctx.isSetAside(f) && !f.endsWith('.d.ts'));
  // SQL a database container runs on first start (/docker-entrypoint-initdb.d), one set per Dockerfile or compose service.
  const inMigrations = new Set(sqlFiles);
  const initSets = new Map<string, InitSet>();
  for (const set of initdbSets(ctx)) {
    set.files = [...new Set(set.files)].filter((f) => !inMigrations.has(f) && !ctx.isSetAside(f));
    if (set.files.length > 0) initSets.set(set.root, set);
  }
  // Schema scripts: any other production SQL file that creates tables (`schema.sql`, `db/init.sql`,
  // a setup script beside the code), each applied on its own; only where neither migrations, a
  // database container's init scripts nor an ORM's models shape the schema (a `schema.sql` beside
  // them is a dump of what they make, often out of date, or SQL no database runs).
  const ormDescribed = ctx.consume('schemas.claims').some((c) => c.claimed.size > 0);
  const schemaFiles =
    sqlFiles.length > 0 || scriptFiles.length > 0 || initSets.size > 0 || ormDescribed
      ? []
      : ctx.filesMatching((f) => f.endsWith('.sql') && !isDownFile(f) && !ctx.isSetAside(f)).filter((f) => CREATE_TABLE.test(ctx.read(f) ?? ''));
  if (sqlFiles.length === 0 && scriptFiles.length === 0 && initSets.size === 0 && schemaFiles.length === 0) return;
  const { parse } = await import('pgsql-ast-parser');

  const sets = new Map<string, string[]>();
  for (const f of [...sqlFiles, ...scriptFiles]) {
    const root = setRoot(f);
    const list = sets.get(root);
    if (list) list.push(f);
    else sets.set(root, [f]);
  }
  for (const [root, set] of initSets) sets.set(root, set.files);
  for (const f of schemaFiles) sets.set(f, [f]);

  const entities = new Map<string, Entity>();
  const stores = new Map<string, DataStore>();
  for (const root of [...sets.keys()].sort(compareStrings)) {
    const files = sets.get(root)!.sort(naturalCompare);
    const state = new SchemaState();
    let backticks = false;
    let postgresOnly = false;
    let knexFolder = false;
    for (const file of files) {
      const isSql = file.endsWith('.sql');
      let statements: SqlStatement[] = [];
      let knexOps: KnexOp[] = [];
      if (isSql) {
        const text = ctx.read(file);
        if (text === undefined) continue;
        if (text.includes('`')) backticks = true;
        if (!postgresOnly) {
          const lower = text.toLowerCase();
          postgresOnly = POSTGRES_ONLY.some((w) => lower.includes(w));
        }
        statements = splitStatements(text);
      } else {
        const text = ctx.read(file);
        if (!text) continue;
        statements = read.scripts.get(file)?.statements ?? [];
        knexOps = read.scripts.get(file)?.knexOps ?? [];
        if (knexOps.length > 0) knexFolder = true;
      }
      // Raw SQL and schema-builder calls of one file run in source order.
      const steps: ({ line: number; st: SqlStatement } | { line: number; op: KnexOp })[] = [
        ...statements.map((st) => ({ line: st.line, st })),
        ...knexOps.map((op) => ({ line: op.line, op })),
      ];
      steps.sort((a, b) => a.line - b.line);
      for (const step of steps) {
        if ('op' in step) {
          runKnexOp(step.op, state);
          continue;
        }
        const st = step.st;
        if (!TABLE_DDL.test(st.text)) continue;
        const at: Evidence = { file, line: st.line };
        const deep = sqlTooDeep(st.text, MAX_NESTING);
        if (deep !== undefined) {
          ctx.warn(
            file,
            st.line + lineAt(st.text, deep) - 1,
            `nesting deeper than ${MAX_NESTING} levels; statement not parsed (the tables after this migration may be incomplete)`,
          );
          continue;
        }
        let parsed: unknown[] | undefined;
        try {
          // A very long statement is read by the simpler reader alone (see MAX_PARSED_STATEMENT).
          parsed = st.text.length > MAX_PARSED_STATEMENT ? undefined : (parse(st.text) as unknown[]);
        } catch {
          parsed = undefined;
        }
        try {
          if (parsed) {
            for (const s of parsed) applyAst(state, s as { type: string }, at);
          } else if (!applyFallback(state, st.text, at) && /^\s*(create|alter|drop|rename)\s+table/i.test(st.text)) {
            ctx.warn(file, st.line, 'SQL statement could not be parsed; the tables after this migration may be incomplete');
          }
        } catch (e) {
          // One statement's failure is a warning on it: the other statements and migrations are still applied.
          ctx.warn(file, st.line, `SQL statement could not be applied: ${(e as Error).message}; the tables after this migration may be incomplete`);
        }
      }
    }

    // The database of this migrations folder.
    let tech: string | undefined;
    let storeEvidence: Evidence | undefined;
    const lock = `${root}/migration_lock.toml`;
    if (ctx.has(lock)) {
      const m = /provider\s*=\s*"([^"]+)"/.exec(ctx.read(lock) ?? '');
      if (m && storeTech(m[1]!)) {
        tech = storeTech(m[1]!)!.tech;
        storeEvidence = { file: lock, line: (ctx.read(lock) ?? '').split('\n').findIndex((l) => l.includes('provider')) + 1 };
      }
    }
    const journal = `${root}/meta/_journal.json`;
    const init = initSets.get(root);
    if (init?.tech) {
      tech = init.tech;
      storeEvidence = init.storeEvidence;
    }
    if (!tech && ctx.has(journal)) {
      const d = (ctx.json(journal) as { dialect?: unknown } | undefined)?.dialect;
      if (typeof d === 'string' && storeTech(d)) tech = storeTech(d)!.tech;
    }
    // Knex migrations: the client of the package's Knex configuration; when it is not written
    // as a literal, every SQL driver the package depends on (the one used is chosen at run time).
    let candidates: { tech: string; evidence: Evidence }[] = [];
    if (!tech && knexFolder) {
      const pkg = ctx.packageOf(files[0]!);
      candidates = knexStores(ctx, pkg, read.clients);
      if (candidates.length === 1) {
        tech = candidates[0]!.tech;
        storeEvidence = candidates[0]!.evidence;
        candidates = [];
      }
    }
    if (!tech && candidates.length === 0) {
      const pkg = ctx.packageOf(files[0]!);
      for (const p of [pkg, ...ctx.workspace.packages.filter((x) => x !== pkg)]) {
        const hit = DRIVERS.find(([d]) => p?.dependencies.has(d));
        if (hit && p?.manifestFile) {
          tech = hit[1];
          storeEvidence = { file: p.manifestFile, line: p.dependencies.get(hit[0])!.line };
          break;
        }
      }
    }
    // Supabase's migrations are PostgreSQL's; so is SQL only PostgreSQL writes. Backticks quote MySQL's names.
    if (!tech && (root === 'supabase/migrations' || root.endsWith('/supabase/migrations') || postgresOnly)) tech = 'postgresql';
    if (!tech && backticks) tech = 'mysql';
    const storeId = tech ? dataStoreId(tech) : undefined;
    const component = ctx.componentOf(files[0]!);

    for (const t of [...state.tables.values()].sort((a, b) => compareStrings(tableKey(a.name), tableKey(b.name)))) {
      const id = entityId(t.name);
      if (
        isInternalTable(ctx, id) ||
        /^(_prisma_migrations|knex_migrations(_lock)?|kysely_migration(_lock)?|typeorm_metadata|migrations|schema_migrations|SequelizeMeta|__drizzle_migrations)$/i.test(
          t.name,
        )
      )
        continue;
      const evidence = sortedEvidence([t.created, ...(t.renamed ? [t.renamed] : [])]);
      const claim = claimedBy(ctx, id);
      if (claim) {
        // An ORM described this table: the migration is further evidence of the same entity, and
        // adds keys and indexes when the ORM declares none (Kysely).
        const full = toEntity(t, id, evidence, state, storeId, component);
        const prev = entities.get(id);
        const e: Entity = prev ?? { id, name: t.name, table: t.name, fields: [], relations: [], evidence };
        e.evidence = sortedEvidence([...e.evidence, ...evidence]);
        if (claim === 'columns') {
          e.relations = full.relations;
          if (full.indexes) e.indexes = full.indexes;
        }
        entities.set(id, e);
        continue;
      }
      entities.set(id, toEntity(t, id, evidence, state, storeId, component));
    }
    for (const cand of state.tables.size > 0 ? candidates : []) {
      const id = dataStoreId(cand.tech);
      const prev = stores.get(id);
      if (prev) {
        prev.evidence = sortedEvidence([...prev.evidence, cand.evidence]);
        if (component && !prev.usedBy.includes(component)) prev.usedBy = [...prev.usedBy, component].sort(compareStrings);
        continue;
      }
      const info = storeTech(cand.tech)!;
      stores.set(id, {
        id,
        name: info.name,
        tech: info.tech,
        kind: info.kind,
        usedBy: component ? [component] : [],
        evidence: [cand.evidence],
        details: { migrations: [root], client: 'chosen at run time' },
      });
    }
    if (storeId && tech && state.tables.size > 0) {
      const info = storeTech(tech)!;
      const prev = stores.get(storeId);
      const evidence = storeEvidence ?? { file: files[0]!, line: 1 };
      if (prev) {
        prev.evidence = sortedEvidence([...prev.evidence, evidence]);
        if (component && !prev.usedBy.includes(component)) prev.usedBy = [...prev.usedBy, component].sort(compareStrings);
        prev.details!.migrations = [...(prev.details!.migrations as string[]), root].sort(compareStrings);
      } else {
        stores.set(storeId, {
          id: storeId,
          name: info.name,
          tech: info.tech,
          kind: info.kind,
          usedBy: component ? [component] : [],
          evidence: [evidence],
          details: { migrations: [root] },
        });
      }
    }
  }
  // States of tables only migrations describe: transitions from code, as for ORM entities.
  const machines = [...entities.values()].flatMap((e) => (e.states ?? []).map((st) => ({ entity: e, entityId: e.id, field: st.field, values: st.values })));
  if (machines.length > 0) {
    const found = findTransitions(machines, writes, (file) => ctx.read(file));
    for (const m of machines) {
      const t = found.get(machineKey(m.entityId, m.field));
      if (t && t.length > 0) m.entity.states!.find((s) => s.field === m.field)!.transitions = t;
    }
  }
  for (const e of entities.values()) ctx.emit('schemas', e);
  for (const s of stores.values()) ctx.emit('dataStores', s);
}

export default defineAnalyzer({
  meta: {
    name: 'sql-migrations',
    description: 'Tables left by SQL migrations (and raw SQL in TypeORM/Knex migrations), applied in order',
    produces: ['schemas', 'dataStores'],
    consumes: ['schemas.claims'],
  },
  applies: (ctx) => ctx.files.some((f) => (SQL_FILE.test(f) && !isDownFile(f)) || SCRIPT_MIGRATION.test(f) || f.endsWith('.sql')),
  scan(ctx): FileScan {
    const read: ScriptReads = { scripts: new Map(), clients: new Map() };
    /** Every production script's writes, which the transitions of the tables' states are read from. */
    const writes = new Map<string, readonly StateWrite[]>();
    const keep = keepWrites(writes);
    /** Why a script is read: raw SQL, schema-builder calls, a Knex configuration (a cheap test on its path and text). */
    const why = (file: string) => {
      if (ctx.isSetAside(file)) return undefined;
      const text = ctx.read(file);
      if (!text) return undefined;
      const migration = SCRIPT_MIGRATION.test(file) && !file.endsWith('.d.ts');
      const reads = {
        sql: migration && /\b(query|raw|sql|execute|exec)\s*\(/.test(text),
        knex: migration && /\.(createTable|alterTable|table|dropTable|dropTableIfExists|renameTable|createTableIfNotExists)\s*\(/.test(text),
        config: !/(^|\/)node_modules\//.test(file) && text.includes('client') && (/(^|\/)knexfile\.[cm]?[jt]s$/.test(file) || /['"]knex['"]/.test(text)),
      };
      return reads.sql || reads.knex || reads.config ? reads : undefined;
    };
    return {
      wants: (file) => !ctx.isSetAside(file),
      visitIndex: (file, index) => {
        keep(file, index);
        const reads = why(file);
        if (reads?.sql || reads?.knex)
          read.scripts.set(file, { statements: reads.sql ? scriptStatements(index) : [], knexOps: reads.knex ? knexOperations(index, file) : [] });
        if (reads?.config) read.clients.set(file, knexClients(index));
      },
      finish: () => migrate(ctx, read, writes),
    };
  },
});

/**
 * The databases a package's Knex migrations go to: the literal `client` of its Knex
 * configuration (knexfile or `knex({...})`), else each SQL driver it depends on.
 */
function knexStores(
  ctx: AnalyzerContext,
  pkg: ReturnType<AnalyzerContext['packageOf']>,
  clients: ScriptReads['clients'],
): { tech: string; evidence: Evidence }[] {
  const found = new Map<string, Evidence>();
  for (const [file, hits] of clients) {
    if (ctx.packageOf(file) !== pkg) continue;
    for (const hit of hits) {
      const tech = storeTech(hit.client)?.tech;
      if (tech && !found.has(tech)) found.set(tech, { file, line: hit.line });
    }
  }
  if (found.size === 0 && pkg?.manifestFile) {
    for (const [driver, tech] of DRIVERS) {
      const dep = pkg.dependencies.get(driver);
      if (dep && !found.has(tech)) found.set(tech, { file: pkg.manifestFile, line: dep.line });
    }
  }
  return [...found].map(([tech, evidence]) => ({ tech, evidence })).sort((a, b) => compareStrings(a.tech, b.tech));
}

function toEntity(t: Table, id: string, evidence: Evidence[], state: SchemaState, store: string | undefined, component: string | undefined): Entity {
  const fields: Entity['fields'] = t.columns.map((c) => {
    const f: Entity['fields'][number] = { name: c.name, type: c.values && !/enum/i.test(c.type) ? c.type : c.type };
    if (c.nullable && !c.id) f.nullable = true;
    if (c.id) f.id = true;
    if (c.unique) f.unique = true;
    if (c.default !== undefined) f.default = c.default;
    return f;
  });
  const relations: Entity['relations'] = t.fks.map((fk) => {
    const single = fk.columns.length === 1 ? t.columns.find((c) => c.name.toLowerCase() === fk.columns[0]!.toLowerCase()) : undefined;
    const oneToOne = single && (single.unique || (single.id && t.columns.filter((c) => c.id).length === 1));
    return {
      name: fk.columns.join(', '),
      target: entityId(state.get(fk.table)?.name ?? fk.table),
      cardinality: oneToOne ? 'one-to-one' : 'many-to-one',
      foreignKey: fk.columns.join(', '),
    };
  });
  const states = t.columns
    .filter((c) => c.values && c.values.length > 0 && STATE_FIELD.test(c.name))
    .map((c) => {
      const s: NonNullable<Entity['states']>[number] = { field: c.name, values: c.values! };
      if (c.default !== undefined && c.values!.includes(c.default)) s.initial = c.default;
      return s;
    });
  const e: Entity = { id, name: t.name, table: t.name, orm: 'sql', fields, relations, evidence };
  if (store) e.store = store;
  if (component) e.component = component;
  const indexes = [...new Set(t.indexes.map((i) => i.text))];
  if (indexes.length > 0) e.indexes = indexes;
  if (states.length > 0) e.states = states;
  return e;
}
