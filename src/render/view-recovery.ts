/**
 * The Disaster recovery section's view: one row per data store the infrastructure code makes
 * (databases, caches, tables, buckets, search domains; Terraform, CDK, CDK for Terraform, Pulumi,
 * CloudFormation, SAM and Serverless alike, by the Terraform type each corresponds to) with its
 * backups and retention, point-in-time recovery, multiple zones and replicas, and deletion
 * protection: yes, no or not stated, each with its evidence. A recovery fact joins its store by the
 * store's id (`details.store`); a fact that names no store of the table (a backup plan, a
 * disruption budget) is listed apart.
 */
import { compareStrings } from '../model/compare.js';
import type { Evidence, Infrastructure, Model, RecoveryFact, Workload } from '../model/schema.js';
import { dataStoreOfImage } from '../data/images.js';

export type Answer = 'yes' | 'no' | 'not stated' | 'does not apply';

interface Said {
  answer: Answer;
  /** What the repository says besides yes or no: `kept 14 days`, `read replica aws_db_instance.replica`. */
  detail?: string;
  evidence: Evidence[];
}

export interface RecoveryCell extends Said {
  /** The answer and its detail in words: `yes, kept 14 days`. */
  text: string;
}

export interface StoreRecoveryRow {
  name: string;
  /** The resource type as written (`AWS::DynamoDB::Table`, `aws_db_instance`). */
  type: string;
  backups: RecoveryCell;
  pointInTime: RecoveryCell;
  zonesAndReplicas: RecoveryCell;
  deletionProtection: RecoveryCell;
}

export interface OtherSafeguard {
  /** Backups, Replicas, Disruption budgets… */
  group: string;
  fact: RecoveryFact;
}

/** A data store run in Kubernetes as a StatefulSet, as its manifests state it. */
export interface StatefulStoreRow {
  /** `StatefulSet/catalog-db`. */
  workload: string;
  /** The store its image runs (`PostgreSQL`), when the image says. */
  store?: string;
  /** `1`, or `not stated`. */
  replicas: string;
  /** `data: 20Gi, storage class gp3` per claim template; `none stated` without one. */
  volumes: string;
  /** Never stated by a StatefulSet itself: `not stated`. */
  backups: 'not stated';
  evidence: Evidence[];
}

export interface RecoveryView {
  stores: StoreRecoveryRow[];
  /** Data stores run in Kubernetes (StatefulSets of a data store image, or with volume claim templates). */
  statefulSets: StatefulStoreRow[];
  /** Stores with no backup, point-in-time, replica or deletion setting stated at all. */
  silent: number;
  other: OtherSafeguard[];
}

/** Data stores, by the Terraform type they are or correspond to. */
const STORE_TYPES: ReadonlySet<string> = new Set([
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_docdb_cluster',
  'aws_dynamodb_table',
  'aws_elasticache_replication_group',
  'aws_elasticache_cluster',
  'aws_elasticache_serverless_cache',
  'aws_memorydb_cluster',
  'aws_s3_bucket',
  'aws_opensearch_domain',
  'aws_elasticsearch_domain',
  'google_sql_database_instance',
  'google_storage_bucket',
  'google_redis_instance',
  'azurerm_postgresql_flexible_server',
  'azurerm_mysql_flexible_server',
  'azurerm_postgresql_server',
  'azurerm_mysql_server',
  'azurerm_mssql_database',
  'azurerm_cosmosdb_account',
  'azurerm_redis_cache',
]);

/** Object stores and AWS caches: neither point-in-time recovery nor deletion protection applies to them. */
const BUCKETS_AND_AWS_CACHES = [
  'aws_s3_bucket',
  'google_storage_bucket',
  'aws_elasticache_replication_group',
  'aws_elasticache_cluster',
  'aws_elasticache_serverless_cache',
  'aws_memorydb_cluster',
];

/** Stores that have no point-in-time recovery to set (object stores, caches, search domains). */
const NO_POINT_IN_TIME: ReadonlySet<string> = new Set([
  ...BUCKETS_AND_AWS_CACHES,
  'google_redis_instance',
  'azurerm_redis_cache',
  'aws_opensearch_domain',
  'aws_elasticsearch_domain',
]);

/** Stores that have no deletion protection setting (buckets guard their objects by versioning and lifecycle instead; ElastiCache and MemoryDB have none). */
const NO_DELETION_PROTECTION: ReadonlySet<string> = new Set(BUCKETS_AND_AWS_CACHES);

