/**
 * The freshness cache behind a fast `archdoc check`: for each target, the size and modification
 * time of every file and directory discovery saw, and the documents generated from them. When
 * none of those changed (a new or deleted file changes its directory's mtime), `check` compares
 * the cached document with the file on disk without analysing anything — and without loading
 * TypeScript, ts-morph or any analyzer. When the file on disk also still has the size and mtime
 * it had when it last matched, even that comparison is skipped: the cached documents (a second
 * file) are read only when something differs. The key covers archdoc's own code and templates,
 * the config file, every local file the config loaded (plugins), the user's templates and the
 * target, so any of those changing is a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { packageRoot } from '../util/package.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { confined, readRegular } from '../util/safe-fs.js';

const FORMAT = 3;

export interface CacheRecord {
  format: number;
  key: string;
  /** [relative path, size, mtimeMs] of every discovered file. */
  files: [string, number, number][];
  /** [relative path, mtimeMs] of every discovered directory ('' is the root). */
  dirs: [string, number][];
  /**
   * The documents (main first, then component pages), each with the [size, mtimeMs] of its file
   * when that file was last known to match the generated text with human blocks merged in.
   */
  outputs: { output: string; disk?: [number, number] }[];
  /** Number of analysis warnings (for --strict on a cache hit). */
  warnings: number;
  /** Size of the documents file written with this record (a missing or different one is a miss). */
  documentsSize: number;
  /** Digest of the model the documents were rendered from (`modelDigest`). */
  model?: string;
}

/** A fresh cache record, and the generated documents behind it (read only when asked for). */
export interface CacheHit {
  record: CacheRecord;
  generated(): { output: string; text: string }[];
}

/** True when the document file still has the size and mtime it had when it last matched. */
export function diskUnchanged(output: string, disk: [number, number] | undefined): boolean {
  if (!disk) return false;
  try {
    const st = fs.statSync(output);
    return st.size === disk[0] && st.mtimeMs === disk[1];
  } catch {
    return false;
  }
}

function diskOf(output: string): [number, number] | undefined {
  try {
    const st = fs.statSync(output);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
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
      configDeps: (config.configDeps ?? []).map(contentStamp),
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

/** A file the config loaded, by its content (a missing or unreadable one counts as such). */
function contentStamp(file: string): string {
  try {
    return `${file}:${createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16)}`;
  } catch {
    return `${file}:unreadable`;
  }
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
      const st = fs.statSync(p, { throwIfNoEntry: false });
      if (!st) out.push(`${path.relative(dir, p)}:missing`);
      else if (st.isDirectory()) stack.push(p);
      else out.push(`${path.relative(dir, p)}:${st.size}:${st.mtimeMs}`);
    }
  }
  return out.sort();
}

/**
 * Why a target has no cache although one is configured, or undefined when it can have one. The
 * cache directory (under the repository's node_modules by default, or `cache: { dir }`) must
 * resolve inside the root, so neither a link there nor the config, which is repository text, can
 * make archdoc write elsewhere; when it does not, there is no cache (`--verbose` says so).
 */
export function cacheUnavailable(config: ResolvedConfig): string | undefined {
  if (!config.cacheDir) return undefined;
  // The default place is the project's own node_modules: never created where there is none.
  const modules = path.join(config.root, 'node_modules');
  const inModules = !path.relative(modules, config.cacheDir).startsWith('..');
  if (inModules && !fs.existsSync(modules)) return 'the freshness cache is off: the root has no node_modules to keep it in (set cache: { dir } to keep one)';
  try {
    confined(config.cacheDir, config.boundary ?? config.root, config.cacheDir, 'directory');
  } catch (e) {
    return `the freshness cache is off: ${(e as Error).message.replace(/; refusing to read or write it$/, '')}`;
  }
  return undefined;
}

/** The cache file of a target; undefined when there is no cache (see `cacheUnavailable`). */
function cacheFile(config: ResolvedConfig): string | undefined {
  if (!config.cacheDir || cacheUnavailable(config) !== undefined) return undefined;
  const name = createHash('sha256').update(`${config.root}\u0000${config.target}\u0000${config.output}`).digest('hex').slice(0, 24);
  return path.join(config.cacheDir, `${name}.json`);
}

/** The cached documents when nothing they depend on has changed; undefined otherwise. */
export function readFresh(config: ResolvedConfig): CacheHit | undefined {
  return readRecord(config, true);
}

/**
 * The cached documents of the last run for this config whose model had this digest (`modelDigest`),
 * whatever files changed since: the same model renders the same documents.
 */
