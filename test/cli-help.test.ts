/**
 * A CLI that helps (issue #23, part 4): a typo names the nearest command instead of being read
 * as the default command's argument, a bad flag value is blamed on the flag, Ctrl-C at a
 * question exits quietly with 130, `--out -` prints the document, and progress lines are for a
 * terminal only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Prompts } from '../src/cli/prompts.js';
import { findProjectRoot } from '../src/config/load.js';
import { REPO_ROOT, removeTemps, runCli, tempRepo, tinyApiRepo } from './helpers.js';

afterEach(removeTemps);

describe('mistakes get short, precise messages', () => {
  it('a misspelt command suggests the nearest one, in a line or two, and runs nothing', async () => {
    const repo = tinyApiRepo();
    const r = await runCli(['chekc'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "chekc"\. Did you mean `archdoc check`\?/);
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(2);
    expect(fs.existsSync(path.join(repo, 'docs'))).toBe(false);
    // A word near no command gets the list, without a guess.
    expect((await runCli(['deploy'], repo)).stderr).not.toMatch(/Did you mean/);
  });

  it('options before the command are fine; a misspelt command after options is still named', async () => {
    const repo = tinyApiRepo();
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    expect((await runCli(['--verbose', 'check'], repo)).code).toBe(0);
    expect((await runCli(['--root', '.', 'check', '--quiet'], repo)).code).toBe(0);
    const typo = await runCli(['--root', '.', 'chekc'], repo);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command "chekc"\. Did you mean `archdoc check`\?/);
    const help = await runCli(['help', 'chekc'], repo);
    expect(help.code).toBe(2);
    expect(help.stderr).toMatch(/Did you mean `archdoc check`\?/);
  });

  it('a misspelt flag gets a suggestion, not the whole help', async () => {
    const r = await runCli(['--dryrun'], tinyApiRepo());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Did you mean --dry-run\?/);
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(4);
  });

  it('a bad flag value is blamed on the flag, not the config', async () => {
    const repo = tinyApiRepo();
    fs.writeFileSync(path.join(repo, 'archdoc.config.json'), JSON.stringify({ depth: 'standard' }));
    const r = await runCli(['check', '--depth', 'deep'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--depth/);
    expect(r.stderr).toMatch(/quick, standard, comprehensive/);
    expect(r.stderr).not.toMatch(/config/);
  });

  it('Ctrl-C at a question exits quietly with 130', async () => {
    const stop = (): never => {
      const e = new Error('User force closed the prompt with SIGINT');
      e.name = 'ExitPromptError';
      throw e;
    };
    const prompts: Prompts = { select: async () => stop(), checkbox: async () => stop(), confirm: async () => stop() };
    const r = await runCli(['init'], tinyApiRepo(), { interactive: true, prompts });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('output', () => {
  it('--out - prints the document on stdout and writes nothing', async () => {
    const repo = tinyApiRepo();
    const r = await runCli(['--out', '-'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!-- archdoc: generated document/);
    expect(r.stdout).toContain('# tiny-api — System architecture');
    expect(fs.existsSync(path.join(repo, '-'))).toBe(false);
    expect(fs.existsSync(path.join(repo, 'docs'))).toBe(false);
    expect((await runCli(['check', '--out', '-'], repo)).code).toBe(2);
  });

  it('progress lines only at a terminal or with --verbose; the summary line always', async () => {
    const repo = tinyApiRepo();
    const plain = await runCli([], repo);
    expect(plain.stderr).not.toMatch(/discover:/);
    expect(plain.stderr).toMatch(/wrote docs\/ARCHITECTURE\.md/);
    expect((await runCli(['--dry-run'], repo, { isTTY: true })).stderr).toMatch(/discover:/);
    expect((await runCli(['--dry-run', '--verbose'], repo)).stderr).toMatch(/discover:/);
  });

  it('the Node.js version bin/archdoc.js checks is the one package.json promises', () => {
    const engines = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).engines.node as string;
    const bin = fs.readFileSync(path.join(REPO_ROOT, 'bin', 'archdoc.js'), 'utf8');
    const min = /const MIN_NODE = \[(\d+), (\d+)\];/.exec(bin);
    expect(min).not.toBeNull();
    expect(engines).toBe(`>=${min![1]}.${min![2]}`);
  });
});

describe('where it runs', () => {
  it('run in a subfolder, it documents the project above and says so; nothing is written in the subfolder', async () => {
    const repo = tinyApiRepo();
    const src = path.join(repo, 'src');
    const r = await runCli([], src);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/using \.\. as the root \(it holds package\.json\)/);
    expect(fs.existsSync(path.join(repo, 'docs', 'ARCHITECTURE.md'))).toBe(true);
    expect(fs.existsSync(path.join(src, 'docs'))).toBe(false);
    expect(fs.existsSync(path.join(src, 'node_modules'))).toBe(false);
  });

  it('init and adr new find the root upwards too', async () => {
    const repo = tinyApiRepo();
    const src = path.join(repo, 'src');
    const adr = await runCli(['adr', 'new', 'Use PostgreSQL'], src);
    expect(adr.code).toBe(0);
    expect(adr.stderr).toMatch(/using \.\. as the root/);
    expect(fs.readdirSync(path.join(repo, 'docs', 'adr'))).toEqual(['0001-use-postgresql.md']);
    expect((await runCli(['init', '--yes'], src)).code).toBe(0);
    expect(fs.existsSync(path.join(repo, 'archdoc.config.ts'))).toBe(true);
    expect(fs.existsSync(path.join(src, 'archdoc.config.ts'))).toBe(false);
  });

  it('the root search knows other languages and deployment files, and never climbs to the home folder', () => {
    const home = tempRepo('home', {
      'package.json': '{}',
      'downloads/go-app/go.mod': 'module x\n',
      'downloads/go-app/cmd/api/main.go': 'package main\n',
      'downloads/loose/notes.txt': 'x\n',
    });
    expect(findProjectRoot(path.join(home, 'downloads/go-app/cmd/api'), home)).toEqual({ root: path.join(home, 'downloads/go-app'), marker: 'go.mod' });
    expect(findProjectRoot(path.join(home, 'downloads/loose'), home)).toEqual({ root: path.join(home, 'downloads/loose') });
  });

  it('an empty directory gets a warning, no document and no node_modules', async () => {
    const dir = tempRepo('empty', {});
    const r = await runCli([], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: nothing to analyse under \. \(no files found/);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await runCli(['--strict'], dir)).code).toBe(1);
  });

  it('no node_modules is created for the cache where there is none', async () => {
    const repo = tinyApiRepo();
    expect((await runCli([], repo)).code).toBe(0);
    expect((await runCli(['check'], repo)).code).toBe(0);
    expect(fs.existsSync(path.join(repo, 'node_modules'))).toBe(false);
  });

  it('an `archdoc` key in package.json is the configuration when there is no config file', async () => {
    const repo = tinyApiRepo();
    const pkgFile = path.join(repo, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, archdoc: { output: 'docs/SYSTEM.md', depth: 'quick' } }, null, 2));
    expect((await runCli([], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'docs', 'SYSTEM.md'), 'utf8')).toMatch(/Depth: quick/);
    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, archdoc: { deepth: 'quick' } }, null, 2));
    const bad = await runCli([], repo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/package\.json.*deepth/);
  });
});
