/**
 * Static name resolution for messaging code: what string a queue/topic argument stands for.
 * Follows string constants, enums (string and numeric), `as const` objects and nested config
 * objects, imports across files and workspace packages, class members (`this.queueName`, also
 * declared by subclasses), and parameters back to their call sites (`super(QueueName.Email)`,
 * `createWorker(QueueName.Email)`, `new BaseConsumer('orders')`). Nothing is executed; anything
 * not statically clear stays unresolved.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { configKey, envName, isFunctionLike, lineOf, propName, requireSpecifier, unwrapAwait } from '../../src/analysis/ast.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { ConfigValues } from './config-values.js';

export interface Loc {
  file: string;
  line: number;
}

/** A resolved value: the string, and/or the environment variable NAME it is read from. */
export interface Val {
  text?: string;
  env?: string;
  /** Where the repository declares the variable's value (`.env.example`, compose `environment:`). */
  declaredAt?: Loc;
  /** No value is known: the expression as written, kept as the channel's label. */
  expr?: string;
  /** Call sites or subclasses the value was passed through, innermost first. */
  via: Loc[];
}

/** A node somewhere in the repository. */
export interface Ref {
  file: string;
  node: ts.Node;
  /** Subclasses or call sites this node was reached through, innermost first. */
  via?: Loc[];
}

/** Prepend `via` (nearer the original node) to each ref's own path (further out). */
function withVia(refs: Ref[], via: Loc[] | undefined): Ref[] {
  if (!via?.length) return refs;
  return refs.map((r) => ({ ...r, via: [...via, ...(r.via ?? [])] }));
}

/** Test-like names left among production files (`*.e2e-foo.ts`); test folders are set aside by file roles. */
export function isTest(file: string): boolean {
  return /\.(e2e|spec|test)(-[a-z]+)*\.[cm]?[jt]sx?$/.test(file);
}

interface ModuleInfo {
  sf: ts.SourceFile;
  /** local name → { specifier, imported name | '*' | 'default' } */
  imports: Map<string, { spec: string; name: string }>;
  /** top-level declarations by name */
  locals: Map<string, ts.Node>;
  /** `export { local as exported }` (no from): exported → local */
  exportAliases: Map<string, string>;
  /** `export { a as b } from './x'`: exported → source */
  reexports: Map<string, { spec: string; name: string }>;
  stars: string[];
  defaultExport?: ts.Expression;
}

const MAX_DEPTH = 12;
const MAX_SITES = 60;

function hasStatements(n: ts.Node): n is ts.Node & { statements: ts.NodeArray<ts.Statement> } {
  return ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n);
}

