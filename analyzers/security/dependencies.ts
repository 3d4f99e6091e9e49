/**
 * Other languages' security libraries (JWT, password hashing, validation, CORS, rate limiting,
 * security headers, authorisation), from the build files that declare them (direct runtime
 * dependencies only, src/analysis/build-deps.ts) through the catalogue in
 * src/data/build-dep-facts.ts. The evidence is the line that declares it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { buildDependencies, buildFileKind } from '../../src/analysis/build-deps.js';
import { depFact } from '../../src/data/build-dep-facts.js';
import { idOf } from '../../src/model/ids.js';
import type { RunState } from './state.js';

const keyOf = (tech: string): string => tech.toLowerCase().replace(/[^a-z0-9@/.]+/g, '-');

export function dependencyFacts(ctx: AnalyzerContext, st: RunState): void {
  for (const file of ctx.files) {
    if (!buildFileKind(file) || ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    const component = ctx.componentOf(file);
    for (const dep of buildDependencies(file, text)) {
      const f = depFact(dep);
      if (!f || f.area !== 'security') continue;
      st.c.add(
        idOf.security(f.kind, keyOf(f.tech)),
        f.category as 'validation',
        f.name,
        { file, line: dep.line },
        {
          tech: f.tech,
          ...(component ? { component } : {}),
        },
      );
    }
  }
}
