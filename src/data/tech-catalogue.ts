/**
 * Packages archdoc recognises in manifests, with the Technology stack table they belong to.
 * One entry per line so additions are one-line diffs. Unknown packages are not listed: the
 * document's stack tables name what matters, not every transitive helper.
 */
import type { TechCategory, TechLayer } from '../model/schema.js';

export interface CatalogueEntry {
  name: string;
  category: TechCategory;
  layer: TechLayer;
  purpose: string;
}

const e = (name: string, category: TechCategory, layer: TechLayer, purpose: string): CatalogueEntry => ({ name, category, layer, purpose });

export const PACKAGES: Record<string, CatalogueEntry> = {
  // Back-end frameworks
  express: e('Express', 'framework', 'backend', 'HTTP server framework'),
  fastify: e('Fastify', 'framework', 'backend', 'HTTP server framework'),
  koa: e('Koa', 'framework', 'backend', 'HTTP server framework'),
  hono: e('Hono', 'framework', 'backend', 'HTTP server framework'),
  '@hapi/hapi': e('hapi', 'framework', 'backend', 'HTTP server framework'),
  '@nestjs/core': e('NestJS', 'framework', 'backend', 'Application framework'),
  payload: e('Payload CMS', 'framework', 'backend', 'Headless CMS: collections, admin panel, REST and GraphQL API'),
  '@apollo/server': e('Apollo Server', 'framework', 'backend', 'GraphQL server'),
  'apollo-server': e('Apollo Server', 'framework', 'backend', 'GraphQL server'),
  'graphql-yoga': e('GraphQL Yoga', 'framework', 'backend', 'GraphQL server'),
  '@trpc/server': e('tRPC', 'framework', 'backend', 'Typed RPC API'),
  '@grpc/grpc-js': e('gRPC', 'framework', 'backend', 'RPC transport'),
  '@trpc/next': e('tRPC', 'framework', 'backend', 'Typed RPC API'),
  'socket.io': e('Socket.IO', 'framework', 'backend', 'Real-time messaging over WebSockets'),
  '@nestjs/graphql': e('NestJS GraphQL', 'framework', 'backend', 'GraphQL server'),
  'type-graphql': e('TypeGraphQL', 'framework', 'backend', 'GraphQL schema from classes'),
  '@pothos/core': e('Pothos', 'framework', 'backend', 'GraphQL schema builder'),
  mercurius: e('Mercurius', 'framework', 'backend', 'GraphQL server'),
  elysia: e('Elysia', 'framework', 'backend', 'HTTP server framework'),
  '@remix-run/node': e('Remix', 'framework', 'frontend', 'React framework with server rendering'),
  ws: e('ws', 'framework', 'backend', 'WebSocket server'),
  // Front-end
  react: e('React', 'framework', 'frontend', 'User-interface library'),
  next: e('Next.js', 'framework', 'frontend', 'React framework with server rendering'),
  vue: e('Vue', 'framework', 'frontend', 'User-interface framework'),
  nuxt: e('Nuxt', 'framework', 'frontend', 'Vue framework with server rendering'),
  '@angular/core': e('Angular', 'framework', 'frontend', 'Application framework'),
  svelte: e('Svelte', 'framework', 'frontend', 'User-interface compiler'),
  '@sveltejs/kit': e('SvelteKit', 'framework', 'frontend', 'Svelte application framework'),
  astro: e('Astro', 'framework', 'frontend', 'Content-site framework'),
  'react-native': e('React Native', 'framework', 'frontend', 'Mobile applications'),
  expo: e('Expo', 'framework', 'frontend', 'Mobile application platform'),
  tailwindcss: e('Tailwind CSS', 'styling', 'frontend', 'Utility-first CSS'),
  '@tanstack/react-query': e('TanStack Query', 'state', 'frontend', 'Server-state caching'),
  redux: e('Redux', 'state', 'frontend', 'State management'),
  '@reduxjs/toolkit': e('Redux Toolkit', 'state', 'frontend', 'State management'),
  zustand: e('Zustand', 'state', 'frontend', 'State management'),
  // Data: ORMs and clients
  '@prisma/client': e('Prisma', 'orm', 'data', 'ORM and schema migrations'),
  prisma: e('Prisma CLI', 'orm', 'data', 'Schema migrations'),
  typeorm: e('TypeORM', 'orm', 'data', 'ORM'),
  sequelize: e('Sequelize', 'orm', 'data', 'ORM'),
  'sequelize-typescript': e('sequelize-typescript', 'orm', 'data', 'ORM decorators'),
  mongoose: e('Mongoose', 'orm', 'data', 'MongoDB object modelling'),
  'drizzle-orm': e('Drizzle ORM', 'orm', 'data', 'ORM'),
  kysely: e('Kysely', 'query-builder', 'data', 'Typed SQL query builder'),
  knex: e('Knex', 'query-builder', 'data', 'SQL query builder and migrations'),
  '@mikro-orm/core': e('MikroORM', 'orm', 'data', 'ORM'),
  'kysely-codegen': e('kysely-codegen', 'query-builder', 'data', 'Table types generated from a database'),
  '@supabase/supabase-js': e('Supabase client', 'database-client', 'data', 'Supabase database, storage and auth client'),
  pg: e('node-postgres', 'database-client', 'data', 'PostgreSQL client'),
  postgres: e('Postgres.js', 'database-client', 'data', 'PostgreSQL client'),
  mysql2: e('mysql2', 'database-client', 'data', 'MySQL client'),
  mysql: e('mysql', 'database-client', 'data', 'MySQL client'),
  'better-sqlite3': e('better-sqlite3', 'database-client', 'data', 'SQLite client'),
  sqlite3: e('sqlite3', 'database-client', 'data', 'SQLite client'),
  mongodb: e('MongoDB driver', 'database-client', 'data', 'MongoDB client'),
  ioredis: e('ioredis', 'database-client', 'data', 'Redis client'),
  redis: e('node-redis', 'database-client', 'data', 'Redis client'),
  '@elastic/elasticsearch': e('Elasticsearch client', 'database-client', 'data', 'Search engine client'),
  '@opensearch-project/opensearch': e('OpenSearch client', 'database-client', 'data', 'Search engine client'),
  '@aws-sdk/client-dynamodb': e('DynamoDB client', 'database-client', 'data', 'DynamoDB client'),
  '@aws-sdk/client-s3': e('S3 client', 'storage-client', 'data', 'Object storage client'),
  // Messaging
  bullmq: e('BullMQ', 'messaging', 'backend', 'Redis-backed job queues'),
  bull: e('Bull', 'messaging', 'backend', 'Redis-backed job queues'),
  '@nestjs/bullmq': e('NestJS BullMQ', 'messaging', 'backend', 'Job queues in NestJS'),
  kafkajs: e('KafkaJS', 'messaging', 'backend', 'Kafka client'),
  amqplib: e('amqplib', 'messaging', 'backend', 'RabbitMQ client'),
  '@aws-sdk/client-sqs': e('SQS client', 'messaging', 'backend', 'AWS SQS client'),
  '@aws-sdk/client-sns': e('SNS client', 'messaging', 'backend', 'AWS SNS client'),
  '@google-cloud/pubsub': e('Google Cloud Pub/Sub', 'messaging', 'backend', 'Pub/Sub client'),
  nats: e('NATS', 'messaging', 'backend', 'NATS client'),
  '@aws-sdk/client-eventbridge': e('EventBridge client', 'messaging', 'backend', 'AWS EventBridge client'),
  '@temporalio/client': e('Temporal', 'workflow', 'backend', 'Durable workflows'),
  '@temporalio/worker': e('Temporal', 'workflow', 'backend', 'Durable workflows'),
  '@temporalio/workflow': e('Temporal', 'workflow', 'backend', 'Durable workflows'),
  inngest: e('Inngest', 'workflow', 'backend', 'Event-driven background functions'),
  'nestjs-temporal-core': e('Temporal', 'workflow', 'backend', 'Durable workflows'),
  'pg-boss': e('pg-boss', 'messaging', 'backend', 'PostgreSQL-backed job queues'),
  agenda: e('Agenda', 'messaging', 'backend', 'MongoDB-backed job scheduling'),
  '@trigger.dev/sdk': e('Trigger.dev', 'workflow', 'backend', 'Background tasks'),
  'graphile-worker': e('Graphile Worker', 'messaging', 'backend', 'PostgreSQL-backed job queue'),
  'bee-queue': e('Bee-Queue', 'messaging', 'backend', 'Redis-backed job queue'),
  // Validation and security
  zod: e('Zod', 'validation', 'backend', 'Schema validation'),
  joi: e('Joi', 'validation', 'backend', 'Schema validation'),
  'class-validator': e('class-validator', 'validation', 'backend', 'Decorator-based validation'),
  ajv: e('Ajv', 'validation', 'backend', 'JSON Schema validation'),
  passport: e('Passport', 'security', 'backend', 'Authentication middleware'),
  jsonwebtoken: e('jsonwebtoken', 'security', 'backend', 'JSON Web Tokens'),
  jose: e('jose', 'security', 'backend', 'JSON Web Tokens and keys'),
  bcrypt: e('bcrypt', 'security', 'backend', 'Password hashing'),
  bcryptjs: e('bcryptjs', 'security', 'backend', 'Password hashing'),
  argon2: e('argon2', 'security', 'backend', 'Password hashing'),
  helmet: e('Helmet', 'security', 'backend', 'Security headers'),
  'next-auth': e('NextAuth.js', 'security', 'frontend', 'Authentication'),
  '@auth/core': e('Auth.js', 'security', 'backend', 'Authentication'),
  '@clerk/nextjs': e('Clerk', 'security', 'frontend', 'Hosted authentication'),
  '@clerk/clerk-sdk-node': e('Clerk', 'security', 'backend', 'Hosted authentication'),
  '@auth0/nextjs-auth0': e('Auth0', 'security', 'frontend', 'Hosted authentication'),
  'better-auth': e('Better Auth', 'security', 'backend', 'Authentication'),
  lucia: e('Lucia', 'security', 'backend', 'Session authentication'),
  // Observability
  '@opentelemetry/sdk-node': e('OpenTelemetry', 'tracing', 'observability', 'Traces and metrics'),
  '@opentelemetry/api': e('OpenTelemetry API', 'tracing', 'observability', 'Traces and metrics'),
  'dd-trace': e('Datadog APM', 'tracing', 'observability', 'Tracing'),
  newrelic: e('New Relic', 'tracing', 'observability', 'Application monitoring'),
  '@sentry/node': e('Sentry', 'errors', 'observability', 'Error tracking'),
  '@sentry/nextjs': e('Sentry', 'errors', 'observability', 'Error tracking'),
  '@sentry/react': e('Sentry', 'errors', 'observability', 'Error tracking'),
  'prom-client': e('prom-client', 'metrics', 'observability', 'Prometheus metrics'),
  pino: e('Pino', 'logging', 'observability', 'Structured logging'),
  winston: e('Winston', 'logging', 'observability', 'Logging'),
  bunyan: e('Bunyan', 'logging', 'observability', 'Structured logging'),
  // Build and tooling
  typescript: e('TypeScript', 'language', 'tooling', 'Typed JavaScript'),
  vite: e('Vite', 'build', 'tooling', 'Front-end build tool'),
  webpack: e('webpack', 'build', 'tooling', 'Bundler'),
  esbuild: e('esbuild', 'build', 'tooling', 'Bundler and transpiler'),
  rollup: e('Rollup', 'build', 'tooling', 'Bundler'),
  tsup: e('tsup', 'build', 'tooling', 'Library bundler'),
  '@swc/core': e('SWC', 'build', 'tooling', 'Transpiler'),
  turbo: e('Turborepo', 'monorepo', 'tooling', 'Monorepo task runner'),
  nx: e('Nx', 'monorepo', 'tooling', 'Monorepo task runner'),
  lerna: e('Lerna', 'monorepo', 'tooling', 'Monorepo publishing'),
  vitest: e('Vitest', 'test', 'tooling', 'Unit tests'),
  jest: e('Jest', 'test', 'tooling', 'Unit tests'),
  mocha: e('Mocha', 'test', 'tooling', 'Unit tests'),
  '@playwright/test': e('Playwright', 'test', 'tooling', 'End-to-end tests'),
  cypress: e('Cypress', 'test', 'tooling', 'End-to-end tests'),
  supertest: e('SuperTest', 'test', 'tooling', 'HTTP tests'),
  eslint: e('ESLint', 'lint', 'tooling', 'Linting'),
  prettier: e('Prettier', 'lint', 'tooling', 'Formatting'),
  // Infrastructure as code from package manifests
  'aws-cdk-lib': e('AWS CDK', 'iac', 'infrastructure', 'Infrastructure as code'),
  '@pulumi/pulumi': e('Pulumi', 'iac', 'infrastructure', 'Infrastructure as code'),
  serverless: e('Serverless Framework', 'iac', 'infrastructure', 'Serverless deployment'),
  '@pulumi/aws': e('Pulumi', 'iac', 'infrastructure', 'Infrastructure as code'),
  sst: e('SST', 'iac', 'infrastructure', 'Serverless infrastructure as code'),
  cdktf: e('CDK for Terraform', 'iac', 'infrastructure', 'Infrastructure as code'),
  wrangler: e('Cloudflare Workers', 'iac', 'infrastructure', 'Cloudflare Workers deployment'),
};

