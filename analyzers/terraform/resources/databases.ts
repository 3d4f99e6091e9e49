/**
 * Database rules: RDS, Aurora and DocumentDB, ElastiCache and MemoryDB, DynamoDB, OpenSearch, AWS
 * Backup plans, Cloud SQL, Memorystore, Azure database servers, Cosmos DB and Azure Cache for Redis:
 * encryption, exposure, backups, replicas, multi-AZ and the data stores they provision.
 */
import { at, isExpression, isFalse, isTrue, literalName, many, num, one, show, showString } from '../values.js';
import { type Block, type Out, type Rules, pick, set, type RuleInput } from '../out.js';
import { cidrsOpen } from './network.js';

const ENGINE_TECH: [RegExp, string, string][] = [
  [/postgres/i, 'postgresql', 'PostgreSQL'],
  [/mariadb/i, 'mariadb', 'MariaDB'],
  [/mysql/i, 'mysql', 'MySQL'],
  [/sqlserver|mssql/i, 'sqlserver', 'SQL Server'],
  [/oracle/i, 'oracle', 'Oracle Database'],
];

function engineTech(engine: unknown, fallback?: [string, string]): [string, string] | undefined {
  if (typeof engine === 'string' && !isExpression(engine)) {
    for (const [re, tech, name] of ENGINE_TECH) if (re.test(engine)) return [tech, name];
  }
  return fallback;
}

/** RDS and Aurora: instance class, multi-AZ, encryption, exposure, backups. */
function rdsCommon(out: Out, b: Block, classAttr: string): void {
  const d = b.details;
  const body = b.body;
  set(d, 'engine', body.engine);
  set(d, 'engineVersion', body.engine_version);
  set(d, 'instanceClass', body[classAttr]);
  if (body.multi_az !== undefined) d.multiAz = show(body.multi_az)!;
  if (isTrue(body.multi_az)) out.recovery(b, 'multi-az', { statement: 'multi-az-standby', setting: 'multi_az', value: true }, 'multi_az');
  if (Array.isArray(body.availability_zones) && body.availability_zones.length > 1) {
    out.recovery(
      b,
      'multi-az',
      { statement: 'availability-zones', setting: 'availability_zones', value: body.availability_zones.length },
      'availability_zones',
    );
  }
  if (body.storage_encrypted !== undefined) d.encryptedAtRest = show(body.storage_encrypted)!;
  if (body.kms_key_id !== undefined) d.customerManagedKey = true;
  const replica = body.replicate_source_db !== undefined;
  if (!replica && !isTrue(body.storage_encrypted) && !isExpression(body.storage_encrypted) && body.kms_key_id === undefined) {
    out.security(
      b,
      'database-not-encrypted-at-rest',
      'medium',
      { statement: 'storage-not-encrypted', setting: 'storage_encrypted' },
      body.storage_encrypted === undefined ? undefined : 'storage_encrypted',
    );
  }
  if (isTrue(body.publicly_accessible)) {
    d.publiclyAccessible = true;
    out.security(
      b,
      'database-publicly-accessible',
      'high',
      { statement: 'database-publicly-accessible', setting: 'publicly_accessible', value: true },
      'publicly_accessible',
    );
  }
  const retention = num(body.backup_retention_period);
  if (retention !== undefined) d.backupRetentionDays = retention;
  else if (body.backup_retention_period !== undefined) set(d, 'backupRetentionDays', body.backup_retention_period);
  if (retention !== undefined && retention > 0) {
    out.recovery(b, 'backup', { statement: 'daily-backups', setting: 'backup_retention_period', retentionDays: retention }, 'backup_retention_period');
    out.recovery(
      b,
      'point-in-time-recovery',
      { statement: 'backup-window-restore', setting: 'backup_retention_period', windowDays: retention },
      'backup_retention_period',
    );
  } else if (retention === 0) {
    out.security(
      b,
      'database-backups-disabled',
      'medium',
      { statement: 'backups-disabled', setting: 'backup_retention_period', value: 0 },
      'backup_retention_period',
    );
  } else if (body.backup_retention_period !== undefined) {
    out.recovery(
      b,
      'backup',
      { statement: 'backups-kept-as-set', setting: 'backup_retention_period', value: String(show(body.backup_retention_period)) },
      'backup_retention_period',
    );
  }
  set(d, 'backupWindow', body.preferred_backup_window);
  if (isTrue(body.deletion_protection)) {
    d.deletionProtection = true;
    out.recovery(b, 'deletion-protection', { statement: 'deletion-protection', setting: 'deletion_protection' }, 'deletion_protection');
  }
  // Turned off as written: the Disaster recovery section says no rather than not stated.
  else if (isFalse(body.deletion_protection)) d.deletionProtection = false;
  if (isFalse(body.skip_final_snapshot) || (body.skip_final_snapshot === undefined && !replica)) {
    out.recovery(
      b,
      'final-snapshot',
      { statement: 'final-snapshot', setting: 'skip_final_snapshot' },
      body.skip_final_snapshot === undefined ? undefined : 'skip_final_snapshot',
    );
  }
  if (body.performance_insights_enabled !== undefined) d.performanceInsights = show(body.performance_insights_enabled)!;
}

