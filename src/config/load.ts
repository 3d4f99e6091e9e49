/**
 * Finding, loading and normalising the user's configuration. The chosen config file is the only
 * code from the analysed repository that archdoc ever runs, and only when it is the user's own.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ArchdocError, EXIT } from '../util/errors.js';
import { LANGUAGE_MANIFESTS } from '../data/languages.js';
import { isInside, readConfined, realPathOf } from '../util/safe-fs.js';
import type { Analyzer } from '../analyzer/define.js';
import type { FileRole } from '../pipeline/roles.js';
import type { Audience, Depth, FocusArea, Layout, UserConfig, UserTarget } from './schema.js';

type SchemaModule = typeof import('./schema.js');
let schemaModule: SchemaModule | undefined;

/**
 * Load the config schema (zod). Only a config with something in it needs validating, so a run
 * without a config file or flags — a warm `archdoc check` in a pre-commit hook — never loads
 * zod. `loadConfig` and `loadTargets` call this themselves; callers of `resolveConfig` with a
 * non-empty config call it first.
 */
export async function loadConfigSchema(): Promise<SchemaModule> {
  return (schemaModule ??= await import('./schema.js'));
}

function isEmptyConfig(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0);
}

export const CONFIG_NAMES = ['archdoc.config.ts', 'archdoc.config.mts', 'archdoc.config.js', 'archdoc.config.mjs', 'archdoc.config.cjs', 'archdoc.config.json'];

export const DEFAULT_OUTPUT = 'docs/ARCHITECTURE.md';
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export interface ResolvedConfig {
  /** Absolute root of the analysed repository (never written to any output). */
  root: string;
  /** Absolute path of the loaded config file, if any. */
  configFile?: string;
  /** Absolute path of the document to write. */
  output: string;
  /** True when `output` came from `--out` (the user's own choice, which may lie outside the root). */
  outputExplicit?: boolean;
  /**
   * The directory every file archdoc writes or reads back (documents, ADRs, cache) must stay
   * under, links followed: the root of the run (a target's or workspace package's own root lies
   * under it). Defaults to `root`.
   */
  boundary?: string;
  include: string[];
  exclude: string[];
  maxFileSize: number;
  analyzers: Record<string, { enabled: boolean; options: Record<string, unknown> }>;
  plugins: Analyzer[];
  templatesDir?: string;
  document: {
    title?: string;
    version?: string;
    status: string;
    lastUpdated?: string;
    owner?: string;
    stakeholders: { role: string; name: string }[];
  };
  depth: Depth;
  audience: Audience;
  focus: FocusArea[];
  /** Section arrangement: archdoc's own, or arc42's (src/render/sections.ts). */
  layout: Layout;
  diagrams: { maxNodes: number; maxEdges: number; maxChars: number; render: 'mermaid' | 'svg'; browser?: string; detailed: boolean };
  /** Key design decisions as ADR-style entries (true) or a compact table. */
  adrs: boolean;
  /** `archdoc check` settings: `exact` counts moved evidence lines and version bumps as stale. */
  check: { exact: boolean };
  /**
   * Configured exports (the config's `exports`), sorted by target: each one's absolute output
   * directory when the config names one (else the target's default, src/export/registry.ts).
   */
  exports: { target: string; output?: string }[];
  /** Target name ('default' when the config declares no targets). */
  target: string;
  /** True when `targets: 'workspaces'`: one document per workspace package besides this one. */
  workspaceTargets: boolean;
  /** Documents of other targets, by component id (absolute paths), linked from this one. */
  linkedDocuments: Record<string, string>;
  /** Directory of the freshness cache; undefined when the cache is off. */
  cacheDir?: string;
  /** Corrections to file roles, glob → role, in the order written (the config's `roles`). */
  roles?: Record<string, FileRole>;
  /** Hash of the config file's text (part of the cache key). */
  configHash: string;
  /** Other local files the config loaded (plugins, helpers): their contents are part of the cache key. */
  configDeps?: string[];
}

export interface LoadOptions {
  /** Directory the CLI was started in; relative flags resolve against it. */
  cwd: string;
  root?: string;
  config?: string;
  out?: string;
  /**
   * Where to look for the config and the root when no `root` is given (default: `cwd`): the CLI
   * passes the nearest folder above that is a project (see `findProjectRoot`).
   */
  start?: string;
  /** Command-line overrides of the reader profile (validated like the config). */
  depth?: string;
  audience?: string;
  focus?: string;
}

/**
 * What makes a folder a project's root: a config, a package manifest or build file of any
 * language, a deployment file, a git repository.
 */
const ROOT_MARKERS = [
  ...CONFIG_NAMES,
  'package.json',
  '.git',
  ...LANGUAGE_MANIFESTS,
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
  'skaffold.yaml',
  'Dockerfile',
];

