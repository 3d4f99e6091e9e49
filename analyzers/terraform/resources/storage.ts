/**
 * Object storage rules: S3 buckets and their separate settings resources (versioning, public
 * access block, ACL, policy, encryption, replication, lifecycle), Cloud Storage buckets and their
 * IAM members, Azure storage accounts.
 */
import { at, isFalse, isTrue, literalName, many, show, showString } from '../values.js';
import { type Block, type Out, type Rules, type Said, set, type RuleInput, inRoot } from '../out.js';
import { idOf } from '../../../src/model/ids.js';

function bucketVersioning(out: Out, bucket: Block, by: Block, attr: string): void {
  bucket.details.versioning = true;
  out.ctx.emit('recovery', {
    id: idOf.recovery('versioning', inRoot(bucket.dir, bucket.address)),
    name: bucket.address,
    category: 'versioning',
    tech: 'terraform',
    details: { resource: bucket.address, store: bucket.id, statement: 'object-versioning-restorable', setting: attr },
    evidence: [out.ev(by, attr)],
  });
}

/** A public-bucket finding on `bucket`, made by `by` (the bucket itself or a settings resource). */
function publicBucket(out: Out, bucket: Block, by: Block, said: Said, attr: string): void {
  bucket.details.public = true;
  out.ctx.emit('security', {
    id: idOf.security('public-bucket', inRoot(bucket.dir, bucket.address)),
    name: bucket.address,
    category: 'infrastructure',
    severity: 'high',
    tech: 'terraform',
    details: { rule: 'public-bucket', resource: bucket.address, ...said },
    evidence: [out.ev(by, attr)],
  });
}

function publicGcsMember({ out, b, body }: RuleInput): void {
  const members = [body.member, ...(Array.isArray(body.members) ? body.members : [])];
  const member = members.find((m) => m === 'allUsers' || m === 'allAuthenticatedUsers');
  if (member) {
    const bucket = out.ref(b, 'google_storage_bucket') ?? b;
    out.security(bucket, 'public-bucket', 'high', { statement: 'bucket-all-users', setting: 'member', value: member, grantedBy: b.address }, undefined);
  }
}

