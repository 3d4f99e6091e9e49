/**
 * tRPC procedures, read from the indexes. A router is `t.router({...})` (or any name it is
 * re-exported as: `router`, `createTRPCRouter`), a plain object of procedures (v11's
 * `TRPCRouterRecord`), `mergeRouters(a, b)`, or a v9 chain (`trpc.router().query('name', {…})
 * .merge('post.', postRouter)`). A procedure is a chain ending in `.query(…)`, `.mutation(…)` or
 * `.subscription(…)` on a builder made from `t.procedure`; its path is the dotted path of
 * properties from the root router (`post.byId`).
 *
 * Procedures are served by the component whose code mounts the root router with an adapter
 * (`fetchRequestHandler({ endpoint, router })`, `createNextApiHandler`, `createExpressMiddleware`
 * under `app.use(prefix, …)`, `fastifyTRPCPlugin`, `createHTTPServer`, Hono's `trpcServer`…), once
 * per mounting component, whatever package the router is written in. With no adapter in the
 * repository, the routers no other router nests are listed on their own files' components.
 *
 * Authentication: the middlewares (`.use(…)`, v9 `.middleware(…)`) of the builder chain, followed
 * through the builders it is made from (`adminProcedure` ← `authedProcedure` ← `t.procedure`). A
 * middleware that throws `UNAUTHORIZED`, or `FORBIDDEN` after reading the session, user or role,
 * makes the procedure require a signed-in caller; a chain read down to `t.procedure` without one
 * is public; a builder that cannot be followed leaves it unknown.
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { compareStrings } from '../../src/model/compare.js';
import { joinPath } from './paths.js';
import { prop, type Expr, type Resolver } from './resolver.js';
import type { Found } from './types.js';

const PROCEDURE_KINDS = new Set(['query', 'mutation', 'subscription']);
const TRPC = '@trpc/server';
const MAX_DEPTH = 24;
/** Procedures read from one router at most: a router graph shared many times over stops here. */
const MAX_PROCEDURES = 5000;

/** One call or property of a chain, flattened through the definitions its root names. */
interface Step {
  name: string;
  called: boolean;
  args: Expr[];
  line: number;
  /** The builder (or router factory) whose definition the step is written in. */
  owner?: string;
}

/** A chain read down to where it starts: its steps, outermost last, and the package at its root. */
interface Chain {
  steps: Step[];
  pkg?: string;
}

/** An adapter that serves a router: where, by which component's code, at which URL. */
interface Adapter {
  file: string;
  line: number;
  router: Expr;
  url?: string;
  /** The adapter's module name (`fetch`, `next`, `express`, `trpc-server` …). */
  kind: string;
}

interface Procedure {
  path: string;
  kind: string;
  file: string;
  line: number;
  /** Middleware and input steps of the builder chain, and whether it was read down to `t.procedure`. */
  chain: Chain;
  /** v9: the options object of `.query('name', { input, resolve })`. */
  options?: Expr;
}

export interface TrpcInput {
  r: Resolver;
  scripts: readonly FileIndex[];
  componentOf(file: string): string | undefined;
  warn(file: string, line: number, message: string): void;
}

/** The steps of one call site as written: `t.procedure.use(a).query(b)` → t, procedure, use(a), query(b). */
function callSteps(call: CallSite, scope: Scope, owner: string | undefined): { root: Step; rest: Step[] } {
  const at = (v: Value[]) => v.map((x) => ({ v: x, scope }));
  const n = call.names.length;
  const rootCalled = n === 0 || call.names[0] === '()';
  let inner = 0;
  const rootArgs = n === 0 ? call.args : rootCalled ? (call.innerArgs[inner++] ?? []) : [];
  const root: Step = { name: call.root, called: rootCalled, args: at(rootArgs), line: call.line, owner };
  const rest: Step[] = [];
  for (let i = rootCalled && n > 0 ? 1 : 0; i < n; i++) {
    const name = call.names[i]!;
    if (name === '()') continue;
    const last = i === n - 1;
    const called = last || call.names[i + 1] === '()';
    const args = last ? call.args : called ? (call.innerArgs[inner++] ?? []) : [];
    rest.push({ name, called, args: at(args), line: call.lines?.[i] ?? call.line, owner });
  }
  return { root, rest };
}

