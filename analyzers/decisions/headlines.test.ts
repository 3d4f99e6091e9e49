import { afterEach, describe, expect, it } from 'vitest';
import type { Component, Model } from '../../src/model/schema.js';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { apiStyleHeadline, authenticationHeadline, messagingHeadline, platformHeadline, primaryDatabaseHeadline, styleHeadline } from './headlines.js';
import { detectModules } from './patterns.js';
import { decisionWords } from '../../src/render/view-decisions.js';
import { headlineModel } from './headlines-test-model.js';

afterEach(removeTemps);

const ev = (file: string, line = 1) => [{ file, line }];
const comp = (path: string, kind: Component['kind']): Component => ({
  id: `component:${path}`,
  name: path,
  kind,
  path,
  tech: [],
  dependsOn: [],
  evidence: ev(`${path}/package.json`),
});
const workload = (name: string, kind: string, component?: string, details?: Record<string, string>) => ({
  id: `workload:${name}`,
  name,
  kind,
  evidence: ev(`deploy/${name}.yaml`),
  ...(component ? { component } : {}),
  ...(details ? { details } : {}),
});
const model = headlineModel;

describe('architecture style: every deployable unit', () => {
  it('counts workloads of the repository, not only workspaces: a library run by three Kubernetes Deployments makes microservices', () => {
    const m = model({
      components: [comp('api', 'service'), comp('expiry', 'library'), comp('billing', 'library')],
      workloads: [workload('expiry', 'Deployment', 'component:expiry'), workload('billing', 'Deployment', 'component:billing')],
    });
    const h = styleHeadline(m)!;
    expect(h.decision).toBe('Microservices');
    expect(h.details.servers).toBe(3);
  });

  it('compose builds of a seeded database image or of set-aside code (a load generator) are no units', () => {
    const built = (name: string, unit?: string) => ({ ...workload(name, 'compose service', undefined, { build: name, ...(unit ? { unit } : {}) }) });
    const m = model({ components: [comp('api', 'service')], workloads: [built('worker'), built('mongodb', 'database'), built('load', 'set-aside')] });
    const h = styleHeadline(m)!;
    expect(h.details.servers).toBe(2);
    expect(h.decision).toBe('A small set of services');
  });

  it('a Next.js front end that serves its own API is one deployable: a monolith', () => {
    const m = model({
      components: [comp('apps/web', 'frontend'), comp('packages/api', 'library'), comp('packages/db', 'library'), comp('packages/ui', 'library')],
    });
    m.endpoints = [
      {
        id: 'endpoint:GET /api/trpc',
        name: 'GET /api/trpc',
        protocol: 'http',
        method: 'GET',
        path: '/api/trpc',
        component: 'component:apps/web',
        evidence: ev('apps/web/src/app/api/trpc/route.ts'),
      } as Model['endpoints'][number],
    ];
    expect(styleHeadline(m)!.decision).toBe('Monolith');
  });

  it('a front end served by nginx is not a service; test packages are not deployables', () => {
    const m = model({
      components: [comp('apps/server', 'service'), comp('apps/client', 'service'), comp('apps/client-e2e', 'service')],
      containers: [
        {
          id: 'c',
          name: 'client',
          component: 'component:apps/client',
          ports: [],
          details: { source: 'dockerfile', baseImage: 'nginxinc/nginx-unprivileged' },
          evidence: ev('apps/client/Dockerfile'),
        },
      ],
    });
    expect(styleHeadline(m)!.decision).toBe('Monolith');
  });

  it('functions only make serverless; Lambda workloads count though their package is a library', () => {
    const m = model({
      components: [comp('.', 'library')],
      workloads: [workload('router', 'Lambda function', 'component:.'), workload('orders', 'Lambda function', 'component:.')],
    });
    expect(styleHeadline(m)!.decision).toBe('Serverless');
    expect(styleHeadline(m)!.details.functions).toBe(2);
  });

  it('a migration job is not a deployable unit', () => {
    const m = model({
      components: [comp('.', 'service'), comp('prisma', 'worker')],
      workloads: [workload('prisma-migrate', 'compose service', 'component:prisma', { build: 'prisma' })],
    });
    expect(styleHeadline(m)!.decision).toBe('Monolith');
  });

  it('one deployable with module folders that have their own layers is a modular monolith', () => {
    const m = model({ components: [comp('.', 'service')] });
    m.decisions = [
      {
        id: 'decision:internal-pattern:.',
        name: 'p',
        topic: 'internal-pattern',
        component: 'component:.',
        decision: 'Layered',
        details: { modules: ['src/modules/forum', 'src/modules/users'] },
        evidence: ev('src/a.ts'),
      },
    ];
    expect(styleHeadline(m)!.decision).toBe('Modular monolith');
    expect(
      detectModules([
        'src/modules/users/domain/user.ts',
        'src/modules/users/infra/repo.ts',
        'src/modules/forum/domain/post.ts',
        'src/modules/forum/useCases/create.ts',
        'src/modules/auth/dto/x.ts',
      ]),
    ).toEqual(['src/modules/forum', 'src/modules/users']);
    // Feature folders of a layered app (controllers and services, ORM entities) have no model of their own.
    expect(
      detectModules([
        'src/modules/posts/controllers/posts.ts',
        'src/modules/posts/services/posts.ts',
        'src/modules/tags/controllers/tags.ts',
        'src/modules/tags/services/tags.ts',
        'src/modules/tags/entities/tag.ts',
      ]),
    ).toEqual([]);
  });

  it('says "Undetermined" with the reason when there is code but no deployable unit', () => {
    const h = styleHeadline(model({ components: [comp('.', 'library')] }))!;
    expect(h.decision).toBe('Undetermined');
    expect(h.basis).toMatchObject({
      rule: 'architecture-style',
      outcome: 'undetermined',
      servers: [],
      functions: 0,
      components: 1,
      componentKinds: ['library'],
    });
    expect(decisionWords(h.basis).context).toContain('No deployable unit');
  });
});