export const STORAGE: Rules = {
  aws_s3_bucket({ out, b, d, body }) {
    const bucket = showString(body.bucket) ?? showString(body.bucket_prefix) ?? b.name;
    d.bucket = bucket;
    // Inline (provider v3) settings.
    if (isTrue(at(body, 'versioning', 'enabled'))) bucketVersioning(out, b, b, 'versioning');
    const acl = body.acl;
    if (acl === 'public-read' || acl === 'public-read-write') publicBucket(out, b, b, { statement: 'bucket-public-acl', setting: 'acl', value: acl }, 'acl');
    const inlineSse = at(body, 'server_side_encryption_configuration', 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm');
    if (inlineSse !== undefined) d.encryption = String(show(inlineSse));
    if (body.replication_configuration !== undefined)
      out.recovery(b, 'replication', { statement: 'objects-replicated', setting: 'replication_configuration' }, 'replication_configuration');
    out.dataStore(b, 's3', 'Amazon S3', 'object', { buckets: [bucket] });
  },
  aws_s3_bucket_versioning({ out, b, d, body }) {
    const bucket = out.ref(b, 'aws_s3_bucket');
    const status = at(body, 'versioning_configuration', 'status');
    set(d, 'status', status);
    if (bucket && status === 'Enabled') bucketVersioning(out, bucket, b, 'status');
  },
  aws_s3_bucket_public_access_block({ out, b, body }) {
    const keys = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    const off = keys.filter((k) => isFalse(body[k]));
    const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
    if (off.length === 0 && keys.every((k) => isTrue(body[k]))) {
      bucket.details.publicAccessBlocked = true;
    } else if (off.length > 0) {
      publicBucket(out, bucket, b, { statement: 'bucket-public-access-block-off', values: off }, off[0]!);
    }
  },
  aws_s3_bucket_acl({ out, b, body }) {
    const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
    if (body.acl === 'public-read' || body.acl === 'public-read-write')
      publicBucket(out, bucket, b, { statement: 'bucket-public-acl', setting: 'acl', value: body.acl }, 'acl');
  },
  aws_s3_bucket_policy({ out, b, body }) {
    const text = typeof body.policy === 'string' ? body.policy : '';
    if (/"?Principal"?\s*[=:]\s*"\*"/.test(text) || /"AWS"\s*[=:]\s*"\*"/.test(text)) {
      const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
      if (!/Condition/.test(text)) publicBucket(out, bucket, b, { statement: 'bucket-public-policy', setting: 'policy' }, 'policy');
    }
  },
  aws_s3_bucket_server_side_encryption_configuration({ out, b, body }) {
    const algo = at(body, 'rule', 'apply_server_side_encryption_by_default', 'sse_algorithm');
    const bucket = out.ref(b, 'aws_s3_bucket');
    if (bucket && algo !== undefined) bucket.details.encryption = String(show(algo));
    if (bucket && at(body, 'rule', 'apply_server_side_encryption_by_default', 'kms_master_key_id') !== undefined) bucket.details.customerManagedKey = true;
  },
  aws_s3_bucket_replication_configuration({ out, b }) {
    const bucket = out.ref(b, 'aws_s3_bucket') ?? b;
    out.recovery(bucket, 'replication', { statement: 'objects-replicated', configuredBy: b.address });
  },
  aws_s3_bucket_lifecycle_configuration({ out, b, body }) {
    const bucket = out.ref(b, 'aws_s3_bucket');
    if (bucket) bucket.details.lifecycleRules = many(body.rule).length;
  },
  aws_efs_file_system({ d, body }) {
    if (body.encrypted !== undefined) d.encryptedAtRest = show(body.encrypted)!;
    if (body.kms_key_id !== undefined) d.customerManagedKey = true;
  },
  google_storage_bucket({ out, b, d, body }) {
    d.bucket = literalName(body.name) ?? b.name;
    set(d, 'location', body.location);
    if (isTrue(at(body, 'versioning', 'enabled'))) out.recovery(b, 'versioning', { statement: 'object-versioning', setting: 'versioning' }, 'versioning');
    out.dataStore(b, 'gcs', 'Google Cloud Storage', 'object', { buckets: [String(d.bucket)] });
  },
  google_storage_bucket_iam_member: publicGcsMember,
  google_storage_bucket_iam_binding: publicGcsMember,
  azurerm_storage_account({ out, b, d, body }) {
    set(d, 'replication', body.account_replication_type);
    const rep = String(body.account_replication_type ?? '');
    if (/GRS|GZRS/.test(rep))
      out.recovery(b, 'multi-region', { statement: 'geo-redundant-storage', setting: 'account_replication_type', value: rep }, 'account_replication_type');
    else if (/ZRS/.test(rep))
      out.recovery(b, 'multi-az', { statement: 'zone-redundant-storage', setting: 'account_replication_type', value: rep }, 'account_replication_type');
    if (isFalse(body.enable_https_traffic_only) || isFalse(body.https_traffic_only_enabled))
      out.security(
        b,
        'plain-http-storage',
        'medium',
        { statement: 'storage-plain-http', setting: 'enable_https_traffic_only', value: false },
        'enable_https_traffic_only',
      );
    if (isTrue(body.allow_nested_items_to_be_public) || isTrue(body.allow_blob_public_access))
      out.security(
        b,
        'public-bucket',
        'high',
        { statement: 'storage-public-blobs', setting: 'allow_nested_items_to_be_public', value: true },
        'allow_nested_items_to_be_public',
      );
    out.dataStore(b, 'azure-storage', 'Azure Storage', 'object', {});
  },
};
