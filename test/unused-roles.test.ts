/**
 * Schemas and migrations nothing uses (src/pipeline/unused.ts): the `unused` file role, decided
 * before any analyzer runs, for a Prisma schema no package depends on Prisma for and for Kysely
 * migrations nothing runs; what the Analysis notes say of them; and real runs over the fixtures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFiles, summariseRoles, type RoleInputs } from '../src/pipeline/roles.js';
import { setAsideView } from '../src/render/view-roles.js';
import type { Model } from '../src/model/schema.js';
import type { WorkspacePackage } from '../src/analyzer/workspace.js';
import { analyseFixture, removeTemps } from './helpers.js';

afterEach(removeTemps);

const deps = (...names: string[]): WorkspacePackage['dependencies'] =>
  new Map(names.map((n, i) => [n, { range: '^1.0.0', field: 'dependencies' as const, line: i + 2 }]));

/** Roles of a small repository given as path → text. */
function classify(texts: Record<string, string>, packages: RoleInputs['packages'], extra: Partial<RoleInputs> = {}) {
  return classifyFiles({ files: Object.keys(texts), packages, read: (f) => texts[f], ...extra });
}

const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\nmodel User {\n  id    Int    @id\n  email String\n}\n';

describe('unused files: Prisma schemas', () => {
  const repo = {
    'package.json': '{"name":"shop"}',
    'prisma/schema.prisma': SCHEMA,
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" (id int primary key);\n',
    'src/app.ts': "export const app = 'shop';\n",
  };

  it('sets aside a schema, and the Prisma migrations beside it, when packages exist and none depends on Prisma', () => {
    const map = classify(repo, [{ path: '.', name: 'shop', dependencies: deps('payload', 'next') }]);
    expect(map.roleOf('prisma/schema.prisma')).toBe('unused');
    expect(map.sourceOf('prisma/schema.prisma')).toBe('unused');
    expect(map.roleOf('prisma/migrations/20240101000000_init/migration.sql')).toBe('unused');
    expect(map.roleOf('src/app.ts')).toBe('production');
    expect(summariseRoles(map).find((r) => r.role === 'unused')).toEqual({
      role: 'unused',
      count: 3,
      folders: ['prisma/migrations', 'prisma/schema.prisma'],
      folderCount: 2,
      tools: [{ tool: 'prisma', count: 3, folders: ['prisma/migrations', 'prisma/schema.prisma'], folderCount: 2 }],
    });
  });

  it('keeps the schema when a package depends on Prisma, or another language names it, or nothing can be said', () => {
    for (const dependency of ['@prisma/client', 'prisma', '@prisma/adapter-pg'])
      expect(classify(repo, [{ path: '.', name: 'shop', dependencies: deps(dependency) }]).roleOf('prisma/schema.prisma')).toBe('production');
    const python = { ...repo, 'requirements.txt': 'fastapi==0.110\nprisma==0.13.1\n' };
    expect(classify(python, [{ path: '.', name: 'shop', dependencies: deps('next') }]).roleOf('prisma/schema.prisma')).toBe('production');
    const go = { ...repo, 'go.mod': 'module shop\n\nrequire github.com/steebchen/prisma-client-go v0.37.0\n' };
    expect(classify(go, [{ path: '.', name: 'shop', dependencies: deps('next') }]).roleOf('prisma/schema.prisma')).toBe('production');
    // No packages, or packages whose dependencies are unknown.
    expect(classify(repo, []).roleOf('prisma/schema.prisma')).toBe('production');
    expect(classify(repo, [{ path: '.', name: 'shop' }]).roleOf('prisma/schema.prisma')).toBe('production');
  });

  it('does not count a set-aside package (an example) as a use', () => {
    const texts = { ...repo, 'examples/prisma-demo/package.json': '{"name":"prisma-demo"}', 'examples/prisma-demo/index.ts': 'export {};\n' };
    const packages = [
      { path: '.', name: 'shop', dependencies: deps('next') },
      { path: 'examples/prisma-demo', name: 'prisma-demo', dependencies: deps('@prisma/client') },
    ];
    expect(classify(texts, packages).roleOf('prisma/schema.prisma')).toBe('unused');
  });

  it('leaves a schema another rule or the config decided alone', () => {
    const packages = [{ path: '.', name: 'shop', dependencies: deps('next') }];
    expect(classify(repo, packages, { overrides: { 'prisma/**': 'production' } }).roleOf('prisma/schema.prisma')).toBe('production');
    const texts = { ...repo, 'examples/blog/schema.prisma': SCHEMA };
    expect(classify(texts, packages).roleOf('examples/blog/schema.prisma')).toBe('example');
  });
});

const KYSELY_UP =
  "import { Kysely } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.createTable('articles').addColumn('id', 'text', (c) => c.primaryKey()).execute();\n}\n";
