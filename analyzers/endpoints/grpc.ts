/**
 * Who serves a gRPC service, and who calls it: registrations and client stubs read from source in
 * any of the languages gRPC generates code for, by plain linear string scanning (no regular
 * expression runs on the text). A `.proto` file only declares a service; the component that
 * registers it serves its rpcs, and a copy of the `.proto` in another folder makes nothing a server.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings, sortedEvidence } from '../../src/model/compare.js';
import type { Evidence, Model } from '../../src/model/schema.js';
import { LineIndex } from '../../src/util/text.js';
import type { Found } from './types.js';
import { idOf } from '../../src/model/ids.js';

export interface GrpcUse {
  /** The service name as the proto declares it (`CheckoutService`), before matching. */
  service: string;
  /** Other names it may stand for (`CheckoutServiceService` from grpc-tools → `CheckoutService`). */
  alternatives: string[];
  role: 'server' | 'client';
  file: string;
  line: number;
  /** What was seen, for the reader: `addService`, `RegisterXServer`, `add_XServicer_to_server`… */
  how: string;
}

/** Source files that can register or call a gRPC service; generated stubs are not among them. */
export function isGrpcSource(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (
    /\.(pb|pb\.gw|pb\.validate)\.go$|_grpc\.pb\.go$|_pb2(_grpc)?\.pyi?$|_grpc_pb\.[cm]?[jt]s$|_pb\.[cm]?[jt]s$|Grpc\.(java|cs|kt)$|GrpcKt\.kt$|\.d\.ts$/.test(
      base,
    )
  )
    return false;
  if (/_test\.go$|^test_.*\.py$|_test\.py$|Tests?\.(java|kt|cs)$/.test(base)) return false;
  return /\.(go|py|java|kt|cs|[cm]?[jt]sx?)$/.test(base);
}

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

/** The identifier ending just before `end` (exclusive), and where it starts. */
function wordBefore(text: string, end: number): { word: string; start: number } {
  let s = end;
  while (s > 0 && isWord(text.charCodeAt(s - 1))) s--;
  return { word: text.slice(s, end), start: s };
}

/** The identifier starting at `at`. */
function wordAt(text: string, at: number): string {
  let e = at;
  while (e < text.length && isWord(text.charCodeAt(e))) e++;
  return text.slice(at, e);
}

/** Skip spaces and tabs (and line breaks) from `at`, at most `limit` characters. */
function skipSpace(text: string, at: number, limit = 200): number {
  let i = at;
  while (i < text.length && i - at < limit && /\s/.test(text[i]!)) i++;
  return i;
}

/** The dotted name ending at `end` (`proto.shop.CartService`): its last segment and its start. */
function dottedBefore(text: string, end: number): { last: string; start: number } {
  const { word: last, start } = wordBefore(text, end);
  let s = start;
  while (s > 1 && text[s - 1] === '.') {
    const w = wordBefore(text, s - 1);
    if (w.word === '') break;
    s = w.start;
  }
  return { last, start: s };
}

/** Is the word at `start` preceded by `func ` / `def ` (a definition in a generated-style file)? */
function definedHere(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && text[i] === '.') i = wordBefore(text, i).start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const w = wordBefore(text, i + 1).word;
  return w === 'func' || w === 'def' || w === 'class';
}

/** Every occurrence of `needle` in `text`, ascending. */
function* occurrences(text: string, needle: string): Generator<number> {
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) yield i;
}

