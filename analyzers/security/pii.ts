/**
 * Personal data: PII-hinting field names per class, interface, zod / joi / mongoose schema or
 * Prisma model (names only; SCREAMING_SNAKE_CASE names are environment variables, not fields).
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { AnalyzerContext } from '../../src/analyzer/context.js';
import { decoratorsOf, propKeys, propName } from '../../src/analysis/ast.js';
import { objectLiteral } from '../../src/analysis/bindings.js';
import { piiHint } from './patterns.js';
import { ev, type FileScope, type Rules, type RunState } from './state.js';

/** PII-hinting keys of a schema object (`const User = new Schema({...})`, `z.object({...})`), by the variable holding it. */
function schemaPii(s: FileScope, node: ts.NewExpression | ts.CallExpression, source: string): void {
  const o = objectLiteral(node.arguments?.[0], s.info);
  if (!o) return;
  const owner = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
  const fields = propKeys(o).filter(piiHint);
  if (fields.length && owner) s.c.add(`security:pii:${s.info.file}#${owner}`, 'data', owner, ev(s.info, node), { ...s.comp, details: { fields, source } });
}

/** Classes and interfaces (entities, DTOs) declared at the top level. */
function declarationPii(s: FileScope): void {
  for (const stmt of s.info.sf.statements) {
    if (!(ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) || !stmt.name) continue;
    const fields: string[] = [];
    for (const m of stmt.members) {
      if ((ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) && m.name) {
        const n = propName(m.name);
        if (n && piiHint(n)) fields.push(n);
      }
    }
    if (fields.length === 0) continue;
    const decos = ts.isClassDeclaration(stmt) ? decoratorsOf(stmt).map((d) => d.name) : [];
    const kind = decos.includes('Entity') || decos.includes('Schema') || decos.includes('Table') ? 'entity' : ts.isClassDeclaration(stmt) ? 'class' : 'interface';
    s.c.add(`security:pii:${s.info.file}#${stmt.name.text}`, 'data', stmt.name.text, ev(s.info, stmt.name), { ...s.comp, details: { fields, source: kind } });
  }
}

export const pii: Rules = {
  onCall(s, { node, name, last, binding: b }) {
    if (b?.module === 'mongoose' && /(^|\.)Schema$/.test(name)) schemaPii(s, node, 'mongoose schema');
    if (b?.module === 'zod' && /^z\.object$|^object$/.test(name)) schemaPii(s, node, 'zod schema');
    if ((b?.module === 'joi' || b?.module === '@hapi/joi') && last === 'object') schemaPii(s, node, 'joi schema');
  },
  onNew(s, { node, name, binding: b }) {
    if (b?.module === 'mongoose' && /(^|\.)Schema$/.test(name)) schemaPii(s, node, 'mongoose schema');
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
      if (model && fields.length) st.c.add(`security:pii:${file}#${model}`, 'data', model, { file, line: modelLine }, { ...comp, details: { fields, source: 'prisma model' } });
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
