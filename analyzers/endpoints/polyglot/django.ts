/**
 * Django's URL configuration and Django REST framework, resolved as Django resolves them.
 *
 * - The root URLconf is the settings' `ROOT_URLCONF` (a settings module outside the tests); without
 *   one, or where an include cannot be read, every URLconf no other includes too. A module's
 *   patterns are its `urlpatterns`, however built: a list, lists joined with `+`
 *   (`[path(…)] + router.urls`), `urlpatterns += …`, `urlpatterns.extend(…)`/`.append(…)`,
 *   `format_suffix_patterns(…)`, `i18n_patterns(…)` (under `:language_code`), names bound to lists.
 * - `path('orders/<int:pk>/', view)` (`<int:pk>` → `:pk`), `re_path`/`url` with a plain regular
 *   expression (`^`/`$`, a trailing `/?`, named groups `(?P<slug>[-\w]+)` → `:slug`; any other
 *   pattern is not read). `include('shop.urls')`, `include(shop.urls)` (an imported module),
 *   `include((patterns, 'ns'))`, `include([path(…)])` and `include(router.urls)` are followed with
 *   their prefix; Django's admin and the framework's own URLconfs (not in the repository) are not the system's.
 * - Methods come from the view: a class's `get`/`post`/… methods (inherited from classes in the
 *   repository too), REST framework's and Django's generic views by their base
 *   (`ListCreateAPIView` → GET, POST …), `ViewSet.as_view({'get': 'list'})` by its mapping,
 *   `@api_view(['GET', 'POST'])` (GET when it names none) and `@require_http_methods` on a function; a
 *   function view without them serves every method (ALL). Wrappers (`csrf_exempt(view)`,
 *   `login_required(view)`) are looked through; drf-yasg's `schema_view.with_ui(…)`/`without_ui(…)`
 *   and REST framework's `get_schema_view(…)` serve GET.
 * - Routers (`SimpleRouter`, `DefaultRouter`, drf-nested-routers' `NestedSimpleRouter`):
 *   `router.register('articles', ArticleViewSet)`, wherever the router is registered on, gives the
 *   list route (GET `list`, POST `create`) and the detail route `/:lookup` (GET `retrieve`, PUT
 *   `update`, PATCH `partial_update`, DELETE `destroy`), each where the viewset has the action (its
 *   own methods and its bases: `ModelViewSet`, `ReadOnlyModelViewSet`, `ListModelMixin` …), the
 *   lookup from `lookup_url_kwarg`, else `lookup_field`; `@action(detail=…, methods=[…],
 *   url_path=…)` methods and their `@x.mapping.delete` extra methods; the router's trailing slash
 *   (`trailing_slash=False`); `DefaultRouter`'s API root (GET, at the prefix itself);
 *   `router.registry.extend(other.registry)`. A prefix may be empty: the list route is then the
 *   include's prefix itself.
 * - Authorisation where REST framework shows it: the view's `permission_classes` (its own or a
 *   base's, or `.as_view(permission_classes=…)`), `@permission_classes([…])` on a function, else the
 *   settings' `DEFAULT_PERMISSION_CLASSES`. Each class (a composition as written) is a mechanism;
 *   `AllowAny` alone, or none, opts out, as do the token views of REST framework and simplejwt;
 *   `IsAuthenticatedOrReadOnly` guards the unsafe methods only. A class that decides in
 *   `get_permissions()` keeps its classes when every branch there agrees, else that method is the
 *   mechanism. `login_required(view)`, `@login_required` and `LoginRequiredMixin` are mechanisms too.
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
  // Views of REST framework's token auth, simplejwt, drf-spectacular and graphene, used as they are.
  ObtainAuthToken: ['POST'],
  TokenObtainPairView: ['POST'],
  TokenObtainSlidingView: ['POST'],
  TokenRefreshView: ['POST'],
  TokenRefreshSlidingView: ['POST'],
  TokenVerifyView: ['POST'],
  TokenBlacklistView: ['POST'],
  SpectacularAPIView: ['GET'],
  SpectacularJSONAPIView: ['GET'],
  SpectacularYAMLAPIView: ['GET'],
  SpectacularSwaggerView: ['GET'],
  SpectacularRedocView: ['GET'],
  GraphQLView: ['GET', 'POST'],
};

/** Function views of libraries, used as they are: REST framework's token view, djangorestframework-jwt's. */
const LIBRARY_FUNCTION_VIEWS: Record<string, string[]> = {
  obtain_auth_token: ['POST'],
  obtain_jwt_token: ['POST'],
  refresh_jwt_token: ['POST'],
  verify_jwt_token: ['POST'],
};

