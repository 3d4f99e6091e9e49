/**
 * The schema a sequence of migrations builds: CREATE / ALTER / DROP / RENAME TABLE, columns,
 * keys, indexes and enum types applied in order. Statements are parsed with pgsql-ast-parser;
 * what it cannot parse (MySQL and SQLite dialects, mostly) goes through a small fallback parser
 * that understands only table-shaping statements.
 */
import { tableKey } from '../../data/ids.js';
import type { Evidence } from '../../model/schema.js';

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
  id: boolean;
  unique: boolean;
  default?: string;
  /** Inline MySQL ENUM('a','b') values. */
  values?: string[];
}

export interface Table {
  name: string;
  columns: Column[];
  fks: { columns: string[]; table: string }[];
  indexes: { name?: string; text: string }[];
  created: Evidence;
  renamed?: Evidence;
}

export class SchemaState {
  readonly tables = new Map<string, Table>();
  readonly enums = new Map<string, string[]>();

  get(name: string): Table | undefined {
    return this.tables.get(tableKey(name));
  }
  create(name: string, at: Evidence): Table {
    const t: Table = { name: name.replace(/^(public|dbo|main)\./i, ''), columns: [], fks: [], indexes: [], created: at };
    this.tables.set(tableKey(name), t);
    return t;
  }
  drop(name: string): void {
    this.tables.delete(tableKey(name));
  }
  rename(from: string, to: string, at: Evidence): void {
    const t = this.get(from);
    if (!t) return;
    this.tables.delete(tableKey(from));
    t.name = to.replace(/^(public|dbo|main)\./i, '');
    t.renamed = at;
    this.tables.set(tableKey(to), t);
    for (const other of this.tables.values()) for (const fk of other.fks) if (tableKey(fk.table) === tableKey(from)) fk.table = t.name;
  }
}

export function column(t: Table, name: string): Column | undefined {
  const k = name.toLowerCase();
  return t.columns.find((c) => c.name.toLowerCase() === k);
}

// ---- pgsql-ast-parser statements (typed loosely: only the parts used here) ----
interface QName {
  name: string;
  schema?: string;
}
interface DataType {
  name?: string;
  schema?: string;
  config?: number[];
  arrayOf?: DataType;
  doubleQuoted?: boolean;
}
interface Constraint {
  type: string;
  columns?: QName[];
  localColumns?: QName[];
  foreignTable?: QName;
  default?: { type: string; value?: unknown; function?: QName; name?: string };
  constraintName?: QName;
}
interface ColumnDef {
  kind: string;
  name: QName;
  dataType: DataType;
  constraints?: Constraint[];
}
interface Stmt {
  type: string;
  [k: string]: unknown;
}

const qn = (q: QName | undefined): string => (q ? (q.schema && !/^(public|dbo|main)$/i.test(q.schema) ? `${q.schema}.${q.name}` : q.name) : '');

function typeName(t: DataType | undefined): string {
  if (!t) return 'unknown';
  if (t.arrayOf) return `${typeName(t.arrayOf)}[]`;
  const base = t.name ?? 'unknown';
  return t.config && t.config.length > 0 ? `${base}(${t.config.join(',')})` : base;
}

function defaultText(d: Constraint['default']): string | undefined {
  if (!d) return undefined;
  if (d.type === 'string' || d.type === 'integer' || d.type === 'numeric' || d.type === 'boolean') return String(d.value);
  if (d.type === 'call') return `${d.function?.name ?? 'fn'}()`;
  if (d.type === 'keyword') return String(d.value ?? '').toLowerCase();
  if (d.type === 'cast') return defaultText((d as unknown as { operand: Constraint['default'] }).operand);
  return undefined;
}

function addConstraint(t: Table, c: Constraint, cols?: string[]): void {
  const names = cols ?? (c.columns ?? c.localColumns ?? []).map((x) => x.name);
  if (c.type === 'primary key') {
    for (const n of names) {
      const col = column(t, n);
      if (col) {
        col.id = true;
        col.nullable = false;
      }
    }
    if (names.length > 1) t.indexes.push({ text: `primary key (${names.join(', ')})` });
  } else if (c.type === 'unique') {
    if (names.length === 1 && column(t, names[0]!)) column(t, names[0]!)!.unique = true;
    else t.indexes.push({ name: c.constraintName?.name, text: `unique (${names.join(', ')})` });
  } else if ((c.type === 'foreign key' || c.type === 'reference') && c.foreignTable) {
    t.fks.push({ columns: names, table: qn(c.foreignTable) });
  }
}

