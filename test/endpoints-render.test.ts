import { describe, expect, it } from 'vitest';
import { analyseFixture } from './helpers.js';
import { createEnvironment } from '../src/render/environment.js';
import { endpointsView, resourceOf } from '../src/render/view-endpoints.js';
import type { Model } from '../src/model/schema.js';

function render(model: Model, template: string, extra: Record<string, unknown> = {}): string {
  const env = createEnvironment({ model, linkBase: '', diagrams: {} as never });
  return env.render(template, { model, view: { endpoints: endpointsView(model) }, doc: {}, ...extra });
}

describe('endpoint partials', () => {
  it('lists a component’s endpoints with summaries and handler links', async () => {
    const model = await analyseFixture('openapi-drift');
    const out = render(model, 'partials/component-endpoints.njk', { component: model.components[0] });
    expect(out).toContain('**API endpoints**');
    expect(out).toContain('- `GET /v1/invoices/:id` - Fetch one invoice ([src/invoices.ts:8](src/invoices.ts#L8))');
    // A spec-only operation links to the specification.
    expect(out).toContain('- `DELETE /v1/invoices/:invoiceId` - Void an invoice ([api/openapi.yaml:26](api/openapi.yaml#L26))');
  });

  it('groups long lists by resource, and renders GraphQL operations apart', async () => {
    const model = await analyseFixture('nestjs-api');
    const out = render(model, 'partials/component-endpoints.njk', { component: model.components[0] });
    expect(out).toContain('*/orders*');
    expect(out).toContain('*GraphQL operations*');
    expect(out).toContain('- `query orders` ([src/orders/orders.resolver.ts:5](src/orders/orders.resolver.ts#L5))');
    expect(resourceOf('/api/v2/orders/:id')).toBe('/orders');
  });

  it('shows public versus authenticated routes by mechanism', async () => {
    const model = await analyseFixture('nestjs-api');
    const out = render(model, 'partials/api-security.njk');
    expect(out).toContain('Of 13 HTTP endpoints, 10 require authentication and 3 are public.');
    expect(out).toMatch(/\| `JwtAuthGuard` \| 10 \|/);
    expect(out).toContain('- `POST /api/v1/auth/login` — public (opt-out: @Public)');
  });

  it('renders the drift table only when a spec exists', async () => {
    const drift = await analyseFixture('openapi-drift');
    const out = render(drift, 'partials/api-drift.njk');
    expect(out).toContain('1 API specification ([api/openapi.yaml](api/openapi.yaml)) documents 6 operations; 5 of them match a route in the code.');
    expect(out).toContain('| `GET` | `/v1/invoices/:id/pdf` | implemented but not documented |');
    expect(out).toContain('| `DELETE` | `/v1/invoices/:invoiceId` | documented but not implemented |');
    expect(out).toContain('| `GET` | `/v1/customers/:customerId` | authentication differs |');
    const none = await analyseFixture('express-routers');
    expect(render(none, 'partials/api-drift.njk').trim()).toBe('');
  });
});

describe('every operation, for product and customer-success readers', () => {
  const ep = (component: string | undefined, method: string, path: string, required?: boolean) => ({
    id: `endpoint:${method} ${path}#${component ?? ''}`,
    name: `${method} ${path}`,
    method,
    path,
    protocol: 'http' as const,
    ...(component !== undefined ? { component } : {}),
    ...(required !== undefined ? { auth: { required, mechanisms: [] } } : {}),
    evidence: [{ file: 'a.ts', line: 1 }],
  });
  const comp = (id: string, name: string) => ({ id, name, kind: 'service' as const, path: name, tech: [], dependsOn: [], evidence: [] });

  it('names the service of each, sorts by service, path and method, and puts operations of no service last', async () => {
    const base = await analyseFixture('openapi-drift');
    const model: Model = {
      ...base,
      components: [comp('component:b', 'cart'), comp('component:a', 'checkout')],
      endpoints: [
        ep(undefined, 'GET', '/a'),
        ep('component:a', 'DELETE', '/chaos/health'),
        ep('component:b', 'POST', '/chaos/health'),
        ep('component:b', 'DELETE', '/chaos/health'),
      ],
    };
    const view = endpointsView(model);
    expect(view.operations.rows.map((r) => [r.component ?? '-', r.method, r.path])).toEqual([
      ['cart', 'DELETE', '/chaos/health'],
      ['cart', 'POST', '/chaos/health'],
      ['checkout', 'DELETE', '/chaos/health'],
      ['-', 'GET', '/a'],
    ]);
    // No operation's authentication is known: the column is dropped and said once.
    expect(view.operations.authenticationKnown).toBe(false);
    const out = render(model, 'sections/integration-points.njk', {
      view: { endpoints: view, endpointsByComponent: [], profile: { depth: 'standard' }, coverage: { unread: { api: [], graphql: [] }, languages: [] } },
    });
    expect(out).toContain('| Service | Method | Path |\n');
    expect(out).toContain('| not attributed | GET | `/a` |');
    expect(out).toContain('Whether these operations require authentication could not be read, so the table has no column for it.');
    expect(out).not.toContain('not known');
    // One known is enough for the column.
    model.endpoints.push(ep('component:a', 'GET', '/orders', true));
    const known = endpointsView(model).operations;
    expect(known.authenticationKnown).toBe(true);
    expect(known.rows.find((r) => r.path === '/orders')?.authentication).toBe('required');
  });
});

describe('infrastructure settings', () => {
  it('leaves out an empty list rather than writing its label alone', async () => {
    const model = await analyseFixture('openapi-drift');
    const env = createEnvironment({ model, linkBase: '', diagrams: {} as never });
    const out = env.renderString('{% from "partials/infra-details.njk" import settings %}{{ settings(d) }}', {
      d: { keys: [], namespace: 'shop', ports: ['80'] },
    });
    expect(out).toBe('namespace shop; ports 80');
  });
});
