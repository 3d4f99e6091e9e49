/**
 * Declared dependencies: the run order is derived from what analyzers provide, consume and amend
 * (src/analyzer/order.ts); products travel through the context; no analyzer keeps run state in a
 * module-level map.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { builtinAnalyzers } from '../analyzers/index.js';
import { defineAnalyzer, type Analyzer, type AnalyzerMeta } from '../src/analyzer/define.js';
import { planRun } from '../src/analyzer/order.js';
import { AnalyzerContext, SharedState } from '../src/analyzer/context.js';
import { resolveConfig, loadConfigSchema } from '../src/config/load.js';
import type { CollectionName } from '../src/model/schema.js';
import { analyseFixture, REPO_ROOT } from './helpers.js';

const names = (list: readonly Analyzer[]) => list.map((a) => a.meta.name);
const fake = (meta: Partial<AnalyzerMeta> & { name: string }, phases: { link?: boolean; scan?: boolean } = {}): Analyzer =>
  defineAnalyzer({
    meta: { description: meta.name, produces: [], ...meta } as AnalyzerMeta,
    ...(phases.scan ? { scan: () => ({ wants: () => false, visitIndex: () => {}, finish: () => {} }) } : { analyze: () => {} }),
    ...(phases.link ? { link: () => {} } : {}),
  });

/** A deterministic shuffle (a linear congruential generator seeded by `seed`). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the derived run order', () => {
  it('runs the built-ins in registry order, which respects every declaration', () => {
    const { order, passAt } = planRun(builtinAnalyzers);
    expect(names(order)).toEqual(names(builtinAnalyzers));
    const at = (a: Analyzer) => order.indexOf(a);
    let checked = 0;
    for (const a of order) {
      for (const c of a.meta.consumes ?? []) {
        for (const p of order.filter((x) => x !== a && x.meta.provides?.includes(c as never))) {
          expect(at(p), `${p.meta.name} provides ${c} to ${a.meta.name}`).toBeLessThan(at(a));
          checked++;
        }
      }
      // A link phase that changes a collection runs after the link phases that read it first.
      for (const c of a.link ? (a.meta.amends ?? []) : []) {
        for (const r of order.filter((x) => x !== a && x.link && x.meta.consumes?.includes(c))) {
          const waits = (r.meta.consumes ?? []).some((p) => a.meta.provides?.includes(p as never));
          if (waits) expect(at(a), `${r.meta.name} reads ${c} after ${a.meta.name} changes it`).toBeLessThan(at(r));
          else expect(at(r), `${r.meta.name} reads ${c} before ${a.meta.name} changes it`).toBeLessThan(at(a));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The file pass comes before the first analyzer taking part in it, waiting for no one: a scan reads
    // products in its finish, at its own place, after its providers (checked above).
    expect(passAt).toBe(order.findIndex((a) => a.scan));
  });

  it('every product a built-in consumes is provided by a built-in, and no built-in consumes an undeclared name', () => {
    const provided = new Set(builtinAnalyzers.flatMap((a) => a.meta.provides ?? []));
    for (const a of builtinAnalyzers) for (const c of a.meta.consumes ?? []) if (c.includes('.')) expect(provided, `${a.meta.name} consumes ${c}`).toContain(c);
  });

  it('puts a provider first whatever the registry says, and breaks ties by registry (or tie) order', () => {
    const consumer = fake({ name: 'consumer', consumes: ['openapi.specs'] });
    const other = fake({ name: 'other' });
    const provider = fake({ name: 'provider', provides: ['openapi.specs'] });
    expect(names(planRun([consumer, other, provider]).order)).toEqual(['other', 'provider', 'consumer']);
    expect(names(planRun([consumer, other, provider], { tieOrder: ['provider', 'consumer', 'other'] }).order)).toEqual(['provider', 'consumer', 'other']);
  });

  it('runs a link phase that amends a collection after the link phases reading it, unless they wait for its product', () => {
    const amender = fake({ name: 'amender', amends: ['queues'], provides: ['queues.joined'] }, { link: true });
    const early = fake({ name: 'early-reader', consumes: ['queues'] }, { link: true });
    const late = fake({ name: 'late-reader', consumes: ['queues', 'queues.joined'] }, { link: true });
    expect(names(planRun([amender, late, early]).order)).toEqual(['early-reader', 'amender', 'late-reader']);
    // A reader without a link phase reads nothing in place: no constraint.
    const noLink = fake({ name: 'no-link', consumes: ['queues'] });
    expect(names(planRun([amender, noLink]).order)).toEqual(['amender', 'no-link']);
  });

  it('reports a cycle, naming the analyzers and why each waits', () => {
    const a = fake({ name: 'alpha', provides: ['openapi.specs'], consumes: ['schemas.claims'] });
    const b = fake({ name: 'beta', provides: ['schemas.claims'], consumes: ['openapi.specs'] });
    const c = fake({ name: 'gamma' });
    expect(() => planRun([c, a, b])).toThrow(
      'analyzers wait on each other: alpha runs after beta (it consumes schemas.claims), beta runs after alpha (it consumes openapi.specs)',
    );
    // The reader waits for the amender's change only through another analyzer: it reads first, and that is a cycle.
    const amender = fake({ name: 'amender', amends: ['queues'], provides: ['queues.joined'] }, { link: true });
    const middle = fake({ name: 'middle', consumes: ['queues.joined'], provides: ['components.settled'] });
    const reader = fake({ name: 'reader', consumes: ['queues', 'components.settled'] }, { link: true });
    expect(() => planRun([amender, middle, reader])).toThrow(
      'analyzers wait on each other: reader runs after middle (it consumes components.settled), amender runs after reader (reader reads queues before its link phase changes them), middle runs after amender (it consumes queues.joined)',
    );
  });

  it('reports two link phases that each change what the other reads, in either registry order', () => {
    const a = fake({ name: 'a', amends: ['queues'], consumes: ['components'] }, { link: true });
    const b = fake({ name: 'b', amends: ['components'], consumes: ['queues'] }, { link: true });
    expect(() => planRun([a, b])).toThrow(/analyzers wait on each other/);
    expect(() => planRun([b, a])).toThrow(/analyzers wait on each other/);
  });

  it('reports a product that no analyzer provides, and a product named like a collection', () => {
    const lonely = fake({ name: 'lonely', consumes: ['openapi.specs'] });
    expect(() => planRun([lonely])).toThrow('analyzer lonely consumes "openapi.specs", which no analyzer provides');
    // A provider the config disables leaves the product absent, not an error.
    expect(names(planRun([lonely], { registered: [lonely, fake({ name: 'off', provides: ['openapi.specs'] })] }).order)).toEqual(['lonely']);
    expect(() => planRun([fake({ name: 'odd', provides: ['queues' as never] })])).toThrow(/odd provides "queues", which is a model collection/);
    // A collection consumed with no producer is only empty.
    expect(names(planRun([fake({ name: 'reader', consumes: ['queues'] })]).order)).toEqual(['reader']);
  });

  it('starts the file pass before its first analyzer, waiting for no one, and finishes a scan after the analyzers whose products it consumes', () => {
    const scanner = fake({ name: 'scanner', consumes: ['openapi.specs'] }, { scan: true });
    const before = fake({ name: 'before' });
    const provider = fake({ name: 'provider', provides: ['openapi.specs'] });
    const plan = planRun([before, scanner, provider]);
    expect(names(plan.order)).toEqual(['before', 'provider', 'scanner']);
    expect(plan.passAt).toBe(1);
    expect(planRun([before]).passAt).toBe(-1);
    const scanningProvider = fake({ name: 'scanning-provider', provides: ['openapi.specs'] }, { scan: true });
    // A provider that scans too provides in its finish: the pass does not wait for it, the consumer finishes after it.
    const both = planRun([scanner, scanningProvider]);
    expect(names(both.order)).toEqual(['scanning-provider', 'scanner']);
    expect(both.passAt).toBe(0);
  });

  const fixtures = ['polyglot-k8s-grpc', 'event-driven-services'];
  for (const fixture of fixtures) {
    it(`gives byte-identical output on ${fixture} whatever order breaks the ties`, async () => {
      const base = JSON.stringify(await analyseFixture(fixture));
      const all = names(builtinAnalyzers);
      for (const tieOrder of [[...all].reverse(), shuffled(all, 1), shuffled(all, 7)]) {
        expect(JSON.stringify(await analyseFixture(fixture, {}, { tieOrder })), tieOrder.join(' ')).toBe(base);
      }
    }, 60_000);
  }

  it('would change the output if a declaration were missing (the shuffle test has teeth)', async () => {
    const decisions = builtinAnalyzers.find((a) => a.meta.name === 'decisions')!;
    const undeclared = { ...decisions, meta: { ...decisions.meta, name: 'decisions-copy', consumes: [] as CollectionName[], amends: [] } };
    const declared = { ...decisions, meta: { ...decisions.meta, name: 'decisions-copy' } };
    const run = (copy: Analyzer) =>
      analyseFixture(
        'polyglot-k8s-grpc',
        { analyzers: { decisions: { enabled: false } }, plugins: [copy] },
        { tieOrder: ['decisions-copy', ...names(builtinAnalyzers)] },
      );
    expect(JSON.stringify(await run(undeclared))).not.toBe(JSON.stringify(await run(declared)));
  }, 60_000);
});

describe('products through the context', () => {
  async function contexts(metas: Partial<AnalyzerMeta>[]): Promise<AnalyzerContext[]> {
    await loadConfigSchema();
    const shared = new SharedState(REPO_ROOT, [], resolveConfig({}, { cwd: REPO_ROOT, root: REPO_ROOT }));
    shared.ranks = new Map(metas.map((m, i) => [m.name!, i]));
    return metas.map((m) => new AnalyzerContext(shared, m.name!, {}, [], m));
  }

  it('hands each provider’s value to consumers in registry order, whatever order they provided in', async () => {
    const [prisma, orm, sql] = await contexts([
      { name: 'first', provides: ['schemas.claims'] },
      { name: 'second', provides: ['schemas.claims'] },
      { name: 'reader', consumes: ['schemas.claims'] },
    ]);
    expect(sql!.consume('schemas.claims')).toEqual([]);
    const one = { claimed: new Map([['entity:b', 'columns' as const]]), internal: new Set<string>() };
    const two = { claimed: new Map([['entity:a', 'full' as const]]), internal: new Set<string>() };
    orm!.provide('schemas.claims', one);
    prisma!.provide('schemas.claims', two);
    expect(sql!.consume('schemas.claims')).toEqual([two, one]);
    expect(() => prisma!.provide('schemas.claims', two)).toThrow('first provided schemas.claims twice');
  });

  it('refuses a product the meta does not declare', async () => {
    const [ctx] = await contexts([{ name: 'quiet' }]);
    expect(() => ctx!.provide('openapi.specs', [])).toThrow('quiet provides openapi.specs without declaring it (meta.provides)');
    expect(() => ctx!.consume('openapi.specs')).toThrow('quiet consumes openapi.specs without declaring it (meta.consumes)');
  });

  it('keeps an analyzer’s own state on its context, made once', async () => {
    const [a, b] = await contexts([{ name: 'a' }, { name: 'b' }]);
    const mine = a!.state(() => ({ routes: ['/health'] }));
    expect(a!.state(() => ({ routes: [] as string[] }))).toBe(mine);
    expect(b!.state(() => ({ routes: [] as string[] }))).not.toBe(mine);
  });
});

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return sourcesUnder(rel);
    return /\.[cm]?ts$/.test(d.name) && !/\.test\.ts$/.test(d.name) && !d.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Top-level `Map`/`Set`/`WeakMap`/`WeakSet` constants of a module that some code writes to. */
