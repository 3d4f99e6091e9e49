/**
 * Channel names in other languages: a value of the polyglot index (src/analysis/polyglot) read as
 * the strings it can be, through the engine's `Program` (constants across files, Python imports, Go
 * packages, Java/Kotlin class constants), `self.X`/`this.X` class attributes, Spring `@Value`
 * fields and `${key:default}` placeholders looked up in the module's application.properties/.yml.
 * A name that cannot be read is the expression as written when it is a property chain whose root
 * comes from outside the repository (a shared library's constant), else nothing: never a guess.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PCall, PolyglotIndex, PValue } from '../../../src/analysis/polyglot/index-source.js';
import type { Program } from '../../../src/analysis/polyglot/program.js';
import type { Val } from '../values.js';
import { GoValues } from './go-values.js';
import { readProperties } from './properties.js';

/** Where a value is written: its file and the class and function around it. */
export interface Place {
  file: string;
  owner?: string;
  fn?: string;
  line: number;
}

export function placeOf(file: string, c: PCall | { owner?: string; line: number }, fn?: string): Place {
  return { file, line: c.line, ...(c.owner ? { owner: c.owner } : {}), ...(('fn' in c && c.fn) || fn ? { fn: ('fn' in c && c.fn) || fn } : {}) };
}

export function last(path: readonly string[]): string {
  return path[path.length - 1] ?? '';
}

const MAX_PLACEHOLDER_DEPTH = 4;
/** Class attributes that name other attributes (`self.a = self.b`) are followed this far. */
const MAX_DEPTH = 8;
/** Parameters are followed through this many calls, at most MAX_CALLERS calls each. */
const MAX_CALLER_HOPS = 3;
const MAX_CALLERS = 20;

export class PolyNames {
  private readonly props = new Map<string, Map<string, string>>();
  private classNames: Set<string> | undefined;

  constructor(
    readonly program: Program,
    private readonly ctx?: Pick<AnalyzerContext, 'files' | 'read'>,
  ) {}

  ix(file: string): PolyglotIndex | undefined {
    return this.program.byFile.get(file);
  }

  /** The values a channel argument names: strings, or its expression as a label, or nothing known. */
  vals(at: Place, value: PValue | undefined, hops = 0): Val[] {
    if (!value) return [];
    if (value.k === 'list') return value.items.flatMap((v) => this.vals(at, v, hops));
    // A parameter: what its callers pass, each value keeping the call it came through.
    if (value.k === 'name' && value.path.length === 1 && hops < MAX_CALLER_HOPS) {
      const param = this.param(at, value.path[0]!);
      if (param) return this.fromCallers(at, param, hops);
    }
    // A Go function's call: what it returns (`s.getConsumerGroupTopics()`).
    if (value.k === 'call' && hops < MAX_CALLER_HOPS && this.ix(at.file)?.language === 'go') {
      const ret = this.goReturn(at, value.call);
      if (ret) return this.vals(ret.at, ret.value, hops + 1);
    }
    const s = this.str(at, value);
    if (s !== undefined) return s.includes('${') || s.includes('#{') ? [] : [{ text: s, via: [] }];
    const jvm = this.ix(at.file)?.language === 'java' || this.ix(at.file)?.language === 'kotlin';
    const env = this.envName(at, value) ?? (jvm && value.k === 'str' ? this.springEnv(at.file, value.v) : undefined);
    if (env) return [{ env, via: [] }];
    const label = this.label(at, value);
    return label ? [{ expr: label, via: [] }] : [];
  }

