/**
 * Credentials: password hashing and key derivation (bcrypt with its cost factor, Argon2 with its
 * variant and costs, scrypt, PBKDF2 with its iterations). Password checks are kept for the
 * authentication flow.
 */
import ts from '../../src/analyzer/typescript.cjs';
import type { Details } from '../../src/model/schema.js';
import { exprLabel, prop } from '../../src/analysis/ast.js';
import { numberValue, objectLiteral, type Call } from '../../src/analysis/bindings.js';
import { ev, type FileScope, type Rules } from './state.js';

function credentialsCall(s: FileScope, { node, name, last, binding: b, args }: Call): void {
  const { c, st, info, comp } = s;
  if (b && (b.module === 'bcrypt' || b.module === 'bcryptjs')) {
    if (/^(hash|hashSync|genSalt|genSaltSync)$/.test(last)) {
      const costArg = last.startsWith('genSalt') ? args[0] : args[1];
      const cost = numberValue(costArg, info);
      const details: Details = {};
      if (cost !== undefined) details.costFactors = [String(cost)];
      c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', ev(info, node), { tech: b.module, ...comp, details });
      if (cost !== undefined && cost < 10) {
        c.add(`security:finding:bcrypt-cost:${info.file}`, 'finding', `bcrypt cost factor is ${cost} (below 10)`, ev(info, node), { severity: 'low', ...comp });
      }
    }
    if (/^compare(Sync)?$/.test(last)) {
      st.passwordChecks.push({ file: info.file, line: info.line(node), lib: 'bcrypt' });
      c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', ev(info, node), { tech: b.module, ...comp });
    }
  }
  if (b && (b.module === 'argon2' || b.module === '@node-rs/argon2')) {
    if (last === 'hash') {
      const o = objectLiteral(args[1], info);
      const details: Details = {};
      const type = prop(o, 'type');
      if (type) details.variant = exprLabel(type)?.split('.').pop() ?? type.getText(info.sf);
      for (const k of ['memoryCost', 'timeCost', 'parallelism']) {
        const v = numberValue(prop(o, k), info);
        if (v !== undefined) details[k] = v;
      }
      c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', ev(info, node), { tech: b.module, ...comp, details });
    }
    if (last === 'verify') st.passwordChecks.push({ file: info.file, line: info.line(node), lib: 'argon2' });
  }
  const nodeCrypto = b?.module === 'crypto' || b?.module === 'node:crypto' || !b;
  if (/^(crypto\.)?(scrypt|scryptSync)$/.test(name) && nodeCrypto) {
    c.add('security:password-hashing:scrypt', 'credentials', 'Key derivation with scrypt (node:crypto)', ev(info, node), { tech: 'node:crypto', ...comp });
  }
  if (/^(crypto\.)?(pbkdf2|pbkdf2Sync)$/.test(name) && nodeCrypto) {
    const it = numberValue(args[2], info);
    c.add('security:password-hashing:pbkdf2', 'credentials', 'Key derivation with PBKDF2 (node:crypto)', ev(info, node), { tech: 'node:crypto', ...comp, details: it !== undefined ? { iterations: [String(it)] } : {} });
  }
}

export const credentials: Rules = {
  onImport(s, m, at) {
    if (m === 'argon2' || m === '@node-rs/argon2') s.c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', at, { tech: m, ...s.comp });
  },
  onCall: credentialsCall,
};
