import { LineCounter, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { asArray, asRecord, docLine, lineOf, nodeAt, pairOf, str, strings } from '../../src/analysis/yaml.js';

/** A YAML text parsed the way the context parses it: documents and a 1-based line per offset. */
function parsed(text: string) {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(documents)) throw new Error('no documents');
  return { documents, line: (offset: number) => lineCounter.linePos(offset).line };
}

const SERVICES = [
  '# a comment',
  'services:',
  '  api:',
  '    image: shop/api:1',
  '    ports:',
  '      - "3000:3000"',
  '      - 9229',
  '  db:',
  '    image: postgres:16',
  '',
].join('\n');

describe('src/analysis/yaml: lines of keys and items', () => {
  const y = parsed(SERVICES);
  const root = y.documents[0]!.contents;

  it('gives the line of the key at the end of a path, and of an item for an index', () => {
    expect(lineOf(y, root, ['services'])).toBe(2);
    expect(lineOf(y, root, ['services', 'api'])).toBe(3);
    expect(lineOf(y, root, ['services', 'api', 'ports'])).toBe(5);
    expect(lineOf(y, root, ['services', 'api', 'ports', 1])).toBe(7);
    expect(lineOf(y, root, ['services', 'db', 'image'])).toBe(9);
    expect(lineOf(y, root, [])).toBe(2);
  });

  it('falls back when the path is not there', () => {
    expect(lineOf(y, root, ['services', 'web'])).toBe(1);
    expect(lineOf(y, root, ['services', 'api', 'ports', 5], 42)).toBe(42);
    expect(lineOf(y, root, ['services', 0])).toBe(1);
    expect(nodeAt(root, ['services', 'api', 'image', 'x'])).toBeUndefined();
    expect(pairOf(undefined, 'services')).toBeUndefined();
  });

  it('finds nodes and pairs by key, and the first line of each document', () => {
    expect(String((nodeAt(root, ['services', 'api', 'image']) as { value?: unknown }).value)).toBe('shop/api:1');
    expect(String((pairOf(nodeAt(root, ['services']), 'db')!.key as { value?: unknown }).value)).toBe('db');
    const multi = parsed('a: 1\n---\n\nb: 2\n');
    expect(multi.documents.map((d) => docLine(multi, d))).toEqual([1, 4]);
  });
});

describe('src/analysis/yaml: plain values', () => {
  it('reads records, arrays, scalars and string lists without throwing on other shapes', () => {
    expect(asRecord({ a: 1 })).toEqual({ a: 1 });
    expect(asRecord([1])).toBeUndefined();
    expect(asRecord(null)).toBeUndefined();
    expect(asArray('x')).toEqual([]);
    expect(asArray([1, 'a'])).toEqual([1, 'a']);
    expect(str('a')).toBe('a');
    expect(str(3000)).toBe('3000');
    expect(str(false)).toBe('false');
    expect(str({})).toBeUndefined();
    expect(strings('one')).toEqual(['one']);
    expect(strings(['a', 2, { b: 1 }, null])).toEqual(['a', '2']);
    expect(strings(undefined)).toEqual([]);
  });
});
