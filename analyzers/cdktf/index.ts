/**
 * cdktf: CDK for Terraform apps (TypeScript or JavaScript) read statically from the run's script
 * indexes, never synthesised or run. Each resource construct of a provider's bindings
 * (`new DynamodbTable(this, 'table', { … })`) is the Terraform resource it synthesises to
 * (`aws_dynamodb_table`), with that type's role; each stack instantiation is a stack; tables,
 * buckets and databases are data stores, queues and topics queues, Lambda functions and container
 * services workloads, API Gateway v2 routes endpoints.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { emitFunctionRoutes, settleRouteComponents } from '../../src/analysis/function-routes.js';
import { emitRecovery } from '../../src/analysis/iac-recovery.js';
import { cloudWatchFact, engineStore, roleOf, provisionedStore, lambdaWorkloadDetails, networkDetails } from '../../src/data/cloud-resources.js';
import { sortedUnique } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { DataStore, Details, Evidence, ScalingFact } from '../../src/model/schema.js';
import { dirOf, isUnder } from '../../src/util/paths.js';
import { itemsOf, propOf, readLinks, type Code, type Links } from './links.js';
import { readProgram, type Program, type Resource } from './program.js';

const CDKTF_JSON = /(^|\/)cdktf\.json$/;

export default defineAnalyzer({
  meta: {
    name: 'cdktf',
    description:
      'CDK for Terraform apps read statically: provider resource constructs in stacks and construct classes as Terraform resources, data stores, queues, routes and workloads',
    produces: ['infrastructure', 'dataStores', 'queues', 'workloads', 'endpoints', 'recovery', 'scaling'],
    consumes: ['components.settled'],
    amends: ['endpoints'],
  },
  applies: (ctx) => ctx.dependsOn('cdktf') || ctx.files.some((f) => CDKTF_JSON.test(f)),
  scan(ctx) {
    const indexes = new Map<string, FileIndex>();
    return {
      wants: (file) => !ctx.isSetAside(file),
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () => {
        // Paths are read as cdktf runs the app: from the folder of its cdktf.json.
        const roots = ctx.files.filter((f) => CDKTF_JSON.test(f)).map(dirOf);
        const appRoot = (file: string) => roots.filter((r) => isUnder(file, r)).sort((a, b) => b.length - a.length)[0] ?? '.';
        emit(
          ctx,
          readProgram(indexes, (from, spec) => ctx.resolveImport(from, spec), appRoot),
        );
      },
    };
  },
  // A route is served by the component of the function it runs, which the workspace's link phase
  // may make of the function's folder after the route was emitted.
  link(model, ctx) {
    settleRouteComponents(model, ctx, ['CDK for Terraform']);
  },
});

/** The settings of a resource, under the keys the terraform analyzer uses (cdktf writes Terraform's arguments in camel case). */
function settings(p: Program, r: Resource): Details {
  const d: Details = {};
  const at = (...names: string[]) => propOf(p, r.scopes, r.site.call.args[2], ...names);
  // A name read in each stack that deploys the resource: `orders-dev`, `orders-prod` are `orders-*`.
  const str = (...names: string[]) => {
    const values = new Set<string>();
    for (const s of r.reads.length ? r.reads : r.scopes.slice(0, 1)) {
      const v = propOf(p, [s, ...r.scopes.slice(1)], r.site.call.args[2], ...names);
      const x = v ? p.ev.string(v.scope, v.value) : undefined;
      if (x !== undefined) values.add(x);
    }
    return values.size > 1 ? pattern([...values]) : [...values][0];
  };
  const num = (...names: string[]) => {
    const v = at(...names);
    return v ? p.ev.number(v.scope, v.value) : undefined;
  };
  const bool = (...names: string[]) => {
    const v = at(...names);
    const b = v ? p.ev.value(v.scope, v.value) : undefined;
    return b?.k === 'bool' ? b.value : undefined;
  };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) (d as Record<string, unknown>)[key] = value;
  };
  switch (r.site.type.tf) {
    case 'aws_dynamodb_table': {
      set('tableName', str('name'));
      set('hashKey', str('hashKey'));
      set('rangeKey', str('rangeKey'));
      set('billingMode', str('billingMode') ?? 'PROVISIONED');
      set('pointInTimeRecovery', bool('pointInTimeRecovery', 'enabled'));
      set('stream', str('streamViewType'));
      const gsis = itemsOf(p, at('globalSecondaryIndex'))
        .map((i) => propOf(p, [i.scope], i.value, 'name'))
        .map((n) => (n ? p.ev.string(n.scope, n.value) : undefined))
        .filter((n): n is string => n !== undefined);
      if (gsis.length) d.globalIndexes = sortedUnique(gsis);
      break;
    }
    case 'aws_sqs_queue':
      set('queueName', str('name'));
      set('fifo', bool('fifoQueue'));
      set('visibilityTimeoutSeconds', num('visibilityTimeoutSeconds'));
      set('retentionSeconds', num('messageRetentionSeconds'));
      break;
    case 'aws_sns_topic':
      set('topicName', str('name'));
      set('fifo', bool('fifoTopic'));
      break;
    case 'aws_lambda_function':
      set('runtime', str('runtime'));
      set('handler', str('handler'));
      set('memoryMb', num('memorySize'));
      set('timeoutSeconds', num('timeout'));
      set('reservedConcurrency', num('reservedConcurrentExecutions'));
      break;
    case 'aws_s3_bucket':
      set('bucket', str('bucket') ?? str('bucketPrefix'));
      break;
    case 'aws_db_instance':
    case 'aws_rds_cluster':
      set('engine', str('engine'));
      set('instanceClass', str('instanceClass'));
      set('multiAz', bool('multiAz'));
      set('encryptedAtRest', bool('storageEncrypted'));
      set('deletionProtection', bool('deletionProtection'));
      set('backupRetentionDays', num('backupRetentionPeriod'));
      break;
    case 'aws_cloudwatch_log_group':
      set('retentionDays', num('retentionInDays'));
      break;
    case 'aws_ecs_service':
      set('desiredCount', num('desiredCount'));
      break;
    case 'google_sql_database_instance':
      set('engine', str('databaseVersion'));
      break;
    case 'google_storage_bucket':
      set('bucket', str('name'));
      break;
  }
  return d;
}

