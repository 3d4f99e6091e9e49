/**
 * `npm run eval`: for every eval/truth/<name>.yaml, find the checkout `.eval-repos/<name>/` (or
 * `$ARCHDOC_EVAL_DIR/<name>/`), run the built archdoc on it in a child process
 * (`node bin/archdoc.js model --json --root <dir>`, with a time limit), score the model against the
 * truth, print Markdown tables (per repository, totals, headlines, main misses) and write
 * eval/results.json. A repository that is not checked out is skipped and listed with the reason.
 *
 * Exit 0 whatever the scores (it is a measurement); 1 only when the harness itself fails (a truth
 * file that does not validate, no truth files, results that cannot be written).
 *
 * Run it with `npm run eval` (builds, then runs this file with jiti), or, against the current
 * build, `npx jiti eval/run.ts [--no-write] [--only name,name]`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../src/model/schema.js';
import { emptyModel } from '../src/model/empty.js';
import { AREAS, HEADLINES, score, type Area, type AreaScore, type HeadlineOutcome, type Score, type SubScore } from './score.js';
import { loadTruth, TruthError, type HeadlineName, type Truth } from './truth-schema.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunOptions {
  /** Folder of truth files (default eval/truth). */
  truthDir?: string;
  /** Folder of checkouts (default $ARCHDOC_EVAL_DIR or .eval-repos). */
  evalDir?: string;
  /** Where to write the results; null writes nothing (default eval/results.json). */
  resultsFile?: string | null;
  /** Only these repositories (truth file names without .yaml). */
  only?: string[];
  /** Per-repository time limit in ms (default $ARCHDOC_EVAL_TIMEOUT seconds, else 300 s). */
  timeoutMs?: number;
  /** The archdoc command line to run (default node bin/archdoc.js). */
  archdoc?: string[];
  out?: (s: string) => void;
  err?: (s: string) => void;
}

export interface RepoResult {
  name: string;
  repository: string;
  commit: string;
  shape?: string;
  /** scored: archdoc ran and was scored; failed: archdoc did not produce a model (scored as empty); skipped: no checkout. */
  status: 'scored' | 'failed' | 'skipped';
  reason?: string;
  warnings: string[];
  seconds?: number;
  score?: Score;
}

export interface Totals {
  areas: Partial<
    Record<
      Area,
      { repositories: number; truth: number; tp: number; fn: number; recall: number | null; tpComplete: number; fp: number; precision: number | null }
    >
  >;
  kinds: { right: number; of: number };
  queueEnds: { right: number; of: number };
  endpointComponents: { right: number; of: number };
  /** Facts with evidence in set-aside files, over the repositories whose truth lists them. */
  setAside: { repositories: number; facts: number; inSetAside: number };
  /** Truth unread items naming a catalogued technology or language, and how many the document states. */
  unread: { truth: number; stated: number };
  headlines: Record<HeadlineName, Record<HeadlineOutcome, number>>;
  headlineAccuracy: number | null;
  headlinesRight: number;
  headlinesScored: number;
}

export interface EvalResults {
  archdocVersion: string;
  repositories: RepoResult[];
  totals: Totals;
}

/** The truth files of the corpus, sorted by name. */
export function truthFiles(truthDir: string): string[] {
  if (!fs.existsSync(truthDir)) return [];
  return fs
    .readdirSync(truthDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(truthDir, f));
}

/** Run archdoc's `model` command on `dir` in a child process; the model, or why there is none. */
export function runArchdoc(archdoc: string[], dir: string, timeoutMs: number): Promise<{ model?: Model; error?: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(archdoc[0]!, [...archdoc.slice(1), 'model', '--json', '--quiet', '--root', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 4000) err += b.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: `could not start archdoc: ${e.message}`, seconds: (Date.now() - started) / 1000 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      if (timedOut) return resolve({ error: `archdoc did not finish within ${Math.round(timeoutMs / 1000)} s`, seconds });
      if (code !== 0) return resolve({ error: `archdoc exited with ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' ')}`, seconds });
      try {
        resolve({ model: JSON.parse(Buffer.concat(out).toString('utf8')) as Model, seconds });
      } catch (e) {
        resolve({ error: `archdoc printed no JSON model: ${(e as Error).message}`, seconds });
      }
    });
  });
}

const EMPTY_MODEL: Model = emptyModel();

