/**
 * The Key design decisions section: each decision with the sentences that say why — its context
 * and the numbers the rule used — built from the typed `basis` the decisions analyzer records
 * (which rule fired, the counts it used). The analyzer writes no sentence; the wording is here.
 */
import type { Decision, DecisionBasis } from '../model/schema.js';
import type { Model } from '../model/schema.js';
import { listPhrase } from './view-coverage.js';

export type DecisionRow = Decision & {
  /** Why the code shows this: one or two sentences. */
  context: string;
  /** The numbers the rule used, one line each (empty when the context says them all). */
  counts: string[];
};

export interface DecisionsView {
  /** The headline decisions (architecture style, primary database …), by id. */
  detected: DecisionRow[];
  /** Each component's internal pattern. */
  patterns: DecisionRow[];
}

/** "a", "a and b", "a, b and c", each name once. */
const list = (names: string[]): string => listPhrase([...new Set(names)]);
const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;
const is = (n: number) => (n === 1 ? 'is' : 'are');
const names = (xs: { name: string }[]) => xs.map((x) => x.name);
const total = (xs: { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);
const at = (e: { file: string; line: number }) => `${e.file}:${e.line}`;

type Basis<R extends DecisionBasis['rule']> = Extract<DecisionBasis, { rule: R }>;
type Said = { context: string; counts: string[] };

function architectureStyle(b: Basis<'architecture-style'>): Said {
  const s = b.servers.length;
  const f = b.functions;
  const counts = [
    `${plural(s, 'long-running deployable unit')}${s ? ` (${s > 8 ? `${b.servers.slice(0, 8).join(', ')}, …` : list(b.servers)})` : ''}`,
    plural(f, 'function'),
    `${plural(b.channels, 'message channel')} with a producer or consumer in the code`,
  ];
  const mods = b.modules ?? [];
  if (b.outcome === 'modular-monolith') counts.push(`${plural(mods.length, 'module')} with their own layers: ${list(mods)}`);
  const quiet = b.quiet ?? [];
  const sites = b.sites ?? [];
  if (quiet.length) counts.push(`not counted, serving no endpoint and reaching no data store or channel, beside units that do: ${list(quiet)}`);
  if (sites.length) counts.push(`not counted, front ends a hosting platform runs with no endpoint, data store or channel of their own: ${list(sites)}`);
  const processes = b.processes ?? [];
  if (processes.length)
    counts.push(
      `not counted as services, workers that share a server's data model and database (its background processes): ${list(processes.map((p) => `${p.process} (of ${p.of}, over ${p.model})`))}`,
    );
  const hosts = b.hosts ?? [];
  if (hosts.length)
    counts.push(
      `not counted as services, apps that serve only endpoints another serves from the same shared code (other hosts of that API): ${list(hosts.map((h) => `${h.host} (as ${h.of}, from ${h.from})`))}`,
    );
  const hostNote = hosts.length
    ? `; ${list(hosts.map((h) => h.host))} ${hosts.length === 1 ? 'serves' : 'serve'} the same API from ${list([...new Set(hosts.map((h) => h.from))])}: another host of it, not another service`
    : '';
  const processNote = processes.length
    ? `, with its background ${processes.length === 1 ? 'process' : 'processes'} ${list(processes.map((p) => p.process))}, which ${processes.length === 1 ? 'shares' : 'share'} its data model (${list([...new Set(processes.map((p) => p.model))])}) and database`
    : '';
  const quietNote = quiet.length
    ? `; ${list(quiet)} beside it ${quiet.length === 1 ? 'serves' : 'serve'} no endpoint and ${quiet.length === 1 ? 'reaches' : 'reach'} no data store or channel: not counted as another service`
    : '';
  const context = {
    undetermined: () =>
      sites.length
        ? `No part of a running system was found: ${plural(b.components, 'component')} (${list(b.componentKinds)}); the front ${sites.length === 1 ? 'end' : 'ends'} a hosting platform runs (${list(sites)}) ${sites.length === 1 ? 'serves' : 'serve'} no endpoint and ${sites.length === 1 ? 'reaches' : 'reach'} no data store or channel.`
        : `No deployable unit was found: ${plural(b.components, 'component')} (${list(b.componentKinds)}), and no workload, function or compose service built from the repository runs ${b.components === 1 ? 'it' : 'them'}.`,
    serverless: () => `Every deployable unit is a function (${plural(f, 'function')}); no long-running process.`,
    'modular-monolith': () => `One deployable unit (${b.servers[0]}) holding ${plural(mods.length, 'module')}, each with its own layers.`,
    monolith: () =>
      `One long-running deployable unit (${b.servers[0]})${processNote}${f ? `, with ${plural(f, 'function')} beside it` : ''}${quietNote}${hostNote}.`,
    services: () => `${plural(s, 'independently deployable unit')}${f ? ` and ${plural(f, 'function')}` : ''}.`,
  }[b.outcome]();
  return { context, counts };
}

function primaryDatabase(b: Basis<'primary-database'>): Said {
  const counts = b.stores.map((s) => `${s.name}: ${plural(s.count, 'entity', 'entities')}`);
  // `Redis (cache or queue backend)`, `MinIO (object store)`: one bracket, no word twice.
  const why = (s: Basis<'primary-database'>['notCounted'][number]) => (s.cache ? 'cache or queue backend' : `${s.kind} store`);
  if (b.notCounted.length) counts.push(`not counted: ${list(b.notCounted.map((s) => `${s.name.replace(/ \([^()]{0,200}\)$/, '')} (${why(s)})`))}`);
  const top = b.stores[0]!;
  const tied = b.stores.filter((s) => s.count === top.count);
  const context = {
    'most-entities': () => `${top.name} holds the most entities: ${top.count} of ${b.attributed} attributed to a store.`,
    tie: () =>
      `Tie: ${list(names(tied))} each hold ${plural(top.count, 'entity', 'entities')}; ${tied.length === 2 ? 'both are' : `all ${tied.length} are`} named.`,
    provisioned: () =>
      `No entity is attributed to a store, and ${plural(b.stores.length, 'database')} are found (${list(names(b.stores))}); ${b.provisioned?.name} is the one the deployment provisions (${list(b.provisioned?.by ?? [])}).`,
    'only-database': () =>
      `No entity is attributed to a store; ${top.name} is the only database found${b.entities ? ` (${plural(b.entities, 'entity', 'entities')} without a store)` : ''}.`,
    undetermined: () =>
      b.attributed > 0
        ? `Each service has its own database (${list(names(b.stores.filter((s) => s.count > 0)))}, no service using two), and ${top.name} holds ${top.count} of the ${b.attributed} entities, less than two thirds: none is the primary database.`
        : `No entity is attributed to a store, and ${plural(b.stores.length, 'database')} are found (${list(names(b.stores))}): nothing says which holds the data.`,
    'unread-users': () =>
      `${plural(b.stores.length, 'database')} are found (${list(names(b.stores))}); no TypeScript or JavaScript code uses ${list(b.unread?.stores ?? [])}, and the services in ${list(b.unread?.languages ?? [])} that may are not read: the entity counts are partial, so none is named.`,
  }[b.outcome]();
  return { context, counts };
}

function messaging(b: Basis<'messaging'>): Said {
  const perTech = (xs: { name: string; count: number }[]) => xs.map((x) => `${x.name}: ${plural(x.count, 'channel')}`);
  const counts = perTech(b.channels);
  if (b.ownJobs.length) counts.push(`not counted, a component's own background jobs: ${perTech(b.ownJobs).join(', ')}`);
  if (b.declaredOnly.length) counts.push(`declared only, no producer or consumer in the code: ${perTech(b.declaredOnly).join(', ')}`);
  for (const i of b.imported) {
    counts.push(
      `${i.name}: imported by production code (${at(i.evidence)}), ${i.channelsRead ? 'but none of its channels was found' : 'but archdoc does not read its workflows or task queues'}`,
    );
  }
  if (b.broker) counts.push(`${b.broker.name}: broker image deployed (${at(b.broker.evidence)}); code in ${list(b.broker.languages)} not read`);
  const n = b.imported.length;
  const imported = list(names(b.imported));
  const context = {
    channels: () =>
      `${plural(total(b.channels), 'message channel')} with a producer or consumer in the repository's code, across ${list(names(b.channels))}${n ? `; ${imported} ${is(n)} also imported, with no channel read` : ''}.`,
    'imported-only': () =>
      `${imported} ${is(n)} imported by production code, but archdoc read none of ${n === 1 ? 'its' : 'their'} channels: the messaging inventory below is incomplete.`,
    broker: () =>
      `The deployment runs a ${b.broker?.name} broker, and no TypeScript or JavaScript code uses a channel of it; the services in ${list(b.broker?.languages ?? [])} that may use it are not read.`,
    'declared-only': () =>
      `${plural(total(b.declaredOnly), 'message channel')} declared (${list(names(b.declaredOnly))}), but none has a producer or consumer in the repository's code.`,
  }[b.outcome]();
  return { context, counts };
}

function deploymentPlatform(b: Basis<'deployment-platform'>): Said {
  if (b.outcome === 'ci' || b.outcome === 'ci-tie') {
    const counts = b.ci.map((c) => `${c.name}: deployed by ${plural(c.jobs, 'CI job')} (${c.commands.join('; ')})`);
    const [first, ...rest] = b.ci;
    const tied = b.ci.filter((c) => c.jobs === first!.jobs);
    const context =
      b.outcome === 'ci-tie'
        ? `No deployment manifest names a platform, and the CI deploys to ${list(names(tied))} with as many jobs each; nothing says which is the production platform.`
        : `No deployment manifest names a platform; the CI deploys with ${first!.name}'s own command line or action${rest.length ? `; also found: ${list(rest.map((c) => `${c.name} (${plural(c.jobs, 'job')})`))}` : ''}.`;
    return { context, counts };
  }
  if (b.outcome === 'environment' && b.environment) {
    const e = b.environment;
    return {
      context: `No deployment manifest, CI deploy or compose file says where the code runs, but it reads ${e.name}'s own environment variables (${list(e.variables)}), which ${e.name} sets in the deployments it runs: the code was written to run there.`,
      counts: [`${e.name}'s variables read in ${plural(e.files, 'production file')}`],
    };
  }
  if (b.outcome === 'images-unrun') {
    const one = b.images === 1;
    return {
      context: `The system is deployed as ${one ? 'the container image a Dockerfile builds' : `the ${b.images} container images its Dockerfiles build`}, but nothing in the repository says where ${one ? 'it runs' : 'they run'}: no orchestrator, cloud function, platform manifest or container service, and no compose service built from the repository.`,
      counts: [`${plural(b.images, 'image')} built, none run by a platform`],
    };
  }
  const counts = b.platforms.map((p) => `${p.name}: ${plural(p.count, 'deployable unit')}`);
  if (b.composeLocal)
    counts.push(`not counted, Docker Compose: ${plural(b.composeLocal, 'deployable unit')}, no more than the platform named runs: taken as the local run`);
  const [first, ...rest] = b.platforms;
  const top = first!.count;
  if (b.outcome === 'split') {
    const tied = b.platforms.filter((p) => p.count === top);
    return {
      context: `The deployment is split: ${list(names(tied))} each run ${plural(top, 'deployable unit')} of the repository; nothing says which is the production platform.`,
      counts,
    };
  }
  const context =
    rest.length === 0 || top === 0
      ? `Deployment configuration names ${list(names(top > 0 ? [first!] : b.platforms))}.`
      : `${first!.name} runs the most deployable units of the repository (${top}); also found: ${list(rest.map((p) => `${p.name} (${p.count})`))}.`;
  return { context, counts };
}

/** The context and numbers of a decision, from the rule that fired. */
export function decisionWords(basis: DecisionBasis | undefined): Said {
  if (!basis) return { context: '', counts: [] };
  switch (basis.rule) {
    case 'architecture-style':
      return architectureStyle(basis);
    case 'primary-database':
      return primaryDatabase(basis);
    case 'messaging':
      return messaging(basis);
    case 'deployment-platform':
      return deploymentPlatform(basis);
    case 'api-style':
      return {
        context: `Endpoints by protocol: ${basis.protocols.map((p) => `${p.count} ${p.name}`).join(', ')}.`,
        counts: basis.protocols.map((p) => `${p.name}: ${plural(p.count, 'endpoint')}`),
      };
    case 'authentication': {
      const counts = basis.mechanisms.map((m) => `${m.name}: ${plural(m.count, 'place')} in production code`);
      if (basis.setAside.length) counts.push(`set aside (tests, examples): ${list(basis.setAside)}`);
      return { context: `${plural(basis.facts, 'authentication mechanism')} found in production code and configuration.`, counts };
    }
    case 'orm':
      return { context: `Data-access libraries in the manifests: ${list(basis.libraries)}.`, counts: [] };
    case 'monorepo-tool':
      return { context: `${plural(basis.packages, 'package')} in one repository.`, counts: [] };
    case 'iac-tool':
      return { context: `Infrastructure definitions in the repository: ${list(basis.tools)}.`, counts: [] };
    case 'internal-pattern': {
      const folders = basis.folders.map((f) => `${f.name}/ (${plural(f.count, 'file')})`).join(', ');
      return {
        context: `Folders: ${folders}; ${plural(basis.imports, 'import')} between layers, ${plural(basis.breaches, 'against the pattern', 'against the pattern')}.`,
        counts: [],
      };
    }
  }
}

export function decisionsView(model: Model): DecisionsView {
  const rows = model.decisions.map((d): DecisionRow => ({ ...d, ...decisionWords(d.basis) }));
  return { detected: rows.filter((d) => d.topic !== 'internal-pattern'), patterns: rows.filter((d) => d.topic === 'internal-pattern') };
}
