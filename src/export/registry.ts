/**
 * The targets of `archdoc export <target>`: one entry each, loaded only when used. A target turns
 * the model into files under one directory; src/export/run.ts writes and checks them.
 */
import type { Model } from '../model/schema.js';

/** One file of an export: its path under the export's directory (POSIX) and its full text. */
export interface ExportFile {
  path: string;
  text: string;
  /**
   * A starter the team owns from the start: written only when no file is there, and never
   * compared, overwritten or removed (the Structurizr DSL export's workspace.dsl).
   */
  once?: boolean;
}

/** What an exporter is given: the model, where things are, and the files of the last export. */
export interface ExportContext {
  model: Model;
  /** Absolute root of the analysed repository. */
  root: string;
  /** Absolute directory the export is written under. */
  outputDir: string;
  /** Absolute path of the architecture document. */
  document: string;
  /** The text of one of this export's files on disk (path as in `ExportFile`), for the human-owned parts it keeps. */
  existing(file: string): string | undefined;
}

export interface Exporter {
  /** Every file of the export, with what a team added by hand to the files on disk kept where the format allows. */
  render(ctx: ExportContext): ExportFile[];
  /** True when a file's text says this exporter wrote it (only such files are overwritten or removed). */
  isGenerated(text: string): boolean;
  /**
   * True when two texts of one file say the same (a team's key written in another place, say):
   * `archdoc check` counts such a file as fresh. Without it, only the same bytes are.
   */
  equivalent?(a: string, b: string): boolean;
  /** File names the exporter writes (the last path segment), to find earlier files it no longer writes. */
  fileNames: readonly string[];
}

export interface ExportTarget {
  /** One line for `archdoc export --help`. */
  description: string;
  /** Where the export is written, relative to the root, when neither the config nor `--output` says. */
  defaultOutput: string;
  load(): Promise<Exporter>;
}

/** Export targets by name (the config's `exports` keys and the CLI's `archdoc export <target>`). */
export const EXPORT_TARGETS: Record<string, ExportTarget> = {
  backstage: {
    description: 'Backstage catalogue entities (catalog-info.yaml): components, APIs, resources and the system',
    defaultOutput: 'catalog',
    load: async () => (await import('./backstage.js')).backstage,
  },
  likec4: {
    description: 'a LikeC4 model (archdoc.generated.c4) beside which a team keeps its own views and styles',
    defaultOutput: 'docs/architecture',
    load: async () => (await import('./likec4.js')).likec4,
  },
  'structurizr-dsl': {
    description:
      "Structurizr DSL: the model and archdoc's views as fragments (archdoc.generated*.dsl) that the team's own workspace.dsl includes; a starter workspace.dsl is written only where there is none",
    defaultOutput: 'docs/architecture',
    load: async () => (await import('./structurizr-dsl.js')).structurizrDsl,
  },
  structurizr: {
    description: "a Structurizr workspace (workspace.json): the C4 model regenerated, the team's views and styles kept",
    defaultOutput: 'docs/architecture',
    load: async () => (await import('./structurizr.js')).structurizr,
  },
};

export function exportTargetNames(): string[] {
  return Object.keys(EXPORT_TARGETS).sort();
}
