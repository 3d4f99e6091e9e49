/**
 * discover → workspace → analyse → link: from a repository to the architecture model.
 * Analyzers run in the order derived from what they provide and consume (src/analyzer/order.ts),
 * with one shared pass over scripts' indexes (see `filePass`); facts merge in registry order
 * whatever the order of running. A throwing analyzer becomes a warning, never a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnalyzerContext, loadTypeScript, SharedState } from '../analyzer/context.js';
import type { Analyzer, FileScan } from '../analyzer/define.js';
import { planRun } from '../analyzer/order.js';
import { ArchdocError } from '../util/errors.js';
import type { ResolvedConfig } from '../config/load.js';
import { compareStrings, compareWarnings, sortedEvidence } from '../model/compare.js';
import { canonical, mergeById } from '../model/merge.js';
import { COLLECTIONS, SCHEMA_VERSION, type CollectionName, type FactCollections, type Model } from '../model/schema.js';
import { redactDeep } from '../util/redact.js';
import { dirOf, joinPosix, relativePosix } from '../util/paths.js';
import { discover } from './discover.js';
import { detectWorkspace, type Workspace } from './workspace.js';
import { builtinAnalyzers } from '../../analyzers/index.js';
import { link } from './link.js';
import { computeCoverage } from './coverage.js';
import { classifyFiles, summariseRoles, type FileRole } from './roles.js';
import { IndexCache, textHash } from './index-cache.js';
import { buildIndex, type Indexed } from '../analysis/index-build.js';
import { poolSize, startPool } from '../analysis/index-pool.js';
import { allPagePaths } from '../render/pages.js';

export interface PhaseTiming {
  phase: string;
  ms: number;
  detail: string;
  /** Resident set size of the process when the phase ended (MiB). */
  rssMiB: number;
}

export interface AnalysisResult {
  model: Model;
  workspace: Workspace;
  /** Repo-relative files the analyzers read: the inputs of this model. */
  inputs: string[];
  /** Everything discovery saw (files and directories): what the freshness cache watches. */
  discovered: { files: string[]; dirs: string[] };
  timings: PhaseTiming[];
  /** What the file pass parsed, and where its indexes came from. */
  pass: PassStats;
}

export interface AnalyseOptions {
  /** Called after each phase (the CLI prints these to stderr). */
  onPhase?: (t: PhaseTiming) => void;
  /**
   * Analyzer names in the order that breaks ties in the derived run order, in place of the
   * registry's (tests shuffle it to show the declarations complete: the output must not change).
   */
  tieOrder?: readonly string[];
  /**
   * Worker threads that build the indexes of uncached scripts when there are more than `poolMin`
   * (400) of them: 0 builds them on the main thread; by default one per core but one, at most four.
   */
  workers?: number;
  poolMin?: number;
  /** Notes for --verbose: an index cache ignored or not written, a worker that failed. */
  onNote?: (message: string) => void;
}

/** Every analyzer that will run for this config, built-ins first, then the user's plugins. */
export function selectAnalyzers(config: ResolvedConfig): Analyzer[] {
  const all = [...builtinAnalyzers, ...config.plugins];
  return all.filter((a) => config.analyzers[a.meta.name]?.enabled !== false);
}

