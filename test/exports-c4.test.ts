/**
 * `archdoc export structurizr` and `archdoc export likec4` (export targets of
 * src/export/registry.ts): goldens on a fixture, validation against each tool's own format
 * (Structurizr's documented JSON format, LikeC4's own parser from its npm package), hand-made
 * views and styles surviving regeneration, and `archdoc generate` / `archdoc check` keeping
 * configured exports fresh.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { c4Model, identifier } from '../src/export/c4-model.js';
import { likec4, likec4Source, quoted } from '../src/export/likec4.js';
import type { Exporter } from '../src/export/registry.js';
import { structurizr, structurizrWorkspace } from '../src/export/structurizr.js';
import type { Model } from '../src/model/schema.js';
import { REPO_ROOT, copyFixture, removeTemps, runCli, trackTemp, goldenModel, goldenModelNames } from './helpers.js';
import { structurizrProblems } from './util/structurizr-check.js';

afterEach(removeTemps);

const GOLDEN_FIXTURE = 'rabbit-config-topology';
const modelOf = goldenModel;
const allModels = goldenModelNames;

type Json = Record<string, unknown>;

/** One file of an export, rendered as if into `/repo/docs/architecture` with `existing` on disk there. */
function renderOne(exporter: Exporter, model: Model, file: string, existing?: string): string {
  const root = path.join(os.tmpdir(), 'archdoc-c4-repo');
  const files = exporter.render({
    model,
    root,
    outputDir: path.join(root, 'docs', 'architecture'),
    document: path.join(root, 'docs', 'ARCHITECTURE.md'),
    existing: (f) => (f === file ? existing : undefined),
  });
  expect(files.map((f) => f.path)).toEqual([file]);
  return files[0]!.text;
}
const renderWorkspace = (model: Model, existing?: string) => renderOne(structurizr, model, 'workspace.json', existing);

/** Whether a LikeC4 parser can be loaded here (a devDependency; absent when installed without dev dependencies). */
const likec4Parser = await import('likec4').then(
  () => true,
  () => false,
);
if (!likec4Parser) console.warn('exports-c4: the likec4 package cannot be resolved, so the LikeC4 parser tests are skipped (npm install -D likec4)');
const itParses = likec4Parser ? it : it.skip;

/** Parse LikeC4 sources with LikeC4's own language services (offline: no layout, no browser). */
async function parseLikeC4(files: Record<string, string>): Promise<{ errors: string[]; elements: string[]; views: string[]; relations: number }> {
  const { LikeC4 } = await import('likec4');
  const dir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-likec4-')));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const likec4 = await LikeC4.fromWorkspace(dir, { logger: false, printErrors: false, throwIfInvalid: false, watch: false });
  try {
    const errors = likec4.getErrors().map((e) => `${e.message} (line ${e.line})`);
    const model = await likec4.computedModel();
    return {
      errors,
      elements: [...model.elements()].map((e) => e.id as string).sort(),
      views: [...model.views()].map((v) => v.id as string).sort(),
      relations: [...model.relationships()].length,
    };
  } finally {
    await likec4.dispose();
  }
}

