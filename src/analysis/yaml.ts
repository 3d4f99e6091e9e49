/**
 * YAML node helpers shared by the analyzers that read YAML (compose, kubernetes, ci, serverless,
 * platforms): the line of a key or an item, and plain-value readers that take whatever the parser
 * gave and never throw.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { YamlFile } from '../analyzer/context.js';

/** The pair under `key` in a YAML map node. */
export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item;
  }
  return undefined;
}

/** The node at a path of map keys / sequence indexes. */
export function nodeAt(node: unknown, path: readonly (string | number)[]): Node | undefined {
  let cur: unknown = node;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[step];
    } else {
      const p = pairOf(cur, step);
      if (!p) return undefined;
      cur = p.value;
    }
  }
  return (cur ?? undefined) as Node | undefined;
}

/** 1-based line of the key at the end of `path` (or of the node, for an index); `fallback` when absent. */
export function lineOf(y: Pick<YamlFile, 'line'>, root: unknown, path: readonly (string | number)[], fallback = 1): number {
  if (path.length === 0) {
    const r = (root as Node | undefined)?.range;
    return r ? y.line(r[0]) : fallback;
  }
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    const item = isSeq(parent) ? (parent.items[last] as Node | undefined) : undefined;
    return item?.range ? y.line(item.range[0]) : fallback;
  }
  const p = pairOf(parent, last);
  const key = p?.key as Node | undefined;
  return key?.range ? y.line(key.range[0]) : fallback;
}

/** Line of a document's first content. */
export function docLine(y: Pick<YamlFile, 'line'>, doc: Document.Parsed): number {
  const r = doc.contents?.range;
  return r ? y.line(r[0]) : 1;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return asArray(v).flatMap((x) => (typeof x === 'string' || typeof x === 'number' ? [String(x)] : []));
}
