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

/**
 * The text with comments and the contents of string and template literals blanked out (same
 * length, newlines kept), so a regular expression sees only code. Regular-expression literals
 * are approximated: a `/` after an operator or opening bracket starts one.
 */
export function codeOnly(text: string): string {
  const out = text.split('');
  const n = text.length;
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let prevSignificant = '';
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < n && text[j] !== c) {
        if (text[j] === '\\') j++;
        else if (c !== '`' && text[j] === '\n') break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      prevSignificant = c;
      continue;
    }
    if (c === '/' && (prevSignificant === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prevSignificant))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && text[j] !== '\n') {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        else if (text[j] === '/' && !inClass) break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      prevSignificant = '/';
      continue;
    }
    if (!/\s/.test(c)) prevSignificant = c;
    i++;
  }
  return out.join('');
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
