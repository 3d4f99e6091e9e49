/**
 * Linear time on hostile text (issue #21): the real pipeline (every analyzer, then the render)
 * reads repositories whose files hold long runs of each ASCII punctuation and whitespace
 * character, and of alternating pairs, in the kinds of files analyzers read. The same repository
 * is built at two sizes, N and 8N, and the larger may take at most RATIO times as long (linear
 * is 8, quadratic 64; the backtracking cases this guards against were far worse: exponential in
 * a .gitignore, minutes for a run of spaces in a title or `{{` in a Helm template).
 *
 * Never flaky on a busy machine: each size is timed as the minimum of its runs, a ratio that looks
 * too high is measured again (up to RETRIES rounds), and a large run under FLOOR_MS passes
 * whatever the ratio. The payloads are split over a few repositories,
 * so a bad expression's time is not drowned in the linear time of everything else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { normaliseMarkdown, renderDocument } from '../src/render/document.js';
import { staticTemplate } from '../analyzers/kubernetes/helm.js';

const RATIO = 40;
const FLOOR_MS = 200;
const REPEATS = 2;
const RETRIES = 3;

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f'];
const PAIRS = [':@', '{{', '}}', '/*', '*/', 'a*', '*a', '\\"', '${', '[]', '()', '<>', ' -', '=a', '//', ' \t', 'a ', '"a', '!a', '#!', '-a'];

/** A run of `unit` repeated to `size` characters. */
function run(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

type Kind = (p: string, one: string, i: number) => Record<string, string>;
/** A kind of file and its small size: N for it (the large is 8N), as large as its analyzers allow in a few seconds. */
interface Sized {
  small: number;
  make: Kind;
}
const sized = (small: number, make: Kind): Sized => ({ small, make });

/** Where each kind of file puts a payload `p` (`one`: the same on one line). */
const KINDS: Record<string, Sized> = {
  typescript: sized(1000, (p, one, i) => ({ [`src/h${i}.ts`]: `export const x${i} = 1;\n${p}\nconst s = "${one}";\n// ${one}\n` })),
  'package.json and README title': sized(4000, (p, one, i) => ({
    [`p/h${i}/package.json`]: JSON.stringify({ name: `h${i}`, version: '1.0.0', description: p }),
    [`p/h${i}/README.md`]: `# ${one}\n\n${p}\n`,
    [`p/h${i}/index.js`]: 'module.exports = 1;\n',
  })),
  Dockerfile: sized(1000, (p, one, i) => ({ [`d${i}/Dockerfile`]: `FROM node:20\nENV A=${one}\nHEALTHCHECK CMD curl -f http://localhost/${one}\nCMD ["node", "${one}"]\n${p}\n` })),
  'docker-compose environment': sized(1000, (_p, one, i) => ({
    [`c${i}/docker-compose.yml`]: `services:\n  s${i}:\n    image: nginx\n    environment:\n      A: ${JSON.stringify(one)}\n      DATABASE_URL: ${JSON.stringify(`postgres://u${one}@db/x`)}\n`,
  })),
  'workflow run': sized(4000, (_p, one, i) => ({ [`.github/workflows/h${i}.yml`]: `name: h${i}\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(one)}\n` })),
  terraform: sized(500, (p, one, i) => ({ [`tf${i}/main.tf`]: `resource "aws_s3_bucket" "b${i}" {\n  bucket = ${JSON.stringify(one)}\n}\n${p}\n` })),
  'Helm template': sized(1000, (p, one, i) => ({
    [`charts/h${i}/Chart.yaml`]: `apiVersion: v2\nname: h${i}\nversion: 1.0.0\n`,
    [`charts/h${i}/values.yaml`]: 'image: nginx\n',
    [`charts/h${i}/templates/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          args: [${JSON.stringify(one)}]\n${one}\n${p}\n`,
  })),
  // Case 6: ignore lines against a file name of a's.
  '.gitignore': sized(4000, (p, one, i) => ({ [`g${i}/.gitignore`]: `${p}\n${one}\n`, [`g${i}/${'a'.repeat(60)}.ts`]: 'export const a = 1;\n' })),
  'SQL migration': sized(4000, (p, one, i) => ({ [`migrations/${String(i).padStart(3, '0')}_h.sql`]: `CREATE TABLE t${i} (id int, note text DEFAULT '${one}');\n${p}\n` })),
  OpenAPI: sized(2000, (p, one, i) => ({
    [`api${i}/openapi.yaml`]: `openapi: 3.0.0\ninfo:\n  title: ${JSON.stringify(one)}\n  description: ${JSON.stringify(p)}\n  version: '1'\npaths:\n  ${JSON.stringify('/x' + one)}:\n    get:\n      summary: ${JSON.stringify(one)}\n`,
  })),
};

/** A repository holding every payload at `size` characters in one kind of file. */
function files(kind: Kind, size: number): Record<string, string> {
  const out: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'hostile', version: '1.0.0', private: true, workspaces: ['p/*'], dependencies: { express: '4.19.0', pg: '8.0.0' } }),
  };
  PAYLOADS.forEach((raw, i) => {
    const p = run(raw, size);
    Object.assign(out, kind(p, p.replace(/[\n\r]/g, ' '), i));
  });
  // Without packages under p/, the root is the one component (flows are traced within components).
  if (!Object.keys(out).some((f) => f.startsWith('p/'))) out['package.json'] = JSON.stringify({ name: 'hostile', version: '1.0.0', dependencies: { express: '4.19.0', pg: '8.0.0' } });
  return out;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

