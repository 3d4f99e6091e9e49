/**
 * Code nothing runs (src/pipeline/dead-code.ts): plugin folders a framework's configuration leaves
 * switched off, and hand-run scripts nothing names; through classifyFiles, and in a real run.
 */
import { describe, expect, it } from 'vitest';
import { classifyFiles } from '../src/pipeline/roles.js';
import type { WorkspacePackage } from '../src/analyzer/workspace.js';
import { analyseFixture } from './helpers.js';

const deps = (...names: string[]): WorkspacePackage['dependencies'] =>
  new Map(names.map((n) => [n, { name: n, range: '*', field: 'dependencies' as const }]) as [string, never][]);

function classify(texts: Record<string, string>, dependencies: string[] = ['koa', 'lin-mizar'], path = '.') {
  return classifyFiles({
    files: Object.keys(texts),
    packages: [{ path, name: 'app', dependencies: deps(...dependencies) }],
    read: (f) => texts[f],
  });
}

const setting = (pluginPath: string) => `const path = require('path');\nmodule.exports = {\n  port: 5000,\n  pluginPath: ${pluginPath}\n};\n`;
const plugin = (name: string) => ({
  [`app/plugin/${name}/app/index.js`]: "import { api } from './controller';\nexport { api };\n",
  [`app/plugin/${name}/app/controller.js`]: `import Router from 'koa-router';\nconst api = new Router({ prefix: '/${name}' });\nexport { api };\n`,
  [`app/plugin/${name}/config.js`]: 'module.exports = { limit: 2 };\n',
});

describe('switched-off plugins (lin-mizar pluginPath)', () => {
  it('sets aside a plugin whose entry is commented out, and one switched off; keeps one switched on', () => {
    const map = classify({
      'package.json': '{}',
      'app/config/setting.js': setting(`{
    // poem: { enable: true, path: 'app/plugin/poem' },
    shelf: { enable: true, path: 'app/plugin/shelf' },
    notice: { enable: false, path: './app/plugin/notice' },
  }`),
      'app/api/v1/book.js': "const book = new LinRouter({ prefix: '/v1/book' });\nexport { book };\n",
      ...plugin('poem'),
      ...plugin('shelf'),
      ...plugin('notice'),
      'test/helper/poem.js': "import { Poem } from '../../app/plugin/poem/app/model';\n",
    });
    expect(map.byRole.get('unused')).toEqual([
      'app/plugin/notice/app/controller.js',
      'app/plugin/notice/app/index.js',
      'app/plugin/notice/config.js',
      'app/plugin/poem/app/controller.js',
      'app/plugin/poem/app/index.js',
      'app/plugin/poem/config.js',
    ]);
    expect(map.roleOf('app/plugin/shelf/app/controller.js')).toBe('production');
    expect(map.roleOf('app/api/v1/book.js')).toBe('production');
    expect(map.originOf('app/plugin/poem/app/index.js')).toBe('app/plugin/poem');
    expect(map.sourceOf('app/plugin/notice/config.js')).toBe('plugins');
  });

  it('an entry without enable is off, as the loader reads it; one whose enable is not a literal is on', () => {
    const map = classify({
      'app/config/setting.js': setting(`{
    poem: { path: 'app/plugin/poem' },
    shelf: { enable: process.env.SHELF === 'on', path: 'app/plugin/shelf' },
  }`),
      ...plugin('poem'),
      ...plugin('shelf'),
    });
    expect(map.roleOf('app/plugin/poem/app/index.js')).toBe('unused');
    expect(map.roleOf('app/plugin/shelf/app/index.js')).toBe('production');
  });

  it('an entry switched on at a path it cannot read keeps every unnamed plugin (it may be any of them)', () => {
    const map = classify({
      'app/config/setting.js': setting(`{
    shelf: { enable: true, path: path.join(process.cwd(), 'app/plugin/shelf') },
    notice: { enable: false, path: 'app/plugin/notice' },
  }`),
      ...plugin('shelf'),
      ...plugin('notice'),
    });
    expect(map.roleOf('app/plugin/shelf/app/index.js')).toBe('production');
    expect(map.roleOf('app/plugin/notice/app/index.js')).toBe('unused');
  });

  it('does nothing without lin-mizar, or without a pluginPath setting', () => {
    const files = { ...plugin('poem'), 'app/config/setting.js': setting('{}') };
    expect(classify(files, ['koa']).roleOf('app/plugin/poem/app/index.js')).toBe('production');
    const unset = classify({ ...plugin('poem'), 'app/config/setting.js': 'module.exports = { port: 5000 };\n' });
    expect(unset.roleOf('app/plugin/poem/app/index.js')).toBe('production');
  });

  it('reads the setting of a workspace package relative to that package', () => {
    const map = classify(
      {
        'apps/cms/app/config/setting.js': setting('{ shelf: { enable: true, path: "app/plugin/shelf" } }'),
        'apps/cms/app/plugin/shelf/app/index.js': 'export const x = 1;\n',
        'apps/cms/app/plugin/poem/app/index.js': 'export const x = 1;\n',
      },
      ['lin-mizar'],
      'apps/cms',
    );
    expect(map.roleOf('apps/cms/app/plugin/shelf/app/index.js')).toBe('production');
    expect(map.roleOf('apps/cms/app/plugin/poem/app/index.js')).toBe('unused');
  });
});

