import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

describe('endpoints: Elysia', () => {
  it('reads an instance prefix, groups, plugins given to use(), chains and beforeHandle hooks', async () => {
    const root = tempRepo('elysia-api', {
      'package.json': JSON.stringify({ name: 'bun-api', dependencies: { elysia: '^1.1.0' } }),
      'src/index.ts': `import { Elysia } from 'elysia';
import { users } from './users';
const app = new Elysia()
  .get('/health', () => 'ok')
  .group('/api/v1', (api) => api.use(users).get('/version', () => '1'))
  .listen(3000);
export type App = typeof app;
`,
      'src/users.ts': `import { Elysia, t } from 'elysia';
import { requireUser } from './auth';
export const users = new Elysia({ prefix: '/users' })
  .get('/', () => [])
  .get('/:id', ({ params }) => params.id)
  .post('/', ({ body }) => body, { beforeHandle: requireUser, body: t.Object({ name: t.String() }) });
`,
      'src/auth.ts': `export function requireUser({ headers, set }) {
  if (!headers.authorization) {
    set.status = 401;
    return 'Unauthorized';
  }
}
`,
    });
    const model = await analyseRepo(root);
    expect(model.endpoints.map((e) => `${e.method} ${e.path} ${e.details?.framework}`).sort()).toEqual([
      'GET /api/v1/users elysia',
      'GET /api/v1/users/:id elysia',
      'GET /api/v1/version elysia',
      'GET /health elysia',
      'POST /api/v1/users elysia',
    ]);
    expect(model.endpoints.find((e) => e.name === 'POST /api/v1/users')?.auth?.mechanisms).toEqual(['requireUser']);
  });
});
