import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Component, Model } from '../../src/model/schema.js';
import { componentCycles, specifiersOf } from './graph.js';

const importsOf = (c: Component | undefined) => (c?.dependsOn ?? []).filter((d) => d.kind === 'import');

describe('imports: component graph (flows-monorepo)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-monorepo');
  }, 60_000);
  const comp = (id: string) => model.components.find((c) => c.id === id);

  it('resolves workspace package-name imports (`@acme/shared`, manifest pointing at dist) to the package', () => {
    const deps = importsOf(comp('component:apps/api'));
    expect(deps.map((d) => d.target)).toEqual(['component:packages/pricing', 'component:packages/shared']);
    const shared = deps.find((d) => d.target === 'component:packages/shared')!;
    // services/orders.ts and lib/queue.ts both import @acme/shared.
    expect(shared.count).toBe(2);
    expect(shared.evidence).toEqual([{ file: 'apps/api/src/lib/queue.ts', line: 2 }]);
  });

  it('resolves tsconfig path aliases (`@shared/*`) and counts every import', () => {
    const deps = importsOf(comp('component:apps/worker'));
    expect(deps).toEqual([
      { target: 'component:packages/shared', kind: 'import', count: 3, evidence: [{ file: 'apps/worker/src/email.ts', line: 2 }] },
    ]);
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

describe('imports: existing workspace fixture (npm-workspaces-shop)', () => {
  it('finds the storefront, API and worker importing the shared package', async () => {
    const model = await analyseFixture('npm-workspaces-shop');
    for (const app of ['api', 'web', 'worker']) {
      const deps = importsOf(model.components.find((c) => c.id === `component:apps/${app}`));
      expect(deps.map((d) => d.target), app).toEqual(['component:packages/shared']);
    }
  }, 60_000);
});

describe('imports: helpers', () => {
  it('finds import specifiers with their lines', () => {
    const text = "import a from 'a';\nexport * from \"./b\";\nconst c = require('c');\nconst d = await import('./d.js');\n";
    expect(specifiersOf(text)).toEqual([
      { specifier: 'a', line: 1 },
      { specifier: './b', line: 2 },
      { specifier: 'c', line: 3 },
      { specifier: './d.js', line: 4 },
    ]);
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