describe('primary database: the store with the most entities', () => {
  const store = (tech: string, name: string, kind: Model['dataStores'][number]['kind']) => ({
    id: `datastore:${tech}`,
    name,
    tech,
    kind,
    usedBy: [],
    evidence: ev(`docker-compose.yml`),
  });
  const entity = (name: string, s: string) =>
    ({ id: `entity:${name}`, name, store: `datastore:${s}`, fields: [], relations: [], evidence: ev('prisma/schema.prisma') }) as Model['schemas'][number];

  it('Redis beside relational models never wins, even when used by more components', () => {
    const m = model({ dataStores: [{ ...store('redis', 'Redis', 'key-value'), usedBy: ['a', 'b', 'c'] }, store('postgresql', 'PostgreSQL', 'relational')] });
    m.schemas = [entity('Order', 'postgresql'), entity('User', 'postgresql')];
    const h = primaryDatabaseHeadline(m)!;
    expect(h.decision).toBe('PostgreSQL');
    expect(h.basis).toMatchObject({
      outcome: 'most-entities',
      stores: [{ name: 'PostgreSQL', count: 2 }],
      notCounted: [{ name: 'Redis', kind: 'key-value', cache: true }],
      attributed: 2,
    });
  });

  it('counts entities per store; a tie names both', () => {
    const m = model({ dataStores: [store('mongodb', 'MongoDB', 'document'), store('mysql', 'MySQL', 'relational')] });
    m.schemas = [entity('A', 'mongodb'), entity('B', 'mysql'), entity('C', 'mysql')];
    expect(primaryDatabaseHeadline(m)!.decision).toBe('MySQL');
    m.schemas.push(entity('D', 'mongodb'));
    expect(primaryDatabaseHeadline(m)!.decision).toBe('MongoDB and MySQL');
  });

  it('with no entity attributed: the only database, or "Undetermined" among several; an undeclared engine is not a database', () => {
    const one = model({ dataStores: [store('mikro-orm', 'Database (mikro-orm, technology not declared)', 'other'), store('mysql', 'MySQL', 'relational')] });
    expect(primaryDatabaseHeadline(one)!.decision).toBe('MySQL');
    const two = model({ dataStores: [store('mongodb', 'MongoDB', 'document'), store('mysql', 'MySQL', 'relational')] });
    expect(primaryDatabaseHeadline(two)!.decision).toBe('Undetermined');
    expect(primaryDatabaseHeadline(model({}))).toBeUndefined();
  });
});

