import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { scanBlocks } from './hcl-blocks.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('aws-ecs-platform');
}, 60_000);

const infra = (id: string) => m.infrastructure.find((f) => f.id === `infra:infra/terraform/${id}`);

describe('terraform analyzer on aws-ecs-platform', () => {
  it('classifies resources into roles with the line of each block', () => {
    expect(infra('aws_lb.api')).toMatchObject({ role: 'edge', type: 'aws_lb', evidence: [{ file: 'infra/terraform/edge.tf', line: 1 }] });
    expect(infra('aws_ecs_service.api')).toMatchObject({ role: 'compute', evidence: [{ file: 'infra/terraform/compute.tf', line: 42 }] });
    expect(infra('aws_db_instance.orders')?.role).toBe('data');
    expect(infra('aws_sqs_queue.order_events')?.role).toBe('messaging');
    expect(infra('aws_secretsmanager_secret.db')?.role).toBe('secrets');
    expect(infra('aws_cloudwatch_log_group.api')).toMatchObject({ role: 'observability', details: { retentionDays: 30 } });
    expect(infra('aws_subnet.private')?.details?.subnet).toBe('private');
    expect(infra('aws_subnet.public')?.details?.subnet).toBe('public');
    expect(infra('aws_db_instance.orders_replica')?.details?.subnet).toBe('private');
  });

  it('reads TLS policy, multi-AZ, encryption, instance class and places resources in subnets', () => {
    expect(infra('aws_lb_listener.https')?.details).toMatchObject({ tlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', port: 443 });
    expect(infra('aws_db_instance.orders')?.details).toMatchObject({
      multiAz: true,
      encryptedAtRest: true,
      backupRetentionDays: 14,
      instanceClass: 'var.db_instance_class',
      subnet: 'private',
    });
    expect(infra('aws_elasticache_replication_group.cache')?.details).toMatchObject({ nodeType: 'cache.t4g.medium', nodes: 2, multiAz: true });
    expect(infra('aws_ecs_service.api')?.details).toMatchObject({ deploymentStrategy: { kind: 'rolling-update' }, subnet: 'private' });
    expect(infra('aws_lb.api')?.details?.connectsTo).toEqual(['infra:infra/terraform/aws_ecs_service.api']);
    expect(infra('aws_ecs_service.api')?.details?.connectsTo).toEqual([
      'infra:infra/terraform/aws_db_instance.orders',
      'infra:infra/terraform/aws_elasticache_replication_group.cache',
    ]);
  });

  it('never puts variable defaults, tfvars values or secret values in the model', () => {
    const json = JSON.stringify(m);
    expect(json).not.toContain('change-me-Sup3rS3cret!');
    expect(json).not.toContain('prod-password-do-not-commit');
    expect(json).not.toContain('db.r6g.xlarge');
    expect(json).not.toContain('hard-coded-signing-secret');
    expect(json).not.toContain('eu-west-1"'.replace('"', '') + '-default');
    const root = m.infrastructure.find((f) => f.id === 'infra:infra/terraform/terraform');
    expect(root?.details).toMatchObject({
      variables: ['db_instance_class', 'db_password', 'environment', 'image_tag', 'region'],
      sensitiveVariables: ['db_password'],
      stateBackend: 's3',
    });
  });

  it('reports infrastructure security findings with file and line', () => {
    const byRule = (rule: string) => m.security.filter((s) => s.details?.rule === rule);
    expect(byRule('ingress-open-database-port')).toEqual([
      expect.objectContaining({ severity: 'high', evidence: [{ file: 'infra/terraform/network.tf', line: 88 }] }),
    ]);
    expect(byRule('ingress-open-admin-port')[0]?.evidence[0]?.file).toBe('infra/legacy/bastion.tf');
    expect(byRule('public-bucket')[0]).toMatchObject({ severity: 'high', details: { resource: 'aws_s3_bucket.exports' } });
    expect(byRule('tls-below-1-2').map((s) => s.details?.resource)).toEqual(['aws_cloudfront_distribution.web']);
    expect(byRule('cache-no-transit-encryption')).toHaveLength(1);
    expect(m.security.find((s) => s.id.includes('committed-secret-signing_secret'))?.severity).toBe('high');
    // The HTTP listener redirects to HTTPS: no plain-HTTP finding.
    expect(byRule('plain-http-listener')).toEqual([]);
  });

  it('derives recovery and scaling facts', () => {
    const cats = m.recovery.filter((r) => r.tech === 'terraform').map((r) => `${r.category} ${r.details?.resource}`);
    expect(cats).toEqual(
      expect.arrayContaining([
        'backup aws_db_instance.orders',
        'point-in-time-recovery aws_db_instance.orders',
        'multi-az aws_db_instance.orders',
        'read-replica aws_db_instance.orders',
        'versioning aws_s3_bucket.assets',
        'multi-az aws_elasticache_replication_group.cache',
      ]),
    );
    const ecs = m.scaling.find((s) => s.id === 'scaling:infra/terraform/aws_ecs_service.api');
    expect(ecs).toMatchObject({
      category: 'autoscaling',
      details: { min: 2, max: 10, desired: 2, policies: [{ by: 'target-tracking', metric: 'ECSServiceAverageCPUUtilization', target: 60 }] },
    });
    expect(m.deployment.containers.find((c) => c.id === 'container:ecs:orders-api/api')?.component).toBe('component:services/api');
  });

  it('provisions data stores and queues that merge with the code analyzers', () => {
    expect(m.dataStores.map((d) => d.id)).toEqual(expect.arrayContaining(['datastore:postgresql', 'datastore:redis', 'datastore:s3']));
    const q = m.queues.find((x) => x.id === 'queue:order-events');
    expect(q).toMatchObject({ tech: 'Amazon SQS', details: { deadLetterQueue: 'order-events-dlq' } });
    expect(m.queues.find((x) => x.id === 'queue:order-notifications')?.tech).toBe('Amazon SNS');
  });

  it('turns a broken HCL block into a warning with its line and keeps the other blocks', () => {
    const w = m.warnings.filter((x) => x.analyzer === 'terraform');
    expect(w).toEqual([expect.objectContaining({ file: 'infra/legacy/bastion.tf', line: 14 })]);
    expect(m.infrastructure.some((f) => f.id === 'infra:infra/legacy/aws_s3_bucket.legacy_logs')).toBe(true);
    expect(m.infrastructure.some((f) => f.id === 'infra:infra/legacy/aws_instance.bastion')).toBe(false);
  });

  it('names environments from root paths', () => {
    expect(m.deployment.environments.map((e) => e.id)).toEqual(['environment:production', 'environment:staging']);
  });
});

describe('HCL block scanner', () => {
  it('skips strings, comments and heredocs', () => {
    const text = [
      '# resource "fake" "x" {',
      'resource "aws_s3_bucket" "a" {',
      '  policy = <<EOF',
      '{ "not": "a block {" }',
      'EOF',
      '  tags = { Name = "}" }',
      '}',
      '/* module "m" { */',
      'module "vpc" {',
      '  source = "x"',
      '}',
    ].join('\n');
    expect(scanBlocks(text).map((b) => `${b.keyword}.${b.labels.join('.')}@${b.line}-${b.endLine}`)).toEqual([
      'resource.aws_s3_bucket.a@2-7',
      'module.vpc@9-11',
    ]);
  });
});
