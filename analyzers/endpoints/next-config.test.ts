import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const names = (m: { endpoints: { method: string; path: string }[] }) => m.endpoints.map((e) => `${e.method} ${e.path}`).sort();

describe('endpoints: Next.js configuration and Auth.js', () => {
  it('prefixes routes with basePath, takes only pageExtensions files as routes, and reads NextAuth(options) as GET and POST', async () => {
    const root = tempRepo('next-config', {
      'package.json': JSON.stringify({ name: 'portal', dependencies: { next: '^14.2.0', 'next-auth': '^4.24.0' } }),
      'next.config.mjs': `/** @type {import('next').NextConfig} */
const nextConfig = {
  basePath: '/portal',
  pageExtensions: ['page.tsx', 'api.ts'],
};
export default nextConfig;
`,
      'src/pages/api/auth/[...nextauth].api.ts': `import NextAuth from 'next-auth';
import { authOptions } from '../../../auth';
export default NextAuth(authOptions);
`,
      'src/pages/api/users.api.ts': `export default function handler(req, res) {
  if (req.method === 'POST') return res.status(201).json({});
  return res.status(405).end();
}
`,
      'src/pages/api/users.test-helper.ts': `export default function helper() {}
`,
      'src/auth.ts': `export const authOptions = { providers: [] };
`,
      'src/app/api/health/route.ts': `export function GET() {
  return Response.json({ ok: true });
}
`,
    });
    const model = await analyseRepo(root);
    // route.ts is not a route file when pageExtensions lists only page.tsx and api.ts.
    expect(names(model)).toEqual(['GET /portal/api/auth/:nextauth*', 'POST /portal/api/auth/:nextauth*', 'POST /portal/api/users']);
  });
});

describe('endpoints: Astro', () => {
  it('lists the methods an endpoint file under src/pages exports, upper or Astro 1 lower case', async () => {
    const root = tempRepo('astro-site', {
      'package.json': JSON.stringify({ name: 'docs', dependencies: { astro: '^4.0.0' } }),
      'src/pages/og.png.ts': `import type { APIRoute } from 'astro';
export const get: APIRoute = async () => new Response('png');
`,
      'src/pages/api/posts/[id].ts': `export async function GET({ params }) {
  return new Response(params.id);
}
export const DELETE = async () => new Response(null, { status: 204 });
`,
      'src/pages/index.ts': `export function GET() {
  return new Response('home');
}
`,
      'src/pages/lib/helpers.ts': `export const slug = (s: string) => s.toLowerCase();
`,
    });
    const model = await analyseRepo(root);
    expect(names(model)).toEqual(['DELETE /api/posts/:id', 'GET /', 'GET /api/posts/:id', 'GET /og.png']);
  });
});
