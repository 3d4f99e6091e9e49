/**
 * NestJS microservice handlers as calls. Over a transport without a broker (TCP) a `@MessagePattern`
 * handler answers a request and an `@EventPattern` handler is called point to point: both are rpc
 * endpoints of the component, not messaging. Over a broker (NATS, Redis, MQTT, Kafka, RabbitMQ), or
 * where the transport is not known, every pattern is a channel the broker carries: messaging reads it.
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { compareStrings } from '../../src/model/compare.js';

/** `Transport.X` named in the scripts of each component (`'.'` for files outside every package). */
export function nestTransports(ctx: AnalyzerContext, files: readonly string[]): (file: string) => string[] {
  const byComponent = new Map<string, Set<string>>();
  for (const f of files) {
    const text = ctx.read(f);
    if (!text || !text.includes('Transport.')) continue;
    const comp = ctx.componentOf(f) ?? '.';
    for (let i = text.indexOf('Transport.'); i >= 0; i = text.indexOf('Transport.', i + 1)) {
      let e = i + 'Transport.'.length;
      while (e < text.length && /[A-Z_]/.test(text[e]!)) e++;
      if (e === i + 'Transport.'.length) continue;
      const set = byComponent.get(comp) ?? new Set<string>();
      set.add(text.slice(i + 'Transport.'.length, e));
      byComponent.set(comp, set);
    }
  }
  const all = new Set([...byComponent.values()].flatMap((s) => [...s]));
  return (file) => {
    const own = byComponent.get(ctx.componentOf(file) ?? '.');
    if (own?.size) return [...own].sort(compareStrings);
    // Transport configured in a shared library (one helper every service calls): the repository's only one.
    return all.size === 1 ? [...all] : [];
  };
}

/** Whether a NestJS microservice handler is a call (kept as an rpc endpoint) under these transports. */
export function isNestCall(transports: string[]): boolean {
  return transports.length === 1 && transports[0] === 'TCP';
}
