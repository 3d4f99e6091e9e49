// The TypeScript compiler API that ts-morph bundles, loaded without the rest of ts-morph: archdoc
// reads raw compiler nodes only, and ts-morph's wrapper and lib files cost some 0.2 s to load.
// The same module as ts-morph's `ts` (one file, one module cache entry), so trees built here and in
// a plugin that imports ts-morph are interchangeable. Falls back to ts-morph if its layout moves.
//
// The compiler is 9 MB of JavaScript, and compiling it is most of its loading time. The build
// (`npm run build`) leaves V8's compiled code for it beside this file (`typescript.v8cache`, with
// the size and modification time of the file it was made from and the Node.js version); loading
// with it skips that work. Any mismatch, or any failure, and the compiler is loaded as usual.
// How it was loaded is left on this module, as `loadedFrom` (for tests).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CACHE = path.join(__dirname, 'typescript.v8cache');

/** The build's compiled code for `file`, when it was made from that very file under this Node.js. */
function cached(file) {
  try {
    const meta = JSON.parse(fs.readFileSync(`${CACHE}.json`, 'utf8'));
    const st = fs.statSync(file);
    if (meta.size !== st.size || meta.mtimeMs !== st.mtimeMs || meta.node !== process.version) return undefined;
    return fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
}

/** Load `file` as CommonJS would, compiled from `cachedData`, into the module cache (so `require` finds it). */
function loadWithCache(file, cachedData) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = m;
  try {
    script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  m.loaded = true;
  module.loadedFrom = script.cachedDataRejected ? 'source (compiled code rejected)' : 'compiled code';
  return m.exports;
}

function load() {
  const file = require.resolve('@ts-morph/common/dist/typescript.js');
  if (!require.cache[file]) {
    const data = cached(file);
    if (data) {
      try {
        return loadWithCache(file, data);
      } catch {
        // loaded as usual below
      }
    }
  }
  module.loadedFrom = 'source';
  return require(file);
}

let ts;
try {
  ts = load();
} catch {
  module.loadedFrom = 'ts-morph';
  ts = require('ts-morph').ts;
}
module.exports = ts;
