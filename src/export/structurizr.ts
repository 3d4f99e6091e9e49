/**
 * `archdoc export structurizr`: a Structurizr workspace (JSON) from the C4 view of the model.
 *
 * The model part is regenerated every time. The views, their styles and the workspace
 * configuration are the team's: when a workspace.json exists, its `views.configuration`
 * (styles, themes, branding), `configuration` and `documentation` are kept as they are; views
 * with keys archdoc does not generate are kept (references to elements that no longer exist are
 * dropped from them, as Structurizr would refuse them); archdoc's own views are refreshed, keeping
 * the positions, title and layout a person gave them. Element ids come from model ids, so the
 * positions and styles stay attached across regenerations.
 *
 * Registered as the `structurizr` export target (src/export/registry.ts); src/export/run.ts writes
 * and checks the file, and never overwrites a workspace.json that is not archdoc's.
 */
import { c4Model, type C4DeploymentNode, type C4Element, type C4Model } from './c4-model.js';
import type { Model } from '../model/schema.js';
import type { ExportContext, ExportFile, Exporter } from './registry.js';

/** Marks a workspace as archdoc's (a property of its software system); others are never overwritten. */
export const GENERATED_PROPERTY = 'archdoc.generated';

type Json = Record<string, unknown>;

const VIEW_KINDS = [
  'systemLandscapeViews',
  'systemContextViews',
  'containerViews',
  'componentViews',
  'dynamicViews',
  'deploymentViews',
  'filteredViews',
] as const;

const TAGS: Record<C4Element['kind'], string> = {
  person: 'Element,Person',
  system: 'Element,Software System',
  external: 'Element,Software System,External',
  container: 'Element,Container',
  database: 'Element,Container,Database',
  queue: 'Element,Container,Queue',
  component: 'Element,Component',
};

function properties(e: { source: string; evidence?: string }): Json {
  return { 'archdoc.id': e.source, ...(e.evidence ? { 'archdoc.evidence': e.evidence } : {}) };
}

function relationshipsFrom(c4: C4Model, source: string): Json[] {
  return c4.relationships
    .filter((r) => r.source === source)
    .map((r) => ({
      id: r.id,
      tags: r.async ? 'Relationship,Asynchronous' : 'Relationship',
      sourceId: r.source,
      destinationId: r.destination,
      description: r.description,
      ...(r.technology ? { technology: r.technology } : {}),
      interactionStyle: r.async ? 'Asynchronous' : 'Synchronous',
    }));
}

function element(c4: C4Model, e: C4Element, extra: Json = {}): Json {
  const rels = relationshipsFrom(c4, e.id);
  return {
    id: e.id,
    tags: TAGS[e.kind],
    name: e.name,
    ...(e.description ? { description: e.description } : {}),
    ...(e.technology ? { technology: e.technology } : {}),
    ...extra,
    properties: properties(e),
    ...(rels.length ? { relationships: rels } : {}),
  };
}

/**
 * Relationships between elements a view shows, lifted from the containers and components to the
 * system where the view shows only the system (the system context): Structurizr's JSON holds no
 * implied relationships, so they are written out.
 */
function implied(c4: C4Model): Json[] {
  const inside = new Map<string, string>();
  const components = new Set<string>();
  for (const c of c4.containers) {
    inside.set(c.id, c4.system.id);
    for (const k of c.components) components.add(k.id);
  }
  const lifted = new Map<string, { source: string; destination: string; descriptions: Set<string>; async: boolean }>();
  for (const r of c4.relationships) {
    // From the containers' relationships only: a component's are already in its container's.
    if (components.has(r.source) || components.has(r.destination)) continue;
    const source = inside.get(r.source) ?? r.source;
    const destination = inside.get(r.destination) ?? r.destination;
    if (source === destination || (source === r.source && destination === r.destination)) continue;
    // Only what crosses the system's boundary: the client and the external systems.
    if (source !== c4.system.id && destination !== c4.system.id) continue;
    const id = `${source}__${destination}`;
    const l = lifted.get(id) ?? { source, destination, descriptions: new Set<string>(), async: true };
    l.descriptions.add(r.description);
    l.async = l.async && r.async;
    lifted.set(id, l);
  }
  return [...lifted.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([id, l]) => ({
      id,
      tags: 'Relationship,Implied',
      sourceId: l.source,
      destinationId: l.destination,
      description: [...l.descriptions].sort().join('; '),
      interactionStyle: l.async ? 'Asynchronous' : 'Synchronous',
    }));
}

