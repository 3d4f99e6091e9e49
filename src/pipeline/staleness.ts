/**
 * Staleness: whether a document on disk still says what the code says. Churn that does not change
 * the architecture is set aside: the line numbers of evidence links (a comment added above a
 * route moves every link below it), patch versions (a Dependabot bump from 4.22.3 to 4.22.4) and
 * the project's own version (`npm version patch`). When only those moved, the document is fresh:
 * a regeneration would refresh its links, and nothing a reader relies on has changed.
 *
 * Everything here scans the text with plain loops: the document on disk is the repository's, and
 * may be anyone's.
 */
import { diffArrays } from 'diff';
import { unsealed } from '../render/seal.js';

/** One line added to or removed from what the document says, with the headings it sits under. */
export interface Change {
  /** Headings from the section (level 2) down to the nearest one above the line. */
  where: string[];
  sign: '+' | '-';
  /** The line as a reader would read it: links reduced to their text, shortened. */
  text: string;
  /** 0-based index of the line in its document: the new one for `+`, the one on disk for `-`. */
  at: number;
}

export interface Comparison {
  /** same: byte-identical; churn: only set-aside values moved; changed: what the document says changed. */
  status: 'same' | 'churn' | 'changed';
  /** Evidence links whose line number moved. */
  links: number;
  /** Versions that moved within their minor version, or the project's own version. */
  versions: number;
  /** What changed, in document order (for `changed`). */
  changes: Change[];
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Each evidence link `[file:12](path#L12)` with its line numbers replaced by `#`, and the numbers. */
function settleLinks(line: string): { text: string; lines: string[] } {
  const lines: string[] = [];
  let out = '';
  let copied = 0;
  /** Where the latest `](` is, scanning forwards (one pass, whatever the line holds). */
  let open = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === ']' && line[i + 1] === '(') {
      open = i;
      continue;
    }
    if (line[i] !== '#' || line[i + 1] !== 'L' || open < copied) continue;
    let end = i + 2;
    while (isDigit(line[end])) end++;
    // `#L<digits>)` closing a link whose text ends in `:<same digits>]`.
    const digits = line.slice(i + 2, end);
    if (digits === '' || line[end] !== ')' || !line.startsWith(`:${digits}`, open - digits.length - 1)) continue;
    out += `${line.slice(copied, open - digits.length)}#${line.slice(open, i)}#L#)`;
    lines.push(digits);
    copied = end + 1;
    i = end;
  }
  return { text: out + line.slice(copied), lines };
}

/**
 * Versions `a.b.c` reduced to `a.b.*` (a `-pre`/`+build` suffix is kept, and `0.0.c` is left
 * whole); dotted numbers of other lengths (`10.0.0.1`, `1.2`) are left alone.
 */
function settleVersions(line: string): { text: string; versions: string[] } {
  const versions: string[] = [];
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (!isDigit(line[i]) || isDigit(line[i - 1]) || line[i - 1] === '.') {
      out += line[i];
      i++;
      continue;
    }
    // Up to four dot-separated digit runs from here.
    const parts: [number, number][] = [];
    let j = i;
    while (parts.length < 4) {
      const start = j;
      while (isDigit(line[j])) j++;
      if (j === start) break;
      parts.push([start, j]);
      if (line[j] !== '.' || !isDigit(line[j + 1])) break;
      j++;
    }
    const last = parts[parts.length - 1]!;
    if (parts.length !== 3) {
      out += line.slice(i, last[1]);
      i = last[1];
      continue;
    }
    // 0.0.x: every release may break its callers, so none is a mere patch.
    const zero = (p: [number, number]) => line.slice(p[0], p[1]) === '0';
    if (zero(parts[0]!) && zero(parts[1]!)) {
      out += line.slice(i, last[1]);
      i = last[1];
      continue;
    }
    // Only the patch number is set aside: a pre-release or build suffix (`-beta.3`, `-alpine`) is kept.
    versions.push(line.slice(i, last[1]));
    out += `${line.slice(i, last[0])}*`;
    i = last[1];
  }
  return { text: out, versions };
}

/** The project's own version, wherever the templates show it: the Version row and a component's Version line. */
const OWN_VERSION_PREFIXES = ['| Version | ', '- **Version:** '];

interface Settled {
  lines: string[];
  /** Per line: the link line numbers and the versions set aside (to count what moved). */
  aside: string[][];
}

