/**
 * The engine's plain-data index of a file in another language than TypeScript (Python, Go, Java,
 * Kotlin, C#, PHP): what route rules need, read from the tokens of `lex.ts` in one linear pass.
 *
 * - `calls`: every call (`a.b.c(…)`, `new X(…)`, `Route::get(…)`, `$app->get(…)`), with the call it
 *   is chained on (`r.HandleFunc(…).Methods("GET")`), the call whose arguments it is written in
 *   (a closure's body included: `r.Route("/v1", func(r chi.Router) { r.Get(…) })`), the name it is
 *   assigned to, its class and function, and its arguments as values (keyword arguments apart);
 * - `annotations`: Python decorators, Java/Kotlin annotations, C# and PHP attributes, with their
 *   arguments and the class, function or field they annotate and the class they sit in;
 * - `assigns`: `name = value` statements (`:=`, `const`, `static final`, class attributes), with
 *   their class and function; `augments`: Python's `name += value` (`urlpatterns += router.urls`);
 * - `imports` (Python and Go), `classes` (with their bases) and `functions`.
 *
 * Values are plain data (`PValue`): strings, dotted names, lists, a call (by index), a function
 * literal, a `+` concatenation (of strings, or Python lists: `[…] + router.urls`) or other text. Nothing here resolves a name across files; the rules
 * do (analyzers/endpoints/polyglot). Brackets are matched once; nesting is followed without
 * recursion on the file's depth except in `valueOf`, which stops at MAX_VALUE_DEPTH.
 */
import { lex, type PolyglotLanguage, type Token } from './lex.js';

export type PValue =
  | { k: 'str'; v: string; template?: boolean }
  | { k: 'name'; path: string[] }
  | { k: 'list'; items: PValue[] }
  | { k: 'map'; entries: { key: PValue; value: PValue }[] }
  | { k: 'call'; call: number }
  | { k: 'fn' }
  | { k: 'concat'; parts: PValue[] }
  | { k: 'other'; text: string };

export interface PKeyword {
  name: string;
  value: PValue;
}

export interface PCall {
  /** The callee as written, separators dropped: `app.include_router` → ['app', 'include_router']; a chained call's is its own name. */
  callee: string[];
  /** `new X(…)`. */
  isNew?: boolean;
  /** The call this one is chained on. */
  receiver?: number;
  /** The call in whose argument list (closure bodies included) this one is written. */
  within?: number;
  /** The name the call's value (the last of its chain) is assigned to: `r := mux.NewRouter()`, `self.app = Flask(…)`. */
  assigned?: string[];
  args: PValue[];
  kw: PKeyword[];
  line: number;
  /** The class and the function it is written in. */
  owner?: string;
  fn?: string;
}

export interface PTarget {
  kind: 'class' | 'function' | 'field';
  name: string;
  line: number;
}

export interface PAnnotation {
  name: string[];
  args: PValue[];
  kw: PKeyword[];
  line: number;
  target?: PTarget;
  /** The class the annotation sits in (for a method's, the method's class). */
  owner?: string;
}

export interface PAssign {
  name: string[];
  value: PValue;
  line: number;
  owner?: string;
  fn?: string;
}

export interface PImport {
  /** The module as written (`app.api.routes`, `.routes`, `github.com/gorilla/mux`). */
  module: string;
  /** The name imported from it (`from m import name`), when one is. */
  name?: string;
  /** The local name it is bound to. */
  alias: string;
  line: number;
}

export interface PolyglotIndex {
  file: string;
  language: PolyglotLanguage;
  calls: PCall[];
  annotations: PAnnotation[];
  assigns: PAssign[];
  /** Python `name += value` statements, apart from `assigns`: they extend a binding and bind nothing. */
  augments: PAssign[];
  imports: PImport[];
  /** Classes (Go: struct types, with their fields' names and types). */
  classes: { name: string; line: number; bases: string[]; owner?: string; fields?: { name: string; type: string }[] }[];
  /** Declared functions and methods, with their parameters' names in Go and Python. */
  functions: { name: string; line: number; owner?: string; params?: string[]; receiver?: string }[];
  /** The file had more tokens than are read. */
  truncated: boolean;
}

const MAX_VALUE_DEPTH = 24;
const SEPARATORS = new Set(['.', '::', '->', '?.', '?->']);
const CLASS_WORDS = new Set(['class', 'interface', 'enum', 'record', 'object', 'struct']);
const NOT_METHODS = new Set([
  'func',
  'const',
  'var',
  'import',
  'if',
  'for',
  'foreach',
  'while',
  'switch',
  'catch',
  'synchronized',
  'return',
  'new',
  'using',
  'lock',
  'fixed',
  'when',
  'function',
  'fn',
  'elseif',
  'else',
]);
const FUNCTION_WORDS = new Set(['lambda', 'func', 'function', 'fn', 'fun']);
const KOTLIN_BLOCK_WORDS = new Set(['else', 'try', 'finally', 'init', 'do', 'object', 'companion', 'constructor']);

