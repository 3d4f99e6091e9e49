/**
 * File roles: every discovered file is production code or configuration, or is set aside as a
 * test, an e2e suite, an example, a fixture, a code-generator template, generated or vendored code,
 * documentation, a benchmark or tooling. Only production files feed architecture facts by default
 * (an analyzer that needs another role declares it in its meta, `reads`).
 *
 * The rules, strongest first (the first that gives a role decides):
 *   1. the config's `roles` (glob → role; the last matching entry wins);
 *   2. `linguist-vendored`, `linguist-generated`, `linguist-documentation` in `.gitattributes`
 *      files (root and nested; `-attr`, `!attr` and `attr=false` turn one off; the last line wins);
 *   3. a workspace package whose folder or name says e2e, benchmark, example or test: its folder;
 *   4. folder names, outermost first (`examples/app/test/x.ts` is an example). A docs folder
 *      (`docs/`, `doc/`, `documentation/`, GitHub Linguist's rule) is documentation whole, an
 *      OpenAPI or AsyncAPI file included: such a copy is written from the code (swag,
 *      an export script) or for readers, and the endpoints come from the code. A compose file
 *      directly in a `dev`, `local` or `development` folder (`docker/dev/compose.yml`), and
 *      `.devcontainer/`, describe local development: tooling;
 *   5. file names (`*.spec.ts`, `*.template.ts`, `*.generated.ts`, `README.md`, `.hbs` …), and a
 *      script named `test` (`src/test.ts`) that exports nothing: a test run by hand (one that
 *      exports something is a module, e.g. a router of `/test` routes); Python's `test.py` and
 *      `tests.py` (Django's test module), `test_*.py`, `*_test.py` and `conftest.py` are tests;
 *   6. a folder of several Prisma schemas that each declare their own datasource: samples;
 *   7. the `out` folder of a drizzle-kit configuration: generated; a documentation site's folder: documentation;
 *   8. schemas and migrations nothing uses (src/pipeline/unused.ts): a Prisma schema when packages
 *      exist and none depends on Prisma, and its migrations; a Kysely migrations folder nothing
 *      runs (no Migrator, kysely-ctl configuration or construct naming the folder): unused;
 *   9. code nothing runs (src/pipeline/dead-code.ts): a plugin folder the framework's settings leave
 *      switched off or do not name (lin-mizar's `pluginPath`): unused; a package's script that
 *      exports nothing, runs something at its top level and that no other file names (no import,
 *      manifest, Dockerfile, Procfile, compose, HTML or IaC mention): tooling, run by hand;
 *  10. scripts run by hand and what only they use (src/pipeline/script-roles.ts): a script that
 *      exports nothing, run by a package.json script or Makefile target named for a task on the
 *      data (`seed`, `import`, `insert`, `backfill`, `reset`, `create-user` …), is tooling; a
 *      production script that only seed data loaders and tooling scripts import (transitively),
 *      never tests, takes their role — unless an entry names it (package.json, Dockerfile,
 *      Procfile, compose, IaC handlers, path strings in code) or a framework's route folder holds it;
 *  11. everything else is production (CI files, Dockerfiles, compose, manifests, infrastructure).
 * An API description outside a docs folder stays production; whether it describes the served API
 * (some production file names it) or is only a description (nothing does) is the openapi
 * analyzer's to decide (analyzers/openapi/README.md), as it depends on what the code serves.
 * Everything is plain string scanning (no regular expression runs on repository text).
 */
import { languageOfFile, SCRIPT_LANGUAGES } from '../data/languages.js';
import { compareStrings } from '../model/compare.js';
import { GitIgnore, matchesGlob } from '../util/glob.js';
import { developmentFiles } from './dev-images.js';
import { dirOf, joinPosix } from '../util/paths.js';
import type { WorkspacePackage } from '../analyzer/workspace.js';
import { migrationFolder, unusedFiles, type UnusedTool } from './unused.js';
import { mentionsExport, scriptRoles } from './script-roles.js';
import { deadCode } from './dead-code.js';
import { unreachableModules } from './unreachable.js';

export const ROLES = [
  'production',
  'test',
  'e2e',
  'example',
  'fixture',
  'template',
  'generated',
  'vendored',
  'documentation',
  'benchmark',
  'tooling',
  'unused',
] as const;
export type FileRole = (typeof ROLES)[number];
export type SetAsideRole = Exclude<FileRole, 'production'>;

