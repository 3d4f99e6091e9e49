import { describe, expect, it } from 'vitest';
import { typedNames } from './jvm.js';
import { runRules, show, sites } from './testing.js';

const CONFIG = `package com.acme.orders;

import org.springframework.amqp.core.*;
import org.springframework.context.annotation.Bean;

@Configuration
public class RabbitConfig {
  public static final String EXCHANGE = "orders-exchange";
  public static final String QUEUE = "orders-queue";

  @Bean
  Queue queue() {
    return new Queue(QUEUE, false);
  }

  @Bean
  FanoutExchange exchange() {
    return new FanoutExchange(EXCHANGE);
  }

  @Bean
  Binding binding(Queue queue, FanoutExchange exchange) {
    return BindingBuilder.bind(queue).to(exchange);
  }
}
`;

const PUBLISHER = `package com.acme.orders;

import org.springframework.amqp.rabbit.core.RabbitTemplate;

public class RabbitPublisher {
  private RabbitTemplate rabbitTemplate;

  public RabbitPublisher(RabbitTemplate rabbitTemplate) {
    this.rabbitTemplate = rabbitTemplate;
  }

  public void publish(Object event) {
    this.rabbitTemplate.convertAndSend(
        RabbitConfig.EXCHANGE,
        "",
        event
      );
    this.rabbitTemplate.convertAndSend("direct-queue", event);
  }
}
`;

