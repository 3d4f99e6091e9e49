/**
 * A greedy API Gateway route (`ANY /api/v1/{proxy+}`) hands every path under it to one function:
 * where that function's package declares its routes in code (a Hono app behind the Lambda
 * adapter), those routes are the endpoints and the proxy adds none; a proxy to a function with no
 * routes of its own under it stays the endpoint.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('sst: greedy proxy routes', () => {
  it('a proxy to a function whose code declares routes under it is no endpoint; one to a plain handler stays', async () => {
    const model = await analyseRepo(
      tempRepo('sst-proxy', {
        'package.json': json({ name: 'mailroom', private: true, workspaces: ['packages/*'], devDependencies: { sst: '^3.3.0' } }),
        'sst.config.ts': [
          'export default $config({',
          "  app() { return { name: 'mailroom', home: 'aws' }; },",
          '  async run() {',
          "    await import('./infra/api');",
          '  },',
          '});',
          '',
        ].join('\n'),
        'infra/api.ts': [
          "export const api = new sst.aws.ApiGatewayV2('Gateway', { cors: { allowMethods: ['GET', 'POST'] } });",
          '',
          "api.route('ANY /api/v1/{proxy+}', { handler: 'packages/api/src/lambda.handler' });",
          "api.route('ANY /hooks/{proxy+}', 'packages/hooks/src/receive.handler');",
          '',
        ].join('\n'),
        'packages/api/package.json': json({ name: '@mailroom/api', dependencies: { hono: '^4.6.0' } }),
        'packages/api/src/lambda.ts': "import { handle } from 'hono/aws-lambda';\nimport { app } from './app';\n\nexport const handler = handle(app);\n",
        'packages/api/src/app.ts': [
          "import { Hono } from 'hono';",
          "import { campaigns } from './campaigns';",
          '',
          "export const app = new Hono().basePath('/api/v1');",
          "app.get('/health', (c) => c.json({ ok: true }));",
          "app.route('/campaigns', campaigns);",
          '',
        ].join('\n'),
        'packages/api/src/campaigns.ts': [
          "import { Hono } from 'hono';",
          '',
          'export const campaigns = new Hono()',
          "  .get('/', (c) => c.json([]))",
          "  .post('/:id/send', (c) => c.json({ queued: c.req.param('id') }));",
          '',
        ].join('\n'),
        'packages/hooks/package.json': json({ name: '@mailroom/hooks', dependencies: { '@types/aws-lambda': '^8.10.0' } }),
        'packages/hooks/src/receive.ts': "export const handler = async (event: { body?: string }) => ({ statusCode: 202, body: event.body ?? '' });\n",
      }),
    );
    expect(model.endpoints.map((e) => `${e.method} ${e.path} ${e.component} ${e.details?.framework}`).sort()).toEqual([
      'ANY /hooks/* component:packages/hooks SST',
      'GET /api/v1/campaigns component:packages/api hono',
      'GET /api/v1/health component:packages/api hono',
      'POST /api/v1/campaigns/:id/send component:packages/api hono',
    ]);
  });
});
