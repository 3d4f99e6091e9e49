/**
 * Compute rules: ECS services, task definitions and clusters, Lambda functions (with secrets set as
 * literal environment values), EC2 instances and launch templates, EKS clusters.
 */
import { looksLikeCommittedSecret } from '../../../src/analysis/secrets.js';
import { at, isExpression, isTrue, literalName, many, num, one, show, showString } from '../values.js';
import { type Rules, set } from '../out.js';
import { idOf } from '../../../src/model/ids.js';
import type { Rollout } from '../../../src/model/details.js';
import { taskContainers } from './ecs-containers.js';

export const COMPUTE: Rules = {
  aws_ecs_service({ out, b, d, body }) {
    set(d, 'desiredCount', body.desired_count);
    set(d, 'launchType', body.launch_type);
    const controller = String(show(at(body, 'deployment_controller', 'type')) ?? 'ECS');
    const strategy: Rollout =
      controller === 'CODE_DEPLOY'
        ? { kind: 'blue-green', controller: 'codedeploy' }
        : controller === 'EXTERNAL'
          ? { kind: 'external' }
          : { kind: 'rolling-update' };
    d.deploymentStrategy = strategy;
    set(d, 'minimumHealthyPercent', body.deployment_minimum_healthy_percent);
    set(d, 'maximumPercent', body.deployment_maximum_percent);
    const breaker = one(body.deployment_circuit_breaker);
    if (breaker) d.circuitBreakerRollback = isTrue(breaker.rollback);
    const cp = many(body.capacity_provider_strategy)
      .map((c) => showString(c.capacity_provider))
      .filter((x): x is string => !!x);
    if (cp.length) d.capacityProviders = cp;
    if (isTrue(at(body, 'network_configuration', 'assign_public_ip'))) d.publicIp = true;
    if (num(body.desired_count) !== undefined) {
      out.scaling(b, 'replicas', { statement: 'scales' }, { desired: num(body.desired_count)! }, out.ev(b, 'desired_count'));
    }
    const workloadId = idOf.workload('ecs', b.name);
    // The task definition it runs states its CPU and memory (the Scaling section reads them there).
    const task = out.ref(b, 'aws_ecs_task_definition');
    out.ctx.emit('workloads', {
      id: workloadId,
      name: String(literalName(body.name) ?? b.name),
      kind: 'ECS service',
      details: {
        source: 'terraform',
        resource: b.address,
        ...(d.desiredCount !== undefined ? { replicas: d.desiredCount as number } : {}),
        strategy,
        ...(d.launchType !== undefined ? { launchType: d.launchType as string } : {}),
        ...(task ? { sizedBy: task.id } : {}),
      },
      evidence: [out.ev(b)],
    });
  },
  aws_ecs_task_definition({ out, b, d, body }) {
    set(d, 'cpu', body.cpu);
    set(d, 'memory', body.memory);
    set(d, 'networkMode', body.network_mode);
    const compat = body.requires_compatibilities;
    if (Array.isArray(compat)) d.compatibilities = compat.map(String);
    taskContainers(out, b);
  },
  aws_ecs_cluster({ d, body }) {
    const insights = many(body.setting).find((s) => s.name === 'containerInsights');
    if (insights) set(d, 'containerInsights', insights.value);
  },
  aws_lambda_function({ out, b, d, body }) {
    set(d, 'runtime', body.runtime);
    set(d, 'handler', body.handler);
    set(d, 'memoryMb', body.memory_size);
    set(d, 'timeoutSeconds', body.timeout);
    set(d, 'reservedConcurrency', body.reserved_concurrent_executions);
    set(d, 'packageType', body.package_type);
    const vars = one(at(body, 'environment'))?.variables;
    const rec = one(vars);
    if (rec) {
      d.environment = Object.keys(rec).sort();
      for (const [k, v] of Object.entries(rec)) {
        if (!isExpression(v) && looksLikeCommittedSecret(k, v)) {
          out.security(b, `committed-secret-${k.toLowerCase()}`, 'high', { statement: 'literal-secret-environment', setting: k }, k);
        }
      }
    }
    // The handler (`module.export`) with the root's string locals substituted; none when anything else is interpolated.
    const handler = out.resolved(body.handler);
    out.ctx.emit('workloads', {
      id: idOf.workload('lambda', literalName(body.function_name) ?? b.name),
      name: String(literalName(body.function_name) ?? b.name),
      kind: 'Lambda function',
      details: {
        source: 'terraform',
        resource: b.address,
        ...(d.runtime !== undefined ? { runtime: d.runtime as string } : {}),
        ...(handler ? { handler } : {}),
        ...(d.memoryMb !== undefined ? { memoryMb: String(d.memoryMb) } : {}),
      },
      evidence: [out.ev(b)],
    });
    if (body.reserved_concurrent_executions !== undefined) {
      out.scaling(
        b,
        'concurrency',
        { statement: 'reserved-concurrency' },
        { max: show(body.reserved_concurrent_executions)! },
        out.ev(b, 'reserved_concurrent_executions'),
      );
    }
  },
  aws_instance({ d, body }) {
    set(d, 'instanceType', body.instance_type);
    if (isTrue(body.associate_public_ip_address)) d.subnet = 'public';
  },
  aws_launch_template({ d, body }) {
    set(d, 'instanceType', body.instance_type);
  },
  aws_eks_cluster({ d, body }) {
    set(d, 'version', body.version);
    if (isTrue(at(body, 'vpc_config', 'endpoint_public_access')) || at(body, 'vpc_config', 'endpoint_public_access') === undefined) {
      d.publicEndpoint = true;
    }
  },
};
