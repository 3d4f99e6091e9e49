/**
 * Roles of the common AWS, Google Cloud, Azure, Kubernetes and Helm resource types, by Terraform
 * type name (`aws_db_instance` → data): shared by the terraform analyzer and the serverless
 * analyzer, which maps CloudFormation types onto Terraform names first. Order matters: the first
 * pattern that matches a type wins.
 */
import type { DataStore, Details, Evidence, Infrastructure, ObservabilityFact } from '../model/schema.js';
import { idOf } from '../model/ids.js';
import { compareStrings } from '../model/compare.js';

type Role = Infrastructure['role'];

const RULES: [RegExp, Role][] = [
  // AWS
  [
    /^aws_(lb|alb|elb|lb_listener|lb_listener_rule|alb_listener|alb_listener_rule|lb_target_group|alb_target_group|lb_target_group_attachment|lb_listener_certificate|cloudfront_|wafv2_|waf_|wafregional_|api_gateway_|apigatewayv2_|route53_|acm_certificate|globalaccelerator_|shield_)/,
    'edge',
  ],
  [
    /^aws_(vpc|subnet|nat_gateway|internet_gateway|egress_only_internet_gateway|route|route_table|route_table_association|main_route_table_association|eip|network_acl|network_acl_rule|network_interface|vpc_endpoint|vpc_peering_connection|security_group|security_group_rule|default_vpc|default_subnet|default_security_group|default_route_table|default_network_acl|vpc_security_group_ingress_rule|vpc_security_group_egress_rule|ec2_transit_gateway|flow_log|vpc_ipv4_cidr_block_association|service_discovery_private_dns_namespace|service_discovery_service)/,
    'network',
  ],
  [
    /^aws_(ecs_|eks_|lambda_|instance$|launch_template|launch_configuration|autoscaling_|appautoscaling_|batch_|apprunner_|elastic_beanstalk_|ecr_|spot_|placement_group|sfn_|codedeploy_)/,
    'compute',
  ],
  [
    /^aws_(db_|rds_|dynamodb_|elasticache_|s3_|opensearch_|elasticsearch_|docdb_|neptune_|redshift_|efs_|memorydb_|backup_|dax_|timestreamwrite_|keyspaces_|glue_|athena_)/,
    'data',
  ],
  [/^aws_(sqs_|sns_|msk_|cloudwatch_event_|kinesis_|mq_|scheduler_|pipes_|eventbridge_|ses_)/, 'messaging'],
  [/^aws_(secretsmanager_|kms_|ssm_parameter)/, 'secrets'],
  [/^aws_(cloudwatch_|xray_|cloudtrail|prometheus_|grafana_|synthetics_)/, 'observability'],
  [/^aws_(iam_|cognito_|identitystore_|ssoadmin_|organizations_)/, 'identity'],
  [/^(aws_(securityhub_|guardduty_|config_|inspector|macie2_|detective_|accessanalyzer_)|awsutils_guardduty)/, 'observability'],
  // Google Cloud
  [
    /^google_(compute_(network|subnetwork|firewall|router|router_nat|route|address|global_address|network_peering)|vpc_access_connector|service_networking_connection|dns_managed_zone_private)/,
    'network',
  ],
  [
    /^google_(compute_(backend_service|backend_bucket|url_map|target_http_proxy|target_https_proxy|global_forwarding_rule|forwarding_rule|ssl_policy|ssl_certificate|managed_ssl_certificate|security_policy|region_backend_service|health_check)|dns_|api_gateway_|certificate_manager_)/,
    'edge',
  ],
  [
    /^google_(cloud_run_|cloudrunv2_|container_|cloudfunctions|cloudfunctions2_|compute_instance|compute_instance_template|compute_instance_group|compute_region_instance_group|compute_autoscaler|compute_region_autoscaler|app_engine_|artifact_registry_|cloud_scheduler_job)/,
    'compute',
  ],
  [/^google_(sql_|storage_|bigquery_|redis_|spanner_|firestore_|bigtable_|alloydb_|datastore_|memcache_|filestore_)/, 'data'],
  [/^google_(pubsub_|eventarc_|cloud_tasks_)/, 'messaging'],
  [/^google_(secret_manager_|kms_)/, 'secrets'],
  [/^google_(monitoring_|logging_)/, 'observability'],
  [/^google_(service_account|project_iam_|iam_|identity_platform_)/, 'identity'],
  // Azure
  [
    /^azurerm_(virtual_network|subnet|network_security_group|network_security_rule|nat_gateway|public_ip|private_endpoint|private_dns_|route_table|network_interface|virtual_network_peering|subnet_)/,
    'network',
  ],
  [/^azurerm_(application_gateway|lb|frontdoor|cdn_|dns_|api_management|web_application_firewall_policy|traffic_manager_)/, 'edge'],
  [
    /^azurerm_(kubernetes_cluster|app_service|service_plan|linux_web_app|windows_web_app|function_app|linux_function_app|windows_function_app|container_app|container_group|container_registry|linux_virtual_machine|windows_virtual_machine|virtual_machine|monitor_autoscale_setting)/,
    'compute',
  ],
  [/^azurerm_(mssql_|sql_|postgresql_|mysql_|cosmosdb_|redis_|storage_|data_factory|synapse_)/, 'data'],
  [/^azurerm_(servicebus_|eventhub|eventgrid_|notification_hub)/, 'messaging'],
  [/^azurerm_key_vault/, 'secrets'],
  [/^azurerm_(monitor_|log_analytics_|application_insights)/, 'observability'],
  [/^azurerm_(role_assignment|role_definition|user_assigned_identity)/, 'identity'],
  // Others
  [/^(datadog_|newrelic_|grafana_|pagerduty_|sentry_|opsgenie_|honeycombio_)/, 'observability'],
  [/^kubernetes_(deployment|stateful_set|daemon_set|job|cron_job|pod|horizontal_pod_autoscaler)/, 'compute'],
  [/^kubernetes_(service|ingress|network_policy)/, 'network'],
  [/^kubernetes_secret/, 'secrets'],
  [/^helm_release$/, 'compute'],
  [/^cloudflare_/, 'edge'],
  [/^vault_/, 'secrets'],
];

