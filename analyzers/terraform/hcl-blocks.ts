/**
 * A small HCL scanner that finds where top-level blocks start and end. hcl2json returns no
 * positions, so evidence lines come from here; when a file does not parse, the same block list
 * lets the analyzer parse each block on its own and keep everything but the broken block.
 */

export interface HclBlock {
  /** `resource`, `data`, `module`, `variable`, `output`, `locals`, `terraform`, `provider`… */
  keyword: string;
  labels: string[];
  /** 1-based line of the block header. */
  line: number;
  /** 1-based line of the closing brace (the last line when unclosed). */
  endLine: number;
  start: number;
  end: number;
  /** True when the closing brace was found. */
  closed: boolean;
}

/** Top-level blocks of an HCL file, skipping strings, comments and heredocs. */
export function scanBlocks(text: string): HclBlock[] {
  const blocks: HclBlock[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let current: HclBlock | undefined;
  const n = text.length;
  // The start of the current top-level statement (for reading the header).
  let stmtStart = 0;
  let stmtLine = 1;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) {
        stmtStart = i;
        stmtLine = line;
      }
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
      continue;
    }
    if (c === '"') {
      i++;
      let interp = 0;
      while (i < n) {
        const d = text[i]!;
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === '$' && text[i + 1] === '{') {
          interp++;
          i += 2;
          continue;
        }
        if (interp > 0 && d === '}') interp--;
        else if (interp === 0 && d === '"') break;
        if (d === '\n') {
          if (interp === 0) break; // unterminated string: stop at the line end
          line++;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(i, i + 80));
      if (m) {
        const marker = m[1]!;
        i += m[0].length;
        line++;
        const endRe = new RegExp(`^[ \\t]*${marker}[ \\t]*$`);
        while (i < n) {
          const eol = text.indexOf('\n', i);
          const lineText = text.slice(i, eol < 0 ? n : eol);
          i = eol < 0 ? n : eol + 1;
          line++;
          if (endRe.test(lineText)) break;
        }
        if (depth === 0) {
          stmtStart = i;
          stmtLine = line;
        }
        continue;
      }
    }
    if (c === '{') {
      if (depth === 0) {
        const header = text.slice(stmtStart, i).trim();
        const m = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\s+(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_-]*))*)\s*$/.exec(header);
        if (m) {
          const labels = [...m[2]!.matchAll(/"([^"]*)"|([A-Za-z_][A-Za-z0-9_-]*)/g)].map((x) => x[1] ?? x[2]!);
          current = { keyword: m[1]!, labels, line: stmtLine, endLine: line, start: stmtStart, end: n, closed: false };
        } else current = undefined;
      }
      depth++;
      i++;
      continue;
    }
    if (c === '}') {
      depth = Math.max(0, depth - 1);
      i++;
      if (depth === 0) {
        if (current) {
          current.endLine = line;
          current.end = i;
          current.closed = true;
          blocks.push(current);
          current = undefined;
        }
        stmtStart = i;
        stmtLine = line;
      }
      continue;
    }
    i++;
  }
  if (current) {
    current.endLine = line;
    blocks.push(current);
  }
  return blocks;
}

/** 1-based line of the first `name =` or `name {` inside a block, or the block's own line. */
export function attributeLine(lines: readonly string[], block: Pick<HclBlock, 'line' | 'endLine'>, name: string | RegExp): number {
  const re = name instanceof RegExp ? name : new RegExp(`^\\s*"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*(=|\\{|:)`);
  for (let l = block.line; l <= Math.min(block.endLine, lines.length); l++) {
    if (re.test(lines[l - 1]!)) return l;
  }
  return block.line;
}

/** Key for a block: `resource.aws_db_instance.main`, `module.vpc`, `variable.region`. */
export function blockKey(keyword: string, labels: string[]): string {
  return [keyword, ...labels].join('.');
}

/**
 * Offset of the first bracket, brace, parenthesis or template interpolation that nests deeper than
 * `limit` in HCL text, or undefined. One pass with an explicit stack (no recursion): comments are
 * skipped; quoted strings and heredocs are template text, where only `${` and `%{` open a level
 * (their expressions are counted like any other). hcl2json's Go runtime can abort the whole
 * process on input nested a few thousand levels deep, so a file past the limit is never parsed.
 */
export function hclTooDeep(text: string, limit: number): number | undefined {
  // What each open level is: an expression bracket or a template interpolation (with the character
  // that closes it), a quoted string, or a heredoc (with its end marker). The top of the stack
  // says how to read the next character; a closing character that does not match is not counted.
  const stack: { kind: 'code' | 'string' | 'heredoc'; close?: string; marker?: RegExp }[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (top && top.kind !== 'code') {
      if ((c === '$' || c === '%') && text[i + 1] === '{') {
        if (text[i - 1] !== c) {
          // `$${` and `%%{` are literal text; `${` and `%{` open an expression.
          stack.push({ kind: 'code', close: '}' });
          if (stack.length > limit) return i;
        }
        i += 2;
        continue;
      }
      if (top.kind === 'string') {
        if (c === '\\') i++;
        else if (c === '"' || c === '\n') stack.pop(); // an unterminated string ends with its line
      } else if (c === '\n') {
        const eol = text.indexOf('\n', i + 1);
        if (top.marker!.test(text.slice(i + 1, eol < 0 ? n : eol))) {
          stack.pop();
          i = eol < 0 ? n : eol;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    const heredoc = c === '<' && text[i + 1] === '<' ? /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(i, i + 80)) : null;
    if (heredoc) {
      stack.push({ kind: 'heredoc', marker: new RegExp(`^[ \\t]*${heredoc[1]!}[ \\t]*$`) });
      if (stack.length > limit) return i;
      i += heredoc[0].length - 1; // at the header's newline: the body starts on the next line
      continue;
    }
    if (c === '"' || c === '[' || c === '{' || c === '(') {
      stack.push(c === '"' ? { kind: 'string' } : { kind: 'code', close: c === '[' ? ']' : c === '{' ? '}' : ')' });
      if (stack.length > limit) return i;
    } else if (top && c === top.close) stack.pop();
    i++;
  }
  return undefined;
}

/**
 * Offset of the `$` or `%` past the first `limit` of them that open no interpolation (`${`, `%{`),
 * or undefined. hcl2json slows down far faster than linearly on many of them in one template
 * (8,192 `$a` in a string take seconds; a 32 KB heredoc of `$` about 11 s); hand-written files have
 * a few, so a file past the limit is not parsed.
 */
export function hclTooManyTemplateMarks(text: string, limit: number): number | undefined {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 36 || c === 37) && text.charCodeAt(i + 1) !== 123 && ++count > limit) return i; // `$`, `%`, not before `{`
  }
  return undefined;
}
