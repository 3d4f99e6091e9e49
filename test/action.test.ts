/** The GitHub Action: its inputs reach the shell as data, never as script text. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REPO_ROOT, removeTemps, trackTemp } from './helpers.js';

afterEach(removeTemps);

interface Step {
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}
const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { runs: { steps: Step[] } };
const steps = action.runs.steps.filter((s) => s.run !== undefined);

describe('action.yml', () => {
  it('has no expression inside a run script (an input interpolated there is shell code)', () => {
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s.run).not.toContain('${{');
  });

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
    expect(argv).toEqual(['--no-install', 'archdoc', 'check', '--format', 'github', '--target', 'api', '$(touch', `${marker})`, '`touch', `${marker}\``, `;touch`, marker]);
  });
});
