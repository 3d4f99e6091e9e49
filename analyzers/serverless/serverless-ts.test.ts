import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture, analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

let m: Model;
beforeAll(async () => {
  m = await analyseFixture('serverless-ts-newsletter');
}, 60_000);
afterEach(removeTemps);

describe('serverless.ts (read from its syntax tree) on serverless-ts-newsletter', () => {
  it('reads functions imported through re-exports, with handler paths from handlerPath(__dirname)', () => {
    const fn = m.deployment.workloads.find((w) => w.id === 'workload:lambda:newsletter-sendDigest');
    expect(fn).toMatchObject({ kind: 'Lambda function', component: 'component:.' });
    expect(fn?.details).toMatchObject({
      source: 'serverless',
      handler: 'src/functions/send-digest/handler.main',
      handlerFile: 'src/functions/send-digest/handler.ts',
      runtime: 'nodejs20.x',
      region: 'eu-west-1',
      memoryMb: '512',
      timeoutSeconds: '30',
      events: ['sqs DigestQueue'],
    });
    // Names of the environment, never values.
    expect(fn?.details?.environment).toEqual(['DIGEST_QUEUE_URL', 'MAIL_API_KEY', 'SUBSCRIBERS_TABLE']);
    expect(JSON.stringify(m)).not.toContain('mail-api-key');
    expect(fn?.evidence).toEqual([
      { file: 'serverless.ts', line: 28 },
      { file: 'src/functions/send-digest/handler.ts', line: 3 },
    ]);
    expect(m.deployment.workloads.filter((w) => w.kind === 'Lambda function').map((w) => w.name)).toEqual([
      'newsletter-sendDigest',
      'newsletter-subscribe',
      'newsletter-unsubscribe',
      'newsletter-weeklyDigest',
    ]);
  });

  it('turns http events into endpoints at the line of the event', () => {
    const eps = m.endpoints.map((e) => ({ id: e.id, component: e.component, evidence: e.evidence }));
    expect(eps).toEqual([
      {
        id: 'endpoint:DELETE /subscribers/:email',
        component: 'component:.',
        evidence: [
          { file: 'src/functions/unsubscribe/handler.ts', line: 4 },
          { file: 'src/functions/unsubscribe/index.ts', line: 5 },
        ],
      },
      {
        id: 'endpoint:POST /subscribers',
        component: 'component:.',
        evidence: [
          { file: 'src/functions/subscribe/handler.ts', line: 4 },
          { file: 'src/functions/subscribe/index.ts', line: 6 },
        ],
      },
    ]);
  });

  it('names a queue with a templated QueueName by its logical id, and joins the code that sends through the variable carrying it', () => {
    const q = m.queues.find((x) => x.id === 'queue:DigestQueue');
    expect(q).toMatchObject({ name: 'DigestQueue', tech: 'Amazon SQS', producers: ['component:.'], consumers: ['component:.'] });
    expect(q?.details).toMatchObject({ declaredName: '${self:service}-${sls:stage}-digest', envVars: ['DIGEST_QUEUE_URL'] });
    expect(m.queues.map((x) => x.id)).toEqual(['queue:DigestDeadLetterQueue', 'queue:DigestQueue']);
    expect(m.infrastructure.filter((i) => i.source === 'serverless').map((i) => `${i.type} ${i.name} ${i.evidence[0]!.line}`)).toEqual([
      'AWS::SQS::Queue DigestDeadLetterQueue 38',
      'AWS::SQS::Queue DigestQueue 31',
      'AWS::DynamoDB::Table SubscribersTable 42',
    ]);
  });

  it('makes the service a function component, and the style serverless', () => {
    expect(m.components.map((c) => [c.path, c.kind])).toEqual([['.', 'function']]);
    expect(m.decisions.find((d) => d.id === 'decision:architecture-style')?.decision).toBe('Serverless');
  });

  it('reads spreads, local constants, `as const` and CommonJS exports; a computed value is unknown, and a route with one is no endpoint', async () => {
    const root = tempRepo('sls-ts-', {
      'package.json': JSON.stringify({ name: 'svc', devDependencies: { serverless: '^3.0.0' } }),
      'serverless.js': [
        "const { http } = require('./unused');",
        "const base = { runtime: 'nodejs18.x' };",
        'module.exports = {',
        '  service: `billing`,',
        "  provider: { name: 'aws', ...base } as const,",
        "  functions: { ...require('./fns'), invoice: { handler: 'src/invoice.handler', events: [{ httpApi: 'GET /invoices/{id}' }, { httpApi: { method: 'post', path: `/invoices/${process.env.X}` } }] } },",
        '};',
      ].join('\n'),
      'src/invoice.js': 'exports.handler = async () => ({ statusCode: 200 });\n',
    });
    const model = await analyseRepo(root);
    const w = model.deployment.workloads.find((x) => x.id === 'workload:lambda:billing-invoice');
    expect(w?.details).toMatchObject({
      runtime: 'nodejs18.x',
      handlerFile: 'src/invoice.js',
      events: ['httpApi GET /invoices/:id', 'httpApi POST /invoices/${…}'],
    });
    expect(model.endpoints.map((e) => e.id)).toEqual(['endpoint:GET /invoices/:id']);
  });
});

describe('serverless: what the configuration says of the API’s security', () => {
  it('reads CORS, API keys, request models and ${ssm:} secrets from the http events and the provider', async () => {
    const root = tempRepo('sls-security', {
      'package.json': JSON.stringify({ name: 'notes-api', devDependencies: { serverless: '^3.0.0' } }),
      'serverless.yml': [
        'service: notes-api',
        'provider:',
        '  name: aws',
        '  runtime: nodejs20.x',
        '  apiGateway:',
        '    apiKeys:',
        '      - name: partners',
        '        value: ${ssm:/notes/partner-key}',
        '  httpApi:',
        '    cors: true',
        'custom:',
        '  siteUrl: https://notes.example.com',
        'functions:',
        '  createNote:',
        '    handler: src/create.handler',
        '    events:',
        '      - http:',
        '          method: post',
        '          path: notes',
        '          private: true',
        '          cors:',
        '            origin: ${self:custom.siteUrl}',
        '          request:',
        '            schemas:',
        '              application/json: ${file(schemas/note.json)}',
        '  listNotes:',
        '    handler: src/list.handler',
        '    events:',
        '      - http: GET notes',
        '',
      ].join('\n'),
      'src/create.ts': 'export const handler = async () => ({ statusCode: 201, body: "{}" });\n',
      'src/list.ts': 'export const handler = async () => ({ statusCode: 200, body: "[]" });\n',
      'schemas/note.json': '{ "type": "object", "required": ["text"] }\n',
    });
    const model = await analyseRepo(root);
    const rows = model.security
      .filter((s) => s.evidence.some((e) => e.file === 'serverless.yml'))
      .map((s) => `${s.category} ${s.tech} ${s.evidence.map((e) => e.line).join(',')} ${JSON.stringify(s.details ?? {})}`)
      .sort();
    // The provider's httpApi CORS is left out: the service has no httpApi route.
    expect(rows).toEqual([
      'authentication API Gateway API key 6 {"header":"x-api-key"}',
      'data SSM Parameter Store 8 {}',
      'transport API Gateway CORS 21 {"origins":["https://notes.example.com"]}',
      'validation API Gateway request models 23 {}',
    ]);
  });
});
