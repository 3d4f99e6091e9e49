import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/analysis/evaluate.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import type { Queue } from '../../src/model/schema.js';
import { ConfigValues } from './config-values.js';
import type { FileFacts, Site } from './detect.js';
import { EngineRules } from './engines.js';
import { toQueues } from './index.js';
import { ChannelNames } from './names.js';

/** Sites of the engine rules in every script, and the queue facts they make (each script its own component, by folder). */
function run(files: Record<string, string>, packages: string[]): { sites: Site[]; queues: Queue[]; unresolved: FileFacts['unresolved'] } {
  const scripts = Object.fromEntries(Object.entries(files).filter(([f]) => /\.[jt]s$/.test(f)));
  const indexes = indexesOf(scripts);
  const resolve = resolverOf(scripts);
  const config = new ConfigValues({ files: Object.keys(files), read: (f) => files[f], yaml: () => undefined });
  const names = new ChannelNames(new Evaluator(indexes, resolve), resolve, config);
  const engines = new EngineRules(names, resolve, (file, pkgs) => pkgs.some((p) => packages.includes(p)));
  const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
  for (const [file, idx] of indexes) engines.detect(file, idx, facts);
  const queues = toQueues({ componentOf: (f) => `component:${f.split('/').slice(0, 2).join('/')}` }, facts.sites, new Map());
  for (const q of queues) engines.describe(q);
  return { sites: facts.sites, queues, unresolved: facts.unresolved };
}

const brief = (s: Site) => `${s.role} ${s.tech} ${s.channel}${s.env ? ` env ${s.env}` : ''} @${s.at.file}:${s.at.line}`;
const ends = (q: Queue) => `${q.name} (${q.tech}): ${q.producers.join(', ') || '-'} → ${q.consumers.join(', ') || '-'}`;

