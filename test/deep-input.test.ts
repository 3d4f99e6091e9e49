/**
 * Deep and malformed input (issue #21, cases 10, 11, 13 and 14): a file nested thousands of levels
 * deep, or an init on a package.json of the wrong shape, never crashes the run or empties an
 * analyzer. Each case is a small temporary repository run through the real pipeline or CLI: the
 * deep file gives a warning naming it and its line, and every other fact is still there. Sizes
 * prove the property (5,000 nested brackets is 10 KB), not stress the machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { defineAnalyzer } from '../src/analyzer/define.js';
import type { Model } from '../src/model/schema.js';
import { jsonTooDeep, MAX_NESTING, valueTooDeep, yamlTooDeep } from '../src/util/nesting.js';
import { hclTooDeep } from '../analyzers/terraform/hcl-blocks.js';
import { sqlTooDeep } from '../analyzers/sql-migrations/split.js';
import { removeTemps, runCli, trackTemp } from './helpers.js';

// hcl2json runs Go in WebAssembly, whose runtime can end a process on input nested a few thousand
// levels deep. It runs in a worker thread (test/hcl-isolation.test.ts); here the nesting pre-check
// must stop deep text before it is handed to the parser at all (its own warning says so).
afterEach(removeTemps);

function repo(files: Record<string, string>): string {
  const root = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-deep-')));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function model(root: string, config: Record<string, unknown> = {}): Promise<Model> {
  await loadConfigSchema();
  return (await analyse(resolveConfig(config, { cwd: root, root }))).model;
}

const nested = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

/** No analyzer failed as a whole, and no warning is about `.` (the whole repository). */
function noAnalyzerFailed(m: Model): void {
  expect(m.warnings.filter((w) => /analyzer failed|link phase failed/.test(w.message) || w.file === '.')).toEqual([]);
}

const PKG = JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '^4.19.0' } }, null, 2);
const APP = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/health', (_req, res) => res.send('ok'));",
  "app.post('/orders', (_req, res) => res.status(201).end());",
  'app.listen(3000);',
  '',
].join('\n');

