/**
 * `archdoc export backstage` tried as a team would use it (issue #28): the export is registered in
 * Backstage's catalog as a url location, and Backstage's own catalog processors read it, with no
 * database and nothing from the network:
 *
 * - `parseEntityYaml` (@backstage/plugin-catalog-node) parses each file as the catalog does;
 * - a Location entity's targets are resolved against its url by `ScmIntegrations.resolveUrl`, as
 *   the catalog's location processing does, and followed;
 * - `PlaceholderProcessor` with the catalog's own `$text`/`$yaml`/`$json` resolvers resolves each
 *   API's definition, refusing a file outside the repository;
 * - the catalog builder's default entity policies check names, namespaces and fields;
 * - `BuiltinKindsEntityProcessor` validates each entity against its kind and emits its relations.
 *
 * That is the order of the catalog's processing orchestrator: pre-process, policies, kind
 * validation, post-process.
 *
 * The url reader serves `https://github.com/acme/<fixture>/blob/main/<path>` from the temporary copy
 * of the fixture, so the catalog reads exactly the files the export wrote.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  DefaultNamespaceEntityPolicy,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor, PlaceholderProcessor } from '@backstage/plugin-catalog-backend';
import { parseEntityYaml, type CatalogProcessorResult, type PlaceholderResolver } from '@backstage/plugin-catalog-node';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, removeTemps, runCli } from './helpers.js';

afterEach(removeTemps);

// The catalog's own placeholder resolvers. The package exports the processor but not its default
// resolvers, so they are taken from the file the catalog builder imports them from (the version
// is pinned in package.json; a move makes this fail loudly).
const require = createRequire(import.meta.url);
const resolvers = require(path.join(path.dirname(require.resolve('@backstage/plugin-catalog-backend')), 'processors', 'PlaceholderProcessor.cjs.js')) as Record<
  'textPlaceholderResolver' | 'yamlPlaceholderResolver' | 'jsonPlaceholderResolver',
  PlaceholderResolver
>;

interface Loaded {
  /** Every entity the catalog accepted, after its processors. */
  entities: Entity[];
  /** `kind:name type kind:name`, for every relation the processors emitted. */
  relations: string[];
  /** Error messages, from parsing, placeholders, validation or processing. */
  errors: string[];
  /** The url of every file the catalog read (catalog files and definitions). */
  read: string[];
}

/** Registers `<repo>/<catalogFile>` in a catalog made of Backstage's processors and loads it. */
async function loadIntoCatalog(repo: string, catalogFile: string): Promise<Loaded> {
  const base = 'https://github.com/acme/shop/blob/main/';
  const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
  const read: string[] = [];
  const local = (url: string): string => {
    const normal = url.replace('/tree/main/', '/blob/main/');
    if (!normal.startsWith(base)) throw new Error(`not in the repository: ${url}`);
    const file = path.join(repo, ...normal.slice(base.length).split('/'));
    if (!file.startsWith(repo + path.sep)) throw new Error(`outside the repository: ${url}`);
    read.push(normal.slice(base.length));
    return file;
  };
  const reader = { readUrl: async (url: string) => ({ buffer: async () => fs.readFileSync(local(url)) }) };
  const placeholder = new PlaceholderProcessor({
    resolvers: {
      text: resolvers.textPlaceholderResolver,
      yaml: resolvers.yamlPlaceholderResolver,
      json: resolvers.jsonPlaceholderResolver,
    },
    reader: reader as unknown as ConstructorParameters<typeof PlaceholderProcessor>[0]['reader'],
    integrations,
  });
  const builtin = new BuiltinKindsEntityProcessor();
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const out: Loaded = { entities: [], relations: [], errors: [], read };
  const queue = [base + catalogFile];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const target = queue.shift()!;
    if (seen.has(target)) continue;
    seen.add(target);
    const location = { type: 'url', target };
    for (const parsed of parseEntityYaml(fs.readFileSync(local(target)), location)) {
      if (parsed.type === 'error') {
        out.errors.push(parsed.error.message);
        continue;
      }
      if (parsed.type !== 'entity') continue;
      const emitted: CatalogProcessorResult[] = [];
      const emit = (r: CatalogProcessorResult) => emitted.push(r);
      try {
        let entity = await placeholder.preProcessEntity(parsed.entity, parsed.location, emit);
        entity = await builtin.preProcessEntity(entity);
        entity = (await policy.enforce(entity)) ?? entity;
        if (!(await builtin.validateEntityKind(entity))) throw new Error(`no kind validator accepts ${entity.kind}`);
        await builtin.postProcessEntity(entity, parsed.location, emit);
        out.entities.push(entity);
        if (entity.kind === 'Location') {
          for (const t of (entity.spec as { targets?: string[] }).targets ?? []) queue.push(integrations.resolveUrl({ url: t, base: target }));
        }
      } catch (e) {
        out.errors.push(`${parsed.entity.kind} ${parsed.entity.metadata?.name}: ${(e as Error).message}`);
      }
      for (const r of emitted) {
        if (r.type === 'error') out.errors.push(r.error.message);
        if (r.type === 'relation') {
          const { source, type, target: to } = r.relation;
          out.relations.push(`${source.kind.toLowerCase()}:${source.name} ${type} ${to.kind.toLowerCase()}:${to.name}`);
        }
      }
    }
  }
  return out;
}

