/**
 * The option readings of a script, for the index (index-file.ts): what rule sets that read
 * configuration written in code (observability's loggers, tracers, metrics, health routes; later
 * security's helmet, CORS, rate limits, cookies) need of it, as plain data. One walk of the tree
 * lists, in the walk's order, every call and `new` with its callee, the import binding of the
 * callee's head and its arguments read in full depth (`Opt`), every class declaration with the
 * decorators of the class and its members, and every variable statement holding an object; the
 * modules the file imports, with the point of the walk from which each is known; and what
 * ./clues.ts takes from every node it passes (secret-shaped literals, environment reads…).
 *
 * The readings are those of ./bindings.ts and ./ast.ts (constant folding, environment variable
 * names, labels), taken where the walk meets the expression, so they see the bindings and
 * constants a walk of the tree would have seen at that point.
 */
import ts from '../analyzer/typescript.cjs';
import { bool, calleeName, decoratorsOf, exprLabel, propName, unwrap } from './ast.js';
import { envVariable, fileInfo, numberValue, objectLiteral, recordBinding, stringValue, calleeModule, type FileInfo } from './bindings.js';
import { clueReader, type Clues } from './clues.js';

/** Levels of an argument read (argument, property, array element …); deeper values are not read. */
const MAX_OPT_DEPTH = 8;
/**
 * Readings a file may hold besides one per byte of its text: objects held by constants are read
 * wherever they are passed, so a file of constants that nest each other several times over would
 * otherwise cost far more than its size. Past it, values keep their scalar readings only.
 */
const OPT_BUDGET = 50_000;
/** Longest receiver (`this.metrics.client` in `this.metrics.client.increment()`) and call text kept. */
const MAX_TEXT = 1000;
/** Longest text kept of any other expression without a label (`2`, `'argon2id'`, `a['b']`). */
const MAX_SHORT_TEXT = 100;

/**
 * An expression as the option rules read it: each reading present only when it has an answer.
 * `str`, `num`: a constant (folded, constants of the file followed); `env`: the environment
 * variable read (`process.env.X`, `config.get('X')`, behind defaults and conversions); `label`:
 * a name, chain or callee (`argon2.argon2id`, `new TraceIdRatioBasedSampler()`); `obj`: the object
 * literal, written here or held by a constant; `arr`: an array literal's elements; `alt`: a
 * conditional's two sides; `right`: the default of `a || b` / `a ?? b`; `callee`/`isNew`: a
 * call or `new` written here; `text`: a call, `new`, conditional or binary expression as written
 * (when short), or any other expression without a label but objects, arrays and functions (when
 * shorter still); `bound`: the module an identifier is imported from; `fn`: a function written
 * here; `regex`: a regular expression literal as written.
 */
export interface Opt {
  line: number;
  str?: string;
  num?: number;
  bool?: boolean;
  env?: string;
  label?: string;
  obj?: OptProp[];
  arr?: Opt[];
  alt?: [Opt, Opt];
  right?: Opt;
  callee?: string;
  isNew?: true;
  text?: string;
  bound?: string;
  fn?: true;
  regex?: string;
}

/**
 * A property of an object literal: `v` for `k: v` and shorthand `k` (`short`); none for methods,
 * accessors and spreads. `key` is the static name (none for a computed `[x]`).
 */
export interface OptProp {
  key?: string;
  /** Line where the property starts. */
  line: number;
  v?: Opt;
  short?: true;
  /** The key as written, quotes taken off, where that differs from `key` (`['x']`, `1e3`). */
  written?: string;
}

export interface SiteDecorator {
  name: string;
  /** Line of the `@`. */
  line: number;
  args: Opt[];
}

/** A call or `new`. */
export interface CallSite {
  k: 'call' | 'new';
  line: number;
  endLine: number;
  /** The callee as a chain (`Sentry.init`, `this.jwt.sign`, `?.use` for a call's result), '' when it is none. */
  name: string;
  /** The module the callee's head is bound to (`import`, `require`), and the name imported ('default', '*' or a name). */
  module?: string;
  imported?: string;
  /** The callee is a bare identifier (`helmet()`), not a chain. */
  bare?: true;
  /**
   * A property access callee (`router.get(…)`): its name; its receiver's text without white space
   * (when short), past parentheses and type assertions, and as written where that differs
   * (`(this.stats as StatsD)`); whether the receiver is a call.
   */
  method?: string;
  receiver?: string;
  receiverWritten?: string;
  receiverCall?: true;
  /** `const x = <this>`: the variable. */
  assignedTo?: string;
  args: Opt[];
}

export interface ClassSite {
  k: 'class';
  name?: string;
  line: number;
  decorators: SiteDecorator[];
  /** Members in order; `name` is the static name (none for a constructor or a computed `[x]`). */
  members: { name?: string; line: number; endLine: number; decorators: SiteDecorator[] }[];
}

