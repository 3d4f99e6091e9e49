/**
 * serverless: Serverless Framework services (`serverless.yml`, and `serverless.ts`/`serverless.js`
 * read from their syntax tree, never run) and AWS SAM templates. Functions become workloads with
 * their runtime, memory, timeout, concurrency and events; handlers are linked to their source
 * file; http events become endpoints; queues, topics, tables and buckets declared as
 * CloudFormation resources become queues, data stores and infrastructure.
 */
import { defineAnalyzer, type FileScan } from '../../src/analyzer/define.js';
import { TS_EXTENSIONS, type AnalyzerContext } from '../../src/analyzer/context.js';
import { apiGatewayPath, cloudWatchFact, engineStore, provisionedStore, roleOf } from '../../src/data/cloud-resources.js';
import { emitRecovery } from '../../src/analysis/iac-recovery.js';
import { settleRouteComponents } from '../../src/analysis/function-routes.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { DataStore, Details, Evidence } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { findLine } from '../../src/util/text.js';
import { asArray, asRecord, lineOf, str } from '../../src/analysis/yaml.js';
import { cfnValue } from './cfn-yaml.js';
import { networkOf, refsIn, resourceDetails, settingsOf, templateEvents, templateRoutes, type TemplateEvents, type TemplateRoute } from './cloudformation.js';
import { ConfigReader } from './config-ts.js';
import { hasVariable, SelfVariables } from './variables.js';
import { emitExports, emitImports, emitSubscriptions, type Channels } from './exports.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { idOf } from '../../src/model/ids.js';

const SERVERLESS = /(^|\/)serverless\.ya?ml$/;
const SERVERLESS_SCRIPT = /(^|\/)serverless\.(ts|js|cjs|mjs)$/;
const SAM = /(^|\/)(template|sam-template|samconfig-template)\.ya?ml$/;
/** Files a CloudFormation template can be written in; a synthesised CDK app (cdk.out) is not the repository's. */
const TEMPLATE_FILE = /\.(ya?ml|json|template)$/;
const NOT_TEMPLATE = /(^|\/)(cdk\.out|node_modules)\/|(^|\/)(package(-lock)?|tsconfig[^/]*|composer|\.eslintrc|renovate|turbo|nx|project|angular)\.json$/;
/** Templates over this many characters are not read. */
const MAX_TEMPLATE_CHARS = 2_000_000;

/**
 * What a file is: a SAM template (named template.yaml or declaring the SAM transform), a plain
 * CloudFormation template (`AWSTemplateFormatVersion`, or resources typed `AWS::…`), or neither.
 */
function templateKind(file: string, text: string | undefined): 'sam' | 'cloudformation' | undefined {
  if (!text || text.length > MAX_TEMPLATE_CHARS) return undefined;
  if (text.includes('AWS::Serverless') && (SAM.test(file) || text.includes('AWS::Serverless-2016-10-31'))) return 'sam';
  if (text.includes('AWSTemplateFormatVersion')) return 'cloudformation';
  return text.includes('Resources') && (text.includes('Type: AWS::') || text.includes('"Type": "AWS::')) ? 'cloudformation' : undefined;
}

function templateCandidates(ctx: AnalyzerContext): string[] {
  return ctx.files.filter((f) => TEMPLATE_FILE.test(f) && !SERVERLESS.test(f) && !NOT_TEMPLATE.test(f) && !ctx.isSetAside(f));
}

/** A name with an unresolved variable (`${self:service}-queue`, `{{resolve:…}}`) is no name. */
function templated(name: string): boolean {
  return name.includes('${') || name.includes('{{');
}

/**
 * The last segment of an ARN (`arn:aws:sqs:eu-west-1:123:orders` → `orders`; `…:table/Orders/stream/…`
 * → `Orders`; `…:event-bus/billing` → `billing`); a `:` or `/` inside a variable does not split it.
 */
function arnName(arn: string): string {
  const cut: number[] = [];
  let depth = 0;
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && (c === ':' || c === '/')) cut.push(i);
  }
  const parts = cut.map((at, i) => arn.slice(at + 1, cut[i + 1] ?? arn.length));
  // A table's stream ARN names the table before its stream's label.
  const table = parts.indexOf('table');
  if (table >= 0 && parts[table + 1]) return parts[table + 1]!;
  return parts[parts.length - 1] ?? arn;
}

/**
 * What an event source points at: `{ 'Fn::GetAtt': [Queue, Arn] }`, `{ Ref: Queue }` (also the
 * short forms read by cfn-yaml), `Queue.Arn` as a string, or an ARN (its last segment is the name).
 */
function refTarget(v: unknown): { logical?: string; name?: string } {
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { name: arnName(v) };
    return { name: v };
  }
  const r = asRecord(v);
  if (!r) return {};
  const ga = r['Fn::GetAtt'];
  if (Array.isArray(ga)) return { logical: str(ga[0]) };
  if (typeof ga === 'string') return { logical: ga.split('.')[0] };
  if (typeof r.Ref === 'string') return { logical: r.Ref };
  const arn = r.arn ?? r.Arn;
  if (arn !== undefined) return refTarget(arn);
  return {};
}

/** The property naming a resource of each type that carries messages or data (and that a variable may name). */
const NAME_KEYS: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::Events::EventBus': 'Name',
};

/**
 * A channel's name: the declared name of the resource it is (`QueueName`, `TopicName`, a table's or
 * stream's), or its logical id when that name is templated; a name given in place (an ARN's last
 * segment) that a resource of the template declares is that resource's.
 */
function channelName(t: { logical?: string; name?: string }, resources: Record<string, unknown>, vars?: SelfVariables): string | undefined {
  const logical = t.logical ?? (t.name ? declaring(t.name, resources, vars) : undefined);
  if (logical) {
    const r = asRecord(resources[logical]);
    const key = NAME_KEYS[str(r?.Type) ?? ''];
    const declared = key ? str(asRecord(r?.Properties)?.[key]) : undefined;
    return declared && !templated(declared) ? declared : logical;
  }
  return t.name && !templated(t.name) ? t.name : undefined;
}

