/**
 * Typed facts (issue #24): the renderer, the diagrams and the templates read typed fields and never
 * take an id apart (ids are built and parsed in src/model/ids.ts); every `details` key a template
 * reads is declared by the schema of the collection it reads from (src/model/details.ts); and the
 * schema rejects a key it does not declare.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ID_KINDS } from '../src/model/ids.js';
import { COLLECTIONS, ModelSchema, type CollectionName } from '../src/model/schema.js';
import { emptyModel } from '../src/model/empty.js';
import { REPO_ROOT } from './helpers.js';

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(rel, ext));
    else if (e.name.endsWith(ext) && !e.name.endsWith('.test.ts')) out.push(rel);
  }
  return out.sort();
}

const KINDS = Object.keys(ID_KINDS).join('|');
/** `startsWith('queue:`, `.slice('component:'.length)`, `indexOf("queue:env:")`, `| replace("entity:"`, `/^(component|…):/`. */
const DECODING = [
  new RegExp(`startsWith\\(\\s*['"\`](${KINDS}):`),
  new RegExp(`slice\\(\\s*['"\`](${KINDS}):[^'"\`]*['"\`]\\.length`),
  new RegExp(`indexOf\\(\\s*['"\`](${KINDS}):`),
  new RegExp(`replace\\(\\s*['"\`](${KINDS}):`),
  new RegExp(`\\^\\(?(${KINDS})[|:)]`),
];

/** An id built by template string: `` `workload:compose:${name}` ``. */
const BUILDING = new RegExp(`\`(${KINDS}):`);

/** Each id building or decoding in an analyzer's code; comments are no code. */
function analyzerIdWork(file: string): string[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    const code = line.trimStart();
    if (code.startsWith('*') || code.startsWith('/*') || code.startsWith('//')) return;
    for (const re of [BUILDING, ...DECODING]) {
      const m = re.exec(line);
      if (m) found.push(`${file}:${i + 1}: ${m[0]}`);
    }
  });
  return found;
}

/** Analyzers still to build ids with idOf and take them apart with parseId (issue #24): others were rewriting them. */
const ANALYZERS_TO_DO: string[] = [];

function decodings(file: string): string[] {
  const lines = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    for (const re of DECODING) {
      const m = re.exec(line);
      if (m) found.push(`${file}:${i + 1}: ${m[0]}`);
    }
  });
  return found;
}

/** The `details` schema(s) of a collection: one object, or one per category. */
function detailsKeys(collection: CollectionName): Set<string> {
  const deployment = ['environments', 'pipelines', 'containers', 'workloads'].includes(collection);
  const shape = (deployment ? ModelSchema.shape.deployment.shape : ModelSchema.shape) as unknown as Record<string, z.ZodArray<z.ZodType>>;
  const element = shape[collection]!.element as unknown as { options?: z.ZodObject[]; shape?: Record<string, z.ZodType> };
  const members = element.options ?? [element as z.ZodObject];
  const keys = new Set<string>();
  for (const m of members) {
    const details = (m.shape as Record<string, z.ZodType>).details as z.ZodOptional<z.ZodObject> | undefined;
    if (details) for (const k of Object.keys(details.unwrap().shape)) keys.add(k);
  }
  return keys;
}

const DECLARED = new Map(COLLECTIONS.map((c) => [c, detailsKeys(c)] as const));

/** Variables that name a collection in the templates' own words: `dep` is `model.deployment`, `obs` the observability facts. */
const ALIASES: Record<string, CollectionName> = { obs: 'observability', sec: 'security' };
const VIEW_LISTS: Record<string, CollectionName> = { documentsById: 'documents', adrIndex: 'documents' };

