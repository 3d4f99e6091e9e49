/**
 * C#: EF Core entities are the `DbSet<Article> Articles` properties of a `DbContext`; the table is
 * the class's `[Table("x")]`, else the property's name (EF Core's convention). A project (the
 * folder of a .csproj) uses the database its code's provider call names (`UseNpgsql`,
 * `UseSqlServer`, `UseSqlite`, `UseMySql`…), else the provider package its .csproj references.
 * Several provider calls chosen at run time: the one a `default…` string constant names, if any.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { lex } from '../../../src/analysis/polyglot/lex.js';
import { compareStrings } from '../../../src/model/compare.js';
import { classMembers } from './members.js';
import { dirOf, type PolyEntity, type PolyFound, type PolyStore } from './types.js';

export function dotnetWants(text: string): boolean {
  return text.includes('DbSet<');
}

/** EF Core's provider calls → store. */
const PROVIDERS: Record<string, string> = {
  UseNpgsql: 'postgresql',
  UseSqlServer: 'sqlserver',
  UseAzureSql: 'sqlserver',
  UseSqlite: 'sqlite',
  UseMySql: 'mysql',
  UseMySQL: 'mysql',
  UseOracle: 'oracle',
  UseCosmos: 'cosmosdb',
};
/** Provider packages in a .csproj → store. */
const PACKAGES: Record<string, string> = {
  'Npgsql.EntityFrameworkCore.PostgreSQL': 'postgresql',
  'Microsoft.EntityFrameworkCore.SqlServer': 'sqlserver',
  'Microsoft.EntityFrameworkCore.Sqlite': 'sqlite',
  'Pomelo.EntityFrameworkCore.MySql': 'mysql',
  'MySql.EntityFrameworkCore': 'mysql',
  'Oracle.EntityFrameworkCore': 'oracle',
};
/** How a run-time choice names each provider (`"sqlite"`, `"postgres"`). */
const PROVIDER_WORDS: Record<string, string> = {
  sqlite: 'sqlite',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  npgsql: 'postgresql',
  mysql: 'mysql',
};

/** `DbSet<Article> Articles` properties, from the file's tokens (the index keeps no property types). */
function dbSets(text: string): { entity: string; property: string; line: number }[] {
  const { tokens: t } = lex(text, 'csharp');
  const out: { entity: string; property: string; line: number }[] = [];
  for (let i = 0; i + 4 < t.length; i++) {
    if (t[i]!.k !== 'id' || t[i]!.v !== 'DbSet' || t[i + 1]!.v !== '<' || t[i + 2]!.k !== 'id') continue;
    // A qualified entity type (`Domain.Article`): its last name.
    let j = i + 2;
    while (t[j + 1]?.v === '.' && t[j + 2]?.k === 'id') j += 2;
    if (t[j + 1]?.v !== '>' || t[j + 2]?.k !== 'id') continue;
    out.push({ entity: t[j]!.v, property: t[j + 2]!.v, line: t[i]!.line });
  }
  return out;
}

export function dotnetFound(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyFound {
  const classes = new Map<string, { file: string; line: number; table?: string }>();
  for (const ix of indexes) {
    for (const c of ix.classes) {
      if (classes.has(c.name)) continue;
      const attr = ix.annotations.find((a) => a.target?.kind === 'class' && a.target.name === c.name && a.name[a.name.length - 1] === 'Table');
      const table = attr?.args[0]?.k === 'str' ? attr.args[0].v : undefined;
      classes.set(c.name, { file: ix.file, line: c.line, ...(table ? { table } : {}) });
    }
  }
  const entities: PolyEntity[] = [];
  for (const ix of indexes) {
    const text = ctx.read(ix.file) ?? '';
    if (!text.includes('DbSet<')) continue;
    for (const s of dbSets(text)) {
      const decl = classes.get(s.entity);
      const set = { file: ix.file, line: s.line };
      entities.push({
        name: s.entity,
        table: decl?.table ?? s.property,
        orm: 'EF Core',
        file: decl?.file ?? ix.file,
        line: decl?.line ?? s.line,
        fields: [],
        relations: [],
        ...(decl ? { more: [set] } : {}),
      });
    }
  }
  // Properties: a navigation to another entity is a relation, the rest are columns (`Id` or
  // `<Class>Id` the key by EF Core's convention, or `[Key]`).
  const tableOf = new Map(entities.map((e) => [e.name, e.table]));
  const membersOf = new Map<string, ReturnType<typeof classMembers>>();
  for (const e of entities) {
    if (!membersOf.has(e.file)) membersOf.set(e.file, classMembers(ctx.read(e.file) ?? '', 'csharp'));
    for (const m of membersOf.get(e.file)!.get(e.name) ?? []) {
      if (m.annotations.includes('NotMapped')) continue;
      const target = tableOf.get(m.element);
      if (target) {
        e.relations.push({ name: m.name, table: target, cardinality: m.many ? 'one-to-many' : 'many-to-one' });
        continue;
      }
      if (m.many) continue;
      const field: PolyEntity['fields'][number] = { name: m.name, type: m.type };
      if (m.name === 'Id' || m.name === `${e.name}Id` || m.annotations.includes('Key')) field.id = true;
      e.fields.push(field);
    }
  }
  return { entities, stores: dotnetStores(indexes, ctx) };
}

function dotnetStores(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext): PolyStore[] {
  const stores: PolyStore[] = [];
  const projects = ctx.filesMatching((f) => f.endsWith('.csproj') && !ctx.isSetAside(f));
  for (const proj of [...projects].sort(compareStrings)) {
    const unit = dirOf(proj);
    const mine = indexes.filter((ix) => unit === '' || ix.file.startsWith(`${unit}/`));
    const calls: { tech: string; file: string; line: number }[] = [];
    for (const ix of mine) {
      for (const c of ix.calls) {
        const tech = PROVIDERS[c.callee[c.callee.length - 1]!];
        if (tech) calls.push({ tech, file: ix.file, line: c.line });
      }
    }
    let techs = [...new Set(calls.map((c) => c.tech))];
    if (techs.length > 1) {
      const defaults = new Set<string>();
      for (const ix of mine) {
        for (const a of ix.assigns) {
          const name = a.name[a.name.length - 1]!.toLowerCase();
          const word = a.value.k === 'str' ? PROVIDER_WORDS[a.value.v.toLowerCase()] : undefined;
          if (name.includes('default') && name.includes('provider') && word && techs.includes(word)) defaults.add(word);
        }
      }
      if (defaults.size === 1) techs = [...defaults];
    }
    if (techs.length > 0) {
      for (const tech of techs) {
        const c = calls.find((x) => x.tech === tech)!;
        stores.push({ tech, unit, evidence: { file: c.file, line: c.line } });
      }
      continue;
    }
    const text = ctx.read(proj) ?? '';
    text.split('\n').forEach((l, i) => {
      const at = l.indexOf('Include="');
      if (at < 0 || !l.includes('PackageReference')) return;
      const pkg = l.slice(at + 9).split('"')[0]!;
      const tech = PACKAGES[pkg];
      if (tech && !stores.some((s) => s.unit === unit && s.tech === tech)) stores.push({ tech, unit, evidence: { file: proj, line: i + 1 } });
    });
  }
  return stores;
}
