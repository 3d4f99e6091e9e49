/**
 * The declarative shapes of a script, for the index (index-file.ts): what rules that read data
 * definitions written in code (ORM entities and schemas, migrations' schema builders and raw SQL,
 * configuration objects such as a `serverless.ts`) need of it, as plain data. A script that names
 * one of the libraries read (`LIBRARIES`: TypeORM, Sequelize, Mongoose, Drizzle, Kysely, MikroORM,
 * the MongoDB driver, Knex), or is a migration or a knexfile, is walked once (type annotations and
 * imports skipped), listing in the walk's order:
 *
 * - the calls and `new` expressions of a fixed vocabulary of schema builders (`SHAPE_CALLS`:
 *   `new EntitySchema(…)`, `pgTable(…)`, `sequelize.define(…)`, `knex.schema.createTable(…)`,
 *   `queryRunner.query(…)` …) and every call of a bare name with a string and then an object or an
 *   arrow function (`createTable('users', { … })`: a Drizzle table creator's), each read in full
 *   depth as an `Expr`, with where it is written (the class around it, the name it is assigned to,
 *   the call it is an argument of, whether it is inside a migration's `up`);
 * - the classes that carry decorators or extend another, with their decorators and their decorated
 *   properties (type as written, optionality, initialiser);
 * - the enums, with each member's string value;
 * - the object literals that name a `type`, `dialect` or `client` with a string (database
 *   configurations), with their keys and the environment variables read inside;
 * - the interfaces and type aliases, with their properties' types as written (`TypeShape`).
 *
 * Any other script gives only its top-level enums. Every script keeps its top-level constants'
 * initialisers and its default and CommonJS exports as `Expr`s (`consts`, keyed as
 * `FileIndex.vars` is; calls and functions there are `other`), for rules that evaluate a module's
 * exported configuration with its spreads and the line of each key.
 *
 * An `Expr` keeps what a literal reader needs that `Value` does not: `null`, numbers as written,
 * spreads, every property's line, the bodies of arrow functions, the type arguments of `new`.
 */
import ts from '../analyzer/typescript.cjs';
import { envNames, lastName as nodeName, propName, unwrap } from './ast.js';

/** Expression nodes a file may hold besides one per byte of its text; past it, expressions are `other`. */
const EXPR_BUDGET = 50_000;
/** Levels of an expression read; deeper ones are `other`. */
const MAX_DEPTH = 48;

/** Calls and `new`s whose environment variables are kept (database connections and Kysely's dialects). */
const ENV_CALLS = new Set([
  'Sequelize',
  'connect',
  'createConnection',
  'defineConfig',
  'init',
  'forRoot',
  'PostgresDialect',
  'MysqlDialect',
  'SqliteDialect',
  'MssqlDialect',
  'LibsqlDialect',
  'PlanetScaleDialect',
  'NeonDialect',
]);
/** The last names of the callees whose calls (and `new`s) are read: those of `ENV_CALLS` and these. */
export const SHAPE_CALLS = new Set([
  ...ENV_CALLS,
  // TypeORM and MikroORM
  'EntitySchema',
  'defineEntity',
  // Mongoose and the MongoDB driver
  'Schema',
  'model',
  'index',
  'createForClass',
  'getModelForClass',
  'createCollection',
  'collection',
  // Sequelize
  'define',
  'belongsTo',
  'hasMany',
  'hasOne',
  'belongsToMany',
  'addModels',
  // Drizzle
  'pgTable',
  'mysqlTable',
  'sqliteTable',
  'singlestoreTable',
  'pgTableCreator',
  'mysqlTableCreator',
  'sqliteTableCreator',
  'pgSchema',
  'mysqlSchema',
  'pgEnum',
  'mysqlEnum',
  'relations',
  'table',
  // Kysely
  'Kysely',
  // Knex's schema builder and raw SQL of migrations
  'createTable',
  'createTableIfNotExists',
  'alterTable',
  'dropTable',
  'dropTableIfExists',
  'renameTable',
  'query',
  'raw',
  'sql',
  'execute',
  'exec',
]);
/** Calls whose function arguments keep their bodies' statements (a Knex table callback's column chains). */
const STATEMENT_CALLS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table']);
/**
 * Words of which a script must hold one to be walked for its shapes (the libraries whose
 * definitions are read, and Knex; Sequelize's models may only name a `sequelize` given to them); a
 * migration's or knexfile's path is walked too. Any other script gives its top-level enums and
 * constants only.
 */