describe('Temporal task queues', () => {
  it('reads clients starting workflows, workers, activities on other queues and child workflows, with names from constants and the environment', () => {
    const files = {
      'packages/shared/queues.ts': "export const TASK_QUEUES = { orders: 'orders-tq', payments: 'payments-tq' } as const;\n",
      'apps/api/orders.ts': [
        "import { Client, Connection } from '@temporalio/client';",
        "import { TASK_QUEUES } from '../../packages/shared/queues';",
        'export async function placeOrder(id: string) {',
        '  const client = new Client({ connection: await Connection.connect() });',
        '  await client.workflow.start(orderWorkflow, {',
        '    taskQueue: TASK_QUEUES.orders,',
        '    workflowId: `order-${id}`,',
        '    args: [id],',
        '  });',
        "  await client.workflow.signalWithStart('cartWorkflow', { taskQueue: process.env.CART_QUEUE ?? 'cart-tq', workflowId: id, signal: 'add' });",
        '}',
      ].join('\n'),
      'apps/worker/worker.ts': [
        "import { NativeConnection, Worker } from '@temporalio/worker';",
        "import * as activities from './activities';",
        "import { TASK_QUEUES } from '../../packages/shared/queues';",
        'async function run() {',
        '  const worker = await Worker.create({',
        '    connection: await NativeConnection.connect(),',
        '    taskQueue: TASK_QUEUES.orders,',
        "    workflowsPath: require.resolve('./workflows'),",
        '    activities,',
        '  });',
        '  await worker.run();',
        '}',
        'run();',
      ].join('\n'),
      'apps/worker/workflows/index.ts': "export * from './order';\n",
      'apps/worker/workflows/order.ts': [
        "import { executeChild, proxyActivities } from '@temporalio/workflow';",
        "import type * as acts from '../activities';",
        "import { TASK_QUEUES } from '../../../packages/shared/queues';",
        "const { reserveStock } = proxyActivities<typeof acts>({ startToCloseTimeout: '1 minute' });",
        "const payments = proxyActivities<{ charge(id: string): Promise<void> }>({ startToCloseTimeout: '1 minute', taskQueue: TASK_QUEUES.payments });",
        'export async function orderWorkflow(id: string) {',
        '  await reserveStock(id);',
        '  await payments.charge(id);',
        "  await executeChild(shippingWorkflow, { taskQueue: 'shipping-tq', args: [id] });",
        "  await executeChild('auditWorkflow', { args: [id] });",
        '}',
      ].join('\n'),
      'apps/worker/activities.ts': 'export async function reserveStock(id: string) {}\nexport async function sendReceipt(id: string) {}\n',
      'apps/payments/worker.ts': [
        "import { Worker } from '@temporalio/worker';",
        "import { createActivities } from './activities';",
        "Worker.create({ taskQueue: process.env.PAYMENTS_TASK_QUEUE || 'payments-tq', activities: createActivities() });",
      ].join('\n'),
      'apps/payments/activities.ts':
        'export function createActivities() {\n  return { charge: async (id: string) => {}, refund: async (id: string) => {} };\n}\n',
    };
    const { sites, queues } = run(files, ['@temporalio/client', '@temporalio/worker', '@temporalio/workflow']);
    expect(sites.map(brief).sort()).toEqual([
      'consumer Temporal orders-tq @apps/worker/worker.ts:5',
      'consumer Temporal payments-tq env PAYMENTS_TASK_QUEUE @apps/payments/worker.ts:3',
      'producer Temporal cart-tq env CART_QUEUE @apps/api/orders.ts:10',
      'producer Temporal orders-tq @apps/api/orders.ts:5',
      'producer Temporal payments-tq @apps/worker/workflows/order.ts:5',
      'producer Temporal shipping-tq @apps/worker/workflows/order.ts:9',
    ]);
    expect(queues.map(ends)).toEqual([
      'cart-tq (Temporal): component:apps/api → -',
      'orders-tq (Temporal): component:apps/api → component:apps/worker',
      'payments-tq (Temporal): component:apps/worker → component:apps/payments',
      'shipping-tq (Temporal): component:apps/worker → -',
    ]);
    const orders = queues.find((q) => q.name === 'orders-tq')!;
    expect(orders.details).toMatchObject({
      kind: 'task queue',
      workflows: ['orderWorkflow (apps/worker/workflows/order.ts:6)'],
      activities: ['reserveStock (apps/worker/activities.ts:1)', 'sendReceipt (apps/worker/activities.ts:2)'],
    });
    expect(orders.messages).toEqual(['orderWorkflow', 'reserveStock', 'sendReceipt']);
    expect(queues.find((q) => q.name === 'payments-tq')!.messages).toEqual(['charge', 'refund']);
    expect(queues.find((q) => q.name === 'shipping-tq')!.messages).toEqual(['shippingWorkflow']);
  });

  it('reads the NestJS wrappers: nestjs-temporal workerOptions with activityClasses, nestjs-temporal-core worker and startWorkflow, a schedule', () => {
    const files = {
      'src/queues.ts': "export enum TaskQueue { Billing = 'billing-tq', Reports = 'reports-tq' }\n",
      'src/billing/billing.module.ts': [
        "import { Module } from '@nestjs/common';",
        "import { TemporalModule } from 'nestjs-temporal';",
        "import { TaskQueue } from '../queues';",
        "import { BillingActivities } from './billing.activities';",
        '@Module({',
        '  imports: [',
        '    TemporalModule.registerWorkerAsync({',
        '      useFactory: () => ({',
        "        workerOptions: { taskQueue: TaskQueue.Billing, workflowsPath: require.resolve('./workflows') },",
        '      }),',
        '      activityClasses: [BillingActivities],',
        '    }),',
        '  ],',
        '})',
        'export class BillingModule {}',
      ].join('\n'),
      'src/billing/workflows.ts': 'export async function invoiceWorkflow() {}\n',
      'src/billing/billing.activities.ts': [
        "import { Activities, Activity } from 'nestjs-temporal';",
        '@Activities()',
        'export class BillingActivities {',
        '  constructor(private readonly db: unknown) {}',
        '  @Activity()',
        '  async issueInvoice() {}',
        '  private helper() {}',
        '}',
      ].join('\n'),
      'src/reports/reports.module.ts': [
        "import { TemporalModule } from 'nestjs-temporal-core';",
        "import { TaskQueue } from '../queues';",
        "import { join } from 'path';",
        "export const reports = TemporalModule.register({ taskQueue: TaskQueue.Reports, worker: { workflowsPath: join(__dirname, 'flows') } });",
      ].join('\n'),
      'src/reports/flows.ts': 'export async function monthlyReport() {}\n',
      'src/reports/reports.service.ts': [
        "import { TemporalService } from 'nestjs-temporal-core';",
        "import { TaskQueue } from '../queues';",
        'export class ReportsService {',
        '  constructor(private readonly temporal: TemporalService) {}',
        '  run(month: string) {',
        "    return this.temporal.startWorkflow('monthlyReport', [month], { taskQueue: TaskQueue.Reports, workflowId: month });",
        '  }',
        '  schedule(client: any) {',
        "    return client.schedule.create({ scheduleId: 'nightly', spec: { cronExpressions: ['0 2 * * *'] }, action: { type: 'startWorkflow', workflowType: 'invoiceWorkflow', taskQueue: TaskQueue.Billing } });",
        '  }',
        '}',
      ].join('\n'),
    };
    const { queues } = run(files, ['nestjs-temporal', 'nestjs-temporal-core']);
    expect(queues.map(ends)).toEqual([
      'billing-tq (Temporal): component:src/reports → component:src/billing',
      'reports-tq (Temporal): component:src/reports → component:src/reports',
    ]);
    expect(queues[0]!.details).toMatchObject({
      workflows: ['invoiceWorkflow (src/billing/workflows.ts:1)'],
      activities: ['issueInvoice (src/billing/billing.activities.ts:6)'],
    });
    expect(queues[1]!.details?.workflows).toEqual(['monthlyReport (src/reports/flows.ts:1)']);
    expect(queues[1]!.messages).toEqual(['monthlyReport']);
  });

  it('follows a wrapper that starts workflows to its callers, for the task queue and the workflow type', () => {
    const files = {
      'lib/temporal/start.ts': [
        "import { Client } from '@temporalio/client';",
        'const client = new Client();',
        'export function startWorkflow(type: string, taskQueue: string, id: string) {',
        '  return client.workflow.start(type, { taskQueue, workflowId: id });',
        '}',
      ].join('\n'),
      'apps/billing/invoices.ts': [
        "import { startWorkflow } from '../../lib/temporal/start';",
        "export const issue = (id: string) => startWorkflow('invoiceWorkflow', 'billing-tq', id);",
      ].join('\n'),
      'apps/crm/leads.ts': [
        "import { startWorkflow } from '../../lib/temporal/start';",
        "import { leadWorkflow } from '../../workers/crm/workflows';",
        "export const nurture = (id: string) => startWorkflow(leadWorkflow.name, 'crm-tq', id);",
      ].join('\n'),
      'workers/crm/workflows.ts': 'export async function leadWorkflow() {}\n',
    };
    const { queues } = run(files, ['@temporalio/client']);
    expect(queues.map(ends)).toEqual(['billing-tq (Temporal): component:apps/billing → -', 'crm-tq (Temporal): component:apps/crm → -']);
    expect(queues[0]!.messages).toContain('invoiceWorkflow');
  });

  it('reads nothing where no Temporal package is used; an unresolved task queue is a label only when a package names it', () => {
    const files = {
      'src/run.ts':
        "import { queues } from '@acme/temporal-config';\nexport function go(client: any, cfg: any) {\n  client.workflow.start('x', { taskQueue: queues.main, workflowId: 'a' });\n  return client.workflow.start('y', { taskQueue: cfg.queues.main, workflowId: 'b' });\n}\n",
    };
    expect(run(files, ['express']).sites).toEqual([]);
    const { sites, unresolved } = run(files, ['@temporalio/client']);
    expect(sites.map((s) => `${s.channel} ${s.unresolved}`)).toEqual(['queues.main true']);
    expect(unresolved).toEqual([
      { line: 3, what: 'Temporal task queue', labelled: 'queues.main' },
      { line: 4, what: 'Temporal task queue' },
    ]);
  });
});

