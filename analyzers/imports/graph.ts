/**
 * The component graph: the import specifiers of every source, read from its index (or by
 * TypeScript's import scanner where it has none), resolved by the run's shared resolver (or, when
 * chosen, by dependency-cruiser first), and aggregated from module → module to component →
 * component, with cycles between components.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ts } from 'ts-morph';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';
import type { Evidence } from '../../src/model/schema.js';

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

/**
 * What the dependency-cruiser engine needs and the project lacks: dependency-cruiser, and the
 * TypeScript compiler it parses with, are optional peers of archdoc, installed by the project.
 */
export function missingForCruise(resolve: (name: string) => unknown = createRequire(import.meta.url).resolve): string[] {
  return ['dependency-cruiser', 'typescript'].filter((name) => {
    try {
      resolve(name);
      return false;
    } catch (e) {
      // dependency-cruiser is found but cannot be required (ESM only): only a missing package counts.
      return (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    }
  });
}

/**
 * Resolve every import with dependency-cruiser (engine `dependency-cruiser`): file → specifier →
 * resolved file. Undefined when it failed or is not installed (with a warning naming what to add);
 * archdoc's resolver then answers alone. `indexed` tells which scripts the run could index: the
 * others (over maxFileSize, binary, unreadable, nested too deeply) are kept from it.
 */
export async function cruise(ctx: AnalyzerContext, files: string[], indexed: (file: string) => boolean): Promise<Map<string, Map<string, string>> | undefined> {
  const resolved = new Map<string, Map<string, string>>();
  if (files.length === 0) return resolved;
  const missing = missingForCruise();
  if (missing.length > 0) {
    ctx.warn(
      'archdoc.config',
      0,
      `imports: the dependency-cruiser engine needs ${missing.join(' and ')} in the project (\`npm install -D ${missing.join(' ')}\`); imports are resolved by archdoc's own resolver`,
    );
    return undefined;
  }
  let modules: CruiseModule[];
  try {
    const depcruise = (await import('dependency-cruiser')).cruise;
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
        ctx.warn(
          path.basename(tsConfigFile),
          at ? Number(at[1]) : 1,
          `tsconfig could not be read for import resolution: ${at ? at[2] : first.split(ctx.root).join('.')}`,
        );
      }
    }
    // dependency-cruiser reads files itself: keep it off those archdoc skips (over maxFileSize,
    // binary, unreadable, nested too deeply), or a 50 MB generated file costs a minute and its
    // memory, and one 20,000-deep expression makes the whole graph fail.
    const skipped = files.filter((f) => !indexed(f));
    const exact = (f: string) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const result = await depcruise(
      files.filter((f) => !skipped.includes(f)),
      {
        baseDir: ctx.root,
        tsPreCompilationDeps: true,
        skipAnalysisNotInRules: true,
        doNotFollow: { path: 'node_modules' },
        ...(skipped.length > 0 ? { exclude: { path: skipped.map(exact) } } : {}),
        ...(tsConfigFile && transpile.tsConfig ? { tsConfig: { fileName: tsConfigFile } } : {}),
      },
      undefined,
      transpile as never,
    );
    const output = result.output as unknown;
    if (typeof output !== 'object' || output === null) return undefined;
    modules = (output as { modules: CruiseModule[] }).modules;
  } catch (e) {
    ctx.warn('.', 0, `dependency-cruiser failed; imports are resolved by archdoc's own resolver only: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const known = new Set(files);
  for (const m of modules) {
    if (!known.has(m.source)) continue;
    const map = new Map<string, string>();
    for (const d of m.dependencies) {
      // Answers outside the discovered set (node_modules, build output, other repositories) are not components' code.
      if (!d.couldNotResolve && !d.coreModule && ctx.has(d.resolved)) map.set(d.module, d.resolved);
    }
    resolved.set(m.source, map);
  }
  return resolved;
}

/**
 * Import specifiers of a script in source order with the line of each: import and export-from
 * declarations (type-only ones too), `import x = require()`, and `require('x')` and `import('x')`
 * with a literal specifier anywhere in the file. TypeScript's pre-processing scanner reads them
 * without building a syntax tree (comments and strings are skipped), which costs a fraction of a
 * parse and keeps nothing in memory.
 */
export function importsOf(t: typeof ts, text: string): { specifier: string; line: number }[] {
  const out: { specifier: string; line: number }[] = [];
  let line = 1;
  let at = 0;
  for (const ref of t.preProcessFile(text, true, true).importedFiles) {
    for (; at < ref.pos && at < text.length; at++) if (text.charCodeAt(at) === 10) line++;
    if (memberRequire(text, ref.pos) || moduleAugmentation(text, ref.pos)) continue;
    out.push({ specifier: ref.fileName, line });
  }
  return out;
}

/** `declare module 'fastify' { … }`: the scanner takes an augmented module's name as an import; it loads nothing. */
function moduleAugmentation(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  return text.slice(i - 5, i + 1) === 'module' && (i - 6 < 0 || !/[\w$.]/.test(text[i - 6]!));
}

/** `config.require('zoneId')`: the scanner takes any `require('…')`; a method of that name loads no module. */
function memberRequire(text: string, pos: number): boolean {
  let i = pos - 1; // `pos` is the opening quote's
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  if (text[i] !== '(') return false;
  i--;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  if (text.slice(i - 6, i + 1) !== 'require') return false;
  i -= 7;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  return text[i] === '.' || (text[i] === '?' && text[i + 1] === '.');
}

/** Aggregate file imports into component edges; `resolve` answers with a file or undefined. */
export function componentEdges(
  ctx: AnalyzerContext,
  files: string[],
  imports: (file: string) => readonly { specifier: string; line: number }[],
  resolve: (from: string, specifier: string) => string | undefined,
  packageComponent: (specifier: string) => string | undefined,
): ComponentEdge[] {
  const edges = new Map<string, ComponentEdge>();
  for (const file of files) {
    const from = ctx.componentOf(file);
    if (!from) continue;
    for (const { specifier, line } of imports(file)) {
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
  // Set-aside files (tests, examples …) are not among the analyzer's files at all (file roles).
  return !/(^|\/)node_modules\//.test(file);
}