const LIBRARIES = /typeorm|sequelize|Sequelize|SEQUELIZE|mongoose|typegoose|drizzle-orm|kysely|mongodb|@mikro-orm\/|knex/;
const WALKED_PATH = /\/migrations?\/|\/knexfile\.[cm]?[jt]s$/;
/** Keys that make an object literal a database configuration when they hold a string. */
const CONFIG_KEYS = ['type', 'dialect', 'client'];

/**
 * An expression as written, wrappers (parentheses, `as`, `!`, `satisfies`, `<T>`) taken off.
 * `kw` is `this` or `super`; `num.text` is the literal as the scanner read it (`-` in front for a
 * negative one); a template's span says `dirname` when its expression mentions `__dirname`; a
 * function keeps its parameters' names ('' for destructured ones), an arrow's expression body, the
 * first `return` among its body's statements and, as an argument of a Knex table builder, the
 * expression statements of its body (`stmts`, not those of functions inside it).
 */
export type Expr =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number; text: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'tpl'; head: string; spans: { e: Expr; text: string; dirname?: true }[] }
  | { k: 'obj'; props: Prop[] }
  | { k: 'arr'; items: Expr[]; lines: number[] }
  | { k: 'spread'; e: Expr }
  | { k: 'id'; name: string }
  | { k: 'kw'; name: 'this' | 'super' }
  | { k: 'member'; e: Expr; name: string }
  | { k: 'call'; line: number; callee: Expr; args: Expr[]; isNew?: true; typeArgs?: TypeShape[] }
  | { k: 'fn'; arrow?: true; params: string[]; body?: Expr; ret?: Expr; stmts?: Expr[] }
  | { k: 'await'; e: Expr }
  | { k: 'other' };

/**
 * A property of an object literal: `e` for `k: v` (and, with `short`, for shorthand `k`); `method` for methods and accessors; `name` none for a computed
 * one, whose expression is `key` (`[QUEUE_NAME]: …`: its value is for the reader to find).
 */
export type Prop = { k: 'spread'; e: Expr } | { k: 'prop'; name?: string; key?: Expr; line: number; e?: Expr; short?: true; method?: true };

/** A type as written: `ref` (with `q` when the name is qualified, `a.B`), a union, a string literal, `null`, or another; each with its text. */
export type TypeShape =
  | { k: 'ref'; name: string; q?: true; args: TypeShape[]; text: string }
  | { k: 'union'; parts: TypeShape[]; text: string }
  | { k: 'str'; v: string; text: string }
  | { k: 'null'; text: string }
  | { k: 'other'; text: string };

export interface ShapeDecorator {
  name: string;
  args: Expr[];
}

/** A property signature of an interface or type literal; `inline` holds the members of the type literal it is typed with. */
export interface ShapeMember {
  name: string;
  line: number;
  optional: boolean;
  type?: TypeShape;
  inline?: ShapeMember[];
}

/** A decorated property declaration of a class; `quoted` when its name is a string literal. */
export interface ShapeProperty {
  name: string;
  quoted?: true;
  line: number;
  type?: TypeShape;
  optional?: true;
  init?: Expr;
  decorators: ShapeDecorator[];
}

export type ShapeSite =
  | {
      k: 'call';
      /** The call as an `Expr` (its `line` is the call's). */
      e: Extract<Expr, { k: 'call' }>;
      /** Line and offset of the callee's last name. */
      nameLine: number;
      pos: number;
      /** Line of the first argument. */
      argLine?: number;
      /** The class the call is written in. */
      cls?: string;
      /** Inside the `up` of a migration (method, function, property or `exports.up = …`). */
      up?: true;
      /** The name the call's value is given: `const x = …` (`var`), `X.y = …` (`set`), `{ y: … }` (`prop`). */
      assigned?: { name: string; by: 'var' | 'set' | 'prop' };
      /** The last name of the callee of the call this one is an argument of. */
      argOf?: string;
      /** A method called on the call's result: `collection('x').createIndex(…)`. */
      next?: { name: string; args: Expr[] };
      /** Environment variables read inside (database connections only). */
      env?: string[];
    }
  | {
      k: 'class';
      name?: string;
      line: number;
      extends?: string;
      /** The class extends something (`extends` may still be none: `extends Mixin(Base)`). */
      derived?: true;
      decorators: ShapeDecorator[];
      properties: ShapeProperty[];
    }
  | { k: 'enum'; name: string; members: [string, string][] }
  | {
      k: 'config';
      line: number;
      /** Names of the object's properties (not spreads). */
      keys: string[];
      /** The strings of `type`, `dialect` and `client` (`client` only when written as a string, with its line). */
      type?: string;
      dialect?: string;
      client?: string;
      clientLine?: number;
      /** The object is an argument of a `new`. */
      inNew?: true;
      env: string[];
    }
  | { k: 'type'; name: string; members: ShapeMember[]; union?: TypeShape };

