/**
 * NestJS (and type-graphql resolvers, which share the decorator shape): controllers and their
 * route decorators, the global prefix with its exclusions, URI versioning, RouterModule paths,
 * guards (class, method, global `APP_GUARD`, `useGlobalGuards`) with `@Public()`-style opt-outs
 * and role decorators; GraphQL resolvers, WebSocket gateways and gRPC methods. Controllers no
 * module registers are dead code and are left out when every module lists its controllers
 * literally. Read from the engine's indexes (decorated classes, their methods, calls) and its
 * evaluator: no syntax tree.
 */
import { Evaluator, type Member, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import { propOf, type CallSite, type ClassInfo, type Deco, type FileIndex, type Fn, type Value } from '../../src/analysis/index-file.js';
import { dirOf } from '../../src/util/paths.js';
import { joinPath, cleanParams, pathShape } from './paths.js';
import type { EnvLookup } from './env.js';
import type { Found } from './types.js';
import { bound, calleeText, lastName, obj, prop, str, strList, valueText, type Ev, type Obj, type Resolve } from './values.js';

const ROUTE_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  All: 'ALL',
  Options: 'OPTIONS',
  Head: 'HEAD',
  Search: 'SEARCH',
  Sse: 'GET',
};
const GQL_DECORATORS: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };
const PUBLIC_DECORATOR = /^(Public|IsPublic|AllowAnonymous|Anonymous|SkipAuth|NoAuth|PublicRoute|Unprotected|OptionalAuth|SkipJwt\w*)$/;
const AUTH_DECORATOR = /^(Auth|Authenticated|Authorize|Authorized|Protected|RequireAuth|Secured|JwtAuth|UseAuth|Authorization)$/;
const ROLE_DECORATOR = /^(Roles?|HasRoles?|Permissions?|RequirePermissions?|RequireRoles?|Scopes?|Policies|CheckPolicies|Authorized?)$/;
const AUTH_GUARD = /auth|jwt|role|permission|polic|session|api.?key|access|admin|clerk|firebase|token|login|user|owner|ability|casl|scope|acl|bearer|passport/i;

type Applied = { k: 'applied'; args: Value[]; scope: Scope };

/** The evaluator with one meaning added: `applyDecorators(…)` (of any package) is the decorators it applies. */
export class NestEvaluator extends Evaluator<Applied> {
  protected override fromMember(m: Member<Resolved | Applied>, scope: Scope, call: CallSite, env: string[], depth: number): Resolved | Applied | undefined {
    if (m.rest.length === 0 && m.value.k === 'pkg' && (m.value as { name: string }).name === 'applyDecorators') return { k: 'applied', args: call.args, scope };
    return super.fromMember(m, scope, call, env, depth);
  }
}

/** A decorator as applied: its name, its arguments and where they are read. */
interface Decorator {
  name: string;
  args: Value[];
  scope: Scope;
}

const decorators = (decos: Deco[], scope: Scope): Decorator[] => decos.map((d) => ({ name: d.name, args: d.args, scope }));

/**
 * The decorators a custom decorator applies: `@RequiresScope(…)` declared as a function (or a
 * constant) returning `applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), …))`, found
 * through imports and re-exports, and through custom decorators it applies in turn (a few levels).
 * Unknown or external: none.
 */
function appliedDecorators(ev: Ev, v: Value, scope: Scope, depth = 0): Decorator[] {
  if (depth > 4 || (v.k !== 'call' && v.k !== 'ref')) return [];
  let r = ev.value(scope, v);
  // `@Auth()` of a function declared without parameters: what it returns.
  if (r?.k === 'fn') r = ev.returnOf(r.key, [], scope, 0);
  if (r?.k !== 'applied') return [];
  const out: Decorator[] = [];
  for (const a of r.args) {
    const name = lastName(a);
    if (!name) continue;
    out.push({ name, args: a.k === 'call' ? a.call.args : [], scope: r.scope });
    if (!KNOWN_DECORATORS.has(name)) out.push(...appliedDecorators(ev, a, r.scope, depth + 1));
  }
  return out;
}

/** NestJS's own decorators, never custom ones. */
const KNOWN_DECORATORS = new Set([
  'UseGuards',
  'SetMetadata',
  'UseInterceptors',
  'UsePipes',
  'UseFilters',
  'HttpCode',
  'Header',
  'Redirect',
  'Render',
  'Version',
  'Controller',
  ...Object.keys(ROUTE_DECORATORS),
]);

/** A decorator written as `@X` or `@X(…)`, as a value (to follow a custom one). */
function decoratorValue(d: Decorator): Value {
  return d.args.length > 0 ? { k: 'call', call: { line: 0, root: d.name, names: [], isNew: false, args: d.args, innerArgs: [] } } : { k: 'ref', path: d.name };
}