/**
 * gRPC registrations and client stubs in one source file:
 * - Node (`@grpc/grpc-js`, `grpc`): `server.addService(pkg.Service.service, impl)` or a generated
 *   `addService(ServiceService, impl)`; clients `new pkg.Service(address, credentials)`.
 * - NestJS: `@GrpcMethod('Service', …)` / `@GrpcStreamMethod('Service', …)`.
 * - Go: `pb.RegisterXServer(s, impl)`; clients `pb.NewXClient(conn)`.
 * - Python: `add_XServicer_to_server(impl, server)`; clients `XStub(channel)`.
 * - Java: `extends XGrpc.XImplBase`; clients `XGrpc.newStub|newBlockingStub|newFutureStub(`.
 * - Kotlin: `XGrpcKt.XCoroutineImplBase`; clients `XGrpcKt.XCoroutineStub(`.
 * - C#: `: X.XBase`; clients `new X.XClient(`.
 */
export function grpcUses(text: string, file: string): GrpcUse[] {
  const out: GrpcUse[] = [];
  const lines = new LineIndex(text);
  const add = (service: string, role: GrpcUse['role'], at: number, how: string, alternatives: string[] = []) => {
    if (service) out.push({ service, alternatives, role, file, line: lines.line(at), how });
  };
  const ext = file.slice(file.lastIndexOf('.') + 1);
  const js = /^[cm]?[jt]sx?$/.test(ext);

  if (js) {
    for (const i of occurrences(text, 'addService(')) {
      const a = skipSpace(text, i + 'addService('.length);
      const { last, start } = dottedBefore(text, scanDotted(text, a));
      if (start !== a || !last) continue;
      // `pkg.Service.service` → Service; generated `ServiceService` (grpc-tools, ts-proto) → Service too.
      const dotted = text.slice(a, scanDotted(text, a)).split('.');
      const name = last === 'service' && dotted.length > 1 ? dotted[dotted.length - 2]! : last;
      add(name, 'server', i, 'addService', name.endsWith('Service') ? [name.slice(0, -'Service'.length)] : []);
    }
    for (const deco of ['@GrpcMethod(', '@GrpcStreamMethod(']) {
      for (const i of occurrences(text, deco)) {
        const a = skipSpace(text, i + deco.length);
        const q = text[a];
        if (q !== "'" && q !== '"' && q !== '`') continue;
        const close = text.indexOf(q, a + 1);
        if (close < 0 || close - a > 200) continue;
        add(text.slice(a + 1, close), 'server', i, deco.slice(1, -1));
      }
    }
    for (const i of occurrences(text, 'new ')) {
      if (i > 0 && isWord(text.charCodeAt(i - 1))) continue;
      const a = skipSpace(text, i + 4, 20);
      const end = scanDotted(text, a);
      if (end === a || text[skipSpace(text, end, 20)] !== '(') continue;
      const args = text.slice(end, end + 300);
      const close = args.indexOf(')');
      // A client needs an address and credentials: `new pkg.Service(addr, grpc.credentials.createInsecure())`.
      if (close < 0 || !/credentials|Credentials/.test(args.slice(0, close + 60))) continue;
      const { last } = dottedBefore(text, end);
      add(last, 'client', i, 'client stub', last.endsWith('Client') ? [last.slice(0, -'Client'.length)] : []);
    }
    return out;
  }
  if (ext === 'go') {
    for (const i of occurrences(text, 'Register')) {
      if (i > 0 && isWord(text.charCodeAt(i - 1))) continue;
      const w = wordAt(text, i);
      if (!w.endsWith('Server') || w.length <= 'RegisterServer'.length || text[i + w.length] !== '(' || definedHere(text, i)) continue;
      add(w.slice('Register'.length, -'Server'.length), 'server', i, `Register${w.slice('Register'.length)}`);
    }
    for (const i of occurrences(text, 'New')) {
      if (i > 0 && isWord(text.charCodeAt(i - 1))) continue;
      const w = wordAt(text, i);
      if (!w.endsWith('Client') || w.length <= 'NewClient'.length || text[i + w.length] !== '(' || definedHere(text, i)) continue;
      add(w.slice('New'.length, -'Client'.length), 'client', i, w);
    }
    return out;
  }
  if (ext === 'py') {
    for (const i of occurrences(text, 'add_')) {
      if (i > 0 && isWord(text.charCodeAt(i - 1))) continue;
      const w = wordAt(text, i);
      if (!w.endsWith('Servicer_to_server') || text[i + w.length] !== '(' || definedHere(text, i)) continue;
      add(w.slice('add_'.length, -'Servicer_to_server'.length), 'server', i, w);
    }
    for (const i of occurrences(text, 'Stub(')) {
      const { word, start } = wordBefore(text, i + 'Stub'.length);
      if (word.length <= 4 || definedHere(text, start)) continue;
      add(word.slice(0, -4), 'client', start, `${word}(`);
    }
    return out;
  }
  if (ext === 'java' || ext === 'kt') {
    for (const suffix of ext === 'kt' ? ['GrpcKt.', 'Grpc.'] : ['Grpc.'])
      for (const i of occurrences(text, suffix)) {
        const { word: svc, start } = wordBefore(text, i);
        if (!svc) continue;
        const member = wordAt(text, i + suffix.length);
        if (member === `${svc}ImplBase` || member === `${svc}CoroutineImplBase`) add(svc, 'server', start, `${svc}${suffix}${member}`);
        else if (/^new(Blocking|Future)?Stub$/.test(member) || member === `${svc}CoroutineStub`) add(svc, 'client', start, `${svc}${suffix}${member}`);
      }
    return out;
  }
  if (ext === 'cs') {
    for (const i of occurrences(text, '.')) {
      const { word: svc, start } = wordBefore(text, i);
      if (!svc) continue;
      const member = wordAt(text, i + 1);
      if (member === `${svc}Base` && text.slice(Math.max(0, start - 40), start).includes(':')) add(svc, 'server', start, `${svc}.${member}`);
      else if (member === `${svc}Client` && /\bnew\s+$/.test(text.slice(Math.max(0, start - 10), start))) add(svc, 'client', start, `new ${svc}.${member}`);
    }
  }
  return out;
}

