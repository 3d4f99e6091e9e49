/** archdoc init asks the reader's needs (in a terminal only) and writes them; generate --interactive asks before writing. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Prompts } from '../src/cli/prompts.js';
import { loadConfig } from '../src/config/load.js';
import { copyFixture, removeTemps, REPO_ROOT, runCli } from './helpers.js';

afterEach(removeTemps);

function copyWithArchdoc(name: string): string {
  const dir = copyFixture(name);
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

describe('archdoc init', () => {
  it('asks the six questions in a terminal, shows what it found, and writes the answers', async () => {
    const repo = copyWithArchdoc('npm-workspaces-shop');
    const prompts = scripted(['comprehensive', 'product', ['security', 'deployment'], false, false, false]);
    const r = await runCli(['init'], repo, { interactive: true, prompts });
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

  it('never follows a package.json or config link out of the root (the outside files stay as they were)', async () => {
    const repo = copyFixture('layered-adr-service');
    const outside = copyFixture('nestjs-api');
    const outsideManifest = path.join(outside, 'package.json');
    const before = fs.readFileSync(outsideManifest, 'utf8');
    fs.rmSync(path.join(repo, 'package.json'));
    fs.symlinkSync(outsideManifest, path.join(repo, 'package.json'));
    fs.symlinkSync(path.join(outside, 'planted.ts'), path.join(repo, 'archdoc.config.ts'));
    const r = await runCli(['init', '--yes', '--force'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/archdoc\.config\.ts .*refusing to read or write it/);
    expect(fs.existsSync(path.join(outside, 'planted.ts'))).toBe(false);
    fs.rmSync(path.join(repo, 'archdoc.config.ts'));
    const again = await runCli(['init', '--yes'], repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/package\.json could not be read \(package\.json leads outside/);
    expect(fs.readFileSync(outsideManifest, 'utf8')).toBe(before);
  });

  it('never asks outside a terminal or with --yes; flags answer unattended', async () => {
    const repo = copyWithArchdoc('express-prisma-api');
    const never = scripted([]);
    expect((await runCli(['init'], repo, { interactive: false, prompts: never })).code).toBe(0);
    expect(never.asked).toEqual([]);
    expect(await loadConfig({ cwd: repo })).toMatchObject({ depth: 'standard', audience: 'technical', focus: ['all'], adrs: true });

    const repo2 = copyWithArchdoc('express-prisma-api');
    expect(
      (
        await runCli(['init', '--yes', '--depth', 'quick', '--audience', 'customer-success', '--focus', 'security', '--no-adrs'], repo2, {
          interactive: true,
          prompts: never,
        })
      ).code,
    ).toBe(0);
    expect(never.asked).toEqual([]);
    expect(await loadConfig({ cwd: repo2 })).toMatchObject({ depth: 'quick', audience: 'customer-success', focus: ['security'], adrs: false });
    expect((await runCli(['init', '--force', '--depth', 'deep'], repo2)).code).toBe(2);
  });

  it('the written config generates a document with that profile', async () => {
    const repo = copyWithArchdoc('express-prisma-api');
    await runCli(['init', '--yes', '--depth', 'quick', '--audience', 'mixed'], repo);
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'docs', 'ARCHITECTURE.md'), 'utf8')).toContain('Depth: quick; audience: mixed');
  });
});

describe('archdoc generate --interactive', () => {
  it('shows the diff and writes only when the answer is yes', async () => {
    const repo = copyWithArchdoc('express-prisma-api');
    const doc = path.join(repo, 'docs', 'ARCHITECTURE.md');
    const no = await runCli(['generate', '--interactive'], repo, { interactive: true, prompts: scripted([false]) });
    expect(no.code).toBe(0);
    expect(no.stdout).toMatch(/^\+# orders-api/m);
    expect(fs.existsSync(doc)).toBe(false);
    const yes = await runCli(['generate', '--interactive'], repo, { interactive: true, prompts: scripted([true]) });
    expect(yes.code).toBe(0);
    expect(fs.existsSync(doc)).toBe(true);
  });

  it('outside a terminal it shows the diff and writes nothing, without asking', async () => {
    const repo = copyWithArchdoc('express-prisma-api');
    const r = await runCli(['generate', '--interactive'], repo, { interactive: false, prompts: scripted([]) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(r.stdout).toMatch(/^\+# orders-api/m);
    expect(fs.existsSync(path.join(repo, 'docs', 'ARCHITECTURE.md'))).toBe(false);
  });
});
