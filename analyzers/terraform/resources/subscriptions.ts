/**
 * SNS subscriptions of SQS queues (`aws_sns_topic_subscription` with `protocol = "sqs"`): the
 * topic feeds the queue (`fedBy` on the queue, `drainedBy` on the topic), through the
 * subscription's `filter_policy` when it has one (`details.filters`, which the messaging analyzer
 * matches publishes' message attributes against: `eventType=order_placed` for each string allowed,
 * `eventType=?` for a condition it does not read, `policy=?` for a policy it cannot read at all).
 */
import { compareStrings } from '../../../src/model/compare.js';
import { idOf } from '../../../src/model/ids.js';
import type { Block, RuleInput } from '../out.js';
import { literalName } from '../values.js';

/** The name a queue or topic block's fact has (as the messaging rules name it). */
export function channelName(b: Block): string {
  return literalName(b.body.name) ?? literalName(b.body.name_prefix) ?? b.name.replace(/_/g, '-');
}

export function snsSubscription({ out, b, body }: RuleInput): void {
  if (body.protocol !== 'sqs') return;
  const topic = out.ref(b, 'aws_sns_topic');
  const queue = out.ref(b, 'aws_sqs_queue');
  if (!topic || !queue) return;
  const filters = body.filter_policy === undefined ? [] : policyFilters(String(body.filter_policy), body.filter_policy_scope === 'MessageBody');
  out.queue(queue, channelName(queue), 'Amazon SQS', { fedBy: [idOf.queue(channelName(topic))], ...(filters.length ? { filters } : {}) });
  out.queue(topic, channelName(topic), 'Amazon SNS', { kind: 'topic', drainedBy: [idOf.queue(channelName(queue))] });
}

/** Tokens of a policy as written (JSON, or HCL inside `jsonencode(…)`): strings, numbers and words, and punctuation. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length && out.length < 2000; ) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if ('{}[]=:,()'.includes(c)) {
      out.push(c);
      i++;
    } else if (/[\w.$-]/.test(c)) {
      let j = i;
      while (j < text.length && /[\w.$-]/.test(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j;
    } else i++;
  }
  return out;
}

/** `name=value` for each string (or number) a top-level attribute of the policy allows; `name=?` for any other condition. */
function policyFilters(text: string, onBody: boolean): string[] {
  const t = tokens(text);
  const open = t.indexOf('{');
  if (open < 0) return ['policy=?'];
  const out: string[] = [];
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1) : s);
  for (let i = open + 1; i < t.length; i++) {
    const key = t[i]!;
    if (key === '}') break;
    if (key === ',' || (t[i + 1] !== '=' && t[i + 1] !== ':')) continue;
    const name = unquote(key);
    let j = i + 2;
    const values: string[] = [];
    let known = !onBody;
    if (t[j] === '[' || t[j] === '{') {
      // Plain strings and numbers in a list are allowed values; anything nested (`{ prefix = "x" }`) is a condition not read.
      known &&= t[j] === '[';
      for (let depth = 0; j < t.length; j++) {
        const x = t[j]!;
        if (x === '{' || x === '[') depth++;
        else if (x === '}' || x === ']') depth--;
        else if (x !== ',' && depth === 1) values.push(unquote(x));
        if (depth > 1) known = false;
        if (depth === 0) break;
      }
    } else if (t[j] !== undefined) values.push(unquote(t[j]!));
    if (known && values.length) for (const v of values) out.push(`${name}=${v}`);
    else out.push(`${name}=?`);
    i = j;
  }
  return out.length ? [...new Set(out)].sort(compareStrings) : ['policy=?'];
}
