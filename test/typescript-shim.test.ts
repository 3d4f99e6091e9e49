/**
 * Loading the TypeScript compiler with the build's compiled code: used when it was made from the
 * installed compiler under this Node.js, refused (and the compiler loaded as usual) otherwise, and
 * either way the module ts-morph's `ts` wraps. Runs the built shim (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package.js';

// The built shim and its compiled code, copied where each test may damage them (inside the
// package, so the copy finds the same installed compiler).
const built = path.join(packageRoot(), 'dist', 'src', 'analyzer');
fs.mkdirSync(path.join(packageRoot(), 'node_modules', '.cache'), { recursive: true });
const dir = fs.mkdtempSync(path.join(packageRoot(), 'node_modules', '.cache', 'archdoc-shim-'));
const shim = path.join(dir, 'typescript.cjs');
const meta = path.join(dir, 'typescript.v8cache.json');
const cache = path.join(dir, 'typescript.v8cache');
const saved = { meta: fs.existsSync(path.join(built, 'typescript.v8cache.json')) ? fs.readFileSync(path.join(built, 'typescript.v8cache.json')) : undefined };

beforeEach(() => {
  for (const f of ['typescript.cjs', 'typescript.v8cache', 'typescript.v8cache.json']) if (fs.existsSync(path.join(built, f))) fs.copyFileSync(path.join(built, f), path.join(dir, f));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Load the shim in a fresh process: how it loaded, and whether it works and is ts-morph's compiler. */
function load(): { from: string; kinds: number; same: boolean } {
  const script = `
    const ts = require(${JSON.stringify(shim)});
    const sf = ts.createSourceFile('/a.ts', 'export const a = (x: number) => x + 1;', ts.ScriptTarget.Latest, true);
    let kinds = 0; const walk = (n) => { kinds++; ts.forEachChild(n, walk); }; walk(sf);
    const same = require(${JSON.stringify(path.join(packageRoot(), 'node_modules', 'ts-morph'))}).ts.createSourceFile === ts.createSourceFile;
    console.log(JSON.stringify({ from: require.cache[${JSON.stringify(shim)}].loadedFrom, kinds, same }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { from: string; kinds: number; same: boolean };
}

describe('TypeScript compiler shim', () => {
  it('loads the compiler from the compiled code the build made', () => {
    expect(saved.meta, 'npm run build writes typescript.v8cache.json').toBeDefined();
    const m = JSON.parse(saved.meta!.toString()) as { size: number; node: string };
    expect(m.node).toBe(process.version);
    expect(load()).toEqual({ from: 'compiled code', kinds: 16, same: true });
  });

  it('loads it as usual when the compiled code was made for another compiler or Node.js, or is damaged', () => {
    const m = JSON.parse(saved.meta!.toString()) as Record<string, unknown>;
    fs.writeFileSync(meta, JSON.stringify({ ...m, size: (m.size as number) + 1 }));
    expect(load()).toEqual({ from: 'source', kinds: 16, same: true });
    fs.writeFileSync(meta, JSON.stringify({ ...m, node: 'v0.0.0' }));
    expect(load()).toEqual({ from: 'source', kinds: 16, same: true });
    fs.copyFileSync(path.join(built, 'typescript.v8cache.json'), meta);
    fs.rmSync(cache);
    expect(load()).toEqual({ from: 'source', kinds: 16, same: true });
    fs.writeFileSync(cache, Buffer.alloc(4096, 7));
    expect(load()).toEqual({ from: 'source (compiled code rejected)', kinds: 16, same: true });
  });
});
