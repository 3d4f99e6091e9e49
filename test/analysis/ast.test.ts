import { describe, expect, it } from 'vitest';
import ts from '../../src/analyzer/typescript.cjs';
import {
  assignedName,
  bool,
  calleeName,
  chainText,
  configKey,
  decoratorsOf,
  dotted,
  enclosingClass,
  envName,
  envNames,
  exprLabel,
  hasModifier,
  isFunctionLike,
  isObject,
  lastName,
  lineOf,
  num,
  objectEntries,
  objectMethod,
  prop,
  propKeys,
  propName,
  requireSpecifier,
  str,
  stringArray,
  unwrap,
  unwrapAwait,
} from '../../src/analysis/ast.js';

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The initialiser of `const <name> = …` in the snippet. */
function init(text: string, name = 'x'): ts.Expression {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = n.initializer;
    ts.forEachChild(n, visit);
  };
  visit(parse(text));
  if (!found) throw new Error(`no const ${name}`);
  return found;
}

/** Each snippet's `x` read by `read`, for a table of snippet → expected answer. */
function readsAll<T>(read: (e: ts.Expression) => T, cases: [string, T][]): void {
  expect(cases.map(([text]) => read(init(text)))).toEqual(cases.map(([, want]) => want));
}

/** First node of a kind, in source order. */
function first<T extends ts.Node>(sf: ts.Node, is: (n: ts.Node) => n is T): T {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && is(n)) found = n;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!found) throw new Error('not found');
  return found;
}

describe('unwrap and unwrapAwait', () => {
  it('strip parentheses, as, satisfies, non-null and <T> casts', () => {
    for (const text of ["const x = (('a' as string)!);", "const x = ('a' satisfies string);", "const x = <string>('a');"]) {
      const u = unwrap(init(text));
      expect(ts.isStringLiteral(u)).toBe(true);
    }
  });

  it('only unwrapAwait looks through await', () => {
    const e = init('async function f() { const x = (await (y as Promise<number>)) as number; }');
    expect(ts.isAwaitExpression(unwrap(e))).toBe(true);
    const u = unwrapAwait(e);
    expect(ts.isIdentifier(u) && u.text).toBe('y');
  });
});

describe('property names and object literals', () => {
  const obj = init("const x = { a: 1, 'b-c': 2, 3: 'three', ['d']: 4, [`e`]: 5, [key]: 6, f, g() { return 1; }, ...rest } as const;");

  it('propName reads identifiers, strings, numbers and computed string literals only', () => {
    const names = (unwrap(obj) as ts.ObjectLiteralExpression).properties.map((p) => propName(p.name));
    expect(names).toEqual(['a', 'b-c', '3', 'd', 'e', undefined, 'f', 'g', undefined]);
    const cls = first(parse('class A { #secret = 1; }'), ts.isPropertyDeclaration);
    expect(propName(cls.name)).toBe('#secret');
    expect(propName(undefined)).toBeUndefined();
  });

  it('objectEntries lists named values, shorthand as its identifier, and no methods or spreads', () => {
    const entries = objectEntries(obj).map(([n, v]) => [n, v.getText()]);
    expect(entries).toEqual([
      ['a', '1'],
      ['b-c', '2'],
      ['3', "'three'"],
      ['d', '4'],
      ['e', '5'],
      ['f', 'f'],
    ]);
    expect(objectEntries(init('const x = [1];'))).toEqual([]);
    expect(objectEntries(undefined)).toEqual([]);
  });

  it('prop finds values through wrappers, shorthand included, and never a method', () => {
    expect(prop(obj, 'b-c')?.getText()).toBe('2');
    expect(prop(obj, 'd')?.getText()).toBe('4');
    expect(prop(obj, 'f')?.getText()).toBe('f');
    expect(prop(obj, 'g')).toBeUndefined();
    expect(prop(obj, 'missing')).toBeUndefined();
    expect(prop(init('const x = call();'), 'a')).toBeUndefined();
    expect(prop(init('const x = { a: 1, a: 2 };'), 'a')?.getText()).toBe('1');
  });

  it('propKeys lists every static name in order, methods included, spreads and computed names not', () => {
    expect(propKeys(obj)).toEqual(['a', 'b-c', '3', 'd', 'e', 'f', 'g']);
    expect(propKeys(init('const x = { get y() { return 1; }, set z(v) {} };'))).toEqual(['y', 'z']);
    expect(propKeys(init('const x = [1];'))).toEqual([]);
  });

  it('objectMethod finds methods only; isObject sees through wrappers', () => {
    expect(objectMethod(obj, 'g')?.name.getText()).toBe('g');
    expect(objectMethod(obj, 'a')).toBeUndefined();
    expect(isObject(obj)).toBe(true);
    expect(isObject(init('const x = [];'))).toBe(false);
    expect(isObject(undefined)).toBe(false);
  });
});

