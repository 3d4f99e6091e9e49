/**
 * The headline decisions — architecture style, primary database, deployment platform, messaging,
 * API style and authentication mechanism — each by one rule over the merged model, documented in
 * README.md. Each returns which rule fired and the numbers it used (`basis`, typed; numeric keys in
 * `details`); the document's sentences about them are built by src/render/view-decisions.ts. When
 * the evidence is split or thin the decision is "Undetermined" and the basis says why.
 */
import type { DecisionBasis, Details, Evidence, Model } from '../../src/model/schema.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import { LEDGER } from '../../src/data/tech-catalogue.js';
import { dataStoreOfImage, imageRepository, supportOfImage } from '../../src/data/images.js';
import { dirOf, isUnder, joinPosix } from '../../src/util/paths.js';
import { namedForTests, NOT_SYSTEM_WORDS } from '../../src/data/test-tools.js';
import { idOf, parseId } from '../../src/model/ids.js';
import { componentNamed } from '../../src/model/lookup.js';

export interface Headline {
  decision: string;
  basis: DecisionBasis;
  evidence: Evidence[];
  details: Details;
}

export function list(names: string[]): string {
  const u = [...new Set(names)];
  return u.length <= 1 ? (u[0] ?? '') : `${u.slice(0, -1).join(', ')} and ${u[u.length - 1]}`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function firstEvidence(facts: { evidence: Evidence[] }[], max = 4): Evidence[] {
  return sortedEvidence(facts.flatMap((f) => f.evidence.slice(0, 1))).slice(0, max);
}

// ---------------------------------------------------------------------------------------------
// Deployable units

/** Paths of packages that are tests, benchmarks or examples (a folder so named, or with a `-e2e`… suffix), not parts of the system. */
function notSystemPath(path: string): boolean {
  return path.split('/').some((seg) => NOT_SYSTEM_WORDS.some((w) => seg === w || seg.endsWith(`-${w}`) || seg.endsWith(`_${w}`)));
}

/** Images that serve files: a component whose every Dockerfile image ends in one is a static front end. */
const STATIC_SERVERS = new Set(['nginx', 'nginx-unprivileged', 'httpd', 'caddy', 'lighttpd']);

function staticImage(image: string): boolean {
  const last = image.slice(image.lastIndexOf('/') + 1);
  const name = last.includes(':') ? last.slice(0, last.indexOf(':')) : last;
  return STATIC_SERVERS.has(name.toLowerCase());
}

/** Workload kinds that run a function rather than a long-running process. */
function functionWorkload(w: Model['deployment']['workloads'][number]): boolean {
  return w.details?.unit === 'function' || /lambda|function/i.test(w.kind);
}

/** Migration and seed jobs run once against a database; they are not parts of the running system. */
function oneOffJob(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('migrat') || n === 'seed' || n.startsWith('seed-') || n.endsWith('-seed') || n.endsWith('-seeder');
}

const CONTAINER_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout', 'DeploymentConfig']);

/** Test runners and load generators: a compose service named for one, or built from a Dockerfile named for one, runs no part of the system. */
function testRunner(name: string, dockerfile: string): boolean {
  return namedForTests(name) || namedForTests(dockerfile.slice(dockerfile.lastIndexOf('/') + 1));
}

/** The Dockerfile a compose service builds (`details.build` is `<context>` or `<context> (<dockerfile>)`). */
function composeDockerfile(build: string): string {
  const open = build.indexOf(' (');
  if (open < 0 || !build.endsWith(')')) return joinPosix(build, 'Dockerfile');
  return joinPosix(build.slice(0, open), build.slice(open + 2, -1));
}

/**
 * The component a compose service runs: the component of the Dockerfile it builds (a service
 * built from the root context with `dockerfile: backend/Dockerfile`) or of its build folder; for
 * a registry image, the component it is named for, or the one whose folder holds the compose file
 * when the image is the project's own (`owner/name`, not a data store or support image). The
 * compose analyzer's own link is not used for images: it ties `mysql` to the root package.
 */
function composeComponent(model: Model, w: Model['deployment']['workloads'][number]): string | undefined {
  if (typeof w.details?.build === 'string') {
    const file = composeDockerfile(w.details.build);
    return (
      model.deployment.containers.find((c) => c.details?.source === 'dockerfile' && c.component && c.evidence.some((e) => e.file === file))?.component ??
      w.component
    );
  }
  const image = typeof w.details?.image === 'string' ? w.details.image : undefined;
  if (!image || dataStoreOfImage(image) || supportOfImage(image)) return undefined;
  const { repository, base } = imageRepository(image);
  const named = componentNamed(model, base);
  if (named) return named;
  const home = model.components.find((c) => c.id === w.component);
  const file = w.evidence[0]?.file ?? '';
  return home && home.path !== '.' && repository.includes('/') && file.startsWith(`${home.path}/`) ? home.id : undefined;
}

/** Components each component reaches a data store or channel through: itself and the workspace packages it depends on (not the services it calls). */
function reachOf(model: Model): (id: string) => Set<string> {
  const deps = new Map(
    model.components.map((c) => [c.id, new Set((c.dependsOn ?? []).filter((d) => d.kind === 'package' || d.kind === 'import').map((d) => d.target))]),
  );
  return (id) => new Set([id, ...(deps.get(id) ?? [])]);
}

/**
 * What gives a component a server side archdoc can see: endpoints it serves, data stores and
 * channels it (or a workspace package it depends on) uses, technologies present in it that
 * archdoc does not read (their endpoints or channels may be there), or code in a language
 * archdoc does not read.
 */
function serverSide(model: Model): (id: string) => { endpoints: number; stores: number; channels: number; unread: boolean } {
  const reach = reachOf(model);
  const byId = new Map(model.components.map((c) => [c.id, c]));
  return (id) => {
    const r = reach(id);
    const language = byId.get(id)?.language ?? '';
    const read = language !== '' && language.split(' and ').every((l) => l === 'TypeScript' || l === 'JavaScript');
    return {
      endpoints: model.endpoints.filter((e) => e.component === id).length,
      stores: model.dataStores.filter((d) => (d.usedBy ?? []).some((u) => r.has(u))).length,
      channels: model.queues.filter((q) => [...q.producers, ...q.consumers].some((u) => r.has(u))).length,
      unread: !read || model.techStack.some((t) => LEDGER[t.name] !== undefined && LEDGER[t.name]!.reads === undefined && t.usedBy.includes(id)),
    };
  };
}

export interface Unit {
  key: string;
  label: string;
  kind: 'server' | 'function';
  evidence: Evidence[];
}

/** Deployable units, and the hosted front ends that are not units (no endpoint, store or channel of their own: a site). */
export interface Units {
  units: Unit[];
  sites: string[];
}

/**
 * Every deployable unit of the repository's own code: service and worker components (not a
 * static front end served by nginx or the like, not test/bench/example packages), function
 * components, front ends that serve their own API, components any workload runs, compose
 * services built from the repository (not a test runner), and each Lambda / Worker function
 * (workloads and Terraform `aws_lambda_function`). Beside them, the front ends a hosting platform runs (Vercel, Netlify…)
 * that serve no endpoint and reach no data store or channel, with nothing unread in them: a
 * site (documentation, a landing page), not a part of a running system.
 */
export function unitsOf(model: Model): Units {
  const side = serverSide(model);
  const sites = new Set<string>();
  const units = new Map<string, Unit>();
  const byId = new Map(model.components.map((c) => [c.id, c]));
  const endpointsOf = new Map<string, number>();
  for (const e of model.endpoints) if (e.component) endpointsOf.set(e.component, (endpointsOf.get(e.component) ?? 0) + 1);
  const images = new Map<string, string[]>();
  for (const c of model.deployment.containers) {
    if (c.details?.source !== 'dockerfile' || !c.component || typeof c.details.baseImage !== 'string') continue;
    images.set(c.component, [...(images.get(c.component) ?? []), c.details.baseImage]);
  }
  const staticFrontEnd = (id: string) => (images.get(id) ?? []).length > 0 && images.get(id)!.every(staticImage);
  const add = (u: Unit) => {
    const had = units.get(u.key);
    if (had) had.evidence.push(...u.evidence);
    else units.set(u.key, { ...u, evidence: [...u.evidence] });
  };
  // A component every workload of which is a migration or seed job is not a running part.
  const runBy = new Map<string, string[]>();
  for (const w of model.deployment.workloads) if (w.component) runBy.set(w.component, [...(runBy.get(w.component) ?? []), w.name]);
  const onlyJobs = (id: string) => (runBy.get(id) ?? []).length > 0 && runBy.get(id)!.every(oneOffJob);
  for (const c of model.components) {
    if (notSystemPath(c.path) || oneOffJob(c.path.slice(c.path.lastIndexOf('/') + 1)) || onlyJobs(c.id)) continue;
    if (c.kind === 'function') add({ key: c.id, label: c.name, kind: 'function', evidence: c.evidence.slice(0, 1) });
    else if ((c.kind === 'service' || c.kind === 'worker') && !staticFrontEnd(c.id))
      add({ key: c.id, label: c.name, kind: 'server', evidence: c.evidence.slice(0, 1) });
    else if (c.kind === 'frontend' && (endpointsOf.get(c.id) ?? 0) > 0) add({ key: c.id, label: c.name, kind: 'server', evidence: c.evidence.slice(0, 1) });
  }
  for (const w of model.deployment.workloads) {
    const compose = w.kind === 'compose service';
    if (compose && typeof w.details?.build === 'string' && testRunner(w.name, composeDockerfile(w.details.build))) continue;
    const linked = compose ? composeComponent(model, w) : w.component;
    const comp = linked ? byId.get(linked) : undefined;
    // An infrastructure program (CDK, Pulumi) is no running part: what it deploys runs elsewhere, or is its own glue (code written inline in it).
    if (comp && (notSystemPath(comp.path) || comp.kind === 'infrastructure')) continue;
    if (oneOffJob(w.name)) continue;
    if (functionWorkload(w)) {
      add({
        key: comp?.kind === 'function' ? comp.id : `function:${w.name}`,
        label: comp?.kind === 'function' ? comp.name : w.name,
        kind: 'function',
        evidence: w.evidence.slice(0, 1),
      });
      continue;
    }
    if (comp) {
      if (comp.kind === 'function' || units.has(comp.id) || staticFrontEnd(comp.id) || w.details?.unit === 'static') continue;
      if (comp.kind === 'frontend' && w.details?.platform === undefined && !CONTAINER_WORKLOADS.has(w.kind) && w.details?.build === undefined) continue;
      if (comp.kind === 'frontend' && w.details?.platform !== undefined) {
        const own = side(comp.id);
        if (own.endpoints + own.stores + own.channels === 0 && !own.unread) {
          sites.add(comp.name);
          continue;
        }
      }
      add({ key: comp.id, label: comp.name, kind: 'server', evidence: w.evidence.slice(0, 1) });
    } else if (w.kind === 'compose service' && w.details?.build !== undefined && w.details.unit !== 'database' && w.details.unit !== 'set-aside') {
      add({ key: idOf.workload(w.name), label: w.name, kind: 'server', evidence: w.evidence.slice(0, 1) });
    }
  }
  for (const i of model.infrastructure) {
    if (
      i.type !== 'aws_lambda_function' &&
      i.type !== 'google_cloudfunctions_function' &&
      i.type !== 'google_cloudfunctions2_function' &&
      i.type !== 'azurerm_function_app'
    )
      continue;
    // A Lambda whose workload is linked to a function component is counted once, as that component.
    const at = i.evidence[0];
    const linked = model.deployment.workloads.some(
      (w) => w.component && byId.get(w.component)?.kind === 'function' && w.evidence[0]?.file === at?.file && w.evidence[0]?.line === at?.line,
    );
    if (linked) continue;
    const name = i.name.slice(i.name.lastIndexOf('.') + 1);
    add({ key: `function:${name}`, label: name, kind: 'function', evidence: i.evidence.slice(0, 1) });
  }
  return {
    units: [...units.values()].sort((a, b) => compareStrings(a.key, b.key)),
    sites: [...sites].filter((n) => ![...units.values()].some((u) => u.label === n)).sort(compareStrings),
  };
}

// ---------------------------------------------------------------------------------------------
// Architecture style

/**
 * Workers that are another server's background processes: a worker component serving no endpoint
 * that shares one server's data model — both are, or depend on, the workspace package that defines
 * the entities of a database both use (a web app and its job runner over one ORM schema package).
 * Counted only when exactly one server that is not a worker shares that model. Returns the
 * worker's unit key → `<worker> (with <server>, over <package>)` parts for the basis.
 */
function backgroundProcesses(model: Model, servers: readonly Unit[]): Map<string, { process: string; of: string; model: string }> {
  const out = new Map<string, { process: string; of: string; model: string }>();
  const byId = new Map(model.components.map((c) => [c.id, c]));
  const reach = reachOf(model);
  const endpoints = new Set(model.endpoints.map((e) => e.component));
  const databases = model.dataStores.filter((d) => !NOT_PRIMARY_KINDS.has(d.kind ?? '') && !CACHE_ENGINES.has(d.tech.toLowerCase()));
  const modelOwners = new Map<string, Set<string>>(); // store id → components defining its entities
  for (const e of model.schemas) if (e.store && e.component) modelOwners.set(e.store, (modelOwners.get(e.store) ?? new Set()).add(e.component));
  // The packages defining the store's entities that both units are or depend on, and both use the store.
  const shared = (a: string, b: string, store: Model['dataStores'][number]): string | undefined => {
    const ra = reach(a);
    const rb = reach(b);
    const users = store.usedBy ?? [];
    if (!users.some((u) => ra.has(u)) || !users.some((u) => rb.has(u))) return undefined;
    return [...(modelOwners.get(store.id) ?? [])].sort(compareStrings).find((owner) => ra.has(owner) && rb.has(owner));
  };
  const inComponents = servers.filter((u) => byId.has(u.key));
  for (const w of inComponents) {
    if (byId.get(w.key)!.kind !== 'worker' || endpoints.has(w.key)) continue;
    for (const store of databases) {
      const partners = inComponents.filter((s) => s.key !== w.key && byId.get(s.key)!.kind !== 'worker' && shared(w.key, s.key, store));
      if (partners.length !== 1) continue;
      const owner = shared(w.key, partners[0]!.key, store)!;
      out.set(w.key, { process: w.label, of: partners[0]!.label, model: byId.get(owner)?.path ?? owner });
      break;
    }
  }
  return out;
}

/**
 * Apps that host another's API: a server whose endpoints another server also serves from the same
 * definition in shared code (the same method and path, defined at the same place outside both: a
 * tRPC router or route module of a workspace package that both mount), its only other routes being
 * adapter routes the other also has (the same method and path, however each framework spells the
 * parameter: `/api/trpc/:trpc`, `/api/trpc/*`). It is another way to deploy that backend (a second
 * front-end framework mounting the same router), not another service. The server serving the most
 * endpoints (then by name) is the one kept.
 */
function sameApiHosts(model: Model, servers: readonly Unit[]): Map<string, { host: string; of: string; from: string }> {
  const out = new Map<string, { host: string; of: string; from: string }>();
  const byId = new Map(model.components.map((c) => [c.id, c]));
  const defined = (e: Model['endpoints'][number]): string | undefined => {
    const file = typeof e.details?.routeFile === 'string' ? e.details.routeFile : undefined;
    const line = typeof e.details?.routeLine === 'number' ? e.details.routeLine : undefined;
    return file && line ? `${file}:${line}` : undefined;
  };
  const served = new Map<string, Map<string, string | undefined>>(); // unit → endpoint key → definition
  for (const e of model.endpoints) {
    if (!e.component) continue;
    const m = served.get(e.component) ?? new Map<string, string | undefined>();
    m.set(`${e.method} ${e.path}`, defined(e));
    served.set(e.component, m);
  }
  const ranked = servers
    .filter((u) => byId.has(u.key) && (served.get(u.key)?.size ?? 0) > 0)
    .sort((a, b) => served.get(b.key)!.size - served.get(a.key)!.size || compareStrings(a.label, b.label));
  // A route's method and path with every parameter and catch-all alike (`/api/trpc/:trpc`, `/api/trpc/*`): the adapter
  // routes each framework writes for the same mounted API differ only in how they spell the variable part.
  const shape = (k: string): string => {
    const space = k.indexOf(' ');
    const segs = k
      .slice(space + 1)
      .split('/')
      .map((g) => (g.startsWith(':') || g.startsWith('*') || g.includes('[') || g.includes('{') ? ':' : g));
    return `${k.slice(0, space)} ${segs.join('/')}`;
  };
  for (const b of ranked) {
    const own = served.get(b.key)!;
    const home = byId.get(b.key)!.path;
    const inHome = (d: string | undefined): boolean => d === undefined || isUnder(d.slice(0, d.lastIndexOf(':')), home);
    // Its endpoints from shared code; the rest, its own adapter routes for that code.
    const sharedEntries = [...own].filter(([, d]) => !inHome(d));
    const adapters = [...own].filter(([, d]) => inHome(d));
    if (!sharedEntries.length) continue;
    const a = ranked.find((x) => {
      if (x === b || out.has(x.key)) return false;
      const other = served.get(x.key)!;
      const shapes = new Set([...other.keys()].map(shape));
      return sharedEntries.every(([k, d]) => other.get(k) === d) && adapters.every(([k]) => shapes.has(shape(k)));
    });
    if (!a) continue;
    const files = sharedEntries.map(([, d]) => d!.slice(0, d!.lastIndexOf(':')));
    const from = sortedUnique(files.map((f) => byId.get(componentOfFile(model, f) ?? '')?.path ?? dirOf(f)));
    out.set(b.key, { host: b.label, of: a.label, from: from.join(', ') });
  }
  return out;
}

/** The component whose folder holds a file (the deepest), by id. */
function componentOfFile(model: Model, file: string): string | undefined {
  let best: Model['components'][number] | undefined;
  for (const c of model.components) if (isUnder(file, c.path === '.' ? '' : c.path) && (!best || c.path.length > best.path.length)) best = c;
  return best?.id;
}

export function styleHeadline(model: Model): Headline | undefined {
  const comps = model.components;
  if (comps.length === 0) return undefined;
  const { units, sites } = unitsOf(model);
  // Quiet servers: components that serve no endpoint, reach no store or channel and have nothing
  // unread in them. A few of them beside servers that do (no more of them than of those) have no
  // work of their own archdoc can see — an SMTP relay forwarding to the application's API, a
  // shared package with a worker base class — and are not counted as further services. When
  // most servers are quiet, the reading is what is thin, and all are counted.
  const side = serverSide(model);
  const isQuiet = (u: Unit) => {
    if (parseId(u.key)?.kind !== 'component') return false;
    const own = side(u.key);
    return own.endpoints + own.stores + own.channels === 0 && !own.unread;
  };
  const allServers = units.filter((u) => u.kind === 'server');
  const quietOnes = allServers.filter(isQuiet);
  const quiet = quietOnes.length > 0 && quietOnes.length <= allServers.length - quietOnes.length ? quietOnes : [];
  const processes = backgroundProcesses(
    model,
    allServers.filter((u) => !quiet.includes(u)),
  );
  const hosts = sameApiHosts(
    model,
    allServers.filter((u) => !quiet.includes(u) && !processes.has(u.key)),
  );
  const servers = allServers.filter((u) => !quiet.includes(u) && !processes.has(u.key) && !hosts.has(u.key));
  const functions = units.filter((u) => u.kind === 'function');
  const libraries = comps.filter((c) => c.kind === 'library').length;
  const channels = usedChannels(model).channels;
  const details: Details = { servers: servers.length, functions: functions.length, libraries, channels: channels.length };
  const basis: Extract<DecisionBasis, { rule: 'architecture-style' }> = {
    rule: 'architecture-style',
    outcome: 'services',
    servers: servers.map((s) => s.label),
    functions: functions.length,
    channels: channels.length,
    components: comps.length,
    componentKinds: [...new Set(comps.map((c) => c.kind))].sort(compareStrings),
  };
  if (quiet.length) basis.quiet = quiet.map((r) => r.label);
  if (processes.size) basis.processes = [...processes.values()];
  if (hosts.size) basis.hosts = [...hosts.values()];
  if (sites.length) basis.sites = sites;
  let decision: string;
  if (servers.length === 0 && functions.length === 0) {
    decision = 'Undetermined';
    basis.outcome = 'undetermined';
  } else if (servers.length === 0) {
    decision = 'Serverless';
    basis.outcome = 'serverless';
  } else if (servers.length === 1) {
    const modules = model.decisions.find((d) => d.topic === 'internal-pattern' && d.component === servers[0]!.key)?.details?.modules;
    const mods = Array.isArray(modules) ? modules : [];
    if (mods.length >= 2) {
      decision = 'Modular monolith';
      basis.outcome = 'modular-monolith';
      details.modules = mods;
      basis.modules = mods;
    } else {
      decision = 'Monolith';
      basis.outcome = 'monolith';
    }
  } else {
    decision = servers.length === 2 ? 'A small set of services' : 'Microservices';
  }
  // Event-driven: a consumed channel that is not one component's own background work (every
  // producer also its only consumer: jobs a service queues for itself).
  const between = channels.filter(
    (q) => q.consumers.length > 0 && !(q.producers.length > 0 && q.consumers.length === 1 && q.producers.every((p) => p === q.consumers[0])),
  );
  if (decision !== 'Undetermined' && between.length > 0 && servers.length + functions.length >= 2) decision += ', with event-driven messaging';
  const ev = firstEvidence([...servers, ...functions], 6);
  return { decision, basis, evidence: ev.length ? ev : firstEvidence(comps, 4), details };
}

// ---------------------------------------------------------------------------------------------
// Primary database

const NOT_PRIMARY_KINDS = new Set(['cache', 'object', 'search']);
/** Component kinds that run and may open a database. */
const RUNNING_KINDS = new Set(['service', 'worker', 'function']);
/** Key-value engines that serve as caches and queue backends; primary only when nothing else is. */
const CACHE_ENGINES = new Set(['redis', 'valkey', 'memcached', 'keydb', 'dragonfly']);

export function primaryDatabaseHeadline(model: Model): Headline | undefined {
  // An `other` store is a database only when its analyzer names its data model (Analytics Engine: time-series).
  const candidates = model.dataStores.filter((d) => !NOT_PRIMARY_KINDS.has(d.kind ?? '') && (d.kind !== 'other' || typeof d.details?.dataModel === 'string'));
  const engines = candidates.filter((d) => !CACHE_ENGINES.has(d.tech.toLowerCase()));
  const stores = engines.length ? engines : candidates;
  if (stores.length === 0) return undefined;
  const byId = new Map(model.components.map((c) => [c.id, c]));
  const entities = new Map<string, number>();
  for (const e of model.schemas) if (e.store) entities.set(e.store, (entities.get(e.store) ?? 0) + 1);
  const count = (id: string) => entities.get(id) ?? 0;
  const ranked = [...stores].sort((a, b) => count(b.id) - count(a.id) || compareStrings(a.name, b.name));
  const notCounted = model.dataStores
    .filter((d) => !stores.includes(d))
    .map((s) => ({ name: s.name, kind: s.kind ?? 'other', cache: CACHE_ENGINES.has(s.tech.toLowerCase()) }));
  const attributed = ranked.reduce((n, s) => n + count(s.id), 0);
  const unattributed = model.schemas.length - attributed;
  const details: Details = { entities: attributed, stores: stores.length };
  if (unattributed > 0) details.unattributed = unattributed;
  // Databases no code archdoc reads uses, beside services in languages it does not read: their
  // entities (read from SQL scripts, if at all) are not all counted, so neither is the split.
  // A component whose entities were read (JPA, EF Core, Eloquent…) had its data code read, whatever its
  // language, and so did one that imports the package holding them (a Go program of a module whose
  // migrations define the tables).
  const holdsEntities = new Set(model.schemas.map((e) => e.component));
  const readCode = (id: string) =>
    holdsEntities.has(id) ||
    (byId.get(id)?.dependsOn ?? []).some((d) => d.kind === 'import' && holdsEntities.has(d.target)) ||
    (byId.get(id)?.language ?? '').split(' and ').every((l) => l === 'TypeScript' || l === 'JavaScript');
  const unreadLanguages = [
    ...new Set(model.components.filter((c) => RUNNING_KINDS.has(c.kind) && c.language && !readCode(c.id)).flatMap((c) => c.language!.split(' and '))),
  ]
    .filter((l) => l !== 'TypeScript' && l !== 'JavaScript')
    .sort(compareStrings);
  const unreadStores =
    unreadLanguages.length && stores.length >= 2 ? stores.filter((d) => !(d.usedBy ?? []).some((u) => byId.has(u) && readCode(u))).map((d) => d.name) : [];
  // Databases the deployment provisions (a platform add-on, an infrastructure resource): where no entity names a store, the one of them is where the data lives.
  const provisioned = stores.filter((d) => (d.details?.provisionedBy ?? []).length > 0);
  const basis = (outcome: 'most-entities' | 'tie' | 'only-database' | 'provisioned' | 'undetermined' | 'unread-users'): DecisionBasis => ({
    rule: 'primary-database',
    outcome,
    stores: ranked.map((s) => ({ name: s.name, count: count(s.id) })),
    notCounted,
    attributed,
    entities: model.schemas.length,
    ...(outcome === 'unread-users' ? { unread: { stores: unreadStores, languages: unreadLanguages } } : {}),
    ...(outcome === 'provisioned' && provisioned.length === 1
      ? { provisioned: { name: provisioned[0]!.name, by: [...(provisioned[0]!.details?.provisionedBy ?? [])] } }
      : {}),
  });
  const top = count(ranked[0]!.id);
  // Database per service: the databases holding entities are each used by services of their own.
  // With no store holding two thirds of the entities, none is the system's primary database
  // ("Undetermined" with entities attributed: the basis's counts say the split).
  const holding = ranked.filter((d) => count(d.id) > 0);
  const usersOf = (d: Model['dataStores'][number]) => (d.usedBy ?? []).filter((u) => byId.has(u));
  const perService =
    holding.length >= 2 &&
    holding.every((d) => usersOf(d).length > 0) &&
    new Set(holding.flatMap(usersOf)).size === holding.reduce((n, d) => n + usersOf(d).length, 0);
  if (top > 0 && unreadStores.length > 0) {
    return {
      decision: 'Undetermined',
      basis: basis('unread-users'),
      evidence: firstEvidence(stores, 4),
      details,
    };
  }
  if (top > 0 && perService && top * 3 < attributed * 2 && ranked.filter((s) => count(s.id) === top).length === 1) {
    return {
      decision: 'Undetermined',
      basis: basis('undetermined'),
      evidence: firstEvidence(holding, 4),
      details,
    };
  }
  if (top > 0) {
    const tied = ranked.filter((s) => count(s.id) === top);
    return {
      decision: list(tied.map((s) => s.name)),
      basis: basis(tied.length === 1 ? 'most-entities' : 'tie'),
      evidence: firstEvidence(
        tied.flatMap((s) => [s, ...model.schemas.filter((e) => e.store === s.id).slice(0, 2)]),
        4,
      ),
      details,
    };
  }
  // Redis and its kin hold no entity here: a cache or queue backend, never the primary database.
  if (engines.length === 0) return undefined;
  // No entity attributed to a store: the weaker rule is the only database found; among several, the
  // one the deployment provisions (Heroku Postgres beside the SQLite a settings file falls back to locally).
  const weaker =
    stores.length === 1
      ? { s: stores[0]!, outcome: 'only-database' as const }
      : provisioned.length === 1
        ? { s: provisioned[0]!, outcome: 'provisioned' as const }
        : undefined;
  if (weaker) return { decision: weaker.s.name, basis: basis(weaker.outcome), evidence: weaker.s.evidence.slice(0, 4), details };
  return {
    decision: 'Undetermined',
    basis: basis('undetermined'),
    evidence: firstEvidence(stores, 4),
    details,
  };
}

// ---------------------------------------------------------------------------------------------
// Messaging

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** A script of the application (where a queue registered in code is), not an infrastructure file. */
function sourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.some((e) => file.endsWith(e));
}

