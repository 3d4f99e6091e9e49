/**
 * Kysely: the database interface given to `new Kysely<DB>()` (or an interface named `DB` /
 * `Database` in a file importing kysely, as kysely-codegen writes it): each property is a table
 * whose type is an interface of columns. Kysely declares no keys or relations, so none are reported.
 */
import type { Entity } from '../../src/model/schema.js';
import type { ShapeMember, TypeShape } from '../../src/analysis/shapes.js';
import { STATE_FIELD, type Collected, type Draft } from './collect.js';

/** An interface or type alias of a file importing kysely (from the file's index): its members, or the union it names. */
export interface KyselyDecl {
  file: string;
  members: ShapeMember[];
  union?: TypeShape;
}

/** Column type: `Generated<T>` → T (generated), `ColumnType<S, I, U>` → S, `T | null` → nullable. */
function column(type: TypeShape | undefined, types: Collected['kyselyTypes']): { type: string; nullable: boolean; generated: boolean; values?: string[] } {
  if (!type) return { type: 'unknown', nullable: false, generated: false };
  if (type.k === 'ref' && !type.q) {
    const n = type.name;
    if ((n === 'Generated' || n === 'GeneratedAlways') && type.args[0]) return { ...column(type.args[0], types), generated: true };
    if (n === 'ColumnType' && type.args[0]) return column(type.args[0], types);
    // A type alias of string literals declared elsewhere: type Status = 'a' | 'b'
    const alias = types.get(n)?.union;
    if (alias) return { ...column(alias, types), type: n };
  }
  if (type.k === 'union') {
    const parts = type.parts.filter((t) => t.k !== 'null');
    const nullable = parts.length < type.parts.length;
    if (parts.length > 1 && parts.every((t) => t.k === 'str'))
      return { type: 'enum', nullable, generated: false, values: parts.map((t) => (t as { v: string }).v) };
    if (parts.length === 1) return { ...column(parts[0], types), nullable };
    return { type: parts.map((t) => t.text).join(' | '), nullable, generated: false };
  }
  return { type: type.text.replace(/\s+/g, ' '), nullable: false, generated: false };
}

export function kyselyDrafts(c: Collected): Draft[] {
  const names = new Set(c.kyselyDbNames);
  if (names.size === 0) for (const n of ['DB', 'Database']) if (c.kyselyTypes.has(n)) names.add(n);
  const out: Draft[] = [];
  // `new Kysely<Database>()` with `type Database = DB` (an alias of the interface kysely-codegen
  // writes): the index keeps no alias target, so a type without members stands for `DB`.
  const dbOf = (name: string): KyselyDecl | undefined => {
    const decl = c.kyselyTypes.get(name);
    if (decl && (decl.members.length > 0 || decl.union)) return decl;
    return ['DB', 'Database'].map((n) => c.kyselyTypes.get(n)).find((d) => d !== undefined && d.members.length > 0);
  };
  const seen = new Set<KyselyDecl>();
  for (const dbName of [...names].sort()) {
    const db = dbOf(dbName);
    if (!db || seen.has(db)) continue;
    seen.add(db);
    for (const m of db.members) {
      if (!m.type) continue;
      const draft: Draft = {
        orm: 'kysely',
        name: m.name,
        aliases: [],
        table: m.name,
        file: db.file,
        line: m.line,
        fields: [],
        relations: [],
        indexes: [],
        states: [],
        pendingEnums: [],
      };
      const ref = m.type.k === 'ref' && !m.type.q ? c.kyselyTypes.get(m.type.name) : undefined;
      for (const col of ref ? ref.members : (m.inline ?? [])) {
        const info = column(col.type, c.kyselyTypes);
        const f: Entity['fields'][number] = { name: col.name, type: info.type };
        if (info.nullable || col.optional) f.nullable = true;
        if (info.generated) f.default = 'generated';
        draft.fields.push(f);
        if (info.values && STATE_FIELD.test(col.name)) draft.states.push({ field: col.name, values: info.values });
      }
      out.push(draft);
    }
  }
  return out;
}