describe('messaging: channels the code uses', () => {
  const q = (name: string, tech: string, file: string, producers: string[] = [], consumers: string[] = []) => ({
    id: `queue:${name}`,
    name,
    tech,
    producers,
    consumers,
    evidence: ev(file),
  });

  it('infrastructure queues nobody uses make no messaging technology', () => {
    const m = model({ queues: [q('lake', 'Amazon Kinesis', 'infra/kinesis.tf'), q('orders', 'Amazon SQS', 'infra/sqs.tf')] });
    expect(messagingHeadline(m)!.decision).toBe('Undetermined');
  });

  it('an SQS queue consumed by the repository’s Lambda through an event-source mapping is used', () => {
    const m = model({ queues: [q('orders-queue', 'Amazon SQS', 'infra/sqs.tf'), q('lake', 'Amazon Kinesis', 'infra/kinesis.tf')] });
    m.infrastructure = [
      {
        id: 'i1',
        name: 'aws_sqs_queue.orders',
        type: 'aws_sqs_queue',
        role: 'messaging',
        details: { queueName: 'orders-queue' },
        evidence: ev('infra/sqs.tf'),
      },
      {
        id: 'i2',
        name: 'aws_lambda_event_source_mapping.m',
        type: 'aws_lambda_event_source_mapping',
        role: 'messaging',
        details: { references: ['aws_lambda_function.router', 'aws_sqs_queue.orders'] },
        evidence: ev('infra/lambda.tf'),
      },
    ];
    expect(messagingHeadline(m)!.decision).toBe('Amazon SQS');
  });

  it('a queue an infrastructure program wires to a consumer function (an SST Queue consumer) is used, even where the handler file is not found', () => {
    const wired = { ...q('tx-new-queue', 'Amazon SQS', 'stacks/Bus.ts'), details: { provisionedBy: ['tx-new-queue'], consumedBy: ['tx-new-queue consumer'] } };
    const bus = q('tx.new', 'Amazon EventBridge', 'packages/core/bus.ts', ['component:packages/core']);
    expect(messagingHeadline(model({ queues: [wired, bus] }))!.decision).toBe('Amazon EventBridge and Amazon SQS');
    // Without its consumer it is only declared.
    const bare = { ...wired, details: { provisionedBy: ['tx-new-queue'] } };
    expect(messagingHeadline(model({ queues: [bare, bus] }))!.decision).toBe('Amazon EventBridge');
  });

  it("a component's own background jobs are not the system's messaging when its parts talk over another", () => {
    const m = model({
      queues: [
        q('order:created', 'NATS Streaming', 'orders/src/events.ts', ['component:orders'], ['component:payments', 'component:expiration']),
        q('order:expiration', 'Bull', 'expiration/src/queue.ts', ['component:expiration'], ['component:expiration']),
      ],
    });
    const h = messagingHeadline(m)!;
    expect(h.decision).toBe('NATS Streaming');
    expect(h.basis).toMatchObject({ outcome: 'channels', channels: [{ name: 'NATS Streaming', count: 1 }], ownJobs: [{ name: 'Bull', count: 1 }] });
    // With nothing else, background jobs are the messaging there is.
    expect(messagingHeadline(model({ queues: [q('emails', 'BullMQ', 'web/src/q.ts', ['component:web'], ['component:web'])] }))!.decision).toBe('BullMQ');
  });

  it('a broker the deployment runs, used only from code archdoc does not read, is named with that reason', () => {
    const go = { ...comp('dispatch', 'worker'), language: 'Go' };
    const py = { ...comp('payment', 'service'), language: 'Python' };
    const m = model({ components: [go, py], workloads: [workload('rabbitmq', 'compose service', undefined, { image: 'rabbitmq:3.8-management-alpine' })] });
    const h = messagingHeadline(m)!;
    expect(h.decision).toBe("RabbitMQ (broker deployed, its users' code not read)");
    expect(h.basis).toMatchObject({ outcome: 'broker', broker: { name: 'RabbitMQ', languages: ['Go', 'Python'] } });
    // All code read (TypeScript only): a broker image alone says nothing.
    expect(
      messagingHeadline(
        model({ components: [comp('api', 'service')], workloads: [workload('rabbitmq', 'compose service', undefined, { image: 'rabbitmq:3' })] }),
      ),
    ).toBeUndefined();
  });

  it('NestJS TCP transport is RPC, not messaging', () => {
    const m = model({ queues: [q('create_charge', 'NestJS TCP transport', 'apps/a/src/x.ts', ['component:a'], ['component:b'])] });
    expect(messagingHeadline(m)).toBeUndefined();
  });
});

