/**
 * Calls between services that their deployment configures: an environment value that names
 * another service of the same deployment (`CATALOG_URL=http://catalog:8080`, `ORDERS_ADDR=orders:7000`)
 * says the one calls the other. The compose and kubernetes analyzers read the hosts from
 * environment values here (`peerHosts`) and, in their link phases, resolve them to the services
 * they deploy and add the call to the caller's component (`addPeerCall`).
 *
 * Only the host and the scheme are kept, never the rest of a value (credentials, paths, queries).
 * The scanner is a plain loop over the value: no regular expression runs on repository text.
 */
import type { PeerCall } from '../model/details.js';
import type { Evidence, Model } from '../model/schema.js';
import { compareStrings, sortedEvidence } from '../model/compare.js';

/** Hosts that stand for the machine itself or for no one: never another service. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', 'host.docker.internal', 'example.com']);

const isHostChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-' || c === '.' || c === '_';
const isDigits = (s: string) => s.length > 0 && s.length <= 5 && [...s].every((c) => c >= '0' && c <= '9');
const isSchemeChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.';

/** One `scheme://[user@]host[:port][/…]` or `host:port[/…]` item, or nothing. */
function peerOfItem(item: string): { host: string; scheme?: string } | undefined {
  let rest = item;
  let scheme: string | undefined;
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    const s = rest.slice(0, sep);
    if (s.length === 0 || s.length > 20 || ![...s].every(isSchemeChar)) return undefined;
    scheme = s;
    rest = rest.slice(sep + 3);
  }
  // The authority ends at the first `/`, `?` or `#`; credentials end at its last `@`.
  let end = rest.length;
  for (const stop of ['/', '?', '#']) {
    const i = rest.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  let authority = rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  const colon = authority.indexOf(':');
  const host = colon >= 0 ? authority.slice(0, colon) : authority;
  const port = colon >= 0 ? authority.slice(colon + 1) : '';
  // Without a scheme, only `host:port` says a service is meant (a bare word is any setting).
  if (scheme === undefined && !isDigits(port)) return undefined;
  if (colon >= 0 && !isDigits(port)) return undefined;
  if (host.length === 0 || host.length > 253 || ![...host].every(isHostChar)) return undefined;
  if (!(host[0]! >= 'a' && host[0]! <= 'z')) return undefined;
  if (LOCAL_HOSTS.has(host)) return undefined;
  return scheme ? { host, scheme } : { host };
}

/**
 * The hosts an environment value names as URLs or `host:port`, lower case; several when the value
 * is a comma-separated list (`kafka-1:9092,kafka-2:9092`). A value with an interpolation
 * (`${HOST}`, `{{ … }}`) names nothing that can be read.
 */
export function peerHosts(value: unknown): { host: string; scheme?: string }[] {
  if (typeof value !== 'string' || value.length > 2048) return [];
  const v = value.trim().toLowerCase();
  if (v.includes('${') || v.includes('{{') || v.includes('$(') || v.includes('templated')) return [];
  const out: { host: string; scheme?: string }[] = [];
  for (const part of v.split(',')) {
    const p = peerOfItem(part.trim());
    if (p && !out.some((x) => x.host === p.host && x.scheme === p.scheme)) out.push(p);
  }
  return out;
}

/** The calls of one environment entry, for a workload's `details.calls`. */
export function peerCallsOf(variable: string, value: unknown, file: string, line: number): PeerCall[] {
  return peerHosts(value).map((p) => ({ host: p.host, variable, ...(p.scheme ? { scheme: p.scheme } : {}), file, line }));
}

/**
 * Adds `from` calls `to` to the caller's component (one dependency per target and variable), with
 * the line that configures it. Calls to itself are not kept.
 */
export function addPeerCall(model: Model, from: string, to: string, call: PeerCall): void {
  if (from === to) return;
  const component = model.components.find((c) => c.id === from);
  if (!component || !model.components.some((c) => c.id === to)) return;
  const evidence: Evidence = { file: call.file, line: call.line };
  const same = component.dependsOn.find((d) => d.kind === 'call' && d.target === to && d.via === call.variable);
  if (same) {
    same.evidence = sortedEvidence([...same.evidence, evidence].filter((e, i, all) => all.findIndex((x) => x.file === e.file && x.line === e.line) === i));
    return;
  }
  component.dependsOn.push({ target: to, kind: 'call', via: call.variable, ...(call.scheme ? { protocol: call.scheme } : {}), evidence: [evidence] });
  component.dependsOn.sort((a, b) => compareStrings(a.target, b.target) || compareStrings(a.kind, b.kind) || compareStrings(a.via ?? '', b.via ?? ''));
}
