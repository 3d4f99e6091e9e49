/**
 * endpoints: every interface a service really serves — HTTP routes from Express, Koa, Fastify,
 * Hono, NestJS and Next.js with all mount prefixes resolved, GraphQL operations, gRPC rpcs and
 * WebSocket events — with the handler, the component and the authentication that applies.
 * It runs in the file pass: each script's engine index (src/analysis) is kept, and every rule reads
 * the indexes (NestJS, sockets, routers, Next.js): no syntax tree. OpenAPI
 * operations (read by the openapi analyzer's loader) are matched with code endpoints and the
 * differences kept as drift.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { Details, Endpoint, Evidence } from '../../src/model/schema.js';
import type { Spec, SpecOperation } from '../../src/analysis/openapi.js';
import { envLookup } from './env.js';
import { NestEvaluator, nestEndpoints } from './nest.js';
import { isNestCall, nestTransports } from './nest-rpc.js';
import { nextEndpoints } from './next.js';
import { remixEndpoints } from './remix.js';
import { trpcEndpoints, trpcRouteMethods } from './trpc.js';
import { pathShape, toColonParams } from './paths.js';
import { Resolver } from './resolver.js';
import { RouterGraph } from './routers.js';
import { socketEndpoints } from './sockets.js';
import { tanstackEndpoints } from './tanstack.js';
import { astroEndpoints } from './astro.js';
import { polyglotEndpoints } from './polyglot/index.js';
import { linkGrpcClients, serveProtos } from './grpc.js';
import { graphqlOperations, protoOperations } from './schemas.js';
import type { Found } from './types.js';
import type { FileIndex as EngineIndex } from '../../src/analysis/index-file.js';
import { idOf } from '../../src/model/ids.js';
import { pushAll } from '../../src/util/arrays.js';

interface Merged {
  protocol: Endpoint['protocol'];
  method: string;
  path: string;
  component?: string;
  evidence: Evidence[];
  /** Where the route itself is declared (first code declaration, or the spec operation). */
  at: Evidence;
  frameworks: Set<string>;
  handler?: string;
  summary?: string;
  tags: Set<string>;
  mechanisms: Set<string>;
  optOut: boolean;
  roles: Set<string>;
  details: Details;
  code: boolean;
  spec?: { file: string; operationId?: string; authRequired: boolean | null };
  servedAt?: Evidence | null;
  /** The folder of the unit of code in another language that declares it, when no workspace package owns it. */
  unit?: string;
}

/** Endpoint ids: `endpoint:METHOD /path`; in a repository of several packages, ids of endpoints
 * outside the root package carry the package path (`endpoint:apps/api:GET /orders/:id`), so two
 * services serving the same route never collide and adding a service never renames another's. */
export function endpointId(ctx: AnalyzerContext, component: string | undefined, method: string, path: string): string {
  const pkg = component ? ctx.workspace.packages.find((p) => p.componentId === component) : undefined;
  const scoped = ctx.workspace.packages.length > 1 && pkg && pkg.path !== '.';
  return scoped ? idOf.endpoint(pkg.path, `${method} ${path}`) : idOf.endpoint(`${method} ${path}`);
}

function key(m: { component?: string; protocol: string; method: string; path: string; owner?: string }): string {
  return `${m.component ?? m.owner ?? ''}\u0000${m.protocol}\u0000${m.method}\u0000${m.path}`;
}

/** Where an rpc no component owns is served: the registration's folder (two servers of one service stay two). */
function servedFolder(f: Found): string | undefined {
  if (f.component || !f.servedAt) return undefined;
  const file = f.servedAt.file;
  return `folder:${file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'}`;
}

function consolidate(ctx: AnalyzerContext, found: Found[]): Map<string, Merged> {
  const out = new Map<string, Merged>();
  for (const f of found) {
    // A served rpc belongs to the component that registers its service, whatever folder its .proto is in.
    // A NestJS controller of a library belongs to the application that serves it (f.component).
    // A route of another language's unit of code gets its component when the units are linked.
    const component = f.servedAt !== undefined || f.unit !== undefined ? f.component : (f.component ?? ctx.componentOf(f.file));
    const k = key({ ...f, component, owner: servedFolder(f) ?? (f.unit ? `unit:${f.unit}` : undefined) });
    let m = out.get(k);
    if (!m) {
      m = {
        protocol: f.protocol,
        method: f.method,
        path: f.path,
        component,
        evidence: [],
        at: { file: f.file, line: f.line },
        frameworks: new Set(),
        tags: new Set(),
        mechanisms: new Set(),
        optOut: false,
        roles: new Set(),
        details: {},
        code: true,
        ...(f.unit && !component ? { unit: f.unit } : {}),
      };
      out.set(k, m);
    }
    if (m.servedAt === undefined && f.servedAt !== undefined) m.servedAt = f.servedAt;
    m.evidence.push({ file: f.file, line: f.line }, ...(f.more ?? []));
    m.frameworks.add(f.framework);
    m.handler ??= f.handler;
    m.summary ??= f.summary;
    for (const t of f.tags ?? []) m.tags.add(t);
    for (const x of f.mechanisms) m.mechanisms.add(x);
    for (const x of f.roles ?? []) m.roles.add(x);
    if (f.optOut) m.optOut = true;
    for (const [dk, dv] of Object.entries(f.details ?? {})) if (m.details[dk] === undefined) m.details[dk] = dv;
  }
  return out;
}

