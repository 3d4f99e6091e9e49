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
 * Temporary exceptions, each named, while issue #24 lands: `from` (a module or a folder) may make
 * the one import `to` that its rule forbids, and nothing else it forbids. Remove one when its edge
 * goes; test/structure.test.ts fails on an exception no longer used.
 */
const TEMPORARY = {};

/** A rule without its exceptions' modules, and for each exception a rule that forbids the same but its one import. */
function withExceptions(rule) {
  const exceptions = TEMPORARY[rule.name] ?? [];
  return [
    { ...rule, from: { ...rule.from, pathNot: exceptions.map((e) => e.from) } },
    ...exceptions.map((e) => ({
      name: `${rule.name}-but-${e.name}`,
      comment: `Temporary: ${e.why}`,
      severity: 'error',
      from: { path: e.from },
      to: { path: rule.to.path, pathNot: [e.from, e.to] },
    })),
  ];
}

module.exports = {
  forbidden: [
    {
      name: 'model-knows-no-stage',
      comment: 'src/model is the vocabulary of every stage: it imports no analyzer, and nothing of the pipeline, the renderer or the diagrams.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^(analyzers/|src/(render|diagrams|pipeline|cli)/)' },
    },
    ...withExceptions({
      name: 'no-analyzer-imports-another',
      comment:
        'An analyzer imports no other analyzer: what two analyzers share moves to src/analysis or src/data, and facts pass through the model and the context. analyzers/index.ts, the registry, is not an analyzer.',
      severity: 'error',
      from: { path: '^analyzers/([^/]+)/' },
      to: { path: '^analyzers/', pathNot: '^analyzers/$1/' },
    }),
    ...withExceptions({
      name: 'analyzers-stop-at-the-model',
      comment: 'Analyzers emit facts; they never import the pipeline, the renderer, the diagrams or the CLI.',
      severity: 'error',
      from: { path: '^analyzers/' },
      to: { path: '^src/(render|diagrams|pipeline|cli)/' },
    }),
    {
      name: 'output-reads-the-model',
      comment: 'The renderer and the diagrams read the model, never an analyzer.',
      severity: 'error',
      from: { path: '^src/(render|diagrams)/' },
      to: { path: '^analyzers/' },
    },
    {
      name: 'pipeline-reaches-analyzers-through-the-registry',
      comment: "The pipeline knows the built-in analyzers only as the registry lists them (analyzers/index.ts), never one analyzer's internals.",
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^analyzers/', pathNot: '^analyzers/index\\.ts$' },
    },
    {
      name: 'shared-code-is-below-analyzers',
      comment:
        'Shared code (src/analysis, src/data, src/util, src/analyzer, src/config) is what analyzers build on, and the CLI drives the pipeline, so none of them imports an analyzer. From src/, only the pipeline reaches analyzers, through the registry (analyzers/index.ts).',
      severity: 'error',
      from: { path: '^src/(analysis|data|util|analyzer|config|cli)/' },
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
