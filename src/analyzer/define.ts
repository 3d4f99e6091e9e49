/**
 * The analyzer plugin API. An analyzer reads files through the shared context and emits typed
 * facts and warnings; it never throws for bad input (the pipeline turns a throw into a warning,
 * but an analyzer that knows the file and line says so itself).
 */
import type { AnalyzerContext } from './context.js';
import type { CollectionName, Model } from '../model/schema.js';
import type { FileRole } from '../pipeline/roles.js';
import type { ProductName } from './products.js';
import type { FileIndex } from '../analysis/index-file.js';

export interface AnalyzerMeta {
  /** Unique, kebab-case; also the key under `analyzers` in archdoc.config.ts. */
  name: string;
  /** One line, shown by `archdoc model --analyzers` and in the analyzer's README. */
  description: string;
  /** The model collections it fills (or, in its link phase, changes in place). */
  produces: readonly CollectionName[];
  /**
   * Named products it hands to other analyzers with `ctx.provide` (src/analyzer/products.ts), in
   * its analyse or link phase.
   */
  provides?: readonly ProductName[];
  /**
   * What it reads: model collections (in its link phase, after every analyse phase) and named
   * products (`ctx.consume`). It runs after every provider of a product it consumes, in each phase
   * (src/analyzer/order.ts); a product no analyzer provides stops the run before it starts (one the
   * config disables is only absent).
   */
  consumes?: readonly (CollectionName | ProductName)[];
  /**
   * Collections its link phase changes in place. It then runs after every other link phase that
   * consumes them, which reads them as the analyse phases emitted them, unless that phase consumes
   * a product this analyzer provides to wait for the change.
   */
  amends?: readonly CollectionName[];
  /**
   * File roles it reads besides production code and configuration (src/pipeline/roles.ts): the
   * documents analyzer reads `documentation`; k6 load tests live among `test` files. Its facts may
   * then carry evidence in those files; any other evidence in a set-aside file is dropped.
   */
  reads?: readonly FileRole[];
}

/**
 * An analyzer's part in the run's one pass over scripts: each script some analyzer wants is
 * indexed once (src/analysis/index-file.ts: plain data, no syntax node) and its index handed to
 * every analyzer that wants it, in run order. The index is taken from the index cache when the
 * script's text is unchanged, or built on a worker thread when the machine has cores to spare, so
 * that the script is then not parsed at all; rules resolve across files in `finish`, with the
 * engine's evaluator (src/analysis/evaluate.ts).
 */
export interface FileScan {
  /** Whether this script's index is wanted: a cheap test on the path, then on the text. */
  wants(file: string): boolean;
  /** The script's index; not called for a script that cannot be indexed (unreadable, or nested too deeply). */
  visitIndex(file: string, index: FileIndex): void;
  /** Every script has been visited: emit facts, as `analyze` would. */
  finish(): void | Promise<void>;
}

export interface Analyzer {
  meta: AnalyzerMeta;
  /** Cheap test (manifests, file names) deciding whether `analyze` runs at all. */
  applies?(ctx: AnalyzerContext): boolean;
  /** The analysis, for an analyzer without `scan`. */
  analyze?(ctx: AnalyzerContext): void | Promise<void>;
  /** Per-file work over scripts in the shared pass (see `FileScan`), instead of `analyze`. */
  scan?(ctx: AnalyzerContext): FileScan | Promise<FileScan>;
  /**
   * Optional post-link phase: runs after every analyzer's facts are merged and linked, in the
   * derived order (after the providers of what it consumes), for analyzers that need other
   * analyzers' facts (traced flows need endpoints and queues). It gets the same context as the
   * analyse phase (`ctx.state` carries what that phase kept for it). It may add to the model in
   * place; it must stay deterministic.
   */
  link?(model: Model, ctx: AnalyzerContext): void | Promise<void>;
}

/** Identity function that gives an analyzer its types. */
export function defineAnalyzer(analyzer: Analyzer): Analyzer {
  return analyzer;
}
