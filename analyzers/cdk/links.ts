/**
 * What joins a CDK app's constructs: environment links (`environment: { QUEUE_URL: queue.queueUrl }`,
 * `fn.addEnvironment(…)`), event sources (`events: [new SqsEventSource(q)]`,
 * `fn.addEventSource(…)`, `new EventSourceMapping(this, 'Id', { target, eventSourceArn })`,
 * `topic.addSubscription(new LambdaSubscription(fn))`, a rule's `LambdaFunction` targets), grants
 * (`table.grantReadWriteData(fn)`), a table's global secondary indexes, and the script a function's
 * code is bundled from (`entry`, `handler` with `Code.fromAsset(dir)`, NodejsFunction's default entry).
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, Value } from '../../src/analysis/index-file.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { propOf, type App, type Resource } from './app.js';
import { isBucket, isBus, isFunction, isQueue, isTable, isTopic, type ConstructType } from './constructs.js';
import { addFilters, importedFeed, patternFilters, subscriptionFilters, type ImportedFeed } from './topology.js';
import { PATTERNS, type PatternPart } from './solutions.js';

export interface Links {
  /** Environment variables that carry a resource (by key) to a function. */
  envVars: Map<string, Set<string>>;
  /** Functions (resource keys) fed by a queue, topic or bus (resource key). */
  consumers: Map<string, Set<string>>;
  /** Queues and topics a topic or bus delivers into (resource keys): SNS subscriptions, a rule's targets. */
  feeds: Map<string, Set<string>>;
  /** Grants on a resource (by key): `grantReadWriteData Orders`. */
  grants: Map<string, Set<string>>;
  /** Global secondary indexes added to a table (resource key). */
  indexes: Map<string, Set<string>>;
  /** API Gateway routes: `resource.addMethod('GET', new LambdaIntegration(fn))`, `httpApi.addRoutes({ … })`, a proxying LambdaRestApi. */
  routes: Route[];
  /** Schedules that invoke a function (resource key): a rule's `schedule` (`rate(5 minutes)`, `cron(0 4 * * ? *)`) with the function as a target. */
  schedules: Map<string, Set<string>>;
  /** What a queue's subscription filter policy or a rule's event pattern lets into it (resource key → `name=value`; topology.ts). */
  filters: Map<string, Set<string>>;
  /** Channels imported from another stack by export name, with the queues they feed. */
  imports: Map<string, ImportedFeed>;
}

export interface Route {
  api: Resource;
  method: string;
  /** As API Gateway writes it: `/orders/{id}`. */
  path: string;
  fn?: Resource;
  auth: string[];
  file: string;
  line: number;
}

const add = (m: Map<string, Set<string>>, key: string, value: string) => {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(value);
};

export { propOf };

/** The items of an array a construct is given. */
export function itemsOf(app: App, p: { value: Value; scope: Scope } | undefined): { value: Value; scope: Scope }[] {
  if (!p) return [];
  if (p.value.k === 'arr') return p.value.items.map((value) => ({ value, scope: p.scope }));
  const r = app.ev.value(p.scope, p.value);
  return r?.k === 'array' ? r.items.map((value) => ({ value, scope: r.scope })) : [];
}

/** The resource the first argument of a `new X(construct)` written in place denotes (`new SqsEventSource(queue)`). */
function wrapped(app: App, item: { value: Value; scope: Scope }): Resource | undefined {
  return item.value.k === 'call' && item.value.call.isNew ? app.ev.construct([item.scope], item.value.call.args[0]) : undefined;
}

