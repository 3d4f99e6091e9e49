/** Shared test helpers: run the real pipeline on a fixture repository. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import type { Model } from '../src/model/schema.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

/** Analyse a fixture with its own archdoc.config (if any) ignored: defaults only, plus overrides. */
export async function analyseFixture(name: string, config: Record<string, unknown> = {}): Promise<Model> {
  const root = fixturePath(name);
  await loadConfigSchema();
  const resolved = resolveConfig(config, { cwd: root, root });
  const result = await analyse(resolved);
  return result.model;
}
