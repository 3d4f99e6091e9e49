/**
 * Servers that start without `app.listen`: Elysia at the end of its chain, a module whose default
 * export Bun serves, `Deno.serve`; and NestJS microservices on a broker, which serve when they
 * answer request/reply messages and consume when they only take events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const kinds = (model: { components: { path: string; kind: string; kindReason?: string }[] }) =>
  Object.fromEntries(model.components.map((c) => [c.path, `${c.kind}: ${c.kindReason}`]));

describe('server kinds: Bun and Deno servers', () => {
  it('Elysia started at the end of a chain, a default export run by Bun, Deno.serve; a bun build is no server', async () => {
    const model = await analyseRepo(
      tempRepo('bun-servers', {
        'package.json': json({ name: 'club', private: true, workspaces: ['apps/*'] }),
        'bun.lock': '{\n  "lockfileVersion": 1,\n}\n',
        'apps/orders/package.json': json({
          name: 'orders',
          scripts: { dev: 'bun run --watch src/index.ts', build: 'bun build --target bun --compile --outfile ./dist/server src/index.ts' },
          dependencies: { elysia: '^1.4.0', '@elysiajs/cors': '^1.4.0' },
        }),
        'apps/orders/src/index.ts': [
          "import { Elysia, t } from 'elysia';",
          "import { cors } from '@elysiajs/cors';",
          '',
          'new Elysia()',
          '  .use(cors())',
          "  .post('/orders', ({ body }) => ({ received: body.item }), { body: t.Object({ item: t.String() }) })",
          '  .listen(3000, () => {',
          "    console.log('listening on 3000');",
          '  });',
          '',
        ].join('\n'),
        'apps/gallery/package.json': json({ name: 'gallery', scripts: { dev: 'bun run --hot ./src/main.ts' }, dependencies: { hono: '^4.6.0' } }),
        'apps/gallery/src/main.ts': [
          "import { Hono } from 'hono';",
          "import { photos } from './photos';",
          '',
          'const app = new Hono();',
          "app.route('/photos', photos);",
          '',
          '// Bun serves the default export.',
          'export default app;',
          '',
        ].join('\n'),
        'apps/gallery/src/photos.ts': "import { Hono } from 'hono';\nexport const photos = new Hono().get('/', (c) => c.json([]));\n",
        'apps/thumbs/package.json': json({ name: 'thumbs', scripts: { start: 'deno run --allow-net src/serve.ts' }, dependencies: { hono: '^4.6.0' } }),
        'apps/thumbs/src/serve.ts':
          "import { Hono } from 'hono';\nconst app = new Hono().get('/thumbs/:id', (c) => c.body(null));\nDeno.serve({ port: 8001 }, app.fetch);\n",
        // A Hono sub-app package that Bun only builds: a library.
        'apps/widgets/package.json': json({ name: 'widgets', scripts: { build: 'bun build src/index.ts --outdir dist' }, dependencies: { hono: '^4.6.0' } }),
        'apps/widgets/src/index.ts': "import { Hono } from 'hono';\nexport default new Hono().get('/widgets', (c) => c.json([]));\n",
      }),
    );
    expect(kinds(model)).toEqual({
      'apps/gallery': 'service: serves HTTP (its default export, run by Bun)',
      'apps/orders': 'service: serves HTTP (Elysia listen)',
      'apps/thumbs': 'service: serves HTTP (Deno.serve)',
      'apps/widgets': 'library: no server, worker, frontend or command-line entry point found',
    });
    expect(model.components.find((c) => c.path === 'apps/orders')!.evidence).toContainEqual({ file: 'apps/orders/src/index.ts', line: 7 });
    expect(model.components.find((c) => c.path === 'apps/gallery')!.evidence).toContainEqual({ file: 'apps/gallery/src/main.ts', line: 8 });
  });
});

describe('server kinds: NestJS microservices on a broker', () => {
  const nest = (name: string, controller: string) => ({
    [`${name}/package.json`]: json({
      name,
      dependencies: { '@nestjs/common': '^11.0.0', '@nestjs/core': '^11.0.0', '@nestjs/microservices': '^11.0.0', nats: '^2.29.0' },
    }),
    [`${name}/src/main.ts`]: [
      "import { NestFactory } from '@nestjs/core';",
      "import { MicroserviceOptions, Transport } from '@nestjs/microservices';",
      "import { AppModule } from './app.module';",
      '',
      'async function bootstrap() {',
      '  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {',
      '    transport: Transport.NATS,',
      "    options: { servers: [process.env.NATS_SERVERS ?? 'nats://localhost:4222'] },",
      '  });',
      '  await app.listen();',
      '}',
      'bootstrap();',
      '',
    ].join('\n'),
    [`${name}/src/app.module.ts`]: `import { Module } from '@nestjs/common';\nimport { AppController } from './app.controller';\n\n@Module({ controllers: [AppController] })\nexport class AppModule {}\n`,
    [`${name}/src/app.controller.ts`]: controller,
  });

  it('one answering @MessagePattern requests is a service; one taking only @EventPattern events is a worker', async () => {
    const model = await analyseRepo(
      tempRepo('nest-nats-kinds', {
        ...nest(
          'catalogue',
          [
            "import { Controller } from '@nestjs/common';",
            "import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';",
            '',
            '@Controller()',
            'export class AppController {',
            "  @MessagePattern({ cmd: 'find_product' })",
            '  find(@Payload() id: number) {',
            "    return { id, name: 'lamp' };",
            '  }',
            '',
            "  @EventPattern('stock.changed')",
            '  restocked(@Payload() event: { id: number }) {',
            '    return event.id;',
            '  }',
            '}',
            '',
          ].join('\n'),
        ),
        ...nest(
          'mailer',
          [
            "import { Controller } from '@nestjs/common';",
            "import { EventPattern, Payload } from '@nestjs/microservices';",
            '',
            '// A comment naming @MessagePattern( is no handler.',
            '@Controller()',
            'export class AppController {',
            "  @EventPattern('order.paid')",
            '  paid(@Payload() event: { orderId: string }) {',
            '    return event.orderId;',
            '  }',
            '}',
            '',
          ].join('\n'),
        ),
      }),
    );
    expect(kinds(model)).toEqual({
      catalogue: 'service: answers request/reply messages over a message broker (NestJS @MessagePattern)',
      mailer: 'worker: consumes a message broker (NestJS microservice, no HTTP application)',
    });
    expect(model.components.find((c) => c.path === 'catalogue')!.evidence).toContainEqual({ file: 'catalogue/src/main.ts', line: 7 });
  });
});
