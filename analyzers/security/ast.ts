/**
 * Small helpers over raw TypeScript nodes shared by the security and observability analyzers:
 * import bindings, literal evaluation (never more than constant folding), environment variable
 * names and object-literal lookups. Nothing here executes code from the analysed repository.
 */
import ts from '../../src/analyzer/typescript.cjs';

/** What a local name is bound to: `import x from 'm'` → { module: 'm', imported: 'default' }. */
export interface Binding {
  module: string;
  /** 'default', '*' (namespace or CommonJS require) or the imported name. */
  imported: string;
  line: number;
}

export interface FileInfo {
  file: string;
  sf: ts.SourceFile;
  /** Local name → import binding. */
  bindings: Map<string, Binding>;
  /** Every module imported or required (including side-effect imports), with its first line. */
  modules: Map<string, number>;
  /** Top-level and block-level `const NAME = <literal>` initialisers, for one level of lookup. */
  consts: Map<string, ts.Expression>;
  line(node: ts.Node): number;
}

export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function requireTarget(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text;
  }
  // require('x').default / require('x').Something
  if (ts.isPropertyAccessExpression(node)) return requireTarget(node.expression);
  return undefined;
}

/**
 * Record what one node binds: imports, `require` calls and `const NAME = <expr>` initialisers.
 * Idempotent; analyzers call it from their own single walk for nested declarations.
 */
export function recordBinding(info: FileInfo, node: ts.Node): void {
  const { bindings, modules, consts } = info;
  const addModule = (m: string, l: number) => {
    if (!modules.has(m)) modules.set(m, l);
  };
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const m = node.moduleSpecifier.text;
    const l = info.line(node);
    addModule(m, l);
    const clause = node.importClause;
    if (clause?.name) bindings.set(clause.name.text, { module: m, imported: 'default', line: l });
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) bindings.set(nb.name.text, { module: m, imported: '*', line: l });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        bindings.set(el.name.text, { module: m, imported: (el.propertyName ?? el.name).text, line: l });
      }
    }
    return;
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const e = node.moduleReference.expression;
    if (ts.isStringLiteral(e)) {
      addModule(e.text, info.line(node));
      bindings.set(node.name.text, { module: e.text, imported: '*', line: info.line(node) });
    }
    return;
  }
  if (ts.isVariableDeclaration(node) && node.initializer) {
    const m = requireTarget(unwrap(node.initializer));
    if (m) {
      const l = info.line(node);
      addModule(m, l);
      const init = unwrap(node.initializer);
      const imported = ts.isPropertyAccessExpression(init) ? init.name.text : '*';
      if (ts.isIdentifier(node.name)) bindings.set(node.name.text, { module: m, imported, line: l });
      else if (ts.isObjectBindingPattern(node.name)) {
        for (const el of node.name.elements) {
          if (!ts.isIdentifier(el.name)) continue;
          const p = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          bindings.set(el.name.text, { module: m, imported: p, line: l });
        }
      }
    } else if (ts.isIdentifier(node.name) && !consts.has(node.name.text)) {
      consts.set(node.name.text, node.initializer);
    }
    return;
  }
  if (ts.isCallExpression(node)) {
    const m = requireTarget(node);
    if (m) addModule(m, info.line(node));
    if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) addModule(arg.text, info.line(node));
    }
  }
}

/**
 * Imports, requires and constants of the top-level statements (no walk: one loop over the
 * statements). Nested declarations are added by the analyzer's own walk via `recordBinding`.
 */
export function fileInfo(file: string, sf: ts.SourceFile): FileInfo {
  const info: FileInfo = {
    file,
    sf,
    bindings: new Map(),
    modules: new Map(),
    consts: new Map(),
    line: (n: ts.Node) => lineOf(sf, n),
  };
  for (const stmt of sf.statements) {
    if (ts.isVariableStatement(stmt)) for (const d of stmt.declarationList.declarations) recordBinding(info, d);
    else if (ts.isExpressionStatement(stmt) && ts.isCallExpression(stmt.expression)) recordBinding(info, stmt.expression);
    else recordBinding(info, stmt);
  }
  return info;
}

