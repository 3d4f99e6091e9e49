/**
 * Secrets rules: KMS keys, Secrets Manager secrets and their rotation, and SSM parameters that store
 * a secret-sounding value as plain text.
 */
import { at, literalName, show } from '../values.js';
import { type Rules, set } from '../out.js';

export const SECRETS: Rules = {
  aws_kms_key({ d, body }) {
    if (body.enable_key_rotation !== undefined) d.keyRotation = show(body.enable_key_rotation)!;
    set(d, 'deletionWindowDays', body.deletion_window_in_days);
  },
  aws_secretsmanager_secret({ d, body }) {
    set(d, 'secretName', body.name);
    set(d, 'recoveryWindowDays', body.recovery_window_in_days);
    if (body.kms_key_id !== undefined) d.customerManagedKey = true;
  },
  aws_secretsmanager_secret_rotation({ d, body }) {
    set(d, 'rotationDays', at(body, 'rotation_rules', 'automatically_after_days'));
  },
  aws_ssm_parameter({ out, b, d, body }) {
    set(d, 'parameterType', body.type);
    if (
      (body.type === 'String' || body.type === 'StringList') &&
      /(password|passwd|secret|token|api_?key|private_?key)/i.test(`${b.name} ${String(literalName(body.name) ?? '')}`)
    ) {
      out.security(
        b,
        'plaintext-parameter',
        'medium',
        { statement: 'plaintext-parameter', setting: 'type', value: String(show(body.type) ?? 'String') },
        'type',
      );
    }
  },
};
