/**
 * Scripts run by hand and what only they use (src/pipeline/script-roles.ts, called by
 * classifyFiles): the import scan, each rule, what keeps a file production, and a real run.
 */
import { describe, expect, it } from 'vitest';
import { classifyFiles, nameRole } from '../src/pipeline/roles.js';
import { scanScript } from '../src/pipeline/script-roles.js';
import { analyseFixture } from './helpers.js';

/** Roles of a repository given as file → text; `resolve` stands in for the run's module resolver. */
function roles(repo: Record<string, string>, resolve?: (from: string, specifier: string) => string | undefined) {
  const map = classifyFiles({ files: Object.keys(repo).sort(), read: (f) => repo[f], resolve });
  return (file: string) => `${map.roleOf(file)}/${map.sourceOf(file)}`;
}

describe('scanScript', () => {
  it('tells import specifiers from other strings, and sees a module loaded by a computed path', () => {
    const s = scanScript(
      [
        "import users from './data/users.js';",
        "import { a } from '../lib/a'",
        'const b = require("./b");',
        "export * from './c';",
        "const lazy = await import('./d.js');",
        "// require('./commented')",
        "/* import x from './block' */",
        "const msg = 'Invalid user data';",
        'const tpl = `./x/${name}`;',
        'fs.readdirSync(dir).forEach((f) => require(path.join(dir, f)));',
      ].join('\n'),
    );
    expect(s.specifiers).toEqual(['./data/users.js', '../lib/a', './b', './c', './d.js']);
    expect(s.strings).toEqual(['Invalid user data']);
    expect(s.dynamic).toBe(true);
    expect(scanScript("const x = require('./x'); obj.require(y); import('./z');").dynamic).toBe(false);
  });
});

