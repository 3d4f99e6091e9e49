/**
 * Repository text in Markdown. Every name, description, path and title that reaches a document
 * comes from the repository, so it is escaped where it enters the Markdown: it can add no HTML
 * (no `<script>`, no `onerror`, no `<!--` hiding what follows), build no link, image, code span,
 * fence, heading or list, break no table row, end no line and so form no human-block marker or
 * document header of its own.
 *
 * Templates need not remember any of this: every `{{ … }}` output is escaped by `markdownText`
 * (the environment's autoescape, see `markdownRuntime` in loader.ts). Filters that build Markdown
 * themselves (code spans, table cells, links) escape the repository's part and return safe text.
 */
import nunjucks from 'nunjucks';

const runtime = nunjucks.runtime as unknown as {
  SafeString: new (value: string) => object;
  markSafe: (value: string) => string;
};

/** Control characters (newlines, CR, ESC, the rest of C0 and C1), DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
};

/**
 * What repository text could build Markdown of its own with, anywhere in a line: a backslash
 * (doubled, it shows as itself), a pipe (it would end a table cell), a backtick (a code span, or
 * at a line's start a fence that swallows the rest of the document) and square brackets (a link,
 * an image, a footnote or a link definition: `![pixel](https://…)` and `[Click here](https://…)`
 * stay text). Each is escaped with a backslash and shows as itself; `emphasis` adds `*` and `_`.
 * A `<` that could open a tag, a comment, a declaration or an autolink (a letter, `/`, `!` or `?`
 * follows, or the text ends, where the next output follows) becomes `&lt;`; an `&` that would read
 * as an entity (`&lt;`, `&#60;`) becomes `&amp;`. Every lookahead stops at the next `&` or `<`.
 */
const INLINE = /[\\|`[\]]|<(?=[A-Za-z/!?]|$)|&(?=#|[A-Za-z0-9]+;)/g;
const INLINE_EMPHASIS = /[\\|`[\]*_]|<(?=[A-Za-z/!?]|$)|&(?=#|[A-Za-z0-9]+;)/g;

/**
 * What would open a block where the text starts a line, after up to three spaces: a heading (`#`),
 * a quote (`>`), a list item (`-`, `+`, `*`, `1.`, `1)`), a thematic break or setext underline
 * (`---`, `***`, `___`, `===`) or a fence (`~~~`; backticks are escaped everywhere). Four spaces
 * or more would make indented code. Templates mostly place values inline, but a value can start a
 * line or a list item's text (`- {{ … }}`), so the start of every value is made safe. Anchored,
 * bounded: linear.
 */
const BLOCK_START = /^( {0,3})([#>+=*_~-]|\d{1,9}(?=[.)](?: |$)))/;

/**
 * Text as it should read, as inline Markdown: one line, no HTML, no table separator, no link,
 * image or code span, and nothing that opens a block where it starts (four or more leading spaces
 * become one). `p95 < 250 ms`, `R&D` and `1.2` read as they are; a Next.js segment `[id]` is
 * `\[id\]` in the Markdown and `[id]` when rendered. `cell`: text for a table cell, where no block
 * opens, so its start is left as it is (`>= 20` reads `>= 20`).
 */
export function markdownText(value: unknown, options: { emphasis?: boolean; cell?: boolean } = {}): string {
  const text = String(value ?? '')
    .replace(CONTROL, ' ')
    .replace(options.emphasis ? INLINE_EMPHASIS : INLINE, (c) => ESCAPES[c] ?? `\\${c}`);
  if (options.cell) return text;
  // A marker character is escaped itself; a list number at the `.` or `)` after it.
  return text
    .replace(/^ {4,}/, ' ')
    .replace(BLOCK_START, (_, spaces: string, m: string) => (m.length === 1 && (m < '0' || m > '9') ? `${spaces}\\${m}` : `${spaces}${m}\\`));
}

/** True for text a template or filter has already made safe (a macro's output, a filter's Markdown). */
export function isSafe(value: unknown): boolean {
  return value instanceof runtime.SafeString;
}

/**
 * Mark Markdown built by archdoc as safe, so the autoescape leaves it alone. Empty text stays a
 * plain '' (a safe string is an object, and templates test `{% if diagram(…) %}`).
 */
export function safe(markdown: string): string {
  return markdown === '' ? '' : runtime.markSafe(markdown);
}

/** Escape text for a Markdown table cell ('—' when there is none). */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return safe('—');
  // Safe text (a macro's output) is Markdown already: it only has to fit on the row.
  const text = isSafe(value) ? String(value).replace(/\r?\n/g, ' ') : markdownText(value, { cell: true });
  return safe(text.trim());
}

/**
 * Wrap text in a code span, choosing a fence longer than any backtick run inside. HTML is inert in
 * a code span, so only line breaks and control characters go, and a pipe is escaped so the span
 * cannot end a table cell.
 */
export function code(value: unknown): string {
  const s = String(value ?? '')
    .replace(CONTROL, ' ')
    .replace(/\|/g, '\\|');
  let longest = 0;
  for (let i = 0, run = 0; i < s.length; i++) {
    run = s[i] === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return safe(`${fence}${pad}${s}${pad}${fence}`);
}

/**
 * A relative link target for a repository path: every character that could end the link, start a
 * scheme (`javascript:`), a query or a fragment, end a table cell or carry HTML is percent-encoded
 * (`%` itself too); letters of any script are kept as they are.
 */
export function href(file: string): string {
  return file.replace(/[^A-Za-z0-9/._~!$*+,;=@[\]\-\u00a0-\u2027\u202a-\uffff]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
