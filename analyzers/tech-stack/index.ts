/**
 * tech-stack: languages, runtimes, frameworks, data clients, messaging, observability, build and
 * test tools from manifests, lockfiles and tell-tale files, with versions (installed version from
 * the lockfile when there is one, else the declared range).
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { idOf, slug } from '../../src/model/ids.js';
import type { Evidence, Tech } from '../../src/model/schema.js';
import { findLine, jsonKeyLine } from '../../src/util/text.js';
import { FILE_SIGNALS, PACKAGES, type CatalogueEntry } from '../../src/data/tech-catalogue.js';
import { lockedVersions } from '../../src/analysis/lockfile.js';
import { componentManifests } from './components.js';

/** Package managers as their names are written. */
const WORKSPACE_MANAGERS: Record<string, string> = { npm: 'npm', yarn: 'Yarn', pnpm: 'pnpm', bun: 'Bun' };

/**
 * The package manager that reads a root `workspaces` field: the one whose lockfile the repository
 * has, else the one its `packageManager` field names (`pnpm@10.13.1`).
 */
function fieldManager(lockManager: string | undefined, root: Record<string, unknown> | undefined): string | undefined {
  if (lockManager) return lockManager;
  const declared = typeof root?.packageManager === 'string' ? root.packageManager.split('@')[0]!.trim() : '';
  return WORKSPACE_MANAGERS[declared] ? declared : undefined;
}

/** Strip range operators so a reader sees `4.19` rather than `^4.19.2`-style noise twice. */
function cleanRange(range: string): string {
  return range.replace(/^workspace:/, '').trim();
}

