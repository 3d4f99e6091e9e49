/**
 * Helpers shared by the infrastructure analyzers (compose, dockerfile, kubernetes, serverless, ci,
 * terraform): YAML node lines, image classification, secret detection, environment names, and the
 * link from an image name to a component.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { AnalyzerContext, YamlFile } from '../../src/analyzer/context.js';
import type { DataStore } from '../../src/model/schema.js';
import { replaceSpans } from '../../src/util/linear-scan.js';
import { hasUrlPassword, isSecretName as isSecretNameRule, redactSecrets } from '../../src/util/redact.js';

// ---------------------------------------------------------------------------------------------
// YAML

/** The pair under `key` in a YAML map node. */
export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item;
  }
  return undefined;
}

/** The node at a path of map keys / sequence indexes. */
export function nodeAt(node: unknown, path: readonly (string | number)[]): Node | undefined {
  let cur: unknown = node;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[step];
    } else {
      const p = pairOf(cur, step);
      if (!p) return undefined;
      cur = p.value;
    }
  }
  return (cur ?? undefined) as Node | undefined;
}

/** 1-based line of the key at the end of `path` (or of the node, for an index); `fallback` when absent. */
export function lineOf(y: Pick<YamlFile, 'line'>, root: unknown, path: readonly (string | number)[], fallback = 1): number {
  if (path.length === 0) {
    const r = (root as Node | undefined)?.range;
    return r ? y.line(r[0]) : fallback;
  }
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    const item = isSeq(parent) ? (parent.items[last] as Node | undefined) : undefined;
    return item?.range ? y.line(item.range[0]) : fallback;
  }
  const p = pairOf(parent, last);
  const key = p?.key as Node | undefined;
  return key?.range ? y.line(key.range[0]) : fallback;
}

/** Line of a document's first content. */
export function docLine(y: Pick<YamlFile, 'line'>, doc: Document.Parsed): number {
  const r = doc.contents?.range;
  return r ? y.line(r[0]) : 1;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return asArray(v).flatMap((x) => (typeof x === 'string' || typeof x === 'number' ? [String(x)] : []));
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** True when an environment variable name suggests its value is a secret (one rule for every analyzer: src/util/redact.ts). */
export function isSecretName(name: string): boolean {
  return isSecretNameRule(name);
}

/**
 * True when a literal value committed for `name` looks like a real secret: a secret-sounding name
 * with a literal (non-interpolated, non-empty) value, or any value carrying URL credentials.
 */
export function looksLikeCommittedSecret(name: string, value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const v = String(value).trim();
  if (v === '') return false;
  if (hasUrlPassword(v)) return true;
  // A bare `key` is a reference's field (`secretKeyRef: {key: db-password}`), not a secret.
  if (!isSecretName(name) || /^key$/i.test(name)) return false;
  // Pure references to other variables or secret stores are not committed secrets.
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:?-)?\}?$/.test(v)) return false;
  if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v)) return false;
  if (/^\$\{\{.*\}\}$/.test(v) || /^\{\{.*\}\}$/.test(v)) return false;
  if (/^(true|false|yes|no|none|null|\d{1,6})$/i.test(v)) return false;
  // Placeholders (GOOGLE_API_KEY_VAL, <your-key>, changeme, xxx) are not secrets.
  if (/^[A-Z][A-Z0-9_]*$/.test(v) || /^<.*>$/.test(v) || /^(change[-_]?me|replace[-_]?me|todo|xxx+|\*+|your[-_].*|example|dummy|placeholder)$/i.test(v)) return false;
  // Names like TOKEN_TTL or PASSWORD_MIN_LENGTH carry settings; SECRET_NAME or KEY_ID name a secret.
  if (/(ttl|expir|length|min|max|timeout|rounds|algorithm|header|file|path|issuer|audience)/i.test(name)) return false;
  if (/(_|-|\b)(name|id|arn|ref|version|region|uri|url|endpoint|host|port)$/i.test(name) || /(Name|Id|Arn|Ref|Url|Uri|Host|Port)$/.test(name)) return false;
  // A connection string is a secret when it carries one.
  if (/connection[_-]?string/i.test(name) && !/(password|pwd|accountkey|sharedaccesskey|secret|token)\s*=/i.test(v)) return false;
  return true;
}