/** Strip `as`, `!`, `satisfies` and parentheses. */
export function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) n = n.expression;
    else return n;
  }
}

/** A constant string (literal, template without substitutions, or a const bound to one). */
export function stringValue(node: ts.Expression | undefined, info?: FileInfo, depth = 0): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (ts.isStringLiteralLike(n)) return n.text;
  if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = stringValue(n.left, info, depth + 1);
    const b = stringValue(n.right, info, depth + 1);
    if (a !== undefined && b !== undefined) return a + b;
  }
  if (ts.isIdentifier(n) && info && depth < 3) {
    const init = info.consts.get(n.text);
    if (init) return stringValue(init, info, depth + 1);
  }
  return undefined;
}

/** A constant number, folding + - * / and constants bound in the same file (`15 * 60 * 1000`). */
export function numberValue(node: ts.Expression | undefined, info?: FileInfo, depth = 0): number | undefined {
  if (!node || depth > 8) return undefined;
  const n = unwrap(node);
  if (ts.isNumericLiteral(n)) return Number(n.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken) {
    const v = numberValue(n.operand, info, depth + 1);
    return v === undefined ? undefined : -v;
  }
  if (ts.isBinaryExpression(n)) {
    const a = numberValue(n.left, info, depth + 1);
    const b = numberValue(n.right, info, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (n.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return a + b;
      case ts.SyntaxKind.MinusToken:
        return a - b;
      case ts.SyntaxKind.AsteriskToken:
        return a * b;
      case ts.SyntaxKind.SlashToken:
        return b === 0 ? undefined : a / b;
      default:
        return undefined;
    }
  }
  if (ts.isIdentifier(n) && info) {
    const init = info.consts.get(n.text);
    if (init) return numberValue(init, info, depth + 1);
  }
  return undefined;
}

export function booleanValue(node: ts.Expression | undefined): boolean | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** String literals of an array literal (`['a', 'b']`); undefined when not an array. */
export function stringArray(node: ts.Expression | undefined, info?: FileInfo): string[] | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (!ts.isArrayLiteralExpression(n)) return undefined;
  const out: string[] = [];
  for (const el of n.elements) {
    const s = stringValue(el as ts.Expression, info);
    if (s !== undefined) out.push(s);
  }
  return out;
}

export function numberArray(node: ts.Expression | undefined, info?: FileInfo): number[] | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (!ts.isArrayLiteralExpression(n)) return undefined;
  const out: number[] = [];
  for (const el of n.elements) {
    const v = numberValue(el as ts.Expression, info);
    if (v !== undefined) out.push(v);
  }
  return out;
}

export function propName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** The object literal of an expression, following one const binding in the same file. */
export function objectLiteral(node: ts.Expression | undefined, info?: FileInfo): ts.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (ts.isObjectLiteralExpression(n)) return n;
  if (ts.isIdentifier(n) && info) {
    const init = info.consts.get(n.text);
    if (init && ts.isObjectLiteralExpression(unwrap(init))) return unwrap(init) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

/** Value of `key` in an object literal (property assignment or shorthand identifier). */
export function prop(obj: ts.ObjectLiteralExpression | undefined, key: string): ts.Expression | undefined {
  if (!obj) return undefined;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    if (ts.isMethodDeclaration(p) && p.name && propName(p.name) === key) return undefined;
  }
  return undefined;
}

export function hasProp(obj: ts.ObjectLiteralExpression | undefined, key: string): boolean {
  return !!obj?.properties.some((p) => p.name !== undefined && propName(p.name as ts.PropertyName) === key);
}

/** Property keys of an object literal, in order. */
export function propKeys(obj: ts.ObjectLiteralExpression | undefined): string[] {
  if (!obj) return [];
  const out: string[] = [];
  for (const p of obj.properties) {
    if (p.name) {
      const k = propName(p.name as ts.PropertyName);
      if (k !== undefined) out.push(k);
    }
  }
  return out;
}

