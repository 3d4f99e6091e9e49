/**
 * Scores an archdoc model against a truth file (eval/README.md, "Scoring"): per area true
 * positives, false positives (only where the truth says `complete: true`), false negatives,
 * precision, recall, the facts missed and the facts archdoc added; and whether each headline
 * statement is right. Pure: no file system, no archdoc internals beyond the model's types.
 */
import type { Model } from '../src/model/schema.js';
import type { HeadlineName, Truth } from './truth-schema.js';
import { GitIgnore } from '../src/util/glob.js';
import { COLLECTIONS } from '../src/model/schema.js';
import { LEDGER } from '../src/data/tech-catalogue.js';
import { OTHER_LANGUAGE_NAMES } from '../src/data/languages.js';

export const AREAS = ['components', 'endpoints', 'entities', 'stores', 'queues', 'infrastructure', 'ci', 'observability', 'security'] as const;
export type Area = (typeof AREAS)[number];
export const HEADLINES: readonly HeadlineName[] = ['style', 'primaryDatabase', 'platform', 'messaging'];

export interface AreaScore {
  /** Whether the truth's list is every such fact (then false positives and precision count). */
  complete: boolean;
  truth: number;
  tp: number;
  /** null when the truth is a sample (`complete: false`). */
  fp: number | null;
  fn: number;
  precision: number | null;
  /** null when the truth lists nothing. */
  recall: number | null;
  /** Truth facts archdoc did not report. */
  misses: string[];
  /** Facts archdoc reported that the (complete) truth does not have. */
  extras: string[];
}

/** A secondary check among the matched facts (component kinds, queue ends, endpoint components). */
export interface SubScore {
  right: number;
  of: number;
  wrong: string[];
}

export type HeadlineOutcome = 'right' | 'wrong' | 'silent' | 'undetermined';
export interface HeadlineScore {
  outcome: HeadlineOutcome;
  truth: string;
  /** What archdoc said, or null when it said nothing. */
  archdoc: string | null;
}

export interface Score {
  areas: Partial<Record<Area, AreaScore>>;
  kinds?: SubScore;
  queueEnds?: SubScore;
  endpointComponents?: SubScore;
  headlines: Partial<Record<HeadlineName, HeadlineScore>>;
  /** Facts with evidence in a file the truth sets aside (tests, examples, templates…); when the truth lists them. */
  setAside?: { facts: number; inSetAside: number; examples: string[] };
  /** The truth's unread items that name a catalogued technology or language, and how many archdoc states as not read. */
  unread?: { truth: number; stated: number; missed: string[] };
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const lower = (s: string) => s.trim().toLowerCase();

/** Repository-relative directory: `./apps/api/` → `apps/api`, `` → `.`. */
export function normalisePath(p: string): string {
  const s = p
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+/g, '/')
    .replace(/\/$/, '');
  return s === '' ? '.' : s;
}

/**
 * An endpoint's key: method (lower case) and path with every parameter spelling (`{id}`, `:id`,
 * `[id]`, `[...slug]`, `<id>`, `<int:id>`) as `:param`, no query string, no trailing slash, one
 * leading slash. GraphQL operations are compared by name; rpcs by `Service/Method`, the proto
 * package dropped.
 */
export function normaliseEndpoint(method: string, path: string): string {
  // `ANY` and `ALL` both name a route that serves every method.
  const m = lower(method) === 'any' ? 'all' : lower(method);
  const p = path.trim();
  if (m === 'query' || m === 'mutation' || m === 'subscription') return `${m} ${p.replace(/^\/+/, '')}`;
  if (m === 'rpc') {
    const parts = p.replace(/^\/+/, '').split('/').filter(Boolean);
    if (parts.length >= 2) {
      const service = parts[parts.length - 2]!.split('.').pop()!;
      return `rpc ${service}/${parts[parts.length - 1]}`;
    }
    return `rpc ${parts[0] ?? ''}`;
  }
  return `${m} ${normaliseUrlPath(p)}`;
}