/** The one resource of the template that declares `name` as its name (as written, `${self:service}-orders`, or with the service's own variables read). */
function declaring(name: string, resources: Record<string, unknown>, vars?: SelfVariables): string | undefined {
  const found = Object.entries(resources).filter(([, raw]) => {
    const r = asRecord(raw);
    const key = NAME_KEYS[str(r?.Type) ?? ''];
    const declared = key ? str(asRecord(r?.Properties)?.[key]) : undefined;
    return declared !== undefined && (declared === name || (vars !== undefined && hasVariable(declared) && vars.substitute(declared) === name));
  });
  return found.length === 1 ? found[0]![0] : undefined;
}

/** API Gateway path parameters as the house writes them: `/orders/{id}` → `/orders/:id`. */
function routePath(p: string): string {
  let s = p.trim();
  if (!s.startsWith('/')) s = '/' + s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    // `${…}` is a variable, not a parameter.
    const close = s[i] === '{' && s[i - 1] !== '$' ? s.indexOf('}', i) : -1;
    const name = close > i ? s.slice(i + 1, close) : '';
    if (close > i && name !== '' && !name.includes('/') && !name.includes('{')) {
      out += ':' + name;
      i = close;
    } else out += s[i];
  }
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

interface Route {
  method: string;
  path: string;
  /** The event type: http, httpApi (Serverless), Api, HttpApi (SAM). */
  event: string;
  authorizer?: string;
  evidence: Evidence;
}

interface Fn {
  name: string;
  handler?: string;
  runtime?: string;
  memory?: unknown;
  timeout?: unknown;
  reserved?: unknown;
  provisioned?: unknown;
  region?: string;
  environment?: string[];
  /** Environment variables whose value refers to a resource (`{ Ref: Queue }`): name → logical id. */
  envRefs: [string, string][];
  events: string[];
  /** The channels its event sources consume: SQS queues, SNS topics, EventBridge detail-types or buses, Kinesis and DynamoDB streams. */
  channels: Channel[];
  routes: Route[];
  codeDir: string;
  evidence: Evidence;
}

/** A channel an event source consumes; `kind` where it is no plain queue or topic; `id` for one another stack exports. */
interface Channel {
  name: string;
  tech: string;
  kind?: string;
  id?: string;
}

/**
 * The channel another stack exports that an event source names by `Fn::ImportValue`:
 * `queue:export:<name>`, which the messaging analyzer's link phase joins to the channel exported under it.
 */
function importedChannel(v: unknown, tech: string): Channel | undefined {
  const name = str(asRecord(v)?.['Fn::ImportValue']);
  return name && !templated(name) ? { id: idOf.exportedQueue(name), name, tech } : undefined;
}

const SQS = 'Amazon SQS';
const SNS = 'Amazon SNS';
const DYNAMODB_STREAMS = 'Amazon DynamoDB Streams';
const KINESIS = 'Amazon Kinesis';
const EVENTBRIDGE = 'Amazon EventBridge';

type Locate = (path: readonly (string | number)[]) => Evidence;

/** The resources that are channels, as the messaging analyzer writes them. */
const CHANNEL_TYPES: Record<string, { tech: string; kind?: string }> = {
  'AWS::SQS::Queue': { tech: SQS },
  'AWS::SNS::Topic': { tech: SNS },
  'AWS::Kinesis::Stream': { tech: KINESIS, kind: 'stream' },
  'AWS::Events::EventBus': { tech: EVENTBRIDGE, kind: 'event bus' },
};

/** Types whose resource a variable carries to code as a channel or a data store. */
const CARRIED = new Set([
  ...Object.keys(NAME_KEYS),
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::CacheCluster',
]);

/**
 * Variables whose value refers to one resource of the template that carries messages or data:
 * name → logical id. The value may be a `Ref`, a `Fn::GetAtt`, a URL or ARN assembled with
 * `Fn::Join` or `Fn::Sub` around one such reference, the resource's declared name, or a
 * `${self:…}` variable of the service reaching any of these (every value it can reach when a
 * part of its path, such as the stage, is not known: they must all name the same resource).
 */
function envRefs(resources: Record<string, unknown>, vars: SelfVariables | undefined, ...envs: unknown[]): [string, string][] {
  const logicals = new Set(Object.keys(resources).filter((l) => CARRIED.has(str(asRecord(resources[l])?.Type) ?? '')));
  const out: [string, string][] = [];
  for (const env of envs) {
    for (const [name, v] of Object.entries(asRecord(env) ?? {})) {
      const found = new Set<string>();
      for (const value of vars ? [v, ...vars.values(v)] : [v]) {
        const named = typeof value === 'string' ? declaring(value, resources, vars) : undefined;
        for (const l of named ? [named] : refsIn(value, logicals)) found.add(l);
      }
      if (found.size === 1) out.push([name, [...found][0]!]);
    }
  }
  return out;
}

/** A value with the service's own `${self:…}` variables read: the one value they reach, or the value as written. */
function settle(v: unknown, vars: SelfVariables | undefined): unknown {
  if (!vars) return v;
  const values = [...new Set(vars.values(v))];
  return values.length === 1 ? values[0] : v;
}

function authorizerName(v: unknown): string | undefined {
  if (typeof v === 'string') return v === 'NONE' ? undefined : v;
  const r = asRecord(v);
  if (!r) return undefined;
  return str(r.name) ?? str(r.type) ?? (r.arn !== undefined ? 'Lambda authorizer' : undefined);
}

/**
 * The stream a stream event source reads: a DynamoDB table's, named after the table, or a Kinesis
 * stream. Which one is the resource's type, else the event's `type`, else the ARN's service.
 */
