/**
 * platforms: the manifests of hosting platforms — fly.toml (Fly.io), wrangler.toml /
 * wrangler.json(c) (Cloudflare Workers), vercel.json (Vercel), netlify.toml (Netlify), Procfile
 * and app.json (Heroku), render.yaml (Render), railway.json / railway.toml (Railway), app.yaml with
 * `runtime:` (Google App Engine), appspec.yml for EC2 (AWS CodeDeploy). Each becomes a deployment workload naming its platform
 * (`details.platform`) and whether it runs a server or a function (`details.unit`). A Worker's
 * D1, KV and R2 bindings become data stores and its queue bindings queues, with the Worker as
 * their user, producer or consumer.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { DataStore, Details, Evidence } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { jsonKeyLine, parseJsonc } from '../../src/util/text.js';
import { jsonTooDeep } from '../../src/util/nesting.js';
import { readToml, tomlCount, tomlGet, type TomlRead } from './toml.js';
import { lineOf } from '../../src/analysis/yaml.js';
import { dataStoreId, storeTech } from '../../src/data/ids.js';
import { idOf } from '../../src/model/ids.js';

/** Larger platform manifests are not hand-written: skipped with a warning. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

const base = (file: string): string => file.slice(file.lastIndexOf('/') + 1);
const folderName = (file: string): string => {
  const d = dirOf(file);
  return d === '' || d === '.' ? '.' : d.slice(d.lastIndexOf('/') + 1);
};

interface Unit {
  platform: string;
  kind: string;
  name: string;
  unit: 'server' | 'function' | 'worker' | 'static';
  file: string;
  line: number;
  component?: string;
  details?: Details;
}

function emitUnit(ctx: AnalyzerContext, u: Unit): void {
  const details: Details = { platform: u.platform, unit: u.unit, ...(u.details ?? {}) };
  const component = u.component ?? ctx.componentOf(u.file);
  ctx.emit('workloads', {
    id: idOf.workload(u.platform.toLowerCase().split(' ').join('-'), u.file, u.name),
    name: u.name,
    kind: u.kind,
    ...(component ? { component } : {}),
    details,
    evidence: [{ file: u.file, line: u.line }],
  });
}

function text(ctx: AnalyzerContext, file: string): string | undefined {
  const t = ctx.read(file);
  if (t === undefined) return undefined;
  if (t.length > MAX_MANIFEST_BYTES) {
    ctx.warn(file, 0, `platform manifest skipped: larger than ${MAX_MANIFEST_BYTES / 1024} KiB`);
    return undefined;
  }
  return t;
}

function toml(ctx: AnalyzerContext, file: string): TomlRead | undefined {
  const t = text(ctx, file);
  if (t === undefined) return undefined;
  const read = readToml(t);
  for (const e of read.errors) ctx.warn(file, e.line, e.message);
  return read;
}

function jsonc(ctx: AnalyzerContext, file: string): { value: Record<string, unknown>; text: string } | undefined {
  const t = text(ctx, file);
  if (t === undefined) return undefined;
  const deep = jsonTooDeep(t);
  if (deep !== undefined) {
    ctx.warn(file, 1, 'platform manifest skipped: nested too deeply');
    return undefined;
  }
  try {
    const v = parseJsonc(t);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    return { value: v as Record<string, unknown>, text: t };
  } catch (e) {
    ctx.warn(file, 1, `platform manifest not parsed: ${(e as Error).message}`);
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** A Cloudflare Worker and its bindings, from wrangler.toml or wrangler.json(c). */
interface Binding {
  kind: 'd1' | 'kv' | 'r2' | 'ae' | 'producer' | 'consumer' | 'do' | 'assets' | 'cron';
  /** The resource's own name (database_name, bucket_name, queue…), else the binding. */
  name: string;
  /** The name the Worker's code uses (`env.DB`), when the manifest gives one. */
  binding?: string;
  line: number;
}

