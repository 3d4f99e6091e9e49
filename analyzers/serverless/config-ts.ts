/**
 * A Serverless Framework configuration written in TypeScript or JavaScript (`serverless.ts`,
 * `serverless.js`), never run. The run's file pass hands each script of a service's folder to
 * `readModule`, which keeps, as plain data, what a configuration can be made of: its top-level
 * constants and imports, its exports (also re-exports, `export *` and CommonJS ones) and the
 * expressions they hold (literals, object and array literals with spreads and the line of each key
 * and element, templates, names, members). `ConfigReader` then reads the configuration from those:
 * literals, object and array literals, spreads, `as`/`satisfies`, local constants and imported
 * bindings (followed through re-exports such as `export { default as hello } from './hello'`) are
 * read; anything computed is unknown. A template literal whose expression uses `__dirname`
 * (`${handlerPath(__dirname)}/handler.main`) is the folder of the file it is written in, relative
 * to the service's folder. Where each object and each key was written is kept, so facts point at
 * the line that declares them.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';

/** How many bindings deep a value is followed (imports of imports …). */
const MAX_DEPTH = 12;

/** The text an unknown template-literal part stands for (names containing it are not names). */
export const UNKNOWN_PART = '${…}';

/** An expression as written, as data: what a configuration value can be read from. */
export type Expr =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  /** A template: each span an expression (or a use of `__dirname`) and the literal text after it. */
  | { k: 'tpl'; head: string; spans: { dirname: boolean; e?: Expr; text: string }[] }
  | { k: 'obj'; props: ({ k: 'spread'; e: Expr } | { k: 'prop'; name: string; e?: Expr; line: number })[] }
  | { k: 'arr'; items: ({ k: 'spread'; e: Expr } | { k: 'item'; e: Expr; line: number })[] }
  | { k: 'id'; name: string }
  | { k: 'member'; e: Expr; name: string }
  | { k: 'unknown' };

/** What a module's exports hold, in statement order (the first that gives a name wins). */
type ExportEntry =
  /** `export default x`, `export = x`, `module.exports = x`. */
  | { k: 'default'; e: Expr }
  /** `export const name = x` (no `e`: declared without a value). */
  | { k: 'const'; name: string; e?: Expr }
  | { k: 'star'; from: string }
  /** `export { local as name }`, from a module or not. */
  | { k: 'named'; name: string; local: string; from?: string }
  /** `exports.name = x`. */
  | { k: 'cjs'; name: string; e: Expr };

/** One script as the configuration reader needs it: plain data, no syntax node. */
export interface ModuleData {
  file: string;
  /** Top-level names, the first declaration of each: a constant's value (none: declared without), or a binding imported from a module. */
  bindings: Map<string, { k: 'const'; e?: Expr } | { k: 'import'; module: string; name: string }>;
  /** `import * as ns from 'm'`: ns → m. */
  namespaces: Map<string, string>;
  exports: ExportEntry[];
}

