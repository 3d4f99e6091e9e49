/**
 * Payload CMS (v2 and v3): the collections and globals of `buildConfig({ collections, globals, db })`
 * as entities, with the tables Payload adds to them and makes for itself. Read from each script's
 * index: the `buildConfig` call among its sites (arguments in full depth, each property's line), and
 * the top-level constants (`shapes.consts`: objects with spreads and lines) of the modules its
 * collections, fields and arrays are imported from, followed through imports and re-exports.
 *
 * Naming and the tables made follow Payload's own source: the SQL adapters (packages/drizzle,
 * schema/build.ts and traverseFields.ts) name a collection's table by its slug in snake case
 * (`to-snake-case`, `dbName` when given), an array field's rows `<table>_<field>`, a `select` with
 * `hasMany` `<table>_<field>`, `hasMany` text and number fields `<table>_texts`/`<table>_numbers`,
 * localized fields `<table>_locales`, and relationships that are polymorphic or `hasMany` (v3; every
 * relationship in v2) `<table>_rels`; a plain relationship is a `<field>_id` column. Payload itself
 * adds `payload-preferences`, `payload-migrations` and (v3) `payload-locked-documents`
 * (config/sanitize.ts), an auth collection's fields (auth/getAuthFields.ts; its `sessions` array from
 * 3.44, `auth.useSessions` on by default), an upload collection's file fields. MongoDB keeps each
 * collection under its slug, arrays inside the document, and every global in one `globals`
 * collection.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Expr, Prop } from '../../src/analysis/shapes.js';
import type { CallSite, Opt } from '../../src/analysis/sites.js';
import { dataStoreId, entityId, storeTech } from '../../src/data/ids.js';
import { claimEntity } from '../../src/data/registry.js';
import { compareStrings, sortedEvidence, sortedUnique } from '../../src/model/compare.js';
import type { DataStore, Entity, Evidence } from '../../src/model/schema.js';
import { STATE_FIELD } from './collect.js';

/** The database adapters, by package: the store each one writes to. */
export const PAYLOAD_ADAPTERS: Record<string, string> = {
  '@payloadcms/db-postgres': 'postgresql',
  '@payloadcms/db-vercel-postgres': 'postgresql',
  '@payloadcms/db-sqlite': 'sqlite',
  '@payloadcms/db-d1-sqlite': 'sqlite',
  '@payloadcms/db-mongodb': 'mongodb',
};

/** Each adapter's factory, by name: the package it comes from. */
const ADAPTER_FACTORIES: Record<string, string> = {
  postgresAdapter: '@payloadcms/db-postgres',
  vercelPostgresAdapter: '@payloadcms/db-vercel-postgres',
  sqliteAdapter: '@payloadcms/db-sqlite',
  sqliteD1Adapter: '@payloadcms/db-d1-sqlite',
  mongooseAdapter: '@payloadcms/db-mongodb',
};

/** Steps followed from a name to its value (imports, re-exports, constants), at most. */
const MAX_HOPS = 16;
/** Levels of nested fields read (groups, rows, tabs, arrays); deeper ones are left out. */
const MAX_FIELD_DEPTH = 12;
/** Fields read per collection, at most. */
const MAX_FIELDS = 2000;
/** The Payload version that adds the `sessions` array to auth collections (payloadcms/payload#12483). */
const SESSIONS_SINCE: [number, number] = [3, 44];
/** Field types that hold no data (presentational, or read from other collections). */
const VIRTUAL = new Set(['ui', 'join']);
/** Field types whose sub-fields sit in the parent's own row: `row` and `collapsible` always, `group` and a tab without a name. */
const LAYOUT = new Set(['row', 'collapsible']);

type Field = Entity['fields'][number];
type Relation = Entity['relations'][number];

/** An expression and the file it is written in. */
interface Ref {
  file: string;
  e: Expr;
}

/** A field as the collection's config writes it, nested fields flattened into dotted paths. */
interface PField {
  /** Path as written (`seo.title` inside the named group `seo`). */
  name: string;
  /** Its column in a SQL table: the path's names in snake case, joined by `_`. */
  column: string;
  type: string;
  file: string;
  line: number;
  required?: boolean;
  unique?: boolean;
  localized?: boolean;
  hasMany?: boolean;
  relationTo?: string[];
  polymorphic?: boolean;
  options?: string[];
  default?: string;
  dbName?: string;
  /** An array field's rows. */
  sub?: PField[];
  /** A blocks field's blocks: each one's slug and fields. */
  blocks?: { slug: string; file: string; line: number; fields: PField[] }[];
  /** Added by Payload itself (an auth collection's sessions). */
  managed?: boolean;
}

/** A collection or global read from the config. */
interface Doc {
  slug: string;
  global: boolean;
  file: string;
  /** The `slug` line, else the object's. */
  line: number;
  /** Where the config lists it. */
  listed?: Evidence;
  dbName?: string;
  auth?: { local: boolean; sessions: boolean; username: boolean; verify: boolean; lock: boolean; apiKey: boolean };
  upload?: { focal: boolean; sizes: string[] };
  timestamps: boolean;
  /** `orderable: true`: Payload keeps the documents' order in an `_order` field (config/orderable). */
  orderable?: boolean;
  fields: PField[];
  managed?: boolean;
}

