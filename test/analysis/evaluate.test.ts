import { describe, expect, it } from 'vitest';
import { Evaluator, MAX_DEPTH, MAX_STEPS, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import { indexFromJSON, indexToJSON, type Value } from '../../src/analysis/index-file.js';
import { indexesOf, resolverOf } from './engine.js';

/** An evaluator over these files (bare aliases resolve as tsconfig paths or workspace packages would). */
function evaluatorOf(files: Record<string, string>, aliases: Record<string, string> = {}): Evaluator {
  return new Evaluator(indexesOf(files), resolverOf(files, aliases));
}

/** The first argument of the first call to `use(…)` in a file, and where it is read. */
function useArg(ev: Evaluator, file: string): { scope: ReturnType<Evaluator['scope']>; arg: Value } {
  for (const fn of ev.indexes.get(file)!.functions.values()) {
    const call = fn.calls.find((c) => c.root === 'use');
    if (call) return { scope: ev.scope(file, fn), arg: call.args[0]! };
  }
  throw new Error(`no use() in ${file}`);
}

const stringAt = (ev: Evaluator, file: string) => {
  const { scope, arg } = useArg(ev, file);
  return ev.string(scope, arg);
};

describe('evaluate: one evaluator over the indexes of a run', () => {
  it('resolves local and module constants, and constants imported from another file', () => {
    const ev = evaluatorOf({
      'src/names.ts': "export const ORDERS = 'orders';\nconst LOCAL = 'local';\nexport { LOCAL as RENAMED };\n",
      'src/a.ts': "import { ORDERS, RENAMED } from './names';\nexport function f() {\n  const q = ORDERS;\n  use(q);\n}\n",
      'src/b.ts': "import { RENAMED } from './names';\nuse(RENAMED);\n",
    });
    expect(stringAt(ev, 'src/a.ts')).toBe('orders');
    expect(stringAt(ev, 'src/b.ts')).toBe('local');
  });

  it('resolves a name destructured from, or imported from, a CommonJS module.exports object', () => {
    const ev = evaluatorOf({
      'src/config.js': "module.exports = {\n  EXCHANGE_NAME: 'ONLINE_SHOPPING',\n  QUEUE: process.env.QUEUE || 'orders',\n};\n",
      'src/a.js': "const { EXCHANGE_NAME } = require('./config');\nuse(EXCHANGE_NAME);\n",
      'src/b.ts': "import { QUEUE } from './config';\nexport function f() {\n  use(QUEUE);\n}\n",
      'src/c.js': "const { MISSING } = require('./config');\nuse(MISSING);\n",
    });
    expect(stringAt(ev, 'src/a.js')).toBe('ONLINE_SHOPPING');
    expect(stringAt(ev, 'src/b.ts')).toBe('orders');
    expect(stringAt(ev, 'src/c.js')).toBeUndefined();
  });

  it('resolves enums and enum members, counted on where not initialised', () => {
    const ev = evaluatorOf({
      'src/queues.ts': "export enum Queues { Orders = 'orders-queue', Mail = 'mail-queue' }\nexport enum Prio { Low, High }\n",
      'src/worker.ts': "import { Queues, Prio } from './queues';\nuse(Queues.Mail);\nconst p = Prio.High;\n",
    });
    expect(stringAt(ev, 'src/worker.ts')).toBe('mail-queue');
    expect(ev.number(ev.scope('src/worker.ts'), { k: 'ref', path: 'p' })).toBe(1);
  });

  it('resolves template strings whose parts all resolve, and reads the leading text of the others', () => {
    const ev = evaluatorOf({
      'src/config.ts': "export const STAGE = 'prod';\nexport const BASE = `https://api.${STAGE}.example.com`;\n",
      'src/a.ts': "import { BASE, STAGE } from './config';\nuse(`${BASE}/v1/${STAGE}`);\n",
      'src/b.ts': "import { BASE } from './config';\nexport function get(id: string) { use(`${BASE}/users/${id}`); }\n",
    });
    expect(stringAt(ev, 'src/a.ts')).toBe('https://api.prod.example.com/v1/prod');
    const { scope, arg } = useArg(ev, 'src/b.ts');
    expect(ev.string(scope, arg)).toBeUndefined();
    expect(ev.leading(scope, arg)).toBe('https://api.prod.example.com/users/');
    // A name bound to such a template, in the function or the module: its head too.
    const local = evaluatorOf({
      'src/c.ts':
        'export async function icon(raw: string) {\n  const target = new URL(raw).hostname;\n  const url = `https://icons.example.com/v2?domain=${encodeURIComponent(target)}`;\n  use(url);\n}\n',
      'src/d.ts': 'const HOOK = `https://hooks.example.com/${process.argv[2]}`;\nuse(HOOK);\n',
    });
    const c = useArg(local, 'src/c.ts');
    expect(local.string(c.scope, c.arg)).toBeUndefined();
    expect(local.leading(c.scope, c.arg)).toBe('https://icons.example.com/v2?domain=');
    const d = useArg(local, 'src/d.ts');
    expect(local.leading(d.scope, d.arg)).toBe('https://hooks.example.com/');
  });

  it('resolves defaults: `x ?? "d"`, and `process.env.X || "y"` to the default with the variable it reads', () => {
    const ev = evaluatorOf({
      'src/settings.ts':
        "const fromFile = undefinedThing;\nexport const QUEUE = process.env.ORDERS_QUEUE || 'orders';\nexport const TOPIC = fromFile ?? 'events';\n",
      'src/a.ts': "import { QUEUE } from './settings';\nuse(QUEUE);\n",
      'src/b.ts': "import { TOPIC } from './settings';\nuse(TOPIC);\n",
    });
    expect(stringAt(ev, 'src/a.ts')).toBe('orders');
    expect(stringAt(ev, 'src/b.ts')).toBe('events');
    const settings = ev.indexes.get('src/settings.ts')!;
    expect(ev.setting(ev.scope('src/settings.ts'), settings.vars.get('QUEUE')!)).toEqual({ value: 'orders', env: ['ORDERS_QUEUE'] });
    expect(ev.setting(ev.scope('src/settings.ts'), { k: 'env', name: 'ONLY_ENV' })).toEqual({ env: ['ONLY_ENV'] });
  });

  it('follows re-exports and `export *` chains, and aliases the module resolution gives', () => {
    const files = {
      'libs/config/src/queues.ts': "export const QUEUES = { orders: 'orders', mail: { high: 'mail-high' } };\n",
      'libs/config/src/inner.ts': "export * from './queues';\n",
      'libs/config/src/index.ts': "export * from './inner';\nexport { QUEUES as QUEUE_NAMES } from './queues';\n",
      'apps/api/src/a.ts': "import { QUEUES } from '@acme/config';\nuse(QUEUES.mail.high);\n",
      'apps/api/src/b.ts': "import * as config from '@acme/config';\nuse(config.QUEUE_NAMES.orders);\n",
    };
    const ev = evaluatorOf(files, { '@acme/config': 'libs/config/src/index.ts' });
    expect(stringAt(ev, 'apps/api/src/a.ts')).toBe('mail-high');
    expect(stringAt(ev, 'apps/api/src/b.ts')).toBe('orders');
  });

  it('resolves members of objects and static class members', () => {
    const ev = evaluatorOf({
      'src/config.ts':
        "export const CONFIG = { queues: { orders: 'orders-v2' } };\nexport class Names {\n  static readonly PAYMENTS = 'payments';\n  readonly instanceOnly = 'nope';\n}\n",
      'src/a.ts': "import { CONFIG } from './config';\nuse(CONFIG.queues.orders);\n",
      'src/b.ts': "import { Names } from './config';\nuse(Names.PAYMENTS);\n",
      'src/c.ts': "import { Names } from './config';\nuse(Names.instanceOnly);\n",
    });
    expect(stringAt(ev, 'src/a.ts')).toBe('orders-v2');
    expect(stringAt(ev, 'src/b.ts')).toBe('payments');
    // An instance field is no member of the class itself.
    expect(stringAt(ev, 'src/c.ts')).toBeUndefined();
  });

  it('resolves `this.x`: constructor-injected types, field initialisers, and members of a base class', () => {
    const ev = evaluatorOf({
      'src/settings.service.ts': "export class SettingsService {\n  readonly queue = 'billing';\n}\n",
      'src/base.ts': "export abstract class Base {\n  protected readonly topic = 'base-topic';\n}\n",
      'src/billing.service.ts': [
        "import { SettingsService } from './settings.service';",
        "import { Base } from './base';",
        'export class BillingService extends Base {',
        "  private readonly name = 'invoices';",
        '  constructor(private readonly settings: SettingsService) { super(); }',
        '  a() { use(this.settings.queue); }',
        '  b() { use(this.name); }',
        '  c() { use(this.topic); }',
        '}',
        '',
      ].join('\n'),
    });
    const idx = ev.indexes.get('src/billing.service.ts')!;
    const arg = (m: string) => {
      const fn = idx.functions.get(`src/billing.service.ts#BillingService.${m}`)!;
      return ev.string(ev.scope(fn.file, fn), fn.calls[0]!.args[0]!);
    };
    expect(arg('a')).toBe('billing');
    expect(arg('b')).toBe('invoices');
    expect(arg('c')).toBe('base-topic');
    expect(ev.path(ev.scope(idx.file, idx.functions.get('src/billing.service.ts#BillingService.a')), 'this.settings')).toEqual({
      k: 'instance',
      file: 'src/settings.service.ts',
      name: 'SettingsService',
    });
  });

  it('resolves factory returns, with the call’s arguments bound to the factory’s parameters', () => {
    const ev = evaluatorOf({
      'src/factory.ts': [
        "const PREFIX = 'app';",
        'export function queueName(name: string) { return `${PREFIX}-${name}`; }',
        'export const makeRepo = () => new OrdersRepo();',
        'export class OrdersRepo {}',
        '',
      ].join('\n'),
      'src/a.ts': "import { queueName } from './factory';\nconst Q = queueName('orders');\nuse(Q);\n",
      'src/b.ts': "import { makeRepo } from './factory';\nexport const repo = makeRepo();\n",
    });
    expect(stringAt(ev, 'src/a.ts')).toBe('app-orders');
    expect(ev.ident(ev.scope('src/b.ts'), 'repo')).toEqual({ k: 'instance', file: 'src/factory.ts', name: 'OrdersRepo' });
  });

  it('binds the names of a parameter taken apart to the argument’s properties, and reads a callback in the bound scope around it', () => {
    const ev = evaluatorOf({
      'src/a.ts': [
        "const settings = { stage: 'prod' };",
        'function topic({ name, kind: k }: { name: string; kind: string }) { return `${k}.${name}`; }',
        'function prefixed({ stage }: { stage: string }) { return stage; }',
        "export const T = topic({ name: 'orders', kind: 'events' });",
        'export const S = prefixed(settings);',
        'export function each(prefix: string, names: string[]) {',
        '  names.forEach((n) => use(`${prefix}/${n}`));',
        '}',
        '',
      ].join('\n'),
    });
    const at = ev.scope('src/a.ts');
    expect(ev.string(at, { k: 'ref', path: 'T' })).toBe('events.orders');
    expect(ev.string(at, { k: 'ref', path: 'S' })).toBe('prod');
    const fns = [...ev.indexes.get('src/a.ts')!.functions.values()];
    const each = fns.find((f) => f.name === 'each')!;
    const cb = fns.find((f) => f.parent === each.key)!;
    const arg = cb.calls[0]!.args[0]!;
    const outer: Scope = { file: 'src/a.ts', fn: each, args: new Map([['prefix', { value: { k: 'str', v: 'q' } as Value, scope: at }]]) };
    const inner: Scope = { file: 'src/a.ts', fn: cb, outer, args: new Map([['n', { value: { k: 'str', v: 'orders' } as Value, scope: at }]]) };
    expect(ev.string(inner, arg)).toBe('q/orders');
    expect(ev.string({ file: 'src/a.ts', fn: cb }, arg)).toBeUndefined();
  });

  it('finds a factory’s return once, and the same whichever depth asked first: the limit stays hard', () => {
    const chain = Array.from({ length: 4 }, (_, i) => `function f${i}() { return f${i + 1}(); }`).join('\n');
    const files = { 'src/f.ts': `${chain}\nfunction f4() { if (x) return unknownThing; return 'deep'; }\n` };
    const deep = { k: 'str', value: 'deep' };
    // Called near the limit, the search is cut short, and that is not the answer from further up.
    const ev = evaluatorOf(files);
    const scope = ev.scope('src/f.ts');
    expect(ev.returnOf('src/f.ts#f0', [], scope, MAX_DEPTH - 3)).toBeUndefined();
    expect(ev.returnOf('src/f.ts#f0', [], scope, 0)).toEqual(deep);
    // Found at depth 0, it is remembered there; asked at the limit, it is not known, as it would not be first.
    expect(ev.returnOf('src/f.ts#f2', [], scope, 0)).toEqual(deep);
    expect(ev.returnOf('src/f.ts#f2', [], scope, MAX_DEPTH)).toBeUndefined();
    const other = evaluatorOf(files);
    expect(other.returnOf('src/f.ts#f2', [], scope, MAX_DEPTH)).toBeUndefined();
    expect(other.returnOf('src/f.ts#f2', [], scope, 0)).toEqual(deep);
    // Asked again, a remembered return takes one step.
    const before = other.steps;
    expect(other.returnOf('src/f.ts#f2', [], scope, 0)).toEqual(deep);
    expect(other.steps - before).toBe(1);
  });

  it('lets a name a function binds hide the module value of that name: unknown unless its own value is known', () => {
    const text = [
      "const QUEUE = 'module-level';",
      'use(QUEUE);',
      'export function untyped(QUEUE) { use(QUEUE); }',
      'export function typed(QUEUE: string) { use(QUEUE); }',
      'export function destructured({ QUEUE }: Options) { use(QUEUE); }',
      'export function inArray([, { deep: [QUEUE] }]) { use(QUEUE); }',
      'export function forOf(list: string[]) { for (const QUEUE of list) use(QUEUE); }',
      'export function forIn(o: object) { for (const QUEUE in o) { use(QUEUE); } }',
      'export function caught() { try { run(); } catch (QUEUE) { use(QUEUE); } }',
      'export function later() { let QUEUE; QUEUE = next(); use(QUEUE); }',
      'export function declared() { use(QUEUE); function QUEUE() {} }',
      'export function inBlock(x: boolean) { if (x) { const { QUEUE } = x; } use(QUEUE); }',
      'list.forEach((QUEUE) => use(QUEUE));',
      'export function outer(QUEUE) { return () => use(QUEUE); }',
      "export function local() { const QUEUE = 'local'; use(QUEUE); }",
      'export function free() { return () => use(QUEUE); }',
      "export function named(QUEUE: string) { return QUEUE; }\nuse(named('given'));",
      '',
    ].join('\n');
    const ev = evaluatorOf({ 'src/q.ts': text });
    const found = new Map<number, string | undefined>();
    for (const fn of ev.indexes.get('src/q.ts')!.functions.values()) {
      for (const call of fn.calls) if (call.root === 'use') found.set(call.line, ev.string(ev.scope(fn.file, fn), call.args[0]!));
    }
    expect([...found].sort(([a], [b]) => a - b).map(([, s]) => s)).toEqual([
      'module-level',
      ...Array.from({ length: 9 }, () => undefined),
      // `const { QUEUE }` in the `if` block binds it there only: after the block the module's is read.
      'module-level',
      undefined,
      undefined,
      'local',
      'module-level',
      'given',
    ]);
    // A class declared in the function is what the name denotes there.
    const idx = ev.indexes.get('src/q.ts')!;
    expect(idx.functions.get('src/q.ts#destructured')!.binds).toEqual(['QUEUE']);
    expect(idx.functions.get('src/q.ts#inBlock')!.binds).toEqual(['x', 'QUEUE@12']);
    expect(indexFromJSON(indexToJSON(idx)).functions.get('src/q.ts#later')!.binds).toEqual(['QUEUE']);
    const withClass = evaluatorOf({
      'src/c.ts': "const Repo = 'module-level';\nexport function make() { class Repo {}\n  use(Repo); }\n",
      'src/d.ts': "const Repo = 'module-level';\nexport function inBlock(x) { if (x) { class Repo {}\n  use(Repo); } }\n",
    });
    const make = withClass.indexes.get('src/c.ts')!.functions.get('src/c.ts#make')!;
    expect(withClass.ident(withClass.scope('src/c.ts', make), 'Repo')).toEqual({ k: 'class', file: 'src/c.ts', name: 'Repo' });
    // Declared in a block, where its name is kept apart from the module's (`Repo@2`): the class all the same.
    const inBlock = withClass.indexes.get('src/d.ts')!.functions.get('src/d.ts#inBlock')!;
    const use = inBlock.calls.find((c) => c.root === 'use')!;
    expect(use.args[0]).toEqual({ k: 'ref', path: 'Repo@2' });
    expect(withClass.value(withClass.scope('src/d.ts', inBlock), use.args[0]!)).toEqual({ k: 'class', file: 'src/d.ts', name: 'Repo' });
  });

  it('gives an installed package’s export as such, and a function or class by what it is', () => {
    const ev = evaluatorOf({ 'src/a.ts': "import { Queue } from 'bullmq';\nexport function handler() {}\nexport class Repo {}\n" });
    const scope = ev.scope('src/a.ts');
    expect(ev.ident(scope, 'Queue')).toEqual({ k: 'pkg', pkg: 'bullmq', name: 'Queue', line: 1 });
    expect(ev.ident(scope, 'handler')).toEqual({ k: 'fn', key: 'src/a.ts#handler' });
    expect(ev.ident(scope, 'Repo')).toEqual({ k: 'class', file: 'src/a.ts', name: 'Repo' });
  });

  it('stops at one depth limit: a short chain of constants resolves, a long one does not, without overflowing', () => {
    const chain = (n: number) => ["const c0 = 'end';", ...Array.from({ length: n }, (_, i) => `const c${i + 1} = c${i};`), `use(c${n});`, ''].join('\n');
    expect(stringAt(evaluatorOf({ 'src/short.ts': chain(2) }), 'src/short.ts')).toBe('end');
    expect(stringAt(evaluatorOf({ 'src/long.ts': chain(MAX_DEPTH * 4) }), 'src/long.ts')).toBeUndefined();
    expect(stringAt(evaluatorOf({ 'src/huge.ts': chain(2_000) }), 'src/huge.ts')).toBeUndefined();
  });

  it('resolves a chain of templates once per constant and depth: its steps grow with its length, not exponentially', () => {
    // cN = `${cN-1}` five times (and, in `tail`, a part never known): without a memo, 5^13 searches.
    const templates = (n: number, tail = '') =>
      ["const c0 = 'x';", ...Array.from({ length: n }, (_, i) => `const c${i + 1} = \`${`\${c${i}}`.repeat(5)}${tail}\`;`), `use(c${n});`, ''].join('\n');
    const stepsOf = (text: string) => {
      const ev = evaluatorOf({ 'src/t.ts': text });
      const s = stringAt(ev, 'src/t.ts');
      return { s, steps: ev.steps };
    };
    const six = stepsOf(templates(6));
    expect(six.s).toBe('x'.repeat(5 ** 6));
    expect(six.steps).toBeLessThan(300);
    // Past the depth limit c13 is not known; c8's 390,625 characters are past the longest string kept.
    for (const text of [templates(13), templates(13, '${missing}'), templates(8)]) {
      const r = stepsOf(text);
      expect(r.s).toBeUndefined();
      expect(r.steps).toBeLessThan(2_000);
    }
    // A 40-deep chain of constants gives up at the depth limit, in a few steps.
    const chain = ["const c0 = 'end';", ...Array.from({ length: 40 }, (_, i) => `const c${i + 1} = c${i};`), 'use(c40);', ''].join('\n');
    const forty = stepsOf(chain);
    expect(forty.s).toBeUndefined();
    expect(forty.steps).toBeLessThan(100);
  });

  it('gives each query a step budget: work no memo saves (a function’s locals) stops there, answering undefined', () => {
    // lN = `${lN-1}` five times, in a function: locals are not memoised, so l7 takes some 5^7 searches.
    const locals = (name: string, n: number) =>
      [
        `export function ${name}() {`,
        "  const l0 = 'x';",
        ...Array.from({ length: n }, (_, i) => `  const l${i + 1} = \`${`\${l${i}}`.repeat(5)}\`;`),
        `  use(l${n});`,
        '}',
      ].join('\n');
    const ev = evaluatorOf({ 'src/f.ts': `${locals('big', 7)}\n${locals('small', 2)}\n` });
    const argOf = (name: string) => {
      const fn = ev.indexes.get('src/f.ts')!.functions.get(`src/f.ts#${name}`)!;
      return () => ev.string(ev.scope(fn.file, fn), fn.calls.find((c) => c.root === 'use')!.args[0]!);
    };
    expect(argOf('big')()).toBeUndefined();
    expect(ev.steps).toBeGreaterThan(MAX_STEPS);
    expect(ev.steps).toBeLessThan(MAX_STEPS + 100);
    // The next query has a budget of its own.
    expect(argOf('small')()).toBe('x'.repeat(25));
  });

  it('stops at a re-export cycle (a.ts → b.ts → a.ts) and at a recursive factory', () => {
    // Counts the exports and returns looked for: with the cycle guards, a handful; without, as many as the depth limit allows.
    class Counting extends Evaluator {
      looks = 0;
      override exportOf(file: string, name: string, depth = 0): Resolved | undefined {
        this.looks++;
        return super.exportOf(file, name, depth);
      }
      override returnOf(key: string, args: Value[], caller: Scope, depth: number): Resolved | undefined {
        this.looks++;
        return super.returnOf(key, args, caller, depth);
      }
    }
    const files = {
      'src/a.ts': "export * from './b';\nexport { LOOP } from './b';\nexport const A = 'a';\n",
      'src/b.ts': "export * from './a';\nexport { LOOP } from './a';\n",
      'src/c.ts': "import { A, LOOP, MISSING } from './b';\nuse(A);\n",
      'src/d.ts': "function again(x: string): string { return again(x); }\nuse(again('x'));\n",
    };
    const ev = new Counting(indexesOf(files), resolverOf(files));
    const looks = (run: () => unknown) => {
      ev.looks = 0;
      expect(run()).toBeUndefined();
      return ev.looks;
    };
    expect(stringAt(ev, 'src/c.ts')).toBe('a');
    expect(looks(() => ev.ident(ev.scope('src/c.ts'), 'LOOP'))).toBeLessThanOrEqual(4);
    expect(looks(() => ev.ident(ev.scope('src/c.ts'), 'MISSING'))).toBeLessThanOrEqual(4);
    expect(looks(() => stringAt(ev, 'src/d.ts'))).toBeLessThanOrEqual(3);
  });

  it('reads lists of strings', () => {
    const ev = evaluatorOf({ 'src/a.ts': "const B = 'b';\nexport const LIST = ['a', B, `c`];\nexport const MIXED = ['a', unknownThing];\n" });
    const idx = ev.indexes.get('src/a.ts')!;
    expect(ev.strings(ev.scope('src/a.ts'), idx.vars.get('LIST')!)).toEqual(['a', 'b', 'c']);
    expect(ev.strings(ev.scope('src/a.ts'), idx.vars.get('MIXED')!)).toBeUndefined();
  });
});

describe('evaluate: block scopes', () => {
  /** What each `use(…)` of a file reads, by line (every function's, callbacks' too). */
  function uses(text: string): (string | undefined)[] {
    const ev = evaluatorOf({ 'src/s.ts': text });
    const found: [number, string | undefined][] = [];
    for (const fn of ev.indexes.get('src/s.ts')!.functions.values()) {
      for (const call of fn.calls) if (call.root === 'use') found.push([call.line, ev.string(ev.scope(fn.file, fn), call.args[0]!)]);
    }
    return found.sort(([a], [b]) => a - b).map(([, s]) => s);
  }

  it('reads a const declared again in a catch block, or in each arm of an if, as the one in scope', () => {
    const text = [
      'export async function handler(x: boolean) {',
      '  try {',
      "    const msgObj = { QueueUrl: 'notice' };",
      '    use(msgObj.QueueUrl);',
      '  } catch (error) {',
      "    const msgObj = { QueueUrl: 'errors' };",
      '    use(msgObj.QueueUrl);',
      '  }',
      "  if (x) { const target = 'a'; use(target); }",
      "  else { const target = 'b'; use(target); }",
      '}',
      '',
    ].join('\n');
    expect(uses(text)).toEqual(['notice', 'errors', 'a', 'b']);
    const fn = indexesOf({ 'src/s.ts': text }).get('src/s.ts')!.functions.get('src/s.ts#handler')!;
    // Each declaration is kept apart by its line; the name alone binds nothing in the function.
    expect([...fn.locals.keys()]).toEqual(['msgObj@3', 'msgObj@6', 'target@9', 'target@10']);
    expect(fn.binds).toEqual(['x', 'msgObj@3', 'error', 'msgObj@6', 'target@9', 'target@10']);
    expect(fn.calls.filter((c) => c.root === 'use').map((c) => (c.args[0] as { path: string }).path)).toEqual([
      'msgObj@3.QueueUrl',
      'msgObj@6.QueueUrl',
      'target@9',
      'target@10',
    ]);
  });

  it('reads a name before and after an inner block that declares it again as the declaration around (the function’s, else the module’s)', () => {
    const text = [
      "const queue = 'module';",
      'export function route(kind: string) {',
      '  use(queue);',
      "  if (kind === 'a') { const queue = 'inner'; use(queue); }",
      '  use(queue);',
      '}',
      'export function own(kind: string) {',
      "  const queue = 'function';",
      "  { const queue = 'inner'; use(queue); }",
      '  use(queue);',
      '}',
      '',
    ].join('\n');
    expect(uses(text)).toEqual(['module', 'inner', 'module', 'inner', 'function']);
  });

  it('keeps a name declared once, in one block, that hides nothing as it is written', () => {
    const idx = indexesOf({ 'src/s.ts': "export function f(x) {\n  if (x) { const only = 'a'; use(only); }\n}\n" }).get('src/s.ts')!;
    expect([...idx.functions.get('src/s.ts#f')!.locals.keys()]).toEqual(['only']);
    expect(uses("export function f(x) {\n  if (x) { const only = 'a'; use(only); }\n}\n")).toEqual(['a']);
  });

  it('reads nested functions in their own scope, and a callback in the block it is written in', () => {
    const text = [
      'export function outer(x: boolean) {',
      "  const topic = 'outer';",
      "  const inner = () => { const topic = 'inner'; use(topic); };",
      '  const reads = () => use(topic);',
      "  if (x) { const topic = 'block'; return () => use(topic); }",
      "  function declared() { if (x) { const topic = 'nested-block'; use(topic); } use(topic); }",
      '}',
      '',
    ].join('\n');
    expect(uses(text)).toEqual(['inner', 'outer', 'block', 'nested-block', 'outer']);
  });

  it('reads a loop’s variable and a block inside a loop in their scopes', () => {
    const text = [
      "const item = 'module';",
      'export function each(list: string[]) {',
      '  for (const item of list) use(item);',
      "  for (let i = 0; i < 2; i++) { const item = 'in-for'; use(item); }",
      "  while (list.length) { const item = 'in-while'; use(item); }",
      '  use(item);',
      '}',
      '',
    ].join('\n');
    expect(uses(text)).toEqual([undefined, 'in-for', 'in-while', 'module']);
    const fn = indexesOf({ 'src/s.ts': text }).get('src/s.ts')!.functions.get('src/s.ts#each')!;
    // The loop's name is the key its uses are written with.
    expect(fn.loops?.[0]?.names).toEqual([{ name: 'item@3' }]);
  });

  it('lets a parameter hide a module constant, and a block hide the parameter', () => {
    const text = [
      "const queue = 'module';",
      'export function send(queue: string) {',
      '  use(queue);',
      "  if (queue) { const queue = 'block'; use(queue); }",
      '  use(queue);',
      '}',
      "export function make(queue: string) { if (queue) { const name = 'block'; return name; } return queue; }",
      "use(make('given'));",
      '',
    ].join('\n');
    expect(uses(text)).toEqual([undefined, 'block', undefined, 'block']);
  });

  it('finds a declaration written after a callback in the same block, a `var` in the function, and a function declared in a block', () => {
    const text = [
      'export function later(x: boolean) {',
      "  if (x) { const send = () => use(target); const target = 'declared-after'; send(); }",
      "  else { const target = 'other'; use(target); }",
      "  if (x) { var hoisted = 'var'; }",
      '  use(hoisted);',
      "  if (x) { function name() { return 'first'; } use(name()); }",
      "  else { function name() { return 'second'; } use(name()); }",
      "  if (x) { const make = () => 'first-arrow'; use(make()); }",
      "  else { const make = () => 'second-arrow'; use(make()); }",
      '}',
      '',
    ].join('\n');
    expect(uses(text)).toEqual(['declared-after', 'other', 'var', 'first', 'second', 'first-arrow', 'second-arrow']);
    // Functions declared again in another block are keyed apart, under the name as written.
    const fns = indexesOf({ 'src/s.ts': text }).get('src/s.ts')!.functions;
    expect([...fns.values()].filter((f) => f.name === 'name' || f.name === 'make').map((f) => f.key)).toEqual([
      'src/s.ts#name@6',
      'src/s.ts#name@7',
      'src/s.ts#make@8',
      'src/s.ts#make@9',
    ]);
  });

  it('takes destructured names apart by block, and gives a reassignment the binding in scope', () => {
    const text = [
      'export function pick(x: boolean) {',
      "  if (x) { const { QueueUrl } = { QueueUrl: 'a' }; use(QueueUrl); }",
      "  else { const { QueueUrl } = { QueueUrl: 'b' }; use(QueueUrl); }",
      "  if (x) { let key = 'a'; key = 'b'; use(key); }",
      "  else { let key = 'c'; key = 'd'; use(key); }",
      "  let key = 'top';",
      "  key = 'top-again';",
      '}',
      '',
    ].join('\n');
    const idx = indexesOf({ 'src/s.ts': text }).get('src/s.ts')!;
    const fn = idx.functions.get('src/s.ts#pick')!;
    expect([...(fn.picks ?? [])]).toEqual([
      ['QueueUrl@2', 'QueueUrl'],
      ['QueueUrl@3', 'QueueUrl'],
    ]);
    expect(fn.locals.get('QueueUrl@2')).toEqual({ k: 'obj', props: { QueueUrl: { k: 'str', v: 'a' } } });
    expect(fn.locals.get('QueueUrl@3')).toEqual({ k: 'obj', props: { QueueUrl: { k: 'str', v: 'b' } } });
    expect(idx.reassigns.map((r) => [r.name, (r.value as { v: string }).v])).toEqual([
      ['key@4', 'b'],
      ['key@5', 'd'],
      ['key', 'top-again'],
    ]);
    expect(uses(text).slice(2)).toEqual(['a', 'c']);
    // The keys survive the index's JSON form.
    expect(indexFromJSON(indexToJSON(idx)).functions.get('src/s.ts#pick')!.binds).toEqual(fn.binds);
  });
});
