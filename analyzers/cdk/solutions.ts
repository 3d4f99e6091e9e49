/**
 * AWS Solutions Constructs (`@aws-solutions-constructs/aws-eventbridge-sqs` …): a pattern class
 * makes well-architected resources wired together (`new EventbridgeToSqs(this, 'Id', { eventRuleProps,
 * queueProps })` makes a rule targeting a queue). Each resource it makes is read as the L2 construct
 * it is, with its own props (`queueProps`), named `<id>/<part>`, and reached through the pattern's
 * property (`pattern.sqsQueue`); a part given as an existing object (`existingQueueObj`) is not made
 * again. The wiring between the parts is links.ts's (`patternLinks`). Dead-letter queues and the
 * other defaults a pattern adds are not listed: their names are the library's, not the code's.
 */
import type { ConstructType } from './constructs.js';

/** One resource a pattern makes. */
export interface PatternPart {
  /** The pattern's property that holds it (`sqsQueue`). */
  member: string;
  type: ConstructType;
  /** The props it is made with (`queueProps`). */
  props: string;
  /** Props that give an existing resource instead (`existingQueueObj`): then it is not made. */
  existing: string[];
  /** The environment variable a pattern's function is given for it, and the prop that renames it. */
  env?: { name: string; prop: string };
}

const part = (member: string, service: string, name: string, props: string, existing: string[], env?: PatternPart['env']): PatternPart => ({
  member,
  type: { service, name },
  props,
  existing,
  ...(env ? { env } : {}),
});

const RULE = part('eventsRule', 'events', 'Rule', 'eventRuleProps', []);
const QUEUE = part('sqsQueue', 'sqs', 'Queue', 'queueProps', ['existingQueueObj', 'existingQueueInterface'], {
  name: 'SQS_QUEUE_URL',
  prop: 'queueEnvironmentVariableName',
});
const TOPIC = part('snsTopic', 'sns', 'Topic', 'topicProps', ['existingTopicObj', 'existingTopicObject', 'existingTopicInterface'], {
  name: 'SNS_TOPIC_ARN',
  prop: 'topicArnEnvironmentVariableName',
});
const FUNCTION = part('lambdaFunction', 'lambda', 'Function', 'lambdaFunctionProps', ['existingLambdaObj']);
const TABLE = part('dynamoTable', 'dynamodb', 'Table', 'dynamoTableProps', ['existingTableObj', 'existingTableInterface'], {
  name: 'DDB_TABLE_NAME',
  prop: 'tableEnvironmentVariableName',
});
const BUCKET = part('s3Bucket', 's3', 'Bucket', 'bucketProps', ['existingBucketObj', 'existingBucketInterface'], {
  name: 'S3_BUCKET_NAME',
  prop: 'bucketEnvironmentVariableName',
});
const MACHINE = part('stateMachine', 'stepfunctions', 'StateMachine', 'stateMachineProps', []);

/** The patterns read, by class: what each makes, the source first. */
export const PATTERNS: Readonly<Record<string, readonly PatternPart[]>> = {
  EventbridgeToSqs: [RULE, QUEUE],
  EventbridgeToLambda: [RULE, FUNCTION],
  EventbridgeToSns: [RULE, TOPIC],
  EventbridgeToStepfunctions: [RULE, MACHINE],
  SnsToSqs: [TOPIC, QUEUE],
  SnsToLambda: [TOPIC, FUNCTION],
  SqsToLambda: [QUEUE, FUNCTION],
  S3ToLambda: [BUCKET, FUNCTION],
  S3ToSqs: [BUCKET, QUEUE],
  DynamoDBStreamsToLambda: [TABLE, FUNCTION],
  LambdaToSqs: [FUNCTION, QUEUE],
  LambdaToSns: [FUNCTION, TOPIC],
  LambdaToDynamoDB: [FUNCTION, TABLE],
  LambdaToS3: [FUNCTION, BUCKET],
};

/** A pattern class of a Solutions Constructs module: `@aws-solutions-constructs/aws-eventbridge-sqs` `EventbridgeToSqs`. */
export function patternOf(pkg: string, name: string): readonly PatternPart[] | undefined {
  return pkg.startsWith('@aws-solutions-constructs/') && Object.hasOwn(PATTERNS, name) ? PATTERNS[name] : undefined;
}

/** The key of a pattern part's site: the pattern's `new` and the part's member. */
export const partKey = (callKey: string, member: string): string => `${callKey}#part=${member}`;
