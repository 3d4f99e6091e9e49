/**
 * Entities and databases of services written in Java/Kotlin, C# and PHP: each language's files
 * are indexed by the engine (src/analysis/polyglot) only when the code or a build file names an
 * ORM, read by that language's rules (jvm.ts, dotnet.ts, php.ts), and emitted as schemas and data
 * stores. A service's database is what its configuration or build file names (never guessed from
 * code that is not there); an entity takes the database of the unit of code it sits in.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { polyglotLanguageOf, type PolyglotLanguage } from '../../../src/analysis/polyglot/lex.js';
import { dataStoreId, entityId, storeTech } from '../../../src/data/ids.js';
import { claimEntity } from '../../../src/data/registry.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../../src/model/compare.js';
import type { DataStore, Entity, Model } from '../../../src/model/schema.js';
import type { PolyEntity, PolyFound, PolyStore } from './types.js';
import { dotnetFound, dotnetWants } from './dotnet.js';
import { jvmFound, jvmWants } from './jvm.js';
import { phpFound, phpWants } from './php.js';
import { goFound, goWants } from './go.js';
import { pythonFound, pythonWants } from './python.js';
import { sqlStringsWants, sqlStringTables } from './sql-strings.js';
import { arangoFound, arangoWants, dynamoBeanFound, dynamoBeanWants, spannerFound, spannerWants } from './stores-by-api.js';

interface LanguageRules {
  languages: readonly PolyglotLanguage[];
  /** A cheap test on a file's text: whether it may declare entities. */
  wants(text: string): boolean;
  found(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound;
}

/** The ORM labels of these rules' entities (`sql`: a table SQL strings create; then the clients of stores-by-api.ts). */
const POLYGLOT_ORMS = new Set([
  'JPA',
  'Spring Data',
  'EF Core',
  'Eloquent',
  'Django',
  'SQLAlchemy',
  'Flask-SQLAlchemy',
  'SQLModel',
  'GORM',
  'Bun',
  'sql',
  'DynamoDB enhanced client',
  'Spanner client',
  'ArangoDB driver',
]);

const RULES: readonly LanguageRules[] = [
  { languages: ['java', 'kotlin'], wants: jvmWants, found: jvmFound },
  { languages: ['csharp'], wants: dotnetWants, found: dotnetFound },
  { languages: ['php'], wants: phpWants, found: phpFound },
  { languages: ['python'], wants: pythonWants, found: pythonFound },
  { languages: ['go'], wants: goWants, found: goFound },
  // Item types and tables a client's own API names (stores-by-api.ts).
  { languages: ['java', 'kotlin'], wants: dynamoBeanWants, found: dynamoBeanFound },
  { languages: ['csharp', 'java', 'kotlin', 'go'], wants: spannerWants, found: spannerFound },
  { languages: ['go', 'python', 'java', 'kotlin'], wants: arangoWants, found: arangoFound },
];

/** Files larger than this are not read (generated code, vendored bundles). */
const MAX_BYTES = 1_000_000;

/** The stores of the nearest unit at or above the file's folder (several: chosen at run time). */
function storesFor(file: string, stores: readonly PolyStore[]): PolyStore[] {
  let unit: string | undefined;
  for (const s of stores) {
    const inside = s.unit === '' || file.startsWith(`${s.unit}/`);
    if (inside && (unit === undefined || s.unit.length > unit.length)) unit = s.unit;
  }
  return unit === undefined ? [] : stores.filter((s) => s.unit === unit && s.chosen !== false && storeTech(s.tech));
}

/** Reads the files of every language with rules and emits what they declare. */
export function polyglotOrm(ctx: AnalyzerContext): void {
  const texts = new Map<string, { language: PolyglotLanguage; text: string }>();
  /** The rules some file of their languages may hold entities for. */
  const wanted = new Set<LanguageRules>();
  const files = ctx.filesMatching((f) => {
    const lang = polyglotLanguageOf(f);
    return lang !== undefined && RULES.some((r) => r.languages.includes(lang)) && !ctx.isSetAside(f);
  });
  for (const file of files) {
    const language = polyglotLanguageOf(file)!;
    const text = ctx.read(file);
    if (text === undefined || text.length > MAX_BYTES) continue;
    texts.set(file, { language, text });
    for (const r of RULES) if (!wanted.has(r) && r.languages.includes(language) && r.wants(text)) wanted.add(r);
  }
  const entities: PolyEntity[] = [];
  const stores: PolyStore[] = [];
  for (const rules of RULES) {
    if (!wanted.has(rules)) continue;
    const indexes: PolyglotIndex[] = [];
    for (const [file, { language, text }] of texts) {
      if (!rules.languages.includes(language)) continue;
      const ix = ctx.polyglotIndex(file, language, text);
      if (ix.truncated) ctx.warn(file, 0, `${file} is too long to read whole for entities; read up to its first ${ix.calls.length} calls`);
      indexes.push(ix);
    }
    const found = rules.found(indexes, ctx);
    for (const e of found.entities) entities.push(e);
    for (const s of found.stores) stores.push(s);
  }
  // Tables SQL strings create, in any of these languages (sql-strings.ts); a table an ORM maps is the ORM's.
  const sqlFiles = [...texts].filter(([, { text }]) => sqlStringsWants(text));
  if (sqlFiles.length > 0) {
    const sql = sqlStringTables(sqlFiles.map(([file, { language, text }]) => ctx.polyglotIndex(file, language, text)));
    const mapped = new Set(entities.map((e) => entityId(e.table)));
    for (const e of sql.entities) if (!mapped.has(entityId(e.table))) entities.push(e);
    stores.push(...sql.stores);
  }
  emitFound(ctx, entities, stores);
}

