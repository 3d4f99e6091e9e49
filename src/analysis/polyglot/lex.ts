/**
 * Tokenisers for the languages whose HTTP routes archdoc reads besides TypeScript and JavaScript:
 * Python, Go, Java, Kotlin, C# and PHP. One hand-written scan per file, character by character (no
 * regular expression, so no backtracking on a repository's text), giving identifiers, strings with
 * their value, numbers, operators and, where a statement may end without `;`, line breaks. Comments
 * are dropped. A string that never closes ends the file's tokens; nothing here throws.
 */

export type PolyglotLanguage = 'python' | 'go' | 'java' | 'kotlin' | 'csharp' | 'php';

export interface Token {
  /** Identifier (PHP's `$name` included), string, number, operator or line break. */
  k: 'id' | 'str' | 'num' | 'op' | 'nl';
  /** The identifier, the string's value (escapes kept as written), the operator. */
  v: string;
  line: number;
  /** Column of the token's first character (0-based): a Python line's indentation is its first token's. */
  col: number;
  /** A string with interpolation (`f"…{x}"`, `$"…{x}"`, Kotlin `"…${x}"`): its `{…}` parts kept as written. */
  template?: boolean;
}

/** The file's extension's language, when archdoc reads routes in it. */
export function polyglotLanguageOf(file: string): PolyglotLanguage | undefined {
  const dot = file.lastIndexOf('.');
  switch (dot < 0 ? '' : file.slice(dot + 1).toLowerCase()) {
    case 'py':
      return 'python';
    case 'go':
      return 'go';
    case 'java':
      return 'java';
    case 'kt':
      return 'kotlin';
    case 'cs':
      return 'csharp';
    case 'php':
      return 'php';
    default:
      return undefined;
  }
}

/** At most this many tokens are read from one file (a generated file has no routes worth the time). */
export const MAX_TOKENS = 400_000;