/** The role of a Terraform resource type; `other` when no rule knows it. */
export function roleOf(type: string): Role {
  for (const [re, role] of RULES) if (re.test(type)) return role;
  return 'other';
}

/** Database engines by the name an engine is given (`postgres`, `auroraMysql`, `aurora-postgresql`, `POSTGRES_15`): tech and name. */
const ENGINES: [string, string, string][] = [
  ['postgres', 'postgresql', 'PostgreSQL'],
  ['mariadb', 'mariadb', 'MariaDB'],
  ['mysql', 'mysql', 'MySQL'],
  ['sqlserver', 'sqlserver', 'SQL Server'],
  ['oracle', 'oracle', 'Oracle Database'],
];

/** The data store an RDS (or Cloud SQL) engine name denotes: tech and name. Shared by the cdk and pulumi analyzers. */
export function engineStore(engine: string): [string, string] | undefined {
  const e = engine.toLowerCase();
  for (const [key, tech, name] of ENGINES) if (e.includes(key)) return [tech, name];
  return undefined;
}

/** API Gateway's path as the house writes it: `/orders/{id}` → `/orders/:id`, `{proxy+}` → `*`. Shared by the cdk and pulumi analyzers. */
export function apiGatewayPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  const out = parts.map((p) => (p.startsWith('{') && p.endsWith('+}') ? '*' : p.startsWith('{') && p.endsWith('}') ? `:${p.slice(1, -1)}` : p));
  return `/${out.join('/')}`;
}

/**
 * The data store a resource of infrastructure code provisions (a DynamoDB table, an RDS instance):
 * one fact per engine, `provisionedBy` the resource, with the environment variables that carry it
 * to code. The CDK, Pulumi and CDK for Terraform analyzers emit it alike.
 */
