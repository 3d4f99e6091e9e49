/**
 * Human writing is never lost: through the whole CLI, an interrupted write leaves the old document
 * whole (and no temporary file), concurrent runs leave one valid document, broken markers stop the
 * write without touching a byte, and CRLF documents keep their human blocks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatBlock, GENERATED_HEADER, mergeBlocks, parseBlocks } from '../../src/render/blocks.js';
import { cleanTemps, makeRepo, runCli } from './harness.js';

afterEach(() => vi.restoreAllMocks());
afterAll(() => cleanTemps());

const HUMAN = 'We chose one API process because the team is small.\nSecond paragraph, with **bold** and a | pipe.';

/** A small repository with a generated document whose executive summary a human has written. */
async function documentedRepo(name: string): Promise<{ root: string; doc: string; docsDir: string }> {
  const root = makeRepo(name, {
    'package.json': JSON.stringify({ name: 'notes-api', version: '1.0.0', description: 'Notes service', dependencies: { express: '4.19.0' } }, null, 2),
    'src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/notes', (req, res) => res.json([]));\napp.listen(3000);\n",
  });
  expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
  const doc = path.join(root, 'docs', 'ARCHITECTURE.md');
  const text = fs.readFileSync(doc, 'utf8');
  const filled = text.replace(/(<!-- archdoc:human id="summary:executive" -->\n)_TODO[^\n]*/, `$1${HUMAN}`);
  expect(filled).not.toBe(text);
  fs.writeFileSync(doc, filled);
  return { root, doc, docsDir: path.dirname(doc) };
}

/** Change the code so the next run has something new to write. */
function changeCode(root: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  manifest.description = 'Notes and reminders service';
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest, null, 2));
}

describe('interrupted writes', () => {
  it('a crash between the temporary write and the rename leaves the old document byte for byte, and no temporary file', async () => {
    const { root, doc, docsDir } = await documentedRepo('crash-rename');
    const before = fs.readFileSync(doc);
    changeCode(root);
    const rename = vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    });
    const r = await runCli(['generate'], root);
    expect(rename).toHaveBeenCalled();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*ARCHITECTURE\.md/);
    expect(fs.readFileSync(doc).equals(before)).toBe(true);
    expect(fs.readdirSync(docsDir)).toEqual(['ARCHITECTURE.md']);

    // Once the disk behaves again, the next run writes the new document with the human text.
    rename.mockRestore();
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    const after = fs.readFileSync(doc, 'utf8');
    expect(after).toContain('Notes and reminders service');
    expect(after).toContain(HUMAN);
  });

  it('a disk that fills up half way through the temporary file leaves the old document whole', async () => {
    const { root, doc, docsDir } = await documentedRepo('crash-write');
    const before = fs.readFileSync(doc);
    changeCode(root);
    const realWrite = fs.writeFileSync;
    vi.spyOn(fs, 'writeFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, o?: fs.WriteFileOptions) => {
      if (typeof file === 'number' && typeof data === 'string') {
        // Half the bytes land, then the disk is full.
        realWrite(file, data.slice(0, data.length >> 1), o);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return realWrite(file, data, o);
    }) as typeof fs.writeFileSync);
    const r = await runCli(['generate'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(fs.readFileSync(doc).equals(before)).toBe(true);
    expect(fs.readdirSync(docsDir)).toEqual(['ARCHITECTURE.md']);
  });

  it('a temporary file left by a killed run neither reaches the document nor blocks the next run', async () => {
    const { root, doc, docsDir } = await documentedRepo('crash-leftover');
    const leftover = path.join(docsDir, '.ARCHITECTURE.md.archdoc-tmp-4242-abcdef');
    // A killed process (no chance to clean up) leaves a truncated copy beside the document.
    fs.writeFileSync(leftover, fs.readFileSync(doc, 'utf8').slice(0, 500));
    changeCode(root);
    const r = await runCli(['generate'], root);
    expect(r.code, r.stderr).toBe(0);
    const text = fs.readFileSync(doc, 'utf8');
    expect(text).toContain(HUMAN);
    expect(text).not.toContain('archdoc-tmp');
    expect(() => parseBlocks(text)).not.toThrow();
  });
});

