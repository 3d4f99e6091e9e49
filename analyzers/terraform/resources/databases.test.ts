import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_rds_cluster" "aurora" {
  cluster_identifier  = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "15.4"
  storage_encrypted   = true
  backup_retention_period = 7
  deletion_protection = true
  skip_final_snapshot = false

  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = 16
  }
}

resource "aws_rds_cluster_instance" "aurora" {
  count              = 3
  cluster_identifier = aws_rds_cluster.aurora.id
  instance_class     = "db.serverless"
  engine             = "aurora-postgresql"
}

resource "aws_docdb_cluster" "catalogue" {
  cluster_identifier = "catalogue"
  engine             = "docdb"
  storage_encrypted  = false
}

resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  deletion_protection_enabled = true

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name = "eu-west-2"
  }

  replica {
    region_name = "us-east-1"
  }
}

resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  cluster_config {
    instance_type          = "r6g.large.search"
    instance_count         = 3
    zone_awareness_enabled = true
  }

  encrypt_at_rest {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
  }
}

resource "aws_backup_plan" "daily" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = "vault"
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-west-2:123456789012:backup-vault:dr"
    }
  }
}

resource "google_sql_database_instance" "main" {
  name                = "main"
  database_version    = "POSTGRES_15"
  deletion_protection = true

  settings {
    tier              = "db-custom-2-7680"
    availability_type = "REGIONAL"

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      backup_retention_settings {
        retained_backups = 14
      }
    }

    ip_configuration {
      authorized_networks {
        name  = "everyone"
        value = "0.0.0.0/0"
      }
    }
  }
}

resource "google_redis_instance" "cache" {
  name           = "cache"
  tier           = "STANDARD_HA"
  memory_size_gb = 4
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                          = "main"
  sku_name                      = "GP_Standard_D2s_v3"
  version                       = "16"
  backup_retention_days         = 14
  geo_redundant_backup_enabled  = true
  public_network_access_enabled = true

  high_availability {
    mode = "ZoneRedundant"
  }
}

resource "azurerm_cosmosdb_account" "docs" {
  name       = "docs"
  offer_type = "Standard"

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "westeurope"
    failover_priority = 0
  }

  geo_location {
    location          = "northeurope"
    failover_priority = 1
  }
}

resource "azurerm_redis_cache" "cache" {
  name                 = "cache"
  sku_name             = "Premium"
  capacity             = 1
  family               = "P"
  non_ssl_port_enabled = true
}

resource "azurerm_mssql_database" "billing" {
  name           = "billing"
  sku_name       = "S1"
  zone_redundant = true

  short_term_retention_policy {
    retention_days = 7
  }
}
`;

const run = hclRun('databases', HCL);

const store = (id: string) => run.m.dataStores.find((d) => d.id === `datastore:${id}`);

describe('terraform database rules', () => {
  it('Aurora: encryption, backups, deletion protection, Serverless v2 capacity and its instances', () => {
    expect(run.infra('aws_rds_cluster.aurora')?.details).toMatchObject({
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      encryptedAtRest: true,
      backupRetentionDays: 7,
      deletionProtection: true,
    });
    expect(run.recovery('aws_rds_cluster.aurora')).toEqual(['backup', 'deletion-protection', 'final-snapshot', 'point-in-time-recovery', 'read-replica']);
    expect(run.m.recovery.find((r) => r.id === 'recovery:read-replica:infra/aws_rds_cluster.aurora')?.details).toMatchObject({ instances: 3 });
    expect(run.m.scaling.find((s) => s.id === 'scaling:infra/aws_rds_cluster.aurora')?.details).toMatchObject({ min: 0.5, max: 16, metric: 'ACU' });
    expect(store('postgresql')?.details?.provisionedBy).toContain('aws_rds_cluster.aurora');
    expect(run.finding('database-not-encrypted-at-rest', 'aws_rds_cluster.aurora')).toBeUndefined();
  });

  it('DocumentDB without storage encryption is a finding and a MongoDB store', () => {
    expect(run.finding('database-not-encrypted-at-rest', 'aws_docdb_cluster.catalogue')?.severity).toBe('medium');
    expect(store('mongodb')?.details).toMatchObject({ service: 'Amazon DocumentDB' });
  });

  it('DynamoDB: point-in-time recovery, a global table, its stream and the table as a store', () => {
    expect(run.infra('aws_dynamodb_table.sessions')?.details).toMatchObject({
      tableName: 'sessions',
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'id',
      pointInTimeRecovery: true,
      replicaRegions: ['eu-west-2', 'us-east-1'],
      stream: 'NEW_IMAGE',
    });
    expect(run.recovery('aws_dynamodb_table.sessions')).toEqual(['deletion-protection', 'multi-region', 'point-in-time-recovery']);
    expect(store('dynamodb')?.details).toMatchObject({ tables: ['sessions'] });
  });

  it('OpenSearch: zone awareness, encryption at rest, and a TLS 1.0 policy as a finding', () => {
    expect(run.infra('aws_opensearch_domain.search')?.details).toMatchObject({
      engineVersion: 'OpenSearch_2.11',
      instanceType: 'r6g.large.search',
      instanceCount: 3,
      encryptedAtRest: true,
    });
    expect(run.recovery('aws_opensearch_domain.search')).toEqual(['multi-az']);
    expect(run.finding('tls-below-1-2', 'aws_opensearch_domain.search')?.severity).toBe('medium');
    expect(store('opensearch')).toBeDefined();
  });

  it('an AWS Backup rule with its retention and a copy elsewhere', () => {
    expect(run.m.recovery.find((r) => r.id === 'recovery:backup:infra/aws_backup_plan.daily')?.details).toMatchObject({
      retentionDays: 35,
      copiedElsewhere: true,
    });
  });

  it('Cloud SQL: regional, backups, point-in-time recovery, and authorised networks open to anyone', () => {
    expect(run.infra('google_sql_database_instance.main')?.details).toMatchObject({
      databaseVersion: 'POSTGRES_15',
      tier: 'db-custom-2-7680',
      availabilityType: 'REGIONAL',
    });
    expect(run.recovery('google_sql_database_instance.main')).toEqual(['backup', 'deletion-protection', 'multi-az', 'point-in-time-recovery']);
    expect(run.finding('database-publicly-accessible', 'google_sql_database_instance.main')?.severity).toBe('high');
  });

  it('Memorystore with a standby replica', () => {
    expect(run.infra('google_redis_instance.cache')?.details).toMatchObject({ tier: 'STANDARD_HA', memoryGb: 4 });
    expect(run.recovery('google_redis_instance.cache')).toEqual(['replica']);
  });

  it('Azure: a flexible server open to public networks, Cosmos DB in two regions, Redis with its non-TLS port, SQL Database', () => {
    expect(run.recovery('azurerm_postgresql_flexible_server.main')).toEqual(['backup', 'multi-az', 'multi-region']);
    expect(run.finding('database-publicly-accessible', 'azurerm_postgresql_flexible_server.main')?.severity).toBe('high');
    expect(run.infra('azurerm_cosmosdb_account.docs')?.details).toMatchObject({ consistency: 'Session' });
    expect(run.recovery('azurerm_cosmosdb_account.docs')).toEqual(['multi-region']);
    expect(store('cosmosdb')).toBeDefined();
    expect(run.finding('cache-no-transit-encryption', 'azurerm_redis_cache.cache')?.severity).toBe('medium');
    expect(run.recovery('azurerm_mssql_database.billing')).toEqual(['multi-az', 'point-in-time-recovery']);
    expect(store('sqlserver')).toBeDefined();
  });
});