export function provisionedStore(
  store: { tech: string; name: string; kind: DataStore['kind']; details?: Details },
  provisionedBy: string,
  envVars: readonly string[],
  evidence: Evidence,
): DataStore {
  return {
    id: idOf.datastore(store.tech),
    name: store.name,
    tech: store.tech,
    kind: store.kind,
    usedBy: [],
    ...(envVars.length ? { envVars: [...envVars] } : {}),
    details: { provisionedBy: [provisionedBy], ...store.details },
    evidence: [evidence],
  };
}

/**
 * A CloudWatch alarm or dashboard that infrastructure code declares, as an observability fact
 * (named by its alarm or dashboard name, else the resource): the CDK and CloudFormation readers
 * emit it alike.
 */
export function cloudWatchFact(
  kind: 'alarm' | 'dashboard',
  name: string,
  component: string | undefined,
  details: Details,
  evidence: Evidence,
): ObservabilityFact {
  return {
    id: idOf.observability(kind === 'alarm' ? 'alert' : 'dashboard', name),
    name,
    category: kind === 'alarm' ? 'alerting' : 'dashboards',
    tech: 'cloudwatch',
    ...(component ? { component } : {}),
    details,
    evidence: [evidence],
  } as ObservabilityFact;
}

/**
 * A Lambda workload's details from its infrastructure code (CDK, CDK for Terraform): where it is
 * defined, its runtime, its handler and the script holding it, memory and timeout, the
 * environment variables it is given and the events that trigger it.
 */
export function lambdaWorkloadDetails(
  source: string,
  resource: string,
  settings: { runtime?: unknown; memoryMb?: unknown; timeoutSeconds?: unknown },
  code: { handler: string; file: string } | undefined,
  environment: readonly string[],
  events: readonly string[],
): Details {
  const wd: Details = { source, resource };
  if (typeof settings.runtime === 'string') wd.runtime = settings.runtime;
  if (code) {
    wd.handler = code.handler;
    wd.handlerFile = code.file;
  }
  if (settings.memoryMb !== undefined) wd.memoryMb = String(settings.memoryMb);
  if (settings.timeoutSeconds !== undefined) wd.timeoutSeconds = String(settings.timeoutSeconds);
  if (environment.length) wd.environment = [...new Set(environment)].sort(compareStrings);
  if (events.length) wd.events = [...new Set(events)].sort(compareStrings);
  return wd;
}

/**
 * Resources that stand for an architectural element in the network diagram (the rest are wiring:
 * listeners, rules, attachments, policies), by Terraform type. Rank orders edges: traffic flows
 * from lower to higher. Shared by every infrastructure-code analyzer through `networkDetails`.
 */
