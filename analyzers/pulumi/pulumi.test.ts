/**
 * The pulumi analyzer's rules on small Pulumi programs and SST v3 apps: resources however the
 * provider packages are imported, in the terraform analyzer's roles; component resources read once
 * per instance; names less the stack's prefix; what is no resource; queues joined to the code of
 * the functions their subscriptions feed and of those that send to them (by environment variable,
 * and by SST's `Resource.X`); API routes served by their handlers' components.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const program = (files: Record<string, string>) =>
  analyseRepo(
    tempRepo('pulumi', {
      'package.json': json({
        name: 'shop',
        version: '1.0.0',
        dependencies: { '@pulumi/pulumi': '^3.125.0', '@pulumi/aws': '^6.45.0', '@pulumi/random': '^4.16.0', '@aws-sdk/client-sqs': '^3.600.0' },
      }),
      'Pulumi.yaml': 'name: shop\nruntime: nodejs\n',
      ...files,
    }),
  );
const sstApp = (files: Record<string, string>) =>
  analyseRepo(
    tempRepo('sst', {
      'package.json': json({ name: 'notes', version: '0.0.0', dependencies: { sst: '^3.3.0', '@aws-sdk/client-sqs': '^3.600.0' } }),
      'sst.config.ts': "export default $config({\n  app() { return { name: 'notes', home: 'aws' }; },\n  async run() { await import('./infra/api'); },\n});\n",
      ...files,
    }),
  );
const kinds = (m: Model) => Object.fromEntries(m.infrastructure.map((i) => [`${i.type} ${i.name}`, `${i.role} ${i.source}`]));

describe('pulumi: resources', () => {
  it('reads resources however a provider package is imported, named less an unknown stack prefix, with the roles Terraform types have', async () => {
    const m = await program({
      'index.ts': [
        "import * as pulumi from '@pulumi/pulumi';",
        "import * as aws from '@pulumi/aws';",
        "import { sqs } from '@pulumi/aws';",
        "import * as random from '@pulumi/random';",
        'const stack = pulumi.getStack();',
        "const orders = new aws.dynamodb.Table(`${stack}-orders`, { hashKey: 'orderId', rangeKey: 'placedAt', billingMode: 'PAY_PER_REQUEST' });",
        "new sqs.Queue('events', { fifoQueue: true });",
        'new aws.ec2.SecurityGroup(`${stack}-web-sg`, { ingress: [] });',
        "new aws.rds.Instance('db', { engine: 'postgres', instanceClass: 'db.t4g.micro', multiAz: true });",
        "new random.RandomPassword('db-password', { length: 32 });",
        "new aws.Provider('us-east-1', { region: 'us-east-1' });",
        'new pulumi.Config();',
        'export const table = orders.name;',
      ].join('\n'),
    });
    expect(kinds(m)).toEqual({
      'aws.dynamodb.Table orders': 'data pulumi',
      'aws.sqs.Queue events': 'messaging pulumi',
      'aws.ec2.SecurityGroup web-sg': 'network pulumi',
      'aws.rds.Instance db': 'data pulumi',
      'random.RandomPassword db-password': 'other pulumi',
    });
    expect(m.infrastructure.find((i) => i.name === 'orders')?.details).toMatchObject({
      hashKey: 'orderId',
      rangeKey: 'placedAt',
      billingMode: 'PAY_PER_REQUEST',
    });
    expect(m.dataStores.map((s) => [s.id, s.details?.service ?? s.details?.tables])).toEqual([
      ['datastore:dynamodb', ['orders']],
      ['datastore:postgresql', 'Amazon RDS'],
    ]);
    expect(m.queues.find((q) => q.name === 'events')).toMatchObject({ tech: 'Amazon SQS', details: { fifo: true } });
    expect(m.recovery.map((r) => [r.category, r.name, r.details?.setting])).toEqual([['multi-az', 'db', 'multiAz']]);
    expect(m.coverage!.technologies.find((t) => t.name === 'Pulumi')).toMatchObject({ status: 'read', facts: 5 });
  });

  it('reads a component resource once per instance, its names from the name it is given', async () => {
    const m = await program({
      'buffer.ts': [
        "import * as pulumi from '@pulumi/pulumi';",
        "import * as aws from '@pulumi/aws';",
        'export class Buffer extends pulumi.ComponentResource {',
        '  readonly queue: aws.sqs.Queue;',
        '  constructor(name: string, args: { timeout: number }, opts?: pulumi.ComponentResourceOptions) {',
        "    super('shop:Buffer', name, {}, opts);",
        '    this.queue = new aws.sqs.Queue(`${name}-queue`, { visibilityTimeoutSeconds: args.timeout }, { parent: this });',
        '  }',
        '}',
      ].join('\n'),
      'index.ts': [
        "import * as aws from '@pulumi/aws';",
        "import { Buffer } from './buffer';",
        "const orders = new Buffer('orders', { timeout: 30 });",
        "const refunds = new Buffer('refunds', { timeout: 90 });",
        "new aws.lambda.Function('refund', { runtime: 'nodejs20.x', handler: 'index.handler', role: 'r', environment: { variables: { QUEUE_URL: refunds.queue.url } } });",
      ].join('\n'),
    });
    expect(m.infrastructure.filter((i) => i.type === 'aws.sqs.Queue').map((i) => [i.name, i.details?.visibilityTimeoutSeconds])).toEqual([
      ['orders-queue', 30],
      ['refunds-queue', 90],
    ]);
    expect(m.queues.find((q) => q.name === 'refunds-queue')?.details?.envVars).toEqual(['QUEUE_URL']);
    expect(m.queues.find((q) => q.name === 'orders-queue')?.details?.envVars).toBeUndefined();
  });
});

describe('pulumi: functions that make resources', () => {
  it("reads a function that makes resources once per call, its arguments bound, and what a call returns as that call's resource", async () => {
    const m = await program({
      'lib/functions.ts': [
        "import * as aws from '@pulumi/aws';",
        'export function lambda(name: string, memory: number) {',
        "  return new aws.lambda.Function(`${name}-fn`, { runtime: 'nodejs20.x', handler: 'index.handler', role: 'r', memorySize: memory });",
        '}',
      ].join('\n'),
      'index.ts': [
        "import * as aws from '@pulumi/aws';",
        "import { lambda } from './lib/functions';",
        "const resize = lambda('resize', 1024);",
        "lambda('thumbnail', 256);",
        "const uploads = new aws.sqs.Queue('uploads');",
        "new aws.lambda.EventSourceMapping('uploads-source', { eventSourceArn: uploads.arn, functionName: resize.name });",
      ].join('\n'),
    });
    expect(m.infrastructure.filter((i) => i.type === 'aws.lambda.Function').map((i) => [i.name, i.details?.memoryMb])).toEqual([
      ['resize-fn', 1024],
      ['thumbnail-fn', 256],
    ]);
    expect(m.queues.find((q) => q.name === 'uploads')?.details?.consumedBy).toEqual(['resize-fn']);
  });
});

describe('pulumi: other providers', () => {
  it('reads Google Cloud and Kubernetes resources: Cloud SQL and Pub/Sub as a store and a channel, Cloud Run and Deployments as workloads', async () => {
    const m = await program({
      'index.ts': [
        "import * as gcp from '@pulumi/gcp';",
        "import * as k8s from '@pulumi/kubernetes';",
        "new gcp.sql.DatabaseInstance('main', { databaseVersion: 'POSTGRES_15', region: 'europe-west1' });",
        "new gcp.pubsub.Topic('signups');",
        "new gcp.cloudrun.Service('web', { location: 'europe-west1', template: { spec: { containers: [{ image: 'gcr.io/p/web' }] } } });",
        "new k8s.apps.v1.Deployment('worker', { spec: { selector: { matchLabels: { app: 'worker' } }, template: { spec: { containers: [] } } } });",
        "new k8s.core.v1.Service('worker', { spec: { ports: [{ port: 80 }] } });",
      ].join('\n'),
    });
    expect(kinds(m)).toEqual({
      'gcp.sql.DatabaseInstance main': 'data pulumi',
      'gcp.pubsub.Topic signups': 'messaging pulumi',
      'gcp.cloudrun.Service web': 'compute pulumi',
      'kubernetes.apps.v1.Deployment worker': 'compute pulumi',
      'kubernetes.core.v1.Service worker': 'network pulumi',
    });
    expect(m.dataStores.find((s) => s.id === 'datastore:postgresql')?.details?.service).toBe('Google Cloud SQL');
    expect(m.queues.map((q) => [q.name, q.tech])).toEqual([['signups', 'Google Pub/Sub']]);
    expect(m.deployment.workloads.map((w) => [w.name, w.kind, w.details?.platform])).toEqual([
      ['web', 'Cloud Run service', 'Google Cloud Run'],
      ['worker', 'Kubernetes deployment', 'Kubernetes'],
    ]);
  });
});

describe('pulumi: relations', () => {
  it('joins a queue to the callback that consumes it and to the code that sends to it by environment variable', async () => {
    const m = await program({
      'infra/index.ts': [
        "import * as pulumi from '@pulumi/pulumi';",
        "import * as aws from '@pulumi/aws';",
        "const jobs = new aws.sqs.Queue('jobs');",
        "jobs.onEvent('run-job', async (event) => { console.log(event.Records.length); });",
        "const api = new aws.lambda.Function('api', {",
        "  runtime: 'nodejs20.x', handler: 'index.handler', role: 'r',",
        "  code: new pulumi.asset.FileArchive('./functions/api'),",
        '  environment: { variables: { JOBS_URL: jobs.url } },',
        '});',
        "const http = new aws.apigatewayv2.Api('http', { protocolType: 'HTTP' });",
        "const integration = new aws.apigatewayv2.Integration('api', { apiId: http.id, integrationType: 'AWS_PROXY', integrationUri: api.invokeArn });",
        "new aws.apigatewayv2.Route('post-job', { apiId: http.id, routeKey: 'POST /jobs/{kind}', target: pulumi.interpolate`integrations/${integration.id}` });",
      ].join('\n'),
      'infra/Pulumi.yaml': 'name: jobs\nruntime: nodejs\n',
      'infra/functions/api/index.ts': [
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = new SQSClient({});',
        'export const handler = async () => {',
        "  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_URL, MessageBody: '{}' }));",
        '};',
      ].join('\n'),
    });
    const q = m.queues.find((x) => x.name === 'jobs')!;
    expect(q.details).toMatchObject({ consumedBy: ['run-job'], consumerSites: ['infra/index.ts:4'], envVars: ['JOBS_URL'] });
    expect(q.details?.producerSites).toEqual(['infra/functions/api/index.ts:4']);
    expect(m.endpoints.map((e) => [e.name, e.details?.handlerFile])).toEqual([['POST /jobs/:kind', 'infra/functions/api/index.ts']]);
    expect(m.deployment.workloads.map((w) => [w.name, w.kind, w.details?.events, w.details?.handlerFile])).toEqual([
      ['api', 'Lambda function', undefined, 'infra/functions/api/index.ts'],
      ['run-job', 'Lambda function', ['sqs jobs'], undefined],
    ]);
  });
});

describe('pulumi: Crosswalk APIs', () => {
  it("reads an awsx.apigateway.API's routes under a custom domain's base path, served by the folder the Lambda's S3 archive is named after", async () => {
    const m = await program({
      'infra/index.ts': [
        "import * as aws from '@pulumi/aws';",
        "import * as awsx from '@pulumi/awsx';",
        "import { byId } from './paths';",
        "const handler = new aws.lambda.Function('notes-handler', { handler: 'index.handler', role: 'r', runtime: 'nodejs20.x', s3Bucket: 'builds', s3Key: 'notes/notes-handler.zip' });",
        "const auth = awsx.apigateway.getCognitoAuthorizer({ providerARNs: ['arn'] });",
        "const api = new awsx.apigateway.API('notes-api', { routes: [",
        "  { path: byId, method: 'GET', eventHandler: handler, authorizers: [auth] },",
        "  { path: '/notes', method: 'POST', eventHandler: handler },",
        "], stageName: 'v2' });",
        "new aws.apigateway.BasePathMapping('v2-base-path', { basePath: 'v2', domainName: 'api.example.com', restApi: api.restAPI.id });",
      ].join('\n'),
      'infra/paths.ts': "export const byId = '/notes/{noteId}';\n",
      'src/notes-handler/index.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
    });
    expect(m.endpoints.map((e) => [e.name, e.details?.handlerFile, e.auth?.mechanisms])).toEqual([
      ['GET /v2/notes/:noteId', 'src/notes-handler/index.ts', ['API Gateway authorizer']],
      ['POST /v2/notes', 'src/notes-handler/index.ts', undefined],
    ]);
    expect(m.components.find((c) => c.path === 'src/notes-handler')?.kind).toBe('function');
  });
});

describe('sst: apps', () => {
  it('reads SST components, routes with their handlers, subscribers, and the code that reaches a linked resource through Resource', async () => {
    const m = await sstApp({
      'infra/api.ts': [
        "const table = new sst.aws.Dynamo('Notes', { fields: { userId: 'string', noteId: 'string' }, primaryIndex: { hashKey: 'userId', rangeKey: 'noteId' } });",
        "const queue = new sst.aws.Queue('Exports');",
        "queue.subscribe('src/export.handler');",
        "const api = new sst.aws.ApiGatewayV2('Api', { transform: { route: { handler: { link: [table, queue] } } } });",
        "api.route('GET /notes/{id}', 'src/notes.get');",
        "api.route('POST /exports', { handler: 'src/notes.requestExport' }, { auth: { iam: true } });",
      ].join('\n'),
      'src/notes.ts': [
        "import { Resource } from 'sst';",
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = new SQSClient({});',
        'export const get = async () => ({ statusCode: 200, body: Resource.Notes.name });',
        'export async function requestExport() {',
        "  await sqs.send(new SendMessageCommand({ QueueUrl: Resource.Exports.url, MessageBody: '{}' }));",
        '}',
      ].join('\n'),
      'src/export.ts': 'export async function handler() {}\n',
    });
    expect(kinds(m)).toEqual({
      'sst.aws.Dynamo Notes': 'data sst',
      'sst.aws.Queue Exports': 'messaging sst',
      'sst.aws.ApiGatewayV2 Api': 'edge sst',
    });
    expect(m.endpoints.map((e) => [e.name, e.details?.handlerFile, e.auth?.mechanisms])).toEqual([
      ['GET /notes/:id', 'src/notes.ts', undefined],
      ['POST /exports', 'src/notes.ts', ['API Gateway iam authorization']],
    ]);
    const q = m.queues.find((x) => x.name === 'Exports')!;
    expect(q.details).toMatchObject({ consumerSites: ['src/export.ts:1'], envVars: ['SST_RESOURCE_Exports'], producerSites: ['src/notes.ts:6'] });
    expect(m.dataStores.find((s) => s.id === 'datastore:dynamodb')).toMatchObject({ envVars: ['SST_RESOURCE_Notes'] });
    expect(m.decisions.find((d) => d.id === 'decision:deployment-platform')?.decision).toBe('AWS Lambda (serverless)');
  });
});

describe('sst: routes in loops', () => {
  it('reads routes added in a for…of loop over a constant list and in a callback over one, and a helper called with the API', async () => {
    const m = await sstApp({
      'infra/api.ts': [
        'const ROUTES = [',
        "  { route: 'GET /notes', handler: 'src/notes.list' },",
        "  { route: 'DELETE /notes/{id}', handler: 'src/notes.remove' },",
        '];',
        "const PUBLIC = ['GET /health', 'GET /version'];",
        "const api = new sst.aws.ApiGatewayV2('Api');",
        'for (const { route, handler } of ROUTES) api.route(route, handler);',
        "PUBLIC.forEach((r) => api.route(r, 'src/health.handler'));",
        'function admin(gateway: sst.aws.ApiGatewayV2, { prefix }: { prefix: string }) {',
        "  gateway.route(`POST ${prefix}/reindex`, 'src/admin.reindex');",
        '}',
        "admin(api, { prefix: '/admin' });",
      ].join('\n'),
      'src/notes.ts': 'export const list = async () => ({ statusCode: 200 });\nexport const remove = async () => ({ statusCode: 204 });\n',
      'src/health.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
      'src/admin.ts': 'export const reindex = async () => ({ statusCode: 202 });\n',
    });
    expect(m.endpoints.map((e) => [e.name, e.details?.handlerFile])).toEqual([
      ['DELETE /notes/:id', 'src/notes.ts'],
      ['GET /health', 'src/health.ts'],
      ['GET /notes', 'src/notes.ts'],
      ['GET /version', 'src/health.ts'],
      ['POST /admin/reindex', 'src/admin.ts'],
    ]);
  });
});

describe('sst: providers', () => {
  it('reads resources of the providers an SST config loads as globals, and nothing of other globals', async () => {
    const m = await analyseRepo(
      tempRepo('sst-providers', {
        'package.json': json({ name: 'shop', version: '0.0.0', dependencies: { sst: '^3.3.0' } }),
        'sst.config.ts': [
          'export default $config({',
          "  app() { return { name: 'shop', home: 'aws', providers: { planetscale: '0.0.7', '@pulumiverse/vercel': '1.11.0' } }; },",
          '  async run() {',
          "    const db = new planetscale.Database('Db', { organization: 'acme', name: 'shop' });",
          "    new vercel.Project('Web', { name: 'shop-web' });",
          "    const price = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });",
          "    new sst.aws.Function('Api', { handler: 'src/api.handler', environment: { DB: db.name, PRICE: price.format(1) } });",
          '  },',
          '});',
        ].join('\n'),
        'src/api.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
      }),
    );
    expect(m.infrastructure.map((i) => `${i.type} ${i.name}`).sort()).toEqual(['planetscale.Database Db', 'sst.aws.Function Api', 'vercel.Project Web']);
  });
});

describe('sst: v2 apps (sst/constructs)', () => {
  it("reads SST v2's Config.Secret.create as one secret per name, and constructs from sst/constructs/future", async () => {
    const m = await analyseRepo(
      tempRepo('sst2-secrets', {
        'package.json': json({ name: 'app', version: '0.0.0', dependencies: { sst: '^2.40.0' } }),
        'sst.config.ts':
          "import { SSTConfig } from 'sst';\nimport { Api } from './stacks/Api';\nexport default { config() { return { name: 'app' }; }, stacks(app) { app.stack(Api); } } satisfies SSTConfig;\n",
        'stacks/Api.ts': [
          "import { Config, StackContext } from 'sst/constructs';",
          "import { Auth } from 'sst/constructs/future';",
          'export function Api({ stack }: StackContext) {',
          "  const secrets = Config.Secret.create(stack, 'GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET');",
          "  new Auth(stack, 'auth', { authenticator: { handler: 'src/auth.handler', bind: [secrets.GITHUB_CLIENT_ID] } });",
          '}',
        ].join('\n'),
        'src/auth.ts': 'export async function handler() {}\n',
      }),
    );
    expect(m.infrastructure.map((i) => `${i.type} ${i.name} ${i.evidence[0]!.file}:${i.evidence[0]!.line}`).sort()).toEqual([
      'sst.constructs.Auth auth stacks/Api.ts:5',
      'sst.constructs.Config.Secret GITHUB_CLIENT_ID stacks/Api.ts:4',
      'sst.constructs.Config.Secret GITHUB_CLIENT_SECRET stacks/Api.ts:4',
    ]);
  });

  it('reads constructs given a stack and an id, Api routes with their bound resources, a queue consumer, and code reading bound resources from sst/node', async () => {
    const m = await analyseRepo(
      tempRepo('sst2', {
        'package.json': json({ name: 'jobs', version: '0.0.0', dependencies: { sst: '^2.40.0', '@aws-sdk/client-sqs': '^3.600.0' } }),
        'sst.config.ts':
          "import { SSTConfig } from 'sst';\nimport { Jobs } from './stacks/Jobs';\nexport default { config() { return { name: 'jobs' }; }, stacks(app) { app.stack(Jobs); } } satisfies SSTConfig;\n",
        'stacks/Jobs.ts': [
          "import { Api, Queue, StackContext, Table } from 'sst/constructs';",
          'export function Jobs({ stack }: StackContext) {',
          "  const table = new Table(stack, 'Runs', { fields: { jobId: 'string', runId: 'string' }, primaryIndex: { partitionKey: 'jobId', sortKey: 'runId' } });",
          "  const queue = new Queue(stack, 'Work', { consumer: { function: { handler: 'src/work.handler', bind: [table] } } });",
          "  const api = new Api(stack, 'Api', {",
          '    defaults: { function: { bind: [table, queue] } },',
          "    routes: { 'POST /jobs/{jobId}/runs': 'src/runs.create', 'GET /jobs/{jobId}/runs': { function: 'src/runs.list' } },",
          '  });',
          '  stack.addOutputs({ url: api.url });',
          '}',
        ].join('\n'),
        'src/runs.ts': [
          "import { Queue } from 'sst/node/queue';",
          "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
          'const sqs = new SQSClient({});',
          "export async function create() {\n  await sqs.send(new SendMessageCommand({ QueueUrl: Queue.Work.queueUrl, MessageBody: '{}' }));\n}",
          'export async function list() { return []; }',
        ].join('\n'),
        'src/work.ts': 'export async function handler() {}\n',
      }),
    );
    expect(kinds(m)).toEqual({
      'sst.constructs.Table Runs': 'data sst',
      'sst.constructs.Queue Work': 'messaging sst',
      'sst.constructs.Api Api': 'edge sst',
    });
    expect(m.infrastructure.find((i) => i.name === 'Runs')?.details).toMatchObject({ hashKey: 'jobId', rangeKey: 'runId' });
    expect(m.endpoints.map((e) => [e.name, e.details?.handlerFile])).toEqual([
      ['GET /jobs/:jobId/runs', 'src/runs.ts'],
      ['POST /jobs/:jobId/runs', 'src/runs.ts'],
    ]);
    expect(m.queues.find((q) => q.name === 'Work')?.details).toMatchObject({
      consumerSites: ['src/work.ts:1'],
      envVars: ['SST_Queue_queueUrl_Work'],
      producerSites: ['src/runs.ts:5'],
    });
    expect(m.dataStores.find((s) => s.id === 'datastore:dynamodb')?.envVars).toEqual(['SST_Table_tableName_Runs']);
  });

  it('joins a queue bound by `construct.bind([…])` to the code that sends to it, and gives the consumer the binding', async () => {
    const m = await analyseRepo(
      tempRepo('sst2-bind', {
        'package.json': json({ name: 'orders', version: '0.0.0', dependencies: { sst: '^2.40.0', '@aws-sdk/client-sqs': '^3.600.0' } }),
        'sst.config.ts':
          "import { SSTConfig } from 'sst';\nimport { Orders } from './stacks/Orders';\nexport default { config() { return { name: 'orders' }; }, stacks(app) { app.stack(Orders); } } satisfies SSTConfig;\n",
        'stacks/Orders.ts': [
          "import { Queue, StackContext } from 'sst/constructs';",
          'export function Orders({ stack }: StackContext) {',
          "  const billing = new Queue(stack, 'Billing', { consumer: 'src/billing.main' });",
          "  const intake = new Queue(stack, 'Intake', { consumer: 'src/intake.main' });",
          '  intake.bind([billing]);',
          '}',
        ].join('\n'),
        'src/intake.ts': [
          "import { Queue } from 'sst/node/queue';",
          "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
          'const sqs = new SQSClient({});',
          "export async function main() {\n  await sqs.send(new SendMessageCommand({ QueueUrl: Queue.Billing.queueUrl, MessageBody: '{}' }));\n}",
        ].join('\n'),
        'src/billing.ts': 'export async function main() {}\n',
      }),
    );
    expect(m.queues.map((q) => q.name)).toEqual(['Billing', 'Intake']);
    expect(m.queues.find((q) => q.name === 'Billing')?.details).toMatchObject({
      consumerSites: ['src/billing.ts:1'],
      envVars: ['SST_Queue_queueUrl_Billing'],
      producerSites: ['src/intake.ts:5'],
    });
  });

  it('reads CloudWatch alarms and dashboards as observability, with an alarm’s threshold', async () => {
    const m = await program({
      'index.ts': [
        "import * as aws from '@pulumi/aws';",
        "new aws.cloudwatch.MetricAlarm('dlq-depth', { name: 'orders-dlq-depth', metricName: 'ApproximateNumberOfMessagesVisible', namespace: 'AWS/SQS', threshold: 5, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, statistic: 'Maximum', period: 60 });",
        "new aws.cloudwatch.Dashboard('ops', { dashboardName: 'orders-ops', dashboardBody: '{}' });",
      ].join('\n'),
    });
    const o = Object.fromEntries(m.observability.filter((f) => f.tech === 'cloudwatch').map((f) => [f.name, [f.category, f.details?.threshold]]));
    expect(o).toEqual({ 'orders-dlq-depth': ['alerting', '5'], 'orders-ops': ['dashboards', undefined] });
  });
});
