import { describe, expect, it } from 'vitest';
import { FactCollector } from '../src/analyzer/facts.js';
import { sortedUnique } from '../src/model/compare.js';
import type { SecurityFact } from '../src/model/schema.js';

const at = (line: number) => ({ file: 'src/a.ts', line });

describe('FactCollector', () => {
  it('keeps one fact per id: evidence of every fragment, first scalars, component filled in later', () => {
    const c = new FactCollector<SecurityFact>();
    c.add('security:session:express-session', 'authentication', 'Sessions', at(3), { tech: 'express-session', details: { store: 'RedisStore' } });
    c.add('security:session:express-session', 'authentication', 'Other name', at(9), {
      tech: 'other',
      component: 'component:api',
      details: { store: 'MemoryStore', cookieSecure: true },
    });
    expect([...c.facts.values()]).toEqual([
      {
        id: 'security:session:express-session',
        name: 'Sessions',
        category: 'authentication',
        tech: 'express-session',
        component: 'component:api',
        evidence: [at(3), at(9)],
        details: { store: 'RedisStore', cookieSecure: true },
      },
    ]);
  });

  it('merges string arrays into one sorted union, whatever the order and repeats of the fragments', () => {
    const c = new FactCollector<SecurityFact>();
    const added: string[] = [];
    const words = ['m', 'b', 'x', 'b', 'a', 'z', 'm', 'c', 'a', 'y'];
    for (const [i, w] of words.entries()) {
      const more = [w, words[(i * 7) % words.length]!];
      added.push(...more);
      c.add('security:guard:G', 'authorisation', 'Guard G', at(i), { details: { appliedTo: more } });
      if (i > 0) expect(c.facts.get('security:guard:G')!.details!.appliedTo).toEqual(sortedUnique(added));
    }
  });

  it('never changes the array a first fragment passed in', () => {
    const c = new FactCollector<SecurityFact>();
    const first = ['z', 'a'];
    c.add('security:rbac:decorators', 'authorisation', 'Roles', at(1), { details: { roles: first } });
    c.add('security:rbac:decorators', 'authorisation', 'Roles', at(2), { details: { roles: ['b'] } });
    c.add('security:rbac:decorators', 'authorisation', 'Roles', at(3), { details: { roles: ['c'] } });
    expect(first).toEqual(['z', 'a']);
    expect(c.facts.get('security:rbac:decorators')!.details!.roles).toEqual(['a', 'b', 'c', 'z']);
  });

  it('sets a severity only when a fragment gives one', () => {
    const c = new FactCollector<SecurityFact>();
    c.add('security:finding:x', 'finding', 'X', at(1), { severity: 'high' });
    c.add('security:helmet', 'transport', 'Helmet', at(1));
    expect(c.facts.get('security:finding:x')!.severity).toBe('high');
    expect('severity' in c.facts.get('security:helmet')!).toBe(false);
  });
});