const PRIMARY: [RegExp, number][] = [
  [/^(aws_route53_zone|google_dns_managed_zone|azurerm_dns_zone|cloudflare_zone)$/, 0],
  [/^(aws_cloudfront_distribution|azurerm_cdn_frontdoor_profile|azurerm_frontdoor|azurerm_cdn_profile|google_compute_backend_bucket)$/, 1],
  [/^(aws_wafv2_web_acl|aws_waf_web_acl|aws_wafregional_web_acl|google_compute_security_policy|azurerm_web_application_firewall_policy)$/, 2],
  [/^(aws_api_gateway_rest_api|aws_apigatewayv2_api|google_api_gateway_gateway|azurerm_api_management)$/, 3],
  [/^(aws_lb|aws_alb|aws_elb|google_compute_global_forwarding_rule|google_compute_url_map|azurerm_application_gateway|azurerm_lb)$/, 3],
  [/^(aws_nat_gateway|google_compute_router_nat|azurerm_nat_gateway)$/, 4],
  [
    /^(aws_ecs_service|aws_eks_cluster|aws_eks_node_group|aws_lambda_function|aws_instance|aws_autoscaling_group|aws_apprunner_service|aws_elastic_beanstalk_environment|aws_batch_compute_environment|google_cloud_run_service|google_cloud_run_v2_service|google_container_cluster|google_cloudfunctions_function|google_cloudfunctions2_function|google_compute_instance|google_compute_instance_group_manager|google_compute_region_instance_group_manager|google_app_engine_application|azurerm_kubernetes_cluster|azurerm_linux_web_app|azurerm_windows_web_app|azurerm_app_service|azurerm_function_app|azurerm_linux_function_app|azurerm_windows_function_app|azurerm_container_app|azurerm_container_group|azurerm_linux_virtual_machine|azurerm_windows_virtual_machine|kubernetes_deployment|kubernetes_stateful_set|helm_release)$/,
    5,
  ],
  [
    /^(aws_db_instance|aws_rds_cluster|aws_dynamodb_table|aws_elasticache_replication_group|aws_elasticache_cluster|aws_elasticache_serverless_cache|aws_memorydb_cluster|aws_s3_bucket|aws_opensearch_domain|aws_elasticsearch_domain|aws_docdb_cluster|aws_neptune_cluster|aws_redshift_cluster|aws_efs_file_system|google_sql_database_instance|google_storage_bucket|google_redis_instance|google_spanner_instance|google_bigquery_dataset|google_alloydb_cluster|google_firestore_database|google_bigtable_instance|azurerm_postgresql_server|azurerm_postgresql_flexible_server|azurerm_mysql_server|azurerm_mysql_flexible_server|azurerm_mssql_server|azurerm_mssql_database|azurerm_cosmosdb_account|azurerm_redis_cache|azurerm_storage_account)$/,
    6,
  ],
  [
    /^(aws_sqs_queue|aws_sns_topic|aws_msk_cluster|aws_msk_serverless_cluster|aws_kinesis_stream|aws_mq_broker|aws_cloudwatch_event_bus|google_pubsub_topic|google_pubsub_subscription|azurerm_servicebus_namespace|azurerm_servicebus_queue|azurerm_servicebus_topic|azurerm_eventhub_namespace|azurerm_eventhub)$/,
    6,
  ],
];

/** The network diagram's rank of a Terraform type; undefined for wiring it does not draw. */
export function networkRank(type: string): number | undefined {
  for (const [re, rank] of PRIMARY) if (re.test(type)) return rank;
  return undefined;
}

/**
 * How infrastructure code other than Terraform says what a resource is in the shared vocabulary:
 * the Terraform type it corresponds to (when its own type is written otherwise: `aws_s3.Bucket`,
 * `AWS::S3::Bucket`) and whether the network diagram draws it (`primary`), as the terraform
 * analyzer says it of its own resources.
 */
export function networkDetails(terraformType: string | undefined, ownType: string): Details {
  if (!terraformType) return {};
  return { ...(terraformType !== ownType ? { terraformType } : {}), ...(networkRank(terraformType) !== undefined ? { primary: true } : {}) };
}

