import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, tempRepo } from '../../test/helpers.js';
import { MAX_COMBINATIONS } from './names.js';
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

describe('messaging: a name built of many parts of several values each (hostile)', () => {
  it('keeps at most MAX_COMBINATIONS names rather than every combination (4^16 would exhaust memory)', async () => {
    const parts = '${q}'.repeat(16);
    const root = tempRepo('names-combinations', {
      'package.json': JSON.stringify({ name: 'svc', dependencies: { '@nestjs/microservices': '10.0.0', '@nestjs/core': '10.0.0', bullmq: '5.0.0' } }),
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { Transport } from '@nestjs/microservices';",
        "import { Queue } from 'bullmq';",
        "const q = process.env.A || 'a' || 'b' || 'c' || 'd';",
        `export const jobs = new Queue(\`${parts}\`);`,
        'async function main() {',
        `  await NestFactory.createMicroservice(AppModule, { transport: Transport.RMQ, options: { queue: \`${parts}\` } });`,
        '}',
        'main();',
        '',
      ].join('\n'),
    });
    const m = await analyseRepo(root);
    expect(m.warnings.filter((w) => /failed/.test(w.message))).toEqual([]);
    expect(m.queues.length).toBeLessThanOrEqual(2 * MAX_COMBINATIONS);
  });
});
