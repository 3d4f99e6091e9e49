/**
 * imports: the component graph. The import specifiers of every discovered (non-test) source are
 * read from its index (`specifiers`, src/analysis/index-file.ts) in the run's file pass, so that
 * an unchanged script whose index is cached is not parsed again, and resolved by the run's shared
 * resolver (`ctx.resolveImport`) — or by dependency-cruiser first, with `engine:
 * 'dependency-cruiser'` — then aggregated to component → component edges (`dependsOn`, kind
 * `import`, with a count and one example import); cycles between components become warnings and
 * `details.importCycle` on each component in the cycle.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { Component } from '../../src/model/schema.js';
import type { ComponentEdge } from './graph.js';

export default defineAnalyzer({
  meta: {
    name: 'imports',
    description: 'Component dependencies from module imports, with cycles',
    produces: ['components'],
  },
  applies: (ctx) => ctx.typescriptFiles().length > 0 && ctx.workspace.packages.length > 0,
  async scan(ctx) {
    const { cruise, componentEdges, componentCycles, importsOf, isSourceForGraph } = await import('./graph.js');
    const { default: ts } = await import('../../src/analyzer/typescript.cjs');
    const engine = ctx.options.engine ?? 'archdoc';
    if (engine !== 'archdoc' && engine !== 'dependency-cruiser') {
      ctx.warn('archdoc.config', 0, `imports: unknown engine ${JSON.stringify(engine)}; use 'archdoc' or 'dependency-cruiser'`);
    }
    const files = ctx.typescriptFiles().filter(isSourceForGraph);
    // Specifiers per file, read from the index the file pass hands every analyzer that takes one.
    const specifiers = new Map<string, readonly { specifier: string; line: number }[]>();
    return {
      wants: isSourceForGraph,
      visitIndex: (file, index) => void specifiers.set(file, index.specifiers),
      finish: async () => {
        // dependency-cruiser's own extraction parses every file a second time: only when asked for.
        const cruised = engine === 'dependency-cruiser' ? await cruise(ctx, files, (f) => specifiers.has(f)) : undefined;
        const edges = componentEdges(
          ctx,
          files,
          (file) => {
            const found = specifiers.get(file);
            if (found) return found;
            // No index (nested too deeply, or the parser failed): TypeScript's import scanner still reads it.
            const text = ctx.read(file);
            return text === undefined ? [] : importsOf(ts, text);
          },
          (from, specifier) => cruised?.get(from)?.get(specifier) ?? ctx.resolveImport(from, specifier),
          (specifier) => ctx.packageNamed(specifier)?.componentId,
        );
        emitComponents(ctx, edges, componentCycles(edges));
      },
    };
  },
});

function emitComponents(ctx: AnalyzerContext, edges: ComponentEdge[], cycles: string[][]): void {
  const byPath = new Map(ctx.workspace.packages.map((p) => [p.componentId, p]));
  const partial = (id: string): Component | undefined => {
    const p = byPath.get(id);
    if (!p) return undefined;
    // A partial fact: the workspace analyzer owns name, kind and path; merging keeps its scalars.
    return { id, name: p.name, kind: 'library', path: p.path, tech: [], dependsOn: [], evidence: [] };
  };
  const out = new Map<string, Component>();
  for (const e of edges) {
    const c = out.get(e.from) ?? partial(e.from);
    if (!c) continue;
    c.dependsOn.push({ target: e.to, kind: 'import', count: e.count, evidence: [e.example] });
    out.set(e.from, c);
  }
  for (const group of cycles) {
    const names = group.map((id) => byPath.get(id)?.name ?? id);
    const first = edges.find((e) => group.includes(e.from) && group.includes(e.to))!;
    ctx.warn(first.example.file, first.example.line, `import cycle between components: ${names.join(', ')} import each other`);
    for (const id of group) {
      const c = out.get(id) ?? partial(id);
      if (!c) continue;
      c.details = { ...c.details, importCycle: group.filter((x) => x !== id) };
      out.set(id, c);
    }
  }
  for (const c of out.values()) ctx.emit('components', c);
}