/** A parameter group that makes clients use TLS: `rds.force_ssl = 1` (PostgreSQL) or `require_secure_transport = ON` (MySQL). */
function parameterGroup({ d, body }: RuleInput): void {
  for (const p of many(body.parameter)) {
    const name = showString(p.name);
    const value = String(show(p.value) ?? '').toLowerCase();
    if ((name === 'rds.force_ssl' && value === '1') || (name === 'require_secure_transport' && (value === 'on' || value === '1'))) d.tlsRequired = true;
  }
}

function cache({ out, b, d, body, type: t }: RuleInput): void {
  const engine = String(show(body.engine) ?? 'redis');
  set(d, 'engine', engine);
  set(d, 'engineVersion', body.engine_version);
  set(d, 'nodeType', body.node_type);
  const replicas = num(body.num_cache_clusters) ?? num(body.replicas_per_node_group) ?? num(body.num_cache_nodes) ?? num(body.num_replicas_per_shard);
  if (replicas !== undefined) d.nodes = replicas;
  set(d, 'shards', body.num_node_groups ?? body.num_shards);
  const failover = isTrue(body.automatic_failover_enabled);
  const multiAz = isTrue(body.multi_az_enabled);
  if (failover) d.automaticFailover = true;
  if (multiAz) {
    d.multiAz = true;
    out.recovery(b, 'multi-az', { statement: 'cache-multi-az', setting: 'multi_az_enabled', value: true }, 'multi_az_enabled');
  } else if (failover && replicas !== undefined && replicas > 1) {
    out.recovery(b, 'replica', { statement: 'cache-replica-nodes', setting: 'automatic_failover_enabled', value: replicas - 1 }, 'automatic_failover_enabled');
  }
  const snap = num(body.snapshot_retention_limit);
  if (snap !== undefined) {
    d.snapshotRetentionDays = snap;
    if (snap > 0)
      out.recovery(b, 'backup', { statement: 'daily-snapshots', setting: 'snapshot_retention_limit', retentionDays: snap }, 'snapshot_retention_limit');
  }
  if (t === 'aws_elasticache_replication_group' || t === 'aws_memorydb_cluster') {
    if (body.at_rest_encryption_enabled !== undefined) d.encryptedAtRest = show(body.at_rest_encryption_enabled)!;
    if (body.transit_encryption_enabled !== undefined) d.encryptedInTransit = show(body.transit_encryption_enabled)!;
    if (t === 'aws_elasticache_replication_group' && !isTrue(body.transit_encryption_enabled) && !isExpression(body.transit_encryption_enabled)) {
      out.security(
        b,
        'cache-no-transit-encryption',
        'medium',
        { statement: 'cache-transit-not-encrypted', setting: 'transit_encryption_enabled' },
        body.transit_encryption_enabled === undefined ? undefined : 'transit_encryption_enabled',
      );
    }
    if (t === 'aws_elasticache_replication_group' && !isTrue(body.at_rest_encryption_enabled) && !isExpression(body.at_rest_encryption_enabled)) {
      out.security(
        b,
        'cache-not-encrypted-at-rest',
        'medium',
        { statement: 'cache-rest-not-encrypted', setting: 'at_rest_encryption_enabled' },
        body.at_rest_encryption_enabled === undefined ? undefined : 'at_rest_encryption_enabled',
      );
    }
  }
  const tech = /memcached/i.test(engine) ? ['memcached', 'Memcached'] : /valkey/i.test(engine) ? ['valkey', 'Valkey'] : ['redis', 'Redis'];
  out.dataStore(b, tech[0]!, tech[1]!, 'cache', pick(d, ['nodeType']));
}

