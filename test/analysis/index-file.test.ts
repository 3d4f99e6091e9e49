import { describe, expect, it } from 'vitest';
import { envOf, indexFromJSON, indexToJSON, literalHead, propOf, refText, type Value } from '../../src/analysis/index-file.js';
import { indexOf } from './engine.js';

const SERVICE = `import { Injectable, Inject } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import * as crypto from 'node:crypto';
import Redis = require('ioredis');
const axios = require('axios');
export { OrdersRepo as Repo } from './orders.repo';
export * from './dto';

export enum Topic { Created = 'order.created', Paid = 'order.paid' }
export enum Level { Low, Mid, High = 10, Top }
export const CONFIG = { queues: { orders: 'orders', mail: \`mail-\${process.env.STAGE}\` }, retries: [1, 2, 3], strict: true };
export const QUEUE = process.env.ORDERS_QUEUE || 'orders';
const PREFIX = process.env.PREFIX ?? 'app';

@Injectable()
export class OrdersService implements Billing {
  static readonly NAME = 'orders-service';
  private readonly redis = new Redis(process.env.REDIS_URL);
  constructor(
    private readonly repo: OrdersRepo,
    @InjectQueue('orders') private readonly queue: Queue<Job>,
    @Inject(TOKEN) cache: Cache,
    plain: Mailer,
  ) {
    this.mailer = plain;
  }

  async create(dto: CreateOrder, id: string) {
    const order = await this.repo.save(dto);
    if (order.total > 100) {
      await this.queue.add('big-order', { id: order.id, at: Date.now() });
    } else {
      await axios.post(\`\${BASE}/small/\${id}\`, { id }, { timeout: 5 });
    }
    return order;
  }
}

export function makeQueue(name: string, { prefix }: Options) {
  return new Queue(name, { prefix });
}
export default (n: number) => n * 2;
`;

