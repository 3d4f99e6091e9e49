import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ModelSchema, SCHEMA_VERSION } from '../src/model/schema.js';
import { mergeById } from '../src/model/merge.js';
import { compareStrings } from '../src/model/compare.js';
import { REPO_ROOT } from './helpers.js';

describe('model', () => {
  it('publishes its JSON Schema (schema/model.schema.json is generated from the zod schema)', async () => {
    const schema = { $id: `https://archdoc.dev/schema/model-v${SCHEMA_VERSION}.json`, ...z.toJSONSchema(ModelSchema) };
    await expect(JSON.stringify(schema, null, 2) + '\n').toMatchFileSnapshot(path.join(REPO_ROOT, 'schema', 'model.schema.json'));
  });

  it('merges facts by id: evidence and string lists unioned, first scalar wins, sorted by id', () => {
    const merged = mergeById([
      { id: 'b', name: 'B', usedBy: ['x'], evidence: [{ file: 'b.ts', line: 2 }] },
      { id: 'a', name: 'A1', usedBy: ['y'], evidence: [{ file: 'z.ts', line: 9 }] },
      {
        id: 'a',
        name: 'A2',
        usedBy: ['x', 'y'],
        evidence: [
          { file: 'a.ts', line: 1 },
          { file: 'z.ts', line: 9 },
        ],
      },
    ]);
    expect(merged).toEqual([
      {
        id: 'a',
        name: 'A1',
        usedBy: ['x', 'y'],
        evidence: [
          { file: 'a.ts', line: 1 },
          { file: 'z.ts', line: 9 },
        ],
      },
      { id: 'b', name: 'B', usedBy: ['x'], evidence: [{ file: 'b.ts', line: 2 }] },
    ]);
  });

  it('merges details key by key, an object within them (a rollout) as one value: the first fragment wins', () => {
    const evidence = [{ file: 'a.tf', line: 1 }];
    const merged = mergeById([
      { id: 'workload:ecs:api', name: 'api', details: { strategy: { kind: 'rolling-update' }, images: ['a'] }, evidence },
      { id: 'workload:ecs:api', name: 'api', details: { strategy: { kind: 'blue-green', controller: 'codedeploy' }, images: ['b'], replicas: 2 }, evidence },
    ]);
    expect(merged[0]!.details).toEqual({ strategy: { kind: 'rolling-update' }, images: ['a', 'b'], replicas: 2 });
  });

  it('orders by code unit, not by locale', () => {
    expect(['b', 'B', 'a', 'Ä', '_'].sort(compareStrings)).toEqual(['B', '_', 'a', 'b', 'Ä']);
  });
});
