/**
 * Endpoint views for the templates: per-component lists (grouped by resource when long, with a
 * full table for big services), public versus authenticated routes by mechanism, and the
 * specification drift table. Derived from the model only; nothing here invents a fact.
 */
import { compareStrings } from '../model/compare.js';
import type { Endpoint, Evidence, Model } from '../model/schema.js';

export interface EndpointRow {
  id: string;
  method: string;
  path: string;
  protocol: Endpoint['protocol'];
  component?: string;
  summary?: string;
  handler?: string;
  /** Where the route is declared (the handler line), else the first evidence. */
  at: Evidence;
  evidence: Evidence[];
  /** `required`, `public` or `unknown`. */
  access: 'required' | 'public' | 'unknown';
  /** Short label for tables: `required (JwtAuthGuard)`, `public (opt-out: @Public)`, `not determined`. */
  authLabel: string;
  mechanisms: string[];
  source?: Endpoint['source'];
}

export interface EndpointGroup {
  title: string;
  rows: EndpointRow[];
}

export interface ComponentEndpoints {
  total: number;
  /** HTTP endpoints in path order. */
  http: EndpointRow[];
  /** HTTP endpoints grouped by resource (first meaningful path segment), when there are many. */
  groups: EndpointGroup[];
  grouped: boolean;
  /** tRPC procedures (by router when many), GraphQL operations, gRPC methods and WebSocket events, one group per protocol. */
  other: EndpointGroup[];
  /** Big enough for a collapsible full table. */
  big: boolean;
  all: EndpointRow[];
}

export interface MechanismUse {
  mechanism: string;
  count: number;
  evidence: Evidence[];
}

export interface DriftRow {
  component?: string;
  method: string;
  path: string;
  kind: string;
  detail: string;
  evidence: Evidence[];
}

/** A gRPC service that `.proto` files declare and no code in the repository registers. */
export interface DeclaredService {
  service: string;
  rpcs: string[];
  /** The rpc declarations in the first copy, then the other copies. */
  at: Evidence;
  copies: number;
}

/** One row of the product and customer-success audiences' table of every operation. */
export interface OperationRow {
  /** The component's name; undefined for an operation no component serves (a specification's only). */
  component?: string;
  method: string;
  path: string;
  /** `required`, `none` or `not known`. */
  authentication: 'required' | 'none' | 'not known';
}

export interface OperationsTable {
  /** By component (operations of no component last), then path, then method. */
  rows: OperationRow[];
  /** Whether any row's authentication is known (else the column is left out and said once). */
  authenticationKnown: boolean;
}

export interface EndpointsView {
  byComponent: Record<string, ComponentEndpoints>;
  /** Every operation but WebSocket events, named by component, for the Integration points section. */
  operations: OperationsTable;
  /** gRPC services declared but served by nothing found in the repository (`servedAt: null`). */
  declaredOnly: DeclaredService[];
  /** Endpoints no component owns (rare: files outside every package). */
  unassigned: ComponentEndpoints | null;
  security: {
    http: number;
    authenticated: number;
    public: number;
    unknown: number;
    mechanisms: MechanismUse[];
    publicRows: EndpointRow[];
    unknownRows: EndpointRow[];
    /** More than one component serves HTTP (tables then name the component). */
    multiComponent: boolean;
    /** tRPC procedures, counted apart from HTTP endpoints: their checks are the procedures' own. */
    procedures: {
      total: number;
      authenticated: number;
      public: number;
      unknown: number;
      mechanisms: MechanismUse[];
      publicRows: EndpointRow[];
      multiComponent: boolean;
    };
  };
  drift: {
    specs: string[];
    documented: number;
    matched: number;
    rows: DriftRow[];
    multiComponent: boolean;
  };
}

const GROUP_OVER = 10;
const TABLE_OVER = 15;
const PROTOCOL_TITLES: Record<string, string> = {
  graphql: 'GraphQL operations',
  grpc: 'gRPC methods',
  websocket: 'WebSocket events',
  rpc: 'Remote calls (NestJS microservices)',
  trpc: 'tRPC procedures',
};

/** The first meaningful path segment: `/api/v1/orders/:id` → `orders`. */
export function resourceOf(p: string): string {
  const seg = p.split('/').filter((s) => s !== '' && !s.startsWith(':') && !s.startsWith('{') && !/^(api|v\d+(\.\d+)?)$/i.test(s))[0];
  return seg ? `/${seg}` : '/';
}

