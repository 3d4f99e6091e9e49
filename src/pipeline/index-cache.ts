/**
 * The index cache, like ESLint's `--cache` with its content strategy: each script's index
 * (src/analysis/index-build.ts: the index and its parse's warnings) kept from the last run, by the
 * script's path and a hash of its text, so that a script whose text did not change is neither
 * parsed nor indexed again. One pack file per root and target in the run's cache directory
 * (cache.ts: inside the root, or no cache), written atomically through an exclusive temporary file
 * and holding only the scripts of the run that wrote it.
 *
 * The pack is a small JSON header, then the entries in V8's serialization format (maps survive,
 * and it reads several times faster than JSON). The header names what an index depends on besides
 * its script: archdoc's version, the index format, the TypeScript version and the sizes and times
 * of the engine's built code (a rebuilt engine is another engine). No config setting changes an
 * index (it is a function of the path and the text), so the config is not part of it. A pack
 * written under another header is ignored, never trusted; a damaged or truncated one is ignored
 * with a note (`--verbose`), never a crash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { ResolvedConfig } from '../config/load.js';
import type { Indexed } from '../analysis/index-build.js';
import { archdocVersion } from '../util/package.js';
import { cachePath, replace } from './cache.js';

/** Bumped whenever what an index holds changes shape or meaning. */
export const INDEX_FORMAT = 10;

const MAGIC = 'archdoc-index';

interface Header {
  magic: string;
  archdoc: string;
  format: number;
  typescript: string;
  engine: string;
  /** Bytes of the serialized entries that follow (a shorter file was truncated). */
  bytes: number;
}

/** The run's statistics: what came from the cache and what was built. */
export interface IndexCacheStats {
  hits: number;
  misses: number;
}

/** Sizes and modification times of the engine's code (the index builder and the parser), where this module runs from. */
function engineStamp(): string {
  const h = createHash('sha256');
  for (const dir of ['../analysis/', '../analyzer/']) {
    const abs = fileURLToPath(new URL(dir, import.meta.url));
    let names: string[];
    try {
      names = fs.readdirSync(abs).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const st = fs.statSync(path.join(abs, n), { throwIfNoEntry: false });
      if (st?.isFile()) h.update(`${dir}${n}:${st.size}:${st.mtimeMs}\n`);
    }
  }
  return h.digest('hex').slice(0, 32);
}

/** The header this archdoc writes and accepts (without the entries' length). */
function expected(typescript: string): Omit<Header, 'bytes'> {
  return { magic: MAGIC, archdoc: archdocVersion(), format: INDEX_FORMAT, typescript, engine: engineStamp() };
}

/** Hash of a script's text: its key in the cache, with its path. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 27);
}

/** The bytes of a regular file, not through a link; undefined when there is none. */
function readPack(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error('not a regular file');
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** True for what a pack entry must look like: [hash, { notes[], index? with its maps }]. */
function wellFormed(v: unknown): v is [string, Indexed] {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') return false;
  const e = v[1] as Partial<Indexed> | undefined;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.notes)) return false;
  const i = e.index;
  return (
    i === undefined ||
    (typeof i.file === 'string' && i.functions instanceof Map && i.imports instanceof Map && i.vars instanceof Map && i.classes instanceof Map)
  );
}

export class IndexCache {
  readonly stats: IndexCacheStats = { hits: 0, misses: 0 };
  /** What the pack held when read: path → [text hash, indexed]. */
  private readonly old: Map<string, [string, Indexed]>;
  /** This run's scripts, for the pack it writes. */
  private readonly now = new Map<string, [string, Indexed]>();

  private constructor(
    private readonly file: string | undefined,
    private readonly header: Omit<Header, 'bytes'>,
    old: Map<string, [string, Indexed]>,
  ) {
    this.old = old;
  }

  /**
   * The cache of a target: what its pack holds when it was written by this archdoc, else empty.
   * Without a cache directory (`cache: false`, no node_modules) nothing is read or written.
   */
  static open(config: ResolvedConfig, typescript: string, note: (message: string) => void = () => {}): IndexCache {
    const file = cachePath(config, '.index.v8');
    const header = expected(typescript);
    return new IndexCache(file, header, file ? IndexCache.read(file, header, note) : new Map());
  }

  private static read(file: string, want: Omit<Header, 'bytes'>, note: (message: string) => void): Map<string, [string, Indexed]> {
    const empty = new Map<string, [string, Indexed]>();
    const name = path.basename(file);
    let buf: Buffer | undefined;
    try {
      buf = readPack(file);
    } catch (e) {
      note(`the index cache ${name} could not be read (${(e as Error).message}); indexing every script`);
      return empty;
    }
    if (!buf) return empty;
    try {
      const end = buf.indexOf(10);
      if (end < 0) throw new Error('no header');
      const header = JSON.parse(buf.toString('utf8', 0, end)) as Header;
      const mismatch = (Object.keys(want) as (keyof typeof want)[]).find((k) => header[k] !== want[k]);
      if (mismatch) {
        note(
          `the index cache ${name} was written by another ${mismatch === 'magic' ? 'program' : mismatch === 'engine' ? 'build of archdoc' : mismatch}; indexing every script`,
        );
        return empty;
      }
      if (buf.length - end - 1 !== header.bytes) throw new Error(`truncated: ${buf.length - end - 1} bytes of entries where ${header.bytes} were written`);
      const entries: unknown = v8.deserialize(buf.subarray(end + 1));
      if (!(entries instanceof Map)) throw new Error('no entries');
      for (const [k, v] of entries as Map<unknown, unknown>) if (typeof k !== 'string' || !wellFormed(v)) throw new Error(`a malformed entry (${String(k)})`);
      return entries as Map<string, [string, Indexed]>;
    } catch (e) {
      note(`the index cache ${name} is damaged and is ignored (${(e as Error).message}); indexing every script`);
      return empty;
    }
  }

  /** False when there is no cache directory: nothing is read, hashed or written. */
  get enabled(): boolean {
    return this.file !== undefined;
  }

  /** A script's cached index, when its text has the hash it had then. */
  get(file: string, hash: string): Indexed | undefined {
    const hit = this.old.get(file);
    if (!hit || hit[0] !== hash) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.now.set(file, hit);
    return hit[1];
  }

  /** A script's index built in this run. */
  put(file: string, hash: string, indexed: Indexed): void {
    this.now.set(file, [hash, indexed]);
  }

  /**
   * Write the pack of this run's scripts (the entries of scripts it did not see go), when it differs
   * from the one read. Best effort: a cache that cannot be written only makes the next run slower.
   */
  save(note: (message: string) => void = () => {}): void {
    if (!this.file) return;
    if (this.stats.misses === 0 && this.now.size === this.old.size) return;
    try {
      // Sorted by path: the same scripts give the same pack, whatever order they were indexed in.
      const entries = new Map([...this.now].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const body = v8.serialize(entries);
      const head = Buffer.from(`${JSON.stringify({ ...this.header, bytes: body.length })}\n`);
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      replace(this.file, Buffer.concat([head, body]));
    } catch (e) {
      note(`the index cache could not be written (${(e as Error).message})`);
    }
  }
}
