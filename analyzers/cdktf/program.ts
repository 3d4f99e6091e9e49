/**
 * Reading a CDK for Terraform app from the run's script indexes, never synthesising or running
 * it: every `new` of a prebuilt or generated provider's resource class (a site), the stack
 * classes (`extends TerraformStack`) and construct classes (`extends Construct`) that hold them,
 * and where each is instantiated. The app is walked from each stack instantiation down through the
 * construct classes it makes, each with its constructor's parameters bound to that place's
 * arguments, so a resource is known by its construct path in its stack (`posts/storage/table`);
 * the same path in several stacks (dev and prod from one class) is one resource deployed in each.
 * References (`table.arn`, `props.table.name`, `code.asset.path`) are resolved by the evaluator,
 * which here knows a resource site as a value, and `path.join`/`path.resolve`/`__dirname` as paths.
 */
import { posix } from 'node:path';
import { bindArgs, type Resolved, type Scope } from '../../src/analysis/evaluate.js';
import type { CallSite, ClassInfo, FileIndex, Fn, Value } from '../../src/analysis/index-file.js';
import { InstanceEvaluator, siteKey, type InstanceValue, type InstScope, type SiteValue } from '../../src/analysis/instances.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';

/** A resource class: its provider, the Terraform type it synthesises to, and the class as written. */
export interface ResourceType {
  /** `aws`, `google`, `azurerm`, `kubernetes`, `local`…; `cdktf` for the core's TerraformAsset. */
  provider: string;
  /** `aws_dynamodb_table`; `asset` for a TerraformAsset. */
  tf: string;
  /** `DynamodbTable`. */
  cls: string;
}

export interface Site {
  key: string;
  file: string;
  line: number;
  type: ResourceType;
  call: CallSite;
  fn: Fn;
}

/** One resource: a site at one construct path, deployed in the stacks listed. */
export interface Resource {
  key: string;
  site: Site;
  /** The scopes its values are read in: its first instantiation's (arguments bound), then its own. */
  scopes: Scope[];
  /** Each instantiation's scope (one per stack that deploys it, at most): where its settings may differ. */
  reads: Scope[];
  /** The construct id (`'table'`), else `line N`. */
  id: string;
  /** The construct path in its stack: `posts/storage/table`. */
  path: string;
  stacks: string[];
}

export interface Stack {
  name: string;
  cls: string;
  file: string;
  line: number;
  scope: InstScope;
}

/** Classes of the cdktf core that take part: a stack's outputs, variables and state backend; an asset is a resource's code. */
const BACKENDS = new Set([
  'RemoteBackend',
  'CloudBackend',
  'S3Backend',
  'GcsBackend',
  'AzurermBackend',
  'LocalBackend',
  'HttpBackend',
  'PgBackend',
  'ConsulBackend',
]);

/** Provider packages whose Terraform prefix differs from their name. */
const PREFIX: Record<string, string> = { 'google-beta': 'google' };

