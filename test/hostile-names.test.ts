/**
 * Names that reach readers and CI (issue #21 cases 5, 12 and 15). Every name, description, path
 * and title in a document comes from the repository: it must add no HTML, break no table, form no
 * human-block marker, crash no render, and inject no workflow command into a CI log.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nunjucks from 'nunjucks';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { Model } from '../src/model/schema.js';
import { analyse } from '../src/pipeline/analyse.js';
import { END_MARKER, GENERATED_HEADER, mergeBlocks, parseBlocks } from '../src/render/blocks.js';
import { cell, markdownText } from '../src/render/escape.js';
import { precompileTemplates, TemplateLoader } from '../src/render/loader.js';
import { PRETTIER_END, PRETTIER_START, renderDocuments } from '../src/render/document.js';
import { commandMessage, commandProperty, printable } from '../src/util/terminal.js';
import { copyFixture, FIXTURES, removeTemps, runCli } from './helpers.js';

afterEach(removeTemps);

/** What a hostile repository puts in every string it controls. */
const HOSTILE =
  ' <script>alert(1)</script><img src=x onerror=alert(2)> a | b \\| c `tick` <!-- hide\n<!-- archdoc:human id="planted" -->\n<!-- /archdoc:human -->\r::error file=x::pwned \u001b[31m &lt;';

/** The text of a Markdown document with its code spans and Mermaid blocks removed (there HTML is inert or escaped). */
function outsideCode(text: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    let kept = '';
    for (let i = 0; i < line.length; ) {
      if (line[i] !== '`') {
        kept += line[i++];
        continue;
      }
      let n = 0;
      while (line[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      const end = line.indexOf(fence, i + n);
      // A span ends at the same number of backticks, not followed by another.
      let close = end;
      while (close >= 0 && line[close + n] === '`') close = line.indexOf(fence, close + n + 1);
      if (close < 0) {
        kept += line.slice(i, i + n);
        i += n;
      } else {
        kept += 'CODE';
        i = close + n;
      }
    }
    out.push(kept);
  }
  return out.join('\n');
}

/**
 * Cell separators of a table row: pipes with no backslash just before them. GFM (cmark-gfm and
 * markdown-it alike) reads a pipe after a backslash as part of the cell, even inside a code span
 * and even after another backslash.
 */
function separators(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) if (row[i] === '|' && row[i - 1] !== '\\') n++;
  return n;
}

/** Every table's rows have as many cells as its header. */
function expectTablesIntact(text: string): void {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/^\|( --- \|)+$/.test(lines[i]!)) continue;
    const columns = separators(lines[i - 1]!);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
      expect(separators(lines[j]!), `table row at line ${j + 1}: ${lines[j]}`).toBe(columns);
    }
  }
}

/** Values from a closed list the templates branch on (a kind, a category), not text from the repository. */
const CLOSED = new Set([
  'kind',
  'protocol',
  'source',
  'cardinality',
  'role',
  'severity',
  'layer',
  'entryKind',
  'arm',
  'category',
  'schemaVersion',
  'targetKind',
  'topic',
  'drift',
  // A decision's basis: which rule fired and its outcome, branched on by src/render/view-decisions.ts.
  'rule',
  'outcome',
]);

/** Every other string in the model gets the hostile text appended (ids too: consistently, so references still hold). */
function poison(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return CLOSED.has(key) ? value : value + HOSTILE;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
  }
  return value;
}

async function hostileDocuments(fixture: string): Promise<string[]> {
  const root = path.join(FIXTURES, fixture);
  const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md'), depth: 'comprehensive' });
  const { model } = await analyse(config);
  const hostile = poison(model) as Model;
  return renderDocuments(hostile, config).map((d) => mergeBlocks(d.text, undefined).text);
}

describe('repository text in the document (case 5a)', () => {
  for (const fixture of ['express-prisma-api', 'secure-observable-api', 'nextjs-app', 'layered-adr-service']) {
    it(`adds no HTML, breaks no table and forms no marker: every string of ${fixture} hostile`, async () => {
      const docs = await hostileDocuments(fixture);
      for (const text of docs) {
        expect(text).toContain('alert(1)'); // the hostile text is there, as text
        const prose = outsideCode(text).split('\n');
        expect(prose.filter((l) => /<script|<img|<\/script/i.test(l))).toEqual([]);
        // The only HTML is archdoc's own: its header, the formatter guards, whole marker lines and
        // the templates' collapsible sections (their summaries are archdoc's words).
        const ours = new Set([GENERATED_HEADER, PRETTIER_START, PRETTIER_END, END_MARKER, '</details>']);
        const html = prose.filter(
          (line) =>
            /<[A-Za-z/!?]/.test(line) &&
            !ours.has(line) &&
            !/^<!-- archdoc:human id="[^"\n]+" -->$/.test(line) &&
            !/^<details><summary>[^<]*<\/summary>$/.test(line),
        );
        expect(html).toEqual([]);
        // No line of repository text starts a line: no planted marker, no workflow command.
        expect(text).not.toMatch(/^::/m);
        expect(text).not.toContain('\u001b');
        expect(text).not.toContain('\r');
        expect(parseBlocks(text).map((b) => b.id)).not.toContain('planted');
        expectTablesIntact(text);
      }
    });
  }

  it('keeps ordinary names as they are', async () => {
    const root = path.join(FIXTURES, 'express-prisma-api');
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    const { model } = await analyse(config);
    const c = model.components[0]!;
    c.description = 'Orders & invoices for R&D: p95 < 250 ms, p99 > 1 s';
    const text = renderDocuments(model, config)[0]!.text;
    expect(text).toContain('Orders & invoices for R&D: p95 < 250 ms, p99 > 1 s');
  });
});

