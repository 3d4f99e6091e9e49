/**
 * Optional SVG rendering (`archdoc generate --render svg`, or config `diagrams.render: 'svg'`).
 *
 * In SVG mode the document references `diagrams/<id>.svg` and keeps each Mermaid source folded
 * under its image, so the Markdown is a pure function of the model: the same with or without a
 * browser, and `archdoc check` never needs one. This module then draws the referenced files with
 * @mermaid-js/mermaid-cli (an optional peer, installed by the project) in a browser already on the
 * machine: one launch for all diagrams, deterministic ids and seeds so the SVG bytes do not change
 * between runs, and files rewritten only when their bytes differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../pipeline/write.js';
import { packageRoot } from '../util/package.js';
import { confined, readRegular } from '../util/safe-fs.js';

/** Where browsers are installed by common system packages, in the order tried. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Said when @mermaid-js/mermaid-cli cannot be loaded: it is not installed with archdoc, only by a project that wants SVG. */
export const MERMAID_CLI_MISSING =
  'SVG diagrams not rendered: @mermaid-js/mermaid-cli is not installed (add it to your project: `npm install -D @mermaid-js/mermaid-cli`)';

export const INSTALL_HINT =
  'install Chromium from your system packages (Debian/Ubuntu: `apt-get install chromium`), or set `diagrams.browser` / PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium executable';

/**
 * The browser to use: the configured path, then PUPPETEER_EXECUTABLE_PATH, then common system
 * paths. `reason` says why none was found.
 */
export function findBrowser(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  exists: (p: string) => boolean = (p) => fs.existsSync(p),
): { path?: string; reason?: string } {
  if (configured) return exists(configured) ? { path: configured } : { reason: `the configured browser ${configured} does not exist` };
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) return exists(fromEnv) ? { path: fromEnv } : { reason: `PUPPETEER_EXECUTABLE_PATH (${fromEnv}) does not exist` };
  const found = BROWSER_CANDIDATES.find(exists);
  return found ? { path: found } : { reason: 'no Chrome or Chromium found' };
}

export interface SvgSource {
  /** File name without extension, under `diagrams/` beside the document. */
  id: string;
  code: string;
}

const IMAGE_TARGET = '](diagrams/';
const SOURCE_HEAD = ')\n\n<details><summary>Mermaid source</summary>\n\n```mermaid\n';
const isIdChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45 || c === 95;

/**
 * The diagrams a document in SVG mode references, with their Mermaid sources, in document order:
 * what `/!\[[^\]\n]*\]\(diagrams\/([A-Za-z0-9._-]+)\.svg\)\n\n<details>…```mermaid\n([\s\S]*?)\n```/g`
 * finds, searched from each `](diagrams/` instead of from each `![` (a line of `![` without a `]`
 * made that quadratic).
 */
export function svgSources(markdown: string): SvgSource[] {
  const seen = new Set<string>();
  const out: SvgSource[] = [];
  let from = 0;
  for (let at = markdown.indexOf(IMAGE_TARGET); at >= 0; at = markdown.indexOf(IMAGE_TARGET, Math.max(at + 1, from))) {
    // The alt text: `![`, then neither `]` nor a line break up to this `]`.
    let altStart = at;
    while (altStart > from && markdown[altStart - 1] !== ']' && markdown[altStart - 1] !== '\n') altStart--;
    if (!markdown.slice(altStart, at).includes('![')) continue;
    const idStart = at + IMAGE_TARGET.length;
    let idEnd = idStart;
    while (idEnd < markdown.length && isIdChar(markdown.charCodeAt(idEnd))) idEnd++;
    if (idEnd - idStart <= 4 || !markdown.startsWith('.svg', idEnd - 4) || !markdown.startsWith(SOURCE_HEAD, idEnd)) continue;
    const codeStart = idEnd + SOURCE_HEAD.length;
    const codeEnd = markdown.indexOf('\n```', codeStart);
    // No closing fence: no later diagram can have one either.
    if (codeEnd < 0) break;
    from = codeEnd + 4;
    const id = markdown.slice(idStart, idEnd - 4);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, code: markdown.slice(codeStart, codeEnd) });
  }
  return out;
}

/** Mermaid settings for byte-identical output. */
export function mermaidConfigFor(id: string): Record<string, unknown> {
  return {
    theme: 'default',
    deterministicIds: true,
    deterministicIDSeed: id,
    handDrawnSeed: 1,
    flowchart: { htmlLabels: true, useMaxWidth: true },
  };
}

export interface SvgOutcome {
  /** Files written or rewritten (POSIX, relative to the document's directory). */
  written: string[];
  unchanged: string[];
  /** Set when nothing was rendered: one line saying why and what to install. */
  skipped?: string;
  failed: { id: string; error: string }[];
}

