/**
 * HTTP routes of Java and Kotlin: Spring MVC/WebFlux annotations (`@RequestMapping` on the class,
 * `@GetMapping`… or `@RequestMapping(method = …)` on its methods, `server.servlet.context-path` /
 * `spring.webflux.base-path` of the module's application.properties/.yml as a prefix), Spring's
 * functional `route(GET("/x"), h)` and `route().GET("/x", h)`, JAX-RS (`@Path` with `@GET`…,
 * `@ApplicationPath`), Micronaut (`@Controller("/x")` with `@Get`…) and Ktor
 * (`routing { route("/x") { get("/y") {…} } }`, an extension function of `Route` followed to
 * where it is called).
 *
 * A class serves routes when it is a `@RestController`/`@Controller` (methods of the classes and
 * interfaces it extends included), a JAX-RS resource or a Micronaut controller; a Feign client's or
 * an HTTP interface's mappings are calls it makes, never routes.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PAnnotation, PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { joinPath } from '../paths.js';
import type { Found } from '../types.js';
import { colonPath, type Program } from './program.js';

const MARKERS = ['org.springframework.web', 'org.springframework.stereotype.Controller', 'javax.ws.rs', 'jakarta.ws.rs', 'io.micronaut.http', 'io.ktor.server'];

export function jvmWants(text: string): boolean {
  return MARKERS.some((m) => text.includes(m));
}

const SPRING_VERBS = new Map([
  ['GetMapping', 'GET'],
  ['PostMapping', 'POST'],
  ['PutMapping', 'PUT'],
  ['DeleteMapping', 'DELETE'],
  ['PatchMapping', 'PATCH'],
]);
const JAXRS_VERBS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
const MICRONAUT_VERBS = new Map([
  ['Get', 'GET'],
  ['Post', 'POST'],
  ['Put', 'PUT'],
  ['Delete', 'DELETE'],
  ['Patch', 'PATCH'],
  ['Head', 'HEAD'],
  ['Options', 'OPTIONS'],
]);
const KTOR_VERBS = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['delete', 'DELETE'],
  ['patch', 'PATCH'],
  ['head', 'HEAD'],
  ['options', 'OPTIONS'],
]);
/** Classes whose mapping annotations describe calls made, not routes served. */
const CLIENTS = new Set(['FeignClient', 'HttpExchange', 'RegisterRestClient', 'Client']);
const AUTH = new Set(['PreAuthorize', 'Secured', 'RolesAllowed', 'Authenticated']);
const OPEN = new Set(['PermitAll', 'Anonymous']);

const last = (a: PAnnotation): string => a.name[a.name.length - 1]!;

