/**
 * Regular expressions on repository text (issue #21, "no super-linear regular expression on
 * repository content"). Each case feeds the real function the input shape that made its old
 * expression backtrack quadratically (or worse): at these sizes the old code took minutes, so
 * it ran past the timeout, and the new one takes milliseconds. No timing assertion: only a
 * generous timeout, so a busy machine cannot fail it. Each case also checks ordinary input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAdr, setAdrStatus } from '../analyzers/decisions/adr-files.js';
import { indexBlocks, prepareSchema } from '../analyzers/prisma/text.js';
import { piiHint } from '../analyzers/security/patterns.js';
import { pathShape } from '../analyzers/endpoints/paths.js';
import { snakeCase } from '../src/data/ids.js';
import { slug } from '../src/model/ids.js';
import { formatBlock, mergeBlocks } from '../src/render/blocks.js';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';

const N = 200_000;
const TIMEOUT = 20_000;
const spaces = ' '.repeat(N);

describe('ADR lines', () => {
  it('front matter, heading, bullet and plain status lines with long runs', { timeout: TIMEOUT }, () => {
    const adr = [
      '---',
      `date:${spaces}x\ry`,
      '---',
      `# ${spaces}x\ry`,
      `- Status${'*'.repeat(N / 2)}${' '.repeat(N / 2)}x\ry`,
      `Date:${spaces}x\ry`,
      `Status: x${'*'.repeat(N)}y`,
      '# 7. Use queues',
    ].join('\n');
    const info = parseAdr('docs/adr/0007-queues.md', adr)!;
    expect(info.title).toBe('Use queues');
    expect(info.status).toBe('Xy');
    expect(setAdrStatus(`# T\n\n- Status${'*'.repeat(N / 2)}${' '.repeat(N / 2)}x\ry\n`, 'Accepted')).toBeUndefined();
    expect(setAdrStatus(`# T\n\nStatus:${spaces}x\ry\n`, 'Accepted')).toBeUndefined();
  });

  it('ordinary ADRs read as before', () => {
    const info = parseAdr('docs/adr/0003-x.md', '# 3. Use Postgres\n\n- **Status:** Accepted\n- Date: 2024-01-02\n* Tags: data, db\n')!;
    expect(info).toMatchObject({ title: 'Use Postgres', number: 3, status: 'Accepted', date: '2024-01-02', tags: ['data', 'db'] });
    expect(parseAdr('a.md', '---\nstatus: "**superseded**"\ndecision: queues\n---\n# Title\n')).toMatchObject({ status: 'Superseded', decision: 'queues' });
    expect(parseAdr('a.md', '# T\nStatus:   proposed\nDate:  2020\n')).toMatchObject({ status: 'Proposed', date: '2020' });
    expect(setAdrStatus('# T\n\n* **Status**: Proposed\n', 'Accepted')).toBe('# T\n\n* **Status**: Accepted\n');
    expect(setAdrStatus('# T\n\nStatus:  Proposed\n', 'Accepted')).toBe('# T\n\nStatus:  Accepted\n');
  });
});

describe('names and paths', () => {
  it('long runs in identifiers, slugs, paths and Prisma comments', { timeout: TIMEOUT }, () => {
    expect(piiHint('A'.repeat(N) + '1')).toBe(false);
    expect(snakeCase('A'.repeat(N) + '1')).toHaveLength(N + 1);
    expect(slug(`a${'-'.repeat(N)}a!`)).toHaveLength(N + 2);
    expect(pathShape(`/x${'/'.repeat(N)}y`)).toHaveLength(N + 3);
    expect(indexBlocks('s.prisma', `model A {\n  id Int ${'//'.repeat(N / 2)}\r\n}\n`)).toHaveLength(1);
    expect(prepareSchema('s.prisma', `${'//'.repeat(N / 2)}\r\n`).datasources).toEqual([]);
  });

  it('ordinary names and paths give the same results', () => {
    expect(snakeCase('HTTPServerError')).toBe('http_server_error');
    expect(snakeCase('ABCDeFGh')).toBe('abc_de_f_gh');
    expect(piiHint('userEmailAddress')).toBe(true);
    expect(slug('--My Service!--')).toBe('my-service');
    expect(pathShape('/orders/{id}//')).toBe('/orders/:');
    expect(indexBlocks('s.prisma', 'model A { // note\n  id Int @id // key\n}\n').map((b) => b.name)).toEqual(['A']);
  });
});

describe('document merge', () => {
  it('a human block holding a long run of blank lines', { timeout: TIMEOUT }, () => {
    const existing = `# Doc\n\n${formatBlock('gone', `x${'\n'.repeat(N)}y`)}\n`;
    const r = mergeBlocks('# Doc\n', existing);
    expect(r.orphans).toEqual(['gone']);
    expect(r.text.endsWith('\n')).toBe(true);
  });
});

describe('analyzers on hostile files', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  });
  async function analyseRepo(files: Record<string, string>) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-regex-audit-'));
    temps.push(root);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    await loadConfigSchema();
    const config = resolveConfig({}, { cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    return (await analyse(config)).model;
  }

  it('Dockerfile HEALTHCHECK, .env line, workflow deploy line and a Prisma file of line breaks', { timeout: 60_000 }, async () => {
    const model = await analyseRepo({
      'package.json': JSON.stringify({ name: 'r', version: '1.0.0' }),
      'Dockerfile': `FROM node:20\nHEALTHCHECK${spaces}x\ry\nHEALTHCHECK CMD curl -f http://localhost/health\n`,
      '.env': `A=${spaces}x\ry\n`,
      '.github/workflows/d.yml': `name: d\non: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(`kubectl apply -f k8s${spaces}x`)}\n`,
      'prisma/extra.prisma': '\r'.repeat(N),
      'openapi.yaml': `swagger: "2.0"\ninfo: { title: t, version: "1" }\nbasePath: ${JSON.stringify(`/api${'/'.repeat(N)}v`)}\npaths:\n  /x:\n    get:\n      responses: { "200": { description: ok } }\n`,
    });
    expect(model).toBeDefined();
  });
});
