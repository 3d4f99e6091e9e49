/**
 * Facts found by id, for the renderer and the diagrams: they look a participant up here instead of
 * reading its id. An id that names no fact of the model still has a kind and a key (src/model/ids.ts).
 */
import { parseId, type IdKind } from './ids.js';
import type { Model } from './schema.js';
import { compareStrings } from './compare.js';

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

/**
 * The component a workload runs, by name when nothing links it: a workload or image named as a
 * component's folder or package, or its scoped package name joined by a hyphen (`@hoarder/web` →
 * `hoarder-web`), or those with `-service`, `-server`, `-svc` or `-deployment` after them
 * (Deployment `auth` runs `apps/auth`; image `acme/asset-service` runs `services/asset`).
 */
export function componentNamed(model: Model, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const c of [...model.components].sort((a, b) => compareStrings(a.id, b.id))) {
    if (c.path === '.' || c.path === '') continue;
    const pkg = c.packageName ?? c.name;
    const scoped = pkg.startsWith('@') && pkg.includes('/') ? [pkg.slice(1).replace('/', '-')] : [];
    const names = [c.path.slice(c.path.lastIndexOf('/') + 1), pkg.replace(/^@[^/]+\//, ''), ...scoped].map((x) => x.toLowerCase());
    if (names.some((b) => n === b || ['-service', '-server', '-svc', '-deployment'].some((s) => n === b + s))) return c.id;
  }
  return undefined;
}
