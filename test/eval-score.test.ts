/**
 * The real-repository evaluation's scorer, truth format and runner (eval/), on a fixture:
 * eval/fixture-truth/aws-ecs-platform.yaml was written by reading fixtures/aws-ecs-platform.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runEval, totalsOf, type RepoResult } from '../eval/run.js';
import {
  looseMatch,
  normaliseEndpoint,
  normaliseMessaging,
  normalisePlatform,
  normaliseStore,
  normaliseUrlPath,
  score,
  scoreHeadline,
  securityCategory,
  setAsideEvidence,
  splitList,
  unreadStated,
  cataloguedIn,
  stylesOf,
} from '../eval/score.js';
import { loadTruth, parseTruth, TruthError } from '../eval/truth-schema.js';
import type { Model } from '../src/model/schema.js';
import { emptyModel as baseModel } from '../src/model/empty.js';
import { analyseFixture, REPO_ROOT, removeTemps, trackTemp } from './helpers.js';

const FIXTURE_TRUTH = path.join(REPO_ROOT, 'eval', 'fixture-truth', 'aws-ecs-platform.yaml');

afterEach(removeTemps);

const emptyModel = (over: Partial<Model> = {}): Model => baseModel({ system: { name: 'x', evidence: [] }, ...over });

const ev = [{ file: 'x.ts', line: 1 }];
const TRUTH_HEAD = 'repository: acme/shop\ncommit: 0123456789abcdef0123456789abcdef01234567\n';

describe('eval: scoring a fixture analysed by the real pipeline', () => {
  it('gives the exact true positives, false positives and misses of each area', async () => {
    const truth = loadTruth(FIXTURE_TRUTH);
    const model = await analyseFixture('aws-ecs-platform');
    const s = score(model, truth);
    const counts = Object.fromEntries(Object.entries(s.areas).map(([a, x]) => [a, { tp: x.tp, fp: x.fp, fn: x.fn }]));
    expect(counts).toEqual({
      components: { tp: 3, fp: 0, fn: 0 },
      endpoints: { tp: 2, fp: 0, fn: 0 }, // GET /notifier/status, a Serverless httpApi event, is read too
      entities: { tp: 0, fp: 0, fn: 0 },
      stores: { tp: 3, fp: 0, fn: 0 }, // postgres, Amazon ElastiCache and S3 normalised
      queues: { tp: 4, fp: 0, fn: 0 }, // ORDER_EVENTS_QUEUE_URL joins the order-events queue the serverless config names
      infrastructure: { tp: 5, fp: null, fn: 1 }, // a sample (complete: false): no precision; aws_instance.bastion missed
      ci: { tp: 2, fp: 0, fn: 0 },
      observability: { tp: 5, fp: 1, fn: 1 }, // CloudWatch Container Insights missed; GET /notifier/status counted as a health endpoint
      // Infrastructure findings are not mechanisms: not extras. The notifier's `${ssm:…}` deploy-time secret is one,
      // which the fixture truth does not list: one extra.
      security: { tp: 0, fp: 1, fn: 2 },
    });
    expect(s.areas.endpoints!.misses).toEqual([]);
    expect(s.areas.queues!.extras).toEqual([]);
    expect(s.areas.infrastructure!.misses).toEqual(['aws_instance bastion']);
    expect(s.areas.infrastructure!.precision).toBeNull();
    expect(s.areas.security!.precision).toBe(0);
    expect(s.areas.security!.recall).toBe(0);
    expect(s.areas.queues!.precision).toBe(1);
    expect(s.areas.observability!.misses).toEqual(['metrics: CloudWatch Container Insights']);
    expect(s.areas.observability!.extras).toEqual(['health: GET /notifier/status']);
    expect(s.areas.endpoints!.recall).toBe(1);

    // Kinds, queue ends and headlines follow the model as it is today: checked against its own facts.
    const truthKind = Object.fromEntries(truth.components!.items.map((c) => [c.path, c.kind]));
    expect(s.kinds!.of).toBe(3);
    expect(s.kinds!.right).toBe(model.components.filter((c) => truthKind[c.path] === c.kind).length);
    expect(s.queueEnds!.of).toBe(4);
    expect(Object.keys(s.headlines).sort()).toEqual(['messaging', 'platform', 'primaryDatabase', 'style']);
    expect(s.headlines.primaryDatabase!.outcome).toBe(
      model.decisions.some((d) => d.topic === 'primary-database' && d.decision === 'PostgreSQL') ? 'right' : expect.any(String),
    );
  });

  it('scores an empty model as finding nothing and adding nothing', () => {
    const truth = loadTruth(FIXTURE_TRUTH);
    const s = score(emptyModel(), truth);
    expect(s.areas.components).toMatchObject({ tp: 0, fp: 0, fn: 3, recall: 0, precision: null });
    expect(s.areas.entities).toMatchObject({ tp: 0, fp: 0, fn: 0, recall: null, precision: null });
    expect(Object.values(s.headlines).map((h) => h.outcome)).toEqual(['silent', 'silent', 'silent', 'silent']);
  });
});

describe('eval: matching rules on a hand-built model', () => {
  const truth = parseTruth(
    TRUTH_HEAD +
      `headlines:
  style: { value: microservices }
  primaryDatabase: { value: undetermined, tie: [MongoDB, MySQL] }
  platform: { value: none }
  messaging: { value: Google Pub/Sub }
components:
  complete: true
  items:
    - { path: ./apps/api/, kind: service, evidence: apps/api/src/main.ts:1 }
    - { path: apps/worker, kind: worker, evidence: apps/worker/src/main.ts:1 }
    - { path: apps/web, kind: frontend, evidence: apps/web/index.html:1 }
endpoints:
  complete: true
  items:
    - { method: get, path: "/orders/{id}/", component: apps/api, evidence: a.ts:1 }
    - { method: GET, path: /health, component: apps/api, evidence: a.ts:2 }
    - { method: GET, path: /health, component: apps/worker, evidence: a.ts:3 }
    - { method: rpc, path: orders.v1.OrderService/Get, component: apps/api, evidence: a.proto:3 }
    - { method: query, path: orders, evidence: a.graphql:1 }
entities:
  complete: true
  items:
    - { name: Order, table: orders, evidence: s.prisma:1 }
    - { name: LineItem, evidence: s.prisma:9 }
queues:
  complete: true
  items:
    - { name: Emails, producers: [apps/api], consumers: [apps/worker], evidence: q.ts:1 }
    - { name: audit, producers: [apps/api], consumers: [], evidence: q.ts:2 }
infrastructure:
  complete: true
  items:
    - { type: aws_s3_bucket, name: assets, evidence: main.tf:1 }
    - { type: Deployment, name: api, evidence: k8s/api.yaml:1 }
    - { type: compose-service, name: redis, evidence: docker-compose.yml:3 }
security:
  complete: false
  items:
    - { category: authentication, mechanism: JWT, evidence: auth.ts:1 }
    - { category: cors, mechanism: "app.enableCors() with defaults", evidence: server.ts:1 }
    - { category: headers, mechanism: Helmet, evidence: server.ts:2 }
`,
    'inline.yaml',
  );
  const comp = (p: string, kind: Model['components'][number]['kind']) => ({
    id: `component:${p}`,
    name: p,
    kind,
    path: p,
    tech: [],
    dependsOn: [],
    evidence: ev,
  });
  const model = emptyModel({
    components: [comp('apps/api', 'service'), comp('apps/worker', 'service'), comp('packages/shared', 'library')],
    endpoints: [
      { id: '1', name: '', method: 'GET', path: '/orders/:orderId', protocol: 'http', component: 'component:apps/api', evidence: ev },
      { id: '2', name: '', method: 'GET', path: '/health', protocol: 'http', component: 'component:apps/worker', evidence: ev },
      { id: '3', name: '', method: 'GET', path: '/health', protocol: 'http', component: 'component:apps/worker', evidence: ev },
      { id: '4', name: '', method: 'rpc', path: '/orders.v1.OrderService/Get', protocol: 'grpc', component: 'component:apps/api', evidence: ev },
      { id: '5', name: '', method: 'query', path: 'orders', protocol: 'graphql', evidence: ev },
      { id: '6', name: '', method: 'POST', path: '/graphql', protocol: 'http', evidence: ev },
      // A GraphQL server's own HTTP endpoint is its operations' transport: not scored.
      { id: '7', name: '', method: 'POST', path: '/api/graphql', protocol: 'http', details: { graphql: true }, evidence: ev },
    ],
    schemas: [
      { id: 'entity:orders', name: 'OrderRecord', table: 'public."orders"', fields: [], relations: [], evidence: ev },
      { id: 'entity:customer', name: 'Customer', fields: [], relations: [], evidence: ev },
    ],
    queues: [
      { id: 'q1', name: 'emails', tech: 'BullMQ', producers: ['component:apps/api'], consumers: ['component:apps/worker'], evidence: ev },
      { id: 'q2', name: 'audit', tech: 'BullMQ', producers: [], consumers: ['component:apps/worker'], evidence: ev },
    ],
    infrastructure: [
      { id: 'i1', name: 'aws_s3_bucket.assets', type: 'aws_s3_bucket', role: 'data', evidence: ev },
      { id: 'i2', name: 'Deployment/api', type: 'Deployment', role: 'compute', evidence: ev },
      { id: 'i3', name: 'Service/api', type: 'Service', role: 'network', evidence: ev },
      { id: 'i4', name: 'Terraform root infra', type: 'terraform-root', role: 'other', evidence: ev },
      { id: 'i5', name: 'Helm chart api', type: 'Helm chart', role: 'compute', evidence: ev },
      { id: 'i6', name: 'compose service redis', type: 'compose service', role: 'compute', evidence: ev },
    ],
    security: [
      { id: 'security:jwt:jsonwebtoken', name: 'JSON Web Tokens (jsonwebtoken)', category: 'authentication', tech: 'jsonwebtoken', evidence: ev },
      { id: 'security:cors:src/server.ts', name: 'CORS (cors)', category: 'transport', tech: 'cors', evidence: ev },
      { id: 'security:csrf:csurf', name: 'CSRF protection (csurf)', category: 'transport', tech: 'csurf', evidence: ev },
    ],
    decisions: [
      { id: 'd1', name: '', topic: 'architecture-style', decision: 'A small set of services, with event-driven messaging', evidence: ev },
      { id: 'd2', name: '', topic: 'primary-database', decision: 'MySQL and MongoDB', evidence: ev },
      { id: 'd3', name: '', topic: 'messaging', decision: 'Google Pub/Sub', evidence: ev },
    ],
  });
  const s = score(model, truth);

  it('components by path, the kind judged among those found', () => {
    expect(s.areas.components).toMatchObject({ tp: 2, fp: 1, fn: 1, misses: ['apps/web (frontend)'], extras: ['packages/shared (library)'] });
    expect(s.areas.components!.precision).toBeCloseTo(2 / 3);
    expect(s.kinds).toEqual({ right: 1, of: 2, wrong: ['apps/worker: service, truth worker'] });
  });

  it('endpoints one to one by method and normalised path, each component judged', () => {
    // /health twice in the truth (api, worker) takes both model /health; POST /graphql is an extra.
    expect(s.areas.endpoints).toMatchObject({ tp: 5, fp: 1, fn: 0, extras: ['POST /graphql'] });
    expect(s.endpointComponents).toEqual({ right: 3, of: 4, wrong: ['GET /health: apps/worker, truth apps/api'] });
  });

  it('entities by name or table, case-insensitive', () => {
    expect(s.areas.entities).toMatchObject({ tp: 1, fp: 1, fn: 1, misses: ['LineItem'], extras: ['Customer'] });
  });

  it('queues by name, and both ends separately', () => {
    expect(s.areas.queues).toMatchObject({ tp: 2, fp: 0, fn: 0 });
    expect(s.queueEnds).toEqual({ right: 1, of: 2, wrong: ['audit: – → apps/worker, truth apps/api → –'] });
  });

  it('infrastructure by type and bare name (hyphens and spaces alike); Terraform roots and Helm charts are never extras', () => {
    expect(s.areas.infrastructure).toMatchObject({ tp: 3, fp: 1, fn: 0, extras: ['Service api'] });
  });

  it('security by category and mechanism, loosely; a sample has no precision; CSRF is no truth category', () => {
    expect(s.areas.security).toMatchObject({ tp: 2, fp: null, fn: 1, misses: ['headers: Helmet'], precision: null });
  });

  it('headlines: a small set of services is microservices, a tie named exactly is right', () => {
    expect(s.headlines).toEqual({
      style: { outcome: 'right', truth: 'microservices', archdoc: 'A small set of services, with event-driven messaging' },
      primaryDatabase: { outcome: 'right', truth: 'undetermined', archdoc: 'MySQL and MongoDB' },
      platform: { outcome: 'right', truth: 'none', archdoc: null },
      messaging: { outcome: 'right', truth: 'Google Pub/Sub', archdoc: 'Google Pub/Sub' },
    });
  });

  it('totals micro-average over repositories, precision from complete lists only', () => {
    const r = (score: ReturnType<typeof import('../eval/score.js').score>): RepoResult => ({
      name: 'x',
      repository: 'a/b',
      commit: 'c',
      status: 'scored',
      warnings: [],
      score,
    });
    const t = totalsOf([r(s), r(s)]);
    expect(t.areas.components).toMatchObject({ repositories: 2, truth: 6, tp: 4, fn: 2, fp: 2 });
    expect(t.areas.components!.precision).toBeCloseTo(4 / 6);
    expect(t.areas.security).toMatchObject({ tp: 4, tpComplete: 0, fp: 0, precision: null });
    expect(t.headlineAccuracy).toBe(1);
    expect(t.kinds).toEqual({ right: 2, of: 4 });
  });
});

describe('eval: infrastructure written as constructs', () => {
  it("a truth item named by the construct class as written (cdktf's DynamodbTable) matches the Terraform type it synthesises to", () => {
    const truth = parseTruth(
      TRUTH_HEAD +
        `infrastructure:
  complete: true
  items:
    - { type: DynamodbTable, name: table, evidence: posts/table.ts:9 }
    - { type: aws_s3_bucket, name: site, evidence: frontend/site.ts:4 }
`,
      'constructs.yaml',
    );
    const ev = [{ file: 'x', line: 1 }];
    const s = score(
      emptyModel({
        infrastructure: [
          { id: 'i1', name: 'table', type: 'aws_dynamodb_table', role: 'data', details: { construct: 'DynamodbTable' }, evidence: ev },
          { id: 'i2', name: 'site', type: 'aws_s3_bucket', role: 'data', details: { construct: 'S3Bucket' }, evidence: ev },
          { id: 'i3', name: 'role', type: 'aws_iam_role', role: 'identity', details: { construct: 'IamRole' }, evidence: ev },
        ],
      }),
      truth,
    );
    expect(s.areas.infrastructure).toMatchObject({ tp: 2, fp: 1, fn: 0, extras: ['aws_iam_role role'] });
  });

  it('a truth item named by the class without its module (SST v2 Table, Config.Parameter) matches the namespaced type', () => {
    const truth = parseTruth(
      TRUTH_HEAD +
        `infrastructure:
  complete: true
  items:
    - { type: Table, name: table, evidence: stacks/Dynamo.ts:4 }
    - { type: Config.Parameter, name: BUS_NAME, evidence: stacks/Bus.ts:13 }
    - { type: Queue, name: jobs, evidence: stacks/Bus.ts:20 }
`,
      'sst.yaml',
    );
    const ev = [{ file: 'x', line: 1 }];
    const s = score(
      emptyModel({
        infrastructure: [
          { id: 'i1', name: 'table', type: 'sst.constructs.Table', role: 'data', evidence: ev },
          { id: 'i2', name: 'BUS_NAME', type: 'sst.constructs.Config.Parameter', role: 'other', evidence: ev },
          // A type that only ends in the same letters is another type.
          { id: 'i3', name: 'jobs', type: 'sst.constructs.JobQueue', role: 'messaging', evidence: ev },
        ],
      }),
      truth,
    );
    expect(s.areas.infrastructure).toMatchObject({ tp: 2, fp: 1, fn: 1 });
  });
});

describe('eval: stores', () => {
  it('matches a truth store on the tech the model keys it by or on the name the document gives it', () => {
    const truth = parseTruth(
      TRUTH_HEAD +
        `stores:
  complete: true
  items:
    - { tech: SQLite (Cloudflare D1), evidence: wrangler.toml:9 }
    - { tech: Cloudflare Workers Analytics Engine, evidence: wrangler.toml:14 }
    - { tech: PostgreSQL, evidence: compose.yaml:3 }
`,
      'stores.yaml',
    );
    const store = (tech: string, name: string) => ({ id: `datastore:${tech}`, name, tech, kind: 'relational' as const, usedBy: [], evidence: ev });
    const s = score(
      emptyModel({
        dataStores: [
          store('cloudflare-d1', 'SQLite (Cloudflare D1)'),
          store('cloudflare-analytics-engine', 'Cloudflare Workers Analytics Engine'),
          store('mysql', 'MySQL'),
        ],
      }),
      truth,
    );
    expect(s.areas.stores).toMatchObject({ tp: 2, fp: 1, fn: 1, misses: ['PostgreSQL'], extras: ['MySQL'] });
  });
});

describe('eval: infrastructure workloads', () => {
  it("matches the truth's Kubernetes workloads and compose services against the model's workloads; functions are no infrastructure extras", () => {
    const truth = parseTruth(
      TRUTH_HEAD +
        `infrastructure:
  complete: true
  items:
    - { type: Deployment, name: orders-deployment, evidence: orders/chart/templates/deployment.yaml:2 }
    - { type: compose-service, name: orders, evidence: docker-compose.yml:3 }
    - { type: Service, name: orders-service, evidence: orders/chart/templates/service.yaml:2 }
`,
      'workloads.yaml',
    );
    const ev = [{ file: 'x', line: 1 }];
    const s = score(
      emptyModel({
        infrastructure: [{ id: 'i1', name: 'Service/orders-service', type: 'Service', role: 'network', evidence: ev }],
        deployment: {
          environments: [],
          pipelines: [],
          containers: [],
          workloads: [
            { id: 'w1', name: 'orders-deployment', kind: 'Deployment', evidence: ev },
            { id: 'w2', name: 'orders', kind: 'compose service', evidence: ev },
            { id: 'w3', name: 'orders-handler', kind: 'Lambda function', evidence: ev },
          ],
        },
      }),
      truth,
    );
    expect(s.areas.infrastructure).toMatchObject({ tp: 3, fp: 0, fn: 0, extras: [] });
  });
});

describe('eval: evidence in set-aside files', () => {
  it('counts facts with any evidence in a file the truth sets aside, by its globs', () => {
    const ev = (file: string) => [{ file, line: 1 }];
    const model = emptyModel({
      endpoints: [
        { id: 'e1', name: '', method: 'GET', path: '/a', protocol: 'http', evidence: ev('apps/api/src/a.ts') },
        { id: 'e2', name: '', method: 'GET', path: '/b', protocol: 'http', evidence: [...ev('apps/api/src/b.ts'), ...ev('examples/demo/b.ts')] },
      ],
      schemas: [{ id: 's1', name: 'User', fields: [], relations: [], evidence: ev('cli/template/prisma/schema.prisma') }],
      deployment: {
        environments: [],
        pipelines: [],
        containers: [],
        workloads: [{ id: 'w1', name: 'x', kind: 'compose service', evidence: ev('bench/docker-compose.yml') }],
      },
    });
    const r = setAsideEvidence(model, ['examples/', 'cli/template/', 'bench/*.yml', '!bench/keep.yml']);
    expect(r).toMatchObject({ facts: 4, inSetAside: 3 });
    expect(r.examples).toEqual(['e2 (examples/demo/b.ts)', 's1 (cli/template/prisma/schema.prisma)', 'w1 (bench/docker-compose.yml)']);
    expect(setAsideEvidence(model, ['**/*.spec.ts']).inSetAside).toBe(0);
  });
});