describe('case 14: deep JSON and YAML no longer empty an analyzer', () => {
  it('an openapi.json 2,000 arrays deep: a warning on its line, and the endpoints from code are all still there', async () => {
    const spec = [
      '{',
      '  "openapi": "3.0.0",',
      '  "info": { "title": "Shop", "version": "1" },',
      '  "paths": {',
      '    "/orders": {',
      '      "get": {',
      `        "x-deep": ${nested('[', ']', 2000)},`,
      '        "responses": { "200": { "description": "ok" } }',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const m = await model(repo({ 'package.json': PKG, 'src/app.ts': APP, 'openapi.json': spec }));
    noAnalyzerFailed(m);
    const ids = m.endpoints.map((e) => e.id);
    expect(ids).toContain('endpoint:GET /health');
    expect(ids).toContain('endpoint:POST /orders');
    expect(m.warnings).toContainEqual(
      expect.objectContaining({ file: 'openapi.json', line: 7, message: expect.stringMatching(/nesting deeper than 256 levels/) }),
    );
  });

  it('an openapi.yaml 5,000 flow collections deep: a warning on its line, and the endpoints from code are still there', async () => {
    const spec = [
      'openapi: 3.0.0',
      'info: { title: Shop, version: "1" }',
      'paths:',
      '  /orders:',
      '    get:',
      `      x-deep: ${nested('[', ']', 5000)}`,
      '',
    ].join('\n');
    const m = await model(repo({ 'package.json': PKG, 'src/app.ts': APP, 'openapi.yaml': spec }));
    noAnalyzerFailed(m);
    expect(m.endpoints.map((e) => e.id)).toEqual(expect.arrayContaining(['endpoint:GET /health', 'endpoint:POST /orders']));
    expect(m.warnings).toContainEqual(expect.objectContaining({ file: 'openapi.yaml', line: 6, message: expect.stringMatching(/nesting deeper than/) }));
  });

  it('a YAML document whose aliases nest it past the limit is left out with a warning; the others are read', async () => {
    // 4 anchors, each nesting the previous one 80 levels deeper: 320 levels once expanded, 80 in the text.
    const lines = ['openapi: 3.0.0', 'info: { title: Shop, version: "1" }', `x-a0: &a0 ${nested('[', ']', 80)}`];
    for (let i = 1; i <= 3; i++) lines.push(`x-a${i}: &a${i} ${nested('[', ']', 80, `*a${i - 1}`)}`);
    lines.push('paths:', '  /orders:', '    get:', '      responses: { "200": { description: ok } }', '');
    const m = await model(repo({ 'package.json': PKG, 'src/app.ts': APP, 'openapi.yaml': lines.join('\n') }));
    noAnalyzerFailed(m);
    expect(m.endpoints.map((e) => e.id)).toEqual(expect.arrayContaining(['endpoint:GET /health', 'endpoint:POST /orders']));
    expect(m.warnings).toContainEqual(
      expect.objectContaining({ file: 'openapi.yaml', message: expect.stringMatching(/aliases nest it deeper than 256 levels/) }),
    );
  });

  it('a .tf.json 8,000 levels deep: a warning on its line, and every other Terraform fact is still there', async () => {
    const deep = ['{', '  "resource": {', '    "aws_s3_bucket": {', `      "assets": { "bucket": ${nested('[', ']', 8000)} }`, '    }', '  }', '}', ''].join(
      '\n',
    );
    const other = JSON.stringify({ resource: { aws_sqs_queue: { orders: { name: 'orders' } }, aws_db_instance: { main: { engine: 'postgres' } } } }, null, 2);
    const m = await model(repo({ 'infra/main.tf.json': deep, 'infra/queues.tf.json': other }));
    noAnalyzerFailed(m);
    const ids = m.infrastructure.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['infra:infra/aws_sqs_queue.orders', 'infra:infra/aws_db_instance.main', 'infra:infra/terraform']));
    expect(m.warnings).toContainEqual(
      expect.objectContaining({ file: 'infra/main.tf.json', line: 4, message: expect.stringMatching(/nesting deeper than 256 levels/) }),
    );
  });

  it('a Helm template 5,000 flow collections deep is skipped with a warning at its line before the YAML parser sees it; the chart is still read', async () => {
    const m = await model(
      repo({
        'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
        'charts/shop/values.yaml': 'image: shop:1.0\n',
        'charts/shop/templates/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  x: ${nested('[', ']', 5000)}\n`,
        'charts/shop/templates/deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: shop\n          image: "{{ .Values.image }}"\n',
      }),
    );
    noAnalyzerFailed(m);
    expect(m.warnings).toContainEqual(
      expect.objectContaining({
        file: 'charts/shop/templates/deep.yaml',
        line: 6,
        message: expect.stringMatching(/nesting deeper than 500 levels; not parsed/),
      }),
    );
    expect(JSON.stringify(m.deployment.workloads)).toContain('shop');
  });

  it('an analyzer that still fails as a whole names the file it last read, never "."', async () => {
    const broken = defineAnalyzer({
      meta: { name: 'broken-plugin', description: 'reads one file, then throws', produces: [] },
      analyze(ctx) {
        ctx.read('notes.txt');
        throw new Error('boom');
      },
    });
    const m = await model(repo({ 'package.json': PKG, 'src/app.ts': APP, 'notes.txt': 'hello\n' }), { plugins: [broken] });
    expect(m.warnings).toContainEqual(
      expect.objectContaining({
        file: 'notes.txt',
        analyzer: 'broken-plugin',
        message: expect.stringMatching(/broken-plugin analyzer failed after reading this file.*boom/),
      }),
    );
    expect(m.warnings.filter((w) => w.file === '.')).toEqual([]);
    expect(m.endpoints.map((e) => e.id)).toContain('endpoint:GET /health');
  });

  it('the JSON and value checks count levels exactly, ignore brackets in strings, and end on cyclic values', () => {
    expect(jsonTooDeep(nested('[', ']', MAX_NESTING))).toBeUndefined();
    expect(jsonTooDeep(nested('[', ']', MAX_NESTING + 1))).toBe(MAX_NESTING);
    expect(jsonTooDeep(`{"a": "${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`)).toBeUndefined();
    expect(valueTooDeep(JSON.parse(nested('[', ']', MAX_NESTING)))).toBe(false);
    expect(valueTooDeep(JSON.parse(nested('[', ']', MAX_NESTING + 1)))).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueTooDeep(cyclic)).toBe(true);
    // YAML: brackets inside quoted and plain scalars and comments are text, not nesting.
    expect(yamlTooDeep(`a: "${'['.repeat(2000)}"\nb: '${'{'.repeat(2000)}'\nc: x${'['.repeat(2000)}\n# ${'['.repeat(2000)}\n`)).toBeUndefined();
    expect(yamlTooDeep(`a: ${'['.repeat(501)}`)).toBe(3 + 500);
    let block = '';
    for (let i = 0; i < 600; i++) block += `${' '.repeat(i)}k:\n`;
    expect(yamlTooDeep(block)).toBeDefined();
  });
});

