/**
 * Workflow engines and job queues (temporal.ts, job-queues.ts): which scripts they read, and what
 * they add to a queue fact beyond its ends (workflow types, activities and job names as
 * `messages`; the workflows and activities a Temporal worker registers as `details`).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Queue } from '../../src/model/schema.js';
import type { FileFacts } from './detect.js';
import { JOB_TECHS, JobQueueRules } from './job-queues.js';
import type { ChannelNames } from './names.js';
import { Registry, TEMPORAL_PACKAGES, TemporalRules } from './temporal.js';

/** Whether a script's package uses one of some packages: it imports one, else its package or the root manifest depends on one. */
export function packageUse(ctx: AnalyzerContext, indexes: Map<string, FileIndex>): (file: string, packages: readonly string[]) => boolean {
  const rootDeps = new Set(
    Object.keys({ ...(ctx.workspace.rootManifest?.dependencies as object), ...(ctx.workspace.rootManifest?.devDependencies as object) }),
  );
  const root = ctx.workspace.packages.find((p) => p.path === '.');
  return (file, packages) => {
    const idx = indexes.get(file);
    if (idx && [...idx.imports.values()].some((i) => packages.includes(i.module))) return true;
    const pkg = ctx.packageOf(file);
    return packages.some((p) => pkg?.dependencies.has(p) || root?.dependencies.has(p) || rootDeps.has(p));
  };
}

export class EngineRules {
  private readonly registry = new Registry();
  private readonly temporal: TemporalRules;
  private readonly jobs: JobQueueRules;

  constructor(
    names: ChannelNames,
    resolveImport: (from: string, specifier: string) => string | undefined,
    private readonly uses: (file: string, packages: readonly string[]) => boolean,
  ) {
    this.temporal = new TemporalRules(names, resolveImport, this.registry);
    this.jobs = new JobQueueRules(names, this.registry, uses);
  }

  detect(file: string, idx: FileIndex, facts: FileFacts): void {
    if (this.uses(file, TEMPORAL_PACKAGES)) this.temporal.detect(file, idx, facts);
    this.jobs.detect(file, idx, facts);
  }

  /** A queue fact of an engine read here, with what its rules learnt of it. */
  describe(q: Queue): void {
    const notes = this.registry.byName.get(q.name);
    const ours = new Set(['Temporal', ...JOB_TECHS]);
    if (!notes || !(ours.has(q.tech) || ((q.details?.technologies as string[] | undefined) ?? []).some((t) => ours.has(t)))) return;
    if (notes.messages.size) q.messages = sortedUnique([...(q.messages ?? []), ...notes.messages]);
    if (notes.workflows.size) q.details = { ...q.details, workflows: sortedUnique([...notes.workflows]) };
    if (notes.activities.size) q.details = { ...q.details, activities: sortedUnique([...notes.activities]) };
  }
}
