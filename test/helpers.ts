/** Shared test helpers: run the real pipeline or the whole CLI on a fixture repository or a copy of one. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse, type AnalyseOptions } from '../src/pipeline/analyse.js';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/pipeline/run.js';
import type { Model } from '../src/model/schema.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

/** Analyse a fixture with its own archdoc.config (if any) ignored: defaults only, plus overrides. */
export async function analyseFixture(name: string, config: Record<string, unknown> = {}, options: AnalyseOptions = {}): Promise<Model> {
  return analyseRepo(fixturePath(name), config, options);
}

/** Analyse any directory (a temporary repository, say) with defaults plus overrides; its own config is ignored. */
export async function analyseRepo(root: string, config: Record<string, unknown> = {}, options: AnalyseOptions = {}): Promise<Model> {
  await loadConfigSchema();
  const resolved = resolveConfig(config, { cwd: root, root });
  const result = await analyse(resolved, options);
  return result.model;
}

const temps: string[] = [];

/** Remove every temporary directory made since the last call (use in `afterEach`). */
export function removeTemps(): void {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
}

/** A temporary repository holding `files` (path relative to the root → text), removed by `removeTemps`. */
export function tempRepo(prefix: string, files: Record<string, string>): string {
  const dir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), `archdoc-${prefix}-`)));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A small repository: one Express service with a health route, plus `files`. Removed by `removeTemps`. */
export function tinyApiRepo(files: Record<string, string> = {}, description = 'A tiny API'): string {
  return tempRepo('tiny', {
    'package.json': JSON.stringify({ name: 'tiny-api', version: '1.0.0', description, dependencies: { express: '^4.19.2' } }, null, 2),
    'src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
    ...files,
  });
}

/** A directory to remove with the other temporaries. */
export function trackTemp(dir: string): string {
  temps.push(dir);
  return dir;
}

/**
 * A temporary copy of a fixture, without any cache a local run may have left in it, and with
 * `config` written as its archdoc.config.json when given.
 */
export function copyFixture(name: string, config?: unknown): string {
  const dir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), `archdoc-${name}-`)));
  fs.cpSync(fixturePath(name), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  // As in a project where archdoc is installed: the freshness cache lives in node_modules/.cache.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'archdoc.config.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Run the CLI in process; stdout and stderr are collected. */
export async function runCli(args: string[], cwd: string, extra: Partial<Io> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, ...extra });
  return { code, stdout, stderr };
}

/** The golden models' folder: each fixture's model as test/golden.test.ts checks it. */
export const GOLDEN_MODELS = path.join(REPO_ROOT, 'test', 'golden', 'models');

/** A fixture's golden model. */
export function goldenModel(name: string): Model {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN_MODELS, `${name}.json`), 'utf8')) as Model;
}

/** The names of every fixture with a golden model, sorted. */
export function goldenModelNames(): string[] {
  return fs
    .readdirSync(GOLDEN_MODELS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => f.slice(0, -'.json'.length));
}
