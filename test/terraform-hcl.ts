/**
 * For the terraform rule tests (analyzers/terraform/resources/*.test.ts): analyse one HCL file,
 * placed at `infra/<name>.tf` of a temporary repository, before the tests of a file, and look its
 * facts up by resource address.
 */
import { afterAll, beforeAll } from 'vitest';
import { ModelSchema, type Model } from '../src/model/schema.js';
import { analyseRepo, removeTemps, tempRepo } from './helpers.js';

export interface HclRun {
  /** The model (read it inside a test: it is made in `beforeAll`). */
  readonly m: Model;
  /** The infrastructure fact of a resource (`aws_vpc.main`). */
  infra(address: string): Model['infrastructure'][number] | undefined;
  /** The security finding of one rule about a resource. */
  finding(rule: string, address: string): Model['security'][number] | undefined;
  /** The recovery categories of a resource, sorted. */
  recovery(address: string): string[];
  /** The scaling fact of a resource. */
  scaling(address: string): Model['scaling'][number] | undefined;
  /** 1-based line of the first line holding `text`, after the first line holding `after` when given. */
  lineOf(text: string, after?: string): number;
}

/** Analyse `hcl` once before the tests of the calling file, and remove the repository after them. */
export function hclRun(name: string, hcl: string): HclRun {
  let model: Model | undefined;
  beforeAll(async () => {
    model = await analyseRepo(tempRepo(`tf-${name}`, { [`infra/${name}.tf`]: hcl }));
    // Every key a rule writes is one the model's typed details declare.
    ModelSchema.parse(model);
  }, 60_000);
  afterAll(removeTemps);
  const m = (): Model => {
    if (!model) throw new Error('the HCL is analysed in beforeAll: read the model inside a test');
    return model;
  };
  const lines = hcl.split('\n');
  return {
    get m() {
      return m();
    },
    infra: (address) => m().infrastructure.find((f) => f.id === `infra:infra/${address}`),
    finding: (rule, address) => m().security.find((s) => s.id === `security:${rule}:infra/${address}`),
    recovery: (address) =>
      m()
        .recovery.filter((r) => r.id.endsWith(`:infra/${address}`))
        .map((r) => r.category)
        .sort(),
    scaling: (address) => m().scaling.find((s) => s.id === `scaling:infra/${address}`),
    lineOf: (text, after) => {
      const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
      return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
    },
  };
}