function emitFound(ctx: AnalyzerContext, found: readonly PolyEntity[], stores: readonly PolyStore[]): void {
  const byId = new Map<string, Entity>();
  const out = new Map<string, DataStore>();
  const sorted = [...found].sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line);
  for (const e of sorted) {
    const id = entityId(e.table);
    const mine = storesFor(e.file, stores);
    const store = mine.length === 1 ? mine[0] : undefined;
    const component = ctx.componentOf(e.file);
    const prev = byId.get(id);
    if (prev) {
      // One table mapped by several classes (a copy of the entity in each service): one entity.
      prev.evidence = sortedEvidence([...prev.evidence, { file: e.file, line: e.line }, ...(e.more ?? [])]);
      for (const f of e.fields) if (!prev.fields.some((x) => x.name === f.name)) prev.fields.push(f);
    } else {
      const entity: Entity = {
        id,
        name: e.name,
        table: e.table,
        orm: e.orm,
        fields: [...e.fields],
        relations: e.relations.map((r) => ({
          name: r.name,
          target: entityId(r.table),
          cardinality: r.cardinality,
          ...(r.foreignKey ? { foreignKey: r.foreignKey } : {}),
        })),
        evidence: sortedEvidence([{ file: e.file, line: e.line }, ...(e.more ?? [])]),
      };
      if (component) entity.component = component;
      if (store) entity.store = dataStoreId(storeTech(store.tech)!.tech);
      byId.set(id, entity);
    }
  }
  // Every store configuration names is a store, whether or not an entity was read in its unit.
  for (const s of stores) {
    const tech = storeTech(s.tech);
    if (!tech) continue;
    const sid = dataStoreId(tech.tech);
    const orms = sortedUnique(found.filter((e) => s.unit === '' || e.file.startsWith(`${s.unit}/`)).map((e) => e.orm));
    const ds = out.get(sid);
    if (ds) {
      ds.evidence.push(s.evidence);
      ds.details!.orm = sortedUnique([...(ds.details!.orm as string[]), ...orms]);
      ds.envVars = sortedUnique([...(ds.envVars ?? []), ...(s.envVars ?? [])]);
    } else {
      out.set(sid, {
        id: sid,
        name: tech.name,
        tech: tech.tech,
        kind: tech.kind,
        // Its users are settled in the link phase (storeUsers), once the services are components.
        usedBy: [],
        evidence: [s.evidence],
        envVars: sortedUnique(s.envVars ?? []),
        details: { orm: orms },
      });
    }
  }
  for (const e of [...byId.values()].sort((a, b) => compareStrings(a.id, b.id))) {
    // The code describes the table: SQL migrations of it add evidence, a schema.sql dump is not read.
    claimEntity(ctx, e.id, 'full');
    ctx.emit('schemas', e);
  }
  for (const ds of [...out.values()].sort((a, b) => compareStrings(a.id, b.id))) {
    ds.usedBy = sortedUnique(ds.usedBy);
    ds.evidence = sortedEvidence(ds.evidence);
    if (ds.envVars!.length === 0) delete ds.envVars;
    if ((ds.details!.orm as string[]).length === 0) delete ds.details;
    ctx.emit('dataStores', ds);
  }
}

/** Build and configuration files that name a service's database. */
const CONFIG_FILE = /(^|\/)(pom\.xml|build\.gradle(\.kts)?|[^/]+\.csproj|composer\.json|\.env\.example|database\.php|application\.(properties|ya?ml))$/;

/**
 * The services that use each database a build or configuration file names: the component whose
 * folder holds that file (a Java or .NET service is a component only once components are settled),
 * and the components of the entities it holds.
 */
export function storeUsers(model: Model): void {
  const components = [...model.components].sort((a, b) => b.path.length - a.path.length);
  const owner = (file: string): string | undefined => components.find((c) => (c.path === '.' ? !file.includes('/') : file.startsWith(`${c.path}/`)))?.id;
  for (const ds of model.dataStores) {
    const orms = Array.isArray(ds.details?.orm) ? (ds.details.orm as string[]) : [];
    if (!orms.some((o) => POLYGLOT_ORMS.has(o))) continue;
    const users = new Set(ds.usedBy);
    for (const ev of ds.evidence) {
      // Python and Go name their database in code (settings.py, the file opening it).
      if (!CONFIG_FILE.test(ev.file) && !ev.file.endsWith('.py') && !ev.file.endsWith('.go')) continue;
      const c = owner(ev.file);
      if (c) users.add(c);
    }
    for (const e of model.schemas) if (e.store === ds.id && e.component) users.add(e.component);
    if (users.size !== ds.usedBy.length) ds.usedBy = [...users].sort(compareStrings);
  }
}
