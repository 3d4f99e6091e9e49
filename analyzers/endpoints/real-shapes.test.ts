import { describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

function http(model: Model): string[] {
  return model.endpoints
    .filter((e) => e.protocol === 'http')
    .map((e) => `${e.name} ${e.component ?? '-'}`)
    .sort();
}

describe('endpoints: shapes of real code', () => {
  it('gives a NestJS global prefix only to the application whose bootstrap sets it (sibling apps, no workspaces)', async () => {
    const model = await analyseFixture('nest-sibling-apps');
    const names = model.endpoints
      .filter((e) => e.protocol === 'http')
      .map((e) => e.name)
      .sort();
    expect(names).toEqual(['GET /api/health', 'GET /api/v1/orders/:id', 'GET /health', 'POST /api/v1/orders', 'POST /mail/send']);
    const notifierHealth = model.endpoints.find((e) => e.name === 'GET /health')!;
    expect(notifierHealth.details?.routeFile).toBe('notifier/src/health/health.controller.ts');
  });

  it('follows routers held in class fields, route tables walked by forEach, and leaves catch-all middleware out', async () => {
    const model = await analyseFixture('express-class-routers');
    expect(model.endpoints.map((e) => e.name).sort()).toEqual([
      'ALL /health/live',
      'DELETE /v1/sites/:id',
      'GET /*',
      'GET /v1/sites',
      'GET /v1/sites/:id',
      'GET /v2/sites',
      'GET /v2/sites/:siteId',
      'GET /v2/stats/daily',
      'POST /v1/sites',
      'PUT /v1/sites/:id',
    ]);
    // The SPA fallback serves a page: a catch-all route, kept and marked.
    expect(model.endpoints.find((e) => e.name === 'GET /*')!.details?.catchAll).toBe(true);
    expect(model.endpoints.find((e) => e.name === 'GET /v1/sites')!.evidence).toContainEqual({ file: 'src/server.js', line: 24 });
  });

  it('reads a Next.js catch-all that hands requests to Hono as a mount point: the Hono routes are the endpoints', async () => {
    const model = await analyseFixture('next-hono-catchall');
    expect(http(model)).toEqual([
      'GET /api/health component:.',
      'GET /api/v1/doc component:.',
      'GET /api/v1/emails/:emailId component:.',
      'POST /api/v1/emails component:.',
    ]);
    expect(model.endpoints.some((e) => e.path.includes('route'))).toBe(false);
  });
});
