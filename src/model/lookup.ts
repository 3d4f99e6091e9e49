/**
 * Facts found by id, for the renderer and the diagrams: they look a participant up here instead of
 * reading its id. An id that names no fact of the model still has a kind and a key (src/model/ids.ts).
 */
import { parseId, type IdKind } from './ids.js';
import type { Model } from './schema.js';

/** What an id stands for: its kind and key when it is a fact id, and the fact when the model holds it. */
export interface Participant {
  id: string;
  kind?: IdKind;
  /** The id without its kind (`orders` for `queue:orders`); the whole id when it is no fact id. */
  key: string;
  fact?: { name: string; tech?: string };
}

/** A lookup of the facts a flow can reach: components, endpoints, entities, data stores, queues and external services. */
export function participantLookup(model: Model): (id: string) => Participant {
  const facts = new Map<string, { name: string; tech?: string }>();
  for (const list of [model.components, model.dataStores, model.queues, model.externalServices, model.endpoints, model.schemas]) {
    for (const f of list as { id: string; name: string; tech?: unknown }[])
      facts.set(f.id, { name: f.name, ...(typeof f.tech === 'string' ? { tech: f.tech } : {}) });
  }
  return (id) => {
    const parsed = parseId(id);
    const fact = facts.get(id);
    return { id, ...(parsed ? { kind: parsed.kind, key: parsed.key } : { key: id }), ...(fact ? { fact } : {}) };
  };
}
