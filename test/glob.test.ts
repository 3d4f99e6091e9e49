import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ignore from 'ignore';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/pipeline/discover.js';
import { GitIgnore, MatchBudget, matchesGlob, matchesPatternList } from '../src/util/glob.js';

const PATTERNS = [
  'node_modules',
  'dist/',
  '*.log',
  '/build',
  'src/*.ts',
  'src/**/gen',
  '**/fixtures',
  'docs/**',
  'a?c',
  '[abc].ts',
  '[a-c]x',
  '\\#hash',
  '\\!bang',
  'trailing   ',
  '# comment',
  '',
  'foo/bar/',
  '**/deep/**/x.ts',
  'a**b',
  // The cheap tests before the automaton (prefix, suffix, longest run) must not reject a match:
  // a `**/` can match no directory, so its `/` is never required.
  '**/x.log',
  'c/**/d',
  '**/*.backup.*',
  'src/**/b.ts',
  'a*b*c',
  '*s*a*',
  'x.lo?',
];
const PATHS: [string, boolean][] = [
  ['node_modules', true],
  ['pkg/node_modules', true],
  ['dist', true],
  ['dist', false],
  ['a/dist', true],
  ['x.log', false],
  ['a/b/x.log', false],
  ['build', true],
  ['a/build', true],
  ['src/a.ts', false],
  ['src/a/b.ts', false],
  ['src/gen', true],
  ['src/x/y/gen', true],
  ['fixtures', true],
  ['a/b/fixtures', true],
  ['docs/a.md', false],
  ['docs/a/b.md', false],
  ['docs', true],
  ['abc', false],
  ['a/c', false],
  ['a.ts', false],
  ['d.ts', false],
  ['bx', false],
  ['dx', false],
  ['#hash', false],
  ['!bang', false],
  ['trailing', false],
  ['foo/bar', true],
  ['foo/bar', false],
  ['deep/x.ts', false],
  ['a/deep/b/c/x.ts', false],
  ['aXYb', false],
  ['a/b', false],
  ['other.ts', false],
  ['x.backup.ts', false],
  ['e/f/x.log', false],
  ['e/f/x.backup.ts', false],
  ['c/x/y/d', false],
  ['c/d', true],
  ['src/b.ts', false],
  ['src/x/b.ts', false],
  ['abxbyc', false],
  ['as', false],
  ['sa', false],
  ['xsya', false],
  ['x.los', false],
];

describe('GitIgnore', () => {
  it('agrees with the ignore package, pattern by pattern', () => {
    for (const pattern of PATTERNS) {
      const ours = new GitIgnore(pattern);
      const theirs = ignore().add(pattern);
      for (const [p, isDir] of PATHS) {
        expect([pattern, p, isDir, ours.ignores(p, isDir)]).toEqual([pattern, p, isDir, theirs.ignores(isDir ? p + '/' : p)]);
      }
    }
  });

  it('lets the last matching rule win, negations included', () => {
    const ig = new GitIgnore('*.log\n!keep.log\nsrc/\n');
    expect(ig.ignores('a.log', false)).toBe(true);
    expect(ig.ignores('keep.log', false)).toBe(false);
    expect(ig.ignores('x/keep.log', false)).toBe(false);
    expect(ig.ignores('src', true)).toBe(true);
    expect(ig.ignores('src', false)).toBe(false);
  });

  it('reads `[!…]` as a negated class, as git does (the ignore package reads `!` as a member)', () => {
    const ig = new GitIgnore('[!abc].ts');
    expect(ig.ignores('d.ts', false)).toBe(true);
    expect(ig.ignores('src/a.ts', false)).toBe(false);
    expect(ig.ignores('!.ts', false)).toBe(true);
  });

  // Issue #21 case 6: `a*a*…b` against a name of a's backtracked exponentially in the RegExp
  // (from the hand-written translation, and from the ignore package's too): 25 a's took tens of
  // milliseconds, 60 over two minutes. Followed as an automaton it is a few thousand steps.
  it('matches a many-star pattern against a long name at once', () => {
    const ig = new GitIgnore('a*a*a*a*a*a*a*a*a*a*b');
    const name = 'a'.repeat(60) + '.ts';
    const start = process.hrtime.bigint();
    expect(ig.ignores(name, false)).toBe(false);
    expect(ig.ignores('a'.repeat(60) + 'b', false)).toBe(true);
    expect(matchesGlob(name, 'a*a*a*a*a*a*a*a*a*a*b')).toBe(false);
    expect(matchesGlob('a'.repeat(200), '**a**a**a**a**a**a**a**a**b')).toBe(false);
    // Exponential work would take minutes; the margin is huge.
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(5000);
  });

  it('skips a line too long to be a pattern, and counts it', () => {
    const ig = new GitIgnore(`x\n${'*a'.repeat(5000)}\n`);
    expect(ig.skippedLines).toEqual([2]);
    expect(ig.ignores('x', false)).toBe(true);
  });
});

