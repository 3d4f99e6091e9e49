/**
 * Go: gorm models (the structs given to `AutoMigrate`, and structs embedding `gorm.Model`) and bun
 * models (structs embedding `bun.BaseModel` or whose fields carry `bun:"…"` tags). Table: a
 * `TableName()` method returning a literal, bun's `bun:"table:x"`, else both ORMs' default, the
 * struct's name in snake case and plural. Fields are the struct's, as columns (a tag's `column:`
 * or bun's first name, else the field in snake case), with keys from the tags; a field of another
 * model's type is a relation. Databases: what `gorm.Open` (`postgres.Open(dsn)`, v1's
 * `"sqlite3"`), `sql.Open`/`sqlx.Connect` (the driver's name), a bun dialect or pgx opens.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { lex, type Token } from '../../../src/analysis/polyglot/lex.js';
import { pluralise, snakeCase } from '../../../src/data/ids.js';
import { compareStrings } from '../../../src/model/compare.js';
import type { Entity } from '../../../src/model/schema.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';

export function goWants(text: string): boolean {
  return (
    text.includes('gorm.io/') || text.includes('jinzhu/gorm') || text.includes('uptrace/bun') || text.includes('database/sql') || text.includes('jmoiron/sqlx')
  );
}

/** Driver names (`sql.Open("pgx", …)`, gorm v1's `gorm.Open("postgres", …)`, gorm's driver packages) → store. */
const DRIVERS: Record<string, string> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pgx: 'postgresql',
  mysql: 'mysql',
  sqlite3: 'sqlite',
  sqlite: 'sqlite',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  cockroachdb: 'cockroachdb',
};
/** bun's dialect packages → store. */
const BUN_DIALECTS: Record<string, string> = { pgdialect: 'postgresql', mysqldialect: 'mysql', sqlitedialect: 'sqlite', mssqldialect: 'sqlserver' };
const SQL_OPENERS = new Set(['sql.Open', 'sqlx.Open', 'sqlx.Connect', 'sqlx.MustConnect', 'sqlx.MustOpen', 'sqlx.ConnectContext']);

interface GoField {
  /** Field name; an embedded struct's is its type's (`gorm.Model` → Model). */
  name: string;
  /** The type as written, pointers dropped (`[]Tag`, `time.Time`). */
  type: string;
  embedded: boolean;
  /** Struct tag keys: `gorm:"primaryKey;column:uid"` → gorm → primaryKey;column:uid. */
  tags: Map<string, string>;
  line: number;
}

interface GoStruct {
  name: string;
  file: string;
  line: number;
  fields: GoField[];
  /** A `TableName()` method's literal. */
  tableName?: string;
}

/** A struct tag's `key:"value"` pairs. */
function parseTag(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < raw.length) {
    while (raw[i] === ' ') i++;
    const colon = raw.indexOf(':"', i);
    if (colon < 0) break;
    const end = raw.indexOf('"', colon + 2);
    if (end < 0) break;
    out.set(raw.slice(i, colon), raw.slice(colon + 2, end));
    i = end + 1;
  }
  return out;
}

/** One file's structs with their fields and tags, and `TableName()` literals, from its tokens. */
function readStructs(file: string, t: readonly Token[]): GoStruct[] {
  const out: GoStruct[] = [];
  const tableNames = new Map<string, string>();
  /** Braces open outside struct bodies: a struct of a grouped `type ( … )` declaration is at none. */
  let braces = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.k === 'op' && t[i]!.v === '{') braces++;
    else if (t[i]!.k === 'op' && t[i]!.v === '}') braces--;
    if (t[i]!.k !== 'id') continue;
    const before = t[i - 1];
    const declares = before?.v === 'type' || (braces === 0 && (before?.k === 'nl' || before?.v === '(' || before?.v === '}'));
    if (declares && t[i + 1]?.v === 'struct' && t[i + 2]?.v === '{') {
      const s: GoStruct = { name: t[i]!.v, file, line: t[i]!.line, fields: [] };
      let depth = 0;
      let line: Token[] = [];
      let j = i + 2;
      for (; j < t.length; j++) {
        const v = t[j]!;
        if (v.k === 'op' && v.v === '{') depth++;
        else if (v.k === 'op' && v.v === '}') depth--;
        if (depth === 0) break;
        if (depth === 1 && (v.k === 'nl' || (v.k === 'op' && v.v === ';'))) {
          const f = fieldOf(line);
          if (f) s.fields.push(f);
          line = [];
        } else if (depth >= 1 && !(depth === 1 && v.v === '{' && line.length === 0)) line.push(v);
      }
      const f = fieldOf(line);
      if (f) s.fields.push(f);
      out.push(s);
      i = j;
    } else if (t[i]!.v === 'TableName' && t[i - 1]?.v === ')' && t[i + 1]?.v === '(' && t[i + 2]?.v === ')') {
      // `func (User) TableName() string { return "people" }`: the receiver's type is the last name in its parentheses.
      let k = i - 2;
      while (k > 0 && t[k]!.v !== '(') k--;
      const recv = [...t.slice(k + 1, i - 1)].reverse().find((x) => x.k === 'id')?.v;
      let r = i + 3;
      while (r < t.length && r < i + 12 && t[r]!.v !== 'return') r++;
      if (recv && t[r]?.v === 'return' && t[r + 1]?.k === 'str') tableNames.set(recv, t[r + 1]!.v);
    }
  }
  for (const s of out) {
    const tn = tableNames.get(s.name);
    if (tn) s.tableName = tn;
  }
  return out;
}