/** A package's export as the start of a chain: `initTRPC` of `@trpc/server` (a namespace import adds no step). */
function exported(t: { module: string; name: string }, owner: string | undefined): Chain {
  const names = t.name.split('.').filter((n) => n !== '*' && n !== 'default');
  return { pkg: t.module, steps: names.map((name) => ({ name, called: false, args: [], line: 0, owner })) };
}

export class TrpcReader {
  /** The routers being read, on the current path from the root. */
  private readonly active = new Set<Value>();

  constructor(private readonly r: Resolver) {}

  /**
   * A value read as a chain down to where it starts: a name is replaced by its definition (an
   * import followed to its file), a called function by what it returns, until a package export.
   */
  chain(e: Expr, owner?: string, depth = 0, seen = new Set<Value>()): Chain {
    const v = e.v;
    if (depth > MAX_DEPTH || seen.has(v)) return { steps: [] };
    seen.add(v);
    if (v.k === 'ref') {
      const parts = v.path.split('.');
      const t = this.r.deref(e);
      if (t?.kind === 'external') return exported(t, owner);
      if (t?.kind === 'expr' && t.e.v !== v) {
        const c = this.chain(t.e, parts.length === 1 ? parts[0] : owner, depth + 1, seen);
        return parts.length === 1 ? this.destructured(c, e.scope, parts[0]!, owner) : c;
      }
      if (parts.length > 1 && parts[0] !== 'this') {
        // `t.procedure`: a member of a value the resolver does not open (a call's result).
        const head = this.chain({ v: { k: 'ref', path: parts[0]! }, scope: e.scope }, parts[0], depth + 1, seen);
        const props = parts.slice(1).map((name) => ({ name, called: false, args: [], line: 0, owner }));
        return { pkg: head.pkg, steps: [...head.steps, ...props] };
      }
      return { steps: [] };
    }
    if (v.k !== 'call' || v.call.root === '') return { steps: [] };
    const { root, rest } = callSteps(v.call, e.scope, owner);
    let head: Chain;
    if (root.called) {
      const t = this.r.name(e.scope, root.name);
      // `createProtectedRouter()`: a factory of this repository stands for what it returns.
      if (t?.kind === 'func')
        head = t.fn.returns[0] ? this.chain({ v: t.fn.returns[0], scope: { file: t.fn.file, fn: t.fn } }, root.name, depth + 1, seen) : { steps: [] };
      else {
        // `createTRPCRouter({ … })` where `createTRPCRouter = t.router`: the chain named, then called.
        head =
          t?.kind === 'external'
            ? exported(t, root.name)
            : t?.kind === 'expr'
              ? this.destructured(this.chain(t.e, root.name, depth + 1, seen), e.scope, root.name, root.name)
              : { steps: [] };
        const named = head.steps[head.steps.length - 1];
        if (named && !named.called) head.steps[head.steps.length - 1] = { ...named, called: true, args: root.args, line: root.line };
      }
    } else head = this.chain({ v: { k: 'ref', path: root.name }, scope: e.scope }, root.name, depth + 1, seen);
    return { pkg: head.pkg, steps: [...head.steps, ...rest] };
  }

  /**
   * `const { router, procedure: publicProcedure } = t` (here or in the module a name is imported
   * from): the index binds the name to the whole value, so the chain of `t` goes on with the
   * property the name takes.
   */
  private destructured(c: Chain, scope: Scope, name: string, owner: string | undefined): Chain {
    const prop = this.destructuredProp(scope, name);
    return prop === undefined ? c : { pkg: c.pkg, steps: [...c.steps, { name: prop, called: false, args: [], line: 0, owner }] };
  }

  /** The property a module-level name is destructured from, following imports and re-exports to its module. */
  private destructuredProp(scope: Scope, name: string, depth = 0): string | undefined {
    const idx = this.r.ev.indexes.get(scope.file);
    if (!idx || depth > 8) return undefined;
    for (let f = scope.fn; f; f = f.parent ? this.r.ev.fns.get(f.parent) : undefined) if (f.binds.includes(name)) return undefined;
    if (idx.vars.has(name)) return idx.destructured.get(name);
    const imp = idx.imports.get(name);
    const file = imp && this.r.ctx.resolveImport(scope.file, imp.module);
    return file ? this.exportedProp(file, imp.name, depth + 1) : undefined;
  }

