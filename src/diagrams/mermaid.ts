/**
 * The two functions every Mermaid builder uses: `nodeId` turns a fact id into a safe, stable,
 * collision-free node id; `label` turns any name from real code into a safe quoted label.
 */
import { createHash } from 'node:crypto';

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
};

/** A quoted label safe inside `["…"]`, `[("…")]` and edge labels; characters Mermaid reads become entities. */
export function label(text: string, max = 60): string {
  let s = text.replace(/\s+/g, ' ').trim();
  if (s.length > max) s = s.slice(0, max - 1) + '…';
  return `"${s.replace(/[#"<>|;`{}]/g, (c) => ENTITIES[c]!)}"`;
}

/** Label for sequence diagrams and edge text, where quotes are not allowed: no quotes around. */
export function plainLabel(text: string, max = 60): string {
  return label(text, max).slice(1, -1);
}

export interface Diagram {
  /** Mermaid source, without the fence. */
  code: string;
  /** Said under the diagram when the builder collapsed or split something. */
  notes: string[];
}

export function fence(d: Diagram): string {
  const notes = d.notes.map((n) => `\n_${n}_`).join('\n');
  return '```mermaid\n' + d.code.replace(/\n+$/, '') + '\n```' + (notes ? '\n' + notes : '');
}