/** Where an instantiation chain stops: how deep construct classes nest, and how many reads one site gets. */
const MAX_DEPTH = 8;
const MAX_READS = 32;

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The provider and Terraform type a module's export names: `@cdktf/provider-aws/lib/dynamodb-table` `DynamodbTable`; `@cdktf/provider-aws` `dynamodbTable` then `.DynamodbTable`; `./.gen/providers/aws/lib/s3-bucket`. */
export function resourceType(module: string, name: string, names: readonly string[]): ResourceType | undefined {
  const parts = name === '*' || name === 'default' ? [...names] : [name, ...names];
  const cls = parts[parts.length - 1];
  if (!cls || cls[0]! < 'A' || cls[0]! > 'Z') return undefined;
  let provider: string | undefined;
  let rest = '';
  if (module.startsWith('@cdktf/provider-')) {
    const slash = module.indexOf('/', 16);
    provider = slash < 0 ? module.slice(16) : module.slice(16, slash);
    rest = slash < 0 ? '' : module.slice(slash + 1);
  } else {
    const at = module.indexOf('.gen/providers/');
    if (at < 0) return undefined;
    const tail = module.slice(at + 15);
    const slash = tail.indexOf('/');
    provider = slash < 0 ? tail : tail.slice(0, slash);
    rest = slash < 0 ? '' : tail.slice(slash + 1);
  }
  if (!provider) return undefined;
  // The module's folder is the type without its prefix (`lib/dynamodb-table`), else a namespace (`dynamodbTable.DynamodbTable`), else the class.
  const seg = rest
    .replace(/^lib\//, '')
    .replace(/\/index(\.[cm]?[jt]s)?$/, '')
    .replace(/\.[cm]?[jt]s$/, '');
  const bare = seg && !seg.includes('/') ? seg.replace(/-/g, '_') : parts.length >= 2 ? snake(parts[parts.length - 2]!) : snake(cls);
  // Providers (a region's credentials) and data sources (reads of what exists) are no resources.
  if (bare === 'provider' || cls.endsWith('Provider') || bare.startsWith('data_') || /^Data[A-Z]/.test(cls)) return undefined;
  const prefix = PREFIX[provider] ?? provider.replace(/-/g, '_');
  return { provider: prefix, tf: `${prefix}_${bare}`, cls };
}

/**
 * The evaluator, knowing resource sites (`new S3Bucket(…)` is that site, in the instance its scope is
 * read in; any attribute of it, `bucket.arn`, denotes it), each instantiation of a construct class
 * by the instance it is made in, and paths as Node.js builds them (`__dirname` is the script's
 * folder, written from the repository's root as `/dir`; a relative path is the app's folder's).
 */
export class CdktfEvaluator extends InstanceEvaluator<Site, Resource> {
  /** Instantiations of construct classes by `new`'s key and the instance it is made in (`key@inst`). */
  readonly nested = new Map<string, InstScope>();

  constructor(
    indexes: ReadonlyMap<string, FileIndex>,
    resolveImport: (from: string, spec: string) => string | undefined,
    private readonly appRoot: (file: string) => string,
  ) {
    super(indexes, resolveImport);
  }

  override ident(scope: Scope, name: string, depth = 0): ReturnType<InstanceEvaluator<Site, Resource>['ident']> {
    if (name === '__dirname') return { k: 'str', value: `/${dirOf(scope.file)}`.replace(/\/\.$/, '/') };
    if (name === '__filename') return { k: 'str', value: `/${scope.file}` };
    return super.ident(scope, name, depth);
  }

  /** `'orders-' + props.stage`: a concatenation of strings is their text (the index keeps its parts, not its value). */
  override value(scope: Scope, v: Value, depth = 0): ReturnType<InstanceEvaluator<Site, Resource>['value']> {
    if (v.k !== 'unknown' || !v.cat?.length) return super.value(scope, v, depth);
    const parts = v.cat.map((x) => this.value(scope, x, depth + 1));
    if (!parts.some((x) => x?.k === 'str') || !parts.every((x) => x?.k === 'str' || x?.k === 'num')) return undefined;
    return { k: 'str', value: parts.map((x) => String((x as { value: string | number }).value)).join('') };
  }

  protected override createdFrom(
    root: Resolved | SiteValue | InstanceValue,
    scope: Scope,
    call: CallSite,
    env: string[],
    depth: number,
  ): Resolved | SiteValue | InstanceValue | undefined {
    if (root.k === 'pkg' && (root.pkg === 'path' || root.pkg === 'node:path') && call.names.length <= 1 && !call.isNew) {
      const method = call.names[0] ?? root.name;
      const args = call.args.map((a) => this.string(scope, a, depth + 1));
      if (args.some((a) => a === undefined)) return undefined;
      const value = pathCall(method, args as string[], this.appRoot(scope.file));
      return value === undefined ? undefined : { k: 'str', value };
    }
    if (call.isNew && root.k === 'class') {
      const inst = this.nested.get(`${siteKey(scope.file, call)}@${(scope as InstScope).inst ?? ''}`);
      if (inst) return { k: 'cinst', file: root.file, name: root.name, scope: inst };
    }
    return super.createdFrom(root, scope, call, env, depth);
  }

  /** A path as the repository knows it (`posts/api/lambda`), from a value the evaluator reads as a path. */
  repoPath(scope: Scope, v: Value | undefined): string | undefined {
    const s = v ? this.string(scope, v) : undefined;
    if (s === undefined) return undefined;
    const out = s.startsWith('/') ? joinPosix(s.slice(1)) : joinPosix(this.appRoot(scope.file), s);
    return out.startsWith('..') ? undefined : out;
  }
}

/** `path.join`, `resolve`, `dirname`, `basename` on paths written from the repository's root (`/dir`) or relative ones. */
function pathCall(method: string, args: string[], appRoot: string): string | undefined {
  switch (method) {
    case 'join':
      return args.length ? posix.join(...args) : undefined;
    case 'resolve': {
      let out = '';
      for (let i = args.length - 1; i >= 0 && !out.startsWith('/'); i--) out = out ? posix.join(args[i]!, out) : args[i]!;
      return out.startsWith('/') ? posix.normalize(out) : posix.join(`/${appRoot}`, out);
    }
    case 'dirname':
      return args[0] === undefined ? undefined : posix.dirname(args[0]);
    case 'basename':
      return args[0] === undefined ? undefined : posix.basename(args[0], args[1]);
    default:
      return undefined;
  }
}

export interface Program {
  ev: CdktfEvaluator;
  files: string[];
  resources: Resource[];
  /** Assets (`new TerraformAsset(…)`), read as resources are, never emitted: what a function's code is. */
  assets: Resource[];
  /** Resources by key. */
  byKey: Map<string, Resource>;
  stacks: Stack[];
  /** Per stack (by name): its outputs, variables and state backend. */
  stackDetails: Map<string, { outputs: string[]; variables: string[]; backend?: string }>;
}

/** Whether a script takes part: it imports cdktf, a provider's bindings, or constructs. */
export function usesCdktf(idx: FileIndex): boolean {
  for (const imp of idx.imports.values()) {
    const m = imp.module;
    if (m === 'cdktf' || m.startsWith('@cdktf/provider-') || m.includes('.gen/providers/') || m === 'constructs') return true;
  }
  return false;
}

type Unit = { key: string; kind: 'stack' | 'construct'; cls: ClassInfo; entry?: Fn };

export function readProgram(
  indexes: ReadonlyMap<string, FileIndex>,
  resolveImport: (from: string, spec: string) => string | undefined,
  appRoot: (file: string) => string,
): Program {
  const ev = new CdktfEvaluator(indexes, resolveImport, appRoot);
  const files = [...indexes.keys()].filter((f) => usesCdktf(indexes.get(f)!)).sort();
  const fnsOf = (file: string) => [...indexes.get(file)!.functions.values()];

  // Stack and construct classes: what they extend, followed through the repository's classes.
  const kinds = new Map<ClassInfo, Unit['kind'] | null>();
  const kindOf = (cls: ClassInfo, depth = 0): Unit['kind'] | undefined => {
    const known = kinds.get(cls);
    if (known !== undefined) return known ?? undefined;
    kinds.set(cls, null);
    let kind: Unit['kind'] | undefined;
    const base = cls.extends && depth < MAX_DEPTH ? ev.ident({ file: cls.file }, cls.extends.root) : undefined;
    if (base?.k === 'class' && cls.extends!.names.length === 0) {
      const bc = ev.classOf(base.file, base.name);
      kind = bc ? kindOf(bc, depth + 1) : undefined;
    } else if (base?.k === 'pkg') {
      const name = cls.extends!.names[cls.extends!.names.length - 1] ?? base.name;
      if (name === 'TerraformStack' && base.pkg === 'cdktf') kind = 'stack';
      else if (name === 'Construct' && (base.pkg === 'constructs' || base.pkg === 'cdktf')) kind = 'construct';
    }
    kinds.set(cls, kind ?? null);
    return kind;
  };
  const unitOfClass = (file: string, name: string): Unit | undefined => {
    const cls = ev.classOf(file, name);
    const kind = cls ? kindOf(cls) : undefined;
    return cls && kind ? { key: `${file}#${name}`, kind, cls, entry: ev.fns.get(`${file}#${name}.constructor`) } : undefined;
  };
  /** The class a function is written in (a method, or a callback inside one). */
  const classFnOf = (fn: Fn): Fn | undefined => {
    for (let f: Fn | undefined = fn; f; f = f.parent ? ev.fns.get(f.parent) : undefined) if (f.cls) return f;
    return undefined;
  };

  // The sites, and the `new`s of construct and stack classes, by the class that makes them ('' for none).
  const sites: Site[] = [];
  const sitesIn = new Map<string, Site[]>();
  const children = new Map<string, { call: CallSite; fn: Fn; unit: Unit }[]>();
  const stackCalls: { call: CallSite; fn: Fn; unit: Unit }[] = [];
  const core: { call: CallSite; fn: Fn; name: string }[] = [];
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const file of files) {
    for (const fn of fnsOf(file)) {
      const owner = classFnOf(fn);
      const ownerKey = owner ? `${file}#${owner.cls}` : '';
      for (const call of fn.calls) {
        if (!call.isNew || call.root === 'this' || call.root === '' || call.names.includes('()')) continue;
        const root = ev.ident({ file, fn }, call.root);
        if (root?.k === 'class' && call.names.length === 0) {
          const u = unitOfClass(root.file, root.name);
          if (u?.kind === 'construct') push(children, ownerKey, { call, fn, unit: u });
          else if (u?.kind === 'stack') stackCalls.push({ call, fn, unit: u });
          continue;
        }
        if (root?.k !== 'pkg') continue;
        if (root.pkg === 'cdktf') {
          const name = call.names[call.names.length - 1] ?? root.name;
          if (name === 'TerraformAsset') {
            const site: Site = { key: siteKey(file, call), file, line: call.line, type: { provider: 'cdktf', tf: 'asset', cls: name }, call, fn };
            ev.sites.set(site.key, site);
            sites.push(site);
            push(sitesIn, ownerKey, site);
          } else core.push({ call, fn, name });
          continue;
        }
        const type = resourceType(root.pkg, root.name, call.names);
        // A resource is given a scope and an id: `new S3Bucket(this, 'bucket', { … })`.
        if (!type || !call.args[0] || call.args[0].k === 'str' || !call.args[1]) continue;
        const site: Site = { key: siteKey(file, call), file, line: call.line, type, call, fn };
        if (ev.sites.has(site.key)) continue;
        ev.sites.set(site.key, site);
        sites.push(site);
        push(sitesIn, ownerKey, site);
      }
    }
  }

  const bind = (fn: Fn, call: CallSite, caller: Scope, inst: string): InstScope => ({ file: fn.file, fn, args: bindArgs(fn, call.args, caller), inst });
  /** A function of a unit read in one of its instances: the constructor with its arguments bound, any other keeping the instance for `this`. */
  const within = (u: Unit, scope: InstScope, fn: Fn): InstScope => (fn === u.entry ? scope : { file: fn.file, fn, inst: scope.inst });

  // Reads: each site at each construct path in each stack, grouped by path.
  const byPath = new Map<string, Resource>();
  const reads = new Map<string, number>();
  const read = (site: Site, scope: Scope, prefix: string[], stack: string | undefined) => {
    const n = reads.get(site.key) ?? 0;
    if (n >= MAX_READS) return;
    reads.set(site.key, n + 1);
    const id = ev.stringIn([scope], site.call.args[1]) ?? `line ${site.line}`;
    const path = [...prefix, id].join('/');
    const key = `${site.key}|${path}`;
    let r = byPath.get(key);
    if (!r) byPath.set(key, (r = { key, site, scopes: [scope, { file: site.file, fn: site.fn }], reads: [], id, path, stacks: [] }));
    if (stack !== undefined && !r.stacks.includes(stack)) r.stacks.push(stack);
    r.reads.push(scope);
    ev.resources.set(`${site.key}|${(scope as InstScope).inst ?? ''}`, r);
    if (!ev.firstOfSite.has(site.key)) ev.firstOfSite.set(site.key, r);
  };
  const visited = new Set<string>();
  const visit = (u: Unit, scope: InstScope, prefix: string[], stack: string | undefined, depth: number) => {
    visited.add(u.key);
    for (const site of sitesIn.get(u.key) ?? []) read(site, within(u, scope, site.fn), prefix, stack);
    if (depth >= MAX_DEPTH) return;
    for (const child of children.get(u.key) ?? []) {
      if (!child.unit.entry) continue;
      const at = within(u, scope, child.fn);
      const key = siteKey(child.fn.file, child.call);
      const inner = bind(child.unit.entry, child.call, at, `${scope.inst ?? ''}>${key}`);
      ev.nested.set(`${key}@${scope.inst ?? ''}`, inner);
      if (!ev.instances.has(key)) ev.instances.set(key, inner);
      const id = ev.string(at, child.call.args[1] ?? { k: 'unknown' }) ?? `line ${child.call.line}`;
      visit(child.unit, inner, [...prefix, id], stack, depth + 1);
    }
  };

  // Each stack instantiation (`new PostsStack(app, 'posts-dev', { … })`) is a stack, walked down from its class.
  const stacks: Stack[] = [];
  for (const s of stackCalls) {
    const caller: InstScope = { file: s.fn.file, fn: s.fn };
    const key = siteKey(s.fn.file, s.call);
    const name = ev.string(caller, s.call.args[1] ?? { k: 'unknown' }) ?? s.unit.cls.name;
    const scope: InstScope = s.unit.entry ? bind(s.unit.entry, s.call, caller, `stack:${key}`) : { file: s.unit.cls.file, inst: `stack:${key}` };
    ev.nested.set(`${key}@`, scope);
    if (!ev.instances.has(key)) ev.instances.set(key, scope);
    stacks.push({ name, cls: s.unit.cls.name, file: s.fn.file, line: s.call.line, scope });
  }
  for (const s of stacks) {
    const u = unitOfClass(s.scope.file, s.cls);
    if (u) visit(u, s.scope, [], s.name, 0);
  }
  // Classes no stack reaches (never instantiated, or only from code not read) are read once, as written.
  for (const file of files) {
    for (const cls of indexes.get(file)!.classes.values()) {
      const u = unitOfClass(file, cls.name);
      if (!u || visited.has(u.key)) continue;
      const own: InstScope = { file, ...(u.entry ? { fn: u.entry } : {}), inst: `class:${u.key}` };
      if (u.kind === 'stack') stacks.push({ name: cls.name, cls: cls.name, file, line: cls.line, scope: own });
      visit(u, own, [], u.kind === 'stack' ? cls.name : undefined, 0);
    }
  }
  // Sites outside any class (a script's top level, a function): read once.
  for (const site of sitesIn.get('') ?? []) read(site, { file: site.file, fn: site.fn }, [], undefined);

  // Outputs, variables and backends, by the stack they are made in (`this` in a stack's class, or a stack instance).
  const stackDetails = new Map<string, { outputs: string[]; variables: string[]; backend?: string }>();
  const detailsOf = (name: string) => {
    let d = stackDetails.get(name);
    if (!d) stackDetails.set(name, (d = { outputs: [], variables: [] }));
    return d;
  };
  for (const c of core) {
    const owner = classFnOf(c.fn);
    const scope = { file: c.fn.file, fn: c.fn };
    const target = c.call.args[0] ? ev.value(scope, c.call.args[0]) : undefined;
    const names = target?.k === 'cinst' ? stacks.filter((s) => s.scope === (target as InstanceValue).scope).map((s) => s.name) : [];
    const inClass =
      owner && c.call.args[0]?.k === 'ref' && c.call.args[0].path === 'this' ? stacks.filter((s) => s.cls === owner.cls && s.scope.file === c.fn.file) : [];
    const at = [...names, ...inClass.map((s) => s.name)];
    const id = c.call.args[1] ? ev.string(scope, c.call.args[1]) : undefined;
    for (const name of at) {
      if (c.name === 'TerraformOutput' && id) detailsOf(name).outputs.push(id);
      else if (c.name === 'TerraformVariable' && id) detailsOf(name).variables.push(id);
      else if (BACKENDS.has(c.name)) detailsOf(name).backend = c.name.replace(/Backend$/, '').toLowerCase();
    }
  }

  const all = [...byPath.values()];
  for (const r of all) r.stacks.sort();
  const resources = all.filter((r) => r.site.type.tf !== 'asset');
  return {
    ev,
    files,
    resources,
    byKey: new Map(resources.map((r) => [r.key, r])),
    assets: all.filter((r) => r.site.type.tf === 'asset'),
    stacks,
    stackDetails,
  };
}
