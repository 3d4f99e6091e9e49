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
  fixture: ['test fixture or seed data file', 'test fixtures or seed data files'],
  template: ['code-generator template', 'code-generator templates'],
  generated: ['generated file', 'generated files'],
  vendored: ['vendored file', 'vendored files'],
  documentation: ['documentation file', 'documentation files'],
  benchmark: ['benchmark file', 'benchmark files'],
  tooling: ['tooling or script file', 'tooling or script files'],
  unused: ['unused file', 'unused files'],
};

/** The unused role by tool: its noun and why nothing uses the files (src/pipeline/unused.ts). */
const UNUSED: Record<string, { one: string; many: string; why: string }> = {
  prisma: {
    one: 'unused Prisma schema or migration file',
    many: 'unused Prisma schema or migration files',
    why: 'not read, as no package depends on Prisma: nothing in the repository uses its models',
  },
  kysely: {
    one: 'unused Kysely migration',
    many: 'unused Kysely migrations',
    why: 'not read, as nothing runs them: no Kysely Migrator, no kysely-ctl configuration, no infrastructure construct naming the folder',
  },
  unreachable: {
    one: 'unreachable module',
    many: 'unreachable modules',
    why: "not read, as no entry of their package imports them, directly or through other modules: neither a function the infrastructure runs nor a Nest application's src/main.ts",
  },
  plugins: {
    one: 'file of a switched-off plugin',
    many: 'files of switched-off plugins',
    why: "not read, as the framework's plugin settings, such as lin-mizar's pluginPath, switch them off or do not name them",
  },
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
  /** Why the files are set aside, when the role does not say it (unused schemas and migrations). */
  why?: string;
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
    .flatMap((r): SetAsideLine[] => {
      // Unused files: one line per tool, with the reason.
      // Unused files: one line per tool, with the reason; those the config calls unused after them.
      if (r.role === 'unused' && r.tools?.length) {
        const out: SetAsideLine[] = r.tools.map((t) => {
          const u = UNUSED[t.tool] ?? { one: `unused ${t.tool} file`, many: `unused ${t.tool} files`, why: 'nothing uses them' };
          return {
            role: r.role,
            count: t.count,
            one: u.one,
            many: u.many,
            folders: t.folders,
            more: t.folderCount > t.folders.length,
            languages: [],
            why: u.why,
          };
        });
        const rest = r.count - r.tools.reduce((n, t) => n + t.count, 0);
        const toolFolders = new Set(r.tools.flatMap((t) => t.folders));
        const folders = r.folders.filter((f) => !toolFolders.has(f));
        if (rest > 0)
          out.push({ role: r.role, count: rest, one: 'unused file', many: 'unused files', folders, more: r.folderCount > r.folders.length, languages: [] });
        return out;
      }
      const [one, many] = ROLE_NOUNS[r.role] ?? [`${r.role} file`, `${r.role} files`];
      return [{ role: r.role, count: r.count, one, many, folders: r.folders, more: r.folderCount > r.folders.length, languages: r.languages ?? [] }];
    });
  return { lines, droppedEvidence: files?.droppedEvidence ?? 0, droppedFacts: files?.droppedFacts ?? 0 };
}
