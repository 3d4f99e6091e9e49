/**
 * Discovery: the list of files archdoc may read. It walks the tree iteratively (no recursion to
 * overflow), honours .gitignore files at every level and the config's include/exclude, never
 * enters node_modules or build output, never follows a link out of the root, and reports links it
 * does not follow as warnings instead of failing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compareStrings } from '../model/compare.js';
import type { Warning } from '../model/schema.js';
import { GitIgnore, MAX_PATTERN_LENGTH, MatchBudget, matchesPatternList } from '../util/glob.js';
import { toPosix } from '../util/paths.js';

/**
 * Build output that is only skipped beside a package.json (or at the root): a `build` folder
 * deeper in the sources (`src/core/build/`) is code.
 */
export const OUTPUT_DIRS_AT_PACKAGE_ROOT = new Set(['build', 'out']);

/** Directories never entered, wherever they are. */
export const ALWAYS_SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'coverage',
  '.next',
  '.nuxt',
  '.turbo',
  '.nx',
  '.cache',
  '.terraform',
  '.serverless',
  '.vercel',
  '.output',
  '.svelte-kit',
  'bower_components',
]);

/**
 * Dependency folders a package manager fills (Go modules, Composer, Bundler, vendored npm
 * packages): skipped at the root and beside a module's manifest. A `vendor` folder deeper in the
 * sources is code (`lib/services/vendor/`, a marketplace's vendor service); file roles decide
 * whether it is vendored (src/pipeline/roles.ts).
 */
export const DEPENDENCY_DIRS_AT_MODULE_ROOT = new Set(['vendor']);
const MODULE_MANIFESTS = new Set(['package.json', 'go.mod', 'composer.json', 'Gemfile', 'Cargo.toml', 'pyproject.toml', 'setup.py', 'requirements.txt']);

/**
 * Patterns read from one .gitignore, and from all of them together: real ones hold tens to a few
 * hundred. Each pattern is tried against every path below its file, so the cost of matching grows
 * with patterns times paths; past these, the rest of a file is skipped with a warning.
 */
export const MAX_IGNORE_PATTERNS_PER_FILE = 1000;
export const MAX_IGNORE_PATTERNS = 10_000;
/**
 * Automaton steps (one per live state per character) that the wildcard patterns of one walk may
 * take, a second or two of work; a real repository's patterns take a small fraction of it. Past
 * it, wildcard patterns match nothing more, with a warning.
 */
export const IGNORE_MATCH_STEPS = 20_000_000;

/** Script extensions a TypeScript compiler writes beside its sources, and the sources it writes them from. */
const COMPILED_SCRIPTS: Record<string, readonly string[]> = {
  js: ['.ts', '.tsx'],
  mjs: ['.mts'],
  cjs: ['.cts'],
  jsx: ['.tsx'],
};

/**
 * A `*.js`-style ignore pattern drops what the TypeScript compiler writes beside its sources (the
 * CDK template ignores every `.js` below `lib/`). A script it matches with no TypeScript source of the same name
 * beside it was not compiled from one: it is hand-written code the repository holds (a Lambda's
 * handler next to the stack that deploys it), and is read.
 */
function handWrittenScript(rel: string, ext: string, siblings: readonly fs.Dirent[]): boolean {
  const sources = COMPILED_SCRIPTS[ext];
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (!sources || !name.toLowerCase().endsWith(`.${ext}`)) return false;
  const stem = name.slice(0, -(ext.length + 1));
  return !siblings.some((e) => sources.some((s) => e.name === stem + s));
}

export interface DiscoveryOptions {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  /** Repo-relative POSIX paths never listed (e.g. the output document itself). */
  skip?: readonly string[];
  /** Repo-relative POSIX directories never entered (e.g. generated component pages). */
  skipDirs?: readonly string[];
}

export interface Discovery {
  /** Repo-relative POSIX paths, sorted by code unit. */
  files: string[];
  /** Every directory walked ('' for the root), sorted: a new or deleted file changes one's mtime. */
  dirs: string[];
  warnings: Warning[];
}

interface Frame {
  abs: string;
  rel: string;
  ignores: { base: string; ig: GitIgnore }[];
}

