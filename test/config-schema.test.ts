/**
 * The configuration's JSON Schema, for editors (issue #23, part 4): generated from the zod schema
 * archdoc validates with, shipped in the package, and accepted as `$schema` in a JSON config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { UserConfigSchema } from '../src/config/schema.js';
import { REPO_ROOT, removeTemps, runCli, tinyApiRepo } from './helpers.js';

afterEach(removeTemps);

describe('configuration schema', () => {
  it('publishes its JSON Schema (schema/config.schema.json is generated from the zod schema)', async () => {
    const schema = { $id: 'https://archdoc.dev/schema/config.json', ...z.toJSONSchema(UserConfigSchema, { unrepresentable: 'any' }) };
    await expect(JSON.stringify(schema, null, 2) + '\n').toMatchFileSnapshot(path.join(REPO_ROOT, 'schema', 'config.schema.json'));
  });

  it('ships in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('schema');
  });

  it('a JSON config that names the schema is accepted', async () => {
    const repo = tinyApiRepo({
      'archdoc.config.json': JSON.stringify({ $schema: './node_modules/archdoc/schema/config.schema.json', depth: 'quick' }),
    });
    const r = await runCli(['--out', '-'], repo);
    expect(r.stderr).not.toMatch(/\$schema/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Depth: quick/);
  });
});
