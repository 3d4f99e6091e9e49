/**
 * The sources behind a line of a document: its evidence links, `[src/app.ts:12](../src/app.ts#L12)`
 * (`evidenceLink` in render/environment.ts), a whole file as `[Dockerfile](../Dockerfile)`, or in
 * appendix mode footnotes `[^e3]` whose definitions hold those links. `check --format github` and
 * `--format sarif` point at these files, not at the document.
 *
 * The line may come from the document on disk, which anyone may have edited: it is scanned with
 * plain loops, and a link leads to a source only when its text names the file and line its target
 * does.
 */
import path from 'node:path';

/** A source file (absolute path) and its 1-based line (0: the file as a whole). */
export interface Source {
  file: string;
  line: number;
}

/** As render/escape.ts: control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Markdown text as it reads: backslash escapes and the entities `markdownText` writes undone. */
function unescapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    out += text[i];
  }
  return out.replaceAll('&lt;', '<').replaceAll('&amp;', '&');
}

function decode(target: string): string | undefined {
  try {
    return decodeURIComponent(target);
  } catch {
    return undefined;
  }
}

/** Each `[text](target)` in a line, in order (a target holds no `)` or space: `href` encodes them). */
function links(line: string): { text: string; target: string }[] {
  const out: { text: string; target: string }[] = [];
  let open = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') open = i;
    else if (c === ']' && line[i + 1] === '(' && open >= 0) {
      let end = i + 2;
      while (end < line.length && line[end] !== ')' && line[end] !== ' ') end++;
      if (line[end] === ')') out.push({ text: line.slice(open + 1, i), target: line.slice(i + 2, end) });
      open = -1;
      i = end;
    }
  }
  return out;
}

/** The source an evidence link names, resolved from the document's folder; undefined for any other link. */
function evidenceOf(text: string, target: string, documentDir: string): Source | undefined {
  if (target.includes(':') || target.startsWith('#') || target === '') return undefined;
  const hash = target.indexOf('#');
  let line = 0;
  let file = target;
  if (hash >= 0) {
    if (target[hash + 1] !== 'L') return undefined;
    const digits = target.slice(hash + 2);
    if (digits === '' || digits.length > 9 || ![...digits].every(isDigit)) return undefined;
    line = Number(digits);
    file = target.slice(0, hash);
  }
  const decoded = decode(file);
  if (decoded === undefined || decoded.includes('\u0000')) return undefined;
  // The link's text is the repository path (and `:line`): it must end the target's path.
  const shown = unescapeText(text);
  const name = line > 0 ? (shown.endsWith(`:${line}`) ? shown.slice(0, -`:${line}`.length) : undefined) : shown;
  // The text shows a control character of the name as a space (`markdownText`).
  const plain = decoded.replace(CONTROL, ' ');
  if (name === undefined || name === '' || !(plain === name || plain.endsWith(`/${name}`))) return undefined;
  return { file: path.resolve(documentDir, decoded), line };
}

/** Footnote definitions `[^eN]: [file:line](target)` of appendix mode, by label. */
export function footnotes(document: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of document.split('\n')) {
    if (!line.startsWith('[^e')) continue;
    const close = line.indexOf(']: ');
    if (close > 3 && [...line.slice(3, close)].every(isDigit)) out.set(line.slice(2, close), line.slice(close + 3));
  }
  return out;
}

/**
 * The sources behind one line of a document at `documentPath` (absolute), in the order its links
 * appear, without repeats. `notes` resolves appendix-mode footnote references.
 */
export function sourcesOf(line: string, documentPath: string, notes?: Map<string, string>): Source[] {
  const dir = path.dirname(documentPath);
  const found: Source[] = [];
  const add = (s: Source | undefined) => {
    if (s && !found.some((f) => f.file === s.file && f.line === s.line)) found.push(s);
  };
  for (const l of links(line)) add(evidenceOf(l.text, l.target, dir));
  if (notes && notes.size > 0) {
    for (let i = line.indexOf('[^e'); i >= 0; i = line.indexOf('[^e', i + 3)) {
      let end = i + 3;
      while (isDigit(line[end])) end++;
      if (line[end] !== ']' || end === i + 3) continue;
      const definition = notes.get(line.slice(i + 2, end));
      if (definition) for (const l of links(definition)) add(evidenceOf(l.text, l.target, dir));
    }
  }
  return found;
}