describe('GitIgnore bounds (issue #21 case 6, the many-line follow-up)', () => {
  it('reads at most maxRules patterns and names the first line it skips', () => {
    const ig = new GitIgnore('# comment\na\n\nb\nc\nd\n', 2);
    expect(ig.size).toBe(2);
    expect(ig.firstUnread).toBe(5);
    expect([ig.ignores('a', false), ig.ignores('b', false), ig.ignores('c', false)]).toEqual([true, true, false]);
    expect(new GitIgnore('a\nb\n', 2).firstUnread).toBeUndefined();
  });

  it('stops matching wildcard patterns once the budget is spent; patterns without one still apply', () => {
    const budget = new MatchBudget(1000);
    const ig = new GitIgnore('*a*b*\nkeep.ts\n', Infinity, budget);
    expect(ig.ignores('xaxbx.ts', false)).toBe(true);
    for (let i = 0; i < 100 && !budget.spent; i++) ig.ignores('ab'.repeat(50) + '.ts', false);
    expect(budget.spent).toBe(true);
    expect(ig.ignores('xaxbx.ts', false)).toBe(false);
    expect(ig.ignores('keep.ts', false)).toBe(true);
  });

  it('spends no automaton steps on names the cheap tests rule out', () => {
    const budget = new MatchBudget(1_000_000);
    const ig = new GitIgnore('*.log\nnpm-debug.log*\n**/*.backup.*\nreport.[0-9]*.json\n', Infinity, budget);
    for (const name of ['src/index.ts', 'a/b/c/README.md', 'package.json']) expect(ig.ignores(name, false)).toBe(false);
    // One step for each rule's cheap tests, none for an automaton.
    expect(budget.steps).toBe(12);
  });
});

describe('workspace globs', () => {
  it('match segments, any depth, alternatives and negation', () => {
    expect(matchesGlob('apps/api', 'apps/*')).toBe(true);
    expect(matchesGlob('apps/api/x', 'apps/*')).toBe(false);
    expect(matchesGlob('packages/a/b', 'packages/**')).toBe(true);
    expect(matchesGlob('src/a.ts', '**/*.ts')).toBe(true);
    expect(matchesGlob('a.ts', '**/*.ts')).toBe(true);
    expect(matchesGlob('src/x/y/a.ts', 'src/**/*.ts')).toBe(true);
    expect(matchesGlob('src/a.ts', 'src/**/*.ts')).toBe(true);
    expect(matchesGlob('src/a.js', 'src/**/*.{ts,tsx}')).toBe(false);
    expect(matchesGlob('src/a.tsx', 'src/**/*.{ts,tsx}')).toBe(true);
    expect(matchesGlob('apps/a', './apps/*/')).toBe(true);
    expect(matchesGlob('ab', 'a?')).toBe(true);
    expect(matchesGlob('a/', 'a?')).toBe(false);
    expect(matchesGlob('a{b', 'a{b')).toBe(true);
    expect(matchesGlob('a.b', 'a.b')).toBe(true);
    expect(matchesGlob('axb', 'a.b')).toBe(false);
    expect(matchesPatternList('packages/legacy', ['packages/*', '!packages/legacy'])).toBe(false);
  });
});

describe('discover with a hostile .gitignore', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the files at once and warns about an over-long line', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-glob-'));
    fs.writeFileSync(path.join(dir, '.gitignore'), `a*a*a*a*a*a*a*a*a*a*b\n${'*'.repeat(5000)}\n*.log\n`);
    fs.writeFileSync(path.join(dir, 'a'.repeat(60) + '.ts'), '');
    fs.writeFileSync(path.join(dir, 'x.log'), '');
    const found = discover({ root: dir, include: [], exclude: ['a*a*a*a*a*a*a*a*a*a*c'] });
    expect(found.files).toEqual(['.gitignore', 'a'.repeat(60) + '.ts']);
    expect(found.warnings.map((w) => `${w.file}:${w.line}`)).toEqual(['.gitignore:2']);
  });
});
