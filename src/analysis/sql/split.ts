/**
 * Statement splitter for SQL files: `;` at top level ends a statement; quotes ('…', "…", `…`),
 * dollar quotes ($$…$$, $tag$…$tag$), line and block comments are skipped. Each statement keeps
 * its 1-based start line. Comments are replaced by spaces so the text parses cleanly.
 */
export interface SqlStatement {
  text: string;
  line: number;
}

export function splitStatements(sql: string, baseLine = 1): SqlStatement[] {
  const out: SqlStatement[] = [];
  let buf = '';
  let line = baseLine;
  let startLine = -1;
  const flush = () => {
    const text = buf.trim();
    if (text !== '') out.push({ text, line: startLine < 0 ? line : startLine });
    buf = '';
    startLine = -1;
  };
  const n = sql.length;
  let i = 0;
  const mark = () => {
    if (startLine < 0) startLine = line;
  };
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '\n') {
      line++;
      buf += ch;
      i++;
      continue;
    }
    if (ch === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      buf += ' ';
      continue;
    }
    if (ch === '#' && startLine < 0) {
      // MySQL line comment at the start of a statement.
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      i += 2;
      while (i < n && !(sql[i] === '*' && sql[i + 1] === '/')) {
        if (sql[i] === '\n') {
          line++;
          buf += '\n';
        }
        i++;
      }
      i += 2;
      buf += ' ';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      mark();
      let j = i + 1;
      while (j < n) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) {
            j += 2;
            continue;
          }
          break;
        }
        if (ch === "'" && sql[j] === '\\' && j + 1 < n) j++;
        j++;
      }
      const piece = sql.slice(i, j + 1);
      line += piece.split('\n').length - 1;
      buf += piece;
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        mark();
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        const stop = end < 0 ? n : end + tag.length;
        const piece = sql.slice(i, stop);
        line += piece.split('\n').length - 1;
        buf += piece;
        i = stop;
        continue;
      }
    }
    if (ch === ';') {
      flush();
      i++;
      continue;
    }
    if (!/\s/.test(ch)) mark();
    buf += ch;
    i++;
  }
  flush();
  return out;
}

/**
 * Offset of the first parenthesis or bracket that nests deeper than `limit` in one statement, as
 * the SQL parser (pgsql-ast-parser) reads it, or undefined. That parser recurses per level and, on
 * a few hundred thousand levels, fills gigabytes of memory before it fails, so a statement past
 * the limit is never given to it. One pass, no recursion. Quotes and comments are skipped the way
 * the parser's own lexer skips them ('…' with '' only; E'…' with backslash escapes; $$…$$;
 * "…"; line comments and nested block comments): where this reads code, the parser does too.
 */
export function sqlTooDeep(sql: string, limit: number): number | undefined {
  const n = sql.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'") {
      const e = i > 0 && (sql[i - 1] === 'e' || sql[i - 1] === 'E') && !(i > 1 && /[A-Za-z0-9_]/.test(sql[i - 2]!));
      for (i++; i < n; i++) {
        if (e && sql[i] === '\\') i++;
        else if (sql[i] === "'") {
          if (sql[i + 1] !== "'") break;
          i++;
        }
      }
      i++;
      continue;
    }
    if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === '$' && sql[i + 1] === '$') {
      const end = sql.indexOf('$$', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let nested = 0;
      for (i += 2; i < n; i++) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          nested++;
          i++;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          i++;
          if (nested-- === 0) break;
        }
      }
      i++;
      continue;
    }
    if (c === '(' || c === '[') {
      if (++depth > limit) return i;
    } else if ((c === ')' || c === ']') && depth > 0) depth--;
    i++;
  }
  return undefined;
}
