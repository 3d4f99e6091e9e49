/**
 * What the observability rules share: the fact collector (with the security findings and the
 * health routes kept for the link phase), one file as the rules see it, and the shape of a rule
 * set. The rules themselves live one concern per file.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { modulesAt, type Call, type ClassSite, type RuleSites, type VarsSite } from '../../src/analysis/sites.js';
import { FactCollector } from '../../src/analyzer/facts.js';
import type { Evidence, ObservabilityFact, SecurityFact } from '../../src/model/schema.js';

/** A health-looking route seen in code, confirmed (or not) against the endpoints in the link phase. */
export interface HealthRoute {
  method: string;
  path: string;
  file: string;
  /** Lines the registration spans (the call, or the decorated controller method). */
  from: number;
  to: number;
  mount: boolean;
  tech?: string;
  component?: string;
  /** Called on something named like an HTTP client (`this.http.get('/api/health')`), not a router. */
  clientLike: boolean;
}

/** One fact per id from fragments, with the security findings and the health routes for the link phase. */
export class ObsCollector extends FactCollector<ObservabilityFact> {
  readonly security: SecurityFact[] = [];
  readonly healthRoutes: HealthRoute[] = [];
}

/** One source file as the rules see it: its index's option readings, and the site being read. */
export interface FileScope {
  ctx: AnalyzerContext;
  c: ObsCollector;
  file: string;
  sites: RuleSites;
  /** Position of the site being read in `sites.sites`. */
  at: number;
  component?: string;
  /** `{ component }` to spread into a fact, or nothing when the file belongs to no component. */
  comp: { component?: string };
}

/** Whether the file imports a module passing `test`: at the top level, or (`sofar`) anywhere read so far. */
export function imports(s: FileScope, test: (m: string) => boolean, sofar = false): boolean {
  return sofar ? modulesAt(s.sites, s.at).some(test) : s.sites.modules.some(([m]) => test(m));
}

/**
 * A set of rules over one file, called for each site of its index in the order the rule sets are
 * listed in index.ts. Every hook is optional.
 */
export interface Rules {
  /** Each module the file imports or requires, with the line of its first import. */
  onImport?(s: FileScope, module: string, at: Evidence): void;
  onCall?(s: FileScope, call: Call): void;
  onNew?(s: FileScope, call: Call): void;
  onClass?(s: FileScope, cls: ClassSite): void;
  /** Variable statements holding objects (`export const options = …`). */
  onVars?(s: FileScope, vars: VarsSite): void;
  /** After the sites, over the file's name. */
  onFile?(s: FileScope): void;
}

export function ev(s: FileScope, at: { line: number }): Evidence {
  return { file: s.file, line: at.line };
}
