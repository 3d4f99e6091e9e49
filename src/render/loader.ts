/**
 * Where templates come from, compiled once. Nunjucks compiles a template on every environment's
 * first use, and compiling archdoc's 41 templates costs some 0.3 s of a run; a document renders
 * through several environments. Here each template is compiled once per process, and the built-in
 * ones once per build: `npm run build` writes their compiled code to `dist/templates.compiled.json`
 * (see `precompileTemplates`), used while each template's text still matches what was compiled.
 * Users' templates directories come first, as with Nunjucks' own file-system loader.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { builtinTemplatesDir, packageRoot } from '../util/package.js';
import { isSafe, markdownText } from './escape.js';

/** The environment options that change compiled code (the rest apply when rendering). */
export const COMPILE_OPTIONS = { throwOnUndefined: true, trimBlocks: true, lstripBlocks: true } as const;

/** Compiled code of the built-in templates, by name relative to the templates directory. */
export type Compiled = Record<string, { sha256: string; code: string }>;

/** The file the build writes compiled built-in templates to. */
export function compiledTemplatesFile(): string {
  return path.join(packageRoot(), 'dist', 'templates.compiled.json');
}

const compiler = (
  nunjucks as unknown as { compiler: { compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string } }
).compiler;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A template's JavaScript, as Nunjucks would compile it for an environment with `COMPILE_OPTIONS` and no extensions. */
function compile(source: string, name: string): string {
  return compiler.compile(source, [], [], name, COMPILE_OPTIONS);
}

/** Every template under `dir`, compiled: what the build writes to `compiledTemplatesFile()`. */
export function precompileTemplates(dir = builtinTemplatesDir()): Compiled {
  const out: Compiled = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(name);
      else if (entry.name.endsWith('.njk')) {
        const source = fs.readFileSync(path.join(dir, name), 'utf8');
        out[name] = { sha256: sha256(source), code: compile(source, name) };
      }
    }
  };
  walk('');
  return out;
}

type TemplateFunction = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => unknown;

const nunjucksRuntime = nunjucks.runtime as unknown as {
  memberLookup(obj: unknown, name: unknown): unknown;
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown;
};

/**
 * Names a template may not look up: the ways from any value to JavaScript's `Function`
 * constructor (`range.constructor("return process")()` would run anything) or to an object's
 * prototype and its accessors.
 */
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** Refuse a forbidden name: the render fails, naming the template and its line (exit 2). */
function allowed(name: unknown): void {
  if (FORBIDDEN.has(String(name))) throw new Error(`templates may not use \`${String(name)}\``);
}

/**
 * Nunjucks' runtime with Markdown's autoescape in place of HTML's: every `{{ … }}` output that a
 * filter has not marked safe is repository text, made inert by `markdownText` (escape.ts).
 *
 * Its lookups refuse `FORBIDDEN` names: every `a.b`, `a[b]` and bare name in compiled template
 * code goes through `memberLookup` or `contextOrFrameLookup`. This is hardening, not a sandbox:
 * a config's templates directory is trusted code like the config itself (Nunjucks has no sandbox),
 * and this only closes the well-known way for a template to run JavaScript.
 */
const markdownRuntime = {
  ...(nunjucks.runtime as unknown as Record<string, unknown>),
  suppressValue(value: unknown, autoescape: boolean): unknown {
    const v = value ?? '';
    return autoescape && !isSafe(v) ? markdownText(v) : v;
  },
  memberLookup(obj: unknown, name: unknown): unknown {
    allowed(name);
    return nunjucksRuntime.memberLookup(obj, name);
  },
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown {
    allowed(name);
    return nunjucksRuntime.contextOrFrameLookup(context, frame, name);
  },
};

/**
 * A template's functions (its root and its blocks, all called as `(env, context, frame, runtime,
 * cb)`) running with `markdownRuntime`, whoever calls them: an include, an extends or a render.
 */
