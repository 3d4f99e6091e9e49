/**
 * What a CDK construct class is, in the vocabulary the terraform analyzer uses: its role (by the
 * Terraform type it corresponds to, through the shared role table), and whether it is a data
 * store, a queue, a function or a container service. Keyed by the construct's module as CDK v2
 * names it (`aws-s3`, `aws-lambda-nodejs`, `aws-ecs-patterns`) and its class name.
 */
import { cloudFormationTerraformType, roleOf } from '../../src/data/cloud-resources.js';
import type { Infrastructure } from '../../src/model/schema.js';

export interface ConstructType {
  /** The module without `aws-`: `s3`, `lambda-nodejs`, `ecs-patterns`. */
  service: string;
  /** The class: `Bucket`, `CfnWebACL`. */
  name: string;
}

/** `aws_s3.Bucket`, `aws_ecs_patterns.ApplicationLoadBalancedFargateService`: the type as CDK v2's namespaces write it. */
export function typeName(t: ConstructType): string {
  return `aws_${t.service.replace(/-/g, '_')}.${t.name}`;
}

/**
 * The Terraform service prefix a CDK module's resources share, where the two differ: the role
 * table is keyed by Terraform types (`aws_api_gateway_rest_api`).
 */
const TERRAFORM_SERVICE: Record<string, string> = {
  apigateway: 'api_gateway',
  events: 'cloudwatch_event',
  stepfunctions: 'sfn',
  'stepfunctions-tasks': 'sfn',
  logs: 'cloudwatch_log',
  elasticloadbalancingv2: 'lb',
  elasticloadbalancing: 'elb',
  certificatemanager: 'acm_certificate',
  ssm: 'ssm_parameter',
  opensearchservice: 'opensearch',
  applicationautoscaling: 'appautoscaling',
  'lambda-nodejs': 'lambda',
  'ecs-patterns': 'ecs',
  'route53-targets': 'route53',
  'cloudfront-origins': 'cloudfront',
};

/** Roles the Terraform table cannot give: modules whose Terraform names differ in kind, or that it does not list. */
const ROLE: Record<string, Infrastructure['role']> = {
  appsync: 'edge',
  ecr: 'compute',
  'ecr-assets': 'compute',
  scheduler: 'messaging',
  pipes: 'messaging',
};

/** EC2 classes that are compute; every other EC2 construct (Vpc, SecurityGroup, Subnet…) is network. */
const EC2_COMPUTE = new Set(['Instance', 'CfnInstance', 'LaunchTemplate', 'CfnLaunchTemplate', 'BastionHostLinux']);

export function roleOfConstruct(t: ConstructType): Infrastructure['role'] {
  if (ROLE[t.service]) return ROLE[t.service]!;
  if (t.service === 'ec2') return EC2_COMPUTE.has(t.name) ? 'compute' : 'network';
  const bare = t.name.startsWith('Cfn') ? t.name.slice(3) : t.name;
  const snake = bare.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return roleOf(`aws_${TERRAFORM_SERVICE[t.service] ?? t.service.replace(/-/g, '_')}_${snake}`);
}

/** Classes whose CloudFormation resource is named otherwise than the class (`NodejsFunction` makes an `AWS::Lambda::Function`). */
const CFN_RESOURCE: Record<string, string> = {
  'lambda-nodejs.NodejsFunction': 'AWS::Lambda::Function',
  'lambda.DockerImageFunction': 'AWS::Lambda::Function',
  'lambda.SingletonFunction': 'AWS::Lambda::Function',
  'rds.DatabaseInstance': 'AWS::RDS::DBInstance',
  'rds.DatabaseInstanceFromSnapshot': 'AWS::RDS::DBInstance',
  'rds.DatabaseCluster': 'AWS::RDS::DBCluster',
  'rds.DatabaseClusterFromSnapshot': 'AWS::RDS::DBCluster',
  'rds.ServerlessCluster': 'AWS::RDS::DBCluster',
  'docdb.DatabaseCluster': 'AWS::DocDB::DBCluster',
  'dynamodb.TableV2': 'AWS::DynamoDB::Table',
  'apigateway.LambdaRestApi': 'AWS::ApiGateway::RestApi',
  'apigateway.SpecRestApi': 'AWS::ApiGateway::RestApi',
  'apigatewayv2.HttpApi': 'AWS::ApiGatewayV2::Api',
  'apigatewayv2.WebSocketApi': 'AWS::ApiGatewayV2::Api',
  'elasticloadbalancingv2.ApplicationLoadBalancer': 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'elasticloadbalancingv2.NetworkLoadBalancer': 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'ecs.FargateService': 'AWS::ECS::Service',
  'ecs.Ec2Service': 'AWS::ECS::Service',
  'events.EventBus': 'AWS::Events::EventBus',
  'route53.PublicHostedZone': 'AWS::Route53::HostedZone',
  'route53.PrivateHostedZone': 'AWS::Route53::HostedZone',
  'route53.HostedZone': 'AWS::Route53::HostedZone',
  'autoscaling.AutoScalingGroup': 'AWS::AutoScaling::AutoScalingGroup',
  'ec2.BastionHostLinux': 'AWS::EC2::Instance',
  'cloudfront.CloudFrontWebDistribution': 'AWS::CloudFront::Distribution',
  'opensearchservice.Domain': 'AWS::OpenSearchService::Domain',
};

