/**
 * The plain-data index of one script, built in a single traversal of its syntax tree and holding
 * no syntax node, so that it can be kept, cached (in V8's serialisation format) and built away from the tree's owner.
 * It records, without interpreting anything: imports (ESM, `import x = require()`, `require`),
 * exports, re-exports and `export *`, module-level values (constants, enums, objects, arrays,
 * template strings, defaults, `process.env` reads), classes (fields with their types, decorators
 * and initialisers, constructor-injected parameters, static members, methods, base class,
 * `implements`), and every function (named or inline) with its parameters, local values, return
 * values and the calls it makes in source order, each with its callee chain, its arguments as
 * values and the if/else arm it sits in. The evaluator (`evaluate.ts`) gives values meaning.
 */
import ts from '../analyzer/typescript.cjs';
import { unwrapAwait as unwrap } from './ast.js';
import { moduleSpecifiers, type Specifier } from './specifiers.js';
import { ruleSites, type RuleSites } from './sites.js';
import { stateWrites, type StateWrite } from './writes.js';
import { declaredShapes, type Shapes } from './shapes.js';
import { nameChecks, type NameCheck } from './name-checks.js';
import { destructuredNames } from './destructured.js';
import { typeDecls, type TypeDecls } from './type-decls.js';
import { reassigns, type Reassign } from './reassigns.js';
import { embedded, type Embedded } from './embedded.js';

/**
 * An expression as data. `ref` is an identifier or a dotted path as written (`CONFIG.queues.a`,
 * `this.client`; its root is the key of the declaration in scope when that one is kept apart:
 * `msgObj@75.QueueUrl`); `env` a `process.env` read, with its default (`process.env.X || 'y'`); `or` any
 * other default (`x ?? 'd'`, `a || new B()`); `tpl` a template string (`quasis` are the literal
 * parts around `exprs`); `call` a call or, with `call.isNew`, a `new` expression; `fn` a function
 * written in place, by key. `env` lists the environment variables read anywhere inside.
 */
export type Value =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'ref'; path: string }
  | { k: 'env'; name: string; path?: string; or?: Value }
  | { k: 'or'; left: Value; right: Value; env?: string[] }
  | { k: 'tpl'; quasis: string[]; exprs: Value[]; env?: string[] }
  | { k: 'obj'; props: Record<string, Value>; env?: string[] }
  | { k: 'arr'; items: Value[]; env?: string[] }
  | { k: 'call'; call: CallSite; env?: string[] }
  | { k: 'fn'; key: string }
  /** A value the evaluator does not know; `alt` (the sides of `a ? b : c`) and `cat` (of `a + b`) are its parts, for rules that take every value a name can have. */
  | { k: 'unknown'; env?: string[]; alt?: Value[]; cat?: Value[] };

export interface Branch {
  id: string;
  arm: 'then' | 'else';
  cond: string;
}

export interface CallSite {
  line: number;
  /** Identifier at the root of the callee: `prisma`, `this`, `axios`, `fetch`. */
  root: string;
  /** Property names after the root, in order; `()` marks an intermediate call. */
  names: string[];
  isNew: boolean;
  args: Value[];
  /** Arguments of intermediate calls in the chain (`knex('orders').insert()` → [['orders']]). */
  innerArgs: Value[][];
  branch?: Branch;
  /** The line of each of `names` (a `()` at its call's end), when the call spans lines: where a chain's `.get(` is written. */
  lines?: number[];
  /** The `new X()` a chain is called on (`new Hono().basePath('/api')`), with `root` ''. */
  recv?: Value;
}

export interface Deco {
  name: string;
  args: Value[];
  line: number;
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
  /** Local variables with a value (a call, a function, an object, a literal …), by name (by key, `name@line`, where a block's declaration is kept apart: see `declareScopes`). */
  locals: Map<string, Value>;
  /** Parameter name → type name (first identifier of the annotation). */
  params: Map<string, string>;
  /** Parameter names in order (destructured ones as `''`), for factory calls. */
  paramNames: string[];
  /** Parameters' default values, by name (identifiers only). */
  defaults?: Map<string, Value>;
  /** Names a parameter's object pattern binds (`{ name, methods: list }`), each with its parameter's position and the property it takes (one level). */
  paramProps?: Map<string, { param: number; prop: string }>;
  /** `for (const x of list)` loops written in it (not in its callbacks), in source order: the names the loop binds (a pattern's with the property each takes) and the list as written (the first 16). */
  loops?: { names: { name: string; prop?: string }[]; of: Value; line: number }[];
  /** Locals an object pattern binds (`const { queue, table: t } = new Service(…)`; `locals` holds the whole value), with the property each takes. */
  picks?: Map<string, string>;
  /**
   * Every name the function binds, in source order, once each: parameters (destructured ones
   * too), variables (with a value or not, `for…of`/`for…in` ones, a `catch` clause's), and the
   * functions and classes it declares. Such a name hides a module-level one of the same name. A
   * declaration kept apart in an inner block is listed by its key (`msgObj@75`), which hides nothing.
   */
  binds: string[];
  /** What its `return` statements (or an arrow's expression body) return. */
  returns: Value[];
  parent?: string;
  decorators: Deco[];
  /** Calls of a method on an expression rather than a name (`new AWS.SQS().sendMessage(p)`), with `root` '': not in `calls`. */
  chained?: CallSite[];
  /** Offsets in the script's text of the function's start, its body's start and its end: what rules that read a body's text slice. */
  span?: [number, number, number];
}

