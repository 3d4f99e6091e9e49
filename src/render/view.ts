/**
 * The view: model-derived values the templates need (grouped, ordered, counted), computed once
 * in code so templates stay declarative. Nothing here invents a fact.
 */
import type { Component, Model, Tech } from '../model/schema.js';
import { compareStrings } from '../model/compare.js';
import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { toPosix } from '../util/paths.js';
import { sectionsFor, type Section } from './sections.js';
import { endpointsView, type EndpointsView } from './view-endpoints.js';
import { setAsideView, type SetAsideView } from './view-roles.js';
import { coverageView, type CoverageView } from './view-coverage.js';
import { capacityRows, scalingView, type CapacityRow, type ScalingView } from './view-performance.js';
import { recoveryView, type RecoveryView } from './view-recovery.js';
import { decisionsView, type DecisionsView } from './view-decisions.js';
import { securityView, type SecurityView } from './view-security.js';
import type { PageKind, Significant } from './pages.js';
import { featuredFlowGroups, type FlowGroup } from './view-flows.js';
import { PROTOCOL_NAMES, schemeProtocol } from './protocol-names.js';
import { unconnectedResources, type UnconnectedResource } from '../diagrams/network.js';

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
  /** Per component: its key technologies and language for the overview table (`Spring Boot, Spring Web MVC (Java)`); empty when neither is known. */
  keyTech: Record<string, string>;
  techLayers: { layer: string; title: string; items: Tech[] }[];
  profile: { depth: string; audience: string; focus: string[]; layout: string; adrs: boolean; detailedDiagrams: boolean };
  document: ResolvedConfig['document'] & { title: string };
  glossary: { term: string; definition: string }[];
  counts: Record<string, number>;
  /** Endpoint lists, access by mechanism and specification drift (see view-endpoints.ts). */
  endpoints: EndpointsView;
  /** Technologies present but unread, what was read, and code in other languages (see view-coverage.ts). */
  coverage: CoverageView;
  /** Files set aside by their role, for the Analysis notes (see view-roles.ts). */
  setAside: SetAsideView;
  /** Sized infrastructure resources, for Performance and scalability (see view-performance.ts). */
  capacity: CapacityRow[];
  /** One row per deployable unit: replicas, autoscaling, CPU and memory (see view-performance.ts). */
  scaling: ScalingView;
  /** One row per data store: backups, point-in-time recovery, zones and replicas, deletion protection (see view-recovery.ts). */
  recovery: RecoveryView;
  /** Key design decisions with their context and numbers in words (see view-decisions.ts). */
  decisions: DecisionsView;
  /** Security facts grouped by what they are (see view-security.ts). */
  security: SecurityView;
  /** Architectural resources of the roots with no connection between them: listed, not drawn (diagrams/network.ts). */
  unconnectedResources: UnconnectedResource[];
  /** The featured traced flows, those of one sequence diagram's shape as one group (view-flows.ts). */
  flowGroups: FlowGroup[];
  /** The sections of this document, in order, for the reader profile. */
  sections: Section[];
  /** Components that get a details subsection at this depth. */
  detailed: Component[];
  /** Per component id: link (relative to this document) to its own document, when there is one. */
  docLinks: Record<string, string>;
  /** Per component: the components it depends on, one entry per target (manifest and import evidence together). */
  /**
   * Per component, what it depends on, one entry per target: how (kinds), the evidence, and for a
   * call its deployment configures, the variables that name the target and the protocol's name.
   */
  dependencies: Record<string, { target: string; kinds: string[]; evidence: Component['evidence']; via: string[]; protocol?: string }[]>;
  documentsById: Record<string, Model['documents'][number]>;
  /** ADRs ordered by number (then path). */
  adrIndex: Model['documents'];
  decisionCoverage: { withAdr: number };
  /** Comprehensive depth: links from the main document to each component's page. */
  pageLinks?: Record<string, string>;
  /** Set when rendering a page (a component's or an inventory's). */
  isPage?: boolean;
  /** Inventories moved to their pages to keep the main document within its budget: link to each page (pages.ts). */
  moved: Partial<Record<PageKind, string>>;
  /** The most significant items, which the main document names once their inventory has moved. */
  significant?: Significant;
  /** An inventory page's title. */
  pageTitle?: string;
  component?: Component;
  mainLink?: string;
  /** Plain-language phrases and per-component summaries for the product and support layouts. */
  plainKind: Record<string, string>;
  resources: Record<string, string[]>;
  usesStores: Record<string, string[]>;
  messaging: Record<string, string[]>;
  usesExternal: Record<string, string[]>;
  endpointsByComponent: { name: string; count: number; protocols: string[]; evidence: Component['evidence'] }[];
}

