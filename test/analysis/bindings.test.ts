import { describe, expect, it } from 'vitest';
import ts from '../../src/analyzer/typescript.cjs';
import {
  calleeModule,
  envVariable,
  fileInfo,
  numberValue,
  numberValues,
  objectLiteral,
  readCall,
  recordBinding,
  stringValue,
  stringValues,
  type FileInfo,
} from '../../src/analysis/bindings.js';

const parse = (text: string) => ts.createSourceFile('src/a.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** The file's info, with nested declarations and calls recorded the way an analyzer's walk does. */
function walked(text: string): FileInfo {
  const info = fileInfo('src/a.ts', parse(text));
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) || ts.isCallExpression(n)) recordBinding(info, n);
    ts.forEachChild(n, visit);
  };
  visit(info.sf);
  return info;
}

/** The initialiser of `const <name> = …` in the file. */
function init(info: FileInfo, name: string): ts.Expression {
  return info.consts.get(name)!;
}

/** The first call or `new` whose callee text is `callee`. */
function callOf(info: FileInfo, callee: string): ts.CallExpression | ts.NewExpression {
  let found: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && (ts.isCallExpression(n) || ts.isNewExpression(n)) && n.expression.getText(info.sf) === callee) found = n;
    ts.forEachChild(n, visit);
  };
  visit(info.sf);
  return found!;
}

describe('import bindings', () => {
  const info = walked(
    [
      "import Sentry, * as ns from '@sentry/node';",
      "import { sign as signIt, verify } from 'jsonwebtoken';",
      "import fs = require('node:fs');",
      "import 'reflect-metadata';",
      "const express = require('express');",
      "const { Router: R, json } = require('express');",
      "const Strategy = require('passport-jwt').Strategy;",
      'function later() {',
      "  const os = require('node:os');",
      "  return import('./lazy.js');",
      '}',
    ].join('\n'),
  );

  it('binds default, namespace, named (renamed) and import-equals names to their module', () => {
    expect(info.bindings.get('Sentry')).toEqual({ module: '@sentry/node', imported: 'default', line: 1 });
    expect(info.bindings.get('ns')).toMatchObject({ module: '@sentry/node', imported: '*' });
    expect(info.bindings.get('signIt')).toMatchObject({ module: 'jsonwebtoken', imported: 'sign' });
    expect(info.bindings.get('verify')).toMatchObject({ module: 'jsonwebtoken', imported: 'verify' });
    expect(info.bindings.get('fs')).toMatchObject({ module: 'node:fs', imported: '*', line: 3 });
  });

  it('binds require, destructured require and require(...).Name', () => {
    expect(info.bindings.get('express')).toMatchObject({ module: 'express', imported: '*' });
    expect(info.bindings.get('R')).toMatchObject({ module: 'express', imported: 'Router', line: 6 });
    expect(info.bindings.get('json')).toMatchObject({ module: 'express', imported: 'json' });
    expect(info.bindings.get('Strategy')).toMatchObject({ module: 'passport-jwt', imported: 'Strategy' });
  });

  it('lists every module with its first line, nested requires and dynamic imports included', () => {
    expect([...info.modules]).toEqual([
      ['@sentry/node', 1],
      ['jsonwebtoken', 2],
      ['node:fs', 3],
      ['reflect-metadata', 4],
      ['express', 5],
      ['passport-jwt', 7],
      ['node:os', 9],
      ['./lazy.js', 10],
    ]);
  });

  it('names the module a callee comes from, through property chains and inline requires', () => {
    const calls = walked("import * as Sentry from '@sentry/node';\nSentry.Handlers.requestHandler();\nrequire('dd-trace').init();\nlocal();\n");
    expect(calleeModule(callOf(calls, 'Sentry.Handlers.requestHandler'), calls)).toMatchObject({ module: '@sentry/node', imported: '*' });
    expect(calleeModule(callOf(calls, "require('dd-trace').init"), calls)).toEqual({ module: 'dd-trace', imported: '*', line: 3 });
    expect(calleeModule(callOf(calls, 'local'), calls)).toBeUndefined();
  });
});

describe('readCall', () => {
  const info = walked("import { init as start } from '@sentry/node';\nimport * as Sentry from '@sentry/node';\nstart({ dsn });\nSentry.init();\nnew Date;\n");

  it('gives the imported name of a renamed named import, else the last name of the chain', () => {
    const renamed = readCall(callOf(info, 'start') as ts.CallExpression, info);
    expect(renamed).toMatchObject({ name: 'start', last: 'start', named: 'init', binding: { module: '@sentry/node', imported: 'init' } });
    expect(renamed.args).toHaveLength(1);
    expect(readCall(callOf(info, 'Sentry.init') as ts.CallExpression, info)).toMatchObject({
      name: 'Sentry.init',
      last: 'init',
      named: 'init',
      binding: { imported: '*' },
    });
  });

  it('reads a `new` without arguments as one with none, bound to nothing', () => {
    expect(readCall(callOf(info, 'Date') as ts.NewExpression, info)).toMatchObject({ name: 'Date', named: 'Date', binding: undefined, args: [] });
  });
});

