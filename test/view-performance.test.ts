import { describe, expect, it } from 'vitest';
import { capacityRows } from '../src/render/view-performance.js';
import { emptyModel } from '../src/model/empty.js';
import type { Infrastructure } from '../src/model/schema.js';

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
