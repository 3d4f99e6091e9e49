// The file walk the baselines share: every file below the root, skipping what archdoc skips.
import fs from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['node_modules', '.git', 'dist', 'build', 'coverage']);

export function listFiles(root) {
  const out = [];
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) stack.push(path.join(dir, e.name));
      } else if (e.isFile()) out.push(path.join(dir, e.name));
    }
  }
  return out.sort();
}