  private exportedProp(file: string, name: string, depth: number): string | undefined {
    const idx = this.r.ev.indexes.get(file);
    if (!idx || depth > 8) return undefined;
    const local = idx.exports.get(name);
    if (local !== undefined) return this.destructuredProp({ file }, local, depth + 1);
    const re = idx.reexports.get(name);
    const target = re && this.r.ctx.resolveImport(file, re.module);
    return target ? this.exportedProp(target, re.name, depth + 1) : undefined;
  }

  /** Whether a chain starts at the tRPC server package. */
  static isTrpc(c: Chain): boolean {
    return c.pkg === TRPC || (c.pkg?.startsWith(`${TRPC}/`) ?? false);
  }

  /** The procedures of a router value, with their dotted paths under `prefix`. */
  procedures(e: Expr, prefix: string, out: Procedure[], nested: Set<Value>, depth = 0): boolean {
    if (depth > MAX_DEPTH || out.length >= MAX_PROCEDURES) return false;
    let x = e;
    if (x.v.k === 'ref') {
      const t = this.r.deref(x);
      if (t?.kind !== 'expr' || t.e.v === x.v) return false;
      x = t.e;
    }
    // A router nesting itself (directly or through others) is read once on each path.
    if (this.active.has(x.v)) return false;
    this.active.add(x.v);
    try {
      return this.router(x, prefix, out, nested, depth);
    } finally {
      this.active.delete(x.v);
    }
  }

  private router(x: Expr, prefix: string, out: Procedure[], nested: Set<Value>, depth: number): boolean {
    nested.add(x.v);
    if (x.v.k === 'obj') {
      for (const [key, value] of Object.entries(x.v.props).sort((a, b) => compareStrings(a[0], b[0]))) {
        this.member({ v: value, scope: x.scope }, `${prefix}${key}`, out, nested, depth + 1);
      }
      return true;
    }
    if (x.v.k !== 'call') return false;
    const c = this.chain(x);
    if (!TrpcReader.isTrpc(c)) return false;
    const last = c.steps[c.steps.length - 1];
    if (last?.name === 'router' && last.args[0]) {
      return this.procedures(last.args[0], prefix, out, nested, depth + 1);
    }
    if (last?.name === 'mergeRouters') {
      for (const a of last.args) this.procedures(a, prefix, out, nested, depth + 1);
      return true;
    }
    return this.v9(c, prefix, out, nested, depth);
  }

  /** A router's property: a procedure, or a router nested under its name. */
  private member(e: Expr, path: string, out: Procedure[], nested: Set<Value>, depth: number): void {
    let x = e;
    if (x.v.k === 'ref') {
      const t = this.r.deref(x);
      if (t?.kind !== 'expr' || t.e.v === x.v) return;
      x = t.e;
    }
    const call = x.v.k === 'call' ? x.v.call : undefined;
    const last = call?.names[call.names.length - 1];
    if (call && last && PROCEDURE_KINDS.has(last) && call.args[0]?.k !== 'str') {
      const c = this.chain(x);
      out.push({ path, kind: last, file: x.scope.file, line: call.line, chain: { pkg: c.pkg, steps: c.steps.slice(0, -1) } });
      return;
    }
    this.procedures(x, `${path}.`, out, nested, depth + 1);
  }

  /** tRPC v9: `router().query('name', { input, resolve }).merge('prefix.', other)`; middlewares apply to what follows them. */
  private v9(c: Chain, prefix: string, out: Procedure[], nested: Set<Value>, depth: number): boolean {
    const start = c.steps.findIndex((s) => s.name === 'router' && s.called);
    if (start < 0) return false;
    for (let i = start + 1; i < c.steps.length; i++) {
      const s = c.steps[i]!;
      const first = s.args[0];
      const name = first?.v.k === 'str' ? first.v.v : undefined;
      if (PROCEDURE_KINDS.has(s.name) && name !== undefined) {
        const chain = { pkg: c.pkg, steps: c.steps.slice(0, i) };
        out.push({ path: `${prefix}${name}`, kind: s.name, file: first!.scope.file, line: s.line, chain, ...(s.args[1] ? { options: s.args[1] } : {}) });
      } else if (s.name === 'merge' && first) {
        const sub = name !== undefined ? s.args[1] : first;
        if (sub) this.procedures(sub, name !== undefined ? `${prefix}${name}` : prefix, out, nested, depth + 1);
      }
    }
    return true;
  }

