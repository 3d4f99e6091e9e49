/**
 * The CloudFormation resources of a template (plain CloudFormation, SAM, a serverless.yml's
 * `resources`): what each refers to, its settings under the terraform analyzer's keys, where it
 * sits in the network and whom it sends traffic to, and the API Gateway routes that reach a
 * function. Values are the template's as written, intrinsic functions as references (cfn-yaml.ts):
 * nothing is evaluated.
 */
import { asArray, asRecord, str } from '../../src/analysis/yaml.js';
import { cloudFormationTerraformType, networkDetails } from '../../src/data/cloud-resources.js';
import { connectByRank, placeInSubnets, type NetworkNode } from '../../src/data/iac-network.js';
import type { Details } from '../../src/model/schema.js';

/** Values visited per resource at most when collecting references. */
const REF_BUDGET = 20_000;

/** The logical ids of `${Name}` and `${Name.Attr}` in a `Fn::Sub` string (`${AWS::Region}` and `${!Literal}` are not). */
function subRefs(s: string, out: string[]): void {
  let i = s.indexOf('${');
  while (i >= 0) {
    const close = s.indexOf('}', i + 2);
    if (close < 0) return;
    const name = s.slice(i + 2, close).split('.')[0]!;
    if (name && !name.includes(':') && !name.startsWith('!')) out.push(name);
    i = s.indexOf('${', close + 1);
  }
}

/** The resources a value refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`), among the template's logical ids; sorted, once each. */
export function refsIn(value: unknown, logicals: ReadonlySet<string>): string[] {
  const found: string[] = [];
  let budget = REF_BUDGET;
  const walk = (v: unknown): void => {
    if (--budget < 0) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const r = asRecord(v);
    if (!r) return;
    if (typeof r.Ref === 'string') found.push(r.Ref);
    const ga = r['Fn::GetAtt'];
    if (Array.isArray(ga) && typeof ga[0] === 'string') found.push(ga[0]);
    else if (typeof ga === 'string') found.push(ga.split('.')[0]!);
    const sub = r['Fn::Sub'];
    if (typeof sub === 'string') subRefs(sub, found);
    else if (Array.isArray(sub) && typeof sub[0] === 'string') subRefs(sub[0], found);
    for (const x of Object.values(r)) walk(x);
  };
  walk(value);
  return [...new Set(found.filter((l) => logicals.has(l)))].sort();
}

const flag = (v: unknown): boolean | undefined => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : undefined);
/** A setting as written, when it is a literal (a reference or a variable is not a setting). */
const literal = (v: unknown): string | number | boolean | undefined =>
  typeof v === 'string' ? (v.includes('${') || v.includes('{{') ? undefined : v) : typeof v === 'number' || typeof v === 'boolean' ? v : undefined;

