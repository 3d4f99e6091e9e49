import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER, PACKAGES } from '../src/data/tech-catalogue.js';
import { loadConfig } from '../src/config/load.js';
import { emptyModel } from '../src/model/empty.js';
import { ModelSchema, type Model, type Tech } from '../src/model/schema.js';
import { analyse } from '../src/pipeline/analyse.js';
import { computeCoverage } from '../src/pipeline/coverage.js';
import { renderDocuments } from '../src/render/document.js';
import { fixturePath, removeTemps } from './helpers.js';

const tech = (name: string, usedBy: string[], file: string, line = 5): Tech => ({
  id: `tech:${name.toLowerCase()}`,
  name,
  category: 'framework',
  layer: 'backend',
  usedBy,
  evidence: [{ file, line }],
});

describe('coverage ledger: status and counts', () => {
  const model: Model = emptyModel({
    components: [
      { id: 'component:apps/api', name: 'api', kind: 'service', path: 'apps/api', tech: [], dependsOn: [], evidence: [] },
      { id: 'component:apps/web', name: 'web', kind: 'frontend', path: 'apps/web', tech: [], dependsOn: [], evidence: [] },
    ],
    endpoints: [
      { id: 'endpoint:GET /a', name: 'GET /a', method: 'GET', path: '/a', protocol: 'http', evidence: [], details: { framework: 'express' } },
      { id: 'endpoint:GET /b', name: 'GET /b', method: 'GET', path: '/b', protocol: 'http', evidence: [], details: { framework: 'express, koa' } },
      { id: 'endpoint:GET /c', name: 'GET /c', method: 'GET', path: '/c', protocol: 'http', evidence: [], details: { framework: 'fastify' } },
    ],
    techStack: [
      tech('Express', ['component:apps/api'], 'apps/api/package.json'),
      tech('hapi', ['component:apps/web'], 'apps/web/package.json', 7),
      tech('Prisma', ['component:apps/api'], 'apps/api/package.json', 9),
      tech('React', ['component:apps/web'], 'apps/web/package.json', 8),
      tech('Cloudflare Workers', [], 'infra/wrangler.toml', 0),
    ],
  });
  const cov = computeCoverage(model, []);
  const byName = (n: string) => cov.technologies.find((t) => t.name === n);

  it('a present and read technology counts the facts read from it', () => {
    expect(byName('Express')).toMatchObject({ category: 'api', status: 'read', facts: 2, components: ['component:apps/api'], paths: ['apps/api'] });
  });
  it('a read technology with nothing in the repository is read with 0 facts', () => {
    expect(byName('Prisma')).toMatchObject({ category: 'data', status: 'read', facts: 0 });
  });
  it('a present technology that no analyzer reads is unread, with where it is', () => {
    expect(byName('hapi')).toMatchObject({ category: 'api', status: 'unread', yields: 'routes', facts: 0, paths: ['apps/web'] });
    expect(byName('Cloudflare Workers')).toMatchObject({
      category: 'infrastructure',
      status: 'unread',
      components: [],
      paths: ['infra'],
      evidence: [{ file: 'infra/wrangler.toml', line: 0 }],
    });
  });
  it('an absent category has no entries, and technologies outside the ledger are left out', () => {
    expect(cov.technologies.filter((t) => t.category === 'messaging')).toEqual([]);
    expect(byName('React')).toBeUndefined();
  });
  it('the model with its coverage is valid', () => {
    expect(ModelSchema.safeParse({ ...model, coverage: cov }).success).toBe(true);
  });
});

describe('coverage ledger: code in other languages', () => {
  const files = [
    'src/checkoutservice/go.mod',
    'src/checkoutservice/main.go',
    'src/checkoutservice/money/money.go',
    'src/recommendation/requirements.txt',
    'src/recommendation/server.py',
    'scripts/tool.py',
    'setup.py',
    'web/index.ts',
    'Makefile',
  ];
  const cov = computeCoverage(emptyModel(), files);

  it('counts files by language, under the nearest folder with a language manifest, else the top folder', () => {
    expect(cov.languages).toEqual([
      {
        id: 'language:python',
        name: 'Python',
        files: 3,
        folders: [
          { path: '.', files: 1 },
          { path: 'scripts', files: 1 },
          { path: 'src/recommendation', files: 1 },
        ],
        evidence: [{ file: 'scripts/tool.py', line: 0 }],
        // HTTP routes are read in Python: none in an empty model (entities are counted only when found).
        routes: 0,
      },
      {
        id: 'language:go',
        name: 'Go',
        files: 2,
        folders: [{ path: 'src/checkoutservice', files: 2 }],
        evidence: [{ file: 'src/checkoutservice/main.go', line: 0 }],
        routes: 0,
      },
    ]);
  });
  it('counts only the files the role filter keeps', () => {
    expect(computeCoverage(emptyModel(), files, (f) => !f.startsWith('scripts/')).languages.find((l) => l.name === 'Python')).toMatchObject({ files: 2 });
  });
});

describe('coverage ledger: catalogue', () => {
  it('every ledger entry names a technology the catalogue detects', () => {
    const names = new Set(Object.values(PACKAGES).map((e) => e.name));
    for (const name of ['Terraform', 'Terragrunt', 'Helm', 'Kustomize', 'Prisma']) names.add(name);
    expect(Object.keys(LEDGER).filter((n) => !names.has(n))).toEqual([]);
  });
});

describe('coverage ledger: the document (fixtures/unread-tech)', () => {
  let model: Model;
  let text: string;
  beforeAll(async () => {
    const root = fixturePath('unread-tech');
    const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    model = (await analyse(config)).model;
    text = renderDocuments(model, config)[0]!.text;
  }, 60_000);
  afterAll(removeTemps);

  it('records Pothos as unread, AWS CDK, Next.js and tRPC as read, and the Go service as partly analysed (its route read)', () => {
    const status = Object.fromEntries((model.coverage?.technologies ?? []).map((t) => [t.name, `${t.status} ${t.facts}`]));
    expect(status).toMatchObject({ Pothos: 'unread 0', 'AWS CDK': 'read 2', 'Next.js': 'read 1', tRPC: 'read 3' });
    expect(model.coverage?.languages.map((l) => [l.name, l.files, l.folders.map((f) => f.path)])).toEqual([['Go', 2, ['services/inventory']]]);
  });
  it('says so where the reader looks, and in Analysis notes', () => {
    expect(text).toContain('Pothos is a dependency of `apps/web`, but its operations are not read: the API inventory is incomplete.');
    expect(text).not.toContain('tRPC is a dependency of `apps/web`, but its procedures are not read');
    expect(text).not.toContain('AWS CDK is a dependency of `infra`, but its resources are not read');
    expect(text).toContain('of the code in Go (2 files), only HTTP routes are read (1 route found), so anything else that code serves is missing here.');
    expect(text).toContain('- Present but not read: Pothos (`apps/web`): its operations are missing from the API inventory.');
    expect(text).toContain('- Go code in 1 folder (`services/inventory`: 2 files): only its HTTP routes were read (1 route found); the rest was not analysed.');
    expect(text).toContain('- Read: AWS CDK (2 resources), Next.js (1 route), tRPC (3 procedures).');
  });
  it('does not say "nothing detected" where something is present and unread', () => {
    expect(text).not.toContain('No infrastructure as code detected.');
    expect(text).not.toContain('No queues, topics or event channels detected.');
    expect(text).toContain(
      'of the code in Go (2 files), only HTTP routes are read (1 route found), so anything else that code sends or receives is missing here.',
    );
  });
});