/** One `buildConfig(…)` call and what it declares. */
interface Config {
  file: string;
  line: number;
  v2: boolean;
  sessions: boolean;
  localized: boolean;
  docs: Doc[];
  /** Elements of `collections` and `globals` that could not be read (a factory's result, a package's list): with one among the collections, Payload's default users collection is not assumed. */
  unread: { at: Evidence; global: boolean }[];
  stores: { tech: string; evidence: Evidence; envVars: string[]; idType?: string }[];
}

/** `to-snake-case`, as Payload's SQL adapters name tables and columns: `blogPosts` → `blog_posts`, `thumbnailURL` → `thumbnail_u_r_l`, `payload-preferences` → `payload_preferences`. */
export function payloadSnake(s: string): string {
  const isUpper = (c: string) => c >= 'A' && c <= 'Z';
  const isWord = (c: string) => /[A-Za-z0-9]/.test(c);
  let spaced: string;
  if (/\s/.test(s)) spaced = s.toLowerCase();
  else if (/[_\-.:]/.test(s)) spaced = s.toLowerCase();
  else {
    // Every upper-case letter after the first character starts a word of its own.
    let out = '';
    for (let i = 0; i < s.length; i++) out += i > 0 && isUpper(s[i]!) ? ` ${s[i]!.toLowerCase()}` : s[i]!.toLowerCase();
    spaced = out;
  }
  // Runs of anything but letters and digits become one space; the ends are trimmed.
  let out = '';
  let gap = false;
  for (const c of spaced) {
    if (isWord(c)) {
      if (gap && out.length > 0) out += '_';
      out += c;
      gap = false;
    } else gap = true;
  }
  return out;
}

