/**
 * Scripts run by hand and what only they use (src/pipeline/roles.ts calls this after its own
 * rules, for the JavaScript and TypeScript files they left production):
 *
 *   1. **Hand-run scripts** (role `tooling`, source `command`): a script named by a package.json
 *      script or a Makefile target whose name says it changes data or the code base (`seed`,
 *      `import`, `insert`, `populate`, `backfill`, `reset`, `destroy`, `drop`, `create-user`,
 *      `generate` … — TOOL_WORDS), and that nothing else names as an entry (see below): one run
 *      directly that exports nothing (`node src/local/insert-user.js`, `tsx src/scripts/backfill.ts`),
 *      or a module the task's tool loads (`typeorm schema:drop -d src/db/data-source.ts`,
 *      `typeorm-extension seed -d …`) that no production script imports. A server's entry exports
 *      nothing too: what runs it (`start`, `dev`, a Dockerfile, a Procfile) says so, and a data
 *      source that `migrate` also loads is named by that command, which is no task of this kind.
 *   2. **What only scripts use** (source `imports`): a production script imported, directly or
 *      through other such files, by seed data loaders or tooling scripts (roles `fixture` and
 *      `tooling`, rule 1's included) and by no production code takes their role: the sample data
 *      a seeder inserts, the database client of a script folder. Tests do not count as such
 *      importers: a Lambda handler, a Next.js page or a CLI command is imported by tests and by
 *      no production file, and is still the system's code.
 *
 * A file some entry names is never set aside this way, nor is what it imports: package.json
 * `main`/`module`/`bin`/`exports` and its other scripts, the other targets of a Makefile, every
 * production Dockerfile, Procfile, compose, YAML, TOML, Terraform or JSON file (SAM `Handler:`,
 * serverless.yml `handler:`, fly.toml processes), and paths written as strings in production code
 * (a CDK `entry`, `new Worker('./worker.js')`, `fork`). A name is matched by its stem (`dist/seed.js`
 * names `src/seed.ts`, `users.handler` names `users.ts`), which errs towards keeping a file. Files of
 * framework route folders (`pages/`, `routes/`, `api/`, `functions/`, `handlers/`, Next.js `app/`
 * pages), the folder of a production script that loads modules by a computed path (`require(file)`
 * over a directory), and files a glob string names (`'dist/**\/*.entity.js'`) stay production too.
 * A seed script that an entry names (a worker under `scripts/` that a Procfile runs) passes on no role.
 *
 * Imports are found by plain scanning of `import … from '…'`, `import('…')`, `require('…')` and
 * `export … from '…'`, resolved by the run's module resolver (relative paths, tsconfig `paths`,
 * workspace packages); nothing is parsed or run, and no regular expression reads repository text.
 */
import { dirOf, joinPosix } from '../util/paths.js';
import { isIdentifierChar, parseJsonc } from '../util/text.js';
import type { FileRole, SetAsideRole } from './roles.js';

export interface ScriptRoleInputs {
  files: readonly string[];
  /** The role the earlier rules gave each file. */
  roleOf: (file: string) => FileRole;
  /** True for a role the config or `.gitattributes` set: never changed here. */
  fixed: (file: string) => boolean;
  read: (file: string) => string | undefined;
  /** The discovered file an import specifier refers to (the run's module resolver); relative paths only without it. */
  resolve?: (from: string, specifier: string) => string | undefined;
}