describe('deployment platform: the platform that runs the most deployable units', () => {
  it('Kubernetes running five services wins over one serverless package of six functions', () => {
    const comps = ['a', 'b', 'c', 'd', 'e'].map((p) => comp(p, 'service'));
    const m = model({
      components: [...comps, comp('serverless', 'library')],
      workloads: [
        ...comps.map((c) => workload(c.path, 'Deployment', c.id)),
        ...[1, 2, 3, 4, 5, 6].map((i) => workload(`fn${i}`, 'Lambda function', 'component:serverless')),
      ],
    });
    const h = platformHeadline(m)!;
    expect(h.decision).toBe('Kubernetes');
    expect(h.basis).toMatchObject({
      outcome: 'platforms',
      platforms: [
        { name: 'Kubernetes', count: 5 },
        { name: 'AWS Lambda (serverless)', count: 1 },
      ],
    });
  });

  it('a split between platforms of equal standing is "Undetermined"', () => {
    const m = model({
      components: [comp('apps/server', 'service'), comp('apps/client', 'service')],
      workloads: [
        workload('server', 'Deployment', 'component:apps/server'),
        workload('client', 'Deployment', 'component:apps/client'),
        workload('server', 'Render service', 'component:apps/server', { platform: 'Render' }),
        workload('client', 'Render service', 'component:apps/client', { platform: 'Render' }),
      ],
    });
    expect(platformHeadline(m)!.decision).toBe('Undetermined');
  });

  it('a platform manifest names the platform where a Dockerfile alone would not', () => {
    const m = model({ components: [comp('.', 'frontend')], workloads: [workload('indie', 'Fly.io app', 'component:.', { platform: 'Fly.io' })] });
    expect(platformHeadline(m)!.decision).toBe('Fly.io');
  });
});

describe('API style and authentication', () => {
  it('API style lists protocols by endpoint count, with the counts', () => {
    const e = (protocol: string, i: number) =>
      ({ id: `e${protocol}${i}`, name: 'x', protocol, evidence: ev('src/a.ts', i) }) as unknown as Model['endpoints'][number];
    const m = model({ endpoints: [e('graphql', 1), e('http', 2), e('http', 3)] });
    const h = apiStyleHeadline(m)!;
    expect(h.decision).toBe('REST over HTTP and GraphQL');
    expect(h.basis).toEqual({
      rule: 'api-style',
      protocols: [
        { name: 'REST over HTTP', count: 2 },
        { name: 'GraphQL', count: 1 },
      ],
    });
  });

  it('authentication mechanisms only from production code', () => {
    const s = (tech: string, file: string) => ({ id: `security:${tech}`, name: tech, category: 'authentication' as const, tech, evidence: ev(file) });
    const m = model({
      security: [s('supabase', 'examples/supabase/src/auth.ts'), s('jsonwebtoken', 'src/auth/jwt.ts'), s('passport', 'src/auth/auth.spec.ts')],
    });
    const h = authenticationHeadline(m)!;
    expect(h.decision).toBe('jsonwebtoken');
    expect(h.basis).toMatchObject({ mechanisms: [{ name: 'jsonwebtoken', count: 1 }], facts: 1, setAside: ['supabase', 'passport'] });
  });
});

describe('the headlines end to end', () => {
  it('Redis as cache and queue backend beside six PostgreSQL models: PostgreSQL is primary, with the numbers', async () => {
    const m = await analyseFixture('redis-cache-relational');
    const d = Object.fromEntries(m.decisions.map((x) => [x.topic, x]));
    expect(d['primary-database']!.decision).toBe('PostgreSQL');
    expect(decisionWords(d['primary-database']!.basis).counts).toEqual(['PostgreSQL: 6 entities', 'not counted: Redis (cache or queue backend)']);
    expect(d['messaging']!.decision).toBe('BullMQ');
    expect(d['architecture-style']!.decision).toBe('Monolith');
    expect(d['deployment-platform']!.decision).toBe('Docker Compose');
  });

  it('a Cloudflare Worker with a D1 binding: serverless, Cloudflare Workers, SQLite (Cloudflare D1)', async () => {
    const root = tempRepo('cf-worker', {
      'package.json': JSON.stringify({ name: 'links', scripts: { deploy: 'wrangler deploy' }, devDependencies: { wrangler: '^3.0.0' } }),
      'wrangler.toml': 'name = "links"\nmain = "src/index.ts"\n\nd1_databases = [\n  { binding = "DB", database_name = "links", database_id = "x" },\n]\n',
      'src/index.ts': 'export default { async fetch(req: Request, env: { DB: D1Database }) { return new Response("ok"); } };\n',
    });
    const m = await analyseRepo(root);
    const d = Object.fromEntries(m.decisions.map((x) => [x.topic, x.decision]));
    expect(d['architecture-style']).toBe('Serverless');
    expect(d['deployment-platform']).toBe('Cloudflare Workers');
    expect(d['primary-database']).toBe('SQLite (Cloudflare D1)');
  });
});
