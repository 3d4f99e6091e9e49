/**
 * The commands' work, free of argument parsing: generate, check and model over one or more
 * targets, each taking resolved configs and an Io, and returning an exit code. The CLI and the
 * tests call these directly. Heavy modules (analyzers, TypeScript, Nunjucks) are imported only
 * when a target really has to be analysed, so a cached `check` stays fast.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { isUnfilled, mergeBlocks, parseBlocks, siblingsOf, type Siblings } from '../render/blocks.js';
import { allPagePaths } from '../render/pages.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { isUnder, toPosix } from '../util/paths.js';
import { redactSecrets } from '../util/redact.js';
import { compareDocuments, describeChanges } from './staleness.js';
import { editedOutsideBlocks, seal } from '../render/seal.js';
import {
  changedFacts,
  findingsOf,
  relativeTo,
  repositoryBase,
  type ChangedFact,
  type CheckResult,
  type Finding,
  type ReportedDocument,
} from './check-report.js';
import { commandMessage, commandProperty, fencedForGithub, inertJson, inertLines, printable } from '../util/terminal.js';
import type { Model } from '../model/schema.js';
import type { PhaseTiming } from './analyse.js';
import type { PlannedExport } from '../export/run.js';
import { cacheUnavailable, diskUnchanged, modelDigest, noteUpToDate, readFresh, readRendered, writeRecord, type CacheHit } from './cache.js';
import { isInside } from '../util/safe-fs.js';
import { ChangedOnDisk, isGenerated, plan, readExisting, writeAtomic, type Planned } from './write.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY?: boolean;
  /** True only when stdin and stdout are terminals and CI is not set: the only time archdoc asks questions. */
  interactive?: boolean;
  /** How questions are asked (the terminal by default; tests pass scripted answers). */
  prompts?: import('../cli/prompts.js').Prompts;
}

export interface Verbosity {
  quiet?: boolean;
  verbose?: boolean;
  strict?: boolean;
}

/** A document's path as messages show it: one line, whatever the repository named its folders. */
function displayPath(io: Io, file: string): string {
  const rel = toPosix(path.relative(io.cwd, file));
  return printable(rel === '' ? '.' : rel.startsWith('..') ? toPosix(file) : rel);
}

/**
 * The directory a document's real path must stay under: the run's root, whatever links the
 * repository holds. Only an `--out` the user typed may lie outside it, and then its own directory
 * is the boundary (a link there still may not lead out of it).
 */
function boundaryOf(config: ResolvedConfig): string {
  const base = config.boundary ?? config.root;
  return config.outputExplicit && !isInside(config.output, base) ? path.dirname(config.output) : base;
}

interface Rendered {
  config: ResolvedConfig;
  /** The main document first, then any component pages. */
  docs: { output: string; text: string }[];
  warnings: number;
  model?: Model;
  fromCache: boolean;
  /** On a cache hit: each document file's size and mtime when it last matched its generated text. */
  disk?: Map<string, [number, number] | undefined>;
  /** What the analysis saw; recorded in the cache once the run's own writes are done. */
  discovered?: { files: string[]; dirs: string[] };
  /** Digest of the analysed model, recorded with the documents rendered from it. */
  digest?: string;
}

/** Record fresh analyses in the cache, after any documents were written (writing changes directory mtimes). */
/**
 * A diff for stdout. It holds the document's text, which anyone may have edited: secrets are
 * redacted, and in a GitHub Actions log (`--format github`, or GITHUB_ACTIONS set) it is fenced
 * off from the runner's command parser; elsewhere every line is made inert.
 */
function printableDiff(diff: string, github: boolean): string {
  const text = redactSecrets(diff);
  return github ? fencedForGithub(text) : inertLines(text);
}

const inGithubActions = (): boolean => process.env.GITHUB_ACTIONS === 'true';

function remember(rendered: Rendered[], upToDate: (output: string) => boolean): void {
  for (const r of rendered) if (r.discovered) writeRecord(r.config, r.discovered, r.docs, r.warnings, upToDate, r.digest);
}

