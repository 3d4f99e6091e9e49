/**
 * Channels known only in part: a template's ends go to the declared channels of its technology and
 * kind whose names it matches (each placeholder one or more name characters, never a `.`).
 */
import { describe, expect, it } from 'vitest';
import type { Queue } from '../../src/model/schema.js';
import { foldTemplates, matchesTemplate, templateParts } from './templates.js';

const q = (name: string, ends: Partial<Queue> = {}, kind = 'queue'): Queue => ({
  id: `queue:${name}`,
  name,
  tech: 'RabbitMQ',
  producers: [],
  consumers: [],
  details: { kind },
  evidence: [{ file: 'src/setup.ts', line: 1 }],
  ...ends,
});

describe('messaging: channel names known only in part', () => {
  it('matches a template placeholder against name characters, never across a dot, and needs some literal text', () => {
    const parts = templateParts('bid-processing-{CONSUMER_ID}')!;
    expect(matchesTemplate(parts, 'bid-processing-1')).toBe(true);
    expect(matchesTemplate(parts, 'bid-processing-eu_2')).toBe(true);
    expect(matchesTemplate(parts, 'bid-processing-1.dlq')).toBe(false);
    expect(matchesTemplate(parts, 'bid-processing-')).toBe(false);
    expect(matchesTemplate(templateParts('{key}.retry')!, 'bid-processing-1.retry')).toBe(true);
    expect(templateParts('{a}.{b}')).toBeUndefined();
    expect(templateParts('orders')).toBeUndefined();
    expect(templateParts('orders-{unclosed')).toBeUndefined();
  });

  it('gives a template’s ends to the declared channels it matches and drops it; one matching nothing stays', () => {
    const out = foldTemplates([
      q('bid-processing-1'),
      q('bid-processing-2'),
      q('bid-processing-1.dlq'),
      q('bid-processing-1.retry'),
      q('bid-processing-{CONSUMER_ID}', { consumers: ['component:.'], details: { kind: 'queue', consumerSites: ['src/bids.ts:37'] } }),
      q('{key}.retry', { producers: ['component:.'] }),
      q('audit-{region}', { producers: ['component:audit'] }),
      q('bid-processing-3', {}, 'exchange'),
    ]);
    const ends = Object.fromEntries(out.map((x) => [x.name, `${x.producers.join('+') || '–'} → ${x.consumers.join('+') || '–'}`]));
    expect(ends).toEqual({
      'bid-processing-1': '– → component:.',
      'bid-processing-2': '– → component:.',
      'bid-processing-1.dlq': '– → –',
      'bid-processing-1.retry': 'component:. → –',
      'audit-{region}': 'component:audit → –',
      'bid-processing-3': '– → –',
    });
    expect(out.find((x) => x.name === 'bid-processing-1')!.details).toMatchObject({
      consumerSites: ['src/bids.ts:37'],
      nameTemplates: ['bid-processing-{CONSUMER_ID}'],
    });
  });

  it('stops matching after a budget of attempts, leaving the templates as written (a hostile repository of thousands of each)', () => {
    const many = [...Array.from({ length: 600 }, (_, i) => q(`jobs-{x}-${i}`)), ...Array.from({ length: 600 }, (_, i) => q(`jobs-a-${i}`))];
    const out = foldTemplates(many);
    // 600 × 1,200 attempts exceed the budget: the run ends early, the later templates kept.
    expect(out.length).toBeGreaterThan(600);
    expect(out.some((x) => x.name === 'jobs-{x}-599')).toBe(true);
  });
});
