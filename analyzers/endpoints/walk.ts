/**
 * The one walk over a source file. It collects, in a single pass, everything every framework
 * needs: name bindings per function scope (so later resolution can follow identifiers, imports
 * and parameters), exports, the calls whose shape could register a route or mount a router,
 * and function returns (NestJS is read from the engine's index; GraphQL templates and `req.method`
 * literals are taken in the file pass, script-facts.ts).
 * Nothing is interpreted here; `resolver.ts` and the framework modules read the index.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { hasModifier, isFunctionLike, requireSpecifier } from '../../src/analysis/ast.js';

export type Binding =
  | { kind: 'var'; node: ts.VariableDeclaration; init?: ts.Expression; prop?: string }
  | { kind: 'func'; node: ts.FunctionLikeDeclaration }
  | { kind: 'param'; fn: ts.SignatureDeclaration; index: number }
  | { kind: 'import'; module: string; name: string }
  | { kind: 'class'; node: ts.ClassLikeDeclaration }
  | { kind: 'enum'; node: ts.EnumDeclaration };

export type ExportTarget =
  | { kind: 'local'; name: string; at: ts.Node }
  | { kind: 'expr'; expr: ts.Expression; at: ts.Node }
  | { kind: 'binding'; binding: Binding; at: ts.Node }
  | { kind: 'reexport'; module: string; name: string; at: ts.Node };

export interface FileIndex {
  file: string;
  sf: ts.SourceFile;
  /** Bindings per scope node (the SourceFile or a function-like node). */
  scopes: Map<ts.Node, Map<string, Binding>>;
  exports: Map<string, ExportTarget>;
  starExports: string[];
  /** `x.name(...)` calls whose member name is one a framework uses. */
  memberCalls: ts.CallExpression[];
  /** Statement-level `fn(a, b)` calls (plugin functions that receive an app or router). */
  plainCalls: ts.CallExpression[];
  /** Return expressions per function node (not nested functions). */
  returns: Map<ts.Node, ts.Expression[]>;
  /** Line of a position (1-based). */
  line(pos: number): number;
}

/** Member names worth recording: route verbs, mounting, hooks. */
export const MEMBER_CALLS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'options',
  'head',
  'all',
  'search',
  'use',
  'route',
  'register',
  'on',
  'of',
  'addHook',
  'prefix',
  'basePath',
  'applyMiddleware',
  'mount',
  'openapi',
  'doc',
  'doc31',
]);

