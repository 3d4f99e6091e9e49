/**
 * Java and Kotlin: JPA/Hibernate `@Entity` classes (`@Table(name = …)`, else the class name in
 * snake case, Spring Boot's naming strategy), `@JoinTable` join tables, and Spring Data JDBC/R2DBC
 * `@Table` classes (`@Table("x")`, Kotlin data classes included). A unit of code (the folder of a
 * pom.xml or build.gradle) uses the database its default-profile `spring.datasource.url` or
 * `spring.r2dbc.url` names; with none, the JDBC/R2DBC driver its build declares (test scope left
 * out): the drivers of the strongest scope (compile before runtime) are its databases, and among
 * them an embedded one (H2, HSQLDB, Derby), which Spring Boot configures when no URL is given, holds
 * its entities.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PAnnotation, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { snakeCase } from '../../../src/data/ids.js';
import { compareStrings } from '../../../src/model/compare.js';
import { classMembers, type Member } from './members.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';

export function jvmWants(text: string): boolean {
  return text.includes('@Entity') || text.includes('@Table');
}

/** Driver artifacts (Maven artifactId) → store. */
const DRIVERS: Record<string, string> = {
  postgresql: 'postgresql',
  'r2dbc-postgresql': 'postgresql',
  'mysql-connector-java': 'mysql',
  'mysql-connector-j': 'mysql',
  'r2dbc-mysql': 'mysql',
  'mariadb-java-client': 'mariadb',
  'r2dbc-mariadb': 'mariadb',
  h2: 'h2',
  'r2dbc-h2': 'h2',
  hsqldb: 'hsqldb',
  derby: 'derby',
  'mssql-jdbc': 'sqlserver',
  'r2dbc-mssql': 'sqlserver',
  'sqlite-jdbc': 'sqlite',
  ojdbc8: 'oracle',
  ojdbc11: 'oracle',
};
const EMBEDDED = new Set(['h2', 'hsqldb', 'derby']);
/** A JDBC or R2DBC URL's database: `jdbc:postgresql://…`, `r2dbc:h2:mem:…`, Testcontainers' `jdbc:tc:mysql:…`. */
const URL_SCHEME: Record<string, string> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  h2: 'h2',
  hsqldb: 'hsqldb',
  derby: 'derby',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  sqlite: 'sqlite',
  oracle: 'oracle',
};

const last = (a: PAnnotation): string => a.name[a.name.length - 1]!;

function strOf(v: PValue | undefined): string | undefined {
  return v?.k === 'str' && !v.template ? v.v : undefined;
}

/** An annotation's `name`/`value` keyword or first argument. */
function nameArg(a: PAnnotation | undefined): string | undefined {
  if (!a) return undefined;
  return strOf(a.kw.find((k) => k.name === 'name')?.value) ?? strOf(a.kw.find((k) => k.name === 'value')?.value) ?? strOf(a.args[0]);
}

/** The column a `@JoinTable` keyword's `@JoinColumn(name = "x")` names (the first, when a list holds several). */
function joinColumn(a: PAnnotation, keyword: string): string | undefined {
  const v = a.kw.find((k) => k.name === keyword)?.value;
  const text = v?.k === 'other' ? v.text : undefined;
  const at = text?.indexOf('name');
  if (text === undefined || at === undefined || at < 0) return undefined;
  const open = text.indexOf('"', at);
  const close = open < 0 ? -1 : text.indexOf('"', open + 1);
  return close > open + 1 ? text.slice(open + 1, close) : undefined;
}

/** JPA's relation annotations. */
const RELATIONS: Record<string, PolyEntity['relations'][number]['cardinality']> = {
  ManyToOne: 'many-to-one',
  OneToOne: 'one-to-one',
  OneToMany: 'one-to-many',
  ManyToMany: 'many-to-many',
};
const NOT_COLUMNS = new Set(['Transient', 'MappedCollection']);