describe('concurrent runs', () => {
  it('three generate runs at once on one output leave one valid document with the human text', async () => {
    const { root, doc, docsDir } = await documentedRepo('concurrent');
    changeCode(root);
    const results = await Promise.all([runCli(['generate', '--quiet'], root), runCli(['generate', '--quiet'], root), runCli(['generate', '--quiet'], root)]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const text = fs.readFileSync(doc, 'utf8');
    expect(text).toContain(HUMAN);
    expect(text).toContain('Notes and reminders service');
    expect(parseBlocks(text).filter((b) => b.id === 'summary:executive')).toHaveLength(1);
    expect(fs.readdirSync(docsDir)).toEqual(['ARCHITECTURE.md']);
    // Whatever the interleaving, the result is the document a single run writes.
    expect((await runCli(['check'], root)).code).toBe(0);
  });
});

describe('broken markers in the existing document (whole CLI)', () => {
  const breakers: [string, (t: string) => string, RegExp][] = [
    ['a missing end marker', (t) => t.replace('<!-- /archdoc:human -->', ''), /no end marker|starts inside/],
    ['a nested block', (t) => t.replace(HUMAN, `${HUMAN}\n<!-- archdoc:human id="nested" -->\nx\n<!-- /archdoc:human -->`), /starts inside/],
    ['a duplicated id', (t) => t.replace(/\n*$/, '\n\n<!-- archdoc:human id="summary:executive" -->\ncopy\n<!-- /archdoc:human -->\n'), /used twice/],
    [
      'edited marker text',
      (t) => t.replace('<!-- archdoc:human id="summary:executive" -->', '<!-- archdoc:human id=summary:executive -->'),
      /unrecognised human-block marker/,
    ],
  ];
  for (const [what, breakIt, message] of breakers) {
    it(`refuses ${what}: exit 2, a line number, the file untouched`, async () => {
      const { root, doc } = await documentedRepo('markers');
      const broken = breakIt(fs.readFileSync(doc, 'utf8'));
      fs.writeFileSync(doc, broken);
      const before = fs.readFileSync(doc);
      changeCode(root);
      const r = await runCli(['generate'], root);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/ARCHITECTURE\.md:\d+: /);
      expect(r.stderr).toMatch(message);
      expect(fs.readFileSync(doc).equals(before)).toBe(true);
    });
  }
});

describe('CRLF documents', () => {
  it('a document saved with CRLF on Windows keeps its human blocks, checks fresh, and regenerates with them', async () => {
    const { root, doc } = await documentedRepo('crlf');
    const crlf = fs.readFileSync(doc, 'utf8').replace(/\n/g, '\r\n');
    fs.writeFileSync(doc, crlf);
    // Line endings alone are not staleness.
    const check = await runCli(['check'], root);
    expect(check.code, check.stdout).toBe(0);
    changeCode(root);
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    const text = fs.readFileSync(doc, 'utf8');
    expect(text).toContain(HUMAN);
    expect(text).toContain('Notes and reminders service');
    expect((await runCli(['check'], root)).code).toBe(0);
  });

  it('a BOM and mixed line endings do not cost the human text either', async () => {
    const { root, doc } = await documentedRepo('bom');
    const mixed = '\uFEFF' + fs.readFileSync(doc, 'utf8').replace(HUMAN, HUMAN.replace('\n', '\r\n'));
    fs.writeFileSync(doc, mixed);
    changeCode(root);
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    expect(fs.readFileSync(doc, 'utf8')).toContain(HUMAN);
  });
});

describe('chained regenerations (property test over the block merge)', () => {
  /** A generated document: a heading and a block per id, in the given order. */
  const generate = (ids: string[]) =>
    [GENERATED_HEADER, '', '# System', '', ...ids.flatMap((id) => [`## ${id}`, '', formatBlock(id, `_TODO: fill ${id}_`), ''])].join('\n');

  it('human text survives any sequence of reorders, removals, renames and returns, byte for byte', () => {
    let seed = 1313;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // Awkward but legal human text: Markdown that looks like structure, pipes, fences, comments,
    // blank lines, trailing spaces, Unicode; never a marker.
    const PIECES = [
      '## Orphaned notes',
      '### `component:x`',
      '| a | b |',
      '```mermaid',
      '```',
      '<!-- a comment -->',
      '_TODO: not a todo_',
      '',
      '   ',
      'trailing  ',
      'ünïcödé ✓',
      '> quote',
      '- [ ] task',
      '-->',
      '<!--',
    ];
    const humanText = () => Array.from({ length: 1 + rand(5) }, () => PIECES[rand(PIECES.length)]).join('\n');
    const universe = Array.from({ length: 10 }, (_, i) => `component:svc-${i}:notes`);
    for (let round = 0; round < 150; round++) {
      let doc = mergeBlocks(generate(universe.slice(0, 6)), undefined).text;
      const written = new Map<string, string>();
      for (let step = 0; step < 6; step++) {
        // A person edits some blocks present in the document (including orphaned ones).
        for (const b of parseBlocks(doc)) {
          if (rand(3) !== 0) continue;
          const text = humanText();
          written.set(b.id, text);
          doc = doc.replace(formatBlock(b.id, b.content), formatBlock(b.id, text));
        }
        // The code changes: components come, go, get renamed (old id gone, new id appears), reorder.
        const next = universe.filter(() => rand(3) !== 0).sort(() => rand(3) - 1);
        const merged = mergeBlocks(generate(next), doc);
        for (const [id, text] of written) {
          expect(merged.text, `round ${round} step ${step}: ${id}`).toContain(formatBlock(id, text));
          expect(next.includes(id) || merged.orphans.includes(id)).toBe(true);
        }
        // Every id appears once: either in its place or under Orphaned notes.
        const ids = parseBlocks(merged.text).map((b) => b.id);
        expect(new Set(ids).size).toBe(ids.length);
        doc = merged.text;
      }
    }
  });
});
