/**
 * Human-owned blocks: the parts of the document people write. Their content is kept verbatim,
 * by id, across every regeneration; a block whose id is no longer generated moves to an
 * "Orphaned notes" section instead of being dropped. Broken markers stop the write.
 *
 *   <!-- archdoc:human id="decision:primary-database" -->
 *   _TODO: why this choice, alternatives considered, trade-offs._
 *   <!-- /archdoc:human -->
 */
import { ArchdocError, EXIT } from '../util/errors.js';
import { printable } from '../util/terminal.js';

const START = /^\s*<!-- archdoc:human id="([^"\n]+)" -->\s*$/;
const END = /^\s*<!-- \/archdoc:human -->\s*$/;
const TOKEN = 'archdoc:human';

/** First line of every generated document; a file without it was not written by archdoc. */
export const GENERATED_HEADER = '<!-- archdoc: generated document. Edit only between the human-block markers; everything else is regenerated. -->';

export const ORPHANS_HEADING = '## Orphaned notes';

export interface HumanBlock {
  id: string;
  content: string;
  /** 1-based line of the start marker. */
  line: number;
}

/**
 * A block id as its marker holds it. Ids are built from repository names, which may hold any
 * character: a quote, a line break or `>` (ending the comment early) is percent-encoded, and so
 * is `%` itself, so two ids never share a marker.
 */
