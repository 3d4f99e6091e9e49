/**
 * Input validation: schema and validation libraries by import (zod, joi, class-validator, ajv,
 * yup, express-validator…), the NestJS ValidationPipe with its options, and sanitisers (xss-clean,
 * express-mongo-sanitize, sanitize-html, DOMPurify).
 */
import type ts from '../../src/analyzer/typescript.cjs';
import { bool, prop } from '../../src/analysis/ast.js';
import { objectLiteral } from '../../src/analysis/bindings.js';
import { ev, type FileScope, type Rules } from './state.js';

const VALIDATION_MODULES: Record<string, string> = {
  zod: 'zod',
  joi: 'joi',
  '@hapi/joi': 'joi',
  'class-validator': 'class-validator',
  ajv: 'ajv',
  yup: 'yup',
  'express-validator': 'express-validator',
  celebrate: 'celebrate',
  superstruct: 'superstruct',
  valibot: 'valibot',
  '@sinclair/typebox': 'TypeBox',
};

const SANITISERS: Record<string, string> = {
  'xss-clean': 'XSS sanitisation (xss-clean)',
  'express-mongo-sanitize': 'MongoDB operator sanitisation (express-mongo-sanitize)',
  'mongo-sanitize': 'MongoDB operator sanitisation (mongo-sanitize)',
  'sanitize-html': 'HTML sanitisation (sanitize-html)',
  dompurify: 'HTML sanitisation (DOMPurify)',
  'isomorphic-dompurify': 'HTML sanitisation (DOMPurify)',
  xss: 'XSS sanitisation (xss)',
};

/** `new ValidationPipe({ whitelist, forbidNonWhitelisted, transform, forbidUnknownValues })`: the options set to true. */
function validationPipe(s: FileScope, arg: ts.Expression | undefined, at: ts.Node): void {
  const o = objectLiteral(arg, s.info);
  const flags: string[] = [];
  for (const k of ['whitelist', 'forbidNonWhitelisted', 'transform', 'forbidUnknownValues']) {
    if (bool(prop(o, k)) === true) flags.push(k);
  }
  s.c.add('security:validation:validationpipe', 'validation', 'NestJS ValidationPipe', ev(s.info, at), { tech: '@nestjs/common', ...s.comp, details: { options: flags } });
}

export const validation: Rules = {
  onImport(s, m, at) {
    const v = VALIDATION_MODULES[m];
    if (v) s.c.add(`security:validation:${v.toLowerCase()}`, 'validation', `Input validation with ${v}`, at, { tech: v, ...s.comp, details: { files: [s.info.file] } });
    const san = SANITISERS[m];
    if (san) s.c.add(`security:sanitiser:${m}`, 'validation', san, at, { tech: m, ...s.comp });
  },
  onNew(s, { node, name, binding: b, args }) {
    if (b && (b.module === 'ajv' || b.module === 'ajv/dist/2020')) {
      s.c.add('security:validation:ajv', 'validation', 'Input validation with ajv', ev(s.info, node), { tech: 'ajv', ...s.comp });
    }
    if (name === 'ValidationPipe' || name.endsWith('.ValidationPipe')) validationPipe(s, args[0], node);
  },
};