  /** A value as one string, when it can be read. */
  str(at: Place, value: PValue | undefined, depth = 0): string | undefined {
    if (!value || depth > MAX_DEPTH) return undefined;
    // Kotlin's escaped dollar (`"\${app.topic}"`): a Spring placeholder, not interpolation.
    if (value.k === 'str' && value.v.includes('\\$')) return this.placeholders(at.file, value.v.split('\\$').join('$'), depth);
    if (value.k === 'name') {
      const self = value.path[0] === 'self' || value.path[0] === 'this' || value.path[0] === 'cls';
      if (!self && this.isParam(at, value.path[0]!)) return undefined;
      if (self && value.path.length === 2 && at.owner) {
        const field = this.classAttr(at.file, at.owner, value.path[1]!, depth);
        if (field !== undefined) return field;
      }
      if (value.path.length === 2 && this.isDjangoSettings(at.file, value.path[0]!)) return this.djangoSetting(value.path[1]!, depth);
      if (value.path.length === 1 && at.owner) {
        const spring = this.springField(at.file, at.owner, value.path[0]!, depth);
        if (spring !== undefined) return spring;
      }
    }
    const s = this.program.str(at.file, value, at.fn);
    if (s === undefined && value.k === 'name' && value.path.length >= 2 && this.ix(at.file)?.language === 'go') return this.go()?.config(at.file, value.path);
    return s === undefined ? undefined : this.placeholders(at.file, s, depth);
  }

  /** Go configuration structs and return values (go-values.ts), read when a Go name needs them. */
  private go(): GoValues | undefined {
    if (!this.ctx) return undefined;
    this.goValues ??= new GoValues(this.ctx.files, (f) => this.ctx!.read(f));
    return this.goValues;
  }
  private goValues: GoValues | undefined;

  /** The function a Go call calls (by name, in the caller's package first) and the value it returns. */
  private goReturn(at: Place, call: number): { at: Place; value: PValue } | undefined {
    const c = this.program.call(at.file, call);
    const name = c ? last(c.callee) : '';
    if (!name) return undefined;
    const dir = at.file.slice(0, Math.max(0, at.file.lastIndexOf('/')));
    const found = this.program.indexes.flatMap((ix) => ix.functions.filter((f) => f.name === name).map((f) => ({ file: ix.file, line: f.line })));
    found.sort(
      (a, b) =>
        Number(b.file.startsWith(`${dir}/`)) - Number(a.file.startsWith(`${dir}/`)) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line,
    );
    const f = found[0];
    const value = f ? this.go()?.returned(f.file, f.line) : undefined;
    return f && value ? { at: { file: f.file, line: f.line + 1, fn: name }, value } : undefined;
  }

  /** A Python `self.X` / Java `this.x`: the class's attribute, or a Spring `@Value` field (once per class and name). */
  private classAttr(file: string, owner: string, name: string, depth: number): string | undefined {
    const key = `${file}\u0000${owner}\u0000${name}`;
    if (this.attrs.has(key)) return this.attrs.get(key);
    // An attribute defined through itself (`self.a = self.a`) reads as unknown.
    if (this.attrsActive.has(key)) return undefined;
    this.attrsActive.add(key);
    try {
      const v = this.readClassAttr(file, owner, name, depth);
      // Kept only when read from the top: an answer cut short by the depth limit would otherwise
      // be what every later question got, whichever came first.
      if (depth === 0) this.attrs.set(key, v);
      return v;
    } finally {
      this.attrsActive.delete(key);
    }
  }
  private readonly attrs = new Map<string, string | undefined>();
  private readonly attrsActive = new Set<string>();

  private readClassAttr(file: string, owner: string, name: string, depth: number): string | undefined {
    const ix = this.ix(file);
    const a = ix?.assigns.find((x) => x.owner === owner && x.fn === undefined && x.name.length === 1 && x.name[0] === name);
    if (a) return this.str({ file, owner, line: a.line }, a.value, depth + 1);
    // `self.queue = "orders"` in a method (`__init__`): taken when every such assignment agrees.
    const set = new Set<string | undefined>();
    for (const x of ix?.assigns ?? [])
      if (x.owner === owner && x.name.length === 2 && x.name[1] === name && (x.name[0] === 'self' || x.name[0] === 'this'))
        set.add(this.str({ file, owner, line: x.line, ...(x.fn ? { fn: x.fn } : {}) }, x.value, depth + 1));
    if (set.size === 1) {
      const only = [...set][0];
      if (only !== undefined) return only;
    }
    return this.springField(file, owner, name, depth);
  }

