/**
 * `archdoc init`: a commented archdoc.config.ts and the two npm scripts. It never overwrites a
 * config without --force, and keeps package.json's indentation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Io } from '../pipeline/run.js';
import { CONFIG_NAMES } from '../config/load.js';
import { EXIT } from '../util/errors.js';
import { writeAtomic } from '../pipeline/write.js';

export const CONFIG_TEMPLATE = `import { defineConfig } from 'archdoc';

// archdoc.config.ts — what \`npx archdoc\` documents and how. Every key is optional.
export default defineConfig({
  // Where the document is written, relative to this file.
  output: 'docs/ARCHITECTURE.md',

  // Extra paths to leave out (gitignore-style patterns; .gitignore is always honoured).
  exclude: ['**/fixtures/**'],

  // Shown in the Document information table.
  document: {
    status: 'Draft',
    // lastUpdated: '2026-01-31',
    // owner: 'Platform team',
    // stakeholders: [{ role: 'Engineering lead', name: 'A. Person' }],
  },

  // Who the document is for: depth 'quick' | 'standard' | 'comprehensive';
  // audience 'technical' | 'product' | 'customer-success' | 'mixed'.
  depth: 'standard',
  audience: 'technical',

  // Turn analyzers off, or give them options: analyzers: { 'tech-stack': false },
  // Add your own: plugins: [myAnalyzer],
});
`;

export async function runInit(io: Io, flags: { root?: string; force?: boolean; yes?: boolean }): Promise<number> {
  const root = path.resolve(io.cwd, flags.root ?? '.');
  const existing = CONFIG_NAMES.map((n) => path.join(root, n)).find((p) => fs.existsSync(p));
  if (existing && !flags.force) {
    io.stderr(`archdoc: ${path.basename(existing)} already exists; leaving it as it is (--force overwrites it)\n`);
  } else {
    writeAtomic(path.join(root, 'archdoc.config.ts'), CONFIG_TEMPLATE);
    io.stderr('archdoc: wrote archdoc.config.ts\n');
  }
  const manifestPath = path.join(root, 'package.json');
  if (!fs.existsSync(manifestPath)) {
    io.stderr('archdoc: no package.json here, so no scripts were added; run `npx archdoc` directly\n');
    return EXIT.ok;
  }
  const raw = fs.readFileSync(manifestPath, 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(raw);
  } catch (e) {
    io.stderr(`archdoc: package.json is not valid JSON (${(e as Error).message}); add the scripts by hand\n`);
    return EXIT.usage;
  }
  const indent = /^(\s+)"/m.exec(raw)?.[1] ?? '  ';
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  const added: string[] = [];
  if (!scripts.docs) {
    scripts.docs = 'archdoc generate';
    added.push('docs');
  }
  if (!scripts['docs:check']) {
    scripts['docs:check'] = 'archdoc check';
    added.push('docs:check');
  }
  if (added.length > 0) {
    manifest.scripts = scripts;
    writeAtomic(manifestPath, JSON.stringify(manifest, null, indent) + (raw.endsWith('\n') ? '\n' : ''));
    io.stderr(`archdoc: added npm script(s) ${added.join(', ')} to package.json\n`);
  }
  io.stderr('archdoc: next, run `npm run docs` to write docs/ARCHITECTURE.md\n');
  return EXIT.ok;
}