/** Headings of the safeguards listed apart, in the order they are shown. */
export const SAFEGUARD_GROUPS: readonly (readonly [RecoveryFact['category'], string])[] = [
  ['backup', 'Backups'],
  ['point-in-time-recovery', 'Point-in-time recovery'],
  ['multi-az', 'Multiple availability zones'],
  ['multi-region', 'Multiple regions'],
  ['read-replica', 'Replicas'],
  ['replica', 'Replicas'],
  ['versioning', 'Versioning'],
  ['replication', 'Replication'],
  ['deletion-protection', 'Deletion protection'],
  ['final-snapshot', 'Final snapshots'],
  ['disruption-budget', 'Disruption budgets'],
];

const typeOf = (i: Infrastructure): string => i.details?.terraformType ?? i.type;

/** A store of the table: a main data resource of a store type, not a replica of another, not a bucket serving a website. */
export function isStore(i: Infrastructure): boolean {
  const d = i.details ?? {};
  return i.role === 'data' && d.primary === true && STORE_TYPES.has(typeOf(i)) && d.replicaOf === undefined && d.website !== true;
}

const days = (n: unknown): string => `${String(n)} day${Number(n) === 1 ? '' : 's'}`;
const evidenceOf = (facts: RecoveryFact[]): Evidence[] => facts.flatMap((f) => f.evidence);
const unknown = (detail?: string): Said => ({ answer: 'not stated', ...(detail ? { detail } : {}), evidence: [] });

function backups(i: Infrastructure, facts: RecoveryFact[]): Said {
  const d = i.details ?? {};
  const said = facts.filter((f) => f.category === 'backup' || f.category === 'versioning');
  if (said.length) {
    const details = said.map((f) => {
      const fd = f.details ?? {};
      if (f.category === 'versioning') return 'object versioning';
      if (fd.retentionDays !== undefined) return `kept ${days(fd.retentionDays)}`;
      if (fd.statement === 'backups-kept-as-set') return `retention set by ${String(fd.value ?? fd.setting ?? 'an expression')}`;
      if (fd.statement === 'automated-backups') return fd.value !== undefined ? `${String(fd.value)} kept` : 'automated';
      return 'yes';
    });
    const detail = [...new Set(details)].filter((x) => x !== 'yes').join('; ');
    return { answer: 'yes', ...(detail ? { detail } : {}), evidence: evidenceOf(said) };
  }
  if (d.backupRetentionDays === 0 || d.snapshotRetentionDays === 0) return { answer: 'no', detail: 'retention 0 days', evidence: i.evidence };
  if (d.versioning === false) return { answer: 'no', detail: 'versioning off', evidence: i.evidence };
  return unknown();
}

function pointInTime(i: Infrastructure, facts: RecoveryFact[]): Said {
  const d = i.details ?? {};
  const said = facts.filter((f) => f.category === 'point-in-time-recovery');
  if (said.length) {
    const window = said.map((f) => f.details?.windowDays).find((w) => w !== undefined);
    return { answer: 'yes', ...(window !== undefined ? { detail: `${String(window)}-day window` } : {}), evidence: evidenceOf(said) };
  }
  if (d.pointInTimeRecovery === false) return { answer: 'no', evidence: i.evidence };
  if (d.backupRetentionDays === 0) return { answer: 'no', detail: 'no backups to restore from', evidence: i.evidence };
  if (NO_POINT_IN_TIME.has(typeOf(i))) return { answer: 'does not apply', evidence: [] };
  return unknown();
}

function zonesAndReplicas(i: Infrastructure, facts: RecoveryFact[]): Said {
  const d = i.details ?? {};
  const said = facts.filter((f) => ['multi-az', 'multi-region', 'read-replica', 'replica', 'replication'].includes(f.category));
  if (said.length) {
    const words = said.map((f) => {
      const fd = f.details ?? {};
      switch (f.category) {
        case 'multi-az':
          return 'multiple zones';
        case 'multi-region':
          return fd.regions?.length ? `regions ${fd.regions.join(', ')}` : 'multiple regions';
        case 'read-replica':
          return fd.replica !== undefined ? `read replica ${fd.replica}` : fd.instances !== undefined ? `${String(fd.instances)} instances` : 'read replica';
        case 'replica':
          return 'replica nodes';
        default:
          return 'replicated';
      }
    });
    return { answer: 'yes', detail: [...new Set(words)].sort(compareStrings).join('; '), evidence: evidenceOf(said) };
  }
  if (d.multiAz === false) return { answer: 'no', detail: 'single zone', evidence: i.evidence };
  return unknown();
}

