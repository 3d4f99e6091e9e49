/**
 * Reader profiles: one fixture rendered at every depth for every audience, each a golden file
 * (component pages of the comprehensive depth included, after a page marker).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocuments } from '../src/render/document.js';
import { mergeBlocks, parseBlocks } from '../src/render/blocks.js';
import { sectionsFor } from '../src/render/sections.js';
import { AUDIENCES, DEPTHS } from '../src/config/schema.js';
import { toPosix } from '../src/util/paths.js';
import { fixturePath, REPO_ROOT } from './helpers.js';

const FIXTURE = 'npm-workspaces-shop';

describe('reader profiles', async () => {
  const root = fixturePath(FIXTURE);
  const base = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
  const { model } = await analyse(base);

  for (const depth of DEPTHS) {
    for (const audience of AUDIENCES) {
      it(`${depth} × ${audience}`, async () => {
        const config = { ...base, depth, audience };
        const docs = renderDocuments(model, config);
        const text = docs
          .map((d, i) => (i === 0 ? '' : `\n<!-- page: ${toPosix(path.relative(root, d.output))} -->\n\n`) + mergeBlocks(d.text, undefined).text)
          .join('');
        await expect(text).toMatchFileSnapshot(path.join(REPO_ROOT, 'test', 'golden', 'profiles', `${FIXTURE}-${depth}-${audience}.md`));
        // Every document stands alone: human block ids are unique within it.
        for (const d of docs) expect(() => parseBlocks(d.text)).not.toThrow();
        // The profile is recorded.
        expect(docs[0]!.text).toContain(`Depth: ${depth}; audience: ${audience}`);
        // Product and support readers get no code paths in the body: evidence is in footnotes.
        if (audience === 'product' || audience === 'customer-success') {
          const body = docs[0]!.text.split('\n## Evidence')[0]!;
          expect(body).not.toMatch(/\]\([^)]*\.(ts|tsx|json|prisma)(#L\d+)?\)/);
          expect(docs[0]!.text).toMatch(/^\[\^e1\]: \[/m);
        }
        if (depth === 'comprehensive') expect(docs.length).toBe(1 + model.components.length);
        else expect(docs.length).toBe(1);
        if (depth === 'quick') expect(docs[0]!.text.split('\n').length).toBeLessThan(260);
      });
    }
  }

  it('focus areas keep only their sections (and the ones every reader needs)', () => {
    const ids = sectionsFor({ depth: 'standard', audience: 'technical', focus: ['security', 'deployment'] }).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['executive-summary', 'security-architecture', 'deployment', 'disaster-recovery', 'technology-stack']));
    expect(ids).not.toContain('data-architecture');
    expect(ids).not.toContain('components');
  });
});