function declName(n: ts.Node): string | undefined {
  const name = (n as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? name.text : undefined;
}

export class Resolver {
  private readonly modules = new Map<string, ModuleInfo | null>();
  private readonly callIndex = new Map<string, Ref[]>();
  private readonly subclassIndex = new Map<string, Ref[]>();
  private depth = 0;
  /** Nodes whose values are being computed (cycle guard for `values`). */
  private readonly evaluating = new Set<ts.Node>();

  constructor(
    private readonly ctx: AnalyzerContext,
    private readonly config = new ConfigValues(ctx),
  ) {}

  /** An environment variable read in `file`: its value where the repository declares one, else the name. */
  private envVal(env: string, file: string): Val {
    const d = this.config.lookup(env, file);
    return d ? { text: d.value, env, declaredAt: d.at, via: [] } : { env, via: [] };
  }

  /** Let go of every module read and index built (and so of the trees behind them). */
  forget(): void {
    this.modules.clear();
    this.callIndex.clear();
    this.subclassIndex.clear();
    this.evaluating.clear();
  }

  /** The discovered file a specifier imported from `file` refers to (the run's shared resolver). */
  private resolveModule(file: string, specifier: string): string | undefined {
    return this.ctx.resolveImport(file, specifier);
  }

  line(file: string, node: ts.Node): number {
    return lineOf(node.getSourceFile(), node);
  }

  loc(ref: Ref): Loc {
    return { file: ref.file, line: this.line(ref.file, ref.node) };
  }

  sourceFile(file: string): ts.SourceFile | undefined {
    return this.ctx.sourceFile(file) as ts.SourceFile | undefined;
  }

  module(file: string): ModuleInfo | undefined {
    const hit = this.modules.get(file);
    if (hit !== undefined) return hit ?? undefined;
    const sf = this.sourceFile(file);
    let info: ModuleInfo | null = null;
    if (sf) {
      info = { sf, imports: new Map(), locals: new Map(), exportAliases: new Map(), reexports: new Map(), stars: [] };
      for (const st of sf.statements) this.indexStatement(info, st);
    }
    this.modules.set(file, info);
    return info ?? undefined;
  }

  private indexStatement(info: ModuleInfo, st: ts.Statement): void {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.name) info.imports.set(clause.name.text, { spec, name: 'default' });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) info.imports.set(nb.name.text, { spec, name: '*' });
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) info.imports.set(el.name.text, { spec, name: (el.propertyName ?? el.name).text });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) {
          info.locals.set(d.name.text, d);
          // const x = require('./y')
          const req = d.initializer && requireSpecifier(unwrapAwait(d.initializer));
          if (req !== undefined) info.imports.set(d.name.text, { spec: req, name: '*' });
        } else if (ts.isObjectBindingPattern(d.name)) {
          const req = d.initializer && requireSpecifier(unwrapAwait(d.initializer));
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            if (req) info.imports.set(el.name.text, { spec: req, name: propName(el.propertyName) ?? el.name.text });
            else info.locals.set(el.name.text, el);
          }
        }
      }
    } else if (ts.isEnumDeclaration(st) || ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isModuleDeclaration(st)) {
      const name = declName(st);
      if (name) info.locals.set(name, st);
      const isDefault = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (isDefault && name) info.exportAliases.set('default', name);
    } else if (ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (!clause && spec) info.stars.push(spec);
      else if (clause && ts.isNamespaceExport(clause) && spec) info.reexports.set(clause.name.text, { spec, name: '*' });
      else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (spec) info.reexports.set(el.name.text, { spec, name: local });
          else info.exportAliases.set(el.name.text, local);
        }
      }
    } else if (ts.isExportAssignment(st)) {
      info.defaultExport = st.expression;
    }
  }

  /** The declaration a module exports under `name` (following re-exports), or the module itself for '*'. */
  exportOf(file: string, name: string, seen = new Set<string>()): Ref | undefined {
    const key = `${file}#${name}`;
    if (seen.has(key) || seen.size > 40) return undefined;
    seen.add(key);
    const info = this.module(file);
    if (!info) return undefined;
    if (name === '*') return { file, node: info.sf };
    if (name === 'default' && info.defaultExport) return { file, node: info.defaultExport };
    const local = info.exportAliases.get(name) ?? name;
    const decl = info.locals.get(local);
    if (decl) return { file, node: decl };
    const imp = info.imports.get(local);
    if (imp && info.exportAliases.has(name)) return this.importTarget(file, imp, seen);
    const re = info.reexports.get(name);
    if (re) {
      const target = this.resolveModule(file, re.spec);
      return target ? this.exportOf(target, re.name, seen) : undefined;
    }
    for (const spec of info.stars) {
      const target = this.resolveModule(file, spec);
      const found = target ? this.exportOf(target, name, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** `seen` is shared with the caller so that modules re-exporting a name from each other end. */
  private importTarget(file: string, imp: { spec: string; name: string }, seen = new Set<string>()): Ref | undefined {
    const target = this.resolveModule(file, imp.spec);
    return target ? this.exportOf(target, imp.name, seen) : undefined;
  }

  /** Where an identifier is declared: enclosing scopes first, then the module, then its imports. */
  lookup(id: ts.Identifier, file: string): Ref | undefined {
    const name = id.text;
    let child: ts.Node = id;
    for (let n: ts.Node | undefined = id.parent; n; child = n, n = n.parent) {
      if (isFunctionLike(n)) {
        for (const p of n.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === name) return { file, node: p };
          if (ts.isObjectBindingPattern(p.name))
            for (const el of p.name.elements) if (ts.isIdentifier(el.name) && el.name.text === name) return { file, node: el };
        }
      }
      if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && ts.isVariableDeclarationList(n.initializer)) {
        for (const d of n.initializer.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return { file, node: d };
      }
      if (ts.isSourceFile(n)) break;
      if (hasStatements(n)) {
        for (const st of n.statements) {
          if (ts.isVariableStatement(st)) {
            for (const d of st.declarationList.declarations) {
              if (ts.isIdentifier(d.name) && d.name.text === name) return { file, node: d };
              if (ts.isObjectBindingPattern(d.name))
                for (const el of d.name.elements) if (ts.isIdentifier(el.name) && el.name.text === name) return { file, node: el };
            }
          } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && declName(st) === name) {
            return { file, node: st };
          }
        }
      }
      void child;
    }
    const info = this.module(file);
    if (!info) return undefined;
    const local = info.locals.get(name);
    if (local) return { file, node: local };
    const imp = info.imports.get(name);
    if (imp) return this.importTarget(file, imp);
    return undefined;
  }

  /**
   * The package export an expression stands for, through local aliases and conditionals:
   * `import { Queue } from 'bullmq'` → { spec: 'bullmq', name: 'Queue' }; also `ns.Queue`,
   * `require('m').X` and `const Q = pro ? require('m').QueuePro : Queue`.
   */
  externals(expr: ts.Node, file: string, depth = 0): { spec: string; name: string }[] {
    if (depth > 4) return [];
    const e = unwrapAwait(expr);
    if (ts.isConditionalExpression(e)) return [...this.externals(e.whenTrue, file, depth + 1), ...this.externals(e.whenFalse, file, depth + 1)];
    if (ts.isPropertyAccessExpression(e)) {
      const base = unwrapAwait(e.expression);
      const req = requireSpecifier(base);
      if (req !== undefined) return [{ spec: req, name: e.name.text }];
      if (ts.isIdentifier(base)) {
        const imp = this.module(file)?.imports.get(base.text);
        if (imp?.name === '*' && !this.resolveModule(file, imp.spec)) return [{ spec: imp.spec, name: e.name.text }];
      }
      return [];
    }
    if (!ts.isIdentifier(e)) return [];
    const direct = this.module(file)?.imports.get(e.text);
    if (direct && !direct.spec.startsWith('.') && !this.resolveModule(file, direct.spec)) return [{ spec: direct.spec, name: direct.name }];
    // Only class-like names are worth following through aliases and re-exports (cost).
    if (!/Queue|Worker|Flow|Command|Bull|Producer|Events|Scheduler|Class|Ctor/.test(e.text)) return [];
    const local = this.lookup(e, file);
    if (local && ts.isVariableDeclaration(local.node) && local.node.initializer) return this.externals(local.node.initializer, local.file, depth + 1);
    if (local) return [];
    const imp = this.module(file)?.imports.get(e.text);
    if (!imp) return [];
    const target = this.resolveModule(file, imp.spec);
    if (!target) return [{ spec: imp.spec, name: imp.name }];
    // Re-exported by a module of the repository (`export { Queue } from 'bullmq'`)?
    return this.reexportedExternal(target, imp.name, 0);
  }

  private reexportedExternal(file: string, name: string, depth: number): { spec: string; name: string }[] {
    const info = this.module(file);
    if (!info || depth > 4) return [];
    const re = info.reexports.get(name);
    if (re) {
      const t = this.resolveModule(file, re.spec);
      return t ? this.reexportedExternal(t, re.name, depth + 1) : [{ spec: re.spec, name: re.name }];
    }
    const local = info.exportAliases.get(name) ?? name;
    const imp = info.imports.get(local);
    if (imp) {
      const t = this.resolveModule(file, imp.spec);
      return t ? this.reexportedExternal(t, imp.name, depth + 1) : [{ spec: imp.spec, name: imp.name }];
    }
    const decl = info.locals.get(local);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return this.externals(decl.initializer, file, depth + 1);
    for (const spec of info.stars) {
      const t = this.resolveModule(file, spec);
      const found = t ? this.reexportedExternal(t, name, depth + 1) : [];
      if (found.length) return found;
    }
    return [];
  }

  /** Follow an expression to the nodes it stands for (literals, objects, enums, classes, parameters…). */
  deref(expr: ts.Node, file: string): Ref[] {
    if (this.depth > MAX_DEPTH) return [];
    this.depth++;
    try {
      return this.derefInner(unwrapAwait(expr), file);
    } finally {
      this.depth--;
    }
  }

  private derefInner(e: ts.Node, file: string): Ref[] {
    if (envName(e)) return [{ file, node: e }];
    if (ts.isIdentifier(e)) {
      const decl = this.lookup(e, file);
      return decl ? this.derefDecl(decl) : [];
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const key = ts.isPropertyAccessExpression(e) ? e.name.text : this.staticKey(e.argumentExpression, file);
      if (key === undefined) return [];
      if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return this.thisMember(e, key, file);
      const out: Ref[] = [];
      for (const obj of this.deref(e.expression, file)) out.push(...withVia(this.member(obj, key), obj.via));
      return out;
    }
    if (ts.isConditionalExpression(e)) return [...this.deref(e.whenTrue, file), ...this.deref(e.whenFalse, file)];
    return [{ file, node: e }];
  }

  private staticKey(e: ts.Expression, file: string): string | undefined {
    const vals = this.values(e, file);
    return vals.length === 1 && vals[0]!.text !== undefined ? vals[0]!.text : undefined;
  }

  private derefDecl(decl: Ref): Ref[] {
    const n = decl.node;
    if (ts.isVariableDeclaration(n)) {
      if (n.parent && ts.isVariableDeclarationList(n.parent) && n.parent.parent && ts.isForOfStatement(n.parent.parent)) {
        return this.elements(n.parent.parent.expression, decl.file);
      }
      return n.initializer ? this.deref(n.initializer, decl.file) : [];
    }
    if (ts.isBindingElement(n)) {
      const key = propName(n.propertyName) ?? (ts.isIdentifier(n.name) ? n.name.text : undefined);
      const pattern = n.parent;
      const holder = pattern.parent;
      if (key === undefined) return [];
      if (ts.isVariableDeclaration(holder) && holder.initializer) {
        return this.deref(holder.initializer, decl.file).flatMap((r) => this.member(r, key));
      }
      if (ts.isParameter(holder)) return [{ file: decl.file, node: n }];
      return [];
    }
    if (ts.isParameter(n)) {
      // (name) => … inside `list.map(…)` / `forEach`: the elements of the list.
      const fn = n.parent;
      if (
        (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
        fn.parameters[0] === n &&
        ts.isCallExpression(fn.parent) &&
        ts.isPropertyAccessExpression(fn.parent.expression) &&
        ['map', 'forEach', 'flatMap'].includes(fn.parent.expression.name.text)
      ) {
        return this.elements(fn.parent.expression.expression, decl.file);
      }
      return [decl];
    }
    return [decl];
  }

  /** The elements of an array-like expression: array literals, Object.values/keys of enums and objects. */
  elements(expr: ts.Expression, file: string): Ref[] {
    const e = unwrapAwait(expr);
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      ts.isIdentifier(e.expression.expression) &&
      e.expression.expression.text === 'Object' &&
      e.arguments[0]
    ) {
      const which = e.expression.name.text;
      const out: Ref[] = [];
      for (const r of this.deref(e.arguments[0], file)) {
        if (ts.isEnumDeclaration(r.node)) {
          for (const m of r.node.members) out.push(which === 'keys' ? { file: r.file, node: m.name } : { file: r.file, node: m });
        } else if (ts.isObjectLiteralExpression(r.node)) {
          for (const p of r.node.properties) {
            if (which === 'keys' && p.name) out.push({ file: r.file, node: p.name });
            else if (ts.isPropertyAssignment(p)) out.push(...this.deref(p.initializer, r.file));
            else if (ts.isShorthandPropertyAssignment(p)) out.push(...this.deref(p.name, r.file));
          }
        }
      }
      return out;
    }
    const out: Ref[] = [];
    for (const r of this.deref(e, file)) {
      if (ts.isArrayLiteralExpression(r.node)) for (const el of r.node.elements) out.push(...this.deref(el, r.file));
    }
    return out;
  }

  /** `obj.key` where obj is an object literal, enum, class (static), module namespace or array. */
  member(obj: Ref, key: string): Ref[] {
    const n = obj.node;
    if (ts.isObjectLiteralExpression(n)) {
      for (let i = n.properties.length - 1; i >= 0; i--) {
        const p = n.properties[i]!;
        if (ts.isSpreadAssignment(p)) {
          const inner = this.deref(p.expression, obj.file).flatMap((r) => this.member(r, key));
          if (inner.length) return inner;
          continue;
        }
        if (propName(p.name as ts.PropertyName) !== key) continue;
        if (ts.isPropertyAssignment(p)) return this.deref(p.initializer, obj.file);
        if (ts.isShorthandPropertyAssignment(p)) return this.deref(p.name, obj.file);
        if (ts.isGetAccessor(p) || ts.isMethodDeclaration(p)) return this.returned(p, obj.file);
      }
      return [];
    }
    if (ts.isEnumDeclaration(n)) {
      const m = n.members.find((x) => propName(x.name) === key);
      return m ? [{ file: obj.file, node: m }] : [];
    }
    if (ts.isClassDeclaration(n)) {
      for (const m of n.members) {
        if (propName(m.name as ts.PropertyName) !== key) continue;
        if (ts.isPropertyDeclaration(m) && m.initializer) return this.deref(m.initializer, obj.file);
        if (ts.isGetAccessor(m)) return this.returned(m, obj.file);
      }
      return [];
    }
    if (ts.isSourceFile(n)) {
      const ex = this.exportOf(obj.file, key);
      return ex ? this.derefDecl(ex) : [];
    }
    if (ts.isModuleDeclaration(n) && n.body && ts.isModuleBlock(n.body)) {
      for (const st of n.body.statements) {
        if (ts.isVariableStatement(st)) {
          for (const d of st.declarationList.declarations)
            if (ts.isIdentifier(d.name) && d.name.text === key) return this.derefDecl({ file: obj.file, node: d });
        } else if (declName(st) === key) return [{ file: obj.file, node: st }];
      }
    }
    if (ts.isArrayLiteralExpression(n) && /^\d+$/.test(key)) {
      const el = n.elements[Number(key)];
      return el ? this.deref(el, obj.file) : [];
    }
    // An injected or constructed instance (`constructor(private config: OrdersConfig)`,
    // `config = new OrdersConfig()`): the member of that class (a getter, a field, a constructor assignment).
    const cls = this.instanceClass(obj);
    if (cls) return withVia(this.classMember(cls, key, 0), obj.via);
    return [];
  }

  /** The repository class an instance stands for: the type of a parameter/property, or `new C()`. */
  private instanceClass(obj: Ref): Ref | undefined {
    const n = obj.node;
    let id: ts.Node | undefined;
    if ((ts.isParameter(n) || ts.isPropertyDeclaration(n)) && n.type && ts.isTypeReferenceNode(n.type)) id = n.type.typeName;
    else if (ts.isNewExpression(n)) id = n.expression;
    if (!id || !ts.isIdentifier(id)) return undefined;
    const decl = this.lookup(id, obj.file);
    return decl && ts.isClassDeclaration(decl.node) ? decl : undefined;
  }

  private returned(fn: ts.FunctionLikeDeclaration, file: string): Ref[] {
    if (!fn.body) return [];
    if (!ts.isBlock(fn.body)) return this.deref(fn.body, file);
    const out: Ref[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression) out.push(...this.deref(n.expression, file));
      else if (!isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn.body, visit);
    return out;
  }

  private enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
      if (ts.isClassDeclaration(p) || ts.isClassExpression(p)) return p;
    }
    return undefined;
  }

  /** `this.key` inside a class: own member, base class member, or what subclasses set it to. */
  private thisMember(e: ts.Node, key: string, file: string): Ref[] {
    const cls = this.enclosingClass(e);
    if (!cls) return [];
    return this.classMember({ file, node: cls }, key, 0);
  }

  classMember(cls: Ref, key: string, level: number): Ref[] {
    const c = cls.node as ts.ClassLikeDeclaration;
    const own = this.ownMember(cls, key);
    // An uninitialised, undecorated property (often abstract) is set elsewhere: look further.
    const open = (r: Ref) => ts.isPropertyDeclaration(r.node) && !r.node.modifiers?.some((m) => m.kind === ts.SyntaxKind.Decorator);
    if (own.length && !own.every(open)) return own.filter((r) => !open(r));
    const out: Ref[] = [...own.filter((r) => !ts.isPropertyDeclaration(r.node))];
    if (level < 3) {
      // Set by a base class?
      const heritage = c.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (heritage && own.length === 0) {
        for (const base of this.deref(heritage.expression, cls.file)) {
          if (ts.isClassDeclaration(base.node)) out.push(...this.classMember(base, key, level + 1));
        }
      }
      // Or declared (abstract / uninitialised) here and set by subclasses.
      if (out.length === 0 && c.name) {
        for (const sub of this.subclassesOf(c.name.text)) out.push(...withVia(this.classMember(sub, key, level + 1), [this.loc(sub)]));
      }
    }
    if (out.length === 0) out.push(...own);
    return out;
  }

  private ownMember(cls: Ref, key: string): Ref[] {
    const c = cls.node as ts.ClassLikeDeclaration;
    const out: Ref[] = [];
    for (const m of c.members) {
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === key && (p.modifiers?.length ?? 0) > 0) out.push({ file: cls.file, node: p });
        }
        if (m.body) {
          const visit = (n: ts.Node): void => {
            if (
              ts.isBinaryExpression(n) &&
              n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
              ts.isPropertyAccessExpression(n.left) &&
              n.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
              n.left.name.text === key
            ) {
              out.push(...this.deref(n.right, cls.file));
            } else if (!isFunctionLike(n) || ts.isArrowFunction(n)) ts.forEachChild(n, visit);
          };
          visit(m.body);
        }
        continue;
      }
      if (propName(m.name as ts.PropertyName) !== key) continue;
      if (ts.isPropertyDeclaration(m)) out.push(...(m.initializer ? this.deref(m.initializer, cls.file) : [{ file: cls.file, node: m }]));
      else if (ts.isGetAccessor(m)) out.push(...this.returned(m, cls.file));
    }
    return out;
  }

  /** Classes anywhere in the repository declared `extends <name>`. */
  subclassesOf(name: string): Ref[] {
    const hit = this.subclassIndex.get(name);
    if (hit) return hit;
    const out: Ref[] = [];
    const re = new RegExp(`extends\\s+(?:[\\w$]+\\.)?${name.replace(/\$/g, '\\$')}\\b`);
    for (const file of this.ctx.typescriptFiles()) {
      if (isTest(file)) continue;
      const text = this.ctx.read(file);
      if (!text || !re.test(text)) continue;
      const sf = this.sourceFile(file);
      if (!sf) continue;
      const visit = (n: ts.Node): void => {
        if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.heritageClauses) {
          const t = n.heritageClauses.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
          const tn = t && (ts.isIdentifier(t) ? t.text : ts.isPropertyAccessExpression(t) ? t.name.text : undefined);
          if (tn === name) out.push({ file, node: n });
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      if (out.length > MAX_SITES) break;
    }
    this.subclassIndex.set(name, out);
    return out;
  }

  /** Name of the top-level (or exported) class whose body holds a line of a file. */
  classAt(file: string, line: number): string | undefined {
    const sf = this.sourceFile(file);
    if (!sf) return undefined;
    for (const st of sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name) continue;
      const from = lineOf(sf, st);
      const to = sf.getLineAndCharacterOfPosition(st.end).line + 1;
      if (line >= from && line <= to) return st.name.text;
    }
    return undefined;
  }

  /**
   * Where a class is used: constructor parameters and properties typed with it (injection),
   * `new C(…)` and `extends C`. Tests excluded.
   */
  usesOf(name: string): Ref[] {
    const key = `uses:${name}`;
    const hit = this.callIndex.get(key);
    if (hit) return hit;
    const out: Ref[] = [];
    const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
    for (const file of this.ctx.typescriptFiles()) {
      if (isTest(file)) continue;
      const text = this.ctx.read(file);
      if (!text || !word.test(text)) continue;
      const sf = this.sourceFile(file);
      if (!sf) continue;
      const visit = (n: ts.Node): void => {
        if ((ts.isParameter(n) || ts.isPropertyDeclaration(n)) && n.type && ts.isTypeReferenceNode(n.type) && n.type.typeName.getText(sf) === name)
          out.push({ file, node: n });
        else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) out.push({ file, node: n });
        else if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ExtendsKeyword && n.types[0]?.expression.getText(sf) === name)
          out.push({ file, node: n.parent });
        ts.forEachChild(n, visit);
      };
      visit(sf);
      if (out.length > MAX_SITES * 4) break;
    }
    this.callIndex.set(key, out);
    return out;
  }

  /** Call sites `name(…)`, `x.name(…)`, `new name(…)` anywhere in the repository (tests excluded). */
  callsTo(name: string): Ref[] {
    const hit = this.callIndex.get(name);
    if (hit) return hit;
    const out: Ref[] = [];
    const needle = name + '(';
    for (const file of this.ctx.typescriptFiles()) {
      if (isTest(file)) continue;
      const text = this.ctx.read(file);
      if (!text || !text.includes(needle)) continue;
      const sf = this.sourceFile(file);
      if (!sf) continue;
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
          const callee = n.expression;
          const cn = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
          if (cn === name) out.push({ file, node: n });
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      if (out.length > MAX_SITES) break;
    }
    this.callIndex.set(name, out);
    return out;
  }

  /** Arguments passed for parameter `index` of the function/constructor `fn`, with their call sites. */
  argumentsFor(fn: ts.SignatureDeclaration, index: number, file: string): { arg: ts.Expression; site: Ref }[] {
    const out: { arg: ts.Expression; site: Ref }[] = [];
    const take = (call: Ref) => {
      const args = (call.node as ts.CallExpression | ts.NewExpression).arguments;
      const a = args?.[index];
      if (a) out.push({ arg: a, site: call });
    };
    if (ts.isConstructorDeclaration(fn)) {
      const cls = fn.parent;
      if (!cls.name) return out;
      for (const call of this.callsTo(cls.name.text)) if (ts.isNewExpression(call.node)) take(call);
      for (const sub of this.subclassesOf(cls.name.text)) {
        const subCls = sub.node as ts.ClassLikeDeclaration;
        const ctor = subCls.members.find(ts.isConstructorDeclaration);
        if (ctor?.body) {
          const visit = (n: ts.Node): void => {
            if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) take({ file: sub.file, node: n });
            else ts.forEachChild(n, visit);
          };
          visit(ctor.body);
        } else if (!ctor && subCls.name) {
          for (const call of this.callsTo(subCls.name.text)) if (ts.isNewExpression(call.node)) take(call);
        }
      }
      return out;
    }
    let name: string | undefined;
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) name = propName(fn.name);
    else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
      name = fn.parent.name.text;
    else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyAssignment(fn.parent)) name = propName(fn.parent.name);
    if (!name || name.length < 4) return out;
    for (const call of this.callsTo(name)) if (ts.isCallExpression(call.node)) take(call);
    return out;
  }

  /**
   * The string values an expression can take, with environment variable names where read from env.
   * Bounded twice: by depth, and by refusing to re-enter a node already being evaluated (a
   * constant defined through itself, a parameter passed back into its own function).
   */
  values(expr: ts.Node, file: string): Val[] {
    if (this.depth > MAX_DEPTH) return [];
    const e = unwrapAwait(expr);
    if (this.evaluating.has(e)) return [];
    this.depth++;
    this.evaluating.add(e);
    try {
      return dedupe(this.valuesInner(e, file));
    } finally {
      this.evaluating.delete(e);
      this.depth--;
    }
  }

  private valuesInner(e: ts.Node, file: string): Val[] {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return [{ text: e.text, via: [] }];
    if (ts.isIdentifier(e) && e.text === 'undefined') return [];
    const env = envName(e);
    if (env) return [this.envVal(env, file)];
    if (ts.isTemplateExpression(e)) {
      let parts: Val[] = [{ text: e.head.text, via: [] }];
      for (const span of e.templateSpans) {
        const vs = this.values(span.expression, file);
        const options: Val[] = vs.length ? vs.slice(0, 4) : [{ text: `{${span.expression.getText(e.getSourceFile())}}`, via: [] }];
        parts = parts.flatMap((p) =>
          options.map((o) => ({ text: (p.text ?? '') + (o.text ?? `{${o.env}}`) + span.literal.text, env: p.env ?? o.env, via: [...p.via, ...o.via] })),
        );
      }
      return parts;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken) {
        const l = this.values(e.left, file);
        const r = this.values(e.right, file);
        if (!l.length || !r.length) return [];
        return l.flatMap((a) => r.map((b) => ({ text: (a.text ?? `{${a.env}}`) + (b.text ?? `{${b.env}}`), via: [...a.via, ...b.via] })));
      }
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        const l = this.values(e.left, file);
        const r = this.values(e.right, file);
        // `process.env.QUEUE ?? 'orders'`: the literal is the name; the env var may override it.
        const envs = l.filter((v) => v.env && (v.text === undefined || v.declaredAt));
        if (envs.length && r.length) return r.map((v) => ({ ...v, env: v.env ?? envs[0]!.env }));
        return [...l, ...r];
      }
      return [];
    }
    if (ts.isCallExpression(e)) {
      // configService.get('ORDERS_QUEUE_URL') and friends: the environment variable name.
      const key = configKey(e);
      if (key === undefined) return [];
      const def = e.arguments[1] ? this.values(e.arguments[1], file).filter((v) => v.text !== undefined) : [];
      return def.length ? def.map((d) => ({ ...d, env: key })) : [this.envVal(key, file)];
    }
    const out: Val[] = [];
    for (const ref of this.deref(e, file)) {
      // deref gives back the expression itself when it is no reference (a callback, `new X()`):
      // there is nothing more to follow, and following it again would never end.
      if (unwrapAwait(ref.node) === e) continue;
      for (const v of this.refValues(ref)) out.push(ref.via?.length ? { ...v, via: [...ref.via, ...v.via] } : v);
    }
    return out;
  }

  private refValues(ref: Ref): Val[] {
    const n = ref.node;
    const env = envName(n);
    if (env) return [this.envVal(env, ref.file)];
    if (ts.isEnumMember(n)) {
      if (n.initializer) return this.values(n.initializer, ref.file);
      return [{ text: propName(n.name) ?? '', via: [] }];
    }
    if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return [{ text: n.text, via: [] }];
    if (ts.isParameter(n) || ts.isBindingElement(n)) return this.parameterValues(ref);
    if (
      ts.isPropertyDeclaration(n) ||
      ts.isVariableDeclaration(n) ||
      ts.isClassDeclaration(n) ||
      ts.isEnumDeclaration(n) ||
      ts.isObjectLiteralExpression(n) ||
      ts.isSourceFile(n)
    )
      return [];
    const u = unwrapAwait(n);
    if (u === n && (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u) || ts.isConditionalExpression(u))) return [];
    return this.values(u, ref.file);
  }

  /** A parameter's value: its default, else what every call site passes (fan-out, bounded). */
  private parameterValues(ref: Ref): Val[] {
    let param: ts.ParameterDeclaration;
    let key: string | undefined;
    if (ts.isBindingElement(ref.node)) {
      const holder = ref.node.parent.parent;
      if (!ts.isParameter(holder)) return [];
      param = holder;
      key = propName(ref.node.propertyName) ?? (ts.isIdentifier(ref.node.name) ? ref.node.name.text : undefined);
      if (ref.node.initializer) {
        const d = this.values(ref.node.initializer, ref.file);
        if (d.length) return d;
      }
    } else {
      param = ref.node as ts.ParameterDeclaration;
      if (param.initializer) {
        const d = this.values(param.initializer, ref.file);
        if (d.length) return d;
      }
    }
    const fn = param.parent;
    if (!isFunctionLike(fn)) return [];
    const index = fn.parameters.indexOf(param);
    const out: Val[] = [];
    for (const { arg, site } of this.argumentsFor(fn, index, ref.file)) {
      const siteLoc = this.loc(site);
      let vals: Val[];
      if (key !== undefined)
        vals = this.deref(arg, site.file)
          .flatMap((r) => this.member(r, key!))
          .flatMap((r) => this.refValues(r));
      else vals = this.values(arg, site.file);
      for (const v of vals) out.push({ ...v, via: [siteLoc, ...v.via] });
    }
    return out;
  }
}

/** Values once each (by text, variable and the sites they came through), in order. */
export function dedupe(vals: Val[]): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const v of vals) {
    const k = `${v.text ?? ''}\u0000${v.env ?? ''}\u0000${v.via.map((l) => `${l.file}:${l.line}`).join(',')}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}