/** A file these rules set aside, its role and the rule. */
export interface ScriptRole {
  role: SetAsideRole;
  source: 'command' | 'imports';
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Roles whose scripts pass their role on to what only they import, strongest first. */
const SEED_ROLES: readonly SetAsideRole[] = ['fixture', 'tooling'];
/**
 * Words of a package.json script's or Makefile target's name (split at `:`, `-`, `_`, `.`, `/`)
 * that say the script it runs is a task run by hand on the data or the code base, not the system.
 * `migrate` is not among them: a migration runner is how the system's schema is applied.
 */
const TOOL_WORDS = new Set([
  'seed',
  'seeds',
  'seeder',
  'seeding',
  'import',
  'insert',
  'populate',
  'backfill',
  'reset',
  'destroy',
  'drop',
  'clear',
  'wipe',
  'purge',
  'truncate',
  'fake',
  'faker',
  'dummy',
  'fixture',
  'fixtures',
  'create',
  'add',
  'generate',
]);
/** Folders whose files a framework runs by their place (file-system routes, functions): entries nobody imports. */
const ROUTE_FOLDERS = new Set(['pages', 'routes', 'api', 'functions', 'handlers', 'lambda', 'lambdas']);
/** Next.js App Router files, entries under any `app/` folder. */
const APP_ROUTER_FILES = new Set(['page', 'route', 'layout', 'template', 'default', 'loading', 'error', 'not-found', 'middleware']);
/** At most this many strings are read from one script (a generated bundle holds thousands). */
const MAX_STRINGS = 5000;

const isScript = (file: string) => SCRIPT_EXTENSIONS.some((e) => file.endsWith(e)) && !file.endsWith('.d.ts');
const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** Whether a script's text has the word `export` anywhere (`export …`, `module.exports`, `exports.x`). */
export function mentionsExport(text: string): boolean {
  for (let at = text.indexOf('export'); at >= 0; at = text.indexOf('export', at + 6)) {
    if (at === 0 || !isIdentifierChar(text.charCodeAt(at - 1))) return true;
  }
  return false;
}

/** What the rules need of one script: its import specifiers, its other string literals, and whether it loads modules by a computed path. */
export interface ScannedScript {
  specifiers: string[];
  strings: string[];
  dynamic: boolean;
}

/**
 * The string literals of a script, each taken as an import specifier when `from`, `import`,
 * `require(` or `import(` comes right before it. Plain scanning, each character passed once; a
 * quote in a comment may pair wrongly, which at worst keeps a file production.
 */
export function scanScript(text: string): ScannedScript {
  const out: ScannedScript = { specifiers: [], strings: [], dynamic: false };
  let i = 0;
  let count = 0;
  while (i < text.length && count < MAX_STRINGS) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === '(' && !out.dynamic && (keywordBefore(text, i, 'require') || keywordBefore(text, i, 'import'))) {
      let j = i + 1;
      while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\t')) j++;
      const q = text[j];
      // `require(file)`, `import(\`./x/${name}\`)`: a module chosen at run time.
      if (q !== "'" && q !== '"' && !(q === '`' && literalEnd(text, j) > 0)) out.dynamic = true;
      i++;
      continue;
    }
    if (c !== "'" && c !== '"' && c !== '`') {
      i++;
      continue;
    }
    const end = literalEnd(text, i);
    if (end < 0) {
      // No closing quote on the line (an apostrophe in prose): go on after it.
      i++;
      continue;
    }
    const body = text.slice(i + 1, end);
    count++;
    if (isSpecifierPosition(text, i)) out.specifiers.push(body);
    else out.strings.push(body);
    i = end + 1;
  }
  return out;
}

/** Where the literal opened at `open` closes (same quote, same line, no `${`), or -1. */
function literalEnd(text: string, open: number): number {
  const q = text[open]!;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === q) return j;
    if (c === '\n') return -1;
    if (q === '`' && c === '$' && text[j + 1] === '{') return -1;
  }
  return -1;
}

/** Whether the word `kw` ends right before position `at` (spaces allowed between). */
function keywordBefore(text: string, at: number, kw: string): boolean {
  let j = at - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n')) j--;
  const start = j - kw.length + 1;
  if (start < 0 || text.slice(start, j + 1) !== kw) return false;
  return start === 0 || (!isIdentifierChar(text.charCodeAt(start - 1)) && text[start - 1] !== '.');
}

function isSpecifierPosition(text: string, open: number): boolean {
  if (keywordBefore(text, open, 'from') || keywordBefore(text, open, 'import')) return true;
  let j = open - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n')) j--;
  return text[j] === '(' && (keywordBefore(text, j, 'require') || keywordBefore(text, j, 'import'));
}

/** Characters of a path as written in a command or configuration (no quotes, spaces, `:`, `=`, brackets). */
function isPathChar(c: number): boolean {
  return isIdentifierChar(c) || c === 45 /* - */ || c === 46 /* . */ || c === 47 /* / */ || c === 64 /* @ */ || c === 126 /* ~ */ || c === 43; /* + */
}

