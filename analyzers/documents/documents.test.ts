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