/** Remove credentials and secret-looking arguments from a command or URL before showing it. */
export function redact(text: string): string {
  return redactSecrets(text);
}

// ---------------------------------------------------------------------------------------------
// Images

/** `registry.example.com:5000/team/api:1.2@sha256:…` → `team/api`; the last segment → `api`. */
export function imageRepository(image: string): { repository: string; base: string; tag?: string } {
  let ref = image.trim().split('@')[0]!;
  let tag: string | undefined;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const parts = ref.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
  if (parts[0] === 'library') parts.shift();
  const repository = parts.join('/');
  return { repository, base: parts[parts.length - 1] ?? repository, tag };
}

interface StoreKind {
  tech: string;
  name: string;
  kind: NonNullable<DataStore['kind']>;
}

const STORE_IMAGES: [RegExp, StoreKind][] = [
  [/^(postgres|postgresql|postgis|timescaledb|timescaledb-ha|pgvector|supabase\/postgres)$/, { tech: 'postgresql', name: 'PostgreSQL', kind: 'relational' }],
  [/^(mysql|mysql-server|percona|percona-server)$/, { tech: 'mysql', name: 'MySQL', kind: 'relational' }],
  [/^mariadb$/, { tech: 'mariadb', name: 'MariaDB', kind: 'relational' }],
  [/^(mssql\/server|mssql-server|server)$/, { tech: 'sqlserver', name: 'SQL Server', kind: 'relational' }],
  [/^(mongo|mongodb|mongodb-community-server)$/, { tech: 'mongodb', name: 'MongoDB', kind: 'document' }],
  [/^(redis|redis-stack|redis-stack-server|redis-cluster|keydb)$/, { tech: 'redis', name: 'Redis', kind: 'cache' }],
  [/^valkey$/, { tech: 'valkey', name: 'Valkey', kind: 'cache' }],
  [/^memcached$/, { tech: 'memcached', name: 'Memcached', kind: 'cache' }],
  [/^elasticsearch$/, { tech: 'elasticsearch', name: 'Elasticsearch', kind: 'search' }],
  [/^opensearch$/, { tech: 'opensearch', name: 'OpenSearch', kind: 'search' }],
  [/^(meilisearch|typesense)$/, { tech: 'search', name: 'Search engine', kind: 'search' }],
  [/^(cassandra|scylla)$/, { tech: 'cassandra', name: 'Cassandra', kind: 'key-value' }],
  [/^(clickhouse|clickhouse-server)$/, { tech: 'clickhouse', name: 'ClickHouse', kind: 'relational' }],
  [/^(dynamodb-local)$/, { tech: 'dynamodb', name: 'Amazon DynamoDB', kind: 'key-value' }],
  // MinIO speaks the S3 API but is not Amazon S3: it is named for what runs.
  [/^minio$/, { tech: 'minio', name: 'MinIO (S3-compatible object storage)', kind: 'object' }],
  [/^(neo4j)$/, { tech: 'neo4j', name: 'Neo4j', kind: 'other' }],
  [/^(couchdb)$/, { tech: 'couchdb', name: 'CouchDB', kind: 'document' }],
  [/^(influxdb)$/, { tech: 'influxdb', name: 'InfluxDB', kind: 'other' }],
];

/** A data store an image runs (`postgres:16` → PostgreSQL), keyed so it merges with the data analyzers' facts. */
export function dataStoreOfImage(image: string): StoreKind | undefined {
  const { repository, base } = imageRepository(image);
  for (const [re, kind] of STORE_IMAGES) if (re.test(repository) || re.test(base)) {
    // `server` only counts as SQL Server under mssql/.
    if (base === 'server' && !/mssql/.test(repository)) continue;
    return kind;
  }
  return undefined;
}

