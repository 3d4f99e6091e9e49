/**
 * Nesting limits for repository data. Parsers and the analyzers' walks over parsed values recurse
 * once (or a few times) per level, so a file nested thousands of levels deep would overflow the
 * stack, and some parsers then abort the whole process. Each check here is one linear pass with no
 * recursion; a file past its limit is skipped with a warning at the line where the limit was
 * crossed, and the rest of the run goes on.
 */
import { isCollection, isPair, type Document, type Node as YamlNode } from 'yaml';

/** Deepest parsed value (JSON, YAML, HCL, SQL) read: hand-written files stay far below. */
export const MAX_NESTING = 256;

/**
 * Deepest YAML the parser is given, by the text's estimate (indentation counts as levels): the
 * parser overflows its stack from about 1,000 levels, and a parsed document is then held to
 * MAX_NESTING by `yamlNodeTooDeep`, which knows the real depth.
 */
export const MAX_YAML_TEXT_NESTING = 500;

/** Offset of the `[` or `{` that first nests deeper than `limit` in JSON text (outside strings); undefined when none does. */
export function jsonTooDeep(text: string, limit = MAX_NESTING): number | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/**
 * Offset where YAML text may nest deeper than `limit`, estimated in one pass: the levels a line's
 * indentation and leading `- `/`? ` indicators can open, plus the flow collections (`[`, `{`)
 * open at that point. Quoted scalars and comments are skipped; a bracket or quote counts only at
 * the start of a value (after line start, indentation, an indicator, `[`, `{` or `,`), where YAML
 * reads it as one. The estimate is never below the real depth of well-formed YAML.
 */
export function yamlTooDeep(text: string, limit = MAX_YAML_TEXT_NESTING): number | undefined {
  let flow = 0;
  let lead = 0;
  let leading = true;
  // The last character that was not a space or tab on this line ('' at the line's start).
  let prev = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lead = 0;
      leading = true;
      prev = '';
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (leading) lead++;
      continue;
    }
    if (leading && (c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === n)) {
      lead += 2;
      prev = c;
      if (lead + flow > limit) return i;
      continue;
    }
    leading = false;
    if (lead + flow > limit) return i;
    const atValueStart = prev === '' || prev === ':' || prev === '-' || prev === '?' || (flow > 0 && (prev === '[' || prev === '{' || prev === ','));
    if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      while (i + 1 < n && text[i + 1] !== '\n') i++;
      continue;
    }
    if ((c === '"' || c === "'") && atValueStart) {
      for (i++; i < n; i++) {
        const d = text[i]!;
        if (c === '"' && d === '\\') i++;
        else if (d === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
      prev = c;
      continue;
    }
    if ((c === '[' || c === '{') && (atValueStart || flow > 0)) {
      flow++;
      if (lead + flow > limit) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    // Inside a plain scalar (`x[`), a bracket is text and opens nothing after it either.
    prev = flow > 0 || (c !== '[' && c !== '{') ? c : 'x';
  }
  return undefined;
}

/** Start offset of the first collection nested deeper than `limit` in a parsed YAML document, found without recursion. */
export function yamlNodeTooDeep(doc: Document.Parsed, limit = MAX_NESTING): number | undefined {
  const nodes: unknown[] = [doc.contents];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (isPair(node)) {
      nodes.push(node.key, node.value);
      depths.push(depth, depth);
    } else if (isCollection(node)) {
      if (depth > limit) return (node as YamlNode).range?.[0] ?? 0;
      for (const item of node.items) {
        nodes.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/**
 * True when a plain value (a YAML document's `toJS()`, with its aliases expanded) nests deeper
 * than `limit`, found without recursion. The walk stops at the limit, so a cyclic value ends too.
 */
export function valueTooDeep(value: unknown, limit = MAX_NESTING): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const x of v instanceof Map ? v.values() : Array.isArray(v) ? v : Object.values(v)) {
      values.push(x);
      depths.push(depth + 1);
    }
  }
  return false;
}