export function jvmEndpoints(program: Program, ctx?: AnalyzerContext): Found[] {
  const out: Found[] = [];
  const indexes = program.indexes.filter((ix) => ix.language === 'java' || ix.language === 'kotlin');
  /** Annotations of a class (on it) and of its methods, by class name. */
  const onClass = new Map<string, { ix: PolyglotIndex; list: PAnnotation[] }[]>();
  const onMethods = new Map<string, { ix: PolyglotIndex; list: PAnnotation[] }[]>();
  const bases = new Map<string, string[]>();
  for (const ix of indexes) {
    for (const c of ix.classes) bases.set(c.name, [...(bases.get(c.name) ?? []), ...c.bases]);
    const cls = new Map<string, PAnnotation[]>();
    const fns = new Map<string, PAnnotation[]>();
    for (const a of ix.annotations) {
      if (a.target?.kind === 'class') cls.set(a.target.name, [...(cls.get(a.target.name) ?? []), a]);
      else if (a.target?.kind === 'function' && a.owner) fns.set(a.owner, [...(fns.get(a.owner) ?? []), a]);
    }
    for (const [k, list] of cls) onClass.set(k, [...(onClass.get(k) ?? []), { ix, list }]);
    for (const [k, list] of fns) onMethods.set(k, [...(onMethods.get(k) ?? []), { ix, list }]);
  }
  const strs = (ix: PolyglotIndex, v: PValue | undefined): string[] | undefined => {
    if (v?.k === 'call') {
      // Kotlin `arrayOf("/a", "/b")`.
      const c = ix.calls[v.call];
      if (c?.callee[c.callee.length - 1] === 'arrayOf') return program.strings(ix.file, { k: 'list', items: c.args });
    }
    return program.strings(ix.file, v);
  };
  /** The paths an annotation names (`value`, `path` or its first argument); [''] when it names none. */
  const pathsOf = (ix: PolyglotIndex, a: PAnnotation): string[] | undefined => {
    const v = a.kw.find((k) => k.name === 'value' || k.name === 'path' || k.name === 'uri')?.value ?? a.args[0];
    if (!v) return [''];
    const list = strs(ix, v);
    return list?.length === 0 ? [''] : list;
  };
  // Two services may each declare a class of the same name: a class's own annotations are those of its file.
  const classAnnotations = (name: string, file?: string): { ix: PolyglotIndex; a: PAnnotation }[] =>
    (onClass.get(name) ?? []).filter((e) => file === undefined || e.ix.file === file).flatMap((e) => e.list.map((a) => ({ ix: e.ix, a })));
  const hasAnnotation = (name: string, names: ReadonlySet<string> | string[], file?: string): boolean => {
    const set = new Set(names);
    return classAnnotations(name, file).some(({ a }) => set.has(last(a)));
  };
  /** A class and the classes and interfaces it extends that the program declares, nearest first. */
  const lineage = (name: string): string[] => {
    const seen: string[] = [];
    const todo = [name];
    while (todo.length && seen.length < 16) {
      const n = todo.shift()!;
      if (seen.includes(n)) continue;
      seen.push(n);
      todo.push(...(bases.get(n) ?? []).filter((b) => bases.has(b)));
    }
    return seen;
  };
  const prefixes = modulePrefixes(ctx, indexes, program);
  const push = (
    ix: PolyglotIndex,
    a: PAnnotation,
    method: string,
    path: string,
    framework: string,
    mech: string[],
    optOut: boolean,
    more?: { file: string; line: number }[],
  ): void => {
    out.push({
      protocol: 'http',
      method,
      path: colonPath(joinPath(prefixes(ix.file, framework === 'jax-rs'), path)),
      file: ix.file,
      line: a.target?.line ?? a.line,
      framework,
      mechanisms: mech,
      ...(optOut ? { optOut: true } : {}),
      ...(a.target ? { handler: a.target.name } : {}),
      ...(more?.length ? { more } : {}),
    });
  };
  /** Authentication annotations on the method, else on the class (a method's `@PermitAll` overrides the class's `@RolesAllowed`). */
  const authOf = (onClassList: PAnnotation[], onMethod: PAnnotation[]): { mech: string[]; optOut: boolean } => {
    for (const list of [onMethod, onClassList]) {
      const mech = [...new Set(list.filter((a) => AUTH.has(last(a))).map((a) => `@${last(a)}`))].sort();
      if (mech.length) return { mech, optOut: false };
      if (list.some((a) => OPEN.has(last(a)))) return { mech: [], optOut: true };
    }
    return { mech: [], optOut: false };
  };

  const classes = [...new Set(indexes.flatMap((ix) => ix.classes.map((c) => `${c.name}\u0000${ix.file}`)))].sort();
  for (const entry of classes) {
    const [name, file] = entry.split('\u0000') as [string, string];
    if (hasAnnotation(name, CLIENTS, file)) continue;
    const own = classAnnotations(name, file);
    const micronaut = own.some(({ a }) => last(a) === 'Controller') && isMicronaut(name, onMethods);
    const spring = !micronaut && own.some(({ a }) => last(a) === 'RestController' || last(a) === 'Controller');
    const jaxrs = own.some(({ a }) => last(a) === 'Path');
    if (!spring && !micronaut && !jaxrs) continue;
    const line = lineage(name);
    // The class's own prefix, else the nearest inherited one.
    const prefixAnn = (names: string[]): { ix: PolyglotIndex; a: PAnnotation } | undefined => {
      for (const n of line) {
        const hit = classAnnotations(n, n === name ? file : undefined).find(({ a }) => names.includes(last(a)));
        if (hit) return hit;
      }
      return undefined;
    };
    const pre = prefixAnn(spring ? ['RequestMapping'] : micronaut ? ['Controller'] : ['Path']);
    const classPaths = pre ? (pathsOf(pre.ix, pre.a) ?? []) : [''];
    const classAuth = line.flatMap((n) => classAnnotations(n, n === name ? file : undefined).map(({ a }) => a));
    const framework = spring ? 'spring' : micronaut ? 'micronaut' : 'jax-rs';
    const seenMethods = new Set<string>();
    for (const n of line) {
      for (const { ix, list } of (onMethods.get(n) ?? []).filter((e) => n !== name || e.ix.file === file)) {
        const byTarget = new Map<string, PAnnotation[]>();
        for (const a of list) {
          const k = `${a.target!.name}@${a.target!.line}`;
          byTarget.set(k, [...(byTarget.get(k) ?? []), a]);
        }
        for (const anns of byTarget.values()) {
          const target = anns[0]!.target!;
          // An overriding method declared nearer already gave its routes.
          if (n !== name && seenMethods.has(target.name)) continue;
          const routes: { a: PAnnotation; methods: string[]; paths: string[] }[] = [];
          if (spring) {
            for (const a of anns) {
              const verb = SPRING_VERBS.get(last(a));
              if (!verb && last(a) !== 'RequestMapping') continue;
              const paths = pathsOf(ix, a);
              if (!paths) continue;
              routes.push({ a, methods: verb ? [verb] : requestMethods(a), paths });
            }
          } else if (micronaut) {
            for (const a of anns) {
              const verb = MICRONAUT_VERBS.get(last(a));
              const paths = verb ? pathsOf(ix, a) : undefined;
              if (verb && paths) routes.push({ a, methods: [verb], paths });
            }
          } else {
            const verbs = anns.filter((a) => JAXRS_VERBS.has(last(a)) && a.name.length === 1).map(last);
            // A method with `@Path` and no verb is a sub-resource locator: its routes are another class's.
            if (verbs.length) {
              const p = anns.find((a) => last(a) === 'Path');
              const paths = p ? pathsOf(ix, p) : [''];
              if (paths) routes.push({ a: p ?? anns.find((a) => JAXRS_VERBS.has(last(a)))!, methods: verbs, paths });
            }
          }
          if (routes.length) seenMethods.add(target.name);
          const auth = authOf(classAuth, anns);
          for (const r of routes) {
            const at = { ...r.a, target };
            for (const cp of classPaths)
              for (const p of r.paths)
                for (const m of r.methods)
                  push(
                    ix,
                    at,
                    m,
                    joinPath(cp, p),
                    framework,
                    auth.mech,
                    auth.optOut,
                    pre && pre.ix.file !== ix.file ? [{ file: pre.ix.file, line: pre.a.line }] : undefined,
                  );
          }
        }
      }
    }
  }
  for (const ix of indexes) {
    out.push(...functionalRoutes(program, ix, prefixes));
    if (ix.language === 'kotlin') out.push(...ktorRoutes(program, ix, indexes));
  }
  return out;
}