/** A node's decorators followed by what its custom decorators apply. */
function withApplied(ev: Ev, decos: Decorator[]): Decorator[] {
  const out = [...decos];
  for (const d of decos) {
    if (KNOWN_DECORATORS.has(d.name) || d.name.startsWith('Api')) continue;
    out.push(...appliedDecorators(ev, decoratorValue(d), d.scope));
  }
  return out;
}

function guardName(ev: Ev, scope: Scope, v: Value): string {
  if (v.k === 'call' && v.call.isNew) return calleeText(v.call);
  if (v.k === 'call') {
    const arg = str(ev, scope, v.call.args[0]);
    return arg ? `${calleeText(v.call)} (${arg})` : calleeText(v.call);
  }
  return valueText(v);
}

interface Bootstrap {
  prefix?: string;
  /** Where a prefix read at run time is declared (a `.env` line). */
  prefixAt?: { file: string; line: number };
  exclude: { path: string; method?: string }[];
  uri: boolean;
  versionPrefix: string;
  defaultVersions?: string[];
  guards: string[];
  file: string;
  line: number;
}

/**
 * A message pattern as written: `'create_charge'`; an object pattern by its one value
 * (`{ cmd: 'sum' }` → `sum`, the name people call it by), or as `role:auth,cmd:check` when it has several.
 */
function messagePattern(ev: Ev, scope: Scope, arg: Value | undefined): string | undefined {
  if (!arg) return undefined;
  const o = obj(ev, scope, arg);
  if (!o) return str(ev, scope, arg);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o.props)) {
    const s = str(ev, o.scope, v);
    if (s === undefined) return undefined;
    parts.push(`${k}:${s}`);
  }
  if (parts.length === 1) return str(ev, o.scope, Object.values(o.props)[0]);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** `consumer.apply(AuthMiddleware).exclude(…).forRoutes(…)` in a module's `configure`. */
interface MiddlewareRule {
  mechanisms: string[];
  routes: { path?: string; method?: string; controller?: string }[];
  exclude: { path: string; method?: string }[];
}

function requestMethod(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  const m = /RequestMethod\.(\w+)/.exec(valueText(v));
  return m && m[1] !== 'ALL' ? m[1]!.toUpperCase() : undefined;
}

/** A class by a value naming it: `file#Name`. */
function classKey(ev: Ev, scope: Scope, v: Value | undefined): string | undefined {
  const r = v ? ev.value(scope, v) : undefined;
  return r?.k === 'class' ? `${r.file}#${r.name}` : undefined;
}

function readForRoutes(ev: Ev, scope: Scope, c: CallSite): MiddlewareRule | undefined {
  const rule: MiddlewareRule = { mechanisms: [], routes: [], exclude: [] };
  // The calls before `forRoutes` in its chain, last first: `apply(…)`, `exclude(…)`.
  const { names } = c;
  const parens = names.filter((n) => n === '()').length;
  for (let i = names.length - 2, p = parens - 1, n = 0; n < 5 && i >= 1 && names[i] === '()' && names[i - 1] !== '()'; i -= 2, p--, n++) {
    const args = c.innerArgs[p] ?? [];
    if (names[i - 1] === 'apply') {
      for (const a of args) {
        const text = valueText(a);
        if (AUTH_GUARD.test(text) && !/throttl|logger|cors/i.test(text)) rule.mechanisms.push(text);
      }
    } else if (names[i - 1] === 'exclude') {
      for (const a of args) {
        const o = obj(ev, scope, a);
        const path = o ? str(ev, o.scope, prop(o, 'path')) : str(ev, scope, a);
        if (path !== undefined) rule.exclude.push({ path, method: o ? requestMethod(prop(o, 'method')) : undefined });
      }
    }
  }
  if (rule.mechanisms.length === 0) return undefined;
  for (const a of c.args) {
    const o = obj(ev, scope, a);
    if (o) {
      rule.routes.push({ path: str(ev, o.scope, prop(o, 'path')), method: requestMethod(prop(o, 'method')) });
      continue;
    }
    const path = str(ev, scope, a);
    if (path !== undefined) {
      rule.routes.push({ path });
      continue;
    }
    const controller = classKey(ev, scope, a);
    if (controller) rule.routes.push({ controller });
  }
  return rule;
}

function ruleMatches(rule: { path?: string; method?: string; controller?: string }, rel: string, method: string, cls: string): boolean {
  if (rule.controller) return rule.controller === cls;
  if (rule.method && rule.method !== method) return false;
  if (rule.path === undefined) return false;
  const want = joinPath(rule.path);
  const wild = /(\(\.\*\)|\*|\{\*\w*\})$/.exec(want);
  if (wild) return rel.startsWith(want.slice(0, wild.index).replace(/\/$/, ''));
  return pathShape(want) === pathShape(rel);
}

