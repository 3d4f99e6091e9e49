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
