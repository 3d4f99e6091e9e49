/**
 * Glob and .gitignore matching without regular expressions. Patterns come from the repository
 * (.gitignore files, workspace lists), and a backtracking RegExp built from `a*a*a*a*a*b` takes
 * exponential time on a name of a's. Here a pattern compiles to a small automaton whose states
 * are followed together, one character at a time, so a match costs at most (states) x (path
 * length) steps whatever the pattern.
 *
 * Workspace and include globs: `*` matches within a segment, `**` across segments, `?` one
 * character, `{a,b}` alternatives. Patterns are repo-relative POSIX.
 */

type Node =
  | { k: 'char'; c: string }
  /** Any one character but `/`. */
  | { k: 'one' }
  /** One character (never `/`) in (or, negated, not in) the inclusive ranges `[lo, hi, lo, hi, …]`. */
  | { k: 'set'; neg: boolean; ranges: string[] }
  /** Any run of characters but `/`. */
  | { k: 'star' }
  /** Any run of characters, `/` included. */
  | { k: 'any' }
  /** Goes on at each target without reading a character. */
  | { k: 'split'; to: number[] }
  | { k: 'jump'; to: number };

/** Longer patterns are never compiled (they match nothing): no real glob or ignore line is this long. */
export const MAX_PATTERN_LENGTH = 4096;

/**
 * Matching work shared by every ignore rule of one walk. Reading one character costs one step for
 * each state alive, so a match is bounded, but thousands of rules like `*a*b*c*` against thousands
 * of names still add up to minutes. Once `limit` steps are spent, rules with wildcards match
 * nothing more (rules without one are string comparisons and still apply).
 */
export class MatchBudget {
  steps = 0;
  constructor(readonly limit: number) {}

  get spent(): boolean {
    return this.steps >= this.limit;
  }
}

class Automaton {
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(private readonly nodes: Node[]) {
    this.mark = new Int32Array(nodes.length + 1);
  }

  /** Adds state `s` and every state reachable from it without reading a character. */
  private close(s: number, into: number[]): void {
    const todo = [s];
    while (todo.length > 0) {
      const i = todo.pop()!;
      if (this.mark[i] === this.stamp) continue;
      this.mark[i] = this.stamp;
      const node = this.nodes[i];
      if (node?.k === 'split') for (let t = node.to.length - 1; t >= 0; t--) todo.push(node.to[t]!);
      else if (node?.k === 'jump') todo.push(node.to);
      else {
        into.push(i);
        if (node?.k === 'star' || node?.k === 'any') todo.push(i + 1);
      }
    }
  }

  /** Whether the automaton matches all of `text`; false once `budget` is spent. */
  test(text: string, budget?: MatchBudget): boolean {
    const end = this.nodes.length;
    let current: number[] = [];
    this.stamp++;
    this.close(0, current);
    for (let p = 0; p < text.length && current.length > 0; p++) {
      if (budget && (budget.steps += current.length) > budget.limit) return false;
      const c = text[p]!;
      const next: number[] = [];
      this.stamp++;
      for (const s of current) {
        const node = this.nodes[s];
        if (!node) continue;
        switch (node.k) {
          case 'char':
            if (node.c === c) this.close(s + 1, next);
            break;
          case 'one':
            if (c !== '/') this.close(s + 1, next);
            break;
          case 'set':
            if (c !== '/' && inRanges(c, node.ranges) !== node.neg) this.close(s + 1, next);
            break;
          case 'star':
            if (c !== '/') this.close(s, next);
            break;
          case 'any':
            this.close(s, next);
            break;
        }
      }
      current = next;
    }
    return current.includes(end);
  }
}

function inRanges(c: string, ranges: string[]): boolean {
  for (let i = 0; i + 1 < ranges.length; i += 2) if (ranges[i]! <= c && c <= ranges[i + 1]!) return true;
  return false;
}

/** Appends `**` followed by `/`: zero or more whole directories. A repeat of the one just before adds nothing. */
function pushDirs(nodes: Node[]): void {
  const n = nodes.length;
  const prev = nodes[n - 3];
  if (prev?.k === 'split' && prev.to[1] === n && nodes[n - 2]?.k === 'any') return;
  nodes.push({ k: 'split', to: [n + 1, n + 3] }, { k: 'any' }, { k: 'char', c: '/' });
}

function pushStar(nodes: Node[]): void {
  if (nodes[nodes.length - 1]?.k !== 'star') nodes.push({ k: 'star' });
}

const NEVER = new Automaton([{ k: 'split', to: [] }]);
const globCache = new Map<string, Automaton>();