/** A NestJS application: where `NestFactory.create(RootModule)` starts it, and what it serves. */
interface NestApp {
  file: string;
  /** The folder of its code: the bootstrap file's folder without a trailing `src` ('' at the root). */
  root: string;
  /** Controllers (`file#Name`) reachable from its root module through `imports` (and `X.forRoot()`, `forwardRef`). */
  controllers: Set<string>;
  /** The creating call: `file:line`. */
  at: string;
  /** `create` or `createMicroservice`. */
  kind: string;
  /** Its global prefix, versioning and global guards; none when its bootstrap sets none. */
  boot?: Bootstrap;
}

function appRoot(file: string): string {
  const d = dirOf(file);
  if (d === 'src' || d === '.') return '';
  return d.endsWith('/src') ? d.slice(0, -4) : d;
}

function within(root: string, file: string): boolean {
  return root === '' || file.startsWith(root + '/');
}

/** The items of a `@Module` list (`controllers`, `imports`): literal or a constant array. */
function moduleList(ev: Ev, scope: Scope, v: Value | undefined): { items: Value[]; scope: Scope } | undefined {
  const r = v ? ev.value(scope, v) : undefined;
  return r?.k === 'array' ? { items: r.items, scope: r.scope } : undefined;
}

/** The module classes an `imports` entry names: `X`, `X.forRoot(…)`, `forwardRef(() => X)`. */
function importedModules(ev: Ev, scope: Scope, v: Value): ClassInfo[] {
  if (v.k === 'call' && v.call.root === 'forwardRef' && v.call.names.length === 0) {
    const { line } = v.call;
    // In an array the callback is not kept as a value: the forwardRef calls recorded on its line are the same calls.
    const fns =
      v.call.args[0]?.k === 'fn'
        ? [v.call.args[0].key]
        : [...(ev.indexes.get(scope.file)?.functions.values() ?? [])].flatMap((f) =>
            f.calls.filter((c) => c.root === 'forwardRef' && c.line === line && c.args[0]?.k === 'fn').map((c) => (c.args[0] as { key: string }).key),
          );
    return fns.flatMap((key) => {
      const fn = ev.fns.get(key);
      return fn?.returns[0] ? importedModules(ev, { file: fn.file, fn }, fn.returns[0]) : [];
    });
  }
  let x = v;
  if (x.k === 'call') {
    if (x.call.names.length === 0 || x.call.names.includes('()')) return [];
    x = { k: 'ref', path: [x.call.root, ...x.call.names.slice(0, -1)].join('.') };
  }
  const r = ev.value(scope, x);
  const cls = r?.k === 'class' ? ev.classOf(r.file, r.name) : undefined;
  return cls ? [cls] : [];
}

const moduleDecorators = (cls: ClassInfo) => cls.decorators.filter((d) => d.name === 'Module');

/**
 * A module's options: its `@Module(…)` argument (undefined when it cannot be read), then each object
 * one of its methods returns as a dynamic module of itself (`static register() { return { module:
 * AppModule, controllers: […], imports: […] } }`), whose lists Nest adds to the decorator's.
 */
function moduleOptions(ev: Ev, cls: ClassInfo): (Obj | undefined)[] {
  const decorated = moduleDecorators(cls);
  if (decorated.length === 0) return [];
  const out: (Obj | undefined)[] = decorated.map((d) => obj(ev, { file: cls.file }, d.args[0]));
  for (const key of cls.methods.values()) {
    const fn = ev.fns.get(key);
    for (const r of fn?.returns ?? []) {
      const o = obj(ev, { file: fn!.file, fn }, r);
      const m = prop(o, 'module');
      if (m?.k === 'ref' && m.path === cls.name) out.push(o);
    }
  }
  return out;
}

/** Every controller of a module and of the modules it imports, transitively. */
function treeControllers(ev: Ev, mod: ClassInfo | undefined, out: Set<string>, seen = new Set<ClassInfo>()): void {
  if (!mod || seen.has(mod) || seen.size > 2000 || mod.name === '<class>') return;
  seen.add(mod);
  for (const o of moduleOptions(ev, mod)) {
    if (!o) continue;
    const ctrls = moduleList(ev, o.scope, prop(o, 'controllers'));
    for (const el of ctrls?.items ?? []) {
      const k = classKey(ev, ctrls!.scope, el);
      if (k) out.add(k);
    }
    const imports = moduleList(ev, o.scope, prop(o, 'imports'));
    for (const el of imports?.items ?? []) for (const m of importedModules(ev, imports!.scope, el)) treeControllers(ev, m, out, seen);
  }
}

interface ModuleInfo {
  controllers: Set<string>;
  clear: boolean;
}

function isNeutral(v: Value | undefined): boolean {
  return !!v && valueText(v).includes('VERSION_NEUTRAL');
}

