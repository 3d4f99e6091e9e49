/**
 * Messaging rules written on the engine: they read a script's plain-data index
 * (src/analysis/index-file.ts) and resolve names with `ChannelNames` over the run's indexes, so
 * they need no syntax tree. Today: the decorators of NestJS microservices (`@MessagePattern`,
 * `@EventPattern`), @nestjs/event-emitter (`@OnEvent`) and @golevelup/nestjs-rabbitmq
 * (`@RabbitSubscribe`, `@RabbitRPC`). The other technologies are still read from trees (detect.ts).
 */
import type { Deco, FileIndex, Value } from '../../src/analysis/index-file.js';
import type { Scope } from '../../src/analysis/evaluate.js';
import { isNestCall, NEST_TRANSPORT_TECH, type FileFacts, type Site } from './detect.js';
import { labelOfValue, type ChannelNames } from './names.js';
import type { Val } from './resolve.js';

/**
 * Sites for the values of a channel name at a line: one per value; a value only known as an
 * expression keeps the edge under that label (and is warned about), an unknown name only warns.
 */
export function addSites(facts: FileFacts, file: string, line: number, vals: Val[], base: Omit<Site, 'channel' | 'at' | 'via'>, what: string): void {
  const at = { file, line };
  let any = false;
  for (const v of vals) {
    if (v.expr !== undefined && !base.inProcess) {
      // Unknown name: the edge stays, labelled by the expression that names it.
      facts.sites.push({ ...base, channel: v.expr, unresolved: true, at, via: v.via });
      facts.unresolved.push({ line, what, labelled: v.expr });
      any = true;
      continue;
    }
    if (v.text === undefined && v.env === undefined) continue;
    any = true;
    facts.sites.push({ ...base, channel: v.text ?? v.env!, env: v.env ?? base.env, envOnly: v.text === undefined || base.envOnly, at, via: v.via, ...(v.declaredAt ? { configAt: v.declaredAt } : {}) });
  }
  if (!any) facts.unresolved.push({ line, what });
}

export class IndexRules {
  constructor(
    private readonly names: ChannelNames,
    /** Transports each component configures for NestJS microservices (KAFKA, RMQ…). */
    private readonly transports: (file: string) => string[],
  ) {}

  /** Values of a channel-name value; when none is known, the expression itself (as a label). */
  private vals(scope: Scope, v: Value | undefined): Val[] {
    const out = this.names.values(scope, v);
    if (out.some((x) => x.text !== undefined || x.env !== undefined)) return out;
    const label = labelOfValue(v);
    return label ? [{ expr: label, via: [] }] : out;
  }

  private texts(scope: Scope, v: Value | undefined): string[] {
    return this.names.values(scope, v).flatMap((x) => (x.text !== undefined ? [x.text] : []));
  }

  /** Every site the rules find in one script. */
  detect(file: string, idx: FileIndex, facts: FileFacts): void {
    for (const fn of idx.functions.values()) {
      if (fn.cls && fn.decorators.length > 0) for (const d of fn.decorators) this.onMethodDecorator(file, idx, d, facts);
    }
  }

  private onMethodDecorator(file: string, idx: FileIndex, d: Deco, facts: FileFacts): void {
    const spec = idx.imports.get(d.name)?.module;
    const scope: Scope = { file };
    if ((d.name === 'MessagePattern' || d.name === 'EventPattern') && spec === '@nestjs/microservices') {
      const transports = this.transports(file);
      // A call, not a message: the endpoints analyzer lists it as an rpc endpoint.
      if (isNestCall(transports, d.name === 'MessagePattern')) return;
      const tech = transports.length === 1 ? (NEST_TRANSPORT_TECH[transports[0]!] ?? 'NestJS microservices') : 'NestJS microservices';
      addSites(facts, file, d.line, this.patternValues(scope, d.args[0]), { tech, kind: tech === 'Kafka' ? 'topic' : 'pattern', role: 'consumer' }, 'message pattern');
    } else if (d.name === 'OnEvent' && spec === '@nestjs/event-emitter') {
      addSites(facts, file, d.line, this.vals(scope, d.args[0]), { tech: 'EventEmitter2', kind: 'event', role: 'consumer', inProcess: true }, 'event name');
    } else if ((d.name === 'RabbitSubscribe' || d.name === 'RabbitRPC') && spec === '@golevelup/nestjs-rabbitmq') {
      for (const o of this.names.objects(scope, d.args[0])) {
        const at = (key: string) => this.names.values(o.scope, o.v.props[key]);
        const queue = Object.hasOwn(o.v.props, 'queue') ? at('queue') : [];
        const keys = (Object.hasOwn(o.v.props, 'routingKey') ? at('routingKey') : []).flatMap((v) => (v.text ? [v.text] : []));
        const exchange = Object.hasOwn(o.v.props, 'exchange') ? at('exchange') : [];
        if (queue.length) {
          addSites(facts, file, d.line, queue, { tech: 'RabbitMQ', kind: 'queue', role: 'consumer', message: keys[0] }, 'RabbitMQ queue');
          for (const q of queue) if (q.text) for (const k of keys.length ? keys : ['#']) addSites(facts, file, d.line, exchange, { tech: 'RabbitMQ', kind: 'exchange', role: 'declared', binding: `${k} → ${q.text}` }, 'RabbitMQ exchange');
        } else addSites(facts, file, d.line, exchange, { tech: 'RabbitMQ', kind: 'exchange', role: 'consumer', message: keys[0] }, 'RabbitMQ exchange');
      }
    }
  }

  /** A message pattern: `{ cmd: 'sum' }` → `cmd:sum`, each item of an array, else the name's values. */
  private patternValues(scope: Scope, a: Value | undefined): Val[] {
    if (!a) return [];
    if (a.k === 'obj') {
      const parts: string[] = [];
      for (const [key, p] of Object.entries(a.props)) {
        if (p.k === 'fn') return [];
        const v = this.texts(scope, p);
        if (v.length !== 1) return [];
        parts.push(`${key}:${v[0]}`);
      }
      return [{ text: parts.join(','), via: [] }];
    }
    if (a.k === 'arr') return a.items.flatMap((e) => this.names.values(scope, e));
    return this.vals(scope, a);
  }
}
