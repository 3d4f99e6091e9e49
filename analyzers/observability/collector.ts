/**
 * What the observability rules share: the fact collector (with the security findings and the
 * health routes kept for the link phase), one file as the rules see it, and the shape of a rule
 * set. The rules themselves live one concern per file.
 */
import type ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import type { Call, FileInfo } from '../../src/analysis/bindings.js';
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

/** One source file as the rules see it. */
export interface FileScope {
  ctx: AnalyzerContext;
  c: ObsCollector;
  info: FileInfo;
  component?: string;
  /** `{ component }` to spread into a fact, or nothing when the file belongs to no component. */
  comp: { component?: string };
  /** The modules the file's top-level statements import, before the walk adds nested ones. */
  topModules: readonly string[];
}

/** Whether the file imports a module passing `test`: at the top level, or (`sofar`) anywhere read so far. */
export function imports(s: FileScope, test: (m: string) => boolean, sofar = false): boolean {
  return sofar ? [...s.info.modules.keys()].some(test) : s.topModules.some(test);
}

/**
 * A set of rules over one file, called from the analyzer's single walk in the order the rule sets
 * are listed in index.ts. Every hook is optional.
 */
export interface Rules {
  /** Each module the file imports or requires, with the line of its first import. */
  onImport?(s: FileScope, module: string, at: Evidence): void;
  onCall?(s: FileScope, call: Call): void;
  onNew?(s: FileScope, call: Call<ts.NewExpression>): void;
  onClass?(s: FileScope, node: ts.ClassDeclaration): void;
  /** `export default …` and variable statements (`export const options = …`). */
  onStatement?(s: FileScope, node: ts.ExportAssignment | ts.VariableStatement): void;
  /** After the walk, over the file's name. */
  onFile?(s: FileScope): void;
}

export function ev(info: FileInfo, node: ts.Node): Evidence {
  return { file: info.file, line: info.line(node) };
}

