/**
 * Writing and checking an export: the files a target renders from the model, compared with the
 * files on disk. Only files the exporter itself wrote are overwritten or removed; every path stays
 * under the run's boundary, as the document's does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Model } from '../model/schema.js';
import { readDocument, unifiedDiff, writeAtomic, type Seen } from '../pipeline/write.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { toPosix } from '../util/paths.js';
import { isInside } from '../util/safe-fs.js';
import { printable } from '../util/terminal.js';
import type { Io } from '../pipeline/run.js';
import { EXPORT_TARGETS, exportTargetNames, type Exporter } from './registry.js';

export interface PlannedFile {
  /** Path under the export directory (POSIX). */
  path: string;
  abs: string;
  text: string;
  existing?: string;
  seen?: Seen;
  fresh: boolean;
  /** A starter written only when absent (`ExportFile.once`): `archdoc check` never counts it. */
  once?: boolean;
}

export interface PlannedExport {
  target: string;
  outputDir: string;
  boundary: string;
  files: PlannedFile[];
  /** Files an earlier export wrote that this one no longer does. */
  removed: { path: string; abs: string; existing: string }[];
  exporter: Exporter;
}

/** Directories searched for earlier files, and entries looked at, at most: an export is shallow. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20_000;

export function exporterTarget(name: string) {
  const target = Object.hasOwn(EXPORT_TARGETS, name) ? EXPORT_TARGETS[name] : undefined;
  if (!target) throw new ArchdocError(`unknown export target "${name}"; targets: ${exportTargetNames().join(', ')}`, EXIT.usage);
  return target;
}

/** The directory an export is written under: `--output` (from the current directory), the config's, or the target's default. */
export function exportDirectory(config: ResolvedConfig, name: string, cliOutput?: string, cwd?: string): string {
  if (cliOutput !== undefined) return path.resolve(cwd ?? config.root, cliOutput);
  const configured = config.exports.find((e) => e.target === name);
  return configured?.output ?? path.resolve(config.root, exporterTarget(name).defaultOutput);
}

/** The directory every export file must stay under: the run's boundary, or an explicit `--output` outside it. */
export function exportBoundary(config: ResolvedConfig, outputDir: string, explicit: boolean): string {
  const base = config.boundary ?? config.root;
  return explicit && !isInside(outputDir, base) ? outputDir : base;
}

function display(file: string): string {
  return toPosix(file);
}

/** Render an export and compare it with the files on disk (nothing is written). */
export async function planExport(name: string, model: Model, config: ResolvedConfig, outputDir: string, boundary: string): Promise<PlannedExport> {
  const exporter = await exporterTarget(name).load();
  const read = (rel: string, once = false) => {
    const abs = path.join(outputDir, ...rel.split('/'));
    const doc = readDocument(abs, { boundary, name: display(path.relative(config.root, abs)) });
    if (doc.text !== undefined && !once && !exporter.isGenerated(doc.text)) {
      throw new ArchdocError(
        `${display(path.relative(config.root, abs))} exists and was not written by archdoc export ${name}; refusing to overwrite it. Move it aside or choose another --output.`,
        EXIT.usage,
      );
    }
    return { abs, ...doc };
  };
  const rendered = exporter.render({
    model,
    root: config.root,
    outputDir,
    document: config.output,
    existing: (rel) => read(rel).text,
  });
  const files: PlannedFile[] = rendered.map((f) => {
    const doc = read(f.path, f.once);
    // A starter already there is the team's: left as it is, whatever it says.
    if (f.once && doc.text !== undefined) return { path: f.path, abs: doc.abs, text: doc.text, existing: doc.text, seen: doc.seen, fresh: true, once: true };
    return { path: f.path, abs: doc.abs, text: f.text, existing: doc.text, seen: doc.seen, fresh: doc.text === f.text, ...(f.once ? { once: true } : {}) };
  });
  const written = new Set(files.map((f) => f.path));
  const removed = earlierFiles(outputDir, boundary, exporter)
    .filter((f) => !written.has(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target: name, outputDir, boundary, files, removed, exporter };
}

/** Files under the export directory that the exporter wrote (by name and header), links never followed. */
function earlierFiles(outputDir: string, boundary: string, exporter: Exporter): { path: string; abs: string; existing: string }[] {
  const out: { path: string; abs: string; existing: string }[] = [];
  const st = fs.lstatSync(outputDir, { throwIfNoEntry: false });
  if (!st?.isDirectory() || !isInside(outputDir, boundary)) return out;
  let entries = 0;
  const walk = (dir: string, rel: string, depth: number) => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      if (++entries > MAX_ENTRIES) return;
      const abs = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < MAX_DEPTH) walk(abs, r, depth + 1);
      else if (e.isFile() && exporter.fileNames.includes(e.name)) {
        const text = readDocument(abs, { boundary, name: r }).text;
        if (text !== undefined && exporter.isGenerated(text)) out.push({ path: r, abs, existing: text });
      }
    }
  };
  walk(outputDir, '', 1);
  return out;
}

