/**
 * SST apps whose bus rules route events into queues: the queue's producers are the components
 * whose publishes the rule's pattern lets through, and its consumers (and the detail-type's) the
 * component its consumer's handler runs in; handlers read from SST v2's `srcPath`, from another
 * folder than SST's, or naming a script not in the repository.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const pkg = (name: string, deps: Record<string, string> = {}) => json({ name, version: '0.0.0', dependencies: { sst: '^2.40.0', ...deps } });

/** An SST v2 app of two packages under `services/`, its stacks given as files. */
const sst2 = (config: string, files: Record<string, string>) =>
  analyseRepo(
    tempRepo('sst2-events', {
      'package.json': json({ name: 'shop', version: '0.0.0', private: true, workspaces: ['services/*'], devDependencies: { sst: '^2.40.0' } }),
      'sst.config.ts': [
        "import type { SSTConfig } from 'sst';",
        "import { Events } from './stacks/Events';",
        "import { Api } from './stacks/Api';",
        'export default {',
        "  config() { return { name: 'shop', region: 'eu-west-1' }; },",
        `  stacks(app) { ${config} app.stack(Events).stack(Api); },`,
        '} satisfies SSTConfig;',
      ].join('\n'),
      'services/orders/package.json': pkg('@shop/orders', { '@aws-sdk/client-eventbridge': '^3.600.0' }),
      'services/mailer/package.json': pkg('@shop/mailer'),
      ...files,
    }),
  );

/** An SST v3 app whose `run()` holds these lines, with `src/mail.ts` and these files. */
const sst3 = (run: string[], files: Record<string, string> = {}) =>
  analyseRepo(
    tempRepo('sst3-events', {
      'package.json': json({ name: 'shop', version: '0.0.0', dependencies: { sst: '^3.3.0', '@aws-sdk/client-eventbridge': '^3.600.0' } }),
      'sst.config.ts': ['export default $config({', "  app() { return { name: 'shop', home: 'aws' }; },", '  async run() {', ...run, '  },', '});'].join('\n'),
      'src/mail.ts': 'export async function handler() {}\n',
      ...files,
    }),
  );

const publisher = [
  "import { EventBus } from 'sst/node/event-bus';",
  "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
  'const client = new EventBridgeClient({});',
  'export async function publish(type: string, detail: object) {',
  "  await client.send(new PutEventsCommand({ Entries: [{ EventBusName: EventBus.Bus.eventBusName, Source: 'orders', DetailType: type, Detail: JSON.stringify(detail) }] }));",
  '}',
].join('\n');

const ordersCode = {
  'services/orders/src/bus.ts': publisher,
  'services/orders/src/api.ts': [
    "import { publish } from './bus';",
    "export async function place() { await publish('order.placed', { id: '1' }); return { statusCode: 201 }; }",
    "export async function cancel() { await publish('order.cancelled', { id: '1' }); return { statusCode: 204 }; }",
  ].join('\n'),
  'services/orders/src/stock.ts': 'export async function release() {}\n',
  'services/mailer/src/receipts.ts': 'export async function send() {}\n',
};

const apiStack = [
  "import { Api as Gateway, StackContext, use } from 'sst/constructs';",
  "import { Events } from './Events';",
  'export function Api({ stack }: StackContext) {',
  '  const { bus } = use(Events);',
  "  new Gateway(stack, 'Api', { defaults: { function: { bind: [bus] } }, routes: { 'POST /orders': 'orders/src/api.place', 'DELETE /orders/{id}': 'orders/src/api.cancel' } });",
  '}',
].join('\n');

/** The app's files: an Events stack (these constructs, this body, returning `returns`), the Api stack and the services' code. */
const app = (constructs: string, body: string[], returns = '{ bus }', api = apiStack) => ({
  'stacks/Events.ts': [
    `import { ${constructs}, StackContext } from 'sst/constructs';`,
    'export function Events({ stack }: StackContext) {',
    ...body,
    `  return ${returns};`,
    '}',
  ].join('\n'),
  'stacks/Api.ts': api,
  ...ordersCode,
});