/**
 * The platform resource each binding declares, typed by its wrangler key in the singular and
 * named by its binding (the name the code uses); a cron trigger by its schedule. Queue bindings
 * are queues, not listed here.
 */
const BINDING_RESOURCE: Partial<Record<Binding['kind'], { type: string; role: 'data' | 'compute' | 'edge' }>> = {
  d1: { type: 'd1_database', role: 'data' },
  kv: { type: 'kv_namespace', role: 'data' },
  r2: { type: 'r2_bucket', role: 'data' },
  ae: { type: 'analytics_engine_dataset', role: 'data' },
  do: { type: 'durable_object', role: 'compute' },
  assets: { type: 'assets', role: 'edge' },
  cron: { type: 'cron_trigger', role: 'compute' },
};

function emitBindingResources(ctx: AnalyzerContext, file: string, bindings: readonly Binding[]): void {
  for (const b of bindings) {
    const r = BINDING_RESOURCE[b.kind];
    if (!r) continue;
    const name = b.binding ?? b.name;
    // One resource however many Workers bind it under the same name (one id, the evidence merged).
    ctx.emit('infrastructure', {
      id: idOf.infra('wrangler', r.type, name),
      name,
      type: r.type,
      role: r.role,
      provider: 'cloudflare',
      source: 'wrangler',
      evidence: [{ file, line: b.line }],
    });
  }
}

function emitWorker(ctx: AnalyzerContext, file: string, name: string, line: number, main: string | undefined, bindings: Binding[]): void {
  const component = (main && ctx.componentOf(joinPosix(dirOf(file), main))) || ctx.componentOf(file);
  const details: Details = {};
  if (main) details.main = main;
  emitUnit(ctx, { platform: 'Cloudflare Workers', kind: 'Cloudflare Worker', name, unit: 'function', file, line, component, details });
  const usedBy = component ? [component] : [];
  emitBindingResources(ctx, file, bindings);
  const stores: Record<
    'd1' | 'kv' | 'r2' | 'ae',
    { id: string; name: string; tech: string; kind: NonNullable<DataStore['kind']>; key: string; details?: Details }
  > = {
    d1: { id: 'datastore:cloudflare-d1', name: 'SQLite (Cloudflare D1)', tech: 'cloudflare-d1', kind: 'relational', key: 'databases' },
    kv: { id: 'datastore:cloudflare-kv', name: 'Cloudflare Workers KV', tech: 'cloudflare-kv', kind: 'key-value', key: 'namespaces' },
    r2: { id: 'datastore:cloudflare-r2', name: 'Cloudflare R2', tech: 'cloudflare-r2', kind: 'object', key: 'buckets' },
    // Workers Analytics Engine: a time-series store written with writeDataPoint and queried with SQL.
    ae: {
      id: 'datastore:cloudflare-analytics-engine',
      name: 'Cloudflare Workers Analytics Engine',
      tech: 'cloudflare-analytics-engine',
      kind: 'other',
      key: 'datasets',
      details: { dataModel: 'time-series' },
    },
  };
  for (const b of bindings) {
    const ev: Evidence[] = [{ file, line: b.line }];
    if (b.kind === 'producer' || b.kind === 'consumer') {
      ctx.emit('queues', {
        id: idOf.queue(b.name),
        name: b.name,
        tech: 'Cloudflare Queues',
        producers: b.kind === 'producer' ? usedBy : [],
        consumers: b.kind === 'consumer' ? usedBy : [],
        evidence: ev,
      });
      continue;
    }
    if (b.kind === 'do' || b.kind === 'assets' || b.kind === 'cron') continue;
    const s = stores[b.kind];
    ctx.emit('dataStores', { id: s.id, name: s.name, tech: s.tech, kind: s.kind, usedBy, details: { ...(s.details ?? {}), [s.key]: [b.name] }, evidence: ev });
  }
}

