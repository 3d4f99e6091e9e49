/**
 * A structural check of a Structurizr workspace (JSON), written from Structurizr's documented JSON
 * format: the OpenAPI description of the workspace in github.com/structurizr/json (structurizr.yaml,
 * info.version 1.29.0, commit 7b4f032) and the validation rules its README lists, which
 * structurizr-java applies when it reads a workspace. No npm package ships that schema, so this is
 * the validation in the tests: every object holds only the properties the format names, with their
 * types and enumerations (a deployment node's `instances` is a string: a number or a range), the
 * ids Structurizr's reader needs are there, every id a relationship, instance or view refers to
 * exists, ids and view keys are unique, and names are unique where Structurizr wants them to be
 * (people and software systems; containers in a system; components in a container; deployment
 * nodes under one parent in one environment), as are a pair of elements' relationship descriptions.
 */

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'boolean' | 'object' | { array: Shape | 'string' } | Shape | { enum: string[] };
interface Shape {
  name: string;
  props: Record<string, Kind>;
  required?: string[];
}

const LOCATION = { enum: ['External', 'Internal', 'Unspecified'] };
const PAPER = {
  enum: [
    'A6_Portrait',
    'A6_Landscape',
    'A5_Portrait',
    'A5_Landscape',
    'A4_Portrait',
    'A4_Landscape',
    'A3_Portrait',
    'A3_Landscape',
    'A2_Portrait',
    'A2_Landscape',
    'A1_Portrait',
    'A1_Landscape',
    'A0_Portrait',
    'A0_Landscape',
    'Letter_Portrait',
    'Letter_Landscape',
    'Legal_Portrait',
    'Legal_Landscape',
    'Slide_4_3',
    'Slide_16_9',
    'Slide_16_10',
  ],
};

const FORMAT = { enum: ['Markdown', 'AsciiDoc'] };
const Perspective: Shape = { name: 'Perspective', props: { name: 'string', description: 'string', value: 'string' } };
const Documentation: Shape = {
  name: 'Documentation',
  props: {
    sections: { array: { name: 'DocumentationSection', props: { content: 'string', format: FORMAT, order: 'number' } } },
    decisions: {
      array: {
        name: 'Decision',
        props: {
          id: 'string',
          date: 'string',
          status: { enum: ['Proposed', 'Accepted', 'Superseded', 'Deprecated', 'Rejected'] },
          title: 'string',
          content: 'string',
          format: FORMAT,
          elementId: 'string',
        },
      },
    },
    images: { array: { name: 'Image', props: { name: 'string', content: 'string', type: 'string' } } },
  },
};
const Relationship: Shape = {
  name: 'Relationship',
  required: ['id', 'sourceId', 'destinationId'],
  props: {
    id: 'string',
    description: 'string',
    tags: 'string',
    url: 'string',
    sourceId: 'string',
    destinationId: 'string',
    technology: 'string',
    interactionStyle: { enum: ['Synchronous', 'Asynchronous'] },
    linkedRelationshipId: 'string',
    properties: 'object',
    perspectives: { array: Perspective },
  },
};
/** What every element may hold; the static ones (people, systems, containers, components) also a group. */
const element = (name: string, props: Record<string, Kind>): Shape => ({
  name,
  required: ['id', 'name'],
  props: {
    id: 'string',
    name: 'string',
    description: 'string',
    tags: 'string',
    url: 'string',
    properties: 'object',
    perspectives: { array: Perspective },
    relationships: { array: Relationship },
    ...props,
  },
});
const Component = element('Component', { technology: 'string', group: 'string', documentation: Documentation });
const Container = element('Container', { technology: 'string', group: 'string', components: { array: Component }, documentation: Documentation });
const SoftwareSystem = element('SoftwareSystem', { location: LOCATION, group: 'string', containers: { array: Container }, documentation: Documentation });
const Person = element('Person', { location: LOCATION, group: 'string' });
const HttpHealthCheck: Shape = { name: 'HttpHealthCheck', props: { name: 'string', url: 'string', interval: 'number', timeout: 'number', headers: 'object' } };
/** A container or software system running on a deployment node. */
const instance = (name: string, of: 'containerId' | 'softwareSystemId'): Shape => ({
  name,
  required: ['id', of],
  props: {
    id: 'string',
    [of]: 'string',
    instanceId: 'number',
    environment: 'string',
    tags: 'string',
    properties: 'object',
    perspectives: { array: Perspective },
    relationships: { array: Relationship },
    healthChecks: { array: HttpHealthCheck },
  },
});
const ContainerInstance = instance('ContainerInstance', 'containerId');
const SoftwareSystemInstance = instance('SoftwareSystemInstance', 'softwareSystemId');
const InfrastructureNode = element('InfrastructureNode', { technology: 'string', environment: 'string' });
const DeploymentNode: Shape = element('DeploymentNode', {
  technology: 'string',
  environment: 'string',
  // A string: a number of instances, or a range such as `0..N`.
  instances: 'string',
  infrastructureNodes: { array: InfrastructureNode },
  softwareSystemInstances: { array: SoftwareSystemInstance },
  containerInstances: { array: ContainerInstance },
});
DeploymentNode.props.children = { array: DeploymentNode };

