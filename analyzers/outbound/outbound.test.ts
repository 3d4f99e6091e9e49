import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';
import { indexesOf, resolverOf } from '../../test/analysis/engine.js';
import { hostOf, Resolver } from './resolve.js';

describe('outbound: monorepo with Prisma, ioredis, axios, SendGrid and Slack (flows-monorepo)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-monorepo');
  }, 60_000);
  const store = (id: string) => model.dataStores.find((s) => s.id === id);
  const ext = (id: string) => model.externalServices.find((s) => s.id === id);

  it('joins the Prisma client to the database its schema declares, with the client and first use as evidence', () => {
    const pg = store('datastore:postgresql')!;
    expect(pg.usedBy).toEqual(['component:apps/api']);
    expect(pg.details?.clients).toEqual(['prisma']);
    expect(pg.evidence).toContainEqual({ file: 'apps/api/src/lib/db.ts', line: 3 });
  });

  it('reports Redis as a cache with its literal TTL (through a constant) and the variable name, never the value', () => {
    const redis = store('datastore:redis')!;
    expect(redis.usedBy).toEqual(['component:apps/api']);
    expect(redis.envVars).toEqual(['REDIS_URL']);
    expect(redis.details?.cacheTtlSeconds).toEqual(['300']);
    expect(JSON.stringify(model)).not.toContain('redis://localhost');
  });

  it('names HTTP services by the host of a constant base URL', () => {
    const rates = ext('external:api.frankfurter.app')!;
    expect(rates).toMatchObject({ name: 'api.frankfurter.app', kind: 'http', usedBy: ['component:apps/api'] });
    expect(rates.details?.methods).toEqual(['GET']);
    expect(rates.evidence).toEqual([{ file: 'apps/api/src/services/rates.ts', line: 7 }]);
  });

  it('names SDK clients (SendGrid default export, Slack WebClient) with the variables that configure them', () => {
    expect(ext('external:sendgrid')).toMatchObject({ name: 'SendGrid', kind: 'email', usedBy: ['component:apps/worker'] });
    expect(ext('external:sendgrid')!.details?.envVars).toEqual(['SENDGRID_API_KEY']);
    expect(ext('external:slack')).toMatchObject({ name: 'Slack', usedBy: ['component:apps/worker'] });
    expect(ext('external:slack')!.details?.envVars).toEqual(['SLACK_BOT_TOKEN']);
  });

  it('does not invent services: only what the code calls', () => {
    expect(model.externalServices.map((s) => s.id)).toEqual(['external:api.frankfurter.app', 'external:sendgrid', 'external:slack']);
  });
});

describe('outbound: NestJS with injected providers (flows-nest-shop)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('flows-nest-shop');
  }, 60_000);

  it('tells the database behind TypeORM from `TypeOrmModule.forRoot({ type })` and follows @InjectRepository', () => {
    const pg = model.dataStores.find((s) => s.id === 'datastore:postgresql')!;
    expect(pg.usedBy).toEqual(['component:.']);
    expect(pg.details?.clients).toEqual(['typeorm']);
    // Evidence of use: the repository read in OrdersService.findOne (the first use in this component).
    expect(pg.evidence.some((e) => e.file === 'src/orders/orders.service.ts')).toBe(true);
  });

  it('finds S3 through an AWS SDK v3 client held in a class field, and the SDKs by name', () => {
    const s3 = model.dataStores.find((s) => s.id === 'datastore:s3')!;
    expect(s3).toMatchObject({ name: 'Amazon S3', kind: 'object', envVars: ['AWS_REGION'] });
    const ids = model.externalServices.map((s) => s.id);
    expect(ids).toEqual(['external:slack', 'external:smtp', 'external:stripe']);
    expect(model.externalServices.find((s) => s.id === 'external:stripe')!.details?.envVars).toEqual(['STRIPE_SECRET_KEY']);
    expect(model.externalServices.find((s) => s.id === 'external:smtp')!.evidence).toContainEqual({ file: 'src/mail/mail.service.ts', line: 9 });
  });
});

