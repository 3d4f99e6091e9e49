/**
 * HTTP routes of PHP: Laravel (`Route::get/post/put/patch/delete/options/any/match` and Lumen's
 * `$router->get(…)`, `Route::resource`/`apiResource` expanded to their standard routes with
 * `only`/`except`, `Route::prefix(p)->group(fn)` and `Route::group(['prefix' => p], fn)`; the files
 * under routes/ served under the prefix RouteServiceProvider or bootstrap/app.php gives them,
 * `/api` for routes/api.php by default), Slim (`$app->get(…)`, `$app->map([…], …)`,
 * `$app->group('/x', function ($group) {…})`) and Symfony's `#[Route]` attributes. The `auth`
 * middleware (`auth`, `auth:api`, `auth:sanctum`) of a route or of its groups is its authentication.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PAnnotation, PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import { joinPath } from '../paths.js';
import type { Found } from '../types.js';
import { colonPath, type Program } from './program.js';

export function phpWants(text: string): boolean {
  return text.includes('Route::') || text.includes('Slim\\') || text.includes('$router->') || text.includes('Symfony\\Component\\Routing');
}

const VERBS = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  ['options', 'OPTIONS'],
  ['any', 'ALL'],
]);

const RESOURCE: { action: string; methods: string[]; suffix: string; api: boolean }[] = [
  { action: 'index', methods: ['GET'], suffix: '', api: true },
  { action: 'create', methods: ['GET'], suffix: '/create', api: false },
  { action: 'store', methods: ['POST'], suffix: '', api: true },
  { action: 'show', methods: ['GET'], suffix: '/{id}', api: true },
  { action: 'edit', methods: ['GET'], suffix: '/{id}/edit', api: false },
  { action: 'update', methods: ['PUT', 'PATCH'], suffix: '/{id}', api: true },
  { action: 'destroy', methods: ['DELETE'], suffix: '/{id}', api: true },
];

const AUTH_PREFIX = 'auth';

export function phpEndpoints(program: Program, ctx?: AnalyzerContext): Found[] {
  const indexes = program.indexes.filter((ix) => ix.language === 'php');
  return [...laravelRoutes(program, indexes), ...slimRoutes(program, indexes), ...symfonyRoutes(program, indexes), ...docblockRoutes(indexes, ctx)];
}

/** The prefix each routes file is served under: `routes/api.php` → `/api` unless the application says otherwise. */
function routeFilePrefixes(program: Program, indexes: readonly PolyglotIndex[]): { prefixes: Map<string, string>; health?: Found } {
  const out = new Map<string, string>();
  let health: Found | undefined;
  for (const ix of indexes) {
    const base = ix.file.slice(ix.file.lastIndexOf('/') + 1);
    const isProvider = base === 'RouteServiceProvider.php' || (base === 'app.php' && ix.file.endsWith('bootstrap/app.php'));
    if (!isProvider) continue;
    ix.calls.forEach((c) => {
      const name = c.callee[c.callee.length - 1];
      // Laravel 11: `->withRouting(web: …, api: …, apiPrefix: 'api/v1')`.
      if (name === 'withRouting') {
        const p = c.kw.find((k) => k.name === 'apiPrefix');
        const s = p ? program.str(ix.file, p.value, c.fn) : undefined;
        out.set('api.php', s !== undefined ? joinPath(s) : '/api');
        // `health: '/up'`: the framework's own health route.
        const hk = c.kw.find((k) => k.name === 'health');
        const h = hk ? program.str(ix.file, hk.value, c.fn) : undefined;
        if (h) health = { method: 'GET', path: joinPath(h), file: ix.file, line: c.line, framework: 'laravel', protocol: 'http', mechanisms: [] };
        return;
      }
      // `Route::prefix('api')->middleware('api')->group(base_path('routes/api.php'))`.
      if (name !== 'group') return;
      const file = routesFileOf(ix, c.args[0]);
      if (!file) return;
      let prefix = '';
      for (let r = c.receiver, n = 0; r !== undefined && n < 32; r = ix.calls[r]?.receiver, n++) {
        const rc = ix.calls[r]!;
        if (rc.callee[rc.callee.length - 1] === 'prefix') prefix = joinPath(program.str(ix.file, rc.args[0], rc.fn) ?? '', prefix);
      }
      out.set(file, prefix);
    });
  }
  if (!out.has('api.php')) out.set('api.php', '/api');
  return { prefixes: out, ...(health ? { health } : {}) };
}