function readIgnore(absDir: string, maxRules: number, budget: MatchBudget): GitIgnore | undefined {
  const file = path.join(absDir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return new GitIgnore(text, maxRules, budget);
}

export function discover(opts: DiscoveryOptions): Discovery {
  const root = fs.realpathSync(opts.root);
  const files: string[] = [];
  const dirs: string[] = [];
  const warnings: Warning[] = [];
  const warn = (file: string, message: string) => warnings.push({ file, line: 0, message, analyzer: 'discover' });
  const budget = new MatchBudget(IGNORE_MATCH_STEPS);
  let budgetReported = false;
  let patternsLeft = MAX_IGNORE_PATTERNS;
  const exclude = new GitIgnore(opts.exclude, Infinity, budget);
  /**
   * Whether the .gitignore files above `rel` or the config's exclude list ignore it. As in git, the
   * deepest .gitignore with a matching pattern decides, so a `!keep.log` beside a file re-includes
   * what the root's `*.log` ignores.
   */
  const ignored = (ignores: Frame['ignores'], rel: string, isDir: boolean, siblings?: readonly fs.Dirent[]): boolean => {
    for (let i = ignores.length - 1; i >= 0; i--) {
      const { base, ig } = ignores[i]!;
      const sub = base === '' ? rel : rel.slice(base.length + 1);
      if (sub === '' || sub.startsWith('..')) continue;
      const decision = ig.decision(sub, isDir);
      spent(base === '' ? '.gitignore' : `${base}/.gitignore`, rel);
      if (decision?.ignored && siblings && decision.byExtension && handWrittenScript(rel, decision.byExtension, siblings)) break;
      if (decision?.ignored === true) return true;
      if (decision?.ignored === false) break;
    }
    const hit = exclude.ignores(rel, isDir);
    spent('.', rel);
    return hit;
  };
  /** Warns once, naming the ignore file whose patterns spent the last of the budget. */
  const spent = (file: string, rel: string): void => {
    if (!budget.spent || budgetReported) return;
    budgetReported = true;
    warn(
      file,
      `matching ignore patterns took more than ${IGNORE_MATCH_STEPS.toLocaleString('en-GB')} steps (at ${rel}); from there on, patterns with wildcards ignore nothing`,
    );
  };
  const skip = new Set(opts.skip ?? []);
  const skipDirs = new Set(opts.skipDirs ?? []);
  const visitedDirs = new Set<string>([root, fs.realpathSync.native(root)]);
  const stack: Frame[] = [{ abs: root, rel: '', ignores: [] }];

  while (stack.length > 0) {
    const frame = stack.pop()!;
    dirs.push(frame.rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(frame.abs, { withFileTypes: true });
    } catch (e) {
      warn(frame.rel || '.', `directory could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    // The walk's order (which .gitignore meets a cap first) is the same on every file system.
    entries.sort((a, b) => compareStrings(a.name, b.name));
    // A directory's own .gitignore (the root's too) applies to everything under it; read only where there is one.
    if (entries.some((e) => e.name === '.gitignore')) {
      const cap = Math.min(MAX_IGNORE_PATTERNS_PER_FILE, patternsLeft);
      const ig = readIgnore(frame.abs, cap, budget);
      if (ig) frame.ignores = [...frame.ignores, { base: frame.rel, ig }];
      const file = frame.rel === '' ? '.gitignore' : `${frame.rel}/.gitignore`;
      for (const line of ig?.skippedLines ?? []) {
        warnings.push({ file, line, message: `line longer than ${MAX_PATTERN_LENGTH} characters is not a pattern; skipped`, analyzer: 'discover' });
      }
      if (ig?.firstUnread !== undefined) {
        const why =
          cap === MAX_IGNORE_PATTERNS_PER_FILE
            ? `more than ${MAX_IGNORE_PATTERNS_PER_FILE.toLocaleString('en-GB')} patterns in one .gitignore`
            : `more than ${MAX_IGNORE_PATTERNS.toLocaleString('en-GB')} patterns in all .gitignore files`;
        warnings.push({ file, line: ig.firstUnread, message: `${why}: this pattern and the rest of the file are skipped`, analyzer: 'discover' });
      }
      patternsLeft -= ig?.size ?? 0;
    }
    for (const entry of entries) {
      const name = entry.name;
      const rel = frame.rel === '' ? name : `${frame.rel}/${name}`;
      const abs = path.join(frame.abs, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(abs);
        } catch {
          warn(rel, 'dangling or looping symbolic link skipped');
          continue;
        }
        const inside = real === root || real.startsWith(root + path.sep);
        if (!inside) {
          warn(rel, 'symbolic link pointing outside the repository not followed');
          continue;
        }
        let st: fs.Stats;
        try {
          st = fs.statSync(real);
        } catch {
          warn(rel, 'symbolic link target could not be read');
          continue;
        }
        if (st.isDirectory()) {
          // Linked directories are skipped: their real location is walked on its own, and
          // following them invites loops.
          warn(rel, 'symbolic link to a directory not followed');
          continue;
        }
        isDir = false;
        isFile = st.isFile();
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(name) || skipDirs.has(rel)) continue;
        if (OUTPUT_DIRS_AT_PACKAGE_ROOT.has(name) && (frame.rel === '' || entries.some((e) => e.name === 'package.json'))) continue;
        if (DEPENDENCY_DIRS_AT_MODULE_ROOT.has(name) && (frame.rel === '' || entries.some((e) => MODULE_MANIFESTS.has(e.name)))) continue;
        if (ignored(frame.ignores, rel, true)) continue;
        let real: string;
        try {
          real = fs.realpathSync.native(abs);
        } catch {
          continue;
        }
        if (visitedDirs.has(real)) continue;
        visitedDirs.add(real);
        stack.push({ abs, rel, ignores: frame.ignores });
      } else if (isFile) {
        if (skip.has(rel)) continue;
        if (ignored(frame.ignores, rel, false, entries)) continue;
        if (opts.include.length > 0 && !matchesPatternList(rel, opts.include)) continue;
        files.push(toPosix(rel));
      }
    }
  }
  files.sort(compareStrings);
  dirs.sort(compareStrings);
  return { files, dirs, warnings };
}