/** A variable statement: its declarations that hold an object (written there or by a constant). */
export interface VarsSite {
  k: 'vars';
  line: number;
  objects: { name: string; v: Opt }[];
}

export type Site = CallSite | ClassSite | VarsSite;

/** A class or interface declared at the top level: its property names (fields and signatures) and, for a class, its decorators. */
export interface Declaration {
  kind: 'class' | 'interface';
  name: string;
  /** Line of the name. */
  line: number;
  properties: string[];
  decorators: string[];
}

export interface RuleSites {
  /** Top-level classes and interfaces (entities, DTOs), in source order. */
  declarations: Declaration[];
  /** Modules the top-level statements import or require, with the line of the first. */
  modules: [string, number][];
  /** Modules the walk finds further in (a nested `require`, `import()`), known from site `at` on. */
  later: { module: string; line: number; at: number }[];
  sites: Site[];
  /** What rules look for anywhere else (secret-shaped literals, environment reads, provider objects, class heritage…), placed among the sites (./clues.ts). */
  clues: Clues;
}

/** Every module known at site `at`: the top-level ones, then those the walk has found so far. */
export function modulesAt(r: RuleSites, at: number): string[] {
  return [...r.modules.map(([m]) => m), ...r.later.filter((l) => l.at <= at).map((l) => l.module)];
}

/** The walk of ./index-file.ts's `indexFile` for option rules. */
export function ruleSites(file: string, sf: ts.SourceFile): RuleSites {
  const info: FileInfo = fileInfo(file, sf);
  const clue = clueReader(info, sf);
  const out: RuleSites = { declarations: [], modules: [...info.modules], later: [], sites: [], clues: clue.clues };
  for (const st of sf.statements) {
    if (!(ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) || !st.name) continue;
    const properties: string[] = [];
    for (const m of st.members) {
      const name = (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) && m.name ? propName(m.name) : undefined;
      if (name !== undefined) properties.push(name);
    }
    const kind = ts.isClassDeclaration(st) ? 'class' : 'interface';
    out.declarations.push({
      kind,
      name: st.name.text,
      line: info.line(st.name),
      properties,
      decorators: kind === 'class' ? decoratorsOf(st).map((d) => d.name) : [],
    });
  }
  const endLine = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.end).line + 1;
  let budget = OPT_BUDGET + sf.text.length;
  /** Object literals being read (an object that holds itself through a constant is read once). */
  const reading = new Set<ts.ObjectLiteralExpression>();

  const opt = (e: ts.Expression, depth: number): Opt => {
    budget--;
    const o: Opt = { line: info.line(e) };
    const n = unwrap(e);
    const s = stringValue(e, info);
    if (s !== undefined) o.str = s;
    const num = numberValue(e, info);
    if (num !== undefined) o.num = num;
    const b = bool(e);
    if (b !== undefined) o.bool = b;
    const env = envVariable(e, info);
    if (env !== undefined) o.env = env;
    const label = exprLabel(e);
    if (label !== undefined) o.label = label;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const c = calleeName(n);
      if (c !== undefined) o.callee = c;
      if (ts.isNewExpression(n)) o.isNew = true;
    }
    const long = e.end - e.getStart(sf);
    if ((ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isConditionalExpression(n) || ts.isBinaryExpression(n)) && long <= MAX_TEXT)
      o.text = e.getText(sf);
    else if (
      label === undefined &&
      long <= MAX_SHORT_TEXT &&
      !ts.isObjectLiteralExpression(n) &&
      !ts.isArrayLiteralExpression(n) &&
      !ts.isArrowFunction(n) &&
      !ts.isFunctionExpression(n)
    )
      o.text = e.getText(sf);
    if (ts.isIdentifier(e)) {
      const bound = info.bindings.get(e.text)?.module;
      if (bound !== undefined) o.bound = bound;
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) o.fn = true;
    if (ts.isRegularExpressionLiteral(n)) o.regex = n.getText(sf);
    if (depth >= MAX_OPT_DEPTH || budget <= 0) return o;
    const lit = objectLiteral(e, info);
    if (lit && !reading.has(lit)) {
      reading.add(lit);
      o.obj = [];
      for (const p of lit.properties) {
        const key = propName(p.name);
        const entry: OptProp = { line: info.line(p) };
        if (key !== undefined) entry.key = key;
        if (ts.isPropertyAssignment(p)) entry.v = opt(p.initializer, depth + 1);
        else if (ts.isShorthandPropertyAssignment(p)) {
          entry.v = opt(p.name, depth + 1);
          entry.short = true;
        }
        const written = p.name?.getText(sf).replace(/^['"]|['"]$/g, '');
        if (written !== undefined && written !== key) entry.written = written;
        o.obj.push(entry);
      }
      reading.delete(lit);
    }
    if (ts.isArrayLiteralExpression(n)) o.arr = n.elements.map((el) => opt(el, depth + 1));
    if (ts.isConditionalExpression(n)) o.alt = [opt(n.whenTrue, depth + 1), opt(n.whenFalse, depth + 1)];
    if (ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.BarBarToken || n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken))
      o.right = opt(n.right, depth + 1);
    return o;
  };

  const decorators = (n: ts.Node): SiteDecorator[] =>
    decoratorsOf(n).map((d) => ({ name: d.name, line: info.line(d.node), args: d.args.map((a) => opt(a, 1)) }));

  const callSite = (node: ts.CallExpression | ts.NewExpression): CallSite => {
    const site: CallSite = {
      k: ts.isNewExpression(node) ? 'new' : 'call',
      line: info.line(node),
      endLine: endLine(node),
      name: calleeName(node) ?? '',
      args: (node.arguments ?? []).map((a) => opt(a, 1)),
    };
    const b = calleeModule(node, info);
    if (b) {
      site.module = b.module;
      site.imported = b.imported;
    }
    const callee = node.expression;
    if (ts.isIdentifier(callee)) site.bare = true;
    if (ts.isPropertyAccessExpression(callee)) {
      site.method = callee.name.text;
      const recv = unwrap(callee.expression);
      if (ts.isCallExpression(recv)) site.receiverCall = true;
      if (recv.end - recv.getStart(sf) <= MAX_TEXT) site.receiver = recv.getText(sf).replace(/\s+/g, '');
      if (recv !== callee.expression && callee.expression.end - callee.expression.getStart(sf) <= MAX_TEXT)
        site.receiverWritten = callee.expression.getText(sf).replace(/\s+/g, '');
    }
    if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) site.assignedTo = node.parent.name.text;
    return site;
  };

  // Modules the walk adds (a nested require, import()) are known from the next site on.
  const known = new Set(info.modules.keys());
  const bind = (node: ts.Node): void => {
    recordBinding(info, node);
    if (info.modules.size === known.size) return;
    for (const [module, line] of info.modules) {
      if (known.has(module)) continue;
      known.add(module);
      out.later.push({ module, line, at: out.sites.length });
    }
  };

  const visit = (node: ts.Node): void => {
    clue.visit(node, out.sites.length);
    if (ts.isVariableDeclaration(node)) bind(node);
    if (ts.isCallExpression(node)) {
      bind(node);
      out.sites.push(callSite(node));
    } else if (ts.isNewExpression(node)) out.sites.push(callSite(node));
    else if (ts.isClassDeclaration(node)) {
      out.sites.push({
        k: 'class',
        ...(node.name ? { name: node.name.text } : {}),
        line: info.line(node),
        decorators: decorators(node),
        members: node.members.map((m) => {
          const name = propName(m.name);
          return { ...(name === undefined ? {} : { name }), line: info.line(m), endLine: endLine(m), decorators: decorators(m) };
        }),
      });
    } else if (ts.isVariableStatement(node)) {
      const objects: VarsSite['objects'] = [];
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && objectLiteral(d.initializer, info)) objects.push({ name: d.name.text, v: opt(d.initializer, 1) });
      }
      if (objects.length > 0) out.sites.push({ k: 'vars', line: info.line(node), objects });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** A call as rules read it: the site, the last name of its callee, and the name imported when the callee is a bare named import. */
