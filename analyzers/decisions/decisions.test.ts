import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, copyFixture, removeTemps, runCli, tempRepo } from '../../test/helpers.js';
import { parseAdr, setAdrStatus } from '../../src/analysis/adr-files.js';
import { decisionWords } from '../../src/render/view-decisions.js';

afterEach(removeTemps);

describe('decisions analyzer', () => {
  it('states detected decisions with evidence and links the ADRs about them', async () => {
    const model = await analyseFixture('layered-adr-service');
    const byId = Object.fromEntries(model.decisions.map((d) => [d.id, d]));
    expect(Object.keys(byId)).toEqual(
      expect.arrayContaining(['decision:architecture-style', 'decision:primary-database', 'decision:api-style', 'decision:internal-pattern:.']),
    );
    expect(byId['decision:architecture-style']!.decision).toBe('Monolith');
    expect(byId['decision:primary-database']!.decision).toBe('PostgreSQL');
    expect(byId['decision:primary-database']!.adrs).toEqual(['document:docs/adr/0002-use-postgresql-for-invoices.md']);
    // Linked by its tag, not by its title.
    expect(byId['decision:api-style']!.adrs).toEqual(['document:docs/adr/0003-rest-api-over-http.md']);
    const pattern = byId['decision:internal-pattern:.']!;
    expect(pattern.decision).toMatch(/^Layered/);
    expect(pattern.details!.breaches).toEqual([
      'src/repositories/invoice.repository.ts:4 (infrastructure) imports src/controllers/invoices.controller (presentation)',
    ]);
  });

  it('indexes ADRs in adr-tools, MADR and log4brains formats', async () => {
    const model = await analyseFixture('layered-adr-service');
    const adrs = model.documents.filter((d) => d.kind === 'adr').map((d) => [d.name, d.details]);
    expect(adrs).toEqual([
      ['Record architecture decisions', { number: 1, status: 'Accepted', date: '2025-03-02' }],
      ['Use PostgreSQL for invoices', { number: 2, status: 'Accepted', date: '2025-03-10' }],
      ['REST API over HTTP', { number: 3, status: 'Proposed', date: '2025-04-01', tags: ['api-style'] }],
    ]);
  });

  it('reads and rewrites statuses in each format', () => {
    const adrTools = '# 4. Use Kafka\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n';
    expect(parseAdr('docs/adr/0004-use-kafka.md', adrTools)).toMatchObject({ number: 4, title: 'Use Kafka', status: 'Accepted' });
    expect(setAdrStatus(adrTools, 'Superseded by 0005')).toContain('## Status\n\nSuperseded by 0005\n');
    const madr2 = '# Use Kafka\n\n* Status: accepted\n* Date: 2024-01-01\n';
    expect(parseAdr('0004-x.md', madr2)).toMatchObject({ status: 'Accepted', date: '2024-01-01' });
    expect(setAdrStatus(madr2, 'Deprecated')).toContain('* Status: Deprecated');
    expect(setAdrStatus('# Title\n\nNo status here.\n', 'Deprecated')).toBeUndefined();
  });
});