/** A resource's settings under the terraform analyzer's keys (`hashKey`, `engine`, `retentionDays`…). */
export function settingsOf(type: string, p: Record<string, unknown>, resource: Record<string, unknown>): Details {
  const d: Details = {};
  const set = (key: string, v: unknown) => {
    if (v !== undefined) d[key] = v as Details[string];
  };
  switch (type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      for (const k of asArray(p.KeySchema).map(asRecord)) {
        if (k?.KeyType === 'HASH') set('hashKey', literal(k.AttributeName));
        if (k?.KeyType === 'RANGE') set('rangeKey', literal(k.AttributeName));
      }
      const gsis = asArray(p.GlobalSecondaryIndexes)
        .map((g) => literal(asRecord(g)?.IndexName))
        .filter((n): n is string => typeof n === 'string');
      if (gsis.length) d.globalIndexes = [...gsis].sort();
      set('tableName', literal(p.TableName));
      set('billingMode', literal(p.BillingMode));
      set('pointInTimeRecovery', flag(asRecord(p.PointInTimeRecoverySpecification)?.PointInTimeRecoveryEnabled));
      set('encrypted', flag(asRecord(p.SSESpecification)?.SSEEnabled));
      set('stream', literal(asRecord(p.StreamSpecification)?.StreamViewType));
      set('deletionProtection', flag(p.DeletionProtectionEnabled));
      break;
    }
    case 'AWS::Serverless::SimpleTable':
      set('hashKey', literal(asRecord(p.PrimaryKey)?.Name));
      set('tableName', literal(p.TableName));
      break;
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      set('engine', literal(p.Engine));
      set('engineVersion', literal(p.EngineVersion));
      set('instanceClass', literal(p.DBInstanceClass));
      set('multiAz', flag(p.MultiAZ));
      set('encryptedAtRest', flag(p.StorageEncrypted));
      set('deletionProtection', flag(p.DeletionProtection));
      set('backupRetentionDays', num(p.BackupRetentionPeriod));
      set('publiclyAccessible', flag(p.PubliclyAccessible));
      break;
    case 'AWS::ElastiCache::ReplicationGroup':
    case 'AWS::ElastiCache::CacheCluster':
      set('engine', literal(p.Engine) ?? (type === 'AWS::ElastiCache::ReplicationGroup' ? 'redis' : undefined));
      set('nodeType', literal(p.CacheNodeType));
      set('encryptedAtRest', flag(p.AtRestEncryptionEnabled));
      set('encryptedInTransit', flag(p.TransitEncryptionEnabled));
      set('multiAz', flag(p.MultiAZEnabled));
      break;
    case 'AWS::S3::Bucket':
      set('bucket', literal(p.BucketName));
      if (asRecord(p.VersioningConfiguration)?.Status === 'Enabled') d.versioning = true;
      if (p.BucketEncryption !== undefined) d.encrypted = true;
      if (p.PublicAccessBlockConfiguration !== undefined) d.publicAccessBlocked = true;
      break;
    case 'AWS::SQS::Queue':
      set('queueName', literal(p.QueueName));
      set('fifo', flag(p.FifoQueue));
      set('visibilityTimeoutSeconds', num(p.VisibilityTimeout));
      set('retentionSeconds', num(p.MessageRetentionPeriod));
      if (p.KmsMasterKeyId !== undefined || flag(p.SqsManagedSseEnabled)) d.encrypted = true;
      break;
    case 'AWS::SNS::Topic':
      set('topicName', literal(p.TopicName));
      set('fifo', flag(p.FifoTopic));
      if (p.KmsMasterKeyId !== undefined) d.encrypted = true;
      break;
    case 'AWS::Logs::LogGroup':
      set('retentionDays', num(p.RetentionInDays));
      break;
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      set('runtime', literal(p.Runtime));
      set('handler', literal(p.Handler));
      set('memoryMb', num(p.MemorySize));
      set('timeoutSeconds', num(p.Timeout));
      set('reservedConcurrency', num(p.ReservedConcurrentExecutions));
      break;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      if (p.Scheme === 'internal') d.internal = true;
      set('loadBalancerType', literal(p.Type));
      break;
    case 'AWS::KMS::Key':
      set('keyRotation', flag(p.EnableKeyRotation));
      break;
    case 'AWS::EC2::VPC':
    case 'AWS::EC2::Subnet':
      set('cidr', literal(p.CidrBlock));
      break;
  }
  // DeletionPolicy is the removal policy CDK writes (`retain`, `snapshot`, `delete`).
  const policy = literal(resource.DeletionPolicy);
  if (typeof policy === 'string') d.removalPolicy = policy.toLowerCase();
  return d;
}

/** The Terraform type of a resource, and the network-diagram details it gets from it. */
export function resourceDetails(type: string): { terraformType?: string; details: Details } {
  const terraformType = cloudFormationTerraformType(type);
  return { terraformType, details: networkDetails(terraformType, type) };
}

/**
 * Where each resource of the template sits and whom it sends traffic to: subnets are public when
 * they map public IPs on launch or are named so, private when named so (`PrivateSubnetA`,
 * `IsolatedSubnet`); a resource is in the subnets it (or its subnet group) refers to; traffic
 * flows along references from the edge towards the data. Returns the details by logical id.
 */
