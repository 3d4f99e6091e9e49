/**
 * Regular expressions on repository text (issue #21, "no super-linear regular expression on
 * repository content"). Each case feeds the real function the input shape that made its old
 * expression backtrack quadratically (or worse): at these sizes the old code took minutes, so
 * it ran past the timeout, and the new one takes milliseconds. No timing assertion: only a
 * generous timeout, so a busy machine cannot fail it. Each case also checks ordinary input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseAdr, setAdrStatus } from '../src/analysis/adr-files.js';
import { indexBlocks, prepareSchema } from '../analyzers/prisma/text.js';
import { piiHint } from '../analyzers/security/patterns.js';
import { pathShape } from '../analyzers/endpoints/paths.js';
import { snakeCase } from '../src/data/ids.js';
import { slug } from '../src/model/ids.js';
import { formatBlock, mergeBlocks } from '../src/render/blocks.js';
import type { AnalyzerContext } from '../src/analyzer/context.js';
import { canonicalEnvironment } from '../src/data/environments.js';
import { componentOfImage } from '../src/data/images.js';
import { deployCommands } from '../analyzers/ci/index.js';
import { detectPattern } from '../analyzers/decisions/patterns.js';
import { graphqlOperations, protoOperations } from '../analyzers/endpoints/schemas.js';
import { toColonParams } from '../analyzers/endpoints/paths.js';
import { applyFallback, SchemaState } from '../analyzers/sql-migrations/apply.js';
import { pluralise } from '../src/data/ids.js';
import { svgSources } from '../src/diagrams/svg.js';
import { unconnectedResources } from '../src/diagrams/network.js';
import { glossaryFor } from '../src/render/glossary.js';
import { cutTrailing, replaceSpans, type Span } from '../src/util/linear-scan.js';
import { analyseRepo, removeTemps, tempRepo } from './helpers.js';

/** The real pipeline on a temporary repository holding `files` (removed after the file's tests). */
const analyseFiles = (files: Record<string, string>) => analyseRepo(tempRepo('regex-audit', files));
afterAll(removeTemps);

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
  it('Dockerfile HEALTHCHECK, .env line, workflow deploy line and a Prisma file of line breaks', { timeout: 60_000 }, async () => {
    const model = await analyseFiles({
      'package.json': JSON.stringify({ name: 'r', version: '1.0.0' }),
      Dockerfile: `FROM node:20\nHEALTHCHECK${spaces}x\ry\nHEALTHCHECK CMD curl -f http://localhost/health\n`,
      '.env': `A=${spaces}x\ry\n`,
      '.github/workflows/d.yml': `name: d\non: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(`kubectl apply -f k8s${spaces}x`)}\n`,
      'prisma/extra.prisma': '\r'.repeat(N),
      'openapi.yaml': `swagger: "2.0"\ninfo: { title: t, version: "1" }\nbasePath: ${JSON.stringify(`/api${'/'.repeat(N)}v`)}\npaths:\n  /x:\n    get:\n      responses: { "200": { description: ok } }\n`,
    });
    expect(model).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The rest of the audit: expressions that restarted at every opener (`{`, `"`, `/*`, `](`,
// `<!--`) and rescanned to the end when nothing closed it, or backtracked against the end of a
// line. Cases whose old expression was only moderately slow at 200 KB run at 1 MB (under the
// 2 MiB file limit), where it took a minute or more.

const M = 1_000_000;

/** A deterministic pseudo-random string over `alphabet` (xorshift, fixed seed). */
function randomStrings(alphabet: readonly string[], count: number, seed = 7): string[] {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = Math.floor(next() * 24);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(next() * alphabet.length)]!;
    out.push(s);
  }
  return out;
}

describe('spans and trailing cuts', () => {
  it('find exactly what the expressions they replace found', () => {
    const blank = (m: string) => m.replace(/[^\n]/g, ' ');
    const spanCases: [string[], Span[], RegExp, (m: string, body: string) => string][] = [
      [
        ['$', '{', '}', 'a', ' '],
        [
          { open: '${', close: '}' },
          { open: '{{', close: '}}', without: '}' },
        ],
        /\$\{[^}]*\}|\{\{[^}]*\}\}/g,
        () => '',
      ],
      [['$', '{', '}', 'a'], [{ open: '${{', close: '}}', without: '}' }], /\$\{\{[^}]*\}\}/g, () => ''],
      [['{', '}', '/', 'a'], [{ open: '{', close: '}', without: '/', nonEmpty: true }], /\{([^}/]+)\}/g, (_m, b) => ':' + b],
      [[']', '(', ')', 'a'], [{ open: '](', close: ')' }], /\]\([^)]*\)/g, () => ']'],
      [['<', '!', '-', '>', 'a'], [{ open: '<!--', close: '-->' }], /<!--[\s\S]*?-->/g, () => ' '],
      [['/', '*', '\n', 'a'], [{ open: '/*', close: '*/' }], /\/\*[\s\S]*?\*\//g, blank],
    ];
    for (const [alphabet, spans, re, replace] of spanCases) {
      for (const s of randomStrings(alphabet, 3000)) {
        expect(replaceSpans(s, spans, replace), JSON.stringify(s)).toBe(s.replace(re, (m: string, b?: string) => replace(m, b ?? '')));
      }
    }
    const cutCases: [string[], string[], string, RegExp][] = [
      [['{', '}', '\n', 'a'], ['{'], '}', /\{.*\}$/],
      [[' ', '(', ')', '\r', 'a'], [' ('], ')', / \(.*\)$/],
      [['?', '#', '\n', 'a'], ['?', '#'], '', /[?#].*$/],
      [['/', '\u2028', 'a'], ['//'], '', /\/\/.*$/],
    ];
    for (const [alphabet, opens, close, re] of cutCases) {
      for (const s of randomStrings(alphabet, 3000)) expect(cutTrailing(s, opens, close), JSON.stringify(s)).toBe(s.replace(re, ''));
    }
  });

  it('ordinary names, paths, images and documents read as before', () => {
    const ctx = { workspace: { packages: [{ path: 'services/api', name: '@shop/api', componentId: 'component:api' }] } } as unknown as AnalyzerContext;
    expect(componentOfImage(ctx, 'ghcr.io/shop/api:${TAG}')).toBe('component:api');
    expect(componentOfImage(ctx, '{{ .Values.registry }}/api:{{ .Values.tag }}')).toBe('component:api');
    expect(canonicalEnvironment('${{ inputs.env }}')).toBeUndefined();
    expect(canonicalEnvironment('prod-${{ github.ref }}')).toBe('production');
    expect(canonicalEnvironment('staging._')).toBe('staging');
    expect(toColonParams('/orders/{id}/items/{itemId}{}')).toBe('/orders/:id/items/:itemId{}');
    expect(glossaryFor('An [API](https://x/ADR) and <!-- JWT --> CORS `RDS`').map((t) => t.term)).toEqual(['API', 'CORS']);
    expect(pluralise('OrderItem')).toBe('OrderItems');
    expect(pluralise('Category')).toBe('Categories');
    expect(pluralise('ABCPerson')).toBe('ABCPeople');
    expect(pluralise('HTTP')).toBe('HTTPs');
    expect(pluralise('')).toBe('s');
    expect(
      deployCommands(
        [
          './scripts/deploy.sh prod',
          'bash deploy-app.sh',
          'sh ./x/deploy',
          'deploy/run.sh',
          'make deploy',
          'npm run deploy:prod',
          'redeploy',
          'deployer!',
          'sh deploy.sh;',
        ].join('\n'),
      ),
    ).toEqual(['./scripts/deploy.sh prod', 'bash deploy-app.sh', 'sh ./x/deploy', 'make deploy', 'npm run deploy:prod', 'redeploy']);
  });
});

