/**
 * Issue #21, paths and writes: what a hostile repository's links, devices and files can make
 * archdoc read, print or write, and what of it runs. Every case runs the CLI (in process, or the
 * built bin/archdoc.js in a child when the bad behaviour would hurt the test process) on a small
 * temporary repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeHooks } from '../src/pipeline/write.js';
import { REPO_ROOT, removeTemps, runCli, tinyApiRepo, trackTemp } from './helpers.js';

afterEach(() => {
  delete writeHooks.beforeRename;
  removeTemps();
});

function tempDir(label: string): string {
  return trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), `archdoc-h1-${label}-`)));
}

const tinyRepo = tinyApiRepo;

const DOC = path.join('docs', 'ARCHITECTURE.md');
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|unexpected error/);

function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'archdoc.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('case 1: check never prints what it would refuse to write', () => {
  it('a document linked to a file outside the root: exit 2, nothing of it printed, as text or JSON', async () => {
    const repo = tinyRepo();
    const outside = path.join(tempDir('outside'), 'secret.md');
    fs.writeFileSync(outside, '<!-- archdoc:generated -->\nOUTSIDE-SECRET-VALUE\n');
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.symlinkSync(outside, path.join(repo, DOC));
    for (const args of [['check'], ['check', '--format', 'json'], ['check', '--format', 'github'], ['generate', '--dry-run']]) {
      const r = await runCli(args, repo);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('OUTSIDE-SECRET-VALUE');
      expect(r.stderr).toMatch(/docs\/ARCHITECTURE\.md leads outside .* through a symbolic link/);
      noStack(r.stderr);
    }
    expect(fs.readFileSync(outside, 'utf8')).toContain('OUTSIDE-SECRET-VALUE');
  });

  it.runIf(fs.existsSync('/proc/self/environ'))('a document linked to /proc/self/environ prints no environment', async () => {
    const repo = tinyRepo();
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.symlinkSync('/proc/self/environ', path.join(repo, DOC));
    process.env.ARCHDOC_H1_TOKEN = 'tok-h1-never-printed';
    try {
      for (const args of [['check'], ['check', '--format', 'json']]) {
        const r = await runCli(args, repo);
        expect(r.code).toBe(2);
        expect(r.stdout + r.stderr).not.toContain('tok-h1-never-printed');
      }
    } finally {
      delete process.env.ARCHDOC_H1_TOKEN;
    }
  });

  it.runIf(fs.existsSync('/proc/self/environ'))(
    'even an --out the user gives is read only when it is a regular file of the size it says (/proc files are not)',
    async () => {
      const repo = tinyRepo();
      const r = await runCli(['check', '--out', '/proc/self/environ', '--format', 'json'], repo);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/holds more than its size says/);
    },
  );
});

describe('case 3: devices, FIFOs and links are never read through or replaced', () => {
  it('documents linked to /dev/zero, /dev/stdin or /dev/null are refused at once, never read or replaced', async () => {
    for (const device of ['/dev/zero', '/dev/stdin', '/dev/null']) {
      const repo = tinyRepo();
      fs.mkdirSync(path.join(repo, 'docs'));
      fs.symlinkSync(device, path.join(repo, DOC));
      for (const args of [['check', '--no-cache'], ['generate']]) {
        const r = await runCli(args, repo);
        expect(r.code, `${device}: ${args.join(' ')}`).toBe(2);
        expect(r.stderr).toMatch(/refusing to read or write it/);
        noStack(r.stderr);
      }
      expect(fs.lstatSync(path.join(repo, DOC)).isSymbolicLink()).toBe(true);
    }
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('--out naming a character device or a FIFO is refused (the device is not replaced, the FIFO not opened)', async () => {
    const repo = tinyRepo();
    const r = await runCli(['generate', '--dry-run', '--out', '/dev/null'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/null is not a regular file \(a character device\)/);
    const fifo = path.join(tempDir('fifo'), 'doc.md');
    execFileSync('mkfifo', [fifo]);
    const f = await runCli(['generate', '--out', fifo], repo);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/is not a regular file \(a FIFO\)/);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it.runIf(fs.existsSync('/dev/full'))('--out /dev/full is a clean exit 2, not a crash (built CLI, in a child process)', () => {
    const repo = tinyRepo();
    const r = runBin(['generate', '--out', '/dev/full'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/full is not a regular file/);
    noStack(r.stderr);
  });

  it('a linked docs/ directory leading outside the root: nothing is written there', async () => {
    const repo = tinyRepo();
    const outside = tempDir('outside-docs');
    fs.symlinkSync(outside, path.join(repo, 'docs'));
    const r = await runCli(['generate'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads outside/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('links that stay inside the root are followed, and an --out outside the root that the user typed is allowed', async () => {
    const repo = tinyRepo();
    fs.mkdirSync(path.join(repo, 'handbook'));
    fs.symlinkSync(path.join(repo, 'handbook'), path.join(repo, 'docs'));
    expect((await runCli(['generate'], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'handbook', 'ARCHITECTURE.md'), 'utf8')).toContain('tiny-api');
    expect((await runCli(['check', '--no-cache'], repo)).code).toBe(0);
    const elsewhere = path.join(tempDir('explicit-out'), 'ARCH.md');
    expect((await runCli(['generate', '--out', elsewhere], repo)).code).toBe(0);
    expect(fs.readFileSync(elsewhere, 'utf8')).toContain('tiny-api');
  });

  it('a config `output` leading out of the root is refused (only --out may)', async () => {
    const outside = tempDir('config-out');
    const repo = tinyRepo({ 'archdoc.config.json': JSON.stringify({ output: path.join(outside, 'ARCH.md') }) });
    fs.mkdirSync(path.join(repo, 'docs'));
    const r = await runCli(['generate'], repo);
    expect(r.code).toBe(2);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});

describe('case 3: ADRs stay inside the root, and superseding is atomic', () => {
  const ADR1 = '# 1. Use PostgreSQL\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n';

  it('--supersedes rewrites the old ADR by rename (a new file), marking it superseded', async () => {
    const repo = tinyRepo({ 'docs/adr/0001-use-postgresql.md': ADR1 });
    const old = path.join(repo, 'docs/adr/0001-use-postgresql.md');
    const inode = fs.statSync(old).ino;
    const r = await runCli(['adr', 'new', 'Use CockroachDB', '--supersedes', '1', '--date', '2025-01-01'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('docs/adr/0002-use-cockroachdb.md\n');
    expect(fs.readFileSync(old, 'utf8')).toContain('Superseded by [0002. Use CockroachDB](0002-use-cockroachdb.md)');
    // Replaced by a rename, not written in place: a crash leaves the old text or the new.
    expect(fs.statSync(old).ino).not.toBe(inode);
    expect(fs.readdirSync(path.join(repo, 'docs/adr')).sort()).toEqual(['0001-use-postgresql.md', '0002-use-cockroachdb.md']);
  });

  it('a linked ADR leading outside the root is neither rewritten nor used, and no new ADR is written', async () => {
    const repo = tinyRepo();
    const outside = path.join(tempDir('outside-adr'), 'victim.md');
    fs.writeFileSync(outside, ADR1);
    fs.mkdirSync(path.join(repo, 'docs/adr'), { recursive: true });
    fs.symlinkSync(outside, path.join(repo, 'docs/adr/0001-use-postgresql.md'));
    const r = await runCli(['adr', 'new', 'Use CockroachDB', '--supersedes', '1'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/0001-use-postgresql\.md leads outside/);
    noStack(r.stderr);
    expect(fs.readFileSync(outside, 'utf8')).toBe(ADR1);
    expect(fs.readdirSync(path.join(repo, 'docs/adr'))).toEqual(['0001-use-postgresql.md']);
  });

  it('a linked docs/adr or docs/ directory leading outside the root gets no new ADR', async () => {
    for (const linked of ['docs/adr', 'docs']) {
      const repo = tinyRepo();
      const outside = tempDir('outside-adr-dir');
      fs.mkdirSync(path.dirname(path.join(repo, linked)), { recursive: true });
      fs.symlinkSync(outside, path.join(repo, linked));
      const r = await runCli(['adr', 'new', 'Anything'], repo);
      expect(r.code, linked).toBe(2);
      expect(r.stderr).toMatch(/leads outside/);
      expect(fs.readdirSync(outside)).toEqual([]);
    }
  });
});

describe('case 2: the repository’s puppeteer configuration never runs', () => {
  it('generate --render svg with a .puppeteerrc.cjs (and puppeteer.config.cjs) in the repository: no marker (built CLI)', () => {
    const repo = tinyRepo();
    const trap = (marker: string) => `require('node:fs').writeFileSync(${JSON.stringify(path.join(repo, marker))}, 'ran');\nmodule.exports = {};\n`;
    fs.writeFileSync(path.join(repo, '.puppeteerrc.cjs'), trap('RAN-puppeteerrc'));
    fs.writeFileSync(path.join(repo, 'puppeteer.config.cjs'), trap('RAN-puppeteer-config'));
    // No browser is needed: puppeteer reads its configuration when it is imported, before one is looked for.
    const r = runBin(['generate', '--render', 'svg'], repo, { PUPPETEER_EXECUTABLE_PATH: path.join(repo, 'no-browser') });
    expect(r.code).toBe(0);
    // Without a browser the diagrams stay inline (no link to an SVG that is never written); mermaid-cli,
    // and puppeteer with it, were still imported to find that out.
    expect(fs.readFileSync(path.join(repo, DOC), 'utf8')).not.toContain('](diagrams/');
    expect(r.stderr).toMatch(/SVG diagrams not rendered: PUPPETEER_EXECUTABLE_PATH .* the diagrams stay inline as Mermaid/);
    expect(fs.existsSync(path.join(repo, 'RAN-puppeteerrc'))).toBe(false);
    expect(fs.existsSync(path.join(repo, 'RAN-puppeteer-config'))).toBe(false);
  });
});

describe('case 13: config misuse is a clean exit 2 naming the file', () => {
  it('a config that throws null, or whose export has a throwing getter', async () => {
    for (const text of ['throw null;\nexport default {};\n', "export default { get depth() { throw new Error('getter exploded'); } };\n"]) {
      const repo = tinyRepo({ 'archdoc.config.ts': text });
      const r = await runCli(['check'], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^archdoc: archdoc\.config\.ts: could not be loaded: (null|getter exploded)\n$/);
    }
  });

  it('a plugin emitting a malformed fact: exit 2 or a warning naming the plugin, no stack', async () => {
    const repo = tinyRepo({
      'archdoc.config.ts': [
        'export default {',
        '  plugins: [{',
        "    meta: { name: 'bad-plugin', description: 'emits nonsense', produces: ['components'] },",
        "    analyze(ctx) { ctx.emit('components', { id: 5 }); },",
        '  }],',
        '};',
        '',
      ].join('\n'),
    });
    const r = await runCli(['generate'], repo);
    expect([0, 2]).toContain(r.code);
    expect(r.stderr).toMatch(/bad-plugin/);
    noStack(r.stderr);
  });

  it('init --root /nonexistent', async () => {
    const repo = tinyRepo();
    const r = await runCli(['init', '--yes', '--root', path.join(repo, 'no-such-dir')], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-dir/);
    noStack(r.stderr);
  });
});

describe('case 16: an edit saved while generate runs is never lost', () => {
  it('a change between reading and renaming is merged in (its human block kept), not overwritten', async () => {
    const repo = tinyRepo();
    expect((await runCli(['generate'], repo)).code).toBe(0);
    const doc = path.join(repo, DOC);
    fs.appendFileSync(path.join(repo, 'src/server.ts'), "app.get('/orders', (_req, res) => res.send([]));\n");
    let calls = 0;
    writeHooks.beforeRename = (file) => {
      calls++;
      if (calls > 1) return;
      // An editor saves the document after archdoc read it and before it renames over it.
      const text = fs.readFileSync(file, 'utf8').replace(/(<!-- archdoc:human id="summary:executive" -->\n)_TODO[^\n]*/, '$1Saved by an editor mid-run.');
      expect(text).toContain('Saved by an editor mid-run.');
      fs.writeFileSync(file, text);
    };
    const r = await runCli(['generate'], repo);
    expect(r.code).toBe(0);
    expect(calls).toBe(2);
    const after = fs.readFileSync(doc, 'utf8');
    expect(after).toContain('Saved by an editor mid-run.');
    expect(after).toContain('/orders');
  });

  it('a document that keeps changing is refused (exit 2) and the last save is left as it is', async () => {
    const repo = tinyRepo();
    expect((await runCli(['generate'], repo)).code).toBe(0);
    fs.appendFileSync(path.join(repo, 'src/server.ts'), "app.get('/orders', (_req, res) => res.send([]));\n");
    let n = 0;
    writeHooks.beforeRename = (file) => fs.appendFileSync(file, `\nsave ${++n}\n`);
    const r = await runCli(['generate'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/docs\/ARCHITECTURE\.md kept changing on disk/);
    expect(fs.readFileSync(path.join(repo, DOC), 'utf8')).toMatch(/save 3\n$/);
    expect(fs.readdirSync(path.join(repo, 'docs')).filter((f) => f.includes('archdoc-tmp'))).toEqual([]);
  });
});

