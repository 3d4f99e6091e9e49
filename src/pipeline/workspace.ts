/**
 * Workspace detection: which packages the repository is made of. Runs once, before any analyzer,
 * so every analyzer can ask which component a file belongs to. Reads npm/yarn `workspaces`,
 * pnpm-workspace.yaml, lerna.json, Nx project.json files and a Nest CLI monorepo's nest-cli.json
 * projects (one package.json for all); without any of those, nested
 * package.json files (outside test, example and fixture folders) are packages too.
 */
import { compareStrings } from '../model/compare.js';
import { componentId } from '../model/ids.js';
import type { Evidence } from '../model/schema.js';
import { matchesPatternList } from '../util/glob.js';
import { dirOf } from '../util/paths.js';
import { jsonKeyLine } from '../util/text.js';
import type { SharedState } from '../analyzer/context.js';

export type { DeclaredDependency, Workspace, WorkspacePackage, WorkspaceTool } from '../analyzer/workspace.js';
import type { DeclaredDependency, Workspace, WorkspacePackage, WorkspaceTool } from '../analyzer/workspace.js';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

const NON_PACKAGE_DIRS = /(^|\/)(test|tests|__tests__|fixtures|__fixtures__|examples?|samples?|docs|templates|e2e|testdata)(\/|$)/;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function readDependencies(text: string | undefined, manifest: Record<string, unknown>): Map<string, DeclaredDependency> {
  const deps = new Map<string, DeclaredDependency>();
  for (const field of DEP_FIELDS) {
    const block = asRecord(manifest[field]);
    if (!block) continue;
    for (const [name, range] of Object.entries(block)) {
      if (deps.has(name) || typeof range !== 'string') continue;
      deps.set(name, { range, field, line: text ? jsonKeyLine(text, name, field) : 0 });
    }
  }
  return deps;
}