/** The documents of a cache hit: the generated text is read only if a document has to be compared or written. */
function cachedDocs(hit: CacheHit): { output: string; text: string }[] {
  return hit.record.outputs.map((o) => ({
    output: o.output,
    get text(): string {
      return hit.generated().find((g) => g.output === o.output)?.text ?? '';
    },
  }));
}

/**
 * Per document of a target: the human blocks of the others (the main document and its pages), so
 * a block whose part moved between them keeps its content. Pages of the target on disk that are no
 * longer written give their blocks to the main document. Computed once per target, on first need.
 */
const siblingsCache = new WeakMap<Rendered, Siblings[]>();
function siblingsFor(r: Rendered, index: number): Siblings | undefined {
  const candidates = allPagePaths(r.config.output).filter((f) => !r.docs.some((d) => d.output === f));
  let all = siblingsCache.get(r);
  if (!all) {
    const boundary = boundaryOf(r.config);
    const read = (file: string): string | undefined => {
      try {
        const text = readExisting(file, { boundary, name: file });
        return text !== undefined && isGenerated(text) ? text : undefined;
      } catch {
        return undefined;
      }
    };
    const retired = candidates.map(read).filter((t): t is string => t !== undefined);
    if (r.docs.length === 1 && retired.length === 0) return undefined;
    all = siblingsOf(
      r.docs.map((d) => ({ output: d.output, text: d.text, existing: read(d.output) })),
      retired,
    );
    siblingsCache.set(r, all);
  }
  return all[index];
}

/** Analyse and render one target (or take it from the cache when allowed and fresh). */
async function produce(config: ResolvedConfig, io: Io, v: Verbosity, useCache: boolean, reuse = true): Promise<Rendered> {
  if (v.verbose) {
    const why = cacheUnavailable(config);
    if (why) io.stderr(`archdoc: ${config.target === 'default' ? '' : `${printable(config.target)}: `}${printable(why)}\n`);
  }
  if (useCache) {
    const hit = readFresh(config);
    if (hit) {
      if (v.verbose) io.stderr(`archdoc: ${config.target}: inputs unchanged, using the cached analysis\n`);
      return {
        config,
        docs: cachedDocs(hit),
        warnings: hit.record.warnings,
        fromCache: true,
        disk: new Map(hit.record.outputs.map((o) => [o.output, o.disk])),
      };
    }
  }
  const label = config.target === 'default' ? '' : `${config.target}: `;
  const onPhase = (t: PhaseTiming) => {
    // Progress is for a person at a terminal (or --verbose); logs get the summary lines only.
    if (v.quiet || (!v.verbose && !io.isTTY)) return;
    if (!v.verbose && t.phase.startsWith('analyzer ')) return;
    io.stderr(`archdoc: ${label}${t.phase}: ${t.detail} (${t.ms} ms${v.verbose ? `, ${t.rssMiB} MiB resident` : ''})\n`);
  };
  const { analyse } = await import('./analyse.js');
  const onNote = (note: string) => {
    if (v.verbose) io.stderr(`archdoc: ${label}${printable(note)}\n`);
  };
  const result = await analyse(config, { onPhase, onNote });
  const start = performance.now();
  const digest = modelDigest(result.model);
  // The same model as the last run's renders the same documents: those are taken from the cache.
  const same = reuse ? readRendered(config, digest) : undefined;
  if (same) {
    const docs = cachedDocs(same);
    onPhase({
      phase: 'render',
      ms: Math.round(performance.now() - start),
      detail: 'model unchanged, documents from the cache',
      rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
    });
    reportWarnings(result.model, io, v);
    const disk = new Map(same.record.outputs.map((o) => [o.output, o.disk]));
    return { config, docs, warnings: result.model.warnings.length, model: result.model, fromCache: true, disk, discovered: result.discovered, digest };
  }
  const { renderDocuments } = await import('../render/document.js');
  const docs = renderDocuments(result.model, config);
  const lines = docs.reduce((n, d) => n + d.text.split('\n').length, 0);
  onPhase({
    phase: 'render',
    ms: Math.round(performance.now() - start),
    detail: `${docs.length} document(s), ${lines} lines`,
    rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
  });
  reportWarnings(result.model, io, v);
  return { config, docs, warnings: result.model.warnings.length, model: result.model, fromCache: false, discovered: result.discovered, digest };
}

