/**
 * Modules nothing reaches (the `unused` file role, tool `unreachable`; src/pipeline/roles.ts calls
 * this after its other rules, for the files they left production), in two kinds of package whose
 * every way in can be seen:
 *
 *   - **A package of functions**: a workspace package (not the root) whose code only
 *     infrastructure runs — SST, CDK, Serverless or Terraform naming its handlers
 *     (`packages/backend/functions/auth.handler`), or another package importing its files by path.
 *     A file outside the package must name one of its scripts by path (`functions/auth.handler`,
 *     `../lambda/resize.ts`, `@app/core/src/link`).
 *   - **A NestJS application**: a package (the root included) depending on `@nestjs/core` with a
 *     `src/main.ts`. Nest builds the application from the modules `main.ts` imports and loads no
 *     file by convention.
 *
 * Either way the package's package.json names no `main`, `module`, `exports`, `bin` or `browser`
 * (nothing imports it as a library), it depends on no framework, ORM or bundler that loads files
 * by convention or by a folder (CONVENTION_LOADERS), and no module reached loads others by a
 * computed path or names files by a glob (`'**\/*.entity{.ts,.js}'`). A module that no entry
 * reaches is a leftover (a starter template's database client, an entity no module lists, a guard
 * nothing applies), and facts read from it would describe a system that does not exist.
 *
 * Entries are the scripts named by path from outside, Nest's `src/main.ts`, those infrastructure
 * code or configuration outside the package names as a word (an IaC script: it imports
 * aws-cdk-lib, SST's constructs, @pulumi/* or cdktf, or is an `sst.config.*` or `serverless.*`; or
 * a YAML, JSON, TOML or Terraform file), those the package's own configuration names
 * (package.json scripts, a Dockerfile, serverless.yml), and `index`, `main`, `server` or `app` at
 * the package's root or in its `src/`. From them a module reaches what it imports (the run's
 * module resolver) and, to err towards keeping files, every script of the package whose name
 * (`sql` for `core/sql.ts`, `settings` for `settings.entity.ts`, a folder's name for its `index`)
 * is a word of an import the resolver cannot place or of another string in its code that could
 * name a file (it holds `/` or `.`: a handler named in a string); a name among its identifiers or
 * in a plain word (`'permissions'`, a relation's name) reaches nothing, as no module is loaded
 * without a path. Tools' configuration (`.eslintrc.js`, `*.config.*`) is never a candidate.
 * What is left is unused, unless it is more than half of the package's scripts: then some way in
 * is not seen, and nothing is set aside.
 *
 * Plain string scanning; nothing of the repository is run and no regular expression reads it.
 */
import { dirOf } from '../util/paths.js';
import { parseJsonc } from '../util/text.js';
import { isNamePart } from './dead-code.js';
import { scanScript } from './script-roles.js';
import type { WorkspacePackage } from '../analyzer/workspace.js';

