/**
 * tRPC procedures guarded by a middleware of their builder chain become one authorisation fact per
 * middleware and component; public procedures, and procedures whose protection cannot be told, add none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('tRPC middlewares as authorisation', () => {
  it('names the guarding middleware, the procedures it guards and their component', async () => {
    const model = await analyseRepo(
      tempRepo('trpc-guards', {
        'package.json': json({ name: 'notes', private: true, workspaces: ['apps/*'] }),
        'apps/api/package.json': json({ name: 'api', version: '1.0.0', dependencies: { '@trpc/server': '^11.0.0', fastify: '^5.0.0', zod: '^3.23.0' } }),
        'apps/api/src/trpc.ts': [
          "import { initTRPC, TRPCError } from '@trpc/server';",
          'const t = initTRPC.context<{ userId?: string }>().create();',
          'export const router = t.router;',
          'export const publicProcedure = t.procedure;',
          'export const protectedProcedure = t.procedure.use(({ ctx, next }) => {',
          "  if (!ctx.userId) throw new TRPCError({ code: 'UNAUTHORIZED' });",
          '  return next({ ctx });',
          '});',
          '',
        ].join('\n'),
        'apps/api/src/router.ts': [
          "import { z } from 'zod';",
          "import { router, publicProcedure, protectedProcedure } from './trpc';",
          'export const appRouter = router({',
          "  health: publicProcedure.query(() => 'ok'),",
          '  note: router({',
          '    list: protectedProcedure.query(() => []),',
          '    remove: protectedProcedure.input(z.object({ id: z.string() })).mutation(() => true),',
          '  }),',
          '});',
          '',
        ].join('\n'),
        'apps/api/src/server.ts': [
          "import Fastify from 'fastify';",
          "import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';",
          "import { appRouter } from './router';",
          'const server = Fastify();',
          "server.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: appRouter } });",
          'server.listen({ port: 3001 });',
          '',
        ].join('\n'),
      }),
    );
    const guards = model.security.filter((f) => f.tech === 'tRPC middleware');
    expect(guards).toHaveLength(1);
    expect(guards[0]).toMatchObject({
      id: 'security:trpc-middleware:apps/api:protectedProcedure',
      category: 'authorisation',
      component: 'component:apps/api',
      name: 'tRPC middleware protectedProcedure: 2 procedures require a signed-in caller',
      details: { appliedTo: ['note.list', 'note.remove'] },
    });
    expect(guards[0]!.evidence).toEqual([
      { file: 'apps/api/src/router.ts', line: 6 },
      { file: 'apps/api/src/router.ts', line: 7 },
    ]);
  });
});
