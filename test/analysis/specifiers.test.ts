import { describe, expect, it } from 'vitest';
import { indexFromJSON, indexToJSON } from '../../src/analysis/index-file.js';
import { indexOf } from './engine.js';

describe('index: module specifiers', () => {
  const text = [
    "import a from 'a';",
    "import type { T } from './types';",
    "export * from './b';",
    "export type { U } from './u';",
    "import f = require('./f');",
    'export async function load() {',
    "  const c = require('c');",
    "  return [c, await import('./d.js'), import(`./e`)];",
    '}',
    'const g = \'require("./not-a-require")\';',
    'const h = require(name);',
    'import {',
    '  x,',
    "} from 'multi';",
  ].join('\n');

  it('lists every specifier in source order, at its own line, with how it is named', () => {
    expect(indexOf('src/app.ts', text).specifiers).toEqual([
      { specifier: 'a', line: 1, kind: 'import' },
      { specifier: './types', line: 2, kind: 'import', typeOnly: true },
      { specifier: './b', line: 3, kind: 'export' },
      { specifier: './u', line: 4, kind: 'export', typeOnly: true },
      { specifier: './f', line: 5, kind: 'import-equals' },
      { specifier: 'c', line: 7, kind: 'require' },
      { specifier: './d.js', line: 8, kind: 'dynamic' },
      { specifier: './e', line: 8, kind: 'dynamic' },
      { specifier: 'multi', line: 14, kind: 'import' },
    ]);
  });

  it('survives the JSON round trip', () => {
    const idx = indexOf('src/app.ts', text);
    expect(indexFromJSON(indexToJSON(idx)).specifiers).toEqual(idx.specifiers);
  });

  it('is empty for a script that names no module', () => {
    expect(indexOf('src/x.ts', 'export const x = 1;').specifiers).toEqual([]);
  });
});
