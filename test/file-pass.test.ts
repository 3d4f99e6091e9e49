/**
 * The file pass: every script is parsed once and its tree handed to each analyzer that wants it,
 * in registry order. A large repository runs lean (the analyzers that hold trees first, then the
 * pass with no tree kept): the model must be the same as a normal run's, fact for fact and
 * warning for warning.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ts } from 'ts-morph';
import { defineAnalyzer } from '../src/analyzer/define.js';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { analyseFixture, FIXTURES } from './helpers.js';

describe('the file pass', () => {
  let root: string;
  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-pass-')));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'pass-demo', version: '1.0.0' }));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'src', 'b.ts'), "import { a } from './a';\nexport const b = a + 1;\n");
    fs.writeFileSync(path.join(root, 'src', 'c.ts'), 'export const c = (;\n');
    await loadConfigSchema();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Two scanning plugins and one that holds trees, recording what they saw and when they ran. */
  function plugins(log: string[], trees: Map<string, ts.SourceFile[]>) {
    const scanner = (name: string, wants: (f: string) => boolean) =>
      defineAnalyzer({
        meta: { name, description: name, produces: ['techStack'] },
        scan(ctx) {
          return {
            wants,
            visit(file, sf) {
              log.push(`${name} visits ${file}`);
              trees.set(file, [...(trees.get(file) ?? []), sf]);
            },
            finish() {
              log.push(`${name} finishes`);
              ctx.emit('techStack', {
                id: 'tech:demo',
                name: `from ${name}`,
                category: 'build',
                layer: 'tooling',
                usedBy: [],
                evidence: [{ file: 'src/a.ts', line: 1 }],
              });
            },
          };
        },
      });
    const holder = defineAnalyzer({
      meta: { name: 'holder', description: 'holder', produces: ['techStack'], holdsTrees: true },
      analyze(ctx) {
        log.push('holder analyses');
        ctx.sourceFile('src/c.ts');
        ctx.emit('techStack', {
          id: 'tech:demo',
          name: 'from holder',
          category: 'build',
          layer: 'tooling',
          usedBy: [],
          evidence: [{ file: 'src/b.ts', line: 1 }],
        });
      },
    });
    return [scanner('first-scan', () => true), scanner('second-scan', (f) => f !== 'src/b.ts'), holder];
  }

  async function run(leanBytes?: number) {
    const log: string[] = [];
    const trees = new Map<string, ts.SourceFile[]>();
    const config = resolveConfig({ plugins: plugins(log, trees) }, { cwd: root, root });
    const result = await analyse(config, { leanBytes });
    return { log, trees, model: result.model, timings: result.timings };
  }

  it('parses each script once and hands the same tree to every analyzer that wants it, in registry order', async () => {
    const { log, trees, timings } = await run();
    expect(trees.get('src/a.ts')).toHaveLength(2);
    expect(trees.get('src/a.ts')![0]).toBe(trees.get('src/a.ts')![1]);
    expect(trees.get('src/b.ts')).toHaveLength(1);
    // Trees are shared: one analyzer after the other over every script.
    expect(log.filter((l) => l.includes('visits'))).toEqual([
      'first-scan visits src/a.ts',
      'first-scan visits src/b.ts',
      'first-scan visits src/c.ts',
      'second-scan visits src/a.ts',
      'second-scan visits src/c.ts',
    ]);
    expect(timings.find((t) => t.phase === 'file pass')?.detail).toMatch(/^3 scripts, \d+ analyzers; 3 indexes: 0 cached, 3 built$/);
    // Normal order: the pass, then each analyzer in registry order.
    expect(log.slice(-3)).toEqual(['first-scan finishes', 'second-scan finishes', 'holder analyses']);
  });

  it('runs an analyzer that holds trees before the pass when lean, yet merges facts and credits warnings in registry order', async () => {
    const normal = await run();
    const lean = await run(0);
    expect(lean.log[0]).toBe('holder analyses');
    // No tree is kept: each script through every analyzer that wants it, then the next script.
    expect(lean.log.filter((l) => l.includes('visits'))).toEqual([
      'first-scan visits src/a.ts',
      'second-scan visits src/a.ts',
      'first-scan visits src/b.ts',
      'first-scan visits src/c.ts',
      'second-scan visits src/c.ts',
    ]);
    expect(lean.trees.get('src/a.ts')![0]).toBe(lean.trees.get('src/a.ts')![1]);
    expect(lean.log.indexOf('holder analyses')).toBeLessThan(lean.log.indexOf('first-scan visits src/a.ts'));
    // The first analyzer in registry order says the name, whichever ran first.
    expect(lean.model.techStack.find((t) => t.id === 'tech:demo')?.name).toBe('from first-scan');
    expect(normal.model.techStack.find((t) => t.id === 'tech:demo')?.name).toBe('from first-scan');
    // The syntax error is credited to the analyzer that reads the file first in registry order.
    const syntax = (m: typeof normal.model) => m.warnings.filter((w) => w.file === 'src/c.ts' && /syntax error/.test(w.message));
    expect(syntax(lean.model)).toHaveLength(1);
    expect(syntax(lean.model)).toEqual(syntax(normal.model));
    expect(lean.model).toEqual(normal.model);
  });

  it('turns a visitor that throws into a warning on that file, and every analyzer goes on with the next script', async () => {
    for (const leanBytes of [undefined, 0]) {
      const seen: string[] = [];
      const thrown: string[] = [];
      const thrower = defineAnalyzer({
        meta: { name: 'thrower', description: 'thrower', produces: [] },
        scan: () => ({
          wants: () => true,
          visit(file) {
            thrown.push(file);
            if (file === 'src/b.ts') throw new Error('boom');
          },
          finish() {},
        }),
      });
      const watcher = defineAnalyzer({
        meta: { name: 'watcher', description: 'watcher', produces: [] },
        scan: () => ({ wants: () => true, visit: (file) => void seen.push(file), finish() {} }),
      });
      const config = resolveConfig({ plugins: [thrower, watcher] }, { cwd: root, root });
      const { model } = await analyse(config, { leanBytes });
      expect(model.warnings.filter((w) => w.analyzer === 'thrower')).toEqual([
        { file: 'src/b.ts', line: 0, analyzer: 'thrower', message: 'thrower facts from this file are incomplete: boom' },
      ]);
      expect(thrown).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
      expect(seen).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
      expect(model.system.name).toBe('pass-demo');
    }
  });

  it('gives every fixture the same model lean as normal', async () => {
    const fixtures = fs
      .readdirSync(FIXTURES)
      .filter((f) => fs.statSync(path.join(FIXTURES, f)).isDirectory())
      .sort();
    expect(fixtures.length).toBeGreaterThan(20);
    for (const name of fixtures) {
      const normal = await analyseFixture(name);
      const lean = await analyseFixture(name, {}, { leanBytes: 0 });
      expect({ name, model: lean }).toEqual({ name, model: normal });
    }
  }, 240_000);
});
