/**
 * Packages archdoc recognises in manifests, with the Technology stack table they belong to.
 * One entry per line so additions are one-line diffs. Unknown packages are not listed: the
 * document's stack tables name what matters, not every transitive helper.
 */
import type { TechCategory, TechLayer } from '../model/schema.js';
import type { BuildDep } from '../analysis/build-deps.js';

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

/**
 * Other languages' libraries, by the name their build file declares them under
 * (src/analysis/build-deps.ts: direct runtime dependencies only): Go module paths, Python
 * distribution names (lower case, `-` for `_` and `.`), Maven `groupId:artifactId`, NuGet package
 * ids, Composer `vendor/package` and gem names. A name ending in `*` matches every name it starts;
 * several names of one entry are separated by spaces; a dependency is every entry that names it
 * (`buildEntries`). Names differ from the TypeScript packages' where the
 * coverage ledger (LEDGER, keyed by name) would otherwise count them as read by the TypeScript
 * rules; gRPC and OpenTelemetry are read whatever the language (.proto files, build files).
 */
const SPRING = 'org.springframework.boot:spring-boot-starter';
export const BUILD_PACKAGES: Record<BuildDep['ecosystem'], [names: string, entry: CatalogueEntry][]> = {
  go: [
    ['github.com/gin-gonic/gin', e('Gin', 'framework', 'backend', 'HTTP web framework')],
    ['github.com/labstack/echo github.com/labstack/echo/v*', e('Echo', 'framework', 'backend', 'HTTP web framework')],
    ['github.com/go-chi/chi github.com/go-chi/chi/v*', e('chi', 'framework', 'backend', 'HTTP router')],
    ['github.com/gofiber/fiber github.com/gofiber/fiber/v*', e('Fiber', 'framework', 'backend', 'HTTP web framework')],
    ['github.com/gorilla/mux', e('Gorilla mux', 'framework', 'backend', 'HTTP router')],
    ['github.com/gorilla/websocket', e('Gorilla WebSocket', 'framework', 'backend', 'WebSocket server and client')],
    ['github.com/julienschmidt/httprouter', e('httprouter', 'framework', 'backend', 'HTTP router')],
    ['github.com/99designs/gqlgen', e('gqlgen', 'framework', 'backend', 'GraphQL server')],
    [
      'github.com/grpc-ecosystem/grpc-gateway github.com/grpc-ecosystem/grpc-gateway/v*',
      e('gRPC-Gateway', 'framework', 'backend', 'REST gateway to gRPC services'),
    ],
    ['google.golang.org/grpc', e('gRPC', 'framework', 'backend', 'RPC transport')],
    ['gorm.io/gorm github.com/jinzhu/gorm', e('GORM', 'orm', 'data', 'ORM')],
    ['entgo.io/ent', e('ent', 'orm', 'data', 'Entity framework and schema migrations')],
    ['github.com/jmoiron/sqlx', e('sqlx', 'query-builder', 'data', 'SQL extensions to database/sql')],
    ['github.com/jackc/pgx github.com/jackc/pgx/v*', e('pgx', 'database-client', 'data', 'PostgreSQL driver')],
    ['github.com/lib/pq', e('pq', 'database-client', 'data', 'PostgreSQL driver')],
    ['github.com/go-sql-driver/mysql', e('Go MySQL driver', 'database-client', 'data', 'MySQL driver')],
    ['go.mongodb.org/mongo-driver go.mongodb.org/mongo-driver/v*', e('MongoDB Go driver', 'database-client', 'data', 'MongoDB client')],
    ['github.com/go-redis/redis github.com/go-redis/redis/v* github.com/redis/go-redis/v*', e('go-redis', 'database-client', 'data', 'Redis client')],
    ['github.com/elastic/go-elasticsearch/v*', e('Elasticsearch Go client', 'database-client', 'data', 'Search engine client')],
    [
      'github.com/opensearch-project/opensearch-go github.com/opensearch-project/opensearch-go/v*',
      e('OpenSearch Go client', 'database-client', 'data', 'Search engine client'),
    ],
    ['github.com/segmentio/kafka-go', e('kafka-go', 'messaging', 'backend', 'Kafka client')],
    [
      'github.com/confluentinc/confluent-kafka-go github.com/confluentinc/confluent-kafka-go/v*',
      e('confluent-kafka-go', 'messaging', 'backend', 'Kafka client'),
    ],
    ['github.com/Shopify/sarama github.com/IBM/sarama', e('Sarama', 'messaging', 'backend', 'Kafka client')],
    ['github.com/nats-io/nats.go', e('NATS Go client', 'messaging', 'backend', 'NATS client')],
    ['github.com/streadway/amqp github.com/rabbitmq/amqp091-go', e('Go AMQP client', 'messaging', 'backend', 'RabbitMQ client')],
    ['go.opentelemetry.io/otel go.opentelemetry.io/otel/sdk', e('OpenTelemetry', 'tracing', 'observability', 'Traces and metrics')],
    ['github.com/prometheus/client_golang', e('Prometheus Go client', 'metrics', 'observability', 'Prometheus metrics')],
    ['go.uber.org/zap', e('zap', 'logging', 'observability', 'Structured logging')],
    ['github.com/sirupsen/logrus', e('logrus', 'logging', 'observability', 'Structured logging')],
    ['github.com/rs/zerolog', e('zerolog', 'logging', 'observability', 'Structured logging')],
  ],
  python: [
    ['django', e('Django', 'framework', 'backend', 'Web framework and ORM')],
    ['djangorestframework', e('Django REST framework', 'framework', 'backend', 'REST APIs on Django')],
    ['fastapi', e('FastAPI', 'framework', 'backend', 'HTTP API framework')],
    ['flask', e('Flask', 'framework', 'backend', 'HTTP web framework')],
    ['aiohttp', e('aiohttp', 'framework', 'backend', 'Asynchronous HTTP server and client')],
    ['tornado', e('Tornado', 'framework', 'backend', 'Asynchronous web framework')],
    ['sanic', e('Sanic', 'framework', 'backend', 'Asynchronous web framework')],
    ['grpcio', e('gRPC', 'framework', 'backend', 'RPC transport')],
    ['celery', e('Celery', 'messaging', 'backend', 'Distributed task queue')],
    ['dramatiq', e('Dramatiq', 'messaging', 'backend', 'Background task processing')],
    ['rq', e('RQ', 'messaging', 'backend', 'Redis-backed job queue')],
    ['sqlmodel', e('SQLModel', 'orm', 'data', 'ORM on SQLAlchemy and Pydantic')],
    ['sqlalchemy', e('SQLAlchemy', 'orm', 'data', 'ORM and SQL toolkit')],
    ['alembic', e('Alembic', 'orm', 'data', 'Schema migrations')],
    ['tortoise-orm', e('Tortoise ORM', 'orm', 'data', 'ORM')],
    ['peewee', e('peewee', 'orm', 'data', 'ORM')],
    ['psycopg psycopg2 psycopg2-binary', e('psycopg', 'database-client', 'data', 'PostgreSQL driver')],
    ['asyncpg', e('asyncpg', 'database-client', 'data', 'PostgreSQL driver')],
    ['mysqlclient pymysql', e('Python MySQL driver', 'database-client', 'data', 'MySQL driver')],
    ['pymongo motor', e('PyMongo', 'database-client', 'data', 'MongoDB client')],
    ['redis', e('redis-py', 'database-client', 'data', 'Redis client')],
    ['pika', e('Pika', 'messaging', 'backend', 'RabbitMQ client')],
    ['kafka-python confluent-kafka aiokafka', e('Python Kafka client', 'messaging', 'backend', 'Kafka client')],
    ['pydantic', e('Pydantic', 'validation', 'backend', 'Data validation')],
    ['gunicorn', e('Gunicorn', 'runtime', 'backend', 'WSGI application server')],
    ['uvicorn', e('Uvicorn', 'runtime', 'backend', 'ASGI application server')],
    ['opentelemetry-sdk opentelemetry-api', e('OpenTelemetry', 'tracing', 'observability', 'Traces and metrics')],
    ['prometheus-client', e('Prometheus Python client', 'metrics', 'observability', 'Prometheus metrics')],
    ['sentry-sdk', e('Sentry Python SDK', 'errors', 'observability', 'Error tracking')],
  ],
  maven: [
    [`${SPRING}-web ${SPRING}-webmvc`, e('Spring Web MVC', 'framework', 'backend', 'HTTP web framework')],
    [`${SPRING}-webflux`, e('Spring WebFlux', 'framework', 'backend', 'Reactive HTTP web framework')],
    [`${SPRING}-data-jpa`, e('Spring Data JPA', 'orm', 'data', 'Repositories over JPA')],
    [`${SPRING}-data-mongodb ${SPRING}-data-mongodb-reactive`, e('Spring Data MongoDB', 'orm', 'data', 'MongoDB repositories')],
    [`${SPRING}-data-redis ${SPRING}-data-redis-reactive`, e('Spring Data Redis', 'database-client', 'data', 'Redis client')],
    [`${SPRING}-data-r2dbc`, e('Spring Data R2DBC', 'orm', 'data', 'Reactive relational repositories')],
    [`${SPRING}-jdbc`, e('Spring JDBC', 'query-builder', 'data', 'SQL through JdbcTemplate')],
    [`${SPRING}-amqp`, e('Spring AMQP', 'messaging', 'backend', 'RabbitMQ messaging')],
    [`${SPRING}-security ${SPRING}-oauth2-*`, e('Spring Security', 'security', 'backend', 'Authentication and authorisation')],
    [`${SPRING}-actuator`, e('Spring Boot Actuator', 'metrics', 'observability', 'Health, metrics and management endpoints')],
    [`${SPRING}-thymeleaf`, e('Thymeleaf', 'framework', 'frontend', 'Server-side HTML templates')],
    [`${SPRING}-graphql`, e('Spring for GraphQL', 'framework', 'backend', 'GraphQL server')],
    [`${SPRING}*`, e('Spring Boot', 'framework', 'backend', 'Application framework')],
    ['org.springframework.kafka:spring-kafka', e('Spring for Apache Kafka', 'messaging', 'backend', 'Kafka messaging')],
    ['org.springframework.cloud:spring-cloud-starter-gateway*', e('Spring Cloud Gateway', 'framework', 'backend', 'API gateway')],
    ['org.springframework.cloud:spring-cloud-config-server', e('Spring Cloud Config Server', 'framework', 'backend', 'Configuration server')],
    ['org.springframework.cloud:spring-cloud-starter-netflix-eureka-server', e('Eureka server', 'framework', 'backend', 'Service registry')],
    ['org.springframework.ai:spring-ai-*', e('Spring AI', 'framework', 'backend', 'Language-model integration')],
    ['de.codecentric:spring-boot-admin-starter-server', e('Spring Boot Admin', 'metrics', 'observability', 'Monitoring console for Spring Boot applications')],
    ['io.quarkus:quarkus-hibernate-orm*', e('Hibernate ORM', 'orm', 'data', 'ORM')],
    ['io.quarkus:quarkus-*', e('Quarkus', 'framework', 'backend', 'Application framework')],
    ['io.micronaut:micronaut-*', e('Micronaut', 'framework', 'backend', 'Application framework')],
    ['io.ktor:ktor-server-*', e('Ktor', 'framework', 'backend', 'HTTP server framework')],
    ['io.javalin:javalin', e('Javalin', 'framework', 'backend', 'HTTP web framework')],
    ['io.vertx:vertx-web', e('Vert.x Web', 'framework', 'backend', 'HTTP web framework')],
    ['io.grpc:grpc-*', e('gRPC', 'framework', 'backend', 'RPC transport')],
    ['org.hibernate:hibernate-core org.hibernate.orm:hibernate-core', e('Hibernate ORM', 'orm', 'data', 'ORM')],
    ['org.mybatis:mybatis org.mybatis.spring.boot:mybatis-spring-boot-starter', e('MyBatis', 'orm', 'data', 'SQL mapper')],
    ['org.jetbrains.exposed:exposed-*', e('Exposed', 'orm', 'data', 'Kotlin SQL framework')],
    ['com.mysql:mysql-connector-j mysql:mysql-connector-java', e('MySQL Connector/J', 'database-client', 'data', 'MySQL JDBC driver')],
    ['org.mariadb.jdbc:mariadb-java-client', e('MariaDB Connector/J', 'database-client', 'data', 'MariaDB JDBC driver')],
    ['org.postgresql:postgresql org.postgresql:r2dbc-postgresql', e('PostgreSQL JDBC driver', 'database-client', 'data', 'PostgreSQL driver')],
    ['com.h2database:h2 io.r2dbc:r2dbc-h2', e('H2', 'database-client', 'data', 'Embedded SQL database')],
    ['org.hsqldb:hsqldb', e('HSQLDB', 'database-client', 'data', 'Embedded SQL database')],
    [
      'org.mongodb:mongodb-driver-sync org.mongodb:mongodb-driver-reactivestreams org.mongodb:mongo-java-driver',
      e('MongoDB Java driver', 'database-client', 'data', 'MongoDB client'),
    ],
    ['redis.clients:jedis io.lettuce:lettuce-core', e('Java Redis client', 'database-client', 'data', 'Redis client')],
    ['software.amazon.awssdk:dynamodb software.amazon.awssdk:dynamodb-enhanced', e('AWS SDK for Java: DynamoDB', 'database-client', 'data', 'DynamoDB client')],
    ['org.apache.kafka:kafka-clients', e('Kafka Java client', 'messaging', 'backend', 'Kafka client')],
    ['com.rabbitmq:amqp-client', e('RabbitMQ Java client', 'messaging', 'backend', 'RabbitMQ client')],
    ['io.opentelemetry:opentelemetry-* io.opentelemetry.instrumentation:opentelemetry-*', e('OpenTelemetry', 'tracing', 'observability', 'Traces and metrics')],
    ['io.micrometer:micrometer-registry-*', e('Micrometer', 'metrics', 'observability', 'Application metrics')],
  ],
  nuget: [
    [
      'Microsoft.EntityFrameworkCore Microsoft.EntityFrameworkCore.* Npgsql.EntityFrameworkCore.PostgreSQL Pomelo.EntityFrameworkCore.MySql',
      e('Entity Framework Core', 'orm', 'data', 'ORM and schema migrations'),
    ],
    ['Dapper', e('Dapper', 'query-builder', 'data', 'SQL object mapper')],
    ['Npgsql', e('Npgsql', 'database-client', 'data', 'PostgreSQL driver')],
    ['MongoDB.Driver', e('MongoDB .NET driver', 'database-client', 'data', 'MongoDB client')],
    ['StackExchange.Redis Microsoft.Extensions.Caching.StackExchangeRedis', e('StackExchange.Redis', 'database-client', 'data', 'Redis client')],
    ['Grpc.AspNetCore Grpc.Net.Client Grpc.Core', e('gRPC', 'framework', 'backend', 'RPC transport')],
    ['MediatR', e('MediatR', 'framework', 'backend', 'In-process request and notification dispatch')],
    ['MassTransit MassTransit.*', e('MassTransit', 'messaging', 'backend', 'Message bus')],
    ['Confluent.Kafka', e('Confluent.Kafka', 'messaging', 'backend', 'Kafka client')],
    ['RabbitMQ.Client', e('RabbitMQ .NET client', 'messaging', 'backend', 'RabbitMQ client')],
    ['FluentValidation FluentValidation.*', e('FluentValidation', 'validation', 'backend', 'Validation rules')],
    ['Serilog Serilog.*', e('Serilog', 'logging', 'observability', 'Structured logging')],
    ['OpenTelemetry OpenTelemetry.*', e('OpenTelemetry', 'tracing', 'observability', 'Traces and metrics')],
  ],
  composer: [
    ['laravel/framework', e('Laravel', 'framework', 'backend', 'Web framework and ORM (Eloquent)')],
    ['laravel/lumen-framework', e('Lumen', 'framework', 'backend', 'HTTP micro-framework')],
    ['symfony/symfony symfony/framework-bundle', e('Symfony', 'framework', 'backend', 'Web framework')],
    ['slim/slim', e('Slim', 'framework', 'backend', 'HTTP micro-framework')],
    ['api-platform/core', e('API Platform', 'framework', 'backend', 'REST and GraphQL APIs')],
    ['doctrine/orm', e('Doctrine ORM', 'orm', 'data', 'ORM')],
    ['predis/predis', e('Predis', 'database-client', 'data', 'Redis client')],
    ['php-amqplib/php-amqplib', e('php-amqplib', 'messaging', 'backend', 'RabbitMQ client')],
    ['tymon/jwt-auth', e('jwt-auth', 'security', 'backend', 'JSON Web Token authentication')],
    ['laravel/sanctum', e('Laravel Sanctum', 'security', 'backend', 'API token authentication')],
    ['laravel/passport', e('Laravel Passport', 'security', 'backend', 'OAuth2 server')],
    ['monolog/monolog', e('Monolog', 'logging', 'observability', 'Logging')],
  ],
  rubygems: [
    ['rails', e('Ruby on Rails', 'framework', 'backend', 'Web framework and ORM (Active Record)')],
    ['sinatra', e('Sinatra', 'framework', 'backend', 'HTTP web framework')],
    ['grape', e('Grape', 'framework', 'backend', 'REST API framework')],
    ['graphql', e('GraphQL Ruby', 'framework', 'backend', 'GraphQL server')],
    ['sidekiq', e('Sidekiq', 'messaging', 'backend', 'Redis-backed background jobs')],
    ['resque', e('Resque', 'messaging', 'backend', 'Redis-backed background jobs')],
    ['sequel', e('Sequel', 'orm', 'data', 'Database toolkit and ORM')],
    ['pg', e('Ruby pg', 'database-client', 'data', 'PostgreSQL driver')],
    ['mysql2', e('Ruby mysql2', 'database-client', 'data', 'MySQL driver')],
    ['redis', e('redis-rb', 'database-client', 'data', 'Redis client')],
    ['bunny', e('Bunny', 'messaging', 'backend', 'RabbitMQ client')],
    ['devise', e('Devise', 'security', 'backend', 'Authentication')],
    ['puma', e('Puma', 'runtime', 'backend', 'Application server')],
  ],
};

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * The catalogued technologies a build file's dependency is: every entry that names it, so that a
 * Spring Boot starter is Spring Boot and what it starts (Spring Web MVC), a Quarkus extension
 * Quarkus and its library.
 */
export function buildEntries(dep: BuildDep): CatalogueEntry[] {
  return BUILD_PACKAGES[dep.ecosystem].filter(([names]) => names.split(' ').some((p) => matches(p, dep.name))).map(([, entry]) => entry);
}

/** Technologies a build file states outside its dependency list (a parent pom, a Gradle plugin, an SDK). */
export const PLATFORMS: Record<string, CatalogueEntry> = {
  'spring-boot': e('Spring Boot', 'framework', 'backend', 'Application framework'),
  quarkus: e('Quarkus', 'framework', 'backend', 'Application framework'),
  micronaut: e('Micronaut', 'framework', 'backend', 'Application framework'),
  aspnetcore: e('ASP.NET Core', 'framework', 'backend', 'Web framework'),
  dotnet: e('.NET', 'runtime', 'backend', 'Runtime and class libraries'),
};

/** A programming language as a Technology stack entry. */
export function languageEntry(name: string): CatalogueEntry {
  return e(name, 'language', 'backend', 'Programming language');
}
