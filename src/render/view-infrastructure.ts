/**
 * Sentences about infrastructure resources, built from what the terraform analyzer observed: a
 * security, recovery or scaling fact with a `details.statement` (src/model/infra-statements.ts)
 * names the observation and carries the resource, setting and value it concerns; this is the one
 * place that words them. Facts without a statement read as their name. It words the typed values
 * the infrastructure analyzers record too: rollouts, scaling policies, container health checks.
 */
import type { InfraStatement } from '../model/infra-statements.js';
import type { Rollout, ScalingPolicy } from '../model/details.js';
import type { Container } from '../model/schema.js';

/** The typed details a statement reads. */
export interface StatementDetails {
  statement?: InfraStatement;
  /** Resource address (`aws_db_instance.orders`). */
  resource?: string;
  /** The attribute concerned, as written (`min_tls_version`, an environment variable's name). */
  setting?: string;
  /** Its value, as written. */
  value?: string | number | boolean;
  /** Several attributes or values concerned. */
  values?: string[];
  ports?: string[];
  container?: string;
  /** The resource that grants the access (an IAM member). */
  grantedBy?: string;
  /** Source of the module that configures it. */
  module?: string;
  schedule?: string;
  retentionDays?: string | number | boolean;
  windowDays?: string | number | boolean;
  instances?: string | number | boolean;
  regions?: string[];
  replica?: string;
  dimension?: string;
}

const s = (n: unknown) => (n === 1 ? '' : 's');

/** What an Application Auto Scaling dimension scales, for a reader. */
function dimensionLabel(dimension: string | undefined): string {
  const d = dimension ?? '';
  if (d.startsWith('ecs:')) return 'ECS tasks';
  if (d.startsWith('dynamodb:')) return d.includes('Read') ? 'DynamoDB read capacity' : 'DynamoDB write capacity';
  if (d.startsWith('rds:')) return 'Aurora read replicas';
  if (d.startsWith('lambda:')) return 'Lambda provisioned concurrency';
  return d || 'capacity';
}

type Words = (a: string, d: StatementDetails) => string;