export function markerId(id: string): string {
  return id.replace(/[%"<>\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function startMarker(id: string): string {
  return `<!-- ${TOKEN} id="${markerId(id)}" -->`;
}
export const END_MARKER = `<!-- /${TOKEN} -->`;

/** A block as the document shows it. */
export function formatBlock(id: string, content: string): string {
  return `${startMarker(id)}\n${content}\n${END_MARKER}`;
}

export function todo(text: string): string {
  return `_TODO: ${text}_`;
}

/** True when the block still holds its generated placeholder. */
export function isUnfilled(content: string): boolean {
  return content.trim() === '' || content.trim().startsWith('_TODO');
}

/**
 * Parse every human block of a document. Throws an ArchdocError (exit 2) naming the line for an
 * unclosed, nested, stray, duplicated or malformed marker, so nothing is ever overwritten blind.
 */
export function parseBlocks(text: string, source = 'document'): HumanBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: HumanBlock[] = [];
  const seen = new Map<string, number>();
  let open: { id: string; line: number; body: string[] } | undefined;
  const fail = (line: number, why: string): never => {
    throw new ArchdocError(`${source}:${line}: ${why}; nothing was written. Fix the marker and run again.`, EXIT.usage);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const start = START.exec(line);
    if (start) {
      if (open) fail(n, `human block "${start[1]}" starts inside block "${open.id}" opened at line ${open.line} (missing end marker?)`);
      const id = start[1]!;
      if (seen.has(id)) fail(n, `human block id "${id}" is used twice (first at line ${seen.get(id)})`);
      seen.set(id, n);
      open = { id, line: n, body: [] };
      continue;
    }
    if (END.test(line)) {
      if (!open) fail(n, 'end marker without a start marker');
      blocks.push({ id: open!.id, line: open!.line, content: open!.body.join('\n') });
      open = undefined;
      continue;
    }
    // Only a comment line naming the token reads as a marker: prose that mentions it (an ADR
    // title the document quotes, say) is text. Repository text cannot start a line with `<!--`.
    if (isMarkerLike(line)) fail(n, `unrecognised human-block marker: ${printable(line.trim().slice(0, 80))}`);
    if (open) open.body.push(line);
  }
  if (open) fail(open.line, `human block "${open.id}" has no end marker`);
  return blocks;
}

/** A line that means to be a marker: an HTML comment, first on its line, naming the token. */
function isMarkerLike(line: string): boolean {
  return line.trimStart().startsWith('<!--') && line.includes(TOKEN);
}

/** The human blocks of the other documents of one set (the main document and its pages), for `mergeBlocks`. */
export interface Siblings {
  /** Id → content of the blocks on disk in the other documents of the set. */
  blocks: Map<string, string>;
  /** Ids the other documents of the set generate. */
  elsewhere: Set<string>;
  /** Blocks of documents of the set no longer written (a page the budget no longer needs), for the main document. */
  adopt?: HumanBlock[];
}

/**
 * Per document of a set (the main document first, then its pages): the blocks of its siblings.
 * `existing` holds each document's text on disk (undefined when none), `retired` the text of pages
 * of the set that are on disk but no longer written. A sibling whose markers are broken is left
 * out here (its own merge reports it).
 */
export function siblingsOf(docs: { output: string; text: string; existing?: string }[], retired: string[] = []): Siblings[] {
  const parse = (text: string | undefined): HumanBlock[] => {
    if (text === undefined) return [];
    try {
      return parseBlocks(text);
    } catch {
      return [];
    }
  };
  const generatedIds = docs.map((d) => new Set(parse(d.text).map((b) => b.id)));
  const onDisk = docs.map((d) => parse(d.existing));
  const retiredBlocks = retired.flatMap((t) => parse(t));
  return docs.map((_, i) => {
    const blocks = new Map<string, string>();
    const elsewhere = new Set<string>();
    docs.forEach((__, j) => {
      if (j === i) return;
      for (const b of onDisk[j]!) if (!blocks.has(b.id)) blocks.set(b.id, b.content);
      for (const id of generatedIds[j]!) elsewhere.add(id);
    });
    for (const b of retiredBlocks) if (!blocks.has(b.id)) blocks.set(b.id, b.content);
    return { blocks, elsewhere, ...(i === 0 ? { adopt: retiredBlocks } : {}) };
  });
}

export interface MergeResult {
  text: string;
  /** Ids of blocks kept from the existing document that are no longer generated. */
  orphans: string[];
}

/**
 * Put the existing document's human content into a freshly generated one. Blocks are matched by
 * id wherever they moved; existing blocks with no generated home are appended under
 * "Orphaned notes" (in their original order), so no human byte is lost.
 */
export function mergeBlocks(generated: string, existing: string | undefined, siblings?: Siblings): MergeResult {
  const own = existing === undefined ? [] : parseBlocks(existing, 'existing document');
  // A block written in a sibling document (the main document, or one of its pages) whose part of
  // the document moved here comes along; this document's own content wins.
  const kept = new Map([...(siblings?.blocks ?? []), ...own.map((b): [string, string] => [b.id, b.content])]);
  // Blocks generated in a sibling moved there: they are not orphans here. Blocks of a page no
  // longer written (`adopt`) with no home anywhere become this document's orphans.
  const oldBlocks = [
    ...own.filter((b) => !siblings?.elsewhere.has(b.id)),
    ...(siblings?.adopt ?? []).filter((b) => !siblings?.elsewhere.has(b.id) && !own.some((o) => o.id === b.id)),
  ];
  const lines = generated.split('\n');
  const out: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const start = START.exec(line);
    if (!start) {
      out.push(line);
      continue;
    }
    const id = start[1]!;
    if (used.has(id)) throw new Error(`template produced human block "${id}" twice`);
    used.add(id);
    // Skip the generated body up to the end marker.
    let j = i + 1;
    const body: string[] = [];
    while (j < lines.length && !END.test(lines[j]!)) body.push(lines[j++]!);
    out.push(line, kept.has(id) ? kept.get(id)! : body.join('\n'), END_MARKER);
    i = j;
  }
  const orphans = oldBlocks.filter((b) => !used.has(b.id));
  let text = out.join('\n');
  if (orphans.length > 0) {
    text = text.replace(/(?<!\n)\n*$/, '\n');
    const parts = [
      '',
      ORPHANS_HEADING,
      '',
      '_These notes were written for parts of the document that are no longer generated. archdoc keeps them here so nothing is lost: move what is still true into a current block, then delete the rest._',
      '',
    ];
    // An id read from a document is in its marker form already: written back as it was read.
    for (const b of orphans) parts.push(`### \`${b.id}\``, '', `<!-- ${TOKEN} id="${b.id}" -->\n${b.content}\n${END_MARKER}`, '');
    text += parts.join('\n');
  }
  return { text: text.replace(/(?<!\n)\n*$/, '\n'), orphans: orphans.map((b) => b.id) };
}

/** Human blocks still holding their TODO placeholder. */
export function unfilledBlocks(text: string): HumanBlock[] {
  return parseBlocks(text).filter((b) => isUnfilled(b.content));
}
