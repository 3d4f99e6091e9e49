/**
 * The file pass: each script some analyzer wants is indexed once, and its index handed to every
 * analyzer that wants it, one analyzer after the other in run order; facts merge and warnings are
 * credited in registry order. A plugin may still parse a script for itself (`ctx.sourceFile`):
 * a fresh tree on each call, its parse warnings given once per run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAnalyzer } from '../src/analyzer/define.js';
import type { FileIndex } from '../src/analysis/index-file.js';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';

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

  /** Two scanning plugins and one that parses a script itself, recording what they saw and when they ran. */
  function plugins(log: string[], indexes: Map<string, FileIndex[]>) {
    const scanner = (name: string, wants: (f: string) => boolean) =>
      defineAnalyzer({
        meta: { name, description: name, produces: ['techStack'] },
        scan(ctx) {
          return {
            wants,
            visitIndex(file, index) {
              log.push(`${name} visits ${file}`);
              indexes.set(file, [...(indexes.get(file) ?? []), index]);
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
    const parser = defineAnalyzer({
      meta: { name: 'parser', description: 'parser', produces: ['techStack'] },
      analyze(ctx) {
        log.push('parser analyses');
        const first = ctx.sourceFile('src/b.ts');
        const second = ctx.sourceFile('src/b.ts');
        log.push(`parser parsed src/b.ts twice: ${first !== undefined && second !== undefined && first !== second}`);
        ctx.sourceFile('src/c.ts');
        ctx.emit('techStack', {
          id: 'tech:demo',
          name: 'from parser',
          category: 'build',
          layer: 'tooling',
          usedBy: [],
          evidence: [{ file: 'src/b.ts', line: 1 }],
        });
      },
    });
    return [scanner('first-scan', () => true), scanner('second-scan', (f) => f !== 'src/b.ts'), parser];
  }

  async function run() {
    const log: string[] = [];
    const indexes = new Map<string, FileIndex[]>();
    const config = resolveConfig({ plugins: plugins(log, indexes) }, { cwd: root, root });
    const result = await analyse(config);
    return { log, indexes, model: result.model, timings: result.timings };
  }

  it('indexes each script once and hands the same index to every analyzer that wants it, in run order', async () => {
    const { log, indexes, timings } = await run();
    expect(indexes.get('src/a.ts')).toHaveLength(2);
    expect(indexes.get('src/a.ts')![0]).toBe(indexes.get('src/a.ts')![1]);
    expect(indexes.get('src/b.ts')).toHaveLength(1);
    expect(indexes.get('src/b.ts')![0]!.imports.get('a')).toEqual({ module: './a', name: 'a', line: 1 });
    // One analyzer after the other over every script it wants.
    expect(log.filter((l) => l.includes('visits'))).toEqual([
      'first-scan visits src/a.ts',
      'first-scan visits src/b.ts',
      'first-scan visits src/c.ts',
      'second-scan visits src/a.ts',
      'second-scan visits src/c.ts',
    ]);
    expect(timings.find((t) => t.phase === 'file pass')?.detail).toMatch(/^3 scripts, \d+ analyzers; indexes: 0 cached, 3 built$/);
    // The pass, then each analyzer in registry order.
    expect(log.slice(-4)).toEqual(['first-scan finishes', 'second-scan finishes', 'parser analyses', 'parser parsed src/b.ts twice: true']);
  });

  it('merges facts and credits a parse warning in registry order, once per file', async () => {
    const { model } = await run();
    // The first analyzer in registry order says the name.
    expect(model.techStack.find((t) => t.id === 'tech:demo')?.name).toBe('from first-scan');
    // The syntax error is given once, credited to the first analyzer in registry order that takes
    // the file's index: a built-in (imports), before the plugins.
    const syntax = model.warnings.filter((w) => w.file === 'src/c.ts' && /syntax error/.test(w.message));
    expect(syntax).toHaveLength(1);
    expect(syntax[0]!.analyzer).toBe('imports');
    expect(syntax[0]!.line).toBe(1);
  });

  it('turns a visitor that throws into a warning on that file, and every analyzer goes on with the next script', async () => {
    const seen: string[] = [];
    const thrown: string[] = [];
    const thrower = defineAnalyzer({
      meta: { name: 'thrower', description: 'thrower', produces: [] },
      scan: () => ({
        wants: () => true,
        visitIndex(file) {
          thrown.push(file);
          if (file === 'src/b.ts') throw new Error('boom');
        },
        finish() {},
      }),
    });
    const watcher = defineAnalyzer({
      meta: { name: 'watcher', description: 'watcher', produces: [] },
      scan: () => ({ wants: () => true, visitIndex: (file) => void seen.push(file), finish() {} }),
    });
    const config = resolveConfig({ plugins: [thrower, watcher] }, { cwd: root, root });
    const { model } = await analyse(config);
    expect(model.warnings.filter((w) => w.analyzer === 'thrower')).toEqual([
      { file: 'src/b.ts', line: 0, analyzer: 'thrower', message: 'thrower facts from this file are incomplete: boom' },
    ]);
    expect(thrown).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(seen).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(model.system.name).toBe('pass-demo');
  });
});
