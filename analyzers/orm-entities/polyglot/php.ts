/**
 * PHP, Laravel: the tables `up()` of each migration creates (`Schema::create('users', function
 * (Blueprint $table) { … })`), with the columns of the schema builder (`$table->string('slug')
 * ->unique()`, `id()`, `timestamps()`, `foreignId('author_id')->constrained('users')`) and the
 * columns later migrations add (`Schema::table`), applied in file-name order; Eloquent models
 * (classes extending `Model`, `Authenticatable` or `Pivot`) name the table they map: their
 * `$table`, else the class name pluralised in snake case. A Laravel application (the folder of a
 * composer.json) uses the connection `.env.example` sets (`DB_CONNECTION`), else the default of
 * `config/database.php` (`'default' => env('DB_CONNECTION', 'mysql')`).
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PCall, PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { pluralise, snakeCase } from '../../../src/data/ids.js';
import { compareStrings } from '../../../src/model/compare.js';
import type { Entity } from '../../../src/model/schema.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';

export function phpWants(text: string): boolean {
  return text.includes('Schema::create') || text.includes('Illuminate\\Database\\Eloquent');
}

const MODEL_BASES = new Set(['Model', 'Authenticatable', 'Pivot']);
/** Laravel's connection names → store. */
const CONNECTIONS: Record<string, string> = {
  pgsql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  sqlsrv: 'sqlserver',
  mongodb: 'mongodb',
};
/** Schema-builder calls that add columns of their own names. */
const IMPLIED: Record<string, { name: string; type: string; id?: boolean }[]> = {
  id: [{ name: 'id', type: 'bigIncrements', id: true }],
  timestamps: [
    { name: 'created_at', type: 'timestamp' },
    { name: 'updated_at', type: 'timestamp' },
  ],
  timestampsTz: [
    { name: 'created_at', type: 'timestampTz' },
    { name: 'updated_at', type: 'timestampTz' },
  ],
  softDeletes: [{ name: 'deleted_at', type: 'timestamp' }],
  rememberToken: [{ name: 'remember_token', type: 'string' }],
};
/** Builder calls that are no column (keys and indexes on columns named elsewhere). */
const NOT_COLUMNS = new Set([
  'primary',
  'unique',
  'index',
  'foreign',
  'dropColumn',
  'renameColumn',
  'dropForeign',
  'dropIndex',
  'engine',
  'charset',
  'collation',
  'comment',
]);

const str = (c: PCall, i: number): string | undefined => {
  const v = c.args[i];
  return v?.k === 'str' && !v.template ? v.v : undefined;
};

interface Table {
  entity: PolyEntity;
}

export function phpFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const tables = new Map<string, Table>();
  const migrations = indexes.filter((ix) => /(^|\/)migrations\//.test(ix.file)).sort((a, b) => compareStrings(a.file, b.file));
  for (const ix of migrations) {
    ix.calls.forEach((c, k) => {
      if (c.fn !== 'up' || c.callee.length !== 2 || c.callee[0] !== 'Schema' || (c.callee[1] !== 'create' && c.callee[1] !== 'table')) return;
      const name = str(c, 0);
      if (!name) return;
      let t = tables.get(name);
      if (!t && c.callee[1] === 'create') {
        t = { entity: { name, table: name, orm: 'Eloquent', file: ix.file, line: c.line, fields: [], relations: [] } };
        tables.set(name, t);
      }
      if (t) columns(ix.calls, k, t.entity);
    });
  }
  const entities: PolyEntity[] = [];
  for (const ix of indexes) {
    for (const cls of ix.classes) {
      if (!cls.bases.some((b) => MODEL_BASES.has(b.slice(b.lastIndexOf('\\') + 1)))) continue;
      const own = ix.assigns.find((a) => a.owner === cls.name && !a.fn && a.name[a.name.length - 1] === '$table');
      const table = own?.value.k === 'str' ? own.value.v : snakeCase(pluralise(cls.name));
      const t = tables.get(table);
      if (t) {
        t.entity.name = cls.name;
        t.entity.more = [...(t.entity.more ?? []), { file: ix.file, line: cls.line }];
      } else entities.push({ name: cls.name, table, orm: 'Eloquent', file: ix.file, line: cls.line, fields: [], relations: [] });
    }
  }
  for (const t of tables.values()) entities.push(t.entity);
  return { entities, stores: phpStores(ctx) };
}

