import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { SelfVariables } from './variables.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('serverless-parcels');
}, 60_000);
afterEach(removeTemps);

const queue = (id: string) => m.queues.find((q) => q.id === id);

describe('serverless-parcels: resources keyed by constants, channels joined through environment variables', () => {
  it('names a resource whose key is computed from an imported constant by that constant’s value', () => {
    expect(m.infrastructure.filter((i) => i.source === 'serverless').map((i) => `${i.type} ${i.name} ${i.evidence[0]!.line}`)).toEqual([
      'AWS::SQS::Queue NotifyQueue 51',
      'AWS::DynamoDB::Table ParcelsTable 50',
      'AWS::SQS::Queue ScanQueue 38',
      // `${SCAN_QUEUE}DeadLetters`: a template of a constant.
      'AWS::SQS::Queue ScanQueueDeadLetters 46',
      'AWS::Events::EventBus TrackingBus 60',
    ]);
  });

  it('joins the code that sends to the variable a Ref of the computed key gives (provider environment) to the queue, with its consumer', () => {
    expect(m.queues.some((q) => q.id.startsWith('queue:env:'))).toBe(false);
    expect(queue('queue:ScanQueue')).toMatchObject({ producers: ['component:services/tracking'], consumers: ['component:services/tracking'] });
    expect(queue('queue:ScanQueue')?.details).toMatchObject({
      envVars: ['SCAN_QUEUE_URL'],
      producerSites: ['services/tracking/src/functions/record-scan/handler.ts:12'],
      consumedBy: ['tracking-applyScan'],
    });
  });

  it('lists a function’s own environment variable on the bus it refers to, with the export that names it', () => {
    expect(queue('queue:TrackingBus')).toMatchObject({ tech: 'Amazon EventBridge', producers: ['component:services/tracking'] });
    expect(queue('queue:TrackingBus')?.details).toMatchObject({ kind: 'event bus', envVars: ['TRACKING_BUS_NAME'], exportNames: ['tracking-bus-arn'] });
  });

  it('reads serverless.yml variables: a stage-dependent ${self:custom…} URL assembled around a GetAtt, and an ARN naming a templated queue', () => {
    expect(queue('queue:NotifyQueue')).toMatchObject({
      producers: ['component:services/notifications'],
      consumers: ['component:services/notifications'],
    });
    expect(queue('queue:NotifyQueue')?.details).toMatchObject({ envVars: ['NOTIFY_QUEUE_URL'], consumedBy: ['notifications-sendNotice'] });
    expect(m.deployment.workloads.find((w) => w.id === 'workload:lambda:notifications-sendNotice')?.details?.events).toEqual(['sqs NotifyQueue']);
  });

  it('makes a DynamoDB stream event a channel named after the table, and an EventBridge detail-type one the rule’s function consumes', () => {
    expect(queue('queue:parcels')).toMatchObject({ tech: 'Amazon DynamoDB Streams', consumers: ['component:services/tracking'] });
    expect(queue('queue:parcels')?.details).toMatchObject({ kind: 'stream', consumedBy: ['tracking-projectStatus'] });
    expect(m.deployment.workloads.find((w) => w.id === 'workload:lambda:tracking-projectStatus')?.details?.events).toEqual(['stream parcels']);
    // Put by the tracking service's stream consumer, delivered to the notifications service by its rule.
    expect(queue('queue:ParcelDelivered')).toMatchObject({
      tech: 'Amazon EventBridge',
      producers: ['component:services/tracking'],
      consumers: ['component:services/notifications'],
    });
  });

  it('lists the table’s variable on the data store', () => {
    expect(m.dataStores.find((d) => d.id === 'datastore:dynamodb')?.envVars).toEqual(['PARCELS_TABLE_NAME']);
  });
});

