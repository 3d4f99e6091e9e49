/**
 * Resolution over the file indexes: follow an expression through local bindings, parameters,
 * imports and re-exports (relative paths, tsconfig `paths`, workspace packages) to what it is
 * defined as, and evaluate string-valued expressions (literals, constants, enum members, object
 * properties, template literals with constant parts, `+`). What a reader would resolve by
 * looking, no more: no type checking, and never executing the analysed code.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { enclosingClass, isFunctionLike, objectMethod, prop, propName, requireSpecifier, unwrapAwait } from '../../src/analysis/ast.js';
import { indexFile, type Binding, type FileIndex } from './walk.js';

export type Target =
  | { kind: 'expr'; expr: ts.Expression; file: FileIndex }
  | { kind: 'func'; node: ts.FunctionLikeDeclaration; file: FileIndex }
  | { kind: 'param'; fn: ts.SignatureDeclaration; index: number; file: FileIndex }
  | { kind: 'class'; node: ts.ClassLikeDeclaration; file: FileIndex }
  | { kind: 'enum'; node: ts.EnumDeclaration; file: FileIndex }
  | { kind: 'enumMember'; node: ts.EnumMember; file: FileIndex }
  | { kind: 'module'; file: FileIndex }
  | { kind: 'external'; module: string; name: string };

const MAX_DEPTH = 40;

export class Resolver {
  private readonly indexes = new Map<string, FileIndex | null>();
  private readonly derefCache = new Map<ts.Node, Target | null>();
  private readonly inProgress = new Set<ts.Node>();

  constructor(readonly ctx: AnalyzerContext) {}

  /** Let go of every index and cached answer (and so of the trees behind them). */
  forget(): void {
    this.indexes.clear();
    this.derefCache.clear();
    this.inProgress.clear();
  }

  /** The index of a file, walked on first use (once per run). */
  index(file: string): FileIndex | undefined {
    const hit = this.indexes.get(file);
    if (hit !== undefined) return hit ?? undefined;
    const sf = this.ctx.sourceFile(file);
    const fi = sf ? indexFile(file, sf) : undefined;
    this.indexes.set(file, fi ?? null);
    return fi;
  }

  fileOfNode(node: ts.Node): FileIndex | undefined {
    return this.index(node.getSourceFile().fileName.replace(/^\//, ''));
  }

  lookup(name: string, at: ts.Node, fi: FileIndex): Binding | undefined {
    for (let n: ts.Node | undefined = at; n; n = n.parent) {
      const b = fi.scopes.get(n)?.get(name);
      if (b) return b;
    }
    return undefined;
  }

  // ---- modules -------------------------------------------------------------------------------

  /** Repository file a module specifier points at, or undefined for packages and misses. */
  resolveModule(spec: string, fromFile: string): string | undefined {
    return this.ctx.resolveImport(fromFile, spec);
  }

  private moduleTarget(spec: string, name: string, fromFile: string, depth: number): Target | undefined {
    const file = this.resolveModule(spec, fromFile);
    if (!file) return { kind: 'external', module: spec, name };
    if (this.ctx.isSetAside(file) && !this.ctx.isSetAside(fromFile)) return undefined;
    const fi = this.index(file);
    if (!fi) return undefined;
    if (name === '*') return { kind: 'module', file: fi };
    return this.exportTarget(fi, name, depth + 1);
  }

  exportTarget(fi: FileIndex, name: string, depth = 0, seen = new Set<string>()): Target | undefined {
    if (depth > MAX_DEPTH || seen.has(fi.file + '#' + name)) return undefined;
    seen.add(fi.file + '#' + name);
    const t = fi.exports.get(name);
    if (t) {
      switch (t.kind) {
        case 'local': {
          const b = fi.scopes.get(fi.sf)?.get(t.name);
          return b ? this.fromBinding(b, fi, depth + 1) : undefined;
        }
        case 'expr':
          return this.deref(t.expr, depth + 1);
        case 'binding':
          return this.fromBinding(t.binding, fi, depth + 1);
        case 'reexport':
          return this.moduleTarget(t.module, t.name, fi.file, depth + 1);
      }
    }
    // CommonJS: `module.exports = { a, b }` answers named imports too.
    const cjs = fi.exports.get('*');
    if (cjs && cjs.kind === 'expr' && name !== 'default') {
      const obj = unwrapAwait(cjs.expr);
      if (ts.isObjectLiteralExpression(obj)) {
        const p = prop(obj, name);
        if (p) return this.deref(p, depth + 1);
        const m = objectMethod(obj, name);
        if (m) return { kind: 'func', node: m, file: fi };
      }
    }
    for (const star of fi.starExports) {
      const file = this.resolveModule(star, fi.file);
      const other = file ? this.index(file) : undefined;
      if (!other) continue;
      const hit = this.exportTarget(other, name, depth + 1, seen);
      if (hit) return hit;
    }
    return undefined;
  }

  fromBinding(b: Binding, fi: FileIndex, depth = 0): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (b.kind) {
      case 'var': {
        if (!b.init) return undefined;
        if (b.prop) return this.member(this.deref(b.init, depth + 1), b.prop, b.init, depth + 1);
        return this.deref(b.init, depth + 1);
      }
      case 'func':
        return { kind: 'func', node: b.node, file: fi };
      case 'param':
        return { kind: 'param', fn: b.fn, index: b.index, file: fi };
      case 'class':
        return { kind: 'class', node: b.node, file: fi };
      case 'enum':
        return { kind: 'enum', node: b.node, file: fi };
      case 'import':
        return this.moduleTarget(b.module, b.name, fi.file, depth + 1);
    }
  }

  /** What `expr` is defined as, following names through scopes and files. */
  deref(expr: ts.Expression, depth = 0): Target | undefined {
    const e = unwrapAwait(expr);
    if (depth > MAX_DEPTH) return undefined;
    const hit = this.derefCache.get(e);
    if (hit !== undefined) return hit ?? undefined;
    if (this.inProgress.has(e)) return undefined;
    this.inProgress.add(e);
    let out: Target | undefined;
    try {
      out = this.derefUncached(e, depth);
    } finally {
      this.inProgress.delete(e);
    }
    this.derefCache.set(e, out ?? null);
    return out;
  }

  private derefUncached(e: ts.Expression, depth: number): Target | undefined {
    const fi = this.fileOfNode(e);
    if (!fi) return undefined;
    if (ts.isIdentifier(e)) {
      const b = this.lookup(e.text, e, fi);
      return b ? this.fromBinding(b, fi, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
      if (name === undefined) return { kind: 'expr', expr: e, file: fi };
      if (e.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const cls = enclosingClass(e);
        const m = cls ? this.classMember(cls, name, fi, depth + 1) : undefined;
        return m ?? { kind: 'expr', expr: e, file: fi };
      }
      // `this.routers.sites`: what a method of the class assigns to that path (`this.routers.sites = new SiteRouter()`).
      const path = thisPath(e);
      if (path && path.length >= 2) {
        const cls = enclosingClass(e);
        const rhs = cls ? classPathAssignment(cls, path) : undefined;
        if (rhs) return this.deref(rhs, depth + 1);
      }
      return this.member(this.deref(e.expression, depth + 1), name, e, depth + 1) ?? { kind: 'expr', expr: e, file: fi };
    }
    if (ts.isCallExpression(e)) {
      const spec = requireSpecifier(e);
      if (spec !== undefined) return this.moduleTarget(spec, '*', fi.file, depth + 1);
      if (e.expression.kind === ts.SyntaxKind.ImportKeyword && e.arguments[0] && ts.isStringLiteralLike(e.arguments[0])) {
        return this.moduleTarget(e.arguments[0].text, '*', fi.file, depth + 1);
      }
    }
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return { kind: 'func', node: e, file: fi };
    if (ts.isClassExpression(e)) return { kind: 'class', node: e, file: fi };
    return { kind: 'expr', expr: e, file: fi };
  }

  /** Member `name` of a target (module export, enum member, object property, class property). */
  member(t: Target | undefined, name: string, at: ts.Node, depth: number): Target | undefined {
    if (!t || depth > MAX_DEPTH) return undefined;
    switch (t.kind) {
      case 'module': {
        const ex = this.exportTarget(t.file, name, depth + 1);
        if (ex) return ex;
        // `import * as x` of a CommonJS module whose default is an object.
        const d = t.file.exports.get('default');
        if (d?.kind === 'expr') return this.member(this.deref(d.expr, depth + 1), name, at, depth + 1);
        return undefined;
      }
      case 'external':
        return { kind: 'external', module: t.module, name: t.name === '*' || t.name === 'default' ? name : `${t.name}.${name}` };
      case 'enum': {
        const m = t.node.members.find((x) => propName(x.name) === name);
        return m ? { kind: 'enumMember', node: m, file: t.file } : undefined;
      }
      case 'class':
        return this.classMember(t.node, name, t.file, depth + 1, true);
      case 'expr': {
        const x = unwrapAwait(t.expr);
        if (ts.isObjectLiteralExpression(x)) {
          const p = prop(x, name);
          if (p) return this.deref(p, depth + 1);
          const m = objectMethod(x, name);
          return m ? { kind: 'func', node: m, file: t.file } : undefined;
        }
        // `options.routers || new Routers()`: a member of the default the code creates, else of the given value.
        if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
          return this.member(this.deref(x.right, depth + 1), name, at, depth + 1) ?? this.member(this.deref(x.left, depth + 1), name, at, depth + 1);
        }
        if (ts.isNewExpression(x)) {
          let c = this.deref(x.expression, depth + 1);
          // `const SiteRouter = require('./routes/site')`: the class the module exports.
          if (c?.kind === 'module') c = this.exportTarget(c.file, 'default', depth + 1);
          if (c?.kind === 'class') return this.classMember(c.node, name, c.file, depth + 1);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** A class property's value: its initialiser, or `this.name = …` in the constructor. */
  classMember(cls: ts.ClassLikeDeclaration, name: string, fi: FileIndex, depth: number, isStatic = false): Target | undefined {
    for (const m of cls.members) {
      if (propName(m.name) !== name) continue;
      if (ts.isPropertyDeclaration(m)) {
        const st = ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false;
        if (st !== isStatic && isStatic) continue;
        return m.initializer ? this.deref(m.initializer, depth + 1) : this.constructorAssignment(cls, name, depth);
      }
      if (isFunctionLike(m)) return { kind: 'func', node: m, file: fi };
    }
    return this.constructorAssignment(cls, name, depth);
  }

  private constructorAssignment(cls: ts.ClassLikeDeclaration, name: string, depth: number): Target | undefined {
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    if (!ctor?.body) return undefined;
    for (const st of ctor.body.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) continue;
      const b = st.expression;
      if (
        b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(b.left) &&
        b.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        b.left.name.text === name
      ) {
        return this.deref(b.right, depth + 1);
      }
    }
    return undefined;
  }

  // ---- strings ------------------------------------------------------------------------------

  /** The constant string value of an expression, or undefined when it is not statically known. */
  str(expr: ts.Expression | undefined, depth = 0): string | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    const e = unwrapAwait(expr);
    if (ts.isStringLiteralLike(e)) return e.text;
    if (ts.isNumericLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) {
      let out = e.head.text;
      for (const span of e.templateSpans) {
        const v = this.str(span.expression, depth + 1);
        if (v === undefined) return undefined;
        out += v + span.literal.text;
      }
      return out;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const a = this.str(e.left, depth + 1);
      const b = a === undefined ? undefined : this.str(e.right, depth + 1);
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
    // process.env.API_PREFIX ?? '/api': the default a reader would assume.
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      return this.str(e.left, depth + 1) ?? this.str(e.right, depth + 1);
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const t = this.deref(e, depth + 1);
      if (!t) return undefined;
      if (t.kind === 'expr' && unwrapAwait(t.expr) !== e) return this.str(t.expr, depth + 1);
      if (t.kind === 'enumMember') {
        if (t.node.initializer) return this.str(t.node.initializer, depth + 1);
        return undefined;
      }
    }
    return undefined;
  }

  /** String or array of strings (`['/a', '/b']`); undefined when any part is unknown. */
  strList(expr: ts.Expression | undefined, depth = 0): string[] | undefined {
    if (!expr) return undefined;
    const e = unwrapAwait(expr);
    if (ts.isArrayLiteralExpression(e)) {
      const out: string[] = [];
      for (const el of e.elements) {
        if (ts.isSpreadElement(el)) {
          const inner = this.strList(el.expression, depth + 1);
          if (!inner) return undefined;
          out.push(...inner);
          continue;
        }
        const v = this.str(el, depth + 1);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const t = this.deref(e, depth + 1);
      if (t?.kind === 'expr' && ts.isArrayLiteralExpression(unwrapAwait(t.expr))) return this.strList(t.expr, depth + 1);
    }
    const one = this.str(e, depth);
    return one === undefined ? undefined : [one];
  }

  /** Object literal an expression stands for (directly or through a constant). */
  object(expr: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    if (!expr) return undefined;
    const e = unwrapAwait(expr);
    if (ts.isObjectLiteralExpression(e)) return e;
    const t = this.deref(e);
    if (t?.kind === 'expr') {
      const x = unwrapAwait(t.expr);
      if (ts.isObjectLiteralExpression(x)) return x;
    }
    return undefined;
  }
}

/** `this.a.b` → ['a', 'b']; undefined when the access is not rooted at `this` through plain names. */
function thisPath(e: ts.Expression): string[] | undefined {
  const out: string[] = [];
  let x: ts.Expression = e;
  while (ts.isPropertyAccessExpression(x) && out.length < 8) {
    out.unshift(x.name.text);
    x = x.expression;
  }
  return x.kind === ts.SyntaxKind.ThisKeyword ? out : undefined;
}

/** The first value a method of the class assigns to `this.<path>` (statements at any depth of a method body). */
function classPathAssignment(cls: ts.ClassLikeDeclaration, path: string[]): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || ts.isClassLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
      const p = thisPath(n.left);
      if (p && p.length === path.length && p.every((s, i) => s === path[i])) {
        found = n.right;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  for (const m of cls.members) {
    if ((ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m)) && m.body) ts.forEachChild(m.body, visit);
    if (found) break;
  }
  return found;
}
