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