/** `base_path('routes/api.php')`, `__DIR__.'/../routes/api.php'`: the routes file's name. */
function routesFileOf(ix: PolyglotIndex, v: PValue | undefined): string | undefined {
  let s: string | undefined;
  if (v?.k === 'call') {
    const c = ix.calls[v.call];
    if (c?.args[0]?.k === 'str') s = c.args[0].v;
  } else if (v?.k === 'str') s = v.v;
  else if (v?.k === 'concat') {
    const tail = v.parts[v.parts.length - 1];
    if (tail?.k === 'str') s = tail.v;
  }
  return s?.endsWith('.php') ? s.slice(s.lastIndexOf('/') + 1) : undefined;
}

interface Scope {
  prefix: string;
  mech: string[];
}

/** What a chain of calls before a route or a group says: `prefix(p)`, `middleware(m)`, `Route::group([…])`. */
function chainScope(program: Program, ix: PolyglotIndex, call: PCall): Scope {
  let prefix = '';
  const mech: string[] = [];
  const middleware = (v: PValue | undefined, fn?: string): void => {
    for (const m of program.strings(ix.file, v, fn) ?? []) if (m === AUTH_PREFIX || m.startsWith(`${AUTH_PREFIX}:`)) mech.push(m);
  };
  for (let c: PCall | undefined = call, n = 0; c && n < 32; c = c.receiver !== undefined ? ix.calls[c.receiver] : undefined, n++) {
    const name = c.callee[c.callee.length - 1];
    if (name === 'prefix') prefix = joinPath(program.str(ix.file, c.args[0], c.fn) ?? '', prefix);
    else if (name === 'middleware') middleware(c.args.length === 1 ? c.args[0] : { k: 'list', items: c.args }, c.fn);
    else if (name === 'group' && c.args[0]?.k === 'map') {
      // `Route::group(['prefix' => 'v1', 'middleware' => 'auth'], fn)`, Lumen's `$router->group([…], fn)`.
      for (const e of c.args[0].entries) {
        const key = e.key.k === 'str' ? e.key.v : '';
        if (key === 'prefix') prefix = joinPath(program.str(ix.file, e.value, c.fn) ?? '', prefix);
        if (key === 'middleware') middleware(e.value, c.fn);
      }
    }
  }
  return { prefix, mech };
}

/** The groups a call is written in, outermost first. */
function groupsOf(program: Program, ix: PolyglotIndex, call: PCall): Scope {
  const scopes: Scope[] = [];
  for (let w = call.within, n = 0; w !== undefined && n < 64; w = ix.calls[w]?.within, n++) {
    const g = ix.calls[w]!;
    if (g.callee[g.callee.length - 1] === 'group') scopes.unshift(chainScope(program, ix, g));
  }
  return { prefix: joinPath(...scopes.map((s) => s.prefix)), mech: scopes.flatMap((s) => s.mech) };
}

/** The first call of a chain. */
function chainRoot(ix: PolyglotIndex, call: PCall): PCall {
  let c = call;
  for (let n = 0; c.receiver !== undefined && n < 32; n++) c = ix.calls[c.receiver]!;
  return c;
}