describe('index-file: the plain-data index of one script', () => {
  const idx = indexOf('src/orders.service.ts', SERVICE);

  it('records imports (ESM default, named, namespace, import = require, require) and exports, re-exports and export *', () => {
    expect(idx.imports.get('InjectQueue')).toEqual({ module: '@nestjs/bullmq', name: 'InjectQueue', line: 2 });
    expect(idx.imports.get('crypto')).toEqual({ module: 'node:crypto', name: '*', line: 4 });
    expect(idx.imports.get('Redis')).toEqual({ module: 'ioredis', name: '*', line: 5 });
    expect(idx.imports.get('axios')).toEqual({ module: 'axios', name: 'default', line: 6 });
    // A required module is an import, not a module value (its call to `require` resolves to nothing).
    expect(idx.vars.has('axios')).toBe(false);
    const cjs = indexOf(
      'src/db.js',
      "const { Pool, types: pgTypes } = require('pg');\nconst { db } = require('./db');\nfunction f() { const { x } = require('y'); }\n",
    );
    expect([...cjs.imports]).toEqual([
      ['Pool', { module: 'pg', name: 'Pool', line: 1 }],
      ['pgTypes', { module: 'pg', name: 'types', line: 1 }],
      ['db', { module: './db', name: 'db', line: 2 }],
    ]);
    expect(cjs.vars.size).toBe(0);
    expect(idx.reexports.get('Repo')).toEqual({ module: './orders.repo', name: 'OrdersRepo' });
    expect(idx.starExports).toEqual(['./dto']);
    expect([...idx.exports]).toEqual(
      expect.arrayContaining([
        ['Topic', 'Topic'],
        ['CONFIG', 'CONFIG'],
        ['OrdersService', 'OrdersService'],
        ['makeQueue', 'makeQueue'],
        ['default', '<default>'],
      ]),
    );
    expect(idx.exports.has('PREFIX')).toBe(false);
  });

  it('keeps module values as values: enums, objects, arrays, templates with their parts, env reads with their defaults', () => {
    expect(idx.vars.get('Topic')).toEqual({ k: 'obj', props: { Created: { k: 'str', v: 'order.created' }, Paid: { k: 'str', v: 'order.paid' } } });
    const level = idx.vars.get('Level');
    expect(['Low', 'Mid', 'High', 'Top'].map((m) => propOf(level, m))).toEqual([
      { k: 'num', v: 0 },
      { k: 'num', v: 1 },
      { k: 'num', v: 10 },
      { k: 'num', v: 11 },
    ]);
    const config = idx.vars.get('CONFIG');
    expect(propOf(propOf(config, 'queues'), 'orders')).toEqual({ k: 'str', v: 'orders' });
    expect(propOf(propOf(config, 'queues'), 'mail')).toEqual({
      k: 'tpl',
      quasis: ['mail-', ''],
      exprs: [{ k: 'env', name: 'STAGE', path: 'process.env.STAGE' }],
      env: ['STAGE'],
    });
    expect(propOf(config, 'retries')).toEqual({ k: 'arr', items: [1, 2, 3].map((v) => ({ k: 'num', v })) });
    expect(propOf(config, 'strict')).toEqual({ k: 'bool', v: true });
    expect(idx.vars.get('QUEUE')).toEqual({ k: 'env', name: 'ORDERS_QUEUE', path: 'process.env.ORDERS_QUEUE', or: { k: 'str', v: 'orders' } });
    expect(envOf(idx.vars.get('PREFIX'))).toEqual(['PREFIX']);
    // `constructor` is no property of an object literal that does not declare one.
    expect(propOf(config, 'constructor')).toBeUndefined();
  });

  it('records classes: static members, field initialisers, constructor-injected types and decorators with their arguments, implements', () => {
    const cls = idx.classes.get('OrdersService')!;
    expect(cls.decorators.map((d) => d.name)).toEqual(['Injectable']);
    expect(cls.implements).toEqual(['Billing']);
    expect(cls.fields.get('NAME')).toMatchObject({ static: true, init: { k: 'str', v: 'orders-service' } });
    expect(cls.fields.get('redis')!.init).toMatchObject({
      k: 'call',
      call: { root: 'Redis', isNew: true, args: [{ k: 'env', name: 'REDIS_URL' }] },
      env: ['REDIS_URL'],
    });
    expect(cls.fields.get('repo')).toMatchObject({ type: 'OrdersRepo', decorators: [] });
    expect(cls.fields.get('queue')).toMatchObject({
      type: 'Queue',
      typeArgs: ['Job'],
      decorators: [{ name: 'InjectQueue', args: [{ k: 'str', v: 'orders' }] }],
    });
    expect(cls.fields.get('cache')).toMatchObject({ type: 'Cache', decorators: [{ name: 'Inject', args: [{ k: 'ref', path: 'TOKEN' }] }] });
    // A plain parameter is a field only through `this.x = x`.
    expect(cls.fields.get('mailer')).toMatchObject({ type: 'Mailer' });
    expect(cls.fields.has('plain')).toBe(false);
    expect([...cls.methods.keys()]).toEqual(['create']);
  });

  it('records each function with its parameters, calls (callee chains, arguments, if/else arms) and returns', () => {
    const fn = idx.functions.get('src/orders.service.ts#OrdersService.create')!;
    expect(fn).toMatchObject({ name: 'OrdersService.create', cls: 'OrdersService', paramNames: ['dto', 'id'] });
    expect([...fn.params]).toEqual([['dto', 'CreateOrder']]);
    expect(fn.calls.map((c) => `${c.root}.${c.names.join('.')}@${c.line}${c.branch ? ` ${c.branch.arm}` : ''}`)).toEqual([
      'this.repo.save@30',
      'Date.now@32',
      'this.queue.add@32 then',
      'axios.post@34 else',
    ]);
    const add = fn.calls[2]!;
    expect(add.branch).toEqual({ id: 'src/orders.service.ts:31', arm: 'then', cond: 'order.total > 100' });
    expect(literalHead(add.args[0])).toBe('big-order');
    expect(refText(propOf(add.args[1], 'id'))).toBe('order.id');
    expect(propOf(add.args[1], 'at')).toMatchObject({ k: 'call', call: { root: 'Date', names: ['now'] } });
    const post = fn.calls[3]!;
    expect(post.args[0]).toEqual({
      k: 'tpl',
      quasis: ['', '/small/', ''],
      exprs: [
        { k: 'ref', path: 'BASE' },
        { k: 'ref', path: 'id' },
      ],
    });
    expect(fn.returns).toEqual([{ k: 'ref', path: 'order' }]);
    expect(fn.locals.get('order')).toMatchObject({ k: 'call', call: { root: 'this', names: ['repo', 'save'] } });

    const make = idx.functions.get('src/orders.service.ts#makeQueue')!;
    expect(make.paramNames).toEqual(['name', '']);
    expect(make.returns).toMatchObject([{ k: 'call', call: { root: 'Queue', isNew: true, args: [{ k: 'ref', path: 'name' }, { k: 'obj' }] } }]);
    // The return is read as a value without recording its call twice.
    expect(make.calls).toHaveLength(1);
  });

  it('keeps intermediate calls’ arguments of a chain, and a callback as a function of its own', () => {
    const i = indexOf(
      'src/q.ts',
      "knex('orders').where({ id: 1 }).update({ paid: true });\nrouter.post('/x', auth, async (req, res) => { await svc.run(req.body); });\n",
    );
    const [chain, route] = i.topLevel.calls.filter((c) => c.root !== 'svc');
    expect(chain!.names).toEqual(['()', 'where', '()', 'update']);
    expect(chain!.innerArgs.map((a) => a.map(literalHead))).toEqual([['orders'], [undefined]]);
    const cb = route!.args[2] as Extract<Value, { k: 'fn' }>;
    expect(cb.k).toBe('fn');
    expect(i.functions.get(cb.key)).toMatchObject({ name: '<callback>', parent: 'src/q.ts#<module>', paramNames: ['req', 'res'] });
    expect(i.functions.get(cb.key)!.calls.map((c) => c.root)).toEqual(['svc']);
  });

  it('records the names a parameter’s or a local’s object pattern binds and what `for…of` loops iterate', () => {
    const i = indexOf(
      'src/routes.ts',
      'export function mount(api: Api, { base, routes: list, ...rest }: Opts) {\n  for (const { path: p, verb } of list) api.add(verb, base + p);\n  for (const r of [1, 2]) use(r);\n}\n',
    );
    const fn = i.functions.get('src/routes.ts#mount')!;
    expect([...fn.paramProps!]).toEqual([
      ['base', { param: 1, prop: 'base' }],
      ['list', { param: 1, prop: 'routes' }],
    ]);
    expect(fn.loops).toEqual([
      {
        names: [
          { name: 'p', prop: 'path' },
          { name: 'verb', prop: 'verb' },
        ],
        of: { k: 'ref', path: 'list' },
        line: 2,
      },
      {
        names: [{ name: 'r' }],
        of: {
          k: 'arr',
          items: [
            { k: 'num', v: 1 },
            { k: 'num', v: 2 },
          ],
        },
        line: 3,
      },
    ]);
    expect(fn.calls.map((c) => c.root)).toEqual(['api', 'use']);
    const local = indexOf('src/stack.ts', "export function f() {\n  const { queue, table: t, ...rest } = new Service(scope, 'S');\n}\n").functions.get(
      'src/stack.ts#f',
    )!;
    expect([...local.picks!]).toEqual([
      ['queue', 'queue'],
      ['t', 'table'],
    ]);
  });

  it('round-trips through JSON to an equal index (no syntax node inside)', () => {
    const text = indexToJSON(idx);
    const back = indexFromJSON(text);
    expect(back).toEqual(idx);
    expect(back.topLevel).toBe(back.functions.get(back.topLevel.key));
    expect(indexToJSON(back)).toBe(text);
  });

  it('keys a function named like one it is nested in apart from it, so no function is its own ancestor', () => {
    // A hostile shape seen in real code: every walk up the parents never ended on it.
    const text = `export async function load(input: unknown) {
  async function load(args: { more: boolean }): Promise<unknown[]> {
    if (args.more) return [...(await load({ more: false }))];
    return [];
  }
  class A { m() { class A { m() { return 1; } } return new A(); } }
  return load({ more: true });
}
`;
    const i = indexOf('src/load.ts', text);
    expect([...i.functions.keys()].filter((k) => k !== i.topLevel.key)).toEqual([
      'src/load.ts#load',
      'src/load.ts#load/load@2',
      'src/load.ts#A.m',
      'src/load.ts#A.m/A.m@6',
    ]);
    // The exported function keeps its key and its own body; every chain of parents ends.
    expect(i.functions.get('src/load.ts#load')!.line).toBe(1);
    for (const fn of i.functions.values()) {
      const seen = new Set<string>();
      for (let f: typeof fn | undefined = fn; f; f = f.parent ? i.functions.get(f.parent) : undefined) {
        expect(seen.has(f.key)).toBe(false);
        seen.add(f.key);
      }
    }
  });

  it('indexes a deeply nested expression without overflowing, keeping the value bounded and its calls', () => {
    const depth = 900;
    const text = `export const deep = ${Array.from({ length: depth }, (_, i) => `a${i} ?? `).join('')}call();\nexport const nested = ${'{ a: '.repeat(300)}1${' }'.repeat(300)};\n`;
    const i = indexOf('src/deep.ts', text);
    expect(i.topLevel.calls.map((c) => c.root)).toEqual(['call']);
    const json = indexToJSON(i);
    // Values stop at a bounded depth: the index stays small whatever the nesting.
    expect(json.length).toBeLessThan(20_000);
    expect(indexFromJSON(json)).toEqual(i);
  });
});
