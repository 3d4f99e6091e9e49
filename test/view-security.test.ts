import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { securityView } from '../src/render/view-security.js';
import { emptyModel } from '../src/model/empty.js';
import type { SecurityFact } from '../src/model/schema.js';

const ev = [{ file: 'src/auth.ts', line: 3 }];

describe('security section groups', () => {
  it('groups by typed fields, whatever the ids say', () => {
    const facts = [
      { id: 'a', name: 'POST /login', category: 'authentication', details: { route: 'POST /login', kind: 'login' }, evidence: ev },
      {
        id: 'b',
        name: 'Login and token issuance',
        category: 'authentication',
        details: { loginRoute: 'POST /login', tokenLibrary: 'jsonwebtoken' },
        evidence: ev,
      },
      { id: 'c', name: 'JSON Web Tokens (jsonwebtoken)', category: 'authentication', tech: 'jsonwebtoken', evidence: ev },
      { id: 'd', name: 'User', category: 'data', details: { fields: ['email'], source: 'prisma model' }, evidence: ev },
      { id: 'e', name: 'Secrets read from environment variables', category: 'data', details: { envVars: ['JWT_SECRET'] }, evidence: ev },
      { id: 'f', name: 'Guard AuthGuard', category: 'authorisation', evidence: ev },
    ] as SecurityFact[];
    const v = securityView(emptyModel({ security: facts }));
    expect(v.authRoutes.map((f) => f.id)).toEqual(['a']);
    expect(v.authMechanisms.map((f) => f.id)).toEqual(['c']);
    expect(v.pii.map((f) => f.id)).toEqual(['d']);
    expect(v.dataOther.map((f) => f.id)).toEqual(['e']);
  });

  it('the security template decodes no id', () => {
    const text = readFileSync(new URL('../templates/sections/security-architecture.njk', import.meta.url), 'utf8');
    expect(text).not.toMatch(/\.id\b|startsWith|"security:(?!overview|monitoring)/);
  });
});
