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

  it('skips a package manager’s vendor folder (at the root, beside a module manifest) but enters a vendor folder of the sources', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-discover-vendor-'));
    try {
      const put = (rel: string, text = '') => {
        fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
        fs.writeFileSync(path.join(repo, rel), text);
      };
      put('package.json', '{}');
      put('vendor/lib/x.js');
      put('services/geo/go.mod', 'module geo\n');
      put('services/geo/vendor/modules.txt');
      put('services/geo/main.go');
      put('lib/services/vendor/infra/vendor-service.ts');
      put('lib/services/vendor/app/index.js');
      const found = discover({ root: repo, include: [], exclude: [] });
      expect(found.files).toEqual([
        'lib/services/vendor/app/index.js',
        'lib/services/vendor/infra/vendor-service.ts',
        'package.json',
        'services/geo/go.mod',
        'services/geo/main.go',
      ]);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('lets a deeper .gitignore re-include what a higher one ignores, as git does (the deepest match decides)', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-discover-negate-'));
    try {
      const put = (rel: string, text = '') => {
        fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
        fs.writeFileSync(path.join(repo, rel), text);
      };
      put('.gitignore', '*.log\nbuild/\n');
      put('root.log');
      put('logs/.gitignore', '!keep.log\n');
      put('logs/keep.log');
      put('logs/other.log');
      put('logs/deeper/.gitignore', 'keep.log\n');
      put('logs/deeper/keep.log');
      put('logs/build/out.ts');
      expect(discover({ root: repo, include: [], exclude: [] }).files).toEqual(['.gitignore', 'logs/.gitignore', 'logs/deeper/.gitignore', 'logs/keep.log']);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a *.js pattern drops what tsc writes beside its sources, not hand-written scripts with no TypeScript source (the CDK template)', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-discover-compiled-'));
    try {
      const put = (rel: string, text = '') => {
        fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
        fs.writeFileSync(path.join(repo, rel), text);
      };
      put('.gitignore', '*.d.ts\nbin/*.js\nlib/**/*.js\naws-exports.js\n');
      put('bin/app.ts');
      put('bin/app.js');
      put('lib/stack.ts');
      put('lib/stack.js');
      put('lib/stack.d.ts');
      put('lib/orders/handlers/create.js');
      put('lib/orders/handlers/create.mjs');
      put('aws-exports.js');
      expect(discover({ root: repo, include: [], exclude: [] }).files).toEqual([
        '.gitignore',
        'bin/app.ts',
        'lib/orders/handlers/create.js',
        'lib/orders/handlers/create.mjs',
        'lib/stack.ts',
      ]);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

// Issue #21 case 6, the many-line follow-up: each ignore pattern is tried against every path
// below it, so 100,000 lines `*a*b*c*d*N` and 500 names of `abab…` kept discovery running past
// 300 s. A .gitignore is read up to 1,000 patterns (10,000 in all), a pattern that cannot match a
// name by its literal start, end or longest run never reaches the automaton, and the automaton
// work of a walk is bounded.
describe('discover with a .gitignore of many patterns', () => {
  const hostile = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-discover-ignore-'));
  afterAll(() => fs.rmSync(hostile, { recursive: true, force: true }));
  const put = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(hostile, rel)), { recursive: true });
    fs.writeFileSync(path.join(hostile, rel), text);
  };

  it('reads 1,000 patterns of a 100,000-line .gitignore, and warns at the first it skips', { timeout: 30_000 }, () => {
    const root = path.join(hostile, 'lines');
    const names: string[] = [];
    for (let i = 0; i < 500; i++) names.push(`src/${'ab'.repeat(30)}${i}.ts`);
    const lines = Array.from({ length: 100_000 }, (_, i) => `*a*b*c*d*${i}`);
    // A pattern inside the cap still applies; one past it does not.
    lines[10] = 'src/*7.ts';
    lines[5000] = 'src/*8.ts';
    for (const n of names) put(`lines/${n}`);
    put('lines/.gitignore', `# generated\n${lines.join('\n')}\n`);
    const found = discover({ root, include: [], exclude: [] });
    expect(found.files).toEqual(['.gitignore', ...names.filter((n) => !n.endsWith('7.ts'))].sort());
    expect(found.warnings).toEqual([
      {
        file: '.gitignore',
        line: 1002,
        message: 'more than 1,000 patterns in one .gitignore: this pattern and the rest of the file are skipped',
        analyzer: 'discover',
      },
    ]);
  });

  it('reads 10,000 patterns over all .gitignore files, and bounds the matching work', { timeout: 30_000 }, () => {
    const root = path.join(hostile, 'nested');
    // Twelve nested files of 1,000 patterns that every name passes the cheap tests of (each letter
    // is in the name) but no name matches (`s` comes last): the automaton runs on each.
    let dir = '';
    for (let k = 0; k < 12; k++) {
      put(`nested/${dir}.gitignore`, `${Array.from({ length: 999 }, () => '*a*b*a*b*t*s*a*b*a*').join('\n')}\nkeep${k}.ts\n`);
      dir += `d${k}/`;
    }
    for (let i = 0; i < 300; i++) put(`nested/${dir}${'ab'.repeat(30)}${i}.ts`);
    put(`nested/${dir}keep0.ts`);
    const found = discover({ root, include: [], exclude: [] });
    expect(found.files).toHaveLength(12 + 300);
    expect(found.files).not.toContain(`${dir}keep0.ts`);
    expect(found.warnings.map((w) => `${w.file}:${w.line} ${w.message.replace(/ \(at .*\)/, '')}`)).toEqual([
      'd0/d1/d2/d3/d4/d5/d6/d7/d8/d9/.gitignore:1 more than 10,000 patterns in all .gitignore files: this pattern and the rest of the file are skipped',
      'd0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/.gitignore:1 more than 10,000 patterns in all .gitignore files: this pattern and the rest of the file are skipped',
      'd0/d1/d2/d3/d4/d5/d6/d7/.gitignore:0 matching ignore patterns took more than 20,000,000 steps; from there on, patterns with wildcards ignore nothing',
    ]);
  });
});
