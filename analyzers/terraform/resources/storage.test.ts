import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../../test/helpers.js';
import type { Model } from '../../../src/model/schema.js';

const HCL = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-logs/*"
    }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  role   = "arn:aws:iam::123456789012:role/replication"

  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::acme-logs-dr"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = 90
    }
  }

  rule {
    id     = "archive"
    status = "Enabled"
    transition {
      days          = 30
      storage_class = "GLACIER"
    }
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "google_storage_bucket" "media" {
  name     = "acme-media"
  location = "EU"

  versioning {
    enabled = true
  }
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.media.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "azurerm_storage_account" "files" {
  name                            = "acmefiles"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  https_traffic_only_enabled      = false
  allow_nested_items_to_be_public = true
}
`;

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(tempRepo('tf-storage', { 'infra/storage.tf': HCL }));
}, 60_000);
afterAll(removeTemps);

const infra = (address: string) => m.infrastructure.find((f) => f.id === `infra:infra/${address}`);
const finding = (rule: string, address: string) => m.security.find((s) => s.id === `security:${rule}:infra/${address}`);
const lines = HCL.split('\n');
/** 1-based line of the first line holding `text` after the line holding `after`. */
const lineOf = (text: string, after = '') => {
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
};

describe('terraform object storage rules', () => {
  it('S3 settings made by separate resources land on the bucket they name', () => {
    expect(infra('aws_s3_bucket.logs')?.details).toMatchObject({ bucket: 'acme-logs', encryption: 'aws:kms', lifecycleRules: 2, public: true });
    expect(m.recovery.find((r) => r.id === 'recovery:replication:infra/aws_s3_bucket.logs')?.details).toMatchObject({ configuredBy: 'aws_s3_bucket_replication_configuration.logs' });
  });

  it('a bucket policy granting everyone is a public-bucket finding on the policy line', () => {
    expect(finding('public-bucket', 'aws_s3_bucket.logs')).toMatchObject({ severity: 'high', evidence: [{ file: 'infra/storage.tf', line: lineOf('policy = jsonencode') }] });
  });

  it('versioning and a full public access block on the second bucket', () => {
    expect(infra('aws_s3_bucket.assets')?.details).toMatchObject({ versioning: true, publicAccessBlocked: true });
    expect(m.recovery.find((r) => r.id === 'recovery:versioning:infra/aws_s3_bucket.assets')?.evidence[0]?.line).toBe(lineOf('status = "Enabled"', 'versioning_configuration'));
    expect(finding('public-bucket', 'aws_s3_bucket.assets')).toBeUndefined();
    expect(m.dataStores.find((d) => d.id === 'datastore:s3')?.details?.buckets).toEqual(expect.arrayContaining(['acme-logs', 'acme-assets']));
  });

  it('a Cloud Storage bucket with versioning, made public by an IAM member for allUsers', () => {
    expect(infra('google_storage_bucket.media')?.details).toMatchObject({ bucket: 'acme-media', location: 'EU' });
    expect(m.recovery.find((r) => r.id === 'recovery:versioning:infra/google_storage_bucket.media')).toBeDefined();
    expect(finding('public-bucket', 'google_storage_bucket.media')?.severity).toBe('high');
    expect(m.dataStores.find((d) => d.id === 'datastore:gcs')?.details?.buckets).toEqual(['acme-media']);
  });

  it('an Azure storage account: geo-redundant, plain HTTP allowed, public blobs allowed', () => {
    expect(infra('azurerm_storage_account.files')?.details).toMatchObject({ replication: 'GZRS' });
    expect(m.recovery.find((r) => r.id === 'recovery:multi-region:infra/azurerm_storage_account.files')).toBeDefined();
    expect(finding('plain-http-storage', 'azurerm_storage_account.files')?.severity).toBe('medium');
    expect(finding('public-bucket', 'azurerm_storage_account.files')?.severity).toBe('high');
  });
});
