/**
 * The tech-stack analyzer's link phase: once the components are settled (deployable folders in any
 * language added by the workspace analyzer's link phase), each component's own manifests are read
 * for its technologies, whether or not a package manager's workspaces list it:
 * - a package.json in the component's folder that is not a workspace package's (those were read
 *   in the analyse phase), through the npm catalogue;
 * - the build files of other languages in its folder or below, outside deeper components
 *   (src/analysis/build-deps.ts: go.mod, pom.xml, build.gradle(.kts), requirements*.txt,
 *   pyproject.toml, Pipfile, *.csproj, composer.json, Gemfile; direct runtime dependencies only),
 *   through the catalogue's BUILD_PACKAGES, and what they state besides (a Spring Boot parent or
 *   plugin, an ASP.NET Core SDK, the language version: src/analysis/build-platforms.ts). A go.mod
 *   requirement is a component's when a Go file of that component, outside tests, imports it: a
 *   module shared by several services is then split by what each imports, and a library only tests
 *   import is not listed;
 * - its language (the model's `language`, most files) as a `language` entry, with its first file
 *   as evidence.
 * A component's technologies are those entries' `usedBy`; its `tech` list is completed to match.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { buildDependencies, buildFileKind, type BuildDep } from '../../src/analysis/build-deps.js';
import { buildPlatforms } from '../../src/analysis/build-platforms.js';
import { languageOfFile } from '../../src/data/languages.js';
import { buildEntries, languageEntry, PACKAGES, PLATFORMS, type CatalogueEntry } from '../../src/data/tech-catalogue.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import { idOf, slug } from '../../src/model/ids.js';
import type { Component, Evidence, Model, Tech } from '../../src/model/schema.js';
import { jsonKeyLine } from '../../src/util/text.js';

/** A language's id slug: `C#` → `csharp`, `C++` → `cpp` (the plain slug would make both `c`). */
function languageSlug(name: string): string {
  return slug(name.replace(/#/g, 'sharp').replace(/\+/g, 'p'));
}

/** The folder of a file (`.` at the root). */
function folderOf(file: string): string {
  const at = file.lastIndexOf('/');
  return at < 0 ? '.' : file.slice(0, at);
}

/** Generated code by its conventional name (protobuf and gRPC stubs, designer files, `generated` folders). */
const GENERATED = /(\.pb(\.gw)?\.go|_pb2(_grpc)?\.pyi?|\.g\.cs|\.designer\.cs|_grpc\.pb\.go)$|(^|\/)(genproto|generated|__generated__)\//i;

/** Languages whose version a build file states, by the build-platforms key. */
const LANGUAGE_PLATFORMS: Record<string, string> = { go: 'Go', java: 'Java', kotlin: 'Kotlin', php: 'PHP', python: 'Python' };

export function componentManifests(model: Model, ctx: AnalyzerContext): void {
  const byPath = new Map<string, Component>(model.components.map((c) => [c.path, c]));
  /** The deepest component whose folder holds the file. */
  const ownerOf = (file: string): Component | undefined => {
    let dir = folderOf(file);
    for (;;) {
      const c = byPath.get(dir);
      if (c) return c;
      if (dir === '.') return undefined;
      dir = folderOf(dir);
    }
  };

  const techs = new Map(model.techStack.map((t) => [t.id, t]));
  /** Versions seen per new entry, by the kind of manifest that states them, joined once every manifest is read. */
  const versions = new Map<string, Map<string, string>>();
  const added = new Set<string>();
  const add = (entry: CatalogueEntry, evidence: Evidence, usedBy: string[], version?: string, id = idOf.tech(slug(entry.name))) => {
    let t = techs.get(id);
    if (!t) {
      t = { id, name: entry.name, category: entry.category, layer: entry.layer, purpose: entry.purpose, usedBy: [], evidence: [] };
      techs.set(id, t);
      added.add(id);
    }
    // One line per file: the first that shows it (a parent pom before each starter that brings it).
    if (!t.evidence.some((e) => e.file === evidence.file)) t.evidence.push(evidence);
    t.usedBy.push(...usedBy);
    // An entry the analyse phase made from package.json files has their version; another
    // ecosystem's different version of it (gRPC for Go beside gRPC for Node) leaves none stated.
    if (version && !added.has(id) && t.version !== undefined && t.version !== version && buildFileKind(evidence.file)) delete t.version;
    if (version && added.has(id)) {
      const seen = versions.get(id) ?? new Map<string, string>();
      seen.set(version, buildFileKind(evidence.file) ?? 'package.json');
      versions.set(id, seen);
    }
  };

  // package.json files of components that no workspace lists.
  const read = new Set(ctx.workspace.packages.map((p) => p.manifestFile).filter((f): f is string => f !== undefined));
  let nodeManifest: string | undefined;
  for (const c of [...model.components].sort((a, b) => compareStrings(a.path, b.path))) {
    const file = c.path === '.' ? 'package.json' : `${c.path}/package.json`;
    if (read.has(file) || !ctx.has(file) || ctx.isSetAside(file)) continue;
    const manifest = ctx.json(file);
    if (typeof manifest !== 'object' || manifest === null) continue;
    const text = ctx.read(file) ?? '';
    nodeManifest ??= file;
    for (const field of ['dependencies', 'devDependencies'] as const) {
      const block = (manifest as Record<string, unknown>)[field];
      if (typeof block !== 'object' || block === null || Array.isArray(block)) continue;
      for (const [dep, range] of Object.entries(block as Record<string, unknown>)) {
        const entry = PACKAGES[dep];
        if (!entry || typeof range !== 'string') continue;
        add(entry, { file, line: jsonKeyLine(text, dep, field) }, [c.id], range.replace(/^workspace:/, '').trim());
      }
    }
  }
  if (nodeManifest && !techs.has(idOf.tech(slug('Node.js'))))
    add({ name: 'Node.js', category: 'runtime', layer: 'backend', purpose: 'JavaScript runtime' }, { file: nodeManifest, line: 1 }, []);

  // Production Go files by module (the folder of the nearest go.mod) and by owning component.
  const goModules = new Set(ctx.files.filter((f) => buildFileKind(f) === 'gomod' && !ctx.isSetAside(f)).map(folderOf));
  const goUsers = new Map<string, Set<Component>>();
  const goFiles = new Map<Component, string[]>();
  for (const f of ctx.files) {
    if (!f.endsWith('.go') || ctx.isSetAside(f)) continue;
    const c = ownerOf(f);
    if (!c) continue;
    let dir = folderOf(f);
    while (!goModules.has(dir) && dir !== '.') dir = folderOf(dir);
    if (goModules.has(dir)) {
      const users = goUsers.get(dir) ?? new Set<Component>();
      users.add(c);
      goUsers.set(dir, users);
    }
    const list = goFiles.get(c) ?? [];
    list.push(f);
    goFiles.set(c, list);
  }
  /** The import paths of a component's production Go files. */
  const goImports = new Map<Component, Set<string>>();
  const importsOf = (c: Component): Set<string> => {
    let set = goImports.get(c);
    if (set) return set;
    set = new Set<string>();
    goImports.set(c, set);
    for (const f of goFiles.get(c) ?? []) {
      const text = ctx.read(f);
      if (text !== undefined) for (const imp of ctx.polyglotIndex(f, 'go', text).imports) set.add(imp.module);
    }
    return set;
  };
  /** The components of a module whose Go files import a requirement (its path or a package below it). */
  const importers = (modDir: string, dep: BuildDep): string[] =>
    [...(goUsers.get(modDir) ?? [])]
      .filter((c) => [...importsOf(c)].some((m) => m === dep.name || m.startsWith(`${dep.name}/`)))
      .map((c) => c.id)
      .sort(compareStrings);

  // Other languages' build files.
  const languageVersions = new Map<string, Set<string>>();
  for (const file of [...ctx.files].sort(compareStrings)) {
    const kind = buildFileKind(file);
    if (!kind || ctx.isSetAside(file)) continue;
    // A build file outside every component (a load generator's, an end-to-end suite's) is not the system's.
    const owner = ownerOf(file);
    if (!owner) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    let deps: BuildDep[];
    try {
      deps = buildDependencies(file, text);
    } catch (e) {
      ctx.warn(file, 0, `build file not read: ${(e as Error).message}`);
      continue;
    }
    // What the file states besides its dependencies first, so that a parent pom is Spring Boot's evidence.
    for (const p of buildPlatforms(file, text)) {
      const platform = PLATFORMS[p.name];
      if (platform) add(platform, { file, line: p.line }, [owner.id], p.version);
      const language = LANGUAGE_PLATFORMS[p.name];
      if (language && p.version) {
        const set = languageVersions.get(language) ?? new Set<string>();
        set.add(p.version);
        languageVersions.set(language, set);
      }
    }
    for (const dep of deps) {
      const entries = buildEntries(dep);
      if (entries.length === 0) continue;
      // A Go requirement no production Go file imports is not the system's (a test library, a tool).
      const usedBy = kind === 'gomod' ? importers(folderOf(file), dep) : [owner.id];
      if (kind === 'gomod' && usedBy.length === 0) continue;
      for (const entry of entries) add(entry, { file, line: dep.line }, usedBy, dep.version);
    }
  }

  // Each component's language, with its first file as evidence: hand-written code, not generated
  // stubs, and not a tool's own file (a dot-folder such as `.mvn/wrapper`, a `babel.config.js`).
  const toolFile = (f: string) => f.split('/').some((seg) => seg.startsWith('.')) || f.slice(f.lastIndexOf('/') + 1).includes('.config.');
  const firstFile = new Map<string, string>();
  for (const f of ctx.files) {
    const language = languageOfFile(f);
    if (!language || ctx.isSetAside(f) || GENERATED.test(f) || toolFile(f)) continue;
    const c = ownerOf(f);
    if (!c) continue;
    const key = `${c.id}\u0000${language}`;
    const prev = firstFile.get(key);
    if (prev === undefined || compareStrings(f, prev) < 0) firstFile.set(key, f);
  }
  for (const c of model.components) {
    if (!c.language) continue;
    for (const language of c.language.split(' and ')) {
      const file = firstFile.get(`${c.id}\u0000${language}`);
      if (!file) continue;
      const id = idOf.tech(languageSlug(language));
      const prefix = c.path === '.' ? '' : `${c.path}/`;
      const shown = techs.get(id)?.evidence.some((e) => e.file.startsWith(prefix));
      // Evidence already in the component's folder (its package.json's `typescript`) shows it well enough.
      if (shown) techs.get(id)!.usedBy.push(c.id);
      else add(languageEntry(language), { file, line: 1 }, [c.id], undefined, id);
      // A component's language is the system's, not a build tool (the `typescript` package files it under tooling).
      techs.get(id)!.layer = 'backend';
      const stated = languageVersions.get(language);
      if (stated && added.has(id)) versions.set(id, new Map([...stated].map((v) => [v, language])));
    }
  }

  // A version is stated when the manifests agree, or list a few of one kind (Java 17 and 21); versions
  // of one library in several ecosystems (OpenTelemetry's Java, Go and npm packages) are not one version.
  for (const [id, seen] of versions) {
    const list = [...seen.keys()].sort(compareStrings);
    if (list.length === 1 || (new Set(seen.values()).size === 1 && list.length <= 3)) techs.get(id)!.version = list.join(', ');
  }
  const byId = new Map(model.components.map((c) => [c.id, c]));
  for (const t of techs.values()) {
    t.usedBy = sortedUnique(t.usedBy.filter((id) => byId.has(id)));
    t.evidence = sortedEvidence(t.evidence);
    for (const id of t.usedBy) byId.get(id)!.tech.push(t.id);
  }
  for (const c of model.components) c.tech = sortedUnique(c.tech);
  model.techStack = [...techs.values()].sort((a: Tech, b: Tech) => compareStrings(a.id, b.id));
}