/** Folder names (any depth, matched whole, case-insensitive) and the role of everything under them. */
const FOLDER_ROLES: ReadonlyMap<string, SetAsideRole> = new Map<string, SetAsideRole>([
  ['__tests__', 'test'],
  ['__mocks__', 'test'],
  ['__snapshots__', 'test'],
  ['test', 'test'],
  ['tests', 'test'],
  ['mocks', 'test'],
  ['mock', 'test'],
  ['testing', 'test'],
  ['__test__', 'test'],
  ['spec', 'test'],
  ['test-utils', 'test'],
  ['testutils', 'test'],
  ['integration-tests', 'test'],
  ['integration-test', 'test'],
  ['e2e', 'e2e'],
  ['e2e-tests', 'e2e'],
  ['cypress', 'e2e'],
  ['playwright', 'e2e'],
  ['__fixtures__', 'fixture'],
  ['fixtures', 'fixture'],
  ['testdata', 'fixture'],
  ['test-data', 'fixture'],
  ['seeds', 'fixture'],
  ['seeders', 'fixture'],
  ['seed', 'fixture'],
  ['example', 'example'],
  ['examples', 'example'],
  ['sample', 'example'],
  ['samples', 'example'],
  ['demo', 'example'],
  ['demos', 'example'],
  ['playground', 'example'],
  ['playgrounds', 'example'],
  ['_templates', 'template'],
  ['__generated__', 'generated'],
  ['generated', 'generated'],
  ['third_party', 'vendored'],
  ['third-party', 'vendored'],
  ['thirdparty', 'vendored'],
  ['3rdparty', 'vendored'],
  ['vendors', 'vendored'],
  ['vendor', 'vendored'],
  ['.yarn', 'vendored'],
  ['bench', 'benchmark'],
  ['benchmark', 'benchmark'],
  ['benchmarks', 'benchmark'],
  ['load-test', 'benchmark'],
  ['load-tests', 'benchmark'],
  ['loadtest', 'benchmark'],
  ['loadtests', 'benchmark'],
  ['load-gen', 'benchmark'],
  ['loadgen', 'benchmark'],
  ['load-generator', 'benchmark'],
  ['loadgenerator', 'benchmark'],
  ['scripts', 'tooling'],
  ['tools', 'tooling'],
  ['.husky', 'tooling'],
  ['remix.init', 'template'],
  ['.vscode', 'tooling'],
  ['.idea', 'tooling'],
  ['.devcontainer', 'tooling'],
]);

/** Folders of a web app's static assets: a `vendor` folder in them holds copies of third-party libraries (`public/vendor/`). */
const WEB_ASSET_FOLDERS = new Set(['public', 'static', 'assets', 'wwwroot', 'www', 'js', 'javascripts', 'lib', 'libs', 'views']);
/** Source roots of the JVM build layout (`src/main/java`): folders below them are package names. */
const JVM_SOURCE_ROOTS = new Set(['java', 'kotlin', 'scala', 'groovy']);
/**
 * Folder names that are just as often production code inside an application (`src/tools/` of an
 * agent, `src/vendors/` of a marketplace, `app/demo/page.tsx`, `src/scripts/` run by a CronJob):
 * they give a role only at the repository's root or at a workspace package's root.
 */
const AMBIGUOUS_FOLDERS = new Set([
  'scripts',
  'tools',
  'vendors',
  'vendor',
  'fixtures',
  'sample',
  'samples',
  'demo',
  'demos',
  'playground',
  'playgrounds',
  'mock',
  'mocks',
  'testing',
  'spec',
  'generated',
]);
/** Infrastructure folders: below them, `test`, `testing` or `demo` name an environment, not tests or examples. */
const INFRA_FOLDERS = new Set([
  'infra',
  'infrastructure',
  'deploy',
  'deployment',
  'deployments',
  'k8s',
  'kubernetes',
  'helm',
  'charts',
  'terraform',
  'envs',
  'environments',
  'overlays',
]);

/** Documentation folders: only where they are not a workspace package (a docs site is an app). */
const DOC_FOLDERS = new Set(['docs', 'doc', 'documentation']);
/** Folders whose compose files run services for local development (`docker/dev/compose.yml`), not a deployment. */
const LOCAL_DEV_FOLDERS = new Set(['dev', 'local', 'development']);
/** Folders of a code generator, under which `templates/` and `files/` hold templates (Nx, Angular schematics, plop, hygen). */
const GENERATOR_FOLDERS = new Set(['generator', 'generators', 'schematic', 'schematics', 'plop', 'plop-templates', 'hygen', 'blueprints']);
const GENERATOR_TEMPLATE_FOLDERS = new Set(['templates', 'template', 'files']);

/** Words of a workspace package's folder or name that make the whole package a set-aside role. */
const PACKAGE_WORDS: ReadonlyMap<string, SetAsideRole> = new Map<string, SetAsideRole>([
  ['e2e', 'e2e'],
  ['cypress', 'e2e'],
  ['playwright', 'e2e'],
  ['bench', 'benchmark'],
  ['benchmark', 'benchmark'],
  ['benchmarks', 'benchmark'],
  ['example', 'example'],
  ['examples', 'example'],
  ['demo', 'example'],
  ['sample', 'example'],
  ['samples', 'example'],
  ['playground', 'example'],
  ['test', 'test'],
  ['tests', 'test'],
  ['testing', 'test'],
  ['mock', 'test'],
  ['mocks', 'test'],
  ['loadgen', 'benchmark'],
  ['loadtest', 'benchmark'],
]);

