/**
 * The hostile-input corpus. Every case is a tiny repository built in a temporary directory and
 * run through the whole CLI in process (`generate`, then `model --json --strict`). Each must:
 * exit 0; write a document with every section of a clean run (the `## ` headings, in order);
 * report a warning naming the file (and the line where it is known) on stderr and in the model;
 * never turn into an "analyzer failed" or "unexpected error"; and exit 1 under --strict when it
 * warned. Time is bounded by vitest's timeouts, never asserted.
 *
 * A test-only plugin (`probeConfig`) reads every file the way an analyzer would, so the shared
 * context's read/parse paths meet every input whichever built-in analyzers exist; the built-ins
 * run first and see each input before the probe does.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BASE_MANIFEST, RUNNING_AS_ROOT, cleanTemps, hasAnalyzer, headings, makeRepo, probeConfig, runCli, type ModelWarning } from './harness.js';
import { printable } from '../../src/util/terminal.js';

interface ExpectedWarning {
  file: string;
  /** Exact 1-based line where the input makes it knowable. */
  line?: number;
  message?: RegExp;
  /** Only required once this built-in analyzer is registered (others' analyzers land over time). */
  requires?: string;
}

interface Case {
  name: string;
  what: string;
  build: () => string;
  warnings: ExpectedWarning[];
  /** Extra checks on the outputs. */
  check?: (out: { doc: string; model: { warnings: ModelWarning[] } & Record<string, unknown>; stderr: string; root: string }) => void;
  timeout?: number;
}

let probe: string;
let sections: string[];

beforeAll(async () => {
  probe = probeConfig();
  // The sections of a clean run are what every hostile run must still render.
  const clean = makeRepo('clean', { 'src/index.ts': 'export const ok = true;\n' });
  const r = await runCli(['generate', '--root', clean, '--config', probe], clean);
  expect(r.code, r.stderr).toBe(0);
  sections = headings(fs.readFileSync(path.join(clean, 'docs', 'ARCHITECTURE.md'), 'utf8'));
  expect(sections).toEqual(expect.arrayContaining(['Components', 'Deployment', 'Analysis notes']));
  expect(sections.length).toBeGreaterThanOrEqual(15);
});
afterAll(() => cleanTemps());

const nested = (open: string, close: string, inner: string, depth: number) => open.repeat(depth) + inner + close.repeat(depth);

