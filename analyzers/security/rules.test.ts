/**
 * Rules of the security analyzer that no fixture exercises, one describe per rule file, each on a
 * small repository run through the real pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';

afterAll(removeTemps);

const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: deps });
const byId = (m: Model, id: string): SecurityFact | undefined => m.security.find((s) => s.id === id);

let m: Model;
beforeAll(async () => {
  m = await analyseRepo(
    tempRepo('security-rules', {
      'package.json': pkg({
        express: '^4.19.2',
        hpp: '^0.2.3',
        csurf: '^1.11.0',
        hsts: '^2.2.0',
        ajv: '^8.0.0',
        'xss-clean': '^0.1.4',
        casbin: '^5.0.0',
        jsonwebtoken: '^9.0.0',
      }),
      'src/crypto.ts': [
        "import crypto from 'node:crypto';",
        'const ITERATIONS = 310_000;',
        "export const key = crypto.pbkdf2Sync('p', 'salt', ITERATIONS, 32, 'sha256');",
        "export const derived = crypto.scryptSync('p', 'salt', 64);",
        '',
      ].join('\n'),
      'src/server.ts': [
        "import express from 'express';",
        "import hpp from 'hpp';",
        "import csrf from 'csurf';",
        "import hsts from 'hsts';",
        "import { newEnforcer } from 'casbin';",
        "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
        "import xss from 'xss-clean';",
        "import Ajv from 'ajv';",
        "import jwt from 'jsonwebtoken';",
        'const app = express();',
        'app.use(hpp());',
        'app.use(csrf());',
        'app.use(hsts({ maxAge: 15552000 }));',
        'app.use(xss());',
        'export const ajv = new Ajv();',
        "export const enforcer = newEnforcer('rbac_model.conf', 'policy.csv');",
        'export const secrets = new SecretsManagerClient({});',
        'export const token = jwt.sign({ sub: 1 }, process.env.JWT_SECRET);',
        '',
      ].join('\n'),
      'src/limits.ts': [
        "import Fastify from 'fastify';",
        "import rateLimit from '@fastify/rate-limit';",
        "import { RateLimiterMemory } from 'rate-limiter-flexible';",
        'const app = Fastify();',
        "app.register(rateLimit, { max: 100, timeWindow: '1 minute' });",
        "export const limiter = new RateLimiterMemory({ keyPrefix: 'login', points: 5, duration: 60 });",
        '',
      ].join('\n'),
    }),
  );
});

describe('credentials.ts', () => {
  it('reads PBKDF2 iterations through a constant, and scrypt', () => {
    expect(byId(m, 'security:password-hashing:pbkdf2')).toMatchObject({ tech: 'node:crypto', details: { iterations: ['310000'] } });
    expect(byId(m, 'security:password-hashing:scrypt')?.evidence).toEqual([{ file: 'src/crypto.ts', line: 4 }]);
  });
});

describe('http-hardening.ts', () => {
  it('finds hpp and CSRF middleware by import and call, and the hsts max-age', () => {
    expect(byId(m, 'security:hpp')?.tech).toBe('hpp');
    expect(byId(m, 'security:csrf:csurf')?.evidence).toEqual([
      { file: 'src/server.ts', line: 3 },
      { file: 'src/server.ts', line: 12 },
    ]);
    expect(byId(m, 'security:hsts')).toMatchObject({ tech: 'hsts', details: { maxAge: '15552000 s' } });
  });
});

describe('validation.ts', () => {
  it('finds ajv by import and construction, and a sanitiser by import', () => {
    expect(byId(m, 'security:validation:ajv')?.evidence.map((e) => e.line)).toEqual([8, 15]);
    expect(byId(m, 'security:sanitiser:xss-clean')?.name).toBe('XSS sanitisation (xss-clean)');
  });
});

describe('secrets.ts', () => {
  it('names the secrets manager and the secret read from the environment, never a value', () => {
    expect(byId(m, 'security:secrets-manager:@aws-sdk/client-secrets-manager')?.name).toBe('Secrets from AWS Secrets Manager');
    expect(byId(m, 'security:secrets:environment')?.details).toEqual({ envVars: ['JWT_SECRET'] });
  });
});

describe('authentication.ts', () => {
  it('reports a token signed with no expiry and no options', () => {
    expect(byId(m, 'security:finding:jwt-no-expiry:src/server.ts')).toMatchObject({ severity: 'low', evidence: [{ file: 'src/server.ts', line: 18 }] });
    expect(byId(m, 'security:jwt:jsonwebtoken')?.details).toMatchObject({
      algorithms: ['HS256 (library default)'],
      secretSources: ['environment variable JWT_SECRET'],
    });
  });
});

describe('authorisation.ts', () => {
  it('reads the casbin model file of the enforcer', () => {
    expect(byId(m, 'security:policy:casbin')?.details).toEqual({ model: 'rbac_model.conf' });
  });
});

describe('rate-limits.ts', () => {
  it('reads @fastify/rate-limit and rate-limiter-flexible limits', () => {
    expect(byId(m, 'security:rate-limit:@fastify/rate-limit')?.details).toEqual({ limits: ['100 requests per 1 minute'] });
    expect(byId(m, 'security:rate-limit:rate-limiter-flexible')?.details).toEqual({ limits: ['login: 5 points per 1 min'] });
  });
});