/** Maximal runs of path characters in a text. */
function pathRuns(text: string): string[] {
  return pathRunsAt(text).map((r) => r.run);
}

/**
 * Maximal runs of path characters in a text, each with whether it is an option's value: the word
 * before it (past spaces and one `=`) starts with `-` (`-d ./src/data-source.ts`, `--config=x.js`).
 */
function pathRunsAt(text: string): { run: string; option: boolean }[] {
  const out: { run: string; option: boolean }[] = [];
  let start = -1;
  let previous = '';
  let previousEnd = -1;
  for (let i = 0; i <= text.length; i++) {
    const ok = i < text.length && isPathChar(text.charCodeAt(i));
    if (ok && start < 0) start = i;
    else if (!ok && start >= 0) {
      const run = text.slice(start, i);
      const between = previousEnd < 0 ? '' : text.slice(previousEnd, start);
      const spaced = between.length > 0 && (between.trim() === '' || between.trim() === '=') && !between.includes('\n');
      out.push({ run, option: spaced && previous.length > 1 && previous.startsWith('-') });
      previous = run;
      previousEnd = i;
      start = -1;
    }
  }
  return out;
}

/** The name a path stands for: its last segment up to the first dot (`dist/seed.js` → seed, `users.handler` → users). */
function stemOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  const dot = last.indexOf('.');
  return dot < 0 ? last : last.slice(0, dot);
}

/** Whether a run of a command or configuration looks like a file path: it holds `/` or a dot after a name, and is no URL path (`/api/users`). */
function isPathMention(run: string): boolean {
  const last = run.slice(run.lastIndexOf('/') + 1);
  const dotted = last.indexOf('.') > 0;
  if (run.startsWith('/')) return dotted;
  return dotted || run.includes('/');
}

/** Whether a string of code looks like a path to a module: relative, or with an extension or export after its name. */
function isCodePathMention(run: string): boolean {
  return run.startsWith('./') || run.startsWith('../') || baseOf(run).indexOf('.') > 0;
}

/** The names a file is known by: its stem, and for an `index` its folder's name. */
function namesOf(file: string): string[] {
  const stem = stemOf(file);
  if (stem !== 'index') return [stem];
  const dir = dirOf(file);
  return dir === '.' ? [stem] : [stem, baseOf(dir)];
}

/** Words of a script or target name (`db:seed`, `insert-user`). */
const nameWords = (name: string) => name.toLowerCase().split(/[:\-_./ ]/);

const isToolName = (name: string) => nameWords(name).some((w) => TOOL_WORDS.has(w));

/** A production file that may name an entry point: launch, deployment and infrastructure configuration. */
function isEntryConfig(file: string): boolean {
  const base = baseOf(file).toLowerCase();
  if (base === 'package.json' || base === 'package-lock.json' || base.endsWith('.lock') || base.endsWith('-lock.json') || base.endsWith('-lock.yaml'))
    return false;
  if (base.startsWith('tsconfig') || base.startsWith('jsconfig')) return false;
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || base.startsWith('procfile')) return true;
  return ['.yml', '.yaml', '.toml', '.tf', '.json'].some((e) => base.endsWith(e));
}

const isMakefile = (file: string) => {
  const base = baseOf(file);
  return base === 'Makefile' || base === 'makefile' || base === 'GNUmakefile' || base.endsWith('.mk');
};

/** Commands of a launcher file, each with whether its script or target name is a tool's. */
interface Command {
  from: string;
  text: string;
  tool: boolean;
}

/** package.json: the entry fields (never a tool's) and each script. */
function packageCommands(file: string, text: string): Command[] {
  let json: unknown;
  try {
    json = parseJsonc(text);
  } catch {
    return [];
  }
  if (!json || typeof json !== 'object') return [];
  const m = json as Record<string, unknown>;
  const out: Command[] = [];
  const strings = (v: unknown, depth = 0): string[] =>
    typeof v === 'string' ? [v] : depth < 6 && v && typeof v === 'object' ? Object.values(v).flatMap((x) => strings(x, depth + 1)) : [];
  for (const key of ['main', 'module', 'bin', 'exports', 'browser', 'source']) for (const s of strings(m[key])) out.push({ from: file, text: s, tool: false });
  const scripts = m.scripts;
  if (scripts && typeof scripts === 'object') {
    for (const [name, cmd] of Object.entries(scripts as Record<string, unknown>)) {
      if (typeof cmd === 'string') out.push({ from: file, text: cmd, tool: isToolName(name) });
    }
  }
  return out;
}