export interface UnreachableInputs {
  files: readonly string[];
  packages?: readonly { path: string; dependencies?: WorkspacePackage['dependencies'] }[];
  read: (file: string) => string | undefined;
  resolve?: (from: string, specifier: string) => string | undefined;
  /** Whether a file is production and may be set aside (not decided by the config or `.gitattributes`). */
  candidate: (file: string) => boolean;
  /** Whether a file is production (files of other roles name nothing). */
  production: (file: string) => boolean;
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const CONFIG_EXTENSIONS = ['.yml', '.yaml', '.json', '.jsonc', '.toml', '.tf', '.hcl'];
const CONFIG_NAMES = new Set(['dockerfile', 'procfile', 'makefile', 'containerfile']);
const ENTRY_FIELDS = ['main', 'module', 'exports', 'bin', 'browser'];
const CONVENTIONAL_ENTRIES = new Set(['index', 'main', 'server', 'app']);

/**
 * Dependencies that load a package's files without an import: file-system routers and site
 * generators, bundlers with entry configuration, front-end frameworks (a page's script, a worklet
 * fetched by URL), ORMs reading entity or migration globs, plugin autoloaders. A package
 * depending on one is left alone.
 */
const CONVENTION_LOADERS = [
  'react',
  'react-dom',
  'react-scripts',
  'vue',
  'svelte',
  'solid-js',
  'preact',
  '@angular/core',
  'next',
  'nuxt',
  'astro',
  'gatsby',
  'vite',
  'webpack',
  'parcel',
  'expo',
  'react-native',
  'sequelize-typescript',
  'sequelize-cli',
  'knex',
  'umzug',
  '@fastify/autoload',
  'fastify-autoload',
  'lin-mizar',
  'hardhat',
  '@sveltejs/kit',
  '@stencil/core',
  'nitropack',
  'h3',
];
const CONVENTION_SCOPES = ['@remix-run/', '@react-router/', '@docusaurus/', '@mikro-orm/', '@tanstack/start', '@redwoodjs/'];

/** Imports that make a script infrastructure code (`sst/node/*` or `sst/web` are runtime clients, not SST's constructs). */
const IAC_IMPORTS = ['aws-cdk-lib', '@aws-cdk/', 'sst/constructs', '@serverless-stack/resources', '@pulumi/', 'cdktf', '@cdktf/'];
/** Scripts that are infrastructure code by their name (SST v3's and Serverless's configuration). */
const IAC_SCRIPT_NAMES = ['sst.config.', 'serverless.'];
const isIacScript = (file: string, text: string) =>
  IAC_SCRIPT_NAMES.some((n) => baseOf(file).startsWith(n)) || IAC_IMPORTS.some((i) => text.includes(`'${i}`) || text.includes(`"${i}`));

const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);
const extOf = (file: string) => {
  const b = baseOf(file);
  return b.lastIndexOf('.') < 0 ? '' : b.slice(b.lastIndexOf('.'));
};
const isScript = (file: string) => SCRIPT_EXTENSIONS.includes(extOf(file)) && !file.endsWith('.d.ts');
/** A tool's configuration, loaded by its name (`.eslintrc.js`, `vitest.config.ts`): never a module of the system. */
const isToolConfig = (file: string) => {
  const b = baseOf(file).toLowerCase();
  return b.startsWith('.') || b.includes('.config.');
};
const isConfig = (file: string) => {
  const b = baseOf(file).toLowerCase();
  return CONFIG_EXTENSIONS.includes(extOf(b)) || CONFIG_NAMES.has(b.split('.')[0]!) || b.endsWith('.dockerfile');
};
const isLock = (file: string) => {
  const b = baseOf(file);
  return b.includes('-lock.') || b.endsWith('.lock') || b === 'npm-shrinkwrap.json';
};
/** A script's name: its base name before the first dot, lower-cased (`sql` for `core/sql.ts`). */
const stemOf = (file: string) => {
  const b = baseOf(file).toLowerCase();
  return b.includes('.') ? b.slice(0, b.indexOf('.')) : b;
};
/** The names a script is known by: its stem, and for an `index` its folder's name. */
const namesOf = (file: string): string[] => {
  const stem = stemOf(file);
  const dir = dirOf(file);
  return stem === 'index' && dir !== '.' ? [stem, baseOf(dir).toLowerCase()] : [stem];
};
/** How a path names a script: its folder's name and stem (`functions/auth`), or for an `index` its folder's parent and name. */
const pathNameOf = (file: string): string | undefined => {
  const dir = dirOf(file);
  if (dir === '.') return undefined;
  const stem = stemOf(file);
  if (stem !== 'index') return `${baseOf(dir).toLowerCase()}/${stem}`;
  const up = dirOf(dir);
  return up === '.' ? undefined : `${baseOf(up).toLowerCase()}/${baseOf(dir).toLowerCase()}`;
};

/** A string of code that names files by a pattern (`'**\/*.entity{.ts,.js}'`); not a cron schedule (`'0 * * * *'`). */
const isGlob = (s: string) => s.includes('*') && !s.includes(' ') && (s.includes('/') || s.includes('.'));

const isPathPart = (c: number) => isNamePart(c) || c === 46 || c === 47 || c === 64 || c === 126;

/** The `folder/stem` pairs of every path written in a text (`packages/backend/functions/trpc.handler` → …, `functions/trpc`). */
function pathPairs(text: string, into: Set<string>): void {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const ok = i < text.length && isPathPart(text.charCodeAt(i));
    if (ok && start < 0) start = i;
    else if (!ok && start >= 0) {
      const run = text.slice(start, i);
      start = -1;
      if (!run.includes('/')) continue;
      const parts = run.toLowerCase().split('/');
      for (let k = 0; k + 1 < parts.length; k++) {
        const next = parts[k + 1]!;
        const stem = next.includes('.') ? next.slice(0, next.indexOf('.')) : next;
        if (parts[k] !== '' && stem !== '') into.add(`${parts[k]}/${stem}`);
      }
    }
  }
}

/** The words of a lower-cased text (maximal runs of name characters). */
function wordsOf(text: string, into: Set<string>): void {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const ok = i < text.length && isNamePart(text.charCodeAt(i));
    if (ok && start < 0) start = i;
    else if (!ok && start >= 0) {
      into.add(text.slice(start, i));
      start = -1;
    }
  }
}