/**
 * The folder archdoc treats as the root when none is given: `cwd` itself when it holds a config,
 * a package.json or .git, else the nearest folder above that does (with the marker found), else
 * `cwd`. Run in `src/`, archdoc documents the project, not the folder.
 */
export function findProjectRoot(cwd: string, home: string = os.homedir()): { root: string; marker?: string } {
  for (let dir = cwd; ; ) {
    const marker = ROOT_MARKERS.find((m) => fs.existsSync(path.join(dir, m)));
    if (marker) return { root: dir, marker };
    const up = path.dirname(dir);
    // Never above the user's home, nor the home itself (a stray ~/package.json is no project).
    if (up === dir || up === home || dir === home) return { root: cwd };
    dir = up;
  }
}

export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const p = path.join(root, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** What was thrown, in one line: the message of an Error, else the value itself (`throw null`). */
function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return typeof e;
  }
}

/**
 * A copy of the loaded config as plain objects and arrays, every getter read once here (a getter
 * that throws fails the load, not a later step). Functions and class instances are kept as they are.
 */
function plainCopy(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out.push(plainCopy(value[i], seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = plainCopy((value as Record<string, unknown>)[key], seen);
  return out;
}

/**
 * Where JSON.parse stopped, as `line L, column C`, never the text around it (the file may be a link
 * to something secret; JSON.parse's own message quotes it).
 */
function jsonErrorPosition(text: string, e: unknown): string {
  const at = /position (\d+)/.exec(describeThrown(e).slice(0, 500));
  if (!at) return 'it ends early or holds something that is not JSON';
  const offset = Math.min(Number(at[1]), text.length);
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `at line ${line}, column ${offset - start + 1}`;
}

/** A SyntaxError that says the module needs to be loaded as ESM (top-level await). */
function needsAsync(e: unknown): boolean {
  return e instanceof SyntaxError && /\bawait\b/.test(e.message.slice(0, 200));
}

/**
 * Load the config file (`text` is what was read of it); `deps` receives the other local files it
 * loaded (plugins, helpers).
 */
async function importConfig(file: string, text: string, deps: string[]): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ArchdocError(`${path.basename(file)}: invalid JSON ${jsonErrorPosition(text, e)}`, EXIT.usage);
    }
  }
  const { createJiti } = await import('jiti');
  // With the module cache on, every CommonJS or transpiled module jiti loads lands in Node's
  // require cache: the new local entries are the files the config depends on. They are taken out
  // again, so a later load (in the same process) reads them afresh. Loaded synchronously, jiti
  // transpiles every module, `.mjs` ones included; asynchronously it would import `.mjs` files
  // natively, and they would never show up. Only a config with top-level await needs the latter.
  const cache = createRequire(import.meta.url).cache;
  const before = new Set(Object.keys(cache));
  const jiti = createJiti(import.meta.url, { moduleCache: true, fsCache: false });
  try {
    let mod: unknown;
    try {
      mod = jiti(file);
    } catch (e) {
      if (!needsAsync(e)) throw e;
      mod = await jiti.import(file);
    }
    mod = (mod as { default?: unknown } | null)?.default ?? mod;
    return plainCopy(typeof mod === 'function' ? await (mod as () => unknown)() : mod);
  } catch (e) {
    throw new ArchdocError(`${path.basename(file)}: could not be loaded: ${describeThrown(e)}`, EXIT.usage);
  } finally {
    for (const key of Object.keys(cache)) {
      if (before.has(key) || key.split(path.sep).includes('node_modules')) continue;
      delete cache[key];
      if (key !== file && path.isAbsolute(key)) deps.push(key);
    }
    deps.sort();
  }
}

/** Throws (exit 2) unless `dir`, links followed, lies inside one of `allowed`. */
function refuseOutside(dir: string, allowed: string[], what: string, where: string): void {
  const real = realPathOf(dir).real;
  if (allowed.some((a) => isInside(real, realPathOf(a).real))) return;
  throw new ArchdocError(`${what} leads outside ${where} (to ${real}); use --root to analyse another directory`, EXIT.usage);
}

function isAnalyzer(v: unknown): v is Analyzer {
  return (
    typeof v === 'object' &&
    v !== null &&
    (typeof (v as Analyzer).analyze === 'function' || typeof (v as Analyzer).scan === 'function') &&
    typeof (v as Analyzer).meta?.name === 'string'
  );
}

