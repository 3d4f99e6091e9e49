/**
 * A small TOML reader for the keys platform manifests need (fly.toml, wrangler.toml,
 * netlify.toml, railway.toml): one pass over the lines, no regular expressions, linear in the
 * text. It keeps `[table]` and `[[array of tables]]` headers, `key = value` lines with a string,
 * number, boolean or inline array of strings, and skips multi-line strings and arrays. A line it
 * cannot read is reported with its number and skipped; the rest is read.
 */
export type TomlValue = string | number | boolean | string[];

export interface TomlEntry {
  /** The table the key is in ('' for the top level), e.g. `d1_databases` or `queues.producers`. */
  table: string;
  /** Which element of an array of tables (`[[…]]`), 0 for plain tables. */
  index: number;
  key: string;
  value: TomlValue;
  line: number;
}

export interface TomlRead {
  entries: TomlEntry[];
  errors: { line: number; message: string }[];
}

/** A quoted string starting at `s[start]`: its value and the index after the closing quote. */
function quoted(s: string, start: number): { value: string; end: number } | undefined {
  const q = s[start]!;
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i]!;
    if (q === '"' && c === '\\') {
      out += s[i + 1] ?? '';
      i++;
    } else if (c === q) return { value: out, end: i + 1 };
    else out += c;
  }
  return undefined;
}

/** The text before a `#` comment that is outside quotes. */
function withoutComment(s: string): string {
  let q = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (q === '"' && c === '\\') i++;
      else if (c === q) q = '';
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return s.slice(0, i);
  }
  return s;
}

/** Bracket depth change of a line, brackets inside quotes ignored. */
function bracketDelta(s: string): number {
  let d = 0;
  let q = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (q === '"' && c === '\\') i++;
      else if (c === q) q = '';
    } else if (c === '"' || c === "'") q = c;
    else if (c === '[' || c === '{') d++;
    else if (c === ']' || c === '}') d--;
  }
  return d;
}

function unquoteKey(k: string): string {
  return k
    .split('.')
    .map((p) => p.trim())
    .map((p) => (p.length >= 2 && (p[0] === '"' || p[0] === "'") && p[p.length - 1] === p[0] ? p.slice(1, -1) : p))
    .join('.');
}

function parseValue(raw: string): TomlValue | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  if (v[0] === '"' || v[0] === "'") {
    const q = quoted(v, 0);
    return q && v.slice(q.end).trim() === '' ? q.value : undefined;
  }
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v[0] === '[') {
    if (v[v.length - 1] !== ']') return undefined;
    const out: string[] = [];
    const inner = v.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i]!;
      if (c === '"' || c === "'") {
        const q = quoted(inner, i);
        if (!q) return undefined;
        out.push(q.value);
        i = q.end - 1;
      }
    }
    return out;
  }
  if (v[0] === '{') return v[v.length - 1] === '}' ? v : undefined;
  const n = Number(v.split('_').join(''));
  if (!Number.isNaN(n)) return n;
  // Dates and times: kept as text.
  if (v[0]! >= '0' && v[0]! <= '9') return v;
  return undefined;
}

/** Split `s` at `sep` outside quotes. */
function splitOutside(s: string, sep: string): string[] {
  const out: string[] = [];
  let q = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (q === '"' && c === '\\') i++;
      else if (c === q) q = '';
    } else if (c === '"' || c === "'") q = c;
    else if (c === sep) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** The inline tables (`{ a = "x", b = 1 }`, not nested) of a line, as key/value lists. */
function inlineTables(s: string): [string, TomlValue][][] {
  const out: [string, TomlValue][][] = [];
  let q = '';
  let open = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (q === '"' && c === '\\') i++;
      else if (c === q) q = '';
    } else if (c === '"' || c === "'") q = c;
    else if (c === '{') open = i;
    else if (c === '}' && open >= 0) {
      const pairs: [string, TomlValue][] = [];
      for (const part of splitOutside(s.slice(open + 1, i), ',')) {
        const eq = part.indexOf('=');
        if (eq <= 0) continue;
        const v = parseValue(part.slice(eq + 1));
        if (v !== undefined) pairs.push([unquoteKey(part.slice(0, eq)), v]);
      }
      out.push(pairs);
      open = -1;
    }
  }
  return out;
}

export function readToml(text: string): TomlRead {
  const entries: TomlEntry[] = [];
  const errors: TomlRead['errors'] = [];
  const counts = new Map<string, number>();
  let table = '';
  let index = 0;
  let multiString = '';
  let arrayDepth = 0;
  // An array of inline tables (`d1_databases = [ { binding = "DB" }, … ]`) is read as an array of tables.
  let arrayTable = '';
  const addItems = (body: string, lineNo: number) => {
    for (const pairs of inlineTables(body)) {
      const i = counts.get(arrayTable) ?? 0;
      counts.set(arrayTable, i + 1);
      for (const [key, value] of pairs) entries.push({ table: arrayTable, index: i, key, value, line: lineNo });
    }
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const rawLine = lines[n]!;
    if (multiString) {
      if (rawLine.includes(multiString)) multiString = '';
      continue;
    }
    if (arrayDepth > 0) {
      const body = withoutComment(rawLine);
      addItems(body, lineNo);
      arrayDepth += bracketDelta(body);
      if (arrayDepth < 0) arrayDepth = 0;
      continue;
    }
    const line = withoutComment(rawLine).trim();
    if (line === '') continue;
    if (line[0] === '[') {
      const double = line.startsWith('[[');
      const close = double ? line.lastIndexOf(']]') : line.lastIndexOf(']');
      const name = close > 0 ? unquoteKey(line.slice(double ? 2 : 1, close)) : '';
      if (!name || line.slice(close + (double ? 2 : 1)).trim() !== '') {
        errors.push({ line: lineNo, message: 'TOML table header not read' });
        continue;
      }
      table = name;
      if (double) {
        index = counts.get(name) ?? 0;
        counts.set(name, index + 1);
      } else index = 0;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push({ line: lineNo, message: 'TOML line not read: expected key = value' });
      continue;
    }
    const key = unquoteKey(line.slice(0, eq));
    const rawValue = line.slice(eq + 1).trim();
    if (rawValue.startsWith('"""') || rawValue.startsWith("'''")) {
      const delim = rawValue.slice(0, 3);
      if (!rawValue.slice(3).includes(delim)) multiString = delim;
      continue;
    }
    if (rawValue[0] === '[' && rawValue.includes('{')) {
      arrayTable = table ? `${table}.${key}` : key;
      addItems(rawValue, lineNo);
      arrayDepth = Math.max(bracketDelta(rawValue), 0);
      continue;
    }
    if ((rawValue[0] === '[' || rawValue[0] === '{') && bracketDelta(rawValue) > 0) {
      arrayTable = table ? `${table}.${key}` : key;
      arrayDepth = bracketDelta(rawValue);
      continue;
    }
    const value = parseValue(rawValue);
    if (value === undefined) {
      errors.push({ line: lineNo, message: `TOML value of ${key} not read` });
      continue;
    }
    entries.push({ table, index, key, value, line: lineNo });
  }
  return { entries, errors };
}

/** The value of `key` in `table` (element `index` of an array of tables). */
export function tomlGet(read: TomlRead, table: string, key: string, index = 0): TomlEntry | undefined {
  return read.entries.find((e) => e.table === table && e.key === key && e.index === index);
}

/** How many elements an array of tables has (0 when absent). */
export function tomlCount(read: TomlRead, table: string): number {
  let max = -1;
  for (const e of read.entries) if (e.table === table && e.index > max) max = e.index;
  return max + 1;
}
