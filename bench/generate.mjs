// Writes a realistic synthetic monorepo for the benchmark: workspace packages with Express and
// NestJS services (routes or controllers → services → repositories, DTOs validated with zod or
// class-validator, auth middleware or guards, config, logging, error types, unit tests), BullMQ
// producers and consumers, a shared library, a Prisma schema with many models, Terraform,
// compose, Dockerfiles, Kubernetes manifests and CI workflows. Files are sized like real ones
// (1–4 KB of TypeScript each, with doc comments); content is deterministic for a seed and size.
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
const FIELDS = [
  ['reference', 'string', 'z.string().min(3).max(64)', 'IsString()'],
  ['amount', 'number', 'z.number().positive()', 'IsNumber()'],
  ['currency', 'string', "z.enum(['EUR', 'GBP', 'USD'])", "IsIn(['EUR', 'GBP', 'USD'])"],
  ['email', 'string', 'z.string().email()', 'IsEmail()'],
  ['notes', 'string | undefined', 'z.string().max(2000).optional()', 'IsOptional()'],
  ['quantity', 'number', 'z.number().int().min(1)', 'IsInt()'],
  ['status', 'string', "z.enum(['pending', 'active', 'closed'])", "IsIn(['pending', 'active', 'closed'])"],
  ['dueDate', 'string', 'z.string().datetime()', 'IsISO8601()'],
  ['tags', 'string[]', 'z.array(z.string()).max(20)', 'IsArray()'],
  ['priority', 'number', 'z.number().int().min(0).max(9)', 'IsInt()'],
  ['country', 'string', 'z.string().length(2)', 'Length(2, 2)'],
  ['externalId', 'string | undefined', 'z.string().uuid().optional()', 'IsOptional()'],
];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** Generate a repository with about `tsFiles` TypeScript files under `dir`. */
export function generateRepo(dir, tsFiles, seed = 1) {
  const rand = rng(seed);
  const pick = (n) => Math.floor(rand() * n);
  fs.rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  let written = 0;
  const write = (rel, text) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    if (/\.tsx?$/.test(rel)) {
      written++;
      bytes += Buffer.byteLength(text);
    }
  };
  const filesPerPackage = 50;
  const packages = Math.max(2, Math.round(tsFiles / filesPerPackage));
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'bench-platform',
        version: '1.0.0',
        private: true,
        workspaces: ['apps/*', 'packages/*'],
        devDependencies: { typescript: '^5.6.3', vitest: '^2.1.8' },
      },
      null,
      2,
    ) + '\n',
  );
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          strict: true,
          experimentalDecorators: true,
          baseUrl: '.',
          paths: { '@bench/shared': ['packages/shared/src/index.ts'] },
        },
      },
      null,
      2,
    ) + '\n',
  );
  write('packages/shared/package.json', JSON.stringify({ name: '@bench/shared', version: '1.0.0', main: 'src/index.ts' }, null, 2) + '\n');
  write(
    'packages/shared/src/index.ts',
    `/** Queue names shared by every producer and consumer. */\nexport enum QueueName {\n${RESOURCES.map((r) => `  ${cap(r)} = '${r}-events',`).join('\n')}\n}\n\n/** The envelope every event on a queue carries. */\nexport interface Event<T = unknown> {\n  id: string;\n  type: string;\n  occurredAt: string;\n  payload: T;\n}\n\nexport class NotFoundError extends Error {\n  constructor(readonly entity: string, readonly id: string) {\n    super(\`\${entity} \${id} not found\`);\n  }\n}\n\nexport class ValidationError extends Error {\n  constructor(readonly issues: { path: string; message: string }[]) {\n    super(issues.map((i) => \`\${i.path}: \${i.message}\`).join('; '));\n  }\n}\n\nexport function paginate<T>(items: T[], page = 1, size = 20): { items: T[]; page: number; total: number } {\n  const start = (page - 1) * size;\n  return { items: items.slice(start, start + size), page, total: items.length };\n}\n`,
  );

  for (let p = 0; written < tsFiles && p < packages; p++) {
    const nest = p % 3 === 2;
    const name = `svc-${String(p).padStart(3, '0')}`;
    const base = `apps/${name}`;
    const deps = nest
      ? {
          '@bench/shared': '*',
          '@nestjs/core': '^10.4.0',
          '@nestjs/common': '^10.4.0',
          '@nestjs/bullmq': '^10.2.0',
          bullmq: '^5.12.0',
          '@prisma/client': '^5.22.0',
          'class-validator': '^0.14.1',
          'nestjs-pino': '^4.1.0',
        }
      : {
          '@bench/shared': '*',
          express: '^4.21.2',
          bullmq: '^5.12.0',
          '@prisma/client': '^5.22.0',
          pino: '^9.5.0',
          zod: '^3.23.8',
          jsonwebtoken: '^9.0.2',
          helmet: '^8.0.0',
        };
    write(
      `${base}/package.json`,
      JSON.stringify({ name: `@bench/${name}`, version: '1.0.0', dependencies: deps, devDependencies: { vitest: '^2.1.8' } }, null, 2) + '\n',
    );
    write(
      `${base}/Dockerfile`,
      `FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nUSER node\nEXPOSE 3000\nCMD ["node", "dist/main.js"]\n`,
    );
    const resourceDirs = [];
    const perPackageFixed = 8;
    for (let k = 0; written < tsFiles && written + perPackageFixed < (p + 1) * filesPerPackage + 1; k++) {
      const r = RESOURCES[k % RESOURCES.length];
      const suffix = `${r}${Math.floor(k / RESOURCES.length) || ''}`;
      const Cls = cap(suffix);
      const model = r.slice(0, -1);
      const fields = Array.from({ length: 3 + pick(8) }, (_, i) => FIELDS[(k + i * 5 + pick(3)) % FIELDS.length]).filter(
        (f, i, a) => a.findIndex((g) => g[0] === f[0]) === i,
      );
      const dir = `${base}/src/${suffix}`;
      resourceDirs.push(suffix);
      write(
        `${dir}/${suffix}.dto.ts`,
        nest
          ? `import { ${[...new Set(fields.map((f) => f[3].replace(/\(.*$/, '')))].join(', ')} } from 'class-validator';\n\n/** Input accepted when a ${model} is created. */\nexport class Create${Cls}Dto {\n${fields.map((f) => `  @${f[3]}\n  ${f[0]}${f[1].includes('undefined') ? '?' : '!'}: ${f[1].replace(' | undefined', '')};\n`).join('\n')}}\n\n/** Input accepted when a ${model} is updated: every field optional. */\nexport type Update${Cls}Dto = Partial<Create${Cls}Dto>;\n\n/** What the API returns for a ${model}. */\nexport interface ${Cls}View {\n  id: string;\n${fields.map((f) => `  ${f[0]}: ${f[1]};`).join('\n')}\n  createdAt: string;\n}\n`
          : `import { z } from 'zod';\n\n/** Input accepted when a ${model} is created. */\nexport const Create${Cls}Schema = z.object({\n${fields.map((f) => `  ${f[0]}: ${f[2]},`).join('\n')}\n});\nexport type Create${Cls}Input = z.infer<typeof Create${Cls}Schema>;\n\n/** Input accepted when a ${model} is updated: every field optional. */\nexport const Update${Cls}Schema = Create${Cls}Schema.partial();\nexport type Update${Cls}Input = z.infer<typeof Update${Cls}Schema>;\n\n/** What the API returns for a ${model}. */\nexport interface ${Cls}View {\n  id: string;\n${fields.map((f) => `  ${f[0]}: ${f[1]};`).join('\n')}\n  createdAt: string;\n}\n`,
      );
      write(
        `${dir}/${suffix}.repository.ts`,
        `import { PrismaClient, Prisma } from '@prisma/client';\n${nest ? "import { Injectable } from '@nestjs/common';\n" : ''}\nconst prisma = new PrismaClient();\n\n/** Data access for ${r}: the only place that talks to the database about them. */\n${nest ? '@Injectable()\n' : ''}export class ${Cls}Repository {\n  /** One ${model} by id, or null. */\n  find(id: string) {\n    return prisma.${model}.findUnique({ where: { id } });\n  }\n\n  /** A page of ${r}, newest first. */\n  list(page = 1, size = ${10 + pick(90)}) {\n    return prisma.${model}.findMany({ skip: (page - 1) * size, take: size, orderBy: { createdAt: 'desc' } });\n  }\n\n  count(where: Prisma.${cap(model)}WhereInput = {}) {\n    return prisma.${model}.count({ where });\n  }\n\n  create(data: Prisma.${cap(model)}CreateInput) {\n    return prisma.${model}.create({ data });\n  }\n\n  update(id: string, data: Prisma.${cap(model)}UpdateInput) {\n    return prisma.${model}.update({ where: { id }, data });\n  }\n\n  /** Removes the ${model} and everything that belongs to it, in one transaction. */\n  async remove(id: string) {\n    await prisma.$transaction([prisma.${model}.delete({ where: { id } })]);\n  }\n}\n`,
      );
      write(
        `${dir}/${suffix}.service.ts`,
        `import { Queue } from 'bullmq';\n${nest ? "import { Injectable } from '@nestjs/common';\n" : ''}import { NotFoundError, paginate } from '@bench/shared';\nimport { Queues } from '../queues';\nimport { ${Cls}Repository } from './${suffix}.repository';\nimport type { ${nest ? `Create${Cls}Dto as Create${Cls}Input, Update${Cls}Dto as Update${Cls}Input` : `Create${Cls}Input, Update${Cls}Input`}, ${Cls}View } from './${suffix}.dto';\n\nconst queue = new Queue(Queues.${cap(r)}, { connection: { host: process.env.REDIS_HOST ?? 'localhost', port: 6379 } });\n\n/**\n * Business rules for ${r}. Every change is published on the ${r} queue so that other\n * services can react without calling this one.\n */\n${nest ? '@Injectable()\n' : ''}export class ${Cls}Service {\n  constructor(private readonly repo${nest ? `: ${Cls}Repository` : ` = new ${Cls}Repository()`}) {}\n\n  async get(id: string): Promise<${Cls}View> {\n    const row = await this.repo.find(id);\n    if (!row) throw new NotFoundError('${model}', id);\n    return this.toView(row);\n  }\n\n  async list(page = 1) {\n    const rows = await this.repo.list(page);\n    return paginate(rows.map((r) => this.toView(r)), page);\n  }\n\n  async create(input: Create${Cls}Input): Promise<${Cls}View> {\n    const row = await this.repo.create({ ...input } as never);\n    await queue.add('${r}-created', { id: row.id, at: new Date().toISOString() }, { attempts: ${1 + pick(5)}, removeOnComplete: true });\n    return this.toView(row);\n  }\n\n  async update(id: string, input: Update${Cls}Input): Promise<${Cls}View> {\n    await this.get(id);\n    const row = await this.repo.update(id, { ...input } as never);\n    await queue.add('${r}-updated', { id });\n    return this.toView(row);\n  }\n\n  private toView(row: Record<string, unknown>): ${Cls}View {\n    return { ...(row as object), createdAt: String(row.createdAt) } as ${Cls}View;\n  }\n}\n`,
      );
      if (nest) {
        write(
          `${dir}/${suffix}.controller.ts`,
          `import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';\nimport { AuthGuard } from '../auth/auth.guard';\nimport { ${Cls}Service } from './${suffix}.service';\nimport { Create${Cls}Dto, Update${Cls}Dto } from './${suffix}.dto';\n\n/** HTTP API for ${r}. */\n@Controller('${suffix}')\n@UseGuards(AuthGuard)\nexport class ${Cls}Controller {\n  constructor(private readonly service: ${Cls}Service) {}\n\n  @Get()\n  list(@Query('page') page = '1') {\n    return this.service.list(Number(page));\n  }\n\n  @Get(':id')\n  get(@Param('id') id: string) {\n    return this.service.get(id);\n  }\n\n  @Post()\n  create(@Body() body: Create${Cls}Dto) {\n    return this.service.create(body);\n  }\n\n  @Patch(':id')\n  update(@Param('id') id: string, @Body() body: Update${Cls}Dto) {\n    return this.service.update(id, body);\n  }\n}\n`,
        );
      } else {
        write(
          `${dir}/${suffix}.routes.ts`,
          `import { Router, type Request, type Response, type NextFunction } from 'express';\nimport { requireAuth } from '../middleware/auth';\nimport { ${Cls}Service } from './${suffix}.service';\nimport { Create${Cls}Schema, Update${Cls}Schema } from './${suffix}.dto';\n\nconst service = new ${Cls}Service();\nexport const ${suffix}Router = Router();\n\n/** Wraps an async handler so rejected promises reach the error middleware. */\nconst handle = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {\n  fn(req, res).catch(next);\n};\n\n${suffix}Router.get('/', handle(async (req, res) => {\n  res.json(await service.list(Number(req.query.page ?? 1)));\n}));\n\n${suffix}Router.get('/:id', handle(async (req, res) => {\n  res.json(await service.get(req.params.id));\n}));\n\n${suffix}Router.post('/', requireAuth, handle(async (req, res) => {\n  const input = Create${Cls}Schema.parse(req.body);\n  res.status(201).json(await service.create(input));\n}));\n\n${suffix}Router.patch('/:id', requireAuth, handle(async (req, res) => {\n  const input = Update${Cls}Schema.parse(req.body);\n  res.json(await service.update(req.params.id, input));\n}));\n`,
        );
      }
      write(
        `${dir}/${suffix}.worker.ts`,
        `import { Worker, type Job } from 'bullmq';\nimport type { Event } from '@bench/shared';\nimport { Queues } from '../queues';\nimport { logger } from '../logger';\n\n/** Reacts to ${r} events: keeps read models and notifications up to date. */\nexport const worker = new Worker(\n  Queues.${cap(r)},\n  async (job: Job<Event>) => {\n    switch (job.name) {\n      case '${r}-created':\n        logger.info({ id: job.data.id }, '${model} created');\n        return { ok: true };\n      case '${r}-updated':\n        logger.info({ id: job.data.id }, '${model} updated');\n        return { ok: true };\n      default:\n        logger.warn({ name: job.name }, 'unknown job');\n        return undefined;\n    }\n  },\n  { concurrency: ${1 + pick(8)}, connection: { host: process.env.REDIS_HOST ?? 'localhost', port: 6379 } },\n);\n`,
      );
      write(
        `${dir}/${suffix}.service.test.ts`,
        `import { describe, expect, it, vi } from 'vitest';\nimport { ${Cls}Service } from './${suffix}.service';\n\nvi.mock('bullmq', () => ({ Queue: vi.fn(() => ({ add: vi.fn() })) }));\n\ndescribe('${Cls}Service', () => {\n  it('throws when the ${model} does not exist', async () => {\n    const repo = { find: vi.fn().mockResolvedValue(null) };\n    const service = new ${Cls}Service(repo as never);\n    await expect(service.get('missing')).rejects.toThrow('not found');\n  });\n\n  it('returns a view of the ${model}', async () => {\n    const repo = { find: vi.fn().mockResolvedValue({ id: '1', createdAt: 'now' }) };\n    const service = new ${Cls}Service(repo as never);\n    expect(await service.get('1')).toMatchObject({ id: '1' });\n  });\n});\n`,
      );
    }
    const imports = resourceDirs.map((r) => `import { ${nest ? `${cap(r)}Controller` : `${r}Router`} } from './${r}/${r}.${nest ? 'controller' : 'routes'}';`);
    write(
      `${base}/src/queues.ts`,
      `/** The queues this service publishes to: one per resource, named after the service. */\nexport const Queues = {\n${RESOURCES.map((r) => `  ${cap(r)}: '${name}.${r}-events',`).join('\n')}\n} as const;\n`,
    );
    if (p > 0) {
      const upstream = `svc-${String(p - 1).padStart(3, '0')}`;
      write(
        `${base}/src/subscriptions/${upstream}.worker.ts`,
        `import { Worker } from 'bullmq';\nimport { logger } from '../logger';\n\n/** Follows ${upstream}'s orders so this service can keep its own copy up to date. */\nexport const ${upstream.replace('-', '')}Orders = new Worker('${upstream}.orders-events', async (job) => {\n  logger.info({ id: job.data.id, name: job.name }, 'upstream order event');\n  return { ok: true };\n});\n`,
      );
    }
    write(
      `${base}/src/config.ts`,
      `/** Settings read from the environment once, at start-up. */\nexport const config = {\n  port: Number(process.env.PORT ?? 3000),\n  databaseUrl: process.env.DATABASE_URL ?? '',\n  redisHost: process.env.REDIS_HOST ?? 'localhost',\n  jwtSecret: process.env.JWT_SECRET ?? '',\n  logLevel: process.env.LOG_LEVEL ?? 'info',\n} as const;\n`,
    );
    write(
      `${base}/src/logger.ts`,
      `import pino from 'pino';\nimport { config } from './config';\n\n/** Structured JSON logs; credentials are redacted before they are written. */\nexport const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.password'] });\n`,
    );
    write(
      `${base}/src/errors.ts`,
      `import { NotFoundError, ValidationError } from '@bench/shared';\n\n/** HTTP status for a thrown error. */\nexport function statusOf(error: unknown): number {\n  if (error instanceof NotFoundError) return 404;\n  if (error instanceof ValidationError) return 400;\n  return 500;\n}\n`,
    );
    if (nest) {
      write(
        `${base}/src/auth/auth.guard.ts`,
        `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';\n\n/** Requires a bearer token on every request. */\n@Injectable()\nexport class AuthGuard implements CanActivate {\n  canActivate(context: ExecutionContext): boolean {\n    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();\n    if (!req.headers.authorization?.startsWith('Bearer ')) throw new UnauthorizedException();\n    return true;\n  }\n}\n`,
      );
      const providers = resourceDirs.flatMap((r) => [`${cap(r)}Service`, `${cap(r)}Repository`]);
      const providerImports = resourceDirs.flatMap((r) => [
        `import { ${cap(r)}Service } from './${r}/${r}.service';`,
        `import { ${cap(r)}Repository } from './${r}/${r}.repository';`,
      ]);
      write(
        `${base}/src/app.module.ts`,
        `import { Module } from '@nestjs/common';\n${imports.join('\n')}\n${providerImports.join('\n')}\n\n@Module({\n  imports: [],\n  controllers: [${resourceDirs.map((r) => `${cap(r)}Controller`).join(', ')}],\n  providers: [${providers.join(', ')}],\n})\nexport class AppModule {}\n`,
      );
      write(
        `${base}/src/main.ts`,
        `import { ValidationPipe } from '@nestjs/common';\nimport { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nimport { config } from './config';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('api');\n  app.useGlobalPipes(new ValidationPipe({ whitelist: true }));\n  app.enableShutdownHooks();\n  await app.listen(config.port);\n}\nvoid bootstrap();\n`,
      );
    } else {
      write(
        `${base}/src/middleware/auth.ts`,
        `import type { NextFunction, Request, Response } from 'express';\nimport jwt from 'jsonwebtoken';\nimport { config } from '../config';\n\n/** Rejects requests without a valid bearer token. */\nexport function requireAuth(req: Request, res: Response, next: NextFunction): void {\n  const token = req.headers.authorization?.replace(/^Bearer /, '');\n  if (!token) {\n    res.status(401).json({ error: 'unauthorised' });\n    return;\n  }\n  try {\n    jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'] });\n    next();\n  } catch {\n    res.status(401).json({ error: 'invalid token' });\n  }\n}\n`,
      );
      write(
        `${base}/src/main.ts`,
        `import express from 'express';\nimport helmet from 'helmet';\nimport { config } from './config';\nimport { logger } from './logger';\nimport { statusOf } from './errors';\n${imports.join('\n')}\n\nconst app = express();\napp.use(helmet());\napp.use(express.json({ limit: '1mb' }));\napp.get('/health', (_req, res) => res.json({ status: 'ok' }));\n${resourceDirs.map((r) => `app.use('/${r}', ${r}Router);`).join('\n')}\napp.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {\n  logger.error({ err }, 'request failed');\n  res.status(statusOf(err)).json({ error: String(err) });\n});\napp.listen(config.port, () => logger.info({ port: config.port }, 'listening'));\n`,
      );
    }
  }
  const models = Math.min(200, Math.max(20, Math.round(tsFiles / 50)));
  const prisma = [
    'generator client {\n  provider = "prisma-client-js"\n}\n',
    'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
  ];
  for (let m = 0; m < models; m++) {
    const rel = m > 0 ? `\n  parentId String?\n  parent   Model${m - 1}? @relation(fields: [parentId], references: [id])` : '';
    const back = m < models - 1 ? `\n  children Model${m + 1}[]` : '';
    prisma.push(`model Model${m} {\n  id        String   @id @default(uuid())\n  name      String\n  createdAt DateTime @default(now())${rel}${back}\n}\n`);
  }
  write('prisma/schema.prisma', prisma.join('\n'));
  write(
    'infra/main.tf',
    `resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_db_instance" "db" {\n  engine         = "postgres"\n  instance_class = "db.r6g.large"\n  multi_az       = true\n  storage_encrypted = true\n  backup_retention_period = 7\n}\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders-events"\n}\n`,
  );
  write(
    'docker-compose.yml',
    `services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n  redis:\n    image: redis:7\n`,
  );
  write(
    'k8s/deployment.yaml',
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-000\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          image: bench/svc-000:1.0.0\n          ports:\n            - containerPort: 3000\n`,
  );
  write(
    '.github/workflows/ci.yml',
    `name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n  deploy:\n    needs: test\n    environment: production\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n`,
  );
  return { packages, tsFiles: written, tsBytes: bytes };
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const [dir, size] = process.argv.slice(2);
  if (!dir || !size) {
    console.error('usage: node bench/generate.mjs DIR TS_FILES');
    process.exit(2);
  }
  console.log(generateRepo(path.resolve(dir), Number(size)));
}
