/**
 * Loading the TypeScript compiler with V8's compiled code for it: none in the package; the first
 * run writes it to the cache as it exits, later runs use it, and a file made for another compiler
 * or Node.js, or damaged, or a cache that cannot be written, only means loading as usual. Either
 * way the module is the one ts-morph's `ts` wraps. Each case runs the shim in a fresh process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package.js';

const shim = path.join(packageRoot(), 'src', 'analyzer', 'typescript.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archdoc-shim-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Load the shim in a fresh process: how it loaded, and whether it works and is ts-morph's compiler. */
function load(cache: string | undefined): { from: string; kinds: number; same: boolean } {
  const script = `
    const ts = require(${JSON.stringify(shim)});
    const sf = ts.createSourceFile('/a.ts', 'export const a = (x: number) => x + 1;', ts.ScriptTarget.Latest, true);
    let kinds = 0; const walk = (n) => { kinds++; ts.forEachChild(n, walk); }; walk(sf);
    const same = require(${JSON.stringify(path.join(packageRoot(), 'node_modules', 'ts-morph'))}).ts.createSourceFile === ts.createSourceFile;
    console.log(JSON.stringify({ from: require.cache[${JSON.stringify(shim)}].loadedFrom, kinds, same }));`;
  const env = { ...process.env };
  delete env.ARCHDOC_COMPILER_CACHE;
  if (cache) env.ARCHDOC_COMPILER_CACHE = cache;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env })) as { from: string; kinds: number; same: boolean };
}

const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const compiler = fs.statSync(path.join(packageRoot(), 'node_modules', '@ts-morph', 'common', 'dist', 'typescript.js'));
const expectedName = `typescript-${process.version}-${process.arch}-${compiler.size}-${Math.round(compiler.mtimeMs)}.v8cache`;

describe('TypeScript compiler shim', () => {
  it('loads the compiler as usual on the first run and leaves its compiled code in the cache for the next', () => {
    const cache = path.join(tmp, 'first');
    expect(load(cache)).toEqual({ from: 'source', kinds: 16, same: true });
    expect(files(cache)).toEqual([expectedName]);
    expect(fs.statSync(path.join(cache, expectedName)).size).toBeGreaterThan(100_000);
    expect(load(cache)).toEqual({ from: 'compiled code', kinds: 16, same: true });
  });

  it('loads it as usual, and replaces the file, when it was made for another compiler or Node.js, or is damaged', () => {
    const cache = path.join(tmp, 'mismatch');
    load(cache);
    const other = `typescript-v0.0.0-${process.arch}-${compiler.size}-${Math.round(compiler.mtimeMs)}.v8cache`;
    fs.renameSync(path.join(cache, expectedName), path.join(cache, other));
    expect(load(cache)).toEqual({ from: 'source', kinds: 16, same: true });
    expect(files(cache)).toEqual([expectedName]);
    fs.writeFileSync(path.join(cache, expectedName), Buffer.alloc(4096, 7));
    expect(load(cache)).toEqual({ from: 'source (compiled code rejected)', kinds: 16, same: true });
    expect(fs.statSync(path.join(cache, expectedName)).size).toBeGreaterThan(100_000);
    expect(load(cache)).toEqual({ from: 'compiled code', kinds: 16, same: true });
  });

  it('works, quietly, when the cache cannot be written', () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    expect(load(path.join(file, 'cache'))).toEqual({ from: 'source', kinds: 16, same: true });
    expect(load(path.join(file, 'cache'))).toEqual({ from: 'source', kinds: 16, same: true });
  });

  it('keeps the cache in node_modules/.cache/archdoc beside the compiler by default', () => {
    load(undefined);
    expect(files(path.join(packageRoot(), 'node_modules', '.cache', 'archdoc'))).toContain(expectedName);
  });
});