describe('constant folding within the file', () => {
  const info = walked(
    [
      "const PREFIX = 'api';",
      "const PATH = '/' + PREFIX + `/v1`;",
      'const MINUTE = 60 * 1000;',
      'const WINDOW = 15 * MINUTE;',
      'const HALF = WINDOW / 0;',
      "const ORIGINS = ['https://a.example', PREFIX, process.env.ORIGIN];",
      'const BUCKETS = [0.1, -1, 2_500, unknownThing];',
      "const OPTS = { secret: 'x' };",
      'const USE = OPTS;',
      'const LOOP = LOOP;',
    ].join('\n'),
  );

  it('joins strings with + and follows constants', () => {
    expect(stringValue(init(info, 'PATH'), info)).toBe('/api/v1');
    expect(stringValue(init(info, 'PATH'))).toBeUndefined();
    expect(stringValue(init(info, 'LOOP'), info)).toBeUndefined();
  });

  it('folds arithmetic over constants and refuses a division by zero', () => {
    expect(numberValue(init(info, 'WINDOW'), info)).toBe(900_000);
    expect(numberValue(init(info, 'HALF'), info)).toBeUndefined();
  });

  it('keeps the known elements of an array and skips the rest; undefined for a non-array', () => {
    expect(stringValues(init(info, 'ORIGINS'), info)).toEqual(['https://a.example', 'api']);
    expect(numberValues(init(info, 'BUCKETS'), info)).toEqual([0.1, -1, 2500]);
    expect(stringValues(init(info, 'PATH'), info)).toBeUndefined();
  });

  it('follows one constant to an object literal', () => {
    expect(objectLiteral(init(info, 'USE'), info)?.getText(info.sf)).toBe("{ secret: 'x' }");
    expect(objectLiteral(init(info, 'PATH'), info)).toBeUndefined();
  });
});

describe('constants read in scope', () => {
  /** The first argument of each `use(…)` call, in source order, read as a string. */
  const uses = (text: string) => {
    const info = walked(text);
    const out: (string | undefined)[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.expression.getText(info.sf) === 'use') out.push(stringValue(n.arguments[0], info));
      ts.forEachChild(n, visit);
    };
    visit(info.sf);
    return { info, out };
  };

  it('reads a const declared again in a catch block, or in each arm of an if, as the one in scope', () => {
    const { out } = uses(
      [
        'async function handler(x) {',
        "  try { const url = 'notice'; use(url); }",
        "  catch (error) { const url = 'errors'; use(url); }",
        "  if (x) { const url = 'then'; use(url); } else { const url = 'else'; use(url); }",
        '}',
      ].join('\n'),
    );
    expect(out).toEqual(['notice', 'errors', 'then', 'else']);
  });

  it('reads a module constant before and after an inner block that declares the name again, and inside a nested function', () => {
    const { out } = uses(
      [
        "const QUEUE = 'module';",
        'function f(x) {',
        '  use(QUEUE);',
        "  if (x) { const QUEUE = 'inner'; use(QUEUE); const later = () => use(QUEUE); }",
        '  use(QUEUE);',
        "  const g = () => { const QUEUE = 'nested'; return use(QUEUE); };",
        "  for (let i = 0; i < 2; i++) { var QUEUE_V = 'var'; }",
        '  use(QUEUE_V);',
        '}',
      ].join('\n'),
    );
    expect(out).toEqual(['module', 'inner', 'inner', 'module', 'nested', 'var']);
  });

  it('lets a parameter, a loop’s name or a catch clause’s hide a module constant', () => {
    const { out } = uses(
      [
        "const QUEUE = 'module';",
        'function f(QUEUE) { use(QUEUE); }',
        'const g = ({ QUEUE }) => use(QUEUE);',
        'for (const QUEUE of list) use(QUEUE);',
        'try { run(); } catch (QUEUE) { use(QUEUE); }',
        "function h() { if (x) { const QUEUE = 'block'; } use(QUEUE); }",
      ].join('\n'),
    );
    expect(out).toEqual([undefined, undefined, undefined, undefined, 'module']);
  });

  it('keeps the file’s first declaration for a name no declaration in scope binds', () => {
    const { info, out } = uses(["function a() { const ONLY = 'a'; }", "function b() { const ONLY = 'b'; }", 'use(ONLY);'].join('\n'));
    expect(out).toEqual(['a']);
    expect(info.declared.get('ONLY')?.length).toBe(2);
  });
});

describe('environment variable names', () => {
  const info = walked(
    [
      'const a = process.env.JWT_SECRET;',
      "const b = process.env['API_KEY'] ?? 'dev';",
      'const c = import.meta.env.VITE_URL;',
      "const d = this.configService.get('DB_PASSWORD');",
      "const e = Deno.env.get('TOKEN');",
      "const f = Number(env('PORT'));",
      "const g = Buffer.from(process.env.KEY_B64, 'base64');",
      'const h = prod ? process.env.PROD_DSN : process.env.DEV_DSN;',
      'const i = a;',
      "const j = config.get('lowercase');",
      "const k = 'literal';",
    ].join('\n'),
  );
  const name = (v: string) => envVariable(init(info, v), info);

  it('reads names behind defaults, config getters, conversions, conditionals and constants', () => {
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(name)).toEqual([
      'JWT_SECRET',
      'API_KEY',
      'VITE_URL',
      'DB_PASSWORD',
      'TOKEN',
      'PORT',
      'KEY_B64',
      'PROD_DSN',
      'JWT_SECRET',
    ]);
  });

  it('never takes a lower-case getter key or a literal for a variable', () => {
    expect(name('j')).toBeUndefined();
    expect(name('k')).toBeUndefined();
  });
});