  /** `@Value("${app.topic:orders}") private String topic;` of the class. */
  private springField(file: string, owner: string, name: string, depth: number): string | undefined {
    const ix = this.ix(file);
    const a = ix?.annotations.find((x) => last(x.name) === 'Value' && x.owner === owner && x.target?.kind === 'field' && x.target.name === name);
    const v = a ? (a.args[0] ?? a.kw.find((k) => k.name === 'value')?.value) : undefined;
    return v?.k === 'str' ? this.placeholders(file, v.v.split('\\$').join('$'), depth) : undefined;
  }

  /** `from django.conf import settings`: the name stands for the project's settings module. */
  private isDjangoSettings(file: string, name: string): boolean {
    return this.ix(file)?.imports.some((i) => i.module === 'django.conf' && i.name === 'settings' && i.alias === name) ?? false;
  }

  /** A Django setting: its module-level value in the settings modules (`settings.py`, `settings/*.py`), when they agree. */
  private djangoSetting(name: string, depth: number): string | undefined {
    const found = new Set<string | undefined>();
    for (const ix of this.program.indexes) {
      if (!(ix.file.endsWith('/settings.py') || ix.file === 'settings.py' || ix.file.includes('/settings/'))) continue;
      for (const a of ix.assigns)
        if (a.fn === undefined && a.owner === undefined && a.name.length === 1 && a.name[0] === name)
          found.add(this.str({ file: ix.file, line: a.line }, a.value, depth + 1));
    }
    const [only] = found;
    return found.size === 1 ? only : undefined;
  }

  /** Whether a name is a parameter of the function a value is written in (its value comes from the callers). */
  private isParam(at: Place, name: string): boolean {
    return this.param(at, name) !== undefined;
  }

  /** The parameter a name is, with its position and the function's declaration (the last header of that name before the line). */
  private param(at: Place, name: string): { index: number; fn: { name: string; line: number; params?: string[] } } | undefined {
    if (!at.fn) return undefined;
    let byName = this.functions.get(at.file);
    if (!byName) {
      byName = new Map();
      for (const f of this.ix(at.file)?.functions ?? []) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
      this.functions.set(at.file, byName);
    }
    // Methods of one name in several classes: the header nearest above the line.
    let best: { name: string; line: number; params?: string[] } | undefined;
    for (const f of byName.get(at.fn) ?? []) if (f.line <= at.line && (!best || f.line > best.line)) best = f;
    const index = best?.params?.indexOf(name) ?? -1;
    return best && index >= 0 ? { index, fn: best } : undefined;
  }

  /**
   * A parameter's values at the calls of its function: in the same file, or in a file that imports
   * the function's module (Python) or package (Go); a method's `self` is not an argument. At most
   * MAX_CALLERS calls; none found, or none readable, leaves the name unknown.
   */
  private fromCallers(at: Place, param: { index: number; fn: { name: string; line: number; params?: string[] } }, hops: number): Val[] {
    // Once per parameter and depth: a helper called from many places is read once.
    const key = `${at.file}\u0000${param.fn.line}\u0000${param.index}\u0000${hops}`;
    let hit = this.passed.get(key);
    if (!hit) this.passed.set(key, (hit = this.readCallers(at, param, hops)));
    return hit;
  }
  private readonly passed = new Map<string, Val[]>();

