/**
 * Every diagram archdoc emits must parse with Mermaid's own parser: the diagrams in every golden
 * document, every builder's output on every fixture, and every builder fed hostile names. Size
 * control is checked on the 120-package fixture: within budget, nothing dropped silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram, diagramBuilders, diagramFileId, renderDiagram, type DiagramOptions } from '../src/diagrams/index.js';
import { budgetOf, connectedClusters, countEdges, GITHUB_MAX_CHARS, GITHUB_MAX_EDGES, mergeEdges, workspaceFolder } from '../src/diagrams/budget.js';
import { fence, label, nodeId, plainLabel, type Diagram } from '../src/diagrams/mermaid.js';
import type { Model } from '../src/model/schema.js';
import { ModelSchema } from '../src/model/schema.js';
import { analyseFixture, FIXTURES, REPO_ROOT } from './helpers.js';
import { loadMermaid, mermaidError, mermaidFences } from './mermaid-parse.js';

const OPTS: DiagramOptions = { maxNodes: 40, maxEdges: 80 };

const fixtureNames = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort();

/** Every Mermaid source in a diagram, the parts included. */
function sources(d: Diagram | undefined, where: string): { where: string; code: string }[] {
  if (!d) return [];
  return [{ where, code: d.code }, ...(d.parts ?? []).flatMap((p) => sources(p.diagram, `${where} › ${p.title}`))];
}

/**
 * Arguments to try with every builder: none, and the id of every fact a diagram could be drawn
 * for. Builders must return undefined (not throw) for an argument that is not theirs.
 */
function candidateArgs(model: Model): unknown[] {
  const some = <T extends { id: string }>(list: T[]) => list.slice(0, 8).map((x) => x.id);
  return [
    undefined,
    'always',
    ...some(model.components),
    ...some(model.schemas),
    ...some(model.dataStores),
    ...some(model.queues),
    ...some(model.deployment.pipelines),
    ...some(model.endpoints).slice(0, 3),
    ...model.schemas.flatMap((e) => (e.states ?? []).map((st) => `${e.id}#${st.field}`)).slice(0, 8),
    ...some(model.flows ?? []),
    ...[...new Set(model.schemas.map((e) => e.store).filter((x): x is string => !!x))].slice(0, 4),
    '',
  ];
}

async function parseAll(model: Model, opts: DiagramOptions = OPTS): Promise<{ count: number; failures: string[] }> {
  const failures: string[] = [];
  const parsed = new Set<string>();
  let count = 0;
  for (const kind of Object.keys(diagramBuilders).sort()) {
    for (const arg of candidateArgs(model)) {
      let d: Diagram | undefined;
      try {
        d = buildDiagram(kind, model, arg, opts);
      } catch (e) {
        failures.push(`${kind}(${String(arg)}) threw: ${(e as Error).message}`);
        continue;
      }
      for (const s of sources(d, `${kind}(${String(arg)})`)) {
        // Builders that ignore their argument draw the same thing again: parse it once.
        if (parsed.has(s.code)) continue;
        parsed.add(s.code);
        count++;
        const err = await mermaidError(s.code);
        if (err) failures.push(`${s.where}: ${err}\n${s.code.slice(0, 2000)}`);
      }
    }
  }
  return { count, failures };
}

beforeAll(async () => {
  await loadMermaid();
});

describe('the parser itself', () => {
  it('rejects broken diagrams (so passing means something)', async () => {
    expect(await mermaidError('graph TB\n  a["x"] --> b[y')).toBeDefined();
    expect(await mermaidError('graph TB\n  a[x "quoted" y] --> b')).toBeDefined();
    expect(await mermaidError('graph TB\n  a["x"] --> b')).toBeUndefined();
  });
});