/** The plain data of a script (see `ModuleData`). */
export function readModule(file: string, sf: ts.SourceFile): ModuleData {
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const expr = (node: ts.Expression): Expr => {
    while (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node)
    )
      node = node.expression;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { k: 'str', v: node.text };
    if (ts.isNumericLiteral(node)) return { k: 'num', v: Number(node.text) };
    if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return { k: 'bool', v: node.kind === ts.SyntaxKind.TrueKeyword };
    if (ts.isTemplateExpression(node)) {
      return {
        k: 'tpl',
        head: node.head.text,
        spans: node.templateSpans.map((s) =>
          usesDirname(s.expression) ? { dirname: true, text: s.literal.text } : { dirname: false, e: expr(s.expression), text: s.literal.text },
        ),
      };
    }
    if (ts.isObjectLiteralExpression(node)) {
      const props: Extract<Expr, { k: 'obj' }>['props'] = [];
      for (const p of node.properties) {
        if (ts.isSpreadAssignment(p)) {
          props.push({ k: 'spread', e: expr(p.expression) });
          continue;
        }
        const name = propertyName(p.name);
        if (name === undefined) continue;
        if (ts.isPropertyAssignment(p)) props.push({ k: 'prop', name, e: expr(p.initializer), line: line(p) });
        else if (ts.isShorthandPropertyAssignment(p)) props.push({ k: 'prop', name, line: line(p) });
      }
      return { k: 'obj', props };
    }
    if (ts.isArrayLiteralExpression(node))
      return {
        k: 'arr',
        items: node.elements.map((el) => (ts.isSpreadElement(el) ? { k: 'spread', e: expr(el.expression) } : { k: 'item', e: expr(el), line: line(el) })),
      };
    if (ts.isIdentifier(node)) return { k: 'id', name: node.text };
    if (ts.isPropertyAccessExpression(node)) return { k: 'member', e: expr(node.expression), name: node.name.text };
    return { k: 'unknown' };
  };

  const out: ModuleData = { file, bindings: new Map(), namespaces: new Map(), exports: [] };
  const bind = (name: string, b: ModuleData['bindings'] extends Map<string, infer B> ? B : never) => {
    if (!out.bindings.has(name)) out.bindings.set(name, b);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const e = d.initializer ? expr(d.initializer) : undefined;
        bind(d.name.text, e ? { k: 'const', e } : { k: 'const' });
        if (exported) out.exports.push(e ? { k: 'const', name: d.name.text, e } : { k: 'const', name: d.name.text });
      }
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause) {
      const module = st.moduleSpecifier.text;
      const clause = st.importClause;
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && !out.namespaces.has(nb.name.text)) out.namespaces.set(nb.name.text, module);
      if (clause.isTypeOnly) continue;
      if (clause.name) bind(clause.name.text, { k: 'import', module, name: 'default' });
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) bind(el.name.text, { k: 'import', module, name: (el.propertyName ?? el.name).text });
    } else if (ts.isExportAssignment(st)) {
      out.exports.push({ k: 'default', e: expr(st.expression) });
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const from = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (!clause && from) out.exports.push({ k: 'star', from });
      else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements)
          out.exports.push(
            from === undefined
              ? { k: 'named', name: el.name.text, local: (el.propertyName ?? el.name).text }
              : { k: 'named', name: el.name.text, local: (el.propertyName ?? el.name).text, from },
          );
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: `module.exports = x` (the default) and `exports.name = x`.
      const left = st.expression.left;
      if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression)) continue;
      if (left.expression.text === 'module' && left.name.text === 'exports') out.exports.push({ k: 'default', e: expr(st.expression.right) });
      else if (left.expression.text === 'exports') out.exports.push({ k: 'cjs', name: left.name.text, e: expr(st.expression.right) });
    }
  }
  return out;
}

export class ConfigReader {
  /** Where each key of an object (or index of an array) was written. */
  readonly keyAt = new WeakMap<object, Map<string, Evidence>>();
  private depth = 0;
  private hops = 0;

  constructor(
    /** The scripts read in the file pass, by path. */
    private readonly modules: ReadonlyMap<string, ModuleData>,
    private readonly resolveImport: (from: string, specifier: string) => string | undefined,
    /** The service's folder (where serverless.ts is): `__dirname` paths are relative to it. */
    private readonly serviceDir: string,
  ) {}

