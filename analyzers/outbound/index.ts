/**
 * outbound: what each component talks to, from code. One index per source file
 * (src/analysis/index-file.ts), then outbound's rules over the evaluator (resolve.ts): data stores
 * used (with the database behind an ORM, environment-variable names and literal cache TTLs), SDK
 * clients of external services, and HTTP calls to a literal or constant base URL, named by host.
 * The indexes and what each call does are the `scripts.calls` product, which flows traces.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';

export default defineAnalyzer({
  meta: {
    name: 'outbound',
    description: 'Data stores, external services and HTTP hosts each component uses, from code',
    produces: ['dataStores', 'externalServices'],
    provides: ['scripts.calls'],
  },
  applies: (ctx) => ctx.typescriptFiles().length > 0,
  async scan(ctx) {
    const { scanOutbound } = await import('./analyse.js');
    return scanOutbound(ctx);
  },
});
