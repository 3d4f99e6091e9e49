/**
 * Where Prisma schemas are, as Prisma finds them: the `prisma.schema` field of a package.json,
 * `schema` in prisma.config.ts, then `schema.prisma` / `prisma/schema.prisma` and multi-file
 * schema folders (every `.prisma` file under the folder that holds the `datasource` block).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';
import { dirOf, isUnder } from '../../src/util/paths.js';

export interface SchemaUnit {
  /** The file or folder Prisma would be pointed at (repo-relative). */
  root: string;
  files: string[];
  /** How it was found, in words, for the README-style detail. */
  via: string;
}

function join(dir: string, rel: string): string {
  const parts = (dir === '.' ? [] : dir.split('/')).concat(rel.replace(/^\.\//, '').split('/'));
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/') || '.';
}

export function findSchemaUnits(ctx: AnalyzerContext): SchemaUnit[] {
  const all = ctx.filesMatching((f) => f.endsWith('.prisma') && !ctx.isSetAside(f) && !/(^|\/)node_modules\//.test(f));
  const assigned = new Set<string>();
  const units: SchemaUnit[] = [];
  const take = (root: string, via: string) => {
    const isFile = all.includes(root);
    let files = isFile ? [root] : all.filter((f) => isUnder(f, root) && !/\/migrations\//.test(f));
    // A declared file inside a folder of several .prisma files is a multi-file schema folder.
    if (isFile) {
      const siblings = all.filter((f) => dirOf(f) === dirOf(root));
      if (siblings.length > 1) files = all.filter((f) => isUnder(f, dirOf(root)) && !/\/migrations\//.test(f));
    }
    files = files.filter((f) => !assigned.has(f));
    if (files.length === 0) return;
    for (const f of files) assigned.add(f);
    units.push({ root, files: files.sort(compareStrings), via });
  };

  // Declared locations first.
  for (const pkg of ctx.workspace.packages) {
    const schema = (pkg.manifest.prisma as { schema?: unknown } | undefined)?.schema;
    if (typeof schema === 'string') take(join(pkg.path, schema), `${pkg.manifestFile ?? 'package.json'} "prisma.schema"`);
    for (const cfg of ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js']) {
      const file = join(pkg.path, cfg);
      if (!ctx.has(file)) continue;
      const m = /\bschema\s*:\s*['"`]([^'"`]+)['"`]/.exec(ctx.read(file) ?? '');
      if (m) take(join(pkg.path, m[1]!), file);
    }
  }
  // Folders holding a datasource block, deepest first, take every .prisma file below them.
  const withDatasource = all
    .filter((f) => !assigned.has(f) && /^[^\S\n\r\u2028\u2029]*datasource\s+\w+\s*\{/m.test(ctx.read(f) ?? ''))
    .sort((a, b) => b.split('/').length - a.split('/').length || compareStrings(a, b));
  for (const f of withDatasource) {
    const dir = dirOf(f);
    const siblings = all.filter((x) => !assigned.has(x) && x !== f && isUnder(x, dir) && !/\/migrations\//.test(x));
    take(siblings.length > 0 ? dir : f, siblings.length > 0 ? 'schema folder' : 'schema file');
  }
  // Whatever is left: one unit per folder.
  const rest = all.filter((f) => !assigned.has(f));
  for (const dir of [...new Set(rest.map(dirOf))].sort(compareStrings)) take(dir, 'schema folder without a datasource');
  return units.sort((a, b) => compareStrings(a.root, b.root));
}
