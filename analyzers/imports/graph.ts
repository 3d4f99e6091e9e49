/**
 * The component graph: one dependency-cruiser run over the discovered sources, aggregated from
 * module → module to component → component, with cycles between components.
 */
import path from 'node:path';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { isTestFile } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';
import type { Evidence } from '../../src/model/schema.js';
import { importGraph } from './resolve.js';

interface CruiseDependency {
  module: string;
  resolved: string;
  couldNotResolve: boolean;
  coreModule: boolean;
}
interface CruiseModule {
  source: string;
  dependencies: CruiseDependency[];
}

export interface ComponentEdge {
  from: string;
  to: string;
  count: number;
  /** First import by file and line: the example shown as evidence. */
  example: Evidence;
  specifier: string;
}

/** Top-level tsconfig dependency-cruiser should read (absolute), when the repository has one. */
function rootTsConfig(ctx: AnalyzerContext): string | undefined {
  for (const f of ['tsconfig.json', 'tsconfig.base.json', 'jsconfig.json']) if (ctx.has(f)) return path.join(ctx.root, f);
  return undefined;
}

/** Run dependency-cruiser once; fill the run's resolved-import map. Returns false when it failed. */
export async function cruiseOnce(ctx: AnalyzerContext, files: string[]): Promise<boolean> {
  const graph = importGraph(ctx);
  if (files.length === 0) return true;
  let modules: CruiseModule[];
  try {
    const { cruise } = await import('dependency-cruiser');
    const tsConfigFile = rootTsConfig(ctx);
    let transpile: Record<string, unknown> = {};
    if (tsConfigFile) {
      try {
        const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
        transpile = { tsConfig: extractTSConfig(tsConfigFile) };
      } catch (e) {
        // TypeScript's message starts with the absolute path: keep only "(line,col): error TSnnnn: …".
        const first = (e as Error).message.split('\n')[0]!;
        const at = /\((\d+),\d+\): (error TS\d+: .*)$/.exec(first);
        ctx.warn(path.basename(tsConfigFile), at ? Number(at[1]) : 1, `tsconfig could not be read for import resolution: ${at ? at[2] : first.split(ctx.root).join('.')}`);
      }
    }
    // dependency-cruiser reads files itself: keep it off those archdoc skips (over maxFileSize,
    // binary, unreadable, nested too deeply), or a 50 MB generated file costs a minute and its
    // memory, and one 20,000-deep expression makes the whole graph fail.
    const skipped = ctx.typescriptFiles().filter((f) => ctx.sourceFile(f) === undefined);
    const escape = (f: string) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const result = await cruise(
      files.filter((f) => !skipped.includes(f)),
      {
        baseDir: ctx.root,
        tsPreCompilationDeps: true,
        skipAnalysisNotInRules: true,
        doNotFollow: { path: 'node_modules' },
        ...(skipped.length > 0 ? { exclude: { path: skipped.map(escape) } } : {}),
        ...(tsConfigFile && transpile.tsConfig ? { tsConfig: { fileName: tsConfigFile } } : {}),
      },
      undefined,
      transpile as never,
    );
    const output = result.output as unknown;
    if (typeof output !== 'object' || output === null) return false;
    modules = (output as { modules: CruiseModule[] }).modules;
  } catch (e) {
    ctx.warn('.', 0, `dependency-cruiser failed; imports are resolved by archdoc's own resolver only: ${(e as Error).message.split('\n')[0]}`);
    return false;
  }
  const known = new Set(files);
  for (const m of modules) {
    if (!known.has(m.source)) continue;
    const map = new Map<string, string>();
    for (const d of m.dependencies) {
      // Answers outside the discovered set (node_modules, build output, other repositories) are not components' code.
      if (!d.couldNotResolve && !d.coreModule && ctx.has(d.resolved)) map.set(d.module, d.resolved);
    }
    graph.resolved.set(m.source, map);
  }
  return true;
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

/** Import specifiers of a file in source order with their lines (text scan; comments are rare false hits). */
export function specifiersOf(text: string): { specifier: string; line: number }[] {
  const out: { specifier: string; line: number }[] = [];
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(IMPORT_RE)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    out.push({ specifier: m[2]!, line });
  }
  return out;
}

/** Aggregate file imports into component edges; `resolve` answers with a file or undefined. */
export function componentEdges(
  ctx: AnalyzerContext,
  files: string[],
  resolve: (from: string, specifier: string) => string | undefined,
  packageComponent: (specifier: string) => string | undefined,
): ComponentEdge[] {
  const edges = new Map<string, ComponentEdge>();
  for (const file of files) {
    const from = ctx.componentOf(file);
    if (!from) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    for (const { specifier, line } of specifiersOf(text)) {
      const target = resolve(file, specifier);
      const to = target ? ctx.componentOf(target) : packageComponent(specifier);
      if (!to || to === from) continue;
      const key = `${from}\u0000${to}`;
      const e = edges.get(key);
      if (e) e.count++;
      else edges.set(key, { from, to, count: 1, example: { file, line }, specifier });
    }
  }
  return [...edges.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
}

/** Strongly connected groups of more than one component (Tarjan), each sorted, groups sorted. */
export function componentCycles(edges: ComponentEdge[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    adj.set(e.from, [...(adj.get(e.from) ?? []), e.to]);
    if (!adj.has(e.to)) adj.set(e.to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort(compareStrings));
    }
  };
  for (const v of [...adj.keys()].sort(compareStrings)) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => compareStrings(a[0]!, b[0]!));
}

export function isSourceForGraph(file: string): boolean {
  return !isTestFile(file) && !/(^|\/)node_modules\//.test(file);
}