function streamOf(resourceType: string | undefined, declaredType: string | undefined, arn: unknown): string | undefined {
  const service = typeof arn === 'string' && arn.startsWith('arn:') ? arn.split(':')[2] : undefined;
  if (resourceType) return resourceType.startsWith('AWS::DynamoDB::') ? DYNAMODB_STREAMS : resourceType === 'AWS::Kinesis::Stream' ? KINESIS : undefined;
  const kind = (declaredType ?? service)?.toLowerCase();
  return kind === 'dynamodb' ? DYNAMODB_STREAMS : kind === 'kinesis' ? KINESIS : undefined;
}

/** The channel a stream event source reads (`{ 'Fn::GetAtt': [Table, StreamArn] }`, a stream's ARN). */
function streamChannel(arn: unknown, declaredType: string | undefined, resources: Record<string, unknown>, vars?: SelfVariables): Channel | undefined {
  const t = refTarget(arn);
  const logical = t.logical ?? (t.name ? declaring(t.name, resources, vars) : undefined);
  const tech = streamOf(logical ? (str(asRecord(resources[logical])?.Type) ?? '') : undefined, declaredType, arn);
  const name = channelName(t, resources, vars);
  return tech && name ? { name, tech, kind: 'stream' } : undefined;
}

/**
 * The channels an EventBridge rule delivers to a function: each detail-type its pattern lets in (a
 * channel of its own, where code that puts events of that type publishes), else the custom bus it
 * listens on (not the default bus, whose rules match AWS services' events).
 */
function eventBridgeChannels(pattern: unknown, bus: unknown, resources: Record<string, unknown>, vars?: SelfVariables): Channel[] {
  const types = asArray(settle(asRecord(pattern)?.['detail-type'], vars))
    .map((x) => str(settle(x, vars)))
    .filter((x): x is string => x !== undefined && !templated(x));
  if (types.length) return sortedUnique(types).map((name) => ({ name, tech: EVENTBRIDGE, kind: 'event' }));
  const name = bus === undefined ? undefined : channelName(refTarget(bus), resources, vars);
  return name && name !== 'default' ? [{ name, tech: EVENTBRIDGE, kind: 'event bus' }] : [];
}

/** The functions of a Serverless Framework configuration (from YAML or from a script). */
function serverlessFunctions(sls: Record<string, unknown>, file: string, locate: Locate): Fn[] {
  const provider = asRecord(sls.provider) ?? {};
  const resources = asRecord(asRecord(sls.resources)?.Resources) ?? {};
  const providerEnv = Object.keys(asRecord(provider.environment) ?? {});
  const vars = new SelfVariables(sls);
  const fns: Fn[] = [];
  for (const [name, raw] of Object.entries(asRecord(sls.functions) ?? {})) {
    const f = asRecord(raw) ?? {};
    const events: string[] = [];
    const channels: Channel[] = [];
    const routes: Route[] = [];
    asArray(f.events).forEach((e, i) => {
      const rec = asRecord(e);
      const type = rec ? Object.keys(rec)[0] : undefined;
      if (!type || !rec) return;
      const v = rec[type];
      const vr = asRecord(v);
      if (type === 'http' || type === 'httpApi') {
        // `http: GET users/{id}` or `http: { method, path }`; `httpApi: '*'` is the catch-all route.
        const parts = typeof v === 'string' ? v.trim().split(' ').filter(Boolean) : [];
        const method = (str(vr?.method) ?? (parts.length > 1 ? parts[0] : v === '*' ? '*' : undefined) ?? 'ANY').toUpperCase();
        const rawPath = str(vr?.path) ?? (parts.length > 1 ? parts[1] : v === '*' ? '*' : undefined);
        const path = rawPath === undefined ? undefined : rawPath === '*' ? '/*' : routePath(rawPath);
        events.push(`${type} ${method} ${path ?? '/'}`);
        if (path !== undefined && !templated(path) && !path.includes('…')) {
          routes.push({
            method: method === '*' ? 'ANY' : method,
            path,
            event: type,
            authorizer: authorizerName(vr?.authorizer),
            evidence: locate(['functions', name, 'events', i]),
          });
        }
      } else if (type === 'sqs') {
        const source = settle(vr ? (vr.arn ?? vr.queueName) : v, vars);
        const t = refTarget(source);
        const q = channelName(t, resources, vars);
        const c = q ? { name: q, tech: SQS } : importedChannel(source, SQS);
        if (c) channels.push(c);
        events.push(`sqs ${c?.name ?? t.logical ?? ''}`.trim());
      } else if (type === 'sns') {
        const topicName = str(settle(vr?.topicName, vars));
        const source = settle(vr ? vr.arn : v, vars);
        const t = topicName ? { name: topicName } : refTarget(source);
        const topic = channelName(t, resources, vars);
        const c = topic ? { name: topic, tech: SNS } : importedChannel(source, SNS);
        if (c) channels.push(c);
        events.push(`sns ${c?.name ?? ''}`.trim());
      } else if (type === 'stream') {
        // `stream: arn:…` or `stream: { type: dynamodb, arn: { 'Fn::GetAtt': [Table, StreamArn] } }`.
        const c = streamChannel(settle(vr ? vr.arn : v, vars), str(vr?.type), resources, vars);
        if (c) channels.push(c);
        events.push(`stream ${c?.name ?? ''}`.trim());
      } else if (type === 'schedule') {
        const rate = asArray(vr?.rate).map(str).filter(Boolean)[0] ?? str(vr?.rate) ?? str(v) ?? '';
        events.push(`schedule ${rate}`.trim());
      } else if (type === 's3') {
        const bucket = str(vr?.bucket) ?? str(v);
        events.push(`s3 ${bucket && !templated(bucket) ? bucket : ''}`.trim());
      } else if (type === 'eventBridge') {
        const bus = str(vr?.eventBus);
        const delivered = eventBridgeChannels(vr?.pattern, settle(vr?.eventBus, vars), resources, vars);
        // The bus when it is named in place, else what the rule delivers (its detail-types).
        const named = bus && !templated(bus) ? (bus.startsWith('arn:') ? bus.split('/').pop() : bus) : delivered.map((c) => c.name).join(', ');
        events.push(`eventBridge ${named}`.trim());
        channels.push(...delivered);
      } else events.push(type);
    });
    const env = sortedUnique([...providerEnv, ...Object.keys(asRecord(f.environment) ?? {})]);
    fns.push({
      name,
      handler: str(f.handler),
      runtime: str(f.runtime) ?? str(provider.runtime),
      memory: f.memorySize ?? provider.memorySize,
      timeout: f.timeout ?? provider.timeout,
      reserved: f.reservedConcurrency,
      provisioned: f.provisionedConcurrency,
      region: str(provider.region),
      ...(env.length ? { environment: env } : {}),
      envRefs: envRefs(resources, vars, provider.environment, f.environment),
      events,
      channels,
      routes,
      codeDir: dirOf(file),
      evidence: locate(['functions', name]),
    });
  }
  return fns;
}

