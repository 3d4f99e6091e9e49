import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import { buildDiagram } from '../../src/diagrams/index.js';
import { nodeId } from '../../src/diagrams/mermaid.js';
import type { Flow, Model } from '../../src/model/schema.js';
import { mermaidError } from '../../test/mermaid-parse.js';

const OPTS = { maxNodes: 40, maxEdges: 80 };
const hops = (f: Flow) => f.steps.map((s) => `${s.from} ${s.kind === 'async' ? '-)' : '->'} ${s.to}: ${s.action}`);

describe('flows: POST /orders → Postgres → queue → worker → email (flows-monorepo)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-monorepo');
  }, 60_000);
  const flow = (id: string) => model.flows!.find((f) => f.id === id)!;

  it('traces the handler through services, across the queue, into the worker', () => {
    const f = flow('flow:endpoint:apps/api:POST /orders');
    expect(hops(f)).toEqual([
      'client -> component:apps/api: POST /orders',
      'component:apps/api -> external:api.frankfurter.app: GET api.frankfurter.app',
      'component:apps/api -> datastore:postgresql: write order',
      'component:apps/api -) queue:order-events: add order-created',
      'queue:order-events -) component:apps/worker: order-created',
      'component:apps/worker -> external:sendgrid: send',
      'component:apps/worker -> external:slack: chat.postMessage',
    ]);
    expect(f.evidence).toEqual([{ file: 'apps/api/src/routes/orders.ts', line: 6 }]);
    expect(f.steps[2]!.evidence).toEqual([{ file: 'apps/api/src/services/orders.ts', line: 17 }]);
    expect(f.rank).toBe(1);
    expect(f.featured).toBe(true);
    expect(f.stoppedAt).toBeUndefined();
  });

  it('keeps the if/else arms of the worker and draws them as alt, and parses', async () => {
    const f = flow('flow:endpoint:apps/api:POST /orders');
    expect(f.steps[5]!.branch).toEqual({ id: 'apps/worker/src/index.ts:9', arm: 'then', condition: "job.name === 'order-created'" });
    expect(f.steps[6]!.branch?.arm).toBe('else');
    const d = buildDiagram('sequence', model, f.id, OPTS)!;
    expect(d.code).toContain(`${nodeId('component:apps/api')}-)${nodeId('queue:order-events')}: add order-created`);
    expect(d.code).toContain(`${nodeId('datastore:postgresql')}-->>${nodeId('component:apps/api')}: ok`);
    expect(d.code).toMatch(/\n {2}alt job\.name === 'order-created'\n[\s\S]*\n {2}else otherwise\n[\s\S]*\n {2}end$/);
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('reads the cache, then the database, and writes the cache (with its TTL) only on one arm', async () => {
    const f = flow('flow:endpoint:apps/api:GET /orders/:id');
    expect(hops(f)).toEqual([
      'client -> component:apps/api: GET /orders/:id',
      'component:apps/api -> datastore:redis: read key order:*',
      'component:apps/api -> datastore:postgresql: read order',
      'component:apps/api -> datastore:redis: write key order:* (TTL 300 s)',
    ]);
    const d = buildDiagram('sequence', model, f.id, OPTS)!;
    expect(d.code).toContain('  opt order\n');
    expect(await mermaidError(d.code)).toBeUndefined();
  });

  it('also lists the consumer as an entry point of its own, and ranks flows by participants', () => {
    expect(model.flows!.map((f) => [f.id, f.rank])).toEqual([
      ['flow:consumer:order-events@apps/worker', 2],
      ['flow:endpoint:apps/api:GET /orders/:id', 3],
      ['flow:endpoint:apps/api:POST /orders', 1],
    ]);
  });

  it('crosses the queue by itself when no messaging facts exist (`new Worker(NAME, fn)` with NAME a shared constant)', async () => {
    const m = await analyseFixture('flows-monorepo', { analyzers: { messaging: false } });
    expect(m.queues).toEqual([]);
    const f = m.flows!.find((x) => x.id === 'flow:endpoint:apps/api:POST /orders')!;
    expect(hops(f).slice(3)).toEqual([
      'component:apps/api -) queue:order-events: add order-created',
      'queue:order-events -) component:apps/worker: order-created',
      'component:apps/worker -> external:sendgrid: send',
      'component:apps/worker -> external:slack: chat.postMessage',
    ]);
    expect(f.stoppedAt).toBeUndefined();
  }, 60_000);

  it('honours the `top` option', async () => {
    const m = await analyseFixture('flows-monorepo', { analyzers: { flows: { options: { top: 1 } } } });
    expect(m.flows!.filter((f) => f.featured).map((f) => f.id)).toEqual(['flow:endpoint:apps/api:POST /orders']);
  }, 60_000);
});

describe('flows: NestJS controllers, injected providers, a processor and a cron job (flows-nest-shop)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-nest-shop');
  }, 60_000);
  const flow = (id: string) => model.flows!.find((f) => f.id === id)!;

  it('follows constructor-injected services and repositories, and continues into the @Processor', () => {
    expect(hops(flow('flow:endpoint:POST /orders'))).toEqual([
      'client -> component:.: POST /orders',
      'component:. -> external:stripe: paymentIntents.create',
      'component:. -> datastore:postgresql: write Order',
      'component:. -) queue:invoices: add generate-invoice',
      'queue:invoices -) component:.: generate-invoice',
      'component:. -> datastore:s3: write',
      'component:. -> external:smtp: sendMail',
    ]);
  });

  it('traces a @Cron job as a scheduled entry point, through an abstract port to its adapter', () => {
    const f = flow('flow:schedule:ReportsService.nightlyTotals');
    expect(f.entryKind).toBe('schedule');
    expect(hops(f)).toEqual([
      'scheduler -> component:.: Cron 0 3 * * *',
      'component:. -> datastore:postgresql: read Order',
      // `Notifier` is an abstract class; SlackNotifier implements it.
      'component:. -> external:slack: send',
    ]);
    expect(f.evidence).toEqual([{ file: 'src/reports/reports.service.ts', line: 17 }]);
  });

  it('draws every flow as a sequence diagram Mermaid accepts', async () => {
    for (const f of model.flows!) {
      const d = buildDiagram('sequence', model, f.id, OPTS)!;
      expect(d.code.startsWith('sequenceDiagram\n')).toBe(true);
      expect(await mermaidError(d.code), f.id).toBeUndefined();
    }
  });

  it('stops at the configured depth and says where', async () => {
    const m = await analyseFixture('flows-nest-shop', { analyzers: { flows: { options: { depth: 2 } } } });
    const f = m.flows!.find((x) => x.id === 'flow:endpoint:POST /orders')!;
    // Controller (1) → OrdersService.place (2); PaymentsService.charge would be the third call.
    expect(hops(f)).toEqual([
      'client -> component:.: POST /orders',
      'component:. -> datastore:postgresql: write Order',
      'component:. -) queue:invoices: add generate-invoice',
      'queue:invoices -) component:.: generate-invoice',
      // Depth counts again from the consumer: process (1) → StorageService/MailService (2).
      'component:. -> datastore:s3: write',
      'component:. -> external:smtp: sendMail',
    ]);
    expect(f.stoppedAt).toEqual(['depth limit (2 calls) reached at PaymentsService.charge (src/payments/payments.service.ts:8)']);
  }, 60_000);
});