export function jvmFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const entities: PolyEntity[] = [];
  /** Each entity's members, read once every entity's table is known. */
  const pending: { entity: PolyEntity; members: Member[] }[] = [];
  /** `@JoinTable` tables, with the classes their columns refer to. */
  const joins: { join: PolyEntity; owner: string; element?: string; columns: (string | undefined)[] }[] = [];
  for (const ix of indexes) {
    const onClass = new Map<string, PAnnotation[]>();
    for (const a of ix.annotations) {
      if (a.target?.kind !== 'class') continue;
      const l = onClass.get(a.target.name) ?? [];
      l.push(a);
      onClass.set(a.target.name, l);
    }
    const text = ctx.read(ix.file) ?? '';
    for (const [cls, anns] of onClass) {
      const entity = anns.find((a) => last(a) === 'Entity');
      const table = anns.find((a) => last(a) === 'Table');
      // Spring Data's @Table (relational mapping) maps a class on its own; JPA's only beside @Entity.
      const springData = !entity && table && text.includes('org.springframework.data.relational');
      if (!entity && !springData) continue;
      const decl = ix.classes.find((c) => c.name === cls);
      // JPA: @Entity(name = "X") renames the entity, and so the default table.
      const name = nameArg(entity) ?? cls;
      const found: PolyEntity = {
        name: cls,
        table: nameArg(table) ?? snakeCase(name),
        orm: entity ? 'JPA' : 'Spring Data',
        file: ix.file,
        line: decl?.line ?? (entity ?? table)!.line,
        fields: [],
        relations: [],
      };
      entities.push(found);
      pending.push({ entity: found, members: classMembers(text, ix.language).get(cls) ?? [] });
    }
    // A many-to-many join table no class maps: its key the columns `joinColumns` and
    // `inverseJoinColumns` name (to the owner and to the field's element), settled below.
    for (const a of ix.annotations) {
      if (last(a) !== 'JoinTable' || !a.owner || !onClass.get(a.owner)?.some((x) => last(x) === 'Entity')) continue;
      const t = nameArg(a);
      if (!t) continue;
      const join: PolyEntity = { name: t, table: t, orm: 'JPA', file: ix.file, line: a.line, fields: [], relations: [] };
      entities.push(join);
      const element = a.target
        ? classMembers(text, ix.language)
            .get(a.owner)
            ?.find((m) => m.name === a.target!.name)?.element
        : undefined;
      joins.push({ join, owner: a.owner, element, columns: [joinColumn(a, 'joinColumns'), joinColumn(a, 'inverseJoinColumns')] });
    }
  }
  const tableOf = new Map(pending.map((p) => [p.entity.name, p.entity.table]));
  for (const { join, owner, element, columns } of joins) {
    for (const [column, cls] of [
      [columns[0], owner],
      [columns[1], element],
    ] as const) {
      if (!column) continue;
      // The column holds the key of the entity it refers to.
      const key = pending.find((p) => p.entity.name === cls)?.members.find((m) => m.annotations.includes('Id'));
      join.fields.push({ name: column, type: key?.type ?? 'unknown', id: true });
      const target = cls === undefined ? undefined : tableOf.get(cls);
      if (target) join.relations.push({ name: column, table: target, cardinality: 'many-to-one', foreignKey: column });
    }
  }
  for (const { entity, members } of pending) {
    for (const m of members) {
      const rel = m.annotations.map((a) => RELATIONS[a]).find(Boolean);
      const target = tableOf.get(m.element);
      // Spring Data: a member typed by another mapped class is a relation (an aggregate's part).
      const cardinality = rel ?? (entity.orm === 'Spring Data' && target ? (m.many ? 'one-to-many' : 'one-to-one') : undefined);
      if (cardinality) {
        if (target) entity.relations.push({ name: m.name, table: target, cardinality });
        continue;
      }
      if (m.annotations.some((a) => NOT_COLUMNS.has(a))) continue;
      const field: PolyEntity['fields'][number] = { name: m.name, type: m.type };
      if (m.annotations.includes('Id') || m.annotations.includes('EmbeddedId')) field.id = true;
      entity.fields.push(field);
    }
  }
  return { entities, stores: jvmStores(ctx) };
}

interface Driver {
  tech: string;
  /** 0: compile scope, 1: runtime scope. */
  rank: number;
  line: number;
}

