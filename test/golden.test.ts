/**
 * Golden documents and models: every fixture repository is analysed by the real analyzers and
 * rendered by the real templates; the document must equal test/golden/<fixture>.md and the model
 * test/golden/models/<fixture>.json byte for byte (a fact lost or changed shows in the model even
 * where the document does not print it). A change to the
 * output is reviewed as a diff of these files. A missing or different golden fails, in CI and locally
 * alike; only `npm run test:update` (vitest -u) writes them. A document over its reading budget has
 * pages (src/render/pages.ts): each must equal test/golden/pages/<fixture>/<its path>, and no page
 * golden may be left without its page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocuments } from '../src/render/document.js';
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
      const docs = renderDocuments(model, config);
      const text = mergeBlocks(docs[0]!.text, undefined).text;
      await expect(text).toMatchFileSnapshot(path.join(REPO_ROOT, 'test', 'golden', `${name}.md`));
      const pagesDir = path.join(REPO_ROOT, 'test', 'golden', 'pages', name);
      const pages = docs.slice(1).map((d) => path.relative(path.dirname(config.output), d.output).split(path.sep).join('/'));
      for (const [i, d] of docs.slice(1).entries()) {
        await expect(mergeBlocks(d.text, undefined).text).toMatchFileSnapshot(path.join(pagesDir, pages[i]!));
      }
      const onDisk = fs.existsSync(pagesDir) ? (fs.readdirSync(pagesDir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')) : [];
      expect(onDisk.filter((f) => f.endsWith('.md') && !pages.includes(f)).sort()).toEqual([]);
      // Markdown tables only render after a blank line: a template that forgets one breaks the table.
      const lines = text.split('\n');
      const glued = lines.filter((l, i) => l.startsWith('| ') && i > 0 && lines[i - 1] !== '' && !lines[i - 1]!.startsWith('|'));
      expect(glued).toEqual([]);
    });
  }
});