const ends = (m: Model) =>
  Object.fromEntries(
    m.queues.map((q) => [
      q.name,
      `${q.producers.map((p) => p.replace('component:services/', '')).join('+') || '–'} → ${q.consumers.map((c) => c.replace('component:services/', '')).join('+') || '–'}`,
    ]),
  );
const handlers = (m: Model) => Object.fromEntries(m.deployment.workloads.map((w) => [w.name, `${w.details?.handlerFile ?? '–'} ${w.component ?? '–'}`]));

describe('sst: bus rules routing events into queues', () => {
  it("reads bus.addRules: each queue a rule targets is fed the detail-types its pattern matches, from the components that publish them, and drained by its consumer's component; use(Events) carries the bus to the code bound to it", async () => {
    const m = await sst2(
      "app.setDefaultFunctionProps({ srcPath: 'services' });",
      app('EventBus, Queue', [
        "  const bus = new EventBus(stack, 'Bus');",
        "  const receipts = new Queue(stack, 'Receipts', { consumer: { function: { handler: 'mailer/src/receipts.send' } } });",
        '  bus.addRules(stack, {',
        "    placed: { pattern: { source: ['orders'], detailType: ['order.placed'] }, targets: { mail: { type: 'queue', queue: receipts } } },",
        "    cancelled: { pattern: { detailType: ['order.cancelled'] }, targets: { stock: new Queue(stack, 'Stock', { consumer: 'orders/src/stock.release' }) } },",
        '  });',
      ]),
    );
    expect(ends(m)).toEqual({
      Bus: 'orders → mailer+orders',
      Receipts: 'orders → mailer',
      Stock: 'orders → orders',
      'order.cancelled': 'orders → orders',
      'order.placed': 'orders → mailer',
    });
    const q = (name: string) => m.queues.find((x) => x.name === name)!.details!;
    expect(q('Receipts').filters).toEqual(['detail-type=order.placed', 'source=orders']);
    expect(q('Stock').filters).toEqual(['detail-type=order.cancelled']);
    expect(q('Bus').envVars).toEqual(['SST_EventBus_eventBusName_Bus']);
    expect(q('order.placed').drainedBy).toEqual(['queue:Receipts']);
  });

  it("reads an EventBus's rules prop, a queue's addConsumer and a topic's addSubscribers the same way", async () => {
    const m = await sst2(
      '',
      app(
        'EventBus, Queue, Topic',
        [
          "  const receipts = new Queue(stack, 'Receipts');",
          "  receipts.addConsumer(stack, 'services/mailer/src/receipts.send');",
          "  const bus = new EventBus(stack, 'Bus', { rules: { placed: { pattern: { detailType: ['order.placed'] }, targets: { mail: receipts } } } });",
          "  const alerts = new Topic(stack, 'Alerts');",
          "  alerts.addSubscribers(stack, { stock: 'services/orders/src/stock.release' });",
        ],
        '{ bus }',
        apiStack.replace("'orders/src/api.place'", "'services/orders/src/api.place'").replace("'orders/src/api.cancel'", "'services/orders/src/api.cancel'"),
      ),
    );
    expect(ends(m)).toMatchObject({ Receipts: 'orders → mailer', 'order.placed': 'orders → mailer', Alerts: '– → orders' });
    expect(m.queues.find((x) => x.name === 'Receipts')?.details?.filters).toEqual(['detail-type=order.placed']);
  });

  it("gives a detail-type a rule sends straight to a function that function's component as consumer (SST v2 rules, their handlers read from the bus's defaults.function.srcPath; SST v3 bus.subscribe); not a pattern on AWS's own sources", async () => {
    const m = await sst2(
      "app.setDefaultFunctionProps({ srcPath: 'services' });",
      app('EventBus', [
        "  const bus = new EventBus(stack, 'Bus', {",
        "    defaults: { function: { srcPath: 'services/mailer' } },",
        '    rules: {',
        "      placed: { pattern: { detailType: ['order.placed'] }, targets: { mail: 'src/receipts.send' } },",
        "      uploads: { pattern: { source: ['aws.s3'], detailType: ['Object Created'] }, targets: { scan: 'src/receipts.send' } },",
        '    },',
        '  });',
      ]),
    );
    expect(ends(m)).toEqual({ Bus: 'orders → mailer', 'order.cancelled': 'orders → –', 'order.placed': 'orders → mailer' });
    expect(m.queues.find((q) => q.name === 'order.placed')?.details).toMatchObject({
      consumedBy: ['Bus mail'],
      consumerSites: ['services/mailer/src/receipts.ts:1'],
    });

    const v3 = await sst3([
      "    const bus = new sst.aws.Bus('Bus');",
      "    bus.subscribe('Placed', 'src/mail.handler', { pattern: { detailType: ['order.placed'] } });",
    ]);
    expect(v3.queues.map((q) => `${q.name} ${q.details?.kind ?? ''} ${q.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`)).toEqual([
      'Bus  sst.config.ts:4',
      'order.placed event sst.config.ts:5',
    ]);
  });

  it("reads SST v3's bus.subscribeQueue pattern as the queue's filters", async () => {
    const m = await sst3(
      [
        "    const bus = new sst.aws.Bus('Bus');",
        "    const mail = new sst.aws.Queue('Mail');",
        "    mail.subscribe('src/mail.handler');",
        "    bus.subscribeQueue('placed', mail, { pattern: { detailType: ['order.placed'] } });",
        "    new sst.aws.Function('Api', { handler: 'src/api.handler', link: [bus] });",
      ],
      {
        'src/api.ts': [
          "import { Resource } from 'sst';",
          "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
          'const client = new EventBridgeClient({});',
          "export async function handler() { await client.send(new PutEventsCommand({ Entries: [{ EventBusName: Resource.Bus.name, DetailType: 'order.placed', Detail: '{}' }] })); }",
        ].join('\n'),
      },
    );
    expect(m.queues.find((q) => q.name === 'Mail')?.details?.filters).toEqual(['detail-type=order.placed']);
  });
});

