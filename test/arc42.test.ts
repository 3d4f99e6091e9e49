/**
 * The arc42 layout (src/render/sections.ts, templates/arc42/): its twelve sections in order, the
 * headings of archdoc's sections one level down inside them, and no human writing lost when a
 * team switches layout.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocument } from '../src/render/document.js';
import { mergeBlocks, parseBlocks } from '../src/render/blocks.js';
import { demoteHeadings } from '../src/render/environment.js';
import { sectionsFor } from '../src/render/sections.js';
import { fixturePath, REPO_ROOT } from './helpers.js';

const ARC42 = [
  'Introduction and goals',
  'Architecture constraints',
  'System scope and context',
  'Solution strategy',
  'Building block view',
  'Runtime view',
  'Deployment view',
  'Cross-cutting concepts',
  'Architecture decisions',
  'Quality requirements',
  'Risks and technical debt',
  'Glossary',
];

describe('demoteHeadings', () => {
  it('moves every heading one level down, outside fenced code, up to level six', () => {
    const text = ['## Security', '### Findings', '```mermaid', '## not a heading', '```', '###### Deepest', '#hashtag', '<!-- archdoc:human id="x" -->'].join(
      '\n',
    );
    expect(demoteHeadings(text).split('\n')).toEqual([
      '### Security',
      '#### Findings',
      '```mermaid',
      '## not a heading',
      '```',
      '###### Deepest',
      '#hashtag',
      '<!-- archdoc:human id="x" -->',
    ]);
  });
});

describe('the arc42 layout', async () => {
  const root = fixturePath('aws-ecs-platform');
  const base = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
  const { model } = await analyse(base);
  const arc42 = { ...base, layout: 'arc42' as const };

  it('has arc42’s twelve sections in order, then related documentation, analysis notes and history', () => {
    const titles = sectionsFor({ depth: 'standard', audience: 'technical', focus: ['all'], layout: 'arc42' })
      .filter((s) => s.toc)
      .map((s) => s.title);
    expect(titles).toEqual([...ARC42, 'Related documentation', 'Analysis notes', 'Document history']);
    // Product and support readers keep their evidence appendix.
    expect(sectionsFor({ depth: 'standard', audience: 'product', focus: ['all'], layout: 'arc42' }).map((s) => s.id)).toContain('evidence');
  });

  it('renders the golden: archdoc’s sections one level down under arc42’s, the headline decisions as the strategy, the findings as risks', async () => {
    const text = mergeBlocks(renderDocument(model, arc42), undefined).text;
    await expect(text).toMatchFileSnapshot(path.join(REPO_ROOT, 'test', 'golden', 'profiles', 'aws-ecs-platform-standard-arc42.md'));
    const h2 = text
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    expect(h2.slice(3, 15)).toEqual(ARC42);
    expect(text).toContain('\n### Security architecture\n');
    expect(text).toContain('\n#### Findings\n');
    expect(text).toContain('Depth: standard; audience: technical; focus: all; layout: arc42');
    const risks = text.slice(text.indexOf('## Risks and technical debt'), text.indexOf('## Glossary'));
    for (const f of model.security.filter((s) => s.severity === 'high')) expect(risks).toContain(f.evidence[0]!.file);
  });

  it('keeps every human block of the default layout, so switching layout loses no writing', () => {
    const standard = renderDocument(model, base);
    const ids = parseBlocks(standard).map((b) => b.id);
    const marker = '<!-- archdoc:human id="security:overview" -->\n';
    const at = standard.indexOf(marker) + marker.length;
    const edited = `${standard.slice(0, at)}Our threat model: customers’ card data, from the internet.${standard.slice(standard.indexOf('\n<!-- /archdoc:human -->', at))}`;
    expect(edited).toContain('Our threat model');
    const merged = mergeBlocks(renderDocument(model, arc42), edited);
    expect(merged.text).toContain('Our threat model: customers’ card data, from the internet.');
    expect(merged.orphans).toEqual([]);
    const arcIds = new Set(parseBlocks(merged.text).map((b) => b.id));
    for (const id of ids) expect(arcIds.has(id), id).toBe(true);
  });
});
