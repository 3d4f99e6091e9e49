/**
 * The reading budget and the linked detail pages. A main document a person reads end to end stays
 * within a budget of lines and bytes whatever the repository's size; past it, inventories (every
 * component's details, every endpoint, every entity and field, every traced flow, every channel,
 * every container and resource) move to pages next to the document, and the main document keeps
 * their counts, the most significant items and a relative link.
 *
 * The decision is deterministic: the main document is rendered with every inventory inline; while
 * it is over budget, the next inventory in `MOVE_ORDER` moves to its page and the document is
 * rendered again. The order is fixed (not by size, which would make a page come and go as one
 * inventory overtakes another), and runs from the inventories that grow fastest with a
 * repository to those that grow slowest. `comprehensive` depth has no budget: it is the reference.
 */
import path from 'node:path';
import type { Depth } from '../config/schema.js';
import { compareStrings } from '../model/compare.js';
import type { Component, Model } from '../model/schema.js';

export interface Budget {
  lines: number;
  bytes: number;
}

/**
 * `standard`: about 1,500 lines and 150 KB. `quick`: two printed pages, taken as 150 lines and
 * 16 KB (about 60 printed lines a page once tables wrap; the bytes allow for link targets, which
 * are not printed). `comprehensive` has none.
 */
export const BUDGETS: Record<Depth, Budget | undefined> = {
  quick: { lines: 150, bytes: 16 * 1024 },
  standard: { lines: 1500, bytes: 150 * 1024 },
  comprehensive: undefined,
};

/** The inventories that can move to a page. */
export type PageKind = 'components' | 'api' | 'flows' | 'data' | 'messages' | 'infrastructure';

/** The order inventories move in while the main document is over budget. */
export const MOVE_ORDER: readonly PageKind[] = ['components', 'api', 'flows', 'data', 'messages', 'infrastructure'];

/** Each page: its file (under `<output dir>/architecture/`), title and template. */
export const PAGES: Record<PageKind, { file: string; title: string; template: string }> = {
  components: { file: 'components.md', title: 'Components', template: 'pages/components.md.njk' },
  api: { file: 'api-reference.md', title: 'API reference', template: 'pages/api-reference.md.njk' },
  flows: { file: 'data-flows.md', title: 'Traced data flows', template: 'pages/data-flows.md.njk' },
  data: { file: 'data-stores.md', title: 'Data stores and schemas', template: 'pages/data-stores.md.njk' },
  messages: { file: 'message-channels.md', title: 'Message channels', template: 'pages/message-channels.md.njk' },
  infrastructure: { file: 'infrastructure.md', title: 'Infrastructure inventory', template: 'pages/infrastructure.md.njk' },
};

/** How many of the most significant items the main document names once an inventory has moved. */
export const SHOWN: Record<Depth, number> = { quick: 8, standard: 25, comprehensive: Number.POSITIVE_INFINITY };

/** Absolute path of an inventory page. */
export function pagePath(output: string, kind: PageKind): string {
  return path.join(path.dirname(output), 'architecture', PAGES[kind].file);
}

/** Every inventory page a document at `output` may have (component pages aside), for discovery to skip and merges to read. */
export function allPagePaths(output: string): string[] {
  return MOVE_ORDER.map((k) => pagePath(output, k));
}

/** True when a document is within its budget. */
export function withinBudget(text: string, budget: Budget | undefined): boolean {
  if (!budget) return true;
  return lineCount(text) <= budget.lines && Buffer.byteLength(text, 'utf8') <= budget.bytes;
}

/** Lines of a document as an editor counts them (a final newline ends the last line). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** Kinds a team deploys and runs, which the summaries name first. */
const DEPLOYABLE = new Set(['service', 'worker', 'function', 'frontend']);

/** What the main document names once inventories have moved: the most significant items, by documented rules. */
export interface Significant {
  /**
   * Components: deployable units first (service, worker, function, front end), then by
   * endpoints served, then by components depending on them, then by name.
   */
  components: Component[];
  /** Components by endpoints served (most first, then by name), with their counts. */
  endpoints: { component: string; count: number }[];
  /** Entities by fields plus relations (most first, then by name), with those counts. */
  entities: { name: string; fields: number; relations: number }[];
  /** Channels by producers plus consumers (most first, then by name). */
  channels: { name: string; tech: string; producers: number; consumers: number }[];
}

export function significantItems(model: Model, depth: Depth): Significant {
  const n = SHOWN[depth];
  const endpoints = new Map<string, number>();
  for (const e of model.endpoints) if (e.component) endpoints.set(e.component, (endpoints.get(e.component) ?? 0) + 1);
  const dependents = new Map<string, number>();
  for (const c of model.components) for (const t of new Set(c.dependsOn.map((d) => d.target))) dependents.set(t, (dependents.get(t) ?? 0) + 1);
  const components = [...model.components]
    .sort(
      (a, b) =>
        Number(DEPLOYABLE.has(b.kind)) - Number(DEPLOYABLE.has(a.kind)) ||
        (endpoints.get(b.id) ?? 0) - (endpoints.get(a.id) ?? 0) ||
        (dependents.get(b.id) ?? 0) - (dependents.get(a.id) ?? 0) ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.id, b.id),
    )
    .slice(0, n);
  const names = new Map(model.components.map((c) => [c.id, c.name]));
  const byEndpoints = [...endpoints.entries()]
    .map(([id, count]) => ({ component: names.get(id) ?? id, count }))
    .sort((a, b) => b.count - a.count || compareStrings(a.component, b.component))
    .slice(0, n);
  const entities = model.schemas
    .map((s) => ({ name: s.name, fields: s.fields.length, relations: s.relations.length }))
    .sort((a, b) => b.fields + b.relations - (a.fields + a.relations) || compareStrings(a.name, b.name))
    .slice(0, n);
  const channels = model.queues
    .map((q) => ({ name: q.name, tech: q.tech, producers: q.producers.length, consumers: q.consumers.length }))
    .sort((a, b) => b.producers + b.consumers - (a.producers + a.consumers) || compareStrings(a.name, b.name) || compareStrings(a.tech, b.tech))
    .slice(0, n);
  return { components, endpoints: byEndpoints, entities, channels };
}
