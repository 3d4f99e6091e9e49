import { describe, expect, it } from 'vitest';
import { runRules } from './testing.js';

/** Large generated files: every rule must stay near linear in the file's calls, functions and assignments. */
describe('polyglot messaging on hostile input', () => {
  it('10,000 publishes through class attributes among 2,500 methods (Python)', () => {
    const methods = Array.from(
      { length: 2500 },
      (_, i) =>
        `    def m${i}(self, body):\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n`,
    );
    const text = `import pika\n\nclass P:\n    EXCHANGE = 'shop'\n    KEY = 'orders'\n\n${methods.join('')}`;
    const t0 = Date.now();
    const out = runRules({ 'p.py': text });
    expect(out.sites.length).toBe(10000);
    expect(Date.now() - t0).toBeLessThan(20000);
  });

  it('a helper that passes its parameter on, called from 3,000 places through 3,000 helpers (Python)', () => {
    const helpers = Array.from({ length: 3000 }, (_, i) => `def h${i}(q):\n    send(q)\n\nh${i}('q${i % 7}')\n`).join('');
    const text = `import pika\n\ndef send(queue):\n    channel.basic_publish(exchange='', routing_key=queue, body=b'')\n\n${helpers}`;
    const t0 = Date.now();
    const out = runRules({ 'h.py': text });
    // Twenty callers at most are read for a parameter: a few of the seven names.
    expect(out.sites.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(20000);
  });

  it('5,000 bindings in one configuration class (Java) and 5,000 declared queues bound by name (Go)', () => {
    const java = `import org.springframework.amqp.core.*;\nclass C {\n  Queue q() { return new Queue("q"); }\n  TopicExchange x() { return new TopicExchange("x"); }\n${Array.from({ length: 5000 }, (_, i) => `  Binding b${i}(Queue q, TopicExchange x) { return BindingBuilder.bind(q).to(x).with("k${i}"); }\n`).join('')}}\n`;
    const go = `package main\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc setup(ch *amqp.Channel) {\n${Array.from({ length: 5000 }, (_, i) => `\tq${i}, _ := ch.QueueDeclare("q${i}", true, false, false, false, nil)\n\tch.QueueBind(q${i}.Name, "k", "x", false, nil)\n`).join('')}}\n`;
    const t0 = Date.now();
    expect(runRules({ 'C.java': java }).sites.filter((s) => s.binding).length).toBe(5000);
    expect(runRules({ 'main.go': go }).sites.filter((s) => s.binding).length).toBe(5000);
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});
