/**
 * `archdoc export backstage` (issue #28): every entity it writes passes Backstage's own
 * validators from @backstage/catalog-model, the export of one fixture equals its golden files, a
 * team's own keys survive regeneration, and `archdoc check` keeps a configured export fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  type Entity,
  FieldFormatEntityPolicy,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { parse, parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { backstage, entityName, githubRepository, openapiPath, uniqueNames } from '../src/export/backstage.js';
import type { Model } from '../src/model/schema.js';
import { analyseFixture, copyFixture, FIXTURES, REPO_ROOT, removeTemps, runCli, trackTemp } from './helpers.js';
import os from 'node:os';

afterEach(removeTemps);

const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const KIND_VALIDATORS = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
];

/** The export of a model, rendered as if into `<root>/catalog` with nothing on disk. */
function render(model: Model, root: string, existing: Record<string, string> = {}) {
  return backstage.render({
    model,
    root,
    outputDir: path.join(root, 'catalog'),
    document: path.join(root, 'docs', 'ARCHITECTURE.md'),
    existing: (f) => existing[f],
  });
}

/**
 * Every entity of an export, as the catalog would see it: `$text` placeholders read from the file
 * they name (relative to the catalog-info.yaml, as Backstage's PlaceholderProcessor does), which
 * must exist in the repository.
 */
function entitiesOf(files: { path: string; text: string }[], outputDir: string, root: string): Entity[] {
  const out: Entity[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(f.text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      expect(doc.errors).toEqual([]);
      const entity = doc.toJS() as Entity;
      const spec = entity.spec as Record<string, unknown> | undefined;
      const definition = spec?.definition as { $text?: string } | string | undefined;
      if (typeof definition === 'object' && definition?.$text) {
        const file = path.resolve(path.dirname(path.join(outputDir, f.path)), definition.$text);
        expect(file.startsWith(root + path.sep), `${definition.$text} stays in the repository`).toBe(true);
        spec!.definition = fs.readFileSync(file, 'utf8');
      }
      out.push(entity);
    }
  }
  return out;
}

async function validate(entity: Entity): Promise<void> {
  await expect(policy.enforce(entity), `${entity.kind} ${entity.metadata.name}`).resolves.toBeDefined();
  const results = await Promise.all(KIND_VALIDATORS.map((v) => v.check(entity)));
  expect(results.filter(Boolean), `${entity.kind} ${entity.metadata.name}: one kind validator accepts it`).toHaveLength(1);
}

