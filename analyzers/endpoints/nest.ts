/**
 * NestJS (and type-graphql resolvers, which share the decorator shape): controllers and their
 * route decorators, the global prefix with its exclusions, URI versioning, RouterModule paths,
 * guards (class, method, global `APP_GUARD`, `useGlobalGuards`) with `@Public()`-style opt-outs
 * and role decorators; GraphQL resolvers, WebSocket gateways and gRPC methods. Controllers no
 * module registers are dead code and are left out when every module lists its controllers
 * literally.
 */
import ts from '../../src/analyzer/typescript.cjs';
import { joinPath, cleanParams, pathShape } from './paths.js';
import { decoratorsOf, lastName, prop, unwrapAwait, type Decorator } from '../../src/analysis/ast.js';
import type { Resolver } from './resolver.js';
import type { Found } from './types.js';
import type { FileIndex } from './walk.js';
import { dirOf } from '../../src/util/paths.js';

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

function decoName(e: ts.Expression): string {
  const x = unwrapAwait(e);
  return lastName(ts.isCallExpression(x) ? x.expression : x) ?? '';
}

/** Expressions a function returns (expression body, or `return` statements outside nested functions). */
function returnedExprs(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) {
      if (n.expression) out.push(n.expression);
    } else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/**
 * The decorators a custom decorator applies: `@RequiresScope(…)` declared as a function (or a
 * constant) returning `applyDecorators(SetMetadata(…), UseGuards(AuthGuard('jwt'), …))`, found
 * through imports and re-exports, and through custom decorators it applies in turn (a few levels).
 * Each applied decorator keeps the route's decorator as its node. Unknown or external: none.
 */
function appliedDecorators(r: Resolver, expr: ts.Expression, origin: ts.Decorator, depth = 0, seen = new Set<ts.Node>()): Decorator[] {
  if (depth > 4) return [];
  const x = unwrapAwait(expr);
  const callee = ts.isCallExpression(x) ? x.expression : x;
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return [];
  const t = r.deref(callee);
  let bodies: ts.Expression[] = [];
  if (t?.kind === 'func') {
    if (seen.has(t.node)) return [];
    seen.add(t.node);
    bodies = returnedExprs(t.node);
  } else if (t?.kind === 'expr' && !ts.isCallExpression(x)) bodies = [t.expr];
  const out: Decorator[] = [];
  for (const b of bodies) {
    const call = unwrapAwait(b);
    if (!ts.isCallExpression(call) || decoName(call) !== 'applyDecorators') continue;
    for (const a of call.arguments) {
      const inner = unwrapAwait(a);
      const name = decoName(inner);
      if (!name) continue;
      out.push({ name, args: ts.isCallExpression(inner) ? inner.arguments : [], node: origin });
      if (!KNOWN_DECORATORS.has(name)) out.push(...appliedDecorators(r, inner, origin, depth + 1, seen));
    }
  }
  return out;
}

/** NestJS's own decorators, never custom ones. */
const KNOWN_DECORATORS = new Set([
  'UseGuards', 'SetMetadata', 'UseInterceptors', 'UsePipes', 'UseFilters', 'HttpCode', 'Header', 'Redirect', 'Render', 'Version', 'Controller',
  ...Object.keys(ROUTE_DECORATORS),
]);

/** A node's decorators followed by what its custom decorators apply. */
function withApplied(r: Resolver, decos: Decorator[]): Decorator[] {
  const out = [...decos];
  for (const d of decos) {
    if (KNOWN_DECORATORS.has(d.name) || d.name.startsWith('Api')) continue;
    out.push(...appliedDecorators(r, d.node.expression, d.node));
  }
  return out;
}

function guardName(r: Resolver, e: ts.Expression): string {
  const x = unwrapAwait(e);
  if (ts.isNewExpression(x)) return x.expression.getText();
  if (ts.isCallExpression(x)) {
    const arg = x.arguments[0] ? r.str(x.arguments[0]) : undefined;
    return arg ? `${x.expression.getText()} (${arg})` : x.expression.getText();
  }
  return x.getText();
}

