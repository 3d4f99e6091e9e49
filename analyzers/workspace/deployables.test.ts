import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component, Model } from '../../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { imageName } from './deployables.js';
import { languageOfFile } from '../../src/data/languages.js';

const json = (v: unknown) => JSON.stringify(v, null, 2);

// One repository holding each shape of deployable unit, and the near misses beside them.
const files: Record<string, string> = {
  'package.json': json({ name: 'shop', private: true, workspaces: ['packages/*'] }),
  // Go service: Dockerfile EXPOSE, run by a Deployment behind a Service (image's last segment = folder name).
  'services/orders/main.go': 'package main\n\nfunc main() { serve() }\n',
  'services/orders/server.go': 'package main\n\nfunc serve() {}\n',
  'services/orders/Dockerfile':
    'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /orders\nFROM gcr.io/distroless/base\nCOPY --from=build /orders /orders\nEXPOSE 8080\nUSER 65532\nENTRYPOINT ["/orders"]\n',
  'services/orders/api/openapi.yaml':
    'openapi: 3.0.3\ninfo:\n  title: Orders\n  version: 1.0.0\npaths:\n  /orders:\n    get:\n      responses:\n        "200":\n          description: ok\n',
  // Go worker: Deployment with no Service and no port (image from a skaffold artifact's context).
  'services/dispatch/main.go': 'package main\n\nfunc main() { consume() }\n',
  'services/dispatch/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /dispatch\nUSER 1000\nCMD ["/dispatch"]\n',
  // Java service built by Jib from a multi-module Maven project: no Dockerfile; the skaffold
  // artifact's context is the repository and `jib.project` the module.
  'src/ledger/writer/pom.xml': '<project><artifactId>writer</artifactId></project>\n',
  'src/ledger/writer/src/main/java/anthos/samples/bank/writer/WriterApplication.java':
    'package anthos.samples.bank.writer;\n\npublic class WriterApplication {}\n',
  'src/ledger/writer/skaffold.yaml':
    'apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n  - image: ledgerwriter\n    context: ../../../\n    jib:\n      project: src/ledger/writer\n      type: maven\n',
  // An ESM package whose code imports './x.js' and mentions aws-cdk only in words: no handler, no function.
  'packages/notes/package.json': json({ name: 'notes', version: '1.0.0', type: 'module' }),
  'packages/notes/src/index.ts':
    "import { render } from './render.js';\n// Explains how aws-cdk stacks are documented.\nexport const describe = () => render('aws-cdk-lib constructs');\n",
  'packages/notes/src/render.ts': 'export const render = (s: string) => s;\n',
  // Python service: compose `build:` context with published ports; no EXPOSE.
  'billing/app.py': 'def create_app():\n    return None\n',
  'billing/wsgi.py': 'from app import create_app\n',
  'billing/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nUSER 1000\nCMD ["gunicorn", "wsgi:app"]\n',
  // Static front end: nginx image + index.html.
  'web/static/index.html': '<!doctype html><title>Shop</title>\n',
  'web/static/app.js': 'angular.module("shop", []);\n',
  'web/Dockerfile': 'FROM nginx:1.27\nCOPY static /usr/share/nginx/html\nEXPOSE 80\n',
  // A database image seeded from the repository: a store, and an infrastructure component.
  'db/Dockerfile': 'FROM postgres:16\nCOPY seed.js /docker-entrypoint-initdb.d/\n',
  'db/seed.js': 'print("seed");\n',
  // Image that only nearly matches a folder: `acme/payments-api` is not `payments`.
  'payments/Main.java': 'class Main { public static void main(String[] a) {} }\n',
  'payments/Dockerfile': 'FROM eclipse-temurin:21\nCOPY . .\nUSER 1000\nCMD ["java", "Main"]\n',
  'docker-compose.yml':
    'services:\n  billing:\n    build: ./billing\n    ports:\n      - "8000:5000"\n  db:\n    build: ./db\n    image: acme/db\n  load:\n    build: ./load-gen\n  ledger:\n    build:\n      context: .\n      dockerfile: ./ledger/Dockerfile\n    ports:\n      - "7000:7000"\n  browser-tests:\n    build:\n      context: .\n      dockerfile: packages/dashboard/Dockerfile.playwright\n    ports:\n      - "9323:9323"\n',
  // A test runner's image beside a front end: it deploys nothing of the system.
  'packages/dashboard/Dockerfile.playwright': 'FROM mcr.microsoft.com/playwright:v1.49.0-noble\nCOPY . .\nCMD ["npx", "playwright", "test"]\n',
  // Python service built from the root context with its folder's Dockerfile: the compose service runs that folder.
  'ledger/main.py': 'def run():\n    return None\n',
  'ledger/Dockerfile': 'FROM python:3.12-slim\nCOPY ledger .\nUSER 1000\nCMD ["python", "main.py"]\n',
  // A load generator built by compose: benchmark code, set aside.
  'load-gen/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["locust"]\n',
  'load-gen/locustfile.py': 'from locust import HttpUser\n',
  'skaffold.yaml':
    'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: registry.example.com/shop/dispatcher\n      context: services/dispatch\n',
  'k8s/orders.yaml': [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    metadata:\n      labels:\n        app: orders\n    spec:\n      containers:\n        - name: orders\n          image: registry.example.com/shop/orders:1.4.0\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\nspec:\n  selector:\n    app: orders\n  ports:\n    - port: 80\n      targetPort: 8080\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dispatcher\nspec:\n  template:\n    metadata:\n      labels:\n        app: dispatcher\n    spec:\n      containers:\n        - name: dispatcher\n          image: registry.example.com/shop/dispatcher:1.4.0\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\nspec:\n  template:\n    metadata:\n      labels:\n        app: payments\n    spec:\n      containers:\n        - name: payments\n          image: acme/payments-api:2\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: payments\nspec:\n  selector:\n    app: payments\n  ports:\n    - port: 9090\n',
  ].join('---\n'),
  // Serverless Framework service: a function whatever its code says.
  'packages/notify/package.json': json({ name: '@shop/notify', version: '1.0.0', dependencies: { '@aws-sdk/client-ses': '^3.0.0' } }),
  'packages/notify/serverless.yml':
    'service: notify\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  send:\n    handler: src/send.main\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:123456789012:emails\n',
  'packages/notify/src/send.ts': 'export async function main(event: unknown) {\n  return event;\n}\n',
  // SST: handlers referenced by path from infrastructure code; the core package is not wired.
  'sst.config.ts':
    '/// <reference path="./.sst/platform/config.d.ts" />\nexport default $config({\n  app() {\n    return { name: "shop", home: "aws" };\n  },\n  async run() {\n    const api = new sst.aws.ApiGatewayV2("Api");\n    api.route("GET /notes", "packages/functions/src/list.main");\n  },\n});\n',
  'packages/functions/package.json': json({ name: '@shop/functions', version: '1.0.0', devDependencies: { '@types/aws-lambda': '^8.10.0' } }),
  'packages/functions/src/list.ts': 'export async function main() {\n  return { statusCode: 200 };\n}\n',
  'packages/core/package.json': json({ name: '@shop/core', version: '1.0.0', devDependencies: { '@types/aws-lambda': '^8.10.0' } }),
  'packages/core/src/handler.ts': 'export const handler = (fn: () => unknown) => async () => fn();\n',
  // A k8s-deployed TypeScript package with no listener and no Service: a worker.
  'packages/sweeper/package.json': json({ name: 'sweeper', version: '1.0.0', description: 'sweeper' }),
  'packages/sweeper/src/main.ts': 'setInterval(() => sweep(), 60_000);\n',
  'packages/sweeper/Dockerfile': 'FROM node:20\nCOPY . .\nUSER node\nCMD ["node", "dist/main.js"]\n',
  'k8s/sweeper.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: sweeper\nspec:\n  template:\n    metadata:\n      labels:\n        app: sweeper\n    spec:\n      containers:\n        - name: sweeper\n          image: acme/sweeper:1\n',
  // Front-end rules: vite in a library's devDependencies is a build tool; with index.html a front end.
  'packages/sdk/package.json': json({ name: '@shop/sdk', version: '1.0.0', description: 'Description', devDependencies: { vite: '^5.0.0', react: '^18.0.0' } }),
  'packages/sdk/src/index.ts': 'export const client = () => fetch("/api");\n',
  'packages/dashboard/package.json': json({
    name: 'dashboard',
    version: '1.0.0',
    description: 'Operations dashboard',
    dependencies: { react: '^18.0.0', 'react-dom': '^18.0.0' },
    devDependencies: { vite: '^5.0.0' },
  }),
  'packages/dashboard/index.html': '<!doctype html><div id="root"></div><script type="module" src="/src/main.tsx"></script>\n',
  'packages/dashboard/src/main.tsx': 'createRoot(document.getElementById("root")!).render(<App />);\n',
  'packages/site/package.json': json({ name: 'site', version: '1.0.0', dependencies: { next: '^14.0.0', react: '^18.0.0' } }),
  'packages/site/app/page.tsx': 'export default function Page() {\n  return <main />;\n}\n',
  'packages/mdx-utils/package.json': json({ name: 'mdx-utils', version: '1.0.0', dependencies: { next: '^14.0.0' } }),
  'packages/mdx-utils/src/index.ts': 'export const slug = (s: string) => s.toLowerCase();\n',
  // CDK apps: with a Lambda construct a function; without, infrastructure (not a front end, not a CLI).
  'packages/cdk-api/package.json': json({ name: 'cdk-api', version: '1.0.0', bin: { 'cdk-api': 'bin/app.js' }, dependencies: { 'aws-cdk-lib': '^2.0.0' } }),
  'packages/cdk-api/cdk.json': json({ app: 'npx ts-node bin/app.ts' }),
  'packages/cdk-api/lib/stack.ts':
    "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nexport class Stack {\n  constructor() {\n    new NodejsFunction(this, 'Create', { entry: 'src/create.ts' });\n  }\n}\n",
  'packages/cdk-net/package.json': json({
    name: 'cdk-net',
    version: '1.0.0',
    bin: { 'cdk-net': 'bin/app.js' },
    dependencies: { 'aws-cdk-lib': '^2.0.0', react: '^18.0.0' },
  }),
  'packages/cdk-net/cdk.json': json({ app: 'npx ts-node bin/app.ts' }),
  'packages/cdk-net/lib/stack.ts': "import { Vpc } from 'aws-cdk-lib/aws-ec2';\nexport class Net {\n  constructor() {\n    new Vpc(this, 'Vpc');\n  }\n}\n",
  // A Lambda handler that nothing in the repository wires, but its build zips it for Lambda.
  'packages/mailer/package.json': json({
    name: 'mailer',
    version: '1.0.0',
    scripts: { build: 'esbuild src/index.ts --bundle --platform=node --outfile=dist/index.js', package: 'cd dist && zip -r ../mailer.zip .' },
    devDependencies: { '@types/aws-lambda': '^8.10.0' },
  }),
  'packages/mailer/src/index.ts': 'export const handler = async () => ({ statusCode: 202 });\n',
  // Inside a package: a Dockerfile folder with the package's own language is the package's; Go code is a component of its own.
  'packages/sweeper/job/Dockerfile': 'FROM node:20\nCOPY migrate.ts .\nCMD ["npx", "tsx", "migrate.ts"]\n',
  'packages/sweeper/job/migrate.ts': 'await migrate();\n',
  'packages/dashboard/api/main.go': 'package main\n\nfunc main() {}\n',
  'packages/dashboard/api/Dockerfile': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /api\nUSER 1000\nEXPOSE 9000\nCMD ["/api"]\n',
  // A Go program behind a Service that only consumes RabbitMQ (a server-named queue bound to an exchange): a worker.
  'services/listener/go.mod': 'module listener\n\ngo 1.21\n\nrequire github.com/rabbitmq/amqp091-go v1.3.4 // indirect\n',
  'services/listener/main.go':
    'package main\n\nimport (\n\t"listener/event"\n\n\tamqp "github.com/rabbitmq/amqp091-go"\n)\n\nfunc main() {\n\tconn, _ := amqp.Dial("amqp://rabbitmq")\n\tevent.Listen(conn, []string{"log.INFO", "log.ERROR"})\n}\n',
  'services/listener/event/consumer.go':
    'package event\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc Listen(conn *amqp.Connection, topics []string) error {\n\tch, _ := conn.Channel()\n\tq, _ := ch.QueueDeclare("", false, false, true, false, nil)\n\tfor _, s := range topics {\n\t\tch.QueueBind(q.Name, s, "logs_topic", false, nil)\n\t}\n\tmsgs, err := ch.Consume(q.Name, "", true, false, false, false, nil)\n\tfor range msgs {\n\t}\n\treturn err\n}\n',
  'services/listener/Dockerfile': 'FROM alpine:3.20\nCOPY listenerApp /app\nUSER 1000\nCMD ["/app/listenerApp"]\n',
  'k8s/listener.yaml': [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: listener\nspec:\n  template:\n    metadata:\n      labels:\n        app: listener\n    spec:\n      containers:\n        - name: listener\n          image: registry.example.com/shop/listener:1.0.0\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: listener\nspec:\n  selector:\n    app: listener\n  ports:\n    - port: 80\n',
  ].join('---\n'),
  // The root of a monorepo builds one of its packages: not one more component.
  Dockerfile: 'FROM node:20\nCOPY . .\nUSER node\nCMD ["node", "packages/sweeper/dist/main.js"]\n',
  // Listeners that consume a queue: with only a health route a worker, with an API a service.
  'packages/audit/package.json': json({ name: 'audit', version: '1.0.0', dependencies: { express: '^4.19.2', amqplib: '^0.10.4' } }),
  'packages/audit/src/main.ts':
    "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\nawait channel.consume('audit', onMessage);\n",
  'packages/orders-api/package.json': json({ name: 'orders-api', version: '1.0.0', dependencies: { express: '^4.19.2', amqplib: '^0.10.4' } }),
  'packages/orders-api/src/main.ts':
    "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.get('/invoices', (_req, res) => res.json([]));\napp.listen(3000);\nawait channel.consume('order-events', onMessage);\n",
  // Cloudflare Worker.
  'packages/edge/package.json': json({ name: 'edge', version: '1.0.0', devDependencies: { wrangler: '^3.0.0' } }),
  'packages/edge/wrangler.toml': 'name = "edge"\nmain = "src/index.ts"\ncompatibility_date = "2024-01-01"\n',
  'packages/edge/src/index.ts': 'export default { fetch: () => new Response("ok") };\n',
};

