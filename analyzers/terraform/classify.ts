/**
 * Terraform-only classification: providers by type prefix, the resources the network diagram
 * draws and their rank, and public-module sources by name. Resource roles live in
 * src/data/cloud-resources.ts, shared with the serverless analyzer.
 */
import type { Infrastructure } from '../../src/model/schema.js';

type Role = Infrastructure['role'];

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
  if (
    /(^|[/-])(rds|rds-aurora|aurora|dynamodb|dynamodb-table|elasticache|redis|s3|s3-bucket|sql|cloudsql|sql-db|postgres(ql)?|mysql|cosmosdb|storage|opensearch|memorystore|documentdb)([/-]|$)/.test(
      s,
    )
  )
    return 'data';
  if (/(^|[/-])(sqs|sns|msk|kafka|eventbridge|pubsub|servicebus|kinesis)([/-]|$)/.test(s)) return 'messaging';
  if (/(^|[/-])(kms|secrets?-manager|secrets?|key-vault|vault)([/-]|$)/.test(s)) return 'secrets';
  if (/(^|[/-])(cloudwatch|monitoring|logging|datadog|alarms?)([/-]|$)/.test(s)) return 'observability';
  if (/(^|[/-])(iam|identity)([/-]|$)/.test(s)) return 'identity';
  return 'other';
}
