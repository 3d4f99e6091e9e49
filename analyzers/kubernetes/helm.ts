/**
 * Reading Helm templates without rendering them. Action lines (`{{- if … }}`, `{{- include … |
 * nindent 4 }}`) become blank lines, so line numbers stay those of the file; inline actions are
 * replaced by what can be known statically: `.Values.x.y` from values.yaml (scalars only),
 * the chart name for `include "….fullname"` / `.Chart.Name` / `.Release.Name`, and a placeholder
 * otherwise. The result is ordinary YAML for most templates; the rest are counted and skipped.
 * Values under secret-looking keys are never substituted.
 */
import { isSecretName } from '../../src/util/redact.js';

/**
 * What an action with no static value becomes in the YAML text: a plain word, so the document
 * still parses. It never leaves this analyzer: `scrubTemplated` takes it out of every parsed
 * document before a fact is made.
 */
export const TEMPLATED = 'TEMPLATED';

/** How a name part set only at install reads (`Ingress/(templated)`). */
export const TEMPLATED_NAME = '(templated)';

export interface StaticTemplate {
  text: string;
  /** For each 1-based line, the `.Values` conditions of the enclosing `if` blocks. */
  conditions: string[][];
}

function valueAt(values: unknown, path: string): unknown {
  let cur: unknown = values;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function simple(arg: string, values: unknown, chart: string, appVersion?: string): string {
  if (arg.startsWith('"')) return arg.slice(1, -1);
  if (arg.startsWith('.Chart.AppVersion')) return appVersion ?? 'TEMPLATED';
  if (arg.startsWith('.Chart.Name') || arg.startsWith('.Release.Name')) return chart;
  const m = /^\.Values\.([\w.]+)$/.exec(arg);
  if (m && !isSecretName(m[1]!.split('.').pop()!)) {
    const v = valueAt(values, m[1]!);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return /^\d+$/.test(arg) ? arg : 'TEMPLATED';
}

function inlineValue(expr: string, values: unknown, chart: string, appVersion?: string, vars?: Map<string, string>): string {
  const e = trimAction(expr);
  // A quoted literal (`{{ "carts" }}`) is its text; a variable set earlier in the file (`$fullName`) its value.
  const literal = /^"([^"\\{}]*)"$/.exec(e);
  if (literal) return literal[1]!;
  if (/^\$\w+$/.test(e)) return vars?.get(e) ?? 'TEMPLATED';
  // Each piped function starts with `|`, and an unquoted default holds no `|`, space or quote, so
  // a piece of text can be read one way only (`\S+` there, able to take the next `|`, made
  // a long pipeline of defaults exponential to reject).
  const vals = /^\.Values\.([\w.]+)(?:\s*\|\s*(?:quote|default\s+(?:"[^"]*"|[^\s|"]+)|toString|int|lower|upper|trunc\s+\d+|trimSuffix\s+"[^"]*"))*\s*$/.exec(e);
  if (vals) {
    // Never copy a secret-looking value into the model.
    if (isSecretName(vals[1]!.split('.').pop()!)) return 'TEMPLATED';
    const v = valueAt(values, vals[1]!);
    if ((typeof v === 'string' && v !== '') || typeof v === 'number' || typeof v === 'boolean') return String(v);
    const dflt = /default\s+("[^"]*"|\S+)/.exec(e);
    if (dflt) return simple(dflt[1]!, values, chart, appVersion);
    return typeof v === 'string' ? v : 'TEMPLATED';
  }
  const dfltFirst = /^default\s+("([^"]*)"|(\S+))\s+\.Values\.([\w.]+)/.exec(e);
  if (dfltFirst) {
    const v = valueAt(values, dfltFirst[4]!);
    if (isSecretName(dfltFirst[4]!.split('.').pop()!)) return 'TEMPLATED';
    return (typeof v === 'string' && v !== '') || typeof v === 'number' || typeof v === 'boolean' ? String(v) : (dfltFirst[2] ?? dfltFirst[3]!);
  }
  // A sub-part's helper (`catalog.mysql.fullname`) names that part after the chart, by the
  // charts' convention (`{{ include "catalog.fullname" . }}-mysql`), so two of them stay apart.
  const helper = /^(?:include|template)\s+"([^"]*)"/.exec(e)?.[1];
  if (helper !== undefined && /(fullname|\.name)$/.test(helper)) {
    const parts = helper.split('.');
    return parts.length > 2 && /^[\w-]+$/.test(parts[parts.length - 2]!) ? `${chart}-${parts[parts.length - 2]}` : chart;
  }
  if (/^\.(Chart\.Name|Release\.Name)\b/.test(e)) return chart;
  if (/^\.Chart\.AppVersion\b/.test(e)) return appVersion ?? 'TEMPLATED';
  if (/^\.Release\.Namespace\b/.test(e)) return 'TEMPLATED-namespace';
  return 'TEMPLATED';
}

