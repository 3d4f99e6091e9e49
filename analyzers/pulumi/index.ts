/**
 * pulumi: Pulumi programs (TypeScript or JavaScript) and SST v3 apps read statically from the
 * run's script indexes, never previewed or run. Resources (`new aws.sqs.Queue('orders', …)`, SST's
 * `new sst.aws.Queue('Orders')`) become infrastructure in the terraform analyzer's vocabulary and
 * roles; tables, buckets and databases data stores; queues, topics and buses queues, with the
 * functions their subscriptions feed as consumers and the environment variables (and SST links)
 * that carry them to code; API routes endpoints; functions and container services workloads.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import type { FileIndex, Value } from '../../src/analysis/index-file.js';
import { emitFunctionRoutes, settleRouteComponents } from '../../src/analysis/function-routes.js';
import { emitRecovery } from '../../src/analysis/iac-recovery.js';
import { cloudWatchFact, engineStore, networkDetails, provisionedStore } from '../../src/data/cloud-resources.js';
import { compareStrings, sortedUnique } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { DataStore, Details, Evidence } from '../../src/model/schema.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';
import { readLinks, resourcesIn, type Code, type Func, type Links } from './links.js';
import { argsOf, readProgram, sstGlobals, type Program, type Resource } from './program.js';
import { kindOf, roleOfType, terraformTypeOf, typeName } from './types.js';

const PULUMI_PROJECT = /(^|\/)Pulumi\.ya?ml$/;
const SST_CONFIG = /(^|\/)sst\.config\.[cm]?[jt]s$/;

export default defineAnalyzer({
  meta: {
    name: 'pulumi',
    description:
      'Pulumi programs and SST v3 apps read statically: resources and component resources as infrastructure, data stores, queues, routes and workloads',
    produces: ['infrastructure', 'dataStores', 'queues', 'workloads', 'endpoints', 'recovery'],
    consumes: ['components.settled'],
    amends: ['endpoints'],
  },
  applies: (ctx) =>
    ctx.files.some((f) => PULUMI_PROJECT.test(f) || SST_CONFIG.test(f)) ||
    ctx.dependsOn('sst') ||
    ctx.workspace.packages.some((p) => [...p.dependencies.keys()].some((d) => d.startsWith('@pulumi/'))),
  scan(ctx) {
    const indexes = new Map<string, FileIndex>();
    return {
      wants: (file) => !ctx.isSetAside(file),
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () => {
        // In an SST app, scripts see SST's globals: `sst`, and the providers its config loads.
        const configs = [...indexes.values()].filter((i) => SST_CONFIG.test(i.file));
        const globals = ctx.files.some((f) => SST_CONFIG.test(f)) ? sstGlobals(configs) : [];
        emit(
          ctx,
          readProgram(indexes, (from, spec) => ctx.resolveImport(from, spec), globals),
        );
      },
    };
  },
  // A route is served by the component of the function it runs, which the workspace's link phase
  // may make of the function's folder after the route was emitted.
  link(model, ctx) {
    settleRouteComponents(model, ctx, ['Pulumi', 'SST']);
  },
});

function emit(ctx: AnalyzerContext, p: Program): void {
  const ev = p.ev;
  // Paths are read from the project's folder: Pulumi's from Pulumi.yaml's, SST's from sst.config.ts's.
  const roots = ctx.files.filter((f) => PULUMI_PROJECT.test(f) || SST_CONFIG.test(f)).map(dirOf);
  const appRoot = (file: string) => roots.filter((r) => isUnder(file, r)).sort((a, b) => b.length - a.length)[0] ?? '.';
  const links = readLinks(
    p,
    appRoot,
    (f) => ctx.has(f),
    ctx.files,
    (f) => SST_CONFIG.test(f),
  );
  for (const [at, notes] of [...links.notes].sort(([a], [b]) => compareStrings(a, b))) {
    const cut = at.lastIndexOf(':');
    for (const note of [...notes].sort(compareStrings)) ctx.warn(at.slice(0, cut), Number(at.slice(cut + 1)), note);
  }
  const framework = (file: string) => (ev.sstGlobals && !usesPulumiImport(p, file) ? 'SST' : 'Pulumi');
  const sourceAt = (file: string) => (framework(file) === 'SST' ? 'sst' : 'pulumi');
  const sourceOf = (r: Resource) => (r.site.type.provider === 'sst' ? 'sst' : sourceAt(r.site.file));
  const prop = (r: Resource, name: string) => {
    const o = ev.objectIn(r.scopes, argsOf(r.site));
    return o && Object.hasOwn(o.props, name) ? { value: o.props[name]!, scope: o.scope } : undefined;
  };
  const str = (r: Resource, name: string) => {
    const v = prop(r, name);
    return v ? ev.string(v.scope, v.value) : undefined;
  };
  const consumersOf = (r: Resource) => [...(links.consumers.get(r.key) ?? [])].sort().map((k) => links.functions.get(k)!);
  // A handler named by a string (`index.handler`) is found at its exported function's line.
  for (const f of links.functions.values()) {
    const idx = f.code && f.code.line === 1 ? ev.indexes.get(f.code.file) : undefined;
    const local = idx?.exports.get(f.code!.handler);
    const line = local ? idx?.functions.get(`${f.code!.file}#${local}`)?.line : undefined;
    if (line) f.code = { ...f.code!, line };
  }
  const codeAt = (c: Code) => `${c.file}:${c.line}`;
  /** The component that runs a function: its script's, else that of the folder its handler names. */
  const runsIn = (f: Func) => (f.code ? ctx.componentOf(f.code.file) : f.folder ? ctx.componentOf(f.folder) : undefined);
  const programFiles = new Set(p.resources.map((r) => r.site.file));

  routes(ctx, links, framework);

  const ids = new Set<string>();
  for (const r of p.resources) {
    const t = r.site.type;
    const kind = kindOf(t);
    const ev0: Evidence = { file: r.site.file, line: r.site.line };
    const type = typeName(t);
    const source = sourceOf(r);
    const details: Details = settings(r, kind, str, prop, ev);
    let id = idOf.infra(source, type, r.name);
    if (ids.has(id)) id = `${id}@${r.site.file}:${r.site.line}`;
    if (ids.has(id)) continue;
    ids.add(id);
    const envVars = sortedUnique(links.envVars.get(r.key) ?? []);
    Object.assign(details, networkDetails(terraformTypeOf(t), type));
    ctx.emit('infrastructure', {
      id,
      name: r.name,
      type,
      role: roleOfType(t),
      provider: t.provider === 'sst' ? (t.path[0] === 'cloudflare' ? 'cloudflare' : t.path.length > 1 ? 'aws' : 'sst') : t.provider.replace(/_native$/, ''),
      source,
      details,
      evidence: [ev0],
    });

    // CloudWatch alarms and dashboards are observability, as Terraform's and CDK's are.
    const tf = terraformTypeOf(t);
    if (tf === 'aws_cloudwatch_metric_alarm' || tf === 'aws_cloudwatch_composite_alarm' || tf === 'aws_cloudwatch_dashboard') {
      const alarm = tf !== 'aws_cloudwatch_dashboard';
      const threshold = alarm ? prop(r, 'threshold') : undefined;
      const value = threshold ? ev.number(threshold.scope, threshold.value) : undefined;
      const name = str(r, alarm ? 'name' : 'dashboardName') ?? r.name;
      ctx.emit(
        'observability',
        cloudWatchFact(alarm ? 'alarm' : 'dashboard', name, ctx.componentOf(r.site.file), value !== undefined ? { threshold: String(value) } : {}, ev0),
      );
    }

    emitRecovery(
      ctx,
      source,
      r.name,
      details,
      ev0,
      {
        pointInTimeRecovery: 'pointInTimeRecovery.enabled',
        versioning: 'versioning',
        multiAz: 'multiAz',
        deletionProtection: 'deletionProtection',
        backupRetentionDays: 'backupRetentionPeriod',
      },
      id,
    );

    const store = storeOf(r, kind, details);
    if (store) {
      ctx.emit('dataStores', provisionedStore(store, r.name, envVars, ev0));
      // A table whose stream feeds functions (SST v2 `consumers`, `addConsumers`) is a channel too, named after the table.
      const fns = kind === 'table' ? consumersOf(r) : [];
      if (fns.length) {
        const code = fns.map((f) => f.code).filter((c): c is Code => c !== undefined);
        ctx.emit('queues', {
          id: idOf.queue(r.name),
          name: r.name,
          tech: 'Amazon DynamoDB Streams',
          producers: [],
          consumers: sortedUnique(fns.map(runsIn).filter((c): c is string => c !== undefined)),
          details: {
            kind: 'stream',
            provisionedBy: [r.name],
            producerSites: [],
            consumerSites: sortedUnique(code.map(codeAt)),
            consumedBy: sortedUnique(fns.map((f) => f.name)),
          },
          evidence: [ev0],
        });
      }
    } else if (kind === 'queue' || kind === 'topic' || kind === 'bus' || kind === 'pubsub-topic') {
      const fns = consumersOf(r);
      const code = fns.map((f) => f.code).filter((c): c is Code => c !== undefined);
      const qd: Details = { provisionedBy: [r.name], producerSites: [], consumerSites: sortedUnique(code.map(codeAt)) };
      if (fns.length) qd.consumedBy = sortedUnique(fns.map((f) => f.name));
      const filters = links.filters.get(r.key);
      if (filters) qd.filters = sortedUnique([...filters]);
      if (envVars.length) qd.envVars = envVars;
      if (details.fifo === true) qd.fifo = true;
      const into = [...(links.feeds.get(r.key) ?? [])].map((k) => ev.resources.get(k)!);
      const from = p.resources.filter((x) => links.feeds.get(x.key)?.has(r.key));
      if (into.length) qd.drainedBy = sortedUnique(into.map((x) => idOf.queue(x.name)));
      if (from.length) qd.fedBy = sortedUnique(from.map((x) => idOf.queue(x.name)));
      ctx.emit('queues', {
        id: idOf.queue(r.name),
        name: r.name,
        tech: kind === 'queue' ? 'Amazon SQS' : kind === 'topic' ? 'Amazon SNS' : kind === 'bus' ? 'Amazon EventBridge' : 'Google Pub/Sub',
        producers: [],
        consumers: sortedUnique(fns.map(runsIn).filter((c): c is string => c !== undefined)),
        details: qd,
        evidence: [ev0],
      });
    } else if (kind === 'container' || kind === 'cloud-run' || kind === 'deployment') {
      const platform = kind === 'container' ? 'AWS ECS' : kind === 'cloud-run' ? 'Google Cloud Run' : 'Kubernetes';
      const folder = imageFolder(r, prop, ev, appRoot(r.site.file)) ?? builtFrom(ctx, p, r, appRoot(r.site.file));
      const component = folder !== undefined ? ctx.componentOf(folder === '.' ? 'Dockerfile' : `${folder}/Dockerfile`) : undefined;
      ctx.emit('workloads', {
        id: idOf.workload(kind === 'container' ? 'ecs' : kind, `${source}:${r.name}`),
        name: r.name,
        kind: kind === 'container' ? 'ECS service' : kind === 'cloud-run' ? 'Cloud Run service' : 'Kubernetes deployment',
        ...(component ? { component } : {}),
        details: { source, resource: r.name, platform, ...(typeof details.desiredCount === 'number' ? { replicas: details.desiredCount } : {}) },
        evidence: [ev0],
      });
    }
  }

  // A detail-type a bus rule sends straight to a function is an event channel that function's
  // component consumes; the code that publishes it gives the same channel its producers.
  const byType = new Map<string, typeof links.events>();
  for (const e of links.events) byType.set(e.detailType, [...(byType.get(e.detailType) ?? []), e]);
  for (const [type, list] of [...byType].sort(([a], [b]) => compareStrings(a, b))) {
    const fns = sortedUnique(list.map((e) => e.fn)).map((k) => links.functions.get(k)!);
    const code = fns.map((f) => f.code).filter((c): c is Code => c !== undefined);
    ctx.emit('queues', {
      id: idOf.queue(type),
      name: type,
      tech: 'Amazon EventBridge',
      producers: [],
      consumers: sortedUnique(fns.map(runsIn).filter((c): c is string => c !== undefined)),
      details: { kind: 'event', producerSites: [], consumerSites: sortedUnique(code.map(codeAt)), consumedBy: sortedUnique(fns.map((f) => f.name)) },
      evidence: [...new Map(list.map((e) => [`${e.file}:${e.line}`, { file: e.file, line: e.line }])).values()],
    });
  }

  // Functions: those the program declares, and those its routes, subscriptions and callbacks make.
  const events = new Map<string, string[]>();
  for (const r of p.resources) {
    const kind = kindOf(r.site.type);
    const via =
      kind === 'queue'
        ? 'sqs'
        : kind === 'topic'
          ? 'sns'
          : kind === 'bus'
            ? 'eventBridge'
            : kind === 'bucket'
              ? 's3'
              : kind === 'table'
                ? 'dynamodb'
                : undefined;
    for (const f of consumersOf(r)) if (via) events.set(f.key, [...(events.get(f.key) ?? []), `${via} ${r.name}`]);
  }
  for (const f of links.scheduled) events.set(f, [...(events.get(f) ?? []), 'schedule']);
  for (const f of [...links.functions.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const worker = f.resource?.site.type.path.join('.') === 'cloudflare.Worker';
    const wd: Details = { source: f.resource ? sourceOf(f.resource) : sourceAt(f.at.file), resource: f.name };
    // Code written in the program itself (a callback, a StringAsset) is the program's, no function folder of its own.
    const inline = f.code !== undefined && programFiles.has(f.code.file);
    if (f.code) wd.handler = f.code.handler;
    if (f.code && !inline) wd.handlerFile = f.code.file;
    if (f.env.length) wd.environment = f.env;
    const ev1 = events.get(f.key);
    if (ev1) wd.events = sortedUnique(ev1);
    if (worker) wd.platform = 'Cloudflare Workers';
    // The function resource states its memory (memorySize), read by the Scaling section there.
    else if (f.resource) wd.sizedBy = idOf.infra(sourceOf(f.resource), typeName(f.resource.site.type), f.resource.name);
    const component = f.code || f.folder ? runsIn(f) : ctx.componentOf(f.at.file);
    ctx.emit('workloads', {
      id: idOf.workload(worker ? 'worker' : 'lambda', `${wd.source}:${f.name}`),
      name: f.name,
      kind: worker ? 'Cloudflare Worker' : 'Lambda function',
      ...(component ? { component } : {}),
      details: wd,
      evidence: f.code ? [f.at, { file: f.code.file, line: f.code.line }] : [f.at],
    });
  }
}

