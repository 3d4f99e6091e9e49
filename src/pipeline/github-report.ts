/**
 * `check --format github` in a GitHub Actions job: annotations on the source files behind each
 * changed fact of a stale document and on the findings, the job summary (`$GITHUB_STEP_SUMMARY`)
 * naming the changes by section, and the step output `stale` (`$GITHUB_OUTPUT`). action.yml only
 * runs this.
 *
 * Names, messages and document lines come from the repository: annotation fields are escaped with
 * `commandProperty` and `commandMessage`, and the summary holds them as escaped Markdown text (no
 * HTML, link or code span of their own) or inside a fence longer than any backtick run they hold.
 */
import fs from 'node:fs';
import { code, href, markdownText } from '../render/escape.js';
import { commandMessage, commandProperty, inert, inertLines, printable } from '../util/terminal.js';
import { relativeTo, type Finding, type ReportedDocument, type Severity } from './check-report.js';

/** GitHub shows 10 warnings and 10 notices per step and 50 annotations per job; past these, none. */
const MAX_ANNOTATIONS = 50;
/** Lines of each diff and entries of each list in the summary (a step's summary holds at most 1 MiB). */
const MAX_DIFF_LINES = 400;
const MAX_LIST = 100;

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

interface Annotation {
  level: 'warning' | 'notice';
  file: string;
  line: number;
  title: string;
  message: string;
}

function annotationLine(a: Annotation): string {
  const line = a.line > 0 ? `,line=${a.line}` : '';
  return `::${a.level} file=${commandProperty(a.file)}${line},title=${commandProperty(a.title)}::${commandMessage(a.message)}\n`;
}

/** Security findings most severe first, then analyzer warnings; stable within each. */
export function byImportance(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.kind === 'security' ? RANK[f.severity ?? 'info'] : 4);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

/**
 * The annotations: the new code behind a stale document's changes, one per place with what the
 * document does not show yet; each file whose facts went, one per file (their old lines no longer
 * exist); then the security findings. The stale document's own `::error` is printed by `check`.
 * Analyzer warnings are for SARIF and stderr.
 */
