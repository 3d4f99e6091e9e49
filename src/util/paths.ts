import path from 'node:path';

/** Convert a native relative path to POSIX separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Repo-relative POSIX path of an absolute path under `root`. */
export function relativePosix(root: string, abs: string): string {
  return toPosix(path.relative(root, abs));
}

/** True when `file` is `dir` or lies under it (both repo-relative POSIX; "." is the root). */
export function isUnder(file: string, dir: string): boolean {
  if (dir === '.' || dir === '') return true;
  return file === dir || file.startsWith(dir + '/');
}

/** Parent directory of a repo-relative POSIX path ("." for top-level files). */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

/** Join repo-relative POSIX segments, treating "." as the root. */
export function joinPosix(...parts: string[]): string {
  const joined = path.posix.normalize(parts.filter((p) => p !== '.' && p !== '').join('/'));
  return joined === '' || joined === '.' ? '.' : joined.replace(/\/$/, '');
}