describe('names that break rendering (case 12)', () => {
  for (const [what, dir] of [
    ['a quote', 'we"b'],
    ['a newline', 'we\nb'],
    ['a newline and a marker line', 'we\n<!-- archdoc:human id="x" -->'],
  ] as const) {
    it(`renders a package directory named with ${what}, twice, exit 0`, async () => {
      const repo = copyFixture('npm-workspaces-shop', { depth: 'comprehensive' });
      const moved = path.join(repo, 'apps', dir);
      fs.renameSync(path.join(repo, 'apps', 'web'), moved);
      // Without a name or description, the component is named and identified by its directory.
      const manifest = JSON.parse(fs.readFileSync(path.join(moved, 'package.json'), 'utf8'));
      delete manifest.name;
      delete manifest.description;
      fs.writeFileSync(path.join(moved, 'package.json'), JSON.stringify(manifest, null, 2));
      const first = await runCli([], repo);
      expect(first.stderr).not.toMatch(/unexpected error/);
      expect(first.code).toBe(0);
      const doc = fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
      // The name is shown, on one line, and its block's marker holds it encoded.
      expect(doc).toContain(`\`apps/${dir.replace(/\n/g, ' ')}\``);
      const pages = path.join(repo, 'docs', 'architecture', 'components');
      const page = fs.readFileSync(path.join(pages, fs.readdirSync(pages).find((f) => f.startsWith('apps-we'))!), 'utf8');
      expect(page).toContain(
        `<!-- archdoc:human id="component:apps/${dir.replace(/"/g, '%22').replace(/\n/g, '%0A').replace(/</g, '%3C').replace(/>/g, '%3E')}:responsibility" -->`,
      );
      expect((await runCli([], repo)).code).toBe(0);
      expect((await runCli(['check', '--no-cache'], repo)).code).toBe(0);
    });
  }

  it('renders a description and a file name holding a newline and a marker line', async () => {
    const repo = copyFixture('express-prisma-api');
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    manifest.description = 'Orders\n<!-- archdoc:human id="summary:executive" -->\nplanted';
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify(manifest, null, 2));
    fs.writeFileSync(
      path.join(repo, 'src', 'x\n<!-- archdoc:human id="summary:executive" -->.ts'),
      "import express from 'express';\nexport const r = express.Router();\nr.get('/x', (_q, s) => s.send());\n",
    );
    const first = await runCli([], repo);
    expect(first.stderr).not.toMatch(/unexpected error/);
    expect(first.code).toBe(0);
    expect((await runCli([], repo)).code).toBe(0);
    expect((await runCli(['check', '--no-cache'], repo)).code).toBe(0);
  });
});

describe('archdoc does not lock itself out (case 15)', () => {
  it('generates twice and checks when repository text mentions archdoc:human, keeping the human text', async () => {
    const repo = copyFixture('layered-adr-service', { depth: 'comprehensive' });
    const adr = path.join(repo, 'docs', 'adr', '0002-use-postgresql-for-invoices.md');
    fs.writeFileSync(adr, fs.readFileSync(adr, 'utf8').replace('# Use PostgreSQL for invoices', '# Keep rationale in archdoc:human blocks'));
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    manifest.description = 'Issues invoices; notes live in archdoc:human blocks <!-- archdoc:human id="x" -->';
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify(manifest, null, 2));

    const first = await runCli([], repo);
    expect(first.stderr).not.toMatch(/unexpected error/);
    expect(first.code).toBe(0);
    const docPath = path.join(repo, 'docs', 'ARCHITECTURE.md');
    const doc = fs.readFileSync(docPath, 'utf8');
    expect(doc).toContain('Keep rationale in archdoc:human blocks');
    // A person fills in a block.
    const filled = doc.replace(/(<!-- archdoc:human id="overview:problem" -->\n)_TODO[^\n]*/, '$1Billing needs one source of truth.');
    expect(filled).not.toBe(doc);
    fs.writeFileSync(docPath, filled);

    const second = await runCli([], repo);
    expect(second.stderr).not.toMatch(/unrecognised human-block marker/);
    expect(second.code).toBe(0);
    expect(fs.readFileSync(docPath, 'utf8')).toContain('Billing needs one source of truth.');
    expect((await runCli(['check', '--no-cache'], repo)).code).toBe(0);
  });
});

