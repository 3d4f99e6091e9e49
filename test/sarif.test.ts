/**
 * `check --format sarif` (issue #23, part 3b): SARIF 2.1.0 that GitHub code scanning takes, with
 * rules and fingerprints. The shape is checked here against what the SARIF 2.1.0 schema requires
 * (no network: the properties are checked one by one), plus what GitHub's upload needs: relative
 * URIs and a start line on every result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SARIF_SCHEMA } from '../src/pipeline/sarif.js';
import { copyFixture, removeTemps, runCli, tinyApiRepo } from './helpers.js';

beforeEach(() => {
  for (const name of ['GITHUB_WORKSPACE', 'GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT']) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  removeTemps();
});

interface Log {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties?: Record<string, unknown> }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const LEVELS = ['none', 'note', 'warning', 'error'];

/** The properties SARIF 2.1.0 requires (sarifLog: version, runs; run: tool; tool: driver; driver: name; message: text…) and GitHub's upload needs. */
function expectSarif(text: string): Log {
  const log = JSON.parse(text) as Log;
  expect(Object.keys(log).sort()).toEqual(['$schema', 'runs', 'version']);
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toBe(SARIF_SCHEMA);
  expect(log.$schema).toMatch(/^https:\/\/.*sarif-schema-2\.1\.0\.json$/);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  const driver = run.tool.driver;
  expect(driver.name).toBe('archdoc');
  expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(() => new URL(driver.informationUri)).not.toThrow();
  const ids = driver.rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of driver.rules) {
    expect(r.id).toMatch(/^archdoc\/[a-z0-9/-]+$/);
    expect(r.shortDescription.text.length).toBeGreaterThan(0);
    expect(LEVELS).toContain(r.defaultConfiguration.level);
    if (r.properties?.['security-severity'] !== undefined) expect(Number(r.properties['security-severity'])).toBeGreaterThan(0);
  }
  expect(Array.isArray(run.results)).toBe(true);
  for (const res of run.results) {
    expect(ids).toContain(res.ruleId);
    expect(driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(LEVELS).toContain(res.level);
    expect(typeof res.message.text).toBe('string');
    expect(res.message.text.length).toBeGreaterThan(0);
    expect(res.locations.length).toBeGreaterThan(0);
    for (const l of res.locations) {
      const { uri, uriBaseId } = l.physicalLocation.artifactLocation;
      expect(uri).not.toMatch(/^[a-z]+:|^\//);
      expect(uri).not.toMatch(/(^|\/)\.\.(\/|$)/);
      expect(() => new URL(uri, 'file:///repo/')).not.toThrow();
      expect(uriBaseId).toBe('%SRCROOT%');
      expect(Number.isInteger(l.physicalLocation.region.startLine)).toBe(true);
      expect(l.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(res.partialFingerprints).length).toBeGreaterThan(0);
    for (const v of Object.values(res.partialFingerprints)) expect(v).toMatch(/^[0-9a-f]{32}$/);
  }
  return log;
}

const lineOf = (file: string, text: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;
const byRule = (log: Log, rule: string) => log.runs[0]!.results.filter((r) => r.ruleId === rule);
const where = (r: Log['runs'][0]['results'][0]) =>
  `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;

describe('check --format sarif', () => {
  it('reports security findings as SARIF 2.1.0 with rules, levels and GitHub security severities; stdout holds the log only', async () => {
    const repo = copyFixture('risky-api');
    await runCli(['--quiet'], repo);
    const r = await runCli(['check', '--format', 'sarif'], repo);
    expect(r.code).toBe(0);
    const log = expectSarif(r.stdout);
    const alg = byRule(log, 'archdoc/security/jwt-alg-none');
    expect(alg.map(where)).toEqual([`src/auth.js:${lineOf(path.join(repo, 'src/auth.js'), "'none'")}`]);
    expect(alg[0]).toMatchObject({ level: 'error', message: { text: 'JWT algorithm "none" accepted or used (unsigned tokens)' } });
    expect(byRule(log, 'archdoc/security/bcrypt-cost')[0]).toMatchObject({ level: 'note' });
    const rule = log.runs[0]!.tool.driver.rules.find((x) => x.id === 'archdoc/security/jwt-alg-none')!;
    expect(rule.properties).toMatchObject({ tags: ['security'], 'security-severity': '8.0' });
    expect(r.stderr).toBe('');
  });

  it('is the same bytes run after run, and its fingerprints survive lines moving', async () => {
    const repo = copyFixture('risky-api');
    await runCli(['--quiet'], repo);
    const first = (await runCli(['check', '--format', 'sarif'], repo)).stdout;
    expect((await runCli(['check', '--format', 'sarif'], repo)).stdout).toBe(first);
    const auth = path.join(repo, 'src/auth.js');
    const line = lineOf(auth, "'none'");
    fs.writeFileSync(auth, `// Authentication routes.\n${fs.readFileSync(auth, 'utf8')}`);
    const moved = await runCli(['check', '--format', 'sarif'], repo);
    expect(moved.code).toBe(0); // only evidence lines moved: the document is fresh
    const before = expectSarif(first).runs[0]!.results;
    const after = expectSarif(moved.stdout).runs[0]!.results;
    const prints = (rs: typeof before) => rs.map((x) => x.partialFingerprints['archdoc/v1']).sort();
    expect(prints(after)).toEqual(prints(before));
    const alg = (rs: typeof before) => rs.find((x) => x.ruleId === 'archdoc/security/jwt-alg-none')!;
    expect(where(alg(after))).toBe(`src/auth.js:${line + 1}`);
    expect(alg(after).partialFingerprints).toEqual(alg(before).partialFingerprints);
  });

  it('a stale document: the document and each change at the new code behind it; exit 1', async () => {
    const repo = copyFixture('express-prisma-api');
    await runCli(['--quiet'], repo);
    const health = path.join(repo, 'src/routes/health.ts');
    fs.appendFileSync(health, `\nhealthRouter.get('/live', (_req, res) => {\n  res.json({ status: 'ok' });\n});\n`);
    const r = await runCli(['check', '--format', 'sarif'], repo);
    expect(r.code).toBe(1);
    const log = expectSarif(r.stdout);
    expect(byRule(log, 'archdoc/stale-document')).toEqual([
      expect.objectContaining({ level: 'error', message: { text: expect.stringMatching(/^docs\/ARCHITECTURE\.md is out of date with the code\./) } }),
    ]);
    const line =
      fs
        .readFileSync(health, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes("'/live'")) + 1;
    const changed = byRule(log, 'archdoc/changed-fact');
    expect(changed.map(where)).toContain(`src/routes/health.ts:${line}`);
    expect(changed.map((c) => c.message.text)).toContain(
      'docs/ARCHITECTURE.md does not show this code yet: Components › orders-api: + `GET /health/live` (src/routes/health.ts)',
    );
    expect(changed.every((c) => where(c).startsWith('src/routes/health.ts:'))).toBe(true);
  });

  it('an analyzer warning is a note at its file and line; a missing document is an error', async () => {
    const repo = tinyApiRepo({ 'src/broken.ts': 'export const = ;\n' });
    const r = await runCli(['check', '--format', 'sarif'], repo);
    expect(r.code).toBe(1);
    const log = expectSarif(r.stdout);
    expect(byRule(log, 'archdoc/missing-document').map(where)).toEqual(['docs/ARCHITECTURE.md:1']);
    const warnings = byRule(log, 'archdoc/analysis-warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.level === 'note' && where(w).startsWith('src/broken.ts:'))).toBe(true);
  });

  it('with no target affected by --changed: an empty run', async () => {
    const repo = tinyApiRepo();
    const r = await runCli(['check', '--format', 'sarif', '--changed', path.join(path.dirname(repo), 'elsewhere.md')], repo);
    expect(r.code).toBe(0);
    expect(expectSarif(r.stdout).runs[0]!.results).toEqual([]);
  });
});
