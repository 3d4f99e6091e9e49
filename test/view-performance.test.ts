import { describe, expect, it } from 'vitest';
import { capacityRows, scalingView } from '../src/render/view-performance.js';
import { emptyModel } from '../src/model/empty.js';
import type { Infrastructure, ScalingFact, Workload } from '../src/model/schema.js';

const ev = [{ file: 'main.tf', line: 1 }];
const infra = (name: string, type: string, details: Infrastructure['details'], role: Infrastructure['role'] = 'compute'): Infrastructure => ({
  id: `infra:${name}`,
  name,
  type,
  role,
  provider: 'aws',
  source: 'terraform',
  details,
  evidence: ev,
});

describe('capacity rows (Performance and scalability)', () => {
  it('sizes a resource by the fields its extractor recorded, not by its type', () => {
    const model = emptyModel({
      infrastructure: [
        infra('aws_ecs_task_definition.api', 'aws_ecs_task_definition', { cpu: '512', memory: '1024', networkMode: 'awsvpc' }),
        // Any resource type with a container task's share is sized the same way.
        infra('task', 'AWS::ECS::TaskDefinition', { cpu: '256', memory: '512' }),
        infra('aws_lambda_function.worker', 'aws_lambda_function', { memoryMb: 256, runtime: 'nodejs20.x' }),
        infra('aws_db_instance.main', 'aws_db_instance', { instanceClass: 'db.t3.medium', tier: 'standard' }, 'data'),
        infra('aws_elasticache_cluster.c', 'aws_elasticache_cluster', { nodeType: 'cache.t3.micro', nodes: 2, tier: 'cache' }, 'compute'),
        infra('aws_eks_node_group.n', 'aws_eks_node_group', { instanceTypes: ['m5.large', 'm5.xlarge'] }),
        infra('aws_vpc.main', 'aws_vpc', { cidr: '10.0.0.0/16' }, 'network'),
        infra('aws_ecs_task_definition.bare', 'aws_ecs_task_definition', { memory: '512' }),
        infra('aws_lambda_function.default', 'aws_lambda_function', { runtime: 'nodejs20.x' }),
      ],
    });
    expect(capacityRows(model).map((r) => [r.name, r.size])).toEqual([
      ['aws_ecs_task_definition.api', '512 CPU units, 1024 MiB'],
      ['task', '256 CPU units, 512 MiB'],
      ['aws_lambda_function.worker', '256 MB memory'],
      // A tier is a size only for a data resource.
      ['aws_db_instance.main', 'db.t3.medium; standard'],
      ['aws_elasticache_cluster.c', 'cache.t3.micro; 2 nodes'],
      ['aws_eks_node_group.n', 'm5.large, m5.xlarge'],
    ]);
  });

  it('a task with CPU units but no memory says only the CPU units', () => {
    const model = emptyModel({ infrastructure: [infra('t', 'aws_ecs_task_definition', { cpu: '1024' })] });
    expect(capacityRows(model)).toEqual([{ name: 't', type: 'aws_ecs_task_definition', size: '1024 CPU units', evidence: ev }]);
  });

  it('the template tests no resource type', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../templates/sections/performance-scalability.njk', import.meta.url), 'utf8');
    expect(text).not.toMatch(/aws_|i\.type ==/);
  });
});

