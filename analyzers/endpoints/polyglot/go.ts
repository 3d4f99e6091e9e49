/**
 * HTTP routes of Go: net/http (`HandleFunc`/`Handle`, Go 1.22 `"GET /items/{id}"` patterns,
 * `http.StripPrefix` mounts), gorilla/mux (`Methods(…)`, `PathPrefix(…).Subrouter()`,
 * `Path(…).HandlerFunc(…)`), gin, echo and fiber (`GET`/`Get`… and `Group(prefix)`), chi (`Get`…,
 * `Route(prefix, func(r chi.Router) {…})`, `Mount`, `Group`, `With`, and the path its `Heartbeat`
 * middleware answers) and httprouter.
 *
 * A router is followed from the call that creates it through `:=`/`=` bindings, the package's
 * variables and, when it is a parameter of the function the route is written in, to the arguments
 * of that function's calls. A receiver that cannot be followed (a struct field) is served at its
 * root. Only files that import one of those packages are read; a route's path must be a string
 * starting with `/` (or a method pattern), so `c.Get("key")` of a request context is never a route.
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import { RouteGraph } from './graph.js';
import type { Program } from './program.js';

const PACKAGES: [string, string][] = [
  ['github.com/gorilla/mux', 'gorilla/mux'],
  ['github.com/gin-gonic/gin', 'gin'],
  ['github.com/labstack/echo', 'echo'],
  ['github.com/gofiber/fiber', 'fiber'],
  ['github.com/go-chi/chi', 'chi'],
  ['github.com/julienschmidt/httprouter', 'httprouter'],
  ['net/http', 'net/http'],
];

/** Calls that create an application router. */
const CREATORS = new Set(['NewRouter', 'NewServeMux', 'Default', 'New', 'NewMux']);
/** Router methods that return the router they are called on. */
const SAME_ROUTER = new Set(['StrictSlash', 'SkipClean', 'UseEncodedPath', 'Use', 'Pre']);
const UPPER_VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
const TITLE_VERBS = new Map([
  ['Get', 'GET'],
  ['Post', 'POST'],
  ['Put', 'PUT'],
  ['Patch', 'PATCH'],
  ['Delete', 'DELETE'],
  ['Options', 'OPTIONS'],
  ['Head', 'HEAD'],
]);

export function goWants(text: string): boolean {
  return PACKAGES.some(([p]) => text.includes(`"${p}`));
}

function frameworkOf(ix: PolyglotIndex): string {
  for (const [p, name] of PACKAGES) if (ix.imports.some((i) => i.module === p || i.module.startsWith(`${p}/`))) return name;
  return 'net/http';
}

