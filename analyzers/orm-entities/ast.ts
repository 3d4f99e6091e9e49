/** Small, side-effect-free readers of TypeScript syntax shared by the ORM shape handlers. */
import ts from '../../src/analyzer/typescript.cjs';

export function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}

export function propName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}

/** Properties of an object literal (shorthand `x` maps to the identifier `x`). */
export function objectEntries(e: ts.Expression | undefined): [string, ts.Expression, ts.Node][] {
  if (!e) return [];
  e = unwrap(e);
  if (!ts.isObjectLiteralExpression(e)) return [];
  const out: [string, ts.Expression, ts.Node][] = [];
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p)) {
      const n = propName(p.name);
      if (n !== undefined) out.push([n, p.initializer, p]);
    } else if (ts.isShorthandPropertyAssignment(p)) out.push([p.name.text, p.name, p]);
  }
  return out;
}

export function prop(e: ts.Expression | undefined, name: string): ts.Expression | undefined {
  return objectEntries(e).find(([n]) => n === name)?.[1];
}

export function isObject(e: ts.Expression | undefined): e is ts.ObjectLiteralExpression {
  return !!e && ts.isObjectLiteralExpression(unwrap(e));
}

/** String value of a string literal or substitution-free template. */
export function str(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  return undefined;
}

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

export function bool(e: ts.Expression | undefined): boolean | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
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

export function stringArray(e: ts.Expression | undefined): string[] | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const out: string[] = [];
  for (const x of e.elements) {
    const s = str(x as ts.Expression);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** `a.b.c` → `c`; `x` → `x`. */
export function lastName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Dotted text of an identifier/property chain (`DataTypes.STRING`), else undefined. */
export function dotted(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (e.kind === ts.SyntaxKind.SuperKeyword) return 'super';
  if (ts.isPropertyAccessExpression(e)) {
    const left = dotted(e.expression);
    return left === undefined ? undefined : `${left}.${e.name.text}`;
  }
  return undefined;
}

/** The target of `() => Customer` / `(type) => Customer` / `'Customer'` / `Customer`. */
export function arrowTarget(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  e = unwrap(e);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const body = ts.isArrowFunction(e) && !ts.isBlock(e.body) ? e.body : undefined;
    if (body) return lastName(body) ?? str(body);
    const ret = ts.isBlock(e.body) ? e.body.statements.find(ts.isReturnStatement) : undefined;
    return ret?.expression ? lastName(ret.expression) ?? str(ret.expression) : undefined;
  }
  return str(e) ?? lastName(e);
}

export interface DecoratorInfo {
  name: string;
  args: readonly ts.Expression[];
  node: ts.Decorator;
}

export function decoratorsOf(node: ts.Node): DecoratorInfo[] {
  const decorators = ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
  const out: DecoratorInfo[] = [];
  for (const d of decorators) {
    const e = d.expression;
    if (ts.isCallExpression(e)) {
      const name = lastName(e.expression);
      if (name) out.push({ name, args: e.arguments, node: d });
    } else {
      const name = lastName(e);
      if (name) out.push({ name, args: [], node: d });
    }
  }
  return out;
}

/** The variable a value is assigned to: `const orders = pgTable(...)` → `orders`. */
export function assignedName(node: ts.Node): string | undefined {
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return lastName(p.left);
  if (p && ts.isPropertyAssignment(p)) return propName(p.name);
  return undefined;
}

/** Enclosing class name (for `this.belongsTo(...)` and `super.init(...)`). */
export function enclosingClass(node: ts.Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (ts.isClassDeclaration(p) || ts.isClassExpression(p)) return p.name?.text;
  return undefined;
}

/** `process.env.NAME` / `process.env['NAME']` / `configService.get('NAME')` names under a node. */
export function envNames(node: ts.Node): string[] {
  const out: string[] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && dotted(n.expression) === 'process.env') out.push(n.name.text);
    else if (ts.isElementAccessExpression(n) && dotted(n.expression) === 'process.env' && ts.isStringLiteral(n.argumentExpression)) out.push(n.argumentExpression.text);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(get|getOrThrow)$/.test(n.expression.name.text) && /config/i.test(dotted(n.expression.expression) ?? '')) {
      const s = str(n.arguments[0]);
      if (s && /^[A-Z][A-Z0-9_]*$/.test(s)) out.push(s);
    }
    ts.forEachChild(n, walk);
  };
  walk(node);
  return out;
}
