/** 1-based line number of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Precomputed line starts for many lookups in one file (binary search instead of a rescan).
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 1-based line of a 0-based offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** 1-based line of the first line matching `pattern`, or 0 when none does. */
export function findLine(text: string, pattern: RegExp | string): number {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l)) return i + 1;
  }
  return 0;
}

/** Line of a JSON object key (`"name":`), searching after an optional parent key's line. */
export function jsonKeyLine(text: string, key: string, afterKey?: string): number {
  const lines = text.split('\n');
  let start = 0;
  if (afterKey) {
    const quotedParent = JSON.stringify(afterKey) + ':';
    const idx = lines.findIndex((l) => l.replace(/\s+/g, '').includes(quotedParent));
    if (idx >= 0) start = idx;
  }
  const quoted = JSON.stringify(key);
  for (let i = start; i < lines.length; i++) {
    if (lines[i]!.includes(quoted + ':') || lines[i]!.includes(quoted + ' :')) return i + 1;
  }
  return 0;
}

/** Normalise line endings to LF and strip a UTF-8 byte-order mark. */
export function normaliseText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

const SLASH = 0x2f;
const STAR = 0x2a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Characters after which a `/` starts a regular-expression literal. */
const REGEX_BEFORE = /[(,=:[!&|?{};+\-*%<>~^]/;
/** What `/\s/` matches, without a regular expression for the common (ASCII) case. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return /\s/.test(String.fromCharCode(c));
}

/**
 * The text with comments and the contents of string and template literals blanked out (same
 * length, newlines kept), so a regular expression sees only code. Regular-expression literals
 * are approximated: a `/` after an operator or opening bracket starts one.
 */
export function codeOnly(text: string): string {
  const parts: string[] = [];
  const n = text.length;
  let kept = 0; // text before this index is already in `parts`
  const blank = (from: number, to: number) => {
    if (to > n) to = n;
    if (from >= to) return;
    parts.push(text.slice(kept, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    kept = to;
  };
  let i = 0;
  let prevSignificant = '';
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === SLASH && next === SLASH) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === SLASH && next === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === DQUOTE || c === SQUOTE || c === BACKTICK) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === c) break;
        if (d === BACKSLASH) j++;
        else if (c !== BACKTICK && d === NEWLINE) break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      prevSignificant = String.fromCharCode(c);
      continue;
    }
    if (c === SLASH && (prevSignificant === '' || REGEX_BEFORE.test(prevSignificant))) {
      let j = i + 1;
      let inClass = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === NEWLINE) break;
        if (d === BACKSLASH) j++;
        else if (d === OPEN_BRACKET) inClass = true;
        else if (d === CLOSE_BRACKET) inClass = false;
        else if (d === SLASH && !inClass) break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      prevSignificant = '/';
      continue;
    }
    if (!isSpace(c)) prevSignificant = text[i]!;
    i++;
  }
  if (kept === 0) return text;
  parts.push(text.slice(kept));
  return parts.join('');
}

/** Strip // and /* comments and trailing commas so tsconfig files parse as JSON. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** Parse JSON with comments and trailing commas (tsconfig, jsconfig). Throws on invalid input. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(stripJsonComments(text));
}

/** Whether a character code can be part of a JavaScript identifier (ASCII letters, digits, `_`, `$`). */
export function isIdentifierChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
