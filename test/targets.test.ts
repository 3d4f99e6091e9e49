/** Monorepos, CI and pre-commit: targets, per-package documents, the freshness cache, --changed, CI formats. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { copyFixture, removeTemps, REPO_ROOT, runCli } from './helpers.js';

afterEach(removeTemps);

const twoTargets = {
  exclude: ['libs/'],
  targets: [
    { name: 'system', output: 'docs/ARCHITECTURE.md', document: { title: 'Fleet — system' } },
    { name: 'dispatch', root: 'apps/dispatch-api', depth: 'quick', document: { status: 'Approved' } },
  ],
};

describe('targets', () => {
  it('generates every target by default and one with --target', async () => {
    const repo = copyFixture('pnpm-nx-monorepo', twoTargets);
    const r = await runCli([], repo);
    expect(r.code).toBe(0);
    const system = fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const dispatch = fs.readFileSync(path.join(repo, 'apps', 'dispatch-api', 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(system).toContain('# Fleet — system');
    expect(system).not.toContain('`libs/reporting`');
    expect(dispatch).toContain('| Status | Approved |');
    expect(dispatch).toContain('Depth: quick');
    // Shared keys are inherited: the target's document keeps the top-level exclude.
    expect(dispatch).toContain('# @fleet/dispatch-api — System architecture');

    fs.rmSync(path.join(repo, 'docs'), { recursive: true });
    expect((await runCli(['--target', 'dispatch'], repo)).code).toBe(0);
    expect(fs.existsSync(path.join(repo, 'docs', 'ARCHITECTURE.md'))).toBe(false);
  });

  it('names the target and key in configuration errors, and unknown targets', async () => {
    const repo = copyFixture('pnpm-nx-monorepo', {
      targets: [{ name: 'system' }, { name: 'dispatch', depth: 'deep' }],
    });
    const r = await runCli([], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/`targets\["dispatch"\]\.depth`/);
    const ok = copyFixture('pnpm-nx-monorepo', twoTargets);
    const unknown = await runCli(['--target', 'nope'], ok);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no target named "nope"; the config has: system, dispatch/);
  });

  it("targets: 'workspaces' writes one document per package, linked from the system document", async () => {
    const repo = copyFixture('pnpm-nx-monorepo', { targets: 'workspaces' });
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    const system = fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(system).toContain('[@fleet/geo](../packages/geo/docs/ARCHITECTURE.md)');
    expect(system).not.toContain('@fleet/legacy');
    for (const p of [
      'apps/console',
      'apps/dispatch-api',
      'apps/telemetry-ingest',
      'packages/domain',
      'packages/geo',
      'packages/tools/fleetctl',
      'libs/reporting',
    ]) {
      expect(fs.existsSync(path.join(repo, p, 'docs', 'ARCHITECTURE.md')), p).toBe(true);
    }
    expect((await runCli(['check', '--quiet'], repo)).code).toBe(0);
  });
});

describe('freshness cache', () => {
  it('an unchanged second check does no analysis; touching one package re-analyses only its target', async () => {
    const repo = copyFixture('pnpm-nx-monorepo', twoTargets);
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    // generate records its analysis after writing, so the first check after it is already cached.
    const first = await runCli(['check', '--verbose'], repo);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/system: inputs unchanged, using the cached analysis/);
    const second = await runCli(['check', '--verbose'], repo);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/discover:/);
    expect(second.stderr).toMatch(/system: inputs unchanged, using the cached analysis/);
    expect(second.stderr).toMatch(/dispatch: inputs unchanged/);

    // A change in the console package: the system target is re-analysed, dispatch is not.
    const page = path.join(repo, 'apps', 'console', 'app', 'page.tsx');
    fs.appendFileSync(page, '\nexport const revalidate = 60;\n');
    const third = await runCli(['check', '--verbose'], repo);
    expect(third.stderr).toMatch(/archdoc: system: discover:/);
    expect(third.stderr).not.toMatch(/archdoc: dispatch: discover:/);
    expect(third.stderr).toMatch(/dispatch: inputs unchanged/);

    // A new file is noticed too (its directory's mtime changes).
    fs.writeFileSync(path.join(repo, 'apps', 'dispatch-api', 'src', 'cancel.ts'), 'export const cancel = () => true;\n');
    const fourth = await runCli(['check', '--verbose'], repo);
    expect(fourth.stderr).toMatch(/archdoc: dispatch: discover:/);
  });

  it('a stale document is reported even when the analysis comes from the cache', async () => {
    const repo = copyFixture('express-prisma-api');
    await runCli(['--quiet'], repo);
    await runCli(['check', '--quiet'], repo);
    const doc = path.join(repo, 'docs', 'ARCHITECTURE.md');
    fs.writeFileSync(doc, fs.readFileSync(doc, 'utf8').replace('| Status | Draft |', '| Status | Final |'));
    const r = await runCli(['check', '--verbose'], repo);
    expect(r.stderr).toMatch(/using the cached analysis/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^-\| Status \| Final \|$/m);
  });

  it('an untouched document is fresh without reading the cached text; one edited inside a human block is compared, then noted', async () => {
    const repo = copyFixture('express-prisma-api');
    await runCli(['--quiet'], repo);
    const cacheDir = path.join(repo, 'node_modules', '.cache', 'archdoc');
    const documents = () => fs.readdirSync(cacheDir).filter((f) => f.endsWith('.documents.json'));
    expect(documents()).toHaveLength(1);
    // Untouched since generate: the size and mtime match, so the cached text is never read
    // (it is replaced here by text of the same size that is not even JSON).
    const docsFile = path.join(cacheDir, documents()[0]!);
    const saved = fs.readFileSync(docsFile, 'utf8');
    fs.writeFileSync(docsFile, 'x'.repeat(Buffer.byteLength(saved)));
    const untouched = await runCli(['check', '--verbose'], repo);
    expect(untouched.code).toBe(0);
    expect(untouched.stderr).toMatch(/using the cached analysis/);
    fs.writeFileSync(docsFile, saved);

    // Writing inside a human block changes the file but not its freshness.
    const doc = path.join(repo, 'docs', 'ARCHITECTURE.md');
    const text = fs.readFileSync(doc, 'utf8');
    const edited = text.replace(/(<!-- archdoc:human id="overview:problem" -->\n)_TODO:[^\n]*/, '$1Orders used to be taken by phone.');
    expect(edited).not.toBe(text);
    fs.writeFileSync(doc, edited);
    const compared = await runCli(['check', '--verbose'], repo);
    expect(compared.code).toBe(0);
    expect(compared.stderr).toMatch(/using the cached analysis/);
    // The check noted the edited file as up to date: the next one does not need the cached text.
    fs.writeFileSync(docsFile, 'x'.repeat(Buffer.byteLength(saved)));
    const noted = await runCli(['check', '--verbose'], repo);
    expect(noted.code).toBe(0);
    expect(noted.stderr).toMatch(/using the cached analysis/);

    // A damaged documents file that has to be read is named, with what to do (exit 2, no crash).
    fs.writeFileSync(doc, edited.replace('Orders used to be taken by phone.', 'Orders came in by phone.'));
    const damaged = await runCli(['check'], repo);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/documents\.json is damaged .*--no-cache/);
    expect((await runCli(['check', '--no-cache'], repo)).code).toBe(0);

    // A documents file that is missing is a cache miss: the check analyses again.
    fs.rmSync(docsFile);
    const missing = await runCli(['check', '--verbose'], repo);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toMatch(/discover:/);
  });

  it('--no-cache and cache: false always analyse', async () => {
    const repo = copyFixture('express-prisma-api', { cache: false });
    await runCli(['--quiet'], repo);
    await runCli(['check', '--quiet'], repo);
    expect((await runCli(['check', '--verbose'], repo)).stderr).toMatch(/discover:/);
    expect(fs.existsSync(path.join(repo, 'node_modules', '.cache', 'archdoc'))).toBe(false);
  });
});

