/**
 * The package as a user gets it (issue #23, parts 2, 3 and 5). `npm pack` runs in a copy of this
 * repository, so its build never touches the shared dist/; its stdout must be the tarball's name
 * alone, as the pre-commit framework reads it. The tarball is then installed into a fresh project
 * and archdoc is run there with npx.
 *
 * No network: the project's lockfile is archdoc's own, its runtime entries only, so every package
 * is one that `npm ci` put in the npm cache, and `npm ci --offline` installs it. (A plain
 * `npm install --offline <tarball>` needs the registry's package documents, which `npm ci` does not
 * cache.) When the cache lacks a package, the tests that need the install are skipped and say which.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package.js';

/** The installed tree's budget: the whole node_modules of a project holding only archdoc. */
const SIZE_BUDGET_MB = 60;
/** What a default install must not hold: the browser stack, and a second TypeScript compiler (ts-morph bundles one). */
const NOT_INSTALLED = ['puppeteer', 'puppeteer-core', '@mermaid-js/mermaid-cli', 'typescript', 'dependency-cruiser'];

const root = packageRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  [k: string]: unknown;
};
const tarballName = `${manifest.name}-${manifest.version}.tgz`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-install-'));
const project = path.join(tmp, 'project');
const MINUTES = 60_000;

/** The environment for a child npm: none of the `npm_*` variables of an enclosing `npm test` but where the cache and registry are. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k.toLowerCase())) env[k] = v;
  // The summary line only: no progress lines in the output the tests read.
  env.CI = 'true';
  return env;
}

function run(command: string, args: string[], cwd: string, timeout = 10 * MINUTES): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout, shell: process.platform === 'win32' });
  if (r.error) throw r.error;
  return r;
}

/** Copy what `npm pack` builds and packs, with this repository's node_modules linked in (for tsc). */
function copyPackage(to: string): void {
  const entries = [
    'bin',
    'src',
    'analyzers',
    'templates',
    'schema',
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    '.npmrc',
    '.puppeteerrc.cjs',
    'README.md',
    'LICENSE',
  ];
  for (const e of entries) if (fs.existsSync(path.join(root, e))) fs.cpSync(path.join(root, e), path.join(to, e), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(to, 'node_modules'), 'junction');
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
  [k: string]: unknown;
}

/** A lockfile for a project whose only dependency is the tarball: archdoc's locked runtime packages, at the same places. */
function projectLock(tarball: string): object {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, object> = {
    '': { name: 'shop-api', version: '1.0.0', devDependencies: { archdoc: `file:${tarballName}` } },
    'node_modules/archdoc': {
      version: manifest.version,
      resolved: `file:${tarballName}`,
      integrity: `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`,
      dev: true,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
    },
  };
  for (const [at, entry] of Object.entries(lock.packages)) {
    if (at === '' || entry.dev || entry.devOptional || entry.link) continue;
    packages[at] = { ...entry, dev: true };
  }
  return { name: 'shop-api', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/** Every installed package (name → folder), nested ones included. */
function installedPackages(modules: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const names = name.startsWith('@') ? fs.readdirSync(path.join(dir, name)).map((n) => `${name}/${n}`) : [name];
      for (const n of names) {
        const at = path.join(dir, n);
        if (!fs.existsSync(path.join(at, 'package.json'))) continue;
        found.set(n, [...(found.get(n) ?? []), at]);
        visit(path.join(at, 'node_modules'));
      }
    }
  };
  visit(modules);
  return found;
}

/** Bytes of the regular files under `dir` (links not followed), and the files whose name matches `pattern`. */
function walk(dir: string, pattern?: RegExp): { bytes: number; matching: string[] } {
  let bytes = 0;
  const matching: string[] = [];
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = fs.lstatSync(path.join(dir, f));
    if (!st.isFile()) continue;
    bytes += st.size;
    if (pattern?.test(path.basename(f))) matching.push(f);
  }
  return { bytes, matching };
}

let packStdout = '';
let tarball = '';
let skipReason: string | undefined;

beforeAll(() => {
  const pkg = path.join(tmp, 'package');
  fs.mkdirSync(pkg);
  copyPackage(pkg);
  // As the pre-commit framework does: plain `npm pack`, stdout read as the tarball's name.
  const packed = run('npm', ['pack', '--pack-destination', tmp], pkg);
  expect(packed.status, packed.stderr).toBe(0);
  packStdout = packed.stdout;
  tarball = path.join(tmp, tarballName);

  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  fs.copyFileSync(tarball, path.join(project, tarballName));
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'shop-api', version: '1.0.0', private: true, devDependencies: { archdoc: `file:${tarballName}` } }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(projectLock(tarball), null, 2) + '\n');
  fs.writeFileSync(
    path.join(project, 'src', 'server.ts'),
    "import express from 'express';\n\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
  );
  const installed = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project);
  if (installed.status !== 0) {
    const missing = /ENOTCACHED[\s\S]*?request to (\S+)/.exec(installed.stderr);
    if (!missing) throw new Error(`npm ci in the test project failed:\n${installed.stderr}`);
    skipReason = `the npm cache does not hold ${missing[1]} (run npm ci in this repository first)`;
  }
}, 30 * MINUTES);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it("prints only the tarball's name on stdout: prepare's build and npm's script banner are not in it (pre-commit installs from that name)", () => {
    expect(packStdout).toBe(`${tarballName}\n`);
    expect(fs.existsSync(tarball)).toBe(true);
  });
});