describe('case 10: deep HCL never reaches hcl2json', () => {
  it('a .tf with 5,000 nested [ is skipped with "nesting deeper than 256 levels; not parsed" at its line; the other files are read', async () => {
    const deep = ['resource "aws_s3_bucket" "assets" {', '  bucket = "assets"', `  tags = ${nested('[', ']', 5000)}`, '}', ''].join('\n');
    const other = ['resource "aws_sqs_queue" "orders" {', '  name = "orders"', '}', ''].join('\n');
    const m = await model(repo({ 'infra/deep.tf': deep, 'infra/queues.tf': other }));
    noAnalyzerFailed(m);
    expect(m.infrastructure.map((i) => i.id)).toContain('infra:infra/aws_sqs_queue.orders');
    expect(m.warnings).toContainEqual(expect.objectContaining({ file: 'infra/deep.tf', line: 3, message: 'nesting deeper than 256 levels; not parsed' }));
    // Only the pre-check's warning: the parser was not handed the file (it would report a syntax error or a stop).
    expect(m.warnings.filter((w) => w.file === 'infra/deep.tf')).toHaveLength(1);
  });

  it('a .tf over 256 KiB is not given to hcl2json (its memory grows with the text and is never given back); the other files are read', async () => {
    const big = `locals {\n${'  # generated\n'.repeat(20_000)}}\n`;
    const other = ['resource "aws_sqs_queue" "orders" {', '  name = "orders"', '}', ''].join('\n');
    const m = await model(repo({ 'infra/big.tf': big, 'infra/queues.tf': other }));
    noAnalyzerFailed(m);
    expect(m.infrastructure.map((i) => i.id)).toContain('infra:infra/aws_sqs_queue.orders');
    expect(m.warnings).toContainEqual(
      expect.objectContaining({ file: 'infra/big.tf', line: 1, message: `${big.length} characters is over the 262144-character limit for HCL; not parsed` }),
    );
  });

  it('the HCL check counts brackets, braces, parentheses and interpolations, but not text in strings, heredocs and comments', () => {
    expect(hclTooDeep(nested('[', ']', 256), 256)).toBeUndefined();
    expect(hclTooDeep(`x = ${nested('[', ']', 257)}`, 256)).toBe(4 + 256);
    expect(hclTooDeep(`x = ${nested('(', ')', 300)}`, 256)).toBeDefined();
    expect(hclTooDeep(`x = ${nested('{ a = ', '}', 300)}`, 256)).toBeDefined();
    // Interpolations nest: "${[ "${[ ... ]}" ]}" is two levels per step.
    expect(hclTooDeep(`x = ${nested('"${', '}"', 200)}`, 256)).toBeDefined();
    const text = '['.repeat(1000) + ']'.repeat(10);
    expect(hclTooDeep(`x = "${text}"\n# ${text}\n// ${text}\n/* ${text} */\ny = <<EOT\n${text}\nEOT\nz = "$\${${text}"\n`, 256)).toBeUndefined();
    // A closing bracket inside a string cannot hide the brackets around it.
    expect(hclTooDeep(`x = ${'['.repeat(200)} "${']'.repeat(200)}" ${'['.repeat(200)}`, 256)).toBeDefined();
  });
});

describe('case 11: deep SQL never reaches the SQL parser', () => {
  it('a migration statement 5,000 parentheses deep gives a warning at its line; the migrations before and after are applied', async () => {
    const m = await model(
      repo({
        'package.json': JSON.stringify({ name: 'db', dependencies: { pg: '^8.0.0' } }),
        'migrations/001_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n',
        'migrations/002_deep.sql': `CREATE TABLE audit (id serial PRIMARY KEY);\n\nCREATE TABLE deep (\n  n int CHECK ${nested('(', ')', 5000, 'n > 0')}\n);\n`,
        'migrations/003_orders.sql': 'CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users(id));\n',
      }),
    );
    noAnalyzerFailed(m);
    const tables = m.schemas.map((s) => s.name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'audit', 'orders']));
    expect(tables).not.toContain('deep');
    expect(m.warnings).toContainEqual(
      expect.objectContaining({
        file: 'migrations/002_deep.sql',
        line: 4,
        message: expect.stringMatching(/^nesting deeper than 256 levels; statement not parsed/),
      }),
    );
  });

  it('the SQL check reads quotes and comments as the parser does', () => {
    expect(sqlTooDeep(nested('(', ')', 256), 256)).toBeUndefined();
    expect(sqlTooDeep(`SELECT ${nested('(', ')', 257)}`, 256)).toBe(7 + 256);
    const text = '('.repeat(1000);
    expect(sqlTooDeep(`SELECT '${text}', "${text}", $$${text}$$, E'\\'${text}' -- ${text}\n/* /* ${text} */ ${text} */ 1`, 256)).toBeUndefined();
    // The parser reads a backslash in '…' as text: a quote after it ends the string, so what follows counts.
    expect(sqlTooDeep(`SELECT 'a\\' ${text} '`, 256)).toBeDefined();
  });
});

describe('case 13: init on a package.json of the wrong shape, or a root that is not there', () => {
  for (const [what, text] of [
    ['null', 'null\n'],
    ['a string', '"str"\n'],
    ['an array', '[]\n'],
    ['scripts that are not an object', '{ "name": "x", "scripts": "x" }\n'],
  ] as const) {
    it(`package.json holding ${what}: a plain message, exit 2, and package.json left as it was`, async () => {
      const root = repo({ 'package.json': text });
      const r = await runCli(['init', '--yes'], root, { interactive: false });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/archdoc: .*package\.json.*add them by hand/);
      expect(r.stderr).not.toMatch(/unexpected error|TypeError|\n\s+at /);
      expect(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).toBe(text);
    });
  }

  it('init --root naming a directory that does not exist: exit 2 with one plain line', async () => {
    const root = repo({});
    const r = await runCli(['init', '--yes', '--root', path.join(root, 'nonexistent')], root, { interactive: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^archdoc: .*nonexistent.* is not a directory\n$/);
    expect(fs.existsSync(path.join(root, 'nonexistent'))).toBe(false);
  });
});