function withMarkdownRuntime(functions: Record<string, unknown>): object {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(functions)) {
    out[key] =
      typeof f === 'function'
        ? (env: unknown, context: unknown, frame: unknown, _runtime: unknown, cb: unknown) => (f as TemplateFunction)(env, context, frame, markdownRuntime, cb)
        : f;
  }
  return out;
}

let builtins: Compiled | null | undefined;
/** Template functions by path and text, shared by every environment of the process. */
const loaded = new Map<string, object>();

/** How many templates this process compiled and how many it took compiled from the build. */
export const templateStats = { compiled: 0, precompiled: 0 };

/** The build's compiled templates, read once; null when there is no build (running from source). */
function builtinCompiled(): Compiled | null {
  if (builtins === undefined) {
    try {
      builtins = JSON.parse(fs.readFileSync(compiledTemplatesFile(), 'utf8')) as Compiled;
    } catch {
      builtins = null;
    }
  }
  return builtins;
}

/** The template functions of one file: from `compiled` when its text is what was compiled, else compiled now. */
function templateObject(fullpath: string, source: string, builtinName: string | undefined, compiled: Compiled | null): object {
  const key = `${fullpath}\u0000${source}`;
  let obj = loaded.get(key);
  if (obj) return obj;
  const pre = builtinName !== undefined ? compiled?.[builtinName] : undefined;
  let code: string;
  if (pre && pre.sha256 === sha256(source)) {
    code = pre.code;
    templateStats.precompiled++;
  } else {
    try {
      // A user's template is named by its path, as Nunjucks names a template it loads from a file.
      code = compile(source, builtinName ?? fullpath);
    } catch (e) {
      // A syntax error names this template and its line (the template including it adds its own name).
      (e as { Update?: (path: string) => void }).Update?.(fullpath);
      throw e;
    }
    templateStats.compiled++;
  }
  obj = withMarkdownRuntime(new Function(code)() as Record<string, unknown>); // the template's code, run as Nunjucks itself runs it
  loaded.set(key, obj);
  return obj;
}

/**
 * A synchronous Nunjucks loader over directories searched in order, handing Nunjucks compiled
 * templates. Names resolve as in Nunjucks' `FileSystemLoader`, stricter: to a file under a directory, never outside it.
 */
export class TemplateLoader {
  private readonly dirs: string[];
  private readonly builtinDir: string;
  private readonly compiled: Compiled | null;

  /** `dirs` in search order; `builtin` names the one whose templates `compiled` holds (tests pass their own). */
  constructor(dirs: string[], builtin: { dir: string; compiled: Compiled | null } = { dir: builtinTemplatesDir(), compiled: builtinCompiled() }) {
    this.dirs = dirs.map((d) => path.resolve(d));
    this.builtinDir = path.resolve(builtin.dir);
    this.compiled = builtin.compiled;
  }

  getSource(name: string): nunjucks.LoaderSource | null {
    for (const dir of this.dirs) {
      const fullpath = path.resolve(dir, name);
      // Only files under the directory: not a sibling sharing its prefix, not a directory.
      if (!fullpath.startsWith(dir + path.sep) || !fs.statSync(fullpath, { throwIfNoEntry: false })?.isFile()) continue;
      const source = fs.readFileSync(fullpath, 'utf8');
      const builtinName = dir === this.builtinDir ? path.relative(dir, fullpath).split(path.sep).join('/') : undefined;
      const src = { type: 'code', obj: templateObject(fullpath, source, builtinName, this.compiled) };
      return { src: src as unknown as string, path: fullpath, noCache: false };
    }
    return null;
  }

  isRelative(filename: string): boolean {
    return filename.startsWith('./') || filename.startsWith('../');
  }

  /** `./x` from a template: beside it. Built-in templates are compiled under their name in the templates directory. */
  resolve(from: string, to: string): string {
    return path.isAbsolute(from) ? path.resolve(path.dirname(from), to) : path.posix.join(path.posix.dirname(from), to);
  }
}