export async function analyse(config: ResolvedConfig, opts: AnalyseOptions = {}): Promise<AnalysisResult> {
  const timings: PhaseTiming[] = [];
  const phase = (name: string, start: number, detail: string) => {
    const t = { phase: name, ms: Math.round(performance.now() - start), detail, rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) };
    timings.push(t);
    opts.onPhase?.(t);
  };

  if (!fs.existsSync(config.root) || !fs.statSync(config.root).isDirectory()) {
    throw new ArchdocError(`root is not a directory: ${config.root}`);
  }
  // Registration: what the analyzers declare gives the order, or an error before anything runs.
  const analyzers = selectAnalyzers(config);
  const plan = planRun(analyzers, { registered: [...builtinAnalyzers, ...config.plugins], tieOrder: opts.tieOrder });

  let t = performance.now();
  const outputRel = relativePosix(fs.realpathSync(config.root), path.resolve(config.output));
  const discovery = discover({
    root: config.root,
    include: config.include,
    exclude: config.exclude,
    // The main document and its inventory pages (pages.ts) are outputs, not inputs.
    skip: outputRel.startsWith('..')
      ? []
      : [outputRel, ...allPagePaths(config.output).map((f) => relativePosix(fs.realpathSync(config.root), path.resolve(f)))],
    // Component pages written at comprehensive depth are outputs, not inputs.
    skipDirs: outputRel.startsWith('..') ? [] : [joinPosix(dirOf(outputRel), 'architecture', 'components')],
  });
  const shared = new SharedState(fs.realpathSync(config.root), discovery.files, config);
  for (const w of discovery.warnings) shared.warn(w);
  phase('discover', t, `${discovery.files.length} files`);

  t = performance.now();
  shared.workspace = detectWorkspace(shared);
  phase('workspace', t, `${shared.workspace.packages.length} packages`);

  t = performance.now();
  assignRoles(shared, config);
  phase('roles', t, `${shared.files.length} production files of ${shared.allFiles.length}`);

  if (shared.typescriptFiles().length > 0) await loadTypeScript();

  shared.ranks = new Map(analyzers.map((a, i) => [a.meta.name, i]));
  // One context per analyzer for the whole run: its link phase sees what its analyse phase kept.
  const contexts = new Map(
    analyzers.map((a) => [a, new AnalyzerContext(shared, a.meta.name, config.analyzers[a.meta.name]?.options ?? {}, a.meta.reads, a.meta)]),
  );
  // An analyzer that fails as a whole: the warning names the file it last read, the likeliest cause.
  const failed = (name: string, e: unknown) =>
    shared.warn({
      file: shared.lastFile ?? '(no file read)',
      line: 0,
      analyzer: name,
      message: `${name} analyzer failed${shared.lastFile ? ' after reading this file' : ''} and its facts may be incomplete: ${(e as Error)?.message ?? String(e)}`,
    });

  const { passAt } = plan;
  const order: (Analyzer | 'pass')[] = passAt < 0 ? plan.order : [...plan.order.slice(0, passAt), 'pass', ...plan.order.slice(passAt)];
  const scans = new Map<Analyzer, FileScan>();
  let pass: PassStats = { built: 0, cached: 0, pooled: 0 };

  for (const step of order) {
    t = performance.now();
    if (step === 'pass') {
      pass = await filePass(shared, plan.order, contexts, scans, failed, opts);
      const indexes = pass.cached + pass.built + pass.pooled;
      phase(
        'file pass',
        t,
        `${indexes} scripts, ${scans.size} analyzers; indexes: ${pass.cached} cached, ${pass.built + pass.pooled} built${pass.pooled > 0 ? ` (${pass.pooled} on workers)` : ''}`,
      );
      continue;
    }
    const analyzer = step;
    const name = analyzer.meta.name;
    const ctx = contexts.get(analyzer)!;
    let ran = false;
    shared.lastFile = undefined;
    try {
      if (analyzer.scan) {
        const scan = scans.get(analyzer);
        if (scan) {
          ran = true;
          await scan.finish();
        }
      } else if (!analyzer.applies || analyzer.applies(ctx)) {
        ran = true;
        await analyzer.analyze?.(ctx);
      }
    } catch (e) {
      failed(name, e);
    }
    phase(`analyzer ${name}`, t, ran ? 'ran' : 'not applicable');
  }
  shared.closeAttribution();
  const guard = guardEvidence(shared, analyzers);

  t = performance.now();
  const model = buildModel(shared);
  model.files = { roles: shared.roles ? summariseRoles(shared.roles) : [], ...guard };
  link(model, (file) => shared.packageOf(file)?.componentId);
  await postLink(model, shared, plan.order, contexts);
  // Every fact is known now: what was read, and what is present but unread (production files only).
  model.coverage = computeCoverage(model, shared.files);
  phase('link', t, `${model.components.length} components, ${model.warnings.length} warnings`);

  return {
    // The one redaction layer: every string of the model, so of the document, `model --json` and
    // the warnings, with its secret values masked (see src/util/redact.ts).
    model: canonical(redactDeep(model)) as Model,
    workspace: shared.workspace,
    inputs: [...shared.readFiles()],
    discovered: { files: discovery.files, dirs: discovery.dirs },
    timings,
    pass,
  };
}

