/**
 * The files of one language as a program: a name written in one file followed to the value it is
 * bound to, in that file or another (Python imports and modules, Go packages as folders, Java, C#
 * and Kotlin classes by name), and values evaluated to strings. Nothing is executed; a name that
 * cannot be followed is unresolved, never guessed.
 */
import type { PAssign, PCall, PolyglotIndex, PValue } from './index-source.js';

export interface Bound {
  file: string;
  value: PValue;
  /** The function the binding is written in, when it is a local. */
  fn?: string;
}

const MAX_HOPS = 16;

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

export class Program {
  readonly byFile = new Map<string, PolyglotIndex>();
  /** Python modules by dotted path suffix: `app/api/routes/items.py` → `app.api.routes.items`, also `api.routes.items`, … */
  private readonly modules = new Map<string, string[]>();
  private readonly byDir = new Map<string, PolyglotIndex[]>();
  private readonly classes = new Map<string, { file: string; name: string }[]>();

  constructor(readonly indexes: readonly PolyglotIndex[]) {
    for (const ix of indexes) {
      this.byFile.set(ix.file, ix);
      const dir = dirOf(ix.file);
      const list = this.byDir.get(dir) ?? [];
      list.push(ix);
      this.byDir.set(dir, list);
      for (const c of ix.classes) {
        const l = this.classes.get(c.name) ?? [];
        l.push({ file: ix.file, name: c.name });
        this.classes.set(c.name, l);
      }
      if (ix.language === 'python') {
        const noExt = ix.file.slice(0, -3);
        const parts = (noExt.endsWith('/__init__') ? noExt.slice(0, -9) : noExt).split('/');
        for (let k = 0; k < parts.length; k++) {
          const key = parts.slice(k).join('.');
          const l = this.modules.get(key) ?? [];
          l.push(ix.file);
          this.modules.set(key, l);
        }
      }
    }
  }

  /** A file's assignments to a name path, by an index built once per file (a lookup per call would be quadratic). */
  private assignsNamed(ix: PolyglotIndex, path: readonly string[]): PAssign[] {
    let byName = this.assignIndex.get(ix.file);
    if (!byName) {
      byName = new Map();
      for (const a of ix.assigns) {
        const k = a.name.join('\u0000');
        const l = byName.get(k);
        if (l) l.push(a);
        else byName.set(k, [a]);
      }
      this.assignIndex.set(ix.file, byName);
    }
    return byName.get(path.join('\u0000')) ?? [];
  }
  private readonly assignIndex = new Map<string, Map<string, PAssign[]>>();

  /** The file of a Python module imported from `from` (`app.core.config`, `.routes`, `..core`). */
  pythonModule(from: string, module: string): string | undefined {
    if (module.startsWith('.')) {
      let dir = dirOf(from);
      let k = 1;
      while (module[k] === '.') {
        dir = dirOf(dir);
        k++;
      }
      const rest = module.slice(k).split('.').filter(Boolean).join('/');
      const base = rest ? (dir ? `${dir}/${rest}` : rest) : dir;
      for (const f of [`${base}.py`, `${base}/__init__.py`]) if (this.byFile.has(f)) return f;
      return undefined;
    }
    const candidates = this.modules.get(module);
    if (!candidates?.length) return undefined;
    if (candidates.length === 1) return candidates[0];
    // Several files end with that module path: the one sharing the longest folder prefix with the importer.
    const shared = (f: string): number => {
      let n = 0;
      while (n < f.length && n < from.length && f[n] === from[n]) n++;
      return n;
    };
    return [...candidates].sort((a, b) => shared(b) - shared(a) || a.length - b.length || (a < b ? -1 : 1))[0];
  }

  /** The files of the Go package a file's import path names (the folder ending with its path). */
  goPackage(file: string, alias: string): PolyglotIndex[] {
    const ix = this.byFile.get(file);
    const imp = ix?.imports.find((i) => i.alias === alias);
    if (!imp) return [];
    const tail = imp.module.split('/');
    let best: PolyglotIndex[] = [];
    let bestLen = 0;
    for (const [dir, list] of this.byDir) {
      const parts = dir.split('/');
      let n = 0;
      while (n < tail.length && n < parts.length && tail[tail.length - 1 - n] === parts[parts.length - 1 - n]) n++;
      if (n > bestLen && list[0]!.language === 'go') {
        best = list;
        bestLen = n;
      }
    }
    return best;
  }

