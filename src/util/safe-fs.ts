/**
 * Reading and writing archdoc's own files (documents, ADRs) inside a boundary directory. The
 * analysed repository controls its symlinks, so a path is resolved through them (`realpath`, of
 * the nearest existing ancestor for a file not yet created) and refused when it leads outside the
 * boundary, or when what is there is not a regular file (a device, FIFO, socket or directory).
 * Reads open the resolved path without following a last link, check the open file (so it cannot
 * be swapped between the check and the read), and read no more than the file's size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ArchdocError, EXIT } from './errors.js';

/** Largest document or ADR archdoc reads (far beyond any real one). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

function refuse(name: string, why: string): never {
  throw new ArchdocError(`${name} ${why}; refusing to read or write it`, EXIT.usage);
}

/** True when absolute `file` is `dir` or lies under it, by their names alone (no links followed). */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `p`: its own when it exists, else its nearest existing ancestor's with the
 * rest appended. `exists` says whether `p` itself exists.
 */
export function realPathOf(p: string, name = p): { real: string; exists: boolean } {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    let found = true;
    try {
      fs.lstatSync(cur);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') refuse(name, `cannot be examined (${(e as Error).message})`);
      found = false;
    }
    if (found) {
      let real: string;
      try {
        real = fs.realpathSync(cur);
      } catch (e) {
        return refuse(name, `leads through a link that cannot be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      return { real: path.join(real, ...rest.reverse()), exists: rest.length === 0 };
    }
    const parent = path.dirname(cur);
    if (parent === cur) return { real: path.resolve(p), exists: false };
    rest.push(path.basename(cur));
    cur = parent;
  }
}

/**
 * Where to read or write `file`: its real path, which must lie under the real path of `boundary`
 * (when given) and, when it exists, be a regular file. Throws an ArchdocError (exit 2) otherwise.
 */
export function confined(file: string, boundary: string | undefined, name = file, kind: 'file' | 'directory' = 'file'): { real: string; exists: boolean } {
  const target = realPathOf(file, name);
  if (boundary !== undefined) {
    const base = realPathOf(boundary, name).real;
    if (!isInside(target.real, base)) refuse(name, `leads outside ${boundary} (to ${target.real}) through a symbolic link`);
  }
  if (target.exists) {
    let st: fs.Stats;
    try {
      st = fs.statSync(target.real);
    } catch (e) {
      return refuse(name, `cannot be examined (${(e as Error).message})`);
    }
    if (kind === 'file' ? !st.isFile() : !st.isDirectory()) refuse(name, `is not a ${kind === 'file' ? 'regular file' : 'directory'} (${kindOf(st)})`);
  }
  return target;
}

function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

/**
 * Read a regular file as UTF-8, or undefined when it does not exist. The file is opened without
 * following a last link and without blocking (a FIFO swapped in after the check cannot stall the
 * read), checked on the open descriptor, and read to exactly its size: a file that yields more or
 * fewer bytes than it says it has (those under /proc) is refused.
 */
export function readRegular(file: string, name = file, maxBytes = MAX_READ_BYTES): string | undefined {
  return readRegularStat(file, name, maxBytes)?.text;
}

/** `readRegular`, with the size and modification time of the file that was read. */
export function readRegularStat(file: string, name = file, maxBytes = MAX_READ_BYTES): { text: string; size: number; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') refuse(name, 'changed into a symbolic link while being read');
    throw new ArchdocError(`cannot read ${name}: ${(e as Error).message}`, EXIT.usage);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) refuse(name, `is not a regular file (${kindOf(st)})`);
    if (st.size > maxBytes) refuse(name, `is larger than ${maxBytes} bytes`);
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > st.size) refuse(name, 'holds more than its size says (not an ordinary file)');
    }
    if (n !== st.size) refuse(name, 'holds less than its size says (it changed while being read)');
    return { text: buf.toString('utf8', 0, n), size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    if (e instanceof ArchdocError) throw e;
    throw new ArchdocError(`cannot read ${name}: ${(e as Error).message}`, EXIT.usage);
  } finally {
    fs.closeSync(fd);
  }
}

/** `confined` then `readRegular` on the real path: undefined when the file does not exist. */
export function readConfined(file: string, boundary: string | undefined, name = file): string | undefined {
  const { real, exists } = confined(file, boundary, name);
  return exists ? readRegular(real, name) : undefined;
}
