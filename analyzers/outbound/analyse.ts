/**
 * The outbound analysis proper: index, resolve, aggregate per component, emit. The indexes, the
 * evaluator and what each call does are handed to the flows analyzer as the `scripts.calls` product.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileScan } from '../../src/analyzer/define.js';
import type { CallEffect } from '../../src/analysis/calls.js';
import { literalHead, propOf, type CallSite, type FileIndex } from '../../src/analysis/index-file.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import { dataStoreId, storeTech } from '../../src/data/ids.js';
import { idOf, parseId } from '../../src/model/ids.js';
import type { DataStore, Evidence, ExternalService } from '../../src/model/schema.js';
import { CACHE_BACKENDS, DRIVERS, EXTRA_STORES, type Target } from './catalogue.js';
import { Resolver, type Effect, type Located } from './resolve.js';

const ORM_CONFIG_KEYS = ['type', 'dialect', 'client', 'driver', 'provider'];
const KYSELY_DIALECTS: Record<string, string> = { PostgresDialect: 'postgresql', MysqlDialect: 'mysql', SqliteDialect: 'sqlite', MssqlDialect: 'sqlserver' };

/** The file pass's part: every source file outside tests and node_modules, indexed without syntax nodes. */
export function scanOutbound(ctx: AnalyzerContext): FileScan {
  const indexes = new Map<string, FileIndex>();
  return {
    wants: (file) => !ctx.isSetAside(file) && !/(^|\/)node_modules\//.test(file),
    visitIndex: (file, index) => void indexes.set(file, index),
    finish: () => analyseOutbound(ctx, indexes),
  };
}

function analyseOutbound(ctx: AnalyzerContext, indexes: Map<string, FileIndex>): void {
  const resolver = new Resolver(indexes, (from, specifier) => ctx.resolveImport(from, specifier));
  const effects = new Map<string, Located[]>();
  /** Dialect declared in ORM configuration, per component (and '*' for anywhere). */
  const dialects = new Map<string, Map<string, string>>();
  const noteDialect = (component: string, lib: string, raw: string) => {
    const tech = storeTech(raw)?.tech;
    if (!tech) return;
    for (const key of [component, '*']) {
      const m = dialects.get(key) ?? new Map<string, string>();
      if (!m.has(lib)) m.set(lib, tech);
      dialects.set(key, m);
    }
  };

  for (const fn of resolver.fns.values()) {
    const list: Located[] = [];
    const component = ctx.componentOf(fn.file) ?? '';
    for (const call of fn.calls) {
      let effect: Effect | undefined;
      try {
        effect = resolver.effect(fn, call);
      } catch (e) {
        ctx.warn(fn.file, call.line, `call could not be resolved: ${(e as Error).message}`);
      }
      if (effect) list.push({ fn, call, effect });
      // ORM configuration: `new DataSource({ type: 'postgres' })`, `knex({ client: 'pg' })`, `new Sequelize({ dialect })`.
      const options = call.args[0]?.k === 'obj' ? call.args[0] : undefined;
      const rootImport = ctx.has(fn.file) ? indexes.get(fn.file)?.imports.get(call.root) : undefined;
      if (rootImport) {
        const lib = libOf(rootImport.module);
        if (lib && options) {
          for (const k of ORM_CONFIG_KEYS) {
            const s = literalHead(propOf(options, k));
            if (s) noteDialect(component, lib, s);
          }
        }
        if (rootImport.module === 'kysely' && KYSELY_DIALECTS[rootImport.name]) noteDialect(component, 'kysely', KYSELY_DIALECTS[rootImport.name]!);
      }
    }
    if (list.length) effects.set(fn.key, list);
  }

  const prismaProviders = prismaSchemaProviders(ctx);
  const storeIdCache = new Map<string, string>();
  const storeIdOf = (effect: Extract<Effect, { k: 'store' }>, file: string): string => {
    const component = ctx.componentOf(file) ?? '';
    const key = `${component}\u0000${effect.target.lib}\u0000${effect.target.tech ?? ''}`;
    const hit = storeIdCache.get(key);
    if (hit) return hit;
    const id = dataStoreId(storeTechFor(ctx, effect.target, file, component, dialects, prismaProviders));
    storeIdCache.set(key, id);
    return id;
  };
  emitFacts(ctx, effects, storeIdOf);
  ctx.provide('scripts.calls', { indexes, effects: productOf(effects, storeIdOf) });
}

