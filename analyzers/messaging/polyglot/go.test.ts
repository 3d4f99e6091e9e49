import { describe, expect, it } from 'vitest';
import { runRules, show, sites } from './testing.js';

describe('polyglot messaging: Go', () => {
  it('amqp091-go: exchange and queue declared, the queue bound by its declared name, consumed; a publisher on the exchange', () => {
    expect(
      sites({
        'dispatch/main.go':
          'package main\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc setup(ch *amqp.Channel) {\n\tch.ExchangeDeclare("shop", "direct", true, false, false, false, nil)\n\tq, _ := ch.QueueDeclare("orders", true, false, false, false, nil)\n\tch.QueueBind(q.Name, "orders", "shop", false, nil)\n\tmsgs, _ := ch.Consume(q.Name, "", true, false, false, false, nil)\n\t_ = msgs\n\tch.PublishWithContext(ctx, "shop", "orders.paid", false, false, amqp.Publishing{})\n\tch.Publish("", "audit", false, false, amqp.Publishing{})\n}\n',
      }),
    ).toEqual([
      'audit RabbitMQ queue producer @dispatch/main.go:12',
      'orders RabbitMQ queue consumer @dispatch/main.go:9',
      'orders RabbitMQ queue declared @dispatch/main.go:7',
      'shop RabbitMQ exchange declared @dispatch/main.go:6',
      'shop RabbitMQ exchange declared [orders → orders] @dispatch/main.go:8',
      'shop RabbitMQ exchange producer (orders.paid) @dispatch/main.go:11',
    ]);
  });

  it('amqp091-go: a server-named queue from a helper bound to a topic exchange for several keys and consumed is a consumer of the exchange', () => {
    expect(
      sites({
        'listener/event/event.go':
          'package event\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc declareExchange(ch *amqp.Channel) error {\n\treturn ch.ExchangeDeclare("logs_topic", "topic", true, false, false, false, nil)\n}\n\nfunc declareRandomQueue(ch *amqp.Channel) (amqp.Queue, error) {\n\treturn ch.QueueDeclare("", false, false, true, false, nil)\n}\n',
        'listener/event/consumer.go':
          'package event\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc (c *Consumer) Listen(ch *amqp.Channel, topics []string) error {\n\tq, err := declareRandomQueue(ch)\n\tfor _, s := range topics {\n\t\tch.QueueBind(q.Name, s, "logs_topic", false, nil)\n\t}\n\tmessages, err := ch.Consume(q.Name, "", true, false, false, false, nil)\n\t_ = messages\n\treturn err\n}\n\nfunc (c *Consumer) Named(ch *amqp.Channel) {\n\tw, _ := ch.QueueDeclare("", false, false, true, false, nil)\n\tch.QueueBind(w.Name, "#", "audit", false, nil)\n\tch.Consume(w.Name, "", true, false, false, false, nil)\n}\n',
      }),
    ).toEqual([
      'audit RabbitMQ exchange consumer @listener/event/consumer.go:18',
      'logs_topic RabbitMQ exchange consumer @listener/event/consumer.go:10',
      'logs_topic RabbitMQ exchange declared @listener/event/event.go:6',
    ]);
  });

  it('nats.go: a package constant subject; a subject that is a parameter is not the constant of the same name', () => {
    const out = runRules({
      'asset/transport/nats.go':
        'package transport\n\nimport "github.com/nats-io/nats.go"\n\nconst subject = "asset_service"\n\nfunc (t *T) reply(subject string, data []byte) {\n\tt.conn.Publish(subject, data)\n}\n\nfunc (t *T) Start() {\n\tt.conn.QueueSubscribe(subject, "workers", func(m *nats.Msg) {})\n\tt.js.Publish(events.Created, nil)\n}\n',
      'asset/events/events.go': 'package events\n\nconst Created = "asset.created"\n',
    });
    expect(out.sites.map(show).sort()).toEqual(['asset_service NATS subject consumer @asset/transport/nats.go:12']);
    expect(out.unresolved.map((u) => u.line)).toEqual([8, 13]);
  });

  it('a subject passed to a helper of the same package is what its callers pass', () => {
    expect(
      sites({
        'svc/bus/bus.go':
          'package bus\n\nimport "github.com/nats-io/nats.go"\n\nfunc Emit(nc *nats.Conn, subject string, data []byte) error {\n\treturn nc.Publish(subject, data)\n}\n',
        'svc/bus/orders.go': 'package bus\n\nfunc OrderPlaced(nc *nats.Conn) error {\n\treturn Emit(nc, "orders.placed", nil)\n}\n',
      }),
    ).toEqual(['orders.placed NATS subject producer @svc/bus/bus.go:6']);
  });

  it('viper configuration structs: topic names from the YAML keys their tags name; a shared consumer group helper reads the topics its callers pass, returned by a method', () => {
    expect(
      sites({
        'pkg/bus/config.go':
          'package bus\n\ntype TopicConfig struct {\n\tTopicName  string `mapstructure:"topicName"`\n\tPartitions int    `mapstructure:"partitions"`\n}\n',
        'pkg/bus/group.go':
          'package bus\n\nimport "github.com/segmentio/kafka-go"\n\nfunc (g *Group) reader(brokers []string, topics []string) *kafka.Reader {\n\treturn kafka.NewReader(kafka.ReaderConfig{\n\t\tBrokers:     brokers,\n\t\tGroupTopics: topics,\n\t})\n}\n\nfunc (g *Group) Consume(ctx context.Context, topics []string) {\n\tr := g.reader(g.Brokers, topics)\n\t_ = r\n}\n',
        'billing/config/config.go':
          'package config\n\nimport "github.com/acme/shop/pkg/bus"\n\ntype Config struct {\n\tTopics Topics `mapstructure:"kafkaTopics"`\n}\n\ntype Topics struct {\n\tInvoiceRaised bus.TopicConfig `mapstructure:"invoiceRaised"`\n\tPaymentTaken  bus.TopicConfig `mapstructure:"paymentTaken"`\n}\n',
        'billing/config/config.yaml':
          'kafkaTopics:\n  invoiceRaised:\n    topicName: invoice_raised\n    partitions: 3\n  paymentTaken:\n    topicName: payment_taken\n',
        'billing/server/server.go':
          'package server\n\nimport (\n\t"github.com/acme/shop/pkg/bus"\n\t"github.com/segmentio/kafka-go"\n)\n\nfunc (s *server) topics() []string {\n\treturn []string{\n\t\ts.cfg.Topics.PaymentTaken.TopicName,\n\t}\n}\n\nfunc (s *server) Run(g *bus.Group) {\n\tgo g.Consume(ctx, s.topics())\n\ts.w.WriteMessages(ctx, kafka.Message{Topic: s.cfg.Topics.InvoiceRaised.TopicName, Value: b})\n}\n',
      }),
    ).toEqual(['invoice_raised Kafka topic producer @billing/server/server.go:16', 'payment_taken Kafka topic consumer @pkg/bus/group.go:8']);
  });

  it('kafka-go and sarama: struct literals with Topic, a reader configuration, a consumer group', () => {
    expect(
      sites({
        'svc/go.mod': 'module github.com/acme/svc\n',
        'svc/events/topics.go': 'package events\n\nconst Orders = "orders"\n',
        'svc/main.go':
          'package main\n\nimport (\n\t"github.com/IBM/sarama"\n\t"github.com/acme/svc/events"\n\t"github.com/segmentio/kafka-go"\n)\n\nfunc run() {\n\tw := &kafka.Writer{Addr: kafka.TCP("k:9092"), Topic: events.Orders}\n\tr := kafka.NewReader(kafka.ReaderConfig{Brokers: b, GroupTopics: []string{"payments", "refunds"}})\n\tp.SendMessage(&sarama.ProducerMessage{Topic: "audit", Value: sarama.StringEncoder("x")})\n\tgroup.Consume(ctx, []string{"audit"}, handler)\n}\n',
      }),
    ).toEqual([
      'audit Kafka topic consumer @svc/main.go:13',
      'audit Kafka topic producer @svc/main.go:12',
      'orders Kafka topic producer @svc/main.go:10',
      'payments Kafka topic consumer @svc/main.go:11',
      'refunds Kafka topic consumer @svc/main.go:11',
    ]);
  });
});
