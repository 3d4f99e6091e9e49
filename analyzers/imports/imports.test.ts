import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Component, Model } from '../../src/model/schema.js';
import ts from '../../src/analyzer/typescript.cjs';
import fs from 'node:fs';
import path from 'node:path';
import { componentCycles, importsOf } from './graph.js';
import { moduleSpecifiers } from '../../src/analysis/specifiers.js';
import { FIXTURES } from '../../test/helpers.js';

const importsOfComponent = (c: Component | undefined) => (c?.dependsOn ?? []).filter((d) => d.kind === 'import');

describe('imports: component graph (flows-monorepo)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-monorepo');
  }, 60_000);
  const comp = (id: string) => model.components.find((c) => c.id === id);

  it('resolves workspace package-name imports (`@acme/shared`, manifest pointing at dist) to the package', () => {
    const deps = importsOfComponent(comp('component:apps/api'));
    expect(deps.map((d) => d.target)).toEqual(['component:packages/pricing', 'component:packages/shared']);
    const shared = deps.find((d) => d.target === 'component:packages/shared')!;
    // services/orders.ts and lib/queue.ts both import @acme/shared.
    expect(shared.count).toBe(2);
    expect(shared.evidence).toEqual([{ file: 'apps/api/src/lib/queue.ts', line: 2 }]);
  });

  it('resolves tsconfig path aliases (`@shared/*`) and counts every import', () => {
    const deps = importsOfComponent(comp('component:apps/worker'));
    expect(deps).toEqual([{ target: 'component:packages/shared', kind: 'import', count: 3, evidence: [{ file: 'apps/worker/src/email.ts', line: 2 }] }]);
  });

  it('reports the cycle between @acme/pricing and @acme/shared as a warning and on both components', () => {
    const w = model.warnings.filter((x) => x.analyzer === 'imports');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toBe('import cycle between components: @acme/pricing, @acme/shared import each other');
    expect(comp('component:packages/pricing')!.details?.importCycle).toEqual(['component:packages/shared']);
    expect(comp('component:packages/shared')!.details?.importCycle).toEqual(['component:packages/pricing']);
    expect(comp('component:apps/api')!.details?.importCycle).toBeUndefined();
  });

  it('keeps the workspace analyzer as the owner of name and kind (partial facts merge)', () => {
    expect(comp('component:apps/api')!.kind).toBe('service');
    expect(comp('component:apps/worker')!.kind).toBe('worker');
  });
});

describe('imports: dependency-cruiser as the engine', () => {
  it("gives the same component graph as archdoc's own resolver on flows-monorepo", async () => {
    const [own, cruised] = await Promise.all([
      analyseFixture('flows-monorepo'),
      analyseFixture('flows-monorepo', { analyzers: { imports: { options: { engine: 'dependency-cruiser' } } } }),
    ]);
    const graph = (m: Model) => m.components.map((c) => ({ id: c.id, deps: importsOfComponent(c).map((d) => [d.target, d.count]) }));
    expect(graph(cruised)).toEqual(graph(own));
    expect(graph(own).some((c) => c.deps.length > 0)).toBe(true);
  }, 60_000);
});

describe('imports: existing workspace fixture (npm-workspaces-shop)', () => {
  it('finds the storefront, API and worker importing the shared package', async () => {
    const model = await analyseFixture('npm-workspaces-shop');
    for (const app of ['api', 'web', 'worker']) {
      const deps = importsOfComponent(model.components.find((c) => c.id === `component:apps/${app}`));
      expect(
        deps.map((d) => d.target),
        app,
      ).toEqual(['component:packages/shared']);
    }
  }, 60_000);
});

describe('imports: helpers', () => {
  it('finds import specifiers with their lines, and none in comments or strings', () => {
    const text = [
      "import a from 'a';",
      'export * from "./b";',
      "const c = require('c');",
      "// import z from 'commented-out';",
      "const d = async () => (await import('./d.js')).default;",
      "import type { E } from './e';",
      "import f = require('./f');",
      'const g = \'import("./not-an-import")\';',
      'const h = require(name);',
      "const zone = config.require('zoneId');",
      "const key = cfg?.require( 'apiKey' );",
      "const i = require ( './i' );",
      "declare module 'fastify' { interface FastifyInstance { db: unknown } }",
    ].join('\n');
    expect(importsOf(ts, text)).toEqual([
      { specifier: 'a', line: 1 },
      { specifier: './b', line: 2 },
      { specifier: 'c', line: 3 },
      { specifier: './d.js', line: 5 },
      { specifier: './e', line: 6 },
      { specifier: './f', line: 7 },
      { specifier: './i', line: 12 },
    ]);
  });

  it('reads the same specifiers from a syntax tree (the index) as the scanner does, on every fixture script', () => {
    const scripts: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== 'node_modules') walk(p);
        else if (e.isFile() && /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) scripts.push(p);
      }
    };
    walk(FIXTURES);
    expect(scripts.length).toBeGreaterThan(200);
    let compared = 0;
    for (const file of scripts) {
      const text = fs.readFileSync(file, 'utf8');
      if (text.length > 200_000) continue;
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      expect(
        moduleSpecifiers(sf).map(({ specifier, line }) => ({ specifier, line })),
        path.relative(FIXTURES, file),
      ).toEqual(importsOf(ts, text));
      compared++;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('finds cycles of any length and ignores acyclic edges', () => {
    const e = (from: string, to: string) => ({ from, to, count: 1, example: { file: 'x', line: 1 }, specifier: 'x' });
    expect(componentCycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd'), e('x', 'y'), e('y', 'x')])).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
    expect(componentCycles([e('a', 'b'), e('b', 'c')])).toEqual([]);
  });
});
