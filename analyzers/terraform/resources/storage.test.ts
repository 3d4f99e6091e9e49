import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

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

const run = hclRun('storage', HCL);

describe('terraform object storage rules', () => {
  it('S3 settings made by separate resources land on the bucket they name', () => {
    expect(run.infra('aws_s3_bucket.logs')?.details).toMatchObject({ bucket: 'acme-logs', encryption: 'aws:kms', lifecycleRules: 2, public: true });
    expect(run.m.recovery.find((r) => r.id === 'recovery:replication:infra/aws_s3_bucket.logs')?.details).toMatchObject({
      configuredBy: 'aws_s3_bucket_replication_configuration.logs',
    });
  });

  it('a bucket policy granting everyone is a public-bucket finding on the policy line', () => {
    expect(run.finding('public-bucket', 'aws_s3_bucket.logs')).toMatchObject({
      severity: 'high',
      evidence: [{ file: 'infra/storage.tf', line: run.lineOf('policy = jsonencode') }],
    });
  });

  it('versioning and a full public access block on the second bucket', () => {
    expect(run.infra('aws_s3_bucket.assets')?.details).toMatchObject({ versioning: true, publicAccessBlocked: true });
    expect(run.m.recovery.find((r) => r.id === 'recovery:versioning:infra/aws_s3_bucket.assets')?.evidence[0]?.line).toBe(
      run.lineOf('status = "Enabled"', 'versioning_configuration'),
    );
    expect(run.finding('public-bucket', 'aws_s3_bucket.assets')).toBeUndefined();
    expect(run.m.dataStores.find((d) => d.id === 'datastore:s3')?.details?.buckets).toEqual(expect.arrayContaining(['acme-logs', 'acme-assets']));
  });

  it('a Cloud Storage bucket with versioning, made public by an IAM member for allUsers', () => {
    expect(run.infra('google_storage_bucket.media')?.details).toMatchObject({ bucket: 'acme-media', location: 'EU' });
    expect(run.m.recovery.find((r) => r.id === 'recovery:versioning:infra/google_storage_bucket.media')).toBeDefined();
    expect(run.finding('public-bucket', 'google_storage_bucket.media')?.severity).toBe('high');
    expect(run.m.dataStores.find((d) => d.id === 'datastore:gcs')?.details?.buckets).toEqual(['acme-media']);
  });

  it('an Azure storage account: geo-redundant, plain HTTP allowed, public blobs allowed', () => {
    expect(run.infra('azurerm_storage_account.files')?.details).toMatchObject({ replication: 'GZRS' });
    expect(run.m.recovery.find((r) => r.id === 'recovery:multi-region:infra/azurerm_storage_account.files')).toBeDefined();
    expect(run.finding('plain-http-storage', 'azurerm_storage_account.files')?.severity).toBe('medium');
    expect(run.finding('public-bucket', 'azurerm_storage_account.files')?.severity).toBe('high');
  });
});