describe('the C4 view of the model', () => {
  it('derives relationships from the facts: channels, flows, endpoints', () => {
    const c4 = c4Model(modelOf(GOLDEN_FIXTURE));
    const rel = (s: string, d: string) => c4.relationships.find((r) => r.source === s && r.destination === d)?.description;
    expect(rel('app_services_orders_api', 'queue_orders_events')).toBe('publishes order.paid.v1 and order.placed.v1 to');
    expect(rel('app_services_shipping_worker', 'queue_q_shipping')).toBe('consumes from');
    expect(rel('queue_orders_events', 'queue_q_shipping')).toBe('delivers to');
    expect(rel('client', 'app_services_orders_api')).toBe('calls POST /orders and POST /orders/:id/pay');
    // A library is no deployable unit: no container.
    expect(c4.containers.map((c) => c.source)).not.toContain('component:packages/contracts');
    // The controller that serves the endpoints is a component of its container.
    expect(c4.containers.find((c) => c.id === 'app_services_orders_api')?.components.map((k) => k.name)).toEqual(['OrdersController']);
    expect(c4.environments.map((e) => e.name)).toEqual(['Docker Compose']);

    const flows = c4Model(modelOf('redis-cache-relational'));
    expect(flows.relationships.find((r) => r.destination === 'db_postgresql')?.description).toBe('reads from and writes to');
    const grpc = c4Model(modelOf('polyglot-k8s-grpc'));
    expect(grpc.relationships.find((r) => r.source === 'app_services_pricing')).toMatchObject({ destination: 'app_services_catalog', technology: 'gRPC' });
    // gRPC services are called by the other services, not by the client of the HTTP endpoints.
    expect(grpc.relationships.filter((r) => r.source === 'client').map((r) => r.destination)).not.toContain('app_services_catalog');
  });

  it("says a channel's message names only of its sole producer", () => {
    const model = modelOf(GOLDEN_FIXTURE);
    const two: Model = {
      ...model,
      queues: model.queues.map((q) => (q.id === 'queue:orders.events' ? { ...q, producers: [...q.producers, 'component:services/shipping-worker'] } : q)),
    };
    const rels = c4Model(two).relationships.filter((r) => r.destination === 'queue_orders_events' && r.source.startsWith('app_'));
    expect(rels.map((r) => r.description)).toEqual(['consumes from', 'publishes to', 'publishes to and consumes from']);
  });

  it('places workloads, and the stores they run, on deployment nodes', () => {
    const nodes = (name: string) => c4Model(modelOf(name)).environments.flatMap((e) => e.nodes.map((n) => `${e.name} ${n.name}: ${n.instancesOf.join(', ')}`));
    expect(nodes('k8s-helm-platform')).toContain('Kubernetes catalog-db: db_postgresql');
    // An ECS service runs the component of its task definition's container.
    expect(nodes('aws-ecs-platform')).toEqual(
      expect.arrayContaining(['Terraform orders-api: app_services_api', 'Terraform aws_db_instance.orders: db_postgresql', 'Docker Compose db: db_postgresql']),
    );
  });

  it('gives ids from model ids, not counters: a new fact leaves the other ids as they were', () => {
    const model = modelOf(GOLDEN_FIXTURE);
    const before = c4Model(model);
    const more: Model = {
      ...model,
      queues: [
        { id: 'queue:aaa-first', name: 'aaa-first', tech: 'RabbitMQ', producers: ['component:services/orders-api'], consumers: [], evidence: [] },
        ...model.queues,
      ],
    };
    const after = c4Model(more);
    const ids = (c: typeof before) => c.containers.map((x) => x.id);
    expect(ids(after).filter((id) => id !== 'queue_aaa_first')).toEqual(ids(before));
    expect(after.relationships.map((r) => r.id)).toEqual(expect.arrayContaining(before.relationships.map((r) => r.id)));
  });

  it('keeps identifiers to letters, digits and underscores, and tells colliding sources apart', () => {
    expect(identifier('app', 'services/orders-api')).toBe('app_services_orders_api');
    expect(identifier('app', '../<script>')).toBe('app_script');
    expect(identifier('app', '')).toBe('app');
    const model = modelOf(GOLDEN_FIXTURE);
    const twin: Model = {
      ...model,
      queues: [
        ...model.queues,
        { id: 'queue:orders-events', name: 'orders-events', tech: 'RabbitMQ', producers: ['component:services/orders-api'], consumers: [], evidence: [] },
      ],
    };
    const ids = c4Model(twin).containers.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('queue_orders_events_'))).toHaveLength(2);
    // Deployment nodes too: two compose services whose names differ only in punctuation.
    const compose = (name: string) => ({ id: `workload:compose:${name}`, name, kind: 'compose service', evidence: [], details: { source: 'compose' } });
    const services: Model = { ...model, deployment: { ...model.deployment, workloads: [compose('api-v1'), compose('api_v1')] } };
    const nodes = c4Model(services).environments.flatMap((e) => e.nodes.map((n) => n.id));
    expect(nodes).toHaveLength(2);
    expect(new Set(nodes).size).toBe(2);
    expect(structurizrProblems(JSON.parse(structurizrWorkspace(services)))).toEqual([]);
    // Identifiers that differ only in case are one to Structurizr's DSL: each takes its own hash.
    const cased: Model = {
      ...model,
      queues: [
        ...model.queues,
        { id: 'queue:Orders.Events', name: 'Orders.Events', tech: 'RabbitMQ', producers: ['component:services/orders-api'], consumers: [], evidence: [] },
      ],
    };
    const casedIds = c4Model(cased).containers.map((c) => c.id.toLowerCase());
    expect(new Set(casedIds).size).toBe(casedIds.length);
    expect(casedIds.filter((id) => id.startsWith('queue_orders_events_'))).toHaveLength(2);
  });

  it('names elements apart where Structurizr wants names unique: within the system, a container, a parent node', () => {
    // polyglot-messaging has a service and a queue both named billing.
    const c4 = c4Model(modelOf('polyglot-messaging'));
    expect(c4.containers.filter((c) => c.name.startsWith('billing')).map((c) => c.name)).toEqual(['billing (service)', 'billing (message channel)']);
    // Two Kubernetes workloads of one name (a Deployment and a StatefulSet) under one namespace.
    const model = modelOf(GOLDEN_FIXTURE);
    const k8s = (kind: string) => ({
      id: `workload:kubernetes:${kind}/catalog`,
      name: 'catalog',
      kind,
      evidence: [],
      details: { source: 'kubernetes', namespace: 'shop' },
    });
    const both: Model = { ...model, deployment: { ...model.deployment, workloads: [k8s('Deployment'), k8s('StatefulSet')] } };
    const names = c4Model(both).environments.flatMap((e) => e.nodes.flatMap((n) => n.children.map((k) => k.name)));
    expect(names).toEqual(['catalog (Deployment)', 'catalog (StatefulSet)']);
    for (const name of allModels()) {
      const ws = JSON.parse(structurizrWorkspace(modelOf(name))) as Json;
      expect(
        structurizrProblems(ws).filter((p) => p.includes('is used twice')),
        name,
      ).toEqual([]);
    }
  });
});

