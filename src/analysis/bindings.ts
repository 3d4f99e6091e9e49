/**
 * What the names of one source file are bound to, and readers that follow those bindings inside
 * the file: import and `require` bindings (`import x from 'm'` → module 'm', imported 'default'),
 * every module imported, `const NAME = <expr>` initialisers, and constant folding over them
 * (strings joined with `+`, arithmetic on numbers, object literals held by a constant, environment
 * variable names behind defaults and config getters). A name is read as the declaration in scope
 * where it is written (`constAt`). Never more than one file deep, and nothing here executes code
 * from the analysed repository. The syntax-only readers are in ./ast.ts.
 */
import ts from '../analyzer/typescript.cjs';
import { calleeName, isFunctionLike, lineOf, unwrap } from './ast.js';

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
  /**
   * Top-level and block-level `const NAME = <expr>` initialisers recorded so far, the first of each
   * name: what a name is read as where no declaration of it is in scope (`constAt`).
   */
  consts: Map<string, ts.Expression>;
  /** Every such initialiser by name, with the scope it belongs to (a block, a loop, a function, the file): `constAt` reads the one in scope. */
  declared: Map<string, { init: ts.Expression; scope: ts.Node }[]>;
  /** What `constAt` found for a name where it is written, with how many declarations of it were known then (a later one may be nearer). */
  inScope: Map<ts.Identifier, { known: number; init: ts.Expression | undefined }>;
  line(node: ts.Node): number;
}

/** The module of `require('m')`, `require('m').default` or `require('m').Something`. */
function requireTarget(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const arg = node.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text;
  }
  if (ts.isPropertyAccessExpression(node)) return requireTarget(node.expression);
  return undefined;
}

/** The scope a variable declaration belongs to: its block (loop, `case` block, file) for `let`/`const`, its function (or the file) for `var`. */
function declarationScope(d: ts.VariableDeclaration): ts.Node | undefined {
  const list = d.parent;
  if (!ts.isVariableDeclarationList(list)) return undefined;
  const blockScoped = (list.flags & ts.NodeFlags.BlockScoped) !== 0;
  for (let n: ts.Node | undefined = list.parent; n; n = n.parent) {
    if (ts.isSourceFile(n) || isFunctionLike(n)) return n;
    if (blockScoped && (ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)))
      return n;
  }
  return undefined;
}

/** Whether a binding name (a pattern's too) binds `name`. */
function bindsName(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, name));
}

/** Whether a node binds `name` with no value recorded: a function's parameter, a `catch` clause's or a `for…of`/`for…in` loop's name. */
function hides(n: ts.Node, name: string): boolean {
  if (isFunctionLike(n)) return n.parameters.some((p) => bindsName(p.name, name));
  if (ts.isCatchClause(n)) return n.variableDeclaration !== undefined && bindsName(n.variableDeclaration.name, name);
  if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && ts.isVariableDeclarationList(n.initializer))
    return n.initializer.declarations.some((d) => bindsName(d.name, name));
  return false;
}

/**
 * The initialiser a name is read as where it is written: the nearest declaration around it (its
 * block's, its function's, the file's; `const msgObj` in a `catch` is that block's, not the `try`'s);
 * none where a parameter, a `catch` clause or a `for…of` loop binds the name first; else the file's
 * first declaration of the name (one recorded elsewhere, as before scopes were read).
 */
export function constAt(info: FileInfo, id: ts.Identifier): ts.Expression | undefined {
  const first = info.consts.get(id.text);
  if (first === undefined) return undefined;
  const all = info.declared.get(id.text) ?? [];
  const known = info.inScope.get(id);
  if (known?.known === all.length) return known.init;
  const init = nearest(id, all, first);
  info.inScope.set(id, { known: all.length, init });
  return init;
}

function nearest(id: ts.Identifier, all: readonly { init: ts.Expression; scope: ts.Node }[], first: ts.Expression): ts.Expression | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    for (const d of all) if (d.scope === n) return d.init;
    if (hides(n, id.text)) return undefined;
  }
  return first;
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
    const init = unwrap(node.initializer);
    const m = requireTarget(init);
    if (m) {
      const l = info.line(node);
      addModule(m, l);
      const imported = ts.isPropertyAccessExpression(init) ? init.name.text : '*';
      if (ts.isIdentifier(node.name)) bindings.set(node.name.text, { module: m, imported, line: l });
      else if (ts.isObjectBindingPattern(node.name)) {
        for (const el of node.name.elements) {
          if (!ts.isIdentifier(el.name)) continue;
          const p = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          bindings.set(el.name.text, { module: m, imported: p, line: l });
        }
      }
    } else if (ts.isIdentifier(node.name)) {
      const name = node.name.text;
      if (!consts.has(name)) consts.set(name, node.initializer);
      const scope = declarationScope(node);
      const all = info.declared.get(name) ?? info.declared.set(name, []).get(name)!;
      if (scope && !all.some((d) => d.init === node.initializer)) all.push({ init: node.initializer, scope });
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
    declared: new Map(),
    inScope: new Map(),
    line: (n: ts.Node) => lineOf(sf, n),
  };
  for (const stmt of sf.statements) {
    if (ts.isVariableStatement(stmt)) for (const d of stmt.declarationList.declarations) recordBinding(info, d);
    else if (ts.isExpressionStatement(stmt) && ts.isCallExpression(stmt.expression)) recordBinding(info, stmt.expression);
    else recordBinding(info, stmt);
  }
  return info;
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