/** The targets to render: `targets: 'workspaces'` adds one per workspace package. */
async function expand(targets: ResolvedConfig[], io: Io, v: Verbosity, useCache: boolean, reuse = true): Promise<Rendered[]> {
  const out: Rendered[] = [];
  for (const t of targets) {
    if (!t.workspaceTargets) {
      out.push(await produce(t, io, v, useCache, reuse));
      continue;
    }
    // The package list comes from a cheap workspace detection, so the system document can link
    // to each package document before it is rendered.
    const { listWorkspacePackages } = await import('./workspace-list.js');
    const packages = listWorkspacePackages(t).filter((p) => p.path !== '.');
    const children = packages.map((p) => ({
      ...t,
      root: path.join(t.root, p.path),
      output: path.join(t.root, p.path, 'docs', 'ARCHITECTURE.md'),
      target: p.name,
      outputExplicit: false,
      workspaceTargets: false,
      linkedDocuments: {},
      // Exports are the system's, written once beside the system document.
      exports: [],
    }));
    const system = { ...t, linkedDocuments: Object.fromEntries(packages.map((p, i) => [p.componentId, children[i]!.output])) };
    out.push(await produce(system, io, v, useCache, reuse));
    for (const c of children) out.push(await produce(c, io, v, useCache, reuse));
  }
  return out;
}

function reportWarnings(model: Model, io: Io, v: Verbosity): void {
  if (v.quiet || model.warnings.length === 0) return;
  const limit = v.verbose ? Infinity : 10;
  io.stderr(`archdoc: ${model.warnings.length} warning${model.warnings.length === 1 ? '' : 's'}\n`);
  for (const w of model.warnings.slice(0, limit)) {
    // Names and messages come from the repository: one warning is always exactly one line.
    io.stderr(`  warning ${printable(w.file)}${w.line > 0 ? `:${w.line}` : ''}: ${printable(w.message)} [${printable(w.analyzer)}]\n`);
  }
  if (model.warnings.length > limit) io.stderr(`  … ${model.warnings.length - limit} more (--verbose lists all)\n`);
}