describe('repository text on stderr and in CI annotations (case 5b)', () => {
  it('prints a warning about a file named with a newline and a workflow command on one line', async () => {
    const repo = copyFixture('express-prisma-api');
    fs.writeFileSync(path.join(repo, 'src', 'x\n::error file=a.ts::pwned\r::warning::again.ts'), 'export const = ;\n');
    const r = await runCli([], repo);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('::'))).toEqual([]);
    expect(r.stderr).not.toContain('\r');
    const warning = lines.find((l) => l.includes('pwned'));
    expect(warning).toMatch(/^ {2}warning src\/x\\u000a::error file=a\.ts::pwned\\u000d::warning::again\.ts:1: /);
  });

  it('escapes names in GitHub annotations per the workflow-command rules', () => {
    expect(commandProperty('a,b:c%\r\nd')).toBe('a%2Cb%3Ac%25%0D%0Ad');
    expect(commandMessage('a,b:c%\r\nd')).toBe('a,b:c%25%0D%0Ad');
    expect(printable('a\n::error::x\u001b[2J\u0085\u2028')).toBe('a\\u000a::error::x\\u001b[2J\\u0085\\u2028');
  });

  it('check --format github annotates a workspace document whose folder holds a newline, on one line', async () => {
    const repo = copyFixture('npm-workspaces-shop', { targets: 'workspaces' });
    fs.renameSync(path.join(repo, 'apps', 'web'), path.join(repo, 'apps', 'w,e:b\n::error::pwned'));
    const r = await runCli(['check', '--format', 'github'], repo);
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.every((l) => l.startsWith('::error file='))).toBe(true);
    expect(annotations.join('\n')).toContain('apps/w%2Ce%3Ab\\u000a%3A%3Aerror%3A%3Apwned/docs/ARCHITECTURE.md,title=archdoc::');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  });
});

/** A CommonMark + GFM renderer (marked, which mermaid depends on): what a reader's browser would show. */
async function markdownToHtml(): Promise<(markdown: string) => string> {
  const require = createRequire(createRequire(import.meta.url).resolve('mermaid'));
  const { marked } = (await import(pathToFileURL(require.resolve('marked')).href)) as { marked: { parse(md: string, o: { async: false }): string } };
  return (markdown) => marked.parse(markdown, { async: false });
}

/** Rendered HTML with GFM's links of bare addresses (`https://…`, shown as themselves) back to text. */
function withoutBareLinks(html: string): string {
  return html.replace(/<a href="([^"<>]*)">\1<\/a>/g, '$1');
}

/** The headings of rendered HTML, in order. */
function headings(html: string): string[] {
  return [...html.matchAll(/<h[1-6][^>]*>.*?<\/h[1-6]>/g)].map((m) => m[0]);
}