const PLAIN_KIND: Record<string, string> = {
  service: ': answers requests from users or other systems',
  worker: ': does work in the background, outside any request',
  function: ': runs on demand in a serverless platform',
  frontend: ': what people use in their browser or on their device',
  cli: ': a tool people run from a terminal',
  library: ': code shared by other parts',
  infrastructure: '',
};

/** The first meaningful path segment of an HTTP path: `/api/v1/orders/:id` → `orders`. */
function resourceOf(p: string): string | undefined {
  return p.split('/').filter((seg) => seg !== '' && !seg.startsWith(':') && !seg.startsWith('{') && !/^(api|v\d+)$/i.test(seg))[0];
}

function perComponent(model: Model, fn: (c: Component) => string[]): Record<string, string[]> {
  return Object.fromEntries(model.components.map((c) => [c.id, fn(c)]));
}

/** Items per key, in list order; an item listed under a key twice appears once. */
function groupBy<T>(items: T[], keys: (item: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of new Set(keys(item))) {
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}

/** Names of the items per component that uses them. */
function namesBy<T extends { name: string }>(items: T[], users: (item: T) => string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, list] of groupBy(items, users))
    out.set(
      k,
      list.map((x) => x.name),
    );
  return out;
}

function sortedUniqueNames(names: string[]): string[] {
  return [...new Set(names)].sort((a, b) => compareStrings(a.toLowerCase(), b.toLowerCase()) || compareStrings(a, b));
}

/** Case-insensitive for readers, then by code unit so the order never depends on the locale. */
function byName(a: { name: string }, b: { name: string }): number {
  return compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) || compareStrings(a.name, b.name);
}

/** Categories named in the components overview table (the rest are in the per-component details). */
const KEY_TECH_ORDER = ['framework', 'orm', 'query-builder', 'messaging', 'database-client', 'language'];
const KEY_TECH = new Set(KEY_TECH_ORDER);

/**
 * A component's key technologies and language, as the components overview table names them: its
 * frameworks, then data access and messaging libraries, then its language in brackets (`Gin, GORM (Go)`,
 * `NestJS (TypeScript)`); the language alone when nothing else is known (`Java`).
 */
function keyTechOf(c: Component, techStack: readonly Tech[]): string {
  const own = techStack.filter((t) => c.tech.includes(t.id) && KEY_TECH.has(t.category));
  const rank = (t: Tech) => KEY_TECH_ORDER.indexOf(t.category);
  const names = [
    ...new Set(
      own
        .filter((t) => t.category !== 'language')
        .sort((a, b) => rank(a) - rank(b) || byName(a, b))
        .map((t) => t.name),
    ),
  ];
  const language = c.language ?? sortedUniqueNames(own.filter((t) => t.category === 'language').map((t) => t.name)).join(', ');
  if (names.length === 0) return language;
  return language ? `${names.join(', ')} (${language})` : names.join(', ');
}