describe('backstage export: Backstage accepts every entity', () => {
  for (const fixture of ['event-driven-services', 'polyglot-k8s-grpc', 'api-descriptions', 'nestjs-api', 'flows-monorepo', 'aws-ecs-platform']) {
    it(fixture, async () => {
      const root = path.join(FIXTURES, fixture);
      const model = await analyseFixture(fixture);
      const files = render(model, root);
      const entities = entitiesOf(files, path.join(root, 'catalog'), root);
      for (const e of entities) await validate(e);
      const kinds = (k: string) => entities.filter((e) => e.kind === k);
      // One System, one Component per component, one Resource per store and channel.
      expect(kinds('System')).toHaveLength(1);
      expect(kinds('Component')).toHaveLength(model.components.length);
      expect(kinds('Resource')).toHaveLength(model.dataStores.length + model.queues.length);
      // Names are unique within a kind, and every relation names an entity of the export.
      const refs = new Set(entities.map((e) => `${e.kind.toLowerCase()}:${e.metadata.name}`));
      expect(refs.size).toBe(entities.length);
      for (const c of kinds('Component')) {
        const spec = c.spec as { dependsOn?: string[]; providesApis?: string[]; consumesApis?: string[]; system: string };
        for (const d of spec.dependsOn ?? []) expect(refs.has(d), d).toBe(true);
        for (const a of [...(spec.providesApis ?? []), ...(spec.consumesApis ?? [])]) expect(refs.has(`api:${a}`), a).toBe(true);
        expect(refs.has(`system:${spec.system}`)).toBe(true);
      }
      // The Location lists every component file, and every component file is listed.
      const location = kinds('Location')[0]!;
      expect((location.spec as { targets: string[] }).targets).toEqual(
        files
          .filter((f) => f.path !== 'catalog-info.yaml')
          .map((f) => `./${f.path}`)
          .sort(),
      );
    });
  }

  it('event-driven-services: the relations a reader expects', async () => {
    const root = path.join(FIXTURES, 'event-driven-services');
    const entities = entitiesOf(render(await analyseFixture('event-driven-services'), root), path.join(root, 'catalog'), root);
    const get = (kind: string, name: string) => entities.find((e) => e.kind === kind && e.metadata.name === name)!;
    const orders = get('Component', 'shop-orders').spec as Record<string, string[]>;
    expect(orders.providesApis).toEqual(['shop-orders-asyncapi', 'shop-orders-openapi']);
    expect(orders.dependsOn).toContain('component:shop-contracts');
    expect(orders.dependsOn).toContain('resource:orders.placed');
    const notifications = get('Component', 'shop-notifications').spec as Record<string, string[]>;
    expect(notifications.consumesApis).toEqual(['shop-orders-asyncapi']);
    // The repository's own AsyncAPI document is the definition; OpenAPI is generated from the routes.
    expect((get('API', 'shop-orders-asyncapi').spec as { definition: string }).definition).toBe(
      fs.readFileSync(path.join(root, 'services/orders/asyncapi.yaml'), 'utf8'),
    );
    const openapi = parse((get('API', 'shop-orders-openapi').spec as { definition: string }).definition);
    expect(openapi.openapi).toBe('3.0.3');
    expect(Object.keys(openapi.paths)).toEqual(['/orders', '/orders/{id}']);
    expect(openapi.paths['/orders/{id}'].delete.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(openapi.paths['/orders'].post['x-archdoc-evidence']).toEqual(['services/orders/src/server.ts:9']);
    expect(get('Resource', 'orders.placed').spec).toMatchObject({ type: 'topic', system: 'shop-events', owner: 'unknown', lifecycle: 'unknown' });
    // Annotations lead back to the code and the document.
    expect(get('Component', 'shop-orders').metadata.annotations).toMatchObject({
      'archdoc.dev/source-path': 'services/orders',
      'archdoc.dev/document': 'docs/ARCHITECTURE.md',
    });
  });

  it('polyglot-k8s-grpc: the .proto file is the gRPC API, consumed by the components that call it', async () => {
    const root = path.join(FIXTURES, 'polyglot-k8s-grpc');
    const entities = entitiesOf(render(await analyseFixture('polyglot-k8s-grpc'), root), path.join(root, 'catalog'), root);
    const api = entities.find((e) => e.kind === 'API' && (e.spec as { type: string }).type === 'grpc')!;
    expect(api.metadata.annotations?.['archdoc.dev/definition']).toBe('services/catalog/proto/catalog.proto');
    const consumers = entities
      .filter((e) => ((e.spec as { consumesApis?: string[] }).consumesApis ?? []).includes(api.metadata.name))
      .map((e) => e.metadata.name);
    expect(consumers.sort()).toEqual(['pricing', 'recommender']);
    // `ALL /quotes` has no OpenAPI method: the path says so instead of inventing one.
    // pricing has its own OpenAPI document: that is its API, and none is generated from its routes.
    const pricing = entities.filter((e) => e.kind === 'API' && (e.spec as { type: string }).type === 'openapi' && e.metadata.name.startsWith('pricing'));
    expect(pricing.map((e) => e.metadata.annotations?.['archdoc.dev/definition'])).toEqual(['services/pricing/api/openapi.yaml']);
    // recommender has none: its routes make one.
    const recommender = entities.find((e) => e.kind === 'API' && e.metadata.name === 'recommender-openapi')!;
    expect(Object.keys(parse((recommender.spec as { definition: string }).definition).paths)).toEqual(['/healthz', '/recommendations']);
  });
});

describe('backstage export: golden', () => {
  const fixture = 'event-driven-services';
  const goldenDir = path.join(REPO_ROOT, 'test', 'golden', 'exports', 'backstage', fixture);
  it(`${fixture} equals test/golden/exports/backstage/${fixture}`, async () => {
    const root = path.join(FIXTURES, fixture);
    await loadConfigSchema();
    const config = resolveConfig({}, { cwd: root, root });
    const { model } = await analyse(config);
    const files = render(model, root);
    for (const f of files) await expect(f.text).toMatchFileSnapshot(path.join(goldenDir, f.path));
    // No golden file the export no longer writes.
    const goldens: string[] = [];
    const walk = (dir: string, rel: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else goldens.push(`${rel}${e.name}`);
      }
    };
    walk(goldenDir, '');
    expect(goldens.sort()).toEqual(files.map((f) => f.path).sort());
  });
});

