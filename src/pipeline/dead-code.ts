/**
 * Code that nothing runs, set aside before analysis like tests (src/pipeline/roles.ts calls this
 * after its own rules, for files they left production):
 *
 *   - **Switched-off plugins** (role `unused`): a framework that loads plugins only from its
 *     settings (src/data/folder-loaders.ts) does not load a plugin folder whose entry says
 *     `enable: false`, nor one the settings do not name. lin-mizar's `Loader` reads `pluginPath`
 *     (`{ poem: { enable: true, path: 'app/plugin/poem' } }`) from the settings under `app/config/`,
 *     and its plugins live in `app/plugin/<name>/` (`src/plugin/` in TypeScript projects). An entry
 *     whose `enable` or `path` is not a literal (an environment variable) counts as switched on,
 *     and while one is, no unnamed folder is set aside; an entry without `enable` is off (lin-mizar
 *     loads only those whose `enable` is true). Without the setting nothing is set aside.
 *   - **Hand-run scripts** (role `tooling`): a script of a workspace package that exports nothing,
 *     runs something at its top level (`main()`, `run().catch(…)`, a top-level `await`) but starts
 *     nothing long-running (no `.listen(`, `.on(`, `createServer(`, worker or consumer), and whose
 *     name no other file mentions — no import, no package.json `main`/`bin`/scripts, Dockerfile, Procfile, compose,
 *     fly.toml, HTML page, bundler or IaC configuration (the name is looked for as a word, ignoring
 *     case and extension, so `dist/worker.js` names `src/worker.ts`). `index`, `main`, `server` and
 *     `app` are run by convention (`node .`, `npm start`'s `node server.js`, Nest's and Vite's
 *     defaults) and are never set aside this way, nor is a tool's configuration (`*.config.*`:
 *     `sentry.server.config.ts` only calls `Sentry.init`, and Sentry's Next.js plugin loads it by
 *     its name), nor a script under `public/`, `static/` or `assets/` (a browser fetches it by a
 *     URL that may be built).
 *
 * Configuration and scripts are parsed with TypeScript's parser (so a commented-out entry counts
 * for nothing); names are found by plain scanning. Nothing of the repository is run.
 */
import ts from '../analyzer/typescript.cjs';
import { FOLDER_LOADERS } from '../data/folder-loaders.js';
import { dirOf, joinPosix } from '../util/paths.js';
import type { WorkspacePackage } from '../analyzer/workspace.js';

/** What the rules need of roles.ts's inputs. */
export interface DeadCodeInputs {
  files: readonly string[];
  packages?: readonly { path: string; dependencies?: WorkspacePackage['dependencies'] }[];
  read?: (file: string) => string | undefined;
}

/** A file the rules set aside: its role, the rule, and the folder it is counted under. */
export interface DeadFile {
  role: 'unused' | 'tooling';
  source: 'plugins' | 'orphan';
  folder: string;
}

const SCRIPTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Folders of static files a browser fetches by URL (a worklet, a page's script): no entry names them as a script's. */
const STATIC_FOLDERS = new Set(['public', 'static', 'assets']);

/** Calls that start something long-running, or register handlers for events: a script making one is no one-off task. */
const LONG_RUNNING = [
  '.listen(',
  '.on(',
  'createServer(',
  'new Server(',
  'serve(',
  '.start(',
  'Worker(',
  '.subscribe(',
  '.consume(',
  '.process(',
  'setInterval(',
  '.schedule(',
  'startStandaloneServer(',
];

/** Names run by convention without being written anywhere (see above). */
const CONVENTIONAL_ENTRIES = new Set(['index', 'main', 'server', 'app']);

/**
 * Files that may name a script to run: scripts and pages importing it, manifests, build,
 * deployment and service configuration, shell scripts, a Prisma schema's generator, environment
 * files (`NODE_OPTIONS=--require ./tracing.js`). Documentation does not count: a README saying how
 * to run a script by hand is no entry.
 */
const MENTION_EXTENSIONS = [
  ...SCRIPTS,
  ...['.vue', '.svelte', '.astro', '.html', '.htm', '.json', '.jsonc', '.json5', '.yml', '.yaml', '.toml', '.xml', '.config'],
  ...['.sh', '.bash', '.zsh', '.cmd', '.bat', '.ps1', '.mk', '.tf', '.hcl', '.ini', '.cfg', '.conf', '.service', '.properties'],
  ...['.prisma', '.dockerfile', '.nix', '.env'],
];
const MENTION_NAMES = new Set(['dockerfile', 'procfile', 'makefile', 'justfile', 'containerfile', 'gemfile', 'rakefile']);

export function deadCode(inputs: DeadCodeInputs, isCandidate: (file: string) => boolean): Map<string, DeadFile> {
  const out = new Map<string, DeadFile>();
  const read = inputs.read;
  if (!read) return out;
  for (const [file, folder] of switchedOffPlugins(inputs, read)) if (isCandidate(file)) out.set(file, { role: 'unused', source: 'plugins', folder });
  for (const file of handRunScripts(inputs, read, (f) => isCandidate(f) && !out.has(f)))
    out.set(file, { role: 'tooling', source: 'orphan', folder: dirOf(file) });
  return out;
}

const lower = (s: string) => s.toLowerCase();
const extOf = (base: string) => (base.lastIndexOf('.') < 0 ? '' : base.slice(base.lastIndexOf('.')));
const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);

