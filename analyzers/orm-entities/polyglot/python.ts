/**
 * Python: SQLAlchemy declarative classes (`__tablename__`), Flask-SQLAlchemy `db.Model` classes
 * (table: `__tablename__`, else the class name in snake case), SQLModel `table=True` classes
 * (`__tablename__`, else the class name in lower case), Django models (`Meta.db_table`, else
 * `<app>_<model>`; abstract models give their fields, no table) and SQLAlchemy Core
 * `Table('name', metadata, Column(…))`. Fields are the class attributes given a column
 * (`Column`, `mapped_column`, `Field`, a Django `…Field`), with their keys as written.
 * Databases: Django's `DATABASES` engines and database URLs written in code
 * (`postgresql+asyncpg://…`, `sqlite:///…`); never guessed from a driver alone.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { lex } from '../../../src/analysis/polyglot/lex.js';
import { snakeCase } from '../../../src/data/ids.js';
import type { Entity } from '../../../src/model/schema.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';

const WANTS = ['sqlalchemy', 'sqlmodel', 'django', 'flask_sqlalchemy'];

export function pythonWants(text: string): boolean {
  return WANTS.some((w) => text.includes(w));
}

type Kind = 'django' | 'flask' | 'sqlmodel' | 'sqlalchemy';
const ORM_LABEL: Record<Kind, string> = { django: 'Django', flask: 'Flask-SQLAlchemy', sqlmodel: 'SQLModel', sqlalchemy: 'SQLAlchemy' };
/** Database URL schemes (`postgresql+psycopg://`): the part before `+` or `://`. */
const URL_SCHEMES = new Set(['postgresql', 'postgres', 'mysql', 'mariadb', 'sqlite', 'mssql', 'oracle', 'cockroachdb']);
/** Folders holding a Python project's build or entry file: a database found in them is the unit's. */
const PROJECT_FILES = new Set(['pyproject.toml', 'requirements.txt', 'setup.py', 'Pipfile', 'manage.py', 'setup.cfg']);
const DJANGO_USER_BASES = new Set(['AbstractBaseUser', 'AbstractUser', 'auth_models.AbstractUser', 'auth_models.AbstractBaseUser']);
const DJANGO_RELATIONS: Record<string, Entity['relations'][number]['cardinality']> = {
  ForeignKey: 'many-to-one',
  OneToOneField: 'one-to-one',
  ManyToManyField: 'many-to-many',
};

type Cls = PolyglotIndex['classes'][number];
interface ClassAt {
  ix: PolyglotIndex;
  cls: Cls;
}

const last = (path: readonly string[]): string => path[path.length - 1] ?? '';
const str = (v: PValue | undefined): string | undefined => (v?.k === 'str' && !v.template ? v.v : undefined);
const isTrue = (v: PValue | undefined): boolean => v?.k === 'name' && v.path.join('.') === 'True';
const kwOf = (c: PCall, name: string): PValue | undefined => c.kw.find((k) => k.name === name)?.value;

/** A class attribute's assignment in the class body (not in a method). */
function classAttr(ix: PolyglotIndex, cls: string, name: string): PValue | undefined {
  return ix.assigns.find((a) => a.owner === cls && !a.fn && a.name.length === 1 && a.name[0] === name)?.value;
}

/** A `class Meta:` attribute of a Django model. */
function metaAttr(ix: PolyglotIndex, cls: string, name: string): PValue | undefined {
  return ix.assigns.find((a) => a.owner === 'Meta' && !a.fn && a.name.length === 1 && a.name[0] === name && insideMeta(ix, cls, a.line))?.value;
}

/** Whether a line lies in the `Meta` class nested in `cls` (several models of one file each have their own). */
function insideMeta(ix: PolyglotIndex, cls: string, line: number): boolean {
  const metas = ix.classes.filter((c) => c.name === 'Meta').sort((a, b) => a.line - b.line);
  const before = metas.filter((m) => m.line < line);
  return before[before.length - 1]?.owner === cls;
}

