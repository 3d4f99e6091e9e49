/**
 * documents: the repository's own documentation, for the Related documentation section —
 * READMEs, architecture decision records, API specifications, runbooks, changelogs.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { DocumentLink } from '../../src/model/schema.js';
import { findLine } from '../../src/util/text.js';
import { idOf } from '../../src/model/ids.js';

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
});
