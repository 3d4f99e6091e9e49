// `npm run bench`: speed and memory of archdoc on generated repositories, side by side with the
// baselines (read-only, parse-only, dependency-cruiser alone). Several runs per size, alternating
// tasks, median quoted. Writes bench/results/latest.json and prints a Markdown table.
//   node bench/run.mjs [--sizes 1000,5000] [--runs 3] [--repo DIR [--touch REL]]
// --repo measures a real repository instead of generated ones (copied first, without .git and
// node_modules, so the touched file and archdoc's cache never land in the checkout); --touch names
// the file whose comment the "one file touched" run edits (default: the first production .ts file).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepo } from './generate.mjs';
import { listFiles } from './tasks/files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const sizes = arg('sizes', '1000,5000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const bin = path.join(root, 'bin', 'archdoc.js');
const hook = path.join(here, 'rss-hook.mjs');

// madge, the other baseline, is not a dependency of archdoc: it is installed from the npm registry
// into bench/.tools on the first run (skipped with a note when that is not possible, or --no-madge).
const tools = path.join(here, '.tools');
const madgeBin = path.join(tools, 'node_modules', 'madge', 'bin', 'cli.js');
function ensureMadge() {
  if (args.includes('--no-madge')) return false;
  if (fs.existsSync(madgeBin)) return true;
  process.stderr.write('bench: installing madge@8.0.0 into bench/.tools (once)\n');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', tools, 'madge@8.0.0'], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0 || !fs.existsSync(madgeBin)) {
    process.stderr.write(`bench: madge could not be installed; its row is left out\n${(r.stderr ?? '').slice(0, 500)}\n`);
    return false;
  }
  return true;
}
const withMadge = ensureMadge();

function measure(argv, cwd) {
  const rssFile = path.join(os.tmpdir(), `archdoc-bench-rss-${process.pid}`);
  fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', hook, ...argv], {
    cwd,
    env: { ...process.env, ARCHDOC_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
  return { ms, mib: rssKiB / 1024, status: r.status, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const hardware = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};

/** A copy of a real repository, with its TypeScript file count and bytes, and the file to touch. */
function copyRepo(src, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(src, dir, { recursive: true, filter: (f) => !['.git', 'node_modules'].includes(path.basename(f)) });
  // As in a project where archdoc is installed: its caches live in node_modules/.cache.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  let tsFiles = 0;
  let tsBytes = 0;
  let first;
  for (const f of listFiles(dir)) {
    if (!/\.[cm]?tsx?$/.test(f) || f.endsWith('.d.ts')) continue;
    tsFiles++;
    tsBytes += fs.statSync(f).size;
    if (!first && !/[\\/](test|tests|__tests__|e2e)[\\/]|\.(spec|test)\.|[\\/]scripts[\\/]/.test(path.relative(dir, f))) first = f;
  }
  const touch = arg('touch', undefined);
  return { tsFiles, tsBytes, touched: touch ? path.join(dir, touch) : first };
}

const repo = arg('repo', undefined);
const subjects = repo ? [{ label: path.basename(path.resolve(repo)), size: 0 }] : sizes.map((size) => ({ label: `generated-${size}`, size }));

const results = [];
for (const { label, size } of subjects) {
  const dir = path.join(os.tmpdir(), `archdoc-bench-${label}`);
  const gen = repo ? copyRepo(path.resolve(repo), dir) : { ...generateRepo(dir, size, 42), touched: path.join(dir, 'packages', 'shared', 'src', 'index.ts') };
  // As in a project where archdoc is installed: its caches live in node_modules/.cache (without
  // it the freshness and index caches are off, and every check analyses everything).
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  const out = path.join(dir, 'docs', 'ARCHITECTURE.md');
  const touched = gen.touched;
  const tasks = {
    'read-only': () => measure([path.join(here, 'tasks', 'read-only.mjs'), dir], root),
    'parse-only': () => measure([path.join(here, 'tasks', 'parse-only.mjs'), dir], root),
    'dependency-cruiser (archdoc options)': () => measure([path.join(here, 'tasks', 'depcruise.mjs'), dir, 'fast'], root),
    'dependency-cruiser (defaults)': () => measure([path.join(here, 'tasks', 'depcruise.mjs'), dir, 'default'], root),
    ...(withMadge
      ? { 'madge (TypeScript)': () => measure([madgeBin, '--extensions', 'ts,tsx', '--ts-config', path.join(dir, 'tsconfig.json'), '--json', dir], root) }
      : {}),
    'archdoc generate (cold)': () => {
      fs.rmSync(path.join(dir, 'node_modules', '.cache'), { recursive: true, force: true });
      fs.rmSync(out, { force: true });
      return measure([bin, 'generate', '--root', dir, '--quiet'], root);
    },
    'archdoc check (warm, unchanged)': () => measure([bin, 'check', '--root', dir, '--quiet'], root),
    'archdoc check (one file touched)': () => {
      const text = fs.readFileSync(touched, 'utf8');
      fs.writeFileSync(touched, text.replace(/\n$/, '') + '\n// touched\n');
      const m = measure([bin, 'check', '--root', dir, '--quiet'], root);
      fs.writeFileSync(touched, text);
      return m;
    },
  };
  const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    // Alternate the order between runs so warm caches and thermal drift do not favour one task.
    const names = Object.keys(tasks);
    // archdoc's own tasks stay in order: the warm check needs the cold run's document and cache.
    const baselines = names.filter((n) => !n.startsWith('archdoc'));
    const order = [...(i % 2 === 0 ? baselines : [...baselines].reverse()), ...names.filter((n) => n.startsWith('archdoc'))];
    for (const name of order) {
      const m = tasks[name]();
      if (m.status !== 0 && !(name.includes('touched') && m.status === 1)) {
        process.stderr.write(`bench: ${name} exited ${m.status}\n${m.stderr.slice(0, 2000)}\n`);
      }
      samples[name].push(m);
    }
  }
  const parse = median(samples['parse-only'].map((m) => m.ms));
  for (const [name, list] of Object.entries(samples)) {
    const ms = median(list.map((m) => m.ms));
    results.push({
      repository: label,
      size,
      tsFiles: gen.tsFiles,
      tsKiB: Math.round(gen.tsBytes / 1024),
      task: name,
      medianMs: Math.round(ms),
      ratioToParseOnly: Number((ms / parse).toFixed(2)),
      filesPerSecond: Math.round(gen.tsFiles / (ms / 1000)),
      peakRssMiB: Math.round(median(list.map((m) => m.mib))),
      runs: list.length,
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

const lines = [
  `Hardware: ${hardware.cpu}, ${hardware.cores} cores, ${hardware.memoryGiB} GiB, Node ${hardware.node}, ${hardware.platform}. Median of ${runs} runs; TypeScript files average ${Math.round((results[0].tsKiB * 1024) / results[0].tsFiles)} bytes.`,
  '',
  '| Repository | TS files | Task | Median | × parse-only | Files/s | Peak RSS |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) => `| ${r.repository} | ${r.tsFiles} | ${r.task} | ${r.medianMs} ms | ${r.ratioToParseOnly} | ${r.filesPerSecond} | ${r.peakRssMiB} MiB |`,
  ),
];
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(
  path.join(here, 'results', repo ? `latest-${subjects[0].label}.json` : 'latest.json'),
  JSON.stringify({ hardware, runs, results }, null, 2) + '\n',
);
console.log(lines.join('\n'));