/** A Go import path's default package name: its last segment, a major-version suffix dropped (`chi/v5` → `chi`, `yaml.v3` → `yaml`). */
function goPackageName(module: string): string {
  const parts = module.split('/');
  let last = parts[parts.length - 1]!;
  const isVersion = (x: string): boolean => x.length > 1 && x[0] === 'v' && [...x.slice(1)].every((c) => c >= '0' && c <= '9');
  if (isVersion(last) && parts.length > 1) last = parts[parts.length - 2]!;
  const dot = last.lastIndexOf('.');
  if (dot > 0 && isVersion(last.slice(dot + 1))) last = last.slice(0, dot);
  return last.startsWith('go-') ? last.slice(3) : last;
}

interface Scope {
  kind: 'class' | 'function';
  name: string;
  /** Brace languages: the token index of the closing brace; Python: the indentation of the header. */
  end: number;
}

/** Indexes one file's text. */
export function indexPolyglot(file: string, text: string, language: PolyglotLanguage): PolyglotIndex {
  const { tokens, truncated } = lex(text, language);
  return new Indexer(file, language, tokens, truncated).run();
}

class Indexer {
  private readonly match: Int32Array;
  private readonly out: PolyglotIndex;
  /** Calls by the token index of their `(`, and the last call of a chain by its first token. */
  private readonly byParen = new Map<number, number>();
  private readonly chainByStart = new Map<number, number>();
  private readonly ranges: { open: number; close: number }[] = [];
  /** The last token of the last assignment's value. */
  private assignedUpTo = -1;
  /** Kotlin trailing lambdas by the token index of their `{`. */
  private readonly byBlock = new Map<number, number>();
  private readonly python: boolean;

  constructor(
    file: string,
    private readonly language: PolyglotLanguage,
    private readonly t: Token[],
    truncated: boolean,
  ) {
    this.python = language === 'python';
    this.match = new Int32Array(t.length).fill(-1);
    const stack: number[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      if (tok.k !== 'op') continue;
      if (tok.v === '(' || tok.v === '[' || tok.v === '{' || tok.v === '#[') stack.push(i);
      else if (tok.v in pairs) {
        const open = stack[stack.length - 1];
        if (open === undefined) continue;
        const ov = t[open]!.v === '#[' ? '[' : t[open]!.v;
        if (ov !== pairs[tok.v]) continue;
        stack.pop();
        this.match[open] = i;
        this.match[i] = open;
      }
    }
    for (const open of stack) this.match[open] = t.length;
    this.out = { file, language, calls: [], annotations: [], assigns: [], augments: [], imports: [], classes: [], functions: [], truncated };
  }

