import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_cloudwatch_log_group" "forever" {
  name = "/ecs/forever"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/api"
  retention_in_days = 14
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:key/abc"
}

resource "aws_cloudwatch_log_group" "configured" {
  name              = "/ecs/configured"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "api-cpu"
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ECS"
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  period              = 60
  statistic           = "Average"
}

resource "datadog_monitor" "latency" {
  name    = "\${var.env} API latency"
  type    = "metric alert"
  query   = "avg(last_5m):avg:trace.http.request.duration{service:api} > 0.5"
  message = "API latency is high"
}
`;

const run = hclRun('observability', HCL);

describe('terraform observability rules', () => {
  it('log groups: no retention is kept for ever (null), a number of days, or the expression that sets it', () => {
    expect(run.infra('aws_cloudwatch_log_group.forever')?.details).toMatchObject({ retentionDays: null });
    expect(run.infra('aws_cloudwatch_log_group.api')?.details).toMatchObject({ retentionDays: 14, encrypted: true });
    expect(run.infra('aws_cloudwatch_log_group.configured')?.details).toMatchObject({ retentionDays: 'var.log_retention_days' });
  });

  it('a metric alarm and a Datadog monitor, named without the interpolation', () => {
    expect(run.infra('aws_cloudwatch_metric_alarm.cpu')?.details).toMatchObject({
      metric: 'CPUUtilization',
      namespace: 'AWS/ECS',
      threshold: 80,
      comparison: 'GreaterThanThreshold',
    });
    expect(run.infra('datadog_monitor.latency')?.details).toMatchObject({ monitorType: 'metric alert', monitorName: 'API-latency' });
  });
});