/** A constant string (literal, template without substitutions, `+` of such, or a const bound to one). */
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
    const init = constAt(info, n);
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
    const init = constAt(info, n);
    if (init) return numberValue(init, info, depth + 1);
  }
  return undefined;
}

/** The known values of an array literal, each read by `read` (unknown elements skipped); undefined when not an array. */
function knownValues<T>(node: ts.Expression | undefined, read: (e: ts.Expression) => T | undefined): T[] | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (!ts.isArrayLiteralExpression(n)) return undefined;
  const out: T[] = [];
  for (const el of n.elements) {
    const v = read(el);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Constant strings of an array literal (`['a', B]`), others skipped; undefined when not an array. */
export function stringValues(node: ts.Expression | undefined, info?: FileInfo): string[] | undefined {
  return knownValues(node, (e) => stringValue(e, info));
}

/** Constant numbers of an array literal, others skipped; undefined when not an array. */
export function numberValues(node: ts.Expression | undefined, info?: FileInfo): number[] | undefined {
  return knownValues(node, (e) => numberValue(e, info));
}

/** The object literal of an expression, following one const binding in the same file. */
export function objectLiteral(node: ts.Expression | undefined, info?: FileInfo): ts.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (ts.isObjectLiteralExpression(n)) return n;
  if (ts.isIdentifier(n) && info) {
    const init = constAt(info, n);
    if (init && ts.isObjectLiteralExpression(unwrap(init))) return unwrap(init) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'getString', 'getNumber', 'require', 'env']);
const CONVERSIONS = new Set(['String', 'Number', 'parseInt', 'Boolean', 'Buffer']);

/**
 * Environment variable NAME an expression reads, more loosely than `envName` of ./ast.ts:
 * `process.env.X`, `process.env['X']`, `import.meta.env.X`, any `….env.X`, `Deno.env.get('X')`,
 * `configService.get('X')`, `env('X')`, the same behind `??`, `||`, `?:`, `String(...)`,
 * `Number(...)`, `Buffer.from(...)`, and a const bound to one. Never a value.
 */
export function envVariable(node: ts.Expression | undefined, info?: FileInfo, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrap(node);
  if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
    const key = ts.isPropertyAccessExpression(n) ? n.name.text : ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : undefined;
    return key && /(^|\.)env$/.test(n.expression.getText()) ? key : undefined;
  }
  if (ts.isBinaryExpression(n)) {
    const k = n.operatorToken.kind;
    if (k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.BarBarToken) return envVariable(n.left, info, depth + 1);
    return undefined;
  }
  if (ts.isConditionalExpression(n)) return envVariable(n.whenTrue, info, depth + 1) ?? envVariable(n.whenFalse, info, depth + 1);
  if (ts.isCallExpression(n)) {
    const callee = n.expression;
    const arg0 = n.arguments[0];
    if (ts.isIdentifier(callee) && CONVERSIONS.has(callee.text)) return envVariable(arg0, info, depth + 1);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'from' && callee.expression.getText() === 'Buffer')
      return envVariable(arg0, info, depth + 1);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (method && CONFIG_GETTERS.has(method) && arg0 && ts.isStringLiteralLike(arg0) && /^[A-Z][A-Z0-9_]*$/.test(arg0.text)) return arg0.text;
  }
  if (ts.isIdentifier(n) && info && depth < 3) {
    const init = constAt(info, n);
    if (init) return envVariable(init, info, depth + 1);
  }
  return undefined;
}

/** A call or `new` as rules read it: its callee, the module the callee's head is imported from, and its arguments. */
export interface Call<N extends ts.CallExpression | ts.NewExpression = ts.CallExpression> {
  node: N;
  /** Callee chain (`Sentry.init`, `this.jwt.sign`, `?.use` for a call result), '' when the callee is no chain. */
  name: string;
  /** Last name of the chain (`init`). */
  last: string;
  /** The imported name when the callee is a bare named import (`import { init as i }` → `init`), else `last`. */
  named: string;
  binding: Binding | undefined;
  args: readonly ts.Expression[];
}

/** Read a call's callee and binding once, for every rule that looks at it. */
export function readCall<N extends ts.CallExpression | ts.NewExpression>(node: N, info: FileInfo): Call<N> {
  const name = calleeName(node) ?? '';
  const last = name.split('.').pop() ?? '';
  const binding = calleeModule(node, info);
  const named = binding && binding.imported !== '*' && binding.imported !== 'default' && !name.includes('.') ? binding.imported : last;
  return { node, name, last, named, binding, args: node.arguments ?? [] };
}