function columnFrom(def: ColumnDef, state: SchemaState, t: Table): Column {
  const type = typeName(def.dataType);
  const col: Column = { name: def.name.name, type, nullable: true, id: false, unique: false };
  if (/^(big|small)?serial$/i.test(type)) col.default = 'autoincrement';
  const enumValues = state.enums.get(tableKey(qn({ name: def.dataType.name ?? '', schema: def.dataType.schema })));
  if (enumValues) col.values = enumValues;
  for (const c of def.constraints ?? []) {
    if (c.type === 'not null') col.nullable = false;
    else if (c.type === 'null') col.nullable = true;
    else if (c.type === 'primary key') {
      col.id = true;
      col.nullable = false;
    } else if (c.type === 'unique') col.unique = true;
    else if (c.type === 'default') col.default = defaultText(c.default) ?? col.default;
    else if (c.type === 'reference' && c.foreignTable) t.fks.push({ columns: [col.name], table: qn(c.foreignTable) });
    else if (c.type === 'add generated') col.default = 'identity';
  }
  return col;
}

/** Apply one parsed statement; false when it is not something this state tracks. */
export function applyAst(state: SchemaState, s: Stmt, at: Evidence): void {
  switch (s.type) {
    case 'create enum': {
      const values = (s.values as { value: string }[]).map((v) => v.value);
      state.enums.set(tableKey(qn(s.name as QName)), values);
      return;
    }
    case 'alter enum': {
      const change = s.change as { type: string; add?: { value: string } };
      const key = tableKey(qn(s.name as QName));
      if (change.type === 'add value' && change.add) state.enums.set(key, [...(state.enums.get(key) ?? []), change.add.value]);
      return;
    }
    case 'create table': {
      const name = qn(s.name as QName);
      if ((s.ifNotExists as boolean) && state.get(name)) return;
      const t = state.create(name, at);
      for (const item of (s.columns as ColumnDef[]) ?? []) if (item.kind === 'column') t.columns.push(columnFrom(item, state, t));
      for (const c of (s.constraints as Constraint[]) ?? []) addConstraint(t, c);
      return;
    }
    case 'drop table': {
      for (const n of s.names as QName[]) state.drop(qn(n));
      return;
    }
    case 'create index': {
      const t = state.get(qn(s.table as QName));
      if (!t) return;
      const cols = (s.expressions as { expression: { type: string; name?: string } }[]).map((e) => (e.expression.type === 'ref' ? e.expression.name : 'expr'));
      const unique = s.unique === true;
      if (unique && cols.length === 1 && column(t, cols[0]!)) column(t, cols[0]!)!.unique = true;
      else t.indexes.push({ name: (s.indexName as QName | undefined)?.name, text: `${unique ? 'unique' : 'index'} (${cols.join(', ')})` });
      return;
    }
    case 'drop index': {
      for (const n of s.names as QName[]) {
        for (const t of state.tables.values()) {
          const i = t.indexes.findIndex((x) => x.name === n.name);
          if (i >= 0) t.indexes.splice(i, 1);
        }
      }
      return;
    }
    case 'alter table': {
      let name = qn(s.table as QName);
      for (const ch of s.changes as { type: string; [k: string]: unknown }[]) {
        const t = state.get(name);
        if (!t) return;
        if (ch.type === 'rename') {
          const to = qn(ch.to as QName);
          state.rename(name, to, at);
          name = to;
        } else if (ch.type === 'rename column') {
          const col = column(t, (ch.column as QName).name);
          if (col) col.name = (ch.to as QName).name;
          for (const fk of t.fks) fk.columns = fk.columns.map((c) => (c.toLowerCase() === (ch.column as QName).name.toLowerCase() ? (ch.to as QName).name : c));
        } else if (ch.type === 'add column') {
          const def = ch.column as ColumnDef;
          if (!column(t, def.name.name)) t.columns.push(columnFrom(def, state, t));
        } else if (ch.type === 'drop column') {
          const n = (ch.column as QName).name.toLowerCase();
          t.columns = t.columns.filter((c) => c.name.toLowerCase() !== n);
          t.fks = t.fks.filter((fk) => !fk.columns.some((c) => c.toLowerCase() === n));
        } else if (ch.type === 'add constraint') {
          addConstraint(t, ch.constraint as Constraint);
        } else if (ch.type === 'alter column') {
          const col = column(t, (ch.column as QName).name);
          const alter = ch.alter as { type: string; dataType?: DataType; default?: Constraint['default'] };
          if (!col) continue;
          if (alter.type === 'set not null') col.nullable = false;
          else if (alter.type === 'drop not null') col.nullable = true;
          else if (alter.type === 'set type') col.type = typeName(alter.dataType);
          else if (alter.type === 'set default') col.default = defaultText(alter.default);
          else if (alter.type === 'drop default') delete col.default;
        }
      }
      return;
    }
    default:
      return;
  }
}

