/**
 * What a script embeds for readers of other languages and protocols, for the index (index-file.ts),
 * as plain data: the GraphQL documents of its `gql`/`graphql` tagged templates (Apollo typeDefs,
 * their `${…}` blanked so that lines and columns stay where they were) and of the plain template
 * literals written as typeDefs (`typeDefs: \`…\`` in GraphQL Yoga's createSchema or Apollo's
 * options, `const typeDefs = \`…\``) or marked with a `/* GraphQL *\/` comment, and the string literals it
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
  if (!text.includes('.method') && !text.includes('gql') && !text.includes('graphql') && !text.includes('typeDefs') && !text.includes('GraphQL')) return out;
  const isMethod = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === 'method';
  const pushTemplate = (t: ts.TemplateLiteral) => {
    const body = replaceSpans(t.getText(sf), [{ open: '${', close: '}' }], (m) => m.replace(/[^\n]/g, ' '));
    out.gql.push({ text: body, lineOffset: sf.getLineAndCharacterOfPosition(t.getStart(sf)).line });
  };
  /** A plain template literal that is GraphQL by where it stands or by its marker comment. */
  const isTypeDefsTemplate = (t: ts.TemplateLiteral): boolean => {
    const parent = t.parent;
    const named = (name: ts.Node | undefined) => name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'typeDefs';
    if (parent && (ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && parent.initializer === t && named(parent.name)) return true;
    // A comment on the line of the token before (`typeDefs: /* GraphQL */ \``) is that token's trailing comment.
    const comments = [...(ts.getTrailingCommentRanges(text, t.pos) ?? []), ...(ts.getLeadingCommentRanges(text, t.pos) ?? [])];
    return comments.some(
      (c) =>
        text
          .slice(c.pos, c.end)
          .replace(/[\s*/]/g, '')
          .toLowerCase() === 'graphql',
    );
  };
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
      if (name === 'gql' || name === 'graphql') pushTemplate(n.template);
      // The template itself is the tag's (not taken again as a plain one); what its `${…}` hold is visited.
      visit(n.tag);
      if (ts.isTemplateExpression(n.template)) for (const span of n.template.templateSpans) visit(span.expression);
      return;
    } else if ((ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) && isTypeDefsTemplate(n)) {
      pushTemplate(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