function deploymentNode(c4: C4Model, n: C4DeploymentNode, environment: string): Json {
  return {
    id: n.id,
    tags: 'Element,Deployment Node',
    name: n.name,
    ...(n.technology ? { technology: n.technology } : {}),
    environment,
    // A string in Structurizr's format: a number or a range (`0..N`).
    instances: String(n.instances ?? 1),
    ...(n.evidence ? { properties: { 'archdoc.evidence': n.evidence } } : {}),
    ...(n.children.length ? { children: n.children.map((c) => deploymentNode(c4, c, environment)) } : {}),
    ...(n.instancesOf.length
      ? {
          containerInstances: n.instancesOf.map((containerId) => ({
            id: `${n.id}__${containerId}`,
            tags: 'Container Instance',
            containerId,
            instanceId: 1,
            environment,
          })),
        }
      : {}),
  };
}

/**
 * Relationships between container instances in one environment, each linked to the container
 * relationship it stands for (Structurizr's JSON holds them; its DSL would derive them).
 */
function instanceRelationships(c4: C4Model, nodes: Json[] | undefined): Json[] {
  const byEnv = new Map<string, Json[]>();
  const walk = (n: Json) => {
    for (const i of (n.containerInstances as Json[] | undefined) ?? []) byEnv.set(i.environment as string, [...(byEnv.get(i.environment as string) ?? []), i]);
    for (const c of (n.children as Json[] | undefined) ?? []) walk(c);
  };
  for (const n of nodes ?? []) walk(n);
  const out: Json[] = [];
  for (const instances of byEnv.values()) {
    for (const r of c4.relationships) {
      for (const a of instances.filter((i) => i.containerId === r.source)) {
        for (const b of instances.filter((i) => i.containerId === r.destination)) {
          const rel: Json = {
            id: `${a.id}__${b.id}`,
            tags: 'Relationship',
            sourceId: a.id,
            destinationId: b.id,
            description: r.description,
            ...(r.technology ? { technology: r.technology } : {}),
            interactionStyle: r.async ? 'Asynchronous' : 'Synchronous',
            linkedRelationshipId: r.id,
          };
          a.relationships = [...((a.relationships as Json[] | undefined) ?? []), rel];
          out.push(rel);
        }
      }
    }
  }
  return out;
}

interface GeneratedView {
  kind: (typeof VIEW_KINDS)[number];
  view: Json;
}

/** The views archdoc generates, each listing the elements and relationships it shows. */
function generatedViews(c4: C4Model, relationships: Json[]): GeneratedView[] {
  const rels = (ids: Set<string>) =>
    relationships
      .filter((r) => ids.has(r.sourceId as string) && ids.has(r.destinationId as string))
      .map((r) => ({ id: r.id as string }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  const view = (key: string, title: string, ids: Set<string>, extra: Json): Json => ({
    key,
    title,
    ...extra,
    automaticLayout: { rankDirection: 'TopBottom', rankSeparation: 300, nodeSeparation: 300, edgeSeparation: 0, vertices: false },
    elements: [...ids].sort().map((id) => ({ id })),
    relationships: rels(ids),
  });
  const out: GeneratedView[] = [];
  const outside = [...c4.people, ...c4.externals].map((e) => e.id);
  out.push({
    kind: 'systemContextViews',
    view: view('archdoc-context', `${c4.system.name}: system context`, new Set([c4.system.id, ...outside]), {
      softwareSystemId: c4.system.id,
      enterpriseBoundaryVisible: true,
    }),
  });
  out.push({
    kind: 'containerViews',
    view: view('archdoc-containers', `${c4.system.name}: containers`, new Set([...outside, ...c4.containers.map((c) => c.id)]), {
      softwareSystemId: c4.system.id,
      externalSoftwareSystemBoundariesVisible: false,
    }),
  });
  for (const c of c4.containers) {
    if (c.components.length === 0) continue;
    const ids = new Set(c.components.map((k) => k.id));
    // What the components talk to, and who talks to them.
    for (const r of c4.relationships) {
      if (ids.has(r.source)) ids.add(r.destination);
      if (ids.has(r.destination) && !ids.has(r.source) && r.source !== c.id) ids.add(r.source);
    }
    ids.delete(c.id);
    out.push({ kind: 'componentViews', view: view(`archdoc-components-${c.id}`, `${c.name}: components`, ids, { containerId: c.id }) });
  }
  for (const env of c4.environments) {
    const ids = new Set<string>();
    const walk = (n: C4DeploymentNode) => {
      ids.add(n.id);
      for (const i of n.instancesOf) ids.add(`${n.id}__${i}`);
      n.children.forEach(walk);
    };
    env.nodes.forEach(walk);
    out.push({
      kind: 'deploymentViews',
      view: view(`archdoc-deployment-${env.id}`, `${c4.system.name}: deployment (${env.name})`, ids, { softwareSystemId: c4.system.id, environment: env.name }),
    });
  }
  return out;
}

/** Ids a view may refer to: every element, deployment node, container instance and relationship. */
function knownIds(model: Json): Set<string> {
  const ids = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.id === 'string') ids.add(o.id);
      for (const [k, child] of Object.entries(o)) if (k !== 'properties') visit(child);
    }
  };
  visit(model);
  return ids;
}

