/** Network and CI/CD pipeline diagrams: built from the real fixtures, parsed by Mermaid itself. */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiagram } from '../src/diagrams/index.js';
import { unconnectedResources } from '../src/diagrams/network.js';
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
    expect(small.notes).toContainEqual(expect.stringMatching(/^Over the 4-node budget, resources of one kind in one group are drawn as one box/));
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
  it('draws only the roots with connections and lists the others in one table', async () => {
    const d = buildDiagram('network', aws, undefined, opts)!;
    // aws-ecs-platform: infra/terraform (connected), infra/legacy (one bucket) and a Serverless Framework service (one queue).
    expect(d.notes.join(' ')).not.toContain('drawn below');
    expect(d.parts).toBeUndefined();
    expect(d.code).not.toContain('legacy_logs');
    expect(unconnectedResources(aws).map((r) => [r.root, r.resource, r.group, r.kind])).toEqual([
      ['Serverless Framework orders-notifier', 'ConfirmationQueue', 'Messaging', 'SQS'],
      ['infra/legacy', 'legacy_logs', 'Data', 'S3 bucket'],
    ]);
    // A root with connections is not listed.
    expect(unconnectedResources(aws).some((r) => r.root === 'infra/terraform')).toBe(false);
  });

  it('is absent when no root has a connection', () => {
    const loose: Model = {
      ...aws,
      infrastructure: ['a', 'b'].map((r) => ({
        id: `infra:${r}/aws_s3_bucket.x`,
        name: 'aws_s3_bucket.x',
        type: 'aws_s3_bucket',
        role: 'data' as const,
        source: 'terraform',
        details: { primary: true, root: r },
        evidence: [{ file: `${r}/main.tf`, line: 1 }],
      })),
    };
    expect(buildDiagram('network', loose, undefined, opts)).toBeUndefined();
    expect(unconnectedResources(loose).map((r) => r.root)).toEqual(['a', 'b']);
  });
});

describe('network diagram past the node budget', () => {
  it('groups resources of one kind into one box with their count and says so', async () => {
    const res = (name: string, type: string, role: Model['infrastructure'][number]['role'], connectsTo: string[] = []) => ({
      id: `infra:${name}`,
      name: `${type}.${name}`,
      type,
      role,
      source: 'terraform',
      details: { primary: true, root: '.', connectsTo },
      evidence: [{ file: 'main.tf', line: 1 }],
    });
    const roles = Array.from({ length: 12 }, (_, i) => res(`role${i}`, 'aws_iam_role', 'identity'));
    const releases = Array.from({ length: 6 }, (_, i) => res(`rel${i}`, 'helm_release', 'compute', ['infra:db']));
    const model: Model = {
      ...aws,
      infrastructure: [res('api', 'aws_lb', 'edge', ['infra:rel0', 'infra:rel1']), res('db', 'aws_db_instance', 'data'), ...roles, ...releases],
    };
    const d = buildDiagram('network', model, undefined, { maxNodes: 10, maxEdges: 80 })!;
    expect(await mermaidError(d.code)).toBeUndefined();
    expect(d.code).toContain('"12 × aws_iam_role"');
    // Folding the roles is enough: the releases stay one box each, and every resource is in a box.
    expect(d.code).not.toContain('× helm_release');
    expect(d.code).toContain('"rel5 · helm_release"');
    expect(d.notes[0]).toBe(
      'Over the 10-node budget, resources of one kind in one group are drawn as one box with their count (12 × aws_iam_role); the infrastructure inventory lists every one.',
    );
    expect(d.notes.join(' ')).not.toContain('not drawn');
    const tight = buildDiagram('network', model, undefined, { maxNodes: 4, maxEdges: 80 })!;
    expect(await mermaidError(tight.code)).toBeUndefined();
    expect(tight.code).toContain('"6 × helm_release"');
    // Edges between folded boxes are drawn once.
    expect(tight.code.split('\n').filter((l) => l.includes('-->'))).toEqual([
      expect.stringMatching(/^ {2}internet --> api_\w+$/),
      expect.stringMatching(/^ {2}api_\w+ --> kind_Compute_helm_release_\w+$/),
      expect.stringMatching(/^ {2}kind_Compute_helm_release_\w+ --> db_\w+$/),
    ]);
  });
});