const CASES: Case[] = [
  // ---- malformed YAML -------------------------------------------------------------------------
  {
    name: 'yaml-bad-indentation',
    what: 'a compose file whose service keys are mis-indented',
    build: () =>
      makeRepo('yaml-indent', {
        'docker-compose.yml': 'services:\n  api:\n    image: node:20\n     ports:\n    - "3000:3000"\n',
      }),
    // The parser places the error at the value that swallows the mis-indented key.
    warnings: [{ file: 'docker-compose.yml', line: 3, message: /invalid YAML/ }],
  },
  {
    name: 'yaml-tabs',
    what: 'a workflow indented with tabs',
    build: () =>
      makeRepo('yaml-tabs', {
        '.github/workflows/ci.yml': 'name: ci\non: push\njobs:\n\tbuild:\n\t\truns-on: ubuntu-latest\n',
      }),
    warnings: [{ file: '.github/workflows/ci.yml', line: 4, message: /invalid YAML/ }],
  },
  {
    name: 'yaml-duplicate-keys',
    what: 'a compose file with the same service key twice',
    build: () =>
      makeRepo('yaml-dup', {
        'docker-compose.yml': 'services:\n  api:\n    image: node:20\n  api:\n    image: node:22\n',
      }),
    warnings: [{ file: 'docker-compose.yml', line: 4, message: /duplicate key/i }],
  },
  {
    name: 'yaml-alias-bomb',
    what: 'a "billion laughs" alias bomb in a Kubernetes manifest',
    build: () => {
      let y = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      for (let i = 1; i < 10; i++)
        y += `  a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(',')}]\n`;
      return makeRepo('yaml-bomb', { 'k8s/bomb.yaml': y });
    },
    warnings: [{ file: 'k8s/bomb.yaml', message: /alias|expanded/i }],
  },
  {
    name: 'yaml-deep-nesting',
    what: '20,000 nested flow sequences in a YAML file',
    build: () => makeRepo('yaml-deep', { 'config/deep.yaml': `deep: ${nested('[', ']', '1', 20_000)}\n` }),
    warnings: [{ file: 'config/deep.yaml' }],
  },
  {
    name: 'yaml-deep-3000',
    what: 'Kubernetes, compose, OpenAPI and workflow files holding values nested 3,000 levels deep',
    build: () =>
      makeRepo('yaml-deep-ok', {
        'k8s/deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: deep\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: node:20\n          args: ${nested('[', ']', 'x', 3_000)}\n`,
        'docker-compose.yml': `services:\n  api:\n    image: node:20\n    labels: ${nested('{a: ', '}', 'x', 3_000)}\n`,
        'openapi.yaml': `openapi: 3.0.3\ninfo: { title: Deep, version: 1.0.0 }\npaths:\n  /deep:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              example: ${nested('{a: ', '}', 'x', 3_000)}\n`,
        '.github/workflows/ci.yml': `name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n        with: ${nested('[', ']', 'x', 3_000)}\n`,
      }),
    // The YAML parser refuses this depth on Node's default stack (a warning with the line); with a
    // bigger stack it may accept it, and then every walker must cope. Either way nothing crashes.
    warnings: [],
    timeout: 600_000,
  },
  // ---- other broken formats -------------------------------------------------------------------
  {
    name: 'hcl-syntax-error',
    what: 'Terraform with an unclosed block',
    build: () =>
      makeRepo('hcl', {
        'infra/main.tf':
          'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\nresource "aws_s3_bucket" "assets" {\n  bucket = "acme-assets"\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n',
      }),
    warnings: [{ file: 'infra/main.tf', requires: 'terraform' }],
  },
  {
    name: 'prisma-schema-error',
    what: 'a Prisma schema with an unknown field type and an unclosed model',
    build: () =>
      makeRepo('prisma', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { '@prisma/client': '6.0.0' } }, null, 2),
        'prisma/schema.prisma':
          'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Order {\n  id    Int    @id\n  total Moneyy\n\nmodel Customer {\n  id Int @id\n}\n',
      }),
    warnings: [{ file: 'prisma/schema.prisma' }],
  },
  {
    name: 'typescript-syntax-error',
    what: 'TypeScript with an unterminated call and a stray brace',
    build: () =>
      makeRepo('ts-syntax', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { express: '4.19.0' } }, null, 2),
        'src/server.ts':
          "import express from 'express';\nconst app = express();\napp.get('/orders', (req, res) => {\n  res.json([]);\n}\napp.listen(3000;\n}}\n",
      }),
    warnings: [{ file: 'src/server.ts', message: /syntax error/ }],
  },
  {
    name: 'invalid-package-json',
    what: 'a root package.json that is not JSON',
    build: () => makeRepo('bad-pkg', { 'package.json': '{\n  "name": "broken",\n  "version": 1.0.0,\n}\n' }),
    warnings: [{ file: 'package.json', line: 3, message: /invalid JSON/ }],
  },
  {
    name: 'invalid-tsconfig',
    what: 'a tsconfig.json cut off in the middle',
    build: () =>
      makeRepo('bad-tsconfig', {
        'tsconfig.json': '{\n  "compilerOptions": {\n    "target": "ES2022",\n    "paths": { "@/*": ["src/*"\n',
        'src/index.ts': 'export const x = 1;\n',
      }),
    warnings: [{ file: 'tsconfig.json', message: /invalid JSON/ }],
  },
  {
    name: 'openapi-bad-refs',
    what: 'an OpenAPI document with a dangling $ref and a circular schema',
    build: () =>
      makeRepo('openapi', {
        'openapi.yaml': [
          'openapi: 3.0.3',
          'info: { title: Orders, version: 1.0.0 }',
          'paths:',
          '  /orders/{id}:',
          '    get:',
          '      parameters:',
          "        - $ref: '#/components/parameters/Missing'",
          '      responses:',
          "        '200':",
          '          content:',
          '            application/json:',
          "              schema: { $ref: '#/components/schemas/Node' }",
          '  /loop:',
          "    $ref: '#/paths/~1loop'",
          'components:',
          '  schemas:',
          '    Node:',
          '      type: object',
          '      properties:',
          "        children: { type: array, items: { $ref: '#/components/schemas/Node' } }",
          "        parent: { $ref: '#/components/schemas/Node' }",
          "        owner: { $ref: './missing-file.yaml#/Owner' }",
          '',
        ].join('\n'),
      }),
    warnings: [{ file: 'openapi.yaml', requires: 'openapi' }],
  },
  // ---- awkward files ----------------------------------------------------------------------------
  {
    name: 'binary-with-source-extension',
    what: 'PNG bytes saved as .ts and as .yaml',
    build: () => {
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(4096, 7)]);
      return makeRepo('binary', { 'src/logo.ts': png, 'k8s/logo.yaml': png });
    },
    warnings: [
      { file: 'src/logo.ts', line: 0, message: /binary/ },
      { file: 'k8s/logo.yaml', line: 0, message: /binary/ },
    ],
  },
  {
    name: 'huge-generated-file',
    what: 'a generated TypeScript file just over the 2 MiB size limit',
    // Sized to prove the limit, not to stress the machine: a 50 MB version once took a worker's heap.
    build: () => {
      const root = makeRepo('huge');
      const line = 'export const generated_value = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";\n';
      // Not under generated/: that folder's files are set aside by their role and never read.
      fs.mkdirSync(path.join(root, 'src', 'tables'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src', 'tables', 'huge.ts'), Buffer.alloc(2 * 1024 * 1024 + line.length, line));
      return root;
    },
    warnings: [{ file: 'src/tables/huge.ts', line: 0, message: /over the \d+-byte limit/ }],
  },
  {
    name: 'one-megabyte-line',
    what: 'a 1 MB single-line minified bundle and a 1 MB single-line JSON broken at its end',
    build: () => {
      const items = Array.from({ length: 120_000 }, (_, i) => i).join(',');
      const js = `var routes=[${items}];app.get("/min",function(a,b){b.send(routes)});`;
      const json = `{"items":[${items}],"tail":}`;
      return makeRepo('long-line', { 'public/bundle.min.js': js, 'data/cache.json': json });
    },
    warnings: [{ file: 'data/cache.json', line: 1, message: /invalid JSON/ }],
    check: ({ stderr, model }) => {
      // The warning names the place; it never copies the megabyte line.
      for (const w of model.warnings) expect(w.message.length).toBeLessThan(1000);
      expect(stderr.length).toBeLessThan(100_000);
    },
  },
  {
    name: 'non-utf8-and-bom',
    what: 'Latin-1 source bytes, a BOM-prefixed package.json and a BOM-prefixed compose file',
    build: () =>
      makeRepo('encodings', {
        'package.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ name: 'bom-shop', version: '2.0.0' }))]),
        'src/latin1.ts': Buffer.concat([Buffer.from("export const greeting = 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]),
        'docker-compose.yml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('services:\n  api:\n    image: node:20\n')]),
      }),
    warnings: [{ file: 'src/latin1.ts', line: 1, message: /UTF-8/ }],
    check: ({ doc, model }) => {
      // The BOM is no obstacle: the manifest's name is read.
      expect((model.system as { name: string }).name).toBe('bom-shop');
      expect(doc).toContain('bom-shop');
      expect(model.warnings.some((w) => w.file === 'package.json' || w.file === 'docker-compose.yml')).toBe(false);
    },
  },
  {
    name: 'empty-files',
    what: 'empty package.json, source, YAML, Prisma, Terraform and Dockerfile',
    build: () =>
      makeRepo('empty', {
        'packages/empty/package.json': '',
        'src/index.ts': '',
        'docker-compose.yml': '',
        'k8s/deployment.yaml': '',
        'prisma/schema.prisma': '',
        'infra/main.tf': '',
        Dockerfile: '',
        '.env': '',
      }),
    warnings: [{ file: 'packages/empty/package.json', line: 1, message: /invalid JSON/ }],
  },
  {
    name: 'odd-file-names',
    what: 'file names with spaces, #, brackets, Unicode and a newline (holding a syntax error)',
    build: () =>
      makeRepo('names', {
        'src/we ird#name [x](y).ts': 'export const a = 1;\n',
        'src/ünïcödé.ts': 'export const b = 2;\n',
        'src/new\nline.ts': 'export const = ;\n',
      }),
    warnings: [{ file: 'src/new\nline.ts', line: 1, message: /syntax error/ }],
  },
  // ---- links and permissions --------------------------------------------------------------------
  {
    name: 'symlink-loops',
    what: 'two file links pointing at each other, and a directory linking to its parent',
    build: () => {
      const root = makeRepo('loops', { 'src/index.ts': 'export const x = 1;\n' });
      fs.symlinkSync('b.ts', path.join(root, 'src', 'a.ts'));
      fs.symlinkSync('a.ts', path.join(root, 'src', 'b.ts'));
      fs.symlinkSync('..', path.join(root, 'src', 'parent'));
      fs.symlinkSync('.', path.join(root, 'self'));
      return root;
    },
    warnings: [
      { file: 'src/a.ts', line: 0, message: /looping/ },
      { file: 'src/b.ts', line: 0, message: /looping/ },
      { file: 'src/parent', line: 0, message: /directory not followed/ },
      { file: 'self', line: 0, message: /directory not followed/ },
    ],
  },
  {
    name: 'symlinks-out-of-root',
    what: 'links to a directory and a file outside the repository (never followed)',
    build: () => {
      const root = makeRepo('outside', { 'src/index.ts': 'export const x = 1;\n' });
      const outside = path.join(path.dirname(root), `${path.basename(root)}-outside`);
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'secret.ts'), "export const OUTSIDE_MARKER = 'never-read-outside-root';\n");
      fs.writeFileSync(path.join(outside, 'package.json'), JSON.stringify({ name: 'outside-package-never-read' }));
      fs.symlinkSync(outside, path.join(root, 'linked-dir'));
      fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src', 'linked.ts'));
      fs.symlinkSync('/etc/passwd', path.join(root, 'passwd.yaml'));
      // Cleaned with the repository's parent listing.
      fs.symlinkSync(outside, path.join(root, '..', `${path.basename(root)}-outside-link`));
      return root;
    },
    warnings: [
      { file: 'linked-dir', line: 0, message: /outside the repository not followed/ },
      { file: 'src/linked.ts', line: 0, message: /outside the repository not followed/ },
      { file: 'passwd.yaml', line: 0, message: /outside the repository not followed/ },
    ],
    check: ({ doc, model, stderr }) => {
      for (const text of [doc, JSON.stringify(model), stderr]) {
        expect(text).not.toContain('never-read-outside-root');
        expect(text).not.toContain('outside-package-never-read');
        expect(text).not.toContain('root:x:0:0');
      }
    },
  },
  {
    name: 'dangling-symlinks',
    what: 'links to files and directories that do not exist',
    build: () => {
      const root = makeRepo('dangling', { 'src/index.ts': 'export const x = 1;\n' });
      fs.symlinkSync('./nowhere.ts', path.join(root, 'src', 'missing.ts'));
      fs.symlinkSync('/no/such/dir', path.join(root, 'gone'));
      return root;
    },
    warnings: [
      { file: 'src/missing.ts', line: 0, message: /dangling/ },
      { file: 'gone', line: 0, message: /dangling/ },
    ],
  },
  {
    name: 'special-files',
    what: 'a named pipe with a source extension, and links to /dev/zero and /dev/urandom (a read would never end)',
    build: () => {
      const root = makeRepo('special', { 'src/index.ts': 'export const x = 1;\n' });
      execFileSync('mkfifo', [path.join(root, 'src', 'pipe.ts')]);
      fs.symlinkSync('/dev/zero', path.join(root, 'src', 'zero.ts'));
      fs.symlinkSync('/dev/urandom', path.join(root, 'random.yaml'));
      return root;
    },
    warnings: [
      { file: 'src/zero.ts', line: 0, message: /outside the repository not followed/ },
      { file: 'random.yaml', line: 0, message: /outside the repository not followed/ },
    ],
    check: ({ model }) => {
      // The pipe is not a regular file: never listed, never opened (opening it would block).
      expect(model.warnings.some((w) => w.file === 'src/pipe.ts')).toBe(false);
    },
  },
  {
    name: 'unreadable-files',
    what: 'a chmod 000 source file and a chmod 000 directory',
    build: () => {
      const root = makeRepo('unreadable', {
        'src/index.ts': 'export const x = 1;\n',
        'src/locked.ts': 'export const locked = true;\n',
        'private/notes.md': '# notes\n',
      });
      fs.chmodSync(path.join(root, 'src', 'locked.ts'), 0o000);
      fs.chmodSync(path.join(root, 'private'), 0o000);
      return root;
    },
    // As root, permission bits do not stop a read; the case below simulates EACCES instead.
    warnings: RUNNING_AS_ROOT
      ? []
      : [
          { file: 'src/locked.ts', line: 0, message: /could not be read \(EACCES\)/ },
          { file: 'private', line: 0, message: /could not be read \(EACCES\)/ },
        ],
  },
  // ---- scale and depth ----------------------------------------------------------------------------
  {
    name: 'two-thousand-routes',
    what: '2,000 Express routes in one file (how time grows with size is test/linear-time.test.ts)',
    build: () => {
      const lines = ["import express from 'express';", 'const app = express();'];
      for (let i = 0; i < 2_000; i++) lines.push(`app.get('/items/${i}', (req, res) => res.json({ id: ${i} }));`);
      lines.push('app.listen(3000);', '');
      return makeRepo('fanout', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { express: '4.19.0' } }, null, 2),
        'src/server.ts': lines.join('\n'),
      });
    },
    warnings: [],
    timeout: 600_000,
    check: ({ doc, model }) => {
      if (hasAnalyzer('endpoints')) {
        const endpoints = model.endpoints as { id: string }[];
        expect(endpoints.length).toBe(2_000);
        expect(endpoints.map((e) => e.id)).toContain('endpoint:GET /items/1999');
      }
      expect(doc.length).toBeLessThan(20 * 1024 * 1024);
    },
  },
  {
    name: 'deep-nesting',
    what: '20,000 nested parentheses, arrays, calls and objects in TypeScript, and 20,000 nested JSON objects',
    build: () =>
      makeRepo('deep', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { express: '4.19.0' } }, null, 2),
        'src/parens.ts': `export const p = ${nested('(', ')', '1', 20_000)};\n`,
        'src/arrays.ts': `export const a = ${nested('[', ']', '1', 20_000)};\n`,
        'src/objects.ts': `export const o = ${nested('{a:', '}', '1', 20_000)};\n`,
        'src/calls.ts': `import express from 'express';\nconst app = express();\napp.get('/deep', ${nested('f(', ')', 'x', 20_000)});\n`,
        'config/deep.json': nested('{"a":', '}', '1', 20_000),
        'tsconfig.json': `{"compilerOptions":{"strict":true},"x":${nested('[', ']', '1', 20_000)}}`,
        'packages/deep/package.json': `{"name":"deep","version":"1.0.0","config":${nested('{"a":', '}', '1', 20_000)}}`,
      }),
    // Parsers may refuse inputs this deep, but must say so about the file, not crash.
    warnings: [
      { file: 'src/parens.ts', message: /could not be parsed|nested more than/ },
      { file: 'src/arrays.ts', message: /could not be parsed|nested more than/ },
      { file: 'src/objects.ts', message: /could not be parsed|nested more than/ },
      { file: 'src/calls.ts', message: /could not be parsed|nested more than/ },
    ],
    timeout: 600_000,
  },
  {
    name: 'deep-left-leaning-trees',
    what: 'a 20,000-term string concatenation and a 10,000-link method chain (parsed fine, 20,000 levels deep)',
    build: () =>
      makeRepo('deep-chain', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { express: '4.19.0' } }, null, 2),
        // TypeScript parses these iteratively, so the trees reach every analyzer: only a walker
        // without recursion gets through them.
        'src/concat.ts': `export const s = ${Array(20_000).fill("'a'").join(' + ')};\n`,
        // It listens: a server, not a script run by hand (file roles would set that aside unread).
        'src/chain.ts': `import express from 'express';\nconst app = express();\napp${'.use((req, res, next) => next())'.repeat(10_000)}.get('/chained', (req, res) => res.send('ok'));\napp.listen(3000);\n`,
      }),
    warnings: [
      { file: 'src/concat.ts', line: 1, message: /nested more than 1000 levels deep/ },
      { file: 'src/chain.ts', line: 3, message: /nested more than 1000 levels deep/ },
    ],
    timeout: 600_000,
  },
  {
    name: 'deep-trees-under-the-limit',
    what: 'the same shapes just under the depth limit (about 990 levels): every analyzer must walk them',
    build: () =>
      makeRepo('deep-ok', {
        'package.json': JSON.stringify({ name: 'robustness-case', dependencies: { express: '4.19.0' } }, null, 2),
        'src/concat.ts': `export const s = ${Array(985).fill("'a'").join(' + ')};\n`,
        'src/chain.ts': `import express from 'express';\nconst app = express();\napp${'.use(mw)'.repeat(490)}.get('/chained', (req, res) => res.send('ok'));\nfunction mw(req, res, next) { next(); }\napp.listen(3000);\n`,
      }),
    warnings: [],
    timeout: 600_000,
  },
];

