/**
 * The freshness cache behind a fast `archdoc check`: for each target, the size and modification
 * time of every file and directory discovery saw, and the document generated from them. When
 * none of those changed (a new or deleted file changes its directory's mtime), `check` compares
 * the cached document with the file on disk without analysing anything — and without loading
 * TypeScript, ts-morph or any analyzer. The key covers archdoc's own code and templates, the
 * config file and the target, so any of those changing is a miss.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { packageRoot } from '../util/package.js';

const FORMAT = 2;

export interface CacheRecord {
  format: number;
  key: string;
  /** [relative path, size, mtimeMs] of every discovered file. */
  files: [string, number, number][];
  /** [relative path, mtimeMs] of every discovered directory ('' is the root). */
  dirs: [string, number][];
  /** The rendered documents (main first, then component pages) before human blocks are merged in. */
  generated: { output: string; text: string }[];
  /** Number of analysis warnings (for --strict on a cache hit). */
  warnings: number;
}

let ownStamp: string | undefined;

/** Sizes and mtimes of archdoc's own built code and templates: a rebuilt archdoc is a miss. */
function archdocStamp(): string {
  if (ownStamp) return ownStamp;
  const root = packageRoot();
  const h = createHash('sha256');
  const stack = [path.join(root, 'dist'), path.join(root, 'templates'), path.join(root, 'package.json')];
  const entries: string[] = [];
  while (stack.length) {
    const p = stack.pop()!;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) stack.push(path.join(p, name));
    } else entries.push(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}`);
  }
  h.update(entries.sort().join('\n'));
  return (ownStamp = h.digest('hex'));
}

/** What a cached document depends on besides the repository's files. */
export function cacheKey(config: ResolvedConfig, extra = ''): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      format: FORMAT,
      archdoc: archdocStamp(),
      config: config.configHash,
      target: config.target,
      root: config.root,
      output: config.output,
      include: config.include,
      exclude: config.exclude,
      maxFileSize: config.maxFileSize,
      analyzers: config.analyzers,
      plugins: config.plugins.map((p) => p.meta.name),
      templates: config.templatesDir ? templatesStamp(config.templatesDir) : null,
      document: config.document,
      profile: [config.depth, config.audience, config.focus],
      diagrams: config.diagrams,
      linked: config.linkedDocuments,
      extra,
    }),
  );
  return h.digest('hex').slice(0, 32);
}

function templatesStamp(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      const p = path.join(d, n);
      const st = fs.statSync(p);
      if (st.isDirectory()) stack.push(p);
      else out.push(`${path.relative(dir, p)}:${st.size}:${st.mtimeMs}`);
    }
  }
  return out.sort();
}

function cacheFile(config: ResolvedConfig): string | undefined {
  if (!config.cacheDir) return undefined;
  const name = createHash('sha256').update(`${config.root}\u0000${config.target}\u0000${config.output}`).digest('hex').slice(0, 24);
  return path.join(config.cacheDir, `${name}.json`);
}

/** The cached document when nothing it depends on has changed; undefined otherwise. */
export function readFresh(config: ResolvedConfig): CacheRecord | undefined {
  const file = cacheFile(config);
  if (!file) return undefined;
  let record: CacheRecord;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheRecord;
  } catch {
    return undefined;
  }
  if (record.format !== FORMAT || record.key !== cacheKey(config)) return undefined;
  try {
    for (const [rel, mtime] of record.dirs) {
      if (fs.statSync(path.join(config.root, rel)).mtimeMs !== mtime) return undefined;
    }
    for (const [rel, size, mtime] of record.files) {
      const st = fs.statSync(path.join(config.root, rel));
      if (st.size !== size || st.mtimeMs !== mtime) return undefined;
    }
  } catch {
    return undefined;
  }
  return record;
}

/** Record what this document was generated from. Best effort: a cache that cannot be written is skipped. */
export function writeRecord(
  config: ResolvedConfig,
  discovered: { files: string[]; dirs: string[] },
  generated: { output: string; text: string }[],
  warnings: number,
): void {
  const file = cacheFile(config);
  if (!file) return;
  try {
    // Create the cache directory first: creating it (node_modules/ under the root, often) changes
    // the root's mtime, which must happen before the mtimes are recorded.
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const files: CacheRecord['files'] = [];
    for (const rel of discovered.files) {
      const st = fs.statSync(path.join(config.root, rel));
      files.push([rel, st.size, st.mtimeMs]);
    }
    const dirs: CacheRecord['dirs'] = discovered.dirs.map((rel) => [rel, fs.statSync(path.join(config.root, rel)).mtimeMs]);
    const record: CacheRecord = { format: FORMAT, key: cacheKey(config), files, dirs, generated, warnings };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, file);
  } catch {
    // The cache only makes checks faster; failing to write it changes nothing else.
  }
}
