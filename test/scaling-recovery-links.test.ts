/**
 * What the Scaling and Disaster recovery syntheses join on, as the analyzers record it: a scaling
 * fact names the workload it scales, a recovery fact the store it protects, an ECS service the
 * resource that states its size, and containers and compose services their CPU and memory, typed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from './helpers.js';
import type { Model } from '../src/model/schema.js';

let ecs: Model;
let shop: Model;
beforeAll(async () => {
  [ecs, shop] = await Promise.all([analyseFixture('aws-ecs-platform'), analyseFixture('compose-run-shop')]);
}, 120_000);

describe('scaling and recovery joins', () => {
  it('Terraform: the ECS service autoscaling names its workload, the workload its task definition; a Lambda its memory', () => {
    const s = ecs.scaling.find((f) => f.id === 'scaling:infra/terraform/aws_ecs_service.api');
    expect(s?.details).toMatchObject({ workload: 'workload:ecs:api', min: 2, max: 10, desired: 2 });
    const w = ecs.deployment.workloads.find((x) => x.id === 'workload:ecs:api');
    expect(w?.details?.sizedBy).toBe('infra:infra/terraform/aws_ecs_task_definition.api');
    expect(ecs.deployment.workloads.find((x) => x.id === 'workload:lambda:orders-thumbnailer')?.details?.memoryMb).toBe('512');
    // Serverless Framework reserved concurrency names its function.
    expect(ecs.scaling.find((f) => f.id === 'scaling:lambda:orders-notifier-sendConfirmation')?.details?.workload).toBe(
      'workload:lambda:orders-notifier-sendConfirmation',
    );
  });

  it('Terraform: every recovery fact of a resource names that resource as its store, a replica its primary', () => {
    const stores = new Set(ecs.infrastructure.map((i) => i.id));
    for (const r of ecs.recovery) expect(stores.has(r.details?.store ?? '')).toBe(true);
    expect(ecs.recovery.find((r) => r.category === 'read-replica')?.details?.store).toBe('infra:infra/terraform/aws_db_instance.orders');
    expect(ecs.recovery.find((r) => r.category === 'versioning')?.details?.store).toBe('infra:infra/terraform/aws_s3_bucket.assets');
  });

  it('Kubernetes requests and limits and compose deploy.resources are typed', () => {
    const c = shop.deployment.containers.find((x) => x.id === 'container:kubernetes:Deployment/catalogue/catalogue');
    expect(c?.details).toMatchObject({ cpuRequest: ['100m'], cpuLimit: ['500m'], memoryRequest: ['128Mi'], memoryLimit: ['256Mi'] });
    expect(shop.scaling.find((f) => f.id === 'scaling:kubernetes:Deployment/catalogue')?.details?.workload).toBe('workload:kubernetes:Deployment/catalogue');
    const relay = shop.deployment.workloads.find((x) => x.id === 'workload:compose:mail-relay');
    expect(relay?.details).toMatchObject({ replicas: 2, cpuLimit: ['0.50'], memoryLimit: ['256M'], memoryRequest: ['128M'] });
    expect(relay?.details?.cpuRequest).toBeUndefined();
  });
});
