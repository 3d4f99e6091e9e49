import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

describe('documents: the repository’s own documentation, by kind', () => {
  let model: Model;
  beforeAll(async () => {
    const root = tempRepo('documents', {
      'package.json': JSON.stringify({ name: 'ledger', version: '1.0.0' }),
      'README.md': '<!-- badges -->\n\n# Ledger service\n\nKeeps the books.\n',
      'CHANGELOG.md': '# Changelog\n',
      'CONTRIBUTING.md': 'No heading here.\n',
      'docs/adr/0007-use-postgresql.md': '---\nstatus: accepted\n---\n\n# 7. Use PostgreSQL\n',
      'docs/adr/README.md': '# Decisions\n\nHow we record them.\n',
      'docs/adr/template.md': '# NNNN. Title\n',
      'docs/runbooks/restore.md': '# Restoring from backup\n',
      'docs/guide.md': '# Developer guide\n',
      'api/openapi.yaml': 'openapi: 3.0.3\ninfo: { title: Ledger, version: "1" }\npaths: {}\n',
      'events/asyncapi.json': '{"asyncapi":"2.6.0","info":{"title":"Ledger events","version":"1"},"channels":{}}',
      'test/fixtures/app/README.md': '# A fixture app\n',
      'src/index.ts': 'export const x = 1;\n',
    });
    model = await analyseRepo(root, { analyzers: { decisions: false } });
  }, 60_000);
  afterAll(removeTemps);

  const byFile = (file: string) => model.documents.find((d) => d.id === `document:${file}`);

  it('names each document by its first heading, with the heading’s line as evidence', () => {
    expect(byFile('README.md')).toMatchObject({ kind: 'readme', name: 'Ledger service', evidence: [{ file: 'README.md', line: 3 }] });
    expect(byFile('docs/runbooks/restore.md')).toMatchObject({ kind: 'runbook', name: 'Restoring from backup' });
    expect(byFile('docs/guide.md')).toMatchObject({ kind: 'docs', name: 'Developer guide' });
    expect(byFile('CHANGELOG.md')?.kind).toBe('changelog');
  });

  it('falls back to the path when a document has no heading', () => {
    expect(byFile('CONTRIBUTING.md')).toMatchObject({ kind: 'contributing', name: 'CONTRIBUTING.md', evidence: [{ file: 'CONTRIBUTING.md', line: 0 }] });
  });

  it('drops an ADR’s number from its title, and does not count the folder’s README or template as records', () => {
    expect(byFile('docs/adr/0007-use-postgresql.md')).toMatchObject({ kind: 'adr', name: 'Use PostgreSQL' });
    expect(byFile('docs/adr/README.md')?.kind).not.toBe('adr');
    expect(byFile('docs/adr/template.md')?.kind).toBe('docs');
  });

  it('lists API specifications by file, and leaves out test and fixture trees', () => {
    expect(byFile('api/openapi.yaml')?.kind).toBe('openapi');
    expect(byFile('events/asyncapi.json')?.kind).toBe('asyncapi');
    expect(byFile('test/fixtures/app/README.md')).toBeUndefined();
  });
});

describe('documents: a component’s responsibility from its README', () => {
  let model: Model;
  beforeAll(async () => {
    const root = tempRepo('documents-readme', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['services/*'] }),
      'README.md': '# Shop\n\nThe whole shop: orders, billing and notices.\n',
      // A manifest description wins over the README.
      'services/orders/package.json': JSON.stringify(
        { name: '@shop/orders', description: 'Takes orders and announces them', dependencies: { express: '4' } },
        null,
        2,
      ),
      'services/orders/README.md': '# Orders\n\nSomething else entirely, from the README.\n',
      'services/orders/src/main.ts': "import express from 'express';\nexpress().listen(3000);\n",
      // No description: the README's first paragraph, Markdown read as text, secrets masked.
      'services/billing/package.json': JSON.stringify({ name: '@shop/billing', description: 'description' }),
      'services/billing/README.md':
        '# Billing\n\n[![CI](https://ci/badge.svg)](https://ci)\n\nCharges **customers** for their [orders](../orders) with Stripe (test key sk_live_51HxQjYEXAMPLEkeyABCDEFGHIJKLMNOPQRSTUVWXYZ0123).\n\n## Setup\n',
      'services/billing/src/index.ts': 'export const charge = 1;\n',
      // Generator boilerplate: nothing.
      'services/notices/package.json': JSON.stringify({ name: '@shop/notices' }),
      'services/notices/README.md': '# notices\n\nThis library was generated with [Nx](https://nx.dev).\n',
      'services/notices/src/index.ts': 'export const notice = 1;\n',
    });
    model = await analyseRepo(root);
  }, 60_000);
  afterAll(removeTemps);

  const comp = (p: string) => model.components.find((c) => c.path === p);

  it('quotes the manifest’s description with its line, else the README’s first paragraph with its line', () => {
    expect(comp('services/orders')).toMatchObject({
      description: 'Takes orders and announces them',
      descriptionFrom: { source: 'manifest', evidence: { file: 'services/orders/package.json', line: 3 } },
    });
    expect(comp('services/billing')?.descriptionFrom).toEqual({ source: 'readme', evidence: { file: 'services/billing/README.md', line: 5 } });
    expect(comp('services/billing')?.description).toMatch(/^Charges customers for their orders with Stripe \(test key /);
  });

  it('never copies a secret, and quotes no boilerplate nor the root README for one package', () => {
    expect(comp('services/billing')?.description).not.toContain('sk_live_51HxQjYEXAMPLE');
    expect(comp('services/billing')?.description).toContain('***');
    expect(comp('services/notices')?.description).toBeUndefined();
    expect(comp('services/notices')?.descriptionFrom).toBeUndefined();
    expect(model.components.some((c) => c.description?.includes('The whole shop'))).toBe(false);
  });
});