const OPS3 = new Set(['...', '<<<', '===', '!==', '**=', '//=', '>>=', '<<=', '?->']);
const OPS2 = new Set([
  '::',
  '->',
  '=>',
  ':=',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '**',
  '//',
  '<<',
  '>>',
  '++',
  '--',
  '?.',
  '??',
  '#[',
]);

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}
function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The tokens of one file, and whether they were cut at MAX_TOKENS. */
export function lex(text: string, language: PolyglotLanguage): { tokens: Token[]; truncated: boolean } {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Open brackets: a line break inside ( or [ (and, in Python, {) continues the statement.
  const brackets: string[] = [];
  const python = language === 'python';
  const push = (k: Token['k'], v: string, startLine: number, startCol: number, template?: boolean): void => {
    const t: Token = { k, v, line: startLine, col: startCol };
    if (template) t.template = true;
    tokens.push(t);
  };
  const newline = (): void => {
    const last = tokens[tokens.length - 1];
    const open = brackets[brackets.length - 1];
    const joined = open === '(' || open === '[' || (python && open === '{');
    // After an operator other than a closing bracket the statement goes on (`x.\n  Methods(…)`, `a +\n b`).
    const continues = !python && last?.k === 'op' && last.v !== ')' && last.v !== ']' && last.v !== '}' && last.v !== '++' && last.v !== '--';
    if (!joined && !continues && last && last.k !== 'nl') tokens.push({ k: 'nl', v: '', line, col: i - lineStart });
  };
  /** Reads a quoted string starting at the quote `at`; returns its value and the index after it. */
  const quoted = (at: number, quote: string, triple: boolean, raw: boolean, verbatim: boolean): { value: string; end: number } => {
    let j = at + (triple ? 3 : 1);
    let value = '';
    while (j < n) {
      const c = text[j]!;
      if (c === '\n') {
        if (!triple && !verbatim && quote !== '`') return { value, end: j }; // an unclosed one-line string ends at the line
        line++;
        lineStart = j + 1;
      }
      if (verbatim && c === '"' && text[j + 1] === '"') {
        value += '"';
        j += 2;
        continue;
      }
      if (c === '\\' && !verbatim && quote !== '`') {
        value += raw ? text.slice(j, j + 2) : text[j + 1] === quote ? quote : text.slice(j, j + 2);
        if (text[j + 1] === '\n') {
          line++;
          lineStart = j + 2;
        }
        j += 2;
        continue;
      }
      if (triple ? text.startsWith(quote.repeat(3), j) : c === quote) return { value, end: j + (triple ? 3 : 1) };
      value += c;
      j++;
    }
    return { value, end: n };
  };
  while (i < n) {
    if (tokens.length >= MAX_TOKENS) return { tokens, truncated: true };
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (ch === '\n') {
      newline();
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    // Line continuation.
    if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      lineStart = i;
      continue;
    }
    // Comments.
    if ((python || language === 'php') && ch === '#' && !(language === 'php' && text[i + 1] === '[')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (!python && ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (!python && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = stop;
      continue;
    }
    if (language === 'php' && ch === '<' && text.startsWith('<?php', i)) {
      i += 5;
      continue;
    }
    if (language === 'php' && ch === '?' && text[i + 1] === '>') {
      i += 2;
      continue;
    }
    const startLine = line;
    const startCol = i - lineStart;
    // Strings, with the prefixes each language has.
    if (python && isIdStart(c)) {
      let j = i;
      while (j < n && j - i < 3 && 'rRbBuUfF'.includes(text[j]!)) j++;
      if (j > i && (text[j] === '"' || text[j] === "'")) {
        const prefix = text.slice(i, j).toLowerCase();
        const q = text[j]!;
        const triple = text.startsWith(q.repeat(3), j);
        const s = quoted(j, q, triple, prefix.includes('r'), false);
        push('str', s.value, startLine, startCol, prefix.includes('f'));
        i = s.end;
        continue;
      }
    }
    if (language === 'csharp' && (ch === '@' || ch === '$') && (text[i + 1] === '"' || ((text[i + 1] === '@' || text[i + 1] === '$') && text[i + 2] === '"'))) {
      const prefix = text[i + 1] === '"' ? ch : ch + text[i + 1];
      const at = i + prefix.length;
      const s = quoted(at, '"', false, false, prefix.includes('@'));
      push('str', s.value, startLine, startCol, prefix.includes('$'));
      i = s.end;
      continue;
    }
    if (ch === '"' || ch === "'" || (ch === '`' && language === 'go')) {
      const triple = ch === '"' && text.startsWith('"""', i) && (python || language === 'java' || language === 'kotlin' || language === 'csharp');
      const s = quoted(i, ch, triple, false, false);
      const template = (language === 'kotlin' && s.value.includes('$')) || (language === 'php' && ch === '"' && s.value.includes('$'));
      push('str', s.value, startLine, startCol, template);
      i = s.end;
      continue;
    }
    if (language === 'php' && text.startsWith('<<<', i)) {
      // Heredoc/nowdoc: skipped to its closing identifier.
      let j = i + 3;
      while (j < n && (text[j] === ' ' || text[j] === "'" || text[j] === '"')) j++;
      const s = j;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      const label = text.slice(s, j);
      let k = text.indexOf('\n', j);
      while (k >= 0 && label) {
        line++;
        lineStart = k + 1;
        let m = k + 1;
        while (m < n && (text[m] === ' ' || text[m] === '\t')) m++;
        if (text.startsWith(label, m) && !isIdPart(text.charCodeAt(m + label.length))) {
          k = m + label.length;
          break;
        }
        k = text.indexOf('\n', k + 1);
      }
      push('str', '', startLine, startCol);
      i = k < 0 || !label ? n : k;
      continue;
    }
    if (isIdStart(c) || (language === 'php' && ch === '$' && isIdStart(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      push('id', text.slice(i, j), startLine, startCol);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && (isIdPart(text.charCodeAt(j)) || text[j] === '.')) j++;
      push('num', text.slice(i, j), startLine, startCol);
      i = j;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const op = OPS3.has(three) ? three : OPS2.has(two) ? two : ch;
    // Go's `const (`, `var (` and `import (` blocks hold one declaration per line, as a `{` block does.
    const prev = tokens[tokens.length - 1];
    const block = language === 'go' && op === '(' && prev?.k === 'id' && (prev.v === 'const' || prev.v === 'var' || prev.v === 'import');
    if (op === '(' || op === '[' || op === '{' || op === '#[') brackets.push(block ? '{' : op === '#[' ? '[' : op);
    else if ((op === ')' || op === ']' || op === '}') && brackets.length) brackets.pop();
    push('op', op, startLine, startCol);
    i += op.length;
  }
  return { tokens, truncated: false };
}