/** What each call does, as the flows analyzer reads it: store ids settled, targets by id. */
function productOf(
  effects: Map<string, Located[]>,
  storeIdOf: (effect: Extract<Effect, { k: 'store' }>, file: string) => string,
): Map<string, { call: CallSite; effect: CallEffect }[]> {
  const out = new Map<string, { call: CallSite; effect: CallEffect }[]>();
  for (const [key, list] of effects) {
    out.set(
      key,
      list.map(({ fn, call, effect: e }) => {
        let effect: CallEffect;
        if (e.k === 'store')
          effect = {
            k: 'store',
            store: storeIdOf(e, fn.file),
            ...(e.op ? { op: e.op } : {}),
            ...(e.entity ? { entity: e.entity } : {}),
            ...(e.ttl !== undefined ? { ttl: e.ttl } : {}),
          };
        else if (e.k === 'external') effect = { k: 'external', id: e.target.id, ...(e.what ? { what: e.what } : {}), ...(e.create ? { create: true } : {}) };
        else if (e.k === 'dispatch') effect = { k: 'dispatch', fnKeys: e.fnKeys };
        else if (e.k === 'produce') effect = { k: 'produce', ...(e.queue ? { queue: e.queue } : {}), ...(e.job ? { job: e.job } : {}) };
        else effect = e;
        return { call, effect };
      }),
    );
  }
  return out;
}

/** Package → the ORM/library name dialects are noted under. */
function libOf(module: string): string | undefined {
  if (module === 'typeorm' || module === '@nestjs/typeorm') return 'typeorm';
  if (module === 'sequelize' || module === 'sequelize-typescript' || module === '@nestjs/sequelize') return 'sequelize';
  if (module === 'knex') return 'knex';
  if (module.startsWith('@mikro-orm/')) return 'mikro-orm';
  return undefined;
}

/** Datasource providers of Prisma schemas, by the component holding the schema. */
function prismaSchemaProviders(ctx: AnalyzerContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ctx.filesMatching((f) => f.endsWith('.prisma') && !ctx.isSetAside(f))) {
    const text = ctx.read(file);
    const m = text ? /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]+)"/.exec(text) : null;
    const tech = m ? storeTech(m[1]!)?.tech : undefined;
    if (!tech) continue;
    const component = ctx.componentOf(file) ?? '';
    if (!out.has(component)) out.set(component, tech);
    if (!out.has('*')) out.set('*', tech);
  }
  return out;
}

function storeTechFor(
  ctx: AnalyzerContext,
  target: Extract<Target, { kind: 'store' }>,
  file: string,
  component: string,
  dialects: Map<string, Map<string, string>>,
  prisma: Map<string, string>,
): string {
  if (target.tech) return target.tech;
  if (target.lib === 'cache-manager') {
    for (const [backend, tech] of CACHE_BACKENDS) if (dependsOn(ctx, file, backend)) return tech;
    return 'in-process-cache';
  }
  if (target.lib === 'prisma') {
    const t = prisma.get(component) ?? prisma.get('*');
    if (t) return t;
  }
  const declared = dialects.get(component)?.get(target.lib) ?? dialects.get('*')?.get(target.lib);
  if (declared) return declared;
  // The SQL driver the component (or, failing that, any package or the root manifest) depends on.
  for (const [driver, tech] of DRIVERS) if (dependsOn(ctx, file, driver)) return tech;
  return target.lib;
}

/** The file's package, any workspace package, or the root manifest (Nx projects often have none) declares `dep`. */
function dependsOn(ctx: AnalyzerContext, file: string, dep: string): boolean {
  if (ctx.packageOf(file)?.dependencies.has(dep) || ctx.dependsOn(dep)) return true;
  const root = ctx.workspace.rootManifest;
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((f) => {
    const block = root?.[f];
    return typeof block === 'object' && block !== null && dep in block;
  });
}