/** The columns, keys and foreign keys a `Schema::create`/`table` closure's builder calls declare. */
function columns(calls: readonly PCall[], within: number, e: PolyEntity): void {
  const chainOf = (k: number): PCall[] => {
    const out: PCall[] = [];
    for (let i = k + 1; i < calls.length && out.length < 16; i++) {
      const r = calls[i]!.receiver;
      if (r !== undefined && (r === k || out.some((o) => calls.indexOf(o) === r))) out.push(calls[i]!);
    }
    return out;
  };
  for (let k = within + 1; k < calls.length; k++) {
    const c = calls[k]!;
    if (c.within !== within || c.receiver !== undefined || c.callee.length !== 2) continue;
    const method = c.callee[1]!;
    const implied = IMPLIED[method];
    if (implied) {
      for (const f of implied) if (!e.fields.some((x) => x.name === f.name)) e.fields.push({ ...f });
      continue;
    }
    const name = str(c, 0);
    if (!name || NOT_COLUMNS.has(method) || method.startsWith('drop')) continue;
    const chain = chainOf(k);
    const field: Entity['fields'][number] = { name, type: method };
    if (/^(bigIncrements|increments|uuid|ulid)$/.test(method) && (method.endsWith('ncrements') || chain.some((x) => x.callee[0] === 'primary')))
      field.id = true;
    if (chain.some((x) => x.callee[0] === 'nullable')) field.nullable = true;
    if (chain.some((x) => x.callee[0] === 'unique')) field.unique = true;
    if (!e.fields.some((x) => x.name === name)) e.fields.push(field);
    // foreignId('author_id')->constrained('users'); ->references('id')->on('users').
    const constrained = chain.find((x) => x.callee[0] === 'constrained');
    const on = chain.find((x) => x.callee[0] === 'on');
    const target = constrained ? (str(constrained, 0) ?? (name.endsWith('_id') ? pluralise(name.slice(0, -3)) : undefined)) : on ? str(on, 0) : undefined;
    if (target && !e.relations.some((r) => r.name === name)) e.relations.push({ name, table: target, cardinality: 'many-to-one', foreignKey: name });
  }
}

function phpStores(ctx: AnalyzerContext): PolyStore[] {
  const stores: PolyStore[] = [];
  const apps = ctx.filesMatching((f) => /(^|\/)composer\.json$/.test(f) && !ctx.isSetAside(f));
  for (const composer of [...apps].sort(compareStrings)) {
    const unit = dirOf(composer);
    const prefix = unit ? `${unit}/` : '';
    const env = ctx.read(`${prefix}.env.example`);
    let hit: PolyStore | undefined;
    env?.split('\n').forEach((l, i) => {
      const m = /^\s*DB_CONNECTION\s*=\s*"?(\w+)/.exec(l);
      if (!hit && m && CONNECTIONS[m[1]!])
        hit = { tech: CONNECTIONS[m[1]!]!, unit, evidence: { file: `${prefix}.env.example`, line: i + 1 }, envVars: ['DB_CONNECTION'] };
    });
    if (!hit) {
      ctx
        .read(`${prefix}config/database.php`)
        ?.split('\n')
        .forEach((l, i) => {
          if (hit || !/^\s*'default'\s*=>/.test(l)) return;
          const quoted = l.split("'").filter((_, j) => j % 2 === 1);
          const name = quoted.find((q) => CONNECTIONS[q]);
          if (name)
            hit = {
              tech: CONNECTIONS[name]!,
              unit,
              evidence: { file: `${prefix}config/database.php`, line: i + 1 },
              envVars: l.includes('DB_CONNECTION') ? ['DB_CONNECTION'] : [],
            };
        });
    }
    if (hit) stores.push(hit);
  }
  return stores;
}
