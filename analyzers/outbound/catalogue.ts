/**
 * What a package's exports are, for outbound dependencies: database clients and ORMs (data
 * stores), SDK clients (external services), HTTP clients, and queue producers. Keyed by package
 * name; `names` lists the exports that create or are such a client (`*` = any export, including
 * the default and a namespace import).
 */
import { idOf } from '../../src/model/ids.js';

export type Target =
  | { kind: 'store'; lib: string; orm: boolean; tech?: string }
  | { kind: 'external'; id: string; name: string; service: 'sdk' | 'cloud' | 'email' }
  | { kind: 'http'; lib: string }
  | { kind: 'queue'; lib: string };

interface Entry {
  names: string[] | '*';
  target: Target;
}

const store = (lib: string, tech?: string, orm = false): Target => ({ kind: 'store', lib, orm, tech });
const ext = (id: string, name: string, service: 'sdk' | 'cloud' | 'email' = 'sdk'): Target => ({ kind: 'external', id: idOf.external(id), name, service });

export const PACKAGES: Record<string, Entry[]> = {
  '@prisma/client': [{ names: ['PrismaClient'], target: store('prisma', undefined, true) }],
  typeorm: [
    {
      names: [
        'DataSource',
        'Repository',
        'EntityManager',
        'MongoRepository',
        'TreeRepository',
        'BaseEntity',
        'getRepository',
        'getManager',
        'getConnection',
        'createConnection',
        'getMongoRepository',
        'getCustomRepository',
      ],
      target: store('typeorm', undefined, true),
    },
  ],
  '@nestjs/typeorm': [{ names: ['InjectRepository', 'InjectDataSource', 'InjectEntityManager'], target: store('typeorm', undefined, true) }],
  sequelize: [{ names: ['Sequelize', 'Model'], target: store('sequelize', undefined, true) }],
  'sequelize-typescript': [{ names: ['Sequelize', 'Model'], target: store('sequelize', undefined, true) }],
  '@nestjs/sequelize': [{ names: ['InjectModel', 'InjectConnection'], target: store('sequelize', undefined, true) }],
  mongoose: [{ names: '*', target: store('mongoose', 'mongodb', true) }],
  '@nestjs/mongoose': [{ names: ['InjectModel', 'InjectConnection'], target: store('mongoose', 'mongodb', true) }],
  '@mikro-orm/core': [{ names: ['MikroORM', 'EntityManager', 'EntityRepository'], target: store('mikro-orm', undefined, true) }],
  '@mikro-orm/nestjs': [{ names: ['InjectRepository'], target: store('mikro-orm', undefined, true) }],
  knex: [{ names: '*', target: store('knex', undefined, true) }],
  kysely: [{ names: ['Kysely'], target: store('kysely', undefined, true) }],
  'drizzle-orm/node-postgres': [{ names: ['drizzle'], target: store('drizzle', 'postgresql', true) }],
  'drizzle-orm/postgres-js': [{ names: ['drizzle'], target: store('drizzle', 'postgresql', true) }],
  'drizzle-orm/neon-http': [{ names: ['drizzle'], target: store('drizzle', 'postgresql', true) }],
  'drizzle-orm/neon-serverless': [{ names: ['drizzle'], target: store('drizzle', 'postgresql', true) }],
  'drizzle-orm/vercel-postgres': [{ names: ['drizzle'], target: store('drizzle', 'postgresql', true) }],
  'drizzle-orm/mysql2': [{ names: ['drizzle'], target: store('drizzle', 'mysql', true) }],
  'drizzle-orm/planetscale-serverless': [{ names: ['drizzle'], target: store('drizzle', 'mysql', true) }],
  'drizzle-orm/better-sqlite3': [{ names: ['drizzle'], target: store('drizzle', 'sqlite', true) }],
  'drizzle-orm/libsql': [{ names: ['drizzle'], target: store('drizzle', 'sqlite', true) }],
  'drizzle-orm/d1': [{ names: ['drizzle'], target: store('drizzle', 'sqlite', true) }],
  pg: [{ names: ['Pool', 'Client', 'default', '*'], target: store('pg', 'postgresql') }],
  postgres: [{ names: ['default'], target: store('postgres', 'postgresql') }],
  '@neondatabase/serverless': [{ names: ['neon', 'Pool', 'Client'], target: store('neon', 'postgresql') }],
  '@vercel/postgres': [{ names: ['sql', 'db', 'createPool', 'createClient'], target: store('@vercel/postgres', 'postgresql') }],
  mysql2: [{ names: ['createPool', 'createConnection', 'default', '*'], target: store('mysql2', 'mysql') }],
  'mysql2/promise': [{ names: ['createPool', 'createConnection', 'default', '*'], target: store('mysql2', 'mysql') }],
  mysql: [{ names: ['createPool', 'createConnection', 'default', '*'], target: store('mysql', 'mysql') }],
  'better-sqlite3': [{ names: ['default'], target: store('better-sqlite3', 'sqlite') }],
  mongodb: [{ names: ['MongoClient', 'Db', 'Collection'], target: store('mongodb', 'mongodb') }],
  ioredis: [{ names: '*', target: store('ioredis', 'redis') }],
  redis: [{ names: ['createClient', 'createCluster'], target: store('redis', 'redis') }],
  '@upstash/redis': [{ names: ['Redis'], target: store('@upstash/redis', 'redis') }],
  '@nestjs-modules/ioredis': [{ names: ['InjectRedis'], target: store('ioredis', 'redis') }],
  '@liaoliaots/nestjs-redis': [{ names: ['InjectRedis', 'RedisService'], target: store('ioredis', 'redis') }],
  // cache-manager: the backing store is told by the dependencies (see DRIVERS' cache entries).
  'cache-manager': [{ names: ['Cache', 'caching', 'createCache'], target: store('cache-manager') }],
  '@nestjs/cache-manager': [{ names: ['Cache', 'CACHE_MANAGER'], target: store('cache-manager') }],
  '@elastic/elasticsearch': [{ names: ['Client'], target: store('@elastic/elasticsearch', 'elasticsearch') }],
  '@opensearch-project/opensearch': [{ names: ['Client'], target: store('@opensearch-project/opensearch', 'opensearch') }],
  '@aws-sdk/client-dynamodb': [{ names: ['DynamoDBClient', 'DynamoDB'], target: store('@aws-sdk/client-dynamodb', 'dynamodb') }],
  '@aws-sdk/lib-dynamodb': [{ names: ['DynamoDBDocumentClient', 'DynamoDBDocument'], target: store('@aws-sdk/lib-dynamodb', 'dynamodb') }],
  '@aws-sdk/client-s3': [{ names: ['S3Client', 'S3'], target: store('@aws-sdk/client-s3', 's3') }],
  // AWS SDK v2: `new AWS.DynamoDB.DocumentClient()`, `import { DynamoDB } from 'aws-sdk'`, and its per-service modules.
  'aws-sdk': [
    { names: ['DynamoDB'], target: store('aws-sdk', 'dynamodb') },
    { names: ['S3'], target: store('aws-sdk', 's3') },
    { names: ['SQS'], target: { kind: 'queue', lib: 'sqs' } },
    { names: ['SNS'], target: ext('aws-sns', 'Amazon SNS', 'cloud') },
    { names: ['SES'], target: ext('aws-ses', 'Amazon SES', 'cloud') },
    { names: ['EventBridge'], target: ext('aws-eventbridge', 'Amazon EventBridge', 'cloud') },
  ],
  'aws-sdk/clients/dynamodb': [{ names: '*', target: store('aws-sdk', 'dynamodb') }],
  'aws-sdk/clients/s3': [{ names: '*', target: store('aws-sdk', 's3') }],
  'aws-sdk/clients/sqs': [{ names: '*', target: { kind: 'queue', lib: 'sqs' } }],
  stripe: [{ names: '*', target: ext('stripe', 'Stripe') }],
  '@sendgrid/mail': [{ names: '*', target: ext('sendgrid', 'SendGrid', 'email') }],
  '@sendgrid/client': [{ names: '*', target: ext('sendgrid', 'SendGrid', 'email') }],
  twilio: [{ names: '*', target: ext('twilio', 'Twilio') }],
  '@slack/web-api': [{ names: ['WebClient'], target: ext('slack', 'Slack') }],
  '@slack/bolt': [{ names: ['App'], target: ext('slack', 'Slack') }],
  '@slack/webhook': [{ names: ['IncomingWebhook'], target: ext('slack', 'Slack') }],
  openai: [{ names: '*', target: ext('openai', 'OpenAI') }],
  '@anthropic-ai/sdk': [{ names: '*', target: ext('anthropic', 'Anthropic') }],
  nodemailer: [{ names: ['createTransport', 'default', '*'], target: ext('smtp', 'SMTP server', 'email') }],
  postmark: [{ names: ['ServerClient', 'Client'], target: ext('postmark', 'Postmark', 'email') }],
  'mailgun.js': [{ names: '*', target: ext('mailgun', 'Mailgun', 'email') }],
  resend: [{ names: ['Resend'], target: ext('resend', 'Resend', 'email') }],
  'firebase-admin': [{ names: '*', target: ext('firebase', 'Firebase', 'cloud') }],
  axios: [{ names: '*', target: { kind: 'http', lib: 'axios' } }],
  got: [{ names: '*', target: { kind: 'http', lib: 'got' } }],
  ky: [{ names: '*', target: { kind: 'http', lib: 'ky' } }],
  'node-fetch': [{ names: '*', target: { kind: 'http', lib: 'node-fetch' } }],
  undici: [{ names: ['request', 'fetch', 'Pool', 'Client'], target: { kind: 'http', lib: 'undici' } }],
  '@nestjs/axios': [{ names: ['HttpService'], target: { kind: 'http', lib: '@nestjs/axios' } }],
  bullmq: [{ names: ['Queue', 'FlowProducer'], target: { kind: 'queue', lib: 'bullmq' } }],
  bull: [{ names: ['default', '*'], target: { kind: 'queue', lib: 'bull' } }],
  '@nestjs/bullmq': [{ names: ['InjectQueue'], target: { kind: 'queue', lib: 'bullmq' } }],
  '@nestjs/bull': [{ names: ['InjectQueue'], target: { kind: 'queue', lib: 'bull' } }],
  kafkajs: [{ names: ['Kafka'], target: { kind: 'queue', lib: 'kafkajs' } }],
  amqplib: [{ names: ['connect', 'default', '*'], target: { kind: 'queue', lib: 'amqplib' } }],
  'amqp-connection-manager': [{ names: ['connect', 'default', '*'], target: { kind: 'queue', lib: 'amqplib' } }],
  '@aws-sdk/client-sqs': [{ names: ['SQSClient', 'SQS'], target: { kind: 'queue', lib: 'sqs' } }],
  '@google-cloud/pubsub': [{ names: ['PubSub'], target: { kind: 'queue', lib: 'pubsub' } }],
  '@nestjs/microservices': [
    { names: ['ClientProxy', 'ClientKafka', 'ClientRMQ', 'ClientNats', 'ClientRedis'], target: { kind: 'queue', lib: 'nestjs-microservices' } },
  ],
};

