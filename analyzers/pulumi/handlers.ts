/**
 * Where SST finds a function's code from its handler string (`packages/functions/src/list.main`):
 * the script under the function's source folder, SST v2's `srcPath` (the function's own, else the
 * default a stack or the app sets with `setDefaultFunctionProps({ srcPath })`, else the app's
 * folder). A handler whose script is not in the repository still names the folder its code was
 * meant to be in, and so the component that runs it; a warning says so, and no file is made up.
 */
import type { Program } from './program.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';

/** Extensions a handler's module may have in the repository. */
export const SCRIPT_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx'];

export interface Code {
  file: string;
  /** The exported function's name (or the callback's). */
  handler: string;
  line: number;
}

/** What a handler string denotes: its script, else the folder it falls into; `note` says why it is not where SST would look. */
export interface HandlerPlace {
  code?: Code;
  /** The folder the handler's path falls into when its script is not in the repository. */
  folder?: string;
  /** Set when SST would not find the script: the warning to give. */
  note?: string;
}

/** The folders of a repository (every prefix of a file's path), and those ending in a name, for the tail rule. */
export interface Folders {
  has(folder: string): boolean;
  /** The folders whose path ends with `tail` (`backend/functions` → `packages/backend/functions`). */
  endingWith(tail: string): string[];
}

export function foldersOf(files: readonly string[]): Folders {
  const all = new Set<string>();
  const byLast = new Map<string, string[]>();
  for (const f of files) {
    for (let dir = dirOf(f); dir !== '.' && !all.has(dir); dir = dirOf(dir)) {
      all.add(dir);
      const last = dir.slice(dir.lastIndexOf('/') + 1);
      const list = byLast.get(last);
      if (list) list.push(dir);
      else byLast.set(last, [dir]);
    }
  }
  return {
    has: (folder) => folder === '.' || all.has(folder),
    endingWith: (tail) => (byLast.get(tail.slice(tail.lastIndexOf('/') + 1)) ?? []).filter((d) => d === tail || d.endsWith(`/${tail}`)).sort(),
  };
}

/**
 * A handler read from its source folder `base` (repository-relative): `src/list.main` is
 * `<base>/src/list.ts`'s `main`; `src/list.ts` the script's default export. When the path's first
 * folder is not in the repository under `base`, and exactly one folder of the repository ends with
 * the handler's folder (`backend/functions/plaid` → `packages/backend/functions/plaid`: a handler
 * written from another folder than SST's), it is read from there, with a note. A script not in
 * the repository leaves the folder its path falls into, with a note.
 */
export function placeHandler(s: string, base: string, has: (file: string) => boolean, folders: Folders): HandlerPlace {
  const path = s.startsWith('./') ? s.slice(2) : s;
  const whole = joinPosix(base, path);
  if (SCRIPT_EXTENSIONS.some((e) => path.endsWith(e)) && has(whole)) return { code: { file: whole, handler: 'default', line: 1 } };
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  // `file.export`; without an export SST finds no function, but the path still says where the code was meant to be.
  const module = dot > slash ? path.slice(0, dot) : path;
  const handler = dot > slash ? path.slice(dot + 1) : undefined;
  const dir = dirOf(module);
  const first = module.slice(0, module.indexOf('/') < 0 ? module.length : module.indexOf('/'));
  let from = base;
  let note: string | undefined;
  if (dir !== '.' && !folders.has(joinPosix(base, first))) {
    const found = folders.endingWith(dir);
    if (found.length !== 1) return {};
    from = found[0] === dir ? '.' : found[0]!.slice(0, found[0]!.length - dir.length - 1);
    note = `SST handler '${s}' is not under ${base === '.' ? "the app's folder" : base}; read from ${found[0]}, the repository's one folder ending in ${dir}`;
  }
  const file = SCRIPT_EXTENSIONS.map((e) => joinPosix(from, module) + e).find(has);
  if (file && handler !== undefined) return { code: { file, handler, line: 1 }, ...(note ? { note } : {}) };
  const folder = joinPosix(from, dir);
  if (!folders.has(from)) return {};
  const why = file
    ? `names no exported function of ${file} (SST's form is file.function)`
    : `: no script ${joinPosix(from, module)}.ts (or .js) is in the repository`;
  const missing = `SST handler '${s}'${file ? ' ' : ''}${why}; its function is taken to run in ${folder}`;
  return { folder, note: note ? `${note}. ${missing}` : missing };
}

/**
 * SST v2's default source folders: `app.setDefaultFunctionProps({ srcPath: 'services' })` in the
 * app's config holds for the whole app, `stack.setDefaultFunctionProps(…)` in a stack for that
 * stack's script. Relative to the app's folder.
 */
export function defaultSrcPaths(
  p: Program,
  isConfig: (file: string) => boolean,
  appRoot: (file: string) => string,
): { app: Map<string, string>; file: Map<string, string> } {
  const out = { app: new Map<string, string>(), file: new Map<string, string>() };
  const ev = p.ev;
  for (const [file, idx] of [...ev.indexes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const fn of idx.functions.values()) {
      for (const call of fn.calls) {
        if (call.isNew || call.names[call.names.length - 1] !== 'setDefaultFunctionProps') continue;
        const scope = { file, fn };
        const o = ev.objectIn([scope], call.args[0]);
        const src = o && Object.hasOwn(o.props, 'srcPath') ? ev.string(o.scope, o.props.srcPath!) : undefined;
        if (src === undefined) continue;
        const appWide = isConfig(file) || call.root === 'app';
        if (appWide && !out.app.has(appRoot(file))) out.app.set(appRoot(file), src);
        else if (!appWide && !out.file.has(file)) out.file.set(file, src);
      }
    }
  }
  return out;
}