/** End of the dotted name starting at `at` (`a.b.C`), or `at` when none starts there. */
function scanDotted(text: string, at: number): number {
  let e = at;
  for (;;) {
    const s = e;
    while (e < text.length && isWord(text.charCodeAt(e))) e++;
    if (e === s) return s === at ? at : s - 1;
    if (text[e] !== '.') return e;
    e++;
  }
}

const dirOf = (f: string) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '.');
const isScript = (f: string) => /\.[cm]?[jt]sx?$/.test(f);

/** Length of the folder prefix two files share, in path segments. */
function shared(a: string, b: string): number {
  const x = dirOf(a).split('/');
  const y = dirOf(b).split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * The rpcs of `.proto` files (every copy, as `protoOperations` read them) handed to the code that
 * serves them. A service is its package and name: copies of one `.proto` in several folders are one
 * service. Each place that registers it (grouped by component for scripts in a workspace package,
 * else by folder) serves all its rpcs, read from the copy nearest to the registration, with
 * `servedAt` pointing at the registration. A service nobody registers is listed once, from its
 * first copy, with `servedAt: null` and no component.
 */
/**
 * A service's name as protoc-gen-go writes it in generated Go (`GoCamelCase`): `readerService` →
 * `ReaderService` (`RegisterReaderServiceServer`, `NewReaderServiceClient`), `order_service` → `OrderService`.
 */
export function goName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '_' && i + 1 < name.length && name[i + 1]! >= 'a' && name[i + 1]! <= 'z') {
      out += name[++i]!.toUpperCase();
      continue;
    }
    out += i === 0 ? c.toUpperCase() : c;
  }
  return out;
}