  private readCallers(at: Place, param: { index: number; fn: { name: string; params?: string[] } }, hops: number): Val[] {
    const ix = this.ix(at.file);
    if (!ix) return [];
    const params = param.fn.params ?? [];
    const method = ix.language === 'python' && (params[0] === 'self' || params[0] === 'cls');
    const name = params[param.index]!;
    const out: Val[] = [];
    let seen = 0;
    for (const { file, call } of this.callsNamed(param.fn.name)) {
      if (seen >= MAX_CALLERS) break;
      if (!this.reaches(file, at.file)) continue;
      // `obj.m(x)` passes x as the first argument after self; `Cls.m(obj, x)` is not read.
      const index = method ? param.index - 1 : param.index;
      const arg = call.kw.find((k) => k.name === name)?.value ?? (index >= 0 ? call.args[index] : undefined);
      if (!arg) continue;
      seen++;
      const where = placeOf(file, call);
      for (const v of this.vals(where, arg, hops + 1)) out.push({ ...v, via: [{ file, line: call.line }, ...v.via] });
    }
    return out;
  }

  /** Calls by their last name over the program, indexed once. */
  private callsNamed(name: string): { file: string; call: PCall }[] {
    if (!this.calls) {
      this.calls = new Map();
      for (const ix of this.program.indexes)
        for (const call of ix.calls) {
          const k = last(call.callee);
          const list = this.calls.get(k);
          if (list) list.push({ file: ix.file, call });
          else this.calls.set(k, [{ file: ix.file, call }]);
        }
    }
    return this.calls.get(name) ?? [];
  }
  private calls: Map<string, { file: string; call: PCall }[]> | undefined;

  /** Whether code in `from` can call a function of `target`: the same file, a Python import of its module, a Go package's own or imported folder. */
  private reaches(from: string, target: string): boolean {
    if (from === target) return true;
    const key = `${from}\u0000${target}`;
    let hit = this.reached.get(key);
    if (hit === undefined) this.reached.set(key, (hit = this.imports(from, target)));
    return hit;
  }
  private readonly reached = new Map<string, boolean>();

  private imports(from: string, target: string): boolean {
    const ix = this.ix(from);
    if (!ix) return false;
    if (ix.language === 'python')
      return ix.imports.some(
        (i) => this.program.pythonModule(from, i.name ? `${i.module}.${i.name}` : i.module) === target || this.program.pythonModule(from, i.module) === target,
      );
    if (ix.language === 'go') {
      const dir = (f: string) => f.slice(0, Math.max(0, f.lastIndexOf('/')));
      if (dir(from) === dir(target)) return true;
      return ix.imports.some((i) => this.program.goPackage(from, i.alias).some((p) => p.file === target));
    }
    return false;
  }

  private readonly functions = new Map<string, Map<string, { name: string; line: number; params?: string[] }[]>>();

  /** `os.getenv("ORDERS_QUEUE_URL")`, `os.environ["X"]` without a default: the variable's name. */
  private envName(at: Place, value: PValue): string | undefined {
    if (value.k === 'call') {
      const c = this.program.call(at.file, value.call);
      const name = c ? last(c.callee) : '';
      const a0 = c?.args[0];
      if ((name === 'getenv' || name === 'Getenv' || (name === 'get' && c!.callee.includes('environ'))) && c!.args.length === 1 && a0?.k === 'str') return a0.v;
    }
    if (value.k === 'name' && value.path.length === 1 && at.fn) {
      const b = this.program.bind(at.file, value.path, at.fn);
      if (b && b.value !== value) return this.envName({ ...at, file: b.file, ...(b.fn ? { fn: b.fn } : {}) }, b.value);
    }
    return undefined;
  }

