/**
 * What an analyzer knows of the repository's workspace: its packages, their manifests and
 * declared dependencies. Detected once by the pipeline (src/pipeline/workspace.ts) before any
 * analyzer runs; the types live here so analyzers read them without reaching into the pipeline.
 */
import type { Evidence } from '../model/schema.js';

export type WorkspaceTool = 'npm' | 'yarn' | 'pnpm' | 'lerna' | 'nx' | 'turbo' | 'rush' | 'nest';

export interface DeclaredDependency {
  range: string;
  field: 'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies';
  line: number;
}

export interface WorkspacePackage {
  /** Package name from package.json or project.json, else the directory path. */
  name: string;
  /** Repo-relative directory ("." for the root). */
  path: string;
  componentId: string;
  /** package.json path when there is one. */
  manifestFile?: string;
  manifest: Record<string, unknown>;
  /** Nx project.json (or the Nest CLI's nest-cli.json) declaring the project, when there is one. */
  projectFile?: string;
  projectType?: string;
  dependencies: Map<string, DeclaredDependency>;
  evidence: Evidence[];
}

export interface Workspace {
  /** Tools that declare the workspace, sorted. */
  tools: WorkspaceTool[];
  /** Workspace globs as declared (after merging every tool's list). */
  patterns: string[];
  /** Where the patterns were declared. */
  evidence: Evidence[];
  packages: WorkspacePackage[];
  /** The root package.json, parsed, if any. */
  rootManifest?: Record<string, unknown>;
  isMonorepo: boolean;
}
