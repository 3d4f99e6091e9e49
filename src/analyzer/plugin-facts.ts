/**
 * Facts from the user's plugins are checked against the model schema as they are emitted: a
 * malformed one (`{ id: 5 }`) becomes a warning naming the plugin and is left out, instead of
 * breaking the merge of every analyzer's facts later.
 */
import type { z } from 'zod';
import { ModelSchema, type CollectionName } from '../model/schema.js';

const DEPLOYMENT = new Set<string>(['environments', 'pipelines', 'containers', 'workloads']);

function schemaOf(collection: CollectionName): z.ZodType | undefined {
  const shape = (DEPLOYMENT.has(collection) ? ModelSchema.shape.deployment.shape : ModelSchema.shape) as Record<string, unknown>;
  const list = shape[collection] as { element?: z.ZodType } | undefined;
  return list?.element;
}

/** Why a plugin's fact does not fit its collection, in one line; undefined when it fits. */
export function pluginFactProblem(collection: CollectionName, fact: unknown): string | undefined {
  const schema = schemaOf(collection);
  if (!schema) return `there is no collection named ${JSON.stringify(collection)}`;
  const parsed = schema.safeParse(fact);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ` : ''}${issue.message}`;
}
