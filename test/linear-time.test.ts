/**
 * Linear time on hostile text (issue #21): the analyzers that read a kind of file (the rest are
 * switched off; the render only where the text reaches it) read repositories whose files hold long
 * runs of each ASCII punctuation and whitespace character, and of alternating pairs. Each kind is
 * timed three ways: the same repository with empty payloads (`base`), payloads of N characters
 * (`small`) and of 8N (`large`). The payloads' own time, less `base`, may grow at most RATIO times
 * from N to 8N: linear is 8, quadratic 64.
 *
 * Why the base is subtracted and the other analyzers are off: the whole pipeline's fixed cost
 * drowned the quadratic cases this guards against (the old compose `redact()` took 2.6 ms at N
 * and 68 ms at 8N inside runs of 150 ms), so a ratio of whole runs passed on the old code. Sizes
 * are per kind, so that the payloads' time at N is tens of milliseconds and at 8N under 2 s.
 *
 * What it proves, checked by putting back each old function from commit 9ba2093 in a scratch copy
 * of the tree (never committed) and running this file on the kinds below:
 * - case 6, the backtracking glob→RegExp of src/util/glob.ts (with its discover.ts): `.gitignore`
 *   hung (killed after 180 s; the work is synchronous, so vitest's own time-out cannot fire);
 * - case 7, the URL-credential and `redact()` expressions of analyzers/compose/shared.ts:
 *   `docker-compose environment` failed with growth 55, `workflow run` with 59. `Dockerfile` only
 *   reached 17 to 28 (its parser's linear time outweighs redact() at sizes this test can afford);
 *   the same redact() is caught through `workflow run`;
 * - case 8, `normaliseMarkdown` of src/render/document.ts: `package.json and README title`, 78;
 * - case 9, `entryFns()` and `unique()` of analyzers/flows/trace.ts: `routes on one line`, 283.
 * On the current code the growth was 2 to 17 in every kind.
 *
 * Never flaky on a busy machine: every time is the least of its runs; the payloads' time at N is
 * taken as at least FLOOR_MS, so noise in a small difference cannot make a large ratio (failing
 * then takes at least RATIO x FLOOR_MS of payload time at 8N); a ratio that looks too high is
 * measured again, all three, up to RETRIES rounds (a busy machine's pause does not come back every
 * round, a super-linear step does). Passed 3 runs in a row beside another vitest run of this file
 * on the 2-core machine, in 20 to 31 s each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinAnalyzers } from '../analyzers/index.js';
import { loadConfigSchema, resolveConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { normaliseMarkdown, renderDocument } from '../src/render/document.js';
import { staticTemplate } from '../analyzers/kubernetes/helm.js';

const RATIO = 32;
const FLOOR_MS = 25;
const RETRIES = 3;

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f'];
const PAIRS = [':@', '{{', '}}', '/*', '*/', 'a*', '*a', '\\"', '${', '[]', '()', '<>', ' -', '=a', '//', ' \t', 'a ', '"a', '!a', '#!', '-a'];
const PAYLOADS = [...PUNCTUATION, ...WHITESPACE, ...PAIRS];