export function readLinks(app: App): Links {
  const links: Links = {
    envVars: new Map(),
    consumers: new Map(),
    feeds: new Map(),
    grants: new Map(),
    indexes: new Map(),
    routes: [],
    schedules: new Map(),
    filters: new Map(),
    imports: new Map(),
  };
  const props = (r: Resource) => r.site.props;
  const fnOf = (r: Resource | undefined) => (r && isFunction(r.site.type) ? r : undefined);

  for (const r of app.resources) {
    const t = r.site.type;
    for (const env of environments(app, r)) {
      for (const [name, v] of Object.entries(env.props)) {
        const target = app.ev.construct([env.scope], v);
        if (target) add(links.envVars, target.key, name);
      }
    }
    if (isFunction(t)) {
      for (const item of itemsOf(app, propOf(app, r.scopes, props(r), 'events'))) {
        const source = wrapped(app, item);
        if (source) add(links.consumers, source.key, r.key);
      }
    }
    if (t.service === 'lambda' && t.name === 'EventSourceMapping') {
      const target = fnOf(app.ev.construct(r.scopes, propOf(app, r.scopes, props(r), 'target')?.value));
      const source = app.ev.construct(r.scopes, propOf(app, r.scopes, props(r), 'eventSourceArn')?.value);
      if (target && source) add(links.consumers, source.key, target.key);
    }
    if (t.service === 'events' && t.name === 'Rule') {
      const bus = app.ev.construct(r.scopes, propOf(app, r.scopes, props(r), 'eventBus')?.value);
      const schedule = scheduleOf(app, propOf(app, r.scopes, props(r), 'schedule'));
      for (const item of itemsOf(app, propOf(app, r.scopes, props(r), 'targets'))) {
        if (bus) deliver(links, bus, wrapped(app, item));
        if (bus) addFilters(links.filters, wrapped(app, item), patternFilters(app, r));
        const fn = fnOf(wrapped(app, item));
        if (schedule && fn) add(links.schedules, fn.key, schedule);
      }
    }
    if (t.service === 'apigateway' && t.name === 'LambdaRestApi') {
      // Proxying (the default): every method and path goes to the handler.
      const proxy = propOf(app, r.scopes, props(r), 'proxy');
      const fn = fnOf(app.ev.construct(r.scopes, propOf(app, r.scopes, props(r), 'handler')?.value));
      const off = proxy && app.ev.value(proxy.scope, proxy.value);
      if (!(off && off.k === 'bool' && !off.value))
        links.routes.push({ api: r, method: 'ANY', path: '/{proxy+}', fn, auth: [], file: r.site.file, line: r.site.line });
    }
    if (t.service === 'dynamodb' && t.name === 'TableV2') {
      for (const item of itemsOf(app, propOf(app, r.scopes, props(r), 'globalSecondaryIndexes'))) {
        const name = propOf(app, [item.scope], item.value, 'indexName');
        const s = name ? app.ev.string(name.scope, name.value) : undefined;
        if (s) add(links.indexes, r.key, s);
      }
    }
  }

  patternLinks(app, links);

  // Calls on constructs: `fn.addEventSource(…)`, `table.grantReadData(fn)`, `topic.addSubscription(…)`…, in each instance and call of the function they are in.
  for (const file of app.files) {
    for (const fn of app.ev.indexes.get(file)!.functions.values()) {
      if (fn.calls.some((c) => !c.isNew)) for (const scope of app.scopesOf(fn)) for (const call of fn.calls) readCall(app, links, [scope], call);
    }
  }
  return links;
}

/** The environment a function or a container service is given (`environment`, a pattern's `taskImageOptions.environment`). */
export function environments(app: App, r: Resource): { props: Record<string, Value>; scope: Scope }[] {
  const props = r.site.props;
  const image = propOf(app, r.scopes, props, 'taskImageOptions');
  return [propOf(app, r.scopes, props, 'environment'), image ? propOf(app, [image.scope], image.value, 'environment') : undefined]
    .map((e) => (e ? app.ev.objectIn([e.scope], e.value) : undefined))
    .filter((e): e is { props: Record<string, Value>; scope: Scope } => e !== undefined);
}

