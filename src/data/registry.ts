/**
 * Which tables the ORM analyzers (prisma, orm-entities) have described in this run, so that the
 * sql-migrations analyzer, which runs after them, adds its evidence to those entities instead of
 * a second, differently typed list of the same columns (fields merge by value, not by name).
 *
 * The state is keyed by the run's file list (one array per run), so concurrent runs in one
 * process never see each other's claims.
 */
import type { AnalyzerContext } from '../analyzer/context.js';

interface RunState {
  /** Entity ids described by an ORM analyzer, with how much that ORM knows. */
  claimed: Map<string, Claim>;
  /** Tables an ORM maintains itself (Prisma's implicit many-to-many `_AToB` tables). */
  internal: Set<string>;
}

/**
 * `full`: the ORM knows columns, keys and relations (Prisma, TypeORM…); `columns`: it knows only
 * columns (Kysely), so migrations may still add foreign keys and indexes.
 */
export type Claim = 'full' | 'columns';

const runs = new WeakMap<object, RunState>();

function state(ctx: AnalyzerContext): RunState {
  const key = ctx.files as object;
  let s = runs.get(key);
  if (!s) runs.set(key, (s = { claimed: new Map(), internal: new Set() }));
  return s;
}

export function claimEntity(ctx: AnalyzerContext, entityId: string, claim: Claim = 'full'): void {
  const s = state(ctx);
  if (s.claimed.get(entityId) !== 'full') s.claimed.set(entityId, claim);
}

export function claimedBy(ctx: AnalyzerContext, entityId: string): Claim | undefined {
  return state(ctx).claimed.get(entityId);
}

export function markInternalTable(ctx: AnalyzerContext, entityId: string): void {
  state(ctx).internal.add(entityId);
}

export function isInternalTable(ctx: AnalyzerContext, entityId: string): boolean {
  return state(ctx).internal.has(entityId);
}
