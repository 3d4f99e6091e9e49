import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigSchema, resolveConfig } from '../../src/config/load.js';
import { analyse } from '../../src/pipeline/analyse.js';
import type { Model } from '../../src/model/schema.js';

// One package per code pattern that marks a component's kind, plus one where the patterns appear
// only in a comment and a string. Each pattern lists strings a file must hold before it is blanked
// and matched; a wrong list would silently miss its kind, which these cases would catch.
const cases: { name: string; deps?: string[]; code: string; kind: string; why: string; line: number }[] = [
  {
    name: 'nest',
    code: "import { NestFactory } from '@nestjs/core';\n\nNestFactory.create(AppModule);\n",
    kind: 'service',
    why: 'creates a NestJS application',
    line: 3,
  },
  { name: 'express', code: 'const app = express();\napp.listen(3000);\n', kind: 'service', why: 'listens for connections', line: 2 },
  { name: 'node-http', code: 'http.createServer(handler)\n  .listen(8080);\n', kind: 'service', why: 'listens for connections', line: 1 },
  { name: 'hono', code: 'serve({ fetch: app.fetch, port: 8787 });\n', kind: 'service', why: 'serves HTTP (Hono node server)', line: 1 },
  { name: 'bun', code: 'Bun.serve({ port: 3000, fetch: handle });\n', kind: 'service', why: 'serves HTTP (Bun.serve)', line: 1 },
  { name: 'bullmq', deps: ['bullmq'], code: "new Worker('emails', async (job) => send(job.data));\n", kind: 'worker', why: 'starts a queue worker', line: 1 },
  {
    name: 'nest-bull',
    deps: ['@nestjs/bullmq'],
    code: "@Processor('emails')\nexport class EmailConsumer {}\n",
    kind: 'worker',
    why: 'declares a queue processor',
    line: 1,
  },
  {
    name: 'kafka',
    deps: ['kafkajs'],
    code: 'await consumer.connect();\nawait consumer.run({ eachMessage });\n',
    kind: 'worker',
    why: 'runs a Kafka consumer',
    line: 2,
  },
  { name: 'amqp', deps: ['amqplib'], code: "await channel.consume('orders', onMessage);\n", kind: 'worker', why: 'consumes a message queue', line: 1 },
  { name: 'node-cron', deps: ['node-cron'], code: "cron.schedule('0 * * * *', sweep);\n", kind: 'worker', why: 'runs scheduled jobs', line: 1 },
  // A rate limiter's consume() in a package that only enqueues (BullMQ) is no queue consumer.
  {
    name: 'rate-limited',
    deps: ['bullmq', 'rate-limiter-flexible'],
    code: "const limiter = new RateLimiterRedis({ storeClient: redis });\nexport async function guard(ip: string) {\n  await limiter.consume(ip);\n  await queue.add('book', { ip });\n}\n",
    kind: 'library',
    why: 'no server, worker, frontend or command-line entry point found',
    line: 0,
  },
  {
    name: 'ws-fanout',
    deps: ['ws', 'ioredis'],
    code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({\n  port: 8080,\n});\nredis.subscribe('seats');\n",
    kind: 'service',
    why: 'serves WebSockets on a port (ws)',
    line: 2,
  },
  {
    name: 'nest-cron',
    deps: ['@nestjs/schedule'],
    code: "export class Sweeper {\n  @Cron('0 * * * *')\n  sweep() {}\n}\n",
    kind: 'worker',
    why: 'runs scheduled jobs',
    line: 2,
  },
  // Lambda typings and an exported handler, but nothing wires it: not a function (see deployables.test.ts for wired ones).
  {
    name: 'lambda',
    deps: ['@types/aws-lambda'],
    code: 'export const handler = async (event) => ({ statusCode: 200 });\n',
    kind: 'library',
    why: 'exports a serverless handler, but nothing in the repository wires it to a function',
    line: 1,
  },
  {
    name: 'grpc',
    deps: ['@grpc/grpc-js'],
    code: 'const server = new grpc.Server();\nserver.addService(proto.Catalog.service, impl);\n',
    kind: 'service',
    why: 'serves gRPC (addService)',
    line: 2,
  },
  {
    name: 'grpc-bind',
    deps: ['@grpc/grpc-js'],
    code: "server.bindAsync('0.0.0.0:50051', creds, () => {});\n",
    kind: 'service',
    why: 'serves gRPC (bindAsync)',
    line: 1,
  },
  {
    name: 'nest-kafka',
    deps: ['@nestjs/microservices', '@nestjs/core'],
    code: 'const app = await NestFactory.createMicroservice(AppModule, {\n  transport: Transport.KAFKA,\n});\nawait app.listen();\n',
    kind: 'worker',
    why: 'consumes a message broker (NestJS microservice, no HTTP application)',
    line: 2,
  },
  {
    name: 'nest-tcp',
    deps: ['@nestjs/microservices', '@nestjs/core'],
    code: 'const app = await NestFactory.createMicroservice(AppModule, {\n  transport: Transport.TCP,\n});\nawait app.listen();\n',
    kind: 'service',
    why: 'serves a NestJS microservice on a port',
    line: 2,
  },
  {
    name: 'nest-hybrid',
    deps: ['@nestjs/microservices', '@nestjs/core'],
    code: 'const app = await NestFactory.create(AppModule);\napp.connectMicroservice({ transport: Transport.KAFKA });\nawait app.listen(3000);\n',
    kind: 'service',
    why: 'creates a NestJS application',
    line: 1,
  },
  {
    name: 'quiet',
    deps: ['bullmq'],
    code: "// app.listen(3000) and new Worker('x') live in the service, not here\nexport const docs = 'NestFactory.create(AppModule)';\n",
    kind: 'library',
    why: 'no server, worker, frontend or command-line entry point found',
    line: 0,
  },
];

let root: string;
let model: Model;
beforeAll(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-kinds-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'kinds', private: true, workspaces: ['packages/*'] }, null, 2));
  for (const c of cases) {
    const dependencies = Object.fromEntries((c.deps ?? []).map((d) => [d, '1.0.0']));
    write(`packages/${c.name}/package.json`, JSON.stringify({ name: c.name, version: '1.0.0', dependencies }, null, 2));
    write(`packages/${c.name}/src/main.ts`, c.code);
  }
  await loadConfigSchema();
  model = (await analyse(resolveConfig({}, { cwd: root, root }))).model;
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('workspace: component kinds from code', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.kind} (${c.why})`, () => {
      const comp = model.components.find((x) => x.id === `component:packages/${c.name}`);
      expect(comp?.kind).toBe(c.kind);
      expect(comp?.kindReason).toBe(c.why);
      if (c.line > 0) expect(comp?.evidence).toContainEqual({ file: `packages/${c.name}/src/main.ts`, line: c.line });
    });
  }
});
