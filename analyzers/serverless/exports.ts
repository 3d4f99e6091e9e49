/**
 * Channels shared between stacks by CloudFormation exports: a service's or template's `Outputs`
 * that export a queue or topic (`Value: !Ref CustomerTopic`, `Export: { Name: customer-topic }`)
 * give that channel its export name (`details.exportNames`), and an environment variable whose
 * value imports one (`NOTIFY_TOPIC: { 'Fn::ImportValue': notifySvcArn }`) is listed on
 * `queue:export:<name>`, which the messaging analyzer's link phase joins to the channel exported
 * under that name (CDK's `CfnOutput` or another template's `Outputs`), and so the code that
 * publishes to `process.env.NOTIFY_TOPIC` to it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { asRecord, str } from '../../src/analysis/yaml.js';
import { compareStrings } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { Evidence } from '../../src/model/schema.js';

type Locate = (path: readonly (string | number)[]) => Evidence;

/** An export name with an unresolved variable (`${self:service}-topic`, `{{resolve:…}}`) is no name. */
const templated = (name: string) => name.includes('${') || name.includes('{{');

/** The intrinsic as CloudFormation spells it, and the one-colon slip it is sometimes written with. */
const IMPORT_VALUE = 'Fn::ImportValue';
const IMPORT_VALUE_SLIP = 'Fn:ImportValue';

/** Queues and topics of a template by logical id: their channel name and technology. */
export type Channels = Map<string, { name: string; tech: string }>;

/** The logical id an output's value refers to: `!Ref X`, `!GetAtt X.TopicArn`, `{ 'Fn::GetAtt': [X, 'Arn'] }`. */
function referred(v: unknown): string | undefined {
  const r = asRecord(v);
  if (!r) return undefined;
  if (typeof r.Ref === 'string') return r.Ref;
  const ga = r['Fn::GetAtt'];
  if (Array.isArray(ga)) return str(ga[0]);
  return typeof ga === 'string' ? ga.split('.')[0] : undefined;
}

/** Each output that exports a queue or topic of the template, as a partial queue fact naming the export. */
export function emitExports(ctx: AnalyzerContext, outputs: unknown, channels: Channels, locate: Locate, outputsPath: readonly string[]): void {
  for (const [key, raw] of Object.entries(asRecord(outputs) ?? {}).sort((a, b) => compareStrings(a[0], b[0]))) {
    const o = asRecord(raw);
    const exportName = str(asRecord(o?.Export)?.Name);
    const logical = referred(o?.Value);
    const channel = logical ? channels.get(logical) : undefined;
    if (!exportName || !channel || templated(exportName)) continue;
    ctx.emit('queues', {
      id: idOf.queue(channel.name),
      name: channel.name,
      tech: channel.tech,
      producers: [],
      consumers: [],
      details: { exportNames: [exportName] },
      evidence: [locate([...outputsPath, key])],
    });
  }
}

/**
 * Environment variables whose value imports another stack's export: `queue:export:<name>` with the
 * variable in `details.envVars`. `Fn:ImportValue` (one colon), which CloudFormation does not know
 * and would reject, is read as the import it is meant to be, with a warning naming the slip.
 */
export function emitImports(ctx: AnalyzerContext, envs: { env: unknown; path: readonly (string | number)[] }[], locate: Locate): void {
  for (const { env, path } of envs) {
    for (const [name, v] of Object.entries(asRecord(env) ?? {})) {
      const r = asRecord(v);
      if (!r) continue;
      const slip = !Object.hasOwn(r, IMPORT_VALUE) && Object.hasOwn(r, IMPORT_VALUE_SLIP);
      const exportName = str(r[slip ? IMPORT_VALUE_SLIP : IMPORT_VALUE]);
      if (!exportName || templated(exportName)) continue;
      const at = locate([...path, name]);
      if (slip)
        ctx.warn(
          at.file,
          at.line,
          `serverless: ${name} is given with "${IMPORT_VALUE_SLIP}" (one colon), which CloudFormation does not know and would reject; read as ${IMPORT_VALUE} of ${exportName}`,
        );
      ctx.emit('queues', {
        id: idOf.exportedQueue(exportName),
        name: exportName,
        tech: 'AWS CloudFormation export',
        producers: [],
        consumers: [],
        details: { envVars: [name] },
        evidence: [at],
      });
    }
  }
}

/**
 * SNS subscriptions of a queue of the template (`AWS::SNS::Subscription` with `Protocol: sqs`, its
 * `TopicArn` and `Endpoint` referring to a topic and a queue of the template): the queue is fed by
 * the topic (`fedBy`, `drainedBy` on the topic), through its `FilterPolicy` when it has one
 * (`details.filters`, as the messaging analyzer matches publishes against them: `actionType=a` for
 * each string allowed, `actionType=?` for a condition it does not read, such as a prefix).
 */
export function emitSubscriptions(
  ctx: AnalyzerContext,
  resources: Record<string, unknown>,
  channels: Channels,
  locate: Locate,
  resourcesPath: readonly string[],
): void {
  for (const [logical, raw] of Object.entries(resources).sort((a, b) => compareStrings(a[0], b[0]))) {
    const r = asRecord(raw);
    const p = asRecord(r?.Properties);
    if (r?.Type !== 'AWS::SNS::Subscription' || !p || str(p.Protocol) !== 'sqs') continue;
    const topicId = referred(p.TopicArn);
    const queueId = referred(p.Endpoint);
    const topic = topicId ? channels.get(topicId) : undefined;
    const queue = queueId ? channels.get(queueId) : undefined;
    if (!topic || !queue || topic.tech !== 'Amazon SNS' || queue.tech !== 'Amazon SQS') continue;
    const filters: string[] = [];
    for (const [name, allowed] of Object.entries(asRecord(p.FilterPolicy) ?? {})) {
      const values = Array.isArray(allowed) ? allowed : [allowed];
      // A policy on the message body (`FilterPolicyScope: MessageBody`) is not about attributes: not read.
      const body = str(p.FilterPolicyScope) === 'MessageBody';
      for (const v of values) filters.push(!body && (typeof v === 'string' || typeof v === 'number') ? `${name}=${v}` : `${name}=?`);
    }
    const at = locate([...resourcesPath, logical]);
    ctx.emit('queues', {
      id: idOf.queue(queue.name),
      name: queue.name,
      tech: queue.tech,
      producers: [],
      consumers: [],
      details: { fedBy: [idOf.queue(topic.name)], ...(filters.length ? { filters: [...new Set(filters)].sort(compareStrings) } : {}) },
      evidence: [at],
    });
    ctx.emit('queues', {
      id: idOf.queue(topic.name),
      name: topic.name,
      tech: topic.tech,
      producers: [],
      consumers: [],
      details: { drainedBy: [idOf.queue(queue.name)] },
      evidence: [at],
    });
  }
}
