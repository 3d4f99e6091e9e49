/**
 * A flowchart of more than a few boxes and no edge between them becomes a table (budget.ts
 * `tabulateEdgeless`, applied to every diagram and part in `renderDiagram`).
 */
import { describe, expect, it } from 'vitest';
import { edgelessNodes, FEW_NODES, printFlowchart, tabulateEdgeless, type FlowGraph } from '../src/diagrams/budget.js';
import { fence, type Diagram } from '../src/diagrams/mermaid.js';

const graph = (names: string[], edges: FlowGraph['edges'] = [], grouped = false): FlowGraph => ({
  direction: 'TB',
  groups: grouped ? [{ key: 'folder:libs', title: 'libs' }] : [],
  nodes: names.map((n, i) => ({ key: `component:${n}`, text: n, shape: i === 0 ? 'db' : 'box', ...(grouped && i % 2 ? { group: 'folder:libs' } : {}) })),
  edges,
});
const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];

describe('edgeless flowcharts become tables', () => {
  it('reads the boxes back from a printed flowchart, with their group and kind; any edge keeps it a diagram', () => {
    const nodes = edgelessNodes(printFlowchart(graph(['a|b', 'x "quoted" <y>', 'plain'], [], true)));
    expect(nodes).toEqual([
      { name: 'a|b', group: undefined, kind: 'data store' },
      { name: 'plain', group: undefined, kind: 'component' },
      { name: 'x "quoted" <y>', group: 'libs', kind: 'component' },
    ]);
    expect(edgelessNodes(printFlowchart(graph(names, [{ from: 'component:alpha', to: 'component:bravo' }])))).toBeUndefined();
    expect(edgelessNodes('sequenceDiagram\n  participant a as A')).toBeUndefined();
  });

  it(`draws up to ${FEW_NODES} unconnected boxes; more become a table with a note, escaped for Markdown`, () => {
    const few: Diagram = { code: printFlowchart(graph(names.slice(0, FEW_NODES))), notes: [] };
    expect(tabulateEdgeless(few, 'Component dependencies').table).toBeUndefined();
    const many: Diagram = { code: printFlowchart(graph([...names, 'pipe|name', '<script>x</script>'], [], true)), notes: ['Earlier note.'] };
    const md = fence(tabulateEdgeless(many, 'Component dependencies'));
    expect(md).not.toContain('```mermaid');
    expect(md).toContain('| Name | Group | Kind |\n| --- | --- | --- |');
    expect(md).toContain('| alpha | — | data store |');
    expect(md).toContain('| bravo | libs | component |');
    expect(md).toContain('pipe\\|name');
    expect(md).not.toContain('<script>');
    expect(md).toContain('_The component dependencies diagram would show 9 boxes with no connection between any of them, so they are listed instead._');
    expect(md).toContain('_Earlier note._');
  });

  it('applies to each part on its own: a connected overview stays drawn, an unconnected part is listed', () => {
    const d: Diagram = {
      code: printFlowchart(graph(names, [{ from: 'component:alpha', to: 'component:bravo' }])),
      notes: [],
      parts: [
        { key: 'p1', title: 'Folder libs', diagram: { code: printFlowchart(graph(names)), notes: [] } },
        { key: 'p2', title: 'Cluster', diagram: { code: printFlowchart(graph(names, [{ from: 'component:alpha', to: 'component:golf' }])), notes: [] } },
      ],
    };
    const out = tabulateEdgeless(d, 'Component dependencies');
    expect(out.table).toBeUndefined();
    expect(out.parts!.map((p) => p.diagram.table !== undefined)).toEqual([true, false]);
    expect(fence(out).match(/```mermaid/g)?.length).toBe(2);
  });
});

describe('the component dependencies diagram of a large monorepo', () => {
  it('lists the components that depend on nothing and on which nothing depends, instead of drawing them as loose boxes', async () => {
    const { emptyModel } = await import('../src/model/empty.js');
    const { renderDiagram } = await import('../src/diagrams/index.js');
    const ev = [{ file: 'package.json', line: 1 }];
    const comp = (path: string, deps: string[] = []) => ({
      id: `component:${path}`,
      name: path.slice(path.lastIndexOf('/') + 1),
      kind: 'library' as const,
      path,
      tech: [],
      dependsOn: deps.map((d) => ({ target: `component:${d}`, kind: 'package' as const, evidence: ev })),
      evidence: ev,
    });
    // 44 connected packages (a chain in apps/, over the 40-node budget) and 8 loose tools.
    const apps = Array.from({ length: 44 }, (_, i) =>
      comp(`apps/app${String(i).padStart(2, '0')}`, i > 0 ? [`apps/app${String(i - 1).padStart(2, '0')}`] : []),
    );
    const tools = Array.from({ length: 8 }, (_, i) => comp(`tools/tool${i}`));
    const model = emptyModel({ components: [...apps, ...tools] });
    const md = renderDiagram('components', model, 'always', { maxNodes: 40, maxEdges: 80 });
    expect(md).toContain('```mermaid');
    expect(md).toContain('| Name |\n| --- |\n| tool0 |');
    expect(md).toContain('would show 8 boxes with no connection between any of them, so they are listed instead');
  });
});
