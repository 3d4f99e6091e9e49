/**
 * Input validation: schema and validation libraries by import (zod, joi, class-validator, ajv,
 * yup, express-validator…), the NestJS ValidationPipe with its options, and sanitisers (xss-clean,
 * express-mongo-sanitize, sanitize-html, DOMPurify).
 */
import { prop, type CallSite, type Opt } from '../../src/analysis/sites.js';
import { at, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

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
function validationPipe(s: SiteScope, o: Opt | undefined, site: CallSite): void {
  const flags: string[] = [];
  for (const k of ['whitelist', 'forbidNonWhitelisted', 'transform', 'forbidUnknownValues']) {
    if (prop(o, k)?.bool === true) flags.push(k);
  }
  s.c.add('security:validation:validationpipe', 'validation', 'NestJS ValidationPipe', at(s, site), {
    tech: '@nestjs/common',
    ...s.comp,
    details: { options: flags },
  });
}

export const validation: SiteRules = {
  onImport(s, m, where) {
    const v = VALIDATION_MODULES[m];
    if (v)
      s.c.add(idOf.security('validation', v.toLowerCase()), 'validation', `Input validation with ${v}`, where, {
        tech: v,
        ...s.comp,
        details: { files: [s.file] },
      });
    const san = SANITISERS[m];
    if (san) s.c.add(idOf.security('sanitiser', m), 'validation', san, where, { tech: m, ...s.comp });
  },
  onNew(s, call) {
    const { module, name, args } = call;
    if (module === 'ajv' || module === 'ajv/dist/2020') {
      s.c.add('security:validation:ajv', 'validation', 'Input validation with ajv', at(s, call), { tech: 'ajv', ...s.comp });
    }
    if (name === 'ValidationPipe' || name.endsWith('.ValidationPipe')) validationPipe(s, args[0], call);
  },
};