/** GraphQL's HTTP endpoint, once per component that has GraphQL operations. */
function addGraphqlHttp(merged: Map<string, Merged>): void {
  const byComponent = new Map<string, Merged[]>();
  for (const m of merged.values()) {
    if (m.protocol !== 'graphql') continue;
    const list = byComponent.get(m.component ?? '') ?? [];
    list.push(m);
    byComponent.set(m.component ?? '', list);
  }
  for (const [comp, list] of byComponent) {
    const sorted = [...list].sort((a, b) => compareStrings(a.at.file, b.at.file) || a.at.line - b.at.line);
    const path = (sorted.map((m) => m.details.httpPath).find((p) => typeof p === 'string') as string | undefined) ?? '/graphql';
    const component = comp === '' ? undefined : comp;
    const k = key({ component, protocol: 'http', method: 'POST', path });
    if (merged.has(k)) continue;
    // The HTTP endpoint is protected when every operation behind it is.
    const allProtected = list.every((m) => m.mechanisms.size > 0 && !m.optOut);
    merged.set(k, {
      protocol: 'http',
      method: 'POST',
      path,
      component,
      evidence: [sorted[0]!.at],
      at: sorted[0]!.at,
      frameworks: new Set(['graphql']),
      summary: `GraphQL endpoint (${list.length} operation${list.length === 1 ? '' : 's'})`,
      tags: new Set(),
      mechanisms: new Set(allProtected ? list.flatMap((m) => [...m.mechanisms]) : []),
      optOut: false,
      roles: new Set(),
      details: { graphql: true },
      code: true,
    });
  }
}

/** Who serves an endpoint while matching specs: its component, or the unit of code in another language that declares it. */
function ownerKey(m: Merged): string {
  return m.component ?? (m.unit ? `unit:${m.unit}` : '');
}

function matchSpecs(ctx: AnalyzerContext, specs: Spec[], merged: Map<string, Merged>): void {
  const http = [...merged.values()].filter((m) => m.protocol === 'http' && m.code);
  const specComponents = new Set<string>();
  const matched = new Set<Merged>();
  const find = (list: Merged[], op: SpecOperation): Merged | undefined => {
    for (const shape of [pathShape(op.path), pathShape(op.specPath)]) {
      const hit =
        list.find((m) => m.method === op.method && pathShape(m.path) === shape) ?? list.find((m) => m.method === 'ALL' && pathShape(m.path) === shape);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const spec of specs) {
    // The component the spec documents: the one whose code matches most of its operations.
    const counts = new Map<string, number>();
    for (const op of spec.operations) {
      const hit = find(http, op);
      if (hit) counts.set(ownerKey(hit), (counts.get(ownerKey(hit)) ?? 0) + 1);
    }
    const own = ctx.componentOf(spec.file) ?? '';
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === own ? -1 : b[0] === own ? 1 : compareStrings(a[0], b[0])))[0];
    const comp = best ? best[0] : own;
    // A description nothing in the repository names (`used` false) is not the served API: where
    // code gives some of its operations, the endpoints come from the code alone (no evidence in
    // it, no drift against it); where none does (code archdoc does not read), it gives them.
    if (spec.used === false && best) continue;
    specComponents.add(comp);
    const inComponent = http.filter((m) => ownerKey(m) === comp);
    for (const op of spec.operations) {
      const specEv = { file: op.file, line: op.line };
      const specDetails: Details = { specFile: spec.file, ...(op.operationId ? { operationId: op.operationId } : {}) };
      if (op.deprecated) specDetails.deprecated = true;
      if (op.requestSchema) specDetails.requestSchema = op.requestSchema;
      if (op.responseSchema) specDetails.responseSchema = op.responseSchema;
      const hit = find(inComponent, op);
      const mechanisms = op.schemes.map((s) => `${s} (OpenAPI)`);
      if (hit) {
        matched.add(hit);
        hit.evidence.push(specEv);
        hit.summary ??= op.summary;
        for (const t of op.tags) hit.tags.add(t);
        for (const [k, v] of Object.entries(specDetails)) if (hit.details[k] === undefined) hit.details[k] = v;
        hit.spec = { file: spec.file, operationId: op.operationId, authRequired: op.authRequired };
        if (pathShape(hit.path) !== pathShape(op.path)) hit.details.specPath = op.path;
        continue;
      }
      const unit = comp.startsWith('unit:') ? comp.slice('unit:'.length) : undefined;
      const component = comp === '' || unit ? undefined : comp;
      const path = toColonParams(op.path);
      const k = key({ component, owner: unit ? comp : undefined, protocol: 'http', method: op.method, path });
      const prev = merged.get(k);
      if (prev) {
        prev.evidence.push(specEv);
        continue;
      }
      merged.set(k, {
        protocol: 'http',
        method: op.method,
        path,
        component,
        evidence: [specEv],
        at: specEv,
        frameworks: new Set(['openapi']),
        handler: op.operationId,
        summary: op.summary,
        tags: new Set(op.tags),
        mechanisms: new Set(op.authRequired === false ? [] : mechanisms),
        optOut: op.authRequired === false,
        roles: new Set(),
        details: specDetails,
        code: false,
        spec: { file: spec.file, operationId: op.operationId, authRequired: op.authRequired },
        ...(unit ? { unit } : {}),
      });
    }
  }
  // Drift: only where a spec documents a component that also has code endpoints.
  const codeComponents = new Set(http.map(ownerKey));
  for (const m of merged.values()) {
    if (m.protocol !== 'http' || !specComponents.has(ownerKey(m)) || !codeComponents.has(ownerKey(m))) continue;
    if (!m.code) m.details.drift = 'documented but not implemented';
    else if (!matched.has(m) && !m.details.graphql) m.details.drift = 'implemented but not documented';
  }
}