export function annotations(
  documents: readonly ReportedDocument[],
  findings: readonly Finding[],
  base: string,
  hint: string,
): { lines: string[]; left: number } {
  const all: Annotation[] = [];
  for (const d of documents) {
    if (d.status !== 'stale') continue;
    for (const sign of ['+', '-'] as const) {
      const places = new Map<string, { file: string; line: number; what: string[] }>();
      for (const f of d.facts) {
        if (f.sign !== sign) continue;
        for (const s of f.sources) {
          const file = relativeTo(base, s.file);
          if (file === undefined) continue;
          const line = sign === '+' ? s.line : 0;
          const key = `${file}\u0000${line}`;
          const place = places.get(key) ?? { file, line, what: [] };
          places.set(key, place);
          if (!place.what.includes(f.description)) place.what.push(f.description);
        }
      }
      const says = sign === '+' ? 'does not show this code yet' : 'still shows what went from this file';
      for (const p of places.values()) {
        const list = p.what.slice(0, 5).map((w) => `- ${w}`);
        if (p.what.length > 5) list.push(`- … and ${p.what.length - 5} more`);
        all.push({
          level: 'warning',
          file: p.file,
          line: p.line,
          title: 'archdoc: architecture document out of date',
          message: `${d.name} ${says}:\n${list.join('\n')}\n${hint}`,
        });
      }
    }
  }
  for (const f of byImportance(findings)) {
    if (f.kind !== 'security') continue;
    const file = relativeTo(base, f.file);
    if (file === undefined) continue;
    const severity = f.severity ?? 'info';
    all.push({
      level: severity === 'high' || severity === 'medium' ? 'warning' : 'notice',
      file,
      line: f.line,
      title: `archdoc: ${severity} security finding (${f.rule})`,
      message: f.message,
    });
  }
  const seen = new Set<string>();
  const unique = all.filter((a) => {
    const key = `${a.level}\u0000${a.file}\u0000${a.line}\u0000${a.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { lines: unique.slice(0, MAX_ANNOTATIONS).map(annotationLine), left: Math.max(0, unique.length - MAX_ANNOTATIONS) };
}

/** A place in the repository as Markdown: a link to the file at this commit when the job says which, else a code span. */
function place(file: string, line: number, env: NodeJS.ProcessEnv): string {
  const shown = String(code(line > 0 ? `${file}:${line}` : file));
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (
    !server ||
    !repo ||
    !sha ||
    !/^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(server) ||
    !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) ||
    !/^[0-9a-f]{40,64}$/.test(sha)
  )
    return shown;
  return `[${shown}](${server}/${repo}/blob/${sha}/${href(file)}${line > 0 ? `#L${line}` : ''})`;
}

/** Repository text as one line of Markdown text. */
const text = (s: string): string => inert(markdownText(s));

/** A fenced block holding `body` as it is: the fence is longer than any backtick run inside. */
function fenced(body: string, info: string): string {
  let longest = 0;
  for (let i = 0, run = 0; i < body.length; i++) {
    run = body[i] === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

const STATUS = { fresh: 'up to date', stale: '**out of date**', missing: '**missing**' } as const;

/** The job summary: each document's status, what changed by section (with the sources), the diff, and the findings. */
export function summary(documents: readonly ReportedDocument[], findings: readonly Finding[], base: string, hint: string, env: NodeJS.ProcessEnv): string {
  const out: string[] = ['## archdoc check', ''];
  const bad = documents.filter((d) => d.status !== 'fresh');
  if (documents.length === 0) out.push('No target contains the changed files; nothing was checked.', '');
  else if (bad.length === 0)
    out.push(`The architecture ${documents.length === 1 ? 'document matches' : `documents (${documents.length}) match`} the code.`, '');
  else
    out.push(
      `${bad.length} of ${documents.length} architecture ${documents.length === 1 ? 'document is' : 'documents are'} out of date with the code. ${hint}`,
      '',
    );
  if (documents.length > 0) {
    out.push('| Document | Target | Status |', '| --- | --- | --- |');
    for (const d of documents.slice(0, MAX_LIST)) {
      const refresh = d.refresh ? ` (a regeneration would refresh ${d.refresh.links} evidence links and ${d.refresh.versions} versions)` : '';
      out.push(`| ${code(relativeTo(base, d.file) ?? d.name)} | ${text(d.target)} | ${STATUS[d.status]}${refresh} |`);
    }
    if (documents.length > MAX_LIST) out.push(`| … | | ${documents.length - MAX_LIST} more |`);
    out.push('');
  }
  for (const d of bad) {
    const name = code(relativeTo(base, d.file) ?? d.name);
    if (d.status === 'missing') {
      out.push(`### ${name} does not exist`, '', hint, '');
      continue;
    }
    out.push(`### What changed in ${name}`, '');
    for (const f of d.facts.slice(0, MAX_LIST)) {
      const sources = f.sources.flatMap((s) => {
        const rel = relativeTo(base, s.file);
        return rel === undefined ? [] : [place(rel, s.line, env)];
      });
      out.push(`- ${text(f.description)}${sources.length ? ` — ${sources.slice(0, 3).join(', ')}` : ''}`);
    }
    if (d.facts.length === 0) for (const c of (d.changes ?? []).slice(0, MAX_LIST)) out.push(`- ${text(c)}`);
    if (d.facts.length > MAX_LIST) out.push(`- … and ${d.facts.length - MAX_LIST} more changed lines`);
    out.push('');
    if (d.diff) {
      const lines = d.diff.replace(/\n$/, '').split('\n');
      const shown = lines.slice(0, MAX_DIFF_LINES).map(printable);
      if (lines.length > MAX_DIFF_LINES) shown.push(`… ${lines.length - MAX_DIFF_LINES} more lines`);
      out.push('<details><summary>The diff</summary>', '', fenced(shown.join('\n'), 'diff'), '', '</details>', '');
    }
  }
  const security = byImportance(findings).filter((f) => f.kind === 'security');
  if (security.length > 0) {
    out.push('### Security findings', '', '| Severity | Finding | Where |', '| --- | --- | --- |');
    for (const f of security.slice(0, MAX_LIST)) {
      const rel = relativeTo(base, f.file);
      out.push(`| ${f.severity ?? 'info'} | ${inert(markdownText(f.message, { cell: true }))} | ${rel === undefined ? '—' : place(rel, f.line, env)} |`);
    }
    if (security.length > MAX_LIST) out.push(`| … | ${security.length - MAX_LIST} more | |`);
    out.push('');
  }
  // Not read for workflow commands by the runner, but shown in its log by some: no line reads as one.
  return inertLines(out.join('\n')) + '\n';
}

/**
 * In a GitHub Actions step: the summary appended to `$GITHUB_STEP_SUMMARY` and `stale=true|false`
 * to `$GITHUB_OUTPUT`, when the runner set them.
 */
export function writeGithubFiles(
  documents: readonly ReportedDocument[],
  findings: readonly Finding[],
  base: string,
  hint: string,
  env: NodeJS.ProcessEnv,
): void {
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summary(documents, findings, base, hint, env));
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `stale=${documents.some((d) => d.status !== 'fresh')}\n`);
}
