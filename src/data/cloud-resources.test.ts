import { describe, expect, it } from 'vitest';
import { roleOf } from './cloud-resources.js';

describe('roleOf (resource roles shared by terraform and serverless)', () => {
  it.each([
    ['aws_lb', 'edge'],
    ['aws_lb_listener', 'edge'],
    ['aws_cloudfront_distribution', 'edge'],
    ['aws_apigatewayv2_api', 'edge'],
    ['aws_vpc', 'network'],
    ['aws_security_group_rule', 'network'],
    ['aws_lambda_function', 'compute'],
    ['aws_instance', 'compute'],
    ['aws_sfn_state_machine', 'compute'],
    ['aws_db_instance', 'data'],
    ['aws_dynamodb_table', 'data'],
    ['aws_s3_bucket', 'data'],
    ['aws_sqs_queue', 'messaging'],
    ['aws_cloudwatch_event_rule', 'messaging'],
    ['aws_secretsmanager_secret', 'secrets'],
    ['aws_ssm_parameter', 'secrets'],
    ['aws_cloudwatch_log_group', 'observability'],
    ['aws_guardduty_detector', 'observability'],
    ['aws_iam_role', 'identity'],
    ['google_compute_firewall', 'network'],
    ['google_compute_url_map', 'edge'],
    ['google_cloud_run_v2_service', 'compute'],
    ['google_sql_database_instance', 'data'],
    ['google_pubsub_topic', 'messaging'],
    ['azurerm_subnet', 'network'],
    ['azurerm_application_gateway', 'edge'],
    ['azurerm_kubernetes_cluster', 'compute'],
    ['azurerm_servicebus_queue', 'messaging'],
    ['azurerm_key_vault_secret', 'secrets'],
    ['kubernetes_deployment', 'compute'],
    ['kubernetes_ingress_v1', 'network'],
    ['helm_release', 'compute'],
    ['cloudflare_record', 'edge'],
    ['datadog_monitor', 'observability'],
  ] as const)('%s is %s', (type, role) => {
    expect(roleOf(type)).toBe(role);
  });

  it('the first matching rule wins: an EventBridge rule is messaging, a CloudWatch alarm observability', () => {
    expect(roleOf('aws_cloudwatch_event_target')).toBe('messaging');
    expect(roleOf('aws_cloudwatch_metric_alarm')).toBe('observability');
  });

  it('unknown types, and exact-match types with a suffix, are other', () => {
    expect(roleOf('random_password')).toBe('other');
    expect(roleOf('aws_instance_profile')).toBe('other');
    expect(roleOf('helm_release_x')).toBe('other');
    expect(roleOf('')).toBe('other');
  });
});