/** The document with what does not change the architecture set aside, line by line. */
export function settle(text: string): Settled {
  const lines: string[] = [];
  const aside: string[][] = [];
  for (const raw of text.split('\n')) {
    const own = OWN_VERSION_PREFIXES.find((p) => raw.startsWith(p));
    if (own) {
      lines.push(`${own}*`);
      aside.push([raw.slice(own.length)]);
      continue;
    }
    const links = settleLinks(raw);
    const versions = settleVersions(links.text);
    lines.push(versions.text);
    aside.push([...links.lines, ...versions.versions]);
  }
  return { lines, aside };
}

/** A line as a reader reads it: `[text](target)` links reduced to their text, at most 120 characters. */
function readable(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length && out.length <= 200) {
    const c = line[i]!;
    // Markdown decoration at the start of a line (list marks, table bars, quotes, headings).
    if (out.trim() === '' && (c === '-' || c === '*' || c === '|' || c === '#' || c === '>')) {
      i++;
      continue;
    }
    if (c === ']' && line[i + 1] === '(') {
      // The link's target is left out; its text (already copied, after its `[`) stays.
      const close = line.indexOf(')', i + 2);
      i = close < 0 ? line.length : close + 1;
      continue;
    }
    // Emphasis marks (`**Context:**`) and link openings are layout, not words.
    if (c === '*' && line[i + 1] === '*') {
      i += 2;
      continue;
    }
    if (c !== '[') out += c;
    i++;
  }
  let end = out.length;
  while (end > 0 && (out[end - 1] === ' ' || out[end - 1] === '|' || out[end - 1] === '\t')) end--;
  out = out.slice(0, end).trim().replaceAll(':#', '');
  return out.length > 120 ? `${out.slice(0, 119)}…` : out;
}

/** For each line, the headings above it from level 2 down (fenced code is not headings). */
function headingPaths(lines: readonly string[]): string[][] {
  const paths: string[][] = [];
  let current: string[] = [];
  let fence = false;
  for (const line of lines) {
    if (line.startsWith('```')) fence = !fence;
    else if (!fence && line.startsWith('##')) {
      let level = 0;
      while (line[level] === '#') level++;
      if (line[level] === ' ' && level <= 6) current = [...current.slice(0, level - 2), readable(line.slice(level + 1))];
    }
    paths.push(current);
  }
  return paths;
}

const MAX_EDIT_LINES = 5000;

/** Compares the document on disk with the one archdoc would write now. */
export function compareDocuments(existing: string, fresh: string): Comparison {
  if (existing === fresh) return { status: 'same', links: 0, versions: 0, changes: [] };
  // The seal changes with every other change: it is no change of its own.
  existing = unsealed(existing);
  fresh = unsealed(fresh);
  if (existing === fresh) return { status: 'same', links: 0, versions: 0, changes: [] };
  const before = settle(existing);
  const after = settle(fresh);
  if (before.lines.length === after.lines.length && before.lines.every((l, i) => l === after.lines[i])) {
    let links = 0;
    let versions = 0;
    for (let i = 0; i < before.lines.length; i++) {
      const a = before.aside[i]!;
      const b = after.aside[i]!;
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) continue;
        // Link line numbers are digits only; versions hold dots.
        if (!a[k]!.includes('.')) links++;
        else versions++;
      }
    }
    return { status: 'churn', links, versions, changes: [] };
  }
  const changes: Change[] = [];
  const beforePaths = headingPaths(before.lines);
  const afterPaths = headingPaths(after.lines);
  let b = 0;
  let a = 0;
  // Past this many lines changed, the document changed throughout: no line-by-line account.
  const parts = diffArrays(before.lines, after.lines, { maxEditLength: MAX_EDIT_LINES });
  if (parts === undefined)
    return { status: 'changed', links: 0, versions: 0, changes: [{ where: [], sign: '+', text: `more than ${MAX_EDIT_LINES} lines changed`, at: -1 }] };
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.added || part.removed) {
      const paths = part.added ? afterPaths : beforePaths;
      const start = part.added ? a : b;
      for (let k = 0; k < n; k++) {
        const text = readable(part.value[k]!);
        if (text === '') continue;
        changes.push({ where: paths[start + k]!, sign: part.added ? '+' : '-', text, at: start + k });
      }
    }
    if (!part.added) b += n;
    if (!part.removed) a += n;
  }
  return { status: 'changed', links: 0, versions: 0, changes };
}

/** `Components › orders-api: + GET /health/live`, at most `max` lines, then how many more. */
export function describeChanges(changes: readonly Change[], max = 20): string[] {
  const out = changes.slice(0, max).map((c) => `${c.where.length ? c.where.join(' › ') : 'Top of the document'}: ${c.sign} ${c.text}`);
  if (changes.length > max) out.push(`… and ${changes.length - max} more changed lines`);
  return out;
}
