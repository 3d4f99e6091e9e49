/**
 * One comparator for everything archdoc orders. Strings compare by UTF-16 code unit, never with
 * localeCompare (whose result depends on the machine's locale and ICU version).
 */
import type { Evidence, Warning } from './schema.js';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareEvidence(a: Evidence, b: Evidence): number {
  return compareStrings(a.file, b.file) || a.line - b.line;
}

export function compareById(a: { id: string }, b: { id: string }): number {
  return compareStrings(a.id, b.id);
}

export function compareWarnings(a: Warning, b: Warning): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    compareStrings(a.analyzer, b.analyzer) ||
    compareStrings(a.message, b.message)
  );
}

/** Sorted copy of unique strings. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Sorted copy of unique evidence. */
export function sortedEvidence(values: Iterable<Evidence>): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const e of values) seen.set(`${e.file}\u0000${e.line}`, { file: e.file, line: e.line });
  return [...seen.values()].sort(compareEvidence);
}
