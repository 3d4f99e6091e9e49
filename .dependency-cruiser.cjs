/**
 * The structure of archdoc, checked on every `npm test` (test/structure.test.ts) and by
 * `npm run lint:deps`. The pipeline runs discover → analyse → link → render → write:
 *
 * - src/model is the vocabulary every stage speaks, so it knows none of them;
 * - each analyzer (analyzers/<name>/) reads the repository and emits facts; what two analyzers
 *   share lives in src/ (src/analysis: YAML, AST, OpenAPI and lockfile readers, committed secrets;
 *   src/data: tables such as images, environments, the tech catalogue), never in one of them;
 * - the renderer and the diagrams read the model, never an analyzer.
 *
 * Test files are left out: a test may import whatever it tests.
 */

/**
 * Temporary exceptions, each named, while issue #24 lands: an analyzer that still imports another
 * (`from` may import `to` and nothing else outside itself), and an analyzer that still imports a
 * stage above it. Remove a line when its edge goes; the test fails on an exception no longer used.
 */
const TEMPORARY_CROSS_ANALYZER = [
  // observability reads code with security/ast.ts until those helpers move to src/analysis/ast.ts (#24, security + observability).
  { from: 'observability', to: 'security' },
];
const TEMPORARY_ABOVE_THE_MODEL = [
  // The workspace analyzer types its packages with src/pipeline/workspace.ts's WorkspacePackage (a type-only import).
  { from: 'analyzers/workspace/index.ts', to: 'src/pipeline/workspace.ts' },
];

/** `^analyzers/name/` for an analyzer's folder. */
const folder = (name) => `^analyzers/${name}/`;
/** A path as an exact pattern. */
const exact = (file) => `^${file.replace(/[.]/g, '\\.')}$`;

module.exports = {
  forbidden: [
    {
      name: 'model-knows-no-stage',
      comment: 'src/model is the vocabulary of every stage: it imports no analyzer, and nothing of the pipeline, the renderer or the diagrams.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^(analyzers/|src/(render|diagrams|pipeline|cli)/)' },
    },
    {
      name: 'no-analyzer-imports-another',
      comment:
        'An analyzer imports no other analyzer: what two analyzers share moves to src/analysis or src/data, and facts pass through the model and the context. analyzers/index.ts, the registry, is not an analyzer.',
      severity: 'error',
      from: { path: '^analyzers/([^/]+)/', pathNot: TEMPORARY_CROSS_ANALYZER.map((e) => folder(e.from)) },
      to: { path: '^analyzers/', pathNot: '^analyzers/$1/' },
    },
    ...TEMPORARY_CROSS_ANALYZER.map((e) => ({
      name: `no-analyzer-imports-another-but-${e.from}-${e.to}`,
      comment: `Temporary: ${e.from} may import ${e.to}, and no other analyzer.`,
      severity: 'error',
      from: { path: folder(e.from) },
      to: { path: '^analyzers/', pathNot: [folder(e.from), folder(e.to)] },
    })),
    {
      name: 'analyzers-stop-at-the-model',
      comment: 'Analyzers emit facts; they never import the pipeline, the renderer, the diagrams or the CLI.',
      severity: 'error',
      from: { path: '^analyzers/', pathNot: TEMPORARY_ABOVE_THE_MODEL.map((e) => exact(e.from)) },
      to: { path: '^src/(render|diagrams|pipeline|cli)/' },
    },
    ...TEMPORARY_ABOVE_THE_MODEL.map((e) => ({
      name: `analyzers-stop-at-the-model-but-${e.from.split('/')[1]}`,
      comment: `Temporary: ${e.from} may import ${e.to}, and nothing else above the model.`,
      severity: 'error',
      from: { path: exact(e.from) },
      to: { path: '^src/(render|diagrams|pipeline|cli)/', pathNot: [exact(e.to)] },
    })),
    {
      name: 'output-reads-the-model',
      comment: 'The renderer and the diagrams read the model, never an analyzer.',
      severity: 'error',
      from: { path: '^src/(render|diagrams)/' },
      to: { path: '^analyzers/' },
    },
    {
      name: 'shared-code-is-below-analyzers',
      comment:
        'Shared code (src/analysis, src/data, src/util, src/analyzer) is what analyzers build on, so it imports none of them.',
      severity: 'error',
      from: { path: '^src/(analysis|data|util|analyzer)/' },
      to: { path: '^analyzers/' },
    },
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others: a cycle makes the load order matter and hides which layer owns what.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] }, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-orphans',
      comment: 'Every module in src/ is used by another or uses another: a module nothing reaches is dead code.',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: '\\.d\\.[cm]?ts$' },
      to: {},
    },
  ],
  options: {
    includeOnly: '^(src|analyzers)/',
    exclude: { path: '\\.test\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.cjs', '.mjs', '.js', '.json'] },
    cache: false,
  },
};
