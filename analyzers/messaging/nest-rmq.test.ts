import { beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';
import { ConfigValues } from './config-values.js';
import { Detector, type FileFacts, type Site } from './detect.js';
import { ChannelNames } from './names.js';
import { NestRmq } from './nest-rmq.js';

/**
 * The sites the detector finds in every script among these sources (`.env` files are read for
 * declared values), each script's component being its first two folders, with the transports each
 * component configures.
 */
function sitesOf(files: Record<string, string>, transports: Record<string, string[]> = {}): { sites: Site[]; warnings: string[] } {
  const scripts = Object.fromEntries(Object.entries(files).filter(([f]) => /\.[jt]s$/.test(f)));
  const indexes = indexesOf(scripts);
  const resolve = resolverOf(scripts);
  const config = new ConfigValues({ files: Object.keys(files), read: (f) => files[f], yaml: () => undefined }, indexes);
  const names = new ChannelNames(new Evaluator(indexes, resolve), resolve, config);
  const component = (f: string) => f.split('/').slice(0, 2).join('/');
  const transportsOf = (f: string) => transports[component(f)] ?? [];
  const rmq = new NestRmq(names, Object.keys(scripts), component, transportsOf);
  const detector = new Detector(names, resolve, transportsOf, () => [], rmq);
  const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
  for (const [file, idx] of indexes) detector.detect(file, idx, facts);
  return { sites: [...facts.sites, ...rmq.serverSites()], warnings: rmq.warnings.map((w) => `${w.file}:${w.line} ${w.message}`) };
}

const brief = (s: Site) =>
  `${s.role} ${s.tech} ${s.kind} ${s.channel}${s.message ? ` (${s.message})` : ''}${s.env ? ` env ${s.env}` : ''} @${s.at.file}:${s.at.line}${s.via.length ? ` via ${s.via.map((l) => `${l.file}:${l.line}`).join(' ')}` : ''}`;

const CONTROLLER = [
  "import { Controller } from '@nestjs/common';",
  "import { EventPattern, MessagePattern } from '@nestjs/microservices';",
  '@Controller()',
  'export class OrdersController {',
  "  @MessagePattern('get-details') details() {}",
  "  @EventPattern({ cmd: 'order-placed' }) placed() {}",
  '}',
].join('\n');

/** A service sending `get-details` through the client injected as 'ORDERS'. */
const SHOP_SERVICE = [
  "import { Inject } from '@nestjs/common';",
  "import { ClientProxy } from '@nestjs/microservices';",
  'export class ShopService {',
  "  constructor(@Inject('ORDERS') private readonly orders: ClientProxy) {}",
  "  details() { return this.orders.send('get-details', {}); }",
  '}',
].join('\n');

describe('NestJS over RabbitMQ: the channel is the queue', () => {
  it('names the channel by the queue a shared helper gives the microservice (an environment default), and a @Client field’s queue', () => {
    const { sites, warnings } = sitesOf(
      {
        'libs/common/rmq.ts': [
          "import { RmqOptions, Transport } from '@nestjs/microservices';",
          'export function getRmqOptions(queue: string): RmqOptions {',
          '  return { transport: Transport.RMQ, options: { urls: [process.env.RABBITMQ_URL], queue: process.env[queue] ?? queue, queueOptions: { durable: true } } };',
          '}',
        ].join('\n'),
        'apps/orders/main.ts': [
          "import { NestFactory } from '@nestjs/core';",
          "import { getRmqOptions } from '../../libs/common/rmq';",
          'async function bootstrap() {',
          "  const app = await NestFactory.createMicroservice(AppModule, getRmqOptions(process.env.ORDERS_QUEUE ?? 'orders_queue'));",
          '  await app.listen();',
          '}',
        ].join('\n'),
        'apps/orders/orders.controller.ts': CONTROLLER,
        'apps/shop/checkout.ts': [
          "import { Client, ClientProxy, Transport } from '@nestjs/microservices';",
          'export class Checkout {',
          "  @Client({ transport: Transport.RMQ, options: { urls: ['amqp://rabbit'], queue: 'orders_queue' } })",
          '  private readonly orders: ClientProxy;',
          "  place() { return this.orders.emit({ cmd: 'order-placed' }, {}); }",
          '}',
        ].join('\n'),
      },
      { 'apps/orders': ['RMQ'], 'apps/shop': ['RMQ'], 'libs/common': ['RMQ'] },
    );
    expect(sites.map(brief).sort()).toEqual([
      'consumer RabbitMQ queue orders_queue (get-details) env ORDERS_QUEUE @apps/orders/orders.controller.ts:5',
      'consumer RabbitMQ queue orders_queue (order-placed) env ORDERS_QUEUE @apps/orders/orders.controller.ts:6',
      'consumer RabbitMQ queue orders_queue env ORDERS_QUEUE @apps/orders/main.ts:4',
      'producer RabbitMQ queue orders_queue (order-placed) @apps/shop/checkout.ts:5',
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads ClientsModule.register({ clients }) and a registerAsync useClass, and finds a client by the token it is injected with, per component', () => {
    const { sites } = sitesOf(
      {
        'apps/api/tokens.ts': "export const INVOICES = Symbol('INVOICES');\n",
        'apps/api/app.module.ts': [
          "import { Module } from '@nestjs/common';",
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "import { INVOICES } from './tokens';",
          "import { MailerOptions } from './mailer.options';",
          '@Module({',
          '  imports: [',
          '    ClientsModule.register({',
          "      clients: [{ name: INVOICES, transport: Transport.RMQ, options: { queue: 'invoices' } }],",
          '      isGlobal: true,',
          '    }),',
          "    ClientsModule.registerAsync([{ name: 'MAILER', useClass: MailerOptions }]),",
          '  ],',
          '})',
          'export class AppModule {}',
        ].join('\n'),
        'apps/api/mailer.options.ts': [
          "import { Transport } from '@nestjs/microservices';",
          'export class MailerOptions {',
          "  createClientOptions() { return { transport: Transport.RMQ, options: { queue: 'mail' } }; }",
          '}',
        ].join('\n'),
        'apps/api/billing.service.ts': [
          "import { Inject } from '@nestjs/common';",
          "import { ClientProxy } from '@nestjs/microservices';",
          "import { INVOICES } from './tokens';",
          'export class BillingService {',
          "  constructor(@Inject(INVOICES) private readonly invoices: ClientProxy, @Inject('MAILER') private readonly mailer: ClientProxy) {}",
          "  bill() { this.invoices.send('create-invoice', {}); this.mailer.emit('invoice-sent', {}); }",
          '}',
        ].join('\n'),
        // Another component registers the same token for another queue: not the API's.
        'apps/worker/worker.module.ts': [
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "ClientsModule.register([{ name: 'MAILER', transport: Transport.RMQ, options: { queue: 'mail-eu' } }]);",
        ].join('\n'),
      },
      { 'apps/api': ['RMQ'], 'apps/worker': ['RMQ'] },
    );
    expect(sites.map(brief).sort()).toEqual([
      'producer RabbitMQ queue invoices (create-invoice) @apps/api/billing.service.ts:6',
      'producer RabbitMQ queue mail (invoice-sent) @apps/api/billing.service.ts:6',
    ]);
  });

  it('reads a dynamic module registering one token for the queue each importing module gives, sent through a shared wrapper', () => {
    const { sites, warnings } = sitesOf(
      {
        'libs/queue/queue.module.ts': [
          "import { DynamicModule, Module } from '@nestjs/common';",
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "import { QueueClient } from './queue.client';",
          '@Module({ providers: [QueueClient], exports: [QueueClient] })',
          'export class QueueModule {',
          '  static register(queueName: string): DynamicModule {',
          '    return {',
          '      module: QueueModule,',
          "      imports: [ClientsModule.register([{ name: 'QUEUE_CLIENT', transport: Transport.RMQ, options: { queue: queueName, queueOptions: { durable: true } } }])],",
          '    };',
          '  }',
          '}',
        ].join('\n'),
        'libs/queue/queue.client.ts': [
          "import { Inject, Injectable } from '@nestjs/common';",
          "import { ClientProxy } from '@nestjs/microservices';",
          '@Injectable()',
          'export class QueueClient {',
          "  constructor(@Inject('QUEUE_CLIENT') private readonly client: ClientProxy) {}",
          '  emit(pattern: string, data: unknown) { return this.client.emit(pattern, data); }',
          '}',
        ].join('\n'),
        'apps/orders/app.module.ts': [
          "import { QueueModule } from '../../libs/queue/queue.module';",
          "@Module({ imports: [QueueModule.register('payments_queue')] })",
          'export class AppModule {}',
        ].join('\n'),
        'apps/orders/orders.service.ts': [
          "import { QueueClient } from '../../libs/queue/queue.client';",
          'export class OrdersService {',
          '  constructor(private readonly queue: QueueClient) {}',
          "  place() { this.queue.emit('order-placed', {}); }",
          '}',
        ].join('\n'),
        'apps/billing/app.module.ts': [
          "import { QueueModule } from '../../libs/queue/queue.module';",
          "@Module({ imports: [QueueModule.register('mail_queue')] })",
          'export class AppModule {}',
        ].join('\n'),
      },
      { 'apps/orders': ['RMQ'], 'apps/billing': ['RMQ'], 'libs/queue': ['RMQ'] },
    );
    // The orders service chose the pattern, so its registration (not billing's) names the queue.
    expect(sites.map(brief)).toEqual([
      'producer RabbitMQ queue payments_queue (order-placed) @libs/queue/queue.client.ts:6 via apps/orders/orders.service.ts:4',
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a queue from a configuration getter held in a local, and from a template of one variable, with the value .env declares (a queue variable naming auth is no secret)', () => {
    const { sites } = sitesOf(
      {
        '.env': 'RMQ_URL=amqp://rabbitmq:5672\nRMQ_AUTH_QUEUE=auth\n',
        'apps/notifier/main.ts': [
          "import { NestFactory } from '@nestjs/core';",
          "import { ConfigService } from '@nestjs/config';",
          "import { RmqOptions, Transport } from '@nestjs/microservices';",
          'async function bootstrap() {',
          '  const app = await NestFactory.create(AppModule);',
          '  const config = app.get(ConfigService);',
          "  const queue = config.getOrThrow<string>('RMQ_AUTH_QUEUE');",
          "  app.connectMicroservice<RmqOptions>({ transport: Transport.RMQ, options: { queue, noAck: false, urls: [config.getOrThrow('RMQ_URL')] } });",
          '  await app.startAllMicroservices();',
          '}',
        ].join('\n'),
        'apps/notifier/mail.controller.ts': [
          "import { EventPattern } from '@nestjs/microservices';",
          'export class MailController {',
          "  @EventPattern('send-mail') send() {}",
          '}',
        ].join('\n'),
        'apps/shop/notify.ts': [
          "import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';",
          'export class Notify {',
          '  private readonly client: ClientProxy;',
          '  constructor() {',
          '    this.client = ClientProxyFactory.create({ transport: Transport.RMQ, options: { queue: `${process.env.RMQ_AUTH_QUEUE}` } });',
          '  }',
          "  mail() { this.client.emit('send-mail', {}); }",
          '}',
        ].join('\n'),
      },
      { 'apps/notifier': ['RMQ'], 'apps/shop': ['RMQ'] },
    );
    expect(sites.map(brief).sort()).toEqual([
      'consumer RabbitMQ queue auth (send-mail) env RMQ_AUTH_QUEUE @apps/notifier/mail.controller.ts:3',
      'consumer RabbitMQ queue auth env RMQ_AUTH_QUEUE @apps/notifier/main.ts:8',
      'producer RabbitMQ queue auth (send-mail) env RMQ_AUTH_QUEUE @apps/shop/notify.ts:7',
    ]);
  });

  it('keeps the pattern as the channel, with a warning at the line, when the queue cannot be resolved', () => {
    const { sites, warnings } = sitesOf(
      {
        'apps/orders/main.ts': [
          "import { NestFactory } from '@nestjs/core';",
          "import { Transport } from '@nestjs/microservices';",
          'export async function start(queue: string) {',
          '  const app = await NestFactory.createMicroservice(AppModule, { transport: Transport.RMQ, options: { queue: loadQueue() } });',
          '  await app.listen();',
          '}',
        ].join('\n'),
        'apps/orders/orders.controller.ts': CONTROLLER,
        'apps/shop/shop.service.ts': SHOP_SERVICE,
      },
      { 'apps/orders': ['RMQ'], 'apps/shop': ['RMQ'] },
    );
    expect(sites.map(brief).sort()).toEqual([
      'consumer RabbitMQ pattern get-details @apps/orders/orders.controller.ts:5',
      'consumer RabbitMQ pattern order-placed @apps/orders/orders.controller.ts:6',
      'producer RabbitMQ pattern get-details @apps/shop/shop.service.ts:5',
    ]);
    expect(warnings).toEqual([
      'apps/orders/main.ts:4 messaging: the RabbitMQ queue this NestJS microservice listens on could not be resolved statically; its message patterns are listed as channels of their own',
      'apps/shop/shop.service.ts:5 messaging: the RabbitMQ queue this NestJS client (ORDERS) sends to could not be resolved statically; the patterns it sends are listed as channels of their own',
    ]);
  });

  it('does not send to every queue a token is registered for elsewhere when those registrations disagree', () => {
    const { sites, warnings } = sitesOf(
      {
        'apps/billing/app.module.ts': [
          "import { Module } from '@nestjs/common';",
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "@Module({ imports: [ClientsModule.register([{ name: 'ORDERS', transport: Transport.RMQ, options: { queue: 'orders_billing' } }])] })",
          'export class AppModule {}',
        ].join('\n'),
        'apps/audit/app.module.ts': [
          "import { Module } from '@nestjs/common';",
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "@Module({ imports: [ClientsModule.register([{ name: 'ORDERS', transport: Transport.RMQ, options: { queue: 'orders_audit' } }])] })",
          'export class AppModule {}',
        ].join('\n'),
        'apps/shop/shop.service.ts': SHOP_SERVICE,
      },
      { 'apps/billing': ['RMQ'], 'apps/audit': ['RMQ'], 'apps/shop': ['RMQ'] },
    );
    // Two components register ORDERS for different queues and the shop registers none: which one it sends to is not known.
    expect(sites.filter((x) => x.role === 'producer').map(brief)).toEqual(['producer RabbitMQ pattern get-details @apps/shop/shop.service.ts:5']);
    expect(warnings).toContain(
      'apps/shop/shop.service.ts:5 messaging: the RabbitMQ queue this NestJS client (ORDERS) sends to could not be resolved statically; the patterns it sends are listed as channels of their own',
    );
  });

  it('leaves other transports alone: over NATS the pattern is the subject', () => {
    const { sites, warnings } = sitesOf(
      {
        'apps/orders/main.ts': [
          "import { Transport } from '@nestjs/microservices';",
          "NestFactory.createMicroservice(AppModule, { transport: Transport.NATS, options: { servers: ['nats://nats:4222'], queue: 'orders-workers' } });",
        ].join('\n'),
        'apps/orders/orders.controller.ts': CONTROLLER,
        'apps/shop/shop.module.ts': [
          "import { ClientsModule, Transport } from '@nestjs/microservices';",
          "ClientsModule.register([{ name: 'ORDERS', transport: Transport.NATS, options: { servers: ['nats://nats:4222'] } }]);",
        ].join('\n'),
        'apps/shop/shop.service.ts': SHOP_SERVICE,
      },
      { 'apps/orders': ['NATS'], 'apps/shop': ['NATS'] },
    );
    expect(sites.map(brief).sort()).toEqual([
      'consumer NATS pattern get-details @apps/orders/orders.controller.ts:5',
      'consumer NATS pattern order-placed @apps/orders/orders.controller.ts:6',
      'producer NATS pattern get-details @apps/shop/shop.service.ts:5',
    ]);
    expect(warnings).toEqual([]);
  });
});

function queue(model: Model, id: string): Queue {
  const q = model.queues.find((x) => x.id === id);
  if (!q) throw new Error(`${id} not found; have ${model.queues.map((x) => x.id).join(', ')}`);
  return q;
}

describe('NestJS over RabbitMQ in a ticketing system (nest-rmq-ticketing)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('nest-rmq-ticketing');
  }, 60_000);

  it('has one channel per queue, none per pattern', () => {
    expect(model.queues.map((q) => `${q.id} ${q.tech} ${q.details?.kind}`)).toEqual([
      'queue:bookings_queue RabbitMQ queue',
      'queue:catalogue_queue RabbitMQ queue',
      'queue:mailer_queue RabbitMQ queue',
    ]);
  });

  it('reads the bookings queue through RmqService.getOptions on app.get(RmqService) and the value .env declares for the key it builds', () => {
    const q = queue(model, 'queue:bookings_queue');
    expect(q.producers).toEqual(['component:apps/gateway']);
    expect(q.consumers).toEqual(['component:apps/bookings']);
    expect(q.messages).toEqual(['create-booking', 'get-details']);
    expect(q.details?.envVars).toEqual(['BOOKINGS_QUEUE', 'RABBIT_MQ_BOOKINGS_QUEUE']);
    expect(q.details?.nameFrom).toEqual(['apps/bookings/.env:2']);
    expect(q.details?.consumerSites).toEqual([
      'apps/bookings/src/bookings.controller.ts:13',
      'apps/bookings/src/bookings.controller.ts:20',
      'apps/bookings/src/main.ts:8',
    ]);
  });

  it('sends get-details to two queues, each handled by its own service', () => {
    const bookings = queue(model, 'queue:bookings_queue');
    const catalogue = queue(model, 'queue:catalogue_queue');
    expect(bookings.details?.patterns).toContain(
      'get-details (handled at apps/bookings/src/bookings.controller.ts:20; sent from apps/gateway/src/bookings/bookings.controller.ts:17)',
    );
    expect(catalogue.details?.patterns).toContain(
      'get-details (handled at apps/catalogue/src/catalogue.controller.ts:9; sent from apps/gateway/src/catalogue/catalogue.controller.ts:12)',
    );
  });

  it('credits the emit of a client registered by a dynamic module (registerAsync with ConfigService) to the component that imports it', () => {
    const q = queue(model, 'queue:catalogue_queue');
    expect(q.producers).toEqual(['component:apps/bookings', 'component:apps/gateway']);
    expect(q.consumers).toEqual(['component:apps/catalogue']);
    expect(q.details?.patterns).toContain(
      'booking-created (handled at apps/catalogue/src/catalogue.controller.ts:14; sent from apps/bookings/src/bookings.service.ts:15)',
    );
    // The registrations are evidence: the gateway's module and the dynamic module's entry.
    expect(q.evidence).toContainEqual({ file: 'apps/gateway/src/catalogue/catalogue.module.ts', line: 14 });
    expect(q.evidence).toContainEqual({ file: 'libs/common/src/rmq/rmq.module.ts', line: 21 });
  });

  it('finds a provider made with ClientProxyFactory.create by its provide token; its queue has no consumer here', () => {
    const q = queue(model, 'queue:mailer_queue');
    expect(q.producers).toEqual(['component:apps/catalogue']);
    expect(q.consumers).toEqual([]);
    expect(q.messages).toEqual(['seats-running-low']);
  });
});
