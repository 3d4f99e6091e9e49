import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { ConfigValues } from './config-values.js';
import { Detector, type FileFacts, type Site, type TechContext } from './detect.js';
import { ChannelNames } from './names.js';
import { deadLetterSites } from './definitions.js';
import { Outbox, sqlInsert } from './outbox.js';

function sitesOf(files: Record<string, string>, file: string, tech: TechContext = ['amqp']): Site[] {
  const indexes = indexesOf(files);
  const resolve = resolverOf(files);
  const config = new ConfigValues({ files: Object.keys(files), read: (f) => files[f], yaml: () => undefined });
  const names = new ChannelNames(new Evaluator(indexes, resolve), resolve, config);
  const componentOf = (f: string) => f.split('/').slice(0, 2).join('/');
  const detector = new Detector(
    names,
    resolve,
    () => [],
    () => ['amqp'],
    undefined,
    new Outbox(names, componentOf),
  );
  const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
  detector.detect(file, indexes.get(file)!, facts);
  return facts.sites;
}

/** Role, kind, channel, message, line and the call sites the name came through. */
const sited = (s: Site) =>
  `${s.role} ${s.kind} ${s.channel}${s.message ? ` (${s.message})` : ''} @${s.at.line}${s.via.length ? ` via ${s.via.map((l) => `${l.file}:${l.line}`).join(' ')}` : ''}`;

const brief = (s: Site) => `${s.role} ${s.channel}${s.message ? ` (${s.message})` : ''} from ${(s.via[s.via.length - 1] ?? s.at).file}`;

/** A service's relay: pending rows read from its outbox, each published with the routing key it was written with. */
const relay = (service: string) => ({
  [`services/${service}/src/publisher.ts`]: [
    "import * as amqp from 'amqplib';",
    'export class EventsPublisher {',
    '  constructor(private readonly channel: amqp.ConfirmChannel) {}',
    '  async publishEvent(body: Buffer, routingKey: string) {',
    "    this.channel.publish('domain.events', routingKey, body);",
    '  }',
    '}',
  ].join('\n'),
  [`services/${service}/src/relay.ts`]: [
    "import { EventsPublisher } from './publisher';",
    'export class OutboxRelay {',
    '  constructor(private readonly repo: any, private readonly publisher: EventsPublisher) {}',
    '  async tick() {',
    '    const pending = await this.repo.findPending(50);',
    '    for (const row of pending) await this.publisher.publishEvent(row.payload, row.routingKey);',
    '  }',
    '}',
  ].join('\n'),
});

