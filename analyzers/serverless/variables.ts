/**
 * Serverless Framework variables read against the service's own configuration, never resolved
 * from outside it: `${self:custom.queueName}` is the value at that path of the configuration,
 * `${self:custom.${self:custom.stage}.QUEUE_URL}` each value the path can reach when a part of it
 * (the stage) is not known, and `${self:…, 'default'}` its fallback when the path holds nothing.
 * Every other source (`env:`, `opt:`, `sls:`, `aws:`, `ssm:`, `file(…)`, `cf:`) is unknown.
 * Scanning is by hand, character by character, and bounded.
 */
import { asRecord } from '../../src/analysis/yaml.js';

/** How many variables deep a value is followed (`prod: ${self:custom.dev}` is one). */
const MAX_DEPTH = 6;
/** How many values a path may reach at once (a part not known takes every key). */
const MAX_CANDIDATES = 32;
/** How many values one question may visit in all (variables naming variables could otherwise multiply). */
const MAX_STEPS = 4_000;

/** The variable `${…}` that starts at `start`: its content and the index after its `}`; nested `${…}` are kept whole. */
function variableAt(s: string, start: number): { body: string; end: number } | undefined {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return { body: s.slice(start + 2, i), end: i + 1 };
  }
  return undefined;
}

/** `s` split at `sep` where no `${…}` or quote is open. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** Whether a string holds a variable. */
export function hasVariable(s: string): boolean {
  return s.includes('${');
}

export class SelfVariables {
  /** Steps left to the question being answered (reset by each question asked from outside). */
  private steps = MAX_STEPS;

  constructor(private readonly config: Record<string, unknown>) {}

  /**
   * The values `v` can have: a string that is one whole variable is each value its path reaches
   * (none when its source is not the configuration); a string with variables inside has those
   * that resolve to one string or number written in; anything else is itself.
   */
  values(v: unknown, depth = 0): unknown[] {
    if (typeof v !== 'string' || !hasVariable(v)) return [v];
    if (depth === 0) this.steps = MAX_STEPS;
    if (depth > MAX_DEPTH) return [];
    const s = v.trim();
    const whole = s.startsWith('${') ? variableAt(s, 0) : undefined;
    if (whole && whole.end === s.length) return this.variable(whole.body, depth);
    return [this.substitute(v, depth)];
  }

  /** The string with each variable that resolves to one string or number written in; the others left as written. */
  substitute(s: string, depth = 0): string {
    if (depth === 0) this.steps = MAX_STEPS;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const at = s.indexOf('${', i);
      const found = at < 0 ? undefined : variableAt(s, at);
      if (!found) return out + s.slice(i);
      const vals = depth > MAX_DEPTH ? [] : this.variable(found.body, depth);
      const one = vals.length === 1 && (typeof vals[0] === 'string' || typeof vals[0] === 'number') ? String(vals[0]) : undefined;
      out += s.slice(i, at) + (one ?? s.slice(at, found.end));
      i = found.end;
    }
    return out;
  }

  /**
   * The values of a variable's content: its first source's, or, when that is a path of the
   * configuration that holds nothing, its fallbacks' in order. A source from outside (`opt:`,
   * `env:`…) may hold anything, so its fallback (`${opt:stage, 'dev'}`) is no more its value than
   * any other: none is known.
   */
  private variable(body: string, depth: number): unknown[] {
    for (const part of splitTop(body, ',')) {
      const src = part.trim();
      const quoted = src.length >= 2 && (src[0] === "'" || src[0] === '"') && src.endsWith(src[0]!);
      if (quoted) return [src.slice(1, -1)];
      if (/^-?\d{1,12}$/.test(src)) return [Number(src)];
      if (!src.startsWith('self:')) return [];
      const found = this.path(src.slice('self:'.length), depth);
      if (found.length) return found;
    }
    return [];
  }

  /** The values a dotted path of the configuration reaches; a part that is an unknown variable takes every key. */
  private path(path: string, depth: number): unknown[] {
    let nodes: unknown[] = [this.config];
    for (const raw of path === '' ? [] : splitTop(path, '.')) {
      const part = hasVariable(raw) ? this.substitute(raw, depth + 1) : raw;
      const next: unknown[] = [];
      for (const node of nodes) {
        if (--this.steps < 0) return [];
        // A node that is itself a variable (`prod: ${self:custom.dev}`) is the value it names.
        for (const n of this.values(node, depth + 1)) {
          const r = asRecord(n);
          if (!r) continue;
          if (!hasVariable(part)) {
            if (r[part] !== undefined) next.push(r[part]);
          } else for (const k of Object.keys(r).sort()) next.push(r[k]);
        }
      }
      nodes = [...new Set(next)].slice(0, MAX_CANDIDATES);
      if (!nodes.length) return [];
    }
    return [...new Set(nodes.flatMap((n) => this.values(n, depth + 1)))];
  }
}
