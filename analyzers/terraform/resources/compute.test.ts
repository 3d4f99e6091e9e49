import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const SECRET = 'sk_live_51HxQ2eZvKYlo2C8f0aBcDeFgHiJ';
const HCL = `resource "aws_lambda_function" "api" {
  function_name                  = "orders-api"
  runtime                        = "nodejs20.x"
  handler                        = "index.handler"
  memory_size                    = 512
  timeout                        = 10
  reserved_concurrent_executions = 20
  role                           = "arn:aws:iam::123456789012:role/lambda"
  filename                       = "dist/api.zip"

  environment {
    variables = {
      LOG_LEVEL         = "info"
      STRIPE_SECRET_KEY = "${SECRET}"
      DATABASE_URL      = var.database_url
    }
  }
}

resource "aws_ecs_cluster" "main" {
  name = "main"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_service" "worker" {
  name                               = "worker"
  cluster                            = aws_ecs_cluster.main.id
  desired_count                      = 3
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 200

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets          = ["subnet-a"]
    assign_public_ip = true
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}

resource "aws_launch_template" "nodes" {
  name_prefix   = "nodes-"
  instance_type = "m6i.large"
}

resource "aws_eks_cluster" "open" {
  name     = "open"
  version  = "1.29"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = ["subnet-a", "subnet-b"]
  }
}

resource "aws_eks_cluster" "closed" {
  name     = "closed"
  version  = "1.30"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids              = ["subnet-a", "subnet-b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}

resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = jsonencode([
    {
      name        = "worker"
      image       = "ghcr.io/shop/worker:1.0"
      healthCheck = { command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"] }
    },
    {
      name  = "envoy"
      image = "envoyproxy/envoy:v1.29"
    }
  ])
}
`;

const run = hclRun('compute', HCL);

describe('terraform compute rules', () => {
  it('a Lambda function: settings, the names of its environment variables, a workload and its reserved concurrency', () => {
    expect(run.infra('aws_lambda_function.api')?.details).toMatchObject({
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      memoryMb: 512,
      timeoutSeconds: 10,
      reservedConcurrency: 20,
      environment: ['DATABASE_URL', 'LOG_LEVEL', 'STRIPE_SECRET_KEY'],
    });
    expect(run.m.deployment.workloads.find((w) => w.id === 'workload:lambda:orders-api')).toMatchObject({
      kind: 'Lambda function',
      details: { source: 'terraform', resource: 'aws_lambda_function.api', runtime: 'nodejs20.x' },
    });
    expect(run.m.scaling.find((s) => s.id === 'scaling:infra/aws_lambda_function.api')).toMatchObject({ category: 'concurrency', details: { max: 20 } });
  });

  it('a literal secret in a Lambda environment is a high finding naming the variable, never its value', () => {
    expect(run.m.security.find((s) => s.id === 'security:committed-secret-stripe_secret_key:infra/aws_lambda_function.api')).toMatchObject({
      severity: 'high',
      evidence: [{ file: 'infra/compute.tf', line: run.lineOf('STRIPE_SECRET_KEY =') }],
    });
    expect(run.m.security.some((s) => s.id.startsWith('security:committed-secret-database_url:'))).toBe(false);
    expect(JSON.stringify(run.m)).not.toContain(SECRET);
  });

  it('an ECS service: blue/green through CodeDeploy, a public IP, a workload and fixed replicas', () => {
    expect(run.infra('aws_ecs_service.worker')?.details).toMatchObject({
      desiredCount: 3,
      launchType: 'FARGATE',
      deploymentStrategy: { kind: 'blue-green', controller: 'codedeploy' },
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      publicIp: true,
    });
    expect(run.m.deployment.workloads.find((w) => w.id === 'workload:ecs:worker')).toMatchObject({
      kind: 'ECS service',
      details: { replicas: 3, strategy: { kind: 'blue-green', controller: 'codedeploy' }, launchType: 'FARGATE' },
    });
    expect(run.m.scaling.find((s) => s.id === 'scaling:infra/aws_ecs_service.worker')).toMatchObject({ category: 'replicas', details: { desired: 3 } });
  });

  it('an ECS container with a health check records that one is declared, not a label; one without records nothing', () => {
    const container = (name: string) => run.m.deployment.containers.find((c) => c.id === `container:ecs:worker/${name}`);
    expect(container('worker')).toMatchObject({
      image: 'ghcr.io/shop/worker:1.0',
      details: { taskDefinition: 'aws_ecs_task_definition.worker', healthcheckDeclared: true },
    });
    expect(container('worker')?.healthcheck).toBeUndefined();
    expect(container('envoy')?.details?.healthcheckDeclared).toBeUndefined();
  });

  it('an ECS cluster with Container Insights, an instance with a public IP, a launch template', () => {
    expect(run.infra('aws_ecs_cluster.main')?.details).toMatchObject({ containerInsights: 'enabled' });
    expect(run.infra('aws_instance.bastion')?.details).toMatchObject({ instanceType: 't3.micro', subnet: 'public' });
    expect(run.infra('aws_launch_template.nodes')?.details).toMatchObject({ instanceType: 'm6i.large' });
  });

  it('an EKS cluster has a public endpoint unless it is turned off', () => {
    expect(run.infra('aws_eks_cluster.open')?.details).toMatchObject({ version: '1.29', publicEndpoint: true });
    expect(run.infra('aws_eks_cluster.closed')?.details?.publicEndpoint).toBeUndefined();
  });
});
