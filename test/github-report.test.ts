/**
 * `check --format github` in a GitHub Actions job (issue #23, part 3): annotations on the source
 * lines behind what changed, not on the document; annotations on security findings; the job
 * summary naming the changes by section, escaped; the `stale` step output; paths relative to the
 * checkout when the action runs in a `working-directory`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { copyFixture, removeTemps, runCli, tinyApiRepo, trackTemp } from './helpers.js';

let runner: string;
const summaryFile = () => path.join(runner, 'summary.md');
const outputFile = () => path.join(runner, 'output');
const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

beforeEach(() => {
  runner = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-runner-')));
  // As the runner sets them for a step; the rest of the job's variables left out.
  vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile());
  vi.stubEnv('GITHUB_OUTPUT', outputFile());
  for (const name of ['GITHUB_WORKSPACE', 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_ACTIONS']) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  removeTemps();
});

/** The workflow commands of stdout, outside the `::stop-commands::` fence around the diff. */
function commands(stdout: string): string[] {
  const lines = stdout.split('\n');
  const out: string[] = [];
  let token: string | undefined;
  for (const l of lines) {
    if (token) {
      if (l === `::${token}::`) token = undefined;
      continue;
    }
    if (l.startsWith('::stop-commands::')) token = l.slice('::stop-commands::'.length);
    else if (l.trimStart().startsWith('::')) out.push(l);
  }
  return out;
}

