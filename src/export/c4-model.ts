/**
 * A C4 view of archdoc's model, shared by the Structurizr and LikeC4 exports: the system, the
 * client that calls it, the external systems it uses, its containers (the deployable units, their
 * data stores and their message channels), components inside containers where the code shows
 * them (the classes that serve endpoints), and deployment nodes from Compose, Kubernetes and the
 * infrastructure code.
 *
 * Every id is derived from a model id (never from a counter), so a team's own views and styles,
 * which refer to these ids, survive regeneration. Every relationship's words come from facts:
 * the flows' reads and writes, the channels' producers and consumers and their message names, the
 * endpoints a client calls, the gRPC calls between services. Nothing is named that the model does
 * not hold: there are no people beyond the client of the endpoints, and no environment names
 * beyond the tools that deploy.
 */
import { createHash } from 'node:crypto';
import type { Component, Evidence, Model, Workload } from '../model/schema.js';
import { schemeProtocol } from '../render/protocol-names.js';

export type C4Kind = 'person' | 'system' | 'external' | 'container' | 'database' | 'queue' | 'component';

export interface C4Element {
  /** Identifier in the exported model: letters, digits and `_`, starting with a letter. */
  id: string;
  /** The archdoc model id it stands for (`component:services/api`), or a described one for the system and client. */
  source: string;
  kind: C4Kind;
  name: string;
  description?: string;
  technology?: string;
  /** Repository-relative `file:line` of the first evidence, when there is any. */
  evidence?: string;
  /** Components inside a container (only for kind container). */
  components: C4Element[];
  /** The container holding a component. */
  parent?: string;
}

export interface C4Relationship {
  /** `<source>__<destination>`: one relationship per ordered pair. */
  id: string;
  source: string;
  destination: string;
  description: string;
  technology?: string;
  async: boolean;
}

export interface C4DeploymentNode {
  id: string;
  /** The model id it stands for (a workload, a resource), or `namespace:<name>`. */
  source: string;
  name: string;
  technology?: string;
  /** Replicas, when the manifest states a number. */
  instances?: number;
  evidence?: string;
  children: C4DeploymentNode[];
  /** Ids of the containers (apps, stores, queues) whose instances run on this node. */
  instancesOf: string[];
}

export interface C4Environment {
  /** Identifier: `compose`, `kubernetes`, `terraform`… */
  id: string;
  name: string;
  nodes: C4DeploymentNode[];
}