/** Technologies recognised from files rather than manifests. */
export const FILE_SIGNALS: { test: RegExp; entry: CatalogueEntry }[] = [
  { test: /(^|\/)Dockerfile([.-][^/]*)?$|\.Dockerfile$/, entry: e('Docker', 'container', 'infrastructure', 'Container images') },
  { test: /(^|\/)(docker-)?compose([.-][^/]*)?\.ya?ml$/, entry: e('Docker Compose', 'container', 'infrastructure', 'Local multi-container environment') },
  { test: /\.tf$/, entry: e('Terraform', 'iac', 'infrastructure', 'Infrastructure as code') },
  { test: /(^|\/)terragrunt\.hcl$/, entry: e('Terragrunt', 'iac', 'infrastructure', 'Terraform orchestration') },
  { test: /(^|\/)Chart\.yaml$/, entry: e('Helm', 'orchestration', 'infrastructure', 'Kubernetes packaging') },
  { test: /(^|\/)kustomization\.ya?ml$/, entry: e('Kustomize', 'orchestration', 'infrastructure', 'Kubernetes configuration overlays') },
  { test: /^\.github\/workflows\/[^/]+\.ya?ml$/, entry: e('GitHub Actions', 'ci', 'infrastructure', 'Continuous integration and delivery') },
  { test: /^\.gitlab-ci\.ya?ml$/, entry: e('GitLab CI', 'ci', 'infrastructure', 'Continuous integration and delivery') },
  { test: /^\.circleci\/config\.ya?ml$/, entry: e('CircleCI', 'ci', 'infrastructure', 'Continuous integration') },
  { test: /(^|\/)azure-pipelines\.ya?ml$/, entry: e('Azure Pipelines', 'ci', 'infrastructure', 'Continuous integration and delivery') },
  { test: /(^|\/)serverless\.ya?ml$/, entry: e('Serverless Framework', 'iac', 'infrastructure', 'Serverless deployment') },
  { test: /(^|\/)schema\.prisma$/, entry: e('Prisma', 'orm', 'data', 'ORM and schema migrations') },
  { test: /(^|\/)cdk\.json$/, entry: PACKAGES['aws-cdk-lib']! },
  { test: /(^|\/)Pulumi\.ya?ml$/, entry: PACKAGES['@pulumi/pulumi']! },
  { test: /(^|\/)sst\.config\.[cm]?[jt]s$/, entry: PACKAGES.sst! },
  { test: /(^|\/)cdktf\.json$/, entry: PACKAGES.cdktf! },
  { test: /(^|\/)wrangler\.(toml|json|jsonc)$/, entry: PACKAGES.wrangler! },
];

