/**
 * hcl2json runs isolated (issue #21, case 10 follow-up): in a worker thread, with a time limit per
 * file. A parse that takes too long, or a Go runtime that stops, becomes a warning on that file;
 * a fresh worker reads the rest. Files the parser is very slow on never reach it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hclTooManyTemplateMarks } from '../analyzers/terraform/hcl-blocks.js';
import { HclParser, HclParserStopped, hclWorkerTestHooks } from '../analyzers/terraform/hcl-worker.js';
import type { Model } from '../src/model/schema.js';
import { analyseRepo, REPO_ROOT, removeTemps, tempRepo } from './helpers.js';

afterEach(() => {
  removeTemps();
  delete hclWorkerTestHooks.crashOn;
  delete hclWorkerTestHooks.hangOn;
});

const QUEUE = ['resource "aws_sqs_queue" "orders" {', '  name = "orders"', '}', ''].join('\n');
const BUCKET = ['resource "aws_s3_bucket" "assets" {', '  bucket = "assets"', '}', ''].join('\n');
/** A heredoc of `size` `$`: 32 KB take hcl2json about 11 s on this kind of machine, 64 KB most of a minute, 128 KB minutes. */
const dollars = (size: number) => ['locals {', '  script = <<EOT', '$'.repeat(size), 'EOT', '}', ''].join('\n');

const ids = (m: Model) => m.infrastructure.map((i) => i.id);
const warningsOn = (m: Model, file: string) => m.warnings.filter((w) => w.file === file).map((w) => `${w.file}:${w.line}: ${w.message}`);

/** The analyzer with a short time limit, so a stopped parse costs the test half a second. */
const FAST = { analyzers: { terraform: { options: { parseTimeoutMs: 500 } } } };

describe('the HCL parser in a worker', () => {
  it('a parse past the time limit is stopped (the worker is terminated mid-WebAssembly), and a fresh worker parses the next text', async () => {
    const parser = new HclParser(500);
    try {
      await parser.parse('warm.tf', QUEUE, parser.budget());
      const started = Date.now();
      // The parse alone would take most of a minute. It is reported once the thread has ended.
      const slow = parser.parse('slow.tf', dollars(64 * 1024), parser.budget());
      await expect(slow).rejects.toThrow(HclParserStopped);
      await expect(slow).rejects.toThrow('the HCL parser took longer than 0.5 s');
      expect(Date.now() - started).toBeLessThan(10_000);
      await expect(parser.parse('queue.tf', QUEUE, parser.budget())).resolves.toEqual({ resource: { aws_sqs_queue: { orders: [{ name: 'orders' }] } } });
    } finally {
      await parser.close();
    }
  }, 30_000);

  it('invalid HCL is the parser message, not a stopped parser; one budget is shared by every parse of a file', async () => {
    const parser = new HclParser(500);
    try {
      const error = await parser.parse('bad.tf', 'resource "a" {\n', parser.budget()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(HclParserStopped);
      // A budget already spent stops the next parse at once, whatever the text.
      await expect(parser.parse('queue.tf', QUEUE, { ms: 0 })).rejects.toThrow('the HCL parser took longer than 0.5 s');
      await expect(parser.parse('queue.tf', QUEUE, parser.budget())).resolves.toHaveProperty('resource');
    } finally {
      await parser.close();
    }
  }, 30_000);
});

describe('the terraform analyzer with a parser that stalls or stops', () => {
  it('a file the parser never finishes: "Terraform file not parsed: the HCL parser took longer than 0.5 s" at file:1; the files after it are read', async () => {
    hclWorkerTestHooks.hangOn = 'infra/a-hang.tf';
    const root = tempRepo('hcl-hang', { 'infra/a-hang.tf': BUCKET, 'infra/queues.tf': QUEUE });
    const m = await analyseRepo(root, FAST);
    expect(warningsOn(m, 'infra/a-hang.tf')).toEqual(['infra/a-hang.tf:1: Terraform file not parsed: the HCL parser took longer than 0.5 s']);
    expect(ids(m)).toContain('infra:infra/aws_sqs_queue.orders');
    expect(ids(m)).not.toContain('infra:infra/aws_s3_bucket.assets');
  }, 30_000);

  it('a Go runtime that ends mid-parse (as on "fatal error: malloc deadlock"): "Terraform file not parsed: the HCL parser stopped unexpectedly"; the run goes on', async () => {
    hclWorkerTestHooks.crashOn = 'infra/a-crash.tf';
    const root = tempRepo('hcl-crash', { 'infra/a-crash.tf': BUCKET, 'infra/b-crash-free.tf': BUCKET.replace(/assets/g, 'logs'), 'infra/queues.tf': QUEUE });
    const m = await analyseRepo(root, FAST);
    expect(warningsOn(m, 'infra/a-crash.tf')).toEqual(['infra/a-crash.tf:1: Terraform file not parsed: the HCL parser stopped unexpectedly']);
    expect(ids(m)).toEqual(expect.arrayContaining(['infra:infra/aws_s3_bucket.logs', 'infra:infra/aws_sqs_queue.orders']));
    expect(ids(m)).not.toContain('infra:infra/aws_s3_bucket.assets');
    expect(m.warnings.filter((w) => /analyzer failed/.test(w.message) || w.file === '.')).toEqual([]);
  }, 30_000);
});

describe('text hcl2json is very slow on never reaches it', () => {
  it('counts only the $ and % that open no interpolation', () => {
    expect(hclTooManyTemplateMarks('x = "${a}%{ if b }${c}%{ endif }"', 0)).toBeUndefined();
    expect(hclTooManyTemplateMarks('$'.repeat(10), 10)).toBeUndefined();
    expect(hclTooManyTemplateMarks(`x = "${'$a'.repeat(11)}"`, 10)).toBe(5 + 2 * 10);
    expect(hclTooManyTemplateMarks('%'.repeat(11), 10)).toBe(10);
  });

  it('a 128 KB heredoc of $ next to a normal file: a warning at its line, quickly; the normal file is read', async () => {
    const root = tempRepo('hcl-dollars', { 'infra/script.tf': dollars(128 * 1024), 'infra/queues.tf': QUEUE });
    const started = Date.now();
    const m = await analyseRepo(root);
    // Generous bound: the parser alone would take minutes (and the default time limit is 5 s).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(warningsOn(m, 'infra/script.tf')).toEqual([
      "infra/script.tf:3: more than 4096 '$' and '%' characters that open no interpolation, which the HCL parser is very slow on; not parsed",
    ]);
    expect(ids(m)).toContain('infra:infra/aws_sqs_queue.orders');
  }, 60_000);
});

describe('from the built CLI (dist)', () => {
  it('the worker runs from dist: a normal file is read, a hostile one is a warning, and the process exits', () => {
    const root = tempRepo('hcl-cli', { 'infra/script.tf': dollars(32 * 1024), 'infra/queues.tf': QUEUE });
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'archdoc.js'), 'model', '--json', '--root', root], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as Model;
    expect(ids(m)).toContain('infra:infra/aws_sqs_queue.orders');
    expect(warningsOn(m, 'infra/script.tf')).toHaveLength(1);
  }, 130_000);
});
