/**
 * outbound: what each component talks to, from code. One walk per source file (walk.ts), then
 * resolution without a type checker (resolve.ts): data stores used (with the database behind an
 * ORM, environment-variable names and literal cache TTLs), SDK clients of external services, and
 * HTTP calls to a literal or constant base URL, named by host. The walk's index is kept for the
 * flows analyzer's post-link tracing.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';

export default defineAnalyzer({
  meta: {
    name: 'outbound',
    description: 'Data stores, external services and HTTP hosts each component uses, from code',
    produces: ['dataStores', 'externalServices'],
  },
  applies: (ctx) => ctx.typescriptFiles().length > 0,
  async scan(ctx) {
    const { scanOutbound } = await import('./analyse.js');
    return scanOutbound(ctx);
  },
});