const AWS_NAMES: Record<string, string> = {
  ses: 'Amazon SES',
  sesv2: 'Amazon SES',
  sns: 'Amazon SNS',
  lambda: 'AWS Lambda',
  'secrets-manager': 'AWS Secrets Manager',
  ssm: 'AWS Systems Manager',
  'cognito-identity-provider': 'Amazon Cognito',
  kms: 'AWS KMS',
  eventbridge: 'Amazon EventBridge',
  kinesis: 'Amazon Kinesis',
  cloudwatch: 'Amazon CloudWatch',
  'cloudwatch-logs': 'Amazon CloudWatch Logs',
  textract: 'Amazon Textract',
  rekognition: 'Amazon Rekognition',
  translate: 'Amazon Translate',
  comprehend: 'Amazon Comprehend',
  'bedrock-runtime': 'Amazon Bedrock',
  sts: 'AWS STS',
};

/** Entries for a package, including every AWS SDK v3 client and Google Cloud client. */
export function entriesFor(pkg: string): Entry[] | undefined {
  const direct = PACKAGES[pkg];
  if (direct) return direct;
  const aws = /^@aws-sdk\/client-([a-z0-9-]+)$/.exec(pkg);
  if (aws) {
    const svc = aws[1]!;
    const name = AWS_NAMES[svc] ?? `AWS ${svc.toUpperCase()}`;
    return [{ names: '*', target: ext(`aws-${svc.replace(/v2$/, '')}`, name, 'cloud') }];
  }
  const gcp = /^@google-cloud\/([a-z0-9-]+)$/.exec(pkg);
  if (gcp) {
    const svc = gcp[1]!;
    const name = `Google Cloud ${svc
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ')}`;
    return [{ names: '*', target: ext(`gcp-${svc}`, name, 'cloud') }];
  }
  return undefined;
}

