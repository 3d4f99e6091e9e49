/**
 * What joins a CDK for Terraform app's resources, read from their arguments in Terraform's terms:
 * a Lambda's environment (`environment: { variables: { TABLE_NAME: table.name } }`), its code (a
 * TerraformAsset its `filename` or `s3Key` names, directly or through an S3 object), event source
 * mappings and SNS subscriptions (a function consumes a queue or topic; a queue is fed by a topic),
 * and API Gateway v2 routes (`routeKey`, the integration its `target` names, the function that
 * integration's `integrationUri` is).
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { Value } from '../../src/analysis/index-file.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import type { Program, Resource } from './program.js';

type At = { value: Value; scope: Scope };

export interface Route {
  method: string;
  /** As API Gateway writes it: `/orders/{id}`. */
  path: string;
  fn?: Resource;
  auth: string[];
  file: string;
  line: number;
}

export interface Code {
  file: string;
  /** The exported function's name. */
  handler: string;
}

export interface Links {
  /** Environment variables that carry a resource (by key) to a function. */
  envVars: Map<string, Set<string>>;
  /** Functions (resource keys) fed by a queue, topic or stream (resource key). */
  consumers: Map<string, Set<string>>;
  /** Queues a topic delivers into (resource keys). */
  feeds: Map<string, Set<string>>;
  routes: Route[];
  /** The script each function's code is bundled from, when it is in the repository. */
  code: Map<string, Code>;
  /** Buckets that serve a static website (a website configuration names them, or their own `website` block). */
  websites: Set<string>;
}

const add = (m: Map<string, Set<string>>, key: string, value: string) => {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(value);
};

/** Extensions a function's module may have in the repository. */
const SCRIPT_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'];
/** Folders a build writes a function's bundle to: the code is the folder's parent's. */
const BUILD_FOLDERS = new Set(['dist', 'build', 'out', 'bundle', '.build', '.dist']);

/** A property of the configuration a resource is given (its third argument), or of an object inside it. */
export function propOf(p: Program, scopes: readonly Scope[], props: Value | undefined, ...names: string[]): At | undefined {
  let at: At | undefined;
  let v = props;
  let ss = scopes;
  for (const name of names) {
    const o = p.ev.objectIn(ss, v);
    if (!o || !Object.hasOwn(o.props, name)) return undefined;
    at = { value: o.props[name]!, scope: o.scope };
    v = at.value;
    ss = [at.scope];
  }
  return at;
}

/** The items of an array (a configuration's list blocks: `globalSecondaryIndex: [{ name }]`). */
export function itemsOf(p: Program, at: At | undefined): At[] {
  if (!at) return [];
  if (at.value.k === 'arr') return at.value.items.map((value) => ({ value, scope: at.scope }));
  const r = p.ev.value(at.scope, at.value);
  return r?.k === 'array' ? r.items.map((value) => ({ value, scope: r.scope })) : [];
}

/** The resource a value denotes: `table.arn`, `props.queue.url`, or a reference inside a template or a concatenation (`integrations/${integration.id}`). */
function resourceAt(p: Program, at: At | undefined): Resource | undefined {
  if (!at) return undefined;
  const direct = p.ev.resourceIn([at.scope], at.value);
  const parts = at.value.k === 'tpl' ? at.value.exprs : at.value.k === 'unknown' ? (at.value.cat ?? []) : [];
  if (direct) return direct;
  for (const e of parts) {
    const r = p.ev.resourceIn([at.scope], e);
    if (r) return r;
  }
  return undefined;
}