function compileGlob(glob: string): Automaton {
  if (glob.length > MAX_PATTERN_LENGTH) return NEVER;
  const start = glob.startsWith('./') ? 2 : 0;
  let end = glob.length;
  while (end > start && glob[end - 1] === '/') end--;
  const g = glob.slice(start, end);
  const nodes: Node[] = [];
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches zero or more directories; any other `**` matches everything, `/` included.
        if (g[i + 2] === '/') {
          pushDirs(nodes);
          i += 2;
        } else {
          if (nodes[nodes.length - 1]?.k !== 'any') nodes.push({ k: 'any' });
          i += 1;
        }
      } else pushStar(nodes);
    } else if (c === '?') nodes.push({ k: 'one' });
    else if (c === '{' && g.indexOf('}', i) > 0) {
      const close = g.indexOf('}', i);
      const alts = g.slice(i + 1, close).split(',');
      const split: Node & { k: 'split' } = { k: 'split', to: [] };
      nodes.push(split);
      const jumps: (Node & { k: 'jump' })[] = [];
      for (const alt of alts) {
        split.to.push(nodes.length);
        for (const a of alt) {
          if (a === '*') pushStar(nodes);
          else nodes.push({ k: 'char', c: a });
        }
        const jump: Node & { k: 'jump' } = { k: 'jump', to: 0 };
        jumps.push(jump);
        nodes.push(jump);
      }
      for (const j of jumps) j.to = nodes.length;
      i = close;
    } else nodes.push({ k: 'char', c });
  }
  return new Automaton(nodes);
}

export function matchesGlob(file: string, glob: string): boolean {
  let a = globCache.get(glob);
  if (!a) {
    a = compileGlob(glob);
    globCache.set(glob, a);
  }
  return a.test(file);
}

/**
 * Match against a list of patterns where `!pattern` negates (last match wins, as in
 * pnpm-workspace.yaml and npm workspaces).
 */
export function matchesPatternList(file: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchesGlob(file, p.slice(1))) matched = false;
    } else if (matchesGlob(file, p)) matched = true;
  }
  return matched;
}

interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  /** No `/` in the pattern: it is matched against the last segment of the path. */
  base: boolean;
  /** The pattern when it has no wildcard (compared as a string). */
  literal?: string;
  automaton?: Automaton;
  /**
   * With an automaton, cheap tests first: the characters every match starts with, those it ends
   * with, and the longest run it holds somewhere.
   */
  prefix: string;
  suffix: string;
  run: string;
  /** The pattern's last segment is `*.<ext>` (`*.js`, `bin/*.js`): it ignores files by extension. */
  byExtension?: string;
}

/**
 * The rules of one .gitignore file (or of a config's exclude list, read the same way), as git
 * reads them: `#` comments, `!` negation (the last matching rule wins), a trailing `/` for
 * directories only, a pattern without `/` matching at any depth, a leading or inner `/` anchoring
 * to the file's directory, `*`, `?`, `[a-z]`, `[!…]`, `**` as whole segments, `\` escapes.
 */
export class GitIgnore {
  private readonly rules: IgnoreRule[] = [];
  /** The rules without wildcards: all that apply once the budget is spent. */
  private literals?: IgnoreRule[];
  /** 1-based numbers of lines too long to be a pattern (skipped). */
  readonly skippedLines: number[] = [];
  /** 1-based number of the first pattern line past `maxRules` (it and every line after are skipped). */
  readonly firstUnread?: number;

  /**
   * `maxRules`: the patterns read, the rest skipped (see `firstUnread`). `budget`: the matching work
   * allowed, shared with other files of the same walk.
   */
  constructor(
    text: string | readonly string[],
    maxRules = Infinity,
    private readonly budget?: MatchBudget,
  ) {
    const lines = typeof text === 'string' ? text.split('\n') : text;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length > MAX_PATTERN_LENGTH) this.skippedLines.push(i + 1);
      else {
        const rule = compileIgnoreLine(line);
        if (!rule) continue;
        if (this.rules.length >= maxRules) {
          this.firstUnread = i + 1;
          break;
        }
        this.rules.push(rule);
      }
    }
  }

  /** The number of patterns read. */
  get size(): number {
    return this.rules.length;
  }

  /** Whether the path (relative to the file's directory, no trailing `/`) is ignored. */
  ignores(rel: string, isDir: boolean): boolean {
    return this.decides(rel, isDir) === true;
  }

  /**
   * What the last matching pattern says of the path: ignored (true), re-included by a `!` pattern
   * (false), or nothing when no pattern matches — then a .gitignore further up decides, as in git.
   */
  decides(rel: string, isDir: boolean): boolean | undefined {
    return this.decision(rel, isDir)?.ignored;
  }

  /** As `decides`, with the extension when the deciding pattern ignores by extension (`*.js` → `js`). */
  decision(rel: string, isDir: boolean): { ignored: boolean; byExtension?: string } | undefined {
    let name: string | undefined;
    const rules = this.budget?.spent ? (this.literals ??= this.rules.filter((r) => r.literal !== undefined)) : this.rules;
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i]!;
      if (r.dirOnly && !isDir) continue;
      const subject = r.base ? (name ??= rel.slice(rel.lastIndexOf('/') + 1)) : rel;
      if (r.literal !== undefined ? r.literal === subject : wildMatch(r, subject, this.budget))
        return r.byExtension !== undefined && !r.negate ? { ignored: true, byExtension: r.byExtension } : { ignored: !r.negate };
    }
    return undefined;
  }
}