  /** The configuration object of `file`: `module.exports = x`, `export default x`, or `export = x`. */
  config(file: string): Record<string, unknown> | undefined {
    const m = this.modules.get(file);
    const e = m?.exports.find((x) => x.k === 'default');
    return m && e ? record(this.value(e.e, m)) : undefined;
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

  /** The static value of an expression; undefined when it is computed. */
  value(node: Expr, m: ModuleData): unknown {
    if (this.depth > MAX_DEPTH * 8) return undefined;
    this.depth++;
    try {
      return this.eval(node, m);
    } finally {
      this.depth--;
    }
  }

  private eval(node: Expr, m: ModuleData): unknown {
    switch (node.k) {
      case 'str':
      case 'num':
      case 'bool':
        return node.v;
      case 'tpl': {
        let s = node.head;
        for (const span of node.spans) {
          const v = span.dirname ? this.folderOf(m.file) : span.e && this.value(span.e, m);
          s += (typeof v === 'string' || typeof v === 'number' ? String(v) : UNKNOWN_PART) + span.text;
        }
        return s;
      }
      case 'obj': {
        const out: Record<string, unknown> = {};
        const at = new Map<string, Evidence>();
        for (const p of node.props) {
          if (p.k === 'spread') {
            const r = record(this.value(p.e, m));
            if (!r) continue;
            const inner = this.keyAt.get(r);
            for (const [k, x] of Object.entries(r)) {
              out[k] = x;
              const e = inner?.get(k);
              if (e) at.set(k, e);
            }
            continue;
          }
          out[p.name] = p.e ? this.value(p.e, m) : this.binding(p.name, m);
          at.set(p.name, { file: m.file, line: p.line });
        }
        this.keyAt.set(out, at);
        return out;
      }
      case 'arr': {
        const out: unknown[] = [];
        const at = new Map<string, Evidence>();
        for (const el of node.items) {
          if (el.k === 'spread') {
            const v = this.value(el.e, m);
            if (Array.isArray(v)) out.push(...(v as unknown[]));
            continue;
          }
          at.set(String(out.length), { file: m.file, line: el.line });
          out.push(this.value(el.e, m));
        }
        this.keyAt.set(out, at);
        return out;
      }
      case 'id':
        return this.binding(node.name, m);
      case 'member': {
        // `ns.name` of `import * as ns`, or a property of an object read statically.
        const ns = node.e.k === 'id' ? m.namespaces.get(node.e.name) : undefined;
        if (ns !== undefined) {
          const target = this.resolveImport(m.file, ns);
          return target ? this.exported(target, node.name) : undefined;
        }
        const obj = record(this.value(node.e, m));
        return obj ? obj[node.name] : undefined;
      }
      case 'unknown':
        return undefined;
    }
  }

  /** `__dirname` of a file, relative to the service's folder. */
  private folderOf(file: string): string {
    const dir = dirOf(file);
    if (this.serviceDir === '.') return dir;
    if (dir === this.serviceDir) return '.';
    return dir.startsWith(this.serviceDir + '/') ? dir.slice(this.serviceDir.length + 1) : UNKNOWN_PART;
  }

  /** The value a name has in a file: a top-level constant, or an imported binding. */
  private binding(name: string, m: ModuleData): unknown {
    const b = m.bindings.get(name);
    if (!b) return undefined;
    if (b.k === 'const') return b.e ? this.value(b.e, m) : undefined;
    const target = this.resolveImport(m.file, b.module);
    return target ? this.exported(target, b.name) : undefined;
  }

  /** The value a module exports under a name ('default' for the default export). */
  exported(file: string, name: string): unknown {
    if (this.hops > MAX_DEPTH) return undefined;
    const m = this.modules.get(file);
    if (!m) return undefined;
    this.hops++;
    try {
      for (const x of m.exports) {
        if (x.k === 'default' && name === 'default') return this.value(x.e, m);
        if (x.k === 'const' && x.name === name) return x.e ? this.value(x.e, m) : undefined;
        if (x.k === 'star') {
          // `export * from './x'`: the name, if that module exports it.
          const target = this.resolveImport(file, x.from);
          const v = target && name !== 'default' ? this.exported(target, name) : undefined;
          if (v !== undefined) return v;
        }
        if (x.k === 'named' && x.name === name) {
          if (x.from === undefined) return this.binding(x.local, m);
          const target = this.resolveImport(file, x.from);
          return target ? this.exported(target, x.local) : undefined;
        }
        if (x.k === 'cjs' && x.name === name) return this.value(x.e, m);
      }
      return undefined;
    } finally {
      this.hops--;
    }
  }
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
