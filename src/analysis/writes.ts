/**
 * The writes of a script that may move a status field from one state to another, for the index
 * (index-file.ts), as plain data: every call of a write method on a receiver (`prisma.order.update`,
 * `repo.update`, `Model.update`, `db.update(t).set`, `x.save`) taking an object, with its arguments, and every
 * assignment to a property (`order.status = 'PAID'`) of a literal or a member; each with the
 * guards around it: the `if`/`else` arms and `case` clauses it sits in and the `if (…) throw`/
 * `return` statements before it, from the innermost out, up to its function. Which field, which
 * states and which entity they mean is for `transitions.ts` to read against the state machines.
 */
import ts from '../analyzer/typescript.cjs';
import { propName } from './ast.js';
import type { Value } from './index-file.js';

/** A condition as written, its operands as values (`ref` paths, strings, arrays, objects). */
export type Cond =
  | { k: 'not'; c: Cond }
  | { k: 'eq' | 'ne'; l: Value; r: Value }
  | { k: 'and' | 'or'; l: Cond; r: Cond }
  /** `[…].includes(x)`. */
  | { k: 'includes'; arr: Value; arg: Value }
  | { k: 'other' };

/**
 * What holds around a write: an `if` arm it sits in (`neg`: the else arm) or an `if` without else
 * before it whose arm throws or returns (`neg`, since the write runs when the condition fails),
 * or the `case` label of a `switch` on `on`.
 */
export type Guard = { k: 'if'; cond: Cond; neg: boolean } | { k: 'case'; on: Value; label: Value };

/** A `.where(…)` chained after `.set(…)`: Kysely's `(column, op, value)` and Drizzle's `eq(a, b)`/`inArray(a, b)` anywhere inside. */
export interface WhereCall {
  column?: { name: string; op: string; value: Value };
  eqs: [Value, Value][];
}

export type StateWrite =
  | {
      k: 'call';
      line: number;
      method: string;
      /** The receiver's last property name (`prisma.order.update` → `order`). */
      delegate?: string;
      args: Value[];
      /** `.where(…)` calls chained after a `.set(…)`, in order. */
      wheres: WhereCall[];
      guards: Guard[];
    }
  | { k: 'assign'; line: number; field: string; value: Value; guards: Guard[] };

const WRITE_METHODS = new Set(['update', 'updateMany', 'upsert', 'create', 'createMany', 'updateOne', 'findOneAndUpdate', 'findByIdAndUpdate', 'set', 'save']);
/** Levels of an argument kept (object, property, array …); deeper values are `unknown`. */
const MAX_DEPTH = 8;

/** Parentheses, `as`, `!` and `satisfies` stripped (not `<T>` casts nor `await`: a state is read as written). */
function bare(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/**
 * An operand as a value: a string; an identifier, `this` or property chain as a `ref` path (a chain
 * on anything else starts with `()`: `f().status` → `().status`); an array; an object of its
 * `key: value` properties; anything else `unknown`.
 */
export function operand(e: ts.Expression, depth = 0): Value {
  const x = bare(e);
  if (ts.isStringLiteralLike(x)) return { k: 'str', v: x.text };
  if (ts.isIdentifier(x)) return { k: 'ref', path: x.text };
  if (x.kind === ts.SyntaxKind.ThisKeyword) return { k: 'ref', path: 'this' };
  if (ts.isPropertyAccessExpression(x)) {
    const names = [x.name.text];
    let base: ts.Expression = x.expression;
    while (ts.isPropertyAccessExpression(base)) {
      names.unshift(base.name.text);
      base = base.expression;
    }
    names.unshift(ts.isIdentifier(base) ? base.text : base.kind === ts.SyntaxKind.ThisKeyword ? 'this' : '()');
    return { k: 'ref', path: names.join('.') };
  }
  if (depth >= MAX_DEPTH) return { k: 'unknown' };
  if (ts.isArrayLiteralExpression(x)) return { k: 'arr', items: x.elements.map((el) => operand(el, depth + 1)) };
  if (ts.isObjectLiteralExpression(x)) {
    const props: Record<string, Value> = Object.create(null) as Record<string, Value>;
    for (const p of x.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const n = ts.isComputedPropertyName(p.name) || ts.isNumericLiteral(p.name) ? undefined : propName(p.name);
      if (n !== undefined && !Object.hasOwn(props, n)) props[n] = operand(p.initializer, depth + 1);
    }
    return { k: 'obj', props };
  }
  return { k: 'unknown' };
}

function condOf(e: ts.Expression): Cond {
  const c = bare(e);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return { k: 'not', c: condOf(c.operand) };
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return { k: 'eq', l: operand(c.left), r: operand(c.right) };
    if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken)
      return { k: 'ne', l: operand(c.left), r: operand(c.right) };
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return { k: 'and', l: condOf(c.left), r: condOf(c.right) };
    if (op === ts.SyntaxKind.BarBarToken) return { k: 'or', l: condOf(c.left), r: condOf(c.right) };
    return { k: 'other' };
  }
  if (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'includes' && c.arguments[0]) {
    const arr = bare(c.expression.expression);
    if (ts.isArrayLiteralExpression(arr)) return { k: 'includes', arr: operand(arr), arg: operand(c.arguments[0]) };
  }
  return { k: 'other' };
}

