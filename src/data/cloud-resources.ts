/**
 * Roles of the common AWS, Google Cloud, Azure, Kubernetes and Helm resource types, by Terraform
 * type name (`aws_db_instance` → data): shared by the terraform analyzer and the serverless
 * analyzer, which maps CloudFormation types onto Terraform names first. Order matters: the first
 * pattern that matches a type wins.
 */
import type { DataStore, Details, Evidence, Infrastructure } from '../model/schema.js';
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