function searchDomain({ out, b, d, body, type: t }: RuleInput): void {
  set(d, 'engineVersion', body.engine_version ?? body.elasticsearch_version);
  const cluster = one(body.cluster_config);
  set(d, 'instanceType', cluster?.instance_type);
  set(d, 'instanceCount', cluster?.instance_count);
  if (isTrue(cluster?.zone_awareness_enabled))
    out.recovery(b, 'multi-az', { statement: 'zone-awareness', setting: 'zone_awareness_enabled', value: true }, 'zone_awareness_enabled');
  if (isTrue(at(body, 'encrypt_at_rest', 'enabled'))) d.encryptedAtRest = true;
  set(d, 'tlsPolicy', at(body, 'domain_endpoint_options', 'tls_security_policy'));
  const pol = at(body, 'domain_endpoint_options', 'tls_security_policy');
  if (typeof pol === 'string' && /TLS-1-0/.test(pol))
    out.security(b, 'tls-below-1-2', 'medium', { statement: 'search-policy-tls-1-0', setting: 'tls_security_policy', value: pol }, 'tls_security_policy');
  out.dataStore(
    b,
    t === 'aws_opensearch_domain' ? 'opensearch' : 'elasticsearch',
    t === 'aws_opensearch_domain' ? 'OpenSearch' : 'Elasticsearch',
    'search',
    pick(d, ['instanceType']),
  );
}

function azureDatabaseServer({ out, b, d, body, type: t }: RuleInput): void {
  set(d, 'sku', body.sku_name);
  set(d, 'version', body.version);
  const days = num(body.backup_retention_days);
  if (days !== undefined)
    out.recovery(b, 'backup', { statement: 'backups-kept', setting: 'backup_retention_days', retentionDays: days }, 'backup_retention_days');
  if (isTrue(body.geo_redundant_backup_enabled))
    out.recovery(
      b,
      'multi-region',
      { statement: 'geo-redundant-backups', setting: 'geo_redundant_backup_enabled', value: true },
      'geo_redundant_backup_enabled',
    );
  const ha = one(body.high_availability);
  if (ha?.mode !== undefined)
    out.recovery(b, 'multi-az', { statement: 'high-availability', setting: 'high_availability', value: String(show(ha.mode)) }, 'high_availability');
  if (isTrue(body.public_network_access_enabled))
    out.security(
      b,
      'database-publicly-accessible',
      'high',
      { statement: 'public-network-access', setting: 'public_network_access_enabled', value: true },
      'public_network_access_enabled',
    );
  if (isFalse(body.ssl_enforcement_enabled))
    out.security(b, 'database-no-tls', 'high', { statement: 'tls-not-enforced', setting: 'ssl_enforcement_enabled', value: false }, 'ssl_enforcement_enabled');
  const pg = t.includes('postgresql');
  out.dataStore(b, pg ? 'postgresql' : 'mysql', pg ? 'PostgreSQL' : 'MySQL', 'relational', pick(d, ['sku']));
}

