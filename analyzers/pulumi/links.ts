/**
 * What joins a Pulumi program's or an SST app's resources, and the code they run: environment
 * variables that carry a resource (`environment: { variables: { TABLE: table.name } }`), SST's
 * `link: [table]` (which SST hands to the code as `SST_RESOURCE_<Name>`, read as `Resource.<Name>`;
 * v2's `bind: [table]` or `queue.bind([table])`, as `SST_Table_tableName_<Name>`),
 * event sources (`aws.lambda.EventSourceMapping`, `aws.sns.TopicSubscription`, a rule's
 * `aws.cloudwatch.EventTarget`, `queue.onEvent(…)`, SST's `queue.subscribe(…)`), API routes (SST's
 * `api.route('GET /notes', handler)`, `aws.apigatewayv2.Route`, `aws.apigateway.Method`, Crosswalk's
 * `routes`), and the functions those make and the scripts they run.
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, Value } from '../../src/analysis/index-file.js';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { defaultSrcPaths, foldersOf, placeHandler, SCRIPT_EXTENSIONS, type Code, type HandlerPlace } from './handlers.js';
import { argsOf, type Program, type Resource } from './program.js';
import { kindOf, type Kind } from './types.js';

export type { Code } from './handlers.js';

/** A function: a function resource, or one a route, subscription or callback makes. */
export interface Func {
  key: string;
  name: string;
  resource?: Resource;
  /** The script it runs, when it is in the repository. */
  code?: Code;
  /** The folder its handler's path falls into, when its script is not in the repository. */
  folder?: string;
  at: Evidence;
  /** Environment variables it is given, by name. */
  env: string[];
}

export interface Route {
  method: string;
  /** As API Gateway writes it: `/notes/{id}`. */
  path: string;
  fn?: Func;
  auth: string[];
  file: string;
  line: number;
  /** The API it is a route of. */
  api?: Resource;
}

export interface Links {
  functions: Map<string, Func>;
  /** Environment variables that carry a resource (by key). */
  envVars: Map<string, Set<string>>;
  /** Functions (keys) fed by a queue, topic, bus or bucket (resource key). */
  consumers: Map<string, Set<string>>;
  /** Queues and topics a topic or bus delivers into. */
  feeds: Map<string, Set<string>>;
  /** Functions run on a schedule (keys). */
  scheduled: Set<string>;
  routes: Route[];
  /** What a queue's way in lets through (resource key → `detail-type=…`, `source=…`), as the messaging analyzer matches publishes. */
  filters: Map<string, Set<string>>;
  /** Handlers not where SST would find them (`file:line` of the declaration → the warnings). */
  notes: Map<string, Set<string>>;
  /** Detail-types a bus rule sends straight to a function (its key), where the rule is declared. */
  events: { detailType: string; fn: string; file: string; line: number }[];
}

const add = (m: Map<string, Set<string>>, key: string, value: string) => {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(value);
};

type At = { value: Value; scope: Scope };

