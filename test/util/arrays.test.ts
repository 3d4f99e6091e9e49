import { describe, expect, it } from 'vitest';
import { pushAll } from '../../src/util/arrays.js';

describe('pushAll', () => {
  it('appends more items than a spread into push can take as arguments', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    const target = [-1];
    pushAll(target, many);
    expect(target.length).toBe(300_001);
    expect(target[300_000]).toBe(299_999);
  });
});
