/**
 * Kinds and components from how a package is made: a package of configuration only is no
 * component; a Pulumi program is infrastructure; a wrangler configuration without `main` is a
 * Worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('package kinds', () => {
  it('a config-only package is no component (and no dependency); a Pulumi program is infrastructure', async () => {
    const model = await analyseRepo(
      tempRepo('package-kinds', {
        'package.json': json({ name: 'mail', private: true, workspaces: ['apps/*', 'packages/*', 'infra'] }),
        'apps/api/package.json': json({
          name: '@mail/api',
          version: '1.0.0',
          dependencies: { express: '^4.19.2' },
          devDependencies: { '@mail/tsconfig': '*' },
        }),
        'apps/api/src/server.ts':
          "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
        'packages/tsconfig/package.json': json({ name: '@mail/tsconfig', version: '0.0.0', exports: { './base': './base.json' } }),
        'packages/tsconfig/base.json': json({ compilerOptions: { strict: true } }),
        'infra/package.json': json({
          name: '@mail/infra',
          version: '1.0.0',
          main: 'index.ts',
          dependencies: { '@pulumi/pulumi': '^3.100.0', '@pulumi/aws': '^6.0.0' },
        }),
        'infra/index.ts': "import * as aws from '@pulumi/aws';\nexport const bucket = new aws.s3.Bucket('attachments');\n",
      }),
    );
    const kinds = Object.fromEntries(model.components.map((c) => [c.path, c.kind]));
    expect(kinds).toEqual({ 'apps/api': 'service', infra: 'infrastructure' });
    expect(model.components.find((c) => c.path === 'apps/api')!.dependsOn).toEqual([]);
    expect(model.components.find((c) => c.path === 'infra')!.kindReason).toBe('defines infrastructure (Pulumi program)');
  });

  it('a wrangler configuration without main is still a Worker', async () => {
    const model = await analyseRepo(
      tempRepo('wrangler-no-main', {
        'package.json': json({ name: 'faucet', version: '1.0.0', dependencies: { hono: '^4.0.0' }, devDependencies: { wrangler: '^3.0.0' } }),
        'wrangler.toml': 'name = "faucet"\ncompatibility_date = "2024-01-01"\n',
        'src/index.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/', (c) => c.text('ok'));\nexport default app;\n",
      }),
    );
    expect(model.components.map((c) => [c.path, c.kind, c.kindReason])).toEqual([['.', 'function', 'a Cloudflare Worker (wrangler configuration)']]);
  });
});