describe('backstage export: names', () => {
  it('makes valid Backstage names of any text', async () => {
    const validator = new FieldFormatEntityPolicy();
    const names = ['@shop/orders', 'Orders Service', '--x--', '', '日本', 'a'.repeat(200), 'UPPER_case.v2', '../..', 'x'.repeat(62) + '!!'];
    for (const n of names) {
      const name = entityName(n);
      expect(name.length).toBeLessThanOrEqual(63);
      await expect(validator.enforce({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name } })).resolves.toBeDefined();
    }
    expect(entityName('@shop/orders')).toBe('shop-orders');
    expect(entityName('日本')).toBe('unnamed');
    expect(entityName('a'.repeat(200))).not.toBe(entityName(`${'a'.repeat(199)}b`));
  });

  it('gives colliding names a suffix from each id, whatever the order', () => {
    const facts = [
      { id: 'datastore:orders', name: 'Orders' },
      { id: 'queue:orders', name: 'orders' },
      { id: 'queue:payments', name: 'payments' },
    ];
    const a = uniqueNames(facts);
    const b = uniqueNames([...facts].reverse());
    expect([...a].sort()).toEqual([...b].sort());
    expect(a.get('queue:payments')).toBe('payments');
    expect(a.get('datastore:orders')).not.toBe(a.get('queue:orders'));
    expect(a.get('datastore:orders')).toMatch(/^orders-[0-9a-f]{6}$/);
  });

  it('turns route paths into OpenAPI templates and repositories into GitHub links', () => {
    expect(openapiPath('/orders/:id/items/:itemId?')).toEqual({ path: '/orders/{id}/items/{itemId}', params: ['id', 'itemId'] });
    expect(openapiPath('health')).toEqual({ path: '/health', params: [] });
    expect(githubRepository('https://github.com/acme/leaky-orders.git')).toBe('https://github.com/acme/leaky-orders');
    expect(githubRepository('git+ssh://git@github.com/acme/shop')).toBe('https://github.com/acme/shop');
    expect(githubRepository('https://gitlab.com/acme/shop')).toBeUndefined();
  });
});

