/**
 * messaging: queues, topics, exchanges and event channels with the components that produce to
 * and consume them (BullMQ/Bull incl. NestJS, kafkajs, NestJS microservices, amqplib and
 * @golevelup/nestjs-rabbitmq, AWS SQS/SNS/EventBridge/Kinesis, Google Pub/Sub, NATS, Redis
 * pub/sub and streams, in-process event buses, Temporal task queues, pg-boss, Inngest, Agenda). Names are resolved statically across files and
 * workspace packages; a channel with only one end in the repository is kept and says so.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { joinQueuesByEnvVar } from './join.js';
import { joinQueuesByExport, linkDetailTypes, routeFiltered } from './topology.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { Evidence, Model, Queue } from '../../src/model/schema.js';
import { Detector, TECH_PACKAGES, type FileFacts, type Site, type TechContext } from './detect.js';
import { deadLetterSites, definitionSites, foldEntranceExchanges, topicMatches } from './definitions.js';
import { listQueueSites, otherLanguageListUses, OTHER_LANGUAGES, type ListUse } from './redis-lists.js';
import { isTest, type Loc } from './values.js';
import { ConfigValues } from './config-values.js';
import { ChannelNames } from './names.js';
import { EngineRules, packageUse } from './engines.js';
import { Evaluator, type Scope } from '../../src/analysis/evaluate.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import { idOf } from '../../src/model/ids.js';
import { runners, type Runners } from './runners.js';
import { NestRmq, patternDetails } from './nest-rmq.js';
import { Outbox } from './outbox.js';
import { foldTemplates } from './templates.js';
import { polyglotMessaging } from './polyglot/index.js';

/** Cheap text test before a file's index is read: only files mentioning some messaging vocabulary. */
const PREFILTER =
  /bull|Queue|Worker|Processor|topic|amqp|Exchange|Command\(|QueueUrl|TopicArn|Entries|pubsub|PubSub|nats|publish|subscribe|\.emit\(|\.on\(|\.once\(|Pattern\(|OnEvent|EventsHandler|eventBus|xadd|xread|Rabbit|sqs-|\.add(Bulk)?\(|\.process\(|\.send\(|Publisher|Listener|Consumer|Producer|Subscriber|[lr]push|[bl]r?pop|brpoplpush|blmove/;
/** The same for workflow engines and job queues (engines.ts), which read only scripts whose package uses them. */
const ENGINE_FILTER =
  /taskQueue|createFunction|\.send(Event)?\(|\.work\(|\.define\(|\.schedule\(|\.every\(|\.now\(|\.create\(|\.fetch\(|\.insert\(|\.createQueue\(|[tT]ask\(|[tT]rigger|[aA]ddJob\(|taskList|taskDirectory|createJob\(|\.process\(|bee-queue/;

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
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/workflow',
  'nestjs-temporal',
  'nestjs-temporal-core',
  'pg-boss',
  'inngest',
  'agenda',
  '@hokify/agenda',
  '@trigger.dev/sdk',
  'graphile-worker',
  'bee-queue',
];

/** Infrastructure-as-code libraries and files that declare queues, topics and buses (their analyzers emit them). */
const IAC_PACKAGES = ['aws-cdk-lib', '@pulumi/aws', 'sst', 'cdktf', '@cdktf/provider-aws'];
const IAC_FILE = /(^|\/)(serverless\.(ya?ml|ts|js|json)|template\.ya?ml)$|\.tf$/;

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
    description:
      'Queues, topics and event channels with their producers and consumers (BullMQ, Kafka, RabbitMQ, SQS/SNS, Pub/Sub, NATS, Redis, event buses, Temporal, pg-boss, Inngest, Agenda)',
    produces: ['queues'],
    consumes: ['components', 'queues', 'components.settled'],
    provides: ['queues.joined'],
    amends: ['queues'],
  },
  applies: (ctx) =>
    (ctx.typescriptFiles().length > 0 && (MESSAGING_PACKAGES.some((p) => ctx.dependsOn(p)) || !ctx.workspace.packages.some((p) => p.manifestFile))) ||
    // Redis list queues in other languages, and broker definitions files, need no TypeScript.
    ctx.files.some((f) => OTHER_LANGUAGES.some((e) => f.endsWith(e))) ||
    // Channels infrastructure code declares: the link phase carries their ends across delivery
    // links (a topic's consumers are those of the queues subscribed to it) even with no broker library.
    IAC_PACKAGES.some((p) => ctx.dependsOn(p)) ||
    ctx.files.some((f) => IAC_FILE.test(f)),
  // Every script is indexed in the run's file pass (names are resolved across all of them); the
  // rules run in `finish`, on the indexes of the files that mention messaging (rules.ts, detect.ts).
  scan(ctx) {
    // Kept for the link phase too, which follows imports from library code to what runs it.
    const indexes = keptIndexes(ctx);
    return {
      wants: () => true,
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () => analyse(ctx, indexes),
    };
  },
  // Queues the code knows only by the variable carrying their URL join the infrastructure's queue.
  link(model, ctx) {
    // A channel imported by export name first, so that the variables an import carried join it too.
    joinQueuesByExport(model);
    joinQueuesByEnvVar(model);
    linkDetailTypes(model.queues);
    endsToDeployables(model, ctx);
    ctx.provide('queues.joined', model.queues);
  },
});

function analyse(ctx: AnalyzerContext, indexes: Map<string, FileIndex>): void {
  const config = new ConfigValues(ctx, indexes);
  const transports = transportsOf(ctx);
  const resolveImport = (from: string, spec: string) => ctx.resolveImport(from, spec);
  const names = new ChannelNames(new Evaluator(indexes, resolveImport), resolveImport, config);
  const rmq = new NestRmq(names, ctx.typescriptFiles(), (f) => ctx.componentOf(f), transports);
  const detector = new Detector(names, resolveImport, transports, contextOf(ctx, indexes), rmq, new Outbox(names, (f) => ctx.componentOf(f)));
  const engines = new EngineRules(names, resolveImport, packageUse(ctx, indexes));
  const sites: Site[] = [];
  const subscriptions = new Map<string, string>();
  const unresolved: { file: string; line: number; what: string; labelled?: string }[] = [];
  const lists: ListUse[] = [];
  for (const file of ctx.typescriptFiles()) {
    if (isTest(file)) continue;
    const text = ctx.read(file);
    const idx = indexes.get(file);
    if (!text || !idx) continue;
    const facts: FileFacts = { sites: [], unresolved: [], subscriptions: new Map(), lists: [] };
    if (PREFILTER.test(text)) detector.detect(file, idx, facts);
    if (ENGINE_FILTER.test(text)) engines.detect(file, idx, facts);
    sites.push(...facts.sites);
    for (const [k, v] of facts.subscriptions) if (!subscriptions.has(k)) subscriptions.set(k, v);
    for (const u of facts.unresolved) unresolved.push({ file, ...u });
    lists.push(...facts.lists);
  }
  // Producers and consumers in Python, Java/Kotlin and Go (polyglot/), joined with these by channel name.
  const other = polyglotMessaging(ctx);
  unresolved.push(...other.unresolved);
  warnUnresolved(ctx, unresolved);
  // NestJS microservices listening on RabbitMQ queues, and the queues whose names stayed unknown.
  sites.push(...rmq.serverSites());
  for (const w of rmq.warnings) ctx.warn(w.file, w.line, w.message);
  // A BullMQ queue made in one place (a shared package's `new Queue`) and added to through that
  // object elsewhere: the adders are its producers; the place that made it only declares it.
  const addedThrough = new Set(sites.flatMap((s) => (s.through ? [s.through] : [])));
  sites.forEach((s, i) => {
    if (s.madeHere && addedThrough.has(siteKey(s))) sites[i] = { ...s, role: 'declared' };
  });
  // Declared topology and Redis list queues (some in other languages) need no wrapper promotion.
  // What consumers that reject messages leave on a queue declared with a dead-letter exchange goes there.
  const rejecting = rejectingComponents(names, (f) => ctx.componentOf(f));
  const all = foldEntranceExchanges(
    deadLetterSites(
      [...promote(ctx, names.ev, sites), ...definitionSites(ctx), ...other.sites, ...listQueueSites([...lists, ...otherLanguageListUses(ctx)])],
      (s) => rejecting.has(ctx.componentOf(origin(s).file) ?? ''),
    ),
  );
  for (const q of toQueues(ctx, all, subscriptions)) {
    engines.describe(q);
    ctx.emit('queues', q);
  }
}

/**
 * The components whose code rejects a message (`channel.nack(m, false, false)`, `channel.reject(m)`,
 * not `Promise.reject`): where the call is written, and the callers of a helper function that
 * makes it (a shared retry policy each service calls). Only their consumers make a queue's
 * dead-letter exchange a way out.
 */
function rejectingComponents(names: ChannelNames, componentOf: (file: string) => string | undefined): Set<string> {
  const out = new Set<string>();
  for (const { fn, call } of [...names.callsTo('nack'), ...names.callsTo('reject')]) {
    if (call.names.length === 0 || call.root === 'Promise') continue;
    for (const file of [fn.file, ...names.exactCalls(fn).map((c) => c.site.file)]) {
      const comp = componentOf(file);
      if (comp !== undefined) out.add(comp);
    }
  }
  return out;
}

/**
 * Components the workspace's link phase adds for deployable folders (a Python or C# service with
 * its Dockerfile) did not exist while sites were read: a queue's ends are recomputed from its
 * producer and consumer sites, each owned by the component with the longest path holding its
 * file. Producers routed through an exchange's bindings stay, and an exchange's
 * consumers are again those of its bound queues.
 */
function endsToDeployables(model: Model, ctx: AnalyzerContext): void {
  const comps = [...model.components].sort((a, b) => b.path.length - a.path.length || compareStrings(a.id, b.id));
  const component = (file: string) => comps.find((c) => c.path === '.' || file === c.path || file.startsWith(c.path + '/'));
  const owner = (site: string): string | undefined => component(site.slice(0, site.lastIndexOf(':')))?.id;
  const run = runners(keptIndexes(ctx), (from, spec) => ctx.resolveImport(from, spec), component);
  /** The library component holding a site, if a library holds it. */
  const library = (site: string): string | undefined => {
    const c = component(site.slice(0, site.lastIndexOf(':')));
    return c?.kind === 'library' ? c.id : undefined;
  };
  for (const q of model.queues) {
    const ps = q.details?.producerSites;
    const cs = q.details?.consumerSites;
    if (!Array.isArray(ps) || !Array.isArray(cs)) continue;
    let routed = (q.details!.routedProducers as string[] | undefined) ?? [];
    const routedSites = (q.details!.routedProducerSites as string[] | undefined) ?? [];
    if (routedSites.length) routed = q.details!.routedProducers = sortedUnique([...routed, ...routedSites.flatMap((s) => owner(s) ?? [])]);
    const p = sortedUnique([...(ps as string[]).flatMap((s) => owner(s) ?? []), ...routed]);
    const c = sortedUnique((cs as string[]).flatMap((s) => owner(s) ?? []));
    if (p.length >= q.producers.length) q.producers = p;
    if (c.length >= q.consumers.length) q.consumers = c;
    q.producers = ranBy(q, q.producers, ps as string[], library, run);
    q.consumers = ranBy(q, q.consumers, cs as string[], library, run);
  }
  routeEnds(model.queues, owner);
}

/** The script indexes of the run, kept from the file pass for the link phase. */
function keptIndexes(ctx: AnalyzerContext): Map<string, FileIndex> {
  return ctx.state(() => new Map<string, FileIndex>());
}

/**
 * A library that is an end only through sites in its own code gives way to the components that
 * run that code (runners.ts); the import each comes through is added as evidence. A library no
 * running component imports stays.
 */
function ranBy(q: Queue, ends: string[], sites: string[], library: (site: string) => string | undefined, run: Runners): string[] {
  const out = new Set(ends);
  const bySite = new Map<string, string[]>();
  for (const s of sites) {
    const o = library(s);
    if (o && ends.includes(o)) (bySite.get(o) ?? bySite.set(o, []).get(o)!).push(s);
  }
  for (const [lib, list] of bySite) {
    const found = new Map<string, Loc>();
    for (const s of list) for (const [c, at] of run.of(s)) if (!found.has(c)) found.set(c, at);
    if (found.size === 0) continue;
    out.delete(lib);
    for (const [c, at] of found) {
      out.add(c);
      if (!q.evidence.some((e) => e.file === at.file && e.line === at.line)) q.evidence.push(at);
    }
  }
  return sortedUnique([...out]);
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
function promote(ctx: AnalyzerContext, ev: Evaluator, sites: Site[]): Site[] {
  const out: Site[] = [];
  const cache = new Map<string, Loc[]>();
  const added = new Map<string, boolean>();
  const uses = classUses(ctx, ev);
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
  const usersOf = (file: string, line: number, depth: number, role: Site['role']): Loc[] => {
    const cls = classAt(ev, file, line);
    if (!cls) return [];
    const key = `${file}#${cls}#${role}`;
    const hit = cache.get(key);
    if (hit) return hit;
    cache.set(key, []);
    const own = ctx.componentOf(file);
    const found: Loc[] = [];
    const seen = new Set<string>();
    for (const use of uses(cls)) {
      // Only where the class is actually imported from its own module (not a same-named class):
      // checked first, as a monorepo's packages often each have a class of the same name.
      if (!refersTo(ev, use, file, cls)) continue;
      // An injected producer wrapper produces only where something is added through it
      // (a health check that injects it to count jobs does not).
      if (role === 'producer' && depth === 0 && use.holder !== undefined && !addsThrough(use.at.file, use.holder)) continue;
      const comp = ctx.componentOf(use.at.file);
      if (comp === own) {
        if (depth < 2 && use.at.file !== file) for (const l of usersOf(use.at.file, use.at.line, depth + 1, role)) found.push(l);
        continue;
      }
      if (!comp || seen.has(comp)) continue;
      seen.add(comp);
      found.push(use.at);
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
 * A use of a class by its name: a parameter or property typed with it (`holder`: its name), a
 * `new C(…)` or an `extends C`; `name` is the name to look up where it is written (in `scope`).
 */
interface ClassUse {
  at: Loc;
  scope: Scope;
  name: string;
  holder?: string;
}

/** Uses of a class at most, found in file order (as many as the file where the limit is passed holds). */
const MAX_USES = 240;

/** Where each class is used by name, in production files: parameters and properties typed with it, `new C(…)`, `extends C`. Made once per run, read per class. */
function classUses(ctx: AnalyzerContext, ev: Evaluator): (cls: string) => ClassUse[] {
  let byName: Map<string, ClassUse[]> | undefined;
  return (cls) => {
    if (!byName) {
      byName = new Map();
      const take = (name: string, use: ClassUse) => {
        const list = byName!.get(name) ?? byName!.set(name, []).get(name)!;
        if (list.length <= MAX_USES) list.push(use);
      };
      for (const file of ctx.typescriptFiles()) {
        const idx = ev.indexes.get(file);
        if (!idx || isTest(file)) continue;
        const found: [string, ClassUse][] = [];
        for (const c of idx.classes.values()) {
          if (c.extends && c.extends.names.length === 0) found.push([c.extends.root, { at: { file, line: c.line }, scope: { file }, name: c.extends.root }]);
          for (const [name, f] of c.fields) {
            // Constructor parameters are read with their function below.
            if (f.type && f.param === undefined) found.push([f.type, { at: { file, line: f.line }, scope: { file }, name: f.type, holder: name }]);
          }
        }
        for (const fn of idx.functions.values()) {
          const scope: Scope = { file, fn };
          const cls = fn.cls && fn.name === `${fn.cls}.constructor` ? idx.classes.get(fn.cls) : undefined;
          fn.paramNames.forEach((p, i) => {
            const type = p ? fn.params.get(p) : undefined;
            if (!type) return;
            // A parameter property (`private q: OrdersQueue`) is at its own line.
            const field = cls?.fields.get(p);
            const line = field && field.param === i ? field.line : fn.nameLine;
            found.push([type, { at: { file, line }, scope, name: type, holder: p }]);
          });
          for (const call of fn.calls)
            if (call.isNew && call.names.length === 0) found.push([call.root, { at: { file, line: call.line }, scope, name: call.root }]);
        }
        found.sort((a, b) => a[1].at.line - b[1].at.line);
        for (const [name, use] of found) take(name, use);
      }
    }
    return byName.get(cls) ?? [];
  };
}

/**
 * Whether a use found by name refers to the class `cls` of `file`, so that another class of the
 * same name (a front end's own `UserService`) is not taken for it. A name that resolves to nothing
 * in the repository (a package's, or unknown) is given the benefit of the doubt.
 */
function refersTo(ev: Evaluator, use: ClassUse, file: string, cls: string): boolean {
  const r = ev.ident(use.scope, use.name);
  if (!r || r.k === 'pkg') return true;
  return r.k === 'class' && r.file === file && r.name === cls;
}

/** Name of the top-level class whose body holds a line of a file (from its first line to the end of its last member). */
function classAt(ev: Evaluator, file: string, line: number): string | undefined {
  const idx = ev.indexes.get(file);
  if (!idx) return undefined;
  for (const c of idx.classes.values()) {
    if (c.name === '<class>' || c.name === '<default>' || line < c.line) continue;
    let end = c.line;
    for (const key of c.methods.values()) end = Math.max(end, ev.fns.get(key)?.endLine ?? end);
    const ctor = ev.fns.get(`${file}#${c.name}.constructor`);
    if (ctor) end = Math.max(end, ctor.endLine);
    for (const f of c.fields.values()) end = Math.max(end, f.line);
    if (line <= end) return c.name;
  }
  return undefined;
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
function contextOf(ctx: AnalyzerContext, indexes: Map<string, FileIndex>): (file: string) => TechContext {
  const root = ctx.workspace.packages.find((p) => p.path === '.');
  const rootDeps = new Set(
    Object.keys({ ...(ctx.workspace.rootManifest?.dependencies as object), ...(ctx.workspace.rootManifest?.devDependencies as object) }),
  );
  return (file) => {
    const imports = new Set([...(indexes.get(file)?.imports.values() ?? [])].map((i) => i.module));
    const pkg = ctx.packageOf(file);
    const out: TechContext = [];
    for (const [k, list] of Object.entries(TECH_PACKAGES) as [keyof typeof TECH_PACKAGES, readonly string[]][]) {
      if (list.some((p) => imports.has(p))) out.push(k);
    }
    if (out.length) return out;
    for (const [k, list] of Object.entries(TECH_PACKAGES) as [keyof typeof TECH_PACKAGES, readonly string[]][]) {
      if (list.some((p) => pkg?.dependencies.has(p) || root?.dependencies.has(p) || rootDeps.has(p))) out.push(k);
    }
    if (out.length || !pkg || pkg.path === '.') return out;
    // A workspace library without a broker of its own (a shared retry helper handed a channel) runs
    // where it is imported: the brokers of the packages that depend on it.
    const users = ctx.workspace.packages.filter((p) => p !== pkg && p.dependencies.has(pkg.name));
    for (const [k, list] of Object.entries(TECH_PACKAGES) as [keyof typeof TECH_PACKAGES, readonly string[]][]) {
      if (users.some((u) => list.some((p) => u.dependencies.has(p)))) out.push(k);
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
    for (const s of list) evidence.push(s.at, ...s.via, ...(s.configAt ? [s.configAt] : []), ...(s.optionsAt ? [s.optionsAt] : []));
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
    const patterns = patternDetails(list, origin);
    if (patterns.length) details.patterns = patterns;

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
    const attributes = sortedUnique(producers.flatMap((s) => (s.attributes ?? []).map((a) => `${where([s])[0]} ${a}`)));
    if (attributes.length) q.details!.messageAttributes = attributes;
    out.push(q);
  }
  // A name known only in part stands for the declared channels it matches (templates.ts).
  const channels = foldTemplates(out);
  linkExchanges(channels, groups, (s) => ctx.componentOf(origin(s).file));
  return channels;
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
 * An exchange bound into another (`bindExchange(destination, source, pattern)`) passes on the
 * publishers whose keys match, keys unchanged, so the destination's queues are routed by them; a
 * consistent-hash exchange spreads every key over its queues, as a fanout does.
 * The exchange's consumers include its bound queues' (and through bound exchanges, theirs).
 */
function linkExchanges(queues: Queue[], groups: Map<string, Site[]>, componentOf: (s: Site) => string | undefined): void {
  const byName = new Map(queues.filter((q) => q.details?.kind !== 'exchange').map((q) => [q.name, q]));
  const exchanges = queues.filter((q) => q.details?.kind === 'exchange');
  const exchangeByName = new Map(exchanges.map((q) => [q.name, q]));
  const fanout = (ex: Queue) => (groups.get(ex.id) ?? []).some((s) => s.fanout);
  const bindingsOf = (ex: Queue): [string, string][] =>
    ((ex.details?.bindings as string[] | undefined) ?? []).map((b) => {
      const cut = b.lastIndexOf(' → ');
      return [b.slice(0, cut), b.slice(cut + 3)];
    });
  const passes = (ex: Queue, key: string, p: Site) => fanout(ex) || key === '#' || (p.message !== undefined && topicMatches(key, p.message));
  // The publishers each exchange carries: its own, and those of an exchange bound into it
  // (`bindExchange`) whose keys pass that binding, keys unchanged, until no exchange gains one.
  const carried = new Map(exchanges.map((ex) => [ex.id, (groups.get(ex.id) ?? []).filter((s) => s.role === 'producer')]));
  for (let round = 0, changed = true; changed && round < exchanges.length; round++) {
    changed = false;
    for (const src of exchanges) {
      for (const [key, name] of bindingsOf(src)) {
        const dest = byName.has(name) ? undefined : exchangeByName.get(name);
        if (!dest || dest === src) continue;
        const have = carried.get(dest.id)!;
        for (const p of carried.get(src.id)!) {
          if (!passes(src, key, p) || have.includes(p)) continue;
          have.push(p);
          changed = true;
        }
      }
    }
  }
  for (const ex of exchanges) {
    const publishers = carried.get(ex.id)!;
    const bound: string[] = [];
    for (const [key, name] of bindingsOf(ex)) {
      const q = byName.get(name) ?? exchangeByName.get(name);
      if (!q || q === ex) continue;
      bound.push(q.id);
      q.details!.fedBy = sortedUnique([...((q.details!.fedBy as string[] | undefined) ?? []), ex.id]);
      const matching = publishers.filter((p) => passes(ex, key, p));
      const routed = matching.flatMap((p) => componentOf(p) ?? []);
      // A publisher in a folder no component owns yet (a Python or Go service the workspace's link
      // phase makes a component): its site, for endsToDeployables to credit its owner then.
      const unowned = matching.filter((p) => !componentOf(p)).map((p) => `${origin(p).file}:${origin(p).line}`);
      if (unowned.length) q.details!.routedProducerSites = sortedUnique([...((q.details!.routedProducerSites as string[] | undefined) ?? []), ...unowned]);
      const extra = routed.filter((c) => !q.producers.includes(c));
      if (extra.length) {
        q.producers = sortedUnique([...q.producers, ...extra]);
        q.details!.routedProducers = sortedUnique([...((q.details!.routedProducers as string[] | undefined) ?? []), ...extra]);
      }
    }
    if (bound.length) ex.details!.drainedBy = sortedUnique(bound);
  }
  routeEnds(queues);
}

/**
 * Ends carried across a delivery link (an exchange's bound queue, a topic's subscribed queue, a
 * bus rule's target queue): whoever consumes the queue consumes what the feeder carries; and a
 * queue fed by a channel that only one component publishes to, with no routing keys to tell its
 * messages apart, has that component as producer (`details.routedProducers`). A feeder with several
 * publishers may filter (rules, subscription filters) in ways not read, so none is credited then.
 */
export function routeEnds(queues: Queue[], owner?: (site: string) => string | undefined): void {
  const byId = new Map(queues.map((q) => [q.id, q]));
  // Queues whose way in filters messages (topology.ts) get the publishers that pass, and no other.
  const filtered = owner ? routeFiltered(queues, owner) : new Set<string>();
  // Through chains of feeders too (an exchange bound into an exchange): until no feeder gains a consumer.
  const feeders = queues.filter((q) => ((q.details?.drainedBy as string[] | undefined) ?? []).length > 0);
  for (let round = 0, changed = true; changed && round <= feeders.length; round++) {
    changed = false;
    for (const ex of feeders) {
      const more = (ex.details!.drainedBy as string[]).flatMap((id) => byId.get(id)?.consumers ?? []).filter((c) => !ex.consumers.includes(c));
      if (more.length === 0) continue;
      ex.consumers = sortedUnique([...ex.consumers, ...more]);
      changed = true;
    }
  }
  for (const q of queues) {
    if (filtered.has(q.id)) continue;
    for (const id of (q.details?.fedBy as string[] | undefined) ?? []) {
      const feeder = byId.get(id);
      if (!feeder || feeder.producers.length !== 1 || feeder.details?.bindings !== undefined) continue;
      const p = feeder.producers[0]!;
      if (q.producers.includes(p)) continue;
      q.producers = sortedUnique([...q.producers, p]);
      q.details!.routedProducers = sortedUnique([...((q.details!.routedProducers as string[] | undefined) ?? []), p]);
    }
  }
}

/** Where a channel is known from: the code, a broker definitions file, or both. */
function sources(list: Site[]): string[] {
  const out: string[] = [];
  if (list.some((s) => !s.definitions)) out.push('code');
  if (list.some((s) => s.definitions)) out.push('rabbitmq-definitions');
  return out;
}

/** BullMQ over Bull when both appear (a NestJS wrapper next to the raw library), Celery over the broker its queues live on; else the first. */
function pickTech(techs: string[]): string {
  for (const t of ['BullMQ', 'Celery', 'Kafka', 'RabbitMQ', 'Amazon SQS']) if (techs.includes(t)) return t;
  return techs.find((t) => t !== 'NestJS microservices') ?? techs[0]!;
}
