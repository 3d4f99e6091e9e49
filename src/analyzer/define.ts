/**
 * The analyzer plugin API. An analyzer reads files through the shared context and emits typed
 * facts and warnings; it never throws for bad input (the pipeline turns a throw into a warning,
 * but an analyzer that knows the file and line says so itself).
 */
import type { AnalyzerContext } from './context.js';
import type { CollectionName, Model } from '../model/schema.js';

export interface AnalyzerMeta {
  /** Unique, kebab-case; also the key under `analyzers` in archdoc.config.ts. */
  name: string;
  /** One line, shown by `archdoc model --analyzers` and in the analyzer's README. */
  description: string;
  /** The model collections it fills. */
  produces: readonly CollectionName[];
}

export interface Analyzer {
  meta: AnalyzerMeta;
  /** Cheap test (manifests, file names) deciding whether `analyze` runs at all. */
  applies?(ctx: AnalyzerContext): boolean;
  analyze(ctx: AnalyzerContext): void | Promise<void>;
  /**
   * Optional post-link phase: runs after every analyzer's facts are merged and linked, in
   * registry order, for analyzers that need other analyzers' facts (traced flows need endpoints
   * and queues). It may add to the model in place; it must stay deterministic.
   */
  link?(model: Model, ctx: AnalyzerContext): void | Promise<void>;
}

/** Identity function that gives an analyzer its types. */
export function defineAnalyzer(analyzer: Analyzer): Analyzer {
  return analyzer;
}
