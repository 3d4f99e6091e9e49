import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { ConfigValues } from './config-values.js';
import { Detector, type FileFacts, type Site, type TechContext } from './detect.js';
import { ChannelNames } from './names.js';

/** The sites the detector finds in `file`, among these sources, for a file that may talk to the `tech` families. */
function sitesOf(files: Record<string, string>, file: string, tech: TechContext = []): FileFacts {
  const indexes = indexesOf(files);
  const resolve = resolverOf(files);
  const config = new ConfigValues({ files: Object.keys(files), read: (f) => files[f], yaml: () => undefined });
  const detector = new Detector(
    new ChannelNames(new Evaluator(indexes, resolve), resolve, config),
    resolve,
    () => [],
    () => tech,
  );
  const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
  detector.detect(file, indexes.get(file)!, facts);
  return facts;
}

const brief = (s: Site) =>
  `${s.role} ${s.tech} ${s.channel}${s.message ? ` (${s.message})` : ''} @${s.at.line}${s.via.length ? ` via ${s.via.map((l) => `${l.file}:${l.line}`).join(' ')}` : ''}`;

describe('messaging detector on the index', () => {
  it('reads BullMQ queues, a worker and the jobs its processor switches on, and an injected queue', () => {
    const facts = sitesOf(
      {
        'src/names.ts': "export enum Q { Mail = 'mail' }\nexport const Jobs = { Welcome: 'welcome' } as const;\n",
        'src/worker.ts': [
          "import { Queue, Worker } from 'bullmq';",
          "import { Q, Jobs } from './names';",
          'export const queue = new Queue(Q.Mail);',
          'new Worker(Q.Mail, async (job) => {',
          '  switch (job.name) {',
          '    case Jobs.Welcome: return 1;',
          "    case 'reset': return 2;",
          '  }',
          '});',
        ].join('\n'),
      },
      'src/worker.ts',
    );
    expect(facts.sites.map(brief).sort()).toEqual([
      'consumer BullMQ mail (reset) @4',
      'consumer BullMQ mail (welcome) @4',
      'consumer BullMQ mail @4',
      'producer BullMQ mail @3',
    ]);
    const service = sitesOf(
      {
        'src/mail.service.ts': [
          "import { InjectQueue } from '@nestjs/bullmq';",
          "import { Queue } from 'bullmq';",
          'export class MailService {',
          "  constructor(@InjectQueue('mail') private readonly mail: Queue) {}",
          "  send() { return this.mail.add('welcome', {}); }",
          '}',
        ].join('\n'),
      },
      'src/mail.service.ts',
    );
    expect(service.sites.map(brief)).toEqual(['producer BullMQ mail (welcome) @5']);
  });

  it('follows a parameter typed Queue to the queue each caller passes', () => {
    const facts = sitesOf(
      {
        'src/jobs.ts': [
          "import { Queue } from 'bullmq';",
          'function enqueue(queue: Queue, data: unknown) {',
          "  return queue.add('job', data);",
          '}',
          "const reports = new Queue('reports');",
          'export const run = () => enqueue(reports, {});',
        ].join('\n'),
      },
      'src/jobs.ts',
    );
    expect(facts.sites.map(brief).sort()).toEqual(['producer BullMQ reports (job) @3 via src/jobs.ts:6', 'producer BullMQ reports @5']);
  });

  it('reads amqplib channels, with an exchange named by a constant and the routing key a caller passes as message', () => {
    const facts = sitesOf(
      {
        'src/bus.ts': [
          "import * as amqp from 'amqplib';",
          "const exchange = 'orders';",
          'export async function publish(body: Buffer, key: string) {',
          "  const ch = await (await amqp.connect('amqp://localhost')).createChannel();",
          "  await ch.assertQueue('billing');",
          "  await ch.bindQueue('billing', exchange, 'orders.*');",
          '  ch.publish(exchange, key, body);',
          "  ch.consume('billing', () => {});",
          '}',
          "export const placed = () => publish(Buffer.from(''), 'orders.placed');",
        ].join('\n'),
      },
      'src/bus.ts',
      ['amqp'],
    );
    expect(facts.sites.map(brief).sort()).toEqual([
      'consumer RabbitMQ billing @8',
      'declared RabbitMQ billing @5',
      'declared RabbitMQ orders @6',
      // The routing key is the caller's (line 10), so the caller is the producer of that message.
      'producer RabbitMQ orders (orders.placed) @7 via src/bus.ts:10',
    ]);
    expect(facts.sites.find((s) => s.binding)?.binding).toBe('orders.* → billing');
  });

  it('reads names destructured from a CommonJS config module, and the queue a consume of assertQueue(…).queue names', () => {
    const facts = sitesOf(
      {
        'src/config.js': "module.exports = {\n  EXCHANGE_NAME: 'SHOP',\n  QUEUE_NAME: 'USER_QUEUE',\n  BINDING_KEY: 'USER_SERVICE',\n};\n",
        'src/broker.js': [
          "const amqplib = require('amqplib');",
          "const { EXCHANGE_NAME, QUEUE_NAME, BINDING_KEY } = require('./config');",
          'module.exports.subscribe = async (channel, service) => {',
          '  const appQueue = await channel.assertQueue(QUEUE_NAME);',
          '  await channel.bindQueue(appQueue.queue, EXCHANGE_NAME, BINDING_KEY);',
          '  channel.consume(appQueue.queue, (msg) => service.handle(msg));',
          '};',
          'module.exports.publish = (channel, key, body) => channel.publish(EXCHANGE_NAME, key, Buffer.from(body));',
        ].join('\n'),
      },
      'src/broker.js',
      ['amqp'],
    );
    expect(facts.sites.map(brief).sort()).toEqual([
      'consumer RabbitMQ USER_QUEUE @6',
      'declared RabbitMQ SHOP @5',
      'declared RabbitMQ USER_QUEUE @4',
      'producer RabbitMQ SHOP @8',
    ]);
    expect(facts.sites.find((s) => s.binding)?.binding).toBe('USER_SERVICE → USER_QUEUE');
    expect(facts.unresolved).toEqual([]);
  });

  it("takes a parameter's default as its value where the caller passes nothing, and a helper's exchange from each call", () => {
    const facts = sitesOf(
      {
        'src/bus.ts': [
          "import * as amqp from 'amqplib';",
          'export function publish(ch: amqp.Channel, body: Buffer, key = "orders.placed", exchange = "orders") {',
          '  ch.publish(exchange, key, body);',
          '}',
          "export const other = (ch: amqp.Channel) => publish(ch, Buffer.from(''), undefined, 'audit');",
        ].join('\n'),
      },
      'src/bus.ts',
      ['amqp'],
    );
    expect(facts.sites.map(brief)).toEqual(['producer RabbitMQ audit (orders.placed) @3 via src/bus.ts:5']);
  });

  it('tells a Redis client from a GraphQL PubSub, and reads Redis lists and NATS subjects', () => {
    const redis = sitesOf(
      {
        'src/cache.ts': [
          "import Redis from 'ioredis';",
          "import { PubSub } from 'graphql-subscriptions';",
          'const client = new Redis();',
          'const pubsub = new PubSub();',
          'const sub = client.duplicate();',
          "client.publish('prices', '1');",
          "sub.subscribe('prices');",
          "pubsub.publish('prices', {});",
          "client.lpush('jobs', 'x');",
          "client.brpop(['jobs'], 0);",
        ].join('\n'),
      },
      'src/cache.ts',
      ['redis'],
    );
    expect(redis.sites.map(brief).sort()).toEqual(['consumer Redis pub/sub prices @7', 'producer Redis pub/sub prices @6']);
    expect(redis.lists.map((l) => `${l.role} ${l.key} ${l.command}`)).toEqual(['producer jobs lpush', 'consumer jobs brpop']);
    const nats = sitesOf({ 'src/n.ts': "import { connect } from 'nats';\nconst nc = await connect();\nnc.publish('orders.created', '');\n" }, 'src/n.ts', [
      'nats',
    ]);
    expect(nats.sites.map(brief)).toEqual(['producer NATS orders.created @3']);
  });

  it('reads Google Pub/Sub chains and a subscription mapped to its topic', () => {
    const facts = sitesOf(
      {
        'src/ps.ts': [
          "import { PubSub } from '@google-cloud/pubsub';",
          'const pubsub = new PubSub();',
          "pubsub.topic('orders').publishMessage({ data: Buffer.from('') });",
          "pubsub.topic('orders').createSubscription('orders-sub');",
          "pubsub.subscription('orders-sub').on('message', () => {});",
        ].join('\n'),
      },
      'src/ps.ts',
      ['pubsub'],
    );
    expect(facts.sites.map(brief).sort()).toEqual(['consumer Google Pub/Sub orders-sub @5', 'producer Google Pub/Sub orders @3']);
    expect([...facts.subscriptions]).toEqual([['orders-sub', 'orders']]);
  });

  it('reads EventEmitter buses, not reserved names, and a Publisher subclass built and published at once', () => {
    const bus = sitesOf(
      {
        'src/bus.ts': [
          "import { EventEmitter } from 'events';",
          'export class Bus extends EventEmitter {',
          "  placed() { this.emit('order.placed', {}); this.emit('error', {}); }",
          '}',
        ].join('\n'),
      },
      'src/bus.ts',
    );
    expect(bus.sites.map(brief)).toEqual(['producer EventEmitter order.placed @3']);
    const files = {
      'src/created.ts': [
        "import { Publisher } from '@acme/nats-common';",
        "export class CreatedPublisher extends Publisher { readonly subject = 'ticket:created'; }",
      ].join('\n'),
      'src/route.ts': [
        "import { CreatedPublisher } from './created';",
        'export const go = async (c: unknown) => { await new CreatedPublisher(c).publish({}); };',
      ].join('\n'),
    };
    expect(sitesOf(files, 'src/created.ts', ['nats']).sites.map(brief)).toEqual(['producer NATS ticket:created @2']);
    // The publish call on the instance is no channel of its own (nothing unresolved either).
    const route = sitesOf(files, 'src/route.ts', ['nats']);
    expect([route.sites, route.unresolved]).toEqual([[], []]);
  });
});
