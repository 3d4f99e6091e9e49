/**
 * Categorised facts (security, observability…) built from fragments: an analyzer adds a fragment
 * each time it sees evidence of a fact, and the collector keeps one fact per id, with the evidence
 * of every fragment, each string-array detail as the sorted union of the fragments' values, and
 * every other detail as the first fragment gave it.
 */
import { compareStrings, sortedUnique } from '../model/compare.js';
import type { Details, Evidence } from '../model/schema.js';

/** The fields of a categorised fact the collector writes. */
export interface CategorisedFact {
  id: string;
  name: string;
  category: string;
  evidence: Evidence[];
  tech?: string;
  component?: string;
  severity?: 'info' | 'low' | 'medium' | 'high';
  details?: object;
}

/** What a fragment adds besides its id, category, name and evidence. */
export interface FragmentExtra {
  tech?: string;
  component?: string;
  details?: Details;
  severity?: CategorisedFact['severity'];
}

export class FactCollector<F extends CategorisedFact> {
  readonly facts = new Map<string, F>();
  /** Members of each string-array detail already merged (sorted, unique), so adding is not a re-sort. */
  private readonly members = new Map<string, Set<string>>();

  add(id: string, category: F['category'], name: string, evidence: Evidence, extra: FragmentExtra = {}): F {
    const prev = this.facts.get(id);
    if (prev) {
      prev.evidence.push(evidence);
      if (extra.details) {
        // Merged key by key: the collection's schema checks the keys (src/model/details.ts).
        const details = (prev.details ??= {}) as Details;
        for (const [k, v] of Object.entries(extra.details)) {
          const old = details[k];
          if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) details[k] = this.union(`${id}\u0000${k}`, old, v);
          else if (old === undefined) details[k] = v;
        }
      }
      prev.component ??= extra.component;
      return prev;
    }
    const fact = { id, name, category, evidence: [evidence] } as F;
    if (extra.tech) fact.tech = extra.tech;
    if (extra.component) fact.component = extra.component;
    if (extra.severity) fact.severity = extra.severity;
    if (extra.details) fact.details = { ...extra.details };
    this.facts.set(id, fact);
    return fact;
  }

  /** `old` and `more` as one sorted array without repeats (inserting into the merged array). */
  private union(key: string, old: unknown, more: readonly string[]): string[] {
    const seen = this.members.get(key);
    if (!seen || !Array.isArray(old) || seen.size !== old.length) {
      const merged = sortedUnique([...(Array.isArray(old) ? (old as string[]) : []), ...more]);
      this.members.set(key, new Set(merged));
      return merged;
    }
    const list = old as string[];
    for (const x of more) {
      if (seen.has(x)) continue;
      seen.add(x);
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareStrings(list[mid]!, x) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, x);
    }
    return list;
  }
}