const refOf = (e: Entity) => `${e.kind.toLowerCase()}:${e.metadata.name}`;

describe("backstage export: loaded by Backstage's catalog processors", () => {
  it('event-driven-services: every file and definition is read, every entity accepted, the relations emitted', async () => {
    const repo = copyFixture('event-driven-services');
    expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
    const loaded = await loadIntoCatalog(repo, 'catalog/catalog-info.yaml');
    expect(loaded.errors).toEqual([]);
    // The root Location, then the five component files it lists, then the API definitions.
    const files = loaded.read.filter((f) => f.endsWith('catalog-info.yaml'));
    expect(new Set(files).size).toBe(6);
    const kinds: Record<string, number> = {};
    for (const e of loaded.entities) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    expect(kinds).toMatchObject({ Location: 1, System: 1, Component: 5 });
    expect(kinds.API).toBeGreaterThan(0);
    expect(kinds.Resource).toBeGreaterThan(0);
    // Each API's definition was resolved by the $text placeholder into the file's text.
    for (const api of loaded.entities.filter((e) => e.kind === 'API')) {
      const definition = (api.spec as { definition: unknown }).definition;
      expect(typeof definition, api.metadata.name).toBe('string');
      expect((definition as string).length, api.metadata.name).toBeGreaterThan(20);
    }
    // Every relation the catalog emitted names an entity of the export: nothing dangles. (The owner
    // is the team's to fill in: `unknown` until they do, so ownership names no entity here.)
    const refs = new Set(loaded.entities.map(refOf));
    for (const r of loaded.relations.filter((x) => !/ (ownedBy|ownerOf) /.test(x))) {
      const [from, , to] = r.split(' ');
      expect(refs.has(from!), r).toBe(true);
      expect(refs.has(to!), r).toBe(true);
    }
    // The relations the code shows: orders provides an API and is part of the system.
    expect(loaded.relations).toContain('component:shop-orders partOf system:shop-events');
    expect(loaded.relations.some((r) => r.startsWith('component:shop-orders providesApi api:'))).toBe(true);
    expect(loaded.relations.some((r) => / dependsOn resource:/.test(r))).toBe(true);
  });

  it('aws-ecs-platform and polyglot-k8s-grpc load with no error', async () => {
    for (const fixture of ['aws-ecs-platform', 'polyglot-k8s-grpc']) {
      const repo = copyFixture(fixture);
      expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
      const loaded = await loadIntoCatalog(repo, 'catalog/catalog-info.yaml');
      expect(loaded.errors, fixture).toEqual([]);
      expect(loaded.entities.filter((e) => e.kind === 'Component').length, fixture).toBeGreaterThan(1);
    }
  });

  it('rejects what Backstage rejects: a bad name, and a definition outside the repository', async () => {
    const repo = copyFixture('event-driven-services');
    expect((await runCli(['export', 'backstage', '--root', repo, '--quiet'], repo)).code).toBe(0);
    const file = path.join(repo, 'catalog', 'shop-orders', 'catalog-info.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const definition = /\$text: (\S+)/.exec(text);
    expect(definition).not.toBeNull();
    fs.writeFileSync(
      file,
      text.replace('  name: shop-orders\n', '  name: "shop orders!"\n').replace(definition![0], '$text: https://github.com/other/repo/blob/main/x.yaml'),
    );
    const loaded = await loadIntoCatalog(repo, 'catalog/catalog-info.yaml');
    expect(loaded.errors.some((e) => /shop orders!/.test(e))).toBe(true);
    expect(loaded.errors.some((e) => /other\/repo/.test(e))).toBe(true);
  });
});
