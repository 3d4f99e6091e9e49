/**
 * Django's URL configuration and Django REST framework.
 *
 * - `urlpatterns = [path('orders/<int:pk>/', view), re_path(r'^x/(?P<id>\d+)/?$', view), url(…)]`,
 *   walked from each configuration no other includes; `include('shop.urls')` and `include(router.urls)`
 *   followed; Django's admin (`admin.site.urls`) is the framework's, not the system's.
 * - A regular expression is read when it is a plain path: `^`/`$`, a trailing `/?` and named groups
 *   (`(?P<slug>[-\w]+)` → `:slug`); any other pattern is not read.
 * - Methods come from the view: a class's `get`/`post`/… methods (inherited from classes in the
 *   repository too), REST framework's and Django's generic views by their base
 *   (`ListCreateAPIView` → GET, POST …), `@api_view(['GET', 'POST'])` and `@require_http_methods`
 *   on a function; a function view without them serves every method (ALL).
 * - Routers: `router.register('articles', ArticleViewSet)` gives the list route (GET `list`, POST
 *   `create`) and the detail route `/:lookup` (GET `retrieve`, PUT `update`, PATCH `partial_update`,
 *   DELETE `destroy`), each where the viewset has the action (its own methods and its mixins:
 *   `ModelViewSet`, `ReadOnlyModelViewSet`, `CreateModelMixin` …), the lookup from `lookup_field`;
 *   `@action(detail=…, methods=[…], url_path=…)` methods; `DefaultRouter`'s root view (GET).
 */
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Found } from '../types.js';
import type { Program } from './program.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete'];

/** Methods of generic views, by the base class's name. */
const GENERIC: Record<string, string[]> = {
  ListAPIView: ['GET'],
  CreateAPIView: ['POST'],
  RetrieveAPIView: ['GET'],
  DestroyAPIView: ['DELETE'],
  UpdateAPIView: ['PUT', 'PATCH'],
  ListCreateAPIView: ['GET', 'POST'],
  RetrieveUpdateAPIView: ['GET', 'PUT', 'PATCH'],
  RetrieveDestroyAPIView: ['GET', 'DELETE'],
  RetrieveUpdateDestroyAPIView: ['GET', 'PUT', 'PATCH', 'DELETE'],
  TemplateView: ['GET'],
  ListView: ['GET'],
  DetailView: ['GET'],
  RedirectView: ['GET'],
  FormView: ['GET', 'POST'],
  CreateView: ['GET', 'POST'],
  UpdateView: ['GET', 'POST'],
  DeleteView: ['GET', 'POST'],
  LoginView: ['GET', 'POST'],
  LogoutView: ['POST'],
  // Views of REST framework's token auth, simplejwt and drf-spectacular, used as they are.
  ObtainAuthToken: ['POST'],
  TokenObtainPairView: ['POST'],
  TokenRefreshView: ['POST'],
  TokenVerifyView: ['POST'],
  SpectacularAPIView: ['GET'],
  SpectacularSwaggerView: ['GET'],
  SpectacularRedocView: ['GET'],
};

/** Viewset actions by base class or mixin. */
const ACTIONS: Record<string, string[]> = {
  ModelViewSet: ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'],
  ReadOnlyModelViewSet: ['list', 'retrieve'],
  CreateModelMixin: ['create'],
  ListModelMixin: ['list'],
  RetrieveModelMixin: ['retrieve'],
  UpdateModelMixin: ['update', 'partial_update'],
  DestroyModelMixin: ['destroy'],
};

const LIST_ACTIONS: [string, string][] = [
  ['list', 'GET'],
  ['create', 'POST'],
];
const DETAIL_ACTIONS: [string, string][] = [
  ['retrieve', 'GET'],
  ['update', 'PUT'],
  ['partial_update', 'PATCH'],
  ['destroy', 'DELETE'],
];

interface Cls {
  ix: PolyglotIndex;
  name: string;
  line: number;
  bases: string[];
}

