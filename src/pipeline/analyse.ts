/**
 * discover → workspace → analyse → link: from a repository to the architecture model.
 * Analyzers run in the order derived from what they provide and consume (src/analyzer/order.ts),
 * with one shared pass over scripts (see `filePass`); facts merge in registry order whatever the
 * order of running. A throwing analyzer becomes a warning, never a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnalyzerContext, loadTypeScript, SharedState } from '../analyzer/context.js';
import type { Analyzer, FileScan } from '../analyzer/define.js';
import { planRun, type RunPlan } from '../analyzer/order.js';
import { ArchdocError } from '../util/errors.js';
import type { ResolvedConfig } from '../config/load.js';
import { compareStrings, compareWarnings, sortedEvidence } from '../model/compare.js';
import { canonical, mergeById } from '../model/merge.js';
import { COLLECTIONS, SCHEMA_VERSION, type CollectionName, type FactCollections, type Model } from '../model/schema.js';
import { collectGarbage } from '../util/memory.js';
import { redactDeep } from '../util/redact.js';
import { dirOf, joinPosix, relativePosix } from '../util/paths.js';
import { discover } from './discover.js';
import { detectWorkspace, type Workspace } from './workspace.js';
import { builtinAnalyzers } from '../../analyzers/index.js';
import { link } from './link.js';
import { computeCoverage } from './coverage.js';
import { classifyFiles, summariseRoles, type FileRole } from './roles.js';
import { IndexCache, textHash } from './index-cache.js';
import { parseScript } from '../analyzer/parse-script.js';
import type { SourceFile } from '../analyzer/typescript.cjs';
import { indexTree, type Indexed } from '../analysis/index-build.js';
import { poolSize, startPool, type Pool } from '../analysis/index-pool.js';

/**
 * Bytes of scripts past which a run is lean (see `analyse`): a syntax tree takes some 32 bytes of
 * memory per source byte, and the file pass's indexes about 10 more, so holding the trees of 12 MiB
 * of scripts beside those indexes, with the rest of a run, nears a gigabyte.
 */
const LEAN_BYTES = 12 * 1024 * 1024;

/** Bytes of the run's scripts, estimated from the size of every 16th (a stat each; unreadable ones count nothing). */
function scriptBytes(shared: SharedState): number {
  const scripts = shared.typescriptFiles();
  const step = 16;
  let sampled = 0;
  let bytes = 0;
  for (let i = 0; i < scripts.length; i += step) {
    sampled++;
    try {
      bytes += fs.statSync(path.join(shared.root, scripts[i]!)).size;
    } catch {
      // Reading it later gives the warning.
    }
  }
  return sampled === 0 ? 0 : (bytes / sampled) * scripts.length;
}