describe('literal readers', () => {
  it('str reads string literals and substitution-free templates, nothing computed', () => {
    expect(str(init("const x = ('orders' as const);"))).toBe('orders');
    expect(str(init('const x = `orders`;'))).toBe('orders');
    expect(str(init('const x = `orders-${id}`;'))).toBeUndefined();
    expect(str(init("const x = 'a' + 'b';"))).toBeUndefined();
    expect(str(init('const x = 1;'))).toBeUndefined();
    expect(str(undefined)).toBeUndefined();
  });

  it('num reads numbers, negative ones and separators', () => {
    expect(num(init('const x = 60_000;'))).toBe(60000);
    expect(num(init('const x = -(1.5);'))).toBeUndefined();
    expect(num(init('const x = -1.5;'))).toBe(-1.5);
    expect(num(init('const x = 0x10;'))).toBe(16);
    expect(num(init("const x = '1';"))).toBeUndefined();
  });

  it('bool reads true and false only', () => {
    expect(bool(init('const x = (true);'))).toBe(true);
    expect(bool(init('const x = false!;'))).toBe(false);
    expect(bool(init('const x = 1;'))).toBeUndefined();
  });

  it('stringArray needs every element known', () => {
    expect(stringArray(init("const x = ['a', `b`] as const;"))).toEqual(['a', 'b']);
    expect(stringArray(init("const x = ['a', b];"))).toBeUndefined();
    expect(stringArray(init("const x = 'a';"))).toBeUndefined();
    expect(stringArray(init('const x = [];'))).toEqual([]);
    const upper = (e: ts.Expression) => str(e)?.toUpperCase();
    expect(stringArray(init("const x = ['a'];"), upper)).toEqual(['A']);
  });
});

describe('name chains', () => {
  it('lastName and dotted read chains of names through wrappers', () => {
    const e = init('const x = (DataTypes.STRING as any);');
    expect(lastName(e)).toBe('STRING');
    expect(dotted(e)).toBe('DataTypes.STRING');
    expect(dotted(init('class A { m() { const x = this.repo.find; } }'))).toBe('this.repo.find');
    expect(dotted(init('class A extends B { m() { const x = super.init; } }'))).toBe('super.init');
    expect(dotted(init('const x = a().b;'))).toBeUndefined();
    expect(lastName(init('const x = a();'))).toBeUndefined();
  });

  it('chainText and calleeName write an unknown head as ?', () => {
    const call = first(parse('getApp().server.listen(3000);'), ts.isCallExpression);
    expect(calleeName(call)).toBe('?.server.listen');
    const init_ = first(parse('Sentry.init({ dsn });'), ts.isCallExpression);
    expect(calleeName(init_)).toBe('Sentry.init');
    const ctor = first(parse('new this.Client();'), ts.isNewExpression);
    expect(calleeName(ctor)).toBe('this.Client');
    expect(chainText(init("const x = 'a';"))).toBeUndefined();
  });

  it('exprLabel names references and calls for display, never literals', () => {
    readsAll(exprLabel, [
      ['const x = (store as Store);', 'store'],
      ['const x = this.redis.client;', 'this.redis.client'],
      ['const x = createClient(opts);', 'createClient()'],
      ['const x = new session.MemoryStore();', 'new session.MemoryStore()'],
      ["const x = 'secret';", undefined],
      ['const x = make()();', undefined],
    ]);
  });
});

describe('decoratorsOf', () => {
  const sf = parse(`
@Controller('orders')
@Injectable
export class OrdersController {
  @Get(':id') @orm.Column({ type: 'int' }) @x.Public
  find(@Param('id') id: string, @Inject(TOKEN) @Optional() dep?: unknown) {}
  @(factory())() odd = 1;
  plain() {}
}`);
  const cls = first(sf, ts.isClassDeclaration);
  const names = (n: ts.Node) => decoratorsOf(n).map((d) => [d.name, d.args.map((a) => a.getText())]);

  it('reads class decorators, called or not', () => {
    expect(names(cls)).toEqual([
      ['Controller', ["'orders'"]],
      ['Injectable', []],
    ]);
    expect(decoratorsOf(cls)[0]!.node.getText()).toBe("@Controller('orders')");
  });

  it('reads member decorators with the last name of a chain', () => {
    const find = cls.members.find((m) => propName(m.name) === 'find')!;
    expect(names(find)).toEqual([
      ['Get', ["':id'"]],
      ['Column', ["{ type: 'int' }"]],
      ['Public', []],
    ]);
  });

  it('reads parameter decorators, and leaves out nameless ones and undecorated nodes', () => {
    const find = cls.members.find((m) => propName(m.name) === 'find') as ts.MethodDeclaration;
    expect(find.parameters.map(names)).toEqual([
      [['Param', ["'id'"]]],
      [
        ['Inject', ['TOKEN']],
        ['Optional', []],
      ],
    ]);
    const odd = cls.members.find((m) => propName(m.name) === 'odd')!;
    expect(names(odd)).toEqual([]);
    expect(names(cls.members.find((m) => propName(m.name) === 'plain')!)).toEqual([]);
    expect(names(first(sf, ts.isStringLiteral))).toEqual([]);
  });
});

