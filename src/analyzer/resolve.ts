/**
 * Module resolution for one run, without a compiler program and without `node_modules`: what an
 * import specifier in one discovered file refers to among the discovered files. Every analyzer
 * that follows imports (the component graph, outbound calls, queue names, routers) asks this one
 * resolver through `ctx.resolveImport`, so they all agree.
 *
 * In order: relative paths (`./x`, `./x.js` meaning `./x.ts`, directories' `index`), package
 * `imports` (`#internal/x`), tsconfig `paths` of the nearest tsconfigs, workspace packages by
 * name (`@acme/shared` → its source entry, `@acme/shared/sub` → the subpath, manifest paths into
 * build output mapped back to `src/`), then tsconfig `baseUrl`. Installed packages, built-ins
 * and misses resolve to undefined. Only discovered files are ever answers; nothing is executed.
 */
import type { AnalyzerContext } from './context.js';
import type { WorkspacePackage } from './workspace.js';
import { dirOf, isUnder, joinPosix } from '../util/paths.js';
import { parseJsonc } from '../util/text.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface PathAlias {
  /** Directory of the tsconfig: the alias applies to files below it. */
  scope: string;
  prefix: string;
  suffix: string;
  wildcard: boolean;
  targets: string[];
}

interface BaseUrl {
  scope: string;
  dir: string;
}

type Manifest = Record<string, unknown>;

export class ModuleResolver {
  private readonly aliases: PathAlias[] = [];
  private readonly baseUrls: BaseUrl[] = [];
  private readonly cache = new Map<string, string | null>();
  /** Workspace packages other than the root, by name (the first of a duplicated name). */
  private readonly byName = new Map<string, WorkspacePackage>();

