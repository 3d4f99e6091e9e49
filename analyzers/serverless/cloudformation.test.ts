import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { cfnValue } from './cfn-yaml.js';
import { refsIn, templateRoutes } from './cloudformation.js';
import { cloudFormationTerraformType } from '../../src/data/cloud-resources.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('cfn-ledger');
}, 60_000);

const infra = (name: string) => m.infrastructure.find((i) => i.source === 'cloudformation' && i.name === name);

describe('CloudFormation types in the shared vocabulary', () => {
  it('maps AWS::* types onto the Terraform types the role table and the network diagram know', () => {
    expect(
      [
        'AWS::RDS::DBCluster',
        'AWS::EC2::VPC',
        'AWS::EC2::VPCEndpoint',
        'AWS::ApiGateway::RestApi',
        'AWS::WAFv2::WebACL',
        'AWS::Logs::LogGroup',
        'AWS::Serverless::Function',
      ].map(cloudFormationTerraformType),
    ).toEqual([
      'aws_rds_cluster',
      'aws_vpc',
      'aws_vpc_endpoint',
      'aws_api_gateway_rest_api',
      'aws_wafv2_web_acl',
      'aws_cloudwatch_log_group',
      'aws_lambda_function',
    ]);
    expect(cloudFormationTerraformType('Custom::Seed')).toBeUndefined();
  });
});

describe('references and routes, short and long form alike', () => {
  it('reads Ref, GetAtt and the names in a Sub (not pseudo parameters) as references', () => {
    const [doc] = parseAllDocuments(
      ["a: !Sub 'arn:${AWS::Partition}:${Fn.Arn}/${Api}'", 'b: { "Fn::GetAtt": ["Table", "Arn"] }', 'c: [!Ref Queue, !GetAtt Topic.TopicName, Missing]'].join(
        '\n',
      ),
    );
    expect(refsIn(cfnValue(doc!), new Set(['Fn', 'Api', 'Table', 'Queue', 'Topic', 'Other']))).toEqual(['Api', 'Fn', 'Queue', 'Table', 'Topic']);
  });

  it('chains REST API resources by ParentId up to the root for a method that integrates a function', () => {
    const routes = templateRoutes({
      Api: { Type: 'AWS::ApiGateway::RestApi' },
      Fn: { Type: 'AWS::Lambda::Function' },
      Orders: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'orders' } },
      Order: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'Orders' }, PathPart: '{id}' } },
      Get: {
        Type: 'AWS::ApiGateway::Method',
        Properties: { HttpMethod: 'get', ResourceId: { Ref: 'Order' }, Integration: { Uri: { 'Fn::Sub': '…/functions/${Fn.Arn}/invocations' } } },
      },
      Cors: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'OPTIONS', ResourceId: { Ref: 'Order' }, Integration: { Type: 'MOCK' } } },
    });
    expect(routes.get('Fn')).toEqual([{ method: 'GET', path: '/orders/{id}', event: 'ApiGateway', logical: 'Get' }]);
  });
});

