/**
 * TLS settings that many providers name alike (`min_tls_version`, `minimum_tls_version`…), read
 * on every resource before its own rule; a version below 1.2 is a finding.
 */
import { show } from '../values.js';
import { type Block, type Out, set } from '../out.js';

/** True for a TLS or SSL version below 1.2, as providers spell it (`TLS1_0`, `1.1`, `TLSv1`). */
export function tlsBelow12(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  return /^(TLS_?1_?[01]|TLS1_[01]|1\.[01]|TLSv1(\.1)?(_\d{4})?|TLSv1|SSLv3|TLS_1_0|TLS_1_1)$/i.test(v.trim());
}

export function tlsSettings(out: Out, b: Block): void {
  for (const k of ['min_tls_version', 'minimum_tls_version', 'minimal_tls_version', 'tls_version', 'ssl_minimal_tls_version_enforced']) {
    const v = b.body[k];
    if (v === undefined) continue;
    set(b.details, 'minTlsVersion', v);
    if (tlsBelow12(v)) out.security(b, 'tls-below-1-2', 'medium', { statement: 'tls-setting-below-1-2', setting: k, value: String(show(v)) }, k);
  }
}