describe('hand-run scripts nothing names', () => {
  const texts: Record<string, string> = {
    'apps/api/package.json': JSON.stringify({ main: 'dist/index.js', scripts: { start: 'node dist/index.js', workers: 'node dist/services/queue-worker.js' } }),
    'apps/api/Dockerfile': 'FROM node:20\nCMD ["node", "dist/src/harness.js"]\n',
    'apps/api/Procfile': 'release: node dist/migrate.js\n',
    'apps/api/src/index.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
    // Exports nothing, runs something, named nowhere but in its own comment: run by hand.
    'apps/api/src/run-req.ts':
      "// npx ts-node src/run-req.ts\nimport axios from 'axios';\nasync function main() {\n  await axios.post('https://staging.example.fly.dev/v0/crawl', {});\n}\nmain();\n",
    'apps/api/src/backfill.mjs': "import fs from 'fs';\nawait fs.promises.readFile('x.json');\n",
    // Named by package.json (a built path), the Dockerfile, the Procfile, a page, another script.
    'apps/api/src/services/queue-worker.ts': "import { Worker } from 'bullmq';\nnew Worker('q', async () => {});\nconsole.log('worker up');\n",
    'apps/api/src/harness.ts': "import { spawn } from 'child_process';\nspawn('node', ['dist/index.js']);\n",
    'apps/api/src/migrate.ts': 'runMigrations();\n',
    'apps/api/src/Polyfills.ts': "import 'core-js';\ninstall();\n",
    'apps/api/src/boot.ts': "import './Polyfills';\n",
    // A Prisma generator the schema runs, a preload an environment file names.
    'apps/api/prisma/schema.prisma': 'generator marker {\n  provider = "node ./prisma/marker-generator.js"\n}\n',
    'apps/api/prisma/marker-generator.js': "import fs from 'node:fs';\nfs.writeFileSync('out.txt', 'x');\n",
    'apps/api/.env': 'NODE_OPTIONS=--require ./dist/tracing.js\n',
    'apps/api/src/tracing.ts': "import { NodeSDK } from '@opentelemetry/sdk-node';\nnew NodeSDK({}).start();\n",
    // Exports, runs nothing, declarations, conventional entries, static assets.
    'apps/api/src/lib.ts': 'export const x = 1;\n',
    'apps/api/src/legacy.js': "const r = require('express').Router();\nmodule.exports = r;\n",
    'apps/api/src/constants.ts': 'const LIMIT = 5;\n',
    'apps/api/src/global.d.ts': 'declare const VERSION: string;\n',
    'apps/api/sentry.server.config.ts': "import * as Sentry from '@sentry/nextjs';\nSentry.init({ dsn: process.env.SENTRY_DSN });\n",
    'apps/api/src/main.ts': 'bootstrap();\n',
    'apps/api/src/server.js': "require('http').createServer().listen(80);\n",
    'apps/api/public/player.worklet.js': "registerProcessor('player', class {});\n",
    // Named nowhere, but long-running: a second server, handlers registered for events.
    'apps/api/src/admin.js': "const admin = require('express')();\nadmin.get('/health', (q, r) => r.send('ok'));\nadmin.listen(4000);\n",
    'apps/api/src/live.ts':
      "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => ws.send('hi'));\n",
    // Outside any package: nothing names entries there.
    'tools/loose.js': 'run();\n',
  };
  const map = classifyFiles({
    files: Object.keys(texts),
    packages: [{ path: 'apps/api', name: 'api', dependencies: deps('express') }],
    read: (f) => texts[f],
  });

  it.each([
    ['apps/api/src/run-req.ts', 'tooling'],
    ['apps/api/src/backfill.mjs', 'tooling'],
    ['apps/api/src/services/queue-worker.ts', 'production'],
    ['apps/api/src/harness.ts', 'production'],
    ['apps/api/src/migrate.ts', 'production'],
    ['apps/api/src/Polyfills.ts', 'production'],
    ['apps/api/prisma/marker-generator.js', 'production'],
    ['apps/api/src/tracing.ts', 'production'],
    ['apps/api/src/lib.ts', 'production'],
    ['apps/api/src/legacy.js', 'production'],
    ['apps/api/src/constants.ts', 'production'],
    ['apps/api/src/global.d.ts', 'production'],
    ['apps/api/sentry.server.config.ts', 'production'],
    ['apps/api/src/index.ts', 'production'],
    ['apps/api/src/main.ts', 'production'],
    ['apps/api/src/server.js', 'production'],
    ['apps/api/public/player.worklet.js', 'production'],
    ['apps/api/src/admin.js', 'production'],
    ['apps/api/src/live.ts', 'production'],
  ])('%s is %s', (file, role) => {
    expect(map.roleOf(file)).toBe(role);
  });

  it('counts a hand-run script under its own folder, by the orphan rule', () => {
    expect(map.originOf('apps/api/src/run-req.ts')).toBe('apps/api/src');
    expect(map.sourceOf('apps/api/src/run-req.ts')).toBe('orphan');
  });

  it('a name written inside a longer word is no mention (run-req in run-request)', () => {
    const m = classifyFiles({
      files: ['package.json', 'src/run-req.ts'],
      packages: [{ path: '.', name: 'x', dependencies: deps() }],
      read: (f) => (f === 'package.json' ? '{ "scripts": { "go": "node run-request.js" } }' : 'go();\n'),
    });
    expect(m.roleOf('src/run-req.ts')).toBe('tooling');
  });
});

