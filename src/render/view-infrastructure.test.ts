import { describe, expect, it } from 'vitest';
import { INFRA_STATEMENTS } from '../model/infra-statements.js';
import { healthcheckOf, policiesOf, policyOf, rolloutOf, statementOf, type StatementDetails } from './view-infrastructure.js';

const said = (details: StatementDetails, name = details.resource ?? 'fact') => statementOf({ name, details });

describe('statementOf (infrastructure facts in words)', () => {
  it('words a finding from its setting and value', () => {
    expect(said({ statement: 'tls-setting-below-1-2', resource: 'google_compute_ssl_policy.legacy', setting: 'min_tls_version', value: 'TLS_1_0' })).toBe(
      'google_compute_ssl_policy.legacy accepts TLS versions below 1.2 (min_tls_version = TLS_1_0)',
    );
    expect(said({ statement: 'ingress-open-ports', resource: 'aws_security_group.db', ports: ['22 (SSH)', '5432 (PostgreSQL)'] })).toBe(
      'aws_security_group.db allows inbound traffic from anywhere (0.0.0.0/0) on 22 (SSH), 5432 (PostgreSQL)',
    );
    expect(said({ statement: 'literal-secret-container-environment', resource: 'aws_ecs_task_definition.api', setting: 'JWT_SECRET', container: 'api' })).toBe(
      "aws_ecs_task_definition.api sets JWT_SECRET to a literal value in container api's environment (a secret committed to the repository)",
    );
    expect(said({ statement: 'bucket-public-access-block-off', resource: 'aws_s3_bucket.logs', values: ['block_public_acls', 'ignore_public_acls'] })).toBe(
      'aws_s3_bucket.logs can be read publicly: public access block disabled (block_public_acls, ignore_public_acls = false)',
    );
    expect(said({ statement: 'bucket-all-users', resource: 'google_storage_bucket.media', grantedBy: 'google_storage_bucket_iam_member.public' })).toBe(
      'google_storage_bucket.media is readable by anyone (google_storage_bucket_iam_member.public grants allUsers)',
    );
  });

  it('a plain HTTP listener without a port reads `?`', () => {
    expect(said({ statement: 'plain-http-listener', resource: 'aws_lb_listener.http' })).toBe(
      'aws_lb_listener.http serves plain HTTP on port ? without redirecting to HTTPS',
    );
    expect(said({ statement: 'plain-http-listener', resource: 'aws_lb_listener.http', value: 8080 })).toBe(
      'aws_lb_listener.http serves plain HTTP on port 8080 without redirecting to HTTPS',
    );
  });

  it('counts take the singular for one', () => {
    expect(said({ statement: 'daily-backups', resource: 'aws_db_instance.a', retentionDays: 1 })).toBe('aws_db_instance.a: automated daily backups kept 1 day');
    expect(said({ statement: 'daily-backups', resource: 'aws_db_instance.a', retentionDays: 14 })).toBe(
      'aws_db_instance.a: automated daily backups kept 14 days',
    );
    expect(said({ statement: 'cluster-instances', resource: 'aws_rds_cluster.a', instances: 2 })).toBe(
      'aws_rds_cluster.a runs 2 instances (one writer and 1 reader)',
    );
    expect(said({ statement: 'cluster-instances', resource: 'aws_rds_cluster.a', instances: 3 })).toBe(
      'aws_rds_cluster.a runs 3 instances (one writer and 2 readers)',
    );
    expect(said({ statement: 'cache-replica-nodes', resource: 'aws_elasticache_replication_group.c', value: 1 })).toBe(
      'aws_elasticache_replication_group.c keeps 1 replica node with automatic failover',
    );
  });

  it('a read replica is named by the replica; a backup plan rule by its name, schedule and retention', () => {
    expect(said({ statement: 'has-read-replica', resource: 'aws_db_instance.main', replica: 'aws_db_instance.copy' })).toBe(
      'aws_db_instance.main has a read replica (aws_db_instance.copy)',
    );
    expect(said({ statement: 'is-read-replica', resource: 'google_sql_database_instance.main', replica: 'google_sql_database_instance.copy' })).toBe(
      'google_sql_database_instance.copy is a read replica',
    );
    expect(said({ statement: 'backup-plan-rule', resource: 'aws_backup_plan.daily', value: 'daily', schedule: 'cron(0 5 * * ? *)', retentionDays: 35 })).toBe(
      'aws_backup_plan.daily: AWS Backup rule daily on cron(0 5 * * ? *), kept 35 days',
    );
    expect(said({ statement: 'backup-plan-rule', resource: 'aws_backup_plan.daily', value: '' })).toBe('aws_backup_plan.daily: AWS Backup rule');
  });

  it('scaling targets by what scales them; an Application Auto Scaling dimension in words', () => {
    expect(said({ statement: 'scales', resource: 'aws_ecs_service.api' })).toBe('aws_ecs_service.api');
    expect(said({ statement: 'ec2-auto-scaling-group', resource: 'aws_autoscaling_group.web' })).toBe('aws_autoscaling_group.web (EC2 Auto Scaling group)');
    expect(said({ statement: 'application-auto-scaling', resource: 'aws_dynamodb_table.t', dimension: 'dynamodb:table:WriteCapacityUnits' })).toBe(
      'aws_dynamodb_table.t (DynamoDB write capacity)',
    );
    expect(said({ statement: 'application-auto-scaling', resource: 'aws_ecs_service.api', dimension: 'ecs:service:DesiredCount' })).toBe(
      'aws_ecs_service.api (ECS tasks)',
    );
    expect(said({ statement: 'application-auto-scaling', resource: 'x.y' })).toBe('x.y (capacity)');
    expect(said({ statement: 'module-scaling', resource: 'module.asg', module: 'terraform-aws-modules/autoscaling/aws' })).toBe(
      'module.asg (module terraform-aws-modules/autoscaling/aws)',
    );
  });

  it('a fact without a statement, or with one it does not know, reads as its name', () => {
    expect(statementOf({ name: 'JWT signed without an expiry' })).toBe('JWT signed without an expiry');
    expect(statementOf({ name: 'n', details: { statement: 'constructor' } })).toBe('n');
    expect(statementOf({ name: 'n', details: { statement: 'no-such-statement' } })).toBe('n');
  });

  it('every statement is worded, naming the resource it concerns', () => {
    for (const statement of INFRA_STATEMENTS) {
      const all = {
        setting: 's',
        value: 'v',
        values: ['v'],
        ports: ['22 (SSH)'],
        container: 'c',
        grantedBy: 'g',
        module: 'm',
        schedule: 'x',
        retentionDays: 2,
        windowDays: 2,
        instances: 2,
        regions: ['r'],
        dimension: 'ecs:service:DesiredCount',
      };
      const text = said({ statement, resource: 'aws_x.y', replica: 'aws_x.y', ...all });
      expect(text, statement).toMatch(/aws_x\.y/);
      expect(text, statement).not.toMatch(/undefined|\[object/);
    }
  });
});

describe('rollouts, scaling policies and health checks in words', () => {
  it('words each rollout as the analyzers record it', () => {
    expect(rolloutOf({ kind: 'rolling-update', defaulted: true })).toBe('rolling update (default)');
    expect(rolloutOf({ kind: 'rolling-update' })).toBe('rolling update');
    expect(rolloutOf({ kind: 'rolling-update', rollingUpdate: { maxSurge: '25%' } })).toBe('rolling update (max surge 25%, max unavailable default)');
    expect(rolloutOf({ kind: 'recreate' })).toBe('recreate');
    expect(rolloutOf({ kind: 'canary', controller: 'argo-rollouts' })).toBe('canary (Argo Rollouts)');
    expect(rolloutOf({ kind: 'blue-green', controller: 'argo-rollouts' })).toBe('blue/green (Argo Rollouts)');
    expect(rolloutOf({ kind: 'unspecified', controller: 'argo-rollouts' })).toBe('Argo Rollout');
    expect(rolloutOf({ kind: 'blue-green', controller: 'codedeploy' })).toBe('blue/green (CodeDeploy)');
    expect(rolloutOf({ kind: 'external' })).toBe('external controller');
    expect(rolloutOf({ kind: 'other', type: 'OnDelete' })).toBe('OnDelete');
  });

  it('words each scaling policy from its metric and target', () => {
    expect(policyOf({ by: 'resource', resource: 'cpu', utilisation: 70 })).toBe('CPU utilisation 70%');
    expect(policyOf({ by: 'resource', resource: 'memory', average: '500Mi' })).toBe('memory average 500Mi');
    expect(policyOf({ by: 'resource' })).toBe('resource (target not stated)');
    expect(policyOf({ by: 'metric', source: 'pods', metric: 'rps', target: 100 })).toBe('pods metric rps target 100');
    expect(policyOf({ by: 'metric', source: 'external' })).toBe('external metric (name not stated)');
    expect(policyOf({ by: 'target-tracking', metric: 'ECSServiceAverageCPUUtilization', target: 60 })).toBe('ECSServiceAverageCPUUtilization target 60');
    expect(policyOf({ by: 'target-tracking' })).toBe('custom metric target not stated');
    expect(policyOf({ by: 'trigger', trigger: 'kafka' })).toBe('KEDA trigger kafka');
    expect(policyOf({ by: 'policy-type', type: 'StepScaling' })).toBe('StepScaling scaling');
    expect(policyOf({ by: 'policy-type' })).toBe('step scaling');
    expect(policyOf({ by: 'lambda-concurrency' })).toBe('Lambda concurrency');
    expect(
      policiesOf([
        { by: 'resource', resource: 'cpu', utilisation: 70 },
        { by: 'resource', resource: 'memory', utilisation: 80 },
      ]),
    ).toBe('CPU utilisation 70%; memory utilisation 80%');
    expect(policiesOf(undefined)).toBe('');
  });

  it("words a container's health check: its command, one declared in an ECS task definition, or none", () => {
    const c = { id: 'container:x', name: 'x', ports: [], evidence: [] };
    expect(healthcheckOf({ ...c, healthcheck: 'curl -f http://localhost/health' })).toBe('curl -f http://localhost/health');
    expect(healthcheckOf({ ...c, details: { taskDefinition: 'aws_ecs_task_definition.api', healthcheckDeclared: true } })).toBe('ECS container health check');
    expect(healthcheckOf(c)).toBe('none');
  });
});