describe('archdoc adr new', () => {
  const copy = (): string => copyFixture('layered-adr-service');

  it('numbers after the highest existing record and fills the template', async () => {
    const repo = copy();
    const r = await runCli(['adr', 'new', 'Move invoices to an event log!', '--date', '2026-11-24'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('docs/adr/0004-move-invoices-to-an-event-log.md');
    const text = fs.readFileSync(path.join(repo, r.stdout.trim()), 'utf8');
    expect(text).toMatch(/^# 0004\. Move invoices to an event log!\n/);
    expect(text).toContain('- **Status:** Proposed\n- **Date:** 2026-11-24');
    for (const heading of [
      '## Context',
      '## Decision',
      '## Rationale',
      '## Alternatives considered',
      '## Consequences',
      '## Implementation notes',
      '## Validation metrics and timeline',
      '## References',
    ]) {
      expect(text).toContain(heading);
    }
    // The new record is read back by the analyzer.
    expect(parseAdr('docs/adr/0004-x.md', text)).toMatchObject({ number: 4, status: 'Proposed', date: '2026-11-24' });
  });

  it('--supersedes updates both records, whatever the old one’s format', async () => {
    const repo = copy();
    const r = await runCli(['adr', 'new', 'Use CockroachDB', '--supersedes', '2', '--status', 'Accepted', '--date', '2026-11-24'], repo);
    expect(r.code).toBe(0);
    const created = fs.readFileSync(path.join(repo, 'docs/adr/0004-use-cockroachdb.md'), 'utf8');
    expect(created).toContain('- **Supersedes:** [0002. Use PostgreSQL for invoices](0002-use-postgresql-for-invoices.md)');
    const old = fs.readFileSync(path.join(repo, 'docs/adr/0002-use-postgresql-for-invoices.md'), 'utf8');
    expect(old).toContain('status: Superseded by [0004. Use CockroachDB](0004-use-cockroachdb.md)');
    expect(parseAdr('0002-x.md', old)!.status).toBe('Superseded');
    const again = await runCli(['adr', 'new', 'Retire records', '--supersedes', '1', '--date', '2026-11-24'], repo);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'docs/adr/0001-record-architecture-decisions.md'), 'utf8')).toContain(
      '## Status\n\nSuperseded by [0005. Retire records](0005-retire-records.md)',
    );
  });

  it('concurrent runs never take the same number; bad input is a usage error', async () => {
    const repo = copy();
    const results = await Promise.all([1, 2, 3].map((i) => runCli(['adr', 'new', `Parallel ${i}`, '--date', '2026-11-24'], repo)));
    const files = results.map((r) => r.stdout.trim().split('/').pop()!.slice(0, 4)).sort();
    expect(new Set(files).size).toBe(3);
    expect((await runCli(['adr', 'new', 'X', '--status', 'Maybe'], repo)).code).toBe(2);
    expect((await runCli(['adr', 'new', 'X', '--supersedes', '99'], repo)).code).toBe(2);
  });
});

describe('deployment platform: what runs the code, not how it is packaged', () => {
  const base = {
    'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', dependencies: { express: '4.19.2' } }),
    'src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/orders', (_q, r) => r.json([]));\napp.listen(3000);\n",
  };
  const platform = async (files: Record<string, string>) =>
    (await analyseRepo(tempRepo('platform', { ...base, ...files }))).decisions.find((d) => d.id === 'decision:deployment-platform');

  it('is Docker Compose when a compose service is built from the repository', async () => {
    const d = await platform({
      Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node", "dist/server.js"]\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n    ports: ["3000:3000"]\n  db:\n    image: postgres:16\n',
    });
    expect(d).toMatchObject({ decision: 'Docker Compose', evidence: [{ file: 'docker-compose.yml', line: 2 }] });
  });

  it('says nothing when compose only runs registry images (a local database is not the platform)', async () => {
    expect(await platform({ 'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n  cache:\n    image: redis:7\n' })).toBeUndefined();
  });

  it('is Docker, saying that nothing names where it runs, when a Dockerfile builds an image that nothing runs', async () => {
    const d = await platform({ Dockerfile: 'FROM node:20\nCMD ["node", "server.js"]\n', 'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n' });
    expect(d?.decision).toBe('Docker');
    expect(decisionWords(d?.basis).context).toMatch(
      /^The system is deployed as the container image a Dockerfile builds, but nothing in the repository says where it runs/,
    );
    expect(d?.evidence).toEqual([{ file: 'Dockerfile', line: 1 }]);
  });

  it('does not count a development environment’s image (Gitpod, dev container) as the system’s', async () => {
    expect(
      await platform({ '.gitpod.Dockerfile': 'FROM gitpod/workspace-full\n', '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/base\n' }),
    ).toBeUndefined();
    const d = await platform({ '.gitpod.Dockerfile': 'FROM gitpod/workspace-full\n', Dockerfile: 'FROM node:20\n' });
    expect(d?.decision).toBe('Docker');
    expect(d?.evidence).toEqual([{ file: 'Dockerfile', line: 1 }]);
  });

  it('names the orchestrator when there is one, whatever compose and Dockerfiles say', async () => {
    const d = await platform({
      Dockerfile: 'FROM node:20\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n',
      'k8s/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: orders:1\n',
    });
    expect(d?.decision).toBe('Kubernetes');
  });
});
