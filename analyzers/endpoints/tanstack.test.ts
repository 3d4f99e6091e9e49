import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { tanstackPath } from './tanstack.js';

afterAll(removeTemps);

describe('endpoints: TanStack Start server routes', () => {
  it('writes a route id as the path it serves', () => {
    expect(tanstackPath('/api/auth/$')).toBe('/api/auth/*');
    expect(tanstackPath('/_authed/api/users/$userId')).toBe('/api/users/:userId');
    expect(tanstackPath('/(admin)/api/reports/{-$year}')).toBe('/api/reports/:year?');
    expect(tanstackPath('/')).toBe('/');
  });

  it('lists the server handlers of file routes and leaves pages out', async () => {
    const root = tempRepo('tanstack-start', {
      'package.json': JSON.stringify({
        name: 'web',
        dependencies: { '@tanstack/react-router': '^1.135.0', '@tanstack/react-start': '^1.135.0' },
      }),
      'src/routes/api/auth.$.ts': `import { createFileRoute } from '@tanstack/react-router';
import { auth } from '../../auth';
export const Route = createFileRoute('/api/auth/$')({
  server: {
    handlers: {
      GET: ({ request }) => auth.handler(request),
      POST: ({ request }) => auth.handler(request),
    },
  },
});
`,
      'src/routes/api/users.$id.ts': `import { createServerFileRoute } from '@tanstack/react-start/server';
export const ServerRoute = createServerFileRoute('/api/users/$id').methods({
  DELETE: async ({ params }) => new Response(null, { status: 204 }),
});
`,
      'src/routes/about.tsx': `import { createFileRoute } from '@tanstack/react-router';
export const Route = createFileRoute('/about')({ component: () => null });
`,
      'src/auth.ts': `export const auth = { handler: (r: Request) => new Response('ok') };
`,
    });
    const model = await analyseRepo(root);
    expect(model.endpoints.map((e) => `${e.method} ${e.path} ${e.details?.routeFile}:${e.details?.routeLine}`).sort()).toEqual([
      'DELETE /api/users/:id src/routes/api/users.$id.ts:3',
      'GET /api/auth/* src/routes/api/auth.$.ts:6',
      'POST /api/auth/* src/routes/api/auth.$.ts:7',
    ]);
  });
});