const DOC_EXTENSIONS = ['.md', '.markdown', '.rst', '.adoc'];
const TEST_SUFFIXES = ['test', 'spec', 'stories', 'story', 'bench'];

/** A `.gitattributes` file: its path and text. */
export interface AttributesFile {
  file: string;
  text: string;
}

export interface RoleInputs {
  files: readonly string[];
  /** Every `.gitattributes` discovered, with its text. */
  gitattributes?: readonly AttributesFile[];
  /** Workspace packages (folder and name; `scaffolds`: a `create-*` package, npm's name for a scaffolder, whose `template(s)/` folder is templates). */
  packages?: readonly { path: string; name: string; dependencies?: WorkspacePackage['dependencies']; scaffolds?: boolean }[];
  /** Whether the packages are declared (npm/yarn/pnpm workspaces, lerna, Nx, Nest) rather than found as nested package.json files. */
  declaredPackages?: boolean;
  /** The config's corrections, in the order written (glob → role). */
  overrides?: Readonly<Record<string, FileRole>>;
  /** Reads a discovered file (for the Prisma-samples and unused-schema rules); undefined when unreadable. */
  read?: (file: string) => string | undefined;
  /** The discovered file an import specifier refers to (the run's module resolver), for what only scripts import. */
  resolve?: (from: string, specifier: string) => string | undefined;
}

/** Why a file has its role (for tests and `model --json`-style debugging). */
export type RoleSource =
  | 'config'
  | 'gitattributes'
  | 'package'
  | 'folder'
  | 'name'
  | 'schemas'
  | 'unused'
  | 'command'
  | 'imports'
  | 'plugins'
  | 'orphan'
  | 'unreachable'
  | 'default';

export interface RoleMap {
  roleOf(file: string): FileRole;
  sourceOf(file: string): RoleSource;
  /**
   * The folder a set-aside file is counted under: the package or folder that gave the role (one
   * level deeper for a folder of examples, e2e suites or benchmarks: `examples/supabase`), else the
   * file's own folder.
   */
  originOf(file: string): string;
  /** Files per role, each list sorted. */
  byRole: ReadonlyMap<FileRole, readonly string[]>;
  /** The tool whose unused schema or migration a file is (role `unused`). */
  unusedOf(file: string): UnusedTool | undefined;
}

/** A set-aside role's count and its top folders (by count, then name). */
export interface RoleSummary {
  role: SetAsideRole;
  count: number;
  folders: string[];
  folderCount: number;
  /** Languages other than TypeScript/JavaScript among them (a Python load test), sorted; absent when none. */
  languages?: string[];
  /** For the `unused` role: its files by tool (why nothing uses them), by tool name. */
  tools?: { tool: UnusedTool; count: number; folders: string[]; folderCount: number }[];
}

const lower = (s: string) => s.toLowerCase();

