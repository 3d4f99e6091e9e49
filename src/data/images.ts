/**
 * Container images: the repository an image reference names, the data stores, brokers,
 * observability stacks and proxies recognised from it, and the component an image was built from.
 * Shared by the analyzers that read images (compose, dockerfile, kubernetes, terraform,
 * sql-migrations).
 */
import type { AnalyzerContext } from '../analyzer/context.js';
import type { DataStore } from '../model/schema.js';
import { replaceSpans } from '../util/linear-scan.js';

const IMAGE_EXPRESSIONS = [
  { open: '${', close: '}' },
  { open: '{{', close: '}}', without: '}' },
];

/**
 * `registry.example.com:5000/team/api:1.2@sha256:…` → `team/api`; the last segment → `api`.
 * `${VAR}` and `{{ .Values.x }}` are dropped first, as /\$\{[^}]*\}|\{\{[^}]*\}\}/g would, without
 * rescanning an unclosed run (`ghcr.io/acme/web:${VERSION:-release}` → `acme/web`).
 */
export function imageRepository(image: string): { repository: string; base: string; tag?: string } {
  let ref = replaceSpans(image, IMAGE_EXPRESSIONS, () => '')
    .trim()
    .split('@')[0]!;
  let tag: string | undefined;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = ref.slice(colon + 1) || undefined;
    ref = ref.slice(0, colon);
  }
  const parts = ref.split('/').filter((p) => p !== '');
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
  [/^meilisearch$/, { tech: 'meilisearch', name: 'Meilisearch', kind: 'search' }],
  [/^typesense$/, { tech: 'typesense', name: 'Typesense', kind: 'search' }],
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
  for (const [re, kind] of STORE_IMAGES)
    if (re.test(repository) || re.test(base)) {
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
  [
    /^(prometheus|grafana|loki|tempo|jaeger|all-in-one|opentelemetry-collector|opentelemetry-collector-contrib|otel-collector|zipkin|datadog-agent|agent|kibana|promtail|alertmanager)$/,
    { role: 'observability', tech: 'observability' },
  ],
  [/^(nginx|traefik|caddy|haproxy|envoy|kong)$/, { role: 'edge', tech: 'proxy' }],
];

/** Messaging brokers, observability stacks and proxies recognised from their image. */
export function supportOfImage(image: string): { role: 'messaging' | 'observability' | 'edge' | 'other'; tech: string } | undefined {
  const { base } = imageRepository(image);
  for (const [re, kind] of SUPPORT_IMAGES) if (re.test(base)) return kind;
  return undefined;
}

/** The component an image was built from: its last path segment names a package or a directory. */
export function componentOfImage(ctx: AnalyzerContext, image: string): string | undefined {
  const { base } = imageRepository(image);
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