export function serveProtos(ctx: AnalyzerContext, protoOps: Found[]): { found: Found[]; clients: GrpcUse[] } {
  // Qualified service (`/pkg.Service`) → file → its rpcs in that file.
  const services = new Map<string, Map<string, Found[]>>();
  const byName = new Map<string, Set<string>>();
  for (const op of protoOps) {
    const q = op.path.slice(0, op.path.lastIndexOf('/'));
    const files = services.get(q) ?? new Map<string, Found[]>();
    services.set(q, files);
    files.set(op.file, [...(files.get(op.file) ?? []), op]);
    const name = String(op.details?.service ?? '');
    for (const n of new Set([name, goName(name)])) byName.set(n, (byName.get(n) ?? new Set()).add(q));
  }
  if (services.size === 0) return { found: [], clients: [] };

  const servers: { q: string; use: GrpcUse; owner: string; component?: string }[] = [];
  const clients: GrpcUse[] = [];
  for (const file of ctx.filesMatching(isGrpcSource)) {
    const text = ctx.read(file);
    if (!text) continue;
    for (const use of grpcUses(text, file)) {
      const name = [use.service, ...use.alternatives].find((n) => byName.has(n));
      if (!name) continue;
      if (use.role === 'client') {
        clients.push({ ...use, service: name, alternatives: [] });
        continue;
      }
      const component = isScript(file) ? ctx.componentOf(file) : undefined;
      const owner = component ? idOf.component(component) : `folder:${dirOf(file)}`;
      for (const q of [...byName.get(name)!].sort(compareStrings)) servers.push({ q, use, owner, component });
    }
  }

  const found: Found[] = [];
  const served = new Set<string>();
  const seen = new Set<string>();
  for (const s of servers) {
    const k = `${s.owner}\u0000${s.q}`;
    served.add(s.q);
    if (seen.has(k)) continue;
    seen.add(k);
    const files = services.get(s.q)!;
    const copy = [...files.keys()].sort((a, b) => shared(b, s.use.file) - shared(a, s.use.file) || compareStrings(a, b))[0]!;
    for (const op of files.get(copy)!) {
      found.push({
        ...op,
        more: [{ file: s.use.file, line: s.use.line }],
        servedAt: { file: s.use.file, line: s.use.line },
        ...(s.component ? { component: s.component } : {}),
        details: { ...op.details, registeredBy: s.use.how },
      });
    }
  }
  for (const [q, files] of [...services.entries()].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (served.has(q)) continue;
    const copies = [...files.keys()].sort(compareStrings);
    for (const op of files.get(copies[0]!)!) {
      const more = copies.slice(1).flatMap((c) =>
        files
          .get(c)!
          .filter((o) => o.path === op.path)
          .map((o) => ({ file: o.file, line: o.line })),
      );
      found.push({ ...op, more, servedAt: null });
    }
  }
  return { found, clients };
}

/**
 * Link phase: each rpc's component is the deepest one holding its registration (none when only
 * declared); then a component that creates a client stub for a service that a component of the
 * repository registers depends on that component (`kind: 'rpc'`, evidence the stub's creation).
 * The client is the component whose folder holds the file (the deepest), once components of every
 * language exist; the server is found by service name among the rpcs with a registration.
 */
/** The standard gRPC health-checking service, which servers register for their probes. */
const HEALTH_SERVICE = '/grpc.health.v1.Health/';

/**
 * `grpc.health.v1.Health` (Check, Watch) is how orchestrators and load balancers probe a gRPC server,
 * not part of its API: its rpcs leave the endpoints and each component that registers the service
 * gets one health check (category health, at the registration), as an HTTP `/healthz` route does.
 * A copy of health.proto that nothing registers is the protocol's definition, and is dropped.
 */