interface Browser {
  close(): Promise<void>;
}
interface Puppeteer {
  launch(options: Record<string, unknown>): Promise<Browser>;
}
type RenderMermaid = (browser: Browser, definition: string, format: 'svg', options: Record<string, unknown>) => Promise<{ data: Uint8Array }>;

/** Import an optional module by name, without the compiler requiring it to be installed. */
async function optionalImport<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch {
    return undefined;
  }
}

/**
 * Import an optional module with the working directory set to archdoc's own package root.
 * Puppeteer (imported by mermaid-cli too) looks for its configuration when it is imported, from
 * the working directory upwards (cosmiconfig: package.json "puppeteer", .puppeteerrc.*,
 * puppeteer.config.*), and a `.puppeteerrc.cjs` is JavaScript it runs. From archdoc's root it
 * finds archdoc's own `.puppeteerrc.cjs` first, never the analysed repository's.
 */
async function importPinned<T>(name: string): Promise<T | undefined> {
  const cwd = process.cwd();
  try {
    process.chdir(packageRoot());
  } catch {
    // No chdir (a worker thread): loading puppeteer here could read the repository's config.
    return undefined;
  }
  try {
    return await optionalImport<T>(name);
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Why SVG diagrams cannot be rendered here (no mermaid-cli, no browser, no puppeteer), or
 * undefined when they can be tried. Checked before the document is rendered, so a document never
 * links SVG files that will not be written.
 */
export async function svgUnavailable(browser?: string): Promise<string | undefined> {
  if (!(await importPinned('@mermaid-js/mermaid-cli'))) {
    return MERMAID_CLI_MISSING;
  }
  const found = findBrowser(browser);
  if (!found.path) return `SVG diagrams not rendered: ${found.reason}; ${INSTALL_HINT}`;
  if (!(await importPinned('puppeteer')) && !(await importPinned('puppeteer-core'))) {
    return 'SVG diagrams not rendered: puppeteer (installed with @mermaid-js/mermaid-cli) could not be loaded';
  }
  return undefined;
}

/**
 * Render every diagram `markdown` references into `<dir of output>/diagrams/<id>.svg`. Never
 * throws for a missing browser or package: the outcome says what was skipped and why.
 */
export async function renderSvgs(markdown: string, output: string, options: { browser?: string; boundary?: string } = {}): Promise<SvgOutcome> {
  const outcome: SvgOutcome = { written: [], unchanged: [], failed: [] };
  const sources = svgSources(markdown);
  if (sources.length === 0) return outcome;
  const cli = await importPinned<{ renderMermaid: RenderMermaid }>('@mermaid-js/mermaid-cli');
  if (!cli) {
    outcome.skipped = MERMAID_CLI_MISSING;
    return outcome;
  }
  const browserPath = findBrowser(options.browser);
  if (!browserPath.path) {
    outcome.skipped = `SVG diagrams not rendered: ${browserPath.reason}; ${INSTALL_HINT}`;
    return outcome;
  }
  const puppeteer = (await importPinned<{ default: Puppeteer }>('puppeteer')) ?? (await importPinned<{ default: Puppeteer }>('puppeteer-core'));
  if (!puppeteer) {
    outcome.skipped = 'SVG diagrams not rendered: puppeteer (installed with @mermaid-js/mermaid-cli) could not be loaded';
    return outcome;
  }
  // The diagrams directory, like the document, must resolve inside the boundary (links followed).
  const dir = confined(path.join(path.dirname(output), 'diagrams'), options.boundary, 'diagrams', 'directory').real;
  const args = ['--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'];
  // Chromium refuses to run as root with its sandbox on.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.unshift('--no-sandbox', '--disable-setuid-sandbox');
  let browser: Browser;
  try {
    browser = await puppeteer.default.launch({ executablePath: browserPath.path, headless: true, args });
  } catch (e) {
    outcome.skipped = `SVG diagrams not rendered: ${browserPath.path} did not start (${String((e as Error).message).split('\n')[0]}); ${INSTALL_HINT}`;
    return outcome;
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const s of sources) {
      try {
        const { data } = await cli.renderMermaid(browser, s.code, 'svg', {
          mermaidConfig: mermaidConfigFor(s.id),
          backgroundColor: 'white',
          svgId: s.id,
        });
        const rel = `diagrams/${s.id}.svg`;
        const file = confined(path.join(dir, `${s.id}.svg`), options.boundary, rel);
        const svg = Buffer.from(data).toString('utf8');
        if (file.exists && readRegular(file.real, rel) === svg) outcome.unchanged.push(rel);
        else {
          writeAtomic(file.real, svg, { boundary: options.boundary, name: rel });
          outcome.written.push(rel);
        }
      } catch (e) {
        outcome.failed.push({ id: s.id, error: String((e as Error).message).split('\n')[0]! });
      }
    }
  } finally {
    await browser.close();
  }
  return outcome;
}
