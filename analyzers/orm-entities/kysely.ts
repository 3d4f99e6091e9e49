/**
 * Kysely: the database interface given to `new Kysely<DB>()` (or an interface named `DB` /
 * `Database` in a file importing kysely, as kysely-codegen writes it): each property is a table
 * whose type is an interface of columns. Kysely declares no keys or relations, so none are reported.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Entity } from '../../src/model/schema.js';
import { lineOf, propName } from '../../src/analysis/ast.js';
import { STATE_FIELD, type Collected, type Draft } from './collect.js';

/** A type as written, kept as plain data: what `column` reads of it, with its text. */
export type TypeShape =
  | { k: 'ref'; name: string; args: TypeShape[]; text: string }
  | { k: 'union'; parts: TypeShape[]; text: string }
  | { k: 'str'; v: string; text: string }
  | { k: 'null'; text: string }
  | { k: 'other'; text: string };

/** A property of an interface or type literal; `inline` holds the members of a type literal it is typed with. */
export interface KyselyMember {
  name: string;
  line: number;
  optional: boolean;
  type?: TypeShape;
  inline?: KyselyMember[];
}

/** An interface or type alias of a file importing kysely: its members, or the union it names. */
export interface KyselyDecl {
  file: string;
  members: KyselyMember[];
  union?: TypeShape;
}

function shapeOf(t: ts.TypeNode, sf: ts.SourceFile): TypeShape {
  const text = t.getText(sf);
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName))
    return { k: 'ref', name: t.typeName.text, args: (t.typeArguments ?? []).map((a) => shapeOf(a, sf)), text };
  if (ts.isUnionTypeNode(t)) return { k: 'union', parts: t.types.map((p) => shapeOf(p, sf)), text };
  if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) return { k: 'str', v: t.literal.text, text };
  if (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) return { k: 'null', text };
  return { k: 'other', text };
}

function membersOf(list: readonly ts.TypeElement[], sf: ts.SourceFile): KyselyMember[] {
  const out: KyselyMember[] = [];
  for (const m of list) {
    if (!ts.isPropertySignature(m)) continue;
    const name = propName(m.name);
    if (!name) continue;
    const member: KyselyMember = { name, line: lineOf(sf, m), optional: !!m.questionToken };
    if (m.type) member.type = shapeOf(m.type, sf);
    if (m.type && ts.isTypeLiteralNode(m.type)) member.inline = membersOf(m.type.members, sf);
    out.push(member);
  }
  return out;
}

/** An interface or type alias as plain data, read while its file is visited. */
export function kyselyDecl(node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration, file: string, sf: ts.SourceFile): KyselyDecl {
  if (ts.isInterfaceDeclaration(node)) return { file, members: membersOf(node.members, sf) };
  const decl: KyselyDecl = { file, members: ts.isTypeLiteralNode(node.type) ? membersOf(node.type.members, sf) : [] };
  if (ts.isUnionTypeNode(node.type)) decl.union = shapeOf(node.type, sf);
  return decl;
}

/** Column type: `Generated<T>` → T (generated), `ColumnType<S, I, U>` → S, `T | null` → nullable. */
function column(type: TypeShape | undefined, types: Collected['kyselyTypes']): { type: string; nullable: boolean; generated: boolean; values?: string[] } {
  if (!type) return { type: 'unknown', nullable: false, generated: false };
  if (type.k === 'ref') {
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
  for (const dbName of [...names].sort()) {
    const db = c.kyselyTypes.get(dbName);
    if (!db) continue;
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
      const ref = m.type.k === 'ref' ? c.kyselyTypes.get(m.type.name) : undefined;
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