function toEndpoint(ctx: AnalyzerContext, m: Merged, authComponents: Set<string>): Endpoint {
  const source: Endpoint['source'] = m.code && m.spec ? 'both' : m.code ? 'code' : 'spec';
  const mechanisms = [...m.mechanisms].sort(compareStrings);
  let required: boolean | null;
  if (m.optOut) required = false;
  else if (mechanisms.length > 0) required = true;
  else if (m.spec && m.spec.authRequired !== null && !m.code) required = m.spec.authRequired;
  else if (m.protocol === 'http' && m.code && !m.details.graphql && authComponents.has(m.component ?? '')) required = false;
  else required = null;
  if (m.code && m.spec && m.spec.authRequired !== null) {
    if (m.spec.authRequired && required === false) m.details.authDrift = 'the specification requires authentication; the code applies none';
    if (!m.spec.authRequired && required === true) m.details.authDrift = 'the specification marks this public; the code requires authentication';
  }
  const details: Details = {
    ...m.details,
    framework: [...m.frameworks].sort(compareStrings).join(', '),
    routeFile: m.at.file,
    routeLine: m.at.line,
  };
  delete details.httpPath;
  if (m.roles.size > 0) details.roles = [...m.roles].sort(compareStrings);
  const e: Endpoint = {
    id:
      !m.component && m.servedAt
        ? idOf.endpoint(m.servedAt.file.slice(0, Math.max(0, m.servedAt.file.lastIndexOf('/'))) || '.', `${m.method} ${m.path}`)
        : !m.component && m.unit
          ? idOf.endpoint(m.unit, `${m.method} ${m.path}`)
          : endpointId(ctx, m.component, m.method, m.path),
    name: `${m.method} ${m.path}`,
    evidence: sortedEvidence(m.evidence),
    method: m.method,
    path: m.path,
    protocol: m.protocol,
    auth: { required, mechanisms },
    source,
    details,
  };
  if (m.component) e.component = m.component;
  if (m.servedAt !== undefined) e.servedAt = m.servedAt;
  if (m.summary) e.summary = m.summary;
  if (m.handler) e.handler = m.handler;
  if (m.tags.size > 0) e.tags = [...m.tags].sort(compareStrings);
  return e;
}