/** A run of `unit` repeated to `size` characters. */
function run(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** `text` cut into lines of `width` characters. */
function lines(text: string, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.join('\n');
}

type Make = (p: string, one: string, i: number) => Record<string, string>;
/** A kind of file: where it puts a payload `p` (`one`: the same on one line), N, and what reads it. */
interface Kind {
  small: number;
  make: Make;
  /** The analyzers left on (workspace always is: components come from it). */
  analyzers: string[];
  /** Whether the text reaches the document, so the render is timed too. */
  render?: boolean;
}

const KINDS: Record<string, Kind> = {
  typescript: {
    small: 500,
    analyzers: ['imports', 'outbound', 'flows', 'endpoints', 'security', 'observability', 'orm-entities', 'messaging'],
    make: (p, one, i) => ({ [`src/h${i}.ts`]: `export const x${i} = 1;\n${p}\nconst s = "${one}";\n// ${one}\n` }),
  },
  // Other languages' routes and models (src/analysis/polyglot: one hand-written scan per file, a one-pass index).
  'python, go, java, c#, php and kotlin': {
    small: 1500,
    analyzers: ['endpoints', 'orm-entities'],
    make: (p, one, i) => ({
      [`py${i}/requirements.txt`]: 'flask\n',
      [`py${i}/app.py`]: `from flask import Flask\napp = Flask(__name__)\nP = "/p${i}"\n@app.route(P + "/x")\ndef h():\n    return "${one}"\n${p}\nx = ${one}\n`,
      [`go${i}/main.go`]: `package main\nimport "net/http"\nfunc main() {\n\thttp.HandleFunc("/x${i}", h)\n\ts := "${one}"\n}\n${p}\n`,
      [`j${i}/src/A${i}.java`]: `@RestController\n@RequestMapping("/a")\npublic class A${i} {\n  @GetMapping("/x") public String g() { return "${one}"; }\n}\n${p}\n`,
      [`cs${i}/C${i}.cs`]: `[ApiController]\n[Route("c")]\npublic class C${i}Controller : ControllerBase {\n  [HttpGet("x")] public string G() => "${one}";\n}\n${p}\n`,
      [`php${i}/routes/api.php`]: `<?php\nRoute::get('/x', function () { return '${one}'; });\n${p}\n`,
      [`kt${i}/App.kt`]: `fun Application.module() {\n  routing {\n    get("/x") { call.respond("${one}") }\n  }\n}\n${p}\n`,
    }),
  },
  // Case 8: a README title of spaces.
  'package.json and README title': {
    small: 4000,
    analyzers: ['tech-stack', 'documents'],
    render: true,
    make: (p, one, i) => ({
      [`p/h${i}/package.json`]: JSON.stringify({ name: `h${i}`, version: '1.0.0', description: `D${p}x` }),
      // Runs inside letters (the ends are trimmed): `/[ \t]+$/` rescanned a run of spaces from each of its characters when no line end followed.
      [`p/h${i}/README.md`]: `# T${one}x\n\n${p}x\n`,
      [`p/h${i}/index.js`]: 'module.exports = 1;\n',
    }),
  },
  // Case 7: HEALTHCHECK and CMD go through redact().
  Dockerfile: {
    small: 4000,
    analyzers: ['dockerfile'],
    // The HEALTHCHECK line holds the payload twice, so that its own time outweighs the parse of the rest.
    make: (p, one, i) => ({
      [`d${i}/Dockerfile`]: `FROM node:20\nENV A=${one}\nHEALTHCHECK CMD curl -f http://localhost/${one}${one}\nCMD ["node", "${one}"]\n${p}\n`,
    }),
  },
  // Case 7: environment values go through the URL-credential rule.
  'docker-compose environment': {
    small: 16000,
    analyzers: ['compose', 'security'],
    make: (_p, one, i) => ({
      [`c${i}/docker-compose.yml`]: `services:\n  s${i}:\n    image: nginx\n    environment:\n      A: ${JSON.stringify(one)}\n      DATABASE_URL: ${JSON.stringify(`postgres://u${one}@db/x`)}\n`,
    }),
  },
  // Case 7: deploy commands in `run:` lines go through redact().
  'workflow run': {
    small: 16000,
    analyzers: ['ci'],
    make: (_p, one, i) => ({
      [`.github/workflows/h${i}.yml`]: `name: h${i}\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(`kubectl apply -f ${one}`)}\n`,
    }),
  },
  terraform: {
    small: 250,
    analyzers: ['terraform'],
    make: (p, one, i) => ({ [`tf${i}/main.tf`]: `resource "aws_s3_bucket" "b${i}" {\n  bucket = ${JSON.stringify(one)}\n}\n${p}\n` }),
  },
  'Helm template': {
    small: 500,
    analyzers: ['kubernetes'],
    make: (p, one, i) => ({
      [`charts/h${i}/Chart.yaml`]: `apiVersion: v2\nname: h${i}\nversion: 1.0.0\n`,
      [`charts/h${i}/values.yaml`]: 'image: nginx\n',
      [`charts/h${i}/templates/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          args: [${JSON.stringify(one)}]\n${one}\n${p}\n`,
    }),
  },
  // Case 6: ignore lines (of 64 characters: longer ones are not patterns) against a file name of a's.
  '.gitignore': {
    small: 1000,
    analyzers: [],
    make: (p, _one, i) => ({ [`g${i}/.gitignore`]: `${lines(p, 64)}\n`, [`g${i}/${'a'.repeat(60)}.ts`]: 'export const a = 1;\n' }),
  },
  'SQL migration': {
    small: 16000,
    analyzers: ['sql-migrations'],
    make: (p, one, i) => ({ [`migrations/${String(i).padStart(3, '0')}_h.sql`]: `CREATE TABLE t${i} (id int, note text DEFAULT '${one}');\n${p}\n` }),
  },
  OpenAPI: {
    small: 4000,
    analyzers: ['openapi', 'endpoints'],
    make: (p, one, i) => ({
      [`api${i}/openapi.yaml`]: `openapi: 3.0.0\ninfo:\n  title: ${JSON.stringify(one)}\n  description: ${JSON.stringify(p)}\n  version: '1'\npaths:\n  ${JSON.stringify('/x' + one)}:\n    get:\n      summary: ${JSON.stringify(one)}\n`,
    }),
  },
  // Case 9: a minified bundle of routes, all on one line, as long as the payloads.
  'routes on one line': {
    small: 8000,
    analyzers: ['imports', 'outbound', 'flows', 'endpoints'],
    make: (p, _one, i): Record<string, string> => {
      if (i > 0) return {};
      const routes: string[] = [];
      for (let r = 0; routes.length * 40 < p.length; r++) routes.push(`app.get('/r${r}', (req, res) => res.send('${r}'));`);
      return { 'src/routes.ts': `import express from 'express';\nconst app = express();\n${routes.join(' ')}\napp.listen(3000);\n` };
    },
  },
};

/** A repository holding every payload at `size` characters (none at 0) in one kind of file. */
function files(make: Make, size: number): Record<string, string> {
  const out: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'hostile', version: '1.0.0', private: true, workspaces: ['p/*'], dependencies: { express: '4.19.0', pg: '8.0.0' } }),
  };
  PAYLOADS.forEach((raw, i) => {
    const p = run(raw, size);
    Object.assign(out, make(p, p.replace(/[\n\r]/g, ' '), i));
  });
  // Without packages under p/, the root is the one component (flows are traced within components).
  if (!Object.keys(out).some((f) => f.startsWith('p/')))
    out['package.json'] = JSON.stringify({ name: 'hostile', version: '1.0.0', dependencies: { express: '4.19.0', pg: '8.0.0' } });
  return out;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