function laravelRoutes(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  const { prefixes: filePrefixes, health } = routeFilePrefixes(program, indexes);
  if (health) out.push(health);
  for (const ix of indexes) {
    const inRoutes = ix.file.startsWith('routes/') || ix.file.includes('/routes/');
    const base = ix.file.slice(ix.file.lastIndexOf('/') + 1);
    const filePrefix = inRoutes ? (filePrefixes.get(base) ?? '') : '';
    const after = new Map<number, PCall[]>();
    ix.calls.forEach((c) => {
      if (c.receiver !== undefined) after.set(c.receiver, [...(after.get(c.receiver) ?? []), c]);
    });
    ix.calls.forEach((call, index) => {
      const name = call.callee[call.callee.length - 1]!;
      const root = chainRoot(ix, call);
      // `Route::…` anywhere; Lumen's `$router->…` only in the routes files.
      const laravel = root.callee[0] === 'Route' || (inRoutes && root.callee[0] === '$router');
      if (!laravel || root.callee.length !== 2) return;
      let methods: string[] | undefined;
      let pathValue: PValue | undefined;
      const verb = VERBS.get(name.toLowerCase());
      if (verb && call.args.length >= 1) {
        methods = [verb];
        pathValue = call.args[0];
      } else if (name === 'match' && call.args.length >= 2) {
        methods = program.strings(ix.file, call.args[0], call.fn)?.map((m) => m.toUpperCase());
        pathValue = call.args[1];
      } else if ((name === 'view' || name === 'redirect' || name === 'permanentRedirect') && call.args.length >= 2) {
        // `Route::view('/about', 'about')` answers GET; a redirect route answers every method.
        methods = [name === 'view' ? 'GET' : 'ALL'];
        pathValue = call.args[0];
      } else if (name === 'resource' || name === 'apiResource') {
        out.push(...resource(program, ix, call, after.get(index) ?? [], filePrefix, name === 'apiResource'));
        return;
      } else return;
      const path = program.str(ix.file, pathValue, call.fn);
      if (!methods?.length || path === undefined) return;
      const groups = groupsOf(program, ix, call);
      const own = chainScope(program, ix, call);
      const mech = [...new Set([...groups.mech, ...own.mech, ...(after.get(index) ?? []).flatMap((c) => chainScope(program, ix, c).mech)])];
      for (const method of methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(filePrefix, groups.prefix, own.prefix, path)),
          file: ix.file,
          line: call.line,
          framework: 'laravel',
          mechanisms: mech,
          ...handlerOf(call.args[call.args.length - 1]),
        });
    });
  }
  return out;
}

/** `Route::resource('photos', PhotoController::class)->only(['index', 'show'])`: the standard actions. */
function resource(program: Program, ix: PolyglotIndex, call: PCall, after: PCall[], filePrefix: string, api: boolean): Found[] {
  const name = program.str(ix.file, call.args[0], call.fn);
  if (!name) return [];
  const pick = (method: string): string[] | undefined => {
    const c = after.find((x) => x.callee[x.callee.length - 1] === method);
    return c ? (program.strings(ix.file, c.args.length === 1 ? c.args[0] : { k: 'list', items: c.args }, c.fn) ?? []) : undefined;
  };
  const only = pick('only');
  const except = pick('except') ?? [];
  // `photos.comments` nests: /photos/{photo}/comments/{comment}.
  const parts = name.split('.');
  let base = '';
  for (let i = 0; i < parts.length - 1; i++) base = joinPath(base, parts[i]!, `{${singular(lastSegment(parts[i]!))}}`);
  const leaf = parts[parts.length - 1]!;
  const param = `{${singular(lastSegment(leaf))}}`;
  const groups = groupsOf(program, ix, call);
  const own = chainScope(program, ix, call);
  const mech = [...new Set([...groups.mech, ...own.mech, ...after.flatMap((c) => chainScope(program, ix, c).mech)])];
  const out: Found[] = [];
  for (const r of RESOURCE) {
    if ((api && !r.api) || (only && !only.includes(r.action)) || except.includes(r.action)) continue;
    const path = colonPath(joinPath(filePrefix, groups.prefix, own.prefix, base, leaf, r.suffix.replace('{id}', param)));
    for (const method of r.methods)
      out.push({ protocol: 'http', method, path, file: ix.file, line: call.line, framework: 'laravel', mechanisms: mech, handler: r.action });
  }
  return out;
}