describe('backstage export: written, kept and checked', () => {
  const catalog = (repo: string, file = 'catalog-info.yaml') => path.join(repo, 'catalog', file);

  it('keeps a hand-added owner, lifecycle, tag and annotation, and rewrites the rest', async () => {
    const repo = copyFixture('event-driven-services');
    expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
    const file = catalog(repo, 'shop-orders/catalog-info.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const edited = before
      .replace('  owner: unknown\n  providesApis', '  owner: team-orders\n  providesApis')
      .replace('  lifecycle: unknown\n  owner: team-orders', '  lifecycle: production\n  owner: team-orders')
      .replace('  description: Takes orders and announces them\n', '  description: Hand-written\n  tags:\n    - payments\n')
      .replace('    archdoc.dev/source-path: services/orders\n', '    archdoc.dev/source-path: services/orders\n    pagerduty.com/service-id: PX1\n');
    expect(edited).not.toBe(before);
    fs.writeFileSync(file, edited);
    const r = await runCli(['export', 'backstage', '--root', repo], repo);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/backstage export in .*catalog: 1 file written, 5 up to date/);
    const orders = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS())[0];
    expect(orders.spec.owner).toBe('team-orders');
    expect(orders.spec.lifecycle).toBe('production');
    expect(orders.metadata.tags).toEqual(['payments']);
    expect(orders.metadata.annotations['pagerduty.com/service-id']).toBe('PX1');
    // Not a human-owned key: the description comes from the code again.
    expect(orders.metadata.description).toBe('Takes orders and announces them');
    // And the APIs in the same file keep their own owner.
    const api = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS())[1];
    expect(api.spec.owner).toBe('unknown');
    // A second run changes nothing.
    const again = fs.readFileSync(file, 'utf8');
    expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(again);
  });

  it('refuses to overwrite a catalog-info.yaml it did not write, and reports broken YAML', async () => {
    const repo = copyFixture('event-driven-services');
    fs.mkdirSync(path.join(repo, 'catalog'), { recursive: true });
    fs.writeFileSync(catalog(repo), 'apiVersion: backstage.io/v1alpha1\nkind: System\n');
    const r = await runCli(['export', 'backstage', '--root', repo], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/was not written by archdoc export backstage; refusing to overwrite it/);
    expect(fs.readFileSync(catalog(repo), 'utf8')).toBe('apiVersion: backstage.io/v1alpha1\nkind: System\n');
    fs.writeFileSync(catalog(repo), '# Generated by archdoc export backstage\n---\nmetadata: [unclosed\n');
    const broken = await runCli(['export', 'backstage', '--root', repo], repo);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/catalog-info\.yaml is not valid YAML/);
  });

  it('removes the file of a component that is gone, and writes where --output says', async () => {
    const repo = copyFixture('event-driven-services');
    expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
    const stale = catalog(repo, 'shop-legacy/catalog-info.yaml');
    fs.mkdirSync(path.dirname(stale));
    fs.writeFileSync(stale, fs.readFileSync(catalog(repo, 'shop-orders/catalog-info.yaml'), 'utf8'));
    const r = await runCli(['export', 'backstage', '--root', repo], repo);
    expect(r.stderr).toMatch(/0 files written, 6 up to date, 1 no longer generated, removed/);
    expect(fs.existsSync(path.dirname(stale))).toBe(false);
    const out = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-backstage-out-')));
    expect((await runCli(['export', 'backstage', '--root', repo, '--output', out, '--quiet'], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'shop-orders', 'catalog-info.yaml'), 'utf8')).toBe(
      fs
        .readFileSync(catalog(repo, 'shop-orders/catalog-info.yaml'), 'utf8')
        .replaceAll('$text: ../../services/', `$text: ${path.relative(path.join(out, 'shop-orders'), repo).split(path.sep).join('/')}/services/`),
    );
    const unknown = await runCli(['export', 'structurizer', '--root', repo], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown export target "structurizer"; targets: backstage/);
  });

  it('a configured export is written by generate and kept fresh by check', async () => {
    const repo = copyFixture('event-driven-services', { exports: { backstage: { output: 'backstage' } } });
    const missing = await runCli(['check', '--root', repo], repo);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/backstage \(backstage export\) does not exist/);
    const gen = await runCli(['generate', '--root', repo], repo);
    expect(gen.code).toBe(0);
    expect(gen.stderr).toMatch(/backstage export in .*backstage: 6 files written, 0 up to date/);
    expect(fs.existsSync(path.join(repo, 'backstage', 'shop-orders', 'catalog-info.yaml'))).toBe(true);
    expect((await runCli(['check', '--root', repo], repo)).code).toBe(0);
    // A team's title is no staleness; an edit to a generated key is.
    const file = path.join(repo, 'backstage', 'catalog-info.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('kind: System\nmetadata:\n', 'kind: System\nmetadata:\n  title: Shop\n'));
    expect(fs.readFileSync(file, 'utf8')).toMatch(/title: Shop/);
    const owned = await runCli(['check', '--root', repo], repo);
    expect(owned.code, owned.stderr).toBe(0);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('type: topic', 'type: hand-edited'));
    const stale = await runCli(['check', '--root', repo], repo);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/backstage \(backstage export\) is out of date with the code/);
    expect(stale.stderr).toMatch(/catalog-info\.yaml: out of date/);
    expect(stale.stdout).toMatch(/- {2}type: hand-edited\n\+ {2}type: topic/);
  });

  it('writes byte-identical files on every run', async () => {
    const root = path.join(FIXTURES, 'event-driven-services');
    const model = await analyseFixture('event-driven-services');
    const reversed: Model = {
      ...model,
      components: [...model.components].reverse(),
      queues: [...model.queues].reverse(),
      dataStores: [...model.dataStores].reverse(),
      endpoints: [...model.endpoints].reverse(),
    };
    expect(render(reversed, root)).toEqual(render(model, root));
  });
});
