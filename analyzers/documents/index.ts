/**
 * documents: the repository's own documentation, for the Related documentation section —
 * READMEs, architecture decision records, API specifications, runbooks, changelogs.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { DocumentLink } from '../../src/model/schema.js';
import { findLine } from '../../src/util/text.js';
import { idOf } from '../../src/model/ids.js';
import { readmeDescription } from '../../src/analysis/descriptions.js';
import { dirOf } from '../../src/util/paths.js';

/** README file names, lower-case, in the order one is preferred when a folder holds several. */
const README_NAMES = ['readme.md', 'readme.markdown', 'readme'];

const RULES: { kind: DocumentLink['kind']; test: RegExp }[] = [
  { kind: 'adr', test: /(^|\/)(adrs?|decisions|architecture-decisions|decision-records)\/[^/]*\.md$/i },
  { kind: 'openapi', test: /(^|\/)(openapi|swagger)[^/]*\.(ya?ml|json)$/i },
  { kind: 'asyncapi', test: /(^|\/)asyncapi[^/]*\.(ya?ml|json)$/i },
  { kind: 'runbook', test: /(^|\/)(runbooks?|playbooks?)(\/|[^/]*\.md$)/i },
  { kind: 'readme', test: /(^|\/)README(\.[a-z]+)?\.md$/i },
  { kind: 'changelog', test: /(^|\/)CHANGELOG\.md$/i },
  { kind: 'contributing', test: /(^|\/)CONTRIBUTING\.md$/i },
  { kind: 'docs', test: /^docs?\/.*\.md$/i },
];

function titleOf(text: string | undefined, fallback: string): string {
  const heading = text?.split('\n').find((l) => /^#\s+\S/.test(l));
  return heading ? heading.replace(/^#\s+/, '').trim() : fallback;
}

export default defineAnalyzer({
  meta: {
    name: 'documents',
    description: 'READMEs, ADRs, OpenAPI/AsyncAPI specs, runbooks and other documentation in the repository',
    produces: ['documents'],
    reads: ['documentation'],
    consumes: ['components.settled'],
    amends: ['components'],
  },
  analyze(ctx) {
    for (const file of ctx.files) {
      // A README or index inside a decisions folder introduces the records; it is not one.
      const rule = RULES.find((r) => r.test.test(file) && !(r.kind === 'adr' && /(^|\/)(README|index|template)\.md$/i.test(file)));
      if (!rule) continue;
      // Fixture and test trees carry READMEs about tests, not about the system.
      if (/(^|\/)(node_modules|fixtures|test|tests|__tests__)\//.test(file)) continue;
      let name = file;
      let line = 0;
      if (file.endsWith('.md')) {
        const text = ctx.read(file);
        name = titleOf(text, file);
        // ADR headings often carry their number ("# 1. Record architecture decisions"): the number is a column of its own.
        if (rule.kind === 'adr') name = name.replace(/^\d+[.:]\s+/, '');
        line = text ? findLine(text, /^#\s+\S/) : 0;
      }
      ctx.emit('documents', { id: idOf.document(file), name, kind: rule.kind, evidence: [{ file, line }] });
    }
  },
  /**
   * A component's responsibility from its README when its manifest says nothing: the first
   * paragraph of the README in its folder, when real text (src/analysis/descriptions.ts). The
   * root's README speaks for the whole system, so it speaks for the root component only when that
   * is the only component.
   */
  link(model, ctx) {
    const readmes = new Map<string, string>();
    for (const file of ctx.files) {
      const slash = file.lastIndexOf('/');
      const base = file.slice(slash + 1).toLowerCase();
      const rank = README_NAMES.indexOf(base);
      if (rank < 0) continue;
      const dir = slash < 0 ? '.' : dirOf(file);
      const held = readmes.get(dir);
      if (held === undefined || README_NAMES.indexOf(held.slice(held.lastIndexOf('/') + 1).toLowerCase()) > rank) readmes.set(dir, file);
    }
    for (const c of model.components) {
      if (c.description !== undefined) continue;
      if (c.path === '.' && model.components.length > 1) continue;
      const file = readmes.get(c.path);
      if (file === undefined) continue;
      const text = ctx.read(file);
      if (text === undefined) continue;
      const found = readmeDescription(text, [c.name, c.packageName ?? c.name, c.path.slice(c.path.lastIndexOf('/') + 1)]);
      if (!found) continue;
      c.description = found.text;
      c.descriptionFrom = { source: 'readme', evidence: { file, line: found.line } };
    }
  },
});
