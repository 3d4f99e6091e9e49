/**
 * The headline decisions — architecture style, primary database, deployment platform, messaging,
 * API style and authentication mechanism — each by one rule over the merged model, documented in
 * README.md. Each returns the numbers it used (`details.counts`, one line per count, and numeric
 * keys) so the document can show them; when the evidence is split or thin the decision is
 * "Undetermined" and the context says why.
 */
import type { Details, Evidence, Model } from '../../src/model/schema.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';

export interface Headline {
  decision: string;
  context: string;
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

/** Folder names of packages that are tests, benchmarks or examples, not parts of the system. */
const NOT_SYSTEM = ['e2e', 'test', 'tests', 'bench', 'benchmark', 'benchmarks', 'example', 'examples', 'sample', 'samples'];

function notSystemPath(path: string): boolean {
  return path.split('/').some((seg) => NOT_SYSTEM.some((w) => seg === w || seg.endsWith(`-${w}`) || seg.endsWith(`_${w}`)));
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

export interface Unit {
  key: string;
  label: string;
  kind: 'server' | 'function';
  evidence: Evidence[];
}

/**
 * Every deployable unit of the repository's own code: service and worker components (not a
 * static front end served by nginx or the like, not test/bench/example packages), function
 * components, front ends that serve their own API, components any workload runs, compose
 * services built from the repository, and each Lambda / Worker function (workloads and
 * Terraform `aws_lambda_function`).
 */
export function deployableUnits(model: Model): Unit[] {
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
    else if ((c.kind === 'service' || c.kind === 'worker') && !staticFrontEnd(c.id)) add({ key: c.id, label: c.name, kind: 'server', evidence: c.evidence.slice(0, 1) });
    else if (c.kind === 'frontend' && (endpointsOf.get(c.id) ?? 0) > 0) add({ key: c.id, label: c.name, kind: 'server', evidence: c.evidence.slice(0, 1) });
  }
  for (const w of model.deployment.workloads) {
    const comp = w.component ? byId.get(w.component) : undefined;
    if (comp && notSystemPath(comp.path)) continue;
    if (oneOffJob(w.name)) continue;
    if (functionWorkload(w)) {
      add({ key: comp?.kind === 'function' ? comp.id : `function:${w.name}`, label: comp?.kind === 'function' ? comp.name : w.name, kind: 'function', evidence: w.evidence.slice(0, 1) });
      continue;
    }
    if (comp) {
      if (comp.kind === 'function' || units.has(comp.id) || staticFrontEnd(comp.id) || (w.details?.unit === 'static')) continue;
      if (comp.kind === 'frontend' && w.details?.platform === undefined && !CONTAINER_WORKLOADS.has(w.kind) && w.details?.build === undefined) continue;
      add({ key: comp.id, label: comp.name, kind: 'server', evidence: w.evidence.slice(0, 1) });
    } else if (w.kind === 'compose service' && w.details?.build !== undefined && w.details.unit !== 'database' && w.details.unit !== 'set-aside') {
      add({ key: `workload:${w.name}`, label: w.name, kind: 'server', evidence: w.evidence.slice(0, 1) });
    }
  }
  for (const i of model.infrastructure) {
    if (i.type !== 'aws_lambda_function' && i.type !== 'google_cloudfunctions_function' && i.type !== 'google_cloudfunctions2_function' && i.type !== 'azurerm_function_app') continue;
    const name = i.name.slice(i.name.lastIndexOf('.') + 1);
    add({ key: `function:${name}`, label: name, kind: 'function', evidence: i.evidence.slice(0, 1) });
  }
  return [...units.values()].sort((a, b) => compareStrings(a.key, b.key));
}

// ---------------------------------------------------------------------------------------------
// Architecture style

export function styleHeadline(model: Model): Headline | undefined {
  const comps = model.components;
  if (comps.length === 0) return undefined;
  const units = deployableUnits(model);
  const servers = units.filter((u) => u.kind === 'server');
  const functions = units.filter((u) => u.kind === 'function');
  const libraries = comps.filter((c) => c.kind === 'library').length;
  const channels = usedChannels(model).channels;
  const details: Details = { servers: servers.length, functions: functions.length, libraries, channels: channels.length };
  const counts = [
    `${plural(servers.length, 'long-running deployable unit')}${servers.length ? ` (${servers.length > 8 ? `${servers.slice(0, 8).map((s) => s.label).join(', ')}, …` : list(servers.map((s) => s.label))})` : ''}`,
    plural(functions.length, 'function'),
    `${plural(channels.length, 'message channel')} with a producer or consumer in the code`,
  ];
  let decision: string;
  let context: string;
  if (servers.length === 0 && functions.length === 0) {
    decision = 'Undetermined';
    const kinds = list([...new Set(comps.map((c) => c.kind))].sort(compareStrings));
    context = `No deployable unit was found: ${plural(comps.length, 'component')} (${kinds}), and no workload, function or compose service built from the repository runs ${comps.length === 1 ? 'it' : 'them'}.`;
  } else if (servers.length === 0) {
    decision = 'Serverless';
    context = `Every deployable unit is a function (${plural(functions.length, 'function')}); no long-running process.`;
  } else if (servers.length === 1) {
    const modules = model.decisions.find((d) => d.topic === 'internal-pattern' && d.component === servers[0]!.key)?.details?.modules;
    const mods = Array.isArray(modules) ? modules : [];
    if (mods.length >= 2) {
      decision = 'Modular monolith';
      details.modules = mods;
      counts.push(`${plural(mods.length, 'module')} with their own layers: ${list(mods)}`);
      context = `One deployable unit (${servers[0]!.label}) holding ${plural(mods.length, 'module')}, each with its own layers.`;
    } else {
      decision = 'Monolith';
      context = `One long-running deployable unit (${servers[0]!.label})${functions.length ? `, with ${plural(functions.length, 'function')} beside it` : ''}.`;
    }
  } else {
    decision = servers.length === 2 ? 'A small set of services' : 'Microservices';
    context = `${plural(servers.length, 'independently deployable unit')}${functions.length ? ` and ${plural(functions.length, 'function')}` : ''}.`;
  }
  // Event-driven: a consumed channel that is not one component's own background work (every
  // producer also its only consumer: jobs a service queues for itself).
  const between = channels.filter((q) => q.consumers.length > 0 && !(q.producers.length > 0 && q.consumers.length === 1 && q.producers.every((p) => p === q.consumers[0])));
  if (decision !== 'Undetermined' && between.length > 0 && servers.length + functions.length >= 2) decision += ', with event-driven messaging';
  details.counts = counts;
  const ev = firstEvidence([...servers, ...functions], 6);
  return { decision, context, evidence: ev.length ? ev : firstEvidence(comps, 4), details };
}

// ---------------------------------------------------------------------------------------------
// Primary database

const NOT_PRIMARY_KINDS = new Set(['cache', 'object', 'search']);
/** Key-value engines that serve as caches and queue backends; primary only when nothing else is. */
const CACHE_ENGINES = new Set(['redis', 'valkey', 'memcached', 'keydb', 'dragonfly']);

export function primaryDatabaseHeadline(model: Model): Headline | undefined {
  // An `other` store is a database only when its analyzer names its data model (Analytics Engine: time-series).
  const candidates = model.dataStores.filter((d) => !NOT_PRIMARY_KINDS.has(d.kind ?? '') && (d.kind !== 'other' || typeof d.details?.dataModel === 'string'));
  const engines = candidates.filter((d) => !CACHE_ENGINES.has(d.tech.toLowerCase()));
  const stores = engines.length ? engines : candidates;
  if (stores.length === 0) return undefined;
  const entities = new Map<string, number>();
  for (const e of model.schemas) if (e.store) entities.set(e.store, (entities.get(e.store) ?? 0) + 1);
  const count = (id: string) => entities.get(id) ?? 0;
  const ranked = [...stores].sort((a, b) => count(b.id) - count(a.id) || compareStrings(a.name, b.name));
  const counts = ranked.map((s) => `${s.name}: ${plural(count(s.id), 'entity', 'entities')}`);
  const set = model.dataStores.filter((d) => !stores.includes(d));
  // `Redis (cache or queue backend)`, `MinIO (object store)`: one bracket, no word twice.
  const why = (s: (typeof set)[number]) => (CACHE_ENGINES.has(s.tech.toLowerCase()) ? 'cache or queue backend' : `${s.kind ?? 'other'} store`);
  if (set.length) counts.push(`not counted: ${list(set.map((s) => `${s.name.replace(/ \([^()]{0,200}\)$/, '')} (${why(s)})`))}`);
  const attributed = ranked.reduce((n, s) => n + count(s.id), 0);
  const unattributed = model.schemas.length - attributed;
  const details: Details = { counts, entities: attributed, stores: stores.length };
  if (unattributed > 0) details.unattributed = unattributed;
  const top = count(ranked[0]!.id);
  if (top > 0) {
    const tied = ranked.filter((s) => count(s.id) === top);
    return {
      decision: list(tied.map((s) => s.name)),
      context:
        tied.length === 1
          ? `${tied[0]!.name} holds the most entities: ${top} of ${attributed} attributed to a store.`
          : `Tie: ${list(tied.map((s) => s.name))} each hold ${plural(top, 'entity', 'entities')}; ${tied.length === 2 ? 'both are' : `all ${tied.length} are`} named.`,
      evidence: firstEvidence(tied.flatMap((s) => [s, ...model.schemas.filter((e) => e.store === s.id).slice(0, 2)]), 4),
      details,
    };
  }
  // Redis and its kin hold no entity here: a cache or queue backend, never the primary database.
  if (engines.length === 0) return undefined;
  // No entity attributed to a store: the weaker rule is the only database found.
  if (stores.length === 1) {
    const s = stores[0]!;
    return {
      decision: s.name,
      context: `No entity is attributed to a store; ${s.name} is the only database found${model.schemas.length ? ` (${plural(model.schemas.length, 'entity', 'entities')} without a store)` : ''}.`,
      evidence: s.evidence.slice(0, 4),
      details,
    };
  }
  return {
    decision: 'Undetermined',
    context: `No entity is attributed to a store, and ${plural(stores.length, 'database')} are found (${list(ranked.map((s) => s.name))}): nothing says which holds the data.`,
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
      for (const k of ['queueName', 'name', 'streamName']) if (typeof target.details?.[k] === 'string') consumed.add(target.details[k] as string);
      consumed.add(r.slice(r.indexOf('.') + 1));
      for (const e of target.evidence) consumed.add(`${e.file}:${e.line}`);
    }
  }
  const channels: Model['queues'] = [];
  const declared: Model['queues'] = [];
  for (const q of model.queues) {
    if (RPC_TRANSPORTS.some((t) => q.tech.toLowerCase().includes(t))) continue;
    const used =
      q.producers.length > 0 ||
      q.consumers.length > 0 ||
      consumed.has(q.name) ||
      q.evidence.some((e) => consumed.has(`${e.file}:${e.line}`) || (sourceFile(e.file) && !testFile(e.file)));
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
  const languages = [...new Set(model.components.flatMap((c) => (c.language ?? '').split(' and ')).filter((l) => l !== '' && l !== 'TypeScript' && l !== 'JavaScript'))].sort(compareStrings);
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
  const perTech = (qs: Model['queues']) => [...new Set(qs.map((q) => q.tech))].sort(compareStrings).map((t) => `${t}: ${plural(qs.filter((q) => q.tech === t).length, 'channel')}`);
  const counts = perTech(channels);
  const own = used.filter((q) => !channels.includes(q));
  if (own.length) counts.push(`not counted, a component's own background jobs: ${perTech(own).join(', ')}`);
  if (declared.length) counts.push(`declared only, no producer or consumer in the code: ${perTech(declared).join(', ')}`);
  const details: Details = { counts, used: channels.length, declaredOnly: declared.length };
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
  if (unseen.size) {
    details.counts = [...counts, ...[...unseen.entries()].map(([n, i]) => `${n}: imported by production code (${i.evidence.file}:${i.evidence.line}), ${i.queues.length ? 'but none of its channels was found' : 'but archdoc does not read its workflows or task queues'}`)];
    details.importedUnread = unseen.size;
  }
  if (techs.length > 0) {
    return {
      decision: list([...techs, ...unseenNames]),
      context: `${plural(channels.length, 'message channel')} with a producer or consumer in the repository's code, across ${list(techs)}${unseen.size ? `; ${list([...unseen.keys()])} ${unseen.size === 1 ? 'is' : 'are'} also imported, with no channel read` : ''}.`,
      evidence: [...firstEvidence(channels), ...[...unseen.values()].map((i) => i.evidence)],
      details,
    };
  }
  if (unseen.size > 0) {
    return {
      decision: list(unseenNames),
      context: `${list([...unseen.keys()])} ${unseen.size === 1 ? 'is' : 'are'} imported by production code, but archdoc read none of ${unseen.size === 1 ? 'its' : 'their'} channels: the messaging inventory below is incomplete.`,
      evidence: [...unseen.values()].map((i) => i.evidence),
      details,
    };
  }
  const broker = deployedBroker(model);
  if (broker && declared.length === 0) {
    return {
      decision: `${broker.name} (broker deployed, its users' code not read)`,
      context: `The deployment runs a ${broker.name} broker, and no TypeScript or JavaScript code uses a channel of it; the services in ${list(broker.languages)} that may use it are not read.`,
      evidence: [broker.evidence],
      details: { ...details, counts: [...counts, `${broker.name}: broker image deployed (${broker.evidence.file}:${broker.evidence.line}); code in ${list(broker.languages)} not read`] },
    };
  }
  if (declared.length > 0) {
    return {
      decision: 'Undetermined',
      context: `${plural(declared.length, 'message channel')} declared (${list([...new Set(declared.map((q) => q.tech))].sort(compareStrings))}), but none has a producer or consumer in the repository's code.`,
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

export function platformHeadline(model: Model): Headline | undefined {
  const comps = new Map(model.components.map((c) => [c.id, c]));
  const platforms = new Map<string, { units: Set<string>; evidence: Evidence[] }>();
  const note = (name: string, unit: string | undefined, evidence: Evidence[]) => {
    let p = platforms.get(name);
    if (!p) platforms.set(name, (p = { units: new Set(), evidence: [] }));
    if (unit) p.units.add(unit);
    p.evidence.push(...evidence.slice(0, 1));
  };
  const ownUnit = (component: string | undefined, name: string): string | undefined => {
    const c = component ? comps.get(component) : undefined;
    if (c && notSystemPath(c.path)) return undefined;
    return c ? c.id : undefined;
  };
  for (const w of model.deployment.workloads) {
    if (typeof w.details?.platform === 'string') note(w.details.platform, ownUnit(w.component, w.name) ?? `${w.details.platform}:${w.name}`, w.evidence);
    else if (CONTAINER_WORKLOADS.has(w.kind) || /helm/i.test(w.kind)) note('Kubernetes', ownUnit(w.component, w.name), w.evidence);
    else if (/lambda/i.test(w.kind)) note('AWS Lambda (serverless)', ownUnit(w.component, w.name) ?? `function:${w.name}`, w.evidence);
  }
  for (const i of model.infrastructure) {
    if (/^(Deployment|StatefulSet|DaemonSet|CronJob|Job)$|helm/i.test(i.type) || /^(kubernetes_|helm_release$)/.test(i.type)) note('Kubernetes', undefined, i.evidence);
    else if (/^aws_ecs_(service|task_definition)$/.test(i.type)) note('AWS ECS', i.name, i.evidence);
    else if (i.type === 'aws_lambda_function') note('AWS Lambda (serverless)', `function:${i.name.slice(i.name.lastIndexOf('.') + 1)}`, i.evidence);
    else if (/^(google_cloud_run|azurerm_(linux_)?web_app|azurerm_app_service)/.test(i.type)) note('Managed container platform', i.name, i.evidence);
  }
  if (platforms.size === 0) {
    // No manifest names the platform: the CI jobs that deploy with a platform's own CLI do.
    const ci = ciDeployTargets(model);
    if (ci.size > 0) {
      const ranked = [...ci.entries()].sort((a, b) => b[1].jobs.size - a[1].jobs.size || compareStrings(a[0], b[0]));
      const counts = ranked.map(([n, e]) => `${n}: deployed by ${plural(e.jobs.size, 'CI job')} (${[...new Set(e.commands)].sort(compareStrings).slice(0, 2).join('; ')})`);
      const top = ranked[0]![1].jobs.size;
      const tied = ranked.filter(([, e]) => e.jobs.size === top);
      if (tied.length > 1) {
        return {
          decision: 'Undetermined',
          context: `No deployment manifest names a platform, and the CI deploys to ${list(tied.map(([n]) => n))} with as many jobs each; nothing says which is the production platform.`,
          evidence: tied.flatMap(([, e]) => sortedEvidence(e.evidence).slice(0, 2)),
          details: { counts },
        };
      }
      return {
        decision: ranked[0]![0],
        context: `No deployment manifest names a platform; the CI deploys with ${ranked[0]![0]}'s own command line or action${ranked.length > 1 ? `; also found: ${list(ranked.slice(1).map(([n, e]) => `${n} (${plural(e.jobs.size, 'job')})`))}` : ''}.`,
        evidence: sortedEvidence(ranked[0]![1].evidence).slice(0, 4),
        details: { counts },
      };
    }
  }
  // A function component no platform claims: the Lambda rule of before (handlers with no deployment file).
  const claimed = new Set([...platforms.values()].flatMap((p) => [...p.units]));
  for (const c of model.components) if (c.kind === 'function' && !notSystemPath(c.path) && !claimed.has(c.id)) note('AWS Lambda (serverless)', c.id, c.evidence);
  if (platforms.size === 0) {
    // Compose is the platform only where it runs the repository's own code (a service built from it).
    const composeBuilt = model.deployment.workloads.filter((w) => w.kind === 'compose service' && w.details?.build !== undefined);
    for (const w of composeBuilt) note('Docker Compose', w.component ?? w.name, w.evidence);
  }
  if (platforms.size === 0) {
    // An image built from a Dockerfile says how the code is packaged, not where it runs.
    const images = model.deployment.containers.filter((c) => c.details?.source !== 'compose' && !c.evidence.some((e) => devEnvironment(e.file)));
    if (images.length === 0) return undefined;
    return {
      decision: 'Undetermined',
      context: `${images.length === 1 ? 'An image is built from a Dockerfile' : `${images.length} images are built from Dockerfiles`}, but nothing in the repository says where ${images.length === 1 ? 'it runs' : 'they run'}: no orchestrator, cloud function, platform manifest or container service, and no compose service built from the repository.`,
      evidence: firstEvidence(images),
      details: { counts: [plural(images.length, 'image') + ' built, none run by a platform'] },
    };
  }
  const ranked = [...platforms.entries()].sort((a, b) => b[1].units.size - a[1].units.size || compareStrings(a[0], b[0]));
  const counts = ranked.map(([name, p]) => `${name}: ${plural(p.units.size, 'deployable unit')}`);
  const details: Details = { counts };
  const top = ranked[0]![1].units.size;
  const tied = ranked.filter(([, p]) => p.units.size === top);
  if (tied.length > 1 && top > 0) {
    return {
      decision: 'Undetermined',
      context: `The deployment is split: ${list(tied.map(([n]) => n))} each run ${plural(top, 'deployable unit')} of the repository; nothing says which is the production platform.`,
      evidence: tied.flatMap(([, p]) => sortedEvidence(p.evidence).slice(0, 2)),
      details,
    };
  }
  const chosen = top > 0 ? [ranked[0]!] : ranked;
  return {
    decision: list(chosen.map(([n]) => n)),
    context:
      ranked.length === 1 || top === 0
        ? `Deployment configuration names ${list(chosen.map(([n]) => n))}.`
        : `${ranked[0]![0]} runs the most deployable units of the repository (${top}); also found: ${list(ranked.slice(1).map(([n, p]) => `${n} (${p.units.size})`))}.`,
    evidence: chosen.flatMap(([, p]) => sortedEvidence(p.evidence).slice(0, 4)),
    details,
  };
}

// ---------------------------------------------------------------------------------------------
// API style and authentication

const PROTOCOL_NAMES: Record<string, string> = { http: 'REST over HTTP', graphql: 'GraphQL', grpc: 'gRPC', websocket: 'WebSockets', rpc: 'remote calls (NestJS microservices)' };

/** API style: every protocol the endpoints use, most endpoints first. */
export function apiStyleHeadline(model: Model): Headline | undefined {
  const counts = new Map<string, number>();
  for (const e of model.endpoints) counts.set(e.protocol, (counts.get(e.protocol) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]));
  const name = (p: string) => PROTOCOL_NAMES[p] ?? p;
  return {
    decision: list(ranked.map(([p]) => name(p))),
    context: `Endpoints by protocol: ${ranked.map(([p, n]) => `${n} ${name(p)}`).join(', ')}.`,
    evidence: firstEvidence(model.endpoints),
    details: { counts: ranked.map(([p, n]) => `${name(p)}: ${plural(n, 'endpoint')}`), endpoints: model.endpoints.length },
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
  const all = model.security.filter((s) => s.category === 'authentication' && !/^security:auth-(route|flow)/.test(s.id));
  const auth = all.filter((a) => a.evidence.some((e) => !nonProductionFile(e.file)));
  if (auth.length === 0) return undefined;
  const names = [...new Set(auth.map((a) => a.tech ?? a.name))];
  const counts = names.map((n) => `${n}: ${plural(auth.filter((a) => (a.tech ?? a.name) === n).reduce((k, a) => k + a.evidence.filter((e) => !nonProductionFile(e.file)).length, 0), 'place')} in production code`);
  if (all.length > auth.length) counts.push(`set aside (tests, examples): ${list(all.filter((a) => !auth.includes(a)).map((a) => a.tech ?? a.name))}`);
  return {
    decision: list(names),
    context: `${plural(auth.length, 'authentication mechanism')} found in production code and configuration.`,
    evidence: firstEvidence(auth),
    details: { counts, mechanisms: auth.length },
  };
}
