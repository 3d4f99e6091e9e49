/**
 * Optional SVG rendering. Everything but the last block runs without a browser; the end-to-end
 * block renders real SVGs with Chromium and is skipped, with its reason in its name, when no
 * browser is installed (CI may not have one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_CANDIDATES, findBrowser, svgSources } from '../src/diagrams/svg.js';
import { renderDiagram } from '../src/diagrams/index.js';
import { analyseFixture, copyFixture, removeTemps, runCli } from './helpers.js';
import { mermaidFences } from './mermaid-parse.js';

afterEach(removeTemps);

/** Run with PUPPETEER_EXECUTABLE_PATH set (or removed) for the duration of `fn`. */
async function withBrowserEnv<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (value === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
  else process.env.PUPPETEER_EXECUTABLE_PATH = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = before;
  }
}

describe('finding a browser', () => {
  it('prefers the configured path, then PUPPETEER_EXECUTABLE_PATH, then system paths', () => {
    const all = () => true;
    expect(findBrowser('/opt/chrome', { PUPPETEER_EXECUTABLE_PATH: '/env/chrome' }, all).path).toBe('/opt/chrome');
    expect(findBrowser(undefined, { PUPPETEER_EXECUTABLE_PATH: '/env/chrome' }, all).path).toBe('/env/chrome');
    expect(findBrowser(undefined, {}, (p) => p === '/usr/bin/chromium-browser').path).toBe('/usr/bin/chromium-browser');
    expect(findBrowser(undefined, {}, all).path).toBe(BROWSER_CANDIDATES[0]);
  });

  it('says why when there is none', () => {
    const none = () => false;
    expect(findBrowser('/opt/chrome', {}, none).reason).toMatch(/configured browser \/opt\/chrome does not exist/);
    expect(findBrowser(undefined, { PUPPETEER_EXECUTABLE_PATH: '/x' }, none).reason).toMatch(/PUPPETEER_EXECUTABLE_PATH/);
    expect(findBrowser(undefined, {}, none)).toEqual({ reason: 'no Chrome or Chromium found' });
  });
});

describe('SVG mode Markdown', () => {
  it('references one SVG per diagram and keeps each Mermaid source folded under it', async () => {
    const model = await analyseFixture('npm-workspaces-shop');
    const md = renderDiagram('high-level', model, undefined, { maxNodes: 40, maxEdges: 80, render: 'svg' });
    expect(md).toMatch(/^!\[High-level architecture\]\(diagrams\/high-level\.svg\)\n\n<details><summary>Mermaid source<\/summary>/);
    const sources = svgSources(md);
    expect(sources.map((s) => s.id)).toEqual(['high-level']);
    expect(sources[0]!.code).toBe(mermaidFences(md)[0]!.code);
  });

  it('without a browser: one line naming what to install, Markdown as usual, exit 0 (1 with --strict)', async () => {
    const repo = copyFixture('npm-workspaces-shop', { diagrams: { browser: '/nonexistent/chromium' } });
    const r = await runCli(['generate', '--render', 'svg'], repo);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /SVG/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SVG diagrams not rendered: the configured browser .* does not exist; .*apt-get install chromium/);
    // No link to a file that was never written: the diagrams stay inline as Mermaid.
    expect(lines[0]).toMatch(/the diagrams stay inline as Mermaid$/);
    const doc = fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(doc).not.toContain('](diagrams/');
    expect(doc).toContain('```mermaid');
    expect(fs.existsSync(path.join(repo, 'docs', 'diagrams'))).toBe(false);

    const strict = await runCli(['generate', '--render', 'svg', '--strict'], repo);
    expect(strict.code).toBe(1);
  });

  it('archdoc check never needs a browser, and agrees with a document generated in SVG mode', async () => {
    const repo = copyFixture('npm-workspaces-shop', { diagrams: { render: 'svg', browser: '/nonexistent/chromium' } });
    expect((await runCli(['generate'], repo)).code).toBe(0);
    const check = await runCli(['check'], repo);
    expect(check.code).toBe(0);
    expect(check.stderr).not.toMatch(/SVG/);
  });

  it('rejects an unknown --render format', async () => {
    const repo = copyFixture('npm-workspaces-shop');
    const r = await runCli(['generate', '--render', 'png'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--render/);
  });
});

const browser = findBrowser(undefined).path;
const hasCli = fs.existsSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', '@mermaid-js', 'mermaid-cli'));
const reason = !browser
  ? ' (skipped: no Chrome or Chromium on this machine; apt-get install chromium)'
  : !hasCli
    ? ' (skipped: @mermaid-js/mermaid-cli is not installed)'
    : '';

describe('SVG rendering with a real browser', () => {
  it.skipIf(reason !== '')(
    `renders every referenced diagram to byte-identical SVG files${reason}`,
    async () => {
      const repo = copyFixture('npm-workspaces-shop');
      const first = await withBrowserEnv(undefined, () => runCli(['generate', '--render', 'svg'], repo));
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toMatch(/wrote \d+ SVG diagram\(s\) under docs\/diagrams/);
      const doc = fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
      const ids = svgSources(doc).map((s) => s.id);
      expect(ids.length).toBeGreaterThan(0);
      const bytes = ids.map((id) => fs.readFileSync(path.join(repo, 'docs', 'diagrams', `${id}.svg`)));
      for (const b of bytes) expect(b.toString('utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
      // Labels made it into the drawing.
      expect(bytes[0]!.toString('utf8')).toContain('@shop/api');

      const second = await withBrowserEnv(undefined, () => runCli(['generate', '--render', 'svg'], repo));
      expect(second.code).toBe(0);
      expect(second.stderr).not.toMatch(/wrote \d+ SVG/);
      ids.forEach((id, i) => {
        expect(fs.readFileSync(path.join(repo, 'docs', 'diagrams', `${id}.svg`)).equals(bytes[i]!)).toBe(true);
      });
    },
    300_000,
  );
});
