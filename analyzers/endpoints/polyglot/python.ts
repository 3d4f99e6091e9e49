/**
 * HTTP routes of Python web frameworks: Flask (and Quart), FastAPI (and Starlette's `mount`),
 * aiohttp, Sanic and Django's URL configuration.
 *
 * - Applications and routers are the values of `Flask(…)`, `FastAPI(…)`, `APIRouter(prefix=…)`,
 *   `Blueprint(…, url_prefix=…)`, `web.Application()`, `web.RouteTableDef()`, `Sanic(…)`.
 * - Routes are decorators on functions: `@x.route(path, methods=[…])` (GET when none),
 *   `@x.get(path)` and the other verbs, `@x.api_route(path, methods=[…])`, `@x.websocket(path)`;
 *   and calls: `x.add_url_rule(path, …, methods=[…])`, `x.add_api_route(path, …, methods=[…])`,
 *   aiohttp's `app.router.add_get(path, h)` / `add_route(method, path, h)` and `web.get(path, h)`
 *   in `add_routes([...])`.
 * - Mounts: `include_router(r, prefix=…)`, `register_blueprint(bp, url_prefix=…)` (replacing the
 *   blueprint's own prefix), `mount(path, app)`, `add_subapp(prefix, app)`.
 * - Django and Django REST framework: django.ts.
 *
 * Paths and prefixes are evaluated across modules (`from app.core.config import settings` →
 * `settings.API_V1_STR`, a class attribute of the `Settings()` instance; f-strings; `os.getenv`
 * defaults). Authentication is not read in these languages.
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import { djangoEndpoints } from './django.js';
import { RouteGraph } from './graph.js';
import type { Program } from './program.js';

const CREATORS: Record<string, { framework: string; app: boolean; prefixKw?: string }> = {
  Flask: { framework: 'flask', app: true },
  Quart: { framework: 'quart', app: true },
  Blueprint: { framework: 'flask', app: false, prefixKw: 'url_prefix' },
  FastAPI: { framework: 'fastapi', app: true, prefixKw: 'root_path' },
  APIRouter: { framework: 'fastapi', app: false, prefixKw: 'prefix' },
  Starlette: { framework: 'starlette', app: true },
  Sanic: { framework: 'sanic', app: true },
  Application: { framework: 'aiohttp', app: true },
  RouteTableDef: { framework: 'aiohttp', app: false },
};

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head']);

/** Whether a Python file may declare routes (a cheap test on its text). */
export function pythonWants(text: string): boolean {
  return /\b(?:flask|fastapi|aiohttp|sanic|quart|starlette|django)\b/i.test(text.slice(0, 20_000)) || text.includes('urlpatterns');
}

interface Ref {
  key: string;
  file: string;
  call: PCall;
  creator: (typeof CREATORS)[string];
}

