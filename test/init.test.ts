/** archdoc init asks the reader's needs (in a terminal only) and writes them; generate --interactive asks before writing. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Prompts } from '../src/cli/prompts.js';
import { loadConfig } from '../src/config/load.js';
import { fixturePath, REPO_ROOT } from './helpers.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `archdoc-init-${name}-`));
  temps.push(dir);
  fs.cpSync(fixturePath(name), dir, { recursive: true });
  // As after `npm install -D archdoc`: the config's `import { defineConfig } from 'archdoc'` resolves.
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'archdoc'), 'dir');
  return dir;
}

/** Scripted answers; records every question asked. */
function scripted(answers: unknown[]): Prompts & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (answers.length === 0) throw new Error(`unexpected question: ${message}`);
    return Promise.resolve(answers.shift());
  };
  return {
    asked,
    select: (m) => next(m) as never,
    checkbox: (m) => next(m) as never,
    confirm: (m) => next(m) as never,
  };
}

async function run(args: string[], cwd: string, extra: { interactive?: boolean; prompts?: Prompts } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, ...extra });
  return { code, stdout, stderr };
}

describe('archdoc init', () => {
  it('asks the six questions in a terminal, shows what it found, and writes the answers', async () => {
    const repo = copyFixture('npm-workspaces-shop');
    const prompts = scripted(['comprehensive', 'product', ['security', 'deployment'], false, false, false]);
    const r = await run(['init'], repo, { interactive: true, prompts });
    expect(r.code).toBe(0);
    expect(prompts.asked).toEqual([
      'Documentation depth',
      'Target audience',
      'Focus areas',
      'Include detailed diagrams?',
      'Present design decisions as ADRs?',
      'Analyse infrastructure code (Terraform, Kubernetes, Docker, CI)?',
    ]);
    expect(r.stderr).toMatch(/found 4 workspace packages, 4 TypeScript files/);
    const config = await loadConfig({ cwd: repo });
    expect(config).toMatchObject({ depth: 'comprehensive', audience: 'product', focus: ['security', 'deployment'], adrs: false });
    expect(config.diagrams.detailed).toBe(false);
    expect(config.analyzers.terraform).toEqual({ enabled: false, options: {} });
    expect(config.analyzers.kubernetes).toEqual({ enabled: false, options: {} });
  });

  it('never asks outside a terminal or with --yes; flags answer unattended', async () => {
    const repo = copyFixture('express-prisma-api');
    const never = scripted([]);
    expect((await run(['init'], repo, { interactive: false, prompts: never })).code).toBe(0);
    expect(never.asked).toEqual([]);
    expect(await loadConfig({ cwd: repo })).toMatchObject({ depth: 'standard', audience: 'technical', focus: ['all'], adrs: true });

    const repo2 = copyFixture('express-prisma-api');
    expect((await run(['init', '--yes', '--depth', 'quick', '--audience', 'customer-success', '--focus', 'security', '--no-adrs'], repo2, { interactive: true, prompts: never })).code).toBe(0);
    expect(never.asked).toEqual([]);
    expect(await loadConfig({ cwd: repo2 })).toMatchObject({ depth: 'quick', audience: 'customer-success', focus: ['security'], adrs: false });
    expect((await run(['init', '--force', '--depth', 'deep'], repo2)).code).toBe(2);
  });

  it('the written config generates a document with that profile', async () => {
    const repo = copyFixture('express-prisma-api');
    await run(['init', '--yes', '--depth', 'quick', '--audience', 'mixed'], repo);
    expect((await run(['--quiet'], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8')).toContain('Depth: quick; audience: mixed');
  });
});

describe('archdoc generate --interactive', () => {
  it('shows the diff and writes only when the answer is yes', async () => {
    const repo = copyFixture('express-prisma-api');
    const doc = path.join(repo, 'docs', 'ARCHITECTURE.md');
    const no = await run(['generate', '--interactive'], repo, { interactive: true, prompts: scripted([false]) });
    expect(no.code).toBe(0);
    expect(no.stdout).toMatch(/^\+# orders-api/m);
    expect(fs.existsSync(doc)).toBe(false);
    const yes = await run(['generate', '--interactive'], repo, { interactive: true, prompts: scripted([true]) });
    expect(yes.code).toBe(0);
    expect(fs.existsSync(doc)).toBe(true);
  });

  it('outside a terminal it shows the diff and writes nothing, without asking', async () => {
    const repo = copyFixture('express-prisma-api');
    const r = await run(['generate', '--interactive'], repo, { interactive: false, prompts: scripted([]) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(r.stdout).toMatch(/^\+# orders-api/m);
    expect(fs.existsSync(path.join(repo, 'docs', 'ARCHITECTURE.md'))).toBe(false);
  });
});