const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'getNumber', 'require', 'env']);

/**
 * Environment variable NAME an expression reads: `process.env.X`, `process.env['X']`,
 * `import.meta.env.X`, `Deno.env.get('X')`, `configService.get('X')`, `env('X')`, and the
 * same behind `??`, `||`, `String(...)`, `Number(...)`. Never a value.
 */
export function envName(node: ts.Expression | undefined, info?: FileInfo, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrap(node);
  if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
    const key = ts.isPropertyAccessExpression(n)
      ? n.name.text
      : ts.isStringLiteralLike(n.argumentExpression)
        ? n.argumentExpression.text
        : undefined;
    const obj = n.expression.getText();
    if (key && /(^|\.)env$/.test(obj)) return key;
    return undefined;
  }
  if (ts.isBinaryExpression(n)) {
    const k = n.operatorToken.kind;
    if (k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.BarBarToken) return envName(n.left, info, depth + 1);
    return undefined;
  }
  if (ts.isConditionalExpression(n)) return envName(n.whenTrue, info, depth + 1) ?? envName(n.whenFalse, info, depth + 1);
  if (ts.isCallExpression(n)) {
    const callee = n.expression;
    const arg0 = n.arguments[0];
    if (ts.isIdentifier(callee) && ['String', 'Number', 'parseInt', 'Boolean', 'Buffer'].includes(callee.text)) {
      return envName(arg0, info, depth + 1);
    }
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && callee.expression.getText() === 'Buffer') {
      return envName(arg0, info, depth + 1);
    }
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (method && CONFIG_GETTERS.has(method) && arg0 && ts.isStringLiteralLike(arg0) && /^[A-Z][A-Z0-9_]*$/.test(arg0.text)) {
      return arg0.text;
    }
  }
  if (ts.isIdentifier(n) && info && depth < 3) {
    const init = info.consts.get(n.text);
    if (init) return envName(init, info, depth + 1);
  }
  return undefined;
}

/** Dotted text of a property chain (`a.b.c`, `this.x.y`); '?' stands for anything else. */
export function chainText(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) {
    const head = chainText(e.expression) ?? '?';
    return `${head}.${e.name.text}`;
  }
  return undefined;
}

/** Callee text of a call, `a.b.c` for property chains, else undefined. */
export function calleeName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  return chainText(node.expression);
}

/** The module the head identifier of a callee is imported from (`Sentry.init` → '@sentry/node'). */
export function calleeModule(node: ts.CallExpression | ts.NewExpression, info: FileInfo): Binding | undefined {
  let e: ts.Expression = node.expression;
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e)) {
    if (ts.isCallExpression(e)) {
      const m = requireTarget(e);
      if (m) return { module: m, imported: '*', line: lineOf(info.sf, e) };
    }
    e = e.expression;
  }
  if (ts.isIdentifier(e)) return info.bindings.get(e.text);
  return undefined;
}

/** Decorator name and its call arguments (`@Roles('admin')` → ['Roles', [..]]). */
export function decoratorsOf(node: ts.Node): { name: string; args: readonly ts.Expression[]; node: ts.Decorator }[] {
  const mods = ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
  const out: { name: string; args: readonly ts.Expression[]; node: ts.Decorator }[] = [];
  for (const d of mods) {
    const e = d.expression;
    if (ts.isCallExpression(e)) {
      const name = calleeName(e);
      if (name) out.push({ name, args: e.arguments, node: d });
    } else if (ts.isIdentifier(e)) out.push({ name: e.text, args: [], node: d });
  }
  return out;
}

/** Text of an expression shortened for display (identifiers and call names only, never literals). */
export function exprLabel(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
    const c = calleeName(n);
    return c ? (ts.isNewExpression(n) ? `new ${c}()` : `${c}()`) : undefined;
  }
  if (ts.isPropertyAccessExpression(n)) return chainText(n);
  return undefined;
}

/** Format milliseconds in words a reader can scan: 900000 → "15 min". */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000} min`;
  if (ms % 1000 === 0 && ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}