describe('archdoc export structurizr', () => {
  it('matches the golden workspace', async () => {
    await expect(structurizrWorkspace(modelOf(GOLDEN_FIXTURE))).toMatchFileSnapshot(
      path.join(REPO_ROOT, 'test', 'golden', 'exports', 'structurizr', `${GOLDEN_FIXTURE}.json`),
    );
  });

  it("is valid against Structurizr's JSON format for every golden model, and deterministic", () => {
    const counts = { workspaces: 0, deploymentViews: 0 };
    for (const name of allModels()) {
      const text = structurizrWorkspace(modelOf(name));
      expect(structurizrWorkspace(modelOf(name)), name).toBe(text);
      const ws = JSON.parse(text) as Json;
      expect(structurizrProblems(ws), name).toEqual([]);
      counts.workspaces++;
      counts.deploymentViews += ((ws.views as Json).deploymentViews as unknown[] | undefined)?.length ?? 0;
    }
    expect(counts.workspaces).toBeGreaterThan(50);
    expect(counts.deploymentViews).toBeGreaterThan(20);
  });

  it('the structural check finds what Structurizr would refuse', () => {
    const ws = JSON.parse(structurizrWorkspace(modelOf(GOLDEN_FIXTURE))) as { model: { softwareSystems: Json[] }; views: Json };
    const dangling = structuredClone(ws);
    (dangling.model.softwareSystems[0]!.containers as Json[])[0]!.relationships = [
      { id: 'x', sourceId: 'app_services_audit_worker', destinationId: 'nowhere' },
    ];
    (dangling.views.containerViews as Json[])[0]!.elements = [{ id: 'gone' }];
    expect(structurizrProblems(dangling)).toEqual(
      expect.arrayContaining(['relationship x: destination nowhere does not exist', 'view archdoc-containers: element gone does not exist']),
    );
    const misshapen = structuredClone(ws);
    (misshapen.views.containerViews as Json[])[0]!.paperSize = 'A7';
    misshapen.model.softwareSystems[0]!.colour = 'red';
    // Structurizr's format has a deployment node's instances as a string (a number or a range).
    ((misshapen.model as Json).deploymentNodes as Json[])[0]!.instances = 1;
    expect(structurizrProblems(misshapen)).toEqual([
      'workspace.model.softwareSystems[0].colour: not a property of SoftwareSystem',
      'workspace.model.deploymentNodes[0].instances: expected a string',
      expect.stringMatching(/^workspace\.views\.containerViews\[0\]\.paperSize: "A7" is not one of A6_Portrait/),
    ]);
    // Names Structurizr's reader refuses twice in one scope, and one description twice for a pair.
    const twice = structuredClone(ws);
    const containers = twice.model.softwareSystems[0]!.containers as Json[];
    containers[1]!.name = containers[0]!.name;
    const nodes = (twice.model as Json).deploymentNodes as Json[];
    nodes[1]!.name = nodes[0]!.name;
    const rels = containers.find((c) => Array.isArray(c.relationships))!.relationships as Json[];
    rels.push({ ...rels[0]!, id: 'again' });
    expect(structurizrProblems(twice)).toEqual([
      `containers of system_parcel_pipeline: name ${JSON.stringify(containers[0]!.name)} is used twice`,
      `top-level deployment nodes: name ${JSON.stringify(nodes[0]!.name)} is used twice`,
      expect.stringMatching(/^relationship again: .* is already described /),
    ]);
  });

  it("keeps a team's own view, styles, positions and configuration when regenerating", () => {
    const model = modelOf(GOLDEN_FIXTURE);
    const ws = JSON.parse(structurizrWorkspace(model)) as Json & { views: Json & { containerViews: Json[] } };
    // A person lays out archdoc's container view, adds a view of their own and a style, and names users.
    const archdocView = ws.views.containerViews[0]!;
    archdocView.title = 'Order pipeline, as we draw it';
    delete archdocView.automaticLayout;
    archdocView.elements = (archdocView.elements as Json[]).map((e, i) => ({ ...e, x: 100 * i, y: 50 }));
    ws.views.systemLandscapeViews = [{ key: 'team-landscape', title: 'Our landscape', elements: [{ id: 'client', x: 1, y: 2 }, { id: 'queue_q_audit' }] }];
    ws.views.configuration = { styles: { elements: [{ tag: 'Queue', shape: 'Pipe', background: '#ff8800' }] }, themes: ['https://example.test/theme.json'] };
    ws.configuration = { users: [{ username: 'architect@example.test', role: 'ReadWrite' }] };
    const edited = JSON.stringify(ws, null, 2);

    // The code changes: the audit queue goes away.
    const changed: Model = {
      ...model,
      queues: model.queues.filter((q) => q.id !== 'queue:q.audit'),
      system: { ...model.system, description: 'Order pipeline over RabbitMQ' },
    };
    const again = JSON.parse(renderWorkspace(changed, edited)) as Json & { views: Json & { containerViews: Json[] } };
    expect(structurizrProblems(again)).toEqual([]);
    expect(again.views.configuration).toEqual(ws.views.configuration);
    expect(again.configuration).toEqual(ws.configuration);
    // The team's view is kept, without the element that no longer exists.
    expect(again.views.systemLandscapeViews).toEqual([{ key: 'team-landscape', title: 'Our landscape', elements: [{ id: 'client', x: 1, y: 2 }] }]);
    // archdoc's view is refreshed with the person's title, layout and positions.
    const view = again.views.containerViews[0]!;
    expect(view.title).toBe('Order pipeline, as we draw it');
    expect(view.automaticLayout).toBeUndefined();
    expect((view.elements as Json[]).find((e) => e.id === 'app_services_orders_api')).toMatchObject({ x: expect.any(Number), y: 50 });
    expect((view.elements as Json[]).map((e) => e.id)).not.toContain('queue_q_audit');
    // And the model itself is the code's.
    expect(JSON.stringify(again.model)).not.toContain('queue_q_audit');
    // Regenerating again with nothing changed writes the same bytes.
    const text = renderWorkspace(changed, JSON.stringify(again, null, 2));
    expect(renderWorkspace(changed, text)).toBe(text);
  });

  it("tells archdoc's workspace from any other, and a re-saved copy from an edit", () => {
    const model = modelOf(GOLDEN_FIXTURE);
    const text = renderWorkspace(model);
    expect(structurizr.isGenerated(text)).toBe(true);
    expect(structurizr.isGenerated(JSON.stringify({ name: 'Hand-made', model: { softwareSystems: [{ id: '1', name: 'Theirs' }] } }))).toBe(false);
    expect(structurizr.isGenerated('not json {')).toBe(false);
    expect(structurizr.isGenerated('[]')).toBe(false);
    // Structurizr's tools re-save a workspace with their own key order and spacing: the same workspace.
    const ws = JSON.parse(text) as Json;
    const resaved = JSON.stringify(Object.fromEntries(Object.entries(ws).reverse()));
    expect(resaved).not.toBe(text);
    expect(structurizr.equivalent?.(resaved, text)).toBe(true);
    expect(structurizr.equivalent?.(text.replace('"OrdersController"', '"Orders"'), text)).toBe(false);
    expect(structurizr.equivalent?.('not json {', text)).toBe(false);
  });
});