describe('case 17: the freshness cache sees the files the config loads', () => {
  it('a local plugin outside the analysed files changes: check is stale, not up to date from the cache', async () => {
    // The plugin's behaviour is in its own file, which the config imports: nothing in the config's text or settings changes.
    const plugin = (name: string) =>
      [
        'export const plugin = {',
        "  meta: { name: 'local-tech', description: 'adds a technology', produces: ['techStack'] },",
        '  analyze(ctx: any) {',
        `    ctx.emit('techStack', { id: 'tech:${name}', name: '${name}', category: 'framework', layer: 'backend', usedBy: [], evidence: [{ file: 'package.json', line: 1 }] });`,
        '  },',
        '};',
        '',
      ].join('\n');
    const repo = tinyRepo({
      'archdoc.config.ts': "import { plugin } from './tools/archdoc-plugin';\nexport default { exclude: ['tools/**'], plugins: [plugin] };\n",
      'tools/archdoc-plugin.ts': plugin('Firstframe'),
    });
    expect((await runCli(['generate'], repo)).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, DOC), 'utf8')).toContain('Firstframe');
    expect((await runCli(['check'], repo)).code).toBe(0);
    fs.writeFileSync(path.join(repo, 'tools/archdoc-plugin.ts'), plugin('Secondframe'));
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\+.*Secondframe/m);
  });

  it('a user template changes: check is stale', async () => {
    const repo = tinyRepo({ 'archdoc.config.json': JSON.stringify({ templates: 'doc-templates', exclude: ['doc-templates/**'] }) });
    expect((await runCli(['generate'], repo)).code).toBe(0);
    expect((await runCli(['check'], repo)).code).toBe(0);
    const builtin = path.join(REPO_ROOT, 'templates');
    const name = fs.readdirSync(path.join(builtin, 'sections')).find((f) => f.endsWith('.njk'))!;
    fs.mkdirSync(path.join(repo, 'doc-templates', 'sections'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'doc-templates', 'sections', name),
      fs.readFileSync(path.join(builtin, 'sections', name), 'utf8') + '\nA LINE FROM THE USER TEMPLATE\n',
    );
    const r = await runCli(['check'], repo);
    expect(r.code).toBe(1);
  });
});