describe('Markdown from repository text (case 5, review)', () => {
  const FENCE = '```';
  const IMAGE = '![pixel](https://evil.example/p.png)';
  const LINK = '[Click here to rotate keys](https://evil.example/phish)';

  for (const [what, description] of [
    ['a fence', FENCE],
    ['an image', IMAGE],
    ['a link', LINK],
  ] as const) {
    it(`renders a package description holding ${what} as text, and every heading after it`, async () => {
      const toHtml = await markdownToHtml();
      const documentWith = async (text: string): Promise<string> => {
        const repo = copyFixture('express-prisma-api');
        const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
        manifest.description = text;
        fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify(manifest, null, 2));
        expect((await runCli([], repo)).code).toBe(0);
        return fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8');
      };
      const hostile = toHtml(await documentWith(description));
      const plain = toHtml(await documentWith('Orders'));
      expect(headings(hostile)).toEqual(headings(plain));
      // No image, and no link but a bare address shown as itself (GFM links those; the reader sees where it goes).
      expect(hostile).not.toContain('<img');
      expect(withoutBareLinks(hostile)).not.toMatch(/<a href="https?:/);
      // The description is there, as the repository wrote it.
      expect(withoutBareLinks(hostile)).toContain(description);
    });
  }

  it('keeps every value that starts a line, a list item or a table cell as text, in one paragraph', async () => {
    const toHtml = await markdownToHtml();
    const values = [
      FENCE,
      '~~~',
      IMAGE,
      LINK,
      '[^1]',
      '[x]: https://evil.example',
      '# Heading',
      '###### h',
      '> quote',
      '- item',
      '+ item',
      '* item',
      '1. item',
      '12) item',
      '1.',
      '---',
      '***',
      '___',
      '===',
      '    indented code',
      ' # heading',
      '`code`',
      '<b>bold</b>',
      '<!-- hide',
      '| a | b |',
      '\\[x](y)',
    ];
    const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    // What a reader sees: HTML without GFM's links of bare addresses, and without the spaces a line starts with.
    const shows = (markdown: string) => withoutBareLinks(toHtml(markdown)).replace(/(<p>|<li>|<td>|\n) +/g, '$1');
    for (const v of values) {
      const shown = escapeHtml(v.trimStart());
      // At a line's start, after a paragraph, after a list marker and in a table cell.
      expect(shows(`${markdownText(v)}\n\n## After`), v).toBe(`<p>${shown}</p>\n<h2>After</h2>\n`);
      expect(shows(`Before\n${markdownText(v)}\n\n## After`), v).toBe(`<p>Before\n${shown}</p>\n<h2>After</h2>\n`);
      expect(shows(`- ${markdownText(v)}\n\n## After`), v).toBe(`<ul>\n<li>${shown}</li>\n</ul>\n<h2>After</h2>\n`);
      expect(shows(`| Name |\n| --- |\n| ${cell(v)} |\n\n## After`), v).toMatch(
        new RegExp(`<td>${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td>\n</tr>\n</tbody></table>\n<h2>After</h2>\n$`),
      );
    }
    // Ordinary names read as they are: a Next.js segment, a version, an option, R&D.
    expect(toHtml(markdownText('app/[id]/page 1.2.3 -v R&D p95 < 250 ms'))).toBe('<p>app/[id]/page 1.2.3 -v R&amp;D p95 &lt; 250 ms</p>\n');
    expect(markdownText('app/[id]/page 1.2.3')).toBe('app/\\[id\\]/page 1.2.3');
  });
});

describe('templates cannot reach JavaScript (issue #21 case 5, hardening)', () => {
  /** Each sets a global if it runs. */
  const ESCAPES = [
    'range.constructor("globalThis.archdocPwned = 1")()',
    'cycler.constructor("globalThis.archdocPwned = 1")()',
    'joiner.constructor("globalThis.archdocPwned = 1")()',
    '"".constructor.constructor("globalThis.archdocPwned = 1")()',
    'lipsum.constructor("globalThis.archdocPwned = 1")()',
    'range["constr" + "uctor"]("globalThis.archdocPwned = 1")()',
    'range[["constructor"]]("globalThis.archdocPwned = 1")()',
    'range.__proto__.constructor("globalThis.archdocPwned = 1")()',
    'constructor.constructor("globalThis.archdocPwned = 1")()',
  ];
  const pwned = () => (globalThis as { archdocPwned?: unknown }).archdocPwned;

  it('refuses every known way, in a template compiled now and in one compiled by the build, naming the template and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-template-escape-'));
    try {
      ESCAPES.forEach((expr, i) => {
        fs.writeFileSync(path.join(dir, `t${i}.njk`), `line one\n{{ ${expr} }}\n`);
      });
      for (const compiled of [null, precompileTemplates(dir)]) {
        const env = new nunjucks.Environment(new TemplateLoader([dir], { dir, compiled }) as unknown as nunjucks.ILoader, { autoescape: true });
        ESCAPES.forEach((expr, i) => {
          expect(() => env.render(`t${i}.njk`, {}), expr).toThrow(/t\d+\.njk\) \[Line \d+, Column \d+\][\s\S]*templates may not use `(constructor|__proto__)`/);
          expect(pwned(), expr).toBeUndefined();
        });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [expr, message] of [
    [ESCAPES[0]!, 'templates may not use `constructor`'],
    // Filters and tests every object inherits are not filters: `Object`, the prototype's accessors.
    ['"x" | constructor', 'filter not found: constructor'],
    ['("__proto__" | __lookupGetter__)()', 'filter not found: __lookupGetter__'],
    ['1 is constructor', 'test not found: constructor'],
  ] as const) {
    it(`generate stops with exit 2, naming the user template, on {{ ${expr} }}`, async () => {
      const repo = copyFixture('express-prisma-api');
      fs.mkdirSync(path.join(repo, 'doc-templates', 'sections'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'doc-templates', 'sections', 'glossary.njk'), `## Glossary\n\n{{ ${expr} }}\n`);
      fs.writeFileSync(path.join(repo, 'archdoc.config.json'), JSON.stringify({ templates: 'doc-templates' }));
      const r = await runCli([], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${path.join('doc-templates', 'sections', 'glossary.njk')})`);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(pwned()).toBeUndefined();
      expect(fs.existsSync(path.join(repo, 'docs', 'ARCHITECTURE.md'))).toBe(false);
    });
  }
});