describe('job queues', () => {
  it('pg-boss: send, schedule and insert produce, work consumes, createQueue declares; names from constants', () => {
    const files = {
      'src/jobs.ts': "export const JOBS = { welcome: 'welcome-email', cleanup: 'nightly-cleanup' } as const;\n",
      'api/signup.ts': [
        "import PgBoss from 'pg-boss';",
        "import { JOBS } from '../src/jobs';",
        'const queue = new PgBoss(process.env.DATABASE_URL!);',
        'export async function signup(email: string) {',
        '  await queue.createQueue(JOBS.welcome);',
        '  await queue.send(JOBS.welcome, { email });',
        "  await queue.send({ name: 'audit', data: { email } });",
        "  await queue.schedule(JOBS.cleanup, '0 3 * * *');",
        '}',
      ].join('\n'),
      'worker/main.ts': [
        "import { PgBoss } from 'pg-boss';",
        "import { JOBS } from '../src/jobs';",
        'export async function start(boss: PgBoss) {',
        '  await boss.work(JOBS.welcome, { batchSize: 5 }, async ([job]) => {});',
        '  await boss.work(JOBS.cleanup, async () => {});',
        "  const other = { send: (x: string) => x };\n  other.send('not-a-job');",
        '}',
      ].join('\n'),
    };
    const { queues } = run(files, ['pg-boss']);
    expect(queues.map(ends)).toEqual([
      'audit (pg-boss): component:api/signup.ts → -',
      'nightly-cleanup (pg-boss): component:api/signup.ts → component:worker/main.ts',
      'welcome-email (pg-boss): component:api/signup.ts → component:worker/main.ts',
    ]);
    expect(queues[2]!.details?.declaredAt).toEqual(['api/signup.ts:5']);
  });

  it('Inngest: functions triggered by events (v3 and v4 triggers), events sent by the client and by steps; cron triggers are no channel', () => {
    const files = {
      'src/inngest/client.ts': "import { Inngest } from 'inngest';\nexport const inngest = new Inngest({ id: 'shop' });\n",
      'src/inngest/events.ts': "export const ORDER_PLACED = 'shop/order.placed';\n",
      'src/inngest/functions.ts': [
        "import { inngest } from './client';",
        "import { ORDER_PLACED } from './events';",
        "export const fulfil = inngest.createFunction({ id: 'fulfil-order' }, { event: ORDER_PLACED }, async ({ event, step }) => {",
        "  await step.sendEvent('notify', { name: 'shop/order.fulfilled', data: {} });",
        '});',
        "export const receipt = inngest.createFunction({ id: 'send-receipt', triggers: [{ event: 'shop/order.fulfilled' }, { cron: '0 * * * *' }] }, async () => {});",
      ].join('\n'),
      'app/checkout.ts': [
        "import { inngest } from '../src/inngest/client';",
        "import { ORDER_PLACED } from '../src/inngest/events';",
        'export async function checkout(id: string) {',
        '  await inngest.send({ name: ORDER_PLACED, data: { id } });',
        '}',
      ].join('\n'),
    };
    const { queues } = run(files, ['inngest']);
    expect(queues.map(ends)).toEqual([
      'shop/order.fulfilled (Inngest): component:src/inngest → component:src/inngest',
      'shop/order.placed (Inngest): component:app/checkout.ts → component:src/inngest',
    ]);
    expect(queues.map((q) => q.messages)).toEqual([['send-receipt'], ['fulfil-order']]);
  });

  it('Agenda: define consumes, every/schedule/now produce', () => {
    const files = {
      'src/agenda.ts': [
        "import Agenda from 'agenda';",
        'export const agenda = new Agenda({ db: { address: process.env.MONGO_URL! } });',
        "agenda.define('send digest', async () => {});",
        "agenda.every('1 day', ['send digest', 'purge']);",
      ].join('\n'),
    };
    expect(run(files, ['agenda']).sites.map(brief).sort()).toEqual([
      'consumer Agenda send digest @src/agenda.ts:3',
      'producer Agenda purge @src/agenda.ts:4',
      'producer Agenda send digest @src/agenda.ts:4',
    ]);
  });

  it('Trigger.dev: tasks run where they are defined, triggered by id from the back end and through the task constant', () => {
    const files = {
      'trigger/emails.ts': [
        "import { schedules, task } from '@trigger.dev/sdk/v3';",
        "export const sendWelcome = task({ id: 'send-welcome', run: async (payload: { to: string }) => {} });",
        "export const digest = schedules.task({ id: 'weekly-digest', cron: '0 8 * * 1', run: async () => {",
        "  await sendWelcome.trigger({ to: 'team@example.com' });",
        '} });',
      ].join('\n'),
      'app/signup.ts': [
        "import { tasks } from '@trigger.dev/sdk/v3';",
        "import type { sendWelcome } from '../trigger/emails';",
        'export async function signup(to: string) {',
        "  await tasks.trigger<typeof sendWelcome>('send-welcome', { to });",
        '}',
      ].join('\n'),
    };
    expect(run(files, ['@trigger.dev/sdk/v3']).queues.map(ends)).toEqual([
      'send-welcome (Trigger.dev): component:app/signup.ts, component:trigger/emails.ts → component:trigger/emails.ts',
      'weekly-digest (Trigger.dev): - → component:trigger/emails.ts',
    ]);
  });

  it('Graphile Worker: jobs added by identifier, run by a task list or a tasks folder', () => {
    const files = {
      'api/orders.ts': [
        "import { quickAddJob } from 'graphile-worker';",
        'export async function placed(id: string) {',
        "  await quickAddJob({ connectionString: process.env.DATABASE_URL }, 'send_receipt', { id });",
        '}',
      ].join('\n'),
      'worker/main.ts': [
        "import { run } from 'graphile-worker';",
        "import path from 'node:path';",
        "import { resize } from './resize';",
        'run({ taskList: { resize_image: resize } });',
        "run({ taskDirectory: path.join(__dirname, 'tasks') });",
      ].join('\n'),
      'worker/resize.ts': "export const resize = async (payload: unknown, helpers: any) => {\n  await helpers.addJob('send_receipt', {});\n};\n",
      'worker/tasks/send_receipt.ts': 'export default async () => {};\n',
    };
    expect(run(files, ['graphile-worker']).queues.map(ends)).toEqual([
      'resize_image (Graphile Worker): - → component:worker/main.ts',
      'send_receipt (Graphile Worker): component:api/orders.ts, component:worker/resize.ts → component:worker/tasks',
    ]);
  });

  it('bee-queue: a queue built with its name, jobs created and saved, processed', () => {
    const files = {
      'src/queue.ts': "import Queue from 'bee-queue';\nexport const thumbnails = new Queue('thumbnails', { redis: { host: 'redis' } });\n",
      'api/upload.ts': "import { thumbnails } from '../src/queue';\nexport const upload = (id: string) => thumbnails.createJob({ id }).retries(2).save();\n",
      'worker/main.ts': "import { thumbnails } from '../src/queue';\nthumbnails.process(4, async (job) => job.data.id);\n",
    };
    expect(run(files, ['bee-queue']).queues.map(ends)).toEqual(['thumbnails (bee-queue): component:api/upload.ts → component:worker/main.ts']);
  });
});