describe('hostile input corpus (whole CLI, in process)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.what}`, { timeout: c.timeout ?? 180_000 }, async () => {
      const root = c.build();
      const gen = await runCli(['generate', '--root', root, '--config', probe, '--verbose'], root);
      expect(gen.stderr.split('\n').filter((l) => /unexpected error|analyzer failed/.test(l))).toEqual([]);
      expect(gen.code, gen.stderr).toBe(0);
      const doc = fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
      expect(headings(doc)).toEqual(sections);

      const m = await runCli(['model', '--json', '--strict', '--root', root, '--config', probe], root);
      const model = JSON.parse(m.stdout) as { warnings: ModelWarning[] } & Record<string, unknown>;
      expect(model.warnings.filter((w) => /analyzer failed/.test(w.message))).toEqual([]);
      const required = c.warnings.filter((w) => !w.requires || hasAnalyzer(w.requires));
      for (const exp of required) {
        const hit = model.warnings.find(
          (w) => w.file === exp.file && (exp.line === undefined || w.line === exp.line) && (!exp.message || exp.message.test(w.message)),
        );
        expect(hit, `warning for ${exp.file}${exp.line !== undefined ? `:${exp.line}` : ''} in ${JSON.stringify(model.warnings, null, 1)}`).toBeDefined();
        // The same warning reaches the user on stderr (one line: control characters made visible)
        // and in the document's analysis notes.
        const where = printable(`${hit!.file}${hit!.line > 0 ? `:${hit!.line}` : ''}`);
        expect(gen.stderr).toContain(`warning ${where}: `);
      }
      if (required.length > 0) {
        // The warnings paragraph is in Analysis notes (after what was set aside and what was read, when there is any).
        const notes = doc.slice(doc.indexOf('## Analysis notes'));
        expect(notes.split('\n## ')[0]).toMatch(/\narchdoc could not read everything: /);
      }
      // --strict: any warning fails the run.
      expect(m.code, m.stderr).toBe(model.warnings.length > 0 ? 1 : 0);
      if (required.length > 0) expect(m.code).toBe(1);
      // Outputs never carry where the repository happens to live (no absolute or temp paths).
      const tempName = path.basename(root);
      for (const [what, text] of [
        ['document', doc],
        ['model', m.stdout],
        ['warnings', gen.stderr],
      ] as const) {
        expect(text.includes(tempName), `${what} mentions the temporary directory ${tempName}`).toBe(false);
      }
      c.check?.({ doc, model, stderr: gen.stderr, root });
      // ROBUSTNESS_REPORT=<file> records what each case produced (for the issue's closing note).
      if (process.env.ROBUSTNESS_REPORT) {
        const lines = model.warnings.map((w) => `    ${w.file}${w.line > 0 ? `:${w.line}` : ''} [${w.analyzer}] ${w.message.slice(0, 160)}`);
        fs.appendFileSync(
          process.env.ROBUSTNESS_REPORT,
          `${c.name}: exit ${gen.code}, --strict exit ${m.code}, ${model.warnings.length} warning(s)\n${lines.join('\n')}\n`,
        );
      }
    });
  }
});