function analyse(ctx: AnalyzerContext, engineIndexes: ReadonlyMap<string, EngineIndex>): void {
  const files = [...engineIndexes.keys()].sort(compareStrings).map((f) => engineIndexes.get(f)!);
  const resolve = (from: string, spec: string) => ctx.resolveImport(from, spec);
  const ev = new NestEvaluator(engineIndexes, resolve);
  let found: Found[] = socketEndpoints(ev, files, resolve);
  // Routers are read in the run's order of scripts.
  const scripts = ctx
    .typescriptFiles()
    .filter((f) => engineIndexes.has(f))
    .map((f) => engineIndexes.get(f)!);
  const r = new Resolver(ctx, ev);
  const graph = new RouterGraph(r);
  for (const fi of scripts) graph.collect(fi);
  pushAll(found, graph.endpoints());
  pushAll(found, polyglotEndpoints(ctx));

  const protoPaths = new Map<string, string>();
  const protoOps: Found[] = [];
  for (const file of ctx.filesMatching((f) => f.endsWith('.proto') && !ctx.isSetAside(f))) {
    const text = ctx.read(file);
    if (!text) continue;
    for (const op of protoOperations(text, file)) {
      protoOps.push(op);
      protoPaths.set(op.path.replace(/^\/(?:[\w.]+\.)?/, ''), op.path);
    }
  }
  // An rpc belongs to the component that registers its service; a .proto copy serves nothing.
  pushAll(found, serveProtos(ctx, protoOps).found);
  const transports = nestTransports(
    ctx,
    files.map((fi) => fi.file),
  );
  const nest = nestEndpoints(
    ev,
    files,
    (f) => ctx.componentOf(f),
    protoPaths,
    (f, l, m) => ctx.warn(f, l, m),
    (f) => ctx.read(f),
    resolve,
    envLookup({ files: ctx.files, read: (f) => ctx.read(f) }),
  );
  pushAll(
    found,
    nest.filter((f) => f.protocol !== 'rpc' || isNestCall(transports(f.file))),
  );
  pushAll(
    found,
    nextEndpoints(ctx, r, (e) => graph.delegation(e)),
  );
  pushAll(found, tanstackEndpoints(ev, files));
  pushAll(found, astroEndpoints(ctx, r));
  pushAll(
    found,
    remixEndpoints({
      packages: ctx.workspace.packages,
      scripts: scripts.map((fi) => fi.file),
      index: (f) => engineIndexes.get(f),
      packageOf: (f) => ctx.packageOf(f)?.path,
      warn: (f, l, m) => ctx.warn(f, l, m),
    }),
  );
  const trpc = trpcEndpoints({ r, scripts, componentOf: (f) => ctx.componentOf(f), warn: (f, l, m) => ctx.warn(f, l, m) });
  found = trpcRouteMethods(found, trpc.nextRoutes);
  pushAll(found, trpc.procedures);
  for (const file of ctx.filesMatching((f) => /\.(graphql|gql|graphqls)$/.test(f) && !ctx.isSetAside(f))) {
    const text = ctx.read(file);
    if (text) pushAll(found, graphqlOperations(text, file));
  }
  for (const fi of scripts) {
    for (const t of fi.embedded.gql) pushAll(found, graphqlOperations(t.text, fi.file, t.lineOffset, 'graphql-typedefs'));
  }
  for (const f of found) {
    if (f.details?.unresolvedPath) ctx.warn(f.file, f.line, `route path \`${f.details.unresolvedPath}\` could not be resolved statically; shown in braces`);
  }

  const merged = consolidate(ctx, found);
  addGraphqlHttp(merged);
  const specs = ctx.consume('openapi.specs').flat();
  if (specs.length > 0) matchSpecs(ctx, specs, merged);

  // A component where some route is protected: its routes without auth are public, not unknown.
  const authComponents = new Set<string>();
  // (tRPC procedures authenticate inside their router: the route serving it is not thereby public.)
  for (const m of merged.values()) if (m.code && m.mechanisms.size > 0 && m.protocol !== 'trpc') authComponents.add(m.component ?? '');
  for (const m of merged.values()) ctx.emit('endpoints', toEndpoint(ctx, m, authComponents));
}

export default defineAnalyzer({
  meta: {
    name: 'endpoints',
    description:
      'HTTP routes (Express, Koa, Fastify, Hono, NestJS, Next.js), tRPC procedures, GraphQL, gRPC and WebSocket interfaces with auth per route, matched with OpenAPI specs',
    // observability: the gRPC health-checking service a server registers is a health check, not an endpoint (grpc.ts).
    produces: ['endpoints', 'observability'],
    consumes: ['openapi.specs', 'components', 'endpoints', 'components.settled'],
    provides: ['components.rpc'],
    amends: ['components'],
  },
  scan(ctx) {
    const indexes = new Map<string, EngineIndex>();
    return {
      wants: (file) => !ctx.isSetAside(file),
      visitIndex: (file, index) => void indexes.set(file, index),
      finish: () => analyse(ctx, indexes),
    };
  },
  // A gRPC client stub makes its component depend on the component that registers the service.
  link(model, ctx) {
    linkGrpcClients(model, ctx);
    ctx.provide('components.rpc', model.components);
  },
});