describe('sst: where a handler runs', () => {
  const stacks = (events: string) =>
    app('Function, Queue', [events], '{}', "import { StackContext } from 'sst/constructs';\nexport function Api({ stack }: StackContext) {}\n");

  it("reads handlers from srcPath: the app's default, a stack's default, a function's own, an Api's defaults", async () => {
    const m = await sst2("app.setDefaultFunctionProps({ runtime: 'nodejs18.x', srcPath: 'services' });", {
      ...stacks(
        [
          "  new Queue(stack, 'Receipts', { consumer: 'mailer/src/receipts.send' });",
          "  new Queue(stack, 'Stock', { consumer: { function: { handler: 'src/stock.release', srcPath: 'services/orders' } } });",
          "  const placer = new Function(stack, 'Placer', { handler: 'api.place', srcPath: 'services/orders/src' });",
          "  new Queue(stack, 'Retries', { consumer: placer });",
          "  new Queue(stack, 'Replays', { consumer: { function: placer } });",
        ].join('\n'),
      ),
      'stacks/Api.ts': [
        "import { Api as Gateway, StackContext } from 'sst/constructs';",
        'export function Api({ stack }: StackContext) {',
        "  stack.setDefaultFunctionProps({ srcPath: 'services/orders' });",
        "  new Gateway(stack, 'Api', { routes: { 'POST /orders': 'src/api.place' } });",
        "  new Gateway(stack, 'Admin', { defaults: { function: { srcPath: 'services/mailer/src' } }, routes: { 'POST /resend': 'receipts.send' } });",
        '}',
      ].join('\n'),
    });
    expect(handlers(m)).toEqual({
      'Admin POST /resend': 'services/mailer/src/receipts.ts component:services/mailer',
      'Api POST /orders': 'services/orders/src/api.ts component:services/orders',
      Placer: 'services/orders/src/api.ts component:services/orders',
      'Receipts consumer': 'services/mailer/src/receipts.ts component:services/mailer',
      'Stock consumer': 'services/orders/src/stock.ts component:services/orders',
    });
    expect(ends(m)).toMatchObject({ Receipts: '– → mailer', Stock: '– → orders', Retries: '– → orders', Replays: '– → orders' });
    expect(m.warnings.filter((w) => w.analyzer === 'pulumi')).toEqual([]);
  });

  it("reads a handler written from another folder than SST's from the repository's one folder ending in its folder, with a warning; with two such folders it guesses none", async () => {
    const m = await sst2('', {
      ...stacks(
        ["  new Queue(stack, 'Receipts', { consumer: 'mailer/src/receipts.send' });", "  new Queue(stack, 'Stock', { consumer: 'src/stock.release' });"].join(
          '\n',
        ),
      ),
      'legacy/src/stock.ts': 'export async function release() {}\n',
    });
    expect(handlers(m)).toEqual({
      'Receipts consumer': 'services/mailer/src/receipts.ts component:services/mailer',
      'Stock consumer': '– –',
    });
    expect(ends(m)).toMatchObject({ Receipts: '– → mailer', Stock: '– → –' });
    expect(m.warnings.map((w) => `${w.file}:${w.line} ${w.message}`)).toContain(
      "stacks/Events.ts:3 SST handler 'mailer/src/receipts.send' is not under the app's folder; read from services/mailer/src, the repository's one folder ending in mailer/src",
    );
  });

  it('takes a handler whose script is not in the repository to run in the component of the folder its path falls into, with a warning, and names no file', async () => {
    const m = await sst2("app.setDefaultFunctionProps({ srcPath: 'services' });", {
      ...stacks(
        ["  new Queue(stack, 'Audit', { consumer: 'mailer/src/audit/voided.main' });", "  new Queue(stack, 'Stock', { consumer: 'orders/src/stock' });"].join(
          '\n',
        ),
      ),
    });
    expect(handlers(m)).toEqual({ 'Audit consumer': '– component:services/mailer', 'Stock consumer': '– component:services/orders' });
    expect(ends(m)).toMatchObject({ Audit: '– → mailer', Stock: '– → orders' });
    expect(m.warnings.filter((w) => w.analyzer === 'pulumi').map((w) => `${w.file}:${w.line} ${w.message}`)).toEqual([
      "stacks/Events.ts:3 SST handler 'mailer/src/audit/voided.main': no script services/mailer/src/audit/voided.ts (or .js) is in the repository; its function is taken to run in services/mailer/src/audit",
      "stacks/Events.ts:4 SST handler 'orders/src/stock' names no exported function of services/orders/src/stock.ts (SST's form is file.function); its function is taken to run in services/orders/src",
    ]);
  });

  it("reads a Table's stream consumers (the consumers prop and addConsumers) as a DynamoDB Streams channel named after the table, drained by the consumers' components", async () => {
    const m = await sst2(
      "app.setDefaultFunctionProps({ srcPath: 'services' });",
      app('EventBus, Table', [
        "  const bus = new EventBus(stack, 'Bus');",
        "  const orders = new Table(stack, 'orders', { fields: { pk: 'string' }, primaryIndex: { partitionKey: 'pk' }, stream: 'new_image', consumers: { receipts: 'mailer/src/receipts.send' } });",
        "  orders.addConsumers(stack, { stock: { function: { handler: 'orders/src/stock.release' }, filters: [{ eventName: ['INSERT'] }] } });",
      ]),
    );
    const stream = m.queues.find((q) => q.tech === 'Amazon DynamoDB Streams')!;
    expect(stream).toMatchObject({ name: 'orders', consumers: ['component:services/mailer', 'component:services/orders'] });
    expect(stream.details).toMatchObject({ kind: 'stream', consumedBy: ['orders receipts', 'orders stock'] });
    expect(m.dataStores.find((d) => d.tech === 'dynamodb')).toBeDefined();
  });
});
