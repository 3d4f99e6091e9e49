/**
 * Which tables the ORM analyzers (prisma, orm-entities) have described in this run, so that the
 * sql-migrations analyzer, which runs after them, adds its evidence to those entities instead of
 * a second, differently typed list of the same columns (fields merge by value, not by name).
 *
 * Each ORM analyzer's claims are its product `schemas.claims` (src/analyzer/products.ts): it
 * provides them on its first claim; sql-migrations consumes every provider's, so it runs after them.
 */
import type { AnalyzerContext } from '../analyzer/context.js';

export interface TableClaims {
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

/** The calling ORM analyzer's own claims, provided to consumers on first use. */
function ownClaims(ctx: AnalyzerContext): TableClaims {
  return ctx.state(() => {
    const claims: TableClaims = { claimed: new Map(), internal: new Set() };
    ctx.provide('schemas.claims', claims);
    return claims;
  });
}

export function claimEntity(ctx: AnalyzerContext, entityId: string, claim: Claim = 'full'): void {
  const s = ownClaims(ctx);
  if (s.claimed.get(entityId) !== 'full') s.claimed.set(entityId, claim);
}

/** How much the ORMs know of a table: `full` when any knows it fully. */
export function claimedBy(ctx: AnalyzerContext, entityId: string): Claim | undefined {
  const claims = ctx.consume('schemas.claims').map((c) => c.claimed.get(entityId));
  return claims.includes('full') ? 'full' : claims.find((c) => c !== undefined);
}

export function markInternalTable(ctx: AnalyzerContext, entityId: string): void {
  ownClaims(ctx).internal.add(entityId);
}

export function isInternalTable(ctx: AnalyzerContext, entityId: string): boolean {
  return ctx.consume('schemas.claims').some((c) => c.internal.has(entityId));
}