describe('what only seed and tooling scripts import', () => {
  const shop = {
    'package.json': JSON.stringify({ type: 'module', scripts: { start: 'node backend/server.js', 'data:import': 'node backend/seeder' } }),
    'backend/server.js': "import connectDB from './config/db.js';\nimport User from './models/userModel.js';\nconnectDB();",
    'backend/config/db.js': "import mongoose from 'mongoose';\nexport default () => mongoose.connect(process.env.MONGO_URI);",
    'backend/models/userModel.js': "import mongoose from 'mongoose';\nexport default mongoose.model('User', new mongoose.Schema({}));",
    'backend/seeder.js':
      "import users from './data/users.js';\nimport User from './models/userModel.js';\nimport connectDB from './config/db.js';\nawait connectDB();\nawait User.insertMany(users);",
    'backend/data/users.js': "import sampleHash from '../utils/sampleHash.js';\nexport default [{ password: sampleHash('123456') }];",
    'backend/utils/sampleHash.js': "import bcrypt from 'bcryptjs';\nexport default (p) => bcrypt.hashSync(p, 10);",
  };

  it('sets aside, with the seeder, the data it alone imports and what that data imports', () => {
    const role = roles(shop);
    expect(role('backend/seeder.js')).toBe('fixture/name');
    expect(role('backend/data/users.js')).toBe('fixture/imports');
    expect(role('backend/utils/sampleHash.js')).toBe('fixture/imports');
    // Imported by the server too: production.
    expect(role('backend/models/userModel.js')).toBe('production/default');
    expect(role('backend/config/db.js')).toBe('production/default');
  });

  it('keeps a file production code imports too, however it is imported (an alias the module resolver knows)', () => {
    const repo = { ...shop, 'backend/server.js': `${shop['backend/server.js']}\nimport users from '@/data/users.js';` };
    const resolve = (from: string, spec: string) =>
      spec.startsWith('@/') ? `backend/${spec.slice(2)}` : spec.startsWith('.') ? new URL(spec, `file:///${from}`).pathname.slice(1) : undefined;
    const role = roles(repo, resolve);
    expect(role('backend/data/users.js')).toBe('production/default');
    expect(role('backend/utils/sampleHash.js')).toBe('production/default');
  });

  it('never passes on the role of tests: a handler imported only by a test is the system’s code', () => {
    const role = roles({
      'src/orders/createOrder.ts': "import { save } from './store';\nexport const handler = async () => save();",
      'src/orders/store.ts': 'export const save = async () => {};',
      'test/createOrder.test.ts': "import { handler } from '../src/orders/createOrder';\ntest('x', () => handler());",
    });
    expect(role('test/createOrder.test.ts')).toBe('test/folder');
    expect(role('src/orders/createOrder.ts')).toBe('production/default');
    expect(role('src/orders/store.ts')).toBe('production/default');
  });

  it('keeps what an entry names: a SAM handler, a start script’s build output, a CDK entry, a Worker file', () => {
    const role = roles({
      'package.json': JSON.stringify({ scripts: { start: 'node dist/server.js' } }),
      'template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/fns/\n      Handler: orders.handler\n',
      'scripts/invoke.ts':
        "import { handler } from '../src/fns/orders';\nimport '../src/server';\nimport '../src/jobs/report';\nimport '../src/lambda-src/resize';\nhandler({});",
      'src/fns/orders.ts': 'export const handler = async () => ({ statusCode: 200 });',
      'src/server.ts': "import { createServer } from 'node:http';\ncreateServer().listen(3000);",
      'src/jobs/report.ts': 'export const run = () => {};',
      'src/jobs/pool.ts': "import { Worker } from 'node:worker_threads';\nnew Worker('./report.js');",
      'src/main.ts': "import './jobs/pool';",
      'src/lambda-src/resize.ts': 'export const handler = async () => {};',
      'infra/stack.ts': "new NodejsFunction(this, 'Resize', { entry: path.join(__dirname, '../src/lambda-src/resize.ts') });",
    });
    expect(role('scripts/invoke.ts')).toBe('tooling/folder');
    expect(role('src/fns/orders.ts')).toBe('production/default');
    expect(role('src/server.ts')).toBe('production/default');
    expect(role('src/jobs/report.ts')).toBe('production/default');
    expect(role('src/lambda-src/resize.ts')).toBe('production/default');
  });

  it('keeps files of route folders, of a folder a module loads by a computed path or a loader names, and of an entity glob', () => {
    const role = roles({
      'scripts/seed.ts': [
        "import '../src/pages/about';",
        "import '../src/models/user';",
        "import '../src/plugins/app/passwords';",
        "import '../src/entities/order.entity';",
        "import '../src/helpers/fake';",
      ].join('\n'),
      'src/pages/about.tsx': 'export default function About() { return null; }',
      'src/models/index.js': 'fs.readdirSync(__dirname).forEach((f) => require(path.join(__dirname, f)));',
      'src/models/user.js': 'module.exports = (sequelize) => sequelize.define("user", {});',
      'src/app.ts': "import './models/index.js';\nimport './db';\napp.register(autoload, { dir: path.join(__dirname, 'plugins/app') });",
      'src/plugins/app/passwords.ts': 'export default async function passwords() {}',
      'src/db.ts': "new DataSource({ entities: [__dirname + '/**/*.entity{.ts,.js}'] });",
      'src/entities/order.entity.ts': 'export class Order {}',
      'src/helpers/fake.ts': 'export const fake = () => 1;',
    });
    expect(role('src/pages/about.tsx')).toBe('production/default');
    expect(role('src/models/user.js')).toBe('production/default');
    expect(role('src/plugins/app/passwords.ts')).toBe('production/default');
    expect(role('src/entities/order.entity.ts')).toBe('production/default');
    // Named by nothing, imported only by the seed script: tooling with it.
    expect(role('src/helpers/fake.ts')).toBe('tooling/imports');
  });

  it('a seed script an entry runs (a Procfile worker under scripts/) passes no role on', () => {
    const role = roles({
      Procfile: 'worker: node scripts/worker.js',
      'scripts/worker.js': "require('../src/queue');",
      'src/queue.js': "const { Queue } = require('bullmq');\nmodule.exports = new Queue('mail');",
    });
    expect(role('src/queue.js')).toBe('production/default');
  });

  it('follows cycles among what only scripts import', () => {
    const role = roles({
      'seeds/run.ts': "import './../src/fixtures-a';",
      'src/fixtures-a.ts': "import { b } from './fixtures-b';\nexport const a = b;",
      'src/fixtures-b.ts': "import { a } from './fixtures-a';\nexport const b = () => a;",
    });
    expect(role('src/fixtures-a.ts')).toBe('fixture/imports');
    expect(role('src/fixtures-b.ts')).toBe('fixture/imports');
  });
});

