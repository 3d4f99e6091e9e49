/** Same inputs, byte-identical output: twice in a row, and from copies at other absolute paths. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { fixturePath } from './helpers.js';

async function generateIn(dir: string): Promise<{ doc: string; model: string }> {
  const quiet = { stdout: () => {}, stderr: () => {}, cwd: dir };
  expect(await main(['--quiet'], quiet)).toBe(0);
  let model = '';
  expect(await main(['model', '--json'], { ...quiet, stdout: (s) => (model += s) })).toBe(0);
  return { doc: fs.readFileSync(path.join(dir, 'docs', 'ARCHITECTURE.md'), 'utf8'), model };
}

describe('determinism', () => {
  for (const name of ['express-prisma-api', 'npm-workspaces-shop']) {
    it(`${name}: identical bytes from two different absolute paths`, async () => {
      const a = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-a-'));
      const b = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-b-')), 'deeper', 'copy');
      try {
        fs.cpSync(fixturePath(name), a, { recursive: true });
        fs.cpSync(fixturePath(name), b, { recursive: true });
        const first = await generateIn(a);
        const second = await generateIn(b);
        expect(second.doc).toBe(first.doc);
        expect(second.model).toBe(first.model);
        // Run again in place: nothing changes.
        expect((await generateIn(a)).doc).toBe(first.doc);
        for (const out of [first.doc, first.model]) {
          expect(out).not.toContain(a);
          expect(out).not.toContain(os.tmpdir());
          expect(out).not.toMatch(/\r/);
          expect(out).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
        }
      } finally {
        fs.rmSync(a, { recursive: true, force: true });
        fs.rmSync(path.dirname(path.dirname(b)), { recursive: true, force: true });
      }
    });
  }
});