function parse(file: string, text: string): ts.SourceFile | undefined {
  try {
    return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  } catch {
    return undefined;
  }
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  return n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined;
}

/** One plugin entry: switched on (true, or anything not a literal false) and its folder when written as a string. */
interface Entry {
  on: boolean;
  path?: string;
}

/** The entries of every `key: { … }` object in a script (a commented-out entry is no entry). */
function pluginEntries(sf: ts.SourceFile, key: string, enableByDefault: boolean): Entry[] | undefined {
  let found: Entry[] | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 40) return;
    if (ts.isPropertyAssignment(node) && propName(node) === key && ts.isObjectLiteralExpression(node.initializer)) {
      found ??= [];
      for (const p of node.initializer.properties) {
        if (!ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) {
          found.push({ on: true });
          continue;
        }
        let on = enableByDefault;
        let path: string | undefined;
        for (const q of p.initializer.properties) {
          if (!ts.isPropertyAssignment(q)) continue;
          const v = q.initializer;
          if (propName(q) === 'enable') on = v.kind !== ts.SyntaxKind.FalseKeyword;
          if (propName(q) === 'path' && (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v))) path = v.text;
        }
        found.push({ on, ...(path !== undefined ? { path } : {}) });
      }
      return;
    }
    ts.forEachChild(node, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  return found;
}

/** Files of plugin folders their framework's configuration leaves switched off, with the plugin's folder. */
function switchedOffPlugins(inputs: DeadCodeInputs, read: (file: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pkg of inputs.packages ?? []) {
    for (const loader of FOLDER_LOADERS) {
      const plugins = loader.plugins;
      if (!plugins || !pkg.dependencies?.has(loader.dependency)) continue;
      const under = (dir: string) => (pkg.path === '.' ? dir : `${pkg.path}/${dir}`);
      const configDirs = new Set(loader.configDirs.map(under));
      let entries: Entry[] | undefined;
      for (const file of inputs.files) {
        if (!configDirs.has(dirOf(file)) || !SCRIPTS.includes(extOf(file))) continue;
        const text = read(file);
        if (!text?.includes(plugins.key)) continue;
        const sf = parse(file, text);
        const found = sf && pluginEntries(sf, plugins.key, plugins.enableByDefault);
        if (found) entries = [...(entries ?? []), ...found];
      }
      // No setting read: the loader's plugins cannot be told apart.
      if (!entries) continue;
      const folderOf = (p: string) => joinPosix(pkg.path, p.startsWith('./') ? p.slice(2) : p);
      const on = new Set(entries.filter((e) => e.on && e.path !== undefined).map((e) => folderOf(e.path!)));
      const off = new Set(entries.filter((e) => !e.on && e.path !== undefined).map((e) => folderOf(e.path!)));
      const unknownOn = entries.some((e) => e.on && e.path === undefined);
      const pluginDirs = plugins.dirs.map(under);
      for (const file of inputs.files) {
        const named = [...off].find((d) => file.startsWith(`${d}/`));
        if (named) {
          if (![...on].some((d) => file.startsWith(`${d}/`))) out.set(file, named);
          continue;
        }
        if (unknownOn) continue;
        const dir = pluginDirs.find((d) => file.startsWith(`${d}/`));
        if (!dir) continue;
        const rest = file.slice(dir.length + 1);
        // Only files inside a plugin's own folder; a file directly in the plugins folder is no plugin.
        if (!rest.includes('/')) continue;
        const plugin = `${dir}/${rest.slice(0, rest.indexOf('/'))}`;
        if (![...on].some((d) => d === plugin || file.startsWith(`${d}/`) || plugin.startsWith(`${d}/`))) out.set(file, plugin);
      }
    }
  }
  return out;
}