function wranglerToml(ctx: AnalyzerContext, file: string): void {
  const t = toml(ctx, file);
  if (!t) return;
  const nameEntry = tomlGet(t, '', 'name');
  const name = typeof nameEntry?.value === 'string' ? nameEntry.value : folderName(file);
  const main = tomlGet(t, '', 'main');
  const bindings: Binding[] = [];
  const tables: [string, Binding['kind'], string][] = [
    ['d1_databases', 'd1', 'database_name'],
    ['kv_namespaces', 'kv', 'binding'],
    ['r2_buckets', 'r2', 'bucket_name'],
    ['analytics_engine_datasets', 'ae', 'dataset'],
    ['queues.producers', 'producer', 'queue'],
    ['queues.consumers', 'consumer', 'queue'],
  ];
  for (const [table, kind, key] of tables) {
    for (let i = 0; i < tomlCount(t, table); i++) {
      const e = tomlGet(t, table, key, i) ?? tomlGet(t, table, 'binding', i);
      const b = tomlGet(t, table, 'binding', i);
      if (e && typeof e.value === 'string')
        bindings.push({ kind, name: e.value, ...(b && typeof b.value === 'string' ? { binding: b.value } : {}), line: b?.line ?? e.line });
    }
  }
  for (let i = 0; i < tomlCount(t, 'durable_objects.bindings'); i++) {
    const e = tomlGet(t, 'durable_objects.bindings', 'name', i);
    if (e && typeof e.value === 'string') bindings.push({ kind: 'do', name: e.value, line: e.line });
  }
  const assets = tomlGet(t, 'assets', 'binding');
  if (assets && typeof assets.value === 'string') bindings.push({ kind: 'assets', name: assets.value, line: assets.line });
  const crons = tomlGet(t, 'triggers', 'crons');
  if (crons && Array.isArray(crons.value)) for (const c of crons.value) bindings.push({ kind: 'cron', name: c, line: crons.line });
  emitWorker(ctx, file, name, nameEntry?.line ?? 1, typeof main?.value === 'string' ? main.value : undefined, bindings);
}

function wranglerJson(ctx: AnalyzerContext, file: string): void {
  const j = jsonc(ctx, file);
  if (!j) return;
  const v = j.value;
  const bindings: Binding[] = [];
  const arr = (x: unknown): Record<string, unknown>[] =>
    Array.isArray(x) ? x.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  const add = (list: unknown, kind: Binding['kind'], key: string, jsonKey: string) => {
    for (const e of arr(list)) {
      const n = str(e[key]) ?? str(e.binding);
      const b = str(e.binding);
      if (n) bindings.push({ kind, name: n, ...(b ? { binding: b } : {}), line: Math.max(jsonKeyLine(j.text, jsonKey), 1) });
    }
  };
  add(v.d1_databases, 'd1', 'database_name', 'd1_databases');
  add(v.kv_namespaces, 'kv', 'binding', 'kv_namespaces');
  add(v.r2_buckets, 'r2', 'bucket_name', 'r2_buckets');
  add(v.analytics_engine_datasets, 'ae', 'dataset', 'analytics_engine_datasets');
  const queues = typeof v.queues === 'object' && v.queues !== null ? (v.queues as Record<string, unknown>) : {};
  add(queues.producers, 'producer', 'queue', 'producers');
  add(queues.consumers, 'consumer', 'queue', 'consumers');
  const durable = typeof v.durable_objects === 'object' && v.durable_objects !== null ? (v.durable_objects as Record<string, unknown>) : {};
  add(durable.bindings, 'do', 'name', 'durable_objects');
  const assets = typeof v.assets === 'object' && v.assets !== null ? str((v.assets as Record<string, unknown>).binding) : undefined;
  if (assets) bindings.push({ kind: 'assets', name: assets, line: Math.max(jsonKeyLine(j.text, 'assets'), 1) });
  const triggers = typeof v.triggers === 'object' && v.triggers !== null ? (v.triggers as Record<string, unknown>).crons : undefined;
  if (Array.isArray(triggers))
    for (const c of triggers) if (str(c)) bindings.push({ kind: 'cron', name: c as string, line: Math.max(jsonKeyLine(j.text, 'crons'), 1) });
  emitWorker(ctx, file, str(v.name) ?? folderName(file), Math.max(jsonKeyLine(j.text, 'name'), 1), str(v.main), bindings);
}

