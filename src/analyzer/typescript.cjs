// The TypeScript compiler API that ts-morph bundles, loaded without the rest of ts-morph: archdoc
// reads raw compiler nodes only, and ts-morph's wrapper and lib files cost some 0.2 s to load.
// The same module as ts-morph's `ts` (one file, one module cache entry), so trees built here and in
// a plugin that imports ts-morph are interchangeable. Falls back to ts-morph if its layout moves.
//
// The compiler is 9 MB of JavaScript, and compiling it is most of its loading time. V8's compiled
// code for it is kept in the cache folder of the node_modules that holds it
// (`node_modules/.cache/archdoc/`, or the folder ARCHDOC_COMPILER_CACHE names), in a file named
// after the Node.js version and architecture and the compiler file's size and modification time.
// The first run writes it as it exits, with the functions that run compiled, and later runs load
// the compiler with it. A missing, mismatched or unwritable file only means loading as usual, and
// nothing of it is in the package. How the compiler was loaded is left on this module, as
// `loadedFrom` (for tests).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The folder for the compiled code: the override, else `.cache/archdoc` in the nearest node_modules above `file`. */
function cacheDir(file) {
  if (process.env.ARCHDOC_COMPILER_CACHE) return path.resolve(process.env.ARCHDOC_COMPILER_CACHE);
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') return path.join(dir, '.cache', 'archdoc');
  }
  return undefined;
}

/** The compiled code's file for `file` under this Node.js: any change to either is another name. */
function cacheFile(dir, file) {
  const st = fs.statSync(file);
  return path.join(dir, `typescript-${process.version}-${process.arch}-${st.size}-${Math.round(st.mtimeMs)}.v8cache`);
}

/** At exit, write `script`'s compiled code to `target` (through a temporary file) and drop older ones. Best effort. */
function saveAtExit(script, target) {
  process.once('exit', () => {
    try {
      const dir = path.dirname(target);
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, target);
      for (const f of fs.readdirSync(dir)) {
        if (/^typescript-.*\.v8cache$/.test(f) && f !== path.basename(target)) fs.rmSync(path.join(dir, f), { force: true });
      }
    } catch {
      // No cache: the next run loads the compiler as usual.
    }
  });
}

/** Load `file` as CommonJS would, compiled from `cachedData` when given, into the module cache (so `require` finds it). */
function loadWith(file, cachedData) {
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
  return { exports: m.exports, script };
}

function load() {
  const file = require.resolve('@ts-morph/common/dist/typescript.js');
  if (!require.cache[file]) {
    let target;
    let data;
    try {
      const dir = cacheDir(file);
      if (dir) {
        target = cacheFile(dir, file);
        data = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
      }
    } catch {
      target = undefined;
    }
    if (target) {
      try {
        const { exports, script } = loadWith(file, data);
        const used = data !== undefined && !script.cachedDataRejected;
        if (!used) saveAtExit(script, target);
        module.loadedFrom = used ? 'compiled code' : data ? 'source (compiled code rejected)' : 'source';
        return exports;
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