/** A rule with wildcards against `subject`: one step of the budget for the cheap tests, then the automaton's. */
function wildMatch(r: IgnoreRule, subject: string, budget: MatchBudget | undefined): boolean {
  if (budget) {
    if (budget.spent) return false;
    budget.steps++;
  }
  if (subject.length < r.prefix.length + r.suffix.length || !subject.startsWith(r.prefix) || !subject.endsWith(r.suffix) || !subject.includes(r.run))
    return false;
  return r.automaton!.test(subject, budget);
}

/**
 * The characters every match of `nodes` starts with, those it ends with, and the longest run of
 * characters it holds. A `**\/` (a split, then nodes it can skip) breaks runs: its `/` is optional.
 */
function affixes(nodes: Node[]): { prefix: string; suffix: string; run: string } {
  const optional = new Set<number>();
  nodes.forEach((n, s) => {
    if (n.k === 'split') for (let i = s + 1; i < Math.max(s + 1, ...n.to); i++) optional.add(i);
  });
  const runs: string[] = [''];
  nodes.forEach((n, i) => {
    if (n.k === 'char' && !optional.has(i)) runs[runs.length - 1] += n.c;
    else runs.push('');
  });
  const run = runs.reduce((a, b) => (b.length > a.length ? b : a));
  return { prefix: nodes[0]?.k === 'char' ? runs[0]! : '', suffix: nodes[nodes.length - 1]?.k === 'char' ? runs[runs.length - 1]! : '', run };
}

function compileIgnoreLine(raw: string): IgnoreRule | undefined {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line === '' || line.startsWith('#')) return undefined;
  // Trailing spaces are dropped unless escaped with a backslash.
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  line = line.slice(0, end);
  const negate = line.startsWith('!');
  if (negate) line = line.slice(1);
  const dirOnly = line.endsWith('/') && !line.endsWith('\\/');
  if (dirOnly) line = line.slice(0, -1);
  if (line === '') return undefined;
  const base = !line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  const nodes: Node[] = [];
  let wild = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      if (i + 1 < line.length) nodes.push({ k: 'char', c: line[++i]! });
    } else if (c === '*') {
      wild = true;
      let j = i;
      while (line[j + 1] === '*') j++;
      const whole = j > i && (i === 0 || line[i - 1] === '/') && (j + 1 === line.length || line[j + 1] === '/');
      if (!whole) pushStar(nodes);
      else if (j + 1 === line.length) {
        // Trailing `**` (or the whole pattern): everything below.
        if (nodes[nodes.length - 1]?.k !== 'any') nodes.push({ k: 'any' });
      } else {
        // `**/`: zero or more directories.
        pushDirs(nodes);
        j++;
      }
      i = j;
    } else if (c === '?') {
      wild = true;
      nodes.push({ k: 'one' });
    } else if (c === '[') {
      const set = readSet(line, i);
      if (set) {
        wild = true;
        nodes.push(set.node);
        i = set.end;
      } else nodes.push({ k: 'char', c });
    } else nodes.push({ k: 'char', c });
  }
  if (!wild) return { negate, dirOnly, base, literal: nodes.map((n) => (n.k === 'char' ? n.c : '')).join(''), prefix: '', suffix: '', run: '' };
  const last = line.slice(line.lastIndexOf('/') + 1);
  const ext = last.startsWith('*.') ? last.slice(2) : '';
  const plainExt = ext !== '' && [...ext].every((c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  return { negate, dirOnly, base, automaton: new Automaton(nodes), ...affixes(nodes), ...(plainExt ? { byExtension: ext.toLowerCase() } : {}) };
}

/** A bracket expression starting at `line[start]` (`[`), or undefined when it is not closed. */
function readSet(line: string, start: number): { node: Node; end: number } | undefined {
  let i = start + 1;
  const neg = line[i] === '!' || line[i] === '^';
  if (neg) i++;
  const ranges: string[] = [];
  let first = true;
  for (; i < line.length; i++) {
    let c = line[i]!;
    if (c === ']' && !first) return { node: { k: 'set', neg, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < line.length) c = line[++i]!;
    if (line[i + 1] === '-' && i + 2 < line.length && line[i + 2] !== ']') {
      let hi = line[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < line.length) hi = line[++i]!;
      ranges.push(c, hi);
    } else ranges.push(c, c);
  }
  return undefined;
}
