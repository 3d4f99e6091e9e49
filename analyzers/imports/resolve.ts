/**
 * Module resolution for one run, shared by the imports, outbound and flows analyzers.
 *
 * dependency-cruiser resolves most imports (relative, tsconfig paths, installed packages). What it
 * cannot see without `node_modules` (a fresh clone) is a workspace package imported by name, or an
 * alias declared in a package's own tsconfig: those fall back to this resolver, which maps
 * `@acme/shared[/sub]` to the package's source entry and applies every discovered tsconfig's
 * `paths`. Only discovered files are ever answers; nothing is executed.
 */
import { ts } from 'ts-morph';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { WorkspacePackage } from '../../src/pipeline/workspace.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface PathAlias {
  /** Directory of the tsconfig: the alias applies to files below it. */
  scope: string;
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

/** Per run: file → specifier → resolved repo-relative file (from dependency-cruiser). */
export interface ImportGraph {
  resolved: Map<string, Map<string, string>>;
  resolver: FallbackResolver;
}

const runs = new WeakMap<object, ImportGraph>();

/** The run's import graph (created empty on first use; the imports analyzer fills `resolved`). */
export function importGraph(ctx: AnalyzerContext): ImportGraph {
  const key = ctx.files as object;
  let g = runs.get(key);
  if (!g) runs.set(key, (g = { resolved: new Map(), resolver: new FallbackResolver(ctx) }));
  return g;
}

/** Resolve `specifier` imported from `from` to a discovered file: dependency-cruiser first, then the fallback. */
export function resolveImport(ctx: AnalyzerContext, from: string, specifier: string): string | undefined {
  const g = importGraph(ctx);
  return g.resolved.get(from)?.get(specifier) ?? g.resolver.resolve(from, specifier);
}

export class FallbackResolver {
  private readonly aliases: PathAlias[] = [];
  private readonly cache = new Map<string, string | null>();
  private readonly packages: WorkspacePackage[];

  constructor(private readonly ctx: AnalyzerContext) {
    // Longest names first so `@acme/shared-queues` wins over `@acme/shared`.
    this.packages = [...ctx.workspace.packages].sort((a, b) => b.name.length - a.name.length);
    const configs = ctx.filesMatching((f) => /(^|\/)tsconfig(\.[\w-]+)?\.json$/.test(f) && !/(^|\/)node_modules\//.test(f));
    // Deeper tsconfigs first: a package's own aliases win over the root's.
    configs.sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
    for (const file of configs) this.readPaths(file);
  }

  /** `packageOf`-style lookup: the workspace package named by a bare specifier. */
  packageNamed(specifier: string): WorkspacePackage | undefined {
    return this.packages.find((p) => p.path !== '.' && (specifier === p.name || specifier.startsWith(p.name + '/')));
  }

  private readPaths(file: string): void {
    const text = this.ctx.read(file);
    if (text === undefined) return;
    let parsed: ReturnType<typeof ts.parseConfigFileTextToJson>;
    try {
      parsed = ts.parseConfigFileTextToJson(file, text);
    } catch (e) {
      // The parser recurses: a pathologically nested tsconfig overflows its stack.
      this.ctx.warn(file, 1, `tsconfig could not be read for path aliases: ${(e as Error).message}`);
      return;
    }
    if (parsed.error) return;
    const options = (parsed.config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined)?.compilerOptions;
    const paths = options?.paths;
    if (!paths || typeof paths !== 'object') return;
    const base = joinPosix(dirOf(file), typeof options.baseUrl === 'string' ? options.baseUrl : '.');
    for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      this.aliases.push({
        scope: dirOf(file),
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => joinPosix(base, t)),
      });
    }
  }

  resolve(from: string, specifier: string): string | undefined {
    const key = `${from}\u0000${specifier}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.compute(from, specifier);
    this.cache.set(key, found ?? null);
    return found;
  }

  private compute(from: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.file(joinPosix(dirOf(from), specifier));
    for (const a of this.aliases) {
      if (!isUnder(from, a.scope)) continue;
      let middle: string | undefined;
      if (!a.wildcard && specifier === a.prefix) middle = '';
      else if (
        a.wildcard &&
        specifier.startsWith(a.prefix) &&
        specifier.endsWith(a.suffix) &&
        specifier.length >= a.prefix.length + a.suffix.length
      ) {
        middle = specifier.slice(a.prefix.length, specifier.length - a.suffix.length);
      }
      if (middle === undefined) continue;
      for (const t of a.targets) {
        const found = this.file(t.replace('*', middle));
        if (found) return found;
      }
    }
    const p = this.packageNamed(specifier);
    if (!p) return undefined;
    const sub = specifier.slice(p.name.length + 1);
    return sub ? (this.built(joinPosix(p.path, sub)) ?? this.file(joinPosix(p.path, 'src', sub))) : this.entry(p);
  }

  /** `@acme/shared` → the package's source entry (manifest fields mapped back from dist to src). */
  private entry(p: WorkspacePackage): string | undefined {
    const m = p.manifest;
    const fields: string[] = [];
    for (const key of ['source', 'types', 'typings', 'module', 'main']) if (typeof m[key] === 'string') fields.push(m[key] as string);
    const exp = m.exports;
    const dot = typeof exp === 'string' ? exp : typeof exp === 'object' && exp !== null ? ((exp as Record<string, unknown>)['.'] ?? exp) : undefined;
    if (typeof dot === 'string') fields.push(dot);
    else if (typeof dot === 'object' && dot !== null) {
      for (const v of Object.values(dot as Record<string, unknown>)) if (typeof v === 'string') fields.push(v);
    }
    for (const f of fields) {
      const found = this.built(joinPosix(p.path, f));
      if (found) return found;
    }
    for (const f of ['src/index', 'index', 'lib/index', 'src/main']) {
      const found = this.file(joinPosix(p.path, f));
      if (found) return found;
    }
    return undefined;
  }

  /** A manifest path that may point at build output: try it, then the same path under src/. */
  private built(p: string): string | undefined {
    const bare = p.replace(/\.d\.ts$/, '').replace(/\.[cm]?js$/, '');
    const direct = this.file(bare);
    if (direct) return direct;
    const m = /^(.*?)(?:^|\/)(?:dist|build|lib|out)\/(?:src\/)?(.*)$/.exec(bare);
    if (m) return this.file(joinPosix(m[1] || '.', 'src', m[2]!));
    return undefined;
  }

  private file(p: string): string | undefined {
    const stripped = p.replace(/\.[cm]?jsx?$/, '');
    for (const base of stripped === p ? [p] : [stripped, p]) {
      if (this.ctx.has(base) && EXTENSIONS.some((e) => base.endsWith(e))) return base;
      for (const e of EXTENSIONS) if (this.ctx.has(base + e)) return base + e;
      for (const e of EXTENSIONS) if (this.ctx.has(`${base}/index${e}`)) return `${base}/index${e}`;
    }
    return undefined;
  }
}