/** Words of a name split at `-`, `_`, `.`, `@`, `/` (plain scanning). */
function words(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of lower(name)) {
    if (c === '-' || c === '_' || c === '.' || c === '@' || c === '/') {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Browser-automation libraries a package may run in production (a scraping or rendering service)
 * under the name of the test tool: the word names a service, not tests, when the package declares
 * the library as a run-time dependency and not the tool's test runner.
 */
const RUNTIME_TOOLS: ReadonlyMap<string, { libraries: readonly string[]; runner: string }> = new Map([
  ['playwright', { libraries: ['playwright', 'playwright-core', 'playwright-chromium'], runner: '@playwright/test' }],
]);

function runsToolInProduction(word: string, dependencies: WorkspacePackage['dependencies'] | undefined): boolean {
  const tool = RUNTIME_TOOLS.get(word);
  if (!tool || !dependencies || dependencies.has(tool.runner)) return false;
  return tool.libraries.some((l) => dependencies.get(l)?.field === 'dependencies');
}

/** The role a workspace package's folder (last segment) or name gives all its files, if any. */
export function packageRole(pkg: { path: string; name: string; dependencies?: WorkspacePackage['dependencies'] }): SetAsideRole | undefined {
  if (pkg.path === '.') return undefined;
  const last = pkg.path.slice(pkg.path.lastIndexOf('/') + 1);
  const unscoped = pkg.name.startsWith('@') && pkg.name.includes('/') ? pkg.name.slice(pkg.name.indexOf('/') + 1) : pkg.name;
  // The first or last word (`web-e2e`, `test-utils`, `util-testing`); a word in the middle names
  // what the package is about (`ab-testing-api`, `demo-booking-service`).
  for (const ws of [words(last), words(unscoped)]) {
    for (const w of [ws[0], ws[ws.length - 1]]) {
      const role = w === undefined ? undefined : PACKAGE_WORDS.get(w);
      if (role && !runsToolInProduction(w!, pkg.dependencies)) return role;
    }
  }
  return undefined;
}

/**
 * The role a path's folders give it, outermost folder first, and the folder that gave it.
 * `packageDirs`: workspace package folders (a `docs` package is an app, not documentation).
 */
/** A Compose file by its name (`compose.yml`, `docker-compose.dev.yaml`). */
function isComposeFile(file: string): boolean {
  const base = lower(file.slice(file.lastIndexOf('/') + 1));
  return base.includes('compose') && (base.endsWith('.yml') || base.endsWith('.yaml'));
}

/** Deployment descriptors: a Dockerfile or compose file in a scripts or tools folder still says how something is built or run. */
function isDeploymentDescriptor(file: string): boolean {
  const base = lower(file.slice(file.lastIndexOf('/') + 1));
  return base === 'dockerfile' || base.endsWith('.dockerfile') || base.startsWith('dockerfile.') || isComposeFile(file);
}

/**
 * A compose file directly in a `dev`, `local` or `development` folder (`docker/dev/compose.yml`
 * beside `docker/prod/compose.yml`): the services a developer runs locally. Below an
 * infrastructure folder (`deploy/dev/`, `environments/dev/`) the folder names a deployed
 * environment instead.
 */
function isLocalDevCompose(file: string): boolean {
  const segs = file.split('/');
  if (segs.length < 2 || !isComposeFile(file) || !LOCAL_DEV_FOLDERS.has(lower(segs[segs.length - 2]!))) return false;
  return !segs.slice(0, -2).some((x) => INFRA_FOLDERS.has(lower(x)));
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * A script named `test` (`apps/queue/src/test.ts`, `email-templates/test.ts`) that exports
 * nothing: run by hand to try something out (enqueue fake jobs, render templates), not a module
 * of the application. One that exports something (a `/test` router, a Lambda handler named in
 * the infrastructure) stays production; so do `test.yml` workflows and `config/test.json`.
 */
function isTestScript(file: string, read: (file: string) => string | undefined): boolean {
  const base = lower(file.slice(file.lastIndexOf('/') + 1));
  const dot = base.lastIndexOf('.');
  if (dot < 0 || base.slice(0, dot) !== 'test' || !SCRIPT_EXTENSIONS.includes(base.slice(dot))) return false;
  const text = read(file);
  return text !== undefined && !mentionsExport(text);
}

export function folderRole(
  file: string,
  packageDirs: ReadonlySet<string> = new Set(),
  scaffolders: ReadonlySet<string> = new Set(),
): { role: SetAsideRole; folder: string } | undefined {
  const segs = file.split('/');
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = lower(segs[i]!);
    const folder = segs.slice(0, i + 1).join('/');
    // Below `src/main/java` (kotlin, scala, groovy) the folders are a package name, not roles:
    // `com/example/demo` is Spring Initializr's default, `anthos/samples/bank` a real service.
    if (seg === 'main' && i > 0 && lower(segs[i - 1]!) === 'src' && JVM_SOURCE_ROOTS.has(lower(segs[i + 1] ?? ''))) return undefined;
    // A scaffolding CLI's own templates (`create-app/template/…`): the project it writes, not the CLI.
    if (GENERATOR_TEMPLATE_FOLDERS.has(seg) && seg !== 'files' && scaffolders.has(i === 0 ? '.' : segs.slice(0, i).join('/')))
      return { role: 'template', folder };
    const role = FOLDER_ROLES.get(seg);
    const parent = i === 0 ? '.' : segs.slice(0, i).join('/');
    const atRoot = i === 0 || packageDirs.has(parent);
    const underInfra = segs.slice(0, i).some((x) => INFRA_FOLDERS.has(lower(x)));
    if (
      role &&
      (atRoot || !AMBIGUOUS_FOLDERS.has(seg) || (seg === 'vendor' && i > 0 && WEB_ASSET_FOLDERS.has(lower(segs[i - 1]!)))) &&
      !(underInfra && role !== 'vendored' && role !== 'generated') &&
      !(role === 'test' && seg === 'spec' && isApiSpecName(file))
    ) {
      return { role, folder };
    }
    if (DOC_FOLDERS.has(seg) && !packageDirs.has(folder)) return { role: 'documentation', folder };
    if (GENERATOR_TEMPLATE_FOLDERS.has(seg) && i > 0 && GENERATOR_FOLDERS.has(lower(segs[i - 1]!))) return { role: 'template', folder };
    // A generator's own folder of templates one level down (generators/<name>/files/…).
    if (GENERATOR_TEMPLATE_FOLDERS.has(seg) && i > 1 && GENERATOR_FOLDERS.has(lower(segs[i - 2]!))) return { role: 'template', folder };
  }
  return undefined;
}

/**
 * An API specification by its name (`openapi.json`, `swagger.yaml`, `orders.openapi.yml`,
 * `asyncapi.yaml`): a contract, so a `spec/` folder holding one is no test folder.
 */
export function isApiSpecName(file: string): boolean {
  const base = lower(file.slice(file.lastIndexOf('/') + 1));
  if (!(base.endsWith('.json') || base.endsWith('.yaml') || base.endsWith('.yml'))) return false;
  return words(base).some((w) => w === 'openapi' || w === 'swagger' || w === 'asyncapi');
}

/** The role a file's own name gives it. */
export function nameRole(file: string): SetAsideRole | undefined {
  const base = lower(file.slice(file.lastIndexOf('/') + 1));
  if (DOC_EXTENSIONS.some((e) => base.endsWith(e))) return 'documentation';
  // Handlebars, EJS or Nunjucks files are an application's views (e-mails, pages) unless a
  // generator's folder holds them: the folder rules decide, not the extension.
  if (base.endsWith('__tmpl__')) return 'template';
  // A stem ending in `Test`/`Tests` after a lower-case letter (`mongoTest.ts`, `OrderServiceTests.java`; not `contest.ts`).
  const stem = file.slice(file.lastIndexOf('/') + 1).split('.')[0]!;
  for (const suffix of ['Tests', 'Test']) {
    const before = stem.charAt(stem.length - suffix.length - 1);
    if (stem.endsWith(suffix) && before >= 'a' && before <= 'z') return 'test';
  }
  // Tests by the conventions of other languages and test-tool configuration.
  if (base.endsWith('_test.go') || base === 'conftest.py' || (base.endsWith('.py') && (base.startsWith('test_') || base.endsWith('_test.py')))) return 'test';
  // Django's test module (`tests.py`), and a Flask CLI's test command (`cli/test.py`).
  if (base === 'test.py' || base === 'tests.py') return 'test';
  if (/^(jest|vitest|karma|mocha)\.(config|setup)\./.test(base) || base === '.mocharc.yml' || base === '.mocharc.json') return 'test';
  if (/^(cypress|playwright)\.config\./.test(base)) return 'e2e';
  // Test environments (`.env.test`) and seed data (`seed.ts`, `seed.sql`).
  if (base === '.env.test' || base === '.env.testing' || base === '.env.e2e') return 'test';
  if (base.startsWith('seed.') || base.startsWith('seeds.') || base.startsWith('seeder.')) return 'fixture';
  const parts = base.split('.');
  // The words between the stem and the extension: `user.service.spec.ts` → service, spec.
  const middle = parts.slice(1, -1);
  if (middle.includes('template')) return 'template';
  if (middle.includes('generated') || middle.includes('gen') || base.endsWith('.min.js') || base.endsWith('_pb.js') || base.endsWith('_pb.d.ts'))
    return 'generated';
  for (const m of middle) {
    if (m === 'e2e' || m.startsWith('e2e-') || m === 'cy') return 'e2e';
    if (m === 'bench' || m === 'benchmark') return 'benchmark';
    if (TEST_SUFFIXES.includes(m) || m === 'e2e-spec' || m === 'test-d') return 'test';
  }
  return undefined;
}

type AttrValue = boolean | undefined;
const LINGUIST: { attr: string; role: SetAsideRole }[] = [
  { attr: 'linguist-vendored', role: 'vendored' },
  { attr: 'linguist-generated', role: 'generated' },
  { attr: 'linguist-documentation', role: 'documentation' },
];

interface AttrRule {
  base: string;
  matcher: GitIgnore;
  values: Map<string, AttrValue>;
}

/** The linguist attribute lines of `.gitattributes` files, shallowest file first, in line order. */
export function parseAttributes(files: readonly AttributesFile[]): AttrRule[] {
  const rules: AttrRule[] = [];
  const sorted = [...files].sort((a, b) => a.file.split('/').length - b.file.split('/').length || compareStrings(a.file, b.file));
  for (const { file, text } of sorted) {
    const dir = dirOf(file);
    const base = dir === '.' ? '' : dir;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const fields = line.split(/[ \t]/).filter((f) => f !== '');
      const pattern = fields[0]!;
      const values = new Map<string, AttrValue>();
      for (const f of fields.slice(1)) {
        const neg = f.startsWith('-') || f.startsWith('!');
        const body = neg ? f.slice(1) : f;
        const eq = body.indexOf('=');
        const name = eq < 0 ? body : body.slice(0, eq);
        if (!LINGUIST.some((l) => l.attr === name)) continue;
        const value = eq < 0 ? true : lower(body.slice(eq + 1)) !== 'false';
        values.set(name, neg ? false : value);
      }
      if (values.size === 0 || pattern.startsWith('!')) continue;
      rules.push({ base, matcher: new GitIgnore([pattern], 1), values });
    }
  }
  return rules;
}

/**
 * The linguist role `.gitattributes` gives a file: true for set, false for explicitly unset
 * (an override that makes the file production whatever its folder says), undefined for nothing.
 * A pattern that matches one of the file's folders counts for the file too.
 */
export function attributesRole(file: string, rules: readonly AttrRule[]): SetAsideRole | false | undefined {
  const state = new Map<string, AttrValue>();
  for (const r of rules) {
    if (r.base !== '' && !file.startsWith(r.base + '/')) continue;
    const rel = r.base === '' ? file : file.slice(r.base.length + 1);
    let hit = r.matcher.ignores(rel, false);
    for (let at = rel.indexOf('/'); !hit && at >= 0; at = rel.indexOf('/', at + 1)) hit = r.matcher.ignores(rel.slice(0, at), true);
    if (!hit) continue;
    for (const [k, v] of r.values) state.set(k, v);
  }
  for (const { attr, role } of LINGUIST) if (state.get(attr) === true) return role;
  for (const { attr } of LINGUIST) if (state.get(attr) === false) return false;
  return undefined;
}

/**
 * The `out` folder a drizzle-kit configuration names (`out: './drizzle'`), when its `schema` does
 * not point inside it. Plain scanning of the first `out:` and `schema:` string values.
 */
function drizzleOut(text: string): string | undefined {
  const value = (key: string): string | undefined => {
    let at = text.indexOf(`${key}:`);
    while (at > 0 && /[\w$]/.test(text[at - 1]!)) at = text.indexOf(`${key}:`, at + 1);
    if (at < 0) return undefined;
    let i = at + key.length + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const q = text[i];
    if (q !== "'" && q !== '"' && q !== '`') return undefined;
    const end = text.indexOf(q, i + 1);
    return end > i ? text.slice(i + 1, end) : undefined;
  };
  const out = value('out')?.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!out) return undefined;
  const schema = value('schema')?.replace(/^\.\//, '');
  return schema && (schema === out || schema.startsWith(`${out}/`)) ? undefined : out;
}

/** Configuration files of documentation-site generators; `docs.json` is Mintlify's only when it names Mintlify. */
const SITE_CONFIGS = new Set([
  'mint.json',
  'docusaurus.config.js',
  'docusaurus.config.ts',
  'docusaurus.config.mjs',
  'eventcatalog.config.js',
  'eventcatalog.config.ts',
  'eventcatalog.config.mjs',
  'eventcatalog.config.cjs',
  'book.toml',
  'antora.yml',
  'mkdocs.yml',
  'mkdocs.yaml',
]);

/** Folders (never the root, nor a declared workspace package) holding a documentation site's configuration, deepest first. */
function documentationSites(inputs: RoleInputs, declared: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const file of inputs.files) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    let dir = dirOf(file);
    if (base.startsWith('config.') && dir.endsWith('.vitepress')) dir = dirOf(dir);
    else if (base === 'docs.json') {
      if (!(inputs.read?.(file) ?? '').includes('mintlify')) continue;
    } else if (!SITE_CONFIGS.has(base)) continue;
    if (dir === '.' || dir === '' || declared.has(dir)) continue;
    out.add(dir);
  }
  return [...out].sort((a, b) => b.length - a.length || compareStrings(a, b));
}