/** What several values share, the rest written `*`: `orders-dev-links`, `orders-prod-links` → `orders-*-links`; undefined when they share nothing. */
export function pattern(values: readonly string[]): string | undefined {
  let pre = values[0]!;
  let suf = values[0]!;
  for (const v of values) {
    while (!v.startsWith(pre)) pre = pre.slice(0, -1);
    while (!v.endsWith(suf)) suf = suf.slice(1);
  }
  const shortest = Math.min(...values.map((v) => v.length));
  if (pre.length + suf.length > shortest) suf = suf.slice(pre.length + suf.length - shortest);
  return pre || suf ? `${pre}*${suf}` : undefined;
}

/** The data store a table, bucket, database or cache is (a database's by its engine). */
function storeOf(r: Resource, d: Details): { tech: string; name: string; kind: DataStore['kind']; details: Details } | undefined {
  const tf = r.site.type.tf;
  if (tf === 'aws_dynamodb_table') return { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value', details: { tables: [String(d.tableName ?? r.id)] } };
  if (tf === 'aws_s3_bucket') return { tech: 's3', name: 'Amazon S3', kind: 'object', details: { buckets: [String(d.bucket ?? r.id)] } };
  if (tf === 'google_storage_bucket') return { tech: 'gcs', name: 'Google Cloud Storage', kind: 'object', details: { buckets: [String(d.bucket ?? r.id)] } };
  if (tf === 'aws_elasticache_cluster' || tf === 'aws_elasticache_replication_group' || tf === 'aws_elasticache_serverless_cache')
    return { tech: 'redis', name: 'Redis', kind: 'cache', details: { service: 'Amazon ElastiCache' } };
  if (tf !== 'aws_db_instance' && tf !== 'aws_rds_cluster' && tf !== 'google_sql_database_instance') return undefined;
  const engine = typeof d.engine === 'string' ? d.engine : '';
  const db = engineStore(engine);
  const service = tf === 'google_sql_database_instance' ? 'Google Cloud SQL' : engine.toLowerCase().startsWith('aurora') ? 'Amazon Aurora' : 'Amazon RDS';
  return db && { tech: db[0], name: db[1], kind: 'relational', details: { service } };
}

const CHANNELS: Record<string, [string, string]> = {
  aws_sqs_queue: ['Amazon SQS', 'sqs'],
  aws_sns_topic: ['Amazon SNS', 'sns'],
  aws_cloudwatch_event_bus: ['Amazon EventBridge', 'eventBridge'],
  aws_kinesis_stream: ['Amazon Kinesis', 'kinesis'],
  google_pubsub_topic: ['Google Pub/Sub', 'pubsub'],
};

/** Container services: their kind and platform. */
const SERVICES: Record<string, [string, string, string]> = {
  aws_ecs_service: ['ecs', 'ECS service', 'AWS ECS'],
  google_cloud_run_service: ['cloud-run', 'Cloud Run service', 'Google Cloud Run'],
  google_cloud_run_v2_service: ['cloud-run', 'Cloud Run service', 'Google Cloud Run'],
};

function emit(ctx: AnalyzerContext, p: Program): void {
  const links = readLinks(p, (f) => ctx.has(f), ctx.files);
  /** Line of a script's exported handler, else 1. */
  const handlerLine = (code: Code): number => {
    const idx = p.ev.indexes.get(code.file);
    const local = idx?.exports.get(code.handler);
    return (local && idx?.functions.get(`${code.file}#${local}`)?.line) || 1;
  };
  // A resource is named by its construct id; when ids repeat, by the construct that holds it too (`orders/queue`).
  const idCount = new Map<string, number>();
  for (const r of p.resources) idCount.set(r.id, (idCount.get(r.id) ?? 0) + 1);
  const nameOf = (r: Resource) => ((idCount.get(r.id) ?? 0) > 1 && r.path.includes('/') ? r.path.split('/').slice(-2).join('/') : r.id);
  const channelName = (r: Resource, d: Details) => String(d.queueName ?? d.topicName ?? r.id);

  emitFunctionRoutes(
    ctx,
    links.routes.map((rt) => {
      const code = rt.fn ? links.code.get(rt.fn.key) : undefined;
      return {
        method: rt.method,
        path: rt.path,
        fn: rt.fn ? nameOf(rt.fn) : undefined,
        handlerFile: code?.file,
        handlerLine: code ? handlerLine(code) : undefined,
        auth: rt.auth,
        file: rt.file,
        line: rt.line,
      };
    }),
    () => 'CDK for Terraform',
  );

  // Stacks: one Terraform configuration each, with what it declares.
  const stackIds = new Set<string>();
  for (const s of p.stacks) {
    const id = idOf.infra('cdktf', `stack:${s.name}`);
    if (stackIds.has(id)) continue;
    stackIds.add(id);
    const own = p.resources.filter((r) => r.stacks.includes(s.name));
    const extra = p.stackDetails.get(s.name);
    const details: Details = {
      resources: own.length,
      providers: sortedUnique(own.map((r) => r.site.type.provider)),
    };
    if (extra?.outputs.length) details.outputs = sortedUnique(extra.outputs);
    if (extra?.variables.length) details.variables = sortedUnique(extra.variables);
    if (extra?.backend) details.stateBackend = extra.backend;
    ctx.emit('infrastructure', {
      id,
      name: s.name,
      type: s.cls,
      role: 'other',
      source: 'cdktf',
      details,
      evidence: [{ file: s.file, line: s.line }],
    });
  }

  const ids = new Set<string>();
  for (const r of p.resources) {
    const t = r.site.type;
    const ev: Evidence = { file: r.site.file, line: r.site.line };
    const details: Details = { construct: t.cls };
    if (r.stacks.length) details.stacks = r.stacks;
    Object.assign(details, settings(p, r));
    if (links.websites.has(r.key)) details.website = true;
    let id = idOf.infra('cdktf', r.path);
    if (ids.has(id)) id = `${id}@${r.site.file}:${r.site.line}`;
    if (ids.has(id)) continue;
    ids.add(id);
    const name = nameOf(r);
    ctx.emit('infrastructure', {
      id,
      name,
      type: t.tf,
      role: roleOf(t.tf),
      provider: t.provider,
      source: 'cdktf',
      details: { ...details, ...networkDetails(t.tf, t.tf) },
      evidence: [ev],
    });
    // CloudWatch alarms and dashboards are observability, as Terraform's and CDK's are.
    if (t.tf === 'aws_cloudwatch_metric_alarm' || t.tf === 'aws_cloudwatch_composite_alarm' || t.tf === 'aws_cloudwatch_dashboard') {
      const alarm = t.tf !== 'aws_cloudwatch_dashboard';
      const given = propOf(p, r.scopes, r.site.call.args[2], alarm ? 'alarmName' : 'dashboardName');
      const threshold = alarm ? propOf(p, r.scopes, r.site.call.args[2], 'threshold') : undefined;
      const value = threshold ? p.ev.number(threshold.scope, threshold.value) : undefined;
      const label = (given && p.ev.string(given.scope, given.value)) || name;
      ctx.emit(
        'observability',
        cloudWatchFact(alarm ? 'alarm' : 'dashboard', label, ctx.componentOf(r.site.file), value !== undefined ? { threshold: String(value) } : {}, ev),
      );
    }
    emitRecovery(
      ctx,
      'cdktf',
      r.path,
      details,
      ev,
      {
        pointInTimeRecovery: 'pointInTimeRecovery.enabled',
        versioning: 'versioningConfiguration.status',
        multiAz: 'multiAz',
        deletionProtection: 'deletionProtection',
        backupRetentionDays: 'backupRetentionPeriod',
      },
      id,
    );
    if (typeof details.reservedConcurrency === 'number')
      ctx.emit('scaling', {
        id: idOf.scaling('lambda', `cdktf:${r.path}`),
        name: `Lambda ${name}`,
        category: 'concurrency',
        tech: 'cdktf',
        details: { max: details.reservedConcurrency, policies: [{ by: 'lambda-concurrency' }], workload: idOf.workload('lambda', `cdktf:${r.path}`) },
        evidence: [ev],
      } as ScalingFact);

    const envVars = sortedUnique(links.envVars.get(r.key) ?? []);
    // A bucket that serves a website holds a front end's files, not the application's data.
    const store = details.website ? undefined : storeOf(r, details);
    const channel = CHANNELS[t.tf];
    const service = SERVICES[t.tf];
    if (store) {
      ctx.emit('dataStores', provisionedStore(store, r.path, envVars, ev));
    } else if (channel) {
      emitChannel(ctx, p, links, r, channelName(r, details), channel[0], envVars, details, nameOf, handlerLine, channelName);
    } else if (service) {
      const component = ctx.componentOf(r.site.file);
      ctx.emit('workloads', {
        id: idOf.workload(service[0], `cdktf:${r.path}`),
        name,
        kind: service[1],
        ...(component ? { component } : {}),
        details: {
          source: 'cdktf',
          resource: r.path,
          platform: service[2],
          ...(typeof details.desiredCount === 'number' ? { replicas: details.desiredCount } : {}),
        },
        evidence: [ev],
      });
    } else if (t.tf === 'aws_lambda_function') {
      const code = links.code.get(r.key);
      const env = propOf(p, r.scopes, r.site.call.args[2], 'environment', 'variables');
      const vars = env ? p.ev.objectIn([env.scope], env.value) : undefined;
      const events = [...links.consumers.entries()]
        .filter(([, fns]) => fns.has(r.key))
        .map(([k]) => p.byKey.get(k))
        .filter((s): s is Resource => s !== undefined && CHANNELS[s.site.type.tf] !== undefined)
        .map((s) => `${CHANNELS[s.site.type.tf]![1]} ${channelName(s, settings(p, s))}`);
      const wd = lambdaWorkloadDetails('cdktf', r.path, details, code, Object.keys(vars?.props ?? {}), events);
      const component = code ? undefined : ctx.componentOf(r.site.file);
      ctx.emit('workloads', {
        id: idOf.workload('lambda', `cdktf:${r.path}`),
        name,
        kind: 'Lambda function',
        ...(component ? { component } : {}),
        details: wd,
        evidence: code ? [ev, { file: code.file, line: handlerLine(code) }] : [ev],
      });
    }
  }
}

function emitChannel(
  ctx: AnalyzerContext,
  p: Program,
  links: Links,
  r: Resource,
  name: string,
  tech: string,
  envVars: string[],
  details: Details,
  nameOf: (r: Resource) => string,
  handlerLine: (c: Code) => number,
  channelName: (r: Resource, d: Details) => string,
): void {
  const fed = [...(links.consumers.get(r.key) ?? [])].sort();
  const fns = fed.map((k) => p.byKey.get(k)).filter((x): x is Resource => x !== undefined);
  const code = fed.map((k) => links.code.get(k)).filter((c): c is Code => c !== undefined);
  const qd: Details = { provisionedBy: [r.path], producerSites: [], consumerSites: sortedUnique(code.map((c) => `${c.file}:${handlerLine(c)}`)) };
  if (fns.length) qd.consumedBy = sortedUnique(fns.map(nameOf));
  if (envVars.length) qd.envVars = envVars;
  if (details.fifo === true) qd.fifo = true;
  const named = (k: string) => {
    const x = p.byKey.get(k);
    return x ? idOf.queue(channelName(x, settings(p, x))) : undefined;
  };
  const into = [...(links.feeds.get(r.key) ?? [])].map(named).filter((x): x is string => x !== undefined);
  const from = [...links.feeds.entries()]
    .filter(([, to]) => to.has(r.key))
    .map(([k]) => named(k))
    .filter((x): x is string => x !== undefined);
  if (into.length) qd.drainedBy = sortedUnique(into);
  if (from.length) qd.fedBy = sortedUnique(from);
  ctx.emit('queues', {
    id: idOf.queue(name),
    name,
    tech,
    producers: [],
    consumers: sortedUnique(code.map((c) => ctx.componentOf(c.file)).filter((c): c is string => c !== undefined)),
    details: qd,
    evidence: [{ file: r.site.file, line: r.site.line }],
  });
}
