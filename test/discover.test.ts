import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../src/pipeline/discover.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-discover-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, text = ''): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

describe('discover', () => {
  it('applies the root .gitignore and each directory’s own, to that directory and below only', () => {
    write('.gitignore', 'coverage/\n*.log\n');
    write('package.json', '{}');
    write('debug.log');
    write('coverage/index.ts');
    write('packages/a/.gitignore', 'generated/\n*.tmp.ts\n');
    write('packages/a/src/index.ts');
    write('packages/a/src/scratch.tmp.ts');
    write('packages/a/generated/client.ts');
    write('packages/a/src/deep/.gitignore', 'local.ts\n');
    write('packages/a/src/deep/local.ts');
    write('packages/b/src/scratch.tmp.ts');
    write('packages/b/generated/client.ts');
    write('packages/b/src/local.ts');

    const found = discover({ root, include: [], exclude: [] });
    expect(found.files).toEqual([
      '.gitignore',
      'package.json',
      'packages/a/.gitignore',
      'packages/a/src/deep/.gitignore',
      'packages/a/src/index.ts',
      'packages/b/generated/client.ts',
      'packages/b/src/local.ts',
      'packages/b/src/scratch.tmp.ts',
    ]);
    expect(found.dirs).not.toContain('packages/a/generated');
    expect(found.dirs).toContain('packages/a/src/deep');
  });
});