export default defineAnalyzer({
  meta: {
    name: 'tech-stack',
    description: 'Languages, runtimes, frameworks and tools from manifests, lockfiles and tell-tale files',
    produces: ['techStack'],
    // The link phase reads each settled component's own manifests and language, and gives it their technologies.
    consumes: ['components.settled'],
    provides: ['techStack.components'],
    amends: ['techStack', 'components'],
  },
  analyze(ctx) {
    const techs = new Map<string, Tech>();
    const add = (entry: CatalogueEntry, evidence: Evidence[], usedBy: string[], version?: string) => {
      const id = idOf.tech(slug(entry.name));
      const prev = techs.get(id);
      if (prev) {
        prev.evidence.push(...evidence);
        prev.usedBy.push(...usedBy);
        prev.version ??= version;
        return;
      }
      const t: Tech = {
        id,
        name: entry.name,
        category: entry.category,
        layer: entry.layer,
        purpose: entry.purpose,
        usedBy: [...usedBy],
        evidence: [...evidence],
      };
      if (version) t.version = version;
      techs.set(id, t);
    };

    const lock = lockedVersions(ctx);
    for (const pkg of ctx.workspace.packages) {
      for (const [dep, info] of pkg.dependencies) {
        const entry = PACKAGES[dep];
        if (!entry) continue;
        const version = lock.versions.get(dep) ?? cleanRange(info.range);
        add(entry, pkg.manifestFile ? [{ file: pkg.manifestFile, line: info.line }] : [], [pkg.componentId], version);
      }
    }
    // Root manifest tooling (a monorepo root is not a component, but its tools are the system's).
    const root = ctx.workspace.rootManifest;
    if (root && ctx.workspace.isMonorepo) {
      const text = ctx.read('package.json') ?? '';
      for (const field of ['dependencies', 'devDependencies'] as const) {
        const block = root[field];
        if (typeof block !== 'object' || block === null) continue;
        for (const [dep, range] of Object.entries(block as Record<string, unknown>)) {
          const entry = PACKAGES[dep];
          if (!entry || typeof range !== 'string') continue;
          add(entry, [{ file: 'package.json', line: jsonKeyLine(text, dep, field) }], [], lock.versions.get(dep) ?? cleanRange(range));
        }
      }
    }

    // Languages.
    const scripts = ctx.typescriptFiles();
    const tsFiles = scripts.filter((f) => /\.[cm]?tsx?$/.test(f));
    const tsconfig = ctx.files.find((f) => f === 'tsconfig.json') ?? ctx.files.find((f) => f.endsWith('/tsconfig.json'));
    if (tsFiles.length > 0 || tsconfig) {
      add(
        { name: 'TypeScript', category: 'language', layer: 'backend', purpose: `Primary language (${tsFiles.length} source files)` },
        [{ file: tsconfig ?? tsFiles[0]!, line: tsconfig ? 1 : 1 }],
        [],
        lock.versions.get('typescript'),
      );
    }
    const jsFiles = scripts.filter((f) => /\.[cm]?jsx?$/.test(f));
    if (jsFiles.length > 0 && jsFiles.length >= tsFiles.length) {
      add(
        { name: 'JavaScript', category: 'language', layer: 'backend', purpose: `Language (${jsFiles.length} source files)` },
        [{ file: jsFiles[0]!, line: 1 }],
        [],
      );
    }

    // Runtime: Node.js, with the version the repository pins.
    if (ctx.workspace.packages.some((p) => p.manifestFile)) {
      let version: string | undefined;
      let evidence: Evidence | undefined;
      for (const f of ['.nvmrc', '.node-version']) {
        if (ctx.has(f)) {
          version = ctx.read(f)?.trim().split('\n')[0];
          evidence = { file: f, line: 1 };
          break;
        }
      }
      const engines = root?.engines as Record<string, unknown> | undefined;
      if (!version && typeof engines?.node === 'string') {
        version = engines.node;
        evidence = { file: 'package.json', line: findLine(ctx.read('package.json') ?? '', '"node"') };
      }
      add(
        { name: 'Node.js', category: 'runtime', layer: 'backend', purpose: 'JavaScript runtime' },
        [evidence ?? { file: ctx.workspace.packages.find((p) => p.manifestFile)!.manifestFile!, line: 1 }],
        [],
        version,
      );
    }

    // Package manager and monorepo tooling.
    if (lock.manager && lock.file) {
      add({ name: lock.manager, category: 'package-manager', layer: 'tooling', purpose: 'Package manager' }, [{ file: lock.file, line: 0 }], []);
    }
    // Workspaces the package manager declares (a `workspaces` field, pnpm-workspace.yaml): nested
    // package.json files found without one are separate packages, not a monorepo tool's.
    const workspaces = (manager: string): CatalogueEntry => ({
      name: `${WORKSPACE_MANAGERS[manager] ?? manager} workspaces`,
      category: 'monorepo',
      layer: 'tooling',
      purpose: 'Workspace packages',
    });
    const toolEntries: Record<string, [CatalogueEntry, file: string]> = {
      nx: [PACKAGES.nx!, 'nx.json'],
      turbo: [PACKAGES.turbo!, 'turbo.json'],
      lerna: [PACKAGES.lerna!, 'lerna.json'],
      // The `workspaces` field is read by npm, Yarn and Bun alike (the pipeline says npm, or Yarn
      // beside a yarn.lock): the workspaces are the package manager's the repository installs with.
      npm: [workspaces(fieldManager(lock.manager, root) ?? 'npm'), 'package.json'],
      yarn: [workspaces(fieldManager(lock.manager, root) ?? 'yarn'), 'package.json'],
      pnpm: [workspaces('pnpm'), 'pnpm-workspace.yaml'],
    };
    const tools = ctx.workspace.tools;
    // pnpm reads pnpm-workspace.yaml, not the field: a field beside it is no workspace of its own.
    const fieldIgnored = tools.includes('pnpm') && fieldManager(lock.manager, root) === 'pnpm';
    for (const tool of tools) {
      const known = toolEntries[tool];
      if (known && !(fieldIgnored && known[1] === 'package.json'))
        add(
          known[0],
          ctx.workspace.evidence.filter((e) => e.file === known[1]),
          [],
        );
    }

    // Tell-tale files.
    for (const { test, entry } of FILE_SIGNALS) {
      const matches = ctx.files.filter((f) => test.test(f));
      if (matches.length === 0) continue;
      add(
        entry,
        matches.slice(0, 3).map((file) => ({ file, line: 0 })),
        [],
      );
    }

    for (const t of techs.values()) ctx.emit('techStack', t);
  },
  link(model, ctx) {
    componentManifests(model, ctx);
    ctx.provide('techStack.components', model.techStack);
  },
});