/** Sum per area over the scored repositories (micro-average); precision only where the truth is complete. */
export function totalsOf(results: RepoResult[]): Totals {
  const totals: Totals = {
    areas: {},
    kinds: { right: 0, of: 0 },
    queueEnds: { right: 0, of: 0 },
    endpointComponents: { right: 0, of: 0 },
    setAside: { repositories: 0, facts: 0, inSetAside: 0 },
    unread: { truth: 0, stated: 0 },
    headlines: Object.fromEntries(HEADLINES.map((h) => [h, { right: 0, wrong: 0, silent: 0, undetermined: 0 }])) as Totals['headlines'],
    headlineAccuracy: null,
    headlinesRight: 0,
    headlinesScored: 0,
  };
  for (const r of results) {
    if (!r.score) continue;
    for (const a of AREAS) {
      const s = r.score.areas[a];
      if (!s) continue;
      const t = (totals.areas[a] ??= { repositories: 0, truth: 0, tp: 0, fn: 0, recall: null, tpComplete: 0, fp: 0, precision: null });
      t.repositories++;
      t.truth += s.truth;
      t.tp += s.tp;
      t.fn += s.fn;
      if (s.complete) {
        t.tpComplete += s.tp;
        t.fp += s.fp ?? 0;
      }
    }
    for (const k of ['kinds', 'queueEnds', 'endpointComponents'] as const) {
      const s = r.score[k];
      if (s) {
        totals[k].right += s.right;
        totals[k].of += s.of;
      }
    }
    for (const h of HEADLINES) {
      const s = r.score.headlines[h];
      if (s) totals.headlines[h][s.outcome]++;
    }
    if (r.score.unread) {
      totals.unread.truth += r.score.unread.truth;
      totals.unread.stated += r.score.unread.stated;
    }
    if (r.score.setAside) {
      totals.setAside.repositories++;
      totals.setAside.facts += r.score.setAside.facts;
      totals.setAside.inSetAside += r.score.setAside.inSetAside;
    }
  }
  for (const t of Object.values(totals.areas)) {
    t.recall = t.truth === 0 ? null : t.tp / t.truth;
    t.precision = t.tpComplete + t.fp === 0 ? null : t.tpComplete / (t.tpComplete + t.fp);
  }
  for (const h of HEADLINES) {
    const c = totals.headlines[h];
    totals.headlinesRight += c.right;
    totals.headlinesScored += c.right + c.wrong + c.silent + c.undetermined;
  }
  totals.headlineAccuracy = totals.headlinesScored === 0 ? null : totals.headlinesRight / totals.headlinesScored;
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Printing

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
const AREA_TITLES: Record<Area, string> = {
  components: 'Components',
  endpoints: 'Endpoints',
  entities: 'Entities',
  stores: 'Stores',
  queues: 'Queues',
  infrastructure: 'Infrastructure',
  ci: 'CI',
  observability: 'Observability',
  security: 'Security',
};
const HEADLINE_TITLES: Record<HeadlineName, string> = { style: 'Style', primaryDatabase: 'Primary database', platform: 'Platform', messaging: 'Messaging' };
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function areaCell(s: AreaScore | undefined): string {
  if (!s) return '';
  return `${s.tp}/${s.truth}${s.complete ? ` P ${pct(s.precision)}` : ''}`;
}

function subCell(s: SubScore | { right: number; of: number } | undefined): string {
  return s && s.of > 0 ? `${s.right}/${s.of}` : '–';
}

/** The per-repository table, the totals, the headlines and the main misses, as Markdown. */
export function markdown(results: EvalResults, maxMisses = 8): string {
  const lines: string[] = [];
  const scored = results.repositories.filter((r) => r.score);
  lines.push(`### Per repository (${scored.length} scored, ${results.repositories.length - scored.length} not)`);
  lines.push('');
  lines.push(
    'Each area: found/truth, and precision when the truth list is complete. Kinds: right among the components found. Headlines: right of those stated.',
  );
  lines.push('');
  lines.push(`| Repository | Commit | ${AREAS.map((a) => AREA_TITLES[a]).join(' | ')} | Kinds | Headlines |`);
  lines.push(`| --- | --- | ${AREAS.map(() => '---').join(' | ')} | --- | --- |`);
  for (const r of results.repositories) {
    const head = `| ${cell(r.repository)} | \`${r.commit.slice(0, 10)}\` |`;
    if (!r.score) {
      lines.push(`${head} ${cell(`skipped: ${r.reason ?? ''}`)} |${' |'.repeat(AREAS.length + 1)}`);
      continue;
    }
    const hs = Object.values(r.score.headlines);
    const hCell = hs.length ? `${hs.filter((h) => h.outcome === 'right').length}/${hs.length}` : '–';
    const failed = r.status === 'failed' ? ' (archdoc failed)' : '';
    lines.push(`${head} ${AREAS.map((a) => areaCell(r.score!.areas[a])).join(' | ')} | ${subCell(r.score.kinds)} | ${hCell}${failed} |`);
  }
  lines.push('');
  const t = results.totals;
  lines.push('### Totals (micro-averaged over the scored repositories)');
  lines.push('');
  lines.push('| Area | Repositories | Truth facts | Found | Recall | Precision (complete lists) |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const a of AREAS) {
    const s = t.areas[a];
    if (!s) continue;
    lines.push(`| ${AREA_TITLES[a]} | ${s.repositories} | ${s.truth} | ${s.tp} | ${pct(s.recall)} | ${pct(s.precision)} |`);
  }
  lines.push(`| Component kind right (of found) | | | ${t.kinds.right}/${t.kinds.of} | ${pct(t.kinds.of ? t.kinds.right / t.kinds.of : null)} | |`);
  lines.push(
    `| Queues with both ends right (of found) | | | ${t.queueEnds.right}/${t.queueEnds.of} | ${pct(t.queueEnds.of ? t.queueEnds.right / t.queueEnds.of : null)} | |`,
  );
  lines.push(
    `| Endpoint on the right component (of found) | | | ${t.endpointComponents.right}/${t.endpointComponents.of} | ${pct(t.endpointComponents.of ? t.endpointComponents.right / t.endpointComponents.of : null)} | |`,
  );
  const sa = t.setAside;
  lines.push(`| Facts with evidence in set-aside files (${sa.repositories} repositories list them) | | ${sa.facts} | ${sa.inSetAside} | | |`);
  lines.push(
    `| Unread catalogued technologies stated as not read | | ${t.unread.truth} | ${t.unread.stated} | ${pct(t.unread.truth ? t.unread.stated / t.unread.truth : null)} | |`,
  );
  lines.push('');
  lines.push('### Headline statements');
  lines.push('');
  lines.push('| Headline | Right | Wrong | archdoc said nothing | archdoc said undetermined | Accuracy |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const h of HEADLINES) {
    const c = t.headlines[h];
    const n = c.right + c.wrong + c.silent + c.undetermined;
    lines.push(`| ${HEADLINE_TITLES[h]} | ${c.right} | ${c.wrong} | ${c.silent} | ${c.undetermined} | ${pct(n ? c.right / n : null)} |`);
  }
  lines.push(`| **All** | ${t.headlinesRight} | | | | **${pct(t.headlineAccuracy)}** (${t.headlinesRight}/${t.headlinesScored}) |`);
  lines.push('');
  lines.push('### Main misses');
  lines.push('');
  for (const r of scored) {
    const s = r.score!;
    const items: string[] = [];
    for (const h of HEADLINES) {
      const x = s.headlines[h];
      if (x && x.outcome !== 'right') items.push(`${HEADLINE_TITLES[h]}: archdoc ${x.archdoc === null ? 'said nothing' : `"${x.archdoc}"`}, truth ${x.truth}`);
    }
    for (const a of AREAS) {
      const x = s.areas[a];
      if (!x) continue;
      if (x.misses.length)
        items.push(`${AREA_TITLES[a]} missed (${x.misses.length}): ${x.misses.slice(0, maxMisses).join('; ')}${x.misses.length > maxMisses ? '; …' : ''}`);
      if (x.extras.length)
        items.push(`${AREA_TITLES[a]} extra (${x.extras.length}): ${x.extras.slice(0, maxMisses).join('; ')}${x.extras.length > maxMisses ? '; …' : ''}`);
    }
    if (s.kinds?.wrong.length) items.push(`Kinds wrong: ${s.kinds.wrong.slice(0, maxMisses).join('; ')}`);
    if (s.queueEnds?.wrong.length) items.push(`Queue ends wrong: ${s.queueEnds.wrong.slice(0, maxMisses).join('; ')}`);
    if (s.unread?.missed.length) items.push(`Unread but not stated (${s.unread.missed.length}): ${s.unread.missed.slice(0, maxMisses).join('; ')}`);
    if (s.setAside?.inSetAside) items.push(`Evidence in set-aside files (${s.setAside.inSetAside}): ${s.setAside.examples.join('; ')}`);
    if (items.length === 0) continue;
    lines.push(`- **${r.repository}**${r.status === 'failed' ? ` (archdoc failed: ${r.reason})` : ''}`);
    for (const i of items) lines.push(`  - ${i}`);
  }
  const skipped = results.repositories.filter((r) => r.status === 'skipped');
  if (skipped.length) {
    lines.push('');
    lines.push('### Skipped');
    lines.push('');
    for (const r of skipped) lines.push(`- ${r.name} (${r.repository}): ${r.reason}`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// The run

function archdocVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Run the evaluation; resolves to the exit code (0 unless the harness failed). */
export async function runEval(opts: RunOptions = {}): Promise<{ code: number; results: EvalResults }> {
  const out = opts.out ?? ((s: string) => process.stdout.write(s));
  const err = opts.err ?? ((s: string) => process.stderr.write(s));
  const truthDir = opts.truthDir ?? path.join(REPO_ROOT, 'eval', 'truth');
  const evalDir = path.resolve(opts.evalDir ?? process.env.ARCHDOC_EVAL_DIR ?? path.join(REPO_ROOT, '.eval-repos'));
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.ARCHDOC_EVAL_TIMEOUT) > 0 ? Number(process.env.ARCHDOC_EVAL_TIMEOUT) * 1000 : 300_000);
  const archdoc = opts.archdoc ?? [process.execPath, path.join(REPO_ROOT, 'bin', 'archdoc.js')];
  let code = 0;

  const files = truthFiles(truthDir).filter((f) => !opts.only || opts.only.includes(path.basename(f).replace(/\.ya?ml$/, '')));
  if (files.length === 0) {
    err(`eval: no truth files in ${truthDir}${opts.only ? ` named ${opts.only.join(', ')}` : ''}\n`);
    code = 1;
  }
  const repositories: RepoResult[] = [];
  for (const file of files) {
    const name = path.basename(file).replace(/\.ya?ml$/, '');
    let truth: Truth;
    try {
      truth = loadTruth(file);
    } catch (e) {
      if (!(e instanceof TruthError)) throw e;
      err(`eval: ${e.message}\n`);
      code = 1;
      continue;
    }
    const r: RepoResult = { name, repository: truth.repository, commit: truth.commit, status: 'skipped', warnings: [] };
    if (truth.shape) r.shape = truth.shape;
    repositories.push(r);
    const dir = path.join(evalDir, name);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      r.status = 'skipped';
      r.reason = `no checkout at ${path.relative(REPO_ROOT, dir) || dir}`;
      err(`eval: ${name}: skipped (${r.reason})\n`);
      continue;
    }
    const commitFile = path.join(dir, '.eval-commit');
    const have = fs.existsSync(commitFile) ? fs.readFileSync(commitFile, 'utf8').trim() : '';
    if (!have) r.warnings.push(`no .eval-commit in the checkout: cannot tell it is at ${truth.commit.slice(0, 10)}`);
    else if (!have.startsWith(truth.commit) && !truth.commit.startsWith(have))
      r.warnings.push(`the checkout is at ${have.slice(0, 10)}, the truth at ${truth.commit.slice(0, 10)}`);
    for (const w of r.warnings) err(`eval: ${name}: warning: ${w}\n`);
    err(`eval: ${name}: running archdoc…`);
    const run = await runArchdoc(archdoc, dir, timeoutMs);
    r.seconds = run.seconds;
    if (run.model) {
      r.status = 'scored';
      r.score = score(run.model, truth);
      err(` ${run.seconds} s\n`);
    } else {
      r.status = 'failed';
      r.reason = run.error;
      r.score = score(EMPTY_MODEL, truth);
      err(` failed: ${run.error}\n`);
    }
  }
  const results: EvalResults = { archdocVersion: archdocVersion(), repositories, totals: totalsOf(repositories) };
  out(markdown(results));
  const resultsFile = opts.resultsFile === undefined ? path.join(REPO_ROOT, 'eval', 'results.json') : opts.resultsFile;
  if (resultsFile && files.length > 0) {
    try {
      fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
      err(`eval: results written to ${path.relative(process.cwd(), resultsFile) || resultsFile}\n`);
    } catch (e) {
      err(`eval: cannot write ${resultsFile}: ${(e as Error).message}\n`);
      code = 1;
    }
  }
  return { code, results };
}

/** `--no-write` (print only), `--only a,b` (these repositories). */
function parseArgs(argv: string[]): RunOptions {
  const opts: RunOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-write') opts.resultsFile = null;
    else if (a === '--only') opts.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) opts.only = a.slice(7).split(',').filter(Boolean);
    else throw new Error(`eval: unknown option ${a} (use --no-write, --only name,name)`);
  }
  return opts;
}

const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url) || invoked === fileURLToPath(import.meta.url).replace(/\.ts$/, '.js')) {
  runEval(parseArgs(process.argv.slice(2))).then(
    ({ code }) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`eval: harness error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
