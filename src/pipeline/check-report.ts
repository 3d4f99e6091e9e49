/**
 * What `check` found, for the reports that point at the code: GitHub annotations and job summary
 * (`--format github`) and SARIF (`--format sarif`). Each stale document's changes with the sources
 * behind them, and the findings of each analysed target (security findings, analyzer warnings),
 * with absolute paths; the reports make them relative to the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Model } from '../model/schema.js';
import { statementOf } from '../render/view-infrastructure.js';
import { toPosix } from '../util/paths.js';
import { redactSecrets } from '../util/redact.js';
import { footnotes, sourcesOf, type Source } from './evidence-links.js';
import { describeChanges, type Change } from './staleness.js';

export type { Source } from './evidence-links.js';

/** One changed line of a stale document, as `check` names it, and the sources behind it that changed. */
export interface ChangedFact {
  sign: '+' | '-';
  /** `Components › orders-api: + GET /health/live (src/routes/health.ts)` */
  description: string;
  /**
   * For `+`, its evidence that the document on disk cites nowhere (the new code); for `-`, its
   * evidence that the new document cites nowhere, in files that still exist (the code that went).
   */
  sources: Source[];
}

/** What `check` found for one document. */
export interface CheckResult {
  /** As messages show it (relative to the current directory, printable). */
  name: string;
  target: string;
  status: 'fresh' | 'stale' | 'missing';
  diff?: string;
  firstLine?: number;
  /** What changed, by section and item (stale documents). */
  changes?: string[];
  /** Fresh, but a regeneration would refresh this many evidence links and versions. */
  refresh?: { links: number; versions: number };
  /** Stale because someone edited the document outside its human blocks (a regeneration would overwrite that). */
  editedOutside?: boolean;
}

/** A check result with the document's path and the changed facts behind it (for annotations and SARIF). */
export interface ReportedDocument extends CheckResult {
  /** Absolute path. */
  file: string;
  facts: ChangedFact[];
}

export type Severity = 'info' | 'low' | 'medium' | 'high';

/** A security finding or an analyzer warning, at a source file (absolute) and line (0: the whole file). */
export interface Finding {
  kind: 'security' | 'warning';
  /** `jwt-no-expiry` for a security finding; the analyzer's name for a warning. */
  rule: string;
  severity?: Severity;
  message: string;
  file: string;
  line: number;
}

/** At most this many changed lines of one document are traced to their sources. */
const MAX_FACTS = 500;

/** Every source a document cites, as `file\0line` keys. */
function cited(lines: readonly string[], documentPath: string, notes: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const line of lines) for (const s of sourcesOf(line, documentPath, notes)) out.add(`${s.file}\u0000${s.line}`);
  return out;
}

/**
 * The changes of a stale document with the sources behind each that changed: a line whose links
 * only list one more endpoint is traced to that endpoint, not to every file it names.
 */
export function changedFacts(changes: readonly Change[], existing: string, merged: string, documentPath: string): ChangedFact[] {
  const lines = { '+': merged.split('\n'), '-': existing.split('\n') };
  const notes = { '+': footnotes(merged), '-': footnotes(existing) };
  let citedBy: { '+': Set<string>; '-': Set<string> } | undefined;
  return changes.slice(0, MAX_FACTS).map((c) => {
    const raw = c.at >= 0 ? (lines[c.sign][c.at] ?? '') : '';
    let sources = sourcesOf(raw, documentPath, notes[c.sign]);
    if (sources.length > 0) {
      citedBy ??= { '+': cited(lines['+'], documentPath, notes['+']), '-': cited(lines['-'], documentPath, notes['-']) };
      const other = citedBy[c.sign === '+' ? '-' : '+'];
      sources = sources.filter((s) => !other.has(`${s.file}\u0000${s.line}`));
      if (c.sign === '-') sources = sources.filter((s) => fs.statSync(s.file, { throwIfNoEntry: false })?.isFile());
    }
    return { sign: c.sign, description: redactSecrets(describeChanges([c])[0]!), sources };
  });
}

/** `security:finding:jwt-no-expiry:src/auth.ts` → `jwt-no-expiry`; `security:public-bucket:infra/…` → `public-bucket`. */
export function securityRule(id: string): string {
  const parts = id.split(':');
  const rule = parts[1] === 'finding' ? parts[2] : parts[1];
  const clean = (rule ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return clean === '' ? 'finding' : clean;
}

/** The findings of one analysed target: security facts with a severity and analyzer warnings, each with a file. */
export function findingsOf(model: Model, root: string): Finding[] {
  const out: Finding[] = [];
  for (const f of model.security) {
    const e = f.evidence[0];
    if (!f.severity || !e || e.file === '') continue;
    out.push({ kind: 'security', rule: securityRule(f.id), severity: f.severity, message: statementOf(f), file: path.resolve(root, e.file), line: e.line });
  }
  for (const w of model.warnings) {
    if (w.file === '') continue;
    out.push({ kind: 'warning', rule: w.analyzer, message: w.message, file: path.resolve(root, w.file), line: w.line });
  }
  return out;
}

/**
 * The folder report paths are relative to: GitHub's checkout (`GITHUB_WORKSPACE`) when archdoc runs
 * inside it, else the nearest folder holding `.git` at or above the current one, else the current one.
 */
export function repositoryBase(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const workspace = env.GITHUB_WORKSPACE ? path.resolve(env.GITHUB_WORKSPACE) : undefined;
  if (workspace && relativeTo(workspace, cwd) !== undefined) return workspace;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/** `file` as a POSIX path relative to `base`, or undefined when it lies outside. */
export function relativeTo(base: string, file: string): string | undefined {
  const rel = path.relative(base, file);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return toPosix(rel === '' ? '.' : rel);
}
