import { describe, expect, it } from 'vitest';
import { indexFromJSON, indexToJSON } from '../../src/analysis/index-file.js';
import { modulesAt, numbers, prop, propKeys, readSite, strings, type CallSite, type ClassSite, type VarsSite } from '../../src/analysis/sites.js';
import { indexOf } from './engine.js';

const sitesOf = (text: string, file = 'src/app.ts') => indexOf(file, text).sites;
const calls = (text: string) => sitesOf(text).sites.filter((s): s is CallSite => s.k === 'call' || s.k === 'new');

describe('index: option readings (sites)', () => {
  const text = [
    "import * as Sentry from '@sentry/node';",
    "import { init as start } from 'dd-trace';",
    "const PREFIX = 'svc' + '.';",
    'const WINDOW = 15 * 60 * 1000;',
    "const OPTS = { level: process.env.LOG_LEVEL || 'info', redact: { paths: ['a', 'b', x] } };",
    'Sentry.init({',
    '  dsn: process.env.SENTRY_DSN,',
    "  environment: isProd ? 'production' : 'staging',",
    '  tracesSampleRate: WINDOW,',
    "  release: config.get('RELEASE'),",
    '  origin: /^https:\\/\\/x\\.com$/,',
    '  ok: true,',
    '  onError: (e) => e,',
    '  PREFIX,',
    '  sampler: new TraceIdRatioBasedSampler(0.5),',
    "  buckets: [0.1, 5, 'x'],",
    '});',
    'start(OPTS);',
    'export function later() {',
    "  const hot = require('hot-shots');",
    "  (this.stats as StatsD).increment('orders.created');",
    "  getApp().get('/health', handler);",
    '}',
  ].join('\n');

  it("reads a call's options in depth: constants folded, environment names, conditionals, defaults, labels, lines", () => {
    const [init] = calls(text);
    expect(init).toMatchObject({
      k: 'call',
      line: 6,
      endLine: 17,
      name: 'Sentry.init',
      module: '@sentry/node',
      imported: '*',
      method: 'init',
      receiver: 'Sentry',
    });
    const o = init!.args[0];
    expect(propKeys(o)).toEqual(['dsn', 'environment', 'tracesSampleRate', 'release', 'origin', 'ok', 'onError', 'PREFIX', 'sampler', 'buckets']);
    expect(prop(o, 'dsn')).toMatchObject({ line: 7, env: 'SENTRY_DSN', label: 'process.env.SENTRY_DSN' });
    expect(prop(o, 'environment')?.alt?.map((a) => a.str)).toEqual(['production', 'staging']);
    expect(prop(o, 'tracesSampleRate')?.num).toBe(900_000);
    expect(prop(o, 'release')?.env).toBe('RELEASE');
    expect(prop(o, 'origin')?.regex).toBe('/^https:\\/\\/x\\.com$/');
    expect(prop(o, 'ok')?.bool).toBe(true);
    expect(prop(o, 'onError')?.fn).toBe(true);
    expect(prop(o, 'PREFIX')?.str).toBe('svc.');
    expect(prop(o, 'sampler')).toMatchObject({
      callee: 'TraceIdRatioBasedSampler',
      isNew: true,
      label: 'new TraceIdRatioBasedSampler()',
      text: 'new TraceIdRatioBasedSampler(0.5)',
    });
    expect(numbers(prop(o, 'buckets'))).toEqual([0.1, 5]);
    expect(strings(prop(o, 'buckets'))).toEqual(['x']);
  });

  it('follows a constant holding an object, with the lines where it is written', () => {
    const start = readSite(calls(text).find((c) => c.name === 'start')!);
    expect(start).toMatchObject({ name: 'start', module: 'dd-trace', imported: 'init', named: 'init', last: 'start', bare: true });
    const level = prop(start.args[0], 'level');
    expect(level).toMatchObject({ line: 5, env: 'LOG_LEVEL', right: { str: 'info' } });
    expect(strings(prop(prop(start.args[0], 'redact'), 'paths'))).toEqual(['a', 'b']);
  });

  it('keeps receivers as written and past assertions, calls as receivers, and modules the walk finds later', () => {
    const r = sitesOf(text);
    const inc = calls(text).find((c) => c.method === 'increment')!;
    expect(inc).toMatchObject({ receiver: 'this.stats', receiverWritten: '(this.statsasStatsD)', line: 21 });
    expect(calls(text).find((c) => c.name === '?.get')).toMatchObject({ receiverCall: true, receiver: 'getApp()', name: '?.get' });
    expect(calls(text).find((c) => c.name === 'require')).toMatchObject({ assignedTo: 'hot' });
    expect(r.modules).toEqual([
      ['@sentry/node', 1],
      ['dd-trace', 2],
    ]);
    const at = r.sites.findIndex((x) => x.k === 'call' && x.method === 'increment');
    expect(at).toBeGreaterThan(0);
    expect(modulesAt(r, at)).toEqual(['@sentry/node', 'dd-trace', 'hot-shots']);
    expect(modulesAt(r, 0)).toEqual(['@sentry/node', 'dd-trace']);
  });

  it('lists classes with their decorators and members, and variable statements holding objects', () => {
    const r = sitesOf(
      [
        "@Controller('health')",
        'export class HealthController {',
        '  @Get()',
        '  @HealthCheck()',
        '  check() {',
        '    return 1;',
        '  }',
        '}',
        "export const options = { thresholds: { 'http_req_duration{x:1}': ['p(95)<500'] } };",
      ].join('\n'),
    );
    const cls = r.sites.find((s): s is ClassSite => s.k === 'class')!;
    expect(cls.decorators.map((d) => [d.name, d.args[0]?.str])).toEqual([['Controller', 'health']]);
    expect(cls.members).toEqual([expect.objectContaining({ line: 3, endLine: 7 })]);
    expect(cls.members[0]!.decorators.map((d) => d.name)).toEqual(['Get', 'HealthCheck']);
    const vars = r.sites.find((s): s is VarsSite => s.k === 'vars')!;
    const th = prop(vars.objects[0]!.v, 'thresholds')!;
    expect(th.obj![0]).toMatchObject({ key: 'http_req_duration{x:1}', line: 9 });
  });

  it('reads an object that holds itself through constants once, and many constants nesting each other within a budget', () => {
    const cyclic = calls(['const a = { self: a, n: 1 };', 'f(a);'].join('\n'))[0]!;
    expect(prop(cyclic.args[0], 'n')?.num).toBe(1);
    expect(prop(cyclic.args[0], 'self')?.obj).toBeUndefined();
    // Ten constants, each holding the one before five times over: 5^10 readings if read in full.
    const lines = ['const c0 = { v: 1 };'];
    for (let i = 1; i <= 10; i++) lines.push(`const c${i} = { a: c${i - 1}, b: c${i - 1}, c: c${i - 1}, d: c${i - 1}, e: c${i - 1} };`);
    lines.push('f(c10);');
    const t = performance.now();
    const size = JSON.stringify(sitesOf(lines.join('\n'))).length;
    expect(performance.now() - t).toBeLessThan(5000);
    expect(size).toBeLessThan(20_000_000);
  });

  it('lists the top-level classes and interfaces with their property names and decorators', () => {
    const r = sitesOf(
      [
        "@Entity('users')",
        'export class User {',
        '  @Column() email: string;',
        '  ["phone"]: string;',
        '  save() {}',
        '}',
        'interface Profile { address?: string; greet(): void }',
        'function f() { class Inner { ssn = 1 } }',
      ].join('\n'),
    );
    expect(r.declarations).toEqual([
      { kind: 'class', name: 'User', line: 2, properties: ['email', 'phone'], decorators: ['Entity'] },
      { kind: 'interface', name: 'Profile', line: 7, properties: ['address'], decorators: [] },
    ]);
  });

  it('survives the JSON round trip', () => {
    const idx = indexOf('src/app.ts', text);
    expect(indexFromJSON(indexToJSON(idx)).sites).toEqual(idx.sites);
  });
});