/** Whether a script imports a Pulumi package (then it is a Pulumi program's, even in an SST app). */
function usesPulumiImport(p: Program, file: string): boolean {
  const idx = p.ev.indexes.get(file);
  return idx ? [...idx.imports.values()].some((i) => i.module.startsWith('@pulumi/')) : false;
}

type Prop = (r: Resource, name: string) => { value: Value; scope: Scope } | undefined;

/** The settings of a resource, under the keys the terraform analyzer uses. */
function settings(r: Resource, kind: string | undefined, str: (r: Resource, n: string) => string | undefined, prop: Prop, ev: Program['ev']): Details {
  const d: Details = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) (d as Record<string, unknown>)[key] = value;
  };
  const bool = (name: string) => {
    const v = prop(r, name);
    const b = v ? ev.value(v.scope, v.value) : undefined;
    return b?.k === 'bool' ? b.value : undefined;
  };
  const num = (name: string) => {
    const v = prop(r, name);
    return v ? ev.number(v.scope, v.value) : undefined;
  };
  const innerValue = (outer: string, name: string) => {
    const o = prop(r, outer);
    const io = o ? ev.objectIn([o.scope], o.value) : undefined;
    const v = io && Object.hasOwn(io.props, name) ? io.props[name]! : undefined;
    return v && io ? ev.value(io.scope, v) : undefined;
  };
  const inner = (outer: string, name: string) => {
    const v = innerValue(outer, name);
    return v?.k === 'str' ? v.value : undefined;
  };
  /** `pointInTimeRecovery: { enabled: true }`, `versioning: { enabled: true }`. */
  const enabled = (outer: string) => {
    const v = innerValue(outer, 'enabled');
    return v?.k === 'bool' ? v.value : undefined;
  };
  if (kind === 'table') {
    set('tableName', str(r, 'name'));
    // `hashKey` (Pulumi), `primaryIndex: { hashKey }` (SST v3), `primaryIndex: { partitionKey }` (SST v2).
    set('hashKey', str(r, 'hashKey') ?? inner('primaryIndex', 'hashKey') ?? inner('primaryIndex', 'partitionKey'));
    set('rangeKey', str(r, 'rangeKey') ?? inner('primaryIndex', 'rangeKey') ?? inner('primaryIndex', 'sortKey'));
    set('billingMode', str(r, 'billingMode'));
    const gsis = prop(r, 'globalIndexes') ?? prop(r, 'globalSecondaryIndexes');
    const o = gsis ? ev.objectIn([gsis.scope], gsis.value) : undefined;
    const a = gsis && !o ? ev.value(gsis.scope, gsis.value) : undefined;
    const names = o
      ? Object.keys(o.props)
      : a?.k === 'array'
        ? a.items.map((i) => (i.k === 'obj' && i.props.name ? ev.string(a.scope, i.props.name) : undefined)).filter((n): n is string => n !== undefined)
        : [];
    if (names.length) d.globalIndexes = names.sort();
    const stream = str(r, 'streamViewType') ?? str(r, 'stream');
    set('stream', stream);
    set('pointInTimeRecovery', enabled('pointInTimeRecovery'));
  } else if (kind === 'queue') {
    set('queueName', str(r, 'name'));
    set('fifo', bool('fifoQueue') ?? bool('fifo'));
    set('visibilityTimeoutSeconds', num('visibilityTimeoutSeconds'));
  } else if (kind === 'function') {
    set('runtime', str(r, 'runtime'));
    set('handler', str(r, 'handler'));
    set('memoryMb', num('memorySize'));
    set('timeoutSeconds', num('timeout'));
  } else if (kind === 'database') {
    set('engine', str(r, 'engine') ?? str(r, 'databaseVersion'));
    set('multiAz', bool('multiAz'));
    set('encryptedAtRest', bool('storageEncrypted'));
    set('deletionProtection', bool('deletionProtection'));
    set('backupRetentionDays', num('backupRetentionPeriod'));
  } else if (kind === 'bucket') {
    set('bucket', str(r, 'bucket'));
    set('versioning', enabled('versioning') ?? bool('versioning'));
  } else if (kind === 'log-group') {
    set('retentionDays', num('retentionInDays'));
  } else if (kind === 'container') {
    set('desiredCount', num('desiredCount'));
  }
  return d;
}