/** Number of lines of a Prisma schema that open a `datasource` block (plain scanning). */
function declaresDatasource(text: string): boolean {
  for (const raw of text.split('\n')) {
    const line = raw.trimStart();
    if (line.startsWith('datasource ') || line.startsWith('datasource\t')) return true;
  }
  return false;
}

export function classifyFiles(inputs: RoleInputs): RoleMap {
  const roles = new Map<string, FileRole>();
  const sources = new Map<string, RoleSource>();
  const origins = new Map<string, string>();
  const attrRules = parseAttributes(inputs.gitattributes ?? []);
  const packages = [...(inputs.packages ?? [])].sort((a, b) => b.path.length - a.path.length || compareStrings(a.path, b.path));
  const packageDirs = new Set(packages.map((p) => p.path));
  const scaffolders = new Set(packages.filter((p) => p.scaffolds).map((p) => p.path));
  const packageRoles = packages.map((p) => ({ path: p.path, role: packageRole(p) })).filter((p) => p.role !== undefined && p.path !== '.');
  const overrides = Object.entries(inputs.overrides ?? {});

  for (const file of inputs.files) {
    let role: FileRole | undefined;
    let source: RoleSource = 'default';
    for (const [glob, r] of overrides) {
      if (matchesGlob(file, glob) || matchesGlob(file, glob.endsWith('/') ? `${glob}**` : `${glob}/**`)) {
        role = r;
        source = 'config';
      }
    }
    if (role === undefined) {
      const attr = attributesRole(file, attrRules);
      if (attr === false) {
        role = 'production';
        source = 'gitattributes';
      } else if (attr) {
        role = attr;
        source = 'gitattributes';
      }
    }
    if (role === undefined) {
      // The outermost set-aside package holding the file.
      let outer: { path: string; role: SetAsideRole | undefined } | undefined;
      for (const p of packageRoles) if (file.startsWith(p.path + '/') && (!outer || p.path.length < outer.path.length)) outer = p;
      const found = folderRole(file, packageDirs, scaffolders);
      // A dev container's Dockerfile or compose file describes the developer's environment.
      const devContainer = found !== undefined && lower(found.folder.slice(found.folder.lastIndexOf('/') + 1)) === '.devcontainer';
      const folder = found?.role === 'tooling' && isDeploymentDescriptor(file) && !devContainer ? undefined : found;
      if (outer && (!folder || folder.folder.length >= outer.path.length)) {
        role = outer.role!;
        source = 'package';
        origins.set(file, outer.path);
      } else if (folder) {
        role = folder.role;
        source = 'folder';
        const depth = folder.folder.split('/').length;
        const segs = file.split('/');
        const perApp = (role === 'example' || role === 'e2e' || role === 'benchmark') && depth < segs.length - 1;
        origins.set(file, perApp ? segs.slice(0, depth + 1).join('/') : folder.folder);
      }
    }
    if (role === undefined && isLocalDevCompose(file)) {
      role = 'tooling';
      source = 'folder';
      origins.set(file, dirOf(file));
    }
    if (role === undefined) {
      const named = nameRole(file) ?? (inputs.read && isTestScript(file, inputs.read) ? 'test' : undefined);
      if (named) {
        role = named;
        source = 'name';
      }
    }
    roles.set(file, role ?? 'production');
    sources.set(file, source);
  }

  // Development images (`Dockerfile.dev`) and the development compose files that run them (dev-images.ts).
  if (inputs.read) {
    for (const file of developmentFiles(inputs.files, inputs.read)) {
      if (roles.get(file) !== 'production' || sources.get(file) === 'config' || sources.get(file) === 'gitattributes') continue;
      roles.set(file, 'tooling');
      sources.set(file, 'name');
      origins.set(file, dirOf(file));
    }
  }

  // Several Prisma schemas side by side, each with its own datasource: a collection of samples
  // (one system's schema, even split over files, has one datasource).
  if (inputs.read) {
    const byDir = new Map<string, string[]>();
    for (const file of inputs.files) {
      if (!file.endsWith('.prisma') || roles.get(file) !== 'production' || sources.get(file) === 'config') continue;
      const dir = dirOf(file);
      byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
    }
    for (const list of byDir.values()) {
      if (list.length < 2) continue;
      const withSource = list.filter((f) => declaresDatasource(inputs.read!(f) ?? ''));
      if (withSource.length < 2) continue;
      for (const f of withSource) {
        roles.set(f, 'example');
        sources.set(f, 'schemas');
      }
    }
  }

  // drizzle-kit's output folder (`out` in drizzle.config.*) holds the migrations it writes and,
  // after `drizzle-kit pull`, a schema.ts and relations.ts introspected from a database: generated
  // copies, not the schema the code imports (the config's `schema`), unless `schema` points there.
  if (inputs.read) {
    for (const config of inputs.files) {
      if (!/(^|\/)drizzle\.config\.[cm]?[jt]s$/.test(config)) continue;
      const out = drizzleOut(inputs.read(config) ?? '');
      if (!out) continue;
      const dir = joinPosix(dirOf(config), out);
      if (dir === '.' || dir.startsWith('..')) continue;
      for (const file of inputs.files) {
        if (!file.startsWith(`${dir}/`) || !/\.[cm]?[jt]s$/.test(file) || roles.get(file) !== 'production' || sources.get(file) === 'config') continue;
        roles.set(file, 'generated');
        sources.set(file, 'folder');
        origins.set(file, dir);
      }
    }
  }

  // Documentation sites: a folder holding a site generator's configuration (Mintlify, Docusaurus,
  // EventCatalog, VitePress, mdBook, Antora, MkDocs) is documentation, with its OpenAPI copies and
  // its own package.json, unless the repository declares it as a workspace package (then it is
  // an app the team builds with the rest).
  const sites = documentationSites(inputs, inputs.declaredPackages ? packageDirs : new Set());
  if (sites.length > 0) {
    for (const file of inputs.files) {
      if (roles.get(file) !== 'production' || sources.get(file) === 'config' || sources.get(file) === 'gitattributes') continue;
      const site = sites.find((d) => file.startsWith(`${d}/`));
      if (!site) continue;
      roles.set(file, 'documentation');
      sources.set(file, 'folder');
      origins.set(file, site);
    }
  }

  // Schemas and migrations nothing uses (src/pipeline/unused.ts): a Prisma schema is counted by
  // its own path, migrations by their folder.
  const unused = unusedFiles({
    files: inputs.files,
    packages: inputs.packages,
    read: inputs.read,
    candidate: (f) => roles.get(f) === 'production' && sources.get(f) !== 'config' && sources.get(f) !== 'gitattributes',
    production: (f) => roles.get(f) === 'production',
  });
  for (const [file, tool] of unused) {
    roles.set(file, 'unused');
    sources.set(file, 'unused');
    origins.set(file, tool === 'prisma' && file.endsWith('.prisma') ? file : (migrationFolder(file) ?? dirOf(file)));
  }

  // Code nothing runs (src/pipeline/dead-code.ts): switched-off plugins, scripts nothing names.
  for (const [file, dead] of deadCode(inputs, (f) => roles.get(f) === 'production' && sources.get(f) === 'default')) {
    roles.set(file, dead.role);
    sources.set(file, dead.source);
    origins.set(file, dead.folder);
  }

  // Scripts run by hand and what only scripts import (src/pipeline/script-roles.ts).
  if (inputs.read) {
    const fixed = (f: string) => sources.get(f) === 'config' || sources.get(f) === 'gitattributes';
    for (const [file, { role, source }] of scriptRoles({
      files: inputs.files,
      roleOf: (f) => roles.get(f)!,
      fixed,
      read: inputs.read,
      resolve: inputs.resolve,
    })) {
      roles.set(file, role);
      sources.set(file, source);
    }
    // Modules nothing reaches in a package of functions (src/pipeline/unreachable.ts).
    for (const [file] of unreachableModules({
      files: inputs.files,
      packages: inputs.packages,
      read: inputs.read,
      resolve: inputs.resolve,
      candidate: (f) => roles.get(f) === 'production' && !fixed(f),
      production: (f) => roles.get(f) === 'production',
    })) {
      roles.set(file, 'unused');
      sources.set(file, 'unreachable');
      origins.set(file, dirOf(file));
    }
  }

  const byRole = new Map<FileRole, string[]>();
  for (const file of [...inputs.files].sort(compareStrings)) {
    const r = roles.get(file)!;
    const list = byRole.get(r);
    if (list) list.push(file);
    else byRole.set(r, [file]);
  }
  return {
    roleOf: (file) => roles.get(file) ?? 'production',
    sourceOf: (file) => sources.get(file) ?? 'default',
    originOf: (file) => origins.get(file) ?? dirOf(file),
    byRole,
    unusedOf: (file) => unused.get(file) ?? (sources.get(file) === 'plugins' ? 'plugins' : sources.get(file) === 'unreachable' ? 'unreachable' : undefined),
  };
}