const STATEMENTS: Record<InfraStatement, Words> = {
  // security findings
  'tls-setting-below-1-2': (a, d) => `${a} accepts TLS versions below 1.2 (${d.setting} = ${String(d.value)})`,
  'elb-policy-below-1-2': (a, d) => `${a} uses TLS policy ${String(d.value)}, which still accepts TLS 1.0 or 1.1`,
  'viewer-tls-below-1-2': (a, d) => `${a} accepts viewer TLS below 1.2 (${String(d.value)})`,
  'search-policy-tls-1-0': (a, d) => `${a} uses TLS policy ${String(d.value)}, which accepts TLS 1.0`,
  'ingress-open-all-ports': (a) => `${a} allows inbound traffic on every port from anywhere (0.0.0.0/0)`,
  'ingress-open-ports': (a, d) => `${a} allows inbound traffic from anywhere (0.0.0.0/0) on ${(d.ports ?? []).join(', ')}`,
  'plain-http-listener': (a, d) => `${a} serves plain HTTP on port ${String(d.value ?? '?')} without redirecting to HTTPS`,
  'plain-http-cdn': (a) => `${a} serves viewers over plain HTTP (viewer_protocol_policy = allow-all)`,
  'literal-secret-environment': (a, d) => `${a} sets ${d.setting} to a literal value in its environment (a secret committed to the repository)`,
  'literal-secret-container-environment': (a, d) =>
    `${a} sets ${d.setting} to a literal value in container ${d.container}'s environment (a secret committed to the repository)`,
  'container-runs-as-root': (a, d) => `Container ${d.container} in ${a} runs as root`,
  'storage-not-encrypted': (a) => `${a} does not encrypt storage at rest (storage_encrypted is not true)`,
  'database-publicly-accessible': (a) => `${a} is publicly accessible from the internet (publicly_accessible = true)`,
  'instance-publicly-accessible': (a) => `${a} is publicly accessible from the internet`,
  'backups-disabled': (a) => `${a} has automated backups disabled (backup_retention_period = 0)`,
  'cache-transit-not-encrypted': (a) => `${a} does not encrypt traffic in transit (transit_encryption_enabled is not true)`,
  'cache-rest-not-encrypted': (a) => `${a} does not encrypt data at rest (at_rest_encryption_enabled is not true)`,
  'public-network-access': (a) => `${a} accepts connections from public networks`,
  'tls-not-enforced': (a) => `${a} does not enforce TLS connections`,
  'authorised-from-anywhere': (a) => `${a} authorises connections from anywhere (0.0.0.0/0)`,
  'non-tls-port': (a) => `${a} opens the non-TLS port`,
  'kafka-plaintext': (a, d) => `${a} allows plaintext client connections (client_broker = ${String(d.value)})`,
  'broker-publicly-accessible': (a) => `${a} is publicly accessible`,
  'plaintext-parameter': (a, d) => `${a} stores a secret-sounding parameter as ${String(d.value)} rather than SecureString`,
  'bucket-public-acl': (a, d) => `${a} can be read publicly: ACL ${String(d.value)}`,
  'bucket-public-access-block-off': (a, d) => `${a} can be read publicly: public access block disabled (${(d.values ?? []).join(', ')} = false)`,
  'bucket-public-policy': (a) => `${a} can be read publicly: a bucket policy that grants access to everyone (Principal "*")`,
  'bucket-all-users': (a, d) => `${a} is readable by anyone (${d.grantedBy} grants allUsers)`,
  'storage-plain-http': (a) => `${a} accepts plain HTTP traffic`,
  'storage-public-blobs': (a) => `${a} allows public blob access`,
  // recovery
  'multi-az-standby': (a) => `${a} runs a standby in a second availability zone (Multi-AZ)`,
  'availability-zones': (a, d) => `${a} spans ${String(d.value)} availability zones`,
  'daily-backups': (a, d) => `${a}: automated daily backups kept ${String(d.retentionDays)} day${s(d.retentionDays)}`,
  'backup-window-restore': (a, d) => `${a}: point-in-time restore to any second within the ${String(d.windowDays)}-day backup window`,
  'backups-kept-as-set': (a, d) => `${a}: automated backups kept for ${String(d.value)} days`,
  'deletion-protection': (a) => `${a}: deletion protection enabled`,
  'final-snapshot': (a) => `${a}: a final snapshot is taken before deletion`,
  'cache-multi-az': (a) => `${a} spreads nodes across availability zones with automatic failover`,
  'cache-replica-nodes': (a, d) => `${a} keeps ${String(d.value)} replica node${s(d.value)} with automatic failover`,
  'daily-snapshots': (a, d) => `${a}: daily snapshots kept ${String(d.retentionDays)} day${s(d.retentionDays)}`,
  'zone-awareness': (a) => `${a} spreads nodes across availability zones`,
  'backups-kept': (a, d) => `${a}: backups kept ${String(d.retentionDays)} days`,
  'geo-redundant-backups': (a) => `${a}: geo-redundant backups`,
  'high-availability': (a, d) => `${a}: high availability (${String(d.value)})`,
  'has-read-replica': (a, d) => `${a} has a read replica (${d.replica})`,
  'is-read-replica': (_a, d) => `${d.replica} is a read replica`,
  'aurora-global-database': (a) => `${a} is a member of an Aurora global database`,
  'cluster-instances': (a, d) => {
    const readers = Number(d.instances) - 1;
    return `${a} runs ${String(d.instances)} instances (one writer and ${readers} reader${s(readers)})`;
  },
  'dynamodb-point-in-time-recovery': (a) => `${a}: point-in-time recovery enabled (restore to any second in the last 35 days)`,
  'global-table': (a, d) => `${a} is a global table replicated to ${(d.regions ?? []).join(', ')}`,
  'backup-plan-rule': (a, d) =>
    `${a}: AWS Backup rule ${String(d.value ?? '')}${d.schedule !== undefined ? ` on ${d.schedule}` : ''}${d.retentionDays !== undefined ? `, kept ${String(d.retentionDays)} days` : ''}`.trim(),
  'regional-database': (a) => `${a} is regional (high availability across zones)`,
  'automated-backups': (a, d) => `${a}: automated backups enabled${d.value !== undefined ? ` (${String(d.value)} kept)` : ''}`,
  'point-in-time-recovery': (a) => `${a}: point-in-time recovery enabled`,
  'point-in-time-restore-days': (a, d) => `${a}: point-in-time restore within ${String(d.windowDays)} days`,
  'standby-replica': (a) => `${a} runs with a standby replica (STANDARD_HA)`,
  'replicated-regions': (a, d) => `${a} replicates to ${String(d.value)} regions`,
  'zone-redundant': (a) => `${a}: zone redundant`,
  'broker-multi-az': (a, d) => `${a} runs across availability zones (${String(d.value)})`,
  'module-multi-az': (a, d) => `${a} (module ${d.module ?? ''}) runs Multi-AZ`,
  'module-daily-backups': (a, d) => `${a} (module ${d.module ?? ''}): automated backups kept ${String(d.retentionDays)} day${s(d.retentionDays)}`,
  'object-versioning': (a) => `${a}: object versioning enabled`,
  'object-versioning-restorable': (a) => `${a}: object versioning enabled (overwritten and deleted objects can be restored)`,
  'objects-replicated': (a) => `${a}: objects replicated to another bucket`,
  'geo-redundant-storage': (a, d) => `${a}: geo-redundant storage (${String(d.value)})`,
  'zone-redundant-storage': (a) => `${a}: zone-redundant storage (ZRS)`,
  // scaling
  scales: (a) => a,
  'reserved-concurrency': (a) => `${a}: reserved concurrency`,
  'provisioned-concurrency': (a) => `${a}: provisioned concurrency`,
  'ec2-auto-scaling-group': (a) => `${a} (EC2 Auto Scaling group)`,
  'application-auto-scaling': (a, d) => `${a} (${dimensionLabel(d.dimension)})`,
  'eks-node-group': (a) => `${a} (EKS node group)`,
  'cloud-run': (a) => `${a} (Cloud Run)`,
  'gke-node-pool': (a) => `${a} (GKE node pool)`,
  'aks-default-node-pool': (a) => `${a} (AKS default node pool)`,
  'azure-autoscale': (a) => `${a} (Azure autoscale)`,
  'aurora-serverless-capacity': (a) => `${a} (Aurora Serverless v2 capacity units)`,
  'module-scaling': (a, d) => `${a} (module ${d.module ?? ''})`,
};

