/**
 * What a Pulumi resource class or an SST component is, in the vocabulary the terraform analyzer
 * uses: its role (by the Terraform type it corresponds to, through the shared role table; SST's
 * components by a table of their own), and whether it is a data store, a queue, a function or a
 * container service. A type is its provider (the package's name after `@pulumi/`, or `sst`) and
 * the path of namespaces and class written after it (`s3`, `Bucket`; `aws`, `Function`).
 */
import { roleOf } from '../../src/data/cloud-resources.js';
import type { Infrastructure } from '../../src/model/schema.js';

type Role = Infrastructure['role'];

export interface ResourceType {
  /** `aws`, `awsx`, `gcp`, `azure_native`, `kubernetes`, `cloudflare`, `random`, `sst`. */
  provider: string;
  /** `['s3', 'Bucket']`, `['apps', 'v1', 'Deployment']`, `['aws', 'Function']`. */
  path: string[];
}

/** `aws.s3.Bucket`, `sst.aws.Function`: the type as the program writes it, under the package's name. */
export function typeName(t: ResourceType): string {
  return [t.provider, ...t.path].join('.');
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Pulumi AWS modules whose Terraform names differ. */
const AWS_MODULE: Record<string, string> = { apigateway: 'api_gateway', cloudwatch: 'cloudwatch', rds: 'rds', ec2: '' };
/** Google Cloud modules whose Terraform names differ. */
const GCP_MODULE: Record<string, string> = { cloudrun: 'cloud_run', cloudrunv2: 'cloud_run_v2', secretmanager: 'secret_manager' };

/** SST v3 components by role (those not listed are `other`). */
const SST_ROLES: Record<string, Role> = {
  'aws.Function': 'compute',
  'aws.Cluster': 'compute',
  'aws.Service': 'compute',
  'aws.Task': 'compute',
  'aws.StepFunctions': 'compute',
  'aws.Queue': 'messaging',
  'aws.Bus': 'messaging',
  'aws.SnsTopic': 'messaging',
  'aws.Cron': 'messaging',
  'aws.CronV2': 'messaging',
  'aws.Email': 'messaging',
  'aws.Realtime': 'messaging',
  'aws.KinesisStream': 'messaging',
  'aws.Bucket': 'data',
  'aws.Dynamo': 'data',
  'aws.Postgres': 'data',
  'aws.Aurora': 'data',
  'aws.Mysql': 'data',
  'aws.Redis': 'data',
  'aws.Efs': 'data',
  'aws.OpenSearch': 'data',
  'aws.Vector': 'data',
  'aws.Vpc': 'network',
  'aws.ApiGatewayV1': 'edge',
  'aws.ApiGatewayV2': 'edge',
  'aws.ApiGatewayWebSocket': 'edge',
  'aws.AppSync': 'edge',
  'aws.Router': 'edge',
  'aws.Cdn': 'edge',
  'aws.StaticSite': 'edge',
  'aws.Nextjs': 'edge',
  'aws.Remix': 'edge',
  'aws.Astro': 'edge',
  'aws.SvelteKit': 'edge',
  'aws.Nuxt': 'edge',
  'aws.SolidStart': 'edge',
  'aws.TanStackStart': 'edge',
  'aws.React': 'edge',
  'aws.Analog': 'edge',
  'aws.CognitoUserPool': 'identity',
  'aws.CognitoIdentityPool': 'identity',
  'aws.CognitoUserPoolClient': 'identity',
  'aws.Auth': 'identity',
  Secret: 'secrets',
  'cloudflare.Worker': 'compute',
  'cloudflare.Cron': 'messaging',
  'cloudflare.Queue': 'messaging',
  'cloudflare.Bucket': 'data',
  'cloudflare.D1': 'data',
  'cloudflare.Kv': 'data',
  'cloudflare.StaticSite': 'edge',
  // SST v2 (CDK constructs)
  'constructs.Function': 'compute',
  'constructs.Service': 'compute',
  'constructs.Queue': 'messaging',
  'constructs.Topic': 'messaging',
  'constructs.EventBus': 'messaging',
  'constructs.KinesisStream': 'messaging',
  'constructs.Cron': 'messaging',
  'constructs.Table': 'data',
  'constructs.Bucket': 'data',
  'constructs.RDS': 'data',
  'constructs.Api': 'edge',
  'constructs.ApiGatewayV1Api': 'edge',
  'constructs.GraphQLApi': 'edge',
  'constructs.AppSyncApi': 'edge',
  'constructs.WebSocketApi': 'edge',
  'constructs.StaticSite': 'edge',
  'constructs.NextjsSite': 'edge',
  'constructs.RemixSite': 'edge',
  'constructs.AstroSite': 'edge',
  'constructs.SvelteKitSite': 'edge',
  'constructs.SolidStartSite': 'edge',
  'constructs.Cognito': 'identity',
  'constructs.Auth': 'identity',
  'constructs.Config.Secret': 'secrets',
  'constructs.Config.Parameter': 'secrets',
};

/** The Terraform type a provider's class corresponds to (`aws.s3.Bucket` → `aws_s3_bucket`, `aws.ec2.Vpc` → `aws_vpc`). */
function terraformType(t: ResourceType): string | undefined {
  const cls = snake(t.path[t.path.length - 1]!);
  const mod = t.path.length > 1 ? t.path[0]! : '';
  switch (t.provider) {
    case 'aws': {
      const m = Object.hasOwn(AWS_MODULE, mod) ? AWS_MODULE[mod]! : mod;
      return m ? `aws_${m}_${cls}` : `aws_${cls}`;
    }
    case 'awsx':
      // Crosswalk's components: ec2.Vpc, ecs.FargateService, lb.ApplicationLoadBalancer, classic.apigateway.API…
      return mod === 'ec2' ? `aws_${cls}` : mod === 'classic' ? `aws_api_gateway_rest_api` : `aws_${mod}_${cls}`;
    case 'gcp':
      return `google_${Object.hasOwn(GCP_MODULE, mod) ? GCP_MODULE[mod] : mod}_${cls}`;
    case 'azure_native':
    case 'azure':
      return `azurerm_${cls}`;
    case 'kubernetes':
      return `kubernetes_${cls}`;
    case 'cloudflare':
      return `cloudflare_${cls}`;
    default:
      return undefined;
  }
}

/** Classes and SST components whose Terraform type the module and class do not give. */
const TERRAFORM_TYPE: Record<string, string> = {
  'aws.rds.Instance': 'aws_db_instance',
  'aws.lb.LoadBalancer': 'aws_lb',
  'aws.alb.LoadBalancer': 'aws_lb',
  'aws.elb.LoadBalancer': 'aws_elb',
  'awsx.lb.ApplicationLoadBalancer': 'aws_lb',
  'awsx.lb.NetworkLoadBalancer': 'aws_lb',
  'awsx.ecs.FargateService': 'aws_ecs_service',
  'awsx.ecs.EC2Service': 'aws_ecs_service',
  'sst.aws.Function': 'aws_lambda_function',
  'sst.aws.Service': 'aws_ecs_service',
  'sst.aws.Cluster': 'aws_ecs_cluster',
  'sst.aws.Queue': 'aws_sqs_queue',
  'sst.aws.SnsTopic': 'aws_sns_topic',
  'sst.aws.Bus': 'aws_cloudwatch_event_bus',
  'sst.aws.KinesisStream': 'aws_kinesis_stream',
  'sst.aws.Bucket': 'aws_s3_bucket',
  'sst.aws.Dynamo': 'aws_dynamodb_table',
  'sst.aws.Postgres': 'aws_db_instance',
  'sst.aws.Mysql': 'aws_db_instance',
  'sst.aws.Aurora': 'aws_rds_cluster',
  'sst.aws.Redis': 'aws_elasticache_replication_group',
  'sst.aws.Efs': 'aws_efs_file_system',
  'sst.aws.OpenSearch': 'aws_opensearch_domain',
  'sst.aws.Vpc': 'aws_vpc',
  'sst.aws.ApiGatewayV1': 'aws_api_gateway_rest_api',
  'sst.aws.ApiGatewayV2': 'aws_apigatewayv2_api',
  'sst.aws.ApiGatewayWebSocket': 'aws_apigatewayv2_api',
  'sst.aws.Router': 'aws_cloudfront_distribution',
  'sst.aws.Cdn': 'aws_cloudfront_distribution',
  'sst.aws.StaticSite': 'aws_cloudfront_distribution',
  'sst.aws.Nextjs': 'aws_cloudfront_distribution',
  'sst.aws.Remix': 'aws_cloudfront_distribution',
  'sst.aws.Astro': 'aws_cloudfront_distribution',
  'sst.aws.SvelteKit': 'aws_cloudfront_distribution',
  'sst.aws.Nuxt': 'aws_cloudfront_distribution',
  'sst.aws.SolidStart': 'aws_cloudfront_distribution',
  'sst.aws.TanStackStart': 'aws_cloudfront_distribution',
  'sst.aws.React': 'aws_cloudfront_distribution',
  'sst.aws.Analog': 'aws_cloudfront_distribution',
  'sst.aws.Cron': 'aws_cloudwatch_event_rule',
  'sst.aws.CognitoUserPool': 'aws_cognito_user_pool',
};

/** The Terraform type a resource corresponds to, for the network diagram (`sst.aws.Function` → `aws_lambda_function`). */
export function terraformTypeOf(t: ResourceType): string | undefined {
  const name = typeName(t);
  return Object.hasOwn(TERRAFORM_TYPE, name) ? TERRAFORM_TYPE[name] : t.provider === 'sst' ? undefined : terraformType(t);
}

export function roleOfType(t: ResourceType): Role {
  if (t.provider === 'sst') return SST_ROLES[t.path.join('.')] ?? 'other';
  const tf = terraformType(t);
  const role = tf ? roleOf(tf) : 'other';
  if (role !== 'other' || !tf) return role;
  // `aws_rds_instance` (Terraform: `aws_db_instance`), an Azure class the table keys by module.
  return t.provider === 'azure_native' ? roleOf(`azurerm_${t.path[0]}_${snake(t.path[t.path.length - 1]!)}`) : role;
}

/** What kind of thing a resource is, for the rules that make data stores, queues, workloads and routes of it. */
export type Kind =
  | 'table'
  | 'bucket'
  | 'database'
  | 'cache'
  | 'queue'
  | 'topic'
  | 'bus'
  | 'function'
  | 'worker'
  | 'container'
  | 'cloud-run'
  | 'deployment'
  | 'http-api'
  | 'rest-api'
  | 'crosswalk-api'
  | 'route'
  | 'integration'
  | 'api-resource'
  | 'api-method'
  | 'event-source-mapping'
  | 'subscription'
  | 'event-rule'
  | 'event-target'
  | 'cron'
  | 'pubsub-topic'
  | 'alarm'
  | 'dashboard'
  | 'log-group'
  | 'site';

const KINDS: Record<string, Kind> = {
  'aws.dynamodb.Table': 'table',
  'sst.aws.Dynamo': 'table',
  'aws.s3.Bucket': 'bucket',
  'aws.s3.BucketV2': 'bucket',
  'sst.aws.Bucket': 'bucket',
  'gcp.storage.Bucket': 'bucket',
  'aws.rds.Instance': 'database',
  'aws.rds.Cluster': 'database',
  'sst.aws.Postgres': 'database',
  'sst.aws.Aurora': 'database',
  'sst.aws.Mysql': 'database',
  'gcp.sql.DatabaseInstance': 'database',
  'aws.elasticache.Cluster': 'cache',
  'aws.elasticache.ReplicationGroup': 'cache',
  'aws.elasticache.ServerlessCache': 'cache',
  'sst.aws.Redis': 'cache',
  'aws.sqs.Queue': 'queue',
  'sst.aws.Queue': 'queue',
  'aws.sns.Topic': 'topic',
  'sst.aws.SnsTopic': 'topic',
  'aws.cloudwatch.EventBus': 'bus',
  'sst.aws.Bus': 'bus',
  'gcp.pubsub.Topic': 'pubsub-topic',
  'aws.lambda.Function': 'function',
  'aws.lambda.CallbackFunction': 'function',
  'sst.aws.Function': 'function',
  'sst.cloudflare.Worker': 'worker',
  'aws.ecs.Service': 'container',
  'awsx.ecs.FargateService': 'container',
  'awsx.ecs.EC2Service': 'container',
  'sst.aws.Service': 'container',
  'gcp.cloudrun.Service': 'cloud-run',
  'gcp.cloudrunv2.Service': 'cloud-run',
  'kubernetes.apps.v1.Deployment': 'deployment',
  'kubernetes.apps.v1.StatefulSet': 'deployment',
  'aws.apigatewayv2.Api': 'http-api',
  'sst.aws.ApiGatewayV2': 'http-api',
  'sst.aws.ApiGatewayV1': 'http-api',
  'aws.apigateway.RestApi': 'rest-api',
  'awsx.classic.apigateway.API': 'crosswalk-api',
  'awsx.apigateway.API': 'crosswalk-api',
  'aws.apigatewayv2.Route': 'route',
  'aws.apigatewayv2.Integration': 'integration',
  'aws.apigateway.Resource': 'api-resource',
  'aws.apigateway.Method': 'api-method',
  'aws.apigateway.Integration': 'integration',
  'aws.lambda.EventSourceMapping': 'event-source-mapping',
  'aws.sns.TopicSubscription': 'subscription',
  'aws.cloudwatch.EventRule': 'event-rule',
  'aws.cloudwatch.EventTarget': 'event-target',
  'sst.aws.Cron': 'cron',
  'aws.cloudwatch.MetricAlarm': 'alarm',
  'aws.cloudwatch.Dashboard': 'dashboard',
  'aws.cloudwatch.LogGroup': 'log-group',
  'sst.aws.StaticSite': 'site',
  'sst.aws.Nextjs': 'site',
  'sst.aws.Remix': 'site',
  'sst.aws.Astro': 'site',
  'sst.aws.SvelteKit': 'site',
  'sst.aws.Nuxt': 'site',
  'sst.aws.SolidStart': 'site',
  'sst.aws.TanStackStart': 'site',
  'sst.aws.React': 'site',
  'sst.constructs.Table': 'table',
  'sst.constructs.Bucket': 'bucket',
  'sst.constructs.RDS': 'database',
  'sst.constructs.Queue': 'queue',
  'sst.constructs.Topic': 'topic',
  'sst.constructs.EventBus': 'bus',
  'sst.constructs.Function': 'function',
  'sst.constructs.Service': 'container',
  'sst.constructs.Api': 'http-api',
  'sst.constructs.ApiGatewayV1Api': 'http-api',
  'sst.constructs.Cron': 'cron',
  'sst.constructs.StaticSite': 'site',
  'sst.constructs.NextjsSite': 'site',
  'sst.constructs.RemixSite': 'site',
  'sst.constructs.AstroSite': 'site',
  'sst.constructs.SvelteKitSite': 'site',
  'sst.constructs.SolidStartSite': 'site',
};

export function kindOf(t: ResourceType): Kind | undefined {
  const name = typeName(t);
  return Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
}

/** Classes that are no resource of the system: providers (a region's or an account's credentials) and SST's linkable wrappers. */
export function isResourceType(t: ResourceType): boolean {
  const last = t.path[t.path.length - 1]!;
  return last !== 'Provider' && !(t.provider === 'sst' && (last === 'Linkable' || t.path[0] === 'x'));
}