/** Transports that are request/response calls, not messaging. */
const RPC_TRANSPORTS = ['tcp transport', 'grpc'];

/**
 * Channels with a producer or consumer in the repository's code, or consumed by one of its
 * functions through an event-source mapping declared in Terraform; the rest are declared only.
 */
export function usedChannels(model: Model): { channels: Model['queues']; declared: Model['queues'] } {
  const consumed = new Set<string>();
  const byName = new Map(model.infrastructure.map((i) => [i.name, i]));
  for (const i of model.infrastructure) {
    if (i.type !== 'aws_lambda_event_source_mapping') continue;
    const refs = Array.isArray(i.details?.references) ? i.details.references : [];
    if (!refs.some((r) => r.startsWith('aws_lambda_function.'))) continue;
    for (const r of refs) {
      const target = byName.get(r);
      if (!target || target.type === 'aws_lambda_function') continue;
      const named: Record<string, unknown> = target.details ?? {};
      for (const k of ['queueName', 'name', 'streamName']) if (typeof named[k] === 'string') consumed.add(named[k]);
      consumed.add(r.slice(r.indexOf('.') + 1));
      for (const e of target.evidence) consumed.add(`${e.file}:${e.line}`);
    }
  }
  const channels: Model['queues'] = [];
  const declared: Model['queues'] = [];
  for (const q of model.queues) {
    if (RPC_TRANSPORTS.some((t) => q.tech.toLowerCase().includes(t))) continue;
    // A channel infrastructure code provisions (a CDK or Pulumi program is a script too) is used when code is at an end of it.
    const provisioned = q.details?.provisionedBy !== undefined;
    const used =
      q.producers.length > 0 ||
      q.consumers.length > 0 ||
      consumed.has(q.name) ||
      // A function the infrastructure program wires to it consumes it (an SST Queue's consumer, a CDK event source), as an event-source mapping's Lambda does.
      (q.details?.consumedBy?.length ?? 0) > 0 ||
      // So does a task of a workflow the infrastructure defines (a Step Functions task that publishes to it).
      (q.details?.producedBy?.length ?? 0) > 0 ||
      q.evidence.some((e) => consumed.has(`${e.file}:${e.line}`) || (!provisioned && sourceFile(e.file) && !testFile(e.file)));
    (used ? channels : declared).push(q);
  }
  return { channels, declared };
}

