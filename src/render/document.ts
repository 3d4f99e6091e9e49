/**
 * Rendering: model + config → the Markdown document (before human blocks are merged in).
 * Two passes: the glossary lists only the terms the first pass actually used.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Model } from '../model/schema.js';
import { toPosix } from '../util/paths.js';
import { GENERATED_HEADER } from './blocks.js';
import { createEnvironment } from './environment.js';
import { glossaryFor } from './glossary.js';
import { buildView } from './view.js';

export const DOCUMENT_TEMPLATE = 'document.md.njk';
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

export function renderDocument(model: Model, config: ResolvedConfig): string {
  const env = createEnvironment({
    model,
    linkBase: linkBaseFor(config.root, config.output),
    diagrams: config.diagrams,
    templatesDir: config.templatesDir,
  });
  const render = (glossary: ReturnType<typeof glossaryFor>) =>
    env.render(DOCUMENT_TEMPLATE, { model, view: buildView(model, config, glossary), doc: config.document });
  const first = render([]);
  const text = render(glossaryFor(first));
  // Formatters leave generated text alone, so `npm run format` and `archdoc check` never fight.
  return normaliseMarkdown(`${GENERATED_HEADER}\n\n${PRETTIER_START}\n\n${text}\n\n${PRETTIER_END}`);
}

/** LF endings, no trailing spaces, at most one blank line in a row, one final newline. */
export function normaliseMarkdown(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\n*$/, '') + '\n'
  );
}
