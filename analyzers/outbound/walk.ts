/**
 * The one walk over a source file for outbound dependencies and call tracing. It records, without
 * interpreting anything: imports and exports, module-level bindings, classes (fields with their
 * types and decorators, methods, base class), every function (named or inline) with the calls it
 * makes in source order, and which if/else arm each call sits in. `resolve.ts` gives meaning.
 */
import ts from '../../src/analyzer/typescript.cjs';

/** A literal-ish summary of one argument. */
export interface Arg {
  str?: string;
  num?: number;
  /** Identifier (or `a.b` text) when the argument is a reference. */
  ref?: string;
  /** Inline function passed as the argument. */
  fn?: string;
  /** Object literal properties (one level). */
  props?: Record<string, Arg>;
  /** `process.env.X` / `env('X')` / `config.get('X')` names inside the argument. */
  env?: string[];
  /** `new X(...)` as the argument (AWS SDK v3 commands: `client.send(new PutObjectCommand())`). */
  newOf?: string;
  /** Template literal: the expression placed first (`${BASE}/x` → BASE) and the literal rest. */
  head?: string;
  rest?: string;
}

export interface CallSite {
  line: number;
  /** Identifier at the root of the callee: `prisma`, `this`, `axios`, `fetch`. */
  root: string;
  /** Property names after the root, in order; `()` marks an intermediate call. */
  names: string[];
  isNew: boolean;
  args: Arg[];
  /** Arguments of intermediate calls in the chain (`knex('orders').insert()` → [['orders']]). */
  innerArgs: Arg[][];
  branch?: { id: string; arm: 'then' | 'else'; cond: string };
}

export interface Fn {
  key: string;
  file: string;
  /** Readable name: `createOrder`, `OrdersService.create`, `<callback>`. */
  name: string;
  cls?: string;
  line: number;
  /** Line of the name (methods: after decorators). */
  nameLine: number;
  endLine: number;
  calls: CallSite[];
  /** Local variables initialised from a call or a function, by name. */
  locals: Map<string, Binding>;
  /** Parameter name → type name (first identifier of the annotation). */
  params: Map<string, string>;
  parent?: string;
  decorators: Deco[];
}

export interface Deco {
  name: string;
  args: Arg[];
  line: number;
}

export type Binding =
  | { kind: 'call'; call: CallSite; line: number; env: string[] }
  | { kind: 'fn'; key: string; line: number }
  | { kind: 'object'; methods: Map<string, string>; props: Map<string, Binding>; line: number }
  | { kind: 'value'; arg: Arg; line: number };

export interface Field {
  type?: string;
  typeArgs: string[];
  decorators: Deco[];
  init?: Binding;
  line: number;
}

export interface ClassInfo {
  name: string;
  file: string;
  line: number;
  extends?: { root: string; names: string[] };
  /** Names in the `implements` clause (interfaces, or abstract classes used as ports). */
  implements: string[];
  fields: Map<string, Field>;
  methods: Map<string, string>;
  decorators: Deco[];
}

export interface FileIndex {
  file: string;
  imports: Map<string, { module: string; name: string; line: number }>;
  /** Exported name → local name (`default` included). */
  exports: Map<string, string>;
  /** `export { a as b } from './x'`: exported name → module and name there. */
  reexports: Map<string, { module: string; name: string }>;
  starExports: string[];
  vars: Map<string, Binding>;
  functions: Map<string, Fn>;
  classes: Map<string, ClassInfo>;
  /** Module-level calls (statements outside functions): routes, workers, schedules. */
  topLevel: Fn;
}

const ENV_GETTERS = new Set(['get', 'getOrThrow', 'env', 'str', 'num', 'bool', 'url', 'port', 'host']);