/** Micronaut's `@Controller` sits on a class whose methods carry `@Get`, `@Post`…; Spring's never does. */
function isMicronaut(name: string, onMethods: Map<string, { list: PAnnotation[] }[]>): boolean {
  return (onMethods.get(name) ?? []).some((e) => e.list.some((a) => MICRONAUT_VERBS.has(last(a)) && a.name.length === 1));
}

/** `@RequestMapping(method = RequestMethod.POST)` or `{GET, POST}`; none is every method. */
function requestMethods(a: PAnnotation): string[] {
  const v = a.kw.find((k) => k.name === 'method')?.value;
  const items = !v ? [] : v.k === 'list' ? v.items : [v];
  const out: string[] = [];
  for (const item of items) if (item.k === 'name') out.push(item.path[item.path.length - 1]!.toUpperCase());
  return out.length ? out : ['ALL'];
}

/**
 * The prefix every route of a file gets: the module's servlet context path or WebFlux base path
 * (src/main/resources/application.properties or .yml next to the file's src/main), then a JAX-RS
 * `@ApplicationPath` of the same module.
 */
function modulePrefixes(ctx: AnalyzerContext | undefined, indexes: readonly PolyglotIndex[], program: Program): (file: string, jaxrs?: boolean) => string {
  const memo = new Map<string, string>();
  const rootOf = (file: string): string => {
    const k = file.lastIndexOf('/src/main/');
    return k >= 0 ? file.slice(0, k) : file.startsWith('src/main/') ? '' : '\0';
  };
  const appPaths = new Map<string, string>();
  for (const ix of indexes)
    for (const a of ix.annotations)
      if (last(a) === 'ApplicationPath' && a.target?.kind === 'class') {
        const s = program.str(ix.file, a.args[0] ?? a.kw.find((k) => k.name === 'value')?.value);
        if (s !== undefined && !appPaths.has(rootOf(ix.file))) appPaths.set(rootOf(ix.file), s);
      }
  return (file: string, jaxrs?: boolean): string => {
    const root = rootOf(file);
    let p = memo.get(root);
    if (p === undefined) {
      p = root === '\0' ? '' : contextPath(ctx, root);
      memo.set(root, p);
    }
    return jaxrs ? joinPath(p, appPaths.get(root)) : p;
  };
}