const Vertex: Shape = { name: 'Vertex', props: { x: 'number', y: 'number' } };
const ElementView: Shape = { name: 'ElementView', required: ['id'], props: { id: 'string', x: 'number', y: 'number' } };
const RelationshipView: Shape = {
  name: 'RelationshipView',
  required: ['id'],
  props: {
    id: 'string',
    description: 'string',
    response: 'boolean',
    order: 'string',
    vertices: { array: Vertex },
    routing: { enum: ['Direct', 'Curved', 'Orthogonal'] },
    position: 'number',
  },
};
const AutomaticLayout: Shape = {
  name: 'AutomaticLayout',
  props: {
    implementation: { enum: ['Graphviz', 'Dagre'] },
    rankDirection: { enum: ['TopBottom', 'BottomTop', 'LeftRight', 'RightLeft'] },
    rankSeparation: 'number',
    nodeSeparation: 'number',
    edgeSeparation: 'number',
    vertices: 'boolean',
  },
};
const AnimationStep: Shape = { name: 'AnimationStep', props: { order: 'number', elements: { array: 'string' }, relationships: { array: 'string' } } };
/** What every view holds: a key (unique), its order, a title, a description and properties. */
const anyView = (name: string, props: Record<string, Kind>): Shape => ({
  name,
  required: ['key'],
  props: { key: 'string', order: 'number', title: 'string', description: 'string', properties: 'object', ...props },
});
const Dimensions: Shape = { name: 'Dimensions', props: { width: 'number', height: 'number' } };
/** A view of the model's elements and relationships, which can be laid out and animated. */
const view = (name: string, props: Record<string, Kind>, animated = true): Shape =>
  anyView(name, {
    paperSize: PAPER,
    dimensions: Dimensions,
    automaticLayout: AutomaticLayout,
    elements: { array: ElementView },
    relationships: { array: RelationshipView },
    ...(animated ? { animations: { array: AnimationStep } } : {}),
    ...props,
  });