/** CloudFormation types whose Terraform name is not their service and resource in snake case. */
const CFN_TYPES: Record<string, string> = {
  'AWS::RDS::DBInstance': 'aws_db_instance',
  'AWS::RDS::DBCluster': 'aws_rds_cluster',
  'AWS::RDS::DBSubnetGroup': 'aws_db_subnet_group',
  'AWS::RDS::DBParameterGroup': 'aws_db_parameter_group',
  'AWS::DocDB::DBCluster': 'aws_docdb_cluster',
  'AWS::Neptune::DBCluster': 'aws_neptune_cluster',
  'AWS::ElastiCache::CacheCluster': 'aws_elasticache_cluster',
  'AWS::ElastiCache::SubnetGroup': 'aws_elasticache_subnet_group',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'aws_lb',
  'AWS::ElasticLoadBalancingV2::Listener': 'aws_lb_listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'aws_lb_listener_rule',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'aws_lb_target_group',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'aws_elb',
  'AWS::Route53::HostedZone': 'aws_route53_zone',
  'AWS::Route53::RecordSet': 'aws_route53_record',
  'AWS::CertificateManager::Certificate': 'aws_acm_certificate',
  'AWS::EKS::Nodegroup': 'aws_eks_node_group',
  'AWS::AutoScaling::AutoScalingGroup': 'aws_autoscaling_group',
  'AWS::AutoScaling::LaunchConfiguration': 'aws_launch_configuration',
  'AWS::Events::EventBus': 'aws_cloudwatch_event_bus',
  'AWS::Logs::LogGroup': 'aws_cloudwatch_log_group',
  'AWS::CloudWatch::Alarm': 'aws_cloudwatch_metric_alarm',
  'AWS::EC2::SubnetRouteTableAssociation': 'aws_route_table_association',
  'AWS::EC2::VPCGatewayAttachment': 'aws_internet_gateway_attachment',
  'AWS::EC2::SecurityGroupIngress': 'aws_security_group_rule',
  'AWS::EC2::SecurityGroupEgress': 'aws_security_group_rule',
  'AWS::ApiGatewayV2::Api': 'aws_apigatewayv2_api',
  'AWS::AppSync::GraphQLApi': 'aws_appsync_graphql_api',
  'AWS::Cognito::UserPoolClient': 'aws_cognito_user_pool_client',
  // AWS SAM's resources are the CloudFormation resources they become.
  'AWS::Serverless::Function': 'aws_lambda_function',
  'AWS::Serverless::Api': 'aws_api_gateway_rest_api',
  'AWS::Serverless::HttpApi': 'aws_apigatewayv2_api',
  'AWS::Serverless::SimpleTable': 'aws_dynamodb_table',
  'AWS::Serverless::StateMachine': 'aws_sfn_state_machine',
  'AWS::Serverless::LayerVersion': 'aws_lambda_layer_version',
  'AWS::Serverless::Application': 'aws_serverlessapplicationrepository_cloudformation_stack',
};

/** The Terraform service prefix of a CloudFormation service, where the two differ (EC2's resources have none). */
const CFN_SERVICES: Record<string, string> = {
  ec2: '',
  apigateway: 'api_gateway_',
  events: 'cloudwatch_event_',
  logs: 'cloudwatch_log_',
  stepfunctions: 'sfn_',
  opensearchservice: 'opensearch_',
  amazonmq: 'mq_',
  elasticloadbalancingv2: 'lb_',
  applicationautoscaling: 'appautoscaling_',
  certificatemanager: 'acm_',
  wafv2: 'wafv2_',
};

/** `VPCEndpoint` → `vpc_endpoint`, `WebACL` → `web_acl`, `DBInstance` → `db_instance`. */
function snakeCase(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const upper = c >= 'A' && c <= 'Z';
    const prev = name[i - 1];
    const next = name[i + 1];
    const prevLowerOrDigit = prev !== undefined && ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9'));
    const prevUpper = prev !== undefined && prev >= 'A' && prev <= 'Z';
    const nextLower = next !== undefined && next >= 'a' && next <= 'z';
    if (upper && i > 0 && (prevLowerOrDigit || (prevUpper && nextLower))) out += '_';
    out += c.toLowerCase();
  }
  return out;
}

/** The same, keyed in lower case: CDK writes a resource's service in lower case (`aws-rds`, `CfnDBInstance`). */
const CFN_TYPES_LOWER = new Map(Object.entries(CFN_TYPES).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The Terraform type a CloudFormation (or SAM) type corresponds to: `AWS::DynamoDB::Table` →
 * `aws_dynamodb_table`. The service is read in any case, so that a CDK construct's
 * `AWS::rds::DBInstance` reads as RDS's.
 */
export function cloudFormationTerraformType(type: string): string | undefined {
  const known = CFN_TYPES_LOWER.get(type.toLowerCase());
  if (known) return known;
  const [vendor, service, resource] = type.split('::');
  if (vendor !== 'AWS' || !service || !resource) return undefined;
  const s = service.toLowerCase().replaceAll('-', '_');
  const prefix = Object.hasOwn(CFN_SERVICES, s) ? CFN_SERVICES[s]! : `${s}_`;
  return `aws_${prefix}${snakeCase(resource)}`;
}