export function normaliseUrlPath(path: string): string {
  let p = path.trim().replace(/[?#].*$/, '');
  p = p
    .replace(/\[\[?(?:\.\.\.)?[^\]/]+\]?\]/g, ':param')
    .replace(/\{[^}/]+\}/g, ':param')
    .replace(/<[^>/]+>/g, ':param')
    // A catch-all's modifier (`:slug*`, `:path+`, optional `:id?`) goes with its name.
    .replace(/:[A-Za-z_$][\w$-]*[?*+]?/g, ':param');
  // A wildcard segment (`*`, `**`, Express 5's `*splat`, Go's `*filepath`) is a parameter too.
  p = p
    .split('/')
    .map((s) => (s.startsWith('*') ? ':param' : s))
    .join('/');
  p = ('/' + p).replace(/\/+/g, '/');
  if (p.length > 1) p = p.replace(/\/$/, '');
  return p;
}

const STORE_ALIASES: Record<string, string> = {
  postgres: 'PostgreSQL',
  postgresql: 'PostgreSQL',
  pg: 'PostgreSQL',
  pgsql: 'PostgreSQL',
  aurorapostgres: 'PostgreSQL',
  aurorapostgresql: 'PostgreSQL',
  rdspostgres: 'PostgreSQL',
  rdspostgresql: 'PostgreSQL',
  neon: 'PostgreSQL',
  mysql: 'MySQL',
  mysql2: 'MySQL',
  auroramysql: 'MySQL',
  aurora: 'MySQL',
  rdsmysql: 'MySQL',
  planetscale: 'MySQL',
  mariadb: 'MariaDB',
  mongo: 'MongoDB',
  mongodb: 'MongoDB',
  mongoose: 'MongoDB',
  mongodbatlas: 'MongoDB',
  redis: 'Redis',
  elasticache: 'Redis',
  ioredis: 'Redis',
  valkey: 'Valkey',
  sqlite: 'SQLite',
  sqlite3: 'SQLite',
  bettersqlite3: 'SQLite',
  libsql: 'SQLite',
  turso: 'SQLite',
  sqlserver: 'SQL Server',
  mssql: 'SQL Server',
  microsoftsqlserver: 'SQL Server',
  dynamodb: 'DynamoDB',
  dynamo: 'DynamoDB',
  s3: 'S3',
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
  cockroachdb: 'CockroachDB',
  cockroach: 'CockroachDB',
  cassandra: 'Cassandra',
  memcached: 'Memcached',
  neo4j: 'Neo4j',
  clickhouse: 'ClickHouse',
  couchdb: 'CouchDB',
  firestore: 'Firestore',
  oracle: 'Oracle',
  oracledb: 'Oracle',
};

/** `postgres`, `pg`, `aurora-postgresql`, `Amazon Aurora PostgreSQL` → `PostgreSQL`; unknown names kept, compared case-insensitively. */
export function normaliseStore(tech: string): string {
  const k = lower(tech)
    .replace(/\(.*?\)/g, '')
    .replace(/^(amazon|aws|google( cloud)?|gcp|azure|microsoft)\s+/, '')
    .replace(/[^a-z0-9]/g, '');
  return STORE_ALIASES[k] ?? (k.replace(/^(amazon|aws)/, '') in STORE_ALIASES ? STORE_ALIASES[k.replace(/^(amazon|aws)/, '')]! : k);
}

const PLATFORM_ALIASES: Record<string, string> = {
  k8s: 'kubernetes',
  kubernetes: 'kubernetes',
  eks: 'kubernetes',
  gke: 'kubernetes',
  aks: 'kubernetes',
  helm: 'kubernetes',
  ecs: 'ecs',
  fargate: 'ecs',
  ecsfargate: 'ecs',
  lambda: 'lambda',
  awslambda: 'lambda',
  lambdaserverless: 'lambda',
  serverless: 'lambda',
  dockercompose: 'docker compose',
  compose: 'docker compose',
  docker: 'docker',
  containers: 'docker',
  containersdocker: 'docker',
  vercel: 'vercel',
  netlify: 'netlify',
  cloudflareworkers: 'cloudflare workers',
  workers: 'cloudflare workers',
  flyio: 'fly.io',
  fly: 'fly.io',
  heroku: 'heroku',
  render: 'render',
  cloudrun: 'cloud run',
  googlecloudrun: 'cloud run',
  appservice: 'app service',
  azureappservice: 'app service',
  railway: 'railway',
};

export function normalisePlatform(name: string): string {
  const k = lower(name)
    .replace(/\(.*?\)/g, '')
    .replace(/^(amazon|aws|google( cloud)?|gcp|azure)\s+/, '')
    .replace(/[^a-z0-9]/g, '');
  return PLATFORM_ALIASES[k] ?? k;
}

