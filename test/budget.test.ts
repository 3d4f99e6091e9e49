/**
 * The reading budget (src/render/pages.ts): the main document stays within its budget whatever the
 * repository's size, the inventories it moves out are on linked pages, `check` keeps those pages
 * fresh like the main document, and a human block keeps its content wherever its part moves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the benchmark's generator is plain JavaScript
import { generateRepo } from '../bench/generate.mjs';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { formatBlock, mergeBlocks, parseBlocks, siblingsOf, startMarker } from '../src/render/blocks.js';
import { renderDocuments, type RenderedDocument } from '../src/render/document.js';
import { BUDGETS, lineCount, MOVE_ORDER, PAGES, pagePath, withinBudget } from '../src/render/pages.js';
import type { Model } from '../src/model/schema.js';
import { copyFixture, removeTemps, runCli, trackTemp } from './helpers.js';

afterAll(removeTemps);

/** Every relative Markdown link to a page of the set, from `doc`. */
function pageLinks(doc: RenderedDocument): string[] {
  const out: string[] = [];
  for (const m of doc.text.matchAll(/\]\(([^()\s#]*architecture\/[^()\s#]+\.md)\)/g)) out.push(path.resolve(path.dirname(doc.output), m[1]!));
  return [...new Set(out)].sort();
}

describe('lineCount and withinBudget', () => {
  it('counts lines as an editor does and holds both limits', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    expect(withinBudget('a\n'.repeat(10), { lines: 10, bytes: 100 })).toBe(true);
    expect(withinBudget('a\n'.repeat(11), { lines: 10, bytes: 100 })).toBe(false);
    expect(withinBudget('é'.repeat(60), { lines: 10, bytes: 100 })).toBe(false);
    expect(withinBudget('a\n'.repeat(1e5), undefined)).toBe(true);
  });
  it('documents the budgets it enforces', () => {
    expect(BUDGETS.standard).toEqual({ lines: 1500, bytes: 150 * 1024 });
    expect(BUDGETS.quick).toEqual({ lines: 150, bytes: 16 * 1024 });
    expect(BUDGETS.comprehensive).toBeUndefined();
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain('1,500 lines and 150 KB');
    expect(readme).toContain('150 lines and 16 KB');
  });
});

describe('a generated 5,000-file monorepo', () => {
  let model: Model;
  let root: string;
  const render = async (depth: string) => {
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md'), depth });
    return renderDocuments(model, config);
  };

  it('is analysed', async () => {
    root = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-budget-')));
    const made = generateRepo(root, 5000, 42) as { tsFiles: number };
    expect(made.tsFiles).toBeGreaterThanOrEqual(5000);
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    model = (await analyse(config)).model;
    expect(model.components.length).toBeGreaterThan(100);
  }, 900_000);

  it('keeps the standard document within 1,500 lines and 150 KB, the inventories on linked pages', async () => {
    const docs = await render('standard');
    const main = docs[0]!;
    expect(lineCount(main.text)).toBeLessThanOrEqual(1500);
    expect(Buffer.byteLength(main.text)).toBeLessThanOrEqual(150 * 1024);
    // Without the budget it was some 19,000 lines and 2 MB: every inventory had to move.
    const moved = MOVE_ORDER.filter((k) => docs.some((d) => d.output === pagePath(main.output, k)));
    expect(moved).toEqual(MOVE_ORDER.slice(0, moved.length));
    expect(moved.length).toBeGreaterThanOrEqual(4);
    // Every page is linked from the main document by a relative link, and every link leads to a page.
    const outputs = new Set(docs.map((d) => d.output));
    const linked = pageLinks(main);
    for (const k of moved) expect(linked).toContain(pagePath(main.output, k));
    for (const l of linked) expect(outputs.has(l)).toBe(true);
    // The main document summarises: counts, the most significant items, the link.
    expect(main.text).toContain(`The 25 most significant of ${model.components.length} components`);
    expect(main.text).toMatch(/Components serving the most endpoints: `@bench\/svc-\d+` \(\d+\)/);
    // The pages hold what moved: every endpoint is a row of the API reference.
    const api = docs.find((d) => d.output === pagePath(main.output, 'api'))!;
    expect(api.text.split('\n').filter((l) => /^\| `(GET|POST|PUT|PATCH|DELETE)` \|/.test(l)).length).toBe(
      model.endpoints.filter((e) => e.protocol === 'http' && e.component).length,
    );
    const data = docs.find((d) => d.output === pagePath(main.output, 'data'))!;
    for (const s of model.schemas.slice(0, 5)) expect(data.text).toContain(`<summary>${s.name}`);
    // Each page links back to the main document.
    for (const d of docs.slice(1)) expect(d.text).toContain(`](${path.relative(path.dirname(d.output), main.output).split(path.sep).join('/')})`);
  }, 300_000);

  it('keeps the quick document within two printed pages (150 lines, 16 KB)', async () => {
    const docs = await render('quick');
    const main = docs[0]!;
    expect(lineCount(main.text)).toBeLessThanOrEqual(150);
    expect(Buffer.byteLength(main.text)).toBeLessThanOrEqual(16 * 1024);
    expect(main.text).toContain(`](architecture/${PAGES.components.file})`);
    expect(main.text).toContain(`The 8 most significant of ${model.components.length} components`);
  }, 300_000);
});

describe('a document within its budget', () => {
  it('has no pages, and the same text as before the budget existed', async () => {
    const root = copyFixture('express-prisma-api');
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    const docs = renderDocuments((await analyse(config)).model, config);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.text).not.toContain('](architecture/');
  });
});

describe('human blocks across the main document and its pages', () => {
  it('follow their part when it moves to a page, and adopt a retired page’s blocks', () => {
    const main = { output: '/r/docs/ARCHITECTURE.md', text: `x\n${formatBlock('summary', '_TODO: a_')}\n` };
    const page = { output: '/r/docs/architecture/components/a.md', text: `y\n${formatBlock('a:responsibility', '_TODO: b_')}\n` };
    // Before: the block was written in the main document; a retired page held another.
    const before = `x\n${formatBlock('summary', 'Ours.')}\n${formatBlock('a:responsibility', 'A sends invoices.')}\n`;
    const retired = `${formatBlock('state-machine:x#status', 'Only forwards.')}\n${formatBlock('a:responsibility', 'stale')}\n`;
    const [forMain, forPage] = siblingsOf([{ ...main, existing: before }, { ...page }], [retired]);
    const m = mergeBlocks(main.text, before, forMain);
    const p = mergeBlocks(page.text, undefined, forPage);
    expect(p.text).toContain('A sends invoices.');
    expect(p.orphans).toEqual([]);
    // Moved, not orphaned; the retired page's block with no home is kept in the main document.
    expect(m.orphans).toEqual(['state-machine:x#status']);
    expect(m.text).toContain('Only forwards.');
    expect(m.text).not.toContain('A sends invoices.');
    expect(parseBlocks(m.text).map((b) => b.id)).toEqual(['summary', 'state-machine:x#status']);
  });

  it('generate moves a block written in the main document to its page; check keeps the pages fresh', async () => {
    const root = copyFixture('huge-monorepo');
    // A service without a description gets a responsibility block on its page.
    const pkgFile = path.join(root, 'apps', 'orders-service', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
    delete pkg.description;
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    const docFile = path.join(root, 'docs', 'ARCHITECTURE.md');
    const pageFile = path.join(root, 'docs', 'architecture', 'components', 'apps-orders-service.md');
    const indexFile = path.join(root, 'docs', 'architecture', 'components.md');
    expect(fs.existsSync(indexFile)).toBe(true);
    const id = parseBlocks(fs.readFileSync(pageFile, 'utf8')).find((b) => b.id.endsWith(':responsibility'))!.id;
    // As if written when the details were inline: the block is in the main document, the page is gone.
    fs.rmSync(pageFile);
    const doc = fs.readFileSync(docFile, 'utf8');
    const at = doc.indexOf(startMarker('summary:executive'));
    fs.writeFileSync(docFile, `${doc.slice(0, at)}${formatBlock(id, 'Takes orders and hands them to payments.')}\n\n${doc.slice(at)}`);
    expect((await runCli(['check', '--quiet', '--no-cache'], root)).code).toBe(1);
    const gen = await runCli(['generate'], root);
    expect(gen.code).toBe(0);
    expect(gen.stderr).not.toContain('Orphaned');
    expect(fs.readFileSync(pageFile, 'utf8')).toContain('Takes orders and hands them to payments.');
    expect(fs.readFileSync(docFile, 'utf8')).not.toContain('Takes orders and hands them to payments.');
    expect((await runCli(['check', '--no-cache'], root)).code).toBe(0);
    // A page edited by hand, or missing, makes check fail like the main document would.
    fs.appendFileSync(indexFile, '\nA line nobody generated.\n');
    const stale = await runCli(['check', '--no-cache'], root);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('components.md');
    fs.rmSync(indexFile);
    const missing = await runCli(['check', '--no-cache'], root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('components.md does not exist');
    // The pages are outputs, never inputs: regenerating leaves everything as it was.
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    const first = fs.readFileSync(docFile, 'utf8');
    expect((await runCli(['generate', '--quiet'], root)).code).toBe(0);
    expect(fs.readFileSync(docFile, 'utf8')).toBe(first);
    const related = first.slice(first.indexOf('## Related documentation'), first.indexOf('## Glossary'));
    expect(related).not.toContain('architecture/');
  }, 300_000);
});