/**
 * The Terraform type a construct corresponds to, for the network diagram: through the
 * CloudFormation resource it makes (an L1 `Cfn*` class is that resource; most L2 classes are named
 * as theirs), and an ECS pattern is its service.
 */
export function terraformTypeOfConstruct(t: ConstructType): string | undefined {
  const key = `${t.service}.${t.name}`;
  if (Object.hasOwn(CFN_RESOURCE, key)) return cloudFormationTerraformType(CFN_RESOURCE[key]!);
  if (t.service === 'ecs-patterns') return 'aws_ecs_service';
  return cloudFormationTerraformType(`AWS::${t.service}::${t.name.startsWith('Cfn') ? t.name.slice(3) : t.name}`);
}

const is = (t: ConstructType, service: string, ...names: string[]) => t.service === service && names.includes(t.name);

export const isTable = (t: ConstructType): boolean => is(t, 'dynamodb', 'Table', 'TableV2', 'CfnTable', 'CfnGlobalTable');
export const isBucket = (t: ConstructType): boolean => is(t, 's3', 'Bucket', 'CfnBucket');
export const isDatabase = (t: ConstructType): boolean =>
  is(
    t,
    'rds',
    'DatabaseInstance',
    'DatabaseCluster',
    'ServerlessCluster',
    'DatabaseInstanceFromSnapshot',
    'DatabaseClusterFromSnapshot',
    'CfnDBInstance',
    'CfnDBCluster',
  );
export const isCache = (t: ConstructType): boolean => is(t, 'elasticache', 'CfnCacheCluster', 'CfnReplicationGroup', 'CfnServerlessCache');
export const isSearch = (t: ConstructType): boolean => is(t, 'opensearchservice', 'Domain', 'CfnDomain');
export const isQueue = (t: ConstructType): boolean => is(t, 'sqs', 'Queue', 'CfnQueue');
export const isTopic = (t: ConstructType): boolean => is(t, 'sns', 'Topic', 'CfnTopic');
export const isBus = (t: ConstructType): boolean => is(t, 'events', 'EventBus', 'CfnEventBus');
export const isFunction = (t: ConstructType): boolean =>
  is(t, 'lambda', 'Function', 'DockerImageFunction', 'CfnFunction') ||
  is(t, 'lambda-nodejs', 'NodejsFunction') ||
  is(t, 'lambda-python-alpha', 'PythonFunction') ||
  is(t, 'lambda-go-alpha', 'GoFunction');
/** ECS services, and the L3 patterns that make one. */
export const isContainerService = (t: ConstructType): boolean =>
  is(t, 'ecs', 'FargateService', 'Ec2Service', 'CfnService') || (t.service === 'ecs-patterns' && t.name.endsWith('Service'));

/** Step Functions classes that are resources; the others are a state machine's states, not resources of their own. */
const STATE_MACHINES = new Set(['StateMachine', 'Activity', 'CfnStateMachine', 'CfnActivity', 'CfnStateMachineAlias', 'CfnStateMachineVersion']);

/** Constructs that are no resource: a state machine's states and tasks, and assets (files and images uploaded at deployment). */
export function isResourceType(t: ConstructType): boolean {
  if (t.service === 'stepfunctions') return STATE_MACHINES.has(t.name);
  return t.service !== '' && t.service !== 'stepfunctions-tasks' && t.service !== 'ecr-assets' && t.service !== 's3-assets';
}

/** `RemovalPolicy.DESTROY` → `destroy`. */
export function lowerEnum(member: string | undefined): string | undefined {
  return member?.toLowerCase().replace(/_/g, '-');
}

/** CloudWatch Logs `RetentionDays` members in days; INFINITE is null (kept for ever), as the terraform analyzer writes it. */
export const RETENTION_DAYS: Record<string, number | null> = {
  ONE_DAY: 1,
  THREE_DAYS: 3,
  FIVE_DAYS: 5,
  ONE_WEEK: 7,
  TWO_WEEKS: 14,
  ONE_MONTH: 30,
  TWO_MONTHS: 60,
  THREE_MONTHS: 90,
  FOUR_MONTHS: 120,
  FIVE_MONTHS: 150,
  SIX_MONTHS: 180,
  ONE_YEAR: 365,
  THIRTEEN_MONTHS: 400,
  EIGHTEEN_MONTHS: 545,
  TWO_YEARS: 731,
  THREE_YEARS: 1096,
  FIVE_YEARS: 1827,
  SIX_YEARS: 2192,
  SEVEN_YEARS: 2557,
  EIGHT_YEARS: 2922,
  NINE_YEARS: 3288,
  TEN_YEARS: 3653,
  INFINITE: null,
};

/** The data store an RDS engine name denotes (`DatabaseInstanceEngine.postgres`, `auroraMysql`, `POSTGRES`): tech and name. */
export { engineStore } from '../../src/data/cloud-resources.js';