// ---- Fallback for what pgsql-ast-parser rejects (MySQL/SQLite syntax) ----

const ident = String.raw`(?:\`[^\`]+\`|"[^"]+"|\[[^\]]+\]|[\w$]+)(?:\s*\.\s*(?:\`[^\`]+\`|"[^"]+"|\[[^\]]+\]|[\w$]+))?`;
/**
 * `ident` with quoted names of at most 255 characters (more than any database allows), for the
 * unanchored `references` search: an unclosed `[`, `"` or backquote after each of many
 * `references` would otherwise be rescanned to the end from each one.
 */
const shortIdent = String.raw`(?:\`[^\`]{1,255}\`|"[^"]{1,255}"|\[[^\]]{1,255}\]|[\w$]+)(?:\s*\.\s*(?:\`[^\`]{1,255}\`|"[^"]{1,255}"|\[[^\]]{1,255}\]|[\w$]+))?`;
const unq = (s: string) => s.replace(/[`"[\]]/g, '').replace(/\s+/g, '');

/** Split on commas outside parentheses and quotes. */
function topLevel(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote: string | undefined;
  for (const ch of body) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const colList = (s: string) => s.split(',').map((x) => unq(x.trim()).replace(/\(\d+\)$/, ''));

function fallbackColumn(item: string, t: Table): Column | undefined {
  const m = new RegExp(`^(${ident})\\s+([\\w]+(?:\\s*\\([^)]*\\))?(?:\\s+(?:unsigned|varying|precision|without time zone|with time zone))*)(.*)$`, 'is').exec(
    item,
  );
  if (!m) return undefined;
  const rest = m[3] ?? '';
  const col: Column = {
    name: unq(m[1]!),
    type: m[2]!.replace(/\s+/g, ' '),
    nullable: !/\bnot\s+null\b/i.test(rest),
    id: /\bprimary\s+key\b/i.test(rest),
    unique: /\bunique\b/i.test(rest),
  };
  if (col.id) col.nullable = false;
  const enumM = /^enum\s*\((.*)\)$/is.exec(col.type);
  if (enumM) {
    col.values = [...enumM[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1]!);
    col.type = 'enum';
  }
  if (/\b(auto_increment|autoincrement)\b/i.test(rest)) col.default = 'autoincrement';
  const d = /\bdefault\s+('(?:[^']|'')*'|[\w.()-]+)/i.exec(rest);
  if (d) col.default = d[1]!.replace(/^'|'$/g, '');
  const ref = new RegExp(`\\breferences\\s+(${shortIdent})`, 'i').exec(rest);
  if (ref) t.fks.push({ columns: [col.name], table: unq(ref[1]!) });
  return col;
}

function fallbackConstraint(item: string, t: Table): boolean {
  const body = item.replace(/^constraint\s+\S+\s+/i, '');
  let m = /^primary\s+key\s*\(([^)]*)\)/i.exec(body);
  if (m) {
    addConstraint(t, { type: 'primary key' }, colList(m[1]!));
    return true;
  }
  m = new RegExp(`^foreign\\s+key\\s*\\(([^)]*)\\)\\s*references\\s+(${ident})`, 'i').exec(body);
  if (m) {
    t.fks.push({ columns: colList(m[1]!), table: unq(m[2]!) });
    return true;
  }
  m = /^unique(?:\s+(?:key|index))?(?:\s+[`"\w]+)?\s*\(([^)]*)\)/i.exec(body);
  if (m) {
    addConstraint(t, { type: 'unique' }, colList(m[1]!));
    return true;
  }
  m = /^(?:key|index|fulltext\s+(?:key|index))(?:\s+([`"\w]+))?\s*\(([^)]*)\)/i.exec(body);
  if (m) {
    t.indexes.push({ name: m[1] ? unq(m[1]) : undefined, text: `index (${colList(m[2]!).join(', ')})` });
    return true;
  }
  return /^(check|constraint|exclude)\b/i.test(body);
}

/** Table-shaping statements the AST parser rejected. Returns false when not understood. */
export function applyFallback(state: SchemaState, sql: string, at: Evidence): boolean {
  const text = sql.replace(/\s+/g, ' ').trim();
  let m = new RegExp(`^create\\s+(?:temporary\\s+|temp\\s+)?table\\s+(if\\s+not\\s+exists\\s+)?(${ident})\\s*\\((.*)\\)[^)]*$`, 'is').exec(text);
  if (m) {
    const name = unq(m[2]!);
    if (m[1] && state.get(name)) return true;
    const t = state.create(name, at);
    for (const item of topLevel(m[3]!)) {
      if (/^(constraint|primary\s+key|foreign\s+key|unique|key|index|check|fulltext)\b/i.test(item)) fallbackConstraint(item, t);
      else {
        const col = fallbackColumn(item, t);
        if (col) t.columns.push(col);
      }
    }
    return true;
  }
  m = /^drop\s+table\s+(?:if\s+exists\s+)?(.+?)(?:\s+(?:cascade|restrict))?$/i.exec(text);
  if (m) {
    for (const n of m[1]!.split(',')) state.drop(unq(n.trim()));
    return true;
  }
  m = /^rename\s+table\s+(.+)$/i.exec(text);
  if (m) {
    for (const pair of m[1]!.split(',')) {
      const p = new RegExp(`^\\s*(${ident})\\s+to\\s+(${ident})\\s*$`, 'i').exec(pair);
      if (p) state.rename(unq(p[1]!), unq(p[2]!), at);
    }
    return true;
  }
  m = new RegExp(`^alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?(${ident})\\s+(.*)$`, 'is').exec(text);
  if (m) {
    let name = unq(m[1]!);
    for (const action of topLevel(m[2]!)) {
      const t = state.get(name);
      if (!t) return true;
      let a = /^rename\s+(?:to|as)\s+(\S+)$/i.exec(action);
      if (a) {
        state.rename(name, unq(a[1]!), at);
        name = unq(a[1]!);
        continue;
      }
      a = /^rename\s+column\s+(\S+)\s+to\s+(\S+)$/i.exec(action);
      if (a) {
        const col = column(t, unq(a[1]!));
        if (col) col.name = unq(a[2]!);
        continue;
      }
      a = /^change\s+(?:column\s+)?(\S+)\s+(.*)$/i.exec(action);
      if (a) {
        const col = fallbackColumn(a[2]!, t);
        const old = column(t, unq(a[1]!));
        if (col && old) Object.assign(old, col);
        continue;
      }
      a = /^drop\s+(?:column\s+)?(?:if\s+exists\s+)?(\S+)$/i.exec(action);
      if (a && !/^(constraint|index|key|primary|foreign)$/i.test(a[1]!)) {
        const n = unq(a[1]!).toLowerCase();
        t.columns = t.columns.filter((c) => c.name.toLowerCase() !== n);
        continue;
      }
      a = /^add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(.*)$/i.exec(action);
      if (a) {
        const item = a[1]!;
        if (/^(constraint|primary\s+key|foreign\s+key|unique|key|index)\b/i.test(item)) fallbackConstraint(item, t);
        else {
          const col = fallbackColumn(item, t);
          if (col && !column(t, col.name)) t.columns.push(col);
        }
      }
    }
    return true;
  }
  m = new RegExp(
    `^create\\s+(unique\\s+)?index\\s+(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?(${ident})?\\s*on\\s+(${ident})\\s*(?:using\\s+\\w+\\s*)?\\((.*)\\)`,
    'i',
  ).exec(text);
  if (m) {
    const t = state.get(unq(m[3]!));
    if (t) {
      const cols = colList(m[4]!);
      if (m[1] && cols.length === 1 && column(t, cols[0]!)) column(t, cols[0]!)!.unique = true;
      else t.indexes.push({ name: m[2] ? unq(m[2]) : undefined, text: `${m[1] ? 'unique' : 'index'} (${cols.join(', ')})` });
    }
    return true;
  }
  return false;
}
