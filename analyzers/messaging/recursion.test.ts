import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

// Regression: on a real Angular + NestJS monorepo the messaging analyzer failed with "Maximum call
// stack size exceeded" (a callback passed to `.addListener()` was followed back to itself without
// end). These shapes must resolve to nothing, quickly, and leave the real queue alone.
describe('messaging: recursion shapes (callback listeners, re-export cycles, self-referencing constants)', () => {
  let model: Model;
  beforeAll(async () => {
    model = await analyseFixture('messaging-recursion');
  }, 60_000);

  it('does not fail', () => {
    expect(model.warnings.filter((w) => w.analyzer === 'messaging' && /failed/.test(w.message))).toEqual([]);
  });

  it('still finds the real queue and nothing from the callback, the cycle or the self-reference', () => {
    expect(model.queues.map((q) => q.id)).toEqual(['queue:orders']);
    const q = model.queues[0]!;
    expect(q.producers).toEqual(['component:.']);
    expect(q.messages).toEqual(['place-order']);
  });
});
