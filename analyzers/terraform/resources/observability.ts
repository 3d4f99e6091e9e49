/**
 * Observability rules: CloudWatch log groups (retention) and metric alarms, Datadog monitors.
 */
import { literalName, num } from '../values.js';
import { type Rules, set } from '../out.js';

export const OBSERVABILITY: Rules = {
  aws_cloudwatch_log_group({ d, body }) {
    const days = num(body.retention_in_days);
    if (days !== undefined) d.retentionDays = days;
    else if (body.retention_in_days === undefined) d.retentionDays = null;
    else set(d, 'retentionDays', body.retention_in_days);
    if (body.kms_key_id !== undefined) d.encrypted = true;
  },
  aws_cloudwatch_metric_alarm({ d, body }) {
    set(d, 'metric', body.metric_name);
    set(d, 'namespace', body.namespace);
    set(d, 'threshold', body.threshold);
    set(d, 'comparison', body.comparison_operator);
  },
  datadog_monitor({ d, body }) {
    set(d, 'monitorType', body.type);
    set(d, 'monitorName', literalName(body.name));
  },
};