/** What the file pass did: indexes taken from the cache, or built (parsing their scripts) on the main thread or on workers. */
export interface PassStats {
  /** Indexes taken from the index cache. */
  cached: number;
  /** Indexes built on the main thread. */
  built: number;
  /** Indexes built on worker threads. */
  pooled: number;
}

/** Uncached scripts past which their indexes are built on a pool of workers (when the machine has cores to spare). */
const POOL_MIN = 400;

type Active = { name: string; scan: FileScan; ctx: AnalyzerContext };

/**
 * The one pass over scripts: each analyzer with a `scan` that applies says which scripts it wants,
 * and each wanted script's index is built once for all of them (credited to the first in registry
 * order): taken from the index cache when the script's text is unchanged, built on worker threads
 * when many are not (and the machine has cores to spare), else parsed and indexed here, the tree
 * let go at once. Each analyzer then visits the indexes it wants, one analyzer after the other, in
 * run order; a visitor that throws gives a warning on that file and goes on with the next.
 */
async function filePass(
  shared: SharedState,
  analyzers: Analyzer[],
  contexts: Map<Analyzer, AnalyzerContext>,
  scans: Map<Analyzer, FileScan>,
  failed: (name: string, e: unknown) => void,
  opts: AnalyseOptions,
): Promise<PassStats> {
  const active: Active[] = [];
  for (const analyzer of analyzers) {
    if (!analyzer.scan) continue;
    const ctx = contexts.get(analyzer)!;
    shared.lastFile = undefined;
    try {
      if (analyzer.applies && !analyzer.applies(ctx)) continue;
      const scan = await analyzer.scan(ctx);
      scans.set(analyzer, scan);
      active.push({ name: analyzer.meta.name, scan, ctx });
    } catch (e) {
      failed(analyzer.meta.name, e);
    }
  }
  const stats: PassStats = { cached: 0, built: 0, pooled: 0 };
  if (active.length === 0) return stats;
  const incomplete = (file: string, name: string, why: string) =>
    shared.warn({ file, line: 0, analyzer: name, message: `${name} facts from this file are incomplete: ${why}` });
  // A set-aside script is visited only by an analyzer that reads its role.
  const wants = ({ name, scan, ctx }: Active, file: string): boolean => {
    try {
      return ctx.has(file) && scan.wants(file);
    } catch (e) {
      incomplete(file, name, (e as Error).message);
      return false;
    }
  };
  // Production scripts, and those of the roles some active analyzer reads.
  const scripts = [...new Set(active.flatMap((a) => a.ctx.typescriptFiles()))].sort(compareStrings);
  const takes = new Map<Active, Set<string>>(active.map((a) => [a, new Set(scripts.filter((f) => wants(a, f)))]));

  // Each wanted script's index, as far as the cache gives it (null: the script could not be read),
  // and the first analyzer (in run order) that takes it, which reading and parsing it is credited to.
  const ready = new Map<string, Indexed | null>();
  const hashes = new Map<string, string>();
  const takers = new Map<string, Active>();
  const ts = (await import('../analyzer/typescript.cjs')).default;
  const cache = IndexCache.open(shared.config, ts.version, opts.onNote);
  const misses: [string, string][] = [];
  for (const file of scripts) {
    const first = active.find((a) => takes.get(a)!.has(file));
    if (!first) continue;
    takers.set(file, first);
    const text = shared.read(file, first.name);
    if (text === undefined) {
      ready.set(file, null);
      continue;
    }
    if (!cache.enabled) {
      misses.push([file, text]);
      continue;
    }
    const hash = textHash(text);
    hashes.set(file, hash);
    const hit = cache.get(file, hash);
    if (hit) {
      ready.set(file, hit);
      stats.cached++;
    } else misses.push([file, text]);
  }

  /** Build an index here: its script is parsed and indexed, and the tree let go. */
  const build = (file: string, text: string) => {
    const indexed = buildIndex(ts, file, text).indexed;
    ready.set(file, indexed);
    stats.built++;
    if (cache.enabled) cache.put(file, hashes.get(file)!, indexed);
  };
  const workers = opts.workers ?? poolSize();
  const poolMin = opts.poolMin ?? POOL_MIN;
  if (workers > 0 && misses.length > poolMin) {
    // The main thread builds the batches no worker took yet, then takes the workers' indexes; what
    // a worker could not build is built here, as if there had been no pool.
    const pool = startPool(misses, { size: workers });
    for (let batch = pool.take(); batch; batch = pool.take()) {
      for (const [file, text] of batch) build(file, text);
      // Let the workers' answers in, so that they are given their next batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { built, notes } = await pool.done;
    for (const n of notes) opts.onNote?.(n);
    for (const [file, indexed] of built) {
      ready.set(file, indexed);
      if (cache.enabled) cache.put(file, hashes.get(file)!, indexed);
      stats.pooled++;
    }
  }
  for (const [file, text] of misses) if (!ready.has(file)) build(file, text);

  // One analyzer after the other over every script it wants, each walk keeping its code warm.
  for (const one of active) {
    const { name, scan } = one;
    for (const file of takes.get(one)!) {
      const indexed = ready.get(file);
      if (!indexed) continue;
      shared.noteParse(file, name, indexed.notes);
      if (indexed.error) incomplete(file, name, indexed.error);
      else if (indexed.index) {
        try {
          scan.visitIndex(file, indexed.index);
        } catch (e) {
          incomplete(file, name, (e as Error).message);
        }
      }
    }
  }
  cache.save(opts.onNote);
  return stats;
}

/**
 * Every discovered file gets its role (src/pipeline/roles.ts), from the config's `roles`,
 * `.gitattributes`, the workspace and the paths; a workspace package whose manifest is set aside
 * (an example app, an e2e or benchmark package) is no component. Analyzers see production files.
 */
function assignRoles(shared: SharedState, config: ResolvedConfig): void {
  const ws = shared.workspace;
  const gitattributes = shared.allFiles
    .filter((f) => f === '.gitattributes' || f.endsWith('/.gitattributes'))
    .map((file) => ({ file, text: shared.read(file, '#roles') ?? '' }));
  const resolver = new AnalyzerContext(shared, '#roles', {});
  const map = classifyFiles({
    files: shared.allFiles,
    gitattributes,
    packages: ws.packages.map((p) => ({ path: p.path, name: p.name, dependencies: p.dependencies, scaffolds: /^(@[^/]+\/)?create-/.test(p.name) })),
    declaredPackages: ws.tools.length > 0,
    overrides: config.roles,
    read: (file) => shared.read(file, '#roles'),
    // The run's module resolver over every file (roles are not set yet); setRoles drops it.
    resolve: (from, specifier) => resolver.resolveImport(from, specifier),
  });
  shared.setRoles(map);
  const kept = ws.packages.filter((p) => {
    const manifest = p.manifestFile ?? p.projectFile;
    return p.path === '.' || manifest === undefined || map.roleOf(manifest) === 'production';
  });
  if (kept.length !== ws.packages.length) shared.workspace = { ...ws, packages: kept };
}

/** Evidence lists found in a fact, nested ones included (bounded depth). */
function evidenceLists(value: unknown, out: { owner: Record<string, unknown>; top: boolean }[], top: boolean, depth = 0): void {
  if (depth > 6 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) evidenceLists(v, out, false, depth + 1);
    return;
  }
  const rec = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'evidence' && Array.isArray(v)) out.push({ owner: rec, top });
    else evidenceLists(v, out, false, depth + 1);
  }
}

