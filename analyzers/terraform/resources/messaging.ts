/**
 * Messaging rules: SQS, SNS, MSK, Kinesis, Amazon MQ, Pub/Sub, Service Bus and Event Hubs: the
 * queues and topics they provision, and plaintext or public brokers.
 */
import { at, isTrue, literalName, show } from '../values.js';
import { type Rules, pick, set, type RuleInput } from '../out.js';
import { snsSubscription } from './subscriptions.js';

function kafkaCluster({ out, b, d, body }: RuleInput): void {
  const name = literalName(body.cluster_name) ?? b.name.replace(/_/g, '-');
  set(d, 'kafkaVersion', body.kafka_version);
  set(d, 'brokers', body.number_of_broker_nodes);
  set(d, 'instanceType', at(body, 'broker_node_group_info', 'instance_type'));
  const clientBroker = at(body, 'encryption_info', 'encryption_in_transit', 'client_broker');
  if (clientBroker === 'PLAINTEXT' || clientBroker === 'TLS_PLAINTEXT') {
    out.security(b, 'kafka-plaintext', 'medium', { statement: 'kafka-plaintext', setting: 'client_broker', value: clientBroker }, 'client_broker');
  }
  out.queue(b, name, 'Kafka', { kind: 'Kafka cluster (Amazon MSK)', ...pick(d, ['kafkaVersion', 'brokers']) });
}

function serviceBus({ out, b, body, type: t }: RuleInput): void {
  out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Azure Service Bus', { kind: t.endsWith('topic') ? 'topic' : 'queue' });
}

export const MESSAGING: Rules = {
  aws_sqs_queue({ out, b, d, body }) {
    const name = literalName(body.name) ?? literalName(body.name_prefix) ?? b.name.replace(/_/g, '-');
    set(d, 'queueName', name);
    if (isTrue(body.fifo_queue)) d.fifo = true;
    set(d, 'retentionSeconds', body.message_retention_seconds);
    set(d, 'visibilityTimeoutSeconds', body.visibility_timeout_seconds);
    const dlq = out.ref(b, 'aws_sqs_queue');
    if (body.redrive_policy !== undefined && dlq) d.deadLetterQueue = String(literalName(dlq.body.name) ?? dlq.name.replace(/_/g, '-'));
    if (isTrue(body.sqs_managed_sse_enabled) || body.kms_master_key_id !== undefined) d.encrypted = true;
    out.queue(b, name, 'Amazon SQS', pick(d, ['fifo', 'retentionSeconds', 'visibilityTimeoutSeconds', 'deadLetterQueue']));
  },
  aws_sns_topic({ out, b, d, body }) {
    const name = literalName(body.name) ?? literalName(body.name_prefix) ?? b.name.replace(/_/g, '-');
    set(d, 'topicName', name);
    if (isTrue(body.fifo_topic)) d.fifo = true;
    out.queue(b, name, 'Amazon SNS', { kind: 'topic', ...pick(d, ['fifo']) });
  },
  aws_sns_topic_subscription: snsSubscription,
  aws_msk_cluster: kafkaCluster,
  aws_msk_serverless_cluster: kafkaCluster,
  aws_kinesis_stream({ out, b, d, body }) {
    set(d, 'shards', body.shard_count);
    set(d, 'retentionHours', body.retention_period);
    out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Amazon Kinesis', pick(d, ['shards', 'retentionHours']));
  },
  aws_mq_broker({ out, b, d, body }) {
    set(d, 'engine', body.engine_type);
    set(d, 'deploymentMode', body.deployment_mode);
    if (isTrue(body.publicly_accessible))
      out.security(
        b,
        'broker-publicly-accessible',
        'high',
        { statement: 'broker-publicly-accessible', setting: 'publicly_accessible', value: true },
        'publicly_accessible',
      );
    if (String(body.deployment_mode ?? '').includes('MULTI_AZ') || String(body.deployment_mode ?? '').includes('CLUSTER_MULTI_AZ'))
      out.recovery(b, 'multi-az', { statement: 'broker-multi-az', setting: 'deployment_mode', value: String(body.deployment_mode) }, 'deployment_mode');
  },
  google_pubsub_topic({ out, b, body }) {
    out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Google Pub/Sub', { kind: 'topic' });
  },
  google_pubsub_subscription({ d, body }) {
    set(d, 'ackDeadlineSeconds', body.ack_deadline_seconds);
    if (body.dead_letter_policy !== undefined) d.deadLetter = true;
  },
  azurerm_servicebus_queue: serviceBus,
  azurerm_servicebus_topic: serviceBus,
  azurerm_eventhub({ out, b, body }) {
    out.queue(b, literalName(body.name) ?? b.name.replace(/_/g, '-'), 'Azure Event Hubs', { partitions: show(body.partition_count) ?? '?' });
  },
};