/** Names bound to a declarative base: `Base = declarative_base()`, `class Base(DeclarativeBase)`. */
function declarativeBases(indexes: readonly PolyglotIndex[]): Set<string> {
  const out = new Set<string>();
  for (const ix of indexes) {
    for (const a of ix.assigns) {
      if (a.value.k !== 'call' || a.owner || a.fn) continue;
      const callee = last(ix.calls[a.value.call]?.callee ?? []);
      if (callee === 'declarative_base' || callee === 'as_declarative_base') out.add(last(a.name));
    }
    for (const c of ix.classes) if (c.bases.some((b) => ['DeclarativeBase', 'DeclarativeBaseNoMeta'].includes(last(b.split('.'))))) out.add(c.name);
  }
  return out;
}

/** The ORM a class's bases lead to, followed through the project's classes by name. */
function kindOf(c: ClassAt, byName: Map<string, ClassAt[]>, bases: Set<string>, seen: Set<string>): Kind | undefined {
  if (seen.has(c.cls.name) || seen.size > 20) return undefined;
  seen.add(c.cls.name);
  for (const b of c.cls.bases) {
    // Django's abstract user models are models too (`class User(AbstractBaseUser, PermissionsMixin)`).
    if (b === 'models.Model' || DJANGO_USER_BASES.has(b)) return 'django';
    if (b === 'db.Model') return 'flask';
    if (b === 'SQLModel' || b === 'sqlmodel.SQLModel') return 'sqlmodel';
    const name = last(b.split('.'));
    if (bases.has(name) && name !== c.cls.name) return 'sqlalchemy';
    for (const next of byName.get(name) ?? []) {
      if (next === c) continue;
      const k = kindOf(next, byName, bases, seen);
      if (k) return k;
    }
  }
  return undefined;
}

/** Django's app label: the folder of `models.py` (or of the `models/` package). */
function djangoApp(file: string): string {
  const dir = dirOf(file);
  const app = dir.endsWith('/models') || dir === 'models' ? dirOf(dir) : dir;
  return app.slice(app.lastIndexOf('/') + 1);
}

/** A column's type: its type argument (`Integer`, `String(120)`, `sa.Integer`), else unknown. */
function columnType(ix: PolyglotIndex, args: readonly PValue[]): string {
  for (const a of args) {
    if (a.k === 'name') return last(a.path);
    if (a.k === 'call') {
      const callee = last(ix.calls[a.call]?.callee ?? []);
      if (callee !== 'ForeignKey') return callee;
    }
  }
  return 'unknown';
}

/** `ForeignKey('users.id')` among a column's arguments: the table it points at. */
function foreignTable(ix: PolyglotIndex, call: PCall): string | undefined {
  for (const a of call.args) {
    if (a.k !== 'call') continue;
    const fk = ix.calls[a.call];
    const target = fk && last(fk.callee) === 'ForeignKey' ? str(fk.args[0]) : undefined;
    if (target?.includes('.')) return target.slice(0, target.lastIndexOf('.'));
  }
  const sqlmodel = str(kwOf(call, 'foreign_key'));
  return sqlmodel?.includes('.') ? sqlmodel.slice(0, sqlmodel.lastIndexOf('.')) : undefined;
}

interface Pending {
  entity: PolyEntity;
  /** Django relations by the target's class name, resolved once every model is known. */
  byClass: { name: string; target: string; cardinality: Entity['relations'][number]['cardinality']; foreignKey?: string }[];
}