export interface C4Model {
  system: C4Element;
  people: C4Element[];
  externals: C4Element[];
  /** Apps first (by id), then databases, then queues. */
  containers: C4Element[];
  relationships: C4Relationship[];
  environments: C4Environment[];
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Component kinds that are deployable units of their own (libraries and the infrastructure code are not). */
const DEPLOYABLE = new Set<Component['kind']>(['service', 'worker', 'frontend', 'function', 'cli']);

const KIND_WORDS: Record<string, string> = {
  service: 'Service',
  worker: 'Background worker',
  frontend: 'Front end',
  function: 'Serverless function',
  cli: 'Command-line tool',
};

/**
 * `services/orders-api` → `services_orders_api`: letters, digits and `_` only, never starting with a
 * digit. Scans the text once (repository names may be anything).
 */
export function identifier(prefix: string, text: string): string {
  let out = '';
  let gap = false;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (word) {
      if (gap && out !== '') out += '_';
      out += ch;
      gap = false;
    } else gap = true;
    if (out.length >= 60) break;
  }
  return out === '' ? prefix : `${prefix}_${out}`;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * Unique identifiers for a set of sources: the readable one, and when two sources would share it,
 * each of them gets a hash of its own source appended (so neither depends on the other's order).
 */
function assignIds(entries: { prefix: string; key: string; source: string }[]): Map<string, string> {
  const base = new Map<string, string[]>();
  for (const e of entries) {
    const id = identifier(e.prefix, e.key);
    base.set(id, [...(base.get(id) ?? []), e.source]);
  }
  const out = new Map<string, string>();
  for (const e of entries) {
    const id = identifier(e.prefix, e.key);
    out.set(e.source, (base.get(id)?.length ?? 0) > 1 ? `${id}_${shortHash(e.source)}` : id);
  }
  return out;
}

const where = (evidence: readonly Evidence[] | undefined): string | undefined => {
  const e = evidence?.[0];
  return e ? `${e.file}:${e.line}` : undefined;
};

/** `a, b and 3 more`: at most `max` names. */
function listed(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** An endpoint as a caller names it: `POST /orders`, or a tRPC procedure's path. */
const route = (e: Model['endpoints'][number]) => (e.method === 'rpc' ? e.path : `${e.method} ${e.path}`);

/** What a flow step does to a store: read, write, or neither (an action such as `query`). */
function accessOf(action: string): 'read' | 'write' | undefined {
  const verb = action.split(' ')[0]!.toLowerCase();
  if (verb === 'read' || verb === 'find' || verb === 'get' || verb === 'select' || verb === 'query') return 'read';
  if (verb === 'write' || verb === 'insert' || verb === 'update' || verb === 'delete' || verb === 'upsert' || verb === 'create' || verb === 'save')
    return 'write';
  return undefined;
}

/** A handler's class, when it is written `Class.method` with a capitalised class (a controller, a resolver). */
function handlerClass(handler: string | undefined): string | undefined {
  if (!handler) return undefined;
  const dot = handler.indexOf('.');
  if (dot <= 0) return undefined;
  const cls = handler.slice(0, dot);
  const first = cls.charCodeAt(0);
  if (first < 65 || first > 90) return undefined;
  for (let i = 1; i < cls.length; i++) {
    const c = cls.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return undefined;
  }
  return cls;
}

const DEPLOY_SOURCES: Record<string, string> = {
  compose: 'Docker Compose',
  kubernetes: 'Kubernetes',
  terraform: 'Terraform',
  cdk: 'AWS CDK',
  cdktf: 'CDK for Terraform',
  cloudformation: 'AWS CloudFormation',
  serverless: 'Serverless Framework',
  sam: 'AWS SAM',
  sst: 'SST',
  pulumi: 'Pulumi',
};

/** Build the C4 view of a model. Deterministic: every list is sorted by id. */
export function c4Model(model: Model): C4Model {
  const apps = model.components.filter((c) => DEPLOYABLE.has(c.kind));
  const appIds = new Set(apps.map((c) => c.id));
  const linkedQueue = (q: Model['queues'][number]) =>
    q.producers.some((p) => appIds.has(p)) || q.consumers.some((c) => appIds.has(c)) || (q.details?.fedBy?.length ?? 0) > 0;
  const queues = model.queues.filter(linkedQueue);
  const ids = assignIds([
    ...apps.map((c) => ({ prefix: 'app', key: c.path === '.' ? c.name : c.path, source: c.id })),
    ...model.dataStores.map((d) => ({ prefix: 'db', key: d.id.slice(d.id.indexOf(':') + 1), source: d.id })),
    ...queues.map((q) => ({ prefix: 'queue', key: q.id.slice(q.id.indexOf(':') + 1), source: q.id })),
    ...model.externalServices.map((x) => ({ prefix: 'ext', key: x.id.slice(x.id.indexOf(':') + 1), source: x.id })),
  ]);
  const idOf = (source: string) => ids.get(source);
  const kindOf = new Map(apps.map((c) => [c.id, KIND_WORDS[c.kind]!.toLowerCase()]));
  const techName = new Map(model.techStack.map((t) => [t.id, t]));

  const system: C4Element = {
    id: identifier('system', model.system.name),
    source: 'system',
    kind: 'system',
    name: model.system.name,
    description: model.system.description,
    evidence: where(model.system.evidence),
    components: [],
  };

  // Components inside containers: the classes that serve endpoints (controllers, resolvers).
  const endpointsByApp = new Map<string, Model['endpoints']>();
  for (const e of model.endpoints) {
    if (!e.component || !appIds.has(e.component)) continue;
    // Remote procedures (gRPC, microservice transports) are called by other services, not by a client from outside.
    if (e.protocol === 'grpc' || e.protocol === 'rpc') continue;
    endpointsByApp.set(e.component, [...(endpointsByApp.get(e.component) ?? []), e]);
  }
  /** Endpoint id → id of the C4 component (class) that serves it. */
  const servedBy = new Map<string, string>();
  const containers: C4Element[] = [];
  for (const c of [...apps].sort(byId)) {
    const id = idOf(c.id)!;
    const classes = new Map<string, Model['endpoints']>();
    for (const e of endpointsByApp.get(c.id) ?? []) {
      const cls = handlerClass(e.handler);
      if (cls) classes.set(cls, [...(classes.get(cls) ?? []), e]);
    }
    const components: C4Element[] = [...classes.entries()]
      .map(([cls, eps]) => {
        const routes = eps.map(route).sort(compare);
        const cid = identifier(`${id}_cmp`, cls);
        for (const e of eps) servedBy.set(e.id, cid);
        return {
          id: cid,
          source: `${c.id}#${cls}`,
          kind: 'component' as const,
          name: cls,
          description: `Serves ${listed(routes)}`,
          evidence: where(
            eps
              .map((e) => e.evidence[0])
              .filter((x): x is Evidence => x !== undefined)
              .sort((a, b) => compare(`${a.file}:${a.line}`, `${b.file}:${b.line}`)),
          ),
          components: [],
          parent: id,
        };
      })
      .sort(byId);
    const framework = c.tech
      .map((t) => techName.get(t))
      .filter((t) => t?.category === 'framework')
      .map((t) => t!.name)
      .sort(compare);
    const technology = [c.language, ...framework].filter((x): x is string => !!x).join(', ');
    containers.push({
      id,
      source: c.id,
      kind: 'container',
      name: c.name,
      description: c.description ?? KIND_WORDS[c.kind],
      ...(technology ? { technology } : {}),
      evidence: where(c.evidence),
      components,
    });
  }
  for (const d of [...model.dataStores].sort(byId)) {
    containers.push({
      id: idOf(d.id)!,
      source: d.id,
      kind: 'database',
      name: d.name,
      description: d.kind ? `${d.kind[0]!.toUpperCase()}${d.kind.slice(1)} data store` : 'Data store',
      technology: d.tech,
      evidence: where(d.evidence),
      components: [],
    });
  }
  for (const q of [...queues].sort(byId)) {
    const kind = q.details?.kind;
    containers.push({
      id: idOf(q.id)!,
      source: q.id,
      kind: 'queue',
      name: q.name,
      description: kind ? `Message ${kind} on ${q.tech}` : `Message channel on ${q.tech}`,
      technology: q.tech,
      evidence: where(q.evidence),
      components: [],
    });
  }
  const externals: C4Element[] = [...model.externalServices].sort(byId).map((x) => ({
    id: idOf(x.id)!,
    source: x.id,
    kind: 'external' as const,
    name: x.name,
    description: `External ${x.kind} service`,
    evidence: where(x.evidence),
    components: [],
  }));

  // Relationships, gathered per ordered pair, then worded.
  interface Pair {
    source: string;
    destination: string;
    reads?: boolean;
    writes?: boolean;
    uses?: boolean;
    publishes?: string[];
    consumes?: boolean;
    delivers?: boolean;
    calls?: string[];
    grpc?: boolean;
    /** A call the deployment configures (an environment value naming the destination): its protocol, or '' when unknown. */
    configured?: string;
    technology?: string;
  }
  const pairs = new Map<string, Pair>();
  const pair = (source: string | undefined, destination: string | undefined): Pair | undefined => {
    if (!source || !destination || source === destination) return undefined;
    const key = `${source}__${destination}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { source, destination }));
    return p;
  };
  const storeTech = new Map(model.dataStores.map((d) => [d.id, d.tech]));

  // Data stores: who uses them, and from the flows whether they read or write.
  for (const d of model.dataStores) for (const u of d.usedBy) if (appIds.has(u)) pair(idOf(u), idOf(d.id))!.uses = true;
  for (const f of model.flows ?? []) {
    // The class that serves the flow's entry endpoint, when there is one: its steps are that class's.
    const cls = servedBy.get(f.entry);
    for (const s of f.steps) {
      const from = s.from;
      if (!appIds.has(from)) continue;
      const sources = [idOf(from), ...(cls && f.component === from ? [cls] : [])];
      for (const src of sources) {
        if (storeTech.has(s.to)) {
          const p = pair(src, idOf(s.to));
          if (!p) continue;
          const access = accessOf(s.action);
          if (access === 'read') p.reads = true;
          else if (access === 'write') p.writes = true;
          else p.uses = true;
        } else if (s.to.startsWith('external:')) {
          const p = pair(src, idOf(s.to));
          if (p) p.calls = [...(p.calls ?? []), s.action];
        } else if (s.to.startsWith('queue:') && s.kind === 'async') {
          const p = pair(src, idOf(s.to));
          if (p) p.publishes = p.publishes ?? [];
        }
      }
    }
  }
  // Channels: producers publish to them (with the message names when known), consumers consume.
  for (const q of queues) {
    const qid = idOf(q.id);
    // The message names are the channel's, not each producer's: they are said only of a sole producer.
    const producers = q.producers.filter((p) => appIds.has(p));
    for (const p of q.producers) {
      const r = pair(idOf(p), qid);
      if (r) r.publishes = [...(r.publishes ?? []), ...(producers.length === 1 ? (q.messages ?? []) : [])];
    }
    for (const c of q.consumers) {
      const r = pair(idOf(c), qid);
      if (r) r.consumes = true;
    }
    for (const to of q.details?.drainedBy ?? []) {
      const r = pair(qid, idOf(to));
      if (r) r.delivers = true;
    }
  }
  // External services: the flows' calls, else the HTTP methods called, else plain use.
  for (const x of model.externalServices) {
    for (const u of x.usedBy) {
      const p = pair(idOf(u), idOf(x.id));
      if (!p) continue;
      if (!p.calls?.length && x.details?.methods?.length) p.calls = [...x.details.methods];
      if (!p.calls?.length) p.uses = true;
    }
  }
  // gRPC calls between services, and calls their deployment configures.
  for (const c of apps) {
    for (const d of c.dependsOn) {
      if ((d.kind !== 'rpc' && d.kind !== 'call') || !appIds.has(d.target)) continue;
      const p = pair(idOf(c.id), idOf(d.target));
      if (!p) continue;
      const protocol = d.kind === 'rpc' ? 'gRPC' : (schemeProtocol(d.protocol) ?? '');
      if (d.kind === 'rpc' || protocol === 'gRPC') p.grpc = true;
      else p.configured = p.configured || protocol;
      if (protocol && !p.technology) p.technology = protocol;
    }
  }

  const relationships: C4Relationship[] = [];
  for (const [id, p] of pairs) {
    const parts: string[] = [];
    let technology = p.technology;
    let async = false;
    if (p.reads && p.writes) parts.push('reads from and writes to');
    else if (p.reads) parts.push('reads from');
    else if (p.writes) parts.push('writes to');
    if (p.publishes) {
      const messages = [...new Set(p.publishes)].sort(compare);
      parts.push(messages.length ? `publishes ${listed(messages)} to` : 'publishes to');
      async = true;
    }
    if (p.consumes) {
      parts.push('consumes from');
      async = true;
    }
    if (p.delivers) {
      parts.push('delivers to');
      async = true;
    }
    if (p.calls?.length) parts.push(`calls ${listed([...new Set(p.calls)].sort(compare))}`);
    if (p.grpc) parts.push('calls over gRPC');
    else if (p.configured !== undefined && !p.calls?.length) parts.push(p.configured ? `calls over ${p.configured}` : 'calls');
    if (parts.length === 0 && p.uses) parts.push('uses');
    if (parts.length === 0) continue;
    const dest = containers.find((c) => c.id === p.destination);
    if (!technology && dest?.kind === 'queue') technology = dest.technology;
    relationships.push({
      id,
      source: p.source,
      destination: p.destination,
      description: listed(parts, parts.length),
      ...(technology ? { technology } : {}),
      async,
    });
  }

  // The client of the endpoints: present only when the code serves endpoints.
  const people: C4Element[] = [];
  const served = [...endpointsByApp.entries()].sort((a, b) => compare(a[0], b[0]));
  if (served.length > 0) {
    const client: C4Element = {
      id: 'client',
      source: 'client',
      kind: 'person',
      name: 'Client',
      description: 'Whatever calls the endpoints the code serves (who that is, the code does not say)',
      components: [],
    };
    people.push(client);
    for (const [app, eps] of served) {
      const routes = eps.map(route).sort(compare);
      relationships.push({ id: `client__${idOf(app)}`, source: 'client', destination: idOf(app)!, description: `calls ${listed(routes)}`, async: false });
      for (const cmp of containers.find((c) => c.source === app)?.components ?? []) {
        const own = eps.filter((e) => servedBy.get(e.id) === cmp.id).map(route);
        if (own.length === 0) continue;
        relationships.push({ id: `client__${cmp.id}`, source: 'client', destination: cmp.id, description: `calls ${listed(own.sort(compare))}`, async: false });
      }
    }
  }
  relationships.sort(byId);

  const c4: C4Model = { system, people, externals, containers, relationships, environments: deployment(model, idOf, containers) };
  distinctIdentifiers(c4);
  distinctNames(c4, (e) => (e.kind === 'container' ? kindOf.get(e.source) : undefined));
  return c4;
}

/**
 * Identifiers that differ only in case (`app_Orders`, `app_orders`) are one identifier to
 * Structurizr's DSL, and a component's (`app_x_cmp_Y`) may meet a container's: every identifier
 * that would meet another, ignoring case, takes a hash of its own source, and everything that
 * refers to it follows. Almost always a no-op.
 */
function distinctIdentifiers(c4: C4Model): void {
  const owners: { id: string; source: string; set(id: string): void }[] = [];
  for (const e of [c4.system, ...c4.people, ...c4.externals, ...c4.containers, ...c4.containers.flatMap((c) => c.components)])
    owners.push({ id: e.id, source: e.source, set: (id) => (e.id = id) });
  const nodes = (list: C4DeploymentNode[]) => {
    for (const n of list) {
      owners.push({ id: n.id, source: n.source, set: (id) => (n.id = id) });
      nodes(n.children);
    }
  };
  for (const env of c4.environments) {
    owners.push({ id: env.id, source: `environment:${env.name}`, set: (id) => (env.id = id) });
    nodes(env.nodes);
  }
  const count = new Map<string, number>();
  for (const o of owners) count.set(o.id.toLowerCase(), (count.get(o.id.toLowerCase()) ?? 0) + 1);
  const renamed = new Map<string, string>();
  for (const o of owners) {
    if ((count.get(o.id.toLowerCase()) ?? 0) < 2) continue;
    const id = `${o.id}_${shortHash(o.source)}`;
    renamed.set(o.id, id);
    o.set(id);
  }
  if (renamed.size === 0) return;
  const to = (id: string) => renamed.get(id) ?? id;
  for (const c of c4.containers) for (const k of c.components) if (k.parent) k.parent = to(k.parent);
  for (const r of c4.relationships) {
    r.source = to(r.source);
    r.destination = to(r.destination);
    r.id = `${r.source}__${r.destination}`;
  }
  c4.relationships.sort(byId);
  const instances = (list: C4DeploymentNode[]) => {
    for (const n of list) {
      n.instancesOf = n.instancesOf.map(to).sort(compare);
      instances(n.children);
    }
  };
  for (const env of c4.environments) instances(env.nodes);
  for (const list of [c4.people, c4.externals, c4.containers]) list.sort(kindThenId);
  c4.environments.sort(byId);
}

/** Containers stay in their order (apps, then stores, then channels), each kind by id. */
const KIND_ORDER: Record<C4Kind, number> = { person: 0, system: 1, external: 2, container: 3, database: 4, queue: 5, component: 6 };
const kindThenId = (a: C4Element, b: C4Element) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || byId(a, b);

/** What tells two elements of one name apart: the kind of unit, the store, the channel. */
const QUALIFIER: Record<C4Kind, string> = {
  person: 'person',
  system: 'software system',
  external: 'external system',
  container: 'container',
  database: 'data store',
  queue: 'message channel',
  component: 'component',
};

/**
 * Structurizr refuses two people or software systems of one name, two containers of one name in a
 * system, two components in a container and two deployment nodes under one parent: elements that
 * would share a name within those scopes are each named with what they are (`billing (service)`,
 * `billing (message channel)`), and with their model id when that is not enough.
 */
function distinctNames(c4: C4Model, appKind: (e: C4Element) => string | undefined): void {
  const qualify = <T extends { name: string; source: string }>(items: T[], qualifier: (t: T) => string | undefined) => {
    const same = (list: T[]) => {
      const count = new Map<string, number>();
      for (const t of list) count.set(t.name, (count.get(t.name) ?? 0) + 1);
      return list.filter((t) => (count.get(t.name) ?? 0) > 1);
    };
    for (const t of same(items)) {
      const q = qualifier(t);
      if (q) t.name = `${t.name} (${q})`;
    }
    for (const t of same(items)) t.name = `${t.name} (${t.source})`;
  };
  const element = (e: C4Element) => appKind(e) ?? QUALIFIER[e.kind];
  qualify([c4.system, ...c4.people, ...c4.externals], element);
  qualify(c4.containers, element);
  for (const c of c4.containers) qualify(c.components, element);
  const nodes = (list: C4DeploymentNode[]) => {
    qualify(list, (n) => n.technology?.split(',')[0]?.trim() || undefined);
    for (const n of list) nodes(n.children);
  };
  for (const env of c4.environments) nodes(env.nodes);
}

/** The deployment: one environment per tool that deploys (Compose, Kubernetes, the infrastructure code). */
function deployment(model: Model, idOf: (source: string) => string | undefined, containers: readonly C4Element[]): C4Environment[] {
  const known = new Set(containers.map((c) => c.id));
  const envs = new Map<string, C4Environment>();
  const envFor = (source: string): C4Environment => {
    const id = identifier('env', source);
    let env = envs.get(id);
    if (!env) envs.set(id, (env = { id, name: DEPLOY_SOURCES[source] ?? source, nodes: [] }));
    return env;
  };
  // Stores and channels that a named compose service, Kubernetes workload or resource runs.
  const runsOn = new Map<string, string[]>();
  const add = (key: string, container: string | undefined) => {
    if (!container || !known.has(container)) return;
    runsOn.set(key, [...(runsOn.get(key) ?? []), container]);
  };
  for (const d of model.dataStores) {
    for (const s of d.details?.composeServices ?? []) add(`compose:${s}`, idOf(d.id));
    for (const w of d.details?.kubernetesWorkloads ?? []) add(`kubernetes:${w}`, idOf(d.id));
    for (const r of d.details?.provisionedBy ?? []) add(`resource:${r}`, idOf(d.id));
  }
  for (const q of model.queues) for (const r of q.details?.provisionedBy ?? []) add(`resource:${r}`, idOf(q.id));

  // Components a workload runs through its containers, when the workload itself names none (an ECS
  // service runs the containers of its task definition, `container:ecs:<service>/<container>`).
  for (const c of model.deployment.containers) {
    if (!c.component) continue;
    if (c.id.startsWith('container:ecs:')) add(`ecs:${c.id.slice('container:ecs:'.length, c.id.lastIndexOf('/'))}`, idOf(c.component));
  }

  const nodeOf = (w: Workload, source: string): C4DeploymentNode => {
    const d = w.details ?? {};
    const replicas = typeof d.replicas === 'number' ? d.replicas : undefined;
    const technology = [w.kind, typeof d.runtime === 'string' ? d.runtime : undefined, d.image].filter((x): x is string => !!x).join(', ');
    const instancesOf = [
      ...(w.component ? [idOf(w.component)] : []),
      ...(runsOn.get(`${source}:${w.name}`) ?? []),
      // Kubernetes workloads are named by kind and name (`StatefulSet/catalog-db`), as their ids hold them.
      ...(runsOn.get(`${source}:${w.id.slice(w.id.indexOf(':', w.id.indexOf(':') + 1) + 1)}`) ?? []),
      ...(d.resource ? (runsOn.get(`resource:${d.resource}`) ?? []) : []),
      ...(w.id.startsWith('workload:ecs:') ? (runsOn.get(`ecs:${w.name}`) ?? []) : []),
    ].filter((x): x is string => !!x && known.has(x));
    return {
      id: identifier('node', w.id.slice(w.id.indexOf(':') + 1)),
      source: w.id,
      name: w.name,
      ...(technology ? { technology } : {}),
      ...(replicas !== undefined ? { instances: replicas } : {}),
      evidence: where(w.evidence),
      children: [],
      instancesOf: [...new Set(instancesOf)].sort(compare),
    };
  };
  const placed = new Set<string>();
  for (const w of [...model.deployment.workloads].sort(byId)) {
    const source = w.details?.source;
    if (!source) continue;
    const node = nodeOf(w, source);
    for (const c of node.instancesOf) placed.add(`${source}:${c}`);
    const env = envFor(source);
    if (source === 'kubernetes' && w.details?.namespace) {
      const nsId = identifier('node_ns', w.details.namespace);
      let ns = env.nodes.find((n) => n.id === nsId);
      if (!ns)
        env.nodes.push(
          (ns = {
            id: nsId,
            source: `namespace:${w.details.namespace}`,
            name: `namespace ${w.details.namespace}`,
            technology: 'Kubernetes namespace',
            children: [],
            instancesOf: [],
          }),
        );
      ns.children.push(node);
    } else env.nodes.push(node);
  }
  // Managed stores and channels the infrastructure code provisions, each on a node of its resource.
  for (const i of [...model.infrastructure].sort(byId)) {
    const source = i.source;
    if (!source || source === 'compose' || source === 'kubernetes') continue;
    const name = i.id.slice(i.id.lastIndexOf('/') + 1);
    const key = i.id.slice(i.id.indexOf(':') + 1);
    const runs = [...new Set([...(runsOn.get(`resource:${name}`) ?? []), ...(runsOn.get(`resource:${key.slice(key.indexOf(':') + 1)}`) ?? [])])]
      .filter((c) => !placed.has(`${source}:${c}`))
      .sort(compare);
    if (runs.length === 0) continue;
    for (const c of runs) placed.add(`${source}:${c}`);
    envFor(source).nodes.push({
      id: identifier('node', key),
      source: i.id,
      name: key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key.slice(key.lastIndexOf('/') + 1),
      technology: i.type,
      evidence: where(i.evidence),
      children: [],
      instancesOf: runs,
    });
  }
  const sortNodes = (nodes: C4DeploymentNode[]) => {
    nodes.sort(byId);
    for (const n of nodes) sortNodes(n.children);
  };
  // Two sources that give one identifier (`api-v1`, `api_v1`) each get a hash of their own source.
  const all: C4DeploymentNode[] = [];
  const collect = (n: C4DeploymentNode) => {
    all.push(n);
    n.children.forEach(collect);
  };
  for (const e of envs.values()) e.nodes.forEach(collect);
  const count = new Map<string, number>();
  for (const n of all) count.set(n.id, (count.get(n.id) ?? 0) + 1);
  for (const n of all) if ((count.get(n.id) ?? 0) > 1) n.id = `${n.id}_${shortHash(n.source)}`;
  const out = [...envs.values()].filter((e) => e.nodes.length > 0).sort(byId);
  for (const e of out) sortNodes(e.nodes);
  return out;
}

/** Every element of the model by id, containers' components included. */
export function elementsOf(c4: C4Model): Map<string, C4Element> {
  const out = new Map<string, C4Element>();
  for (const e of [c4.system, ...c4.people, ...c4.externals, ...c4.containers]) {
    out.set(e.id, e);
    for (const c of e.components) out.set(c.id, c);
  }
  return out;
}
