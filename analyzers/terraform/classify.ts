/**
 * Roles of the common AWS, Google Cloud and Azure resource types. Order matters: the first
 * pattern that matches a type wins.
 */
import type { Infrastructure } from '../../src/model/schema.js';

type Role = Infrastructure['role'];

const RULES: [RegExp, Role][] = [
  // AWS
  [/^aws_(lb|alb|elb|lb_listener|lb_listener_rule|alb_listener|alb_listener_rule|lb_target_group|alb_target_group|lb_target_group_attachment|lb_listener_certificate|cloudfront_|wafv2_|waf_|wafregional_|api_gateway_|apigatewayv2_|route53_|acm_certificate|globalaccelerator_|shield_)/, 'edge'],
  [/^aws_(vpc|subnet|nat_gateway|internet_gateway|egress_only_internet_gateway|route|route_table|route_table_association|main_route_table_association|eip|network_acl|network_acl_rule|network_interface|vpc_endpoint|vpc_peering_connection|security_group|security_group_rule|default_vpc|default_subnet|default_security_group|default_route_table|default_network_acl|vpc_security_group_ingress_rule|vpc_security_group_egress_rule|ec2_transit_gateway|flow_log|vpc_ipv4_cidr_block_association|service_discovery_private_dns_namespace|service_discovery_service)/, 'network'],
  [/^aws_(ecs_|eks_|lambda_|instance$|launch_template|launch_configuration|autoscaling_|appautoscaling_|batch_|apprunner_|elastic_beanstalk_|ecr_|spot_|placement_group|sfn_|codedeploy_)/, 'compute'],
  [/^aws_(db_|rds_|dynamodb_|elasticache_|s3_|opensearch_|elasticsearch_|docdb_|neptune_|redshift_|efs_|memorydb_|backup_|dax_|timestreamwrite_|keyspaces_|glue_|athena_)/, 'data'],
  [/^aws_(sqs_|sns_|msk_|cloudwatch_event_|kinesis_|mq_|scheduler_|pipes_|eventbridge_|ses_)/, 'messaging'],
  [/^aws_(secretsmanager_|kms_|ssm_parameter)/, 'secrets'],
  [/^aws_(cloudwatch_|xray_|cloudtrail|prometheus_|grafana_|synthetics_)/, 'observability'],
  [/^aws_(iam_|cognito_|identitystore_|ssoadmin_|organizations_)/, 'identity'],
  [/^(aws_(securityhub_|guardduty_|config_|inspector|macie2_|detective_|accessanalyzer_)|awsutils_guardduty)/, 'observability'],
  // Google Cloud
  [/^google_(compute_(network|subnetwork|firewall|router|router_nat|route|address|global_address|network_peering)|vpc_access_connector|service_networking_connection|dns_managed_zone_private)/, 'network'],
  [/^google_(compute_(backend_service|backend_bucket|url_map|target_http_proxy|target_https_proxy|global_forwarding_rule|forwarding_rule|ssl_policy|ssl_certificate|managed_ssl_certificate|security_policy|region_backend_service|health_check)|dns_|api_gateway_|certificate_manager_)/, 'edge'],
  [/^google_(cloud_run_|cloudrunv2_|container_|cloudfunctions|cloudfunctions2_|compute_instance|compute_instance_template|compute_instance_group|compute_region_instance_group|compute_autoscaler|compute_region_autoscaler|app_engine_|artifact_registry_|cloud_scheduler_job)/, 'compute'],
  [/^google_(sql_|storage_|bigquery_|redis_|spanner_|firestore_|bigtable_|alloydb_|datastore_|memcache_|filestore_)/, 'data'],
  [/^google_(pubsub_|eventarc_|cloud_tasks_)/, 'messaging'],
  [/^google_(secret_manager_|kms_)/, 'secrets'],
  [/^google_(monitoring_|logging_)/, 'observability'],
  [/^google_(service_account|project_iam_|iam_|identity_platform_)/, 'identity'],
  // Azure
  [/^azurerm_(virtual_network|subnet|network_security_group|network_security_rule|nat_gateway|public_ip|private_endpoint|private_dns_|route_table|network_interface|virtual_network_peering|subnet_)/, 'network'],
  [/^azurerm_(application_gateway|lb|frontdoor|cdn_|dns_|api_management|web_application_firewall_policy|traffic_manager_)/, 'edge'],
  [/^azurerm_(kubernetes_cluster|app_service|service_plan|linux_web_app|windows_web_app|function_app|linux_function_app|windows_function_app|container_app|container_group|container_registry|linux_virtual_machine|windows_virtual_machine|virtual_machine|monitor_autoscale_setting)/, 'compute'],
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

export function roleOf(type: string): Role {
  for (const [re, role] of RULES) if (re.test(type)) return role;
  return 'other';
}

export function providerOf(type: string): string {
  const p = type.split('_')[0]!;
  return p === 'azurerm' || p === 'azuread' ? 'azure' : p === 'google' ? 'gcp' : p;
}

/**
 * Resources that stand for an architectural element in the network diagram (the rest are wiring:
 * listeners, rules, attachments, policies). Rank orders edges: traffic flows from lower to higher.
 */
const PRIMARY: [RegExp, number][] = [
  [/^(aws_route53_zone|google_dns_managed_zone|azurerm_dns_zone|cloudflare_zone)$/, 0],
  [/^(aws_cloudfront_distribution|azurerm_cdn_frontdoor_profile|azurerm_frontdoor|azurerm_cdn_profile|google_compute_backend_bucket)$/, 1],
  [/^(aws_wafv2_web_acl|aws_waf_web_acl|aws_wafregional_web_acl|google_compute_security_policy|azurerm_web_application_firewall_policy)$/, 2],
  [/^(aws_api_gateway_rest_api|aws_apigatewayv2_api|google_api_gateway_gateway|azurerm_api_management)$/, 3],
  [/^(aws_lb|aws_alb|aws_elb|google_compute_global_forwarding_rule|google_compute_url_map|azurerm_application_gateway|azurerm_lb)$/, 3],
  [/^(aws_nat_gateway|google_compute_router_nat|azurerm_nat_gateway)$/, 4],
  [/^(aws_ecs_service|aws_eks_cluster|aws_eks_node_group|aws_lambda_function|aws_instance|aws_autoscaling_group|aws_apprunner_service|aws_elastic_beanstalk_environment|aws_batch_compute_environment|google_cloud_run_service|google_cloud_run_v2_service|google_container_cluster|google_cloudfunctions_function|google_cloudfunctions2_function|google_compute_instance|google_compute_instance_group_manager|google_compute_region_instance_group_manager|google_app_engine_application|azurerm_kubernetes_cluster|azurerm_linux_web_app|azurerm_windows_web_app|azurerm_app_service|azurerm_function_app|azurerm_linux_function_app|azurerm_windows_function_app|azurerm_container_app|azurerm_container_group|azurerm_linux_virtual_machine|azurerm_windows_virtual_machine|kubernetes_deployment|kubernetes_stateful_set|helm_release)$/, 5],
  [/^(aws_db_instance|aws_rds_cluster|aws_dynamodb_table|aws_elasticache_replication_group|aws_elasticache_cluster|aws_elasticache_serverless_cache|aws_memorydb_cluster|aws_s3_bucket|aws_opensearch_domain|aws_elasticsearch_domain|aws_docdb_cluster|aws_neptune_cluster|aws_redshift_cluster|aws_efs_file_system|google_sql_database_instance|google_storage_bucket|google_redis_instance|google_spanner_instance|google_bigquery_dataset|google_alloydb_cluster|google_firestore_database|google_bigtable_instance|azurerm_postgresql_server|azurerm_postgresql_flexible_server|azurerm_mysql_server|azurerm_mysql_flexible_server|azurerm_mssql_server|azurerm_mssql_database|azurerm_cosmosdb_account|azurerm_redis_cache|azurerm_storage_account)$/, 6],
  [/^(aws_sqs_queue|aws_sns_topic|aws_msk_cluster|aws_msk_serverless_cluster|aws_kinesis_stream|aws_mq_broker|aws_cloudwatch_event_bus|google_pubsub_topic|google_pubsub_subscription|azurerm_servicebus_namespace|azurerm_servicebus_queue|azurerm_servicebus_topic|azurerm_eventhub_namespace|azurerm_eventhub)$/, 6],
];

export function primaryRank(type: string): number | undefined {
  for (const [re, rank] of PRIMARY) if (re.test(type)) return rank;
  return undefined;
}

/** Public-module sources recognised by name (terraform-aws-modules/rds/aws → data). */
export function roleOfModule(source: string): Role {
  const s = source.toLowerCase();
  if (/(^|[/-])(vpc|network|subnets?|security-group|nat)([/-]|$)/.test(s)) return 'network';
  if (/(^|[/-])(alb|elb|lb|cloudfront|waf|apigateway|api-gateway|route53|acm|cdn|dns)([/-]|$)/.test(s)) return 'edge';
  if (/(^|[/-])(ecs|eks|lambda|ec2|autoscaling|asg|cloud-run|gke|kubernetes-engine|aks|app-service|batch|fargate)([/-]|$)/.test(s)) return 'compute';
  if (/(^|[/-])(rds|rds-aurora|aurora|dynamodb|dynamodb-table|elasticache|redis|s3|s3-bucket|sql|cloudsql|sql-db|postgres(ql)?|mysql|cosmosdb|storage|opensearch|memorystore|documentdb)([/-]|$)/.test(s)) return 'data';
  if (/(^|[/-])(sqs|sns|msk|kafka|eventbridge|pubsub|servicebus|kinesis)([/-]|$)/.test(s)) return 'messaging';
  if (/(^|[/-])(kms|secrets?-manager|secrets?|key-vault|vault)([/-]|$)/.test(s)) return 'secrets';
  if (/(^|[/-])(cloudwatch|monitoring|logging|datadog|alarms?)([/-]|$)/.test(s)) return 'observability';
  if (/(^|[/-])(iam|identity)([/-]|$)/.test(s)) return 'identity';
  return 'other';
}