const SUPPORT_IMAGES: [RegExp, { role: 'messaging' | 'observability' | 'edge' | 'other'; tech: string }][] = [
  [/^(rabbitmq)$/, { role: 'messaging', tech: 'rabbitmq' }],
  [/^(kafka|cp-kafka|cp-server|redpanda|kafka-native)$/, { role: 'messaging', tech: 'kafka' }],
  [/^(nats|nats-streaming)$/, { role: 'messaging', tech: 'nats' }],
  [/^(activemq|activemq-artemis|artemis)$/, { role: 'messaging', tech: 'activemq' }],
  [/^(eclipse-mosquitto|mosquitto|emqx)$/, { role: 'messaging', tech: 'mqtt' }],
  [/^(pubsub-emulator|localstack|elasticmq|elasticmq-native)$/, { role: 'messaging', tech: 'emulator' }],
  [/^(prometheus|grafana|loki|tempo|jaeger|all-in-one|opentelemetry-collector|opentelemetry-collector-contrib|otel-collector|zipkin|datadog-agent|agent|kibana|promtail|alertmanager)$/, { role: 'observability', tech: 'observability' }],
  [/^(nginx|traefik|caddy|haproxy|envoy|kong)$/, { role: 'edge', tech: 'proxy' }],
];

/** Messaging brokers, observability stacks and proxies recognised from their image. */
export function supportOfImage(image: string): { role: 'messaging' | 'observability' | 'edge' | 'other'; tech: string } | undefined {
  const { base } = imageRepository(image);
  for (const [re, kind] of SUPPORT_IMAGES) if (re.test(base)) return kind;
  return undefined;
}

const IMAGE_EXPRESSIONS = [{ open: '${', close: '}' }, { open: '{{', close: '}}', without: '}' }];

/** The component an image was built from: its last path segment names a package or a directory. */
export function componentOfImage(ctx: AnalyzerContext, image: string): string | undefined {
  // `${VAR}` and `{{ .Values.x }}` dropped, as /\$\{[^}]*\}|\{\{[^}]*\}\}/g would, without rescanning an unclosed run.
  const { base } = imageRepository(replaceSpans(image, IMAGE_EXPRESSIONS, () => ''));
  if (!base) return undefined;
  const wanted = base.toLowerCase();
  for (const p of ctx.workspace.packages) {
    if (p.path === '.') continue;
    const pkgBase = p.name.replace(/^@[^/]+\//, '').toLowerCase();
    const dirBase = p.path.split('/').pop()!.toLowerCase();
    if (wanted === pkgBase || wanted === dirBase || wanted.endsWith('-' + dirBase) || wanted.endsWith('-' + pkgBase)) return p.componentId;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Environments

const ENV_ALIASES: [RegExp, string][] = [
  [/^(prod|prd|production|live)$/, 'production'],
  [/^(stg|stag|stage|staging)$/, 'staging'],
  [/^(dev|develop|development)$/, 'development'],
  [/^(qa|test|testing)$/, 'test'],
  [/^(uat|acceptance)$/, 'uat'],
  [/^(preview|review|review-apps?|pr)$/, 'preview'],
  [/^(sandbox|sbx)$/, 'sandbox'],
  [/^(demo)$/, 'demo'],
];

/**
 * A deployment environment's canonical name (`prod` → `production`), so the same environment named
 * in CI, Kustomize overlays and Terraform roots becomes one fact. Undefined when the name is only
 * an expression (`${{ inputs.env }}`).
 */
export function canonicalEnvironment(raw: string): string | undefined {
  const cleaned = replaceSpans(raw, [{ open: '${{', close: '}}', without: '}' }], () => '')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '')
    .trim()
    .toLowerCase();
  const word = cleaned.split(/[/\s]/)[0]!;
  let end = word.length;
  while (end > 0 && '-_.'.includes(word[end - 1]!)) end--;
  const head = word.slice(0, end);
  if (head === '') return undefined;
  for (const [re, name] of ENV_ALIASES) if (re.test(head)) return name;
  return head;
}

/** True when a directory name looks like an environment (overlays/production, envs/staging). */
export function isEnvironmentName(name: string): boolean {
  const lower = name.toLowerCase();
  return ENV_ALIASES.some(([re]) => re.test(lower));
}
