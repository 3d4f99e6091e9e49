/**
 * Kysely: the database interface given to `new Kysely<DB>()` (or an interface named `DB` /
 * `Database` in a file importing kysely, as kysely-codegen writes it): each property is a table
 * whose type is an interface of columns. Kysely declares no keys or relations, so none are reported.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Entity } from '../../src/model/schema.js';
import { lineOf, propName } from '../../src/analysis/ast.js';
import { STATE_FIELD, type Collected, type Draft } from './collect.js';

type Decl = Collected['kyselyTypes'] extends Map<string, infer V> ? V : never;

function members(decl: Decl): readonly ts.TypeElement[] {
  if (ts.isInterfaceDeclaration(decl.node)) return decl.node.members;
  return ts.isTypeLiteralNode(decl.node.type) ? decl.node.type.members : [];
}

/** Column type: `Generated<T>` → T (generated), `ColumnType<S, I, U>` → S, `T | null` → nullable. */
function column(type: ts.TypeNode | undefined, sf: ts.SourceFile, types: Collected['kyselyTypes']): { type: string; nullable: boolean; generated: boolean; values?: string[] } {
  if (!type) return { type: 'unknown', nullable: false, generated: false };
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const n = type.typeName.text;
    if ((n === 'Generated' || n === 'GeneratedAlways') && type.typeArguments?.[0]) return { ...column(type.typeArguments[0], sf, types), generated: true };
    if (n === 'ColumnType' && type.typeArguments?.[0]) return column(type.typeArguments[0], sf, types);
    // A type alias of string literals declared elsewhere: type Status = 'a' | 'b'
    const alias = types.get(n);
    if (alias && ts.isTypeAliasDeclaration(alias.node) && ts.isUnionTypeNode(alias.node.type)) {
      const inner = column(alias.node.type, alias.sf, types);
      return { ...inner, type: n };
    }
  }
  if (ts.isUnionTypeNode(type)) {
    const parts = type.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    const nullable = parts.length < type.types.length;
    const literals = parts.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
    if (literals && parts.length > 1) {
      return { type: 'enum', nullable, generated: false, values: parts.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text) };
    }
    if (parts.length === 1) return { ...column(parts[0], sf, types), nullable };
    return { type: parts.map((t) => t.getText(sf)).join(' | '), nullable, generated: false };
  }
  return { type: type.getText(sf).replace(/\s+/g, ' '), nullable: false, generated: false };
}

export function kyselyDrafts(c: Collected): Draft[] {
  const names = new Set(c.kyselyDbNames);
  if (names.size === 0) for (const n of ['DB', 'Database']) if (c.kyselyTypes.has(n)) names.add(n);
  const out: Draft[] = [];
  for (const dbName of [...names].sort()) {
    const db = c.kyselyTypes.get(dbName);
    if (!db) continue;
    for (const m of members(db)) {
      if (!ts.isPropertySignature(m)) continue;
      const table = propName(m.name);
      if (!table || !m.type) continue;
      const draft: Draft = {
        orm: 'kysely',
        name: table,
        aliases: [],
        table,
        file: db.file,
        line: lineOf(db.sf, m),
        fields: [],
        relations: [],
        indexes: [],
        states: [],
        pendingEnums: [],
      };
      const ref = ts.isTypeReferenceNode(m.type) && ts.isIdentifier(m.type.typeName) ? c.kyselyTypes.get(m.type.typeName.text) : undefined;
      const cols = ref ? members(ref) : ts.isTypeLiteralNode(m.type) ? m.type.members : [];
      const sf = ref?.sf ?? db.sf;
      for (const col of cols) {
        if (!ts.isPropertySignature(col)) continue;
        const name = propName(col.name);
        if (!name) continue;
        const info = column(col.type, sf, c.kyselyTypes);
        const f: Entity['fields'][number] = { name, type: info.type };
        if (info.nullable || col.questionToken) f.nullable = true;
        if (info.generated) f.default = 'generated';
        draft.fields.push(f);
        if (info.values && STATE_FIELD.test(name)) draft.states.push({ field: name, values: info.values });
      }
      out.push(draft);
    }
  }
  return out;
}