/** A Maven POM's database drivers, test scope left out. */
function pomDrivers(text: string): Driver[] {
  const out: Driver[] = [];
  const lines = text.split('\n');
  let inDep = false;
  let artifact: { id: string; line: number } | undefined;
  let scope = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l.startsWith('<dependency>')) {
      inDep = true;
      artifact = undefined;
      scope = '';
    } else if (inDep && l.startsWith('<artifactId>')) artifact = { id: between(l, '<artifactId>', '</artifactId>'), line: i + 1 };
    else if (inDep && l.startsWith('<scope>')) scope = between(l, '<scope>', '</scope>');
    else if (l.startsWith('</dependency>')) {
      inDep = false;
      const tech = artifact ? DRIVERS[artifact.id] : undefined;
      if (tech && scope !== 'test' && artifact) out.push({ tech, rank: scope === 'runtime' ? 1 : 0, line: artifact.line });
    }
  }
  return out;
}

function between(s: string, open: string, close: string): string {
  const a = s.indexOf(open) + open.length;
  const b = s.indexOf(close, a);
  return (b < 0 ? s.slice(a) : s.slice(a, b)).trim();
}

/** A Gradle build's database drivers: `implementation("com.h2database:h2:…")`, `runtimeOnly 'org.postgresql:postgresql'`. */
function gradleDrivers(text: string): Driver[] {
  const out: Driver[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    const conf = /^(\w+)/.exec(l)?.[1] ?? '';
    if (!/^(implementation|api|compile|runtimeOnly|runtime)$/.test(conf)) return;
    const q = l.search(/["']/);
    if (q < 0) return;
    const coord = l
      .slice(q + 1)
      .split(/["']/)[0]!
      .split(':');
    const tech = coord.length >= 2 ? DRIVERS[coord[1]!] : undefined;
    if (tech) out.push({ tech, rank: conf.startsWith('runtime') ? 1 : 0, line: i + 1 });
  });
  return out;
}

/** The database a default-profile Spring configuration's datasource or R2DBC URL names. */
function configUrl(text: string): { tech: string; line: number; envVars: string[] } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trimStart().startsWith('#')) continue;
    const m = /\b(?:jdbc|r2dbcs?):(?:tc:)?([a-z0-9]+):/.exec(l);
    const tech = m ? URL_SCHEME[m[1]!] : undefined;
    if (!tech) continue;
    const env = /\$\{([A-Z][A-Z0-9_]*)/.exec(l);
    return { tech, line: i + 1, envVars: env ? [env[1]!] : [] };
  }
  return undefined;
}

function jvmStores(ctx: AnalyzerContext): PolyStore[] {
  const stores: PolyStore[] = [];
  const builds = ctx.filesMatching((f) => /(^|\/)(pom\.xml|build\.gradle(\.kts)?)$/.test(f) && !ctx.isSetAside(f));
  for (const build of [...builds].sort(compareStrings)) {
    const unit = dirOf(build);
    const prefix = unit ? `${unit}/` : '';
    const configs = ctx.filesMatching((f) => f.startsWith(`${prefix}src/main/resources/`) && /\/application\.(properties|ya?ml)$/.test(f));
    const url = configs.map((f) => ({ f, hit: configUrl(ctx.read(f) ?? '') })).find((x) => x.hit);
    if (url) {
      stores.push({ tech: url.hit!.tech, unit, evidence: { file: url.f, line: url.hit!.line }, envVars: url.hit!.envVars });
      continue;
    }
    const text = ctx.read(build) ?? '';
    const drivers = build.endsWith('pom.xml') ? pomDrivers(text) : gradleDrivers(text);
    if (drivers.length === 0) continue;
    // Drivers of the same scope are all databases the service can run on (a profile chooses); the
    // entities are in the one used by default.
    const best = Math.min(...drivers.map((d) => d.rank));
    const same = drivers.filter((d) => d.rank === best);
    const embedded = same.some((d) => EMBEDDED.has(d.tech));
    const seen = new Set<string>();
    for (const d of same) {
      if (seen.has(d.tech)) continue;
      seen.add(d.tech);
      const store: PolyStore = { tech: d.tech, unit, evidence: { file: build, line: d.line } };
      if (embedded && !EMBEDDED.has(d.tech)) store.chosen = false;
      stores.push(store);
    }
  }
  return stores;
}
