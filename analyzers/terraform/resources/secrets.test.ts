import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_kms_key" "main" {
  description             = "application data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_secretsmanager_secret" "db" {
  name                    = "prod/db"
  recovery_window_in_days = 7
  kms_key_id              = aws_kms_key.main.arn
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_ssm_parameter" "api_token" {
  name  = "/app/api_token"
  type  = "String"
  value = var.api_token
}

resource "aws_ssm_parameter" "signing_key" {
  name  = "/app/signing_key"
  type  = "SecureString"
  value = var.signing_key
}

resource "aws_ssm_parameter" "feature_flags" {
  name  = "/app/feature_flags"
  type  = "StringList"
  value = "search,checkout"
}
`;

const run = hclRun('secrets', HCL);

describe('terraform secrets rules', () => {
  it('KMS key rotation and deletion window; a secret with its own key, recovery window and rotation', () => {
    expect(run.infra('aws_kms_key.main')?.details).toMatchObject({ keyRotation: true, deletionWindowDays: 30 });
    expect(run.infra('aws_secretsmanager_secret.db')?.details).toMatchObject({ secretName: 'prod/db', recoveryWindowDays: 7, customerManagedKey: true });
    expect(run.infra('aws_secretsmanager_secret_rotation.db')?.details).toMatchObject({ rotationDays: 30 });
  });

  it('a secret-sounding SSM parameter stored as String is a finding; SecureString and plain settings are not', () => {
    expect(run.infra('aws_ssm_parameter.api_token')?.details).toMatchObject({ parameterType: 'String' });
    const rules = run.m.security.filter((s) => s.details?.rule === 'plaintext-parameter').map((s) => s.details?.resource);
    expect(rules).toEqual(['aws_ssm_parameter.api_token']);
  });
});
