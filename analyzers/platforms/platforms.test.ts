import { afterEach, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import { readToml, tomlGet } from './toml.js';

afterEach(removeTemps);

const pkg = JSON.stringify({ name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '^4.0.0' } });

describe('platforms analyzer', () => {
  it('reads each platform manifest as a workload naming its platform', async () => {
    const root = tempRepo('platforms', {
      'package.json': pkg,
      'server.js': "require('express')().listen(3000);\n",
      'fly.toml': 'app = "shop"\nprimary_region = "ams"\n\n[http_service]\n  internal_port = 8080\n',
      'heroku/Procfile': 'web: node server.js\nrelease: npm run migrate\nworker: node jobs.js\n',
      'heroku/app.json': JSON.stringify(
        {
          name: 'shop',
          buildpacks: [{ url: 'heroku/nodejs' }],
          addons: ['heroku-redis:mini', { plan: 'heroku-postgresql:essential-0' }, { plan: 'scheduler:standard' }],
        },
        null,
        2,
      ),
      'mobile/app.json': JSON.stringify({ expo: { name: 'shop' }, buildpacks: [] }),
      'vercel.json': '{ "rewrites": [] }',
      'netlify.toml': '[build]\n  publish = "dist"\n',
      'render.yaml': 'services:\n  - type: web\n    name: api\n    runtime: node\n  - type: redis\n    name: cache\n',
      'railway.json': '{ "deploy": { "startCommand": "node server.js" } }',
      'gae/app.yaml': 'runtime: nodejs20\nservice: api\n',
      // CodeDeploy to EC2 instances; an ECS appspec (Resources) deploys a service ECS counts itself.
      'ec2/appspec.yml':
        'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv/app\nhooks:\n  AfterInstall:\n    - location: scripts/start.sh\n',
      'ecs/appspec.yaml': 'version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n',
    });
    const m = await analyseRepo(root);
    const rows = m.deployment.workloads
      .filter((w) => w.details?.platform)
      .map((w) => `${w.details!.platform}|${w.kind}|${w.name}|${w.evidence[0]!.file}:${w.evidence[0]!.line}`);
    expect(rows.sort()).toEqual(
      [
        'Fly.io|Fly.io app|shop|fly.toml:1',
        'Heroku|Heroku process|web|heroku/Procfile:1',
        'Heroku|Heroku process|worker|heroku/Procfile:3',
        'Heroku|Heroku app|shop|heroku/app.json:3',
        'Vercel|Vercel project|.|vercel.json:1',
        'Netlify|Netlify site|.|netlify.toml:2',
        'Render|Render service|api|render.yaml:2',
        'Railway|Railway service|.|railway.json:1',
        'Google App Engine|App Engine service|api|gae/app.yaml:1',
        'Amazon EC2|CodeDeploy deployment|ec2|ec2/appspec.yml:2',
      ].sort(),
    );
    expect(m.deployment.workloads.find((w) => w.kind === 'Fly.io app')!.details!.internalPort).toBe(8080);
    // Heroku's data add-ons are stores the app gets (the scheduler is none), at the plan's line.
    expect(m.dataStores.map((d) => `${d.id} ${d.details?.provisionedBy} ${d.evidence.map((e) => `${e.file}:${e.line}`).join(' ')}`)).toEqual([
      'datastore:postgresql Heroku add-on heroku-postgresql:essential-0 heroku/app.json:11',
      'datastore:redis Heroku add-on heroku-redis:mini heroku/app.json:9',
    ]);
  });

  it('a Procfile beside a fly.toml is that Fly app’s process list, not a Heroku app', async () => {
    const root = tempRepo('procfile-fly', {
      'package.json': pkg,
      'cache/fly.toml': "app = 'shop-cache'\n\n[[services]]\n  internal_port = 6379\n",
      'cache/Procfile': 'redis: /usr/bin/start-redis.sh\nmetrics: /usr/bin/exporter\n',
    });
    const m = await analyseRepo(root);
    expect(m.deployment.workloads.filter((w) => w.details?.platform).map((w) => `${w.details!.platform}|${w.name}`)).toEqual(['Fly.io|shop-cache']);
  });

  it('a Worker’s D1, KV and queue bindings become stores and queues, with the Worker as their user', async () => {
    const root = tempRepo('wrangler', {
      'package.json': JSON.stringify({ name: 'edge' }),
      'src/index.ts': 'export default { async fetch() { return new Response("ok"); } };\n',
      'wrangler.jsonc':
        '{\n  // the worker\n  "name": "edge",\n  "main": "src/index.ts",\n  "kv_namespaces": [{ "binding": "SESSIONS", "id": "x" }],\n  "queues": { "producers": [{ "binding": "JOBS", "queue": "jobs" }] }\n}\n',
      'other/wrangler.toml': 'name = "mailer"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "mail"\n\n[[queues.consumers]]\nqueue = "jobs"\n',
    });
    const m = await analyseRepo(root);
    expect(
      m.deployment.workloads
        .filter((w) => w.kind === 'Cloudflare Worker')
        .map((w) => w.name)
        .sort(),
    ).toEqual(['edge', 'mailer']);
    expect(m.dataStores.map((s) => s.name).sort()).toEqual(['Cloudflare Workers KV', 'SQLite (Cloudflare D1)']);
    const jobs = m.queues.find((q) => q.name === 'jobs')!;
    expect(jobs.tech).toBe('Cloudflare Queues');
    expect(jobs.producers.length + jobs.consumers.length).toBeGreaterThan(0);
  });

  it('a Worker’s bindings and cron triggers are its infrastructure, named by binding; one resource however many Workers bind it', async () => {
    const root = tempRepo('wrangler-infra', {
      'collector/package.json': JSON.stringify({ name: 'collector', dependencies: { hono: '^4.0.0' } }),
      'collector/src/index.ts': 'export default { async fetch() { return new Response("ok"); }, async scheduled() {} };\n',
      'collector/wrangler.toml':
        'name = "collector"\nmain = "src/index.ts"\n\nkv_namespaces = [\n  { binding = "BUFFER", id = "abc" }\n]\n\n[triggers]\ncrons = ["*/10 * * * *"] # flush\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "stats"\ndatabase_id = "1"\n\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n',
      'reports/package.json': JSON.stringify({ name: 'reports' }),
      'reports/src/index.ts': 'export default { async fetch() { return new Response("ok"); } };\n',
      'reports/wrangler.jsonc':
        '{\n  "name": "reports",\n  "main": "src/index.ts",\n  "d1_databases": [{ "binding": "DB", "database_name": "stats", "database_id": "1" }],\n  "r2_buckets": [{ "binding": "EXPORTS", "bucket_name": "report-exports" }],\n  "assets": { "directory": "./public", "binding": "ASSETS" },\n  "triggers": { "crons": ["0 3 * * *"] }\n}\n',
    });
    const m = await analyseRepo(root);
    const rows = m.infrastructure
      .filter((r) => r.source === 'wrangler')
      .map((r) => `${r.type} ${r.name} ${r.evidence.map((e) => `${e.file}:${e.line}`).join(',')}`)
      .sort();
    expect(rows).toEqual([
      'assets ASSETS reports/wrangler.jsonc:6',
      'cron_trigger */10 * * * * collector/wrangler.toml:9',
      'cron_trigger 0 3 * * * reports/wrangler.jsonc:7',
      'd1_database DB collector/wrangler.toml:12,reports/wrangler.jsonc:4',
      'durable_object COUNTER collector/wrangler.toml:17',
      'kv_namespace BUFFER collector/wrangler.toml:5',
      'r2_bucket EXPORTS reports/wrangler.jsonc:5',
    ]);
    // The bindings are still the stores they were: the D1 database by its own name.
    expect(m.dataStores.find((s) => s.id === 'datastore:cloudflare-d1')!.details!.databases).toEqual(['stats']);
  });

  it('a malformed manifest line is a warning with its line; the rest is read', async () => {
    const root = tempRepo('bad-toml', { 'package.json': pkg, 'fly.toml': 'app = "shop"\nthis is not toml\n[http_service]\ninternal_port = 8080\n' });
    const m = await analyseRepo(root);
    expect(m.warnings.filter((w) => w.analyzer === 'platforms').map((w) => `${w.file}:${w.line}`)).toEqual(['fly.toml:2']);
    expect(m.deployment.workloads.find((w) => w.kind === 'Fly.io app')!.details!.internalPort).toBe(8080);
  });
});

describe('TOML line reader', () => {
  it('reads tables, arrays of tables, inline tables in arrays, and skips multi-line values', () => {
    const t = readToml(
      'a = "x" # note\n[[d1]]\nbinding = "DB"\n[[d1]]\nbinding = "DB2"\nlist = [\n  "one",\n]\ntext = """\nmany\n"""\nkv = [ { binding = "K", id = "1" } ]\n',
    );
    expect(t.errors).toEqual([]);
    expect(tomlGet(t, '', 'a')!.value).toBe('x');
    expect(tomlGet(t, 'd1', 'binding', 1)!.value).toBe('DB2');
    expect(tomlGet(t, 'd1.kv', 'binding')!.value).toBe('K');
  });

  it('is linear on a long unterminated line', () => {
    const t = readToml(`k = "${'\\'.repeat(200_000)}\n`);
    expect(t.errors).toHaveLength(1);
  });
});
