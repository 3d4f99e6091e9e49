/**
 * Lambda code folders named by CDK code are components of their own (functions), and the CDK app
 * that deploys them is infrastructure; a container image asset is no Lambda.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);
const stack = (body: string) =>
  `import { Stack } from 'aws-cdk-lib';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\nimport { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nimport * as ecs from 'aws-cdk-lib/aws-ecs';\nimport * as path from 'path';\n\nexport class ClaimsStack extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n${body}\n  }\n}\n`;

describe('CDK Lambda code folders', () => {
  it('entries and Code.fromAsset name function components; the app is infrastructure; an image asset is not a Lambda', async () => {
    const model = await analyseRepo(
      tempRepo('cdk-lambdas', {
        'package.json': json({
          name: 'claims',
          version: '1.0.0',
          bin: { claims: 'bin/claims.js' },
          dependencies: { 'aws-cdk-lib': '^2.150.0', constructs: '^10.0.0' },
        }),
        'cdk.json': json({ app: 'npx ts-node bin/claims.ts' }),
        'bin/claims.ts':
          "import { App } from 'aws-cdk-lib';\nimport { ClaimsStack } from '../lib/services/claims/infra/claims-stack';\nnew ClaimsStack(new App(), 'Claims');\n",
        'lib/services/claims/infra/claims-stack.ts': stack(
          "    new NodejsFunction(this, 'Fnol', { entry: `${__dirname}/../app/handlers/fnol.js` });\n    new NodejsFunction(this, 'Process', { entry: path.join(__dirname, '..', 'app', 'handlers', 'process.js') });\n    new lambda.Function(this, 'Cleanup', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('lib/cleanup/app') });\n    new ecs.ContainerDefinition(this, 'Settle', { image: ecs.ContainerImage.fromAsset('lib/services/settlement/app') } as any);",
        ),
        'lib/services/claims/app/handlers/fnol.js': 'exports.handler = async () => ({ statusCode: 200 });\n',
        'lib/services/claims/app/handlers/process.js': 'exports.handler = async () => ({});\n',
        'lib/cleanup/app/index.js': 'exports.handler = async () => ({});\n',
        'lib/services/settlement/app/server.js': "require('http').createServer(() => {}).listen(8080);\n",
      }),
    );
    const kinds = Object.fromEntries(model.components.map((c) => [c.path, c.kind]));
    expect(kinds).toMatchObject({ '.': 'infrastructure', 'lib/services/claims/app': 'function', 'lib/cleanup/app': 'function' });
    expect(kinds['lib/services/settlement/app']).toBeUndefined();
    expect(model.components.find((c) => c.path === 'lib/services/claims/app')!.evidence).toContainEqual({
      file: 'lib/services/claims/infra/claims-stack.ts',
      line: 10,
    });
  });
});
