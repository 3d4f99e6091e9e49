/**
 * What messaging's rule sets share (rules.ts, detect.ts): sites from a name's values, queue URLs and ARNs reduced to names, NestJS
 * transports and the SQS commands.
 */
import type { FileFacts, Site } from './detect.js';
import type { Val } from './values.js';

export const SQS_PRODUCE = new Set(['SendMessageCommand', 'SendMessageBatchCommand']);
export const SQS_CONSUME = new Set(['ReceiveMessageCommand', 'DeleteMessageCommand', 'DeleteMessageBatchCommand', 'ChangeMessageVisibilityCommand']);

export const NEST_TRANSPORT_TECH: Record<string, string> = {
  KAFKA: 'Kafka',
  RMQ: 'RabbitMQ',
  NATS: 'NATS',
  REDIS: 'Redis pub/sub',
  MQTT: 'MQTT',
  TCP: 'NestJS TCP transport',
};

/**
 * NestJS microservice traffic that is a call rather than a message: everything over TCP (no broker:
 * point to point). Over a broker (NATS, Redis, MQTT, Kafka, RabbitMQ) every pattern is a channel
 * the broker carries, request/response (`@MessagePattern`, `.send()`) as well as events.
 */
export function isNestCall(transports: string[]): boolean {
  return transports.length === 1 && transports[0] === 'TCP';
}

/**
 * Sites for the values of a channel name at a line: one per value; a value only known as an
 * expression keeps the edge under that label (and is warned about), an unknown name only warns.
 */
export function addSites(facts: FileFacts, file: string, line: number, vals: Val[], base: Omit<Site, 'channel' | 'at' | 'via'>, what: string): void {
  const at = { file, line };
  let any = false;
  for (const v of vals) {
    if (v.expr !== undefined && !base.inProcess) {
      // Unknown name: the edge stays, labelled by the expression that names it.
      facts.sites.push({ ...base, channel: v.expr, unresolved: true, at, via: v.via });
      facts.unresolved.push({ line, what, labelled: v.expr });
      any = true;
      continue;
    }
    // No channel is named '' (a placeholder a property starts with before the code sets it).
    if ((v.text === undefined || v.text === '') && v.env === undefined) continue;
    any = true;
    facts.sites.push({
      ...base,
      channel: v.text ?? v.env!,
      env: v.env ?? base.env,
      envOnly: v.text === undefined || base.envOnly,
      at,
      via: v.via,
      ...(v.declaredAt ? { configAt: v.declaredAt } : {}),
    });
  }
  if (!any) facts.unresolved.push({ line, what });
}

/** A queue URL or ARN → the queue/topic name (last path or ARN segment); env-only values pass through. */
export function arnOrUrl(v: Val): Val {
  if (v.text === undefined) return v;
  const t = v.text.trim();
  if (/^arn:/.test(t)) return { ...v, text: t.split(':').pop() || t };
  if (/^https?:\/\/|^\{[^}]*\}\//.test(t) || (t.includes('/') && /sqs|amazonaws|localhost|\{/.test(t))) {
    const last = t
      .replace(/(?<!\/)\/+$/, '')
      .split('/')
      .pop();
    if (last && !/^\{.*\}$/.test(last)) return { ...v, text: last };
    return v.env ? { ...v, text: undefined } : v;
  }
  return v;
}
