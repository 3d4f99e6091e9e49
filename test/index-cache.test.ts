/**
 * The index cache (src/pipeline/index-cache.ts): a second run takes every unchanged script's index
 * from the cache and builds exactly those whose text changed, with the same model as a run without
 * a cache (parse warnings included); a pack written by another archdoc, a damaged or truncated one
 * is ignored with a note, never trusted and never a crash; no pack is written through a link that
 * leads out of the root.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse, type AnalyseOptions } from '../src/pipeline/analyse.js';
import { copyFixture, removeTemps, runCli, tempRepo, trackTemp } from './helpers.js';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', dependencies: { express: '^4.19.2', pg: '^8.11.0', axios: '^1.6.0' } }),
  'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n",
  'src/config.ts': "export const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://payments.example.com';\n",
  'src/payments.ts':
    "import axios from 'axios';\nimport { PAYMENTS_URL } from './config';\nexport const charge = (id: string) => axios.post(`${PAYMENTS_URL}/charges`, { id });\n",
  'src/server.ts':
    "import express from 'express';\nimport { pool } from './db';\nconst app = express();\napp.get('/orders', async (_req, res) => res.json(await pool.query('select * from orders')));\napp.listen(3000);\n",
  'src/broken.ts': 'export const broken = (;\n',
  'node_modules/.keep': '',
};

let notes: string[] = [];

async function run(root: string, config: Record<string, unknown> = {}, opts: AnalyseOptions = {}) {
  const result = await analyse(resolveConfig(config, { cwd: root, root }), { onNote: (n) => notes.push(n), ...opts });
  return { model: JSON.stringify(result.model), pass: result.pass };
}

const packOf = (root: string) => {
  const dir = path.join(root, 'node_modules', '.cache', 'archdoc');
  const packs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.index.v8')) : [];
  return packs.map((f) => path.join(dir, f));
};

/** A repository after one run: its model, its pack, the pack's bytes and where its header ends. */
async function cold() {
  const root = tempRepo('index-cache', FILES);
  const first = await run(root);
  const [pack] = packOf(root);
  const bytes = fs.readFileSync(pack!);
  return { root, first, pack: pack!, bytes, end: bytes.indexOf(10) };
}

