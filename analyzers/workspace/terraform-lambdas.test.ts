/**
 * A Terraform Lambda whose handler (`module.export`, string locals substituted) names exactly one
 * production script exporting that function is a function component at that script's path; an
 * ambiguous or unresolved handler makes none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const lambda = (name: string, handler: string) =>
  `resource "aws_lambda_function" "${name}" {\n  function_name = "${name}"\n  handler       = "${handler}"\n  runtime       = "nodejs20.x"\n  role          = "arn:aws:iam::123456789012:role/lambda"\n  filename      = "dist/${name}.zip"\n}\n`;

describe('Terraform Lambda handlers', () => {
  it('links a handler through a local to its one script, and its SQS event source mapping to the component', async () => {
    const model = await analyseRepo(
      tempRepo('tf-lambdas', {
        'package.json': json({ name: 'pipeline', version: '1.0.0', devDependencies: { webpack: '^5.0.0', typescript: '^5.4.0' } }),
        'handlers/router.ts': "import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => event.Records.length;\n",
        'handlers/writer.js': 'exports.handler = async () => ({});\n',
        'handlers/shared.ts': 'export const handler = async () => 1;\n',
        'lib/shared.ts': 'export const handler = async () => 2;\n',
        'handlers/notExported.ts': '// export const handler\nconst handler = async () => 3;\nexport default handler;\n',
        'infra/main.tf':
          'variable "name" {}\n\nlocals {\n  router = "router"\n}\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n\n' +
          lambda('router', '${local.router}.handler') +
          lambda('writer', 'writer.handler') +
          lambda('shared', 'shared.handler') +
          lambda('byvar', '${var.name}.handler') +
          lambda('not_exported', 'notExported.handler') +
          'resource "aws_lambda_event_source_mapping" "orders" {\n  event_source_arn = aws_sqs_queue.orders.arn\n  function_name    = aws_lambda_function.router.arn\n}\n',
      }),
    );
    const kinds = Object.fromEntries(model.components.map((c) => [c.path, c.kind]));
    expect(kinds).toEqual({ '.': 'library', 'handlers/router.ts': 'function', 'handlers/writer.js': 'function' });
    const router = model.components.find((c) => c.path === 'handlers/router.ts')!;
    expect(router).toMatchObject({ name: 'router', language: 'TypeScript', kindReason: 'deployed as a Terraform Lambda function router' });
    expect(router.evidence).toEqual([{ file: 'infra/main.tf', line: 11 }]);
    expect(model.deployment.workloads.find((w) => w.name === 'router')).toMatchObject({ component: router.id, details: { handler: 'router.handler' } });
    expect(model.deployment.workloads.find((w) => w.name === 'byvar')?.details?.handler).toBeUndefined();
    expect(model.queues.find((q) => q.name === 'orders')?.consumers).toEqual([router.id]);
  });
});