/** The set-aside roles with their counts and up to five top folders (`originOf`), by files then name. */
export function summariseRoles(map: RoleMap): RoleSummary[] {
  const out: RoleSummary[] = [];
  for (const role of ROLES) {
    if (role === 'production') continue;
    const files = map.byRole.get(role) ?? [];
    if (files.length === 0) continue;
    const languages = [...new Set(files.map(languageOfFile).filter((l): l is string => l !== undefined && !SCRIPT_LANGUAGES.has(l)))].sort(compareStrings);
    const summary: RoleSummary = { role, count: files.length, ...topFolders(map, files), ...(languages.length ? { languages } : {}) };
    if (role === 'unused') {
      const byTool = new Map<UnusedTool, string[]>();
      for (const f of files) {
        const tool = map.unusedOf(f);
        if (tool) byTool.set(tool, [...(byTool.get(tool) ?? []), f]);
      }
      if (byTool.size > 0)
        summary.tools = [...byTool].sort((a, b) => compareStrings(a[0], b[0])).map(([tool, list]) => ({ tool, count: list.length, ...topFolders(map, list) }));
    }
    out.push(summary);
  }
  return out;
}

/** Up to five folders (`originOf`) holding most of the files, by files then name, and how many in all. */
function topFolders(map: RoleMap, files: readonly string[]): { folders: string[]; folderCount: number } {
  const counts = new Map<string, number>();
  for (const f of files) {
    const key = map.originOf(f);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const folders = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
    .slice(0, 5)
    .map(([k]) => k);
  return { folders, folderCount: counts.size };
}