const SHAPES = {
  enum: [
    'Box',
    'RoundedBox',
    'Component',
    'Circle',
    'Ellipse',
    'Hexagon',
    'Diamond',
    'Folder',
    'Cylinder',
    'Pipe',
    'WebBrowser',
    'Window',
    'MobileDevicePortrait',
    'MobileDeviceLandscape',
    'Person',
    'Robot',
  ],
};
const ElementStyle: Shape = {
  name: 'ElementStyle',
  required: ['tag'],
  props: {
    tag: 'string',
    width: 'number',
    height: 'number',
    background: 'string',
    stroke: 'string',
    strokeWidth: 'number',
    color: 'string',
    fontSize: 'number',
    shape: SHAPES,
    icon: 'string',
    border: { enum: ['Solid', 'Dashed', 'Dotted'] },
    opacity: 'number',
    metadata: 'boolean',
    description: 'boolean',
  },
};
const RelationshipStyle: Shape = {
  name: 'RelationshipStyle',
  required: ['tag'],
  props: {
    tag: 'string',
    thickness: 'number',
    color: 'string',
    fontSize: 'number',
    width: 'number',
    dashed: 'boolean',
    routing: { enum: ['Direct', 'Curved', 'Orthogonal'] },
    position: 'number',
    opacity: 'number',
  },
};
const Configuration: Shape = {
  name: 'Configuration',
  props: {
    styles: { name: 'Styles', props: { elements: { array: ElementStyle }, relationships: { array: RelationshipStyle } } },
    lastSavedView: 'string',
    defaultView: 'string',
    themes: { array: 'string' },
    branding: { name: 'Branding', props: { logo: 'string', font: { name: 'Font', props: { name: 'string', url: 'string' } } } },
    terminology: {
      name: 'Terminology',
      props: Object.fromEntries(
        ['enterprise', 'person', 'softwareSystem', 'container', 'component', 'code', 'deploymentNode', 'relationship'].map((k) => [k, 'string' as const]),
      ),
    },
    // structurizr.yaml writes these with a stray comma after each name but the last; these are the names.
    metadataSymbols: { enum: ['SquareBrackets', 'RoundBrackets', 'CurlyBrackets', 'AngleBrackets', 'DoubleAngleBrackets', 'None'] },
    properties: 'object',
  },
};
const Views: Shape = {
  name: 'Views',
  props: {
    systemLandscapeViews: { array: view('SystemLandscapeView', { enterpriseBoundaryVisible: 'boolean' }) },
    systemContextViews: { array: view('SystemContextView', { softwareSystemId: 'string', enterpriseBoundaryVisible: 'boolean' }) },
    containerViews: { array: view('ContainerView', { softwareSystemId: 'string', externalSoftwareSystemBoundariesVisible: 'boolean' }) },
    componentViews: { array: view('ComponentView', { containerId: 'string', externalContainerBoundariesVisible: 'boolean' }) },
    dynamicViews: { array: view('DynamicView', { elementId: 'string', externalBoundariesVisible: 'boolean' }, false) },
    deploymentViews: { array: view('DeploymentView', { softwareSystemId: 'string', environment: 'string' }) },
    filteredViews: { array: anyView('FilteredView', { baseViewKey: 'string', mode: { enum: ['Include', 'Exclude'] }, tags: { array: 'string' } }) },
    imageViews: { array: anyView('ImageView', { elementId: 'string', content: 'string', contentType: 'string' }) },
    configuration: Configuration,
  },
};
const Model: Shape = {
  name: 'Model',
  props: {
    enterprise: { name: 'Enterprise', props: { name: 'string' } },
    people: { array: Person },
    softwareSystems: { array: SoftwareSystem },
    deploymentNodes: { array: DeploymentNode },
    properties: 'object',
  },
};
const Workspace: Shape = {
  name: 'Workspace',
  props: {
    id: 'number',
    name: 'string',
    description: 'string',
    version: 'string',
    thumbnail: 'string',
    lastModifiedDate: 'string',
    lastModifiedUser: 'string',
    lastModifiedAgent: 'string',
    model: Model,
    views: Views,
    documentation: Documentation,
    configuration: {
      name: 'WorkspaceConfiguration',
      props: {
        users: { array: { name: 'User', props: { username: 'string', role: { enum: ['ReadWrite', 'ReadOnly'] } } } },
        visibility: { enum: ['Public', 'Private'] },
        scope: { enum: ['Landscape', 'SoftwareSystem'] },
      },
    },
    properties: 'object',
  },
};

