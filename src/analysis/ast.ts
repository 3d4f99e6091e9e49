/**
 * The one set of small readers of raw TypeScript syntax that analyzers share: wrappers stripped,
 * property names, object-literal lookups, literal values, name chains, decorators, `require`,
 * enclosing declarations, lines and environment variable names. Each reads one node as written:
 * nothing here follows a binding to another statement or file (that is the evaluator's work), and
 * nothing executes code from the analysed repository.
 */
import ts from '../analyzer/typescript.cjs';

/** Strip parentheses, `as`, `!`, `satisfies` and `<T>` casts: `(x as T)!` → `x`. Not `await` (see `unwrapAwait`). */
export function unwrap(e: ts.Expression): ts.Expression;
export function unwrap(e: ts.Node): ts.Node;
export function unwrap(e: ts.Node): ts.Node {
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/**
 * `unwrap`, and `await` too: `(await x) as T` → `x`. A second helper rather than the default,
 * because the resolvers (endpoints, messaging) look through `await` to what is awaited, while
 * literal readers must not take `await 'x'` for the literal.
 */
export function unwrapAwait(e: ts.Expression): ts.Expression;
export function unwrapAwait(e: ts.Node): ts.Node;
export function unwrapAwait(e: ts.Node): ts.Node {
  for (;;) {
    const u = unwrap(e);
    if (!ts.isAwaitExpression(u)) return u;
    e = u.expression;
  }
}

/**
 * Static text of a property name: identifier, `#private`, string, number, or a computed string literal (`['x']`).
 * A computed name (`[KEY]`, `[Enum.X]`) is no name: its value is the evaluator's to find (messaging's old copy read `[KEY]` as 'KEY').
 */
export function propName(n: ts.Node | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n)) return n.text;
  if (ts.isComputedPropertyName(n) && ts.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

/** Named properties of an object literal as [name, value, property]; a shorthand `x` has the identifier `x` as value. */
export function objectEntries(e: ts.Expression | undefined): [string, ts.Expression, ts.ObjectLiteralElementLike][] {
  if (!e) return [];
  const o = unwrap(e);
  if (!ts.isObjectLiteralExpression(o)) return [];
  const out: [string, ts.Expression, ts.ObjectLiteralElementLike][] = [];
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p)) {
      const n = propName(p.name);
      if (n !== undefined) out.push([n, p.initializer, p]);
    } else if (ts.isShorthandPropertyAssignment(p)) out.push([p.name.text, p.name, p]);
  }
  return out;
}

/** Value of property `name` of an object literal (the first `name: v` or shorthand `name`); methods are not values. */
export function prop(e: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!e) return undefined;
  const o = unwrap(e);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

/** Method `name() {}` of an object literal. */
export function objectMethod(e: ts.Node | undefined, name: string): ts.MethodDeclaration | undefined {
  if (!e) return undefined;
  const o = unwrap(e);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties) if (ts.isMethodDeclaration(p) && propName(p.name) === name) return p;
  return undefined;
}

/** Names of every property of an object literal in order, methods and accessors included (not spreads). */
export function propKeys(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  const o = unwrap(e);
  if (!ts.isObjectLiteralExpression(o)) return [];
  const out: string[] = [];
  for (const p of o.properties) {
    const k = propName(p.name);
    if (k !== undefined) out.push(k);
  }
  return out;
}

/** Whether an expression is an object literal once wrappers are stripped. */
export function isObject(e: ts.Expression | undefined): e is ts.ObjectLiteralExpression {
  return !!e && ts.isObjectLiteralExpression(unwrap(e));
}

/** Text of a string literal or a template without substitutions. */
export function str(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  return ts.isStringLiteralLike(u) ? u.text : undefined;
}

/** Value of a number literal, negative ones (`-1`) and separators (`60_000`) included. */
export function num(e: ts.Expression | undefined): number | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isNumericLiteral(u)) return Number(u.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(u) && u.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(u.operand))
    return -Number(u.operand.text.replace(/_/g, ''));
  return undefined;
}

/** Value of `true` or `false`. */
export function bool(e: ts.Expression | undefined): boolean | undefined {
  if (!e) return undefined;
  const k = unwrap(e).kind;
  return k === ts.SyntaxKind.TrueKeyword ? true : k === ts.SyntaxKind.FalseKeyword ? false : undefined;
}

/** Strings of an array literal (`['a', 'b']`), each read by `read`; undefined when not an array or any element is unknown. */
export function stringArray(e: ts.Expression | undefined, read: (x: ts.Expression) => string | undefined = str): string[] | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (!ts.isArrayLiteralExpression(u)) return undefined;
  const out: string[] = [];
  for (const x of u.elements) {
    const s = read(x);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** Last name of an identifier or property chain: `a.b.c` → `c`, `x` → `x`. */
export function lastName(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u)) return u.name.text;
  return undefined;
}

