/**
 * Syntax trees in the shared state: parsed once while the run shares them, let go once every
 * analyzer has run, and parsed again on demand afterwards without a second warning.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerContext, loadTypeScript, SharedState } from '../src/analyzer/context.js';
import { resolveConfig } from '../src/config/load.js';

describe('shared syntax trees', () => {
  let root: string;
  let shared: SharedState;
  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-trees-')));
    fs.writeFileSync(path.join(root, 'good.ts'), '/** Documented. @returns one */\nexport const one = () => 1;\n');
    fs.writeFileSync(path.join(root, 'broken.ts'), 'export const two = (;\n');
    await loadTypeScript();
    shared = new SharedState(root, ['broken.ts', 'good.ts'], resolveConfig({}, { cwd: root, root }));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('shares one tree per file, releases them all, and parses again without warning twice', () => {
    const a = new AnalyzerContext(shared, 'first', {});
    const b = new AnalyzerContext(shared, 'second', {});
    const good = a.sourceFile('good.ts');
    expect(good).toBeDefined();
    expect(b.sourceFile('good.ts')).toBe(good);
    expect(a.sourceFile('broken.ts')).toBeDefined();
    expect(shared.warnings.filter((w) => w.file === 'broken.ts')).toHaveLength(1);
    const warnings = shared.warnings.length;

    const released = shared.releaseTrees();
    expect(released).toBe(fs.readFileSync(path.join(root, 'good.ts'), 'utf8').length + fs.readFileSync(path.join(root, 'broken.ts'), 'utf8').length);
    expect(shared.releaseTrees()).toBe(0);

    const again = b.sourceFile('good.ts');
    expect(again).toBeDefined();
    expect(again).not.toBe(good);
    expect(again!.statements).toHaveLength(1);
    expect(b.sourceFile('broken.ts')).toBeDefined();
    expect(shared.warnings.length).toBe(warnings);
    expect(shared.warnings.filter((w) => w.file === 'broken.ts')).toHaveLength(1);
  });
});