export interface Shapes {
  sites: ShapeSite[];
  /** Top-level constants' initialisers and the default and CommonJS exports, keyed as `FileIndex.vars` (`<default>`, `<exports.x>`). */
  consts: Map<string, Expr>;
}

const isTypeNode = (n: ts.Node) => n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode;

/** The walk of ./index-file.ts's `indexFile` for data definitions. */
export function declaredShapes(sf: ts.SourceFile): Shapes {
  const out: Shapes = { sites: [], consts: new Map() };
  const lineAt = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const line = (n: ts.Node) => lineAt(n.getStart(sf));
  let budget = EXPR_BUDGET + sf.text.length;
  const dirnames = sf.text.includes('__dirname');
  /** Whether calls and functions are read: not in constants, whose readers want values, not code. */
  let code = true;

  const mentionsDirname = (n: ts.Node): boolean =>
    ts.isIdentifier(n) ? n.text === '__dirname' : (ts.forEachChild(n, (c) => (mentionsDirname(c) ? true : undefined)) ?? false);

  const typeShape = (t: ts.TypeNode): TypeShape => {
    const text = t.getText(sf);
    if (ts.isTypeReferenceNode(t)) {
      const shape: TypeShape = {
        k: 'ref',
        name: ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text,
        args: (t.typeArguments ?? []).map(typeShape),
        text,
      };
      if (!ts.isIdentifier(t.typeName)) shape.q = true;
      return shape;
    }
    if (ts.isUnionTypeNode(t)) return { k: 'union', parts: t.types.map(typeShape), text };
    if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) return { k: 'str', v: t.literal.text, text };
    if (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) return { k: 'null', text };
    return { k: 'other', text };
  };

  const membersOf = (list: readonly ts.TypeElement[]): ShapeMember[] => {
    const members: ShapeMember[] = [];
    for (const m of list) {
      if (!ts.isPropertySignature(m)) continue;
      const name = propName(m.name);
      if (!name) continue;
      const member: ShapeMember = { name, line: line(m), optional: !!m.questionToken };
      if (m.type) member.type = typeShape(m.type);
      if (m.type && ts.isTypeLiteralNode(m.type)) member.inline = membersOf(m.type.members);
      members.push(member);
    }
    return members;
  };

  /** The expression statements of a function body, not those of functions inside it, `await` taken off one level. */
  const statementsOf = (body: ts.Node, depth: number): Expr[] => {
    const found: Expr[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isExpressionStatement(n)) {
        let e = n.expression;
        if (ts.isAwaitExpression(e)) e = e.expression;
        if (ts.isCallExpression(e)) found.push(expr(e, depth + 1));
      }
      if (!ts.isFunctionLike(n) || n === body) ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  };

  const expr = (node: ts.Expression, depth: number, statements = false): Expr => {
    const e = unwrap(node);
    if (--budget <= 0 || depth > MAX_DEPTH) return { k: 'other' };
    if (ts.isStringLiteralLike(e)) return { k: 'str', v: e.text };
    if (ts.isNumericLiteral(e)) return { k: 'num', v: Number(e.text), text: e.text };
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand))
      return { k: 'num', v: -Number(e.operand.text), text: `-${e.operand.text}` };
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return { k: 'bool', v: e.kind === ts.SyntaxKind.TrueKeyword };
    if (e.kind === ts.SyntaxKind.NullKeyword) return { k: 'null' };
    if (e.kind === ts.SyntaxKind.ThisKeyword) return { k: 'kw', name: 'this' };
    if (e.kind === ts.SyntaxKind.SuperKeyword) return { k: 'kw', name: 'super' };
    if (ts.isIdentifier(e)) return { k: 'id', name: e.text };
    if (ts.isPropertyAccessExpression(e)) return { k: 'member', e: expr(e.expression, depth + 1), name: e.name.text };
    if (ts.isTemplateExpression(e))
      return {
        k: 'tpl',
        head: e.head.text,
        spans: e.templateSpans.map((s) => {
          const span: { e: Expr; text: string; dirname?: true } = { e: expr(s.expression, depth + 1), text: s.literal.text };
          if (dirnames && mentionsDirname(s.expression)) span.dirname = true;
          return span;
        }),
      };
    if (ts.isObjectLiteralExpression(e)) {
      const props: Prop[] = [];
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p)) {
          props.push({ k: 'spread', e: expr(p.expression, depth + 1) });
          continue;
        }
        const prop: Prop = { k: 'prop', line: line(p) };
        const name = propName(p.name);
        if (name !== undefined) prop.name = name;
        else if (ts.isComputedPropertyName(p.name)) prop.key = expr(p.name.expression, depth + 1);
        if (ts.isPropertyAssignment(p)) prop.e = expr(p.initializer, depth + 1);
        else if (ts.isShorthandPropertyAssignment(p)) {
          prop.e = { k: 'id', name: p.name.text };
          prop.short = true;
        } else prop.method = true;
        props.push(prop);
      }
      return { k: 'obj', props };
    }
    if (ts.isArrayLiteralExpression(e)) return { k: 'arr', items: e.elements.map((x) => expr(x, depth + 1)), lines: e.elements.map(line) };
    if (ts.isSpreadElement(e)) return { k: 'spread', e: expr(e.expression, depth + 1) };
    if (!code && (ts.isCallExpression(e) || ts.isNewExpression(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e))) return { k: 'other' };
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      const keep = ts.isPropertyAccessExpression(e.expression) && STATEMENT_CALLS.has(e.expression.name.text);
      const call: Extract<Expr, { k: 'call' }> = {
        k: 'call',
        line: line(e),
        callee: expr(e.expression, depth + 1),
        args: (e.arguments ?? []).map((a) => expr(a, depth + 1, keep)),
      };
      if (ts.isNewExpression(e)) {
        call.isNew = true;
        if (e.typeArguments) call.typeArgs = e.typeArguments.map(typeShape);
      }
      return call;
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      const fn: Extract<Expr, { k: 'fn' }> = { k: 'fn', params: e.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')) };
      if (ts.isArrowFunction(e)) fn.arrow = true;
      if (!ts.isBlock(e.body)) fn.body = expr(e.body, depth + 1);
      else {
        const ret = e.body.statements.find(ts.isReturnStatement);
        if (ret?.expression) fn.ret = expr(ret.expression, depth + 1);
        if (statements) fn.stmts = statementsOf(e.body, depth);
      }
      return fn;
    }
    if (ts.isAwaitExpression(e)) return { k: 'await', e: expr(e.expression, depth + 1) };
    return { k: 'other' };
  };

  const decorators = (n: ts.Node): ShapeDecorator[] => {
    const found: ShapeDecorator[] = [];
    for (const d of (ts.canHaveDecorators(n) && ts.getDecorators(n)) || []) {
      const x = d.expression;
      const name = nodeName(ts.isCallExpression(x) ? x.expression : x);
      if (name) found.push({ name, args: ts.isCallExpression(x) ? x.arguments.map((a) => expr(a, 1)) : [] });
    }
    return found;
  };

  const classSite = (node: ts.ClassDeclaration): ShapeSite | undefined => {
    const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const decos = decorators(node);
    const properties: ShapeProperty[] = [];
    for (const m of node.members) {
      if (!ts.isPropertyDeclaration(m) || !m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
      const ds = decorators(m);
      if (ds.length === 0) continue;
      const p: ShapeProperty = { name: m.name.text, line: line(m), decorators: ds };
      if (ts.isStringLiteral(m.name)) p.quoted = true;
      if (m.type) p.type = typeShape(m.type);
      if (m.questionToken) p.optional = true;
      if (m.initializer) p.init = expr(m.initializer, 1);
      properties.push(p);
    }
    if (!heritage && decos.length === 0 && properties.length === 0) return undefined;
    const site: Extract<ShapeSite, { k: 'class' }> = { k: 'class', line: line(node), decorators: decos, properties };
    if (node.name) site.name = node.name.text;
    if (heritage) {
      site.derived = true;
      const base = nodeName(heritage.expression);
      if (base) site.extends = base;
    }
    return site;
  };

  const configSite = (node: ts.ObjectLiteralExpression): ShapeSite | undefined => {
    const site: Extract<ShapeSite, { k: 'config' }> = { k: 'config', line: line(node), keys: [], env: [] };
    let found = false;
    for (const p of node.properties) {
      const key = propName(p.name);
      if (key === undefined) continue;
      site.keys.push(key);
      if (!CONFIG_KEYS.includes(key) || !ts.isPropertyAssignment(p)) continue;
      const value = unwrap(p.initializer);
      if (!ts.isStringLiteralLike(value)) continue;
      const k = key as 'type' | 'dialect' | 'client';
      if (site[k] !== undefined) continue;
      // A client written as a string (not through `as`): a Knex configuration's.
      if (k === 'client') {
        if (value !== p.initializer) continue;
        site.clientLine = line(p);
      }
      site[k] = value.text;
      found = true;
    }
    if (!found) return undefined;
    if (ts.isNewExpression(node.parent)) site.inNew = true;
    site.env = envNames(node);
    return site;
  };

  /** Whether a call is a bare name's with a string and an object or arrow function (a Drizzle table creator's call). */
  const tableLike = (n: ts.CallExpression) => {
    if (!ts.isIdentifier(n.expression) || n.arguments.length < 2 || !ts.isStringLiteralLike(unwrap(n.arguments[0]!))) return false;
    const a = unwrap(n.arguments[1]!);
    return ts.isObjectLiteralExpression(a) || ts.isArrowFunction(a);
  };

  const callSite = (n: ts.CallExpression | ts.NewExpression, cls: string | undefined, up: boolean): ShapeSite => {
    const e = expr(n, 0) as Extract<Expr, { k: 'call' }>;
    const callee = n.expression;
    const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    const pos = nameNode.getStart(sf);
    const site: Extract<ShapeSite, { k: 'call' }> = { k: 'call', e, nameLine: lineAt(pos), pos };
    const a0 = n.arguments?.[0];
    if (a0) site.argLine = line(a0);
    if (cls !== undefined) site.cls = cls;
    if (up) site.up = true;
    const p = n.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) site.assigned = { name: p.name.text, by: 'var' };
    else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const name = nodeName(p.left);
      if (name !== undefined) site.assigned = { name, by: 'set' };
    } else if (ts.isPropertyAssignment(p)) {
      const name = propName(p.name);
      if (name !== undefined) site.assigned = { name, by: 'prop' };
    }
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression !== n) {
      const name = nodeName(p.expression);
      if (name !== undefined) site.argOf = name;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p)
      site.next = { name: p.name.text, args: p.parent.arguments.map((a) => expr(a, 1)) };
    const name = nodeName(callee);
    if (name !== undefined && ENV_CALLS.has(name)) site.env = envNames(n);
    return site;
  };

  const visit = (n: ts.Node, cls: string | undefined, up: boolean): void => {
    if (isTypeNode(n) || ts.isImportDeclaration(n)) return;
    if (ts.isEnumDeclaration(n)) {
      const members: [string, string][] = [];
      for (const m of n.members) {
        const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : undefined;
        if (!key) continue;
        const init = m.initializer ? unwrap(m.initializer) : undefined;
        members.push([key, init && ts.isStringLiteralLike(init) ? init.text : key]);
      }
      out.sites.push({ k: 'enum', name: n.name.text, members });
      return;
    }
    if (ts.isInterfaceDeclaration(n)) {
      out.sites.push({ k: 'type', name: n.name.text, members: membersOf(n.members) });
      return;
    }
    if (ts.isTypeAliasDeclaration(n)) {
      const site: Extract<ShapeSite, { k: 'type' }> = { k: 'type', name: n.name.text, members: ts.isTypeLiteralNode(n.type) ? membersOf(n.type.members) : [] };
      if (ts.isUnionTypeNode(n.type)) site.union = typeShape(n.type);
      out.sites.push(site);
      return;
    }
    if (ts.isClassDeclaration(n)) {
      const site = classSite(n);
      if (site) out.sites.push(site);
    } else if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const name = nodeName(n.expression);
      if ((name !== undefined && SHAPE_CALLS.has(name)) || (ts.isCallExpression(n) && tableLike(n))) out.sites.push(callSite(n, cls, up));
    } else if (ts.isObjectLiteralExpression(n)) {
      const site = configSite(n);
      if (site) out.sites.push(site);
    }
    // What is around the children: the class they are in, and whether they are inside an `up`.
    let inner = up;
    if ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isPropertyAssignment(n)) && n.name && ts.isIdentifier(n.name))
      inner = n.name.text === 'up';
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left))
      inner = n.left.name.text === 'up';
    const innerCls = ts.isClassLike(n) ? n.name?.text : cls;
    ts.forEachChild(n, (c) => visit(c, innerCls, inner));
  };

  const text = sf.text;
  const walked = LIBRARIES.test(text) || WALKED_PATH.test(sf.fileName);
  for (const st of sf.statements) {
    code = false;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && !out.consts.has(d.name.text)) out.consts.set(d.name.text, expr(d.initializer, 0));
    } else if (ts.isExportAssignment(st) && !ts.isIdentifier(unwrap(st.expression))) out.consts.set('<default>', expr(st.expression, 0));
    else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const m = /^(?:module\.)?exports(?:\.(\w+))?$/.exec(st.expression.left.getText(sf));
      if (m && !ts.isIdentifier(unwrap(st.expression.right))) out.consts.set(`<exports.${m[1] ?? 'default'}>`, expr(st.expression.right, 0));
    }
    code = true;
    if (walked) visit(st, undefined, false);
    else if (ts.isEnumDeclaration(st)) visit(st, undefined, false);
  }
  return out;
}