describe('serverless: event sources and variables', () => {
  it('consumes a queue another stack exports (Fn::ImportValue through ${self:provider.environment…}) as that stack’s queue', async () => {
    const root = tempRepo('sls-import-', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['imports', 'catalog'] }),
      'imports/package.json': JSON.stringify({ name: 'imports', devDependencies: { serverless: '^3.0.0' } }),
      'imports/serverless.yml': [
        'service: imports',
        'provider:',
        '  name: aws',
        '  environment:',
        '    ITEMS_QUEUE_URL: !Ref ItemsQueue',
        'functions:',
        '  parse:',
        '    handler: src/parse.handler',
        'resources:',
        '  Resources:',
        '    ItemsQueue:',
        '      Type: AWS::SQS::Queue',
        '      Properties:',
        '        QueueName: catalog-items',
        '  Outputs:',
        '    ItemsQueueArn:',
        '      Value: !GetAtt ItemsQueue.Arn',
        '      Export:',
        '        Name: ItemsQueueArn',
      ].join('\n'),
      'imports/src/parse.ts': [
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = new SQSClient({});',
        'export const handler = async (rows: string[]) => {',
        '  for (const row of rows) await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ITEMS_QUEUE_URL, MessageBody: row }));',
        '};',
      ].join('\n'),
      'catalog/package.json': JSON.stringify({ name: 'catalog', devDependencies: { serverless: '^3.0.0' } }),
      'catalog/serverless.yml': [
        'service: catalog',
        'provider:',
        '  name: aws',
        '  environment:',
        '    ITEMS_QUEUE_ARN:',
        '      Fn::ImportValue: ItemsQueueArn',
        'functions:',
        '  batch:',
        '    handler: src/batch.handler',
        '    events:',
        '      - sqs:',
        '          arn: ${self:provider.environment.ITEMS_QUEUE_ARN}',
      ].join('\n'),
      'catalog/src/batch.ts': 'export const handler = async (event: { Records: unknown[] }) => event.Records.length;\n',
    });
    const model = await analyseRepo(root);
    expect(model.queues.map((q) => q.id)).toEqual(['queue:catalog-items']);
    expect(model.queues[0]).toMatchObject({ producers: ['component:imports'], consumers: ['component:catalog'] });
    expect(model.deployment.workloads.find((w) => w.id === 'workload:lambda:catalog-batch')?.details?.events).toEqual(['sqs ItemsQueueArn']);
  });

  it('joins a SAM variable holding a URL built with !Sub around the queue, and names the table whose stream a function reads', async () => {
    const root = tempRepo('sam-streams-', {
      'package.json': JSON.stringify({ name: 'ledger', dependencies: { '@aws-sdk/client-sqs': '^3.0.0' } }),
      'template.yaml': [
        'AWSTemplateFormatVersion: 2010-09-09',
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  EntriesTable:',
        '    Type: AWS::DynamoDB::Table',
        '    Properties:',
        '      TableName: ledger-entries',
        '      StreamSpecification: { StreamViewType: NEW_IMAGE }',
        '  PostingsQueue:',
        '    Type: AWS::SQS::Queue',
        '  RecordFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: src/record.handler',
        '      Runtime: nodejs20.x',
        '      Environment:',
        '        Variables:',
        "          POSTINGS_URL: !Sub 'https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${PostingsQueue.QueueName}'",
        '      Events:',
        '        Entries:',
        '          Type: DynamoDB',
        '          Properties:',
        '            Stream: !GetAtt EntriesTable.StreamArn',
        '            StartingPosition: LATEST',
      ].join('\n'),
      'src/record.ts': [
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
        'const sqs = new SQSClient({});',
        'export const handler = async (event: { Records: unknown[] }) => {',
        '  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.POSTINGS_URL, MessageBody: JSON.stringify(event.Records) }));',
        '};',
      ].join('\n'),
    });
    const model = await analyseRepo(root);
    expect(model.queues.map((q) => `${q.id} ${q.tech} ${q.producers.length}→${q.consumers.length}`)).toEqual([
      'queue:PostingsQueue Amazon SQS 1→0',
      'queue:ledger-entries Amazon DynamoDB Streams 0→1',
    ]);
    expect(model.queues[0]?.details?.envVars).toEqual(['POSTINGS_URL']);
    expect(model.deployment.workloads[0]?.details?.events).toEqual(['DynamoDB ledger-entries']);
  });

  it('reads ${self:…} variables: paths, nested parts, a part not known taking every key, fallbacks, and nothing from outside', () => {
    const vars = new SelfVariables({
      service: 'parcels',
      custom: {
        stage: "${opt:stage, 'dev'}",
        queue: '${self:service}-scans',
        dev: { url: 'http://localhost:9324' },
        prod: '${self:custom.live}',
        live: { url: { Ref: 'ScanQueue' } },
      },
    });
    expect(vars.values('${self:custom.queue}')).toEqual(['parcels-scans']);
    expect(vars.substitute('arn:aws:sqs:${aws:region}:${aws:accountId}:${self:custom.queue}')).toBe('arn:aws:sqs:${aws:region}:${aws:accountId}:parcels-scans');
    // The stage is an option: each stage's URL is a value the variable may have.
    expect(vars.values('${self:custom.${self:custom.stage}.url}')).toEqual(['http://localhost:9324', { Ref: 'ScanQueue' }]);
    expect(vars.values("${self:custom.missing, 'fallback'}")).toEqual(['fallback']);
    expect(vars.values("${env:QUEUE, 'fallback'}")).toEqual([]);
    expect(vars.values({ Ref: 'X' })).toEqual([{ Ref: 'X' }]);
  });

  it('stops on variables that name each other through parts not known, however many', () => {
    const custom: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) custom[`k${i}`] = `\${self:custom.\${opt:x}, 'd${i}'}`;
    const vars = new SelfVariables({ custom, self: '${self:self}' });
    const started = performance.now();
    expect(vars.values('${self:custom.${opt:x}}').length).toBeLessThanOrEqual(40);
    expect(vars.values('${self:self}')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
