/**
 * Schemas and migrations nothing in the repository uses (the `unused` file role, decided with
 * the other roles in src/pipeline/roles.ts before any analyzer runs, so that no analyzer takes a
 * fact from them):
 *
 *   - Prisma: every `.prisma` file, and the migrations beside it (a `migrations/` folder holding
 *     Prisma's `migration_lock.toml`, next to the schema or to its folder), when the repository
 *     declares packages, none of them (set-aside packages, such as examples, not counted) depends
 *     on `prisma` or `@prisma/*`, and no Python, Go or Rust manifest names prisma
 *     (prisma-client-py, prisma-client-go, prisma-client-rust). The leftover of a replaced system
 *     or an export script's input: nothing reads its models.
 *   - Kysely: a `migration(s)/` folder (the folders the sql-migrations analyzer reads scripts
 *     from) whose scripts are all Kysely migrations (they import `kysely`, or build the schema with
 *     `.schema` … `.addColumn(` … `.execute(`) and that holds no SQL file, when nothing runs them:
 *     no `Migrator` or `FileMigrationProvider` anywhere in the repository's scripts (whatever their
 *     role: a migrate script in `scripts/` runs them; the migrations folder's own files included),
 *     no `kysely.config.*` (kysely-ctl), no package depending on kysely-ctl or another kysely
 *     migration runner (`kysely-*migrat*`), no package.json naming `kysely-ctl` or running
 *     `kysely migrate…`, and no `migrations:` property naming the folder (SST v2's RDS construct runs the folder it is
 *     given; a value that is not a literal counts as naming it).
 *
 * Only production files become unused; the config's `roles` and `.gitattributes` still decide
 * first. Everything is plain string scanning (no regular expression runs on repository text).
 */
import { dirOf, joinPosix } from '../util/paths.js';
import { isIdentifierChar } from '../util/text.js';
import type { WorkspacePackage } from '../analyzer/workspace.js';

/**
 * The tool whose files nothing uses (`plugins`: a framework's plugins its settings switch off,
 * src/pipeline/dead-code.ts; `unreachable`: modules no entry of a package of functions reaches,
 * src/pipeline/unreachable.ts).
 */
export type UnusedTool = 'prisma' | 'kysely' | 'plugins' | 'unreachable';

export interface UnusedInputs {
  /** Discovered files, every role. */
  files: readonly string[];
  packages?: readonly { path: string; dependencies?: WorkspacePackage['dependencies'] }[];
  read?: (file: string) => string | undefined;
  /** Whether a file is still production and may become unused (not decided by the config or `.gitattributes`). */
  candidate: (file: string) => boolean;
  /** Whether a file is production (a package whose manifest is set aside does not count). */
  production: (file: string) => boolean;
}

const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);
/** Manifests of other languages that name a Prisma client (prisma-client-py, -go, -rust). */
const OTHER_MANIFESTS = ['pyproject.toml', 'Pipfile', 'go.mod', 'Cargo.toml'];
const isOtherManifest = (file: string) => {
  const b = base(file);
  return OTHER_MANIFESTS.includes(b) || (b.startsWith('requirements') && b.endsWith('.txt'));
};
const MIGRATION_SCRIPT_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'];
const SCRIPT_EXTENSIONS = [...MIGRATION_SCRIPT_EXTENSIONS, '.tsx', '.jsx'];
const extensionOf = (file: string) => {
  const b = base(file);
  const dot = b.lastIndexOf('.');
  return dot < 0 ? '' : b.slice(dot);
};

/** The files nothing uses, each with its tool. */
export function unusedFiles(inputs: UnusedInputs): Map<string, UnusedTool> {
  const out = new Map<string, UnusedTool>();
  if (!inputs.read) return out;
  for (const f of unusedPrisma(inputs)) out.set(f, 'prisma');
  for (const f of unusedKysely(inputs)) out.set(f, 'kysely');
  return out;
}

function unusedPrisma(inputs: UnusedInputs): string[] {
  const schemas = inputs.files.filter((f) => f.endsWith('.prisma') && inputs.candidate(f));
  if (schemas.length === 0) return [];
  // Without packages, or without what they depend on, nothing can be said.
  const packages = inputs.packages ?? [];
  if (packages.length === 0 || packages.some((p) => p.dependencies === undefined)) return [];
  const fileSet = new Set(inputs.files);
  const kept = packages.filter((p) => {
    const manifest = joinPosix(p.path, 'package.json');
    return !fileSet.has(manifest) || inputs.production(manifest);
  });
  if (kept.some((p) => [...p.dependencies!.keys()].some((d) => d === 'prisma' || d.startsWith('@prisma/')))) return [];
  if (inputs.files.some((f) => isOtherManifest(f) && (inputs.read!(f) ?? '').includes('prisma'))) return [];
  // Prisma's migrations: `migrations/` with its migration_lock.toml beside the schema, or beside
  // the schema's folder (`prisma/schema/*.prisma` with `prisma/migrations/`).
  const migrationDirs = new Set<string>();
  for (const schema of schemas) {
    for (const dir of [dirOf(schema), dirOf(dirOf(schema))]) {
      const migrations = joinPosix(dir, 'migrations');
      if (fileSet.has(`${migrations}/migration_lock.toml`)) migrationDirs.add(migrations);
    }
  }
  const migrations = inputs.files.filter((f) => [...migrationDirs].some((d) => f.startsWith(`${d}/`)) && inputs.candidate(f));
  return [...schemas, ...migrations];
}