describe('the packed tarball installed into a fresh project', () => {
  it(
    `holds no puppeteer, no second TypeScript and no compiled-code cache, within ${SIZE_BUDGET_MB} MB`,
    (ctx) => {
      if (skipReason) ctx.skip(skipReason);
      const modules = path.join(project, 'node_modules');
      const names = installedPackages(modules);
      expect(names.has('archdoc')).toBe(true);
      expect(NOT_INSTALLED.filter((n) => names.has(n))).toEqual([]);
      // The TypeScript compiler is the one ts-morph bundles.
      expect(fs.existsSync(path.join(modules, '@ts-morph', 'common', 'dist', 'typescript.js'))).toBe(true);
      expect(walk(path.join(modules, 'archdoc'), /\.v8cache/).matching).toEqual([]);
      const { bytes } = walk(modules);
      expect(bytes / 1e6).toBeLessThan(SIZE_BUDGET_MB);
      ctx.annotate(`installed: ${names.size} packages, ${(bytes / 1e6).toFixed(1)} MB`);
    },
    5 * MINUTES,
  );

  it(
    'npx archdoc writes the document, and leaves the compiled code for the TypeScript compiler in node_modules/.cache',
    (ctx) => {
      if (skipReason) ctx.skip(skipReason);
      const r = run('npx', ['--no-install', 'archdoc'], project);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('wrote docs/ARCHITECTURE.md');
      expect(fs.readFileSync(path.join(project, 'docs', 'ARCHITECTURE.md'), 'utf8')).toContain('`GET /health`');
      expect(fs.readdirSync(path.join(project, 'node_modules', '.cache', 'archdoc')).filter((f) => f.endsWith('.v8cache'))).toHaveLength(1);
    },
    5 * MINUTES,
  );

  it(
    'npx archdoc check passes on the fresh document and fails when a route is added',
    (ctx) => {
      if (skipReason) ctx.skip(skipReason);
      const fresh = run('npx', ['--no-install', 'archdoc', 'check'], project);
      expect(fresh.status, fresh.stderr).toBe(0);
      expect(fresh.stderr).toContain('up to date');
      // The pre-commit recipe's command, given the staged files as pre-commit passes them.
      const hook = run('npx', ['--no-install', 'archdoc', 'check', '--changed', 'src/server.ts'], project);
      expect(hook.status, hook.stderr).toBe(0);
      const server = path.join(project, 'src', 'server.ts');
      const text = fs.readFileSync(server, 'utf8');
      fs.writeFileSync(server, text.replace('app.listen(3000);', "app.get('/orders', (_req, res) => res.json([]));\napp.listen(3000);"));
      try {
        const stale = run('npx', ['--no-install', 'archdoc', 'check', '--changed', 'src/server.ts'], project);
        expect(stale.status, stale.stderr).toBe(1);
        expect(stale.stderr).toContain('GET /orders');
      } finally {
        fs.writeFileSync(server, text);
      }
    },
    5 * MINUTES,
  );

  it(
    'names the packages to add for the dependency-cruiser engine and for SVG diagrams, and still writes the document',
    (ctx) => {
      if (skipReason) ctx.skip(skipReason);
      const config = path.join(project, 'archdoc.config.json');
      fs.writeFileSync(config, JSON.stringify({ analyzers: { imports: { options: { engine: 'dependency-cruiser' } } } }));
      try {
        const cruise = run('npx', ['--no-install', 'archdoc', '--out', '-'], project);
        expect(cruise.status, cruise.stderr).toBe(0);
        expect(cruise.stderr).toContain('`npm install -D dependency-cruiser typescript`');
        expect(cruise.stdout).toContain('`GET /health`');
      } finally {
        fs.rmSync(config);
      }
      const svg = run('npx', ['--no-install', 'archdoc', '--render', 'svg', '--out', 'docs/svg/ARCHITECTURE.md'], project);
      expect(svg.status, svg.stderr).toBe(0);
      expect(svg.stderr).toContain('`npm install -D @mermaid-js/mermaid-cli`');
      const document = fs.readFileSync(path.join(project, 'docs', 'svg', 'ARCHITECTURE.md'), 'utf8');
      expect(document).toContain('```mermaid');
      expect(document).not.toContain('](diagrams/');
    },
    5 * MINUTES,
  );
});