const CONTEXT_KEYS = ['server.servlet.context-path', 'spring.webflux.base-path', 'server.context-path'];

function contextPath(ctx: AnalyzerContext | undefined, root: string): string {
  if (!ctx) return '';
  const dir = `${root ? `${root}/` : ''}src/main/resources/`;
  for (const name of ['application.properties', 'application.yml', 'application.yaml']) {
    const text = ctx.files.includes(dir + name) ? ctx.read(dir + name) : undefined;
    if (text === undefined) continue;
    const v = name.endsWith('.properties') ? propertiesValue(text) : yamlValue(text);
    if (v !== undefined) return placeholderDefault(v);
  }
  return '';
}

function propertiesValue(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    for (const key of CONTEXT_KEYS) {
      if (!line.startsWith(key)) continue;
      const rest = line.slice(key.length).trimStart();
      if (rest[0] === '=' || rest[0] === ':') return rest.slice(1).trim();
    }
  }
  return undefined;
}

/** The first document's value of a dotted key written as nested mappings (`server:` / `servlet:` / `context-path: /x`) or flat. */
function yamlValue(text: string): string | undefined {
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('---') && stack.length) break;
    const body = raw.trimStart();
    if (!body || body.startsWith('#')) continue;
    const indent = raw.length - body.length;
    const colon = body.indexOf(':');
    if (colon <= 0) continue;
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const key = body.slice(0, colon).trim();
    const value = body.slice(colon + 1).trim();
    const full = [...stack.map((s) => s.key), key].join('.');
    if (value && CONTEXT_KEYS.includes(full)) return unquote(value);
    if (!value) stack.push({ indent, key });
  }
  return undefined;
}

