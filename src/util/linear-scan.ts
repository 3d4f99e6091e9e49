/**
 * Searches on repository text that a regular expression would make quadratic (issue #21): a
 * global `/\{[^}]*\}/g` restarts at every `{` and rescans to the end when no `}` comes, and an
 * unanchored `/\{.*\}$/` tries every `{` against the rest of the line. These helpers find the
 * same matches with each character passed a bounded number of times.
 */

/** `indexOf` for one needle, asked at non-decreasing positions: the text is searched once in all. */
export class NextIndex {
  private searchedFrom = -1;
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  /** First index at or after `from` where the needle starts, or -1. */
  at(from: number): number {
    if (this.searchedFrom < 0 || from < this.searchedFrom || (this.found >= 0 && this.found < from)) {
      this.searchedFrom = from;
      this.found = this.text.indexOf(this.needle, from);
    }
    return this.found;
  }
}

/** A delimited span: `open`, a body, and the first `close` after `open`. */
export interface Span {
  open: string;
  close: string;
  /** A character the body may not hold: `{ open: '{{', close: '}}', without: '}' }` is `/\{\{[^}]*\}\}/`. */
  without?: string;
  /** The body holds at least one character (`[^}]+` rather than `[^}]*`). */
  nonEmpty?: boolean;
}

/**
 * `text` with every span replaced, found left to right as a global regular expression finds them:
 * at each position the first span in `spans` that matches wins, and the search goes on after the
 * match. `{ open: '${', close: '}' }` finds what `/\$\{[^}]*\}/g` finds, and `{ open: '<!--',
 * close: '-->' }` what `/<!--[\s\S]*?-->/g` finds.
 */
export function replaceSpans(text: string, spans: readonly Span[], replace: (match: string, body: string) => string): string {
  const opens = spans.map((s) => new NextIndex(text, s.open));
  const closes = spans.map((s) => new NextIndex(text, s.close));
  const stops = spans.map((s) => (s.without === undefined ? undefined : new NextIndex(text, s.without)));
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    let next = -1;
    for (const o of opens) {
      const at = o.at(i);
      if (at >= 0 && (next < 0 || at < next)) next = at;
    }
    if (next < 0) break;
    i = next;
    let matched = false;
    for (let k = 0; k < spans.length; k++) {
      const s = spans[k]!;
      if (!text.startsWith(s.open, i)) continue;
      const body = i + s.open.length;
      const close = closes[k]!.at(body);
      if (close < 0 || (s.nonEmpty && close === body)) continue;
      const stop = stops[k]?.at(body) ?? -1;
      if (stop >= 0 && stop < close) continue;
      const end = close + s.close.length;
      out += text.slice(last, i) + replace(text.slice(i, end), text.slice(body, close));
      i = last = end;
      matched = true;
      break;
    }
    if (!matched) i++;
  }
  return out + text.slice(last);
}

const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Where `/open.*close$/` (no flags) matches `text`, or -1: the first `open` (any of `opens`) on the
 * last line, with `close` ending the text after it. `trailingStart(s, [' ('], ')')` is where
 * `s.replace(/ \(.*\)$/, '')` cuts.
 */
export function trailingStart(text: string, opens: readonly string[], close = ''): number {
  if (!text.endsWith(close)) return -1;
  let lineStart = text.length;
  while (lineStart > 0 && !isLineBreak(text.charCodeAt(lineStart - 1))) lineStart--;
  let best = -1;
  for (const open of opens) {
    const at = text.indexOf(open, lineStart);
    if (at >= 0 && at + open.length <= text.length - close.length && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** `text` cut where `/open.*close$/` matches it (see trailingStart), or unchanged. */
export function cutTrailing(text: string, opens: readonly string[], close = ''): string {
  const at = trailingStart(text, opens, close);
  return at < 0 ? text : text.slice(0, at);
}