/** A messaging or workflow technology imported by production code (see imports.ts). */
export interface ImportedMessaging {
  name: string;
  /** Queue techs its channels carry when read (empty: archdoc does not read it). */
  queues: string[];
  evidence: Evidence;
}

/** A channel one component both fills and drains alone: its own background jobs. */
export function selfQueue(q: Model['queues'][number]): boolean {
  return q.producers.length > 0 && q.consumers.length === 1 && q.producers.every((p) => p === q.consumers[0]);
}

/** Broker images by the name their repository ends in (`bitnami/rabbitmq:3` → RabbitMQ). */
const BROKER_IMAGES: [string, string][] = [
  ['rabbitmq', 'RabbitMQ'],
  ['kafka', 'Kafka'],
  ['cp-kafka', 'Kafka'],
  ['redpanda', 'Redpanda'],
  ['nats', 'NATS'],
  ['nats-streaming', 'NATS Streaming'],
  ['activemq', 'ActiveMQ'],
  ['artemis', 'ActiveMQ Artemis'],
  ['pulsar', 'Apache Pulsar'],
];

/**
 * A broker the deployment runs (a compose service or Kubernetes workload from a broker's image),
 * when the code that uses it is in languages archdoc does not read: named with that reason.
 */
function deployedBroker(model: Model): { name: string; evidence: Evidence; languages: string[] } | undefined {
  const languages = [
    ...new Set(model.components.flatMap((c) => (c.language ?? '').split(' and ')).filter((l) => l !== '' && l !== 'TypeScript' && l !== 'JavaScript')),
  ].sort(compareStrings);
  if (languages.length === 0) return undefined;
  for (const w of [...model.deployment.workloads].sort((a, b) => compareStrings(a.id, b.id))) {
    const images = [w.details?.image, ...(Array.isArray(w.details?.images) ? w.details.images : [])].filter((i): i is string => typeof i === 'string');
    for (const image of images) {
      const repo = image.split('@')[0]!.split(':')[0]!;
      const last = repo.slice(repo.lastIndexOf('/') + 1).toLowerCase();
      const hit = BROKER_IMAGES.find(([n]) => n === last);
      if (hit && w.evidence[0]) return { name: hit[1], evidence: w.evidence[0], languages };
    }
  }
  return undefined;
}

