/**
 * The structure rules of .dependency-cruiser.cjs: the repository keeps them, and each rule catches
 * what it forbids (shown on a small tree that breaks every one).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { REPO_ROOT, removeTemps, tempRepo } from './helpers.js';

const CONFIG = path.join(REPO_ROOT, '.dependency-cruiser.cjs');

/** The committed rules applied to src/ and analyzers/ under `root`, as the CLI would. */
async function cruiseTree(root: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = { ...(await extractDepcruiseOptions(CONFIG)), baseDir: root };
  const { output } = await cruise(['src', 'analyzers'], options, undefined, { tsConfig: extractTSConfig(path.join(root, 'tsconfig.json')) });
  if (typeof output === 'string') throw new Error('dependency-cruiser gave text, not a result');
  return output;
}

/** `rule: from → to` for each violation, sorted; a cycle is named once, by its first step; an orphan by itself. */
function violations(result: ICruiseResult): string[] {
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from}${v.from === v.to ? '' : ` → ${v.to}`}`).sort();
}

afterAll(removeTemps);

describe('the structure of archdoc', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    result = await cruiseTree(REPO_ROOT);
  }, 120_000);

  it('keeps every rule of .dependency-cruiser.cjs', () => {
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    expect(violations(result)).toEqual([]);
  });

  it('lists only temporary exceptions still in use', async () => {
    // An exception's rule forbids what its module imports, but for the one target last in `pathNot`.
    for (const rule of (await rules()).filter((r) => r.name.includes('-but-'))) {
      const from = new RegExp(rule.from.path!);
      const target = new RegExp(rule.to.pathNot!.at(-1)!);
      const used = result.modules.some((m) => from.test(m.source) && m.dependencies.some((d) => target.test(d.resolved)));
      expect(used, `${rule.name} is no longer needed: remove it from .dependency-cruiser.cjs`).toBe(true);
    }
  });
});

/** The rules of .dependency-cruiser.cjs, as written. */
interface Rule {
  name: string;
  from: { path?: string };
  to: { path?: string; pathNot?: string[] };
}

async function rules(): Promise<Rule[]> {
  return ((await import(CONFIG)).default as { forbidden: Rule[] }).forbidden;
}

/** The file a path pattern names: `^analyzers/security/` → analyzers/security/index.ts, `^src/a\\.ts$` → src/a.ts. */
function fileOf(pattern: string): string {
  const p = pattern.replace(/^\^|\$$|\\/g, '');
  return p.endsWith('/') ? `${p}index.ts` : p;
}

/** A module that imports each of `targets` (repository-relative) and exports a constant. */
function importing(from: string, targets: string[]): string {
  const spec = (t: string) => {
    const rel = path.posix.relative(path.posix.dirname(from), t).replace(/\.ts$/, '.js');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return targets.map((t, i) => `import * as m${i} from '${spec(t)}';\n`).join('') + `export const x = [${targets.map((_, i) => `m${i}`).join(', ')}];\n`;
}

describe('each structure rule catches what it forbids', () => {
  let found: string[];
  const expected: string[] = [];
  beforeAll(async () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      // The model imports the renderer; the renderer imports an analyzer.
      'src/model/schema.ts': "import { render } from '../render/document.js';\nexport const schema = render;\n",
      'src/render/document.ts': "import { a } from '../../analyzers/a/index.js';\nexport const render = a;\n",
      // An analyzer imports another and the pipeline; its test and the registry may import anything.
      'analyzers/a/index.ts': "import { b } from '../b/index.js';\nimport { run } from '../../src/pipeline/run.js';\nexport const a = b + run;\n",
      'analyzers/a/a.test.ts': "import { b } from '../b/index.js';\nimport { render } from '../../src/render/document.js';\nexport const t = [b, render];\n",
      'analyzers/b/index.ts': 'export const b = 1;\n',
      'analyzers/index.ts': "import { a } from './a/index.js';\nexport const all = [a];\n",
      // The pipeline reaches analyzers only through the registry; the CLI never.
      'src/pipeline/run.ts': 'export const run = 1;\n',
      'src/pipeline/analyse.ts':
        "import { all } from '../../analyzers/index.js';\nimport { b } from '../../analyzers/b/index.js';\nexport const analyse = all.length + b;\n",
      'src/cli/main.ts':
        "import { b } from '../../analyzers/b/index.js';\nimport { analyse } from '../pipeline/analyse.js';\nexport const main = [b, analyse];\n",
      // Shared code imports an analyzer.
      'src/data/table.ts': "import { b } from '../../analyzers/b/index.js';\nexport const table = [b];\n",
      // A cycle at run time; a cycle through a type-only import is erased and allowed.
      'src/util/one.ts': "import { two } from './two.js';\nexport const one = (): number => two();\n",
      'src/util/two.ts': "import { one } from './one.js';\nexport const two = (): number => one();\n",
      'src/util/shape.ts': "import type { Used } from './use.js';\nexport interface Shape { used?: Used }\nexport const shape = 1;\n",
      'src/util/use.ts': "import { shape } from './shape.js';\nexport type Used = typeof shape;\n",
      // Nothing imports it and it imports nothing.
      'src/util/lonely.ts': 'export const lonely = 1;\n',
    };
    expected.push(
      'analyzers-stop-at-the-model: analyzers/a/index.ts → src/pipeline/run.ts',
      'model-knows-no-stage: src/model/schema.ts → src/render/document.ts',
      'no-analyzer-imports-another: analyzers/a/index.ts → analyzers/b/index.ts',
      'no-circular: src/util/one.ts → src/util/two.ts',
      'no-orphans: src/util/lonely.ts',
      'output-reads-the-model: src/render/document.ts → analyzers/a/index.ts',
      'pipeline-reaches-analyzers-through-the-registry: src/pipeline/analyse.ts → analyzers/b/index.ts',
      'shared-code-is-below-analyzers: src/cli/main.ts → analyzers/b/index.ts',
      'shared-code-is-below-analyzers: src/data/table.ts → analyzers/b/index.ts',
    );
    // Each temporary exception allows its one edge, and its module still may not import anything else.
    for (const rule of (await rules()).filter((r) => r.name.includes('-but-'))) {
      const from = fileOf(rule.from.path!);
      const allowed = fileOf(rule.to.pathNot!.at(-1)!);
      const forbidden = rule.to.path === '^analyzers/' ? 'analyzers/b/index.ts' : 'src/pipeline/run.ts';
      files[from] = importing(from, [allowed, forbidden]);
      files[allowed] ??= 'export const allowed = 1;\n';
      expected.push(`${rule.name}: ${from} → ${forbidden}`);
    }
    found = violations(await cruiseTree(tempRepo('archdoc-structure-', files)));
  }, 120_000);

  it('names every violation, and nothing allowed', () => {
    expect(found).toEqual(expected.sort());
  });
});