function readCall(app: App, links: Links, scopes: Scope[], call: CallSite): void {
  const method = call.names[call.names.length - 1];
  if (call.isNew || !method) return;
  if (method === 'addMethod' || method === 'addRoutes') {
    readRoute(app, links, scopes, call, method);
    return;
  }
  if (call.names.includes('()')) return;
  const grant = method.startsWith('grant') && method.length > 5 && method[5]! >= 'A' && method[5]! <= 'Z';
  if (
    !grant &&
    !['addEventSource', 'addEventSourceMapping', 'addSubscription', 'addTarget', 'addEnvironment', 'addGlobalSecondaryIndex', 'addManifest'].includes(method)
  )
    return;
  const receiver = app.ev.construct(scopes, { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') });
  const arg = call.args[0];
  const at = { value: arg ?? ({ k: 'unknown' } as Value), scope: scopes[0]! };
  if (!receiver) {
    // A topic imported from another stack (`Topic.fromTopicArn(this, 'Id', Fn.importValue('x'))`).
    if (
      method === 'addSubscription' &&
      importedFeed(app, links.imports, scopes, { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') }, wrapped(app, at))
    )
      addFilters(links.filters, wrapped(app, at), subscriptionFilters(app, at));
    return;
  }
  if (grant) {
    const grantee = app.ev.construct(scopes, arg);
    add(links.grants, receiver.key, grantee ? `${method} ${grantee.id}` : method);
  } else if (method === 'addEventSource') {
    const source = wrapped(app, at);
    if (source && isFunction(receiver.site.type)) add(links.consumers, source.key, receiver.key);
  } else if (method === 'addEventSourceMapping') {
    const source = app.ev.construct(scopes, propOf(app, scopes, call.args[1], 'eventSourceArn')?.value);
    if (source && isFunction(receiver.site.type)) add(links.consumers, source.key, receiver.key);
  } else if (method === 'addSubscription') {
    deliver(links, receiver, wrapped(app, at));
    addFilters(links.filters, wrapped(app, at), subscriptionFilters(app, at));
  } else if (method === 'addTarget') {
    const bus = app.ev.construct(receiver.scopes, propOf(app, receiver.scopes, receiver.site.props, 'eventBus')?.value);
    if (bus) deliver(links, bus, wrapped(app, at));
    if (bus) addFilters(links.filters, wrapped(app, at), patternFilters(app, receiver));
    const schedule = scheduleOf(app, propOf(app, receiver.scopes, receiver.site.props, 'schedule'));
    const fn = wrapped(app, at);
    if (schedule && fn && isFunction(fn.site.type)) add(links.schedules, fn.key, schedule);
  } else if (method === 'addManifest') {
    // `cluster.addManifest('Id', deployment, …)`: the containers' environment carries resources to the pods, as a function's does.
    for (const arg of call.args.slice(1)) for (const [name, target] of manifestEnvironment(app, scopes, arg)) add(links.envVars, target.key, name);
  } else if (method === 'addEnvironment') {
    const name = arg ? app.ev.stringIn(scopes, arg) : undefined;
    const target = app.ev.construct(scopes, call.args[1]);
    if (name && target) add(links.envVars, target.key, name);
  } else if (method === 'addGlobalSecondaryIndex') {
    const name = propOf(app, scopes, arg, 'indexName');
    const s = name ? app.ev.string(name.scope, name.value) : undefined;
    if (s) add(links.indexes, receiver.key, s);
  }
}

/** Workload kinds whose pod template holds containers: where (below the manifest) the pod spec is. */
const POD_SPEC: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** A Kubernetes manifest written in CDK code: each container's `env` entry whose `value` is a resource (`{ name: 'QUEUE_URL', value: queue.queueUrl }`). */
function manifestEnvironment(app: App, scopes: Scope[], manifest: Value): [string, Resource][] {
  const kind = propOf(app, scopes, manifest, 'kind');
  const path = kind ? POD_SPEC[app.ev.string(kind.scope, kind.value) ?? ''] : undefined;
  if (!path) return [];
  let at: { value: Value; scope: Scope } | undefined = { value: manifest, scope: scopes[0]! };
  for (const key of path) at = at ? propOf(app, [at.scope], at.value, key) : undefined;
  const out: [string, Resource][] = [];
  for (const container of itemsOf(app, at ? propOf(app, [at.scope], at.value, 'containers') : undefined)) {
    for (const entry of itemsOf(app, propOf(app, [container.scope], container.value, 'env'))) {
      const name = propOf(app, [entry.scope], entry.value, 'name');
      const value = propOf(app, [entry.scope], entry.value, 'value');
      const n = name && app.ev.string(name.scope, name.value);
      const target = value ? app.ev.construct([value.scope], value.value) : undefined;
      if (n && target) out.push([n, target]);
    }
  }
  return out;
}

/** The kind of event source a resource is, as a function's triggers name it (`sqs orders`, `dynamodb Parcels`). */
export function triggerKind(t: ConstructType): string | undefined {
  if (isQueue(t)) return 'sqs';
  if (isTopic(t)) return 'sns';
  if (isBus(t)) return 'eventBridge';
  if (isTable(t)) return 'dynamodb';
  if (isBucket(t)) return 's3';
  return t.service === 'kinesis' && t.name === 'Stream' ? 'kinesis' : undefined;
}

/** The name a resource is given (`queueName`, `tableName` …), by its kind. */
export const NAME_PROP: Record<string, string> = {
  sqs: 'queueName',
  sns: 'topicName',
  eventBridge: 'eventBusName',
  dynamodb: 'tableName',
  s3: 'bucketName',
  kinesis: 'streamName',
};

/** Units of `Duration.minutes(5)` …, as a rate expression writes them. */
const RATE_UNITS: Record<string, string> = { minutes: 'minute', hours: 'hour', days: 'day' };

/**
 * A rule's schedule as EventBridge writes it: `Schedule.rate(Duration.minutes(5))` → `rate(5 minutes)`,
 * `Schedule.cron({ minute: '0', hour: '4' })` → `cron(0 4 * * ? *)`, `Schedule.expression('rate(1 day)')` as given.
 */
function scheduleOf(app: App, p: { value: Value; scope: Scope } | undefined): string | undefined {
  const v = p?.value;
  if (!p || v?.k !== 'call' || v.call.isNew) return undefined;
  const kind = v.call.names[v.call.names.length - 1];
  const arg = v.call.args[0];
  if (kind === 'expression') return arg ? app.ev.string(p.scope, arg) : undefined;
  if (kind === 'rate') {
    const unit = arg?.k === 'call' ? RATE_UNITS[arg.call.names[arg.call.names.length - 1] ?? ''] : undefined;
    const n = arg?.k === 'call' && unit ? app.ev.number(p.scope, arg.call.args[0]) : undefined;
    return n === undefined ? undefined : `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
  }
  if (kind !== 'cron') return undefined;
  const o = app.ev.objectIn([p.scope], arg);
  if (!o) return undefined;
  const field = (name: string) => (Object.hasOwn(o.props, name) ? app.ev.string(o.scope, o.props[name]!) : undefined);
  const weekDay = field('weekDay');
  const day = field('day') ?? (weekDay ? '?' : '*');
  return `cron(${field('minute') ?? '*'} ${field('hour') ?? '*'} ${day} ${field('month') ?? '*'} ${weekDay ?? '?'} ${field('year') ?? '*'})`;
}

/** What a topic or bus delivers to: a function consumes it; a queue or topic is fed by it. */
/**
 * What joins the parts of a Solutions Constructs pattern (solutions.ts), per read: a rule's pattern
 * filters what reaches its target (on the existing bus it is given, if any), a topic, queue, bucket
 * or table stream feeds the function or queue after it, and a function before a queue, topic, table
 * or bucket is given its address in the pattern's environment variable (`SQS_QUEUE_URL`, or the one
 * the props name). A part given as an existing object is that object.
 */
function patternLinks(app: App, links: Links): void {
  const groups = new Map<string, Resource[]>();
  for (const r of app.resources) {
    const part = r.site.part;
    if (!part) continue;
    const key = `${part.pattern}|${r.key.slice(r.key.lastIndexOf('|') + 1)}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const parts = PATTERNS[first.site.part!.of] ?? [];
    const given = (name: string) => propOf(app, first.scopes, first.site.call.args[2], name);
    const resolve = (p: PatternPart): Resource | undefined => {
      const made = group.find((r) => r.site.part!.member === p.member);
      if (made) return made;
      for (const e of p.existing) {
        const v = given(e);
        if (v) return app.ev.construct([v.scope], v.value);
      }
      return undefined;
    };
    const [source, target] = parts.map(resolve);
    const [, second] = parts;
    if (!source || !target || !second) continue;
    const st = source.site.type;
    if (isFunction(st) && second.env) {
      const rename = given(second.env.prop);
      add(links.envVars, target.key, (rename && app.ev.string(rename.scope, rename.value)) || second.env.name);
    } else if (st.service === 'events' && st.name === 'Rule') {
      const busProp = given('existingEventBusInterface');
      const bus = busProp ? app.ev.construct([busProp.scope], busProp.value) : undefined;
      if (bus) deliver(links, bus, target);
      addFilters(links.filters, target, patternFilters(app, source));
    } else deliver(links, source, target);
  }
}

function deliver(links: Links, from: Resource, to: Resource | undefined): void {
  if (!to) return;
  if (isFunction(to.site.type)) add(links.consumers, from.key, to.key);
  else if (isQueue(to.site.type) || isTopic(to.site.type)) add(links.feeds, from.key, to.key);
}

/** What a method is called on: a name (`orders.addMethod`), or the call it is chained to (`api.root.addResource('orders').addMethod`). */
function receiverOf(call: CallSite): Value {
  const names = call.names.slice(0, -1);
  if (names[names.length - 1] !== '()') return { k: 'ref', path: [call.root, ...names].join('.') };
  const inner = names.filter((n) => n === '()').length;
  return { k: 'call', call: { ...call, names: names.slice(0, -1), args: call.innerArgs[inner - 1] ?? [], innerArgs: call.innerArgs.slice(0, inner - 1) } };
}

/** A route added to an API: `resource.addMethod('POST', new LambdaIntegration(fn), { authorizer })`, `httpApi.addRoutes({ path, methods, integration })`. */
function readRoute(app: App, links: Links, scopes: Scope[], call: CallSite, method: string): void {
  const scope = scopes[0]!;
  const target = app.ev.value(scope, receiverOf(call));
  if (target?.k !== 'site' && target?.k !== 'apipath') return;
  const api = target.k === 'site' ? app.ev.resources.get(`${target.site}|${target.inst}`) : app.ev.resources.get(target.api);
  if (!api) return;
  const fnOf = (r: Resource | undefined) => (r && isFunction(r.site.type) ? r : undefined);
  if (method === 'addMethod') {
    const verb = call.args[0] ? app.ev.string(scope, call.args[0]) : undefined;
    const integration = call.args[1];
    // An integration, written in place or held in a variable, denotes its function (the evaluator's `createdFrom`).
    const fn = fnOf(app.ev.construct([scope], integration));
    const options = app.ev.objectIn([scope], call.args[2]);
    const auth: string[] = [];
    const type = options && Object.hasOwn(options.props, 'authorizationType') ? options.props.authorizationType : undefined;
    const typeName = type?.k === 'ref' ? type.path.slice(type.path.lastIndexOf('.') + 1) : undefined;
    const authorizer = options && Object.hasOwn(options.props, 'authorizer') ? app.ev.construct([options.scope], options.props.authorizer) : undefined;
    if (authorizer) auth.push(`API Gateway authorizer ${authorizer.name}`);
    else if (typeName && typeName !== 'NONE') auth.push(`API Gateway ${typeName.toLowerCase()} authorization`);
    if (verb)
      links.routes.push({
        api,
        method: verb.toUpperCase(),
        path: target.k === 'apipath' ? target.path || '/' : '/',
        fn,
        auth,
        file: scope.file,
        line: call.line,
      });
    return;
  }
  const route = app.ev.objectIn([scope], call.args[0]);
  const path = route && Object.hasOwn(route.props, 'path') ? app.ev.string(route.scope, route.props.path!) : undefined;
  if (!route || path === undefined) return;
  const integration = route.props.integration;
  const fn = fnOf(app.ev.construct([route.scope], integration));
  const methods =
    route.props.methods?.k === 'arr' ? route.props.methods.items.map((m) => (m.k === 'ref' ? m.path.slice(m.path.lastIndexOf('.') + 1) : undefined)) : ['ANY'];
  for (const m of methods) if (m) links.routes.push({ api, method: m, path, fn, auth: [], file: scope.file, line: call.line });
}

/** Extensions a function's module may have in the repository. */
const SCRIPT_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx'];

export interface Code {
  file: string;
  /** The exported function's name. */
  handler: string;
}

/**
 * The script a function's code is bundled from, when it is in the repository: NodejsFunction's
 * `entry` (else its default, `<file>.<id>.ts` beside the stack), or `Code.fromAsset(dir)` with
 * `handler: 'module.export'`. Paths are read as CDK does: relative ones from the app's folder
 * (where cdk.json is), `__dirname` the defining script's folder.
 */
export function codeOf(app: App, r: Resource, appRoot: string, has: (file: string) => boolean): Code | undefined {
  const t = r.site.type;
  const props = r.site.props;
  const handlerProp = propOf(app, r.scopes, props, 'handler');
  const handler = handlerProp ? app.ev.string(handlerProp.scope, handlerProp.value) : undefined;
  if (t.name === 'NodejsFunction') {
    const entry = propOf(app, r.scopes, props, 'entry');
    if (entry) {
      const file = pathOf(app, entry.scope, entry.value, appRoot, 0);
      return file && has(file) ? { file, handler: handler ?? 'handler' } : undefined;
    }
    const base = r.site.file.slice(0, r.site.file.lastIndexOf('.'));
    const file = ['.ts', '.js'].map((e) => `${base}.${r.id}${e}`).find(has);
    return file ? { file, handler: handler ?? 'handler' } : undefined;
  }
  const code = propOf(app, r.scopes, props, 'code');
  const dot = handler?.lastIndexOf('.') ?? -1;
  if (!code || code.value.k !== 'call' || code.value.call.names[code.value.call.names.length - 1] !== 'fromAsset' || !handler || dot <= 0) return undefined;
  const dir = code.value.call.args[0] ? pathOf(app, code.scope, code.value.call.args[0], appRoot, 0) : undefined;
  if (!dir) return undefined;
  const module = joinPosix(dir, handler.slice(0, dot));
  const file = SCRIPT_EXTENSIONS.map((e) => module + e).find(has);
  return file ? { file, handler: handler.slice(dot + 1) } : undefined;
}

/** The folder a container service's image is built from (`ContainerImage.fromAsset(dir)`, as `image` or `taskImageOptions.image`). */
export function imageFolder(app: App, r: Resource, appRoot: string): string | undefined {
  const props = r.site.props;
  const options = propOf(app, r.scopes, props, 'taskImageOptions');
  const image = propOf(app, r.scopes, props, 'image') ?? (options ? propOf(app, [options.scope], options.value, 'image') : undefined);
  const v = image?.value;
  const from = v?.k === 'call' ? v.call.names[v.call.names.length - 1] : undefined;
  if (!image || v?.k !== 'call' || !v.call.args[0]) return undefined;
  if (from === 'fromAsset') return pathOf(app, image.scope, v.call.args[0], appRoot, 0);
  if (from !== 'fromDockerImageAsset') return undefined;
  // `ContainerImage.fromDockerImageAsset(asset)`: the folder the asset (an `ecr_assets.DockerImageAsset`, no resource) is built from.
  const asset = written(image.scope, v.call.args[0]);
  const directory = asset?.k === 'call' && asset.call.isNew ? propOf(app, [image.scope], asset.call.args[2], 'directory') : undefined;
  return directory ? pathOf(app, directory.scope, directory.value, appRoot, 0) : undefined;
}

/** A value as written: a plain name's, an argument bound to it or a local of the scope's function (`const asset = new DockerImageAsset(…)`). */
function written(scope: Scope, v: Value, depth = 0): Value | undefined {
  if (v.k !== 'ref' || v.path.includes('.') || depth > 4) return v;
  const arg = scope.args?.get(v.path);
  return arg ? written(arg.scope, arg.value, depth + 1) : scope.fn?.locals.get(v.path);
}

/** A path a construct is given, repository-relative: a literal, `${__dirname}/…`, `path.join(__dirname, …)`, a constant holding one. */
function pathOf(app: App, scope: Scope, v: Value, appRoot: string, depth: number): string | undefined {
  if (depth > 4) return undefined;
  const here = dirOf(scope.file);
  const part = (p: Value): string | undefined => {
    if (p.k === 'ref' && p.path === '__dirname') return here;
    if (p.k === 'call' && p.call.root === 'process' && p.call.names.join('.') === 'cwd') return appRoot;
    return app.ev.string(scope, p);
  };
  let out: string | undefined;
  if (v.k === 'tpl' && v.exprs[0]?.k === 'ref' && v.exprs[0].path === '__dirname' && v.quasis[0] === '') {
    const rest = app.ev.string(scope, { k: 'tpl', quasis: ['', ...v.quasis.slice(1)], exprs: [{ k: 'str', v: '' }, ...v.exprs.slice(1)] });
    out = rest === undefined ? undefined : joinPosix(here, rest);
  } else if (v.k === 'call' && !v.call.isNew && ['join', 'resolve'].includes(v.call.names[v.call.names.length - 1] ?? v.call.root)) {
    // `path.join(__dirname, …)` from the script's folder; `path.join('lambda', …)` from the app's.
    const parts = v.call.args.map(part);
    const known = parts.every((p): p is string => p !== undefined);
    out = !known ? undefined : v.call.args[0]?.k === 'ref' || v.call.args[0]?.k === 'call' ? joinPosix(...parts) : joinPosix(appRoot, ...parts);
  } else if (v.k === 'ref' && !v.path.includes('.')) {
    const local = scope.fn?.locals.get(v.path) ?? app.ev.indexes.get(scope.file)?.vars.get(v.path);
    out = local ? pathOf(app, scope.fn?.locals.has(v.path) ? scope : { file: scope.file }, local, appRoot, depth + 1) : undefined;
  } else {
    const s = app.ev.string(scope, v);
    out = s === undefined || s.startsWith('/') ? undefined : joinPosix(appRoot, s);
  }
  return out === undefined || out.startsWith('..') ? undefined : out;
}