/** Does a statement leave its block (`throw`, `return`, or a block ending in one)? */
function exits(s: ts.Statement): boolean {
  if (ts.isThrowStatement(s) || ts.isReturnStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && exits(s.statements[s.statements.length - 1]!);
  return false;
}

/** The guards of the node at the top of `path` (its ancestors, root first), innermost first, up to its function. */
function guardsOf(path: ts.Node[]): Guard[] {
  const out: Guard[] = [];
  for (let i = path.length - 1; i > 0; i--) {
    const child = path[i]!;
    const parent = path[i - 1]!;
    if (ts.isSourceFile(parent)) break;
    if (ts.isIfStatement(parent) && parent.thenStatement === child) out.push({ k: 'if', cond: condOf(parent.expression), neg: false });
    else if (ts.isIfStatement(parent) && parent.elseStatement === child) out.push({ k: 'if', cond: condOf(parent.expression), neg: true });
    else if (ts.isCaseClause(parent) && i >= 3 && ts.isSwitchStatement(path[i - 3]!))
      out.push({ k: 'case', on: operand((path[i - 3] as ts.SwitchStatement).expression), label: operand(parent.expression) });
    else if (ts.isBlock(parent)) {
      const idx = parent.statements.indexOf(child as ts.Statement);
      for (let j = idx - 1; j >= 0; j--) {
        const st = parent.statements[j]!;
        if (ts.isIfStatement(st) && !st.elseStatement && exits(st.thenStatement)) out.push({ k: 'if', cond: condOf(st.expression), neg: true });
      }
    }
    if (ts.isFunctionLike(parent)) break;
  }
  return out;
}

function whereCall(call: ts.CallExpression): WhereCall {
  const a = call.arguments;
  const out: WhereCall = { eqs: [] };
  if (a.length === 3 && ts.isStringLiteral(a[0]!) && ts.isStringLiteral(a[1]!)) out.column = { name: a[0].text, op: a[1].text, value: operand(a[2]!) };
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'eq' || n.expression.text === 'inArray')) {
      const [l, r] = n.arguments;
      if (l && r) out.eqs.push([operand(l), operand(r)]);
    }
    ts.forEachChild(n, walk);
  };
  for (const x of a) walk(x);
  return out;
}

/** The script's writes, in the order of one walk of its tree. */
export function stateWrites(sf: ts.SourceFile): StateWrite[] {
  const out: StateWrite[] = [];
  const path: ts.Node[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    path.push(node);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      WRITE_METHODS.has(node.expression.name.text) &&
      node.arguments.some((a) => ts.isObjectLiteralExpression(bare(a)))
    ) {
      const method = node.expression.name.text;
      const recv = bare(node.expression.expression);
      const wheres: WhereCall[] = [];
      // The rest of the chain: .set({…}).where(…).where(…)
      for (let i = path.length - 1; method === 'set' && i >= 2 && ts.isPropertyAccessExpression(path[i - 1]!) && ts.isCallExpression(path[i - 2]!); i -= 2) {
        if ((path[i - 1] as ts.PropertyAccessExpression).name.text === 'where') wheres.push(whereCall(path[i - 2] as ts.CallExpression));
      }
      const write: StateWrite = { k: 'call', line: lineOf(node), method, args: node.arguments.map((a) => operand(a)), wheres, guards: guardsOf(path) };
      if (ts.isPropertyAccessExpression(recv)) write.delegate = recv.name.text;
      out.push(write);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const value = operand(node.right);
      if (value.k === 'str' || value.k === 'arr' || value.k === 'obj' || (value.k === 'ref' && value.path.includes('.')))
        out.push({ k: 'assign', line: lineOf(node), field: node.left.name.text, value, guards: guardsOf(path) });
    }
    ts.forEachChild(node, visit);
    path.pop();
  };
  visit(sf);
  return out;
}