function storeName(tech: string): { name: string; kind: NonNullable<DataStore['kind']> } {
  const known = storeTech(tech);
  if (known && known.tech === tech) return { name: known.name, kind: known.kind };
  const extra = EXTRA_STORES[tech];
  if (extra) return extra;
  return { name: `Database (${tech}, technology not declared)`, kind: 'other' };
}

function emitFacts(ctx: AnalyzerContext, effects: Map<string, Located[]>, storeIdOf: (effect: Extract<Effect, { k: 'store' }>, file: string) => string): void {
  interface Acc {
    usedBy: Set<string>;
    evidence: Evidence[];
    env: Set<string>;
    libs: Set<string>;
    ttls: Set<string>;
    methods: Set<string>;
    seenUse: Set<string>;
  }
  const stores = new Map<string, Acc & { tech: string }>();
  const externals = new Map<string, Acc & { name: string; kind: string }>();
  const acc = <T extends Acc>(map: Map<string, T>, id: string, init: () => T): T => {
    let a = map.get(id);
    if (!a) map.set(id, (a = init()));
    return a;
  };
  const fresh = (): Acc => ({ usedBy: new Set(), evidence: [], env: new Set(), libs: new Set(), ttls: new Set(), methods: new Set(), seenUse: new Set() });
  const keys = [...effects.keys()].sort(compareStrings);
  for (const key of keys) {
    for (const { fn, call, effect } of effects.get(key)!) {
      const component = ctx.componentOf(fn.file);
      if (!component) continue;
      const use = { file: fn.file, line: call.line };
      if (effect.k === 'store') {
        const id = storeIdOf(effect, fn.file);
        const a = acc(stores, id, () => ({ ...fresh(), tech: parseId(id)!.key }));
        a.usedBy.add(component);
        a.libs.add(effect.target.lib);
        for (const e of effect.env) a.env.add(e);
        if (effect.ttl !== undefined) a.ttls.add(String(effect.ttl));
        if (!a.seenUse.has(component)) {
          a.seenUse.add(component);
          a.evidence.push(use);
        }
        if (effect.create) a.evidence.push(effect.origin);
      } else if (effect.k === 'external') {
        const a = acc(externals, effect.target.id, () => ({ ...fresh(), name: effect.target.name, kind: effect.target.service }));
        a.usedBy.add(component);
        for (const e of effect.env) a.env.add(e);
        if (!a.seenUse.has(component)) {
          a.seenUse.add(component);
          a.evidence.push(use);
        }
        if (effect.create) a.evidence.push(effect.origin);
      } else if (effect.k === 'http') {
        const a = acc(externals, idOf.external(effect.host), () => ({ ...fresh(), name: effect.host, kind: 'http' }));
        a.usedBy.add(component);
        a.methods.add(effect.method);
        if (!a.seenUse.has(component) || a.evidence.length < 3) {
          a.seenUse.add(component);
          a.evidence.push(use);
        }
      }
    }
  }
  for (const [id, a] of stores) {
    const { name, kind } = storeName(a.tech);
    const fact: DataStore = {
      id,
      name,
      tech: a.tech,
      kind,
      usedBy: sortedUnique(a.usedBy),
      evidence: sortedEvidence(a.evidence),
      details: { clients: sortedUnique(a.libs) },
    };
    if (a.env.size) fact.envVars = sortedUnique(a.env);
    if (a.ttls.size) fact.details = { ...fact.details, cacheTtlSeconds: sortedUnique(a.ttls) };
    ctx.emit('dataStores', fact);
  }
  for (const [id, a] of externals) {
    const fact: ExternalService = {
      id,
      name: a.name,
      kind: a.kind,
      usedBy: sortedUnique(a.usedBy),
      evidence: sortedEvidence(a.evidence),
    };
    const details: Record<string, string[]> = {};
    if (a.env.size) details.envVars = sortedUnique(a.env);
    if (a.methods.size) details.methods = sortedUnique(a.methods);
    if (Object.keys(details).length) fact.details = details;
    ctx.emit('externalServices', fact);
  }
}