export interface Call extends CallSite {
  /** Last name of the callee chain (`init` of `Sentry.init`). */
  last: string;
  /** The imported name when the callee is a bare named import (`import { init as i }` → `init`), else `last`. */
  named: string;
}

export function readSite(site: CallSite): Call {
  const last = site.name.split('.').pop() ?? '';
  const named = site.imported !== undefined && site.imported !== '*' && site.imported !== 'default' && !site.name.includes('.') ? site.imported : last;
  return { ...site, last, named };
}

/** A property's value (`k: v`, shorthand `k`) of an object reading. */
export function prop(o: Opt | undefined, name: string): Opt | undefined {
  return o?.obj?.find((p) => p.key === name && p.v)?.v;
}

/** Names of an object reading's properties, in order (methods and accessors included). */
export function propKeys(o: Opt | undefined): string[] {
  return o?.obj?.flatMap((p) => (p.key === undefined ? [] : [p.key])) ?? [];
}

/** The object of a reading, or undefined when it holds none. */
export function objectOf(o: Opt | undefined): Opt | undefined {
  return o?.obj ? o : undefined;
}

/** The constant strings of an array reading (others skipped); undefined when it is no array. */
export function strings(o: Opt | undefined): string[] | undefined {
  return o?.arr?.flatMap((x) => (x.str === undefined ? [] : [x.str]));
}

/** The constant numbers of an array reading (others skipped); undefined when it is no array. */
export function numbers(o: Opt | undefined): number[] | undefined {
  return o?.arr?.flatMap((x) => (x.num === undefined ? [] : [x.num]));
}
