/**
 * `check --format sarif`: SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif)
 * and other SARIF viewers. One run; its results are the security findings, the analyzer warnings,
 * each changed fact of a stale document at the source behind it, and each stale or missing
 * document. Paths are relative to the repository (`%SRCROOT%`).
 *
 * Deterministic: the same repository gives the same bytes. Each result's `partialFingerprints`
 * hashes its rule, file and message, never its line, so an alert keeps its identity when code
 * above it moves.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { archdocVersion, packageRoot } from '../util/package.js';
import { relativeTo, type Finding, type ReportedDocument, type Severity } from './check-report.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; 'security-severity'?: string };
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' }; region: { startLine: number } } }[];
  partialFingerprints: { 'archdoc/v1': string };
}

const LEVEL: Record<Severity, Level> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub's `security-severity` (0–10): high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SCORE: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3 };

const FIXED_RULES: Record<string, Omit<Rule, 'id' | 'defaultConfiguration'> & { level: Level }> = {
  'archdoc/stale-document': {
    name: 'StaleDocument',
    shortDescription: { text: 'The architecture document no longer matches the code' },
    fullDescription: {
      text: 'What the generated architecture document says differs from what the code shows now. Run archdoc generate and commit the result.',
    },
    level: 'error',
    properties: { tags: ['documentation'] },
  },
  'archdoc/missing-document': {
    name: 'MissingDocument',
    shortDescription: { text: 'The architecture document does not exist' },
    fullDescription: { text: 'The configured architecture document has not been generated. Run archdoc generate and commit the result.' },
    level: 'error',
    properties: { tags: ['documentation'] },
  },
  'archdoc/changed-fact': {
    name: 'ChangedFact',
    shortDescription: { text: 'Code the architecture document does not show yet' },
    fullDescription: {
      text: 'A fact of the architecture (an endpoint, an entity, a dependency…) read from this code is new or changed since the document was generated.',
    },
    level: 'warning',
    properties: { tags: ['documentation'] },
  },
};

/** The URI of a repository-relative POSIX path: each segment percent-encoded. */
function uri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function fingerprint(rule: string, file: string, message: string): string {
  return createHash('sha256').update(`${rule}\u0000${file}\u0000${message}`).digest('hex').slice(0, 32);
}

function informationUri(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { homepage?: unknown };
    if (typeof manifest.homepage === 'string' && /^https:\/\//.test(manifest.homepage)) return manifest.homepage;
  } catch {
    // the registry page below
  }
  return 'https://www.npmjs.com/package/archdoc';
}

/** Words of a rule id for people: `jwt-no-expiry` → `jwt no expiry`. */
const words = (rule: string): string => rule.replaceAll('-', ' ');

/** The SARIF log of one `check`, as JSON text. */
export function sarifLog(documents: readonly ReportedDocument[], findings: readonly Finding[], base: string, hint: string): string {
  const rules = new Map<string, Rule>();
  const ruleSeverity = new Map<string, Severity>();
  const pending: { ruleId: string; level: Level; message: string; file: string; line: number }[] = [];
  const fixed = (id: keyof typeof FIXED_RULES) => {
    if (rules.has(id)) return;
    const { level, ...rest } = FIXED_RULES[id]!;
    rules.set(id, { id, ...rest, defaultConfiguration: { level } });
  };
  for (const d of documents) {
    const doc = relativeTo(base, d.file);
    if (d.status === 'missing' && doc !== undefined) {
      fixed('archdoc/missing-document');
      pending.push({ ruleId: 'archdoc/missing-document', level: 'error', message: `${doc} does not exist. ${hint}`, file: doc, line: 1 });
    }
    if (d.status !== 'stale') continue;
    if (doc !== undefined) {
      fixed('archdoc/stale-document');
      pending.push({
        ruleId: 'archdoc/stale-document',
        level: 'error',
        message: `${doc} is out of date with the code. ${hint}`,
        file: doc,
        line: d.firstLine ?? 1,
      });
    }
    // The new code behind each change (what went has no line left to point at).
    for (const f of d.facts) {
      if (f.sign !== '+') continue;
      const source = f.sources.map((s) => ({ rel: relativeTo(base, s.file), line: s.line })).find((s) => s.rel !== undefined);
      if (!source) continue;
      fixed('archdoc/changed-fact');
      pending.push({
        ruleId: 'archdoc/changed-fact',
        level: 'warning',
        message: `${doc ?? d.name} does not show this code yet: ${f.description}`,
        file: source.rel!,
        line: source.line,
      });
    }
  }
  for (const f of findings) {
    const file = relativeTo(base, f.file);
    if (file === undefined) continue;
    if (f.kind === 'security') {
      const severity = f.severity ?? 'info';
      const id = `archdoc/security/${f.rule}`;
      // A rule takes the highest severity of its findings.
      const known = ruleSeverity.get(id);
      if (known === undefined || RANK[severity] > RANK[known]) {
        ruleSeverity.set(id, severity);
        rules.set(id, {
          id,
          name: `Security/${f.rule}`,
          shortDescription: { text: `Security finding: ${words(f.rule)}` },
          fullDescription: {
            text: `A security finding of archdoc's static analysis (${words(f.rule)}), reported in the document's Security architecture section.`,
          },
          defaultConfiguration: { level: LEVEL[severity] },
          properties: { tags: ['security'], 'security-severity': SCORE[severity] },
        });
      }
      pending.push({ ruleId: id, level: LEVEL[severity], message: f.message, file, line: f.line });
    } else {
      const id = 'archdoc/analysis-warning';
      if (!rules.has(id)) {
        rules.set(id, {
          id,
          name: 'AnalysisWarning',
          shortDescription: { text: 'archdoc could not read part of this file' },
          fullDescription: { text: 'An analyzer could not read this file or part of it, so the document may leave out what it holds.' },
          defaultConfiguration: { level: 'note' },
          properties: { tags: ['documentation'] },
        });
      }
      pending.push({ ruleId: id, level: 'note', message: `${f.message} [${f.rule}]`, file, line: f.line });
    }
  }
  const ruleList = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  const seen = new Set<string>();
  const results: Result[] = [];
  const ordered = pending.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.ruleId, b.ruleId) || cmp(a.message, b.message));
  for (const p of ordered) {
    const key = `${p.ruleId}\u0000${p.file}\u0000${p.line}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push({
      ruleId: p.ruleId,
      ruleIndex: index.get(p.ruleId)!,
      level: p.level,
      message: { text: p.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(p.file), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, p.line) } } }],
      partialFingerprints: { 'archdoc/v1': fingerprint(p.ruleId, p.file, p.message) },
    });
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'archdoc', version: archdocVersion(), semanticVersion: archdocVersion(), informationUri: informationUri(), rules: ruleList } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
