/**
 * The types a script declares at its top level and the type arguments of its classes' `extends`
 * clauses, for the index (index-file.ts). The value index keeps no type: a rule that needs to know
 * what `class UserRepository extends Repository<User>` stores (and whether `User` is a declared
 * type, not `any`) reads it here. Top-level statements only; each type argument is kept as the name
 * it is written with, or as nothing when it is not a plain name.
 */
import ts from '../analyzer/typescript.cjs';

/**
 * What a declared type name is: an `interface`, a `class`, an `enum`, a type alias of an object
 * (`{ … }`, an intersection, a mapped type), of a type inferred from a value
 * (`z.infer<typeof UserSchema>`, `InferSchemaType<…>`), of another named type (`alias`), or of a
 * keyword, a literal or a union (`primitive`: no record).
 */
export type TypeKind = 'interface' | 'class' | 'enum' | 'object' | 'inferred' | 'alias' | 'primitive';

export interface GenericClass {
  name: string;
  line: number;
  /** Its own type parameters (`class Repo<T>` → `['T']`). */
  params: string[];
  /** The class it extends, as written (`Base`, `lib.Base`). */
  base?: string;
  /** The type arguments given to it (`extends Base<User>` → `['User']`), '' for one that is not a plain name; `any`/`unknown` as written. */
  baseArgs: string[];
  abstract?: true;
}

/** A declared type: its kind, an object's members (name, type as written, optional), and the value an inferred type is read from. */
export interface TypeDecl {
  name: string;
  kind: TypeKind;
  line: number;
  /** An interface's or object type's own members (not those of what it extends), at most MAX_MEMBERS. */
  members?: [string, string, boolean][];
  /** `z.infer<typeof TicketSchema>` → `TicketSchema`. */
  from?: string;
}

export interface TypeDecls {
  /** Top-level type declarations, in source order. */
  decls: TypeDecl[];
  /** Top-level classes that take type parameters or give type arguments to the class they extend. */
  classes: GenericClass[];
}

/** At most this many classes and declarations are kept per script (a generated file may declare thousands). */
const MAX_CLASSES = 500;
const MAX_DECLS = 2000;
/** Members kept per declaration, and characters of a member's type as written. */
const MAX_MEMBERS = 200;
const MAX_TYPE_TEXT = 80;

function refName(n: ts.EntityName | ts.Expression): string | undefined {
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isQualifiedName(n)) {
    const left = refName(n.left);
    return left === undefined ? undefined : `${left}.${n.right.text}`;
  }
  if (ts.isPropertyAccessExpression(n)) {
    const left = refName(n.expression);
    return left === undefined ? undefined : `${left}.${n.name.text}`;
  }
  return undefined;
}

function argName(t: ts.TypeNode): string {
  if (t.kind === ts.SyntaxKind.AnyKeyword) return 'any';
  if (t.kind === ts.SyntaxKind.UnknownKeyword) return 'unknown';
  if (ts.isTypeReferenceNode(t) && !t.typeArguments) return refName(t.typeName) ?? '';
  return '';
}

function aliasKind(t: ts.TypeNode): TypeKind {
  if (ts.isParenthesizedTypeNode(t)) return aliasKind(t.type);
  if (ts.isTypeLiteralNode(t) || ts.isMappedTypeNode(t) || ts.isIntersectionTypeNode(t)) return 'object';
  if (ts.isTypeReferenceNode(t)) {
    // `z.infer<typeof S>`, `InferSchemaType<typeof s>`, `Static<typeof T>`: a type read from a value.
    if (t.typeArguments?.some((a) => ts.isTypeQueryNode(a))) return 'inferred';
    return 'alias';
  }
  return 'primitive';
}

function members(list: ts.NodeArray<ts.TypeElement>, sf: ts.SourceFile): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  for (const m of list) {
    if (!ts.isPropertySignature(m) || out.length >= MAX_MEMBERS) continue;
    const name = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : undefined;
    if (name === undefined) continue;
    const type = m.type
      ? m.type
          .getText(sf)
          .slice(0, MAX_TYPE_TEXT * 4)
          .replace(/\s+/g, ' ')
      : 'unknown';
    out.push([name, type.length > MAX_TYPE_TEXT ? `${type.slice(0, MAX_TYPE_TEXT - 1)}…` : type, m.questionToken !== undefined]);
  }
  return out;
}

/** `z.infer<typeof S>` → `S`. */
function inferredFrom(t: ts.TypeNode): string | undefined {
  if (ts.isParenthesizedTypeNode(t)) return inferredFrom(t.type);
  if (!ts.isTypeReferenceNode(t)) return undefined;
  const q = t.typeArguments?.find((a): a is ts.TypeQueryNode => ts.isTypeQueryNode(a));
  return q ? refName(q.exprName) : undefined;
}

export function typeDecls(sf: ts.SourceFile): TypeDecls {
  const out: TypeDecls = { decls: [], classes: [] };
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    if (out.decls.length >= MAX_DECLS) break;
    if (ts.isInterfaceDeclaration(st)) out.decls.push({ name: st.name.text, kind: 'interface', line: line(st.name), members: members(st.members, sf) });
    else if (ts.isTypeAliasDeclaration(st)) {
      const d: TypeDecl = { name: st.name.text, kind: aliasKind(st.type), line: line(st.name) };
      if (ts.isTypeLiteralNode(st.type)) d.members = members(st.type.members, sf);
      const from = inferredFrom(st.type);
      if (from !== undefined) d.from = from;
      out.decls.push(d);
    } else if (ts.isEnumDeclaration(st)) out.decls.push({ name: st.name.text, kind: 'enum', line: line(st.name) });
    else if (ts.isClassDeclaration(st) && st.name) {
      out.decls.push({ name: st.name.text, kind: 'class', line: line(st.name) });
      const ext = st.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      const params = (st.typeParameters ?? []).map((p) => p.name.text);
      if ((params.length === 0 && !ext?.typeArguments) || out.classes.length >= MAX_CLASSES) continue;
      const c: GenericClass = { name: st.name.text, line: line(st.name), params, baseArgs: [] };
      const base = ext ? refName(ext.expression) : undefined;
      if (base !== undefined) c.base = base;
      if (ext?.typeArguments) c.baseArgs = ext.typeArguments.map(argName);
      if ((ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) c.abstract = true;
      out.classes.push(c);
    }
  }
  return out;
}