export function djangoEndpoints(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  const patternsOf = (ix: PolyglotIndex): PValue | undefined =>
    ix.assigns.find((a) => a.fn === undefined && a.name.length === 1 && a.name[0] === 'urlpatterns')?.value;
  const withPatterns = indexes.filter((ix) => patternsOf(ix)?.k === 'list');
  if (!withPatterns.length) return out;
  const classes = new Map<string, Cls[]>();
  for (const ix of indexes) {
    for (const c of ix.classes) {
      const l = classes.get(c.name) ?? [];
      l.push({ ix, name: c.name, line: c.line, bases: c.bases.map((b) => b.slice(b.lastIndexOf('.') + 1)) });
      classes.set(c.name, l);
    }
  }
  /** The class a name written in a file is: an import followed, else the only class of that name. */
  const classNamed = (ix: PolyglotIndex, name: string): Cls | undefined => {
    const list = classes.get(name) ?? [];
    return (
      list.find((c) => c.ix.file === ix.file) ??
      (list.length === 1
        ? list[0]
        : list.find((c) => ix.imports.some((i) => i.alias === name && c.ix.file.endsWith(`${i.module.replace(/^\.+/, '').split('.').join('/')}.py`))))
    );
  };
  /** Methods a class defines, its repository bases' included, and its framework bases' names. */
  const methodsOf = (cls: Cls, seen = new Set<string>()): { defined: Set<string>; frameworkBases: string[] } => {
    const defined = new Set<string>();
    const frameworkBases: string[] = [];
    if (seen.has(cls.name) || seen.size > 16) return { defined, frameworkBases };
    seen.add(cls.name);
    for (const f of cls.ix.functions) if (f.owner === cls.name) defined.add(f.name);
    for (const b of cls.bases) {
      const base = classNamed(cls.ix, b);
      if (base && base !== cls) {
        const up = methodsOf(base, seen);
        for (const m of up.defined) defined.add(m);
        frameworkBases.push(...up.frameworkBases);
      } else frameworkBases.push(b);
    }
    return { defined, frameworkBases };
  };
  const viewMethods = (ix: PolyglotIndex, view: PValue | undefined): { methods: string[]; handler?: string; line?: number; file?: string } | undefined => {
    if (!view) return undefined;
    // `SomeView.as_view()`
    if (view.k === 'call') {
      const c = ix.calls[view.call];
      if (!c) return undefined;
      if (c.callee[c.callee.length - 1] === 'as_view' && c.callee.length >= 2) {
        const name = c.callee[c.callee.length - 2]!;
        const cls = classNamed(ix, name);
        if (!cls) return { methods: GENERIC[name] ?? ['ALL'], handler: c.callee.slice(0, -1).join('.') };
        const { defined, frameworkBases } = methodsOf(cls);
        const methods = new Set<string>();
        for (const b of frameworkBases) for (const m of GENERIC[b] ?? []) methods.add(m);
        for (const v of VERBS) if (defined.has(v)) methods.add(v.toUpperCase());
        // A generic view's `update` answers PUT and PATCH, `retrieve`/`list` GET, `create` POST, `destroy` DELETE.
        return { methods: methods.size ? [...methods] : ['ALL'], handler: cls.name, line: cls.line, file: cls.ix.file };
      }
      return undefined;
    }
    if (view.k === 'name') {
      const fnName = view.path[view.path.length - 1]!;
      // A function view: its decorators' methods.
      for (const x of indexes) {
        for (const an of x.annotations) {
          if (an.target?.kind !== 'function' || an.target.name !== fnName) continue;
          const dec = an.name[an.name.length - 1];
          if (dec === 'api_view' || dec === 'require_http_methods') {
            const list = program.strings(x.file, an.args[0] ?? an.kw.find((k) => k.name === 'http_method_names')?.value);
            if (list?.length) return { methods: list.map((m) => m.toUpperCase()), handler: view.path.join('.'), line: an.target.line, file: x.file };
          }
          if (dec === 'require_GET' || dec === 'require_safe') return { methods: ['GET'], handler: view.path.join('.'), line: an.target.line, file: x.file };
          if (dec === 'require_POST') return { methods: ['POST'], handler: view.path.join('.'), line: an.target.line, file: x.file };
        }
      }
      return { methods: ['ALL'], handler: view.path.join('.') };
    }
    return undefined;
  };

  /** Routes of a REST framework router included at `prefix`. */
  const routerRoutes = (
    ix: PolyglotIndex,
    routerName: readonly string[],
    fn: string | undefined,
    prefix: string,
    more: { file: string; line: number }[],
  ): void => {
    const b = program.bind(ix.file, routerName, fn);
    if (b?.value.k !== 'call') return;
    const rix = program.byFile.get(b.file)!;
    const make = rix.calls[b.value.call];
    const kind = make?.callee[make.callee.length - 1];
    if (!make || !kind?.endsWith('Router')) return;
    const varName = make.assigned?.join('.');
    if (kind === 'DefaultRouter') push(rix, 'GET', `${prefix}/`, make.line, 'api-root', more);
    for (const reg of rix.calls) {
      if (reg.callee[reg.callee.length - 1] !== 'register' || reg.callee.slice(0, -1).join('.') !== varName) continue;
      const base = program.str(rix.file, reg.args[0] ?? reg.kw.find((k) => k.name === 'prefix')?.value);
      const vs = reg.args[1] ?? reg.kw.find((k) => k.name === 'viewset')?.value;
      if (base === undefined || vs?.k !== 'name') continue;
      const cls = classNamed(rix, vs.path[vs.path.length - 1]!);
      if (!cls) continue;
      const { defined, frameworkBases } = methodsOf(cls);
      const actions = new Set<string>(defined);
      for (const fb of frameworkBases) for (const a of ACTIONS[fb] ?? []) actions.add(a);
      const lookupValue = cls.ix.assigns.find(
        (a) => a.owner === cls.name && a.fn === undefined && (a.name[0] === 'lookup_url_kwarg' || a.name[0] === 'lookup_field'),
      );
      const lookup = (lookupValue ? program.str(cls.ix.file, lookupValue.value) : undefined) ?? 'pk';
      const listPath = `${prefix}/${base}`;
      const detailPath = `${listPath}/:${lookup}`;
      const at = [...more, { file: rix.file, line: reg.line }];
      for (const [action, method] of LIST_ACTIONS) if (actions.has(action)) push(cls.ix, method, listPath, lineOf(cls, action), cls.name, at);
      for (const [action, method] of DETAIL_ACTIONS) if (actions.has(action)) push(cls.ix, method, detailPath, lineOf(cls, action), cls.name, at);
      // `@action(detail=True, methods=['post'], url_path='publish')`
      for (const an of cls.ix.annotations) {
        if (an.owner !== cls.name || an.name[an.name.length - 1] !== 'action' || an.target?.kind !== 'function') continue;
        const detail = an.kw.find((k) => k.name === 'detail')?.value;
        const isDetail = detail?.k === 'name' && detail.path[0] === 'True';
        const urlPath = program.str(cls.ix.file, an.kw.find((k) => k.name === 'url_path')?.value) ?? an.target.name;
        const methods = program.strings(cls.ix.file, an.kw.find((k) => k.name === 'methods')?.value) ?? ['get'];
        for (const m of methods) push(cls.ix, m.toUpperCase(), `${isDetail ? detailPath : listPath}/${urlPath}`, an.line, `${cls.name}.${an.target.name}`, at);
      }
    }
  };
  const lineOf = (cls: Cls, action: string): number => cls.ix.functions.find((f) => f.owner === cls.name && f.name === action)?.line ?? cls.line;
  const push = (ix: PolyglotIndex, method: string, path: string, line: number, handler: string, more: { file: string; line: number }[]): void => {
    out.push({
      protocol: 'http',
      method,
      path: djangoPath(path),
      file: ix.file,
      line,
      framework: 'django',
      mechanisms: [],
      handler,
      ...(more.length ? { more } : {}),
    });
  };

  const includeOf = (ix: PolyglotIndex, v: PValue | undefined): PCall | undefined => {
    if (v?.k !== 'call') return undefined;
    const c = ix.calls[v.call];
    return c?.callee[c.callee.length - 1] === 'include' ? c : undefined;
  };
  const includedModule = (ix: PolyglotIndex, c: PCall): string | undefined => {
    const arg = c.args[0];
    const module = arg?.k === 'str' ? arg.v : arg?.k === 'list' && arg.items[0]?.k === 'str' ? arg.items[0].v : undefined;
    return module ? program.pythonModule(ix.file, module) : undefined;
  };
  const items = (ix: PolyglotIndex): PValue[] => {
    const v = patternsOf(ix);
    return v?.k === 'list' ? v.items : [];
  };
  // Configurations some other one includes are not roots.
  const included = new Set<string>();
  for (const ix of withPatterns) {
    for (const item of items(ix)) {
      if (item.k !== 'call') continue;
      const inc = includeOf(ix, ix.calls[item.call]?.args[1]);
      const target = inc ? includedModule(ix, inc) : undefined;
      if (target) included.add(target);
    }
  }
  const walk = (ix: PolyglotIndex, prefix: string, more: { file: string; line: number }[], seen: ReadonlySet<string>): void => {
    if (seen.has(ix.file) || seen.size > 32) return;
    const next = new Set(seen).add(ix.file);
    for (const item of items(ix)) {
      if (item.k !== 'call') continue;
      const c = ix.calls[item.call];
      const fn = c?.callee[c.callee.length - 1];
      if (!c || (fn !== 'path' && fn !== 're_path' && fn !== 'url')) continue;
      const raw = program.str(ix.file, c.args[0]);
      const route = raw === undefined ? undefined : fn === 'path' ? raw : regexRoute(raw);
      if (route === undefined) continue;
      const view = c.args[1];
      if (view?.k === 'name' && view.path.join('.') === 'admin.site.urls') continue;
      const inc = includeOf(ix, view);
      if (inc) {
        const at = [...more, { file: ix.file, line: c.line }];
        const target = includedModule(ix, inc);
        const sub = target ? program.byFile.get(target) : undefined;
        if (sub) walk(sub, `${prefix}/${route}`, at, next);
        const arg = inc.args[0];
        if (arg?.k === 'name' && arg.path[arg.path.length - 1] === 'urls') routerRoutes(ix, arg.path.slice(0, -1), c.fn, `${prefix}/${route}`, at);
        continue;
      }
      const v = viewMethods(ix, view);
      if (!v) continue;
      for (const m of v.methods) {
        out.push({
          protocol: 'http',
          method: m,
          path: djangoPath(`${prefix}/${route}`),
          file: ix.file,
          line: c.line,
          framework: 'django',
          mechanisms: [],
          ...(v.handler ? { handler: v.handler } : {}),
          ...(more.length ? { more } : {}),
        });
      }
    }
  };
  for (const ix of withPatterns) if (!included.has(ix.file)) walk(ix, '', [], new Set());
  return out;
}