  constructor(private readonly ctx: AnalyzerContext) {
    for (const p of ctx.workspace.packages) if (p.path !== '.' && !this.byName.has(p.name)) this.byName.set(p.name, p);
    const configs = ctx.filesMatching((f) => /(^|\/)[jt]sconfig(\.[\w-]+)?\.json$/.test(f) && !/(^|\/)node_modules\//.test(f));
    // Deeper tsconfigs first: a package's own aliases win over the root's.
    configs.sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
    for (const file of configs) this.readTsConfig(file);
  }

  /** The workspace package a bare specifier names. */
  packageNamed(specifier: string): WorkspacePackage | undefined {
    // The specifier itself, then each shorter prefix ending before a `/`: the longest name wins.
    for (let end = specifier.length; end > 0; end = specifier.lastIndexOf('/', end - 1)) {
      const p = this.byName.get(specifier.slice(0, end));
      if (p) return p;
    }
    return undefined;
  }

  resolve(from: string, specifier: string): string | undefined {
    const key = `${from}\u0000${specifier}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.compute(from, specifier);
    this.cache.set(key, found ?? null);
    return found;
  }

  private readTsConfig(file: string): void {
    const text = this.ctx.read(file);
    if (text === undefined) return;
    let config: unknown;
    try {
      config = parseJsonc(text);
    } catch (e) {
      this.ctx.warn(file, 1, `tsconfig could not be read for import resolution: ${(e as Error).message}`);
      return;
    }
    const options = (config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined)?.compilerOptions;
    if (!options || typeof options !== 'object') return;
    const scope = dirOf(file);
    const base = joinPosix(scope, typeof options.baseUrl === 'string' ? options.baseUrl : '.');
    if (typeof options.baseUrl === 'string') this.baseUrls.push({ scope, dir: base });
    const paths = options.paths;
    if (!paths || typeof paths !== 'object') return;
    for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      const star = pattern.indexOf('*');
      this.aliases.push({
        scope,
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => joinPosix(base, t)),
      });
    }
  }

  private compute(from: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.file(joinPosix(dirOf(from), specifier));
    if (specifier.startsWith('#')) return this.packageImport(from, specifier);
    if (specifier.startsWith('node:')) return undefined;
    for (const a of this.aliases) {
      if (!isUnder(from, a.scope)) continue;
      const middle = match(a, specifier);
      if (middle === undefined) continue;
      for (const t of a.targets) {
        const found = this.file(t.replace('*', middle));
        if (found) return found;
      }
    }
    const p = this.packageNamed(specifier);
    if (p) {
      const sub = specifier.slice(p.name.length + 1);
      return sub ? this.subpath(p, sub) : this.entry(p);
    }
    // `baseUrl` makes `src/x` importable as a bare specifier; scoped names are always packages.
    if (!specifier.startsWith('@')) {
      for (const b of this.baseUrls) {
        if (!isUnder(from, b.scope)) continue;
        const found = this.file(joinPosix(b.dir, specifier));
        if (found) return found;
      }
    }
    return undefined;
  }

  /** `#internal/x` through the `imports` field of the package containing the importer. */
  private packageImport(from: string, specifier: string): string | undefined {
    const p = this.ctx.packageOf(from);
    const map = p?.manifest.imports;
    if (!p || !map || typeof map !== 'object') return undefined;
    for (const [key, value] of Object.entries(map as Manifest)) {
      const star = key.indexOf('*');
      const middle = match({ prefix: star < 0 ? key : key.slice(0, star), suffix: star < 0 ? '' : key.slice(star + 1), wildcard: star >= 0 }, specifier);
      if (middle === undefined) continue;
      for (const target of conditionTargets(value)) {
        const found = target.startsWith('.') ? this.built(joinPosix(p.path, target.replace('*', middle))) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }

  /** `@acme/shared` → the package's source entry (manifest fields mapped back from dist to src). */
  private entry(p: WorkspacePackage): string | undefined {
    const m = p.manifest;
    const fields: string[] = [];
    const exp = m.exports;
    const dot =
      typeof exp === 'string' || Array.isArray(exp)
        ? exp
        : typeof exp === 'object' && exp !== null
          ? ((exp as Manifest)['.'] ?? (hasSubpaths(exp) ? undefined : exp))
          : undefined;
    fields.push(...conditionTargets(dot));
    for (const key of ['source', 'types', 'typings', 'module', 'main']) if (typeof m[key] === 'string') fields.push(m[key] as string);
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

  /** `@acme/shared/sub`: the `exports` subpath map first, then the path itself, then under src/. */
  private subpath(p: WorkspacePackage, sub: string): string | undefined {
    const exp = p.manifest.exports;
    if (exp && typeof exp === 'object' && !Array.isArray(exp) && hasSubpaths(exp)) {
      for (const [key, value] of Object.entries(exp as Manifest)) {
        const star = key.indexOf('*');
        const middle = match({ prefix: star < 0 ? key : key.slice(0, star), suffix: star < 0 ? '' : key.slice(star + 1), wildcard: star >= 0 }, `./${sub}`);
        if (middle === undefined) continue;
        for (const target of conditionTargets(value)) {
          const found = this.built(joinPosix(p.path, target.replace('*', middle)));
          if (found) return found;
        }
      }
    }
    return this.built(joinPosix(p.path, sub)) ?? this.file(joinPosix(p.path, 'src', sub));
  }

  /** A manifest path that may point at build output: try it, then the same path under src/. */
  private built(p: string): string | undefined {
    const bare = p.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?js$/, '');
    const direct = this.file(bare);
    if (direct) return direct;
    // A path with a line break never matched (`.` stops at one); without one, the lazy prefix is
    // linear, where a failing `(.*)$` after each `dist/` made it quadratic.
    const m = /[\n\r\u2028\u2029]/.test(bare) ? null : /^(.*?)(?:^|\/)(?:dist|build|lib|out)\/(?:src\/)?(.*)$/.exec(bare);
    if (m) return this.file(joinPosix(m[1] || '.', 'src', m[2]!));
    return undefined;
  }

  /** A discovered source file for a path: as written, `.js` meaning `.ts`, with an extension, or a directory's index. */
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

/** The text a pattern's `*` stands for in `specifier` ('' for an exact match), or undefined. */
function match(a: { prefix: string; suffix: string; wildcard: boolean }, specifier: string): string | undefined {
  if (!a.wildcard) return specifier === a.prefix ? '' : undefined;
  if (specifier.startsWith(a.prefix) && specifier.endsWith(a.suffix) && specifier.length >= a.prefix.length + a.suffix.length) {
    return specifier.slice(a.prefix.length, specifier.length - a.suffix.length);
  }
  return undefined;
}

/** True for an `exports` object keyed by subpaths (`"./x"`) rather than by conditions. */
function hasSubpaths(exp: object): boolean {
  return Object.keys(exp).some((k) => k.startsWith('.'));
}

/**
 * Paths an `exports`/`imports` value may point at, in the order TypeScript would try them:
 * a string, the first match of an array, or conditions (`types`, `import`, `default`, … nested).
 */
function conditionTargets(value: unknown, depth = 0): string[] {
  if (depth > 8 || value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => conditionTargets(v, depth + 1));
  if (typeof value !== 'object') return [];
  const obj = value as Manifest;
  const order = ['source', 'types', 'typescript', 'import', 'module', 'node', 'require', 'default'];
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))];
  return keys.flatMap((k) => conditionTargets(obj[k], depth + 1));
}