/** The text of a string (a literal or a template without substitutions). */
export function str(e: Expr | undefined): string | undefined {
  return e?.k === 'str' ? e.v : undefined;
}

/** `true` or `false`. */
export function bool(e: Expr | undefined): boolean | undefined {
  return e?.k === 'bool' ? e.v : undefined;
}

/** Last name of an identifier or property chain: `a.b.c` → `c`, `x` → `x` (not `this`). */
export function lastName(e: Expr | undefined): string | undefined {
  return e?.k === 'id' || e?.k === 'member' ? e.name : undefined;
}

/** A chain of names as written (`DataTypes.STRING`, `this.repo`); undefined when any link is not a name. */
export function dotted(e: Expr | undefined): string | undefined {
  if (e?.k === 'id' || e?.k === 'kw') return e.name;
  if (e?.k !== 'member') return undefined;
  const left = dotted(e.e);
  return left === undefined ? undefined : `${left}.${e.name}`;
}

/** Whether an expression is an object literal. */
export function isObject(e: Expr | undefined): e is Extract<Expr, { k: 'obj' }> {
  return e?.k === 'obj';
}

/** Value of property `name` of an object literal (the first `name: v` or shorthand `name`); methods are not values. */
export function prop(e: Expr | undefined, name: string): Expr | undefined {
  if (e?.k !== 'obj') return undefined;
  for (const p of e.props) if (p.k === 'prop' && p.name === name && p.e) return p.e;
  return undefined;
}

/** Named properties of an object literal with their values, in order (`k: v` and shorthand `k`). */
export function entries(e: Expr | undefined): [string, Expr][] {
  if (e?.k !== 'obj') return [];
  const out: [string, Expr][] = [];
  for (const p of e.props) if (p.k === 'prop' && p.name !== undefined && p.e) out.push([p.name, p.e]);
  return out;
}

/** The strings of an array literal; undefined when it is none or an element is no string. */
export function stringArray(e: Expr | undefined): string[] | undefined {
  if (e?.k !== 'arr') return undefined;
  const out: string[] = [];
  for (const x of e.items) {
    if (x.k !== 'str') return undefined;
    out.push(x.v);
  }
  return out;
}

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type CallShape = Extract<ShapeSite, { k: 'call' }>;
export type ClassShape = Extract<ShapeSite, { k: 'class' }>;
export type TypeDeclShape = Extract<ShapeSite, { k: 'type' }>;