describe('scaling view (one row per deployable unit)', () => {
  const at = (file: string, line: number) => [{ file, line }];
  const workload = (id: string, name: string, kind: string, details: Workload['details'], evidence = at('w.yaml', 1)): Workload => ({
    id,
    name,
    kind,
    details,
    evidence,
  });
  const scaling = (id: string, category: ScalingFact['category'], details: ScalingFact['details'], evidence = at('s.yaml', 2)): ScalingFact => ({
    id,
    name: id,
    category,
    details,
    evidence,
  });

  it('joins an HPA, the replica count and container requests and limits to the Deployment they scale', () => {
    const model = emptyModel({
      deployment: {
        environments: [],
        pipelines: [],
        workloads: [workload('workload:kubernetes:Deployment/api', 'api', 'Deployment', { source: 'kubernetes', replicas: 2 })],
        containers: [
          {
            id: 'container:kubernetes:Deployment/api/api',
            name: 'api/api',
            ports: [],
            details: { source: 'kubernetes', workload: 'Deployment/api', cpuRequest: ['250m'], memoryRequest: ['256Mi'], memoryLimit: ['1Gi', '512Mi'] },
            evidence: at('k8s/api.yaml', 20),
          },
        ],
      },
      scaling: [
        scaling('scaling:kubernetes:Deployment/api', 'autoscaling', {
          workload: 'workload:kubernetes:Deployment/api',
          min: 2,
          max: 12,
          desired: 2,
          overrides: ['production: 4 replicas'],
          policies: [{ by: 'resource', resource: 'cpu', utilisation: 70 }],
        }),
      ],
    });
    const v = scalingView(model);
    expect(v.silent).toEqual([]);
    expect(v.other).toEqual([]);
    const [row] = v.units;
    expect(row).toMatchObject({
      unit: 'api (Deployment)',
      how: 'autoscaling',
      min: { text: '2' },
      max: { text: '12' },
      desired: { text: '2 (production: 4 replicas)' },
      metric: { text: 'CPU utilisation 70%' },
      cpu: { text: 'request 250m, limit not stated', evidence: at('k8s/api.yaml', 20) },
      memory: { text: 'request 256Mi, limit 1Gi or 512Mi (the files that merge into it differ)' },
    });
    expect(row!.evidence).toEqual(at('s.yaml', 2));
    // One Evidence column for the row: the scaling fact's and the container's places, each once.
    expect(row!.allEvidence).toEqual([...at('k8s/api.yaml', 20), ...at('s.yaml', 2)]);
  });

  it('an ECS service takes its size from the task definition it runs, a function its memory from its definition', () => {
    const model = emptyModel({
      infrastructure: [infra('aws_ecs_task_definition.api', 'aws_ecs_task_definition', { cpu: 512, memory: 1024 })],
      deployment: {
        environments: [],
        pipelines: [],
        containers: [],
        workloads: [
          workload('workload:ecs:api', 'orders-api', 'ECS service', { source: 'terraform', replicas: 2, sizedBy: 'infra:aws_ecs_task_definition.api' }),
          workload('workload:lambda:f', 'f', 'Lambda function', { source: 'serverless', memoryMb: '256', handlerFile: 'src/f.ts' }, [
            ...at('serverless.yml', 14),
            ...at('src/f.ts', 3),
          ]),
        ],
      },
      scaling: [scaling('scaling:lambda:f', 'concurrency', { workload: 'workload:lambda:f', max: '20', policies: [{ by: 'lambda-concurrency' }] })],
    });
    const rows = scalingView(model).units;
    expect(rows.map((r) => [r.unit, r.how, r.min.text, r.max.text, r.desired.text, r.metric.text, r.cpu.text, r.memory.text])).toEqual([
      ['f (Lambda function)', 'concurrency limits', 'not stated', '20 (reserved concurrency)', 'not stated', 'not stated', 'in proportion to memory', '256 MB'],
      ['orders-api (ECS service)', 'fixed replicas', 'not stated', 'not stated', '2', 'none (fixed replicas)', '512 CPU units (task)', '1024 MiB (task)'],
    ]);
    // The memory cites the function's definition, not its handler's code.
    expect(rows[0]!.memory.evidence).toEqual(at('serverless.yml', 14));
    expect(rows[1]!.cpu.evidence).toEqual(ev);
  });

  it('compose deploy.resources read as reservations and limits; a unit that states nothing is named, not given a row', () => {
    const model = emptyModel({
      deployment: {
        environments: [],
        pipelines: [],
        containers: [],
        workloads: [
          workload('workload:compose:api', 'api', 'compose service', {
            source: 'compose',
            replicas: 3,
            cpuLimit: ['0.5'],
            memoryRequest: ['128M'],
            memoryLimit: ['256M'],
          }),
          workload('workload:compose:db', 'db', 'compose service', { source: 'compose' }),
        ],
      },
    });
    const v = scalingView(model);
    expect(v.units.map((r) => [r.unit, r.desired.text, r.cpu.text, r.memory.text])).toEqual([
      ['api (compose service)', '3', 'limit 0.5', 'reservation 128M, limit 256M'],
    ]);
    expect(v.silent).toEqual(['db (compose service)']);
  });

  it('an autoscaler with no replica count leaves the count to the autoscaler; a fact naming no workload of the model is listed apart', () => {
    const model = emptyModel({
      deployment: {
        environments: [],
        pipelines: [],
        containers: [],
        workloads: [workload('workload:kubernetes:Deployment/web', 'web', 'Deployment', { source: 'kubernetes' })],
      },
      scaling: [
        scaling('scaling:kubernetes:Deployment/web', 'autoscaling', {
          workload: 'workload:kubernetes:Deployment/web',
          min: 1,
          max: 4,
          condition: '.Values.hpa',
        }),
        scaling('scaling:kubernetes:Deployment/elsewhere', 'autoscaling', { workload: 'workload:kubernetes:Deployment/elsewhere', min: 1 }),
        scaling('scaling:aws_rds_cluster.main', 'autoscaling', { min: 0.5, max: 4, metric: 'ACU' }),
      ],
    });
    const v = scalingView(model);
    expect(v.units.map((r) => [r.desired.text, r.metric.text])).toEqual([['set by the autoscaler', 'not stated (only when .Values.hpa)']]);
    expect(v.other.map((o) => [o.fact.id, o.how])).toEqual([
      ['scaling:kubernetes:Deployment/elsewhere', 'autoscaling'],
      ['scaling:aws_rds_cluster.main', 'autoscaling'],
    ]);
  });
});