function strictExit(warnings: number, v: Verbosity, io: Io): number {
  if (v.strict && warnings > 0) {
    io.stderr(`archdoc: --strict: ${warnings} warning(s) count as failure\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

export interface GenerateOptions extends Verbosity {
  dryRun?: boolean;
  force?: boolean;
  /** Overrides config `diagrams.render`: 'svg' also writes docs/diagrams/<id>.svg. */
  render?: 'mermaid' | 'svg';
  /** Show the diff and ask before writing (only in a terminal; elsewhere it acts as --dry-run). */
  interactive?: boolean;
  /** `--out -`: print the one document (with the human blocks of the one on disk) and write nothing. */
  toStdout?: boolean;
}

export async function runGenerate(targets: ResolvedConfig[], io: Io, opts: GenerateOptions = {}): Promise<number> {
  let svgFallback = 0;
  if (opts.render) targets = targets.map((t) => ({ ...t, diagrams: { ...t.diagrams, render: opts.render! } }));
  // `--render svg` without what SVG rendering needs: the Mermaid stays inline, so the document never
  // links a file that is not written. (With `render: 'svg'` in the config, the document keeps its
  // references whatever the machine, so that `check`, which never needs a browser, agrees with it.)
  if (opts.render === 'svg' && !opts.toStdout && !opts.dryRun) {
    const { svgUnavailable } = await import('../diagrams/svg.js');
    const checked = new Map<string | undefined, string | undefined>();
    for (const t of targets.filter((x) => x.diagrams.render === 'svg')) {
      if (!checked.has(t.diagrams.browser)) checked.set(t.diagrams.browser, await svgUnavailable(t.diagrams.browser));
    }
    const problems = [...new Set([...checked.values()].filter((p): p is string => p !== undefined))];
    for (const p of problems) io.stderr(`archdoc: ${p}; the diagrams stay inline as Mermaid\n`);
    if (problems.length > 0) {
      svgFallback = problems.length;
      targets = targets.map((t) =>
        t.diagrams.render === 'svg' && checked.get(t.diagrams.browser) !== undefined ? { ...t, diagrams: { ...t.diagrams, render: 'mermaid' as const } } : t,
      );
    }
  }
  let rendered = await expand(targets, io, opts, false);
  // A root with nothing in it (a wrong folder, an include that matches nothing): no document about nothing.
  const empty = rendered.filter((r) => r.discovered !== undefined && r.discovered.files.length === 0);
  for (const r of empty)
    io.stderr(
      `archdoc: warning: nothing to analyse under ${displayPath(io, r.config.root)} (no files found; check --root, include and exclude); nothing written\n`,
    );
  if (empty.length > 0) {
    rendered = rendered.filter((r) => !empty.includes(r));
    if (rendered.length === 0) return opts.strict ? EXIT.failed : EXIT.ok;
  }
  let svgProblems = svgFallback;
  // Plan every target before writing any, so a broken document stops the whole run.
  const plans = rendered.flatMap((r) =>
    r.docs.map((d, i) => {
      const name = displayPath(io, d.output);
      const boundary = boundaryOf(r.config);
      return {
        r,
        first: i === 0,
        output: d.output,
        text: d.text,
        name,
        boundary,
        siblings: siblingsFor(r, i),
        p: plan(d.text, d.output, { force: opts.force || opts.toStdout, displayName: name, boundary, siblings: siblingsFor(r, i) }),
      };
    }),
  );
  let warnings = 0;
  // The configured exports, planned before anything is written (a file archdoc did not write stops the run).
  const exportPlans: PlannedExport[] = [];
  if (!opts.toStdout && !opts.dryRun && !opts.interactive) {
    for (const r of rendered) {
      if (r.config.exports.length === 0 || !r.model) continue;
      const { planConfiguredExports } = await import('../export/run.js');
      exportPlans.push(...(await planConfiguredExports(r.config, r.model)));
    }
  }
  if (opts.toStdout) {
    if (plans.length !== 1) {
      throw new ArchdocError(
        `--out - prints one document, and this configuration makes ${plans.length} (targets or component pages); choose one with --target, or write files`,
        EXIT.usage,
      );
    }
    io.stdout(plans[0]!.p.text);
    return strictExit(plans[0]!.r.warnings, opts, io);
  }
  const { unifiedDiff } = await import('./write.js');
  let dryRun = opts.dryRun;
  if (opts.interactive && !dryRun) {
    const changed = plans.filter((x) => !x.p.fresh);
    if (!io.interactive) {
      io.stderr('archdoc: --interactive needs a terminal (and no CI variable); showing the diff and writing nothing\n');
      dryRun = true;
    } else if (changed.length > 0) {
      for (const x of changed) io.stdout(printableDiff(unifiedDiff(x.name, x.p.existing ?? '', x.p.text), inGithubActions()));
      const { terminalPrompts } = await import('../cli/prompts.js');
      const ok = await (io.prompts ?? terminalPrompts).confirm(`Write ${changed.length} document(s)?`, true);
      if (!ok) {
        io.stderr('archdoc: nothing written\n');
        return EXIT.ok;
      }
    }
  }
  for (const x of plans) {
    const { r, first, output, name } = x;
    let p = x.p;
    if (first) warnings += r.warnings;
    if (dryRun) {
      if (p.fresh) io.stderr(`archdoc: ${name} is up to date; nothing would change\n`);
      else io.stdout(printableDiff(unifiedDiff(name, p.existing ?? '', p.text), inGithubActions()));
      continue;
    }
    if (x.p.editedOutside && !x.p.fresh && !opts.quiet) {
      io.stderr(
        `archdoc: ${name} had edits outside its human blocks; they are replaced by the generated text (the previous version is in your history). Keep such text in a human block.\n`,
      );
    }
    if (!p.fresh) p = writeChecked(x.text, output, name, x.boundary, p, opts.force, x.siblings);
    if (p.fresh) {
      if (!opts.quiet) io.stderr(`archdoc: ${name} is up to date\n`);
    } else if (!opts.quiet) io.stderr(`archdoc: wrote ${name}\n`);
    if (p.orphans.length > 0 && !opts.quiet) {
      io.stderr(`archdoc: ${name}: ${p.orphans.length} human block(s) no longer have a place and were kept under "Orphaned notes": ${p.orphans.join(', ')}\n`);
    }
    if (r.config.diagrams.render === 'svg') svgProblems += await writeSvgs(p.text, output, r.config, io, opts);
  }
  if (exportPlans.length > 0) {
    const { exportSummary, writeExport } = await import('../export/run.js');
    for (const p of exportPlans) {
      const done = writeExport(p);
      if (!opts.quiet) io.stderr(`archdoc: ${exportSummary(p, done, io.cwd)}\n`);
    }
  }
  // Every document on disk now matches what was generated (written, or already up to date).
  if (!dryRun) remember(rendered, () => true);
  const code = strictExit(warnings, opts, io);
  if (code === EXIT.ok && opts.strict && svgProblems > 0) {
    io.stderr('archdoc: --strict: SVG diagrams could not all be rendered\n');
    return EXIT.failed;
  }
  return code;
}

/**
 * Write a planned document, unless it changed on disk since it was read (an editor saved it):
 * then plan again from what is there now, keeping its human blocks, a few times before giving up.
 * Returns the plan that was written (`fresh` when the new content already matched).
 */
function writeChecked(generated: string, output: string, name: string, boundary: string, p: Planned, force?: boolean, siblings?: Siblings): Planned {
  for (let attempt = 1; ; attempt++) {
    try {
      writeAtomic(output, p.text, { boundary, name }, p.seen ?? null);
      return p;
    } catch (e) {
      if (!(e instanceof ChangedOnDisk)) throw e;
      if (attempt === 3)
        throw new ArchdocError(`${name} kept changing on disk while archdoc was writing it; nothing was written. Run again once it is saved.`, EXIT.usage);
    }
    p = plan(generated, output, { force, displayName: name, boundary, siblings });
    if (p.fresh) return p;
  }
}

/** Render the SVG files a document references; returns how many problems were reported. */
async function writeSvgs(text: string, output: string, config: ResolvedConfig, io: Io, v: Verbosity): Promise<number> {
  const { renderSvgs } = await import('../diagrams/svg.js');
  const r = await renderSvgs(text, output, { browser: config.diagrams.browser, boundary: boundaryOf(config) });
  if (r.skipped) io.stderr(`archdoc: ${r.skipped}\n`);
  for (const f of r.failed) io.stderr(`archdoc: diagram ${f.id} could not be rendered: ${f.error}\n`);
  if (!v.quiet && r.written.length > 0)
    io.stderr(`archdoc: wrote ${r.written.length} SVG diagram(s) under ${displayPath(io, path.join(path.dirname(output), 'diagrams'))}\n`);
  return (r.skipped ? 1 : 0) + r.failed.length;
}

export interface CheckOptions extends Verbosity {
  todos?: boolean;
  maxTodos?: number;
  /** Only check targets containing one of these files (paths relative to the current directory). */
  changed?: string[];
  /**
   * text; github: also annotations at the sources behind each change and at security findings, the
   * job summary and the `stale` output (github-report.ts); json; sarif: SARIF 2.1.0 on stdout (sarif.ts).
   * github and sarif always analyse (the findings come from the model), never from the cache.
   */
  format?: 'text' | 'github' | 'json' | 'sarif';
  /** Analyse even when the cache says nothing changed. */
  noCache?: boolean;
  /** Count moved evidence lines and version bumps as stale too (default: set aside; config `check.exact`). */
  exact?: boolean;
}

/** `12 evidence links and 1 version`: what a regeneration of a fresh document would refresh. */
function refreshed(r: { links: number; versions: number }): string {
  const parts = [];
  if (r.links) parts.push(`${r.links} evidence ${r.links === 1 ? 'link' : 'links'}`);
  if (r.versions) parts.push(`${r.versions} ${r.versions === 1 ? 'version' : 'versions'}`);
  return parts.length ? parts.join(' and ') : 'its layout';
}

export async function runCheck(targets: ResolvedConfig[], io: Io, opts: CheckOptions = {}): Promise<number> {
  let selected = targets;
  if (opts.changed) {
    const files = opts.changed.map((f) => toPosix(path.resolve(io.cwd, f)));
    selected = targets.filter((t) => files.some((f) => isUnder(f, toPosix(t.root))));
    if (selected.length === 0) {
      if (!opts.quiet && opts.format !== 'json' && opts.format !== 'sarif') io.stderr('archdoc: no target contains the changed files; nothing to check\n');
      if (opts.format === 'json') io.stdout(JSON.stringify({ targets: [] }, null, 2) + '\n');
      if (opts.format === 'github' || opts.format === 'sarif') await reportForCode(opts.format, [], [], io);
      return EXIT.ok;
    }
  }
  const machine = opts.format === 'json' || opts.format === 'sarif';
  const forCode = opts.format === 'github' || opts.format === 'sarif';
  const rendered = await expand(selected, io, { ...opts, quiet: opts.quiet || machine }, !opts.noCache && !forCode, !opts.noCache);
  /** For github and sarif: each stale document's changes with the sources behind them, by result index. */
  const facts = new Map<number, ChangedFact[]>();
  const results: CheckResult[] = [];
  let code: number = EXIT.ok;
  let warnings = 0;
  const todoLines: string[] = [];
  let todoCount = 0;
  for (const r of rendered) warnings += r.warnings;
  const upToDate = new Set<string>();
  const wantTodos = opts.todos || opts.maxTodos !== undefined;
  for (const { r, d, i } of rendered.flatMap((r) => r.docs.map((d, i) => ({ r, d, i })))) {
    const name = displayPath(io, d.output);
    // Inputs unchanged and the document untouched since it last matched: fresh, nothing to read.
    if (r.fromCache && !wantTodos && diskUnchanged(d.output, r.disk?.get(d.output))) {
      results.push({ name, target: r.config.target, status: 'fresh' });
      upToDate.add(d.output);
      continue;
    }
    const existing = readExisting(d.output, { boundary: boundaryOf(r.config), name });
    if (existing === undefined) {
      results.push({ name, target: r.config.target, status: 'missing' });
      continue;
    }
    // As generate would refuse to overwrite it, check refuses to compare it: none of it is printed.
    if (!isGenerated(existing)) {
      throw new ArchdocError(
        `${name} exists and was not generated by archdoc; refusing to compare it (nothing of it is printed). Move it aside or choose another --out.`,
        EXIT.usage,
      );
    }
    const merged = seal(mergeBlocks(d.text, existing, siblingsFor(r, i)).text);
    const comparison = compareDocuments(existing, merged);
    const exact = opts.exact ?? r.config.check.exact;
    const editedOutside = editedOutsideBlocks(existing);
    if (!editedOutside && (comparison.status === 'same' || (comparison.status === 'churn' && !exact))) {
      const result: CheckResult = { name, target: r.config.target, status: 'fresh' };
      results.push(result);
      // Only a document that matches byte for byte is remembered as fresh: churn is judged again
      // on every check (with or without --exact).
      if (comparison.status === 'churn') result.refresh = { links: comparison.links, versions: comparison.versions };
      else upToDate.add(d.output);
    } else {
      const { unifiedDiff } = await import('./write.js');
      const diff = redactSecrets(unifiedDiff(name, existing, merged));
      const hunk = /^@@ -(\d+)/m.exec(diff);
      const moved = `${comparison.links} ${comparison.links === 1 ? 'link' : 'links'}, ${comparison.versions} ${comparison.versions === 1 ? 'version' : 'versions'}`;
      const changes =
        comparison.status === 'changed'
          ? describeChanges(comparison.changes).map((l) => redactSecrets(l))
          : editedOutside
            ? [comparison.status === 'same' ? 'only the archdoc:digest line was edited' : `only evidence line numbers or versions were edited (${moved})`]
            : [`only evidence line numbers and versions moved (${moved}); counted because check is exact`];
      results.push({
        name,
        target: r.config.target,
        status: 'stale',
        diff,
        firstLine: hunk ? Number(hunk[1]) + 3 : 1,
        changes,
        ...(editedOutside ? { editedOutside } : {}),
      });
      if (forCode && comparison.status === 'changed') facts.set(results.length - 1, changedFacts(comparison.changes, existing, merged, d.output));
    }
    if (wantTodos) {
      const blocks = parseBlocks(merged, name);
      const open = blocks.filter((b) => isUnfilled(b.content));
      todoCount += open.length;
      todoLines.push(`${open.length} of ${blocks.length} human blocks still to fill in${open.length ? ':' : '.'}`);
      for (const b of open) todoLines.push(`  ${name}: ${printable(b.id)}`);
    }
  }
  // Configured exports: fresh when a regeneration would write the same files (human-owned keys kept).
  const exportDirs: string[] = [];
  for (const r of rendered) {
    if (r.config.exports.length === 0) continue;
    // A cache hit holds no model: the exports need one.
    const model = r.model ?? (await produce(r.config, io, { ...opts, quiet: true }, false)).model;
    if (!model) continue;
    const { checkExport, planConfiguredExports } = await import('../export/run.js');
    for (const p of await planConfiguredExports(r.config, model)) {
      const name = displayPath(io, p.outputDir);
      const c = checkExport(p, name);
      const result: CheckResult = { name: `${name} (${p.target} export)`, target: r.config.target, status: c.status };
      if (c.status === 'stale') Object.assign(result, { diff: redactSecrets(c.diff), firstLine: 1, changes: c.changes });
      results.push(result);
      exportDirs.push(p.outputDir);
    }
  }
  if (results.some((r) => r.status !== 'fresh')) code = EXIT.failed;

  const hint = 'Run `npm run docs` (archdoc generate) and commit the result.';
  const base = forCode ? repositoryBase(io.cwd) : io.cwd;
  const documents = [...rendered.flatMap((r) => r.docs.map((d) => d.output)), ...exportDirs];
  /** Where an annotation puts a document: relative to the repository (GitHub's checkout), one printable line. */
  const annotated = (i: number) => {
    const rel = relativeTo(base, documents[i]!);
    return rel === undefined ? results[i]!.name : printable(rel);
  };
  if (opts.format === 'json') {
    io.stdout(inertJson(JSON.stringify({ targets: results }, null, 2)) + '\n');
  } else if (opts.format === 'sarif') {
    // stdout holds the SARIF log only.
  } else {
    for (const [i, r] of results.entries()) {
      if (r.status === 'missing') {
        if (opts.format === 'github')
          io.stdout(`::error file=${commandProperty(annotated(i))},title=archdoc::${commandMessage(r.name)} does not exist. ${hint}\n`);
        io.stderr(`archdoc: ${r.name} does not exist. ${hint}\n`);
      } else if (r.status === 'stale') {
        if (opts.format === 'github') {
          io.stdout(
            `::error file=${commandProperty(annotated(i))},line=${r.firstLine},title=archdoc::${commandMessage(r.name)} is out of date with the code. ${hint}\n`,
          );
        }
        io.stdout(opts.format === 'github' || inGithubActions() ? fencedForGithub(r.diff!) : inertLines(r.diff!));
        if (r.editedOutside) {
          io.stderr(
            `archdoc: ${r.name} was edited outside its human blocks, where archdoc rewrites everything. What differs from what archdoc would write:\n${r.changes!.map((l) => `  ${printable(l)}\n`).join('')}Move text you want to keep into a human block (between the archdoc:human markers), then run \`npm run docs\` (archdoc generate) and commit.\n`,
          );
        } else io.stderr(`archdoc: ${r.name} is out of date with the code. What changed:\n${r.changes!.map((l) => `  ${printable(l)}\n`).join('')}${hint}\n`);
      } else if (!opts.quiet) {
        io.stderr(`archdoc: ${r.name} is up to date${r.refresh ? ` with the architecture; a regeneration would refresh ${refreshed(r.refresh)}` : ''}\n`);
      }
    }
    for (const l of todoLines) io.stdout(l + '\n');
  }
  if (forCode) {
    const reported: ReportedDocument[] = results.map((r, i) => ({ ...r, file: documents[i]!, facts: facts.get(i) ?? [] }));
    const findings = rendered.flatMap((r) => (r.model ? findingsOf(r.model, r.config.root) : []));
    await reportForCode(opts.format as 'github' | 'sarif', reported, findings, io, hint);
  }
  if (opts.maxTodos !== undefined && todoCount > opts.maxTodos) {
    io.stderr(`archdoc: ${todoCount} unfilled human blocks is more than the allowed ${opts.maxTodos}\n`);
    code = EXIT.failed;
  }
  remember(rendered, (output) => upToDate.has(output));
  for (const r of rendered) {
    if (!r.fromCache) continue;
    const outputs = r.docs.map((d) => d.output).filter((o) => upToDate.has(o) && !diskUnchanged(o, r.disk?.get(o)));
    noteUpToDate(r.config, outputs);
  }
  return code === EXIT.ok ? strictExit(warnings, opts, io) : code;
}

