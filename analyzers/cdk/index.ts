/**
 * cdk: AWS CDK apps read statically from the run's script indexes, never synthesised or run.
 * Constructs (L1 `Cfn*`, L2, L3 patterns) become infrastructure in the terraform analyzer's
 * vocabulary and roles; tables, buckets and databases data stores; queues, topics and event buses
 * queues, with the functions their event sources feed as consumers and the environment variables
 * that carry them to code; functions and container services workloads.
 */
import { cloudWatchFact, provisionedStore, lambdaWorkloadDetails, networkDetails } from '../../src/data/cloud-resources.js';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { Value } from '../../src/analysis/index-file.js';
import { emitFunctionRoutes, settleRouteComponents } from '../../src/analysis/function-routes.js';
import { emitRecovery } from '../../src/analysis/iac-recovery.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { DataStore, Details, Evidence, ScalingFact } from '../../src/model/schema.js';
import { dirOf, isUnder } from '../../src/util/paths.js';
import { readApp, type App, type Resource } from './app.js';
import {
  engineStore,
  isBucket,
  isBus,
  isCache,
  isContainerService,
  isDatabase,
  isFunction,
  isQueue,
  isSearch,
  isTable,
  isTopic,
  lowerEnum,
  RETENTION_DAYS,
  roleOfConstruct,
  terraformTypeOfConstruct,
  typeName,
} from './constructs.js';
import { networkOf } from './network.js';
import { readExports } from './topology.js';
import { emitPutEvents, readTaskPublishes, tasksPassing } from './tasks.js';
import { codeOf, environments, imageFolder, NAME_PROP, propOf, readLinks, triggerKind, type Code, type Links } from './links.js';

export default defineAnalyzer({
  meta: {
    name: 'cdk',
    description: 'AWS CDK apps read statically: constructs (L1, L2, L3) in stacks and construct classes as infrastructure, data stores, queues and workloads',
    produces: ['infrastructure', 'dataStores', 'queues', 'workloads', 'recovery', 'endpoints', 'observability', 'scaling'],
    consumes: ['components.settled'],
    amends: ['endpoints'],
  },
  applies: (ctx) => ctx.dependsOn('aws-cdk-lib') || ctx.files.some((f) => f === 'cdk.json' || f.endsWith('/cdk.json')),
  scan(ctx) {
    const indexes = new Map<string, FileIndex>();
    return {
      wants: (file) => !ctx.isSetAside(file),
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () =>
        emit(
          ctx,
          readApp(indexes, (from, spec) => ctx.resolveImport(from, spec)),
        ),
    };
  },
  // A route is served by the component of the function it integrates, which the workspace's link
  // phase may make of the function's folder after the route was emitted.
  link(model, ctx) {
    settleRouteComponents(model, ctx, ['AWS CDK']);
  },
});

/** Seconds of a `Duration.seconds(30)`, `Duration.minutes(5)` …, or a plain number. */
function seconds(app: App, scope: Scope, v: Value): number | undefined {
  if (v.k === 'num') return v.v;
  if (v.k !== 'call' || v.call.isNew) return undefined;
  const unit = v.call.names[v.call.names.length - 1];
  const n = v.call.args[0] ? app.ev.number(scope, v.call.args[0]) : undefined;
  const factor = unit === 'seconds' ? 1 : unit === 'minutes' ? 60 : unit === 'hours' ? 3600 : unit === 'days' ? 86400 : undefined;
  return n === undefined || factor === undefined ? undefined : n * factor;
}

/** The member an enum-like reference names, as written: `RemovalPolicy.DESTROY` → DESTROY. */
function member(v: Value): string | undefined {
  if (v.k !== 'ref' || !v.path.includes('.')) return undefined;
  return v.path.slice(v.path.lastIndexOf('.') + 1);
}