describe('schema text', () => {
  it('GraphQL strings, schema blocks and types, and proto comments and services with long unclosed runs', { timeout: TIMEOUT }, () => {
    expect(graphqlOperations('"' + '\\"'.repeat(N / 2), 'a.graphql')).toEqual([]);
    expect(graphqlOperations('schema{'.repeat(M / 7), 'a.graphql')).toEqual([]);
    expect(graphqlOperations('schema @'.repeat(M / 8) + '{', 'a.graphql')).toEqual([]);
    expect(graphqlOperations('type a '.repeat(M / 7), 'a.graphql')).toEqual([]);
    expect(graphqlOperations('type Query { '.repeat(M / 13) + '}', 'a.graphql')).toEqual([]);
    expect(protoOperations('/* '.repeat(M / 3), 'a.proto')).toEqual([]);
    expect(protoOperations('service S { '.repeat(M / 12), 'a.proto')).toEqual([]);
  });

  it('ordinary GraphQL and proto read as before', () => {
    const sdl = [
      'schema @link(url: "x") { query: Root }',
      '"""A "doc" block"""',
      'type Root {',
      '  orders(first: Int = 1, note: "a \\" } b"): [Order] @auth',
      '  # me: User',
      '  me: User',
      '}',
      'extend type Mutation { ignored: Int }',
    ].join('\n');
    expect(graphqlOperations(sdl, 's.graphql').map((o) => [o.method, o.path, o.line, o.mechanisms])).toEqual([
      ['query', 'orders', 4, ['@auth directive']],
      ['query', 'me', 6, []],
      ['mutation', 'ignored', 8, []],
    ]);
    const proto =
      'syntax = "proto3";\npackage shop.v1;\n/* service Old { rpc X (A) returns (B); } */\nservice Orders {\n  rpc Get (GetReq) returns (stream Order);\n}\n';
    expect(protoOperations(proto, 'o.proto').map((o) => [o.path, o.line, o.details?.streaming])).toEqual([['/shop.v1.Orders/Get', 5, 'server']]);
  });
});

