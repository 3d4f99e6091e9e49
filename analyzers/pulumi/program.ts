/**
 * Reading a Pulumi program or an SST v3 app from the run's script indexes, never running it: every
 * `new` of a provider package's resource class (`new aws.sqs.Queue('orders', args, opts)` from
 * `@pulumi/aws`, `new sst.aws.Queue('Orders')` with SST's global `sst`), and the component
 * resources (`class X extends pulumi.ComponentResource`) whose constructors make resources: those
 * are read once per place that instantiates the class, with the constructor's parameters bound to
 * that place's arguments, so that `${name}-queue` names each instance's queue. References between
 * resources (`queue.arn`, `table.name`, `this.queue`, `orders.queue`) are resolved by the
 * evaluator, which here knows a resource site as a value of its own.
 */
import { bindArgs, type Member, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, ClassInfo, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { InstanceEvaluator, siteKey, type InstanceValue, type InstScope, type SiteValue } from '../../src/analysis/instances.js';
import { isResourceType, typeName, type ResourceType } from './types.js';

type Found = Resolved | SiteValue | InstanceValue;

/** Methods that add a resource to another: the owner's type, and what they make. */
const ADDED: Record<string, [string, ResourceType]> = {
  addClient: ['sst.aws.CognitoUserPool', { provider: 'sst', path: ['aws', 'CognitoUserPoolClient'] }],
  addService: ['sst.aws.Cluster', { provider: 'sst', path: ['aws', 'Service'] }],
};

/** SST v2's construct modules (`sst/constructs/future` holds the constructs on their way in). */
const SST_V2 = new Set(['sst/constructs', 'sst/constructs/future']);

/** Secrets one `Config.Secret.create` call makes, read at most. */
const MAX_SECRETS = 200;

/** Instances of one component class read at most. */
const MAX_INSTANCES = 16;

export interface Site {
  /** `file:line:callee`. */
  key: string;
  file: string;
  line: number;
  type: ResourceType;
  call: CallSite;
  fn: Fn;
  /** The component class whose constructor (or a callback in it) makes it. */
  component?: { file: string; name: string };
  /** The argument that names it: 0 (`new aws.s3.Bucket('name', args)`), or 1 for SST v2's constructs (`new Table(stack, 'Name', props)`). */
  nameAt: number;
}

/** The arguments a resource is given (the object after its name). */
export function argsOf(site: Site): Value | undefined {
  return site.call.args[site.nameAt + 1];
}

/** One resource: a site read in one scope (once, or once per instance of its component). */
export interface Resource {
  /** The site's key and the instance's: `file:line:callee|inst`. */
  key: string;
  site: Site;
  /** The scopes its values are read in, best first. */
  scopes: Scope[];
  /** The name it is given (its logical name), else `line N`. */
  name: string;
}

/**
 * The evaluator, knowing resource sites: `new aws.sqs.Queue(…)` is that site (in the instance the
 * scope is read in), and any attribute of it (`arn`, `url`, `name`) denotes it. An instance of a
 * component class keeps its constructor's bound scope, so that `orders.queue` is that instance's.
 */
export class PulumiEvaluator extends InstanceEvaluator<Site, Resource> {
  /** Calls of functions that make resources: the call's key → the function's bound scope. */
  readonly makerCalls = new Map<string, InstScope>();
  /** The globals an SST app's scripts see (`sst`, `aws`, `cloudflare`, the providers its config names); none outside one. */
  globals: readonly string[] = [];

  get sstGlobals(): boolean {
    return this.globals.length > 0;
  }

  /** A site is the resource it makes: a `new` whose root is one of SST's globals (the evaluator knows no binding for it), a method that adds one (`pool.addClient('Web')`). */
  override created(scope: Scope, call: CallSite, env: string[], depth: number): Found | undefined {
    const key = siteKey(scope.file, call);
    if (this.sites.has(key)) return { k: 'site', site: key, inst: (scope as InstScope).inst ?? '' };
    return super.created(scope, call, env, depth);
  }

  /**
   * A call on a resource (`bucket.arn.apply(…)`, `api.route(…)`) still denotes it; a call of a
   * function that makes resources returns what it returns in that call's instance.
   */
  protected override fromMember(m: Member<Found>, scope: Scope, call: CallSite, env: string[], depth: number): Found | undefined {
    if (m.value.k === 'site') return m.value;
    // SST v2's `use(Bus)` hands one stack what another stack's function returns (`{ bus }`).
    if (m.value.k === 'pkg' && m.value.name === 'use' && m.rest.length === 0 && !call.isNew && SST_V2.has(m.value.pkg) && call.args[0]) {
      const stack = this.value(scope, call.args[0], depth + 1);
      return stack?.k === 'fn' ? this.returnOf(stack.key, [], scope, depth + 1) : undefined;
    }
    const bound = m.value.k === 'fn' && m.rest.length === 0 && !call.isNew ? this.makerCalls.get(siteKey(scope.file, call)) : undefined;
    if (bound?.fn) {
      for (const r of bound.fn.returns) {
        const v = this.value(bound, r, depth + 1);
        if (v) return v;
      }
      return undefined;
    }
    return super.fromMember(m, scope, call, env, depth);
  }

  /** The resource a value denotes, in the first scope where it resolves. */
  resource(scopes: readonly Scope[], v: Value | undefined): Resource | undefined {
    return this.resourceIn(scopes, v);
  }

  /**
   * A resource's name as Pulumi would log it: its value when known; a template's known parts with
   * the unknown ones written `${x}`, less an unknown leading prefix (`${stackName}-vpc` → `vpc`,
   * the stack's or project's prefix every resource of the program shares).
   */
  nameIn(scopes: readonly Scope[], v: Value | undefined): string | undefined {
    if (!v) return undefined;
    for (const s of scopes) {
      const whole = this.string(s, v);
      if (whole !== undefined) return whole;
    }
    const scope = scopes[0]!;
    if (v.k === 'tpl') {
      let out = v.quasis[0] ?? '';
      let dropped = false;
      v.exprs.forEach((e, i) => {
        const part = scopes.map((s) => this.string(s, e)).find((x) => x !== undefined);
        if (part === undefined && i === 0 && out === '') dropped = true;
        else out += part ?? `\${${e.k === 'ref' ? e.path : '…'}}`;
        out += v.quasis[i + 1] ?? '';
      });
      if (dropped) out = out.replace(/^[-_./:]/, '');
      return out || undefined;
    }
    const local = v.k === 'ref' && !v.path.includes('.') ? scope.fn?.locals.get(v.path) : undefined;
    return local && local.k === 'tpl' ? this.nameIn(scopes, local) : undefined;
  }
}

/** The resource type a `new` builds: a provider package's class (`@pulumi/aws` `s3.Bucket`), or SST's global `sst.aws.Function`. */
export function resourceType(ev: PulumiEvaluator, scope: Scope, call: CallSite): ResourceType | undefined {
  if (call.root === 'this' || call.root === '' || call.names.includes('()')) return undefined;
  const root = ev.ident(scope, call.root);
  if (root?.k === 'pkg') {
    const m = root.pkg;
    const path = root.name === '*' || root.name === 'default' ? call.names : [root.name, ...call.names];
    // SST v2: CDK constructs (`import { Table } from 'sst/constructs'`).
    if (SST_V2.has(m)) return path.length > 0 ? { provider: 'sst', path: ['constructs', ...path] } : undefined;
    if (!m.startsWith('@pulumi/') || m === '@pulumi/pulumi') return undefined;
    return path.length > 0 ? { provider: m.slice('@pulumi/'.length).replace(/-/g, '_'), path } : undefined;
  }
  // SST's globals: `sst` (its components), and the providers it loads (`aws`, `cloudflare`, `planetscale`…).
  if (root === undefined && ev.globals.includes(call.root) && !bound(ev, scope, call.root) && call.names.length > 0)
    return { provider: call.root, path: call.names };
  return undefined;
}

/** Whether a name is bound in a scope or its file (then it is no global). */
function bound(ev: PulumiEvaluator, scope: Scope, name: string): boolean {
  for (let f: Fn | undefined = scope.fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) if (f.binds.includes(name)) return true;
  return false;
}

/** Where a type's resources are named: SST v2's constructs after their scope (`new Table(stack, 'Notes', …)`), others first. */
function nameAt(t: ResourceType): number {
  return t.provider === 'sst' && t.path[0] === 'constructs' ? 1 : 0;
}

/** A resource's `new`: a capitalised class given a name (`new aws.s3.Bucket('assets', …)`; an SST v2 construct a scope, then its id). */
function isResourceCall(t: ResourceType, call: CallSite): boolean {
  const last = t.path[t.path.length - 1]!;
  const at = nameAt(t);
  const name = call.args[at];
  const scope = at === 1 ? call.args[0] : undefined;
  if (at === 1 && (!scope || scope.k === 'str' || scope.k === 'obj')) return false;
  return isResourceType(t) && last[0]! >= 'A' && last[0]! <= 'Z' && name !== undefined && name.k !== 'obj' && name.k !== 'arr' && name.k !== 'fn';
}

export interface Program {
  ev: PulumiEvaluator;
  /** The scripts that make resources or components, sorted. */
  files: string[];
  resources: Resource[];
  /** The scopes a function's values are read in (its component's instantiations first). */
  scopesOf(fn: Fn): Scope[];
}

/** Whether a script takes part: it imports a Pulumi package, or (in an SST app) uses SST's globals. */
function takesPart(idx: FileIndex, globals: readonly string[]): boolean {
  for (const imp of idx.imports.values()) if (imp.module.startsWith('@pulumi/') || SST_V2.has(imp.module)) return true;
  return globals.length > 0 && [...idx.functions.values()].some((f) => f.calls.some((c) => globals.includes(c.root) && c.isNew));
}

/**
 * The globals of an SST app: `sst`, `aws` and `cloudflare`, and the providers its `sst.config.ts`
 * names in `app()`'s `providers` (`{ planetscale: '0.0.7', '@pulumiverse/vercel': '1.11.0' }`: `planetscale`, `vercel`).
 */
export function sstGlobals(configs: readonly FileIndex[]): string[] {
  const out = new Set(['sst', 'aws', 'cloudflare']);
  for (const idx of configs) {
    for (const fn of idx.functions.values()) {
      for (const r of fn.returns) {
        const providers = r.k === 'obj' && Object.hasOwn(r.props, 'providers') ? r.props.providers : undefined;
        if (providers?.k !== 'obj') continue;
        for (const key of Object.keys(providers.props))
          out.add(
            key
              .slice(key.lastIndexOf('/') + 1)
              .replace(/^pulumi-/, '')
              .replace(/-/g, '_'),
          );
      }
    }
  }
  return [...out].sort();
}

export function readProgram(
  indexes: ReadonlyMap<string, FileIndex>,
  resolveImport: (from: string, spec: string) => string | undefined,
  globals: readonly string[],
): Program {
  const ev = new PulumiEvaluator(indexes, resolveImport);
  ev.globals = globals;
  const files = [...indexes.keys()].filter((f) => takesPart(indexes.get(f)!, globals)).sort();

  // Component resource classes: what they extend, followed through the repository's classes.
  const memo = new Map<ClassInfo, boolean>();
  const isComponent = (cls: ClassInfo, depth = 0): boolean => {
    const known = memo.get(cls);
    if (known !== undefined) return known;
    memo.set(cls, false);
    let yes = false;
    if (cls.extends && depth < 8) {
      const base = ev.ident({ file: cls.file }, cls.extends.root);
      const last = cls.extends.names[cls.extends.names.length - 1] ?? (base?.k === 'pkg' ? base.name : '');
      if (base?.k === 'class') {
        const bc = ev.classOf(base.file, base.name);
        yes = bc ? isComponent(bc, depth + 1) : false;
      } else if (base?.k === 'pkg') yes = base.pkg === '@pulumi/pulumi' && last === 'ComponentResource';
    }
    memo.set(cls, yes);
    return yes;
  };
  /** The component class a function belongs to: a constructor or a callback written in one. */
  const componentOf = (fn: Fn): { file: string; name: string } | undefined => {
    for (let f: Fn | undefined = fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) {
      if (f.cls) {
        const cls = ev.classOf(f.file, f.cls);
        return cls && isComponent(cls) ? { file: f.file, name: f.cls } : undefined;
      }
    }
    return undefined;
  };

  const sites: Site[] = [];
  const fnsOf = (file: string) => [...indexes.get(file)!.functions.values()];
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        if (!call.isNew) continue;
        const t = resourceType(ev, { file, fn }, call);
        if (!t || !isResourceCall(t, call)) continue;
        const site: Site = { key: siteKey(file, call), file, line: call.line, type: t, call, fn, component: componentOf(fn), nameAt: nameAt(t) };
        if (ev.sites.has(site.key)) continue;
        ev.sites.set(site.key, site);
        sites.push(site);
      }
    }
  }

  // SST v2's `Config.Secret.create(stack, 'A', 'B', …)`: one secret per name.
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        if (call.isNew || call.names.length !== 2 || call.names[1] !== 'create') continue;
        const t = resourceType(ev, { file, fn }, call);
        if (t?.provider !== 'sst' || t.path.join('.') !== 'constructs.Config.Secret.create') continue;
        for (let i = 1; i < call.args.length && i <= MAX_SECRETS; i++) {
          if (call.args[i]!.k !== 'str') continue;
          const site: Site = {
            key: `${siteKey(file, call)}#${i}`,
            file,
            line: call.line,
            type: { provider: 'sst', path: ['constructs', 'Config', 'Secret'] },
            call,
            fn,
            component: componentOf(fn),
            nameAt: i,
          };
          ev.sites.set(site.key, site);
          sites.push(site);
        }
      }
    }
  }

  // Methods that add a resource to one (SST's `userPool.addClient('Web')`, `cluster.addService('Api', …)`).
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        const method = call.names[call.names.length - 1];
        const made = call.isNew || !method || !Object.hasOwn(ADDED, method) ? undefined : ADDED[method];
        if (!made || call.names.includes('()') || !call.args[0]) continue;
        const receiver = ev.value({ file, fn }, { k: 'ref', path: [call.root, ...call.names.slice(0, -1)].join('.') });
        const owner = receiver?.k === 'site' ? ev.sites.get(receiver.site) : undefined;
        if (!owner || typeName(owner.type) !== made[0]) continue;
        const site: Site = { key: siteKey(file, call), file, line: call.line, type: made[1], call, fn, component: componentOf(fn), nameAt: 0 };
        ev.sites.set(site.key, site);
        sites.push(site);
      }
    }
  }

  // Where component classes are instantiated: `new OrdersService('orders', { … })`.
  const callers = new Map<string, { call: CallSite; scope: Scope }[]>();
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        if (!call.isNew || call.names.length > 0 || call.root === 'this') continue;
        const scope = { file, fn };
        const r = ev.ident(scope, call.root);
        const cls = r?.k === 'class' ? ev.classOf(r.file, r.name) : undefined;
        if (!cls || !isComponent(cls)) continue;
        const key = `${cls.file}#${cls.name}`;
        callers.set(key, [...(callers.get(key) ?? []), { call, scope }]);
      }
    }
  }
  const bind = (fn: Fn, call: CallSite, caller: Scope): InstScope => ({
    file: fn.file,
    fn,
    args: bindArgs(fn, call.args, caller),
    inst: `${caller.file}:${call.line}`,
  });
  const instancesOf = (c: { file: string; name: string }) => {
    const ctor = ev.fns.get(`${c.file}#${c.name}.constructor`);
    return ctor ? (callers.get(`${c.file}#${c.name}`) ?? []).slice(0, MAX_INSTANCES).map((k) => ({ caller: k, scope: bind(ctor, k.call, k.scope) })) : [];
  };
  for (const list of callers.values()) {
    const first = list[0]!;
    const r = ev.ident(first.scope, first.call.root);
    if (r?.k === 'class') for (const i of instancesOf(r)) ev.instances.set(siteKey(i.caller.scope.file, i.caller.call), i.scope);
  }

  // Functions that make resources (`function makeQueue(name) { return new aws.sqs.Queue(`${name}-queue`) }`),
  // read once per call with its arguments bound, as a component is per instance.
  const makers = new Map<string, Fn>();
  for (const site of sites)
    if (!site.component && site.fn.name !== '<module>' && !site.fn.cls && site.fn.name !== '<callback>') makers.set(site.fn.key, site.fn);
  const makerNames = new Set([...makers.values()].map((f) => f.name));
  const makerCallers = new Map<string, { call: CallSite; scope: Scope }[]>();
  for (const file of makers.size ? files : []) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        if (call.isNew || call.names.includes('()') || !makerNames.has(call.names[call.names.length - 1] ?? call.root)) continue;
        const scope = { file, fn };
        const r = ev.value(scope, { k: 'ref', path: [call.root, ...call.names].join('.') });
        const maker = r?.k === 'fn' ? makers.get(r.key) : undefined;
        if (!maker || maker === fn) continue;
        makerCallers.set(maker.key, [...(makerCallers.get(maker.key) ?? []), { call, scope }]);
      }
    }
  }
  const callsOf = (maker: Fn) => (makerCallers.get(maker.key) ?? []).slice(0, MAX_INSTANCES).map((k) => ({ caller: k, scope: bind(maker, k.call, k.scope) }));
  for (const maker of makers.values()) for (const c of callsOf(maker)) ev.makerCalls.set(siteKey(c.caller.scope.file, c.caller.call), c.scope);

  // Other named functions (`function admin(api, { prefix }) { api.route(…) }`) are read once per call too, made when first asked.
  let helperCalls: Map<string, { call: CallSite; scope: Scope }[]> | undefined;
  const helperScopes = (fn: Fn): InstScope[] => {
    if (!helperCalls) {
      helperCalls = new Map();
      for (const file of files)
        for (const f of fnsOf(file))
          for (const call of f.calls) {
            if (call.isNew || call.names.includes('()')) continue;
            const name = call.names[call.names.length - 1] ?? call.root;
            helperCalls.set(name, [...(helperCalls.get(name) ?? []), { call, scope: { file, fn: f } }]);
          }
    }
    const out: InstScope[] = [];
    for (const c of helperCalls.get(fn.name) ?? []) {
      if (out.length >= MAX_INSTANCES || c.scope.fn === fn) continue;
      const r = ev.value(c.scope, { k: 'ref', path: [c.call.root, ...c.call.names].join('.') });
      if (r?.k === 'fn' && (r as { key: string }).key === fn.key) out.push(bind(fn, c.call, c.scope));
    }
    return out;
  };

  /**
   * A function's scopes: a component constructor's once per instance, a maker's or another top-level
   * function's once per call, else its own; a callback's and a loop's body's as the evaluator's
   * `scopesWith` gives them (`for (const r of ROUTES) api.route(r.path, r.handler)` once per item).
   */
  const scopesOf = (fn: Fn): Scope[] => ev.scopesWith(fn, ownScopes);
  const ownScopes = (fn: Fn): Scope[] => {
    const own = { file: fn.file, fn };
    const c = fn.cls && fn.name === `${fn.cls}.constructor` ? componentOf(fn) : undefined;
    const maker = makers.get(fn.key);
    const helper = !c && !maker && !fn.cls && fn.parent === undefined && fn.name !== '<module>' ? helperScopes(fn) : [];
    const inst = c ? instancesOf(c).map((i) => i.scope) : maker ? callsOf(maker).map((i) => i.scope) : helper;
    return inst.length ? inst : [own];
  };

  const resources: Resource[] = [];
  for (const site of sites) {
    const perInstance = site.fn.name === `${site.component?.name}.constructor` || makers.has(site.fn.key);
    const reads = perInstance ? scopesOf(site.fn).map((s) => [s]) : [[{ file: site.file, fn: site.fn } as Scope]];
    for (const scopes of reads) {
      const inst = (scopes[0] as InstScope).inst ?? '';
      const name = ev.nameIn(scopes, site.call.args[site.nameAt]) ?? `line ${site.line}`;
      const res: Resource = { key: `${site.key}|${inst}`, site, scopes, name };
      resources.push(res);
      ev.resources.set(res.key, res);
      if (!ev.firstOfSite.has(site.key)) ev.firstOfSite.set(site.key, res);
    }
  }
  return { ev, files, resources, scopesOf };
}
