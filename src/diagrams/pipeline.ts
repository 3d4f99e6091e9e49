/**
 * CI/CD pipeline: `graph LR` of jobs and their `needs`, one subgraph per pipeline. Jobs that
 * deploy to an environment show it; manual jobs are marked. With a pipeline id as argument, only
 * that pipeline.
 */
import type { Model } from '../model/schema.js';
import { label, nodeId, type Diagram } from './mermaid.js';
import type { DiagramOptions } from './index.js';

export function pipeline(model: Model, arg: unknown, opts: DiagramOptions): Diagram | undefined {
  const only = typeof arg === 'string' ? arg : undefined;
  const pipelines = model.deployment.pipelines.filter((p) => (!only || p.id === only) && p.jobs.length > 0);
  if (pipelines.length === 0) return undefined;
  const notes: string[] = [];
  const lines = ['graph LR'];
  const edges: string[] = [];
  let count = 0;
  let dropped = 0;
  for (const p of pipelines) {
    const jobId = (name: string) => nodeId(`${p.id}#${name}`);
    const names = new Set(p.jobs.map((j) => j.name));
    const kept = p.jobs.filter(() => count++ < opts.maxNodes);
    dropped += p.jobs.length - kept.length;
    if (kept.length === 0) continue;
    const keptNames = new Set(kept.map((j) => j.name));
    const body: string[] = [];
    for (const j of kept) {
      const text = `${j.name}${j.environment ? ` → ${j.environment}` : ''}${j.manual ? ' (manual)' : ''}`;
      body.push(j.environment ? `    ${jobId(j.name)}([${label(text)}])` : `    ${jobId(j.name)}[${label(text)}]`);
      for (const n of j.needs) if (names.has(n) && keptNames.has(n)) edges.push(`  ${jobId(n)} --> ${jobId(j.name)}`);
    }
    if (pipelines.length > 1) {
      lines.push(`  subgraph ${nodeId(p.id)}[${label(`${p.name} (${p.tool})`)}]`, ...body, '  end');
    } else lines.push(...body.map((b) => b.slice(2)));
  }
  if (dropped > 0) notes.push(`${dropped} jobs are not drawn (over the ${opts.maxNodes}-node budget).`);
  if (edges.length > opts.maxEdges)
    notes.push(`${edges.length - opts.maxEdges} of ${edges.length} dependencies are not drawn (over the ${opts.maxEdges}-edge budget).`);
  lines.push(...edges.slice(0, opts.maxEdges));
  return { code: lines.join('\n'), notes };
}
