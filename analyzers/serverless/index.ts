/**
 * serverless: Serverless Framework (`serverless.yml`) services and AWS SAM templates. Functions
 * become workloads with their runtime, memory, timeout, concurrency and events; handlers are
 * linked to their source file; queues, topics, tables and buckets declared as CloudFormation
 * resources become queues, data stores and infrastructure.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { TS_EXTENSIONS, type AnalyzerContext } from '../../src/analyzer/context.js';
import { sortedUnique } from '../../src/model/compare.js';
import type { Details, Evidence } from '../../src/model/schema.js';
import { dirOf, joinPosix } from '../../src/util/paths.js';
import { findLine } from '../../src/util/text.js';
import { roleOf } from '../terraform/classify.js';
import { asArray, asRecord, lineOf, str } from '../compose/shared.js';

const SERVERLESS = /(^|\/)serverless\.ya?ml$/;
const SAM = /(^|\/)(template|sam-template|samconfig-template)\.ya?ml$/;

/** `AWS::DynamoDB::Table` → `aws_dynamodb_table`, so the Terraform role table applies. */
function cfnType(type: string): string {
  const [, service, resource] = type.split('::');
  return `aws_${(service ?? '').toLowerCase()}_${(resource ?? '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
}

/** Resolve `!GetAtt Queue.Arn`, `{ 'Fn::GetAtt': [Queue, Arn] }`, `{ Ref: Queue }` or an ARN to a logical id or a name. */
function refTarget(v: unknown): { logical?: string; name?: string } {
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { name: v.split(':').pop() };
    return { logical: v.split('.')[0] };
  }
  const r = asRecord(v);
  if (!r) return {};
  const ga = r['Fn::GetAtt'] ?? r['!GetAtt'];
  if (Array.isArray(ga)) return { logical: str(ga[0]) };
  if (typeof ga === 'string') return { logical: ga.split('.')[0] };
  if (typeof r.Ref === 'string') return { logical: r.Ref };
  const arn = str(r.arn);
  if (arn) return refTarget(arn);
  return {};
}

interface Fn {
  name: string;
  handler?: string;
  runtime?: string;
  memory?: unknown;
  timeout?: unknown;
  reserved?: unknown;
  provisioned?: unknown;
  events: string[];
  queues: string[];
  codeDir: string;
  evidence: Evidence;
}

function handlerFile(ctx: AnalyzerContext, codeDir: string, handler: string): { file: string; line: number } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot < 0) return undefined;
  const modulePath = joinPosix(codeDir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const candidates = [...TS_EXTENSIONS.map((e) => modulePath + e), ...TS_EXTENSIONS.map((e) => joinPosix(modulePath, 'index') + e)];
  // A compiled path (dist/…) usually mirrors src/…
  const alt = modulePath.replace(/(^|\/)(dist|build|lib|\.build)\//, '$1src/');
  candidates.push(...TS_EXTENSIONS.map((e) => alt + e));
  const file = candidates.find((f) => ctx.has(f));
  if (!file) return undefined;
  const text = ctx.read(file) ?? '';
  const line = findLine(text, new RegExp(`export\\s+(const|let|async\\s+function|function)\\s+${exportName}\\b|exports\\.${exportName}\\s*=|module\\.exports\\.${exportName}\\s*=`));
  return { file, line: Math.max(line, 1) };
}

function emitFunctions(ctx: AnalyzerContext, service: string, tool: string, fns: Fn[], resources: Record<string, unknown>, file: string, resourceLine: (logical: string) => number): void {
  for (const fn of fns) {
    const ev: Evidence[] = [fn.evidence];
    const code = fn.handler ? handlerFile(ctx, fn.codeDir, fn.handler) : undefined;
    if (code) ev.push(code);
    const component = code ? ctx.componentOf(code.file) : ctx.componentOf(fn.evidence.file);
    const details: Details = { source: tool };
    if (fn.handler) details.handler = fn.handler;
    if (code) details.handlerFile = code.file;
    if (fn.runtime) details.runtime = fn.runtime;
    if (fn.memory !== undefined) details.memoryMb = String(fn.memory);
    if (fn.timeout !== undefined) details.timeoutSeconds = String(fn.timeout);
    if (fn.events.length) details.events = fn.events;
    ctx.emit('workloads', {
      id: `workload:lambda:${service}-${fn.name}`,
      name: `${service}-${fn.name}`,
      kind: 'Lambda function',
      ...(component ? { component } : {}),
      details,
      evidence: ev,
    });
    if (fn.reserved !== undefined || fn.provisioned !== undefined) {
      ctx.emit('scaling', {
        id: `scaling:lambda:${service}-${fn.name}`,
        name: `Lambda ${service}-${fn.name}`,
        category: 'concurrency',
        tech: tool,
        details: { ...(fn.provisioned !== undefined ? { min: String(fn.provisioned) } : {}), ...(fn.reserved !== undefined ? { max: String(fn.reserved) } : {}), policies: ['Lambda concurrency'] },
        evidence: [fn.evidence],
      });
    }
    for (const q of fn.queues) {
      const res = asRecord(asRecord(resources[q])?.Properties);
      const name = str(res?.QueueName) ?? q;
      if (/\$\{|\{\{/.test(name)) continue;
      ctx.emit('queues', {
        id: `queue:${name}`,
        name,
        tech: 'Amazon SQS',
        producers: [],
        consumers: component ? [component] : [],
        details: { consumedBy: [`${service}-${fn.name}`] },
        evidence: [fn.evidence],
      });
    }
  }
  for (const [logical, raw] of Object.entries(resources)) {
    const r = asRecord(raw);
    const type = str(r?.Type);
    if (!type || type.startsWith('AWS::Serverless::Function')) continue;
    const props = asRecord(r?.Properties) ?? {};
    const tfType = type.startsWith('AWS::Serverless::') ? `aws_serverless_${type.split('::')[2]!.toLowerCase()}` : cfnType(type);
    const ev = { file, line: resourceLine(logical) };
    ctx.emit('infrastructure', {
      id: `infra:${tool}:${service}/${logical}`,
      name: logical,
      type,
      role: type === 'AWS::Serverless::Api' || type === 'AWS::Serverless::HttpApi' ? 'edge' : roleOf(tfType),
      provider: 'aws',
      source: tool,
      details: { service },
      evidence: [ev],
    });
    if (type === 'AWS::SQS::Queue' || type === 'AWS::SNS::Topic') {
      const name = str(props.QueueName) ?? str(props.TopicName) ?? logical;
      if (!/\$\{|\{\{/.test(name)) ctx.emit('queues', { id: `queue:${name}`, name, tech: type === 'AWS::SQS::Queue' ? 'Amazon SQS' : 'Amazon SNS', producers: [], consumers: [], details: { declaredIn: [service] }, evidence: [ev] });
    }
    if (type === 'AWS::DynamoDB::Table' || type === 'AWS::Serverless::SimpleTable') ctx.emit('dataStores', { id: 'datastore:dynamodb', name: 'Amazon DynamoDB', tech: 'dynamodb', kind: 'key-value', usedBy: [], details: { tables: [str(props.TableName) ?? logical] }, evidence: [ev] });
    if (type === 'AWS::S3::Bucket') ctx.emit('dataStores', { id: 'datastore:s3', name: 'Amazon S3', tech: 's3', kind: 'object', usedBy: [], details: { buckets: [str(props.BucketName) ?? logical] }, evidence: [ev] });
  }
}

export default defineAnalyzer({
  meta: {
    name: 'serverless',
    description: 'Serverless Framework services and AWS SAM templates: functions, events, handlers, declared queues and tables',
    produces: ['workloads', 'scaling', 'queues', 'dataStores', 'infrastructure'],
  },
  applies: (ctx) => ctx.files.some((f) => (SERVERLESS.test(f) || SAM.test(f)) && !ctx.isSetAside(f)),
  analyze(ctx) {
    for (const file of ctx.files.filter((f) => SERVERLESS.test(f) && !ctx.isSetAside(f))) {
      const y = ctx.yaml(file);
      const doc = y?.documents[0];
      const sls = asRecord(doc ? y!.toJS(doc) : undefined);
      if (!y || !doc || !sls) continue;
      const service = str(sls.service) ?? str(asRecord(sls.service)?.name) ?? dirOf(file);
      const provider = asRecord(sls.provider) ?? {};
      const fns: Fn[] = [];
      for (const [name, raw] of Object.entries(asRecord(sls.functions) ?? {})) {
        const f = asRecord(raw) ?? {};
        const events: string[] = [];
        const queues: string[] = [];
        for (const e of asArray(f.events)) {
          const rec = asRecord(e);
          const type = rec ? Object.keys(rec)[0] : undefined;
          if (!type || !rec) continue;
          const v = rec[type];
          const vr = asRecord(v);
          if (type === 'http' || type === 'httpApi') {
            const method = str(vr?.method) ?? (typeof v === 'string' ? v.split(' ')[0] : '*');
            const path = str(vr?.path) ?? (typeof v === 'string' ? v.split(' ')[1] : '');
            events.push(`${type} ${String(method).toUpperCase()} ${path?.startsWith('/') ? path : '/' + (path ?? '')}`);
          } else if (type === 'sqs') {
            const t = refTarget(vr?.arn ?? v);
            if (t.logical) queues.push(t.logical);
            else if (t.name) queues.push(t.name);
            events.push(`sqs ${t.name ?? t.logical ?? ''}`.trim());
          } else if (type === 'schedule') events.push(`schedule ${str(vr?.rate) ?? str(v) ?? ''}`.trim());
          else events.push(type);
        }
        fns.push({
          name,
          handler: str(f.handler),
          runtime: str(f.runtime) ?? str(provider.runtime),
          memory: f.memorySize ?? provider.memorySize,
          timeout: f.timeout ?? provider.timeout,
          reserved: f.reservedConcurrency,
          provisioned: f.provisionedConcurrency,
          events,
          queues,
          codeDir: dirOf(file),
          evidence: { file, line: lineOf(y, doc.contents, ['functions', name]) },
        });
      }
      const resources = asRecord(asRecord(sls.resources)?.Resources) ?? {};
      emitFunctions(ctx, service, 'serverless', fns, resources, file, (l) => lineOf(y, doc.contents, ['resources', 'Resources', l]));
    }
    for (const file of ctx.files.filter((f) => SAM.test(f) && !ctx.isSetAside(f))) {
      const text = ctx.read(file);
      if (!text || !/AWS::Serverless/.test(text)) continue;
      const y = ctx.yaml(file);
      const doc = y?.documents[0];
      const tpl = asRecord(doc ? y!.toJS(doc) : undefined);
      if (!y || !doc || !tpl) continue;
      const globals = asRecord(asRecord(tpl.Globals)?.Function) ?? {};
      const resources = asRecord(tpl.Resources) ?? {};
      const fns: Fn[] = [];
      for (const [logical, raw] of Object.entries(resources)) {
        const r = asRecord(raw);
        if (r?.Type !== 'AWS::Serverless::Function') continue;
        const p = asRecord(r.Properties) ?? {};
        const events: string[] = [];
        const queues: string[] = [];
        for (const [, e] of Object.entries(asRecord(p.Events) ?? {})) {
          const er = asRecord(e);
          const type = str(er?.Type) ?? '?';
          const props = asRecord(er?.Properties) ?? {};
          if (type === 'Api' || type === 'HttpApi') events.push(`${type} ${String(str(props.Method) ?? '*').toUpperCase()} ${str(props.Path) ?? ''}`.trim());
          else if (type === 'SQS') {
            const t = refTarget(props.Queue);
            if (t.logical ?? t.name) queues.push((t.logical ?? t.name)!);
            events.push(`SQS ${t.name ?? t.logical ?? ''}`.trim());
          } else if (type === 'Schedule') events.push(`Schedule ${str(props.Schedule) ?? ''}`.trim());
          else events.push(type);
        }
        fns.push({
          name: str(p.FunctionName) ?? logical,
          handler: str(p.Handler) ?? str(globals.Handler),
          runtime: str(p.Runtime) ?? str(globals.Runtime),
          memory: p.MemorySize ?? globals.MemorySize,
          timeout: p.Timeout ?? globals.Timeout,
          reserved: p.ReservedConcurrentExecutions,
          provisioned: asRecord(p.ProvisionedConcurrencyConfig)?.ProvisionedConcurrentExecutions,
          events: sortedUnique(events),
          queues,
          codeDir: joinPosix(dirOf(file), str(p.CodeUri) ?? str(globals.CodeUri) ?? '.'),
          evidence: { file, line: lineOf(y, doc.contents, ['Resources', logical]) },
        });
      }
      const stack = dirOf(file) === '.' ? 'sam' : dirOf(file).split('/').pop()!;
      emitFunctions(ctx, stack, 'sam', fns, resources, file, (l) => lineOf(y, doc.contents, ['Resources', l]));
    }
  },
});
