/**
 * The cdktf analyzer's rules on small CDK for Terraform apps: provider constructs however they are
 * imported, as the Terraform resources they synthesise to; one class instantiated as two stacks
 * deploys one set of resources in both; construct classes read per instance with their arguments
 * bound; a Lambda's code folder from its TerraformAsset; environment links, event source mappings
 * and API Gateway v2 routes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { pattern } from './index.js';
import { resourceType } from './program.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const app = (files: Record<string, string>) =>
  analyseRepo(
    tempRepo('cdktf', {
      'package.json': json({
        name: 'orders-infra',
        version: '1.0.0',
        dependencies: { cdktf: '^0.20.0', constructs: '^10.3.0', '@cdktf/provider-aws': '^19.0.0', '@aws-sdk/client-sqs': '^3.600.0' },
      }),
      'cdktf.json': json({ language: 'typescript', app: 'npx ts-node main.ts' }),
      ...files,
    }),
  );
const infra = (m: Model) => Object.fromEntries(m.infrastructure.filter((i) => i.source === 'cdktf').map((i) => [i.name, i]));

describe('cdktf: resource classes', () => {
  it('maps a provider class to its Terraform type by its module, its namespace or its name; providers and data sources are none', () => {
    expect(resourceType('@cdktf/provider-aws/lib/dynamodb-table', 'DynamodbTable', [])?.tf).toBe('aws_dynamodb_table');
    expect(resourceType('@cdktf/provider-aws', 'apigatewayv2Api', ['Apigatewayv2Api'])?.tf).toBe('aws_apigatewayv2_api');
    expect(resourceType('@cdktf/provider-aws', '*', ['s3BucketWebsiteConfiguration', 'S3BucketWebsiteConfiguration'])?.tf).toBe(
      'aws_s3_bucket_website_configuration',
    );
    expect(resourceType('@cdktf/provider-google-beta/lib/cloud-run-v2-service', 'CloudRunV2Service', [])).toEqual({
      provider: 'google',
      tf: 'google_cloud_run_v2_service',
      cls: 'CloudRunV2Service',
    });
    expect(resourceType('./.gen/providers/kubernetes/lib/deployment-v1', 'DeploymentV1', [])?.tf).toBe('kubernetes_deployment_v1');
    expect(resourceType('@cdktf/provider-null/lib/resource', 'Resource', [])?.tf).toBe('null_resource');
    expect(resourceType('@cdktf/provider-aws/lib/provider', 'AwsProvider', [])).toBeUndefined();
    expect(resourceType('@cdktf/provider-aws/lib/data-aws-caller-identity', 'DataAwsCallerIdentity', [])).toBeUndefined();
    expect(resourceType('cdktf', 'TerraformOutput', [])).toBeUndefined();
  });

  it('writes a name that differs per stack with its varying part as *', () => {
    expect(pattern(['orders-dev-links', 'orders-prod-links'])).toBe('orders-*-links');
    expect(pattern(['dev', 'prod'])).toBeUndefined();
    expect(pattern(['a-1', 'a-12'])).toBe('a-1*');
  });
});

describe('cdktf: stacks and constructs', () => {
  it('reads one stack class instantiated twice as two stacks deploying each resource of its construct classes once, bound per instance', async () => {
    const m = await app({
      'main.ts': [
        "import { App } from 'cdktf';",
        "import { OrdersStack } from './lib/orders-stack';",
        'const app = new App();',
        "new OrdersStack(app, 'orders-dev', { stage: 'dev' });",
        "new OrdersStack(app, 'orders-prod', { stage: 'prod' });",
        'app.synth();',
      ].join('\n'),
      'lib/orders-stack.ts': [
        "import { TerraformStack, TerraformOutput, RemoteBackend } from 'cdktf';",
        "import { Construct } from 'constructs';",
        "import { AwsProvider } from '@cdktf/provider-aws/lib/provider';",
        "import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';",
        "import { Channel } from './channel';",
        'export class OrdersStack extends TerraformStack {',
        '  constructor(scope: Construct, id: string, props: { stage: string }) {',
        '    super(scope, id);',
        "    new AwsProvider(this, 'aws', { region: 'eu-west-1' });",
        "    new RemoteBackend(this, { organization: 'acme', workspaces: { name: id } });",
        "    new DataAwsCallerIdentity(this, 'me');",
        "    const placed = new Channel(this, 'placed', { name: `orders-placed-${props.stage}` });",
        "    new Channel(this, 'shipped', { name: 'orders-shipped-' + props.stage });",
        "    new TerraformOutput(this, 'placed_url', { value: placed.queue.url });",
        '  }',
        '}',
      ].join('\n'),
      'lib/channel.ts': [
        "import { Construct } from 'constructs';",
        "import { sqsQueue } from '@cdktf/provider-aws';",
        'export class Channel extends Construct {',
        '  readonly queue: sqsQueue.SqsQueue;',
        '  constructor(scope: Construct, id: string, props: { name: string }) {',
        '    super(scope, id);',
        "    const dlq = new sqsQueue.SqsQueue(this, 'dlq', { name: `${props.name}-dlq` });",
        "    this.queue = new sqsQueue.SqsQueue(this, 'queue', { name: props.name, fifoQueue: false, redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });",
        '  }',
        '}',
      ].join('\n'),
    });
    const got = infra(m);
    expect(Object.keys(got).sort()).toEqual(['orders-dev', 'orders-prod', 'placed/dlq', 'placed/queue', 'shipped/dlq', 'shipped/queue']);
    expect(got['orders-dev']).toMatchObject({
      id: 'infra:cdktf:stack:orders-dev',
      type: 'OrdersStack',
      details: { resources: 4, providers: ['aws'], outputs: ['placed_url'], stateBackend: 'remote' },
      evidence: [{ file: 'main.ts', line: 4 }],
    });
    expect(got['placed/queue']).toMatchObject({
      id: 'infra:cdktf:placed/queue',
      type: 'aws_sqs_queue',
      role: 'messaging',
      provider: 'aws',
      details: { construct: 'SqsQueue', stacks: ['orders-dev', 'orders-prod'], queueName: 'orders-placed-*', fifo: false },
      evidence: [{ file: 'lib/channel.ts', line: 8 }],
    });
    expect(got['shipped/dlq']!.details!.queueName).toBe('orders-shipped-*-dlq');
    expect(m.queues.map((q) => q.id).sort()).toEqual([
      'queue:orders-placed-*',
      'queue:orders-placed-*-dlq',
      'queue:orders-shipped-*',
      'queue:orders-shipped-*-dlq',
    ]);
  });

  it('reads resources written at a stack instance outside any class, and a construct class no stack makes, once', async () => {
    const m = await app({
      'main.ts': [
        "import { App, TerraformStack } from 'cdktf';",
        "import * as aws from '@cdktf/provider-aws';",
        'const app = new App();',
        "const stack = new TerraformStack(app, 'assets');",
        "new aws.s3Bucket.S3Bucket(stack, 'uploads', { bucket: 'acme-uploads' });",
        'app.synth();',
      ].join('\n'),
      'lib/unused.ts': [
        "import { Construct } from 'constructs';",
        "import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';",
        'export class Alerts extends Construct {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    new SnsTopic(this, 'alerts', { name: 'ops-alerts' });",
        '  }',
        '}',
      ].join('\n'),
    });
    const got = infra(m);
    expect(got.uploads).toMatchObject({ type: 'aws_s3_bucket', role: 'data', details: { bucket: 'acme-uploads' } });
    expect(got.alerts).toMatchObject({ type: 'aws_sns_topic', details: { topicName: 'ops-alerts' } });
    expect(m.dataStores.find((s) => s.id === 'datastore:s3')?.details?.buckets).toEqual(['acme-uploads']);
  });
});

describe('cdktf: links', () => {
  it("finds a Lambda's code from its TerraformAsset, the queue its environment carries and consumes, and its API Gateway v2 routes", async () => {
    const m = await app({
      'main.ts':
        "import { App } from 'cdktf';\nimport { ApiStack } from './infra/api-stack';\nconst app = new App();\nnew ApiStack(app, 'api');\napp.synth();\n",
      'infra/api-stack.ts': [
        "import * as path from 'path';",
        "import { TerraformStack, TerraformAsset, AssetType } from 'cdktf';",
        "import { Construct } from 'constructs';",
        "import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';",
        "import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';",
        "import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';",
        "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';",
        "import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';",
        "import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';",
        "import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';",
        "import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';",
        'export class ApiStack extends TerraformStack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const table = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', rangeKey: 'at', billingMode: 'PAY_PER_REQUEST', attribute: [] });",
        "    const jobs = new SqsQueue(this, 'jobs', { name: 'order-jobs' });",
        "    const code = new TerraformAsset(this, 'code', { path: path.resolve(__dirname, '../services/orders'), type: AssetType.ARCHIVE });",
        "    const fn = new LambdaFunction(this, 'orders-api', { functionName: 'orders-api', role: 'arn', handler: 'api.handler', runtime: 'nodejs20.x', filename: code.path, environment: { variables: { ORDERS_TABLE: table.name, JOBS_URL: jobs.url } } });",
        "    const worker = new LambdaFunction(this, 'orders-worker', { functionName: 'orders-worker', role: 'arn', handler: 'worker.run', runtime: 'nodejs20.x', filename: code.path });",
        "    new LambdaEventSourceMapping(this, 'jobs-to-worker', { eventSourceArn: jobs.arn, functionName: worker.functionName });",
        "    const api = new Apigatewayv2Api(this, 'http', { name: 'orders', protocolType: 'HTTP' });",
        "    const integration = new Apigatewayv2Integration(this, 'lambda', { apiId: api.id, integrationType: 'AWS_PROXY', integrationUri: fn.invokeArn });",
        "    const jwt = new Apigatewayv2Authorizer(this, 'jwt', { apiId: api.id, authorizerType: 'JWT', name: 'cognito' });",
        "    new Apigatewayv2Route(this, 'get-order', { apiId: api.id, routeKey: 'GET /orders/{id}', target: `integrations/${integration.id}`, authorizationType: 'JWT', authorizerId: jwt.id });",
        "    new Apigatewayv2Route(this, 'proxy', { apiId: api.id, routeKey: '$default', target: 'integrations/' + integration.id });",
        '  }',
        '}',
      ].join('\n'),
      'services/orders/api.ts': [
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = new SQSClient({});',
        'export const handler = async () => {',
        '  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_URL, MessageBody: "{}" }));',
        '  return { statusCode: 202 };',
        '};',
      ].join('\n'),
      'services/orders/worker.ts': 'export async function run(event: { Records: unknown[] }) {\n  return event.Records.length;\n}\n',
    });
    const table = m.dataStores.find((s) => s.id === 'datastore:dynamodb')!;
    expect(table).toMatchObject({ envVars: ['ORDERS_TABLE'], details: { tables: ['orders'], provisionedBy: ['orders'] } });
    expect(infra(m).orders!.details).toMatchObject({ hashKey: 'id', rangeKey: 'at', billingMode: 'PAY_PER_REQUEST' });
    const api = m.deployment.workloads.find((w) => w.id === 'workload:lambda:cdktf:orders-api')!;
    expect(api).toMatchObject({
      kind: 'Lambda function',
      component: 'component:services/orders',
      details: { source: 'cdktf', handler: 'handler', handlerFile: 'services/orders/api.ts', environment: ['JOBS_URL', 'ORDERS_TABLE'] },
    });
    const worker = m.deployment.workloads.find((w) => w.id === 'workload:lambda:cdktf:orders-worker')!;
    expect(worker.details).toMatchObject({ handlerFile: 'services/orders/worker.ts', handler: 'run', events: ['sqs order-jobs'] });
    const q = m.queues.find((x) => x.id === 'queue:order-jobs')!;
    expect(q.details).toMatchObject({ consumedBy: ['orders-worker'], consumerSites: ['services/orders/worker.ts:1'], envVars: ['JOBS_URL'] });
    expect(q.producers).toEqual(['component:services/orders']);
    const routes = m.endpoints.filter((e) => e.details?.framework === 'CDK for Terraform');
    expect(routes.map((e) => [e.method, e.path, e.component, e.handler, e.auth?.mechanisms])).toEqual([
      ['ANY', '/*', 'component:services/orders', 'orders-api', undefined],
      ['GET', '/orders/:id', 'component:services/orders', 'orders-api', ['API Gateway authorizer jwt']],
    ]);
  });

  it('reads REST API (v1) methods on resources built through parentId, with their integrations and authorization', async () => {
    const m = await app({
      'main.ts': [
        "import { App, TerraformStack, TerraformAsset, AssetType } from 'cdktf';",
        "import { Construct } from 'constructs';",
        "import * as aws from '@cdktf/provider-aws';",
        'class Rest extends TerraformStack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const code = new TerraformAsset(this, 'code', { path: 'src/api', type: AssetType.ARCHIVE });",
        "    const fn = new aws.lambdaFunction.LambdaFunction(this, 'api', { functionName: 'api', role: 'r', handler: 'main.handler', runtime: 'nodejs20.x', filename: code.path });",
        "    const api = new aws.apiGatewayRestApi.ApiGatewayRestApi(this, 'rest', { name: 'rest' });",
        "    const items = new aws.apiGatewayResource.ApiGatewayResource(this, 'items', { restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' });",
        "    const item = new aws.apiGatewayResource.ApiGatewayResource(this, 'item', { restApiId: api.id, parentId: items.id, pathPart: '{itemId}' });",
        "    new aws.apiGatewayMethod.ApiGatewayMethod(this, 'get-item', { restApiId: api.id, resourceId: item.id, httpMethod: 'GET', authorization: 'AWS_IAM' });",
        "    new aws.apiGatewayIntegration.ApiGatewayIntegration(this, 'get-item-lambda', { restApiId: api.id, resourceId: item.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fn.invokeArn });",
        '  }',
        '}',
        "new Rest(new App(), 'rest');",
      ].join('\n'),
      'src/api/main.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
    });
    const routes = m.endpoints.filter((e) => e.details?.framework === 'CDK for Terraform');
    expect(routes.map((e) => [e.method, e.path, e.component, e.handler, e.auth?.mechanisms])).toEqual([
      ['GET', '/items/:itemId', 'component:src/api', 'api', ['API Gateway aws_iam authorization']],
    ]);
  });

  it('takes a bundle folder a build writes (dist) as its parent folder, through a construct that bundles, and a website bucket as no data store', async () => {
    const m = await app({
      'main.ts': [
        "import { App, TerraformStack } from 'cdktf';",
        "import { Construct } from 'constructs';",
        "import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';",
        "import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';",
        "import { S3BucketWebsiteConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-website-configuration';",
        "import { Bundle } from './lib/bundle';",
        'class Web extends TerraformStack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    const code = new Bundle(this, 'code', { entry: path.join(__dirname, 'handlers/render/index.ts') });",
        "    new LambdaFunction(this, 'render', { functionName: 'render', role: 'r', handler: 'index.handler', runtime: 'nodejs20.x', filename: code.asset.path });",
        "    const site = new S3Bucket(this, 'site', { bucket: 'acme-site' });",
        "    new S3BucketWebsiteConfiguration(this, 'site-website', { bucket: site.bucket, indexDocument: { suffix: 'index.html' } });",
        '  }',
        '}',
        "import * as path from 'path';",
        "new Web(new App(), 'web');",
      ].join('\n'),
      'lib/bundle.ts': [
        "import * as path from 'path';",
        "import { TerraformAsset, AssetType } from 'cdktf';",
        "import { Construct } from 'constructs';",
        "const outDir = (dir: string) => path.join(dir, 'dist');",
        'export class Bundle extends Construct {',
        '  readonly asset: TerraformAsset;',
        '  constructor(scope: Construct, id: string, props: { entry: string }) {',
        '    super(scope, id);',
        "    this.asset = new TerraformAsset(this, 'asset', { path: outDir(path.resolve(path.dirname(props.entry))), type: AssetType.ARCHIVE });",
        '  }',
        '}',
      ].join('\n'),
      'handlers/render/index.ts': 'export const handler = async () => ({ statusCode: 200, body: "<html></html>" });\n',
    });
    const w = m.deployment.workloads.find((x) => x.id === 'workload:lambda:cdktf:render')!;
    expect(w.details).toMatchObject({ handlerFile: 'handlers/render/index.ts', handler: 'handler' });
    expect(infra(m).site!.details).toMatchObject({ bucket: 'acme-site', website: true });
    expect(m.dataStores.find((s) => s.tech === 's3')).toBeUndefined();
    expect(m.infrastructure.filter((i) => i.source === 'cdktf' && i.details?.construct === 'TerraformAsset')).toEqual([]);
  });

  it('reads CloudWatch alarms and dashboards as observability, with an alarm’s threshold', async () => {
    const m = await app({
      'main.ts': [
        "import { App, TerraformStack } from 'cdktf';",
        "import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';",
        "import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';",
        'const app = new App();',
        "const stack = new TerraformStack(app, 'ops');",
        "new CloudwatchMetricAlarm(stack, 'errors', { alarmName: 'api-errors', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 10, metricName: 'Errors', namespace: 'AWS/Lambda', period: 60, statistic: 'Sum' });",
        "new CloudwatchDashboard(stack, 'board', { dashboardName: 'api', dashboardBody: '{}' });",
        'app.synth();',
      ].join('\n'),
    });
    const o = Object.fromEntries(m.observability.filter((f) => f.tech === 'cloudwatch').map((f) => [f.name, [f.category, f.details?.threshold]]));
    expect(o).toEqual({ 'api-errors': ['alerting', '10'], api: ['dashboards', undefined] });
  });
});