/** Write what changed and remove what the export no longer holds; returns counts for the summary. */
export function writeExport(plan: PlannedExport): { written: number; fresh: number; removed: number } {
  let written = 0;
  for (const f of plan.files) {
    if (f.fresh) continue;
    writeAtomic(f.abs, f.text, { boundary: plan.boundary, name: f.path }, f.seen ?? null);
    written++;
  }
  for (const f of plan.removed) {
    fs.rmSync(f.abs, { force: true });
    // A folder the export made for a component that is gone: removed when nothing else is in it.
    const dir = path.dirname(f.abs);
    if (dir !== plan.outputDir && isInside(dir, plan.outputDir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  return { written, fresh: plan.files.length - written, removed: plan.removed.length };
}

export interface ExportCheck {
  status: 'fresh' | 'missing' | 'stale';
  /** One line per file that differs. */
  changes: string[];
  diff: string;
}

/** Is the export on disk what a regeneration would write? */
export function checkExport(plan: PlannedExport, displayDir: string): ExportCheck {
  if (plan.files.every((f) => f.once || f.existing === undefined) && plan.removed.length === 0) {
    return { status: 'missing', changes: [], diff: '' };
  }
  const changes: string[] = [];
  let diff = '';
  for (const f of plan.files) {
    if (f.once || f.fresh || (f.existing !== undefined && plan.exporter.equivalent?.(f.existing, f.text))) continue;
    const name = `${displayDir}/${f.path}`;
    changes.push(f.existing === undefined ? `${f.path}: missing` : `${f.path}: out of date`);
    diff += unifiedDiff(name, f.existing ?? '', f.text);
  }
  for (const f of plan.removed) {
    changes.push(`${f.path}: no longer generated (a regeneration removes it)`);
    diff += unifiedDiff(`${displayDir}/${f.path}`, f.existing, '');
  }
  return { status: changes.length === 0 ? 'fresh' : 'stale', changes, diff };
}

export interface ExportOptions {
  /** `--output`: the directory, from the current directory. */
  output?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** `archdoc export <target>`: analyse, then write the export's files. */
export async function runExport(name: string, config: ResolvedConfig, io: Io, opts: ExportOptions = {}): Promise<number> {
  exporterTarget(name);
  const { analyse } = await import('../pipeline/analyse.js');
  const { model } = await analyse(config, {
    onPhase: (t) => {
      if (opts.verbose) io.stderr(`archdoc: ${t.phase}: ${t.detail} (${t.ms} ms)\n`);
    },
  });
  const outputDir = exportDirectory(config, name, opts.output, io.cwd);
  const plan = await planExport(name, model, config, outputDir, exportBoundary(config, outputDir, opts.output !== undefined));
  const done = writeExport(plan);
  if (!opts.quiet) io.stderr(`archdoc: ${exportSummary(plan, done, io.cwd)}\n`);
  return EXIT.ok;
}

/** `backstage export in catalog: 2 files written, 3 up to date, 1 removed`. */
export function exportSummary(plan: PlannedExport, done: { written: number; fresh: number; removed: number }, cwd: string): string {
  const parts = [`${done.written} ${done.written === 1 ? 'file' : 'files'} written`, `${done.fresh} up to date`];
  if (done.removed > 0) parts.push(`${done.removed} no longer generated, removed`);
  return `${plan.target} export in ${printable(displayDir(plan.outputDir, cwd))}: ${parts.join(', ')}`;
}

/** The export directory as messages show it: relative to the current directory when under it. */
export function displayDir(dir: string, cwd: string): string {
  const rel = toPosix(path.relative(cwd, dir));
  return rel === '' ? '.' : rel.startsWith('..') ? toPosix(dir) : rel;
}

/** The exports the config names, rendered from the model and compared with the files on disk. */
export async function planConfiguredExports(config: ResolvedConfig, model: Model): Promise<PlannedExport[]> {
  const plans: PlannedExport[] = [];
  for (const e of config.exports) {
    const dir = exportDirectory(config, e.target);
    plans.push(await planExport(e.target, model, config, dir, exportBoundary(config, dir, false)));
  }
  return plans;
}
