import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

describe('tech-stack: manifests, lockfile versions and tell-tale files', () => {
  let model: Model;
  beforeAll(async () => {
    const manifest = {
      name: 'orders',
      version: '1.0.0',
      dependencies: { express: '^4.19.0', pg: '^8.11.0', 'left-pad': '1.3.0' },
      devDependencies: { typescript: '~5.6.0' },
    };
    const lock = {
      name: 'orders',
      lockfileVersion: 3,
      packages: {
        '': { name: 'orders' },
        'node_modules/express': { version: '4.21.2' },
        'node_modules/typescript': { version: '5.6.3' },
        'node_modules/some-tool/node_modules/express': { version: '3.0.0' },
      },
    };
    const root = tempRepo('tech-stack', {
      'package.json': JSON.stringify(manifest, null, 2) + '\n',
      'package-lock.json': JSON.stringify(lock, null, 2),
      '.nvmrc': '20.19.0\n',
      'tsconfig.json': '{}\n',
      'src/index.ts': 'export const x = 1;\n',
      'src/db.ts': 'export const y = 2;\n',
      Dockerfile: 'FROM node:20-alpine\n',
      'infra/main.tf': 'terraform {}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
    });
    model = await analyseRepo(root);
  }, 60_000);
  afterAll(removeTemps);

  const tech = (id: string) => model.techStack.find((t) => t.id === id);

  it('takes the installed version from the hoisted lockfile entry, else the declared range', () => {
    expect(tech('tech:express')).toMatchObject({ version: '4.21.2', usedBy: ['component:.'], evidence: [{ file: 'package.json', line: 5 }] });
    expect(tech('tech:node-postgres')?.version).toBe('^8.11.0');
    expect(tech('tech:typescript')?.version).toBe('5.6.3');
  });

  it('lists only packages it knows, never an arbitrary dependency', () => {
    expect(model.techStack.some((t) => t.name === 'left-pad')).toBe(false);
  });

  it('pins the runtime from .nvmrc, and joins the language’s evidence to the package’s', () => {
    expect(tech('tech:node.js')).toMatchObject({ version: '20.19.0', evidence: [{ file: '.nvmrc', line: 1 }] });
    expect(tech('tech:typescript')?.evidence).toEqual([
      { file: 'package.json', line: 10 },
      { file: 'tsconfig.json', line: 1 },
    ]);
    expect(tech('tech:javascript')).toBeUndefined();
  });

  it('recognises the package manager and tell-tale files', () => {
    expect(tech('tech:npm')?.evidence).toEqual([{ file: 'package-lock.json', line: 0 }]);
    expect(tech('tech:docker')?.evidence).toEqual([{ file: 'Dockerfile', line: 0 }]);
    expect(tech('tech:terraform')?.evidence).toEqual([{ file: 'infra/main.tf', line: 0 }]);
    expect(tech('tech:github-actions')?.evidence).toEqual([{ file: '.github/workflows/ci.yml', line: 0 }]);
  });
});

describe('tech-stack: the workspaces are named after the package manager that installs them', () => {
  const apps = {
    'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { elysia: '^1.4.0' } }, null, 2),
    'apps/api/src/index.ts': 'export const port = 3000;\n',
    'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { astro: '^5.0.0' } }, null, 2),
    'apps/web/src/pages/index.astro': '<h1>Hello</h1>\n',
  };
  const monorepo = (name: string, files: Record<string, string>, root: Record<string, unknown> = {}) =>
    analyseRepo(tempRepo(name, { 'package.json': JSON.stringify({ name, private: true, workspaces: ['apps/*'], ...root }, null, 2), ...apps, ...files }));
  const monorepoTools = (model: Model) =>
    model.techStack
      .filter((t) => t.category === 'monorepo')
      .map((t) => `${t.name}: ${t.evidence.map((e) => e.file).join(', ')}`)
      .sort();
  afterAll(removeTemps);

  it('a `workspaces` field installed by Bun (bun.lock or bun.lockb) is Bun’s', async () => {
    expect(monorepoTools(await monorepo('bun-text', { 'bun.lock': '{\n  "lockfileVersion": 1,\n}\n' }))).toEqual(['Bun workspaces: package.json']);
    expect(monorepoTools(await monorepo('bun-binary', { 'bun.lockb': 'binary' }))).toEqual(['Bun workspaces: package.json']);
  }, 60_000);

  it('without a lockfile, the `packageManager` field names it; without either, npm', async () => {
    expect(monorepoTools(await monorepo('declared-yarn', {}, { packageManager: 'yarn@4.5.0' }))).toEqual(['Yarn workspaces: package.json']);
    expect(monorepoTools(await monorepo('no-lock', {}))).toEqual(['npm workspaces: package.json']);
  }, 60_000);

  it('beside pnpm-workspace.yaml the field is pnpm’s to ignore: pnpm workspaces and the build tool, no npm workspaces', async () => {
    const model = await monorepo(
      'pnpm-turbo',
      { 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'turbo.json': '{}\n' },
      { packageManager: 'pnpm@10.13.1', devDependencies: { turbo: '^2.5.0' } },
    );
    expect(monorepoTools(model)).toEqual(['Turborepo: package.json, turbo.json', 'pnpm workspaces: pnpm-workspace.yaml']);
  }, 60_000);
});