/** Calls of the run whose callee's last name is one of `names`, with the function they are in. */
function* callsNamed(files: readonly FileIndex[], names: ReadonlySet<string>): Generator<{ fn: Fn; call: CallSite }> {
  for (const fi of files)
    for (const fn of fi.functions.values())
      for (const call of fn.calls) if (call.names.length > 0 && names.has(call.names[call.names.length - 1]!)) yield { fn, call };
}

export function nestEndpoints(
  ev: Ev,
  files: readonly FileIndex[],
  componentOf: (file: string) => string | undefined,
  protoPaths: Map<string, string>,
  warn: (file: string, line: number, message: string) => void,
  textOf: (file: string) => string | undefined,
  resolve: Resolve,
  env?: EnvLookup,
): Found[] {
  const out: Found[] = [];
  const modules = new Map<string, ModuleInfo>(); // by component
  const registered = new Set<string>();
  const modulePrefix = new Map<ClassInfo, string>();
  const globalGuards = new Map<string, string[]>();
  const boots = new Map<string, Bootstrap>();
  const graphqlPaths = new Map<string, string>();
  const middlewareRules = new Map<string, MiddlewareRule[]>();

  const compKey = (file: string) => componentOf(file) ?? '.';

  // The applications: a bootstrap setting (global prefix, versioning, global guards) belongs to the
  // application it configures, and applies to the controllers of that application's module tree.
  const apps: NestApp[] = [];
  for (const fi of files)
    for (const fn of fi.functions.values())
      for (const call of fn.calls) {
        // `NestFactory.create(M)`, also chained: `NestFactory.create(M).then((app) => app.listen(3000))`.
        const [made, next] = call.names;
        if (call.root !== 'NestFactory' || (made !== 'create' && made !== 'createMicroservice') || (next !== undefined && next !== '()')) continue;
        const root = next === undefined ? call.args[0] : call.innerArgs[0]?.[0];
        const controllers = new Set<string>();
        const scope = ev.scope(fn.file, fn);
        for (const m of root ? importedModules(ev, scope, root) : []) treeControllers(ev, m, controllers);
        apps.push({ file: fn.file, root: appRoot(fn.file), controllers, at: `${fn.file}:${call.line}`, kind: made });
      }
  /** The application a file belongs to by folder: the deepest whose folder holds it. */
  const appByFolder = (file: string): NestApp | undefined => apps.filter((a) => within(a.root, file)).sort((a, b) => b.root.length - a.root.length)[0];
  /** The application a bootstrap call configures: the one its receiver was created by, else the file's, else by folder. */
  const appOfCall = (fn: Fn, c: CallSite): NestApp | undefined => {
    const receiver = c.names.length === 1 ? bound(ev, resolve, fn.file, fn, c.root) : undefined;
    const made =
      receiver?.value.k === 'call' ? apps.find((a) => a.at === `${receiver.scope.file}:${(receiver.value as { call: CallSite }).call.line}`) : undefined;
    return made ?? apps.find((a) => a.file === fn.file) ?? appByFolder(fn.file);
  };

  // Pass 1: modules, RouterModule, bootstrap calls.
  for (const fi of files) {
    for (const cls of fi.classes.values()) {
      for (const opts of moduleOptions(ev, cls)) {
        const comp = compKey(fi.file);
        let info = modules.get(comp);
        if (!info) modules.set(comp, (info = { controllers: new Set(), clear: true }));
        if (!opts) {
          info.clear = false;
          continue;
        }
        const ctrls = prop(opts, 'controllers');
        if (ctrls) {
          const list = moduleList(ev, opts.scope, ctrls);
          if (!list) info.clear = false;
          else {
            for (const el of list.items) {
              const k = classKey(ev, list.scope, el);
              if (k) {
                registered.add(k);
                info.controllers.add(k);
              } else info.clear = false;
            }
          }
        }
        const providers = prop(opts, 'providers');
        for (const p of providers?.k === 'arr' ? providers.items : []) {
          if (p.k !== 'obj') continue;
          const provide = propOf(p, 'provide');
          if (!provide || !valueText(provide).includes('APP_GUARD')) continue;
          const use = propOf(p, 'useClass') ?? propOf(p, 'useExisting');
          if (!use) continue;
          const name = guardName(ev, opts.scope, use);
          if (!AUTH_GUARD.test(name)) continue;
          const list = globalGuards.get(comp) ?? [];
          list.push(name);
          globalGuards.set(comp, list);
        }
        const imports = prop(opts, 'imports');
        for (const x of imports?.k === 'arr' ? imports.items : []) {
          if (x.k === 'call' && x.call.root === 'RouterModule' && x.call.names.length === 1 && /^(register|forRoutes)$/.test(x.call.names[0]!)) {
            readRouterModule(ev, opts.scope, x.call.args[0], '', modulePrefix);
          }
        }
      }
    }
  }
  for (const { fn, call } of callsNamed(files, new Set(['forRoutes']))) {
    const rule = readForRoutes(ev, ev.scope(fn.file, fn), call);
    if (!rule) continue;
    const list = middlewareRules.get(compKey(fn.file)) ?? [];
    list.push(rule);
    middlewareRules.set(compKey(fn.file), list);
  }
  for (const { fn, call: c } of callsNamed(files, new Set(['setGlobalPrefix', 'enableVersioning', 'useGlobalGuards']))) {
    const name = c.names[c.names.length - 1];
    if (c.names.includes('()')) continue;
    const file = fn.file;
    const scope = ev.scope(file, fn);
    const comp = compKey(file);
    const app = appOfCall(fn, c);
    let b = app ? app.boot : boots.get(comp);
    if (!b) {
      b = { exclude: [], uri: false, versionPrefix: 'v', guards: [], file, line: c.line };
      if (app) app.boot = b;
      else boots.set(comp, b);
    }
    if (name === 'setGlobalPrefix') {
      const a = c.args[0];
      b.prefix = str(ev, scope, a);
      if (b.prefix === undefined && a) {
        // Read at run time (`configService.get('app.apiPrefix')`, directly or through a local): the
        // value a `.env` file near the bootstrap declares, else shown in braces, never dropped.
        const held = a.k === 'ref' && !a.path.includes('.') ? bound(ev, resolve, file, fn, a.path)?.value : undefined;
        const read = held ?? a;
        const key = read.k === 'call' && read.call.args[0]?.k === 'str' ? read.call.args[0].v : read.k === 'env' ? read.name : undefined;
        const declared = key && /^[A-Z][A-Z0-9_]*$/.test(key) ? env?.(key, file) : undefined;
        if (declared) {
          b.prefix = declared.value;
          b.prefixAt = { file: declared.file, line: declared.line };
        } else {
          b.prefix = `{${key ?? 'global prefix'}}`;
          warn(file, c.line, `the global prefix cannot be evaluated statically; paths show it as ${b.prefix}`);
        }
      }
      const opts = obj(ev, scope, c.args[1]);
      const ex = prop(opts, 'exclude');
      for (const el of ex?.k === 'arr' ? ex.items : []) {
        const o = obj(ev, opts!.scope, el);
        if (o) {
          const p = str(ev, o.scope, prop(o, 'path'));
          const m = prop(o, 'method');
          if (p !== undefined)
            b.exclude.push({ path: p, method: m && !valueText(m).includes('ALL') ? valueText(m).split('.').pop()!.toUpperCase() : undefined });
        } else {
          const p = str(ev, opts!.scope, el);
          if (p !== undefined) b.exclude.push({ path: p });
        }
      }
    } else if (name === 'enableVersioning') {
      const opts = obj(ev, scope, c.args[0]);
      const type = prop(opts, 'type');
      b.uri = !type || valueText(type).includes('URI');
      const prefix = prop(opts, 'prefix');
      if (prefix) b.versionPrefix = prefix.k === 'bool' && !prefix.v ? '' : (str(ev, opts!.scope, prefix) ?? 'v');
      const dv = prop(opts, 'defaultVersion');
      if (dv && !isNeutral(dv)) b.defaultVersions = strList(ev, opts!.scope, dv);
    } else {
      for (const g of c.args) {
        const n = guardName(ev, scope, g);
        if (AUTH_GUARD.test(n)) b.guards.push(n);
      }
    }
  }
  // GraphQLModule.forRoot({ path }): read from the module text.
  for (const fi of files) {
    const text = textOf(fi.file);
    const m = text?.includes('GraphQLModule') ? /GraphQLModule\.forRoot(?:Async)?[\s\S]{0,400}?\bpath:\s*['"`]([^'"`]+)['"`]/.exec(text) : null;
    if (m) graphqlPaths.set(compKey(fi.file), m[1]!);
  }
  const allBoots = [...boots.values(), ...apps.flatMap((a) => (a.boot ? [a.boot] : []))];
  const onlyBoot = allBoots.length === 1 && apps.length <= 1 ? allBoots[0] : undefined;
  /**
   * The bootstrap settings that apply to a controller: those of every application whose module
   * tree holds it (none when that application sets none); else of the application whose folder
   * holds it; else of its component, or the only one when there is at most one application.
   */
  const bootsOf = (cls: string, file: string, comp: string): (Bootstrap | undefined)[] => {
    const holding = apps.filter((a) => a.controllers.has(cls));
    // A controller an HTTP application serves is not also served by a microservice-only one.
    const http = holding.filter((a) => a.kind === 'create');
    const inTree = http.length > 0 ? http : holding;
    if (inTree.length > 0) return [...new Set(inTree.map((a) => a.boot))];
    const byFolder = appByFolder(file);
    if (byFolder) return [byFolder.boot ?? boots.get(comp)];
    return [boots.get(comp) ?? onlyBoot];
  };

  // Components whose gateways run on ws (`app.useWebSocketAdapter(new WsAdapter(app))`) rather than socket.io.
  const wsAdapter = new Set<string>();
  for (const { fn, call } of callsNamed(files, new Set(['useWebSocketAdapter'])))
    if (call.args[0] && valueText(call.args[0]).includes('WsAdapter')) wsAdapter.add(compKey(fn.file));

  // Pass 2: controllers, resolvers, gateways, gRPC.
  for (const fi of files) {
    for (const cls of fi.classes.values()) {
      if (cls.name === '<class>') continue;
      const cdecos = decorators(cls.decorators, { file: fi.file });
      const className = cls.name;
      const key = `${fi.file}#${className}`;
      const comp = compKey(fi.file);
      const ctrl = cdecos.find((d) => d.name === 'Controller');
      const resolver = cdecos.find((d) => d.name === 'Resolver');
      const gateway = cdecos.find((d) => d.name === 'WebSocketGateway');
      if (!ctrl && !resolver && !gateway) continue;
      cdecos.push(...withApplied(ev, cdecos).slice(cdecos.length)); // what custom class decorators apply
      const info = modules.get(comp);
      if (ctrl && info && info.clear && !registered.has(key)) {
        warn(fi.file, cls.line, `controller ${className} is not registered in any module; its routes are left out`);
        continue;
      }
      const bootList = bootsOf(key, fi.file, comp);
      // A controller in a library that one application's module tree imports is served by that application.
      const holding = apps.filter((a) => a.controllers.has(key));
      const servers = holding.map((a) => componentOf(a.file));
      // `NestFactory.createMicroservice` starts no HTTP server: its controllers' HTTP routes are served by nobody.
      const httpServed = !(holding.length > 0 && holding.every((a) => a.kind === 'createMicroservice'));
      // Several applications importing a library's controller each serve it, with their own settings.
      const own = componentOf(fi.file);
      const inHttp = holding.filter((a) => a.kind === 'create');
      const serving = (inHttp.length > 0 ? inHttp : holding).filter((a) => componentOf(a.file) && componentOf(a.file) !== own);
      const targets: { boot: Bootstrap | undefined; servedBy?: string }[] =
        servers.length > 1 && serving.length === (inHttp.length > 0 ? inHttp : holding).length
          ? [...new Map(serving.map((a) => [`${componentOf(a.file)}\u0000${a.at}`, { boot: a.boot, servedBy: componentOf(a.file) }])).values()]
          : bootList.map((boot) => ({ boot, servedBy: servers.length === 1 && servers[0] && servers[0] !== own ? servers[0] : undefined }));
      const classGuards = cdecos.filter((d) => d.name === 'UseGuards').flatMap((d) => d.args.map((a) => guardName(ev, d.scope, a)));
      const classPublic = cdecos.some((d) => isPublic(ev, d));
      const classAuth = cdecos.filter((d) => AUTH_DECORATOR.test(d.name)).map((d) => `@${d.name}`);
      const classRoles = cdecos.filter((d) => ROLE_DECORATOR.test(d.name)).flatMap((d) => roleArgs(ev, d));
      const tags = cdecos.filter((d) => d.name === 'ApiTags').flatMap((d) => d.args.map((a) => str(ev, d.scope, a)).filter((x): x is string => !!x));
      const classVersionDeco = cdecos.find((d) => d.name === 'Version');
      if (gateway) {
        // The gateway's server: `WS <path>`, its `path` option, else the platform's default.
        const o = gateway.args.map((a) => obj(ev, gateway.scope, a)).find((x) => x !== undefined);
        const path = (o && str(ev, o.scope, prop(o, 'path'))) || (wsAdapter.has(comp) ? '/' : '/socket.io');
        out.push({ protocol: 'websocket', method: 'WS', path, file: fi.file, line: cls.line, framework: 'nestjs-gateway', handler: className, mechanisms: [] });
      }

      let ctrlPaths = [''];
      let ctrlVersions: string[] | undefined | null;
      if (ctrl) {
        const a = ctrl.args[0];
        const o = obj(ev, ctrl.scope, a);
        if (o) {
          ctrlPaths = strList(ev, o.scope, prop(o, 'path')) ?? [''];
          const v = prop(o, 'version');
          ctrlVersions = v ? (isNeutral(v) ? null : strList(ev, o.scope, v)) : undefined;
        } else if (a) ctrlPaths = strList(ev, ctrl.scope, a) ?? [`{${valueText(a)}}`];
      }
      if (classVersionDeco) ctrlVersions = isNeutral(classVersionDeco.args[0]) ? null : strList(ev, classVersionDeco.scope, classVersionDeco.args[0]);
      const routerPrefix = [...modulePrefix.entries()].find(([mod]) => moduleHas(ev, mod, key))?.[1] ?? '';

      for (const { boot, servedBy } of targets)
        for (const [methodName, fnKey] of cls.methods) {
          const member = ev.fns.get(fnKey);
          if (!member || member.decorators.length === 0) continue;
          const mdecos = withApplied(ev, decorators(member.decorators, ev.scope(member.file, member)));
          const guards = [
            ...(globalGuards.get(comp) ?? []),
            ...(boot?.guards ?? []),
            ...classGuards,
            ...mdecos.filter((d) => d.name === 'UseGuards').flatMap((d) => d.args.map((a) => guardName(ev, d.scope, a))),
          ].filter((g) => AUTH_GUARD.test(g));
          const authDecos = [...classAuth, ...mdecos.filter((d) => AUTH_DECORATOR.test(d.name)).map((d) => `@${d.name}`)];
          const mechanisms = [...new Set([...guards, ...authDecos])];
          const optOut = classPublic || mdecos.some((d) => isPublic(ev, d));
          const roles = [...classRoles, ...mdecos.filter((d) => ROLE_DECORATOR.test(d.name)).flatMap((d) => roleArgs(ev, d))];
          const op = mdecos.find((d) => d.name === 'ApiOperation');
          const opObj = op ? obj(ev, op.scope, op.args[0]) : undefined;
          const summary = opObj ? str(ev, opObj.scope, prop(opObj, 'summary')) : undefined;
          const line = member.line;
          const base: Omit<Found, 'protocol' | 'method' | 'path'> = {
            file: fi.file,
            line,
            framework: 'nestjs',
            handler: `${className}.${methodName}`,
            ...(servedBy ? { component: servedBy } : {}),
            mechanisms,
            ...(optOut ? { optOut: true } : {}),
            ...(roles.length > 0 ? { roles: [...new Set(roles)] } : {}),
            ...(summary ? { summary } : {}),
            ...(tags.length > 0 ? { tags } : {}),
            ...(optOut ? { details: { authOptOut: mdecos.concat(cdecos).find((d) => isPublic(ev, d))!.name } } : {}),
          };

          if (ctrl && httpServed) {
            for (const d of mdecos) {
              const method = ROUTE_DECORATORS[d.name];
              if (!method) continue;
              const paths = d.args[0] ? (strList(ev, d.scope, d.args[0]) ?? [`{${valueText(d.args[0])}}`]) : [''];
              const mv = mdecos.find((x) => x.name === 'Version');
              let versions: (string | null)[] = [null];
              if (boot?.uri) {
                const v = mv
                  ? isNeutral(mv.args[0])
                    ? null
                    : strList(ev, mv.scope, mv.args[0])
                  : ctrlVersions !== undefined
                    ? ctrlVersions
                    : boot.defaultVersions;
                versions = v && v.length > 0 ? v : [null];
              }
              for (const cp of ctrlPaths) {
                for (const mp of paths) {
                  const rel = joinPath(routerPrefix, cp, mp);
                  const excluded = boot?.exclude.some((x) => excludeMatches(x, rel, method));
                  const viaMiddleware = (middlewareRules.get(comp) ?? [])
                    .filter((rule) => rule.routes.some((x) => ruleMatches(x, rel, method, key)) && !rule.exclude.some((x) => ruleMatches(x, rel, method, key)))
                    .flatMap((rule) => rule.mechanisms);
                  for (const v of versions) {
                    const path = cleanParams(joinPath(excluded ? '' : boot?.prefix, v !== null ? `${boot?.versionPrefix ?? 'v'}${v}` : '', rel));
                    const mechs = [...new Set([...base.mechanisms, ...viaMiddleware])];
                    const f: Found = { protocol: 'http', method, path, ...base, mechanisms: mechs };
                    if (boot?.prefixAt && !excluded) f.more = [boot.prefixAt];
                    // @Public() opts out of guards; middleware bound to the route still runs.
                    if (viaMiddleware.length > 0 && f.optOut) {
                      delete f.optOut;
                      delete f.details;
                    }
                    out.push(f);
                  }
                }
              }
            }
          }
          if (resolver) {
            for (const d of mdecos) {
              const op = GQL_DECORATORS[d.name];
              if (!op) continue;
              let name = methodName;
              for (const a of d.args) {
                const o = obj(ev, d.scope, a);
                const n = o ? str(ev, o.scope, prop(o, 'name')) : undefined;
                if (n) name = n;
              }
              out.push({ protocol: 'graphql', method: op, path: name, ...base, framework: 'graphql-resolver' });
            }
          }
          if (gateway) {
            for (const d of mdecos) {
              if (d.name !== 'SubscribeMessage') continue;
              const event = str(ev, d.scope, d.args[0]);
              if (!event) continue;
              let ns = '/';
              for (const a of gateway.args) {
                const o = obj(ev, gateway.scope, a);
                const n = o ? str(ev, o.scope, prop(o, 'namespace')) : undefined;
                if (n) ns = n.startsWith('/') ? n : '/' + n;
              }
              out.push({
                protocol: 'websocket',
                method: 'EVENT',
                path: ns === '/' ? event : `${ns} ${event}`,
                ...base,
                framework: 'nestjs-gateway',
                details: { namespace: ns },
              });
            }
          }
          for (const d of mdecos) {
            if (d.name !== 'GrpcMethod' && d.name !== 'GrpcStreamMethod') continue;
            const service = str(ev, d.scope, d.args[0]) ?? className.replace(/Controller$/, '');
            const rpc = str(ev, d.scope, d.args[1]) ?? methodName.charAt(0).toUpperCase() + methodName.slice(1);
            const path = protoPaths.get(`${service}/${rpc}`) ?? `/${service}/${rpc}`;
            out.push({ protocol: 'grpc', method: 'rpc', path, ...base, framework: 'nestjs-grpc' });
          }
          // NestJS microservices: request/response (@MessagePattern) and events (@EventPattern); index.ts
          // keeps those the component's transport makes calls rather than messages (nest-rpc.ts).
          for (const d of mdecos) {
            if (d.name !== 'MessagePattern' && d.name !== 'EventPattern') continue;
            const pattern = messagePattern(ev, d.scope, d.args[0]);
            if (!pattern) continue;
            out.push({
              protocol: 'rpc',
              method: 'rpc',
              path: pattern,
              ...base,
              framework: 'nestjs-microservices',
              details: { ...base.details, pattern: d.name === 'EventPattern' ? 'event' : 'message' },
            });
          }
        }
    }
  }
  for (const f of out) if (f.protocol === 'graphql') f.details = { ...(f.details ?? {}), httpPath: graphqlPaths.get(compKey(f.file)) ?? '/graphql' };
  return out;
}

