/**
 * The seal (src/render/seal.ts): `check` tells an edit outside the human blocks from a change in
 * the code (issue #23, part 1), and `generate` says when it overwrites such an edit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatBlock } from '../src/render/blocks.js';
import { digestOf, editedOutsideBlocks, seal, unsealed } from '../src/render/seal.js';
import { copyFixture, removeTemps, runCli } from './helpers.js';

afterEach(removeTemps);

const doc = (note: string, prose = 'The orders API.') => ['# Shop', '', prose, '', formatBlock('summary:executive', note), '', '## Components', ''].join('\n');

describe('seal', () => {
  it('is the last line; sealing again replaces it; filling a block keeps it valid', () => {
    const sealed = seal(doc('_TODO: say why_'));
    expect(sealed.trimEnd().split('\n').at(-1)).toMatch(/^<!-- archdoc:digest [0-9a-f]{16} -->$/);
    expect(seal(sealed)).toBe(sealed);
    expect(unsealed(sealed).includes('archdoc:digest')).toBe(false);
    const filled = sealed.replace('_TODO: say why_', 'Orders come from the shop.\nTwo lines of it.');
    expect(editedOutsideBlocks(filled)).toBe(false);
    expect(digestOf(doc('a'))).toBe(digestOf(doc('something else entirely')));
  });

  it('an edit outside the blocks breaks it; a document without a seal is never called edited', () => {
    const sealed = seal(doc('x'));
    expect(editedOutsideBlocks(sealed.replace('The orders API.', 'The orders API, edited by hand.'))).toBe(true);
    expect(editedOutsideBlocks(doc('x', 'Edited by hand.'))).toBe(false);
    // Notes added at the end, below the seal, are an edit too.
    expect(editedOutsideBlocks(`${sealed}\n## Our notes\n\nWe chose Postgres.\n`)).toBe(true);
  });

  it('a hostile document is read in one pass', () => {
    const text = `${'\n'.repeat(200_000)}x${'<!-- archdoc:human id="a" -->\n'.repeat(50_000)}`;
    expect(editedOutsideBlocks(text)).toBe(false);
    expect(seal(text).endsWith(' -->\n')).toBe(true);
  });
});

describe('check and generate with the seal', () => {
  it('an edit outside the human blocks is named as such (exit 1); generate says it overwrote it', async () => {
    const repo = copyFixture('express-prisma-api');
    expect((await runCli([], repo)).code).toBe(0);
    const file = path.join(repo, 'docs', 'ARCHITECTURE.md');
    const text = fs.readFileSync(file, 'utf8');
    // Filling a human block is what people are meant to do: still fresh.
    const filled = text.replace(/(<!-- archdoc:human id="summary:executive" -->\n)_TODO[^\n]*/, '$1The orders API takes orders from the shop.');
    expect(filled).not.toBe(text);
    fs.writeFileSync(file, filled);
    expect((await runCli(['check'], repo)).code).toBe(0);
    // An edit outside the blocks: stale, and said to be an edit, with the fix.
    fs.writeFileSync(file, filled.replace('## Components\n', '## Components\n\nEdited by hand: see the wiki.\n'));
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was edited outside its human blocks/);
    expect(r.stderr).toMatch(/Components: - Edited by hand: see the wiki\./);
    expect(r.stderr).toMatch(/Move text you want to keep into a human block/);
    const gen = await runCli([], repo);
    expect(gen.stderr).toMatch(/had edits outside its human blocks; they are replaced/);
    expect(fs.readFileSync(file, 'utf8')).toContain('The orders API takes orders from the shop.');
    expect((await runCli(['check'], repo)).code).toBe(0);
  });
});