/** A struct's line of tokens as a field: `Name Type \`tag\``, `A, B int`, an embedded `gorm.Model`. */
function fieldOf(line: readonly Token[]): GoField | undefined {
  const tagTok = line[line.length - 1]?.k === 'str' ? line[line.length - 1] : undefined;
  const body = tagTok ? line.slice(0, -1) : line;
  if (body.length === 0 || body[0]!.k !== 'id') return undefined;
  const tags = tagTok ? parseTag(tagTok.v) : new Map<string, string>();
  const text = body
    .map((x) => x.v)
    .join('')
    .replaceAll('*', '');
  // Embedded: one name, or a package's (`gorm.Model`).
  const embedded =
    body.every((x) => x.k === 'id' || x.v === '.' || x.v === '*') && body.filter((x) => x.k === 'id').length <= 2 && (body.length === 1 || body[1]!.v === '.');
  const at = body[0]!.line;
  if (embedded) return { name: body[body.length - 1]!.v, type: text, embedded: true, tags, line: at };
  const type = body
    .slice(1)
    .map((x) => x.v)
    .join('')
    .replaceAll('*', '');
  return { name: body[0]!.v, type, embedded: false, tags, line: at };
}

const GORM_MODEL_FIELDS: Entity['fields'] = [
  { name: 'id', type: 'uint', id: true },
  { name: 'created_at', type: 'time.Time' },
  { name: 'updated_at', type: 'time.Time' },
  { name: 'deleted_at', type: 'gorm.DeletedAt', nullable: true },
];

/** The struct names a file's `AutoMigrate(&User{}, model.Tag{})` calls are given. */
function migrated(t: readonly Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.v !== 'AutoMigrate' || t[i]!.k !== 'id' || t[i + 1]?.v !== '(' || t[i - 1]?.v !== '.') continue;
    let depth = 0;
    for (let j = i + 1; j < t.length; j++) {
      const v = t[j]!;
      if (v.v === '(' || v.v === '{' || v.v === '[') depth++;
      else if (v.v === ')' || v.v === '}' || v.v === ']') depth--;
      if (depth === 0) break;
      if (v.k === 'id' && t[j + 1]?.v === '{' && depth === 1) out.push(v.v);
    }
  }
  return out;
}

const bare = (type: string): string => type.replace(/^\[\]/, '').slice(type.replace(/^\[\]/, '').lastIndexOf('.') + 1);

/**
 * The join table gorm creates for `Tags []Tag \`gorm:"many2many:article_tags"\``: named as the tag
 * says, its key the two models' foreign keys (`<model>_<key>` in snake case, gorm's default), each a
 * relation to its model.
 */
function joinTable(table: string, owner: GoStruct, target: GoStruct, line: number, tableOf: (s: GoStruct) => string): PolyEntity {
  const keyOf = (s: GoStruct): { column: string; type: string } => {
    const id = s.fields.find((f) => f.name === 'ID' || /primarykey|primary_key/i.test(f.tags.get('gorm') ?? ''));
    const embedsModel = s.fields.some((f) => f.embedded && f.type === 'gorm.Model');
    return { column: `${snakeCase(s.name)}_${id ? snakeCase(id.name) : 'id'}`, type: id?.type ?? (embedsModel ? 'uint' : 'unknown') };
  };
  const a = keyOf(owner);
  const b = keyOf(target);
  const e: PolyEntity = { name: table, table, orm: 'GORM', file: owner.file, line, fields: [], relations: [] };
  for (const [k, s] of [
    [a, owner],
    [b, target],
  ] as const) {
    if (e.fields.some((f) => f.name === k.column)) continue;
    e.fields.push({ name: k.column, type: k.type, id: true });
    e.relations.push({ name: snakeCase(s.name), table: tableOf(s), cardinality: 'many-to-one', foreignKey: k.column });
  }
  return e;
}

