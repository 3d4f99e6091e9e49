/**
 * The workspace packages of a repository without running any analyzer: discovery plus workspace
 * detection only (used to expand `targets: 'workspaces'`). Loads no TypeScript.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SharedState } from '../analyzer/context.js';
import type { ResolvedConfig } from '../config/load.js';
import { relativePosix } from '../util/paths.js';
import { discover } from './discover.js';
import { detectWorkspace, type WorkspacePackage } from './workspace.js';

export function listWorkspacePackages(config: ResolvedConfig): WorkspacePackage[] {
  const root = fs.realpathSync(config.root);
  const outputRel = relativePosix(root, path.resolve(config.output));
  const d = discover({ root, include: config.include, exclude: config.exclude, skip: [outputRel] });
  const shared = new SharedState(root, d.files, config);
  return detectWorkspace(shared).packages;
}