/** A Kysely migration in plain JavaScript that imports nothing. */
const KYSELY_MJS =
  "export async function up(db) {\n  await db.schema\n    .createTable('comments')\n    .addColumn('id', 'text', (col) => col.primaryKey())\n    .execute();\n}\n";
const KNEX_UP = "exports.up = (knex) => knex.schema.createTable('users', (t) => {\n  t.uuid('id').primary();\n});\n";

describe('unused files: Kysely migrations', () => {
  const packages = [{ path: 'packages/core', name: '@app/core', dependencies: deps('kysely', 'kysely-data-api') }];
  const repo = {
    'packages/core/package.json': '{"name":"@app/core"}',
    'packages/core/migrations/001_articles.ts': KYSELY_UP,
    'packages/core/migrations/002_comments.mjs': KYSELY_MJS,
    'packages/core/src/sql.ts': "import { Kysely } from 'kysely';\nexport const db = new Kysely<{}>({} as never);\n",
    'stacks/Api.ts':
      "import { Api } from 'sst/constructs';\nexport function API({ stack }) {\n  new Api(stack, 'api', { routes: { 'GET /': 'packages/core/src/lambda.handler' } });\n}\n",
  };

  it('sets aside a migrations folder of Kysely migrations that nothing runs', () => {
    const map = classify(repo, packages);
    expect(map.roleOf('packages/core/migrations/001_articles.ts')).toBe('unused');
    expect(map.roleOf('packages/core/migrations/002_comments.mjs')).toBe('unused');
    expect(map.roleOf('packages/core/src/sql.ts')).toBe('production');
    expect(summariseRoles(map).find((r) => r.role === 'unused')?.tools).toEqual([
      { tool: 'kysely', count: 2, folders: ['packages/core/migrations'], folderCount: 1 },
    ]);
  });

  it.each([
    [
      'a Migrator in a script, whatever its role',
      {
        'scripts/migrate.ts':
          "import { FileMigrationProvider, Migrator } from 'kysely';\nconst migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });\n",
      },
    ],
    [
      'a Migrator in the migrations folder itself',
      {
        'packages/core/migrations/run.ts':
          "import { Kysely, Migrator } from 'kysely';\nexport async function migrate(db: Kysely<any>, provider: any) {\n  await new Migrator({ db, provider }).migrateToLatest();\n}\n",
      },
    ],
    ['a package.json script running kysely-ctl', { 'package.json': '{"scripts":{"db:migrate":"npx kysely-ctl migrate:latest"}}' }],
    ['a kysely-ctl configuration', { '.config/kysely.config.ts': "import { defineConfig } from 'kysely-ctl';\nexport default defineConfig({});\n" }],
    [
      "SST v2's RDS construct naming the folder",
      {
        'stacks/Database.ts':
          "new RDS(stack, 'db', {\n  engine: 'postgresql11.13',\n  defaultDatabaseName: 'main',\n  migrations: 'packages/core/migrations',\n});\n",
      },
    ],
    ['a construct naming the folder by a computed path', { 'stacks/Database.ts': "new RDS(stack, 'db', { migrations: path.join(root, 'migrations') });\n" }],
  ])('keeps them when something runs them: %s', (_name, more) => {
    expect(classify({ ...repo, ...more }, packages).roleOf('packages/core/migrations/001_articles.ts')).toBe('production');
  });

  it('keeps them when a package depends on kysely-ctl or another migration runner', () => {
    for (const runner of ['kysely-ctl', 'kysely-migration-cli'])
      expect(classify(repo, [{ ...packages[0]!, dependencies: deps('kysely', runner) }]).roleOf('packages/core/migrations/001_articles.ts')).toBe('production');
  });

  it('a construct naming another folder, or a longer property name, does not count', () => {
    const more = {
      'stacks/Database.ts': "new RDS(stack, 'db', { migrations: 'services/billing/migrations' });\n",
      'src/config.ts': "export const settings = { migrationsFolder: 'packages/core/migrations' };\n",
    };
    expect(classify({ ...repo, ...more }, packages).roleOf('packages/core/migrations/001_articles.ts')).toBe('unused');
  });

  it('keeps a folder that is not all Kysely: Knex migrations, SQL files, a Knex migration among them', () => {
    expect(classify({ 'package.json': '{}', 'migrations/001_users.js': KNEX_UP }, packages).roleOf('migrations/001_users.js')).toBe('production');
    const withSql = { ...repo, 'packages/core/migrations/003_index.sql': 'CREATE INDEX a ON articles (id);\n' };
    expect(classify(withSql, packages).roleOf('packages/core/migrations/001_articles.ts')).toBe('production');
    const mixed = { ...repo, 'packages/core/migrations/003_users.js': KNEX_UP };
    expect(classify(mixed, packages).roleOf('packages/core/migrations/001_articles.ts')).toBe('production');
  });
});

