/**
 * Messaging in other languages than TypeScript (issue #25): Python, Java/Kotlin and Go producers
 * and consumers read from the engine's polyglot index (src/analysis/polyglot), giving the same
 * sites the TypeScript rules give, so a channel joins across languages by its name (a Python
 * producer and a Node consumer of one RabbitMQ queue are one channel). A language's files are all
 * indexed once one of them mentions a library read here (constants and settings live in modules
 * that name none); workers started from command lines are read from Procfiles, Dockerfiles,
 * compose files, supervisor configurations and shell scripts.
 */
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import type { PolyglotIndex } from '../../../src/analysis/polyglot/index-source.js';
import { type PolyglotLanguage, polyglotLanguageOf } from '../../../src/analysis/polyglot/lex.js';
import { Program } from '../../../src/analysis/polyglot/program.js';
import { Collected } from './collect.js';
import { commandWorkers } from './commands.js';
import { goMessaging } from './go.js';
import { jvmMessaging } from './jvm.js';
import { PolyNames } from './names.js';
import { pythonMessaging } from './python.js';

type Group = 'python' | 'go' | 'jvm';

/** Words one of a group's files must contain for the group to be read (plain substring tests). */
const WANTS: Record<Group, readonly string[]> = {
  python: ['rq', 'celery', 'pika', 'kafka', 'boto3'],
  go: ['amqp', 'nats-io', 'sarama', 'kafka-go'],
  jvm: [
    'RabbitListener',
    'KafkaListener',
    'JmsListener',
    'SqsListener',
    'RabbitTemplate',
    'AmqpTemplate',
    'KafkaTemplate',
    'JmsTemplate',
    'SqsTemplate',
    'springframework.amqp',
    'springframework.kafka',
  ],
};

function groupOf(language: PolyglotLanguage): Group | undefined {
  if (language === 'python' || language === 'go') return language;
  return language === 'java' || language === 'kotlin' ? 'jvm' : undefined;
}

/** Files larger than this are not read (generated code, vendored bundles). */
const MAX_BYTES = 1_000_000;

/** Test files the file roles leave among production files in these languages. */
function isTestFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('_test.go') || base.startsWith('test_') || base.endsWith('_test.py') || base === 'conftest.py' || file.includes('/src/test/');
}

export function polyglotMessaging(ctx: AnalyzerContext): Collected {
  const out = new Collected();
  const texts = new Map<string, { language: PolyglotLanguage; text: string }>();
  const wanted = new Set<Group>();
  for (const file of ctx.files) {
    const language = polyglotLanguageOf(file);
    const group = language && groupOf(language);
    if (!group || ctx.isSetAside(file) || isTestFile(file)) continue;
    const text = ctx.read(file);
    if (text === undefined || text.length > MAX_BYTES) continue;
    texts.set(file, { language: language!, text });
    if (!wanted.has(group) && WANTS[group].some((w) => text.includes(w))) wanted.add(group);
  }
  const byGroup = new Map<Group, PolyglotIndex[]>();
  for (const [file, { language, text }] of texts) {
    const group = groupOf(language)!;
    if (!wanted.has(group)) continue;
    const list = byGroup.get(group) ?? [];
    list.push(ctx.polyglotIndex(file, language, text));
    byGroup.set(group, list);
  }
  const read = (file: string) => texts.get(file)?.text;
  for (const [group, indexes] of byGroup) {
    const names = new PolyNames(new Program(indexes), ctx);
    if (group === 'python') pythonMessaging(names, indexes, out);
    else if (group === 'jvm') jvmMessaging(names, indexes, read, out);
    else goMessaging(names, indexes, read, out);
  }
  commandWorkers(ctx, out);
  return out;
}