export function readLinks(p: Program, has: (file: string) => boolean, files: readonly string[]): Links {
  const links: Links = { envVars: new Map(), consumers: new Map(), feeds: new Map(), routes: [], code: new Map(), websites: new Set() };
  const prop = (r: Resource, ...names: string[]) => propOf(p, r.scopes, r.site.call.args[2], ...names);
  const tf = (r: Resource | undefined) => r?.site.type.tf;
  const fn = (r: Resource | undefined) => (tf(r) === 'aws_lambda_function' ? r : undefined);
  const routes: Resource[] = [];
  for (const r of p.resources) {
    switch (r.site.type.tf) {
      case 'aws_lambda_function': {
        const env = prop(r, 'environment', 'variables');
        const vars = env ? p.ev.objectIn([env.scope], env.value) : undefined;
        for (const [name, v] of Object.entries(vars?.props ?? {})) {
          const target = resourceAt(p, { value: v, scope: vars!.scope });
          if (target) add(links.envVars, target.key, name);
        }
        const code = codeOf(p, r, has, files);
        if (code) links.code.set(r.key, code);
        break;
      }
      case 'aws_lambda_event_source_mapping': {
        const source = resourceAt(p, prop(r, 'eventSourceArn'));
        const target = fn(resourceAt(p, prop(r, 'functionName')));
        if (source && target) add(links.consumers, source.key, target.key);
        break;
      }
      case 'aws_sns_topic_subscription': {
        const topic = resourceAt(p, prop(r, 'topicArn'));
        const to = resourceAt(p, prop(r, 'endpoint'));
        if (topic && fn(to)) add(links.consumers, topic.key, to!.key);
        else if (topic && tf(to) === 'aws_sqs_queue') add(links.feeds, topic.key, to!.key);
        break;
      }
      case 'aws_apigatewayv2_route':
      case 'aws_api_gateway_method':
        routes.push(r);
        break;
      case 'aws_s3_bucket_website_configuration': {
        const bucket = resourceAt(p, prop(r, 'bucket'));
        if (tf(bucket) === 'aws_s3_bucket') links.websites.add(bucket!.key);
        break;
      }
      case 'aws_s3_bucket':
        if (prop(r, 'website')) links.websites.add(r.key);
        break;
    }
  }
  const integrations = p.resources.filter((r) => tf(r) === 'aws_api_gateway_integration');
  /** A REST API resource's path: its `pathPart` after its parent's (`parentId: api.rootResourceId` is the root). */
  const restPath = (res: Resource | undefined, depth = 0): string | undefined => {
    if (tf(res) !== 'aws_api_gateway_resource') return '';
    const part = prop(res!, 'pathPart');
    const segment = part ? p.ev.string(part.scope, part.value) : undefined;
    const parent = depth < 16 ? restPath(resourceAt(p, prop(res!, 'parentId')), depth + 1) : undefined;
    return segment === undefined || parent === undefined ? undefined : `${parent}/${segment}`;
  };
  const authOf = (r: Resource, typeName: string) => {
    const type = prop(r, typeName);
    const authType = type ? p.ev.string(type.scope, type.value) : undefined;
    const authorizer = resourceAt(p, prop(r, 'authorizerId'));
    return authorizer
      ? [`API Gateway authorizer ${authorizer.id}`]
      : authType && authType !== 'NONE'
        ? [`API Gateway ${authType.toLowerCase()} authorization`]
        : [];
  };
  for (const r of routes) {
    if (tf(r) === 'aws_api_gateway_method') {
      // `httpMethod` on a resource; its integration is the one on the same resource and method.
      const verb = prop(r, 'httpMethod');
      const method = verb ? p.ev.string(verb.scope, verb.value) : undefined;
      const res = resourceAt(p, prop(r, 'resourceId'));
      const path = restPath(res);
      const integration = integrations.find((i) => {
        const m = propOf(p, i.scopes, i.site.call.args[2], 'httpMethod');
        return resourceAt(p, propOf(p, i.scopes, i.site.call.args[2], 'resourceId')) === res && (!m || p.ev.string(m.scope, m.value) === method);
      });
      const handler = integration ? fn(resourceAt(p, propOf(p, integration.scopes, integration.site.call.args[2], 'uri'))) : undefined;
      if (method && path !== undefined)
        links.routes.push({ method, path: path || '/', fn: handler, auth: authOf(r, 'authorization'), file: r.site.file, line: r.site.line });
      continue;
    }
    const key = prop(r, 'routeKey');
    const rk = key ? p.ev.string(key.scope, key.value) : undefined;
    const target = resourceAt(p, prop(r, 'target'));
    const integration = tf(target) === 'aws_apigatewayv2_integration' ? target! : undefined;
    const handler = integration ? fn(resourceAt(p, propOf(p, integration.scopes, integration.site.call.args[2], 'integrationUri'))) : undefined;
    const auth = authOf(r, 'authorizationType');
    const space = rk?.indexOf(' ') ?? -1;
    // `$default` catches what no other route does: every method and path.
    const [method, path] = rk === '$default' ? ['ANY', '/{proxy+}'] : space > 0 ? [rk!.slice(0, space), rk!.slice(space + 1)] : [];
    if (method && path) links.routes.push({ method, path, fn: handler, auth, file: r.site.file, line: r.site.line });
  }
  return links;
}

/**
 * The script a Lambda's code is bundled from: the TerraformAsset its `filename` (or `s3Key`, or the
 * `source` of the S3 object its `s3Key` names) is, a folder holding the module its `handler`
 * names (`index.handler` → `index.ts`). A folder a build writes (`dist`) is its parent's code.
 */
function codeOf(p: Program, r: Resource, has: (file: string) => boolean, files: readonly string[]): Code | undefined {
  const prop = (x: Resource, name: string) => propOf(p, x.scopes, x.site.call.args[2], name);
  const handlerAt = prop(r, 'handler');
  const handler = handlerAt ? p.ev.string(handlerAt.scope, handlerAt.value) : undefined;
  const dot = handler?.lastIndexOf('.') ?? -1;
  if (!handler || dot <= 0) return undefined;
  let asset: Resource | undefined;
  for (const name of ['filename', 's3Key']) {
    const at = prop(r, name);
    let x = at ? p.ev.resourceIn([at.scope], at.value) : undefined;
    if (x?.site.type.tf === 'aws_s3_object' || x?.site.type.tf === 'aws_s3_bucket_object') {
      const source = prop(x, 'source');
      x = source ? p.ev.resourceIn([source.scope], source.value) : undefined;
    }
    if (x?.site.type.tf === 'asset') {
      asset = x;
      break;
    }
  }
  const pathAt = asset ? prop(asset, 'path') : undefined;
  let dir = pathAt ? p.ev.repoPath(pathAt.scope, pathAt.value) : undefined;
  if (dir === undefined) return undefined;
  const isFolder = (d: string) => d === '.' || files.some((f) => f.startsWith(`${d}/`));
  if (!isFolder(dir) && BUILD_FOLDERS.has(dir.slice(dir.lastIndexOf('/') + 1))) dir = dirOf(dir);
  if (!isFolder(dir)) return undefined;
  const module = joinPosix(dir, handler.slice(0, dot));
  const file = SCRIPT_EXTENSIONS.map((e) => module + e).find(has);
  return file ? { file, handler: handler.slice(dot + 1) } : undefined;
}
