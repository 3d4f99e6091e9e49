/**
 * Fan-out topology (topology.ts): SNS subscription filter policies and EventBridge rule patterns
 * choose which publishers feed a queue, and channels one stack exports are the ones another
 * imports by export name (CDK and CloudFormation/Serverless, either side).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Model, Queue } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { joinQueuesByExport, passes } from './topology.js';

afterAll(removeTemps);

const queue = (id: string, details: Queue['details'], more: Partial<Queue> = {}): Queue => ({
  id,
  name: id.slice(id.lastIndexOf(':') + 1),
  tech: 'Amazon SNS',
  producers: [],
  consumers: [],
  evidence: [{ file: 'stack.ts', line: 1 }],
  details,
  ...more,
});

describe('filters', () => {
  it('pass a publish that gives one of the allowed values of every name the filter names', () => {
    expect(passes(['actionType=customer_otp', 'actionType=customer_sms'], ['actionType=customer_sms'])).toBe(true);
    expect(passes(['actionType=customer_email'], ['actionType=customer_otp'])).toBe(false);
    expect(passes(['detail-type=OrderPlaced', 'source=shop.orders'], ['detail-type=OrderPlaced'])).toBe(false);
    expect(passes(['detail-type=OrderPlaced', 'source=shop.orders'], ['detail-type=OrderPlaced', 'source=shop.orders'])).toBe(true);
    // A value that holds `=` is compared whole.
    expect(passes(['expr=a=b'], ['expr=a=b'])).toBe(true);
  });

  it('pass nothing when their values are not known, nor a publish whose attributes are not', () => {
    expect(passes(['actionType=?'], ['actionType=customer_otp'])).toBe(false);
    expect(passes(['actionType=customer_otp'], [])).toBe(false);
  });
});

describe('joinQueuesByExport', () => {
  it('merges an imported channel into the one that exports its name, and renames the links to it', () => {
    const m: Pick<Model, 'queues'> = {
      queues: [
        queue('queue:CustomerTopic', { exportNames: ['customer-topic'] }),
        queue('queue:export:customer-topic', { kind: 'topic', drainedBy: ['queue:order_queue'] }, { evidence: [{ file: 'billing/stack.ts', line: 9 }] }),
        queue('queue:order_queue', { fedBy: ['queue:export:customer-topic'] }, { tech: 'Amazon SQS' }),
      ],
    };
    joinQueuesByExport(m);
    expect(m.queues.map((q) => q.id)).toEqual(['queue:CustomerTopic', 'queue:order_queue']);
    expect(m.queues[0]!.details?.drainedBy).toEqual(['queue:order_queue']);
    expect(m.queues[0]!.evidence).toContainEqual({ file: 'billing/stack.ts', line: 9 });
    expect(m.queues[1]!.details?.fedBy).toEqual(['queue:CustomerTopic']);
  });

  it('keeps an import of another repository when it links channels, and drops one that only carried a variable', () => {
    const m: Pick<Model, 'queues'> = {
      queues: [
        queue('queue:export:audit-topic', { drainedBy: ['queue:audit'] }),
        queue('queue:export:mailer', { envVars: ['MAILER_TOPIC'] }),
        queue('queue:audit', { fedBy: ['queue:export:audit-topic'] }),
      ],
    };
    joinQueuesByExport(m);
    expect(m.queues.map((q) => q.id)).toEqual(['queue:audit', 'queue:export:audit-topic']);
  });

  it('leaves an export name two channels claim alone', () => {
    const m: Pick<Model, 'queues'> = {
      queues: [
        queue('queue:a', { exportNames: ['shared'] }),
        queue('queue:b', { exportNames: ['shared'] }),
        queue('queue:export:shared', { envVars: ['SHARED'] }),
      ],
    };
    joinQueuesByExport(m);
    expect(m.queues.map((q) => q.id)).toEqual(['queue:a', 'queue:b']);
  });
});

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** Two stacks: a Serverless service that owns and publishes to `CustomerTopic` and a CDK one that subscribes to it and exports its own topic back. */
const shop = (serverlessEnv: string): Record<string, string> => ({
  'package.json': json({ name: 'resale', private: true, workspaces: ['accounts', 'orders'] }),
  'accounts/package.json': json({ name: 'accounts', dependencies: { '@aws-sdk/client-sns': '^3.600.0' }, devDependencies: { serverless: '^3.38.0' } }),
  'accounts/serverless.yml': [
    'service: accounts',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  environment:',
    '    CUSTOMER_TOPIC: { Ref: CustomerTopic }',
    serverlessEnv,
    'functions:',
    '  checkout:',
    '    handler: src/checkout.handler',
    '    events:',
    '      - httpApi: { path: /checkout, method: post }',
    'resources:',
    '  Resources:',
    '    CustomerTopic:',
    '      Type: AWS::SNS::Topic',
    '      Properties:',
    '        TopicName: CustomerTopic',
    '  Outputs:',
    '    CustomerTopicArn:',
    '      Value: !Ref CustomerTopic',
    '      Export:',
    '        Name: customer-topic',
    '',
  ].join('\n'),
  'accounts/src/checkout.ts': [
    "import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';",
    'const sns = new SNSClient({});',
    'export const handler = async () => {',
    "  await sns.send(new PublishCommand({ TopicArn: process.env.CUSTOMER_TOPIC, Message: '{}', MessageAttributes: { actionType: { DataType: 'String', StringValue: 'place_order' } } }));",
    "  await sns.send(new PublishCommand({ TopicArn: process.env.RECEIPTS_TOPIC, Message: '{}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'receipt' } } }));",
    '};',
    '',
  ].join('\n'),
  'orders/package.json': json({ name: 'orders', dependencies: { 'aws-cdk-lib': '^2.150.0', constructs: '^10.3.0' } }),
  'orders/cdk.json': json({ app: 'npx ts-node bin/orders.ts' }),
  'orders/bin/orders.ts':
    "import { App } from 'aws-cdk-lib';\nimport { OrdersStack } from '../lib/orders-stack';\nnew OrdersStack(new App(), 'OrdersStack');\n",
  'orders/lib/orders-stack.ts': [
    "import * as cdk from 'aws-cdk-lib';",
    "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
    "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
    "import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';",
    "import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';",
    "import { Queue } from 'aws-cdk-lib/aws-sqs';",
    "import type { Construct } from 'constructs';",
    'export class OrdersStack extends cdk.Stack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    "    const orderQueue = new Queue(this, 'order_queue');",
    "    const refundQueue = new Queue(this, 'refund_queue');",
    "    const customers = Topic.fromTopicArn(this, 'Customers', cdk.Fn.importValue('customer-topic'));",
    "    customers.addSubscription(new SqsSubscription(orderQueue, { filterPolicy: { actionType: SubscriptionFilter.stringFilter({ allowlist: ['place_order'] }) } }));",
    "    customers.addSubscription(new SqsSubscription(refundQueue, { filterPolicy: { actionType: SubscriptionFilter.stringFilter({ allowlist: ['refund_order'] }) } }));",
    "    const receipts = new Topic(this, 'receipts_topic');",
    "    const receiptQueue = new Queue(this, 'receipt_queue');",
    "    receipts.addSubscription(new SqsSubscription(receiptQueue, { filterPolicy: { kind: SubscriptionFilter.stringFilter({ allowlist: ['receipt'] }) } }));",
    "    new cdk.CfnOutput(this, 'ReceiptsArn', { value: receipts.topicArn, exportName: 'receiptsArn' });",
    "    const place = new NodejsFunction(this, 'PlaceOrder', { entry: 'src/place.ts' });",
    '    place.addEventSource(new SqsEventSource(orderQueue));',
    "    const refund = new NodejsFunction(this, 'Refund', { entry: 'src/place.ts' });",
    '    refund.addEventSource(new SqsEventSource(refundQueue));',
    "    const receipt = new NodejsFunction(this, 'Receipt', { entry: 'src/place.ts' });",
    '    receipt.addEventSource(new SqsEventSource(receiptQueue));',
    '  }',
    '}',
    '',
  ].join('\n'),
  'orders/src/place.ts':
    'export const handler = async (event: { Records: { body: string }[] }) => {\n  for (const r of event.Records) console.log(r.body);\n};\n',
});

