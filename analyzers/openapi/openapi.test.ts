import { describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';

describe('openapi', () => {
  it('matches spec operations with code ({id} ≡ :id, servers base path) and keeps both evidences', async () => {
    const model = await analyseFixture('openapi-drift');
    const get = model.endpoints.find((e) => e.id === 'endpoint:GET /v1/invoices/:id')!;
    expect(get.source).toBe('both');
    expect(get.summary).toBe('Fetch one invoice');
    expect(get.details?.operationId).toBe('getInvoice');
    expect(get.details?.responseSchema).toBe('Invoice');
    expect(get.evidence).toEqual([
      { file: 'api/openapi.yaml', line: 13 },
      { file: 'src/invoices.ts', line: 8 },
      { file: 'src/server.ts', line: 7 },
    ]);
  });

  it('follows path-item $refs into other files for lines and schemas', async () => {
    const model = await analyseFixture('openapi-drift');
    const create = model.endpoints.find((e) => e.id === 'endpoint:POST /v1/invoices')!;
    expect(create.source).toBe('both');
    expect(create.evidence).toContainEqual({ file: 'api/paths/invoices.yaml', line: 14 });
    expect(create.details?.requestSchema).toBe('NewInvoice');
    const list = model.endpoints.find((e) => e.id === 'endpoint:GET /v1/invoices')!;
    expect(list.details?.responseSchema).toBe('Invoice[]');
  });

  it('reports drift both ways and auth drift', async () => {
    const model = await analyseFixture('openapi-drift');
    const drift = model.endpoints.filter((e) => e.details?.drift).map((e) => `${e.name}: ${e.details?.drift} (${e.source})`);
    expect(drift).toEqual([
      'DELETE /v1/invoices/:invoiceId: documented but not implemented (spec)',
      'GET /v1/invoices/:id/pdf: implemented but not documented (code)',
    ]);
    const customer = model.endpoints.find((e) => e.id === 'endpoint:GET /v1/customers/:customerId')!;
    expect(customer.details?.authDrift).toMatch(/specification requires authentication/);
    expect(model.endpoints.find((e) => e.id === 'endpoint:GET /v1/status')!.auth?.required).toBe(false);
  });

  it('warns about a $ref that cannot be resolved, at its line', async () => {
    const model = await analyseFixture('openapi-drift');
    expect(model.warnings).toContainEqual({
      file: 'api/schemas/invoice.yaml',
      line: 23,
      analyzer: 'openapi',
      message: "OpenAPI $ref './money.yaml#/Money' could not be resolved",
    });
  });

  it('declares security schemes', async () => {
    const model = await analyseFixture('openapi-drift');
    const scheme = model.security.find((s) => s.id === 'security:openapi-scheme:bearerAuth');
    expect(scheme?.details).toMatchObject({ type: 'http', detail: 'bearer (JWT)', spec: 'api/openapi.yaml' });
  });

  it('lets a Swagger 2.0 JSON spec stand alone when there is no code, without drift', async () => {
    const model = await analyseFixture('openapi-swagger2');
    expect(model.endpoints.map((e) => `${e.name} ${e.source} ${e.auth?.required}`)).toEqual([
      'GET /partner/v2/ping spec false',
      'GET /partner/v2/shipments spec true',
      'GET /partner/v2/shipments/:id spec true',
      'POST /partner/v2/shipments spec true',
    ]);
    expect(model.endpoints.some((e) => e.details?.drift)).toBe(false);
    const post = model.endpoints.find((e) => e.method === 'POST')!;
    expect(post.evidence).toEqual([{ file: 'docs/swagger.json', line: 17 }]);
    expect(post.auth?.mechanisms).toEqual(['apiKey (OpenAPI)']);
  });
});