describe('eval: lists', () => {
  it('a bracketed explanation is no item of a headline list', () => {
    expect(splitList("RabbitMQ (broker deployed, its users' code not read) and Bull")).toEqual(['RabbitMQ', 'Bull']);
    expect(splitList('Temporal (workflows not read), BullMQ; Kafka')).toEqual(['Temporal', 'BullMQ', 'Kafka']);
  });
});

describe('eval: unread technologies stated', () => {
  it('scores the truth items that name a catalogued technology or language against the coverage', () => {
    const base = { evidence: [], components: [], paths: [], facts: 0, yields: 'procedures' };
    const model = emptyModel({
      coverage: {
        technologies: [
          { ...base, id: 'coverage:hapi', name: 'hapi', category: 'api' as const, status: 'unread' as const, yields: 'routes' },
          { ...base, id: 'coverage:Terraform', name: 'Terraform', category: 'infrastructure' as const, status: 'read' as const, yields: 'resources' },
        ],
        languages: [{ id: 'language:Go', name: 'Go', files: 3, folders: [{ path: 'svc', files: 3 }], evidence: [] }],
      },
    });
    const r = unreadStated(model, [
      { what: 'hapi routes of the legacy API in apps/legacy' },
      { what: 'Go services (checkout, shipping)' },
      { what: 'Cloudflare Workers script: 3 routes' },
      { what: 'Terraform modules from a private registry' },
      { what: 'shell smoke tests' },
    ]);
    // Terraform is read by archdoc: an item about it is no unread statement to make.
    expect(r).toEqual({ truth: 3, stated: 2, missed: ['Cloudflare Workers: Cloudflare Workers script: 3 routes'] });
    // A language named among a set-aside role's files (a Python load test) is stated as set aside, not analysed.
    const loadTest = { what: 'Python load test (locust) run by CI' };
    expect(unreadStated(model, [loadTest]).stated).toBe(0);
    model.files = {
      roles: [{ role: 'benchmark', count: 1, folders: ['loadtests'], folderCount: 1, languages: ['Python'] }],
      droppedEvidence: 0,
      droppedFacts: 0,
    };
    expect(unreadStated(model, [loadTest]).stated).toBe(1);
    expect(cataloguedIn('C# .NET worker and Go')).toEqual(expect.arrayContaining(['C#', 'Go']));
    expect(cataloguedIn('Google is not Go')).toEqual(['Go']);
    expect(cataloguedIn('queue names go through a private wrapper')).toEqual([]);
  });
});

