/**
 * Repository text on a terminal or in a CI log. A file name may hold a newline, a carriage return
 * or an escape sequence; printed raw, it would start a line of its own, and a line that starts with
 * `::` is a GitHub Actions workflow command (`::error …::`, `::add-mask::`, `::stop-commands::`).
 */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * One line of repository text, safe to print: every control character (newline, CR, ESC, tab and
 * the rest) becomes a visible `\uXXXX`-style escape, so the text can neither end the line it is
 * on nor draw on the terminal.
 */
export function printable(text: string): string {
  return String(text).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The message of a GitHub Actions workflow command (`::error …::<message>`). */
export function commandMessage(text: string): string {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a GitHub Actions workflow command (`file=…`, `title=…`). */
export function commandProperty(text: string): string {
  return commandMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