/**
 * The coverage ledger: for the catalogued technologies a reader expects the document to cover,
 * the category of the document they belong to, what they yield when read, and which facts of the
 * model count as read from them. An entry without `reads` is present-but-unread: no analyzer reads
 * it. Keyed by the catalogue's `name`, so detection stays the catalogue's (manifests and files).
 */
export type CoverageCategory = 'api' | 'graphql' | 'data' | 'messaging' | 'infrastructure' | 'observability' | 'identity';
export type CoverageYield =
  | 'routes'
  | 'procedures'
  | 'operations'
  | 'rpcs'
  | 'entities'
  | 'tables'
  | 'stores'
  | 'queues'
  | 'workflows'
  | 'resources'
  | 'telemetry'
  | 'authentication';

/** Facts that count as read from a technology (each list matched exactly, except where noted). */
export interface LedgerReads {
  /** Endpoints whose `details.framework` is one of these. */
  frameworks?: string[];
  /** Endpoints of these protocols (GraphQL schemas are read whatever serves them). */
  protocols?: string[];
  /** Entities whose `orm` is one of these. */
  orms?: string[];
  /** Data stores whose `tech` is one of these. */
  stores?: string[];
  /** Queues whose `tech` is one of these. */
  queues?: string[];
  /** Infrastructure whose `source` is one of these. */
  sources?: string[];
  /** Observability or security facts whose `tech`, letters and digits only, contains one of these. */
  techs?: string[];
}

