/**
 * The cdk analyzer's rules on small CDK apps: constructs however they are imported, in the
 * terraform analyzer's types of roles; construct classes read once per instance and attributed to
 * the stacks that make them; what is not a resource; data stores; and queues joined to the code
 * of the functions their event sources feed and of those that send to them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const app = (files: Record<string, string>) =>
  analyseRepo(
    tempRepo('cdk', {
      'package.json': json({
        name: 'shop',
        version: '1.0.0',
        dependencies: { 'aws-cdk-lib': '^2.150.0', constructs: '^10.3.0', '@aws-sdk/client-sqs': '^3.600.0' },
      }),
      'cdk.json': json({ app: 'npx ts-node bin/app.ts' }),
      ...files,
    }),
  );
const infra = (m: Model, name: string) => m.infrastructure.filter((i) => i.name === name);

describe('cdk: constructs', () => {
  it('reads L1, L2 and L3 constructs however aws-cdk-lib is imported, with the roles Terraform types have', async () => {
    const m = await app({
      'bin/app.ts': "import * as cdk from 'aws-cdk-lib';\nimport { ShopStack } from '../lib/shop';\nnew ShopStack(new cdk.App(), 'Shop');\n",
      'lib/shop.ts': [
        "import * as cdk from 'aws-cdk-lib';",
        "import { aws_dynamodb as dynamodb, RemovalPolicy } from 'aws-cdk-lib';",
        "import * as s3 from 'aws-cdk-lib/aws-s3';",
        "import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';",
        "import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';",
        "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
        "import { Construct } from 'constructs';",
        'export class ShopStack extends cdk.Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    new s3.Bucket(this, 'Assets', { versioned: true, bucketName: 'shop-assets' });",
        "    new cdk.aws_sqs.Queue(this, 'Orders', { fifo: true, queueName: 'orders.fifo' });",
        "    new dynamodb.Table(this, 'Carts', { partitionKey: { name: 'cartId', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });",
        "    new CfnWebACL(this, 'Acl', { scope: 'REGIONAL', defaultAction: { allow: {} } } as any);",
        "    new ec2.Vpc(this, 'Vpc');",
        "    new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Web', { memoryLimitMiB: 512 });",
        "    new cdk.CfnOutput(this, 'Url', { value: 'x' });",
        '  }',
        '}',
      ].join('\n'),
    });
    const got = Object.fromEntries(m.infrastructure.map((i) => [i.name, `${i.type} ${i.role}`]));
    expect(got).toEqual({
      Assets: 'aws_s3.Bucket data',
      Orders: 'aws_sqs.Queue messaging',
      Carts: 'aws_dynamodb.Table data',
      Acl: 'aws_wafv2.CfnWebACL edge',
      Vpc: 'aws_ec2.Vpc network',
      Web: 'aws_ecs_patterns.ApplicationLoadBalancedFargateService compute',
    });
    expect(infra(m, 'Carts')[0]).toMatchObject({
      id: 'infra:cdk:Shop/Carts',
      source: 'cdk',
      details: { stacks: ['Shop'], hashKey: 'cartId', removalPolicy: 'destroy' },
    });
    expect(m.dataStores.map((s) => [s.id, s.details])).toEqual([
      ['datastore:dynamodb', expect.objectContaining({ tables: ['Carts'] })],
      ['datastore:s3', expect.objectContaining({ buckets: ['shop-assets'] })],
    ]);
    expect(m.queues.find((q) => q.name === 'orders.fifo')).toMatchObject({ tech: 'Amazon SQS', details: { fifo: true } });
    expect(m.deployment.workloads.find((w) => w.kind === 'ECS service')).toMatchObject({ name: 'Web', details: { platform: 'AWS ECS', source: 'cdk' } });
    expect(m.coverage!.technologies.find((t) => t.name === 'AWS CDK')).toMatchObject({ status: 'read', facts: 6 });
  });

  it('reads a construct class once per instance, each in the stacks that make it, and leaves out what is no resource', async () => {
    const m = await app({
      'bin/app.ts':
        "import { App } from 'aws-cdk-lib';\nimport { Orders, Billing } from '../lib/stacks';\nconst app = new App();\nnew Orders(app, 'OrdersStack');\nnew Billing(app, 'BillingStack');\n",
      'lib/buffer.ts': [
        "import { Duration } from 'aws-cdk-lib';",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';",
        "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
        "import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';",
        "import { Construct } from 'constructs';",
        'export class Buffer extends Construct {',
        '  readonly queue: sqs.Queue;',
        '  constructor(scope: Construct, id: string, props: { name: string }) {',
        '    super(scope, id);',
        "    this.queue = new sqs.Queue(this, 'Queue', { queueName: `${props.name}-buffer`, visibilityTimeout: Duration.minutes(2) });",
        "    new sfn.Pass(this, 'Noop');",
        "    new ecrAssets.DockerImageAsset(this, 'Image', { directory: 'x' });",
        '  }',
        '}',
      ].join('\n'),
      'lib/stacks.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { Construct } from 'constructs';",
        "import { Buffer } from './buffer';",
        "export class Orders extends Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new Buffer(this, 'In', { name: 'orders' });\n  }\n}",
        "export class Billing extends Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new Buffer(this, 'In', { name: 'invoices' });\n  }\n}",
      ].join('\n'),
    });
    expect(m.infrastructure.map((i) => [i.id, i.details?.stacks, i.details?.queueName, i.details?.visibilityTimeoutSeconds])).toEqual([
      ['infra:cdk:BillingStack/In/Queue', ['BillingStack'], 'invoices-buffer', 120],
      ['infra:cdk:OrdersStack/In/Queue', ['OrdersStack'], 'orders-buffer', 120],
    ]);
    expect(m.queues.map((q) => q.id).sort()).toEqual(['queue:invoices-buffer', 'queue:orders-buffer']);
  });

  it('reads a helper method once per call, with the ids it is given', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Api } from '../lib/api';\nnew Api(new App(), 'Api');\n",
      'lib/api.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { join } from 'path';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { Construct } from 'constructs';",
        'export class Api extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    this.handler('ListOrders');",
        "    this.handler('GetOrder');",
        '  }',
        '  handler(name: string) {',
        "    return new NodejsFunction(this, name, { entry: join(__dirname, '/../src/handlers/index.ts'), handler: name });",
        '  }',
        '}',
      ].join('\n'),
      'src/handlers/index.ts': 'export const ListOrders = async () => [];\nexport const GetOrder = async () => ({});\n',
    });
    expect(m.deployment.workloads.map((w) => [w.id, w.details?.handler, w.details?.handlerFile])).toEqual([
      ['workload:lambda:Api/GetOrder', 'GetOrder', 'src/handlers/index.ts'],
      ['workload:lambda:Api/ListOrders', 'ListOrders', 'src/handlers/index.ts'],
    ]);
  });

  it('reads API Gateway routes: resources, methods, authorizers, HTTP API routes and a proxying LambdaRestApi', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Api } from '../lib/api';\nnew Api(new App(), 'Api');\n",
      'lib/api.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import * as apigw from 'aws-cdk-lib/aws-apigateway';",
        "import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';",
        "import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { Construct } from 'constructs';",
        'export class Api extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const orders = new NodejsFunction(this, 'Orders', { entry: 'services/orders/index.ts' });",
        "    const auth = new apigw.TokenAuthorizer(this, 'Jwt', { handler: orders });",
        "    const api = new apigw.RestApi(this, 'Rest');",
        "    const order = api.root.addResource('orders').addResource('{orderId}');",
        "    order.addMethod('GET', new apigw.LambdaIntegration(orders), { authorizer: auth });",
        "    api.root.addMethod('GET', new apigw.LambdaIntegration(orders));",
        "    const http = new HttpApi(this, 'Http');",
        "    http.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Health', orders) });",
        "    new apigw.LambdaRestApi(this, 'Proxy', { handler: orders });",
        '  }',
        '}',
      ].join('\n'),
      'services/orders/index.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
    });
    expect(m.endpoints.map((e) => [e.name, e.component, e.auth?.mechanisms, e.details?.function])).toEqual([
      ['ANY /*', 'component:services/orders', undefined, 'Orders'],
      ['GET /', 'component:services/orders', undefined, 'Orders'],
      ['GET /health', 'component:services/orders', undefined, 'Orders'],
      ['GET /orders/:orderId', 'component:services/orders', ['API Gateway authorizer Jwt'], 'Orders'],
    ]);
  });

  it('reads routes a helper method adds, called from another with literal arguments, in a callback over a list and in a for…of loop', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Shop } from '../lib/shop';\nnew Shop(new App(), 'Shop');\n",
      'lib/shop.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { Construct } from 'constructs';",
        "import { Gateway } from './gateway';",
        'export class Shop extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const list = new NodejsFunction(this, 'List', { entry: 'services/catalogue/list.ts' });",
        "    const put = new NodejsFunction(this, 'Put', { entry: 'services/catalogue/put.ts' });",
        "    new Gateway(this, 'Gateway', { list, put });",
        '  }',
        '}',
      ].join('\n'),
      'lib/gateway.ts': [
        "import { LambdaIntegration, Resource, RestApi } from 'aws-cdk-lib/aws-apigateway';",
        "import { IFunction } from 'aws-cdk-lib/aws-lambda';",
        "import { Construct } from 'constructs';",
        'interface Route { verb: string; fn: IFunction }',
        'export class Gateway extends Construct {',
        '  constructor(scope: Construct, id: string, props: { list: IFunction; put: IFunction }) {',
        '    super(scope, id);',
        "    this.build('catalogue', props);",
        '  }',
        '  build(name: string, { list, put }: { list: IFunction; put: IFunction }) {',
        '    const api = new RestApi(this, `${name}-api`);',
        "    const items = this.endpoints(api.root, { segment: 'items', routes: [{ verb: 'GET', fn: list }, { verb: 'POST', fn: put }] });",
        "    this.endpoints(items, { segment: '{sku}', routes: [{ verb: 'PUT', fn: put }] });",
        "    for (const { segment, fn } of [{ segment: 'reports', fn: list }, { segment: 'exports', fn: put }]) api.root.addResource(segment).addMethod('GET', new LambdaIntegration(fn));",
        '  }',
        '  endpoints(parent: Resource, { segment, routes }: { segment: string; routes: Route[] }) {',
        '    const resource = parent.addResource(segment);',
        '    routes.forEach(({ verb, fn }) => {',
        '      const integration = new LambdaIntegration(fn);',
        '      resource.addMethod(verb, integration);',
        '    });',
        '    return resource;',
        '  }',
        '}',
      ].join('\n'),
      'services/catalogue/list.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
      'services/catalogue/put.ts': 'export const handler = async () => ({ statusCode: 201 });\n',
    });
    expect(m.endpoints.map((e) => [e.name, e.details?.function, e.evidence[0]?.line])).toEqual([
      ['GET /exports', 'Put', 14],
      ['GET /items', 'List', 20],
      ['GET /reports', 'List', 14],
      ['POST /items', 'Put', 20],
      ['PUT /items/:sku', 'Put', 20],
    ]);
  });

  it('follows a construct taken apart (`const { fns, worker } = new Functions(…)`) to what its constructor assigns from a helper method, call by call', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Orders } from '../lib/orders';\nnew Orders(new App(), 'Orders');\n",
      'lib/functions.ts': [
        "import { join } from 'path';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { Construct } from 'constructs';",
        'export class Functions extends Construct {',
        '  public readonly fns: { list: NodejsFunction; get: NodejsFunction };',
        '  public readonly worker: NodejsFunction;',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    this.fns = { list: this.make('listOrders'), get: this.make('getOrder') };",
        "    this.worker = this.make('fulfil');",
        '  }',
        '  make(handler: string) {',
        "    return new NodejsFunction(this, handler, { entry: join(__dirname, '../src/handlers.ts'), handler });",
        '  }',
        '}',
      ].join('\n'),
      'lib/orders.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';",
        "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
        "import { Queue } from 'aws-cdk-lib/aws-sqs';",
        "import { Construct } from 'constructs';",
        "import { Functions } from './functions';",
        'export class Orders extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const { fns, worker } = new Functions(this, 'Fns');",
        "    const jobs = new Queue(this, 'Jobs', { queueName: 'fulfilment-jobs' });",
        '    worker.addEventSource(new SqsEventSource(jobs));',
        "    const api = new RestApi(this, 'Api');",
        "    const orders = api.root.addResource('orders');",
        "    orders.addMethod('GET', new LambdaIntegration(fns.list));",
        "    orders.addResource('{id}').addMethod('GET', new LambdaIntegration(fns.get));",
        '  }',
        '}',
      ].join('\n'),
      'src/handlers.ts': 'export const listOrders = async () => [];\nexport const getOrder = async () => ({});\nexport const fulfil = async () => undefined;\n',
    });
    expect(m.endpoints.map((e) => [e.name, e.details?.function])).toEqual([
      ['GET /orders', 'listOrders'],
      ['GET /orders/:id', 'getOrder'],
    ]);
    expect(m.deployment.workloads.map((w) => [w.name, w.details?.events])).toEqual([
      ['fulfil', ['sqs fulfilment-jobs']],
      ['getOrder', undefined],
      ['listOrders', undefined],
    ]);
  });

  it('names the triggers of a function: a table’s stream, a bucket, and schedules by rate, cron and expression', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Jobs } from '../lib/jobs';\nnew Jobs(new App(), 'Jobs');\n",
      'lib/jobs.ts': [
        "import { Duration, Stack } from 'aws-cdk-lib';",
        "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';",
        "import { Rule, Schedule } from 'aws-cdk-lib/aws-events';",
        "import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';",
        "import { StartingPosition } from 'aws-cdk-lib/aws-lambda';",
        "import { DynamoEventSource, S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { Bucket, EventType } from 'aws-cdk-lib/aws-s3';",
        "import { Construct } from 'constructs';",
        'export class Jobs extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const table = new dynamodb.Table(this, 'Orders', { tableName: 'orders', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });",
        "    const uploads = new Bucket(this, 'Uploads');",
        "    const audit = new NodejsFunction(this, 'Audit', { entry: 'src/audit.ts' });",
        '    audit.addEventSource(new DynamoEventSource(table, { startingPosition: StartingPosition.LATEST }));',
        '    audit.addEventSource(new S3EventSource(uploads, { events: [EventType.OBJECT_CREATED] }));',
        "    const sweep = new NodejsFunction(this, 'Sweep', { entry: 'src/sweep.ts' });",
        "    new Rule(this, 'Every5', { schedule: Schedule.rate(Duration.minutes(5)), targets: [new LambdaFunction(sweep)] });",
        "    const nightly = new Rule(this, 'Nightly', { schedule: Schedule.cron({ minute: '0', hour: '3' }) });",
        '    nightly.addTarget(new LambdaFunction(sweep));',
        "    new Rule(this, 'Daily', { schedule: Schedule.expression('rate(1 day)'), targets: [new LambdaFunction(audit)] });",
        '  }',
        '}',
      ].join('\n'),
      'src/audit.ts': 'export const handler = async () => undefined;\n',
      'src/sweep.ts': 'export const handler = async () => undefined;\n',
    });
    expect(m.deployment.workloads.map((w) => [w.name, w.details?.events])).toEqual([
      ['Audit', ['dynamodb orders', 's3 Uploads', 'schedule rate(1 day)']],
      ['Sweep', ['schedule cron(0 3 * * ? *)', 'schedule rate(5 minutes)']],
    ]);
  });

  it('runs a container service in the component its image asset is built from (`fromDockerImageAsset`)', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Billing } from '../lib/billing';\nnew Billing(new App(), 'Billing');\n",
      'lib/billing.ts': [
        "import * as path from 'path';",
        "import { Stack } from 'aws-cdk-lib';",
        "import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';",
        "import * as ecs from 'aws-cdk-lib/aws-ecs';",
        "import { ApplicationLoadBalancedFargateService } from 'aws-cdk-lib/aws-ecs-patterns';",
        "import { Construct } from 'constructs';",
        'export class Billing extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const asset = new DockerImageAsset(this, 'Image', { directory: path.join(__dirname, '../services/invoices') });",
        "    new ApplicationLoadBalancedFargateService(this, 'Invoices', { taskImageOptions: { image: ecs.ContainerImage.fromDockerImageAsset(asset) } });",
        '  }',
        '}',
      ].join('\n'),
      'services/invoices/Dockerfile': 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "server.js"]\n',
      'services/invoices/package.json': json({ name: 'invoices', version: '1.0.0', dependencies: { express: '^4.19.0' } }),
      'services/invoices/server.js': "const express = require('express');\nexpress().listen(8080);\n",
    });
    expect(m.deployment.workloads.map((w) => [w.id, w.component])).toEqual([['workload:ecs:Billing/Invoices', 'component:services/invoices']]);
  });

  it('links topics and buses to the queues they deliver into, through a helper method too', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Fanout } from '../lib/fanout';\nnew Fanout(new App(), 'Fanout');\n",
      'lib/fanout.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { Topic } from 'aws-cdk-lib/aws-sns';",
        "import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';",
        "import { Queue } from 'aws-cdk-lib/aws-sqs';",
        "import { EventBus, Rule } from 'aws-cdk-lib/aws-events';",
        "import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';",
        "import { Construct } from 'constructs';",
        'export class Fanout extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const topic = new Topic(this, 'Notices');",
        "    const email = new Queue(this, 'Email');",
        '    this.subscribe(topic, email);',
        "    const bus = new EventBus(this, 'Bus', { eventBusName: 'shop-bus' });",
        "    const audit = new Queue(this, 'Audit');",
        "    new Rule(this, 'All', { eventBus: bus, eventPattern: { source: ['shop'] }, targets: [new SqsQueue(audit)] });",
        '  }',
        '  subscribe(topic: Topic, queue: Queue) {',
        '    topic.addSubscription(new SqsSubscription(queue));',
        '  }',
        '}',
      ].join('\n'),
    });
    const q = Object.fromEntries(m.queues.map((x) => [x.id, [x.tech, x.details?.fedBy, x.details?.drainedBy]]));
    expect(q).toEqual({
      'queue:Audit': ['Amazon SQS', ['queue:shop-bus'], undefined],
      'queue:Email': ['Amazon SQS', ['queue:Notices'], undefined],
      'queue:Notices': ['Amazon SNS', undefined, ['queue:Email']],
      'queue:shop-bus': ['Amazon EventBridge', undefined, ['queue:Audit']],
    });
  });

  it('joins a queue to the function its event source feeds and to the code that sends to the variable carrying it', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Jobs } from '../lib/jobs';\nnew Jobs(new App(), 'Jobs');\n",
      'lib/jobs.ts': [
        "import * as path from 'path';",
        "import { Stack } from 'aws-cdk-lib';",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
        "import * as rds from 'aws-cdk-lib/aws-rds';",
        "import { Construct } from 'constructs';",
        'export class Jobs extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const jobs = new sqs.Queue(this, 'Jobs');",
        "    const submit = new NodejsFunction(this, 'Submit', { entry: path.join(__dirname, '..', 'services', 'submit', 'index.ts'), environment: { JOBS_QUEUE_URL: jobs.queueUrl } });",
        '    jobs.grantSendMessages(submit);',
        "    const work = new lambda.Function(this, 'Work', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'work.handler', code: lambda.Code.fromAsset('workers'), reservedConcurrentExecutions: 5 });",
        '    work.addEventSource(new SqsEventSource(jobs));',
        "    new rds.DatabaseCluster(this, 'Db', { engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_1 }) } as any);",
        '  }',
        '}',
      ].join('\n'),
      'services/submit/index.ts':
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\nconst sqs = new SQSClient({});\nexport const handler = async (e: { body: string }) => {\n  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: e.body }));\n};\n",
      'workers/work.ts': 'export async function handler(event: { Records: unknown[] }) {\n  return event.Records.length;\n}\n',
    });
    const q = m.queues.find((x) => x.id === 'queue:Jobs')!;
    expect(q).toMatchObject({ producers: ['component:services/submit'], consumers: ['component:workers'] });
    expect(q.details).toMatchObject({ envVars: ['JOBS_QUEUE_URL'], consumedBy: ['Work'], consumerSites: ['workers/work.ts:1'] });
    expect(infra(m, 'Jobs')[0]!.details?.grants).toEqual(['grantSendMessages Submit']);
    expect(m.components.map((c) => [c.path, c.kind])).toEqual([
      ['.', 'infrastructure'],
      ['services/submit', 'function'],
      ['workers', 'function'],
    ]);
    expect(m.deployment.workloads.find((w) => w.name === 'Work')).toMatchObject({
      component: 'component:workers',
      details: { handlerFile: 'workers/work.ts', handler: 'handler', events: ['sqs Jobs'], runtime: 'NODEJS_20_X' },
    });
    expect(m.scaling.map((f) => [f.id, f.category, f.details?.max])).toEqual([['scaling:lambda:cdk:Jobs/Work', 'concurrency', 5]]);
    expect(m.dataStores.find((s) => s.tech === 'postgresql')).toMatchObject({ details: { service: 'Amazon Aurora', provisionedBy: ['Jobs/Db'] } });
  });

  it('reads what Step Functions tasks publish: each detail-type an EventBridgePutEvents task puts, and the topic, queue or bus a task publishes to', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Orders } from '../lib/orders';\nnew Orders(new App(), 'Orders');\n",
      'lib/orders.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { EventBus } from 'aws-cdk-lib/aws-events';",
        "import { Topic } from 'aws-cdk-lib/aws-sns';",
        "import { Queue } from 'aws-cdk-lib/aws-sqs';",
        "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
        "import { EventBridgePutEvents, SnsPublish, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';",
        "import { Construct } from 'constructs';",
        "const PLACED = 'Order.Placed';",
        'export class Orders extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const bus = new EventBus(this, 'Bus', { eventBusName: 'orders' });",
        "    const alerts = new Topic(this, 'Alerts');",
        "    const audit = new Queue(this, 'Audit');",
        "    const put = new EventBridgePutEvents(this, 'AnnouncePlaced', { entries: [{ eventBus: bus, source: 'orders', detailType: PLACED, detail: sfn.TaskInput.fromJsonPathAt('$') }] });",
        "    const alert = new SnsPublish(this, 'AlertOps', { topic: alerts, message: sfn.TaskInput.fromText('placed') });",
        "    const log = new SqsSendMessage(this, 'LogAudit', { queue: audit, messageBody: sfn.TaskInput.fromJsonPathAt('$') });",
        "    new sfn.StateMachine(this, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(put.next(alert).next(log)) });",
        '  }',
        '}',
      ].join('\n'),
    });
    const q = Object.fromEntries(m.queues.map((x) => [x.name, [x.tech, x.producers, x.details?.kind, x.details?.producedBy]]));
    expect(q).toEqual({
      'Order.Placed': ['Amazon EventBridge', [], 'event', ['AnnouncePlaced']],
      orders: ['Amazon EventBridge', [], undefined, ['AnnouncePlaced']],
      Alerts: ['Amazon SNS', [], undefined, ['AlertOps']],
      Audit: ['Amazon SQS', [], undefined, ['LogAudit']],
    });
    // The tasks are states of the machine, not resources of their own.
    expect(m.infrastructure.map((i) => i.name).sort()).toEqual(['Alerts', 'Audit', 'Bus', 'Flow']);
  });

  it('reads AWS Solutions Constructs patterns: each resource a pattern makes, by its own props, reached through the pattern’s property, and the wiring between them', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Claims } from '../lib/claims';\nnew Claims(new App(), 'Claims');\n",
      'lib/claims.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import { EventBus } from 'aws-cdk-lib/aws-events';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        "import { EventbridgeToSqs } from '@aws-solutions-constructs/aws-eventbridge-sqs';",
        "import { SqsToLambda } from '@aws-solutions-constructs/aws-sqs-lambda';",
        "import { LambdaToDynamoDB } from '@aws-solutions-constructs/aws-lambda-dynamodb';",
        "import { Construct } from 'constructs';",
        'export class Claims extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const bus = new EventBus(this, 'Bus', { eventBusName: 'claims-bus' });",
        "    const intake = new EventbridgeToSqs(this, 'Intake', {",
        '      existingEventBusInterface: bus,',
        "      eventRuleProps: { eventPattern: { source: ['claims'], detailType: ['Claim.Filed'] } },",
        '      queueProps: { queueName: `${Stack.of(this).stackName}-intake` },',
        '    });',
        // Props held in a constant: its existing queue is not made again.
        '    const assess = {',
        '      existingQueueObj: intake.sqsQueue,',
        "      lambdaFunctionProps: { runtime: lambda.Runtime.NODEJS_20_X, handler: 'assess.handler', code: lambda.Code.fromAsset('services/assess') },",
        '    };',
        "    new SqsToLambda(this, 'Assess', assess);",
        "    new LambdaToDynamoDB(this, 'Store', {",
        "      lambdaFunctionProps: { runtime: lambda.Runtime.NODEJS_20_X, handler: 'store.handler', code: lambda.Code.fromAsset('services/store') },",
        "      dynamoTableProps: { tableName: 'claims', partitionKey: { name: 'id', type: 'S' } } as any,",
        '    });',
        '  }',
        '}',
      ].join('\n'),
      'services/assess/assess.ts': 'export async function handler(event: { Records: unknown[] }) {\n  return event.Records.length;\n}\n',
      'services/store/store.ts': 'export async function handler() {\n  return process.env.DDB_TABLE_NAME;\n}\n',
    });
    expect(m.infrastructure.map((i) => `${i.name} ${i.type}`).sort()).toEqual([
      'Assess/lambdaFunction aws_lambda.Function',
      'Bus aws_events.EventBus',
      'Intake/eventsRule aws_events.Rule',
      'Intake/sqsQueue aws_sqs.Queue',
      'Store/dynamoTable aws_dynamodb.Table',
      'Store/lambdaFunction aws_lambda.Function',
    ]);
    const q = m.queues.find((x) => x.name === 'Claims-intake')!;
    expect(q).toMatchObject({ tech: 'Amazon SQS', consumers: ['component:services/assess'] });
    expect(q.details).toMatchObject({
      consumedBy: ['Assess/lambdaFunction'],
      fedBy: ['queue:claims-bus'],
      filters: ['detail-type=Claim.Filed', 'source=claims'],
    });
    expect(m.dataStores.find((d) => d.tech === 'dynamodb')).toMatchObject({
      envVars: ['DDB_TABLE_NAME'],
      details: { provisionedBy: ['Claims/Store/dynamoTable'] },
    });
  });

  it('joins a queue to the pods of a Kubernetes manifest added to an EKS cluster, through the containers’ environment', async () => {
    const m = await app({
      'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Vendors } from '../lib/vendors';\nnew Vendors(new App(), 'Vendors');\n",
      'lib/vendors.ts': [
        "import { Stack, aws_eks as eks } from 'aws-cdk-lib';",
        "import { Queue } from 'aws-cdk-lib/aws-sqs';",
        "import { Construct } from 'constructs';",
        'export class Vendors extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const jobs = new Queue(this, 'Jobs', { queueName: 'vendor-jobs' });",
        "    const cluster = new eks.Cluster(this, 'Cluster', { version: eks.KubernetesVersion.V1_30 } as any);",
        "    cluster.addManifest('Worker', {",
        "      apiVersion: 'apps/v1',",
        "      kind: 'Deployment',",
        "      metadata: { name: 'vendor-worker' },",
        "      spec: { template: { spec: { containers: [{ name: 'worker', image: 'worker:1', env: [{ name: 'JOBS_QUEUE_URL', value: jobs.queueUrl }, { name: 'MODE', value: 'live' }] }] } } },",
        '    });',
        '  }',
        '}',
      ].join('\n'),
      'worker/index.ts':
        "import { Consumer } from 'sqs-consumer';\nConsumer.create({ queueUrl: process.env.JOBS_QUEUE_URL!, handleMessage: async () => undefined }).start();\n",
      'worker/package.json': JSON.stringify({ name: 'worker', dependencies: { 'sqs-consumer': '^10.0.0' } }),
    });
    const q = m.queues.find((x) => x.name === 'vendor-jobs')!;
    expect(q.details?.envVars).toEqual(['JOBS_QUEUE_URL']);
    expect(q.consumers).toEqual(['component:worker']);
    expect(m.queues.map((x) => x.name)).toEqual(['vendor-jobs']);
  });
});