/** The lowest version a dependency's range allows (`^3.69.0` → [3, 69]); undefined when it names none. */
function lowestVersion(range: string | undefined): [number, number] | undefined {
  const m = range ? /(\d+)\.(\d+)/.exec(range) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * An option reading (`sites.ts`) as an expression: objects (spreads are not read there), arrays,
 * literals, names, calls by callee. A name of one of the file's top-level constants stays a name: the
 * constant's own expression is read in full depth, where an option reading stops at eight levels.
 */
function fromOpt(o: Opt, consts: ReadonlyMap<string, Expr>, depth = 0): Expr {
  if (depth > 32) return { k: 'other' };
  if (o.label !== undefined && consts.has(o.label)) return { k: 'id', name: o.label };
  if (o.obj) {
    const props: Prop[] = o.obj.map((p) =>
      p.key !== undefined && p.v ? { k: 'prop', name: p.key, line: p.line, e: fromOpt(p.v, consts, depth + 1) } : { k: 'prop', line: p.line, method: true },
    );
    return { k: 'obj', props };
  }
  if (o.arr) return { k: 'arr', items: o.arr.map((x) => fromOpt(x, consts, depth + 1)), lines: o.arr.map((x) => x.line) };
  if (o.str !== undefined) return { k: 'str', v: o.str };
  if (o.num !== undefined) return { k: 'num', v: o.num, text: String(o.num) };
  if (o.bool !== undefined) return { k: 'bool', v: o.bool };
  if (o.callee !== undefined) return { k: 'call', line: o.line, callee: chain(o.callee), args: [] };
  if (o.label !== undefined && /^[\w$.]+$/.test(o.label)) return chain(o.label);
  // A spread element (`...pluginCollections`) is read as its text.
  if (o.text?.startsWith('...') && /^[\w$.]+$/.test(o.text.slice(3))) return { k: 'spread', e: chain(o.text.slice(3)) };
  return { k: 'other' };
}

/** `a.b.c` as an expression. */
function chain(text: string): Expr {
  const [head, ...rest] = text.split('.');
  let e: Expr = { k: 'id', name: head ?? '' };
  for (const n of rest) e = { k: 'member', e, name: n };
  return e;
}

const propOf = (e: Expr | undefined, name: string): Extract<Prop, { k: 'prop' }> | undefined =>
  e?.k === 'obj' ? (e.props.find((p) => p.k === 'prop' && p.name === name && p.e) as Extract<Prop, { k: 'prop' }> | undefined) : undefined;

/** Reads the project's Payload configs over the run's indexes. */
export class PayloadReader {
  constructor(
    private readonly ctx: AnalyzerContext,
    private readonly indexes: ReadonlyMap<string, FileIndex>,
  ) {}

  /** What a name, member or spread denotes: followed through the file's constants, imports and re-exports. */
  deref(at: Ref | undefined, hops = 0): Ref | undefined {
    if (!at || hops > MAX_HOPS) return undefined;
    const { file, e } = at;
    if (e.k === 'id') return this.deref(this.lookup(file, e.name, hops + 1), hops + 1);
    if (e.k === 'member') {
      const base = this.deref({ file, e: e.e }, hops + 1);
      const p = propOf(base?.e, e.name);
      return base && p?.e ? this.deref({ file: base.file, e: p.e }, hops + 1) : undefined;
    }
    return at;
  }

  /** A name's value in a file: a top-level constant, else what it imports. */
  private lookup(file: string, name: string, hops: number): Ref | undefined {
    const idx = this.indexes.get(file);
    if (!idx || hops > MAX_HOPS) return undefined;
    const c = idx.shapes.consts.get(name);
    if (c) return { file, e: c };
    const imp = idx.imports.get(name);
    if (!imp) return undefined;
    const target = this.ctx.resolveImport(file, imp.module);
    return target ? this.exported(target, imp.name, hops + 1) : undefined;
  }

  /** What a module exports under a name (`default` included), through `export { x } from` and `export *`. */
  private exported(file: string, name: string, hops: number): Ref | undefined {
    const idx = this.indexes.get(file);
    if (!idx || hops > MAX_HOPS) return undefined;
    if (name === 'default' && idx.shapes.consts.has('<default>')) return { file, e: idx.shapes.consts.get('<default>')! };
    const local = idx.exports.get(name);
    if (local !== undefined && local !== name) return this.lookup(file, local, hops + 1);
    if (local !== undefined || idx.shapes.consts.has(name)) return this.lookup(file, name, hops + 1);
    const re = idx.reexports.get(name);
    if (re) {
      const target = this.ctx.resolveImport(file, re.module);
      return target ? this.exported(target, re.name, hops + 1) : undefined;
    }
    for (const star of idx.starExports) {
      const target = this.ctx.resolveImport(file, star);
      const found = target ? this.exported(target, name, hops + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private str(at: Ref | undefined): string | undefined {
    const r = this.deref(at);
    return r?.e.k === 'str' ? r.e.v : undefined;
  }

  private bool(at: Ref | undefined): boolean | undefined {
    const r = this.deref(at);
    return r?.e.k === 'bool' ? r.e.v : undefined;
  }

  private prop(at: Ref | undefined, name: string): Ref | undefined {
    const r = this.deref(at);
    const p = propOf(r?.e, name);
    return r && p?.e ? { file: r.file, e: p.e } : undefined;
  }

  /**
   * An array's items, spreads of other arrays expanded, each with its file and line; `unread`: the
   * spreads that hold no array read here. At most MAX_FIELDS items in all: arrays spread into
   * arrays spread into arrays (ten of ten of ten…) would otherwise grow without bound.
   */
  items(at: Ref | undefined, hops = 0, budget = { left: MAX_FIELDS }): { items: (Ref & { line: number })[]; unread: Evidence[] } {
    const r = this.deref(at);
    if (!r || r.e.k !== 'arr' || hops > MAX_HOPS) return { items: [], unread: [] };
    const lines = r.e.lines;
    const out: (Ref & { line: number })[] = [];
    const unread: Evidence[] = [];
    for (let i = 0; i < r.e.items.length && budget.left > 0; i++) {
      const item = r.e.items[i]!;
      const line = lines[i] ?? 0;
      if (item.k === 'spread') {
        const inner = this.deref({ file: r.file, e: item.e });
        if (inner?.e.k !== 'arr') unread.push({ file: r.file, line });
        const more = this.items(inner, hops + 1, budget);
        for (const x of more.items) out.push(x);
        for (const x of more.unread) unread.push(x);
      } else {
        out.push({ file: r.file, e: item, line });
        budget.left--;
      }
    }
    return { items: out, unread };
  }

  /** Every `buildConfig(…)` of `payload` (v3) or `payload/config` (v2). */
  configs(): Config[] {
    const out: Config[] = [];
    for (const [file, idx] of [...this.indexes].sort((a, b) => compareStrings(a[0], b[0]))) {
      for (const s of idx.sites.sites) {
        if (s.k !== 'call' || (s.module !== 'payload' && s.module !== 'payload/config')) continue;
        if ((s.imported ?? s.name) !== 'buildConfig' || !s.args[0]) continue;
        const config = this.config(file, idx, s);
        if (config) out.push(config);
      }
    }
    return out;
  }

  private config(file: string, idx: FileIndex, site: CallSite): Config | undefined {
    const arg: Ref = { file, e: fromOpt(site.args[0]!, idx.shapes.consts) };
    if (this.deref(arg)?.e.k !== 'obj') return undefined;
    const range = this.ctx.packageOf(file)?.dependencies.get('payload')?.range;
    const version = lowestVersion(range);
    const v2 = site.module === 'payload/config' || (version !== undefined && version[0] < 3);
    const sessions = !v2 && version !== undefined && (version[0] > SESSIONS_SINCE[0] || (version[0] === SESSIONS_SINCE[0] && version[1] >= SESSIONS_SINCE[1]));
    const loc = this.deref(this.prop(arg, 'localization'));
    const config: Config = {
      file,
      line: site.line,
      v2,
      sessions,
      localized: loc !== undefined && !(loc.e.k === 'bool' && !loc.e.v),
      docs: [],
      unread: [],
      stores: this.stores(file, idx, arg),
    };
    for (const [key, global] of [
      ['collections', false],
      ['globals', true],
    ] as const) {
      const list = this.items(this.prop(arg, key));
      config.unread.push(...list.unread.map((at) => ({ at, global })));
      for (const item of list.items) {
        const doc = this.doc(item, global, sessions);
        if (!doc) {
          config.unread.push({ at: { file: item.file, line: item.line }, global });
          continue;
        }
        doc.listed = { file: item.file, line: item.line };
        config.docs.push(doc);
      }
    }
    return config;
  }

  /** The store of the `db` adapter: the adapter calls of the config's file (several: chosen at run time), else the one adapter package the config's package depends on. */
  private stores(file: string, idx: FileIndex, arg: Ref): Config['stores'] {
    const out: Config['stores'] = [];
    const db = this.deref(this.prop(arg, 'db'));
    // `db: postgresAdapter(…)` written in place, or a constant holding the call.
    const named = db?.e.k === 'call' && db.e.callee.k === 'id' ? db.e.callee.name : db?.e.k === 'id' ? db.e.name : undefined;
    // An adapter's factory imported from its package, or called by its own name where the package
    // is loaded at run time (`const { sqliteAdapter } = require(pkg)`) and the config's package declares it.
    const deps = this.ctx.packageOf(file)?.dependencies;
    const adapterOf = (s: CallSite): string | undefined => {
      if (s.module !== undefined) return PAYLOAD_ADAPTERS[s.module] !== undefined ? s.module : undefined;
      const pkg = s.bare ? ADAPTER_FACTORIES[s.name] : undefined;
      return pkg && deps?.has(pkg) ? pkg : undefined;
    };
    const calls = idx.sites.sites.filter((s): s is CallSite => s.k === 'call' && adapterOf(s) !== undefined);
    const chosen = calls.filter((s) => named !== undefined && (s.name === named || s.assignedTo === named));
    for (const s of chosen.length > 0 ? chosen : calls) {
      const envVars: string[] = [];
      const walk = (o: Opt | undefined, depth: number): void => {
        if (!o || depth > 8) return;
        if (o.env) envVars.push(o.env);
        for (const p of o.obj ?? []) walk(p.v, depth + 1);
        for (const x of o.arr ?? []) walk(x, depth + 1);
        if (o.right) walk(o.right, depth + 1);
      };
      for (const a of s.args) walk(a, 0);
      const idType = s.args[0]?.obj?.find((p) => p.key === 'idType')?.v?.str;
      out.push({ tech: PAYLOAD_ADAPTERS[adapterOf(s)!]!, evidence: { file, line: s.line }, envVars: sortedUnique(envVars), ...(idType ? { idType } : {}) });
    }
    if (out.length === 0) {
      const pkg = this.ctx.packageOf(file);
      const deps = Object.keys(PAYLOAD_ADAPTERS).filter((p) => pkg?.dependencies.has(p));
      if (deps.length === 1 && pkg?.manifestFile)
        out.push({ tech: PAYLOAD_ADAPTERS[deps[0]!]!, evidence: { file: pkg.manifestFile, line: pkg.dependencies.get(deps[0]!)!.line }, envVars: [] });
    }
    return out;
  }

  /** A collection or global config object. */
  private doc(at: Ref & { line: number }, global: boolean, sessions: boolean): Doc | undefined {
    const r = this.deref(at);
    if (!r || r.e.k !== 'obj') return undefined;
    const slugProp = propOf(r.e, 'slug');
    const slug = this.str(this.prop(r, 'slug'));
    if (!slug) return undefined;
    const doc: Doc = {
      slug,
      global,
      file: r.file,
      line: slugProp?.line ?? at.line,
      timestamps: this.bool(this.prop(r, 'timestamps')) !== false,
      fields: [],
    };
    const dbName = this.str(this.prop(r, 'dbName'));
    if (dbName) doc.dbName = dbName;
    if (!global && this.bool(this.prop(r, 'orderable'))) doc.orderable = true;
    const auth = this.deref(this.prop(r, 'auth'));
    if (!global && auth && !(auth.e.k === 'bool' && !auth.e.v)) {
      const opt = (name: string) => (auth.e.k === 'obj' ? this.deref(this.prop(auth, name)) : undefined);
      const flag = (name: string) => {
        const v = opt(name);
        return v !== undefined && !(v.e.k === 'bool' && !v.e.v);
      };
      const attempts = opt('maxLoginAttempts');
      const useSessions = opt('useSessions');
      doc.auth = {
        // `disableLocalStrategy: { enableFields: true }` keeps the fields.
        local: !flag('disableLocalStrategy') || this.bool(this.prop(opt('disableLocalStrategy'), 'enableFields')) === true,
        sessions: sessions && !(useSessions?.e.k === 'bool' && !useSessions.e.v),
        username: flag('loginWithUsername'),
        verify: flag('verify'),
        // Five attempts by default (collections/config/defaults.ts); 0 turns locking off.
        lock: !(attempts?.e.k === 'num' && attempts.e.v <= 0),
        apiKey: flag('useAPIKey'),
      };
    }
    const upload = this.deref(this.prop(r, 'upload'));
    if (!global && upload && !(upload.e.k === 'bool' && !upload.e.v)) {
      const sizes = this.items(this.prop(upload, 'imageSizes')).items.flatMap((s) => {
        const n = this.str(this.prop(s, 'name'));
        return n ? [n] : [];
      });
      doc.upload = { focal: this.bool(this.prop(upload, 'focalPoint')) !== false, sizes };
    }
    const budget = { left: MAX_FIELDS };
    doc.fields = this.fields(this.prop(r, 'fields'), [], 0, budget);
    return doc;
  }

  /** The fields of a `fields` array, layout fields (rows, collapsibles, unnamed groups and tabs) flattened, named groups and tabs as path prefixes. */
  private fields(at: Ref | undefined, prefix: string[], depth: number, budget: { left: number }): PField[] {
    if (depth > MAX_FIELD_DEPTH) return [];
    const out: PField[] = [];
    for (const item of this.items(at).items) {
      if (--budget.left < 0) break;
      const r = this.deref(item);
      if (!r || r.e.k !== 'obj') continue;
      const type = this.str(this.prop(r, 'type'));
      const name = this.str(this.prop(r, 'name'));
      if (!type || VIRTUAL.has(type)) continue;
      if (LAYOUT.has(type) || (type === 'group' && !name)) {
        out.push(...this.fields(this.prop(r, 'fields'), prefix, depth + 1, budget));
        continue;
      }
      if (type === 'tabs') {
        for (const tab of this.items(this.prop(r, 'tabs')).items) {
          const tabName = this.str(this.prop(tab, 'name'));
          out.push(...this.fields(this.prop(tab, 'fields'), tabName ? [...prefix, tabName] : prefix, depth + 1, budget));
        }
        continue;
      }
      if (!name) continue;
      if (type === 'group') {
        out.push(...this.fields(this.prop(r, 'fields'), [...prefix, name], depth + 1, budget));
        continue;
      }
      const path = [...prefix, name];
      const f: PField = {
        name: path.join('.'),
        column: path.map(payloadSnake).join('_'),
        type,
        file: r.file,
        line: propOf(r.e, 'name')?.line ?? item.line,
      };
      if (this.bool(this.prop(r, 'required'))) f.required = true;
      if (this.bool(this.prop(r, 'unique'))) f.unique = true;
      if (this.bool(this.prop(r, 'localized'))) f.localized = true;
      if (this.bool(this.prop(r, 'hasMany'))) f.hasMany = true;
      const dbName = this.str(this.prop(r, 'dbName'));
      if (dbName) f.dbName = dbName;
      if (type === 'relationship' || type === 'upload') {
        const to = this.deref(this.prop(r, 'relationTo'));
        if (to?.e.k === 'arr') {
          f.polymorphic = true;
          f.relationTo = this.items(to).items.flatMap((x) => {
            const s = this.str(x);
            return s ? [s] : [];
          });
        } else {
          const s = this.str(to);
          if (s) f.relationTo = [s];
        }
      }
      if (type === 'select' || type === 'radio') {
        const options = this.items(this.prop(r, 'options')).items.flatMap((o) => {
          const s = this.str(o) ?? this.str(this.prop(o, 'value'));
          return s !== undefined ? [s] : [];
        });
        if (options.length > 0) f.options = options;
      }
      const d = this.deref(this.prop(r, 'defaultValue'));
      if (d?.e.k === 'str' || d?.e.k === 'bool') f.default = String(d.e.v);
      else if (d?.e.k === 'num') f.default = d.e.text;
      if (type === 'array') f.sub = this.fields(this.prop(r, 'fields'), [], depth + 1, budget);
      if (type === 'blocks') {
        f.blocks = [];
        for (const b of this.items(this.prop(r, 'blocks')).items) {
          const block = this.deref(b);
          const slug = this.str(this.prop(block, 'slug'));
          if (!block || !slug) continue;
          const line = (block.e.k === 'obj' && propOf(block.e, 'slug')?.line) || b.line;
          f.blocks.push({ slug, file: block.file, line, fields: this.fields(this.prop(block, 'fields'), [], depth + 1, budget) });
        }
      }
      out.push(f);
    }
    return out;
  }
}

/** What one config makes: its entities and the stores they are in. */
export function payloadEntities(ctx: AnalyzerContext, config: Config): { entities: Entity[]; stores: DataStore[] } {
  const techs = sortedUnique(config.stores.map((s) => s.tech));
  const tech = techs.length === 1 ? techs[0] : undefined;
  // Every adapter the config may choose is a SQL one: Payload's SQL tables, whichever runs.
  const sql = techs.length > 0 && !techs.includes('mongodb');
  const store = tech ? dataStoreId(storeTech(tech)!.tech) : undefined;
  const idType = sql ? (config.stores.find((s) => s.idType)?.idType === 'uuid' ? 'uuid' : 'serial') : tech === 'mongodb' ? 'ObjectId' : 'id';
  const component = ctx.componentOf(config.file);
  const at: Evidence = { file: config.file, line: config.line };
  const entities: Entity[] = [];

  const docs = [...config.docs];
  // With no auth collection, Payload adds its default `users` (auth/defaultUser.ts).
  if (!config.unread.some((u) => !u.global) && !docs.some((d) => d.auth) && !docs.some((d) => d.slug === 'users')) {
    docs.push({ slug: 'users', global: false, file: config.file, line: config.line, timestamps: true, fields: [], managed: true, auth: authDefaults(config) });
  }
  // The collections Payload makes for itself (config/sanitize.ts): preferences and migrations,
  // and in v3 the documents locked for editing. Their relationships are polymorphic: a `_rels` table each.
  const authSlugs = docs.filter((d) => d.auth).map((d) => d.slug);
  const allSlugs = docs.filter((d) => !d.global).map((d) => d.slug);
  const managed = (slug: string, fields: PField[]): Doc => ({
    slug,
    global: false,
    file: config.file,
    line: config.line,
    timestamps: true,
    fields,
    managed: true,
  });
  const mf = (name: string, type: string, extra: Partial<PField> = {}): PField => ({
    name,
    column: payloadSnake(name),
    type,
    file: config.file,
    line: config.line,
    ...extra,
  });
  if (!config.v2) {
    docs.push(
      managed('payload-locked-documents', [
        mf('document', 'relationship', { relationTo: allSlugs, polymorphic: true }),
        mf('globalSlug', 'text'),
        mf('user', 'relationship', { relationTo: authSlugs, polymorphic: true, required: true }),
      ]),
    );
  }
  docs.push(
    managed('payload-preferences', [
      mf('user', 'relationship', { relationTo: authSlugs, polymorphic: true, required: true }),
      mf('key', 'text'),
      mf('value', 'json'),
    ]),
    managed('payload-migrations', [mf('name', 'text'), mf('batch', 'number')]),
  );

  const tableOf = (slug: string): string => {
    const d = docs.find((x) => x.slug === slug && !x.global);
    return d?.dbName ?? (sql ? payloadSnake(slug) : slug);
  };

  for (const doc of docs) {
    const table = doc.global && !sql ? 'globals' : (doc.dbName ?? (sql ? payloadSnake(doc.slug) : doc.slug));
    const id = entityId(doc.global && !sql ? `globals.${doc.slug}` : table);
    const evidence: Evidence[] = doc.managed ? [at] : [{ file: doc.file, line: doc.line }, ...(doc.listed ? [doc.listed] : [])];
    const written = [...doc.fields, ...implicitFields(doc, config)];
    const root: Entity = {
      id,
      name: doc.managed && sql ? table : doc.slug,
      table,
      orm: 'payload',
      fields: [],
      relations: [],
      evidence: sortedEvidence(evidence),
    };
    const details: NonNullable<Entity['details']> = {};
    if (doc.global) details.kind = 'global';
    if (doc.auth) details.auth = true;
    if (doc.upload) details.upload = true;
    if (doc.managed) details.managedBy = 'Payload';
    if (Object.keys(details).length > 0) root.details = details;
    const hasCustomId = written.some((f) => f.name === 'id');
    if (!hasCustomId) root.fields.push({ name: 'id', type: idType, id: true });
    const children: Entity[] = [];
    const parentType = idType === 'uuid' ? 'uuid' : 'integer';
    const rels = new Set<string>();
    let texts = false;
    let numbers = false;
    let locales = false;

    /**
     * Adds a table's fields and relations. The tables a SQL adapter makes for the developer's own
     * fields (an array's rows, blocks, a `hasMany` select's values, `_texts`/`_numbers`, `_locales`,
     * the collection's `_rels`) are part of the collection: its fields, not entities of their own;
     * only the tables Payload makes for itself (its own collections' and an auth collection's sessions) are.
     */
    const fill = (e: Entity, fields: PField[], path: string, depth: number): void => {
      for (const f of fields) {
        const key = path ? `${path}.${f.name}` : f.name;
        if (f.localized && config.localized && sql) locales = true;
        if (f.type === 'array' && sql && (doc.managed || f.managed) && depth < MAX_FIELD_DEPTH) {
          // An array Payload adds (an auth collection's sessions): its rows' table, `_parent_id` to the table around, the row's own text `id`.
          const child = subTable(
            f.dbName ?? `${e.table}_${f.column}`,
            [
              { name: '_order', type: 'integer' },
              { name: '_parent_id', type: parentType },
              { name: 'id', type: 'varchar', id: true },
            ],
            { name: '_parent', target: e.id, cardinality: 'many-to-one', foreignKey: '_parent_id' },
            [{ file: f.file, line: f.line }],
            doc.managed || f.managed,
          );
          e.relations.push({ name: f.name, target: child.id, cardinality: 'one-to-many' });
          children.push(child);
          fill(child, f.sub ?? [], '', depth + 1);
          continue;
        }
        if (f.type === 'select' && f.hasMany && sql && doc.managed) {
          const child = subTable(
            f.dbName ?? `${e.table}_${f.column}`,
            [
              { name: 'id', type: 'serial', id: true },
              { name: 'order', type: 'integer' },
              { name: 'parent_id', type: parentType },
              { name: 'value', type: 'select' },
            ],
            { name: 'parent', target: e.id, cardinality: 'many-to-one', foreignKey: 'parent_id' },
            [{ file: f.file, line: f.line }],
            doc.managed,
          );
          e.relations.push({ name: f.name, target: child.id, cardinality: 'one-to-many' });
          children.push(child);
          continue;
        }
        if (f.type === 'blocks' && sql && doc.managed && f.blocks && depth < MAX_FIELD_DEPTH) {
          // Each block's rows: `<root table>_blocks_<block>` (by the collection's table, however deep the field), `_path` saying which field holds them.
          for (const b of f.blocks) {
            const name = `${table}_blocks_${payloadSnake(b.slug)}`;
            let child = children.find((c) => c.table === name);
            if (!child) {
              child = subTable(
                name,
                [
                  { name: '_order', type: 'integer' },
                  { name: '_parent_id', type: parentType },
                  { name: '_path', type: 'text' },
                  { name: 'id', type: 'varchar', id: true },
                  { name: 'blockName', type: 'text', nullable: true },
                ],
                { name: '_parent', target: root.id, cardinality: 'many-to-one', foreignKey: '_parent_id' },
                [{ file: b.file, line: b.line }],
                doc.managed,
              );
              children.push(child);
              fill(child, b.fields, '', depth + 1);
            }
            if (!root.relations.some((r) => r.name === key && r.target === child.id))
              root.relations.push({ name: key, target: child.id, cardinality: 'one-to-many' });
          }
          continue;
        }
        if (f.hasMany && f.type === 'text') texts = true;
        if (f.hasMany && f.type === 'number') numbers = true;
        // A field inside an array (kept in its collection) by its path: `schedule.time`.
        const field: Field = { name: key, type: f.type === 'array' ? 'array' : f.type };
        if (key === 'id') field.id = true;
        else if (!f.required) field.nullable = true;
        if (f.unique) field.unique = true;
        if (f.default !== undefined) field.default = f.default;
        if (!e.fields.some((x) => x.name === field.name)) e.fields.push(field);
        if (f.options && STATE_FIELD.test(f.name) && !f.hasMany && path === '') {
          const state: NonNullable<Entity['states']>[number] = { field: f.name, values: f.options };
          if (f.default !== undefined && f.options.includes(f.default)) state.initial = f.default;
          (e.states ??= []).push(state);
        }
        for (const target of f.relationTo ?? []) {
          // v3 keeps a plain relationship in a `<field>_id` column; polymorphic and hasMany ones
          // (and every one in v2) in the root table's `_rels`.
          const inRels = sql && (config.v2 || f.hasMany || f.polymorphic);
          if (inRels) rels.add(target);
          const rel: Relation = { name: key, target: entityId(tableOf(target)), cardinality: f.hasMany ? 'many-to-many' : 'many-to-one' };
          // A relationship inside an array keeps its column in the array's rows, not in the collection's table.
          if (sql && !inRels && path === '') rel.foreignKey = `${f.column}_id`;
          e.relations.push(rel);
        }
        if (f.type === 'array' && f.sub) fill(e, f.sub, key, depth + 1);
      }
    };
    fill(root, written, '', 0);
    if (doc.timestamps) {
      for (const n of ['createdAt', 'updatedAt']) if (!root.fields.some((f) => f.name === n)) root.fields.push({ name: n, type: 'date' });
    }

    const tableChild = (suffix: string, fields: Field[], relations: Relation[]): Entity => {
      const child = subTable(`${table}_${suffix}`, fields, relations[0]!, sortedEvidence(evidence), doc.managed);
      child.relations.push(...relations.slice(1));
      return child;
    };
    const parentRel: Relation = { name: 'parent', target: root.id, cardinality: 'many-to-one', foreignKey: 'parent_id' };
    if (sql && doc.managed && locales) {
      const loc = tableChild(
        'locales',
        [
          { name: 'id', type: 'serial', id: true },
          { name: '_locale', type: 'enum' },
          { name: '_parent_id', type: parentType },
        ],
        [{ name: '_parent', target: root.id, cardinality: 'many-to-one', foreignKey: '_parent_id' }],
      );
      children.push(loc);
    }
    for (const [on, suffix, column, type] of [
      [texts, 'texts', 'text', 'varchar'],
      [numbers, 'numbers', 'number', 'numeric'],
    ] as const) {
      if (!sql || !doc.managed || !on) continue;
      children.push(
        tableChild(
          suffix,
          [
            { name: 'id', type: 'serial', id: true },
            { name: 'order', type: 'integer' },
            { name: 'parent_id', type: parentType },
            { name: 'path', type: 'varchar' },
            { name: column, type },
          ],
          [parentRel],
        ),
      );
    }
    if (sql && doc.managed && rels.size > 0) {
      const targets = [...rels];
      children.push(
        tableChild(
          'rels',
          [
            { name: 'id', type: 'serial', id: true },
            { name: 'order', type: 'integer' },
            { name: 'parent_id', type: parentType },
            { name: 'path', type: 'varchar' },
            ...targets.map((t): Field => ({ name: `${tableOf(t)}_id`, type: parentType, nullable: true })),
          ],
          [parentRel, ...targets.map((t): Relation => ({ name: t, target: entityId(tableOf(t)), cardinality: 'many-to-one', foreignKey: `${tableOf(t)}_id` }))],
        ),
      );
    }
    for (const e of [root, ...children]) {
      if (store) e.store = store;
      if (component) e.component = component;
      entities.push(e);
    }
  }

  const stores: DataStore[] = [];
  for (const t of techs) {
    const st = storeTech(t)!;
    const hits = config.stores.filter((s) => s.tech === t);
    const envVars = sortedUnique(hits.flatMap((h) => h.envVars));
    const s: DataStore = {
      id: dataStoreId(st.tech),
      name: st.name,
      tech: st.tech,
      kind: st.kind,
      usedBy: component ? [component] : [],
      evidence: sortedEvidence(hits.map((h) => h.evidence)),
      details: techs.length > 1 ? { orm: ['Payload'], client: 'chosen at run time' } : { orm: ['Payload'] },
    };
    if (envVars.length > 0) s.envVars = envVars;
    stores.push(s);
  }
  return { entities, stores };
}

/** A table Payload keeps beside a collection's: an array's rows, a `hasMany` select's values, `_rels`, `_locales`… */
function subTable(name: string, fields: Field[], parent: Relation, evidence: Evidence[], managed?: boolean): Entity {
  const e: Entity = { id: entityId(name), name, table: name, orm: 'payload', fields, relations: [parent], evidence };
  if (managed) e.details = { managedBy: 'Payload' };
  return e;
}

function authDefaults(config: Config): NonNullable<Doc['auth']> {
  return { local: true, sessions: config.sessions, username: false, verify: false, lock: true, apiKey: false };
}

/** The fields Payload adds to an auth collection (auth/getAuthFields.ts) and an upload collection (uploads/getBaseFields.ts). */
function implicitFields(doc: Doc, config: Config): PField[] {
  const f = (name: string, type: string, extra: Partial<PField> = {}): PField => ({
    name,
    column: payloadSnake(name),
    type,
    file: doc.file,
    line: doc.line,
    ...extra,
  });
  const out: PField[] = [];
  if (doc.orderable) out.push(f('_order', 'text'));
  const a = doc.auth;
  if (a?.apiKey) out.push(f('enableAPIKey', 'checkbox'), f('apiKey', 'text'), f('apiKeyIndex', 'text'));
  if (a?.local) {
    out.push(f('email', 'email', { required: !a.username, unique: true }));
    if (a.username) out.push(f('username', 'text', { required: true, unique: true }));
    out.push(f('resetPasswordToken', 'text'), f('resetPasswordExpiration', 'date'), f('salt', 'text'), f('hash', 'text'));
    if (a.verify) out.push(f('_verified', 'checkbox'), f('_verificationToken', 'text'));
    if (a.lock) out.push(f('loginAttempts', 'number', { default: '0' }), f('lockUntil', 'date'));
    // The sessions array is Payload's: evidence at the config, where its version is chosen.
    if (a.sessions) {
      out.push({
        name: 'sessions',
        column: 'sessions',
        type: 'array',
        file: config.file,
        line: config.line,
        managed: true,
        sub: [
          { name: 'id', column: 'id', type: 'text', required: true, file: config.file, line: config.line },
          { name: 'createdAt', column: 'created_at', type: 'date', file: config.file, line: config.line },
          { name: 'expiresAt', column: 'expires_at', type: 'date', required: true, file: config.file, line: config.line },
        ],
      });
    }
  }
  const u = doc.upload;
  if (u) {
    out.push(
      f('url', 'text'),
      f('thumbnailURL', 'text'),
      f('filename', 'text', { unique: true }),
      f('mimeType', 'text'),
      f('filesize', 'number'),
      f('width', 'number'),
      f('height', 'number'),
    );
    if (u.focal) out.push(f('focalX', 'number'), f('focalY', 'number'));
    for (const size of u.sizes)
      for (const [n, t] of [
        ['url', 'text'],
        ['width', 'number'],
        ['height', 'number'],
        ['mimeType', 'text'],
        ['filesize', 'number'],
        ['filename', 'text'],
      ] as const)
        out.push(f(`sizes.${size}.${n}`, t, { column: `sizes_${payloadSnake(size)}_${payloadSnake(n)}` }));
  }
  return out;
}

/** Every Payload config's entities and stores, emitted (one entity per id: a repository may build its config twice). */
export function emitPayload(ctx: AnalyzerContext, indexes: ReadonlyMap<string, FileIndex>): void {
  const reader = new PayloadReader(ctx, indexes);
  const seen = new Set<string>();
  for (const config of reader.configs()) {
    for (const u of config.unread)
      ctx.warn(
        u.at.file,
        u.at.line,
        `Payload ${u.global ? 'global' : 'collection'} not read (built by a call, or from outside the repository): it is no entity`,
      );
    const { entities, stores } = payloadEntities(ctx, config);
    for (const e of entities) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      claimEntity(ctx, e.id, 'full');
      ctx.emit('schemas', e);
    }
    for (const s of stores) ctx.emit('dataStores', s);
  }
}
