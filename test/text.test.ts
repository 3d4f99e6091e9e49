import { describe, expect, it } from 'vitest';
import { codeOnly, jsonKeyLine, LineIndex } from '../src/util/text.js';
import { matchesPatternList } from '../src/util/glob.js';

describe('codeOnly', () => {
  it('blanks comments, strings and regex literals but keeps code, lengths and lines', () => {
    const src = [
      '// app.listen(3000) in a comment',
      "const s = 'NestFactory.create(x)';",
      'const r = /app\\.listen\\(/;',
      '/* server.listen(1) */ app.listen(port);',
    ].join('\n');
    const out = codeOnly(src);
    expect(out.length).toBe(src.length);
    expect(out.split('\n')).toHaveLength(4);
    expect(out).not.toMatch(/NestFactory/);
    expect(out.match(/listen/g)).toHaveLength(1);
    expect(out.split('\n')[3]).toMatch(/app\.listen\(port\);$/);
  });
});

describe('text helpers', () => {
  it('finds JSON key lines within a parent object', () => {
    const text = '{\n  "name": "x",\n  "devDependencies": {\n    "name": "y",\n    "vitest": "1"\n  }\n}';
    expect(jsonKeyLine(text, 'name')).toBe(2);
    expect(jsonKeyLine(text, 'vitest', 'devDependencies')).toBe(5);
  });
  it('maps offsets to lines', () => {
    const idx = new LineIndex('a\nbb\nccc');
    expect([idx.line(0), idx.line(2), idx.line(5), idx.line(8)]).toEqual([1, 2, 3, 3]);
  });
  it('matches workspace globs with negation', () => {
    const pats = ['apps/*', 'packages/**', '!packages/legacy'];
    expect(matchesPatternList('apps/api', pats)).toBe(true);
    expect(matchesPatternList('apps/api/nested', pats)).toBe(false);
    expect(matchesPatternList('packages/a/b', pats)).toBe(true);
    expect(matchesPatternList('packages/legacy', pats)).toBe(false);
  });
});