/** Whether a parsed script exports anything (ESM, `module.exports`, `exports.x`) and whether it runs something at its top level. */
function scriptShape(sf: ts.SourceFile): { exports: boolean; runs: boolean } {
  let exports = false;
  let runs = false;
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) exports = true;
    else if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) exports = true;
    else if (ts.isExpressionStatement(st)) {
      const e = st.expression;
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && writesExports(e.left)) exports = true;
      else if (ts.isCallExpression(e) || ts.isAwaitExpression(e) || ts.isVoidExpression(e)) runs = true;
    }
  }
  return { exports, runs };
}

/** `module.exports`, `module.exports.x`, `exports.x`. */
function writesExports(target: ts.Expression): boolean {
  let e = target;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'exports' && ts.isIdentifier(e.expression) && e.expression.text === 'module') return true;
    e = e.expression;
  }
  return ts.isIdentifier(e) && e.text === 'exports';
}

/** A script's name as other files write it: the base name before its first dot, lower-cased. */
const stemOf = (file: string) => {
  const base = lower(baseOf(file));
  return base.includes('.') ? base.slice(0, base.indexOf('.')) : base;
};

/** A character of a name as other files write it: letters, digits, `_`, `-`, `$`. */
export function isNamePart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 36;
}

/** Whether `word` occurs in `text` with no name character either side (`run-req` in `src/run-req.ts`, not in `run-request`). */
function hasWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if ((at === 0 || !isNamePart(text.charCodeAt(at - 1))) && !isNamePart(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

/** Scripts nothing names that run something at their top level and export nothing. */
function handRunScripts(inputs: DeadCodeInputs, read: (file: string) => string | undefined, isCandidate: (file: string) => boolean): string[] {
  // Only a package's scripts: its manifest is where entries are named, and without one nothing can be said.
  const packageDirs = (inputs.packages ?? []).map((p) => p.path);
  const inPackage = (file: string) => packageDirs.some((d) => d === '.' || file.startsWith(`${d}/`));
  const candidates: string[] = [];
  for (const file of inputs.files) {
    const base = baseOf(file);
    if (!SCRIPTS.includes(extOf(base)) || base.includes('.d.') || CONVENTIONAL_ENTRIES.has(stemOf(file)) || !isCandidate(file)) continue;
    // A tool's configuration is loaded by its name (`sentry.client.config.ts`, which only calls `Sentry.init`).
    if (lower(base).includes('.config.')) continue;
    if (!inPackage(file) || file.split('/').some((seg) => STATIC_FOLDERS.has(lower(seg)))) continue;
    const text = read(file);
    // Plain scanning first: a script that names `export` at all stays (a module, or one we cannot tell).
    if (text === undefined || text.includes('export')) continue;
    // One that starts something long-running (a server, a worker, a consumer, a timer) is an entry
    // as a server is, whoever starts it: `src/admin.js` calling `admin.listen(4000)`.
    if (LONG_RUNNING.some((call) => text.includes(call))) continue;
    const sf = parse(file, text);
    if (!sf) continue;
    const shape = scriptShape(sf);
    if (!shape.exports && shape.runs) candidates.push(file);
  }
  if (candidates.length === 0) return [];
  const stems = new Map<string, string[]>();
  for (const f of candidates) stems.set(stemOf(f), [...(stems.get(stemOf(f)) ?? []), f]);
  // Which stems another file mentions, as a whole word (letters, digits, `_`, `-`, `$` around it).
  const mentioned = new Set<string>();
  for (const file of inputs.files) {
    if (mentioned.size === stems.size) break;
    const base = lower(baseOf(file));
    if (!MENTION_EXTENSIONS.includes(extOf(base)) && !MENTION_NAMES.has(base.split('.')[0]!) && !base.startsWith('.env')) continue;
    // Lockfiles name packages, not scripts, and can be larger than archdoc reads (a warning).
    if (base.includes('-lock.') || base === 'npm-shrinkwrap.json') continue;
    const text = read(file);
    if (!text) continue;
    const low = lower(text);
    for (const [stem, owners] of stems) {
      if (mentioned.has(stem) || owners.every((o) => o === file)) continue;
      if (hasWord(low, stem)) mentioned.add(stem);
    }
  }
  return candidates.filter((f) => !mentioned.has(stemOf(f)));
}
