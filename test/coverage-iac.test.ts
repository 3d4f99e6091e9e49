import { afterEach, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from './helpers.js';

afterEach(removeTemps);

describe('coverage: infrastructure written in TypeScript', () => {
  it('CDK for Terraform is present and read (analyzers/cdktf); its DynamoDB, used through the AWS SDK v2, is found', async () => {
    const root = tempRepo('cdktf-posts', {
      'package.json': JSON.stringify({ name: 'posts-infra', dependencies: { cdktf: '^0.21.0', '@cdktf/provider-aws': '^19.0.0', constructs: '^10.0.0' } }),
      'cdktf.json': JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts' }),
      'main.ts':
        "import { App, TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\nclass Posts extends TerraformStack {\n  constructor(scope: App, id: string) {\n    super(scope, id);\n    new DynamodbTable(this, 'table', { name: 'posts', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });\n  }\n}\nnew Posts(new App(), 'posts');\n",
      'api/package.json': JSON.stringify({ name: 'posts-api', dependencies: { 'aws-sdk': '^2.1500.0' } }),
      'api/posts.ts':
        "import { DynamoDB } from 'aws-sdk';\nconst db = new DynamoDB.DocumentClient();\nexport const handler = async () => db.scan({ TableName: process.env.TABLE_NAME! }).promise();\n",
    });
    const m = await analyseRepo(root);
    const cdktf = m.coverage!.technologies.find((t) => t.name === 'CDK for Terraform')!;
    expect(cdktf).toMatchObject({ status: 'read', category: 'infrastructure' });
    expect(m.infrastructure.find((i) => i.source === 'cdktf' && i.type === 'aws_dynamodb_table')?.name).toBe('table');
    expect(m.dataStores.map((s) => s.id)).toContain('datastore:dynamodb');
  });
});
