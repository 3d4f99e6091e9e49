/**
 * A Serverless Framework configuration written in TypeScript or JavaScript (`serverless.ts`,
 * `serverless.js`), read from its syntax tree and never run. Literals, object and array literals,
 * spreads, `as`/`satisfies`, local constants and imported bindings (followed through re-exports
 * such as `export { default as hello } from './hello'`) are read; anything computed is unknown.
 * A template literal whose expression uses `__dirname` (`${handlerPath(__dirname)}/handler.main`)
 * is the folder of the file it is written in, relative to the service's folder. Where each object
 * and each key was written is kept, so facts point at the line that declares them.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';

/** How many bindings deep a value is followed (imports of imports …). */
const MAX_DEPTH = 12;

/** The text an unknown template-literal part stands for (names containing it are not names). */
export const UNKNOWN_PART = '${…}';

export class ConfigReader {
  /** Where each key of an object (or index of an array) was written. */
  readonly keyAt = new WeakMap<object, Map<string, Evidence>>();
  private depth = 0;
  private hops = 0;

  constructor(
    private readonly ctx: AnalyzerContext,
    /** The service's folder (where serverless.ts is): `__dirname` paths are relative to it. */
    private readonly serviceDir: string,
  ) {}

  /** The configuration object of `file`: `module.exports = x`, `export default x`, or `export = x`. */
  config(file: string): Record<string, unknown> | undefined {
    const sf = this.ctx.sourceFile(file);
    if (!sf) return undefined;
    for (const st of sf.statements) {
      if (ts.isExportAssignment(st)) return record(this.value(st.expression, sf));
      if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = st.expression.left;
        if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === 'module' && left.name.text === 'exports') return record(this.value(st.expression.right, sf));
      }
    }
    return undefined;
  }

  /** Where `path` (keys from `root`) was written. */
  locate(root: unknown, path: readonly string[]): Evidence | undefined {
    let at: Evidence | undefined;
    let v: unknown = root;
    for (const k of path) {
      if (typeof v !== 'object' || v === null) return at;
      at = this.keyAt.get(v)?.get(k) ?? at;
      v = (v as Record<string, unknown>)[k];
    }
    return at;
  }

  private line(sf: ts.SourceFile, node: ts.Node): Evidence {
    return { file: fileOf(sf), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 };
  }

  /** The static value of an expression; undefined when it is computed. */
  value(node: ts.Expression, sf: ts.SourceFile): unknown {
    if (this.depth > MAX_DEPTH * 8) return undefined;
    this.depth++;
    try {
      return this.eval(node, sf);
    } finally {
      this.depth--;
    }
  }

  private eval(node: ts.Expression, sf: ts.SourceFile): unknown {
    while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isTemplateExpression(node)) {
      let s = node.head.text;
      for (const span of node.templateSpans) {
        const v = usesDirname(span.expression) ? this.folderOf(fileOf(sf)) : this.value(span.expression, sf);
        s += (typeof v === 'string' || typeof v === 'number' ? String(v) : UNKNOWN_PART) + span.literal.text;
      }
      return s;
    }
    if (ts.isObjectLiteralExpression(node)) {
      const out: Record<string, unknown> = {};
      const at = new Map<string, Evidence>();
      for (const p of node.properties) {
        if (ts.isSpreadAssignment(p)) {
          const v = this.value(p.expression, sf);
          const r = record(v);
          if (!r) continue;
          const inner = this.keyAt.get(r);
          for (const [k, x] of Object.entries(r)) {
            out[k] = x;
            const e = inner?.get(k);
            if (e) at.set(k, e);
          }
          continue;
        }
        const name = propertyName(p.name);
        if (name === undefined) continue;
        if (ts.isPropertyAssignment(p)) out[name] = this.value(p.initializer, sf);
        else if (ts.isShorthandPropertyAssignment(p)) out[name] = this.binding(p.name.text, sf);
        else continue;
        at.set(name, this.line(sf, p));
      }
      this.keyAt.set(out, at);
      return out;
    }
    if (ts.isArrayLiteralExpression(node)) {
      const out: unknown[] = [];
      const at = new Map<string, Evidence>();
      for (const el of node.elements) {
        if (ts.isSpreadElement(el)) {
          const v = this.value(el.expression, sf);
          if (Array.isArray(v)) out.push(...(v as unknown[]));
          continue;
        }
        at.set(String(out.length), this.line(sf, el));
        out.push(this.value(el, sf));
      }
      this.keyAt.set(out, at);
      return out;
    }
    if (ts.isIdentifier(node)) return this.binding(node.text, sf);
    if (ts.isPropertyAccessExpression(node)) {
      // `ns.name` of `import * as ns`, or a property of an object read statically.
      if (ts.isIdentifier(node.expression)) {
        const ns = namespaceImport(sf, node.expression.text);
        if (ns !== undefined) {
          const target = this.ctx.resolveImport(fileOf(sf), ns);
          return target ? this.exported(target, node.name.text) : undefined;
        }
      }
      const obj = record(this.value(node.expression, sf));
      return obj ? obj[node.name.text] : undefined;
    }
    return undefined;
  }

  /** `__dirname` of a file, relative to the service's folder. */
  private folderOf(file: string): string {
    const dir = dirOf(file);
    if (this.serviceDir === '.') return dir;
    if (dir === this.serviceDir) return '.';
    return dir.startsWith(this.serviceDir + '/') ? dir.slice(this.serviceDir.length + 1) : UNKNOWN_PART;
  }

  /** The value a name has in a file: a top-level constant, or an imported binding. */
  private binding(name: string, sf: ts.SourceFile): unknown {
    for (const st of sf.statements) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ? this.value(d.initializer, sf) : undefined;
      } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
        const clause = st.importClause;
        let imported: string | undefined;
        if (clause.name?.text === name) imported = 'default';
        const nb = clause.namedBindings;
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (el.name.text === name) imported = (el.propertyName ?? el.name).text;
        if (imported === undefined) continue;
        const target = this.ctx.resolveImport(fileOf(sf), st.moduleSpecifier.text);
        return target ? this.exported(target, imported) : undefined;
      }
    }
    return undefined;
  }

  /** The value a module exports under a name ('default' for the default export). */
  exported(file: string, name: string): unknown {
    if (this.hops > MAX_DEPTH) return undefined;
    const sf = this.ctx.sourceFile(file);
    if (!sf) return undefined;
    this.hops++;
    try {
      for (const st of sf.statements) {
        if (ts.isExportAssignment(st) && name === 'default') return this.value(st.expression, sf);
        if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
          for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ? this.value(d.initializer, sf) : undefined;
        }
        if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
          const from = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
          const clause = st.exportClause;
          if (!clause && from) {
            // `export * from './x'`: the name, if that module exports it.
            const target = this.ctx.resolveImport(file, from);
            const v = target && name !== 'default' ? this.exported(target, name) : undefined;
            if (v !== undefined) return v;
            continue;
          }
          if (!clause || !ts.isNamedExports(clause)) continue;
          for (const el of clause.elements) {
            if (el.name.text !== name) continue;
            const local = (el.propertyName ?? el.name).text;
            if (!from) return this.binding(local, sf);
            const target = this.ctx.resolveImport(file, from);
            return target ? this.exported(target, local) : undefined;
          }
        }
        // CommonJS: `module.exports = x` (the default) and `exports.name = x`.
        if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const left = st.expression.left;
          if (!ts.isPropertyAccessExpression(left)) continue;
          const isModuleExports = ts.isIdentifier(left.expression) && left.expression.text === 'module' && left.name.text === 'exports';
          if (isModuleExports && name === 'default') return this.value(st.expression.right, sf);
          const isNamed = ts.isIdentifier(left.expression) && left.expression.text === 'exports' && left.name.text === name;
          if (isNamed) return this.value(st.expression.right, sf);
        }
      }
      return undefined;
    } finally {
      this.hops--;
    }
  }
}

/** A tree's repository-relative path (its `fileName` has a leading slash). */
function fileOf(sf: ts.SourceFile): string {
  return sf.fileName.startsWith('/') ? sf.fileName.slice(1) : sf.fileName;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function propertyName(n: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isComputedPropertyName(n) && (ts.isStringLiteral(n.expression) || ts.isNoSubstitutionTemplateLiteral(n.expression))) return n.expression.text;
  return undefined;
}

/** Whether an expression mentions `__dirname` (`handlerPath(__dirname)`, `__dirname.split(…)…`). */
function usesDirname(node: ts.Node): boolean {
  if (ts.isIdentifier(node)) return node.text === '__dirname';
  return ts.forEachChild(node, (c) => (usesDirname(c) ? true : undefined)) ?? false;
}

/** The module specifier of `import * as name from '…'` in a file. */
function namespaceImport(sf: ts.SourceFile, name: string): string | undefined {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const nb = st.importClause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return st.moduleSpecifier.text;
  }
  return undefined;
}
