/**
 * Targets read from SLO specifications, load-test thresholds and alert rules fill the Target
 * column of the Quality attributes and Performance requirements tables, each with evidence; the
 * Current column is never filled from code, it points at a human block.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { analyse } from '../src/pipeline/analyse.js';
import { renderDocument } from '../src/render/document.js';
import { parseBlocks } from '../src/render/blocks.js';
import { fixturePath } from './helpers.js';

async function render(name: string, focus?: string[]): Promise<string> {
  const root = fixturePath(name);
  const config = await loadConfig({ cwd: root, root, out: path.join(root, 'docs', 'ARCHITECTURE.md'), ...(focus ? { focus: focus.join(',') } : {}) });
  const { model } = await analyse(config);
  return renderDocument(model, config);
}

/** The lines of the table that follows a heading. */
function table(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const first = lines.findIndex((l, i) => i > start && l.startsWith('| '));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  return lines.slice(first, end);
}

describe('targets in Design goals and Performance and scalability', () => {
  let secure: string;
  let plain: string;
  beforeAll(async () => {
    [secure, plain] = await Promise.all([render('secure-observable-api'), render('express-prisma-api')]);
  });

  it('lists every target by quality attribute, with evidence and no invented current value', () => {
    const rows = table(secure, '### Quality attributes');
    expect(rows[0]).toBe('| Attribute | Target | Source | Evidence | Current |');
    const body = rows.slice(2);
    expect(body.map((r) => r.split(' | ')[0])).toEqual([
      '| Availability',
      '| Latency',
      '| Latency',
      '| Latency',
      '| Error rate',
      '| Error rate',
      '| Throughput',
      '| Check success rate',
    ]);
    expect(body).toContain(
      '| Availability | Good responses: 99.9% over 28d | OpenSLO | [ops/slo/availability.yaml:4](../ops/slo/availability.yaml#L4) | see below |',
    );
    expect(body).toContain('| Latency | p95 < 400 ms; p99 < 1000 ms | k6 threshold | [tests/load/checkout.js:8](../tests/load/checkout.js#L8) | see below |');
    expect(body).toContain(
      '| Latency | p99 latency alert when > 1.5 | alert PaymentsGatewayP99Latency | [ops/grafana/alerting/payments-rules.yaml:9](../ops/grafana/alerting/payments-rules.yaml#L9) | see below |',
    );
    expect(body.every((r) => r.endsWith('| see below |'))).toBe(true);
    expect(parseBlocks(secure).map((b) => b.id)).toContain('goals:quality-attributes');
  });

  it('puts latency, error-rate and throughput targets under Performance requirements', () => {
    const body = table(secure, '### Performance requirements').slice(2);
    expect(new Set(body.map((r) => r.split(' | ')[0]))).toEqual(new Set(['| Latency', '| Error rate', '| Throughput']));
    expect(body).toContain('| Throughput | > 50 requests/s | k6 threshold | [tests/load/checkout.js:11](../tests/load/checkout.js#L11) | see below |');
    expect(parseBlocks(secure).map((b) => b.id)).toContain('performance:requirements');
  });

  it('asks for current values once when Design goals is in the document, and in Monitoring when it is not', async () => {
    expect(parseBlocks(secure).map((b) => b.id)).not.toContain('observability:targets-current');
    const deploymentOnly = await render('secure-observable-api', ['deployment']);
    expect(deploymentOnly).not.toContain('### Quality attributes');
    expect(parseBlocks(deploymentOnly).map((b) => b.id)).toContain('observability:targets-current');
  });

  it('says plainly when the repository states no targets, and keeps the same human block', () => {
    expect(plain).toContain('No availability, latency, error-rate or throughput targets detected');
    expect(plain).toContain('No latency, error-rate or throughput targets detected');
    const ids = parseBlocks(plain).map((b) => b.id);
    expect(ids).toContain('goals:quality-attributes');
    expect(ids).toContain('performance:requirements');
  });
});