function isPublic(ev: Ev, d: Decorator): boolean {
  if (PUBLIC_DECORATOR.test(d.name)) return true;
  if (d.name === 'SetMetadata' && d.args.length >= 2) {
    const key = str(ev, d.scope, d.args[0]) ?? valueText(d.args[0]!);
    const on = d.args[1]!;
    return /public|anonymous|skip.?auth/i.test(key) && on.k === 'bool' && on.v;
  }
  return false;
}

function roleArgs(ev: Ev, d: Decorator): string[] {
  const out: string[] = [];
  for (const a of d.args) {
    const list = strList(ev, d.scope, a);
    if (list) out.push(...list);
    else if (a.k === 'ref' && a.path.includes('.')) out.push(a.path.slice(a.path.lastIndexOf('.') + 1));
  }
  return out;
}

function excludeMatches(x: { path: string; method?: string }, rel: string, method: string): boolean {
  if (x.method && x.method !== method) return false;
  const want = joinPath(x.path);
  const wild = /(\(\.\*\)|\*|\{\*\w*\})$/.exec(want);
  if (wild) return rel.startsWith(want.slice(0, wild.index).replace(/\/$/, ''));
  return want === rel;
}

/** RouterModule.register([{ path, module, children }]) → module class → path prefix. */
function readRouterModule(ev: Ev, scope: Scope, routes: Value | undefined, parent: string, out: Map<ClassInfo, string>): void {
  if (routes?.k !== 'arr') return;
  for (const el of routes.items) {
    const o = obj(ev, scope, el);
    if (!o) {
      // children: [SomeModule] inherit the parent's path.
      const r = ev.value(scope, el);
      const mod = r?.k === 'class' ? ev.classOf(r.file, r.name) : undefined;
      if (mod) out.set(mod, parent);
      continue;
    }
    const path = joinPath(parent, str(ev, o.scope, prop(o, 'path')) ?? '');
    const m = prop(o, 'module');
    const r = m ? ev.value(o.scope, m) : undefined;
    const mod = r?.k === 'class' ? ev.classOf(r.file, r.name) : undefined;
    if (mod) out.set(mod, path);
    readRouterModule(ev, o.scope, prop(o, 'children'), path, out);
  }
}

/** Does the module class list this controller (`file#Name`) literally? */
function moduleHas(ev: Ev, mod: ClassInfo, cls: string): boolean {
  for (const o of moduleOptions(ev, mod)) {
    const ctrls = prop(o, 'controllers');
    if (ctrls?.k !== 'arr') continue;
    if (ctrls.items.some((el) => classKey(ev, o!.scope, el) === cls)) return true;
  }
  return false;
}
