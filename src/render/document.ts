/**
 * Rendering: model + config → the Markdown document (before human blocks are merged in).
 * Two passes: the glossary lists only the terms the first pass actually used.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Component, Model } from '../model/schema.js';
import { slug } from '../model/ids.js';
import { ArchdocError, EXIT } from '../util/errors.js';
import { toPosix } from '../util/paths.js';
import { GENERATED_HEADER } from './blocks.js';
import { createEnvironment } from './environment.js';
import { glossaryFor } from './glossary.js';
import { safe } from './escape.js';
import { buildView, isDetailed, type View } from './view.js';
import { compareStrings } from '../model/compare.js';
import { evidenceInAppendix } from './sections.js';
import { BUDGETS, MOVE_ORDER, PAGES, pagePath, significantItems, withinBudget, type PageKind } from './pages.js';

export const DOCUMENT_TEMPLATE = 'document.md.njk';
export const COMPONENT_PAGE_TEMPLATE = 'component-page.md.njk';
const GLOSSARY_SECTION = 'sections/glossary.njk';
export const PRETTIER_START = '<!-- prettier-ignore-start -->';
export const PRETTIER_END = '<!-- prettier-ignore-end -->';

/** POSIX path from the output's directory to the repository root, '' when they are the same. */
export function linkBaseFor(root: string, output: string): string {
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : root;
  let outDir = path.dirname(output);
  // Resolve the output directory through links as far as it exists, so links stay relative.
  const existing = fs.existsSync(outDir) ? fs.realpathSync(outDir) : path.resolve(outDir);
  outDir = existing;
  return toPosix(path.relative(outDir, realRoot));
}

export interface RenderedDocument {
  /** Absolute path the document belongs at. */
  output: string;
  text: string;
}

/** The page of one component at comprehensive depth: `<output dir>/architecture/components/<path>.md`. */
export function componentPagePath(output: string, component: Component): string {
  const name = component.path === '.' ? slug(component.name) : component.path.replace(/[^A-Za-z0-9._-]+/g, '-');
  return path.join(path.dirname(output), 'architecture', 'components', `${name}.md`);
}

/**
 * A glossary entry no document contains: it marks where the glossary section was rendered. Safe
 * text, so the autoescape keeps its control characters, which no repository text keeps.
 */
const GLOSSARY_TERM = '\u0001archdoc-glossary\u0001';
const GLOSSARY_MARK = { term: safe(GLOSSARY_TERM), definition: safe('\u0001') };