export function networkOf(resources: Record<string, unknown>, idOf: (logical: string) => string): Map<string, Details> {
  const logicals = new Set(Object.keys(resources));
  const nodes: NetworkNode[] = [];
  for (const [logical, raw] of Object.entries(resources)) {
    const r = asRecord(raw);
    const type = str(r?.Type);
    if (!type) continue;
    const p = asRecord(r?.Properties) ?? {};
    const details: Details = {};
    if (type === 'AWS::EC2::Subnet') {
      // Named so by its logical id or by a Name or tier tag.
      const tags = asArray(p.Tags)
        .map(asRecord)
        .filter((t) => /^(name|tier)$/i.test(str(t?.Key) ?? ''))
        .map((t) => str(t?.Value) ?? '');
      const name = [logical, ...tags].join(' ').toLowerCase();
      if (flag(p.MapPublicIpOnLaunch) === true || name.includes('public')) details.subnet = 'public';
      else if (name.includes('private') || name.includes('isolated')) details.subnet = 'private';
    }
    nodes.push({ key: logical, id: idOf(logical), type: cloudFormationTerraformType(type) ?? type, refs: refsIn(p, logicals), details });
  }
  placeInSubnets(nodes);
  connectByRank(nodes);
  return new Map(nodes.map((n) => [n.key, n.details]));
}

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/** An API Gateway route a template's resources give a function. */
export interface TemplateRoute {
  method: string;
  /** As API Gateway writes it: `/orders/{id}`. */
  path: string;
  event: 'ApiGateway' | 'ApiGatewayV2';
  authorizer?: string;
  /** The logical id of the resource that declares it (the method or route). */
  logical: string;
}

/** The events a template's other resources give a function: event source mappings, subscriptions, rules. */
export interface TemplateEvents {
  events: string[];
  /** Logical ids of the SQS queues it consumes. */
  queues: string[];
  /** Logical ids of the SNS topics it is subscribed to. */
  topics: string[];
  /** Logical ids of the DynamoDB tables and Kinesis streams whose records it reads. */
  streams: string[];
}

/** How a route is authorised: its authorizer's logical id, or IAM. */
function authOf(p: Record<string, unknown>, logicals: ReadonlySet<string>): string | undefined {
  const by = refsIn(p.AuthorizerId, logicals)[0];
  if (by) return by;
  const type = str(p.AuthorizationType);
  return type === 'AWS_IAM' ? 'IAM' : type && type !== 'NONE' ? type : undefined;
}

/**
 * The API Gateway routes of a template by the function each reaches: REST API methods
 * (`AWS::ApiGateway::Method` on resources chained by `ParentId` up to the API's root, its
 * integration's URI naming the function) and HTTP API routes (`AWS::ApiGatewayV2::Route`, `RouteKey`
 * `GET /orders/{id}`, its target an integration naming the function).
 */
