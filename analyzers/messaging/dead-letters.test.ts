import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { ConfigValues } from './config-values.js';
import { Detector, type FileFacts, type Site, type TechContext } from './detect.js';
import { ChannelNames } from './names.js';

function sitesOf(files: Record<string, string>, file: string, tech: TechContext = ['amqp']): Site[] {
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
  return facts.sites;
}

const brief = (s: Site) =>
  `${s.role} ${s.kind} ${s.channel}${s.message ? ` (${s.message})` : ''} @${s.at.line}${s.via.length ? ` via ${s.via.map((l) => `${l.file}:${l.line}`).join(' ')}` : ''}`;

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
    expect(sitesOf(files, 'libs/mq/src/retry.ts').map(brief)).toEqual([
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
    expect(sitesOf(files, 'src/redrive.ts').map(brief)).toEqual([
      'consumer queue orders.dlq @7',
      'consumer queue payments.dlq @7',
      'producer exchange retry.orders (retry) @8',
      'producer exchange retry.payments (retry) @8',
    ]);
  });
});
