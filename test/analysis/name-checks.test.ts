import { describe, expect, it } from 'vitest';
import { nameChecks } from '../../src/analysis/name-checks.js';
import { parse } from './engine.js';

describe('index: values compared with a name property (name-checks.ts)', () => {
  it('reads switch cases and either side of === / ==, strings, numbers and names as written', () => {
    const text = [
      'export async function process(job: { name: string }) {',
      '  const other = { kind: 1 };',
      '  switch (job.name) {',
      "    case 'welcome': return 1;",
      '    case JobName.Reset: return 2;',
      '    default: return 0;',
      '  }',
      '}',
      "if (job.name === 'a' || 'b' == job.name || job.name === 3 || job.names === 'no' || job.name === f()) run();",
      "if (other.kind === 'not a name') run();",
    ].join('\n');
    expect(nameChecks(parse('src/p.ts', text))).toEqual([
      { line: 4, value: { k: 'str', v: 'welcome' } },
      { line: 5, value: { k: 'ref', path: 'JobName.Reset' } },
      { line: 9, value: { k: 'str', v: 'a' } },
      { line: 9, value: { k: 'str', v: 'b' } },
      { line: 9, value: { k: 'num', v: 3 } },
    ]);
  });

  it('walks no script that compares no .name', () => {
    expect(nameChecks(parse('src/q.ts', "switch (job.kind) { case 'a': break; }\nif (x.type === 'b') run();\n"))).toEqual([]);
  });
});
