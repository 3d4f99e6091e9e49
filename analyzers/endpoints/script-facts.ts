/**
 * What endpoints reads of a script's text that the engine's index does not hold, taken in the file
 * pass as plain data so that no tree is needed afterwards: `gql`/`graphql` tagged templates (Apollo
 * typeDefs, their `${…}` blanked) and the string literals compared with `x.method`
 * (`req.method === 'POST'`, `case 'GET':`), which give a Next.js pages API route its methods.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { replaceSpans } from '../../src/util/linear-scan.js';

export interface ScriptFacts {
  /** GraphQL schema text of each tagged template, with the line before its first. */
  gql: { text: string; lineOffset: number }[];
  /** Methods compared with `x.method`, upper case, in source order. */
  methods: string[];
}

export function scriptFacts(sf: ts.SourceFile): ScriptFacts {
  const out: ScriptFacts = { gql: [], methods: [] };
  const isMethod = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === 'method';
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken
      ) {
        const lit = isMethod(n.left) ? n.right : isMethod(n.right) ? n.left : undefined;
        if (lit && ts.isStringLiteralLike(lit)) out.methods.push(lit.text.toUpperCase());
      }
    } else if (ts.isSwitchStatement(n) && isMethod(n.expression)) {
      for (const clause of n.caseBlock.clauses)
        if (ts.isCaseClause(clause) && ts.isStringLiteralLike(clause.expression)) out.methods.push(clause.expression.text.toUpperCase());
    } else if (ts.isTaggedTemplateExpression(n)) {
      const tag = n.tag;
      const name = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) ? tag.name.text : '';
      if (name === 'gql' || name === 'graphql') {
        const text = replaceSpans(n.template.getText(sf), [{ open: '${', close: '}' }], (m) => m.replace(/[^\n]/g, ' '));
        out.gql.push({ text, lineOffset: sf.getLineAndCharacterOfPosition(n.template.getStart(sf)).line });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
