/**
 * The index pool (src/analysis/index-pool.ts): workers build the same indexes as the main thread,
 * a run with workers gives the same model as one without, and a worker that exits or stays silent
 * hands its scripts back to the main thread with a note. Workers run built code, so the tests that
 * start real ones load archdoc from dist/ (built before the tests by `npm test`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ts from '../src/analyzer/typescript.cjs';
import { buildIndex } from '../src/analysis/index-build.js';
import { indexToJSON } from '../src/analysis/index-file.js';
import { startPool } from '../src/analysis/index-pool.js';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { builtinAnalyzers } from '../analyzers/index.js';
import { fixturePath, REPO_ROOT } from './helpers.js';

const DIST = path.join(REPO_ROOT, 'dist', 'src');
const built = fs.existsSync(path.join(DIST, 'analysis', 'index-worker.js'));

const SCRIPTS: [string, string][] = [
  ['src/a.ts', "import { Queue } from 'bullmq';\nexport const q = new Queue('emails', { connection: { host: process.env.REDIS_HOST ?? 'localhost' } });\n"],
  [
    'src/b.ts',
    "import { q } from './a';\nexport class Mailer {\n  constructor(private readonly queue = q) {}\n  send(to: string) {\n    return this.queue.add('send', { to });\n  }\n}\n",
  ],
  ['src/c.tsx', 'export const C = () => <div>{(</div>;\n'],
  ['src/d.js', "const axios = require('axios');\nmodule.exports = () => axios.get(`${process.env.API}/x`);\n"],
];

/** An index and its parse's warnings as comparable text. */
const asText = (i: { index?: Parameters<typeof indexToJSON>[0]; notes: unknown[]; error?: string }) =>
  JSON.stringify([i.index && indexToJSON(i.index), i.notes, i.error]);

describe('the index pool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-pool-'));
    await loadConfigSchema();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!built)('builds on workers the indexes the main thread builds', async () => {
    const { startPool: distPool } = (await import(
      pathToFileURL(path.join(DIST, 'analysis', 'index-pool.js')).href
    )) as typeof import('../src/analysis/index-pool.js');
    const jobs = Array.from({ length: 150 }, (_, i) => SCRIPTS[i % SCRIPTS.length]!).map(([f, t], i): [string, string] => [`${i}/${f}`, t]);
    const result = await distPool(jobs, { size: 2 }).done;
    expect(result.failed).toEqual([]);
    expect(result.notes).toEqual([]);
    expect([...result.built.keys()].sort()).toEqual(jobs.map(([f]) => f).sort());
    for (const [file, text] of jobs) expect(asText(result.built.get(file)!)).toBe(asText(buildIndex(ts, file, text).indexed));
    // Maps survive the structured clone, and the module's function is still one object.
    const a = result.built.get('0/src/a.ts')!.index!;
    expect(a.imports).toBeInstanceOf(Map);
    expect(a.functions.get(a.topLevel.key)).toBe(a.topLevel);
  });

  it.skipIf(!built)('gives the same model with workers as without, whatever their number', async () => {
    const { analyse } = (await import(pathToFileURL(path.join(DIST, 'pipeline', 'analyse.js')).href)) as typeof import('../src/pipeline/analyse.js');
    const root = fixturePath('flows-nest-shop');
    // outbound alone takes indexes and wants no tree, so that every script is the pool's to build.
    const off = Object.fromEntries(builtinAnalyzers.filter((a) => a.meta.name !== 'outbound').map((a) => [a.meta.name, { enabled: false }]));
    const config = resolveConfig({ cache: false, analyzers: off }, { cwd: root, root });
    const alone = await analyse(config, { workers: 0 });
    expect(alone.pass.pooled).toBe(0);
    for (const workers of [1, 3]) {
      const pooled = await analyse(config, { workers, poolMin: 0 });
      expect(pooled.pass.pooled).toBeGreaterThan(0);
      expect(pooled.pass.pooled + pooled.pass.built).toBe(alone.pass.built);
      expect(JSON.stringify(pooled.model)).toBe(JSON.stringify(alone.model));
    }
  });

  it('hands the scripts of a worker that exits back to the main thread, with a note', async () => {
    const crash = path.join(dir, 'crash.mjs');
    fs.writeFileSync(crash, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const pool = startPool(SCRIPTS, { size: 1, worker: pathToFileURL(crash) });
    const result = await pool.done;
    expect(result.built.size).toBe(0);
    expect(result.failed.sort()).toEqual(SCRIPTS.map(([f]) => f).sort());
    expect(result.notes).toEqual(['index worker 1 exited (code 3); its 4 script(s) are indexed on the main thread']);
  });

  it('hands the scripts of a silent worker back after the time limit; the main thread takes batches no worker took', async () => {
    const silent = path.join(dir, 'silent.mjs');
    fs.writeFileSync(silent, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\n");
    const jobs = Array.from({ length: 64 * 3 }, (_, i): [string, string] => [`src/${i}.ts`, 'export const x = 1;\n']);
    const pool = startPool(jobs, { size: 1, worker: pathToFileURL(silent), timeoutMs: 300 });
    // The worker holds two batches; the third is the caller's.
    expect(pool.take()).toHaveLength(64);
    expect(pool.take()).toBeUndefined();
    const result = await pool.done;
    expect(result.failed).toHaveLength(128);
    expect(result.notes).toEqual(['index worker 1 timed out after 300 ms; its 128 script(s) are indexed on the main thread']);
  });
});
