import { describe, expect, it, beforeAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { cfnValue } from './cfn-yaml.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('sam-orders');
}, 60_000);

describe('CloudFormation short forms', () => {
  it('reads !Ref, !GetAtt, !Sub and others as references, never as literal names', () => {
    const [doc] = parseAllDocuments(
      [
        'a: !Ref Queue',
        'b: !GetAtt Queue.Arn',
        'c: !GetAtt [Queue, QueueName]',
        "d: !Sub '${AWS::StackName}-x'",
        'e: !Join [",", [a, !Ref B]]',
        'f: plain',
      ].join('\n'),
    );
    expect(cfnValue(doc!)).toEqual({
      a: { Ref: 'Queue' },
      b: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      c: { 'Fn::GetAtt': ['Queue', 'QueueName'] },
      d: { 'Fn::Sub': '${AWS::StackName}-x' },
      e: { 'Fn::Join': [',', ['a', { Ref: 'B' }]] },
      f: 'plain',
    });
  });

  it('gives up on a document whose aliases expand past the budget', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    const [doc] = parseAllDocuments(lines.join('\n'));
    expect(cfnValue(doc!)).toBeUndefined();
  });
});

describe('AWS SAM template on sam-orders', () => {
  it('makes each CodeUri package a function component', () => {
    expect(m.components.map((c) => [c.path, c.kind, c.kindReason])).toEqual([
      ['order-events', 'function', 'deployed as a SAM function sam-OrderEventsFunction'],
      ['orders-api', 'function', 'deployed as a SAM function sam-CreateOrderFunction'],
    ]);
    // The template's function resource is the evidence of how it is deployed.
    expect(m.components.find((c) => c.path === 'order-events')?.evidence).toContainEqual({ file: 'template.yaml', line: 74 });
  });

  it('reads functions with Globals, the handler in CodeUri, and events', () => {
    const fn = m.deployment.workloads.find((w) => w.id === 'workload:lambda:sam-OrderEventsFunction');
    expect(fn).toMatchObject({ component: 'component:order-events' });
    // FunctionName is a !Sub: the logical id names the function.
    expect(fn?.details).toMatchObject({
      source: 'sam',
      runtime: 'nodejs20.x',
      memoryMb: '256',
      timeoutSeconds: '10',
      handlerFile: 'order-events/src/index.ts',
      events: ['SQS OrderEventsQueue', 'Schedule cron(0 2 * * ? *)'],
      environment: ['ORDERS_TABLE', 'STAGE'],
    });
    expect(m.scaling.find((s) => s.id === 'scaling:lambda:sam-OrderEventsFunction')?.details).toMatchObject({ max: '5' });
  });

  it('turns Api events into endpoints of the handler component, with the authorizer', () => {
    expect(m.endpoints.map((e) => [e.id, e.component, e.auth?.mechanisms ?? null, e.evidence.find((x) => x.file === 'template.yaml')?.line])).toEqual([
      ['endpoint:orders-api:GET /orders/:orderId', 'component:orders-api', null, 67],
      ['endpoint:orders-api:POST /orders', 'component:orders-api', ['API Gateway authorizer CognitoAuth'], 44],
    ]);
  });

  it('follows !GetAtt to the queue, names it by its logical id when its name is a !Sub, and joins the producer by its variable', () => {
    expect(m.queues.map((q) => ({ id: q.id, producers: q.producers, consumers: q.consumers, envVars: q.details?.envVars }))).toEqual([
      { id: 'queue:OrderEventsQueue', producers: ['component:orders-api'], consumers: ['component:order-events'], envVars: ['ORDER_EVENTS_QUEUE_URL'] },
    ]);
    expect(m.dataStores.find((d) => d.id === 'datastore:dynamodb')?.details?.tables).toEqual(['OrdersTable']);
    expect(m.infrastructure.filter((i) => i.source === 'sam').map((i) => `${i.type} ${i.name}`)).toEqual([
      'AWS::Serverless::Function CreateOrderFunction',
      'AWS::Serverless::Function GetOrderFunction',
      'AWS::Serverless::Function OrderEventsFunction',
      'AWS::SQS::Queue OrderEventsQueue',
      'AWS::Serverless::Api OrdersApi',
      'AWS::DynamoDB::Table OrdersTable',
      'AWS::Cognito::UserPool UserPool',
    ]);
  });
});
