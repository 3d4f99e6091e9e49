import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';
import { securitySynthesis } from '../../../src/render/view-security.js';

const HCL = `resource "aws_db_parameter_group" "pg" {
  name   = "orders-pg16"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_parameter_group" "loose" {
  name   = "loose"
  family = "mysql8.0"

  parameter {
    name  = "require_secure_transport"
    value = "OFF"
  }
}

resource "aws_db_instance" "orders" {
  engine               = "postgres"
  instance_class       = "db.t4g.micro"
  kms_key_id           = "arn:aws:kms:eu-west-1:123456789012:key/abc"
  parameter_group_name = aws_db_parameter_group.pg.name
}

resource "aws_db_instance" "legacy" {
  engine         = "mysql"
  instance_class = "db.t4g.micro"
  parameter_group_name = aws_db_parameter_group.loose.name
}

resource "aws_dynamodb_table" "sessions" {
  name     = "sessions"
  hash_key = "id"

  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abc"
  }
}

resource "aws_dynamodb_table" "plain" {
  name     = "plain"
  hash_key = "id"
}

resource "aws_s3_bucket" "inline" {
  bucket = "acme-inline"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}

resource "aws_efs_file_system" "shared" {
  encrypted = true
}
`;

describe('terraform encryption settings', () => {
  const run = hclRun('encryption', HCL);

  it('reads a parameter group that requires TLS, and not one that allows plain connections', () => {
    expect(run.infra('aws_db_parameter_group.pg')?.details?.tlsRequired).toBe(true);
    expect(run.infra('aws_db_parameter_group.loose')?.details?.tlsRequired).toBeUndefined();
  });

  it('reads encryption at rest of RDS with a KMS key, DynamoDB SSE, inline S3 SSE and EFS', () => {
    expect(run.infra('aws_db_instance.orders')?.details).toMatchObject({ customerManagedKey: true });
    expect(run.infra('aws_dynamodb_table.sessions')?.details).toMatchObject({ encryptedAtRest: true, customerManagedKey: true });
    expect(run.infra('aws_dynamodb_table.plain')?.details?.encryptedAtRest).toBeUndefined();
    expect(run.infra('aws_s3_bucket.inline')?.details?.encryption).toBe('AES256');
    expect(run.infra('aws_efs_file_system.shared')?.details?.encryptedAtRest).toBe(true);
  });

  it('synthesises them: yes, no (with the finding), not stated, and database TLS', () => {
    const syn = securitySynthesis(run.m);
    const at = Object.fromEntries(syn.atRest.map((r) => [r.store, r.encrypted]));
    expect(at).toEqual({
      'aws_db_instance.legacy': 'no',
      'aws_db_instance.orders': 'yes',
      'aws_dynamodb_table.plain': 'not stated',
      'aws_dynamodb_table.sessions': 'yes',
      'aws_efs_file_system.shared': 'yes',
      'aws_s3_bucket.inline': 'yes',
    });
    // The "no" row cites the finding's evidence, the row and the finding say the same.
    const legacy = syn.atRest.find((r) => r.store === 'aws_db_instance.legacy');
    expect(legacy?.evidence).toEqual(run.finding('database-not-encrypted-at-rest', 'aws_db_instance.legacy')?.evidence);
    const tls = syn.inTransit.filter((l) => l.statement.startsWith('requires TLS'));
    expect(tls.map((l) => l.subject)).toEqual(['aws_db_instance.orders']);
    expect(tls[0]?.statement).toBe('requires TLS of its clients (parameter group aws_db_parameter_group.pg)');
  });
});