/** A component with a details subsection (or, once the components' details have moved, a page of its own) at this depth. */
export function isDetailed(c: Component, depth: ResolvedConfig['depth']): boolean {
  return depth === 'comprehensive' ? true : depth === 'standard' ? ['service', 'worker', 'function'].includes(c.kind) : false;
}

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
  // Per component, grouped in one pass each (a filter per component is quadratic in a large monorepo).
  const endpointsOf = groupBy(model.endpoints, (e) => (e.component === undefined ? [] : [e.component]));
  const storesOf = namesBy(model.dataStores, (d) => d.usedBy);
  const queuesOf = namesBy(model.queues, (q) => [...q.producers, ...q.consumers]);
  const externalOf = namesBy(model.externalServices, (x) => x.usedBy);
  return {
    components,
    componentsById: Object.fromEntries(model.components.map((c) => [c.id, c])),
    kindLabels: KIND_LABELS,
    techById: Object.fromEntries(model.techStack.map((t) => [t.id, t])),
    keyTech: Object.fromEntries(model.components.map((c) => [c.id, keyTechOf(c, model.techStack)])),
    techLayers,
    profile: {
      depth: config.depth,
      audience: config.audience,
      focus: config.focus,
      layout: config.layout,
      adrs: config.adrs,
      detailedDiagrams: config.diagrams.detailed,
    },
    document: { ...config.document, title: config.document.title ?? `${model.system.name} — System architecture` },
    glossary,
    sections: sectionsFor(config),
    endpoints: endpointsView(model),
    coverage: coverageView(model),
    setAside: setAsideView(model),
    capacity: capacityRows(model),
    scaling: scalingView(model),
    recovery: recoveryView(model),
    decisions: decisionsView(model),
    security: securityView(model),
    unconnectedResources: unconnectedResources(model),
    flowGroups: featuredFlowGroups(model),
    detailed: components.filter((c) => isDetailed(c, config.depth)),
    moved: {},
    plainKind: PLAIN_KIND,
    documentsById: Object.fromEntries(model.documents.map((d) => [d.id, d])),
    adrIndex: model.documents
      .filter((d) => d.kind === 'adr')
      .sort((a, b) => Number(a.details?.number ?? 1e9) - Number(b.details?.number ?? 1e9) || compareStrings(a.id, b.id)),
    decisionCoverage: {
      withAdr: model.decisions.filter(
        (d) =>
          d.topic !== 'internal-pattern' &&
          (d.adrs ?? []).some((id) => String(model.documents.find((x) => x.id === id)?.details?.status ?? '').toLowerCase() === 'accepted'),
      ).length,
    },
    dependencies: Object.fromEntries(
      model.components.map((c) => {
        const byTarget = new Map<string, View['dependencies'][string][number]>();
        for (const d of c.dependsOn) {
          const e = byTarget.get(d.target) ?? { target: d.target, kinds: [], evidence: [], via: [] };
          if (!e.kinds.includes(d.kind)) e.kinds.push(d.kind);
          e.evidence.push(...d.evidence);
          if (d.via && !e.via.includes(d.via)) e.via = [...e.via, d.via].sort(compareStrings);
          const protocol = d.kind === 'rpc' ? 'gRPC' : schemeProtocol(d.protocol);
          if (protocol && (!e.protocol || protocol === 'gRPC')) e.protocol = protocol;
          byTarget.set(d.target, e);
        }
        return [c.id, [...byTarget.values()].sort((a, b) => compareStrings(a.target, b.target))];
      }),
    ),
    resources: perComponent(model, (c) =>
      sortedUniqueNames(
        (endpointsOf.get(c.id) ?? [])
          .filter((e) => e.protocol === 'http')
          .map((e) => resourceOf(e.path))
          .filter((r): r is string => r !== undefined),
      ).slice(0, 8),
    ),
    usesStores: perComponent(model, (c) => sortedUniqueNames(storesOf.get(c.id) ?? [])),
    messaging: perComponent(model, (c) => sortedUniqueNames(queuesOf.get(c.id) ?? [])),
    usesExternal: perComponent(model, (c) => sortedUniqueNames(externalOf.get(c.id) ?? [])),
    endpointsByComponent: components
      .map((c) => {
        const eps = (endpointsOf.get(c.id) ?? []).filter((e) => e.protocol !== 'websocket');
        return {
          name: c.name,
          count: eps.length,
          protocols: sortedUniqueNames(eps.map((e) => PROTOCOL_NAMES[e.protocol] ?? e.protocol)),
          evidence: c.evidence,
        };
      })
      .filter((x) => x.count > 0),
    docLinks: Object.fromEntries(Object.entries(config.linkedDocuments).map(([id, file]) => [id, toPosix(path.relative(path.dirname(config.output), file))])),
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
