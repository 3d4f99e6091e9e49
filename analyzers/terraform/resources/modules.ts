/**
 * Module rules: a `module` block's well-known inputs (instance class, engine, sizes, retention…),
 * read by name whatever the module's source, and the recovery, scaling and data facts they imply.
 */
import type { Details } from '../../../src/model/schema.js';
import { num, show } from '../values.js';
import type { Block, Out } from '../out.js';

const MODULE_KEYS: Record<string, string> = {
  engine: 'engine',
  engine_version: 'engineVersion',
  instance_class: 'instanceClass',
  instance_type: 'instanceType',
  node_type: 'nodeType',
  multi_az: 'multiAz',
  backup_retention_period: 'backupRetentionDays',
  deletion_protection: 'deletionProtection',
  storage_encrypted: 'encryptedAtRest',
  min_size: 'min',
  max_size: 'max',
  desired_size: 'desired',
  desired_capacity: 'desired',
  min_capacity: 'min',
  max_capacity: 'max',
  autoscaling_min_capacity: 'min',
  autoscaling_max_capacity: 'max',
  desired_count: 'desiredCount',
  cidr: 'cidr',
  enable_nat_gateway: 'natGateway',
  single_nat_gateway: 'singleNatGateway',
  cluster_version: 'version',
  kubernetes_version: 'version',
  retention_in_days: 'retentionDays',
};

/** A module block: the well-known inputs of public modules, and the recovery, scaling and data facts they imply. */
export function describeModule(out: Out, b: Block): void {
  const d = b.details;
  const body = b.body;
  for (const [k, name] of Object.entries(MODULE_KEYS)) {
    const v = show(body[k]);
    if (v !== undefined && d[name] === undefined) d[name] = v;
  }
  if (Array.isArray(body.azs)) d.availabilityZones = body.azs.length;
  const src = String(d.source ?? '');
  if (body.multi_az === true) out.recovery(b, 'multi-az', { statement: 'module-multi-az', setting: 'multi_az', value: true, module: src }, 'multi_az');
  const retention = num(body.backup_retention_period);
  if (retention !== undefined && retention > 0)
    out.recovery(
      b,
      'backup',
      { statement: 'module-daily-backups', setting: 'backup_retention_period', retentionDays: retention, module: src },
      'backup_retention_period',
    );
  if (body.deletion_protection === true)
    out.recovery(b, 'deletion-protection', { statement: 'deletion-protection', setting: 'deletion_protection' }, 'deletion_protection');
  if (d.min !== undefined || d.max !== undefined) {
    const sd: Details = {};
    for (const k of ['min', 'max', 'desired']) if (d[k] !== undefined) sd[k] = d[k]!;
    out.scaling(
      b,
      'autoscaling',
      { statement: 'module-scaling', module: src },
      sd,
      out.ev(b, Object.keys(body).find((k) => /max_(size|capacity)$/.test(k)) ?? 'source'),
    );
  }
  if (b.role === 'data' && typeof body.engine === 'string' && !body.engine.includes('${')) {
    const e = body.engine;
    const tech = /postgres/.test(e)
      ? ['postgresql', 'PostgreSQL']
      : /mariadb/.test(e)
        ? ['mariadb', 'MariaDB']
        : /mysql/.test(e)
          ? ['mysql', 'MySQL']
          : /redis/.test(e)
            ? ['redis', 'Redis']
            : /memcached/.test(e)
              ? ['memcached', 'Memcached']
              : undefined;
    if (tech) out.dataStore(b, tech[0]!, tech[1]!, /redis|memcached/.test(e) ? 'cache' : 'relational', {});
  }
}