export function templateRoutes(resources: Record<string, unknown>): Map<string, TemplateRoute[]> {
  const logicals = new Set(Object.keys(resources));
  const props = (l: string) => asRecord(asRecord(resources[l])?.Properties) ?? {};
  const typeOf = (l: string) => str(asRecord(resources[l])?.Type);
  const functionsIn = (v: unknown) => refsIn(v, logicals).filter((l) => FUNCTION_TYPES.has(typeOf(l) ?? ''));
  const out = new Map<string, TemplateRoute[]>();
  const add = (fn: string, r: TemplateRoute) => out.set(fn, [...(out.get(fn) ?? []), r]);
  /** A REST API resource's path: its parents' path parts, up to the API's root (a `RootResourceId`). */
  const pathOf = (v: unknown, depth: number): string | undefined => {
    const ga = asRecord(v)?.['Fn::GetAtt'];
    if (Array.isArray(ga) && ga[1] === 'RootResourceId') return '';
    const ref = str(asRecord(v)?.Ref);
    if (!ref || depth > 30 || typeOf(ref) !== 'AWS::ApiGateway::Resource') return undefined;
    const p = props(ref);
    const part = str(p.PathPart);
    const parent = pathOf(p.ParentId, depth + 1);
    return part === undefined || parent === undefined ? undefined : `${parent}/${part}`;
  };
  for (const l of [...logicals].sort()) {
    const type = typeOf(l);
    const p = props(l);
    if (type === 'AWS::ApiGateway::Method') {
      const method = str(p.HttpMethod)?.toUpperCase();
      const path = pathOf(p.ResourceId, 0);
      if (!method || path === undefined || method === 'OPTIONS') continue;
      const auth = authOf(p, logicals);
      for (const fn of functionsIn(asRecord(p.Integration)?.Uri))
        add(fn, { method, path: path || '/', event: 'ApiGateway', ...(auth ? { authorizer: auth } : {}), logical: l });
    } else if (type === 'AWS::ApiGatewayV2::Route') {
      const key = str(p.RouteKey);
      const space = key ? key.indexOf(' ') : -1;
      if (!key || space < 0) continue;
      const integrations = refsIn(p.Target, logicals).filter((i) => typeOf(i) === 'AWS::ApiGatewayV2::Integration');
      const auth = authOf(p, logicals);
      for (const i of integrations)
        for (const fn of functionsIn(props(i).IntegrationUri))
          add(fn, {
            method: key.slice(0, space).toUpperCase(),
            path: key.slice(space + 1),
            event: 'ApiGatewayV2',
            ...(auth ? { authorizer: auth } : {}),
            logical: l,
          });
    }
  }
  return out;
}

/** The events a template's resources give each function, by its logical id. */
export function templateEvents(resources: Record<string, unknown>): Map<string, TemplateEvents> {
  const logicals = new Set(Object.keys(resources));
  const typeOf = (l: string) => str(asRecord(resources[l])?.Type);
  const functionsIn = (v: unknown) => refsIn(v, logicals).filter((l) => FUNCTION_TYPES.has(typeOf(l) ?? ''));
  const out = new Map<string, TemplateEvents>();
  const of = (fn: string) => {
    let e = out.get(fn);
    if (!e) out.set(fn, (e = { events: [], queues: [], topics: [], streams: [] }));
    return e;
  };
  const subscribe = (fns: string[], topics: string[]) => {
    for (const fn of fns)
      for (const t of topics) {
        of(fn).topics.push(t);
        of(fn).events.push(`SNS ${t}`);
      }
  };
  for (const l of [...logicals].sort()) {
    const type = typeOf(l);
    const p = asRecord(asRecord(resources[l])?.Properties) ?? {};
    if (type === 'AWS::Lambda::EventSourceMapping') {
      for (const fn of functionsIn(p.FunctionName))
        for (const src of refsIn(p.EventSourceArn, logicals)) {
          const t = typeOf(src);
          if (t === 'AWS::SQS::Queue') of(fn).queues.push(src);
          if (t === 'AWS::DynamoDB::Table' || t === 'AWS::Kinesis::Stream') of(fn).streams.push(src);
          of(fn).events.push(
            `${t === 'AWS::SQS::Queue' ? 'SQS' : t === 'AWS::DynamoDB::Table' ? 'DynamoDB stream' : t === 'AWS::Kinesis::Stream' ? 'Kinesis' : 'event source'} ${src}`,
          );
        }
    } else if (type === 'AWS::SNS::Subscription' && str(p.Protocol) === 'lambda') {
      subscribe(functionsIn(p.Endpoint), refsIn(p.TopicArn, logicals));
    } else if (type === 'AWS::SNS::Topic') {
      for (const s of asArray(p.Subscription).map(asRecord)) if (str(s?.Protocol) === 'lambda') subscribe(functionsIn(s?.Endpoint), [l]);
    } else if (type === 'AWS::Events::Rule') {
      const schedule = literal(p.ScheduleExpression);
      for (const target of asArray(p.Targets).map(asRecord))
        for (const fn of functionsIn(target?.Arn)) of(fn).events.push(typeof schedule === 'string' ? `Schedule ${schedule}` : `EventBridgeRule ${l}`);
    }
  }
  return out;
}
