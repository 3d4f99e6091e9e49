import { describe, expect, it } from 'vitest';
import { looksLikeCommittedSecret } from '../../src/analysis/secrets.js';
import { isSecretName } from '../../src/util/redact.js';

describe('src/analysis/secrets: committed secret values', () => {
  it('tells committed secrets from references and settings', () => {
    expect(looksLikeCommittedSecret('JWT_SECRET', 'abc123')).toBe(true);
    expect(looksLikeCommittedSecret('JWT_SECRET', '${JWT_SECRET}')).toBe(false);
    expect(looksLikeCommittedSecret('API_TOKEN', '${{ secrets.API_TOKEN }}')).toBe(false);
    expect(looksLikeCommittedSecret('TOKEN_TTL', '3600s')).toBe(false);
    expect(looksLikeCommittedSecret('DATABASE_URL', 'postgres://u:p@db/x')).toBe(true);
    expect(looksLikeCommittedSecret('REDIS_URL', 'redis://cache:6379')).toBe(false);
    expect(looksLikeCommittedSecret('GOOGLE_API_KEY', 'GOOGLE_API_KEY_VAL')).toBe(false);
    expect(looksLikeCommittedSecret('ALLOYDB_SECRET_NAME', 'orders-db')).toBe(false);
    expect(looksLikeCommittedSecret('connectionString', 'redis-cart:6379')).toBe(false);
    expect(looksLikeCommittedSecret('CONNECTION_STRING', 'Server=db;Password=hunter2')).toBe(true);
  });

  it('reads setting words as whole words of the name, so admin and MinIO passwords are secrets', () => {
    for (const name of [
      'ADMIN_PASSWORD',
      'MINIO_ROOT_PASSWORD',
      'MINIO_SECRET_KEY',
      'PGADMIN_DEFAULT_PASSWORD',
      'GF_SECURITY_ADMIN_PASSWORD',
      'adminPassword',
    ]) {
      expect(looksLikeCommittedSecret(name, 'hunter2hunter2'), name).toBe(true);
    }
    for (const name of [
      'JWT_EXPIRES_IN',
      'PASSWORD_MAX_AGE',
      'SECRET_TIMEOUT',
      'DB_PASSWORD_FILE',
      'jwtSecretPath',
      'TOKEN_ISSUER',
      'SESSION_SECRET_MIN_LENGTH',
    ]) {
      expect(looksLikeCommittedSecret(name, 'hunter2hunter2'), name).toBe(false);
    }
  });

  it('never counts empty values, flags, numbers or a reference field named `key`', () => {
    expect(looksLikeCommittedSecret('DB_PASSWORD', '')).toBe(false);
    expect(looksLikeCommittedSecret('DB_PASSWORD', '  ')).toBe(false);
    expect(looksLikeCommittedSecret('DB_PASSWORD', 'true')).toBe(false);
    expect(looksLikeCommittedSecret('DB_PASSWORD', 12345678)).toBe(true);
    expect(looksLikeCommittedSecret('DB_PASSWORD', 5432)).toBe(false);
    expect(looksLikeCommittedSecret('DB_PASSWORD', { from: 'secret' })).toBe(false);
    expect(looksLikeCommittedSecret('key', 'db-password')).toBe(false);
    expect(looksLikeCommittedSecret('DB_PASSWORD', 'changeme')).toBe(false);
  });

  it('asks the one name rule (src/util/redact.ts) which names are secrets', () => {
    // Every name the rule calls a secret's carries a committed literal as a secret; a name it does
    // not (the shell's PWD, a front-end build's public key) never does, whatever the value.
    for (const name of ['JWT_SECRET', 'DB_PWD', 'STRIPE_API_KEY', 'SESSION_KEY', 'GITHUB_TOKEN']) {
      expect(isSecretName(name), name).toBe(true);
      expect(looksLikeCommittedSecret(name, 'a1b2c3d4e5'), name).toBe(true);
    }
    for (const name of ['PWD', 'NEXT_PUBLIC_STRIPE_KEY', 'PORT', 'CACHE_KEY', 'PASSWORD_MIN_LENGTH']) {
      expect(isSecretName(name), name).toBe(false);
      expect(looksLikeCommittedSecret(name, 'a1b2c3d4e5'), name).toBe(false);
    }
  });
});
