/**
 * Headline rules for evidence that is not a manifest: CI deploy commands, Replit deployments,
 * Analytics Engine datasets, Redis with no entities, messaging technologies whose channels are
 * not read, and ports a Traefik label routes to. Each on a small repository in the shapes real
 * code has.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { decisionWords } from '../../src/render/view-decisions.js';
import { actionTarget, deployTarget } from '../ci/targets.js';
import { traefikPorts } from '../compose/index.js';

afterEach(removeTemps);

const decisions = (m: { decisions: { topic: string; decision: string }[] }) => Object.fromEntries(m.decisions.map((x) => [x.topic, x.decision]));

const koaApi = {
  'package.json': JSON.stringify({ name: 'notes-api', scripts: { start: 'node dist/server.js' }, dependencies: { koa: '^2.0.0', '@koa/router': '^12.0.0' } }),
  'src/server.ts':
    "import Koa from 'koa';\nimport Router from '@koa/router';\nconst app = new Koa();\nconst router = new Router();\nrouter.get('/notes', (ctx) => { ctx.body = []; });\napp.use(router.routes());\napp.listen(process.env.PORT || 3000);\n",
  Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["node", "dist/server.js"]\n',
  'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n',
};

describe('deployment platform from CI deploy commands', () => {
  it('reads the platform a command or action deploys to', () => {
    expect(deployTarget('heroku container:push web --app $HEROKU_APP')).toBe('heroku');
    expect(deployTarget('heroku container:login')).toBeUndefined();
    expect(deployTarget('git push https://heroku:$KEY@git.heroku.com/$APP.git HEAD:main')).toBe('heroku');
    expect(deployTarget('npx flyctl deploy --remote-only')).toBe('fly');
    expect(deployTarget('vercel --prod --token=$VERCEL_TOKEN')).toBe('vercel');
    expect(deployTarget('vercel build')).toBeUndefined();
    expect(deployTarget('pnpm wrangler deploy')).toBe('cloudflare-workers');
    expect(deployTarget('gcloud beta run deploy api --image gcr.io/x/api')).toBe('cloud-run');
    expect(deployTarget('gcloud app deploy app.yaml')).toBe('app-engine');
    expect(deployTarget('az webapp deploy --name shop --src-path app.zip')).toBe('azure-app-service');
    expect(deployTarget('railway up --service api')).toBe('railway');
    expect(deployTarget('curl -X POST "https://api.render.com/deploy/srv-x?key=$KEY"')).toBe('render');
    expect(deployTarget('helm upgrade --install api ./chart')).toBe('kubernetes');
    expect(deployTarget('aws ecs update-service --cluster c --service s --force-new-deployment')).toBe('ecs');
    expect(deployTarget('npx serverless deploy --stage prod')).toBe('lambda');
    expect(deployTarget('uv run fastapi deploy')).toBe('fastapi-cloud');
    expect(deployTarget('doctl apps create-deployment $APP_ID --wait --force-rebuild')).toBe('digitalocean-apps');
    expect(deployTarget('doctl apps list')).toBeUndefined();
    expect(actionTarget('digitalocean/app_action/deploy@v2', undefined)).toBe('digitalocean-apps');
    expect(actionTarget('actions/heroku@master', 'container:push web')).toBe('heroku');
    expect(actionTarget('actions/heroku@master', 'container:login')).toBeUndefined();
    expect(actionTarget('cloudflare/wrangler-action@v3', undefined)).toBe('cloudflare-workers');
    expect(actionTarget('cloudflare/wrangler-action@v3', 'pages deploy dist')).toBe('cloudflare-pages');
  });

  it('a Dockerfile and a local database compose, deployed by a push workflow with heroku container:push: Heroku, at the command line', async () => {
    const root = tempRepo('ci-heroku', {
      ...koaApi,
      '.github/workflows/ci.yml': [
        'name: CI',
        'on:',
        '  push:',
        '    branches: [master]',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: npm ci && npm test',
        '  deploy_to_heroku:',
        '    needs: build',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - name: Login',
        '        uses: actions/heroku@master',
        '        with:',
        '          args: container:login',
        '      - name: Push',
        '        uses: actions/heroku@master',
        '        with:',
        '          args: container:push web',
        '      - name: Release',
        '        run: |',
        '          echo releasing',
        '          heroku container:release web --app "$HEROKU_APP"',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    const job = m.deployment.pipelines[0]!.jobs.find((j) => j.name === 'deploy_to_heroku')!;
    expect(job.deploys?.map((d) => `${d.platform}@${d.evidence.line}`)).toEqual(['heroku@21', 'heroku@27']);
    const d = m.decisions.find((x) => x.topic === 'deployment-platform')!;
    expect(d.decision).toBe('Heroku');
    expect(d.evidence).toEqual([
      { file: '.github/workflows/ci.yml', line: 21 },
      { file: '.github/workflows/ci.yml', line: 27 },
    ]);
  });

  it('a pull-request-only preview deploy, a test job and a docs deploy do not name the platform', async () => {
    const root = tempRepo('ci-previews', {
      ...koaApi,
      '.github/workflows/preview.yml':
        'on: pull_request\njobs:\n  preview:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx vercel deploy --token=$T\n',
      '.github/workflows/main.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  e2e-test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx netlify deploy --dir docs/dist --prod\n',
    });
    const m = await analyseRepo(root);
    // Nothing deploys it: the image its Dockerfile builds is all there is.
    expect(decisions(m)['deployment-platform']).toBe('Docker');
  });

  it('a compose file that builds the app for local runs beside a doctl deploy: DigitalOcean App Platform', async () => {
    const root = tempRepo('ci-doctl', {
      ...koaApi,
      'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    ports:\n      - "3000:3000"\n',
      '.github/workflows/release.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: digitalocean/action-doctl@v2\n      - run: doctl apps create-deployment ${{ secrets.APP_ID }} --wait\n',
    });
    const d = (await analyseRepo(root)).decisions.find((x) => x.topic === 'deployment-platform')!;
    expect(d.decision).toBe('DigitalOcean App Platform');
    expect(d.evidence).toEqual([{ file: '.github/workflows/release.yml', line: 9 }]);
  });

  it('with nothing that deploys it, the one platform whose own variables the code reads (VERCEL_URL): Vercel, with the variables', async () => {
    const next = {
      'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '14.2.0', react: '18.3.0' } }),
      'app/page.tsx': 'export default function Page() { return null; }\n',
      'app/api/health/route.ts': 'export async function GET() { return Response.json({ ok: true }); }\n',
      'lib/url.ts':
        "// On Netlify we would read process.env.NETLIFY instead.\nexport const baseUrl = () =>\n  process.env.VERCEL_ENV === 'production' ? 'https://shop.example' : `https://${process.env.VERCEL_URL}`;\nexport const note = 'set FLY_APP_NAME when on Fly';\n",
    };
    const d = (await analyseRepo(tempRepo('env-vercel', next))).decisions.find((x) => x.topic === 'deployment-platform')!;
    expect(d.decision).toBe('Vercel');
    expect(d.basis).toMatchObject({ outcome: 'environment', environment: { name: 'Vercel', variables: ['VERCEL_ENV', 'VERCEL_URL'], files: 1 } });
    expect(d.evidence).toEqual([{ file: 'lib/url.ts', line: 3 }]);
    // A deploy the CI runs still names the platform.
    const ci = await analyseRepo(
      tempRepo('env-vs-ci', {
        ...next,
        '.github/workflows/deploy.yml':
          'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx netlify deploy --prod\n',
      }),
    );
    expect(ci.decisions.find((x) => x.topic === 'deployment-platform')!.decision).toBe('Netlify');
  });

  it("a Heroku data add-on's config variable destructured from process.env, beside a Dockerfile nothing runs: Heroku", async () => {
    const api = {
      'package.json': JSON.stringify({ name: 'forum', dependencies: { express: '4.19.0', sequelize: '6.37.0', mysql2: '3.9.0' } }),
      'src/index.ts': "import express from 'express';\nconst app = express();\napp.get('/api/posts', (_req, res) => res.json([]));\napp.listen(5000);\n",
      'src/db/config.js':
        'const {\n  DB_USER,\n  DB_PASS,\n  CLEARDB_DATABASE_URL\n} = process.env;\n\nmodule.exports = CLEARDB_DATABASE_URL ? { url: CLEARDB_DATABASE_URL } : { user: DB_USER, pass: DB_PASS };\n',
      Dockerfile: 'FROM node:20\nCOPY . .\nRUN npm ci\nCMD ["node", "dist/index.js"]\n',
    };
    const d = (await analyseRepo(tempRepo('env-heroku-addon', api))).decisions.find((x) => x.topic === 'deployment-platform')!;
    expect(d.decision).toBe('Heroku');
    expect(d.basis).toMatchObject({ outcome: 'environment', environment: { name: 'Heroku', variables: ['CLEARDB_DATABASE_URL'], files: 1 } });
    expect(d.evidence).toEqual([{ file: 'src/db/config.js', line: 4 }]);
    // A name in a destructuring of something else is no read of the environment.
    const other = { ...api, 'src/db/config.js': 'const { CLEARDB_DATABASE_URL } = settings;\nmodule.exports = CLEARDB_DATABASE_URL;\n' };
    expect((await analyseRepo(tempRepo('env-heroku-other', other))).decisions.find((x) => x.topic === 'deployment-platform')!.decision).toBe('Docker');
  });

  it('a Procfile beside a Dockerfile of the same unit is a split deployment; with a CI deploy to Heroku it is Heroku', async () => {
    const flask = {
      'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
      'blog/__init__.py': "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/posts')\ndef posts():\n    return []\n",
      Procfile: 'web: gunicorn blog:app\nworker: rq worker blog-tasks\n',
      Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 5000\nCMD ["gunicorn", "-b", ":5000", "blog:app"]\n',
    };
    const split = (await analyseRepo(tempRepo('procfile-docker', flask))).decisions.find((x) => x.topic === 'deployment-platform')!;
    expect(split.decision).toBe('Undetermined');
    expect(decisionWords(split.basis).context).toBe(
      'The deployment is split: Docker image and Heroku each run 1 deployable unit of the repository; nothing says which is the production platform.',
    );
    const deployed = tempRepo('procfile-ci', {
      ...flask,
      '.github/workflows/deploy.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git push https://heroku:$KEY@git.heroku.com/blog.git HEAD:main\n',
    });
    expect(decisions(await analyseRepo(deployed))['deployment-platform']).toBe('Heroku');
  });

  it('a deployment manifest still wins over the CI', async () => {
    const root = tempRepo('ci-vs-manifest', {
      ...koaApi,
      'fly.toml': 'app = "notes"\n\n[http_service]\n  internal_port = 3000\n',
      '.github/workflows/deploy.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: heroku container:push web\n',
    });
    expect(decisions(await analyseRepo(root))['deployment-platform']).toBe('Fly.io');
  });
});

describe('Replit and Cloudflare Analytics Engine', () => {
  it('a .replit [deployment] names Replit; a Redis-only BullMQ backend is not the primary database', async () => {
    const root = tempRepo('replit-bullmq', {
      'package.json': JSON.stringify({ name: 'jobs-api', dependencies: { hono: '^4.0.0', bullmq: '^5.0.0', ioredis: '^5.0.0' } }),
      '.replit':
        'modules = ["bun"]\n\n[workflows]\nrunButton = "Project"\n\n[deployment]\nrun = ["sh", "-c", "bun run src/index.ts"]\n\n[[ports]]\nlocalPort = 5000\nexternalPort = 80\n',
      'src/redis.ts':
        "import IORedis from 'ioredis';\nexport const connection = new IORedis(process.env.REDIS_URL ?? 'redis://localhost:6379', { maxRetriesPerRequest: null });\n",
      'src/queues.ts':
        "import { Queue, Worker } from 'bullmq';\nimport { connection } from './redis';\nexport const emailQueue = new Queue('email', { connection });\nexport const emailWorker = new Worker('email', async (job) => job.data, { connection });\n",
      'src/index.ts':
        "import { Hono } from 'hono';\nimport { emailQueue } from './queues';\nconst app = new Hono();\napp.post('/email', async (c) => { await emailQueue.add('send', await c.req.json()); return c.json({ ok: true }); });\nexport default { port: 5000, fetch: app.fetch };\n",
    });
    const m = await analyseRepo(root);
    const w = m.deployment.workloads.find((x) => x.details?.platform === 'Replit');
    expect(w).toMatchObject({ kind: 'Replit deployment', evidence: [{ file: '.replit', line: 7 }] });
    const d = decisions(m);
    expect(d['deployment-platform']).toBe('Replit');
    expect(m.dataStores.map((s) => s.tech)).toContain('redis');
    expect(d['primary-database']).toBeUndefined();
    expect(d['messaging']).toBe('BullMQ');
  });

  it('a Worker whose only store is an Analytics Engine dataset: that is the primary database; R2 is not', async () => {
    const root = tempRepo('cf-analytics', {
      'package.json': JSON.stringify({ name: 'counter', devDependencies: { wrangler: '^3.0.0' } }),
      'wrangler.json': JSON.stringify(
        {
          name: 'counter',
          main: './src/worker.ts',
          analytics_engine_datasets: [{ binding: 'AE', dataset: 'pageviews' }],
          r2_buckets: [{ binding: 'ROLLUPS', bucket_name: 'rollups' }],
        },
        null,
        2,
      ),
      'src/worker.ts':
        'export default { async fetch(req: Request, env: { AE: AnalyticsEngineDataset }) { env.AE.writeDataPoint({ blobs: [req.url] }); return new Response("ok"); } };\n',
    });
    const m = await analyseRepo(root);
    const ae = m.dataStores.find((s) => s.tech === 'cloudflare-analytics-engine');
    expect(ae).toMatchObject({ name: 'Cloudflare Workers Analytics Engine', details: { datasets: ['pageviews'], dataModel: 'time-series' } });
    expect(decisions(m)['primary-database']).toBe('Cloudflare Workers Analytics Engine');
  });
});

describe('messaging whose channels are not read', () => {
  it('Temporal imported by production code is the messaging technology (its task queue read, else with the reason); a test import is not', async () => {
    const root = tempRepo('temporal-orders', {
      'package.json': JSON.stringify({
        name: 'orders',
        dependencies: { '@nestjs/core': '^10.0.0', '@temporalio/client': '^1.9.0', '@temporalio/worker': '^1.9.0' },
      }),
      'src/main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();\n",
      'src/app.module.ts': "import { Module } from '@nestjs/common';\n@Module({})\nexport class AppModule {}\n",
      'src/orders/orders.service.ts':
        "import { Injectable } from '@nestjs/common';\nimport {\n  Client,\n  Connection,\n} from '@temporalio/client';\n@Injectable()\nexport class OrdersService {\n  async place(id: string) {\n    const client = new Client({ connection: await Connection.connect() });\n    return client.workflow.start('processOrder', { taskQueue: process.env.ORDER_QUEUE!, workflowId: id, args: [id] });\n  }\n}\n",
    });
    const m = await analyseRepo(root);
    expect(decisions(m)['messaging']).toBe('Temporal');
    expect(m.queues.map((q) => `${q.id} ${q.tech} ${q.producers.join(',')}`)).toEqual(['queue:env:ORDER_QUEUE Temporal component:.']);

    // A client whose task queue is not found: named, with the reason.
    const unseen = tempRepo('temporal-unseen', {
      'package.json': JSON.stringify({ name: 'orders', dependencies: { express: '^4.0.0', '@temporalio/client': '^1.9.0' } }),
      'src/server.ts': "import express from 'express';\nexpress().listen(3000);\n",
      'src/flows.ts': "import { Client } from '@temporalio/client';\nexport const client = new Client();\n",
    });
    const d = (await analyseRepo(unseen)).decisions.find((x) => x.topic === 'messaging')!;
    expect(d.decision).toBe('Temporal (no channel found)');
    expect(d.evidence).toEqual([{ file: 'src/flows.ts', line: 1 }]);
    expect(decisionWords(d.basis).counts).toEqual(['Temporal: imported by production code (src/flows.ts:1), but none of its channels was found']);

    const onlyTests = tempRepo('temporal-tests', {
      'package.json': JSON.stringify({
        name: 'orders',
        dependencies: { express: '^4.0.0' },
        devDependencies: { '@temporalio/testing': '^1.9.0', '@temporalio/client': '^1.9.0' },
      }),
      'src/server.ts': "import express from 'express';\nexpress().listen(3000);\n",
      'src/flow.test.ts': "import { Client } from '@temporalio/client';\nnew Client();\n",
    });
    expect(decisions(await analyseRepo(onlyTests))['messaging']).toBeUndefined();
  });
});

describe('messaging beside channels that were read', () => {
  it('an SNS client beside BullMQ queues is a side use, and so is a Temporal client starting nothing', async () => {
    const files = {
      'package.json': JSON.stringify({ name: 'mailer', dependencies: { express: '^4.0.0', bullmq: '^5.0.0', '@aws-sdk/client-sns': '^3.0.0' } }),
      'src/server.ts':
        "import express from 'express';\nimport { mailQueue } from './queue';\nconst app = express();\napp.post('/send', async (_req, res) => { await mailQueue.add('send', {}); res.sendStatus(202); });\napp.listen(3000);\n",
      'src/queue.ts':
        "import { Queue, Worker } from 'bullmq';\nconst connection = { host: 'redis' };\nexport const mailQueue = new Queue('mail', { connection });\nnew Worker('mail', async () => undefined, { connection });\n",
      'src/ses-hooks.ts':
        "import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';\nexport const subscribe = (url: string) => new SNSClient({}).send(new SubscribeCommand({ TopicArn: process.env.TOPIC, Protocol: 'https', Endpoint: url }));\n",
    };
    expect(decisions(await analyseRepo(tempRepo('bullmq-sns', files)))['messaging']).toBe('BullMQ');
    const withTemporal = { ...files, 'src/flows.ts': "import { Client } from '@temporalio/client';\nexport const client = new Client();\n" };
    expect(decisions(await analyseRepo(tempRepo('bullmq-temporal', withTemporal)))['messaging']).toBe('BullMQ');
  });
});

describe('Traefik labels', () => {
  it('reads the port Traefik routes to, list or map form', () => {
    expect(traefikPorts(['traefik.enable=true', 'traefik.http.services.backend.loadbalancer.server.port=8000'])).toEqual(['8000']);
    expect(traefikPorts({ 'traefik.http.services.web.loadbalancer.server.port': '"80"', 'traefik.http.routers.web.rule': 'Host(`x`)' })).toEqual(['80']);
  });

  it('a backend behind Traefik with no ports: is a service on that port, not a worker', async () => {
    const root = tempRepo('traefik-backend', {
      'backend/pyproject.toml': '[project]\nname = "app"\ndependencies = ["fastapi"]\n',
      'backend/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'backend/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["fastapi", "run", "app/main.py", "--port", "8000"]\n',
      'compose.yml': [
        'services:',
        '  proxy:',
        '    image: traefik:3.0',
        '    ports:',
        '      - "80:80"',
        '  backend:',
        '    build:',
        '      context: ./backend',
        '    labels:',
        '      - traefik.enable=true',
        '      - traefik.http.routers.backend.rule=Host(`api.example.com`)',
        '      - traefik.http.services.backend.loadbalancer.server.port=8000',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.deployment.workloads.find((w) => w.name === 'backend')?.details).toMatchObject({ ports: ['8000'], traefikPorts: ['8000'] });
    const c = m.components.find((x) => x.path === 'backend');
    expect(c).toMatchObject({ kind: 'service', details: { ports: ['8000'] } });
  });
});

describe('messaging imports: only real imports count', () => {
  it('an import quoted in a comment or a string is no import', async () => {
    const repo = tempRepo('quoted-import', {
      'package.json': JSON.stringify({ name: 'tool', version: '1.0.0', bin: { tool: 'bin.js' } }),
      'bin.js': "#!/usr/bin/env node\nrequire('./src/index.js');\n",
      'src/index.ts':
        "/**\n * Reads `import { Queue } from 'bullmq'` → the queue.\n */\nexport const example = \"import { Worker } from 'bullmq'\";\nexport const x = 1;\n",
    });
    const model = await analyseRepo(repo);
    expect(model.decisions.find((d) => d.topic === 'messaging')).toBeUndefined();
  });
});

describe('style: event-driven needs a channel between two components', () => {
  it("a service's queue for its own background jobs is not event-driven messaging", async () => {
    const repo = tempRepo('own-jobs', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': JSON.stringify({ name: 'web', version: '1.0.0', dependencies: { express: '^4.19.2', bullmq: '^5.0.0' } }),
      'apps/web/src/server.ts':
        "import express from 'express';\nimport { Queue, Worker } from 'bullmq';\nconst connection = { host: 'redis' };\nconst emails = new Queue('emails', { connection });\nnew Worker('emails', async () => {}, { connection });\nconst app = express();\napp.post('/signup', async (_req, res) => { await emails.add('welcome', {}); res.sendStatus(202); });\napp.listen(3000);\n",
      'apps/admin/package.json': JSON.stringify({ name: 'admin', version: '1.0.0', dependencies: { express: '^4.19.2' } }),
      'apps/admin/src/server.ts':
        "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(4000);\n",
    });
    const model = await analyseRepo(repo);
    const style = model.decisions.find((d) => d.topic === 'architecture-style')!;
    expect(style.decision).toBe('A small set of services');
  });
});