function flyToml(ctx: AnalyzerContext, file: string): void {
  const t = toml(ctx, file);
  if (!t) return;
  const app = tomlGet(t, '', 'app');
  const details: Details = {};
  const port = tomlGet(t, 'http_service', 'internal_port') ?? tomlGet(t, 'services', 'internal_port');
  if (port && typeof port.value === 'number') details.internalPort = port.value;
  const region = tomlGet(t, '', 'primary_region');
  if (region && typeof region.value === 'string') details.region = region.value;
  emitUnit(ctx, {
    platform: 'Fly.io',
    kind: 'Fly.io app',
    name: typeof app?.value === 'string' ? app.value : folderName(file),
    unit: 'server',
    file,
    line: app?.line ?? 1,
    details,
  });
}

function netlifyToml(ctx: AnalyzerContext, file: string): void {
  const t = toml(ctx, file);
  if (!t) return;
  const details: Details = {};
  const publish = tomlGet(t, 'build', 'publish');
  if (publish && typeof publish.value === 'string') details.publish = publish.value;
  const functions = tomlGet(t, 'build', 'functions') ?? tomlGet(t, 'functions', 'directory');
  if (functions && typeof functions.value === 'string') details.functions = functions.value;
  const first = t.entries[0];
  emitUnit(ctx, {
    platform: 'Netlify',
    kind: 'Netlify site',
    name: folderName(file),
    unit: functions ? 'function' : 'static',
    file,
    line: publish?.line ?? first?.line ?? 1,
    details,
  });
}

function railwayToml(ctx: AnalyzerContext, file: string): void {
  const t = toml(ctx, file);
  if (!t) return;
  const start = tomlGet(t, 'deploy', 'startCommand');
  emitUnit(ctx, { platform: 'Railway', kind: 'Railway service', name: folderName(file), unit: 'server', file, line: start?.line ?? t.entries[0]?.line ?? 1 });
}

function railwayJson(ctx: AnalyzerContext, file: string): void {
  const j = jsonc(ctx, file);
  if (!j) return;
  emitUnit(ctx, {
    platform: 'Railway',
    kind: 'Railway service',
    name: folderName(file),
    unit: 'server',
    file,
    line: Math.max(jsonKeyLine(j.text, 'deploy'), 1),
  });
}

function vercelJson(ctx: AnalyzerContext, file: string): void {
  const j = jsonc(ctx, file);
  if (!j) return;
  emitUnit(ctx, { platform: 'Vercel', kind: 'Vercel project', name: str(j.value.name) ?? folderName(file), unit: 'server', file, line: 1 });
}

/**
 * Manifests of platforms that also run a Procfile's processes (Fly.io's launcher, Render, Railway):
 * a Procfile beside one of them is that app's process list, already counted by its manifest.
 */
const PROCFILE_RUNNERS = ['fly.toml', 'render.yaml', 'railway.json', 'railway.toml'];

/** Procfile: one process type per line (`web: node server.js`); Heroku's unless another platform's manifest shares its folder. */
function procfile(ctx: AnalyzerContext, file: string): void {
  if (PROCFILE_RUNNERS.some((m) => ctx.has(joinPosix(dirOf(file), m)))) return;
  const t = text(ctx, file);
  if (t === undefined) return;
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line[0] === '#') continue;
    const colon = line.indexOf(':');
    const type = colon > 0 ? line.slice(0, colon).trim() : '';
    let ok = type !== '';
    for (const c of type) if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-')) ok = false;
    if (!ok) {
      ctx.warn(file, i + 1, 'Procfile line not read: expected <process type>: <command>');
      continue;
    }
    const unit = type === 'web' ? 'server' : type === 'release' ? undefined : 'worker';
    if (!unit) continue;
    emitUnit(ctx, { platform: 'Heroku', kind: 'Heroku process', name: type, unit, file, line: i + 1 });
  }
}