/** A Makefile: each recipe line with its target's name; other lines (variables, prerequisites) are not a tool's. */
function makefileCommands(file: string, text: string): Command[] {
  const out: Command[] = [];
  let tool = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) {
      out.push({ from: file, text: line, tool });
      continue;
    }
    const colon = line.indexOf(':');
    const isRule = colon > 0 && line[colon + 1] !== '=' && !line.slice(0, colon).includes('=') && !line.startsWith('#');
    if (isRule)
      tool = line
        .slice(0, colon)
        .split(' ')
        .some((t) => t !== '' && isToolName(t));
    out.push({ from: file, text: line, tool: false });
  }
  return out;
}

export function scriptRoles(inputs: ScriptRoleInputs): Map<string, ScriptRole> {
  const out = new Map<string, ScriptRole>();
  const fileSet = new Set(inputs.files);
  const production = (f: string) => inputs.roleOf(f) === 'production' && !out.has(f);
  const roleNow = (f: string): FileRole => out.get(f)?.role ?? inputs.roleOf(f);

  /** A script a command's path stands for: as written, `.js` for `.ts`, with an extension, a folder's index, or build output's source. */
  const scriptAt = (p: string): string | undefined => {
    const tries = [p];
    for (const out of ['dist/', 'build/', 'lib/', 'out/']) {
      const at = p.startsWith(out) ? 0 : p.indexOf(`/${out}`) + 1;
      if (at > 0 || p.startsWith(out)) tries.push(`${p.slice(0, at)}src/${p.slice(at + out.length)}`);
    }
    for (const t of tries) {
      const bare = t.endsWith('.js') || t.endsWith('.mjs') || t.endsWith('.cjs') ? t.slice(0, t.lastIndexOf('.')) : t;
      if (fileSet.has(t) && isScript(t)) return t;
      for (const b of [bare, t]) {
        for (const e of SCRIPT_EXTENSIONS) if (fileSet.has(b + e)) return b + e;
        for (const e of SCRIPT_EXTENSIONS) if (fileSet.has(`${b}/index${e}`)) return `${b}/index${e}`;
      }
    }
    return undefined;
  };

  // Launchers: package.json files and Makefiles that are production.
  const commands: Command[] = [];
  for (const f of inputs.files) {
    if (inputs.roleOf(f) !== 'production') continue;
    if (baseOf(f) === 'package.json') commands.push(...packageCommands(f, inputs.read(f) ?? ''));
    else if (isMakefile(f)) commands.push(...makefileCommands(f, inputs.read(f) ?? ''));
  }
  const seedRoles = new Set<FileRole>(SEED_ROLES);
  /** Files tool commands name: run directly, or `loaded` as an option's value by the tool the command runs. */
  const toolRuns = new Map<string, { from: string; loaded: boolean }>();
  for (const c of commands) {
    if (!c.tool) continue;
    for (const { run, option } of pathRunsAt(c.text)) {
      if (!run.includes('/') && !run.includes('.')) continue;
      const file = scriptAt(joinPosix(dirOf(c.from), run.startsWith('./') ? run.slice(2) : run));
      if (file && !toolRuns.has(file)) toolRuns.set(file, { from: c.from, loaded: option });
    }
  }
  const scripts = inputs.files.filter(isScript);
  if (toolRuns.size === 0 && !scripts.some((f) => seedRoles.has(inputs.roleOf(f)))) return out;

  // Names entries give: launchers' other commands, and production configuration.
  const names: Names = { stems: new Set(), folders: new Set(), globs: new Set() };
  for (const c of commands) if (!c.tool) addConfigNames(c.text, names);
  const configs = inputs.files.filter((f) => inputs.roleOf(f) === 'production' && isEntryConfig(f));
  let configsRead = false;
  const readConfigs = () => {
    if (configsRead) return;
    configsRead = true;
    for (const f of configs) {
      const text = inputs.read(f) ?? '';
      addConfigNames(text, names);
      addGlobs(text, names.globs);
    }
  };

  // Scripts' imports and strings: production ones, and those of the roles that pass theirs on.
  const scanned = new Map<string, { imports: string[]; strings: string[]; dynamic: boolean }>();
  const resolve = inputs.resolve ?? ((from: string, spec: string) => (spec.startsWith('.') ? scriptAt(joinPosix(dirOf(from), spec)) : undefined));
  const scanOf = (f: string) => {
    let s = scanned.get(f);
    if (!s) {
      const raw = scanScript(inputs.read(f) ?? '');
      const imports: string[] = [];
      const strings = [...raw.strings];
      for (const spec of raw.specifiers) {
        const to = resolve(f, spec);
        if (to && isScript(to)) imports.push(to);
        else if (!to) strings.push(spec);
      }
      s = { imports, strings, dynamic: raw.dynamic };
      scanned.set(f, s);
    }
    return s;
  };

  const isNamed = (f: string) => {
    readConfigs();
    return isNamedBy(f, names);
  };

  // Production scripts' imports, read once and only when a module with exports is run by a task.
  let importedByProduction: Set<string> | undefined;
  const isImportedByProduction = (file: string): boolean => {
    if (!importedByProduction) {
      importedByProduction = new Set();
      for (const f of scripts) if (inputs.roleOf(f) === 'production') for (const to of scanOf(f).imports) if (to !== f) importedByProduction.add(to);
    }
    return importedByProduction.has(file);
  };

  // Rule 1: hand-run scripts, and modules a task's tool loads that no production code imports.
  for (const [file, { loaded }] of [...toolRuns].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (!production(file) || inputs.fixed(file)) continue;
    const text = inputs.read(file);
    if (text === undefined || isNamed(file) || inRouteFolder(file)) continue;
    // A script run directly that exports is a module, whatever runs it; one the tool loads exports what the tool reads.
    if (mentionsExport(text) && (!loaded || isImportedByProduction(file))) continue;
    out.set(file, { role: 'tooling', source: 'command' });
  }

  // Rule 2: what only seed and tooling scripts import.
  const seeds = scripts.filter((f) => seedRoles.has(roleNow(f)) && !isNamed(f));
  if (seeds.length === 0) return out;
  const prod = scripts.filter(production);
  const imported = new Set<string>();
  for (const f of [...prod, ...seeds]) for (const to of scanOf(f).imports) imported.add(to);
  // Production code reachable from an entry: a file nothing imports, one something names, and
  // the folder of a module that loads others by a computed path. Each round's reached files may
  // name more (strings in their code), until none does.
  const anchors = new Set(prod.filter((f) => !imported.has(f) || inputs.fixed(f) || inRouteFolder(f)));
  const reach = (): Set<string> => {
    const reached = new Set<string>();
    const stack = [...anchors];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (reached.has(f)) continue;
      reached.add(f);
      for (const to of scanOf(f).imports) if (production(to) && !reached.has(to)) stack.push(to);
    }
    return reached;
  };
  let reached = reach();
  for (;;) {
    const loaders = [...reached].filter((f) => scanOf(f).dynamic).map(dirOf);
    for (const f of reached) for (const s of scanOf(f).strings) addCodeNames(s, names);
    const more = prod.filter((f) => !reached.has(f) && (isNamed(f) || loaders.some((d) => d === '.' || f.startsWith(`${d}/`))));
    if (more.length === 0) break;
    for (const f of more) anchors.add(f);
    reached = reach();
  }
  // Seeds pass their role on, the stronger role first (seed data before tooling).
  const found = new Map<string, SetAsideRole>();
  for (const role of SEED_ROLES) {
    const todo = seeds.filter((f) => roleNow(f) === role);
    while (todo.length > 0) {
      const f = todo.pop()!;
      for (const to of scanOf(f).imports) {
        if (!production(to) || reached.has(to) || found.has(to)) continue;
        found.set(to, role);
        todo.push(to);
      }
    }
  }
  for (const [f, role] of [...found].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) out.set(f, { role, source: 'imports' });
  return out;
}

