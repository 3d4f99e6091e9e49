/**
 * A Nest CLI monorepo: `nest-cli.json` with `monorepo: true` lists apps and libraries that share
 * the root package.json. Each project is a component (the root is not); a Temporal worker app is
 * a worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const repo = () =>
  tempRepo('nest-cli', {
    'package.json': JSON.stringify(
      {
        name: 'shop',
        version: '1.0.0',
        dependencies: { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0', '@nestjs/microservices': '^10.0.0', '@temporalio/worker': '^1.9.0' },
      },
      null,
      2,
    ),
    'nest-cli.json': JSON.stringify(
      {
        monorepo: true,
        root: 'apps/gateway',
        sourceRoot: 'apps/gateway/src',
        projects: {
          gateway: { type: 'application', root: 'apps/gateway', sourceRoot: 'apps/gateway/src', entryFile: 'main' },
          orders: { type: 'application', root: 'apps/orders', sourceRoot: 'apps/orders/src', entryFile: 'main' },
          fulfilment: { type: 'application', root: 'apps/fulfilment', sourceRoot: 'apps/fulfilment/src', entryFile: 'main' },
          contracts: { type: 'library', root: 'libs/contracts', sourceRoot: 'libs/contracts/src', entryFile: 'index' },
          ghost: { type: 'application', root: 'apps/ghost' },
        },
      },
      null,
      2,
    ),
    'apps/gateway/src/main.ts':
      "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
    'apps/gateway/src/app.module.ts': "import { Module } from '@nestjs/common';\n@Module({})\nexport class AppModule {}\n",
    'apps/orders/src/main.ts':
      "import { NestFactory } from '@nestjs/core';\nimport { Transport } from '@nestjs/microservices';\nimport { OrdersModule } from './orders.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.createMicroservice(OrdersModule, { transport: Transport.TCP, options: { port: 4001 } });\n  await app.listen();\n}\nbootstrap();\n",
    'apps/orders/src/orders.module.ts': "import { Module } from '@nestjs/common';\n@Module({})\nexport class OrdersModule {}\n",
    'apps/fulfilment/src/main.ts':
      "import { NativeConnection, Worker } from '@temporalio/worker';\nimport * as activities from './activities';\n\nasync function run() {\n  const connection = await NativeConnection.connect({ address: 'temporal:7233' });\n  const worker = await Worker.create({ connection, taskQueue: 'fulfilment', workflowsPath: require.resolve('./workflows'), activities });\n  await worker.run();\n}\nrun();\n",
    'apps/fulfilment/src/activities.ts': 'export async function ship(orderId: string): Promise<void> {}\n',
    'libs/contracts/src/index.ts': 'export interface OrderPlaced { id: string }\n',
  });

describe('Nest CLI monorepo', () => {
  it('each project with files is a component with its kind; the shared root and a project without files are not', async () => {
    const model = await analyseRepo(repo());
    const kinds = Object.fromEntries(model.components.map((c) => [c.path, c.kind]));
    expect(kinds).toEqual({ 'apps/fulfilment': 'worker', 'apps/gateway': 'service', 'apps/orders': 'service', 'libs/contracts': 'library' });
    const fulfilment = model.components.find((c) => c.path === 'apps/fulfilment')!;
    expect(fulfilment.kindReason).toBe('runs a Temporal worker (Worker.create)');
    expect(model.components.find((c) => c.path === 'apps/gateway')!.evidence).toContainEqual({ file: 'nest-cli.json', line: 6 });
  });
});
