/**
 * Reading a CDK app from the run's script indexes, never running it: every `new` of an
 * `aws-cdk-lib` construct (a site), the units that hold sites (stack classes, construct classes,
 * functions that take a scope, a file's top level), where each unit is instantiated, and so the
 * stacks each resource is deployed in. A construct class's resources are read once per class and
 * belong to every stack that instantiates it; a function's are read once per call, with its
 * arguments bound (the ids it is given). References between constructs (`queue.queueUrl`,
 * `this.table`, `props.bus`) are resolved by the evaluator, which here knows a construct site as
 * a value of its own.
 */
import { bindArgs, type Member, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, ClassInfo, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { callPlace, InstanceEvaluator, siteKey, type InstanceValue, type InstScope, type SiteValue } from '../../src/analysis/instances.js';
import { isResourceType, type ConstructType } from './constructs.js';
import { partKey, patternOf } from './solutions.js';

/** A resource of an API Gateway REST API (`api.root.addResource('orders').addResource('{id}')`): the API's resource key and the path so far. */
export type ApiPath = { k: 'apipath'; api: string; path: string };
/** A channel of another stack, imported by its export name: `Topic.fromTopicArn(this, 'Id', Fn.importValue('orders-topic'))`. */
export type Imported = { k: 'imported'; type: ConstructType; exportName: string; file: string; line: number };
type Found = Resolved | SiteValue | InstanceValue | ApiPath | Imported;

/** Instances of one site read at most (calls of a function that makes constructs). */
const MAX_INSTANCES = 16;
/** Reads of one helper method at most, however deep the methods that call it. */
const MAX_METHOD_READS = MAX_INSTANCES * MAX_INSTANCES;

/** Integrations that stand for the function they integrate, by the argument that is the function: `new LambdaIntegration(fn)`. */
const INTEGRATIONS: Record<string, number> = { 'apigateway.LambdaIntegration': 0, 'apigatewayv2-integrations.HttpLambdaIntegration': 1 };

export interface Site {
  /** `file:line:callee`. */
  key: string;
  file: string;
  line: number;
  type: ConstructType;
  call: CallSite;
  fn: Fn;
  unit: Unit;
  /** A repository class that extends the construct class (`class OrdersMachine extends StateMachine`): its `super(…)` is the site, and its name the resource's. */
  subclass?: string;
  /** The props it is made with: the call's third argument, or a Solutions Constructs pattern's props for the part (`queueProps`). */
  props: Value | undefined;
  /** The pattern part it is (solutions.ts), and the pattern's `new` key. */
  part?: { of: string; member: string; pattern: string };
}

export interface Unit {
  key: string;
  /** A class's name, a function's, or the file (a top level). */
  name: string;
  kind: 'stack' | 'stage' | 'construct' | 'function' | 'module';
  file: string;
  /** The function whose parameters an instantiation binds: a class's constructor, or the function itself. */
  entry?: Fn;
  /** Where it is instantiated (`new X(this, 'Id', props)`) or called. */
  callers: { unit: Unit; call: CallSite; scope: Scope }[];
  /** The construct class a class extends, when it is one of an AWS module (its instances are resources of that type). */
  base?: ConstructType;
}

/** One resource: a site read in one scope (once per class, once per call of a function). */
export interface Resource {
  /** The site's key and the instance's: `file:line:callee|inst`. */
  key: string;
  site: Site;
  /** The scopes its values are read in, best first: an instantiation's (arguments bound), then its own. */
  scopes: Scope[];
  /** The construct id (`'Orders'`), else `line N`. */
  id: string;
  /** What the document calls it: its id, after its instance's when its construct class is instantiated more than once (`Scans/Queue`). */
  name: string;
  /** The construct path as the app builds it: `OrdersService/Table`. */
  path: string;
  stacks: string[];
}

/**
 * The evaluator, knowing construct sites: `new Queue(…)` is that site (in the instance the scope
 * is read in), and any attribute of it (`queueUrl`, `tableName`) denotes it. An instance of a
 * construct class read per instance keeps its constructor's bound scope, so that `orders.queue`
 * is the queue of that instance.
 */
export class CdkEvaluator extends InstanceEvaluator<Site, Resource, ApiPath | Imported> {
  /** Solutions Constructs patterns: the pattern's `new` key → its parts' site keys by member (`sqsQueue`). */
  readonly patterns = new Map<string, Map<string, string>>();

  /** An integration held in a variable (`const integration = new LambdaIntegration(fn)`) denotes its function. */
  protected override createdFrom(root: Found, scope: Scope, call: CallSite, env: string[], depth: number): Found | undefined {
    // A pattern denotes the first part it makes; its properties (`sqsQueue`) denote each (member()).
    const parts = call.isNew ? this.patterns.get(siteKey(scope.file, call)) : undefined;
    const first = parts ? [...parts.values()][0] : undefined;
    if (first) return { k: 'site', site: first, inst: (scope as InstScope).inst ?? '' };
    if (call.isNew && root.k === 'pkg') {
      const t = exportType(root.pkg, root.name, call.names);
      const at = t ? INTEGRATIONS[`${t.service}.${t.name}`] : undefined;
      const fn = at === undefined ? undefined : call.args[at];
      if (fn) return this.value(scope, fn, depth + 1);
    }
    if (!call.isNew && root.k === 'pkg') {
      const imported = importedChannel(this, root, scope, call, depth);
      if (imported) return imported;
    }
    return super.createdFrom(root, scope, call, env, depth);
  }

  /** A call on a construct: `addResource` on an API or one of its resources makes a deeper resource. */
  protected override fromMember(m: Member<Found>, scope: Scope, call: CallSite, env: string[], depth: number): Found | undefined {
    const v = m.value;
    if (v.k !== 'site' && v.k !== 'apipath') return super.fromMember(m, scope, call, env, depth);
    let at: ApiPath = v.k === 'apipath' ? v : { k: 'apipath', api: `${v.site}|${v.inst}`, path: '' };
    // Intermediate calls before the rest were taken by the value: their arguments are not the rest's.
    let inner = call.names.slice(0, call.names.length - m.rest.length).filter((n) => n === '()').length;
    for (let i = 0; i < m.rest.length; i++) {
      const name = m.rest[i]!;
      if (name === 'root' || name === '()') continue;
      const last = i === m.rest.length - 1;
      if (name !== 'addResource' || (!last && m.rest[i + 1] !== '()')) return undefined;
      const arg = last ? call.args[0] : call.innerArgs[inner++]?.[0];
      const segment = arg ? this.string(scope, arg, depth + 1) : undefined;
      if (segment === undefined) return undefined;
      at = { ...at, path: `${at.path}/${segment}` };
    }
    return at;
  }

  override member(value: Found, names: string[], scope: Scope, depth: number): Member<Found> | undefined {
    if (value.k === 'apipath') return { value, rest: names };
    if (value.k === 'site' && names.length > 0) {
      const part = this.sites.get(value.site)?.part;
      const to = part ? this.patterns.get(part.pattern)?.get(names[0]!) : undefined;
      if (to) return this.member({ ...value, site: to }, names.slice(1), scope, depth + 1);
    }
    // Any attribute of an imported channel (`topic.topicArn`) denotes it.
    if (value.k === 'imported') return { value, rest: [] };
    return super.member(value, names, scope, depth);
  }

  /** The resource a value denotes, in the first scope where it resolves. */
  construct(scopes: readonly Scope[], v: Value | undefined): Resource | undefined {
    return this.resourceIn(scopes, v);
  }
}

/**
 * `Topic.fromTopicArn(scope, id, Fn.importValue('name'))` (also `Queue.fromQueueArn`,
 * `EventBus.fromEventBusArn`): a channel another stack exports under that name.
 */
function importedChannel(ev: CdkEvaluator, root: Extract<Resolved, { k: 'pkg' }>, scope: Scope, call: CallSite, depth: number): Imported | undefined {
  const method = call.names[call.names.length - 1];
  if (method !== 'fromTopicArn' && method !== 'fromQueueArn' && method !== 'fromEventBusArn') return undefined;
  const type = exportType(root.pkg, root.name, call.names.slice(0, -1));
  const arn = call.args[2];
  if (!type || arn?.k !== 'call' || arn.call.isNew || arn.call.names[arn.call.names.length - 1] !== 'importValue') return undefined;
  const exportName = arn.call.args[0] ? ev.string(scope, arn.call.args[0], depth + 1) : undefined;
  return exportName ? { k: 'imported', type, exportName, file: scope.file, line: call.line } : undefined;
}

/** A property of an object literal a construct is given. */
export function propOf(app: App, scopes: readonly Scope[], props: Value | undefined, name: string): { value: Value; scope: Scope } | undefined {
  const o = app.ev.objectIn(scopes, props);
  const v = o && Object.hasOwn(o.props, name) ? o.props[name] : undefined;
  return v && o ? { value: v, scope: o.scope } : undefined;
}

/** The construct type a `new` builds, when it is an `aws-cdk-lib` class; `service` '' for the core module's. */
export function constructType(ev: CdkEvaluator, scope: Scope, call: CallSite): ConstructType | undefined {
  if (call.root === 'this' || call.root === '' || call.names.includes('()')) return undefined;
  const root = ev.ident(scope, call.root);
  return root?.k === 'pkg' ? exportType(root.pkg, root.name, call.names) : undefined;
}

/** The construct type a package's export names (`aws-cdk-lib/aws-s3` `Bucket`; `aws-cdk-lib` `aws_s3` then `.Bucket`). */
function exportType(m: string, name: string, names: string[]): ConstructType | undefined {
  const parts = name === '*' || name === 'default' ? names : [name, ...names];
  if (m === 'aws-cdk-lib' || m === '@aws-cdk/core') {
    if (parts.length === 2 && parts[0]!.startsWith('aws_')) return { service: parts[0]!.slice(4).replace(/_/g, '-'), name: parts[1]! };
    return parts.length === 1 ? { service: '', name: parts[0]! } : undefined;
  }
  for (const prefix of ['aws-cdk-lib/aws-', '@aws-cdk/aws-']) {
    if (m.startsWith(prefix) && parts.length === 1) return { service: m.slice(prefix.length), name: parts[0]! };
  }
  return undefined;
}

/** A resource's `new`: a class of an AWS module, given a scope and an id (`new X(this, 'Id', …)`); helpers (`new LambdaIntegration(fn)`) are not. */
function isResourceCall(t: ConstructType, call: CallSite): boolean {
  const id = call.args[1];
  return (
    isResourceType(t) &&
    t.name[0]! >= 'A' &&
    t.name[0]! <= 'Z' &&
    call.args[0] !== undefined &&
    call.args[0].k !== 'str' &&
    id !== undefined &&
    (id.k === 'str' || id.k === 'tpl' || id.k === 'ref' || id.k === 'or' || id.k === 'call' || id.k === 'unknown')
  );
}

export interface App {
  ev: CdkEvaluator;
  /** The scripts that import aws-cdk-lib or constructs, sorted. */
  files: string[];
  sites: Site[];
  units: Map<string, Unit>;
  resources: Resource[];
  /** The scopes a function's values are read in (its unit's instantiations first). */
  scopesOf(fn: Fn): Scope[];
}

/** Whether a script takes part: it imports aws-cdk-lib (or the v1 modules, or constructs). */
export function usesCdk(idx: FileIndex): boolean {
  for (const imp of idx.imports.values()) {
    const m = imp.module;
    if (m === 'aws-cdk-lib' || m.startsWith('aws-cdk-lib/') || m.startsWith('@aws-cdk/') || m === 'constructs') return true;
  }
  return false;
}

export function readApp(indexes: ReadonlyMap<string, FileIndex>, resolveImport: (from: string, spec: string) => string | undefined): App {
  const ev = new CdkEvaluator(indexes, resolveImport);
  const files = [...indexes.keys()].filter((f) => usesCdk(indexes.get(f)!)).sort();
  const units = new Map<string, Unit>();

  // Classes that are stacks, stages or constructs: what they extend, followed through the repository's classes.
  const classKinds = new Map<ClassInfo, Unit['kind'] | null>();
  const bases = new Map<ClassInfo, ConstructType>();
  const kindOf = (cls: ClassInfo, depth = 0): Unit['kind'] | undefined => {
    const known = classKinds.get(cls);
    if (known !== undefined) return known ?? undefined;
    classKinds.set(cls, null);
    let kind: Unit['kind'] | undefined;
    if (cls.extends && depth < 8) {
      const base = ev.ident({ file: cls.file }, cls.extends.root);
      if (base?.k === 'class' && cls.extends.names.length === 0) {
        const bc = ev.classOf(base.file, base.name);
        kind = bc ? kindOf(bc, depth + 1) : undefined;
      } else if (base?.k === 'pkg') {
        const name = cls.extends.names[cls.extends.names.length - 1] ?? base.name;
        if (base.pkg === 'constructs' && name === 'Construct') kind = 'construct';
        else if (base.pkg === 'aws-cdk-lib' || base.pkg === '@aws-cdk/core')
          kind = name === 'Stack' || name === 'NestedStack' ? 'stack' : name === 'Stage' ? 'stage' : name === 'Construct' ? 'construct' : undefined;
        else {
          const t = exportType(base.pkg, base.name, cls.extends.names);
          if (t && t.service !== '') {
            kind = 'construct';
            if (isResourceType(t)) bases.set(cls, t);
          }
        }
      }
    }
    classKinds.set(cls, kind ?? null);
    return kind;
  };
  const classUnit = (file: string, name: string): Unit | undefined => {
    const cls = ev.classOf(file, name);
    const kind = cls ? kindOf(cls) : undefined;
    if (!cls || !kind) return undefined;
    const key = `class:${file}#${name}`;
    let u = units.get(key);
    if (!u) {
      units.set(key, (u = { key, name, kind, file, entry: ev.fns.get(`${file}#${name}.constructor`), callers: [], base: bases.get(cls) }));
    }
    return u;
  };
  const unitOf = (fn: Fn): Unit | undefined => {
    for (let f: Fn | undefined = fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) {
      if (f.cls) return classUnit(f.file, f.cls);
      if (f.name === '<module>' || !f.parent) {
        const top = f.name === '<module>';
        const key = top ? `module:${f.file}` : `function:${f.key}`;
        let u = units.get(key);
        if (!u)
          units.set(key, (u = { key, name: top ? f.file : f.name, kind: top ? 'module' : 'function', file: f.file, entry: top ? undefined : f, callers: [] }));
        return u;
      }
    }
    return undefined;
  };

  // The sites, first: the evaluator must know them all before a reference is followed.
  const sites: Site[] = [];
  const fnsOf = (file: string) => [...indexes.get(file)!.functions.values()];
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        if (!call.isNew) continue;
        if (patternSites(ev, file, fn, call, unitOf, sites)) continue;
        const t = constructType(ev, { file, fn }, call);
        if (!t || !isResourceCall(t, call)) continue;
        const unit = unitOf(fn);
        if (!unit) continue;
        const site: Site = { key: siteKey(file, call), file, line: call.line, type: t, call, fn, unit, props: call.args[2] };
        if (ev.sites.has(site.key)) continue;
        ev.sites.set(site.key, site);
        sites.push(site);
      }
    }
    // A class extending an AWS construct class is one resource of that type: its `super(scope, id, props)`.
    for (const cls of indexes.get(file)!.classes.values()) {
      const unit = classUnit(file, cls.name);
      const call = unit?.base && unit.entry?.calls.find((c) => c.root === 'super' && c.names.length === 0);
      if (!unit?.base || !unit.entry || !call || !isResourceCall(unit.base, call)) continue;
      const site: Site = {
        key: siteKey(file, call),
        file,
        line: cls.line,
        type: unit.base,
        call,
        fn: unit.entry,
        unit,
        subclass: cls.name,
        props: call.args[2],
      };
      ev.sites.set(site.key, site);
      sites.push(site);
    }
  }

  // Where units are instantiated: `new OrdersService(this, 'Orders', …)`, and calls of functions that make constructs.
  const makers = new Map<string, Unit>();
  for (const u of units.values()) if (u.kind === 'function' && u.entry) makers.set(u.entry.key, u);
  const makerNames = new Set([...makers.values()].map((u) => u.name));
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      for (const call of fn.calls) {
        const scope = { file, fn };
        if (call.isNew && call.names.length === 0 && call.root !== 'this') {
          const r = ev.ident(scope, call.root);
          const target = r?.k === 'class' ? classUnit(r.file, r.name) : undefined;
          const from = target ? unitOf(fn) : undefined;
          if (target && from) target.callers.push({ unit: from, call, scope });
        } else if (!call.isNew && !call.names.includes('()') && makerNames.has(call.names[call.names.length - 1] ?? call.root)) {
          const r = ev.value(scope, { k: 'ref', path: [call.root, ...call.names].join('.') });
          const target = r?.k === 'fn' ? makers.get(r.key) : undefined;
          const from = target ? unitOf(fn) : undefined;
          if (target && from && from !== target) target.callers.push({ unit: from, call, scope });
        }
      }
    }
  }

  // The stacks a unit's resources are deployed in: a stack's own ids, else those of every unit that instantiates it.
  const stackMemo = new Map<Unit, string[]>();
  const stacksOf = (u: Unit, seen: Set<Unit> = new Set()): string[] => {
    const known = stackMemo.get(u);
    if (known) return known;
    if (seen.has(u)) return [];
    seen.add(u);
    let out: string[];
    if (u.kind === 'stack') {
      const ids = u.callers.map((c) => ev.string(c.scope, c.call.args[1] ?? { k: 'unknown' })).filter((s): s is string => s !== undefined);
      out = ids.length > 0 ? ids : [u.name];
    } else out = u.callers.flatMap((c) => stacksOf(c.unit, seen));
    out = [...new Set(out)].sort();
    stackMemo.set(u, out);
    return out;
  };

  /** The scope of one instantiation: the entry's parameters bound to the call's arguments. */
  /** A unit's part of a construct path: a stack's id when it is made once, else its name. */
  const label = (u: Unit): string => {
    if (u.kind === 'module') return '';
    const stacks = u.kind === 'stack' ? stacksOf(u) : [];
    return stacks.length === 1 ? stacks[0]! : u.name;
  };
  const bind = (fn: Fn, call: CallSite, caller: Scope): InstScope => ({
    file: fn.file,
    fn,
    args: bindArgs(fn, call.args, caller),
    inst: `${caller.file}:${call.line}`,
  });
  // Construct classes and functions are read once per place that makes them (stacks once: their instances are copies of one template).
  const perInstance = (u: Unit) => (u.kind === 'construct' || u.kind === 'function') && u.entry !== undefined && u.callers.length > 0;
  const instancesOf = (u: Unit) => u.callers.slice(0, MAX_INSTANCES).map((c) => ({ caller: c, scope: bind(u.entry!, c.call, c.scope) }));
  for (const u of units.values()) {
    if (u.kind === 'construct' && perInstance(u)) for (const i of instancesOf(u)) ev.instances.set(siteKey(i.caller.scope.file, i.caller.call), i.scope);
  }
  /** Where a unit's resources are read: each instance of a class read per instance, else the unit once. */
  type Read = { scopes: Scope[]; prefix: string; inst: string; stacks: string[]; instance: string };
  const contexts = (u: Unit): Read[] =>
    perInstance(u)
      ? instancesOf(u).map(({ caller, scope }) => {
          // The path CDK gives it: the maker's scope, the instance's id (a class's), the construct's id.
          const instanceId = u.kind === 'construct' ? (ev.string(caller.scope, caller.call.args[1] ?? { k: 'unknown' }) ?? `line ${caller.call.line}`) : '';
          const prefix = [label(caller.unit), instanceId].filter(Boolean).join('/');
          return { scopes: [scope], prefix, inst: scope.inst!, stacks: stacksOf(caller.unit), instance: u.callers.length > 1 ? instanceId : '' };
        })
      : [{ scopes: [], prefix: label(u), inst: '', stacks: stacksOf(u), instance: '' }];
  /**
   * A class's own method that makes constructs or calls on them (`this.makeHandler(props, 'Orders')`)
   * is read once per call, in each context of the class; a call from another such method, in each
   * read of that one (`this.addRoutes(api)` calling `this.addRoute(api, 'GET', …)`).
   */
  const methodReads = (u: Unit, fn: Fn, seen: ReadonlySet<Fn> = new Set()): Read[] => {
    const method = fn.cls && fn.name.startsWith(`${fn.cls}.`) ? fn.name.slice(fn.cls.length + 1) : undefined;
    if (!method || fn === u.entry || seen.has(fn)) return [];
    const calls = [...indexes.get(fn.file)!.functions.values()]
      .filter((f) => f.cls === fn.cls && f !== fn)
      .flatMap((f) => f.calls.filter((c) => c.root === 'this' && c.names.length === 1 && c.names[0] === method).map((c) => ({ f, c })))
      .slice(0, MAX_INSTANCES);
    const within = new Set(seen).add(fn);
    // The reads of the method each call is in: its own, when it is a method read per call, else the class's contexts.
    const callerReads = new Map<Fn, Read[] | undefined>();
    for (const { f } of calls) if (!callerReads.has(f)) callerReads.set(f, f === u.entry ? undefined : methodReads(u, f, within));
    return contexts(u)
      .flatMap((ctx) =>
        calls.flatMap(({ f, c }) => {
          const reads = callerReads.get(f);
          const froms = reads?.length ? reads.filter((r) => r.inst === ctx.inst || r.inst.startsWith(`${ctx.inst}>`)) : [ctx];
          return froms.map((from) => {
            const caller = (f === u.entry || reads?.length) && from.scopes[0] ? from.scopes[0] : { file: f.file, fn: f };
            const scope = bind(fn, c, caller);
            scope.inst = `${from.inst}>${callPlace(f, c)}`;
            return { ...from, scopes: [scope], inst: scope.inst };
          });
        }),
      )
      .slice(0, MAX_METHOD_READS);
  };

  /** The scopes a function's values are read in (a callback's and a loop's body's: the evaluator's `scopesWith`). */
  const scopesOf = (fn: Fn): Scope[] => ev.scopesWith(fn, ownScopes);
  const ownScopes = (fn: Fn): Scope[] => {
    const u = unitOf(fn);
    const own = { file: fn.file, fn };
    if (u?.entry === fn && u.callers.length > 0) return [...instancesOf(u).map((i) => i.scope), own];
    const methods = u ? methodReads(u, fn) : [];
    return methods.length > 0 ? methods.map((r) => r.scopes[0]!) : [own];
  };

  const resources: Resource[] = [];
  const paths = new Set<string>();
  for (const site of sites) {
    const u = site.unit;
    const methods = methodReads(u, site.fn);
    const reads: Read[] =
      perInstance(u) && site.fn === u.entry
        ? contexts(u)
        : methods.length > 0
          ? methods
          : [{ scopes: scopesOf(site.fn), prefix: label(u), inst: '', stacks: stacksOf(u), instance: '' }];
    for (const r of reads) {
      // A subclass's resource is the instance itself: named by its class, at the instance's path.
      const own = site.subclass ?? ev.stringIn(r.scopes, site.call.args[1]) ?? `line ${site.line}`;
      const id = site.part ? `${own}/${site.part.member}` : own;
      let path = site.subclass && r.prefix ? r.prefix : r.prefix ? `${r.prefix}/${id}` : id;
      if (paths.has(path)) path = `${path}@${site.file}:${site.line}`;
      if (paths.has(path)) continue;
      paths.add(path);
      const name = r.instance && !site.subclass ? `${r.instance}/${id}` : id;
      const res: Resource = { key: `${site.key}|${r.inst}`, site, scopes: r.scopes, id, name, path, stacks: r.stacks };
      resources.push(res);
      ev.resources.set(res.key, res);
      if (!ev.firstOfSite.has(site.key)) ev.firstOfSite.set(site.key, res);
    }
  }
  return { ev, files, sites, units, resources, scopesOf };
}