/** A file of a framework's route or function folder (`pages/`, `api/`, a Next.js `app/…/page.tsx`). */
function inRouteFolder(file: string): boolean {
  const segs = file.split('/');
  const dirs = segs.slice(0, -1).map((s) => s.toLowerCase());
  if (dirs.some((s) => ROUTE_FOLDERS.has(s))) return true;
  return dirs.includes('app') && APP_ROUTER_FILES.has(stemOf(file));
}

/**
 * What entries name: file stems (`dist/seed.js` → seed), folders as written (`plugins/app`, a
 * folder a framework loads every module of), and the words of globs over scripts.
 */
interface Names {
  stems: Set<string>;
  folders: Set<string>;
  globs: Set<string>;
}

/** A folder path as written, without `./`, `../` and a trailing `/`. */
function folderOf(run: string): string {
  let r = run;
  while (r.startsWith('./') || r.startsWith('../')) r = r.slice(r.indexOf('/') + 1);
  while (r.endsWith('/')) r = r.slice(0, -1);
  return r;
}

/**
 * Names in a command or a configuration file: the stems of paths (`node backend/server.js`,
 * `Handler: users.handler`). Folders there (`prettier src/`, `COPY src ./src`) are what a tool
 * reads or an image holds, not modules loaded by their place.
 */