describe('routing keys relayed from a transactional outbox', () => {
  const files: Record<string, string> = {
    ...relay('checker'),
    ...relay('ledger'),
    // The key is chosen in branches and written into the outbox with the row.
    'services/checker/src/check.ts': [
      'export class CheckUseCase {',
      '  constructor(private readonly outboxRepository: any) {}',
      '  async run(ok: boolean) {',
      '    let routingKey: string;',
      "    if (ok) routingKey = 'files.accepted.v1';",
      "    else routingKey = 'files.refused.v1';",
      '    await this.outboxRepository.saveWithOutbox({ payload: {}, routingKey });',
      '  }',
      '}',
    ].join('\n'),
    'services/ledger/src/keys.ts': "export const KEYS = { Posted: 'ledger.posted.v1', Voided: 'ledger.voided.v1', Audited: 'ledger.audited.v1' };\n",
    // The key is an entry of a constant map, written by SQL into the outbox table's routing_key column.
    'services/ledger/src/store.ts': [
      "import { KEYS } from './keys';",
      'export async function record(client: any, voided: boolean) {',
      "  const type = voided ? 'Voided' : 'Posted';",
      '  await client.query(',
      "    'insert into ledger.outbox_events (event_id, routing_key, payload) values ($1, $2, $3::jsonb)',",
      "    ['id', KEYS[type], '{}'],",
      '  );',
      '}',
    ].join('\n'),
    // Not an outbox: a log line's routing key says nothing of what is published, though the line mentions the outbox.
    'services/ledger/src/log.ts': "export const line = (logger: any) => logger.info('outbox drained', { routingKey: 'ledger.logged.v1' });\n",
  };

  it('publishes each key the relaying component writes into its outbox, credited to that component', () => {
    const sites = [...sitesOf(files, 'services/checker/src/publisher.ts'), ...sitesOf(files, 'services/ledger/src/publisher.ts')];
    expect(sites.map(brief)).toEqual([
      'producer domain.events (files.accepted.v1) from services/checker/src/check.ts',
      'producer domain.events (files.refused.v1) from services/checker/src/check.ts',
      'producer domain.events (ledger.voided.v1) from services/ledger/src/store.ts',
      'producer domain.events (ledger.posted.v1) from services/ledger/src/store.ts',
      'producer domain.events (files.accepted.v1) from services/checker/src/check.ts',
      'producer domain.events (files.refused.v1) from services/checker/src/check.ts',
      'producer domain.events (ledger.voided.v1) from services/ledger/src/store.ts',
      'producer domain.events (ledger.posted.v1) from services/ledger/src/store.ts',
    ]);
  });

  it('reads an outbox insert: the parameter each column takes, by number or in order', () => {
    const call = (sql: string) => ({
      line: 1,
      root: 'db',
      names: ['query'],
      isNew: false,
      args: [
        { k: 'str' as const, v: sql },
        { k: 'arr' as const, items: [] },
      ],
      innerArgs: [],
    });
    const numbered = sqlInsert(call('INSERT INTO app.outbox (id, created_at, routing_key) VALUES ($1, now(), $2)'));
    expect(numbered?.columns).toEqual(['id', 'created_at', 'routing_key']);
    expect([...numbered!]).toEqual([0, undefined, 1]);
    expect([...sqlInsert(call('insert into `outbox_messages` (`topic`, `body`) values (?, ?)'))!]).toEqual([0, 1]);
    expect(sqlInsert(call('insert into orders (id, status) values ($1, $2)'))).toBeUndefined();
  });
});

describe('RabbitMQ dead letters and re-drives', () => {
  it('credits a shared parking helper’s publish to each caller, with the queue it passes (the exchange a function builds from it)', () => {
    const files = {
      'libs/mq/src/retry.ts': [
        'export interface ChannelLike { publish(exchange: string, routingKey: string, content: Buffer): boolean; ack(m: unknown): void }',
        'export interface ParkInput { channel: ChannelLike; message: { content: Buffer }; queue: string; routingKey?: string }',
        "const PARKING = 'parked';",
        'function parkingExchange(queue: string): string {',
        '  return `dlq.${queue}`;',
        '}',
        'export function park(input: ParkInput): void {',
        '  const exchange = parkingExchange(input.queue);',
        '  input.channel.publish(exchange, input.routingKey ?? PARKING, input.message.content);',
        '  input.channel.ack(input.message);',
        '}',
      ].join('\n'),
      'services/billing/src/consumer.ts': [
        "import { park } from '../../../libs/mq/src/retry';",
        "const QUEUE = 'billing.invoices';",
        'export class InvoiceConsumer {',
        '  onFailure(channel: any, message: any) {',
        '    const queue = QUEUE;',
        '    park({ channel, message, queue });',
        '  }',
        '}',
      ].join('\n'),
      'services/mailer/src/consumer.ts': [
        "import { park } from '../../../libs/mq/src/retry';",
        'export function onError(channel: any, message: any) {',
        "  park({ channel, message, queue: 'mailer.outgoing', routingKey: 'bounced' });",
        '}',
        // A same-named method of another object is not the helper: its argument is no queue.
        "export const other = { park: (x: unknown) => x }; other.park({ queue: 'not.a.queue' });",
      ].join('\n'),
    };
    expect(sitesOf(files, 'libs/mq/src/retry.ts').map(sited)).toEqual([
      'producer exchange dlq.billing.invoices (parked) @9 via services/billing/src/consumer.ts:6',
      'producer exchange dlq.mailer.outgoing (bounced) @9 via services/mailer/src/consumer.ts:3',
      // `a ?? b` may take either side.
      'producer exchange dlq.mailer.outgoing (parked) @9 via services/mailer/src/consumer.ts:3',
    ]);
  });

  it('reads a re-drive: channel.get on each queue of a constant list found by a helper, not a map’s get', () => {
    const files = {
      'src/targets.ts': [
        'const TARGETS = [',
        "  { dlq: 'orders.dlq', retryExchange: 'retry.orders' },",
        "  { dlq: 'payments.dlq', retryExchange: 'retry.payments' },",
        '];',
        'export function targetOf(name: string) {',
        '  return TARGETS.find((t) => t.dlq === name);',
        '}',
      ].join('\n'),
      'src/redrive.ts': [
        "import { targetOf } from './targets';",
        'export class Redrive {',
        '  private sizes = new Map<string, number>();',
        '  async run(channel: any, name: string) {',
        '    const target = targetOf(name);',
        '    this.sizes.get(target.dlq);',
        '    const message = await channel.get(target.dlq, { noAck: false });',
        "    channel.publish(target.retryExchange, 'retry', message.content);",
        '  }',
        '}',
      ].join('\n'),
    };
    expect(sitesOf(files, 'src/redrive.ts').map(sited)).toEqual([
      'consumer queue orders.dlq @7',
      'consumer queue payments.dlq @7',
      'producer exchange retry.orders (retry) @8',
      'producer exchange retry.payments (retry) @8',
    ]);
  });
});

