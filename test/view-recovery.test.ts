import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { recoveryView, statefulStores } from '../src/render/view-recovery.js';
import { emptyModel } from '../src/model/empty.js';
import type { Infrastructure, RecoveryFact } from '../src/model/schema.js';

const at = (file: string, line: number) => [{ file, line }];
const store = (id: string, name: string, type: string, details: Infrastructure['details'], source = 'terraform'): Infrastructure => ({
  id,
  name,
  type,
  role: 'data',
  provider: 'aws',
  source,
  details: { primary: true, ...details },
  evidence: at('data.tf', 1),
});
const fact = (category: RecoveryFact['category'], storeId: string, details: RecoveryFact['details'], line: number): RecoveryFact => ({
  id: `recovery:${category}:${storeId}:${line}`,
  name: storeId,
  category,
  tech: 'terraform',
  details: { store: storeId, ...details },
  evidence: at('data.tf', line),
});

describe('recovery view (one row per data store)', () => {
  it('answers yes with the setting and its line, no where the code turns it off, not stated where it says nothing', () => {
    const db = 'infra:aws_db_instance.orders';
    const model = emptyModel({
      infrastructure: [
        store(db, 'aws_db_instance.orders', 'aws_db_instance', { multiAz: true, backupRetentionDays: 14 }),
        store('infra:aws_db_instance.replica', 'aws_db_instance.replica', 'aws_db_instance', { replicaOf: 'aws_db_instance.orders' }),
        store('infra:aws_db_instance.scratch', 'aws_db_instance.scratch', 'aws_db_instance', {
          backupRetentionDays: 0,
          multiAz: false,
          deletionProtection: false,
        }),
        store('infra:aws_dynamodb_table.t', 'aws_dynamodb_table.t', 'aws_dynamodb_table', { pointInTimeRecovery: false }),
        store('infra:aws_s3_bucket.site', 'aws_s3_bucket.site', 'aws_s3_bucket', { website: true }),
        store('infra:aws_sqs_queue.q', 'aws_sqs_queue.q', 'aws_sqs_queue', {}),
      ],
      recovery: [
        fact('backup', db, { retentionDays: 14, statement: 'daily-backups' }, 19),
        fact('point-in-time-recovery', db, { windowDays: 14 }, 19),
        fact('multi-az', db, { value: true }, 17),
        fact('read-replica', db, { replica: 'aws_db_instance.replica' }, 30),
        fact('deletion-protection', db, {}, 21),
        fact('final-snapshot', db, {}, 22),
      ],
    });
    const v = recoveryView(model);
    // The replica is in its primary's row; a bucket serving a website and a queue are no stores.
    expect(v.stores.map((r) => [r.name, r.backups.text, r.pointInTime.text, r.zonesAndReplicas.text, r.deletionProtection.text])).toEqual([
      [
        'aws_db_instance.orders',
        'yes, kept 14 days',
        'yes, 14-day window',
        'yes, multiple zones; read replica aws_db_instance.replica',
        'yes, final snapshot on deletion',
      ],
      ['aws_db_instance.scratch', 'no, retention 0 days', 'no, no backups to restore from', 'no, single zone', 'no'],
      ['aws_dynamodb_table.t', 'not stated', 'no', 'not stated', 'not stated'],
    ]);
    const [orders] = v.stores;
    expect(orders!.zonesAndReplicas.evidence).toEqual([...at('data.tf', 17), ...at('data.tf', 30)]);
    expect(orders!.deletionProtection.evidence).toEqual([...at('data.tf', 21), ...at('data.tf', 22)]);
    expect(v.silent).toBe(0);
    expect(v.other).toEqual([]);
  });

  it('reads CDK, CloudFormation and Pulumi stores by the Terraform type they correspond to; what does not apply says so', () => {
    const model = emptyModel({
      infrastructure: [
        store('infra:cfn:Table', 'Table', 'AWS::DynamoDB::Table', { terraformType: 'aws_dynamodb_table', removalPolicy: 'retain' }, 'cloudformation'),
        store('infra:cfn:Bucket', 'Bucket', 'AWS::S3::Bucket', { terraformType: 'aws_s3_bucket' }, 'cloudformation'),
      ],
      recovery: [fact('versioning', 'infra:cfn:Bucket', {}, 8)],
    });
    const v = recoveryView(model);
    expect(v.stores.map((r) => [r.name, r.type, r.backups.text, r.pointInTime.text, r.deletionProtection.text])).toEqual([
      ['Bucket', 'AWS::S3::Bucket', 'yes, object versioning', 'does not apply', 'does not apply'],
      ['Table', 'AWS::DynamoDB::Table', 'not stated', 'not stated', 'not stated, removal policy retain'],
    ]);
    // A removal policy is stated on the resource itself; nothing else is.
    expect(v.silent).toBe(0);
  });

  it('lists safeguards that name no store apart, by kind', () => {
    const model = emptyModel({
      recovery: [
        { id: 'recovery:backup:plan', name: 'aws_backup_plan.daily', category: 'backup', details: { retentionDays: 35 }, evidence: at('backup.tf', 3) },
        {
          id: 'recovery:disruption-budget:api',
          name: 'PodDisruptionBudget api',
          category: 'disruption-budget',
          details: { minAvailable: '1' },
          evidence: at('pdb.yaml', 1),
        },
      ],
    });
    const v = recoveryView(model);
    expect(v.stores).toEqual([]);
    expect(v.other.map((o) => [o.group, o.fact.id])).toEqual([
      ['Backups', 'recovery:backup:plan'],
      ['Disruption budgets', 'recovery:disruption-budget:api'],
    ]);
  });

  it('the template computes nothing: no resource type, no evidence path taken apart', () => {
    const template = readFileSync(new URL('../templates/sections/disaster-recovery.njk', import.meta.url), 'utf8');
    expect(template).not.toMatch(/aws_|google_|azurerm_|\.split\(|replace\(/);
  });
});

describe('data stores run in Kubernetes as StatefulSets', () => {
  const sts = (name: string, details: Record<string, unknown>) => ({
    id: `workload:kubernetes:StatefulSet/${name}`,
    name,
    kind: 'StatefulSet',
    details,
    evidence: [{ file: `k8s/${name}.yaml`, line: 2 }],
  });
  it('states replicas and volumes as written, backups not stated; a StatefulSet of no store and no volume is not one', () => {
    const rows = statefulStores([
      sts('orders-db', { images: ['postgres:16'], replicas: 1, volumeClaims: [{ name: 'data', storage: '20Gi', storageClass: 'gp3' }] }),
      sts('search', { images: ['example/indexer:1'], volumeClaims: [{ name: 'index' }] }),
      sts('cache-db', { images: ['redis:7'] }),
      sts('web', { images: ['example/web:1'], replicas: 3 }),
      { ...sts('api', { images: ['postgres:16'] }), kind: 'Deployment' },
    ]);
    expect(rows.map((r) => [r.workload, r.store ?? '-', r.replicas, r.volumes, r.backups])).toEqual([
      ['StatefulSet/cache-db', 'Redis', 'not stated', 'no volume claim template stated', 'not stated'],
      ['StatefulSet/orders-db', 'PostgreSQL', '1', 'data: 20Gi, storage class gp3', 'not stated'],
      ['StatefulSet/search', '-', 'not stated', 'index: size not stated, storage class not stated', 'not stated'],
    ]);
    expect(rows[1]!.evidence).toEqual([{ file: 'k8s/orders-db.yaml', line: 2 }]);
  });
});