/** Text of a chain of names (`DataTypes.STRING`, `this.repo`, `super.init`); undefined when any link is not a name. */
export function dotted(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (u.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (u.kind === ts.SyntaxKind.SuperKeyword) return 'super';
  if (ts.isPropertyAccessExpression(u)) {
    const left = dotted(u.expression);
    return left === undefined ? undefined : `${left}.${u.name.text}`;
  }
  return undefined;
}

/** Text of a property chain whose head may be anything, written `?`: `getApp().x.y` → `?.x.y`; undefined for a non-chain. */
export function chainText(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) return `${chainText(e.expression) ?? '?'}.${e.name.text}`;
  return undefined;
}

/** The callee of a call or `new` as a chain (`chainText`): `Sentry.init(...)` → `Sentry.init`. */
export function calleeName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  return chainText(node.expression);
}

/** An expression named for display: `x`, `a.b`, `make()`, `new Store()`; undefined for literals and anything else. */
export function exprLabel(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const n = unwrap(e);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
    const c = calleeName(n);
    return c ? (ts.isNewExpression(n) ? `new ${c}()` : `${c}()`) : undefined;
  }
  if (ts.isPropertyAccessExpression(n)) return chainText(n);
  return undefined;
}

/** One decorator: the last name of its callee, its call arguments (none for `@Foo`) and the node. */
export interface Decorator {
  name: string;
  args: readonly ts.Expression[];
  node: ts.Decorator;
}

/** Decorators of a class, member or parameter, in source order (`@Roles('a')`, `@x.Column()`, `@Injectable`); nameless ones are left out. */
export function decoratorsOf(node: ts.Node): Decorator[] {
  const out: Decorator[] = [];
  for (const d of (ts.canHaveDecorators(node) && ts.getDecorators(node)) || []) {
    const e = d.expression;
    const name = lastName(ts.isCallExpression(e) ? e.expression : e);
    if (name) out.push({ name, args: ts.isCallExpression(e) ? e.arguments : [], node: d });
  }
  return out;
}

/** The module of `require('m')` (one string argument). */
export function requireSpecifier(e: ts.Expression | undefined): string | undefined {
  if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require' || e.arguments.length !== 1) return undefined;
  const a = e.arguments[0]!;
  return ts.isStringLiteralLike(a) ? a.text : undefined;
}

/** A function with a body of its own: declaration, expression, arrow, method, constructor or accessor. */
export function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

/** Whether a declaration carries a modifier: `hasModifier(fn, ts.SyntaxKind.ExportKeyword)`. */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === kind)) || false;
}

/** The nearest class (declaration or expression) around a node. */
export function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p;
  return undefined;
}

/** The name a value is given where it is written: `const orders = pgTable(…)`, `X.y = …` (→ `y`), `{ key: … }`. */
export function assignedName(node: ts.Node): string | undefined {
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return lastName(p.left);
  if (p && ts.isPropertyAssignment(p)) return propName(p.name);
  return undefined;
}

/** 1-based line where a node starts (after its leading comments). */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** The variable of a direct read `process.env.X`, `process.env['X']` or `import.meta.env.X`; `process.env[key]` names none (messaging's old copy took `key`). */
export function envName(e: ts.Node): string | undefined {
  const n = unwrap(e);
  if (!ts.isPropertyAccessExpression(n) && !ts.isElementAccessExpression(n)) return undefined;
  const key = ts.isPropertyAccessExpression(n) ? n.name.text : str(n.argumentExpression);
  const obj = unwrap(n.expression);
  if (key === undefined || !ts.isPropertyAccessExpression(obj) || obj.name.text !== 'env') return undefined;
  if (ts.isIdentifier(obj.expression) && obj.expression.text === 'process') return key;
  if (ts.isMetaProperty(obj.expression)) return key;
  return undefined;
}

const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'getNumber', 'require', 'env']);

/**
 * The variable a configuration getter names: `env('X')`, or `get`/`getOrThrow`/`getString`/`getNumber`/`require`/`env`
 * on a receiver whose text says config or env (`this.configService.get('X')`, `Deno.env.get('X')`); upper-case names only.
 */
export function configKey(e: ts.Node): string | undefined {
  const n = unwrap(e);
  if (!ts.isCallExpression(n)) return undefined;
  const c = n.expression;
  const getter =
    (ts.isIdentifier(c) && c.text === 'env') ||
    (ts.isPropertyAccessExpression(c) && CONFIG_GETTERS.has(c.name.text) && /config|env/i.test(c.expression.getText(n.getSourceFile())));
  const key = getter ? str(n.arguments[0]) : undefined;
  return key !== undefined && ENV_KEY.test(key) ? key : undefined;
}

/** Every environment variable read under a node (`envName` or `configKey`), in source order. */
export function envNames(node: ts.Node): string[] {
  const out: string[] = [];
  const walk = (n: ts.Node): void => {
    // Wrappers are read through from the node they wrap, not counted twice.
    const name = unwrap(n) === n ? (envName(n) ?? configKey(n)) : undefined;
    if (name !== undefined) out.push(name);
    ts.forEachChild(n, walk);
  };
  walk(node);
  return out;
}
