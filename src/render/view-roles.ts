/**
 * What the Analysis notes say about files set aside by their role (src/pipeline/roles.ts): one
 * line per role with its count and top folders, and the evidence the guard dropped. Derived from
 * the model's `files` summary only.
 */
import type { Model } from '../model/schema.js';

/** Each role as a noun for "214 test files" (singular, then plural). */
const ROLE_NOUNS: Record<string, [string, string]> = {
  test: ['test file', 'test files'],
  e2e: ['end-to-end test file', 'end-to-end test files'],
  example: ['example or sample file', 'example or sample files'],
  fixture: ['test fixture', 'test fixtures'],
  template: ['code-generator template', 'code-generator templates'],
  generated: ['generated file', 'generated files'],
  vendored: ['vendored file', 'vendored files'],
  documentation: ['documentation file', 'documentation files'],
  benchmark: ['benchmark file', 'benchmark files'],
  tooling: ['tooling or script file', 'tooling or script files'],
};

export interface SetAsideLine {
  role: string;
  count: number;
  one: string;
  many: string;
  folders: string[];
  /** More folders than listed. */
  more: boolean;
  /** Languages archdoc does not read among the files (a Python load test). */
  languages: string[];
}

export interface SetAsideView {
  lines: SetAsideLine[];
  droppedEvidence: number;
  droppedFacts: number;
}

export function setAsideView(model: Model): SetAsideView {
  const files = model.files;
  // Documentation is not set aside from everything: the documents list and ADRs read it.
  const lines = (files?.roles ?? [])
    .filter((r) => r.role !== 'documentation')
    .map((r) => {
      const [one, many] = ROLE_NOUNS[r.role] ?? [`${r.role} file`, `${r.role} files`];
      return { role: r.role, count: r.count, one, many, folders: r.folders, more: r.folderCount > r.folders.length, languages: r.languages ?? [] };
    });
  return { lines, droppedEvidence: files?.droppedEvidence ?? 0, droppedFacts: files?.droppedFacts ?? 0 };
}
