import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { ConfigValues } from './config-values.js';
import type { FileFacts, Site } from './detect.js';
import { ChannelNames } from './names.js';
import { IndexRules } from './rules.js';

/** The sites the index rules find in `file`, among these sources (`.env` files and others are read for declared values). */
function sitesOf(files: Record<string, string>, file: string, transports: string[] = []): FileFacts {
  const scripts = Object.fromEntries(Object.entries(files).filter(([f]) => /\.[jt]s$/.test(f)));
  const indexes = indexesOf(scripts);
  const resolve = resolverOf(scripts);
  const config = new ConfigValues({ files: Object.keys(files), read: (f) => files[f], yaml: () => undefined }, indexes);
  const rules = new IndexRules(new ChannelNames(new Evaluator(indexes, resolve), resolve, config), resolve, () => transports);
  const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
  rules.detect(file, indexes.get(file)!, facts);
  return facts;
}

const brief = (s: Site) =>
  `${s.role} ${s.tech} ${s.channel}${s.message ? ` (${s.message})` : ''}${s.env ? ` env ${s.env}` : ''} @${s.at.line}${s.via.length ? ` via ${s.via.map((l) => `${l.file}:${l.line}`).join(' ')}` : ''}`;

describe('messaging rules on the index', () => {
  it('reads NestJS, event-emitter, RabbitMQ and CQRS decorators, with names from an enum in another file', () => {
    const facts = sitesOf(
      {
        'src/topics.ts': "export enum Topic { Created = 'orders.created', Paid = 'orders.paid' }\n",
        'src/orders.controller.ts': [
          "import { EventPattern, MessagePattern } from '@nestjs/microservices';",
          "import { OnEvent } from '@nestjs/event-emitter';",
          "import { RabbitSubscribe } from '@golevelup/nestjs-rabbitmq';",
          "import { EventsHandler } from '@nestjs/cqrs';",
          "import { Topic } from './topics';",
          '@EventsHandler(OrderPlacedEvent)',
          'export class OrdersController {',
          '  @EventPattern(Topic.Created) created() {}',
          "  @MessagePattern({ cmd: 'sum' }) sum() {}",
          "  @OnEvent('order.audit') audit() {}",
          "  @RabbitSubscribe({ exchange: 'orders', routingKey: 'orders.*', queue: 'billing' }) bill() {}",
          '}',
        ].join('\n'),
      },
      'src/orders.controller.ts',
      ['KAFKA'],
    );
    expect(facts.sites.map(brief).sort()).toEqual([
      'consumer EventEmitter2 order.audit @10',
      'consumer Kafka orders.created @8',
      'consumer Kafka sum @9',
      'consumer NestJS CQRS EventBus OrderPlacedEvent @6',
      'consumer RabbitMQ billing (orders.*) @11',
      'declared RabbitMQ orders @11',
    ]);
    expect(facts.sites.find((s) => s.binding)?.binding).toBe('orders.* → billing');
  });

  it('follows a Kafka topic through a wrapper parameter to every caller, both sides of a conditional, and a concatenation', () => {
    const files = {
      'src/bus.ts': [
        "import { Kafka } from 'kafkajs';",
        'const producer = new Kafka({}).producer();',
        'export async function publishEvent(topic: string, value: string) {',
        '  await producer.send({ topic, messages: [{ value }] });',
        '}',
      ].join('\n'),
      'src/orders.ts': [
        "import { publishEvent } from './bus';",
        "const PREFIX = 'shop.';",
        'export async function settle(ok: boolean) {',
        "  await publishEvent(ok ? 'payment.captured' : 'payment.failed', '1');",
        "  await publishEvent(PREFIX + 'order.settled', '1');",
        '}',
      ].join('\n'),
    };
    expect(sitesOf(files, 'src/bus.ts').sites.map(brief)).toEqual([
      'producer Kafka payment.captured @4 via src/orders.ts:4',
      'producer Kafka payment.failed @4 via src/orders.ts:4',
      'producer Kafka shop.order.settled @4 via src/orders.ts:5',
    ]);
  });

  it('reads subscribe({ topics: Object.values(E) }), sendBatch, an SQS command with a declared URL and a chained v2 putEvents', () => {
    const facts = sitesOf(
      {
        '.env.example': 'ORDERS_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/orders\n',
        'src/worker.ts': [
          "import { SQSClient, ReceiveMessageCommand } from '@aws-sdk/client-sqs';",
          "import AWS from 'aws-sdk';",
          "enum Topics { A = 'audit.a', B = 'audit.b' }",
          'export async function run(consumer: any, producer: any, sqs: SQSClient) {',
          '  await consumer.subscribe({ topics: Object.values(Topics) });',
          "  await producer.sendBatch({ topicMessages: [{ topic: 'batch.one', messages: [] }] });",
          '  await sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.ORDERS_QUEUE_URL }));',
          "  const entry = { EventBusName: 'shop-bus', DetailType: 'OrderPlaced' };",
          '  await new AWS.EventBridge().putEvents({ Entries: [entry] }).promise();',
          '}',
        ].join('\n'),
      },
      'src/worker.ts',
    );
    expect(facts.sites.map(brief).sort()).toEqual([
      'consumer Amazon SQS orders env ORDERS_QUEUE_URL @7',
      'consumer Kafka audit.a @5',
      'consumer Kafka audit.b @5',
      'producer Amazon EventBridge OrderPlaced @9',
      'producer Amazon EventBridge shop-bus (OrderPlaced) @9',
      'producer Kafka batch.one @6',
    ]);
    expect(facts.sites.find((s) => s.tech === 'Amazon SQS')?.configAt).toEqual({ file: '.env.example', line: 1 });
  });

  it('takes a variable the infrastructure code sets in a function environment, and makes each detail-type an event', () => {
    const files = {
      'infra/stack.ts': [
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
        'const props = {',
        "  entry: 'services/billing/src/handler.ts',",
        "  environment: { EVENT_BUS: 'billing-bus', INVOICE_EVENT: 'Invoice.Issued', API_TOKEN: 'not-read' },",
        '};',
        "export const fn = (scope: any) => new NodejsFunction(scope, 'Billing', { ...props, memorySize: 256 });",
      ].join('\n'),
      'services/billing/src/handler.ts': [
        "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
        'const client = new EventBridgeClient({});',
        'export async function handler() {',
        '  await client.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.EVENT_BUS, DetailType: process.env.INVOICE_EVENT, Detail: "{}" }] }));',
        '}',
      ].join('\n'),
    };
    const facts = sitesOf(files, 'services/billing/src/handler.ts');
    expect(facts.sites.map(brief).sort()).toEqual([
      'producer Amazon EventBridge Invoice.Issued env INVOICE_EVENT @4',
      'producer Amazon EventBridge billing-bus (Invoice.Issued) env EVENT_BUS @4',
    ]);
    expect(facts.sites.map((s) => s.configAt)).toEqual([
      { file: 'infra/stack.ts', line: 4 },
      { file: 'infra/stack.ts', line: 4 },
    ]);
  });

  it('takes a constructor parameter from a subclass super(…) call, and keeps an unknown name as its label only when a package names it', () => {
    const facts = sitesOf(
      {
        'src/base.ts': [
          "import { EventPattern } from '@nestjs/microservices';",
          'export abstract class Base {',
          '  constructor(protected readonly topic: string) {}',
          '  run(producer: any) { return producer.send({ topic: this.topic, messages: [] }); }',
          '}',
          "export class Orders extends Base { constructor() { super('orders.v1'); } }",
          'export class Lost { @EventPattern(Topics.OrderPlaced) on() {} }',
          "import { Topics } from '@acme/contracts';",
          'export async function replay(load: () => Promise<{ topic: string }>) {',
          '  const target = await load();',
          '  class Later { @EventPattern(target.topic) on() {} }',
          '  return Later;',
          '}',
        ].join('\n'),
      },
      'src/base.ts',
    );
    // `Topics.OrderPlaced` comes from a package: the same label wherever it is used. `target.topic` is run-time data: no channel.
    expect(facts.sites.map(brief)).toEqual(['producer Kafka orders.v1 @4 via src/base.ts:6', 'consumer NestJS microservices Topics.OrderPlaced @7']);
    expect(facts.unresolved).toEqual([
      { line: 7, what: 'message pattern', labelled: 'Topics.OrderPlaced' },
      { line: 11, what: 'message pattern' },
    ]);
  });
});