export function pythonEndpoints(program: Program): Found[] {
  const graph = new RouteGraph();
  const indexes = program.indexes.filter((ix) => ix.language === 'python');

  /** The router a name path written in a file is: the creator call it is bound to. */
  const routerOf = (file: string, path: readonly string[], fn?: string): Ref | undefined => {
    const b = program.bind(file, path, fn);
    if (!b || b.value.k !== 'call') return undefined;
    const call = program.call(b.file, b.value.call);
    const name = call?.callee[call.callee.length - 1];
    const creator = name ? CREATORS[name] : undefined;
    if (!call || !creator) return undefined;
    const ref: Ref = { key: `${b.file}#${b.value.call}`, file: b.file, call, creator };
    const prefix = creator.prefixKw ? program.str(b.file, call.kw.find((k) => k.name === creator.prefixKw)?.value) : undefined;
    graph.router({ key: ref.key, file: b.file, line: call.line, prefix: prefix ?? '', app: creator.app });
    return ref;
  };

  /** A route's receiver: a router created in the program, or one not seen (served at its root). */
  const receiver = (ix: PolyglotIndex, path: readonly string[], line: number, fn?: string): string => {
    const ref = routerOf(ix.file, path, fn);
    if (ref) return ref.key;
    const key = `${ix.file}:${path.join('.')}`;
    graph.implicit(key, ix.file, line);
    return key;
  };

  const methodsOf = (ix: PolyglotIndex, value: PValue | undefined, fallback: string[]): string[] => {
    if (!value) return fallback;
    const list = program.strings(ix.file, value);
    return list?.length ? list.map((m) => m.toUpperCase()) : fallback;
  };

  for (const ix of indexes) {
    // Every router created, so that prefixes are known even for a router with no route yet.
    for (const a of ix.assigns) if (a.value.k === 'call' && a.fn === undefined) routerOf(ix.file, a.name);

    for (const an of ix.annotations) {
      if (an.target?.kind !== 'function' || an.name.length < 2) continue;
      const verb = an.name[an.name.length - 1]!;
      const recv = an.name.slice(0, -1);
      const pathValue = an.args[0] ?? an.kw.find((k) => k.name === 'path' || k.name === 'rule' || k.name === 'uri')?.value;
      let methods: string[];
      let protocol: 'http' | 'websocket' = 'http';
      if (VERBS.has(verb)) methods = [verb.toUpperCase()];
      else if (verb === 'route' || verb === 'api_route') methods = methodsOf(ix, an.kw.find((k) => k.name === 'methods')?.value, ['GET']);
      else if (verb === 'websocket' || verb === 'websocket_route') {
        methods = ['WS'];
        protocol = 'websocket';
      } else continue;
      // Only receivers that are routers, or look like one (`app`, `router`, `bp`, `api`…), hold routes.
      const ref = routerOf(ix.file, recv);
      if (!ref && !looksLikeRouter(recv)) continue;
      const path = program.str(ix.file, pathValue);
      if (path === undefined) continue;
      graph.route({
        router: ref ? ref.key : receiver(ix, recv, an.line),
        methods,
        path,
        file: ix.file,
        line: an.line,
        framework: ref?.creator.framework ?? 'python',
        handler: an.target.name,
        protocol,
      });
    }

    for (const call of ix.calls) {
      const name = call.callee[call.callee.length - 1]!;
      const recv = call.callee.slice(0, -1);
      if ((name === 'include_router' || name === 'register_blueprint') && recv.length) {
        const parent = routerOf(ix.file, recv, call.fn)?.key ?? receiver(ix, recv, call.line, call.fn);
        const childValue = call.args[0];
        const child = childValue?.k === 'name' ? routerOf(ix.file, childValue.path, call.fn) : undefined;
        if (!child) {
          graph.unresolvedMount();
          continue;
        }
        const kw = call.kw.find((k) => k.name === (name === 'include_router' ? 'prefix' : 'url_prefix'));
        const prefix = kw ? program.str(ix.file, kw.value, call.fn) : '';
        if (prefix === undefined) {
          graph.unresolvedMount();
          continue;
        }
        graph.mount({ parent, child: child.key, prefix, file: ix.file, line: call.line, replacesOwn: name === 'register_blueprint' && kw !== undefined });
        continue;
      }
      if ((name === 'mount' || name === 'add_subapp') && recv.length && call.args.length >= 2) {
        const prefix = program.str(ix.file, call.args[0], call.fn);
        const childValue = call.args[1];
        const child = childValue?.k === 'name' ? routerOf(ix.file, childValue.path, call.fn) : undefined;
        if (prefix === undefined || !child) continue;
        const parent = routerOf(ix.file, recv, call.fn)?.key ?? receiver(ix, recv, call.line, call.fn);
        graph.mount({ parent, child: child.key, prefix, file: ix.file, line: call.line });
        continue;
      }
      if ((name === 'add_url_rule' || name === 'add_api_route' || name === 'add_api_websocket_route') && recv.length) {
        const ref = routerOf(ix.file, recv, call.fn);
        if (!ref && !looksLikeRouter(recv)) continue;
        const path = program.str(ix.file, call.args[0] ?? call.kw.find((k) => k.name === 'rule' || k.name === 'path')?.value, call.fn);
        if (path === undefined) continue;
        const ws = name === 'add_api_websocket_route';
        graph.route({
          router: ref ? ref.key : receiver(ix, recv, call.line, call.fn),
          methods: ws ? ['WS'] : methodsOf(ix, call.kw.find((k) => k.name === 'methods')?.value, ['GET']),
          path,
          file: ix.file,
          line: call.line,
          framework: ref?.creator.framework ?? 'python',
          protocol: ws ? 'websocket' : 'http',
        });
        continue;
      }
      // aiohttp: `app.router.add_get(path, handler)`, `add_route(method, path, handler)`.
      if (name.startsWith('add_') && recv[recv.length - 1] === 'router') {
        const verb = name.slice(4);
        const owner = recv.slice(0, -1);
        const method = verb === 'route' ? program.str(ix.file, call.args[0], call.fn) : VERBS.has(verb) ? verb : undefined;
        const path = program.str(ix.file, call.args[verb === 'route' ? 1 : 0], call.fn);
        if (!method || path === undefined || !owner.length) continue;
        graph.route({
          router: receiver(ix, owner, call.line, call.fn),
          methods: [method === '*' ? 'ALL' : method.toUpperCase()],
          path,
          file: ix.file,
          line: call.line,
          framework: 'aiohttp',
        });
        continue;
      }
      // aiohttp: `app.add_routes([web.get('/x', h), …])`.
      if (name === 'add_routes' && recv.length && call.args[0]?.k === 'list') {
        const router = receiver(ix, recv, call.line, call.fn);
        for (const item of call.args[0].items) {
          if (item.k !== 'call') continue;
          const c = ix.calls[item.call];
          const verb = c?.callee[c.callee.length - 1];
          if (!c || !verb || !(VERBS.has(verb) || verb === 'route' || verb === 'view')) continue;
          const method = verb === 'route' ? program.str(ix.file, c.args[0], call.fn) : verb === 'view' ? 'ALL' : verb.toUpperCase();
          const path = program.str(ix.file, c.args[verb === 'route' ? 1 : 0], call.fn);
          if (!method || path === undefined) continue;
          graph.route({ router, methods: [method === '*' ? 'ALL' : method.toUpperCase()], path, file: ix.file, line: c.line, framework: 'aiohttp' });
        }
      }
    }
  }
  return [...graph.found(), ...djangoEndpoints(program, indexes)];
}

/** Names a route receiver is given when its creation is not followed. */
function looksLikeRouter(path: readonly string[]): boolean {
  const last = path[path.length - 1]!.toLowerCase();
  return (
    last === 'app' ||
    last.endsWith('router') ||
    last.endsWith('_bp') ||
    last === 'bp' ||
    last.endsWith('blueprint') ||
    last === 'api' ||
    last === 'routes' ||
    last.endsWith('_api') ||
    last.endsWith('_app')
  );
}