/** A view with its element and relationship references kept only where they still exist. */
function pruned(view: Json, ids: Set<string>): Json {
  const keep = (list: unknown) => (Array.isArray(list) ? list.filter((x) => x && typeof x === 'object' && ids.has((x as Json).id as string)) : list);
  return {
    ...view,
    ...(view.elements !== undefined ? { elements: keep(view.elements) } : {}),
    ...(view.relationships !== undefined ? { relationships: keep(view.relationships) } : {}),
  };
}

/** Archdoc's view refreshed, with what a person set on the old one (positions, title, layout, paper size) kept. */
function refreshed(fresh: Json, old: Json | undefined): Json {
  if (!old) return fresh;
  const positions = new Map<string, Json>();
  for (const e of Array.isArray(old.elements) ? old.elements : []) if (e && typeof e === 'object' && typeof e.id === 'string') positions.set(e.id, e);
  const routes = new Map<string, Json>();
  for (const r of Array.isArray(old.relationships) ? old.relationships : []) if (r && typeof r === 'object' && typeof r.id === 'string') routes.set(r.id, r);
  const merged: Json = { ...fresh };
  for (const key of [
    'title',
    'description',
    'paperSize',
    'automaticLayout',
    'enterpriseBoundaryVisible',
    'externalSoftwareSystemBoundariesVisible',
    'animations',
  ]) {
    if (key in old) merged[key] = old[key];
  }
  if (!('automaticLayout' in old)) delete merged.automaticLayout;
  merged.elements = (fresh.elements as Json[]).map((e) => ({ ...e, ...(positions.get(e.id as string) ?? {}), id: e.id }));
  merged.relationships = (fresh.relationships as Json[]).map((r) => ({ ...r, ...(routes.get(r.id as string) ?? {}), id: r.id }));
  return merged;
}

const DEFAULT_STYLES = {
  elements: [
    { tag: 'Person', shape: 'Person' },
    { tag: 'Database', shape: 'Cylinder' },
    { tag: 'Queue', shape: 'Pipe' },
    { tag: 'External', background: '#999999', color: '#ffffff' },
  ],
};

/** Whether an existing workspace is archdoc's: its software system carries the marker property. */
export function isArchdocWorkspace(existing: Json): boolean {
  const systems = (existing.model as Json | undefined)?.softwareSystems;
  return Array.isArray(systems) && systems.some((s) => (s as Json)?.properties && ((s as Json).properties as Json)[GENERATED_PROPERTY] === 'true');
}

/**
 * The workspace JSON for a model, merged with the existing workspace (already parsed) when there is
 * one. Deterministic: the same model and existing workspace give the same bytes.
 */