function lastSegment(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** Laravel's parameter name for a resource: its singular, in the common English forms. */
function singular(word: string): string {
  const w = word.replace(/-/g, '_');
  if (w.endsWith('ies') && w.length > 3) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** `[UserController::class, 'show']` or `'UserController@show'`. */
function handlerOf(v: PValue | undefined): { handler?: string } {
  if (v?.k === 'str' && v.v.includes('@')) return { handler: v.v };
  if (v?.k === 'list' && v.items.length === 2 && v.items[0]?.k === 'name' && v.items[1]?.k === 'str')
    return { handler: `${v.items[0].path[0]}@${v.items[1].v}` };
  return {};
}

/**
 * Slim: routes on the application (`$app` where the program creates one with `AppFactory::create()`
 * or `new \Slim\App`) and on the group a `$app->group('/x', function ($group) {…})` passes.
 */
function slimRoutes(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const slim = indexes.some(
    (ix) =>
      ix.calls.some((c) => c.callee.join('.') === 'AppFactory.create' || c.callee.join('.') === 'Bridge.create') ||
      ix.assigns.some((a) => a.value.k === 'other' && a.value.text.includes('Slim\\App')),
  );
  if (!slim) return [];
  const out: Found[] = [];
  for (const ix of indexes) {
    ix.calls.forEach((call) => {
      const name = call.callee[call.callee.length - 1]!;
      const recv = call.callee.length === 2 ? call.callee[0]! : undefined;
      if (!recv?.startsWith('$') || recv === '$router') return;
      let methods: string[] | undefined;
      let pathValue: PValue | undefined;
      if (VERBS.has(name) && call.args.length >= 2) {
        methods = [VERBS.get(name)!];
        pathValue = call.args[0];
      } else if (name === 'map' && call.args.length >= 3) {
        methods = program.strings(ix.file, call.args[0], call.fn)?.map((m) => m.toUpperCase());
        pathValue = call.args[1];
      } else return;
      // The application itself, or a group's collector inside a group's closure.
      const groups: string[] = [];
      let onApp = recv === '$app';
      for (let w = call.within, n = 0; w !== undefined && n < 64; w = ix.calls[w]?.within, n++) {
        const g = ix.calls[w]!;
        if (g.callee[g.callee.length - 1] !== 'group') continue;
        const p = program.str(ix.file, g.args[0], g.fn);
        if (p === undefined) return;
        groups.unshift(p);
        onApp = true;
      }
      const path = program.str(ix.file, pathValue, call.fn);
      // A path starts with `/`, except a group's own (`$group->get('', …)`): `$client->get('x')` is a request.
      if (!onApp || !methods?.length || path === undefined || !(path.startsWith('/') || (path === '' && groups.length))) return;
      for (const method of methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(...groups, path)),
          file: ix.file,
          line: call.line,
          framework: 'slim',
          mechanisms: [],
        });
    });
  }
  return out;
}

/** Symfony: `#[Route('/x', methods: ['GET'])]` on a controller's actions, under the class's own `#[Route]`. */
function symfonyRoutes(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  const isRoute = (a: PAnnotation): boolean => a.name[a.name.length - 1] === 'Route';
  for (const ix of indexes) {
    const classRoute = new Map<string, PAnnotation>();
    for (const a of ix.annotations) if (isRoute(a) && a.target?.kind === 'class') classRoute.set(a.target.name, a);
    for (const a of ix.annotations) {
      if (!isRoute(a) || a.target?.kind !== 'function') continue;
      const pathOf = (x: PAnnotation | undefined): string | undefined =>
        x ? program.str(ix.file, x.kw.find((k) => k.name === 'path')?.value ?? x.args[0]) : '';
      const prefix = pathOf(a.owner ? classRoute.get(a.owner) : undefined);
      const path = pathOf(a);
      if (prefix === undefined || path === undefined) continue;
      const m = a.kw.find((k) => k.name === 'methods')?.value;
      const methods = m ? (program.strings(ix.file, m)?.map((x) => x.toUpperCase()) ?? ['ALL']) : ['ALL'];
      for (const method of methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(prefix, path)),
          file: ix.file,
          line: a.target.line,
          framework: 'symfony',
          mechanisms: [],
          handler: a.owner ? `${a.owner}::${a.target.name}` : a.target.name,
        });
    }
  }
  return out;
}