/** The files nothing reaches in packages of functions and Nest applications, each with its package's folder. */
export function unreachableModules(inputs: UnreachableInputs): Map<string, string> {
  const out = new Map<string, string>();
  // Innermost first; the root package, if any, last.
  const packages = [...(inputs.packages ?? [])].sort(
    (a, b) => (a.path === '.' ? 1 : 0) - (b.path === '.' ? 1 : 0) || b.path.length - a.path.length || (a.path < b.path ? -1 : 1),
  );
  if (packages.length === 0) return out;
  // Each file's innermost package ('' when none holds it).
  const owners = new Map<string, string>();
  const packageOf = (file: string) => {
    let owner = owners.get(file);
    if (owner === undefined) owners.set(file, (owner = packages.find((p) => p.path === '.' || file.startsWith(`${p.path}/`))?.path ?? ''));
    return owner;
  };
  const fileSet = new Set(inputs.files);
  const under = (pkg: string, file: string) => (pkg === '.' ? file : `${pkg}/${file}`);
  /** A NestJS application's entry: Nest loads nothing by convention, so `src/main.ts` is its one way in. */
  const nestMain = (p: (typeof packages)[number]) =>
    p.dependencies?.has('@nestjs/core') && fileSet.has(under(p.path, 'src/main.ts')) ? under(p.path, 'src/main.ts') : undefined;
  const eligible = packages.filter((p) => {
    if (p.path === '.' && !nestMain(p)) return false;
    const deps = p.dependencies;
    if (deps && [...deps.keys()].some((d) => CONVENTION_LOADERS.includes(d) || CONVENTION_SCOPES.some((s) => d.startsWith(s)))) return false;
    // An Nx or Nest CLI project without a package.json: its entries are in its project file.
    const text = fileSet.has(under(p.path, 'package.json')) ? inputs.read(under(p.path, 'package.json')) : undefined;
    if (text === undefined) return false;
    let manifest: unknown;
    try {
      manifest = parseJsonc(text);
    } catch {
      return false;
    }
    if (!manifest || typeof manifest !== 'object') return false;
    return !ENTRY_FIELDS.some((k) => (manifest as Record<string, unknown>)[k] !== undefined);
  });
  if (eligible.length === 0) return out;

  // What each package's files name (the root's under ''): paths from any production file, words
  // from infrastructure code and configuration, and words of its own configuration.
  const paths = new Map<string, Set<string>>();
  const iacWords = new Map<string, Set<string>>();
  const configWords = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, owner: string) => {
    let set = m.get(owner);
    if (!set) m.set(owner, (set = new Set()));
    return set;
  };
  for (const file of inputs.files) {
    if (!inputs.production(file) || isLock(file)) continue;
    const script = isScript(file);
    if (!script && !isConfig(file)) continue;
    const text = inputs.read(file);
    if (!text) continue;
    const owner = packageOf(file);
    pathPairs(text, add(paths, owner));
    if (!script) wordsOf(text.toLowerCase(), add(configWords, owner));
    if (!script || isIacScript(file, text)) wordsOf(text.toLowerCase(), add(iacWords, owner));
  }
  const namedOutside = (m: Map<string, Set<string>>, pkg: string, name: string) => [...m].some(([owner, set]) => owner !== pkg && set.has(name));

  for (const p of eligible) {
    const scripts = inputs.files.filter((f) => isScript(f) && !isToolConfig(f) && inputs.production(f) && packageOf(f) === p.path);
    if (scripts.length === 0) continue;
    const named = scripts.filter((f) => {
      const n = pathNameOf(f);
      return n !== undefined && namedOutside(paths, p.path, n);
    });
    // No file outside runs a script of it by path, and no Nest entry: not a package whose ways in are all seen.
    const main = nestMain(p);
    if (main) named.push(main);
    else if (named.length === 0) continue;
    const own = configWords.get(p.path) ?? new Set<string>();
    const atRoot = (f: string) => dirOf(f) === p.path || dirOf(f) === under(p.path, 'src');
    const entries = scripts.filter(
      (f) => named.includes(f) || namesOf(f).some((n) => own.has(n) || namedOutside(iacWords, p.path, n)) || (CONVENTIONAL_ENTRIES.has(stemOf(f)) && atRoot(f)),
    );
    const byName = new Map<string, string[]>();
    for (const f of scripts) for (const n of namesOf(f)) byName.set(n, [...(byName.get(n) ?? []), f]);
    const inPackage = new Set(scripts);
    const reached = new Set<string>();
    const stack = [...entries];
    let unseenWay = false;
    while (stack.length > 0 && !unseenWay) {
      const f = stack.pop()!;
      if (reached.has(f)) continue;
      reached.add(f);
      const text = inputs.read(f) ?? '';
      const scanned = scanScript(text);
      // A module loaded by a computed path, or files named by a glob: a way in that cannot be followed.
      if (scanned.dynamic || scanned.strings.some(isGlob)) unseenWay = true;
      // What it imports; a specifier the resolver cannot place, and every other string, by the names in it.
      const words = new Set<string>();
      for (const spec of scanned.specifiers) {
        const to = inputs.resolve?.(f, spec);
        if (to) {
          if (inPackage.has(to) && !reached.has(to)) stack.push(to);
        } else wordsOf(spec.toLowerCase(), words);
      }
      // Only a string that could name a file (`functions/auth.handler`, `./mailer`): a relation's name (`'permissions'`) loads nothing.
      for (const str of scanned.strings) if (str.includes('/') || str.includes('.')) wordsOf(str.toLowerCase(), words);
      for (const w of words) for (const to of byName.get(w) ?? []) if (!reached.has(to)) stack.push(to);
    }
    if (unseenWay) continue;
    const left = scripts.filter((f) => !reached.has(f));
    if (left.length === 0 || left.length * 2 > scripts.length) continue;
    for (const f of left) if (inputs.candidate(f)) out.set(f, p.path);
  }
  return out;
}
