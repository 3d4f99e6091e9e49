/**
 * The package that owns a file: the deepest whose path contains it, found by looking the file's
 * directories up. Checked against the plain definition (test every package, keep the deepest).
 */
import { describe, expect, it } from 'vitest';
import { SharedState } from '../src/analyzer/context.js';
import { resolveConfig } from '../src/config/load.js';
import type { WorkspacePackage } from '../src/pipeline/workspace.js';
import { isUnder } from '../src/util/paths.js';

const pkg = (path: string, name = path): WorkspacePackage => ({ path, name, componentId: `component:${name}` }) as WorkspacePackage;

/** The definition: every package containing the file, the one with the longest path ('.' last). */
function deepest(packages: WorkspacePackage[], file: string): WorkspacePackage | undefined {
  let best: WorkspacePackage | undefined;
  let bestScore = -1;
  for (const p of packages) {
    const score = p.path === '.' ? 0 : p.path.length + 1;
    if (score > bestScore && isUnder(file, p.path)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

const FILES = [
  'package.json',
  'README.md',
  'apps/api/src/main.ts',
  'apps/api',
  'apps/api2/src/main.ts',
  'apps/web/app/page.tsx',
  'apps/README.md',
  'packages/shared/src/index.ts',
  'packages/shared/nested/inner/src/x.ts',
  'packages/shared/nested/innerx/y.ts',
  'tools/script.ts',
];

function stateWith(packages: WorkspacePackage[]): SharedState {
  const shared = new SharedState('/nonexistent', FILES, resolveConfig({}, { cwd: '/', root: '/' }));
  shared.workspace = { tools: [], patterns: [], evidence: [], packages, isMonorepo: packages.length > 1 };
  return shared;
}

describe('packageOf', () => {
  const nested = [
    pkg('.', 'root'),
    pkg('apps/api'),
    pkg('apps/api2'),
    pkg('apps/web'),
    pkg('packages/shared'),
    pkg('packages/shared/nested/inner'),
    pkg('apps/api', 'duplicate'),
  ];

  it('gives the deepest package containing each file, as testing every package would', () => {
    const shared = stateWith(nested);
    for (const file of FILES) expect(shared.packageOf(file)?.name, file).toBe(deepest(nested, file)?.name);
    expect(shared.packageOf('apps/api2/src/main.ts')?.name).toBe('apps/api2');
    expect(shared.packageOf('packages/shared/nested/innerx/y.ts')?.name).toBe('packages/shared');
    expect(shared.packageOf('apps/api/src/main.ts')?.name).toBe('apps/api');
    expect(shared.packageOf('tools/script.ts')?.name).toBe('root');
  });

  it('leaves files outside every package without one when there is no root package', () => {
    const packages = nested.filter((p) => p.path !== '.');
    const shared = stateWith(packages);
    for (const file of FILES) expect(shared.packageOf(file)?.name, file).toBe(deepest(packages, file)?.name);
    expect(shared.packageOf('tools/script.ts')).toBeUndefined();
  });

  it('forgets its answers when the workspace changes', () => {
    const shared = stateWith(nested);
    expect(shared.packageOf('apps/web/app/page.tsx')?.name).toBe('apps/web');
    shared.workspace = { tools: [], patterns: [], evidence: [], packages: [pkg('.', 'only')], isMonorepo: false };
    expect(shared.packageOf('apps/web/app/page.tsx')?.name).toBe('only');
  });
});
