/**
 * The view: model-derived values the templates need (grouped, ordered, counted), computed once
 * in code so templates stay declarative. Nothing here invents a fact.
 */
import type { Component, Model, Tech } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { toPosix } from '../util/paths.js';

const KIND_ORDER = ['service', 'worker', 'function', 'frontend', 'cli', 'library', 'infrastructure'];

export const KIND_LABELS: Record<string, string> = {
  service: 'Service',
  worker: 'Worker',
  function: 'Function',
  frontend: 'Front end',
  cli: 'Command-line tool',
  library: 'Library',
  infrastructure: 'Infrastructure',
};

export const LAYER_TITLES: Record<string, string> = {
  frontend: 'Frontend',
  backend: 'Backend',
  data: 'Data',
  infrastructure: 'Infrastructure',
  observability: 'Observability',
  tooling: 'Build and test tooling',
};

export interface View {
  components: Component[];
  componentsById: Record<string, Component>;
  kindLabels: Record<string, string>;
  techById: Record<string, Tech>;
  /** Per component: the key technologies' names, for the overview table. */
  keyTech: Record<string, string[]>;
  techLayers: { layer: string; title: string; items: Tech[] }[];
  profile: { depth: string; audience: string; focus: string[] };
  document: ResolvedConfig['document'] & { title: string };
  glossary: { term: string; definition: string }[];
  counts: Record<string, number>;
  /** Per component id: link (relative to this document) to its own document, when there is one. */
  docLinks: Record<string, string>;
}

/** Case-insensitive for readers, then by code unit so the order never depends on the locale. */
function byName(a: { name: string }, b: { name: string }): number {
  return compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) || compareStrings(a.name, b.name);
}

/** Categories named in the components overview table (the rest are in the per-component details). */
const KEY_TECH = new Set(['language', 'framework', 'orm', 'query-builder', 'messaging', 'database-client']);

export function buildView(model: Model, config: ResolvedConfig, glossary: View['glossary']): View {
  const components = [...model.components].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id),
  );
  const techLayers = Object.keys(LAYER_TITLES)
    .map((layer) => ({
      layer,
      title: LAYER_TITLES[layer]!,
      items: model.techStack.filter((t) => t.layer === layer).sort(byName),
    }))
    .filter((g) => g.items.length > 0);
  return {
    components,
    componentsById: Object.fromEntries(model.components.map((c) => [c.id, c])),
    kindLabels: KIND_LABELS,
    techById: Object.fromEntries(model.techStack.map((t) => [t.id, t])),
    keyTech: Object.fromEntries(
      model.components.map((c) => [
        c.id,
        model.techStack
          .filter((t) => c.tech.includes(t.id) && KEY_TECH.has(t.category))
          .sort(byName)
          .map((t) => t.name),
      ]),
    ),
    techLayers,
    profile: { depth: config.depth, audience: config.audience, focus: config.focus },
    document: { ...config.document, title: config.document.title ?? `${model.system.name} — System architecture` },
    glossary,
    docLinks: Object.fromEntries(
      Object.entries(config.linkedDocuments).map(([id, file]) => [id, toPosix(path.relative(path.dirname(config.output), file))]),
    ),
    counts: {
      components: model.components.length,
      endpoints: model.endpoints.length,
      schemas: model.schemas.length,
      dataStores: model.dataStores.length,
      queues: model.queues.length,
      externalServices: model.externalServices.length,
      infrastructure: model.infrastructure.length,
      warnings: model.warnings.length,
    },
  };
}
