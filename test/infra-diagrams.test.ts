/** Network and CI/CD pipeline diagrams: built from the real fixtures, parsed by Mermaid itself. */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import type { Model } from '../src/model/schema.js';
import { analyseFixture } from './helpers.js';
import { mermaidError } from './mermaid-parse.js';

const opts = { maxNodes: 40, maxEdges: 80 };
let aws: Model;
let k8s: Model;
beforeAll(async () => {
  [aws, k8s] = await Promise.all([analyseFixture('aws-ecs-platform'), analyseFixture('k8s-helm-platform')]);
}, 90_000);

describe('network diagram', () => {
  it('places resources in edge, public and private subnets and follows references', async () => {
    const d = buildDiagram('network', aws, undefined, opts)!;
    expect(await mermaidError(d.code)).toBeUndefined();
    const code = d.code;
    const block = (title: string) => code.slice(code.indexOf(`["${title}"]`), code.indexOf('end', code.indexOf(`["${title}"]`)));
    expect(block('Public subnets')).toContain('api · load balancer');
    expect(block('Private subnets')).toContain('api · ECS service');
    expect(block('Private subnets')).toContain('orders · RDS');
    expect(block('Edge')).toContain('web · CloudFront');
    expect(code).toMatch(/internet --> infra_terraform_aws_cloudfront_d_\w+/);
    expect(code).toMatch(/infra_terraform_aws_lb_api_\w+ --> infra_terraform_aws_ecs_service__\w+/);
  });

  it('is absent without Terraform and respects the node budget', async () => {
    expect(buildDiagram('network', k8s, undefined, opts)).toBeUndefined();
    const small = buildDiagram('network', aws, undefined, { maxNodes: 4, maxEdges: 80 })!;
    expect(small.notes).toContainEqual(expect.stringMatching(/^\d+ of \d+ resources are not drawn/));
    expect(await mermaidError(small.code)).toBeUndefined();
  });

  it('survives hostile resource names', async () => {
    const hostile: Model = {
      ...aws,
      infrastructure: [
        {
          id: 'infra:a"b',
          name: 'aws_lb.x"];end;click',
          type: 'aws_lb',
          role: 'edge',
          source: 'terraform',
          details: { primary: true, subnet: 'public', connectsTo: ['infra:c|d'] },
          evidence: [],
        },
        {
          id: 'infra:c|d',
          name: 'aws_ecs_service.<script>',
          type: 'aws_ecs_service',
          role: 'compute',
          source: 'terraform',
          details: { primary: true },
          evidence: [],
        },
      ],
    };
    const d = buildDiagram('network', hostile, undefined, opts)!;
    expect(await mermaidError(d.code)).toBeUndefined();
  });
});

describe('pipeline diagram', () => {
  it('draws jobs and needs, environments and manual gates', async () => {
    const d = buildDiagram('pipeline', k8s, undefined, opts)!;
    expect(await mermaidError(d.code)).toBeUndefined();
    expect(d.code).toContain('"deploy-production → production (manual)"');
    expect(d.code.split('\n').filter((l) => l.includes('-->'))).toHaveLength(5);
    const multi = buildDiagram('pipeline', aws, undefined, opts)!;
    expect(await mermaidError(multi.code)).toBeUndefined();
    expect(multi.code).toContain('"Build and deploy (github-actions)"');
  });
});

describe('network diagram with several Terraform roots', () => {
  it('draws the largest root and folds the others into parts', async () => {
    const d = buildDiagram('network', aws, undefined, opts)!;
    // aws-ecs-platform: infra/terraform (largest), infra/legacy (one bucket) and a Serverless Framework service (one queue).
    expect(d.notes[0]).toBe('Drawn from Terraform root infra/terraform; 2 other sources of infrastructure code with architectural resources are drawn below.');
    expect(d.parts?.map((p) => p.title)).toEqual(['Terraform root infra/legacy', 'Serverless Framework orders-notifier']);
    expect(await mermaidError(d.parts![0]!.diagram.code)).toBeUndefined();
    expect(d.code).not.toContain('legacy_logs');
  });
});
