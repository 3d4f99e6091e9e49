import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';

const byId = (m: Model, id: string): SecurityFact | undefined => m.security.find((s) => s.id === id);

describe('security: Hono middleware (hono-bun-library)', () => {
  let m: Model;
  beforeAll(async () => {
    m = await analyseFixture('hono-bun-library');
  });

  it('reads cors, secureHeaders, csrf and hono-rate-limiter registered in a setup function, chained or not', () => {
    expect(byId(m, 'security:cors:src/middlewares/index.ts')?.details).toEqual({
      origins: ['http://localhost:5173', 'https://shelf.example.org'],
      credentials: true,
      methods: ['DELETE', 'GET', 'PATCH', 'POST'],
    });
    expect(byId(m, 'security:headers:hono/secure-headers')?.details).toEqual({
      contentSecurityPolicy: 'not set (library default)',
      hsts: 'max-age=15552000; includeSubDomains (library default)',
    });
    expect(byId(m, 'security:csrf:hono/csrf')?.evidence).toEqual([{ file: 'src/middlewares/index.ts', line: 3 }]);
    expect(byId(m, 'security:rate-limit:hono-rate-limiter')?.details).toEqual({ limits: ['inline: 120 requests per 1 min'] });
  });

  it('reads the jwt() middleware, bearerAuth and an authorisation middleware made with createMiddleware', () => {
    expect(byId(m, 'security:jwt:hono/jwt')?.details).toEqual({
      algorithms: ['HS256'],
      operations: ['verify (middleware)'],
      secretSources: ['environment variable JWT_SECRET'],
    });
    expect(byId(m, 'security:bearer-auth:hono/bearer-auth')?.details).toEqual({ secretSource: 'environment variable METRICS_TOKEN' });
    const admin = byId(m, 'security:middleware:createAdminMiddleware');
    expect(admin?.category).toBe('authorisation');
    expect(admin?.evidence).toEqual([{ file: 'src/middlewares/auth.ts', line: 10 }]);
  });
});

describe('security: hono/jwt sign and verify', () => {
  afterEach(removeTemps);

  it('reads the algorithm given as the third argument and the secret source', async () => {
    const root = tempRepo('hono-jwt', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { hono: '^4.6.0' } }),
      'src/tokens.ts':
        "import { sign, verify } from 'hono/jwt';\nexport const issue = (sub: string) => sign({ sub, exp: Math.floor(Date.now() / 1000) + 900 }, process.env.JWT_SECRET!, 'HS512');\nexport const check = (t: string) => verify(t, process.env.JWT_SECRET!, 'HS512');\n",
    });
    const jwt = byId(await analyseRepo(root), 'security:jwt:hono/jwt');
    expect(jwt?.details).toEqual({ algorithms: ['HS512'], operations: ['sign', 'verify'], secretSources: ['environment variable JWT_SECRET'] });
  });

  it('reads basicAuth on one route, and a password written in source is a finding', async () => {
    const root = tempRepo('hono-basic', {
      'package.json': JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { hono: '^4.6.0' } }),
      'src/app.ts':
        "import { Hono } from 'hono';\nimport { basicAuth } from 'hono/basic-auth';\nconst app = new Hono();\napp.get('/admin/queues', basicAuth({ username: 'ops', password: 'hunter2-ops' }), (c) => c.text('ok'));\nexport default app;\n",
    });
    const m = await analyseRepo(root);
    expect(byId(m, 'security:basic-auth:hono/basic-auth')?.details).toEqual({ secretSource: 'string literal in source' });
    expect(byId(m, 'security:finding:literal-secret:src/app.ts')?.name).toBe('Basic authentication password written in source');
    expect(m.endpoints.find((e) => e.name === 'GET /admin/queues')?.auth).toEqual({ required: true, mechanisms: ['basic auth'] });
  });
});
