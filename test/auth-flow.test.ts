import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { analyseFixture } from './helpers.js';
import type { Model } from '../src/model/schema.js';
import { mermaidError } from './mermaid-parse.js';

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
    const model = { ...secure, security: secure.security.filter((s) => s.id !== 'security:auth-flow') };
    expect(buildDiagram('auth-flow', model, undefined, opts)).toBeUndefined();
  });
});
