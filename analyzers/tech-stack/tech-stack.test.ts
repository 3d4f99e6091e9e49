import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

describe('tech-stack: manifests, lockfile versions and tell-tale files', () => {
  let model: Model;
  beforeAll(async () => {
    const manifest = {
      name: 'orders',
      version: '1.0.0',
      dependencies: { express: '^4.19.0', pg: '^8.11.0', 'left-pad': '1.3.0' },
      devDependencies: { typescript: '~5.6.0' },
    };
    const lock = {
      name: 'orders',
      lockfileVersion: 3,
      packages: {
        '': { name: 'orders' },
        'node_modules/express': { version: '4.21.2' },
        'node_modules/typescript': { version: '5.6.3' },
        'node_modules/some-tool/node_modules/express': { version: '3.0.0' },
      },
    };
    const root = tempRepo('tech-stack', {
      'package.json': JSON.stringify(manifest, null, 2) + '\n',
      'package-lock.json': JSON.stringify(lock, null, 2),
      '.nvmrc': '20.19.0\n',
      'tsconfig.json': '{}\n',
      'src/index.ts': 'export const x = 1;\n',
      'src/db.ts': 'export const y = 2;\n',
      Dockerfile: 'FROM node:20-alpine\n',
      'infra/main.tf': 'terraform {}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
    });
    model = await analyseRepo(root);
  }, 60_000);
  afterAll(removeTemps);

  const tech = (id: string) => model.techStack.find((t) => t.id === id);

  it('takes the installed version from the hoisted lockfile entry, else the declared range', () => {
    expect(tech('tech:express')).toMatchObject({ version: '4.21.2', usedBy: ['component:.'], evidence: [{ file: 'package.json', line: 5 }] });
    expect(tech('tech:node-postgres')?.version).toBe('^8.11.0');
    expect(tech('tech:typescript')?.version).toBe('5.6.3');
  });

  it('lists only packages it knows, never an arbitrary dependency', () => {
    expect(model.techStack.some((t) => t.name === 'left-pad')).toBe(false);
  });

  it('pins the runtime from .nvmrc, and joins the language’s evidence to the package’s', () => {
    expect(tech('tech:node.js')).toMatchObject({ version: '20.19.0', evidence: [{ file: '.nvmrc', line: 1 }] });
    expect(tech('tech:typescript')?.evidence).toEqual([
      { file: 'package.json', line: 10 },
      { file: 'tsconfig.json', line: 1 },
    ]);
    expect(tech('tech:javascript')).toBeUndefined();
  });

  it('recognises the package manager and tell-tale files', () => {
    expect(tech('tech:npm')?.evidence).toEqual([{ file: 'package-lock.json', line: 0 }]);
    expect(tech('tech:docker')?.evidence).toEqual([{ file: 'Dockerfile', line: 0 }]);
    expect(tech('tech:terraform')?.evidence).toEqual([{ file: 'infra/main.tf', line: 0 }]);
    expect(tech('tech:github-actions')?.evidence).toEqual([{ file: '.github/workflows/ci.yml', line: 0 }]);
  });
});
