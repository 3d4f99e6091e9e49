/**
 * A Serverless Framework configuration written in TypeScript or JavaScript (`serverless.ts`,
 * `serverless.js`), never run. The run's file pass hands the index of each script of a service's
 * folder to the analyzer: its imports, its exports (also re-exports, `export *` and CommonJS ones)
 * and its top-level constants and exported values as written (`shapes.consts`: literals, object
 * and array literals with spreads and the line of each key and element, templates, names,
 * members). `ConfigReader` reads the configuration from those: literals, object and array
 * literals, spreads, `as`/`satisfies`, local constants and imported bindings (followed through
 * re-exports such as `export { default as hello } from './hello'`) are read; anything computed is
 * unknown. A template literal whose expression uses `__dirname`
 * (`${handlerPath(__dirname)}/handler.main`) is the folder of the file it is written in, relative
 * to the service's folder. Where each object and each key was written is kept, so facts point at
 * the line that declares them.
 */
import type { FileIndex } from '../../src/analysis/index-file.js';
import type { Expr } from '../../src/analysis/shapes.js';
import type { Evidence } from '../../src/model/schema.js';
import { dirOf } from '../../src/util/paths.js';

/** How many bindings deep a value is followed (imports of imports …). */
const MAX_DEPTH = 12;

/** The text an unknown template-literal part stands for (names containing it are not names). */
export const UNKNOWN_PART = '${…}';

export class ConfigReader {
  /** Where each key of an object (or index of an array) was written. */
  readonly keyAt = new WeakMap<object, Map<string, Evidence>>();
  private depth = 0;
  private hops = 0;

  constructor(
    /** The indexes of the scripts read in the file pass, by path. */
    private readonly modules: ReadonlyMap<string, FileIndex>,
    private readonly resolveImport: (from: string, specifier: string) => string | undefined,
    /** The service's folder (where serverless.ts is): `__dirname` paths are relative to it. */
    private readonly serviceDir: string,
  ) {}

  /** The configuration object of `file`: `module.exports = x`, `export default x`, or `export = x`. */
  config(file: string): Record<string, unknown> | undefined {
    return record(this.exported(file, 'default'));
  }

  /** Where `path` (keys from `root`) was written. */
  locate(root: unknown, path: readonly string[]): Evidence | undefined {
    let at: Evidence | undefined;
    let v: unknown = root;
    for (const k of path) {
      if (typeof v !== 'object' || v === null) return at;
      at = this.keyAt.get(v)?.get(k) ?? at;
      v = (v as Record<string, unknown>)[k];
    }
    return at;
  }

  /** The static value of an expression; undefined when it is computed. */
  value(node: Expr, m: FileIndex): unknown {
    if (this.depth > MAX_DEPTH * 8) return undefined;
    this.depth++;
    try {
      return this.eval(node, m);
    } finally {
      this.depth--;
    }
  }

  private eval(node: Expr, m: FileIndex): unknown {
    switch (node.k) {
      case 'str':
      case 'num':
      case 'bool':
        return node.v;
      case 'tpl': {
        let s = node.head;
        for (const span of node.spans) {
          const v = span.dirname ? this.folderOf(m.file) : this.value(span.e, m);
          s += (typeof v === 'string' || typeof v === 'number' ? String(v) : UNKNOWN_PART) + span.text;
        }
        return s;
      }
      case 'obj': {
        const out: Record<string, unknown> = {};
        const at = new Map<string, Evidence>();
        for (const p of node.props) {
          if (p.k === 'spread') {
            const r = record(this.value(p.e, m));
            if (!r) continue;
            const inner = this.keyAt.get(r);
            for (const [k, x] of Object.entries(r)) {
              out[k] = x;
              const e = inner?.get(k);
              if (e) at.set(k, e);
            }
            continue;
          }
          // A computed key (`[TASK_QUEUE_NAME]: { Type: 'AWS::SQS::Queue' }`) is its value, when that is known.
          const key = p.name ?? (p.key ? this.value(p.key, m) : undefined);
          const name = typeof key === 'number' ? String(key) : key;
          if (typeof name !== 'string' || name.includes(UNKNOWN_PART) || !p.e) continue;
          out[name] = this.value(p.e, m);
          at.set(name, { file: m.file, line: p.line });
        }
        this.keyAt.set(out, at);
        return out;
      }
      case 'arr': {
        const out: unknown[] = [];
        const at = new Map<string, Evidence>();
        node.items.forEach((el, i) => {
          if (el.k === 'spread') {
            const v = this.value(el.e, m);
            if (Array.isArray(v)) out.push(...(v as unknown[]));
            return;
          }
          at.set(String(out.length), { file: m.file, line: node.lines[i]! });
          out.push(this.value(el, m));
        });
        this.keyAt.set(out, at);
        return out;
      }
      case 'id':
        return this.binding(node.name, m);
      case 'member': {
        // `ns.name` of `import * as ns`, or a property of an object read statically.
        const ns = node.e.k === 'id' && !m.shapes.consts.has(node.e.name) ? m.imports.get(node.e.name) : undefined;
        if (ns?.name === '*') {
          const target = this.resolveImport(m.file, ns.module);
          return target ? this.exported(target, node.name) : undefined;
        }
        const obj = record(this.value(node.e, m));
        return obj ? obj[node.name] : undefined;
      }
      default:
        return undefined;
    }
  }

  /** `__dirname` of a file, relative to the service's folder. */
  private folderOf(file: string): string {
    const dir = dirOf(file);
    if (this.serviceDir === '.') return dir;
    if (dir === this.serviceDir) return '.';
    return dir.startsWith(this.serviceDir + '/') ? dir.slice(this.serviceDir.length + 1) : UNKNOWN_PART;
  }

  /** The value a name has in a file: a top-level constant, or an imported binding. */
  private binding(name: string, m: FileIndex): unknown {
    const e = m.shapes.consts.get(name);
    if (e) return this.value(e, m);
    const b = m.imports.get(name);
    if (!b || b.name === '*') return undefined;
    const target = this.resolveImport(m.file, b.module);
    return target ? this.exported(target, b.name) : undefined;
  }

  /** The value a module exports under a name ('default' for the default export). */
  exported(file: string, name: string): unknown {
    if (this.hops > MAX_DEPTH) return undefined;
    const m = this.modules.get(file);
    if (!m) return undefined;
    this.hops++;
    try {
      const local = m.exports.get(name);
      if (local !== undefined) {
        // `export default {…}`, `module.exports = {…}`, `exports.x = {…}` are kept under the names the index gives them.
        const e = local.startsWith('<') ? m.shapes.consts.get(local) : undefined;
        return e ? this.value(e, m) : this.binding(local, m);
      }
      const re = m.reexports.get(name);
      if (re) {
        const target = this.resolveImport(file, re.module);
        return target ? this.exported(target, re.name) : undefined;
      }
      // `export * from './x'`: the name, if that module exports it.
      if (name === 'default') return undefined;
      for (const from of m.starExports) {
        const target = this.resolveImport(file, from);
        const v = target ? this.exported(target, name) : undefined;
        if (v !== undefined) return v;
      }
      return undefined;
    } finally {
      this.hops--;
    }
  }
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
