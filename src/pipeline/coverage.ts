/**
 * The coverage ledger, computed once every fact is known (after linking and the analyzers' link
 * phases): each catalogued technology that is present (a tech-stack fact names it), whether an
 * analyzer reads it and how many facts came from it; and the code in languages archdoc does not
 * analyse, counted by language and folder. The ledger itself is in src/data/tech-catalogue.ts.
 */
import { LEDGER, type LedgerReads } from '../data/tech-catalogue.js';
import { compareStrings, sortedUnique } from '../model/compare.js';
import type { Coverage, CoverageLanguage, CoverageTech, Model } from '../model/schema.js';
import { dirOf } from '../util/paths.js';
import { LANGUAGE_MANIFESTS, languageOfFile, ROUTES_READ_LANGUAGES, SCRIPT_LANGUAGES } from '../data/languages.js';

/** Letters and digits only, lower case: `@opentelemetry/sdk-node` → `opentelemetrysdknode`. */
const squash = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** How many facts of the model each rule of `reads` matches. */
function countRead(model: Model, reads: LedgerReads): number {
  let n = 0;
  if (reads.frameworks || reads.protocols) {
    for (const e of model.endpoints) {
      const frameworks = String(e.details?.framework ?? '').split(', ');
      if (reads.protocols?.includes(e.protocol) || frameworks.some((f) => reads.frameworks?.includes(f))) n++;
    }
  }
  if (reads.orms) n += model.schemas.filter((s) => s.orm !== undefined && reads.orms!.includes(s.orm)).length;
  if (reads.stores) n += model.dataStores.filter((s) => reads.stores!.includes(s.tech.toLowerCase())).length;
  if (reads.queues) n += model.queues.filter((q) => reads.queues!.includes(q.tech)).length;
  if (reads.sources) n += model.infrastructure.filter((i) => i.source !== undefined && reads.sources!.includes(i.source)).length;
  if (reads.techs) {
    const techs = reads.techs;
    const hit = (t: string | undefined) => {
      const s = squash(t);
      return s !== '' && techs.some((x) => s.includes(x));
    };
    n += model.observability.filter((f) => hit(f.tech)).length + model.security.filter((f) => hit(f.tech)).length;
  }
  return n;
}

function technologies(model: Model): CoverageTech[] {
  const componentPath = new Map(model.components.map((c) => [c.id, c.path]));
  const out: CoverageTech[] = [];
  for (const t of model.techStack) {
    const entry = LEDGER[t.name];
    if (!entry) continue;
    const components = sortedUnique(t.usedBy.filter((id) => componentPath.has(id)));
    // Where: the components that depend on it, else the folders of the files that show it.
    const paths =
      components.length > 0 ? components.map((id) => componentPath.get(id)!) : t.evidence.map((e) => (e.file === 'package.json' ? '.' : dirOf(e.file)));
    out.push({
      id: `coverage:${t.id.replace(/^tech:/, '')}`,
      name: t.name,
      category: entry.category,
      yields: entry.yields,
      status: entry.reads ? 'read' : 'unread',
      facts: entry.reads ? countRead(model, entry.reads) : 0,
      components,
      paths: sortedUnique(paths.map((p) => (p === '' ? '.' : p))),
      evidence: t.evidence,
    });
  }
  return out.sort((a, b) => compareStrings(a.category, b.category) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
}

/** The folder a file is counted under: the nearest folder with a language manifest, else its top folder. */
function folderOf(file: string, manifestDirs: ReadonlySet<string>): string {
  for (let dir = dirOf(file); dir !== '' && dir !== '.'; dir = dirOf(dir)) {
    if (manifestDirs.has(dir)) return dir;
  }
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

function languages(files: readonly string[], model: Model): CoverageLanguage[] {
  const manifestDirs = new Set<string>();
  for (const f of files) {
    if (LANGUAGE_MANIFESTS.has(f.slice(f.lastIndexOf('/') + 1)) || f.endsWith('.csproj') || f.endsWith('.fsproj')) {
      manifestDirs.add(dirOf(f));
    }
  }
  const byLanguage = new Map<string, { files: string[]; folders: Map<string, number> }>();
  for (const f of files) {
    const language = languageOfFile(f);
    if (!language || SCRIPT_LANGUAGES.has(language)) continue;
    const acc = byLanguage.get(language) ?? { files: [], folders: new Map<string, number>() };
    acc.files.push(f);
    const folder = folderOf(f, manifestDirs);
    acc.folders.set(folder, (acc.folders.get(folder) ?? 0) + 1);
    byLanguage.set(language, acc);
  }
  // Endpoints declared in each language's files, for the languages whose routes are read.
  const routes = new Map<string, number>();
  for (const e of model.endpoints) {
    const file = e.details?.routeFile;
    const language = typeof file === 'string' ? languageOfFile(file) : undefined;
    if (language) routes.set(language, (routes.get(language) ?? 0) + 1);
  }
  // ORM entities read from each language's files (the ORMs of these languages are read too).
  const entities = new Map<string, number>();
  for (const s of model.schemas) {
    const language = s.orm !== undefined && s.evidence[0] ? languageOfFile(s.evidence[0].file) : undefined;
    if (language && ROUTES_READ_LANGUAGES.has(language)) entities.set(language, (entities.get(language) ?? 0) + 1);
  }
  // Queues whose producers or consumers were read in each language's files (its messaging libraries are read too).
  const queues = new Map<string, number>();
  for (const q of model.queues) {
    const langs = new Set(q.evidence.map((e) => languageOfFile(e.file)).filter((l): l is string => l !== undefined && ROUTES_READ_LANGUAGES.has(l)));
    for (const l of langs) queues.set(l, (queues.get(l) ?? 0) + 1);
  }
  return [...byLanguage.entries()]
    .map(([name, acc]) => ({
      id: `language:${name.toLowerCase()}`,
      name,
      files: acc.files.length,
      ...(ROUTES_READ_LANGUAGES.has(name) ? { routes: routes.get(name) ?? 0 } : {}),
      ...(entities.get(name) ? { entities: entities.get(name)! } : {}),
      ...(queues.get(name) ? { queues: queues.get(name)! } : {}),
      folders: [...acc.folders.entries()].map(([path, n]) => ({ path, files: n })).sort((a, b) => b.files - a.files || compareStrings(a.path, b.path)),
      evidence: [{ file: [...acc.files].sort(compareStrings)[0]!, line: 0 }],
    }))
    .sort((a, b) => b.files - a.files || compareStrings(a.name, b.name));
}

/**
 * The ledger for a linked model. `files` is what discovery found; `isProduction`, when file roles
 * are known, keeps tests, examples and the like out of the language counts.
 */
export function computeCoverage(model: Model, files: readonly string[], isProduction: (file: string) => boolean = () => true): Coverage {
  return { technologies: technologies(model), languages: languages(files.filter(isProduction), model) };
}