/** Views that log a user in: public whatever the default permission. */
const PUBLIC_VIEWS = new Set([
  'ObtainAuthToken',
  'TokenObtainPairView',
  'TokenObtainSlidingView',
  'TokenRefreshView',
  'TokenRefreshSlidingView',
  'TokenVerifyView',
  'LoginView',
]);

/** REST framework permission classes that let anonymous reads (GET, HEAD, OPTIONS) through. */
const READ_ONLY = new Set(['IsAuthenticatedOrReadOnly', 'DjangoModelPermissionsOrAnonReadOnly']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

/** Functions that wrap a view and return it (`csrf_exempt(view)`), with the authentication they add. */
const WRAPPERS: Record<string, string | undefined> = {
  csrf_exempt: undefined,
  never_cache: undefined,
  login_required: 'login_required',
  staff_member_required: 'staff_member_required',
};

/** A route's mechanisms for one method: read-only permissions apply to the unsafe methods alone. */
function access(auth: Auth | undefined, method: string): { mechanisms: string[]; optOut?: true } {
  if (!auth) return { mechanisms: [] };
  const safe = SAFE_METHODS.has(method);
  const mechanisms = [...auth.mechanisms, ...(safe ? [] : (auth.unsafeOnly ?? []))];
  return mechanisms.length ? { mechanisms } : auth.optOut || (safe && auth.unsafeOnly?.length) ? { mechanisms, optOut: true } : { mechanisms };
}

/** Nesting of includes and bindings followed at most. */
const MAX_DEPTH = 16;
/** Patterns read at most in one program. */
const MAX_PATTERNS = 50_000;

interface Cls {
  ix: PolyglotIndex;
  name: string;
  line: number;
  bases: string[];
}

interface At {
  file: string;
  line: number;
}

interface Auth {
  mechanisms: string[];
  optOut?: boolean;
  /** Classes that let reads through (`IsAuthenticatedOrReadOnly`): mechanisms of the other methods only. */
  unsafeOnly?: string[];
}

interface View {
  methods: string[];
  handler?: string;
  auth?: Auth;
}

/** A pattern of a URLconf: a `path()`-like call, or a router's URLs. */
type Item = { k: 'route'; ix: PolyglotIndex; call: PCall } | { k: 'router'; key: string } | { k: 'group'; prefix: string; items: Item[] };

interface Router {
  key: string;
  ix: PolyglotIndex;
  call: PCall;
}

export function djangoEndpoints(program: Program, indexes: readonly PolyglotIndex[]): Found[] {
  const out: Found[] = [];
  const isPatterns = (name: readonly string[]): boolean => name.length === 1 && name[0] === 'urlpatterns';
  const withPatterns = indexes.filter((ix) => ix.assigns.some((a) => a.fn === undefined && a.owner === undefined && isPatterns(a.name)));
  if (!withPatterns.length) return out;
  const classes = new Map<string, Cls[]>();
  for (const ix of indexes) {
    for (const c of ix.classes) {
      const l = classes.get(c.name) ?? [];
      l.push({ ix, name: c.name, line: c.line, bases: c.bases.map((b) => b.slice(b.lastIndexOf('.') + 1)) });
      classes.set(c.name, l);
    }
  }
  const last = (path: readonly string[]): string => path[path.length - 1] ?? '';

  /** The module file a dotted name written in a file is (`from shop import urls` → `urls`; `import shop.urls` → `shop.urls`). */
  const moduleOfName = (ix: PolyglotIndex, path: readonly string[]): string | undefined => {
    const rest = path.slice(1);
    for (const imp of ix.imports) {
      if (imp.alias !== path[0]) continue;
      const dotted =
        imp.name !== undefined
          ? [`${imp.module}${imp.module.endsWith('.') ? '' : '.'}${imp.name}`, ...rest]
          : imp.alias === imp.module.split('.')[0]
            ? path
            : [imp.module, ...rest];
      const f = program.pythonModule(ix.file, dotted.join('.'));
      if (f) return f;
    }
    return undefined;
  };

  /** The class a name written in a file is: an import followed, else the only class of that name. */
  const classNamed = (ix: PolyglotIndex, name: string): Cls | undefined => {
    const list = classes.get(name) ?? [];
    const imported = ix.imports.find((i) => i.alias === name && i.name !== undefined);
    const from = imported ? program.pythonModule(ix.file, imported.module) : undefined;
    return list.find((c) => c.ix.file === ix.file) ?? (from ? list.find((c) => c.ix.file === from) : undefined) ?? (list.length === 1 ? list[0] : undefined);
  };
  /** Methods a class defines, its repository bases' included, its framework bases' names, and the permission classes it sets. */
  const methodsOf = (
    cls: Cls,
    seen = new Set<string>(),
  ): { defined: Set<string>; frameworkBases: string[]; permissions?: PValue; permissionsFile?: string } => {
    const defined = new Set<string>();
    const frameworkBases: string[] = [];
    if (seen.has(cls.name) || seen.size > MAX_DEPTH) return { defined, frameworkBases };
    seen.add(cls.name);
    for (const f of cls.ix.functions) if (f.owner === cls.name) defined.add(f.name);
    const own = cls.ix.assigns.find((a) => a.owner === cls.name && a.fn === undefined && a.name.length === 1 && a.name[0] === 'permission_classes');
    let permissions = own?.value;
    let permissionsFile = own ? cls.ix.file : undefined;
    for (const b of cls.bases) {
      const base = classNamed(cls.ix, b);
      if (base && base !== cls) {
        const up = methodsOf(base, seen);
        for (const m of up.defined) defined.add(m);
        frameworkBases.push(...up.frameworkBases);
        if (!permissions && up.permissions) {
          permissions = up.permissions;
          permissionsFile = up.permissionsFile;
        }
      } else frameworkBases.push(b);
    }
    return { defined, frameworkBases, ...(permissions ? { permissions, permissionsFile } : {}) };
  };

  // Authorisation: the settings' default permission classes.
  let defaults: string[] | undefined;
  for (const ix of indexes) {
    for (const a of ix.assigns) {
      if (a.fn !== undefined || a.owner !== undefined || a.name.join('.') !== 'REST_FRAMEWORK' || a.value.k !== 'map') continue;
      const e = a.value.entries.find((x) => x.key.k === 'str' && x.key.v === 'DEFAULT_PERMISSION_CLASSES');
      const list = e ? program.strings(ix.file, e.value) : undefined;
      if (list) defaults = list.map((s) => s.slice(s.lastIndexOf('.') + 1));
    }
  }
  /**
   * The authorisation a list of permission classes gives: each class (or composition, as written) is a
   * mechanism; none, or only `AllowAny`, opts out.
   */
  const permissionAuth = (names: readonly string[]): Auth => {
    if (names.every((n) => n === 'AllowAny')) return { mechanisms: [], optOut: true };
    const unsafeOnly = names.filter((n) => READ_ONLY.has(n));
    return { mechanisms: names.filter((n) => n !== 'AllowAny' && !READ_ONLY.has(n)), ...(unsafeOnly.length ? { unsafeOnly } : {}) };
  };
  const permissionNames = (file: string, v: PValue | undefined): string[] | undefined => {
    if (!v) return undefined;
    // `[IsAuthenticated, IsModerator | IsOwner]`: names, and compositions as written.
    if (v.k === 'list')
      return v.items.flatMap((i) =>
        i.k === 'name' ? [last(i.path)] : i.k === 'other' && i.text ? [i.text.split('|').join(' | ').split('&').join(' & ')] : [],
      );
    if (v.k === 'name') {
      const b = program.bind(file, v.path);
      return b?.value.k === 'list' ? permissionNames(b.file, b.value) : undefined;
    }
    return undefined;
  };
  /** A REST framework view's authorisation: its own permission classes, else the default. */
  const drfAuth = (file: string | undefined, own: PValue | undefined): Auth | undefined => {
    const names = file ? permissionNames(file, own) : undefined;
    if (names) return permissionAuth(names);
    return defaults ? permissionAuth(defaults) : undefined;
  };
  /**
   * A class that decides in `get_permissions()`: each `self.permission_classes = […]` there and the
   * class's own (or default) classes are its branches; which applies depends on the request, so
   * when they differ the method itself is the mechanism.
   */
  const decidedAuth = (cls: Cls, own: Auth | undefined): Auth => {
    const branches = [
      own,
      ...cls.ix.assigns
        .filter((a) => a.owner === cls.name && a.fn === 'get_permissions' && a.name.join('.') === 'self.permission_classes')
        .map((a) => {
          const names = permissionNames(cls.ix.file, a.value);
          return names ? permissionAuth(names) : undefined;
        }),
    ];
    const key = (a: Auth | undefined): string => JSON.stringify(a ?? null);
    return branches.every((b) => b && !b.optOut && key(b) === key(branches[0])) ? branches[0]! : { mechanisms: ['get_permissions()'] };
  };
  const isDrf = (bases: readonly string[]): boolean =>
    bases.some((b) => b.endsWith('APIView') || b.endsWith('ViewSet') || b.endsWith('ViewSetMixin') || b in ACTIONS || b === 'ObtainAuthToken');

  /** A view class's methods and authorisation; `mapping` is an `as_view({'get': 'list'})` argument. */
  const classView = (cls: Cls, mapping: PValue | undefined, overrides: PValue | undefined, overridesFile: string): View => {
    const { defined, frameworkBases, permissions, permissionsFile } = methodsOf(cls);
    const methods = new Set<string>();
    if (mapping?.k === 'map') {
      for (const e of mapping.entries) if (e.key.k === 'str' && VERBS.includes(e.key.v.toLowerCase())) methods.add(e.key.v.toUpperCase());
    } else {
      for (const b of frameworkBases) for (const m of GENERIC[b] ?? []) methods.add(m);
      for (const v of VERBS) if (defined.has(v)) methods.add(v.toUpperCase());
    }
    let auth: Auth | undefined;
    if (overrides) auth = drfAuth(overridesFile, overrides);
    else if (frameworkBases.includes('LoginRequiredMixin')) auth = { mechanisms: ['LoginRequiredMixin'] };
    else if (frameworkBases.some((b) => PUBLIC_VIEWS.has(b))) auth = { mechanisms: [], optOut: true };
    else if (isDrf(frameworkBases)) {
      auth = drfAuth(permissionsFile, permissions);
      if (defined.has('get_permissions')) auth = decidedAuth(cls, auth);
    }
    return { methods: methods.size ? [...methods].sort() : ['ALL'], handler: cls.name, ...(auth ? { auth } : {}) };
  };

  /** The function a name written in a file is declared in (its module), when it can be told. */
  const functionFile = (ix: PolyglotIndex, path: readonly string[]): string | undefined => {
    if (path.length > 1) return moduleOfName(ix, path.slice(0, -1));
    const imp = ix.imports.find((i) => i.alias === path[0] && i.name !== undefined);
    if (imp) return program.pythonModule(ix.file, imp.module);
    return ix.functions.some((f) => f.name === path[0] && f.owner === undefined) ? ix.file : undefined;
  };

  const viewOf = (ix: PolyglotIndex, view: PValue | undefined, fn: string | undefined, depth = 0): View | undefined => {
    if (!view || depth > MAX_DEPTH) return undefined;
    if (view.k === 'call') {
      const c = ix.calls[view.call];
      if (!c) return undefined;
      const name = last(c.callee);
      // `csrf_exempt(view)`, `login_required(view)`.
      if (name in WRAPPERS && c.args[0]) {
        const inner = viewOf(ix, c.args[0], fn, depth + 1);
        const mech = WRAPPERS[name];
        return inner && mech ? { ...inner, auth: { mechanisms: [...(inner.auth?.mechanisms ?? []), mech] } } : inner;
      }
      if (name === 'get_schema_view') return { methods: ['GET'], handler: 'get_schema_view' };
      // drf-yasg: `schema_view = get_schema_view(…)`, `schema_view.with_ui('swagger')`.
      if ((name === 'with_ui' || name === 'without_ui' || name === 'as_view') && c.callee.length >= 2) {
        const b = program.bind(ix.file, c.callee.slice(0, -1), c.fn);
        const made = b?.value.k === 'call' ? program.call(b.file, b.value.call) : undefined;
        if (made && last(made.callee) === 'get_schema_view') {
          const auth = drfAuth(b!.file, made.kw.find((k) => k.name === 'permission_classes')?.value);
          return { methods: ['GET'], handler: c.callee.join('.'), ...(auth ? { auth } : {}) };
        }
      }
      // `SomeView.as_view()`, `SomeViewSet.as_view({'get': 'list'})`.
      if (name === 'as_view' && c.callee.length >= 2) {
        const clsName = c.callee[c.callee.length - 2]!;
        const overrides = c.kw.find((k) => k.name === 'permission_classes')?.value;
        const cls = classNamed(ix, clsName);
        if (cls) return classView(cls, c.args[0], overrides, ix.file);
        const auth = overrides ? drfAuth(ix.file, overrides) : PUBLIC_VIEWS.has(clsName) ? { mechanisms: [], optOut: true } : undefined;
        return { methods: GENERIC[clsName] ?? ['ALL'], handler: c.callee.slice(0, -1).join('.'), ...(auth ? { auth } : {}) };
      }
      return undefined;
    }
    if (view.k !== 'name') return undefined;
    // A name bound to a view: `order_list = OrderViewSet.as_view({'get': 'list'})`.
    const bound = program.bind(ix.file, view.path, fn);
    if (bound?.value.k === 'call') {
      const bix = program.byFile.get(bound.file);
      if (bix) return viewOf(bix, bound.value, bound.fn, depth + 1);
    }
    // A function view: its decorators' methods.
    const fnName = last(view.path);
    const home = functionFile(ix, view.path);
    const handler = view.path.join('.');
    let methods: string[] | undefined;
    let auth: Auth | undefined;
    let drf = false;
    let permissions: { file: string; value: PValue } | undefined;
    for (const x of home ? [program.byFile.get(home)!].filter(Boolean) : indexes) {
      for (const an of x.annotations) {
        if (an.target?.kind !== 'function' || an.target.name !== fnName || an.owner !== undefined) continue;
        const dec = last(an.name);
        if (dec === 'api_view' || dec === 'require_http_methods') {
          const list = program.strings(x.file, an.args[0] ?? an.kw.find((k) => k.name === 'http_method_names')?.value);
          methods = list?.length ? list.map((m) => m.toUpperCase()) : dec === 'api_view' && !an.args.length && !an.kw.length ? ['GET'] : methods;
          if (dec === 'api_view') drf = true;
        }
        if (dec === 'require_GET' || dec === 'require_safe') methods = ['GET'];
        if (dec === 'require_POST') methods = ['POST'];
        if (dec === 'permission_classes' && an.args[0]) permissions = { file: x.file, value: an.args[0] };
        if (dec === 'login_required' || dec === 'staff_member_required') auth = { mechanisms: [dec] };
      }
    }
    if (!methods && !home && LIBRARY_FUNCTION_VIEWS[fnName])
      return { methods: LIBRARY_FUNCTION_VIEWS[fnName]!, handler, auth: { mechanisms: [], optOut: true } };
    if (drf && !auth) auth = drfAuth(permissions?.file, permissions?.value);
    return { methods: methods ?? ['ALL'], handler, ...(auth ? { auth } : {}) };
  };

  // Routers: where each is created, what is registered on it, and routers whose registry another extends.
  const routerAt = (file: string, path: readonly string[], fn: string | undefined): Router | undefined => {
    const b = program.bind(file, path, fn);
    const rix = b ? program.byFile.get(b.file) : undefined;
    if (!b || !rix) return undefined;
    let index = b.value.k === 'call' ? b.value.call : -1;
    if (index < 0) {
      // `router = DefaultRouter() if settings.DEBUG else SimpleRouter()`: the first router written.
      const a = rix.assigns.find((x) => x.value === b.value);
      const name = a?.name.join('.');
      index = rix.calls.findIndex((c) => c.assigned?.join('.') === name && c.fn === a?.fn && last(c.callee).endsWith('Router'));
    }
    const call = rix.calls[index];
    return call && last(call.callee).endsWith('Router') ? { key: `${rix.file}#${index}`, ix: rix, call } : undefined;
  };
  const registrations = new Map<string, { ix: PolyglotIndex; call: PCall }[]>();
  const merged = new Map<string, string[]>();
  for (const ix of indexes) {
    for (const c of ix.calls) {
      const name = last(c.callee);
      if (name === 'register' && c.callee.length >= 2) {
        const r = routerAt(ix.file, c.callee.slice(0, -1), c.fn);
        if (r) registrations.set(r.key, [...(registrations.get(r.key) ?? []), { ix, call: c }]);
      } else if (name === 'extend' && c.callee.length >= 3 && c.callee[c.callee.length - 2] === 'registry' && c.args[0]?.k === 'name') {
        const to = routerAt(ix.file, c.callee.slice(0, -2), c.fn);
        const from = last(c.args[0].path) === 'registry' ? routerAt(ix.file, c.args[0].path.slice(0, -1), c.fn) : undefined;
        if (to && from) merged.set(to.key, [...(merged.get(to.key) ?? []), from.key]);
      }
    }
  }
  const routers = new Map<string, Router>();
  const routerOf = (file: string, path: readonly string[], fn: string | undefined): Router | undefined => {
    const r = routerAt(file, path, fn);
    if (r) routers.set(r.key, r);
    return r;
  };

  const lineOf = (cls: Cls, action: string): number => cls.ix.functions.find((f) => f.owner === cls.name && f.name === action)?.line ?? cls.line;
  const push = (file: string, method: string, path: string, line: number, handler: string | undefined, more: readonly At[], auth?: Auth): void => {
    out.push({
      protocol: 'http',
      method,
      path: djangoPath(path),
      file,
      line,
      framework: 'django',
      ...access(auth, method),
      ...(handler ? { handler } : {}),
      ...(more.length ? { more: [...more] } : {}),
    });
  };

  /** A router's routes under `prefix`. */
  /** What is registered on a router: its own registrations and those of routers whose registry it extends. */
  const registered = (key: string, seen = new Set<string>()): { ix: PolyglotIndex; call: PCall }[] => {
    if (seen.has(key) || seen.size > MAX_DEPTH) return [];
    seen.add(key);
    return [...(registrations.get(key) ?? []), ...(merged.get(key) ?? []).flatMap((other) => registered(other, seen))];
  };
  const routerRoutes = (key: string, prefix: string, more: readonly At[]): void => {
    const r = routers.get(key);
    if (!r) return;
    const kind = last(r.call.callee);
    const slashKw = r.call.kw.find((k) => k.name === 'trailing_slash')?.value;
    const slashStr = program.str(r.ix.file, slashKw);
    // DRF's default `/`; `False` (or an optional `/?`) none.
    const slash = slashKw === undefined || slashStr === '/' ? '/' : '';
    const rootKw = r.call.kw.find((k) => k.name === 'include_root_view')?.value;
    if (kind.endsWith('DefaultRouter') && !(rootKw?.k === 'name' && rootKw.path[0] === 'False'))
      push(r.ix.file, 'GET', `${prefix}/`, r.call.line, 'api-root', more, drfAuth(undefined, undefined));
    // drf-nested-routers: `NestedSimpleRouter(router, r'domains', lookup='domain')` registers under the parent's detail route.
    let base = prefix;
    if (kind.startsWith('Nested')) {
      const parentPrefix = program.str(r.ix.file, r.call.args[1] ?? r.call.kw.find((k) => k.name === 'parent_prefix')?.value);
      const lookup = program.str(r.ix.file, r.call.kw.find((k) => k.name === 'lookup')?.value);
      if (parentPrefix === undefined || lookup === undefined) return;
      base = `${prefix}/${parentPrefix}/:${lookup}_pk`;
    }
    for (const { ix, call: reg } of registered(key)) {
      // A prefix and an action's url_path are regular expressions to REST framework (`users/(?P<user_id>\d+)/posts`).
      const rawPrefix = program.str(ix.file, reg.args[0] ?? reg.kw.find((k) => k.name === 'prefix')?.value, reg.fn);
      const regPrefix = rawPrefix === undefined ? undefined : regexRoute(rawPrefix);
      const vs = reg.args[1] ?? reg.kw.find((k) => k.name === 'viewset')?.value;
      if (regPrefix === undefined || vs?.k !== 'name') continue;
      const cls = classNamed(ix, last(vs.path));
      if (!cls) continue;
      const { defined, frameworkBases, permissions, permissionsFile } = methodsOf(cls);
      const actions = new Set<string>(defined);
      for (const fb of frameworkBases) for (const a of ACTIONS[fb] ?? []) actions.add(a);
      const lookupOf = (name: string): string | undefined => {
        const a = cls.ix.assigns.find((x) => x.owner === cls.name && x.fn === undefined && x.name.length === 1 && x.name[0] === name);
        return a ? program.str(cls.ix.file, a.value) : undefined;
      };
      const lookup = lookupOf('lookup_url_kwarg') ?? lookupOf('lookup_field') ?? 'pk';
      const listPath = `${base}/${regPrefix}`;
      const detailPath = `${listPath}/:${lookup}`;
      const at = [...more, { file: ix.file, line: reg.line }];
      const own = drfAuth(permissionsFile, permissions);
      const auth = defined.has('get_permissions') ? decidedAuth(cls, own) : own;
      for (const [action, method] of LIST_ACTIONS)
        if (actions.has(action)) push(cls.ix.file, method, `${listPath}${slash}`, lineOf(cls, action), cls.name, at, auth);
      for (const [action, method] of DETAIL_ACTIONS)
        if (actions.has(action)) push(cls.ix.file, method, `${detailPath}${slash}`, lineOf(cls, action), cls.name, at, auth);
      // `@action(detail=True, methods=['post'], url_path='publish')`, and `@publish.mapping.delete`.
      const extra = new Map<string, { route: string; auth: Auth | undefined }>();
      for (const an of cls.ix.annotations) {
        if (an.owner !== cls.name || an.target?.kind !== 'function') continue;
        const dec = last(an.name);
        if (dec !== 'action' && dec !== 'detail_route' && dec !== 'list_route') continue;
        const detail = an.kw.find((k) => k.name === 'detail')?.value;
        const isDetail = dec === 'detail_route' || (dec === 'action' && detail?.k === 'name' && detail.path[0] === 'True');
        const rawPath = program.str(cls.ix.file, an.kw.find((k) => k.name === 'url_path')?.value);
        const urlPath = rawPath === undefined ? an.target.name : regexRoute(rawPath);
        if (urlPath === undefined) continue;
        const route = `${isDetail ? detailPath : listPath}/${urlPath}${slash}`;
        const own = an.kw.find((k) => k.name === 'permission_classes')?.value;
        const actionAuth = own ? drfAuth(cls.ix.file, own) : auth;
        extra.set(an.target.name, { route, auth: actionAuth });
        const methods = program.strings(cls.ix.file, an.kw.find((k) => k.name === 'methods')?.value) ?? ['get'];
        for (const m of methods) push(cls.ix.file, m.toUpperCase(), route, an.line, `${cls.name}.${an.target.name}`, at, actionAuth);
      }
      for (const an of cls.ix.annotations) {
        if (an.owner !== cls.name || an.name.length !== 3 || an.name[1] !== 'mapping' || an.target?.kind !== 'function') continue;
        // The extra methods share the action's route and options.
        const action = extra.get(an.name[0]!);
        if (action && VERBS.includes(an.name[2]!))
          push(cls.ix.file, an.name[2]!.toUpperCase(), action.route, an.line, `${cls.name}.${an.target.name}`, at, action.auth);
      }
    }
  };

  /** The patterns a value holds: lists, `+` joins, names bound to them, `format_suffix_patterns(…)`, a router's `urls`. */
  const itemsOf = (ix: PolyglotIndex, value: PValue | undefined, fn: string | undefined, depth: number, out: Item[], seen: Set<PValue>): void => {
    if (!value || depth > MAX_DEPTH || seen.has(value)) return;
    seen.add(value);
    if (value.k === 'list') for (const v of value.items) itemsOf(ix, v, fn, depth + 1, out, seen);
    else if (value.k === 'concat') for (const v of value.parts) itemsOf(ix, v, fn, depth + 1, out, seen);
    else if (value.k === 'call') {
      const c = ix.calls[value.call];
      const name = c ? last(c.callee) : '';
      if (!c) return;
      if (name === 'path' || name === 're_path' || name === 'url') out.push({ k: 'route', ix, call: c });
      else if (name === 'format_suffix_patterns') itemsOf(ix, c.args[0], fn, depth + 1, out, seen);
      else if (name === 'i18n_patterns') {
        // Served under the language code; also without it for the default language with `prefix_default_language=False`.
        const items: Item[] = [];
        for (const a of c.args) itemsOf(ix, a, fn, depth + 1, items, seen);
        out.push({ k: 'group', prefix: ':language_code', items });
        const d = c.kw.find((k) => k.name === 'prefix_default_language')?.value;
        if (d?.k === 'name' && d.path[0] === 'False') out.push(...items);
      } else if (name === 'get_urls' && c.callee.length >= 2) {
        const r = routerOf(ix.file, c.callee.slice(0, -1), c.fn);
        if (r) out.push({ k: 'router', key: r.key });
      }
    } else if (value.k === 'name') {
      if (last(value.path) === 'urls' && value.path.length >= 2) {
        const r = routerOf(ix.file, value.path.slice(0, -1), fn);
        if (r) {
          out.push({ k: 'router', key: r.key });
          return;
        }
      }
      const b = program.bind(ix.file, value.path, fn);
      const bix = b ? program.byFile.get(b.file) : undefined;
      if (b && bix) itemsOf(bix, b.value, b.fn, depth + 1, out, seen);
    }
  };
  /** A URLconf module's patterns: `urlpatterns` as assigned, extended and appended to. */
  const moduleItems = (ix: PolyglotIndex): Item[] => {
    const items: Item[] = [];
    const seen = new Set<PValue>();
    for (const a of ix.assigns) if (a.fn === undefined && a.owner === undefined && isPatterns(a.name)) itemsOf(ix, a.value, undefined, 0, items, seen);
    for (const a of ix.augments) if (a.fn === undefined && a.owner === undefined && isPatterns(a.name)) itemsOf(ix, a.value, undefined, 0, items, seen);
    for (const c of ix.calls) {
      if (c.fn !== undefined || c.owner !== undefined || c.callee.length !== 2 || c.callee[0] !== 'urlpatterns') continue;
      const arg = c.callee[1] === 'insert' ? c.args[1] : c.callee[1] === 'extend' || c.callee[1] === 'append' ? c.args[0] : undefined;
      itemsOf(ix, arg, undefined, 0, items, seen);
    }
    return items;
  };
  /** What an `include(…)` names: a module in the repository, or patterns. */
  const included = (ix: PolyglotIndex, inc: PCall): { module?: string; items?: Item[] } => {
    let arg = inc.args[0] ?? inc.kw.find((k) => k.name === 'arg')?.value;
    // `include((patterns, 'app_name'))`.
    if (arg?.k === 'list' && arg.items.length === 2 && arg.items[1]?.k === 'str') arg = arg.items[0];
    if (arg?.k === 'str') {
      const module = program.pythonModule(ix.file, arg.v);
      return module ? { module } : {};
    }
    if (arg?.k === 'name') {
      const module = moduleOfName(ix, arg.path);
      if (module) return { module };
    }
    const items: Item[] = [];
    itemsOf(ix, arg, inc.fn, 0, items, new Set());
    return { items };
  };
  const includeOf = (ix: PolyglotIndex, v: PValue | undefined): PCall | undefined => {
    if (v?.k !== 'call') return undefined;
    const c = ix.calls[v.call];
    return c && last(c.callee) === 'include' ? c : undefined;
  };

  // Patterns read in all: a URLconf included twice over at each of many levels would otherwise be read exponentially often.
  let budget = MAX_PATTERNS;
  const walk = (items: readonly Item[], prefix: string, more: readonly At[], seen: ReadonlySet<string>): void => {
    // Each include adds to `more`: an inline list that includes itself stops here.
    if (more.length > MAX_DEPTH) return;
    // A list's own routes first, its includes after: a budget spent deep in one include leaves the shallower routes read.
    const includes: (() => void)[] = [];
    for (const item of items) {
      if (--budget < 0) break;
      if (item.k === 'router') {
        routerRoutes(item.key, prefix, more);
        continue;
      }
      if (item.k === 'group') {
        includes.push(() => walk(item.items, `${prefix}/${item.prefix}`, more, seen));
        continue;
      }
      const { ix, call: c } = item;
      const fn = last(c.callee);
      const raw = program.str(ix.file, c.args[0] ?? c.kw.find((k) => k.name === 'route' || k.name === 'regex')?.value, c.fn);
      const route = raw === undefined ? undefined : fn === 'path' ? raw : regexRoute(raw);
      if (route === undefined) continue;
      const view = c.args[1] ?? c.kw.find((k) => k.name === 'view')?.value;
      if (view?.k === 'name' && view.path.join('.') === 'admin.site.urls') continue;
      const at = [...more, { file: ix.file, line: c.line }];
      const inc = includeOf(ix, view);
      if (inc) {
        includes.push(() => {
          const target = included(ix, inc);
          const sub = target.module ? program.byFile.get(target.module) : undefined;
          if (sub && !seen.has(sub.file) && seen.size <= MAX_DEPTH) walk(moduleItems(sub), `${prefix}/${route}`, at, new Set(seen).add(sub.file));
          if (target.items) walk(target.items, `${prefix}/${route}`, at, seen);
        });
        continue;
      }
      const v = viewOf(ix, view, c.fn);
      if (!v) continue;
      for (const m of v.methods) push(ix.file, m, `${prefix}/${route}`, c.line, v.handler, more, v.auth);
    }
    for (const next of includes) next();
  };

  // The root URLconfs: the settings' ROOT_URLCONF, else every URLconf no other includes. Where an
  // include cannot be read (`include(f"{app}.urls")`), the URLconfs nobody includes are roots as well:
  // the unread include may be theirs.
  const includedFiles = new Set<string>();
  let unreadInclude = false;
  for (const ix of indexes) {
    for (const c of ix.calls) {
      if (last(c.callee) !== 'include') continue;
      const target = included(ix, c);
      if (target.module && target.module !== ix.file) includedFiles.add(target.module);
      const arg = c.args[0];
      // A module named by a string, or by a name imported from a package outside the repository (`debug_toolbar.urls`), is read.
      const external = arg?.k === 'name' && ix.imports.some((i) => i.alias === arg.path[0] && !program.pythonModule(ix.file, i.module));
      if (!target.module && !target.items?.length && !(arg?.k === 'str' && !arg.template) && !external) unreadInclude = true;
    }
  }
  const roots = new Set<string>();
  for (const ix of indexes) {
    if (ix.file.split('/').some((s) => s.startsWith('test'))) continue;
    for (const a of ix.assigns) {
      if (a.fn !== undefined || a.owner !== undefined || a.name.join('.') !== 'ROOT_URLCONF') continue;
      const s = program.str(ix.file, a.value);
      const f = s ? program.pythonModule(ix.file, s) : undefined;
      if (f && withPatterns.some((w) => w.file === f)) roots.add(f);
    }
  }
  if (!roots.size || unreadInclude) for (const ix of withPatterns) if (!includedFiles.has(ix.file)) roots.add(ix.file);
  for (const ix of withPatterns) if (roots.has(ix.file)) walk(moduleItems(ix), '', [], new Set([ix.file]));
  // A route written twice (an app's patterns included twice over, a pattern re-read through a name) is listed once.
  const unique = new Map<string, Found>();
  for (const f of out) if (!unique.has(`${f.method} ${f.path}`)) unique.set(`${f.method} ${f.path}`, f);
  return [...unique.values()];
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