/** The target an import `{ name }` from `pkg` denotes, if any. */
export function targetOf(pkg: string, name: string): Target | undefined {
  for (const e of entriesFor(pkg) ?? []) if (e.names === '*' || e.names.includes(name)) return e.target;
  return undefined;
}

/** Methods that return a client of the same kind (a repository from a data source, a producer from Kafka). */
export const DERIVING = new Set([
  'producer',
  'createChannel',
  'createConfirmChannel',
  'getRepository',
  'getCustomRepository',
  'getMongoRepository',
  'getTreeRepository',
  'withRepository',
  'create',
  'extend',
  'db',
  'collection',
  'connect',
  'duplicate',
  '$extends',
  'model',
  'define',
  'topic',
  'initialize',
  'manager',
  'getClient',
  'from',
  'table',
  'promise',
  'defaults',
  'forRoot',
  'createPool',
  'createClient',
  'createConnection',
  'createTransport',
]);

const WRITES =
  /^(create|createMany|insert|insertOne|insertMany|save|update|updateOne|updateMany|upsert|delete|deleteOne|deleteMany|remove|destroy|bulkCreate|bulkWrite|set|setex|setEx|hset|hSet|hmset|mset|lpush|lPush|rpush|rPush|sadd|sAdd|zadd|zAdd|incr|incrBy|incrby|decr|del|expire|put|batchWrite|transactWrite|updateItem|deleteItem|putItem|PutItemCommand|PutCommand|UpdateCommand|DeleteCommand|PutObjectCommand|DeleteObjectCommand|putObject|upload|index|bulk|increment|decrement|softDelete|restore|findOneAndUpdate|findByIdAndUpdate|findOneAndDelete|findByIdAndDelete|replaceOne|persist|persistAndFlush|flush|truncate|execute|executeRaw|\$executeRaw|\$executeRawUnsafe|returning|values|into)$/;
