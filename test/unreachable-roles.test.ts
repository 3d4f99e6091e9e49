/**
 * Modules nothing reaches in a package of functions (src/pipeline/unreachable.ts, called by
 * classifyFiles): what counts as a way in, what keeps the rule off, and a real run over the
 * sst-kysely-leftover fixture.
 */
import { describe, expect, it } from 'vitest';
import { classifyFiles, type RoleInputs } from '../src/pipeline/roles.js';
import type { WorkspacePackage } from '../src/analyzer/workspace.js';
import { analyseFixture } from './helpers.js';

const deps = (...names: string[]): WorkspacePackage['dependencies'] =>
  new Map(names.map((n, i) => [n, { range: '^1.0.0', field: 'dependencies' as const, line: i + 2 }]));

/** Relative imports and the `@app/backend/*` alias, as the run's module resolver would resolve them. */
function resolver(files: readonly string[]) {
  const set = new Set(files);
  const withExt = (p: string) => [p, `${p}.ts`, `${p}/index.ts`].find((x) => set.has(x));
  return (from: string, spec: string): string | undefined => {
    if (spec.startsWith('@app/backend/')) return withExt(`packages/backend/${spec.slice('@app/backend/'.length)}`);
    if (!spec.startsWith('.')) return undefined;
    return withExt(new URL(spec, `file:///${from}`).pathname.slice(1));
  };
}

function roles(texts: Record<string, string>, dependencies = deps('@aws-sdk/client-dynamodb')) {
  const files = Object.keys(texts).sort();
  const packages: RoleInputs['packages'] = [
    { path: '.', name: 'root' },
    { path: 'packages/backend', name: '@app/backend', dependencies },
    { path: 'packages/web', name: '@app/web', dependencies: deps('react') },
  ];
  const map = classifyFiles({ files, packages, declaredPackages: true, read: (f) => texts[f], resolve: resolver(files) });
  return (file: string) => `${map.roleOf(file)}/${map.sourceOf(file)}`;
}

const REPO: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'root', workspaces: ['packages/*'] }),
  'sst.config.ts': "import { Api } from './stacks/Api';\nexport default { stacks(app) { app.stack(Api); } };",
  'stacks/Api.ts': [
    "import { Api as SstApi, StackContext } from 'sst/constructs';",
    'export function Api({ stack }: StackContext) {',
    "  new SstApi(stack, 'api', { routes: { 'GET /orders': 'packages/backend/functions/orders.list', 'POST /hooks': 'packages/backend/functions/hooks/index.handler' } });",
    '}',
  ].join('\n'),
  'packages/backend/package.json': JSON.stringify({ name: '@app/backend', type: 'module' }),
  'packages/backend/functions/orders.ts': "import { Orders } from '@app/backend/core/orders';\nexport const list = async () => Orders.scan();",
  'packages/backend/functions/hooks/index.ts': "import { verify } from './verify';\nexport const handler = async (e) => verify(e);",
  'packages/backend/functions/hooks/verify.ts': 'export const verify = (e) => e.ok;',
  'packages/backend/core/orders.ts':
    "import { client } from './dynamo';\nexport const Orders = { scan: () => client.send(null), mail: './mailer', relation: 'session' };",
  'packages/backend/core/dynamo.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});",
  // Named by a reached module in a string that could be a path: kept, erring towards keeping.
  'packages/backend/core/mailer.ts': 'export const send = () => {};',
  // The starter template's leftovers: a SQL client and the module that used it, which nothing imports.
  'packages/backend/core/sql.ts': "import { Kysely } from 'kysely';\nexport const DB = new Kysely({ dialect: null });\nexport * as SQL from './sql';",
  'packages/backend/core/article.ts': "import { SQL } from '@app/backend/core/sql';\nexport const list = () => SQL.DB.selectFrom('article');",
  'packages/backend/core/user.ts': 'export const User = {};',
  'packages/backend/core/session.ts': "import { User } from './user';\nexport const session = User;",
  'packages/backend/core/team.ts': "import { session } from './session';\nexport const team = session;",
  // A page of the front end names `article` and `team` as words: a front end runs no function of the backend.
  'packages/web/package.json': JSON.stringify({ name: '@app/web', dependencies: { react: '^18.0.0' } }),
  'packages/web/src/pages/Article.tsx': "import { team } from './team-list';\nexport default function Article() { return team; }",
  'packages/web/src/pages/team-list.ts': 'export const team = [];',
};