describe('outbound: hosts', () => {
  it('keeps absolute remote hosts only', () => {
    expect(hostOf('https://API.Stripe.com/v1/charges')).toBe('api.stripe.com');
    expect(hostOf('http://localhost:3000/x')).toBeUndefined();
    expect(hostOf('/relative/path')).toBeUndefined();
    expect(hostOf(undefined)).toBeUndefined();
  });
});

describe('outbound: rules over the evaluator', () => {
  const files = {
    'src/queues.ts': [
      "import { Queue } from 'bullmq';",
      "export enum Names { Orders = 'orders' }",
      'export function makeQueue(name: string) {',
      '  return new Queue(name, { connection: { url: process.env.REDIS_URL } });',
      '}',
      '',
    ].join('\n'),
    'src/orders.ts': [
      "import { makeQueue, Names } from './queues';",
      'const queue = makeQueue(Names.Orders);',
      'export async function place(id: string) {',
      "  await queue.add('order-placed', { id });",
      '}',
      '',
    ].join('\n'),
  };
  const resolver = new Resolver(indexesOf(files), resolverOf(files));

  it('follows CommonJS: a client created from a required package, exported, and required by name elsewhere', () => {
    const cjs = {
      'src/db.js': "const mysql = require('mysql2/promise');\nexports.db = mysql.createPool(process.env.MYSQL_URL);\n",
      'src/users.js': "const { db } = require('./db');\nexports.find = async (id) => db.query('select * from users where id = ?', [id]);\n",
    };
    const r = new Resolver(indexesOf(cjs), resolverOf(cjs));
    const find = r.fns.get('src/users.js#find')!;
    expect(r.effect(find, find.calls[0]!)).toMatchObject({
      k: 'store',
      op: 'read',
      target: { lib: 'mysql2' },
      env: ['MYSQL_URL'],
      origin: { file: 'src/db.js', line: 2 },
    });
  });

  it('reads AWS SDK v2 clients: a DocumentClient from the aws-sdk namespace or its DynamoDB export, and a per-service module', () => {
    const v2 = {
      'src/a.ts':
        "import AWS from 'aws-sdk';\nconst db = new AWS.DynamoDB.DocumentClient();\nexport const get = (id: string) => db.get({ TableName: process.env.TABLE!, Key: { id } }).promise();\n",
      'src/b.ts':
        "import { DynamoDB } from 'aws-sdk';\nconst db = new DynamoDB.DocumentClient();\nexport const put = (item: object) => db.put({ TableName: 'jokes', Item: item }).promise();\n",
      'src/c.js':
        "const S3 = require('aws-sdk/clients/s3');\nconst s3 = new S3();\nexports.save = (key, body) => s3.putObject({ Bucket: 'files', Key: key, Body: body }).promise();\n",
      'src/d.ts': "import AWS from 'aws-sdk';\nconst cfg = new AWS.Config();\nexport const region = () => cfg.update({ region: 'eu-west-1' });\n",
    };
    const r = new Resolver(indexesOf(v2), resolverOf(v2));
    const effect = (key: string) => {
      const fn = r.fns.get(key)!;
      return r.effect(fn, fn.calls[0]!);
    };
    expect(effect('src/a.ts#get')).toMatchObject({ k: 'store', target: { tech: 'dynamodb' } });
    expect(effect('src/b.ts#put')).toMatchObject({ k: 'store', target: { tech: 'dynamodb' } });
    expect(effect('src/c.js#save')).toMatchObject({ k: 'store', target: { tech: 's3' } });
    expect(effect('src/d.ts#region')).toBeUndefined();
  });

  it('follows a factory that returns a client, naming the queue from the argument passed to it', () => {
    const place = resolver.fns.get('src/orders.ts#place')!;
    expect(resolver.effect(place, place.calls[0]!)).toEqual({ k: 'produce', lib: 'bullmq', queue: 'orders', job: 'order-placed' });
  });
});
