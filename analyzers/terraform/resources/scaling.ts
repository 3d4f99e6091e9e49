/**
 * Scaling rules: EC2 Auto Scaling groups and policies, Application Auto Scaling targets and
 * policies, Lambda provisioned concurrency, EKS/GKE/AKS node pools, Cloud Run and Azure autoscale.
 */
import { at, isTrue, one, show, showString } from '../values.js';
import { type Rules, pick, set } from '../out.js';
import type { ScalingPolicy } from '../../../src/model/details.js';

/** A target-tracking policy: its metric (undefined: a custom one not named) and target value. */
function targetTracking(metric: string | undefined, cfg: Record<string, unknown>): ScalingPolicy {
  const target = show(cfg.target_value);
  return { by: 'target-tracking', ...(metric !== undefined ? { metric } : {}), ...(target !== undefined ? { target } : {}) };
}

/** Another policy, known by its type as written (undefined: step scaling). */
function policyType(v: unknown): ScalingPolicy {
  const type = showString(v);
  return { by: 'policy-type', ...(type !== undefined ? { type } : {}) };
}

export const SCALING: Rules = {
  aws_lambda_provisioned_concurrency_config({ out, b, body }) {
    const fn = out.ref(b, 'aws_lambda_function');
    if (fn) out.scaling(fn, 'concurrency', { statement: 'provisioned-concurrency' }, { min: show(body.provisioned_concurrent_executions)! }, out.ev(b));
  },
  aws_autoscaling_group({ out, b, d, body }) {
    set(d, 'min', body.min_size);
    set(d, 'max', body.max_size);
    set(d, 'desired', body.desired_capacity);
    out.scaling(b, 'autoscaling', { statement: 'ec2-auto-scaling-group' }, pick(d, ['min', 'max', 'desired']), out.ev(b, 'max_size'));
  },
  aws_autoscaling_policy({ out, b, body }) {
    const asg = out.ref(b, 'aws_autoscaling_group');
    const cfg = one(body.target_tracking_configuration);
    if (asg && cfg) {
      const metric = showString(at(cfg, 'predefined_metric_specification', 'predefined_metric_type'));
      out.scaling(asg, 'autoscaling', { statement: 'ec2-auto-scaling-group' }, { policies: [targetTracking(metric, cfg)] }, out.ev(b));
    }
  },
  aws_appautoscaling_target({ out, b, d, body }) {
    const target = out.ref(b, 'aws_ecs_service', 'aws_dynamodb_table', 'aws_rds_cluster', 'aws_lambda_alias') ?? b;
    set(d, 'min', body.min_capacity);
    set(d, 'max', body.max_capacity);
    set(d, 'dimension', body.scalable_dimension);
    out.scaling(
      target,
      'autoscaling',
      { statement: target === b ? 'scales' : 'application-auto-scaling' },
      { ...pick(d, ['min', 'max']), ...(d.dimension !== undefined ? { dimension: d.dimension } : {}) },
      out.ev(b, 'max_capacity'),
    );
  },
  aws_appautoscaling_policy({ out, b, body }) {
    const tgt = out.ref(b, 'aws_appautoscaling_target');
    const target = (tgt && out.ref(tgt, 'aws_ecs_service', 'aws_dynamodb_table', 'aws_rds_cluster', 'aws_lambda_alias')) ?? tgt;
    const cfg = one(body.target_tracking_scaling_policy_configuration);
    if (target && cfg) {
      const metric =
        showString(at(cfg, 'predefined_metric_specification', 'predefined_metric_type')) ??
        showString(at(cfg, 'customized_metric_specification', 'metric_name'));
      out.scaling(target, 'autoscaling', { statement: 'scales' }, { policies: [targetTracking(metric, cfg)] }, out.ev(b));
    } else if (target) {
      out.scaling(target, 'autoscaling', { statement: 'scales' }, { policies: [policyType(body.policy_type)] }, out.ev(b));
    }
  },
  aws_eks_node_group({ out, b, d, body }) {
    const sc = one(body.scaling_config);
    set(d, 'min', sc?.min_size);
    set(d, 'max', sc?.max_size);
    set(d, 'desired', sc?.desired_size);
    if (Array.isArray(body.instance_types)) d.instanceTypes = body.instance_types.map(String);
    if (sc) out.scaling(b, 'autoscaling', { statement: 'eks-node-group' }, pick(d, ['min', 'max', 'desired']), out.ev(b, 'scaling_config'));
  },
  google_cloud_run_v2_service({ out, b, d, body }) {
    const s = one(at(body, 'template', 'scaling'));
    if (s) {
      set(d, 'min', s.min_instance_count);
      set(d, 'max', s.max_instance_count);
      out.scaling(b, 'autoscaling', { statement: 'cloud-run' }, pick(d, ['min', 'max']), out.ev(b, 'scaling'));
    }
    set(d, 'ingress', body.ingress);
  },
  google_container_node_pool({ out, b, d, body }) {
    const a = one(body.autoscaling);
    set(d, 'machineType', at(body, 'node_config', 'machine_type'));
    if (a) {
      set(d, 'min', a.min_node_count ?? a.total_min_node_count);
      set(d, 'max', a.max_node_count ?? a.total_max_node_count);
      out.scaling(b, 'autoscaling', { statement: 'gke-node-pool' }, pick(d, ['min', 'max']), out.ev(b, 'autoscaling'));
    }
  },
  azurerm_kubernetes_cluster({ out, b, d, body }) {
    const pool = one(body.default_node_pool);
    set(d, 'vmSize', pool?.vm_size);
    if (pool && (isTrue(pool.enable_auto_scaling) || isTrue(pool.auto_scaling_enabled))) {
      set(d, 'min', pool.min_count);
      set(d, 'max', pool.max_count);
      out.scaling(b, 'autoscaling', { statement: 'aks-default-node-pool' }, pick(d, ['min', 'max']), out.ev(b, 'default_node_pool'));
    }
  },
  azurerm_monitor_autoscale_setting({ out, b, body }) {
    const cap = one(at(body, 'profile', 'capacity'));
    const target = out.ref(b) ?? b;
    if (cap)
      out.scaling(
        target,
        'autoscaling',
        { statement: 'azure-autoscale' },
        { min: show(cap.minimum) ?? '?', max: show(cap.maximum) ?? '?', desired: show(cap.default) ?? '?' },
        out.ev(b, 'capacity'),
      );
  },
};