/** The action inside `{{ … }}` without its `-` trim markers and spaces (a loop: `/\s*-$/` rescans a run of spaces from each of its characters). */
function trimAction(expr: string): string {
  let e = expr.trim();
  if (e.startsWith('-')) e = e.slice(1).trimStart();
  if (e.endsWith('-')) e = e.slice(0, -1).trimEnd();
  return e;
}

/**
 * Replaces each inline action, `{{` to the first `}}` (the trim markers `{{-`, `-}}` included),
 * by `value(action)`. By search, not `/\{\{-?([\s\S]*?)-?\}\}/g`, which scans to the end of the
 * line from every `{{` when none is closed.
 */
function replaceActions(line: string, value: (expr: string) => string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = line.indexOf('{{', from);
    if (open < 0) break;
    const start = line[open + 2] === '-' ? open + 3 : open + 2;
    const close = line.indexOf('}}', start);
    if (close < 0) break;
    const end = close > start && line[close - 1] === '-' ? close - 1 : close;
    out += line.slice(from, open) + value(line.slice(start, end));
    from = close + 2;
  }
  return from === 0 ? line : out + line.slice(from);
}

/** The action of a line that is one `{{ … }}` and nothing else, as `/^\{\{-?\s*(.*?)\s*-?\}\}$/` reads it, without its backtracking over spaces. */
function wholeAction(trimmed: string): string | undefined {
  if (trimmed.length < 4 || !trimmed.startsWith('{{') || !trimmed.endsWith('}}') || /[\n\r\u2028\u2029]/.test(trimmed)) return undefined;
  let inner = trimmed.slice(2, -2);
  if (inner.startsWith('-')) inner = inner.slice(1);
  if (inner.endsWith('-')) inner = inner.slice(0, -1);
  return inner.trim();
}

/** Whether a values subtree holds a key that names a secret anywhere in it (it is then never copied). */
function holdsSecretKey(v: unknown, depth = 0): boolean {
  if (depth > 20) return true;
  if (Array.isArray(v)) return v.some((x) => holdsSecretKey(x, depth + 1));
  if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => isSecretName(k) || holdsSecretKey(x, depth + 1));
  return false;
}

/**
 * A whole-line `toYaml .Values.x | nindent N` (or `toYaml .` inside `with .Values.x`) as the
 * values' mapping or list in flow style (JSON), on that one line at indentation N, so the line
 * numbers stay those of the file. Undefined when the value is not a non-empty mapping or list, or
 * holds a secret-looking key.
 */