const ends = (m: Model) => Object.fromEntries(m.queues.map((q) => [q.id, `${q.producers.join(',')} -> ${q.consumers.join(',')}`]));

describe('fan-out across stacks, end to end', () => {
  it('credits a queue with the publishers its subscription filter lets through, across an imported topic, and none when nothing passes', async () => {
    const m = await analyseRepo(tempRepo('fanout', shop('    RECEIPTS_TOPIC:\n      Fn::ImportValue: receiptsArn')));
    expect(ends(m)).toEqual({
      'queue:CustomerTopic': 'component:accounts -> component:orders',
      'queue:order_queue': 'component:accounts -> component:orders',
      'queue:receipt_queue': 'component:accounts -> component:orders',
      'queue:receipts_topic': 'component:accounts -> component:orders',
      // Nothing publishes `refund_order`.
      'queue:refund_queue': ' -> component:orders',
    });
    const topic = m.queues.find((q) => q.id === 'queue:CustomerTopic')!;
    expect(topic.details?.exportNames).toEqual(['customer-topic']);
    expect(topic.details?.drainedBy).toEqual(['queue:order_queue', 'queue:refund_queue']);
    expect(topic.details?.messageAttributes).toEqual(['accounts/src/checkout.ts:4 actionType=place_order']);
    expect(m.queues.find((q) => q.id === 'queue:order_queue')!.details?.filters).toEqual(['actionType=place_order']);
    // The code's `process.env.RECEIPTS_TOPIC` is the topic the orders stack exports.
    expect(m.queues.find((q) => q.id === 'queue:receipts_topic')!.details?.envVars).toEqual(['RECEIPTS_TOPIC']);
    expect(m.warnings.filter((w) => w.message.includes('ImportValue'))).toEqual([]);
  }, 60_000);

  it('reads "Fn:ImportValue" (one colon) as the import it is meant to be, and says CloudFormation would reject it', async () => {
    const m = await analyseRepo(tempRepo('fanout-slip', shop('    RECEIPTS_TOPIC:\n      "Fn:ImportValue": receiptsArn')));
    expect(ends(m)['queue:receipt_queue']).toBe('component:accounts -> component:orders');
    expect(m.warnings.filter((w) => w.message.includes('Fn:ImportValue')).map((w) => `${w.file}:${w.line}`)).toEqual(['accounts/serverless.yml:7']);
  }, 60_000);

  it('reads the filter policy of a CloudFormation subscription of a queue to a topic', async () => {
    const m = await analyseRepo(
      tempRepo('fanout-sam', {
        'package.json': json({ name: 'alerts', dependencies: { '@aws-sdk/client-sns': '^3.600.0' } }),
        'template.yaml': [
          "AWSTemplateFormatVersion: '2010-09-09'",
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  AlertsTopic:',
          '    Type: AWS::SNS::Topic',
          '  PagerQueue:',
          '    Type: AWS::SQS::Queue',
          '  DigestQueue:',
          '    Type: AWS::SQS::Queue',
          '  PagerSubscription:',
          '    Type: AWS::SNS::Subscription',
          '    Properties:',
          '      Protocol: sqs',
          '      TopicArn: !Ref AlertsTopic',
          '      Endpoint: !GetAtt PagerQueue.Arn',
          '      FilterPolicy:',
          '        severity: [critical, high]',
          '  DigestSubscription:',
          '    Type: AWS::SNS::Subscription',
          '    Properties:',
          '      Protocol: sqs',
          '      TopicArn: !Ref AlertsTopic',
          '      Endpoint: !GetAtt DigestQueue.Arn',
          '      FilterPolicy:',
          '        severity: [low]',
          '  RaiseFunction:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      CodeUri: raise/',
          '      Handler: index.handler',
          '      Runtime: nodejs20.x',
          '      Environment:',
          '        Variables:',
          '          ALERTS_TOPIC: !Ref AlertsTopic',
          '  PagerFunction:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      CodeUri: pager/',
          '      Handler: index.handler',
          '      Runtime: nodejs20.x',
          '      Events:',
          '        Pages:',
          '          Type: SQS',
          '          Properties:',
          '            Queue: !GetAtt PagerQueue.Arn',
          '',
        ].join('\n'),
        'raise/index.ts': [
          "import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';",
          'const sns = new SNSClient({});',
          'export const handler = async () => {',
          "  await sns.send(new PublishCommand({ TopicArn: process.env.ALERTS_TOPIC, Message: 'disk full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } } }));",
          '};',
          '',
        ].join('\n'),
        'pager/index.ts': 'export const handler = async (event: { Records: unknown[] }) => console.log(event.Records.length);\n',
      }),
    );
    const pager = m.queues.find((q) => q.id === 'queue:PagerQueue')!;
    const digest = m.queues.find((q) => q.id === 'queue:DigestQueue')!;
    expect(pager.details?.filters).toEqual(['severity=critical', 'severity=high']);
    expect(pager.details?.fedBy).toEqual(['queue:AlertsTopic']);
    expect(pager.producers).toEqual(m.queues.find((q) => q.id === 'queue:AlertsTopic')!.producers);
    expect(pager.producers.length).toBe(1);
    expect(digest.producers).toEqual([]);
  }, 60_000);

  it('gives the consumers of a queue an EventBridge rule feeds to the detail-type the rule matches', async () => {
    const m = await analyseRepo(
      tempRepo('fanout-rule', {
        'package.json': json({ name: 'shop', dependencies: { 'aws-cdk-lib': '^2.150.0', constructs: '^10.3.0', '@aws-sdk/client-eventbridge': '^3.600.0' } }),
        'cdk.json': json({ app: 'npx ts-node bin/app.ts' }),
        'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Shop } from '../lib/shop';\nnew Shop(new App(), 'Shop');\n",
        'lib/shop.ts': [
          "import { Stack } from 'aws-cdk-lib';",
          "import { EventBus, Rule } from 'aws-cdk-lib/aws-events';",
          "import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';",
          "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
          "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
          "import { Queue } from 'aws-cdk-lib/aws-sqs';",
          "import type { Construct } from 'constructs';",
          'export class Shop extends Stack {',
          '  constructor(scope: Construct, id: string) {',
          '    super(scope, id);',
          "    const bus = new EventBus(this, 'Bus', { eventBusName: 'shop-bus' });",
          "    const orders = new Queue(this, 'OrderQueue', { queueName: 'order-queue' });",
          "    const rule = new Rule(this, 'Checkout', { eventBus: bus, eventPattern: { source: ['shop.basket'], detailType: ['CheckoutBasket'] } });",
          '    rule.addTarget(new SqsQueue(orders));',
          "    const basket = new NodejsFunction(this, 'Basket', { entry: 'services/basket/index.ts', environment: { BUS: bus.eventBusName } });",
          "    const ordering = new NodejsFunction(this, 'Ordering', { entry: 'services/ordering/index.ts' });",
          '    ordering.addEventSource(new SqsEventSource(orders));',
          '  }',
          '}',
          '',
        ].join('\n'),
        'services/basket/index.ts': [
          "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
          'const events = new EventBridgeClient({});',
          'export const handler = async () => {',
          "  await events.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.BUS, Source: 'shop.basket', DetailType: 'CheckoutBasket', Detail: '{}' }] }));",
          '};',
          '',
        ].join('\n'),
        'services/ordering/index.ts': 'export const handler = async (event: { Records: unknown[] }) => console.log(event.Records.length);\n',
      }),
    );
    const checkout = m.queues.find((q) => q.id === 'queue:CheckoutBasket')!;
    const orders = m.queues.find((q) => q.id === 'queue:order-queue')!;
    expect(orders.consumers.length).toBe(1);
    expect(checkout.consumers).toEqual(orders.consumers);
    expect(checkout.details?.drainedBy).toEqual(['queue:order-queue']);
    expect(orders.producers).toEqual(checkout.producers);
    expect(orders.details?.filters).toEqual(['detail-type=CheckoutBasket', 'source=shop.basket']);
  }, 60_000);
});
