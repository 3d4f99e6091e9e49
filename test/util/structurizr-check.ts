/**
 * A structural check of a Structurizr workspace (JSON), written from Structurizr's documented JSON
 * format (the OpenAPI description of the workspace in github.com/structurizr/json, structurizr.yaml,
 * with `deploymentViews` as structurizr-java writes it). No npm package ships that schema, so this
 * is the validation: every object holds only the properties the format names, with their types
 * and enumerations, and every id a relationship, instance or view refers to exists.
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
  },
};
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
    relationships: { array: Relationship },
    ...props,
  },
});
const Component = element('Component', { technology: 'string' });
const Container = element('Container', { technology: 'string', components: { array: Component } });
const SoftwareSystem = element('SoftwareSystem', { location: LOCATION, containers: { array: Container } });
const Person = element('Person', { location: LOCATION });
const ContainerInstance: Shape = {
  name: 'ContainerInstance',
  required: ['id', 'containerId'],
  props: {
    id: 'string',
    containerId: 'string',
    instanceId: 'number',
    environment: 'string',
    tags: 'string',
    properties: 'object',
    relationships: { array: Relationship },
    healthChecks: { array: 'string' },
  },
};
const InfrastructureNode = element('InfrastructureNode', { technology: 'string', environment: 'string' });
const DeploymentNode: Shape = element('DeploymentNode', {
  technology: 'string',
  environment: 'string',
  instances: 'number',
  infrastructureNodes: { array: InfrastructureNode },
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
    order: 'string',
    vertices: { array: Vertex },
    routing: { enum: ['Direct', 'Curved', 'Orthogonal'] },
    position: 'number',
  },
};
const AutomaticLayout: Shape = {
  name: 'AutomaticLayout',
  props: {
    rankDirection: { enum: ['TopBottom', 'BottomTop', 'LeftRight', 'RightLeft'] },
    rankSeparation: 'number',
    nodeSeparation: 'number',
    edgeSeparation: 'number',
    vertices: 'boolean',
  },
};
const AnimationStep: Shape = { name: 'AnimationStep', props: { order: 'number', elements: { array: 'string' }, relationships: { array: 'string' } } };
const view = (name: string, props: Record<string, Kind>): Shape => ({
  name,
  required: ['key'],
  props: {
    title: 'string',
    description: 'string',
    key: 'string',
    paperSize: PAPER,
    automaticLayout: AutomaticLayout,
    elements: { array: ElementView },
    relationships: { array: RelationshipView },
    animations: { array: AnimationStep },
    properties: 'object',
    ...props,
  },
});
const SHAPES = {
  enum: [
    'Box',
    'RoundedBox',
    'Component',
    'Circle',
    'Ellipse',
    'Hexagon',
    'Folder',
    'Cylinder',
    'Pipe',
    'WebBrowser',
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
    branding: 'object',
    terminology: 'object',
    metadataSymbols: 'string',
  },
};
const Views: Shape = {
  name: 'Views',
  props: {
    systemLandscapeViews: { array: view('SystemLandscapeView', { enterpriseBoundaryVisible: 'boolean' }) },
    systemContextViews: { array: view('SystemContextView', { softwareSystemId: 'string', enterpriseBoundaryVisible: 'boolean' }) },
    containerViews: { array: view('ContainerView', { softwareSystemId: 'string', externalSoftwareSystemBoundariesVisible: 'boolean' }) },
    componentViews: { array: view('ComponentView', { containerId: 'string', externalContainersBoundariesVisible: 'boolean' }) },
    dynamicViews: { array: view('DynamicView', { elementId: 'string' }) },
    deploymentViews: { array: view('DeploymentView', { softwareSystemId: 'string', environment: 'string' }) },
    filteredViews: { array: view('FilteredView', { baseViewKey: 'string', mode: { enum: ['Include', 'Exclude'] }, tags: { array: 'string' } }) },
    configuration: Configuration,
  },
};
const Model: Shape = {
  name: 'Model',
  props: {
    enterprise: 'object',
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
    documentation: 'object',
    configuration: 'object',
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
    for (const c of (n.children as Json[] | undefined) ?? []) visitNode(c);
  };
  for (const n of (model.deploymentNodes as Json[] | undefined) ?? []) visitNode(n);
  for (const i of instances) if (ids.get(i.containerId as string) !== 'Container') problems.push(`instance ${i.id}: ${i.containerId} is no container`);
  const relIds = new Set<string>();
  for (const r of relationships) {
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