export function indexFile(file: string, sf: ts.SourceFile): FileIndex {
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const startLine = (n: ts.Node) => line(n.getStart(sf));
  const idx: FileIndex = {
    file,
    imports: new Map(),
    exports: new Map(),
    reexports: new Map(),
    starExports: [],
    vars: new Map(),
    functions: new Map(),
    classes: new Map(),
    topLevel: newFn(file, '<module>', '<module>', 1, 1, line(sf.end)),
  };
  idx.functions.set(idx.topLevel.key, idx.topLevel);
  let anon = 0;

  function newFn(f: string, key: string, name: string, l: number, nameLine: number, end: number): Fn {
    return { key: `${f}#${key}`, file: f, name, line: l, nameLine, endLine: end, calls: [], locals: new Map(), params: new Map(), decorators: [] };
  }

  const envNames = (node: ts.Node): string[] => {
    const out: string[] = [];
    const visit = (n: ts.Node) => {
      if (ts.isPropertyAccessExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'env' && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'process') {
        out.push(n.name.text);
      } else if (ts.isElementAccessExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'env' && ts.isStringLiteralLike(n.argumentExpression)) {
        out.push(n.argumentExpression.text);
      } else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!) && /^[A-Z][A-Z0-9_]{2,}$/.test(n.arguments[0].text)) {
        const callee = n.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (ENV_GETTERS.has(name)) out.push(n.arguments[0].text);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  };

  const typeName = (t: ts.TypeNode | undefined): { name?: string; args: string[] } => {
    if (!t) return { args: [] };
    if (ts.isTypeReferenceNode(t)) {
      const n = t.typeName;
      const name = ts.isIdentifier(n) ? n.text : n.right.text;
      const args = (t.typeArguments ?? []).map((a) => (ts.isTypeReferenceNode(a) ? a.typeName.getText(sf) : a.getText(sf)));
      return { name, args };
    }
    if (ts.isUnionTypeNode(t)) return typeName(t.types.find((x) => ts.isTypeReferenceNode(x)));
    return { args: [] };
  };

  const unwrap = (e: ts.Expression): ts.Expression => {
    let x = e;
    for (;;) {
      if (ts.isAwaitExpression(x) || ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x)) x = x.expression;
      else return x;
    }
  };

  function argOf(e: ts.Expression, owner: Fn): Arg {
    const x = unwrap(e);
    if (ts.isStringLiteralLike(x)) return { str: x.text };
    if (ts.isNumericLiteral(x)) return { num: Number(x.text) };
    if (ts.isTemplateExpression(x)) {
      const first = x.templateSpans[0];
      const head = x.head.text === '' && first ? first.expression.getText(sf) : undefined;
      const rest = head !== undefined ? first!.literal.text : x.head.text;
      return { head, rest, str: head === undefined ? x.head.text : undefined, env: envNames(x) };
    }
    if (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) {
      const env = envNames(x);
      return env.length ? { ref: x.getText(sf), env } : { ref: x.getText(sf) };
    }
    if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return { fn: visitFunction(x, owner, '<callback>', undefined) };
    if (ts.isObjectLiteralExpression(x)) {
      const props: Record<string, Arg> = {};
      for (const p of x.properties) {
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props[p.name.text] = argOf(p.initializer, owner);
        else if (ts.isShorthandPropertyAssignment(p)) props[p.name.text] = { ref: p.name.text };
        else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name)) props[p.name.text] = { fn: visitFunction(p, owner, p.name.text, undefined) };
      }
      const env = envNames(x);
      return env.length ? { props, env } : { props };
    }
    if (ts.isNewExpression(x) && ts.isIdentifier(x.expression)) {
      const call = callSite(x, owner, undefined);
      if (call) owner.calls.push(call);
      const env = envNames(x);
      return env.length ? { newOf: x.expression.text, env } : { newOf: x.expression.text };
    }
    // Anything else (conditional, binary `a ?? b`): keep env names and walk for calls and callbacks.
    walk(x, owner);
    const env = envNames(x);
    return env.length ? { env } : {};
  }

  /** Decompose a callee into root identifier + names; intermediate calls' arguments kept. */
  function callSite(call: ts.CallExpression | ts.NewExpression, owner: Fn, branch: CallSite['branch']): CallSite | undefined {
    const names: string[] = [];
    const innerArgs: Arg[][] = [];
    let e: ts.Expression = call.expression;
    for (;;) {
      e = unwrap(e);
      if (ts.isPropertyAccessExpression(e)) {
        names.unshift(e.name.text);
        e = e.expression;
      } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
        names.unshift(e.argumentExpression.text);
        e = e.expression;
      } else if (ts.isCallExpression(e)) {
        names.unshift('()');
        innerArgs.unshift(e.arguments.map((a) => argOf(a, owner)));
        e = e.expression;
      } else break;
    }
    let root: string;
    if (ts.isIdentifier(e)) root = e.text;
    else if (e.kind === ts.SyntaxKind.ThisKeyword) root = 'this';
    else if (e.kind === ts.SyntaxKind.SuperKeyword) root = 'super';
    else {
      walk(e, owner);
      return undefined;
    }
    return {
      line: startLine(call),
      root,
      names,
      isNew: ts.isNewExpression(call),
      args: (call.arguments ?? []).map((a) => argOf(a, owner)),
      innerArgs,
      branch,
    };
  }

  const decoratorsOf = (n: ts.Node, owner: Fn): Deco[] => {
    const out: Deco[] = [];
    for (const d of ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : []) {
      const ex = d.expression;
      const callee = ts.isCallExpression(ex) ? ex.expression : ex;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      out.push({ name, args: ts.isCallExpression(ex) ? ex.arguments.map((a) => argOf(a, owner)) : [], line: startLine(d) });
    }
    return out;
  };

  function bindingOf(init: ts.Expression, owner: Fn, name: string, cls?: string, branch?: CallSite['branch']): Binding {
    const x = unwrap(init);
    const l = startLine(init);
    if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return { kind: 'fn', key: visitFunction(x, owner, name, cls), line: l };
    if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
      const call = callSite(x, owner, branch);
      if (call) {
        owner.calls.push(call);
        return { kind: 'call', call, line: l, env: envNames(x) };
      }
    }
    // `global.prisma || new PrismaClient()`, `cond ? new A() : new B()`: the side that creates something.
    if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      const right = unwrap(x.right);
      if (ts.isCallExpression(right) || ts.isNewExpression(right) || ts.isArrowFunction(right) || ts.isObjectLiteralExpression(right)) {
        argOf(x.left, owner);
        return bindingOf(right, owner, name, cls, branch);
      }
    }
    if (ts.isConditionalExpression(x)) {
      const pick = [x.whenTrue, x.whenFalse].map(unwrap).find((e) => ts.isCallExpression(e) || ts.isNewExpression(e));
      if (pick) {
        argOf(x.condition, owner);
        for (const other of [x.whenTrue, x.whenFalse]) if (unwrap(other) !== pick) argOf(other, owner);
        return bindingOf(pick, owner, name, cls, branch);
      }
    }
    if (ts.isObjectLiteralExpression(x)) {
      const methods = new Map<string, string>();
      const props = new Map<string, Binding>();
      for (const p of x.properties) {
        const pname = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
        if (!pname) continue;
        if (ts.isMethodDeclaration(p)) methods.set(pname, visitFunction(p, owner, `${name}.${pname}`, undefined));
        else if (ts.isPropertyAssignment(p)) {
          const b = bindingOf(p.initializer, owner, `${name}.${pname}`);
          if (b.kind === 'fn') methods.set(pname, b.key);
          else props.set(pname, b);
        } else if (ts.isShorthandPropertyAssignment(p)) props.set(pname, { kind: 'value', arg: { ref: pname }, line: l });
      }
      return { kind: 'object', methods, props, line: l };
    }
    return { kind: 'value', arg: argOf(x, owner), line: l };
  }

  function visitFunction(node: ts.FunctionLikeDeclaration, parent: Fn, name: string, cls: string | undefined): string {
    const isInline = name === '<callback>';
    const key = isInline ? `${parent.key.slice(file.length + 1)}/<callback>${++anon}` : name;
    const fn = newFn(file, key, isInline ? `${parent.name === '<module>' ? '' : parent.name}<callback>` : name, startLine(node), node.name ? startLine(node.name) : startLine(node), line(node.end));
    if (cls) fn.cls = cls;
    if (parent.key !== idx.topLevel.key || isInline) fn.parent = parent.key;
    fn.decorators = decoratorsOf(node, fn);
    for (const p of node.parameters) {
      if (ts.isIdentifier(p.name)) {
        const t = typeName(p.type);
        if (t.name) fn.params.set(p.name.text, t.name);
      }
    }
    idx.functions.set(fn.key, fn);
    if (node.body) walk(node.body, fn);
    return fn.key;
  }

  function visitClass(node: ts.ClassLikeDeclaration, owner: Fn, name: string): void {
    const info: ClassInfo = { name, file, line: startLine(node), implements: [], fields: new Map(), methods: new Map(), decorators: decoratorsOf(node, owner) };
    for (const h of node.heritageClauses ?? []) {
      if (h.token === ts.SyntaxKind.ImplementsKeyword) {
        for (const t of h.types) info.implements.push(t.expression.getText(sf).split('.').pop()!);
        continue;
      }
      if (!h.types[0]) continue;
      const text = h.types[0].expression.getText(sf).split('.');
      info.extends = { root: text[0]!, names: text.slice(1) };
    }
    idx.classes.set(name, info);
    for (const m of node.members) {
      if (ts.isConstructorDeclaration(m)) {
        const ctorParams = new Map<string, Field>();
        for (const p of m.parameters) {
          if (!ts.isIdentifier(p.name)) continue;
          const t = typeName(p.type);
          const isField = (ts.getModifiers(p)?.length ?? 0) > 0;
          const decos = decoratorsOf(p, owner);
          // Constructor parameters with an access modifier are fields; plain ones are assigned in the body.
          // Plain parameters (no access modifier) become fields only through `this.x = x` below.
          if (isField || decos.length > 0) info.fields.set(p.name.text, { type: t.name, typeArgs: t.args, decorators: decos, line: startLine(p) });
          else ctorParams.set(p.name.text, { type: t.name, typeArgs: t.args, decorators: decos, line: startLine(p) });
        }
        const key = visitFunction(m, owner, `${name}.constructor`, name);
        const ctor = idx.functions.get(key)!;
        // `this.x = new Y()` / `this.x = param` in the constructor body.
        for (const s of m.body?.statements ?? []) {
          if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
          const left = s.expression.left;
          if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
          const right = unwrap(s.expression.right);
          const f = info.fields.get(left.name.text) ?? { typeArgs: [], decorators: [], line: startLine(s) };
          const fromParam = ts.isIdentifier(right) ? (ctorParams.get(right.text) ?? info.fields.get(right.text)) : undefined;
          if (fromParam) {
            info.fields.set(left.name.text, { ...fromParam, line: startLine(s) });
          } else if (ts.isCallExpression(right) || ts.isNewExpression(right)) {
            const call = callSite(right, ctor, undefined);
            if (call) info.fields.set(left.name.text, { ...f, init: { kind: 'call', call, line: startLine(s), env: envNames(right) } });
          }
        }
      } else if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name)) {
        const t = typeName(m.type);
        const field: Field = { type: t.name, typeArgs: t.args, decorators: decoratorsOf(m, owner), line: startLine(m) };
        if (m.initializer) {
          const b = bindingOf(m.initializer, owner, `${name}.${m.name.text}`, name);
          if (b.kind === 'fn') info.methods.set(m.name.text, b.key);
          else field.init = b;
        }
        info.fields.set(m.name.text, field);
      } else if ((ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
        info.methods.set(m.name.text, visitFunction(m, owner, `${name}.${m.name.text}`, name));
      }
    }
  }

  function walk(node: ts.Node, owner: Fn, branch?: CallSite['branch']): void {
    const visit = (n: ts.Node, b: CallSite['branch']): void => {
      if (ts.isFunctionDeclaration(n) && n.name) {
        const key = visitFunction(n, owner, n.name.text, undefined);
        if (owner !== idx.topLevel) owner.locals.set(n.name.text, { kind: 'fn', key, line: startLine(n) });
        return;
      }
      if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) {
        visitClass(n, owner, n.name?.text ?? '<class>');
        return;
      }
      if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
        visitFunction(n, owner, '<callback>', undefined);
        return;
      }
      if (ts.isVariableDeclaration(n) && n.initializer) {
        if (ts.isIdentifier(n.name)) {
          const bd = bindingOf(n.initializer, owner, n.name.text, undefined, b);
          (owner === idx.topLevel ? idx.vars : owner.locals).set(n.name.text, bd);
        } else {
          // Destructuring: walk the initializer for calls; names bind to the whole value.
          const bd = bindingOf(n.initializer, owner, '<destructured>', undefined, b);
          for (const el of ts.isObjectBindingPattern(n.name) ? n.name.elements : []) {
            if (ts.isIdentifier(el.name)) (owner === idx.topLevel ? idx.vars : owner.locals).set(el.name.text, bd);
          }
        }
        return;
      }
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const call = callSite(n, owner, b);
        if (call) owner.calls.push(call);
        return;
      }
      if (ts.isIfStatement(n)) {
        const id = `${file}:${startLine(n)}`;
        const cond = n.expression.getText(sf).replace(/\s+/g, ' ');
        visit(n.expression, b);
        visit(n.thenStatement, { id, arm: 'then', cond });
        if (n.elseStatement) visit(n.elseStatement, { id, arm: 'else', cond });
        return;
      }
      ts.forEachChild(n, (c) => visit(c, b));
    };
    visit(node, branch);
  }

  // Top level: imports, exports, then the statements themselves.
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const module = st.moduleSpecifier.text;
      const c = st.importClause;
      const l = startLine(st);
      if (c?.name) idx.imports.set(c.name.text, { module, name: 'default', line: l });
      const nb = c?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) idx.imports.set(nb.name.text, { module, name: '*', line: l });
      else if (nb) for (const el of nb.elements) idx.imports.set(el.name.text, { module, name: (el.propertyName ?? el.name).text, line: l });
      continue;
    }
    if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      idx.imports.set(st.name.text, { module: st.moduleReference.expression.text, name: '*', line: startLine(st) });
      continue;
    }
    if (ts.isExportDeclaration(st)) {
      const module = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (!st.exportClause && module) idx.starExports.push(module);
      else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (module) idx.reexports.set(el.name.text, { module, name: local });
          else idx.exports.set(el.name.text, local);
        }
      }
      continue;
    }
    if (ts.isExportAssignment(st)) {
      const x = unwrap(st.expression);
      if (ts.isIdentifier(x)) idx.exports.set('default', x.text);
      else {
        idx.vars.set('<default>', bindingOf(x, idx.topLevel, 'default'));
        idx.exports.set('default', '<default>');
      }
      continue;
    }
    const exported = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && exported) {
      const name = st.name?.text ?? '<default>';
      idx.exports.set(isDefault ? 'default' : name, name);
      if (ts.isClassDeclaration(st)) visitClass(st, idx.topLevel, name);
      else visitFunction(st, idx.topLevel, name, undefined);
      continue;
    }
    if (ts.isVariableStatement(st) && exported) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) idx.exports.set(d.name.text, d.name.text);
    }
    // CommonJS: module.exports = x / exports.a = b
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left.getText(sf);
      const right = unwrap(st.expression.right);
      const m = /^(?:module\.)?exports(?:\.(\w+))?$/.exec(left);
      if (m) {
        const exportName = m[1] ?? 'default';
        if (ts.isIdentifier(right)) idx.exports.set(exportName, right.text);
        else {
          idx.vars.set(`<exports.${exportName}>`, bindingOf(right, idx.topLevel, exportName));
          idx.exports.set(exportName, `<exports.${exportName}>`);
        }
        continue;
      }
    }
    walk(st, idx.topLevel);
  }
  // `const x = require('y')` bindings count as imports.
  for (const [name, b] of idx.vars) {
    if (b.kind === 'call' && b.call.root === 'require' && b.call.names.length === 0 && b.call.args[0]?.str) {
      idx.imports.set(name, { module: b.call.args[0].str, name: 'default', line: b.line });
    }
  }
  return idx;
}
