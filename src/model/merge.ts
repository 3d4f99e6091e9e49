/**
 * Merging fragments: facts from several analyzers (or several files) that share an id become one
 * fact. Evidence is unioned; arrays of strings are unioned; arrays of objects are concatenated
 * without duplicates; for scalars, and for objects within details (a rollout), the first analyzer
 * to say something wins (analyzers run in a fixed order, so the result is deterministic).
 */
import { compareById, compareStrings, sortedEvidence, sortedUnique } from './compare.js';
import type { Evidence } from './schema.js';

type Plain = Record<string, unknown>;

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeValue(key: string, a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (key === 'evidence' && Array.isArray(a) && Array.isArray(b)) {
    return sortedEvidence([...(a as Evidence[]), ...(b as Evidence[])]);
  }
  if (isStringArray(a) && isStringArray(b)) return sortedUnique([...a, ...b]);
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Set(a.map((x) => JSON.stringify(x)));
    const out = [...a];
    for (const x of b) {
      const k = JSON.stringify(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) return key === 'details' ? mergeDetails(a, b) : mergeFacts(a, b);
  return a;
}

/** Details merge key by key; a value that is an object (a rollout) is one value, the first fragment's, as a scalar is. */
function mergeDetails(a: Plain, b: Plain): Plain {
  const out: Plain = { ...a };
  for (const key of Object.keys(b)) out[key] = isPlainObject(a[key]) ? a[key] : mergeValue(key, a[key], b[key]);
  return out;
}

/** Merge two facts with the same id; `a` has precedence for scalars. */
export function mergeFacts<T extends Plain>(a: T, b: T): T {
  const out: Plain = { ...a };
  for (const key of Object.keys(b)) out[key] = mergeValue(key, a[key], b[key]);
  return out as T;
}

/** Merge a list of facts by id, keeping first-seen precedence, and return them sorted by id. */
export function mergeById<T extends { id: string }>(facts: Iterable<T>): T[] {
  const byId = new Map<string, T>();
  for (const fact of facts) {
    const prev = byId.get(fact.id);
    byId.set(fact.id, prev ? mergeFacts(prev as T & Plain, fact as T & Plain) : fact);
  }
  return [...byId.values()].sort(compareById);
}

/** Deep-sort a value so that object keys are ordered by code unit (stable JSON output). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isPlainObject(value)) {
    const out: Plain = {};
    for (const key of Object.keys(value).sort(compareStrings)) {
      const v = value[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}