describe('requireSpecifier', () => {
  it('reads require calls with one string argument', () => {
    readsAll(requireSpecifier, [
      ["const x = require('express');", 'express'],
      ['const x = require(`./routes`);', './routes'],
      ['const x = require(name);', undefined],
      ["const x = require('a', 'b');", undefined],
      ["const x = load('express');", undefined],
      ["const x = require('express').Router;", undefined],
    ]);
  });
});

describe('declarations around a node', () => {
  it('isFunctionLike accepts functions with bodies of their own', () => {
    const sf = parse(
      'function a() {} const b = () => 1; const c = function () {}; class D { constructor() {} m() {} get g() { return 1; } set s(v) {} p = 1; }',
    );
    const kinds: string[] = [];
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n)) kinds.push(ts.SyntaxKind[n.kind]);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    expect(kinds).toEqual(['FunctionDeclaration', 'ArrowFunction', 'FunctionExpression', 'Constructor', 'MethodDeclaration', 'GetAccessor', 'SetAccessor']);
  });

  it('hasModifier reads export, default and static where a node can carry them', () => {
    const sf = parse('export default function f() {}\nclass A { static s = 1; t = 2; }\nexport const x = 1;');
    const [fn, cls, vars] = sf.statements as unknown as [ts.FunctionDeclaration, ts.ClassDeclaration, ts.VariableStatement];
    expect([hasModifier(fn, ts.SyntaxKind.ExportKeyword), hasModifier(fn, ts.SyntaxKind.DefaultKeyword)]).toEqual([true, true]);
    expect(hasModifier(cls, ts.SyntaxKind.ExportKeyword)).toBe(false);
    expect(cls.members.map((m) => hasModifier(m, ts.SyntaxKind.StaticKeyword))).toEqual([true, false]);
    expect(hasModifier(vars, ts.SyntaxKind.ExportKeyword)).toBe(true);
    expect(hasModifier(vars.declarationList.declarations[0]!.initializer!, ts.SyntaxKind.ExportKeyword)).toBe(false);
  });

  it('enclosingClass finds the nearest class, expressions included', () => {
    const sf = parse('class Outer { m() { const C = class Inner { n() { this.belongsTo(User); } }; } }\nfoo();');
    const call = first(sf, (n): n is ts.CallExpression => ts.isCallExpression(n) && n.getText().startsWith('this.'));
    expect(enclosingClass(call)?.name?.text).toBe('Inner');
    expect(enclosingClass(first(sf, ts.isClassExpression))?.name?.text).toBe('Outer');
    const top = sf.statements[1]!;
    expect(enclosingClass(top)).toBeUndefined();
  });

  it('assignedName names the variable, member or key a value is given to', () => {
    expect(assignedName(init("const orders = pgTable('orders', {});", 'orders'))).toBe('orders');
    const assign = first(parse("db.User = sequelize.define('User', {});"), ts.isCallExpression);
    expect(assignedName(assign)).toBe('User');
    const keyed = first(parse("export const schema = { 'users': pgTable('users', {}) };"), ts.isCallExpression);
    expect(assignedName(keyed)).toBe('users');
    expect(assignedName(first(parse('f(pgTable());'), ts.isCallExpression))).toBeUndefined();
  });

  it('lineOf is 1-based and skips leading comments', () => {
    const sf = parse('const a = 1;\n\n// a comment\nconst b = 2;\n');
    expect(lineOf(sf, sf.statements[0]!)).toBe(1);
    expect(lineOf(sf, sf.statements[1]!)).toBe(4);
  });
});

describe('environment names', () => {
  it('envName reads process.env and import.meta.env, with dot or string index', () => {
    readsAll(envName, [
      ['const x = process.env.DATABASE_URL;', 'DATABASE_URL'],
      ["const x = process.env['QUEUE-NAME']!;", 'QUEUE-NAME'],
      ['const x = (process.env).REDIS_URL as string;', 'REDIS_URL'],
      ['const x = import.meta.env.VITE_API;', 'VITE_API'],
      ['const x = process.env[key];', undefined],
      ['const x = config.env.X;', undefined],
      ['const x = process.env;', undefined],
      ["const x = process.env.A ?? 'b';", undefined],
    ]);
  });

  it('configKey reads env() and config getters with upper-case names', () => {
    readsAll(configKey, [
      ["const x = env('DB_HOST');", 'DB_HOST'],
      ["const x = this.configService.getOrThrow('DB_PORT');", 'DB_PORT'],
      ["const x = config.get('REDIS_URL');", 'REDIS_URL'],
      ["const x = Deno.env.get('PORT');", 'PORT'],
      ["const x = getConfig().getNumber('WORKERS');", 'WORKERS'],
      ["const x = configService.fetch('DB_HOST');", undefined],
      ["const x = config.get('database.host');", undefined],
      ["const x = cache.get('USERS');", undefined],
      ['const x = env(NAME);', undefined],
    ]);
  });

  it('envNames lists every read under a node once, in source order', () => {
    const e = init(
      "const x = { host: (process.env.DB_HOST as string), port: Number(process.env['DB_PORT']), user: config.get('DB_USER'), pass: env('DB_PASS'), other: process.env[k] };",
    );
    expect(envNames(e)).toEqual(['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASS']);
  });
});