describe('names, pipelines, documents and SQL with long runs', () => {
  it('images, environments, paths, glossary, deploy lines, plurals, SVG sources and SQL references', { timeout: TIMEOUT }, () => {
    const ctx = { workspace: { packages: [] } } as unknown as AnalyzerContext;
    expect(componentOfImage(ctx, '${'.repeat(N / 2))).toBeUndefined();
    expect(componentOfImage(ctx, '{{'.repeat(N / 2))).toBeUndefined();
    expect(canonicalEnvironment('${{'.repeat(N / 3))).toBe('${{'.repeat(N / 3).toLowerCase());
    expect(canonicalEnvironment('-'.repeat(N) + 'x')).toBe('-'.repeat(N) + 'x');
    expect(canonicalEnvironment('x' + '-'.repeat(N))).toBe('x');
    expect(toColonParams('{'.repeat(N))).toHaveLength(N);
    expect(glossaryFor(']('.repeat(N / 2) + ' API')).toHaveLength(1);
    expect(glossaryFor('<!--'.repeat(N / 4) + ' API')).toHaveLength(1);
    expect(deployCommands('deploy'.repeat(N / 6) + '!')).toEqual([]);
    expect(pluralise('a'.repeat(N) + '!')).toHaveLength(N + 2);
    expect(pluralise('A'.repeat(N) + '!')).toHaveLength(N + 2);
    expect(svgSources('!['.repeat(N / 2))).toEqual([]);
    const state = new SchemaState();
    expect(applyFallback(state, `create table t (a int ${'references ['.repeat(M / 12)})`, { file: 'm.sql', line: 1 })).toBe(true);
    expect(state.get('t')?.columns.map((c) => c.name)).toEqual(['a']);
  });

  it('ordinary SVG sources and SQL references read as before', () => {
    const doc = (id: string, code: string) =>
      `![${id} diagram](diagrams/${id}.svg)\n\n<details><summary>Mermaid source</summary>\n\n\`\`\`mermaid\n${code}\n\`\`\`\n`;
    expect(svgSources(`# D\n\n${doc('c4.context', 'flowchart LR\n  a-->b')}\n${doc('x-1', '')}\n${doc('c4.context', 'again')}`)).toEqual([
      { id: 'c4.context', code: 'flowchart LR\n  a-->b' },
      { id: 'x-1', code: '' },
    ]);
    expect(svgSources('![a] ](diagrams/x.svg)\n\n<details><summary>Mermaid source</summary>\n\n```mermaid\nq\n```')).toEqual([]);
    const state = new SchemaState();
    applyFallback(state, 'create table `o` (`id` int primary key auto_increment, `u` int references [dbo].[users] (id), v int references "a"."b")', {
      file: 'm.sql',
      line: 1,
    });
    expect(state.get('o')?.fks).toEqual([
      { columns: ['u'], table: 'dbo.users' },
      { columns: ['v'], table: 'a.b' },
    ]);
  });

  it('architecture-pattern breaches on every line of four 2 MB files', { timeout: TIMEOUT }, () => {
    // Under the 2 MiB file limit; the old count rescanned the file for each breach (about 25 s a file).
    const imports = "import { a } from '../controllers/a.controller';\n".repeat(40_000);
    const files = [
      { file: 'src/controllers/a.controller.ts', text: 'export const a = 1;\n' },
      { file: 'src/controllers/b.controller.ts', text: 'export const b = 1;\n' },
      ...['a', 'b', 'c', 'd'].map((n) => ({ file: `src/services/${n}.service.ts`, text: `// breaches\n${imports}` })),
      { file: 'src/repositories/a.repository.ts', text: 'export const r = 1;\n' },
      { file: 'src/repositories/b.repository.ts', text: 'export const r = 1;\n' },
    ];
    const found = detectPattern(files)!;
    expect(found.breaches).toHaveLength(160_000);
    expect(found.breaches.slice(0, 2).map((b) => b.line)).toEqual([2, 3]);
    expect(found.breaches.at(-1)!.line).toBe(40_001);
  });
});

