/**
 * Module resolution without a compiler program: relative imports, tsconfig `paths` aliases (Nest
 * and Nx monorepos) and workspace packages imported by name (`@acme/shared` → its source entry).
 * Only files discovered in the repository are ever candidates; nothing is executed.
 */
import { ts } from 'ts-morph';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { WorkspacePackage } from '../../src/pipeline/workspace.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface PathAlias {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

export class ModuleResolver {
  private readonly aliases: PathAlias[] = [];
  private readonly cache = new Map<string, string | null>();
  private readonly packages: WorkspacePackage[];

  constructor(private readonly ctx: AnalyzerContext) {
    // Longest names first so `@acme/shared-queues` wins over `@acme/shared`.
    this.packages = [...ctx.workspace.packages].sort((a, b) => b.name.length - a.name.length);
    for (const file of ['tsconfig.base.json', 'tsconfig.json']) if (ctx.has(file)) this.readPaths(file);
  }

  private readPaths(file: string): void {
    const text = this.ctx.read(file);
    if (text === undefined) return;
    const parsed = ts.parseConfigFileTextToJson(file, text);
    if (parsed.error) {
      this.ctx.warn(file, 1, 'tsconfig could not be read for path aliases (messaging names through aliases may be missed)');
      return;
    }
    const options = (parsed.config as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } })?.compilerOptions;
    const paths = options?.paths;
    if (!paths || typeof paths !== 'object') return;
    const base = joinPosix(dirOf(file), typeof options.baseUrl === 'string' ? options.baseUrl : '.');
    for (const [pattern, targets] of Object.entries(paths)) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      this.aliases.push({
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => joinPosix(base, t)),
      });
    }
  }

  /** Repo-relative source file a specifier imported from `from` refers to, if it is in the repository. */
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
      let middle: string | undefined;
      if (!a.wildcard && specifier === a.prefix) middle = '';
      else if (a.wildcard && specifier.startsWith(a.prefix) && specifier.endsWith(a.suffix) && specifier.length >= a.prefix.length + a.suffix.length) {
        middle = specifier.slice(a.prefix.length, specifier.length - a.suffix.length);
      }
      if (middle === undefined) continue;
      for (const t of a.targets) {
        const found = this.file(t.replace('*', middle));
        if (found) return found;
      }
    }
    for (const p of this.packages) {
      if (p.path === '.' || (specifier !== p.name && !specifier.startsWith(p.name + '/'))) continue;
      const sub = specifier.slice(p.name.length + 1);
      return sub ? this.subpath(p, sub) : this.entry(p);
    }
    return undefined;
  }

  /** `@acme/shared` → the package's source entry (manifest fields mapped back from dist to src). */
  private entry(p: WorkspacePackage): string | undefined {
    const m = p.manifest;
    const fields: string[] = [];
    for (const key of ['source', 'types', 'typings', 'module', 'main']) if (typeof m[key] === 'string') fields.push(m[key] as string);
    const exp = m.exports;
    const dot = typeof exp === 'string' ? exp : typeof exp === 'object' && exp !== null ? (exp as Record<string, unknown>)['.'] ?? exp : undefined;
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

  private subpath(p: WorkspacePackage, sub: string): string | undefined {
    return this.built(joinPosix(p.path, sub)) ?? this.file(joinPosix(p.path, 'src', sub));
  }

  /** A manifest path that may point at build output: try it, then the same path under src/. */
  private built(path: string): string | undefined {
    const bare = path.replace(/\.d\.ts$/, '').replace(/\.[cm]?js$/, '');
    const direct = this.file(bare);
    if (direct) return direct;
    const m = /^(.*?)(?:^|\/)(?:dist|build|lib|out)\/(?:src\/)?(.*)$/.exec(bare);
    if (m) return this.file(joinPosix(m[1] || '.', 'src', m[2]!));
    return undefined;
  }

  private file(path: string): string | undefined {
    const stripped = path.replace(/\.[cm]?jsx?$/, '');
    for (const base of stripped === path ? [path] : [stripped, path]) {
      if (this.ctx.has(base) && EXTENSIONS.some((e) => base.endsWith(e))) return base;
      for (const e of EXTENSIONS) if (this.ctx.has(base + e)) return base + e;
      for (const e of EXTENSIONS) if (this.ctx.has(`${base}/index${e}`)) return `${base}/index${e}`;
    }
    return undefined;
  }
}