describe('polyglot messaging: Java and Kotlin (Spring)', () => {
  it('a listener whose placeholder no property defines, named like an environment variable, consumes the channel that variable carries', () => {
    const out = runRules({
      'settle/src/main/java/com/acme/settle/Subscriber.java': `package com.acme.settle;

import io.awspring.cloud.sqs.annotation.SqsListener;

public class Subscriber {
  @SqsListener("\${sqs.endpoint.uri}")
  public void onClaim(String body) {}

  @SqsListener("\${sqs.unknown.uri}")
  public void onOther(String body) {}
}
`,
      'settle/src/main/resources/application.properties': 'sqs.endpoint.uri=${SQS_ENDPOINT_URL}\nsqs.unknown.uri=${lowercase.key}\n',
    });
    expect(out.sites.map((s) => [show(s).replace('settle/src/main/java/com/acme/settle/', ''), s.envOnly])).toEqual([
      ['SQS_ENDPOINT_URL Amazon SQS queue consumer @Subscriber.java:6', true],
    ]);
  });

  it('AWS SDK for Java requests: a detail-type and bus built on PutEventsRequestEntry (v2), an SNS publish and an SQS send made with v1 setters', () => {
    const out = runRules({
      'billing/src/main/java/com/acme/billing/Events.java': `package com.acme.billing;

import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import com.amazonaws.services.sns.model.PublishRequest;
import com.amazonaws.services.sqs.model.SendMessageRequest;

public class Events {
  static final String PAID = "Invoice.Paid";

  void paid(String detail) {
    PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
      .detail(detail)
      .detailType(PAID)
      .source("billing")
      .eventBusName("billing-bus")
      .build();
    new PublishRequest().withTopicArn("arn:aws:sns:eu-west-1:1:invoices").withMessage(detail);
    new SendMessageRequest().withQueueUrl("https://sqs.eu-west-1.amazonaws.com/1/receipts").withMessageBody(detail);
    Report.builder().detailType("not an event").build();
  }
}
`,
    });
    expect(out.sites.map((s) => show(s).replace('billing/src/main/java/com/acme/billing/', '')).sort()).toEqual([
      'Invoice.Paid Amazon EventBridge event producer @Events.java:13',
      'billing-bus Amazon EventBridge event bus producer @Events.java:15',
      'invoices Amazon SNS topic producer @Events.java:17',
      'receipts Amazon SQS queue producer @Events.java:18',
    ]);
    // The entry's detail-type and source, as a rule's pattern matches them.
    expect(out.sites.find((x) => x.channel === 'Invoice.Paid')?.attributes).toEqual(['detail-type=Invoice.Paid', 'source=billing']);
    expect(out.sites.find((x) => x.channel === 'invoices')?.attributes).toBeUndefined();
  });

  it('declared queue and fanout exchange beans, the binding between them, a template publishing through a class constant', () => {
    const out = runRules({
      'orders/src/main/java/com/acme/orders/RabbitConfig.java': CONFIG,
      'orders/src/main/java/com/acme/orders/RabbitPublisher.java': PUBLISHER,
    });
    const at = (s: string) => s.replace('orders/src/main/java/com/acme/orders/', '');
    expect(out.sites.map((s) => at(show(s))).sort()).toEqual([
      'direct-queue RabbitMQ queue producer @RabbitPublisher.java:18',
      'orders-exchange RabbitMQ exchange declared @RabbitConfig.java:18',
      'orders-exchange RabbitMQ exchange declared [# → orders-queue] @RabbitConfig.java:23',
      'orders-exchange RabbitMQ exchange producer @RabbitPublisher.java:13',
      'orders-queue RabbitMQ queue declared @RabbitConfig.java:13',
    ]);
    expect(out.sites.filter((s) => s.kind === 'exchange' && s.role === 'declared').every((s) => s.fanout)).toBe(true);
  });

  it('listeners: @RabbitListener, @KafkaListener (Kotlin array, companion constant, the default of an escaped placeholder), @JmsListener, @SqsListener with a property placeholder and its default', () => {
    expect(
      sites({
        'svc/src/main/resources/application.yml': 'app:\n  queues:\n    audit: audit-events\n',
        'svc/src/main/java/a/Audit.java':
          'package a;\n\npublic class Audit {\n  @RabbitListener(queues = "${app.queues.audit}")\n  public void onAudit(String m) {}\n\n  @JmsListener(destination = "invoices")\n  public void onInvoice(String m) {}\n\n  @SqsListener("${app.queues.missing:https://sqs.eu-west-1.amazonaws.com/1/refunds}")\n  public void onRefund(String m) {}\n}\n',
        'svc/src/main/kotlin/a/Payments.kt':
          'package a\n\nclass Payments {\n    @KafkaListener(topics = [PAYMENTS, "\\${app.queues.dlq:payments-dlq}"], groupId = "svc")\n    fun on(m: String) {}\n\n    companion object {\n        const val PAYMENTS = "payments"\n    }\n}\n',
      }),
    ).toEqual([
      'audit-events RabbitMQ queue consumer @svc/src/main/java/a/Audit.java:4',
      'invoices JMS queue consumer @svc/src/main/java/a/Audit.java:7',
      'payments Kafka topic consumer @svc/src/main/kotlin/a/Payments.kt:4',
      'payments-dlq Kafka topic consumer @svc/src/main/kotlin/a/Payments.kt:4',
      'refunds Amazon SQS queue consumer @svc/src/main/java/a/Audit.java:10',
    ]);
  });

  it('KafkaTemplate.send with an @Value topic, a ProducerRecord, NewTopic/TopicBuilder beans; a library constant kept as label; a placeholder nobody sets is not guessed', () => {
    const out = runRules({
      'svc/src/main/resources/application.properties': 'app.topic=orders\n',
      'svc/src/main/java/a/Sender.java':
        'package a;\n\nimport org.springframework.kafka.core.KafkaTemplate;\nimport org.apache.kafka.clients.admin.NewTopic;\nimport com.acme.shared.Topics;\n\npublic class Sender {\n  private final KafkaTemplate<String, String> kafka;\n  @Value("${app.topic}")\n  private String topic;\n\n  NewTopic orders() { return TopicBuilder.name(topic).build(); }\n  NewTopic audit() { return new NewTopic("audit", 1, (short) 1); }\n\n  void send(String v) {\n    kafka.send(topic, v);\n    kafka.send(new ProducerRecord<>("audit", v));\n    kafka.send(Topics.PAYMENTS, v);\n    kafka.send("${nobody.sets.this}", v);\n  }\n}\n',
    });
    expect(out.sites.map(show).sort()).toEqual([
      'Topics.PAYMENTS Kafka topic producer unresolved @svc/src/main/java/a/Sender.java:18',
      'audit Kafka topic declared @svc/src/main/java/a/Sender.java:13',
      'audit Kafka topic producer @svc/src/main/java/a/Sender.java:17',
      'orders Kafka topic declared @svc/src/main/java/a/Sender.java:12',
      'orders Kafka topic producer @svc/src/main/java/a/Sender.java:16',
    ]);
    expect(out.unresolved.map((u) => u.line)).toEqual([18, 19]);
  });

  it('reads the names templates are declared under, Java and Kotlin, generics skipped', () => {
    const m = typedNames(
      'private final KafkaTemplate<String, Map<String, Object>> events;\nclass A(private val rabbit: RabbitTemplate)\nimport x.RabbitTemplate;',
      ['KafkaTemplate', 'RabbitTemplate'],
    );
    expect([...m].sort()).toEqual([
      ['events', 'KafkaTemplate'],
      ['rabbit', 'RabbitTemplate'],
    ]);
  });
});