describe('a wrapper handed its options object', () => {
  it('reads the rest of a parameter’s object pattern as what each call of the wrapper passes', () => {
    const files = {
      'src/sqs.ts': [
        "import { SQS } from 'aws-sdk';",
        'const sendMessage = async ({ ...args }: SQS.SendMessageRequest): Promise<void> => {',
        '  const sqs = new SQS();',
        '  await sqs.sendMessage(args).promise();',
        '};',
        'export default sendMessage;',
      ].join('\n'),
      'src/handler.ts': [
        "import sendMessage from './sqs';",
        'export async function main(body: string) {',
        '  await sendMessage({ MessageBody: body, QueueUrl: process.env.NOTIFY_QUEUE_URL });',
        '}',
      ].join('\n'),
    };
    expect(sitesOf(files, 'src/sqs.ts', []).map((s) => `${sited(s)} ${s.env}`)).toEqual([
      'producer queue NOTIFY_QUEUE_URL @4 via src/handler.ts:3 NOTIFY_QUEUE_URL',
    ]);
  });
});

describe('dead-lettering declared on a queue', () => {
  it('makes each consumer of the queue a producer of its dead-letter exchange, or of the queue the default exchange’s key names', () => {
    const at = (line: number) => ({ file: 'src/worker.ts', line });
    const sites: Site[] = [
      { channel: 'orders', tech: 'RabbitMQ', kind: 'queue', role: 'declared', at: at(1), via: [], deadLetter: { exchange: 'orders.dlx', key: 'failed' } },
      { channel: 'mails', tech: 'RabbitMQ', kind: 'queue', role: 'declared', at: at(2), via: [], deadLetter: { exchange: '', key: 'mails.parked' } },
      { channel: 'orders', tech: 'RabbitMQ', kind: 'queue', role: 'consumer', at: at(5), via: [] },
      { channel: 'mails', tech: 'RabbitMQ', kind: 'queue', role: 'consumer', at: at(9), via: [] },
    ];
    expect(deadLetterSites(sites).slice(4).map(sited)).toEqual(['producer exchange orders.dlx (failed) @5', 'producer queue mails.parked @9']);
  });

  it('reads the dead-letter options of assertQueue, in amqplib’s words or as queue arguments', () => {
    const files = {
      'src/setup.ts': [
        "import * as amqp from 'amqplib';",
        "const DLX = 'orders.dlx';",
        'export async function setup(ch: amqp.Channel) {',
        "  await ch.assertQueue('orders', { durable: true, deadLetterExchange: DLX, deadLetterRoutingKey: 'failed' });",
        "  await ch.assertQueue('mails', { arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'mails.parked' } });",
        '}',
      ].join('\n'),
    };
    expect(sitesOf(files, 'src/setup.ts').map((s) => `${s.channel} ${JSON.stringify(s.deadLetter)}`)).toEqual([
      'orders {"exchange":"orders.dlx","key":"failed"}',
      'mails {"exchange":"","key":"mails.parked"}',
    ]);
  });
});
