/**
 * RabbitMQ exchanges bound into exchanges (`bindExchange`): the destination's queues are routed by
 * the source's publishers whose keys pass the binding, keys unchanged; a fanout or consistent-hash
 * exchange (declared by `assertExchange`'s type) spreads every key over its queues.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

describe('messaging: exchange-to-exchange bindings', () => {
  it('routes a topic exchange’s publishes through bound exchanges to their queues, and their consumers back to the source', async () => {
    const m = await analyseRepo(
      tempRepo('exchange-bindings', {
        'package.json': JSON.stringify({ name: 'bids', version: '1.0.0', dependencies: { amqplib: '^0.10.0' } }),
        'src/setup.ts': [
          "import type { Channel } from 'amqplib';",
          'export async function setup(ch: Channel) {',
          "  await ch.assertExchange('bid.x', 'topic');",
          "  await ch.assertExchange('bid.hash.x', 'x-consistent-hash');",
          "  await ch.assertExchange('audit.x', 'fanout');",
          "  await ch.assertExchange('alerts.x', 'direct');",
          "  await ch.assertQueue('bids-1');",
          "  await ch.bindQueue('bids-1', 'bid.hash.x', '1');",
          "  await ch.assertQueue('audit-log');",
          "  await ch.bindQueue('audit-log', 'audit.x', '');",
          "  await ch.assertQueue('alerts');",
          "  await ch.bindQueue('alerts', 'alerts.x', 'page');",
          "  await ch.bindExchange('bid.hash.x', 'bid.x', '#');",
          "  await ch.bindExchange('audit.x', 'bid.x', 'bid.*');",
          "  await ch.bindExchange('alerts.x', 'bid.x', 'never.*');",
          '}',
        ].join('\n'),
        'src/publish.ts': [
          "import type { Channel } from 'amqplib';",
          'export function place(ch: Channel, body: Buffer) {',
          "  ch.publish('bid.x', 'bid.placed', body);",
          '}',
        ].join('\n'),
        'src/consume.ts': [
          "import type { Channel } from 'amqplib';",
          'export async function consume(ch: Channel) {',
          "  await ch.consume('bids-1', () => undefined);",
          "  await ch.consume('audit-log', () => undefined);",
          "  await ch.consume('alerts', () => undefined);",
          '}',
        ].join('\n'),
      }),
    );
    const ends = Object.fromEntries(m.queues.map((q) => [q.name, `${q.producers.length ? 'p' : '-'}${q.consumers.length ? 'c' : '-'}`]));
    expect(ends).toEqual({
      'bid.x': 'pc',
      'bid.hash.x': 'pc',
      'audit.x': 'pc',
      // Its binding from bid.x lets no published key through, and nothing publishes to it directly.
      'alerts.x': '-c',
      'bids-1': 'pc',
      'audit-log': 'pc',
      alerts: '-c',
    });
    expect(m.queues.find((q) => q.name === 'bid.x')!.details?.drainedBy).toEqual(['queue:alerts.x', 'queue:audit.x', 'queue:bid.hash.x']);
  });
});
