/**
 * Shared machinery of the robustness suite: throw-away repositories in temporary directories,
 * the whole CLI run in process, and the checks every hostile case must pass (exit code, every
 * section still rendered, warnings that name the file and line).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinAnalyzers } from '../../analyzers/index.js';

export interface ModelWarning {
  file: string;
  line: number;
  analyzer: string;
  message: string;
}

const temps: string[] = [];

/** A fresh empty temporary directory, removed by `cleanTemps`. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `archdoc-robust-${prefix}-`));
  temps.push(dir);
  return dir;
}

export function cleanTemps(): void {
  for (const t of temps.splice(0)) {
    try {
      fs.rmSync(t, { recursive: true, force: true });
    } catch {
      // chmod 000 cases (when not running as root) must be made readable again first.
      const stack = [t];
      while (stack.length > 0) {
        const dir = stack.pop()!;
        try {
          fs.chmodSync(dir, 0o700);
          for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (e.isDirectory()) stack.push(path.join(dir, e.name));
          }
        } catch {
          // nothing more to do for this one
        }
      }
      fs.rmSync(t, { recursive: true, force: true });
    }
  }
}

export const BASE_MANIFEST = JSON.stringify({ name: 'robustness-case', version: '1.0.0', private: true }, null, 2) + '\n';

/** Write files (text or bytes) under a new temporary repository with a plain root manifest. */
export function makeRepo(name: string, files: Record<string, string | Buffer> = {}): string {
  const root = tempDir(name);
  writeFiles(root, { 'package.json': BASE_MANIFEST, ...files });
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Copy a committed corpus case or fixture into a temporary repository. */
export function copyInto(src: string, name: string): string {
  const root = tempDir(name);
  fs.cpSync(src, root, { recursive: true });
  return root;
}

export { runCli } from '../helpers.js';

/** The `## ` headings of a document, in order. */
export function headings(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('## '))
    .map((l) => l.slice(3).trim());
}

/** True when a built-in analyzer of that name is registered (others' analyzers land over time). */
export function hasAnalyzer(name: string): boolean {
  return builtinAnalyzers.some((a) => a.meta.name === name);
}

export function analyzerNames(): string[] {
  return builtinAnalyzers.map((a) => a.meta.name);
}

/** Running as root makes chmod 000 meaningless (root reads anything). */
export const RUNNING_AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/** A config file living OUTSIDE the analysed root (so it is never discovered as an input). */
export function probeConfig(): string {
  const dir = tempDir('probe');
  const file = path.join(dir, 'probe.config.mjs');
  fs.writeFileSync(file, PROBE_CONFIG);
  return file;
}

/**
 * A test-only plugin that asks the shared context for every discovered file in the form an
 * analyzer would (JSON, YAML with lines, a TypeScript AST, or plain text), so the core read paths
 * are exercised on every hostile input whichever built-in analyzers exist today.
 */
const PROBE_CONFIG = `export default {
  plugins: [
    {
      meta: { name: 'probe', description: 'reads every file as an analyzer would', produces: [] },
      analyze(ctx) {
        for (const file of ctx.files) {
          if (/\\.json$/.test(file)) ctx.json(file);
          else if (/\\.ya?ml$/.test(file)) {
            const y = ctx.yaml(file);
            if (y) for (const d of y.documents) y.toJS(d);
          } else if (/\\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file) && !file.endsWith('.d.ts')) {
            const sf = ctx.sourceFile(file);
            // Walk the tree iteratively, as analyzers must, touching every node.
            if (sf) {
              const stack = [sf];
              let n = 0;
              while (stack.length) {
                const node = stack.pop();
                n++;
                node.forEachChild((c) => { stack.push(c); });
              }
            }
          } else ctx.read(file);
        }
      },
    },
  ],
};
`;
