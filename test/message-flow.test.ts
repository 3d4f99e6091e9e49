/**
 * The message-flow part of Data flow: the diagram builder (dotted producer → channel → consumer
 * edges, exchanges pointing at bound queues, node budget) and the rendered table.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { nodeId } from '../src/diagrams/mermaid.js';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocument } from '../src/render/document.js';
import type { Model } from '../src/model/schema.js';
import { FIXTURES } from './helpers.js';
import { mermaidError } from './mermaid-parse.js';

const OPTS = { maxNodes: 40, maxEdges: 80 };

describe('message-flow diagram and table (event-driven-services)', () => {
  let model: Model;
  let text: string;
  beforeAll(async () => {
    const root = path.join(FIXTURES, 'event-driven-services');
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    model = (await analyse(config)).model;
    text = renderDocument(model, config);
  }, 60_000);

  it('draws producer → channel → consumer with dotted edges only, and parses', async () => {
    const d = buildDiagram('message-flow', model, undefined, OPTS)!;
    const orders = nodeId('component:services/orders');
    const topic = nodeId('queue:orders.placed');
    const notifications = nodeId('component:services/notifications');
    expect(d.code).toMatch(new RegExp(`${orders} -\\.->\\|"?OrderPlaced"?\\| ${topic}`));
    expect(d.code).toContain(`${topic} -.-> ${notifications}`);
    // The exchange feeds the queue bound to it; its consumer (the bound queue's) is reached through that queue.
    expect(d.code).toContain(`${nodeId('queue:notifications')} -.-> ${nodeId('queue:notification-emails')}`);
    expect(model.queues.find((q) => q.id === 'queue:notifications')?.consumers).toEqual(['component:services/notifications']);
    expect(d.code).not.toContain(`${nodeId('queue:notifications')} -.-> ${notifications}`);
    expect(d.code).not.toMatch(/ --> /);
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('past the detailed size, draws one arrow per producer → consumer component pair, and parses', async () => {
    const d = buildDiagram('message-flow', model, undefined, { maxNodes: 6, maxEdges: 80 })!;
    // No channel nodes: components only, plus the node standing for ends outside the repository.
    expect(d.code).not.toContain(nodeId('queue:orders.placed'));
    const orders = nodeId('component:services/orders');
    const billing = nodeId('component:services/billing');
    expect(d.code).toContain(`${orders} -.->|"BILLING_QUEUE_URL (Amazon SQS)"| ${billing}`);
    // Two channels from orders to notifications are one arrow that counts them.
    expect(d.code).toMatch(new RegExp(`${orders} -\\.->\\|"2 channels"\\| ${nodeId('component:services/notifications')}`));
    // One-ended channels end at a node saying so, never dropped.
    expect(d.code).toMatch(new RegExp(`${orders} -\\.->\\|"2 channels"\\| \\w+\\{\\{|${orders} -\\.->\\|"2 channels"\\| ${nodeId('mf:no-consumer')}`));
    expect(d.code).toContain('{{"consumer not in this repository"}}');
    expect(d.notes[0]).toMatch(/^\d+ channels are too many to draw one by one, so they are drawn grouped by the components they connect/);
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('limits the diagram to one component when asked', () => {
    const d = buildDiagram('message-flow', model, 'component:services/billing', OPTS)!;
    expect(d.code).toContain(nodeId('queue:env:BILLING_QUEUE_URL'));
    expect(d.code).not.toContain(nodeId('queue:orders.placed'));
  });

  it('renders the table with producers, consumers and one-ended channels called out', () => {
    const section = text.slice(text.indexOf('### Message flow'));
    expect(section).toMatch(/\| `orders\.placed` \(topic\) \| Kafka \| @shop\/orders \(\[services\/orders\/src\/publisher\.ts:11\]/);
    expect(section).toContain('| `orders.cancelled` (topic) | Kafka | @shop/orders');
    expect(section).toMatch(/`orders\.cancelled` \(Kafka\): no consumer found/);
    // Known only by the variable holding its address: no name of its own is shown.
    expect(section).toMatch(/\| unnamed queue, address from `BILLING_QUEUE_URL` \| Amazon SQS/);
    // Sites in line order, not string order (8 before 12).
    expect(section).toMatch(/poller\.ts:8\]\([^)]*\), \[services\/billing\/src\/poller\.ts:12\]/);
    expect(section).toContain('`notifications`: `email.* → notification-emails`');
  });
});