function write(make: Make, size: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-linear-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files(make, size))) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Milliseconds to analyse the repository with the kind's analyzers (and render): the least of `repeats` runs. */
async function time(root: string, kind: Kind, repeats: number, best = Infinity): Promise<number> {
  await loadConfigSchema();
  const on = new Set(['workspace', ...kind.analyzers]);
  const analyzers = Object.fromEntries(builtinAnalyzers.map((a) => [a.meta.name, on.has(a.meta.name)]));
  for (let r = 0; r < repeats; r++) {
    const config = resolveConfig({ analyzers }, { cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md') });
    const start = performance.now();
    const { model } = await analyse(config);
    if (kind.render) renderDocument(model, config);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('time grows linearly with hostile text', () => {
  for (const [name, kind] of Object.entries(KINDS)) {
    it(name, { timeout: 120_000 }, async () => {
      const roots = [write(kind.make, 0), write(kind.make, kind.small), write(kind.make, 8 * kind.small)];
      let base = await time(roots[0]!, kind, 2);
      let small = await time(roots[1]!, kind, 2);
      let large = await time(roots[2]!, kind, 1);
      const growth = () => (large - base) / Math.max(small - base, FLOOR_MS);
      for (let round = 0; round < RETRIES && growth() >= RATIO; round++) {
        base = await time(roots[0]!, kind, 1, base);
        small = await time(roots[1]!, kind, 1, small);
        large = await time(roots[2]!, kind, 1, large);
      }
      const times = `${name}: ${base.toFixed(0)} ms empty, ${small.toFixed(0)} ms at ${kind.small}, ${large.toFixed(0)} ms at ${8 * kind.small}; growth ${growth().toFixed(1)}`;
      if (process.env.ARCHDOC_TIMING) console.log(times);
      expect(growth(), times).toBeLessThan(RATIO);
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