describe('the index cache', () => {
  beforeAll(loadConfigSchema);
  afterEach(() => {
    removeTemps();
    notes = [];
  });

  it('builds every index once, then only the indexes of scripts whose text changed, with the same model as a run without a cache', async () => {
    const root = tempRepo('index-cache', FILES);
    const uncached = await run(root, { cache: false });
    expect(packOf(root)).toEqual([]);
    expect(uncached.pass).toMatchObject({ cached: 0, built: 5 });
    expect(uncached.model).toContain('TypeScript syntax error');

    const cold = await run(root);
    expect(cold.pass).toMatchObject({ cached: 0, built: 5, pooled: 0 });
    expect(packOf(root)).toHaveLength(1);
    expect(cold.model).toBe(uncached.model);

    // Nothing changed: every index (the broken script's parse warning too) comes from the cache.
    const warm = await run(root);
    expect(warm.pass).toMatchObject({ cached: 5, built: 0 });
    expect(warm.model).toBe(uncached.model);

    // One script edited: exactly that one is indexed again, and the model follows the edit.
    fs.writeFileSync(path.join(root, 'src/config.ts'), "export const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://billing.example.com';\n");
    const edited = await run(root);
    expect(edited.pass).toMatchObject({ cached: 4, built: 1 });
    expect(edited.model).toContain('billing.example.com');
    expect(edited.model).toBe((await run(root, { cache: false })).model);

    // A script deleted leaves the pack with the next write; a new one is built.
    fs.rmSync(path.join(root, 'src/payments.ts'));
    fs.writeFileSync(path.join(root, 'src/jobs.ts'), 'export const every = 5;\n');
    expect((await run(root)).pass).toMatchObject({ cached: 4, built: 1 });
    expect((await run(root)).pass).toMatchObject({ cached: 5, built: 0 });
    expect(notes).toEqual([]);
  });

  it('ignores a pack written by another archdoc version or index format', async () => {
    const { root, first, pack, bytes, end } = await cold();
    const header = JSON.parse(bytes.toString('utf8', 0, end)) as Record<string, unknown>;
    for (const [key, value] of [
      ['archdoc', '0.0.1-old'],
      ['format', -1],
    ] as const) {
      fs.writeFileSync(pack, Buffer.concat([Buffer.from(JSON.stringify({ ...header, [key]: value })), bytes.subarray(end)]));
      notes = [];
      const again = await run(root);
      expect(again.pass).toMatchObject({ cached: 0, built: 5 });
      expect(again.model).toBe(first.model);
      expect(notes).toEqual([expect.stringMatching(new RegExp(`written by another ${key}; indexing every script`))]);
    }
    // The pack was written again by this archdoc.
    expect((await run(root)).pass).toMatchObject({ cached: 5, built: 0 });
  });

  it('ignores a truncated or damaged pack with a note, and writes a good one', async () => {
    const { root, first, pack, bytes, end } = await cold();
    const damaged = [
      bytes.subarray(0, bytes.length - 100),
      Buffer.concat([bytes.subarray(0, end + 1), Buffer.alloc(bytes.length - end - 1, 0xff)]),
      Buffer.from('not a pack at all'),
      Buffer.alloc(0),
    ];
    for (const b of damaged) {
      fs.writeFileSync(pack, b);
      notes = [];
      const again = await run(root);
      expect(again.pass).toMatchObject({ cached: 0, built: 5 });
      expect(again.model).toBe(first.model);
      expect(notes).toEqual([expect.stringMatching(/is damaged and is ignored \(.+\); indexing every script/)]);
    }
    expect((await run(root)).pass).toMatchObject({ cached: 5, built: 0 });
  });

  it('check after one edit re-indexes that script only, and renders nothing when the model is unchanged', async () => {
    const repo = copyFixture('express-prisma-api');
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    const server = path.join(repo, 'src', 'server.ts');
    // A comment changes the script's text, not the model: the documents come from the cache.
    fs.appendFileSync(server, '// a comment\n');
    const comment = await runCli(['check', '--verbose'], repo);
    expect(comment.code).toBe(0);
    expect(comment.stderr).toMatch(/indexes: \d+ cached, 1 built/);
    expect(comment.stderr).toMatch(/render: model unchanged, documents from the cache/);
    expect(comment.stderr).toMatch(/is up to date/);
    // Unchanged since: the freshness cache answers without analysing.
    expect((await runCli(['check', '--verbose'], repo)).stderr).toMatch(/using the cached analysis/);
    // A new route changes the model: rendered again, and the document is stale.
    fs.appendFileSync(server, "app.get('/api/ping', (_req, res) => res.send('pong'));\n");
    const route = await runCli(['check', '--verbose'], repo);
    expect(route.code).toBe(1);
    expect(route.stderr).toMatch(/indexes: \d+ cached, 1 built/);
    expect(route.stderr).toMatch(/render: \d+ document\(s\)/);
    // --no-cache renders whatever the cache holds.
    fs.appendFileSync(server, '// another\n');
    expect((await runCli(['generate', '--quiet'], repo)).code).toBe(0);
    expect((await runCli(['check', '--verbose', '--no-cache'], repo)).stderr).toMatch(/render: \d+ document\(s\)/);
  });

  it('writes no pack through a cache directory that links out of the root', async () => {
    const root = tempRepo('index-cache', FILES);
    const outside = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-outside-')));
    fs.symlinkSync(outside, path.join(root, 'node_modules', '.cache'));
    const result = await run(root);
    expect(result.pass).toMatchObject({ cached: 0, built: 5 });
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});