/** Django's `<int:pk>` to `:pk`, slashes collapsed. */
function djangoPath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '<') {
      const close = path.indexOf('>', i);
      if (close > i) {
        const inner = path.slice(i + 1, close);
        out += `:${inner.slice(inner.lastIndexOf(':') + 1)}`;
        i = close;
        continue;
      }
    }
    if (c === '/' && out.endsWith('/')) continue;
    out += c;
  }
  return out.startsWith('/') ? out : `/${out}`;
}

/** A `re_path` pattern that is a plain path (`^api/orders/?$`, named groups as parameters); otherwise not read. */
export function regexRoute(pattern: string): string | undefined {
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$')) p = p.slice(0, -1);
  if (p.endsWith('/?')) p = p.slice(0, -1);
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '(' && p.startsWith('(?P<', i)) {
      const close = p.indexOf('>', i);
      let depth = 0;
      let j = i;
      for (; j < p.length; j++) {
        if (p[j] === '\\') {
          j++;
          continue;
        }
        if (p[j] === '(') depth++;
        else if (p[j] === ')' && --depth === 0) break;
      }
      if (close < 0 || j >= p.length) return undefined;
      out += `<${p.slice(i + 4, close)}>`;
      i = j;
      continue;
    }
    if (c === '\\' && (p[i + 1] === '.' || p[i + 1] === '-')) {
      out += p[i + 1];
      i++;
      continue;
    }
    if ('()[]*+?|\\{}^$'.includes(c)) return undefined;
    out += c;
  }
  return out;
}