  run(): PolyglotIndex {
    const t = this.t;
    const scopes: Scope[] = [];
    const open: { call: number; close: number }[] = [];
    /** Open brackets, innermost last: whether an `=` is a statement's or a keyword argument's. */
    const brackets: number[] = [];
    let pending: { kind: 'class' | 'function'; name: string; depth: number } | undefined;
    /** The current line's indentation (a Python line's is its first token's column). */
    let lineIndent = 0;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i]!;
      if (this.lineStart(i)) lineIndent = tok.col;
      // Scopes, calls and brackets that have ended.
      if (this.python) {
        if (this.lineStart(i) && tok.k !== 'nl') while (scopes.length && tok.col <= scopes[scopes.length - 1]!.end) scopes.pop();
      } else while (scopes.length && i > scopes[scopes.length - 1]!.end) scopes.pop();
      while (open.length && i > open[open.length - 1]!.close) open.pop();
      while (brackets.length && i > this.match[brackets[brackets.length - 1]!]!) brackets.pop();
      const owner = this.owner(scopes);
      const fn = this.fn(scopes);
      // Decorators, annotations and attributes: read whole, their tokens skipped.
      if (tok.k === 'op' && tok.v === '@' && t[i + 1]?.k === 'id' && t[i + 1]!.v !== 'interface' && (!this.python || this.lineStart(i))) {
        i = this.annotation(i + 1, i, owner) - 1;
        continue;
      }
      if (tok.k === 'op' && ((tok.v === '[' && this.language === 'csharp' && this.statementStart(i)) || (tok.v === '#[' && this.language === 'php'))) {
        i = this.attributes(i, owner);
        continue;
      }
      const call = this.byParen.get(i) ?? this.byBlock.get(i);
      if (call !== undefined) open.push({ call, close: this.match[i]! });
      if (tok.k === 'op' && (tok.v === '(' || tok.v === '[' || tok.v === '{' || tok.v === '#[')) brackets.push(i);
      const depth = brackets.length;
      // Headers of classes and functions.
      if (tok.k === 'id' && t[i - 1]?.v !== '.') {
        if (CLASS_WORDS.has(tok.v) && t[i + 1]?.k === 'id' && !(tok.v === 'object' && this.language !== 'kotlin')) {
          const name = t[i + 1]!.v;
          this.out.classes.push({ name, line: tok.line, bases: this.bases(i + 2), ...(owner ? { owner } : {}) });
          if (this.python) scopes.push({ kind: 'class', name, end: lineIndent });
          else pending = { kind: 'class', name, depth };
        } else if ((tok.v === 'def' || tok.v === 'fun' || tok.v === 'function') && t[i + 1]?.k === 'id') {
          const name = this.functionName(i + 1);
          const params = this.python && t[i + 2]?.v === '(' ? { params: this.params(i + 2) } : {};
          this.out.functions.push({ name, line: tok.line, ...(owner ? { owner } : {}), ...params });
          if (this.python) scopes.push({ kind: 'function', name, end: lineIndent });
          else pending = { kind: 'function', name, depth };
        } else if (tok.v === 'func' && this.language === 'go') {
          let j = i + 1;
          // A method's receiver: `(rs *AccountResource)`: its name and type.
          let recv: { receiver?: string; owner?: string } = {};
          if (t[j]?.v === '(') {
            const close = this.match[j]!;
            const ids: string[] = [];
            for (let k = j + 1; k < close && k < t.length; k++) if (t[k]!.k === 'id') ids.push(t[k]!.v);
            if (ids.length) recv = { owner: ids[ids.length - 1]!, ...(ids.length > 1 ? { receiver: ids[0]! } : {}) };
            j = close + 1;
          }
          if (t[j]?.k === 'id' && t[j + 1]?.v === '(') {
            this.out.functions.push({ name: t[j]!.v, line: tok.line, params: this.params(j + 1), ...recv });
            pending = { kind: 'function', name: t[j]!.v, depth };
          }
        } else if (tok.v === 'type' && this.language === 'go' && t[i + 1]?.k === 'id' && t[i + 2]?.v === 'struct' && t[i + 3]?.v === '{') {
          this.out.classes.push({ name: t[i + 1]!.v, line: tok.line, bases: [], fields: this.goFields(i + 3) });
        }
      }
      if (tok.k === 'op' && tok.v === '{' && !this.python) {
        if (pending && depth - 1 === pending.depth) {
          scopes.push({ kind: pending.kind, name: pending.name, end: this.match[i]! });
          pending = undefined;
        } else if (!pending && scopes[scopes.length - 1]?.kind === 'class') {
          // A Java or C# method: `Type name(…) [throws …] {`.
          const name = this.methodBefore(i);
          if (name) {
            this.out.functions.push({ name, line: tok.line, ...(owner ? { owner } : {}) });
            scopes.push({ kind: 'function', name, end: this.match[i]! });
          }
        }
      }
      if (tok.k === 'op' && tok.v === ';' && pending && depth === pending.depth) pending = undefined;
      // Imports.
      if (tok.k === 'id' && (tok.v === 'import' || tok.v === 'from') && (this.python || this.language === 'go') && this.lineStart(i)) {
        i = this.imports(i) - 1;
        continue;
      }
      // Assignments: an `=` directly in a block (not a keyword argument in parentheses or a list).
      // An `=` inside a value already read (`a = b = 1`) is not read again: each statement's tokens are walked once.
      if (tok.k === 'op' && (tok.v === '=' || tok.v === ':=' || (tok.v === '+=' && this.python)) && i > this.assignedUpTo && this.isStatementLevel(brackets))
        this.assign(i, owner, fn);
      // Calls.
      if (tok.k === 'id' && this.pathStart(i)) {
        const path = this.path(i);
        const next = t[path.end];
        const isNew = t[i - 1]?.v === 'new';
        // Directly in a class body of a brace language, `name(…)` declares a method unless it is a field's value.
        const inClassBody = !this.python && scopes[scopes.length - 1]?.kind === 'class' && !open.length && t[isNew ? i - 2 : i - 1]?.v !== '=';
        if (next?.v === '(' && !NOT_METHODS.has(t[path.end - 1]!.v) && !this.isDeclaration(i) && !inClassBody) {
          this.chain(i, path.names, path.end, isNew, open[open.length - 1]?.call, owner, fn);
        } else if (next?.v === '{' && this.language === 'kotlin' && !pending && !KOTLIN_BLOCK_WORDS.has(tok.v) && path.names.length === 1) {
          // Kotlin's trailing lambda without arguments: `routing { … }`, `get { … }`.
          this.chain(i, path.names, path.end, false, open[open.length - 1]?.call, owner, fn);
        }
      }
    }
    this.finish();
    return this.out;
  }

  private isStatementLevel(brackets: readonly number[]): boolean {
    const top = brackets[brackets.length - 1];
    if (top === undefined) return true;
    const v = this.t[top]!.v;
    if (v === '{') return !this.python;
    // A Go `const (` / `var (` block holds declarations.
    const before = this.t[top - 1];
    return v === '(' && this.language === 'go' && before?.k === 'id' && (before.v === 'const' || before.v === 'var');
  }

  private owner(scopes: Scope[]): string | undefined {
    for (let k = scopes.length - 1; k >= 0; k--) if (scopes[k]!.kind === 'class') return scopes[k]!.name;
    return undefined;
  }

  private fn(scopes: Scope[]): string | undefined {
    const top = scopes[scopes.length - 1];
    return top?.kind === 'function' ? top.name : undefined;
  }

  private lineStart(i: number): boolean {
    return i === 0 || this.t[i - 1]!.k === 'nl';
  }

  private statementStart(i: number): boolean {
    const p = this.t[i - 1];
    return !p || p.k === 'nl' || (p.k === 'op' && (p.v === '{' || p.v === '}' || p.v === ';' || p.v === ']'));
  }

  /** Whether an identifier starts a dotted path (it does not follow a separator). */
  private pathStart(i: number): boolean {
    const p = this.t[i - 1];
    return !(p && p.k === 'op' && (SEPARATORS.has(p.v) || p.v === '@' || p.v === '\\'));
  }

  private path(i: number): { names: string[]; end: number } {
    const names = [this.t[i]!.v];
    let j = i + 1;
    while (SEPARATORS.has(this.t[j]?.v ?? '') && this.t[j]!.k === 'op' && this.t[j + 1]?.k === 'id') {
      names.push(this.t[j + 1]!.v);
      j += 2;
    }
    return { names, end: j };
  }

  /** `def name(`, `fun name(` are headers, not calls; so is a Go `func name(`. */
  private isDeclaration(i: number): boolean {
    const p = this.t[i - 1];
    // Go's method `func (s *Server) name(`.
    if (this.language === 'go' && p?.v === ')' && this.t[this.match[i - 1]! - 1]?.v === 'func') return true;
    return p?.k === 'id' && (p.v === 'def' || p.v === 'fun' || p.v === 'function' || p.v === 'func' || p.v === 'class');
  }

  private functionName(i: number): string {
    // Kotlin `fun <T> Foo.bar(`: the last name before `(`.
    let j = i;
    let name = this.t[i]!.v;
    while (j < this.t.length && j < i + 12 && this.t[j]!.v !== '(') {
      if (this.t[j]!.k === 'id') name = this.t[j]!.v;
      j++;
    }
    return name;
  }

  private bases(i: number): string[] {
    const out: string[] = [];
    const t = this.t;
    if (this.python) {
      if (t[i]?.v !== '(') return out;
      for (const [s] of this.split(i + 1, this.match[i]!)) if (t[s]?.k === 'id') out.push(this.path(s).names.join('.'));
      return out;
    }
    for (let j = i; j < t.length && j < i + 40; j++) {
      const v = t[j]!.v;
      if (v === '{' || v === ';') break;
      if (t[j]!.k === 'id' && (v === 'extends' || v === 'implements')) continue;
      if (t[j]!.k === 'id' && (t[j - 1]?.v === 'extends' || t[j - 1]?.v === 'implements' || t[j - 1]?.v === ':' || t[j - 1]?.v === ',')) out.push(v);
    }
    return out;
  }

  /** The method a `{` opens, by `name(…) [throws A, B] {` before it. */
  private methodBefore(brace: number): string | undefined {
    let j = brace - 1;
    const t = this.t;
    // C#'s and some Java's `{` on a line of its own.
    while (j >= 0 && t[j]!.k === 'nl') j--;
    while (j >= 0 && t[j]!.k === 'id') j--; // `throws X`
    while (j >= 0 && t[j]!.v === ',') {
      j--;
      while (j >= 0 && (t[j]!.k === 'id' || t[j]!.v === '.')) j--;
    }
    if (t[j]?.v !== ')') return undefined;
    const openParen = this.match[j]!;
    const name = t[openParen - 1];
    if (!name || name.k !== 'id' || NOT_METHODS.has(name.v)) return undefined;
    return name.v;
  }

  /** A Go struct's fields, one a line: `Name *pkg.Type`, `A, B int`, an embedded `*Type` (named by its type). */
  private goFields(brace: number): { name: string; type: string }[] {
    const out: { name: string; type: string }[] = [];
    const close = Math.min(this.match[brace]!, this.t.length);
    let line: Token[] = [];
    const flush = (): void => {
      const ids = line.filter((x) => x.k === 'id');
      if (ids.length === 1) out.push({ name: ids[0]!.v, type: ids[0]!.v });
      else if (ids.length > 1) {
        const type = ids[ids.length - 1]!.v;
        // `A, B int`: every name before the type.
        for (let k = 0; k < line.length && line[k]!.k === 'id'; k += 2) {
          out.push({ name: line[k]!.v, type });
          if (!(line[k + 1]?.k === 'op' && line[k + 1]!.v === ',')) break;
        }
      }
      line = [];
    };
    for (let k = brace + 1; k < close; k++) {
      const x = this.t[k]!;
      if (x.k === 'nl' || (x.k === 'op' && x.v === ';')) flush();
      else if (x.k === 'op' && (x.v === '{' || x.v === '(' || x.v === '[') && this.match[k]! > k) {
        // An inline struct or a function type: skipped.
        if (x.v !== '[') line.push({ k: 'id', v: 'inline', line: x.line, col: x.col });
        k = Math.min(this.match[k]!, close);
      } else if (x.k !== 'str') line.push(x);
      if (out.length > 200) break;
    }
    flush();
    return out;
  }

  /** The parameters' names of the parenthesised list at `paren` (Go `a, b int` gives both; Python's `*args` its name). */
  private params(paren: number): string[] {
    const out: string[] = [];
    for (const [s, e] of this.split(paren + 1, Math.min(this.match[paren]!, this.t.length))) {
      let j = s;
      while (j < e && this.t[j]!.k === 'op') j++;
      if (j < e && this.t[j]!.k === 'id') out.push(this.t[j]!.v);
    }
    return out;
  }

  /** The comma-separated parts of the tokens [s, e), brackets skipped. */
  private split(s: number, e: number): [number, number][] {
    const out: [number, number][] = [];
    let start = s;
    for (let j = s; j < e; j++) {
      const tok = this.t[j]!;
      if (tok.k === 'op' && (tok.v === '(' || tok.v === '[' || tok.v === '{' || tok.v === '#[')) {
        const m = this.match[j]!;
        if (m > j) j = Math.min(m, e);
        continue;
      }
      if (tok.k === 'op' && tok.v === ',') {
        out.push([start, j]);
        start = j + 1;
      }
    }
    if (this.trim(start, e)[0] < this.trim(start, e)[1]) out.push([start, e]);
    return out.map(([a, b]) => this.trim(a, b)).filter(([a, b]) => a < b);
  }

  private trim(s: number, e: number): [number, number] {
    while (s < e && this.t[s]!.k === 'nl') s++;
    while (e > s && this.t[e - 1]!.k === 'nl') e--;
    return [s, e];
  }

  /** Arguments of the parenthesised tokens opening at `paren`: positional values and keywords. */
  private args(paren: number): { args: PValue[]; kw: PKeyword[] } {
    const args: PValue[] = [];
    const kw: PKeyword[] = [];
    const close = Math.min(this.match[paren]!, this.t.length);
    for (const [s, e] of this.split(paren + 1, close)) {
      const a = this.t[s]!;
      const b = this.t[s + 1];
      const named =
        a.k === 'id' && b?.k === 'op' && ((b.v === '=' && this.language !== 'go') || (b.v === ':' && (this.language === 'csharp' || this.language === 'php')));
      if (named && s + 2 < e) kw.push({ name: a.v, value: this.valueOf(s + 2, e, 0) });
      else args.push(this.valueOf(s, e, 0));
    }
    return { args, kw };
  }

  /** The value of the tokens [s, e). */
  private valueOf(s0: number, e0: number, level: number): PValue {
    const t = this.t;
    let [s, e] = this.trim(s0, e0);
    while (s < e && t[s]!.k === 'op' && (t[s]!.v === '&' || t[s]!.v === '*' || t[s]!.v === '**')) s++;
    if (s >= e) return { k: 'other', text: '' };
    if (level > MAX_VALUE_DEPTH) return { k: 'other', text: this.text(s, e) };
    const first = t[s]!;
    // Strings, concatenated (`"a" "b"`, `"a" + X`, PHP `'a' . X`).
    if (first.k === 'str' || first.k === 'id' || first.v === '(') {
      const parts: PValue[] = [];
      let j = s;
      let ok = true;
      while (j < e) {
        const p = t[j]!;
        if (p.k === 'str') {
          parts.push({ k: 'str', v: p.v, ...(p.template ? { template: true } : {}) });
          j++;
        } else if (p.k === 'id' && this.pathStart(j)) {
          const path = this.path(j);
          if (t[path.end]?.v === '(' || t[path.end]?.v === '[') {
            ok = false;
            break;
          }
          parts.push({ k: 'name', path: path.names });
          j = path.end;
        } else {
          ok = false;
          break;
        }
        if (j < e) {
          const sep = t[j]!;
          if (sep.k === 'op' && (sep.v === '+' || (sep.v === '.' && this.language === 'php'))) j++;
          else if (!(sep.k === 'str' && parts[parts.length - 1]?.k === 'str')) {
            ok = false;
            break;
          }
        }
      }
      if (ok && parts.length === 1) return parts[0]!;
      if (ok && parts.length > 1) {
        if (parts.every((p) => p.k === 'str')) {
          const template = parts.some((p) => p.k === 'str' && p.template);
          return { k: 'str', v: parts.map((p) => (p.k === 'str' ? p.v : '')).join(''), ...(template ? { template: true } : {}) };
        }
        return { k: 'concat', parts };
      }
    }
    // Lists: `[…]`, `(…)` tuples, `{…}` (Java annotation arrays), `[]string{…}`, `new[] { … }`, PHP `array(…)`.
    if (first.k === 'op' && (first.v === '[' || first.v === '(' || first.v === '{') && this.match[s] === e - 1) {
      if (first.v === '(' && !this.hasComma(s + 1, e - 1)) return this.valueOf(s + 1, e - 1, level + 1);
      return this.collection(s + 1, e - 1, level);
    }
    const last = t[e - 1]!;
    // `[]string{…}`, `new[] { … }`, `map[string]string{…}`, `Options{Prefix: "/x"}`: a typed literal.
    if (last.k === 'op' && last.v === '}' && this.match[e - 1]! > s && this.isTypeText(s, this.match[e - 1]!)) {
      return this.collection(this.match[e - 1]! + 1, e - 1, level);
    }
    if (first.k === 'id' && first.v === 'array' && t[s + 1]?.v === '(' && this.match[s + 1] === e - 1) return this.collection(s + 2, e - 1, level);
    if (first.k === 'id' && FUNCTION_WORDS.has(first.v)) return { k: 'fn' };
    // A call (its chain's last call), `new X(…)` included.
    const head = first.k === 'id' && first.v === 'new' ? s + 1 : s;
    const call = this.chainByStart.get(head);
    if (call !== undefined && this.ranges[call]!.close === e - 1) return { k: 'call', call };
    for (let j = s; j < e; j++) {
      const p = t[j]!;
      if (p.k === 'op' && (p.v === '=>' || (p.v === '->' && this.language !== 'php'))) return { k: 'fn' };
      if (p.k === 'op' && (p.v === '(' || p.v === '[' || p.v === '{')) j = Math.max(j, Math.min(this.match[j]!, e));
    }
    // Python lists joined with `+` (`urlpatterns = [path(…)] + router.urls`): the parts, when one is a list.
    if (this.python) {
      const cuts: number[] = [];
      for (let j = s; j < e; j++) {
        const p = t[j]!;
        if (p.k === 'op' && (p.v === '(' || p.v === '[' || p.v === '{')) j = Math.max(j, Math.min(this.match[j]!, e));
        else if (p.k === 'op' && p.v === '+' && j > s) cuts.push(j);
      }
      if (cuts.length) {
        const parts: PValue[] = [];
        let from = s;
        for (const c of [...cuts, e]) {
          parts.push(this.valueOf(from, c, level + 1));
          from = c + 1;
        }
        if (parts.some((p) => p.k === 'list')) return { k: 'concat', parts };
      }
    }
    return { k: 'other', text: this.text(s, e) };
  }

  /** The items of a list, or the entries of a map when they are `key: value` (Python, Go) or `key => value` (PHP). */
  private collection(s: number, e: number, level: number): PValue {
    const parts = this.split(s, e);
    const entries: { key: PValue; value: PValue }[] = [];
    for (const [a, b] of parts) {
      for (let j = a; j < b; j++) {
        const p = this.t[j]!;
        if (p.k === 'op' && (p.v === '(' || p.v === '[' || p.v === '{')) {
          j = Math.max(j, Math.min(this.match[j]!, b));
          continue;
        }
        if (p.k === 'op' && (p.v === '=>' || (p.v === ':' && (this.python || this.language === 'go')))) {
          entries.push({ key: this.valueOf(a, j, level + 1), value: this.valueOf(j + 1, b, level + 1) });
          break;
        }
      }
    }
    if (entries.length && entries.length === parts.length) return { k: 'map', entries };
    return { k: 'list', items: parts.map(([a, b]) => this.valueOf(a, b, level + 1)) };
  }

  /** Whether the tokens [s, e) are a type (`[]string`, `new[]`, `pkg.Options`, `*T`). */
  private isTypeText(s: number, e: number): boolean {
    for (let j = s; j < e; j++) {
      const p = this.t[j]!;
      if (p.k === 'id' || (p.k === 'op' && (p.v === '[' || p.v === ']' || p.v === '.' || p.v === '*' || p.v === '&'))) continue;
      return false;
    }
    return e > s;
  }

  private hasComma(s: number, e: number): boolean {
    for (let j = s; j < e; j++) {
      if (this.t[j]!.v === ',' && this.t[j]!.k === 'op') return true;
      if (this.t[j]!.k === 'op' && (this.t[j]!.v === '(' || this.t[j]!.v === '[' || this.t[j]!.v === '{')) j = Math.max(j, Math.min(this.match[j]!, e));
    }
    return false;
  }

  private text(s: number, e: number): string {
    let out = '';
    for (let j = s; j < e && out.length < 80; j++) out += this.t[j]!.k === 'str' ? JSON.stringify(this.t[j]!.v) : this.t[j]!.v;
    return out.slice(0, 80);
  }

  /** A call and the calls chained on it; returns nothing, records them. */
  private chain(start: number, names: string[], paren: number, isNew: boolean, within: number | undefined, owner?: string, fn?: string): void {
    const t = this.t;
    let receiver: number | undefined;
    let callee = names;
    let p = paren;
    let last = -1;
    const assigned = this.assignedName(isNew ? start - 1 : start);
    for (let guard = 0; guard < 1000; guard++) {
      const index = this.out.calls.length;
      const isBlock = t[p]!.v === '{';
      const close = Math.min(this.match[p]!, t.length - 1);
      const call: PCall = { callee, args: [], kw: [], line: t[start]!.line, ...(isNew && receiver === undefined ? { isNew: true } : {}) };
      if (receiver !== undefined) {
        call.receiver = receiver;
        call.line = t[p - 1]!.line;
      }
      if (within !== undefined) call.within = within;
      if (owner) call.owner = owner;
      if (fn) call.fn = fn;
      this.out.calls.push(call);
      this.ranges.push({ open: isBlock ? -1 : p, close });
      if (isBlock) this.byBlock.set(p, index);
      else this.byParen.set(p, index);
      // Kotlin's trailing lambda: `route("/api") { … }` holds the calls written in it.
      if (!isBlock && this.language === 'kotlin' && t[close + 1]?.v === '{') this.byBlock.set(close + 1, index);
      last = index;
      // `.name(` after the closing parenthesis continues the chain (line breaks between allowed).
      let q = close + 1;
      while (t[q]?.k === 'nl') q++;
      if (!(t[q]?.k === 'op' && SEPARATORS.has(t[q]!.v) && t[q + 1]?.k === 'id')) break;
      // `.a.b(`: a property path then a call.
      const path = this.path(q + 1);
      if (t[path.end]?.v !== '(') break;
      receiver = index;
      callee = path.names;
      p = path.end;
    }
    this.chainByStart.set(start, last);
    if (assigned) this.out.calls[last]!.assigned = assigned;
  }

  /** `x = <here>`, `x := <here>`, `self.x = <here>`, `val x = <here>`, `x: T = <here>`. */
  private assignedName(start: number, augmented = false): string[] | undefined {
    const t = this.t;
    const eq = t[start - 1];
    if (!eq || eq.k !== 'op' || (eq.v !== '=' && eq.v !== ':=' && !(augmented && eq.v === '+='))) return undefined;
    let j = start - 2;
    // Python `name: Type = …`, Kotlin `val name: Type = …`; also a subscripted, dotted or union Python type (`id: Mapped[int] = …`, `x: uuid.UUID | None = …`).
    if (t[j]?.k === 'id' && t[j - 1]?.v === ':') j -= 2;
    else if (this.python) {
      let k = j;
      for (let n = 0; n < 8 && k > 0; n++) {
        if (t[k]?.v === ']') k = this.match[k]! - 1;
        while (t[k]?.k === 'id' && t[k - 1]?.v === '.' && t[k - 2]?.k === 'id') k -= 2;
        if (t[k - 1]?.v !== '|') break;
        k -= 2;
      }
      if (k >= 2 && t[k]?.k === 'id' && t[k - 1]?.v === ':' && t[k - 2]?.k === 'id') j = k - 2;
    }
    if (t[j]?.k !== 'id') return undefined;
    // `a, err := f()`, `x, y = …`: the first name.
    while (t[j - 1]?.v === ',' && t[j - 2]?.k === 'id') j -= 2;
    const names = [t[j]!.v];
    while (t[j - 1]?.k === 'op' && SEPARATORS.has(t[j - 1]!.v) && t[j - 2]?.k === 'id') {
      names.unshift(t[j - 2]!.v);
      j -= 2;
    }
    return names;
  }

  /** A statement-level assignment at the `=` token `eq`. */
  private assign(eq: number, owner?: string, fn?: string): void {
    const t = this.t;
    const augmented = t[eq]!.v === '+=';
    const name = this.assignedName(eq + 1, augmented);
    if (!name) return;
    // The value runs to the end of the statement.
    let e = eq + 1;
    while (e < t.length) {
      const tok = t[e]!;
      if (tok.k === 'nl' || (tok.k === 'op' && (tok.v === ';' || tok.v === ')' || tok.v === '}' || tok.v === ']' || tok.v === ','))) break;
      if (tok.k === 'op' && (tok.v === '(' || tok.v === '[' || tok.v === '{')) {
        const m = this.match[e]!;
        if (m < 0 || m >= t.length) break;
        e = m + 1;
        continue;
      }
      e++;
    }
    this.assignedUpTo = e;
    const into = augmented ? this.out.augments : this.out.assigns;
    const value = this.valueOfLater(eq + 1, e, into);
    into.push({ name, value, line: t[eq]!.line, ...(owner ? { owner } : {}), ...(fn ? { fn } : {}) });
  }

  /**
   * The value of an assignment: the call it holds is recorded later in the same pass, so a call is
   * named by its first token and resolved once the pass is over.
   */
  private valueOfLater(s: number, e: number, into: PAssign[]): PValue {
    this.later.push({ s, e, at: into.length, into });
    return { k: 'other', text: '' };
  }

  private readonly later: { s: number; e: number; at: number; into: PAssign[] }[] = [];

  /** An annotation's name and arguments from the identifier after `@`; returns the token after it. */
  private annotation(i: number, at: number, owner?: string): number {
    const path = this.path(i);
    let end = path.end;
    if (this.t[end]?.v === '(') {
      this.laterAnnotations.push({ index: this.out.annotations.length, paren: end });
      end = this.match[end]! + 1;
    }
    const target = this.targetAfter(end);
    this.out.annotations.push({ name: path.names, args: [], kw: [], line: this.t[at]!.line, ...(target ? { target } : {}), ...(owner ? { owner } : {}) });
    return end;
  }

  private readonly laterAnnotations: { index: number; paren: number }[] = [];

  /** `[A, B("x")]` (C#) or `#[A(…)]` (PHP) at `open`; returns the closing bracket's index. */
  private attributes(open: number, owner?: string): number {
    const close = Math.min(this.match[open]!, this.t.length - 1);
    const target = this.targetAfter(close + 1);
    for (const [s] of this.split(open + 1, close)) {
      let j = s;
      if (this.t[j]?.k === 'id' && this.t[j + 1]?.v === ':') j += 2; // `[return: X]`
      if (this.t[j]?.k !== 'id') continue;
      const path = this.path(j);
      if (this.t[path.end]?.v === '(') this.laterAnnotations.push({ index: this.out.annotations.length, paren: path.end });
      this.out.annotations.push({ name: path.names, args: [], kw: [], line: this.t[j]!.line, ...(target ? { target } : {}), ...(owner ? { owner } : {}) });
    }
    return close;
  }

  /** What an annotation annotates: the next class, function, method or field declared. */
  private targetAfter(i: number): PTarget | undefined {
    const t = this.t;
    let lastId: Token | undefined;
    for (let j = i, n = 0; j < t.length && n < 80; j++, n++) {
      const tok = t[j]!;
      if (tok.k === 'nl') continue;
      if (tok.k === 'op' && tok.v === '@' && t[j + 1]?.k === 'id') {
        const p = this.path(j + 1);
        j = t[p.end]?.v === '(' ? this.match[p.end]! : p.end - 1;
        continue;
      }
      if (tok.k === 'op' && ((tok.v === '[' && this.language === 'csharp') || tok.v === '#[')) {
        j = this.match[j]!;
        continue;
      }
      if (tok.k === 'op' && tok.v === '<') {
        // Generic parameters: skipped to the matching `>`.
        let d = 0;
        for (; j < t.length && j < i + 80; j++) {
          if (t[j]!.v === '<') d++;
          else if (t[j]!.v === '>') d--;
          else if (t[j]!.v === '>>') d -= 2;
          if (d <= 0) break;
        }
        continue;
      }
      if (tok.k === 'id') {
        // C#'s `object` is a return type (`public object Monthly(…)`), Kotlin's a declaration.
        if (CLASS_WORDS.has(tok.v) && t[j + 1]?.k === 'id' && !(tok.v === 'object' && this.language !== 'kotlin'))
          return { kind: 'class', name: t[j + 1]!.v, line: tok.line };
        if ((tok.v === 'def' || tok.v === 'fun' || tok.v === 'function') && t[j + 1]?.k === 'id')
          return { kind: 'function', name: this.functionName(j + 1), line: tok.line };
        if (t[j + 1]?.v === '(' && !NOT_METHODS.has(tok.v)) return { kind: 'function', name: tok.v, line: tok.line };
        lastId = tok;
        continue;
      }
      if (tok.k === 'op' && (tok.v === ';' || tok.v === '=' || tok.v === '{')) return lastId ? { kind: 'field', name: lastId.v, line: lastId.line } : undefined;
      if (tok.k === 'op' && (tok.v === '.' || tok.v === '?' || tok.v === '[' || tok.v === ']' || tok.v === '*' || tok.v === ':' || tok.v === ',')) continue;
      return undefined;
    }
    return undefined;
  }

  /** Python `import a.b as c`, `from .m import (x as y, z)`; Go `import "p"`, `import ( a "p" )`. */
  private imports(i: number): number {
    const t = this.t;
    const line = t[i]!.line;
    if (this.language === 'go') {
      let j = i + 1;
      const block = t[j]?.v === '(';
      // `import "p"`, `import alias "p"`: up to the string.
      const end = block ? this.match[j]! : t[j]?.k === 'str' ? j + 1 : j + 2;
      if (block) j++;
      for (; j < end && j < t.length; j++) {
        if (t[j]!.k === 'str') {
          const module = t[j]!.v;
          const before = t[j - 1];
          const named = before !== undefined && j - 1 > i && (before.k === 'id' || before.v === '.' || before.v === '_');
          const alias = named ? before.v : goPackageName(module);
          this.out.imports.push({ module, alias, line: t[j]!.line });
        }
      }
      return Math.min(block ? end + 1 : end, t.length);
    }
    let j = i + 1;
    // A dotted module name, relative ones (`.routes`, `..core`) included.
    const dotted = (): string => {
      let s = '';
      while (t[j]?.k === 'op' && (t[j]!.v === '.' || t[j]!.v === '...')) s += t[j++]!.v;
      while (t[j]?.k === 'id') {
        s += t[j++]!.v;
        if (!(t[j]?.v === '.' && t[j + 1]?.k === 'id')) break;
        s += t[j++]!.v;
      }
      return s;
    };
    if (t[i]!.v === 'import') {
      for (;;) {
        const module = dotted();
        let alias = module.split('.')[0]!;
        if (t[j]?.v === 'as' && t[j + 1]?.k === 'id') {
          alias = t[j + 1]!.v;
          j += 2;
        }
        if (module) this.out.imports.push({ module, alias, line });
        if (t[j]?.v !== ',') break;
        j++;
      }
      return j;
    }
    const module = dotted();
    if (t[j]?.v !== 'import') return j;
    j++;
    const paren = t[j]?.v === '(';
    const end = paren ? this.match[j]! : t.length;
    if (paren) j++;
    while (j < end && j < t.length && t[j]!.k !== 'nl') {
      if (t[j]!.k === 'id' || t[j]!.v === '*') {
        const name = t[j]!.v;
        let alias = name;
        if (t[j + 1]?.v === 'as' && t[j + 2]?.k === 'id') {
          alias = t[j + 2]!.v;
          j += 2;
        }
        this.out.imports.push({ module, name, alias, line });
      }
      j++;
    }
    return paren ? end + 1 : j;
  }

  /** Second half of the pass: arguments, assignment values and annotation arguments, now that every call is known. */
  private finish(): void {
    this.out.calls.forEach((call, index) => {
      const r = this.ranges[index]!;
      if (r.open < 0) return;
      const a = this.args(r.open);
      call.args = a.args;
      call.kw = a.kw;
    });
    for (const l of this.later) l.into[l.at]!.value = this.valueOf(l.s, l.e, 0);
    for (const l of this.laterAnnotations) {
      const a = this.args(l.paren);
      this.out.annotations[l.index]!.args = a.args;
      this.out.annotations[l.index]!.kw = a.kw;
    }
  }
}
