/**
 * `archdoc check` reports a document stale when what it says changed, not when line numbers,
 * patch versions or the project's own version moved (issue #23, part 1). The four changes the
 * issue names are made to a real fixture, end to end, and each leaves the check at exit 0; a new
 * route makes it stale, named by section and item.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareDocuments, describeChanges, settle } from '../src/pipeline/staleness.js';
import { copyFixture, removeTemps, runCli } from './helpers.js';

afterEach(removeTemps);

describe('compareDocuments', () => {
  const doc = (line: number, version: string, own = '1.4.0') =>
    [
      '# shop — System architecture',
      `| Version | ${own} |`,
      '## Components',
      '### orders-api',
      `- **Version:** ${own}`,
      `- \`GET /api/orders\` ([src/routes/orders.ts:${line}](../src/routes/orders.ts#L${line}))`,
      `| Express | ^${version} | HTTP server framework | [package.json:17](../package.json#L17) |`,
    ].join('\n');

  it('is the same for the same text', () => {
    expect(compareDocuments(doc(12, '4.22.3'), doc(12, '4.22.3')).status).toBe('same');
  });

  it('sets aside moved evidence lines, counting the links', () => {
    expect(compareDocuments(doc(12, '4.22.3'), doc(13, '4.22.3'))).toMatchObject({ status: 'churn', links: 1, versions: 0 });
  });

  it('sets aside patch versions and the project version, counting them', () => {
    expect(compareDocuments(doc(12, '4.22.3'), doc(12, '4.22.4'))).toMatchObject({ status: 'churn', links: 0, versions: 1 });
    expect(compareDocuments(doc(12, '4.22.3', '1.4.0'), doc(12, '4.22.3', '2.0.0'))).toMatchObject({ status: 'churn', versions: 2 });
  });

  it('counts a minor version as a change, named by section and item', () => {
    const c = compareDocuments(doc(12, '4.22.3'), doc(12, '4.23.0'));
    expect(c.status).toBe('changed');
    expect(describeChanges(c.changes)).toEqual([
      'Components › orders-api: - Express | ^4.22.* | HTTP server framework | package.json',
      'Components › orders-api: + Express | ^4.23.* | HTTP server framework | package.json',
    ]);
  });

  it('names an added endpoint by section and item, its link reduced to the file', () => {
    const after = doc(12, '4.22.3').replace('\n| Express', '\n- `GET /health/live` ([src/routes/health.ts:4](../src/routes/health.ts#L4))\n| Express');
    const c = compareDocuments(doc(12, '4.22.3'), after);
    expect(describeChanges(c.changes)).toEqual(['Components › orders-api: + `GET /health/live` (src/routes/health.ts)']);
  });

  it('leaves links whose text does not carry the same line, and dotted numbers that are not versions', () => {
    const s = settle('[a.ts:3](a.ts#L4) 10.0.0.1 1.2 v1.2.3-rc.1 x 0.0.7');
    expect(s.lines[0]).toBe('[a.ts:3](a.ts#L4) 10.0.0.1 1.2 v1.2.*-rc.1 x 0.0.7');
  });

  it('a pre-release or image variant, and any 0.0.x release, are changes, not churn', () => {
    const one = (v: string) => `| Express | ^${v} | HTTP server framework |`;
    expect(compareDocuments(one('5.0.0-beta.3'), one('5.0.0')).status).toBe('changed');
    expect(compareDocuments('FROM node:20.11.1-alpine', 'FROM node:20.11.1-bookworm').status).toBe('changed');
    expect(compareDocuments(one('0.0.3'), one('0.0.4')).status).toBe('changed');
    expect(compareDocuments(one('0.3.1'), one('0.3.2')).status).toBe('churn');
  });

  it('reads a hostile line in one pass', () => {
    const line = `${'](#L1'.repeat(50_000)}${'#L'.repeat(50_000)}${'1.'.repeat(50_000)}`;
    expect(settle(line).lines).toHaveLength(1);
    expect(compareDocuments(line, line + 'x').status).toBe('changed');
  });
});

describe('archdoc check on changes that are not architectural', () => {
  const setUp = async () => {
    const repo = copyFixture('express-prisma-api');
    expect((await runCli([], repo)).code).toBe(0);
    expect((await runCli(['check'], repo)).code).toBe(0);
    return repo;
  };
  const edit = (repo: string, file: string, change: (text: string) => string) => {
    const abs = path.join(repo, file);
    const before = fs.readFileSync(abs, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    fs.writeFileSync(abs, after);
  };

  it('a comment line above a route moves links only: fresh, and it says how many links would refresh', async () => {
    const repo = await setUp();
    edit(repo, 'src/routes/orders.ts', (t) => `// Orders: the shop's order routes.\n${t}`);
    const r = await runCli(['check'], repo);
    expect(r.stderr).toMatch(/up to date with the architecture; a regeneration would refresh \d+ evidence links?/);
    expect(r.code).toBe(0);
    // Exact links, by flag or by config, count them.
    expect((await runCli(['check', '--exact'], repo)).code).toBe(1);
    fs.writeFileSync(path.join(repo, 'archdoc.config.json'), JSON.stringify({ check: { exact: true } }));
    const exact = await runCli(['check'], repo);
    expect(exact.code).toBe(1);
    expect(exact.stderr).toMatch(/only evidence line numbers and versions moved/);
  });

  it('npm version patch, a Dependabot patch bump and an added npm script: fresh', async () => {
    const repo = await setUp();
    edit(repo, 'package.json', (t) => t.replace('"version": "1.4.0"', '"version": "1.4.1"'));
    expect((await runCli(['check'], repo)).code).toBe(0);
    edit(repo, 'package.json', (t) => t.replace('"express": "^4.21.2"', '"express": "^4.21.3"'));
    expect((await runCli(['check'], repo)).code).toBe(0);
    edit(repo, 'package.json', (t) => t.replace('"scripts": {', '"scripts": {\n    "prepare": "husky",'));
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/would refresh .*version/);
  });

  it('a document rewritten throughout gets no line-by-line diff (its cost grows faster than the file)', async () => {
    const repo = await setUp();
    edit(repo, 'docs/ARCHITECTURE.md', (t) =>
      t
        .split('\n')
        .map((l) => `${l}\n${'junk line\n'.repeat(12)}`)
        .join(''),
    );
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/more than 5,000 lines differ: no line-by-line diff/);
    expect(r.stderr).toMatch(/more than 5000 lines changed/);
  }, 60_000);

  it('a new route is a change: stale, named by section and item, with the diff', async () => {
    const repo = await setUp();
    edit(repo, 'src/routes/health.ts', (t) => `${t}\nhealthRouter.get('/live', (_req, res) => {\n  res.json({ status: 'ok' });\n});\n`);
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/out of date with the code\. What changed:\n/);
    expect(r.stderr).toContain('\n  Components › orders-api: + `GET /health/live` (src/routes/health.ts)\n');
    expect(r.stdout).toMatch(/^\+.*\/live/m);
  });
});