/**
 * The reports that point at the code: for github, annotations at the sources and findings (stdout)
 * and the job summary and `stale` output (the runner's files); for sarif, the SARIF log (stdout).
 */
async function reportForCode(
  format: 'github' | 'sarif',
  documents: ReportedDocument[],
  findings: Finding[],
  io: Io,
  hint = 'Run `npm run docs` (archdoc generate) and commit the result.',
): Promise<void> {
  const base = repositoryBase(io.cwd);
  if (format === 'sarif') {
    const { sarifLog } = await import('./sarif.js');
    io.stdout(inertJson(sarifLog(documents, findings, base, hint)) + '\n');
    return;
  }
  const { annotations, writeGithubFiles } = await import('./github-report.js');
  const a = annotations(documents, findings, base, hint);
  for (const line of a.lines) io.stdout(line);
  if (a.left > 0) io.stderr(`archdoc: ${a.left} more annotation(s) left out (GitHub shows at most 50 a job); the job summary lists every change\n`);
  writeGithubFiles(documents, findings, base, hint, process.env);
}

export async function runModel(config: ResolvedConfig, io: Io, opts: Verbosity = {}): Promise<number> {
  const { analyse } = await import('./analyse.js');
  const result = await analyse(config, {
    onPhase: (t) => {
      if (opts.verbose) io.stderr(`archdoc: ${t.phase}: ${t.detail} (${t.ms} ms)\n`);
    },
    onNote: (note) => {
      if (opts.verbose) io.stderr(`archdoc: ${printable(note)}\n`);
    },
  });
  reportWarnings(result.model, io, { ...opts, quiet: opts.quiet ?? !opts.verbose });
  // `##[` is a legacy workflow command anywhere in a line; escaped, the JSON parses to the same model.
  io.stdout(inertJson(JSON.stringify(result.model, null, 2)) + '\n');
  return strictExit(result.model.warnings.length, opts, io);
}

/** Input globs of a target, one per line (for Nx/Turborepo task inputs). */
export function targetInputs(config: ResolvedConfig): string[] {
  const lines = config.include.length > 0 ? [...config.include] : ['**/*'];
  for (const e of config.exclude) lines.push(`!${e}`);
  for (const d of ['node_modules', 'dist', 'build', 'coverage', '.git']) lines.push(`!**/${d}/**`);
  lines.push(`!${toPosix(path.relative(config.root, config.output))}`);
  if (config.configFile) lines.push(toPosix(path.relative(config.root, config.configFile)));
  return lines;
}