  /**
   * A property chain whose root the repository does not define (`Topics.ORDER_CREATED` of a shared
   * library's class, `events.ORDERS` of an installed package): the expression names the channel the
   * same way wherever it is used. Bare names, `self.x` and chains over local data are not.
   */
  private label(at: Place, value: PValue): string | undefined {
    if (value.k !== 'name' || value.path.length < 2) return undefined;
    const root = value.path[0]!;
    if (root === 'self' || root === 'this' || root === 'cls' || this.isParam(at, root)) return undefined;
    const ix = this.ix(at.file);
    if (!ix || this.program.bind(at.file, [root], at.fn)) return undefined;
    if (ix.language === 'python' || ix.language === 'go') {
      const imp = ix.imports.find((i) => i.alias === root);
      if (!imp) return undefined;
      if (ix.language === 'python') {
        const target = imp.name
          ? (this.program.pythonModule(at.file, `${imp.module}.${imp.name}`) ?? this.program.pythonModule(at.file, imp.module))
          : this.program.pythonModule(at.file, imp.module);
        return target ? undefined : value.path.join('.');
      }
      return this.program.goPackage(at.file, root).length ? undefined : value.path.join('.');
    }
    // Java and Kotlin: a class constant of a class the repository does not declare.
    const c = root[0]!;
    if (c < 'A' || c > 'Z') return undefined;
    this.classNames ??= new Set(this.program.indexes.flatMap((other) => other.classes.map((k) => k.name)));
    return this.classNames.has(root) ? undefined : value.path.join('.');
  }

  /**
   * A Spring placeholder that no property defines, however many properties it passes through
   * (`@SqsListener("${sqs.uri}")` with `sqs.uri=${SQS_URL}`), named like an environment variable:
   * Spring reads it from the environment, so the channel is the one that variable carries.
   */
  private springEnv(file: string, s: string, depth = 0): string | undefined {
    const t = s.trim();
    if (depth > MAX_PLACEHOLDER_DEPTH || !t.startsWith('${') || t.indexOf('}') !== t.length - 1 || t.includes(':')) return undefined;
    const key = t.slice(2, -1);
    const prop = this.property(file, key);
    if (prop !== undefined) return this.springEnv(file, prop, depth + 1);
    for (let i = 0; i < key.length; i++) {
      const c = key[i]!;
      if (!((c >= 'A' && c <= 'Z') || c === '_' || (i > 0 && c >= '0' && c <= '9'))) return undefined;
    }
    return key.length > 0 ? key : undefined;
  }

  /** `${key:default}` (Spring) replaced by the module's property, else the default; other text as is. */
  placeholders(file: string, s: string, depth = 0): string | undefined {
    if (!s.includes('${')) return s;
    if (depth > MAX_PLACEHOLDER_DEPTH) return undefined;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const open = s.indexOf('${', i);
      if (open < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, open);
      const close = s.indexOf('}', open);
      if (close < 0) return undefined;
      const inner = s.slice(open + 2, close);
      const colon = inner.indexOf(':');
      const key = colon < 0 ? inner : inner.slice(0, colon);
      const prop = this.property(file, key);
      const v = prop ?? (colon < 0 ? undefined : inner.slice(colon + 1));
      if (v === undefined) return undefined;
      const resolved = this.placeholders(file, v, depth + 1);
      if (resolved === undefined) return undefined;
      out += resolved;
      i = close + 1;
    }
    return out;
  }

  /** A key of the Spring module's application.properties / application.yml (src/main/resources beside the file's src/main). */
  private property(file: string, key: string): string | undefined {
    if (!this.ctx) return undefined;
    const k = file.lastIndexOf('/src/main/');
    const root = k >= 0 ? file.slice(0, k + 1) : file.startsWith('src/main/') ? '' : undefined;
    if (root === undefined) return undefined;
    let props = this.props.get(root);
    if (!props) {
      props = new Map();
      for (const name of ['application.properties', 'application.yml', 'application.yaml']) {
        const path = `${root}src/main/resources/${name}`;
        const text = this.ctx.files.includes(path) ? this.ctx.read(path) : undefined;
        if (text !== undefined) readProperties(text, name.endsWith('.properties'), props);
      }
      this.props.set(root, props);
    }
    return props.get(key);
  }
}