/**
 * Symfony routes written as docblock annotations (`/** @Route("/api") *\/` on the class,
 * `@Route(path="/x/{id}", methods={"PUT"})` on an action), read from the text of the files that
 * name Symfony's Routing annotation: the index drops comments. A class-level route on an
 * invokable controller (`__invoke`) is its route.
 */
function docblockRoutes(indexes: readonly PolyglotIndex[], ctx: AnalyzerContext | undefined): Found[] {
  if (!ctx) return [];
  const out: Found[] = [];
  for (const ix of indexes) {
    const text = ctx.read(ix.file);
    if (!text?.includes('Routing\\Annotation\\Route')) continue;
    let prefix: string | undefined;
    let classRoute: { path: string; methods: string[]; line: number; name: string } | undefined;
    let invokable = false;
    for (let at = text.indexOf('/**'); at >= 0; at = text.indexOf('/**', at + 3)) {
      const end = text.indexOf('*/', at + 3);
      if (end < 0) break;
      const route = docRoute(text.slice(at + 3, end));
      const target = declarationAfter(text, end + 2);
      if (!route || !target) continue;
      const line = lineAt(text, target.at);
      if (target.kind === 'class') {
        prefix = route.path;
        classRoute = { ...route, line, name: target.name };
        continue;
      }
      if (target.name === '__invoke') invokable = true;
      for (const method of route.methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(prefix, route.path)),
          file: ix.file,
          line,
          framework: 'symfony',
          mechanisms: [],
          handler: target.name,
        });
    }
    if (classRoute && (invokable || text.includes('function __invoke'))) {
      for (const method of classRoute.methods)
        out.push({
          protocol: 'http',
          method,
          path: colonPath(joinPath(classRoute.path)),
          file: ix.file,
          line: classRoute.line,
          framework: 'symfony',
          mechanisms: [],
          handler: classRoute.name,
        });
    }
  }
  return out;
}

/** `@Route("/x")`, `@Route(path="/x", methods={"GET","POST"})` in a docblock's text. */
function docRoute(doc: string): { path: string; methods: string[] } | undefined {
  const at = doc.indexOf('@Route(');
  if (at < 0) return undefined;
  const close = doc.indexOf(')', at);
  if (close < 0) return undefined;
  const args = doc.slice(at + 7, close);
  const strings: { value: string; before: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '"' && args[i] !== "'") continue;
    const q = args[i]!;
    const e = args.indexOf(q, i + 1);
    if (e < 0) break;
    strings.push({ value: args.slice(i + 1, e), before: args.slice(0, i) });
    i = e;
  }
  const methodsAt = args.indexOf('methods');
  const named = strings.find((x) => x.before.trimEnd().endsWith('=') && x.before.lastIndexOf('path') > x.before.lastIndexOf(','));
  const path = named ?? strings.find((x) => x.before.trim() === '');
  if (!path) return undefined;
  // `methods={"GET", "POST"}` or `methods="GET"`: the strings up to the closing brace.
  const open = methodsAt < 0 ? -1 : args.indexOf('{', methodsAt);
  const shut = open < 0 ? -1 : args.indexOf('}', open);
  const inMethods = (x: { before: string }): boolean =>
    shut > 0 ? x.before.length > open && x.before.length < shut : x.before.length > methodsAt && x === strings.find((y) => y.before.length > methodsAt);
  const methods = methodsAt < 0 ? [] : strings.filter(inMethods).map((x) => x.value.toUpperCase());
  return { path: path.value, methods: methods.length ? methods : ['ALL'] };
}

/** The class or function declared right after a docblock. */
function declarationAfter(text: string, from: number): { kind: 'class' | 'function'; name: string; at: number } | undefined {
  const limit = Math.min(text.length, from + 400);
  let word = '';
  let prev = '';
  for (let i = from; i <= limit; i++) {
    const c = text[i] ?? ' ';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_') {
      word += c;
      continue;
    }
    if (word) {
      if (prev === 'class' || prev === 'function') return { kind: prev, name: word, at: i - word.length };
      prev = word;
      word = '';
    }
    if (c === ';' || c === '{' || c === '=' || (c === '/' && text[i + 1] === '*')) return undefined;
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
