/**
 * The comparisons of a `name` property with a value, for the index (index-file.ts):
 * `switch (job.name) { case 'a': … }` and `job.name === X` (or `==`, either side). A BullMQ
 * processor says which jobs it handles this way; messaging reads the checks within the
 * processor's lines. The value compared is kept when it is a string, a number, or a name or dotted
 * path as written (`JobName.Send`), for the evaluator to resolve.
 */
import ts from '../analyzer/typescript.cjs';
import { unwrapAwait } from './ast.js';
import type { Value } from './index-file.js';

/** A value compared with a `name` property, at the line of the comparison (or of the `case`). */
export interface NameCheck {
  line: number;
  value: Value;
}

/** Checks a file may hold, at most: past it, the rest are not read. */
const MAX_CHECKS = 2000;

export function nameChecks(sf: ts.SourceFile): NameCheck[] {
  const text = sf.text;
  // Cheap text tests first: most scripts compare no `.name`.
  if (!text.includes('.name') || (!text.includes('switch') && !text.includes('=='))) return [];
  // Only subtrees whose text holds a `.name` are walked: most of a script is skipped at once.
  const at: number[] = [];
  for (let i = text.indexOf('.name'); i >= 0; i = text.indexOf('.name', i + 5)) at.push(i);
  const holdsName = (n: ts.Node) => {
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < n.pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && at[lo]! < n.end;
  };
  const out: NameCheck[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const isName = (e: ts.Expression) => {
    const u = unwrapAwait(e);
    return ts.isPropertyAccessExpression(u) && u.name.text === 'name';
  };
  const compared = (e: ts.Expression): Value | undefined => {
    const x = unwrapAwait(e);
    if (ts.isStringLiteralLike(x)) return { k: 'str', v: x.text };
    if (ts.isNumericLiteral(x)) return { k: 'num', v: Number(x.text) };
    if (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) return { k: 'ref', path: x.getText(sf) };
    return undefined;
  };
  const push = (n: ts.Node, e: ts.Expression) => {
    const value = compared(e);
    if (value && out.length < MAX_CHECKS) out.push({ line: line(n), value });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isSwitchStatement(n) && isName(n.expression)) {
      for (const c of n.caseBlock.clauses) if (ts.isCaseClause(c)) push(c.expression, c.expression);
    } else if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
    ) {
      const other = isName(n.left) ? n.right : isName(n.right) ? n.left : undefined;
      if (other) push(n, other);
    }
    ts.forEachChild(n, (c) => {
      if (holdsName(c)) visit(c);
    });
  };
  visit(sf);
  return out;
}
