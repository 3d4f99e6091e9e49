/**
 * Who runs a library's code: a producer or consumer site in a library component (a shared
 * package's `enqueueCrawl()`, a tRPC router package's mutation) runs inside the services, workers,
 * functions and front ends that import it, so those are the queue's ends, not the library. Read
 * over the import graph of the script indexes: the files that import the function (or class) the
 * site sits in, else anything of its file, through re-exports and barrels; an importer in a library
 * is followed in turn, file by file. Type-only imports (`import type { AppRouter }`) run nothing and
 * are left out, as are names that are no value of the file (interfaces, type aliases).
 */
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Component } from '../../src/model/schema.js';
import { isTest, type Loc } from './values.js';

/** Component kinds that run code; a library runs in them, infrastructure code runs none of it. */
const RUNNING = new Set<Component['kind']>(['service', 'worker', 'frontend', 'cli', 'function']);
/** Files visited per site at most: a library imported everywhere is read no further. */
const MAX_FILES = 400;
/** Re-exports followed from an import to the file that declares the name. */
const MAX_REEXPORTS = 8;

/** An import of a value: the file importing it, the line, and the name at its origin (`*`: the whole module). */
interface Use {
  importer: string;
  line: number;
  name: string;
}

export interface Runners {
  /** The running components that reach a site (`file:line`) through imports, each with the import line it comes through; empty when none does. */
  of(site: string): Map<string, Loc>;
}

/**
 * `owner(file)`: the component holding a file (its settled, deepest one); `kindOf`: a component's
 * kind. The reverse import graph is made once, when first asked.
 */
export function runners(
  indexes: ReadonlyMap<string, FileIndex>,
  resolveImport: (from: string, spec: string) => string | undefined,
  owner: (file: string) => Component | undefined,
): Runners {
  let users: Map<string, Use[]> | undefined;
  const known = new Map<string, Map<string, Loc>>();

  /** The file and name an exported `name` of `file` is declared as (following `export … from` and `export *`). */
  const origin = (file: string, name: string, depth: number): { file: string; name: string } | undefined => {
    const idx = indexes.get(file);
    if (!idx || depth > MAX_REEXPORTS) return undefined;
    if (name === '*' || idx.exports.has(name)) return { file, name };
    const target = (spec: string) => {
      const f = resolveImport(file, spec);
      return f && indexes.has(f) ? f : undefined;
    };
    const re = idx.reexports.get(name);
    if (re) {
      const t = target(re.module);
      return t ? origin(t, re.name, depth + 1) : undefined;
    }
    for (const spec of idx.starExports) {
      const t = target(spec);
      const o = t ? origin(t, name, depth + 1) : undefined;
      if (o) return o;
    }
    return undefined;
  };

  const graph = (): Map<string, Use[]> => {
    const out = new Map<string, Use[]>();
    const add = (file: string, use: Use) => (out.get(file) ?? out.set(file, []).get(file)!).push(use);
    for (const [importer, idx] of [...indexes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (isTest(importer)) continue;
      const typeOnly = new Set(idx.specifiers.filter((s) => s.typeOnly).map((s) => `${s.specifier}\u0000${s.line}`));
      const bound = new Set<string>();
      for (const imp of idx.imports.values()) {
        bound.add(imp.module);
        if (typeOnly.has(`${imp.module}\u0000${imp.line}`)) continue;
        const target = resolveImport(importer, imp.module);
        if (!target || !indexes.has(target)) continue;
        const o = origin(target, imp.name, 0);
        if (o) add(o.file, { importer, line: imp.line, name: o.name });
      }
      // `import './jobs'`, `await import('./jobs')`, `require('./jobs')` unbound: the whole module runs.
      for (const s of idx.specifiers) {
        if (s.typeOnly || s.kind === 'export' || bound.has(s.specifier)) continue;
        const target = resolveImport(importer, s.specifier);
        if (target && indexes.has(target)) add(target, { importer, line: s.line, name: '*' });
      }
    }
    return out;
  };

  /** The names a file exports the top-level function or class holding `line` under; none when the line is at module level or in something not exported. */
  const exportedAt = (file: string, line: number): string[] => {
    const idx = indexes.get(file);
    if (!idx) return [];
    let local: string | undefined;
    for (const fn of idx.functions.values()) {
      if (fn.parent || fn === idx.topLevel || line < fn.line || line > fn.endLine) continue;
      local = fn.cls ?? fn.name;
      break;
    }
    if (!local) return [];
    return [...idx.exports].filter(([, l]) => l === local).map(([name]) => name);
  };

  const reach = (file: string, line: number): Map<string, Loc> => {
    users ??= graph();
    const found = new Map<string, Loc>();
    const seen = new Set([file]);
    const queue: [string, string[]][] = [[file, exportedAt(file, line)]];
    while (queue.length > 0 && seen.size <= MAX_FILES) {
      const [f, names] = queue.shift()!;
      const all = users.get(f) ?? [];
      const some = names.length ? all.filter((u) => u.name === '*' || names.includes(u.name)) : all;
      for (const u of some.length ? some : all) {
        const c = owner(u.importer);
        if (!c) continue;
        if (RUNNING.has(c.kind)) {
          if (!found.has(c.id)) found.set(c.id, { file: u.importer, line: u.line });
        } else if (c.kind === 'library' && !seen.has(u.importer)) {
          // A library file that uses it: whatever imports that file runs it.
          seen.add(u.importer);
          queue.push([u.importer, []]);
        }
      }
    }
    return found;
  };

  return {
    of(site) {
      const cut = site.lastIndexOf(':');
      const hit = known.get(site);
      if (hit) return hit;
      const found = reach(site.slice(0, cut), Number(site.slice(cut + 1)));
      known.set(site, found);
      return found;
    },
  };
}
