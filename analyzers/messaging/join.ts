/**
 * Joining code and infrastructure by environment variable: code that only knows the variable
 * carrying a queue's URL (`QueueUrl: process.env.BILLING_QUEUE_URL`) yields `queue:env:BILLING_QUEUE_URL`;
 * an infrastructure fact that names the same variable in `details.envVars` (a Terraform queue
 * whose URL is passed to a task as BILLING_QUEUE_URL) is the same queue. This post-link step merges
 * the first into the second. It is a pure function of the model, meant to run after analysis.
 */
import { compareById } from '../../src/model/compare.js';
import { mergeFacts } from '../../src/model/merge.js';
import type { Model, Queue } from '../../src/model/schema.js';
import { parseId, queueAddress } from '../../src/model/ids.js';

export function joinQueuesByEnvVar(model: Pick<Model, 'queues'>): void {
  const byEnv = new Map<string, Queue[]>();
  for (const q of model.queues) {
    if (queueAddress(q.id) === 'environment') continue;
    const envs = q.details?.envVars;
    if (!Array.isArray(envs)) continue;
    for (const e of envs) byEnv.set(e, [...(byEnv.get(e) ?? []), q]);
  }
  const drop = new Set<string>();
  for (const q of model.queues) {
    if (queueAddress(q.id) !== 'environment') continue;
    const targets = byEnv.get(parseId(q.id)!.key.slice('env:'.length)) ?? [];
    // Ambiguous (one variable, several queues): leave both as they are.
    if (targets.length !== 1) continue;
    const t = targets[0]!;
    const merged = mergeFacts(t as Queue & Record<string, unknown>, { ...q, id: t.id, name: t.name, tech: t.tech } as Queue & Record<string, unknown>);
    Object.assign(t, merged);
    drop.add(q.id);
  }
  if (drop.size === 0) return;
  model.queues = model.queues.filter((q) => !drop.has(q.id)).sort(compareById);
}
