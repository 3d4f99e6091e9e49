/**
 * One comparator for everything archdoc orders. Strings compare by UTF-16 code unit, never with
 * localeCompare (whose result depends on the machine's locale and ICU version).
 */
import type { Details, Evidence, Warning } from './schema.js';

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
  return compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.analyzer, b.analyzer) || compareStrings(a.message, b.message);
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

/**
 * A fact gathered piece by piece, made ready to emit (in place): evidence sorted and unique, each
 * array detail sorted and unique or dropped when empty, and `details` dropped when nothing is left.
 */
export function tidyFact(f: { evidence: Evidence[]; details?: Details }): void {
  f.evidence = sortedEvidence(f.evidence);
  if (!f.details) return;
  for (const [k, v] of Object.entries(f.details)) {
    if (!Array.isArray(v)) continue;
    if (v.length === 0) delete f.details[k];
    else f.details[k] = sortedUnique(v as string[]);
  }
  if (Object.keys(f.details).length === 0) delete f.details;
}