function addConfigNames(text: string, names: Names): void {
  for (const run of pathRuns(text)) if (isPathMention(run)) names.stems.add(stemOf(run));
}

/**
 * Names a string of production code gives: a module path (`'./worker.js'`, `'index.handler'`),
 * a folder or a bare word a loader may read a folder by (`join(__dirname, 'plugins/app')`,
 * `'models'`), or a glob's words.
 */
function addCodeNames(s: string, names: Names): void {
  if (s.includes('*')) {
    addGlobs(s, names.globs);
    return;
  }
  for (const run of pathRuns(s)) {
    if (isCodePathMention(run)) names.stems.add(stemOf(run));
    // Only a whole string is a folder: words of a message (`'Invalid user data'`) are not.
    if (run === s && !run.startsWith('/') && baseOf(run).indexOf('.') < 0) names.folders.add(folderOf(run));
  }
}

/** Whether an entry names a file: its stem, a run of its folders, a glob's word among its folders or middle name parts. */
function isNamedBy(file: string, names: Names): boolean {
  if (namesOf(file).some((n) => names.stems.has(n))) return true;
  const dirs = file.split('/').slice(0, -1);
  for (let i = 0; i < dirs.length; i++) {
    if (names.globs.has(dirs[i]!)) return true;
    for (let j = i + 1; j <= dirs.length; j++) if (names.folders.has(dirs.slice(i, j).join('/'))) return true;
  }
  return baseOf(file)
    .split('.')
    .slice(1, -1)
    .some((p) => names.globs.has(p));
}

/** Words of a glob that say nothing of which modules it loads: script extensions and build roots. */
const GLOB_GENERIC = new Set(['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'd', 'src', 'dist', 'build', 'lib', 'out']);

/**
 * The words of glob patterns over scripts in a text (`'dist/**\/*.entity{.ts,.js}'` → entity):
 * files with one of them as a folder or a middle part of their name may be loaded by the pattern
 * (TypeORM's `entities`). A glob of no script extension (`'src/**'` in a lint configuration) loads
 * no module.
 */
function addGlobs(text: string, globWords: Set<string>): void {
  for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) {
    let start = at;
    while (start > 0 && (isPathChar(text.charCodeAt(start - 1)) || text[start - 1] === '*')) start--;
    let end = at;
    while (end < text.length && (isPathChar(text.charCodeAt(end)) || text[end] === '*' || text[end] === '{' || text[end] === '}' || text[end] === ',')) end++;
    const words = text.slice(start, end).split(/[*/{},.]/);
    if (words.some((w) => SCRIPT_EXTENSIONS.includes(`.${w}`))) for (const w of words) if (w !== '' && !GLOB_GENERIC.has(w)) globWords.add(w);
    at = end;
  }
}