/** The sentence for a fact: its statement worded, or its name when it has none. */
export function statementOf(fact: { name: string; details?: object }): string {
  const d = (fact.details ?? {}) as StatementDetails;
  const words = d.statement !== undefined && Object.hasOwn(STATEMENTS, d.statement) ? STATEMENTS[d.statement] : undefined;
  return words ? words(d.resource ?? fact.name, d) : fact.name;
}

const CONTROLLERS: Record<NonNullable<Rollout['controller']>, string> = { 'argo-rollouts': 'Argo Rollouts', codedeploy: 'CodeDeploy' };

/** A workload's rollout in words: `rolling update (max surge 25%, max unavailable default)`, `blue/green (CodeDeploy)`. */
export function rolloutOf(r: Rollout): string {
  const by = r.controller ? ` (${CONTROLLERS[r.controller]})` : '';
  switch (r.kind) {
    case 'rolling-update': {
      const ru = r.rollingUpdate;
      const settings = ru ? ` (max surge ${ru.maxSurge ?? 'default'}, max unavailable ${ru.maxUnavailable ?? 'default'})` : '';
      return `rolling update${r.defaulted ? ' (default)' : ''}${settings}${by}`;
    }
    case 'recreate':
      return `recreate${by}`;
    case 'blue-green':
      return `blue/green${by}`;
    case 'canary':
      return `canary${by}`;
    case 'external':
      return 'external controller';
    case 'unspecified':
      return r.controller === 'argo-rollouts' ? 'Argo Rollout' : 'not specified';
    case 'other':
      return r.type ?? 'other';
  }
}

const RESOURCES: Record<string, string> = { cpu: 'CPU' };

/** One scaling policy in words: `CPU utilisation 70%`, `ECSServiceAverageCPUUtilization target 60`, `KEDA trigger kafka`. */
export function policyOf(p: ScalingPolicy): string {
  switch (p.by) {
    case 'resource': {
      const what = p.resource === undefined ? 'resource' : (RESOURCES[p.resource] ?? p.resource);
      return p.utilisation !== undefined
        ? `${what} utilisation ${String(p.utilisation)}%`
        : p.average !== undefined
          ? `${what} average ${String(p.average)}`
          : `${what} (target not stated)`;
    }
    case 'metric':
      return `${p.source} metric ${p.metric ?? '(name not stated)'}${p.target !== undefined ? ` target ${String(p.target)}` : ''}`;
    case 'target-tracking':
      return `${p.metric ?? 'custom metric'} target ${p.target === undefined ? 'not stated' : String(p.target)}`;
    case 'trigger':
      return `KEDA trigger ${p.trigger}`;
    case 'policy-type':
      return `${p.type ?? 'step'} scaling`;
    case 'lambda-concurrency':
      return 'Lambda concurrency';
  }
}

/** A scaling fact's policies in words, in the model's order, `; ` between them; empty when it has none. */
export function policiesOf(list: ScalingPolicy[] | undefined): string {
  return (list ?? []).map(policyOf).join('; ');
}

/** A container's health check: the command it runs, one declared whose command is not read, or none. */
export function healthcheckOf(c: Container): string {
  if (c.healthcheck) return c.healthcheck;
  if (c.details?.healthcheckDeclared) return c.details.taskDefinition !== undefined ? 'ECS container health check' : 'declared';
  return 'none';
}