function deletionProtection(i: Infrastructure, facts: RecoveryFact[]): Said {
  const d = i.details ?? {};
  const said = facts.filter((f) => f.category === 'deletion-protection');
  const snapshot = facts.filter((f) => f.category === 'final-snapshot');
  // What else guards against a deletion: a final snapshot, a stack's removal policy.
  const also = [
    ...(snapshot.length ? ['final snapshot on deletion'] : []),
    ...(d.removalPolicy !== undefined ? [`removal policy ${String(d.removalPolicy)}`] : []),
  ];
  const evidence = [...evidenceOf(said), ...evidenceOf(snapshot), ...(d.removalPolicy !== undefined && !said.length ? i.evidence : [])];
  const detail = also.length ? also.join('; ') : undefined;
  if (said.length) return { answer: 'yes', ...(detail ? { detail } : {}), evidence };
  if (d.deletionProtection === false) return { answer: 'no', ...(detail ? { detail } : {}), evidence: [...i.evidence, ...evidence] };
  if (NO_DELETION_PROTECTION.has(typeOf(i))) return { answer: 'does not apply', ...(detail ? { detail } : {}), evidence };
  return { answer: 'not stated', ...(detail ? { detail } : {}), evidence };
}

export function recoveryView(model: Model): RecoveryView {
  const stores = model.infrastructure.filter(isStore).sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
  const storeIds = new Set(stores.map((s) => s.id));
  const factsOf = new Map<string, RecoveryFact[]>();
  const other: OtherSafeguard[] = [];
  for (const r of model.recovery) {
    const store = r.details?.store;
    if (store !== undefined && storeIds.has(store)) factsOf.set(store, [...(factsOf.get(store) ?? []), r]);
  }
  const groupOf = new Map<string, string>(SAFEGUARD_GROUPS);
  for (const [category] of SAFEGUARD_GROUPS)
    for (const r of model.recovery)
      if (r.category === category && !(r.details?.store !== undefined && storeIds.has(r.details.store))) other.push({ group: groupOf.get(category)!, fact: r });
  for (const r of model.recovery) if (!groupOf.has(r.category)) other.push({ group: r.category, fact: r });
  const rows = stores.map((i): StoreRecoveryRow => {
    const facts = factsOf.get(i.id) ?? [];
    return {
      name: i.name,
      type: i.type,
      backups: worded(backups(i, facts)),
      pointInTime: worded(pointInTime(i, facts)),
      zonesAndReplicas: worded(zonesAndReplicas(i, facts)),
      deletionProtection: worded(deletionProtection(i, facts)),
    };
  });
  const silent = rows.filter((r) => [r.backups, r.pointInTime, r.zonesAndReplicas, r.deletionProtection].every((c) => c.evidence.length === 0)).length;
  return { stores: rows, statefulSets: statefulStores(model.deployment.workloads), silent, other };
}

/** StatefulSets that run a data store image or claim persistent volumes: replicas and volumes as written, backups not stated. */
export function statefulStores(workloads: Workload[]): StatefulStoreRow[] {
  const rows: StatefulStoreRow[] = [];
  for (const w of workloads) {
    if (w.kind !== 'StatefulSet') continue;
    const store = (w.details?.images ?? []).map((i) => dataStoreOfImage(i)?.name).find((n) => n !== undefined);
    const claims = w.details?.volumeClaims ?? [];
    if (store === undefined && claims.length === 0) continue;
    const volumes = claims.map(
      (c) => `${c.name}: ${c.storage ?? 'size not stated'}, ${c.storageClass !== undefined ? `storage class ${c.storageClass}` : 'storage class not stated'}`,
    );
    rows.push({
      workload: `StatefulSet/${w.name}`,
      ...(store !== undefined ? { store } : {}),
      replicas: w.details?.replicas !== undefined ? String(w.details.replicas) : 'not stated',
      volumes: volumes.length > 0 ? volumes.join('; ') : 'no volume claim template stated',
      backups: 'not stated',
      evidence: w.evidence,
    });
  }
  return rows.sort((a, b) => compareStrings(a.workload, b.workload) || compareStrings(a.evidence[0]?.file ?? '', b.evidence[0]?.file ?? ''));
}

/** A cell with its words: `yes, kept 14 days`. */
function worded(c: Said): RecoveryCell {
  return { ...c, text: c.detail ? `${c.answer}, ${c.detail}` : c.answer };
}