function toYamlLine(action: string, values: unknown, withPaths: (string | undefined)[], previous: string | undefined): string | undefined {
  // Only as the whole value of the key just above (`securityContext:`), never keys merged into a mapping.
  const key = previous === undefined ? undefined : /^( *)(?:- )?[\w.\/"'-]+:\s*$/.exec(previous);
  if (!key) return undefined;
  const m = /^toYaml\s+(\.Values\.([\w.]+)|\.)\s*\|\s*n?indent\s+(\d+)$/.exec(action);
  if (!m) return undefined;
  const path = m[2] ?? withPaths[withPaths.length - 1];
  if (path === undefined) return undefined;
  const v = valueAt(values, path);
  const empty = Array.isArray(v) ? v.length === 0 : typeof v !== 'object' || v === null || Object.keys(v).length === 0;
  if (empty || holdsSecretKey(v)) return undefined;
  // Deeper than the key, whatever `indent` says (a block list may sit at its key's indentation, a flow one may not).
  const indent = Math.max(Number(m[3]), key[1]!.length + 2);
  return indent > 200 ? undefined : ' '.repeat(indent) + JSON.stringify(v);
}

export function staticTemplate(text: string, values: unknown, chart: string, appVersion?: string): StaticTemplate {
  const lines = text.split('\n');
  const stack: string[] = [];
  /** For each open block, the `.Values` path a `with` block sets `.` to (undefined for other blocks). */
  const withPaths: (string | undefined)[] = [];
  const conditions: string[][] = [[]];
  const out: string[] = [];
  /** Variables a whole-line action sets (`{{- $fullName := include "x.fullname" . -}}`), by name. */
  const vars = new Map<string, string>();
  /** The last line written that is not blank. */
  let lastLine: string | undefined;
  let inComment = false;
  for (const raw of lines) {
    conditions.push(stack.filter((s) => s !== ''));
    let line = raw;
    if (inComment) {
      if (line.includes('*/}}') || line.includes('*/ -}}')) inComment = false;
      out.push('');
      continue;
    }
    const trimmed = line.trim();
    if (/^\{\{-?\s*\/\*/.test(trimmed) && !/\*\/\s*-?\}\}\s*$/.test(trimmed)) {
      inComment = true;
      out.push('');
      continue;
    }
    // Whole-line actions: control flow and includes that render blocks of YAML.
    const action = wholeAction(trimmed);
    if (action !== undefined && !/^\{\{[^}]*\}\}\S/.test(trimmed) && trimmed.indexOf('{{', 2) < 0) {
      const kw = /^(if|else if|else|end|range|with|define|block)\b/.exec(action)?.[1];
      const assign = /^(\$\w+)\s*:?=\s*(\S.*)$/.exec(action);
      if (assign) {
        const v = inlineValue(assign[2]!, values, chart, appVersion, vars);
        if (v.includes('TEMPLATED')) vars.delete(assign[1]!);
        else vars.set(assign[1]!, v);
      }
      if (kw === 'if') {
        // `(?:\(\s*)?`, not `\(?\s*` right after `\s+`: two runs of spaces back to back split a long run every way.
        const cond = /^if\s+(not\s+)?(?:\(\s*)?\.Values\.([\w.]+)/.exec(action);
        stack.push(cond ? `${cond[1] ? '!' : ''}${cond[2]}` : '');
        withPaths.push(undefined);
      } else if (kw === 'with') {
        // A `with` runs its block only when the value is set: a condition, and `.` is that value.
        const path = /^with\s+\.Values\.([\w.]+)\s*$/.exec(action)?.[1];
        stack.push(path ?? '');
        withPaths.push(path);
      } else if (kw === 'range' || kw === 'define' || kw === 'block') {
        stack.push('');
        withPaths.push(undefined);
      } else if (kw === 'end') {
        stack.pop();
        withPaths.pop();
      } else if (kw === 'else' || kw === 'else if') {
        const top = stack.pop();
        stack.push(top && !top.startsWith('!') ? `!${top}` : '');
        withPaths.pop();
        withPaths.push(undefined);
      }
      const flow = toYamlLine(action, values, withPaths, lastLine);
      out.push(flow ?? '');
      if (flow !== undefined) lastLine = flow;
      continue;
    }
    line = replaceActions(line, (expr) => inlineValue(expr, values, chart, appVersion, vars));
    out.push(line);
    if (line.trim() !== '') lastLine = line;
  }
  return { text: out.join('\n'), conditions };
}

/** Whether every condition around a line holds with the chart's default values. */
export function activeByDefault(conds: string[], values: unknown): boolean {
  return conds.every((c) => {
    const neg = c.startsWith('!');
    const v = valueAt(values, neg ? c.slice(1) : c);
    return neg ? !v : !!v;
  });
}

/** `autoscaling.enabled (off by default)` for the conditions around a line. */
export function describeConditions(conds: string[], values: unknown): string | undefined {
  if (conds.length === 0) return undefined;
  return conds
    .map((c) => {
      const neg = c.startsWith('!');
      const path = neg ? c.slice(1) : c;
      const v = valueAt(values, path);
      const on = neg ? !v : !!v;
      return `${neg ? 'not ' : ''}.Values.${path} (${on ? 'on' : 'off'} by default)`;
    })
    .join(' and ');
}

/**
 * A parsed document without the placeholder of values set only at install: in a name (`name`,
 * `serviceName`…) each placeholder reads `(templated)`; an image loses a templated tag; any other
 * value holding one is left out, so the fact is not stated rather than stated wrongly (a Secret's
 * or ConfigMap's key stays, its value empty); a list loses such items.
 */
export function scrubTemplated(v: unknown, key = '', depth = 0): unknown {
  if (depth > 64) return v;
  if (typeof v === 'string') {
    if (!v.includes(TEMPLATED)) return v;
    if (key === 'image') {
      const untagged = v.endsWith(`:${TEMPLATED}`) ? v.slice(0, -TEMPLATED.length - 1) : v;
      return untagged.includes(TEMPLATED) ? undefined : untagged;
    }
    if (key === 'name' || key === 'serviceName') return v.split(`${TEMPLATED}-namespace`).join(TEMPLATED_NAME).split(TEMPLATED).join(TEMPLATED_NAME);
    return undefined;
  }
  if (Array.isArray(v)) return v.map((x) => scrubTemplated(x, '', depth + 1)).filter((x) => x !== undefined);
  if (typeof v === 'object' && v !== null) {
    // A Secret's or ConfigMap's keys are facts whatever their values: a templated value reads empty.
    const keyed = key === 'data' || key === 'stringData';
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = scrubTemplated(x, k, depth + 1);
      if (y !== undefined) out[k] = y;
      else if (keyed) out[k] = '';
    }
    return out;
  }
  return v;
}
