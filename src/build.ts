/**
 * The build's last step (`npm run build`, after `tsc`): what `tsc` does not emit. Copies the
 * compiler-API shim and its declarations into `dist`, with V8's compiled code for the compiler it
 * loads (see the shim), and compiles the built-in templates once (`dist/templates.compiled.json`,
 * see `render/loader.ts`): no run pays for compiling either.
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { compiledTemplatesFile, precompileTemplates } from './render/loader.js';
import { packageRoot } from './util/package.js';

const root = packageRoot();
const shimDir = path.join(root, 'dist', 'src', 'analyzer');
for (const f of ['typescript.cjs', 'typescript.d.cts']) fs.copyFileSync(path.join(root, 'src', 'analyzer', f), path.join(shimDir, f));

/** Write `text` to `file` through a temporary file, so a reader never sees half of it. */
function writeAtomic(file: string, text: string | Buffer): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * V8's code for the compiler, made after parsing and walking archdoc's own sources as an analysis
 * would, so the parser's functions are compiled in it too. Best effort: without it, runs load the
 * compiler as usual.
 */
function compilerCodeCache(): void {
  const cache = path.join(shimDir, 'typescript.v8cache');
  fs.rmSync(`${cache}.json`, { force: true });
  try {
    const require = createRequire(path.join(shimDir, 'typescript.cjs'));
    const file = require.resolve('@ts-morph/common/dist/typescript.js');
    const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file });
    const m = { exports: {} as typeof import('./analyzer/typescript.cjs') };
    (script.runInThisContext() as (...a: unknown[]) => void).call(m.exports, m.exports, createRequire(file), m, file, path.dirname(file));
    const ts = m.exports;
    for (const dir of ['src', 'analyzers']) {
      for (const f of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).sort()) {
        if (!/\.tsx?$/.test(f)) continue;
        const sf = ts.createSourceFile(`/${f}`, fs.readFileSync(path.join(root, dir, f), 'utf8'), { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true);
        const walk = (n: import('./analyzer/typescript.cjs').Node): void => ts.forEachChild(n, walk);
        walk(sf);
        sf.getLineAndCharacterOfPosition(sf.end);
      }
    }
    const st = fs.statSync(file);
    writeAtomic(cache, script.createCachedData());
    writeAtomic(`${cache}.json`, JSON.stringify({ size: st.size, mtimeMs: st.mtimeMs, node: process.version }));
  } catch (e) {
    console.warn(`archdoc build: no compiled code for the TypeScript compiler (${(e as Error).message}); runs load it as usual`);
  }
}
compilerCodeCache();
writeAtomic(compiledTemplatesFile(), JSON.stringify(precompileTemplates()));