describe('eval: normalisation', () => {
  it('endpoint paths: every parameter spelling, trailing slash, method case', () => {
    for (const p of ['/orders/{id}', '/orders/:id', '/orders/[id]', '/orders/<id>', '/orders/<int:id>/', 'orders/:orderId?']) {
      expect(normaliseEndpoint('get', p)).toBe('get /orders/:param');
    }
    expect(normaliseUrlPath('/docs/[...slug]')).toBe('/docs/:param');
    // Catch-alls as each router spells them: path-to-regexp modifiers, wildcard segments.
    for (const p of ['/api/:slug*', '/api/:path+', '/api/*', '/api/**', '/api/*splat', '/api/[[...slug]]']) expect(normaliseUrlPath(p)).toBe('/api/:param');
    expect(normaliseUrlPath('/owners/*/pets/:petId')).toBe('/owners/:param/pets/:param');
    expect(normaliseUrlPath('/')).toBe('/');
    expect(normaliseUrlPath('/a//b/?x=1')).toBe('/a/b');
    expect(normaliseEndpoint('rpc', '/acme.catalog.v1.CatalogService/GetProduct')).toBe(normaliseEndpoint('RPC', 'CatalogService/GetProduct'));
    expect(normaliseEndpoint('Mutation', 'createOrder')).toBe('mutation createOrder');
    expect(normaliseEndpoint('ANY', '/add')).toBe(normaliseEndpoint('ALL', '/add'));
  });

  it('store, platform and messaging names', () => {
    for (const s of ['postgres', 'PostgreSQL', 'pg', 'aurora-postgresql', 'Amazon Aurora PostgreSQL']) expect(normaliseStore(s)).toBe('PostgreSQL');
    expect(normaliseStore('mysql2')).toBe('MySQL');
    expect(normaliseStore('Amazon DynamoDB')).toBe('DynamoDB');
    expect(normaliseStore('Amazon ElastiCache')).toBe('Redis');
    expect(normalisePlatform('AWS Lambda (serverless)')).toBe('lambda');
    expect(normalisePlatform('AWS ECS')).toBe(normalisePlatform('ECS'));
    expect(normalisePlatform('Docker Compose')).not.toBe(normalisePlatform('Kubernetes'));
    expect(normaliseMessaging('Amazon SQS')).toBe('sqs');
    expect(normaliseMessaging('Apache Kafka')).toBe('kafka');
  });

  it('styles, loose tech matching and security categories', () => {
    expect(stylesOf('Monolith, with event-driven messaging')).toEqual(['monolith', 'event-driven']);
    expect(stylesOf('Modular monolith')).toEqual(['modular-monolith']);
    expect(stylesOf('Undetermined: 2 services and 2 front ends')).toEqual(['undetermined']);
    expect(looseMatch('OpenTelemetry', '@opentelemetry/sdk-node')).toBe(true);
    expect(looseMatch('pino', 'winston')).toBe(false);
    expect(looseMatch('', 'x')).toBe(false);
    expect(securityCategory({ id: 'security:rate-limit:express-rate-limit', category: 'transport' })).toBe('rate-limit');
    expect(securityCategory({ id: 'security:helmet', category: 'transport' })).toBe('headers');
    expect(securityCategory({ id: 'security:auth-route:POST /login', category: 'authentication' })).toBeNull();
    expect(securityCategory({ id: 'security:public-bucket:x', category: 'infrastructure' })).toBeNull();
  });

  it('headline outcomes: right, wrong, said nothing, said undetermined', () => {
    expect(scoreHeadline('primaryDatabase', { value: 'PostgreSQL' }, 'PostgreSQL').outcome).toBe('right');
    expect(scoreHeadline('primaryDatabase', { value: 'PostgreSQL' }, 'Redis').outcome).toBe('wrong');
    expect(scoreHeadline('primaryDatabase', { value: 'PostgreSQL' }, null).outcome).toBe('silent');
    expect(scoreHeadline('primaryDatabase', { value: 'PostgreSQL' }, 'undetermined (2 stores tie)').outcome).toBe('undetermined');
    expect(scoreHeadline('primaryDatabase', { value: 'undetermined' }, null).outcome).toBe('right');
    expect(scoreHeadline('primaryDatabase', { value: 'undetermined' }, 'Redis').outcome).toBe('wrong');
    expect(scoreHeadline('messaging', { value: 'none' }, 'EventEmitter').outcome).toBe('wrong');
    expect(scoreHeadline('messaging', { value: 'SQS and SNS' }, 'Amazon SNS and Amazon SQS').outcome).toBe('right');
    expect(scoreHeadline('platform', { value: 'ECS' }, 'AWS ECS and AWS Lambda (serverless)').outcome).toBe('wrong');
    expect(scoreHeadline('style', { value: 'monolith' }, 'Microservices').outcome).toBe('wrong');
  });
});

