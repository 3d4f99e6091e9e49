/**
 * Analysed code never runs. fixtures/booby-trapped is a monorepo in which every script, config
 * and module writes a `RAN-*` marker and calls process.exit when it is evaluated: postinstall
 * scripts, a Prisma generator, a Terraform provider with local-exec, framework configs, decoy
 * archdoc.config.* files in sub-packages, side-effect modules, and (added here) installed
 * packages under node_modules. The whole CLI runs on a copy; afterwards no marker exists, the
 * process is alive, no child process was started, and only the user's chosen config was loaded.
 */
import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixturePath } from '../helpers.js';
import { cleanTemps, copyInto, hasAnalyzer, runCli, writeFiles } from './harness.js';

afterAll(() => cleanTemps());

/** Every file under a directory (node_modules included), repo-relative. */
function allFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/'));
}

const markers = (root: string) => allFiles(root).filter((f) => /(^|\/)RAN-/.test(f));

const SIDE_EFFECT_CJS = (name: string) =>
  `require('node:fs').writeFileSync(require('node:path').join(__dirname, '..', '..', 'RAN-${name}'), 'required\\n');\nprocess.exit(97);\n`;

/** A copy of the fixture with trapped installed packages and the user's own config. */
function trappedRepo(): string {
  const root = copyInto(fixturePath('booby-trapped'), 'trapped');
  writeFiles(root, {
    // Installed packages run code when required; resolving an import must never require them.
    'node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.19.2', main: 'index.js', scripts: { postinstall: 'node index.js' } }),
    'node_modules/express/index.js': SIDE_EFFECT_CJS('node_modules-express'),
    'node_modules/ts-plugin-marker/package.json': JSON.stringify({ name: 'ts-plugin-marker', version: '1.0.0', main: 'index.js' }),
    'node_modules/ts-plugin-marker/index.js': SIDE_EFFECT_CJS('node_modules-ts-plugin'),
    'node_modules/@prisma/client/package.json': JSON.stringify({ name: '@prisma/client', version: '6.1.0', main: 'index.js' }),
    'node_modules/@prisma/client/index.js': SIDE_EFFECT_CJS('node_modules-prisma-client'),
    // The user's own configuration: the one piece of the repository archdoc runs, by design.
    'archdoc.config.ts': [
      "import fs from 'node:fs';",
      '',
      "fs.writeFileSync(new URL('./CONFIG-LOADED-root', import.meta.url), 'loaded\\n');",
      '',
      "export default { document: { status: 'Checked by the trap test' } };",
      '',
    ].join('\n'),
    'configs/alt.config.ts': [
      "import fs from 'node:fs';",
      '',
      "fs.writeFileSync(new URL('../CONFIG-LOADED-alt', import.meta.url), 'loaded\\n');",
      '',
      "export default { root: '..', document: { status: 'Chosen with --config' } };",
      '',
    ].join('\n'),
  });
  return root;
}

const CHILD_FNS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
let spawned: string[];
let exitSpy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  spawned = [];
  for (const fn of CHILD_FNS) {
    const real = (childProcess as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!;
    vi.spyOn(childProcess as unknown as Record<string, (...a: unknown[]) => unknown>, fn).mockImplementation((...args: unknown[]) => {
      spawned.push(`${fn} ${JSON.stringify(args.slice(0, 2))}`);
      return real(...args);
    });
  }
  // Named ESM imports of node:child_process see the spies too.
  syncBuiltinESMExports();
  exitSpy = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`process.exit(${code}) was called by analysed code`);
  }) as typeof process.exit);
});
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});

describe('analysed code never runs (fixtures/booby-trapped, whole CLI)', () => {
  it('the traps are armed: each marker writer is in the fixture', () => {
    const files = allFiles(fixturePath('booby-trapped'));
    const armed = files
      .filter((f) => /\.(js|cjs|mjs|ts|mts|tsx)$/.test(f))
      .filter((f) => /RAN-/.test(fs.readFileSync(path.join(fixturePath('booby-trapped'), f), 'utf8')));
    expect(armed.length).toBeGreaterThanOrEqual(15);
    expect(files).toEqual(expect.arrayContaining(['packages/api/archdoc.config.ts', 'packages/web/archdoc.config.mjs', 'packages/web/archdoc.config.json']));
    expect(markers(fixturePath('booby-trapped'))).toEqual([]);
  });

  it('the watchers are armed: a child process started through a named import is seen', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, ['-e', '0']);
    expect(spawned).toHaveLength(1);
    expect(() => process.exit(3)).toThrow(/process\.exit\(3\)/);
  });

  it('generate and model run nothing from the repository but the user’s chosen config', async () => {
    const root = trappedRepo();
    const gen = await runCli(['generate', '--verbose'], root);
    expect(gen.code, gen.stderr).toBe(0);
    const model = await runCli(['model', '--json'], root);
    expect(model.code, model.stderr).toBe(0);
    const check = await runCli(['check'], root);
    expect(check.code, check.stderr).toBe(0);

    expect(markers(root)).toEqual([]);
    expect(exitSpy).not.toHaveBeenCalled();
    expect(spawned).toEqual([]);

    // Only the root config (the user's) was loaded; no decoy took over the output.
    expect(fs.existsSync(path.join(root, 'CONFIG-LOADED-root'))).toBe(true);
    expect(allFiles(root).filter((f) => /HIJACKED/.test(f))).toEqual([]);
    const doc = fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(doc).toContain('| Status | Checked by the trap test |');
    expect(doc).not.toContain('Hijacked');

    // The trapped files were read as text: their facts are in the model.
    const m = JSON.parse(model.stdout) as {
      components: { id: string }[];
      schemas: { id: string }[];
      endpoints: { id: string }[];
      infrastructure: { id: string }[];
    };
    expect(m.components.map((c) => c.id)).toEqual(expect.arrayContaining(['component:packages/api', 'component:packages/web']));
    if (hasAnalyzer('prisma')) expect(JSON.stringify(m.schemas)).toContain('Trap');
    if (hasAnalyzer('endpoints')) expect(m.endpoints.map((e) => e.id).filter((id) => id.endsWith('GET /health'))).toHaveLength(1);
    if (hasAnalyzer('terraform')) expect(JSON.stringify(m.infrastructure)).toContain('trap-jobs');
  });

  it('--config loads exactly the file named, not the one in the root', async () => {
    const root = trappedRepo();
    const r = await runCli(['generate', '--config', 'configs/alt.config.ts'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(root, 'CONFIG-LOADED-alt'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'CONFIG-LOADED-root'))).toBe(false);
    expect(markers(root)).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8')).toContain('| Status | Chosen with --config |');
  });

  it('--root into a package full of decoy configs, with --config naming another file, loads only that file', async () => {
    // Without --config the documented default is archdoc.config.* in the root given; naming a
    // config must override it completely.
    const root = trappedRepo();
    const r = await runCli(['model', '--json', '--root', 'packages/web', '--config', 'archdoc.config.ts'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(markers(root)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'CONFIG-LOADED-root'))).toBe(true);
  });
});
