/**
 * File roles (src/pipeline/roles.ts): each rule, the config's corrections, `.gitattributes`, the
 * workspace, the evidence guard after analysis, and what analyzers see in a real run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineAnalyzer } from '../src/analyzer/define.js';
import { attributesRole, classifyFiles, folderRole, nameRole, packageRole, parseAttributes, summariseRoles } from '../src/pipeline/roles.js';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from './helpers.js';

afterEach(removeTemps);

const roleOf = (file: string, inputs: Partial<Parameters<typeof classifyFiles>[0]> = {}) => classifyFiles({ files: [file], ...inputs }).roleOf(file);

describe('file roles: folders', () => {
  it.each([
    ['apps/api/src/orders.ts', 'production'],
    ['.github/workflows/ci.yml', 'production'],
    ['apps/api/Dockerfile', 'production'],
    ['apps/api/test/orders.ts', 'test'],
    ['src/__tests__/a.ts', 'test'],
    ['src/__test__/x.ts', 'test'],
    ['integration-tests/docker-compose.yml', 'test'],
    ['src/__mocks__/fs.ts', 'test'],
    ['e2e/login.ts', 'e2e'],
    ['cypress/support/commands.ts', 'e2e'],
    ['test/fixtures/app.ts', 'test'],
    ['src/__fixtures__/order.json', 'fixture'],
    ['examples/supabase/src/auth.ts', 'example'],
    ['demo/index.ts', 'example'],
    ['playground/app.ts', 'example'],
    ['_templates/component/new/index.ejs.t', 'template'],
    ['tools/generators/resource/files/index.ts', 'tooling'],
    ['packages/plugin/src/generators/app/files/main.ts', 'template'],
    ['packages/plugin/src/schematics/templates/service.ts', 'template'],
    ['src/templates/invoice.ts', 'production'],
    ['src/__generated__/graphql.ts', 'generated'],
    ['third_party/lodash.js', 'vendored'],
    ['.yarn/releases/yarn-4.1.0.cjs', 'vendored'],
    ['packages/bench/src/run.ts', 'benchmark'],
    ['benchmarks/orders.ts', 'benchmark'],
    ['scripts/seed.ts', 'tooling'],
    ['docs/adr/0001-x.md', 'documentation'],
    ['docs/guide/setup.yaml', 'documentation'],
    ['docs/openapi.yaml', 'documentation'],
    ['apps/docs/api-reference/openapi.json', 'documentation'],
    ['docs/swagger.json', 'documentation'],
    ['doc/swagger.yaml', 'documentation'],
    ['documentation/events.asyncapi.yml', 'documentation'],
    ['api/openapi.yaml', 'production'],
    ['services/orders/openapi.yml', 'production'],
    ['examples/api/openapi.yaml', 'example'],
    ['docker/dev/compose.yml', 'tooling'],
    ['docker/local/docker-compose.yaml', 'tooling'],
    ['development/docker-compose.yml', 'tooling'],
    ['docker/prod/compose.yml', 'production'],
    ['docker-compose.dev.yml', 'production'],
    ['deploy/dev/docker-compose.yml', 'production'],
    ['environments/local/compose.yaml', 'production'],
    ['docker/dev/Dockerfile', 'production'],
    ['src/local/auth.strategy.ts', 'production'],
    ['.devcontainer/devcontainer.json', 'tooling'],
    ['.devcontainer/docker-compose.yml', 'tooling'],
    ['.devcontainer/Dockerfile', 'tooling'],
    ['src/config/testing/mongoTest.ts', 'test'],
    ['src/seeds/01-users.js', 'fixture'],
    ['src/seeders/test.seeder.ts', 'fixture'],
    ['loadtests/locustfile.py', 'benchmark'],
    ['load-gen/robot-shop.py', 'benchmark'],
    ['src/ledger/writer/src/main/java/anthos/samples/bank/Ledger.java', 'production'],
    ['app/src/main/kotlin/com/example/demo/Application.kt', 'production'],
    ['app/src/test/java/com/example/demo/ApplicationTests.java', 'test'],
    ['examples/app/src/main/java/com/acme/App.java', 'example'],
  ])('%s is %s', (file, role) => {
    expect(roleOf(file)).toBe(role);
  });

  it('folder names that are often production code give a role only at the root or a package root', () => {
    const packages = [
      { path: 'packages/cli', name: 'cli' },
      { path: 'services/client', name: 'client' },
    ];
    for (const [file, role] of [
      ['packages/cli/samples/blog/schema.prisma', 'example'],
      ['services/client/mock/index.js', 'test'],
      ['scripts/deploy.sh', 'tooling'],
      ['src/vendors/vendors.controller.ts', 'production'],
      ['lib/services/vendor/infra/vendor-service.ts', 'production'],
      ['public/vendor/chart.js', 'vendored'],
      ['src/modules/fixtures/fixtures.service.ts', 'production'],
      ['src/samples/samples.controller.ts', 'production'],
      ['app/(marketing)/demo/page.tsx', 'production'],
      ['app/api/playground/route.ts', 'production'],
      ['src/tools/search.ts', 'production'],
      ['src/mock/payment-gateway.ts', 'production'],
      ['src/testing/ab-testing.service.ts', 'production'],
      ['src/scripts/nightly-digest.ts', 'production'],
      ['mysql/scripts/20-ratings.sql', 'production'],
      ['src/frontend/static/scripts/app.js', 'production'],
      ['infra/envs/test/main.tf', 'production'],
      ['k8s/overlays/testing/kustomization.yaml', 'production'],
      ['deploy/demo/values.yaml', 'production'],
      ['tools/docker/docker-compose.yml', 'production'],
      ['scripts/Dockerfile', 'production'],
      ['spec/openapi.yaml', 'production'],
      ['spec/support/server.js', 'test'],
    ] as const) {
      expect(roleOf(file, { packages }), file).toBe(role);
    }
  });

  it('gives the outermost folder the say', () => {
    expect(folderRole('examples/app/test/x.ts')).toEqual({ role: 'example', folder: 'examples' });
  });

  it('sets a whole docs folder aside, an API specification written there included, unless the config says otherwise', () => {
    const files = ['docs/openapi.json', 'docs/index.md', 'packages/api/src/app.ts'];
    const map = classifyFiles({ files });
    expect(map.roleOf('docs/openapi.json')).toBe('documentation');
    expect(map.sourceOf('docs/openapi.json')).toBe('folder');
    expect(classifyFiles({ files, overrides: { 'docs/openapi.json': 'production' } }).roleOf('docs/openapi.json')).toBe('production');
  });

  it('keeps a docs folder that is a workspace package (a docs site) as production', () => {
    expect(roleOf('apps/docs/src/page.ts', { packages: [{ path: 'apps/docs', name: 'docs' }] })).toBe('production');
    expect(roleOf('apps/docs/src/page.ts')).toBe('documentation');
  });
});

describe('file roles: names', () => {
  it.each([
    ['src/orders.service.ts', undefined],
    ['src/orders.service.spec.ts', 'test'],
    ['src/orders.test.tsx', 'test'],
    ['src/Button.stories.tsx', 'test'],
    ['test/app.e2e-spec.ts', 'e2e'],
    ['src/login.e2e.ts', 'e2e'],
    ['src/orders.bench.ts', 'benchmark'],
    ['src/resource.template.ts', 'template'],
    ['src/email.hbs', undefined],
    ['templates/sections/overview.njk', undefined],
    ['src/types.generated.ts', 'generated'],
    ['public/jquery.min.js', 'generated'],
    ['README.md', 'documentation'],
    ['apps/api/CHANGELOG.md', 'documentation'],
    ['.env.test', 'test'],
    ['.env.testing', 'test'],
    ['.env.production', undefined],
    ['src/prisma/seed.ts', 'fixture'],
    ['prisma/seed.sql', 'fixture'],
    ['src/seedling.ts', undefined],
    ['src/config/testing/mongoTest.ts', 'test'],
    ['src/OrderServiceTests.java', 'test'],
    ['src/contest.ts', undefined],
    ['services/checkout/main_test.go', 'test'],
    ['services/reco/test_server.py', 'test'],
    ['services/reco/conftest.py', 'test'],
    ['src/jest.setup.ts', 'test'],
    ['cypress.config.ts', 'e2e'],
    ['backend/seeder.js', 'fixture'],
    ['app/api/cms/test.js', undefined],
    ['apps/queue/src/test.ts', undefined],
    ['src/testing-library.ts', undefined],
    ['src/contest.ts', undefined],
  ])('%s is %s', (file, role) => {
    expect(nameRole(file)).toBe(role);
  });
});

describe('file roles: scripts named test', () => {
  const texts: Record<string, string> = {
    // Run by hand to enqueue fake jobs: imports, top-level code, no export.
    'apps/queue/src/test.ts':
      "import { bookingQueue } from './queues/booking';\n\n(async () => {\n  await bookingQueue.add('booking', { seat: '1A' });\n})();\n",
    'src/server/email-templates/test.ts': "import { renderOtp } from './index';\n\nif (require.main === module) {\n  void renderOtp({ code: 'ABC' });\n}\n",
    // A router of `/test` routes, loaded by the framework from its folder.
    'app/api/cms/test.js': "const test = new LinRouter({ prefix: '/cms/test' });\ntest.get('/', (ctx) => {});\nexport { test };\n",
    // A Lambda handler the infrastructure names (`functions/session/test.handler`).
    'functions/session/test.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
    'src/legacy/test.js': "const express = require('express');\nmodule.exports = express.Router();\n",
    '.github/workflows/test.yml': 'on: push\n',
    'config/test.json': '{ "port": 0 }',
    'cli/test.py': 'import click\n',
    'src/contest.ts': 'console.log(1);\n',
  };
  const map = classifyFiles({ files: Object.keys(texts), read: (f) => texts[f] });

  it.each([
    ['apps/queue/src/test.ts', 'test'],
    ['src/server/email-templates/test.ts', 'test'],
    ['app/api/cms/test.js', 'production'],
    ['functions/session/test.ts', 'production'],
    ['src/legacy/test.js', 'production'],
    ['.github/workflows/test.yml', 'production'],
    ['config/test.json', 'production'],
    // Python's test modules are tests whatever they hold (a Flask CLI's test command runs pytest).
    ['cli/test.py', 'test'],
    ['src/contest.ts', 'production'],
  ])('%s is %s', (file, role) => {
    expect(map.roleOf(file)).toBe(role);
  });
});

describe('file roles: workspace packages', () => {
  it.each([
    [{ path: 'apps/web-e2e', name: '@acme/web-e2e' }, 'e2e'],
    [{ path: 'packages/benchmarks', name: 'benchmarks' }, 'benchmark'],
    [{ path: 'packages/perf', name: '@acme/bench' }, 'benchmark'],
    [{ path: 'apps/playground', name: 'playground' }, 'example'],
    [{ path: 'packages/test-utils', name: '@acme/test-utils' }, 'test'],
    [{ path: 'libs/shared/util-testing', name: 'util-testing' }, 'test'],
    [{ path: 'packages/mocks', name: '@acme/mocks' }, 'test'],
    [{ path: 'apps/ab-testing-api', name: '@acme/ab-testing-api' }, undefined],
    [{ path: 'apps/api', name: '@acme/api' }, undefined],
    [{ path: 'apps/contest', name: 'contest' }, undefined],
    [{ path: '.', name: 'e2e' }, undefined],
  ])('%o is %s', (pkg, role) => {
    expect(packageRole(pkg)).toBe(role);
  });

  it('a playwright-named package that runs Playwright in production is a service, not end-to-end tests', () => {
    const dep = (field: 'dependencies' | 'devDependencies') => ({ range: '^1.45.0', field, line: 1 });
    const scraper = { path: 'apps/playwright-service', name: 'playwright-scraper-api', dependencies: new Map([['playwright', dep('dependencies')]]) };
    expect(packageRole(scraper)).toBeUndefined();
    const tests = { path: 'apps/playwright', name: 'playwright', dependencies: new Map([['@playwright/test', dep('devDependencies')]]) };
    expect(packageRole(tests)).toBe('e2e');
    const both = { ...scraper, dependencies: new Map([...scraper.dependencies, ['@playwright/test', dep('devDependencies')]]) };
    expect(packageRole(both)).toBe('e2e');
    expect(packageRole({ path: 'apps/web-playwright', name: 'web-playwright', dependencies: new Map([['playwright', dep('devDependencies')]]) })).toBe('e2e');
  });

  it("a scaffolding package's template folder (a create-* name) is templates; an app's templates folder is not", () => {
    const packages = [
      { path: 'cli', name: 'create-acme-app', scaffolds: true },
      { path: 'apps/mailer', name: 'mailer' },
    ];
    expect(roleOf('cli/template/extras/src/server/db/schema.ts', { packages })).toBe('template');
    expect(roleOf('cli/templates/base/prisma/schema.prisma', { packages })).toBe('template');
    expect(roleOf('cli/src/index.ts', { packages })).toBe('production');
    expect(roleOf('apps/mailer/templates/welcome.ts', { packages })).toBe('production');
  });

  it('sets the whole folder of such a package aside, Dockerfile and compose included', () => {
    const packages = [{ path: 'apps/web-e2e', name: 'web-e2e' }];
    expect(roleOf('apps/web-e2e/src/support/app.po.ts', { packages })).toBe('e2e');
    expect(roleOf('apps/web-e2e/docker-compose.yml', { packages })).toBe('e2e');
  });
});

describe('file roles: .gitattributes', () => {
  const attrs = [
    {
      file: '.gitattributes',
      text: '# vendored\nlegacy/** linguist-vendored\n*.gen.ts linguist-generated=true\nexamples/reference/** -linguist-vendored\ndocs/** linguist-documentation=false\n',
    },
    { file: 'packages/ui/.gitattributes', text: 'assets/* linguist-vendored\n' },
  ];
  const rules = parseAttributes(attrs);

  it('sets a role, honours nested files relative to their folder, and a pattern that matches a folder', () => {
    expect(attributesRole('legacy/a/b.ts', rules)).toBe('vendored');
    expect(attributesRole('packages/ui/assets/icons.js', rules)).toBe('vendored');
    expect(attributesRole('assets/icons.js', rules)).toBeUndefined();
    expect(attributesRole('src/api.gen.ts', rules)).toBe('generated');
  });

  it('turns a role off with -attr or attr=false, which makes the file production', () => {
    expect(attributesRole('examples/reference/src/main.ts', rules)).toBe(false);
    expect(roleOf('examples/reference/src/main.ts', { gitattributes: attrs })).toBe('production');
    expect(roleOf('docs/guide.md', { gitattributes: attrs })).toBe('production');
    expect(roleOf('examples/other/src/main.ts', { gitattributes: attrs })).toBe('example');
  });

  it('the last line wins', () => {
    const r = parseAttributes([{ file: '.gitattributes', text: 'lib/** linguist-vendored\nlib/own/** !linguist-vendored\n' }]);
    expect(attributesRole('lib/x.js', r)).toBe('vendored');
    expect(attributesRole('lib/own/x.js', r)).toBe(false);
  });
});

describe('file roles: config corrections', () => {
  it('overrides every other rule, a folder pattern covers what is under it, and the last entry wins', () => {
    const overrides = { 'examples/reference-app/**': 'production', legacy: 'vendored', 'legacy/keep/**': 'production' } as const;
    const map = classifyFiles({
      files: ['examples/reference-app/src/main.ts', 'examples/other/main.ts', 'legacy/a.ts', 'legacy/keep/b.ts'],
      overrides,
    });
    expect(map.roleOf('examples/reference-app/src/main.ts')).toBe('production');
    expect(map.sourceOf('examples/reference-app/src/main.ts')).toBe('config');
    expect(map.roleOf('examples/other/main.ts')).toBe('example');
    expect(map.roleOf('legacy/a.ts')).toBe('vendored');
    expect(map.roleOf('legacy/keep/b.ts')).toBe('production');
  });
});

describe('file roles: sample Prisma schemas', () => {
  const texts: Record<string, string> = {
    'packages/cli/predefined/blog.prisma': 'datasource db {\n  provider = "mysql"\n}\nmodel Post { id Int @id }\n',
    'packages/cli/predefined/crm.prisma': '  datasource db {\n  provider = "mongodb"\n}\n',
    'prisma/schema/base.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
    'prisma/schema/orders.prisma': 'model Order { id Int @id }\n',
  };
  it('a folder of schemas that each declare a datasource is samples; one schema split over files is not', () => {
    const map = classifyFiles({ files: Object.keys(texts), read: (f) => texts[f] });
    expect(map.roleOf('packages/cli/predefined/blog.prisma')).toBe('example');
    expect(map.roleOf('packages/cli/predefined/crm.prisma')).toBe('example');
    expect(map.roleOf('prisma/schema/base.prisma')).toBe('production');
    expect(map.roleOf('prisma/schema/orders.prisma')).toBe('production');
  });
});

describe('file roles: development images and compose files', () => {
  it('a Dockerfile.dev beside a Dockerfile, and a dev compose file beside a plain one that builds only from it, are tooling', () => {
    const texts: Record<string, string> = {
      Dockerfile: 'FROM node:20\nCMD ["node", "dist/main.js"]\n',
      'Dockerfile.dev': 'FROM node:20\nCMD ["npm", "run", "start:dev"]\n',
      'docker-compose.yaml': 'services:\n  app:\n    build: .\n',
      'docker-compose.dev.yaml':
        'services:\n  app:\n    build:\n      context: .\n      dockerfile: "Dockerfile.dev" # watch mode\n  db:\n    image: postgres:16\n',
      // Only the databases a developer runs the code against: what the system needs, kept.
      'docker-compose.local.yaml': 'services:\n  db:\n    image: postgres:16\n',
      // The only compose file of its folder, even named for development, describes how it runs.
      'api/docker-compose.dev.yml': 'services:\n  api:\n    build:\n      dockerfile: Dockerfile.dev\n',
      'api/Dockerfile.dev': 'FROM node:20\n',
      'web/Dockerfile.dev': 'FROM node:20\n',
    };
    const map = classifyFiles({ files: Object.keys(texts), read: (f) => texts[f] });
    const roles = Object.fromEntries(Object.keys(texts).map((f) => [f, map.roleOf(f)]));
    expect(roles).toEqual({
      Dockerfile: 'production',
      'Dockerfile.dev': 'tooling',
      'docker-compose.yaml': 'production',
      'docker-compose.dev.yaml': 'tooling',
      'docker-compose.local.yaml': 'production',
      'api/docker-compose.dev.yml': 'production',
      'api/Dockerfile.dev': 'production',
      'web/Dockerfile.dev': 'production',
    });
  });
});

describe('file roles: documentation sites', () => {
  it('a folder with a Mintlify, EventCatalog or Docusaurus configuration is documentation, its OpenAPI copy and package.json included', () => {
    const texts: Record<string, string> = {
      'apps/docs/docs.json': '{ "$schema": "https://mintlify.com/docs.json", "name": "Notes" }',
      'apps/docs/api-reference/openapi.json': '{ "openapi": "3.0.0" }',
      'event-catalog/eventcatalog.config.js': 'module.exports = {};',
      'event-catalog/package.json': '{ "name": "catalog" }',
      'website/docusaurus.config.ts': 'export default {};',
      'website/src/pages/index.tsx': 'export default () => null;',
      'guide/.vitepress/config.ts': 'export default {};',
      'guide/index.md': '# Guide',
      'apps/web/docs.json': '{ "pages": [] }',
      'apps/web/src/app.ts': 'export {};',
      'mkdocs.yml': 'site_name: notes',
      'src/index.ts': 'export {};',
    };
    const map = classifyFiles({ files: Object.keys(texts), read: (f) => texts[f] });
    for (const f of Object.keys(texts).filter((f) => !f.startsWith('apps/web/') && !f.startsWith('src/') && f !== 'mkdocs.yml'))
      expect([f, map.roleOf(f)]).toEqual([f, 'documentation']);
    expect(map.roleOf('apps/web/docs.json')).toBe('production');
    expect(map.roleOf('src/index.ts')).toBe('production');
    expect(map.originOf('apps/docs/api-reference/openapi.json')).toBe('apps/docs');
  });

  it('a documentation site the repository declares as a workspace package is an app', () => {
    const files = ['docs/docusaurus.config.ts', 'docs/package.json'];
    const packages = [{ path: 'docs', name: '@notes/docs' }];
    expect(classifyFiles({ files, packages, declaredPackages: true }).roleOf('docs/docusaurus.config.ts')).toBe('production');
    expect(classifyFiles({ files, packages, declaredPackages: false }).roleOf('docs/docusaurus.config.ts')).toBe('documentation');
  });

  it("drizzle-kit's out folder holds generated copies of the schema, unless the config's schema lives there", () => {
    const texts: Record<string, string> = {
      'drizzle.config.ts': "export default defineConfig({\n  dialect: 'postgresql',\n  schema: './src/db/schema.ts',\n  out: './drizzle',\n});\n",
      'drizzle/schema.ts': "import { pgTable } from 'drizzle-orm/pg-core';\n",
      'drizzle/relations.ts': "import { relations } from 'drizzle-orm';\n",
      'drizzle/0000_init.sql': 'create table a (id int);\n',
      'src/db/schema.ts': "import { pgTable } from 'drizzle-orm/pg-core';\n",
      'apps/api/drizzle.config.ts': "export default { schema: './drizzle/schema.ts', out: './drizzle' };\n",
      'apps/api/drizzle/schema.ts': "import { pgTable } from 'drizzle-orm/pg-core';\n",
    };
    const map = classifyFiles({ files: Object.keys(texts), read: (f) => texts[f] });
    expect(map.roleOf('drizzle/schema.ts')).toBe('generated');
    expect(map.roleOf('drizzle/relations.ts')).toBe('generated');
    expect(map.roleOf('drizzle/0000_init.sql')).toBe('production');
    expect(map.roleOf('src/db/schema.ts')).toBe('production');
    expect(map.roleOf('apps/api/drizzle/schema.ts')).toBe('production');
  });

  it('a Remix stack’s remix.init hook is a template', () => {
    expect(roleOf('remix.init/index.js')).toBe('template');
  });
});

describe('file roles: summary', () => {
  it('counts each set-aside role under the folder that gave it, one example app each', () => {
    const map = classifyFiles({
      files: ['examples/a/x.ts', 'examples/a/y.ts', 'examples/b/z.ts', 'src/a.spec.ts', 'src/b.spec.ts', 'src/main.ts', 'apps/web-e2e/tests/a.ts'],
      packages: [{ path: 'apps/web-e2e', name: 'web-e2e' }],
    });
    expect(summariseRoles(map)).toEqual([
      { role: 'test', count: 2, folders: ['src'], folderCount: 1 },
      { role: 'e2e', count: 1, folders: ['apps/web-e2e'], folderCount: 1 },
      { role: 'example', count: 3, folders: ['examples/a', 'examples/b'], folderCount: 2 },
    ]);
  });

  it('names the languages archdoc does not read among a role’s files (a Python load test)', () => {
    const map = classifyFiles({ files: ['benchmarks/locustfile.py', 'benchmarks/run.ts', 'benchmarks/load.js', 'src/main.ts'] });
    expect(summariseRoles(map)).toEqual([{ role: 'benchmark', count: 3, folders: ['benchmarks'], folderCount: 1, languages: ['Python'] }]);
  });
});

describe('file roles in a run', () => {
  it('analyzers see production files only; set-aside packages are no components; the model says what was set aside', async () => {
    const seen: string[] = [];
    const spy = defineAnalyzer({
      meta: { name: 'spy', description: 'records what it sees', produces: [] },
      analyze(ctx) {
        seen.push(...ctx.files);
        expect(ctx.has('apps/api/test/a.spec.ts')).toBe(false);
        expect(ctx.roleOf('apps/api/test/a.spec.ts')).toBe('test');
        // Module resolution never leads into a set-aside file.
        expect(ctx.resolveImport('apps/api/src/main.ts', '../test/helpers')).toBeUndefined();
      },
    });
    const root = tempRepo('roles-run', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*', 'examples/*'] }),
      'apps/api/package.json': JSON.stringify({ name: '@shop/api', dependencies: { express: '^4.21.0' } }),
      'apps/api/src/main.ts': "import express from 'express';\nconst app = express();\napp.get('/orders', (_q, r) => r.json([]));\napp.listen(3000);\n",
      'apps/api/test/helpers.ts': 'export const x = 1;\n',
      'apps/api/test/a.spec.ts': "import express from 'express';\nconst app = express();\napp.get('/only-in-tests', (_q, r) => r.end());\n",
      'apps/web-e2e/package.json': JSON.stringify({ name: '@shop/web-e2e', devDependencies: { '@playwright/test': '^1.48.0' } }),
      'examples/demo/package.json': JSON.stringify({ name: 'demo', dependencies: { express: '^4.21.0' } }),
      'examples/demo/index.ts': "import express from 'express';\nconst app = express();\napp.get('/hello', (_q, r) => r.end());\napp.listen(8080);\n",
    });
    const model = await analyseRepo(root, { plugins: [spy] });
    expect(seen).toContain('apps/api/src/main.ts');
    expect(seen.filter((f) => f.includes('test/') || f.startsWith('examples/') || f.startsWith('apps/web-e2e/'))).toEqual([]);
    expect(model.components.map((c) => c.id)).toEqual(['component:apps/api']);
    expect(model.endpoints.map((e) => e.path)).toEqual(['/orders']);
    expect(model.files!.roles.map((r) => [r.role, r.count, r.folders])).toEqual([
      ['test', 2, ['apps/api/test']],
      ['e2e', 1, ['apps/web-e2e']],
      ['example', 2, ['examples/demo']],
    ]);
  });

  it('a config correction brings an example back as production', async () => {
    const root = tempRepo('roles-config', {
      'package.json': JSON.stringify({ name: 'ref', dependencies: { express: '^4.21.0' } }),
      'examples/reference/server.ts': "import express from 'express';\nconst app = express();\napp.get('/ref', (_q, r) => r.end());\napp.listen(3000);\n",
    });
    expect((await analyseRepo(root)).endpoints).toEqual([]);
    const model = await analyseRepo(root, { roles: { 'examples/reference/**': 'production' } });
    expect(model.endpoints.map((e) => e.path)).toEqual(['/ref']);
  });

  it('the guard drops evidence in set-aside files, and a fact left with none, and counts both', async () => {
    const leaky = defineAnalyzer({
      meta: { name: 'leaky', description: 'cites files it should not', produces: ['techStack'] },
      analyze(ctx) {
        const tech = (id: string, files: string[]) =>
          ctx.emit('techStack', { id, name: id, category: 'build', layer: 'tooling', usedBy: [], evidence: files.map((file) => ({ file, line: 1 })) });
        tech('tech:only-tests', ['src/a.spec.ts']);
        tech('tech:both', ['src/a.ts', 'examples/x/y.ts']);
        tech('tech:clean', ['src/a.ts']);
      },
    });
    const root = tempRepo('roles-guard', {
      'package.json': JSON.stringify({ name: 'g' }),
      'src/a.ts': 'export const a = 1;\n',
      'src/a.spec.ts': 'export const b = 2;\n',
      'examples/x/y.ts': 'export const c = 3;\n',
    });
    const model = await analyseRepo(root, { plugins: [leaky], analyzers: { 'tech-stack': false } });
    const ids = model.techStack.map((t) => t.id);
    expect(ids).toContain('tech:both');
    expect(ids).toContain('tech:clean');
    expect(ids).not.toContain('tech:only-tests');
    expect(model.techStack.find((t) => t.id === 'tech:both')!.evidence).toEqual([{ file: 'src/a.ts', line: 1 }]);
    expect(model.files).toMatchObject({ droppedEvidence: 2, droppedFacts: 1 });
  });

  it('documentation is read by the analyzers that declare it, and their evidence stays', async () => {
    const model = await analyseFixture('monorepo-set-aside');
    expect(model.documents.map((d) => d.id)).toContain('document:docs/adr/0001-use-postgresql.md');
    expect(model.files!.droppedEvidence).toBe(0);
  });
});

describe('file roles in a real run (api-descriptions fixture)', () => {
  it('a test script, the local development compose file and the dev container feed no fact', async () => {
    const model = await analyseFixture('api-descriptions');
    const cited = new Set(
      [...model.queues, ...model.dataStores, ...model.security, ...model.endpoints, ...model.techStack].flatMap((f) => f.evidence.map((e) => e.file)),
    );
    expect(cited.has('apps/api/src/queue.ts')).toBe(true);
    expect(cited.has('docker/prod/compose.yml')).toBe(true);
    for (const f of ['apps/api/src/test.ts', 'docker/dev/compose.yml', '.devcontainer/devcontainer.json', 'docs/openapi.json'])
      expect([f, cited.has(f)]).toEqual([f, false]);
    const summary = Object.fromEntries((model.files?.roles ?? []).map((s) => [s.role, s.folders]));
    expect(summary.test).toContain('apps/api/src');
    expect(summary.tooling).toEqual(expect.arrayContaining(['docker/dev', '.devcontainer', 'scripts']));
    expect(summary.documentation).toContain('docs');
  });
});