/**
 * The guard after analysis: no fact's evidence may point into a set-aside file, unless the
 * analyzer that emitted it reads that role (documents read documentation). Such evidence is
 * dropped, and a fact left with none is dropped with it; both are counted for the model.
 */
export function guardEvidence(shared: SharedState, analyzers: readonly Analyzer[]): { droppedEvidence: number; droppedFacts: number } {
  let droppedEvidence = 0;
  let droppedFacts = 0;
  if (!shared.roles) return { droppedEvidence, droppedFacts };
  const allowed = analyzers.map((a) => new Set<FileRole>(['production', ...(a.meta.reads ?? [])]));
  const everything = new Set<FileRole>(['production']);
  for (const collection of COLLECTIONS) {
    shared.filterFacts(collection, (fact, rank) => {
      const ok = allowed[rank] ?? everything;
      const lists: { owner: Record<string, unknown>; top: boolean }[] = [];
      evidenceLists(fact, lists, true);
      let keep = true;
      for (const { owner, top } of lists) {
        const list = owner.evidence as { file?: unknown }[];
        const kept = list.filter((e) => typeof e?.file !== 'string' || ok.has(shared.roleOf(e.file)));
        if (kept.length === list.length) continue;
        droppedEvidence += list.length - kept.length;
        owner.evidence = kept;
        if (top && kept.length === 0) keep = false;
      }
      if (!keep) droppedFacts++;
      return keep;
    });
  }
  return { droppedEvidence, droppedFacts };
}

