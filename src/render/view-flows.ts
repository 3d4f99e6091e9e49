/**
 * The traced flows the Data flow section draws: the featured flows (the flows analyzer's `top`),
 * by rank, with the flows whose sequence diagram would be the same but for its labels drawn once,
 * as one group ("also for: …").
 */
import type { Flow, Model } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import { sequenceShape } from '../diagrams/sequence.js';

export interface FlowGroup {
  /** The flow drawn: the best-ranked of its shape. */
  flow: Flow;
  /** The other featured flows of the same participants and steps, by rank. */
  also: Flow[];
}

export function featuredFlowGroups(model: Model): FlowGroup[] {
  const featured = (model.flows ?? []).filter((f) => f.featured).sort((a, b) => a.rank - b.rank || compareStrings(a.id, b.id));
  const groups = new Map<string, FlowGroup>();
  for (const f of featured) {
    const shape = sequenceShape(f);
    const g = groups.get(shape);
    if (g) g.also.push(f);
    else groups.set(shape, { flow: f, also: [] });
  }
  return [...groups.values()];
}
