/**
 * Repository text on a terminal or in a CI log. A file name may hold a newline, a carriage return
 * or an escape sequence; printed raw, it would start a line of its own, and a line that starts with
 * `::` is a GitHub Actions workflow command (`::error …::`, `::add-mask::`, `::stop-commands::`).
 * The runner trims leading whitespace before looking for `::`, and takes the legacy `##[command]`
 * form anywhere in a line (actions/runner, ActionCommand.TryParseV2 and TryParse).
 */
import { randomBytes } from 'node:crypto';

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * One line of repository text, safe to print: every control character (newline, CR, ESC, tab and
 * the rest) becomes a visible `\uXXXX`-style escape, so the text can neither end the line it is
 * on nor draw on the terminal.
 */
export function printable(text: string): string {
  return inert(String(text).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** What the runner's `Trim()` removes (.NET white space; wider than JavaScript's `\s`). */
const RUNNER_SPACE = /[\s\u0085\u180e]/;

/**
 * One line that the GitHub runner will not take for a workflow command: `##[` becomes `##\u005b`
 * and a `::` that starts the line (after any whitespace) becomes `\u003a:`, both visible.
 */
export function inert(line: string): string {
  let out = line.split('##[').join('##\\u005b');
  let lead = 0;
  while (lead < out.length && RUNNER_SPACE.test(out[lead]!)) lead++;
  if (out.startsWith('::', lead)) out = `${out.slice(0, lead)}\\u003a${out.slice(lead + 1)}`;
  return out;
}

/** Text of many lines with every line made `inert` (line breaks kept). */
export function inertLines(text: string): string {
  return text.split('\n').map(inert).join('\n');
}

/**
 * Untrusted text for stdout in a GitHub Actions log: between `::stop-commands::<token>` and
 * `::<token>::`, the runner's own way to print text that must not run as commands, with a token
 * nobody can guess. Every line is also made `inert`, in case the log is read some other way.
 */
export function fencedForGithub(text: string): string {
  const token = `archdoc-${randomBytes(16).toString('hex')}`;
  const body = inertLines(text);
  return `::stop-commands::${token}\n${body}${body.endsWith('\n') ? '' : '\n'}::${token}::\n`;
}

/** JSON text safe for a CI log: `##[` inside a string becomes `##\u005b`, which parses to the same value. */
export function inertJson(json: string): string {
  return json.split('##[').join('##\\u005b');
}

/** The message of a GitHub Actions workflow command (`::error …::<message>`). */
export function commandMessage(text: string): string {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a GitHub Actions workflow command (`file=…`, `title=…`). */
export function commandProperty(text: string): string {
  return commandMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