export function goEndpoints(program: Program): Found[] {
  const graph = new RouteGraph();
  // Every Go file is read: a router made in one package (`r := router.New()`) is grouped and given routes in files
  // that import no router package; those files' calls count only on a router followed to where it is made.
  const indexes = program.indexes.filter((ix) => ix.language === 'go');
  const importsRouter = (ix: PolyglotIndex): boolean => PACKAGES.some(([p]) => ix.imports.some((i) => i.module === p || i.module.startsWith(`${p}/`)));
  const implicitKeys = new Set<string>();
  const chained = new Map<string, PCall[]>();
  for (const ix of program.indexes) {
    if (ix.language !== 'go') continue;
    ix.calls.forEach((c) => {
      if (c.receiver === undefined) return;
      const k = `${ix.file}#${c.receiver}`;
      const l = chained.get(k) ?? [];
      l.push(c);
      chained.set(k, l);
    });
  }
  const str = (ix: PolyglotIndex, v: PValue | undefined, fn?: string): string | undefined => program.str(ix.file, v, fn);
  // Calls and functions by name, each built once (a search per route would be quadratic on a large program).
  const byCallName = new Map<string, { ix: PolyglotIndex; call: PCall }[]>();
  const byFunctionName = new Map<string, { ix: PolyglotIndex; f: PolyglotIndex['functions'][number] }[]>();
  for (const ix of indexes) {
    for (const call of ix.calls) {
      const k = call.callee[call.callee.length - 1]!;
      const l = byCallName.get(k);
      if (l) l.push({ ix, call });
      else byCallName.set(k, [{ ix, call }]);
    }
    for (const f of ix.functions) {
      const l = byFunctionName.get(f.name);
      if (l) l.push({ ix, f });
      else byFunctionName.set(f.name, [{ ix, f }]);
    }
  }
  const callsNamed = (name: string) => byCallName.get(name) ?? [];
  const functionsNamed = (name: string) => byFunctionName.get(name) ?? [];
  /** A method as written: a string, or net/http's constant (`http.MethodGet`). */
  const method = (ix: PolyglotIndex, v: PValue, fn?: string): string | undefined => {
    const last = v.k === 'name' ? v.path[v.path.length - 1]! : '';
    if (v.k === 'name' && v.path.length === 2 && last.startsWith('Method') && last.length > 6) return last.slice(6).toUpperCase();
    return str(ix, v, fn)?.toUpperCase();
  };
  const seenParams = new Set<string>();

  /** The router a call's value is, registering it (and its mount) in the graph. */
  const fromCall = (file: string, index: number, depth: number): string | undefined => {
    const ix = program.byFile.get(file);
    const call = ix?.calls[index];
    if (!ix || !call || depth > 12) return undefined;
    const name = call.callee[call.callee.length - 1]!;
    const key = `${file}#${index}`;
    if (call.receiver === undefined && call.callee.length === 2 && CREATORS.has(name)) {
      const pkg = call.callee[0]!;
      if (!ix.imports.some((i) => i.alias === pkg && PACKAGES.some(([p]) => i.module === p || i.module.startsWith(`${p}/`)))) return undefined;
      graph.router({ key, file, line: call.line, prefix: '', app: true });
      return key;
    }
    // `r.Group("/v1")` (gin, echo, fiber), `r.Route("/v1", func…)` (chi, fiber), `r.PathPrefix("/v1").Subrouter()` (gorilla).
    let prefixCall: PCall | undefined;
    let parentOf: PCall | undefined;
    if ((name === 'Group' || name === 'Route') && call.args[0] && call.args[0].k !== 'fn') {
      prefixCall = call;
      parentOf = call;
    } else if (name === 'Group' && call.args[0]?.k === 'fn') {
      parentOf = call; // chi's `r.Group(func(r chi.Router) {…})`: same prefix
    } else if (name === 'Subrouter' && call.receiver !== undefined) {
      const pp = ix.calls[call.receiver];
      if (pp && pp.callee[pp.callee.length - 1] === 'PathPrefix') {
        prefixCall = pp;
        parentOf = pp;
      } else parentOf = pp;
    } else if (name === 'With' || (call.receiver !== undefined && SAME_ROUTER.has(name))) {
      // chi's `r.With(mw)`, gorilla's `mux.NewRouter().StrictSlash(true)`: the router they are called on.
      return receiverKey(ix, call, depth + 1);
    }
    if (!parentOf) return undefined;
    const prefix = prefixCall ? str(ix, prefixCall.args[0], call.fn) : '';
    if (prefix === undefined) return undefined;
    const parent = receiverKey(ix, parentOf, depth + 1);
    if (!parent) return undefined;
    graph.router({ key, file, line: call.line, prefix: '', app: false });
    graph.mount({ parent, child: key, prefix, file, line: call.line });
    return key;
  };

  /** The router a name written in a function is. */
  const fromName = (ix: PolyglotIndex, path: readonly string[], fn: string | undefined, line: number, depth: number): string | undefined => {
    const b = program.bind(ix.file, path, fn);
    if (b) {
      // A name bound to something that is not a router (an HTTP client, a cache) holds no routes.
      if (b.value.k !== 'call') return undefined;
      const other = program.byFile.get(b.file)!;
      return fromCall(b.file, b.value.call, depth + 1) ?? returned(other, other.calls[b.value.call]!, depth + 1);
    }
    // A parameter of the enclosing function: the routers its callers pass.
    const decl = fn ? ix.functions.find((f) => f.name === fn) : undefined;
    const at = path.length === 1 && decl?.params ? decl.params.indexOf(path[0]!) : -1;
    if (at >= 0 && depth < 8) {
      const key = `${ix.file}#${fn}(${at})`;
      if (!seenParams.has(key)) {
        seenParams.add(key);
        let callers = 0;
        graph.router({ key, file: ix.file, line: decl!.line, prefix: '', app: false });
        for (const { ix: other, call: c } of callsNamed(fn!)) {
          {
            if (c.args.length !== decl!.params!.length) continue;
            const arg = c.args[at];
            const parent =
              arg?.k === 'name'
                ? fromName(other, arg.path, c.fn, c.line, depth + 1)
                : arg?.k === 'call'
                  ? (fromCall(other.file, arg.call, depth + 1) ?? returned(other, other.calls[arg.call]!, depth + 1))
                  : undefined;
            if (!parent) continue;
            graph.mount({ parent, child: key, prefix: '', file: other.file, line: c.line });
            callers++;
          }
        }
        if (!callers) {
          graph.implicit(key, ix.file, decl!.line);
          implicitKeys.add(key);
        }
      }
      return key;
    }
    const key = `${ix.file}#${fn ?? ''}#${path.join('.')}`;
    graph.implicit(key, ix.file, line);
    implicitKeys.add(key);
    return key;
  };

  /**
   * The router a function or method returns, for `r.Mount("/accounts", a.Accounts.router())`: the
   * router created in the function of that name; where several functions have it, the method of the
   * receiver's type (`a` the enclosing method's receiver, `Accounts` a field of its struct), else the
   * one in the caller's folder.
   */
  const returned = (ix: PolyglotIndex, call: PCall, depth: number): string | undefined => {
    if (depth > 12) return undefined;
    const name = call.callee[call.callee.length - 1]!;
    const candidates: { ix: PolyglotIndex; owner?: string; call: number }[] = [];
    // `pkg.New()` of a package imported from outside the repository is none of its functions.
    const pkgFiles =
      call.callee.length === 2 && ix.imports.some((i) => i.alias === call.callee[0])
        ? new Set(program.goPackage(ix.file, call.callee[0]!).map((x) => x.file))
        : undefined;
    for (const { ix: other, f } of functionsNamed(name)) {
      if (pkgFiles && !pkgFiles.has(other.file)) continue;
      const created = other.calls.findIndex(
        (c) => c.fn === name && c.assigned !== undefined && c.receiver === undefined && CREATORS.has(c.callee[c.callee.length - 1]!) && c.callee.length === 2,
      );
      if (created >= 0) candidates.push({ ix: other, ...(f.owner ? { owner: f.owner } : {}), call: created });
    }
    let pick = candidates.length === 1 ? candidates[0] : undefined;
    // `adminAPI, err := admin.NewAPI(db)` then `adminAPI.Router()`: the method in package admin.
    const recv = call.callee.slice(0, -1);
    if (!pick && candidates.length > 1 && recv.length === 1) {
      const b = program.bind(ix.file, recv, call.fn);
      const made = b?.value.k === 'call' ? program.call(b.file, b.value.call) : undefined;
      if (made && made.callee.length === 2) {
        const files = new Set(program.goPackage(b!.file, made.callee[0]!).map((x) => x.file));
        const inPackage = candidates.filter((c) => files.has(c.ix.file));
        if (inPackage.length === 1) pick = inPackage[0];
      }
    }
    if (!pick && candidates.length > 1) {
      const type = receiverType(ix, call);
      const typed = type ? candidates.filter((c) => c.owner === type) : candidates;
      const near = typed.filter((c) => dirOf(c.ix.file) === dirOf(ix.file));
      pick = typed.length === 1 ? typed[0] : near.length === 1 ? near[0] : undefined;
    }
    return pick ? fromCall(pick.ix.file, pick.call, depth + 1) : undefined;
  };

  /** The type a method call's receiver has: the enclosing method's receiver, or a field of its struct. */
  const receiverType = (ix: PolyglotIndex, call: PCall): string | undefined => {
    const recv = call.callee.slice(0, -1);
    const encl = call.fn ? ix.functions.find((f) => f.name === call.fn && f.receiver !== undefined) : undefined;
    if (!encl || recv[0] !== encl.receiver) return undefined;
    let type = encl.owner;
    for (const field of recv.slice(1)) {
      // The struct of that name in the method's package first.
      const structs = program.indexes.flatMap((x) => x.classes.filter((c) => c.name === type && c.fields).map((c) => ({ c, dir: dirOf(x.file) })));
      const struct = (structs.find((x) => x.dir === dirOf(ix.file)) ?? structs[0])?.c;
      type = struct?.fields?.find((f) => f.name === field)?.type;
      if (!type) return undefined;
    }
    return type;
  };

  /** The router a route or group call is made on. */
  const receiverKey = (ix: PolyglotIndex, call: PCall, depth: number): string | undefined => {
    if (call.receiver !== undefined) return fromCall(ix.file, call.receiver, depth + 1);
    if (call.callee.length < 2) return undefined;
    const recv = call.callee.slice(0, -1);
    // net/http's default mux: one per package folder. Its client functions (`http.Post(url, …)`) are no routes.
    if (recv.length === 1 && recv[0] === 'http' && ix.imports.some((i) => i.alias === 'http' && i.module === 'net/http')) {
      const name = call.callee[call.callee.length - 1];
      if (name !== 'HandleFunc' && name !== 'Handle') return undefined;
      const key = `${ix.file.slice(0, Math.max(0, ix.file.lastIndexOf('/')))}#http.DefaultServeMux`;
      graph.implicit(key, ix.file, call.line);
      return key;
    }
    // Inside `r.Route("/x", func(r chi.Router) {…})` the closure's router (its parameter usually shadows the outer name).
    if (recv.length === 1) {
      for (let w = call.within; w !== undefined; w = ix.calls[w]?.within) {
        const outer = ix.calls[w]!;
        const on = outer.callee[outer.callee.length - 1];
        if ((on === 'Route' || on === 'Group') && outer.args.some((a) => a.k === 'fn')) return fromCall(ix.file, w, depth + 1);
      }
    }
    return fromName(ix, recv, call.fn, call.line, depth);
  };

  /** A router given as an argument: a name bound to one, or a call creating or returning one. */
  const childRouter = (ix: PolyglotIndex, v: PValue, fn: string | undefined): string | undefined => {
    if (v.k === 'call') return fromCall(ix.file, v.call, 0) ?? returned(ix, ix.calls[v.call]!, 0);
    if (v.k !== 'name') return undefined;
    const b = program.bind(ix.file, v.path, fn);
    if (b?.value.k !== 'call') return undefined;
    const other = program.byFile.get(b.file)!;
    return fromCall(b.file, b.value.call, 0) ?? returned(other, other.calls[b.value.call]!, 0);
  };

  for (const ix of indexes) {
    const framework = frameworkOf(ix);
    const routerFile = importsRouter(ix);
    ix.calls.forEach((call, index) => {
      const name = call.callee[call.callee.length - 1]!;
      const after = chained.get(`${ix.file}#${index}`) ?? [];
      let methods: string[] | undefined;
      let pathArg: PValue | undefined;
      if (UPPER_VERBS.has(name) || name === 'Any') {
        methods = [name === 'Any' ? 'ALL' : name];
        pathArg = call.args[0];
      } else if (TITLE_VERBS.has(name) || name === 'All') {
        methods = [name === 'All' ? 'ALL' : TITLE_VERBS.get(name)!];
        pathArg = call.args[0];
      } else if (name === 'HandleFunc' || name === 'Handle') {
        pathArg = call.args[0];
        // gorilla's `.Methods("GET", …)` chained on the route.
        const m = after.find((c) => c.callee[c.callee.length - 1] === 'Methods');
        methods = m ? m.args.map((a) => method(ix, a, call.fn)).filter((x): x is string => !!x) : ['ALL'];
        // `mux.Handle("/api/", http.StripPrefix("/api", sub))` mounts a router.
        const h = call.args[1];
        if (name === 'Handle' && h?.k === 'call') {
          const sp = ix.calls[h.call];
          if (sp?.callee[sp.callee.length - 1] === 'StripPrefix' && sp.args[1]) {
            const prefix = str(ix, sp.args[0], call.fn);
            const parent = receiverKey(ix, call, 0);
            const child = childRouter(ix, sp.args[1], call.fn);
            if (prefix !== undefined && parent && child && child !== parent) graph.mount({ parent, child, prefix, file: ix.file, line: call.line });
            return;
          }
        }
      } else if ((name === 'Method' || name === 'MethodFunc' || name === 'Handler') && call.args.length >= 3) {
        const m = method(ix, call.args[0]!, call.fn);
        methods = m ? [m] : undefined;
        pathArg = call.args[1];
      } else if (name === 'Match' && call.args.length >= 3) {
        methods = program.strings(ix.file, call.args[0], call.fn)?.map((m) => m.toUpperCase());
        pathArg = call.args[1];
      } else if (name === 'Heartbeat' && call.callee.length === 2 && call.within !== undefined) {
        // chi's `r.Use(middleware.Heartbeat("/ping"))`: the middleware answers GET (and HEAD) on that path itself.
        const use = ix.calls[call.within];
        const pkg = call.callee[0];
        if (
          use?.callee[use.callee.length - 1] !== 'Use' ||
          !ix.imports.some((i) => i.alias === pkg && /^github\.com\/go-chi\/chi(\/v\d+)?\/middleware$/.test(i.module))
        )
          return;
        const p = str(ix, call.args[0], call.fn);
        const router = receiverKey(ix, use, 0);
        if (!router || p === undefined || !p.startsWith('/')) return;
        graph.route({ router, methods: ['GET'], path: p, file: ix.file, line: call.line, framework });
        return;
      } else if (name === 'Mount' && call.args.length === 2) {
        const prefix = str(ix, call.args[0], call.fn);
        const parent = receiverKey(ix, call, 0);
        const child = childRouter(ix, call.args[1]!, call.fn);
        if (prefix !== undefined && parent && child) graph.mount({ parent, child, prefix, file: ix.file, line: call.line });
        else graph.unresolvedMount();
        return;
      } else if ((name === 'HandlerFunc' || name === 'Handler') && call.receiver !== undefined) {
        // gorilla: `r.Path("/x").HandlerFunc(h).Methods("GET")` and `r.Methods("GET").Path("/x").HandlerFunc(h)`.
        const path = ix.calls[call.receiver];
        if (path?.callee[path.callee.length - 1] !== 'Path') return;
        pathArg = path.args[0];
        const m = [...after, ...(path.receiver !== undefined ? [ix.calls[path.receiver]!] : [])].find((c) => c.callee[c.callee.length - 1] === 'Methods');
        methods = m ? m.args.map((a) => method(ix, a, call.fn)).filter((x): x is string => !!x) : ['ALL'];
        const router =
          path.receiver !== undefined && ix.calls[path.receiver]?.callee.at(-1) === 'Methods'
            ? receiverKey(ix, ix.calls[path.receiver]!, 0)
            : receiverKey(ix, path, 0);
        const p = str(ix, pathArg, call.fn);
        if (!router || p === undefined || !p.startsWith('/')) return;
        graph.route({ router, methods, path: p, file: ix.file, line: path.line, framework });
        return;
      } else return;
      // HEAD declared beside GET is the GET route's (net/http answers HEAD with GET's handler anyway).
      if (methods?.includes('GET')) methods = methods.filter((m) => m !== 'HEAD');
      if (!methods?.length || call.args.length < 2) return;
      let path = str(ix, pathArg, call.fn);
      if (path === undefined) return;
      // Go 1.22: `"GET /items/{id}"`, `"POST example.com/x"`, `{$}` for the exact path.
      const space = path.indexOf(' ');
      if (space > 0 && (name === 'HandleFunc' || name === 'Handle')) {
        methods = [path.slice(0, space).toUpperCase()];
        path = path.slice(space + 1).trim();
      }
      // `g.POST("", h)`: the group's own path.
      if (!path.startsWith('/') && !(path === '' && name !== 'HandleFunc' && name !== 'Handle')) {
        const slash = path.indexOf('/');
        if (slash <= 0 || name !== 'HandleFunc') return;
        path = path.slice(slash);
      }
      path = path.replace('{$}', '');
      const router = receiverKey(ix, call, 0);
      if (!router || (!routerFile && implicitKeys.has(router))) return;
      graph.route({ router, methods, path, file: ix.file, line: call.line, framework, ...(handlerName(call) ? { handler: handlerName(call) } : {}) });
    });
  }
  return graph.found();
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

function handlerName(call: PCall): string | undefined {
  const h = call.args[call.args.length - 1];
  return h?.k === 'name' ? h.path.join('.') : undefined;
}