describe('modules nothing reaches in a package of functions', () => {
  it('sets aside what no handler, entry or module reached from them imports or names', () => {
    const role = roles(REPO);
    expect(role('packages/backend/core/sql.ts')).toBe('unused/unreachable');
    expect(role('packages/backend/core/article.ts')).toBe('unused/unreachable');
    // Reached from the handlers, by import (an alias, a folder's index) or by name.
    expect(role('packages/backend/functions/orders.ts')).toBe('production/default');
    expect(role('packages/backend/functions/hooks/verify.ts')).toBe('production/default');
    expect(role('packages/backend/core/dynamo.ts')).toBe('production/default');
    expect(role('packages/backend/core/mailer.ts')).toBe('production/default');
    // A plain word in a string (a relation's name) loads no module.
    expect(role('packages/backend/core/session.ts')).toBe('unused/unreachable');
    // The front end is left alone (it depends on React), and its words keep nothing of the backend.
    expect(role('packages/web/src/pages/team-list.ts')).toBe('production/default');
  });

  it('counts infrastructure code and configuration naming a module as a word as a way in', () => {
    const role = roles({
      ...REPO,
      'stacks/Cron.ts': "import { Cron } from 'sst/constructs';\nnew Cron(stack, 'nightly', { job: { handler: handlerOf('article') } });",
    });
    expect(role('packages/backend/core/article.ts')).toBe('production/default');
    expect(role('packages/backend/core/sql.ts')).toBe('production/default');
    const own = roles({ ...REPO, 'packages/backend/package.json': JSON.stringify({ name: '@app/backend', scripts: { report: 'tsx core/article.ts' } }) });
    expect(own('packages/backend/core/article.ts')).toBe('production/default');
  });

  it('stays off where some way in cannot be seen', () => {
    // A library: something may import it by its entry.
    expect(
      roles({ ...REPO, 'packages/backend/package.json': JSON.stringify({ name: '@app/backend', main: 'core/orders.ts' }) })('packages/backend/core/sql.ts'),
    ).toBe('production/default');
    // A framework or ORM that loads files by convention or glob.
    expect(roles(REPO, deps('sequelize-typescript'))('packages/backend/core/sql.ts')).toBe('production/default');
    // A reached module loads others by a computed path, or names a glob.
    const dynamic = { ...REPO, 'packages/backend/core/dynamo.ts': `${REPO['packages/backend/core/dynamo.ts']}\nfor (const f of files) require(f);` };
    expect(roles(dynamic)('packages/backend/core/sql.ts')).toBe('production/default');
    // Infrastructure names none of its files by path: not a package of functions.
    const unnamed = { ...REPO, 'stacks/Api.ts': "import { StackContext } from 'sst/constructs';\nexport function Api({ stack }: StackContext) {}" };
    expect(roles(unnamed)('packages/backend/core/sql.ts')).toBe('production/default');
    // More than half of its scripts unreached: some way in is not seen.
    const mostly = {
      ...REPO,
      'stacks/Api.ts':
        "import { Api } from 'sst/constructs';\nnew Api(stack, 'api', { routes: { 'POST /hooks': 'packages/backend/functions/hooks/index.handler' } });",
    };
    expect(roles(mostly)('packages/backend/core/sql.ts')).toBe('production/default');
  });

  it('in a NestJS application, sets aside what `src/main.ts` does not reach; an entity glob keeps everything', () => {
    const nest: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'tasks', scripts: { start: 'nest start' } }),
      'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule);",
      'src/app.module.ts':
        "import { TypeOrmModule } from '@nestjs/typeorm';\nimport { TasksModule } from './tasks/tasks.module';\nimport { Task } from './tasks/task.entity';\n@Module({ imports: [TypeOrmModule.forRoot({ entities: [Task] }), TasksModule] })\nexport class AppModule {}",
      'src/tasks/tasks.module.ts':
        "import { TasksController } from './tasks.controller';\n@Module({ controllers: [TasksController] })\nexport class TasksModule {}",
      'src/tasks/tasks.controller.ts': "@Controller('tasks')\nexport class TasksController { @Get() list() { return []; } @Cron('0 * * * *') tick() {} }",
      'src/tasks/task.entity.ts': '@Entity()\nexport class Task {}',
      // Listed nowhere: TypeORM does not load it, and no module imports it.
      'src/archive/archived-board.entity.ts': '@Entity()\nexport class ArchivedBoard {}',
    };
    const classify = (texts: Record<string, string>) => {
      const files = Object.keys(texts).sort();
      const map = classifyFiles({
        files,
        packages: [{ path: '.', name: 'tasks', dependencies: deps('@nestjs/core', 'typeorm') }],
        read: (f) => texts[f],
        resolve: resolver(files),
      });
      return (file: string) => `${map.roleOf(file)}/${map.sourceOf(file)}`;
    };
    const role = classify(nest);
    expect(role('src/archive/archived-board.entity.ts')).toBe('unused/unreachable');
    expect(role('src/tasks/task.entity.ts')).toBe('production/default');
    expect(role('src/tasks/tasks.controller.ts')).toBe('production/default');
    const globbed = classify({
      ...nest,
      'src/app.module.ts': nest['src/app.module.ts']!.replace('entities: [Task]', "entities: [__dirname + '/**/*.entity{.ts,.js}']"),
    });
    expect(globbed('src/archive/archived-board.entity.ts')).toBe('production/default');
  });

  it('in a real run, the starter template’s Kysely client feeds no fact and is counted in the Analysis notes', async () => {
    const model = await analyseFixture('sst-kysely-leftover');
    expect(model.dataStores.map((s) => s.name)).toEqual(['Amazon DynamoDB']);
    const unused = model.files?.roles.find((r) => r.role === 'unused');
    expect(unused?.tools).toContainEqual({ tool: 'unreachable', count: 1, folders: ['packages/core/src'], folderCount: 1 });
    const evidence = JSON.stringify(model);
    expect(evidence).not.toContain('packages/core/src/sql.ts');
  });
});
