import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `
resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type  = "kafka.m5.large"
    client_subnets = ["subnet-a", "subnet-b", "subnet-c"]
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
    }
  }
}

resource "aws_kinesis_stream" "clicks" {
  name             = "\${var.env}-clicks"
  shard_count      = 2
  retention_period = 48
}

resource "aws_mq_broker" "legacy" {
  broker_name         = "legacy"
  engine_type         = "RabbitMQ"
  engine_version      = "3.11.20"
  host_instance_type  = "mq.m5.large"
  deployment_mode     = "CLUSTER_MULTI_AZ"
  publicly_accessible = true
}

resource "google_pubsub_topic" "orders" {
  name = "orders"
}

resource "google_pubsub_subscription" "billing" {
  name                 = "billing"
  topic                = google_pubsub_topic.orders.id
  ack_deadline_seconds = 20

  dead_letter_policy {
    dead_letter_topic = "projects/p/topics/dead"
  }
}

resource "azurerm_servicebus_topic" "invoices" {
  name         = "invoices"
  namespace_id = "ns"
}

resource "azurerm_servicebus_queue" "emails" {
  name         = "emails"
  namespace_id = "ns"
}

resource "azurerm_eventhub" "telemetry" {
  name            = "telemetry"
  partition_count = 4
}
`;

const run = hclRun('messaging', HCL);

const queue = (name: string) => run.m.queues.find((q) => q.id === `queue:${name}`);

describe('terraform messaging rules', () => {
  it('MSK: a Kafka cluster queue, and a finding for plaintext client connections on its line', () => {
    expect(run.infra('aws_msk_cluster.events')?.details).toMatchObject({ kafkaVersion: '3.6.0', brokers: 3, instanceType: 'kafka.m5.large' });
    expect(queue('events')).toMatchObject({
      tech: 'Kafka',
      details: { kind: 'Kafka cluster (Amazon MSK)', kafkaVersion: '3.6.0', brokers: 3, provisionedBy: ['aws_msk_cluster.events'] },
    });
    const f = run.m.security.find((s) => s.id === 'security:kafka-plaintext:infra/aws_msk_cluster.events');
    expect(f).toMatchObject({ severity: 'medium', evidence: [{ file: 'infra/messaging.tf', line: 14 }] });
  });

  it('Kinesis: shards and retention, named without its interpolation', () => {
    expect(queue('clicks')).toMatchObject({ tech: 'Amazon Kinesis', details: { shards: 2, retentionHours: 48 } });
  });

  it('Amazon MQ: a public broker is a high finding; a multi-AZ cluster is a recovery fact', () => {
    expect(run.infra('aws_mq_broker.legacy')?.details).toMatchObject({ engine: 'RabbitMQ', deploymentMode: 'CLUSTER_MULTI_AZ' });
    expect(run.m.security.find((s) => s.id === 'security:broker-publicly-accessible:infra/aws_mq_broker.legacy')?.severity).toBe('high');
    expect(run.m.recovery.find((r) => r.id === 'recovery:multi-az:infra/aws_mq_broker.legacy')?.evidence[0]?.line).toBe(30);
  });

  it('Pub/Sub: a topic is a queue; a subscription records its deadline and dead-letter policy', () => {
    expect(queue('orders')).toMatchObject({ tech: 'Google Pub/Sub', details: { kind: 'topic' } });
    expect(run.infra('google_pubsub_subscription.billing')?.details).toMatchObject({ ackDeadlineSeconds: 20, deadLetter: true });
  });

  it('Service Bus topics and queues, and Event Hubs with their partitions', () => {
    expect(queue('invoices')).toMatchObject({ tech: 'Azure Service Bus', details: { kind: 'topic' } });
    expect(queue('emails')).toMatchObject({ tech: 'Azure Service Bus', details: { kind: 'queue' } });
    expect(queue('telemetry')).toMatchObject({ tech: 'Azure Event Hubs', details: { partitions: 4 } });
  });
});