export const DATABASES: Rules = {
  aws_db_instance({ out, b, d, body }) {
    const tech = engineTech(body.engine, ['postgresql', 'Relational database']);
    rdsCommon(out, b, 'instance_class');
    set(d, 'allocatedStorageGb', body.allocated_storage);
    set(d, 'maxAllocatedStorageGb', body.max_allocated_storage);
    const source = out.ref(b, 'aws_db_instance');
    if (body.replicate_source_db !== undefined) {
      d.replicaOf = source?.address ?? String(show(body.replicate_source_db));
      out.recovery(source ?? b, 'read-replica', { statement: 'has-read-replica', setting: 'replicate_source_db', replica: b.address }, 'replicate_source_db');
    }
    if (tech && body.replicate_source_db === undefined)
      out.dataStore(b, tech[0], tech[1], 'relational', pick(d, ['engineVersion', 'instanceClass', 'multiAz']));
  },
  aws_rds_cluster({ out, b, d, body }) {
    const tech = engineTech(body.engine, ['mysql', 'MySQL']);
    rdsCommon(out, b, 'db_cluster_instance_class');
    set(d, 'engineMode', body.engine_mode);
    const sv2 = one(body.serverlessv2_scaling_configuration);
    if (sv2)
      out.scaling(
        b,
        'autoscaling',
        { statement: 'aurora-serverless-capacity' },
        { min: show(sv2.min_capacity) ?? '?', max: show(sv2.max_capacity) ?? '?', metric: 'ACU' },
        out.ev(b, 'serverlessv2_scaling_configuration'),
      );
    if (body.global_cluster_identifier !== undefined)
      out.recovery(b, 'multi-region', { statement: 'aurora-global-database', setting: 'global_cluster_identifier' }, 'global_cluster_identifier');
    if (tech) out.dataStore(b, tech[0], tech[1], 'relational', pick(d, ['engineVersion', 'instanceClass']));
  },
  aws_rds_cluster_instance({ out, b, d, body }) {
    set(d, 'instanceClass', body.instance_class);
    const cluster = out.ref(b, 'aws_rds_cluster');
    const count = num(body.count);
    if (cluster && count !== undefined && count > 1) {
      out.recovery(cluster, 'read-replica', { statement: 'cluster-instances', setting: 'count', instances: count });
    }
    if (isTrue(body.publicly_accessible))
      out.security(
        b,
        'database-publicly-accessible',
        'high',
        { statement: 'instance-publicly-accessible', setting: 'publicly_accessible', value: true },
        'publicly_accessible',
      );
  },
  aws_db_parameter_group: parameterGroup,
  aws_rds_cluster_parameter_group: parameterGroup,
  aws_elasticache_replication_group: cache,
  aws_elasticache_cluster: cache,
  aws_elasticache_serverless_cache: cache,
  aws_memorydb_cluster: cache,
  aws_dynamodb_table({ out, b, d, body }) {
    set(d, 'tableName', literalName(body.name));
    set(d, 'billingMode', body.billing_mode ?? 'PROVISIONED');
    set(d, 'hashKey', body.hash_key);
    set(d, 'rangeKey', body.range_key);
    const gsis = many(body.global_secondary_index)
      .map((g) => showString(g.name))
      .filter((x): x is string => !!x);
    if (gsis.length) d.globalIndexes = [...gsis].sort();
    if (isTrue(at(body, 'point_in_time_recovery', 'enabled'))) {
      d.pointInTimeRecovery = true;
      out.recovery(b, 'point-in-time-recovery', { statement: 'dynamodb-point-in-time-recovery', setting: 'point_in_time_recovery' }, 'point_in_time_recovery');
    } else if (isFalse(at(body, 'point_in_time_recovery', 'enabled'))) d.pointInTimeRecovery = false;
    const replicas = many(body.replica)
      .map((r) => showString(r.region_name))
      .filter((x): x is string => !!x);
    if (replicas.length) {
      d.replicaRegions = replicas;
      out.recovery(b, 'multi-region', { statement: 'global-table', setting: 'replica', regions: replicas }, 'replica');
    }
    // Tables are always encrypted at rest; `server_side_encryption { enabled = true }` chooses a KMS key.
    if (isTrue(at(body, 'server_side_encryption', 'enabled'))) {
      d.encryptedAtRest = true;
      if (at(body, 'server_side_encryption', 'kms_key_arn') !== undefined) d.customerManagedKey = true;
    }
    if (isTrue(body.stream_enabled)) d.stream = String(show(body.stream_view_type) ?? 'enabled');
    if (isTrue(body.deletion_protection_enabled)) {
      d.deletionProtection = true;
      out.recovery(b, 'deletion-protection', { statement: 'deletion-protection', setting: 'deletion_protection_enabled' }, 'deletion_protection_enabled');
    } else if (isFalse(body.deletion_protection_enabled)) d.deletionProtection = false;
    out.dataStore(b, 'dynamodb', 'Amazon DynamoDB', 'key-value', { tables: [String(literalName(body.name) ?? b.name)] });
  },
  aws_opensearch_domain: searchDomain,
  aws_elasticsearch_domain: searchDomain,
  aws_docdb_cluster({ out, b }) {
    rdsCommon(out, b, 'db_cluster_instance_class');
    out.dataStore(b, 'mongodb', 'MongoDB', 'document', { service: 'Amazon DocumentDB' });
  },
  aws_backup_plan({ out, b, body }) {
    const rules = many(body.rule);
    for (const r of rules) {
      const days = num(at(r, 'lifecycle', 'delete_after'));
      const said = { statement: 'backup-plan-rule', setting: 'rule', value: String(show(r.rule_name) ?? '') } as const;
      out.recovery(b, 'backup', { ...said, ...(r.schedule !== undefined ? { schedule: String(show(r.schedule)) } : {}) }, 'rule', {
        ...(days !== undefined ? { retentionDays: days } : {}),
        ...(r.copy_action !== undefined ? { copiedElsewhere: true } : {}),
      });
    }
  },
  google_sql_database_instance({ out, b, d, body }) {
    set(d, 'databaseVersion', body.database_version);
    const s = one(body.settings);
    set(d, 'tier', s?.tier);
    set(d, 'availabilityType', s?.availability_type);
    if (s?.availability_type === 'REGIONAL')
      out.recovery(b, 'multi-az', { statement: 'regional-database', setting: 'availability_type', value: 'REGIONAL' }, 'availability_type');
    const bk = one(s?.backup_configuration);
    if (bk && isTrue(bk.enabled)) {
      const days = num(at(bk, 'backup_retention_settings', 'retained_backups'));
      out.recovery(
        b,
        'backup',
        { statement: 'automated-backups', setting: 'backup_configuration', ...(days !== undefined ? { value: days } : {}) },
        'backup_configuration',
      );
    }
    if (bk && isTrue(bk.point_in_time_recovery_enabled))
      out.recovery(
        b,
        'point-in-time-recovery',
        { statement: 'point-in-time-recovery', setting: 'point_in_time_recovery_enabled' },
        'point_in_time_recovery_enabled',
      );
    if (isTrue(body.deletion_protection))
      out.recovery(b, 'deletion-protection', { statement: 'deletion-protection', setting: 'deletion_protection' }, 'deletion_protection');
    if (body.master_instance_name !== undefined)
      out.recovery(
        out.ref(b, 'google_sql_database_instance') ?? b,
        'read-replica',
        { statement: 'is-read-replica', setting: 'master_instance_name', replica: b.address },
        'master_instance_name',
      );
    const ip = one(s?.ip_configuration);
    if (ip && many(ip.authorized_networks).some((n) => cidrsOpen(n.value))) {
      out.security(b, 'database-publicly-accessible', 'high', { statement: 'authorised-from-anywhere', setting: 'authorized_networks' }, 'authorized_networks');
    }
    const tech = engineTech(body.database_version);
    if (tech) out.dataStore(b, tech[0], tech[1], 'relational', pick(d, ['tier']));
  },
  google_redis_instance({ out, b, d, body }) {
    set(d, 'tier', body.tier);
    set(d, 'memoryGb', body.memory_size_gb);
    if (body.tier === 'STANDARD_HA') out.recovery(b, 'replica', { statement: 'standby-replica', setting: 'tier', value: 'STANDARD_HA' }, 'tier');
    out.dataStore(b, 'redis', 'Redis', 'cache', pick(d, ['tier']));
  },
  azurerm_postgresql_flexible_server: azureDatabaseServer,
  azurerm_mysql_flexible_server: azureDatabaseServer,
  azurerm_postgresql_server: azureDatabaseServer,
  azurerm_mysql_server: azureDatabaseServer,
  azurerm_cosmosdb_account({ out, b, d, body }) {
    const locations = many(body.geo_location).length;
    if (locations > 1) out.recovery(b, 'multi-region', { statement: 'replicated-regions', setting: 'geo_location', value: locations }, 'geo_location');
    set(d, 'consistency', at(body, 'consistency_policy', 'consistency_level'));
    out.dataStore(b, 'cosmosdb', 'Cosmos DB', 'document', {});
  },
  azurerm_redis_cache({ out, b, d, body }) {
    set(d, 'sku', body.sku_name);
    if (isTrue(body.enable_non_ssl_port) || isTrue(body.non_ssl_port_enabled))
      out.security(
        b,
        'cache-no-transit-encryption',
        'medium',
        { statement: 'non-tls-port', setting: 'enable_non_ssl_port', value: true },
        'enable_non_ssl_port',
      );
    out.dataStore(b, 'redis', 'Redis', 'cache', pick(d, ['sku']));
  },
  azurerm_mssql_database({ out, b, d, body }) {
    set(d, 'sku', body.sku_name);
    const days = num(at(body, 'short_term_retention_policy', 'retention_days'));
    if (days !== undefined)
      out.recovery(
        b,
        'point-in-time-recovery',
        { statement: 'point-in-time-restore-days', setting: 'short_term_retention_policy', windowDays: days },
        'short_term_retention_policy',
      );
    if (isTrue(body.zone_redundant)) out.recovery(b, 'multi-az', { statement: 'zone-redundant', setting: 'zone_redundant', value: true }, 'zone_redundant');
    out.dataStore(b, 'sqlserver', 'SQL Server', 'relational', pick(d, ['sku']));
  },
};