export function goFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const structs: GoStruct[] = [];
  const names = new Set<string>();
  for (const ix of indexes) {
    const text = ctx.read(ix.file);
    if (text === undefined) continue;
    const t = lex(text, 'go').tokens;
    structs.push(...readStructs(ix.file, t));
    for (const n of migrated(t)) names.add(n);
  }
  // gorm migrates a model's associations with it: a struct a migrated model holds (`Tags []Tag`), when
  // gorm tags or an `ID` say it is a table, is a model too.
  const declared = new Map(structs.map((s) => [s.name, s]));
  const tabled = (s: GoStruct): boolean => s.fields.some((f) => f.tags.has('gorm') || f.name === 'ID' || (f.embedded && f.type === 'gorm.Model'));
  for (let queue = [...names]; queue.length > 0; ) {
    const s = declared.get(queue.pop()!);
    for (const f of s?.fields ?? []) {
      const target = declared.get(bare(f.type));
      if (!f.embedded && target && !names.has(target.name) && tabled(target)) {
        names.add(target.name);
        queue.push(target.name);
      }
    }
  }
  const usesBun = indexes.some((ix) => ix.imports.some((i) => i.module.startsWith('github.com/uptrace/bun')));
  const orm = (s: GoStruct): string | undefined => {
    if (s.fields.some((f) => f.embedded && f.type === 'bun.BaseModel') || (usesBun && s.fields.some((f) => f.tags.has('bun')))) return 'Bun';
    if (names.has(s.name) || s.fields.some((f) => f.embedded && f.type === 'gorm.Model')) return 'GORM';
    return undefined;
  };
  const models = structs.filter((s) => orm(s)).sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line);
  // One model per name (the first by file): a package's struct of the same name elsewhere is another type.
  const byName = new Map<string, GoStruct>();
  for (const s of models) if (!byName.has(s.name)) byName.set(s.name, s);
  const structByName = new Map<string, GoStruct>();
  for (const s of structs) if (!structByName.has(s.name)) structByName.set(s.name, s);
  const tableOf = (s: GoStruct): string => {
    const bunTable = s.fields.find((f) => f.embedded && f.type === 'bun.BaseModel')?.tags.get('bun');
    const fromTag = bunTable
      ?.split(',')
      .find((x) => x.startsWith('table:'))
      ?.slice(6);
    return s.tableName ?? fromTag ?? pluralise(snakeCase(s.name));
  };
  const entities: PolyEntity[] = [];
  const joins: PolyEntity[] = [];
  for (const s of byName.values()) {
    const kind = orm(s)!;
    const e: PolyEntity = { name: s.name, table: tableOf(s), orm: kind, file: s.file, line: s.line, fields: [], relations: [] };
    const fields = s.fields.flatMap((f) =>
      f.embedded && f.type !== 'gorm.Model' ? (structByName.get(bare(f.type))?.fields.filter((x) => !x.embedded) ?? []) : [f],
    );
    for (const f of fields) {
      if (f.embedded) {
        for (const g of GORM_MODEL_FIELDS) if (!e.fields.some((x) => x.name === g.name)) e.fields.push(g);
        continue;
      }
      const gorm = (f.tags.get('gorm') ?? '').split(';');
      const bun = (f.tags.get('bun') ?? '').split(',');
      if (gorm[0] === '-' || bun[0] === '-') continue;
      const target = byName.get(bare(f.type));
      if (target) {
        const many = f.type.startsWith('[]');
        const m2m = gorm.find((x) => x.startsWith('many2many:')) ?? bun.find((x) => x.startsWith('m2m:'));
        const fkField = fields.find((x) => x.name === `${f.name}ID`);
        const cardinality: Entity['relations'][number]['cardinality'] = m2m ? 'many-to-many' : many ? 'one-to-many' : fkField ? 'many-to-one' : 'one-to-one';
        e.relations.push({ name: snakeCase(f.name), table: tableOf(target), cardinality, ...(fkField ? { foreignKey: snakeCase(fkField.name) } : {}) });
        const join = gorm.find((x) => x.startsWith('many2many:'))?.slice(10);
        if (join && kind === 'GORM') joins.push(joinTable(join, s, target, f.line, tableOf));
        continue;
      }
      const column = gorm.find((x) => x.startsWith('column:'))?.slice(7) ?? (bun[0] && !bun[0].includes(':') ? bun[0] : undefined) ?? snakeCase(f.name);
      const field: Entity['fields'][number] = { name: column, type: f.type };
      const lower = gorm.map((x) => x.toLowerCase());
      if (lower.includes('primary_key') || lower.includes('primarykey') || bun.includes('pk') || (kind === 'GORM' && f.name === 'ID')) field.id = true;
      if (lower.some((x) => x === 'unique' || x.startsWith('unique_index') || x.startsWith('uniqueindex')) || bun.includes('unique')) field.unique = true;
      if (!e.fields.some((x) => x.name === column)) e.fields.push(field);
    }
    entities.push(e);
  }
  // A join table is an entity of its own, once (both sides may name it), unless a model maps it.
  for (const j of joins) if (!entities.some((e) => e.table === j.table)) entities.push(j);
  return { entities, stores: goStores(indexes, ctx) };
}

