import { describe, expect, it } from 'vitest';
import { Collected } from './collect.js';
import { commandWorkers } from './commands.js';
import { globMatch } from './python.js';
import { runRules, show, sites } from './testing.js';

describe('polyglot messaging: Python', () => {
  it('RQ: a queue made in the app factory, enqueued through the attribute it is held in elsewhere, worked by Worker([...])', () => {
    expect(
      sites({
        'web/app/__init__.py':
          "import rq\nfrom redis import Redis\n\ndef create_app():\n    app.redis = Redis()\n    app.task_queue = rq.Queue('exports', connection=app.redis)\n",
        'web/app/models.py':
          "from flask import current_app\n\nclass User:\n    def launch(self, name):\n        return current_app.task_queue.enqueue(f'app.tasks.{name}', self.id)\n",
        'web/worker.py':
          "from rq import Queue, Worker\nfrom redis import Redis\n\nq = Queue(connection=Redis())\nq.enqueue(cleanup)\nWorker([q, 'exports']).work()\n",
      }),
    ).toEqual([
      'default RQ queue consumer @web/worker.py:6',
      'default RQ queue declared @web/worker.py:4',
      'default RQ queue producer (cleanup) @web/worker.py:5',
      'exports RQ queue consumer @web/worker.py:6',
      'exports RQ queue declared @web/app/__init__.py:6',
      'exports RQ queue producer @web/app/models.py:5',
    ]);
  });

  it('RQ: enqueue on an object that is no RQ queue is not a producer', () => {
    expect(sites({ 'a.py': 'from huey import RedisHuey\n\nqueue = RedisHuey()\nqueue.enqueue(task)\n' })).toEqual([]);
  });

  it('Celery: decorated tasks consume, delay/apply_async/send_task produce; queue from queue=, task_routes (globs), task_default_queue, else `celery`; broker from a literal URL', () => {
    const files = {
      'svc/proj/celery.py':
        "from celery import Celery\n\napp = Celery('proj', broker='amqp://rabbit//')\napp.conf.task_routes = {'shop.tasks.charge': {'queue': 'payments'}, 'shop.tasks.mail_*': {'queue': 'emails'}}\n",
      'svc/shop/tasks.py':
        "from celery import shared_task\nfrom proj.celery import app\n\n@shared_task\ndef charge(order_id):\n    pass\n\n@app.task(queue='slow')\ndef rebuild():\n    pass\n\n@shared_task\ndef mail_receipt(order_id):\n    pass\n\n@shared_task\ndef cleanup():\n    pass\n",
      'svc/shop/views.py':
        "from shop.tasks import charge, mail_receipt\nfrom proj.celery import app\n\ndef pay(order):\n    charge.delay(order.id)\n    mail_receipt.apply_async(args=[order.id], queue='priority')\n    app.send_task('shop.tasks.cleanup')\n",
    };
    expect(sites(files)).toEqual([
      'celery Celery queue consumer (cleanup) @svc/shop/tasks.py:16',
      'celery Celery queue producer (cleanup) @svc/shop/views.py:7',
      'celery RabbitMQ queue declared @svc/proj/celery.py:3',
      'emails Celery queue consumer (mail_receipt) @svc/shop/tasks.py:12',
      'emails RabbitMQ queue declared @svc/proj/celery.py:3',
      'payments Celery queue consumer (charge) @svc/shop/tasks.py:4',
      'payments Celery queue producer (charge) @svc/shop/views.py:5',
      'payments RabbitMQ queue declared @svc/proj/celery.py:3',
      'priority Celery queue producer (mail_receipt) @svc/shop/views.py:6',
      'priority RabbitMQ queue declared @svc/proj/celery.py:3',
      'slow Celery queue consumer (rebuild) @svc/shop/tasks.py:8',
      'slow RabbitMQ queue declared @svc/proj/celery.py:3',
    ]);
  });

  it('Celery: Django settings (CELERY_ namespace) give the default queue; a `@task` of another library is no task', () => {
    expect(
      sites({
        'proj/settings.py': "CELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_TASK_DEFAULT_QUEUE = 'work'\n",
        'proj/jobs.py': 'from celery import shared_task\nfrom invoke import task\n\n@shared_task\ndef nightly():\n    pass\n\n@task\ndef build(c):\n    pass\n',
      }),
    ).toEqual(['work Celery queue consumer (nightly) @proj/jobs.py:4', 'work Redis queue declared @proj/settings.py:1']);
  });

  it("Celery: a task imported under another name and delayed in a lambda is that module's task, not a task of the same name elsewhere", () => {
    expect(
      sites({
        'shop/emails/tasks.py': 'from celery import shared_task\n\n@shared_task(bind=True)\ndef email_send(self, email_id):\n    pass\n',
        'shop/sms/tasks.py': "from celery import shared_task\n\n@shared_task(queue='sms')\ndef email_send(number):\n    pass\n",
        'shop/emails/services.py':
          'from django.db import transaction\n\nfrom shop.emails.tasks import email_send as email_send_task\n\n\ndef email_send_all(emails):\n    for email in emails:\n        transaction.on_commit((lambda email_id: lambda: email_send_task.delay(email_id))(email.id))\n',
      }),
    ).toEqual([
      'celery Celery queue consumer (email_send) @shop/emails/tasks.py:3',
      'celery Celery queue producer (email_send) @shop/emails/services.py:8',
      'sms Celery queue consumer (email_send) @shop/sms/tasks.py:3',
    ]);
  });

  it('pika: publish to an exchange with its routing key, declare, bind and consume; class attributes and constants followed; a reply-to is not guessed', () => {
    const out = runRules({
      'pay/rabbitmq.py':
        "import pika\n\nclass Publisher:\n    EXCHANGE = 'shop'\n    KEY = 'orders'\n\n    def publish(self, body):\n        self._channel.basic_publish(exchange=self.EXCHANGE, routing_key=self.KEY, body=body)\n",
      'ship/consumer.py':
        "import pika\nQUEUE = 'orders'\n\ndef on_message(ch, method, props, body):\n    ch.basic_publish('', props.reply_to, b'ok')\n\ndef main(ch):\n    ch.exchange_declare('shop', exchange_type='fanout')\n    ch.queue_declare(queue=QUEUE, durable=True)\n    ch.queue_declare(queue='', exclusive=True)\n    ch.queue_bind(QUEUE, 'shop')\n    ch.basic_consume(queue=QUEUE, on_message_callback=on_message)\n",
    });
    expect(out.sites.map(show).sort()).toEqual([
      'orders RabbitMQ queue consumer @ship/consumer.py:12',
      'orders RabbitMQ queue declared @ship/consumer.py:9',
      'shop RabbitMQ exchange declared @ship/consumer.py:8',
      'shop RabbitMQ exchange declared [orders → orders] @ship/consumer.py:11',
      'shop RabbitMQ exchange producer (orders) @pay/rabbitmq.py:8',
    ]);
    expect(out.sites.find((s) => s.at.line === 8 && s.at.file === 'ship/consumer.py')?.fanout).toBe(true);
    expect(out.unresolved).toEqual([{ file: 'ship/consumer.py', line: 5, what: 'RabbitMQ queue' }]);
  });

  it('a channel name passed as a parameter is what the callers pass, in files that import the function (a method skips self); the site keeps the call', () => {
    const out = runRules({
      'lib/pub.py':
        "import pika\n\nclass Publisher:\n    def send(self, queue, body):\n        self.channel.basic_publish(exchange='', routing_key=queue, body=body)\n",
      'svc/app.py': "from lib.pub import Publisher\n\np = Publisher()\np.send('orders', b'x')\np.send(queue='audit', body=b'y')\n",
      'other/app.py': "client.send('not-a-queue', b'z')\n",
    });
    expect(out.sites.map((s) => `${show(s)} via ${s.via.map((v) => `${v.file}:${v.line}`).join(',')}`).sort()).toEqual([
      'audit RabbitMQ queue producer @lib/pub.py:5 via svc/app.py:5',
      'orders RabbitMQ queue producer @lib/pub.py:5 via svc/app.py:4',
    ]);
  });

  it('Kafka: kafka-python and confluent-kafka producers and consumers, by the object they are called on (an object of the same name made by another module is not one), topics from settings', () => {
    expect(
      sites({
        'app/settings.py': "TOPIC = 'payments'\n",
        'app/events.py':
          "from kafka import KafkaProducer\nfrom app.settings import TOPIC\n\nproducer = KafkaProducer(bootstrap_servers='k:9092')\n\ndef emit(v):\n    producer.send(TOPIC, v)\n",
        'app/use.py': "from app.events import producer\n\ndef again(v):\n    producer.send('audit', v)\n",
        'app/mailer.py': 'producer = SmtpProducer()\n',
        'app/mail.py': "from app.mailer import producer\n\ndef notify():\n    producer.send('not-a-topic')\n",
        'app/consume.py':
          "from kafka import KafkaConsumer\nfrom confluent_kafka import Consumer, Producer\n\nc = KafkaConsumer('payments', 'refunds', group_id='g')\nc2 = Consumer({'group.id': 'x'})\nc2.subscribe(['audit'])\np = Producer({})\np.produce('refunds', b'x')\nsession.send('not-kafka')\n",
      }),
    ).toEqual([
      'audit Kafka topic consumer @app/consume.py:6',
      'audit Kafka topic producer @app/use.py:4',
      'payments Kafka topic consumer @app/consume.py:4',
      'payments Kafka topic producer @app/events.py:7',
      'refunds Kafka topic consumer @app/consume.py:4',
      'refunds Kafka topic producer @app/consume.py:8',
    ]);
  });

  it('boto3: SQS send/receive by queue URL (the last segment), a resource queue by name, SNS publish by topic ARN, a URL from the environment', () => {
    expect(
      sites({
        'fn/handler.py':
          "import os\nimport boto3\n\nsqs = boto3.client('sqs')\nsns = boto3.client('sns')\nres = boto3.resource('sqs')\njobs = res.get_queue_by_name(QueueName='jobs')\n\ndef handle(event, context):\n    sqs.send_message(QueueUrl='https://sqs.eu-west-1.amazonaws.com/123456789012/orders', MessageBody='x')\n    sqs.receive_message(QueueUrl=os.getenv('RESULTS_QUEUE_URL'))\n    jobs.send_message(MessageBody='y')\n    sns.publish(TopicArn='arn:aws:sns:eu-west-1:123456789012:alerts', Message='z')\n",
      }),
    ).toEqual([
      'RESULTS_QUEUE_URL Amazon SQS queue consumer @fn/handler.py:11',
      'alerts Amazon SNS topic producer @fn/handler.py:13',
      'jobs Amazon SQS queue producer @fn/handler.py:12',
      'orders Amazon SQS queue producer @fn/handler.py:10',
    ]);
  });

  it('a task route pattern matches like a glob, without backtracking beyond its last star', () => {
    expect(globMatch('shop.tasks.mail_*', 'shop.tasks.mail_receipt')).toBe(true);
    expect(globMatch('shop.*.charge', 'shop.tasks.refund')).toBe(false);
    const t0 = Date.now();
    expect(globMatch(`${'*a'.repeat(2000)}b`, 'a'.repeat(20000))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('workers started from command lines: rq worker (options skipped, RQ default when none), celery worker -Q', () => {
    const files: Record<string, string> = {
      Procfile: 'web: gunicorn app:app\nworker: rq worker -u $REDIS_URL --with-scheduler high low\n',
      'deploy/supervisor/tasks.conf': '[program:tasks]\ncommand=/srv/venv/bin/rq worker\n',
      'docker-compose.yml': 'services:\n  w:\n    command: ["celery", "-A", "proj", "worker", "-Q", "payments,emails"]\n',
      'worker/Dockerfile': 'FROM python:3.12\nCMD celery -A proj worker --loglevel=info\n',
    };
    const out = new Collected();
    commandWorkers({ files: Object.keys(files), read: (f) => files[f], isSetAside: () => false }, out);
    expect(out.sites.map(show).sort()).toEqual([
      'default RQ queue consumer @deploy/supervisor/tasks.conf:2',
      'emails Celery queue consumer @docker-compose.yml:3',
      'high RQ queue consumer @Procfile:2',
      'low RQ queue consumer @Procfile:2',
      'payments Celery queue consumer @docker-compose.yml:3',
    ]);
  });
});