describe('unused files: the Analysis notes', () => {
  it('give one line per tool with the reason, after the other roles', () => {
    const model = {
      files: {
        roles: [
          { role: 'test', count: 2, folders: ['src'], folderCount: 1 },
          {
            role: 'unused',
            count: 12,
            folders: ['packages/core/migrations', 'prisma/schema.prisma'],
            folderCount: 2,
            tools: [
              { tool: 'kysely', count: 11, folders: ['packages/core/migrations'], folderCount: 1 },
              { tool: 'prisma', count: 1, folders: ['prisma/schema.prisma'], folderCount: 1 },
            ],
          },
        ],
        droppedEvidence: 0,
        droppedFacts: 0,
      },
    } as unknown as Model;
    const lines = setAsideView(model).lines;
    expect(lines.map((l) => [l.count, l.count === 1 ? l.one : l.many, l.folders, l.why])).toEqual([
      [2, 'test files', ['src'], undefined],
      [
        11,
        'unused Kysely migrations',
        ['packages/core/migrations'],
        'not read, as nothing runs them: no Kysely Migrator, no kysely-ctl configuration, no infrastructure construct naming the folder',
      ],
      [
        1,
        'unused Prisma schema or migration file',
        ['prisma/schema.prisma'],
        'not read, as no package depends on Prisma: nothing in the repository uses its models',
      ],
    ]);
  });
});

describe('unused files in real runs', () => {
  /** Every file a fact of the model cites. */
  const cited = (model: Model) =>
    new Set([...model.schemas, ...model.dataStores, ...model.security, ...model.techStack, ...model.decisions].flatMap((f) => f.evidence.map((e) => e.file)));

  it('a Payload app with the Prisma schema of the system it replaced: no fact from the schema or its migrations', async () => {
    const model = await analyseFixture('payload-prisma-leftover');
    const files = cited(model);
    expect([...files].filter((f) => f.startsWith('prisma/'))).toEqual([]);
    expect(model.schemas.map((e) => e.id)).toContain('entity:books');
    expect(model.schemas.map((e) => e.id)).not.toContain('entity:supplier');
    expect(model.techStack.map((t) => t.id)).not.toContain('tech:prisma');
    expect(model.files!.roles.find((r) => r.role === 'unused')?.tools).toEqual([
      { tool: 'prisma', count: 4, folders: ['prisma/migrations', 'prisma/schema.prisma'], folderCount: 2 },
    ]);
  });

  it('an SST app with Kysely migrations nothing runs: no entity from them', async () => {
    const model = await analyseFixture('sst-kysely-leftover');
    expect(model.schemas.map((e) => e.id)).toEqual(['entity:link']);
    expect([...cited(model)].filter((f) => f.includes('/migrations/'))).toEqual([]);
    expect(model.files!.roles.find((r) => r.role === 'unused')?.tools).toEqual([
      { tool: 'kysely', count: 3, folders: ['packages/core/migrations'], folderCount: 1 },
      // The starter's Kysely client, which no function reaches (test/unreachable-roles.test.ts).
      { tool: 'unreachable', count: 1, folders: ['packages/core/src'], folderCount: 1 },
    ]);
  });

  it('Kysely migrations a Migrator runs still give their tables', async () => {
    const model = await analyseFixture('kysely-migrator-tickets');
    expect(model.schemas.map((e) => [e.id, e.evidence.map((x) => x.file)])).toEqual([
      ['entity:agents', ['src/db.ts', 'src/migrations/0001_agents.ts']],
      ['entity:tickets', ['src/db.ts', 'src/migrations/0002_tickets.ts']],
    ]);
    expect(model.files!.roles.map((r) => r.role)).not.toContain('unused');
  });
});

describe('unused files: other reasons', () => {
  it('unused files of no tool (another rule, or the config) get a line of their own, with their folders', () => {
    const model = {
      files: {
        roles: [
          {
            role: 'unused',
            count: 5,
            folders: ['app/plugin/poem', 'prisma/schema.prisma'],
            folderCount: 2,
            tools: [{ tool: 'prisma', count: 1, folders: ['prisma/schema.prisma'], folderCount: 1 }],
          },
        ],
        droppedEvidence: 0,
        droppedFacts: 0,
      },
    } as unknown as Model;
    expect(setAsideView(model).lines.map((l) => [l.count, l.count === 1 ? l.one : l.many, l.folders])).toEqual([
      [1, 'unused Prisma schema or migration file', ['prisma/schema.prisma']],
      [4, 'unused files', ['app/plugin/poem']],
    ]);
  });
});
