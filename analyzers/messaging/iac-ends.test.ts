import { afterAll, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

it('messaging applies to a repository whose infrastructure code declares channels, with no broker library: a topic gets the consumers of the queue subscribed to it', async () => {
  const files: Record<string, string> = {
    'bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { RelayStack } from '../lib/relay-stack';\n\nnew RelayStack(new App(), 'RelayStack');\n",
    'cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
    'lib/relay-stack.ts':
      "import { Stack, type StackProps } from 'aws-cdk-lib';\nimport { Runtime } from 'aws-cdk-lib/aws-lambda';\nimport { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\nimport { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nimport { Topic } from 'aws-cdk-lib/aws-sns';\nimport { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';\nimport { Queue } from 'aws-cdk-lib/aws-sqs';\nimport type { Construct } from 'constructs';\n\nexport class RelayStack extends Stack {\n  constructor(scope: Construct, id: string, props?: StackProps) {\n    super(scope, id, props);\n    const topic = new Topic(this, 'InboundMail', { topicName: 'inbound-mail' });\n    const queue = new Queue(this, 'MailQueue', { queueName: 'mail-queue' });\n    topic.addSubscription(new SqsSubscription(queue));\n    const mailer = new NodejsFunction(this, 'Mailer', { entry: 'services/mailer/handler.ts', runtime: Runtime.NODEJS_20_X });\n    mailer.addEventSource(new SqsEventSource(queue));\n  }\n}\n",
    'package.json':
      '{ "name": "mail-relay", "private": true, "bin": { "relay": "bin/app.js" }, "dependencies": { "aws-cdk-lib": "^2.150.0", "constructs": "^10.3.0" } }\n',
    'services/mailer/handler.ts':
      "import type { SQSEvent } from 'aws-lambda';\n\nexport const handler = async (event: SQSEvent) => {\n  for (const record of event.Records) console.log(record.body);\n};\n",
  };
  const model = await analyseRepo(tempRepo('iac-ends', files));
  const topic = model.queues.find((q) => q.id === 'queue:inbound-mail');
  const queue = model.queues.find((q) => q.id === 'queue:mail-queue');
  expect(queue?.consumers.length).toBe(1);
  expect(topic?.details?.drainedBy).toEqual(['queue:mail-queue']);
  expect(topic?.consumers).toEqual(queue?.consumers);
}, 60_000);
