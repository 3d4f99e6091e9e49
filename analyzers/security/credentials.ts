/**
 * Credentials: password hashing and key derivation (bcrypt with its cost factor, Argon2 with its
 * variant and costs, scrypt, PBKDF2 with its iterations). Password checks are kept for the
 * authentication flow.
 */
import type { Details } from '../../src/model/schema.js';
import { prop, type Call } from '../../src/analysis/sites.js';
import { at, type SiteRules, type SiteScope } from './state.js';
import { idOf } from '../../src/model/ids.js';

function credentialsCall(s: SiteScope, call: Call): void {
  const { c, st, file, comp } = s;
  const { module, name, last, args } = call;
  if (module === 'bcrypt' || module === 'bcryptjs') {
    if (/^(hash|hashSync|genSalt|genSaltSync)$/.test(last)) {
      const cost = (last.startsWith('genSalt') ? args[0] : args[1])?.num;
      const details: Details = {};
      if (cost !== undefined) details.costFactors = [String(cost)];
      c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', at(s, call), { tech: module, ...comp, details });
      if (cost !== undefined && cost < 10) {
        c.add(idOf.security('finding', 'bcrypt-cost', file), 'finding', `bcrypt cost factor is ${cost} (below 10)`, at(s, call), { severity: 'low', ...comp });
      }
    }
    if (/^compare(Sync)?$/.test(last)) {
      st.passwordChecks.push({ file, line: call.line, lib: 'bcrypt' });
      c.add('security:password-hashing:bcrypt', 'credentials', 'Password hashing with bcrypt', at(s, call), { tech: module, ...comp });
    }
  }
  if (module === 'argon2' || module === '@node-rs/argon2') {
    if (last === 'hash') {
      const o = args[1];
      const details: Details = {};
      const type = prop(o, 'type');
      if (type) details.variant = type.label?.split('.').pop() ?? type.text ?? '';
      for (const k of ['memoryCost', 'timeCost', 'parallelism']) {
        const v = prop(o, k)?.num;
        if (v !== undefined) details[k] = v;
      }
      c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', at(s, call), { tech: module, ...comp, details });
    }
    if (last === 'verify') st.passwordChecks.push({ file, line: call.line, lib: 'argon2' });
  }
  const nodeCrypto = module === 'crypto' || module === 'node:crypto' || module === undefined;
  if (/^(crypto\.)?(scrypt|scryptSync)$/.test(name) && nodeCrypto) {
    c.add('security:password-hashing:scrypt', 'credentials', 'Key derivation with scrypt (node:crypto)', at(s, call), { tech: 'node:crypto', ...comp });
  }
  if (/^(crypto\.)?(pbkdf2|pbkdf2Sync)$/.test(name) && nodeCrypto) {
    const it = args[2]?.num;
    c.add('security:password-hashing:pbkdf2', 'credentials', 'Key derivation with PBKDF2 (node:crypto)', at(s, call), {
      tech: 'node:crypto',
      ...comp,
      details: it !== undefined ? { iterations: [String(it)] } : {},
    });
  }
}

export const credentials: SiteRules = {
  onImport(s, m, where) {
    if (m === 'argon2' || m === '@node-rs/argon2')
      s.c.add('security:password-hashing:argon2', 'credentials', 'Password hashing with Argon2', where, { tech: m, ...s.comp });
  },
  onCall: credentialsCall,
};
