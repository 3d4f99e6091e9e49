import { describe, expect, it } from 'vitest';
import { formatBlock, isUnfilled, markerId, mergeBlocks, ORPHANS_HEADING, parseBlocks, todo } from '../src/render/blocks.js';
import { ArchdocError } from '../src/util/errors.js';

const gen = (ids: string[]) => ['# Doc', '', ...ids.flatMap((id) => [`## ${id}`, '', formatBlock(id, todo(`fill ${id}`)), ''])].join('\n');

describe('human blocks', () => {
  it('parses blocks with their ids, contents and lines', () => {
    const blocks = parseBlocks(gen(['a', 'b']));
    expect(blocks.map((b) => [b.id, b.line])).toEqual([
      ['a', 5],
      ['b', 11],
    ]);
    expect(blocks[0]!.content).toBe('_TODO: fill a_');
    expect(isUnfilled(blocks[0]!.content)).toBe(true);
  });

  it('keeps human content by id wherever the block moves', () => {
    const existing = gen(['a', 'b']).replace('_TODO: fill b_', 'We chose **PostgreSQL**.\n\n| x | y |\n| - | - |');
    const merged = mergeBlocks(gen(['b', 'a', 'c']), existing);
    expect(merged.orphans).toEqual([]);
    expect(merged.text).toContain('We chose **PostgreSQL**.\n\n| x | y |\n| - | - |');
    expect(merged.text.indexOf('We chose')).toBeLessThan(merged.text.indexOf('_TODO: fill a_'));
    expect(merged.text).toContain('_TODO: fill c_');
  });

  it('moves blocks whose id is gone to Orphaned notes, and back when the id returns', () => {
    const existing = gen(['a', 'gone']).replace('_TODO: fill gone_', 'Hard-won knowledge.');
    const first = mergeBlocks(gen(['a']), existing);
    expect(first.orphans).toEqual(['gone']);
    expect(first.text).toContain(ORPHANS_HEADING);
    expect(first.text).toContain('Hard-won knowledge.');
    // Regenerating again is stable (the orphan stays, once).
    const second = mergeBlocks(gen(['a']), first.text);
    expect(second.text).toBe(first.text);
    // The id comes back: the text returns to its place and the orphan section disappears.
    const third = mergeBlocks(gen(['a', 'gone']), second.text);
    expect(third.orphans).toEqual([]);
    expect(third.text).not.toContain(ORPHANS_HEADING);
    expect(third.text).toContain('## gone\n\n<!-- archdoc:human id="gone" -->\nHard-won knowledge.');
  });

  it('keeps human blocks of a CRLF document', () => {
    const existing = gen(['a']).replace('_TODO: fill a_', 'Written on Windows.').replace(/\n/g, '\r\n');
    expect(mergeBlocks(gen(['a']), existing).text).toContain('\nWritten on Windows.\n');
  });

  const broken: [string, string, RegExp][] = [
    ['missing end', '<!-- archdoc:human id="a" -->\ntext', /:1: human block "a" has no end marker/],
    ['nested', '<!-- archdoc:human id="a" -->\n<!-- archdoc:human id="b" -->\n<!-- /archdoc:human -->', /:2: .*starts inside block "a"/],
    ['stray end', 'x\n<!-- /archdoc:human -->', /:2: end marker without a start marker/],
    ['duplicate id', `${formatBlock('a', 'x')}\n${formatBlock('a', 'y')}`, /:4: human block id "a" is used twice/],
    ['edited marker', '<!-- archdoc:human id=a -->\nx\n<!-- /archdoc:human -->', /:1: unrecognised human-block marker/],
  ];
  for (const [what, text, message] of broken) {
    it(`refuses ${what} with the line number`, () => {
      expect(() => parseBlocks(text)).toThrow(ArchdocError);
      expect(() => parseBlocks(text)).toThrow(message);
      expect(() => mergeBlocks(gen(['a']), text)).toThrow(message);
    });
  }

  it('never loses human text under random edits, reorders and removals (property test)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ids = Array.from({ length: 12 }, (_, i) => `component:apps/svc-${i}:responsibility`);
    for (let round = 0; round < 200; round++) {
      const written = new Map<string, string>();
      let doc = mergeBlocks(gen(ids), undefined).text;
      for (const id of ids) {
        if (rand(2) === 0) continue;
        const text = `Note ${round}-${id} ${'*'.repeat(rand(3))} ünïcödé\n\n- item ${rand(100)}`;
        written.set(id, text);
        doc = doc.replace(`_TODO: fill ${id}_`, text);
      }
      const next = ids.filter(() => rand(4) !== 0).sort(() => rand(3) - 1);
      const merged = mergeBlocks(gen(next), doc);
      for (const [id, text] of written) {
        expect(merged.text).toContain(formatBlock(id, text));
        if (!next.includes(id)) expect(merged.orphans).toContain(id);
      }
    }
  });

  it('reads prose that mentions archdoc:human as text, and only comment lines as markers (issue #21 case 15)', () => {
    const doc = gen(['a']).replace('## a', '## Keep rationale in archdoc:human blocks\n\n| ADR | `<!-- archdoc:human id="x" -->` |');
    expect(parseBlocks(doc).map((b) => b.id)).toEqual(['a']);
    expect(mergeBlocks(gen(['a']), doc).orphans).toEqual([]);
    expect(() => parseBlocks(`${doc}\n  <!--archdoc:human id="b"-->`)).toThrow(/unrecognised human-block marker/);
  });

  it('writes ids holding quotes, line breaks, > and % into markers that read back as one id each', () => {
    const ids = ['component:apps/we"b', 'component:apps/we\nb', 'component:apps/we%22b', 'component:a-->b', 'component:a\r<!-- /archdoc:human -->'];
    const doc = ids.map((id) => formatBlock(id, todo(id.length.toString()))).join('\n\n');
    expect(parseBlocks(doc).map((b) => b.id)).toEqual(ids.map(markerId));
    expect(new Set(ids.map(markerId)).size).toBe(ids.length);
    for (const id of ids) expect(markerId(id)).not.toMatch(/["\r\n<>]/);
  });

  it('never loses human text that mentions the markers, under hostile ids, edits, reorders and removals (property test)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const odd = ['"', '\n', '>', '%', '%22', '<!--', ' -->', '\r', '`'];
    const ids = Array.from({ length: 12 }, (_, i) => `component:apps/svc${odd[i % odd.length]}${i}:responsibility`);
    for (let round = 0; round < 200; round++) {
      const written = new Map<string, string>();
      let doc = mergeBlocks(gen(ids), undefined).text;
      for (const id of ids) {
        if (rand(2) === 0) continue;
        const text = `Note ${round}: we keep rationale in archdoc:human blocks ${'*'.repeat(rand(3))}\n\n- see \`<!-- /archdoc:human -->\` ${rand(100)}`;
        written.set(id, text);
        doc = doc.replace(`_TODO: fill ${id}_`, text);
      }
      const next = ids.filter(() => rand(4) !== 0).sort(() => rand(3) - 1);
      const merged = mergeBlocks(gen(next), doc);
      for (const [id, text] of written) {
        expect(merged.text).toContain(formatBlock(id, text));
        if (!next.includes(id)) expect(merged.orphans).toContain(markerId(id));
      }
      // The merged document reads back whole: regenerating it again loses nothing.
      expect(mergeBlocks(gen(next), merged.text).text).toBe(merged.text);
    }
  });
});