/**
 * The functions of a SAM or CloudFormation template: `AWS::Serverless::Function` (with the
 * template's `Globals` and its `Events`) and `AWS::Lambda::Function` (its code a folder when the
 * template is packaged from the repository), each with the routes and events the template's other
 * resources give it.
 */
function templateFunctions(tpl: Record<string, unknown>, file: string, locate: Locate): Fn[] {
  const samGlobals = asRecord(asRecord(tpl.Globals)?.Function) ?? {};
  const resources = asRecord(tpl.Resources) ?? {};
  const byRoutes = templateRoutes(resources);
  const byEvents = templateEvents(resources);
  const fns: Fn[] = [];
  for (const [logical, raw] of Object.entries(resources)) {
    const r = asRecord(raw);
    const sam = r?.Type === 'AWS::Serverless::Function';
    if (!sam && r?.Type !== 'AWS::Lambda::Function') continue;
    // Globals are SAM's, for its own functions only.
    const globals = sam ? samGlobals : {};
    const globalEnv = Object.keys(asRecord(asRecord(globals.Environment)?.Variables) ?? {});
    const p = asRecord(r.Properties) ?? {};
    const events: string[] = [];
    const channels: Channel[] = [];
    const routes: Route[] = [];
    for (const [eventName, e] of Object.entries(asRecord(p.Events) ?? {})) {
      const er = asRecord(e);
      const type = str(er?.Type) ?? '?';
      const props = asRecord(er?.Properties) ?? {};
      if (type === 'Api' || type === 'HttpApi') {
        const method = String(str(props.Method) ?? 'ANY').toUpperCase();
        const rawPath = str(props.Path);
        events.push(`${type} ${method} ${rawPath === undefined ? '' : routePath(rawPath)}`.trim());
        if (rawPath !== undefined && !templated(rawPath)) {
          routes.push({
            method: method === '*' ? 'ANY' : method,
            path: routePath(rawPath),
            event: type,
            authorizer: authorizerName(asRecord(props.Auth)?.Authorizer),
            evidence: locate(['Resources', logical, 'Properties', 'Events', eventName]),
          });
        }
      } else if (type === 'SQS') {
        const q = channelName(refTarget(props.Queue), resources);
        if (q) channels.push({ name: q, tech: SQS });
        events.push(`SQS ${q ?? ''}`.trim());
      } else if (type === 'SNS') {
        const t = channelName(refTarget(props.Topic), resources);
        if (t) channels.push({ name: t, tech: SNS });
        events.push(`SNS ${t ?? ''}`.trim());
      } else if (type === 'DynamoDB' || type === 'Kinesis') {
        const c = streamChannel(props.Stream, type, resources);
        if (c) channels.push(c);
        events.push(`${type} ${c?.name ?? ''}`.trim());
      } else if (type === 'Schedule' || type === 'ScheduleV2') {
        const s = str(props.Schedule) ?? str(props.ScheduleExpression);
        events.push(`Schedule ${s ?? ''}`.trim());
      } else if (type === 'S3') {
        const b = refTarget(props.Bucket);
        events.push(`S3 ${b.logical ?? (b.name && !templated(b.name) ? b.name : '')}`.trim());
      } else if (type === 'EventBridgeRule' || type === 'CloudWatchEvent') {
        const bus = str(props.EventBusName);
        events.push(`${type} ${bus && !templated(bus) ? bus : ''}`.trim());
        channels.push(...eventBridgeChannels(props.Pattern, props.EventBusName, resources));
      } else events.push(type);
    }
    addTemplateEvents(byEvents.get(logical), byRoutes.get(logical) ?? [], resources, locate, { events, channels, routes });
    const env = sortedUnique([...globalEnv, ...Object.keys(asRecord(asRecord(p.Environment)?.Variables) ?? {})]);
    const codeUri = sam ? (str(p.CodeUri) ?? str(globals.CodeUri)) : str(p.Code);
    fns.push({
      name: str(p.FunctionName) && !templated(str(p.FunctionName)!) ? str(p.FunctionName)! : logical,
      handler: str(p.Handler) ?? str(globals.Handler),
      runtime: str(p.Runtime) ?? str(globals.Runtime),
      memory: p.MemorySize ?? globals.MemorySize,
      timeout: p.Timeout ?? globals.Timeout,
      reserved: p.ReservedConcurrentExecutions,
      provisioned: asRecord(p.ProvisionedConcurrencyConfig)?.ProvisionedConcurrentExecutions,
      ...(env.length ? { environment: env } : {}),
      envRefs: envRefs(resources, undefined, asRecord(globals.Environment)?.Variables, asRecord(p.Environment)?.Variables),
      events: sortedUnique(events),
      channels,
      routes,
      codeDir: joinPosix(dirOf(file), codeUri && !templated(codeUri) && !codeUri.startsWith('s3://') ? codeUri : '.'),
      evidence: locate(['Resources', logical]),
    });
  }
  return fns;
}

