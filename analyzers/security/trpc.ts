/**
 * tRPC procedures guarded by a middleware of their builder chain (`protectedProcedure`,
 * `adminProcedure`…, read by the endpoints analyzer: a middleware that throws UNAUTHORIZED, or
 * FORBIDDEN after reading the session, user or role): one authorisation fact per middleware, per
 * component, evidenced by the procedures it guards. Procedures whose protection could not be told
 * add nothing.
 */
import { compareById, compareStrings, sortedEvidence } from '../../src/model/compare.js';
import { idOf } from '../../src/model/ids.js';
import type { Model, SecurityFact } from '../../src/model/schema.js';

/** Procedures listed by name in a fact's details at most; the evidence keeps every one. */
const MAX_LISTED = 20;

export function trpcGuards(model: Model): void {
  const groups = new Map<string, { label: string; component?: string; endpoints: Model['endpoints'] }>();
  for (const e of model.endpoints) {
    if (e.protocol !== 'trpc' || e.auth?.required !== true) continue;
    // The first mechanism is the check that signs the caller in; later ones authorise further (endpoints analyzer).
    const label = e.auth.mechanisms[0];
    if (!label) continue;
    const key = `${e.component ?? ''}\u0000${label}`;
    const g = groups.get(key) ?? { label, ...(e.component ? { component: e.component } : {}), endpoints: [] };
    g.endpoints.push(e);
    groups.set(key, g);
  }
  if (groups.size === 0) return;
  const have = new Set(model.security.map((f) => f.id));
  for (const key of [...groups.keys()].sort(compareStrings)) {
    const g = groups.get(key)!;
    const scope = g.component ? `${g.component.slice(g.component.indexOf(':') + 1)}:` : '';
    // The builder's name (`protectedProcedure`), without what it was seen to read (` (session)`).
    const paren = g.label.indexOf(' (');
    const id = idOf.security('trpc-middleware', `${scope}${paren > 0 ? g.label.slice(0, paren) : g.label}`);
    if (have.has(id)) continue;
    const paths = [...new Set(g.endpoints.map((e) => e.path))].sort(compareStrings);
    const n = paths.length;
    const fact: SecurityFact = {
      id,
      name: `tRPC middleware ${g.label}: ${n} procedure${n === 1 ? '' : 's'} require${n === 1 ? 's' : ''} a signed-in caller`,
      category: 'authorisation',
      tech: 'tRPC middleware',
      // Each procedure where it is written (its route file), not the adapter that serves it.
      evidence: sortedEvidence(
        g.endpoints.flatMap((e) =>
          typeof e.details?.routeFile === 'string' && typeof e.details.routeLine === 'number'
            ? [{ file: e.details.routeFile, line: e.details.routeLine }]
            : e.evidence.slice(0, 1),
        ),
      ),
      details: { appliedTo: paths.slice(0, MAX_LISTED) },
    };
    if (g.component) fact.component = g.component;
    model.security.push(fact);
    have.add(id);
  }
  model.security.sort(compareById);
}