export function indexFile(file: string, sf: ts.SourceFile): FileIndex {
  const starts = sf.getLineStarts();
  const index: FileIndex = {
    file,
    sf,
    scopes: new Map(),
    exports: new Map(),
    starExports: [],
    memberCalls: [],
    plainCalls: [],
    returns: new Map(),
    line(pos: number) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= pos) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    },
  };
  const bind = (scope: ts.Node, name: string, b: Binding) => {
    let m = index.scopes.get(scope);
    if (!m) index.scopes.set(scope, (m = new Map()));
    if (!m.has(name)) m.set(name, b);
  };

  const bindPattern = (scope: ts.Node, name: ts.BindingName, decl: ts.VariableDeclaration, init: ts.Expression | undefined) => {
    if (ts.isIdentifier(name)) {
      const spec = requireSpecifier(init);
      bind(scope, name.text, spec !== undefined ? { kind: 'import', module: spec, name: '*' } : { kind: 'var', node: decl, init });
      return;
    }
    // const { Router } = require('express')  /  const { a } = obj
    if (ts.isObjectBindingPattern(name)) {
      const spec = requireSpecifier(init);
      for (const el of name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        if (spec !== undefined) bind(scope, el.name.text, { kind: 'import', module: spec, name: prop });
        else if (init) bind(scope, el.name.text, { kind: 'var', node: decl, init, prop });
      }
    }
  };

  const visit = (node: ts.Node, scope: ts.Node, fn: ts.Node | undefined): void => {
    switch (node.kind) {
      case ts.SyntaxKind.ImportDeclaration: {
        const d = node as ts.ImportDeclaration;
        if (!ts.isStringLiteral(d.moduleSpecifier) || !d.importClause) return;
        const module = d.moduleSpecifier.text;
        const c = d.importClause;
        if (c.name) bind(sf, c.name.text, { kind: 'import', module, name: 'default' });
        const nb = c.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) bind(sf, nb.name.text, { kind: 'import', module, name: '*' });
        else if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            bind(sf, el.name.text, { kind: 'import', module, name: (el.propertyName ?? el.name).text });
          }
        }
        return;
      }
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const d = node as ts.ImportEqualsDeclaration;
        if (ts.isExternalModuleReference(d.moduleReference) && ts.isStringLiteral(d.moduleReference.expression)) {
          bind(sf, d.name.text, { kind: 'import', module: d.moduleReference.expression.text, name: '*' });
        }
        return;
      }
      case ts.SyntaxKind.ExportDeclaration: {
        const d = node as ts.ExportDeclaration;
        const module = d.moduleSpecifier && ts.isStringLiteral(d.moduleSpecifier) ? d.moduleSpecifier.text : undefined;
        if (!d.exportClause) {
          if (module) index.starExports.push(module);
          return;
        }
        if (ts.isNamedExports(d.exportClause)) {
          for (const el of d.exportClause.elements) {
            const local = (el.propertyName ?? el.name).text;
            index.exports.set(el.name.text, module ? { kind: 'reexport', module, name: local, at: el } : { kind: 'local', name: local, at: el });
          }
        } else if (ts.isNamespaceExport(d.exportClause) && module) {
          index.exports.set(d.exportClause.name.text, { kind: 'reexport', module, name: '*', at: d });
        }
        return;
      }
      case ts.SyntaxKind.ExportAssignment: {
        const d = node as ts.ExportAssignment;
        index.exports.set('default', { kind: 'expr', expr: d.expression, at: d });
        break;
      }
      case ts.SyntaxKind.VariableStatement: {
        const d = node as ts.VariableStatement;
        if (hasModifier(d, ts.SyntaxKind.ExportKeyword)) {
          for (const decl of d.declarationList.declarations) {
            if (ts.isIdentifier(decl.name)) index.exports.set(decl.name.text, { kind: 'local', name: decl.name.text, at: decl });
          }
        }
        break;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const d = node as ts.VariableDeclaration;
        bindPattern(scope, d.name, d, d.initializer);
        break;
      }
      case ts.SyntaxKind.EnumDeclaration: {
        const d = node as ts.EnumDeclaration;
        bind(scope, d.name.text, { kind: 'enum', node: d });
        if (hasModifier(d, ts.SyntaxKind.ExportKeyword)) index.exports.set(d.name.text, { kind: 'local', name: d.name.text, at: d });
        return;
      }
      case ts.SyntaxKind.ClassDeclaration: {
        const d = node as ts.ClassDeclaration;
        if (d.name) bind(scope, d.name.text, { kind: 'class', node: d });
        if (hasModifier(d, ts.SyntaxKind.ExportKeyword)) {
          const isDefault = hasModifier(d, ts.SyntaxKind.DefaultKeyword);
          const b: Binding = { kind: 'class', node: d };
          if (isDefault) index.exports.set('default', { kind: 'binding', binding: b, at: d });
          if (d.name && !isDefault) index.exports.set(d.name.text, { kind: 'binding', binding: b, at: d });
        }
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsToken) {
          // module.exports = x; exports.name = x; module.exports.name = x
          const left = b.left;
          if (ts.isPropertyAccessExpression(left)) {
            const target = left.expression;
            if (ts.isIdentifier(target) && target.text === 'module' && left.name.text === 'exports') {
              index.exports.set('default', { kind: 'expr', expr: b.right, at: b });
              index.exports.set('*', { kind: 'expr', expr: b.right, at: b });
            } else if (
              (ts.isIdentifier(target) && target.text === 'exports') ||
              (ts.isPropertyAccessExpression(target) &&
                ts.isIdentifier(target.expression) &&
                target.expression.text === 'module' &&
                target.name.text === 'exports')
            ) {
              index.exports.set(left.name.text, { kind: 'expr', expr: b.right, at: b });
            }
          }
        }
        break;
      }
      case ts.SyntaxKind.ReturnStatement: {
        const r = node as ts.ReturnStatement;
        if (fn && r.expression) {
          let list = index.returns.get(fn);
          if (!list) index.returns.set(fn, (list = []));
          list.push(r.expression);
        }
        break;
      }
      case ts.SyntaxKind.CallExpression: {
        const c = node as ts.CallExpression;
        const callee = c.expression;
        if (ts.isPropertyAccessExpression(callee) && MEMBER_CALLS.has(callee.name.text)) index.memberCalls.push(c);
        else if (
          (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) &&
          c.arguments.length > 0 &&
          (ts.isExpressionStatement(c.parent) || (ts.isAwaitExpression(c.parent) && ts.isExpressionStatement(c.parent.parent)))
        ) {
          index.plainCalls.push(c);
        }
        break;
      }
    }

    if (isFunctionLike(node)) {
      const f = node;
      if (ts.isFunctionDeclaration(f) && f.name) {
        bind(scope, f.name.text, { kind: 'func', node: f });
        if (hasModifier(f, ts.SyntaxKind.ExportKeyword)) {
          const isDefault = hasModifier(f, ts.SyntaxKind.DefaultKeyword);
          const b: Binding = { kind: 'func', node: f };
          index.exports.set(isDefault ? 'default' : f.name.text, { kind: 'binding', binding: b, at: f });
        }
      } else if (ts.isFunctionDeclaration(f) && hasModifier(f, ts.SyntaxKind.DefaultKeyword)) {
        index.exports.set('default', { kind: 'binding', binding: { kind: 'func', node: f }, at: f });
      }
      f.parameters.forEach((p, i) => {
        if (ts.isIdentifier(p.name)) bind(f, p.name.text, { kind: 'param', fn: f, index: i });
      });
      if (ts.isArrowFunction(f) && !ts.isBlock(f.body)) index.returns.set(f, [f.body]);
      pushChildren(f, f, f);
      return;
    }
    pushChildren(node, scope, fn);
  };
  // An explicit work stack instead of recursion: a 1,000-deep expression must not overflow the
  // call stack. Children are pushed in reverse so nodes are still visited in source order.
  const work: [ts.Node, ts.Node, ts.Node | undefined][] = [];
  const pushChildren = (node: ts.Node, scope: ts.Node, fn: ts.Node | undefined): void => {
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) work.push([children[i]!, scope, fn]);
  };
  pushChildren(sf, sf, undefined);
  while (work.length > 0) {
    const [node, scope, fn] = work.pop()!;
    visit(node, scope, fn);
  }
  return index;
}
