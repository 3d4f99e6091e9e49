/**
 * What a CDK app says about fan-out between channels, beyond which feeds which (links.ts): the
 * filter policy of a queue's SNS subscription and the event pattern of a rule that targets a queue
 * (what the messaging analyzer matches publishes against), channels imported from another stack
 * by export name (`Topic.fromTopicArn(this, 'Id', Fn.importValue('orders-topic'))`), and what the
 * app exports (`new CfnOutput(this, 'Id', { value: topic.topicArn, exportName: 'orders-topic' })`).
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { Value } from '../../src/analysis/index-file.js';
import { propOf, type App, type Imported, type Resource } from './app.js';
import { isQueue } from './constructs.js';

/** A channel imported by export name, and the queues it delivers into (resource keys). */
export interface ImportedFeed {
  imported: Imported;
  into: Set<string>;
}

const add = (m: Map<string, Set<string>>, key: string, values: string[]) => {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  for (const v of values) s.add(v);
};

/**
 * The filter policy of `new SqsSubscription(queue, { filterPolicy: { actionType:
 * SubscriptionFilter.stringFilter({ allowlist: ['a', 'b'] }) } })`, as `actionType=a`,
 * `actionType=b`; a filter whose values are not read (other filter kinds, values unknown) is
 * `actionType=?`, so that no publish is taken to pass it.
 */
export function subscriptionFilters(app: App, item: { value: Value; scope: Scope }): string[] {
  if (item.value.k !== 'call' || !item.value.call.isNew) return [];
  const policy = app.ev.objectIn([item.scope], propOf(app, [item.scope], item.value.call.args[1], 'filterPolicy')?.value);
  if (!policy) return [];
  const out: string[] = [];
  for (const [name, f] of Object.entries(policy.props)) {
    const kind = f.k === 'call' ? f.call.names[f.call.names.length - 1] : undefined;
    const list =
      kind === 'stringFilter' && f.k === 'call'
        ? (propOf(app, [policy.scope], f.call.args[0], 'allowlist') ?? propOf(app, [policy.scope], f.call.args[0], 'whitelist'))
        : undefined;
    const values = list ? app.ev.strings(list.scope, list.value) : undefined;
    if (values?.length) for (const v of values) out.push(`${name}=${v}`);
    else out.push(`${name}=?`);
  }
  return out;
}

/** What a rule's event pattern matches, as the messaging analyzer reads a publish: `detail-type=…`, `source=…`. */
export function patternFilters(app: App, rule: Resource): string[] {
  const pattern = propOf(app, rule.scopes, rule.site.props, 'eventPattern');
  if (!pattern) return [];
  const out: string[] = [];
  for (const [key, name] of [
    ['detailType', 'detail-type'],
    ['source', 'source'],
  ] as const) {
    const p = propOf(app, [pattern.scope], pattern.value, key);
    if (!p) continue;
    const values = app.ev.strings(p.scope, p.value);
    if (values?.length) for (const v of values) out.push(`${name}=${v}`);
    else out.push(`${name}=?`);
  }
  return out;
}

/** Records the filters a queue is fed through; only queues have them (a function subscribed is a consumer, filtered or not). */
export function addFilters(filters: Map<string, Set<string>>, to: Resource | undefined, list: string[]): void {
  if (to && list.length > 0 && isQueue(to.site.type)) add(filters, to.key, list);
}

/** A subscription on a channel imported by export name: the queue it feeds, kept under the export's name. */
export function importedFeed(app: App, imports: Map<string, ImportedFeed>, scopes: Scope[], receiver: Value, to: Resource | undefined): boolean {
  const v = app.ev.value(scopes[0]!, receiver);
  if (v?.k !== 'imported') return false;
  if (!to || !isQueue(to.site.type)) return true;
  const feed = imports.get(v.exportName) ?? { imported: v, into: new Set<string>() };
  imports.set(v.exportName, feed);
  feed.into.add(to.key);
  return true;
}

/** Export names by resource key: `new CfnOutput(this, 'Id', { value: topic.topicArn, exportName: 'orders-topic' })`. */
export function readExports(app: App): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of app.files) {
    for (const fn of app.ev.indexes.get(file)!.functions.values()) {
      const outputs = fn.calls.filter((c) => c.isNew && (c.root === 'CfnOutput' || c.names[c.names.length - 1] === 'CfnOutput'));
      if (outputs.length === 0) continue;
      for (const scope of app.scopesOf(fn)) {
        for (const call of outputs) {
          const root = app.ev.ident(scope, call.root);
          if (root?.k !== 'pkg' || !(root.pkg === 'aws-cdk-lib' || root.pkg === '@aws-cdk/core')) continue;
          const name = propOf(app, [scope], call.args[2], 'exportName');
          const value = propOf(app, [scope], call.args[2], 'value');
          const exportName = name ? app.ev.string(name.scope, name.value) : undefined;
          const target = value ? app.ev.construct([value.scope], value.value) : undefined;
          if (exportName && target) add(out, target.key, [exportName]);
        }
      }
    }
  }
  return out;
}
