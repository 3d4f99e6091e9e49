import { describe, expect, it } from 'vitest';
import { runRules } from './testing.js';

/** Large generated files: every rule must stay near linear in the file's calls, functions and assignments (the suite's time-out is the bound; timings live in the benchmark). */
describe('polyglot messaging on hostile input', () => {
  it('10,000 publishes through class attributes among 2,500 methods (Python)', () => {
    const methods = Array.from(
      { length: 2500 },
      (_, i) =>
        `    def m${i}(self, body):\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n`,
    );
    const text = `import pika\n\nclass P:\n    EXCHANGE = 'shop'\n    KEY = 'orders'\n\n${methods.join('')}`;
    const out = runRules({ 'p.py': text });
    expect(out.sites.length).toBe(10000);
  });

  it('a helper that passes its parameter on, called from 3,000 places through 3,000 helpers (Python)', () => {
    const helpers = Array.from({ length: 3000 }, (_, i) => `def h${i}(q):\n    send(q)\n\nh${i}('q${i % 7}')\n`).join('');
    const text = `import pika\n\ndef send(queue):\n    channel.basic_publish(exchange='', routing_key=queue, body=b'')\n\n${helpers}`;
    const out = runRules({ 'h.py': text });
    // Twenty callers at most are read for a parameter: a few of the seven names.
    expect(out.sites.length).toBeGreaterThan(0);
  });

  it('5,000 bindings in one configuration class (Java) and 5,000 declared queues bound by name (Go)', () => {
    const java = `import org.springframework.amqp.core.*;\nclass C {\n  Queue q() { return new Queue("q"); }\n  TopicExchange x() { return new TopicExchange("x"); }\n${Array.from({ length: 5000 }, (_, i) => `  Binding b${i}(Queue q, TopicExchange x) { return BindingBuilder.bind(q).to(x).with("k${i}"); }\n`).join('')}}\n`;
    const go = `package main\n\nimport amqp "github.com/rabbitmq/amqp091-go"\n\nfunc setup(ch *amqp.Channel) {\n${Array.from({ length: 5000 }, (_, i) => `\tq${i}, _ := ch.QueueDeclare("q${i}", true, false, false, false, nil)\n\tch.QueueBind(q${i}.Name, "k", "x", false, nil)\n`).join('')}}\n`;
    expect(runRules({ 'C.java': java }).sites.filter((s) => s.binding).length).toBe(5000);
    expect(runRules({ 'main.go': go }).sites.filter((s) => s.binding).length).toBe(5000);
  });

  it('40,000 kafka-go struct literals never closed (Go), and Celery routes of thousands of long globs (Python)', () => {
    const go = `package main\n\nimport "github.com/segmentio/kafka-go"\n\nfunc main() {\n${'\tw := kafka.Writer{(\n'.repeat(40000)}}\n`;
    expect(runRules({ 'main.go': go }).sites).toEqual([]);
    const glob = (i: number) => `${'*a'.repeat(40)}*b${i}`;
    const routes = Array.from({ length: 4000 }, (_, i) => `    '${glob(i)}': {'queue': 'q${i}'},`).join('\n');
    const tasks = Array.from({ length: 1000 }, (_, i) => `@app.task\ndef ${'a'.repeat(30)}${i}():\n    pass\n\n${'a'.repeat(30)}${i}.delay()\n`).join('');
    const py = `from celery import Celery\napp = Celery('w', broker='redis://r')\napp.conf.task_routes = {\n${routes}\n}\n\n${tasks}`;
    const out = runRules({ 'tasks.py': py });
    // Every task is consumed and produced; routes beyond the first 500 are not read.
    expect(out.sites.filter((s) => s.tech === 'Celery').length).toBe(2000);
  });
});