/** What the template's other resources say of a function: its event sources, subscriptions, rules and API routes. */
function addTemplateEvents(
  te: TemplateEvents | undefined,
  tr: readonly TemplateRoute[],
  resources: Record<string, unknown>,
  locate: Locate,
  into: { events: string[]; channels: Channel[]; routes: Route[] },
): void {
  if (te) {
    into.events.push(...te.events);
    for (const q of te.queues) into.channels.push({ name: channelName({ logical: q }, resources)!, tech: SQS });
    for (const t of te.topics) into.channels.push({ name: channelName({ logical: t }, resources)!, tech: SNS });
    for (const l of te.streams) {
      const c = streamChannel({ Ref: l }, undefined, resources);
      if (c) into.channels.push(c);
    }
  }
  for (const r of tr) {
    const path = apiGatewayPath(r.path);
    into.events.push(`${r.event} ${r.method} ${path}`);
    into.routes.push({ method: r.method, path, event: r.event, authorizer: r.authorizer, evidence: locate(['Resources', r.logical]) });
  }
}

function handlerFile(ctx: AnalyzerContext, codeDir: string, handler: string): { file: string; line: number } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot < 0 || templated(handler)) return undefined;
  const modulePath = joinPosix(codeDir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const candidates = [...TS_EXTENSIONS.map((e) => modulePath + e), ...TS_EXTENSIONS.map((e) => joinPosix(modulePath, 'index') + e)];
  // A compiled path (dist/…) usually mirrors src/…
  const alt = modulePath.replace(/(^|\/)(dist|build|lib|\.build)\//, '$1src/');
  candidates.push(...TS_EXTENSIONS.map((e) => alt + e));
  const file = candidates.find((f) => ctx.has(f));
  if (!file) return undefined;
  const text = ctx.read(file) ?? '';
  const line = /^[\w$]{1,100}$/.test(exportName)
    ? findLine(
        text,
        new RegExp(`export\\s+(const|let|async\\s+function|function)\\s+${exportName}\\b|exports\\.${exportName}\\s*=|module\\.exports\\.${exportName}\\s*=`),
      )
    : 1;
  return { file, line: Math.max(line, 1) };
}

/** Endpoint ids as the endpoints analyzer writes them: scoped by package path in a repository of several packages. */
function endpointId(ctx: AnalyzerContext, component: string | undefined, method: string, path: string): string {
  const pkg = component ? ctx.workspace.packages.find((p) => p.componentId === component) : undefined;
  const scoped = ctx.workspace.packages.length > 1 && pkg && pkg.path !== '.';
  return scoped ? idOf.endpoint(pkg.path, `${method} ${path}`) : idOf.endpoint(`${method} ${path}`);
}

function emitFunctions(
  ctx: AnalyzerContext,
  service: string,
  tool: 'serverless' | 'sam' | 'cloudformation',
  fns: Fn[],
  resources: Record<string, unknown>,
  file: string,
  resourceLine: (logical: string) => number,
): void {
  const framework = tool === 'sam' ? 'AWS SAM' : tool === 'cloudformation' ? 'AWS CloudFormation' : 'Serverless Framework';
  for (const fn of fns) {
    const ev: Evidence[] = [fn.evidence];
    const code = fn.handler ? handlerFile(ctx, fn.codeDir, fn.handler) : undefined;
    if (code) ev.push(code);
    const component = code ? ctx.componentOf(code.file) : ctx.componentOf(fn.evidence.file);
    const details: Details = { source: tool };
    if (fn.handler) details.handler = fn.handler;
    if (code) details.handlerFile = code.file;
    if (fn.runtime) details.runtime = fn.runtime;
    if (fn.region && !templated(fn.region)) details.region = fn.region;
    if (fn.memory !== undefined) details.memoryMb = String(fn.memory);
    if (fn.timeout !== undefined) details.timeoutSeconds = String(fn.timeout);
    if (fn.events.length) details.events = fn.events;
    // Names only: values are never copied.
    if (fn.environment) details.environment = fn.environment;
    ctx.emit('workloads', {
      id: idOf.workload('lambda', `${service}-${fn.name}`),
      name: `${service}-${fn.name}`,
      kind: 'Lambda function',
      ...(component ? { component } : {}),
      details,
      evidence: ev,
    });
    if (fn.reserved !== undefined || fn.provisioned !== undefined) {
      ctx.emit('scaling', {
        id: idOf.scaling('lambda', `${service}-${fn.name}`),
        name: `Lambda ${service}-${fn.name}`,
        category: 'concurrency',
        tech: tool,
        details: {
          ...(fn.provisioned !== undefined ? { min: String(fn.provisioned) } : {}),
          ...(fn.reserved !== undefined ? { max: String(fn.reserved) } : {}),
          policies: [{ by: 'lambda-concurrency' }],
          workload: idOf.workload('lambda', `${service}-${fn.name}`),
        },
        evidence: [fn.evidence],
      });
    }
    for (const r of fn.routes) {
      ctx.emit('endpoints', {
        id: endpointId(ctx, component, r.method, r.path),
        name: `${r.method} ${r.path}`,
        method: r.method,
        path: r.path,
        protocol: 'http',
        ...(component ? { component } : {}),
        handler: `${service}-${fn.name}`,
        ...(r.authorizer ? { auth: { required: true, mechanisms: [`API Gateway authorizer ${r.authorizer}`] } } : {}),
        details: { framework, event: r.event, function: `${service}-${fn.name}`, ...(code ? { handlerFile: code.file } : {}) },
        evidence: code ? [r.evidence, code] : [r.evidence],
      });
    }
    for (const { name, tech, kind, id } of fn.channels) {
      ctx.emit('queues', {
        id: id ?? idOf.queue(name),
        name,
        tech,
        producers: [],
        // The handler's script is the consumer, given by the messaging analyzer to the component that
        // owns it once the workspace has made its folder one (the component known now may be the root's).
        consumers: component && !code ? [component] : [],
        details: {
          ...(kind ? { kind } : {}),
          consumedBy: [`${service}-${fn.name}`],
          ...(code ? { consumerSites: [`${code.file}:${code.line}`], producerSites: [] } : {}),
        },
        evidence: [fn.evidence],
      });
    }
  }
  const infraId = (logical: string) => idOf.infra(tool, `${service}/${logical}`);
  const network = networkOf(resources, infraId);
  /** The variables that carry a resource to the functions: code that reads `process.env.X` is joined to it. */
  const envsOf = (logical: string) => sortedUnique(fns.flatMap((f) => f.envRefs.filter(([, l]) => l === logical).map(([n]) => n)));
  for (const [logical, raw] of Object.entries(resources)) {
    const r = asRecord(raw) ?? {};
    const type = str(r.Type);
    if (!type) continue;
    const props = asRecord(r.Properties) ?? {};
    const ev = { file, line: resourceLine(logical) };
    const { terraformType, details: net } = resourceDetails(type);
    const details: Details = { service, ...settingsOf(type, props, r), ...net, ...network.get(logical) };
    ctx.emit('infrastructure', {
      id: infraId(logical),
      name: logical,
      type,
      role: terraformType ? roleOf(terraformType) : 'other',
      provider: 'aws',
      source: tool,
      details,
      evidence: [ev],
    });
    emitRecovery(
      ctx,
      tool,
      `${service}/${logical}`,
      details,
      ev,
      {
        pointInTimeRecovery: 'PointInTimeRecoverySpecification',
        versioning: 'VersioningConfiguration',
        multiAz: 'MultiAZ',
        deletionProtection: type.startsWith('AWS::DynamoDB::') ? 'DeletionProtectionEnabled' : 'DeletionProtection',
        backupRetentionDays: 'BackupRetentionPeriod',
      },
      infraId(logical),
    );
    const channel = CHANNEL_TYPES[type];
    if (channel) {
      const name = channelName({ logical }, resources)!;
      const declared = str(props[NAME_KEYS[type]!]);
      const qd: Details = { ...(channel.kind ? { kind: channel.kind } : {}), declaredIn: [service] };
      if (declared && declared !== name) qd.declaredName = declared;
      const envs = envsOf(logical);
      if (envs.length) qd.envVars = envs;
      ctx.emit('queues', { id: idOf.queue(name), name, tech: channel.tech, producers: [], consumers: [], details: qd, evidence: [ev] });
    }
    const store = storeOf(type, logical, details);
    if (store) ctx.emit('dataStores', provisionedStore(store, `${service}/${logical}`, envsOf(logical), ev));
    if (type === 'AWS::CloudWatch::Alarm' || type === 'AWS::CloudWatch::Dashboard') {
      const alarm = type === 'AWS::CloudWatch::Alarm';
      const given = str(alarm ? props.AlarmName : props.DashboardName);
      const name = given && !templated(given) ? given : logical;
      // As the observability analyzer writes a Terraform alarm: the metric, the comparison and how long it holds.
      const od: Details = alarm ? { source: type } : {};
      const plainOf = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' && !templated(v) ? v : undefined);
      const [ns, metric, stat, op, threshold, periods, period] = [
        props.Namespace,
        props.MetricName,
        props.Statistic,
        props.ComparisonOperator,
        props.Threshold,
        props.EvaluationPeriods,
        props.Period,
      ].map(plainOf);
      if (metric) od.expr = `${ns ? `${ns}/` : ''}${metric}${stat ? ` (${stat})` : ''}`;
      if (op && threshold) od.threshold = `${op} ${threshold}`;
      if (periods && period) od.for = `${periods} × ${period} s`;
      const panels = alarm ? undefined : widgets(props.DashboardBody);
      if (panels !== undefined) od.panels = panels;
      ctx.emit('observability', cloudWatchFact(alarm ? 'alarm' : 'dashboard', name, ctx.componentOf(file), od, ev));
    }
  }
}

/** The widgets of a dashboard's body (JSON, as written or inside a `Fn::Sub`), when it can be read. */
function widgets(body: unknown): number | undefined {
  const sub = asRecord(body)?.['Fn::Sub'];
  const text = typeof body === 'string' ? body : typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (!text) return undefined;
  try {
    const list = asRecord(JSON.parse(text))?.widgets;
    return Array.isArray(list) ? list.length : undefined;
  } catch {
    return undefined;
  }
}

/** The data store a template's resource provisions: a DynamoDB table, an S3 bucket, an RDS or Aurora database by its engine, an ElastiCache cluster. */
function storeOf(type: string, logical: string, d: Details): { tech: string; name: string; kind: DataStore['kind']; details: Details } | undefined {
  const engine = typeof d.engine === 'string' ? d.engine : '';
  if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable' || type === 'AWS::Serverless::SimpleTable')
    return { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value', details: { tables: [String(d.tableName ?? logical)] } };
  if (type === 'AWS::S3::Bucket') return { tech: 's3', name: 'Amazon S3', kind: 'object', details: { buckets: [String(d.bucket ?? logical)] } };
  if (type === 'AWS::ElastiCache::ReplicationGroup' || type === 'AWS::ElastiCache::CacheCluster') {
    const memcached = engine.toLowerCase().includes('memcached');
    return { tech: memcached ? 'memcached' : 'redis', name: memcached ? 'Memcached' : 'Redis', kind: 'cache', details: { service: 'Amazon ElastiCache' } };
  }
  const db = type === 'AWS::RDS::DBInstance' || type === 'AWS::RDS::DBCluster' ? engineStore(engine) : undefined;
  return (
    db && { tech: db[0], name: db[1], kind: 'relational', details: { service: engine.toLowerCase().startsWith('aurora') ? 'Amazon Aurora' : 'Amazon RDS' } }
  );
}

/** A configuration read from YAML: its value with CloudFormation short forms, and a locator of keys. */
function yamlConfig(ctx: AnalyzerContext, file: string): { value: Record<string, unknown>; locate: Locate } | undefined {
  const y = ctx.yaml(file);
  const doc = y?.documents[0];
  if (!y || !doc) return undefined;
  const value = asRecord(cfnValue(doc));
  if (!value) {
    ctx.warn(file, 1, 'template skipped: aliases expand it beyond what is read');
    return undefined;
  }
  return { value, locate: (path) => ({ file, line: lineOf(y, doc.contents, path) }) };
}

export default defineAnalyzer({
  meta: {
    name: 'serverless',
    description:
      'Serverless Framework services (YAML or TypeScript) and AWS SAM templates: functions, events, http routes, handlers, declared queues and tables',
    produces: ['workloads', 'scaling', 'queues', 'dataStores', 'infrastructure', 'endpoints', 'recovery', 'observability'],
    consumes: ['components.settled'],
    amends: ['endpoints'],
  },
  applies: (ctx) =>
    ctx.files.some((f) => (SERVERLESS.test(f) || SERVERLESS_SCRIPT.test(f)) && !ctx.isSetAside(f)) ||
    templateCandidates(ctx).some((f) => templateKind(f, ctx.read(f)) !== undefined),
  scan(ctx): FileScan {
    /** The scripts of each serverless.ts/js service's folder, read in the file pass (what its configuration imports). */
    const modules = new Map<string, FileIndex>();
    const folders = ctx.files.filter((f) => SERVERLESS_SCRIPT.test(f) && !ctx.isSetAside(f)).map(dirOf);
    return {
      wants: (file) => folders.some((d) => d === '.' || file.startsWith(`${d}/`)),
      visitIndex: (file, index) => void modules.set(file, index),
      finish: () => analyse(ctx, modules),
    };
  },
  // A template's function is often a code folder the workspace's link phase makes a component of
  // after its routes were emitted: each route is served by the component that holds its handler.
  link(model, ctx) {
    settleRouteComponents(model, ctx, ['AWS CloudFormation', 'AWS SAM']);
  },
});

/** The services and templates' functions, queues, tables and routes; a serverless.ts/js configuration from the `modules` of the file pass. */
function analyse(ctx: AnalyzerContext, modules: ReadonlyMap<string, FileIndex>): void {
  for (const file of ctx.files.filter((f) => SERVERLESS.test(f) && !ctx.isSetAside(f))) {
    const cfg = yamlConfig(ctx, file);
    if (!cfg) continue;
    const sls = cfg.value;
    const service = str(sls.service) ?? str(asRecord(sls.service)?.name) ?? dirOf(file);
    emitService(ctx, service, sls, serverlessFunctions(sls, file, cfg.locate), file, cfg.locate);
  }
  for (const file of ctx.files.filter((f) => SERVERLESS_SCRIPT.test(f) && !ctx.isSetAside(f))) {
    // A service written in YAML beside it wins (the script is then usually a helper).
    if (ctx.files.some((f) => SERVERLESS.test(f) && dirOf(f) === dirOf(file))) continue;
    const reader = new ConfigReader(modules, (from, spec) => ctx.resolveImport(from, spec), dirOf(file));
    const sls = reader.config(file);
    if (!sls || (sls.functions === undefined && sls.resources === undefined)) continue;
    const locate: Locate = (path) => reader.locate(sls, path.map(String)) ?? { file, line: 1 };
    const service = str(sls.service) && !templated(str(sls.service)!) ? str(sls.service)! : dirOf(file);
    const fns = serverlessFunctions(sls, file, locate);
    // The service's file comes first: it is what deploys the function (its `functions` key when the list is imported).
    for (const fn of fns) if (fn.evidence.file !== file) fn.evidence = locate(['functions']);
    emitService(ctx, service, sls, fns, file, locate);
  }
  for (const file of templateCandidates(ctx)) {
    const tool = templateKind(file, ctx.read(file));
    if (!tool) continue;
    const cfg = yamlConfig(ctx, file);
    const resources = asRecord(cfg?.value.Resources);
    // Text that only mentions the types (documentation, a policy document) is no template.
    if (!cfg || !resources || !Object.values(resources).some((r) => str(asRecord(r)?.Type)?.startsWith('AWS::'))) continue;
    // A SAM stack is named by its folder; a CloudFormation template by its file.
    const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.(ya?ml|json|template)$/, '');
    const stack = tool === 'sam' ? (dirOf(file) === '.' ? 'sam' : dirOf(file).split('/').pop()!) : base;
    emitFunctions(ctx, stack, tool, templateFunctions(cfg.value, file, cfg.locate), resources, file, (l) => cfg.locate(['Resources', l]).line);
    emitExports(ctx, cfg.value.Outputs, channelsOf(resources), cfg.locate, ['Outputs']);
    emitSubscriptions(ctx, resources, channelsOf(resources), cfg.locate, ['Resources']);
    const globalEnv = {
      env: asRecord(asRecord(asRecord(cfg.value.Globals)?.Function)?.Environment)?.Variables,
      path: ['Globals', 'Function', 'Environment', 'Variables'],
    };
    const functionEnvs = Object.entries(resources).map(([logical, r]) => ({
      env: asRecord(asRecord(asRecord(asRecord(r)?.Properties)?.Environment)?.Variables),
      path: ['Resources', logical, 'Properties', 'Environment', 'Variables'],
    }));
    emitImports(ctx, [globalEnv, ...functionEnvs], cfg.locate);
  }
}

/** A Serverless Framework service (YAML or script): its functions and resources, and the channels it shares with other stacks. */
function emitService(ctx: AnalyzerContext, service: string, sls: Record<string, unknown>, fns: Fn[], file: string, locate: Locate): void {
  const resources = asRecord(asRecord(sls.resources)?.Resources) ?? {};
  emitFunctions(ctx, service, 'serverless', fns, resources, file, (l) => locate(['resources', 'Resources', l]).line);
  emitApiGatewaySecurity(ctx, sls, file, locate);
  // Channels shared with other stacks: what the service exports, and what its functions import
  // (through the service's own `${self:…}` variables too).
  emitExports(ctx, asRecord(sls.resources)?.Outputs, channelsOf(resources), locate, ['resources', 'Outputs']);
  emitSubscriptions(ctx, resources, channelsOf(resources), locate, ['resources', 'Resources']);
  const vars = new SelfVariables(sls);
  const settled = (env: unknown) => Object.fromEntries(Object.entries(asRecord(env) ?? {}).map(([k, v]) => [k, settle(v, vars)]));
  const functionEnvs = Object.entries(asRecord(sls.functions) ?? {}).map(([name, f]) => ({
    env: settled(asRecord(f)?.environment),
    path: ['functions', name, 'environment'],
  }));
  emitImports(ctx, [{ env: settled(asRecord(sls.provider)?.environment), path: ['provider', 'environment'] }, ...functionEnvs], locate);
}

/**
 * What a Serverless service's configuration says of its API's security: CORS on its routes (an
 * event's `cors`, the provider's `httpApi.cors`), API keys (`private: true` routes, the provider's
 * `apiGateway.apiKeys`), request validation against JSON-schema models (`request.schemas`), and
 * secrets read at deploy time from SSM Parameter Store (`${ssm:…}` variables).
 */
function emitApiGatewaySecurity(ctx: AnalyzerContext, sls: Record<string, unknown>, file: string, locate: Locate): void {
  const component = ctx.componentOf(file);
  const comp = component ? { component } : {};
  const provider = asRecord(sls.provider) ?? {};
  const vars = new SelfVariables(sls);
  const originsOf = (v: unknown): string[] => corsOrigins(v).map((o) => str(settle(o, vars)) ?? o);
  const cors: { origins: string[]; at: Evidence[] } = { origins: [], at: [] };
  const keys: Evidence[] = [];
  const schemas: Evidence[] = [];
  // The provider's httpApi CORS applies to httpApi routes: only when the service has one.
  const httpApiRoutes = Object.values(asRecord(sls.functions) ?? {}).some((f) => asArray(asRecord(f)?.events).some((e) => asRecord(e)?.httpApi !== undefined));
  const providerCors = asRecord(provider.httpApi)?.cors;
  if (httpApiRoutes && providerCors !== undefined && providerCors !== false) {
    cors.at.push(locate(['provider', 'httpApi', 'cors']));
    cors.origins.push(...originsOf(providerCors));
  }
  const apiKeys = asRecord(provider.apiGateway)?.apiKeys;
  if (asArray(apiKeys).length > 0) keys.push(locate(['provider', 'apiGateway', 'apiKeys']));
  for (const [name, raw] of Object.entries(asRecord(sls.functions) ?? {})) {
    asArray(asRecord(raw)?.events).forEach((e, i) => {
      const http = asRecord(asRecord(e)?.http);
      if (!http) return;
      const at = ['functions', name, 'events', i, 'http'];
      if (http.cors !== undefined && http.cors !== false) {
        cors.at.push(locate([...at, 'cors']));
        cors.origins.push(...originsOf(http.cors));
      }
      if (http.private === true) keys.push(locate([...at, 'private']));
      const request = asRecord(http.request);
      if (asRecord(request?.schemas) || request?.schema !== undefined) schemas.push(locate([...at, 'request']));
    });
  }
  // The first in the configuration's order.
  const first = (ev: Evidence[]) => ev.slice(0, 1);
  if (cors.at.length > 0) {
    const origins = sortedUnique(cors.origins);
    ctx.emit('security', {
      id: idOf.security('cors', 'serverless', file),
      name: 'CORS on API Gateway routes',
      category: 'transport',
      tech: 'API Gateway CORS',
      ...comp,
      ...(origins.length ? { details: { origins } } : {}),
      evidence: first(cors.at),
    });
  }
  if (keys.length > 0)
    ctx.emit('security', {
      id: idOf.security('serverless', 'api-key', file),
      name: 'API Gateway API key required on private routes',
      category: 'authentication',
      tech: 'API Gateway API key',
      ...comp,
      details: { header: 'x-api-key' },
      evidence: first(keys),
    });
  if (schemas.length > 0)
    ctx.emit('security', {
      id: idOf.security('validation', 'json-schema', file),
      name: 'Request bodies validated by API Gateway against JSON-schema request models',
      category: 'validation',
      tech: 'API Gateway request models',
      ...comp,
      evidence: first(schemas),
    });
  const text = ctx.read(file) ?? '';
  const ssm = text.includes('${ssm:') ? findLine(text, '${ssm:') : 0;
  if (ssm > 0)
    ctx.emit('security', {
      id: idOf.security('secrets-manager', 'ssm-parameter-store', file),
      name: 'Secrets from AWS Systems Manager Parameter Store, resolved at deploy time (${ssm:…})',
      category: 'data',
      tech: 'SSM Parameter Store',
      ...comp,
      evidence: [{ file, line: ssm }],
    });
}

/** The origins a `cors` setting allows: `true` is every origin. */
function corsOrigins(v: unknown): string[] {
  if (v === true) return ['*'];
  const r = asRecord(v);
  return [...asArray(r?.origins), r?.origin, r?.allowedOrigins]
    .flatMap((x) => (Array.isArray(x) ? x : [x]))
    .map((x) => str(x))
    .filter((x): x is string => x !== undefined);
}

/** The channels a template declares (queues, topics, streams, buses), by logical id, with the names their facts have. */
function channelsOf(resources: Record<string, unknown>): Channels {
  const out: Channels = new Map();
  for (const [logical, raw] of Object.entries(resources)) {
    const channel = CHANNEL_TYPES[str(asRecord(raw)?.Type) ?? ''];
    if (channel) out.set(logical, { name: channelName({ logical }, resources)!, tech: channel.tech });
  }
  return out;
}
