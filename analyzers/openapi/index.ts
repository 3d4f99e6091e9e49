/**
 * openapi: OpenAPI 2.0/3.0/3.1 documents (YAML or JSON, `$ref`s resolved across files). Declares
 * the security schemes a spec defines; its operations are matched with code endpoints by the
 * `endpoints` analyzer, which consumes them as the product `openapi.specs`. Each document says
 * whether a production file names it (`used`): one nothing names is a description only.
 */
import { defineAnalyzer } from '../../src/analyzer/define.js';
import { loadSpecs } from '../../src/analysis/openapi.js';
import { idOf } from '../../src/model/ids.js';
import { usedSpecs } from './used.js';

export default defineAnalyzer({
  meta: {
    name: 'openapi',
    description: 'OpenAPI/Swagger specifications: operations (matched with code by endpoints) and security schemes',
    produces: ['security'],
    provides: ['openapi.specs'],
  },
  applies: (ctx) => ctx.files.some((f) => /\.(ya?ml|json)$/i.test(f) && /(openapi|swagger|oas|api|spec|contract)/i.test(f)),
  analyze(ctx) {
    const loaded = loadSpecs(ctx);
    const used = usedSpecs(ctx, loaded);
    const specs = loaded.map((s) => ({ ...s, used: used.has(s.file) }));
    ctx.provide('openapi.specs', specs);
    for (const spec of specs) {
      // A description nothing uses declares no schemes: the code's authentication is what runs.
      if (!spec.used) continue;
      for (const s of spec.securitySchemes) {
        ctx.emit('security', {
          id: idOf.security('openapi-scheme', s.name),
          name: `API security scheme ${s.name} (${s.type})`,
          category: 'authentication',
          evidence: [{ file: s.file, line: s.line }],
          details: { scheme: s.name, type: s.type, ...(s.detail ? { detail: s.detail } : {}), spec: spec.file },
        });
      }
    }
  },
});
