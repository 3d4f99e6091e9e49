/**
 * Named products: typed values one analyzer hands to others during a run, in place of hidden
 * channels (module-level maps keyed on the run, shared memos). An analyzer lists the products it
 * `provides` and those it `consumes` in its meta; the run order is derived from those lists
 * (src/analyzer/order.ts), and the context carries the values (`ctx.provide`, `ctx.consume`).
 *
 * Each product's type lives in `src/`, never in `analyzers/`: an analyzer that consumes one
 * imports nothing from the analyzer that provides it.
 */
import type { Spec } from '../analysis/openapi.js';
import type { ScriptCalls } from '../analysis/calls.js';
import type { TableClaims } from '../data/registry.js';
import type { Component, Queue, SecurityFact, Tech } from '../model/schema.js';

/** Product name → the type of the value each provider hands over. */
export interface Products {
  /** Every OpenAPI/Swagger document read (openapi analyzer; the endpoints analyzer matches code routes with them). */
  'openapi.specs': readonly Spec[];
  /** Tables an ORM analyzer described (prisma, orm-entities), which the sql-migrations analyzer completes instead of listing again. */
  'schemas.claims': TableClaims;
  /**
   * The components once the workspace's link phase has added deployable folders and settled each
   * kind, facts in a new component's folder moved to it. A link phase that reads components, or
   * which component a fact belongs to, consumes it to read them settled.
   */
  'components.settled': readonly Component[];
  /** Security facts once the security analyzer's link phase has linked them with the endpoints (authentication routes as served). */
  'security.linked': readonly SecurityFact[];
  /** Queues once the messaging analyzer's link phase has joined those known only by an environment variable, and given their ends to deployable components. */
  'queues.joined': readonly Queue[];
  /** Components once the endpoints analyzer's link phase has added their gRPC client dependencies (`rpc`). */
  'components.rpc': readonly Component[];
  /**
   * The technologies once the tech-stack analyzer's link phase has read every settled component's
   * own manifests (package.json outside the workspaces, go.mod, pom.xml, …) and language.
   */
  'techStack.components': readonly Tech[];
  /** The run's script indexes, their evaluator and what each call does (outbound analyzer; the flows analyzer traces them). */
  'scripts.calls': ScriptCalls;
}

export type ProductName = keyof Products;
