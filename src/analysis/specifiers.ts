/**
 * The module specifiers a script names, read from its syntax tree for the index (index-file.ts):
 * what the import graph resolves. The same specifiers TypeScript's pre-processing scanner finds
 * (`ts.preProcessFile`), with how each is named.
 */
import ts from '../analyzer/typescript.cjs';

/** A module specifier written in a script, at the line of the specifier itself. */
export interface Specifier {
  specifier: string;
  line: number;
  /** `import … from`, `export … from`, `import x = require()`, `require('x')`, `import('x')`. */
  kind: 'import' | 'export' | 'import-equals' | 'require' | 'dynamic';
  /** `import type …` / `export type … from`: erased when compiled. */
  typeOnly?: true;
}

/** A string literal or a template without substitutions. */
const literal = (n: ts.Node | undefined): n is ts.StringLiteralLike => !!n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));

/**
 * Import and export-from declarations (type-only ones too) and `import x = require()` of the
 * top-level statements, and — when the text has any — literal `require('x')` and `import('x')`
 * calls anywhere, in source order.
 */
export function moduleSpecifiers(sf: ts.SourceFile): Specifier[] {
  const found: { node: ts.StringLiteralLike; kind: Specifier['kind']; typeOnly: boolean }[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && literal(st.moduleSpecifier))
      found.push({ node: st.moduleSpecifier, kind: 'import', typeOnly: !!st.importClause?.isTypeOnly });
    else if (ts.isExportDeclaration(st) && literal(st.moduleSpecifier)) found.push({ node: st.moduleSpecifier, kind: 'export', typeOnly: st.isTypeOnly });
    else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && literal(st.moduleReference.expression)) {
      found.push({ node: st.moduleReference.expression, kind: 'import-equals', typeOnly: st.isTypeOnly });
    }
  }
  if (/\b(?:require|import)\s*\(/.test(sf.text)) {
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.arguments.length >= 1 && literal(n.arguments[0])) {
        const callee = n.expression;
        if (callee.kind === ts.SyntaxKind.ImportKeyword) found.push({ node: n.arguments[0], kind: 'dynamic', typeOnly: false });
        else if (ts.isIdentifier(callee) && callee.text === 'require') found.push({ node: n.arguments[0], kind: 'require', typeOnly: false });
      }
      ts.forEachChild(n, visit);
    };
    for (const st of sf.statements) visit(st);
  }
  // Declarations first, calls after: put them back in source order (no two share a start).
  const at = found.map((f) => ({ f, pos: f.node.getStart(sf) })).sort((a, b) => a.pos - b.pos);
  return at.map(({ f, pos }) => {
    const s: Specifier = { specifier: f.node.text, line: sf.getLineAndCharacterOfPosition(pos).line + 1, kind: f.kind };
    if (f.typeOnly) s.typeOnly = true;
    return s;
  });
}
