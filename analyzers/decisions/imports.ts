/**
 * Catalogued messaging and workflow technologies imported by production code: the messaging rule
 * names one whose channels archdoc did not find (a Temporal client starting nothing archdoc reads; an amqplib
 * connection whose queue names are computed) rather than saying nothing. Plain string scanning of
 * import specifiers, no regular expression over the file.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { LEDGER, PACKAGES } from '../../src/data/tech-catalogue.js';
import { compareStrings } from '../../src/model/compare.js';
import { testFile } from './headlines.js';
import { codeOnly } from '../../src/util/text.js';

/** An imported messaging technology: its catalogue name, the queue techs it yields when read, and where it is imported. */
export interface MessagingImport {
  name: string;
  queues: string[];
  yields: string;
  evidence: Evidence;
}

/** Package specifiers of catalogued technologies of the ledger's messaging category. */
function messagingPackages(): [string, string][] {
  return Object.entries(PACKAGES)
    .filter(([, e]) => LEDGER[e.name]?.category === 'messaging')
    .map(([pkg, e]) => [pkg, e.name] as [string, string])
    .sort((a, b) => compareStrings(a[0], b[0]));
}

/**
 * The line (1-based) of an import of `pkg` (or a subpath) in `text`, if any. `code` is the text
 * with comments and string contents blanked: a specifier's opening quote survives only where it
 * really opens a string in code, so an import quoted in a comment or a string is no import.
 */
function importLine(text: string, code: string, pkg: string): number | undefined {
  for (const q of ["'", '"']) {
    for (const tail of [q, '/']) {
      const needle = q + pkg + tail;
      let at = text.indexOf(needle);
      while (at >= 0) {
        const start = text.lastIndexOf('\n', at) + 1;
        const end = text.indexOf('\n', at);
        const line = text.slice(start, end < 0 ? text.length : end);
        const before = line.slice(0, at - start).trim();
        const isImport =
          code[at] === q &&
          (before.startsWith('import') ||
            before.startsWith('export') ||
            before.startsWith('} from') ||
            before.endsWith('from') ||
            before.endsWith('require(') ||
            before.endsWith('import('));
        if (isImport) {
          let n = 1;
          for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) n++;
          return n;
        }
        at = text.indexOf(needle, at + 1);
      }
    }
  }
  return undefined;
}

/** Each messaging technology imported by a production TypeScript/JavaScript file, at its first import (files in path order). */
export function messagingImports(ctx: AnalyzerContext): MessagingImport[] {
  const pkgs = messagingPackages();
  const found = new Map<string, MessagingImport>();
  const files = [...ctx.typescriptFiles()].filter((f) => !ctx.isSetAside(f) && !testFile(f) && !f.split('/').includes('node_modules')).sort(compareStrings);
  for (const file of files) {
    if (found.size === new Set(pkgs.map(([, n]) => n)).size) break;
    const text = ctx.read(file);
    if (text === undefined) continue;
    let code: string | undefined;
    for (const [pkg, name] of pkgs) {
      if (found.has(name) || !text.includes(pkg)) continue;
      const line = importLine(text, (code ??= codeOnly(text)), pkg);
      if (line === undefined) continue;
      const entry = LEDGER[name]!;
      found.set(name, { name, queues: entry.reads?.queues ?? [], yields: entry.yields, evidence: { file, line } });
    }
  }
  return [...found.values()].sort((a, b) => compareStrings(a.name, b.name));
}