let model: Model;
const comp = (path: string): Component | undefined => model.components.find((c) => c.path === path);

beforeAll(async () => {
  model = await analyseRepo(tempRepo('deployables', files));
}, 60_000);
afterAll(removeTemps);

describe('deployables: folders deployed from the repository are components, whatever their language', () => {
  it('a Go folder with a Dockerfile, run by a Deployment behind a Service, is a Go service with its ports', () => {
    const c = comp('services/orders');
    expect(c).toMatchObject({ id: 'component:services/orders', name: 'orders', kind: 'service', language: 'Go' });
    expect(c?.details?.ports).toEqual(['8080']);
    expect(c?.details?.deployedBy).toEqual(['Deployment orders', 'services/orders/Dockerfile']);
    expect(c?.kindReason).toBe('deployed with port 8080');
  });
  it('a Go program behind a Service that consumes a queue and starts no server is a worker, whatever port its Service declares', () => {
    const c = comp('services/listener');
    expect(c).toMatchObject({ kind: 'worker', language: 'Go' });
    expect(c?.kindReason).toMatch(/^consumes a queue and starts no server \(the port its deployment declares, 80,/);
    expect(c?.evidence).toContainEqual({ file: 'services/listener/event/consumer.go', line: 11 });
    expect(model.queues.find((q) => q.name === 'logs_topic')?.consumers).toEqual(['component:services/listener']);
  });
  it('the Deployment and its container belong to the folder that builds its image (last segment = folder name)', () => {
    expect(model.deployment.workloads.find((w) => w.name === 'orders')?.component).toBe('component:services/orders');
  });
  it('a spec in the folder gives the component its endpoints', () => {
    const e = model.endpoints.find((x) => x.path === '/orders' && x.evidence.some((v) => v.file === 'services/orders/api/openapi.yaml'));
    expect(e?.component).toBe('component:services/orders');
  });
  it('a skaffold artifact maps its image to its context; no port and no Service makes a worker', () => {
    const c = comp('services/dispatch');
    expect(c).toMatchObject({ kind: 'worker', language: 'Go', kindReason: 'run by Deployment dispatcher with no port, Service or listener found' });
    expect(c?.details?.deployedBy).toContain('skaffold artifact registry.example.com/shop/dispatcher');
  });
  it('an import specifier ending in .js is not a handler reference, and naming aws-cdk in words is not CDK code', () => {
    expect(comp('packages/notes')).toMatchObject({ kind: 'library' });
  });
  it('compose builds of a seeded database image or of set-aside code are marked, so no headline counts them', () => {
    const unitOf = (name: string) => model.deployment.workloads.find((w) => w.kind === 'compose service' && w.name === name)?.details?.unit;
    expect(unitOf('db')).toBe('database');
    expect(unitOf('load')).toBe('set-aside');
    expect(unitOf('billing')).toBeUndefined();
    expect(comp('load-gen')).toBeUndefined();
  });
  it('a Jib artifact builds the module its jib.project names, within the context (a Java component, not the root)', () => {
    const c = comp('src/ledger/writer');
    expect(c).toMatchObject({ language: 'Java' });
    expect(c?.details?.deployedBy).toContain('skaffold artifact ledgerwriter');
  });
  it('a compose build context with published ports is a service; the listening side is the port', () => {
    expect(comp('billing')).toMatchObject({ kind: 'service', language: 'Python', kindReason: 'deployed with port 5000' });
    expect(comp('billing')?.details?.ports).toEqual(['5000']);
  });
  it('a compose build from the root context with dockerfile: ledger/Dockerfile deploys ledger, with its published port', () => {
    expect(comp('ledger')).toMatchObject({ kind: 'service', language: 'Python', kindReason: 'deployed with port 7000' });
    expect(model.deployment.workloads.find((w) => w.name === 'ledger')?.component).toBe('component:ledger');
  });
  it("a test runner's Dockerfile (Dockerfile.playwright) and the compose service that builds it deploy nothing", () => {
    expect(comp('packages/dashboard')?.details?.ports).toBeUndefined();
    expect(comp('packages/dashboard')?.details?.deployedBy ?? []).not.toContain('packages/dashboard/Dockerfile.playwright');
    expect(model.deployment.workloads.find((w) => w.name === 'browser-tests')?.details?.unit).toBe('set-aside');
  });
  it('a web-server image serving an index.html is a front end', () => {
    expect(comp('web')).toMatchObject({ kind: 'frontend', language: 'JavaScript', kindReason: 'static files served by a web-server image' });
  });
  it('a database image built from the repository is an infrastructure component, no unit of the system', () => {
    expect(comp('db')).toMatchObject({ kind: 'infrastructure', kindReason: 'builds a PostgreSQL image from the repository (a data store with its own files)' });
    expect(model.deployment.workloads.find((w) => w.name === 'db')?.details?.unit).toBe('database');
  });
  it('an image that only nearly matches a folder name is not linked to it', () => {
    const c = comp('payments');
    expect(c).toMatchObject({ kind: 'worker', language: 'Java', kindReason: 'built by payments/Dockerfile with no port, Service or listener found' });
    expect(c?.details?.ports).toBeUndefined();
    expect(model.deployment.workloads.find((w) => w.name === 'payments')?.component).toBeUndefined();
  });
});

describe('deployables: the kind from how a component is deployed and run', () => {
  it('a package with a serverless.yml is a function', () => {
    expect(comp('packages/notify')).toMatchObject({ kind: 'function', kindReason: 'deployed as a Serverless Framework function notify-send' });
  });
  it('a package whose handler infrastructure code names by path is a function; an unwired handler is not', () => {
    // The pulumi analyzer reads the SST app: the route's Lambda is defined in SST code.
    expect(comp('packages/functions')).toMatchObject({ kind: 'function', kindReason: 'deployed as a Lambda function defined in SST code' });
    expect(comp('packages/functions')?.evidence).toContainEqual({ file: 'sst.config.ts', line: 8 });
    expect(comp('packages/core')?.kind).toBe('library');
  });
  it('a package run by a Deployment with no port or listener is a worker', () => {
    expect(comp('packages/sweeper')).toMatchObject({ kind: 'worker', language: 'TypeScript' });
  });
  it('vite in a library is a build tool; with an index.html it is a front end', () => {
    expect(comp('packages/sdk')?.kind).toBe('library');
    expect(comp('packages/dashboard')).toMatchObject({ kind: 'frontend', kindReason: 'depends on vite and has index.html' });
  });
  it('Next.js is a front end with its pages or app folder, not without', () => {
    expect(comp('packages/site')).toMatchObject({ kind: 'frontend', kindReason: 'depends on next and has app' });
    expect(comp('packages/mdx-utils')?.kind).toBe('library');
  });
  it('a CDK app is a function when it defines Lambda functions, infrastructure otherwise', () => {
    expect(comp('packages/cdk-api')).toMatchObject({ kind: 'function', kindReason: 'a CDK app that defines Lambda functions' });
    expect(comp('packages/cdk-net')).toMatchObject({ kind: 'infrastructure', kindReason: 'a CDK app (cdk.json) that defines no Lambda function' });
  });
  it('a wrangler configuration with `main` is a Cloudflare Worker function', () => {
    expect(comp('packages/edge')).toMatchObject({ kind: 'function', kindReason: 'a Cloudflare Worker (wrangler `main`)' });
    expect(comp('packages/edge')?.evidence).toContainEqual({ file: 'packages/edge/wrangler.toml', line: 2 });
  });
  it('an exported Lambda handler that its build script zips is a function', () => {
    expect(comp('packages/mailer')).toMatchObject({ kind: 'function', kindReason: 'exports a serverless handler, packaged as a .zip by its `package` script' });
  });
  it('a package is not split by a Dockerfile folder in its own language; code in another language is a component', () => {
    expect(comp('packages/sweeper/job')).toBeUndefined();
    expect(comp('packages/dashboard/api')).toMatchObject({ kind: 'service', language: 'Go' });
  });
  it('the root of a monorepo with components is not one more component', () => {
    expect(comp('.')).toBeUndefined();
  });
  it('a listener that consumes a queue and serves only health checks is a worker; with an API it is a service', () => {
    expect(comp('packages/audit')).toMatchObject({ kind: 'worker', kindReason: 'consumes a queue; its HTTP server serves only health checks (/health)' });
    expect(comp('packages/audit')?.evidence).toContainEqual({ file: 'packages/audit/src/main.ts', line: 5 });
    expect(comp('packages/audit')?.details).toBeUndefined();
    expect(comp('packages/orders-api')).toMatchObject({ kind: 'service', kindReason: 'listens for connections' });
  });
  it('placeholder descriptions are not a responsibility', () => {
    expect(comp('packages/sdk')?.description).toBeUndefined();
    expect(comp('packages/sweeper')?.description).toBeUndefined();
    expect(comp('packages/dashboard')?.description).toBe('Operations dashboard');
  });
});

describe('deployables: helpers', () => {
  it('image names drop registry, templating, tag and digest', () => {
    expect(imageName('${REPO}/rs-cart:${TAG}')).toBe('rs-cart');
    expect(imageName('{{ .Values.image.repo }}/rs-web:{{ .Values.image.version }}')).toBe('rs-web');
    expect(imageName('localhost:5000/team/api@sha256:abc')).toBe('api');
    expect(imageName('nginx')).toBe('nginx');
  });
  it('languages by extension; declaration files and markup are not code', () => {
    expect(languageOfFile('a/b.go')).toBe('Go');
    expect(languageOfFile('a/b.d.ts')).toBeUndefined();
    expect(languageOfFile('a/index.html')).toBeUndefined();
    expect(languageOfFile('Program.cs')).toBe('C#');
  });
});

describe('deployables: infrastructure built from the repository', () => {
  it('a reverse proxy image with only its configuration is an infrastructure component, not a unit; a site of static files is not infrastructure', async () => {
    const root = tempRepo('proxy-infra', {
      'users/package.json': json({ name: 'users', dependencies: { express: '^4.19.0' } }),
      'users/index.js': "const express = require('express');\nconst app = express();\napp.listen(8001);\n",
      'proxy/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nEXPOSE 80\n',
      'proxy/nginx.conf': 'events {}\nhttp { server { listen 80; location /users { proxy_pass http://users:8001; } } }\n',
      'site/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n',
      'site/index.html': '<!doctype html><title>Shop</title>\n',
      'docker-compose.yml': 'services:\n  users:\n    build: ./users\n  proxy:\n    build: ./proxy\n    ports:\n      - "80:80"\n  site:\n    build: ./site\n',
    });
    const m = await analyseRepo(root);
    const kinds = Object.fromEntries(m.components.map((c) => [c.path, c.kind]));
    expect(kinds).toMatchObject({ proxy: 'infrastructure', users: 'service' });
    expect(kinds.site).not.toBe('infrastructure');
    expect(m.components.find((c) => c.path === 'proxy')!.kindReason).toBe(
      'builds a nginx image with its configuration (a web server or proxy, no code of its own)',
    );
    expect(m.decisions.find((d) => d.topic === 'architecture-style')!.decision).not.toMatch(/services/i);
    removeTemps();
  });

  it('components named after folders that share a name take as many folder names as tell them apart; a declared name is kept', async () => {
    const svc = (port: number) => `const http = require('http');\nhttp.createServer((q, r) => r.end('ok')).listen(${port});\n`;
    const m = await analyseRepo(
      tempRepo('shared-names', {
        'services/claims/app/index.js': svc(8001),
        'services/claims/app/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
        'services/fraud/app/index.js': svc(8002),
        'services/fraud/app/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
        'gateway/app/package.json': json({ name: 'app', dependencies: { express: '^4.19.0' } }),
        'gateway/app/index.js': "const express = require('express');\nexpress().listen(8003);\n",
        'gateway/app/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
      }),
    );
    const names = Object.fromEntries(m.components.filter((c) => c.path !== '.').map((c) => [c.path, c.name]));
    expect(names).toEqual({ 'services/claims/app': 'claims/app', 'services/fraud/app': 'fraud/app', 'gateway/app': 'app' });
    removeTemps();
  });
});