/** app.json is Heroku's only when it has Heroku's keys (Expo and others use the same name). */
/** Heroku's data add-ons, by the service part of a plan (`heroku-postgresql:essential-0`): the store each provisions. */
const HEROKU_DATA_ADDONS: Record<string, string> = {
  'heroku-postgresql': 'postgresql',
  'heroku-redis': 'redis',
  jawsdb: 'mysql',
  'jawsdb-maria': 'mariadb',
  cleardb: 'mysql',
  bonsai: 'elasticsearch',
  searchbox: 'elasticsearch',
};

function herokuAppJson(ctx: AnalyzerContext, file: string): void {
  const j = jsonc(ctx, file);
  if (!j || 'expo' in j.value) return;
  const key = ['buildpacks', 'formation', 'addons', 'stack'].find((k) => k in j.value);
  if (!key) return;
  const component = ctx.componentOf(file);
  emitUnit(ctx, {
    platform: 'Heroku',
    kind: 'Heroku app',
    name: str(j.value.name) ?? folderName(file),
    unit: 'server',
    file,
    line: Math.max(jsonKeyLine(j.text, key), 1),
  });
  // A data add-on (`"addons": ["heroku-postgresql"]`, or `{ "plan": "heroku-postgresql:essential-0" }`) is a store the app gets, at the plan's line.
  const addons = Array.isArray(j.value.addons) ? (j.value.addons as unknown[]) : [];
  for (const a of addons) {
    const plan = typeof a === 'string' ? a : typeof a === 'object' && a !== null ? str((a as Record<string, unknown>).plan) : undefined;
    if (!plan) continue;
    const service = plan.split(':')[0]!.trim().toLowerCase();
    const tech = HEROKU_DATA_ADDONS[service] ? storeTech(HEROKU_DATA_ADDONS[service]!) : undefined;
    if (!tech) continue;
    const at = j.text.indexOf(JSON.stringify(plan));
    const line = at < 0 ? 1 : j.text.slice(0, at).split('\n').length;
    ctx.emit('dataStores', {
      id: dataStoreId(tech.tech),
      name: tech.name,
      tech: tech.tech,
      kind: tech.kind,
      usedBy: component ? [component] : [],
      details: { provisionedBy: [`Heroku add-on ${plan}`] },
      evidence: [{ file, line }],
    });
  }
}

function renderYaml(ctx: AnalyzerContext, file: string): void {
  const y = ctx.yaml(file);
  if (!y) return;
  for (const doc of y.documents) {
    const services = (y.toJS(doc) as { services?: unknown } | null)?.services;
    if (!Array.isArray(services)) continue;
    services.forEach((s: unknown, i: number) => {
      if (typeof s !== 'object' || s === null) return;
      const svc = s as Record<string, unknown>;
      const type = str(svc.type) ?? 'web';
      const unit = type === 'web' || type === 'pserv' ? 'server' : type === 'worker' || type === 'cron' ? 'worker' : undefined;
      if (!unit) return;
      const name = str(svc.name) ?? `service ${i + 1}`;
      const where = str(svc.rootDir) ?? (str(svc.dockerfilePath) ? dirOf(str(svc.dockerfilePath)!) : undefined);
      const component = where ? ctx.componentOf(joinPosix(dirOf(file), where, 'package.json')) : undefined;
      const details: Details = { type };
      const runtime = str(svc.runtime) ?? str(svc.env);
      if (runtime) details.runtime = runtime;
      emitUnit(ctx, { platform: 'Render', kind: 'Render service', name, unit, file, line: lineOf(y, doc.contents, ['services', i]), component, details });
    });
  }
}