function row(e: Endpoint): EndpointRow {
  const routeFile = e.details?.routeFile;
  const routeLine = e.details?.routeLine;
  const at = typeof routeFile === 'string' && typeof routeLine === 'number' ? { file: routeFile, line: routeLine } : (e.evidence[0] ?? { file: '.', line: 0 });
  const mechanisms = e.auth?.mechanisms ?? [];
  const required = e.auth?.required;
  const access = required === true ? 'required' : required === false ? 'public' : 'unknown';
  const optOut = typeof e.details?.authOptOut === 'string' ? e.details.authOptOut : undefined;
  const authLabel =
    access === 'required'
      ? `required (${mechanisms.join(', ')})`
      : access === 'public'
        ? optOut
          ? `public (opt-out: @${optOut})`
          : 'public'
        : 'not determined';
  const r: EndpointRow = {
    id: e.id,
    // A tRPC procedure reads as what it is: `query post.byId`, `mutation post.create`.
    method: e.protocol === 'trpc' && typeof e.details?.procedure === 'string' ? e.details.procedure : e.method,
    path: e.path,
    protocol: e.protocol,
    at,
    evidence: e.evidence,
    access,
    authLabel,
    mechanisms,
  };
  if (e.component) r.component = e.component;
  if (e.summary) r.summary = e.summary;
  if (e.handler) r.handler = e.handler;
  if (e.source) r.source = e.source;
  return r;
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL'];
function compareRows(a: EndpointRow, b: EndpointRow): number {
  const ma = METHOD_ORDER.indexOf(a.method);
  const mb = METHOD_ORDER.indexOf(b.method);
  return compareStrings(a.path, b.path) || (ma < 0 ? 99 : ma) - (mb < 0 ? 99 : mb) || compareStrings(a.method, b.method);
}

/** tRPC procedures in path order; many of them, in several routers, one group per top-level router. */
function procedureGroups(rows: EndpointRow[]): EndpointGroup[] {
  if (rows.length === 0) return [];
  const sorted = [...rows].sort((a, b) => compareStrings(a.path, b.path));
  const byRouter = new Map<string, EndpointRow[]>();
  for (const r of sorted) {
    const router = r.path.includes('.') ? r.path.slice(0, r.path.indexOf('.')) : '';
    byRouter.set(router, [...(byRouter.get(router) ?? []), r]);
  }
  if (sorted.length <= GROUP_OVER || byRouter.size < 2) return [{ title: PROTOCOL_TITLES.trpc!, rows: sorted }];
  return [...byRouter.entries()].map(([router, rs]) => ({ title: router ? `${PROTOCOL_TITLES.trpc!}: ${router}` : PROTOCOL_TITLES.trpc!, rows: rs }));
}

function componentEndpoints(list: Endpoint[]): ComponentEndpoints {
  const rows = list.map(row);
  const http = rows.filter((r) => r.protocol === 'http').sort(compareRows);
  const groupsByTitle = new Map<string, EndpointRow[]>();
  for (const r of http) {
    const t = resourceOf(r.path);
    groupsByTitle.set(t, [...(groupsByTitle.get(t) ?? []), r]);
  }
  const groups = [...groupsByTitle.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([title, rs]) => ({ title, rows: rs }));
  const other: EndpointGroup[] = [];
  for (const protocol of ['trpc', 'graphql', 'grpc', 'rpc', 'websocket']) {
    const rs = rows.filter((r) => r.protocol === protocol).sort((a, b) => compareStrings(a.method, b.method) || compareStrings(a.path, b.path));
    if (protocol === 'trpc') other.push(...procedureGroups(rs));
    else if (rs.length > 0) other.push({ title: PROTOCOL_TITLES[protocol]!, rows: rs });
  }
  return {
    total: rows.length,
    http,
    groups,
    grouped: http.length > GROUP_OVER && groups.length > 1,
    other,
    big: rows.length > TABLE_OVER,
    all: [...http, ...other.flatMap((g) => g.rows)],
  };
}

/** The authentication mechanisms of the rows that require one, most used first, with up to three places each. */
function mechanismUses(rows: EndpointRow[]): MechanismUse[] {
  const mech = new Map<string, MechanismUse>();
  for (const r of rows) {
    if (r.access !== 'required') continue;
    for (const m of r.mechanisms) {
      const u = mech.get(m) ?? { mechanism: m, count: 0, evidence: [] };
      u.count++;
      if (u.evidence.length < 3) u.evidence.push(r.at);
      mech.set(m, u);
    }
  }
  return [...mech.values()].sort((a, b) => b.count - a.count || compareStrings(a.mechanism, b.mechanism));
}

export function endpointsView(model: Model): EndpointsView {
  const byComponent: Record<string, ComponentEndpoints> = {};
  const grouped = new Map<string, Endpoint[]>();
  for (const e of model.endpoints) {
    const k = e.component ?? '';
    grouped.set(k, [...(grouped.get(k) ?? []), e]);
  }
  for (const [k, list] of grouped) if (k !== '') byComponent[k] = componentEndpoints(list);
  const loose = grouped.get('');

  const http = model.endpoints
    .filter((e) => e.protocol === 'http')
    .map(row)
    .sort(compareRows);
  const procedures = model.endpoints
    .filter((e) => e.protocol === 'trpc')
    .map(row)
    .sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.component ?? '', b.component ?? ''));
  const httpComponents = new Set(http.map((r) => r.component ?? ''));

  const specs = [...new Set(model.endpoints.map((e) => e.details?.specFile).filter((f): f is string => typeof f === 'string'))].sort(compareStrings);
  const rows: DriftRow[] = [];
  for (const e of model.endpoints) {
    const d = e.details;
    if (typeof d?.drift === 'string') {
      rows.push({
        component: e.component,
        method: e.method,
        path: e.path,
        kind: d.drift,
        detail: d.drift === 'documented but not implemented' ? `in ${String(d.specFile ?? 'the specification')}` : 'no matching operation in the specification',
        evidence: e.evidence,
      });
    }
    if (typeof d?.authDrift === 'string') {
      rows.push({ component: e.component, method: e.method, path: e.path, kind: 'authentication differs', detail: d.authDrift, evidence: e.evidence });
    }
    if (typeof d?.specPath === 'string') {
      rows.push({
        component: e.component,
        method: e.method,
        path: e.path,
        kind: 'path differs',
        detail: `documented as ${d.specPath}`,
        evidence: e.evidence,
      });
    }
  }
  rows.sort(
    (a, b) =>
      compareStrings(a.component ?? '', b.component ?? '') ||
      compareStrings(a.path, b.path) ||
      compareStrings(a.method, b.method) ||
      compareStrings(a.kind, b.kind),
  );

  const declared = new Map<string, Endpoint[]>();
  for (const e of model.endpoints) {
    if (e.servedAt !== null) continue;
    const service = e.path.slice(1, e.path.lastIndexOf('/'));
    declared.set(service, [...(declared.get(service) ?? []), e]);
  }
  const declaredOnly = [...declared.entries()]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([service, list]) => {
      const rows = list.map(row).sort((a, b) => compareStrings(a.path, b.path));
      return {
        service,
        rpcs: rows.map((r) => r.path.slice(r.path.lastIndexOf('/') + 1)),
        at: rows[0]!.at,
        copies: new Set(list.flatMap((e) => e.evidence.map((x) => x.file))).size,
      };
    });

  return {
    byComponent,
    operations: operationsTable(model),
    declaredOnly,
    unassigned: loose ? componentEndpoints(loose) : null,
    security: {
      http: http.length,
      authenticated: http.filter((r) => r.access === 'required').length,
      public: http.filter((r) => r.access === 'public').length,
      unknown: http.filter((r) => r.access === 'unknown').length,
      mechanisms: mechanismUses(http),
      publicRows: http.filter((r) => r.access === 'public'),
      unknownRows: http.filter((r) => r.access === 'unknown'),
      multiComponent: httpComponents.size > 1,
      procedures: {
        total: procedures.length,
        authenticated: procedures.filter((r) => r.access === 'required').length,
        public: procedures.filter((r) => r.access === 'public').length,
        unknown: procedures.filter((r) => r.access === 'unknown').length,
        mechanisms: mechanismUses(procedures),
        publicRows: procedures.filter((r) => r.access === 'public'),
        multiComponent: new Set(procedures.map((r) => r.component ?? '')).size > 1,
      },
    },
    drift: {
      specs,
      documented: model.endpoints.filter((e) => e.source === 'spec' || e.source === 'both').length,
      matched: model.endpoints.filter((e) => e.source === 'both').length,
      rows,
      multiComponent: new Set(rows.map((r) => r.component ?? '')).size > 1,
    },
  };
}

/** Every operation but WebSocket events, by component name, path and method; an operation of no component after the rest. */
export function operationsTable(model: Model): OperationsTable {
  const names = new Map(model.components.map((c) => [c.id, c.name]));
  const rows: OperationRow[] = model.endpoints
    .filter((e) => e.protocol !== 'websocket')
    .map((e) => {
      const component = e.component === undefined ? undefined : (names.get(e.component) ?? e.component);
      const authentication = e.auth?.required === true ? 'required' : e.auth?.required === false ? 'none' : 'not known';
      return { ...(component !== undefined ? { component } : {}), method: e.method, path: e.path, authentication };
    });
  rows.sort(
    (a, b) =>
      Number(a.component === undefined) - Number(b.component === undefined) ||
      compareStrings(a.component ?? '', b.component ?? '') ||
      compareStrings(a.path, b.path) ||
      compareStrings(a.method, b.method),
  );
  return { rows, authenticationKnown: rows.some((r) => r.authentication !== 'not known') };
}