describe('plain CloudFormation templates on cfn-ledger', () => {
  it('reads YAML with short-form intrinsics and JSON with long forms as templates of their own', () => {
    expect(infra('AccountsDatabase')).toMatchObject({ type: 'AWS::RDS::DBCluster', role: 'data', details: { service: 'ledger' } });
    expect(infra('LookupFunction')).toMatchObject({ type: 'AWS::Lambda::Function', role: 'compute', details: { service: 'edge' } });
    expect(m.warnings.filter((w) => w.file.startsWith('infra/'))).toEqual([]);
  });

  it('gives settings under the shared keys: keys and indexes, engine, encryption, retention, removal policy', () => {
    expect(infra('EntriesTable')?.details).toMatchObject({
      hashKey: 'entryId',
      globalIndexes: ['byAccount'],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: true,
      encrypted: true,
      removalPolicy: 'retain',
    });
    // BackupRetentionPeriod is an !If: not a setting.
    expect(infra('AccountsDatabase')?.details).toMatchObject({
      engine: 'aurora-postgresql',
      encryptedAtRest: true,
      deletionProtection: true,
      removalPolicy: 'snapshot',
    });
    expect(infra('AccountsDatabase')?.details?.backupRetentionDays).toBeUndefined();
    expect(infra('ApiLogs')?.details).toMatchObject({ retentionDays: 30 });
    expect(m.recovery.map((r) => r.id)).toEqual([
      'recovery:deletion-protection:cloudformation:ledger/AccountsDatabase',
      'recovery:point-in-time-recovery:cloudformation:ledger/EntriesTable',
      'recovery:versioning:cloudformation:edge/SiteBucket',
    ]);
  });

  it('makes data stores of the table, the Aurora cluster and the bucket, joined to code by the variables that carry them', () => {
    expect(m.dataStores.map((d) => [d.id, d.details?.provisionedBy, d.envVars ?? [], d.usedBy])).toEqual([
      ['datastore:dynamodb', ['ledger/EntriesTable'], ['ENTRIES_TABLE'], ['component:services/api']],
      ['datastore:postgresql', ['ledger/AccountsDatabase'], ['DB_HOST'], ['component:services/worker']],
      ['datastore:s3', ['edge/SiteBucket'], [], []],
    ]);
    expect(m.dataStores.find((d) => d.id === 'datastore:postgresql')?.details?.service).toBe('Amazon Aurora');
  });

  it('reads Lambda functions with their code folder, events from mappings, subscriptions and rules, and routes', () => {
    expect(m.deployment.workloads.map((w) => [w.id, w.component, w.details?.events])).toEqual([
      ['workload:lambda:edge-LookupFunction', 'component:services/lookup', ['ApiGatewayV2 GET /accounts/:reference']],
      ['workload:lambda:ledger-ApiFunction', 'component:services/api', ['ApiGateway GET /entries/:entryId', 'ApiGateway POST /entries']],
      ['workload:lambda:ledger-NotifierFunction', 'component:services/notifier', ['SNS SettledTopic']],
      ['workload:lambda:ledger-WorkerFunction', 'component:services/worker', ['SQS SettlementQueue', 'Schedule cron(0 3 * * ? *)']],
    ]);
    expect(m.components.map((c) => [c.path, c.kind])).toEqual([
      ['services/api', 'function'],
      ['services/lookup', 'function'],
      ['services/notifier', 'function'],
      ['services/worker', 'function'],
    ]);
    expect(m.endpoints.map((e) => [e.name, e.component, e.auth?.mechanisms ?? null])).toEqual([
      ['GET /entries/:entryId', 'component:services/api', null],
      ['POST /entries', 'component:services/api', ['API Gateway authorizer ApiAuthorizer']],
      ['GET /accounts/:reference', 'component:services/lookup', null],
    ]);
  });

  it('gives the queue its producer by variable and its consumer by event source mapping', () => {
    expect(m.queues.map((q) => [q.id, q.producers, q.consumers])).toEqual([
      ['queue:SettledTopic', [], ['component:services/notifier']],
      ['queue:ledger-settlement', ['component:services/api'], ['component:services/worker']],
      ['queue:ledger-settlement-dlq', [], []],
    ]);
  });

  it('emits alarms and dashboards', () => {
    expect(m.observability.filter((o) => o.tech === 'cloudwatch').map((o) => [o.id, o.details])).toEqual([
      [
        'observability:alert:DeadLettersAlarm',
        {
          source: 'AWS::CloudWatch::Alarm',
          expr: 'AWS/SQS/ApproximateNumberOfMessagesVisible (Maximum)',
          threshold: 'GreaterThanOrEqualToThreshold 1',
          for: '1 × 300 s',
        },
      ],
      ['observability:dashboard:ledger-overview', { panels: 1 }],
    ]);
  });

  it('places resources in the subnets they refer to and connects them from the edge towards the data', () => {
    const id = (l: string) => `infra:cloudformation:ledger/${l}`;
    expect(infra('PublicSubnetA')?.details?.subnet).toBe('public');
    expect(infra('PrivateSubnetB')?.details?.subnet).toBe('private');
    // AppSubnetA says its tier by a tag; the database through its subnet group.
    expect(infra('AppSubnetA')?.details?.subnet).toBe('private');
    expect(infra('AccountsDatabase')?.details).toMatchObject({ primary: true, subnet: 'private', terraformType: 'aws_rds_cluster' });
    expect(infra('ApiFunction')?.details).toMatchObject({ primary: true, subnet: 'private' });
    expect(infra('NatGateway')?.details?.subnet).toBe('public');
    expect(infra('LedgerApi')?.details?.connectsTo).toEqual([id('ApiFunction')]);
    expect(infra('ApiFunction')?.details?.connectsTo).toEqual([id('AccountsDatabase'), id('EntriesTable'), id('SettlementQueue')]);
    // Wiring is not drawn.
    expect(infra('FunctionRole')?.details?.primary).toBeUndefined();
  });
});