function unquote(v: string): string {
  const hash = v.indexOf(' #');
  const s = hash >= 0 ? v.slice(0, hash).trim() : v;
  return (s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")) ? s.slice(1, -1) : s;
}

/** `${CONTEXT_PATH:/api}` is its default; a placeholder without one is not known. */
function placeholderDefault(v: string): string {
  if (!v.startsWith('${')) return v;
  const colon = v.indexOf(':');
  return colon > 0 && v.endsWith('}') ? v.slice(colon + 1, -1) : '';
}

const PREDICATES = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

/** Spring's functional endpoints: `route(GET("/x"), h).andRoute(POST("/y"), h)` and `route().GET("/x", h).build()`. */
function functionalRoutes(program: Program, ix: PolyglotIndex, prefixes: (file: string) => string): Found[] {
  const out: Found[] = [];
  const chainHasRoute = (c: PCall): boolean => {
    for (let r = c.receiver, n = 0; r !== undefined && n < 200; r = ix.calls[r]?.receiver, n++) {
      const rc = ix.calls[r]!;
      const nm = rc.callee[rc.callee.length - 1];
      if (nm === 'route' && rc.args.length === 0) return true;
    }
    return false;
  };
  for (const c of ix.calls) {
    const name = c.callee[c.callee.length - 1]!;
    let method: string | undefined;
    let pathValue: PValue | undefined;
    if ((name === 'route' || name === 'andRoute') && c.args.length === 2 && c.args[0]?.k === 'call') {
      const pred = ix.calls[c.args[0].call];
      const pn = pred?.callee[pred.callee.length - 1];
      if (pred && pn && PREDICATES.has(pn)) {
        method = pn;
        pathValue = pred.args[0];
      }
    } else if (PREDICATES.has(name) && c.args.length >= 2 && chainHasRoute(c)) {
      method = name;
      pathValue = c.args[0];
    }
    if (!method) continue;
    const path = program.str(ix.file, pathValue, c.fn);
    if (path === undefined || !path.startsWith('/')) continue;
    out.push({
      protocol: 'http',
      method,
      path: colonPath(joinPath(prefixes(ix.file), path)),
      file: ix.file,
      line: c.line,
      framework: 'spring-webflux',
      mechanisms: [],
    });
  }
  return out;
}

/**
 * Ktor: verb calls in a `routing { … }` block, under the `route(p)` blocks they are written in; in
 * an extension function (`fun Route.users() { get(…) }`) they are served where that function is
 * called in a routing block, else at the root.
 */
function ktorRoutes(program: Program, ix: PolyglotIndex, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  /** The prefixes a call inside routing blocks is under, or undefined when it is in none. */
  const prefixesOf = (file: PolyglotIndex, from: number | undefined, fn: string | undefined, depth: number): string[] | undefined => {
    let prefix = '';
    let inRouting = false;
    for (let w = from, n = 0; w !== undefined && n < 64; w = file.calls[w]?.within, n++) {
      const c = file.calls[w]!;
      const name = c.callee[c.callee.length - 1];
      if (c.callee.length === 1 && name === 'route') {
        const p = program.str(file.file, c.args[0], c.fn);
        if (p === undefined) return undefined;
        prefix = joinPath(p, prefix);
      } else if (name === 'routing') inRouting = true;
    }
    if (inRouting) return [prefix];
    // An extension function: where it is called.
    if (!fn || depth > 4) return undefined;
    const callers: string[] = [];
    for (const other of indexes) {
      if (other.language !== 'kotlin') continue;
      other.calls.forEach((c) => {
        if (c.callee.length !== 1 || c.callee[0] !== fn) return;
        const up = prefixesOf(other, c.within, c.fn, depth + 1);
        for (const u of up ?? []) callers.push(joinPath(u, prefix));
      });
    }
    return callers.length ? [...new Set(callers)] : [prefix];
  };
  ix.calls.forEach((c) => {
    const name = c.callee[c.callee.length - 1]!;
    const method = KTOR_VERBS.get(name);
    if (!method || c.callee.length !== 1) return;
    const path = c.args.length ? program.str(ix.file, c.args[0], c.fn) : '';
    if (path === undefined) return;
    // `get("/x")` outside any routing block or `route`, in a function nobody calls from one, is not Ktor's.
    const inBlock = c.within !== undefined;
    if (!inBlock && !c.fn) return;
    const prefixes = prefixesOf(ix, c.within, c.fn, 0);
    if (!prefixes) return;
    if (c.within === undefined && prefixes.length === 1 && prefixes[0] === '' && !path.startsWith('/')) return;
    // `authenticate("jwt") { … }` around the route (in its file) is its authentication.
    const mechanisms: string[] = [];
    for (let w = c.within, n = 0; w !== undefined && n < 64; w = ix.calls[w]?.within, n++) {
      const a = ix.calls[w]!;
      if (a.callee.length !== 1 || a.callee[0] !== 'authenticate') continue;
      const names = a.args.map((v) => program.str(ix.file, v, a.fn)).filter((x): x is string => x !== undefined);
      mechanisms.push(`authenticate(${names.join(', ')})`);
    }
    for (const p of prefixes)
      out.push({
        protocol: 'http',
        method,
        path: colonPath(joinPath(p, path)),
        file: ix.file,
        line: c.line,
        framework: 'ktor',
        mechanisms: [...new Set(mechanisms)],
      });
  });
  return out;
}