export interface LedgerEntry {
  category: CoverageCategory;
  yields: CoverageYield;
  reads?: LedgerReads;
}

const read = (category: CoverageCategory, yields: CoverageYield, reads: LedgerReads): LedgerEntry => ({ category, yields, reads });
const unread = (category: CoverageCategory, yields: CoverageYield): LedgerEntry => ({ category, yields });

export const LEDGER: Record<string, LedgerEntry> = {
  // HTTP and RPC frameworks (analyzers/endpoints)
  Express: read('api', 'routes', { frameworks: ['express'] }),
  Fastify: read('api', 'routes', { frameworks: ['fastify'] }),
  Koa: read('api', 'routes', { frameworks: ['koa'] }),
  Hono: read('api', 'routes', { frameworks: ['hono'] }),
  NestJS: read('api', 'routes', { frameworks: ['nestjs', 'nestjs-gateway', 'nestjs-grpc'] }),
  'Next.js': read('api', 'routes', { frameworks: ['nextjs-app-router', 'nextjs-pages-api'] }),
  gRPC: read('api', 'rpcs', { frameworks: ['grpc-proto', 'nestjs-grpc'] }),
  'Socket.IO': read('api', 'operations', { frameworks: ['socket.io'] }),
  ws: read('api', 'operations', { frameworks: ['ws'] }),
  hapi: unread('api', 'routes'),
  Elysia: read('api', 'routes', { frameworks: ['elysia'] }),
  tRPC: read('api', 'procedures', { frameworks: ['trpc'] }),
  Remix: read('api', 'routes', { frameworks: ['remix', 'react-router'] }),
  SvelteKit: unread('api', 'routes'),
  Nuxt: unread('api', 'routes'),
  // GraphQL (schema files, gql templates and resolvers, whatever the server)
  'Apollo Server': read('graphql', 'operations', { protocols: ['graphql'] }),
  'GraphQL Yoga': read('graphql', 'operations', { protocols: ['graphql'] }),
  Mercurius: read('graphql', 'operations', { protocols: ['graphql'] }),
  'NestJS GraphQL': read('graphql', 'operations', { frameworks: ['graphql-resolver'] }),
  TypeGraphQL: read('graphql', 'operations', { frameworks: ['graphql-resolver'] }),
  Pothos: unread('graphql', 'operations'),
  // ORMs, query builders and drivers (analyzers/prisma, orm-entities, sql-migrations, outbound)
  Prisma: read('data', 'entities', { orms: ['prisma'] }),
  TypeORM: read('data', 'entities', { orms: ['typeorm'] }),
  Sequelize: read('data', 'entities', { orms: ['sequelize'] }),
  'sequelize-typescript': read('data', 'entities', { orms: ['sequelize'] }),
  Mongoose: read('data', 'entities', { orms: ['mongoose'] }),
  'Drizzle ORM': read('data', 'entities', { orms: ['drizzle'] }),
  Kysely: read('data', 'entities', { orms: ['kysely'] }),
  Knex: read('data', 'entities', { orms: ['sql'] }),
  MikroORM: read('data', 'entities', { orms: ['mikroorm'] }),
  'Payload CMS': read('data', 'entities', { orms: ['payload'] }),
  'kysely-codegen': unread('data', 'tables'),
  'Supabase client': read('data', 'entities', { orms: ['supabase'] }),
  'node-postgres': read('data', 'stores', { stores: ['postgresql'] }),
  'Postgres.js': read('data', 'stores', { stores: ['postgresql'] }),
  mysql2: read('data', 'stores', { stores: ['mysql', 'mariadb'] }),
  mysql: read('data', 'stores', { stores: ['mysql', 'mariadb'] }),
  'better-sqlite3': read('data', 'stores', { stores: ['sqlite'] }),
  sqlite3: read('data', 'stores', { stores: ['sqlite'] }),
  'MongoDB driver': read('data', 'stores', { stores: ['mongodb'] }),
  ioredis: read('data', 'stores', { stores: ['redis', 'valkey'] }),
  'node-redis': read('data', 'stores', { stores: ['redis', 'valkey'] }),
  'Elasticsearch client': read('data', 'stores', { stores: ['elasticsearch'] }),
  'OpenSearch client': read('data', 'stores', { stores: ['opensearch'] }),
  'DynamoDB client': read('data', 'stores', { stores: ['dynamodb'] }),
  // Queues and workflow engines (analyzers/messaging)
  BullMQ: read('messaging', 'queues', { queues: ['BullMQ'] }),
  'NestJS BullMQ': read('messaging', 'queues', { queues: ['BullMQ'] }),
  Bull: read('messaging', 'queues', { queues: ['Bull', 'BullMQ'] }),
  KafkaJS: read('messaging', 'queues', { queues: ['Kafka'] }),
  amqplib: read('messaging', 'queues', { queues: ['RabbitMQ'] }),
  'SQS client': read('messaging', 'queues', { queues: ['Amazon SQS'] }),
  'SNS client': read('messaging', 'queues', { queues: ['Amazon SNS'] }),
  'EventBridge client': read('messaging', 'queues', { queues: ['Amazon EventBridge'] }),
  'Google Cloud Pub/Sub': read('messaging', 'queues', { queues: ['Google Pub/Sub'] }),
  NATS: read('messaging', 'queues', { queues: ['NATS'] }),
  Temporal: read('messaging', 'queues', { queues: ['Temporal'] }),
  Inngest: read('messaging', 'queues', { queues: ['Inngest'] }),
  'pg-boss': read('messaging', 'queues', { queues: ['pg-boss'] }),
  Agenda: read('messaging', 'queues', { queues: ['Agenda'] }),
  'Trigger.dev': read('messaging', 'queues', { queues: ['Trigger.dev'] }),
  'Graphile Worker': read('messaging', 'queues', { queues: ['Graphile Worker'] }),
  'Bee-Queue': read('messaging', 'queues', { queues: ['bee-queue'] }),
  // Infrastructure as code (analyzers/terraform, kubernetes, compose, serverless, cdk, pulumi, cdktf)
  Terraform: read('infrastructure', 'resources', { sources: ['terraform'] }),
  Terragrunt: read('infrastructure', 'resources', { sources: ['terraform'] }),
  Helm: read('infrastructure', 'resources', { sources: ['helm'] }),
  Kustomize: read('infrastructure', 'resources', { sources: ['kustomize'] }),
  'Serverless Framework': read('infrastructure', 'resources', { sources: ['serverless'] }),
  'AWS CDK': read('infrastructure', 'resources', { sources: ['cdk'] }),
  Pulumi: read('infrastructure', 'resources', { sources: ['pulumi'] }),
  SST: read('infrastructure', 'resources', { sources: ['sst'] }),
  'Cloudflare Workers': unread('infrastructure', 'resources'),
  'CDK for Terraform': read('infrastructure', 'resources', { sources: ['cdktf'] }),
  // Observability (analyzers/observability)
  OpenTelemetry: read('observability', 'telemetry', { techs: ['opentelemetry'] }),
  'OpenTelemetry API': read('observability', 'telemetry', { techs: ['opentelemetry'] }),
  'Datadog APM': read('observability', 'telemetry', { techs: ['datadog', 'ddtrace'] }),
  'New Relic': read('observability', 'telemetry', { techs: ['newrelic'] }),
  Sentry: read('observability', 'telemetry', { techs: ['sentry'] }),
  'prom-client': read('observability', 'telemetry', { techs: ['promclient'] }),
  Pino: read('observability', 'telemetry', { techs: ['pino'] }),
  Winston: read('observability', 'telemetry', { techs: ['winston'] }),
  Bunyan: read('observability', 'telemetry', { techs: ['bunyan'] }),
  // Identity (analyzers/security)
  Passport: read('identity', 'authentication', { techs: ['passport'] }),
  jsonwebtoken: read('identity', 'authentication', { techs: ['jsonwebtoken'] }),
  jose: read('identity', 'authentication', { techs: ['jose'] }),
  'NextAuth.js': read('identity', 'authentication', { techs: ['nextauth'] }),
  'Auth.js': read('identity', 'authentication', { techs: ['nextauth', 'authjs', 'authcore'] }),
  Clerk: read('identity', 'authentication', { techs: ['clerk'] }),
  Auth0: read('identity', 'authentication', { techs: ['auth0'] }),
  'Better Auth': read('identity', 'authentication', { techs: ['betterauth'] }),
  Lucia: read('identity', 'authentication', { techs: ['lucia'] }),
};