const MESSAGING_ALIASES: Record<string, string> = {
  kafka: 'kafka',
  apachekafka: 'kafka',
  kafkajs: 'kafka',
  rabbitmq: 'rabbitmq',
  amqp: 'rabbitmq',
  bullmq: 'bullmq',
  bull: 'bull',
  sqs: 'sqs',
  sns: 'sns',
  eventbridge: 'eventbridge',
  nats: 'nats',
  redispubsub: 'redis pub/sub',
  pubsub: 'google pub/sub',
  googlepubsub: 'google pub/sub',
  kinesis: 'kinesis',
  mqtt: 'mqtt',
};

export function normaliseMessaging(name: string): string {
  const k = lower(name)
    .replace(/\(.*?\)/g, '')
    .replace(/^(amazon|aws|google( cloud)?|gcp|azure|apache)\s+/, (m) => (/google/.test(m) ? 'google ' : ''))
    .replace(/[^a-z0-9]/g, '');
  return MESSAGING_ALIASES[k] ?? k;
}

/** `A, B and C` → [A, B, C]; a bracketed explanation (`Temporal (workflows not read)`) is no item. */
export function splitList(value: string): string[] {
  return value
    .replace(/\([^()]*\)/g, '')
    .split(/,|;|\s+and\s+|\s+&\s+|\s\+\s/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Lower case letters and digits only, for substring comparison of techs and mechanisms. */
function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Either contains the other, once squashed (both at least 2 characters). */
export function looseMatch(a: string, b: string): boolean {
  const x = squash(a);
  const y = squash(b);
  if (x.length < 2 || y.length < 2) return false;
  return x.includes(y) || y.includes(x);
}

// ---------------------------------------------------------------------------------------------
// Categories of observability and security facts, in the truth's words

const OBS_CATEGORY: Record<string, string> = {
  tracing: 'tracing',
  metrics: 'metrics',
  logging: 'logging',
  errors: 'errors',
  health: 'health',
  alerting: 'alerts',
  alerts: 'alerts',
  dashboards: 'dashboards',
  slo: 'slo',
};

/** The truth category an observability fact counts under, or null when it is not scored (findings). */
export function observabilityCategory(f: { id: string; category: string }): string | null {
  return OBS_CATEGORY[f.category] ?? null;
}

/**
 * The truth category a security fact counts under, or null when it is not one (findings,
 * infrastructure checks, personal data, CSRF…): these are neither matched nor extras.
 */
export function securityCategory(f: { id: string; category: string }): string | null {
  const id = f.id;
  if (/^security:auth-(route|flow)\b/.test(id)) return null;
  if (id.startsWith('security:cors')) return 'cors';
  if (id.startsWith('security:rate-limit')) return 'rate-limit';
  if (/^security:(helmet|hsts|csp|headers)\b/.test(id)) return 'headers';
  if (/^security:secrets(-manager)?:/.test(id)) return 'secrets';
  switch (f.category) {
    case 'authentication':
    case 'credentials':
      return 'authentication';
    case 'authorisation':
    case 'authorization':
      return 'authorisation';
    case 'validation':
      return 'validation';
    default:
      return null;
  }
}

/** Words that name a category, not a technology: left out of an id's candidate strings. */
const GENERIC = new Set([
  'observability',
  'security',
  'health',
  'healthcheck',
  'metrics',
  'metric',
  'logging',
  'tracing',
  'errors',
  'alert',
  'alerting',
  'dashboard',
  'slo',
  'target',
  'probe',
  'collector',
  'validation',
  'authentication',
  'authorisation',
  'cors',
  'rate-limit',
  'secrets',
  'secrets-manager',
  'guard',
  'middleware',
  'identity',
  'policy',
]);

/** What a categorised fact may be matched on: its tech, its name, the specific parts of its id. */
function candidates(f: { id: string; name: string; tech?: string }): string[] {
  const parts = f.id
    .split(':')
    .slice(1)
    .filter((p) => !GENERIC.has(p.toLowerCase()));
  return [f.tech ?? '', f.name, ...parts].filter((s) => squash(s).length >= 2);
}

// ---------------------------------------------------------------------------------------------
// Matching

interface Side<T> {
  item: T;
  label: string;
}

/**
 * Set matching: a truth fact is found when any model fact matches it; a model fact is an extra
 * when it matches no truth fact. Model facts with the same `groupKey` count as one extra.
 */
function setMatch<T, M>(
  truth: Side<T>[],
  model: Side<M>[],
  matches: (t: T, m: M) => boolean,
  complete: boolean,
  groupKey: (m: Side<M>) => string = (m) => m.label,
  notExtra: (m: M) => boolean = () => false,
): { score: AreaScore; pairs: [T, M][] } {
  const pairs: [T, M][] = [];
  const misses: string[] = [];
  let tp = 0;
  for (const t of truth) {
    const m = model.find((m) => matches(t.item, m.item));
    if (m) {
      tp++;
      pairs.push([t.item, m.item]);
    } else misses.push(t.label);
  }
  const extraGroups = new Map<string, string>();
  const matchedGroups = new Set<string>();
  for (const m of model) {
    const key = groupKey(m);
    if (truth.some((t) => matches(t.item, m.item))) matchedGroups.add(key);
    else if (!notExtra(m.item) && !extraGroups.has(key)) extraGroups.set(key, m.label);
  }
  for (const k of matchedGroups) extraGroups.delete(k);
  const extras = complete ? [...extraGroups.values()] : [];
  return { score: finish(complete, truth.length, tp, extras, misses), pairs };
}

/**
 * One-to-one matching: each truth fact takes one model fact of the same key, one whose `prefer`
 * holds first; model facts left over are extras.
 */
function multisetMatch<T, M>(
  truth: Side<T>[],
  model: Side<M>[],
  key: (x: { t?: T; m?: M }) => string,
  complete: boolean,
  prefer: (t: T, m: M) => boolean,
): { score: AreaScore; pairs: [T, M][] } {
  const pool = new Map<string, Side<M>[]>();
  for (const m of model) {
    const k = key({ m: m.item });
    pool.set(k, [...(pool.get(k) ?? []), m]);
  }
  const pairs: [T, M][] = [];
  const misses: string[] = [];
  let tp = 0;
  // Truth facts whose preferred partner exists go first, so that a later fact cannot take it.
  const order = [...truth].sort((a, b) => {
    const pa = (pool.get(key({ t: a.item })) ?? []).some((m) => prefer(a.item, m.item)) ? 0 : 1;
    const pb = (pool.get(key({ t: b.item })) ?? []).some((m) => prefer(b.item, m.item)) ? 0 : 1;
    return pa - pb;
  });
  for (const t of order) {
    const list = pool.get(key({ t: t.item })) ?? [];
    let i = list.findIndex((m) => prefer(t.item, m.item));
    if (i < 0) i = list.length > 0 ? 0 : -1;
    if (i < 0) {
      misses.push(t.label);
      continue;
    }
    tp++;
    pairs.push([t.item, list[i]!.item]);
    list.splice(i, 1);
  }
  const extras = complete ? [...pool.values()].flat().map((m) => m.label) : [];
  return { score: finish(complete, truth.length, tp, extras, misses), pairs };
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function finish(complete: boolean, truth: number, tp: number, extras: string[], misses: string[]): AreaScore {
  const fp = complete ? extras.length : null;
  return {
    complete,
    truth,
    tp,
    fp,
    fn: misses.length,
    precision: fp === null ? null : ratio(tp, tp + fp),
    recall: ratio(tp, truth),
    misses: misses.sort(),
    extras: extras.sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Headlines

const DECISION_TOPIC: Record<HeadlineName, string> = {
  style: 'architecture-style',
  primaryDatabase: 'primary-database',
  platform: 'deployment-platform',
  messaging: 'messaging',
};

/** The styles a decision's text claims: its main style, plus `event-driven` when it says so. */
export function stylesOf(decision: string): string[] {
  const d = decision.toLowerCase();
  if (/undetermined/.test(d)) return ['undetermined'];
  const main = d.split(/,\s*with\s+/)[0]!;
  const out: string[] = [];
  if (/serverless/.test(main)) out.push('serverless');
  else if (/micro-?services?|small set of services|distributed/.test(main)) out.push('microservices');
  else if (/modular\s+monolith/.test(main)) out.push('modular-monolith');
  else if (/monolith/.test(main)) out.push('monolith');
  else if (/event[- ]driven/.test(main)) out.push('event-driven');
  if (/event[- ]driven/.test(d) && !out.includes('event-driven')) out.push('event-driven');
  return out;
}

function isNone(v: string): boolean {
  return /^(none|no|nothing|n\/a)$/i.test(v.trim());
}

function isUndetermined(v: string): boolean {
  return /^undetermined\b/i.test(v.trim());
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}

export function scoreHeadline(name: HeadlineName, truth: { value: string; tie?: string[] }, said: string | null): HeadlineScore {
  const base = { truth: truth.value, archdoc: said };
  const norm =
    name === 'primaryDatabase' ? normaliseStore : name === 'platform' ? normalisePlatform : name === 'messaging' ? normaliseMessaging : (s: string) => s;
  const silentOrNone = said === null || isNone(said);
  const saidUndetermined = said !== null && (name === 'style' ? stylesOf(said)[0] === 'undetermined' : /undetermined/i.test(said));
  if (isNone(truth.value)) return { ...base, outcome: silentOrNone ? 'right' : 'wrong' };
  if (isUndetermined(truth.value)) {
    if (silentOrNone || saidUndetermined) return { ...base, outcome: 'right' };
    if (truth.tie && name !== 'style' && sameSet(truth.tie.map(norm), splitList(said).map(norm))) return { ...base, outcome: 'right' };
    return { ...base, outcome: 'wrong' };
  }
  if (said === null) return { ...base, outcome: 'silent' };
  if (saidUndetermined) return { ...base, outcome: 'undetermined' };
  if (isNone(said)) return { ...base, outcome: 'wrong' };
  if (name === 'style') return { ...base, outcome: stylesOf(said).includes(truth.value.toLowerCase()) ? 'right' : 'wrong' };
  return { ...base, outcome: sameSet(splitList(truth.value).map(norm), splitList(said).map(norm)) ? 'right' : 'wrong' };
}

// ---------------------------------------------------------------------------------------------
// The scorer

/**
 * Infrastructure archdoc reports that groups or runs resources rather than being one: Terraform
 * roots and modules, Helm charts, Kustomizations, compose services. Matched when a truth lists
 * one, never counted as an extra.
 */
/** Workload kinds the truth lists under infrastructure. */
const INFRA_WORKLOADS = /^(Deployment|StatefulSet|DaemonSet|Job|CronJob|Pod|ReplicaSet|compose service)$/;

export const GROUPINGS =
  /^(terraform-root|terraform-module|terragrunt-root|helm chart|helm chart dependency|kustomization|kustomize overlay|compose service)$/i;

/** Every fact of the model with its evidence, whichever collection it is in. */
function factsWithEvidence(model: Model): { id: string; evidence: { file: string; line: number }[] }[] {
  const out: { id: string; evidence: { file: string; line: number }[] }[] = [];
  for (const c of COLLECTIONS) {
    // Documents are links to the repository's own documentation: reading docs is their purpose.
    if (c === 'documents') continue;
    const list = (c === 'environments' || c === 'pipelines' || c === 'containers' || c === 'workloads' ? model.deployment[c] : model[c]) as {
      id: string;
      evidence?: { file: string; line: number }[];
    }[];
    for (const f of list) if (f.evidence && f.evidence.length > 0) out.push({ id: f.id, evidence: f.evidence });
  }
  return out;
}

/**
 * Facts whose evidence points into a file the truth sets aside (`setAside`: gitignore-style
 * globs, `!` re-includes). Counted against the truth's own list, not archdoc's file roles.
 */
export function setAsideEvidence(model: Model, patterns: readonly string[]): { facts: number; inSetAside: number; examples: string[] } {
  const rules = new GitIgnore(patterns, Infinity);
  // As in git: a file is set aside when it, or a folder above it, is.
  const inSetAside = (file: string): boolean => {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) if (rules.ignores(parts.slice(0, i).join('/'), true)) return true;
    return rules.ignores(file, false);
  };
  const facts = factsWithEvidence(model);
  const hits = facts.filter((f) => f.evidence.some((e) => inSetAside(e.file)));
  const examples = hits.slice(0, 5).map((f) => `${f.id} (${f.evidence.find((e) => inSetAside(e.file))!.file})`);
  return { facts: facts.length, inSetAside: hits.length, examples };
}

/**
 * What archdoc catalogues and does not read: technologies of the ledger without a reader, and
 * languages other than TypeScript/JavaScript (one-letter names would match anything). A truth's
 * unread item about a technology archdoc does read (a route Express serves from a library) is a
 * recall miss of that area, not an unread statement.
 */
const CATALOGUED = [
  ...new Set([
    ...Object.entries(LEDGER)
      .filter(([, e]) => e.reads === undefined)
      .map(([name]) => name),
    ...OTHER_LANGUAGE_NAMES,
  ]),
].filter((n) => n.length > 1);
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** The catalogued names `text` mentions as whole words, case-insensitively. */
export function cataloguedIn(text: string): string[] {
  const low = text.toLowerCase();
  const languages = new Set<string>(OTHER_LANGUAGE_NAMES);
  return CATALOGUED.filter((name) => {
    // A language is named with its capital (`Go`, not "go through it"); a technology in any case.
    const [hay, n] = languages.has(name) ? [text, name] : [low, name.toLowerCase()];
    for (let at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + 1)) {
      if (!isWordChar(hay[at - 1]) && !isWordChar(hay[at + n.length])) return true;
    }
    return false;
  });
}

/**
 * The issue's "every catalogued technology present but unread is stated": of the truth's unread
 * items that name a catalogued technology or a language, those archdoc's coverage lists as not
 * read (a technology with status unread, or code in that language, counted in production files or
 * named among a set-aside role's files). Items naming nothing catalogued are out of scope.
 */
export function unreadStated(model: Model, items: readonly { what: string }[]): { truth: number; stated: number; missed: string[] } {
  const said = new Set([
    ...(model.coverage?.technologies ?? []).filter((t) => t.status === 'unread').map((t) => t.name.toLowerCase()),
    ...(model.coverage?.languages ?? []).map((l) => l.name.toLowerCase()),
    // Code of a language in set-aside files (a Python load test): the analysis notes name it as set aside, not analysed.
    ...(model.files?.roles ?? []).flatMap((r) => r.languages ?? []).map((l) => l.toLowerCase()),
  ]);
  let truth = 0;
  let stated = 0;
  const missed: string[] = [];
  for (const item of items) {
    const names = cataloguedIn(item.what);
    if (names.length === 0) continue;
    truth++;
    if (names.some((n) => said.has(n.toLowerCase()))) stated++;
    else missed.push(`${names.join('/')}: ${item.what.length > 80 ? `${item.what.slice(0, 79)}…` : item.what}`);
  }
  return { truth, stated, missed };
}

/** Score `model` against `truth`, area by area; areas the truth leaves out are not scored. */
export function score(model: Model, truth: Truth): Score {
  const out: Score = { areas: {}, headlines: {} };
  if (truth.setAside) out.setAside = setAsideEvidence(model, truth.setAside);
  if (truth.unread) out.unread = unreadStated(model, truth.unread);
  const pathOf = new Map(model.components.map((c) => [c.id, normalisePath(c.path)]));
  const compPath = (id: string | undefined) => (id === undefined ? undefined : (pathOf.get(id) ?? normalisePath(id.replace(/^component:/, ''))));

  if (truth.components) {
    const { score: s, pairs } = setMatch(
      truth.components.items.map((t) => ({ item: t, label: `${normalisePath(t.path)} (${t.kind})` })),
      model.components.map((c) => ({ item: c, label: `${normalisePath(c.path)} (${c.kind})` })),
      (t, c) => normalisePath(t.path) === normalisePath(c.path),
      truth.components.complete,
    );
    out.areas.components = s;
    const wrong = pairs.filter(([t, c]) => t.kind !== c.kind).map(([t, c]) => `${normalisePath(t.path)}: ${c.kind}, truth ${t.kind}`);
    out.kinds = { right: pairs.length - wrong.length, of: pairs.length, wrong: wrong.sort() };
  }

  if (truth.endpoints) {
    type T = (typeof truth.endpoints.items)[number];
    type M = Model['endpoints'][number];
    const keyT = (t: T) => normaliseEndpoint(t.method, t.path);
    const keyM = (m: M) => normaliseEndpoint(m.method, m.path);
    const sameComp = (t: T, m: M) => t.component !== undefined && m.component !== undefined && normalisePath(t.component) === compPath(m.component);
    const { score: s, pairs } = multisetMatch<T, M>(
      truth.endpoints.items.map((t) => ({ item: t, label: `${t.method.toUpperCase()} ${t.path}${t.component ? ` (${normalisePath(t.component)})` : ''}` })),
      // GraphQL's own HTTP endpoint (`POST /graphql`, one per server) is its operations' transport: the operations are scored.
      model.endpoints
        .filter((m) => m.details?.graphql !== true)
        .map((m) => ({ item: m, label: `${m.method.toUpperCase()} ${m.path}${m.component ? ` (${compPath(m.component)})` : ''}` })),
      (x) => (x.t ? keyT(x.t) : keyM(x.m!)),
      truth.endpoints.complete,
      sameComp,
    );
    out.areas.endpoints = s;
    const judged = pairs.filter(([t]) => t.component !== undefined);
    const wrong = judged
      .filter(([t, m]) => !sameComp(t, m))
      .map(([t, m]) => `${t.method.toUpperCase()} ${t.path}: ${compPath(m.component) ?? 'no component'}, truth ${normalisePath(t.component!)}`);
    out.endpointComponents = { right: judged.length - wrong.length, of: judged.length, wrong: wrong.sort() };
  }

  if (truth.entities) {
    const tableKey = (s: string) => lower(s.replace(/["`[\]]/g, '')).replace(/^(public|dbo|main)\./, '');
    const keysT = (t: { name: string; table?: string }) => [lower(t.name), ...(t.table ? [tableKey(t.table)] : [])];
    const keysM = (m: Model['schemas'][number]) => [lower(m.name), ...(m.table ? [tableKey(m.table)] : [])];
    out.areas.entities = setMatch(
      truth.entities.items.map((t) => ({ item: t, label: t.table && lower(t.table) !== lower(t.name) ? `${t.name} (${t.table})` : t.name })),
      model.schemas.map((m) => ({ item: m, label: m.table && lower(m.table) !== lower(m.name) ? `${m.name} (${m.table})` : m.name })),
      (t, m) => keysT(t).some((k) => keysM(m).includes(k)),
      truth.entities.complete,
    ).score;
  }

  if (truth.stores) {
    out.areas.stores = setMatch(
      truth.stores.items.map((t) => ({ item: t, label: normaliseStore(t.tech) })),
      model.dataStores.map((m) => ({ item: m, label: normaliseStore(m.tech) })),
      // The store as the model keys it (tech) or as the document names it (`SQLite (Cloudflare D1)`).
      (t, m) => normaliseStore(t.tech) === normaliseStore(m.tech) || normaliseStore(t.tech) === normaliseStore(m.name),
      truth.stores.complete,
    ).score;
  }

  if (truth.queues) {
    const { score: s, pairs } = setMatch(
      truth.queues.items.map((t) => ({ item: t, label: t.name })),
      model.queues.map((m) => ({ item: m, label: m.name })),
      (t, m) => lower(t.name) === lower(m.name),
      truth.queues.complete,
      (m) => lower(m.label),
    );
    out.areas.queues = s;
    const ends = (ids: string[]) => ids.map((id) => compPath(id)!).sort();
    const judged = pairs.filter(([t]) => t.producers !== undefined || t.consumers !== undefined);
    const wrong: string[] = [];
    for (const [t, m] of judged) {
      const prodOk = t.producers === undefined || sameSet(t.producers.map(normalisePath), ends(m.producers));
      const consOk = t.consumers === undefined || sameSet(t.consumers.map(normalisePath), ends(m.consumers));
      if (!prodOk || !consOk)
        wrong.push(
          `${t.name}: ${ends(m.producers).join(', ') || '–'} → ${ends(m.consumers).join(', ') || '–'}, truth ${(t.producers ?? []).join(', ') || '–'} → ${(t.consumers ?? []).join(', ') || '–'}`,
        );
    }
    out.queueEnds = { right: judged.length - wrong.length, of: judged.length, wrong: wrong.sort() };
  }

  if (truth.infrastructure) {
    /** `aws_s3_bucket.assets`, `ConfigMap/x`, `Helm chart x` → the bare name. */
    const bare = (type: string, name: string) => {
      const n = name.trim();
      for (const sep of ['.', '/', ' ']) if (lower(n).startsWith(lower(type) + sep)) return lower(n.slice(type.length + 1));
      return lower(n);
    };
    // `compose-service` and `compose service` are one type: hyphens and spaces are not told apart.
    const typeKey = (type: string) => lower(type).replace(/[-\s]+/g, ' ');
    const key = (type: string, name: string) => `${typeKey(type)} ${bare(type, name)}`;
    out.areas.infrastructure = setMatch(
      truth.infrastructure.items.map((t) => ({ item: t, label: `${t.type} ${bare(t.type, t.name)}` })),
      // Kubernetes workloads (Deployments, StatefulSets…) and compose services that run the system's own
      // code are infrastructure objects in the truth's terms; archdoc lists them among the workloads.
      // (Functions and platform projects are components in the truth, so they are not taken here.)
      [
        // A construct written in code keeps the class as written (cdktf's `DynamodbTable` of `aws_dynamodb_table`): either names the type.
        ...model.infrastructure.map((m) => ({
          type: m.type,
          name: m.name,
          construct: typeof m.details?.construct === 'string' ? m.details.construct : undefined,
        })),
        ...model.deployment.workloads.filter((w) => INFRA_WORKLOADS.test(w.kind)).map((w) => ({ type: w.kind, name: w.name, construct: undefined })),
      ].map((m) => ({
        item: m,
        label: `${m.type} ${bare(m.type, m.name)}`,
      })),
      (t, m) =>
        key(t.type, t.name) === key(m.type, m.name) ||
        (m.construct !== undefined && key(t.type, t.name) === key(m.construct, m.name)) ||
        // The class as written without its module (`Table` of `sst.constructs.Table`, `Config.Parameter`).
        (typeKey(m.type).endsWith(`.${typeKey(t.type)}`) && bare(t.type, t.name) === bare(m.type, m.name)),
      truth.infrastructure.complete,
      (m) => lower(m.label),
      (m) => GROUPINGS.test(m.type),
    ).score;
  }

  if (truth.ci) {
    const files = (p: Model['deployment']['pipelines'][number]) => [p.id.replace(/^pipeline:/, ''), ...p.evidence.map((e) => e.file)].map(normalisePath);
    out.areas.ci = setMatch(
      truth.ci.items.map((t) => ({ item: t, label: normalisePath(t.file) })),
      model.deployment.pipelines.map((p) => ({ item: p, label: normalisePath(p.evidence[0]?.file ?? p.id.replace(/^pipeline:/, '')) })),
      (t, p) => files(p).includes(normalisePath(t.file)),
      truth.ci.complete,
    ).score;
  }

  const categorised = <F extends { id: string; name: string; category: string; tech?: string }>(
    items: { category: string; what?: string }[],
    facts: F[],
    categoryOf: (f: F) => string | null,
    complete: boolean,
  ) => {
    const scored = facts.flatMap((f) => {
      const c = categoryOf(f);
      return c === null ? [] : [{ f, c }];
    });
    const label = (x: { f: F; c: string }) => `${x.c}: ${x.f.tech ?? x.f.name}`;
    return setMatch(
      items.map((t) => ({ item: t, label: `${t.category}: ${t.what ?? '(any)'}` })),
      scored.map((x) => ({ item: x, label: label(x) })),
      // A repository's CORS policy is one fact whatever words name it: matched on the category alone.
      (t, x) => t.category === x.c && (t.what === undefined || t.category === 'cors' || candidates(x.f).some((c) => looseMatch(c, t.what!))),
      complete,
      (m) => `${m.item.c}|${squash(m.item.f.tech ?? m.item.f.name)}`,
    ).score;
  };

  if (truth.observability) {
    out.areas.observability = categorised(
      truth.observability.items.map((t) => ({ category: t.category, what: t.tech })),
      model.observability,
      observabilityCategory,
      truth.observability.complete,
    );
  }

  if (truth.security) {
    out.areas.security = categorised(
      truth.security.items.map((t) => ({ category: t.category, what: t.mechanism })),
      model.security,
      securityCategory,
      truth.security.complete,
    );
  }

  for (const h of HEADLINES) {
    const t = truth.headlines?.[h];
    if (!t) continue;
    const d = model.decisions.find((x) => x.topic === DECISION_TOPIC[h]);
    out.headlines[h] = scoreHeadline(h, t, d ? d.decision : null);
  }
  return out;
}
