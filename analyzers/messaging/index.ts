/**
 * messaging: queues, topics, exchanges and event channels with the components that produce to
 * and consume them (BullMQ/Bull incl. NestJS, kafkajs, NestJS microservices, amqplib and
 * @golevelup/nestjs-rabbitmq, AWS SQS/SNS/EventBridge/Kinesis, Google Pub/Sub, NATS, Redis
 * pub/sub and streams, in-process event buses). Names are resolved statically across files and
 * workspace packages; a channel with only one end in the repository is kept and says so.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { joinQueuesByEnvVar } from './join.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Evidence, Model, Queue } from '../../src/model/schema.js';
import { Detector, TECH_PACKAGES, type Site, type TechContext } from './detect.js';
import { definitionSites, topicMatches } from './definitions.js';
import { listQueueSites, otherLanguageListUses, OTHER_LANGUAGES, type ListUse } from './redis-lists.js';
import { isTest, Resolver, type Loc, type Ref } from './resolve.js';
import { ConfigValues } from './config-values.js';
import { ChannelNames } from './names.js';
import { IndexRules } from './rules.js';
import { Evaluator } from '../../src/analysis/evaluate.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { idOf } from '../../src/model/ids.js';

/** Cheap text test before a file is parsed: only files mentioning some messaging vocabulary. */
const PREFILTER =
  /bull|Queue|Worker|Processor|topic|amqp|Exchange|Command\(|QueueUrl|TopicArn|Entries|pubsub|PubSub|nats|publish|subscribe|\.emit\(|\.on\(|\.once\(|Pattern\(|OnEvent|EventsHandler|eventBus|xadd|xread|Rabbit|sqs-|\.add(Bulk)?\(|\.process\(|\.send\(|Publisher|Listener|Consumer|Producer|Subscriber|[lr]push|[bl]r?pop|brpoplpush|blmove/;

const MESSAGING_PACKAGES = [
  'bullmq',
  'bull',
  '@nestjs/bullmq',
  '@nestjs/bull',
  'kafkajs',
  '@nestjs/microservices',
  'amqplib',
  'amqp-connection-manager',
  '@golevelup/nestjs-rabbitmq',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-eventbridge',
  '@aws-sdk/client-kinesis',
  'aws-sdk',
  'sqs-consumer',
  'sqs-producer',
  '@google-cloud/pubsub',
  'nats',
  'ioredis',
  'redis',
  '@nestjs/event-emitter',
  '@nestjs/cqrs',
  'eventemitter2',
  'eventemitter3',
  'events',
  'groupmq',
  'node-nats-streaming',
  'rascal',
  'amqp-ts',
  'node-rdkafka',
  '@confluentinc/kafka-javascript',
];

function siteKey(s: Site): string {
  return `${s.at.file}:${s.at.line}`;
}

function idFor(s: Site): string {
  if (s.inProcess) return idOf.eventChannel(s.channel);
  if (s.envOnly && s.env) return idOf.envQueue(s.env);
  return idOf.queue(s.channel);
}

export default defineAnalyzer({
  meta: {
    name: 'messaging',
    holdsTrees: true,
    description: 'Queues, topics and event channels with their producers and consumers (BullMQ, Kafka, RabbitMQ, SQS/SNS, Pub/Sub, NATS, Redis, event buses)',
    produces: ['queues'],
    consumes: ['components', 'queues', 'components.settled'],
    provides: ['queues.joined'],
    amends: ['queues'],
  },
  applies: (ctx) =>
    (ctx.typescriptFiles().length > 0 && (MESSAGING_PACKAGES.some((p) => ctx.dependsOn(p)) || !ctx.workspace.packages.some((p) => p.manifestFile))) ||
    // Redis list queues in other languages, and broker definitions files, need no TypeScript.
    ctx.files.some((f) => OTHER_LANGUAGES.some((e) => f.endsWith(e))),
  // Every script is indexed in the run's file pass (names are resolved across all of them); the
  // rules run in `finish`, on the indexes (rules.ts) and, for the technologies not yet moved to the
  // engine, on the trees of the files that mention messaging (detect.ts).
  scan(ctx) {
    const indexes = new Map<string, FileIndex>();
    return {
      wants: () => true,
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () => analyse(ctx, indexes),
    };
  },
  // Queues the code knows only by the variable carrying their URL join the infrastructure's queue.
  link(model, ctx) {
    joinQueuesByEnvVar(model);
    endsToDeployables(model);
    ctx.provide('queues.joined', model.queues);
  },
});

function analyse(ctx: AnalyzerContext, indexes: Map<string, FileIndex>): void {
  const config = new ConfigValues(ctx);
  const resolver = new Resolver(ctx, config);
  const transports = transportsOf(ctx);
  const detector = new Detector(resolver, transports, contextOf(ctx, resolver));
  const resolveImport = (from: string, spec: string) => ctx.resolveImport(from, spec);
  const rules = new IndexRules(new ChannelNames(new Evaluator(indexes, resolveImport), resolveImport, config), resolveImport, transports);
  const sites: Site[] = [];
  const subscriptions = new Map<string, string>();
  const unresolved: { file: string; line: number; what: string; labelled?: string }[] = [];
  const lists: ListUse[] = [];
  for (const file of ctx.typescriptFiles()) {
    if (isTest(file)) continue;
    const text = ctx.read(file);
    if (!text || !PREFILTER.test(text)) continue;
    const sf = resolver.sourceFile(file);
    if (!sf) continue;
    const facts = detector.detect(file, sf);
    const idx = indexes.get(file);
    if (idx) rules.detect(file, idx, facts);
    sites.push(...facts.sites);
    for (const [k, v] of facts.subscriptions) if (!subscriptions.has(k)) subscriptions.set(k, v);
    for (const u of facts.unresolved) unresolved.push({ file, ...u });
    lists.push(...facts.lists);
  }
  warnUnresolved(ctx, unresolved);
  // Declared topology and Redis list queues (some in other languages) need no wrapper promotion.
  const all = [...promote(ctx, resolver, sites), ...definitionSites(ctx), ...listQueueSites([...lists, ...otherLanguageListUses(ctx)])];
  for (const q of toQueues(ctx, all, subscriptions)) ctx.emit('queues', q);
  // As in the endpoints analyzer: the resolver may outlive the run for a moment, its trees must not.
  resolver.forget();
}

/**
 * Components the workspace's link phase adds for deployable folders (a Python or C# service with
 * its Dockerfile) did not exist while sites were read: a queue's ends are recomputed from its
 * producer and consumer sites, each owned by the component with the longest path holding its
 * file. Producers routed through an exchange's bindings stay.
 */
function endsToDeployables(model: Model): void {
  const comps = [...model.components].sort((a, b) => b.path.length - a.path.length || compareStrings(a.id, b.id));
  const owner = (site: string): string | undefined => {
    const file = site.slice(0, site.lastIndexOf(':'));
    return comps.find((c) => c.path === '.' || file === c.path || file.startsWith(c.path + '/'))?.id;
  };
  for (const q of model.queues) {
    const ps = q.details?.producerSites;
    const cs = q.details?.consumerSites;
    if (!Array.isArray(ps) || !Array.isArray(cs)) continue;
    const routed = (q.details!.routedProducers as string[] | undefined) ?? [];
    const p = sortedUnique([...(ps as string[]).flatMap((s) => owner(s) ?? []), ...routed]);
    const c = sortedUnique((cs as string[]).flatMap((s) => owner(s) ?? []));
    if (p.length >= q.producers.length) q.producers = p;
    if (c.length >= q.consumers.length) q.consumers = c;
  }
}

/**
 * One warning per file for names that could not be resolved statically, at the first such line:
 * how many sites, their lines, and whether their edges are kept under the expression as label.
 */
function warnUnresolved(ctx: AnalyzerContext, list: { file: string; line: number; what: string; labelled?: string }[]): void {
  const byFile = new Map<string, typeof list>();
  for (const u of list) {
    if (!byFile.has(u.file)) byFile.set(u.file, []);
    byFile.get(u.file)!.push(u);
  }
  for (const [file, us] of [...byFile].sort((a, b) => compareStrings(a[0], b[0]))) {
    us.sort((a, b) => a.line - b.line);
    const lines = sortedUnique(us.map((u) => String(u.line))).sort((a, b) => Number(a) - Number(b));
    const labelled = sortedUnique(us.flatMap((u) => (u.labelled ? [u.labelled] : [])));
    const dropped = us.filter((u) => !u.labelled).length;
    const parts: string[] = [];
    if (labelled.length)
      parts.push(
        `${labelled.length === 1 ? 'its edge is' : 'their edges are'} kept under the expression that names ${labelled.length === 1 ? 'it' : 'them'} (${labelled.join(', ')})`,
      );
    if (dropped) parts.push(`${dropped} missing from the message-flow map`);
    const what = sortedUnique(us.map((u) => u.what)).join(', ');
    ctx.warn(
      file,
      us[0]!.line,
      `messaging: ${us.length === 1 ? 'a channel name' : `${us.length} channel names`} (${what}) could not be resolved statically (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}); ${parts.join('; ')}`,
    );
  }
}

/**
 * Wrapper classes: when a producer or consumer site sits in a class of one package (a shared
 * `OrdersQueueService` in a library) and other packages inject, construct or extend that class,
 * those packages are the real producers/consumers. The site keeps its evidence; the users'
 * lines are added. Followed through at most two levels of wrappers within the same package.
 */
function promote(ctx: AnalyzerContext, r: Resolver, sites: Site[]): Site[] {
  const out: Site[] = [];
  const cache = new Map<string, Loc[]>();
  const added = new Map<string, boolean>();
  /** Whether `file` adds, sends or publishes something through the member named `name`. */
  const addsThrough = (file: string, name: string): boolean => {
    const key = `${file}\u0000${name}`;
    let hit = added.get(key);
    if (hit === undefined) {
      const re = new RegExp(`\\b${name}\\??\\.(add|send|publish|emit|enqueue|push|produce|dispatch|schedule|trigger)\\w*\\(`);
      added.set(key, (hit = re.test(ctx.read(file) ?? '')));
    }
    return hit;
  };
  // The class a use refers to, resolved once per use: `undefined` when it cannot be resolved.
  const declOfUse = new Map<Ref, { file: string; cls?: string } | null>();
  const refersTo = (use: Ref, file: string, cls: string): boolean => {
    let d = declOfUse.get(use);
    if (d === undefined) declOfUse.set(use, (d = declaredClass(r, use)));
    return d === null || (d.file === file && d.cls === cls);
  };
  const usersOf = (file: string, line: number, depth: number, role: Site['role']): Loc[] => {
    const cls = r.classAt(file, line);
    if (!cls) return [];
    const key = `${file}#${cls}#${role}`;
    const hit = cache.get(key);
    if (hit) return hit;
    cache.set(key, []);
    const own = ctx.componentOf(file);
    const found: Loc[] = [];
    const seen = new Set<string>();
    for (const use of r.usesOf(cls)) {
      // Only where the class is actually imported from its own module (not a same-named class):
      // checked first, as a monorepo's packages often each have a class of the same name.
      if (!refersTo(use, file, cls)) continue;
      const loc = r.loc(use);
      // An injected producer wrapper produces only where something is added through it
      // (a health check that injects it to count jobs does not).
      if (role === 'producer' && depth === 0 && (ts.isParameter(use.node) || ts.isPropertyDeclaration(use.node)) && ts.isIdentifier(use.node.name)) {
        if (!addsThrough(use.file, use.node.name.text)) continue;
      }
      const comp = ctx.componentOf(use.file);
      if (comp === own) {
        if (depth < 2 && use.file !== file) for (const l of usersOf(loc.file, loc.line, depth + 1, role)) found.push(l);
        continue;
      }
      if (!comp || seen.has(comp)) continue;
      seen.add(comp);
      found.push(loc);
    }
    cache.set(key, found);
    return found;
  };
  for (const s of sites) {
    if (s.role === 'declared' || s.inProcess) {
      out.push(s);
      continue;
    }
    const origin = s.via[s.via.length - 1] ?? s.at;
    const users = usersOf(origin.file, origin.line, 0, s.role);
    if (users.length === 0) out.push(s);
    else for (const u of users) out.push({ ...s, via: [...s.via, u] });
  }
  return out;
}

/**
 * The class a use found by name (`private users: UserService`, `new UserService()`, `extends
 * UserService`) refers to: its file and name, so that another class of the same name (a front
 * end's own `UserService`) is not taken for it. Null when the name cannot be resolved: such a use
 * is given the benefit of the doubt.
 */
function declaredClass(r: Resolver, use: Ref): { file: string; cls?: string } | null {
  const n = use.node;
  let id: ts.Node | undefined;
  if ((ts.isParameter(n) || ts.isPropertyDeclaration(n)) && n.type && ts.isTypeReferenceNode(n.type)) id = n.type.typeName;
  else if (ts.isNewExpression(n)) id = n.expression;
  else if (ts.isClassLike(n)) id = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!id || !ts.isIdentifier(id)) return null;
  const decl = r.lookup(id, use.file);
  if (!decl) return null;
  return { file: decl.file, ...(ts.isClassDeclaration(decl.node) && decl.node.name ? { cls: decl.node.name.text } : {}) };
}

/** NestJS microservice transports (Transport.KAFKA, Transport.RMQ…) configured per component. */
function transportsOf(ctx: AnalyzerContext): (file: string) => string[] {
  let byComponent: Map<string, Set<string>> | undefined;
  return (file) => {
    if (!byComponent) {
      byComponent = new Map();
      for (const f of ctx.typescriptFiles()) {
        if (isTest(f)) continue;
        const text = ctx.read(f);
        if (!text || !text.includes('Transport.')) continue;
        const comp = ctx.componentOf(f) ?? '.';
        for (const m of text.matchAll(/Transport\.([A-Z_]+)/g)) {
          if (!byComponent.has(comp)) byComponent.set(comp, new Set());
          byComponent.get(comp)!.add(m[1]!);
        }
      }
    }
    const own = byComponent.get(ctx.componentOf(file) ?? '.');
    if (own?.size) return [...own].sort(compareStrings);
    // Transport configured in a shared library (one helper every service calls): the repository's only one.
    const all = new Set([...byComponent.values()].flatMap((s) => [...s]));
    return all.size === 1 ? [...all] : [];
  };
}

/** Which broker families a file may talk to: what it imports, else what its package or the root depends on. */
function contextOf(ctx: AnalyzerContext, r: Resolver): (file: string) => TechContext {
  const root = ctx.workspace.packages.find((p) => p.path === '.');
  const rootDeps = new Set(
    Object.keys({ ...(ctx.workspace.rootManifest?.dependencies as object), ...(ctx.workspace.rootManifest?.devDependencies as object) }),
  );
  return (file) => {
    const imports = new Set([...(r.module(file)?.imports.values() ?? [])].map((i) => i.spec));
    const pkg = ctx.packageOf(file);
    const out: TechContext = [];
    for (const [k, list] of Object.entries(TECH_PACKAGES) as [keyof typeof TECH_PACKAGES, readonly string[]][]) {
      if (list.some((p) => imports.has(p))) out.push(k);
    }
    if (out.length) return out;
    for (const [k, list] of Object.entries(TECH_PACKAGES) as [keyof typeof TECH_PACKAGES, readonly string[]][]) {
      if (list.some((p) => pkg?.dependencies.has(p) || root?.dependencies.has(p) || rootDeps.has(p))) out.push(k);
    }
    return out;
  };
}

/** Sites → queue facts: one per channel id; in-process events only when they cross modules. */
export function toQueues(ctx: Pick<AnalyzerContext, 'componentOf'>, all: Site[], subscriptions: Map<string, string>): Queue[] {
  const sites = all.map((s) =>
    s.kind === 'subscription' && subscriptions.has(s.channel) ? { ...s, channel: subscriptions.get(s.channel)!, kind: 'topic' } : s,
  );
  sites.sort((a, b) => compareStrings(siteKey(a), siteKey(b)) || compareStrings(idFor(a), idFor(b)) || compareStrings(a.role, b.role));
  const groups = new Map<string, Site[]>();
  for (const s of sites) {
    const id = idFor(s);
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(s);
  }
  const out: Queue[] = [];
  for (const [id, list] of [...groups].sort((a, b) => compareStrings(a[0], b[0]))) {
    const producers = list.filter((s) => s.role === 'producer');
    const consumers = list.filter((s) => s.role === 'consumer');
    if (list[0]!.inProcess) {
      // An application event bus only: emitted in one module and handled in another.
      const pf = new Set(producers.map((s) => origin(s).file));
      if (!consumers.some((c) => [...pf].some((f) => f !== origin(c).file))) continue;
    }
    const comps = (l: Site[]) => sortedUnique(l.flatMap((s) => ctx.componentOf(origin(s).file) ?? []));
    const where = (l: Site[]) => sortedEvidence(l.map(origin)).map((e) => `${e.file}:${e.line}`);
    const evidence: Evidence[] = [];
    for (const s of list) evidence.push(s.at, ...s.via, ...(s.configAt ? [s.configAt] : []));
    const techs = sortedUnique(list.map((s) => s.tech));
    const kinds = sortedUnique(list.map((s) => s.kind));
    const first = list[0]!;
    const details: NonNullable<Queue['details']> = {
      kind: kinds.includes('exchange') ? 'exchange' : kinds[0]!,
      sources: sources(list),
      producerSites: where(producers),
      consumerSites: where(consumers),
    };
    const declared = list.filter((s) => s.role === 'declared');
    if (declared.length) details.declaredAt = where(declared);
    const envs = sortedUnique(list.flatMap((s) => (s.env ? [s.env] : [])));
    if (envs.length) details.envVars = envs;
    const bindings = sortedUnique(list.flatMap((s) => (s.binding ? [s.binding] : [])));
    if (bindings.length) details.bindings = bindings;
    if (techs.length > 1) details.technologies = techs;
    if (list.every((s) => s.unresolved)) details.nameUnresolved = true;
    const configured = sortedEvidence(list.flatMap((s) => (s.configAt ? [s.configAt] : []))).map((e) => `${e.file}:${e.line}`);
    if (configured.length) details.nameFrom = configured;

    const q: Queue = {
      id,
      name: first.envOnly && first.env ? first.env : first.channel,
      tech: pickTech(techs),
      producers: comps(producers),
      consumers: comps(consumers),
      evidence,
      details,
    };
    const messages = sortedUnique(list.flatMap((s) => (s.message ? [s.message] : [])));
    if (messages.length) q.messages = messages;
    out.push(q);
  }
  linkExchanges(out, groups, (s) => ctx.componentOf(origin(s).file));
  return out;
}

function origin(s: Site) {
  return s.via[s.via.length - 1] ?? s.at;
}

/**
 * RabbitMQ exchanges reach consumers through bound queues: record `drainedBy` (bound queues)
 * on the exchange and `fedBy` (exchanges) on the queue, so neither is reported as one-ended.
 * A bound queue's producers are the exchange's publishers whose routing key matches the binding
 * (AMQP topic matching; every publisher for `#` or a fanout exchange); a publisher whose key is
 * unknown is credited only through `#` or fanout. Such queues list them in `details.routedProducers`.
 */
function linkExchanges(queues: Queue[], groups: Map<string, Site[]>, componentOf: (s: Site) => string | undefined): void {
  const byName = new Map(queues.filter((q) => q.details?.kind !== 'exchange').map((q) => [q.name, q]));
  for (const ex of queues) {
    if (ex.details?.kind !== 'exchange') continue;
    const sites = groups.get(ex.id) ?? [];
    const fanout = sites.some((s) => s.fanout);
    const publishers = sites.filter((s) => s.role === 'producer');
    const bound: string[] = [];
    for (const b of (ex.details.bindings as string[] | undefined) ?? []) {
      const cut = b.lastIndexOf(' → ');
      const key = b.slice(0, cut);
      const queueName = b.slice(cut + 3);
      const q = byName.get(queueName);
      if (!q) continue;
      bound.push(q.id);
      q.details!.fedBy = sortedUnique([...((q.details!.fedBy as string[] | undefined) ?? []), ex.id]);
      const routed = publishers
        .filter((p) => fanout || key === '#' || (p.message !== undefined && topicMatches(key, p.message)))
        .flatMap((p) => componentOf(p) ?? []);
      const extra = routed.filter((c) => !q.producers.includes(c));
      if (extra.length) {
        q.producers = sortedUnique([...q.producers, ...extra]);
        q.details!.routedProducers = sortedUnique([...((q.details!.routedProducers as string[] | undefined) ?? []), ...extra]);
      }
    }
    if (bound.length) ex.details.drainedBy = sortedUnique(bound);
  }
}

/** Where a channel is known from: the code, a broker definitions file, or both. */
function sources(list: Site[]): string[] {
  const out: string[] = [];
  if (list.some((s) => !s.definitions)) out.push('code');
  if (list.some((s) => s.definitions)) out.push('rabbitmq-definitions');
  return out;
}

/** BullMQ over Bull when both appear (a NestJS wrapper next to the raw library); else the first. */
function pickTech(techs: string[]): string {
  for (const t of ['BullMQ', 'Kafka', 'RabbitMQ', 'Amazon SQS']) if (techs.includes(t)) return t;
  return techs.find((t) => t !== 'NestJS microservices') ?? techs[0]!;
}