/** Validate a loose config object and normalise it against the CLI options. */
export function resolveConfig(raw: unknown, opts: LoadOptions, configFile?: string, configDeps?: string[]): ResolvedConfig {
  const source = configFile ? path.basename(configFile) : 'config';
  let user: UserConfig = {};
  if (!isEmptyConfig(raw)) {
    if (!schemaModule) throw new Error('resolveConfig: await loadConfigSchema() before resolving a non-empty config');
    const parsed = schemaModule.UserConfigSchema.safeParse(raw);
    if (!parsed.success) throw new ArchdocError(schemaModule.formatConfigIssues(parsed.error, source, raw), EXIT.usage);
    user = parsed.data;
  }
  const plugins: Analyzer[] = [];
  for (const [i, p] of (user.plugins ?? []).entries()) {
    if (!isAnalyzer(p)) {
      throw new ArchdocError(
        `${source}: \`plugins.${i}\`: expected an analyzer made with defineAnalyzer({ meta: { name }, analyze }) (or scan in place of analyze)`,
        EXIT.usage,
      );
    }
    plugins.push(p);
  }
  const start = opts.start ?? opts.cwd;
  const configDir = configFile ? path.dirname(configFile) : start;
  const root = opts.root ? path.resolve(opts.cwd, opts.root) : user.root ? path.resolve(configDir, user.root) : configFile ? configDir : start;
  // The config is repository text: its `root` may choose a folder inside the directory the run
  // started in (or the config's own), never move the run, and its boundary, somewhere else.
  if (!opts.root && user.root) refuseOutside(root, [start, configDir], `${source}: \`root\` ("${user.root}")`, 'the directory archdoc was run in');
  const output = opts.out ? path.resolve(opts.cwd, opts.out) : path.resolve(root, user.output ?? DEFAULT_OUTPUT);
  const analyzers: ResolvedConfig['analyzers'] = {};
  for (const [name, setting] of Object.entries(user.analyzers ?? {})) {
    analyzers[name] = typeof setting === 'boolean' ? { enabled: setting, options: {} } : { enabled: setting.enabled ?? true, options: setting.options ?? {} };
  }
  return {
    root,
    configFile,
    output,
    outputExplicit: opts.out !== undefined,
    boundary: root,
    include: user.include ?? [],
    exclude: user.exclude ?? [],
    maxFileSize: user.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    analyzers,
    plugins,
    templatesDir: user.templates ? path.resolve(configDir, user.templates) : undefined,
    document: {
      title: user.document?.title,
      version: user.document?.version,
      status: user.document?.status ?? 'Draft',
      lastUpdated: user.document?.lastUpdated,
      owner: user.document?.owner,
      stakeholders: (user.document?.stakeholders ?? []).map((s) => (typeof s === 'string' ? { role: 'Stakeholder', name: s } : s)),
    },
    depth: user.depth ?? 'standard',
    audience: user.audience ?? 'technical',
    focus: user.focus ?? ['all'],
    layout: user.layout ?? 'default',
    diagrams: {
      maxNodes: user.diagrams?.maxNodes ?? 40,
      maxEdges: user.diagrams?.maxEdges ?? 80,
      maxChars: user.diagrams?.maxChars ?? 20_000,
      render: user.diagrams?.render ?? 'mermaid',
      detailed: user.diagrams?.detailed ?? true,
      browser: user.diagrams?.browser ? path.resolve(configDir, user.diagrams.browser) : undefined,
    },
    adrs: user.adrs ?? true,
    roles: user.roles ?? {},
    check: { exact: user.check?.exact ?? false },
    exports: Object.entries(user.exports ?? {})
      .filter((e): e is [string, { output?: string }] => e[1] !== undefined)
      .map(([target, setting]) => ({ target, ...(setting.output === undefined ? {} : { output: path.resolve(root, setting.output) }) }))
      .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)),
    target: 'default',
    workspaceTargets: user.targets === 'workspaces',
    linkedDocuments: {},
    cacheDir:
      user.cache === false
        ? undefined
        : typeof user.cache === 'object'
          ? path.resolve(configDir, user.cache.dir)
          : path.join(root, 'node_modules', '.cache', 'archdoc'),
    configHash: configFile ? createHash('sha256').update(fs.readFileSync(configFile)).digest('hex').slice(0, 16) : 'none',
    configDeps,
  };
}

/**
 * Every target of the config, each fully resolved: the shared keys with the target's overrides.
 * Without `targets` (or with `targets: 'workspaces'`) there is one, the root document.
 */