/** The line of `file` that holds `text` (1-based). */
function lineOf(file: string, text: string): number {
  return (
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

function addLiveRoute(repo: string): void {
  const file = path.join(repo, 'src/routes/health.ts');
  fs.appendFileSync(file, `\nhealthRouter.get('/live', (_req, res) => {\n  res.json({ status: 'ok' });\n});\n`);
}

describe('check --format github', () => {
  it('annotates the source line of a new route (not the document), names the change by section in the job summary, and sets stale=true', async () => {
    const repo = copyFixture('express-prisma-api');
    expect((await runCli(['--quiet'], repo)).code).toBe(0);
    const fresh = await runCli(['check', '--format', 'github'], repo);
    expect(fresh.code).toBe(0);
    expect(read(outputFile())).toBe('stale=false\n');
    expect(read(summaryFile())).toContain('The architecture document matches the code.');

    addLiveRoute(repo);
    fs.rmSync(summaryFile());
    fs.rmSync(outputFile());
    const r = await runCli(['check', '--format', 'github'], repo);
    expect(r.code).toBe(1);
    const line = lineOf(path.join(repo, 'src/routes/health.ts'), "'/live'");
    const annotations = commands(r.stdout);
    const warnings = annotations.filter((l) => l.startsWith('::warning '));
    // One annotation at the new route, listing every section that now says something about it.
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning file=src/routes/health\\.ts,line=${line},title=archdoc%3A architecture document out of date::docs/ARCHITECTURE\\.md does not show this code yet:%0A- Components › orders-api: \\+ \`GET /health/live\` \\(src/routes/health\\.ts\\)%0A`,
        ),
      ),
    ]);
    expect(warnings[0]).toContain('%0A- Monitoring and observability › Health checks: + GET /health/live');
    // Nothing points at a line of the document but its own error, and no unchanged route is annotated.
    expect(annotations.filter((l) => l.includes('file=docs/'))).toEqual([expect.stringMatching(/^::error file=docs\/ARCHITECTURE\.md,/)]);
    expect(annotations.filter((l) => l.includes('file=src/routes/orders.ts'))).toEqual([]);

    expect(read(outputFile())).toBe('stale=true\n');
    const summary = read(summaryFile());
    expect(summary).toContain('1 of 1 architecture document is out of date with the code.');
    expect(summary).toContain('| `docs/ARCHITECTURE.md` | default | **out of date** |');
    expect(summary).toContain('### What changed in `docs/ARCHITECTURE.md`');
    expect(summary).toContain(`- Components › orders-api: + \\\`GET /health/live\\\` (src/routes/health.ts) — \`src/routes/health.ts:${line}\``);
    expect(summary).toMatch(/<details><summary>The diff<\/summary>\n\n```diff\n[\s\S]*\n\+- `GET \/health\/live`/);
  });

  it('links each source to the commit when the job names it', async () => {
    const repo = copyFixture('express-prisma-api');
    await runCli(['--quiet'], repo);
    addLiveRoute(repo);
    vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
    vi.stubEnv('GITHUB_REPOSITORY', 'acme/shop');
    vi.stubEnv('GITHUB_SHA', 'a'.repeat(40));
    await runCli(['check', '--format', 'github'], repo);
    const line = lineOf(path.join(repo, 'src/routes/health.ts'), "'/live'");
    expect(read(summaryFile())).toContain(
      `[\`src/routes/health.ts:${line}\`](https://github.com/acme/shop/blob/${'a'.repeat(40)}/src/routes/health.ts#L${line})`,
    );
  });

  it('in a working-directory, paths are relative to the checkout (GITHUB_WORKSPACE)', async () => {
    const checkout = trackTemp(fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-checkout-')));
    const repo = path.join(checkout, 'services', 'shop');
    fs.mkdirSync(path.dirname(repo), { recursive: true });
    fs.cpSync(copyFixture('express-prisma-api'), repo, { recursive: true });
    await runCli(['--quiet'], repo);
    addLiveRoute(repo);
    vi.stubEnv('GITHUB_WORKSPACE', checkout);
    const r = await runCli(['check', '--format', 'github'], repo);
    expect(r.code).toBe(1);
    const annotations = commands(r.stdout);
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=services\/shop\/docs\/ARCHITECTURE\.md,line=\d+,/));
    expect(annotations).toContainEqual(expect.stringMatching(/^::warning file=services\/shop\/src\/routes\/health\.ts,line=\d+,/));
    expect(read(summaryFile())).toContain('| `services/shop/docs/ARCHITECTURE.md` | default | **out of date** |');
  });

  it('annotates security findings at their lines, most severe as warnings, and lists them in the summary', async () => {
    const repo = copyFixture('risky-api');
    await runCli(['--quiet'], repo);
    const r = await runCli(['check', '--format', 'github'], repo);
    expect(r.code).toBe(0);
    const annotations = commands(r.stdout);
    const alg = lineOf(path.join(repo, 'src/auth.js'), "'none'");
    expect(annotations).toContain(
      `::warning file=src/auth.js,line=${alg},title=archdoc%3A high security finding (jwt-alg-none)::JWT algorithm "none" accepted or used (unsigned tokens)`,
    );
    const cost = lineOf(path.join(repo, 'src/auth.js'), 'hashSync');
    expect(annotations).toContain(
      `::notice file=src/auth.js,line=${cost},title=archdoc%3A low security finding (bcrypt-cost)::bcrypt cost factor is 8 (below 10)`,
    );
    // Most severe first: GitHub keeps only the first few of each level.
    const levels = annotations.map((l) => (l.startsWith('::warning') ? 0 : 1));
    expect(levels).toEqual([...levels].sort());
    expect(read(outputFile())).toBe('stale=false\n');
    const summary = read(summaryFile());
    expect(summary).toContain('### Security findings');
    expect(summary).toContain(`| high | JWT algorithm "none" accepted or used (unsigned tokens) | \`src/auth.js:${alg}\` |`);
  });

  it('hostile file names and routes: each annotation one line with its fields escaped, and no HTML or command in the summary', async () => {
    const repo = tinyApiRepo();
    await runCli(['--quiet'], repo);
    const hostile = 'a<img src=x onerror=alert(1)>,b:c\n::error::pwned ##[error]x.ts';
    fs.renameSync(path.join(repo, 'src/server.ts'), path.join(repo, 'src', hostile));
    fs.appendFileSync(path.join(repo, 'src', hostile), "app.get('/<script>alert(1)</script>', (_req, res) => res.send('x'));\n");
    const r = await runCli(['check', '--format', 'github'], repo);
    expect(r.code).toBe(1);
    const annotations = commands(r.stdout);
    const sources = annotations.filter((l) => l.startsWith('::warning '));
    expect(sources.length).toBeGreaterThan(0);
    for (const a of annotations) expect(a).toMatch(/^::(error|warning|notice) file=[^:,]*(,line=\d+)?,title=[^:,]*::/);
    expect(sources.join('\n')).toContain('file=src/a<img src=x onerror=alert(1)>%2Cb%3Ac%0A%3A%3Aerror%3A%3Apwned ##[error]x.ts,');
    expect(r.stderr.split('\n').filter((l) => l.trimStart().startsWith('::'))).toEqual([]);

    const summary = read(summaryFile());
    expect(summary).toContain('/&lt;script>alert(1)&lt;/script>');
    // Outside code, no tag but the summary's own <details>, and no line that reads as a workflow command.
    const prose = summary.replace(/^(`{3,})[\s\S]*?^\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(prose.match(/<\/?[A-Za-z][^>]*>/g)?.filter((t) => !/^<\/?(details|summary)>$/.test(t)) ?? []).toEqual([]);
    for (const l of summary.split('\n')) {
      expect(l.trimStart().startsWith('::')).toBe(false);
      expect(l).not.toContain('##[');
    }
  });

  it('with no target affected by --changed: stale=false and a summary saying nothing was checked', async () => {
    const repo = tinyApiRepo();
    await runCli(['--quiet'], repo);
    const r = await runCli(['check', '--format', 'github', '--changed', path.join(path.dirname(repo), 'elsewhere.md')], repo);
    expect(r.code).toBe(0);
    expect(read(outputFile())).toBe('stale=false\n');
    expect(read(summaryFile())).toContain('nothing was checked');
  });
});