const READS =
  /^(find|findOne|findMany|findFirst|findUnique|findUniqueOrThrow|findFirstOrThrow|findAll|findById|findByPk|findAndCount|findOneBy|findBy|findOneOrFail|findAndCountAll|count|aggregate|groupBy|get|mget|hget|hGet|hgetall|hGetAll|exists|keys|scan|lrange|lRange|smembers|sMembers|zrange|zRange|ttl|search|select|selectFrom|query|\$queryRaw|\$queryRawUnsafe|first|pluck|getItem|batchGet|transactGet|GetItemCommand|GetCommand|QueryCommand|ScanCommand|GetObjectCommand|ListObjectsV2Command|getObject|headObject|distinct|countDocuments|estimatedDocumentCount|where|getMany|getOne|getRawMany|getRawOne|msearch|lean|exec|populate)$/;

/** read/write for a data-store method name; undefined for connection management and the like. */
export function storeOp(method: string): 'read' | 'write' | undefined {
  if (WRITES.test(method)) return 'write';
  if (READS.test(method)) return 'read';
  return undefined;
}

/** Queue producer methods (BullMQ add, Kafka send, AMQP publish, SQS SendMessageCommand, Nest emit). */
export const PRODUCE = new Set([
  'add',
  'addBulk',
  'send',
  'sendBatch',
  'publish',
  'sendToQueue',
  'emit',
  'SendMessageCommand',
  'SendMessageBatchCommand',
  'publishMessage',
  'sendMessage',
]);

/** HTTP methods of axios/got/ky/undici/HttpService; a bare call is GET (or the method in options). */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'fetch']);

/** Store tech → name and kind, for techs src/data/ids.ts does not know. */
export const EXTRA_STORES: Record<string, { name: string; kind: 'object' | 'search' | 'relational' | 'key-value' | 'document' | 'cache' | 'other' }> = {
  s3: { name: 'Amazon S3', kind: 'object' },
  'in-process-cache': { name: 'In-process cache', kind: 'cache' },
  opensearch: { name: 'OpenSearch', kind: 'search' },
};

/** SQL drivers by package, to tell an ORM's database when its config does not say. */
/** Packages that put a cache-manager cache in Redis. */
export const CACHE_BACKENDS: [string, string][] = [
  ['@keyv/redis', 'redis'],
  ['cache-manager-redis-store', 'redis'],
  ['cache-manager-redis-yet', 'redis'],
  ['cache-manager-ioredis-yet', 'redis'],
  ['cache-manager-ioredis', 'redis'],
  ['@tirke/node-cache-manager-ioredis', 'redis'],
];

/** Driver package → engine (shared with orm-entities: src/data/database-drivers.ts). */
export { DATABASE_DRIVERS as DRIVERS } from '../../src/data/database-drivers.js';
