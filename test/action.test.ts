/**
 * The GitHub Action: its inputs reach the shell as data, never as script text; it runs in the
 * `working-directory` input and passes on archdoc's `stale` output (issue #23, part 3).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REPO_ROOT, removeTemps, trackTemp } from './helpers.js';

afterEach(removeTemps);

interface Step {
  id?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { steps: Step[] };
};
const steps = action.runs.steps.filter((s) => s.run !== undefined);

describe('action.yml', () => {
  it('has no expression inside a run script (an input interpolated there is shell code)', () => {
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s.run).not.toContain('${{');
  });

  it("runs in the working-directory input (the checkout by default) and passes on the step's stale output", () => {
    expect(action.inputs['working-directory']).toMatchObject({ required: false, default: '.' });
    const step = steps.find((s) => s.run!.includes('archdoc check'))!;
    expect(step['working-directory']).toBe('${{ inputs.working-directory }}');
    expect(step.id).toBeDefined();
    expect(action.outputs.stale!.value).toBe(`\${{ steps.${step.id}.outputs.stale }}`);
  });

  // The built CLI (npm test builds it first); a fresh clone without dist/ skips this one.
  const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));
  it.skipIf(!built)(
    'run as the runner would, on a stale document: exit 1, stale=true, the summary and a source annotation',
    () => {
      const dir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-action-')));
      const repo = path.join(dir, 'checkout', 'services', 'shop');
      fs.mkdirSync(repo, { recursive: true });
      fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '^4.19.2' } }));
      fs.mkdirSync(path.join(repo, 'src'));
      const server = path.join(repo, 'src', 'server.ts');
      fs.writeFileSync(
        server,
        "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
      );
      const archdoc = path.join(REPO_ROOT, 'bin', 'archdoc.js');
      execFileSync(process.execPath, [archdoc, '--quiet'], { cwd: repo, env: { ...process.env, CI: '1' } });
      fs.appendFileSync(server, "app.get('/ready', (_req, res) => res.send('ok'));\n");
      // A stand-in npx that runs the built archdoc (`npx --no-install archdoc …`).
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'npx'), `#!/usr/bin/env bash\nshift 2\nexec "${process.execPath}" "${archdoc}" "$@"\n`, { mode: 0o755 });
      const step = steps.find((s) => s.run!.includes('archdoc check'))!;
      const envName = Object.keys(step.env ?? {}).find((k) => step.env![k]!.includes('inputs.args'))!;
      const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
      let stdout = '';
      let status = 0;
      try {
        execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
          cwd: repo, // the step's working-directory
          env: {
            PATH: `${bin}:${process.env.PATH}`,
            HOME: dir,
            CI: 'true',
            GITHUB_ACTIONS: 'true',
            GITHUB_WORKSPACE: path.join(dir, 'checkout'),
            ...files,
            [envName]: '--no-cache',
          },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        const err = e as { status: number; stdout: string };
        status = err.status;
        stdout = err.stdout;
      }
      expect(status).toBe(1);
      expect(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')).toBe('stale=true\n');
      expect(fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toContain('### What changed in `services/shop/docs/ARCHITECTURE.md`');
      expect(stdout).toMatch(/^::warning file=services\/shop\/src\/server\.ts,line=5,/m);
    },
    120_000,
  );

  it('passes `args` to archdoc as words, running nothing in them', () => {
    const dir = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-action-')));
    // A stand-in npx that records its arguments one per line.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'npx'), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${path.join(dir, 'argv')}"\n`, { mode: 0o755 });
    const marker = path.join(dir, 'pwned');
    const step = steps.find((s) => s.run!.includes('archdoc check'))!;
    const envName = Object.keys(step.env ?? {}).find((k) => step.env![k]!.includes('inputs.args'));
    expect(envName).toBeDefined();
    const args = `--target api $(touch ${marker}) \`touch ${marker}\` ;touch ${marker}`;
    execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      env: { PATH: `${bin}:${process.env.PATH}`, [envName!]: args },
    });
    expect(fs.existsSync(marker)).toBe(false);
    const argv = fs.readFileSync(path.join(dir, 'argv'), 'utf8').trimEnd().split('\n');
    expect(argv).toEqual([
      '--no-install',
      'archdoc',
      'check',
      '--format',
      'github',
      '--target',
      'api',
      '$(touch',
      `${marker})`,
      '`touch',
      `${marker}\``,
      `;touch`,
      marker,
    ]);
  });
});
