/**
 * imports: the component graph. One dependency-cruiser run over the discovered (non-test)
 * sources resolves every import; imports are then aggregated to component → component edges
 * (`dependsOn`, kind `import`, with a count and one example import), and cycles between
 * components become warnings and `details.importCycle` on each component in the cycle.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import type { Component } from '../../src/model/schema.js';

export default defineAnalyzer({
  meta: {
    name: 'imports',
    description: 'Component dependencies from module imports (dependency-cruiser), with cycles',
    produces: ['components'],
  },
  applies: (ctx) => ctx.typescriptFiles().length > 0 && ctx.workspace.packages.length > 0,
  async analyze(ctx) {
    const { cruiseOnce, componentEdges, componentCycles, isSourceForGraph } = await import('./graph.js');
    const { importGraph, resolveImport } = await import('./resolve.js');
    const files = ctx.typescriptFiles().filter(isSourceForGraph);
    await cruiseOnce(ctx, files);
    const { resolver } = importGraph(ctx);
    const edges = componentEdges(
      ctx,
      files,
      (from, specifier) => resolveImport(ctx, from, specifier),
      (specifier) => resolver.packageNamed(specifier)?.componentId,
    );
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
    for (const group of componentCycles(edges)) {
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
  },
});