function mutableModuleState(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const collections = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
  const found: string[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (!ts.isIdentifier(d.name) || !init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || !collections.has(init.expression.text))
        continue;
      const name = d.name.text;
      let written = false;
      const visit = (node: ts.Node): void => {
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          ts.isIdentifier(node.expression.expression) &&
          node.expression.expression.text === name &&
          ['set', 'add', 'delete', 'clear'].includes(node.expression.name.text)
        ) {
          written = true;
        }
        if (!written) ts.forEachChild(node, visit);
      };
      visit(sf);
      if (written) found.push(`${file}: ${name}`);
    }
  }
  return found;
}

describe('no module-level run state in analyzers, nor in the code they share (src/analysis, src/data)', () => {
  it('finds a written module-level map, and lets a constant table be', () => {
    expect(mutableModuleState('x.ts', 'const runs = new WeakMap<object, number>();\nexport function f(k: object) { runs.set(k, 1); }')).toEqual(['x.ts: runs']);
    expect(mutableModuleState('x.ts', 'const seen = new Set<string>() as Set<string>;\nfunction f() { seen.add("a"); }')).toEqual(['x.ts: seen']);
    expect(mutableModuleState('x.ts', "const KINDS = new Set(['a', 'b']);\nexport const has = (k: string) => KINDS.has(k);")).toEqual([]);
    // A map made inside a function is that call's own.
    expect(mutableModuleState('x.ts', 'export function f() { const m = new Map(); m.set(1, 2); return m; }')).toEqual([]);
  });

  it('holds none: run state lives on the analyzer’s context (ctx.state) or travels as a product', () => {
    const files = ['analyzers', 'src/analysis', 'src/data'].flatMap(sourcesUnder);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => mutableModuleState(file, fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')))).toEqual([]);
  });
});
