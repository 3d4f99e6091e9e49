/**
 * Socket.IO and ws servers, read from the engine's indexes: `io.on('connection', socket =>
 * socket.on('event', …))` (namespaces through `io.of('/ns')`) lists each event; every socket.io or ws
 * server created is one `WS <path>` endpoint, the path its clients upgrade at. The server is what
 * the receiver is bound to where the call is written (a local, a module value, an import of one, a
 * class field), created by socket.io or ws.
 */
import type { Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import type { Found } from './types.js';
import { bound, obj, prop, str, valueText, type Ev, type Resolve } from './values.js';

/** `this.io` in a method: the field's initialiser (or what the constructor assigns). */
function field(ev: Ev, fn: Fn, name: string): { value: Value; scope: Scope } | undefined {
  let f: Fn | undefined = fn;
  while (f && !f.cls) f = f.parent ? ev.fns.get(f.parent) : undefined;
  const init = f?.cls ? ev.classOf(fn.file, f.cls)?.fields.get(name)?.init : undefined;
  return init ? { value: init, scope: { file: fn.file } } : undefined;
}

/** What a call's receiver (its callee without the last name) is bound to. */
function receiver(ev: Ev, resolve: Resolve, fn: Fn, call: CallSite, names: string[]): { value: Value; scope: Scope } | undefined {
  if (names.length === 0) return call.root === 'this' ? undefined : bound(ev, resolve, fn.file, fn, call.root);
  if (call.root === 'this' && names.length === 1) return field(ev, fn, names[0]!);
  // `io.of('/chat').on(…)`: the `of` call written in place.
  if (names.length === 2 && names[0] === 'of' && names[1] === '()') {
    const of: CallSite = {
      line: call.line,
      root: call.root,
      names: ['of'],
      isNew: false,
      args: call.innerArgs[call.innerArgs.length - 1] ?? [],
      innerArgs: [],
    };
    return { value: { k: 'call', call: of }, scope: ev.scope(fn.file, fn) };
  }
  return undefined;
}

/** The kind of server a call or `new` creates: socket.io's `Server` (or its default export), ws's `WebSocketServer`/`Server`. */
function serverKind(ev: Ev, scope: Scope, v: Value): 'socket.io' | 'ws' | undefined {
  if (v.k !== 'call') return undefined;
  const c = v.call;
  let pkg: string;
  let name: string;
  const a0 = c.innerArgs[0]?.[0];
  if (c.root === 'require' && c.names.length === 1 && c.names[0] === '()' && a0?.k === 'str') {
    pkg = a0.v;
    name = '*';
  } else {
    if (c.names.includes('()')) return undefined;
    const base = ev.ident(scope, c.root);
    if (base?.k !== 'pkg') return undefined;
    pkg = base.pkg;
    const whole = base.name === 'default' || base.name === '*';
    name = c.names.length === 0 ? base.name : whole ? c.names.join('.') : `${base.name}.${c.names.join('.')}`;
  }
  if (pkg === 'socket.io' && (name === 'default' || name === '*' || name === 'Server')) return 'socket.io';
  if (pkg === 'ws' && (name === 'WebSocketServer' || name === 'Server')) return 'ws';
  return undefined;
}

/** A handler as named in the code: `onJoin`, `this.handlers.join`, the function `asyncHandler(fn)` wraps. */
function handlerName(v: Value | undefined): string | undefined {
  if (v?.k === 'ref') return v.path;
  if (v?.k === 'call' && v.call.args.length === 1) return handlerName(v.call.args[0]);
  return undefined;
}

/** Calls of a function and of the callbacks written in it, each with the function it is in. */
function callsWithin(ev: Ev, key: string, out: { fn: Fn; call: CallSite }[] = []): { fn: Fn; call: CallSite }[] {
  const fn = ev.fns.get(key);
  for (const call of fn?.calls ?? []) out.push({ fn: fn!, call });
  for (const child of ev.children.get(key) ?? []) callsWithin(ev, child, out);
  return out;
}

export function socketEndpoints(ev: Ev, files: readonly FileIndex[], resolve: Resolve): Found[] {
  const out: Found[] = [];
  for (const fi of files) {
    for (const fn of fi.functions.values()) {
      for (const c of fn.calls) {
        if (c.names[c.names.length - 1] !== 'on') continue;
        const scope = ev.scope(fn.file, fn);
        const event = str(ev, scope, c.args[0]);
        if (event !== 'connection' && event !== 'connect') continue;
        let namespace = '/';
        let server = receiver(ev, resolve, fn, c, c.names.slice(0, -1));
        const of = server?.value.k === 'call' ? server.value.call : undefined;
        if (server && of && of.names.length === 1 && of.names[0] === 'of') {
          namespace = str(ev, server.scope, of.args[0]) ?? namespace;
          const at = server.scope.fn ?? fn;
          server = of.root === 'this' ? undefined : bound(ev, resolve, server.scope.file, at, of.root);
        }
        const kind = server ? serverKind(ev, server.scope, server.value) : undefined;
        if (!server || !kind || server.value.k !== 'call') continue;
        if (kind === 'ws') continue;
        const cb = c.args[1]?.k === 'fn' ? ev.fns.get(c.args[1].key) : undefined;
        const param = cb?.paramNames[0];
        if (cb && param) {
          // In source order (a stable sort keeps a line's calls in the order they were recorded).
          const within = callsWithin(ev, cb.key).sort((a, b) => a.call.line - b.call.line);
          for (const { fn: inner, call: e } of within) {
            if (e.root !== param || e.names.length !== 1 || e.names[0] !== 'on') continue;
            const name = str(ev, ev.scope(inner.file, inner), e.args[0]);
            if (!name || name === 'disconnect' || name === 'disconnecting' || name === 'error') continue;
            out.push({
              protocol: 'websocket',
              method: 'EVENT',
              path: namespace === '/' ? name : `${namespace} ${name}`,
              file: fn.file,
              line: e.line,
              framework: 'socket.io',
              handler: handlerName(e.args[1]),
              mechanisms: [],
              details: { namespace },
            });
          }
        }
      }
    }
  }
  return [...out, ...socketServers(ev, files)];
}

/**
 * A server attached to an HTTP server its function creates (`const server = createServer(app)`) that
 * the function never starts, passes on or returns: nothing listens, so nothing is served (the app
 * listens on its own, `app.listen(port)`).
 */
function neverListens(ev: Ev, fn: Fn, c: CallSite): boolean {
  const a = c.args[0];
  if (a?.k !== 'ref' || a.path.includes('.')) return false;
  const made = fn.locals.get(a.path);
  const m = made?.k === 'call' ? made.call : undefined;
  if (!m || !((m.root === 'createServer' && m.names.length === 0) || (m.names.length === 1 && m.names[0] === 'createServer'))) return false;
  const uses = (v: Value) => v.k === 'ref' && (v.path === a.path || v.path.startsWith(`${a.path}.`));
  const used = callsWithin(ev, fn.key).some(({ call: x }) => x !== c && (x.root === a.path || x.args.some(uses)));
  return !used && !fn.returns.some(uses);
}

/**
 * The WebSocket endpoint of each server created: `WS <path>`, the HTTP path a client upgrades at —
 * socket.io's `path` option (default `/socket.io`), ws's `path` (default `/`). Its events are listed
 * apart (`EVENT name`); a namespace is no path of its own.
 */
function socketServers(ev: Ev, files: readonly FileIndex[]): Found[] {
  const out: Found[] = [];
  for (const fi of files) {
    for (const fn of new Set([fi.topLevel, ...fi.functions.values()])) {
      const scope = ev.scope(fn.file, fn);
      for (const c of fn.calls) {
        const kind = serverKind(ev, scope, { k: 'call', call: c });
        if (!kind || neverListens(ev, fn, c)) continue;
        const opts = c.args.map((a) => obj(ev, scope, a)).find((o) => o !== undefined);
        const given = prop(opts, 'path');
        // A path read at run time (`config.get('socket.path')`) is shown in braces, as a route's is.
        const path = (given && (str(ev, opts!.scope, given) ?? `/{${valueText(given)}}`)) || (kind === 'ws' ? '/' : '/socket.io');
        out.push({ protocol: 'websocket', method: 'WS', path, file: fn.file, line: c.line, framework: kind, mechanisms: [] });
      }
    }
  }
  return out;
}
