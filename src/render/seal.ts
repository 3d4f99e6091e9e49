/**
 * The seal: a digest of what archdoc wrote, as the document's last line. Human-block contents are
 * left out of it, so filling in a block never breaks the seal; any other edit does. `check` can
 * then tell an edit outside the blocks (which a regeneration would overwrite) from a change in
 * the code.
 */
import { createHash } from 'node:crypto';
import { END_MARKER } from './blocks.js';

const PREFIX = '<!-- archdoc:digest ';
const SUFFIX = ' -->';

function isSealLine(line: string): boolean {
  return line.startsWith(PREFIX) && line.endsWith(SUFFIX);
}

/** A start marker as blocks.ts writes it (a whole line). */
function isStartMarker(line: string): boolean {
  return line.startsWith('<!-- archdoc:human id="') && line.endsWith('" -->');
}

/** The digest of a document's generated part: every line outside the human blocks, the seal line left out. */
export function digestOf(text: string): string {
  const hash = createHash('sha256');
  let inside = false;
  for (const line of text.split('\n')) {
    if (isSealLine(line)) continue;
    if (inside) {
      if (line === END_MARKER) {
        inside = false;
        hash.update(line + '\n');
      }
      continue;
    }
    if (isStartMarker(line)) inside = true;
    hash.update(line + '\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The document without its seal line (if any). */
export function unsealed(text: string): string {
  const lines = text.split('\n');
  return lines.filter((l) => !isSealLine(l)).join('\n');
}

/** `text` without its trailing line breaks (a plain loop: the text on disk may be anyone's). */
function trimNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return text.slice(0, end);
}

/** The document with its seal as the last line (replacing any earlier seal). */
export function seal(text: string): string {
  const body = trimNewlines(unsealed(text));
  return `${body}\n${PREFIX}${digestOf(body)}${SUFFIX}\n`;
}

/**
 * Whether a document on disk was edited outside its human blocks since archdoc wrote it: false
 * for a document without a seal (written by an archdoc that did not seal), or whose seal holds.
 */
export function editedOutsideBlocks(text: string): boolean {
  const lines = text.split('\n');
  let at = lines.length - 1;
  while (at >= 0 && !isSealLine(lines[at]!)) at--;
  if (at < 0) return false;
  // Text added below the seal (the end is where people add notes) is an edit outside the blocks.
  for (let i = at + 1; i < lines.length; i++) if (lines[i]!.trim() !== '') return true;
  const l = lines[at]!;
  return l.slice(PREFIX.length, l.length - SUFFIX.length) !== digestOf(trimNewlines(unsealed(text)));
}