  /**
   * What a name path written in `file` (inside function `fn`) is bound to: a local of that function,
   * a module-level binding of the file (or, in Go, of its package), an attribute of a class (a Python
   * class attribute, a Java/C# constant), or, in Python, a name imported from another module.
   */
  bind(file: string, path: readonly string[], fn?: string, hops = 0): Bound | undefined {
    if (hops > MAX_HOPS || !path.length) return undefined;
    const ix = this.byFile.get(file);
    if (!ix) return undefined;
    const named = this.assignsNamed(ix, path);
    // A local of the function first, then a module-level binding, then a class-level one (a Java constant used in its class).
    // Where a name is bound twice, the first binding written is taken: which one runs last is not known statically.
    const own =
      (fn !== undefined ? named.find((a) => a.fn === fn) : undefined) ??
      named.find((a) => a.fn === undefined && a.owner === undefined) ??
      named.find((a) => a.fn === undefined);
    if (own) return { file, value: own.value, ...(own.fn ? { fn: own.fn } : {}) };
    const head = path[0]!;
    const rest = path.slice(1);
    if (ix.language === 'python') {
      for (const imp of ix.imports) {
        if (imp.alias !== head) continue;
        if (imp.name === undefined) {
          const target = this.pythonModule(file, imp.module);
          if (target && rest.length) return this.bind(target, rest, undefined, hops + 1);
          continue;
        }
        // `from pkg import mod` (a submodule) or `from mod import name`.
        const sub = this.pythonModule(file, `${imp.module}.${imp.name}`);
        if (sub && rest.length) {
          const r = this.bind(sub, rest, undefined, hops + 1);
          if (r) return r;
        }
        const target = this.pythonModule(file, imp.module);
        if (target && target !== file) return this.bind(target, [imp.name, ...rest], undefined, hops + 1);
      }
    }
    if (ix.language === 'go') {
      if (path.length === 1) {
        for (const other of this.byDir.get(dirOf(file)) ?? []) {
          if (other.file === file) continue;
          const a = this.assignsNamed(other, path).find((x) => x.fn === undefined);
          if (a) return { file: other.file, value: a.value };
        }
      } else {
        for (const other of this.goPackage(file, head)) {
          const a = this.assignsNamed(other, rest).find((x) => x.fn === undefined);
          if (a) return { file: other.file, value: a.value };
        }
      }
    }
    // An attribute of a class: `Settings.API_PREFIX`, or of an instance `settings = Settings()`.
    if (rest.length === 1) {
      const className = this.classOf(file, head, fn, hops);
      for (const c of className ? (this.classes.get(className) ?? []) : []) {
        const cix = this.byFile.get(c.file);
        const a = cix ? this.assignsNamed(cix, rest).find((x) => x.owner === c.name && x.fn === undefined) : undefined;
        if (a) return { file: c.file, value: a.value };
      }
    }
    return undefined;
  }

  /** The class a name is, or is an instance of (`settings = Settings()`), when the program declares it. */
  private classOf(file: string, name: string, fn: string | undefined, hops: number): string | undefined {
    if (this.classes.has(name)) return name;
    const b = this.bind(file, [name], fn, hops + 1);
    if (b?.value.k === 'call') {
      const call = this.call(b.file, b.value.call);
      const last = call?.callee[call.callee.length - 1];
      if (last && this.classes.has(last)) return last;
    }
    return undefined;
  }

  call(file: string, index: number): PCall | undefined {
    return this.byFile.get(file)?.calls[index];
  }

  /**
   * A value as a string: literals, `+` concatenations, names bound to strings, Python f-strings
   * whose `{name}` parts resolve, and an environment read's literal default (`os.getenv("P", "/api")`).
   */
  str(file: string, value: PValue | undefined, fn?: string, hops = 0): string | undefined {
    if (!value || hops > MAX_HOPS) return undefined;
    switch (value.k) {
      case 'str':
        return value.template ? this.template(file, value.v, fn, hops) : value.v;
      case 'concat': {
        let out = '';
        for (const p of value.parts) {
          const s = this.str(file, p, fn, hops + 1);
          if (s === undefined) return undefined;
          out += s;
        }
        return out;
      }
      case 'name': {
        const b = this.bind(file, value.path, fn, hops + 1);
        const s = b ? this.str(b.file, b.value, b.fn, hops + 1) : undefined;
        if (s !== undefined || fn === undefined) return s;
        // A local assignment that cannot be read (`baseUrl = os.Getenv("BASE_URL")`) leaves the
        // module-level value it overrides as the default.
        const outer = this.bind(file, value.path, undefined, hops + 1);
        return outer && outer.value !== b?.value ? this.str(outer.file, outer.value, outer.fn, hops + 1) : undefined;
      }
      case 'call': {
        const call = this.call(file, value.call);
        if (!call) return undefined;
        const last = call.callee[call.callee.length - 1];
        // An environment read with a default: `os.getenv("X", "d")`, `os.environ.get("X", "d")`, `config("X", default="d")`.
        if (last === 'getenv' || last === 'get' || last === 'GetEnv' || last === 'env') {
          const d = call.args[1] ?? call.kw.find((k) => k.name === 'default')?.value;
          if (d && call.args[0]?.k === 'str') return this.str(file, d, fn, hops + 1);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** `f"{settings.API_V1_STR}/items"`: each `{name}` resolved, or the whole string unresolved. */
  private template(file: string, text: string, fn: string | undefined, hops: number): string | undefined {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      // `{{` and `}}` are a literal brace.
      if ((c === '{' || c === '}') && text[i + 1] === c) {
        out += c;
        i++;
        continue;
      }
      if (c !== '{') {
        out += c;
        continue;
      }
      const close = text.indexOf('}', i);
      if (close < 0) return undefined;
      const expr = text.slice(i + 1, close).trim();
      const path = expr.split('.');
      if (!path.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return undefined;
      const s = this.str(file, { k: 'name', path }, fn, hops + 1);
      if (s === undefined) return undefined;
      out += s;
      i = close;
    }
    return out;
  }

  /** A value as a list of strings (a list's items, or one string). */
  strings(file: string, value: PValue | undefined, fn?: string): string[] | undefined {
    if (!value) return undefined;
    if (value.k === 'list') {
      const out: string[] = [];
      for (const item of value.items) {
        const s = this.str(file, item, fn);
        if (s === undefined) return undefined;
        out.push(s);
      }
      return out;
    }
    if (value.k === 'name') {
      const b = this.bind(file, value.path, fn);
      if (b && b.value.k === 'list') return this.strings(b.file, b.value, b.fn);
      // `RequestMethod.POST`, `HttpMethod.Get`: the member's name.
    }
    const s = this.str(file, value, fn);
    return s === undefined ? undefined : [s];
  }
}