interface Bootstrap {
  prefix?: string;
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
function messagePattern(r: Resolver, arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  const o = r.object(arg);
  if (!o) return r.str(arg);
  const parts: string[] = [];
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return undefined;
    const v = r.str(p.initializer);
    if (v === undefined) return undefined;
    parts.push(`${p.name.text}:${v}`);
  }
  if (parts.length === 1) return r.str((o.properties[0] as ts.PropertyAssignment).initializer);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** `consumer.apply(AuthMiddleware).exclude(…).forRoutes(…)` in a module's `configure`. */
interface MiddlewareRule {
  mechanisms: string[];
  routes: { path?: string; method?: string; controller?: ts.Node }[];
  exclude: { path: string; method?: string }[];
}

function requestMethod(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const m = /RequestMethod\.(\w+)/.exec(e.getText());
  return m && m[1] !== 'ALL' ? m[1]!.toUpperCase() : undefined;
}

function readForRoutes(r: Resolver, c: ts.CallExpression): MiddlewareRule | undefined {
  const rule: MiddlewareRule = { mechanisms: [], routes: [], exclude: [] };
  let x: ts.Expression = (c.expression as ts.PropertyAccessExpression).expression;
  for (let i = 0; i < 5 && ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression); i++) {
    const name = x.expression.name.text;
    if (name === 'apply') {
      for (const a of x.arguments) {
        const n = unwrapAwait(a).getText();
        if (AUTH_GUARD.test(n) && !/throttl|logger|cors/i.test(n)) rule.mechanisms.push(n);
      }
    } else if (name === 'exclude') {
      for (const a of x.arguments) {
        const o = r.object(a);
        const p = o ? r.str(prop(o, 'path')) : r.str(a);
        if (p !== undefined) rule.exclude.push({ path: p, method: o ? requestMethod(prop(o, 'method')) : undefined });
      }
    }
    x = x.expression.expression;
  }
  if (rule.mechanisms.length === 0) return undefined;
  for (const a of c.arguments) {
    const o = r.object(a);
    if (o) {
      rule.routes.push({ path: r.str(prop(o, 'path')), method: requestMethod(prop(o, 'method')) });
      continue;
    }
    const p = r.str(a);
    if (p !== undefined) {
      rule.routes.push({ path: p });
      continue;
    }
    const t = r.deref(a);
    if (t?.kind === 'class') rule.routes.push({ controller: t.node });
  }
  return rule;
}