  /** The adapters of one script: calls of a tRPC adapter given a router, with the URL they serve at where it can be told. */
  adapters(fi: FileIndex): Adapter[] {
    const out: Adapter[] = [];
    const mounts = new Map<string, string>();
    const at = (c: CallSite) => `${c.line}\u0000${c.root}\u0000${c.names.join('.')}`;
    for (const fn of fi.functions.values()) {
      const scope: Scope = { file: fi.file, fn };
      // `app.use('/trpc', createExpressMiddleware({ … }))`: the prefix of the adapter's mount.
      for (const call of fn.calls) {
        if (call.names[call.names.length - 1] !== 'use' || call.args.length < 2) continue;
        const prefix = this.r.str({ v: call.args[0]!, scope });
        if (prefix === undefined) continue;
        for (const a of call.args.slice(1)) {
          // The adapter written in place, or a constant holding it (`const trpc = createExpressMiddleware(…)`).
          const t = a.k === 'call' ? undefined : this.r.deref({ v: a, scope });
          const v = a.k === 'call' ? a : t?.kind === 'expr' ? t.e.v : undefined;
          if (v?.k === 'call') mounts.set(at(v.call), prefix);
        }
      }
    }
    for (const fn of fi.functions.values()) {
      const scope: Scope = { file: fi.file, fn };
      // `createHTTPServer({ router }).listen(3000)`: the chain's first call is the adapter.
      const heads = fn.calls.filter((c) => c.names[0] === '()').map((c) => ({ ...c, names: [], args: c.innerArgs[0] ?? [], innerArgs: [] }));
      for (const call of [...fn.calls, ...heads]) {
        const expr: Expr = { v: { k: 'call', call }, scope };
        const callee = this.r.callee(expr);
        // `fastify.register(fastifyTRPCPlugin, { prefix, trpcOptions: { router } })`
        if (call.names[call.names.length - 1] === 'register' && call.args[0]) {
          const plugin = this.r.deref({ v: call.args[0], scope });
          if (plugin?.kind === 'external' && plugin.module === `${TRPC}/adapters/fastify`) {
            const opts = this.r.object({ v: call.args[1] ?? { k: 'unknown' }, scope });
            const router = opts && prop(this.r.object(prop(opts, 'trpcOptions')), 'router');
            if (router) out.push({ file: fi.file, line: call.line, router, url: joinPath(this.r.str(prop(opts, 'prefix'))), kind: 'fastify' });
          }
          continue;
        }
        if (callee?.kind !== 'external' || !(callee.module.startsWith(`${TRPC}/adapters/`) || callee.module === '@hono/trpc-server')) continue;
        const opts = this.r.object(call.args[0] ? { v: call.args[0], scope } : undefined);
        const router = prop(opts, 'router');
        if (!router) continue;
        const adapter = callee.module.slice(callee.module.lastIndexOf('/') + 1);
        out.push({ file: fi.file, line: call.line, router, kind: adapter, ...this.url(adapter, fi.file, opts, mounts.get(at(call))) });
      }
    }
    return out;
  }

  /** The URL an adapter serves procedures under: its `endpoint`/`basePath` option, its mount, or a Next.js API route's folder. */
  private url(adapter: string, file: string, opts: Expr | undefined, mount: string | undefined): { url?: string } {
    const option = (name: string) => this.r.str(prop(opts, name));
    const mounted = mount?.replace(/\/?\*$/, '');
    let url: string | undefined;
    if (adapter === 'fetch') url = option('endpoint');
    else if (adapter === 'trpc-server') url = option('endpoint') ?? mounted ?? '/trpc';
    else if (adapter === 'express') url = mounted;
    else if (adapter === 'standalone') url = option('basePath') ?? '/';
    else if (adapter === 'next') {
      // pages/api/trpc/[trpc].ts serves /api/trpc/<procedure>: the folder of the dynamic route under pages/.
      const parts = file.split('/');
      const pages = parts.lastIndexOf('pages');
      if (pages >= 0 && parts[parts.length - 1]!.startsWith('[')) url = `/${parts.slice(pages + 1, -1).join('/')}`;
    }
    return url === undefined ? {} : { url: joinPath(url) };
  }