function checkShape(value: unknown, shape: Shape, at: string, problems: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${at}: a ${shape.name} must be an object`);
    return;
  }
  const o = value as Json;
  for (const r of shape.required ?? []) if (!(r in o)) problems.push(`${at}: ${shape.name} lacks ${r}`);
  for (const [key, v] of Object.entries(o)) {
    const kind = shape.props[key];
    if (kind === undefined) problems.push(`${at}.${key}: not a property of ${shape.name}`);
    else checkKind(v, kind, `${at}.${key}`, problems);
  }
}

function checkKind(v: unknown, kind: Kind, at: string, problems: string[]): void {
  if (kind === 'string' || kind === 'number' || kind === 'boolean') {
    if (typeof v !== kind) problems.push(`${at}: expected a ${kind}`);
  } else if (kind === 'object') {
    if (!v || typeof v !== 'object' || Array.isArray(v)) problems.push(`${at}: expected an object`);
  } else if ('enum' in kind) {
    if (typeof v !== 'string' || !kind.enum.includes(v)) problems.push(`${at}: ${JSON.stringify(v)} is not one of ${kind.enum.join(', ')}`);
  } else if ('array' in kind) {
    if (!Array.isArray(v)) problems.push(`${at}: expected an array`);
    else {
      for (const [i, item] of v.entries()) checkKind(item, kind.array === 'string' ? 'string' : kind.array, `${at}[${i}]`, problems);
    }
  } else checkShape(v, kind, at, problems);
}

/** Everything wrong with a workspace: the format's shapes, unique ids, and references that resolve. */
export function structurizrProblems(workspace: unknown): string[] {
  const problems: string[] = [];
  checkShape(workspace, Workspace, 'workspace', problems);
  if (problems.length) return problems;
  const ws = workspace as Json;
  const model = (ws.model ?? {}) as Json;
  const ids = new Map<string, string>();
  const relationships: Json[] = [];
  const instances: Json[] = [];
  const environments = new Set<string>();
  const add = (id: string, kind: string) => {
    if (ids.has(id)) problems.push(`id ${id} is used twice`);
    ids.set(id, kind);
  };
  /** Names that must differ within one scope: `what` says which scope, for the message. */
  const distinct = (list: Json[], what: string, key: (e: Json) => string = (e) => e.name as string) => {
    const seen = new Set<string>();
    for (const e of list) {
      if (seen.has(key(e))) problems.push(`${what}: name ${JSON.stringify(e.name)} is used twice`);
      seen.add(key(e));
    }
  };
  distinct([...((model.people as Json[] | undefined) ?? []), ...((model.softwareSystems as Json[] | undefined) ?? [])], 'people and software systems');
  for (const s of (model.softwareSystems as Json[] | undefined) ?? []) {
    distinct((s.containers as Json[] | undefined) ?? [], `containers of ${s.id}`);
    for (const c of (s.containers as Json[] | undefined) ?? []) distinct((c.components as Json[] | undefined) ?? [], `components of ${c.id}`);
  }
  const nodeNames = (list: Json[], where: string) => {
    distinct(list, where, (n) => `${n.environment}\u0000${n.name}`);
    for (const n of list) {
      nodeNames((n.children as Json[] | undefined) ?? [], `deployment nodes in ${n.id}`);
      distinct((n.infrastructureNodes as Json[] | undefined) ?? [], `infrastructure nodes in ${n.id}`);
    }
  };
  nodeNames((model.deploymentNodes as Json[] | undefined) ?? [], 'top-level deployment nodes');
  const visitElement = (e: Json, kind: string) => {
    add(e.id as string, kind);
    relationships.push(...((e.relationships as Json[] | undefined) ?? []));
    for (const c of (e.containers as Json[] | undefined) ?? []) visitElement(c, 'Container');
    for (const c of (e.components as Json[] | undefined) ?? []) visitElement(c, 'Component');
  };
  for (const p of (model.people as Json[] | undefined) ?? []) visitElement(p, 'Person');
  for (const s of (model.softwareSystems as Json[] | undefined) ?? []) visitElement(s, 'SoftwareSystem');
  const visitNode = (n: Json) => {
    add(n.id as string, 'DeploymentNode');
    if (typeof n.environment === 'string') environments.add(n.environment);
    relationships.push(...((n.relationships as Json[] | undefined) ?? []));
    for (const i of (n.containerInstances as Json[] | undefined) ?? []) {
      add(i.id as string, 'ContainerInstance');
      instances.push(i);
      relationships.push(...((i.relationships as Json[] | undefined) ?? []));
    }
    for (const i of (n.softwareSystemInstances as Json[] | undefined) ?? []) {
      add(i.id as string, 'SoftwareSystemInstance');
      instances.push(i);
      relationships.push(...((i.relationships as Json[] | undefined) ?? []));
    }
    for (const i of (n.infrastructureNodes as Json[] | undefined) ?? []) {
      add(i.id as string, 'InfrastructureNode');
      relationships.push(...((i.relationships as Json[] | undefined) ?? []));
    }
    for (const c of (n.children as Json[] | undefined) ?? []) visitNode(c);
  };
  for (const n of (model.deploymentNodes as Json[] | undefined) ?? []) visitNode(n);
  for (const i of instances) {
    if (i.containerId !== undefined && ids.get(i.containerId as string) !== 'Container') problems.push(`instance ${i.id}: ${i.containerId} is no container`);
    if (i.softwareSystemId !== undefined && ids.get(i.softwareSystemId as string) !== 'SoftwareSystem')
      problems.push(`instance ${i.id}: ${i.softwareSystemId} is no software system`);
  }
  const relIds = new Set<string>();
  const described = new Set<string>();
  for (const r of relationships) {
    const said = `${r.sourceId}\u0000${r.destinationId}\u0000${r.description ?? ''}`;
    if (described.has(said))
      problems.push(`relationship ${r.id}: ${r.sourceId} → ${r.destinationId} is already described ${JSON.stringify(r.description ?? '')}`);
    described.add(said);
    if (relIds.has(r.id as string) || ids.has(r.id as string)) problems.push(`relationship id ${r.id} is used twice`);
    relIds.add(r.id as string);
    if (!ids.has(r.sourceId as string)) problems.push(`relationship ${r.id}: source ${r.sourceId} does not exist`);
    if (!ids.has(r.destinationId as string)) problems.push(`relationship ${r.id}: destination ${r.destinationId} does not exist`);
  }
  for (const r of relationships)
    if (r.linkedRelationshipId !== undefined && !relIds.has(r.linkedRelationshipId as string))
      problems.push(`relationship ${r.id}: linked ${r.linkedRelationshipId} does not exist`);
  const views = (ws.views ?? {}) as Json;
  const keys = new Set<string>();
  for (const [kind, list] of Object.entries(views)) {
    if (kind === 'configuration' || !Array.isArray(list)) continue;
    for (const v of list as Json[]) {
      if (keys.has(v.key as string)) problems.push(`view key ${v.key} is used twice`);
      keys.add(v.key as string);
      for (const e of (v.elements as Json[] | undefined) ?? []) if (!ids.has(e.id as string)) problems.push(`view ${v.key}: element ${e.id} does not exist`);
      for (const r of (v.relationships as Json[] | undefined) ?? [])
        if (!relIds.has(r.id as string)) problems.push(`view ${v.key}: relationship ${r.id} does not exist`);
      if (v.softwareSystemId !== undefined && ids.get(v.softwareSystemId as string) !== 'SoftwareSystem')
        problems.push(`view ${v.key}: ${v.softwareSystemId} is no software system`);
      if (v.containerId !== undefined && ids.get(v.containerId as string) !== 'Container') problems.push(`view ${v.key}: ${v.containerId} is no container`);
      if (kind === 'deploymentViews' && !environments.has(v.environment as string))
        problems.push(`view ${v.key}: environment ${v.environment} has no deployment node`);
    }
  }
  return problems;
}
