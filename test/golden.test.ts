/**
 * Golden documents and models: every fixture repository is analysed by the real analyzers and
 * rendered by the real templates; the document must equal test/golden/<fixture>.md and the model
 * test/golden/models/<fixture>.json byte for byte (a fact lost or changed shows in the model even
 * where the document does not print it). A change to the
 * output is reviewed as a diff of these files. A missing or different golden fails, in CI and locally
 * alike; only `npm run test:update` (vitest -u) writes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocument } from '../src/render/document.js';
import { mergeBlocks } from '../src/render/blocks.js';
import { ModelSchema } from '../src/model/schema.js';
import { FIXTURES, REPO_ROOT } from './helpers.js';

const fixtures = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort();

describe('golden documents', () => {
  it('has fixtures to render, and no golden document without its fixture', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    const goldens = fs.readdirSync(path.join(REPO_ROOT, 'test', 'golden')).filter((f) => f.endsWith('.md'));
    expect(goldens.filter((f) => !fixtures.includes(f.slice(0, -'.md'.length)))).toEqual([]);
    const models = fs.readdirSync(path.join(REPO_ROOT, 'test', 'golden', 'models'));
    expect(models.filter((f) => !f.endsWith('.json') || !fixtures.includes(f.slice(0, -'.json'.length)))).toEqual([]);
  });
  for (const name of fixtures) {
    it(`renders ${name}`, async () => {
      const root = path.join(FIXTURES, name);
      // The output is never written: it is compared with the golden file instead.
      const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
      const { model } = await analyse(config);
      expect(() => ModelSchema.parse(model)).not.toThrow();
      await expect(`${JSON.stringify(model, null, 2)}\n`).toMatchFileSnapshot(path.join(REPO_ROOT, 'test', 'golden', 'models', `${name}.json`));
      const text = mergeBlocks(renderDocument(model, config), undefined).text;
      await expect(text).toMatchFileSnapshot(path.join(REPO_ROOT, 'test', 'golden', `${name}.md`));
      // Markdown tables only render after a blank line: a template that forgets one breaks the table.
      const lines = text.split('\n');
      const glued = lines.filter((l, i) => l.startsWith('| ') && i > 0 && lines[i - 1] !== '' && !lines[i - 1]!.startsWith('|'));
      expect(glued).toEqual([]);
    });
  }
});
