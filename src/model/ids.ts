/** Fact ids are derived from content, never from counters, so they are stable across runs. */

/** `component:apps/api`; the repository root is `component:.`. */
export function componentId(path: string): string {
  return `component:${path === '' ? '.' : path}`;
}

/** A lowercase slug for ids built from free text: `Primary database` → `primary-database`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9@/._-]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '');
  return s === '' ? 'unnamed' : s;
}

/**
 * The kinds of fact id, each with the collection that holds them: `queue:orders` is in `queues`.
 * An id is `<kind>:<key>`; the key is what the fact is named by in its own collection.
 */
export const ID_KINDS = {
  component: 'components',
  endpoint: 'endpoints',
  entity: 'schemas',
  datastore: 'dataStores',
  queue: 'queues',
  external: 'externalServices',
  infra: 'infrastructure',
  environment: 'environments',
  pipeline: 'pipelines',
  container: 'containers',
  workload: 'workloads',
  observability: 'observability',
  security: 'security',
  scaling: 'scaling',
  recovery: 'recovery',
  tech: 'techStack',
  decision: 'decisions',
  document: 'documents',
  flow: 'flows',
} as const;
export type IdKind = keyof typeof ID_KINDS;

/** Queue ids: a named channel, one known only by the environment variable that holds its address, or an in-process event. */
const QUEUE_SCOPES = { env: 'environment', event: 'in-process' } as const;

/** A builder of ids of one kind: its parts joined by colons, `idOf.workload('compose', 'api')` → `workload:compose:api`. */
const ofKind =
  (kind: IdKind) =>
  (...parts: string[]): string =>
    `${kind}:${parts.join(':')}`;

/** Ids built in one place. */
export const idOf = {
  component: componentId,
  /** `entity:order`: the table key (src/data/ids.ts `entityId` gives it for a table name). */
  entity: ofKind('entity'),
  /** `endpoint:GET /orders`, `endpoint:apps/api:GET /orders`. */
  endpoint: ofKind('endpoint'),
  /** `infra:kubernetes:Service/api`, `infra:envs/prod/aws_s3_bucket.assets`. */
  infra: ofKind('infra'),
  /** `environment:production`. */
  environment: ofKind('environment'),
  /** `pipeline:.github/workflows/ci.yml`. */
  pipeline: ofKind('pipeline'),
  /** `container:compose:api`, `container:Dockerfile`. */
  container: ofKind('container'),
  /** `workload:kubernetes:Deployment/api`. */
  workload: ofKind('workload'),
  /** `observability:metric:http_requests_total`, `observability:health:/health`. */
  observability: ofKind('observability'),
  /** `security:k8s-privileged:Deployment/api/app`. */
  security: ofKind('security'),
  /** `scaling:kubernetes:Deployment/api`. */
  scaling: ofKind('scaling'),
  /** `recovery:versioning:aws_s3_bucket.assets`. */
  recovery: ofKind('recovery'),
  /** `tech:nestjs`. */
  tech: ofKind('tech'),
  /** `decision:primary-database`. */
  decision: ofKind('decision'),
  /** `document:docs/adr/0001-record.md`. */
  document: ofKind('document'),
  /** `flow:endpoint:POST /orders`: the flow that starts at a fact, named by its id. */
  flow: ofKind('flow'),
  /** `queue:orders`. */
  queue: (name: string): string => `queue:${name}`,
  /** `queue:env:ORDERS_QUEUE_URL`: a queue whose address only an environment variable gives. */
  envQueue: (variable: string): string => `queue:env:${variable}`,
  /** `queue:export:orders-topic`: a channel another stack exports, imported by its export name (`Fn::ImportValue`). */
  exportedQueue: (exportName: string): string => `queue:export:${exportName}`,
  /** `queue:event:order.created`: an in-process event channel. */
  eventChannel: (channel: string): string => `queue:event:${channel}`,
  /** `datastore:postgresql`. */
  datastore: (tech: string): string => `datastore:${tech}`,
  /** `external:api.stripe.com`. */
  external: (key: string): string => `external:${key}`,
};

/** An id taken apart: its kind and its key; undefined when it is no fact id (`client`, `scheduler`). */
export function parseId(id: string): { kind: IdKind; key: string } | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  const kind = id.slice(0, colon);
  return Object.hasOwn(ID_KINDS, kind) ? { kind: kind as IdKind, key: id.slice(colon + 1) } : undefined;
}

/** Where a queue's address comes from, read from its id: its name, an environment variable, or an in-process event bus. */
export function queueAddress(id: string): 'name' | 'environment' | 'in-process' {
  const parsed = parseId(id);
  const colon = parsed?.kind === 'queue' ? parsed.key.indexOf(':') : -1;
  const scope = colon > 0 ? parsed!.key.slice(0, colon) : '';
  return Object.hasOwn(QUEUE_SCOPES, scope) ? QUEUE_SCOPES[scope as keyof typeof QUEUE_SCOPES] : 'name';
}
