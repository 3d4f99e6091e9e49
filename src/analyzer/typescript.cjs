// The TypeScript compiler API that ts-morph bundles, loaded without the rest of ts-morph: archdoc
// reads raw compiler nodes only, and ts-morph's wrapper and lib files cost some 0.2 s to load.
// The same module object as ts-morph's `ts` (one file, one module cache entry), so trees built here
// and in a plugin that imports ts-morph are interchangeable. Falls back to ts-morph if its layout moves.
'use strict';
let ts;
try {
  ts = require('@ts-morph/common/dist/typescript.js');
} catch {
  ts = require('ts-morph').ts;
}
module.exports = ts;
