/** Completeness: every analyzer folder is registered, documented and has tests of its own. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinAnalyzers } from '../analyzers/index.js';
import { REPO_ROOT } from './helpers.js';

const dir = path.join(REPO_ROOT, 'analyzers');
const folders = fs
  .readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('built-in analyzers', () => {
  it('have unique names', () => {
    const names = builtinAnalyzers.map((a) => a.meta.name);
    expect(new Set(names).size).toBe(names.length);
  });
  for (const folder of folders) {
    it(`${folder}: has index.ts, a README and is registered`, async () => {
      expect(fs.existsSync(path.join(dir, folder, 'index.ts'))).toBe(true);
      expect(fs.existsSync(path.join(dir, folder, 'README.md'))).toBe(true);
      const mod = await import(/* @vite-ignore */ pathToFileURL(path.join(dir, folder, 'index.ts')).href);
      expect(builtinAnalyzers).toContain(mod.default);
      expect(mod.default.meta.description.length).toBeGreaterThan(10);
    });
    it(`${folder}: has a test of its own that runs at least one case`, () => {
      const tests = fs.readdirSync(path.join(dir, folder)).filter((f) => f.endsWith('.test.ts'));
      expect(tests, `analyzers/${folder} has no *.test.ts`).not.toEqual([]);
      const cases = tests.filter((f) => /^\s*(it|test)(\.each\([^)]*\))?\(/m.test(fs.readFileSync(path.join(dir, folder, f), 'utf8')));
      expect(cases, `no test file in analyzers/${folder} has an it() or test() case`).not.toEqual([]);
    });
  }
});
