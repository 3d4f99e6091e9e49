// Writes a realistic synthetic monorepo for the benchmark: workspace packages with Express and
// NestJS services (routes → services → repositories), BullMQ producers and consumers, a shared
// library, a Prisma schema with many models, Terraform, compose, Kubernetes manifests and CI
// workflows. Content is deterministic for a given seed and size.
import fs from 'node:fs';
import path from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const RESOURCES = ['orders', 'customers', 'invoices', 'payments', 'shipments', 'products', 'carts', 'reviews', 'coupons', 'refunds'];

/** Generate a repository with about `tsFiles` TypeScript files under `dir`. */
export function generateRepo(dir, tsFiles, seed = 1) {
  const rand = rng(seed);
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  const filesPerPackage = 50;
  const packages = Math.max(2, Math.round(tsFiles / filesPerPackage));
  write('package.json', JSON.stringify({ name: 'bench-platform', version: '1.0.0', private: true, workspaces: ['apps/*', 'packages/*'], devDependencies: { typescript: '^5.6.3', vitest: '^2.1.8' } }, null, 2) + '\n');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, baseUrl: '.', paths: { '@bench/shared': ['packages/shared/src/index.ts'] } } }, null, 2) + '\n');
  write('packages/shared/package.json', JSON.stringify({ name: '@bench/shared', version: '1.0.0', main: 'src/index.ts' }, null, 2) + '\n');
  write('packages/shared/src/index.ts', `export enum QueueName {\n${RESOURCES.map((r) => `  ${r[0].toUpperCase() + r.slice(1)} = '${r}-events',`).join('\n')}\n}\nexport interface Event { id: string; type: string }\n`);
  let written = 1;
  for (let p = 0; written < tsFiles && p < packages; p++) {
    const nest = p % 3 === 2;
    const name = `svc-${String(p).padStart(3, '0')}`;
    const base = `apps/${name}`;
    const deps = nest
      ? { '@bench/shared': '*', '@nestjs/core': '^10.4.0', '@nestjs/common': '^10.4.0', '@nestjs/bullmq': '^10.2.0', bullmq: '^5.12.0', '@prisma/client': '^5.22.0' }
      : { '@bench/shared': '*', express: '^4.21.2', bullmq: '^5.12.0', '@prisma/client': '^5.22.0', pino: '^9.5.0' };
    write(`${base}/package.json`, JSON.stringify({ name: `@bench/${name}`, version: '1.0.0', dependencies: deps }, null, 2) + '\n');
    const perResource = Math.max(1, Math.floor((filesPerPackage - 2) / 4));
    const resources = RESOURCES.slice(0, Math.min(RESOURCES.length, perResource));
    const routeFiles = [];
    for (let k = 0; written < tsFiles && k < Math.ceil((filesPerPackage - 2) / 4); k++) {
      const r = RESOURCES[k % RESOURCES.length];
      const suffix = `${r}${Math.floor(k / RESOURCES.length) || ''}`;
      const Cls = suffix[0].toUpperCase() + suffix.slice(1);
      write(`${base}/src/${suffix}/${suffix}.repository.ts`, `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport class ${Cls}Repository {\n  find(id: string) { return prisma.${r.slice(0, -1)}.findUnique({ where: { id } }); }\n  list(limit = ${10 + Math.floor(rand() * 90)}) { return prisma.${r.slice(0, -1)}.findMany({ take: limit }); }\n  create(data: Record<string, unknown>) { return prisma.${r.slice(0, -1)}.create({ data }); }\n}\n`);
      write(`${base}/src/${suffix}/${suffix}.service.ts`, `import { Queue } from 'bullmq';\nimport { QueueName } from '@bench/shared';\nimport { ${Cls}Repository } from './${suffix}.repository';\nconst queue = new Queue(QueueName.${r[0].toUpperCase() + r.slice(1)});\nexport class ${Cls}Service {\n  constructor(private readonly repo = new ${Cls}Repository()) {}\n  get(id: string) { return this.repo.find(id); }\n  list() { return this.repo.list(); }\n  async create(input: Record<string, unknown>) {\n    const row = await this.repo.create(input);\n    await queue.add('${r}-created', { id: (row as { id: string }).id });\n    return row;\n  }\n}\n`);
      if (nest) {
        write(`${base}/src/${suffix}/${suffix}.controller.ts`, `import { Body, Controller, Get, Param, Post } from '@nestjs/common';\nimport { ${Cls}Service } from './${suffix}.service';\n@Controller('${suffix}')\nexport class ${Cls}Controller {\n  constructor(private readonly service: ${Cls}Service) {}\n  @Get() list() { return this.service.list(); }\n  @Get(':id') get(@Param('id') id: string) { return this.service.get(id); }\n  @Post() create(@Body() body: Record<string, unknown>) { return this.service.create(body); }\n}\n`);
      } else {
        write(`${base}/src/${suffix}/${suffix}.routes.ts`, `import { Router } from 'express';\nimport { ${Cls}Service } from './${suffix}.service';\nconst service = new ${Cls}Service();\nexport const ${suffix}Router = Router();\n${suffix}Router.get('/', async (_req, res) => res.json(await service.list()));\n${suffix}Router.get('/:id', async (req, res) => res.json(await service.get(req.params.id)));\n${suffix}Router.post('/', async (req, res) => res.status(201).json(await service.create(req.body)));\n`);
        routeFiles.push(suffix);
      }
      write(`${base}/src/${suffix}/${suffix}.worker.ts`, `import { Worker } from 'bullmq';\nimport { QueueName } from '@bench/shared';\nexport const worker = new Worker(QueueName.${r[0].toUpperCase() + r.slice(1)}, async (job) => {\n  if (job.name === '${r}-created') return { ok: true };\n  return undefined;\n});\n`);
      written += 4;
    }
    if (nest) {
      write(`${base}/src/main.ts`, `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  await app.listen(3000);\n}\nbootstrap();\n`);
      write(`${base}/src/app.module.ts`, `import { Module } from '@nestjs/common';\n@Module({ imports: [], controllers: [], providers: [] })\nexport class AppModule {}\n`);
    } else {
      write(`${base}/src/main.ts`, `import express from 'express';\n${routeFiles.map((r) => `import { ${r}Router } from './${r}/${r}.routes';`).join('\n')}\nconst app = express();\napp.use(express.json());\n${routeFiles.map((r) => `app.use('/${r}', ${r}Router);`).join('\n')}\napp.listen(Number(process.env.PORT ?? 3000));\n`);
      write(`${base}/src/health.ts`, `export const health = () => ({ status: 'ok' });\n`);
    }
    written += 2;
    void resources;
  }
  const models = Math.min(200, Math.max(20, Math.round(tsFiles / 50)));
  const prisma = ['generator client {\n  provider = "prisma-client-js"\n}\n', 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'];
  for (let m = 0; m < models; m++) {
    const rel = m > 0 ? `\n  parentId String?\n  parent   Model${m - 1}? @relation(fields: [parentId], references: [id])` : '';
    const back = m < models - 1 ? `\n  children Model${m + 1}[]` : '';
    prisma.push(`model Model${m} {\n  id        String   @id @default(uuid())\n  name      String\n  createdAt DateTime @default(now())${rel}${back}\n}\n`);
  }
  write('prisma/schema.prisma', prisma.join('\n'));
  write('infra/main.tf', `resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_db_instance" "db" {\n  engine         = "postgres"\n  instance_class = "db.r6g.large"\n  multi_az       = true\n  storage_encrypted = true\n  backup_retention_period = 7\n}\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders-events"\n}\n`);
  write('docker-compose.yml', `services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n  redis:\n    image: redis:7\n`);
  write('k8s/deployment.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-000\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          image: bench/svc-000:1.0.0\n          ports:\n            - containerPort: 3000\n`);
  write('.github/workflows/ci.yml', `name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n  deploy:\n    needs: test\n    environment: production\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n`);
  return { packages, tsFiles: written };
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const [dir, size] = process.argv.slice(2);
  if (!dir || !size) {
    console.error('usage: node bench/generate.mjs DIR TS_FILES');
    process.exit(2);
  }
  console.log(generateRepo(path.resolve(dir), Number(size)));
}