export interface Field {
  type?: string;
  typeArgs: string[];
  decorators: Deco[];
  init?: Value;
  line: number;
  static?: true;
  /** The constructor parameter (by position) the field is, or is assigned from (`this.x = x`). */
  param?: number;
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
  /**
   * `this.a.b = value` in any method or callback of the class (the constructor too), in source
   * order, the first MAX_ASSIGNS: the path, the value, and the key of the function it is written in.
   */
  assigns?: { path: string; value: Value; fn: string }[];
}

export interface FileIndex {
  file: string;
  imports: Map<string, { module: string; name: string; line: number }>;
  /** Exported name → local name (`default` included). */
  exports: Map<string, string>;
  /** `export { a as b } from './x'`: exported name → module and name there. */
  reexports: Map<string, { module: string; name: string }>;
  starExports: string[];
  /** Module-level values by name; an enum is an object of its members. */
  vars: Map<string, Value>;
  functions: Map<string, Fn>;
  classes: Map<string, ClassInfo>;
  /** Module-level calls (statements outside functions): routes, workers, schedules. */
  topLevel: Fn;
  /** Every module specifier written (declarations, `require`, `import()`), in source order: the import graph's input. */
  specifiers: Specifier[];
  /** Calls with their options read in full depth, classes with their decorators, objects held by variables, in walk order: what option rules read (`sites.ts`). */
  sites: RuleSites;
  /** Writes that may move a status field between states, with the guards around each (`writes.ts`): what state transitions are read from. */
  writes: StateWrite[];
  /** Data definitions written in code (`shapes.ts`): schema builders' calls, decorated classes, enums, interfaces, database configurations, top-level constants as written. */
  shapes: Shapes;
  /** Values compared with a `name` property (`switch (job.name)` cases, `job.name === X`), with their lines (`name-checks.ts`): the jobs a queue processor handles. */
  nameChecks: NameCheck[];
  /** Module-level names bound by destructuring, each with the property it takes (`const { procedure: p } = t` → p → procedure); `vars` holds the whole value (`destructured.ts`). */
  destructured: Map<string, string>;
  /** GraphQL documents of tagged templates and the literals `x.method` is compared with (`embedded.ts`). */
  embedded: Embedded;
  /** Top-level type declarations and the type arguments classes give the class they extend (`type-decls.ts`): what a generic repository's subclass stores. */
  types: TypeDecls;
  /** Later assignments of a known value to a plain name (`key = 'a'` in an `if` arm), with their lines (`reassigns.ts`): every value a local can take. */
  reassigns: Reassign[];
}

/** Values nested deeper than this are kept as `unknown` (their calls are still recorded). */
const MAX_VALUE_DEPTH = 32;
/** `this.x = …` assignments kept per class (`ClassInfo.assigns`). */
const MAX_ASSIGNS = 64;
const ENV_GETTERS = new Set(['get', 'getOrThrow', 'env', 'str', 'num', 'bool', 'url', 'port', 'host']);
const ENV_KEY = /^[A-Z][A-Z0-9_]{2,}$/;

/** How a value is being read: as a named binding (its functions take the name) or as an argument. */
interface Site {
  name?: string;
  /** The key of the binding named `name` when it is kept apart (`handler@12`): a function written in place is keyed by it. */
  local?: string;
  cls?: string;
  branch?: Branch;
}

