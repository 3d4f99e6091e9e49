/** Value readers particular to the ORM shape handlers, over the shared AST helpers (src/analysis/ast.ts). */
import ts from '../../src/analyzer/typescript.cjs';
import { lastName, str, unwrap } from '../../src/analysis/ast.js';

/**
 * The string a name stands for: a literal, or an identifier bound by a top-level
 * `const NAME = 'literal'` of the same file (`const MODEL_NAME = 'Site'`).
 */
export function constString(e: ts.Expression | undefined, sf: ts.SourceFile): string | undefined {
  const s = str(e);
  if (s !== undefined || !e) return s;
  const u = unwrap(e);
  if (!ts.isIdentifier(u)) return undefined;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === u.text) return str(d.initializer);
  }
  return undefined;
}

/** A literal default as a reader would write it; undefined for anything computed. */
export function literalText(e: ts.Expression | undefined, enums?: Map<string, Map<string, string>>): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isNumericLiteral(e)) return e.text;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return `-${e.operand.text}`;
  if (e.kind === ts.SyntaxKind.TrueKeyword) return 'true';
  if (e.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (e.kind === ts.SyntaxKind.NullKeyword) return 'null';
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const members = enums?.get(e.expression.text);
    if (members) return members.get(e.name.text) ?? e.name.text;
  }
  return undefined;
}

/**
 * A literal default kept as plain data until every enum is known: its text, or the enum member it
 * names (`OrderStatus.Pending`), which `litText` reads once the enums are in.
 */
export type Lit = string | { enum: string; member: string };

export function literalOf(e: ts.Expression | undefined): Lit | undefined {
  const text = literalText(e);
  if (text !== undefined || !e) return text;
  const u = unwrap(e);
  return ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.expression) ? { enum: u.expression.text, member: u.name.text } : undefined;
}

/** What `literalText` would have read with these enums. */
export function litText(lit: Lit | undefined, enums: Map<string, Map<string, string>>): string | undefined {
  if (lit === undefined || typeof lit === 'string') return lit;
  const members = enums.get(lit.enum);
  return members ? (members.get(lit.member) ?? lit.member) : undefined;
}

/** The target of `() => Customer` / `(type) => Customer` / `'Customer'` / `Customer`. */
export function arrowTarget(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const body = ts.isArrowFunction(e) && !ts.isBlock(e.body) ? e.body : undefined;
    if (body) return lastName(body) ?? str(body);
    const ret = ts.isBlock(e.body) ? e.body.statements.find(ts.isReturnStatement) : undefined;
    return ret?.expression ? (lastName(ret.expression) ?? str(ret.expression)) : undefined;
  }
  return str(e) ?? lastName(e);
}
