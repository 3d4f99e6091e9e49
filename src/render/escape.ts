/**
 * Repository text in Markdown. Every name, description, path and title that reaches a document
 * comes from the repository, so it is escaped where it enters the Markdown: it can add no HTML
 * (no `<script>`, no `onerror`, no `<!--` hiding what follows), break no table row, end no line
 * and so form no human-block marker or document header of its own.
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
  // A backslash escapes the next character in Markdown; doubled, it shows as itself.
  '\\': '\\\\',
  // A pipe would end a table cell; escaped, it shows as itself in a table and in prose.
  '|': '\\|',
};

/**
 * Text as it should read, as inline Markdown: one line, no HTML, no table separator. A `<` that
 * could open a tag, a comment, a declaration or an autolink (a letter, `/`, `!` or `?` follows,
 * or the text ends, where the next output follows) becomes `&lt;`; an `&` that would read as an
 * entity (`&lt;`, `&#60;`) becomes `&amp;`, so the text shows as written. `p95 < 250 ms` and
 * `R&D` read as they are. Every lookahead stops at the next `&` or `<`: linear on any text.
 */
export function markdownText(value: unknown): string {
  return String(value ?? '')
    .replace(CONTROL, ' ')
    .replace(/[\\|]|<(?=[A-Za-z/!?]|$)|&(?=#|[A-Za-z0-9]+;)/g, (c) => ESCAPES[c]!);
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
  const text = isSafe(value) ? String(value).replace(/\r?\n/g, ' ') : markdownText(value);
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