describe('archdoc export likec4', () => {
  it('matches the golden model', async () => {
    await expect(likec4Source(modelOf(GOLDEN_FIXTURE))).toMatchFileSnapshot(
      path.join(REPO_ROOT, 'test', 'golden', 'exports', 'likec4', `${GOLDEN_FIXTURE}.c4`),
    );
  });

  itParses(
    "parses with LikeC4's own parser, with a team's views and styles in a file of their own",
    async () => {
      const source = likec4Source(modelOf(GOLDEN_FIXTURE));
      const team = [
        'views {',
        '  view team_pipeline {',
        "    title 'How orders flow'",
        '    include system_parcel_pipeline.app_services_orders_api, system_parcel_pipeline.queue_orders_events',
        '    style system_parcel_pipeline.queue_orders_events {',
        '      color amber',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n');
      const parsed = await parseLikeC4({ 'archdoc.generated.c4': source, 'team.c4': team });
      expect(parsed.errors).toEqual([]);
      expect(parsed.views).toEqual(
        expect.arrayContaining([
          'archdoc_context',
          'archdoc_containers',
          'archdoc_components_app_services_orders_api',
          'archdoc_deployment_env_compose',
          'team_pipeline',
        ]),
      );
      const c4 = c4Model(modelOf(GOLDEN_FIXTURE));
      // Every element archdoc declares: the client, the system, its containers and their components.
      const expected = 2 + c4.externals.length + c4.containers.length + c4.containers.reduce((n, c) => n + c.components.length, 0);
      expect(parsed.elements).toHaveLength(expected);
      expect(parsed.relations).toBe(c4.relationships.length);
    },
    60_000,
  );

  itParses(
    'parses for fixtures with Kubernetes, Terraform, serverless and gRPC facts',
    async () => {
      for (const name of ['aws-ecs-platform', 'polyglot-k8s-grpc', 'sst2-receipts']) {
        const parsed = await parseLikeC4({ 'archdoc.generated.c4': likec4Source(modelOf(name)) });
        expect(parsed.errors, name).toEqual([]);
        expect(
          parsed.views.some((v) => v.startsWith('archdoc_deployment_')),
          name,
        ).toBe(true);
      }
    },
    120_000,
  );

  it('quotes repository text so it cannot end a string or a line', () => {
    expect(quoted("it's \\ a\nname")).toBe("'it\\'s \\\\ a name'");
  });

  itParses(
    'keeps hostile names as names when LikeC4 parses them',
    async () => {
      const model = modelOf(GOLDEN_FIXTURE);
      const hostile: Model = {
        ...model,
        system: { ...model.system, name: "x' }\nmodel { evil = c4system 'y" },
        components: model.components.map((c) => (c.kind === 'worker' ? { ...c, name: "w'\\" } : c)),
      };
      const parsed = await parseLikeC4({ 'archdoc.generated.c4': likec4Source(hostile) });
      expect(parsed.errors).toEqual([]);
      // The name stays a name: no element is declared from it, and the others are all there.
      expect(parsed.elements).not.toContain('evil');
      expect(parsed.elements).toHaveLength((await parseLikeC4({ 'archdoc.generated.c4': likec4Source(model) })).elements.length);
    },
    60_000,
  );

  it('writes one file, and counts as its own only a file that starts with its header', () => {
    const text = renderOne(likec4, modelOf(GOLDEN_FIXTURE), 'archdoc.generated.c4');
    expect(text).toBe(likec4Source(modelOf(GOLDEN_FIXTURE)));
    expect(likec4.isGenerated(text)).toBe(true);
    expect(likec4.isGenerated('model {\n}\n')).toBe(false);
    expect(likec4.isGenerated(`// ${text}`)).toBe(false);
  });
});

describe('the export command and archdoc check', () => {
  it('writes both exports, refuses files it did not write, leaves the team files alone', async () => {
    const repo = copyFixture(GOLDEN_FIXTURE);
    const teamFile = path.join(repo, 'docs', 'architecture', 'team.c4');
    fs.mkdirSync(path.dirname(teamFile), { recursive: true });
    fs.writeFileSync(teamFile, 'views {\n}\n');

    const s = await runCli(['export', 'structurizr', '--root', repo], repo);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/structurizr export in docs\/architecture: 1 file written, 0 up to date/);
    const wsFile = path.join(repo, 'docs', 'architecture', 'workspace.json');
    expect(fs.readFileSync(wsFile, 'utf8')).toBe(structurizrWorkspace(modelOf(GOLDEN_FIXTURE)));
    const l = await runCli(['export', 'likec4', '--root', repo], repo);
    expect(l.code, l.stderr).toBe(0);
    const c4file = path.join(repo, 'docs', 'architecture', 'archdoc.generated.c4');
    expect(fs.readFileSync(c4file, 'utf8')).toBe(likec4Source(modelOf(GOLDEN_FIXTURE)));
    expect(fs.readFileSync(teamFile, 'utf8')).toBe('views {\n}\n');
    const again = await runCli(['export', 'likec4', '--root', repo], repo);
    expect(again.stderr).toMatch(/likec4 export in docs\/architecture: 0 files written, 1 up to date/);

    // A workspace.json or .c4 file that archdoc did not write is never overwritten.
    const out = path.join(repo, 'theirs');
    fs.mkdirSync(out);
    const theirs = JSON.stringify({ name: 'Hand-made', model: { softwareSystems: [{ id: '1', name: 'Theirs' }] } });
    fs.writeFileSync(path.join(out, 'workspace.json'), theirs);
    fs.writeFileSync(path.join(out, 'archdoc.generated.c4'), 'model {\n}\n');
    for (const target of ['structurizr', 'likec4']) {
      const r = await runCli(['export', target, '--root', repo, '--output', out], repo);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(/was not written by archdoc export .*refusing to overwrite it/);
    }
    expect(fs.readFileSync(path.join(out, 'workspace.json'), 'utf8')).toBe(theirs);
    expect(fs.readFileSync(path.join(out, 'archdoc.generated.c4'), 'utf8')).toBe('model {\n}\n');

    const unknown = await runCli(['export', 'plantuml', '--root', repo], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown export target "plantuml"; targets: backstage, likec4, structurizr, structurizr-dsl/);
  }, 120_000);

  it('configured exports are written by generate and kept fresh by check, team views and styles aside', async () => {
    const repo = copyFixture(GOLDEN_FIXTURE, { exports: { structurizr: {}, likec4: { output: 'architecture' } } });
    const missing = await runCli(['check', '--root', repo], repo);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/architecture \(likec4 export\) does not exist/);
    const gen = await runCli(['generate', '--root', repo], repo);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toMatch(/structurizr export in .*docs\/architecture: 1 file written/);
    const c4file = path.join(repo, 'architecture', 'archdoc.generated.c4');
    expect(fs.readFileSync(c4file, 'utf8')).toBe(likec4Source(modelOf(GOLDEN_FIXTURE)));
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);

    // A hand-made style in the workspace, or the workspace re-saved in another layout, is no staleness.
    const wsFile = path.join(repo, 'docs', 'architecture', 'workspace.json');
    const ws = JSON.parse(fs.readFileSync(wsFile, 'utf8')) as Json & { views: Json };
    ws.views.configuration = { styles: { elements: [{ tag: 'Database', shape: 'Cylinder' }] } };
    fs.writeFileSync(wsFile, `${JSON.stringify(ws, null, 2)}\n`);
    const styled = await runCli(['check', '--root', repo], repo);
    expect(styled.code, styled.stderr).toBe(0);
    fs.writeFileSync(wsFile, JSON.stringify(ws));
    const resaved = await runCli(['check', '--root', repo], repo);
    expect(resaved.code, resaved.stderr).toBe(0);
    // An edit to what archdoc generates is.
    fs.writeFileSync(c4file, fs.readFileSync(c4file, 'utf8').replace("'Background worker'", "'A worker'"));
    const stale = await runCli(['check', '--root', repo], repo);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/architecture \(likec4 export\) is out of date with the code/);
    expect(stale.stderr).toMatch(/archdoc\.generated\.c4: out of date/);
    // generate puts it right, and keeps the team's style.
    expect((await runCli(['generate', '--root', repo, '--quiet'], repo)).code).toBe(0);
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);
    expect((JSON.parse(fs.readFileSync(wsFile, 'utf8')) as { views: Json }).views.configuration).toEqual(ws.views.configuration);
  }, 180_000);
});