/** The settings of a resource, under the keys the terraform analyzer uses. */
function settings(app: App, r: Resource, code: Code | undefined): Details {
  const d: Details = {};
  const t = r.site.type;
  const p = (name: string) => propOf(app, r.scopes, r.site.props, name);
  const str = (name: string) => {
    const v = p(name);
    return v ? app.ev.string(v.scope, v.value) : undefined;
  };
  const bool = (name: string) => {
    const v = p(name);
    const b = v ? app.ev.value(v.scope, v.value) : undefined;
    return b?.k === 'bool' ? b.value : undefined;
  };
  const num = (name: string) => {
    const v = p(name);
    return v ? app.ev.number(v.scope, v.value) : undefined;
  };
  const enumOf = (name: string) => {
    const v = p(name);
    return v ? member(v.value) : undefined;
  };
  const dur = (name: string) => {
    const v = p(name);
    return v ? seconds(app, v.scope, v.value) : undefined;
  };
  const keyName = (name: string) => {
    const key = p(name);
    const n = key ? propOf(app, [key.scope], key.value, 'name') : undefined;
    return n ? app.ev.string(n.scope, n.value) : undefined;
  };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) (d as Record<string, unknown>)[key] = value;
  };
  if (isTable(t)) {
    set('tableName', str('tableName'));
    set('hashKey', keyName('partitionKey'));
    set('rangeKey', keyName('sortKey'));
    set('billingMode', enumOf('billingMode') ?? (t.name === 'TableV2' ? undefined : 'PROVISIONED'));
    set('pointInTimeRecovery', bool('pointInTimeRecovery'));
    set('stream', enumOf('stream'));
  } else if (isQueue(t)) {
    set('queueName', str('queueName'));
    set('fifo', bool('fifo'));
    set('visibilityTimeoutSeconds', dur('visibilityTimeout'));
    set('retentionSeconds', dur('retentionPeriod'));
  } else if (isTopic(t)) {
    set('topicName', str('topicName'));
    set('fifo', bool('fifo'));
  } else if (isFunction(t)) {
    set('runtime', enumOf('runtime'));
    set('handler', code ? `${code.file}:${code.handler}` : str('handler'));
    set('memoryMb', num('memorySize'));
    set('timeoutSeconds', dur('timeout'));
    set('reservedConcurrency', num('reservedConcurrentExecutions'));
  } else if (isBucket(t)) {
    set('bucket', str('bucketName'));
    set('versioning', bool('versioned'));
    set('encryption', lowerEnum(enumOf('encryption')));
    if (p('blockPublicAccess')) d.publicAccessBlocked = true;
  } else if (isDatabase(t)) {
    set('engine', engineOf(app, r));
    set('multiAz', bool('multiAz'));
    set('encryptedAtRest', bool('storageEncrypted'));
    set('deletionProtection', bool('deletionProtection'));
    const backup = dur('backupRetention');
    set('backupRetentionDays', backup === undefined ? undefined : backup / 86400);
  } else if (t.service === 'logs' && t.name === 'LogGroup') {
    const days = enumOf('retention');
    if (days !== undefined && Object.hasOwn(RETENTION_DAYS, days)) d.retentionDays = RETENTION_DAYS[days]!;
  } else if (isContainerService(t)) {
    set('desiredCount', num('desiredCount'));
    set('cpu', num('cpu'));
    set('memory', num('memoryLimitMiB'));
  }
  set('removalPolicy', lowerEnum(enumOf('removalPolicy')));
  return d;
}

/** The engine an RDS construct is given: `DatabaseInstanceEngine.postgres({…})`, `DatabaseClusterEngine.auroraMysql(…)`, `DatabaseInstanceEngine.POSTGRES`, or L1's `engine: 'aurora-postgresql'`. */
function engineOf(app: App, r: Resource): string | undefined {
  const e = propOf(app, r.scopes, r.site.props, 'engine');
  if (!e) return undefined;
  if (e.value.k === 'call') return e.value.call.names[e.value.call.names.length - 1];
  return member(e.value) ?? app.ev.string(e.scope, e.value);
}