export function readLinks(
  p: Program,
  appRoot: (file: string) => string,
  has: (file: string) => boolean,
  files: readonly string[],
  isConfig: (file: string) => boolean,
): Links {
  const ev = p.ev;
  const links: Links = {
    functions: new Map(),
    envVars: new Map(),
    consumers: new Map(),
    feeds: new Map(),
    scheduled: new Set(),
    routes: [],
    filters: new Map(),
    notes: new Map(),
    events: [],
  };
  const kind = (r: Resource | undefined): Kind | undefined => (r ? kindOf(r.site.type) : undefined);
  const prop = (scopes: readonly Scope[], v: Value | undefined, name: string): At | undefined => {
    const o = ev.objectIn(scopes, v);
    return o && Object.hasOwn(o.props, name) ? { value: o.props[name]!, scope: o.scope } : undefined;
  };
  const propOf = (r: Resource, ...names: string[]): At | undefined => {
    let at: At | undefined = { value: argsOf(r.site) ?? { k: 'unknown' }, scope: r.scopes[0]! };
    for (const n of names) at = at && prop([at.scope], at.value, n);
    return at;
  };
  const items = (at: At | undefined): At[] => {
    if (!at) return [];
    if (at.value.k === 'arr') return at.value.items.map((value) => ({ value, scope: at.scope }));
    const r = ev.value(at.scope, at.value);
    return r?.k === 'array' ? r.items.map((value) => ({ value, scope: r.scope })) : [];
  };
  const resourceAt = (at: At | undefined) => (at ? ev.resource([at.scope], at.value) : undefined);

  const folders = foldersOf(files);
  const srcPaths = defaultSrcPaths(p, isConfig, appRoot);
  /**
   * A handler SST reads from the function's source folder (SST v2's `srcPath`, its own or the
   * stack's or app's default; else the app's folder): `packages/functions/src/list.main` → that
   * script's `main`. Declared at `at`, where a warning goes when it is not where SST looks.
   */
  const sstHandler = (s: string, at: { file: string; line: number }, srcPath?: string): HandlerPlace => {
    const root = appRoot(at.file);
    const src = srcPath ?? srcPaths.file.get(at.file) ?? srcPaths.app.get(root);
    const place = placeHandler(s, src === undefined ? root : joinPosix(root, src), has, folders);
    if (place.note) add(links.notes, `${at.file}:${at.line}`, place.note);
    return place;
  };
  const stringAt = (a: At | undefined) => (a ? ev.string(a.scope, a.value) : undefined);
  /** A function written in place, or named: the callback of a Pulumi callback function. */
  const callback = (at: At): Code | undefined => {
    const r = at.value.k === 'fn' ? { k: 'fn' as const, key: at.value.key } : ev.value(at.scope, at.value);
    const fn = r?.k === 'fn' ? ev.fns.get(r.key) : undefined;
    return fn ? { file: fn.file, handler: fn.name, line: fn.line } : undefined;
  };

  const fnOfResource = (r: Resource): Func => {
    let f = links.functions.get(r.key);
    if (!f) links.functions.set(r.key, (f = { key: r.key, name: r.name, resource: r, at: { file: r.site.file, line: r.site.line }, env: [] }));
    return f;
  };
  /** The function a subscriber, route handler or job denotes: a function resource, a handler string, `{ handler, link }`, a callback. */
  const handlerFunc = (at: At | undefined, name: string, call: { file: string; line: number }, extraLinks: At[] = [], srcPath?: string): Func | undefined => {
    if (!at) return undefined;
    const r = resourceAt(at);
    if (r && (kind(r) === 'function' || kind(r) === 'worker')) return fnOfResource(r);
    // SST v2's `{ function: handler }` around a handler.
    const inner = prop([at.scope], at.value, 'function');
    if (inner && !prop([at.scope], at.value, 'handler')) return handlerFunc(inner, name, call, extraLinks, srcPath);
    const key = `${call.file}:${call.line}:${name}`;
    const s = ev.string(at.scope, at.value);
    const handler = s === undefined ? prop([at.scope], at.value, 'handler') : undefined;
    const hs = stringAt(handler);
    const src = (handler ? stringAt(prop([at.scope], at.value, 'srcPath')) : undefined) ?? srcPath;
    const place = s !== undefined ? sstHandler(s, call, src) : hs !== undefined ? sstHandler(hs, call, src) : { code: callback(at) };
    if (s === undefined && hs === undefined && !place.code) return undefined;
    const f: Func = { key, name, code: place.code, ...(place.folder ? { folder: place.folder } : {}), at: { file: call.file, line: call.line }, env: [] };
    links.functions.set(key, f);
    const linked = [...(handler ? [...items(prop([at.scope], at.value, 'link')), ...items(prop([at.scope], at.value, 'bind'))] : []), ...extraLinks];
    for (const l of linked) linkTo(f, l);
    const env = handler ? prop([at.scope], at.value, 'environment') : undefined;
    if (env) environment(f, env);
    return f;
  };
  /** `link: [table]` (SST v3) or `bind: [table]` (v2): the variables SST hands the resource to code in. */
  const linkTo = (f: Func | undefined, at: At) => {
    const r = resourceAt(at);
    for (const env of r ? linkedEnv(r) : []) {
      add(links.envVars, r!.key, env);
      f?.env.push(env);
    }
  };
  /** An environment: an object of variables (`{ TABLE: table.name }`), or a list of `{ name, value }`. */
  const environment = (f: Func | undefined, at: At) => {
    const o = ev.objectIn([at.scope], at.value);
    const pairs: [string, At][] = o
      ? Object.entries(o.props).map(([n, v]) => [n, { value: v, scope: o.scope }])
      : items(at).flatMap((i) => {
          const n = prop([i.scope], i.value, 'name');
          const v = prop([i.scope], i.value, 'value');
          const name = n ? ev.string(n.scope, n.value) : undefined;
          return name && v ? [[name, v] as [string, At]] : [];
        });
    for (const [name, v] of pairs) {
      f?.env.push(name);
      const target = resourceAt(v);
      if (target) add(links.envVars, target.key, name);
    }
  };
  const deliver = (from: Resource, to: Resource | undefined, fn?: Func) => {
    if (fn) add(links.consumers, from.key, fn.key);
    else if (to && (kind(to) === 'function' || kind(to) === 'worker')) add(links.consumers, from.key, fnOfResource(to).key);
    else if (to && (kind(to) === 'queue' || kind(to) === 'topic')) add(links.feeds, from.key, to.key);
  };
  const routeOf = (api: Resource | undefined, method: string, path: string, fn: Func | undefined, auth: string[], at: { file: string; line: number }) =>
    links.routes.push({ api, method: method.toUpperCase(), path, fn, auth, file: at.file, line: at.line });

  // Resources that are functions, or that join others.
  const integrations = p.resources.filter((r) => kind(r) === 'integration');
  const integrated = (i: Resource | undefined): Func | undefined => {
    const target = i ? resourceAt(propOf(i, 'integrationUri') ?? propOf(i, 'uri')) : undefined;
    return target && kind(target) === 'function' ? fnOfResource(target) : undefined;
  };
  const apiPath = (r: Resource | undefined, depth = 0): string | undefined => {
    if (!r || depth > 16) return undefined;
    const part = propOf(r, 'pathPart');
    const seg = part ? ev.string(part.scope, part.value) : undefined;
    if (seg === undefined) return undefined;
    const parent = resourceAt(propOf(r, 'parentId'));
    const head = parent && kind(parent) === 'api-resource' ? apiPath(parent, depth + 1) : '';
    return head === undefined ? undefined : `${head}/${seg}`;
  };
  for (const r of p.resources) {
    const k = kind(r);
    const at = { file: r.site.file, line: r.site.line };
    if (k === 'function' || k === 'worker' || k === 'container' || k === 'cloud-run' || k === 'site') {
      const f = k === 'function' || k === 'worker' ? fnOfResource(r) : undefined;
      if (f) {
        // SST's function: its handler read from its source folder (the script, else the folder meant).
        const place = r.site.type.provider === 'sst' ? sstFunction(r, at) : { code: codeOf(r) };
        f.code = place.code;
        if (place.folder) f.folder = place.folder;
      }
      // `environment: { variables: { … } }` (aws.lambda.Function), `environment: { … }` (SST).
      const env = propOf(r, 'environment', 'variables') ?? propOf(r, 'environment');
      if (env) environment(f, env);
      for (const c of [propOf(r, 'taskDefinitionArgs', 'container'), ...containers(r)]) {
        const env = c ? prop([c.scope], c.value, 'environment') : undefined;
        if (env) environment(f, env);
      }
      for (const l of [...items(propOf(r, 'link')), ...items(propOf(r, 'bind'))]) linkTo(f, l);
    } else if (k === 'event-source-mapping') {
      const source = resourceAt(propOf(r, 'eventSourceArn'));
      const target = resourceAt(propOf(r, 'functionName'));
      if (source) deliver(source, target);
    } else if (k === 'subscription') {
      const topic = resourceAt(propOf(r, 'topic'));
      if (topic) deliver(topic, resourceAt(propOf(r, 'endpoint')));
    } else if (k === 'event-target') {
      const rule = resourceAt(propOf(r, 'rule'));
      const target = resourceAt(propOf(r, 'arn'));
      const bus = rule ? resourceAt(propOf(rule, 'eventBusName')) : undefined;
      if (bus) deliver(bus, target);
      else if (target && kind(target) === 'function') links.scheduled.add(fnOfResource(target).key);
    } else if (k === 'cron') {
      const f = handlerFunc(propOf(r, 'function') ?? propOf(r, 'job'), r.name, at);
      if (f) links.scheduled.add(f.key);
    } else if (k === 'route') {
      // `routeKey: 'GET /orders'`; its integration by `target`, else the API's only one.
      const key = propOf(r, 'routeKey');
      const rk = key ? ev.string(key.scope, key.value) : undefined;
      const api = resourceAt(propOf(r, 'apiId'));
      const own = integrations.filter((i) => api && resourceAt(propOf(i, 'apiId')) === api);
      const target = resourceAt(propOf(r, 'target'));
      const integration = target && kind(target) === 'integration' ? target : own.length === 1 ? own[0] : undefined;
      const space = rk?.indexOf(' ') ?? -1;
      if (rk && space > 0) routeOf(api, rk.slice(0, space), rk.slice(space + 1), integrated(integration), authOf(propOf(r, 'authorizationType')), at);
    } else if (k === 'api-method') {
      const verb = propOf(r, 'httpMethod');
      const method = verb ? ev.string(verb.scope, verb.value) : undefined;
      const res = resourceAt(propOf(r, 'resourceId'));
      const path = res && kind(res) === 'api-resource' ? apiPath(res) : '/';
      const integration = integrations.find((i) => {
        const m = propOf(i, 'httpMethod');
        return resourceAt(propOf(i, 'resourceId')) === res && (!m || ev.string(m.scope, m.value) === method);
      });
      if (method && path) routeOf(resourceAt(propOf(r, 'restApi')), method, path, integrated(integration), authOf(propOf(r, 'authorization')), at);
    } else if (k === 'crosswalk-api') {
      for (const item of items(propOf(r, 'routes'))) {
        const path = prop([item.scope], item.value, 'path');
        const method = prop([item.scope], item.value, 'method');
        const p = path ? ev.string(path.scope, path.value) : undefined;
        const m = method ? ev.string(method.scope, method.value) : 'GET';
        if (p === undefined || !m) continue;
        const fn = handlerFunc(prop([item.scope], item.value, 'eventHandler'), `${r.name} ${m} ${p}`, at);
        const authorizers = items(prop([item.scope], item.value, 'authorizers'));
        routeOf(r, m, p.startsWith('/') ? p : `/${p}`, fn, authorizers.length ? ['API Gateway authorizer'] : [], at);
      }
    }
  }

  // SST v2's constructs name their functions in their props: an Api's `routes`, a Queue's
  // `consumer`, a Topic's `subscribers`, an EventBus's rules' `targets`, a Cron's `job`.
  for (const r of p.resources) {
    const t = r.site.type;
    if (t.provider !== 'sst' || t.path[0] !== 'constructs') continue;
    const k = kind(r);
    const at = { file: r.site.file, line: r.site.line };
    if (k === 'http-api') {
      const shared = [...items(propOf(r, 'defaults', 'function', 'bind')), ...items(propOf(r, 'defaults', 'function', 'link'))];
      const src = defaultSrc(r);
      for (const [key, handler] of entries(propOf(r, 'routes'))) {
        const space = key.indexOf(' ');
        if (space <= 0) continue;
        routeOf(r, key.slice(0, space), key.slice(space + 1), handlerFunc(handler, `${r.name} ${key}`, at, shared, src), [], at);
      }
    } else if (k === 'queue') {
      const f = handlerFunc(propOf(r, 'consumer'), `${r.name} consumer`, at);
      if (f) deliver(r, undefined, f);
    } else if (k === 'topic') {
      subscribers(r, propOf(r, 'subscribers'), at);
    } else if (k === 'bus') {
      busRules(r, propOf(r, 'rules'), at);
    } else if (k === 'table') {
      streamConsumers(r, propOf(r, 'consumers'), at);
    }
  }

  /** SST v2's Table `consumers` (or `addConsumers(stack, …)`): functions its stream feeds. */
  function streamConsumers(table: Resource, consumers: At | undefined, at: { file: string; line: number }): void {
    for (const [n, c] of entries(consumers)) {
      const f = handlerFunc(c, `${table.name} ${n}`, at, [], defaultSrc(table));
      if (f) deliver(table, undefined, f);
    }
  }

  /** The `srcPath` an SST v2 construct's `defaults.function` gives the functions it makes. */
  function defaultSrc(r: Resource): string | undefined {
    return stringAt(propOf(r, 'defaults', 'function', 'srcPath'));
  }

  /** An object's properties, each with the scope it is read in. */
  function entries(a: At | undefined): [string, At][] {
    const o = a ? ev.objectIn([a.scope], a.value) : undefined;
    return o ? Object.entries(o.props).map(([n, value]) => [n, { value, scope: o.scope }]) : [];
  }

  /** SST v2's Topic `subscribers` (or `addSubscribers(stack, …)`): functions, or queues (`{ queue }`) it feeds. */
  function subscribers(topic: Resource, subs: At | undefined, at: { file: string; line: number }): void {
    for (const [n, sub] of entries(subs)) {
      const queue = resourceAt(prop([sub.scope], sub.value, 'queue') ?? sub);
      if (queue && kind(queue) === 'queue') deliver(topic, queue);
      else {
        const f = handlerFunc(sub, `${topic.name} ${n}`, at, [], defaultSrc(topic));
        if (f) deliver(topic, undefined, f);
      }
    }
  }

  /**
   * SST v2's EventBus `rules` (or `addRules(stack, …)`): each rule's `targets`, a function or a
   * queue (`{ queue }`, or the queue itself) it feeds; a queue fed through a rule is fed only what
   * the rule's `pattern` matches (`detailType`, `source`), which the messaging analyzer matches
   * publishes against.
   */
  function busRules(bus: Resource, rules: At | undefined, at: { file: string; line: number }): void {
    for (const [, rule] of entries(rules)) {
      const pattern = prop([rule.scope], rule.value, 'pattern');
      const filters = pattern ? patternFilters(pattern) : [];
      for (const [n, target] of entries(prop([rule.scope], rule.value, 'targets'))) {
        const queue = resourceAt(prop([target.scope], target.value, 'queue') ?? target);
        if (queue && kind(queue) === 'queue') {
          deliver(bus, queue);
          for (const f of filters) add(links.filters, queue.key, f);
        } else {
          const f = handlerFunc(target, `${bus.name} ${n}`, at, [], defaultSrc(bus));
          if (f) deliver(bus, undefined, f);
          if (f) eventsTo(f, filters, at);
        }
      }
    }
  }

  /**
   * A function a rule sends events to straight from the bus consumes the detail-types its pattern
   * names. Not those of a pattern on AWS's own sources (`aws.s3`): AWS publishes them, not the code.
   */
  function eventsTo(f: Func, filters: string[], at: { file: string; line: number }): void {
    const sources = filters.filter((x) => x.startsWith('source='));
    if (sources.length > 0 && sources.every((x) => x.startsWith('source=aws.'))) return;
    for (const x of filters) {
      const type = x.startsWith('detail-type=') ? x.slice('detail-type='.length) : undefined;
      if (type && type !== '?') links.events.push({ detailType: type, fn: f.key, file: at.file, line: at.line });
    }
  }

  /** What an event pattern matches, as the messaging analyzer reads a publish: `detail-type=…`, `source=…`; `name=?` when its values are not known. */
  function patternFilters(pattern: At): string[] {
    const out: string[] = [];
    for (const [key, name] of [
      ['detailType', 'detail-type'],
      ['source', 'source'],
    ] as const) {
      const p = prop([pattern.scope], pattern.value, key);
      if (!p) continue;
      const values = ev.strings(p.scope, p.value);
      if (values?.length) for (const v of values) out.push(`${name}=${v}`);
      else out.push(`${name}=?`);
    }
    return out;
  }

  /** `authorizationType: 'AWS_IAM'` (or SST's `auth: { iam: true }`): the route's authentication. */
  function authOf(at: At | undefined): string[] {
    if (!at) return [];
    const s = ev.string(at.scope, at.value);
    if (s !== undefined) return s === 'NONE' ? [] : [`API Gateway ${s.replace(/^AWS_/, '').toLowerCase().replace(/_/g, ' ')} authorization`];
    const o = ev.objectIn([at.scope], at.value);
    return o ? Object.keys(o.props).map((m) => `API Gateway ${m} authorization`) : [];
  }

  /** Crosswalk's `taskDefinitionArgs.containers: { web: { … } }`. */
  function containers(r: Resource): (At | undefined)[] {
    const all = propOf(r, 'taskDefinitionArgs', 'containers');
    const o = all ? ev.objectIn([all.scope], all.value) : undefined;
    return o ? Object.values(o.props).map((value) => ({ value, scope: o.scope })) : [];
  }

  /** What an SST function or Worker runs: its `handler`, read from its `srcPath` (SST v2) or the defaults. */
  function sstFunction(r: Resource, at: { file: string; line: number }): HandlerPlace {
    const hs = stringAt(propOf(r, 'handler'));
    return hs === undefined ? {} : sstHandler(hs, at, stringAt(propOf(r, 'srcPath')));
  }

  /** The script a Pulumi function resource runs: a callback, an archive's folder with `handler: 'index.handler'`, inline code. */
  function codeOf(r: Resource): Code | undefined {
    const handler = propOf(r, 'handler');
    const hs = handler ? ev.string(handler.scope, handler.value) : undefined;
    const cb = propOf(r, 'callback');
    if (cb) return callback(cb);
    const code = propOf(r, 'code');
    const key = propOf(r, 's3Key');
    if (!code && key && hs !== undefined) return s3Code(key, hs);
    if (!code || hs === undefined) return undefined;
    const dot = hs.lastIndexOf('.');
    const archive = archiveOf(code, 0);
    if (archive === 'inline') return { file: r.site.file, handler: hs.slice(dot + 1), line: code.value.k === 'call' ? code.value.call.line : r.site.line };
    if (!archive || dot <= 0) return undefined;
    const module = joinPosix(appRoot(r.site.file), archive, hs.slice(0, dot));
    const file = SCRIPT_EXTENSIONS.map((e) => module + e).find(has);
    return file ? { file, handler: hs.slice(dot + 1), line: 1 } : undefined;
  }

  /**
   * Code uploaded to S3 by the build (`s3Key: 'jokes/v1-handler.zip'`): the repository's one folder
   * named as the archive, holding the handler's module (`v1-handler/index.ts` for `index.handler`).
   */
  function s3Code(key: At, handler: string): Code | undefined {
    const s = ev.string(key.scope, key.value);
    const archive = s?.slice(s.lastIndexOf('/') + 1).replace(/\.zip$/, '');
    const dot = handler.lastIndexOf('.');
    if (!archive || dot <= 0) return undefined;
    const module = handler.slice(0, dot);
    const found = files.filter((f) => {
      const dir = dirOf(f);
      return dir.slice(dir.lastIndexOf('/') + 1) === archive && SCRIPT_EXTENSIONS.some((e) => f === `${dir}/${module}${e}`);
    });
    return found.length === 1 ? { file: found[0]!, handler: handler.slice(dot + 1), line: 1 } : undefined;
  }

  /** The folder a function's code archive is made of (`new pulumi.asset.FileArchive('./app')`, in an AssetArchive too), or `inline` for a StringAsset. */
  function archiveOf(at: At, depth: number): string | undefined {
    const v = at.value.k === 'ref' ? undefined : at.value;
    if (depth > 3 || !v) return undefined;
    if (v.k === 'call' && v.call.isNew) {
      const cls = v.call.names[v.call.names.length - 1] ?? v.call.root;
      if (cls === 'FileArchive' || cls === 'FileAsset') {
        const s = v.call.args[0] ? ev.string(at.scope, v.call.args[0]) : undefined;
        return s === undefined || s.endsWith('.zip') ? undefined : s;
      }
      if (cls === 'StringAsset') return 'inline';
      if (cls === 'AssetArchive') {
        const o = ev.objectIn([at.scope], v.call.args[0]);
        for (const item of Object.values(o?.props ?? {})) {
          const a = archiveOf({ value: item, scope: o!.scope }, depth + 1);
          if (a) return a;
        }
      }
    }
    return undefined;
  }

  // Calls on resources: SST's `api.route(…)`, `queue.subscribe(…)`, `bus.subscribeQueue(…)`; Pulumi's `queue.onEvent(…)`.
  for (const file of p.files) {
    for (const fn of ev.indexes.get(file)!.functions.values()) {
      const calls = fn.calls.filter((c) => !c.isNew && c.names.length > 0 && !c.names.includes('()') && RESOURCE_METHODS.has(c.names[c.names.length - 1]!));
      if (calls.length) for (const scope of p.scopesOf(fn)) for (const call of calls) readCall(scope, call);
    }
  }

  function readCall(scope: Scope, call: CallSite): void {
    const method = call.names[call.names.length - 1]!;
    const receiver = ev.resource([scope], { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') });
    const k = kind(receiver);
    if (!receiver || !k) return;
    const at = { file: scope.file, line: call.line };
    const args = call.args.map((value) => ({ value, scope }));
    const v2 = receiver.site.type.provider === 'sst' && receiver.site.type.path[0] === 'constructs';
    // SST v3's `bus.subscribe(…)` and `subscribeQueue(…)` take an event pattern among their arguments.
    const pattern = k === 'bus' ? args.map((a) => prop([a.scope], a.value, 'pattern')).find((x) => x !== undefined) : undefined;
    if (method === 'route' && k === 'http-api') {
      const raw = args[0] ? ev.string(scope, args[0].value) : undefined;
      const space = raw?.indexOf(' ') ?? -1;
      if (!raw || space <= 0) return;
      // The API's `transform.route.handler.link` and `.args.auth` hold for every route.
      const shared = propOf(receiver, 'transform', 'route', 'handler', 'link');
      const fn = handlerFunc(args[1], `${receiver.name} ${raw}`, at, items(shared));
      const auth = args[2] ? prop([scope], args[2].value, 'auth') : propOf(receiver, 'transform', 'route', 'args', 'auth');
      routeOf(receiver, raw.slice(0, space), raw.slice(space + 1), fn, authOf(auth), at);
    } else if (method === 'subscribe' && (k === 'queue' || k === 'bus' || k === 'topic')) {
      // `queue.subscribe(handler)`, `bus.subscribe('Name', handler, { pattern })`: the first argument that is a handler.
      for (const a of args) {
        const s = ev.string(a.scope, a.value);
        if (s !== undefined && !s.includes('.')) continue;
        const f = handlerFunc(a, `${receiver.name} subscriber`, at);
        if (f) deliver(receiver, undefined, f);
        if (f && pattern) eventsTo(f, patternFilters(pattern), at);
        if (f) break;
      }
    } else if (method === 'subscribeQueue' && (k === 'bus' || k === 'topic')) {
      // SST v3's `bus.subscribeQueue('Name', queue, { pattern: { detailType: [...] } })`.
      for (const a of args) {
        const queue = resourceAt(a);
        deliver(receiver, queue);
        if (pattern && queue && kind(queue) === 'queue') for (const f of patternFilters(pattern)) add(links.filters, queue.key, f);
      }
    } else if (method === 'addRules' && k === 'bus' && v2) {
      // SST v2's `bus.addRules(stack, { rule: { pattern, targets } })`, as its `rules`.
      busRules(receiver, args[1], at);
    } else if (method === 'addSubscribers' && k === 'topic' && v2) {
      subscribers(receiver, args[1], at);
    } else if (method === 'addConsumers' && k === 'table' && v2) {
      streamConsumers(receiver, args[1], at);
    } else if (method === 'bind' && v2) {
      // SST v2's `construct.bind([table, queue])`, as its `bind` prop: the construct's functions (a
      // function itself, a queue's consumers) get the variables of what it binds.
      const fns =
        k === 'function' || k === 'worker'
          ? [fnOfResource(receiver)]
          : [...(links.consumers.get(receiver.key) ?? [])].flatMap((key) => (links.functions.has(key) ? [links.functions.get(key)!] : []));
      for (const item of args.flatMap((a) => items(a))) {
        if (fns.length === 0) linkTo(undefined, item);
        for (const f of fns) linkTo(f, item);
      }
    } else if (method === 'addConsumer' && k === 'queue' && v2) {
      const f = handlerFunc(args[1], `${receiver.name} consumer`, at);
      if (f) deliver(receiver, undefined, f);
    } else if (method.startsWith('on') && (k === 'queue' || k === 'topic' || k === 'bucket' || k === 'table' || k === 'bus')) {
      // Pulumi's callback mixins: `queue.onEvent('name', handler)`, `bucket.onObjectCreated('name', handler)`.
      const name = args[0] ? ev.string(scope, args[0].value) : undefined;
      const f = handlerFunc(args[1], name ?? `${receiver.name} ${method}`, at);
      if (f) deliver(receiver, undefined, f);
    }
  }

  // A custom domain's base path mapping (`basePath: 'v1'`) puts the API's routes under it.
  const bases = new Map<Resource, string>();
  for (const r of p.resources) {
    const t = kind(r) === undefined ? r.site.type.path.join('.') : '';
    const [api, key] = t === 'apigateway.BasePathMapping' ? ['restApi', 'basePath'] : t === 'apigatewayv2.ApiMapping' ? ['apiId', 'apiMappingKey'] : [];
    const target = api ? resourceAt(propOf(r, api)) : undefined;
    const base = key ? propOf(r, key) : undefined;
    const s = base ? ev.string(base.scope, base.value) : undefined;
    if (target && s && r.site.type.provider === 'aws') bases.set(target, s.split('/').filter(Boolean).join('/'));
  }
  for (const route of links.routes) {
    const base = route.api ? bases.get(route.api) : undefined;
    if (base) route.path = `/${base}${route.path === '/' ? '' : route.path}`;
  }
  for (const f of links.functions.values()) f.env = [...new Set(f.env)].sort();
  return links;
}

/** The properties SST v2 binds of each construct (`SST_Table_tableName_Notes`, read as `Table.Notes.tableName`). */
const BOUND: Record<string, string[]> = {
  Table: ['tableName'],
  Queue: ['queueUrl'],
  Topic: ['topicArn', 'topicName'],
  Bucket: ['bucketName'],
  EventBus: ['eventBusName'],
  RDS: ['clusterArn', 'secretArn', 'defaultDatabaseName'],
  Function: ['functionName'],
  Api: ['url'],
};

/** The variables SST hands a linked (v3) or bound (v2) resource to code in: `SST_RESOURCE_Notes`; `SST_Table_tableName_Notes`. */
function linkedEnv(r: Resource): string[] {
  const t = r.site.type;
  if (t.provider !== 'sst' || t.path[0] !== 'constructs') return [`SST_RESOURCE_${r.name}`];
  const cls = t.path[t.path.length - 1]!;
  return (Object.hasOwn(BOUND, cls) ? BOUND[cls]! : []).map((prop) => `SST_${cls}_${prop}_${r.name}`);
}

/** Methods on resources that make functions, routes or deliveries. */
const RESOURCE_METHODS = new Set([
  'route',
  'bind',
  'subscribe',
  'subscribeQueue',
  'onEvent',
  'onObjectCreated',
  'onObjectRemoved',
  'onMessage',
  'addRules',
  'addSubscribers',
  'addConsumer',
  'addConsumers',
]);

/** Resources a resource's arguments refer to, however deep (objects, arrays, templates, calls and the functions given to them), each once. */
export function resourcesIn(p: Program, r: Resource): Resource[] {
  const out = new Map<string, Resource>();
  let budget = 2000;
  const walk = (scope: Scope, v: Value | undefined, depth: number): void => {
    if (!v || depth > 8 || --budget < 0) return;
    switch (v.k) {
      case 'ref': {
        const found = p.ev.resource([scope], v);
        if (found && found !== r) out.set(found.key, found);
        return;
      }
      case 'obj':
        for (const x of Object.values(v.props)) walk(scope, x, depth + 1);
        return;
      case 'arr':
        for (const x of v.items) walk(scope, x, depth + 1);
        return;
      case 'tpl':
        for (const x of v.exprs) walk(scope, x, depth + 1);
        return;
      case 'or':
        walk(scope, v.left, depth + 1);
        walk(scope, v.right, depth + 1);
        return;
      case 'call':
        // The receiver of a call (`repo.repositoryUrl.apply(…)`), up to its first intermediate call.
        if (v.call.root && v.call.root !== 'this') {
          const cut = v.call.names.indexOf('()');
          walk(scope, { k: 'ref', path: [v.call.root, ...v.call.names.slice(0, cut < 0 ? v.call.names.length : cut)].join('.') }, depth + 1);
        }
        for (const x of [...v.call.args, ...v.call.innerArgs.flat()]) walk(scope, x, depth + 1);
        return;
      default:
        return;
    }
  };
  for (const scope of r.scopes) walk(scope, argsOf(r.site), 0);
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
