import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFixture } from '../../test/helpers.js';
import type { Model } from '../../src/model/schema.js';

let aws: Model;
let k8s: Model;
beforeAll(async () => {
  [aws, k8s] = await Promise.all([analyseFixture('aws-ecs-platform'), analyseFixture('k8s-helm-platform')]);
}, 90_000);

describe('ci analyzer', () => {
  it('reads GitHub Actions jobs, needs, environments, reusable workflows and deploy commands', () => {
    const p = aws.deployment.pipelines.find((x) => x.id === 'pipeline:.github/workflows/deploy.yml');
    expect(p).toMatchObject({ name: 'Build and deploy', tool: 'github-actions', triggers: ['push (main)', 'workflow_dispatch'] });
    expect(p?.jobs.map((j) => `${j.name}<-${j.needs.join('+')}${j.environment ? '@' + j.environment : ''}`)).toEqual([
      'test<-',
      'build<-test',
      'infra-plan<-test',
      'deploy-staging<-build+infra-plan@staging',
      'deploy-production<-deploy-staging@production',
    ]);
    expect(p?.jobs.find((j) => j.name === 'infra-plan')?.commands).toEqual(['uses: ./.github/workflows/terraform.yml']);
    expect(p?.jobs.find((j) => j.name === 'deploy-staging')?.commands).toEqual([
      'aws ecs update-service --cluster orders --service orders-api --force-new-deployment',
    ]);
    expect(aws.deployment.pipelines.find((x) => x.id === 'pipeline:.github/workflows/terraform.yml')?.triggers).toEqual(['workflow_call']);
  });

  it('reads GitLab CI stages as implicit needs, extends, manual gates and environments', () => {
    const p = k8s.deployment.pipelines.find((x) => x.id === 'pipeline:.gitlab-ci.yml');
    expect(p?.jobs.map((j) => `${j.name}<-${j.needs.join('+')}${j.manual ? ' (manual)' : ''}`)).toEqual([
      'build-images<-',
      'unit-tests<-build-images',
      'lint<-build-images',
      'deploy-staging<-unit-tests+lint',
      'deploy-production<-deploy-staging (manual)',
    ]);
    expect(p?.jobs.find((j) => j.name === 'deploy-production')?.commands).toContain('kubectl apply -k deploy/k8s/overlays/$DEPLOY_ENV');
    const prod = k8s.deployment.environments.find((e) => e.id === 'environment:production');
    expect(prod).toMatchObject({ protection: 'manual approval (GitLab job with when: manual)' });
    expect(prod?.details?.manualApproval).toBe(true);
    expect(k8s.security.find((s) => s.id === 'security:ci-committed-secret:.gitlab-ci.yml:variables')?.details?.variables).toEqual(['REGISTRY_PASSWORD']);
  });

  it('merges environments seen in CI, Terraform roots and Kustomize overlays', () => {
    const prod = aws.deployment.environments.find((e) => e.id === 'environment:production');
    expect(prod?.evidence).toEqual([
      { file: '.github/workflows/deploy.yml', line: 56 },
      { file: 'infra/terraform/envs/production/main.tf', line: 1 },
    ]);
  });
});

describe('deployment command detection', () => {
  it('keeps commands that deploy and leaves lines that only mention deployment', async () => {
    const { deployCommands } = await import('./index.js');
    const script = [
      'npm ci',
      './scripts/deploy.sh production',
      'make deploy-prod',
      '-f context="Deploy Staging / GKE"',
      'echo "deploying"',
      'kustomize build overlays/prod',
      'helm upgrade --install api charts/api --set db.password=hunter2',
      'gcloud run deploy api --image=$IMAGE',
    ].join('\n');
    expect(deployCommands(script)).toEqual([
      './scripts/deploy.sh production',
      'make deploy-prod',
      'helm upgrade --install api charts/api --set db.password=***',
      'gcloud run deploy api --image=$IMAGE',
    ]);
  });
});
