import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { analyseFixture } from './helpers.js';
import type { Model } from '../src/model/schema.js';
import { mermaidError } from './mermaid-parse.js';
import { readFileSync } from 'node:fs';
import { authFlowOf } from '../analyzers/security/auth-flow.js';
import { emptyModel } from '../src/model/empty.js';

const opts = { maxNodes: 40, maxEdges: 80 };
/** Mermaid source with numeric entities (`#40;`) turned back into characters, for readable assertions. */
const text = (code: string) => code.replace(/#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('authentication flow diagram', () => {
  let secure: Model;
  let risky: Model;
  beforeAll(async () => {
    [secure, risky] = await Promise.all([analyseFixture('secure-observable-api'), analyseFixture('risky-api')]);
  });

  it('draws the login, password check, token issuance and verification found in code', async () => {
    const d = buildDiagram('auth-flow', secure, undefined, opts);
    expect(d).toBeDefined();
    expect(text(d!.code)).toContain('POST /v1/auth/login with credentials');
    expect(text(d!.code)).toContain('verify password (bcrypt)');
    expect(text(d!.code)).toContain('issue token (jsonwebtoken, RS256, expires in 15m)');
    expect(text(d!.code)).toContain('verify token (Passport jwt strategy)');
    expect(await mermaidError(d!.code)).toBeUndefined();
  });

  it('falls back to the JWT library as the verifier when there is no strategy or guard', async () => {
    const d = buildDiagram('auth-flow', risky, undefined, opts);
    expect(text(d!.code)).toContain('verify token (jsonwebtoken verify)');
    expect(await mermaidError(d!.code)).toBeUndefined();
  });

  it('draws the password login, not a social one found first, and never the anonymous strategy as the verifier', async () => {
    // nest-guarded-api has POST /api/auth/apple/login (read first) and POST /api/auth/login (argon2),
    // and an `anonymous` Passport strategy next to the jwt one.
    const nest = await analyseFixture('nest-guarded-api');
    const code = text(buildDiagram('auth-flow', nest, undefined, opts)!.code);
    expect(code).toContain('POST /api/auth/login with credentials');
    expect(code).toContain('verify password (argon2)');
    expect(code).toContain('verify token (Passport jwt strategy)');
    expect(code).not.toMatch(/apple|anonymous/);
  });

  it('draws nothing without a login route and token issuance', () => {
    const model: Model = { ...secure, authFlow: undefined };
    expect(buildDiagram('auth-flow', model, undefined, opts)).toBeUndefined();
    expect(authFlowOf({ ...secure, security: secure.security.filter((s) => s.id !== 'security:auth-flow') })).toBeUndefined();
  });

  it('draws only model.authFlow: a hand-made flow with no security fact is drawn as given', () => {
    const model: Model = {
      ...secure,
      security: [],
      authFlow: {
        login: { name: 'POST /session', evidence: [{ file: 'a.ts', line: 1 }] },
        tokenIssue: { name: 'paseto', evidence: [{ file: 'a.ts', line: 2 }] },
        verifier: { mechanism: 'guard', name: 'Guard SessionGuard', evidence: [{ file: 'b.ts', line: 3 }] },
        evidence: [{ file: 'a.ts', line: 1 }],
      },
    };
    const code = text(buildDiagram('auth-flow', model, undefined, opts)!.code);
    expect(code).toContain('POST /session with credentials');
    expect(code).toContain('issue token (paseto)');
    expect(code).toContain('verify token (Guard SessionGuard)');
    expect(code).not.toContain('verify password');
  });

  it('auth-flow.ts decodes no id and knows no strategy name', () => {
    const source = readFileSync(new URL('../src/diagrams/auth-flow.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/security:|startsWith|\.id\.slice|passport|jwt|anonymous/i);
  });
});

describe('authentication flow as a typed model element', () => {
  it('Passport JWT and a guard: each step with its own evidence, the jwt strategy as the verifier', async () => {
    // nest-guarded-api: POST /api/auth/login checks the password with argon2, issues a token with
    // @nestjs/jwt; an `anonymous` and a `jwt` Passport strategy, and guards.
    const nest = await analyseFixture('nest-guarded-api');
    const flow = nest.authFlow!;
    expect(flow.login.name).toBe('POST /api/auth/login');
    expect(flow.passwordCheck?.name).toBe('argon2');
    expect(flow.tokenIssue.name).toBe('@nestjs/jwt');
    expect(flow.verifier).toMatchObject({ mechanism: 'passport-strategy', name: 'Passport jwt strategy' });
    expect(nest.security.some((s) => s.name.startsWith('Guard '))).toBe(true);
    const steps = [flow.login, flow.passwordCheck!, flow.tokenIssue, flow.verifier!];
    for (const s of steps) expect(s.evidence).toHaveLength(1);
    // The three steps of the login are the three places of the flow's evidence, each once.
    const places = [flow.login, flow.passwordCheck!, flow.tokenIssue].map((s) => `${s.evidence[0]!.file}:${s.evidence[0]!.line}`);
    expect(new Set(places).size).toBe(3);
    expect(places.sort()).toEqual(flow.evidence.map((e) => `${e.file}:${e.line}`).sort());
    // The verifier's place is the strategy fact's.
    const strategy = nest.security.find((s) => s.name === 'Passport jwt strategy')!;
    expect(strategy.evidence).toContainEqual(flow.verifier!.evidence[0]);
  });

  it('the verifier falls back to a guard, then to the token library', () => {
    const base = (extra: Model['security']): Model => ({
      ...emptyModel(),
      security: [
        {
          id: 'security:auth-flow',
          name: 'Login and token issuance',
          category: 'authentication',
          evidence: [
            { file: 'src/auth.ts', line: 4 },
            { file: 'src/auth.ts', line: 9 },
          ],
          details: { loginRoute: 'POST /login', tokenLibrary: 'jsonwebtoken' },
        },
        {
          id: 'security:auth-route:POST /login',
          name: 'POST /login',
          category: 'authentication',
          evidence: [{ file: 'src/auth.ts', line: 4 }],
          details: { route: 'POST /login', kind: 'login' },
        },
        {
          id: 'security:jwt:jsonwebtoken',
          name: 'JSON Web Tokens (jsonwebtoken)',
          category: 'authentication',
          tech: 'jsonwebtoken',
          evidence: [
            { file: 'src/auth.ts', line: 9 },
            { file: 'src/mw.ts', line: 2 },
          ],
          details: { operations: ['sign', 'verify'] },
        },
        {
          id: 'security:passport:local',
          name: 'Passport local strategy',
          category: 'authentication',
          tech: 'passport',
          evidence: [{ file: 'src/local.ts', line: 1 }],
        },
        ...extra,
      ],
    });
    const guarded = authFlowOf(
      base([{ id: 'security:guard:AuthGuard', name: 'Guard AuthGuard', category: 'authorisation', evidence: [{ file: 'src/guard.ts', line: 3 }] }]),
    )!;
    expect(guarded.verifier).toEqual({ mechanism: 'guard', name: 'Guard AuthGuard', evidence: [{ file: 'src/guard.ts', line: 3 }] });
    const plain = authFlowOf(base([]))!;
    expect(plain.verifier).toEqual({ mechanism: 'token-library', name: 'jsonwebtoken verify', evidence: [{ file: 'src/auth.ts', line: 9 }] });
    expect(plain.login.evidence).toEqual([{ file: 'src/auth.ts', line: 4 }]);
    expect(plain.tokenIssue.evidence).toEqual([{ file: 'src/auth.ts', line: 9 }]);
    expect(plain.passwordCheck).toBeUndefined();
  });
});