export function readRendered(config: ResolvedConfig, digest: string): CacheHit | undefined {
  const hit = readRecord(config, false);
  return hit?.record.model === digest ? hit : undefined;
}

/** The digest of a model, by which `readRendered` finds the documents rendered from it. */
export function modelDigest(model: unknown): string {
  return createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 32);
}

function readRecord(config: ResolvedConfig, fresh: boolean): CacheHit | undefined {
  const file = cacheFile(config);
  if (!file) return undefined;
  let record: CacheRecord;
  try {
    record = JSON.parse(readRegular(file) ?? '') as CacheRecord;
  } catch {
    return undefined;
  }
  if (record.format !== FORMAT || record.key !== cacheKey(config)) return undefined;
  if (fresh && !statsUnchanged(config.root, record)) return undefined;
  try {
    if (fs.statSync(`${file}.documents.json`).size !== record.documentsSize) return undefined;
  } catch {
    return undefined;
  }
  let generated: { output: string; text: string }[] | undefined;
  return {
    record,
    generated: () => {
      if (!generated) {
        try {
          generated = JSON.parse(readRegular(`${file}.documents.json`) ?? '') as { output: string; text: string }[];
        } catch (e) {
          // Written atomically by archdoc, so only a hand-edited or damaged file gets here.
          throw new ArchdocError(
            `the freshness cache ${path.relative(config.root, file)}.documents.json is damaged (${(e as Error).message}); run again with --no-cache, or delete ${path.relative(config.root, path.dirname(file))}`,
            EXIT.usage,
          );
        }
      }
      return generated;
    },
  };
}

/**
 * True when every recorded directory still has its mtime and every file its size and mtime; the
 * first difference ends the walk. Paths are joined by hand (recorded paths are POSIX and relative,
 * which every platform's file API accepts after the root and a slash): a warm check stats some
 * 12,000 paths in a 10,000-file repository, and nothing else is allocated per path.
 */
function statsUnchanged(root: string, record: Pick<CacheRecord, 'dirs' | 'files'>): boolean {
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  for (const [rel, mtime] of record.dirs) {
    const st = fs.statSync(rel === '' ? root : base + rel, { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtime) return false;
  }
  for (const [rel, size, mtime] of record.files) {
    const st = fs.statSync(base + rel, { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtime || st.size !== size) return false;
  }
  return true;
}

/** Note that these documents match their generated text now (a check found them up to date). */
export function noteUpToDate(config: ResolvedConfig, outputs: string[]): void {
  const file = cacheFile(config);
  if (!file || outputs.length === 0) return;
  try {
    const record = JSON.parse(readRegular(file) ?? '') as CacheRecord;
    for (const o of record.outputs) if (outputs.includes(o.output)) o.disk = diskOf(o.output);
    replace(file, JSON.stringify(record));
  } catch {
    // Only a faster next check is lost.
  }
}

/**
 * A file of its own in the cache directory (the index cache's pack, for one), undefined when there
 * is no cache (see `cacheUnavailable`). Named after the root and the target.
 */
export function cachePath(config: ResolvedConfig, suffix: string): string | undefined {
  if (!config.cacheDir || cacheUnavailable(config) !== undefined) return undefined;
  const name = createHash('sha256').update(`${config.root}\u0000${config.target}`).digest('hex').slice(0, 24);
  return path.join(config.cacheDir, `${name}${suffix}`);
}

/** Write a cache file through a temporary created exclusively (a link planted under its name is never followed). */
export function replace(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text, { flag: 'wx' });
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Record what this document was generated from. Best effort: a cache that cannot be written is skipped. */
export function writeRecord(
  config: ResolvedConfig,
  discovered: { files: string[]; dirs: string[] },
  generated: { output: string; text: string }[],
  warnings: number,
  upToDate: (output: string) => boolean,
  model?: string,
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
    const outputs = generated.map((g) => {
      const disk = upToDate(g.output) ? diskOf(g.output) : undefined;
      return disk ? { output: g.output, disk } : { output: g.output };
    });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // The documents first: a record is only ever read with the documents it was written with.
    const documents = JSON.stringify(generated);
    replace(`${file}.documents.json`, documents);
    const record: CacheRecord = {
      format: FORMAT,
      key: cacheKey(config),
      files,
      dirs,
      outputs,
      warnings,
      documentsSize: Buffer.byteLength(documents),
      ...(model ? { model } : {}),
    };
    replace(file, JSON.stringify(record));
  } catch {
    // The cache only makes checks faster; failing to write it changes nothing else.
  }
}
