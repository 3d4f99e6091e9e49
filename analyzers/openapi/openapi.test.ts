import { describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import { namesFile } from './used.js';

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
    expect(post.evidence).toEqual([{ file: 'swagger.json', line: 17 }]);
    expect(post.auth?.mechanisms).toEqual(['apiKey (OpenAPI)']);
  });
});

describe('API descriptions that are not the served API (api-descriptions fixture)', () => {
  it('reads no description in a docs folder: the endpoints keep their code evidence only', async () => {
    const model = await analyseFixture('api-descriptions');
    const cited = model.endpoints.flatMap((e) => e.evidence).filter((ev) => ev.file.startsWith('docs/'));
    expect(cited).toEqual([]);
    expect(model.security.filter((s) => s.id.startsWith('security:openapi-scheme:'))).toEqual([]);
  });

  it('a description nothing names only corroborates where the code gives its operations: no evidence, no drift, no operation the code lacks', async () => {
    const model = await analyseFixture('api-descriptions');
    const notes = model.endpoints.filter((e) => e.component === 'component:apps/api');
    expect(notes.map((e) => `${e.name} ${e.source}`)).toEqual(['GET /v1/notes code', 'GET /v1/notes/:id code', 'POST /v1/notes code']);
    for (const e of notes) {
      expect(e.evidence.map((ev) => ev.file)).not.toContain('apps/api/contract/openapi.yaml');
      expect(e.details?.drift).toBeUndefined();
      expect(e.details?.specFile).toBeUndefined();
    }
    // DELETE /notes/{id} is in the draft contract only.
    expect(model.endpoints.some((e) => e.method === 'DELETE')).toBe(false);
  });

  it('a description nothing names still gives the endpoints of code archdoc does not read (a Rust service)', async () => {
    const model = await analyseFixture('api-descriptions');
    const ledger = model.endpoints.filter((e) => e.evidence.some((ev) => ev.file.startsWith('services/ledger/')));
    expect(ledger.map((e) => `${e.name} ${e.source} ${JSON.stringify(e.evidence)}`)).toEqual([
      'GET /balances/:account spec [{"file":"services/ledger/openapi.yaml","line":7}]',
      'POST /transfers spec [{"file":"services/ledger/openapi.yaml","line":19}]',
    ]);
  });
});

describe('a description the config declares production', () => {
  it('is the served API: evidence, drift and schemes, even in a docs folder', async () => {
    const model = await analyseFixture('api-descriptions', { roles: { 'apps/api/contract/openapi.yaml': 'production', 'docs/openapi.json': 'production' } });
    const list = model.endpoints.find((e) => e.id === 'endpoint:GET /v1/notes')!;
    expect(list.source).toBe('both');
    expect(list.evidence.map((e) => e.file)).toEqual(expect.arrayContaining(['apps/api/contract/openapi.yaml', 'docs/openapi.json']));
    expect(model.endpoints.find((e) => e.method === 'DELETE')?.details?.drift).toBe('documented but not implemented');
    expect(model.security.map((s) => s.id)).toEqual(expect.arrayContaining(['security:openapi-scheme:bearer', 'security:openapi-scheme:token']));
  });
});

describe('whether a production file names a description', () => {
  it('matches a whole file name after a path separator, a quote or a space, not inside a longer name', () => {
    expect(namesFile('"lint": "redocly lint ../../docs/openapi.json"', 'openapi.json')).toBe(true);
    expect(namesFile('DefinitionUri: swagger/api.yaml\n', 'api.yaml')).toBe(true);
    expect(namesFile('file("${path.module}/../api.yml")', 'api.yml')).toBe(true);
    expect(namesFile('readFileSync("my-openapi.json")', 'openapi.json')).toBe(false);
    expect(namesFile('readFileSync("legacy.openapi.json")', 'openapi.json')).toBe(false);
    expect(namesFile('cp openapi.json5 out/', 'openapi.json')).toBe(false);
    expect(namesFile('', 'openapi.json')).toBe(false);
  });
});