export function indexFile(file: string, sf: ts.SourceFile): FileIndex {
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const startLine = (n: ts.Node) => line(n.getStart(sf));
  const lineStarts = sf.getLineStarts();
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
    specifiers: moduleSpecifiers(sf),
    sites: ruleSites(file, sf),
    writes: stateWrites(sf),
    shapes: declaredShapes(sf),
    nameChecks: nameChecks(sf),
    destructured: destructuredNames(sf),
    embedded: embedded(sf),
    types: typeDecls(sf),
    reassigns: [],
  };
  idx.functions.set(idx.topLevel.key, idx.topLevel);
  let anon = 0;
  /** The names each function binds so far (`Fn.binds` as a set). */
  const bound = new Map<Fn, Set<string>>();
  /** Above zero while reading a value without side effects (return values): no function or call is recorded. */
  let pure = 0;
  /** The chain on a `new X()` the last call read was (`callSite` answers undefined for it): the value `valueAt` gives it. */
  let onNew: CallSite | undefined;
  /** Functions written in place, by node, once visited: a value read again (a return) names the same function. */
  const visited = new Map<ts.Node, string>();
  /**
   * Lexical scopes: what each scope node (a function, the script, a block, a loop, a `catch`
   * clause, a `switch`'s cases) declares, name → the key its value and binding are kept under.
   * A declaration in a function's (or the script's) own scope, a parameter, a `var` anywhere, keeps
   * its name; so does one in an inner block when it is the function's only declaration of the name
   * and no scope around binds it. Any other (a second `const msgObj` in a `catch`, a block's name
   * that hides a parameter or a module constant) is kept apart as `name@line`: every reference the
   * index writes (a `ref`'s root, a call's `root`, `locals`, `binds`, loops' and patterns' names,
   * reassignments) names the declaration in scope where it is written.
   */
  const scopes = new Map<ts.Node, Map<string, string>>();
  /** Names some declaration of which is kept apart: only their references are looked up in `scopes`. */
  const apart = new Set<string>();
  /** Keys given to declarations kept apart in this script, so that each is given once. */
  const keysGiven = new Set<string>();

  /** The identifiers a declaration's name binds (a pattern's, however nested). */
  function boundNames(name: ts.BindingName, out: ts.Identifier[] = []): ts.Identifier[] {
    if (ts.isIdentifier(name)) out.push(name);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, out);
    return out;
  }

  /**
   * What a function (or the script) and the blocks in it declare, before its body is walked: one
   * loop over its statements and the statements nested in them (never into an expression or
   * another function), so that a reference written before a declaration in the same scope (in a
   * callback) finds it too.
   */
  function declareScopes(owner: ts.Node, params: readonly ts.ParameterDeclaration[], statements: readonly ts.Statement[]): void {
    const own = new Map<string, string>();
    scopes.set(owner, own);
    /** Declarations in inner scopes, and the inner scopes declaring each name (made at the first). */
    let inner: { id: ts.Identifier; scope: ts.Node }[] | undefined;
    let where: Map<string, Set<ts.Node>> | undefined;
    const add = (id: ts.Identifier, scope: ts.Node) => {
      if (scope === owner) {
        own.set(id.text, id.text);
        return;
      }
      (inner ??= []).push({ id, scope });
      where ??= new Map();
      const set = where.get(id.text) ?? where.set(id.text, new Set()).get(id.text)!;
      set.add(scope);
    };
    const list = (l: ts.VariableDeclarationList, scope: ts.Node) => {
      // `var` belongs to the function, `let`, `const` and `using` to the block.
      const to = (l.flags & ts.NodeFlags.BlockScoped) !== 0 ? scope : owner;
      for (const d of l.declarations) for (const id of boundNames(d.name)) add(id, to);
    };
    const statement = (s: ts.Statement, scope: ts.Node): void => {
      if (ts.isVariableStatement(s)) list(s.declarationList, scope);
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) add(s.name, scope);
      else if (ts.isBlock(s)) for (const x of s.statements) statement(x, s);
      else if (ts.isIfStatement(s)) {
        statement(s.thenStatement, scope);
        if (s.elseStatement) statement(s.elseStatement, scope);
      } else if (ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isForInStatement(s)) {
        if (s.initializer && ts.isVariableDeclarationList(s.initializer)) list(s.initializer, s);
        statement(s.statement, s);
      } else if (ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isLabeledStatement(s)) statement(s.statement, scope);
      else if (ts.isTryStatement(s)) {
        statement(s.tryBlock, scope);
        const c = s.catchClause;
        if (c?.variableDeclaration) for (const id of boundNames(c.variableDeclaration.name)) add(id, c);
        if (c) statement(c.block, c);
        if (s.finallyBlock) statement(s.finallyBlock, scope);
      } else if (ts.isSwitchStatement(s)) {
        for (const clause of s.caseBlock.clauses) for (const x of clause.statements) statement(x, s.caseBlock);
      } else if (ts.isImportDeclaration(s)) {
        const c = s.importClause;
        if (c?.name) add(c.name, scope);
        const nb = c?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) add(nb.name, scope);
        else if (nb) for (const el of nb.elements) add(el.name, scope);
      } else if (ts.isImportEqualsDeclaration(s)) add(s.name, scope);
    };
    for (const p of params) for (const id of boundNames(p.name)) add(id, owner);
    for (const s of statements) statement(s, owner);
    if (!inner || !where) return;
    const boundAround = (name: string) => {
      for (let n = owner.parent as ts.Node | undefined; n; n = n.parent) if (scopes.get(n)?.has(name)) return true;
      return false;
    };
    for (const { id, scope } of inner) {
      const names = scopes.get(scope) ?? scopes.set(scope, new Map()).get(scope)!;
      const name = id.text;
      if (names.has(name)) continue;
      if ((where.get(name)?.size ?? 0) === 1 && !own.has(name) && !boundAround(name)) {
        names.set(name, name);
        continue;
      }
      const at = startLine(id);
      let key = `${name}@${at}`;
      for (let i = 2; keysGiven.has(key); i++) key = `${name}@${at}_${i}`;
      keysGiven.add(key);
      apart.add(name);
      names.set(name, key);
    }
  }

  /** The key of the declaration an identifier names where it is written: the nearest scope around that declares it, else its name. */
  function keyOf(id: ts.Identifier): string {
    const name = id.text;
    if (!apart.has(name)) return name;
    for (let n = id.parent as ts.Node | undefined; n; n = n.parent) {
      const key = scopes.get(n)?.get(name);
      if (key !== undefined) return key;
    }
    return name;
  }

  /** A name or property chain as written, its root named by the key of the declaration in scope (`msgObj@75.QueueUrl`). */
  function refPath(x: ts.Expression): string {
    const text = x.getText(sf);
    let root = x;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root) || !apart.has(root.text)) return text;
    const key = keyOf(root);
    return key === root.text ? text : key + text.slice(root.text.length);
  }

  function newFn(f: string, key: string, name: string, l: number, nameLine: number, end: number): Fn {
    return {
      key: `${f}#${key}`,
      file: f,
      name,
      line: l,
      nameLine,
      endLine: end,
      calls: [],
      locals: new Map(),
      params: new Map(),
      paramNames: [],
      binds: [],
      returns: [],
      decorators: [],
    };
  }

  const processEnv = (e: ts.Expression) =>
    ts.isPropertyAccessExpression(e) && e.name.text === 'env' && ts.isIdentifier(e.expression) && e.expression.text === 'process';

  /** `process.env.X` / `process.env['X']` → X. */
  const envRead = (n: ts.Node): string | undefined => {
    if (ts.isPropertyAccessExpression(n) && processEnv(n.expression)) return n.name.text;
    if (
      ts.isElementAccessExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'env' &&
      ts.isStringLiteralLike(n.argumentExpression)
    )
      return n.argumentExpression.text;
    return undefined;
  };

  /** Environment variables read under a node: `process.env.X`, `env('X')`, `config.get('X')`. */
  const envNames = (node: ts.Node): string[] => {
    const out: string[] = [];
    const visit = (n: ts.Node) => {
      const read =
        ts.isPropertyAccessExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        ts.isIdentifier(n.expression.expression) &&
        n.expression.expression.text === 'process' &&
        n.expression.name.text === 'env'
          ? n.name.text
          : ts.isElementAccessExpression(n)
            ? envRead(n)
            : undefined;
      if (read !== undefined) out.push(read);
      else if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0]!) && ENV_KEY.test(n.arguments[0].text)) {
        const callee = n.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (ENV_GETTERS.has(name)) out.push(n.arguments[0].text);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  };
  const withEnv = <T extends object>(v: T, n: ts.Node): T & { env?: string[] } => {
    const env = envNames(n);
    return env.length ? { ...v, env } : v;
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

  const record = (owner: Fn, call: CallSite | undefined): void => {
    if (call && !pure) owner.calls.push(call);
  };

  /**
   * An expression as a value. At a binding (`site.name`) functions written in place take the
   * binding's name; as an argument they are callbacks. Calls met on the way are recorded in
   * `owner`, in source order, nested arguments before the call that takes them.
   */
  function valueAt(e: ts.Expression, owner: Fn, site: Site, depth = 0): Value {
    const x = unwrap(e);
    if (depth > MAX_VALUE_DEPTH) {
      if (!pure) walk(x, owner);
      return { k: 'unknown' };
    }
    if (ts.isStringLiteralLike(x)) return { k: 'str', v: x.text };
    if (ts.isNumericLiteral(x)) return { k: 'num', v: Number(x.text) };
    if (x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword) return { k: 'bool', v: x.kind === ts.SyntaxKind.TrueKeyword };
    if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(x.operand))
      return { k: 'num', v: -Number(x.operand.text) };
    const env = envRead(x);
    if (env !== undefined) return ts.isPropertyAccessExpression(x) ? { k: 'env', name: env, path: x.getText(sf) } : { k: 'env', name: env };
    if (ts.isTemplateExpression(x)) {
      // Calls inside a template string are not recorded (the template is one value).
      pure++;
      try {
        return withEnv(
          {
            k: 'tpl' as const,
            quasis: [x.head.text, ...x.templateSpans.map((s) => s.literal.text)],
            exprs: x.templateSpans.map((s) => valueAt(s.expression, owner, {}, depth + 1)),
          },
          x,
        );
      } finally {
        pure--;
      }
    }
    if (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || x.kind === ts.SyntaxKind.ThisKeyword) return { k: 'ref', path: refPath(x) };
    if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) {
      if (pure) {
        const key = visited.get(x);
        return key ? { k: 'fn', key } : { k: 'unknown' };
      }
      return { k: 'fn', key: visitFunction(x, owner, site.name ?? '<callback>', site.name ? site.cls : undefined, site.name ? site.local : undefined) };
    }
    if (ts.isCallExpression(x) || ts.isNewExpression(x)) {
      const call = callSite(x, owner, site.name ? site.branch : undefined);
      record(owner, call);
      if (call) return withEnv({ k: 'call' as const, call }, x);
      if (onNew) return withEnv({ k: 'call' as const, call: onNew }, x);
      return withEnv({ k: 'unknown' as const }, x);
    }
    if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.BarBarToken || x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      const left = valueAt(x.left, owner, {}, depth + 1);
      const right = valueAt(x.right, owner, site, depth + 1);
      if (left.k === 'env' && !left.or) return { ...left, or: right };
      return withEnv({ k: 'or' as const, left, right }, x);
    }
    // `cond ? new A() : new B()`: the side that creates something (the condition and the other side are read first).
    if (ts.isConditionalExpression(x) && site.name) {
      const pick = [x.whenTrue, x.whenFalse].map(unwrap).find((c) => ts.isCallExpression(c) || ts.isNewExpression(c));
      if (pick) {
        valueAt(x.condition, owner, {}, depth + 1);
        for (const other of [x.whenTrue, x.whenFalse]) if (unwrap(other) !== pick) valueAt(other, owner, {}, depth + 1);
        return valueAt(pick, owner, site, depth + 1);
      }
    }
    if (ts.isObjectLiteralExpression(x)) {
      const props: Record<string, Value> = Object.create(null) as Record<string, Value>;
      for (const p of x.properties) {
        const pname = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
        if (pname === undefined) continue;
        const inner: Site = site.name ? { name: `${site.name}.${pname}` } : {};
        if (ts.isMethodDeclaration(p)) props[pname] = pure ? { k: 'unknown' } : { k: 'fn', key: visitFunction(p, owner, inner.name ?? pname, undefined) };
        else if (ts.isPropertyAssignment(p)) props[pname] = valueAt(p.initializer, owner, inner, depth + 1);
        else if (ts.isShorthandPropertyAssignment(p)) props[pname] = { k: 'ref', path: keyOf(p.name) };
      }
      return withEnv({ k: 'obj' as const, props }, x);
    }
    if (ts.isArrayLiteralExpression(x)) {
      // The walk records the elements' calls and callbacks; the items are read without recording.
      if (!pure) walk(x, owner);
      pure++;
      try {
        return withEnv({ k: 'arr' as const, items: x.elements.map((el) => valueAt(el, owner, {}, depth + 1)) }, x);
      } finally {
        pure--;
      }
    }
    if (ts.isConditionalExpression(x) || (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
      // The walk records the calls and callbacks; the sides are read without recording.
      if (!pure) walk(x, owner);
      pure++;
      try {
        const parts = ts.isConditionalExpression(x)
          ? { alt: [valueAt(x.whenTrue, owner, {}, depth + 1), valueAt(x.whenFalse, owner, {}, depth + 1)] }
          : { cat: [valueAt(x.left, owner, {}, depth + 1), valueAt(x.right, owner, {}, depth + 1)] };
        return withEnv({ k: 'unknown' as const, ...parts }, x);
      } finally {
        pure--;
      }
    }
    // Anything else: keep the environment variables read, and walk it for calls and callbacks.
    if (!pure) walk(x, owner);
    return withEnv({ k: 'unknown' as const }, x);
  }

  /** Decompose a callee into root identifier + names; intermediate calls' arguments kept. */
  function callSite(call: ts.CallExpression | ts.NewExpression, owner: Fn, branch: Branch | undefined): CallSite | undefined {
    const names: string[] = [];
    const innerArgs: Value[][] = [];
    const at = startLine(call);
    // Lines of the names only for a call that spans lines (it ends past the start of the next line).
    const lines: number[] | undefined = call.end > (lineStarts[at] ?? Number.POSITIVE_INFINITY) ? [] : undefined;
    let e: ts.Expression = call.expression;
    for (;;) {
      e = unwrap(e);
      if (ts.isPropertyAccessExpression(e)) {
        names.unshift(e.name.text);
        lines?.unshift(line(e.name.end));
        e = e.expression;
      } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
        names.unshift(e.argumentExpression.text);
        lines?.unshift(line(e.argumentExpression.end));
        e = e.expression;
      } else if (ts.isCallExpression(e)) {
        names.unshift('()');
        lines?.unshift(line(e.end));
        innerArgs.unshift(e.arguments.map((a) => valueAt(a, owner, {})));
        e = e.expression;
      } else break;
    }
    const spans = lines?.some((l) => l !== at) ? lines : undefined;
    let root: string;
    if (ts.isIdentifier(e)) root = keyOf(e);
    else if (e.kind === ts.SyntaxKind.ThisKeyword) root = 'this';
    else if (e.kind === ts.SyntaxKind.SuperKeyword) root = 'super';
    else if (e.kind === ts.SyntaxKind.ImportKeyword) root = 'import';
    else {
      if (!pure) walk(e, owner);
      onNew = undefined;
      if (names.length === 0) return undefined;
      // A method called on an expression (`new AWS.SQS().sendMessage(p)`, `(await connect()).send(p)`): kept apart, its arguments read without recording.
      pure++;
      let made: CallSite;
      try {
        made = {
          line: at,
          root: '',
          names,
          isNew: ts.isNewExpression(call),
          args: (call.arguments ?? []).map((a) => valueAt(a, owner, {})),
          innerArgs,
        };
        if (spans) made.lines = spans;
        if (ts.isNewExpression(e)) made.recv = valueAt(e, owner, {});
      } finally {
        pure--;
      }
      if (!pure) (owner.chained ??= []).push(made);
      // A chain on `new X()` is a value (`const app = new Hono().basePath('/api')`).
      onNew = made.recv ? made : undefined;
      return undefined;
    }
    const out: CallSite = {
      line: at,
      root,
      names,
      isNew: ts.isNewExpression(call),
      args: (call.arguments ?? []).map((a) => valueAt(a, owner, {})),
      innerArgs,
    };
    if (branch) out.branch = branch;
    if (spans) out.lines = spans;
    return out;
  }

  const decoratorsOf = (n: ts.Node, owner: Fn): Deco[] => {
    const out: Deco[] = [];
    for (const d of ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : []) {
      const ex = d.expression;
      const callee = ts.isCallExpression(ex) ? ex.expression : ex;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      out.push({ name, args: ts.isCallExpression(ex) ? ex.arguments.map((a) => valueAt(a, owner, {})) : [], line: startLine(d) });
    }
    return out;
  };

  /** What an expression returns, read without recording anything (the walk records its calls). */
  const returned = (e: ts.Expression, owner: Fn): Value => {
    pure++;
    try {
      return valueAt(e, owner, {});
    } finally {
      pure--;
    }
  };

  /** Whether `key` is `fn`'s or one of its enclosing functions' (parent keys always name a function registered earlier). */
  function enclosedBy(fn: Fn, key: string): boolean {
    for (let f: Fn | undefined = fn; f; f = f.parent ? idx.functions.get(f.parent) : undefined) if (f.key === key) return true;
    return false;
  }

  /** `local`: the key of a function declared in a block where its name is kept apart (`name@line`), for its key. */
  function visitFunction(node: ts.FunctionLikeDeclaration, parent: Fn, name: string, cls: string | undefined, local?: string): string {
    const isInline = name === '<callback>';
    const start = node.getStart(sf);
    let key = isInline ? `${parent.key.slice(file.length + 1)}/<callback>${++anon}` : (local ?? name);
    // A function named like one it is nested in (an inner `load` inside an exported `load`) is keyed
    // under its parent and line: under the name alone it would replace that function and be its own
    // ancestor, and every walk up the parents would never end.
    if (!isInline && enclosedBy(parent, `${file}#${key}`)) key = `${parent.key.slice(file.length + 1)}/${name}@${line(start)}`;
    visited.set(node, `${file}#${key}`);
    const fn = newFn(
      file,
      key,
      isInline ? `${parent.name === '<module>' ? '' : parent.name}<callback>` : name,
      line(start),
      node.name ? startLine(node.name) : line(start),
      line(node.end),
    );
    if (cls) fn.cls = cls;
    if (parent.key !== idx.topLevel.key || isInline) fn.parent = parent.key;
    fn.span = [start, node.body ? node.body.getStart(sf) : node.end, node.end];
    fn.decorators = decoratorsOf(node, fn);
    declareScopes(node, node.parameters, node.body && ts.isBlock(node.body) ? node.body.statements : []);
    for (const p of node.parameters) {
      fn.paramNames.push(ts.isIdentifier(p.name) ? p.name.text : '');
      if (!ts.isIdentifier(p.name))
        for (const { name, prop } of patternNames(p.name)) if (prop) (fn.paramProps ??= new Map()).set(name, { param: fn.paramNames.length - 1, prop });
      bind(fn, p.name);
      if (ts.isIdentifier(p.name)) {
        const t = typeName(p.type);
        if (t.name) fn.params.set(p.name.text, t.name);
        // A default (`routingKey = 'orders.placed'`) is read without recording: the walk of the body does not see it.
        if (p.initializer) (fn.defaults ??= new Map()).set(p.name.text, returned(p.initializer, fn));
      }
    }
    idx.functions.set(fn.key, fn);
    if (node.body) {
      walk(node.body, fn);
      if (!ts.isBlock(node.body)) fn.returns.push(returned(node.body, fn));
    }
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
        m.parameters.forEach((p, param) => {
          if (!ts.isIdentifier(p.name)) return;
          const t = typeName(p.type);
          const isField = (ts.getModifiers(p)?.length ?? 0) > 0;
          const decos = decoratorsOf(p, owner);
          // Constructor parameters with an access modifier (or injected by a decorator) are fields;
          // plain ones become fields only through `this.x = x` below.
          if (isField || decos.length > 0) info.fields.set(p.name.text, { type: t.name, typeArgs: t.args, decorators: decos, line: startLine(p), param });
          else ctorParams.set(p.name.text, { type: t.name, typeArgs: t.args, decorators: decos, line: startLine(p), param });
        });
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
            // The walk of the body recorded the call already: read it again without recording.
            const init = returned(right, ctor);
            if (init.k === 'call') info.fields.set(left.name.text, { ...f, init });
          }
        }
      } else if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name)) {
        const t = typeName(m.type);
        const field: Field = { type: t.name, typeArgs: t.args, decorators: decoratorsOf(m, owner), line: startLine(m) };
        if (ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) field.static = true;
        if (m.initializer) {
          const v = valueAt(m.initializer, owner, { name: `${name}.${m.name.text}`, cls: name });
          if (v.k === 'fn') info.methods.set(m.name.text, v.key);
          else field.init = v;
        }
        info.fields.set(m.name.text, field);
      } else if ((ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
        info.methods.set(m.name.text, visitFunction(m, owner, `${name}.${m.name.text}`, name));
      }
    }
  }

  /** An enum as an object of its members: strings, numbers, and numbers counted on from the last. */
  function enumValue(node: ts.EnumDeclaration): Value {
    const props: Record<string, Value> = Object.create(null) as Record<string, Value>;
    let next: number | undefined = 0;
    for (const m of node.members) {
      const name = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : undefined;
      const v: Value = m.initializer ? returned(m.initializer, idx.topLevel) : next !== undefined ? { k: 'num', v: next } : { k: 'unknown' };
      next = v.k === 'num' ? v.v + 1 : undefined;
      if (name !== undefined) props[name] = v;
    }
    return { k: 'obj', props };
  }

  /** Record the names a declaration binds in a function (not at module level: those are `vars`, functions, classes and imports). */
  function bind(fn: Fn, name: ts.BindingName | ts.Identifier): void {
    if (fn === idx.topLevel) return;
    if (ts.isIdentifier(name)) {
      const key = keyOf(name);
      const seen = bound.get(fn) ?? bound.set(fn, new Set()).get(fn)!;
      if (!seen.has(key)) fn.binds.push(key);
      seen.add(key);
      return;
    }
    for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(fn, el.name);
  }

  /** The names a declaration binds: a name, or an object pattern's names with the property each takes (one level; a rest element is left out). */
  function patternNames(name: ts.BindingName | undefined): { name: string; prop?: string }[] {
    if (!name) return [];
    if (ts.isIdentifier(name)) return [{ name: keyOf(name) }];
    if (!ts.isObjectBindingPattern(name)) return [];
    return name.elements.flatMap((el) => {
      const prop =
        el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) && !el.dotDotDotToken ? el.name.text : '';
      return prop && ts.isIdentifier(el.name) ? [{ name: keyOf(el.name), prop }] : [];
    });
  }

  /** `this.a.b = value` in a method or a callback written in one: kept on the class (`ClassInfo.assigns`), its value read without recording (the walk goes on into it). */
  function thisAssignment(n: ts.BinaryExpression, owner: Fn): void {
    const path: string[] = [];
    let x: ts.Expression = n.left;
    while (ts.isPropertyAccessExpression(x) && path.length < 8) {
      path.unshift(x.name.text);
      x = x.expression;
    }
    if (x.kind !== ts.SyntaxKind.ThisKeyword || path.length === 0) return;
    let f: Fn | undefined = owner;
    while (f && !f.cls) f = f.parent ? idx.functions.get(f.parent) : undefined;
    const cls = f?.cls ? idx.classes.get(f.cls) : undefined;
    if (!cls || (cls.assigns?.length ?? 0) >= MAX_ASSIGNS) return;
    (cls.assigns ??= []).push({ path: path.join('.'), value: returned(n.right, owner), fn: owner.key });
  }

  function walk(node: ts.Node, owner: Fn, branch?: Branch): void {
    const scope = (name: string, v: Value) => (owner === idx.topLevel ? idx.vars : owner.locals).set(name, v);
    const visit = (n: ts.Node, b: Branch | undefined): void => {
      if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) bind(owner, n.name);
      if (ts.isVariableDeclaration(n)) bind(owner, n.name);
      if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) && (owner.loops?.length ?? 0) < 16) {
        const names = patternNames(n.initializer.declarations[0]?.name);
        if (names.length > 0) (owner.loops ??= []).push({ names, of: returned(n.expression, owner), line: startLine(n) });
      }
      if (ts.isFunctionDeclaration(n) && n.name) {
        const local = keyOf(n.name);
        const key = visitFunction(n, owner, n.name.text, undefined, local === n.name.text ? undefined : local);
        if (owner !== idx.topLevel) owner.locals.set(local, { k: 'fn', key });
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
      if (ts.isEnumDeclaration(n)) {
        scope(keyOf(n.name), enumValue(n));
        return;
      }
      if (ts.isVariableDeclaration(n) && n.initializer) {
        if (ts.isIdentifier(n.name)) {
          const local = keyOf(n.name);
          scope(local, valueAt(n.initializer, owner, { name: n.name.text, branch: b, ...(local === n.name.text ? {} : { local }) }));
        } else {
          // Destructuring: the initializer is walked for calls; names bind to the whole value, or,
          // from `require('m')` at module level, to the module's exports of those names.
          const v = valueAt(n.initializer, owner, { name: '<destructured>', branch: b });
          const module =
            owner === idx.topLevel && v.k === 'call' && v.call.root === 'require' && v.call.names.length === 0 && v.call.args[0]?.k === 'str'
              ? v.call.args[0].v
              : undefined;
          for (const el of ts.isObjectBindingPattern(n.name) ? n.name.elements : []) {
            if (!ts.isIdentifier(el.name)) continue;
            const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            if (module !== undefined) idx.imports.set(el.name.text, { module, name: imported, line: startLine(n) });
            else scope(keyOf(el.name), v);
            if (module === undefined && owner !== idx.topLevel && !el.dotDotDotToken) (owner.picks ??= new Map()).set(keyOf(el.name), imported);
          }
        }
        return;
      }
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        record(owner, callSite(n, owner, b));
        return;
      }
      if (ts.isReturnStatement(n) && n.expression) {
        visit(n.expression, b);
        owner.returns.push(returned(n.expression, owner));
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
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) thisAssignment(n, owner);
      ts.forEachChild(n, (c) => visit(c, b));
    };
    visit(node, branch);
  }

  declareScopes(sf, [], sf.statements);
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
        idx.vars.set('<default>', valueAt(x, idx.topLevel, { name: 'default' }));
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
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) idx.exports.set(d.name.text, d.name.text);
        // `export const { router, procedure } = t`: each name bound is exported.
        else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) idx.exports.set(el.name.text, el.name.text);
      }
    }
    if (ts.isEnumDeclaration(st) && exported) idx.exports.set(st.name.text, st.name.text);
    // CommonJS: module.exports = x / exports.a = b
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left.getText(sf);
      const right = unwrap(st.expression.right);
      const m = /^(?:module\.)?exports(?:\.(\w+))?$/.exec(left);
      if (m) {
        const exportName = m[1] ?? 'default';
        if (ts.isIdentifier(right)) idx.exports.set(exportName, right.text);
        else {
          idx.vars.set(`<exports.${exportName}>`, valueAt(right, idx.topLevel, { name: exportName }));
          idx.exports.set(exportName, `<exports.${exportName}>`);
        }
        continue;
      }
    }
    walk(st, idx.topLevel);
  }
  // `const x = require('y')` bindings are imports (of the module's `module.exports`).
  for (const [name, v] of idx.vars) {
    const a0 = v.k === 'call' && v.call.root === 'require' && v.call.names.length === 0 ? v.call.args[0] : undefined;
    if (a0?.k !== 'str') continue;
    idx.imports.set(name, { module: a0.v, name: 'default', line: (v as { call: CallSite }).call.line });
    idx.vars.delete(name);
  }
  idx.reassigns = reassigns(sf, keyOf);
  return idx;
}