function healthServiceToObservability(model: Model): void {
  const health = model.endpoints.filter((e) => e.protocol === 'grpc' && e.path.startsWith(HEALTH_SERVICE));
  if (health.length === 0) return;
  model.endpoints = model.endpoints.filter((e) => !health.includes(e));
  const pathOf = new Map(model.components.map((c) => [c.id, c.path]));
  // By the registering component's path, else the registration's folder.
  const byComponent = new Map<string, { component?: string; evidence: Evidence[] }>();
  for (const e of health) {
    if (!e.servedAt) continue;
    const key = (e.component && pathOf.get(e.component)) ?? `folder:${dirOf(e.servedAt.file)}`;
    const acc = byComponent.get(key) ?? { ...(e.component ? { component: e.component } : {}), evidence: [] };
    if (!acc.evidence.some((x) => x.file === e.servedAt!.file && x.line === e.servedAt!.line)) acc.evidence.push(e.servedAt);
    byComponent.set(key, acc);
  }
  for (const [key, acc] of [...byComponent].sort((a, b) => compareStrings(a[0], b[0]))) {
    const id = idOf.observability('health', `${key}:grpc.health.v1.Health`);
    if (model.observability.some((f) => f.id === id)) continue;
    model.observability.push({
      id,
      name: 'gRPC health checking',
      category: 'health',
      tech: 'gRPC health checking',
      ...(acc.component ? { component: acc.component } : {}),
      evidence: sortedEvidence(acc.evidence),
      details: { kind: 'health' },
    });
  }
}

export function linkGrpcClients(model: Model, ctx: AnalyzerContext): void {
  const byDepth = [...model.components].sort((a, b) => b.path.length - a.path.length || compareStrings(a.id, b.id));
  const ownerOf = (file: string) => byDepth.find((c) => c.path === '.' || file.startsWith(`${c.path}/`));
  // Components made in the link phase (deployable folders) take facts by their first evidence: an
  // rpc stays with the component that registers its service, and a declared-only one with none.
  for (const e of model.endpoints) {
    if (e.servedAt === null) delete e.component;
    else if (e.servedAt) {
      // A Go or Python server is not the root TypeScript package's just because the root holds it.
      const owner = ownerOf(e.servedAt.file);
      if (owner && (owner.path !== '.' || isScript(e.servedAt.file))) e.component = owner.id;
      else delete e.component;
    }
  }
  healthServiceToObservability(model);
  const servers = new Map<string, Set<string>>();
  // Full method names (`/pkg.Service/Method`), as a hand-written client passes them to
  // `conn.Invoke(…)` (Go) or `channel.unary_unary(…)` (Python).
  const methods = new Map<string, string>();
  for (const e of model.endpoints) {
    const service = e.details?.service;
    if (e.protocol !== 'grpc' || !e.servedAt || !e.component || typeof service !== 'string') continue;
    for (const n of new Set([service, goName(service)])) servers.set(n, (servers.get(n) ?? new Set()).add(e.component));
    methods.set(e.path, service);
  }
  if (servers.size === 0) return;
  for (const file of ctx.filesMatching(isGrpcSource)) {
    const text = ctx.read(file);
    if (!text) continue;
    const uses = grpcUses(text, file);
    const lines = new LineIndex(text);
    for (const [path, service] of methods) {
      for (const q of ['"', "'", '`']) {
        const at = text.indexOf(`${q}${path}${q}`);
        if (at >= 0) uses.push({ service, alternatives: [], role: 'client', file, line: lines.line(at), how: 'full method name' });
      }
    }
    for (const use of uses) {
      if (use.role !== 'client') continue;
      const name = [use.service, ...use.alternatives].find((n) => servers.has(n));
      const client = name ? ownerOf(file) : undefined;
      if (!name || !client) continue;
      for (const target of servers.get(name)!) {
        if (target === client.id) continue;
        const dep = client.dependsOn.find((d) => d.target === target && d.kind === 'rpc');
        if (dep) dep.evidence = sortedEvidence([...dep.evidence, { file, line: use.line }]);
        else client.dependsOn.push({ target, kind: 'rpc', evidence: [{ file, line: use.line }] });
      }
    }
  }
  for (const c of model.components) c.dependsOn.sort((a, b) => compareStrings(a.target, b.target) || compareStrings(a.kind, b.kind));
}