export function structurizrWorkspace(model: Model, existing?: Json): string {
  const c4 = c4Model(model);
  const system = element(c4, c4.system, { location: 'Internal' });
  system.properties = { ...(system.properties as Json), [GENERATED_PROPERTY]: 'true' };
  system.containers = c4.containers.map((c) => element(c4, c, c.components.length ? { components: c.components.map((k) => element(c4, k)) } : {}));
  const lifted = implied(c4);
  const withLifted = (e: Json): Json => {
    const extra = lifted.filter((r) => r.sourceId === e.id);
    return extra.length ? { ...e, relationships: [...((e.relationships as Json[] | undefined) ?? []), ...extra] } : e;
  };
  const workspaceModel: Json = {
    people: c4.people.map((p) => withLifted(element(c4, p, { location: 'External' }))),
    softwareSystems: [withLifted(system), ...c4.externals.map((x) => withLifted(element(c4, x, { location: 'External' })))],
    ...(c4.environments.length ? { deploymentNodes: c4.environments.flatMap((env) => env.nodes.map((n) => deploymentNode(c4, n, env.name))) } : {}),
  };
  const allRelationships: Json[] = [...instanceRelationships(c4, workspaceModel.deploymentNodes as Json[] | undefined)];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (Array.isArray(o.relationships) && typeof o.id === 'string') allRelationships.push(...(o.relationships as Json[]));
      for (const k of ['people', 'softwareSystems', 'containers', 'components']) if (k in o) collect(o[k]);
    }
  };
  collect(workspaceModel);

  const oldViews = (existing?.views as Json | undefined) ?? {};
  const fresh = generatedViews(c4, allRelationships);
  const freshKeys = new Set(fresh.map((f) => f.view.key as string));
  const ids = knownIds(workspaceModel);
  const views: Json = {};
  for (const kind of VIEW_KINDS) {
    const old = Array.isArray(oldViews[kind]) ? (oldViews[kind] as Json[]).filter((v) => v && typeof v === 'object') : [];
    const list: Json[] = [];
    for (const f of fresh.filter((f) => f.kind === kind))
      list.push(
        refreshed(
          f.view,
          old.find((v) => v.key === f.view.key),
        ),
      );
    // The team's own views, in their order, after archdoc's (an archdoc view no longer generated is dropped).
    for (const v of old) {
      if (freshKeys.has(v.key as string) || (typeof v.key === 'string' && v.key.startsWith('archdoc-'))) continue;
      list.push(kind === 'filteredViews' ? v : pruned(v, ids));
    }
    if (list.length) views[kind] = list;
  }
  views.configuration = (oldViews.configuration as Json | undefined) ?? { styles: DEFAULT_STYLES };

  const workspace: Json = {
    name: (existing?.name as string | undefined) ?? model.system.name,
    description:
      (existing?.description as string | undefined) ??
      model.system.description ??
      `The architecture of ${model.system.name}, generated by archdoc from the code`,
    ...(existing?.id !== undefined ? { id: existing.id } : {}),
    lastModifiedAgent: 'archdoc',
    model: workspaceModel,
    ...(existing?.documentation !== undefined ? { documentation: existing.documentation } : {}),
    views,
    ...(existing?.configuration !== undefined ? { configuration: existing.configuration } : {}),
  };
  return `${JSON.stringify(workspace, null, 2)}\n`;
}

/** The one file of the export, under the export directory. */
export const WORKSPACE_FILE = 'workspace.json';

/** A JSON object, or undefined when the text is not one (never throws). */
function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The same JSON value whatever the key order and spacing (Structurizr's tools re-save workspaces in their own layout). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((k) => [k, canonical((value as Json)[k])]),
    );
  return value;
}

export const structurizr: Exporter = {
  fileNames: [WORKSPACE_FILE],
  isGenerated: (text) => {
    const ws = parseObject(text);
    return ws !== undefined && isArchdocWorkspace(ws);
  },
  equivalent: (a, b) => {
    const x = parseObject(a);
    const y = parseObject(b);
    if (x === undefined || y === undefined) return false;
    try {
      return JSON.stringify(canonical(x)) === JSON.stringify(canonical(y));
    } catch {
      // Nested deeper than the stack allows: not archdoc's workspace, so not the same.
      return false;
    }
  },
  render(ctx: ExportContext): ExportFile[] {
    // run.ts has already refused a file that is not archdoc's workspace, so what is read here is one.
    const existing = ctx.existing(WORKSPACE_FILE);
    return [{ path: WORKSPACE_FILE, text: structurizrWorkspace(ctx.model, existing === undefined ? undefined : parseObject(existing)) }];
  },
};
