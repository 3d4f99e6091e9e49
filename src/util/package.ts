/** Locating archdoc's own files (templates, schema) whether run from src/ or dist/. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The archdoc package root: the nearest parent directory holding a package.json named archdoc. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'archdoc') return (root = dir);
      } catch {
        // keep looking upwards
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('archdoc package root not found');
    dir = parent;
  }
}

export function builtinTemplatesDir(): string {
  return path.join(packageRoot(), 'templates');
}

export function archdocVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}
