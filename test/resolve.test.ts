/**
 * The run's one module resolver (`ctx.resolveImport`), on a small monorepo written to a temporary
 * directory: every form of specifier it claims to understand, and the ones it must leave alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerContext, SharedState } from '../src/analyzer/context.js';
import { resolveConfig } from '../src/config/load.js';
import { discover } from '../src/pipeline/discover.js';
import { detectWorkspace } from '../src/pipeline/workspace.js';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*', 'packages/*'] }),
  'tsconfig.base.json':
    '{\n  // comments and trailing commas, as tsconfig allows\n  "compilerOptions": { "baseUrl": ".", "paths": { "@shop/util/*": ["packages/util/src/*"], }, },\n}\n',
  'apps/api/package.json': JSON.stringify({
    name: '@shop/api',
    imports: { '#db': './src/db/index.ts', '#lib/*': { types: './src/lib/*.ts', default: './dist/lib/*.js' } },
  }),
  'apps/api/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { baseUrl: '.', paths: { '~/*': ['src/*'] } } }),
  'apps/api/src/main.ts': "import { db } from '#db';\n",
  'apps/api/src/db/index.ts': 'export const db = {};\n',
  'apps/api/src/lib/clock.ts': 'export const now = () => 0;\n',
  'apps/api/src/routes/orders.ts': 'export const orders = [];\n',
  'apps/api/src/routes/index.ts': "export * from './orders.js';\n",
  'apps/api/src/config.ts': 'export const config = {};\n',
  'packages/contracts/package.json': JSON.stringify({
    name: '@shop/contracts',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './events/*': './dist/events/*.js' },
  }),
  'packages/contracts/src/index.ts': 'export type Order = { id: string };\n',
  'packages/contracts/src/events/order-placed.ts': 'export const ORDER_PLACED = "order.placed";\n',
  'packages/util/package.json': JSON.stringify({ name: '@shop/util', main: 'lib/index.js' }),
  'packages/util/src/index.ts': 'export const id = () => "x";\n',
  'packages/util/src/strings.ts': 'export const slug = (s: string) => s;\n',
};

describe('module resolution (ctx.resolveImport)', () => {
  let root: string;
  let ctx: AnalyzerContext;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-resolve-'));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const config = resolveConfig({}, { cwd: root, root });
    const shared = new SharedState(fs.realpathSync(root), discover({ root, include: [], exclude: [], skip: [], skipDirs: [] }).files, config);
    shared.workspace = detectWorkspace(shared);
    ctx = new AnalyzerContext(shared, 'test', {});
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const from = 'apps/api/src/main.ts';
  it.each([
    ['./routes/orders.js', 'apps/api/src/routes/orders.ts', 'a .js specifier meaning the .ts source'],
    ['./routes', 'apps/api/src/routes/index.ts', "a directory's index"],
    ['#db', 'apps/api/src/db/index.ts', 'a package import'],
    ['#lib/clock', 'apps/api/src/lib/clock.ts', 'a package import pattern with conditions'],
    ['~/config', 'apps/api/src/config.ts', "the package's own tsconfig paths"],
    ['@shop/util/strings', 'packages/util/src/strings.ts', 'the root tsconfig paths (comments and trailing commas)'],
    ['@shop/util', 'packages/util/src/index.ts', 'a workspace package whose main points at build output'],
    ['@shop/contracts', 'packages/contracts/src/index.ts', "a workspace package's exports conditions, mapped from dist to src"],
    ['@shop/contracts/events/order-placed', 'packages/contracts/src/events/order-placed.ts', 'an exports subpath pattern'],
    ['src/config', 'apps/api/src/config.ts', 'baseUrl'],
  ])('%s → %s (%s)', (specifier, file) => {
    expect(ctx.resolveImport(from, specifier)).toBe(file);
  });

  it.each([['express'], ['node:fs'], ['#missing'], ['./nowhere'], ['@shop/unknown']])('leaves %s unresolved', (specifier) => {
    expect(ctx.resolveImport(from, specifier)).toBeUndefined();
  });

  it('names the workspace package a bare specifier belongs to', () => {
    expect(ctx.packageNamed('@shop/contracts/events/x')?.name).toBe('@shop/contracts');
    expect(ctx.packageNamed('express')).toBeUndefined();
  });
});
