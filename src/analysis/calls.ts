/**
 * What the calls of a run's scripts do, as the outbound analyzer resolved them over the script
 * indexes: the named product `scripts.calls` (src/analyzer/products.ts) that the flows analyzer
 * traces (over an evaluator of its own). Plain data, so that no consumer imports outbound.
 */
import type { CallSite, FileIndex } from './index-file.js';

/** One call's effect: a call into repository code, a data-store access, an SDK or HTTP call, a message produced. */
export type CallEffect =
  | { k: 'call'; fnKey: string }
  /** A call on an interface or abstract class: every implementation's method. */
  | { k: 'dispatch'; fnKeys: string[] }
  /** `store`: the data store's id; `op` absent when the call only creates the client. */
  | { k: 'store'; store: string; op?: 'read' | 'write'; entity?: string; ttl?: number }
  /** `id`: the external service's id; `create` when the call creates the client. */
  | { k: 'external'; id: string; what?: string; create?: boolean }
  | { k: 'http'; host: string; method: string }
  | { k: 'produce'; queue?: string; job?: string };

export interface ScriptCalls {
  /** Every production script's index, by file. */
  indexes: ReadonlyMap<string, FileIndex>;
  /** Per function key, its calls that do something, in source order. */
  effects: ReadonlyMap<string, readonly { call: CallSite; effect: CallEffect }[]>;
}
