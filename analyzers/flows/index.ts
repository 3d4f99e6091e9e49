/**
 * flows: traced data flows from entry points (HTTP endpoints, queue consumers, scheduled jobs)
 * through the calls the outbound analyzer resolved (its `scripts.calls` product), into data stores, caches, queues and
 * external services, continuing across queues into consumers. Runs in the post-link phase,
 * because entry points come from other analyzers (endpoints, messaging).
 *
 * Options (`analyzers.flows.options`): `top` (flows drawn in the document, default 5), `depth`
 * (call depth followed, default 8), `queueHops` (queues crossed, default 2).
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

export default defineAnalyzer({
  meta: {
    name: 'flows',
    description: 'Traced data flows from endpoints, consumers and schedules to stores, queues and services',
    produces: [],
    consumes: ['components', 'endpoints', 'queues', 'components.settled', 'scripts.calls'],
  },
  applies: (ctx) => ctx.typescriptFiles().length > 0,
  analyze() {
    // Nothing to collect: the outbound analyzer's product is the input, read in `link`.
  },
  async link(model, ctx) {
    const [calls] = ctx.consume('scripts.calls');
    if (!calls) return;
    const { traceFlows } = await import('./trace.js');
    const top = positiveInt(ctx.options.top, 5);
    const flows = traceFlows(model, ctx, calls, {
      depth: positiveInt(ctx.options.depth, 8),
      queueHops: positiveInt(ctx.options.queueHops, 2),
      maxSteps: 40,
    });
    for (const f of flows) if (f.rank <= top) f.featured = true;
    if (flows.length) model.flows = flows;
  },
});