/** The index as JSON text (maps as `{ "$map": [[key, value] …] }`). */
export function indexToJSON(idx: FileIndex): string {
  return JSON.stringify(idx, (_k, v: unknown) => (v instanceof Map ? { $map: [...v] } : v));
}

/** An index from `indexToJSON`'s text. */
export function indexFromJSON(text: string): FileIndex {
  const idx = JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && Array.isArray((v as { $map?: unknown }).$map) ? new Map((v as { $map: [string, unknown][] }).$map) : v,
  ) as FileIndex;
  // The module's function is one object in both places.
  idx.topLevel = idx.functions.get(idx.topLevel.key) ?? idx.topLevel;
  return idx;
}

/** A name as written, from the key the index keeps a declaration under (`msgObj@75` → `msgObj`; see `declareScopes`). */
export function writtenName(key: string): string {
  const at = key.indexOf('@');
  return at < 0 ? key : key.slice(0, at);
}

/** Environment variables read inside a value. */
export function envOf(v: Value | undefined): string[] {
  if (!v) return [];
  if (v.k === 'env') return [v.name, ...envOf(v.or)];
  return 'env' in v && Array.isArray(v.env) ? v.env : [];
}

/** Text of a reference as written (`CONFIG.a`, `process.env.X`); undefined for any other value. */
export function refText(v: Value | undefined): string | undefined {
  if (v?.k === 'ref') return v.path;
  if (v?.k === 'env' && !v.or) return v.path;
  return undefined;
}

/** A property of an object value (own properties only: `constructor` is no property of `{}`). */
export function propOf(v: Value | undefined, name: string): Value | undefined {
  return v?.k === 'obj' && Object.hasOwn(v.props, name) ? v.props[name] : undefined;
}

/** A string's literal text at a glance: a string, or a template's literal head (`cache:${id}` → `cache:`). */
export function literalHead(v: Value | undefined): string | undefined {
  if (v?.k === 'str') return v.v;
  if (v?.k === 'tpl' && v.quasis[0] !== '') return v.quasis[0];
  return undefined;
}