function appEngineYaml(ctx: AnalyzerContext, file: string): void {
  const y = ctx.yaml(file);
  if (!y) return;
  const doc = y.documents[0];
  const v = (doc ? y.toJS(doc) : undefined) as Record<string, unknown> | null | undefined;
  if (!doc || !v || typeof v !== 'object' || !str(v.runtime) || 'apiVersion' in v || 'kind' in v) return;
  emitUnit(ctx, {
    platform: 'Google App Engine',
    kind: 'App Engine service',
    name: str(v.service) ?? 'default',
    unit: 'server',
    file,
    line: lineOf(y, doc.contents, ['runtime']),
    details: { runtime: str(v.runtime)! },
  });
}

/**
 * AWS CodeDeploy's `appspec.yml` for EC2 or on-premises instances (`os: linux|windows`, with `files` or
 * `hooks`): the folder's code is copied onto instances CodeDeploy manages. An ECS or Lambda appspec
 * (`Resources:` naming a `TargetService` or function) deploys what those platforms already count.
 */
function codeDeployAppspec(ctx: AnalyzerContext, file: string): void {
  const y = ctx.yaml(file);
  if (!y) return;
  const doc = y.documents[0];
  const v = (doc ? y.toJS(doc) : undefined) as Record<string, unknown> | null | undefined;
  if (!doc || !v || typeof v !== 'object') return;
  const os = str(v.os);
  if ((os !== 'linux' && os !== 'windows') || !('files' in v || 'hooks' in v) || 'Resources' in v) return;
  emitUnit(ctx, {
    platform: 'Amazon EC2',
    kind: 'CodeDeploy deployment',
    name: folderName(file),
    unit: 'server',
    file,
    line: lineOf(y, doc.contents, ['os']),
    details: { os },
  });
}

/** `.replit` with a `[deployment]` table: the app is deployed on Replit (`run`, `deploymentTarget`). */
function replit(ctx: AnalyzerContext, file: string): void {
  const t = toml(ctx, file);
  if (!t) return;
  const entries = t.entries.filter((e) => e.table === 'deployment' || e.table.startsWith('deployment.'));
  if (entries.length === 0) return;
  const details: Details = {};
  const target = tomlGet(t, 'deployment', 'deploymentTarget');
  if (target && typeof target.value === 'string') details.target = target.value;
  const run = tomlGet(t, 'deployment', 'run');
  const unit = details.target === 'static' ? 'static' : 'server';
  emitUnit(ctx, { platform: 'Replit', kind: 'Replit deployment', name: folderName(file), unit, file, line: (run ?? entries[0]!).line, details });
}

const READERS: [string, (ctx: AnalyzerContext, file: string) => void][] = [
  ['.replit', replit],
  ['fly.toml', flyToml],
  ['wrangler.toml', wranglerToml],
  ['wrangler.json', wranglerJson],
  ['wrangler.jsonc', wranglerJson],
  ['vercel.json', vercelJson],
  ['netlify.toml', netlifyToml],
  ['Procfile', procfile],
  ['app.json', herokuAppJson],
  ['render.yaml', renderYaml],
  ['railway.json', railwayJson],
  ['railway.toml', railwayToml],
  ['app.yaml', appEngineYaml],
  ['appspec.yml', codeDeployAppspec],
  ['appspec.yaml', codeDeployAppspec],
];

export default defineAnalyzer({
  meta: {
    name: 'platforms',
    description:
      'Hosting-platform manifests (Fly.io, Cloudflare Workers, Vercel, Netlify, Heroku, Render, Railway, Google App Engine, AWS CodeDeploy to EC2) as workloads, with Worker bindings',
    produces: ['workloads', 'dataStores', 'queues'],
  },
  analyze(ctx) {
    const readers = new Map(READERS);
    for (const file of ctx.filesMatching((f) => readers.has(base(f)))) {
      if (file.split('/').includes('node_modules')) continue;
      readers.get(base(file))!(ctx, file);
    }
  },
});