/** The data store a table, bucket, database or cache is (a database's by its engine; SST's Postgres is PostgreSQL). */
function storeOf(r: Resource, kind: string | undefined, d: Details): { tech: string; name: string; kind: DataStore['kind']; details: Details } | undefined {
  const t = typeName(r.site.type);
  const engine =
    typeof d.engine === 'string'
      ? d.engine
      : t === 'sst.aws.Postgres'
        ? 'postgres'
        : t === 'sst.aws.Mysql'
          ? 'mysql'
          : t === 'sst.aws.Aurora'
            ? 'aurora-postgresql'
            : '';
  if (kind === 'table') return { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value', details: { tables: [String(d.tableName ?? r.name)] } };
  if (kind === 'bucket' && r.site.type.provider === 'gcp')
    return { tech: 'gcs', name: 'Google Cloud Storage', kind: 'object', details: { buckets: [String(d.bucket ?? r.name)] } };
  if (kind === 'bucket') return { tech: 's3', name: 'Amazon S3', kind: 'object', details: { buckets: [String(d.bucket ?? r.name)] } };
  if (kind === 'cache') return { tech: 'redis', name: 'Redis', kind: 'cache', details: { service: 'Amazon ElastiCache' } };
  const db = kind === 'database' ? engineStore(engine) : undefined;
  const service = r.site.type.provider === 'gcp' ? 'Google Cloud SQL' : engine.toLowerCase().startsWith('aurora') ? 'Amazon Aurora' : 'Amazon RDS';
  return db && { tech: db[0], name: db[1], kind: 'relational', details: { service } };
}

/** The folder a container service's image is built from (`image: { context: './app' }`, Crosswalk's `container.image` of `new awsx.ecr.Image(…, { context })`). */
function imageFolder(r: Resource, prop: Prop, ev: Program['ev'], root: string): string | undefined {
  const image = prop(r, 'image');
  const o = image ? ev.objectIn([image.scope], image.value) : undefined;
  const ctxv = o && Object.hasOwn(o.props, 'context') ? o.props.context : undefined;
  const s = ctxv && o ? ev.string(o.scope, ctxv) : undefined;
  if (s === undefined || s.startsWith('/')) return r.site.type.provider === 'sst' && !image ? root : undefined;
  const out = root === '.' ? s.replace(/^\.\//, '') : `${root}/${s.replace(/^\.\//, '')}`;
  return out === '' || out === '.' ? '.' : out.replace(/\/$/, '');
}

/**
 * The folder a container service's image is built from, when the program says it through another
 * resource: an image it builds (`new awsx.ecr.Image('api', { context: './api' })`, docker's
 * `build: { context }`), or the ECR repository its task definition pulls from, named as the
 * component whose folder holds a Dockerfile (`new aws.ecr.Repository('backend')`, `backend/Dockerfile`).
 */
function builtFrom(ctx: AnalyzerContext, p: Program, r: Resource, root: string): string | undefined {
  const refs = resourcesIn(p, r);
  const task = refs.find((x) => typeName(x.site.type) === 'aws.ecs.TaskDefinition');
  const all = task ? [...refs, ...resourcesIn(p, task)] : refs;
  for (const x of all) {
    const t = typeName(x.site.type);
    const o = p.ev.objectIn(x.scopes, argsOf(x.site));
    if (!o) continue;
    const build = t === 'docker.Image' && o.props.build ? p.ev.objectIn([o.scope], o.props.build) : o;
    const context = t === 'awsx.ecr.Image' || t === 'docker.Image' ? build?.props.context : undefined;
    const s = context && build ? p.ev.string(build.scope, context) : undefined;
    if (s !== undefined && !s.startsWith('/')) return joinPosix(root, s) || '.';
  }
  for (const x of all) {
    if (!/^awsx?\.ecr\.Repository$/.test(typeName(x.site.type))) continue;
    const folder = ctx.workspace.packages.find((k) => k.path.split('/').pop() === x.name && ctx.has(`${k.path}/Dockerfile`));
    if (folder) return folder.path;
  }
  return undefined;
}

/** The API routes, served by the component of the function they run (settled in the link phase). */
function routes(ctx: AnalyzerContext, links: Links, framework: (file: string) => string): void {
  const real = links.routes.filter((r) => r.path !== '$default' && r.method !== '$DEFAULT');
  emitFunctionRoutes(
    ctx,
    real.map((r) => ({
      method: r.method,
      path: r.path,
      fn: r.fn?.name,
      handlerFile: r.fn?.code?.file,
      handlerLine: r.fn?.code?.line,
      auth: r.auth,
      file: r.file,
      line: r.line,
    })),
    (r) => framework(r.file),
  );
}