function renderTemplate(model: Model, config: ResolvedConfig, template: string, extra: Partial<View>, inlineEvidence = false): string {
  // A fresh environment per render, so per-render state (evidence footnotes) starts empty.
  const render = (name: string, glossary: ReturnType<typeof glossaryFor>) => {
    try {
      return createEnvironment({
        model,
        linkBase: linkBaseFor(config.root, config.output),
        diagrams: config.diagrams,
        templatesDir: config.templatesDir,
        // A page has no appendix of its own: its evidence is always inline.
        evidenceMode: evidenceInAppendix(config.audience) && !inlineEvidence ? 'appendix' : 'inline',
        detailedDiagrams: config.diagrams.detailed,
      }).render(name, { model, view: { ...buildView(model, config, glossary), ...extra }, doc: config.document });
    } catch (e) {
      // A mistake in the user's own templates is theirs to mend: said plainly, without a stack.
      const own = config.templatesDir && e instanceof Error && e.message.includes(`(${path.resolve(config.templatesDir)}${path.sep}`);
      throw own ? new ArchdocError(`a template in ${config.templatesDir} could not be rendered: ${e.message}`, EXIT.usage) : e;
    }
  };
  // The glossary lists the terms the rest of the document uses, so it is known only after the
  // document is rendered. Render the document once with a marked glossary, then render the
  // glossary section alone, marked and real, and swap one for the other. A template that renders
  // the glossary elsewhere or more than once gets a second full render instead.
  // A template that reads the glossary without printing it (a count, say) would be misled by the
  // mark: noticing the read, it gets a second, full render with the real glossary.
  let read = false;
  const markedGlossary = new Proxy([GLOSSARY_MARK], {
    get(target, key, receiver) {
      read = true;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const first = render(template, markedGlossary);
  const count = (text: string, part: string) => text.split(part).length - 1;
  let text = first;
  if (first.includes(GLOSSARY_TERM)) {
    const terms = glossaryFor(first);
    const marked = render(GLOSSARY_SECTION, [GLOSSARY_MARK]);
    const at = first.indexOf(marked);
    const once = at >= 0 && count(first, marked) === 1 && count(first, GLOSSARY_TERM) === count(marked, GLOSSARY_TERM);
    text = once ? first.slice(0, at) + render(GLOSSARY_SECTION, terms) + first.slice(at + marked.length) : render(template, terms);
  } else if (read) {
    text = render(template, glossaryFor(first));
  }
  // Formatters leave generated text alone, so `npm run format` and `archdoc check` never fight.
  return normaliseMarkdown(`${GENERATED_HEADER}\n\n${PRETTIER_START}\n\n${text}\n\n${PRETTIER_END}`);
}

/** The main document alone. */
export function renderDocument(model: Model, config: ResolvedConfig): string {
  return renderDocuments(model, config)[0]!.text;
}

/**
 * The main document, then its pages, linked from it: at comprehensive depth one page per
 * component; at the other depths, past the reading budget (pages.ts), the inventories moved out
 * in `MOVE_ORDER`, one page each, and the page of each detailed component once the components'
 * details have moved.
 */
export function renderDocuments(model: Model, config: ResolvedConfig): RenderedDocument[] {
  const rel = (from: string, to: string) => toPosix(path.relative(path.dirname(from), to));
  const budget = BUDGETS[config.depth];
  const significant = significantItems(model, config.depth);
  const moved: Partial<Record<PageKind, string>> = {};
  const componentPages = (): Component[] => {
    if (config.depth === 'comprehensive') return model.components;
    if (!moved.components) return [];
    return [...model.components].filter((c) => isDetailed(c, config.depth)).sort((a, b) => compareStrings(a.id, b.id));
  };
  const renderMain = () => {
    const pages = componentPages().map((c) => ({ c, output: componentPagePath(config.output, c) }));
    const pageLinks = Object.fromEntries(pages.map((p) => [p.c.id, rel(config.output, p.output)]));
    const text = renderTemplate(model, config, DOCUMENT_TEMPLATE, { pageLinks, isPage: false, moved: { ...moved }, significant });
    return { pages, text };
  };
  let main = renderMain();
  // Over budget: the next inventory moves to its page, and the document is rendered again.
  for (const kind of MOVE_ORDER) {
    if (withinBudget(main.text, budget)) break;
    moved[kind] = rel(config.output, pagePath(config.output, kind));
    main = renderMain();
  }
  const out: RenderedDocument[] = [{ output: config.output, text: main.text }];
  for (const kind of MOVE_ORDER) {
    if (!moved[kind]) continue;
    const output = pagePath(config.output, kind);
    const pageLinks = Object.fromEntries(main.pages.map((p) => [p.c.id, rel(output, p.output)]));
    out.push({
      output,
      text: renderTemplate(
        model,
        { ...config, output },
        PAGES[kind].template,
        { mainLink: rel(output, config.output), isPage: true, pageLinks, moved: {}, significant, pageTitle: PAGES[kind].title },
        true,
      ),
    });
  }
  for (const p of main.pages) {
    const pageConfig = { ...config, output: p.output };
    out.push({
      output: p.output,
      text: renderTemplate(
        model,
        pageConfig,
        COMPONENT_PAGE_TEMPLATE,
        { component: p.c, mainLink: rel(p.output, config.output), isPage: true, pageLinks: {}, moved: {}, significant },
        true,
      ),
    });
  }
  return out;
}

/** LF endings, no trailing spaces, at most one blank line in a row, one final newline. */
export function normaliseMarkdown(text: string): string {
  // Trailing spaces and newlines are cut by loops: `/[ \t]+$/gm` rescans a run of spaces from
  // each of its characters when no line end follows (a title of 200 KB of spaces took a minute).
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let end = line.length;
    while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
    if (end < line.length) lines[i] = line.slice(0, end);
  }
  const out = lines.join('\n').replace(/\n{3,}/g, '\n\n');
  let end = out.length;
  while (end > 0 && out[end - 1] === '\n') end--;
  return out.slice(0, end) + '\n';
}