describe('in a real run', () => {
  it('lin-plugins: no route, entity or external system of a switched-off or unnamed plugin', async () => {
    const model = await analyseFixture('lin-plugins');
    const paths = model.endpoints.map((e) => `${e.method} ${e.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /v1/book/:id', 'GET /shelf/all']));
    expect(paths.filter((p) => p.includes('/notice') || p.includes('/archive'))).toEqual([]);
    const entities = model.schemas.map((e) => e.name);
    expect(entities).toEqual(expect.arrayContaining(['book', 'shelf']));
    expect(entities).not.toContain('notice');
    expect(JSON.stringify(model.externalServices)).not.toContain('library-notices');
    const unused = model.files?.roles?.find((r) => r.role === 'unused');
    expect(unused?.folders).toEqual(['app/plugin/notice', 'app/plugin/archive']);
    // The Analysis notes say why: the plugin settings switch them off.
    expect(unused?.tools).toEqual([{ tool: 'plugins', count: 6, folders: ['app/plugin/notice', 'app/plugin/archive'], folderCount: 2 }]);
  });

  it('orphan-script: the staging host a hand-run script calls is no external system; the worker package.json names stays', async () => {
    const model = await analyseFixture('orphan-script');
    const hosts = JSON.stringify(model.externalServices);
    expect(hosts).not.toContain('staging-orders-api');
    expect(hosts).toContain('payments-provider');
    expect(model.files?.roles?.find((r) => r.role === 'tooling')?.folders).toEqual(['src']);
  });
});
