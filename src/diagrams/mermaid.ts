/**
 * The two functions every Mermaid builder uses: `nodeId` turns a fact id into a safe, stable,
 * collision-free node id; `label` turns any name from real code into a safe quoted label.
 */
import { createHash } from 'node:crypto';
import { markdownText } from '../render/escape.js';

const RESERVED = new Set(['end', 'graph', 'subgraph', 'flowchart', 'class', 'classdef', 'click', 'style', 'linkstyle', 'default', 'direction']);

/** Stable node id: readable prefix plus a short content hash (no two fact ids collide in practice). */
export function nodeId(factId: string): string {
  const readable = factId
    .replace(/^[a-z-]+:/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  const hash = createHash('sha1').update(factId).digest('hex').slice(0, 6);
  const base = `${readable || 'n'}_${hash}`;
  return /^[0-9]/.test(base) || RESERVED.has(base.toLowerCase()) ? `n_${base}` : base;
}

const ENTITIES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  ';': '#59;',
  '`': '#96;',
  '{': '#123;',
  '}': '#125;',
  // Labels are drawn as HTML: a literal `&lt;` in a name would otherwise show as `<`.
  '&': '#38;',
  // `%%` starts a comment anywhere on an erDiagram line, even inside quotes.
  '%': '#37;',
  // A backslash is not allowed in an erDiagram alias.
  '\\': '#92;',
};

/** A quoted label safe inside `["…"]`, `[("…")]` and edge labels; characters Mermaid reads become entities. */
export function label(text: string, max = 60): string {
  let s = text.replace(/\s+/g, ' ').trim();
  // Mermaid rejects an empty label.
  if (s === '') s = '(unnamed)';
  // Cut by code point so an emoji is never split into half a surrogate pair.
  const chars = Array.from(s);
  if (chars.length > max) s = chars.slice(0, max - 1).join('') + '…';
  return `"${s.replace(/[#"<>|;`{}&%\\]/g, (c) => ENTITIES[c]!)}"`;
}

/**
 * Label for sequence-diagram text (participants, messages, alt/opt conditions), where quotes are
 * not allowed: no quotes around. Not for flowchart edges, where brackets and parentheses in bare
 * text are read as shapes: use `edgeLabel` there.
 */
export function plainLabel(text: string, max = 60): string {
  return label(text, max).slice(1, -1);
}

/** Flowchart edge text, quoted: `|"…"|` (put it right after the arrow). */
export function edgeLabel(text: string, max = 40): string {
  return `|${label(text, max)}|`;
}

/** Node shapes by what a node stands for, so a reader tells a database from a queue at a glance. */
export type Shape = 'box' | 'round' | 'db' | 'queue' | 'external' | 'client' | 'worker' | 'group';

/** A flowchart node statement: `id<open>"label"<close>`. */
export function node(id: string, text: string, shape: Shape = 'box'): string {
  const l = label(text);
  switch (shape) {
    case 'db':
      return `${id}[(${l})]`;
    case 'queue':
      return `${id}[/${l}/]`;
    case 'external':
      return `${id}{{${l}}}`;
    case 'client':
      return `${id}([${l}])`;
    case 'worker':
      return `${id}[[${l}]]`;
    case 'round':
      return `${id}(${l})`;
    case 'group':
      return `${id}[/${l}\\]`;
    default:
      return `${id}[${l}]`;
  }
}

export interface Diagram {
  /** Mermaid source, without the fence. */
  code: string;
  /** Said under the diagram when the builder collapsed or split something. */
  notes: string[];
  /**
   * Further diagrams shown after this one when a big graph is split (one per cluster); each is
   * placed in a collapsed block under its title.
   */
  parts?: { key: string; title: string; diagram: Diagram }[];
  /**
   * Markdown shown instead of the Mermaid block: a table of the boxes of a flowchart that has
   * more than a few and no edge between them (`tabulateEdgeless` in budget.ts).
   */
  table?: string;
}

/**
 * Markdown inline text from names the repository chose: one line, no HTML, no table separator
 * (see render/escape.ts), and no emphasis or link syntax.
 */
export function inlineText(text: string): string {
  return markdownText(text, { emphasis: true });
}

/** Notes as italic lines; Markdown characters in them are escaped. */
export function noteLines(notes: string[]): string {
  return notes.map((n) => `_${inlineText(n)}_`).join('\n\n');
}

export function fence(d: Diagram): string {
  let out = d.table ?? '```mermaid\n' + d.code.replace(/\n+$/, '') + '\n```';
  if (d.notes.length > 0) out += '\n\n' + noteLines(d.notes);
  for (const p of d.parts ?? []) {
    const summary = p.title
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
      .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
    out += `\n\n<details><summary>${summary}</summary>\n\n${fence(p.diagram)}\n\n</details>`;
  }
  return out;
}