/** One column-bearing call of a class or table: a field, and the relation its foreign key makes. */
function column(ix: PolyglotIndex, name: string, call: PCall, kind: Kind | 'core', p: Pending): void {
  const callee = last(call.callee);
  if (kind === 'django') {
    const rel = DJANGO_RELATIONS[callee];
    if (!rel && !callee.endsWith('Field')) return;
    const f: Entity['fields'][number] = { name: rel && rel !== 'many-to-many' ? `${name}_id` : name, type: callee };
    if (isTrue(kwOf(call, 'primary_key'))) f.id = true;
    if (isTrue(kwOf(call, 'unique'))) f.unique = true;
    if (isTrue(kwOf(call, 'null'))) f.nullable = true;
    if (rel !== 'many-to-many') p.entity.fields.push(f);
    const target = rel ? (str(call.args[0]) ?? (call.args[0]?.k === 'name' ? last(call.args[0].path) : undefined)) : undefined;
    if (rel && target)
      p.byClass.push({
        name,
        target: target === 'self' ? p.entity.name : last(target.split('.')),
        cardinality: rel,
        ...(rel === 'many-to-one' ? { foreignKey: `${name}_id` } : {}),
      });
    return;
  }
  if (!['Column', 'mapped_column', 'Field'].includes(callee)) return;
  // Core's `Column('name', Type, …)` names its column first.
  const colName = kind === 'core' ? str(call.args[0]) : name;
  if (!colName) return;
  const f: Entity['fields'][number] = { name: colName, type: columnType(ix, kind === 'core' ? call.args.slice(1) : call.args) };
  if (isTrue(kwOf(call, 'primary_key'))) f.id = true;
  if (isTrue(kwOf(call, 'unique'))) f.unique = true;
  if (isTrue(kwOf(call, 'nullable'))) f.nullable = true;
  p.entity.fields.push(f);
  const table = foreignTable(ix, call);
  if (table) p.entity.relations.push({ name: colName, table, cardinality: 'many-to-one', foreignKey: colName });
}

/** A Python project's folder at or above a file (where its build or entry file is), else the repository. */
function unitOf(file: string, projectDirs: ReadonlySet<string>): string {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (projectDirs.has(dir)) return dir;
    if (dir === '') return '';
  }
}

export function pythonFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const byName = new Map<string, ClassAt[]>();
  for (const ix of indexes) for (const cls of ix.classes) byName.set(cls.name, [...(byName.get(cls.name) ?? []), { ix, cls }]);
  const bases = declarativeBases(indexes);
  const pending: Pending[] = [];
  for (const ix of indexes) {
    for (const cls of ix.classes) {
      if (cls.name === 'Meta' && cls.owner) continue;
      const kind = kindOf({ ix, cls }, byName, bases, new Set());
      if (!kind) continue;
      const table = tableOf(ix, cls, kind);
      if (!table) continue;
      const p: Pending = { entity: { name: cls.name, table, orm: ORM_LABEL[kind], file: ix.file, line: cls.line, fields: [], relations: [] }, byClass: [] };
      // Own columns, then those of the abstract models and mixins it inherits (nearest first).
      for (const at of [{ ix, cls }, ...ancestors({ ix, cls }, byName)]) {
        for (const a of at.ix.assigns) {
          if (a.owner !== at.cls.name || a.fn || a.name.length !== 1 || a.value.k !== 'call') continue;
          if (p.entity.fields.some((f) => f.name === a.name[0] || f.name === `${a.name[0]}_id`)) continue;
          const call = at.ix.calls[a.value.call];
          if (call) column(at.ix, a.name[0]!, call, kind, p);
        }
      }
      pending.push(p);
    }
    // SQLAlchemy Core: `Table('users', metadata, Column('id', Integer, primary_key=True), …)`.
    if (!ix.imports.some((i) => i.module.startsWith('sqlalchemy') || i.module.startsWith('flask_sqlalchemy'))) continue;
    for (const call of ix.calls) {
      const name = str(call.args[0]);
      if (last(call.callee) !== 'Table' || !name || call.args[1]?.k !== 'name') continue;
      const p: Pending = { entity: { name, table: name, orm: 'SQLAlchemy', file: ix.file, line: call.line, fields: [], relations: [] }, byClass: [] };
      for (const a of call.args.slice(2)) {
        const col = a.k === 'call' ? ix.calls[a.call] : undefined;
        if (col) column(ix, '', col, 'core', p);
      }
      pending.push(p);
    }
  }
  const tableOfClass = new Map<string, string>();
  for (const p of pending) if (!tableOfClass.has(p.entity.name)) tableOfClass.set(p.entity.name, p.entity.table);
  for (const p of pending) {
    for (const r of p.byClass) {
      const table = tableOfClass.get(r.target);
      if (table) p.entity.relations.push({ name: r.name, table, cardinality: r.cardinality, ...(r.foreignKey ? { foreignKey: r.foreignKey } : {}) });
    }
  }
  return { entities: pending.map((p) => p.entity), stores: pythonStores(indexes, ctx) };
}