describe('eval: the truth format', () => {
  const bad = (text: string) => () => parseTruth(TRUTH_HEAD + text, 'eval/truth/bad.yaml');

  it('rejects evidence that is not path:line, naming the file and the key', () => {
    expect(bad('components:\n  complete: true\n  items:\n    - { path: api, kind: service, evidence: api/package.json }\n')).toThrow(
      /eval\/truth\/bad\.yaml: invalid truth file\n {2}components\.items\[0\]\.evidence: evidence must look like path:line/,
    );
  });

  it('rejects unknown top-level keys, unknown kinds and categories, a missing commit, bad YAML', () => {
    expect(bad('endpoint:\n  complete: true\n  items: []\n')).toThrow(/\(top level\): unknown key "endpoint"/);
    expect(bad('components:\n  complete: true\n  items:\n    - { path: api, kind: daemon, evidence: a.ts:1 }\n')).toThrow(/components\.items\[0\]\.kind/);
    expect(bad('observability:\n  complete: true\n  items:\n    - { category: profiling, tech: x, evidence: a.ts:1 }\n')).toThrow(
      /observability\.items\[0\]\.category/,
    );
    expect(bad('stores:\n  items: []\n')).toThrow(/stores\.complete/);
    expect(() => parseTruth('repository: a/b\n', 'x.yaml')).toThrow(/x\.yaml: invalid truth file\n {2}commit:/);
    expect(() => parseTruth('repository: [a\n', 'x.yaml')).toThrow(TruthError);
    expect(() => parseTruth('repository: [a\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML/);
  });

  it('accepts extra keys on facts and areas, and category spellings', () => {
    const t = parseTruth(
      TRUTH_HEAD + 'observability:\n  complete: false\n  how: "sampled"\n  items:\n    - { category: alerting, tech: x, evidence: "a b.ts:3-5", note: y }\n',
      'ok.yaml',
    );
    expect(t.observability!.items[0]!.category).toBe('alerts');
  });

  it('the committed corpus files are checked by the runner, the fixture truth here', () => {
    expect(() => loadTruth(FIXTURE_TRUTH)).not.toThrow();
  });
});

describe('eval: the runner', () => {
  it('skips a repository that is not checked out, says why, writes nothing, exits 0', async () => {
    const evalDir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-eval-')));
    const truthDir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-eval-truth-')));
    fs.copyFileSync(FIXTURE_TRUTH, path.join(truthDir, 'aws-ecs-platform.yaml'));
    let out = '';
    let err = '';
    const { code, results } = await runEval({ truthDir, evalDir, resultsFile: null, out: (s) => (out += s), err: (s) => (err += s), archdoc: ['false'] });
    expect(code).toBe(0);
    expect(results.repositories).toEqual([
      expect.objectContaining({ name: 'aws-ecs-platform', status: 'skipped', reason: expect.stringContaining('no checkout at') }),
    ]);
    expect(err).toMatch(/aws-ecs-platform: skipped \(no checkout at/);
    expect(out).toMatch(/### Skipped\n\n- aws-ecs-platform \(archdoc-fixtures\/aws-ecs-platform\): no checkout at/);
    expect(results.totals.headlinesScored).toBe(0);
  });

  it('exits 1 on a malformed truth file, naming it', async () => {
    const truthDir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-eval-truth-')));
    fs.writeFileSync(path.join(truthDir, 'broken.yaml'), 'repository: a/b\ncommit: zz\n');
    let err = '';
    const { code } = await runEval({ truthDir, evalDir: truthDir, resultsFile: null, out: () => {}, err: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err).toMatch(/broken\.yaml: invalid truth file\n {2}commit: commit must be a hexadecimal commit id/);
  });
});
