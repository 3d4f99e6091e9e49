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
import { GitIgnore, MAX_PATTERN_LENGTH, matchesPatternList } from '../util/glob.js';
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
  'vendor',
]);

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

function readIgnore(absDir: string): GitIgnore | undefined {
  const file = path.join(absDir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return new GitIgnore(text);
}

function ignoredBy(stack: Frame['ignores'], rel: string, isDir: boolean): boolean {
  for (const { base, ig } of stack) {
    const sub = base === '' ? rel : rel.slice(base.length + 1);
    if (sub === '' || sub.startsWith('..')) continue;
    if (ig.ignores(sub, isDir)) return true;
  }
  return false;
}

export function discover(opts: DiscoveryOptions): Discovery {
  const root = fs.realpathSync(opts.root);
  const files: string[] = [];
  const dirs: string[] = [];
  const warnings: Warning[] = [];
  const warn = (file: string, message: string) => warnings.push({ file, line: 0, message, analyzer: 'discover' });
  const exclude = new GitIgnore(opts.exclude);
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
    // A directory's own .gitignore (the root's too) applies to everything under it; read only where there is one.
    if (entries.some((e) => e.name === '.gitignore')) {
      const ig = readIgnore(frame.abs);
      if (ig) frame.ignores = [...frame.ignores, { base: frame.rel, ig }];
      const file = frame.rel === '' ? '.gitignore' : `${frame.rel}/.gitignore`;
      for (const line of ig?.skippedLines ?? []) {
        warnings.push({ file, line, message: `line longer than ${MAX_PATTERN_LENGTH} characters is not a pattern; skipped`, analyzer: 'discover' });
      }
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
        if (ignoredBy(frame.ignores, rel, true) || exclude.ignores(rel, true)) continue;
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
        if (ignoredBy(frame.ignores, rel, false) || exclude.ignores(rel, false)) continue;
        if (opts.include.length > 0 && !matchesPatternList(rel, opts.include)) continue;
        files.push(toPosix(rel));
      }
    }
  }
  files.sort(compareStrings);
  dirs.sort(compareStrings);
  return { files, dirs, warnings };
}
