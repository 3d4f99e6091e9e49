import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model, Queue } from '../../src/model/schema.js';

function queue(model: Model, id: string): Queue {
  const q = model.queues.find((x) => x.id === id);
  if (!q) throw new Error(`${id} not found; have ${model.queues.map((x) => x.id).join(', ')}`);
  return q;
}

describe('messaging: NestJS BullMQ monorepo (names from a shared-package enum)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('nest-bullmq-monorepo');
  }, 60_000);

  it('finds every queue, named through the @acme/shared enum', () => {
    expect(model.queues.map((q) => q.id)).toEqual([
      'queue:archive-orders',
      'queue:audit-log',
      'queue:cleanup-uploads',
      'queue:email',
      'queue:inbound-webhooks',
      'queue:media-thumbnails',
      'queue:order-fulfilment',
      'queue:push-notifications',
      'queue:reminders',
      'queue:reports',
    ]);
    expect(model.queues.every((q) => q.tech === 'BullMQ')).toBe(true);
  });

  it('puts the producer in the api package and the consumer in the worker package', () => {
    const email = queue(model, 'queue:email');
    expect(email.producers).toEqual(['component:apps/api']);
    expect(email.consumers).toEqual(['component:apps/worker']);
    expect(email.messages).toEqual(['send-password-reset', 'send-welcome']);
    expect(email.details?.producerSites).toEqual(['apps/api/src/users/users.service.ts:11', 'apps/api/src/users/users.service.ts:15']);
    expect(email.details?.consumerSites).toEqual(['apps/worker/src/email.processor.ts:5']);
    expect(email.evidence).toContainEqual({ file: 'apps/api/src/app.module.ts', line: 19 });
  });

  it("names a queue read as `X.name` by the name X's queue was made with (new Queue(…), a wrapper's createQueue(…))", () => {
    const thumbs = queue(model, 'queue:media-thumbnails');
    expect(thumbs.producers).toEqual(['component:apps/api']);
    expect(thumbs.consumers).toEqual(['component:apps/worker']);
    expect(thumbs.details?.consumerSites).toEqual(['apps/worker/src/thumbnail.worker.ts:5']);
    const cleanup = queue(model, 'queue:cleanup-uploads');
    expect(cleanup.consumers).toEqual(['component:apps/worker']);
    // The flow producer adds the cleanup child and the archive parent.
    expect(cleanup.producers).toEqual(['component:apps/worker']);
    expect(queue(model, 'queue:archive-orders').details?.consumerSites).toEqual(['apps/worker/src/cleanup.processor.ts:22']);
    expect(model.queues.some((q) => q.name.endsWith('.name') || q.details?.nameUnresolved)).toBe(false);
  });

  it('never takes a flow producer registration for a queue', () => {
    expect(model.queues.map((q) => q.name)).not.toContain('maintenance-flows');
  });

  it('reads job names from an `as const` object and `job.name ===` checks', () => {
    const q = queue(model, 'queue:order-fulfilment');
    expect(q.messages).toEqual(['cancel-fulfilment', 'fulfil-order']);
    expect(q.consumers).toEqual(['component:apps/worker']);
  });

  it('follows an abstract queueName set by a subclass in another package to that subclass', () => {
    const q = queue(model, 'queue:reports');
    expect(q.producers).toEqual(['component:apps/api']);
    // The Worker is constructed in packages/shared, but the queue is chosen by apps/worker.
    expect(q.consumers).toEqual(['component:apps/worker']);
    expect(q.evidence).toContainEqual({ file: 'packages/shared/src/base-worker.ts', line: 14 });
    expect(q.details?.consumerSites).toEqual(['apps/worker/src/reports.worker.ts:4']);
  });

  it('does not credit a queue wrapper to a package whose class merely shares a name with one that uses it', () => {
    // api: RemindersQueue ← ReminderService (api). worker has its own ReminderService, injected into DigestService.
    const q = queue(model, 'queue:reminders');
    expect(q.producers).toEqual(['component:apps/api']);
    expect(q.details?.producerSites).toEqual(['apps/api/src/reminders/reminders.queue.ts:11']);
  });

  it('credits a queue wrapper in a shared library to the package that adds through it, not to a health check', () => {
    const q = queue(model, 'queue:push-notifications');
    // `new QueueClass(name)` where QueueClass is BullMQ's Queue or BullMQ Pro's QueuePro.
    expect(q.evidence).toContainEqual({ file: 'packages/shared/src/queue-service.ts', line: 14 });
    expect(q.evidence).toContainEqual({ file: 'packages/shared/src/queue-service.ts', line: 28 });
    expect(q.producers).toEqual(['component:apps/api']);
    expect(q.details?.producerSites).toEqual(['apps/api/src/notifications/notifications.service.ts:6']);
    expect(q.evidence.some((e) => e.file === 'apps/api/src/health/health.controller.ts')).toBe(false);
    expect(q.consumers).toEqual(['component:apps/worker']);
  });

  it('keeps one-ended queues (producer only, consumer only)', () => {
    const audit = queue(model, 'queue:audit-log');
    expect(audit.consumers).toEqual([]);
    expect(audit.producers).toEqual(['component:apps/api']);
    const hooks = queue(model, 'queue:inbound-webhooks');
    expect(hooks.producers).toEqual([]);
    expect(hooks.consumers).toEqual(['component:apps/worker']);
  });

  it('resolves everything without warnings', () => {
    expect(model.warnings.filter((w) => w.analyzer === 'messaging')).toEqual([]);
  });
});