/** Source characters of released trees past which a full collection pays for itself (some 8,000 files). */
const RELEASE_COLLECT_BYTES = 8 * 1024 * 1024;

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
  /** Bytes of scripts past which the run is lean (tests set 0 to run small fixtures lean). */
  leanBytes?: number;
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
    skip: outputRel.startsWith('..') ? [] : [outputRel],
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

  // A large repository runs lean: the analyzers that hold trees across files run first and let
  // them go, then the file pass parses each script once and keeps no tree. Slower (scripts are
  // parsed twice), but the trees never share the heap with the pass's indexes.
  const lean = scriptBytes(shared) > (opts.leanBytes ?? LEAN_BYTES);
  const { passAt } = plan;
  const early = lean && passAt >= 0 ? runsEarly(plan) : [];
  const order: (Analyzer | 'pass')[] =
    passAt < 0
      ? plan.order
      : [...plan.order.slice(0, passAt).filter((a) => !early.includes(a)), ...early, 'pass', ...plan.order.slice(passAt).filter((a) => !early.includes(a))];
  const scans = new Map<Analyzer, FileScan>();
  let pass: PassStats = { parsed: 0, cached: 0, built: 0, pooled: 0 };

  for (const step of order) {
    t = performance.now();
    if (step === 'pass') {
      if (early.length > 0 && shared.releaseTrees() > RELEASE_COLLECT_BYTES) collectGarbage();
      shared.shareTrees = !lean;
      pass = await filePass(shared, plan.order, contexts, scans, failed, opts);
      shared.shareTrees = true;
      const indexes = pass.cached + pass.built + pass.pooled;
      phase(
        'file pass',
        t,
        `${pass.parsed} scripts, ${scans.size} analyzers${indexes > 0 ? `; ${indexes} indexes: ${pass.cached} cached, ${pass.built + pass.pooled} built${pass.pooled > 0 ? ` (${pass.pooled} on workers)` : ''}` : ''}`,
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
    shared.endAnalyzer();
    phase(`analyzer ${name}`, t, ran ? 'ran' : 'not applicable');
  }
  shared.closeAttribution();
  const guard = guardEvidence(shared, analyzers);

  // The trees are most of the heap in a large repository and are not needed past this point:
  // collected now, their memory serves linking and rendering instead of growing the process.
  if (shared.releaseTrees() > RELEASE_COLLECT_BYTES) collectGarbage();
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

/**
 * In a lean run, the analyzers that hold trees across files run before the file pass, with the
 * analyzers whose products they consume (in run order). One that consumes, however indirectly,
 * a product of an analyzer taking part in the pass cannot: it keeps its place after the pass.
 */
function runsEarly(plan: RunPlan): Analyzer[] {
  const needs = new Set<Analyzer>();
  const closure = (a: Analyzer, into: Set<Analyzer>): void => {
    if (into.has(a)) return;
    into.add(a);
    for (const [p, w] of plan.waitsFor.get(a)!) if (w.products.length > 0) closure(p, into);
  };
  for (const a of plan.order) {
    if (!a.meta.holdsTrees) continue;
    const mine = new Set<Analyzer>();
    closure(a, mine);
    if ([...mine].every((m) => !m.scan)) for (const m of mine) needs.add(m);
  }
  return plan.order.filter((a) => needs.has(a));
}

/** What the file pass did: scripts parsed on the main thread, and indexes taken from the cache or built. */
export interface PassStats {
  parsed: number;
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
 * The one pass over scripts: each analyzer with a `scan` that applies gets its visitor. Every
 * script some visitor wants is parsed at most once (credited to the first in registry order) and
 * visited by each that wants it, in run order; a visitor that throws gives a warning on that file
 * and goes on with the next. An analyzer that takes indexes (`visitIndex`) gets each script's
 * index, built once for all of them: taken from the index cache when the script's text is
 * unchanged, built on worker threads when many are not (and the machine has cores to spare), else
 * built from the script's tree, which the analyzers that want trees then share.
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
  const stats: PassStats = { parsed: 0, cached: 0, built: 0, pooled: 0 };
  const parsed = new Set<string>();
  const incomplete = (file: string, name: string, why: string) =>
    shared.warn({ file, line: 0, analyzer: name, message: `${name} facts from this file are incomplete: ${why}` });
  // A set-aside script is visited only by an analyzer that reads its role.
  const wants = ({ name, scan, ctx }: Active, file: string, index = false): boolean => {
    try {
      return ctx.has(file) && (index && scan.wantsIndex ? scan.wantsIndex(file) : scan.wants(file));
    } catch (e) {
      incomplete(file, name, (e as Error).message);
      return false;
    }
  };
  // Production scripts, and those of the roles some active analyzer reads.
  const scripts = [...new Set(active.flatMap((a) => a.ctx.typescriptFiles()))].sort(compareStrings);

  // The scripts whose index some analyzer takes (each by the set of them), and their indexes as
  // far as the cache and the workers give them (null: the script could not be read).
  const indexers = active.filter((a) => a.scan.visitIndex);
  const takes = new Map<Active, Set<string>>(indexers.map((a) => [a, new Set(scripts.filter((f) => wants(a, f, true)))]));
  const ready = new Map<string, Indexed | null>();
  const hashes = new Map<string, string>();
  /** The first analyzer (in run order) that takes each script's index. */
  const takers = new Map<string, Active>();
  let cache: IndexCache | undefined;
  let pool: Pool | undefined;
  const ts = indexers.length > 0 ? (await import('../analyzer/typescript.cjs')).default : undefined;
  if (ts) {
    cache = IndexCache.open(shared.config, ts.version, opts.onNote);
    const misses: [string, string][] = [];
    for (const file of scripts) {
      const first = indexers.find((a) => takes.get(a)!.has(file));
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
      if (hit) ready.set(file, hit);
      else misses.push([file, text]);
    }
    stats.cached = ready.size - [...ready.values()].filter((v) => v === null).length;
    // Workers build the indexes of scripts no analyzer wants the tree of (the main thread parses
    // those anyway, and indexes them from their trees at little cost), while it visits trees.
    const workers = opts.workers ?? poolSize();
    const poolMin = opts.poolMin ?? POOL_MIN;
    const treeless = workers > 0 && misses.length > poolMin ? misses.filter(([file]) => !active.some((a) => a.scan.visit && wants(a, file))) : [];
    if (treeless.length > poolMin) pool = startPool(treeless, { size: workers });
  }
  /**
   * Build the batches no worker took yet here, then take the pool's indexes; what it could not build
   * is built here later, as if there had been no pool.
   */
  const joinPool = async () => {
    if (!pool) return;
    for (let batch = pool.take(); batch; batch = pool.take()) {
      for (const [file] of batch) indexOf(file, takers.get(file)!.name);
      // Let the workers' answers in, so that they are given their next batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { built, notes } = await pool.done;
    pool = undefined;
    for (const n of notes) opts.onNote?.(n);
    for (const [file, indexed] of built) {
      ready.set(file, indexed);
      if (cache?.enabled) cache.put(file, hashes.get(file)!, indexed);
      stats.pooled++;
    }
  };

  /** The tree the last index built on the main thread came from (a lean run hands it to the tree visitors of that script). */
  let lastTree: { file: string; sf: SourceFile | undefined } | undefined;
  /** A script's index for one analyzer: built here (from its tree) if no cache or worker gave it. */
  const indexOf = (file: string, name: string): Indexed | undefined => {
    let indexed = ready.get(file);
    if (indexed === null) return undefined;
    if (indexed) {
      shared.noteParse(file, name, indexed.notes);
      return indexed;
    }
    let tree = shared.heldTree(file);
    if (tree) shared.noteParse(file, name, tree.notes);
    else {
      const text = shared.read(file, name);
      if (text === undefined) return undefined;
      tree = parseScript(ts!, file, text);
      shared.adopt(file, name, tree, false);
      parsed.add(file);
    }
    indexed = indexTree(file, tree.sf, tree.notes);
    lastTree = { file, sf: tree.sf };
    ready.set(file, indexed);
    stats.built++;
    if (cache?.enabled) cache.put(file, hashes.get(file) ?? textHash(shared.read(file, name)!), indexed);
    return indexed;
  };

  // One script through one analyzer. A throw is that file's warning, never the run's end.
  const visit = (one: Active, file: string, sf: SourceFile | undefined | null) => {
    const { name, scan } = one;
    const taken = takes.get(one);
    const indexIt = taken?.has(file) ?? false;
    const treeIt = !!scan.visit && (taken && !scan.wantsIndex ? indexIt : wants(one, file));
    if (!indexIt && !treeIt) return sf;
    try {
      if (indexIt) {
        const indexed = indexOf(file, name);
        if (indexed?.error) incomplete(file, name, indexed.error);
        else if (indexed?.index) scan.visitIndex?.(file, indexed.index);
      }
      if (treeIt) {
        if (!sf && lastTree?.file === file) sf = lastTree.sf;
        sf ??= shared.sourceFile(file, name, false);
        if (sf) {
          parsed.add(file);
          scan.visit?.(file, sf);
        }
      }
    } catch (e) {
      incomplete(file, name, (e as Error).message);
    }
    return sf;
  };
  // While workers build indexes, the analyzers that take none visit first (each analyzer sees its
  // scripts in the same order either way).
  const phases = pool ? [active.filter((a) => !a.scan.visitIndex), active.filter((a) => a.scan.visitIndex)] : [active];
  for (const [i, group] of phases.entries()) {
    if (i > 0) await joinPool();
    if (shared.shareTrees) {
      // Trees are shared: one analyzer after the other over every script, each walk keeping its code
      // and the trees it reads warm (measured faster than taking each script through all of them).
      for (const one of group) for (const file of scripts) visit(one, file, null);
    } else {
      // No tree is kept: each script through every analyzer, then let go.
      for (const file of scripts) {
        let sf: SourceFile | undefined | null = null;
        for (const one of group) sf = visit(one, file, sf);
        lastTree = undefined;
      }
    }
  }
  lastTree = undefined;
  cache?.save(opts.onNote);
  stats.parsed = parsed.size;
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
  const map = classifyFiles({
    files: shared.allFiles,
    gitattributes,
    packages: ws.packages.map((p) => ({ path: p.path, name: p.name, scaffolds: /^(@[^/]+\/)?create-/.test(p.name) })),
    overrides: config.roles,
    read: (file) => shared.read(file, '#roles'),
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
    shared.endAnalyzer();
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