describe('hand-run scripts', () => {
  const sam = {
    Makefile: 'build:\n\tsam build\n\ninsert-user:\n\tnode src/local/insert-user.js\n\nserve:\n\tnode src/local/serve.js\n',
    'template.yaml': 'Resources:\n  Fn:\n    Properties:\n      CodeUri: src/handlers/\n      Handler: auth.handler\n',
    'src/handlers/auth.ts': "import { check } from '../providers/password';\nexport const handler = async () => check();",
    'src/providers/password.ts': "import bcrypt from 'bcryptjs';\nexport const check = () => bcrypt.compare('a', 'b');",
    'src/local/insert-user.js': "const { hash } = require('./util/password');\nconst { ddb } = require('./util/dynamo-client');\nddb.put(hash('x'));",
    'src/local/util/password.js': "const bcrypt = require('bcryptjs');\nexports.hash = (p) => bcrypt.hashSync(p, 10);",
    'src/local/util/dynamo-client.js': "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nmodule.exports = { ddb: new DynamoDBClient() };",
    'src/local/serve.js': "require('./util/dynamo-client');",
  };

  it('a script a Makefile target for data runs, exporting nothing, is tooling, with what only it imports', () => {
    const role = roles(sam);
    expect(role('src/local/insert-user.js')).toBe('tooling/command');
    expect(role('src/local/util/password.js')).toBe('tooling/imports');
    // Also imported by a script a `serve` target runs: not a tool's alone.
    expect(role('src/local/serve.js')).toBe('production/default');
    expect(role('src/local/util/dynamo-client.js')).toBe('production/default');
    expect(role('src/providers/password.ts')).toBe('production/default');
  });

  it('a package.json script named for a task on the data runs a tool; start, dev and the like run the system', () => {
    const role = roles({
      'package.json': JSON.stringify({
        scripts: { 'backfill:slugs': 'tsx src/scripts/backfill-slugs.ts', dev: 'tsx watch src/index.ts', 'create-user': 'node ./src/cli/create-user.js' },
      }),
      'src/scripts/backfill-slugs.ts': "import { db } from '../db';\nawait db.update();",
      'src/index.ts': "import { db } from './db';\ndb.listen();",
      'src/db.ts': 'export const db = {};',
      'src/cli/create-user.js': "module.exports = require('../db');",
    });
    expect(role('src/scripts/backfill-slugs.ts')).toBe('tooling/command');
    expect(role('src/index.ts')).toBe('production/default');
    // It exports something: a module, whatever runs it.
    expect(role('src/cli/create-user.js')).toBe('production/default');
  });

  it('a module a data task’s tool loads (`-d data-source.ts`) is tooling when no production code imports it; imported or named by `migrate`, it stays', () => {
    const files = {
      'package.json': JSON.stringify({
        scripts: {
          start: 'node dist/main',
          drop: 'ts-node -r tsconfig-paths/register ./node_modules/typeorm/cli.js schema:drop -d ./src/db/cli-source.ts',
          'db:seed': 'ts-node ./node_modules/typeorm-extension/dist/cli/index.js seed --dataSource=./src/db/seed-source.ts',
        },
      }),
      'src/main.ts': "import { options } from './db/options';\nbootstrap(options);",
      'src/db/options.ts': "export const options = { type: 'mysql' };",
      'src/db/cli-source.ts': "import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'mysql', password: 'x' });",
      'src/db/seed-source.ts': "import { options } from './options';\nexport const source = options;",
    };
    const role = roles(files);
    expect(role('src/db/cli-source.ts')).toBe('tooling/command');
    expect(role('src/db/seed-source.ts')).toBe('tooling/command');
    expect(role('src/db/options.ts')).toBe('production/default');
    // The application imports it too: production.
    const imported = roles({ ...files, 'src/main.ts': "import source from './db/cli-source';\nsource.initialize();" });
    expect(imported('src/db/cli-source.ts')).toBe('production/default');
    // A migration command loads it as well: the system's schema is applied through it.
    const migrated = roles({
      ...files,
      'package.json': JSON.stringify({
        scripts: { drop: 'typeorm schema:drop -d ./src/db/cli-source.ts', 'migration:run': 'typeorm migration:run -d ./src/db/cli-source.ts' },
      }),
    });
    expect(migrated('src/db/cli-source.ts')).toBe('production/default');
  });

  it('a script a tool’s command runs that an entry also names stays production', () => {
    const role = roles({
      'package.json': JSON.stringify({ scripts: { seed: 'node src/worker.js --seed' } }),
      Dockerfile: 'FROM node:20\nCMD ["node", "src/worker.js"]\n',
      'src/worker.js': "require('./queue');",
      'src/queue.js': 'module.exports = {};',
    });
    expect(role('src/worker.js')).toBe('production/default');
  });
});

describe('Python test modules', () => {
  it.each([
    ['tests.py', 'test'],
    ['lms/tests.py', 'test'],
    ['cli/test.py', 'test'],
    ['app/testing_utils.py', undefined],
    ['app/contest.py', undefined],
  ])('%s is %s', (file, role) => {
    expect(nameRole(file)).toBe(role);
  });
});

describe('in a real run', () => {
  it('an Express seeder’s sample data and its hashing helper feed no fact; the server’s code does', async () => {
    const model = await analyseFixture('express-seeded-shop');
    const files = model.files?.roles.find((r) => r.role === 'fixture');
    expect(files?.count).toBe(4);
    expect(model.security.some((s) => s.id === 'security:password-hashing:bcrypt')).toBe(false);
    const argon2 = model.security.find((s) => s.id === 'security:password-hashing:argon2');
    expect([...new Set(argon2?.evidence.map((e) => e.file))]).toEqual(['backend/models/userModel.js']);
  });

  it('a SAM app’s local scripts and their DynamoDB client and PIN hashing feed no fact; the handlers do', async () => {
    const model = await analyseFixture('sam-local-scripts');
    expect(model.files?.roles.find((r) => r.role === 'tooling')?.count).toBe(5);
    const dynamo = model.dataStores.find((d) => d.id === 'datastore:dynamodb');
    expect(dynamo?.evidence.map((e) => e.file).sort()).toEqual(['src/repositories/cardRepository.ts', 'template.yaml']);
    expect(model.security.some((s) => s.id === 'security:password-hashing:bcrypt')).toBe(false);
  });
});