export function detectWorkspace(shared: SharedState): Workspace {
  const A = 'workspace';
  const tools = new Set<WorkspaceTool>();
  const patterns: string[] = [];
  const evidence: Evidence[] = [];
  const rootManifest = shared.fileSet.has('package.json') ? asRecord(shared.json('package.json', A)) : undefined;
  const rootText = rootManifest ? shared.read('package.json', A) : undefined;

  if (rootManifest) {
    const ws = rootManifest.workspaces;
    const list = Array.isArray(ws) ? stringList(ws) : stringList(asRecord(ws)?.packages);
    if (list.length > 0) {
      patterns.push(...list);
      tools.add(shared.fileSet.has('yarn.lock') ? 'yarn' : 'npm');
      evidence.push({ file: 'package.json', line: rootText ? jsonKeyLine(rootText, 'workspaces') : 0 });
    }
  }
  if (shared.fileSet.has('pnpm-workspace.yaml')) {
    const y = shared.yaml('pnpm-workspace.yaml', A);
    const doc = (y && y.documents[0] ? y.toJS(y.documents[0]) : undefined) as { packages?: unknown } | undefined;
    const list = stringList(doc?.packages);
    if (list.length > 0) {
      patterns.push(...list);
      tools.add('pnpm');
      evidence.push({ file: 'pnpm-workspace.yaml', line: 1 });
    }
  }
  if (shared.fileSet.has('lerna.json')) {
    const lerna = asRecord(shared.json('lerna.json', A));
    const list = stringList(lerna?.packages);
    tools.add('lerna');
    evidence.push({ file: 'lerna.json', line: 1 });
    if (list.length > 0) patterns.push(...list);
  }
  if (shared.fileSet.has('turbo.json')) {
    tools.add('turbo');
    evidence.push({ file: 'turbo.json', line: 1 });
  }
  if (shared.fileSet.has('nx.json')) {
    tools.add('nx');
    evidence.push({ file: 'nx.json', line: 1 });
  }
  if (shared.fileSet.has('rush.json')) tools.add('rush');

  const byPath = new Map<string, WorkspacePackage>();
  const manifests = shared.files.filter((f) => f.endsWith('/package.json'));
  const projects = shared.files.filter((f) => f === 'project.json' || f.endsWith('/project.json'));
  const declared = patterns.length > 0;

  for (const file of manifests) {
    const dir = dirOf(file);
    if (declared ? !matchesPatternList(dir, patterns) : NON_PACKAGE_DIRS.test(dir)) continue;
    const manifest = asRecord(shared.json(file, A));
    if (!manifest) continue;
    const text = shared.read(file, A);
    const name = typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : dir;
    byPath.set(dir, {
      name,
      path: dir,
      componentId: componentId(dir),
      manifestFile: file,
      manifest,
      dependencies: readDependencies(text, manifest),
      evidence: [{ file, line: text ? Math.max(jsonKeyLine(text, 'name'), 1) : 1 }],
    });
  }
  let rootProject: { file: string; projectType?: string; name?: string } | undefined;
  for (const file of projects) {
    const dir = dirOf(file);
    if (NON_PACKAGE_DIRS.test(dir) && !byPath.has(dir)) continue;
    const project = asRecord(shared.json(file, A));
    if (!project) continue;
    tools.add('nx');
    const existing = byPath.get(dir);
    const projectType = typeof project.projectType === 'string' ? project.projectType : undefined;
    const name = typeof project.name === 'string' ? project.name : undefined;
    if (dir === '.') {
      // An Nx standalone workspace: the root project is the application.
      rootProject = { file, projectType, name };
    } else if (existing) {
      existing.projectFile = file;
      existing.projectType = projectType;
      existing.evidence.push({ file, line: 1 });
    } else {
      byPath.set(dir, {
        name: name ?? dir,
        path: dir,
        componentId: componentId(dir),
        manifest: {},
        projectFile: file,
        projectType,
        dependencies: new Map(),
        evidence: [{ file, line: 1 }],
      });
    }
  }

  // A Nest CLI monorepo (`nest-cli.json` with `monorepo: true`): apps/ and libs/ projects that
  // share the root package.json. Each is a package with the root's dependencies.
  let nestMonorepo = false;
  if (shared.fileSet.has('nest-cli.json')) {
    const cli = asRecord(shared.json('nest-cli.json', A));
    const projects = asRecord(cli?.projects);
    if (cli?.monorepo === true && projects) {
      const cliText = shared.read('nest-cli.json', A);
      for (const [name, raw] of Object.entries(projects).sort(([a], [b]) => compareStrings(a, b))) {
        const project = asRecord(raw);
        const root = typeof project?.root === 'string' ? project.root.replace(/^\.\//, '').replace(/\/+$/, '') : undefined;
        if (!root || root === '.' || root.startsWith('..') || root.startsWith('/') || byPath.has(root)) continue;
        if (!shared.files.some((f) => f.startsWith(root + '/'))) continue;
        nestMonorepo = true;
        byPath.set(root, {
          name,
          path: root,
          componentId: componentId(root),
          manifest: {},
          projectFile: 'nest-cli.json',
          projectType: project!.type === 'library' ? 'library' : 'application',
          dependencies: rootManifest ? readDependencies(rootText, rootManifest) : new Map(),
          evidence: [{ file: 'nest-cli.json', line: cliText ? Math.max(jsonKeyLine(cliText, name, 'projects'), 1) : 1 }],
        });
      }
      if (nestMonorepo) {
        tools.add('nest');
        evidence.push({ file: 'nest-cli.json', line: cliText ? Math.max(jsonKeyLine(cliText, 'monorepo'), 1) : 1 });
      }
    }
  }

  const isMonorepo = byPath.size > 0;
  // The root is a component of its own unless it only declares a workspace (or an Nx root).
  if (rootProject || (!declared && !tools.has('nx') && !nestMonorepo && (rootManifest || !isMonorepo))) {
    const manifest = rootManifest ?? {};
    const name = typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : (rootProject?.name ?? 'system');
    const evidence: Evidence[] = rootManifest ? [{ file: 'package.json', line: rootText ? Math.max(jsonKeyLine(rootText, 'name'), 1) : 1 }] : [];
    if (rootProject) evidence.push({ file: rootProject.file, line: 1 });
    byPath.set('.', {
      name,
      path: '.',
      componentId: componentId('.'),
      manifestFile: rootManifest ? 'package.json' : undefined,
      manifest,
      projectFile: rootProject?.file,
      projectType: rootProject?.projectType,
      dependencies: readDependencies(rootText, manifest),
      evidence,
    });
  }
  const packages = [...byPath.values()].sort((a, b) => compareStrings(a.path, b.path));
  return {
    tools: [...tools].sort(compareStrings),
    patterns,
    evidence,
    packages,
    rootManifest,
    isMonorepo,
  };
}
