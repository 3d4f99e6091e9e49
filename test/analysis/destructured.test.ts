import { describe, expect, it } from 'vitest';
import { destructuredNames } from '../../src/analysis/destructured.js';
import { indexOf, parse } from './engine.js';

describe('index: module-level names bound by destructuring (destructured.ts)', () => {
  const text = [
    "import { initTRPC } from '@trpc/server';",
    'const t = initTRPC.create();',
    "export const { router, procedure: publicProcedure, 'merge-routers': mergeRouters, ...rest } = t;",
    'const { a: { b } } = t;',
    'function inner() {',
    '  const { local } = t;',
    '  return local;',
    '}',
  ].join('\n');

  it('gives each name the property it takes; rest elements, nested patterns and function scopes take none', () => {
    expect([...destructuredNames(parse('src/trpc.ts', text))]).toEqual([
      ['router', 'router'],
      ['publicProcedure', 'procedure'],
      ['mergeRouters', 'merge-routers'],
    ]);
  });

  it('exports the names an exported destructuring binds, each holding the whole value in vars', () => {
    const idx = indexOf('src/trpc.ts', text);
    expect(['router', 'publicProcedure', 'mergeRouters', 'rest'].map((n) => idx.exports.get(n))).toEqual(['router', 'publicProcedure', 'mergeRouters', 'rest']);
    expect(idx.vars.get('publicProcedure')).toEqual({ k: 'ref', path: 't' });
    expect(idx.destructured.get('publicProcedure')).toBe('procedure');
  });
});