/** What collection an expression lists, when it can be told: `model.queues`, `dep.workloads`, a variable already bound. */
function collectionOf(expr: string, bound: Map<string, CollectionName>): CollectionName | undefined {
  const m = /\b(?:model\.deployment|model|dep)\.([a-zA-Z]+)/.exec(expr);
  if (m && (COLLECTIONS as readonly string[]).includes(m[1]!)) return m[1] as CollectionName;
  const v = /\bview\.([a-zA-Z]+)/.exec(expr);
  if (v && VIEW_LISTS[v[1]!]) return VIEW_LISTS[v[1]!];
  const first = /^\(?\s*([a-zA-Z_]+)\b(?!\s*\()/.exec(expr.trim());
  if (first) return bound.get(first[1]!) ?? ALIASES[first[1]!];
  return undefined;
}

interface Read {
  at: string;
  key: string;
  collection?: CollectionName;
}

/** Every `x.details.KEY` (and `d.KEY` after `set d = x.details`) a template reads, with x's collection when it can be told. */
function templateReads(file: string): Read[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const bound = new Map<string, CollectionName>();
  const detailsOf = new Map<string, CollectionName | undefined>();
  const reads: Read[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    // Tags and reads in the order they appear on the line.
    const tokens =
      /\{%-?\s*set\s+_\s*=\s*([a-zA-Z_]+)\.push\(([a-zA-Z_]+)\)|\{%-?\s*(for|set)\s+([a-zA-Z_]+)(?:\s*,\s*[a-zA-Z_]+)?\s*(?:in|=)\s*(?=((?:(?!%\}).)*)%\})|\b([a-zA-Z_]+)\.details\.([a-zA-Z_]+)|\b([a-zA-Z_]+)\.([a-zA-Z_]+)\b/g;
    for (const m of line.matchAll(tokens)) {
      if (m[1]) {
        const c = bound.get(m[2]!);
        if (c) bound.set(m[1], c);
      } else if (m[3]) {
        const [name, expr] = [m[4]!, m[5]!];
        const d = /^\s*([a-zA-Z_]+)\.details\b/.exec(expr);
        if (d) {
          detailsOf.set(name, bound.get(d[1]!));
          bound.delete(name);
          continue;
        }
        detailsOf.delete(name);
        const c = collectionOf(expr, bound);
        if (c) bound.set(name, c);
        else bound.delete(name);
      } else if (m[6]) {
        reads.push({ at, key: m[7]!, collection: bound.get(m[6]) });
      } else if (m[8] && detailsOf.has(m[8]) && !['length', 'slice'].includes(m[9]!)) {
        reads.push({ at, key: m[9]!, collection: detailsOf.get(m[8]) });
      }
    }
  });
  return reads.filter((r) => !['length', 'slice', 'indexOf'].includes(r.key));
}

/** What `read` gives for a file of this text under test/.typed-facts-tmp, removed afterwards. */
function withFile<T>(name: string, text: string, read: (file: string) => T): T {
  const dir = path.join(REPO_ROOT, 'test', '.typed-facts-tmp');
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(path.join(dir, name), text);
    return read(`test/.typed-facts-tmp/${name}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('typed facts', () => {
  const code = [...filesUnder('src/render', '.ts'), ...filesUnder('src/diagrams', '.ts')];
  const templates = filesUnder('templates', '.njk');

  it('no renderer, diagram or template takes an id apart', () => {
    expect(code.length).toBeGreaterThan(5);
    expect(templates.length).toBeGreaterThan(10);
    expect([...code, ...templates].flatMap(decodings)).toEqual([]);
  });

  it('no analyzer builds an id by template string or takes one apart, but those still to do', () => {
    const files = filesUnder('analyzers', '.ts');
    expect(files.length).toBeGreaterThan(50);
    const done = files.filter((f) => !ANALYZERS_TO_DO.some((p) => f.startsWith(p)));
    expect(done.flatMap(analyzerIdWork)).toEqual([]);
    // Each entry of the list still has work to do; when it has none, it leaves the list.
    for (const p of ANALYZERS_TO_DO) expect(files.filter((f) => f.startsWith(p)).flatMap(analyzerIdWork).length, p).toBeGreaterThan(0);
  });

  it('finds id building and decoding of each form in analyzer code, not in comments', () => {
    const code =
      "/** `workload:compose:<name>` */\nconst a = `workload:compose:${name}`;\nconst b = id.slice('datastore:'.length);\nconst c = idOf.workload('compose', name);\n";
    const found = withFile('a.ts', code, analyzerIdWork);
    expect(found).toEqual(['test/.typed-facts-tmp/a.ts:2: `workload:', "test/.typed-facts-tmp/a.ts:3: slice('datastore:'.length"]);
  });

  it('finds decoding of each form', () => {
    const forms = [
      "id.startsWith('queue:')",
      "id.slice('component:'.length)",
      's.store | replace("datastore:", "")',
      'q.id.indexOf("queue:env:") == 0',
      "id.replace(/^(component|datastore):/, '')",
    ];
    for (const f of forms)
      expect(
        DECODING.some((re) => re.test(f)),
        f,
      ).toBe(true);
    expect(DECODING.some((re) => re.test('human("recovery:rto", "…")'))).toBe(false);
  });

  it('every details key a template reads is declared for its collection', () => {
    const reads = templates.flatMap(templateReads);
    // The reader can tell the collection of most reads; the rest must be declared somewhere.
    expect(reads.filter((r) => r.collection).length).toBeGreaterThan(60);
    const anywhere = new Set([...DECLARED.values()].flatMap((s) => [...s]));
    const undeclared = reads.filter((r) => (r.collection ? !DECLARED.get(r.collection)!.has(r.key) : !anywhere.has(r.key)));
    expect(undeclared.map((r) => `${r.at}: ${r.collection ?? '?'}.details.${r.key}`)).toEqual([]);
  });

  it('tells collections apart in a template', () => {
    const template =
      '{% for q in model.queues %}{{ q.details.fedBy }}{% endfor %}\n{% for w in dep.workloads %}{% set d = w.details or {} %}{{ d.strategy }}{% endfor %}\n{% for q in model.components %}{{ q.details.nonsense }}{% endfor %}\n';
    const reads = withFile('t.njk', template, templateReads);
    expect(reads.map((r) => `${r.collection}.${r.key}`)).toEqual(['queues.fedBy', 'workloads.strategy', 'components.nonsense']);
    expect(DECLARED.get('components')!.has('nonsense')).toBe(false);
  });

  it('the schema rejects a details key no collection declares, and a key of another category', () => {
    const ok = {
      ...emptyModel(),
      queues: [{ id: 'queue:a', name: 'a', tech: 'kafka', producers: [], consumers: [], details: { fedBy: ['queue:b'] }, evidence: [] }],
    };
    expect(ModelSchema.safeParse(ok).success).toBe(true);
    const invented = { ...ok, queues: [{ ...ok.queues[0]!, details: { fedBy: ['queue:b'], invented: 'x' } }] };
    expect(ModelSchema.safeParse(invented).success).toBe(false);
    const wrongType = { ...ok, queues: [{ ...ok.queues[0]!, details: { fedBy: 'queue:b' } }] };
    expect(ModelSchema.safeParse(wrongType).success).toBe(false);
    const fact = (category: string, details: Record<string, unknown>) => ({ id: `observability:${category}`, name: category, category, details, evidence: [] });
    expect(ModelSchema.safeParse({ ...emptyModel(), observability: [fact('logging', { redact: ['password'] })] }).success).toBe(true);
    // `redact` is a logging key: a metrics fact may not carry it.
    expect(ModelSchema.safeParse({ ...emptyModel(), observability: [fact('metrics', { redact: ['password'] })] }).success).toBe(false);
    expect(ModelSchema.safeParse({ ...emptyModel(), observability: [fact('unheard-of', {})] }).success).toBe(false);
  });
});