  /** Whether a middleware checks the caller: its text throws UNAUTHORIZED, or FORBIDDEN after reading the session, user or role. */
  middleware(e: Expr): { auth: boolean; reads?: string; roles: string[]; name?: string } | undefined {
    let fn: Fn | undefined;
    let name: string | undefined;
    const t = e.v.k === 'fn' ? undefined : this.r.deref(e);
    if (e.v.k === 'fn') fn = this.r.ev.fns.get(e.v.key);
    else if (t?.kind === 'func') fn = t.fn;
    else if (t?.kind === 'expr' && t.e.v.k === 'call') {
      // `t.middleware(({ ctx, next }) => …)`: the function it is given.
      const f = t.e.v.call.args.find((a) => a.k === 'fn');
      fn = f?.k === 'fn' ? this.r.ev.fns.get(f.key) : undefined;
    }
    if (e.v.k === 'ref') name = e.v.path;
    else if (fn && !fn.name.endsWith('<callback>')) name = fn.name;
    const text = fn ? this.r.fnText(fn) : undefined;
    if (text === undefined) return undefined;
    const reads = /\bsession\b/i.test(text) ? 'session' : /api.?key/i.test(text) ? 'API key' : /\b(?:jwt|bearer|token)\b/i.test(text) ? 'token' : undefined;
    const auth = text.includes('UNAUTHORIZED') || (text.includes('FORBIDDEN') && /\b(?:session|user|role)\b/i.test(text));
    const roles = [...text.matchAll(/\brole\s*!==?\s*["'`]([\w-]+)["'`]/g)].map((m) => m[1]!);
    return { auth, roles, ...(reads ? { reads } : {}), ...(name ? { name } : {}) };
  }
}

/** A zod object's fields as `name: type` (`name?: type` when optional), from `z.object({ … })` as written or through a constant. */
function zodFields(reader: TrpcReader, e: Expr): string[] {
  const c = reader.chain(e);
  const object = c.steps.find((s) => s.name === 'object' && s.called && s.args[0]?.v.k === 'obj');
  const shape = object?.args[0]?.v;
  if (shape?.k !== 'obj') return [];
  const out: string[] = [];
  for (const [name, v] of Object.entries(shape.props)) {
    let type = 'unknown';
    let optional = false;
    if (v.k === 'call') {
      const names = [v.call.root, ...v.call.names].filter((n) => n !== '()');
      type = names[0] === 'z' && names[1] ? names[1] : names[0]!;
      optional = names.some((n) => n === 'optional' || n === 'nullish');
    } else if (v.k === 'ref') type = v.path.slice(v.path.lastIndexOf('.') + 1);
    out.push(`${name}${optional ? '?' : ''}: ${type}`);
  }
  return out;
}

/** How a procedure is protected, from the middlewares of its builder chain. */
function access(reader: TrpcReader, p: Procedure): Pick<Found, 'mechanisms' | 'optOut' | 'roles'> {
  const mechanisms: string[] = [];
  const roles: string[] = [];
  let unread = false;
  for (const s of p.chain.steps) {
    // v11's `.concat(plugin)` brings middlewares archdoc does not read: the procedure is not known to be public.
    if (s.called && (s.name === 'concat' || s.name === 'unstable_concat')) unread = true;
    if (!(s.name === 'use' || s.name === 'middleware') || !s.called || !s.args[0]) continue;
    const m = reader.middleware(s.args[0]);
    if (!m) {
      unread = true;
      continue;
    }
    roles.push(...m.roles);
    // The first check names the mechanism (`authedProcedure`); later ones (an admin's role, a
    // resource's owner) authorise a caller already known, and add roles only.
    if (!m.auth || mechanisms.length > 0) continue;
    const label = s.owner ?? m.name ?? 'tRPC middleware';
    mechanisms.push(m.reads ? `${label} (${m.reads})` : label);
  }
  const out: Pick<Found, 'mechanisms' | 'optOut' | 'roles'> = { mechanisms };
  if (roles.length > 0) out.roles = [...new Set(roles)].sort(compareStrings);
  // Public only when the whole chain was read, down to the tRPC package, and no middleware checks the caller.
  if (mechanisms.length === 0 && !unread && TrpcReader.isTrpc(p.chain)) out.optOut = true;
  return out;
}

/** The procedures, and the scripts that hand requests to tRPC's Next.js API-route adapter. */
export interface TrpcFound {
  procedures: Found[];
  nextRoutes: Set<string>;
}

/**
 * A Next.js API route (`pages/api/trpc/[trpc].ts`) whose handler is tRPC's adapter answers queries
 * over GET and mutations over POST: those two methods, not `ALL`.
 */
export function trpcRouteMethods(found: Found[], nextRoutes: ReadonlySet<string>): Found[] {
  return found.flatMap((f) =>
    f.framework === 'nextjs-pages-api' && f.method === 'ALL' && nextRoutes.has(f.file) ? ['GET', 'POST'].map((method) => ({ ...f, method })) : [f],
  );
}

export function trpcEndpoints(input: TrpcInput): TrpcFound {
  const { r } = input;
  const reader = new TrpcReader(r);
  const out: Found[] = [];
  const nextRoutes = new Set<string>();
  // Only a repository that imports tRPC's server is read, and only scripts importing an adapter hold one.
  const imports = (fi: FileIndex, test: (m: string) => boolean) => fi.specifiers.some((s) => !s.typeOnly && test(s.specifier));
  const found = { procedures: out, nextRoutes };
  if (!input.scripts.some((fi) => imports(fi, (m) => m === TRPC || m.startsWith(`${TRPC}/`)))) return found;
  const adapters = input.scripts
    .filter((fi) => imports(fi, (m) => m.startsWith(`${TRPC}/adapters/`) || m === '@hono/trpc-server'))
    .flatMap((fi) => reader.adapters(fi));
  for (const a of adapters) if (a.kind === 'next') nextRoutes.add(a.file);
  const emit = (procs: Procedure[], component: string | undefined, adapter: Adapter | undefined) => {
    for (const p of procs) {
      const inputs = p.chain.steps.filter((s) => s.name === 'input' && s.called && s.args[0]).map((s) => s.args[0]!);
      // v9: `.query('name', { input: z.object({…}), resolve })`.
      const v9Input = prop(r.object(p.options), 'input');
      if (v9Input) inputs.push(v9Input);
      const fields = [...new Set(inputs.flatMap((e) => zodFields(reader, e)))];
      out.push({
        protocol: 'trpc',
        method: 'rpc',
        path: p.path,
        file: p.file,
        line: p.line,
        framework: 'trpc',
        ...access(reader, p),
        ...(adapter ? { more: [{ file: adapter.file, line: adapter.line }] } : {}),
        ...(component ? { component } : {}),
        details: {
          procedure: p.kind,
          ...(fields.length > 0 ? { input: fields } : {}),
          ...(adapter?.url ? { url: `${adapter.url === '/' ? '' : adapter.url}/${p.path}` } : {}),
        },
      });
    }
  };
  const read = (router: Expr, nested: Set<Value>): Procedure[] | undefined => {
    const procs: Procedure[] = [];
    return reader.procedures(router, '', procs, nested) ? procs : undefined;
  };
  for (const a of adapters) {
    const procs = read(a.router, new Set());
    if (procs) emit(procs, input.componentOf(a.file), a);
    else input.warn(a.file, a.line, 'a tRPC adapter serves a router archdoc could not read; its procedures are not listed');
  }
  if (adapters.length > 0) return found;
  // No adapter: the routers no other router nests, each on its own file's component.
  const nested = new Set<Value>();
  const roots: { fi: FileIndex; v: Value; procs: Procedure[] }[] = [];
  for (const fi of input.scripts) {
    for (const [name, v] of fi.vars) {
      if (v.k !== 'call' || !fi.exports.has(name)) continue;
      const own = new Set<Value>();
      const procs = read({ v, scope: { file: fi.file } }, own);
      if (!procs || procs.length === 0) continue;
      own.delete(v);
      for (const x of own) nested.add(x);
      roots.push({ fi, v, procs });
    }
  }
  for (const root of roots) if (!nested.has(root.v)) emit(root.procs, input.componentOf(root.fi.file), undefined);
  return found;
}