describe('messaging: event-driven services (kafkajs, amqplib, SQS/SNS, plain BullMQ, EventEmitter)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('event-driven-services');
  }, 60_000);

  it('maps Kafka topics from a shared config object, with a producer-only topic kept', () => {
    const placed = queue(model, 'queue:orders.placed');
    expect(placed.tech).toBe('Kafka');
    expect(placed.producers).toEqual(['component:services/orders']);
    expect(placed.consumers).toEqual(['component:services/notifications']);
    const cancelled = queue(model, 'queue:orders.cancelled');
    expect(cancelled.consumers).toEqual([]);
  });

  it('joins the SQS producer and consumer through the environment variable carrying the URL', () => {
    const billing = queue(model, 'queue:env:BILLING_QUEUE_URL');
    expect(billing.tech).toBe('Amazon SQS');
    expect(billing.producers).toEqual(['component:services/orders']);
    expect(billing.consumers).toEqual(['component:services/billing']);
    expect(billing.details?.envVars).toEqual(['BILLING_QUEUE_URL']);
    const sns = queue(model, 'queue:env:ORDER_EVENTS_TOPIC_ARN');
    expect(sns.tech).toBe('Amazon SNS');
    expect(sns.consumers).toEqual([]);
  });

  it('links a RabbitMQ exchange to the queue bound to it', () => {
    const ex = queue(model, 'queue:notifications');
    expect(ex.details?.kind).toBe('exchange');
    expect(ex.producers).toEqual(['component:services/orders']);
    expect(ex.messages).toEqual(['email.order-confirmation']);
    expect(ex.details?.bindings).toEqual(['email.* → notification-emails']);
    expect(ex.details?.drainedBy).toEqual(['queue:notification-emails']);
    const q = queue(model, 'queue:notification-emails');
    expect(q.consumers).toEqual(['component:services/notifications']);
    expect(q.details?.fedBy).toEqual(['queue:notifications']);
  });

  it('finds a plain BullMQ queue whose handle is exported and used from another file', () => {
    const q = queue(model, 'queue:page-views');
    expect(q.details?.producerSites).toContain('services/analytics/src/server.ts:6');
    expect(q.consumers).toEqual(['component:services/analytics']);
    expect(q.messages).toEqual(['page-view']);
  });

  it('keeps an in-process event only when emitted in one module and handled in another', () => {
    const ev = queue(model, 'queue:event:order.placed');
    expect(ev.tech).toBe('EventEmitter');
    expect(ev.details?.producerSites).toEqual(['services/orders/src/server.ts:13']);
    expect(ev.details?.consumerSites).toEqual(['services/orders/src/listeners/audit.ts:3']);
    // `domainEvents.on('error')` is Node's own event, never a bus channel.
    expect(model.queues.some((q) => q.id === 'queue:event:error')).toBe(false);
  });

  it('never records a secret value, only environment variable names', () => {
    const text = JSON.stringify(model.queues);
    expect(text).not.toContain('amqp://');
    expect(text).not.toContain('localhost');
  });
});