describe('pre-commit and CI', () => {
  it('--changed checks only the targets containing the files', async () => {
    const repo = copyFixture('pnpm-nx-monorepo', {
      targets: [
        { name: 'dispatch', root: 'apps/dispatch-api' },
        { name: 'ingest', root: 'apps/telemetry-ingest' },
      ],
    });
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    fs.appendFileSync(path.join(repo, 'apps', 'telemetry-ingest', 'package.json'), ' ');
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'apps', 'telemetry-ingest', 'package.json'), 'utf8'));
    pkg.description = 'Consumes vehicle positions';
    fs.writeFileSync(path.join(repo, 'apps', 'telemetry-ingest', 'package.json'), JSON.stringify(pkg, null, 2));
    const onlyDispatch = await runCli(['check', '--changed', 'apps/dispatch-api/src/main.ts'], repo);
    expect(onlyDispatch.code).toBe(0);
    expect(onlyDispatch.stderr).toMatch(/apps\/dispatch-api\/docs\/ARCHITECTURE\.md is up to date/);
    expect(onlyDispatch.stderr).not.toMatch(/telemetry-ingest/);
    const ingest = await runCli(['check', '--changed', 'apps/telemetry-ingest/package.json', 'README.md'], repo);
    expect(ingest.code).toBe(1);
    const none = await runCli(['check', '--changed', 'docs/notes.md'], repo);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no target contains the changed files/);
  });

  it('--format github annotates the stale file; --format json is machine-readable', async () => {
    const repo = copyFixture('express-prisma-api');
    await runCli(['--quiet'], repo);
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    manifest.description = 'Orders and invoices for the Acme shop';
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify(manifest, null, 2));
    const gh = await runCli(['check', '--format', 'github'], repo);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=docs\/ARCHITECTURE\.md,line=\d+,title=archdoc::docs\/ARCHITECTURE\.md is out of date/m);
    const json = await runCli(['check', '--format', 'json'], repo);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.targets[0]).toMatchObject({ name: 'docs/ARCHITECTURE.md', target: 'default', status: 'stale' });
    expect(parsed.targets[0].diff).toMatch(/^\+.*Orders and invoices for the Acme shop/m);
    expect(parsed.targets[0].changes).toEqual(expect.arrayContaining([expect.stringMatching(/: \+ .*Orders and invoices for the Acme shop/)]));
  });

  it('archdoc inputs prints the input globs of a target', async () => {
    const repo = copyFixture('pnpm-nx-monorepo', twoTargets);
    const r = await runCli(['inputs', '--target', 'dispatch'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['**/*', '!libs/', '!docs/ARCHITECTURE.md', '!**/node_modules/**']));
  });

  it('Prettier leaves generated documents alone', async () => {
    for (const golden of fs.readdirSync(path.join(REPO_ROOT, 'test', 'golden')).filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'test', 'golden', golden), 'utf8');
      expect(await prettier.format(text, { parser: 'markdown' }), golden).toBe(text);
    }
  });

  it('ships a pre-commit hook definition', () => {
    const hooks = fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    expect(hooks).toMatch(/id: archdoc-check/);
    expect(hooks).toMatch(/entry: archdoc check --changed/);
  });
});
