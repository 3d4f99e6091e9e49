import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `
resource "aws_sns_topic" "orders" {
  name = "order-events"
}

resource "aws_sqs_queue" "invoices" {
  name = "invoices"
}

resource "aws_sqs_queue" "refunds" {
  name = "refunds"
}

resource "aws_sqs_queue" "audit" {
  name = "audit"
}

resource "aws_sns_topic_subscription" "invoices" {
  topic_arn     = aws_sns_topic.orders.arn
  protocol      = "sqs"
  endpoint      = aws_sqs_queue.invoices.arn
  filter_policy = jsonencode({
    eventType = ["order_placed", "order_paid"]
    region    = [{ prefix = "eu-" }]
  })
}

resource "aws_sns_topic_subscription" "refunds" {
  topic_arn     = aws_sns_topic.orders.arn
  protocol      = "sqs"
  endpoint      = aws_sqs_queue.refunds.arn
  filter_policy = <<EOT
{ "eventType": ["order_refunded"] }
EOT
}

resource "aws_sns_topic_subscription" "audit" {
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.audit.arn
}
`;

const run = hclRun('subscriptions', HCL);
const queue = (name: string) => run.m.queues.find((q) => q.id === `queue:${name}`);

describe('terraform SNS subscriptions of SQS queues', () => {
  it('link the topic to each queue, with the filter policy as the queue filters (conditions not read as name=?)', () => {
    expect(queue('order-events')?.details?.drainedBy).toEqual(['queue:audit', 'queue:invoices', 'queue:refunds']);
    expect(queue('invoices')?.details).toMatchObject({
      fedBy: ['queue:order-events'],
      filters: ['eventType=order_paid', 'eventType=order_placed', 'region=?'],
    });
    expect(queue('refunds')?.details?.filters).toEqual(['eventType=order_refunded']);
    expect(queue('audit')?.details).toMatchObject({ fedBy: ['queue:order-events'] });
    expect(queue('audit')?.details?.filters).toBeUndefined();
  });
});
