import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_autoscaling_group" "web" {
  name             = "web"
  min_size         = 2
  max_size         = 6
  desired_capacity = 3

  launch_template {
    id = "lt-123"
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "cpu"
  autoscaling_group_name = aws_autoscaling_group.web.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50
  }
}

resource "aws_lambda_function" "api" {
  function_name                  = "api"
  runtime                        = "nodejs20.x"
  handler                        = "index.handler"
  role                           = "arn:aws:iam::123456789012:role/lambda"
  reserved_concurrent_executions = 20
}

resource "aws_lambda_provisioned_concurrency_config" "api" {
  function_name                     = aws_lambda_function.api.function_name
  provisioned_concurrent_executions = 4
  qualifier                         = "live"
}

resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_appautoscaling_target" "orders_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/\${aws_dynamodb_table.orders.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_eks_node_group" "general" {
  cluster_name   = "main"
  node_role_arn  = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids     = ["subnet-a"]
  instance_types = ["m6i.large"]

  scaling_config {
    min_size     = 1
    max_size     = 5
    desired_size = 2
  }
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  ingress  = "INGRESS_TRAFFIC_ALL"

  template {
    scaling {
      min_instance_count = 1
      max_instance_count = 20
    }
    containers {
      image = "europe-docker.pkg.dev/p/r/api:1"
    }
  }
}

resource "google_container_node_pool" "general" {
  name    = "general"
  cluster = "main"

  autoscaling {
    min_node_count = 1
    max_node_count = 3
  }

  node_config {
    machine_type = "e2-standard-4"
  }
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "main"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "main"

  default_node_pool {
    name                 = "default"
    vm_size              = "Standard_D4s_v5"
    auto_scaling_enabled = true
    min_count            = 2
    max_count            = 8
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name     = "web"
  sku      = "Standard_B2s"
  location = "westeurope"
}

resource "azurerm_monitor_autoscale_setting" "web" {
  name               = "web"
  location           = "westeurope"
  target_resource_id = azurerm_linux_virtual_machine_scale_set.web.id

  profile {
    name = "default"
    capacity {
      default = 2
      minimum = 1
      maximum = 10
    }
  }
}
`;

const run = hclRun('scaling', HCL);

describe('terraform scaling rules', () => {
  it('an EC2 Auto Scaling group with its target-tracking policy, merged into one fact', () => {
    expect(run.scaling('aws_autoscaling_group.web')).toMatchObject({
      category: 'autoscaling',
      details: {
        resource: 'aws_autoscaling_group.web',
        min: 2,
        max: 6,
        desired: 3,
        policies: [{ by: 'target-tracking', metric: 'ASGAverageCPUUtilization', target: 50 }],
      },
    });
  });

  it('Lambda provisioned concurrency lands on the function, beside its reserved concurrency', () => {
    expect(run.scaling('aws_lambda_function.api')).toMatchObject({ category: 'concurrency', details: { min: 4, max: 20 } });
    expect(run.scaling('aws_lambda_provisioned_concurrency_config.api')).toBeUndefined();
  });

  it('an Application Auto Scaling target scales the DynamoDB table it names', () => {
    expect(run.scaling('aws_dynamodb_table.orders')).toMatchObject({ details: { min: 5, max: 100, dimension: 'dynamodb:table:ReadCapacityUnits' } });
    expect(run.infra('aws_appautoscaling_target.orders_read')?.details).toMatchObject({ min: 5, max: 100 });
  });

  it('EKS, GKE and AKS node pools with their bounds and machine sizes', () => {
    expect(run.infra('aws_eks_node_group.general')?.details).toMatchObject({ min: 1, max: 5, desired: 2, instanceTypes: ['m6i.large'] });
    expect(run.scaling('aws_eks_node_group.general')?.details).toMatchObject({ min: 1, max: 5, desired: 2 });
    expect(run.infra('google_container_node_pool.general')?.details).toMatchObject({ machineType: 'e2-standard-4', min: 1, max: 3 });
    expect(run.scaling('google_container_node_pool.general')?.details).toMatchObject({ min: 1, max: 3 });
    expect(run.infra('azurerm_kubernetes_cluster.main')?.details).toMatchObject({ vmSize: 'Standard_D4s_v5', min: 2, max: 8 });
    expect(run.scaling('azurerm_kubernetes_cluster.main')?.details).toMatchObject({ min: 2, max: 8 });
  });

  it('Cloud Run instance bounds and ingress', () => {
    expect(run.infra('google_cloud_run_v2_service.api')?.details).toMatchObject({ min: 1, max: 20, ingress: 'INGRESS_TRAFFIC_ALL' });
    expect(run.scaling('google_cloud_run_v2_service.api')?.details).toMatchObject({ min: 1, max: 20 });
  });

  it('an Azure autoscale setting scales the resource it targets', () => {
    expect(run.scaling('azurerm_linux_virtual_machine_scale_set.web')?.details).toMatchObject({ min: 1, max: 10, desired: 2 });
  });
});