/** The data store a table, bucket, database, cache or search domain is (a database's by its engine). */
function storeOf(r: Resource, d: Details): { tech: string; name: string; kind: DataStore['kind']; details: Details } | undefined {
  const t = r.site.type;
  const engine = typeof d.engine === 'string' ? d.engine : '';
  if (isTable(t)) return { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value', details: { tables: [String(d.tableName ?? r.name)] } };
  if (isBucket(t)) return { tech: 's3', name: 'Amazon S3', kind: 'object', details: { buckets: [String(d.bucket ?? r.name)] } };
  if (isSearch(t)) return { tech: 'opensearch', name: 'OpenSearch', kind: 'search', details: { service: 'Amazon OpenSearch Service' } };
  if (isCache(t)) {
    const memcached = engine.toLowerCase().includes('memcached');
    return { tech: memcached ? 'memcached' : 'redis', name: memcached ? 'Memcached' : 'Redis', kind: 'cache', details: { service: 'Amazon ElastiCache' } };
  }
  const db = isDatabase(t) ? engineStore(engine) : undefined;
  return (
    db && { tech: db[0], name: db[1], kind: 'relational', details: { service: engine.toLowerCase().startsWith('aurora') ? 'Amazon Aurora' : 'Amazon RDS' } }
  );
}

/** The API Gateway routes, served by the component of the function they integrate (settled in the link phase). */
function routes(ctx: AnalyzerContext, links: Links, codes: Map<string, Code>, handlerLine: (c: Code) => number): void {
  emitFunctionRoutes(
    ctx,
    links.routes.map((r) => {
      const code = r.fn ? codes.get(r.fn.key) : undefined;
      return {
        method: r.method,
        path: r.path,
        fn: r.fn?.name,
        handlerFile: code?.file,
        handlerLine: code ? handlerLine(code) : undefined,
        auth: r.auth,
        file: r.file,
        line: r.line,
      };
    }),
    () => 'AWS CDK',
  );
}

/** CloudWatch alarms and dashboards, as the observability analyzer reads Terraform's. */
function observability(ctx: AnalyzerContext, app: App, r: Resource, ev: Evidence): void {
  const alarm = r.site.type.name === 'Alarm';
  const given = propOf(app, r.scopes, r.site.props, alarm ? 'alarmName' : 'dashboardName');
  const name = (given && app.ev.string(given.scope, given.value)) || r.name;
  const details: Details = {};
  const threshold = alarm ? propOf(app, r.scopes, r.site.props, 'threshold') : undefined;
  const value = threshold ? app.ev.number(threshold.scope, threshold.value) : undefined;
  if (value !== undefined) details.threshold = String(value);
  ctx.emit('observability', cloudWatchFact(alarm ? 'alarm' : 'dashboard', name, ctx.componentOf(r.site.file), details, ev));
}

function emit(ctx: AnalyzerContext, app: App): void {
  const links = readLinks(app);
  const appRoots = ctx.files.filter((f) => f === 'cdk.json' || f.endsWith('/cdk.json')).map(dirOf);
  const appRootOf = (file: string) => appRoots.filter((r) => isUnder(file, r)).sort((a, b) => b.length - a.length)[0] ?? '.';
  const codes = new Map<string, Code>();
  for (const r of app.resources) {
    if (!isFunction(r.site.type)) continue;
    const code = codeOf(app, r, appRootOf(r.site.file), (f) => ctx.has(f));
    if (code) codes.set(r.key, code);
  }
  /** Line of a script's exported handler, else 1. */
  const handlerLine = (code: Code): number => {
    const idx = app.ev.indexes.get(code.file);
    const local = idx?.exports.get(code.handler);
    return (local && idx?.functions.get(`${code.file}#${local}`)?.line) || 1;
  };
  const fnName = (key: string) => app.ev.resources.get(key)?.name ?? key;
  /** A queue's, topic's, bus's (or another event source's) name: the one it is given, else its construct id. */
  const channelName = (r: Resource): string => {
    const given = propOf(app, r.scopes, r.site.props, NAME_PROP[triggerKind(r.site.type) ?? ''] ?? 'eventBusName');
    return (given && (app.ev.string(given.scope, given.value) ?? withStackName(app, r, given))) || r.name;
  };

  routes(ctx, links, codes, handlerLine);
  const network = networkOf(app, links);
  const exported = readExports(app);
  const published = readTaskPublishes(app);
  emitImportedChannels(ctx, app, links, channelName);
  emitPutEvents(ctx, published.events);

  for (const r of app.resources) {
    const t = r.site.type;
    const ev: Evidence = { file: r.site.file, line: r.site.line };
    const code = codes.get(r.key);
    const details: Details = {};
    if (r.stacks.length > 0) details.stacks = r.stacks;
    Object.assign(details, settings(app, r, code));
    const grants = links.grants.get(r.key);
    if (grants) details.grants = [...grants].sort();
    const gsis = links.indexes.get(r.key);
    if (gsis) details.globalIndexes = [...gsis].sort();
    const envVars = sortedUnique(links.envVars.get(r.key) ?? []);
    Object.assign(details, networkDetails(terraformTypeOfConstruct(t), typeName(t)), network.get(r.key));
    ctx.emit('infrastructure', {
      id: idOf.infra('cdk', r.path),
      name: r.name,
      type: typeName(t),
      role: roleOfConstruct(t),
      provider: 'aws',
      source: 'cdk',
      details,
      evidence: [ev],
    });

    emitRecovery(
      ctx,
      'cdk',
      r.path,
      details,
      ev,
      {
        pointInTimeRecovery: 'pointInTimeRecovery',
        versioning: 'versioned',
        multiAz: 'multiAz',
        deletionProtection: 'deletionProtection',
        backupRetentionDays: 'backupRetention',
      },
      idOf.infra('cdk', r.path),
    );
    if (t.service === 'cloudwatch' && (t.name === 'Alarm' || t.name === 'Dashboard')) observability(ctx, app, r, ev);
    if (isFunction(t) && details.reservedConcurrency !== undefined)
      ctx.emit('scaling', {
        id: idOf.scaling('lambda', `cdk:${r.path}`),
        name: `Lambda ${r.name}`,
        category: 'concurrency',
        tech: 'cdk',
        details: { max: details.reservedConcurrency, policies: [{ by: 'lambda-concurrency' }], workload: idOf.workload('lambda', r.path) },
        evidence: [ev],
      } as ScalingFact);

    const store = storeOf(r, details);
    if (store) {
      ctx.emit('dataStores', provisionedStore(store, r.path, envVars, ev));
    } else if (isQueue(t) || isTopic(t) || isBus(t)) {
      const name = channelName(r);
      const fed = [...(links.consumers.get(r.key) ?? [])].sort();
      const consumerCode = fed.map((k) => codes.get(k)).filter((c): c is Code => c !== undefined);
      const qd: Details = { provisionedBy: [r.path], producerSites: [], consumerSites: sortedUnique(consumerCode.map((c) => `${c.file}:${handlerLine(c)}`)) };
      if (fed.length) qd.consumedBy = sortedUnique(fed.map(fnName));
      const tasks = published.byResource.get(r.key);
      if (tasks) qd.producedBy = sortedUnique([...tasks]);
      if (envVars.length) qd.envVars = envVars;
      if (details.fifo === true) qd.fifo = true;
      const dlq = propOf(app, r.scopes, r.site.props, 'deadLetterQueue');
      const dead = dlq ? app.ev.construct([dlq.scope], propOf(app, [dlq.scope], dlq.value, 'queue')?.value) : undefined;
      if (dead) qd.deadLetterQueue = channelName(dead);
      // Topics and buses that deliver into it, and what it delivers into: neither end is then missing.
      const into = [...(links.feeds.get(r.key) ?? [])].map((k) => app.ev.resources.get(k)).filter((x): x is Resource => x !== undefined);
      const from = [...links.feeds.entries()]
        .filter(([, to]) => to.has(r.key))
        .map(([k]) => app.ev.resources.get(k))
        .filter((x): x is Resource => x !== undefined);
      if (into.length) qd.drainedBy = sortedUnique(into.map((x) => idOf.queue(channelName(x))));
      if (from.length) qd.fedBy = sortedUnique(from.map((x) => idOf.queue(channelName(x))));
      // Fan-out the messaging analyzer matches publishes against, and channels other stacks import.
      const imports = [...links.imports.values()].filter((f) => f.into.has(r.key)).map((f) => idOf.exportedQueue(f.imported.exportName));
      if (imports.length) qd.fedBy = sortedUnique([...((qd.fedBy as string[] | undefined) ?? []), ...imports]);
      const filters = links.filters.get(r.key);
      if (filters) qd.filters = sortedUnique([...filters]);
      // Step Functions tasks whose events the rule lets in publish to it too.
      const bus = from.find((x) => isBus(x.site.type))?.key;
      const passing = filters ? tasksPassing(published.events, filters, bus) : [];
      if (passing.length) qd.producedBy = sortedUnique([...((qd.producedBy as string[] | undefined) ?? []), ...passing]);
      const exportNames = exported.get(r.key);
      if (exportNames) qd.exportNames = sortedUnique([...exportNames]);
      ctx.emit('queues', {
        id: idOf.queue(name),
        name,
        tech: isQueue(t) ? 'Amazon SQS' : isTopic(t) ? 'Amazon SNS' : 'Amazon EventBridge',
        producers: [],
        consumers: sortedUnique(consumerCode.map((c) => ctx.componentOf(c.file)).filter((c): c is string => c !== undefined)),
        details: qd,
        evidence: [ev],
      });
    }

    if (isFunction(t)) {
      const events = [...links.consumers.entries()]
        .filter(([, fns]) => fns.has(r.key))
        .map(([source]) => app.ev.resources.get(source))
        .filter((s): s is Resource => s !== undefined && triggerKind(s.site.type) !== undefined)
        .map((s) => `${triggerKind(s.site.type)} ${channelName(s)}`)
        .concat([...(links.schedules.get(r.key) ?? [])].map((e) => `schedule ${e}`));
      const env = environments(app, r).flatMap((e) => Object.keys(e.props));
      const wd = lambdaWorkloadDetails('cdk', r.path, details, code, env, events);
      const component = code ? undefined : ctx.componentOf(r.site.file);
      ctx.emit('workloads', {
        id: idOf.workload('lambda', r.path),
        name: r.name,
        kind: 'Lambda function',
        ...(component ? { component } : {}),
        details: wd,
        evidence: code ? [ev, { file: code.file, line: handlerLine(code) }] : [ev],
      });
    } else if (isContainerService(t)) {
      // The component whose folder the image is built from runs in it.
      const folder = imageFolder(app, r, appRootOf(r.site.file));
      const component = folder !== undefined && folder !== '.' ? ctx.componentOf(`${folder}/Dockerfile`) : undefined;
      ctx.emit('workloads', {
        id: idOf.workload('ecs', r.path),
        name: r.name,
        kind: 'ECS service',
        ...(component ? { component } : {}),
        details: {
          source: 'cdk',
          resource: r.path,
          platform: 'AWS ECS',
          // The construct states the task's CPU and memory itself (cpu, memoryLimitMiB).
          ...(details.cpu !== undefined || details.memory !== undefined ? { sizedBy: idOf.infra('cdk', r.path) } : {}),
          ...(typeof details.desiredCount === 'number' ? { replicas: details.desiredCount } : {}),
        },
        evidence: [ev],
      });
    }
  }
}

/**
 * A channel another stack exports, imported here by its export name to subscribe a queue to it
 * (`Topic.fromTopicArn(this, 'Id', Fn.importValue('orders-topic'))`): `queue:export:<name>`, which
 * the messaging analyzer's link phase joins to the channel that export names, wherever it is declared.
 */
function emitImportedChannels(ctx: AnalyzerContext, app: App, links: Links, channelName: (r: Resource) => string): void {
  for (const [exportName, feed] of [...links.imports].sort((a, b) => compareStrings(a[0], b[0]))) {
    const into = [...feed.into].map((k) => app.ev.resources.get(k)).filter((x): x is Resource => x !== undefined);
    const t = feed.imported.type;
    ctx.emit('queues', {
      id: idOf.exportedQueue(exportName),
      name: exportName,
      tech: isQueue(t) ? 'Amazon SQS' : isTopic(t) ? 'Amazon SNS' : 'Amazon EventBridge',
      producers: [],
      consumers: [],
      details: { kind: isQueue(t) ? 'queue' : isTopic(t) ? 'topic' : 'event bus', drainedBy: sortedUnique(into.map((x) => idOf.queue(channelName(x)))) },
      evidence: [{ file: feed.imported.file, line: feed.imported.line }],
    });
  }
}

/**
 * A name written with the stack's name (`` `${Stack.of(this).stackName}-Orders` ``), for a resource
 * of one stack: CDK names a stack made without a `stackName` after its id.
 */
function withStackName(app: App, r: Resource, given: { value: Value; scope: Scope }): string | undefined {
  const v = given.value;
  if (v.k !== 'tpl' || r.stacks.length !== 1) return undefined;
  const parts: string[] = [v.quasis[0] ?? ''];
  for (let i = 0; i < v.exprs.length; i++) {
    const e = v.exprs[i]!;
    const own = e.k === 'ref' && e.path.startsWith('Stack.of(') && e.path.endsWith(').stackName') ? r.stacks[0] : app.ev.string(given.scope, e);
    if (own === undefined) return undefined;
    parts.push(own, v.quasis[i + 1] ?? '');
  }
  return parts.join('');
}
