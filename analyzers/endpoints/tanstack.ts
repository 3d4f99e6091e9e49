/**
 * TanStack Start server routes, read from the engine's indexes: a file route's server handlers,
 * `createFileRoute('/api/users/$id')({ server: { handlers: { GET, POST } } })`, and the earlier
 * `createServerFileRoute('/api/x').methods({ GET })` and `createAPIFileRoute('/api/x')({ GET })`.
 * Each handler is an endpoint at the route's path: `$id` → `:id`, the splat `$` → `*`, an optional
 * `{-$id}` → `:id?`; pathless layouts (`_auth`) and groups (`(admin)`) add nothing. A file route
 * without server handlers is a page, no endpoint.
 */
import type { CallSite, FileIndex, Value } from '../../src/analysis/index-file.js';
import type { Found } from './types.js';
import { str, type Ev } from './values.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const MAKERS = new Set(['createFileRoute', 'createServerFileRoute', 'createAPIFileRoute']);

/** `/api/users/$id` as served: `/api/users/:id`. */
export function tanstackPath(id: string): string {
  const segs: string[] = [];
  for (const s of id.split('/')) {
    if (s === '' || s.startsWith('_') || (s.startsWith('(') && s.endsWith(')'))) continue;
    const optional = /^\{-\$([\w]+)\}$/.exec(s);
    if (optional) segs.push(`:${optional[1]}?`);
    else if (s === '$') segs.push('*');
    else if (s.startsWith('$')) segs.push(`:${s.slice(1)}`);
    else segs.push(s.endsWith('_') ? s.slice(0, -1) : s);
  }
  return `/${segs.join('/')}`;
}

const objProps = (v: Value | undefined): Record<string, Value> | undefined => (v?.k === 'obj' ? v.props : undefined);

export function tanstackEndpoints(ev: Ev, files: readonly FileIndex[]): Found[] {
  const out: Found[] = [];
  for (const fi of files) {
    for (const fn of new Set([fi.topLevel, ...fi.functions.values()])) {
      const scope = ev.scope(fi.file, fn);
      for (const c of fn.calls) {
        if (!MAKERS.has(c.root)) continue;
        const made = ev.ident(scope, c.root);
        if (made?.k !== 'pkg' || !made.pkg.startsWith('@tanstack/')) continue;
        const handlers = handlersOf(c);
        const id = str(ev, scope, c.innerArgs[0]?.[0]);
        if (!handlers || id === undefined) continue;
        const path = tanstackPath(id);
        for (const [method, h] of Object.entries(handlers)) {
          if (!METHODS.has(method)) continue;
          const line = h.k === 'fn' ? (ev.fns.get(h.key)?.line ?? c.line) : c.line;
          out.push({ protocol: 'http', method, path, file: fi.file, line, framework: 'tanstack-start', handler: method, mechanisms: [] });
        }
      }
    }
  }
  return out;
}

/** The handlers object of a route call: `(…)({ server: { handlers } })`, `(…)({ GET })` (API routes) or `(…).methods({ GET })`. */
function handlersOf(c: CallSite): Record<string, Value> | undefined {
  if (c.names.length === 1 && c.names[0] === '()') {
    const o = objProps(c.args[0]);
    if (c.root === 'createAPIFileRoute') return o;
    const server = objProps(o?.server);
    return objProps(server?.handlers);
  }
  if (c.root === 'createServerFileRoute' && c.names.length === 2 && c.names[0] === '()' && c.names[1] === 'methods') return objProps(c.args[0]);
  return undefined;
}