/** The databases a unit (the folder of its go.mod) opens. */
function goStores(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyStore[] {
  const modules = new Set<string>();
  for (const f of ctx.files) if (f === 'go.mod' || f.endsWith('/go.mod')) modules.add(dirOf(f));
  const unitOf = (file: string): string => {
    for (let dir = dirOf(file); ; dir = dirOf(dir)) {
      if (modules.has(dir)) return dir;
      // No go.mod (a GOPATH project): the repository is the unit.
      if (dir === '') return '';
    }
  };
  const out: PolyStore[] = [];
  const addStore = (tech: string | undefined, file: string, line: number): void => {
    if (!tech) return;
    const unit = unitOf(file);
    // One database a unit: its first mention is the evidence (an entity takes the unit's only database).
    if (!out.some((s) => s.tech === tech && s.unit === unit)) out.push({ tech, unit, evidence: { file, line } });
  };
  for (const ix of indexes) {
    const moduleOf = (alias: string): string | undefined => ix.imports.find((i) => i.alias === alias)?.module;
    const base = ix.file.slice(ix.file.lastIndexOf('/') + 1).toLowerCase();
    for (const c of ix.calls) {
      // CockroachDB speaks PostgreSQL's protocol: a PostgreSQL driver opened in a function or file
      // that names CockroachDB (`NewCockroachORM`, cockroach.go) opens CockroachDB.
      const cockroach = base.includes('cockroach') || (c.fn ?? '').toLowerCase().includes('cockroach');
      const add = (tech: string | undefined, file: string, line: number): void =>
        addStore(tech === 'postgresql' && cockroach ? 'cockroachdb' : tech, file, line);
      const callee = c.callee.join('.');
      const a0 = c.args[0];
      if (callee === 'gorm.Open') {
        if (a0?.k === 'str') add(DRIVERS[a0.v], ix.file, c.line);
        else if (a0?.k === 'call') {
          // gorm v2: `gorm.Open(postgres.Open(dsn))`, the driver package named by its import.
          const inner = ix.calls[a0.call];
          const module = inner && inner.callee.length === 2 ? moduleOf(inner.callee[0]!) : undefined;
          if (module?.startsWith('gorm.io/driver/')) add(DRIVERS[module.slice(15).split('/')[0]!], ix.file, c.line);
        }
      } else if (SQL_OPENERS.has(callee) && a0?.k === 'str') add(DRIVERS[a0.v], ix.file, c.line);
      else if (
        c.callee.length === 2 &&
        c.callee[1] === 'New' &&
        BUN_DIALECTS[c.callee[0]!] &&
        moduleOf(c.callee[0]!)?.startsWith('github.com/uptrace/bun/dialect/')
      )
        add(BUN_DIALECTS[c.callee[0]!], ix.file, c.line);
      else if ((c.callee[0] === 'pgxpool' || c.callee[0] === 'pgx') && c.callee.length === 2 && moduleOf(c.callee[0])?.startsWith('github.com/jackc/pgx'))
        add('postgresql', ix.file, c.line);
    }
  }
  return out;
}