describe('analyzers and diagrams on hostile files, the rest', () => {
  const workspace = (server: string, worker: string, k6Metric: string, tfSource: string) => ({
    'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*'] }),
    'apps/api/package.json': JSON.stringify({ name: '@shop/api', dependencies: { express: '4.0.0' } }),
    'apps/api/src/main.ts': server,
    'apps/jobs/package.json': JSON.stringify({ name: '@shop/jobs', dependencies: { bullmq: '5.0.0', '@shop/api': '*' } }),
    'apps/jobs/src/main.ts': `${worker}\nimport { x } from '@shop/api/dist/${'dist/'.repeat(M / 5)}\\n';\n`,
    'load/smoke.js': `import http from 'k6/http';\nexport const options = { thresholds: { ${JSON.stringify(k6Metric)}: ['p(95)<400'] } };\nexport default function () { http.get('http://x'); }\n`,
    'infra/main.tf': `module "db" {\n  source = ${JSON.stringify(tfSource)}\n}\n`,
  });

  it('ordinary servers, workers, k6 thresholds and module sources read as before', { timeout: 60_000 }, async () => {
    const model = await analyseFiles(
      workspace(
        "import http from 'node:http';\nhttp.createServer(app).listen(3000);\n",
        "import { Worker } from 'bullmq';\nnew Worker<Job>  ('emails', run);\n",
        'http_req_duration{scenario:smoke}',
        'example.com/acme/modules/rds//db?ref=v1',
      ),
    );
    expect(model.components.find((c) => c.name === '@shop/api')?.kind).toBe('service');
    expect(model.components.find((c) => c.name === '@shop/jobs')?.kind).toBe('worker');
    expect(model.observability.find((f) => f.details?.source === 'k6 threshold')?.details).toMatchObject({ targetKind: 'latency', target: 'p95 < 400 ms' });
    // One module and no connection: listed rather than drawn, by the module name its source reads as.
    expect(unconnectedResources(model).map((r) => r.kind)).toContain('rds module');
  });

  it('createServer( and new Worker runs, a k6 metric of braces, a dist/ path and a module source of ? marks', { timeout: TIMEOUT }, async () => {
    const model = await analyseFiles(
      workspace(
        `${'createServer('.repeat(M / 13)})`,
        `import { Worker } from 'bullmq';\nnew Worker${' '.repeat(M)}!`,
        `http_req_duration${'{'.repeat(N)}x`,
        `example.com/rds/${'?'.repeat(N)}\n`,
      ),
    );
    expect(model.components.find((c) => c.name === '@shop/api')?.kind).not.toBe('service');
    expect(model.components.find((c) => c.name === '@shop/jobs')?.kind).not.toBe('worker');
    // One module and no connection: listed rather than drawn, by the module name its source reads as.
    expect(unconnectedResources(model).map((r) => r.kind)).toContain('rds module');
  });
});