/** Analyzers' optional `link` phase, after every fact is merged, in run order; new warnings join the model's. */
async function postLink(model: Model, shared: SharedState, order: readonly Analyzer[], contexts: Map<Analyzer, AnalyzerContext>): Promise<void> {
  const before = shared.warnings.length;
  for (const analyzer of order) {
    if (!analyzer.link) continue;
    const name = analyzer.meta.name;
    const ctx = contexts.get(analyzer)!;
    shared.lastFile = undefined;
    try {
      if (!analyzer.applies || analyzer.applies(ctx)) await analyzer.link(model, ctx);
    } catch (e) {
      shared.warn({
        file: shared.lastFile ?? '(no file read)',
        line: 0,
        analyzer: name,
        message: `${name} analyzer's link phase failed: ${(e as Error)?.message ?? String(e)}`,
      });
    }
  }
  if (shared.warnings.length > before) model.warnings = [...model.warnings, ...shared.warnings.slice(before)].sort(compareWarnings);
}

function collect<K extends CollectionName>(shared: SharedState, name: K): FactCollections[K][] {
  const facts = shared.factsOf(name) as FactCollections[K][];
  return mergeById(facts).map((f) => ({ ...f, evidence: sortedEvidence(f.evidence) }));
}

function buildModel(shared: SharedState): Model {
  const root = shared.workspace.rootManifest;
  const rootPkg = shared.workspace.packages.find((p) => p.path === '.');
  const name =
    (typeof root?.name === 'string' && root.name) || (shared.workspace.packages.length === 1 ? shared.workspace.packages[0]!.name : undefined) || 'system';
  const c = Object.fromEntries(COLLECTIONS.map((k) => [k, collect(shared, k)])) as {
    [K in CollectionName]: FactCollections[K][];
  };
  const seen = new Set<string>();
  const warnings = shared.warnings
    .filter((w) => {
      const key = `${w.file}\u0000${w.line}\u0000${w.analyzer}\u0000${w.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareWarnings);
  return {
    schemaVersion: SCHEMA_VERSION,
    system: {
      name,
      description: typeof root?.description === 'string' ? root.description : undefined,
      version: typeof root?.version === 'string' ? root.version : undefined,
      repository: repositoryUrl(root?.repository),
      evidence: root ? [{ file: 'package.json', line: 1 }] : (rootPkg?.evidence ?? []),
    },
    components: c.components,
    endpoints: c.endpoints,
    schemas: c.schemas,
    dataStores: c.dataStores,
    queues: c.queues,
    externalServices: c.externalServices,
    infrastructure: c.infrastructure,
    deployment: {
      environments: c.environments,
      pipelines: c.pipelines,
      containers: c.containers,
      workloads: c.workloads,
    },
    observability: c.observability,
    security: c.security,
    scaling: c.scaling,
    recovery: c.recovery,
    techStack: c.techStack,
    decisions: c.decisions,
    documents: c.documents,
    warnings,
  };
}

function repositoryUrl(v: unknown): string | undefined {
  const raw = typeof v === 'string' ? v : typeof (v as { url?: unknown })?.url === 'string' ? (v as { url: string }).url : undefined;
  if (!raw) return undefined;
  // Strip credentials a URL might carry (https://user:token@host/...).
  return raw.replace(/\/\/[^/@\s]+@/, '//').replace(/^git\+/, '');
}