/** The classes a model inherits from within the project, nearest first. */
function ancestors(start: ClassAt, byName: Map<string, ClassAt[]>): ClassAt[] {
  const out: ClassAt[] = [];
  const queue = [start];
  const seen = new Set<string>([start.cls.name]);
  while (queue.length && out.length < 20) {
    const c = queue.shift()!;
    for (const b of c.cls.bases) {
      const name = last(b.split('.'));
      if (seen.has(name)) continue;
      seen.add(name);
      for (const next of byName.get(name) ?? []) {
        out.push(next);
        queue.push(next);
      }
    }
  }
  return out;
}

function tableOf(ix: PolyglotIndex, cls: Cls, kind: Kind): string | undefined {
  if (isTrue(classAttr(ix, cls.name, '__abstract__'))) return undefined;
  const own = str(classAttr(ix, cls.name, '__tablename__'));
  if (kind === 'django') {
    if (isTrue(metaAttr(ix, cls.name, 'abstract')) || isTrue(metaAttr(ix, cls.name, 'proxy'))) return undefined;
    return str(metaAttr(ix, cls.name, 'db_table')) ?? `${djangoApp(ix.file)}_${cls.name.toLowerCase()}`;
  }
  if (kind === 'sqlmodel') return cls.bases.includes('table') ? (own ?? cls.name.toLowerCase()) : undefined;
  if (kind === 'flask') return own ?? snakeCase(cls.name);
  // Plain declarative: a class without its own table name is a mixin or maps its parent's table.
  return own;
}

/** Databases the code names: Django's `DATABASES` engines and database URLs in string literals. */
function pythonStores(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyStore[] {
  const projectDirs = new Set<string>();
  for (const f of ctx.files) if (PROJECT_FILES.has(f.slice(f.lastIndexOf('/') + 1))) projectDirs.add(dirOf(f));
  const out: PolyStore[] = [];
  const add = (raw: string, file: string, line: number): void => {
    const tech = raw === 'postgres' ? 'postgresql' : raw === 'mssql' ? 'sqlserver' : raw;
    const unit = unitOf(file, projectDirs);
    // One database a unit: its first mention is the evidence (an entity takes the unit's only database).
    if (!out.some((s) => s.tech === tech && s.unit === unit)) out.push({ tech, unit, evidence: { file, line } });
  };
  for (const ix of indexes) {
    for (const a of ix.assigns) {
      if (last(a.name) !== 'DATABASES' || a.value.k !== 'map') continue;
      for (const db of a.value.entries) {
        const engine = db.value.k === 'map' ? str(db.value.entries.find((e) => str(e.key) === 'ENGINE')?.value) : undefined;
        // `django.db.backends.postgresql` (also `postgresql_psycopg2`, `django.contrib.gis.db.backends.postgis`).
        const backend = engine?.slice(engine.lastIndexOf('.') + 1).split('_')[0];
        if (backend) add(backend === 'postgis' ? 'postgresql' : backend === 'sqlite3' ? 'sqlite' : backend, ix.file, a.line);
      }
    }
    const text = ctx.read(ix.file);
    if (text === undefined || !(text.includes('://') || text.includes('+'))) continue;
    for (const tok of lex(text, 'python').tokens) {
      if (tok.k !== 'str') continue;
      // A URL (`sqlite:///app.db`), or SQLAlchemy's dialect and driver alone (`db_url(driver="postgresql+asyncpg")`).
      const end = tok.v.indexOf('://');
      const plus = tok.v.indexOf('+');
      const driverOnly = end < 0 && plus > 0 && [...tok.v.slice(plus + 1)].every((ch) => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '_');
      if (!driverOnly && (end <= 0 || end > 40)) continue;
      const scheme = tok.v.slice(0, driverOnly ? plus : end).split('+')[0]!;
      if (URL_SCHEMES.has(scheme)) add(scheme, ix.file, tok.line);
    }
  }
  return out;
}
