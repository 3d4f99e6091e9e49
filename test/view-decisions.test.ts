import { describe, expect, it } from 'vitest';
import { decisionWords, decisionsView } from '../src/render/view-decisions.js';
import { emptyModel } from '../src/model/empty.js';
import type { Decision, DecisionBasis } from '../src/model/schema.js';

const ev = [{ file: 'a.ts', line: 1 }];
const decision = (topic: string, basis: DecisionBasis | undefined, value = 'x'): Decision => ({
  id: `decision:${topic}`,
  name: topic,
  topic,
  decision: value,
  evidence: ev,
  ...(basis ? { basis } : {}),
});

describe('key design decisions: the sentences built from the rule that fired', () => {
  it('an undetermined architecture style names the components and their kinds', () => {
    const w = decisionWords({
      rule: 'architecture-style',
      outcome: 'undetermined',
      servers: [],
      functions: 0,
      channels: 0,
      components: 2,
      componentKinds: ['cli', 'library'],
    });
    expect(w.context).toBe(
      'No deployable unit was found: 2 components (cli and library), and no workload, function or compose service built from the repository runs them.',
    );
    expect(w.counts).toEqual(['0 long-running deployable units', '0 functions', '0 message channels with a producer or consumer in the code']);
  });

  it('microservices: more than eight units are cut with an ellipsis; a modular monolith says its modules', () => {
    const servers = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const w = decisionWords({
      rule: 'architecture-style',
      outcome: 'services',
      servers,
      functions: 1,
      channels: 3,
      components: 9,
      componentKinds: ['service'],
    });
    expect(w.context).toBe('9 independently deployable units and 1 function.');
    expect(w.counts[0]).toBe('9 long-running deployable units (a, b, c, d, e, f, g, h, …)');
    const m = decisionWords({
      rule: 'architecture-style',
      outcome: 'modular-monolith',
      servers: ['api'],
      functions: 0,
      channels: 0,
      modules: ['src/modules/a', 'src/modules/b'],
      components: 1,
      componentKinds: ['service'],
    });
    expect(m.context).toBe('One deployable unit (api) holding 2 modules, each with its own layers.');
    expect(m.counts).toContain('2 modules with their own layers: src/modules/a and src/modules/b');
  });

  it('split evidence: a platform split and a database tie each name every side', () => {
    const split = decisionWords({
      rule: 'deployment-platform',
      outcome: 'split',
      platforms: [
        { name: 'Kubernetes', count: 2 },
        { name: 'Render', count: 2 },
        { name: 'Fly.io', count: 1 },
      ],
      ci: [],
      images: 0,
    });
    expect(split.context).toBe(
      'The deployment is split: Kubernetes and Render each run 2 deployable units of the repository; nothing says which is the production platform.',
    );
    expect(split.counts).toEqual(['Kubernetes: 2 deployable units', 'Render: 2 deployable units', 'Fly.io: 1 deployable unit']);
    const tie = decisionWords({
      rule: 'primary-database',
      outcome: 'tie',
      stores: [
        { name: 'MySQL', count: 3 },
        { name: 'MongoDB', count: 3 },
        { name: 'SQLite', count: 1 },
      ],
      notCounted: [
        { name: 'Redis (cache)', kind: 'key-value', cache: true },
        { name: 'MinIO', kind: 'object', cache: false },
      ],
      attributed: 7,
      entities: 8,
    });
    expect(tie.context).toBe('Tie: MySQL and MongoDB each hold 3 entities; both are named.');
    expect(tie.counts).toEqual([
      'MySQL: 3 entities',
      'MongoDB: 3 entities',
      'SQLite: 1 entity',
      'not counted: Redis (cache or queue backend) and MinIO (object store)',
    ]);
    const ci = decisionWords({
      rule: 'deployment-platform',
      outcome: 'ci-tie',
      platforms: [],
      ci: [
        { name: 'Heroku', jobs: 1, commands: ['heroku container:push'] },
        { name: 'Fly.io', jobs: 1, commands: ['fly deploy'] },
      ],
      images: 0,
    });
    expect(ci.context).toBe(
      'No deployment manifest names a platform, and the CI deploys to Heroku and Fly.io with as many jobs each; nothing says which is the production platform.',
    );
  });

  it('messaging: imported technologies and a deployed broker are said with their places', () => {
    const b: DecisionBasis = {
      rule: 'messaging',
      outcome: 'channels',
      channels: [{ name: 'BullMQ', count: 2 }],
      ownJobs: [],
      declaredOnly: [{ name: 'Amazon SQS', count: 1 }],
      imported: [{ name: 'Temporal', channelsRead: false, evidence: { file: 'src/w.ts', line: 3 } }],
    };
    const w = decisionWords(b);
    expect(w.context).toBe(
      "2 message channels with a producer or consumer in the repository's code, across BullMQ; Temporal is also imported, with no channel read.",
    );
    expect(w.counts).toEqual([
      'BullMQ: 2 channels',
      'declared only, no producer or consumer in the code: Amazon SQS: 1 channel',
      'Temporal: imported by production code (src/w.ts:3), but archdoc does not read its workflows or task queues',
    ]);
    const broker = decisionWords({
      rule: 'messaging',
      outcome: 'broker',
      channels: [],
      ownJobs: [],
      declaredOnly: [],
      imported: [],
      broker: { name: 'RabbitMQ', languages: ['Go', 'Python'], evidence: { file: 'docker-compose.yml', line: 4 } },
    });
    expect(broker.context).toBe(
      'The deployment runs a RabbitMQ broker, and no TypeScript or JavaScript code uses a channel of it; the services in Go and Python that may use it are not read.',
    );
    expect(broker.counts).toEqual(['RabbitMQ: broker image deployed (docker-compose.yml:4); code in Go and Python not read']);
  });

  it('an internal pattern says its folders and imports; a decision without a basis says nothing', () => {
    const w = decisionWords({
      rule: 'internal-pattern',
      folders: [
        { name: 'controllers', count: 2 },
        { name: 'models', count: 1 },
      ],
      imports: 1,
      breaches: 0,
    });
    expect(w).toEqual({ context: 'Folders: controllers/ (2 files), models/ (1 file); 1 import between layers, 0 against the pattern.', counts: [] });
    expect(decisionWords(undefined)).toEqual({ context: '', counts: [] });
  });

  it('the section view splits headlines from internal patterns, each with its words', () => {
    const model = emptyModel({
      decisions: [
        decision('internal-pattern', { rule: 'internal-pattern', folders: [], imports: 0, breaches: 0 }),
        decision('iac-tool', { rule: 'iac-tool', tools: ['Terraform', 'Helm'] }, 'Terraform and Helm'),
      ],
    });
    const v = decisionsView(model);
    expect(v.patterns.map((d) => d.topic)).toEqual(['internal-pattern']);
    expect(v.detected).toEqual([{ ...model.decisions[1], context: 'Infrastructure definitions in the repository: Terraform and Helm.', counts: [] }]);
  });
});