describe('golden documents', () => {
  const goldens = fs
    .readdirSync(path.join(REPO_ROOT, 'test', 'golden'))
    .filter((f) => f.endsWith('.md'))
    .sort();
  it('has golden documents with diagrams', () => {
    expect(goldens.length).toBeGreaterThan(0);
  });
  for (const file of goldens) {
    it(`every Mermaid block in ${file} parses and fits GitHub's limits`, async () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'test', 'golden', file), 'utf8');
      const failures: string[] = [];
      for (const f of mermaidFences(text)) {
        const err = await mermaidError(f.code);
        if (err) failures.push(`${file}:${f.line}: ${err}`);
        if (f.code.length >= GITHUB_MAX_CHARS) failures.push(`${file}:${f.line}: ${f.code.length} characters`);
        if (countEdges(f.code) > GITHUB_MAX_EDGES) failures.push(`${file}:${f.line}: over ${GITHUB_MAX_EDGES} edges`);
        // GitHub's Mermaid: no HTML line-break tricks, no front matter or newer shape syntax.
        if (/<br\s*\/?>/i.test(f.code)) failures.push(`${file}:${f.line}: uses <br>`);
        if (/@\{/.test(f.code)) failures.push(`${file}:${f.line}: uses the @{ shape } syntax`);
        if (/^---/.test(f.code)) failures.push(`${file}:${f.line}: uses front matter`);
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('every builder on every fixture', () => {
  for (const name of fixtureNames) {
    it(`${name}: every diagram parses`, async () => {
      const model = await analyseFixture(name);
      const { failures } = await parseAll(model);
      expect(failures).toEqual([]);
    }, 300_000);
  }
});

// --- Hostile names ------------------------------------------------------------------------------

const HOSTILE = [
  'end',
  'graph',
  'class',
  'subgraph',
  'style',
  'click',
  'default',
  'flowchart',
  'direction',
  'o',
  'x',
  'say "hello" world',
  "it's",
  'a[b]c',
  '(paren) {brace} <angle>',
  '<script>alert(1)</script>',
  '#hash; semi;colon',
  'pipe | and || double',
  'back`tick` and ```fence```',
  'emoji 🚀📦 naïve café 漢字',
  'x'.repeat(300),
  'a --> b',
  'a -- text --> b',
  '%% comment',
  '%%{init: {"theme":"dark"}}%%',
  'new\nline\r\nand\ttab',
  'back\\slash',
  'amp & ampersand &amp; &lt;',
  '#quot; entity-like #35;',
  ':colon: and ::double',
  'A'.repeat(40) + ' ' + 'B'.repeat(40),
  '',
  ' ',
  '-',
  '1',
  '@scope/pkg-name',
  'orders.v1',
  'e', // ER keyword-like single letters
  'erDiagram',
  'stateDiagram-v2',
  '[*]',
  'state',
  'note',
  'participant',
  'actor',
  'loop',
  'alt',
  'opt',
  'as',
  'left of',
  'PK',
  'FK',
];

const ev = (file = 'src/x.ts', line = 1) => [{ file, line }];

/** A model whose every name is hostile, with relations between the facts so every edge kind is drawn. */
function hostileModel(names: string[]): Model {
  const n = names.length;
  const at = (i: number) => names[((i % n) + n) % n]!;
  const cid = (i: number) => `component:${at(i)}#${i}`;
  const kinds = ['service', 'worker', 'frontend', 'library', 'cli', 'function', 'infrastructure'] as const;
  const components = names.map((name, i) => ({
    id: cid(i),
    name,
    kind: kinds[i % kinds.length]!,
    path: `packages/${at(i + 1).replace(/[\s/\\]/g, '-')}/${i}`,
    tech: [],
    dependsOn: [
      { target: cid(i + 1), kind: 'package' as const, evidence: ev() },
      { target: cid(i + 7), kind: 'import' as const, count: 2, evidence: ev() },
    ],
    evidence: ev(),
  }));
  const sid = (i: number) => `schema:${at(i)}#${i}`;
  const schemas = names.slice(0, 30).map((name, i) => ({
    id: sid(i),
    name,
    table: at(i + 3),
    ...(i % 4 === 3 ? {} : { store: `store:${at(0)}` }),
    component: cid(i),
    orm: 'prisma',
    fields: [
      { name: at(i + 1), type: at(i + 2), id: true },
      { name: at(i + 4), type: 'String', nullable: true, unique: true, default: at(i + 5) },
      { name: 'status', type: 'Status' },
    ],
    relations: [
      { name: at(i + 6), target: sid((i + 1) % 30), cardinality: 'one-to-many' as const, foreignKey: at(i + 2) },
      { name: at(i + 8), target: sid((i + 5) % 30), cardinality: 'many-to-many' as const },
    ],
    states: [
      {
        field: 'status',
        values: [at(i), at(i + 1), at(i + 2), 'end', '[*]'],
        initial: at(i),
        transitions: [
          { from: at(i), to: at(i + 1), evidence: ev() },
          { from: at(i + 1), to: at(i + 2), evidence: ev() },
        ],
      },
    ],
    evidence: ev(),
  }));
  const dataStores = names.slice(0, 6).map((name, i) => ({
    id: `store:${name}#${i}`,
    name,
    tech: at(i + 2),
    kind: 'relational' as const,
    usedBy: [cid(i), cid(i + 3)],
    evidence: ev(),
  }));
  const queues = names.slice(0, 8).map((name, i) => ({
    id: `queue:${name}#${i}`,
    name,
    tech: at(i + 1),
    producers: [cid(i)],
    consumers: [cid(i + 2)],
    messages: [at(i + 3), at(i + 4)],
    evidence: ev(),
  }));
  const externalServices = names.slice(0, 6).map((name, i) => ({
    id: `external:${name}#${i}`,
    name,
    kind: at(i + 1),
    usedBy: [cid(i + 4)],
    evidence: ev(),
  }));
  const endpoints = names.slice(0, 12).map((name, i) => ({
    id: `endpoint:GET /${name}#${i}`,
    name: `GET /${name}`,
    method: ['GET', 'POST', 'query', 'rpc'][i % 4]!,
    path: `/${name}/:id`,
    protocol: 'http' as const,
    component: cid(i),
    handler: at(i + 2),
    auth: { required: i % 2 === 0, mechanisms: [at(i + 3)] },
    evidence: ev(),
  }));
  const infrastructure = names.slice(0, 12).map((name, i) => ({
    id: `infra:${name}#${i}`,
    name,
    type: ['aws_vpc', 'aws_lb', 'aws_ecs_service', 'aws_db_instance', 'aws_sqs_queue', 'aws_subnet'][i % 6]!,
    role: (['network', 'edge', 'compute', 'data', 'messaging', 'network'] as const)[i % 6]!,
    provider: 'aws',
    source: 'terraform',
    details: {
      primary: true,
      root: 'infra',
      connectsTo: [`infra:${at(i + 1)}#${(i + 1) % 12}`],
      ...(i % 3 === 0 ? { subnet: 'public' } : i % 3 === 1 ? { subnet: 'private' } : {}),
    },
    evidence: ev('main.tf', i + 1),
  }));
  const model: Model = {
    schemaVersion: 1,
    system: { name: at(11), evidence: ev('package.json') },
    components,
    endpoints,
    schemas,
    dataStores,
    queues,
    externalServices,
    infrastructure,
    deployment: {
      environments: names.slice(0, 3).map((name, i) => ({ id: `environment:${name}#${i}`, name, evidence: ev() })),
      pipelines: names.slice(0, 3).map((name, i) => ({
        id: `pipeline:${name}#${i}`,
        name,
        tool: 'github-actions',
        triggers: [at(i + 1), 'push'],
        jobs: names.slice(0, 8).map((job, j) => ({
          name: job,
          needs: j > 0 ? [names[j - 1]!] : [],
          environment: j === 7 ? at(i) : undefined,
          manual: j === 6,
          commands: [at(j + 2)],
        })),
        evidence: ev('.github/workflows/ci.yml'),
      })),
      containers: names.slice(0, 4).map((name, i) => ({
        id: `container:${name}#${i}`,
        name,
        image: at(i + 1),
        component: cid(i),
        ports: ['8080', at(i)],
        evidence: ev('Dockerfile'),
      })),
      workloads: names.slice(0, 4).map((name, i) => ({
        id: `workload:${name}#${i}`,
        name,
        kind: 'Deployment',
        component: cid(i),
        evidence: ev('k8s.yaml'),
      })),
    },
    observability: [],
    security: [
      ...names.slice(0, 4).map((name, i) => ({
        id: `security:${name}#${i}`,
        name,
        category: (['authentication', 'authorisation', 'credentials', 'transport'] as const)[i]!,
        tech: at(i + 1),
        component: cid(i),
        evidence: ev(),
      })),
      {
        id: 'security:auth-flow',
        name: at(3),
        category: 'authentication',
        component: cid(0),
        details: { loginRoute: `POST /${at(4)}`, tokenLibrary: at(5), token: at(6), passwordCheck: at(7) },
        evidence: ev(),
      },
      { id: `security:jwt:${at(8)}`, name: at(8), category: 'authentication', details: { operations: ['sign', 'verify'] }, evidence: ev() },
      { id: `security:guard:${at(9)}`, name: at(9), category: 'authorisation', evidence: ev() },
    ],
    scaling: [],
    recovery: [],
    techStack: [],
    decisions: [],
    documents: [],
    warnings: [],
    flows: names.slice(0, 4).map((name, i) => ({
      id: `flow:${name}#${i}`,
      name,
      entry: `endpoint:GET /${name}#${i}`,
      entryKind: 'endpoint' as const,
      component: cid(i),
      steps: [
        { from: 'client', to: cid(i), action: at(i + 1), kind: 'sync' as const, evidence: ev() },
        {
          from: cid(i),
          to: `store:${at(0)}#0`,
          action: at(i + 2),
          kind: 'sync' as const,
          evidence: ev(),
          branch: { id: 'src/x.ts:3', arm: 'then' as const, condition: at(i + 3) },
        },
        {
          from: cid(i),
          to: `queue:${at(1)}#1`,
          action: at(i + 4),
          kind: 'async' as const,
          evidence: ev(),
          branch: { id: 'src/x.ts:3', arm: 'else' as const, condition: at(i + 3) },
        },
        { from: cid(i), to: `external:${at(2)}#2`, action: at(i + 5), kind: 'sync' as const, evidence: ev() },
      ],
      participants: [cid(i), `store:${at(0)}#0`],
      rank: i + 1,
      featured: true,
      evidence: ev(),
    })),
    authFlow: {
      component: cid(0),
      login: { name: `POST /${at(4)}`, evidence: ev() },
      passwordCheck: { name: at(7), evidence: ev() },
      tokenIssue: { name: at(5), token: at(6), evidence: ev() },
      verifier: { mechanism: 'guard', name: at(9), evidence: ev() },
      evidence: ev(),
    },
  };
  return ModelSchema.parse(model);
}

describe('hostile names through every registered builder', () => {
  it('the hostile model is a valid model', () => {
    expect(() => hostileModel(HOSTILE)).not.toThrow();
  });

  it('every builder draws something parseable from hostile names (small model)', async () => {
    const model = hostileModel(HOSTILE.slice(0, 14));
    const { count, failures } = await parseAll(model);
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(Object.keys(diagramBuilders).length - 1);
    // Every registered builder drew at least one diagram from these names (none was skipped).
    const silent = Object.keys(diagramBuilders).filter((kind) => candidateArgs(model).every((arg) => !buildDiagram(kind, model, arg, OPTS)));
    expect(silent).toEqual([]);
  }, 300_000);

  it('every builder draws something parseable from hostile names (large model, collapsed)', async () => {
    const { count, failures } = await parseAll(hostileModel(HOSTILE));
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(0);
  }, 300_000);

  // Property-style: many models built from shuffled and combined hostile names.
  it('random combinations of hostile names always parse (seeded)', async () => {
    let seed = 20261124;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const failures: string[] = [];
    for (let round = 0; round < 6; round++) {
      const names = Array.from({ length: 6 + Math.floor(rand() * 40) }, () => {
        const a = HOSTILE[Math.floor(rand() * HOSTILE.length)]!;
        const b = HOSTILE[Math.floor(rand() * HOSTILE.length)]!;
        return rand() < 0.5 ? a : `${a}${b}`;
      });
      const r = await parseAll(hostileModel(names), { maxNodes: 5 + Math.floor(rand() * 40), maxEdges: 5 + Math.floor(rand() * 80) });
      failures.push(...r.failures.map((f) => `round ${round}: ${f}`));
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, 300_000);
});

describe('ids and labels', () => {
  it('nodeId is stable, safe and collision-free over hostile ids', () => {
    const ids = HOSTILE.flatMap((h) => [`component:${h}`, `queue:${h}`, `store:${h}`, h]);
    const out = ids.map(nodeId);
    for (const id of out) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(new Set(out).size).toBe(new Set(ids).size);
    expect(ids.map(nodeId)).toEqual(out);
  });

  it('label quotes and escapes everything Mermaid would read', () => {
    for (const h of HOSTILE) {
      const l = label(h);
      expect(l.startsWith('"') && l.endsWith('"')).toBe(true);
      const bare = (x: string) => x.replace(/#(?:[a-z]+|[0-9]+);/g, '');
      expect(bare(l.slice(1, -1))).not.toMatch(/["<>|;`{}\n]/);
      expect(bare(plainLabel(h))).not.toMatch(/["<>|;`{}\n]/);
      expect(l.length).toBeGreaterThan(2);
    }
    expect(label('')).toBe('"(unnamed)"');
    expect(label('x'.repeat(300)).length).toBeLessThanOrEqual(62);
  });

  it('fence escapes Markdown in notes and folds parts', () => {
    const out = fence({ code: 'graph TB\n  a', notes: ['a_b*c'], parts: [{ key: 'k', title: 'P <1>', diagram: { code: 'graph TB\n  b', notes: [] } }] });
    expect(out).toContain('_a\\_b\\*c_');
    expect(out).toContain('<details><summary>P &lt;1&gt;</summary>');
    expect(mermaidFences(out)).toHaveLength(2);
  });
});

describe('budget helpers', () => {
  it('merges parallel edges with counts and drops self-loops', () => {
    const m = mergeEdges([
      { from: 'b', to: 'c' },
      { from: 'a', to: 'b' },
      { from: 'a', to: 'b' },
      { from: 'a', to: 'a' },
      { from: 'a', to: 'b', style: 'dotted' },
    ]);
    expect(m.map((e) => `${e.from}>${e.to}:${e.style}:${e.count}`)).toEqual(['a>b:dotted:1', 'a>b:solid:2', 'b>c:solid:1']);
  });

  it('finds connected clusters independent of input order', () => {
    const edges = [
      { from: 'd', to: 'e' },
      { from: 'a', to: 'b' },
      { from: 'c', to: 'b' },
    ];
    const a = connectedClusters(['e', 'd', 'c', 'b', 'a', 'z'], edges);
    const b = connectedClusters(['a', 'b', 'c', 'd', 'e', 'z'], [...edges].reverse());
    expect(a).toEqual([['a', 'b', 'c'], ['d', 'e'], ['z']]);
    expect(b).toEqual(a);
  });

  it('knows workspace folders and caps budgets at what GitHub renders', () => {
    expect(workspaceFolder('libs/billing/domain')).toBe('libs/billing');
    expect(workspaceFolder('apps')).toBe('.');
    expect(budgetOf({ maxEdges: 10_000, maxChars: 10_000_000 })).toEqual({ maxNodes: 40, maxEdges: 500, maxChars: 49_000 });
  });

  it('diagram file ids are readable, distinct and stable', () => {
    expect(diagramFileId('high-level', undefined)).toBe('high-level');
    const a = diagramFileId('er', 'component:apps/a.b');
    expect(a).toMatch(/^er-apps-a-b-[0-9a-f]{6}$/);
    expect(diagramFileId('er', 'component:apps/a-b')).not.toBe(a);
  });
});

describe('over-budget fixture: 120 workspace packages (119 components: libs/shared/testing-utils is test support, set aside)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('huge-monorepo');
  });

  it('is really over budget', () => {
    expect(model.components.length).toBe(119);
  });

  for (const kind of ['high-level', 'components']) {
    it(`${kind}: every diagram within budget, parses, and says that it collapsed`, async () => {
      const d = buildDiagram(kind, model, undefined, OPTS)!;
      expect(d).toBeDefined();
      // The high-level diagram folds the 105 libraries away (and then fits); the dependencies diagram groups.
      expect(d.notes.join(' ')).toMatch(
        kind === 'high-level'
          ? /^105 libraries are not drawn: 57 are folded into the deployable units that use them; for the other 48, no deployable unit uses them/
          : /grouped/,
      );
      for (const s of sources(d, kind)) {
        const nodes = s.code.split('\n').filter((l) => /^\s+[A-Za-z_][A-Za-z0-9_]*[[({]/.test(l) && !/^\s+subgraph /.test(l)).length;
        expect(nodes, s.where).toBeLessThanOrEqual(OPTS.maxNodes);
        expect(countEdges(s.code), s.where).toBeLessThanOrEqual(OPTS.maxEdges);
        expect(s.code.length, s.where).toBeLessThan(20_000);
        expect(await mermaidError(s.code), s.where).toBeUndefined();
      }
    });
  }

  it('components: nothing is dropped silently (every component is drawn in exactly one part)', () => {
    const d = buildDiagram('components', model, undefined, OPTS)!;
    expect(d.parts!.length).toBeGreaterThan(1);
    // Members are the nodes drawn outside the "Used by" and "Depends on" subgraphs (which hold neighbours).
    const members = new Map<string, number>();
    for (const p of d.parts!) {
      let elsewhere = false;
      for (const line of p.diagram.code.split('\n')) {
        if (/^\s+subgraph .*\["(Used by|Depends on)"\]/.test(line)) elsewhere = true;
        else if (line.trim() === 'end') elsewhere = false;
        const m = /^\s+([A-Za-z_][A-Za-z0-9_]*)[[({]/.exec(line);
        if (m && !elsewhere && !line.trim().startsWith('subgraph')) members.set(m[1]!, (members.get(m[1]!) ?? 0) + 1);
      }
    }
    for (const c of model.components) expect(members.get(nodeId(c.id)), c.name).toBe(1);
    expect(members.size).toBe(model.components.length);
  });

  it('the same model gives byte-identical diagrams, whatever the order of facts', () => {
    const shuffled: Model = { ...model, components: [...model.components].reverse() };
    for (const kind of ['high-level', 'components']) {
      expect(renderDiagram(kind, shuffled, undefined, OPTS)).toBe(renderDiagram(kind, model, undefined, OPTS));
    }
  });

  it('a smaller budget collapses further and still parses', async () => {
    const tight = { maxNodes: 12, maxEdges: 20 };
    for (const kind of ['high-level', 'components']) {
      const d = buildDiagram(kind, model, undefined, tight)!;
      for (const s of sources(d, kind)) expect(await mermaidError(s.code), s.where).toBeUndefined();
      expect(d.notes.length).toBeGreaterThan(0);
    }
  });

  it('SVG mode references one file per diagram and keeps the source folded', () => {
    const md = renderDiagram('components', model, undefined, { ...OPTS, render: 'svg' });
    const refs = [...md.matchAll(/\]\(diagrams\/([a-z0-9-]+)\.svg\)/g)].map((m) => m[1]);
    const d = buildDiagram('components', model, undefined, OPTS)!;
    expect(refs.length).toBe(1 + d.parts!.length);
    expect(new Set(refs).size).toBe(refs.length);
    expect(mermaidFences(md)).toHaveLength(refs.length);
  });
});
