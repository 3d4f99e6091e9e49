/**
 * What a script embeds for readers of other languages and protocols, for the index (index-file.ts),
 * as plain data: the GraphQL documents of its `gql`/`graphql` tagged templates (Apollo typeDefs,
 * their `${…}` blanked so that lines and columns stay where they were) and the string literals it
 * compares `x.method` with (`req.method === 'POST'`, `case 'GET':` of `switch (req.method)`), which
 * give a Next.js pages API route its methods. The tree is walked only when the text names either.
 */
import ts from '../analyzer/typescript.cjs';
import { replaceSpans } from '../util/linear-scan.js';

export interface Embedded {
  /** GraphQL text of each tagged template, with the line before its first (0-based line of the template). */
  gql: { text: string; lineOffset: number }[];
  /** Literals compared with `x.method`, upper case, in source order. */
  methods: string[];
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

export function embedded(sf: ts.SourceFile): Embedded {
  const out: Embedded = { gql: [], methods: [] };
  const text = sf.text;
  if (!text.includes('.method') && !text.includes('gql') && !text.includes('graphql')) return out;
  const isMethod = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === 'method';
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n)) {
      if (EQUALITY.has(n.operatorToken.kind)) {
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
        const body = replaceSpans(n.template.getText(sf), [{ open: '${', close: '}' }], (m) => m.replace(/[^\n]/g, ' '));
        out.gql.push({ text: body, lineOffset: sf.getLineAndCharacterOfPosition(n.template.getStart(sf)).line });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