/**
 * A Solutions Constructs pattern's `new` (`new EventbridgeToSqs(this, 'Id', props)`): a site for
 * each resource it makes, unless given an existing one (solutions.ts). Returns whether it was one.
 */
function patternSites(ev: CdkEvaluator, file: string, fn: Fn, call: CallSite, unitOf: (fn: Fn) => Unit | undefined, sites: Site[]): boolean {
  if (call.root === 'this' || call.root === '' || call.names.includes('()')) return false;
  const root = ev.ident({ file, fn }, call.root);
  if (root?.k !== 'pkg') return false;
  const cls = root.name === '*' || root.name === 'default' ? call.names[call.names.length - 1] : call.names.length === 0 ? root.name : undefined;
  const parts = cls === undefined ? undefined : patternOf(root.pkg, cls);
  const unit = parts ? unitOf(fn) : undefined;
  if (!parts || !unit || call.args[0] === undefined || call.args[0].k === 'str' || call.args[1] === undefined) return Boolean(parts);
  // Props written in place, or a constant of the function that makes the pattern (`const props = { … }`).
  const props = call.args[2]?.k === 'obj' ? call.args[2].props : ev.objectIn([{ file, fn }], call.args[2])?.props;
  const key = siteKey(file, call);
  const made = new Map<string, string>();
  for (const p of parts) {
    if (p.existing.some((e) => props !== undefined && Object.hasOwn(props, e))) continue;
    const site: Site = {
      key: partKey(key, p.member),
      file,
      line: call.line,
      type: p.type,
      call,
      fn,
      unit,
      props: props ? props[p.props] : call.args[2]?.k === 'ref' ? { k: 'ref', path: `${call.args[2].path}.${p.props}` } : undefined,
      part: { of: cls!, member: p.member, pattern: key },
    };
    if (ev.sites.has(site.key)) continue;
    ev.sites.set(site.key, site);
    sites.push(site);
    made.set(p.member, site.key);
  }
  if (made.size > 0) ev.patterns.set(key, made);
  return true;
}