export function resolveTargets(raw: unknown, opts: LoadOptions, configFile?: string, configDeps?: string[]): ResolvedConfig[] {
  const base = resolveConfig(raw, opts, configFile, configDeps);
  const list = (raw as { targets?: unknown } | undefined)?.targets;
  if (!Array.isArray(list)) return [base];
  const { targets: _targets, root: _root, output: _output, ...shared } = raw as Record<string, unknown>;
  void _targets;
  void _root;
  void _output;
  const seen = new Set<string>();
  return (list as UserTarget[]).map((t) => {
    if (seen.has(t.name))
      throw new ArchdocError(`${configFile ? path.basename(configFile) : 'config'}: \`targets\`: the name "${t.name}" is used twice`, EXIT.usage);
    seen.add(t.name);
    const { name, root, output, document, ...overrides } = t;
    const merged = {
      ...shared,
      ...overrides,
      document: { ...((shared.document as object | undefined) ?? {}), ...(document ?? {}) },
    };
    const targetRoot = path.resolve(base.root, root ?? '.');
    refuseOutside(targetRoot, [base.root], `${configFile ? path.basename(configFile) : 'config'}: \`targets\` "${name}": \`root\` ("${root}")`, 'the root');
    const resolved = resolveConfig(merged, { ...opts, root: targetRoot, out: undefined }, configFile, configDeps);
    resolved.output = path.resolve(targetRoot, output ?? DEFAULT_OUTPUT);
    resolved.target = name;
    resolved.cacheDir = base.cacheDir;
    resolved.boundary = base.root;
    resolved.outputExplicit = false;
    // Command-line flags beat the config, targets included.
    if (opts.depth !== undefined) resolved.depth = base.depth;
    if (opts.audience !== undefined) resolved.audience = base.audience;
    if (opts.focus !== undefined) resolved.focus = base.focus;
    return resolved;
  });
}

/** Find, load, validate and normalise the configuration (the root document's settings). */
export async function loadConfig(opts: LoadOptions): Promise<ResolvedConfig> {
  const { raw, configFile, configDeps } = await loadRaw(opts);
  return resolveConfig(raw, opts, configFile, configDeps);
}

/** Every target the config declares, resolved; `--out` is only allowed with one target. */
export async function loadTargets(opts: LoadOptions & { target?: string }): Promise<ResolvedConfig[]> {
  const { raw, configFile, configDeps } = await loadRaw(opts);
  let targets = resolveTargets(raw, opts, configFile, configDeps);
  if (opts.target !== undefined) {
    const picked = targets.filter((t) => t.target === opts.target);
    if (picked.length === 0) {
      throw new ArchdocError(`no target named "${opts.target}"; the config has: ${targets.map((t) => t.target).join(', ')}`, EXIT.usage);
    }
    targets = picked;
  }
  if (opts.out !== undefined) {
    if (targets.length > 1) throw new ArchdocError('--out needs a single target: add --target NAME', EXIT.usage);
    targets[0]!.output = path.resolve(opts.cwd, opts.out);
    targets[0]!.outputExplicit = true;
  }
  return targets;
}

async function loadRaw(opts: LoadOptions): Promise<{ raw: unknown; configFile?: string; configDeps: string[] }> {
  const startRoot = opts.root ? path.resolve(opts.cwd, opts.root) : (opts.start ?? opts.cwd);
  let configFile: string | undefined;
  if (opts.config) {
    configFile = path.resolve(opts.cwd, opts.config);
    if (!fs.existsSync(configFile)) throw new ArchdocError(`config file not found: ${opts.config}`, EXIT.usage);
  } else {
    configFile = findConfigFile(startRoot);
  }
  const configDeps: string[] = [];
  let raw: unknown = {};
  // No config file: an `archdoc` key in the root's package.json is the configuration (JSON only).
  const manifest = path.join(startRoot, 'package.json');
  let fromManifest = false;
  if (!configFile && fs.existsSync(manifest)) {
    const text = readConfined(manifest, startRoot, 'package.json');
    let pkg: unknown;
    try {
      pkg = text === undefined ? undefined : JSON.parse(text);
    } catch {
      pkg = undefined; // a broken package.json is the analyzers' to report
    }
    if (typeof pkg === 'object' && pkg !== null && Object.hasOwn(pkg, 'archdoc')) {
      const value = (pkg as { archdoc: unknown }).archdoc;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ArchdocError('package.json: the "archdoc" key must be an object holding the configuration (as in archdoc.config.json)', EXIT.usage);
      }
      configFile = manifest;
      fromManifest = true;
      raw = value;
    }
  }
  if (configFile && !fromManifest) {
    // Read like a document: a config found in the root must stay in it, and any config must be a
    // regular file of the size it says (a link to a device or /proc is refused, never parsed).
    const text = readConfined(configFile, opts.config ? undefined : startRoot, path.basename(configFile));
    if (text === undefined) throw new ArchdocError(`config file not found: ${opts.config ?? configFile}`, EXIT.usage);
    raw = await importConfig(configFile, text, configDeps);
  }
  const overrides: Record<string, unknown> = {};
  if (opts.depth !== undefined) overrides.depth = opts.depth;
  if (opts.audience !== undefined) overrides.audience = opts.audience;
  if (opts.focus !== undefined)
    overrides.focus = opts.focus
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
  const merged = Object.keys(overrides).length > 0 && typeof raw === 'object' && raw !== null ? { ...raw, ...overrides } : raw;
  if (!isEmptyConfig(merged)) await loadConfigSchema();
  return { raw: merged, configFile, configDeps };
}