function ruleMatches(
  rule: { path?: string; method?: string; controller?: ts.Node },
  rel: string,
  method: string,
  cls: ts.Node,
): boolean {
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
  /** Controllers reachable from its root module through `imports` (and `X.forRoot()`, `forwardRef`). */
  controllers: Set<ts.Node>;
  call: ts.CallExpression;
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

/** The classes of a `@Module` list (`controllers`, `imports`): literal or a constant array. */
function moduleList(r: Resolver, e: ts.Expression | undefined): readonly ts.Expression[] {
  if (!e) return [];
  let list = unwrapAwait(e);
  if (!ts.isArrayLiteralExpression(list)) {
    const t = r.deref(list);
    if (t?.kind === 'expr') list = unwrapAwait(t.expr);
  }
  return ts.isArrayLiteralExpression(list) ? list.elements.filter((x) => !ts.isSpreadElement(x)) : [];
}

/** The module class an `imports` entry names: `X`, `X.forRoot(…)`, `forwardRef(() => X)`. */
function importedModule(r: Resolver, e: ts.Expression): ts.Node | undefined {
  let x = unwrapAwait(e);
  if (ts.isCallExpression(x)) {
    const callee = unwrapAwait(x.expression);
    const fn = x.arguments[0] ? unwrapAwait(x.arguments[0]) : undefined;
    if (ts.isIdentifier(callee) && callee.text === 'forwardRef' && fn && ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) x = fn.body;
    else if (ts.isPropertyAccessExpression(callee)) x = callee.expression;
    else return undefined;
  }
  const t = r.deref(x);
  return t?.kind === 'class' ? t.node : undefined;
}

/** Every controller of a module and of the modules it imports, transitively. */
function treeControllers(r: Resolver, mod: ts.Node | undefined, out: Set<ts.Node>, seen = new Set<ts.Node>()): void {
  if (!mod || seen.has(mod) || seen.size > 2000 || !ts.isClassDeclaration(mod)) return;
  seen.add(mod);
  for (const d of decoratorsOf(mod)) {
    if (d.name !== 'Module') continue;
    const o = r.object(d.args[0]);
    if (!o) continue;
    for (const el of moduleList(r, prop(o, 'controllers'))) {
      const t = r.deref(el);
      if (t?.kind === 'class') out.add(t.node);
    }
    for (const el of moduleList(r, prop(o, 'imports'))) treeControllers(r, importedModule(r, el), out, seen);
  }
}

interface ModuleInfo {
  controllers: Set<ts.Node>;
  clear: boolean;
}

function isNeutral(e: ts.Expression | undefined): boolean {
  return !!e && /VERSION_NEUTRAL/.test(e.getText());
}

export function nestEndpoints(
  r: Resolver,
  files: readonly FileIndex[],
  componentOf: (file: string) => string | undefined,
  protoPaths: Map<string, string>,
): Found[] {
  const out: Found[] = [];
  const modules = new Map<string, ModuleInfo>(); // by component
  const registered = new Set<ts.Node>();
  const modulePrefix = new Map<ts.Node, string>();
  const globalGuards = new Map<string, string[]>();
  const boots = new Map<string, Bootstrap>();
  const graphqlPaths = new Map<string, string>();
  const middlewareRules = new Map<string, MiddlewareRule[]>();

  const compKey = (file: string) => componentOf(file) ?? '.';

  // The applications: a bootstrap setting (global prefix, versioning, global guards) belongs to the
  // application it configures, and applies to the controllers of that application's module tree.
  const apps: NestApp[] = [];
  for (const fi of files) {
    for (const c of fi.nestFactories) {
      const controllers = new Set<ts.Node>();
      if (c.arguments[0]) treeControllers(r, importedModule(r, c.arguments[0]), controllers);
      apps.push({ file: fi.file, root: appRoot(fi.file), controllers, call: c });
    }
  }
  /** The application a file belongs to by folder: the deepest whose folder holds it. */
  const appByFolder = (file: string): NestApp | undefined =>
    apps.filter((a) => within(a.root, file)).sort((a, b) => b.root.length - a.root.length)[0];
  /** The application a bootstrap call configures: the one its receiver was created by, else the file's, else by folder. */
  const appOfCall = (c: ts.CallExpression, file: string): NestApp | undefined => {
    const t = r.deref((c.expression as ts.PropertyAccessExpression).expression);
    const made = t?.kind === 'expr' ? apps.find((a) => a.call === unwrapAwait(t.expr)) : undefined;
    return made ?? apps.find((a) => a.file === file) ?? appByFolder(file);
  };

  // Pass 1: modules, RouterModule, bootstrap calls.
  for (const fi of files) {
    for (const cls of fi.classes) {
      for (const d of decoratorsOf(cls)) {
        if (d.name !== 'Module') continue;
        const comp = compKey(fi.file);
        let info = modules.get(comp);
        if (!info) modules.set(comp, (info = { controllers: new Set(), clear: true }));
        const opts = r.object(d.args[0]);
        if (!opts) {
          info.clear = false;
          continue;
        }
        const ctrls = prop(opts, 'controllers');
        if (ctrls) {
          let list = unwrapAwait(ctrls);
          if (!ts.isArrayLiteralExpression(list)) {
            const t = r.deref(list);
            if (t?.kind === 'expr') list = unwrapAwait(t.expr);
          }
          if (!ts.isArrayLiteralExpression(list)) info.clear = false;
          else {
            for (const el of list.elements) {
              const t = ts.isSpreadElement(el) ? undefined : r.deref(el);
              if (t?.kind === 'class') {
                registered.add(t.node);
                info.controllers.add(t.node);
              } else info.clear = false;
            }
          }
        }
        const providers = prop(opts, 'providers');
        const plist = providers ? unwrapAwait(providers) : undefined;
        if (plist && ts.isArrayLiteralExpression(plist)) {
          for (const p of plist.elements) {
            const o = ts.isObjectLiteralExpression(p) ? p : undefined;
            if (!o) continue;
            const provide = prop(o, 'provide');
            if (!provide || !/APP_GUARD/.test(provide.getText())) continue;
            const use = prop(o, 'useClass') ?? prop(o, 'useExisting');
            if (!use) continue;
            const name = guardName(r, use);
            if (!AUTH_GUARD.test(name)) continue;
            const list = globalGuards.get(comp) ?? [];
            list.push(name);
            globalGuards.set(comp, list);
          }
        }
        const imports = prop(opts, 'imports');
        const ilist = imports ? unwrapAwait(imports) : undefined;
        if (ilist && ts.isArrayLiteralExpression(ilist)) {
          for (const imp of ilist.elements) {
            const x = unwrapAwait(imp as ts.Expression);
            if (
              ts.isCallExpression(x) &&
              ts.isPropertyAccessExpression(x.expression) &&
              /^RouterModule$/.test(x.expression.expression.getText()) &&
              /^(register|forRoutes)$/.test(x.expression.name.text)
            ) {
              readRouterModule(r, x.arguments[0], '', modulePrefix);
            }
          }
        }
      }
    }
    for (const c of fi.memberCalls) {
      if ((c.expression as ts.PropertyAccessExpression).name.text !== 'forRoutes') continue;
      const rule = readForRoutes(r, c);
      if (!rule) continue;
      const list = middlewareRules.get(compKey(fi.file)) ?? [];
      list.push(rule);
      middlewareRules.set(compKey(fi.file), list);
    }
    for (const c of fi.memberCalls) {
      const name = (c.expression as ts.PropertyAccessExpression).name.text;
      if (name !== 'setGlobalPrefix' && name !== 'enableVersioning' && name !== 'useGlobalGuards') continue;
      const comp = compKey(fi.file);
      const app = appOfCall(c, fi.file);
      let b = app ? app.boot : boots.get(comp);
      if (!b) {
        b = { exclude: [], uri: false, versionPrefix: 'v', guards: [], file: fi.file, line: fi.line(c.getStart(fi.sf)) };
        if (app) app.boot = b;
        else boots.set(comp, b);
      }
      if (name === 'setGlobalPrefix') {
        b.prefix = r.str(c.arguments[0]);
        if (b.prefix === undefined && c.arguments[0]) {
          // Read at run time (`configService.get('app.apiPrefix')`): shown in braces, never dropped.
          const a = unwrapAwait(c.arguments[0]);
          const key = ts.isCallExpression(a) && a.arguments[0] && ts.isStringLiteralLike(a.arguments[0]) ? a.arguments[0].text : undefined;
          b.prefix = `{${key ?? 'global prefix'}}`;
          r.ctx.warn(fi.file, fi.line(c.getStart(fi.sf)), `the global prefix cannot be evaluated statically; paths show it as ${b.prefix}`);
        }
        const opts = r.object(c.arguments[1]);
        const ex = opts ? prop(opts, 'exclude') : undefined;
        const list = ex ? unwrapAwait(ex) : undefined;
        if (list && ts.isArrayLiteralExpression(list)) {
          for (const el of list.elements) {
            const o = r.object(el as ts.Expression);
            if (o) {
              const p = r.str(prop(o, 'path'));
              const m = prop(o, 'method');
              if (p !== undefined) b.exclude.push({ path: p, method: m && !/ALL/.test(m.getText()) ? m.getText().split('.').pop()!.toUpperCase() : undefined });
            } else {
              const p = r.str(el as ts.Expression);
              if (p !== undefined) b.exclude.push({ path: p });
            }
          }
        }
      } else if (name === 'enableVersioning') {
        const opts = r.object(c.arguments[0]);
        const type = opts ? prop(opts, 'type') : undefined;
        b.uri = !type || /URI/.test(type.getText());
        const prefix = opts ? prop(opts, 'prefix') : undefined;
        if (prefix) b.versionPrefix = prefix.kind === ts.SyntaxKind.FalseKeyword ? '' : r.str(prefix) ?? 'v';
        const dv = opts ? prop(opts, 'defaultVersion') : undefined;
        if (dv && !isNeutral(dv)) b.defaultVersions = r.strList(dv);
      } else {
        for (const g of c.arguments) {
          const n = guardName(r, g);
          if (AUTH_GUARD.test(n)) b.guards.push(n);
        }
      }
    }
  }
  // GraphQLModule.forRoot({ path }): read from the module text.
  for (const fi of files) {
    const m = /GraphQLModule\.forRoot(?:Async)?[\s\S]{0,400}?\bpath:\s*['"`]([^'"`]+)['"`]/.exec(fi.sf.text);
    if (m) graphqlPaths.set(compKey(fi.file), m[1]!);
  }
  const allBoots = [...boots.values(), ...apps.flatMap((a) => (a.boot ? [a.boot] : []))];
  const onlyBoot = allBoots.length === 1 && apps.length <= 1 ? allBoots[0] : undefined;
  /**
   * The bootstrap settings that apply to a controller: those of every application whose module
   * tree holds it (none when that application sets none); else of the application whose folder
   * holds it; else of its component, or the only one when there is at most one application.
   */
  const bootsOf = (cls: ts.Node, file: string, comp: string): (Bootstrap | undefined)[] => {
    const holding = apps.filter((a) => a.controllers.has(cls));
    // A controller an HTTP application serves is not also served by a microservice-only one.
    const http = holding.filter((a) => (a.call.expression as ts.PropertyAccessExpression).name.text === 'create');
    const inTree = http.length > 0 ? http : holding;
    if (inTree.length > 0) return [...new Set(inTree.map((a) => a.boot))];
    const byFolder = appByFolder(file);
    if (byFolder) return [byFolder.boot ?? boots.get(comp)];
    return [boots.get(comp) ?? onlyBoot];
  };

  // Pass 2: controllers, resolvers, gateways, gRPC.
  for (const fi of files) {
    for (const cls of fi.classes) {
      const cdecos = decoratorsOf(cls);
      const className = cls.name?.text ?? 'default';
      const comp = compKey(fi.file);
      const ctrl = cdecos.find((d) => d.name === 'Controller');
      const resolver = cdecos.find((d) => d.name === 'Resolver');
      const gateway = cdecos.find((d) => d.name === 'WebSocketGateway');
      if (!ctrl && !resolver && !gateway) continue;
      cdecos.push(...withApplied(r, cdecos).slice(cdecos.length)); // what custom class decorators apply
      const info = modules.get(comp);
      if (ctrl && info && info.clear && !registered.has(cls)) {
        r.ctx.warn(fi.file, fi.line(cls.getStart(fi.sf)), `controller ${className} is not registered in any module; its routes are left out`);
        continue;
      }
      const bootList = bootsOf(cls, fi.file, comp);
      // A controller in a library that one application's module tree imports is served by that application.
      const servers = apps.filter((a) => a.controllers.has(cls)).map((a) => componentOf(a.file));
      const servedBy = servers.length === 1 && servers[0] && servers[0] !== componentOf(fi.file) ? servers[0] : undefined;
      const classGuards = cdecos.filter((d) => d.name === 'UseGuards').flatMap((d) => d.args.map((a) => guardName(r, a)));
      const classPublic = cdecos.some((d) => isPublic(r, d));
      const classAuth = cdecos.filter((d) => AUTH_DECORATOR.test(d.name)).map((d) => `@${d.name}`);
      const classRoles = cdecos.filter((d) => ROLE_DECORATOR.test(d.name)).flatMap((d) => roleArgs(r, d));
      const tags = cdecos.filter((d) => d.name === 'ApiTags').flatMap((d) => d.args.map((a) => r.str(a)).filter((x): x is string => !!x));
      const classVersionDeco = cdecos.find((d) => d.name === 'Version');

      let ctrlPaths = [''];
      let ctrlVersions: string[] | undefined | null;
      if (ctrl) {
        const a = ctrl.args[0];
        const o = a ? r.object(a) : undefined;
        if (o) {
          ctrlPaths = r.strList(prop(o, 'path')) ?? [''];
          const v = prop(o, 'version');
          ctrlVersions = v ? (isNeutral(v) ? null : r.strList(v)) : undefined;
        } else if (a) ctrlPaths = r.strList(a) ?? [`{${a.getText()}}`];
      }
      if (classVersionDeco) ctrlVersions = isNeutral(classVersionDeco.args[0]) ? null : r.strList(classVersionDeco.args[0]);
      const routerPrefix = [...modulePrefix.entries()].find(([mod]) => moduleHas(r, mod, cls))?.[1] ?? '';

      for (const boot of bootList)
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const mdecos = withApplied(r, decoratorsOf(member));
        const methodName = member.name.getText();
        const guards = [
          ...(globalGuards.get(comp) ?? []),
          ...(boot?.guards ?? []),
          ...classGuards,
          ...mdecos.filter((d) => d.name === 'UseGuards').flatMap((d) => d.args.map((a) => guardName(r, a))),
        ].filter((g) => AUTH_GUARD.test(g));
        const authDecos = [...classAuth, ...mdecos.filter((d) => AUTH_DECORATOR.test(d.name)).map((d) => `@${d.name}`)];
        const mechanisms = [...new Set([...guards, ...authDecos])];
        const optOut = classPublic || mdecos.some((d) => isPublic(r, d));
        const roles = [...classRoles, ...mdecos.filter((d) => ROLE_DECORATOR.test(d.name)).flatMap((d) => roleArgs(r, d))];
        const op = mdecos.find((d) => d.name === 'ApiOperation');
        const opObj = op ? r.object(op.args[0]) : undefined;
        const summary = opObj ? r.str(prop(opObj, 'summary')) : undefined;
        const line = fi.line(member.getStart(fi.sf));
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
          ...(optOut ? { details: { authOptOut: mdecos.concat(cdecos).find((d) => isPublic(r, d))!.name } } : {}),
        };

        if (ctrl) {
          for (const d of mdecos) {
            const method = ROUTE_DECORATORS[d.name];
            if (!method) continue;
            const paths = d.args[0] ? r.strList(d.args[0]) ?? [`{${d.args[0].getText()}}`] : [''];
            const mv = mdecos.find((x) => x.name === 'Version');
            let versions: (string | null)[] = [null];
            if (boot?.uri) {
              const v = mv ? (isNeutral(mv.args[0]) ? null : r.strList(mv.args[0])) : ctrlVersions !== undefined ? ctrlVersions : boot.defaultVersions;
              versions = v && v.length > 0 ? v : [null];
            }
            for (const cp of ctrlPaths) {
              for (const mp of paths) {
                const rel = joinPath(routerPrefix, cp, mp);
                const excluded = boot?.exclude.some((x) => excludeMatches(x, rel, method));
                const viaMiddleware = (middlewareRules.get(comp) ?? [])
                  .filter((rule) => rule.routes.some((x) => ruleMatches(x, rel, method, cls)) && !rule.exclude.some((x) => ruleMatches(x, rel, method, cls)))
                  .flatMap((rule) => rule.mechanisms);
                for (const v of versions) {
                  const path = cleanParams(
                    joinPath(excluded ? '' : boot?.prefix, v !== null ? `${boot?.versionPrefix ?? 'v'}${v}` : '', rel),
                  );
                  const mechs = [...new Set([...base.mechanisms, ...viaMiddleware])];
                  const f: Found = { protocol: 'http', method, path, ...base, mechanisms: mechs };
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
              const o = r.object(a);
              const n = o ? r.str(prop(o, 'name')) : undefined;
              if (n) name = n;
            }
            out.push({ protocol: 'graphql', method: op, path: name, ...base, framework: 'graphql-resolver' });
          }
        }
        if (gateway) {
          for (const d of mdecos) {
            if (d.name !== 'SubscribeMessage') continue;
            const ev = r.str(d.args[0]);
            if (!ev) continue;
            let ns = '/';
            for (const a of gateway.args) {
              const o = r.object(a);
              const n = o ? r.str(prop(o, 'namespace')) : undefined;
              if (n) ns = n.startsWith('/') ? n : '/' + n;
            }
            out.push({
              protocol: 'websocket',
              method: 'EVENT',
              path: ns === '/' ? ev : `${ns} ${ev}`,
              ...base,
              framework: 'nestjs-gateway',
              details: { namespace: ns },
            });
          }
        }
        for (const d of mdecos) {
          if (d.name !== 'GrpcMethod' && d.name !== 'GrpcStreamMethod') continue;
          const service = r.str(d.args[0]) ?? className.replace(/Controller$/, '');
          const rpc = r.str(d.args[1]) ?? methodName.charAt(0).toUpperCase() + methodName.slice(1);
          const path = protoPaths.get(`${service}/${rpc}`) ?? `/${service}/${rpc}`;
          out.push({ protocol: 'grpc', method: 'rpc', path, ...base, framework: 'nestjs-grpc' });
        }
        // NestJS microservices: request/response (@MessagePattern) and events (@EventPattern); index.ts
        // keeps those the component's transport makes calls rather than messages (nest-rpc.ts).
        for (const d of mdecos) {
          if (d.name !== 'MessagePattern' && d.name !== 'EventPattern') continue;
          const pattern = messagePattern(r, d.args[0]);
          if (!pattern) continue;
          out.push({ protocol: 'rpc', method: 'rpc', path: pattern, ...base, framework: 'nestjs-microservices', details: { ...base.details, pattern: d.name === 'EventPattern' ? 'event' : 'message' } });
        }
      }
    }
  }
  for (const f of out) if (f.protocol === 'graphql') f.details = { ...(f.details ?? {}), httpPath: graphqlPaths.get(compKey(f.file)) ?? '/graphql' };
  return out;
}

function isPublic(r: Resolver, d: Decorator): boolean {
  if (PUBLIC_DECORATOR.test(d.name)) return true;
  if (d.name === 'SetMetadata' && d.args.length >= 2) {
    const key = r.str(d.args[0]) ?? d.args[0]!.getText();
    return /public|anonymous|skip.?auth/i.test(key) && d.args[1]!.kind === ts.SyntaxKind.TrueKeyword;
  }
  return false;
}

function roleArgs(r: Resolver, d: Decorator): string[] {
  const out: string[] = [];
  for (const a of d.args) {
    const list = r.strList(a);
    if (list) out.push(...list);
    else if (ts.isPropertyAccessExpression(unwrapAwait(a))) out.push((unwrapAwait(a) as ts.PropertyAccessExpression).name.text);
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
function readRouterModule(r: Resolver, routes: ts.Expression | undefined, parent: string, out: Map<ts.Node, string>): void {
  const list = routes ? unwrapAwait(routes) : undefined;
  const arr = list && ts.isArrayLiteralExpression(list) ? list : undefined;
  if (!arr) return;
  for (const el of arr.elements) {
    const o = r.object(el as ts.Expression);
    if (!o) {
      // children: [SomeModule] inherit the parent's path.
      const t = r.deref(el as ts.Expression);
      if (t?.kind === 'class') out.set(t.node, parent);
      continue;
    }
    const path = joinPath(parent, r.str(prop(o, 'path')) ?? '');
    const mod = prop(o, 'module');
    const t = mod ? r.deref(mod) : undefined;
    if (t?.kind === 'class') out.set(t.node, path);
    readRouterModule(r, prop(o, 'children'), path, out);
  }
}

/** Does the module class list this controller? */
function moduleHas(r: Resolver, mod: ts.Node, cls: ts.Node): boolean {
  if (!ts.isClassDeclaration(mod)) return false;
  for (const d of decoratorsOf(mod)) {
    if (d.name !== 'Module') continue;
    const o = r.object(d.args[0]);
    const ctrls = o ? prop(o, 'controllers') : undefined;
    const arr = ctrls ? unwrapAwait(ctrls) : undefined;
    if (!arr || !ts.isArrayLiteralExpression(arr)) continue;
    for (const el of arr.elements) {
      const t = ts.isSpreadElement(el) ? undefined : r.deref(el);
      if (t?.kind === 'class' && t.node === cls) return true;
    }
  }
  return false;
}