export function messagingHeadline(model: Model, imported: readonly ImportedMessaging[] = []): Headline | undefined {
  const { channels: used, declared } = usedChannels(model);
  // Between components, the system's messaging; a component's own background jobs are named only
  // when there is nothing else (a queue a service fills and drains alone is not how its parts talk).
  const between = used.filter((q) => !selfQueue(q));
  const channels = between.length > 0 ? between : used;
  const techs = [...new Set(channels.map((q) => q.tech))].sort(compareStrings);
  const perTech = (qs: Model['queues']) =>
    [...new Set(qs.map((q) => q.tech))].sort(compareStrings).map((t) => ({ name: t, count: qs.filter((q) => q.tech === t).length }));
  const own = used.filter((q) => !channels.includes(q));
  const details: Details = { used: channels.length, declaredOnly: declared.length };
  // Imported by production code, but no channel of theirs found: named, with the reason.
  const present = new Set(model.queues.map((q) => q.tech));
  const unseen = new Map<string, ImportedMessaging>();
  for (const i of imported) {
    if (i.queues.some((q) => present.has(q))) continue;
    // Beside channels that were read, a client archdoc reads but found no channel of is a side use
    // (an SNS client subscribing a webhook); only a technology archdoc does not read is added.
    if (channels.length > 0 && i.queues.length > 0) continue;
    const name = i.queues[0] ?? i.name;
    if (!techs.includes(name) && !unseen.has(name)) unseen.set(name, i);
  }
  const why = (i: ImportedMessaging) => (i.queues.length ? 'no channel found' : 'workflows not read');
  const unseenNames = [...unseen.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([n, i]) => `${n} (${why(i)})`);
  if (unseen.size) details.importedUnread = unseen.size;
  const basis = (outcome: 'channels' | 'imported-only' | 'broker' | 'declared-only', broker?: ReturnType<typeof deployedBroker>): DecisionBasis => ({
    rule: 'messaging',
    outcome,
    channels: perTech(channels),
    ownJobs: perTech(own),
    declaredOnly: perTech(declared),
    imported: [...unseen.entries()].map(([name, i]) => ({ name, channelsRead: i.queues.length > 0, evidence: i.evidence })),
    ...(broker ? { broker } : {}),
  });
  if (techs.length > 0) {
    return {
      decision: list([...techs, ...unseenNames]),
      basis: basis('channels'),
      evidence: [...firstEvidence(channels), ...[...unseen.values()].map((i) => i.evidence)],
      details,
    };
  }
  if (unseen.size > 0) {
    return {
      decision: list(unseenNames),
      basis: basis('imported-only'),
      evidence: [...unseen.values()].map((i) => i.evidence),
      details,
    };
  }
  const broker = deployedBroker(model);
  if (broker && declared.length === 0) {
    return {
      decision: `${broker.name} (broker deployed, its users' code not read)`,
      basis: basis('broker', broker),
      evidence: [broker.evidence],
      details,
    };
  }
  if (declared.length > 0) {
    return {
      decision: 'Undetermined',
      basis: basis('declared-only'),
      evidence: firstEvidence(declared),
      details,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Deployment platform

/** Dockerfiles of development environments: `.gitpod.Dockerfile`, `.devcontainer/`. */
function devEnvironment(file: string): boolean {
  return file.endsWith('.gitpod.Dockerfile') || file.startsWith('.devcontainer/') || file.includes('/.devcontainer/');
}

/** Names of the platforms the ci analyzer's deploy targets carry as ids. */
const DEPLOY_PLATFORMS: Record<string, string> = {
  heroku: 'Heroku',
  fly: 'Fly.io',
  vercel: 'Vercel',
  netlify: 'Netlify',
  'cloudflare-workers': 'Cloudflare Workers',
  'cloudflare-pages': 'Cloudflare Pages',
  'cloud-run': 'Google Cloud Run',
  'app-engine': 'Google App Engine',
  'cloud-functions': 'Google Cloud Functions',
  'azure-app-service': 'Azure App Service',
  'azure-container-apps': 'Azure Container Apps',
  'azure-functions': 'Azure Functions',
  railway: 'Railway',
  render: 'Render',
  'digitalocean-apps': 'DigitalOcean App Platform',
  kubernetes: 'Kubernetes',
  ecs: 'AWS ECS',
  'elastic-beanstalk': 'AWS Elastic Beanstalk',
  lambda: 'AWS Lambda (serverless)',
  'aws-cdk': 'AWS (CDK)',
  firebase: 'Firebase',
  'fastapi-cloud': 'FastAPI Cloud',
};

/** Jobs that test rather than deploy (a `kubectl apply` to a throw-away cluster). */
function testJob(name: string): boolean {
  const n = name.toLowerCase();
  return ['test', 'e2e', 'lint', 'check', 'preview'].some((w) => n.includes(w));
}

/**
 * Platforms the CI deploys to with their own CLI or action: jobs of pipelines that run on more
 * than pull requests (a pull-request-only workflow deploys previews), not test jobs. Each job
 * counts once per platform.
 */
export function ciDeployTargets(model: Model): Map<string, { jobs: Set<string>; commands: string[]; evidence: Evidence[] }> {
  const out = new Map<string, { jobs: Set<string>; commands: string[]; evidence: Evidence[] }>();
  for (const p of model.deployment.pipelines) {
    if (p.triggers.length > 0 && p.triggers.every((t) => t.startsWith('pull_request') || t.startsWith('merge request'))) continue;
    for (const j of p.jobs) {
      if (testJob(j.name)) continue;
      for (const d of j.deploys ?? []) {
        const name = DEPLOY_PLATFORMS[d.platform] ?? d.platform;
        let e = out.get(name);
        if (!e) out.set(name, (e = { jobs: new Set(), commands: [], evidence: [] }));
        e.jobs.add(`${p.id}#${j.name}`);
        e.commands.push(d.command);
        e.evidence.push(d.evidence);
      }
    }
  }
  return out;
}

/** A hosting platform whose own environment variables production code reads (see imports.ts `platformVariables`). */
export interface PlatformVariablesRead {
  name: string;
  variables: string[];
  files: number;
  evidence: Evidence;
}

export function platformHeadline(model: Model, variables: readonly PlatformVariablesRead[] = []): Headline | undefined {
  const comps = new Map(model.components.map((c) => [c.id, c]));
  const platforms = new Map<string, { units: Set<string>; evidence: Evidence[] }>();
  const note = (name: string, unit: string | undefined, evidence: Evidence[]) => {
    let p = platforms.get(name);
    if (!p) platforms.set(name, (p = { units: new Set(), evidence: [] }));
    if (unit) p.units.add(unit);
    p.evidence.push(...evidence.slice(0, 1));
  };
  const ownUnit = (component: string | undefined): string | undefined => {
    const c = component ? comps.get(component) : undefined;
    if (c && (notSystemPath(c.path) || c.kind === 'infrastructure')) return undefined;
    return c ? c.id : undefined;
  };
  for (const w of model.deployment.workloads) {
    // A function whose code is written inline in an infrastructure program is that program's glue, not a deployable unit.
    if (/lambda/i.test(w.kind) && comps.get(w.component ?? '')?.kind === 'infrastructure') continue;
    if (typeof w.details?.platform === 'string') note(w.details.platform, ownUnit(w.component) ?? `${w.details.platform}:${w.name}`, w.evidence);
    else if (CONTAINER_WORKLOADS.has(w.kind) || /helm/i.test(w.kind)) note('Kubernetes', ownUnit(w.component ?? componentNamed(model, w.name)), w.evidence);
    else if (/lambda/i.test(w.kind)) note('AWS Lambda (serverless)', ownUnit(w.component) ?? `function:${w.name}`, w.evidence);
  }
  // A Procfile is a process list many tools read (Heroku, Dokku, foreman, honcho): with nothing
  // else of Heroku's (app.json, a CI deploy), the units it lists that a Dockerfile also packages
  // have two recipes, and the image is counted beside it, so the tie says the deployment is split.
  const heroku = model.deployment.workloads.filter((w) => w.details?.platform === 'Heroku');
  if (heroku.length > 0 && heroku.every((w) => w.kind === 'Heroku process') && !ciDeployTargets(model).has('Heroku')) {
    const listed = new Set(heroku.map((w) => w.component).filter((c) => c !== undefined));
    for (const c of model.deployment.containers) {
      if (c.details?.source !== 'dockerfile' || !c.component || !listed.has(c.component) || c.evidence.some((e) => devEnvironment(e.file))) continue;
      note('Docker image', ownUnit(c.component), c.evidence);
    }
  }
  for (const i of model.infrastructure) {
    if (/^(Deployment|StatefulSet|DaemonSet|CronJob|Job)$|helm/i.test(i.type) || /^(kubernetes_|helm_release$)/.test(i.type))
      note('Kubernetes', undefined, i.evidence);
    else if (/^aws_ecs_(service|task_definition)$/.test(i.type)) note('AWS ECS', i.name, i.evidence);
    else if (i.type === 'aws_lambda_function') note('AWS Lambda (serverless)', `function:${i.name.slice(i.name.lastIndexOf('.') + 1)}`, i.evidence);
    else if (/^(google_cloud_run|azurerm_(linux_)?web_app|azurerm_app_service)/.test(i.type)) note('Managed container platform', i.name, i.evidence);
  }
  if (platforms.size === 0) {
    // No manifest names the platform: the CI jobs that deploy with a platform's own CLI do.
    const ci = ciDeployTargets(model);
    if (ci.size > 0) {
      const ranked = [...ci.entries()].sort((a, b) => b[1].jobs.size - a[1].jobs.size || compareStrings(a[0], b[0]));
      const targets = ranked.map(([name, e]) => ({ name, jobs: e.jobs.size, commands: [...new Set(e.commands)].sort(compareStrings).slice(0, 2) }));
      const top = ranked[0]![1].jobs.size;
      const tied = ranked.filter(([, e]) => e.jobs.size === top);
      const basis = (outcome: 'ci' | 'ci-tie'): DecisionBasis => ({ rule: 'deployment-platform', outcome, platforms: [], ci: targets, images: 0 });
      if (tied.length > 1) {
        return {
          decision: 'Undetermined',
          basis: basis('ci-tie'),
          evidence: tied.flatMap(([, e]) => sortedEvidence(e.evidence).slice(0, 2)),
          details: {},
        };
      }
      return {
        decision: ranked[0]![0],
        basis: basis('ci'),
        evidence: sortedEvidence(ranked[0]![1].evidence).slice(0, 4),
        details: {},
      };
    }
  }
  // A function component no platform claims: the Lambda rule of before (handlers with no deployment file).
  const claimed = new Set([...platforms.values()].flatMap((p) => [...p.units]));
  for (const c of model.components)
    if (c.kind === 'function' && !notSystemPath(c.path) && !claimed.has(c.id)) note('AWS Lambda (serverless)', c.id, c.evidence);
  // Compose runs the deployable units its services build or run (a component's image); beside
  // another platform it is named only when it runs more of them: as many is the local run.
  // A function a compose service runs is its local emulation (serverless offline), not counted.
  const unitKeys = new Set(
    unitsOf(model)
      .units.filter((u) => u.kind === 'server')
      .map((u) => u.key),
  );
  const composeUnits = new Map<string, Evidence[]>();
  for (const w of model.deployment.workloads) {
    if (w.kind !== 'compose service') continue;
    const key = composeComponent(model, w) ?? idOf.workload(w.name);
    if (unitKeys.has(key)) composeUnits.set(key, [...(composeUnits.get(key) ?? []), ...w.evidence.slice(0, 1)]);
  }
  let localRun = 0;
  if (platforms.size > 0 && composeUnits.size > 0) {
    const most = Math.max(...[...platforms.values()].map((p) => p.units.size));
    if (composeUnits.size > most) for (const [key, ev] of composeUnits) note('Docker Compose', key, ev);
    else localRun = composeUnits.size;
  }
  if (platforms.size === 0) {
    // Compose is the platform only where it runs the repository's own code (a service built from it, or a unit's image).
    const composeBuilt = model.deployment.workloads.filter((w) => w.kind === 'compose service' && w.details?.build !== undefined);
    for (const w of composeBuilt) note('Docker Compose', composeComponent(model, w) ?? idOf.workload(w.name), w.evidence);
    for (const [key, ev] of composeUnits) note('Docker Compose', key, ev);
  }
  if (platforms.size === 0 && variables.length === 1) {
    // Nothing deploys it here, but the code reads the variables one platform sets in every
    // deployment (VERCEL_URL): it was written to run there.
    const v = variables[0]!;
    return {
      decision: v.name,
      basis: {
        rule: 'deployment-platform',
        outcome: 'environment',
        platforms: [],
        ci: [],
        images: 0,
        environment: { name: v.name, variables: v.variables, files: v.files },
      },
      evidence: [v.evidence],
      details: {},
    };
  }
  if (platforms.size === 0) {
    // With nothing else, the system is deployed as the container images its Dockerfiles build:
    // Docker, and the context says that nothing in the repository names where they run.
    const images = model.deployment.containers.filter((c) => c.details?.source !== 'compose' && !c.evidence.some((e) => devEnvironment(e.file)));
    if (images.length === 0) return undefined;
    return {
      decision: 'Docker',
      basis: { rule: 'deployment-platform', outcome: 'images-unrun', platforms: [], ci: [], images: images.length },
      evidence: firstEvidence(images),
      details: {},
    };
  }
  const ranked = [...platforms.entries()].sort((a, b) => b[1].units.size - a[1].units.size || compareStrings(a[0], b[0]));
  const basis = (outcome: 'platforms' | 'split'): DecisionBasis => ({
    rule: 'deployment-platform',
    outcome,
    platforms: ranked.map(([name, p]) => ({ name, count: p.units.size })),
    ci: [],
    images: 0,
    ...(localRun ? { composeLocal: localRun } : {}),
  });
  const top = ranked[0]![1].units.size;
  let tied = ranked.filter(([, p]) => p.units.size === top);
  // As many units on each: the one of them the CI deploys to, when it is one.
  const deployed = tied.length > 1 ? tied.filter(([name]) => ciDeployTargets(model).has(name)) : [];
  if (deployed.length === 1) tied = deployed;
  if (tied.length > 1 && top > 0) {
    return {
      decision: 'Undetermined',
      basis: basis('split'),
      evidence: tied.flatMap(([, p]) => sortedEvidence(p.evidence).slice(0, 2)),
      details: {},
    };
  }
  const chosen = top > 0 ? [tied[0]!] : ranked;
  return {
    decision: list(chosen.map(([n]) => n)),
    basis: basis('platforms'),
    evidence: chosen.flatMap(([, p]) => sortedEvidence(p.evidence).slice(0, 4)),
    details: {},
  };
}

// ---------------------------------------------------------------------------------------------
// API style and authentication

const PROTOCOL_NAMES: Record<string, string> = {
  http: 'REST over HTTP',
  graphql: 'GraphQL',
  grpc: 'gRPC',
  websocket: 'WebSockets',
  rpc: 'remote calls (NestJS microservices)',
  trpc: 'tRPC',
};

/** API style: every protocol the endpoints use, most endpoints first. */
export function apiStyleHeadline(model: Model): Headline | undefined {
  const counts = new Map<string, number>();
  for (const e of model.endpoints) counts.set(e.protocol, (counts.get(e.protocol) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  const name = (p: string) => PROTOCOL_NAMES[p] ?? p;
  return {
    decision: list(ranked.map(([p]) => name(p))),
    basis: { rule: 'api-style', protocols: ranked.map(([p, n]) => ({ name: name(p), count: n })) },
    evidence: firstEvidence(model.endpoints),
    details: { endpoints: model.endpoints.length },
  };
}

/** Test files by name: `*.test.*`, `*.spec.*`, `__tests__/`. */
export function testFile(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return name.includes('.test.') || name.includes('.spec.') || name.includes('.e2e-spec.') || file.split('/').includes('__tests__');
}

/** Paths of examples, samples, fixtures and tests: not the system's code. */
function nonProductionFile(file: string): boolean {
  return testFile(file) || notSystemPath(file) || file.split('/').some((s) => s === 'fixtures' || s === '__mocks__' || s === 'mocks');
}

/** Authentication mechanisms: those with evidence in production code or configuration. */
export function authenticationHeadline(model: Model): Headline | undefined {
  const all = model.security.filter((s) => s.category === 'authentication' && !/^auth-(route|flow)/.test(parseId(s.id)!.key));
  const auth = all.filter((a) => a.evidence.some((e) => !nonProductionFile(e.file)));
  if (auth.length === 0) return undefined;
  const names = [...new Set(auth.map((a) => a.tech ?? a.name))];
  const places = (n: string) =>
    auth.filter((a) => (a.tech ?? a.name) === n).reduce((k, a) => k + a.evidence.filter((e) => !nonProductionFile(e.file)).length, 0);
  return {
    decision: list(names),
    basis: {
      rule: 'authentication',
      mechanisms: names.map((n) => ({ name: n, count: places(n) })),
      facts: auth.length,
      setAside: [...new Set(all.filter((a) => !auth.includes(a)).map((a) => a.tech ?? a.name))],
    },
    evidence: firstEvidence(auth),
    details: { mechanisms: auth.length },
  };
}