function write(kind: Kind, size: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-linear-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files(kind, size))) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Milliseconds to analyse and render the repository: the least of `repeats` runs. */
async function time(root: string, repeats: number): Promise<number> {
  await loadConfigSchema();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const config = resolveConfig({}, { cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    const start = performance.now();
    const { model } = await analyse(config);
    renderDocument(model, config);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const PAYLOADS = [...PUNCTUATION, ...WHITESPACE, ...PAIRS];

/** Case 9: a minified bundle of routes, all on one line, as long as the payloads. */
KINDS['routes on one line'] = sized(4000, (p, _one, i): Record<string, string> => {
  if (i > 0) return {};
  const routes: string[] = [];
  for (let r = 0; routes.length * 40 < p.length; r++) routes.push(`app.get('/r${r}', (req, res) => res.send('${r}'));`);
  return { 'src/routes.ts': `import express from 'express';\nconst app = express();\n${routes.join(' ')}\napp.listen(3000);\n` };
});

describe('time grows linearly with hostile text', () => {
  for (const [name, { small: size, make }] of Object.entries(KINDS)) {
    it(name, { timeout: 120_000 }, async () => {
      const smallRoot = write(make, size);
      const largeRoot = write(make, 8 * size);
      let small = await time(smallRoot, REPEATS);
      let large = await time(largeRoot, 1);
      // Only a ratio that looks too high is measured again, both sizes, up to RETRIES more rounds:
      // a pause of a busy machine does not come back every round, a super-linear step does.
      for (let round = 0; round < RETRIES && large >= FLOOR_MS && large / small >= RATIO; round++) {
        small = Math.min(small, await time(smallRoot, 1));
        large = Math.min(large, await time(largeRoot, 1));
      }
      if (process.env.ARCHDOC_TIMING) console.log(`${name}: ${small.toFixed(0)} ms, ${large.toFixed(0)} ms`);
      if (large >= FLOOR_MS) expect(large / small, `${name}: ${small.toFixed(0)} ms at ${size}, ${large.toFixed(0)} ms at ${8 * size}`).toBeLessThan(RATIO);
    });
  }
});

// Issue #21 case 8, each expression on its own at the size that was reported (a linear pass is
// milliseconds; the backtracking took a minute and more, past the test's timeout).
describe('content expressions at the reported sizes', () => {
  it('normalises a Markdown line of 200 KB of spaces', { timeout: 20_000 }, () => {
    const text = normaliseMarkdown(`# ${' '.repeat(200_000)}x\n${' '.repeat(200_000)}\n\n\n\nend  \t\n\n`);
    expect(text).toBe(`# ${' '.repeat(200_000)}x\n\nend\n`);
  });

  it('reads a Helm template line of 1 MB of unclosed `{{`', { timeout: 20_000 }, () => {
    const open = '{{'.repeat(500_000);
    const out = staticTemplate(`a: ${open}\nb: {{ .Values.x }}\n`, { x: 'y' }, 'c');
    expect(out.text).toBe(`a: ${open}\nb: y\n`);
  });

  it('reads Helm actions padded with 200 KB of spaces', { timeout: 20_000 }, () => {
    const pad = ' '.repeat(200_000);
    const out = staticTemplate(`{{ if${pad}x }}\na: {{ .Values.x${pad}y }}\nb: {{ .Values.x | default a${'| default a'.repeat(30)} }}z\n`, { x: 'v' }, 'c');
    expect(out.text.split('\n')).toEqual(['', 'a: TEMPLATED', 'b: vz', '']);
  });
});
