/**
 * Packages archdoc recognises in manifests, with the Technology stack table they belong to.
 * One entry per line so additions are one-line diffs. Unknown packages are not listed: the
 * document's stack tables name what matters, not every transitive helper.
 */
import type { TechLayer } from '../../src/model/schema.js';

export interface CatalogueEntry {
  name: string;
  category: string;
  layer: TechLayer;
  purpose: string;
}

const e = (name: string, category: string, layer: TechLayer, purpose: string): CatalogueEntry => ({ name, category, layer, purpose });

export const PACKAGES: Record<string, CatalogueEntry> = {
  // Back-end frameworks
  express: e('Express', 'framework', 'backend', 'HTTP server framework'),
  fastify: e('Fastify', 'framework', 'backend', 'HTTP server framework'),
  koa: e('Koa', 'framework', 'backend', 'HTTP server framework'),
  hono: e('Hono', 'framework', 'backend', 'HTTP server framework'),
  '@hapi/hapi': e('hapi', 'framework', 'backend', 'HTTP server framework'),
  '@nestjs/core': e('NestJS', 'framework', 'backend', 'Application framework'),
  '@apollo/server': e('Apollo Server', 'framework', 'backend', 'GraphQL server'),
  'apollo-server': e('Apollo Server', 'framework', 'backend', 'GraphQL server'),
  'graphql-yoga': e('GraphQL Yoga', 'framework', 'backend', 'GraphQL server'),
  '@trpc/server': e('tRPC', 'framework', 'backend', 'Typed RPC API'),
  '@grpc/grpc-js': e('gRPC', 'framework', 'backend', 'RPC transport'),
  'socket.io': e('Socket.IO', 'framework', 'backend', 'Real-time messaging over WebSockets'),
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
];
