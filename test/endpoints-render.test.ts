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