/** The `migration`/`migrations` folder nearest to a file, if any (the folders sql-migrations reads scripts from). */
export function migrationFolder(file: string): string | undefined {
  const segs = file.split('/');
  for (let i = segs.length - 2; i >= 0; i--) if (segs[i] === 'migrations' || segs[i] === 'migration') return segs.slice(0, i + 1).join('/');
  return undefined;
}

/** A Kysely migration: it imports kysely, or builds the schema the way only Kysely does. */
function isKyselyMigration(text: string): boolean {
  if (text.includes("'kysely'") || text.includes('"kysely"')) return true;
  return text.includes('.schema') && text.includes('.addColumn(') && text.includes('.execute(');
}

function unusedKysely(inputs: UnusedInputs): string[] {
  const read = inputs.read!;
  const folders = new Map<string, string[]>();
  const spoilt = new Set<string>();
  for (const file of inputs.files) {
    const folder = migrationFolder(file);
    if (!folder) continue;
    const ext = extensionOf(file);
    if (ext === '.sql') spoilt.add(folder);
    if (!MIGRATION_SCRIPT_EXTENSIONS.includes(ext) || file.endsWith('.d.ts') || !inputs.production(file)) continue;
    if (!inputs.candidate(file) || !isKyselyMigration(read(file) ?? '')) spoilt.add(folder);
    else folders.set(folder, [...(folders.get(folder) ?? []), file]);
  }
  for (const f of spoilt) folders.delete(f);
  if (folders.size === 0) return [];

  // What runs Kysely migrations: kysely-ctl and other runners, a Migrator, an IaC construct.
  for (const p of inputs.packages ?? []) {
    for (const d of p.dependencies?.keys() ?? []) if (d === 'kysely-ctl' || (d.startsWith('kysely-') && d.includes('migrat'))) return [];
  }
  if (inputs.files.some((f) => base(f).startsWith('kysely.config.'))) return [];
  // A package.json script that runs kysely-ctl without declaring it (`npx kysely-ctl migrate:latest`).
  for (const file of inputs.files) {
    if (base(file) !== 'package.json') continue;
    const text = read(file) ?? '';
    if (text.includes('kysely-ctl') || text.includes('kysely migrate')) return [];
  }
  // Every script, the migrations folder's own included (a `migrations/run.ts` holding the Migrator).
  for (const file of inputs.files) {
    if (!SCRIPT_EXTENSIONS.includes(extensionOf(file))) continue;
    const text = read(file);
    if (!text) continue;
    if (hasWord(text, 'Migrator') || hasWord(text, 'FileMigrationProvider')) return [];
    for (const value of migrationsValues(text)) {
      if (value === undefined) return [];
      for (const folder of [...folders.keys()]) if (namesFolder(value, dirOf(file), folder)) folders.delete(folder);
    }
  }
  return [...folders.values()].flat();
}

/** Whether `word` occurs in the text as a whole identifier. */
function hasWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    if ((at === 0 || !isIdentifierChar(text.charCodeAt(at - 1))) && !isIdentifierChar(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

/**
 * The values of `migrations:` properties (`migrations: 'packages/core/migrations'`, quoted keys
 * too): a string literal's text, or undefined for a value that is not a literal (a variable, a
 * `path.join(…)`: it may name any folder). Objects and arrays (Knex's `{ directory }`, TypeORM's
 * globs) configure other tools and are skipped.
 */
function migrationsValues(text: string): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let at = text.indexOf('migrations'); at >= 0; at = text.indexOf('migrations', at + 10)) {
    if (at > 0 && isIdentifierChar(text.charCodeAt(at - 1))) continue;
    let i = at + 10;
    if (text[i] === '"' || text[i] === "'") {
      if (text[at - 1] !== text[i]) continue;
      i++;
    } else if (isIdentifierChar(text.charCodeAt(i))) continue;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== ':') continue;
    i++;
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
    const q = text[i];
    if (q === '{' || q === '[') continue;
    if (q === "'" || q === '"' || q === '`') {
      const end = text.indexOf(q, i + 1);
      const value = end > i ? text.slice(i + 1, end) : undefined;
      out.push(value === undefined || value.includes('${') || value.includes('\n') ? undefined : value);
    } else out.push(undefined);
  }
  return out;
}

/** Whether a `migrations` value, written in a file of folder `from`, names the folder (from the file's folder, the repository root, or as its tail). */
function namesFolder(value: string, from: string, folder: string): boolean {
  let v = value;
  while (v.startsWith('./')) v = v.slice(2);
  while (v.endsWith('/')) v = v.slice(0, -1);
  if (v === '') return false;
  return joinPosix(from, v) === folder || v === folder || folder.endsWith(`/${v}`);
}
