/**
 * Later assignments to plain names, for the index (index-file.ts): `key = 'files.rejected.v1'`
 * after `let key: string;`, in an `if`/`else` arm or anywhere else, each with the name, its line
 * and the value assigned as the writes reader reads it (a string, a name or property chain, an
 * array, an object; each side of a conditional apart). A declaration's value is in `Fn.locals`; a
 * rule that takes every value a local can have (a routing key chosen in branches) reads these
 * beside it, within the lines of the function that binds the name. Plain data, the first
 * `MAX_REASSIGNS` of a script.
 */
import ts from '../analyzer/typescript.cjs';
import type { Value } from './index-file.js';
import { operand } from './writes.js';

export interface Reassign {
  name: string;
  line: number;
  value: Value;
}

const MAX_REASSIGNS = 256;
/** Conditionals nested deeper than this give no more sides. */
const MAX_SIDES_DEPTH = 8;

/** `a ? b : c` as its sides (nested ones too), parentheses taken off; anything else as itself. */
function sides(e: ts.Expression, depth = 0): ts.Expression[] {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isConditionalExpression(e) && depth < MAX_SIDES_DEPTH) return [...sides(e.whenTrue, depth + 1), ...sides(e.whenFalse, depth + 1)];
  return [e];
}

/**
 * The script's assignments of a known value to a plain name, in source order, each named by the
 * key of the declaration in scope where it is written (`keyOf`: the index's lexical scopes, so that
 * `msgObj = …` in a block reassigns that block's `let msgObj`); by its name without it.
 */
export function reassigns(sf: ts.SourceFile, keyOf: (id: ts.Identifier) => string = (id) => id.text): Reassign[] {
  const out: Reassign[] = [];
  const visit = (n: ts.Node): void => {
    if (out.length >= MAX_REASSIGNS) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      for (const side of sides(n.right)) {
        const value = operand(side);
        if (value.k !== 'unknown' && out.length < MAX_REASSIGNS) out.push({ name: keyOf(n.left), line, value });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