describe('unreadable inputs when running as root', () => {
  // chmod 000 does not stop root, so the permission error is simulated where archdoc reads.
  it.runIf(RUNNING_AS_ROOT)('a read failing with EACCES is a warning naming the file; a directory failing is too', async () => {
    const root = makeRepo('eacces', {
      'src/index.ts': 'export const x = 1;\n',
      'src/locked.ts': 'export const locked = true;\n',
      'private/notes.md': '# notes\n',
    });
    const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
    const realRead = fs.readFileSync;
    const realDir = fs.readdirSync;
    const r1 = vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
      if (typeof p === 'string' && p.endsWith(path.join('src', 'locked.ts'))) throw eacces(p);
      return (realRead as (p: fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(p, o);
    }) as typeof fs.readFileSync);
    const r2 = vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (typeof p === 'string' && p.endsWith(`${path.sep}private`)) throw eacces(p);
      return (realDir as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    }) as typeof fs.readdirSync);
    try {
      const gen = await runCli(['generate', '--root', root, '--config', probe], root);
      expect(gen.code, gen.stderr).toBe(0);
      expect(gen.stderr).toContain('warning src/locked.ts: file could not be read (EACCES)');
      expect(gen.stderr).toContain('warning private: directory could not be read (EACCES)');
      expect(headings(fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8'))).toEqual(sections);
      expect((await runCli(['generate', '--strict', '--root', root, '--config', probe], root)).code).toBe(1);
    } finally {
      r1.mockRestore();
      r2.mockRestore();
    }
  });
});

describe('the corpus itself', () => {
  it('keeps the plain manifest every case starts from valid', () => {
    expect(JSON.parse(BASE_MANIFEST).name).toBe('robustness-case');
  });
});
