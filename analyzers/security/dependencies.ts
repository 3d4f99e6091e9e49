/**
 * Other languages' security libraries (JWT, password hashing, validation, CORS, rate limiting,
 * security headers, authorisation), from the build files that declare them (direct runtime
 * dependencies only, src/analysis/build-deps.ts) through the catalogue in
 * src/data/build-dep-facts.ts; in Go and Python code, bcrypt/Argon2/Werkzeug password hashing and
 * echo's CORS middleware (src/analysis/code-facts.ts), and the catalogued libraries Go code imports
 * when no build file declares them directly. The evidence is the line that shows it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { buildDependencies, buildFileKind } from '../../src/analysis/build-deps.js';
import { codeFacts, goImportFacts } from '../../src/analysis/code-facts.js';
import { depFact } from '../../src/data/build-dep-facts.js';
import { idOf } from '../../src/model/ids.js';
import type { RunState } from './state.js';

const keyOf = (tech: string): string => tech.toLowerCase().replace(/[^a-z0-9@/.]+/g, '-');

export function dependencyFacts(ctx: AnalyzerContext, st: RunState): void {
  for (const file of ctx.files) {
    const code = /\.(go|py)$/.test(file);
    if ((!code && !buildFileKind(file)) || ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    const component = ctx.componentOf(file);
    const found = code
      ? codeFacts(file, text, (f, l, t) => ctx.polyglotIndex(f, l, t))
      : buildDependencies(file, text).map((dep) => ({ fact: depFact(dep), line: dep.line }));
    for (const { fact: f, line } of found) {
      if (!f || f.area !== 'security') continue;
      st.c.add(idOf.security(f.kind, keyOf(f.tech)), f.category as 'validation', f.name, { file, line }, { tech: f.tech, ...(component ? { component } : {}) });
    }
  }
  // Libraries Go code imports that no build file declared as direct dependencies: the first file (in path order) is the evidence.
  for (const file of ctx.files) {
    if (!file.endsWith('.go') || ctx.isSetAside(file)) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    for (const { fact: f, line } of goImportFacts(file, text, (g, l, t) => ctx.polyglotIndex(g, l, t))) {
      const id = idOf.security(f.kind, keyOf(f.tech));
      if (f.area !== 'security' || st.c.facts.has(id)) continue;
      const component = ctx.componentOf(file);
      st.c.add(id, f.category as 'validation', f.name, { file, line }, { tech: f.tech, ...(component ? { component } : {}) });
    }
  }
}
