/**
 * Personal data: PII-hinting field names per class, interface, zod / joi / mongoose schema or
 * Prisma model (names only; SCREAMING_SNAKE_CASE names are environment variables, not fields).
 */
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { propKeys, type CallSite } from '../../src/analysis/sites.js';
import { piiHint } from './patterns.js';
import { at, type RunState, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

/** PII-hinting keys of a schema object (`const User = new Schema({...})`, `z.object({...})`), by the variable holding it. */
function schemaPii(s: SiteScope, call: CallSite, source: string): void {
  const o = call.args[0];
  if (!o?.obj) return;
  const owner = call.assignedTo;
  const fields = propKeys(o).filter(piiHint);
  if (fields.length && owner) s.c.add(idOf.security('pii', `${s.file}#${owner}`), 'data', owner, at(s, call), { ...s.comp, details: { fields, source } });
}

/** Classes and interfaces (entities, DTOs) declared at the top level. */
function declarationPii(s: SiteScope): void {
  for (const d of s.sites.declarations) {
    const fields = d.properties.filter(piiHint);
    if (fields.length === 0) continue;
    const kind = d.decorators.includes('Entity') || d.decorators.includes('Schema') || d.decorators.includes('Table') ? 'entity' : d.kind;
    s.c.add(idOf.security('pii', `${s.file}#${d.name}`), 'data', d.name, at(s, d), { ...s.comp, details: { fields, source: kind } });
  }
}

export const pii: SiteRules = {
  onCall(s, call) {
    const { module, name, last } = call;
    if (module === 'mongoose' && /(^|\.)Schema$/.test(name)) schemaPii(s, call, 'mongoose schema');
    if (module === 'zod' && /^z\.object$|^object$/.test(name)) schemaPii(s, call, 'zod schema');
    if ((module === 'joi' || module === '@hapi/joi') && last === 'object') schemaPii(s, call, 'joi schema');
  },
  onNew(s, call) {
    if (call.module === 'mongoose' && /(^|\.)Schema$/.test(call.name)) schemaPii(s, call, 'mongoose schema');
  },
  onFile: declarationPii,
};

/** Prisma models: PII-hinting field names, read by line. */
export function prismaPii(ctx: AnalyzerContext, st: RunState): void {
  for (const file of ctx.files) {
    if (ctx.isSetAside(file) || !file.endsWith('.prisma')) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    const component = ctx.componentOf(file);
    const comp = component ? { component } : {};
    let model: string | undefined;
    let modelLine = 0;
    let fields: string[] = [];
    const flush = () => {
      if (model && fields.length)
        st.c.add(idOf.security('pii', `${file}#${model}`), 'data', model, { file, line: modelLine }, { ...comp, details: { fields, source: 'prisma model' } });
    };
    text.split('\n').forEach((l, i) => {
      const m = /^\s*model\s+(\w+)\s*\{/.exec(l);
      if (m) {
        flush();
        model = m[1];
        modelLine = i + 1;
        fields = [];
        return;
      }
      if (/^\s*\}/.test(l)) {
        flush();
        model = undefined;
        return;
      }
      const f = /^\s*(\w+)\s+\w/.exec(l);
      if (model && f && piiHint(f[1]!)) fields.push(f[1]!);
    });
  }
}
